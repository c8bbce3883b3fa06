# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib-libreswan.sh: libreswan's pluto as a router of the e2e scenario
# (lib.sh), for the interop cases of run.sh. Sourcing it defines only.
#
# Debian's libreswan conflicts with the strongSwan packages, so it is not
# installed: selftests/deps.sh (make deps) fetches its .deb and unpacks it
# with dpkg -x into $LIBRESWAN_ROOT (its libraries are ordinary packages).
# pluto runs from there in a router's network namespace with a private
# mount namespace (ip netns exec makes one) in which the unpacked
# usr/libexec is bound over /usr/libexec: pluto starts the compiled-in
# /usr/libexec/ipsec/addconn to load its connections. Everything else it
# keeps (configuration, secrets, NSS database, control socket, pid file,
# log) is in the router's directory under the test's temporary directory,
# given on pluto's command line.
#
# Needs lib.sh sourced first (tmp, RA, RB, PSK, pids, the helpers).
# shellcheck disable=SC2154

LIBRESWAN_ROOT=${SPIREC_LIBRESWAN_ROOT:-/var/cache/spirec/libreswan/root}
# In the test VM /var is a tmpfs; the host's root is also at /.hostroot.
if [ ! -d "$LIBRESWAN_ROOT" ] && [ -d "/.hostroot$LIBRESWAN_ROOT" ]; then
	LIBRESWAN_ROOT=/.hostroot$LIBRESWAN_ROOT
fi
PLUTO=$LIBRESWAN_ROOT/usr/libexec/ipsec/pluto
WHACK=$LIBRESWAN_ROOT/usr/libexec/ipsec/whack

# libreswan_missing: why pluto cannot run here (empty when it can).
libreswan_missing() {
	if [ ! -x "$PLUTO" ] || [ ! -x "$WHACK" ]; then
		echo "no pluto in $LIBRESWAN_ROOT (make deps unpacks Debian's libreswan there)"
	elif ! command -v certutil > /dev/null; then
		echo "no certutil (libnss3-tools)"
	elif ! command -v unshare > /dev/null; then
		echo "no unshare (util-linux)"
	fi
}

# pluto_conf DIR LOCAL REMOTE LSUBNET RSUBNET AUTO: a router's pluto
# directory: ipsec.conf with one IKEv2 PSK connection "gw" between the
# addresses LOCAL and REMOTE (their addresses are the identities),
# tunnel LSUBNET === RSUBNET, auto=AUTO (ondemand, start, add);
# PLUTO_CONN_OPTS: further lines for the connection (e.g.
# "retransmit-timeout=5s"), PLUTO_SETUP_OPTS for config setup.
pluto_conf() {
	local dir=$1
	pluto_dir "$dir" || return 1
	cat > "$dir/ipsec.conf" <<EOC
config setup
	logfile=$dir/pluto.log
	logappend=yes
	plutodebug=none
	uniqueids=yes
	dnssec-enable=no
	${PLUTO_SETUP_OPTS:-}

conn gw
	ikev2=insist
	authby=secret
	left=$2
	leftid=$2
	leftsubnet=$4
	right=$3
	rightid=$3
	rightsubnet=$5
	ike=aes128-sha2_256-dh31
	esp=aes_gcm128
	leftupdown=%disabled
	auto=$6
	${PLUTO_CONN_OPTS:-}
EOC
	printf '%s %s : PSK "%s"\n' "$2" "$3" "$PSK" > "$dir/ipsec.secrets"
	chmod 600 "$dir/ipsec.secrets"
}

# pluto_conf_v1 DIR LEFT RIGHT LSUBNET RSUBNET ESP AUTO: a pluto directory
# (Router A's) with one IKEv1 PSK connection "gw" from LEFT
# (router-a.example.org) to RIGHT (router-b.example.org), tunnel LSUBNET
# === RSUBNET, IKE aes128-sha2_256;modp2048, esp=ESP, auto=AUTO.
pluto_conf_v1() {
	pluto_dir "$1" || return 1
	cat > "$1/ipsec.conf" <<EOC
config setup
	ikev1-policy=accept
	uniqueids=yes
conn gw
	ikev2=no
	authby=secret
	left=$2
	leftid=@router-a.example.org
	leftsubnet=$4
	right=$3
	rightid=@router-b.example.org
	rightsubnet=$5
	ike=aes128-sha2_256;modp2048
	esp=$6
	leftupdown=%disabled
	auto=$7
EOC
	echo "@router-a.example.org @router-b.example.org : PSK \"$PSK\"" > "$1/ipsec.secrets"
	chmod 600 "$1/ipsec.secrets"
}

