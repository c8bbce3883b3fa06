#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Interop test of spirec's IKEv2 initiator (build/ike-recover, i.e.
# ike_recover() and ike_send_hint()) against a real strongSwan charon.
# Everything runs in network namespaces created here, on documentation
# addresses; nothing leaves them. Output is TAP.
#
#   ike/tests/interop-charon.sh [-v] [-k KATDIR]
#     -v         show the initiator's log and charon log tails
#     -k KATDIR  also run charon with ike/enc/net at level 4 and keep one
#                log per suite in KATDIR (input of kat-extract.py)
#
# Environment: IKE_RECOVER (default build/ike-recover next to this
# tree), CHARON (default /usr/lib/ipsec/charon), KEEP=1 keeps the
# temporary directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
TOOL=${IKE_RECOVER:-$here/../../build/ike-recover}
PSK=spirec-interop-psk
. "$here/../../../selftests/lib/charon.sh"
interop_opts "$@"
charon_require "$TOOL"
for p in openssl gcm; do
	[ -e /usr/lib/ipsec/plugins/libstrongswan-$p.so ] ||
		skip_all "charon plugin $p missing (libstrongswan-standard-plugins)"
done

start=$EPOCHREALTIME
charon_tmp spirec-ike-interop
tag=$$

# Seconds since start, without forking (the machine may be busy).
since() {
	local us=$(( ${EPOCHREALTIME/./} - ${start/./} ))
	printf -v elapsed '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}

# link_ns NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair between two namespaces,
# up, with ADDR/PREFIX on each end.
link_ns() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" &&
	ip -n "$1" addr add "$3" dev "$2" && ip -n "$4" addr add "$6" dev "$5" &&
	ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up
}

# router_up DIR NS [LEVELS]: a charon in NS logging at LEVELS (default
# CHARON_LOG_LOW), with DIR/swanctl.conf loaded; bails out if it does not
# come up.
router_up() {
	charon_conf "$1" "${3:-$CHARON_LOG_LOW}" "retransmit_timeout = 1
	retransmit_tries = 2"
	charon_up "$1" "$2"
}

# --- Setup 1: one namespace, charon on 192.0.2.1 / 2001:db8::1 --------
NS1=spirec-ike1-$tag
new_ns "$NS1" 192.0.2.1 192.0.2.2 192.0.2.3 2001:db8::1 2001:db8::2 ||
	skip_all "ip netns add failed"
R1=$tmp/responder
mkdir -p "$R1"
PROPOSALS="aes256-sha256-modp2048 aes256gcm16-prfsha384-ecp384 aes128-sha256-x25519 aes128gcm16-prfsha256-ecp256 aes256-sha512-ecp521 aes256-sha384-modp3072 aes128-sha256-modp4096"
responder_conf "$R1" 2 "$(echo $PROPOSALS | tr ' ' ','), default" \
	strict.example.org
levels=$CHARON_LOG_LOW
[ -n "$katdir" ] && levels=$CHARON_LOG_KAT
router_up "$R1" "$NS1" "$levels"

in1() { ip netns exec "$NS1" "$@"; }
sas_empty() { # no IKE SA left on the responder
	! vici "$1" --list-sas --raw | grep -q "state="
}
# suite_has SUITE PROPOSAL: every keyword of PROPOSAL is in SUITE.
suite_has() {
	local k p=${2//x25519/curve25519}
	for k in ${p//-/ }; do
		case "-$1-" in *-"$k"-*) ;; *) return 1 ;; esac
	done
}
# failure NAME DIR LINES: run_tool NAME's errors and the last LINES of
# DIR's charon log, as diagnostics.
failure() {
	diag < "$tmp/$1.err"
	tail -n "$3" "$2/charon.log" | diag
}
why=
recovered() { # common assertions on F; the reason lands in $why
	why=
	[ "${F[status]}" = ok ] || why="status ${F[status]}: ${F[error]}"
	[ "${F[authenticated]}" = 1 ] || why="$why; not authenticated"
	[ "${F[invalid_spi_acked]}" = 1 ] || why="$why; INVALID_SPI not acknowledged"
	[ "${F[deleted]}" = 1 ] || why="$why; not deleted"
	[ -z "$why" ]
}

