# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# wait.sh: waiting without guessing, and diagnostics, for every shell test
# of spirec: selftests/net (through its lib.sh), selftests/e2e (lib.sh),
# selftests/faults, selftests/bench and demo/demo.sh. Sourcing it defines
# functions only.
#
# A test that waits for something polls for it with a time-out that fails
# the test, instead of sleeping a guessed time:
#
#   slowwait 30 grep -q "listening" "$log" || fail "spirecd did not start"
#
# The time-out is generous (a guest under TCG on a loaded machine is 3 to
# 5 times slower than an idle one); the typical wait is what the awaited
# thing takes, plus at most one poll period. A wait for something *not* to
# happen has no event to poll for: `holds S CMD...` checks that CMD stays
# true for S seconds, S derived from the configured value the test is
# about (a hold-down, a time-out), and fails as soon as it does not.
#
# The shape follows the waiting helpers of the Linux kernel's network
# selftests (busywait, slowwait in tools/testing/selftests/net/lib.sh,
# https://docs.kernel.org/dev-tools/kselftest.html): poll CMD until it
# succeeds or the time-out passes, return its failure.
#
# Under TCG every process costs 0.1 to 0.7 s: the waits run CMD in this
# shell (a function may set variables) and pause without a process (nap).
#
# Environment: SPIREC_TIMEOUT_SCALE (an integer, default 1): every
# time-out of busywait and slowwait multiplied by it, for a machine slower
# than the time-outs assume. It does not change what holds waits: that is
# the test's subject.

# WAITED_MS: how long the last busywait, slowwait or holds took.
WAITED_MS=0
_NAP_FD=

# nap SECONDS: sleep without starting a process (a read with a time-out
# on a pipe nobody writes to); falls back to sleep(1).
nap() {
	if [ -z "$_NAP_FD" ]; then
		exec {_NAP_FD}<> <(:) || _NAP_FD=none
	fi
	if [ "$_NAP_FD" = none ]; then
		sleep "$1"
	else
		read -r -t "$1" -u "$_NAP_FD"
	fi
	return 0
}

# _wait_loop UNTIL|HOLD PERIOD_S TIMEOUT_MS CMD...: the poll behind the
# waits. UNTIL: true as soon as CMD succeeds, false when it has not by the
# time-out. HOLD: false as soon as CMD fails, true when it never did. CMD
# is tried once more after the time-out has passed, so a starved guest that
# slept through the deadline still gets its answer.
_wait_loop() {
	local _w_mode=$1 _w_period=$2 _w_limit=$3 _w_t0 _w_now _w_ok
	shift 3
	_w_t0=${EPOCHREALTIME//[.,]/}
	while :; do
		_w_ok=1
		"$@" || _w_ok=0
		_w_now=${EPOCHREALTIME//[.,]/}
		WAITED_MS=$(((_w_now - _w_t0) / 1000))
		if [ "$_w_mode" = UNTIL ]; then
			[ $_w_ok = 1 ] && return 0
		else
			[ $_w_ok = 0 ] && return 1
		fi
		if [ "$WAITED_MS" -ge "$_w_limit" ]; then
			[ "$_w_mode" = HOLD ]
			return
		fi
		nap "$_w_period"
	done
}

# busywait TIMEOUT_MS CMD...: until CMD succeeds, tried every 20 ms; false
# if it has not after TIMEOUT_MS. For short waits on cheap commands
# (functions, files, /proc): a process each try is not cheap.
busywait() {
	local ms=$1
	shift
	_wait_loop UNTIL 0.02 $((ms * ${SPIREC_TIMEOUT_SCALE:-1})) "$@"
}

# slowwait TIMEOUT_S CMD...: until CMD succeeds, tried every 0.1 s; false
# if it has not after TIMEOUT_S seconds. CMD's arguments are expanded
# once: to wait for a changing value, poll a function that reads it.
slowwait() {
	local s=$1
	shift
	_wait_loop UNTIL 0.1 $((s * 1000 * ${SPIREC_TIMEOUT_SCALE:-1})) "$@"
}

# holds SECONDS CMD...: CMD stays true for SECONDS (a decimal number;
# tried every 0.2 s); false at its first failure. For "nothing happens
# within the hold-down": SECONDS comes from the configured value.
holds() {
	local i=${1%.*} f=000
	[[ $1 == *.* ]] && f=${1#*.}000
	shift
	_wait_loop HOLD 0.2 $((10#${i:-0} * 1000 + 10#${f:0:3})) "$@"
}

# not CMD...: true when CMD fails (for the waits: `slowwait 5 not CMD`).
not() { ! "$@"; }

# pid_gone PID: the process has exited (or was never ours).
pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# stop_pid PID [TIMEOUT_S]: SIGTERM, up to TIMEOUT_S (5) for it to exit,
# then SIGKILL; reaped either way.
stop_pid() {
	kill "$1" 2>/dev/null
	slowwait "${2:-5}" pid_gone "$1" || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# log TEXT...: TEXT as one diagnostic line (KTAP/TAP "# ").
log() { echo "# $*"; }

# diag: standard input (a command's output, a log) as diagnostic lines.
diag() { sed 's/^/# /'; }
