#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Dumps of the peer table and of the known-peer list: complete when the
# table holds more entries than the old fixed 1024 hash chains, and
# flagged NLM_F_DUMP_INTR when entries are added or removed while a dump is
# read (seen by selftests/tools/spirec-genl, which reports the flag of one
# dump, pausing between its parts so that the table changes in between).
# spirecctl reads a flagged dump again, up to 3 times, then prints the last
# one and a warning naming NLM_F_DUMP_INTR on standard error; unflagged
# listings print no warning (checked here on quiet tables).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="peers_dump_complete peers_dump_while_growing known_dump_complete
	known_dump_while_changing"

PEERS_N=3000
KNOWN_N=800

setup() {
	topo_ab || return 1
	# Every source gets an entry: the global bucket never runs dry (an
	# empty one spares the table).
	sc_set "$NS_B" enabled 1 && sc_set "$NS_B" max_peers 65536 &&
		sc_set "$NS_B" global_rate 100000
}

# count_of NS WHAT: entries of `spirecctl -j WHAT` in NS (an "address" key
# each); its standard error in $TMP/dump.err.
count_of() {
	# shellcheck disable=SC2086 # WHAT is one or two words
	ctl "$1" -j $2 2>"$TMP/dump.err" | grep -o '"address"' | wc -l
}

# wait_peers NS N TIMEOUT_S: the peer table holds at least N entries.
peers_at_least() { [ "$(count_of "$1" peers)" -ge "$2" ]; }
wait_peers() {
	slowwait "$3" peers_at_least "$1" "$2" && return 0
	log "peer table: $(count_of "$1" peers) entries"
	return 1
}

# fill_peers: PEERS_N sources of 2001:db8:1::/64 (always the same ones:
# --seed) each send one packet of an unknown SPI, until the peer table of
# NS_B holds PEERS_N entries, in up to 3 rounds. An insertion can be
# refused while the table waits for its deferred resize (the flood
# outruns it; the packet is counted and dropped as any other without an
# entry): the next round's packet from that source gets its entry.
fill_peers() {
	local round
	for round in 1 2 3; do
		send "$NS_A" -6 --src-prefix 2001:db8:1::/64 -n $PEERS_N -c $PEERS_N \
			--seed 3 -d 2001:db8::2 -p esp --spi random -k -q ||
			check_fail "spirec-send from $PEERS_N sources"
		wait_peers "$NS_B" $PEERS_N 15 && return 0
		log "round $round of $PEERS_N sources left the table short"
	done
	return 1
}

# CMD_GET_PEERS, CMD_KNOWN_GET of uapi/linux/spirec.h
CMD_GET_PEERS=2
CMD_KNOWN_GET=6

# flagged_within NS CMD TRIES: one of TRIES dumps of CMD was flagged.
# spirec-genl waits 200 ms after each part of the dump (-p): the table
# changes in between, whatever the machine's speed.
flagged_within() {
	local i out
	for ((i = 1; i <= $3; i++)); do
		out=$(in_ns "$1" "$GENL" -d -p 200 "$2" 2>&1)
		if [ "$out" = "ok dump-intr" ]; then
			log "dump $i of command $2 flagged NLM_F_DUMP_INTR"
			return 0
		fi
		[ "$out" = ok ] || { check_fail "spirec-genl -d $2: $out"; return 1; }
	done
	return 1
}

# unflagged_within NS CMD TIMEOUT_S: a dump of CMD is not flagged within
# TIMEOUT_S. A table nobody changes any more can still be resized by the
# rhashtable's deferred worker just after the last insertion, and a dump
# that a resize rewinds is rightly flagged: "quiet" means quiet once the
# worker is done.
unflagged_within() {
	slowwait "$3" dump_done "$1" "$2" || return 1
	[ -z "$dump_error" ] && return 0
	check_fail "spirec-genl -d $2: $dump_error"
	return 1
}

