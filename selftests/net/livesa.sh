#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What the SA database says about a detection (kmod/sadb.c), with real SAs:
# B (spirec enabled) keeps a transport-mode ESP SA pair with A over IPv4
# and IPv6, and a VTI tunnel with A whose SAs carry the tunnel's key as
# their mark.
#  - an unknown SPI from A, ESP or AH, IPv4 or IPv6, is reported with
#    live_sas = the SAs from A to B (any SPI, any protocol, any mark) and
#    counted as not_blackhole
#  - an unknown SPI from an address without SAs is reported with live_sas 0
#  - traffic through the VTI tunnel (its SPIs are not found under the
#    packet's mark at LOCAL_IN) flows and raises no event: other_mark
#  - after B loses its SAs, A's own unknown SPIs are reported with 0

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="live_esp_v4 live_ah_v4 live_esp_v6 no_sa_source vti_not_reported
	lost_sas_zero"

ENC_KEY=0x0123456789abcdef0123456789abcdef
AUTH_KEY=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
ALGO="enc cbc(aes) $ENC_KEY auth-trunc hmac(sha256) $AUTH_KEY 128"
VTI_KEY=42
# A's VTI endpoint (a second address, so that the VTI SAs are the only
# ones between it and B) and the tunnel's inner addresses.
VTI_A=192.0.2.41
VTI_B=192.0.2.42
IN_A=203.0.113.1
IN_B=203.0.113.2

# sa_pair L R SPI_OUT SPI_IN [MARK]: `ip -batch` lines for one side's
# states. The transport-mode pairs get no policy: the states are all the
# module looks at, and a policy on A would capture spirec-send's packets
# (a raw socket's flow has A's own address whatever source it writes).
sa_pair() {
	local l=$1 r=$2 out=$3 in=$4 mark=${5:+mark $5} mode=transport
	[ -n "${5:-}" ] && mode=tunnel
	echo "xfrm state add src $l dst $r proto esp spi $out reqid $((out)) mode $mode $ALGO $mark"
	echo "xfrm state add src $r dst $l proto esp spi $in reqid $((in)) mode $mode $ALGO $mark"
}

# vti_lines L R IN_L IN_R SPI_OUT SPI_IN: one side of the VTI tunnel.
vti_lines() {
	local l=$1 r=$2 il=$3 ir=$4 out=$5 in=$6
	sa_pair "$l" "$r" "$out" "$in" "$VTI_KEY"
	echo "xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out mark $VTI_KEY tmpl src $l dst $r proto esp reqid $((out)) mode tunnel"
	echo "xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in mark $VTI_KEY tmpl src $r dst $l proto esp reqid $((in)) mode tunnel"
	echo "link add vti$VTI_KEY type vti local $l remote $r key $VTI_KEY"
	echo "addr add $il/32 peer $ir/32 dev vti$VTI_KEY"
	echo "link set vti$VTI_KEY up"
}

setup() {
	topo_ab || return 1
	{
		echo "addr add $VTI_A/24 dev va"
		sa_pair 192.0.2.1 192.0.2.2 0x5a000410 0x5a000411
		sa_pair 2001:db8::1 2001:db8::2 0x5a000610 0x5a000611
		vti_lines "$VTI_A" "$VTI_B" "$IN_A" "$IN_B" 0x5a000710 0x5a000711
	} >"$TMP/sa.a"
	{
		echo "addr add $VTI_B/24 dev vb"
		sa_pair 192.0.2.2 192.0.2.1 0x5a000411 0x5a000410
		sa_pair 2001:db8::2 2001:db8::1 0x5a000611 0x5a000610
		vti_lines "$VTI_B" "$VTI_A" "$IN_B" "$IN_A" 0x5a000711 0x5a000710
	} >"$TMP/sa.b"
	modprobe ip_vti 2>/dev/null
	ip -n "$NS_A" -batch "$TMP/sa.a" || return 1
	ip -n "$NS_B" -batch "$TMP/sa.b" || return 1
	in_ns "$NS_B" sh -c "echo 0 > /proc/sys/net/ipv4/conf/vti$VTI_KEY/rp_filter; echo 1 > /proc/sys/net/ipv4/conf/vti$VTI_KEY/disable_policy" || return 1
	in_ns "$NS_A" sh -c "echo 1 > /proc/sys/net/ipv4/conf/vti$VTI_KEY/disable_policy" || return 1
	sc_set "$NS_B" enabled 1 || return 1
	echo "SAs up: ESP over IPv4 and IPv6, VTI key $VTI_KEY ($VTI_A - $VTI_B)"
}

