#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# End-to-end tests of spirec: the Router A / Router B black hole.
#
#   Host 1 ── Router A ═══ IPsec tunnel ═══ Router B ── Host 2
#   192.0.2.10  192.0.2.1                  203.0.113.1  203.0.113.10
#               198.51.100.1 ─────────── 198.51.100.2
#
# Both routers run a real strongSwan charon (tunnel mode between
# 192.0.2.0/24 and 203.0.113.0/24, IKEv2 PSK). Host 1 pings Host 2 every
# 100 ms. Router B then loses its IPsec state: charon killed with SIGKILL,
# `ip xfrm state flush`, `ip xfrm policy flush`, charon started again with
# its configuration (it only responds). Router A keeps sending ESP for SAs
# Router B no longer has: a black hole. Cases:
#   1 baseline, no spirecd: the black hole lasts (SPIREC_E2E_BASELINE_WAIT s)
#   2 spirecd action ikev2, Router A with start_action = trap: heals
#   3 spirecd action vici, Router A without trap: heals
#   4 spirecctl peers on Router B shows Router A with the invalid SPI
#   5 wrong PSK in spirecd.conf: no recovery, a clear log line, Router A's
#     IKE and CHILD SAs left as they were
#   6 spirec.ko unloaded and loaded again under a running spirecd: it joins
#     the events group again and puts its known peers and sysctls back
#   7 spirecd action hint: the unprotected INVALID_SPI notify (RFC 7296
#     1.5) reaches Router A's charon, which ignores it: SAs unchanged, the
#     black hole stays. A hint sent to Router B gets no answer.
#   8 events lost (ENOBUFS): spirecd with a tiny receive buffer, stopped
#     while 100 spoofed sources and then a configured peer send unknown
#     SPIs; resumed, it logs the overrun, re-reads the peer table and runs
#     the configured peer's action (exec) all the same
#   9-12 spoofed while healthy, actions ikev2, vici, exec, hint (one tunnel,
#     set up anew only when a case left it disturbed): a third host on the
#     WAN (bridged) sends ESP and AH with Router A's IPv4 and IPv6 source
#     addresses and random SPIs, 5 bursts over 10 s (spirecd hold-down
#     3 s); Router A's IKE SA keeps its unique id and SPIs, no
#     INITIAL_CONTACT reaches it, no ping is lost, spirecd logs the events
#     as "not a black hole" and the module's not_blackhole counter rises
#  13 rekey storm: CHILD SAs re-keyed every 6 s and the IKE SA every 12 s
#     under traffic until Router A saw 5 CHILD and 2 IKE re-keys (about
#     25 s; SPIREC_E2E_STORM_*), spirecd (ikev2) on both routers: no
#     recovery started, every IKE SA came from a re-key, at most
#     SPIREC_E2E_STORM_MAX_LOST (2) pings lost
#  14 VTI: a route-based tunnel (mark_in/mark_out 42, vti0 key 42 on both
#     routers): no event, the other_mark counter rises, same IKE SA, no
#     ping lost
#  15 host-to-host transport mode between the routers (the whole address
#     pair, every protocol), Router B's charon with start_action = trap:
#     after the loss Router B's trap policy covers spirecd's own IKE
#     packets to Router A; spirecd's per-socket IPsec bypass lets its
#     ikev2 exchange through (INVALID_SPI answered) and Router A's
#     pings to Router B come back
#  16 NAT: Router A behind a masquerading NAT, ESP in UDP; ikev2 heals
#     through the NAT mapping
#  17 IKEv1: both charons with version = 1 (Main Mode PSK, Quick Mode),
#     Router A with trap; Router B loses its state: still black-holed
#     after SPIREC_E2E_V1_BASELINE_WAIT s without spirecd, then spirecd
#     (action ikev1) starts and heals it: its Main Mode's INITIAL-CONTACT
#     makes Router A's charon destroy the stale ISAKMP SA, its
#     Informational Deletes the stale SPI, Router A re-keys with Router B
#  18 IKEv1 with an AH child (ah_proposals = sha256): the same, the events
#     are AH, spirecd's Delete and INVALID-SPI name protocol AH
#  19 IKEv1 measured as case 2: spirecd (action ikev1) running before the
#     loss, the black hole and its time line (make bench:
#     blackhole_s_ikev1)
#  20 IKEv1 with libreswan's pluto as Router A (auto=ondemand; the .deb
#     make deps unpacks under /var/cache/spirec/libreswan, skipped without it):
#     black-holed without spirecd, then spirecd (action ikev1) starts;
#     pluto ignores INITIAL-CONTACT and INVALID-SPI but must act on the
#     Delete of the stale SPI: the SA leaves Router A's kernel. Whether
#     traffic comes back is recorded, not required: pluto revives the SA
#     with Quick Mode over its stale ISAKMP SA, which Router B lost, and
#     retries that without end (no DPD configured)
#  21 systemd: `make install` in the VM, systemd (PID 1 of a container in
#     the VM, selftests/e2e/systemd-container) starts spirecd.service from
#     the installed unit plus a drop-in (NetworkNamespacePath= Router B's,
#     the log file, Router B's charon directory); it heals (ikev2) as the
#     user spirecd with CapEff = CapBnd = CAP_NET_ADMIN + CAP_NET_RAW;
#     `systemd-analyze security` against that manager printed
#  22-25 libreswan: Router A is Debian's pluto 4.10 (unpacked by make deps,
#     run by lib-libreswan.sh), Router B charon + spirecd: 22 action vici
#     heals within 5 s of Router B's charon ready; 23 action ikev2 within
#     90 s (pluto re-uses its stale IKE SA until its 60 s retransmit
#     time-out); 24 ikev2 with pluto's retransmit-timeout=5s within 20 s;
#     25 with dpdaction=restart as well (and dpddelay, dpdtimeout: pluto
#     4.10 ignores dpdaction without both), within 15 s. Each checks that
#     both routers hold the same ESP SAs afterwards and that spirecd's
#     verdict (healed in N ms / no SA from the peer) is true
#  26 several routing domains: a second Router A / Router B pair in
#     namespaces e2e2-* (same addresses); spirecd@e2e-rb and
#     spirecd@e2e2-rb (the installed template, systemd in case 21's
#     container, ikev2); both Router Bs lose their state at once; each
#     domain heals through its own tunnel, each instance recovers its own
#     peer only, runs in its namespace, and spirecctl -n NAME status shows
#     its own process, peer and recoveries
#  27-29 the hub (lib-hub.sh; only when SPIREC_E2E_ONLY names them): a hub
#     charon and SPIREC_HUB_N spokes (one charon holding N addresses, a
#     trap tunnel each, every spoke pinging); the hub loses its state;
#     27 spirecd (ikev2, a [peer] per spoke) and 28 (vici) recover every
#     spoke, same ESP SAs on both sides; 29 without spirecd none recovers
# The black hole of each run is measured in ping sequence numbers: from
# the first unanswered ping to the first answered one after it, times
# 100 ms. Results also go to $SPIREC_OUT/e2e-results.txt. Cases 2 and 3
# also write $SPIREC_OUT/timeline-NAME.txt: milliseconds from Router B's
# loss to each step of the recovery (logs of both charons, spirecd, ping).
#
# On the host this script boots the test VM (selftests/vm/vm.sh) and runs
# itself there; in the VM (SPIREC_OUT set, needs root) it runs the cases.
# Output: KTAP, exit status 0 when every case passed.
#
# Environment: SPIREC_E2E_BASELINE_WAIT (default 20 s; 60 for benchmarks),
# SPIREC_E2E_HEAL_WAIT (default 45 s), SPIREC_E2E_OUT (host: vm.sh -o directory),
# SPIREC_E2E_CASES (e.g. "2 4": only these, the others reported as
# skipped), SPIREC_E2E_ONLY (e.g. "13 14": only these, the others not
# reported at all), SPIREC_E2E_KEEP=1 (keep the
# temporary directory), SPIREC_E2E_VERBOSE=1 (logs of passing cases too).

# shellcheck disable=SC2317 # functions run by the waits (slowwait CMD) look unreachable
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

# shellcheck source-path=SCRIPTDIR source=../lib/vm-self.sh
source "$top/selftests/lib/vm-self.sh"
in_vm "${SPIREC_E2E_OUT:-$top/.check/e2e}" "${SPIREC_E2E_VM_TIMEOUT:-1800}" "$0" "$@"

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-libreswan.sh
source "$here/lib-libreswan.sh"
# shellcheck source-path=SCRIPTDIR source=lib-hub.sh
source "$here/lib-hub.sh"
# Cases 1 to NCASES run by default; 27 to 29 (the hub, make bench-hub)
# only when SPIREC_E2E_ONLY names them.
NCASES=26
CASE_NAMES=(""
	"baseline: without spirecd the black hole lasts"
	"ikev2: spirecd heals the black hole (Router A with trap)"
	"vici: spirecd heals the black hole (Router A without trap)"
	"spirecctl peers on Router B shows Router A with the invalid SPI"
	"wrong PSK: no recovery, a clear log line, Router A untouched"
	"module unloaded and loaded again: spirecd joins again, restores its known peers"
	"hint: the unprotected INVALID_SPI notify reaches Router A, which ignores it"
	"events lost (ENOBUFS): spirecd re-syncs from the peer table and acts"
	"spoofed while healthy, action ikev2: Router A's IKE SA untouched, no ping lost"
	"spoofed while healthy, action vici: Router A's IKE SA untouched, no ping lost"
	"spoofed while healthy, action exec: Router A's IKE SA untouched, no ping lost"
	"spoofed while healthy, action hint: Router A's IKE SA untouched, no ping lost"
	"rekey storm: CHILD SAs re-keyed every ${SPIREC_E2E_STORM_CHILD_REKEY:-6} s, IKE every ${SPIREC_E2E_STORM_IKE_REKEY:-12} s, until ${SPIREC_E2E_STORM_MIN_CHILD:-5} CHILD and ${SPIREC_E2E_STORM_MIN_IKE:-2} IKE re-keys: no recovery, no IKE SA lost"
	"VTI: a route-based tunnel (marked SAs) makes no event and no disturbance"
	"transport mode between the routers: spirecd's IKE bypasses Router B's trap policy and heals"
	"NAT: Router A behind a masquerading NAT, ESP in UDP; ikev2 heals through the NAT mapping"
	"IKEv1: black-holed without spirecd, then action ikev1 heals it (Router A with trap)"
	"IKEv1 with an AH child: action ikev1 heals it, its Delete names AH"
	"ikev1 (IKEv1 tunnel): spirecd heals the black hole, measured as case 2"
	"IKEv1, libreswan Router A: pluto deletes the stale SA on spirecd's Delete"
	"systemd: spirecd.service, installed by make install, started by systemd, heals as user spirecd with CAP_NET_ADMIN and CAP_NET_RAW only"
	"libreswan: Router A = pluto (ondemand), action vici heals within ${SPIREC_E2E_PLUTO_VICI_BOUND:-5} s of Router B's charon ready, same ESP SPIs on both routers"
	"libreswan: Router A = pluto (ondemand), action ikev2 heals within ${SPIREC_E2E_PLUTO_IKEV2_BOUND:-90} s of Router B's charon ready, same ESP SPIs on both routers, spirecd's verdict true"
	"libreswan: as 23 with pluto's retransmit-timeout=5s: its stale IKE SA times out sooner, heals within ${SPIREC_E2E_PLUTO_RT5_BOUND:-20} s of Router B's charon ready"
	"libreswan: as 24 with dpddelay=5s, dpdtimeout=5s, dpdaction=restart (4.10 takes dpdaction only with both): pluto re-initiates as soon as its stale IKE SA times out, heals within ${SPIREC_E2E_PLUTO_RESTART_BOUND:-15} s of Router B's charon ready"
	"several routing domains: two Router Bs in their own namespaces lose their state at once, each healed by its own spirecd@NAME.service (systemd, ikev2), spirecctl -n NAME status shows each its own"
	"hub, action ikev2: the hub loses its state, spirecd (a [peer] per spoke) recovers all $HUB_N spokes within $HUB_HEAL_WAIT s, same ESP SAs on both sides"
	"hub, action vici: the hub loses its state, spirecd has its charon re-initiate all $HUB_N spokes within $HUB_HEAL_WAIT s, same ESP SAs on both sides"
	"hub baseline: without spirecd none of $HUB_N spokes recovers within $BASELINE_WAIT s")
failed=0
start_all=$SECONDS

# --- cases ----------------------------------------------------------------

result() { # N OK [DIRECTIVE]
	if [ "$2" = 0 ]; then
		echo "ok $1 - e2e: ${CASE_NAMES[$1]}${3:+ # $3}"
	else
		failed=$((failed + 1))
		echo "not ok $1 - e2e: ${CASE_NAMES[$1]}"
	fi
}

want_case() { [ -z "${SPIREC_E2E_CASES:-}" ] || [[ " $SPIREC_E2E_CASES " == *" $1 "* ]]; }

