#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Rate limiting and the bounded peer table, with raw ESP from namespace A
# to B (no SAs anywhere, so every SPI is unknown):
#  - a 1000-packet burst from one peer: one event per peer_interval_ms,
#    the rest counted as limited_peer and reported as "suppressed"
#  - a paced stream: the number of events follows peer_interval_ms
#  - 500 spoofed sources with global_rate=50: at most 50 events a second
#  - 500 spoofed sources with max_peers=64: the table never holds more

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="peer_burst peer_paced global_rate max_peers"

setup() {
	topo_ab || return 1
	sc_set "$NS_B" enabled 1
}

# sent_field OUTPUT KEY: from spirec-send's "sent N errors E elapsed_ms T".
sent_field() {
	[[ $1 =~ (^|[[:space:]])$2\ ([0-9]+) ]] && echo "${BASH_REMATCH[2]}"
}

# counted_send MON_FILE SEND_ARGS...: the "before" snapshot of NS_B's
# counters, a monitor (`-t 60`, into MON_FILE), spirec-send from NS_A
# with SEND_ARGS, the "after" snapshot; the monitor stopped. Sets OUT
# (spirec-send's summary), MS (its elapsed_ms) and EVENTS (how much the
# events counter moved).
counted_send() {
	local mon=$1
	shift
	stats_snap "$NS_B" before || return 1
	monitor_start "$NS_B" "$mon" -t 60 || { check_fail "monitor did not start"; return 1; }
	OUT=$(send "$NS_A" "$@")
	log "spirec-send: $OUT"
	stats_snap "$NS_B" after || return 1
	bg_stop "$MON_PID"
	MS=$(sent_field "$OUT" elapsed_ms)
	stat_delta before after events
	EVENTS=$REPLY
}

# Burst of 1000 as fast as possible, then one more packet after the
# interval: its event carries the suppressed count of the burst.
peer_burst() {
	local out sent ms k interval=3000 entry
	ctl "$NS_B" flush
	sc_set "$NS_B" peer_interval_ms $interval
	stats_snap "$NS_B" before || return
	monitor_start "$NS_B" "$TMP/mon.burst" -c 1 -t 20 || { check_fail "monitor did not start"; return; }
	out=$(send "$NS_A" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi 0x0000b001 -c 1000)
	log "spirec-send: $out"
	monitor_wait
	stats_snap "$NS_B" after || return
	sent=$(sent_field "$out" sent)
	ms=$(sent_field "$out" elapsed_ms)
	check_eq "packets sent" 1000 "$sent"
	stat_delta before after events
	k=$REPLY
	# One event per started interval of the burst.
	check_ge "events during the burst" 1 "$k"
	check_le "events during the burst (${ms} ms, interval $interval ms)" $((ms / interval + 1)) "$k"
	check_deltas before after inspected=1000 unknown_esp=1000 events="$k" limited_peer=$((1000 - k))
	check_event "$TMP/mon.burst" 1 src=192.0.2.1 spi=0x0000b001 proto=esp suppressed=0

	check_peer "$NS_B" 192.0.2.1 packets=1000 events="$k" suppressed=$((1000 - k)) last_spi=0x0000b001

	# After the interval the next packet is reported again, with what
	# was held back since the previous event.
	monitor_start "$NS_B" "$TMP/mon.burst2" -c 1 -t 20 || { check_fail "monitor did not start"; return; }
	# The interval itself is the subject: wait it out (plus 0.2 s).
	sleep $((interval / 1000)).2
	send "$NS_A" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi 0x0000b002 -q
	monitor_wait
	if [ "$k" = 1 ]; then
		check_event "$TMP/mon.burst2" 1 src=192.0.2.1 spi=0x0000b002 suppressed=999
	else
		check_event "$TMP/mon.burst2" 1 src=192.0.2.1 spi=0x0000b002
	fi
	sc_set "$NS_B" peer_interval_ms 5000
}

