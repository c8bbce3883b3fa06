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
. "$here/../../../selftests/lib/charon.sh"
charon_require "$GUARD_TEST"

charon_tmp spirecd-guard
NS=spirecd-guard-$$
new_ns "$NS" 198.51.100.2 || skip_all "ip netns add failed"
# conf DIR PORT NATT-PORT N PEER [OPTIONS [START]]: the charon of router N
# (1: A, 198.51.100.1, router-a.example.org, subnet 10.1.0.0/24; 2: B) on
# IKE ports PORT and NATT-PORT, with connection gw to router PEER;
# OPTIONS: further lines of the connection; START: its CHILD SA's
# start_action (none).
conf() {
	local id=(- router-a router-b)
	charon_conf "$1" "$CHARON_LOG_LOW" "port = $2
	port_nat_t = $3
	retransmit_tries = 100
	retransmit_timeout = 0.5
	retransmit_base = 1"
	cat > "$1/swanctl.conf" <<EOC
connections { gw { version = 2
	mobike = no
	local_addrs = 198.51.100.$4
	remote_addrs = 198.51.100.$5
	${6:-}
	local { auth = psk
		id = ${id[$4]}.example.org }
	remote { auth = psk
		 id = ${id[$5]}.example.org }
	children { net { local_ts = 10.$4.0.0/24
			 remote_ts = 10.$5.0.0/24
			 start_action = ${7:-none} } } } }
secrets { ike-1 { secret = "a secret" } }
EOC
}
conf "$tmp" 500 4500 2 1 "remote_port = 1500" start
conf "$tmp/a" 1500 14500 1 2
charon_up "$tmp" "$NS"
# has_sa STATE: B's charon lists an IKE SA in STATE.
has_sa() { vici "$tmp" --list-sas | grep -q "$1"; }
check() { # DESCRIPTION EXPECTED
	local out=$tmp/test$((testno + 1)).out
	if SPIRECD_TEST_VICI="$tmp/charon.vici" SPIRECD_TEST_VICI_EXPECT="$2" \
		CMOCKA_MESSAGE_OUTPUT=TAP "$GUARD_TEST" > "$out" 2>&1 &&
		grep -q "^ok [0-9]* - test_real_charon" "$out"; then
		ok "$1"
	else
		not_ok "$1"
		grep -A3 "test_real_charon\|# charon" "$out" | diag
	fi
}
slowwait 10 has_sa CONNECTING || echo "# no CONNECTING IKE SA"
check "list-sas: IKE SA toward an unreachable peer, CONNECTING" \
	"CONNECTING 198.51.100.1 %any 0"

charon_up "$tmp/a" "$NS"
# A's address only now: B's retransmissions must not reach A's charon
# before it has its connection (it would answer NO_PROPOSAL_CHOSEN).
ip -n "$NS" addr add 198.51.100.1/32 dev lo
slowwait 10 has_sa ESTABLISHED || echo "# no ESTABLISHED IKE SA"
check "list-sas: the same IKE SA ESTABLISHED, remote-id authenticated" \
	"ESTABLISHED 198.51.100.1 router-a.example.org 0"
tap_end
