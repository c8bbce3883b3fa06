#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test-wait.sh: the waits of wait.sh do what they say, on the host (no VM,
# no root, about 5 s): each returns as soon as it may and fails on its
# time-out. The upper bounds are loose: a loaded machine is slow. TAP,
# exit 0 when all passed.
# shellcheck disable=SC2317 # functions run by the waits look unreachable

set -u
# shellcheck source-path=SCRIPTDIR source=wait.sh
source "$(dirname "${BASH_SOURCE[0]}")/wait.sh"

n=0 failed=0
t() { # NAME CONDITION...
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - wait.sh: $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - wait.sh: $name (WAITED_MS $WAITED_MS)"
	fi
}
between() { [ "$WAITED_MS" -ge "$1" ] && [ "$WAITED_MS" -le "$2" ]; }
tries=0
third_try() { tries=$((tries + 1)); [ $tries -ge 3 ]; }

echo "TAP version 13"
echo "1..9"
slowwait 1 false
t "slowwait fails after its time-out" between 1000 3000
tries=0
slowwait 5 third_try
t "slowwait returns at the first success, tries every 0.1 s" between 150 2000
busywait 300 false
t "busywait fails after its time-out (ms)" between 300 2000
slowwait 1 true
t "slowwait true returns at once" between 0 1000
holds 0.5 true
t "holds true lasts its time" between 500 2500
holds 2 false
t "holds false fails at once" between 0 1000
tries=0
holds 3 not third_try
t "holds fails at the first failure" between 300 2500
SPIREC_TIMEOUT_SCALE=2 slowwait 1 false
t "SPIREC_TIMEOUT_SCALE multiplies the time-out" between 2000 4000
sleep 60 &
p=$!
stop_pid "$p" 5
t "stop_pid ends a process" pid_gone "$p"
[ "$failed" = 0 ]