# Common part: tunnel up, spirecd running with CONF (if given), ping
# running, then B loses its state. Sets AT, the last ping answered before.
# Not in a subshell: it sets variables; its output goes to setup.out.
black_hole_begins() {
	{
		setup "$1" || return 1
		if [ -n "${2:-}" ]; then
			# E2E_SPIRECD_START: how spirecd starts (case 21: systemd).
			"${E2E_SPIRECD_START:-spirecd_start}" "$2" || return 1
		fi
		ping_start
		ping_flowing || { echo "no ping answered before the loss"; cat "$tmp/ping.out"; return 1; }
		OLD_SPI=$(rb_inbound_spi)
		AT=$(last_answered)
		RA_ESP_BEFORE=$(ra_esp_spis)
		RA_IKE_BEFORE=$(ra_ike_spis)
		RA_LOG_LINES=$(wc -l < "$RA/charon.log")
		# Router A's kernel: SA deletions and acquires, time-stamped.
		ip -n $NS_RA -ts xfrm monitor > "$tmp/xfrm-a.log" 2>&1 &
		pids+=($!)
		lose_state_rb || return 1
	} > "$tmp/setup.out" 2>&1
}

case_baseline() {
	trace case_baseline
	local rc=0
	black_hole_begins trap || { diag < "$tmp/setup.out"; return 1; }
	# The subject: nothing heals it for BASELINE_WAIT s (stops early if
	# something does).
	holds "$BASELINE_WAIT" black_holed "$AT"
	ping_stop
	blackhole "$AT"
	if [ -n "$BH_FIRST_OK" ]; then
		log "traffic came back without spirecd after $BH_MS ms"
		rc=1
	elif [ -z "$BH_FIRST_LOST" ]; then
		log "no ping was lost: no black hole"
		rc=1
	else
		record "baseline (no spirecd): still black-holed after ${BASELINE_WAIT} s"
	fi
	return $rc
}

# heal_case NAME RA_START ACTION (E2E_SPIRECD_IKE: spirecd's ike =)
heal_case() {
	trace heal_case
	local name=$1 ra_start=$2 action=$3 rc=0
	spirecd_conf "$tmp/spirecd.conf" "$action" "$PSK" "${E2E_SPIRECD_IKE:-}"
	black_hole_begins "$ra_start" "$tmp/spirecd.conf" ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; return 1; }
	trace "waiting for the heal"
	if wait_healed "$HEAL_WAIT" "$AT"; then
		heal_confirmed "$AT"
		local ok_at last_at restart after loaded wall="?"
		ok_at=$(answered_at "$BH_FIRST_OK")
		last_at=$(answered_at $((BH_FIRST_LOST - 1)))
		# Router B's charon is ready when it logs its connection loaded
		# (swanctl itself may return later in a starved guest).
		TL_T0=$(ms_of_day "$LOST_AT")
		loaded=$(tl_at "$RB/charon.log" "added vici connection" last)
		if [ -n "$loaded" ]; then
			restart=$((loaded - TL_T0))
		else
			restart=$(ms_between "$LOST_AT" "$READY_AT")
			loaded=$(ms_of_day "$READY_AT")
		fi
		after=
		[ -n "$ok_at" ] && after=$(( $(ms_of_day "$ok_at") - loaded ))
		# Wall clock from the last answer before to the first after:
		# ping's 100 ms ticks stretch when the guest is starved.
		[ -n "$ok_at" ] && [ -n "$last_at" ] && wall=$(ms_between "$last_at" "$ok_at")
		record "$name: black hole $BH_MS ms (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost; $wall ms wall clock between answers); Router B's charon took $restart ms to restart (flush to connection loaded); traffic back ${after:-?} ms after it was ready"
		timeline "$name"
		# spirecd says what happened: Router A's unknown SPIs stopped
		# (verify_quiet 2 s after the last one, read every 250 ms).
		if slowwait 20 grep -q 'healed in [0-9]* ms' "$tmp/spirecd.log"; then
			record "$name: spirecd: $(grep -o 'healed in [0-9]* ms' "$tmp/spirecd.log" | tail -n 1)"
		else
			log "$name: spirecd never logged 'healed in N ms' for Router A"
			rc=1
		fi
		if grep -qE 'still sends unknown SPIs|no SA from the peer' "$tmp/spirecd.log"; then
			log "$name: spirecd reported Router A unhealed although traffic flows"
			rc=1
		fi
	else
		ping_stop
		log "$name: still black-holed after $HEAL_WAIT s"
		rc=1
	fi
	if verbose; then
		diag < "$tmp/spirecd.log"
		tail -n 40 "$RA/charon.log" | diag
	fi
	keep_logs "$name"
	cp "$tmp/xfrm-a.log" "$SPIREC_OUT/xfrm-a-$name.log" 2>/dev/null
	return $rc
}

case_peers() {
	trace case_peers
	local out
	out=$(in_ns $NS_RB "$SPIRECCTL" peers 2>&1)
	echo "$out" | diag
	if [ -z "${OLD_SPI:-}" ]; then
		log "no SPI recorded by the previous case"
		return 1
	fi
	log "Router B's lost inbound SPI: $OLD_SPI"
	echo "$out" | grep "198.51.100.1" | grep -q "$OLD_SPI"
}

# ra_untouched LINE: after spirecd's log has LINE (its attempt, within
# 30 s), the black hole holds PEER_REACT_S s (Router A's charon has had
# its chance to act); the ping stops, the hole is measured (BH_*), and
# Router A's ESP and IKE SPIs (RA_ESP_AFTER, RA_IKE_AFTER) must be those
# it had before the loss (else the case's rc is 1).
ra_untouched() {
	slowwait 30 grep -q "$1" "$tmp/spirecd.log" || log "no '$1' in spirecd's log within 30 s"
	holds "$PEER_REACT_S" black_holed "$AT"
	ping_stop
	blackhole "$AT"
	RA_ESP_AFTER=$(ra_esp_spis)
	RA_IKE_AFTER=$(ra_ike_spis)
	if [ "$RA_ESP_BEFORE" != "$RA_ESP_AFTER" ] || [ -z "$RA_ESP_AFTER" ]; then
		log "Router A's ESP SAs changed: '$RA_ESP_BEFORE' -> '$RA_ESP_AFTER'"
		rc=1
	fi
	if [ "$RA_IKE_BEFORE" != "$RA_IKE_AFTER" ] || [ -z "$RA_IKE_AFTER" ]; then
		log "Router A's IKE SAs changed: '$RA_IKE_BEFORE' -> '$RA_IKE_AFTER'"
		rc=1
	fi
}

case_wrong_psk() {
	trace case_wrong_psk
	local rc=0
	spirecd_conf "$tmp/spirecd.conf" ikev2 "not-the-right-secret"
	black_hole_begins none "$tmp/spirecd.conf" ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; return 1; }
	ra_untouched "ikev2 failed"
	grep -E "ikev2 failed" "$tmp/spirecd.log" | diag
	if ! grep -q "ikev2 failed.*authentication failed" "$tmp/spirecd.log"; then
		log "no 'authentication failed' line in spirecd's log"
		diag < "$tmp/spirecd.log"
		rc=1
	fi
	if [ -n "$BH_FIRST_OK" ]; then
		log "traffic came back with a wrong PSK?"
		rc=1
	fi
	[ $rc = 0 ] && record "wrong PSK: no recovery, Router A kept ESP SAs $RA_ESP_AFTER"
	return $rc
}

# Uses the spirecd still running from case 5 (or starts one).
case_module_reload() {
	local n0 n1 known enabled
	trace case_module_reload
	if ! kill -0 "${SPIRECD_PID:-0}" 2>/dev/null; then
		spirecd_conf "$tmp/spirecd.conf" none "$PSK"
		{ setup none && spirecd_start "$tmp/spirecd.conf"; } > "$tmp/setup.out" 2>&1 ||
			{ diag < "$tmp/setup.out"; return 1; }
	fi
	n0=$(grep -c "listening on generic netlink" "$tmp/spirecd.log")
	rmmod spirec || { log "rmmod spirec failed"; return 1; }
	slowwait 20 grep -q "spirec family gone" "$tmp/spirecd.log" ||
		{ log "spirecd did not notice the unload"; diag < "$tmp/spirecd.log"; load_kmod; return 1; }
	load_kmod || { log "insmod failed"; return 1; }
	joined_again() { n1=$(grep -c "listening on generic netlink" "$tmp/spirecd.log"); [ "$n1" -gt "$n0" ]; }
	slowwait 20 joined_again
	# The known-peer list and the sysctl come right after joining.
	known_back() {
		known=$(in_ns $NS_RB "$SPIRECCTL" known list 2>&1)
		[[ $known == *198.51.100.1/32* ]]
	}
	enabled_back() { enabled=$(in_ns $NS_RB cat /proc/sys/net/spirec/enabled 2>&1); [ "$enabled" = 1 ]; }
	slowwait 20 known_back
	slowwait 20 enabled_back
	grep -E "gone|registered|listening|known-peer|net.spirec" "$tmp/spirecd.log" | diag
	[ "$n1" -gt "$n0" ] || { log "spirecd did not join again"; return 1; }
	[[ $known == *198.51.100.1/32* ]] || { log "known list after reload: $known"; return 1; }
	[ "$enabled" = 1 ] || { log "net.spirec.enabled after reload: $enabled"; return 1; }
	kill -0 "$SPIRECD_PID" || { log "spirecd died"; return 1; }
}

# Action hint: Router B's spirecd sends the unprotected INVALID_SPI notify.
# It must reach Router A's charon (its log shows a packet from Router B,
# the only one after the loss: Router B's charon only responds), and
# charon must ignore it (RFC 7296 2.21.4): same SAs, still black-holed.
# Then a hint the other way (Router A to Router B): nobody answers it.
case_hint() {
	trace case_hint
	local rc=0 n0 got spi=0x5e0e0e0e nb0 nd0
	spirecd_conf "$tmp/spirecd.conf" hint "$PSK"
	black_hole_begins none "$tmp/spirecd.conf" ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; return 1; }
	# Router A's log from the loss on (Router B's restart may outlast
	# spirecd's reaction).
	n0=$RA_LOG_LINES
	ra_untouched "hint sent"
	grep -E "hint" "$tmp/spirecd.log" | diag
	got=$(tail -n +"$((n0 + 1))" "$RA/charon.log")
	echo "$got" | grep -E "198\.51\.100\.2" | diag
	if ! grep -q "action hint: starting" "$tmp/spirecd.log" ||
	   ! grep -q "hint sent to UDP port 500" "$tmp/spirecd.log"; then
		log "spirecd did not send a hint"
		diag < "$tmp/spirecd.log"
		rc=1
	fi
	# charon 5.9 logs it as "received unencrypted informational: from ..."
	if ! echo "$got" | grep -Eq "received (packet|unencrypted informational): from 198\.51\.100\.2\[[0-9]+\] to 198\.51\.100\.1\[500\]"; then
		log "Router A's charon did not receive the hint"
		rc=1
	fi
	if echo "$got" | grep -q "sending packet: .* to 198\.51\.100\.2"; then
		log "Router A's charon answered the hint"
		rc=1
	fi
	if [ -n "$BH_FIRST_OK" ]; then
		log "traffic came back after a hint: strongSwan acted on it?"
		rc=1
	fi
	[ -n "$BH_FIRST_LOST" ] || { log "no ping was lost"; rc=1; }

	# The other way: Router A sends Router B a hint from port 5500. Router
	# B's charon drops it, spirecd never sees IKE traffic: no answer.
	if [ -x "$IKE_RECOVER" ]; then
		nb0=$(wc -l < "$RB/charon.log")
		nd0=$(wc -l < "$tmp/spirecd.log")
		in_ns $NS_RA "$IKE_RECOVER" -H -l 198.51.100.1 -s 5500 198.51.100.2 $spi |
			diag
		rb_new() { tail -n +"$((nb0 + 1))" "$RB/charon.log"; }
		rb_got_hint() { rb_new | grep -Eq "received (packet|unencrypted informational): from 198\.51\.100\.1\[5500\]"; }
		rb_answered() { rb_new | grep -q "sending packet: .* to 198\.51\.100\.1\[5500\]"; }
		spirecd_saw_hint() { tail -n +"$((nd0 + 1))" "$tmp/spirecd.log" | grep -q "$spi"; }
		# Received; then the answer that must not come has PEER_REACT_S s.
		expect "Router B's charon did not receive the hint from Router A" slowwait 20 rb_got_hint &&
			expect "Router B's charon answered the hint" holds "$PEER_REACT_S" not rb_answered
		rb_new | grep -E "198\.51\.100\.1" | diag
		expect "spirecd reacted to an incoming hint" not spirecd_saw_hint
	fi
	[ $rc != 0 ] && tail -n 30 "$RA/charon.log" | diag
	[ $rc = 0 ] && record "hint: sent, received by Router A's charon and ignored: ESP SAs $RA_ESP_AFTER kept, still black-holed $PEER_REACT_S s later"
	return $rc
}

