#!/usr/bin/env bash
# `make check`: every stage of spirec's test suite, counted together.
#
# The stages below run in order; the stage files of selftests/check.d/ run
# beside them, each in the background (see job), their reports added at the
# end in name order.
#
# Stages that run tests print TAP/KTAP; each top-level "ok"/"not ok" line
# counts once ("# SKIP" counts as skipped). A whole suite skipped (a plan
# "1..0 # SKIP why": no strongSwan, no root, ...) counts as one skipped
# test, and under CI (CI=true, set by .ci/run) as a failure: a machine that
# lacks what a suite needs must not pass silently. Stages that only build
# count as one test each. The last line is "N passed, N failed[, N
# skipped]" and the exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
top=$PWD
logdir=${SPIREC_CHECK_LOGDIR:-$top/.check}
mkdir -p "$logdir"
# Every guest leaves its kernel's release in its output directory (uname);
# those newer than this stamp are this run's (the closing "tested kernels").
started=$logdir/.started
: >"$started"

passed=0 failed=0 skipped=0
failures=()

# count_tap NAME LOGFILE: add the log's top-level TAP results to the totals.
# A failure's entry in the closing list carries the first few "#" lines
# that follow its "not ok" (the why), so that a report that shows only
# the end of the output still says what went wrong.
count_tap() {
	local name=$1 log=$2 line p=0 f=0 s=0 entry='' why=0
	while IFS= read -r line; do
		case "$line" in
		"#"*)
			if [ -n "$entry" ] && [ $why -lt 4 ]; then
				line=${line#"#"}
				entry+=" | ${line#"${line%%[![:space:]]*}"}" why=$((why + 1))
			fi
			continue ;;
		esac
		[ -z "$entry" ] || failures+=("${entry:0:400}")
		entry=
		case "$line" in
		"1..0"*"# SKIP"*|"1..0"*"# skip"*)
			if [ "${CI:-}" = true ]; then
				f=$((f + 1))
				failures+=("$name: the whole suite was skipped under CI=true (${line#*# [Ss][Kk][Ii][Pp]})")
			else
				s=$((s + 1))
			fi ;;
		"not ok "*"# SKIP"*|"ok "*"# SKIP"*|"ok "*"# skip"*) s=$((s + 1)) ;;
		"not ok "*) f=$((f + 1)); entry="$name: ${line#not ok }" why=0 ;;
		"ok "*) p=$((p + 1)) ;;
		esac
	done < <(sed -e 's/^\[[^]]*\] //' "$log")
	[ -z "$entry" ] || failures+=("${entry:0:400}")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	echo "== $name: $p passed, $f failed, $s skipped (log: $log)"
}

# stage NAME CMD...: a build-only stage, one test.
stage() {
	local name=$1; shift
	local log="$logdir/$name.log"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1)); echo "ok - $name"
	else
		failed=$((failed + 1)); failures+=("$name (log: $log)")
		echo "not ok - $name"; tail -n 20 "$log" | sed 's/^/#   /'
	fi
}

# tap_stage NAME CMD...: a stage whose output is TAP; a non-zero exit with
# no failing test line is a failure of its own.
tap_stage() {
	local name=$1; shift
	local log="$logdir/$name.log" rc before=$failed
	"$@" >"$log" 2>&1; rc=$?
	count_tap "$name" "$log"
	if [ $rc -ne 0 ] && [ $failed -eq $before ]; then
		failed=$((failed + 1)); failures+=("$name exited $rc (log: $log)")
		echo "not ok - $name exited $rc"; tail -n 20 "$log" | sed 's/^/#   /'
	fi
}

# The debug kernel (check.d/: KUnit and the selftests in it) takes long to
# build on a cold machine: start that build now, in the background and
# niced, so that it overlaps the stages before it. build.sh holds a lock
# while it builds: whichever of this and a stage's own build.sh takes it
# first builds, the other waits for it and finds the kernel cached (no
# order to wait for here). A warm run finds it cached and this returns at
# once.
kernel_build_pid=
if [ -x selftests/vm/debug-kernel/build.sh ]; then
	nice -n 5 selftests/vm/debug-kernel/build.sh \
		>"$logdir/debug-kernel-prebuild.log" 2>&1 </dev/null &
	kernel_build_pid=$!
fi

