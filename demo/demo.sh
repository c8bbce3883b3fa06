#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo.sh: the invalid-SPI black hole and its recovery, told the way
# Cisco's configuration guide tells it for `crypto isakmp
# invalid-spi-recovery`:
#
#   Host 1 ── Router A ═══ IPsec tunnel ═══ Router B ── Host 2
#
# Router A and Router B each run a real strongSwan charon in a network
# namespace of the test VM. Host 1 pings Host 2 through the tunnel. Router
# B loses its IPsec state (the "clear": charon killed with SIGKILL, its SAs
# and policies flushed, charon started again); Router A keeps its SAs and
# sends ESP nobody can decrypt. With spirec off the black hole lasts; with
# spirec on (sysctl + spirecd) it closes by itself, and the script prints
# how long that took.
#
# On the host this script boots the test VM (selftests/vm/vm.sh, Debian's
# kernel) and runs itself there. The network set-up (namespaces, charon
# configurations, spirecd configuration, ping bookkeeping) is the one of
# the end-to-end test: it sources selftests/e2e/lib.sh.
#
# Usage: demo/demo.sh            (make demo builds what it needs first)
#        demo/demo.sh --check    host only, no VM: TAP lines saying whether
#                                the script parses and whether
#                                selftests/e2e/lib.sh still provides what it
#                                uses (a make check stage)
#
# Environment: SPIREC_DEMO=ikev1 (make demo DEMO=ikev1): the IKEv1 variant,
# Cisco's own setting: both charons with version = 1 (Main Mode, PSK),
# spirecd with action ikev1 (default ikev2: an IKEv2 tunnel, action ikev2);
# SPIREC_DEMO_COLOR=1 (colour; set by the host part when its
# standard output is a terminal), SPIREC_DEMO_BLACKHOLE (seconds of black
# hole with spirec off, default 6), SPIREC_DEMO_OUT (host: vm.sh -o
# directory, default .check/demo), SPIREC_DEMO_VM_TIMEOUT (default 600).

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
E2E_LIB=$top/selftests/e2e/lib.sh

# What the demo takes from the end-to-end test's scenario.
NEEDED_FUNCS="e2e_init load_kmod warm_up_crypto setup lose_state_rb ping_start
	ping_stop last_answered blackhole wait_healed answered_at ms_between
	spirecd_conf spirecd_start vici in_ns teardown cleanup ping_flowing
	heal_confirmed nap"
NEEDED_VARS="NS_H1 NS_RA NS_RB NS_H2 RA RB SPIRECD SPIRECCTL CHARON PSK"

lib_check() {
	local f v n=0 bad
	echo "TAP version 13"
	echo "1..3"
	n=$((n + 1))
	if bash -n "${BASH_SOURCE[0]}"; then
		echo "ok $n - demo: demo.sh parses"
	else
		echo "not ok $n - demo: demo.sh parses"
	fi
	n=$((n + 1))
	if bash -n "$E2E_LIB"; then
		echo "ok $n - demo: selftests/e2e/lib.sh parses"
	else
		echo "not ok $n - demo: selftests/e2e/lib.sh parses"
		echo "not ok $((n + 1)) - demo: selftests/e2e/lib.sh provides every function and variable the demo uses # not looked at"
		return 1
	fi
	n=$((n + 1))
	# Define the functions in a subshell (sourcing runs nothing of them).
	bad=$(
		SPIREC_OUT=/nonexistent
		# shellcheck source=../selftests/e2e/lib.sh
		source "$E2E_LIB" 2>/dev/null
		for f in $NEEDED_FUNCS; do
			declare -F "$f" > /dev/null || echo "function $f"
		done
		for v in $NEEDED_VARS; do
			[ -n "${!v+set}" ] || echo "variable $v"
		done
	)
	if [ -z "$bad" ]; then
		echo "ok $n - demo: selftests/e2e/lib.sh provides every function and variable the demo uses"
	else
		echo "not ok $n - demo: selftests/e2e/lib.sh provides every function and variable the demo uses"
		echo "$bad" | sed 's/^/# missing: /'
		return 1
	fi
}

