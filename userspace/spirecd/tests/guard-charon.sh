#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# spirecd's list-sas client (the guard's view of the IKE daemon) against
# real strongSwan charons in a network namespace of their own, both on lo
# (A's on ports 1500 and 14500: no veth needed). Router B's charon starts
# a connection to Router A: first while A is unreachable (list-sas
# streams one IKE SA in state CONNECTING, remote-id still %any), then with
# A's charon up (ESTABLISHED, remote-id router-a.example.org; on a kernel
# without the ESP type no CHILD SA gets installed). Prints TAP; each check
# is spirecd_guard_test's test_real_charon with the state it must find.
#   spirecd/tests/guard-charon.sh
# Environment: GUARD_TEST (default build/tests/spirecd_guard_test), CHARON.
set -u
here=$(cd "$(dirname "$0")" && pwd)
GUARD_TEST=${GUARD_TEST:-$here/../../build/tests/spirecd_guard_test}
CHARON=${CHARON:-/usr/lib/ipsec/charon}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip_all "needs root"
[ -x "$CHARON" ] || skip_all "no $CHARON"
command -v swanctl > /dev/null || skip_all "no swanctl"
[ -x "$GUARD_TEST" ] || skip_all "no $GUARD_TEST"

T=$(mktemp -d /tmp/spirecd-guard.XXXXXX)
NS=spirecd-guard-$$
CPID=
APID=
cleanup() {
	[ -n "$CPID" ] && kill "$CPID" 2>/dev/null && wait "$CPID" 2>/dev/null
	[ -n "$APID" ] && kill "$APID" 2>/dev/null && wait "$APID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	[ "${KEEP:-0}" = 1 ] && echo "# kept $T" || rm -rf "$T"
}
trap cleanup EXIT
ip netns add "$NS" || skip_all "ip netns add failed"
ip -n "$NS" link set lo up
ip -n "$NS" addr add 198.51.100.2/32 dev lo
mkdir -p "$T/run" "$T/a/run"
conf() { # DIR PORT NATT-PORT
	cat > "$1/strongswan.conf" <<EOC
charon {
	port = $2
	port_nat_t = $3
	install_routes = no
	retransmit_tries = 100
	retransmit_timeout = 0.5
	retransmit_base = 1
	load = random nonce aes sha1 sha2 hmac gcm openssl pem pkcs1 x509 kdf vici socket-default kernel-netlink
	plugins { vici { socket = unix://$1/charon.vici } }
	filelog { guard { path = $1/charon.log
			  default = 1
			  flush_line = yes } }
	syslog { daemon { default = -1 } }
}
EOC
}
conf "$T" 500 4500
conf "$T/a" 1500 14500
cat > "$T/swanctl.conf" <<EOC
connections { gw { version = 2
	mobike = no
	local_addrs = 198.51.100.2
	remote_addrs = 198.51.100.1
	remote_port = 1500
	local { auth = psk
		id = router-b.example.org }
	remote { auth = psk
		 id = router-a.example.org }
	children { net { local_ts = 10.2.0.0/24
			 remote_ts = 10.1.0.0/24
			 start_action = start } } } }
secrets { ike-1 { secret = "a secret" } }
EOC
cat > "$T/a/swanctl.conf" <<EOC
connections { gw { version = 2
	mobike = no
	local_addrs = 198.51.100.1
	remote_addrs = 198.51.100.2
	local { auth = psk
		id = router-a.example.org }
	remote { auth = psk
		 id = router-b.example.org }
	children { net { local_ts = 10.1.0.0/24
			 remote_ts = 10.2.0.0/24 } } } }
secrets { ike-1 { secret = "a secret" } }
EOC
ip netns exec "$NS" sh -c "mount --bind '$T/run' /run &&
	STRONGSWAN_CONF='$T/strongswan.conf' exec '$CHARON'" > "$T/charon.out" 2>&1 &
CPID=$!
for _ in $(seq 100); do [ -S "$T/charon.vici" ] && break; sleep 0.1; done
swanctl --load-all --file "$T/swanctl.conf" --uri "unix://$T/charon.vici" \
	> "$T/load.out" 2>&1 || { echo "Bail out! charon"; cat "$T/charon.out" "$T/load.out"; exit 1; }
wait_state() { # STATE
	for _ in $(seq 100); do
		swanctl --list-sas --uri "unix://$T/charon.vici" 2>/dev/null |
			grep -q "$1" && return 0
		sleep 0.1
	done
	return 1
}
n=0 rc=0
check() { # DESCRIPTION EXPECTED
	n=$((n + 1))
	if SPIRECD_TEST_VICI="$T/charon.vici" SPIRECD_TEST_VICI_EXPECT="$2" \
		CMOCKA_MESSAGE_OUTPUT=TAP "$GUARD_TEST" > "$T/test$n.out" 2>&1 &&
		grep -q "^ok [0-9]* - test_real_charon" "$T/test$n.out"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		grep -A3 "test_real_charon\|# charon" "$T/test$n.out" | sed 's/^/# /'
		rc=1
	fi
}
wait_state CONNECTING || echo "# no CONNECTING IKE SA"
check "list-sas: IKE SA toward an unreachable peer, CONNECTING" \
	"CONNECTING 198.51.100.1 %any 0"

ip netns exec "$NS" sh -c "mount --bind '$T/a/run' /run &&
	STRONGSWAN_CONF='$T/a/strongswan.conf' exec '$CHARON'" > "$T/a/charon.out" 2>&1 &
APID=$!
for _ in $(seq 100); do [ -S "$T/a/charon.vici" ] && break; sleep 0.1; done
swanctl --load-all --file "$T/a/swanctl.conf" --uri "unix://$T/a/charon.vici" \
	> "$T/a/load.out" 2>&1 || { echo "Bail out! charon A"; cat "$T/a/charon.out" "$T/a/load.out"; exit 1; }
# A's address only now: B's retransmissions must not reach A's charon
# before it has its connection (it would answer NO_PROPOSAL_CHOSEN).
ip -n "$NS" addr add 198.51.100.1/32 dev lo
wait_state ESTABLISHED || echo "# no ESTABLISHED IKE SA"
check "list-sas: the same IKE SA ESTABLISHED, remote-id authenticated" \
	"ESTABLISHED 198.51.100.1 router-a.example.org 0"
echo "1..$n"
exit $rc
