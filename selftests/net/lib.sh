# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared helpers of the spirec selftests: paths, KTAP output, network
# namespaces, spirec sysctls/counters through spirecctl, small JSON
# accessors. Sourced by every test script; the script sets ALL_TESTS (the
# case functions, in order) and may define setup() and cleanup_extra(),
# then calls `ktap_main "$@"`.
#
# A case function passes unless a check_* helper failed (then it fails) or
# it called skip (then it is skipped). `SCRIPT --list` prints the cases
# without running anything (run.sh uses it for the plan).
#
# Paths default to the source tree; these variables override them (vm.sh
# passes SPIREC_* variables into the guest): SPIREC_CTL (spirecctl),
# SPIREC_KMOD (spirec.ko), SPIREC_SEND (spirec-send), SPIREC_ENCAP_SOCK
# (udp-encap-sock).

# shellcheck disable=SC2034  # variables used by the sourcing scripts
KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

NET_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$NET_DIR/../.." && pwd)
# busywait, slowwait, holds, log, diag.
# shellcheck source-path=SCRIPTDIR source=../lib/wait.sh
source "$TOP/selftests/lib/wait.sh"
SPIRECCTL=${SPIREC_CTL:-$TOP/userspace/build/spirecctl}
SEND=${SPIREC_SEND:-$TOP/selftests/tools/build/spirec-send}
ENCAP_SOCK=${SPIREC_ENCAP_SOCK:-$TOP/selftests/tools/build/udp-encap-sock}
GENL=${SPIREC_GENL:-$TOP/selftests/tools/build/spirec-genl}
KMOD=${SPIREC_KMOD:-$TOP/kmod/spirec.ko}
SYSCTL_DIR=/proc/sys/net/spirec

# Unique per script run, so a crashed run never collides with the next.
NS_SUFFIX=$$
NS_LIST=()
BG_PIDS=()
TMP=
CASE_RC=0
CASE_NAME=
DMESG_MARK=0

# --- KTAP -----------------------------------------------------------------

# check_fail MSG: the current case fails (it goes on, to report more).
check_fail() {
	echo "# FAIL: $*"
	[ "$CASE_RC" = "$KSFT_SKIP" ] || CASE_RC=$KSFT_FAIL
}

# check_eq WHAT EXPECTED GOT
check_eq() {
	if [ "$2" != "$3" ]; then
		check_fail "$1: expected '$2', got '$3'"
		return 1
	fi
	return 0
}

# check_le WHAT MAX GOT / check_ge WHAT MIN GOT (integers)
check_le() {
	if ! [[ $3 =~ ^[0-9]+$ ]] || [ "$3" -gt "$2" ]; then
		check_fail "$1: expected at most $2, got '$3'"
		return 1
	fi
	return 0
}
check_ge() {
	if ! [[ $3 =~ ^[0-9]+$ ]] || [ "$3" -lt "$2" ]; then
		check_fail "$1: expected at least $2, got '$3'"
		return 1
	fi
	return 0
}

# check_ok WHAT CMD...: CMD must succeed; its output is shown if not.
check_ok() { check_exit ok "$@"; }

# check_refused WHAT CMD...: CMD must fail (permission tests).
check_refused() { check_exit refused "$@"; }

# check_exit ok|refused WHAT CMD...: CMD must succeed (ok) or fail.
check_exit() {
	local want=$1 what=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$want" = ok ] && [ $rc -ne 0 ]; then
		check_fail "$what: '$*' exited $rc"
	elif [ "$want" = refused ] && [ $rc -eq 0 ]; then
		check_fail "$what: '$*' succeeded, expected it to be refused"
	else
		[ "$want" = ok ] || log "$what: refused as expected (exit $rc): $(echo "$out" | head -n 1)"
		return 0
	fi
	[ -z "$out" ] || echo "$out" | diag
	return 1
}

# skip REASON: the current case is skipped (checks after it still run but
# a skipped case cannot fail; return right after calling it).
skip() {
	echo "# SKIP: $*"
	CASE_RC=$KSFT_SKIP
	SKIP_REASON=$*
}