case "${1:-}" in
--check) lib_check; exit ;;
-h|--help) sed -n '3,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
"") ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# --- host: boot the VM and run this script there -----------------------------

if [ -z "${SPIREC_OUT:-}" ]; then
	out=${SPIREC_DEMO_OUT:-$top/.check/demo}
	mkdir -p "$out"
	[ -t 1 ] && export SPIREC_DEMO_COLOR=${SPIREC_DEMO_COLOR:-1}
	echo "Booting the test VM (Debian's kernel under QEMU; logs in $out)..."
	exec "$top/selftests/vm/vm.sh" -o "$out" -t "${SPIREC_DEMO_VM_TIMEOUT:-600}" "$0"
fi

# --- guest ------------------------------------------------------------------

# shellcheck source=../selftests/e2e/lib.sh
source "$E2E_LIB"
e2e_init
BLACKHOLE_S=${SPIREC_DEMO_BLACKHOLE:-6}
DEMO=${SPIREC_DEMO:-ikev2}
case $DEMO in
ikev2) IKE_VER=2 ;;
ikev1)	IKE_VER=1
	# lib.sh's router_conf: an IKEv1 tunnel (Main Mode PSK, Quick Mode).
	export E2E_IKE_VERSION=1 E2E_IKE_PROPOSALS=aes128-sha256-modp2048 ;;
*) echo "SPIREC_DEMO/DEMO: '$DEMO' is neither ikev2 nor ikev1" >&2; exit 2 ;;
esac
HEAL_WAIT=45

if [ "${SPIREC_DEMO_COLOR:-0}" = 1 ]; then
	B=$'\e[1m' H=$'\e[1;36m' G=$'\e[32m' R=$'\e[31m' Y=$'\e[33m' N=$'\e[0m'
else
	B='' H='' G='' R='' Y='' N=''
fi

t_start=$EPOCHREALTIME
section_no=0
section() {
	section_no=$((section_no + 1))
	printf '\n%s== %d. %s ==%s\n\n' "$H" "$section_no" "$*" "$N"
}
say() { printf '%s\n' "$*"; }
# cmd WHERE COMMAND...: show a command as typed on that box, run it there,
# indent its output.
cmd() {
	local where=$1 ns
	shift
	case $where in
	"Router A") ns=$NS_RA ;;
	"Router B") ns=$NS_RB ;;
	"Host 1") ns=$NS_H1 ;;
	*) ns=$NS_H2 ;;
	esac
	printf '%s%s#%s %s\n' "$B" "$where" "$N" "${1##*/} ${*:2}"
	in_ns "$ns" "$@" 2>&1 | sed 's/^/    /'
}
die() { printf '%sdemo failed: %s%s\n' "$R" "$*" "$N"; exit 1; }
elapsed() { ms_between "$t_start" "$EPOCHREALTIME"; }

# One line per SA, like the first lines of `show crypto ipsec sa`.
sa_summary() { # NS
	ip -n "$1" xfrm state | awk '
		/^src/ { sd = $0 }
		/proto (esp|ah) spi/ { printf "    %s  %s %s %s %s %s\n", sd, $1, $2, $3, $4, $8 }
		END { if (!sd) print "    (no SAs)" }'
}
xfrm_in_no_states() { in_ns "$NS_RB" awk '$1 == "XfrmInNoStates" { print $2 }' /proc/net/xfrm_stat; }
# Pings sent after sequence number AT, and how many of them were answered.
pings_since() { # AT
	awk -v at="$1" 'match($0, /icmp_seq=[0-9]+/) {
			s = substr($0, RSTART + 9, RLENGTH - 9) + 0
			if (s > at && s > max) max = s
			if (s > at && /bytes from/) ok++ }
		END { printf "%d %d\n", (max > at ? max - at : 0), ok }' "$tmp/ping.out"
}