# Events lost to a full receive buffer (ENOBUFS). No charon needed: Router
# A's namespace sends raw ESP with spoofed sources (spirec-send).
case_resync() {
	trace case_resync
	local rc=0 conf=$tmp/spirecd-resync.conf lost=198.51.100.99 spi=0x5e000099 out
	[ -x "$SEND" ] || { SKIP_WHY="no $SEND (make -C selftests/tools)"; return 77; }
	{ teardown && topology; } > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	cat > "$tmp/on-event.sh" <<EOC
#!/bin/sh
env | grep '^SPIREC_' | sort > "$tmp/exec-\$SPIREC_PEER.out"
EOC
	chmod +x "$tmp/on-event.sh"
	rm -f "$tmp/exec-lost.out"
	cat > "$conf" <<EOC
[global]
action = none
known_peers_only = no
# Room for a handful of events at most.
rcvbuf = 1

[peer lost]
address = $lost
action = exec
exec = $tmp/on-event.sh
EOC
	spirecd_start "$conf" > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	# Every packet below must make an event.
	in_ns $NS_RB sh -c 'echo 100000 > /proc/sys/net/spirec/global_rate'
	kill -STOP "$SPIRECD_PID"
	in_ns $NS_RA "$SEND" -4 -s 198.51.100.1 -d 198.51.100.2 --src-prefix 198.51.100.128/25 \
		-n 100 -c 100 --spi 0x5e0000aa --seed 7 2>&1 | diag
	in_ns $NS_RA "$SEND" -4 -s $lost -d 198.51.100.2 --spi $spi 2>&1 | diag
	out=$(in_ns $NS_RB "$SPIRECCTL" peers 2>&1)
	echo "$out" | grep -F "$lost" | diag
	kill -CONT "$SPIRECD_PID"
	# The exec action's script writes its environment last.
	slowwait 30 grep -q "^SPIREC_SRC=" "$tmp/exec-lost.out" 2>/dev/null
	grep -E "rcvbuf|lost|peer table" "$tmp/spirecd.log" | grep -v "action none" | diag
	log "$(grep -c "action none: logged only" "$tmp/spirecd.log") events of unlisted peers logged"
	expect "no ENOBUFS in spirecd's log: nothing was lost?" \
		grep -q "events were lost.*ENOBUFS" "$tmp/spirecd.log"
	expect "spirecd did not re-read the peer table" \
		grep -q "reading the kernel's peer table (events lost)" "$tmp/spirecd.log"
	if ! grep -q "peer lost ($lost): spi $spi (esp) \[from the peer table\]: action exec: starting" \
		"$tmp/spirecd.log"; then
		log "the configured peer was not acted on from the peer table"
		rc=1
	fi
	if grep "peer lost ($lost): spi $spi (esp)" "$tmp/spirecd.log" | grep -qv "from the peer table"; then
		log "the configured peer's event was not lost: the test did not test the re-sync"
		rc=1
	fi
	if ! grep -q "^SPIREC_SPI=$spi$" "$tmp/exec-lost.out" 2>/dev/null ||
	   ! grep -q "^SPIREC_SRC=$lost$" "$tmp/exec-lost.out"; then
		log "the exec action did not run for $lost"
		cat "$tmp/exec-lost.out" 2>/dev/null | diag
		rc=1
	fi
	kill -0 "$SPIRECD_PID" 2>/dev/null || { log "spirecd died"; rc=1; }
	[ $rc != 0 ] && diag < "$tmp/spirecd.log"
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-resync.log" 2>/dev/null
	[ $rc = 0 ] && record "resync: events lost (ENOBUFS), peer table read, exec ran for $lost"
	return $rc
}

# --- spoofed while healthy (cases 9 to 12) ---------------------------------
#
# A third host on the WAN switch ($NS_SP) sends ESP and AH with Router A's
# source address (IPv4 and IPv6) and random SPIs to Router B while the
# tunnel is healthy. Router A is a dual-stack peer: its charon connection
# lists both addresses, and Router B's spirecd has one [peer] section per
# address with the same identities and PSK. spirecd must see that this is
# no black hole and leave Router A alone, whatever its action.

SPOOF_HOLDDOWN=${SPIREC_E2E_SPOOF_HOLDDOWN:-3s}
SPOOF_BURSTS=${SPIREC_E2E_SPOOF_BURSTS:-5}
# Seconds between bursts: 5 bursts 2.5 s apart span 10 s, three hold-downs.
SPOOF_GAP=${SPIREC_E2E_SPOOF_GAP:-2.5}

# spoof_conf FILE ACTION: Router B's spirecd, Router A listed twice.
spoof_conf() {
	local sec name addr
	cat > "$1" <<EOC
# Router B: Router A is a dual-stack peer, one section per address.
[global]
action = none
holddown = $SPOOF_HOLDDOWN
known_peers_only = yes
ike_timeout = 500ms
vici_timeout = 30s
EOC
	for sec in "router-a 198.51.100.1" "router-a-v6 $RA_WAN6"; do
		read -r name addr <<< "$sec"
		cat >> "$1" <<EOC

[peer $name]
address = $addr
local_id = router-b.example.org
remote_id = router-a.example.org
psk = "$PSK"
ike = aes128-sha256-x25519
action = $2
vici_socket = $RB/charon.vici
vici_child = net-net
vici_ike = gw
exec = $tmp/spoof-exec.sh
EOC
	done
	# An inline psk in a file group or others can read is refused.
	chmod 600 "$1"
}

# The spoof cases' tunnel: WAN switch with the spoofer, dual-stack peers,
# Router A with a trap policy, Host 1 pinging Host 2.
spoof_up() {
	local E2E_WAN_BRIDGE=1 RA_IKE_ADDRS="198.51.100.1, $RA_WAN6" \
		RB_IKE_ADDRS="198.51.100.2, $RB_WAN6"
	setup trap || return 1
	ping_start
	ping_flowing || { echo "no ping answered"; tail -n 5 "$tmp/ping.out"; return 1; }
	# One event per source and second (default 5 s): more chances for
	# spirecd to get it wrong.
	in_ns $NS_RB sh -c 'echo 1000 > /proc/sys/net/spirec/peer_interval_ms'
	cat > "$tmp/spoof-exec.sh" <<EOC
#!/bin/sh
env | grep '^SPIREC_' | sort >> "$tmp/spoof-exec.out"
EOC
	chmod +x "$tmp/spoof-exec.sh"
}

# The previous spoof case left a healthy tunnel and Host 1 pinging.
spoof_healthy() {
	local n0
	ip netns list | grep -q "^$NS_SP\b" || return 1
	kill -0 "${PING_PID:-0}" 2>/dev/null || return 1
	[[ $(ra_ike_ids) == *:ESTABLISHED:* ]] || return 1
	n0=$(last_answered)
	slowwait 5 answered_after "$n0"
}

# spoof_bursts: SPOOF_BURSTS bursts, SPOOF_GAP s apart, each 5 ESP and 5
# AH packets with random SPIs from Router A's IPv4 and from its IPv6
# address, sent by the third host.
spoof_bursts() {
	local b p
	for ((b = 1; b <= SPOOF_BURSTS; b++)); do
		for p in esp ah; do
			in_ns $NS_SP "$SEND" -4 -s 198.51.100.1 -d 198.51.100.2 -p $p \
				--spi random -c 5 -q || return 1
			in_ns $NS_SP "$SEND" -6 -s $RA_WAN6 -d $RB_WAN6 -p $p \
				--spi random -c 5 -q || return 1
		done
		[ $b = "$SPOOF_BURSTS" ] || sleep "$SPOOF_GAP"
	done
}

# Actions spirecd started and finished so far. A finished one ends in a
# line "peer LABEL: spi 0xSPI: WHAT" (done, failed, or dropped on finding
# live SAs: "...: nothing sent", a debug line); the lines for events that
# started nothing end in "ignored".
recoveries_started() { grep -cE ": action [a-z0-9]+: starting$" "$1"; }
recoveries_done() { grep -E ": spi 0x[0-9a-f]{8}: " "$1" | grep -cvE "ignored( \(.*\))?$"; }
# spirecd idle: every recovery over and the log still for a second (an
# event that starts one is logged within milliseconds).
SETTLED_QUIET_S=1
log_lines_are() { [ "$(wc -l < "$1")" = "$2" ]; }
spirecd_settled() {
	[ "$(recoveries_started "$1")" -le "$(recoveries_done "$1")" ] || return 1
	holds "$SETTLED_QUIET_S" log_lines_are "$1" "$(wc -l < "$1")"
}

# stat_sum NS NAME...: the sum of some spirec counters.
stat_sum() {
	local ns=$1 n t=0 v; shift
	for n in "$@"; do v=$(spirec_stat "$ns" "$n"); t=$((t + ${v:-0})); done
	echo $t
}

case_spoof() {
	local action=$1 rc=0 conf=$tmp/spirecd-spoof.conf
	local ike0 ike1 n0 nrb0 acted seq0 seq1 nb0 nb1 unk0 unk1 ev0 ev1 new lost ic gone teardowns started ignored id
	trace "case_spoof $action"
	[ -x "$SEND" ] || { SKIP_WHY="no $SEND (make -C selftests/tools)"; return 77; }
	if ! spoof_healthy; then
		spoof_up > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	fi
	spirecd_stop
	spoof_conf "$conf" "$action"
	rm -f "$tmp/spoof-exec.out"
	spirecd_start "$conf" > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	ike0=$(ra_ike_ids)
	n0=$(wc -l < "$RA/charon.log")
	nrb0=$(wc -l < "$RB/charon.log")
	nb0=$(stat_sum $NS_RB not_blackhole)
	unk0=$(stat_sum $NS_RB unknown_esp unknown_ah)
	ev0=$(stat_sum $NS_RB events)
	seq0=$(last_sent)
	trace "spoofing"
	spoof_bursts || { log "spirec-send failed"; rc=1; }
	seq1=$(last_sent)
	trace "spoofed"
	# Whatever spirecd started must be over before we look at Router A.
	slowwait 60 spirecd_settled "$tmp/spirecd.log" || { log "spirecd still busy after 60 s"; rc=1; }
	# The pings sent during the spoof period have had their chance.
	slowwait 5 answered_after $((seq1 - 1))
	ike1=$(ra_ike_ids)
	nb1=$(stat_sum $NS_RB not_blackhole)
	unk1=$(stat_sum $NS_RB unknown_esp unknown_ah)
	ev1=$(stat_sum $NS_RB events)
	new=$(tail -n +"$((n0 + 1))" "$RA/charon.log")
	lost=$(lost_pings $((seq0 + 1)) "$seq1")
	ic=$(grep -cE "INITIAL_CONTACT|destroying duplicate IKE_SA" <<< "$new")
	# Router A's IKE SAs destroyed: gone since before the spoof (no rekey
	# is due in this case), or destroyed on INITIAL_CONTACT, the larger.
	gone=0
	for id in $ike0; do [[ " $ike1 " == *" $id "* ]] || gone=$((gone + 1)); done
	teardowns=$(grep -c "destroying duplicate IKE_SA" <<< "$new")
	[ "$gone" -gt "$teardowns" ] && teardowns=$gone
	started=$(recoveries_started "$tmp/spirecd.log")
	ignored=$(grep -c "not a black hole" "$tmp/spirecd.log")
	# What a recovery would have sent, whatever spirecd logged before it
	# decided: any IKE message reaching Router A's charon (ikev2: spirecd's
	# IKE_SA_INIT; vici: Router B's charon's; hint: the notify; a healthy
	# tunnel without DPD or re-key has no IKE traffic), Router B's charon
	# asked to initiate, the exec script run.
	acted=$(grep -E "received (packet|unencrypted informational): from" <<< "$new"
		tail -n +"$((nrb0 + 1))" "$RB/charon.log" | grep "vici initiate"
		cat "$tmp/spoof-exec.out" 2>/dev/null)
	log "Router A's IKE SAs before: $ike0"
	log "Router A's IKE SAs after:  $ike1"
	log "pings $((seq0 + 1))..$seq1 during the spoof period, lost: ${lost:-none}"
	log "Router B: unknown ESP/AH +$((unk1 - unk0)), events +$((ev1 - ev0)), not_blackhole +$((nb1 - nb0)); spirecd: $ignored lines 'not a black hole', $started actions started"
	record "spoof $action: $teardowns IKE SAs of Router A destroyed by spoofed packets; $(wc -w <<< "$lost") of $((seq1 - seq0)) pings lost; events $((ev1 - ev0)), not_blackhole +$((nb1 - nb0)), ignored $ignored, actions started $started"
	if [ $((unk1 - unk0)) -le 0 ]; then
		log "the spoofed packets did not reach Router B's spirec (unknown_esp/unknown_ah unchanged)"
		rc=1
	fi
	if [ -z "$ike0" ] || [ "$ike0" != "$ike1" ]; then
		log "Router A's IKE SA changed (unique id or SPIs)"
		rc=1
	fi
	if [ "$ic" != 0 ]; then
		log "Router A's charon took INITIAL_CONTACT:"
		grep -E "INITIAL_CONTACT|destroying duplicate IKE_SA" <<< "$new" | diag
		rc=1
	fi
	[ -z "$lost" ] || { log "pings lost during the spoof period: $lost"; rc=1; }
	[ "$ignored" -gt 0 ] || { log "spirecd logged no 'not a black hole, ignored'"; rc=1; }
	[ "$nb1" -gt "$nb0" ] || { log "the not_blackhole counter did not rise ($nb0 -> $nb1)"; rc=1; }
	if [ -n "$acted" ]; then
		log "spirecd acted on spoofed packets ($started actions started):"
		head -n 10 <<< "$acted" | diag
		rc=1
	fi
	kill -0 "$SPIRECD_PID" 2>/dev/null || { log "spirecd died"; rc=1; }
	if verbose; then
		grep -vE "action none|known-peer|receive buffer" "$tmp/spirecd.log" | tail -n 40 | diag
		grep -E "IKE_SA|INITIAL_CONTACT|CHILD_SA" <<< "$new" | tail -n 20 | diag
	fi
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-spoof-$action.log" 2>/dev/null
	printf '%s\n' "$new" > "$SPIREC_OUT/charon-a-spoof-$action.log"
	# A disturbed tunnel is set up anew by the next spoof case.
	return $rc
}

