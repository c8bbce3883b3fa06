#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The module through DKMS and the Debian packages, end to end. TAP output.
#
#  1. make dkms-install (dkms add, build -k KVER for every kernel below,
#     install) with dkms's trees in a throw-away root A (--sourcetree,
#     --dkmstree, --installtree; /etc/dkms, /var/lib/dkms and /lib/modules
#     of a mount namespace of its own: see ./sandbox); A/lib/modules/KVER is
#     the stock Debian kernel's module tree, hard-linked, and beside it one
#     for each kernel of the matrix (SPIREC_PKG_KERNELS, default "6.12
#     sid": selftests/vm/debian-kernel, fetched if not cached) with its
#     module lists and its headers as build. The make that dkms runs is
#     selftests/vm/kbuild-path/make: a kernel built by a compiler this
#     machine lacks (sid's) gets its module built by its own.
#  2. make deb; lintian (no errors); the packages' contents.
#  3. spirec-dkms unpacked into a root B (module trees as in A) and its own
#     postinst run there (in a mount namespace where /lib/modules, /usr/src,
#     /var/lib/dkms are B's): what dpkg -i does, for every kernel; spirec-
#     tools unpacked, its programs run.
#  4. One VM (stock Debian kernel KVER) with A as its /lib/modules:
#     modprobe spirec loads updates/dkms/spirec.ko, from A, then from B
#     (guest-modules.sh).
#  5. make dkms-uninstall and the package's prerm; this machine's
#     /lib/modules, /usr/src and /var/lib/dkms are as before.
#
# SPIREC_PKG_WORK: work directory (default .check/packaging in the tree: the
# VM must see it, and its path keys vm.sh's initramfs cache).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
here=$top/selftests/packaging
# shellcheck source=lib.sh
. "$here/lib.sh"