[ "$(id -u)" = 0 ] || die "needs root (it runs in the test VM)"
for p in "$CHARON" "$SPIRECD" "$SPIRECCTL"; do
	[ -x "$p" ] || die "$p missing: run 'make deps' and 'make demo'"
done
command -v swanctl > /dev/null || die "swanctl missing: run 'make deps'"
command -v ping > /dev/null || die "ping missing: run 'make deps'"
cp "$top/kmod/spirec.ko" "$tmp/spirec.ko" 2>/dev/null || die "kmod/spirec.ko missing: run 'make demo'"
KMOD=$tmp/spirec.ko

say "${B}spirec demo${N}: the invalid-SPI black hole of Cisco's 'crypto isakmp"
say "invalid-spi-recovery' example, on Linux $(uname -r) with $("$CHARON" --version 2>/dev/null | head -n1 | sed 's/^.*(\(.*\)).*/strongSwan \1/;s/Linux strongSwan/strongSwan/')."

section "The network"
cat <<EOF
    Host 1 ──── Router A ═════ IPsec tunnel ═════ Router B ──── Host 2
  192.0.2.10   192.0.2.1                        203.0.113.1   203.0.113.10
               198.51.100.1 ─────── WAN ─────── 198.51.100.2

  Four network namespaces joined by veth pairs. Router A and Router B each
  run strongSwan's charon: an IKEv$IKE_VER tunnel (pre-shared key) between
  192.0.2.0/24 and 203.0.113.0/24. Router A's CHILD SA uses
  start_action = trap: traffic to Host 2 makes it negotiate (the Linux
  counterpart of a crypto map). Router B only responds.
EOF

section "The tunnel comes up"
say "Loading the crypto modules and spirec.ko (net.spirec.enabled stays 0)..."
warm_up_crypto
if [ ! -d /sys/module/spirec ]; then
	load_kmod > "$tmp/insmod.out" 2>&1 || { cat "$tmp/insmod.out"; die "cannot load spirec.ko"; }
fi
say "Starting both charons and initiating the tunnel from Router A..."
t0=$EPOCHREALTIME
setup trap > "$tmp/setup.out" 2>&1 || { sed 's/^/    /' "$tmp/setup.out"; die "the tunnel did not come up"; }
say "${G}Tunnel up${N} ($(($(ms_between "$t0" "$EPOCHREALTIME") / 1000)) s). The SAs (Cisco: show crypto ipsec sa):"
echo
printf '%sRouter A#%s ip xfrm state\n' "$B" "$N"; sa_summary "$NS_RA"
printf '%sRouter B#%s ip xfrm state\n' "$B" "$N"; sa_summary "$NS_RB"
echo
printf '%sRouter A#%s swanctl --list-sas\n' "$B" "$N"
vici "$RA" --list-sas 2>/dev/null | sed 's/^/    /'
printf '%sRouter B#%s swanctl --list-sas\n' "$B" "$N"
vici "$RB" --list-sas 2>/dev/null | sed 's/^/    /'

section "Traffic: Host 1 pings Host 2 every 100 ms"
ping_start
ping_flowing || die "Host 1 gets no answer from Host 2"
grep 'bytes from' "$tmp/ping.out" | tail -n 3 | sed 's/^\[[0-9.]*\] /    /'
read -r sent ok < <(pings_since 0)
say "    ... $ok of $sent pings answered."
OLD_SPI=$(ip -n "$NS_RB" xfrm state list dst 198.51.100.2 proto esp |
	sed -n 's/.*spi \(0x[0-9a-f]*\).*/\1/p' | head -n1)
RA_SPIS_BEFORE=$(ip -n "$NS_RA" xfrm state | grep -o 'spi 0x[0-9a-f]*' | sort | tr '\n' ' ')