# --- rekey storm (case 13) ------------------------------------------------
#
# CHILD SAs re-keyed every STORM_CHILD_REKEY s and the IKE SA every
# STORM_IKE_REKEY s, on both routers (so their re-keys collide), under
# continuous traffic, with spirec on and spirecd (action ikev2, the other
# router a known peer) on both routers. Re-keying leaves stray packets for
# SPIs just deleted: spirecd must not take them for a black hole. The
# storm lasts until Router A has seen STORM_MIN_CHILD CHILD and
# STORM_MIN_IKE IKE re-keys (about 25 s), at least STORM_MIN_S, at most
# STORM_MAX_S (a starved guest re-keys late). The SAs' hard lifetimes
# (life_time, over_time) are three and two re-key periods, and rand_time
# 1 s: a re-key delayed by a loaded machine replaces the SA before it
# expires (the defaults, 10 % of the re-key time, are under a second here).
STORM_CHILD_REKEY=${SPIREC_E2E_STORM_CHILD_REKEY:-6}
STORM_IKE_REKEY=${SPIREC_E2E_STORM_IKE_REKEY:-12}
STORM_MIN_CHILD=${SPIREC_E2E_STORM_MIN_CHILD:-5}
STORM_MIN_IKE=${SPIREC_E2E_STORM_MIN_IKE:-2}
STORM_MIN_S=${SPIREC_E2E_STORM_MIN_S:-20}
STORM_MAX_S=${SPIREC_E2E_STORM_MAX_S:-90}
# Pings a re-key may cost (make-before-break: none expected).
STORM_MAX_LOST=${SPIREC_E2E_STORM_MAX_LOST:-2}

# storm_count FILE FROM: CHILD_REKEYS and IKE_REKEYS in Router A's charon
# log FILE from line FROM on. CHILD SAs installed (5.9 logs "inbound" and
# "outbound ... established" for each): every one during the storm is a
# re-key.
storm_count() {
	local new
	new=$(tail -n +"$2" "$1")
	CHILD_REKEYS=$(grep -oE "CHILD_SA net-net\{[0-9]+\} established" <<< "$new" | sort -u | wc -l)
	IKE_REKEYS=$(grep -cE "IKE_SA gw\[[0-9]+\] rekeyed" <<< "$new")
}

# storm_goes_on: samples Router A's IKE SAs; true once the storm has made
# its re-keys (and lasted STORM_MIN_S).
storm_goes_on() {
	echo "$SECONDS $(ra_ike_ids)" >> "$tmp/storm-ids.txt"
	storm_count "$RA/charon.log" "$STORM_FROM"
	[ $((SECONDS - STORM_T0)) -ge "$STORM_MIN_S" ] &&
		[ "$CHILD_REKEYS" -ge "$STORM_MIN_CHILD" ] && [ "$IKE_REKEYS" -ge "$STORM_MIN_IKE" ] && return 0
	# About every 2 s (each sample costs processes).
	nap 1.5
	return 1
}

case_rekey_storm() {
	local rc=0 E2E_IKE_OPTS="rekey_time = ${STORM_IKE_REKEY}s
		over_time = $((2 * STORM_IKE_REKEY))s
		rand_time = 1s" \
		E2E_CHILD_OPTS="rekey_time = ${STORM_CHILD_REKEY}s
				life_time = $((3 * STORM_CHILD_REKEY))s
				rand_time = 1s"
	local conf_a=$tmp/spirecd-a.conf conf_b=$tmp/spirecd.conf pid_a pid_b dense
	local na0 nb0 seq0 seq1 newa newb child_rekeys ike_rekeys auth bad lost started ids id bad_ids='' storm_s
	trace case_rekey_storm
	spirecd_conf "$conf_b" ikev2 "$PSK"
	# Router A's spirecd: the mirror image, Router B its known peer.
	sed -e 's/^address = .*/address = 198.51.100.2/' \
		-e 's/^local_id = .*/local_id = router-a.example.org/' \
		-e 's/^remote_id = .*/remote_id = router-b.example.org/' \
		-e 's/^\[peer router-a\]/[peer router-b]/' \
		-e "s|^vici_socket = .*|vici_socket = $RA/charon.vici|" "$conf_b" > "$conf_a"
	chmod 600 "$conf_a"
	{
		setup trap &&
		spirecd_start "$conf_b" && pid_b=$SPIRECD_PID &&
		spirecd_start "$conf_a" $NS_RA "$tmp/spirecd-a.log" && pid_a=$SPIRECD_PID &&
		ping_start &&
		ping_flowing
	} > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	SPIRECD_PID=$pid_b
	# Denser traffic beside the counted pings (100 a second, quiet): more
	# packets in flight when an SA is replaced, more stray SPIs.
	ip netns exec $NS_H1 ping -q -n -i 0.01 -w $((STORM_MAX_S + 20)) 203.0.113.10 \
		> "$tmp/storm-dense.out" 2>&1 &
	dense=$!
	pids+=("$dense")
	na0=$(wc -l < "$RA/charon.log")
	nb0=$(wc -l < "$RB/charon.log")
	seq0=$(last_sent)
	: > "$tmp/storm-ids.txt"
	trace "storm: $STORM_MIN_CHILD CHILD and $STORM_MIN_IKE IKE re-keys, at most $STORM_MAX_S s"
	STORM_FROM=$((na0 + 1)) STORM_T0=$SECONDS
	slowwait "$STORM_MAX_S" storm_goes_on ||
		log "the storm did not make its re-keys in $STORM_MAX_S s"
	storm_s=$((SECONDS - STORM_T0))
	seq1=$(last_sent)
	slowwait 5 answered_after $((seq1 - 1))
	ping_stop
	kill -INT "$dense" 2>/dev/null
	wait "$dense" 2>/dev/null
	newa=$(tail -n +"$((na0 + 1))" "$RA/charon.log")
	newb=$(tail -n +"$((nb0 + 1))" "$RB/charon.log")
	storm_count "$RA/charon.log" "$STORM_FROM"
	child_rekeys=$CHILD_REKEYS ike_rekeys=$IKE_REKEYS
	# A new IKE SA authenticated from scratch means one was lost.
	auth=$(cat <<< "$newa"$'\n'"$newb" | grep -cE "IKE_SA gw\[[0-9]+\] established between")
	bad=$(cat <<< "$newa"$'\n'"$newb" | grep -E "INITIAL_CONTACT|destroying duplicate IKE_SA|destroying IKE_SA|peer not responding|giving up|deleting IKE_SA .* inactivity")
	lost=$(lost_pings $((seq0 + 1)) "$seq1")
	# Recoveries carried out: spirecd's IKEv2 initiator sent something
	# (an action it started and then dropped, having found live SAs, is
	# not one).
	started=$(cat "$tmp/spirecd.log" "$tmp/spirecd-a.log" | grep -c "ike: sending IKE_SA_INIT")
	# Every IKE SA Router A had after the first must come from a re-key.
	ids=$(awk '{ for (i = 2; i <= NF; i++) { split($i, f, ":"); print f[1] } }' "$tmp/storm-ids.txt" | sort -nu)
	for id in $(tail -n +2 <<< "$ids"); do
		grep -qE "IKE_SA gw\[$id\] rekeyed|redundant IKE_SA gw\[$id\]" <<< "$newa" || bad_ids+="$id "
	done
	log "$storm_s s: $child_rekeys CHILD SA re-keys and $ike_rekeys IKE SA re-keys on Router A; IKE SA unique ids seen: $(tr "\n" " " <<< "$ids")"
	log "pings $((seq0 + 1))..$seq1, lost: ${lost:-none}; spirecd IKE exchanges: $started; events on Router A $(stat_sum $NS_RA events) (not_blackhole $(stat_sum $NS_RA not_blackhole)), on Router B $(stat_sum $NS_RB events) (not_blackhole $(stat_sum $NS_RB not_blackhole))"
	log "dense ping: $(grep -E "packets transmitted" "$tmp/storm-dense.out")"
	record "rekey storm: $storm_s s, $child_rekeys CHILD and $ike_rekeys IKE re-keys, $(wc -w <<< "$lost") of $((seq1 - seq0)) pings lost, $started spirecd IKE exchanges, $auth IKE SAs set up anew"
	if [ "$child_rekeys" -lt "$STORM_MIN_CHILD" ]; then
		log "too few CHILD SA re-keys ($child_rekeys, want $STORM_MIN_CHILD): the storm did not happen"
		rc=1
	fi
	if [ "$ike_rekeys" -lt "$STORM_MIN_IKE" ]; then
		log "too few IKE SA re-keys ($ike_rekeys, want $STORM_MIN_IKE)"
		rc=1
	fi
	[ "$started" = 0 ] || { log "spirecd started IKE exchanges during re-keys"; rc=1; }
	[ "$auth" = 0 ] || { log "$auth IKE SAs authenticated anew (one was lost)"; rc=1; }
	[ -z "$bad" ] || { log "IKE SAs destroyed other than by a re-key:"; diag <<< "$bad"; rc=1; }
	[ -z "$bad_ids" ] || { log "IKE SAs not born of a re-key: $bad_ids"; rc=1; }
	[[ $(tail -n 1 "$tmp/storm-ids.txt") == *:ESTABLISHED:* ]] ||
		{ log "no established IKE SA at the end: $(tail -n 1 "$tmp/storm-ids.txt")"; rc=1; }
	if [ "$(wc -w <<< "$lost")" -gt "$STORM_MAX_LOST" ]; then
		log "more than $STORM_MAX_LOST pings lost: $lost"
		rc=1
	fi
	if verbose; then
		grep -vE "action none|known-peer|receive buffer" "$tmp/spirecd.log" | tail -n 20 | diag
		grep -vE "action none|known-peer|receive buffer" "$tmp/spirecd-a.log" | tail -n 20 | diag
		grep -E "IKE_SA|CHILD_SA|INITIAL" <<< "$newa" | tail -n 30 | diag
	fi
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-b-storm.log" 2>/dev/null
	cp "$tmp/spirecd-a.log" "$SPIREC_OUT/spirecd-a-storm.log" 2>/dev/null
	cp "$tmp/storm-ids.txt" "$SPIREC_OUT/storm-ids.txt" 2>/dev/null
	printf '%s\n' "$newa" > "$SPIREC_OUT/charon-a-storm.log"
	printf '%s\n' "$newb" > "$SPIREC_OUT/charon-b-storm.log"
	spirecd_stop "$pid_a"
	spirecd_stop "$pid_b"
	return $rc
}

# --- VTI (case 14) --------------------------------------------------------
#
# A route-based tunnel: the CHILD SA's states and policies carry mark 42
# (mark_in/mark_out), the vti devices on both routers have key 42, the
# LANs are routed through them. Router B's spirec must not take the ESP
# that xfrm_input() finds under the vti's mark for unknown SPIs.
VTI_KEY=42
VTI_S=${SPIREC_E2E_VTI_S:-10}

vti_devices() {
	local ns dev=vti0 l r net
	for ns in $NS_RA $NS_RB; do
		if [ "$ns" = $NS_RA ]; then
			l=198.51.100.1 r=198.51.100.2 net=203.0.113.0/24
		else
			l=198.51.100.2 r=198.51.100.1 net=192.0.2.0/24
		fi
		ip -n "$ns" link add $dev type vti local $l remote $r key $VTI_KEY || return 1
		in_ns "$ns" sysctl -qw net.ipv4.conf.$dev.disable_policy=1
		ip -n "$ns" link set $dev up
		ip -n "$ns" route replace "$net" dev $dev
	done
}