ver=$(cat VERSION)
# The kernel vm.sh boots by default: the newest stock Debian 6.1.
kernel=${SPIREC_VM_KERNEL:-$(printf '%s\n' /boot/vmlinuz-6.1* | sort -V | tail -n 1)}
[ -e "$kernel" ] || kernel=
kver=${kernel##*/vmlinuz-}
w=${SPIREC_PKG_WORK:-$top/.check/packaging}
A=$w/A B=$w/B T=$w/tools logs=$w/logs
export LC_ALL=C.UTF-8

echo "TAP version 13"
if [ -z "$kernel" ] || [ ! -d "/lib/modules/$kver/kernel" ] ||
	[ ! -e "/lib/modules/$kver/build/Makefile" ]; then
	echo "1..0 # SKIP no Debian 6.1 kernel with modules and headers (make deps)"
	exit 0
fi
echo "# kernel $kver, version $ver, work directory $w"

rm -rf "$w" && mkdir -p "$w" "$logs" || exit 1

# The machine's own dkms state, compared at the end.
host_state() {
	ls -la --time-style=full-iso /usr/src /var/lib/dkms "/lib/modules/$kver"
	find "/lib/modules/$kver/updates" /var/lib/dkms 2>/dev/null
}
host_state >"$w/host-before" 2>&1

# The kernels of the matrix: KVER -> the root debian-kernel unpacked it in.
# shellcheck disable=SC2206 # names have no blanks
mnames=(${SPIREC_PKG_KERNELS-6.12 sid})
declare -A mroot=() mname=()
kvers=("$kver")
for name in "${mnames[@]}"; do
	if r=$(selftests/vm/debian-kernel "$name" 2>"$logs/debian-kernel-$name.log"); then
		kv=$(cat "$r/../kver")
		mroot[$kv]=$r mname[$kv]=$name
		kvers+=("$kv")
	else
		not_ok "Debian's $name kernel: selftests/vm/debian-kernel $name"
		tail -n 10 "$logs/debian-kernel-$name.log" | diag
	fi
done
echo "# kernels: ${kvers[*]}"
# The make dkms runs (kernels with a compiler of their own).
kbuild_path=$top/selftests/vm/kbuild-path:$PATH
# what KV: "KV" or "KV (Debian NAME)".
what() { echo "$1${mname[$1]:+ (Debian ${mname[$1]})}"; }
# module_in ROOT KV: the path of spirec.ko (compressed or not) in ROOT.
module_in() {
	local f
	for f in "$1/lib/modules/$2/updates/dkms/spirec.ko"{,.xz,.zst,.gz}; do
		[ -e "$f" ] && { echo "$f"; return 0; }
	done
	echo "$1/lib/modules/$2/updates/dkms/spirec.ko"
	return 1
}

# modroot DIR [KV]: DIR/lib/modules/KV (default: the stock kernel's): the
# kernel's modules hard-linked (or copied across file systems), the build
# link to the headers. A matrix kernel's: its module lists (depmod's
# included: dkms compresses as they say) and headers only.
modroot() {
	local kv=${2:-$kver} d f src=/lib/modules/${2:-$kver}
	d=$1/lib/modules/$kv
	mkdir -p "$d" || return 1
	if [ -n "${mroot[$kv]:-}" ]; then
		src=${mroot[$kv]}/lib/modules/$kv
		cp -a "$src"/modules.* "$d/" &&
		ln -sfn "${mroot[$kv]}/usr/src/linux-headers-$kv" "$d/build"
		return
	fi
	cp -al "$src/kernel" "$d/" 2>/dev/null ||
		{ rm -rf "$d/kernel"; cp -a "$src/kernel" "$d/"; } || return 1
	for f in modules.order modules.builtin modules.builtin.modinfo build; do
		if [ -e "$src/$f" ]; then cp -a "$src/$f" "$d/" || return 1; fi
	done
}

# --- version: one place ----------------------------------------------------
versions() {
	local deb
	deb=$(dpkg-parsechangelog -l debian/changelog -S Version) || return 1
	echo "VERSION $ver, debian/changelog $deb"
	[ "${deb%-*}" = "$ver" ] &&
	grep -qx 'PACKAGE_VERSION="#MODULE_VERSION#"' dkms.conf
}
check "version: VERSION = debian/changelog upstream version; dkms.conf takes it from there" versions

# --- 1. make dkms-install into root A -----------------------------------------
for kv in "${kvers[@]}"; do
	check "throw-away module tree A for $(what "$kv")" modroot "$A" "$kv"
done
dkms_a=(DKMS_SRCDIR="$A/usr/src" DKMS_KERNEL="${kvers[*]}"
	DKMS_FLAGS="--dkmstree $A/var/lib/dkms --installtree $A/lib/modules --no-depmod")
mkdir -p "$A/usr/src" "$A/var/lib/dkms"
# (--full: dkms takes each kernel's headers from /lib/modules/KV/build.)
check_log "make dkms-install: dkms add, build -k for ${#kvers[@]} kernels, install (trees in A)" \
	"$logs/dkms-install.log" env PATH="$kbuild_path" \
	"$here/sandbox" --full "$A" make -C "$top" dkms-install "${dkms_a[@]}"
status_a() {
	"$here/sandbox" --full "$A" dkms status -m spirec -v "$ver" -k "$1" --dkmstree "$A/var/lib/dkms" \
		--sourcetree "$A/usr/src" --installtree "$A/lib/modules" | tee /dev/stderr |
		grep -qx "spirec/$ver, $1, x86_64: installed"
}
# built ROOT KV: the module for KV in ROOT, signed with ROOT's key.
built() {
	local ko
	ko=$(module_in "$1" "$2") || { echo "no $ko"; return 1; }
	modinfo "$ko" | grep -E '^(filename|vermagic|signer|version|srcversion):' &&
	modinfo -F vermagic "$ko" | grep -q "^$2 " &&
	[ "$(modinfo -F signer "$ko")" = "DKMS module signing key" ] &&
	[ -s "$1/mok.key" ] && [ -s "$1/mok.pub" ]
}
resolve_a() {
	local ko
	ko=$(module_in "$A" "$1") && depmod -b "$A" "$1" &&
	[ "$(modinfo -b "$A" -k "$1" -n spirec)" = "$ko" ]
}
for kv in "${kvers[@]}"; do
	check "dkms status: spirec/$ver, $kv, x86_64: installed" status_a "$kv"
	check "module in A/lib/modules/$kv/updates/dkms: for $(what "$kv"), signed with A's throw-away key" \
		built "$A" "$kv"
	check "depmod -b A $kv: modinfo -n spirec is updates/dkms/spirec.ko" resolve_a "$kv"
done

# --- 2. make deb, lintian ------------------------------------------------------
deb=$w/deb
check_log "make deb: spirec-dkms and spirec-tools" "$logs/deb.log" \
	make -C "$top" deb DEB_OUT="$deb"
dkms_deb=$deb/spirec-dkms_${ver}-1_all.deb
tools_deb='' changes=''
for f in "$deb"/spirec-tools_"$ver"-1_*.deb; do [ -e "$f" ] && tools_deb=$f; done
for f in "$deb"/*.changes; do [ -e "$f" ] && changes=$f; done

lint() {
	[ -n "$changes" ] || { echo "no .changes"; return 1; }
	lintian --pedantic --info "$changes" >"$logs/lintian.log" 2>&1
	local e w
	e=$(grep -c '^E: ' "$logs/lintian.log")
	w=$(grep -c '^W: ' "$logs/lintian.log")
	echo "lintian: $e errors, $w warnings (log: $logs/lintian.log)"
	grep -E '^[EW]: ' "$logs/lintian.log"
	[ "$e" = 0 ] && ! grep -q '^internal error' "$logs/lintian.log"
}
if command -v lintian >/dev/null; then
	if out=$(lint 2>&1); then
		ok "lintian --pedantic on the .changes and .debs: no errors"
		printf '%s\n' "$out" | diag
	else
		not_ok "lintian --pedantic on the .changes and .debs: no errors"
		printf '%s\n' "$out" | diag
	fi
else
	skip "lintian --pedantic on the .changes and .debs: no errors" "no lintian"
fi

dkms_deb_contents() {
	local c
	c=$(dpkg-deb -c "$dkms_deb") || return 1
	grep -q " ./usr/src/spirec-$ver/dkms.conf$" <<<"$c" &&
	grep -q " ./usr/src/spirec-$ver/kmod/main.c$" <<<"$c" &&
	grep -q " ./usr/src/spirec-$ver/uapi/linux/spirec.h$" <<<"$c" &&
	dpkg-deb -f "$dkms_deb" Depends | grep -q 'dkms' &&
	mkdir -p "$w/dkms-ctl" && dpkg-deb -e "$dkms_deb" "$w/dkms-ctl" &&
	grep -q "common.postinst" "$w/dkms-ctl/postinst" &&
	grep -q "DKMS_VERSION=$ver" "$w/dkms-ctl/postinst" &&
	grep -q "dkms remove" "$w/dkms-ctl/prerm"
}
check "spirec-dkms: /usr/src/spirec-$ver, Depends dkms, postinst/prerm of dh_dkms" dkms_deb_contents

tools_deb_contents() {
	local c
	c=$(dpkg-deb -c "$tools_deb" | awk '{print $1, $6}') || return 1
	printf '%s\n' "$c"
	grep -qx -- '-rwxr-xr-x ./usr/sbin/spirecd' <<<"$c" &&
	grep -qx -- '-rwxr-xr-x ./usr/sbin/spirecctl' <<<"$c" &&
	grep -qx -- '-rw------- ./etc/spirec/spirecd.conf' <<<"$c" &&
	grep -qx -- '-rw-r--r-- ./etc/sysctl.d/60-spirec.conf' <<<"$c" &&
	grep -qx -- '-rw-r--r-- ./lib/systemd/system/spirecd.service' <<<"$c" &&
	grep -qx -- '-rw-r--r-- ./lib/systemd/system/spirecd@.service' <<<"$c" &&
	grep -qx -- '-rw-r--r-- ./usr/share/man/man8/spirecd.8.gz' <<<"$c" &&
	grep -qx -- '-rw-r--r-- ./usr/share/man/man8/spirecctl.8.gz' <<<"$c" &&
	grep -qx -- '-rw-r--r-- ./usr/share/man/man5/spirecd.conf.5.gz' <<<"$c" &&
	mkdir -p "$w/tools-ctl" && dpkg-deb -e "$tools_deb" "$w/tools-ctl" &&
	diff <(sort "$w/tools-ctl/conffiles") \
		<(printf '%s\n' /etc/spirec/spirecd.conf /etc/sysctl.d/60-spirec.conf) &&
	! grep -E 'deb-systemd-invoke|systemctl .*start' "$w/tools-ctl/postinst"
}
check "spirec-tools: programs, man pages, units (spirecd, spirecd@), conffiles (config 0600); not started on install" \
	tools_deb_contents

# --- 3. the packages installed (unpacked + postinst, in root B) -------------
deb_dkms_install() {
	local kv
	for kv in "${kvers[@]}"; do modroot "$B" "$kv" || return 1; done
	dpkg-deb -x "$dkms_deb" "$B" &&
	PATH=$kbuild_path "$here/sandbox" --full "$B" sh -e "$w/dkms-ctl/postinst" configure ""
}
check_log "spirec-dkms: unpacked into B, its postinst configure builds and installs for ${kvers[*]}" \
	"$logs/deb-postinst.log" deb_dkms_install
built_b() {
	local ko
	ko=$(module_in "$B" "$1") && built "$B" "$1" &&
	[ "$(modinfo -b "$B" -k "$1" -n spirec)" = "$ko" ] &&
	"$here/sandbox" --full "$B" dkms status -m spirec -v "$ver" -k "$1" | tee /dev/stderr |
		grep -qx "spirec/$ver, $1, x86_64: installed"
}
for kv in "${kvers[@]}"; do
	check "B: updates/dkms/spirec.ko for $(what "$kv"), signed, depmod done, dkms status installed" \
		built_b "$kv"
done

tools_run() {
	mkdir -p "$T" && dpkg-deb -x "$tools_deb" "$T" &&
	! ldd "$T/usr/sbin/spirecd" "$T/usr/sbin/spirecctl" | grep 'not found' &&
	"$T/usr/sbin/spirecctl" --help >/dev/null &&
	"$T/usr/sbin/spirecd" --help >/dev/null &&
	"$T/usr/sbin/spirecd" -c "$T/etc/spirec/spirecd.conf" --check-config &&
	grep -qx 'ExecStart=/usr/sbin/spirecd -f -c /etc/spirec/spirecd.conf' \
		"$T/lib/systemd/system/spirecd.service"
}
check "spirec-tools unpacked: spirecctl --help, spirecd --check-config of its config" tools_run

# --- 4. one VM: modprobe from A, then from B --------------------------------
vm_out=$w/vm
if [ -f "$A/lib/modules/$kver/modules.dep" ]; then
	# Each root's module carries the key id of that root's signing key:
	# the guest tells the two copies apart by it.
	key_a=$(modinfo -F sig_key "$A/lib/modules/$kver/updates/dkms/spirec.ko")
	key_b=$(modinfo -F sig_key "$B/lib/modules/$kver/updates/dkms/spirec.ko" 2>/dev/null)
	SPIREC_VM_MODROOT=$A SPIREC_PKG_TOP=$top SPIREC_PKG_B=$B SPIREC_PKG_TOOLS=$T \
	SPIREC_PKG_KEY_dkms=$key_a SPIREC_PKG_KEY_deb=$key_b \
		"$top/selftests/vm/vm.sh" -k "$kernel" -o "$vm_out" -t 600 \
		"$here/guest-modules.sh" >"$logs/vm.log" 2>&1
	vm_rc=$?
	npass=0
	while IFS= read -r line; do
		case "$line" in
		"PASS: "*) ok "vm: ${line#PASS: }"; npass=$((npass + 1)) ;;
		"FAIL: "*) not_ok "vm: ${line#FAIL: }" ;;
		"# "*) echo "$line" ;;
		esac
	done <"$vm_out/stdout"
	# 17 checks in the guest: a missing line is a failure too.
	[ "$npass" -ge 17 ] || [ "$failed" -gt 0 ] ||
		{ not_ok "vm: only $npass checks passed (log: $logs/vm.log)"; tail -n 20 "$logs/vm.log" | diag; }
	if [ "$(cat "$vm_out/rc" 2>/dev/null)" = 0 ] && [ $vm_rc -eq 0 ]; then
		ok "vm: script finished, kernel log clean"
	else
		not_ok "vm: vm.sh exit $vm_rc, script exit $(cat "$vm_out/rc" 2>/dev/null || echo none) (log: $logs/vm.log)"
		tail -n 20 "$logs/vm.log" | diag
	fi
else
	not_ok "vm: no module tree A (an earlier step failed)"
fi

# --- 5. removal ------------------------------------------------------------------
# gone ROOT: no spirec.ko left in ROOT for any kernel.
gone() {
	local kv
	for kv in "${kvers[@]}"; do
		! module_in "$1" "$kv" >/dev/null || { echo "left: $(module_in "$1" "$kv")"; return 1; }
	done
}
uninstall_a() {
	"$here/sandbox" --full "$A" make -C "$top" dkms-uninstall "${dkms_a[@]}" && gone "$A" &&
	[ ! -e "$A/usr/src/spirec-$ver" ] && [ ! -e "$A/var/lib/dkms/spirec/$ver" ]
}
check "make dkms-uninstall: module (every kernel), dkms tree entry and sources gone from A" uninstall_a
prerm_b() {
	"$here/sandbox" --full "$B" sh -e "$w/dkms-ctl/prerm" remove && gone "$B" &&
	[ ! -e "$B/var/lib/dkms/spirec/$ver" ]
}
check "spirec-dkms prerm remove: module gone from B (every kernel)" prerm_b

host_same() { host_state >"$w/host-after" 2>&1; diff "$w/host-before" "$w/host-after"; }
check "this machine's /lib/modules/$kver, /usr/src, /var/lib/dkms untouched" host_same

# The hard-linked module trees are big to look at and cheap to rebuild.
[ "$failed" -eq 0 ] && [ -z "${SPIREC_PKG_KEEP:-}" ] &&
	rm -rf "$A/lib/modules/$kver/kernel" "$B/lib/modules/$kver/kernel"
tap_end
