# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh: the Router A / Router B scenario of the end-to-end tests, for
# selftests/e2e/run.sh (its cases), selftests/faults/run.sh and
# demo/demo.sh. Sourcing it defines variables and functions only; e2e_init
# makes the temporary directory and sets the EXIT trap that removes it and
# the namespaces.
#
#   Host 1 ── Router A ═══ IPsec tunnel ═══ Router B ── Host 2
#   192.0.2.10  192.0.2.1                  203.0.113.1  203.0.113.10
#               198.51.100.1 ─────────── 198.51.100.2
#
# Runs in the test VM, as root (SPIREC_OUT set by vm.sh).

# The variables are for the scripts that source this file.
# shellcheck disable=SC2034
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# busywait, slowwait, holds, stop_pid, log, diag.
# shellcheck source-path=SCRIPTDIR source=../lib/wait.sh
source "$top/selftests/lib/wait.sh"
# shellcheck source-path=SCRIPTDIR source=../lib/charon-conf.sh
source "$top/selftests/lib/charon-conf.sh"
# SPIREC_E2E_KMOD: another build of the module (e.g. an older commit's).
KMOD=${SPIREC_E2E_KMOD:-$top/kmod/spirec.ko}
SPIRECD=$top/userspace/build/spirecd
SPIRECCTL=$top/userspace/build/spirecctl
CHARON=${CHARON:-/usr/lib/ipsec/charon}
BASELINE_WAIT=${SPIREC_E2E_BASELINE_WAIT:-20}
HEAL_WAIT=${SPIREC_E2E_HEAL_WAIT:-45}
# How long a router's charon gets to act on a message that must change
# nothing (a hint, a failed IKE_AUTH): it acts within milliseconds; this
# leaves room for a starved guest. The cases check it did nothing.
PEER_REACT_S=${SPIREC_E2E_PEER_REACT_S:-2}
PSK=spirec-e2e-shared-secret
RESULTS=$SPIREC_OUT/e2e-results.txt
SEND=$top/selftests/tools/build/spirec-send
IKE_RECOVER=$top/userspace/build/ike-recover
NS_H1=e2e-h1 NS_RA=e2e-ra NS_RB=e2e-rb NS_H2=e2e-h2
# Only with E2E_WAN_BRIDGE=1: the WAN switch and a third host on it.
NS_WAN=e2e-wan NS_SP=e2e-sp
# The WAN's IPv6 documentation addresses (E2E_WAN_BRIDGE=1 only).
RA_WAN6=2001:db8:e2e::1 RB_WAN6=2001:db8:e2e::2 SP_WAN4=198.51.100.66 SP_WAN6=2001:db8:e2e::66
# The routers' IKE addresses (charon's local_addrs/remote_addrs): a list,
# e.g. "198.51.100.1, 2001:db8:e2e::1" for a dual-stack peer.
RA_IKE_ADDRS=${RA_IKE_ADDRS:-198.51.100.1} RB_IKE_ADDRS=${RB_IKE_ADDRS:-198.51.100.2}
pids=()
tmp='' RA='' RB=''

# e2e_init: the temporary directory (tmp, with RA and RB, the routers'
# charon directories) and the trap that cleans up on exit.
e2e_init() {
	tmp=$(mktemp -d /tmp/spirec-e2e.XXXXXX)
	RA=$tmp/router-a RB=$tmp/router-b
	trap cleanup EXIT
}

# Progress, readable from the host while the guest runs.
trace() { echo "$SECONDS $*" >> "$SPIREC_OUT/e2e-trace.log"; }

stop_pids() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do stop_pid "$p"; done
	pids=()
}

teardown() {
	trace teardown
	local n
	stop_pids
	for n in $NS_H1 $NS_RA $NS_RB $NS_H2 $NS_WAN $NS_SP; do ip netns del "$n" 2>/dev/null; done
	# Callers chain on it ("teardown && topology"): absent namespaces
	# (the WAN switch's, mostly) are no failure.
	return 0
}

cleanup() {
	teardown
	[ "${SPIREC_E2E_KEEP:-0}" = 1 ] && echo "# kept $tmp" || rm -rf "$tmp"
}

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# insmod does not load what the module depends on: modprobe that first.
load_kmod() {
	local d
	for d in $(modinfo -F depends "$KMOD" 2>/dev/null | tr , ' '); do
		modprobe -q "$d"
	done
	insmod "$KMOD"
}