section "Router B loses its IPsec state (Cisco: clear crypto sa on Router B)"
say "Router B's IKE daemon dies and its kernel SAs go with it; Router A notices"
say "nothing:"
echo
printf '%sRouter B#%s kill -9 <charon>; ip xfrm state flush; ip xfrm policy flush\n' "$B" "$N"
AT=$(last_answered)
NOSTATES0=$(xfrm_in_no_states)
lose_state_rb > "$tmp/lose.out" 2>&1 || { cat "$tmp/lose.out"; die "charon did not restart on Router B"; }
RESTART_MS=$(ms_between "$LOST_AT" "$READY_AT")
printf '%sRouter B#%s <charon started again (%d.%01d s): it has its configuration but no SAs>\n' \
	"$B" "$N" $((RESTART_MS / 1000)) $((RESTART_MS % 1000 / 100))
echo
printf '%sRouter A#%s ip xfrm state\n' "$B" "$N"; sa_summary "$NS_RA"
printf '%sRouter B#%s ip xfrm state\n' "$B" "$N"; sa_summary "$NS_RB"

section "The black hole (spirec off)"
say "Router A still encrypts to SPI $OLD_SPI, which Router B no longer has. Linux"
say "drops those packets in xfrm_input() and counts them in XfrmInNoStates;"
say "nobody is told. The module is loaded but off:"
echo
cmd "Router B" sysctl net.spirec.enabled
echo
# Once a second (by the clock: a starved guest may run the loop slower).
next=1
while :; do
	nap 0.2
	since=$(ms_between "$LOST_AT" "$EPOCHREALTIME")
	[ "$since" -ge $((next * 1000)) ] || continue
	next=$((since / 1000 + 1))
	blackhole "$AT"
	if [ -n "$BH_FIRST_LOST" ]; then
		read -r sent ok < <(pings_since $((BH_FIRST_LOST - 1)))
	else
		sent=0 ok=0
	fi
	printf '    %4d.%01d s after the flush  pings: %3d sent, %s%3d answered%s   Router B XfrmInNoStates: %s\n' \
		$((since / 1000)) $((since % 1000 / 100)) "$sent" "$R" "$ok" "$N" "$(xfrm_in_no_states)"
	[ "$since" -ge $((RESTART_MS + BLACKHOLE_S * 1000)) ] && break
done
echo
say "Without spirec this lasts until Router A's SAs are re-keyed or its dead"
say "peer detection gives up: minutes with the usual settings."

section "spirec on (Cisco: crypto isakmp invalid-spi-recovery)"
if [ "$DEMO" = ikev1 ]; then
	spirecd_conf "$tmp/spirecd.conf" ikev1 "$PSK" "$E2E_IKE_PROPOSALS"
else
	spirecd_conf "$tmp/spirecd.conf" ikev2 "$PSK"
fi
# The sysctl below turns detection on, not spirecd.
sed -i 's/^\[global\]$/&\nenable = no/' "$tmp/spirecd.conf"
say "spirecd's configuration on Router B (/etc/spirec/spirecd.conf):"
sed -e 's/^psk = .*/psk = "..."/' -e "s|$tmp|/run/demo|g" -e 's/^/    /' -e 's/ *$//' "$tmp/spirecd.conf"
echo
printf '%sRouter B#%s spirecd -f -d -c /etc/spirec/spirecd.conf &\n' "$B" "$N"
spirecd_start "$tmp/spirecd.conf" > "$tmp/spirecd-start.out" 2>&1 ||
	{ cat "$tmp/spirecd-start.out"; die "spirecd did not start"; }
ON_AT=$EPOCHREALTIME
OFF_MS=$(ms_between "$LOST_AT" "$ON_AT")
cmd "Router B" sysctl -w net.spirec.enabled=1
echo
say "Waiting for Host 2 to answer again..."
if ! wait_healed "$HEAL_WAIT" "$AT"; then
	ping_stop
	sed 's/^/    /' "$tmp/spirecd.log"
	die "still black-holed $HEAL_WAIT s after spirec was turned on"