case_vti() {
	# mark_in_sa: the inbound SA itself under the vti's key, as ip xfrm
	# state ... mark 42 would put it (strongSwan's default marks only the
	# inbound policy: spirec's lookup then finds the SA, nothing to test).
	local rc=0 E2E_AFTER_TOPOLOGY=vti_devices E2E_CHILD_OPTS="mark_in = $VTI_KEY
				mark_in_sa = yes
				mark_out = $VTI_KEY"
	local ike0 ike1 seq0 seq1 ev0 ev1 om0 om1 unk0 unk1 rx0 rx1 lost mon events marked
	trace case_vti
	spirecd_conf "$tmp/spirecd.conf" ikev2 "$PSK"
	{
		setup none &&
		spirecd_start "$tmp/spirecd.conf" &&
		ping_start &&
		slowwait 15 answered_after 0
	} > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	# Router B's inbound SA, the one the ESP from Router A is for.
	marked=$(ip -n $NS_RB xfrm state list dst 198.51.100.2 | grep -c "mark 0x2a/0xffffffff")
	ike0=$(ra_ike_ids)
	ev0=$(stat_sum $NS_RB events)
	om0=$(stat_sum $NS_RB other_mark)
	unk0=$(stat_sum $NS_RB unknown_esp)
	rx0=$(in_ns $NS_RB cat /sys/class/net/vti0/statistics/rx_packets)
	seq0=$(last_sent)
	# Whatever the module reports meanwhile.
	timeout $((VTI_S + 5)) ip netns exec $NS_RB "$SPIRECCTL" monitor -t "$VTI_S" \
		> "$tmp/vti-monitor.out" 2>&1 &
	mon=$!
	pids+=("$mon")
	wait "$mon"
	seq1=$(last_sent)
	slowwait 5 answered_after $((seq1 - 1))
	ike1=$(ra_ike_ids)
	ev1=$(stat_sum $NS_RB events)
	om1=$(stat_sum $NS_RB other_mark)
	unk1=$(stat_sum $NS_RB unknown_esp)
	rx1=$(in_ns $NS_RB cat /sys/class/net/vti0/statistics/rx_packets)
	lost=$(lost_pings $((seq0 + 1)) "$seq1")
	events=$(grep -c "spi 0x" "$tmp/vti-monitor.out")
	log "Router B: $marked inbound SAs under mark $VTI_KEY; vti0 received $((rx1 - rx0)) packets; unknown_esp +$((unk1 - unk0)), events +$((ev1 - ev0)), other_mark +$((om1 - om0)); monitor: $events events"
	log "pings $((seq0 + 1))..$seq1, lost: ${lost:-none}"
	record "vti: $((rx1 - rx0)) packets through vti0 in $VTI_S s, events $((ev1 - ev0)) (monitor $events), other_mark +$((om1 - om0)), $(wc -w <<< "$lost") pings lost"
	[ "$marked" -gt 0 ] || { log "Router B's inbound SA is not under mark $VTI_KEY"; ip -n $NS_RB xfrm state | diag; rc=1; }
	[ $((rx1 - rx0)) -gt 0 ] || { log "no traffic through vti0"; rc=1; }
	[ "$events" = 0 ] || { log "spirecctl monitor saw events:"; diag < "$tmp/vti-monitor.out"; rc=1; }
	[ "$ev1" = "$ev0" ] || { log "the events counter rose"; rc=1; }
	if grep -q "spi 0x" "$tmp/spirecd.log"; then
		log "spirecd got events:"
		grep "spi 0x" "$tmp/spirecd.log" | head -n 10 | diag
		rc=1
	fi
	[ "$om1" -gt "$om0" ] || { log "the other_mark counter did not rise ($om0 -> $om1)"; rc=1; }
	if [ -z "$ike0" ] || [ "$ike0" != "$ike1" ]; then
		log "Router A's IKE SA changed: '$ike0' -> '$ike1'"
		rc=1
	fi
	[ -z "$lost" ] || { log "pings lost: $lost"; rc=1; }
	[ $rc != 0 ] && tail -n 20 "$RA/charon.log" | diag
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-vti.log" 2>/dev/null
	cp "$tmp/vti-monitor.out" "$SPIREC_OUT/monitor-vti.out" 2>/dev/null
	ping_stop
	return $rc
}

# Host-to-host transport mode between the routers, every protocol of the
# address pair: Router B's trap policy (installed by its restarted charon)
# would capture spirecd's IKE packets to Router A without their per-socket
# bypass. Router A pings Router B directly.
case_transport() {
	trace case_transport
	local rc=0 c
	spirecd_conf "$tmp/spirecd.conf" ikev2 "$PSK"
	{
		teardown
		rm -rf "$RA" "$RB"
		topology || return 1
		router_conf "$RA" 198.51.100.1 198.51.100.2 router-a.example.org \
			router-b.example.org 198.51.100.1/32 198.51.100.2/32 trap
		router_conf "$RB" 198.51.100.2 198.51.100.1 router-b.example.org \
			router-a.example.org 198.51.100.2/32 198.51.100.1/32 trap
		sed -i 's/mode = tunnel/mode = transport/' "$RA/swanctl.conf" "$RB/swanctl.conf"
		start_charons || return 1
		vici "$RA" --initiate --child net-net --timeout 30 > "$tmp/initiate.out" 2>&1 ||
			{ echo "transport SA did not come up"; cat "$tmp/initiate.out"; return 1; }
		ip -n $NS_RA xfrm state | grep -q "mode transport" ||
			{ echo "no transport-mode SA on Router A"; ip -n $NS_RA xfrm state; return 1; }
		spirecd_start "$tmp/spirecd.conf" || return 1
		ip netns exec $NS_RA ping -n -i 0.1 -W 1 -O -D 198.51.100.2 > "$tmp/ping.out" 2>&1 &
		PING_PID=$!
		pids+=("$PING_PID")
		ping_flowing || { echo "no ping answered before the loss"; cat "$tmp/ping.out"; return 1; }
		AT=$(last_answered)
		lose_state_rb || return 1
		ip -n $NS_RB xfrm policy > "$tmp/policy-b.txt"
	} > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; return 1; }
	grep -q "mode transport" "$tmp/policy-b.txt" ||
		{ log "Router B's restarted charon installed no transport trap policy"; diag < "$tmp/policy-b.txt"; rc=1; }
	if wait_healed "$HEAL_WAIT" "$AT"; then
		heal_confirmed "$AT"
	else
		ping_stop
		blackhole "$AT"
		log "transport: still black-holed after $HEAL_WAIT s"
		rc=1
	fi
	c=$(grep -c "ikev2 done.*INVALID_SPI answered" "$tmp/spirecd.log")
	if [ "$c" -lt 1 ]; then
		log "spirecd's ikev2 exchange did not complete through Router B's policy"
		rc=1
	fi
	[ -n "$BH_FIRST_LOST" ] || { log "no ping was lost: no black hole"; rc=1; }
	if verbose; then
		diag < "$tmp/policy-b.txt"
		diag < "$tmp/spirecd.log"
		tail -n 40 "$RA/charon.log" | diag
	fi
	keep_logs transport
	[ $rc = 0 ] && record "transport: Router B's trap policy $(grep -c 'mode transport' "$tmp/policy-b.txt") tmpl(s); spirecd's ikev2 answered; black hole $BH_MS ms (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost)"
	return $rc
}

# --- spirecd.service under systemd (case 21) -----------------------------
#
# The unit as `make install` installs it, started by systemd, the real
# service manager. This VM's PID 1 is guest-init, so systemd runs as PID 1
# of a container inside it (selftests/e2e/systemd-container): new PID,
# mount, UTS and cgroup namespaces from unshare(1), the VM's network
# namespaces shared, /run/netns bound into the container's /run. Why not
# systemd-nspawn: it is not installed on the test bed (package
# systemd-container), it refuses the host's root directory as the
# container's without --volatile, and it wants a registering manager or
# --register=no/--keep-unit; what it would set up here is a handful of
# mounts, done directly. Why not systemd as the VM's init: the job
# protocol (guest-init, /out/rc) stays, and systemd would bring up the
# host's whole boot transaction on a read-only root under TCG for one
# case. The container starts in a few seconds and holds nothing but
# systemd and, once started, spirecd.
#
# The only additions to the installed unit are a drop-in with the test's
# specifics: NetworkNamespacePath= (Router B's namespace), spirecd's
# output into the file the e2e helpers read, and DefaultDependencies=no:
# there is no boot here, and the host's sysinit.target units (e.g.
# systemd-tmpfiles-setup, which empties /tmp) must not run in the VM.
# PrivateTmp= hides Router B's charon directory (under /tmp) from the
# service: BindReadOnlyPaths= shows it at /run/e2e-charon-b, and
# spirecd.conf's vici_socket points there. charon's VICI socket is root's
# with mode 0770: as spirecd.8 tells the administrator, spirecd's user
# needs access to it, given here by the socket's group (E2E_AFTER_CHARON,
# each time Router B's charon starts). spirecd then waits for charon
# before it recovers the peer, as in cases 2 and 3.
SD_CG=/sys/fs/cgroup/spirec-e2e-systemd
SD_DIR='' SD_PID='' SD_UNSHARE='' SD_GID=''
SD_VICI_DIR=/run/e2e-charon-b

# sd CMD...: CMD in the container (its mount and PID namespaces).
sd() { nsenter -t "$SD_PID" -m -p -- "$@"; }

# The container's PID 1 (systemd) as this VM sees it: unshare's child.
sd_pid1() {
	local c
	c=$(cat "/proc/$SD_UNSHARE/task/$SD_UNSHARE/children" 2>/dev/null) || return 1
	SD_PID=${c%% *}
	# Until the exec, unshare's child is the set-up script.
	[ -n "$SD_PID" ] && [ "$(readlink "/proc/$SD_PID/exe")" = "$(readlink -f /lib/systemd/systemd)" ]
}
sd_running() {
	local st
	st=$(sd systemctl is-system-running 2>/dev/null)
	[ "$st" = running ] || [ "$st" = degraded ]
}

