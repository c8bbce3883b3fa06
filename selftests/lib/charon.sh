# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# charon.sh: strongSwan's charon in network namespaces of the test, for the
# host interop tests (userspace/ike/tests/interop-charon.sh,
# interop-charon-v1.sh, userspace/spirecd/tests/recover-charon.sh,
# guard-charon.sh). Sourcing it defines functions and the (empty) state
# below only; it sources wait.sh and charon-conf.sh.
#
# CHARON: the daemon (default /usr/lib/ipsec/charon). charon_tmp makes
# the test's temporary directory tmp and has charon_cleanup run at exit:
# it ends the processes of pids, deletes the namespaces of nss and
# removes tmp (KEEP=1 keeps it). Each charon has a directory of its own, with its
# strongswan.conf, swanctl.conf, vici socket (charon.vici), log
# (charon.log) and a private /run.
#
# TAP: ok, not_ok count in testno and failed; tap_end prints the plan and
# fails if a test did.
# shellcheck disable=SC2154

. "$(dirname "${BASH_SOURCE[0]}")/wait.sh"
. "$(dirname "${BASH_SOURCE[0]}")/charon-conf.sh"

CHARON=${CHARON:-/usr/lib/ipsec/charon}
nss=()
pids=()
testno=0
failed=0

skip_all() { echo "1..0 # SKIP $*"; exit 0; }
ok() { testno=$((testno + 1)); echo "ok $testno - $*"; }
not_ok() { testno=$((testno + 1)); failed=$((failed + 1)); echo "not ok $testno - $*"; }
tap_end() { echo "1..$testno"; [ "$failed" = 0 ]; }

# interop_opts ARGS...: the options of the interop tests: -v sets
# verbose=1 (run_tool shows the tool's output), -k KATDIR sets katdir
# (made absolute; the test keeps logs for the known-answer tests there).
verbose=0
katdir=
interop_opts() {
	local opt OPTIND=1
	while getopts vk: opt; do
		case $opt in
		v) verbose=1 ;;
		k) katdir=$(mkdir -p "$OPTARG" && cd "$OPTARG" && pwd) ;;
		*) echo "usage: $0 [-v] [-k KATDIR]" >&2; exit 2 ;;
		esac
	done
}

# charon_require CMD...: skips the whole test unless it runs as root, with
# charon and swanctl, and each CMD (the tool under test) is executable.
charon_require() {
	local c
	[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
	[ -x "$CHARON" ] || skip_all "no charon at $CHARON (strongswan-charon)"
	command -v swanctl > /dev/null || skip_all "no swanctl (strongswan-swanctl)"
	for c in "$@"; do
		[ -x "$c" ] || skip_all "no $c (make -C userspace)"
	done
}

# charon_tmp PREFIX: the test's temporary directory in tmp, and
# charon_cleanup as the EXIT trap.
charon_tmp() {
	tmp=$(mktemp -d "/tmp/$1.XXXXXX")
	trap charon_cleanup EXIT
}

charon_cleanup() {
	local p n
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do stop_pid "$p"; done
	for n in "${nss[@]}"; do ip netns del "$n" 2>/dev/null; done
	[ "${KEEP:-0}" = 1 ] && echo "# kept $tmp" || rm -rf "$tmp"
}

# new_ns NAME [ADDR...]: a namespace with loopback up and each ADDR (IPv4
# or IPv6, without a prefix length: a host address) on it.
new_ns() {
	local ns=$1 a
	shift
	ip netns add "$ns" || return 1
	nss+=("$ns")
	ip -n "$ns" link set lo up
	for a in "$@"; do
		case $a in
		*:*) ip -n "$ns" addr add "$a/128" dev lo nodad ;;
		*) ip -n "$ns" addr add "$a/32" dev lo ;;
		esac
	done
}

# charon_start DIR NS: the charon of DIR/strongswan.conf inside NS, with
# DIR/run as its /run (charon 5.9 writes /var/run/charon.pid there); its
# pid in DIR/pid and in pids. True once its vici socket is there.
charon_start() {
	local dir=$1 ns=$2
	rm -f "$dir/charon.vici" "$dir/run/charon.pid"	# from a killed one
	ip netns exec "$ns" sh -c "mount --bind '$dir/run' /run &&
		STRONGSWAN_CONF='$dir/strongswan.conf' exec '$CHARON'" \
		> "$dir/charon.out" 2>&1 &
	pids+=($!)
	echo $! > "$dir/pid"
	busywait 10000 test -S "$dir/charon.vici" && return 0
	echo "charon in $ns did not start" >&2
	cat "$dir/charon.out" >&2
	return 1
}

# charon_crash DIR: the charon of DIR dies without a word (SIGKILL), as in
# a reboot of its router.
charon_crash() {
	kill -9 "$(cat "$1/pid")"
	wait "$(cat "$1/pid")" 2>/dev/null
}

# responder_conf DIR VERSION PROPOSALS STRICT_LID [STRICT_RID]: the
# responder's DIR/swanctl.conf of the interop tests, IKE version VERSION,
# PSK $PSK: connection rw on 192.0.2.1 and 2001:db8::1 (identity
# responder.example.org, PROPOSALS, a CHILD SA 192.0.2.1 === 192.0.2.2)
# for any initiator; connection strict on 192.0.2.3 with
# aes256-sha512-ecp521 only, identity STRICT_LID, for the initiator
# STRICT_RID (any if not given).
responder_conf() {
	cat > "$1/swanctl.conf" <<EOC
connections {
	rw {
		version = $2
		local_addrs = 192.0.2.1, 2001:db8::1
		remote_addrs = %any
		proposals = $3
		local { auth = psk
			id = responder.example.org }
		remote { auth = psk }
		children { net { local_ts = 192.0.2.1/32
				 remote_ts = 192.0.2.2/32 } }
	}
	strict {
		version = $2
		local_addrs = 192.0.2.3
		remote_addrs = %any
		proposals = aes256-sha512-ecp521
		local { auth = psk
			id = $4 }
		remote { auth = psk
			 ${5:+id = $5} }
	}
}
secrets { ike-rw { secret = "$PSK" } }
EOC
}

# vici DIR COMMAND ARGS...: swanctl COMMAND on the charon of DIR; its
# errors in DIR/swanctl.err.
vici() {
	local dir=$1 cmd=$2
	shift 2
	swanctl "$cmd" --uri "unix://$dir/charon.vici" "$@" \
		2>>"$dir/swanctl.err"
}

# charon_up DIR NS: charon_start, then DIR/swanctl.conf loaded; a
# "Bail out!" and the exit of the test if either fails.
charon_up() {
	if ! charon_start "$1" "$2" 2> "$1/start.err"; then
		echo "Bail out! charon in $2"
		diag < "$1/start.err"
		exit 1
	fi
	vici "$1" --load-all --file "$1/swanctl.conf" > /dev/null ||
		{ echo "Bail out! swanctl --load-all in $2"; diag < "$1/swanctl.err"; exit 1; }
}

# run_tool NAME WANT_RC CMD...: CMD's output in tmp/NAME.out and .err, its
# key=value lines in the array F (both shown if verbose=1); true if it
# exited with WANT_RC.
declare -A F
run_tool() {
	local name=$1 want=$2 rc k v
	shift 2
	"$@" > "$tmp/$name.out" 2>"$tmp/$name.err"; rc=$?
	F=()
	while IFS='=' read -r k v; do F[$k]=$v; done < "$tmp/$name.out"
	if [ "${verbose:-0}" = 1 ]; then
		diag < "$tmp/$name.err"
		diag < "$tmp/$name.out"
	fi
	[ "$rc" = "$want" ]
}
