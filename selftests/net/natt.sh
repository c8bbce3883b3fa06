#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ESP in UDP and the NAT-T port: net.spirec.natt_port (default 4500,
# 1-65535) is the UDP destination port the module looks for ESP on. A
# real transport-mode SA pair encapsulated on port 4501 (a UDP socket
# with UDP_ENCAP_ESPINUDP on 4501 on each side, as charon's port_nat_t
# would make) loses its state on B: unseen with the default port, reported
# with natt_port=4501. And a UDP payload of exactly 8 bytes is not ESP:
# xfrm hands it to the socket, spirec ignores it.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="natt_port_default natt_port_range espinudp_8_bytes
	espinudp_9_bytes natt_port_other"

ENC_KEY=0x0123456789abcdef0123456789abcdef
AUTH_KEY=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
PORT=4501
SPI_AB=0x5e004501
SPI_BA=0x5e004502

setup() {
	topo_ab || return 1
	sc_set "$NS_B" enabled 1 || return 1
	encap_sock "$NS_A" 4 "$PORT" && encap_sock "$NS_B" 4 "$PORT" || return 1
	sa_lines 192.0.2.1 192.0.2.2 "$SPI_AB" "$SPI_BA" | ip -n "$NS_A" -batch - || return 1
	sa_lines 192.0.2.2 192.0.2.1 "$SPI_BA" "$SPI_AB" | ip -n "$NS_B" -batch - || return 1
	in_ns "$NS_A" ping -q -n -c 1 -W 5 -I 192.0.2.1 192.0.2.2 >/dev/null 2>&1 ||
		{ echo "no ping over the SAs on port $PORT"; ip -n "$NS_B" -s xfrm state; return 1; }
}

# sa_lines LOCAL REMOTE SPI_OUT SPI_IN: ESP in UDP on $PORT, transport mode.
sa_lines() {
	local l=$1 r=$2 out=$3 in=$4
	local algo="enc cbc(aes) $ENC_KEY auth-trunc hmac(sha256) $AUTH_KEY 128"
	local encap="encap espinudp $PORT $PORT 0.0.0.0"
	echo "xfrm state add src $l dst $r proto esp spi $out reqid $((out)) mode transport $algo $encap"
	echo "xfrm state add src $r dst $l proto esp spi $in reqid $((in)) mode transport $algo $encap"
	echo "xfrm policy add src $l/32 dst $r/32 dir out tmpl src $l dst $r proto esp reqid $((out)) mode transport"
	echo "xfrm policy add src $r/32 dst $l/32 dir in tmpl src $r dst $l proto esp reqid $((in)) mode transport"
}

natt_port_default() {
	check_eq "natt_port default" 4500 "$(sc_get "$NS_B" natt_port)"
}

# 1-65535; 0 and 65536 refused, the value unchanged.
natt_port_range() {
	local v
	for v in 0 65536 -1; do
		if sc_set "$NS_B" natt_port "$v" 2>/dev/null; then
			check_fail "natt_port=$v accepted"
		fi
		check_eq "natt_port after writing $v" 4500 "$(sc_get "$NS_B" natt_port)"
	done
	for v in 1 65535 4500; do
		check_ok "natt_port=$v" sc_set "$NS_B" natt_port "$v"
		check_eq "natt_port" "$v" "$(sc_get "$NS_B" natt_port)"
	done
	# Per netns: A's copy did not move.
	check_eq "natt_port in A" 4500 "$(sc_get "$NS_A" natt_port)"
}

# SPI and sequence number, nothing more, to port 4500: not ESP (xfrm
# passes it to the UDP socket), neither malformed nor unknown.
espinudp_8_bytes() {
	stats_snap "$NS_B" before || return
	check_ok "8-byte UDP payload (v4)" send "$NS_A" -4 -s 192.0.2.1 -d 192.0.2.2 -q \
		-p udp --len 8 --spi 0x0000e008 -c 3
	check_ok "8-byte UDP payload (v6)" send "$NS_A" -6 -s 2001:db8::1 -d 2001:db8::2 -q \
		-p udp --len 8 --spi 0x0000e008 -c 3
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=*
}

# One byte more is ESP: an unknown SPI (from a source without live SAs).
espinudp_9_bytes() {
	stats_snap "$NS_B" before || return
	check_ok "9-byte UDP payload" send "$NS_A" -4 -s 198.51.100.9 -d 192.0.2.2 -q \
		-p udp --len 9 --spi 0x0000e009
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=1 unknown_espinudp=1 events=* no_listener=*
}

# B loses its SAs; A's ESP in UDP to port 4501 is ordinary UDP for the
# default natt_port, an unknown SPI with natt_port=4501.
natt_port_other() {
	local spi
	printf -v spi "0x%08x" $((SPI_AB))
	ip -n "$NS_B" xfrm state flush || check_fail "ip xfrm state flush"
	stats_snap "$NS_B" before || return
	in_ns "$NS_A" ping -q -n -c 2 -i 0.2 -W 1 -I 192.0.2.1 192.0.2.2 >/dev/null 2>&1 &&
		check_fail "ping answered although B has no SA"
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=*

	check_ok "natt_port=$PORT" sc_set "$NS_B" natt_port "$PORT"
	monitor_start "$NS_B" "$TMP/mon" -c 1 -t 30 || { check_fail "monitor did not start"; return; }
	stats_snap "$NS_B" before || return
	in_ns "$NS_A" ping -q -n -c 3 -i 0.2 -W 1 -I 192.0.2.1 192.0.2.2 >/dev/null 2>&1 &&
		check_fail "ping answered although B has no SA"
	monitor_wait || check_fail "spirecctl monitor exited $?: $(cat "$TMP/mon.err")"
	stats_snap "$NS_B" after || return
	check_event "$TMP/mon" 1 family=inet src=192.0.2.1 dst=192.0.2.2 \
		spi="$spi" proto=esp encap=udp sport="$PORT" dport="$PORT"
	check_deltas before after inspected=3 unknown_espinudp=3 events=1 limited_peer=2
	sc_set "$NS_B" natt_port 4500
}

ktap_main "$@"