# 1000 packets at 400/s (2.5 s) with a 500 ms interval: about 5 events.
peer_paced() {
	local ms k lo hi interval=500
	ctl "$NS_B" flush
	sc_set "$NS_B" peer_interval_ms $interval
	counted_send "$TMP/mon.paced" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi random -c 1000 -r 400 || return
	ms=$MS k=$EVENTS
	# Events are at least one interval apart; while packets keep coming
	# one is due at the end of each interval. The lower bound leaves room
	# for a sender that stalls on a loaded machine (TCG). The module's
	# clock is jiffies: an interval it measures may be up to one tick
	# (10 ms at HZ=100) shorter in real time, once per interval.
	hi=$(((ms + (ms / interval + 1) * 10) / interval + 1))
	lo=$((ms / interval / 2))
	[ $lo -ge 2 ] || lo=2
	log "$k events in $ms ms at $interval ms per event: expected $lo..$hi"
	check_ge "events" $lo "$k"
	check_le "events" $hi "$k"
	check_deltas before after inspected=1000 unknown_esp=1000 events="$k" limited_peer=$((1000 - k))
	sc_set "$NS_B" peer_interval_ms 5000
}

# 500 sources, one packet each, as fast as possible.
global_rate() {
	local ms k lim bound rate=50
	ctl "$NS_B" flush
	sc_set "$NS_B" global_rate $rate
	check_eq "net.spirec.global_rate" $rate "$(sc_get "$NS_B" global_rate)"
	counted_send "$TMP/mon.global" -6 --src-prefix 2001:db8:1::/64 -n 500 -c 500 -d 2001:db8::2 -p esp --spi random || return
	ms=$MS k=$EVENTS
	stat_delta before after limited_global
	lim=$REPLY
	# A bucket of $rate tokens refilled at $rate/s: at most $rate at
	# once plus $rate for every second of the flood.
	bound=$((rate + rate * (ms + 999) / 1000))
	log "$k events, $lim limited_global in $ms ms (bound $bound)"
	check_ge "events" 1 "$k"
	check_le "events" $bound "$k"
	check_ge "limited_global" 1 "$lim"
	# New peers each: nothing is limited per peer, all 500 are accounted.
	# While the bucket is empty a packet's SPI is not looked up (it is
	# limited_global, not unknown_esp): the SPIs looked up are at least
	# the events and fewer than the packets.
	check_deltas before after inspected=500 unknown_esp=* events="$k" limited_global=$((500 - k))
	stat_delta before after unknown_esp
	log "$REPLY SPIs looked up"
	check_ge "unknown_esp" "$k" "$REPLY"
	check_le "unknown_esp" 499 "$REPLY"
	sc_set "$NS_B" global_rate 100
}

max_peers() {
	local out max=64 n c peak=0 poller
	ctl "$NS_B" flush
	sc_set "$NS_B" max_peers $max
	sc_set "$NS_B" global_rate 10000
	check_eq "net.spirec.max_peers" $max "$(sc_get "$NS_B" max_peers)"
	stats_snap "$NS_B" before || return
	monitor_start "$NS_B" "$TMP/mon.max" -t 60 || { check_fail "monitor did not start"; return; }
	# Sample peer_count while the flood runs.
	(
		while :; do
			json_get peer_count "$(ctl "$NS_B" -j stats 2>/dev/null)"
			echo "$REPLY"
			nap 0.05
		done
	) >"$TMP/peer_counts" &
	poller=$!
	bg_add $poller
	out=$(send "$NS_A" -6 --src-prefix 2001:db8:1::/64 -n 500 -c 2000 -d 2001:db8::2 -p esp --spi random -r 1000)
	log "spirec-send: $out"
	bg_stop $poller
	stats_snap "$NS_B" after || return
	bg_stop "$MON_PID"
	while read -r c; do
		[[ $c =~ ^[0-9]+$ ]] && [ "$c" -gt $peak ] && peak=$c
	done <"$TMP/peer_counts"
	n=$(wc -l <"$TMP/peer_counts")
	log "$n samples of peer_count during the flood, highest $peak"
	check_le "peer_count during the flood" $max $peak
	check_le "peer_count after the flood" $max "${STATS[after.peer_count]}"
	check_ge "peer_count after the flood" 1 "${STATS[after.peer_count]}"
	peers_get "$NS_B"
	check_le "entries in the peer dump" $max "${#PEERS[@]}"
	stat_delta before after table_full
	check_ge "table_full" 1 "$REPLY"
	stat_delta before after unknown_esp
	check_eq "unknown_esp moved by" 2000 "$REPLY"
	sc_set "$NS_B" max_peers 4096
	sc_set "$NS_B" global_rate 100
}

ktap_main "$@"
