#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make install into a DESTDIR: the file list, the modes, the unit's paths,
# the installed example configuration against the installed spirecd, an
# administrator's configuration left alone, make uninstall. TAP output.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/spirec-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

# shellcheck source=lib.sh
. selftests/packaging/lib.sh

# listing ROOT: "MODE TYPE PATH" for everything under ROOT.
listing() { (cd "$1" && find . -mindepth 1 -printf '%m %y %P\n' | sort -k3); }

# same_listing ROOT EXPECTED: diff of the listing against EXPECTED.
same_listing() { diff -u <(printf '%s\n' "$2" | sort -k3) <(listing "$1"); }

echo "TAP version 13"

d=$work/local
check "make install DESTDIR=... (PREFIX=/usr/local)" \
	make -s install DESTDIR="$d"

expect_local="755 d etc
755 d etc/spirec
600 f etc/spirec/spirecd.conf
755 d etc/sysctl.d
644 f etc/sysctl.d/60-spirec.conf
755 d usr
755 d usr/local
755 d usr/local/lib
755 d usr/local/lib/systemd
755 d usr/local/lib/systemd/system
644 f usr/local/lib/systemd/system/spirecd.service
644 f usr/local/lib/systemd/system/spirecd@.service
755 d usr/local/lib/sysusers.d
644 f usr/local/lib/sysusers.d/spirecd.conf
755 d usr/local/sbin
755 f usr/local/sbin/spirecctl
755 f usr/local/sbin/spirecd
755 d usr/local/share
755 d usr/local/share/man
755 d usr/local/share/man/man5
644 f usr/local/share/man/man5/spirecd.conf.5
755 d usr/local/share/man/man8
644 f usr/local/share/man/man8/spirecctl.8
644 f usr/local/share/man/man8/spirecd.8"
check "installed files and modes (PREFIX=/usr/local)" same_listing "$d" "$expect_local"

unit=$d/usr/local/lib/systemd/system/spirecd.service
unit_paths() {
	grep -q '^ExecStart=/usr/local/sbin/spirecd -f -c /etc/spirec/spirecd.conf$' "$1" &&
	grep -q '^ExecStartPre=/usr/local/sbin/spirecd .*--check-config$' "$1" &&
	! grep -n '/usr/sbin/' "$1"
}
check "unit runs \$PREFIX/sbin/spirecd" unit_paths "$unit"

# systemd-analyze verify also checks that the commands exist: a copy of
# the unit whose commands point into DESTDIR. Any message fails (unknown
# keys are only warnings).
verify() {
	local out
	sed "s|/usr/local/sbin/|$d/usr/local/sbin/|g" "$unit" >"$work/spirecd.service"
	out=$(systemd-analyze verify --man=no "$work/spirecd.service" 2>&1) &&
	[ -z "$out" ] || { printf '%s\n' "$out"; return 1; }
}
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify: the unit, with its commands in DESTDIR" verify
else
	skip "systemd-analyze verify accepts the unit" "no systemd-analyze"
fi

# exposure_ok UNIT: systemd-analyze security (offline) on the unit file
# UNIT; prints its exposure score, true if it is at most
# SPIREC_UNIT_EXPOSURE_MAX (2.5).
exposure_ok() {
	local out score
	out=$(systemd-analyze security --offline=yes --no-pager "$1" 2>&1) ||
		{ printf '%s\n' "$out"; return 1; }
	score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "# systemd-analyze security: ${1##*/} exposure $score"
	[ -n "$score" ] &&
	awk -v s="$score" -v m="${SPIREC_UNIT_EXPOSURE_MAX:-2.5}" 'BEGIN { exit !(s <= m) }'
}

# spirecd@NAME.service, made from spirecd.service by make install: one
# spirecd per network namespace, verified as an instance (red), the same
# least privilege.
template_unit() {
	local t=$d/usr/local/lib/systemd/system/spirecd@.service out score
	grep -qx 'NetworkNamespacePath=/run/netns/%i' "$t" &&
	grep -qx 'ExecStart=/usr/local/sbin/spirecd -f -c /etc/spirec/%i.conf' "$t" &&
	grep -qx 'Environment=SPIRECD_STATUS_FILE=/run/spirec-netns/%i/spirecd.status' "$t" &&
	grep -qx 'RuntimeDirectory=spirec-netns/%i' "$t" &&
	grep -qx 'User=spirecd' "$t" &&
	grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW' "$t" || return 1
	command -v systemd-analyze >/dev/null || return 0
	mkdir -p "$work/tmpl" &&
	sed "s|/usr/local/sbin/|$d/usr/local/sbin/|g" "$t" >"$work/tmpl/spirecd@.service" || return 1
	out=$(systemd-analyze verify --man=no "$work/tmpl/spirecd@red.service" 2>&1) &&
	[ -z "$out" ] || { printf '%s\n' "$out"; return 1; }
	exposure_ok "$work/tmpl/spirecd@red.service"
}
check "spirecd@NAME.service: joins /run/netns/NAME, reads NAME.conf, verified, exposure <= ${SPIREC_UNIT_EXPOSURE_MAX:-2.5}" template_unit

