#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Events for packets whose SPI matches no xfrm state, with real IPsec SAs:
# namespace A keeps transport-mode SAs to B and pings B; B (spirec enabled)
# loses its SAs with `ip xfrm state flush`. Six pairs of addresses, one per
# kind: ESP, AH and ESP-in-UDP (port 4500), each over IPv4 and IPv6.
#  - with valid SAs traffic flows, no event, only "inspected" moves
#  - after the flush, each kind yields one event with the right fields,
#    and the counters and the peer table agree
#  - net.spirec.enabled=0: no event, no counter moves, traffic unaffected
# (and first: the net.spirec sysctls of a new namespace have their defaults)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="sysctl_defaults valid_sa_no_event disabled_valid_sa
	unknown_esp_v4 unknown_esp_v6 unknown_ah_v4 unknown_ah_v6 unknown_espinudp_v4 unknown_espinudp_v6
	disabled_unknown_spi"

ENC_KEY=0x0123456789abcdef0123456789abcdef
AUTH_KEY=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

# name: family A-address B-address proto encap SPI(A->B); SPI(B->A) = +1
declare -A PAIR=(
	[esp4]="4 192.0.2.1 192.0.2.2 esp none 0x5e000410"
	[ah4]="4 192.0.2.11 192.0.2.12 ah none 0x5e000420"
	[udp4]="4 192.0.2.21 192.0.2.22 esp udp 0x5e000430"
	[esp6]="6 2001:db8::1 2001:db8::2 esp none 0x5e000610"
	[ah6]="6 2001:db8::11 2001:db8::12 ah none 0x5e000620"
	[udp6]="6 2001:db8::21 2001:db8::22 esp udp 0x5e000630"
)
PAIRS="esp4 ah4 udp4 esp6 ah6 udp6"

# pair NAME: sets P_FAM P_A P_B P_PROTO P_ENCAP P_SPI.
pair() {
	read -r P_FAM P_A P_B P_PROTO P_ENCAP P_SPI <<<"${PAIR[$1]}"
}

# sa_lines LOCAL REMOTE SPI_OUT SPI_IN: `ip -batch` lines for one side.
sa_lines() {
	local l=$1 r=$2 out=$3 in=$4 algo encap='' plen=32
	[ "$P_FAM" = 6 ] && plen=128
	if [ "$P_PROTO" = esp ]; then
		algo="enc cbc(aes) $ENC_KEY auth-trunc hmac(sha256) $AUTH_KEY 128"
	else
		algo="auth-trunc hmac(sha256) $AUTH_KEY 128"
	fi
	if [ "$P_ENCAP" = udp ]; then
		if [ "$P_FAM" = 4 ]; then
			encap="encap espinudp 4500 4500 0.0.0.0"
		else
			encap="encap espinudp 4500 4500 ::"
		fi
	fi
	echo "xfrm state add src $l dst $r proto $P_PROTO spi $out reqid $((out)) mode transport $algo $encap"
	echo "xfrm state add src $r dst $l proto $P_PROTO spi $in reqid $((in)) mode transport $algo $encap"
	echo "xfrm policy add src $l/$plen dst $r/$plen dir out tmpl src $l dst $r proto $P_PROTO reqid $((out)) mode transport"
	echo "xfrm policy add src $r/$plen dst $l/$plen dir in tmpl src $r dst $l proto $P_PROTO reqid $((in)) mode transport"
}

setup() {
	local p i spi_ba
	topo_ab || return 1
	: >"$TMP/sa.a"
	: >"$TMP/sa.b"
	for i in 11 21; do
		echo "addr add 192.0.2.$i/24 dev va" >>"$TMP/sa.a"
		echo "addr add 2001:db8::$i/64 dev va nodad" >>"$TMP/sa.a"
		echo "addr add 192.0.2.$((i + 1))/24 dev vb" >>"$TMP/sa.b"
		echo "addr add 2001:db8::$((i + 1))/64 dev vb nodad" >>"$TMP/sa.b"
	done
	encap_sock "$NS_A" 4 && encap_sock "$NS_A" 6 &&
	encap_sock "$NS_B" 4 && encap_sock "$NS_B" 6 || return 1
	for p in $PAIRS; do
		pair "$p"
		printf -v spi_ba "0x%08x" $((P_SPI + 1))
		sa_lines "$P_A" "$P_B" "$P_SPI" "$spi_ba" >>"$TMP/sa.a"
		sa_lines "$P_B" "$P_A" "$spi_ba" "$P_SPI" >>"$TMP/sa.b"
	done
	ip -n "$NS_A" -batch "$TMP/sa.a" || return 1
	ip -n "$NS_B" -batch "$TMP/sa.b" || return 1
	sc_set "$NS_B" enabled 1 || return 1
	echo "6 SA pairs up; B's vb has ifindex $B_IFINDEX"
}

# A's namespace is new and untouched by the test.
sysctl_defaults() {
	local -a v
	local want=(enabled=0 peer_interval_ms=5000 global_rate=100
		max_peers=4096 known_peers_only=0 log=1) kv i=0
	mapfile -t v < <(in_ns "$NS_A" sh -c "cd $SYSCTL_DIR && cat enabled peer_interval_ms global_rate max_peers known_peers_only log")
	for kv in "${want[@]}"; do
		check_eq "net.spirec.${kv%%=*}" "${kv#*=}" "${v[i]:-}"
		i=$((i + 1))
	done
}