# 1. Default proposals, FQDN identities, IPv4.
if run_tool default 0 in1 "$TOOL" -vv -l 192.0.2.2 -i initiator.example.org \
	-r responder.example.org -k "$PSK" 192.0.2.1 0xc0ffee01 &&
	recovered &&
	grep -q "received packet: from 192.0.2.2" "$R1/charon.log" &&
	sas_empty "$R1"; then
	ok "recovery exchange with default proposals (${F[suite]}, ${F[elapsed_ms]} ms)"
else
	not_ok "recovery exchange with default proposals: $why"
	failure default "$R1" 30
fi

# 2. Every supported suite (the responder picks our only proposal).
for p in $PROPOSALS; do
	[ -n "$katdir" ] && : > "$R1/charon.log"
	if run_tool "p-$p" 0 in1 "$TOOL" -v -l 192.0.2.2 -i initiator.example.org \
		-k "$PSK" -o "$p" 192.0.2.1 0x0000abcd &&
		recovered &&
		suite_has "${F[suite]}" "$p"; then
		ok "suite $p"
	else
		not_ok "suite $p: $why"
		diag < "$tmp/p-$p.err"
	fi
	[ -n "$katdir" ] && cp "$R1/charon.log" "$katdir/charon-$p.log" &&
		cp "$tmp/p-$p.out" "$katdir/initiator-$p.out"
done

# 3. IPv6, email and key-id identities.
if run_tool v6mail 0 in1 "$TOOL" -v -l 2001:db8::2 -i user@example.org \
	-k "$PSK" 2001:db8::1 0x12345678 && recovered; then
	ok "IPv6 with an email identity"
else
	not_ok "IPv6 with an email identity: $why"
	diag < "$tmp/v6mail.err"
fi
if run_tool keyid 0 in1 "$TOOL" -v -l 192.0.2.2 -i "keyid:#0102a0ff" \
	-k "$PSK" 192.0.2.1 0x12345678 && recovered &&
	grep -q "0102a0ff\|01:02:a0:ff" "$R1/charon.log"; then
	ok "key-id identity"
else
	not_ok "key-id identity: $why"
	diag < "$tmp/keyid.err"
fi

# 4. Wrong PSK: the responder refuses, we say so.
if run_tool badpsk 1 in1 "$TOOL" -l 192.0.2.2 -i initiator.example.org \
	-k wrong-psk 192.0.2.1 0x1 &&
	[ "${F[status]}" = "authentication failed" ] &&
	[ "${F[peer_notify]}" = 24 ] && sas_empty "$R1"; then
	ok "wrong PSK reported as AUTHENTICATION_FAILED, no SA left on the peer"
else
	not_ok "wrong PSK: status '${F[status]}' notify '${F[peer_notify]}'"
fi

# 4b. No proposal in common: NO_PROPOSAL_CHOSEN (14), no SA left.
if run_tool noprop 1 in1 "$TOOL" -l 192.0.2.2 -i initiator.example.org \
	-k "$PSK" -o aes128-sha256-modp2048 192.0.2.3 0x1 &&
	[ "${F[status]}" != ok ] && [ "${F[peer_notify]}" = 14 ] &&
	sas_empty "$R1"; then
	ok "no proposal chosen reported (${F[status]}), no SA left on the peer"
else
	not_ok "no proposal chosen: status '${F[status]}' notify '${F[peer_notify]}'"
	diag < "$tmp/noprop.err"
fi

