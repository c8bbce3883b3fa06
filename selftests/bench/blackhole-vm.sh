#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# blackhole-vm.sh: one run of blackhole.sh, inside the test VM (vm.sh runs
# it). Runs the Router A / Router B scenario of selftests/e2e/run.sh twice
# in this boot:
#   quiet/  cases 1 2 3 (baseline, ikev2, vici) as they are
#   flood/  case 2 (ikev2) while spirec-flood hits Router B: from the
#           moment Host 1 starts pinging (before Router B loses its state)
#           until the black hole has healed, random SPIs from random
#           spoofed sources (IPv4 198.51.100.128/25, IPv6
#           2001:db8:e2e:0:8000::/65; never Router A's address), ESP and
#           ESP-in-UDP 4500, as fast as one sender goes (or at
#           SPIREC_BENCH_ATTACK_RATE packets per second). spirecd's
#           configuration has known_peers_only = yes: only Router A is a
#           known peer.
# SPIREC_BENCH_ORDER=flood-first runs the flood part first (blackhole.sh
# alternates the order between runs). Results: $SPIREC_OUT/quiet/ and
# $SPIREC_OUT/flood/ (e2e-results.txt, e2e-trace.log, logs), plus
# $SPIREC_OUT/flood/attack.txt (flood summary, spirec counters of Router
# B at the end).

# shellcheck disable=SC2317 # functions run by the waits (slowwait CMD) look unreachable
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
[ -n "${SPIREC_OUT:-}" ] || { echo "run by blackhole.sh through vm.sh" >&2; exit 2; }
# shellcheck source-path=SCRIPTDIR source=../lib/wait.sh
source "$top/selftests/lib/wait.sh"
E2E=$top/selftests/e2e/run.sh
FLOOD=$top/selftests/tools/build/spirec-flood
SPIRECCTL=$top/userspace/build/spirecctl
out=$SPIREC_OUT
rc=0

quiet() {
	mkdir -p "$out/quiet"
	SPIREC_OUT=$out/quiet SPIREC_E2E_CASES="1 2 3 19" "$E2E" > "$out/quiet/ktap" 2>&1 || rc=1
	cat "$out/quiet/ktap"
}

# contains FILE WORD: FILE has WORD (no process: TCG makes forks dear).
contains() { [ -f "$1" ] && [[ $(< "$1") == *"$2"* ]]; }

# attack_over TRACE PID: case 2's ping stopped, or the flood PID ended.
attack_over() { contains "$1" ping_stop || pid_gone "$2"; }

# attacker TRACE ATTACK: waits for case 2's ping to start, floods Router B
# from Router A's namespace until the ping stops, then records.
attacker() {
	local trace=$1 att=$2 pid
	slowwait 300 contains "$trace" ping_start || { echo "no ping_start in $trace" > "$att"; return; }
	ip -n e2e-ra addr add 2001:db8:e2e::1/64 dev ra-wan nodad 2>> "$att"
	ip -n e2e-rb addr add 2001:db8:e2e::2/64 dev rb-wan nodad 2>> "$att"
	ip netns exec e2e-ra "$FLOOD" -4 198.51.100.2 --src4 198.51.100.128/25 \
		-6 2001:db8:e2e::2 --src6 2001:db8:e2e:0:8000::/65 -t 900 \
		${SPIREC_BENCH_ATTACK_RATE:+-r $SPIREC_BENCH_ATTACK_RATE} >> "$att" 2>&1 &
	pid=$!
	echo "flood started $(date -u +%T.%N)" >> "$att"
	slowwait 900 attack_over "$trace" "$pid" || echo "case 2 still pinging after 900 s" >> "$att"
	echo "ping stopped $(date -u +%T.%N)" >> "$att"
	{
		echo "known list:"
		ip netns exec e2e-rb "$SPIRECCTL" known list
		echo "net.spirec.known_peers_only = $(ip netns exec e2e-rb cat /proc/sys/net/spirec/known_peers_only)"
		ip netns exec e2e-rb "$SPIRECCTL" stats
		ip netns exec e2e-rb awk '$1 == "XfrmInNoStates"' /proc/net/xfrm_stat
	} >> "$att" 2>&1
	kill -INT $pid
	wait $pid
}

flood() {
	mkdir -p "$out/flood"
	: > "$out/flood/e2e-trace.log"
	attacker "$out/flood/e2e-trace.log" "$out/flood/attack.txt" &
	local apid=$!
	rm -rf /tmp/spirec-e2e.*
	SPIREC_OUT=$out/flood SPIREC_E2E_CASES="2" SPIREC_E2E_KEEP=1 "$E2E" > "$out/flood/ktap" 2>&1 || rc=1
	kill $apid 2>/dev/null
	wait $apid
	# The flood also costs a ping now and then, before the loss too, which
	# run.sh's measure (first lost ping after the last answered one before
	# the loss) takes for the black hole. The black hole is the longest
	# run of unanswered pings: its length times 100 ms.
	cp "$out/flood/ping-ikev2.out" "$out/flood/ping.out" 2>/dev/null ||
		cp /tmp/spirec-e2e.*/ping.out "$out/flood/ping.out" 2>/dev/null
	rm -rf /tmp/spirec-e2e.*
	[ -f "$out/flood/ping.out" ] && awk '
		/bytes from/ { match($0, /icmp_seq=[0-9]+/)
			s = substr($0, RSTART + 9, RLENGTH - 9) + 0
			if (prev != "" && s - prev - 1 > gap) { gap = s - prev - 1; from = prev + 1 }
			prev = s }
		END { if (gap > 0) printf "longest gap: %d pings lost (%d..%d), %d ms\n", gap, from, from + gap - 1, gap * 100 }
	' "$out/flood/ping.out" | tee "$out/flood/longest-gap.txt"
	sed 's/^/# flood: /' "$out/flood/attack.txt"
	cat "$out/flood/ktap"
}

[ -x "$FLOOD" ] || { echo "$FLOOD not built (make -C selftests/tools)"; exit 1; }
if [ "${SPIREC_BENCH_ORDER:-quiet-first}" = flood-first ]; then
	flood; quiet
else
	quiet; flood
fi
exit $rc