fi
heal_confirmed "$AT"
ok_at=$(answered_at "$BH_FIRST_OK")
last_at=$(answered_at $((BH_FIRST_LOST - 1)))
RECOVERY_MS=$(ms_between "$ON_AT" "$ok_at")
BH_WALL_MS=$(ms_between "$last_at" "$ok_at")
say "    last answer before, first answer after the black hole:"
grep 'bytes from' "$tmp/ping.out" | grep -B1 "icmp_seq=$BH_FIRST_OK " |
	head -n 2 | sed 's/^\[[0-9.]*\] /    /'
echo
printf '%sRecovered%s: Host 2 answered %s%d.%01d s%s after net.spirec.enabled=1;\n' \
	"$G" "$N" "$B" $((RECOVERY_MS / 1000)) $((RECOVERY_MS % 1000 / 100)) "$N"
say "the black hole lasted $((BH_WALL_MS / 1000)).$((BH_WALL_MS % 1000 / 100)) s in all (pings $BH_FIRST_LOST..$((BH_FIRST_OK - 1)) lost)."

section "What happened"
say "spirecd's log on Router B (Cisco: the %CRYPTO-4-RECVD_PKT_INV_SPI syslog line):"
sed -e "s|$tmp/spirecd.conf|/etc/spirec/spirecd.conf|g" -e "s|$tmp|/run/demo|g" \
	-e 's/^/    /' "$tmp/spirecd.log"
echo
say "The kernel's own line (net.spirec.log = 1, rate-limited):"
dmesg | grep 'spirec: invalid SPI' | tail -n 2 | sed 's/^\[ *[0-9.]*\] /    /'
echo
if [ "$DEMO" = ikev1 ]; then
say "The exchange: spirecd ran IKEv1 Main Mode to Router A whose message 5"
say "carried INITIAL-CONTACT, so Router A's charon dropped its stale ISAKMP and"
say "IPsec SAs; then one Informational (HASH(1)) deleting the stale SPI with an"
say "INVALID-SPI notification, and one deleting spirecd's own ISAKMP SA."
say "Router A's next packet hit its trap policy and it ran Main Mode and"
say "Quick Mode with Router B's charon. The SAs now:"
else
say "The exchange: spirecd opened a childless IKE SA to Router A (RFC 6023)"
say "whose IKE_AUTH carried INITIAL_CONTACT, so Router A's charon dropped its"
say "stale IKE and CHILD SAs; Router A's next packet hit its trap policy and"
say "it negotiated new SAs with Router B's charon. The SAs now:"
fi
echo
printf '%sRouter A#%s ip xfrm state\n' "$B" "$N"; sa_summary "$NS_RA"
printf '%sRouter B#%s ip xfrm state\n' "$B" "$N"; sa_summary "$NS_RB"
RA_SPIS_AFTER=$(ip -n "$NS_RA" xfrm state | grep -o 'spi 0x[0-9a-f]*' | sort | tr '\n' ' ')
[ "$RA_SPIS_BEFORE" != "$RA_SPIS_AFTER" ] ||
	say "${Y}(Router A's SPIs did not change?)${N}"
echo
say "The peer table and the counters:"
echo
cmd "Router B" "$SPIRECCTL" peers
echo
cmd "Router B" "$SPIRECCTL" status
echo
printf '%sRouter B#%s grep XfrmInNoStates /proc/net/xfrm_stat\n' "$B" "$N"
say "    XfrmInNoStates  $(xfrm_in_no_states)   (was $NOSTATES0 before the clear)"

section "Summary"
row() { printf '  %-34s %s%5d.%01d s%s%s\n' "$1" "${3:-}" $(($2 / 1000)) $(($2 % 1000 / 100)) "${3:+$N}" "${4:-}"; }
row "Router B's charon restarted in:" "$RESTART_MS"
row "black hole before spirec was on:" "$OFF_MS" "" " (no recovery)"
row "traffic back after spirec was on:" "$RECOVERY_MS" "$G"
row "the demo inside the VM took:" "$(elapsed)"
echo "demo-recovery-ms: $RECOVERY_MS" > "$SPIREC_OUT/demo-result.txt"
echo "demo: $DEMO" >> "$SPIREC_OUT/demo-result.txt"
exit 0