# 5. Our AUTH check of the responder: a remote ID it does not have.
if run_tool badidr 1 in1 "$TOOL" -l 192.0.2.2 -i initiator.example.org \
	-r other.example.org -k "$PSK" 192.0.2.1 0x1 &&
	[ "${F[status]}" != ok ]; then
	ok "unexpected responder identity refused (${F[status]})"
else
	not_ok "unexpected responder identity accepted"
fi

# recovered_with NAME DESCRIPTION FIELD VALUE PATTERN ARGS...: ike-recover
# ARGS in NS1 recovers, F[FIELD] is VALUE, PATTERN is in charon's log.
recovered_with() {
	local name=$1 desc=$2 field=$3 value=$4 pattern=$5
	shift 5
	if run_tool "$name" 0 in1 "$TOOL" "$@" && recovered &&
		[ "${F[$field]}" = "$value" ] &&
		grep -q "$pattern" "$R1/charon.log"; then
		ok "$desc"
	else
		not_ok "$desc: $why $field=${F[$field]}"
		diag < "$tmp/$name.err"
	fi
}

# 6. NAT-T: pretend to be behind a NAT; both sides float to 4500.
recovered_with natt "NAT-T float to port 4500 with the non-ESP marker" \
	natt 1 "to 192.0.2.1\[4500\]" \
	-v -e -l 192.0.2.2 -i initiator.example.org -k "$PSK" 192.0.2.1 0x2

# 7. Fixed source port.
recovered_with sport "configured source port" \
	local_port 50123 "from 192.0.2.2\[50123\]" \
	-l 192.0.2.2 -s 50123 -i initiator.example.org -k "$PSK" 192.0.2.1 0x3

# 8. No responder: bounded retransmissions, then a clear timeout.
if run_tool timeout 1 in1 "$TOOL" -l 192.0.2.2 -i initiator.example.org \
	-k "$PSK" -t 100 -n 3 -p 7 192.0.2.1 0x4 &&
	[ "${F[status]}" = timeout ] && [ "${F[retransmits]}" = 2 ]; then
	ok "no responder: 3 tries then timeout (${F[elapsed_ms]} ms)"
else
	not_ok "no responder: status '${F[status]}' retransmits '${F[retransmits]}'"
fi

# 9. The unauthenticated hint reaches charon as an unprotected
# INFORMATIONAL (which strongSwan ignores, as RFC 7296 allows).
hint_seen() {
	grep -q "received unencrypted informational: from 192.0.2.2\[$1\]" \
		"$R1/charon.log"
}
if run_tool hint 0 in1 "$TOOL" -H -l 192.0.2.2 -s 50124 192.0.2.1 0xdeadbeef; then
	for _ in $(seq 20); do hint_seen 50124 && break; sleep 0.05; done
	if hint_seen 50124; then
		ok "RFC 7296 1.5 hint delivered to charon"
	else
		not_ok "hint not seen by charon"
	fi
else
	not_ok "hint: $(cat "$tmp/hint.err")"
fi

# setup_ok SA GOOD BAD INITIATE_OUT DIR: ok GOOD if the routers have the
# SA their initiation (output INITIATE_OUT) was to establish, else not_ok
# BAD with that output and the tail of DIR's charon log.
setup_ok() {
	if [ -n "$1" ]; then
		ok "$2"
	else
		not_ok "$3"
		diag < "$4"; tail -n 20 "$5/charon.log" | diag
	fi
}

