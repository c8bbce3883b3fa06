#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Interop test of spirec's IKEv1 initiator (build/ike-recover -1, i.e.
# ike_v1_recover()) against a real strongSwan charon with version = 1
# connections, in a network namespace created here on documentation
# addresses. Output is TAP.
#
#   ike/tests/interop-charon-v1.sh [-v] [-k KATDIR]
#     -v         show the initiator's log and charon log tails
#     -k KATDIR  run charon with ike/enc/net at level 4 and keep one log per
#                suite in KATDIR (input of kat-extract-v1.py)
#
# Environment: IKE_RECOVER, CHARON as for interop-charon.sh; KEEP=1.
set -u

here=$(cd "$(dirname "$0")" && pwd)
TOOL=${IKE_RECOVER:-$here/../../build/ike-recover}
PSK=spirec-interop-v1-psk
. "$here/../../../selftests/lib/charon.sh"
interop_opts "$@"
charon_require "$TOOL"

charon_tmp spirec-ike-v1-interop
NS=spirec-ikev1-$$
new_ns "$NS" 192.0.2.1 192.0.2.2 192.0.2.3 2001:db8::1 2001:db8::2 ||
	skip_all "ip netns add failed"

levels=$CHARON_LOG_LOW
[ -n "$katdir" ] && levels=$CHARON_LOG_KAT
charon_conf "$tmp" "$levels" "retransmit_timeout = 1
	retransmit_tries = 2"
PROPOSALS="aes128-sha1-modp2048 aes256-sha256-modp2048 3des-sha1-modp1024 aes256-sha384-ecp384 aes128-sha512-modp1536 aes256-sha256-ecp256 aes128-sha256-ecp521 aes256-sha1-modp3072 aes128-sha256-modp4096"
responder_conf "$tmp" 1 "$(echo $PROPOSALS | tr ' ' ',')" 192.0.2.3 \
	only.example.org
charon_up "$tmp" "$NS"

