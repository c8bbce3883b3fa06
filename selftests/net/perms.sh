#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Permissions of the generic netlink family: GET_STATS is open to
# everyone; joining "events", dumping peers, flushing and the known-peer
# commands need CAP_NET_ADMIN over the user namespace that owns the
# network namespace. Tried as nobody without capabilities (setpriv) and as
# root of a fresh user namespace that does not own the network namespace;
# root of a user namespace that does own its netns is allowed. In such a
# namespace, made by an unprivileged user, max_peers and global_rate are
# clamped, and a flood cannot push the peer tables of all namespaces past
# the module's max_peers_total.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="unpriv_stats_allowed unpriv_admin_refused unpriv_no_events
	userns_not_owner_refused userns_owner_allowed userns_limits_clamped
	userns_flood_global_cap"

setup() {
	require_cmd setpriv unshare || return 1
	topo_ab || return 1
	sc_set "$NS_B" enabled 1 || return 1
	# One peer in the table and one known peer, to see they survive.
	monitor_start "$NS_B" "$TMP/mon0" -c 1 -t 20 || return 1
	send "$NS_A" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi 0x0000e001 -q || return 1
	monitor_wait || return 1
	ctl "$NS_B" known add 203.0.113.1 || return 1
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
	PARAM_TOTAL=/sys/module/spirec/parameters/max_peers_total
}

# nobody ARGS...: spirecctl ARGS in B as uid 65534 without capabilities.
nobody() { in_ns "$NS_B" "${NOBODY[@]}" "$SPIRECCTL" "$@"; }

unpriv_stats_allowed() {
	local out
	out=$(nobody -j stats 2>&1)
	check_eq "spirecctl -j stats as nobody exited" 0 $?
	json_get peer_count "$out"
	check_ge "peer_count seen by nobody" 1 "$REPLY"
	json_get inspected "$out"
	check_ge "inspected seen by nobody" 1 "$REPLY"
}

unpriv_admin_refused() {
	local before after
	check_refused "peers as nobody" nobody peers
	check_refused "flush as nobody" nobody flush
	check_refused "known add as nobody" nobody known add 192.0.2.99
	check_refused "known del as nobody" nobody known del 203.0.113.1
	check_refused "known list as nobody" nobody known list
	# Nothing changed behind the refusals.
	json_get peer_count "$(ctl "$NS_B" -j stats)"
	check_ge "peer_count after nobody's flush" 1 "$REPLY"
	ctl "$NS_B" -j known list >"$TMP/known" 2>&1
	grep -q '"203\.0\.113\.1"' "$TMP/known" || check_fail "known peer 203.0.113.1 gone after nobody's known del"
	if grep -q '192\.0\.2\.99' "$TMP/known"; then
		check_fail "nobody's known add went through"
	fi
}

# nobody's monitor must not get the group: it fails, or at least sees no
# event while root's monitor sees one.
unpriv_no_events() {
	local pid rc
	ctl "$NS_B" flush
	ip netns exec "$NS_B" "${NOBODY[@]}" "$SPIRECCTL" -j monitor -c 1 -t 5 >"$TMP/mon.nobody" 2>&1 &
	pid=$!
	bg_add $pid
	monitor_start "$NS_B" "$TMP/mon.root" -c 1 -t 30 || { check_fail "monitor did not start"; return; }
	send "$NS_A" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi 0x0000e002 -q
	monitor_wait
	check_event "$TMP/mon.root" 1 src=192.0.2.1 spi=0x0000e002
	wait $pid
	rc=$?
	bg_stop $pid
	log "nobody's monitor exited $rc: $(head -n 2 "$TMP/mon.nobody" | tr '\n' ' ')"
	if grep -q '"spi"' "$TMP/mon.nobody"; then
		check_fail "nobody received an event"
	fi
	check_ge "exit status of nobody's monitor" 1 $rc
}

