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

# shellcheck disable=SC2034  # variables used by the sourcing scripts
KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

NET_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$NET_DIR/../.." && pwd)
SPIRECCTL=${SPIRECCTL:-$TOP/userspace/build/spirecctl}
SEND=${SPIREC_SEND:-$TOP/selftests/tools/build/spirec-send}
ENCAP_SOCK=${SPIREC_ENCAP_SOCK:-$TOP/selftests/tools/build/udp-encap-sock}
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

log() { echo "# $*"; }

# Indent a command's output as KTAP diagnostics.
diag() { sed 's/^/#   /'; }

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
check_ok() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		check_fail "$what: '$*' exited $rc"
		[ -z "$out" ] || echo "$out" | diag
		return 1
	fi
	return 0
}

# check_refused WHAT CMD...: CMD must fail (permission tests).
check_refused() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		check_fail "$what: '$*' succeeded, expected it to be refused"
		[ -z "$out" ] || echo "$out" | diag
		return 1
	fi
	log "$what: refused as expected (exit $rc): $(echo "$out" | head -n 1)"
	return 0
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

dmesg_mark() { DMESG_MARK=$(dmesg 2>/dev/null | wc -l); }

# Fails the current case when the kernel logged a problem since the mark.
dmesg_check() {
	local bad
	bad=$(dmesg 2>/dev/null | tail -n +$((DMESG_MARK + 1)) | grep -E -- "$KLOG_BAD")
	if [ -n "$bad" ]; then
		check_fail "the kernel logged a problem during this case:"
		dmesg | tail -n +$((DMESG_MARK + 1)) | tail -n 60 | diag
	fi
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

# wait_file FILE TIMEOUT_S: waits until FILE exists.
wait_file() {
	local i n=$(($2 * 10))
	for ((i = 0; i < n; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# encap_sock NS 4|6: UDP 4500 socket with UDP_ENCAP_ESPINUDP in NS.
encap_sock() {
	local ready=$TMP/encap-$1-$2.ready
	rm -f "$ready"
	# Not through a shell function: $! must be the process itself.
	ip netns exec "$1" "$ENCAP_SOCK" "-$2" -r "$ready" &
	bg_add $!
	wait_file "$ready" 20 || { echo "udp-encap-sock -$2 in $1 did not start"; return 1; }
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

# json_get KEY: the value of "KEY" in the JSON on stdin (first match;
# strings without their quotes). Good enough for spirecctl's flat objects.
json_get() {
	tr ',{}' '\n\n\n' | sed -n "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" | head -n 1
}

# stats_snap NS NAME: saves `spirecctl -j stats` of NS as NAME.
stats_snap() {
	if ! ctl "$1" -j stats >"$TMP/stats.$2" 2>"$TMP/stats.$2.err"; then
		check_fail "spirecctl -j stats in $1 failed: $(cat "$TMP/stats.$2.err")"
		return 1
	fi
}

# stat_of NAME KEY: a value from a snapshot.
stat_of() { json_get "$2" <"$TMP/stats.$1"; }

# stat_delta OLD NEW KEY
stat_delta() {
	local a b
	a=$(stat_of "$1" "$3")
	b=$(stat_of "$2" "$3")
	if ! [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
		echo "?"
		return
	fi
	echo $((b - a))
}

STAT_COUNTERS="inspected unknown_esp unknown_ah unknown_espinudp malformed events limited_peer limited_global table_full no_listener not_known alloc_fail"

# check_deltas OLD NEW KEY=VALUE...: the named counters moved by exactly
# VALUE; every other counter did not move (unless listed as KEY=*).
check_deltas() {
	local old=$1 new=$2 k kv want d
	shift 2
	for k in $STAT_COUNTERS; do
		want=0
		for kv in "$@"; do
			[ "${kv%%=*}" = "$k" ] && want=${kv#*=}
		done
		[ "$want" = "*" ] && continue
		d=$(stat_delta "$old" "$new" "$k")
		check_eq "counter $k moved by" "$want" "$d"
	done
}

# show_stats NAME: the snapshot as diagnostics.
show_stats() { diag <"$TMP/stats.$1"; }

# wait_listener NS [N]: until the events group of NS has a listener
# (SPIREC_A_LISTENERS), at most 10 s.
wait_listener() {
	local i l
	for ((i = 0; i < 100; i++)); do
		l=$(ctl "$1" -j stats 2>/dev/null | json_get listeners)
		case "$l" in
		1 | true) return 0 ;;
		esac
		sleep 0.1
	done
	echo "# no listener on the events group of $1 after 10 s"
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
	local file=$1 n=$2 ev kv k want got
	shift 2
	ev=$(sed -n "${n}p" "$file")
	if [ -z "$ev" ]; then
		check_fail "expected event #$n, the monitor printed $(wc -l <"$file") line(s)"
		[ ! -s "$file.err" ] || diag <"$file.err"
		return 1
	fi
	log "event: $ev"
	for kv in "$@"; do
		k=${kv%%=*}
		want=${kv#*=}
		if [ "$want" = - ]; then
			if echo "$ev" | grep -q "\"$k\""; then
				check_fail "event has key '$k', expected none"
			fi
			continue
		fi
		got=$(echo "$ev" | json_get "$k")
		check_eq "event $k" "$want" "$got"
	done
}

# peer_entry NS ADDR: the peer table entry of ADDR (one JSON object, one
# line) from `spirecctl -j peers`, empty if absent.
peer_entry() {
	ctl "$1" -j peers 2>/dev/null | tr -d '\n' | sed 's/}/}\n/g' |
		grep -E "\"(addr|address|peer)\"[[:space:]]*:[[:space:]]*\"$2\"" | head -n 1
}

# peer_count_dump NS: number of entries `spirecctl -j peers` lists.
peer_count_dump() {
	ctl "$1" -j peers 2>/dev/null | tr -d '\n' | sed 's/}/}\n/g' |
		grep -c -E '"(addr|address|peer)"[[:space:]]*:'
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
		log "--- $t"
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
	ip -n "$NS_A" addr add 192.0.2.1/24 dev va &&
	ip -n "$NS_A" addr add 2001:db8::1/64 dev va nodad &&
	ip -n "$NS_B" addr add 192.0.2.2/24 dev vb &&
	ip -n "$NS_B" addr add 2001:db8::2/64 dev vb nodad || return 1
	ip -n "$NS_B" route add 198.51.100.0/24 via 192.0.2.1 &&
	ip -n "$NS_B" route add 2001:db8:1::/64 via 2001:db8::1 || return 1
	in_ns "$NS_B" sh -c 'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done'
	B_IFINDEX=$(ifindex "$NS_B" vb)
}
