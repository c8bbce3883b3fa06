#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# End-to-end tests of spirec: the Router A / Router B black hole.
#
#   Host 1 ── Router A ═══ IPsec tunnel ═══ Router B ── Host 2
#   192.0.2.10  192.0.2.1                  203.0.113.1  203.0.113.10
#               198.51.100.1 ─────────── 198.51.100.2
#
# Both routers run a real strongSwan charon (tunnel mode between
# 192.0.2.0/24 and 203.0.113.0/24, IKEv2 PSK). Host 1 pings Host 2 every
# 100 ms. Router B then loses its IPsec state: charon killed with SIGKILL,
# `ip xfrm state flush`, `ip xfrm policy flush`, charon started again with
# its configuration (it only responds). Router A keeps sending ESP for SAs
# Router B no longer has: a black hole. Cases:
#   1 baseline, no spirecd: the black hole lasts (SPIREC_E2E_BASELINE_WAIT s)
#   2 spirecd action ikev2, Router A with start_action = trap: heals
#   3 spirecd action vici, Router A without trap: heals
#   4 spirecctl peers on Router B shows Router A with the invalid SPI
#   5 wrong PSK in spirecd.conf: no recovery, a clear log line, Router A's
#     IKE and CHILD SAs left as they were
#   6 spirec.ko unloaded and loaded again under a running spirecd: it joins
#     the events group again and puts its known peers and sysctls back
#   7 spirecd action hint: the unprotected INVALID_SPI notify (RFC 7296
#     1.5) reaches Router A's charon, which ignores it: SAs unchanged, the
#     black hole stays. A hint sent to Router B gets no answer.
#   8 events lost (ENOBUFS): spirecd with a tiny receive buffer, stopped
#     while 100 spoofed sources and then a configured peer send unknown
#     SPIs; resumed, it logs the overrun, re-reads the peer table and runs
#     the configured peer's action (exec) all the same
# The black hole of each run is measured in ping sequence numbers: from
# the first unanswered ping to the first answered one after it, times
# 100 ms. Results also go to $SPIREC_OUT/e2e-results.txt. Cases 2 and 3
# also write $SPIREC_OUT/timeline-NAME.txt: milliseconds from Router B's
# loss to each step of the recovery (logs of both charons, spirecd, ping).
#
# On the host this script boots the test VM (selftests/vm/vm.sh) and runs
# itself there; in the VM (SPIREC_OUT set, needs root) it runs the cases.
# Output: KTAP, exit status 0 when every case passed.
#
# Environment: SPIREC_E2E_BASELINE_WAIT (default 20 s; 60 for benchmarks),
# SPIREC_E2E_HEAL_WAIT (default 45 s), SPIREC_E2E_OUT (host: vm.sh -o directory),
# SPIREC_E2E_CASES (e.g. "2 4": only these), SPIREC_E2E_KEEP=1 (keep the
# temporary directory), SPIREC_E2E_VERBOSE=1 (logs of passing cases too).

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

if [ -z "${SPIREC_OUT:-}" ]; then
	out=${SPIREC_E2E_OUT:-$top/.check/e2e}
	mkdir -p "$out"
	exec "$top/selftests/vm/vm.sh" -o "$out" -t "${SPIREC_E2E_VM_TIMEOUT:-900}" "$0" "$@"
fi

KMOD=$top/kmod/spirec.ko
SPIRECD=$top/userspace/build/spirecd
SPIRECCTL=$top/userspace/build/spirecctl
CHARON=${CHARON:-/usr/lib/ipsec/charon}
BASELINE_WAIT=${SPIREC_E2E_BASELINE_WAIT:-20}
HEAL_WAIT=${SPIREC_E2E_HEAL_WAIT:-45}
PSK=spirec-e2e-shared-secret
RESULTS=$SPIREC_OUT/e2e-results.txt
SEND=$top/selftests/tools/build/spirec-send
IKE_RECOVER=$top/userspace/build/ike-recover
NCASES=8
CASE_NAMES=(""
	"baseline: without spirecd the black hole lasts"
	"ikev2: spirecd heals the black hole (Router A with trap)"
	"vici: spirecd heals the black hole (Router A without trap)"
	"spirecctl peers on Router B shows Router A with the invalid SPI"
	"wrong PSK: no recovery, a clear log line, Router A untouched"
	"module unloaded and loaded again: spirecd joins again, restores its known peers"
	"hint: the unprotected INVALID_SPI notify reaches Router A, which ignores it"
	"events lost (ENOBUFS): spirecd re-syncs from the peer table and acts")

