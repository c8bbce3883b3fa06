#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tear-down under load: `rmmod spirec` while a flood of unknown SPIs from
# many sources hits an enabled namespace with a listener, and `ip netns
# del` of that namespace during a flood. The kernel must log nothing bad,
# the module must come back (insmod) and work in a fresh namespace.
# Run it last: it unloads and reloads the module.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="rmmod_during_flood netns_del_during_flood works_after_teardown"

setup() {
	require_cmd rmmod insmod || return 1
	topo_ab
}

# flood: spoofed IPv4 and IPv6 sources, random SPIs, until killed.
flood_start() {
	ip netns exec "$NS_A" "$SEND" -4 --src-prefix 198.51.100.0/24 -n 200 -d 192.0.2.2 -p esp --spi random -c 0 -t 60 -k -q &
	FLOOD4=$!
	bg_add $FLOOD4
	ip netns exec "$NS_A" "$SEND" -6 --src-prefix 2001:db8:1::/64 -n 200 -d 2001:db8::2 -p udp --spi random -c 0 -t 60 -k -q &
	FLOOD6=$!
	bg_add $FLOOD6
}

flood_stop() {
	bg_stop "$FLOOD4"
	bg_stop "$FLOOD6"
}

# How long the flood goes on after the module or the namespace is gone:
# packets keep arriving while the tear-down's RCU grace periods and
# deferred frees run (the test's subject, not a wait for something).
FLOOD_AFTER_RMMOD_S=0.5
FLOOD_AFTER_NETNS_DEL_S=1

# inspected_above NS N: the inspected counter of NS is above N.
inspected_above() {
	json_get inspected "$(ctl "$1" -j stats)"
	[[ $REPLY =~ ^[0-9]+$ ]] && [ "$REPLY" -gt "$2" ]
}

# inspected_grows NS: the counter moves (within 20 s).
inspected_grows() {
	json_get inspected "$(ctl "$1" -j stats)"
	[[ $REPLY =~ ^[0-9]+$ ]] && slowwait 20 inspected_above "$1" "$REPLY"
}

rmmod_during_flood() {
	local mon rc
	sc_set "$NS_B" enabled 1
	sc_set "$NS_B" max_peers 128
	ctl "$NS_B" known add 192.0.2.1
	ip netns exec "$NS_B" "$SPIRECCTL" -j monitor -t 60 >/dev/null 2>&1 &
	mon=$!
	bg_add $mon
	wait_listener "$NS_B" || check_fail "monitor did not start"
	flood_start
	inspected_grows "$NS_B" || check_fail "the flood does not reach the module"
	rmmod spirec
	rc=$?
	check_eq "rmmod spirec during the flood exited" 0 $rc
	[ -d /sys/module/spirec ] && check_fail "/sys/module/spirec still there after rmmod"
	[ -d /proc/sys/net/spirec ] && check_fail "net.spirec sysctls still there after rmmod"
	sleep "$FLOOD_AFTER_RMMOD_S"
	flood_stop
	bg_stop $mon
	if ! insmod "$KMOD"; then
		check_fail "insmod $KMOD after rmmod failed"
		return
	fi
	# Fresh module: defaults again in the old namespace.
	check_eq "enabled after reload" 0 "$(sc_get "$NS_B" enabled)"
	json_get peer_count "$(ctl "$NS_B" -j stats)"
	check_eq "peer_count after reload" 0 "$REPLY"
}

netns_del_during_flood() {
	local mon
	sc_set "$NS_B" enabled 1
	ip netns exec "$NS_B" "$SPIRECCTL" -j monitor -t 60 >/dev/null 2>&1 &
	mon=$!
	bg_add $mon
	wait_listener "$NS_B" || check_fail "monitor did not start"
	ctl "$NS_B" known add 2001:db8::1
	flood_start
	inspected_grows "$NS_B" || check_fail "the flood does not reach the module"
	# The monitor's socket keeps nothing alive: delete while it runs.
	ns_del "$NS_B"
	sleep "$FLOOD_AFTER_NETNS_DEL_S"
	flood_stop
	bg_stop $mon
	check_ok "module still loaded" test -d /sys/module/spirec
}

works_after_teardown() {
	local ns
	ns_add NS_C spirec-c || { check_fail "netns"; return; }
	check_eq "enabled in a new netns" 0 "$(sc_get "$NS_C" enabled)"
	stats_snap "$NS_C" fresh || return
	check_eq "inspected in a new netns" 0 "${STATS[fresh.inspected]}"
	# Rebuild a receiver in C fed by A and see one event.
	veth_pair "$NS_A" vc "$NS_C" vd || { check_fail "veth"; return; }
	ip -n "$NS_A" addr add 203.0.113.1/24 dev vc
	ip -n "$NS_C" addr add 203.0.113.2/24 dev vd
	sc_set "$NS_C" enabled 1
	monitor_start "$NS_C" "$TMP/mon.c" -c 1 -t 20 || { check_fail "monitor did not start"; return; }
	send "$NS_A" -4 -s 203.0.113.1 -d 203.0.113.2 -p ah --spi 0x0000f001 -q
	monitor_wait
	check_event "$TMP/mon.c" 1 src=203.0.113.1 dst=203.0.113.2 spi=0x0000f001 proto=ah
}

ktap_main "$@"