# sd_unit UNIT CONF: CONF as UNIT's configuration (spirecd.service:
# /etc/spirec/spirecd.conf; spirecd@NAME.service: /etc/spirec/NAME.conf)
# and UNIT's drop-in, for the Router B of the caller's globals (NS_RB,
# RB, tmp: case 26 calls it for each routing domain). spirecd@NAME gets
# its namespace from the installed template (/run/netns/%i), not from the
# drop-in.
sd_unit() {
	local unit=$1 name=spirecd netns="NetworkNamespacePath=/run/netns/$NS_RB"
	local d=$SD_DIR/etc/systemd/system/$1.d
	if [[ $unit == spirecd@*.service ]]; then
		name=${unit#spirecd@} name=${name%.service}
		netns="# NetworkNamespacePath=: the template's, /run/netns/%i"
	fi
	mkdir -p "$d" && cp "$2" "$SD_DIR/etc/spirec/$name.conf" || return 1
	cat > "$d/e2e.conf" <<EOU
# e2e cases 21 and 26 (selftests/e2e/run.sh): the test's specifics only.
[Unit]
DefaultDependencies=no

[Service]
$netns
StandardOutput=append:$tmp/spirecd.log
StandardError=inherit
BindReadOnlyPaths=$RB:$SD_VICI_DIR
EOU
}

# sd_boot CMD [ARG]...: make install into a staging directory, CMD ARG...
# to put the units' configurations and drop-ins there (sd_unit), then
# systemd in its container.
sd_boot() {
	trace sd_boot
	SD_DIR=$tmp/systemd
	rm -rf "$SD_DIR"
	mkdir -p "$SD_DIR/etc/spirec" "$SD_DIR/etc/systemd/system" || return 1
	make -s -C "$top" install DESTDIR="$SD_DIR/stage" > "$SD_DIR/install.out" 2>&1 ||
		{ echo "make install failed"; cat "$SD_DIR/install.out"; return 1; }
	trace "make install done"
	"$@" || return 1
	cat > "$SD_DIR/etc/systemd/system/spirec-e2e.target" <<EOU
[Unit]
Description=spirec e2e: the container's start-up target, nothing in it
DefaultDependencies=no
EOU
	modprobe -q overlay
	mkdir -p "$SD_CG" || { echo "cannot make cgroup $SD_CG"; return 1; }
	(
		echo "$BASHPID" > "$SD_CG/cgroup.procs" &&
		exec unshare --mount --pid --uts --cgroup --kill-child \
			--propagation private --mount-proc \
			"$here/systemd-container" "$SD_DIR"
	) > "$SD_DIR/systemd.log" 2>&1 &
	SD_UNSHARE=$!
	pids+=("$SD_UNSHARE")
	# The container's set-up (mounts, systemd-sysusers) is some fifteen
	# processes before systemd: 20 s were too few on a loaded machine.
	slowwait 60 sd_pid1 ||
		{ echo "the container's systemd did not start"; cat "$SD_DIR/systemd.log"; return 1; }
	slowwait 90 sd_running ||
		{ echo "systemd in the container did not come up"; cat "$SD_DIR/systemd.log"
		  sd systemctl list-jobs --no-pager; return 1; }
	trace "systemd up"
	SD_GID=$(sd id -g spirecd) || { echo "no group spirecd in the container"; return 1; }
	sd_vici_access "$RB"
}

# sd_vici_access [DIR]: Router B's VICI socket (DIR, by default $RB) to
# spirecd's group (mode 0770).
sd_vici_access() {
	local dir=${1:-$RB}
	[ "$dir" = "$RB" ] && [ -n "$SD_GID" ] || return 0
	chgrp "$SD_GID" "$dir/charon.vici"
}

# sd_spirecd_start CONF: as spirecd_start, by systemd: boot the container,
# systemctl start spirecd.service.
sd_spirecd_start() {
	: > "$tmp/spirecd.log"
	sd_boot sd_unit spirecd.service "$1" || return 1
	trace "systemctl start spirecd"
	sd systemctl start spirecd.service ||
		{ sd systemctl status --no-pager spirecd.service; cat "$tmp/spirecd.log"; return 1; }
	slowwait 30 spirecd_listening && return 0
	echo "spirecd.service did not start spirecd"
	sd systemctl status --no-pager spirecd.service
	cat "$tmp/spirecd.log"
	return 1
}

# sd_usable: what the container needs is there (if not, SKIP_WHY says
# what is missing).
sd_usable() {
	if ! command -v unshare > /dev/null || ! command -v nsenter > /dev/null; then
		SKIP_WHY="no unshare/nsenter (util-linux)"
		return 1
	fi
	[ -x /lib/systemd/systemd ] || { SKIP_WHY="no /lib/systemd/systemd"; return 1; }
}

# sd_halt: SIGKILL to the container's PID 1 ends every process in it.
sd_halt() {
	[ -n "$SD_UNSHARE" ] || return 0
	[ -n "$SD_PID" ] && kill -KILL "$SD_PID" 2>/dev/null
	kill "$SD_UNSHARE" 2>/dev/null
	wait "$SD_UNSHARE" 2>/dev/null
	find "$SD_CG" -depth -type d -exec rmdir {} + 2>/dev/null
	SD_UNSHARE='' SD_PID='' SD_GID=''
}

case_systemd() {
	trace case_systemd
	local rc=0 conf=$tmp/spirecd-systemd.conf E2E_SPIRECD_START=sd_spirecd_start
	local E2E_AFTER_CHARON=sd_vici_access
	local mp status uid sec score netns want_netns active
	local caps=0000000000003000 # CAP_NET_ADMIN (12), CAP_NET_RAW (13)
	sd_usable || return 77
	spirecd_conf "$conf" ikev2 "$PSK"
	sed -i "s|^vici_socket = .*|vici_socket = $SD_VICI_DIR/charon.vici|" "$conf"
	black_hole_begins trap "$conf" ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; sd_halt; return 1; }
	trace "waiting for the heal"
	if wait_healed "$HEAL_WAIT" "$AT"; then
		heal_confirmed "$AT"
	else
		ping_stop
		blackhole "$AT"
		log "systemd: still black-holed after $HEAL_WAIT s"
		rc=1
	fi
	[ -n "$BH_FIRST_LOST" ] || { log "no ping was lost: no black hole"; rc=1; }
	grep -q "ikev2 done" "$tmp/spirecd.log" ||
		{ log "spirecd's log shows no ikev2 recovery"; rc=1; }
	grep -q "charon ready after" "$tmp/spirecd.log" ||
		{ log "spirecd did not reach Router B's charon over VICI"; rc=1; }
	log "Router B's VICI socket: $(stat -c '%A %U:%G' "$RB/charon.vici")"

	# The process systemd started: its user, capabilities, namespace.
	trace "checks"
	# One nsenter for all of it: each program start costs under TCG.
	# shellcheck disable=SC2016 # expanded in the container
	status=$(sd bash -c 'p=$(systemctl show -p ActiveState,MainPID spirecd.service)
		echo "$p"
		mp=${p#*MainPID=} mp=${mp%%[!0-9]*}
		echo "SpirecdUid=$(id -u spirecd)"
		echo "NetNS=$(readlink "/proc/$mp/ns/net")"
		cat "/proc/$mp/status"' 2>&1)
	active=$(sed -n 's/^ActiveState=//p' <<< "$status")
	mp=$(sed -n 's/^MainPID=//p' <<< "$status")
	uid=$(sed -n 's/^SpirecdUid=//p' <<< "$status")
	netns=$(sed -n 's/^NetNS=//p' <<< "$status")
	grep -E "^(Name|Uid|Gid|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):" <<< "$status" | diag
	[ "$active" = active ] || { log "spirecd.service is $active"; rc=1; }
	if [ -z "$uid" ] || [ "$uid" = 0 ]; then
		log "no system user spirecd ($uid)"
		rc=1
	fi
	grep -qE "^Name:[[:space:]]+spirecd$" <<< "$status" ||
		{ log "MainPID $mp is not spirecd"; rc=1; }
	grep -qE "^Uid:[[:space:]]+${uid}[[:space:]]+${uid}[[:space:]]+${uid}[[:space:]]+${uid}$" <<< "$status" ||
		{ log "spirecd does not run as spirecd (uid $uid)"; rc=1; }
	grep -qE "^CapEff:[[:space:]]+$caps$" <<< "$status" ||
		{ log "CapEff is not $caps (CAP_NET_ADMIN CAP_NET_RAW)"; rc=1; }
	grep -qE "^CapBnd:[[:space:]]+$caps$" <<< "$status" ||
		{ log "CapBnd is not $caps"; rc=1; }
	grep -qE "^NoNewPrivs:[[:space:]]+1$" <<< "$status" ||
		{ log "NoNewPrivs is not set"; rc=1; }
	want_netns="net:[$(stat -L -c %i "/run/netns/$NS_RB")]"
	[ "$netns" = "$want_netns" ] ||
		{ log "spirecd in $netns, Router B's namespace is $want_netns"; rc=1; }

	# systemd-analyze security against the live manager (the installed
	# unit with the drop-in), the score printed.
	trace "systemd-analyze security"
	sec=$(sd systemd-analyze security --no-pager spirecd.service 2>&1)
	score=$(sed -n 's/.*Overall exposure level for spirecd.service: \([0-9.]*\).*/\1/p' <<< "$sec")
	echo "# systemd-analyze security (live manager): spirecd.service exposure ${score:-?}"
	if [ -z "$score" ] || ! awk -v s="$score" -v m="${SPIREC_UNIT_EXPOSURE_MAX:-2.5}" 'BEGIN { exit !(s <= m) }'; then
		log "exposure ${score:-unknown} above ${SPIREC_UNIT_EXPOSURE_MAX:-2.5}"
		diag <<< "$sec"
		rc=1
	fi
	trace "systemctl stop spirecd"
	sd systemctl stop spirecd.service ||
		{ log "systemctl stop spirecd failed"; rc=1; }
	[ $rc = 0 ] && record "systemd: spirecd.service started by systemd $(sd systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') in a container, user spirecd, CapEff/CapBnd $caps, exposure $score; black hole $BH_MS ms (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost)"
	if verbose; then
		diag < "$tmp/spirecd.log"
		diag < "$SD_DIR/systemd.log"
		tail -n 40 "$RA/charon.log" | diag
	fi
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-systemd.log" 2>/dev/null
	cp "$SD_DIR/systemd.log" "$SPIREC_OUT/systemd-container.log" 2>/dev/null
	printf '%s\n' "$sec" > "$SPIREC_OUT/systemd-analyze-security.txt"
	sd_halt
	return $rc
}


# --- several routing domains (case 26) --------------------------------------
#
# Two routing domains on one router, as a VRF-like set-up keeps them: domain
# 1 is the usual e2e-* namespaces, domain 2 a second Host 1 / Router A /
# Router B / Host 2 in namespaces e2e2-*, with the same addresses, its own
# charons (directory $tmp/d2). One spirecd per domain, spirecd@e2e-rb and
# spirecd@e2e2-rb (the installed template), started by systemd in the
# container of case 21.
#
# d2 CMD [ARG]...: CMD with lib.sh's globals pointing at domain 2 (bash's
# dynamic scoping: the namespaces, tmp, RA, RB, pids); ARGs are expanded
# by the caller, in domain 1's. What lib.sh's functions set of a domain's
# state (D2_VARS) is kept in D2 between calls, its processes in D2_PIDS.
D2_TMP='' D2_PIDS=() D2_RB=e2e2-rb
declare -A D2=()
D2_VARS=(PING_PID AT OLD_SPI LOST_AT READY_AT BH_FIRST_LOST BH_FIRST_OK BH_MS)
d2() {
	local NS_H1=e2e2-h1 NS_RA=e2e2-ra NS_RB=$D2_RB NS_H2=e2e2-h2
	local NS_WAN=e2e2-wan NS_SP=e2e2-sp
	local tmp=$D2_TMP RA=$D2_TMP/router-a RB=$D2_TMP/router-b
	local -a pids=("${D2_PIDS[@]}")
	local _d2_v _d2_rc=0
	for _d2_v in "${D2_VARS[@]}"; do local "$_d2_v=${D2[$_d2_v]:-}"; done
	"$@" || _d2_rc=$?
	D2_PIDS=("${pids[@]}")
	for _d2_v in "${D2_VARS[@]}"; do D2[$_d2_v]=${!_d2_v}; done
	return $_d2_rc
}

# netns2_prepare PEER: in the caller's domain, the tunnel up, Host 1
# pinging Host 2, and spirecd@NS_RB's configuration (action ikev2, Router
# A as [peer PEER]: each domain names it its own way, so that a log or a
# status line shows whose it is) and drop-in staged for sd_boot.
netns2_prepare() {
	{
		setup trap || return 1
		spirecd_conf "$tmp/spirecd.conf" ikev2 "$PSK"
		sed -i -e "s|^vici_socket = .*|vici_socket = $SD_VICI_DIR/charon.vici|" \
			-e "s|^\[peer router-a\]$|[peer $1]|" "$tmp/spirecd.conf"
		: > "$tmp/spirecd.log"
	} > "$tmp/setup.out" 2>&1
}
# lacks GREP_ARGS...: grep finds nothing.
lacks() { ! grep -q "$@"; }
netns2_unit() { sd_unit "spirecd@$NS_RB.service" "$tmp/spirecd.conf"; }
netns2_units() { netns2_unit && d2 netns2_unit; }

# netns2_flowing: the domain's ping answered; its Router B's SPI and the
# last ping answered before the loss (AT) noted.
netns2_flowing() {
	ping_flowing || { echo "$NS_H1: no ping answered"; cat "$tmp/ping.out"; return 1; }
	OLD_SPI=$(rb_inbound_spi)
	AT=$(last_answered)
}

# netns2_healed PEER OTHER_PEER OTHER_SPI: in the caller's domain, after
# the loss: traffic back, both routers with the same ESP SAs, and
# spirecd's log with its own recovery (its peer, Router B's lost SPI) and
# nothing of the other domain's (OTHER_PEER, OTHER_SPI). Sets rc.
netns2_healed() {
	local peer=$1 other=$2 other_spi=$3 log=$tmp/spirecd.log n
	if wait_healed "$HEAL_WAIT" "$AT"; then
		heal_confirmed "$AT"
		record "netns2 $NS_RB: black hole $BH_MS ms (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost)"
	else
		ping_stop
		log "netns2 $NS_RB: still black-holed after $HEAL_WAIT s"
		rc=1
	fi
	[ -n "$BH_FIRST_LOST" ] || { log "netns2 $NS_RB: no ping was lost: no black hole"; rc=1; }
	slowwait 10 spis_match || {
		log "netns2 $NS_RB: the routers' ESP SAs differ after the heal"
		{ echo "Router A:"; ip -n $NS_RA -s xfrm state; echo "Router B:"; ip -n $NS_RB -s xfrm state; } | diag
		rc=1
	}
	expect "netns2 $NS_RB: spirecd logged no 'healed in N ms'" \
		slowwait 20 grep -q 'healed in [0-9]* ms' "$log"
	expect "netns2 $NS_RB: spirecd logged no ikev2 recovery" grep -q "ikev2 done" "$log"
	n=$(recoveries_started "$log")
	expect "netns2 $NS_RB: spirecd started no recovery" [ "$n" -ge 1 ]
	expect "netns2 $NS_RB: a recovery not of $peer or of spi $OLD_SPI" \
		[ "$(grep -E ": action [a-z0-9]+: starting$" "$log" | grep -c "peer $peer (198\.51\.100\.1): spi $OLD_SPI ")" = "$n" ]
	expect "netns2 $NS_RB: spirecd's log names the other domain's peer or SPI" \
		lacks -e "$other" -e "spi $other_spi" "$log"
	NETNS2_STARTED=$n
}

# netns2_instance PEER OTHER_PEER: spirecd@NS_RB.service in the caller's
# domain: active, its main process in /run/netns/NS_RB and not in the
# other domain's namespace, and `spirecctl -n NS_RB status` (in the
# container) shows that process, its peer only and as many recoveries as
# its log. Sets rc.
netns2_instance() {
	local peer=$1 other=$2 unit=spirecd@$NS_RB.service out mp netns want
	# One nsenter for all of it: each program start costs under TCG.
	# shellcheck disable=SC2016 # expanded in the container
	out=$(sd bash -c 'p=$(systemctl show -p ActiveState,MainPID "$1")
		echo "$p"
		mp=${p#*MainPID=} mp=${mp%%[!0-9]*}
		echo "NetNS=$(readlink "/proc/$mp/ns/net")"
		/usr/local/sbin/spirecctl -n "$2" status' _ "$unit" "$NS_RB" 2>&1)
	diag <<< "$out"
	mp=$(sed -n 's/^MainPID=//p' <<< "$out")
	netns=$(sed -n 's/^NetNS=//p' <<< "$out")
	want="net:[$(stat -L -c %i "/run/netns/$NS_RB")]"
	expect "netns2: $unit is not active" grep -qx "ActiveState=active" <<< "$out"
	expect "netns2: $unit's process ($mp) in $netns, /run/netns/$NS_RB is $want" [ "$netns" = "$want" ]
	expect "netns2: spirecctl -n $NS_RB status does not show $unit's process $mp" \
		grep -qE "running \(pid $mp, " <<< "$out"
	expect "netns2: spirecctl -n $NS_RB status: not $NETNS2_STARTED recoveries started" \
		grep -qE "recoveries: +$NETNS2_STARTED started, [1-9][0-9]* ok" <<< "$out"
	expect "netns2: spirecctl -n $NS_RB status does not list $peer" grep -q "^  198\.51\.100\.1 ($peer, " <<< "$out"
	expect "netns2: spirecctl -n $NS_RB status lists $other" lacks -e "$other" <<< "$out"
	NETNS2_INODE=$want
}

# netns2_run: both domains up, spirecd@ of each started by systemd, both
# Router Bs lose their state at once, the checks.
netns2_run() {
	local p1=domain1-router-a p2=domain2-router-a spi1 spi2 ino1 started
	trace "netns2: domain 1"
	netns2_prepare $p1 || { diag < "$tmp/setup.out"; return 1; }
	trace "netns2: domain 2"
	d2 netns2_prepare $p2 || { diag < "$D2_TMP/setup.out"; return 1; }
	sd_boot netns2_units > "$tmp/sd-boot.out" 2>&1 || { diag < "$tmp/sd-boot.out"; return 1; }
	d2 sd_vici_access
	trace "systemctl start spirecd@e2e-rb spirecd@e2e2-rb"
	if ! sd systemctl start "spirecd@$NS_RB.service" "spirecd@$D2_RB.service" ||
		! slowwait 30 spirecd_listening || ! d2 slowwait 30 spirecd_listening; then
		log "netns2: the spirecd@ instances did not start"
		sd systemctl status --no-pager "spirecd@*" | diag
		diag < "$tmp/spirecd.log"; diag < "$D2_TMP/spirecd.log"
		return 1
	fi
	ping_start
	d2 ping_start
	if ! { netns2_flowing && d2 netns2_flowing; } > "$tmp/flow.out" 2>&1; then
		diag < "$tmp/flow.out"
		return 1
	fi
	# Both Router Bs lose their state back to back, their charons
	# restarted side by side.
	trace "netns2: both Router Bs lose their state"
	{ rb_state_drop && d2 rb_state_drop && rb_charon_launch && d2 rb_charon_launch &&
		rb_charon_ready && d2 rb_charon_ready; } > "$tmp/lose.out" 2>&1 ||
		{ diag < "$tmp/lose.out"; return 1; }
	log "netns2: the losses $(ms_between "$LOST_AT" "${D2[LOST_AT]}") ms apart; lost SPIs $OLD_SPI (e2e-rb), ${D2[OLD_SPI]} (e2e2-rb)"
	spi1=$OLD_SPI spi2=${D2[OLD_SPI]}
	[ "$spi1" != "$spi2" ] || { log "netns2: both domains had SPI $spi1: cannot tell them apart"; rc=1; }
	trace "netns2: waiting for the heals"
	netns2_healed $p1 $p2 "$spi2"
	started=$NETNS2_STARTED
	d2 netns2_healed $p2 $p1 "$spi1"
	trace "netns2: the instances"
	NETNS2_STARTED=$started netns2_instance $p1 $p2
	ino1=$NETNS2_INODE
	d2 netns2_instance $p2 $p1
	[ "$ino1" != "$NETNS2_INODE" ] || { log "netns2: both domains in one namespace $ino1"; rc=1; }
	[ "$rc" = 0 ] && record "netns2: two routing domains lost their state at once, each healed by its own spirecd@ (systemd $(sd systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')), action ikev2: black holes $BH_MS ms (e2e-rb) and ${D2[BH_MS]} ms (e2e2-rb)"
	return 0
}

case_netns2() {
	trace case_netns2
	local rc=0 E2E_AFTER_CHARON=sd_vici_access
	sd_usable || return 77
	D2_TMP=$tmp/d2 D2_PIDS=() D2=()
	mkdir -p "$D2_TMP"
	netns2_run || rc=1
	if verbose; then
		diag < "$tmp/spirecd.log"
		diag < "$D2_TMP/spirecd.log"
	fi
	keep_logs netns2-e2e
	d2 keep_logs netns2-e2e2
	cp "$SD_DIR/systemd.log" "$SPIREC_OUT/systemd-container-netns2.log" 2>/dev/null
	# Whatever happened: the container, then both domains.
	sd_halt
	d2 teardown
	teardown
	return $rc
}

# --- libreswan (pluto) as Router A -----------------------------------------

# pluto_heal_case NAME AUTO ACTION BOUND: Router A = pluto (auto=AUTO,
# address identities), Router B = charon + spirecd (ACTION), Router B
# loses its state. Passes when traffic comes back through the tunnel
# within BOUND s of Router B's charon being ready (its connection loaded),
# both routers then hold the same ESP SAs (traffic counted on Router B's
# inbound SA: clear-text forwarding cannot pass), and spirecd's verdict
# matches: "healed in N ms" when Router A healed within verify_window
# (30 s) of the recovery, "still sends unknown SPIs" or "no SA from the
# peer" when it did not.
pluto_heal_case() {
	local name=$1 auto=$2 action=$3 bound=$4 rc=0 why
	trace "pluto_heal_case $name"
	why=$(libreswan_missing)
	[ -z "$why" ] || { SKIP_WHY=$why; return 77; }
	spirecd_conf "$tmp/spirecd.conf" "$action" "$PSK"
	sed -i -e 's/^local_id = .*/local_id = 198.51.100.2/' \
		-e 's/^remote_id = .*/remote_id = 198.51.100.1/' \
		-e 's/^ike = .*/ike = aes128-sha256-x25519/' "$tmp/spirecd.conf"
	if ! pluto_black_hole_begins "$auto" > "$tmp/setup.out" 2>&1; then
		diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"
		tail -n 40 "$RA/pluto.log" 2>/dev/null | diag
		cat "$RA/pluto.out" 2>/dev/null | diag
		pluto_keep_logs "$name"
		return 1
	fi
	log "$name: pluto's SAs before the loss: $RA_STATES_BEFORE"
	local loaded after="" ok_at healed=0
	TL_T0=$(ms_of_day "$LOST_AT")
	slowwait 60 tl_loaded || true
	loaded=$(tl_at "$RB/charon.log" "added vici connection" last)
	[ -n "$loaded" ] || loaded=$(ms_of_day "$READY_AT")
	# The bound counts from Router B's charon ready: wait that long
	# after it, plus the restart itself.
	if wait_healed $(( bound + (loaded - TL_T0) / 1000 + 2 )) "$AT"; then
		healed=1
		heal_confirmed "$AT"
	else
		ping_stop
		blackhole "$AT"
	fi
	if [ $healed = 1 ]; then
		ok_at=$(answered_at "$BH_FIRST_OK")
		[ -n "$ok_at" ] && after=$(( $(ms_of_day "$ok_at") - loaded ))
		record "$name: black hole $BH_MS ms (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost); Router B's charon ready $((loaded - TL_T0)) ms after the loss; traffic back ${after:-?} ms after it was ready"
		if [ -z "$after" ] || [ "$after" -gt $((bound * 1000)) ]; then
			log "$name: traffic back ${after:-?} ms after Router B's charon was ready: over the bound, $bound s"
			rc=1
		fi
		if ! slowwait 10 spis_match; then
			log "$name: the routers' ESP SAs differ after the heal"
			{ echo "Router A:"; ip -n $NS_RA -s xfrm state; echo "Router B:"; ip -n $NS_RB -s xfrm state; } | diag
			rc=1
		fi
		# spirecd's verdict: verify_window is 30 s from its recovery.
		local verdict=""
		local re='healed in [0-9]+ ms|still sends unknown SPIs [0-9]+ s after recovery|no SA from the peer [0-9]+ s after recovery'
		slowwait 45 grep -qE "$re" "$tmp/spirecd.log" &&
			verdict=$(grep -oE "$re" "$tmp/spirecd.log" | tail -n 1)
		record "$name: spirecd: ${verdict:-no verdict}"
		case "$verdict" in
		"healed in"*)
			if [ -z "$after" ] || [ "$after" -gt 32000 ]; then
				log "$name: spirecd says healed, but traffic came back only after ${after:-?} ms"
				rc=1
			fi ;;
		"still sends"*|"no SA from"*)
			if [ -z "$after" ] || [ "$after" -lt 20000 ]; then
				log "$name: spirecd says unhealed, but traffic came back after ${after:-?} ms"
				rc=1
			fi ;;
		*) log "$name: spirecd gave no verdict"; rc=1 ;;
		esac
	else
		log "$name: still black-holed ${bound} s after Router B's charon was ready"
		record "$name: black hole over $bound s after Router B's charon ready"
		rc=1
	fi
	log "$name: pluto's SAs after: $(pluto_states "$RA")"
	pluto_timeline "$name"
	if verbose; then
		diag < "$tmp/spirecd.log"
		tail -n 60 "$RA/pluto.log" | diag
	fi
	pluto_keep_logs "$name"
	return $rc
}

# pluto_black_hole_begins AUTO: tunnel up (Router A = pluto), spirecd
# running, ping running, then Router B loses its state. Sets AT.
pluto_black_hole_begins() {
	setup_pluto_a "$1" || return 1
	spirecd_start "$tmp/spirecd.conf" || return 1
	ping_start
	ping_flowing || { echo "no ping answered"; return 1; }
	AT=$(last_answered)
	RA_STATES_BEFORE=$(pluto_states "$RA")
	lose_state_rb
}

pluto_keep_logs() {
	cp "$tmp/setup.out" "$SPIREC_OUT/setup-$1.out" 2>/dev/null
	keep_logs "$1"
	cp "$RA/pluto.log" "$SPIREC_OUT/pluto-a-$1.log" 2>/dev/null
	cp "$RA/pluto.out" "$SPIREC_OUT/pluto-a-$1.out" 2>/dev/null
}

tl_loaded() { [ -n "$(tl_at "$RB/charon.log" "added vici connection" last)" ]; }
# --- the hub (lib-hub.sh) ---------------------------------------------------

# hub_black_hole_begins ACTION: the hub scenario set up (with its
# reference), spirecd with ACTION on the hub (none: no spirecd), then the
# hub loses its state. Its output goes to setup.out.
hub_black_hole_begins() {
	hub_setup || return 1
	if [ "$1" != none ]; then
		hub_spirecd_conf "$tmp/spirecd.conf" "$1"
		spirecd_start "$tmp/spirecd.conf" || return 1
	fi
	hub_lose
}

# hub_case NAME ACTION: ACTION ikev2 or vici must bring every spoke's
# traffic back within HUB_HEAL_WAIT s, with the same ESP SAs on both sides
# (the hub's inbound one from every spoke counting packets) and spirecd's
# "healed" verdict for every spoke; ACTION none (the baseline) must leave
# every spoke black-holed for BASELINE_WAIT s. Figures: hub_figures.
hub_case() {
	local name=$1 action=$2 rc=0 verdicts=0
	trace "hub_case $name"
	hub_black_hole_begins "$action" > "$tmp/setup.out" 2>&1 ||
		{ diag < "$tmp/setup.out"; [ ! -f "$tmp/spirecd.log" ] || diag < "$tmp/spirecd.log"
		  hub_keep_logs "$name"; return 1; }
	log "$name: reference: the hub's charon set up $HUB_N tunnels in $HUB_REF_MS ms"
	if [ "$action" = none ]; then
		expect "a spoke recovered without spirecd" holds "$BASELINE_WAIT" hub_none_healed
		hub_figures "$name"
	else
		slowwait "$HUB_HEAL_WAIT" hub_all_healed
		hub_figures "$name"
		expect "$((HUB_N - HUB_HEALED)) of $HUB_N spokes still black-holed after $HUB_HEAL_WAIT s" \
			[ "$HUB_HEALED" -ge "$HUB_N" ]
		if ! slowwait 20 hub_spis_match; then
			log "$name: the spokes' and the hub's ESP SAs differ, or a spoke's tunnel counted nothing ($(hub_counted_spokes) of $HUB_N did)"
			{ echo "spokes:"; esp_spis $NS_RA; echo; echo "hub:"; esp_spis $NS_RB; echo; } | diag
			rc=1
		fi
		hub_verdicts() { verdicts=$(grep -c 'healed in [0-9]* ms' "$tmp/spirecd.log"); [ "$verdicts" -ge "$HUB_N" ]; }
		slowwait 30 hub_verdicts ||
			expect "$name: spirecd's verdict 'healed' for only $verdicts of $HUB_N spokes" false
		record "$name: spirecd: $verdicts of $HUB_N spokes healed (its verdicts), $(grep -c 'still sends unknown SPIs\|no SA from the peer' "$tmp/spirecd.log") unhealed"
	fi
	hub_pings_stop
	if verbose; then
		[ ! -f "$tmp/spirecd.log" ] || diag < "$tmp/spirecd.log"
		tail -n 40 "$RB/charon.log" | diag
	fi
	hub_keep_logs "$name"
	return $rc
}

# --- main -----------------------------------------------------------------

e2e_init
echo "TAP version 13"
# Case 16: Router A behind a masquerading NAT (lib.sh nat_setup), tunnel
# in ESP in UDP from the NAT's mapped port. Router B loses its state;
# spirecd (ikev2, [peer] the NAT's public address) must reach Router A
# through the mapping: from Router B's port 4500 (charon's) to the mapped
# port, with the non-ESP marker. vici cannot help here: Router B's charon
# has no mapping to initiate through.
nat_black_hole_begins() {
	nat_setup || return 1
	spirecd_start "$tmp/spirecd.conf" || return 1
	ping_start
	ping_flowing || { echo "no ping answered before the loss"; return 1; }
	AT=$(last_answered)
	lose_state_rb
}

case_nat_ikev2() {
	trace case_nat_ikev2
	local rc=0 sport
	spirecd_conf "$tmp/spirecd.conf" ikev2 "$PSK"
	nat_black_hole_begins > "$tmp/setup.out" 2>&1 ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; nat_teardown; return 1; }
	if wait_healed "$HEAL_WAIT" "$AT"; then
		heal_confirmed "$AT"
		if [ -z "$BH_FIRST_LOST" ]; then
			log "no ping was lost: no black hole"
			rc=1
		else
			record "nat-ikev2: black hole $BH_MS ms (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost)"
		fi
		sport=$(sed -n 's/.*recovering 198\.51\.100\.1:\([0-9]*\) .* from port 4500$/\1/p' "$tmp/spirecd.log" | head -n1)
		if [ -z "$sport" ] || [ "$sport" -lt $NAT_LOW ] || [ "$sport" -gt $NAT_HIGH ]; then
			log "spirecd did not talk to the NAT's mapped port from port 4500"
			rc=1
		fi
		grep -q "destroying duplicate IKE_SA" "$RA/charon.log" ||
			{ log "Router A did not take INITIAL_CONTACT"; rc=1; }
	else
		ping_stop
		log "nat-ikev2: still black-holed after $HEAL_WAIT s"
		rc=1
	fi
	if verbose; then
		diag < "$tmp/spirecd.log"
		tail -n 40 "$RA/charon.log" | diag
		tail -n 40 "$RB/charon.log" | diag
	fi
	keep_logs nat-ikev2
	nat_teardown
	return $rc
}