# --- topology -------------------------------------------------------------

link() { # NS1 IF1 ADDR1 NS2 IF2 ADDR2
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || return 1
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# wan_port NS IF ADDR4 ADDR6 PORT: IF in NS on the WAN switch (bridge br0
# in $NS_WAN, port PORT), with an IPv4 /24 and an IPv6 /64 address.
wan_port() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns $NS_WAN || return 1
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" addr add "$4/64" dev "$2" nodad
	ip -n $NS_WAN link set "$5" master br0 up
	ip -n "$1" link set "$2" up
}

# The Router A - Router B WAN: one veth pair, or, with E2E_WAN_BRIDGE=1, a
# switch (a bridge in its own namespace) with a third host on it ($NS_SP,
# the spoofer) and IPv6 documentation addresses beside the IPv4 ones.
wan() {
	if [ "${E2E_WAN_BRIDGE:-0}" != 1 ]; then
		link $NS_RA ra-wan 198.51.100.1/24 $NS_RB rb-wan 198.51.100.2/24
		return
	fi
	ip netns add $NS_WAN && ip netns add $NS_SP || return 1
	ip -n $NS_SP link set lo up
	ip -n $NS_WAN link add br0 type bridge || return 1
	ip -n $NS_WAN link set br0 up
	wan_port $NS_RA ra-wan 198.51.100.1 $RA_WAN6 wa &&
	wan_port $NS_RB rb-wan 198.51.100.2 $RB_WAN6 wb &&
	wan_port $NS_SP sp-wan $SP_WAN4 $SP_WAN6 ws
}

topology() {
	local n
	for n in $NS_H1 $NS_RA $NS_RB $NS_H2; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
	done
	link $NS_H1 h1 192.0.2.10/24 $NS_RA ra-lan 192.0.2.1/24 &&
	wan &&
	link $NS_RB rb-lan 203.0.113.1/24 $NS_H2 h2 203.0.113.10/24 || return 1
	ip -n $NS_H1 route add default via 192.0.2.1
	ip -n $NS_H2 route add default via 203.0.113.1
	ip -n $NS_RA route add 203.0.113.0/24 via 198.51.100.2
	ip -n $NS_RB route add 192.0.2.0/24 via 198.51.100.1
	in_ns $NS_RA sysctl -qw net.ipv4.ip_forward=1
	in_ns $NS_RB sysctl -qw net.ipv4.ip_forward=1
}

# The first SA of each algorithm loads modules and runs the kernel's
# crypto self-tests: seconds under TCG, long enough for an IKE_AUTH to
# time out. Do it once, up front, in a namespace of its own.
warm_up_crypto() {
	local ns=e2e-warm
	modprobe -q esp4 2>/dev/null; modprobe -q xfrm_user 2>/dev/null
	ip netns add $ns || return 0
	ip -n $ns xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
		spi 0x100 mode tunnel aead 'rfc4106(gcm(aes))' \
		0x0102030405060708090a0b0c0d0e0f1011121314 128 2>/dev/null
	ip -n $ns xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
		spi 0x101 mode tunnel enc 'cbc(aes)' 0x0102030405060708090a0b0c0d0e0f10 \
		auth-trunc 'hmac(sha256)' 0x0102030405060708090a0b0c0d0e0f100102030405060708090a0b0c0d0e0f10 128 \
		2>/dev/null
	ip netns del $ns
}

# --- strongSwan -----------------------------------------------------------

# router_conf DIR LOCAL REMOTE LID RID LTS RTS START_ACTION
# LOCAL and REMOTE may be lists ("198.51.100.1, 2001:db8:e2e::1").
# E2E_IKE_OPTS, E2E_CHILD_OPTS: further lines for the IKE connection and
# for the CHILD SA (e.g. "rekey_time = 30s", "mark_in = 42").
# E2E_IKE_VERSION (2) and E2E_IKE_PROPOSALS (aes128-sha256-x25519): the
# IKE version and proposals of the connection (1: an IKEv1 tunnel);
# E2E_CHILD_PROPOSALS ("esp_proposals = aes128gcm16"): the CHILD SA's
# proposal line ("ah_proposals = sha256" for an AH tunnel).
router_conf() {
	e2e_charon_conf "$1"
	router_swanctl_conf "$@"
}

