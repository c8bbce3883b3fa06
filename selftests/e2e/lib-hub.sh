# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib-hub.sh: the hub scenario of the e2e tests (run.sh cases 27 to 29,
# selftests/bench/hub.sh). Sourcing it defines only.
#
#   spokes (one charon, namespace e2e-ra)        hub (Router B, e2e-rb)
#   198.51.100.11 ... 198.51.100.(10+N) ═══ N tunnels ═══ 198.51.100.2 ── Host 2
#                                                        203.0.113.1   203.0.113.10
#
# Router B is a hub with one charon and one connection per spoke. The
# spokes are one charon in Router A's namespace holding the N addresses
# (aliases on ra-wan), one connection per address, each a host-to-net
# tunnel (the spoke's address to 203.0.113.0/24) with a trap policy.
# Every spoke pings Host 2 from its address (ping -I). The hub loses its
# state as Router B does in the one-peer cases (lib.sh lose_state_rb);
# spirecd on the hub (one [peer] per spoke) recovers the spokes, or
# nothing does (the baseline).
#
# The reference: the same hub charon setting up all N tunnels itself,
# from nothing, every CHILD SA initiated at once over VICI
# (selftests/tools/build/vici-initiate), until the hub's kernel holds
# both ESP SAs of every spoke. Every set-up (hub_setup) measures it.
#
# Needs lib.sh and lib-libreswan.sh (esp_spis) sourced first.
# Environment: SPIREC_HUB_N (spokes, default 4, at most 240),
# SPIREC_HUB_PING_INTERVAL (s, default 0.2 up to 20 spokes, else 0.5),
# SPIREC_HUB_WORKERS (spirecd's workers = ; default: spirecd's, 16),
# SPIREC_HUB_HEAL_WAIT (s for every spoke to recover, default 60 + N),
# SPIREC_HUB_REF_WAIT (s for the reference, default 60 + N).
# shellcheck disable=SC2154,SC2034 # lib.sh's variables; run.sh uses HUB_HEAL_WAIT

HUB_N=${SPIREC_HUB_N:-4}
HUB_ADDR=198.51.100.2
HUB_LAN=203.0.113.0/24
HUB_TARGET=203.0.113.10
if [ "$HUB_N" -le 20 ]; then
	HUB_PING_I=${SPIREC_HUB_PING_INTERVAL:-0.2}
else
	HUB_PING_I=${SPIREC_HUB_PING_INTERVAL:-0.5}
fi
HUB_HEAL_WAIT=${SPIREC_HUB_HEAL_WAIT:-$((60 + HUB_N))}
HUB_REF_WAIT=${SPIREC_HUB_REF_WAIT:-$((60 + HUB_N))}
VICI_INITIATE=$top/selftests/tools/build/vici-initiate

# spoke_addr I: spoke I's address (I from 1 to HUB_N).
spoke_addr() { echo "198.51.100.$((10 + $1))"; }

# hub_topology: lib.sh's topology (Host 1 stays unused) and the spokes'
# addresses on Router A's WAN side, one ip process for all of them.
hub_topology() {
	local i
	if [ "$HUB_N" -lt 1 ] || [ "$HUB_N" -gt 240 ]; then
		echo "SPIREC_HUB_N=$HUB_N: 1 to 240 spokes"
		return 1
	fi
	topology || return 1
	for ((i = 1; i <= HUB_N; i++)); do
		echo "address add $(spoke_addr "$i")/24 dev ra-wan"
	done | ip -n "$NS_RA" -batch -
}