# pluto_dir DIR: the directories of a pluto in DIR (run, ipsec.d) and its
# empty NSS database (nss).
pluto_dir() {
	mkdir -p "$1/run" "$1/nss" "$1/ipsec.d"
	[ -f "$1/nss/cert9.db" ] ||
		certutil -N --empty-password -d "sql:$1/nss" > "$1/certutil.out" 2>&1 ||
		{ cat "$1/certutil.out"; return 1; }
}

# whack DIR ARGS...: pluto's control in DIR.
whack() { local dir=$1; shift; "$WHACK" --ctlsocket "$dir/run/pluto.ctl" "$@"; }

# start_pluto DIR NS: pluto of DIR in NS, in the foreground of its own
# mount namespace; its pid in DIR/pid. Waits for its control socket and
# the connection "gw" loaded.
start_pluto() {
	local dir=$1 ns=$2
	rm -f "$dir/run/pluto.ctl" "$dir/run/pluto.pid"
	ip netns exec "$ns" unshare -m sh -c "
		mount --bind '$LIBRESWAN_ROOT/usr/libexec' /usr/libexec &&
		exec '$PLUTO' --nofork --config '$dir/ipsec.conf' --rundir '$dir/run' \
			--nssdir '$dir/nss' --ipsecdir '$dir/ipsec.d' \
			--secretsfile '$dir/ipsec.secrets' --logfile '$dir/pluto.log' \
			--no-dnssec" >> "$dir/pluto.out" 2>&1 &
	pids+=($!)
	echo $! > "$dir/pid"
	if ! slowwait 30 pluto_has_conn "$dir"; then
		echo "pluto in $ns did not come up with its connection"
		cat "$dir/pluto.out"; tail -n 30 "$dir/pluto.log" 2>/dev/null
		return 1
	fi
}

pluto_has_conn() {
	[ -S "$1/run/pluto.ctl" ] && whack "$1" --status 2>/dev/null | grep -q '"gw":'
}

# pluto_states DIR: pluto's established IKE and Child SAs, one
# "#N:KIND" per SA on one line (whack --showstates).
pluto_states() {
	whack "$1" --showstates 2>/dev/null |
		sed -n 's/^[0-9 ]*#\([0-9]*\): "gw".*\(ESTABLISHED_IKE_SA\|ESTABLISHED_CHILD_SA\).*/#\1:\2/p' |
		sort | tr '\n' ' '
}

# esp_spis NS: the ESP SPIs of NS's SAs (src>dst:spi), sorted, one line;
# not the kernel's larval acquire states (SPI 0).
esp_spis() {
	ip -n "$1" xfrm state | awk '
		/^src / { s = $2; d = $4 }
		/proto esp spi/ { for (i = 1; i <= NF; i++)
			if ($i == "spi" && $(i + 1) != "0x00000000") print s ">" d ":" $(i + 1) }' |
		sort | tr '\n' ' '
}

# spis_match: both routers hold the same ESP SAs (same SPIs, same
# directions), at least one each way, and Router B's inbound SA from
# Router A counted packets: traffic went through the tunnel, not around
# it in clear.
spis_match() {
	local a b
	a=$(esp_spis "$NS_RA") b=$(esp_spis "$NS_RB")
	[ -n "$b" ] && [ "$a" = "$b" ] || return 1
	[[ "$b" == *"198.51.100.1>198.51.100.2:"* ]] && [[ "$b" == *"198.51.100.2>198.51.100.1:"* ]] ||
		return 1
	ip -n "$NS_RB" -s xfrm state list src 198.51.100.1 dst 198.51.100.2 proto esp |
		grep -qE '[1-9][0-9]*\(bytes\)'
}

