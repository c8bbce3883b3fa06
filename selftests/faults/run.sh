#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fault tests of spirec, on the Router A / Router B scenario of the
# end-to-end tests (whose topology, charon and spirecd helpers this script
# sources from selftests/e2e/lib.sh). Each case injects one fault into a
# recovery, checks that nothing crashes (vm.sh scans the guest's kernel
# log), that nothing leaks, that spirecd logs a clear line, and that the
# recovery works once the fault is gone:
#   1 spirecd killed with SIGKILL in the middle of a recovery, started
#     again: the black hole heals
#   2 spirec.ko removed and loaded again under a running spirecd, then
#     Router B loses its state: the black hole heals (e2e case 6 checks
#     the rejoin itself)
#   3 Router B's netns deleted during a spirec-flood attack while spirecd
#     runs in it: the peer table stayed within max_peers and the events
#     within global_rate, spirecd exits on SIGTERM, the table's memory is
#     freed, the module can be removed and loaded (selftests/net/
#     teardown.sh covers the module alone); cases 4 and 5 then build
#     everything anew and heal
#   4 peer unreachable (Router A drops IKE): a clear failure line, hold-
#     down, the black hole stays; the drop removed, it heals
#   5 peer answers garbage (Router A redirects spirecd's IKE to
#     junk-responder): spirecd survives, logs the failure, no descriptor
#     leaks; the redirect gone, it heals
# Cases 2 and 5 go on with the tunnel and spirecd the case before left
# healed (a set-up costs a minute under TCG) and set up anew when it is
# not there. Output: TAP. On the host it boots the test VM once and runs
# itself there.
# Environment: SPIREC_FAULTS_OUT (host: vm.sh -o, default .check/faults),
# SPIREC_FAULTS_CASES (e.g. "1 4"), SPIREC_FAULTS_FLOOD_S (flood seconds
# before the netns is deleted, default 5), SPIREC_E2E_HEAL_WAIT (45 s).

# shellcheck disable=SC2317 # functions run by the waits (slowwait CMD) look unreachable
set -u
fdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ftop=$(cd "$fdir/../.." && pwd)

# shellcheck source=../lib/vm-self.sh
source "$ftop/selftests/lib/vm-self.sh"
in_vm "${SPIREC_FAULTS_OUT:-$ftop/.check/faults}" "${SPIREC_FAULTS_VM_TIMEOUT:-1200}" "$0" "$@"

# The scenario's helpers, a temporary directory and the clean-up trap.
# shellcheck source=../e2e/lib.sh
source "$ftop/selftests/e2e/lib.sh"
e2e_init
FLOOD=$ftop/selftests/tools/build/spirec-flood
JUNK=$ftop/selftests/tools/build/junk-responder
RESULTS=$SPIREC_OUT/faults-results.txt
FLOOD_S=${SPIREC_FAULTS_FLOOD_S:-5}
FLOOD_AFTER_DEL_S=1
# Router A's IKE answers are held this long in case 1: the kill lands
# inside spirecd's exchange.
HOLD_IKE_S=3
# The hold-down of fault_conf: a failed attempt is retried after it.
FAULT_HOLDDOWN_S=3
# Case 5: failed attempts against the junk-responder before it goes.
JUNK_ATTEMPTS=2
F_NCASES=5
F_NAMES=(""
	"spirecd killed with SIGKILL mid-recovery, started again: heals"
	"spirec.ko removed and loaded under spirecd, then a loss: heals"
	"netns deleted during a flood with spirecd in it: bounded, freed, no crash"
	"peer unreachable: clear failure, black hole stays; reachable again: heals"
	"peer answers garbage: spirecd survives, clear failure, no fd leak; then heals")
f_failed=0

fail() { log "FAIL: $*"; F_RC=1; }

# fault_conf FILE: the e2e spirecd configuration (action ikev2,
# known_peers_only = yes) with a short hold-down, so that a failed attempt
# is retried within the test; holddown_max = 3s keeps it short (no
# escalation) however many attempts fail in a row while the fault lasts.
fault_conf() {
	spirecd_conf "$1" ikev2 "$PSK"
	sed -i "s/^holddown = .*/holddown = ${FAULT_HOLDDOWN_S}s\nholddown_max = ${FAULT_HOLDDOWN_S}s/" "$1"
}