# --- Setup 2: INITIAL_CONTACT destroys a stale IKE SA ----------------
# Router A (charon) has an IKE SA with router B; B loses its state (its
# charon is killed); spirec on B recovers A with B's identity.
NSA=spirec-ikea-$tag NSB=spirec-ikeb-$tag
new_ns "$NSA" && new_ns "$NSB"
link_ns "$NSA" "ika$tag" 198.51.100.1/24 "$NSB" "ikb$tag" 198.51.100.2/24
RA=$tmp/router-a RB=$tmp/router-b
mkdir -p "$RA" "$RB"
# conf_router DIR NAME LOCAL REMOTE LID RID [START]: connection NAME of
# a router between LOCAL and REMOTE, identities LID and RID. Without
# START the initiator may bring up its IKE SA only (childless); with it,
# the CHILD SA has an ESP proposal and start_action START.
conf_router() {
	local ike="childless = allow" child=
	if [ -n "${7:-}" ]; then
		ike=
		child="esp_proposals = aes128-sha256
				 start_action = $7"
	fi
	cat > "$1/swanctl.conf" <<EOC
connections {
	$2 {
		version = 2
		local_addrs = $3
		remote_addrs = $4
		proposals = aes256-sha256-x25519
		$ike
		local { auth = psk
			id = $5 }
		remote { auth = psk
			 id = $6 }
		children { net { local_ts = $3/32
				 remote_ts = $4/32
				 $child } }
	}
}
secrets { ike-1 { id-a = router-a.example.org
		  id-b = router-b.example.org
		  secret = "$PSK" } }
EOC
}
conf_router "$RA" tob 198.51.100.1 198.51.100.2 router-a.example.org router-b.example.org
conf_router "$RB" toa 198.51.100.2 198.51.100.1 router-b.example.org router-a.example.org
router_up "$RA" "$NSA"
router_up "$RB" "$NSB"
# This host has no ESP in its kernel, so B brings up an IKE SA only.
vici "$RB" --initiate --ike toa --timeout 10 > "$tmp/initiate.out"
stale=$(vici "$RA" --list-sas --raw | grep -o 'responder-spi=[0-9a-f]*' | head -n1)
setup_ok "$stale" "router B established an IKE SA with router A ($stale)" \
	"router B could not establish an IKE SA with A" "$tmp/initiate.out" "$RA"
# B "reboots": its charon dies without a word.
charon_crash "$RB"
if run_tool stale 0 ip netns exec "$NSB" "$TOOL" -v -l 198.51.100.2 \
	-i router-b.example.org -r router-a.example.org -k "$PSK" \
	198.51.100.1 0xc001d00d && recovered &&
	grep -q "INITIAL_CONTACT" "$RA/charon.log" &&
	grep -qi "destroying duplicate IKE_SA" "$RA/charon.log" &&
	sas_empty "$RA"; then
	ok "INITIAL_CONTACT made A destroy the stale IKE SA (${F[elapsed_ms]} ms)"
else
	not_ok "stale IKE SA not destroyed: $why"
	failure stale "$RA" 30
	vici "$RA" --list-sas | diag
fi

# --- Setup 3: a stale CHILD SA, a trap policy and live traffic --------
# Needs ESP in the kernel (e.g. in the VM: selftests/vm/vm.sh). Router A
# keeps sending ESP on a CHILD SA router B lost; spirec on B recovers
# it. A's trap policy then asks for a new CHILD SA, possibly over our
# IKE SA (CREATE_CHILD_SA, left unanswered), and our Delete makes A
# re-establish with B's real charon: traffic flows again.
esp_available() {
	local ns=spirec-ikex-$tag rc
	ip netns add "$ns" 2>/dev/null || return 1
	ip -n "$ns" xfrm state add src 203.0.113.1 dst 203.0.113.2 proto esp \
		spi 0x100 mode tunnel enc 'cbc(aes)' \
		0x00112233445566778899aabbccddeeff \
		auth-trunc 'hmac(sha256)' \
		0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff \
		128 2>/dev/null
	rc=$?
	ip netns del "$ns"
	return $rc
}
if ! esp_available; then
	testno=$((testno + 1))
	echo "ok $testno - stale CHILD SA with a trap policy # SKIP no ESP in this kernel"