# run NAME WANT_RC ARGS... (ike-recover -1 inside the namespace)
run() {
	local name=$1 want=$2
	shift 2
	run_tool "$name" "$want" ip netns exec "$NS" "$TOOL" -1 -v -v "$@"
}
show() { diag < "$tmp/$1.err"; diag < "$tmp/$1.out"; tail -n 15 "$tmp/charon.log" | diag; }
charon_log() { grep -c -- "$1" "$tmp/charon.log"; }
# charon_logged TEXT...: each TEXT is in charon's log within 10 s (charon
# logs from its own threads, after it answered).
charon_logged() {
	local t end=$((SECONDS + 10))
	while :; do
		for t in "$@"; do
			[ "$(charon_log "$t")" -ge 1 ] || break
			[ "$t" != "${*: -1}" ] || return 0
		done
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

n=0
for p in $PROPOSALS; do
	n=$((n + 1))
	[ -n "$katdir" ] && : > "$tmp/charon.log"
	if run "p$n" 0 -l 192.0.2.2 -i client.example.org -r responder.example.org \
		-k "$PSK" -o "$p" 192.0.2.1 0x1234abcd &&
	   [ "${F[authenticated]}" = 1 ] && [ "${F[delete_sent]}" = 1 ]; then
		ok "Main Mode $p (${F[suite]}, ${F[elapsed_ms]} ms)"
	else
		not_ok "Main Mode $p"; show "p$n"
	fi
	# Let charon log both Informationals before the copy.
	[ -n "$katdir" ] && sleep 0.5 && cp "$tmp/charon.log" "$katdir/v1-$p.log" &&
		cp "$tmp/p$n.err" "$katdir/v1-$p.initiator"
done

if run v6 0 -l 2001:db8::2 -i 2001:db8::2 -k "$PSK" 2001:db8::1 0x1 &&
   [ "${F[authenticated]}" = 1 ]; then
	ok "IPv6, address identity, default proposals (${F[suite]})"
else not_ok "IPv6"; show v6; fi

if run uf 0 -l 192.0.2.2 -i user@example.org -k "$PSK" -A 192.0.2.1 0xc0ffee &&
   [ "${F[authenticated]}" = 1 ]; then
	ok "USER_FQDN identity, AH SPI"
else not_ok "USER_FQDN"; show uf; fi

if run kid 0 -l 192.0.2.2 -i keyid:#0a0b0c0d -k "$PSK" 192.0.2.1 0x2 &&
   [ "${F[authenticated]}" = 1 ]; then
	ok "KEY_ID identity"
else not_ok "KEY_ID"; show kid; fi

# Charon verified HASH(1) of the first Informational and acted on it.
# charon's worker threads may take our two Informationals (the stale
# SPI's Delete, then our ISAKMP SA's) out of order: when the second wins,
# the SA is gone before the first is read, and nothing is logged for it
# (strongSwan needs only INITIAL_CONTACT; pluto, one thread, keeps the
# order). So the Delete is looked for over the 9 Main Modes above, and the
# AH one below over up to 3 recoveries.
if charon_logged 'received DELETE for ESP CHILD_SA with SPI 1234abcd'; then
	ok "charon took our Delete of the stale ESP SPI (HASH(1) verified)"
else not_ok "charon did not log our Delete of the stale SPI"; tail -n 30 "$tmp/charon.log" | diag; fi
if [ "$(charon_log 'received DELETE for IKE_SA')" -ge 1 ] ||
   [ "$(charon_log 'deleting IKE_SA')" -ge 1 ]; then
	ok "charon deleted our ISAKMP SAs"
else not_ok "charon did not log deleting our ISAKMP SA"; tail -n 30 "$tmp/charon.log" | diag; fi
if swanctl --list-sas --uri "unix://$tmp/charon.vici" 2>/dev/null | grep -q ESTABLISHED; then
	not_ok "an ISAKMP SA is left on charon"; swanctl --list-sas --uri "unix://$tmp/charon.vici" | diag
else ok "no ISAKMP SA left on charon"; fi

if run natt 0 -e -l 192.0.2.2 -i client.example.org -k "$PSK" 192.0.2.1 0x7 &&
   [ "${F[natt]}" = 1 ] && [ "${F[delete_sent]}" = 1 ] &&
   charon_logged 'remote host is behind NAT' \
	'received DELETE for ESP CHILD_SA with SPI 00000007'; then
	ok "NAT-T (RFC 3947): a faked NAT-D makes charon see a NAT, messages 5 on go to port 4500"
else not_ok "NAT-T"; show natt; fi
if [ "${F[natt]:-}" = 1 ] && run nonat 0 -l 192.0.2.2 -i client.example.org -k "$PSK" 192.0.2.1 0x8 &&
   [ "${F[natt]}" = 0 ] && [ "${F[nat_detected]}" = 0 ]; then
	ok "no NAT: NAT-D matches, no float"
else not_ok "no NAT"; show nonat; fi

if run badpsk 1 -t 300 -n 2 -l 192.0.2.2 -i client.example.org -k wrong-psk 192.0.2.1 0x3 &&
   { [ "${F[status]}" = "authentication failed" ] || [ "${F[status]}" = timeout ]; }; then
	ok "wrong PSK fails (${F[status]}: ${F[error]})"
else not_ok "wrong PSK"; show badpsk; fi

if run noprop 1 -t 300 -n 2 -l 192.0.2.2 -i client.example.org -k "$PSK" -o aes128-sha1-modp2048 192.0.2.3 0x4 &&
   [ "${F[authenticated]}" = 0 ]; then
	ok "no proposal chosen fails (${F[status]}: ${F[error]})"
else not_ok "no proposal"; show noprop; fi

if run badid 1 -t 300 -n 2 -l 192.0.2.2 -i client.example.org -r other.example.org -k "$PSK" 192.0.2.1 0x5 &&
   [ "${F[status]}" = "authentication failed" ]; then
	ok "wrong remote identity fails (${F[error]})"
else not_ok "wrong remote identity"; show badid; fi

if run timeout 1 -t 200 -n 2 -l 192.0.2.2 -i client.example.org -k "$PSK" -p 501 192.0.2.1 0x6 &&
   [ "${F[status]}" = timeout ] && [ "${F[retransmits]}" = 1 ]; then
	ok "timeout with one retransmission"
else not_ok "timeout"; show timeout; fi

# spirecd --recover with action = ikev1 (no local_id: the address).
SPIRECD=${SPIRECD:-$here/../../build/spirecd}
if [ -x "$SPIRECD" ]; then
	cat > "$tmp/spirecd.conf" <<EOC
[peer charon]
address = 192.0.2.1
action = ikev1
psk = $PSK
ike = aes256-sha256-modp2048
EOC
	chmod 600 "$tmp/spirecd.conf"
	# recover_ah SPI: one recovery, completed, and charon took its Delete.
	recover_ah() {
		ip netns exec "$NS" "$SPIRECD" -c "$tmp/spirecd.conf" --recover 192.0.2.1 --spi "0x$1" --proto ah \
			> "$tmp/spirecd.out" 2>&1 || return 2
		grep -q '^action=ikev1$' "$tmp/spirecd.out" &&
			grep -q '^delete_sent=1$' "$tmp/spirecd.out" || return 2
		charon_logged "received DELETE for AH CHILD_SA with SPI $1"
	}
	for spi in abcdef01 abcdef02 abcdef03; do
		recover_ah $spi
		r=$?
		[ $r = 1 ] || break
		diag <<< "charon took our ISAKMP SA's Delete first (Delete of AH $spi not logged): again"
	done
	if [ $r = 0 ]; then
		ok "spirecd --recover --proto ah with action = ikev1 (charon took the Delete of AH $spi)"
	else not_ok "spirecd --recover (ikev1)"; diag < "$tmp/spirecd.out"; tail -n 30 "$tmp/charon.log" | diag; fi
fi

tap_end