# setup_pluto_a AUTO: the topology, Router A = pluto (auto=AUTO), Router
# B = charon (only responding; address identities), tunnel up, Host 1
# reaches Host 2.
setup_pluto_a() {
	trace "setup_pluto_a $1"
	teardown
	rm -rf "$RA" "$RB"
	topology || return 1
	pluto_conf "$RA" 198.51.100.1 198.51.100.2 192.0.2.0/24 203.0.113.0/24 "$1" || return 1
	router_conf "$RB" 198.51.100.2 198.51.100.1 198.51.100.2 198.51.100.1 \
		203.0.113.0/24 192.0.2.0/24 none
	sed -i -e 's/router-a\.example\.org/198.51.100.1/' -e 's/router-b\.example\.org/198.51.100.2/' \
		"$RB/swanctl.conf"
	# Side by side: each takes seconds to start under TCG.
	charon_launch "$RB" "$NS_RB" && start_pluto "$RA" "$NS_RA" &&
		charon_ready "$RB" "$NS_RB" || return 1
	if [ "$1" != start ]; then
		whack "$RA" --name gw --initiate > "$tmp/initiate.out" 2>&1
	fi
	# auto=start initiates by itself; ondemand once told (or on traffic).
	if ! slowwait 60 h1_reaches_h2; then
		echo "Host 1 cannot reach Host 2 through pluto's tunnel"
		cat "$tmp/initiate.out" 2>/dev/null
		echo "--- Router A (pluto)"; tail -n 40 "$RA/pluto.log"
		echo "--- Router B"; tail -n 30 "$RB/charon.log"
		return 1
	fi
	slowwait 10 spis_match ||
		{ echo "the routers' ESP SAs differ"; ip -n "$NS_RA" xfrm state; ip -n "$NS_RB" xfrm state; return 1; }
}

# pluto_timeline NAME: as lib.sh's timeline, with Router A = pluto: every
# step in ms from the loss, into $SPIREC_OUT/timeline-NAME.txt and the log.
pluto_timeline() {
	# shellcheck disable=SC2034 # read by tl_pings and tl_steps
	TL_T0=$(ms_of_day "$LOST_AT")
	{
		tl_pings
		tl_steps <<EOT
$RB/charon.log;added vici connection;Router B: connection loaded (charon ready);
$tmp/spirecd.log;: starting$;spirecd: first event, action starts;
$tmp/spirecd.log;charon ready after;spirecd: charon ready;
$tmp/spirecd.log;sending IKE_SA_INIT;spirecd: IKE_SA_INIT sent;
$tmp/spirecd.log;IKE SA authenticated;spirecd: IKE_AUTH done (INITIAL_CONTACT);
$tmp/spirecd.log;IKE SA deleted;spirecd: its IKE SA deleted;
$tmp/spirecd.log;healed in;spirecd: healed;
$tmp/spirecd.log;still sends unknown SPIs;spirecd: not healed at the end of verify_window;
$RB/charon.log;vici initiate CHILD_SA;Router B: vici initiate received;
$RB/charon.log;received packet: from 198.51.100.1.500. to 198.51.100.2.500;Router B: first IKE packet from Router A;
$RA/pluto.log;responder established IKE SA;pluto: an IKE SA from Router B's side established (INITIAL_CONTACT);
$RA/pluto.log;ESP traffic information;pluto: a Child SA deleted (the stale one);
$RA/pluto.log;initiator established IKE SA;pluto: its own new IKE SA established;last
$RA/pluto.log;initiating Child SA using IKE SA;pluto: new Child SA initiated (over which IKE SA: see its log);
$RA/pluto.log;retransmission;pluto: first retransmission;
$RA/pluto.log;(timeout|giving up|no response);pluto: gave up on the IKE SA;
$RA/pluto.log;initiating IKEv2 connection;pluto: new IKE SA initiated;last
$RA/pluto.log;(deleting|delete) .*IKE SA;pluto: an IKE SA deleted;
$RA/pluto.log;established Child SA;pluto: Child SA established;last
$RB/charon.log;CHILD_SA .* established;Router B: new CHILD SA installed;last
EOT
	} | tl_write "$1"
}
