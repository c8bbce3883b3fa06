#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Interop test of spirec's IKEv1 initiator (build/ike-recover -1) against
# libreswan's pluto with an IKEv1 connection, on the host, in network
# namespaces on documentation addresses. Output is TAP.
#
#   Router A (pluto, 192.0.2.1)  ═══ IKEv1 + ESP ═══  Router B (charon, 192.0.2.2)
#
# charon on Router B sets up Main Mode + Quick Mode with pluto, then Router
# B loses its state (charon killed, xfrm flushed). ike-recover -1 from
# Router B with the stale SPI (pluto's outbound ESP SPI) must make pluto
# delete that SA: libreswan ignores INITIAL-CONTACT and INVALID-SPI but
# honours an encrypted Informational Delete across ISAKMP SAs of a peer.
#
# Debian's libreswan conflicts with the strongSwan packages, so it is not
# installed: SPIREC_LIBRESWAN_ROOT (default /var/cache/spirec/libreswan/root,
# path the test VM sees too) holds the
# unpacked .deb (apt-get download libreswan; dpkg -x), its libraries come
# from apt (libldns3, libevent-pthreads-2.1-7, libnss3-tools). pluto runs
# in a private mount namespace with that tree's /usr/libexec bound over
# the system's (it executes the compiled-in /usr/libexec/ipsec/addconn).
#
# The kernel must have ESP (pluto installs the SAs): run it in the test VM,
#   selftests/vm/vm.sh userspace/ike/tests/interop-libreswan-v1.sh
#
# Environment: LIBRESWAN_ROOT, IKE_RECOVER, CHARON; KEEP=1 keeps the
# temporary directory; -v shows the logs.
set -u

here=$(cd "$(dirname "$0")" && pwd)
TOOL=${IKE_RECOVER:-$here/../../build/ike-recover}
CHARON=${CHARON:-/usr/lib/ipsec/charon}
top=$(cd "$here/../../.." && pwd)
# shellcheck source=../../../selftests/lib/wait.sh
. "$top/selftests/lib/wait.sh"
# pluto's directory (pluto_dir), its start (start_pluto), whack.
# shellcheck source=../../../selftests/e2e/lib-libreswan.sh
. "$top/selftests/e2e/lib-libreswan.sh"
LSW=$LIBRESWAN_ROOT
PSK=spirec-libreswan-v1-psk
verbose=0
[ "${1:-}" = -v ] && verbose=1

skip_all() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
[ -x "$LSW/usr/libexec/ipsec/pluto" ] ||
	skip_all "no pluto under $LSW (apt-get download libreswan; dpkg -x libreswan_*.deb $LSW)"
ldd "$LSW/usr/libexec/ipsec/pluto" | grep -q "not found" &&
	skip_all "pluto's libraries missing (libldns3 libevent-pthreads-2.1-7 libnss3)"
command -v certutil >/dev/null || skip_all "no certutil (libnss3-tools)"
[ -x "$CHARON" ] || skip_all "no charon at $CHARON"
[ -x "$TOOL" ] || skip_all "no $TOOL (make -C userspace)"