# wait_log REGEX SECONDS: until spirecd's log has a matching line.
# Only lines from LOG_FROM on count (a reused spirecd's log has the
# previous case's lines).
LOG_FROM=1
wait_log() { slowwait "$2" new_log_has "$1"; }
new_log() { tail -n "+$LOG_FROM" "$tmp/spirecd.log"; }
new_log_has() { new_log | grep -Eq "$1"; }

# no_spirecd_left: no spirecd process in the guest.
no_spirecd_left() {
	local c name
	for c in /proc/[0-9]*/comm; do
		# read, not cat: a process per entry is slow under TCG.
		read -r name < "$c" 2>/dev/null || continue
		[ "$name" = spirecd ] && return 1
	done
	return 0
}

fd_count() { local f=(/proc/"$1"/fd/*); echo "${#f[@]}"; }

# heal_after LABEL: waits for the black hole (since $AT) to heal.
heal_after() {
	local t0=$SECONDS
	if wait_healed "$HEAL_WAIT" "$AT"; then
		heal_confirmed "$AT"
		record "$1: healed, black hole $BH_MS ms, $((SECONDS - t0)) s after the fault was gone"
		return 0
	fi
	fail "$1: still black-holed $HEAL_WAIT s after the fault was gone"
	diag < "$tmp/spirecd.log"
	tail -n 30 "$RA/charon.log" | diag
	return 1
}

# scenario: the tunnel up with spirecd (fault_conf) in Router B. Reuses
# what the previous case left when spirecd still runs and Host 1 reaches
# Host 2 (a full set-up costs a minute under TCG), else sets up anew.
scenario() {
	fault_conf "$tmp/spirecd.conf"
	[ -n "${PING_PID:-}" ] && ping_stop
	PING_PID=
	if kill -0 "${SPIRECD_PID:-0}" 2>/dev/null && slowwait 2 h1_reaches_h2; then
		log "reusing the previous case's tunnel and spirecd"
		LOG_FROM=$(($(wc -l < "$tmp/spirecd.log") + 1))
		return 0
	fi
	LOG_FROM=1
	{ setup trap && spirecd_start "$tmp/spirecd.conf"; } > "$tmp/setup.out" 2>&1 ||
		{ diag < "$tmp/setup.out"; return 1; }
}

# loss_with_ping: ping running and answered, then Router B loses its state.
loss_with_ping() {
	ping_start
	ping_flowing || { echo "no ping answered before the loss"; return 1; }
	AT=$(last_answered)
	lose_state_rb
}

# hold_ike NS DEV SECONDS: IKE packets (UDP from port 500 or 4500) leaving
# DEV wait SECONDS in a netem queue; everything else passes as before.
hold_ike() {
	modprobe -q sch_netem
	tc -n "$1" qdisc add dev "$2" root handle 1: prio &&
	tc -n "$1" qdisc add dev "$2" parent 1:3 handle 30: netem delay "${3}s" &&
	tc -n "$1" filter add dev "$2" parent 1:0 protocol ip prio 1 u32 \
		match ip protocol 17 0xff match ip sport 500 0xffff flowid 1:3 &&
	tc -n "$1" filter add dev "$2" parent 1:0 protocol ip prio 2 u32 \
		match ip protocol 17 0xff match ip sport 4500 0xffff flowid 1:3
}

case_sigkill() {
	fault_conf "$tmp/spirecd.conf"
	# Router A's IKE answers take 3 s: the kill lands inside the exchange.
	{ setup trap && hold_ike $NS_RA ra-wan "$HOLD_IKE_S" && spirecd_start "$tmp/spirecd.conf" &&
	  loss_with_ping; } > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	wait_log "sending IKE_SA_INIT" 30 ||
		{ fail "no recovery started"; diag < "$tmp/spirecd.log"; return 1; }
	kill -9 "$SPIRECD_PID"
	wait "$SPIRECD_PID" 2>/dev/null
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-sigkill-1.log"
	grep -E "starting|IKE_SA_INIT" "$tmp/spirecd.log" | diag
	grep -Eq "spi 0x[0-9a-f]*: .*hold-down" "$tmp/spirecd.log" &&
		fail "the attempt had finished before the kill: not mid-recovery"
	no_spirecd_left || fail "a spirecd process is left after SIGKILL"
	tc -n $NS_RA qdisc del dev ra-wan root
	# Recovery by a new spirecd; Router A still sends to the lost SA.
	spirecd_start "$tmp/spirecd.conf" > "$tmp/restart.out" 2>&1 ||
		{ fail "spirecd did not start again"; diag < "$tmp/restart.out"; return 1; }
	heal_after "sigkill"
	grep -E "started|listening|starting|hold-down" "$tmp/spirecd.log" | diag
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-sigkill-2.log"
}

case_reload() {
	local n0 n1
	scenario || return 1
	n0=$(new_log | grep -c "listening on generic netlink")
	rmmod spirec || { fail "rmmod spirec"; return 1; }
	wait_log "spirec family gone" 10 || fail "spirecd logged nothing about the unload"
	load_kmod || { fail "insmod"; return 1; }
	joined_again() { n1=$(new_log | grep -c "listening on generic netlink"); [ "$n1" -gt "$n0" ]; }
	slowwait 20 joined_again || { fail "spirecd did not join again"; diag < "$tmp/spirecd.log"; return 1; }
	# spirecd puts net.spirec.enabled and the known peers back.
	enabled_back() { [ "$(in_ns $NS_RB cat /proc/sys/net/spirec/enabled 2>/dev/null)" = 1 ]; }
	slowwait 20 enabled_back || fail "net.spirec.enabled not back to 1 after the reload"
	new_log | grep -E "gone|registered|listening" | diag
	loss_with_ping > "$tmp/loss.out" 2>&1 || { diag < "$tmp/loss.out"; return 1; }
	heal_after "reload"
	kill -0 "$SPIRECD_PID" 2>/dev/null || fail "spirecd died"
}

# kmalloc objects in use (where spirec allocates its peers).
kmalloc_objs() { awk '$1 ~ /^kmalloc-[0-9]+k?$/ { n += $2 } END { print n + 0 }' /proc/slabinfo; }
settle() { sleep 2; echo 3 > /proc/sys/vm/drop_caches; sleep 1; }

case_netns_del() {
	local objs0 objs1 flood stats peers maxp events rate t0 t1 ev0
	# No tunnel needed: the four namespaces and spirecd in Router B's.
	fault_conf "$tmp/spirecd.conf"
	{ teardown; topology && spirecd_start "$tmp/spirecd.conf"; } > "$tmp/setup.out" 2>&1 ||
		{ diag < "$tmp/setup.out"; return 1; }
	settle
	objs0=$(kmalloc_objs)
	ip -n $NS_RA addr add 2001:db8:e2e::1/64 dev ra-wan nodad
	ip -n $NS_RB addr add 2001:db8:e2e::2/64 dev rb-wan nodad
	# A listener that takes every event: the limit is the kernel's.
	in_ns $NS_RB "$SPIRECCTL" known add 198.51.100.128/25 > /dev/null
	in_ns $NS_RB "$SPIRECCTL" known add 2001:db8:e2e::/64 > /dev/null
	maxp=$(in_ns $NS_RB cat /proc/sys/net/spirec/max_peers)
	rate=$(in_ns $NS_RB cat /proc/sys/net/spirec/global_rate)
	ev0=$(in_ns $NS_RB "$SPIRECCTL" -j stats | sed -n 's/.*"events": *\([0-9]*\).*/\1/p')
	t0=$EPOCHREALTIME
	ip netns exec $NS_RA "$FLOOD" -4 198.51.100.2 --src4 198.51.100.128/25 \
		-6 2001:db8:e2e::2 --src6 2001:db8:e2e::/64 -t 120 > "$tmp/flood.out" 2>&1 &
	flood=$!
	pids+=("$flood")
	sleep "$FLOOD_S"
	stats=$(in_ns $NS_RB "$SPIRECCTL" -j stats)
	t1=$EPOCHREALTIME
	peers=$(sed -n 's/.*"peer_count": *\([0-9]*\).*/\1/p' <<<"$stats")
	events=$(sed -n 's/.*"events": *\([0-9]*\).*/\1/p' <<<"$stats")
	log "during the flood: $stats"
	[ -n "$peers" ] && [ "$peers" -gt 0 ] || fail "no peer in the table: the flood did not arrive"
	[ "${peers:-0}" -le "$maxp" ] || fail "peer table $peers > max_peers $maxp"
	# Bucket: global_rate per second plus a burst of global_rate.
	local allowed
	allowed=$(awk -v r="$rate" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d\n", r * (b - a) + r + 1 }')
	[ $((events - ev0)) -le "$allowed" ] || fail "$((events - ev0)) events in $FLOOD_S s, more than global_rate $rate allows ($allowed)"
	record "netns-del: during the flood: $peers peers (max $maxp), $((events - ev0)) events (at most $allowed)"
	# The fault: Router B's namespace goes away under the flood; the
	# processes in it end (spirecd on SIGTERM, charon), so it is freed.
	ip netns del $NS_RB || fail "ip netns del"
	kill "$SPIRECD_PID"
	wait "$SPIRECD_PID" 2>/dev/null
	grep -q "exiting" "$tmp/spirecd.log" || fail "spirecd logged no exit line"
	grep "exiting" "$tmp/spirecd.log" | diag
	# The flood goes on a while at the namespace that is gone (the
	# subject: its tear-down under load).
	sleep "$FLOOD_AFTER_DEL_S"
	kill -INT $flood
	wait $flood
	log "flood: $(cat "$tmp/flood.out")"
	no_spirecd_left || fail "a spirecd process is left"
	teardown > /dev/null 2>&1
	settle
	objs1=$(kmalloc_objs)
	record "netns-del: kmalloc objects $objs0 before, $objs1 after (peer table had $peers)"
	[ $((objs1 - objs0)) -le $((peers / 4 + 300)) ] ||
		fail "$((objs1 - objs0)) more kmalloc objects than before the flood: the table of the deleted netns leaked?"
	rmmod spirec || fail "rmmod spirec after the netns was deleted"
	load_kmod || fail "insmod spirec"
}

case_unreachable() {
	local fd0 fd1
	scenario || return 1
	fd0=$(fd_count "$SPIRECD_PID")
	# The fault: Router A drops every IKE packet from Router B.
	in_ns $NS_RA nft -f - <<-EOF || { fail "nft"; return 1; }
		table inet fault {
			chain in {
				type filter hook input priority 0;
				ip saddr 198.51.100.2 udp dport { 500, 4500 } counter drop
			}
		}
	EOF
	loss_with_ping > "$tmp/loss.out" 2>&1 || { diag < "$tmp/loss.out"; return 1; }
	wait_log "spi 0x[0-9a-f]*: .*hold-down" 40 ||
		{ fail "no failure logged while the peer was unreachable"; diag < "$tmp/spirecd.log"; }
	new_log | grep -E "spi 0x[0-9a-f]*: .*hold-down" | head -n 2 | diag
	new_log | grep -Eq "spi 0x[0-9a-f]*: .*(timeout|timed out|no answer|no response)" ||
		fail "the failure line does not say the peer did not answer"
	blackhole "$AT"
	[ -z "$BH_FIRST_OK" ] || fail "traffic came back while the peer was unreachable?"
	in_ns $NS_RA nft list ruleset | grep -q "counter packets [1-9]" ||
		fail "the drop rule saw no IKE packet"
	# The fault goes away.
	in_ns $NS_RA nft delete table inet fault
	heal_after "unreachable"
	fd1=$(fd_count "$SPIRECD_PID")
	log "spirecd descriptors: $fd0 before, $fd1 after"
	[ "$fd1" -le $((fd0 + 1)) ] || fail "spirecd holds $((fd1 - fd0)) more descriptors"
}

# junk_failures N: spirecd has logged N failed attempts (each ends in its
# hold-down) since LOG_FROM.
junk_failures() { [ "$(new_log | grep -cE "spi 0x[0-9a-f]*: .*hold-down")" -ge "$1" ]; }

case_garbage() {
	local fd0 fd1 junk
	scenario || return 1
	fd0=$(fd_count "$SPIRECD_PID")
	# The fault: what Router B sends to Router A's UDP 500 from a port
	# other than 500 (spirecd's initiator; charon B answers from 500)
	# goes to the junk-responder instead of charon A. Each recovery
	# attempt uses a new port, so once the table is gone the next one
	# reaches charon A again.
	ip netns exec $NS_RA "$JUNK" -p 5500 > "$tmp/junk.out" 2>&1 &
	junk=$!
	pids+=("$junk")
	slowwait 20 grep -q listening "$tmp/junk.out" || { fail "junk-responder did not start"; diag < "$tmp/junk.out"; return 1; }
	in_ns $NS_RA nft -f - <<-EOF || { fail "nft"; return 1; }
		table ip fault {
			chain pre {
				type nat hook prerouting priority dstnat;
				ip saddr 198.51.100.2 udp dport 500 udp sport != 500 counter redirect to :5500
			}
		}
	EOF
	loss_with_ping > "$tmp/loss.out" 2>&1 || { diag < "$tmp/loss.out"; return 1; }
	wait_log "spi 0x[0-9a-f]*: .*hold-down" 40 ||
		{ fail "no failure logged while the peer answered junk"; diag < "$tmp/spirecd.log"; }
	# Let it try again (after each hold-down) against more kinds of junk.
	slowwait $((JUNK_ATTEMPTS * (FAULT_HOLDDOWN_S + 10))) junk_failures "$JUNK_ATTEMPTS" ||
		fail "fewer than $JUNK_ATTEMPTS failed attempts against the junk-responder"
	blackhole "$AT"
	[ -z "$BH_FIRST_OK" ] || fail "traffic came back while the peer answered junk?"
	# The fault goes away.
	in_ns $NS_RA nft delete table ip fault
	kill -INT $junk
	wait $junk
	log "junk-responder: $(tail -n 1 "$tmp/junk.out")"
	grep -q "answered [1-9]" "$tmp/junk.out" || fail "the junk-responder answered nothing"
	new_log | grep -E "spi 0x[0-9a-f]*: .*hold-down|ike:" | grep -v debug: | head -n 8 | diag
	new_log | grep -Eq "malformed|truncated|invalid" ||
		fail "no line says what was wrong with the answer"
	kill -0 "$SPIRECD_PID" 2>/dev/null || { fail "spirecd died on junk"; diag < "$tmp/spirecd.log"; return 1; }
	heal_after "garbage"
	fd1=$(fd_count "$SPIRECD_PID")
	log "spirecd descriptors: $fd0 before, $fd1 after"
	[ "$fd1" -le $((fd0 + 1)) ] || fail "spirecd holds $((fd1 - fd0)) more descriptors"
}

f_want() { [ -z "${SPIREC_FAULTS_CASES:-}" ] || [[ " $SPIREC_FAULTS_CASES " == *" $1 "* ]]; }

echo "TAP version 13"
echo "1..$F_NCASES"
skip_all=
[ "$(id -u)" = 0 ] || skip_all="needs root"
[ -x "$CHARON" ] || skip_all="no charon at $CHARON"
command -v swanctl > /dev/null || skip_all="no swanctl"
command -v nft > /dev/null || skip_all="no nft (nftables)"
for p in openssl gcm vici kernel-netlink; do
	[ -e /usr/lib/ipsec/plugins/libstrongswan-$p.so ] ||
		skip_all="charon plugin $p missing (libstrongswan-standard-plugins)"
done
[ -x "$SPIRECD" ] || skip_all="no $SPIRECD (make -C userspace)"
[ -x "$FLOOD" ] && [ -x "$JUNK" ] || skip_all="no $FLOOD or $JUNK (make -C selftests/tools)"
if [ -z "$skip_all" ]; then
	[ -f "$KMOD" ] || skip_all="$KMOD not built (make module)"
	# Our own copy: cases load it again, the tree's may be rebuilt by then.
	[ -n "$skip_all" ] || { cp "$KMOD" "$tmp/spirec.ko" && KMOD=$tmp/spirec.ko; }
	if [ -z "$skip_all" ] && [ ! -d /sys/module/spirec ]; then
		load_kmod 2>&1 | diag
		[ -d /sys/module/spirec ] || { echo "Bail out! cannot load $KMOD"; exit 1; }
	fi
fi
if [ -n "$skip_all" ]; then
	for n in $(seq $F_NCASES); do echo "ok $n - faults: ${F_NAMES[$n]} # SKIP $skip_all"; done
	exit 0
fi
: > "$RESULTS"
t_all=$SECONDS
warm_up_crypto
for n in $(seq $F_NCASES); do
	if ! f_want "$n"; then
		echo "ok $n - faults: ${F_NAMES[$n]} # SKIP not selected"
		continue
	fi
	t0=$SECONDS
	F_RC=0
	log "--- case $n ($(printf '%(%T)T' -1))"
	case $n in
	1) case_sigkill ;;
	2) case_reload ;;
	3) case_netns_del ;;
	4) case_unreachable ;;
	5) case_garbage ;;
	esac
	[ $? = 0 ] || F_RC=1
	# A failed case leaves nothing for the next one to reuse.
	[ $F_RC = 0 ] || teardown > /dev/null 2>&1
	log "case $n: $((SECONDS - t0)) s"
	if [ $F_RC = 0 ]; then
		echo "ok $n - faults: ${F_NAMES[$n]}"
	else
		f_failed=$((f_failed + 1))
		echo "not ok $n - faults: ${F_NAMES[$n]}"
	fi
done
teardown
log "faults: $F_NCASES cases, $f_failed failed, $((SECONDS - t_all)) s"
[ "$f_failed" = 0 ]