# systemd-analyze security on the unit (offline): print the exposure
# score; above SPIREC_UNIT_EXPOSURE_MAX (2.5) fails. Least privilege: runs
# as spirecd with CAP_NET_ADMIN and CAP_NET_RAW alone.
unit_security() {
	exposure_ok "$work/spirecd.service" || return 1
	grep -q '^User=spirecd$' "$unit" &&
	grep -q '^AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW$' "$unit" &&
	grep -q '^CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW$' "$unit"
}
if command -v systemd-analyze >/dev/null &&
   systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
	unit_security | grep '^# systemd-analyze security'
	check "systemd-analyze security: User=spirecd, CAP_NET_ADMIN and CAP_NET_RAW only, exposure <= ${SPIREC_UNIT_EXPOSURE_MAX:-2.5}" unit_security
else
	skip "systemd-analyze security on the unit" "no systemd-analyze --offline"
fi

check "sysusers.d snippet creates the system user spirecd" \
	grep -q '^u spirecd ' "$d/usr/local/lib/sysusers.d/spirecd.conf"

cfg=$d/etc/spirec/spirecd.conf
check "installed example config passes the installed spirecd --check-config" \
	"$d/usr/local/sbin/spirecd" -c "$cfg" --check-config
check "installed example config is the packaging/spirecd.conf" cmp "$cfg" packaging/spirecd.conf

# The installed programs say the release of the VERSION file.
versions() {
	[ "$("$d/usr/local/sbin/spirecd" --version)" = "spirecd $(cat VERSION)" ] &&
		[ "$("$d/usr/local/sbin/spirecctl" --version)" = "spirecctl $(cat VERSION)" ]
}
check "spirecd --version and spirecctl --version print VERSION" versions

# The commented-out peers of the example must stay valid settings too:
# uncomment them (a quoted psk in place of the psk_file that does not
# exist here) and check again.
uncommented() {
	sed -e 's/^#\(\[peer \|address \|local_id \|remote_id \|ike \|action \|vici_\|exec \|workers \|holddown_max \|holddown_reset \|status_file \)/\1/' \
		-e 's/^#psk_file = .*/psk = "example key"/' "$cfg" >"$work/all.conf"
	chmod 0600 "$work/all.conf" &&
	"$d/usr/local/sbin/spirecd" -c "$work/all.conf" --check-config &&
	grep -q '^\[peer router-a\]' "$work/all.conf" &&
	[ "$(grep -c '^\[peer ' "$work/all.conf")" = 3 ]
}
check "example config with its peers uncommented passes --check-config" uncommented

# Every key of the example (commented or not) is documented in
# spirecd.conf(5).
documented() {
	local k rc=0
	for k in $(sed -n 's/^#\{0,1\}\([a-z_]*\) = .*/\1/p' "$cfg" | sort -u); do
		grep -q "^\.B[IR]* $k " Documentation/spirecd.conf.5 ||
			{ echo "$k not in spirecd.conf.5"; rc=1; }
	done
	return $rc
}
check "every key of the example is in spirecd.conf(5)" documented

snippet() {
	local f=$d/etc/sysctl.d/60-spirec.conf
	grep -qx '#net.spirec.enabled = 1' "$f" &&
	! grep -v '^#' "$f" | grep -q '[^[:space:]]'
}
check "sysctl.d snippet: net.spirec.enabled = 1, commented out, nothing active" snippet

# A second install keeps the administrator's files and updates the rest.
again() {
	echo "# mine" >>"$cfg"
	echo "net.spirec.enabled = 1" >>"$d/etc/sysctl.d/60-spirec.conf"
	: >"$d/usr/local/sbin/spirecd"
	make -s install DESTDIR="$d" >/dev/null &&
	tail -n 1 "$cfg" | grep -qx '# mine' &&
	tail -n 1 "$d/etc/sysctl.d/60-spirec.conf" | grep -qx 'net.spirec.enabled = 1' &&
	cmp "$d/usr/local/sbin/spirecd" userspace/build/spirecd &&
	[ "$(stat -c %a "$cfg")" = 600 ]
}
check "make install again: config and sysctl.d file left alone, programs replaced" again

# What make uninstall leaves: the directories and the configuration files.
rest=$(printf '%s\n' "$expect_local" | grep -E '^[0-9]+ d |^[0-9]+ f etc/')
uninstall() { make -s uninstall DESTDIR="$d" && same_listing "$d" "$rest"; }
check "make uninstall: only the configuration files stay" uninstall

# PREFIX=/usr: the distribution's paths.
u=$work/usr
prefix_usr() {
	make -s install DESTDIR="$u" PREFIX=/usr >/dev/null &&
	[ -x "$u/usr/sbin/spirecd" ] && [ -x "$u/usr/sbin/spirecctl" ] &&
	[ -f "$u/usr/share/man/man8/spirecctl.8" ] &&
	grep -qx 'ExecStart=/usr/sbin/spirecd -f -c /etc/spirec/spirecd.conf' \
		"$u/usr/lib/systemd/system/spirecd.service" &&
	cmp "$u/usr/lib/systemd/system/spirecd.service" userspace/spirecd/spirecd.service &&
	! find "$u" -path '*/local*' | grep .
}
check "make install PREFIX=/usr: /usr/sbin, the unit as in the tree" prefix_usr

tap_end
