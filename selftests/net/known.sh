#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# net.spirec.known_peers_only=1: packets from sources that are not on the
# known-peer list are counted as not_known and raise no event; once the
# source is added with `spirecctl known add` it raises events; after
# `known del` it is unknown again. IPv4 and IPv6, address and prefix.
# The SPI of a packet from a source not on the list is not looked up at
# all (no event could come of it): it counts as not_known whether a state
# holds the SPI or not, and never as an unknown SPI.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="known_list_add_del unknown_source_v4 unknown_source_v6 known_prefix_v6
	valid_spi_not_looked_up"

setup() {
	topo_ab || return 1
	sc_set "$NS_B" enabled 1 && sc_set "$NS_B" known_peers_only 1
}

known_list_add_del() {
	check_ok "known add 192.0.2.1" ctl "$NS_B" known add 192.0.2.1
	check_ok "known add 2001:db8::1" ctl "$NS_B" known add 2001:db8::1
	check_refused "known add 192.0.2.1 twice" ctl "$NS_B" known add 192.0.2.1
	ctl "$NS_B" -j known list >"$TMP/known" 2>&1
	log "known list: $(tr -d '\n' <"$TMP/known")"
	grep -q '"192\.0\.2\.1"' "$TMP/known" || check_fail "192.0.2.1 not in the known list"
	grep -q '"2001:db8::1"' "$TMP/known" || check_fail "2001:db8::1 not in the known list"
	check_ok "known del 192.0.2.1" ctl "$NS_B" known del 192.0.2.1
	check_ok "known del 2001:db8::1" ctl "$NS_B" known del 2001:db8::1
	check_refused "known del of an absent entry" ctl "$NS_B" known del 192.0.2.1
	ctl "$NS_B" -j known list >"$TMP/known" 2>&1
	if grep -q '192\.0\.2\.1\|2001:db8::1"' "$TMP/known"; then
		check_fail "entries left after known del: $(tr -d '\n' <"$TMP/known")"
	fi
}

# known_cycle FAMILY STRANGER PEER DST [KNOWN_ENTRY]: the stranger's
# packets are not_known; the peer (once KNOWN_ENTRY is added) raises the
# first event the monitor sees; after deleting the entry it is not_known.
known_cycle() {
	local fam=$1 stranger=$2 peer=$3 dst=$4 entry=${5:-$3}
	ctl "$NS_B" flush
	stats_snap "$NS_B" s0 || return
	monitor_start "$NS_B" "$TMP/mon.known$fam" -c 1 -t 20 || { check_fail "monitor did not start"; return; }
	send "$NS_A" "-$fam" -s "$stranger" -d "$dst" -p esp --spi 0x0000c001 -c 3 -q
	send "$NS_A" "-$fam" -s "$peer" -d "$dst" -p esp --spi 0x0000c002 -c 2 -q
	stats_snap "$NS_B" s1 || return
	check_deltas s0 s1 inspected=5 not_known=5

	check_ok "known add $entry" ctl "$NS_B" known add "$entry"
	send "$NS_A" "-$fam" -s "$stranger" -d "$dst" -p esp --spi 0x0000c003 -q
	send "$NS_A" "-$fam" -s "$peer" -d "$dst" -p esp --spi 0x0000c004 -q
	monitor_wait
	stats_snap "$NS_B" s2 || return
	check_event "$TMP/mon.known$fam" 1 src="$peer" dst="$dst" spi=0x0000c004
	check_deltas s1 s2 inspected=2 unknown_esp=1 not_known=1 events=1

	check_ok "known del $entry" ctl "$NS_B" known del "$entry"
	ctl "$NS_B" flush
	send "$NS_A" "-$fam" -s "$peer" -d "$dst" -p esp --spi 0x0000c005 -q
	stats_snap "$NS_B" s3 || return
	check_deltas s2 s3 inspected=1 not_known=1
}

unknown_source_v4() { known_cycle 4 198.51.100.7 192.0.2.1 192.0.2.2; }
unknown_source_v6() { known_cycle 6 2001:db8:1::7 2001:db8::1 2001:db8::2; }
# A /64 entry covers every address in it, and only those.
known_prefix_v6() { known_cycle 6 2001:db8::1 2001:db8:1::99 2001:db8::2 2001:db8:1::/64; }

# A stranger's packet for an SPI that a state of Router B holds is
# not_known, as an unknown one is (not looked up); a known peer's is
# looked up and found: inspected only.
valid_spi_not_looked_up() {
	local algo="enc cbc(aes) 0x0123456789abcdef0123456789abcdef auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128"
	ctl "$NS_B" flush
	# shellcheck disable=SC2086 # algo is several words
	ip -n "$NS_B" xfrm state add src 198.51.100.7 dst 192.0.2.2 proto esp \
		spi 0x0000c010 mode transport $algo &&
		ip -n "$NS_B" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
			spi 0x0000c011 mode transport $algo ||
		{ check_fail "xfrm state add"; return; }
	check_ok "known add 192.0.2.1" ctl "$NS_B" known add 192.0.2.1
	stats_snap "$NS_B" s0 || return
	send "$NS_A" -4 -s 198.51.100.7 -d 192.0.2.2 -p esp --spi 0x0000c010 -q
	stats_snap "$NS_B" s1 || return
	check_deltas s0 s1 inspected=1 not_known=1
	send "$NS_A" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi 0x0000c011 -q
	stats_snap "$NS_B" s2 || return
	check_deltas s1 s2 inspected=1
	ctl "$NS_B" known del 192.0.2.1
	ip -n "$NS_B" xfrm state flush
}

ktap_main "$@"