# Root of a new user namespace, in B's netns (owned by the initial user
# namespace): no CAP_NET_ADMIN over it.
userns_not_owner_refused() {
	check_ok "stats from a child user namespace" in_ns "$NS_B" unshare -Ur "$SPIRECCTL" stats
	check_refused "peers from a child user namespace" in_ns "$NS_B" unshare -Ur "$SPIRECCTL" peers
	check_refused "flush from a child user namespace" in_ns "$NS_B" unshare -Ur "$SPIRECCTL" flush
	check_refused "known add from a child user namespace" in_ns "$NS_B" unshare -Ur "$SPIRECCTL" known add 192.0.2.98
	check_refused "monitor from a child user namespace" in_ns "$NS_B" unshare -Ur "$SPIRECCTL" monitor -c 1 -t 1
}

# A user namespace that creates its own netns is its owner: allowed.
userns_owner_allowed() {
	check_ok "peers in an own netns" unshare -Urn "$SPIRECCTL" peers
	check_ok "flush in an own netns" unshare -Urn "$SPIRECCTL" flush
	check_ok "known add + list in an own netns" unshare -Urn sh -c \
		"'$SPIRECCTL' known add 192.0.2.97 && '$SPIRECCTL' known list | grep -q 192.0.2.97"
}

# uns_nobody SCRIPT: SCRIPT (sh) as nobody, root of a new user namespace
# with a new network namespace.
uns_nobody() { "${NOBODY[@]}" unshare -Urn sh -c "$1"; }

userns_limits_clamped() {
	local out
	out=$(uns_nobody 'd=/proc/sys/net/spirec
		echo 4096 > $d/max_peers || exit 11
		echo 4097 > $d/max_peers 2>/dev/null && exit 12
		echo 1000 > $d/global_rate || exit 13
		echo 1001 > $d/global_rate 2>/dev/null && exit 14
		echo 1 > $d/enabled || exit 15
		cat $d/max_peers $d/global_rate' 2>&1)
	check_eq "clamped limits as an unprivileged namespace's root (exit)" 0 $?
	check_eq "max_peers, global_rate read back" "4096 1000" "$(echo $out)"
	# The initial user namespace's root keeps the full ranges.
	check_ok "max_peers 100000 in a namespace of the initial user namespace" \
		in_ns "$NS_A" sh -c "echo 100000 > $SYSCTL_DIR/max_peers"
	check_eq "its max_peers" 100000 "$(sc_get "$NS_A" max_peers)"
	sc_set "$NS_A" max_peers 4096
}

# 250 spoofed sources over the loopback of an unprivileged user's own
# namespace, its limits as high as allowed, the module-wide bound 40.
userns_flood_global_cap() {
	local saved out
	read -r saved <"$PARAM_TOTAL" || { check_fail "no $PARAM_TOTAL"; return; }
	echo 40 >"$PARAM_TOTAL" || { check_fail "cannot set max_peers_total"; return; }
	out=$(uns_nobody "d=/proc/sys/net/spirec
		ip link set lo up && ip addr add 192.0.2.50/32 dev lo || exit 11
		echo 4096 > \$d/max_peers && echo 1000 > \$d/global_rate &&
		echo 1 > \$d/enabled || exit 12
		'$SEND' -4 --src-prefix 198.51.100.0/24 -n 250 -d 192.0.2.50 -p esp --spi random -c 0 -t 2 -q || exit 13
		'$SPIRECCTL' -j stats" 2>&1)
	check_eq "flood in an unprivileged namespace (exit)" 0 $?
	echo "$saved" >"$PARAM_TOTAL"
	log "stats: $out"
	json_get peer_count "$out"
	check_le "peer entries of the namespace" 40 "${REPLY:-99999}"
	check_ge "peer entries of the namespace" 1 "${REPLY:-0}"
	json_get table_full "$out"
	check_ge "table_full (the module-wide bound)" 1 "${REPLY:-0}"
	json_get events "$out"
	check_le "events (no more than entries could be made)" 40 "${REPLY:-99999}"
}

ktap_main "$@"