# job FILE: sources FILE (a selftests/check.d/ stage file) in a subshell in
# the background, its stages in order. Its output and its totals wait in
# $logdir/jobs/ until join_jobs adds them, in name order, so the report
# reads the same whatever finished first.
jobdir=$logdir/jobs
rm -rf "$jobdir" && mkdir -p "$jobdir"
job_pids=() job_names=()
job() {
	local file=$1 name
	name=$(basename "$file" .sh)
	(
		passed=0 failed=0 skipped=0 failures=()
		# shellcheck source=/dev/null
		. "$file"
		{
			echo "$passed $failed $skipped"
			printf '%s\n' "${failures[@]}"
		} >"$jobdir/$name.counts"
	) >"$jobdir/$name.out" 2>&1 </dev/null &
	job_pids+=($!) job_names+=("$name")
}
join_jobs() {
	local i name p f s line
	for i in "${!job_pids[@]}"; do
		name=${job_names[$i]}
		wait "${job_pids[$i]}"
		echo "-- $name (selftests/check.d/$name.sh)"
		cat "$jobdir/$name.out"
		p= f= s=
		[ -s "$jobdir/$name.counts" ] && read -r p f s <"$jobdir/$name.counts"
		if ! [[ $p =~ ^[0-9]+$ && $f =~ ^[0-9]+$ && $s =~ ^[0-9]+$ ]]; then
			failed=$((failed + 1)); failures+=("check.d/$name.sh did not finish")
			echo "not ok - check.d/$name.sh did not finish"
			continue
		fi
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
		while IFS= read -r line; do
			[ -z "$line" ] || failures+=("$line")
		done < <(tail -n +2 "$jobdir/$name.counts")
	done
}

tap_stage spec selftests/spec-check.py --mutants
stage netlink-gen selftests/netlink-gen --check
tap_stage wait-lib selftests/lib/test-wait.sh
tap_stage vm-scanner selftests/vm/selftest/test-scan-kernel-log
tap_stage tested-kernels selftests/vm/selftest/test-tested-kernels
# What the other stages run: built first, once.
stage build-userspace make -C userspace
stage module make module
[ -f selftests/tools/Makefile ] && stage build-selftest-tools make -C selftests/tools

# The stages of selftests/check.d/*.sh (KUnit and the debug kernel, the
# 6.12 kernel, packaging, faults, ...) run beside the ones below: most of
# their time is spent in QEMU guests, and vm.sh lets SPIREC_VM_SLOTS
# guests (one per CPU) run at once. Each file's own stages stay in order.
for f in selftests/check.d/*.sh; do
	[ -e "$f" ] && job "$f"
done

tap_stage unit make -s -C userspace test
tap_stage fuzz-smoke make -s -C userspace fuzz-smoke
stage module-w1 make module-w1
stage module-sparse make module-sparse
stage module-checkpatch make module-checkpatch
tap_stage ike-interop userspace/ike/tests/interop-charon.sh
tap_stage ike-v1-interop userspace/ike/tests/interop-charon-v1.sh
tap_stage spirecd-recover userspace/spirecd/tests/recover-charon.sh
tap_stage spirecd-guard-charon userspace/spirecd/tests/guard-charon.sh
# The net selftests run on the debug kernel (check.d/20: Debian's 6.1
# source, 6.1.192, as Debian's 6.1.0 build is), on 6.12 and on sid's 7.2;
# Debian's own 6.1 build runs the e2e cases, the faults and the packaged
# module. Its net suite (5 minutes of guest time that repeated the debug
# kernel's cases) is `make check-stock`.
# e2e cases 1-12 here; 13 and later run beside, in a guest of their own
# (check.d/70-e2e-b.sh), so that the two halves share the machine's CPUs.
SPIREC_E2E_OUT=$logdir/e2e SPIREC_E2E_ONLY="$(seq 1 12)" tap_stage e2e selftests/e2e/run.sh

join_jobs
[ -z "$kernel_build_pid" ] || wait "$kernel_build_pid" 2>/dev/null

# The kernels this run's guests booted, exactly (the README's list of
# tested kernels is this block, not a copy of it).
kdirs=("$logdir")
[ "$(realpath "$logdir")" = "$(realpath "$top/.check")" ] || kdirs+=("$top/.check")
selftests/vm/tested-kernels -n "$started" "${kdirs[@]}" | tee "$logdir/tested-kernels"

if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