# --- kernel log -----------------------------------------------------------

KLOG_BAD='BUG:|kernel BUG at|WARNING:|Oops|general protection fault|Call Trace|KASAN|UBSAN|KFENCE|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|refcount_t: |list_(add|del) corruption|unreferenced object 0x'

# One dmesg per mark and per check; the lines are matched in bash (under
# TCG every process costs 0.1-0.7 s).
dmesg_mark() {
	local -a k
	mapfile -t k < <(dmesg 2>/dev/null)
	DMESG_MARK=${#k[@]}
}

# Fails the current case when the kernel logged a problem since the mark.
dmesg_check() {
	local -a k
	local i bad=0
	mapfile -t k < <(dmesg 2>/dev/null)
	for ((i = DMESG_MARK; i < ${#k[@]}; i++)); do
		[[ ${k[i]} =~ $KLOG_BAD ]] && bad=1
	done
	if [ $bad = 1 ]; then
		check_fail "the kernel logged a problem during this case:"
		for ((i = DMESG_MARK; i < ${#k[@]}; i++)); do
			echo "#   ${k[i]}"
		done
	fi
	DMESG_MARK=${#k[@]}
}

# --- requirements ---------------------------------------------------------

require_root() {
	[ "$(id -u)" = 0 ] || { echo "needs root"; return 1; }
}

# require_cmd CMD...: prints what is missing and fails.
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { echo "missing command $c"; return 1; }
	done
}

require_tools() {
	[ -x "$SEND" ] || { echo "$SEND not built (make -C selftests/tools)"; return 1; }
	[ -x "$ENCAP_SOCK" ] || { echo "$ENCAP_SOCK not built (make -C selftests/tools)"; return 1; }
	[ -x "$GENL" ] || { echo "$GENL not built (make -C selftests/tools)"; return 1; }
	[ -x "$SPIRECCTL" ] || { echo "$SPIRECCTL not built (make -C userspace)"; return 1; }
}

# Loads kmod/spirec.ko unless a spirec module is loaded already.
module_load() {
	[ -d /sys/module/spirec ] && return 0
	[ -f "$KMOD" ] || { echo "$KMOD not built (make module)"; return 1; }
	insmod "$KMOD" || { echo "insmod $KMOD failed"; return 2; }
	[ -d /sys/module/spirec ] || { echo "insmod $KMOD: no /sys/module/spirec"; return 2; }
}

# Standard requirements; exit status 1 means "skip", 2 means "fail".
require_spirec() {
	require_root || return 1
	require_cmd ip ping timeout || return 1
	require_tools || return 1
	module_load
}

# --- namespaces and processes ---------------------------------------------

# ns_add VAR PREFIX: creates netns PREFIX-<pid> (lo up), stores its name
# in VAR, removes it at exit.
ns_add() {
	local name=$2-$NS_SUFFIX
	ip netns add "$name" || return 1
	NS_LIST+=("$name")
	ip -n "$name" link set lo up
	printf -v "$1" '%s' "$name"
}

ns_del() {
	local ns=$1 i
	ip netns del "$ns" 2>/dev/null
	for i in "${!NS_LIST[@]}"; do
		[ "${NS_LIST[$i]}" = "$ns" ] && unset 'NS_LIST[i]'
	done
	return 0
}

# in_ns NS CMD...
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# bg_add PID: killed at exit. Start background processes directly (not
# through a shell function, which would fork a subshell) so that PID is
# the process itself.
bg_add() { BG_PIDS+=("$1"); }

# bg_stop PID: kills one background process (and forgets it).
bg_stop() {
	local pid=$1 i
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for i in "${!BG_PIDS[@]}"; do
		[ "${BG_PIDS[$i]}" = "$pid" ] && unset 'BG_PIDS[i]'
	done
	return 0
}

# encap_sock NS 4|6 [PORT]: UDP socket (port 4500 or PORT) with
# UDP_ENCAP_ESPINUDP in NS.
encap_sock() {
	local ready=$TMP/encap-$1-$2-${3:-4500}.ready
	rm -f "$ready"
	# Per-socket policies need an xfrm key manager (xfrm_user) loaded.
	modprobe -q xfrm_user 2>/dev/null
	# Not through a shell function: $! must be the process itself.
	ip netns exec "$1" "$ENCAP_SOCK" "-$2" ${3:+-p "$3"} -r "$ready" &
	bg_add $!
	slowwait 20 test -e "$ready" ||
		{ echo "udp-encap-sock -$2 ${3:+-p $3 }in $1 did not start"; return 1; }
}

# veth_pair NS_A IF_A NS_B IF_B
veth_pair() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# ifindex NS IF
ifindex() { in_ns "$1" cat "/sys/class/net/$2/ifindex"; }

# --- spirec ----------------------------------------------------------------

# sc_set NS KEY VALUE: net.spirec.KEY in NS.
sc_set() {
	in_ns "$1" sh -c "echo $3 > $SYSCTL_DIR/$2"
}

sc_get() {
	in_ns "$1" cat "$SYSCTL_DIR/$2"
}

# ctl NS ARGS...: spirecctl in NS.
ctl() {
	local ns=$1
	shift
	in_ns "$ns" "$SPIRECCTL" "$@"
}

# JSON of spirecctl -j: flat objects (or arrays of them) whose values are
# strings without escapes, numbers or booleans. Parsed in bash, no process.

# json_parse ARRAY JSON: ARRAY (an associative array declared by the
# caller) gets every "key": value of JSON (strings without quotes).
json_parse() {
	local -n _jp_out=$1
	local rest=$2 re='"([A-Za-z0-9_]+)"[[:space:]]*:[[:space:]]*("[^"]*"|[^,}[:space:]]+)'
	local v
	_jp_out=()
	while [[ $rest =~ $re ]]; do
		v=${BASH_REMATCH[2]}
		v=${v#\"}
		_jp_out[${BASH_REMATCH[1]}]=${v%\"}
		rest=${rest#*"${BASH_REMATCH[0]}"}
	done
}

# json_get KEY JSON: REPLY = the value of KEY (empty if absent).
json_get() {
	local -A _jg
	json_parse _jg "$2"
	REPLY=${_jg[$1]:-}
}

# Snapshots of `spirecctl -j stats`: STATS[NAME.key].
declare -gA STATS=()

# stats_snap NS NAME: saves `spirecctl -j stats` of NS as NAME.
stats_snap() {
	local out k
	local -A j
	if ! out=$(ctl "$1" -j stats 2>&1); then
		check_fail "spirecctl -j stats in $1 failed: $out"
		return 1
	fi
	json_parse j "$out"
	for k in "${!j[@]}"; do
		STATS[$2.$k]=${j[$k]}
	done
	STATS[$2]=$out
}

# stat_of NAME KEY: REPLY = a value from a snapshot.
stat_of() { REPLY=${STATS[$1.$2]:-}; }

# stat_delta OLD NEW KEY: REPLY = NEW - OLD, "?" if either is missing.
stat_delta() {
	local a=${STATS[$1.$3]:-} b=${STATS[$2.$3]:-}
	if ! [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
		REPLY="?"
		return
	fi
	REPLY=$((b - a))
}

STAT_COUNTERS="inspected unknown_esp unknown_ah unknown_espinudp malformed events limited_peer limited_global table_full no_listener not_known alloc_fail not_blackhole other_mark"

# check_deltas OLD NEW KEY=VALUE...: the named counters moved by exactly
# VALUE; every other counter did not move (unless listed as KEY=*).
check_deltas() {
	local old=$1 new=$2 k kv want
	shift 2
	for k in $STAT_COUNTERS; do
		want=0
		for kv in "$@"; do
			[ "${kv%%=*}" = "$k" ] && want=${kv#*=}
		done
		[ "$want" = "*" ] && continue
		stat_delta "$old" "$new" "$k"
		check_eq "counter $k moved by" "$want" "$REPLY"
	done
}

# show_stats NAME: the snapshot as diagnostics.
show_stats() { echo "#   ${STATS[$1]:-}"; }

# has_listener NS: the events group of NS has a listener
# (SPIREC_A_LISTENERS).
has_listener() {
	json_get listeners "$(ctl "$1" -j stats 2>/dev/null)"
	[ "$REPLY" = 1 ] || [ "$REPLY" = true ]
}

# wait_listener NS: until the events group of NS has a listener, at most
# 20 s.
wait_listener() {
	slowwait 20 has_listener "$1" && return 0
	echo "# no listener on the events group of $1 after 20 s"
	return 1
}

# monitor_start NS FILE ARGS...: `spirecctl -j monitor ARGS` in the
# background, JSON lines into FILE; waits until it listens. Sets MON_PID.
monitor_start() {
	local ns=$1 file=$2
	shift 2
	: >"$file"
	ip netns exec "$ns" "$SPIRECCTL" -j monitor "$@" >"$file" 2>"$file.err" &
	MON_PID=$!
	bg_add "$MON_PID"
	wait_listener "$ns"
}

# monitor_wait: waits for the monitor started last; its exit status.
monitor_wait() {
	local rc=0
	wait "$MON_PID" || rc=$?
	bg_stop "$MON_PID"
	return $rc
}

# check_event FILE LINE KEY=VALUE...: line LINE (1-based) of FILE is an
# event with these values; keys not listed are not checked, KEY=- means
# the key must be absent.
check_event() {
	local file=$1 n=$2 kv k want
	local -a lines
	local -A ev
	shift 2
	mapfile -t lines <"$file"
	if [ ${#lines[@]} -lt "$n" ]; then
		check_fail "expected event #$n, the monitor printed ${#lines[@]} line(s)"
		[ ! -s "$file.err" ] || diag <"$file.err"
		return 1
	fi
	log "event: ${lines[n - 1]}"
	json_parse ev "${lines[n - 1]}"
	for kv in "$@"; do
		k=${kv%%=*}
		want=${kv#*=}
		if [ "$want" = - ]; then
			[ -z "${ev[$k]+set}" ] || check_fail "event has key '$k', expected none"
			continue
		fi
		check_eq "event $k" "$want" "${ev[$k]:-}"
	done
}

# peers_get NS: PEERS = the objects of `spirecctl -j peers`, one per
# element (each "{...}").
peers_get() {
	local out rest
	PEERS=()
	out=$(ctl "$1" -j peers 2>&1) || { echo "# spirecctl -j peers: $out"; return 1; }
	rest=$out
	while [[ $rest =~ \{[^{}]*\} ]]; do
		PEERS+=("${BASH_REMATCH[0]}")
		rest=${rest#*"${BASH_REMATCH[0]}"}
	done
}

# peer_entry NS ADDR: the associative array PEER = the peer table entry of
# ADDR; fails if there is none.
declare -gA PEER=()
peer_entry() {
	local e
	PEER=()
	peers_get "$1" || return 1
	for e in "${PEERS[@]}"; do
		if [[ $e =~ \"address\"[[:space:]]*:[[:space:]]*\"$2\" ]]; then
			json_parse PEER "$e"
			log "peer: $e"
			return 0
		fi
	done
	return 1
}

# check_peer NS ADDR KEY=VALUE...: the peer table has ADDR with these values.
check_peer() {
	local ns=$1 addr=$2 kv
	shift 2
	if ! peer_entry "$ns" "$addr"; then
		check_fail "no peer table entry for $addr"
		log "peers: ${PEERS[*]}"
		return 1
	fi
	for kv in "$@"; do
		check_eq "peer ${kv%%=*}" "${kv#*=}" "${PEER[${kv%%=*}]:-}"
	done
}

# send NS ARGS...: spirec-send in NS; its summary on stdout.
send() {
	local ns=$1
	shift
	in_ns "$ns" "$SEND" "$@"
}

# --- main -------------------------------------------------------------------

lib_cleanup() {
	local pid ns
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	BG_PIDS=()
	declare -F cleanup_extra >/dev/null && cleanup_extra
	for ns in "${NS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	NS_LIST=()
	[ -n "$TMP" ] && rm -rf "$TMP"
}

# ktap_main "$@": runs setup and every case of ALL_TESTS, prints KTAP.
# Exit status: 0 all passed, 1 any failed, 4 all skipped.
ktap_main() {
	local t n=0 failed=0 skipped=0 total rc reason
	local -a tests
	read -r -d "" -a tests <<<"$ALL_TESTS" || true
	total=${#tests[@]}

	if [ "${1:-}" = --list ]; then
		printf '%s\n' "${tests[@]}"
		exit 0
	fi

	echo "TAP version 13"
	echo "1..$total"
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/spirec-selftest.XXXXXX")
	trap lib_cleanup EXIT
	trap 'exit 130' INT TERM

	reason=$(require_spirec 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && declare -F setup >/dev/null; then
		dmesg_mark
		# In this shell (not a subshell): setup starts processes and
		# sets variables the cases use.
		if ! setup >"$TMP/setup.log" 2>&1; then
			rc=2
			reason="setup failed"
		fi
		diag <"$TMP/setup.log"
	fi
	if [ $rc -ne 0 ]; then
		echo "$reason" | diag
		for t in "${tests[@]}"; do
			n=$((n + 1))
			if [ $rc -eq 1 ]; then
				echo "ok $n - $t # SKIP ${reason//$'\n'/; }"
			else
				echo "not ok $n - $t # $reason"
			fi
		done
		[ $rc -eq 1 ] && exit $KSFT_SKIP
		exit $KSFT_FAIL
	fi

	for t in "${tests[@]}"; do
		n=$((n + 1))
		CASE_RC=0
		CASE_NAME=$t
		SKIP_REASON=
		dmesg_mark
		log "--- $t ($(printf '%(%T)T' -1))"
		"$t"
		[ "$CASE_RC" = "$KSFT_SKIP" ] || dmesg_check
		case $CASE_RC in
		0) echo "ok $n - $t" ;;
		"$KSFT_SKIP")
			skipped=$((skipped + 1))
			echo "ok $n - $t # SKIP $SKIP_REASON"
			;;
		*)
			failed=$((failed + 1))
			echo "not ok $n - $t"
			;;
		esac
	done
	[ $failed -gt 0 ] && exit $KSFT_FAIL
	[ $skipped -eq "$total" ] && exit $KSFT_SKIP
	exit $KSFT_PASS
}

# --- the common two-namespace topology ------------------------------------

# topo_ab: netns NS_A (the IPsec peer, sends) and NS_B (the host running
# spirec), veth va (A) <-> vb (B); va 192.0.2.1/24 2001:db8::1/64, vb
# 192.0.2.2/24 2001:db8::2/64. B routes the spoofed-source prefixes
# 198.51.100.0/24 and 2001:db8:1::/64 back to A and has rp_filter off.
# Sets NS_A, NS_B, B_IFINDEX.
topo_ab() {
	ns_add NS_A spirec-a && ns_add NS_B spirec-b || return 1
	veth_pair "$NS_A" va "$NS_B" vb || return 1
	# One `ip` per namespace: every process costs under TCG.
	ip -n "$NS_A" -batch - <<-EOF || return 1
		addr add 192.0.2.1/24 dev va
		addr add 2001:db8::1/64 dev va nodad
	EOF
	ip -n "$NS_B" -batch - <<-EOF || return 1
		addr add 192.0.2.2/24 dev vb
		addr add 2001:db8::2/64 dev vb nodad
		route add 198.51.100.0/24 via 192.0.2.1
		route add 2001:db8:1::/64 via 2001:db8::1
	EOF
	in_ns "$NS_B" sh -c 'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done; cat /sys/class/net/vb/ifindex' >"$TMP/ifindex.vb" || return 1
	read -r B_IFINDEX <"$TMP/ifindex.vb"
}