modprobe -q esp4 2>/dev/null; modprobe -q xfrm_user 2>/dev/null
tmp=$(mktemp -d /tmp/spirec-lsw-interop.XXXXXX)
NSA=spirec-lswa-$$ NSB=spirec-lswb-$$
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	[ "${KEEP:-0}" = 1 ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
testno=0 failed=0
ok() { testno=$((testno + 1)); echo "ok $testno - $*"; }
not_ok() { testno=$((testno + 1)); failed=$((failed + 1)); echo "not ok $testno - $*"; }
diag() { sed 's/^/# /'; }
bail() { echo "Bail out! $*"; tail -n 30 "$tmp/pluto/pluto.log" 2>/dev/null | diag; tail -n 20 "$tmp/charon.log" 2>/dev/null | diag; exit 1; }

ip netns add "$NSA" && ip netns add "$NSB" || skip_all "ip netns add failed"
ip link add veth-a netns "$NSA" type veth peer name veth-b netns "$NSB"
ip -n "$NSA" addr add 192.0.2.1/24 dev veth-a
ip -n "$NSB" addr add 192.0.2.2/24 dev veth-b
for n in "$NSA" "$NSB"; do ip -n "$n" link set lo up; done
ip -n "$NSA" link set veth-a up
ip -n "$NSB" link set veth-b up

# --- Router A: pluto --------------------------------------------------------
pluto_conf_v1 "$tmp/pluto" 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	aes128-sha2_256 add > /dev/null || bail "certutil -N"
start_pluto "$tmp/pluto" "$NSA" > "$tmp/pluto-start.out" ||
	{ diag < "$tmp/pluto-start.out"; bail "pluto did not start"; }
whack "$tmp/pluto" --listen > /dev/null 2>&1
whack "$tmp/pluto" --rereadsecrets > /dev/null 2>&1

# --- Router B: charon -------------------------------------------------------
mkdir -p "$tmp/charon/run"
cat > "$tmp/charon/strongswan.conf" <<EOC
charon {
	install_routes = no
	retransmit_timeout = 1
	retransmit_tries = 2
	load = random nonce aes sha1 sha2 hmac openssl pem pkcs1 x509 kdf vici socket-default kernel-netlink
	plugins { vici { socket = unix://$tmp/charon/charon.vici } }
	filelog { spirec { path = $tmp/charon.log
		time_format = %T
		default = 1
		ike = 2 } }
	syslog { daemon { default = -1 } }
}
EOC
cat > "$tmp/charon/swanctl.conf" <<EOC
connections { gw {
	version = 1
	local_addrs = 192.0.2.2
	remote_addrs = 192.0.2.1
	proposals = aes128-sha256-modp2048
	local { auth = psk
		id = router-b.example.org }
	remote { auth = psk
		 id = router-a.example.org }
	children { net { local_ts = 10.2.0.0/24
			 remote_ts = 10.1.0.0/24
			 esp_proposals = aes128-sha256-modp2048 } }
} }
secrets { ike { secret = "$PSK" } }
EOC
ip netns exec "$NSB" sh -c "mount --bind '$tmp/charon/run' /run &&
	STRONGSWAN_CONF='$tmp/charon/strongswan.conf' exec '$CHARON'" > "$tmp/charon.out" 2>&1 &
cpid=$!
pids+=($cpid)
for _ in $(seq 100); do [ -S "$tmp/charon/charon.vici" ] && break; sleep 0.05; done
[ -S "$tmp/charon/charon.vici" ] || bail "charon did not start"
swanctl --load-all --file "$tmp/charon/swanctl.conf" --uri "unix://$tmp/charon/charon.vici" > /dev/null 2>&1 ||
	bail "swanctl --load-all"
if swanctl --initiate --child net --timeout 20 --uri "unix://$tmp/charon/charon.vici" > "$tmp/initiate.out" 2>&1; then
	ok "charon (IKEv1) and pluto set up Main Mode and Quick Mode"
else
	not_ok "IKEv1 tunnel between charon and pluto"; diag < "$tmp/initiate.out"; bail "no tunnel"
fi
stale=$(ip -n "$NSA" xfrm state list src 192.0.2.1 dst 192.0.2.2 proto esp |
	sed -n 's/.*spi \(0x[0-9a-f]*\).*/\1/p' | head -n1)
[ -n "$stale" ] || bail "pluto installed no outbound ESP SA"

# --- Router B loses its state -------------------------------------------------
kill -9 "$cpid"; wait "$cpid" 2>/dev/null
ip -n "$NSB" xfrm state flush
ip -n "$NSB" xfrm policy flush

# --- spirec's IKEv1 recovery ---------------------------------------------------
ip netns exec "$NSB" "$TOOL" -1 -v -v -l 192.0.2.2 -i router-b.example.org \
	-r router-a.example.org -k "$PSK" -o aes128-sha256-modp2048 192.0.2.1 "$stale" \
	> "$tmp/recover.out" 2> "$tmp/recover.err"
rc=$?
[ "$verbose" = 1 ] && { diag < "$tmp/recover.err"; diag < "$tmp/recover.out"; }
if [ "$rc" = 0 ] && grep -q '^delete_sent=1$' "$tmp/recover.out"; then
	ok "Main Mode with pluto, both Informationals sent (SPI $stale)"
else
	not_ok "Main Mode with pluto"; diag < "$tmp/recover.err"; diag < "$tmp/recover.out"
	tail -n 30 "$tmp/pluto/pluto.log" | diag
fi
gone=
for _ in $(seq 30); do
	ip -n "$NSA" xfrm state | grep -q "spi $stale " || { gone=1; break; }
	sleep 0.1
done
if [ -n "$gone" ]; then
	ok "pluto deleted its stale ESP SA $stale on our Delete"
else
	not_ok "pluto kept its stale ESP SA $stale"; ip -n "$NSA" xfrm state | diag
	tail -n 40 "$tmp/pluto/pluto.log" | diag
fi
[ "$verbose" = 1 ] && tail -n 60 "$tmp/pluto/pluto.log" | diag
echo "1..$testno"
[ "$failed" = 0 ]
