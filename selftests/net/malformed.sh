#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Malformed and non-ESP packets the hooks must survive: ESP and AH shorter
# than their headers, UDP 4500 runts, NAT keep-alives, IKE (zero marker),
# IPv6 with a long extension-header chain before ESP. Each is counted as
# malformed or ignored; none raises an event. At the end a well-formed
# packet must still produce the first event the monitor saw.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="esp_short ah_short espinudp_short udp_runt nat_keepalive
	ike_zero_marker ipv6_ext_chain still_working"

setup() {
	topo_ab || return 1
	sc_set "$NS_B" enabled 1 || return 1
	monitor_start "$NS_B" "$TMP/mon" -c 1 -t 120 || return 1
	MON_ALL=$MON_PID
}

# both FAMILY-ARGS...: sends the same malformed packet over IPv4 and IPv6.
send_both() {
	send "$NS_A" -4 -s 192.0.2.1 -d 192.0.2.2 -q "$@" &&
		send "$NS_A" -6 -s 2001:db8::1 -d 2001:db8::2 -q "$@"
}

# no_event_yet: the monitor must not have printed anything.
no_event_yet() {
	if [ -s "$TMP/mon" ]; then
		check_fail "an event for a malformed packet:"
		diag <"$TMP/mon"
	fi
}

# Must be counted as malformed: a header that is not all there.
expect_malformed() {
	local n=$1
	shift
	stats_snap "$NS_B" before || return
	check_ok "spirec-send $*" send_both "$@"
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=* malformed="$n"
	no_event_yet
}

esp_short() { expect_malformed 2 -m esp-short; }
ah_short() { expect_malformed 2 -m ah-short; }
# Non-zero marker, so ESP, but 6 bytes: shorter than SPI + sequence number.
espinudp_short() { expect_malformed 2 -p udp --len 6; }

# 1-3 bytes after the UDP header (not a keep-alive): malformed or ignored,
# never an unknown SPI.
udp_runt() {
	local len m
	stats_snap "$NS_B" before || return
	for len in 1 2 3; do
		check_ok "udp runt of $len" send_both -m udp-runt --len $len
	done
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=* malformed=*
	stat_delta before after malformed
	m=$REPLY
	if [ "$m" != 0 ] && [ "$m" != 6 ]; then
		check_fail "malformed moved by $m for 6 runts (expected 0 or 6)"
	fi
	no_event_yet
}

# RFC 3948 keep-alive (one 0xff byte) and IKE (zero marker) are normal
# traffic on port 4500: neither malformed nor unknown.
nat_keepalive() {
	stats_snap "$NS_B" before || return
	check_ok "keep-alive" send_both -m keepalive -c 3
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=*
	no_event_yet
}

ike_zero_marker() {
	stats_snap "$NS_B" before || return
	check_ok "IKE with zero marker" send_both -m zero-marker -c 3
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=*
	no_event_yet
}

# Hop-by-Hop + 31 Destination Options headers, then ESP with an unknown
# SPI: the module walks the chain (unknown_esp, an event is fine then),
# gives up (malformed) or ignores it; never counts one packet twice, never
# crashes.
ipv6_ext_chain() {
	local m u n
	stats_snap "$NS_B" before || return
	check_ok "IPv6 extension chain" send "$NS_A" -6 -s 2001:db8::1 -d 2001:db8::2 -q -m ext-chain --ext 32 --spi 0x0000d001
	check_ok "IPv6 extension chain of 120" send "$NS_A" -6 -s 2001:db8::1 -d 2001:db8::2 -q -m ext-chain --ext 120 --spi 0x0000d002
	stats_snap "$NS_B" after || return
	stat_delta before after malformed
	m=$REPLY
	stat_delta before after unknown_esp
	u=$REPLY
	log "2 packets with long extension chains: malformed +$m, unknown_esp +$u"
	check_le "malformed + unknown_esp" 2 $((m + u))
	check_deltas before after inspected=* malformed=* unknown_esp=* events=* limited_peer=*
	if [ -s "$TMP/mon" ]; then
		check_event "$TMP/mon" 1 src=2001:db8::1 spi=0x0000d001 proto=esp
		: >"$TMP/mon.used"
	fi
}

still_working() {
	local n
	stats_snap "$NS_B" before || return
	if [ -e "$TMP/mon.used" ]; then
		# The chain test already took the monitor's one event.
		monitor_start "$NS_B" "$TMP/mon2" -c 1 -t 20 || { check_fail "monitor did not start"; return; }
		MON_ALL=$MON_PID
		n=mon2
	else
		MON_PID=$MON_ALL
		n=mon
	fi
	send "$NS_A" -4 -s 198.51.100.9 -d 192.0.2.2 -p esp --spi 0x0000d00f -q
	MON_PID=$MON_ALL
	monitor_wait
	stats_snap "$NS_B" after || return
	check_event "$TMP/$n" 1 family=inet src=198.51.100.9 dst=192.0.2.2 spi=0x0000d00f proto=esp encap=none
	check_deltas before after inspected=1 unknown_esp=1 events=1
}

ktap_main "$@"