# dump_done NS CMD: a dump of CMD was not flagged, or it failed (then
# dump_error says how); false (and logged) if it was flagged.
dump_done() {
	local out
	out=$(in_ns "$1" "$GENL" -d "$2" 2>&1)
	dump_error=
	case $out in
	ok) ;;
	"ok dump-intr")
		log "dump of command $2 flagged NLM_F_DUMP_INTR; again"
		return 1 ;;
	*) dump_error=$out ;;
	esac
}

peers_dump_complete() {
	ctl "$NS_B" flush
	fill_peers || check_fail "the peer table never held $PEERS_N entries"
	unflagged_within "$NS_B" $CMD_GET_PEERS 20 ||
		check_fail "dumps of a quiet peer table still flagged after 20 s"
	check_eq "entries listed by spirecctl peers" $PEERS_N "$(count_of "$NS_B" peers)"
	check_eq "spirecctl peers on a quiet table: standard error" "" "$(cat "$TMP/dump.err")"
}

peers_dump_while_growing() {
	local flood
	ctl "$NS_B" flush
	fill_peers || check_fail "no $PEERS_N peers to start with"
	# New sources, one after the other, for the whole case.
	ip netns exec "$NS_A" "$SEND" -6 --src-prefix 2001:db8:1::/64 -n 60000 \
		--seed 7 -c 0 -t 120 -d 2001:db8::2 -p esp --spi random -k -q &
	flood=$!
	bg_add $flood
	flagged_within "$NS_B" $CMD_GET_PEERS 5 ||
		check_fail "no dump of a growing peer table was flagged NLM_F_DUMP_INTR"
	bg_stop $flood
}

# KNOWN_N host entries 2001:db8:5::N, as arguments.
known_hosts() {
	local i
	for ((i = 1; i <= KNOWN_N; i++)); do
		printf '2001:db8:5::%x\n' "$i"
	done
}

known_dump_complete() {
	local -a hosts
	mapfile -t hosts < <(known_hosts)
	ctl "$NS_B" known add "${hosts[@]}" >"$TMP/add.out" 2>&1 ||
		{ check_fail "known add of $KNOWN_N hosts in one call"; diag <"$TMP/add.out"; }
	check_eq "entries listed by spirecctl known list" $KNOWN_N "$(count_of "$NS_B" "known list")"
	check_eq "known list of a quiet list: standard error" "" "$(cat "$TMP/dump.err")"
	check_refused "known add of a present entry among new ones" \
		ctl "$NS_B" known add 2001:db8:6::1 2001:db8:5::1
	check_eq "the new entry was added all the same" $((KNOWN_N + 1)) \
		"$(count_of "$NS_B" "known list")"
	check_ok "known del" ctl "$NS_B" known del 2001:db8:6::1
}

known_dump_while_changing() {
	local -a churn
	local changer i
	mapfile -t churn < <(for ((i = 1; i <= 200; i++)); do printf '2001:db8:7::%x\n' "$i"; done)
	# 200 more entries (1000 in all, under the bound of 1024) added and
	# removed over and over, until the stop
	# file exists (then the loop ends after a removal).
	rm -f "$TMP/churn.stop"
	# shellcheck disable=SC2016 # expanded by the inner bash
	in_ns "$NS_B" bash -c 'stop=$1; shift
		until [ -e "$stop" ]; do "$0" known add "$@"; "$0" known del "$@"; done' \
		"$SPIRECCTL" "$TMP/churn.stop" "${churn[@]}" >/dev/null 2>&1 &
	changer=$!
	bg_add $changer
	flagged_within "$NS_B" $CMD_KNOWN_GET 5 ||
		check_fail "no dump of a changing known list was flagged NLM_F_DUMP_INTR"
	touch "$TMP/churn.stop"
	wait $changer
	check_eq "entries after the churn" $KNOWN_N "$(count_of "$NS_B" "known list")"
	check_eq "known list after the churn: standard error" "" "$(cat "$TMP/dump.err")"
	unflagged_within "$NS_B" $CMD_KNOWN_GET 20 ||
		check_fail "dumps of a quiet known list still flagged after 20 s"
}

ktap_main "$@"