else
	NSC=spirec-ikec-$tag NSD=spirec-iked-$tag
	new_ns "$NSC" && new_ns "$NSD"
	link_ns "$NSC" "ikc$tag" 203.0.113.1/24 "$NSD" "ikd$tag" 203.0.113.2/24
	RC=$tmp/router-c RD=$tmp/router-d
	mkdir -p "$RC" "$RD"
	conf_router "$RC" tob 203.0.113.1 203.0.113.2 router-a.example.org \
		router-b.example.org trap
	conf_router "$RD" toa 203.0.113.2 203.0.113.1 router-b.example.org \
		router-a.example.org none
	router_up "$RC" "$NSC"
	router_up "$RD" "$NSD"
	vici "$RD" --initiate --child net --timeout 20 > "$tmp/initiate3.out"
	out_spi() { # A's outbound ESP SPI(s) towards B
		ip -n "$NSC" xfrm state | awk '/^src /{ s = $2; d = $4 }
			/proto esp spi/ { if (s == "203.0.113.1" &&
					      d == "203.0.113.2") print $4 }'
	}
	stale_spi=$(out_spi | head -n1)
	setup_ok "$stale_spi" \
		"routers A and B have a CHILD SA (A sends ESP with SPI $stale_spi)" \
		"no CHILD SA between A and B" "$tmp/initiate3.out" "$RC"
	# B loses every SA: its charon dies, its kernel state is flushed,
	# and it comes back empty, as after a reboot.
	charon_crash "$RD"
	ip -n "$NSD" xfrm state flush
	ip -n "$NSD" xfrm policy flush
	router_up "$RD" "$NSD"
	# A's traffic to B, into the black hole.
	ip netns exec "$NSC" bash -c 'while :; do
		echo spirec > /dev/udp/203.0.113.2/9; sleep 0.02; done' \
		2>/dev/null &
	pids+=($!)
	sleep 0.5
	t0=$EPOCHREALTIME
	if [ -n "$stale_spi" ] &&
		run_tool child 0 ip netns exec "$NSD" "$TOOL" -v -w 8000 \
		-l 203.0.113.2 -i router-b.example.org -r router-a.example.org \
		-k "$PSK" 203.0.113.1 "$stale_spi" && recovered &&
		[ "${F[peer_create_child]}" = 1 ] &&
		grep -qi "destroying duplicate IKE_SA" "$RC/charon.log"; then
		ok "recovery destroyed the stale SAs; A's CREATE_CHILD_SA on our IKE SA was left unanswered"
	else
		not_ok "recovery with a stale CHILD SA: $why (CREATE_CHILD_SA seen: ${F[peer_create_child]})"
		failure child "$RC" 40
	fi
	# Traffic is back once B's own charon has a CHILD SA with A again.
	back=
	while [ $(( ${EPOCHREALTIME/./} - ${t0/./} )) -lt 20000000 ]; do
		if vici "$RD" --list-sas --raw | grep -q "state=INSTALLED"; then
			back=1; break
		fi
		sleep 0.1
	done
	us=$(( ${EPOCHREALTIME/./} - ${t0/./} ))
	if [ -n "$back" ] && ! out_spi | grep -qx "$stale_spi"; then
		ok "A re-established with B's charon: new CHILD SA $(printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))) s after the recovery started"
	else
		not_ok "no new CHILD SA between A and B after recovery"
		vici "$RD" --list-sas | diag; vici "$RC" --list-sas | diag
		tail -n 40 "$RC/charon.log" | diag
	fi
fi

# In the test VM, leave the logs where vm.sh collects them.
if [ -n "${SPIREC_OUT:-}" ] && [ -d "$SPIREC_OUT" ]; then
	for d in "$tmp"/*/; do
		[ -f "$d/charon.log" ] &&
			cp "$d/charon.log" "$SPIREC_OUT/charon-$(basename "$d").log"
	done
	cp "$tmp"/*.err "$SPIREC_OUT/" 2>/dev/null
fi
since
echo "# interop-charon: $testno tests, $failed failed, $elapsed s"
tap_end
