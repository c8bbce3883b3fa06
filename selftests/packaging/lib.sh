# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# TAP helpers of the packaging tests (sourced).

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { sed 's/^/# /'; }
# check NAME CMD...: one test; CMD's output (last 30 lines) as diagnostics
# when it fails.
check() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then ok "$name"; else
		not_ok "$name"; printf '%s\n' "$out" | tail -n 30 | diag
	fi
}
# check_log NAME LOG CMD...: like check, CMD's output kept in LOG.
check_log() {
	local name=$1 log=$2; shift 2
	if "$@" >"$log" 2>&1; then ok "$name"; else
		not_ok "$name (log: $log)"; tail -n 30 "$log" | diag
	fi
}
tap_end() { echo "1..$n"; [ $failed -eq 0 ]; }
