#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [SCRIPT...]: runs every TEST_PROGS script of the Makefile (or the
# given ones) and prints KTAP with one top-level line per test case:
#   ok N - SCRIPT: CASE
# The scripts' own diagnostics follow as "#" lines. Loads kmod/spirec.ko
# once if no spirec module is loaded. Needs root and a kernel that may
# load the module: run it in the VM, `selftests/vm/vm.sh selftests/net/run.sh`.
# Exit status: 0 when no case failed.
#
# Environment: SPIREC_TEST_TIMEOUT seconds per script (default 600).

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
timeout_s=${SPIREC_TEST_TIMEOUT:-600}

# TEST_PROGS from the Makefile, continuation lines joined.
test_progs() {
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$here/Makefile" |
		sed -n 's/^TEST_PROGS[[:space:]]*:*=[[:space:]]*//p'
}

if [ $# -gt 0 ]; then
	scripts=("$@")
else
	read -r -a scripts <<<"$(test_progs)"
fi

# The plan: every script lists its cases without running them.
declare -A cases
total=0
for s in "${scripts[@]}"; do
	s=${s##*/}
	if [ ! -x "$here/$s" ]; then
		echo "run.sh: $here/$s: not an executable script" >&2
		exit 2
	fi
	cases[$s]=$("$here/$s" --list)
	total=$((total + $(echo "${cases[$s]}" | grep -c .)))
done

echo "TAP version 13"
echo "1..$total"
echo "# spirec selftests on $(uname -r), $(nproc) CPU(s)"
if out=$(module_load 2>&1); then
	echo "# module: $(cat /sys/module/spirec/srcversion 2>/dev/null || echo loaded) ($KMOD)"
else
	echo "# module not loaded: $out"
fi

n=0
failed=0
for s in "${scripts[@]}"; do
	s=${s##*/}
	mapfile -t names < <(echo "${cases[$s]}" | grep .)
	declare -A seen=()
	rcfile=$(mktemp)
	start=$SECONDS
	echo "# === $s"
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ ok|ok)\ ([0-9]+)\ -\ ([^#]*[^#[:space:]])[[:space:]]*(#.*)?$ ]]; then
			k=${BASH_REMATCH[2]}
			if [ "$k" -ge 1 ] && [ "$k" -le ${#names[@]} ] && [ -z "${seen[$k]:-}" ]; then
				seen[$k]=1
				res=${BASH_REMATCH[1]}
				dir=${BASH_REMATCH[4]:+ ${BASH_REMATCH[4]}}
				[ "$res" = "not ok" ] && [[ $dir != *SKIP* ]] && failed=$((failed + 1))
				echo "$res $((n + k)) - $s: ${BASH_REMATCH[3]}$dir"
				continue
			fi
		fi
		case $line in
		"TAP version"* | [0-9]*..[0-9]*) ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done < <(
		timeout -k 10 "$timeout_s" "$here/$s" 2>&1
		echo $? >"$rcfile"
	)
	rc=$(cat "$rcfile")
	rm -f "$rcfile"
	echo "# $s: exit $rc, $((SECONDS - start)) s"
	[ "$rc" = 124 ] && echo "# $s: timed out after $timeout_s s"
	for ((k = 1; k <= ${#names[@]}; k++)); do
		[ -n "${seen[$k]:-}" ] && continue
		failed=$((failed + 1))
		echo "not ok $((n + k)) - $s: ${names[k - 1]} # not reported, script exited $rc"
	done
	if [ "$rc" != 0 ] && [ "$rc" != "$KSFT_SKIP" ] && [ $failed -eq 0 ]; then
		failed=1
		echo "# $s exited $rc without a failing case"
	fi
	n=$((n + ${#names[@]}))
	unset seen
done

echo "# $total cases, $failed failed"
[ $failed -eq 0 ]