CASES="$(seq $NCASES)"
# SPIREC_E2E_ONLY: run these cases and report nothing else (make check
# splits the cases over two guests).
[ -z "${SPIREC_E2E_ONLY:-}" ] || CASES=$SPIREC_E2E_ONLY
skip_all=
[ "$(id -u)" = 0 ] || skip_all="needs root"
[ -x "$CHARON" ] || skip_all="no charon at $CHARON"
command -v swanctl > /dev/null || skip_all="no swanctl"
for p in openssl gcm vici kernel-netlink; do
	[ -e /usr/lib/ipsec/plugins/libstrongswan-$p.so ] ||
		skip_all="charon plugin $p missing (libstrongswan-standard-plugins)"
done
command -v ping > /dev/null || skip_all="no ping (iputils-ping)"
[ -x "$SPIRECD" ] || skip_all="no $SPIRECD (make -C userspace)"
[ -x "$SPIRECCTL" ] || skip_all="no $SPIRECCTL (make -C userspace)"
if [ -z "$skip_all" ]; then
	# Our own copy: case 6 loads it again, the tree's may be rebuilt by then.
	if [ -f "$KMOD" ] && cp "$KMOD" "$tmp/spirec.ko"; then
		KMOD=$tmp/spirec.ko
	fi
	if [ ! -d /sys/module/spirec ]; then
		[ -f "$KMOD" ] || skip_all="$KMOD not built (make module)"
		[ -n "$skip_all" ] || load_kmod 2>&1 | diag
		[ -n "$skip_all" ] || [ -d /sys/module/spirec ] ||
			{ echo "Bail out! cannot load $KMOD"; exit 1; }
	fi