# e2e_charon_conf DIR: DIR/strongswan.conf (charon_conf of
# selftests/lib/charon-conf.sh) for a charon of the scenario: its own VICI
# socket and log in DIR, millisecond time stamps, retransmissions after
# 1 s; E2E_CHARON_OPTS: further lines for its charon section.
e2e_charon_conf() {
	charon_conf "$1" "time_add_ms = yes
			append = yes
			default = 1
			ike = 2
			knl = 1
			cfg = 1" "retransmit_timeout = 1
	retransmit_tries = 4
	${E2E_CHARON_OPTS:-}"
}

# router_swanctl_conf: router_conf's DIR/swanctl.conf (same arguments).
router_swanctl_conf() {
	cat > "$1/swanctl.conf" <<EOC
connections {
	gw {
		version = ${E2E_IKE_VERSION:-2}
		local_addrs = $2
		remote_addrs = $3
		proposals = ${E2E_IKE_PROPOSALS:-aes128-sha256-x25519}
		${E2E_IKE_OPTS:-}
		local { auth = psk
			id = $4 }
		remote { auth = psk
			 id = $5 }
		children {
			net-net {
				mode = tunnel
				local_ts = $6
				remote_ts = $7
				${E2E_CHILD_PROPOSALS:-esp_proposals = aes128gcm16}
				start_action = $8
				${E2E_CHILD_OPTS:-}
			}
		}
	}
}
secrets { ike-gw { id-a = router-a.example.org
		   id-b = router-b.example.org
		   secret = "$PSK" } }
EOC
}

# start_charon DIR NS: charon with its own config, pid file and vici socket.
start_charon() { charon_launch "$1" "$2" && charon_ready "$1" "$2"; }

# start_charons: both routers' charons, started side by side (a charon
# takes seconds to load its plugins under TCG), then their connections
# loaded.
start_charons() {
	charon_launch "$RA" $NS_RA && charon_launch "$RB" $NS_RB &&
		charon_ready "$RA" $NS_RA && charon_ready "$RB" $NS_RB
}

# charon_launch DIR NS: charon started in NS, in the background.
charon_launch() {
	local dir=$1 ns=$2
	rm -f "$dir/charon.vici"
	ip netns exec "$ns" sh -c "mount --bind '$dir/run' /run &&
		STRONGSWAN_CONF='$dir/strongswan.conf' exec '$CHARON'" \
		>> "$dir/charon.out" 2>&1 &
	pids+=($!)
	echo $! > "$dir/pid"
}

# charon_ready DIR NS: once charon_launch's charon has its VICI socket,
# its connections loaded.
charon_ready() {
	local dir=$1 ns=$2
	busywait 30000 test -S "$dir/charon.vici" ||
		{ echo "charon in $ns did not start"; cat "$dir/charon.out"; return 1; }
	# E2E_AFTER_CHARON DIR: run once the VICI socket is there (case 21
	# gives spirecd's group access to Router B's).
	if [ -n "${E2E_AFTER_CHARON:-}" ]; then
		"$E2E_AFTER_CHARON" "$dir" || return 1
	fi
	swanctl --load-all --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" \
		> "$dir/load.out" 2>&1 || { cat "$dir/load.out"; return 1; }
}

vici() { local dir=$1; shift; swanctl "$@" --uri "unix://$dir/charon.vici"; }

# setup TRAP: topology, both charons, tunnel up, Host 1 reaches Host 2.
setup() {
	local ra_start=$1
	trace setup
	teardown
	rm -rf "$RA" "$RB"
	topology || return 1
	# E2E_AFTER_TOPOLOGY: a function run once the namespaces are wired
	# (e.g. route-based tunnel devices), before the charons start.
	if [ -n "${E2E_AFTER_TOPOLOGY:-}" ]; then
		"$E2E_AFTER_TOPOLOGY" || return 1
	fi
	router_conf "$RA" "$RA_IKE_ADDRS" "$RB_IKE_ADDRS" router-a.example.org \
		router-b.example.org 192.0.2.0/24 203.0.113.0/24 "$ra_start"
	router_conf "$RB" "$RB_IKE_ADDRS" "$RA_IKE_ADDRS" router-b.example.org \
		router-a.example.org 203.0.113.0/24 192.0.2.0/24 none
	start_charons || return 1
	trace "initiate"
	vici "$RA" --initiate --child net-net --timeout 30 > "$tmp/initiate.out" 2>&1 ||
		{ echo "tunnel did not come up"; cat "$tmp/initiate.out"
		  echo "--- Router A"; tail -n 30 "$RA/charon.log"
		  echo "--- Router B"; tail -n 30 "$RB/charon.log"; cat "$RB/charon.out"; return 1; }
	slowwait 30 h1_reaches_h2 && return 0
	echo "Host 1 cannot reach Host 2 through the tunnel"
	ip -n $NS_RA xfrm state; ip -n $NS_RA xfrm policy
	return 1
}