tmp=$(mktemp -d /tmp/spirec-e2e.XXXXXX)
NS_H1=e2e-h1 NS_RA=e2e-ra NS_RB=e2e-rb NS_H2=e2e-h2
pids=()
failed=0
start_all=$SECONDS

diag() { sed 's/^/# /'; }
# Progress, readable from the host while the guest runs.
trace() { echo "$SECONDS $*" >> "$SPIREC_OUT/e2e-trace.log"; }
log() { echo "# $*"; }

stop_pids() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	pids=()
}

teardown() {
	trace teardown
	local n
	stop_pids
	for n in $NS_H1 $NS_RA $NS_RB $NS_H2; do ip netns del "$n" 2>/dev/null; done
}

cleanup() {
	teardown
	[ "${SPIREC_E2E_KEEP:-0}" = 1 ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

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

topology() {
	local n
	for n in $NS_H1 $NS_RA $NS_RB $NS_H2; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
	done
	link $NS_H1 h1 192.0.2.10/24 $NS_RA ra-lan 192.0.2.1/24 &&
	link $NS_RA ra-wan 198.51.100.1/24 $NS_RB rb-wan 198.51.100.2/24 &&
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
router_conf() {
	mkdir -p "$1/run"
	cat > "$1/strongswan.conf" <<EOC
charon {
	install_routes = no
	install_virtual_ip = no
	retransmit_timeout = 1
	retransmit_tries = 4
	load = random nonce aes sha1 sha2 hmac gcm openssl pem pkcs1 x509 kdf vici socket-default kernel-netlink
	plugins {
		vici { socket = unix://$1/charon.vici }
	}
	filelog {
		e2e {
			path = $1/charon.log
			time_format = %T
			time_add_ms = yes
			append = yes
			flush_line = yes
			default = 1
			ike = 2
			knl = 1
			cfg = 1
		}
	}
	syslog { daemon { default = -1 } }
}
EOC
	cat > "$1/swanctl.conf" <<EOC
connections {
	gw {
		version = 2
		local_addrs = $2
		remote_addrs = $3
		proposals = aes128-sha256-x25519
		local { auth = psk
			id = $4 }
		remote { auth = psk
			 id = $5 }
		children {
			net-net {
				mode = tunnel
				local_ts = $6
				remote_ts = $7
				esp_proposals = aes128gcm16
				start_action = $8
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
start_charon() {
	local dir=$1 ns=$2
	rm -f "$dir/charon.vici"
	ip netns exec "$ns" sh -c "mount --bind '$dir/run' /run &&
		STRONGSWAN_CONF='$dir/strongswan.conf' exec '$CHARON'" \
		>> "$dir/charon.out" 2>&1 &
	pids+=($!)
	echo $! > "$dir/pid"
	for _ in $(seq 200); do
		[ -S "$dir/charon.vici" ] && break
		sleep 0.05
	done
	[ -S "$dir/charon.vici" ] || { echo "charon in $ns did not start"; cat "$dir/charon.out"; return 1; }
	swanctl --load-all --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" \
		> "$dir/load.out" 2>&1 || { cat "$dir/load.out"; return 1; }
}

vici() { local dir=$1; shift; swanctl "$@" --uri "unix://$dir/charon.vici"; }

RA=$tmp/router-a RB=$tmp/router-b

# setup TRAP: topology, both charons, tunnel up, Host 1 reaches Host 2.
setup() {
	local ra_start=$1
	trace setup
	teardown
	rm -rf "$RA" "$RB"
	topology || return 1
	router_conf "$RA" 198.51.100.1 198.51.100.2 router-a.example.org \
		router-b.example.org 192.0.2.0/24 203.0.113.0/24 "$ra_start"
	router_conf "$RB" 198.51.100.2 198.51.100.1 router-b.example.org \
		router-a.example.org 203.0.113.0/24 192.0.2.0/24 none
	start_charon "$RA" $NS_RA && start_charon "$RB" $NS_RB || return 1
	trace "initiate"
	vici "$RA" --initiate --child net-net --timeout 30 > "$tmp/initiate.out" 2>&1 ||
		{ echo "tunnel did not come up"; cat "$tmp/initiate.out"
		  echo "--- Router A"; tail -n 30 "$RA/charon.log"
		  echo "--- Router B"; tail -n 30 "$RB/charon.log"; cat "$RB/charon.out"; return 1; }
	for _ in $(seq 20); do
		in_ns $NS_H1 ping -c1 -W1 203.0.113.10 > /dev/null 2>&1 && return 0
	done
	echo "Host 1 cannot reach Host 2 through the tunnel"
	ip -n $NS_RA xfrm state; ip -n $NS_RA xfrm policy
	return 1
}

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
lose_state_rb() {
	trace lose_state_rb
	kill -9 "$(cat "$RB/pid")"
	wait "$(cat "$RB/pid")" 2>/dev/null
	# The black hole starts with the state flush.
	LOST_AT=$EPOCHREALTIME
	ip -n $NS_RB xfrm state flush
	ip -n $NS_RB xfrm policy flush
	start_charon "$RB" $NS_RB || return 1
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

# wait_healed SECONDS SEQ_AT_LOSS: true once a ping after a loss answered.
wait_healed() {
	local end=$((SECONDS + $1))
	while [ $SECONDS -lt $end ]; do
		blackhole "$2"
		[ -n "$BH_FIRST_OK" ] && return 0
		sleep 0.2
	done
	return 1
}

record() { echo "$*" >> "$RESULTS"; log "$*"; }

# --- spirecd --------------------------------------------------------------

# spirecd_start CONF: spirecd in Router B's netns, log in $tmp/spirecd.log.
spirecd_start() {
	trace spirecd_start
	: > "$tmp/spirecd.log"
	ip netns exec $NS_RB "$SPIRECD" -f -d -c "$1" >> "$tmp/spirecd.log" 2>&1 &
	SPIRECD_PID=$!
	pids+=("$SPIRECD_PID")
	for _ in $(seq 100); do
		grep -q "listening on generic netlink" "$tmp/spirecd.log" && return 0
		kill -0 $SPIRECD_PID 2>/dev/null || break
		sleep 0.05
	done
	echo "spirecd did not start"; cat "$tmp/spirecd.log"
	return 1
}

spirecd_conf() { # FILE ACTION PSK
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
ike = aes128-sha256-x25519
action = $2
vici_socket = $RB/charon.vici
vici_child = net-net
vici_ike = gw
EOC
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

# timeline NAME: one line per step, in milliseconds from the loss (the
# flush of Router B's SAs), into $SPIREC_OUT/timeline-NAME.txt and the log.
timeline() {
	local name=$1 out=$SPIREC_OUT/timeline-$1.txt e t
	TL_T0=$(ms_of_day "$LOST_AT")
	{
		echo "0 Router B: xfrm state flush starts (the loss)"
		t=$(answered_at $((BH_FIRST_LOST - 1)))
		[ -n "$t" ] && echo "$(( $(ms_of_day "$t") - TL_T0 )) ping: last answer before the black hole (+100 ms: first lost ping)"
		t=$(answered_at "$BH_FIRST_OK")
		[ -n "$t" ] && echo "$(( $(ms_of_day "$t") - TL_T0 )) ping: first answer after it"
		echo "$(( $(ms_of_day "$READY_AT") - TL_T0 )) harness: swanctl --load-all on Router B returned"
		while IFS=';' read -r file re label which; do
			e=$(tl_at "$file" "$re" "$which")
			[ -n "$e" ] && echo "$((e - TL_T0)) $label"
		done <<EOT
$RB/charon.log;Starting IKE charon daemon;Router B: charon starts;
$RB/charon.log;spawning .* worker threads;Router B: charon's workers up (plugins loaded);
$RB/charon.log;added vici connection;Router B: connection loaded (charon ready);
$tmp/spirecd.log;: starting$;spirecd: first event, action starts;
$tmp/spirecd.log;waiting for charon;spirecd: charon not ready yet;
$tmp/spirecd.log;charon ready after;spirecd: charon ready;
$tmp/spirecd.log;sending IKE_SA_INIT;spirecd: IKE_SA_INIT sent;
$tmp/spirecd.log;IKE_SA_INIT done;spirecd: IKE_SA_INIT answered;
$tmp/spirecd.log;IKE SA authenticated;spirecd: IKE_AUTH done (INITIAL_CONTACT);
$tmp/spirecd.log;acknowledged INVALID_SPI;spirecd: INVALID_SPI acknowledged;
$tmp/spirecd.log;IKE SA deleted;spirecd: its IKE SA deleted;
$tmp/spirecd.log;hold-down [0-9]+ s$;spirecd: action over, result logged;
$RB/charon.log;vici initiate CHILD_SA;Router B: vici initiate received;
$RB/charon.log;initiating IKE_SA;Router B: IKE_SA_INIT sent;
$RB/charon.log;received packet: from 198.51.100.1.500. to 198.51.100.2.500;Router B: first IKE packet from Router A;
$RA/charon.log;destroying duplicate IKE_SA;Router A: stale IKE SA destroyed (INITIAL_CONTACT);
$tmp/xfrm-a.log;Deleted src 198.51.100.1 dst 198.51.100.2;Router A kernel: first stale SA toward B deleted;
$tmp/xfrm-a.log;acquire proto;Router A kernel: acquire sent;
$RA/charon.log;creating acquire job;Router A: acquire (trap policy);
$RA/charon.log;initiating IKE_SA;Router A: IKE_SA_INIT sent to Router B;
$RA/charon.log;CHILD_SA .* established;Router A: new CHILD SA installed;last
$RB/charon.log;CHILD_SA .* established;Router B: new CHILD SA installed;last
EOT
	} | sort -n -s -k1,1 | awk '{ t = $1; $1 = ""; printf "%6d ms%s\n", t, $0 }' > "$out"
	diag < "$out"
}

# --- cases ----------------------------------------------------------------

result() { # N OK [DIRECTIVE]
	if [ "$2" = 0 ]; then
		echo "ok $1 - e2e: ${CASE_NAMES[$1]}${3:+ # $3}"
	else
		failed=$((failed + 1))
		echo "not ok $1 - e2e: ${CASE_NAMES[$1]}"
	fi
}

want_case() { [ -z "${SPIREC_E2E_CASES:-}" ] || [[ " $SPIREC_E2E_CASES " == *" $1 "* ]]; }

# Common part: tunnel up, spirecd running with CONF (if given), ping
# running, then B loses its state. Sets AT, the last ping answered before.
# Not in a subshell: it sets variables; its output goes to setup.out.
black_hole_begins() {
	{
		setup "$1" || return 1
		if [ -n "${2:-}" ]; then
			spirecd_start "$2" || return 1
		fi
		ping_start
		# A starved guest may take a while to answer the first ping.
		for _ in $(seq 150); do
			[ "$(last_answered)" -gt 0 ] && break
			sleep 0.1
		done
		sleep 1
		OLD_SPI=$(rb_inbound_spi)
		AT=$(last_answered)
		[ "$AT" -gt 0 ] || { echo "no ping answered before the loss"; cat "$tmp/ping.out"; return 1; }
		RA_ESP_BEFORE=$(ra_esp_spis)
		RA_IKE_BEFORE=$(ra_ike_spis)
		RA_LOG_LINES=$(wc -l < "$RA/charon.log")
		# Router A's kernel: SA deletions and acquires, time-stamped.
		ip -n $NS_RA -ts xfrm monitor > "$tmp/xfrm-a.log" 2>&1 &
		pids+=($!)
		lose_state_rb || return 1
	} > "$tmp/setup.out" 2>&1
}

case_baseline() {
	trace case_baseline
	local rc=0
	black_hole_begins trap || { diag < "$tmp/setup.out"; return 1; }
	sleep "$BASELINE_WAIT"
	ping_stop
	blackhole "$AT"
	if [ -n "$BH_FIRST_OK" ]; then
		log "traffic came back without spirecd after $BH_MS ms"
		rc=1
	elif [ -z "$BH_FIRST_LOST" ]; then
		log "no ping was lost: no black hole"
		rc=1
	else
		record "baseline (no spirecd): still black-holed after ${BASELINE_WAIT} s"
	fi
	return $rc
}

# heal_case NAME RA_START ACTION
heal_case() {
	trace heal_case
	local name=$1 ra_start=$2 action=$3 rc=0
	spirecd_conf "$tmp/spirecd.conf" "$action" "$PSK"
	black_hole_begins "$ra_start" "$tmp/spirecd.conf" ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; return 1; }
	trace "waiting for the heal"
	if wait_healed "$HEAL_WAIT" "$AT"; then
		sleep 0.5
		ping_stop
		blackhole "$AT"
		local ok_at last_at restart after loaded wall="?"
		ok_at=$(answered_at "$BH_FIRST_OK")
		last_at=$(answered_at $((BH_FIRST_LOST - 1)))
		# Router B's charon is ready when it logs its connection loaded
		# (swanctl itself may return later in a starved guest).
		TL_T0=$(ms_of_day "$LOST_AT")
		loaded=$(tl_at "$RB/charon.log" "added vici connection" last)
		if [ -n "$loaded" ]; then
			restart=$((loaded - TL_T0))
		else
			restart=$(ms_between "$LOST_AT" "$READY_AT")
			loaded=$(ms_of_day "$READY_AT")
		fi
		after=
		[ -n "$ok_at" ] && after=$(( $(ms_of_day "$ok_at") - loaded ))
		# Wall clock from the last answer before to the first after:
		# ping's 100 ms ticks stretch when the guest is starved.
		[ -n "$ok_at" ] && [ -n "$last_at" ] && wall=$(ms_between "$last_at" "$ok_at")
		record "$name: black hole $BH_MS ms (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost; $wall ms wall clock between answers); Router B's charon took $restart ms to restart (flush to connection loaded); traffic back ${after:-?} ms after it was ready"
		timeline "$name"
	else
		ping_stop
		log "$name: still black-holed after $HEAL_WAIT s"
		rc=1
	fi
	if [ $rc != 0 ] || [ "${SPIREC_E2E_VERBOSE:-0}" = 1 ]; then
		diag < "$tmp/spirecd.log"
		tail -n 40 "$RA/charon.log" | diag
	fi
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-$name.log" 2>/dev/null
	cp "$tmp/ping.out" "$SPIREC_OUT/ping-$name.out" 2>/dev/null
	cp "$tmp/xfrm-a.log" "$SPIREC_OUT/xfrm-a-$name.log" 2>/dev/null
	cp "$RA/charon.log" "$SPIREC_OUT/charon-a-$name.log" 2>/dev/null
	cp "$RB/charon.log" "$SPIREC_OUT/charon-b-$name.log" 2>/dev/null
	return $rc
}

case_peers() {
	trace case_peers
	local out
	out=$(in_ns $NS_RB "$SPIRECCTL" peers 2>&1)
	echo "$out" | diag
	if [ -z "${OLD_SPI:-}" ]; then
		log "no SPI recorded by the previous case"
		return 1
	fi
	log "Router B's lost inbound SPI: $OLD_SPI"
	echo "$out" | grep "198.51.100.1" | grep -q "$OLD_SPI"
}

case_wrong_psk() {
	trace case_wrong_psk
	local rc=0 before after sas_before sas_after
	spirecd_conf "$tmp/spirecd.conf" ikev2 "not-the-right-secret"
	black_hole_begins none "$tmp/spirecd.conf" ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; return 1; }
	before=$RA_ESP_BEFORE
	sas_before=$RA_IKE_BEFORE
	for _ in $(seq 150); do
		grep -q "ikev2 failed" "$tmp/spirecd.log" && break
		sleep 0.1
	done
	sleep 2
	ping_stop
	blackhole "$AT"
	after=$(ra_esp_spis)
	sas_after=$(ra_ike_spis)
	grep -E "ikev2 failed" "$tmp/spirecd.log" | diag
	if ! grep -q "ikev2 failed.*authentication failed" "$tmp/spirecd.log"; then
		log "no 'authentication failed' line in spirecd's log"
		diag < "$tmp/spirecd.log"
		rc=1
	fi
	if [ -n "$BH_FIRST_OK" ]; then
		log "traffic came back with a wrong PSK?"
		rc=1
	fi
	if [ "$before" != "$after" ] || [ -z "$before" ]; then
		log "Router A's SAs changed: '$before' -> '$after'"
		rc=1
	fi
	if [ "$sas_before" != "$sas_after" ] || [ -z "$sas_before" ]; then
		log "Router A's IKE SAs changed: '$sas_before' -> '$sas_after'"
		rc=1
	fi
	[ $rc = 0 ] && record "wrong PSK: no recovery, Router A kept ESP SAs $before"
	return $rc
}

# Uses the spirecd still running from case 5 (or starts one).
case_module_reload() {
	local n0 n1 known enabled
	trace case_module_reload
	if ! kill -0 "${SPIRECD_PID:-0}" 2>/dev/null; then
		spirecd_conf "$tmp/spirecd.conf" none "$PSK"
		{ setup none && spirecd_start "$tmp/spirecd.conf"; } > "$tmp/setup.out" 2>&1 ||
			{ diag < "$tmp/setup.out"; return 1; }
	fi
	n0=$(grep -c "listening on generic netlink" "$tmp/spirecd.log")
	rmmod spirec || { log "rmmod spirec failed"; return 1; }
	for _ in $(seq 100); do
		grep -q "spirec family gone" "$tmp/spirecd.log" && break
		sleep 0.1
	done
	grep -q "spirec family gone" "$tmp/spirecd.log" ||
		{ log "spirecd did not notice the unload"; diag < "$tmp/spirecd.log"; load_kmod; return 1; }
	load_kmod || { log "insmod failed"; return 1; }
	for _ in $(seq 100); do
		n1=$(grep -c "listening on generic netlink" "$tmp/spirecd.log")
		[ "$n1" -gt "$n0" ] && break
		sleep 0.1
	done
	# The known-peer list comes right after joining; give it a moment.
	for _ in $(seq 50); do
		known=$(in_ns $NS_RB "$SPIRECCTL" known list 2>&1)
		[[ $known == *198.51.100.1/32* ]] && break
		sleep 0.1
	done
	enabled=$(in_ns $NS_RB cat /proc/sys/net/spirec/enabled 2>&1)
	grep -E "gone|registered|listening|known-peer|net.spirec" "$tmp/spirecd.log" | diag
	[ "$n1" -gt "$n0" ] || { log "spirecd did not join again"; return 1; }
	[[ $known == *198.51.100.1/32* ]] || { log "known list after reload: $known"; return 1; }
	[ "$enabled" = 1 ] || { log "net.spirec.enabled after reload: $enabled"; return 1; }
	kill -0 "$SPIRECD_PID" || { log "spirecd died"; return 1; }
}

# Action hint: Router B's spirecd sends the unprotected INVALID_SPI notify.
# It must reach Router A's charon (its log shows a packet from Router B,
# the only one after the loss: Router B's charon only responds), and
# charon must ignore it (RFC 7296 2.21.4): same SAs, still black-holed.
# Then a hint the other way (Router A to Router B): nobody answers it.
case_hint() {
	trace case_hint
	local rc=0 n0 after sas_after got spi=0x5e0e0e0e nb0 nd0
	spirecd_conf "$tmp/spirecd.conf" hint "$PSK"
	black_hole_begins none "$tmp/spirecd.conf" ||
		{ diag < "$tmp/setup.out"; diag < "$tmp/spirecd.log"; return 1; }
	# Router A's log from the loss on (Router B's restart may outlast
	# spirecd's reaction).
	n0=$RA_LOG_LINES
	for _ in $(seq 150); do
		grep -q "hint sent" "$tmp/spirecd.log" && break
		sleep 0.1
	done
	# Router A's charon has had its chance to act on it.
	sleep 3
	ping_stop
	blackhole "$AT"
	after=$(ra_esp_spis)
	sas_after=$(ra_ike_spis)
	grep -E "hint" "$tmp/spirecd.log" | diag
	got=$(tail -n +"$((n0 + 1))" "$RA/charon.log")
	echo "$got" | grep -E "198\.51\.100\.2" | diag
	if ! grep -q "action hint: starting" "$tmp/spirecd.log" ||
	   ! grep -q "hint sent to UDP port 500" "$tmp/spirecd.log"; then
		log "spirecd did not send a hint"
		diag < "$tmp/spirecd.log"
		rc=1
	fi
	# charon 5.9 logs it as "received unencrypted informational: from ..."
	if ! echo "$got" | grep -Eq "received (packet|unencrypted informational): from 198\.51\.100\.2\[[0-9]+\] to 198\.51\.100\.1\[500\]"; then
		log "Router A's charon did not receive the hint"
		rc=1
	fi
	if echo "$got" | grep -q "sending packet: .* to 198\.51\.100\.2"; then
		log "Router A's charon answered the hint"
		rc=1
	fi
	if [ -n "$BH_FIRST_OK" ]; then
		log "traffic came back after a hint: strongSwan acted on it?"
		rc=1
	fi
	[ -n "$BH_FIRST_LOST" ] || { log "no ping was lost"; rc=1; }
	if [ "$RA_ESP_BEFORE" != "$after" ] || [ -z "$after" ]; then
		log "Router A's ESP SAs changed: '$RA_ESP_BEFORE' -> '$after'"
		rc=1
	fi
	if [ "$RA_IKE_BEFORE" != "$sas_after" ] || [ -z "$sas_after" ]; then
		log "Router A's IKE SAs changed: '$RA_IKE_BEFORE' -> '$sas_after'"
		rc=1
	fi

	# The other way: Router A sends Router B a hint from port 5500. Router
	# B's charon drops it, spirecd never sees IKE traffic: no answer.
	if [ -x "$IKE_RECOVER" ]; then
		nb0=$(wc -l < "$RB/charon.log")
		nd0=$(wc -l < "$tmp/spirecd.log")
		in_ns $NS_RA "$IKE_RECOVER" -H -l 198.51.100.1 -s 5500 198.51.100.2 $spi |
			diag
		sleep 2
		got=$(tail -n +"$((nb0 + 1))" "$RB/charon.log")
		echo "$got" | grep -E "198\.51\.100\.1" | diag
		if ! echo "$got" | grep -Eq "received (packet|unencrypted informational): from 198\.51\.100\.1\[5500\]"; then
			log "Router B's charon did not receive the hint from Router A"
			rc=1
		fi
		if echo "$got" | grep -q "sending packet: .* to 198\.51\.100\.1\[5500\]"; then
			log "Router B's charon answered the hint"
			rc=1
		fi
		if tail -n +"$((nd0 + 1))" "$tmp/spirecd.log" | grep -q "$spi"; then
			log "spirecd reacted to an incoming hint"
			rc=1
		fi
	fi
	[ $rc != 0 ] && tail -n 30 "$RA/charon.log" | diag
	[ $rc = 0 ] && record "hint: sent, received by Router A's charon and ignored: ESP SAs $after kept, still black-holed 3 s later"
	return $rc
}

# Events lost to a full receive buffer (ENOBUFS). No charon needed: Router
# A's namespace sends raw ESP with spoofed sources (spirec-send).
case_resync() {
	trace case_resync
	local rc=0 conf=$tmp/spirecd-resync.conf lost=198.51.100.99 spi=0x5e000099 out
	[ -x "$SEND" ] || { SKIP_WHY="no $SEND (make -C selftests/tools)"; return 77; }
	{ teardown && topology; } > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	cat > "$tmp/on-event.sh" <<EOC
#!/bin/sh
env | grep '^SPIREC_' | sort > "$tmp/exec-\$SPIREC_PEER.out"
EOC
	chmod +x "$tmp/on-event.sh"
	rm -f "$tmp/exec-lost.out"
	cat > "$conf" <<EOC
[global]
action = none
known_peers_only = no
# Room for a handful of events at most.
rcvbuf = 1

[peer lost]
address = $lost
action = exec
exec = $tmp/on-event.sh
EOC
	spirecd_start "$conf" > "$tmp/setup.out" 2>&1 || { diag < "$tmp/setup.out"; return 1; }
	# Every packet below must make an event.
	in_ns $NS_RB sh -c 'echo 100000 > /proc/sys/net/spirec/global_rate'
	kill -STOP "$SPIRECD_PID"
	in_ns $NS_RA "$SEND" -4 -s 198.51.100.1 -d 198.51.100.2 --src-prefix 198.51.100.128/25 \
		-n 100 -c 100 --spi 0x5e0000aa --seed 7 2>&1 | diag
	in_ns $NS_RA "$SEND" -4 -s $lost -d 198.51.100.2 --spi $spi 2>&1 | diag
	out=$(in_ns $NS_RB "$SPIRECCTL" peers 2>&1)
	echo "$out" | grep -F "$lost" | diag
	kill -CONT "$SPIRECD_PID"
	for _ in $(seq 100); do
		[ -s "$tmp/exec-lost.out" ] && break
		sleep 0.1
	done
	sleep 0.5
	grep -E "rcvbuf|lost|peer table" "$tmp/spirecd.log" | grep -v "action none" | diag
	log "$(grep -c "action none: logged only" "$tmp/spirecd.log") events of unlisted peers logged"
	if ! grep -q "events were lost.*ENOBUFS" "$tmp/spirecd.log"; then
		log "no ENOBUFS in spirecd's log: nothing was lost?"
		rc=1
	fi
	if ! grep -q "reading the kernel's peer table (events lost)" "$tmp/spirecd.log"; then
		log "spirecd did not re-read the peer table"
		rc=1
	fi
	if ! grep -q "peer lost ($lost): spi $spi (esp) \[from the peer table\]: action exec: starting" \
		"$tmp/spirecd.log"; then
		log "the configured peer was not acted on from the peer table"
		rc=1
	fi
	if grep "peer lost ($lost): spi $spi (esp)" "$tmp/spirecd.log" | grep -qv "from the peer table"; then
		log "the configured peer's event was not lost: the test did not test the re-sync"
		rc=1
	fi
	if ! grep -q "^SPIREC_SPI=$spi$" "$tmp/exec-lost.out" 2>/dev/null ||
	   ! grep -q "^SPIREC_SRC=$lost$" "$tmp/exec-lost.out"; then
		log "the exec action did not run for $lost"
		cat "$tmp/exec-lost.out" 2>/dev/null | diag
		rc=1
	fi
	kill -0 "$SPIRECD_PID" 2>/dev/null || { log "spirecd died"; rc=1; }
	[ $rc != 0 ] && diag < "$tmp/spirecd.log"
	cp "$tmp/spirecd.log" "$SPIREC_OUT/spirecd-resync.log" 2>/dev/null
	[ $rc = 0 ] && record "resync: events lost (ENOBUFS), peer table read, exec ran for $lost"
	return $rc
}

# --- main -----------------------------------------------------------------

echo "TAP version 13"
echo "1..$NCASES"
skip_all=
[ "$(id -u)" = 0 ] || skip_all="needs root"
[ -x "$CHARON" ] || skip_all="no charon at $CHARON"
command -v swanctl > /dev/null || skip_all="no swanctl"
for p in openssl gcm vici kernel-netlink; do
	[ -e /usr/lib/ipsec/plugins/libstrongswan-$p.so ] ||
		skip_all="charon plugin $p missing (libstrongswan-standard-plugins)"
done
command -v ping > /dev/null || skip_all="no ping (iputils-ping)"
[ -x "$SPIRECD" ] || skip_all="no $SPIRECD (make -C userspace)"
[ -x "$SPIRECCTL" ] || skip_all="no $SPIRECCTL (make -C userspace)"
if [ -z "$skip_all" ]; then
	# Our own copy: case 6 loads it again, the tree's may be rebuilt by then.
	if [ -f "$KMOD" ] && cp "$KMOD" "$tmp/spirec.ko"; then
		KMOD=$tmp/spirec.ko
	fi
	if [ ! -d /sys/module/spirec ]; then
		[ -f "$KMOD" ] || skip_all="$KMOD not built (make module)"
		[ -n "$skip_all" ] || load_kmod 2>&1 | diag
		[ -n "$skip_all" ] || [ -d /sys/module/spirec ] ||
			{ echo "Bail out! cannot load $KMOD"; exit 1; }
	fi
fi
if [ -n "$skip_all" ]; then
	for n in $(seq $NCASES); do echo "ok $n - e2e: ${CASE_NAMES[$n]} # SKIP $skip_all"; done
	exit 0
fi
: > "$RESULTS"
t0=$SECONDS
warm_up_crypto
log "crypto warm-up: $((SECONDS - t0)) s"
log "kernel $(uname -r), $(nproc) CPU(s), charon $("$CHARON" --version 2>/dev/null | head -n1)"

for n in $(seq $NCASES); do
	if ! want_case "$n"; then
		echo "ok $n - e2e: ${CASE_NAMES[$n]} # SKIP not selected"
		continue
	fi
	t0=$SECONDS
	case $n in
	1) case_baseline ;;
	2) heal_case ikev2 trap ikev2 ;;
	3) heal_case vici none vici ;;
	4) case_peers ;;
	5) case_wrong_psk ;;
	6) case_module_reload ;;
	7) case_hint ;;
	8) case_resync ;;
	esac
	rc=$?
	log "case $n: $((SECONDS - t0)) s"
	if [ "$rc" = 77 ]; then
		result "$n" 0 "SKIP $SKIP_WHY"
	else
		result "$n" "$rc"
	fi
done
teardown
log "e2e: $NCASES cases, $failed failed, $((SECONDS - start_all)) s"
[ "$failed" = 0 ]