# hub_swanctl_conf DIR hub|spokes: one connection per spoke, named spoke-I
# (its CHILD SA too), on the hub's side or on the spokes' side (trap).
hub_swanctl_conf() {
	local dir=$1 side=$2 i a
	{
		echo "connections {"
		for ((i = 1; i <= HUB_N; i++)); do
			a=$(spoke_addr "$i")
			if [ "$side" = hub ]; then
				hub_conn "$i" "$HUB_ADDR" "$a" hub.example.org "spoke-$i.example.org" \
					"$HUB_LAN" "$a/32" none
			else
				hub_conn "$i" "$a" "$HUB_ADDR" "spoke-$i.example.org" hub.example.org \
					"$a/32" "$HUB_LAN" trap
			fi
		done
		echo "}"
		echo "secrets { ike-hub { id-hub = hub.example.org
		      secret = \"$PSK\" } }"
	} > "$dir/swanctl.conf"
}

# hub_conn I LOCAL REMOTE LID RID LTS RTS START_ACTION: connection spoke-I.
hub_conn() {
	cat <<EOC
	spoke-$1 {
		children { spoke-$1 { start_action = $8
			local_ts = $6
			remote_ts = $7
			esp_proposals = aes128gcm16 } }
		local_addrs = $2
		remote_addrs = $3
		local { id = $4
			auth = psk }
		remote { id = $5
			 auth = psk }
		proposals = aes128-sha256-x25519
	}
EOC
}

# hub_spirecd_conf FILE ACTION: the hub's spirecd, one [peer] per spoke
# (ikev2 needs a single address per section; a prefix would also keep
# only 16 addresses).
hub_spirecd_conf() {
	local i
	{
		cat <<EOC
# The hub: recover every spoke when it sends to SAs we lost.
[global]
action = none
holddown = 30s
known_peers_only = yes
ike_timeout = 500ms
vici_timeout = 60s
${SPIREC_HUB_WORKERS:+workers = $SPIREC_HUB_WORKERS}
EOC
		for ((i = 1; i <= HUB_N; i++)); do
			cat <<EOC

[peer spoke-$i]
address = $(spoke_addr "$i")
local_id = hub.example.org
remote_id = spoke-$i.example.org
psk = "$PSK"
ike = aes128-sha256-x25519
action = $2
vici_socket = $RB/charon.vici
vici_child = spoke-$i
vici_ike = spoke-$i
EOC
		done
	} > "$1"
	chmod 600 "$1"
}