# h1_reaches_h2: one ping from Host 1 to Host 2 is answered (within 1 s).
h1_reaches_h2() { in_ns $NS_H1 ping -c1 -W1 203.0.113.10 > /dev/null 2>&1; }

# Router B's SPI for the inbound CHILD SA (the one Router A sends to).
rb_inbound_spi() {
	ip -n $NS_RB xfrm state list dst 198.51.100.2 proto esp |
		sed -n 's/.*spi \(0x[0-9a-f]*\).*/\1/p' | head -n1
}

# Router A's ESP SPIs and IKE SA SPIs, one line each.
ra_esp_spis() { ip -n $NS_RA xfrm state | grep -o 'spi 0x[0-9a-f]*' | sort | tr '\n' ' '; }
ra_ike_spis() {
	vici "$RA" --list-sas --raw 2>/dev/null |
		grep -o 'initiator-spi=[0-9a-f]* responder-spi=[0-9a-f]*' | sort | tr '\n' ' '
}

# Router B loses every IPsec state; charon comes back, only responding.
lose_state_rb() { rb_state_drop && rb_charon_launch && rb_charon_ready; }

# The three steps of lose_state_rb, for a case that makes two Router Bs
# (two routing domains, case 26) lose their state at once: charon killed,
# the state flushed; charon started again; its connection loaded.
rb_state_drop() {
	trace lose_state_rb
	kill -9 "$(cat "$RB/pid")"
	wait "$(cat "$RB/pid")" 2>/dev/null
	# The black hole starts with the state flush.
	LOST_AT=$EPOCHREALTIME
	ip -n $NS_RB xfrm state flush
	ip -n $NS_RB xfrm policy flush
	return 0
}
rb_charon_launch() { charon_launch "$RB" $NS_RB; }
rb_charon_ready() {
	charon_ready "$RB" $NS_RB || return 1
	READY_AT=$EPOCHREALTIME
}

# ms_between T1 T2: milliseconds from one $EPOCHREALTIME to another.
ms_between() { echo $(( (${2/./} - ${1/./}) / 1000 )); }

# Time stamp (ping -D) of the answer to ping SEQ.
answered_at() {
	sed -n "s/^\[\([0-9.]*\)\].*bytes from .*icmp_seq=$1 .*/\1/p" "$tmp/ping.out" | head -n1
}

# --- ping and black-hole measurement --------------------------------------

ping_start() {
	trace ping_start
	# Directly, not through a shell function: $! must be ping itself.
	ip netns exec $NS_H1 ping -n -i 0.1 -W 1 -O -D 203.0.113.10 > "$tmp/ping.out" 2>&1 &
	PING_PID=$!
	pids+=("$PING_PID")
}

ping_stop() { trace ping_stop; kill -INT "$PING_PID" 2>/dev/null; wait "$PING_PID" 2>/dev/null; }

# Sequence number of the last answered ping so far (0 if none).
last_answered() {
	sed -n 's/.*bytes from .*icmp_seq=\([0-9]*\).*/\1/p' "$tmp/ping.out" |
		tail -n 1 | grep . || echo 0
}