# ping_pair NAME [PING ARGS]: pings B from A over the pair's addresses.
ping_pair() {
	local p=$1
	shift
	pair "$p"
	in_ns "$NS_A" ping -"$P_FAM" -q -n -I "$P_A" "$@" "$P_B" >"$TMP/ping.$p" 2>&1
}

# ping_all_ok: 3 pings over every pair at once; all must be answered.
ping_all_ok() {
	local p pids=() rc
	for p in $PAIRS; do
		ping_pair "$p" -c 3 -i 0.2 -W 3 &
		pids+=($!)
	done
	set -- $PAIRS
	for pid in "${pids[@]}"; do
		wait "$pid"
		rc=$?
		if [ $rc -ne 0 ]; then
			check_fail "ping over $1 failed (exit $rc)"
			diag <"$TMP/ping.$1"
		fi
		shift
	done
}

valid_sa_no_event() {
	stats_snap "$NS_B" before || return
	monitor_start "$NS_B" "$TMP/mon.valid" -c 1 -t 6 || { check_fail "monitor did not start"; return; }
	ping_all_ok
	monitor_wait
	if [ -s "$TMP/mon.valid" ]; then
		check_fail "events with valid SAs:"
		diag <"$TMP/mon.valid"
	fi
	stats_snap "$NS_B" after || return
	# 6 pairs x 3 echo requests reach B; the replies go to A.
	check_deltas before after inspected=18
}

disabled_valid_sa() {
	sc_set "$NS_B" enabled 0
	check_eq "net.spirec.enabled" 0 "$(sc_get "$NS_B" enabled)"
	stats_snap "$NS_B" before || return
	ping_all_ok
	stats_snap "$NS_B" after || return
	check_deltas before after
	sc_set "$NS_B" enabled 1
}

# lose_sas: B forgets every SA (once); A keeps its own.
lose_sas() {
	[ -e "$TMP/sas-lost" ] && return 0
	ip -n "$NS_B" xfrm state flush || check_fail "ip xfrm state flush"
	check_eq "states left in B" 0 "$(ip -n "$NS_B" xfrm state | grep -c '^src')"
	: >"$TMP/sas-lost"
}

# unknown_spi NAME: A pings over the pair after B lost its SAs.
unknown_spi() {
	local p=$1 fam sp unknown spi
	lose_sas
	pair "$p"
	printf -v spi "0x%08x" $((P_SPI))
	fam=inet
	[ "$P_FAM" = 6 ] && fam=inet6
	if [ "$P_ENCAP" = udp ]; then
		unknown=unknown_espinudp
		sp=(sport=4500 dport=4500)
	else
		unknown=unknown_$P_PROTO
		sp=(sport=- dport=-)
	fi

	stats_snap "$NS_B" before || return
	monitor_start "$NS_B" "$TMP/mon.$p" -c 1 -t 30 || { check_fail "monitor did not start"; return; }
	if ping_pair "$p" -c 3 -i 0.2 -W 1; then
		check_fail "ping over $p answered although B has no SA"
	fi
	monitor_wait || check_fail "spirecctl monitor exited $?: $(cat "$TMP/mon.$p.err")"
	stats_snap "$NS_B" after || return
	check_event "$TMP/mon.$p" 1 family=$fam src="$P_A" dst="$P_B" \
		spi="$spi" proto="$P_PROTO" encap="$P_ENCAP" "${sp[@]}" \
		ifindex="$B_IFINDEX" mark=0 suppressed=0 live_sas=0
	check_eq "monitor lines" 1 "$(wc -l <"$TMP/mon.$p")"
	# Three echo requests: the first is reported, the next two fall in
	# the same peer interval (default 5 s).
	check_deltas before after inspected=3 "$unknown=3" events=1 limited_peer=2

	check_peer "$NS_B" "$P_A" packets=3 events=1 suppressed=2 last_spi="$spi" \
		last_proto="$P_PROTO" last_encap="$P_ENCAP"
}

unknown_esp_v4() { unknown_spi esp4; }
unknown_esp_v6() { unknown_spi esp6; }
unknown_ah_v4() { unknown_spi ah4; }
unknown_ah_v6() { unknown_spi ah6; }
unknown_espinudp_v4() { unknown_spi udp4; }
unknown_espinudp_v6() { unknown_spi udp6; }

# Disabled, then enabled again: the first event the monitor sees must be
# the one after enabling, and nothing moves while disabled.
disabled_unknown_spi() {
	lose_sas
	pair esp4
	sc_set "$NS_B" enabled 0
	stats_snap "$NS_B" before || return
	monitor_start "$NS_B" "$TMP/mon.dis" -c 1 -t 30 || { check_fail "monitor did not start"; return; }
	ping_pair esp4 -c 3 -i 0.2 -W 1
	stats_snap "$NS_B" after || return
	check_deltas before after

	sc_set "$NS_B" enabled 1
	check_ok "spirecctl flush" ctl "$NS_B" flush
	stats_snap "$NS_B" flushed || return
	check_eq "peer_count after flush" 0 "${STATS[flushed.peer_count]}"
	ping_pair esp4 -c 1 -W 1
	monitor_wait
	check_event "$TMP/mon.dis" 1 src="$P_A" dst="$P_B" proto=esp suppressed=0
}

ktap_main "$@"