fi
if [ -n "$skip_all" ]; then
	# The whole suite skipped: make check fails it under CI.
	echo "1..0 # SKIP $skip_all"
	exit 0
fi
echo "1..$(wc -w <<<"$CASES")"
# IKEv1 tunnel; no spirecd: the black hole stays; spirecd with action
# ikev1 (started after the baseline wait, Router A still sending to the
# lost SPI): Main Mode with INITIAL-CONTACT, Delete + INVALID-SPI, Delete
# ISAKMP; Router A's trap re-keys with Router B's charon.
# v1_baseline_then_spirecd NAME WAIT PROPS: the black hole (since AT) must
# hold WAIT s without spirecd (the subject: stops early if it heals);
# then spirecd starts with action ikev1 (IKE proposals PROPS). Sets
# V1_STARTED (its start) and V1_BEFORE (the last ping sent before).
v1_baseline_then_spirecd() {
	local name=$1 wait=$2 props=$3
	trace "$name baseline $wait s"
	holds "$wait" black_holed "$AT"
	blackhole "$AT"
	if [ -n "$BH_FIRST_OK" ] || [ -z "$BH_FIRST_LOST" ]; then
		ping_stop
		log "$name baseline: no black hole without spirecd (lost ${BH_FIRST_LOST:-none}, back ${BH_FIRST_OK:-never})"
		return 1
	fi
	record "$name baseline (no spirecd): still black-holed after $wait s"
	spirecd_conf "$tmp/spirecd.conf" ikev1 "$PSK" "$props"
	V1_STARTED=$EPOCHREALTIME
	spirecd_start "$tmp/spirecd.conf" > "$tmp/spirecd-start.out" 2>&1 ||
		{ diag < "$tmp/spirecd-start.out"; ping_stop; return 1; }
	V1_BEFORE=$(last_sent)
}

# case_ikev1 NAME esp|ah: the child SA in ESP or in AH.
case_ikev1() {
	trace "case_ikev1 $*"
	local name=$1 proto=$2 rc=0 wait=${SPIREC_E2E_V1_BASELINE_WAIT:-10}
	local props=aes128-sha256-modp2048 child="esp_proposals = aes128gcm16"
	[ "$proto" = ah ] && child="ah_proposals = sha256"
	E2E_IKE_VERSION=1 E2E_IKE_PROPOSALS=$props E2E_CHILD_PROPOSALS=$child \
		black_hole_begins trap || { diag < "$tmp/setup.out"; return 1; }
	if [ "$proto" = ah ] && ! ip -n $NS_RA xfrm state | grep -q "proto ah"; then
		log "the tunnel is not AH"; ip -n $NS_RA xfrm state | diag; return 1
	fi
	grep -q "IKE_SA gw\[[0-9]*\] established" "$RA/charon.log" &&
		grep -q "Main Mode\|ID_PROT" "$RA/charon.log" ||
		{ log "the tunnel is not IKEv1"; tail -n 20 "$RA/charon.log" | diag; return 1; }
	v1_baseline_then_spirecd "$name" "$wait" "$props" || return 1
	if slowwait "$HEAL_WAIT" answered_after "$V1_BEFORE"; then
		ping_stop
		record "$name: traffic back $(ms_between "$V1_STARTED" "$EPOCHREALTIME") ms (at most) after spirecd started"
	else
		ping_stop
		log "$name: still black-holed $HEAL_WAIT s after spirecd started"
		rc=1
	fi
	expect "spirecd did not log a completed ikev1 recovery for ${proto^^}" \
		grep -q "ikev1 done.*Delete + INVALID-SPI for ${proto^^} SPI" "$tmp/spirecd.log"
	expect "Router A's charon did not log our Delete of the ${proto^^} SPI" \
		grep -q "received DELETE for ${proto^^} CHILD_SA" "$RA/charon.log"
	expect "Router A's charon logged no INITIAL_CONTACT" \
		grep -q "INITIAL_CONTACT\|INITIAL-CONTACT" "$RA/charon.log"
	if verbose; then
		diag < "$tmp/spirecd.log"
		tail -n 60 "$RA/charon.log" | diag
	fi
	keep_logs "$name"
	return $rc
}

# --- libreswan as Router A (case 20) ----------------------------------------
# The unpacked libreswan tree: lib-libreswan.sh finds it.
LSW=$LIBRESWAN_ROOT

# pluto in Router A's namespace and a mount namespace of its own (the
# unpacked tree's /usr/libexec over the system's: pluto runs the
# compiled-in /usr/libexec/ipsec/addconn), IKEv1 to Router B's charon.
v1_start_pluto() {
	pluto_conf_v1 "$RA" 198.51.100.1 198.51.100.2 192.0.2.0/24 203.0.113.0/24 \
		"aes128-sha2_256;modp2048" ondemand > /dev/null || return 1
	start_pluto "$RA" $NS_RA
}

case_ikev1_libreswan() {
	trace case_ikev1_libreswan
	local rc=0 wait=${SPIREC_E2E_V1_BASELINE_WAIT:-10} props=aes128-sha256-modp2048
	# pluto revives the deleted SA with a Quick Mode over its stale ISAKMP
	# SA (which Router B lost) and keeps retrying that: the heal is only
	# recorded (measured 2026-12-03: none within 150 s).
	local heal=${SPIREC_E2E_LSW_HEAL_WAIT:-10} gone=
	if [ ! -x "$LSW/usr/libexec/ipsec/pluto" ] || ! command -v certutil > /dev/null; then
		SKIP_WHY="no libreswan under $LSW (make deps)"
		return 77
	fi
	{
		teardown
		rm -rf "$RA" "$RB"
		mkdir -p "$RA"
		topology || return 1
		E2E_IKE_VERSION=1 E2E_IKE_PROPOSALS=$props \
			E2E_CHILD_PROPOSALS="esp_proposals = $props" \
			router_conf "$RB" "$RB_IKE_ADDRS" "$RA_IKE_ADDRS" router-b.example.org \
			router-a.example.org 203.0.113.0/24 192.0.2.0/24 none
		charon_launch "$RB" $NS_RB || return 1
		v1_start_pluto || { echo "pluto did not start"; return 1; }
		charon_ready "$RB" $NS_RB || return 1
		whack "$RA" --name gw --initiate > "$tmp/lsw-initiate.out" 2>&1
		ping_start
		ping_flowing || { echo "no ping answered through the libreswan tunnel"
			cat "$tmp/lsw-initiate.out"; tail -n 30 "$RA/pluto.log"; return 1; }
		OLD_SPI=$(rb_inbound_spi)
		AT=$(last_answered)
		lose_state_rb || return 1
	} > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	v1_baseline_then_spirecd ikev1-libreswan "$wait" "$props" || return 1
	# Our Delete: the stale outbound SA leaves Router A's kernel.
	ra_has_old() { ip -n $NS_RA xfrm state list src 198.51.100.1 dst 198.51.100.2 |
		grep -q "spi $OLD_SPI "; }
	ra_old_gone() { ! ra_has_old; }
	slowwait 20 ra_old_gone && gone=1
	if slowwait "$heal" answered_after "$V1_BEFORE"; then
		record "ikev1-libreswan: traffic back $(ms_between "$V1_STARTED" "$EPOCHREALTIME") ms (at most) after spirecd started"
	else
		record "ikev1-libreswan: still black-holed $heal s after spirecd started (pluto re-keys over its stale ISAKMP SA: $(grep -c 'initiating Quick Mode' "$RA/pluto.log") Quick Mode attempts)"
	fi
	ping_stop
	if [ -z "$gone" ]; then
		log "Router A still has the stale SA $OLD_SPI"
		ip -n $NS_RA xfrm state | diag
		rc=1
	fi
	expect "spirecd did not log a completed ikev1 recovery" \
		grep -q "ikev1 done" "$tmp/spirecd.log"
	expect "pluto did not log our Delete of the stale SPI $OLD_SPI" \
		grep -qE "received Delete SA(\($OLD_SPI\))? payload: (deleting|replace) IPsec State" "$RA/pluto.log"
	if verbose; then
		diag < "$tmp/spirecd.log"
		grep -v "seccomp\|adding UDP\|RFC\|CAVP\|testing\|helper" "$RA/pluto.log" | tail -n 60 | diag
	fi
	keep_logs ikev1-libreswan
	cp "$RA/pluto.log" "$SPIREC_OUT/pluto-a-ikev1-libreswan.log" 2>/dev/null
	return $rc
}

: > "$RESULTS"
t0=$SECONDS
warm_up_crypto
log "crypto warm-up: $((SECONDS - t0)) s"
log "kernel $(uname -r), $(nproc) CPU(s), charon $("$CHARON" --version 2>/dev/null | head -n1)"

for n in $CASES; do
	if ! want_case "$n"; then
		echo "ok $n - e2e: ${CASE_NAMES[$n]} # SKIP not selected"
		continue
	fi
	t0=$SECONDS
	case $n in
	1) case_baseline ;;
	2) heal_case ikev2 trap ikev2 ;;
	3) heal_case vici none vici ;;
	4) case_peers ;;
	5) case_wrong_psk ;;
	6) case_module_reload ;;
	7) case_hint ;;
	8) case_resync ;;
	9) case_spoof ikev2 ;;
	10) case_spoof vici ;;
	11) case_spoof exec ;;
	12) case_spoof hint ;;
	13) case_rekey_storm ;;
	14) case_vti ;;
	15) case_transport ;;
	16) case_nat_ikev2 ;;
	17) case_ikev1 ikev1 esp ;;
	18) case_ikev1 ikev1-ah ah ;;
	19) E2E_IKE_VERSION=1 E2E_IKE_PROPOSALS=aes128-sha256-modp2048 \
		E2E_SPIRECD_IKE=aes128-sha256-modp2048 \
		heal_case ikev1-heal trap ikev1 ;;
	20) case_ikev1_libreswan ;;
	21) case_systemd ;;
	22) pluto_heal_case pluto-vici ondemand vici "${SPIREC_E2E_PLUTO_VICI_BOUND:-5}" ;;
	23) pluto_heal_case pluto-ikev2 ondemand ikev2 "${SPIREC_E2E_PLUTO_IKEV2_BOUND:-90}" ;;
	24) PLUTO_CONN_OPTS="retransmit-timeout=5s" \
		pluto_heal_case pluto-ikev2-rt5 ondemand ikev2 "${SPIREC_E2E_PLUTO_RT5_BOUND:-20}" ;;
	25) PLUTO_CONN_OPTS="retransmit-timeout=5s
	dpddelay=5s
	dpdtimeout=5s
	dpdaction=restart" \
		pluto_heal_case pluto-ikev2-restart ondemand ikev2 "${SPIREC_E2E_PLUTO_RESTART_BOUND:-15}" ;;
	26) case_netns2 ;;
	27) hub_case hub-ikev2 ikev2 ;;
	28) hub_case hub-vici vici ;;
	29) hub_case hub-baseline none ;;
	*) SKIP_WHY="no case $n"; (exit 77) ;;
	esac
	rc=$?
	log "case $n: $((SECONDS - t0)) s"
	if [ "$rc" = 77 ]; then
		result "$n" 0 "SKIP $SKIP_WHY"
	else
		result "$n" "$rc"
	fi
done
teardown
log "e2e: $NCASES cases, $failed failed, $((SECONDS - start_all)) s"
[ "$failed" = 0 ]
