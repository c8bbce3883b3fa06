#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# blackhole.sh: the black hole of the Router A / Router B scenario
# (selftests/e2e/run.sh) without spirecd, with action ikev2 and with action
# vici, BENCH_RUNS times (default 5) in one VM boot each, and prints the
# medians as
#   blackhole_s_baseline: N   (capped at the BASELINE_WAIT s it waits)
#   blackhole_s_ikev2: N
#   blackhole_s_vici: N
# plus one line per run. Durations are in seconds, from the first lost
# ping to the first answered one (pings every 100 ms). A run in which a
# case fails counts as missing; any missing value makes the script fail.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${BENCH_RUNS:-5}
wait_s=${BENCH_BASELINE_WAIT:-60}
out=${BENCH_OUT:-$top/.bench/blackhole}
mkdir -p "$out"

declare -a base ikev2 vici ikev2_ready vici_ready
# ms_of CASE FILE: the case's black hole in ms ("" when not measured).
ms_of() {
	sed -n "s/^$1: black hole \([0-9]*\) ms.*/\1/p" "$2" | head -n1
}
# ready_of CASE FILE: ms from Router B's charon being ready to traffic.
ready_of() {
	sed -n "s/^$1: black hole .*traffic back \([0-9]*\) ms after it was ready.*/\1/p" "$2" | head -n1
}
for i in $(seq 1 "$runs"); do
	dir=$out/run$i
	rm -rf "$dir"
	SPIREC_E2E_OUT=$dir SPIREC_E2E_CASES="1 2 3" SPIREC_E2E_BASELINE_WAIT=$wait_s \
		"$top/selftests/e2e/run.sh" >"$out/run$i.log" 2>&1
	res=$dir/e2e-results.txt
	[ -f "$res" ] || { echo "# run $i: no results, see $out/run$i.log"; continue; }
	if grep -q "^baseline.*still black-holed after $wait_s s" "$res"; then
		base+=("$((wait_s * 1000))")
	else
		b=$(ms_of "baseline[^:]*" "$res"); [ -n "$b" ] && base+=("$b")
	fi
	k=$(ms_of ikev2 "$res"); [ -n "$k" ] && ikev2+=("$k")
	v=$(ms_of vici "$res"); [ -n "$v" ] && vici+=("$v")
	r=$(ready_of ikev2 "$res"); [ -n "$r" ] && ikev2_ready+=("$r")
	r=$(ready_of vici "$res"); [ -n "$r" ] && vici_ready+=("$r")
	echo "# run $i: baseline ${base[-1]:-?} ms, ikev2 ${k:-?} ms, vici ${v:-?} ms"
done

# median MS...: the median in seconds with one decimal.
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit 1
		      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.1f\n", m / 1000 }'
}
rc=0
for name in baseline ikev2 vici; do
	declare -n arr=$name
	[ "$name" = baseline ] && declare -n arr=base
	if [ "${#arr[@]}" -eq "$runs" ]; then
		echo "blackhole_s_$name: $(median "${arr[@]}")"
	else
		echo "blackhole_s_$name: missing (${#arr[@]} of $runs runs measured)"
		rc=1
	fi
done
# Informational: the part of the black hole spirec can act on (Router B's
# charon restart time excluded).
for name in ikev2 vici; do
	declare -n arr=${name}_ready
	[ "${#arr[@]}" -gt 0 ] && echo "blackhole_after_ready_s_$name: $(median "${arr[@]}")"
done
exit $rc