# blackhole SEQ_AT_LOSS: sets BH_FIRST_LOST, BH_FIRST_OK (first answered
# after it, empty if none) and BH_MS from the ping output.
blackhole() {
	local at=$1
	read -r BH_FIRST_LOST BH_FIRST_OK < <(awk -v at="$at" '
		/bytes from/ { match($0, /icmp_seq=[0-9]+/)
			s = substr($0, RSTART + 9, RLENGTH - 9) + 0; ok[s] = 1
			if (s > max) max = s }
		/no answer yet/ { match($0, /icmp_seq=[0-9]+/)
			s = substr($0, RSTART + 9, RLENGTH - 9) + 0
			if (s > max) max = s }
		END {
			lost = ""; first = ""
			for (s = at + 1; s <= max; s++) {
				if (lost == "" && !(s in ok)) lost = s
				else if (lost != "" && (s in ok)) { first = s; break }
			}
			print (lost == "" ? "-" : lost), (first == "" ? "-" : first)
		}' "$tmp/ping.out")
	[ "$BH_FIRST_LOST" = - ] && BH_FIRST_LOST=
	[ "$BH_FIRST_OK" = - ] && BH_FIRST_OK=
	BH_MS=
	[ -n "$BH_FIRST_LOST" ] && [ -n "$BH_FIRST_OK" ] &&
		BH_MS=$(( (BH_FIRST_OK - BH_FIRST_LOST) * 100 ))
	return 0
}

# healed SEQ_AT_LOSS: a ping after the loss and after the first lost one
# was answered (sets BH_*).
healed() { blackhole "$1"; [ -n "$BH_FIRST_OK" ]; }
# black_holed SEQ_AT_LOSS: not healed (yet).
black_holed() { ! healed "$1"; }

# wait_healed SECONDS SEQ_AT_LOSS: true once a ping after a loss answered.
wait_healed() { slowwait "$1" healed "$2"; }

# heal_confirmed SEQ_AT_LOSS: after wait_healed, one more answer (traffic
# flows, not a stray one), then the ping stopped and the black hole
# measured from its whole output.
heal_confirmed() {
	slowwait 10 answered_after "$BH_FIRST_OK" || log "no answer after the first one since the loss"
	ping_stop
	blackhole "$1"
}

# ping_flowing: the ping of ping_start answered, and again 5 pings later
# (a starved guest may take a while to answer the first one).
ping_flowing() {
	local first
	slowwait 30 answered_after 0 || return 1
	first=$(last_answered)
	slowwait 10 answered_after $((first + 5))
}

record() { echo "$*" >> "$RESULTS"; log "$*"; }

# verbose: the calling case failed (its rc) or SPIREC_E2E_VERBOSE=1: time
# to show the logs.
verbose() { [ "${rc:-0}" != 0 ] || [ "${SPIREC_E2E_VERBOSE:-0}" = 1 ]; }

# keep_logs NAME: spirecd's log, the ping output and both charons' logs
# (those there are) into $SPIREC_OUT, NAME in their names.
keep_logs() {
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-$1.log" 2>/dev/null
	cp "$tmp/ping.out" "$SPIREC_OUT/ping-$1.out" 2>/dev/null
	cp "$RA/charon.log" "$SPIREC_OUT/charon-a-$1.log" 2>/dev/null
	cp "$RB/charon.log" "$SPIREC_OUT/charon-b-$1.log" 2>/dev/null
	return 0
}

# expect WHAT CMD...: CMD must succeed; if not, WHAT is logged and the
# calling case's rc set to 1.
expect() {
	local what=$1
	shift
	"$@" && return 0
	log "$what"
	rc=1
	return 1
}

# --- spirecd --------------------------------------------------------------

# spirecd_start CONF [NS LOG]: spirecd in Router B's netns (or NS), log in
# $tmp/spirecd.log (or LOG); its pid in SPIRECD_PID.
spirecd_start() {
	local ns=${2:-$NS_RB} slog=${3:-$tmp/spirecd.log}
	trace "spirecd_start $ns"
	: > "$slog"
	ip netns exec "$ns" "$SPIRECD" -f -d -c "$1" >> "$slog" 2>&1 &
	SPIRECD_PID=$!
	pids+=("$SPIRECD_PID")
	slowwait 30 spirecd_up "$slog" "$SPIRECD_PID"
	spirecd_listening "$slog" && return 0
	echo "spirecd did not start"; cat "$slog"
	return 1
}

# spirecd_listening [LOG]: spirecd's log (default $tmp/spirecd.log) says it
# listens to the module's events.
spirecd_listening() { grep -q "listening on generic netlink" "${1:-$tmp/spirecd.log}"; }
# spirecd_up LOG PID: it listens, or it has exited (no use waiting).
spirecd_up() { spirecd_listening "$1" || pid_gone "$2"; }

# spirecd_stop [PID]: SIGTERM, then wait for it (SPIRECD_PID by default).
spirecd_stop() {
	local p=${1:-${SPIRECD_PID:-}}
	[ -n "$p" ] || return 0
	stop_pid "$p"
}

# spirec_stat NS NAME: one counter of `spirecctl -j stats` in NS (empty if
# the module does not report it).
spirec_stat() {
	in_ns "$1" "$SPIRECCTL" -j stats 2>/dev/null |
		sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p"
}

# Router A's IKE SAs as "uniqueid:state:initiator-spi:responder-spi", one
# per SA, sorted, on one line (swanctl --list-sas --raw: the IKE SA's own
# keys come before its child-sas section).
ra_ike_ids() { ike_ids "$RA"; }
ike_ids() {
	vici "$1" --list-sas --raw 2>/dev/null | awk '
		{ s = $0
		  while (match(s, /gw \{uniqueid=[0-9]+ [^{}]*/)) {
			sa = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
			id = sa; sub(/.*uniqueid=/, "", id); sub(/ .*/, "", id)
			st = sa; sub(/.* state=/, "", st); sub(/ .*/, "", st)
			i = sa; sub(/.*initiator-spi=/, "", i); sub(/ .*/, "", i)
			r = sa; sub(/.*responder-spi=/, "", r); sub(/ .*/, "", r)
			print id ":" st ":" i ":" r } }' | sort | tr '\n' ' '
}

# lost_pings FROM TO: ping sequence numbers FROM..TO that got no answer
# (late answers count as answers), on one line.
lost_pings() {
	awk -v a="$1" -v b="$2" '
		/bytes from/ { match($0, /icmp_seq=[0-9]+/)
			ok[substr($0, RSTART + 9, RLENGTH - 9) + 0] = 1 }
		END { for (s = a; s <= b; s++) if (!(s in ok)) printf "%d ", s }' "$tmp/ping.out"
}

# Sequence number of the last ping sent so far (answered or not).
last_sent() {
	sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' "$tmp/ping.out" | tail -n 1 | grep . || echo 0
}

# answered_after SEQ: a ping after SEQ has been answered.
answered_after() { [ "$(last_answered)" -gt "$1" ]; }

spirecd_conf() { # FILE ACTION PSK [IKE_PROPOSALS]
	cat > "$1" <<EOC
# Router B: recover Router A when it sends to SAs we lost.
[global]
action = none
holddown = 30s
known_peers_only = yes
ike_timeout = 500ms
# Router B's charon restarts slowly in a loaded TCG guest.
vici_timeout = 30s

[peer router-a]
address = 198.51.100.1
local_id = router-b.example.org
remote_id = router-a.example.org
psk = "$3"
ike = ${4:-aes128-sha256-x25519}
action = $2
vici_socket = $RB/charon.vici
vici_child = net-net
vici_ike = gw
EOC
	# An inline psk in a file group or others can read is refused.
	chmod 600 "$1"
}

# --- timeline of a recovery ----------------------------------------------

# ms_of_day EPOCH: milliseconds since local midnight (the logs' clock).
ms_of_day() {
	local e=${1/./} off
	off=$(date +%z)
	off=$(( (${off:0:1}1) * (10#${off:1:2} * 3600 + 10#${off:3:2} * 60) ))
	echo $(( (e / 1000 + off * 1000) % 86400000 ))
}

# tl_at FILE REGEX [last]: ms of day of the first (or last) line of FILE
# stamped HH:MM:SS.mmm (the first such time on the line: logs, ip -ts),
# at or after $TL_T0 and matching REGEX.
tl_at() {
	[ -f "$1" ] || return 0
	awk -v t0="$TL_T0" -v re="$2" -v last="${3:-}" '
		match($0, /[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]/) {
			split(substr($0, RSTART, RLENGTH), a, /[:.]/)
			ms = ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4]
			if (ms >= t0 && $0 ~ re) { hit = ms; if (!last) exit }
		}
		END { if (hit != "") print hit }' "$1"
}

# tl_steps: for each line "FILE;REGEX;LABEL;[last]" on standard input,
# "MS LABEL" when FILE has a line as tl_at finds it (MS from $TL_T0). One
# awk for all the steps (under TCG every process costs): every REGEX must
# compile.
tl_steps() {
	local table=$tmp/tl-steps.txt file re label which
	local -A seen=()
	local -a files=()
	: > "$table"
	while IFS=';' read -r file re label which; do
		printf '%s\t%s\t%s\t%s\n' "$file" "$re" "$label" "$which" >> "$table"
		[ -f "$file" ] && [ -z "${seen[$file]:-}" ] && { seen[$file]=1; files+=("$file"); }
	done
	[ ${#files[@]} -gt 0 ] || return 0
	awk -v t0="$TL_T0" '
		NR == FNR { split($0, f, "\t"); n++; file[n] = f[1]; re[n] = f[2]
			label[n] = f[3]; last[n] = (f[4] == "last"); next }
		match($0, /[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]/) {
			split(substr($0, RSTART, RLENGTH), a, /[:.]/)
			ms = ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4]
			if (ms < t0) next
			for (i = 1; i <= n; i++)
				if (file[i] == FILENAME && (last[i] || !(i in hit)) && $0 ~ re[i])
					hit[i] = ms
		}
		END { for (i = 1; i <= n; i++) if (i in hit) print hit[i] - t0, label[i] }' \
		"$table" "${files[@]}"
}

# tl_pings: the loss and the ping answers around the black hole (BH_*), as
# timeline lines.
tl_pings() {
	local t
	echo "0 Router B: xfrm state flush starts (the loss)"
	t=$(answered_at $((BH_FIRST_LOST - 1)))
	[ -n "$t" ] && echo "$(( $(ms_of_day "$t") - TL_T0 )) ping: last answer before the black hole (+100 ms: first lost ping)"
	t=$(answered_at "$BH_FIRST_OK")
	[ -n "$t" ] && echo "$(( $(ms_of_day "$t") - TL_T0 )) ping: first answer after it"
}

# tl_write NAME: timeline lines on standard input, in order, into
# $SPIREC_OUT/timeline-NAME.txt and the log.
tl_write() {
	sort -n -s -k1,1 | awk '{ t = $1; $1 = ""; printf "%6d ms%s\n", t, $0 }' > "$SPIREC_OUT/timeline-$1.txt"
	diag < "$SPIREC_OUT/timeline-$1.txt"
}

# timeline NAME: one line per step, in milliseconds from the loss (the
# flush of Router B's SAs), into $SPIREC_OUT/timeline-NAME.txt and the log.
timeline() {
	TL_T0=$(ms_of_day "$LOST_AT")
	{
		tl_pings
		echo "$(( $(ms_of_day "$READY_AT") - TL_T0 )) harness: swanctl --load-all on Router B returned"
		tl_steps <<EOT
$RB/charon.log;Starting IKE charon daemon;Router B: charon starts;
$RB/charon.log;spawning .* worker threads;Router B: charon's workers up (plugins loaded);
$RB/charon.log;added vici connection;Router B: connection loaded (charon ready);
$tmp/spirecd.log;: starting$;spirecd: first event, action starts;
$tmp/spirecd.log;waiting for charon;spirecd: charon not ready yet;
$tmp/spirecd.log;charon ready after;spirecd: charon ready;
$tmp/spirecd.log;sending IKE_SA_INIT;spirecd: IKE_SA_INIT sent;
$tmp/spirecd.log;IKE_SA_INIT done;spirecd: IKE_SA_INIT answered;
$tmp/spirecd.log;IKE SA authenticated;spirecd: IKE_AUTH done (INITIAL_CONTACT);
$tmp/spirecd.log;answered INFORMATIONAL N\(INVALID_SPI;spirecd: INVALID_SPI answered;
$tmp/spirecd.log;IKE SA deleted;spirecd: its IKE SA deleted;
$tmp/spirecd.log;IKEv1: recovering;spirecd: Main Mode message 1 sent;
$tmp/spirecd.log;Main Mode done;spirecd: Main Mode done (INITIAL-CONTACT);
$tmp/spirecd.log;sent Delete ISAKMP;spirecd: Informationals sent (Delete + INVALID-SPI, Delete ISAKMP);
$tmp/spirecd.log;hold-down [0-9]+ s$;spirecd: action over, result logged;
$RB/charon.log;vici initiate CHILD_SA;Router B: vici initiate received;
$RB/charon.log;initiating IKE_SA;Router B: IKE_SA_INIT sent;
$RB/charon.log;received packet: from 198.51.100.1.500. to 198.51.100.2.500;Router B: first IKE packet from Router A;
$RA/charon.log;destroying duplicate IKE_SA;Router A: stale IKE SA destroyed (INITIAL_CONTACT);
$tmp/xfrm-a.log;Deleted src 198.51.100.1 dst 198.51.100.2;Router A kernel: first stale SA toward B deleted;
$tmp/xfrm-a.log;acquire proto;Router A kernel: acquire sent;
$RA/charon.log;creating acquire job;Router A: acquire (trap policy);
$RA/charon.log;initiating IKE_SA;Router A: IKE_SA_INIT sent to Router B;
$RA/charon.log;initiating Main Mode;Router A: Main Mode to Router B;
$RA/charon.log;CHILD_SA .* established;Router A: new CHILD SA installed;last
$RB/charon.log;CHILD_SA .* established;Router B: new CHILD SA installed;last
EOT
	} | tl_write "$1"
}

# --- Router A behind a NAT (e2e case 16) -----------------------------------
#
#   Host 1 ── Router A ── NAT ═══ ESP in UDP ═══ Router B ── Host 2
#   192.0.2.10  192.0.2.1  100.64.0.254            203.0.113.1  203.0.113.10
#               100.64.0.1 198.51.100.1 ───────── 198.51.100.2
#
# The NAT namespace masquerades Router A's traffic behind 198.51.100.1 onto
# ports 30000-40000, so Router A's 4500 is seen at a mapped port and only
# what Router B sends from its port 4500 to that port gets back in.
NS_NAT=e2e-nat
NAT_LOW=30000 NAT_HIGH=40000

nat_topology() {
	local n
	for n in $NS_H1 $NS_RA $NS_NAT $NS_RB $NS_H2; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
	done
	link $NS_H1 h1 192.0.2.10/24 $NS_RA ra-lan 192.0.2.1/24 &&
	link $NS_RA ra-wan 100.64.0.1/24 $NS_NAT nat-in 100.64.0.254/24 &&
	link $NS_NAT nat-out 198.51.100.1/24 $NS_RB rb-wan 198.51.100.2/24 &&
	link $NS_RB rb-lan 203.0.113.1/24 $NS_H2 h2 203.0.113.10/24 || return 1
	ip -n $NS_H1 route add default via 192.0.2.1
	ip -n $NS_H2 route add default via 203.0.113.1
	ip -n $NS_RA route add default via 100.64.0.254
	ip -n $NS_RB route add 192.0.2.0/24 via 198.51.100.1
	in_ns $NS_RA sysctl -qw net.ipv4.ip_forward=1
	in_ns $NS_RB sysctl -qw net.ipv4.ip_forward=1
	in_ns $NS_NAT sysctl -qw net.ipv4.ip_forward=1
	in_ns $NS_NAT nft -f - <<EON || return 1
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "nat-out" meta l4proto udp masquerade to :$NAT_LOW-$NAT_HIGH
		oifname "nat-out" masquerade
	}
}
table ip filter {
	chain forward_a {
		type filter hook forward priority 0; policy drop;
		ct state established,related accept
		iifname "nat-in" accept
	}
}
EON
}

# nat_setup: the NAT topology, Router A (FQDN identity, trap) behind the
# NAT, Router B with remote_addrs = %any; tunnel up in ESP in UDP.
nat_setup() {
	trace nat_setup
	teardown
	ip netns del $NS_NAT 2>/dev/null
	rm -rf "$RA" "$RB"
	nat_topology || return 1
	router_conf "$RA" 100.64.0.1 198.51.100.2 router-a.example.org \
		router-b.example.org 192.0.2.0/24 203.0.113.0/24 trap
	router_conf "$RB" 198.51.100.2 %any router-b.example.org \
		router-a.example.org 203.0.113.0/24 192.0.2.0/24 none
	start_charons || return 1
	vici "$RA" --initiate --child net-net --timeout 30 > "$tmp/initiate.out" 2>&1 ||
		{ echo "tunnel did not come up"; cat "$tmp/initiate.out"
		  tail -n 30 "$RA/charon.log"; tail -n 30 "$RB/charon.log"; return 1; }
	slowwait 30 h1_reaches_h2
	# ESP in UDP from the NAT's mapped port, not 4500.
	ip -n $NS_RB xfrm state list src 198.51.100.1 | grep -q "encap type espinudp sport \(3[0-9]\{4\}\|40000\) dport 4500" ||
		{ echo "no ESP in UDP from a mapped port"; ip -n $NS_RB xfrm state; return 1; }
	in_ns $NS_H1 ping -c1 -W1 203.0.113.10 > /dev/null 2>&1 ||
		{ echo "Host 1 cannot reach Host 2 through the NAT"; return 1; }
}

nat_teardown() { teardown; ip netns del $NS_NAT 2>/dev/null; }
