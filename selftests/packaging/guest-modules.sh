#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the test VM (selftests/vm/vm.sh with SPIREC_VM_MODROOT set to the
# module tree that make dkms-install filled): loads spirec from that tree,
# then from SPIREC_PKG_B/lib/modules (the tree the spirec-dkms package's
# postinst filled), and checks each copy minimally. Prints "PASS: what" or
# "FAIL: what" lines for run.sh, diagnostics as "# ..." lines.
#   SPIREC_PKG_TOP    source tree (sysctl.d snippet, spirecctl of the tree)
#   SPIREC_PKG_B      root of the package's module tree
#   SPIREC_PKG_TOOLS  root into which spirec-tools was unpacked
#   SPIREC_PKG_KEY_dkms, SPIREC_PKG_KEY_deb  sig_key of each tree's module
set -uo pipefail
kver=$(uname -r)
top=${SPIREC_PKG_TOP:?} b=${SPIREC_PKG_B:?} tools=${SPIREC_PKG_TOOLS:?}
want=/lib/modules/$kver/updates/dkms/spirec.ko

res() {
	if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; fi
}

# one LABEL SPIRECCTL: load spirec from the current /lib/modules and check it.
one() {
	local label=$1 ctl=$2 path signer key out rc wantkey
	wantkey=$(printenv "SPIREC_PKG_KEY_$label")

	modprobe spirec; res $? "$label: modprobe spirec"
	path=$(modinfo -n spirec 2>&1)
	[ "$path" = "$want" ]; rc=$?
	res $rc "$label: modinfo -n spirec is $want"
	[ $rc = 0 ] || echo "# modinfo -n: $path"
	signer=$(modinfo -F signer spirec 2>&1)
	key=$(modinfo -F sig_key spirec 2>&1)
	[ "$signer" = "DKMS module signing key" ] && [ -n "$wantkey" ] &&
		[ "$key" = "$wantkey" ]; rc=$?
	res $rc "$label: signed by dkms with that tree's throw-away key"
	[ $rc = 0 ] || echo "# signer: $signer, key $key, expected $wantkey"
	grep -q '^spirec ' /proc/modules; res $? "$label: spirec in /proc/modules"
	[ "$(cat /proc/sys/net/spirec/enabled 2>&1)" = 0 ]
	res $? "$label: net.spirec.enabled exists, 0 by default"

	out=$("$ctl" status 2>&1); rc=$?
	[ $rc = 0 ] && grep -q '^module: *loaded' <<<"$out" &&
		grep -q '^enabled: *no' <<<"$out"; rc=$?
	res $rc "$label: $ctl status: loaded, not enabled"
	[ $rc = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'

	# The sysctl.d snippet, uncommented, turns the module on.
	sed 's/^#net\.spirec\./net.spirec./' "$top/packaging/sysctl-spirec.conf" \
		>/tmp/60-spirec.conf
	out=$(sysctl -p /tmp/60-spirec.conf 2>&1) &&
		[ "$(cat /proc/sys/net/spirec/enabled)" = 1 ] &&
		"$ctl" status | grep -q '^enabled: *yes'; rc=$?
	res $rc "$label: sysctl.d snippet uncommented: enabled, spirecctl says so"
	[ $rc = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'

	rmmod spirec; res $? "$label: rmmod spirec"
}

one dkms "$top/userspace/build/spirecctl"

if mount --bind "$b/lib/modules" /lib/modules; then
	res 0 "deb: the package's module tree as /lib/modules"
	one deb "$tools/usr/sbin/spirecctl"
else
	res 1 "deb: the package's module tree as /lib/modules"
fi