# spoof_case FAM SRC DST PROTO LIVE: one unknown SPI from SRC, its event.
spoof_case() {
	local fam=$1 src=$2 dst=$3 proto=$4 live=$5 nb=0
	[ "$live" -gt 0 ] && nb=1
	check_ok "spirecctl flush" ctl "$NS_B" flush
	stats_snap "$NS_B" before || return
	monitor_start "$NS_B" "$TMP/mon" -c 1 -t 30 || { check_fail "monitor did not start"; return; }
	send "$NS_A" -"$fam" -s "$src" -d "$dst" -p "$proto" --spi 0x7e570001 -c 1 -q ||
		check_fail "spirec-send failed"
	monitor_wait || check_fail "spirecctl monitor exited $?: $(cat "$TMP/mon.err")"
	check_event "$TMP/mon" 1 src="$src" dst="$dst" proto="$proto" \
		spi=0x7e570001 live_sas="$live"
	stats_snap "$NS_B" after || return
	check_deltas before after inspected=1 "unknown_$proto=1" events=1 \
		"not_blackhole=$nb"
}

live_esp_v4() { spoof_case 4 192.0.2.1 192.0.2.2 esp 1; }
# An AH packet while only ESP SAs exist: the source still has live SAs.
live_ah_v4() { spoof_case 4 192.0.2.1 192.0.2.2 ah 1; }
live_esp_v6() { spoof_case 6 2001:db8::1 2001:db8::2 esp 1; }
# B routes 198.51.100.0/24 back to A: no SA from there.
no_sa_source() { spoof_case 4 198.51.100.7 192.0.2.2 esp 0; }

# Pings through the VTI tunnel: answered, and no event. The monitor stops
# at its first event, which must be the one a control packet from an
# address without SAs raises afterwards.
vti_not_reported() {
	check_ok "spirecctl flush" ctl "$NS_B" flush
	stats_snap "$NS_B" before || return
	monitor_start "$NS_B" "$TMP/mon" -c 1 -t 30 || { check_fail "monitor did not start"; return; }
	if ! in_ns "$NS_A" ping -q -n -c 3 -i 0.2 -W 3 -I "$IN_A" "$IN_B" >"$TMP/ping.vti" 2>&1; then
		check_fail "ping through the VTI tunnel failed"
		diag <"$TMP/ping.vti"
	fi
	stats_snap "$NS_B" mid || return
	send "$NS_A" -4 -s 198.51.100.9 -d 192.0.2.2 -p esp --spi 0x7e570002 -c 1 -q ||
		check_fail "spirec-send failed"
	monitor_wait || check_fail "spirecctl monitor exited $?: $(cat "$TMP/mon.err")"
	check_event "$TMP/mon" 1 src=198.51.100.9 spi=0x7e570002 live_sas=0
	# 3 echo requests through the tunnel: the first is looked up without
	# the mark (other_mark), the other two fall in A's peer interval.
	check_deltas before mid inspected=3 unknown_esp=3 other_mark=1 \
		limited_peer=2
	check_eq "VTI SAs on B" 2 "$(ip -n "$NS_B" xfrm state | grep -c "^src.*$VTI_A\|^src $VTI_B")"
}

# After B flushes its SAs, A's next unknown SPI has no live SA behind it.
lost_sas_zero() {
	ip -n "$NS_B" xfrm state flush || check_fail "ip xfrm state flush"
	spoof_case 4 192.0.2.1 192.0.2.2 esp 0
}

ktap_main "$@"