# hub_esp_count NS: the ESP SAs in NS's kernel (not the larval ones).
hub_esp_count() {
	local out
	out=$(ip -n "$1" xfrm state)
	out=${out//proto esp spi 0x00000000/}
	out=${out//proto esp spi 0x/@}
	out=${out//[!@]/}
	echo ${#out}
}
# hub_children_up: the hub holds both ESP SAs of every spoke.
hub_children_up() { [ "$(hub_esp_count $NS_RB)" -ge $((2 * HUB_N)) ]; }

# hub_setup: the topology, both charons, the reference (the hub's charon
# sets up every spoke's tunnel at once: HUB_REF_MS), then every spoke
# pinging Host 2 through its tunnel.
hub_setup() {
	local i names=() t0
	trace "hub_setup N=$HUB_N"
	teardown
	rm -rf "$RA" "$RB"
	[ -x "$VICI_INITIATE" ] || { echo "no $VICI_INITIATE (make -C selftests/tools)"; return 1; }
	hub_topology || return 1
	# The hub's charon as it comes. The spokes' charon stands for N hosts:
	# what charon limits per peer address or in all (half-open IKE SAs
	# from the hub's one address, at most 5 before it drops them and 3
	# before it asks for a cookie) would be N hosts' limits.
	e2e_charon_conf "$RB" || return 1
	E2E_CHARON_OPTS="block_threshold = $((5 * HUB_N))
	cookie_threshold_ip = $((3 * HUB_N))
	cookie_threshold = $((10 * HUB_N))" e2e_charon_conf "$RA" || return 1
	hub_swanctl_conf "$RB" hub
	hub_swanctl_conf "$RA" spokes
	start_charons || return 1
	for ((i = 1; i <= HUB_N; i++)); do names+=("spoke-$i"); done
	trace "hub reference: initiate $HUB_N"
	t0=$EPOCHREALTIME
	"$VICI_INITIATE" "$RB/charon.vici" "${names[@]}" || return 1
	slowwait "$HUB_REF_WAIT" hub_children_up ||
		{ echo "the hub set up $(hub_esp_count $NS_RB) of $((2 * HUB_N)) ESP SAs in $HUB_REF_WAIT s"
		  tail -n 40 "$RB/charon.log"; return 1; }
	HUB_REF_MS=$(ms_between "$t0" "$EPOCHREALTIME")
	trace "hub reference: $HUB_REF_MS ms"
	hub_pings_start
	slowwait 60 hub_all_answered ||
		{ echo "spokes whose ping got no answer: $(hub_heal_table | awk '$2 == 0 { printf "%d ", $1 }')"
		  return 1; }
}

# hub_pings_start: every spoke pings Host 2 from its address, every
# HUB_PING_I s, into $tmp/hub-ping/I.out (ping -D -O, as lib.sh's).
hub_pings_start() {
	local i
	mkdir -p "$tmp/hub-ping"
	rm -f "$tmp/hub-ping/"*.out
	HUB_PING_PIDS=()
	for ((i = 1; i <= HUB_N; i++)); do
		ip netns exec $NS_RA ping -n -i "$HUB_PING_I" -W 1 -O -D -I "$(spoke_addr "$i")" \
			$HUB_TARGET > "$tmp/hub-ping/$i.out" 2>&1 &
		HUB_PING_PIDS+=($!)
		pids+=($!)
	done
}

hub_pings_stop() {
	local p
	kill -INT "${HUB_PING_PIDS[@]}" 2>/dev/null
	for p in "${HUB_PING_PIDS[@]}"; do stop_pid "$p" 2; done
}

# hub_heal_table [AT_FILE]: one line per spoke, "I AT LOST OK OK_TS":
# AT the last ping answered before the loss (from AT_FILE, "I AT" lines;
# 0 without it), LOST the first ping after AT left unanswered, OK the
# first answered after LOST and OK_TS its time stamp (ping -D); "-" for
# what has not happened. One awk for all the spokes' files.
hub_heal_table() {
	local i files=()
	for ((i = 1; i <= HUB_N; i++)); do files+=("$tmp/hub-ping/$i.out"); done
	awk -v atf="${1:-/dev/null}" '
		BEGIN { while ((getline l < atf) > 0) { split(l, f, " "); at[f[1]] = f[2] } }
		FNR == 1 { n++; last[n] = 0 }
		{ if (!match($0, /icmp_seq=[0-9]+/)) next
		  s = substr($0, RSTART + 9, RLENGTH - 9) + 0
		  if (s > top[n]) top[n] = s }
		/bytes from/ { ok[n, s] = 1; ts[n, s] = substr($1, 2, length($1) - 2); last[n] = s }
		END { for (i = 1; i <= n; i++) {
			a = (i in at) ? at[i] : 0; lost = "-"; good = "-"; t = "-"
			for (s = a + 1; s <= top[i]; s++) {
				if (lost == "-") { if (!((i, s) in ok)) lost = s }
				else if ((i, s) in ok) { good = s; t = ts[i, s]; break }
			}
			if (a == 0) a = last[i]
			print i, a, lost, good, t } }' "${files[@]}"
}

# hub_all_answered: every spoke's ping has been answered.
hub_all_answered() { hub_heal_table | awk '$2 == 0 { exit 1 }'; }

# hub_lose: the spokes' last answers noted ($tmp/hub-at.txt), then the hub
# loses its state (lib.sh lose_state_rb: LOST_AT, READY_AT).
hub_lose() {
	hub_heal_table | awk '{ print $1, $2 }' > "$tmp/hub-at.txt"
	lose_state_rb
}

# hub_healed_count: spokes whose traffic came back after the loss.
hub_healed_count() { hub_heal_table "$tmp/hub-at.txt" | awk '$4 != "-" { n++ } END { print n + 0 }'; }
hub_all_healed() { [ "$(hub_healed_count)" -ge "$HUB_N" ]; }
hub_none_healed() { [ "$(hub_healed_count)" = 0 ]; }

# hub_ready_epoch: when the hub's charon was ready after the loss (its
# last connection loaded, from its log; else swanctl's return), in ms
# since the epoch.
hub_ready_epoch() {
	local loaded
	TL_T0=$(ms_of_day "$LOST_AT")
	loaded=$(tl_at "$RB/charon.log" "added vici connection" last)
	if [ -n "$loaded" ]; then
		echo $(( ${LOST_AT/./} / 1000 + loaded - TL_T0 ))
	else
		echo $(( ${READY_AT/./} / 1000 ))
	fi
}

# hub_figures NAME: from the pings, each spoke's recovery (first answer
# after its black hole) in ms after the hub's charon was ready, and one
# results line: "NAME: N=.. reference_ms=.. ready_ms=.. healed=..
# within60=.. first_ms=.. median_ms=.. last_ms=..", ready_ms from the loss
# to the hub's charon ready; spokes that did not recover count as not
# within 60 s and leave last_ms "-". HUB_HEALED: the spokes recovered.
hub_figures() {
	local ready line
	ready=$(hub_ready_epoch)
	hub_heal_table "$tmp/hub-at.txt" > "$SPIREC_OUT/hub-heal-$1.txt"
	line=$(awk -v ready="$ready" -v n="$HUB_N" '
		$5 != "-" { split($5, p, "."); ms = p[1] * 1000 + substr(p[2] "000", 1, 3) - ready
			d[++k] = ms; if (ms <= 60000) w++ }
		END { for (i = 2; i <= k; i++)	# insertion sort: mawk has no asort
			for (j = i; j > 1 && d[j - 1] > d[j]; j--) { t = d[j]; d[j] = d[j - 1]; d[j - 1] = t }
		      med = "-"
		      if (k) med = (k % 2) ? d[(k + 1) / 2] : int((d[k / 2] + d[k / 2 + 1]) / 2)
		      printf "healed=%d within60=%d first_ms=%s median_ms=%s last_ms=%s",
			k, w, k ? d[1] : "-", med, k == n ? d[k] : "-" }' \
		"$SPIREC_OUT/hub-heal-$1.txt")
	HUB_HEALED=$(echo "$line" | sed 's/^healed=\([0-9]*\).*/\1/')
	record "$1: N=$HUB_N reference_ms=$HUB_REF_MS ready_ms=$((ready - ${LOST_AT/./} / 1000)) $line"
}

# hub_spis_match: both sides hold the same ESP SAs (esp_spis), and the
# hub's inbound SA from every spoke counted packets (traffic through the
# tunnel, not in clear).
hub_spis_match() {
	local a b
	a=$(esp_spis "$NS_RA") b=$(esp_spis "$NS_RB")
	[ -n "$b" ] && [ "$a" = "$b" ] || return 1
	[ "$(hub_counted_spokes)" -ge "$HUB_N" ]
}

# hub_counted_spokes: spokes with an inbound SA on the hub that counted bytes.
hub_counted_spokes() {
	ip -n $NS_RB -s xfrm state list dst $HUB_ADDR proto esp | awk '
		/^src / { src = $2 }
		/\(bytes\)/ { if ($1 + 0 > 0) seen[src] = 1 }
		END { for (s in seen) n++; print n + 0 }'
}

# hub_keep_logs NAME: the charons', spirecd's logs and the spokes' pings.
hub_keep_logs() {
	keep_logs "$1"
	tar -C "$tmp" -czf "$SPIREC_OUT/hub-ping-$1.tar.gz" hub-ping 2>/dev/null
	return 0
}
