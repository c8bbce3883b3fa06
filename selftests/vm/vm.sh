#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh [-k VMLINUZ] [-o OUTDIR] [-t TIMEOUT_S] [-m MEM] SCRIPT [ARGS...]
#
# Runs SCRIPT (a host path) as root in a throw-away QEMU guest booting a
# Debian kernel, with the host's root file system as the guest's (read-only,
# virtio-9p) and OUTDIR as /out (writable). The script's stdout and stderr
# are relayed to ours; the guest's serial console is kept in
# OUTDIR/console.log, its kernel log in OUTDIR/dmesg.log. The exit status is
# the script's, or non-zero when the guest did not finish in time, crashed,
# or its kernel log shows a bug, warning or lockdep/KASAN/... report.
#
# Environment: SPIREC_VM_KERNEL (vmlinuz, as -k), SPIREC_VM_TIMEOUT (as -t),
# SPIREC_VM_MEM (as -m), SPIREC_VM_CACHE (initramfs cache directory),
# SPIREC_VM_APPEND (more kernel command line; selftest/test-vm gives a
# kernel no init with it, to make it die while booting),
# SPIREC_VM_SMP (guest CPUs, default 2), SPIREC_VM_QEMU (QEMU binary,
# default qemu-system-x86_64), SPIREC_VM_GUEST_TIMEOUT (seconds the guest
# gives the script, default 3/4 of the time-out, at most 30 s less),
# SPIREC_VM_ICOUNT (QEMU's -icount option, e.g. "shift=2,sleep=on": the
# guest's clock counts executed instructions instead of following the
# host's, so that what the guest times does not depend on how busy the
# host is; needs SPIREC_VM_SMP=1, with two CPUs the guest hung at boot).
# Variables named SPIREC_* other than these are passed to the script.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=vm.sh

die() { echo "$prog: $*" >&2; exit 2; }
usage() {
	sed -n 's/^# \(vm.sh \[.*\)$/usage: \1/p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

kernel=${SPIREC_VM_KERNEL:-}
outdir=
timeout=${SPIREC_VM_TIMEOUT:-900}
mem=${SPIREC_VM_MEM:-1G}
smp=${SPIREC_VM_SMP:-2}
while getopts "k:o:t:m:h" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	o) outdir=$OPTARG ;;
	t) timeout=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
[[ $timeout =~ ^[0-9]+$ ]] && [ "$timeout" -gt 0 ] || die "bad time-out '$timeout'"
[[ ${SPIREC_VM_GUEST_TIMEOUT:-0} =~ ^[0-9]+$ ]] ||
	die "bad SPIREC_VM_GUEST_TIMEOUT '$SPIREC_VM_GUEST_TIMEOUT'"

script=$(realpath -e -- "$1" 2>/dev/null) || die "$1: no such file"
shift
[ -f "$script" ] && [ -x "$script" ] || die "$script: not an executable file"

qemu=$(command -v "${SPIREC_VM_QEMU:-qemu-system-x86_64}" || true)
[ -n "$qemu" ] || die "${SPIREC_VM_QEMU:-qemu-system-x86_64} not found; run 'make deps' (package qemu-system-x86)"

# kernel_release BZIMAGE: the release string in an x86 boot image's header
# ("HdrS" at 0x202, offset of the version string minus 0x200 at 0x20e).
kernel_release() {
	local magic off
	magic=$(dd if="$1" bs=1 skip=514 count=4 status=none 2>/dev/null) || return 1
	[ "$magic" = HdrS ] || return 1
	off=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ') || return 1
	dd if="$1" bs=1 skip=$((off + 512)) count=128 status=none | tr '\0' ' ' | cut -d' ' -f1
}

# Kernel: -k, $SPIREC_VM_KERNEL, else the newest installed Debian 6.1 one.
kernel_given=${kernel:+1}
if [ -z "$kernel" ]; then
	kernels=(/boot/vmlinuz-6.1*)
	[ -e "${kernels[0]}" ] ||
		die "no /boot/vmlinuz-6.1*; run 'make deps' (package linux-image-amd64) or pass -k VMLINUZ"
	kernel=$(printf '%s\n' "${kernels[@]}" | sort -V | tail -n 1)
fi
[ -r "$kernel" ] || die "kernel $kernel not readable; run 'make deps' or pass -k VMLINUZ"
kver=$(kernel_release "$kernel" || true)
if [ -z "$kver" ]; then
	case "${kernel##*/}" in
	vmlinuz-*) kver=${kernel##*/vmlinuz-} ;;
	*) die "$kernel: not an x86 kernel image (bzImage) with a version" ;;
	esac
fi
# SPIREC_VM_MODROOT: a directory whose lib/modules/<kver> holds the kernel's
# modules (e.g. a linux-image package unpacked with dpkg-deb -x); the guest
# sees its lib/modules as /lib/modules. Default: the host's own.
modroot=${SPIREC_VM_MODROOT:-/}
if [ "$modroot" != / ]; then
	[ -d "$modroot/lib/modules/$kver" ] ||
		die "SPIREC_VM_MODROOT=$modroot has no lib/modules/$kver"
	modroot=$(realpath "$modroot")
fi
# A kernel of one's own (-k) may have the virtio/9p drivers built in and no
# modules installed; an installed one must have its modules.
if [ ! -d "$modroot/lib/modules/$kver" ]; then
	[ -n "$kernel_given" ] ||
		die "/lib/modules/$kver missing; run 'make deps' (kernel $kernel)"
	echo "$prog: no /lib/modules/$kver: the guest gets no modules, virtio-pci and 9p must be built in" >&2
fi

# The initramfs depends only on the kernel and on these scripts: build it
# once per combination and keep it (QEMU reads it at start only).
if [ -n "${SPIREC_VM_CACHE:-}" ]; then
	cache=$SPIREC_VM_CACHE
elif mkdir -p /var/cache/spirec/vm 2>/dev/null && [ -w /var/cache/spirec/vm ]; then
	cache=/var/cache/spirec/vm
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/spirec/vm
fi
key=$( (cat "$here/build-initramfs" "$here/stage1-init" "$here/guest-init" \
	"$(command -v busybox || echo /dev/null)"; echo "$modroot") |
	sha256sum | cut -c1-16)
initrd=$cache/initramfs-$kver-$key.cpio.gz
if [ ! -s "$initrd" ]; then
	# (set -e does not apply in an if's condition: each step is checked)
	if ! mkdir -p "$cache" || ! (
		flock 9 || exit 1
		[ ! -s "$initrd" ] || exit 0
		echo "$prog: building $initrd" >&2
		"$here/build-initramfs" "$kver" "$initrd.tmp.$$" "$modroot" &&
			mv "$initrd.tmp.$$" "$initrd" || exit 1
		# Versions nobody used for a day are dropped (each run touches
		# its own).
		find "$cache" -maxdepth 1 -name 'initramfs-*.cpio.gz' \
			! -name "${initrd##*/}" -mmin +1440 -delete || true
	) 9>"$cache/.lock"; then
		rm -f "$initrd.tmp.$$"
		echo "$prog: no initramfs in the cache $cache; one for this run only" >&2
		initrd=
	fi
fi

if [ -z "$outdir" ]; then
	outdir=$(mktemp -d "${TMPDIR:-/tmp}/spirec-vm.XXXXXX")
fi
mkdir -p "$outdir"
outdir=$(realpath "$outdir")
rm -rf "$outdir/.vm"
rm -f "$outdir"/{rc,dmesg.log,console.log,kmemleak.log,stdout,stderr,uname,qemu.log}
mkdir "$outdir/.vm"
: >"$outdir/stdout"
: >"$outdir/stderr"

# QEMU gets this run's own link (or copy) of the initramfs: the cache's
# file may be replaced or dropped while the guest starts.
run_initrd=$outdir/.vm/initramfs.cpio.gz
if [ -n "$initrd" ] &&
	{ ln "$initrd" "$run_initrd" 2>/dev/null || cp "$initrd" "$run_initrd"; }; then
	touch -c "$initrd" 2>/dev/null || true
else
	"$here/build-initramfs" "$kver" "$run_initrd" "$modroot" ||
		die "building the initramfs for $kver failed (see above)"
fi

# The guest stops the script a little before QEMU gets killed, so that the
# kernel log still comes out.
if [ -n "${SPIREC_VM_GUEST_TIMEOUT:-}" ]; then
	guest_timeout=$SPIREC_VM_GUEST_TIMEOUT
elif [ "$timeout" -ge 120 ]; then
	guest_timeout=$((timeout - 30))
else
	guest_timeout=$((timeout * 3 / 4))
fi

# quote WORD: WORD as one single-quoted sh word.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# The job for guest-init: script, arguments, environment, and host paths
# the guest's tmpfs on /tmp, /run, /var, /mnt would hide.
{
	echo "SPIREC_VM_SCRIPT=$(quote "$script")"
	echo "SPIREC_VM_GUEST_TIMEOUT=$guest_timeout"
	printf 'set --'
	for a in "$@"; do printf ' %s' "$(quote "$a")"; done
	echo
	while IFS= read -r -d '' var; do
		name=${var%%=*}
		case "$name" in
		SPIREC_VM_*|SPIREC_OUT) continue ;;
		esac
		[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
		echo "export $name=$(quote "${var#*=}")"
	done < <(env -0 | grep -z '^SPIREC_' || true)
	[ "$modroot" = / ] || echo "vm_modules $(quote "$modroot/lib/modules")"
	top=$(cd "$here/../.." && pwd)
	for p in "$top" "$(dirname "$script")"; do
		case "$p/" in
		/tmp/*|/run/*|/var/*|/mnt/*) echo "vm_bind $(quote "$p")" ;;
		esac
	done
} >"$outdir/.vm/job"

qemu_pid=
cleanup() {
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill "$qemu_pid" 2>/dev/null || true
		sleep 1
		kill -9 "$qemu_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

# At most SPIREC_VM_SLOTS guests (default: one per host CPU) run at a time
# on this machine; the others wait here, before their time-out starts.
slots=${SPIREC_VM_SLOTS:-$(nproc)}
[[ $slots =~ ^[1-9][0-9]*$ ]] || die "bad SPIREC_VM_SLOTS '$slots'"
slotdir=${TMPDIR:-/tmp}/spirec-vm-slots
mkdir -p "$slotdir" 2>/dev/null || true
waited=0
while :; do
	for ((i = 0; i < slots; i++)); do
		exec 8>>"$slotdir/$i" || continue
		if flock -n 8; then
			break 2
		fi
		exec 8>&-
	done
	[ $waited = 1 ] || echo "$prog: waiting for one of $slots VM slots" >&2
	waited=1
	sleep 1
done

accel=(-accel tcg)
if [ -n "${SPIREC_VM_ICOUNT:-}" ]; then
	# (icount needs single-threaded TCG)
	accel=(-accel "tcg,thread=single" -icount "$SPIREC_VM_ICOUNT")
fi

# relay: the script's output as it comes (relayed: bytes done so far).
declare -A relayed
relay() {
	local f size sizes
	sizes=$(stat -c %s "$outdir/stdout" "$outdir/stderr" 2>/dev/null) || return 0
	for f in stdout stderr; do
		size=${sizes%%$'\n'*}
		sizes=${sizes#*$'\n'}
		[ "$size" -gt "${relayed[$f]}" ] || continue
		if [ $f = stdout ]; then
			copy_range "$outdir/$f" "${relayed[$f]}" "$size" || true
		else
			copy_range "$outdir/$f" "${relayed[$f]}" "$size" >&2 || true
		fi
		relayed[$f]=$size
	done
}
# copy_range FILE FROM TO: bytes [FROM, TO) of FILE to stdout.
copy_range() {
	dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count=$(($3 - $2)) \
		bs=64K status=none
}

# A guest whose kernel dies while booting, before guest-init (PID 1 of the
# test) has started, ran nothing of ours: no module, no script. It boots
# once more, and says so (seen: Debian's 6.12 hitting a stale int3 of its
# own boot-time text patching under TCG, 1 boot in some 40). A crash once
# guest-init runs is the test's and fails it.
attempt=1
while :; do
	SECONDS=0
	"$qemu" \
		-nodefaults -nographic -no-reboot -monitor none \
		"${accel[@]}" -cpu max -smp "$smp" -m "$mem" \
		-kernel "$kernel" -initrd "$run_initrd" \
		-append "console=ttyS0 panic=-1 no_timer_check log_buf_len=8M printk.devkmsg=on rdinit=/init${SPIREC_VM_APPEND:+ $SPIREC_VM_APPEND}" \
		-serial "file:$outdir/console.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		-fsdev local,id=out,path="$outdir",security_model=none,multidevs=remap \
		-device virtio-9p-pci,fsdev=out,mount_tag=out \
		</dev/null >"$outdir/.vm/qemu.log" 2>&1 &
	qemu_pid=$!

	# Relay the script's output as it comes; stop at the time-out.
	relayed=([stdout]=0 [stderr]=0)
	timed_out=0
	while kill -0 "$qemu_pid" 2>/dev/null; do
		relay
		if [ $SECONDS -ge "$timeout" ]; then
			timed_out=1
			cleanup
			break
		fi
		sleep 0.5
	done
	qemu_rc=0
	wait "$qemu_pid" || qemu_rc=$?
	qemu_pid=
	relay
	if [ $timed_out = 0 ] && [ ! -s "$outdir/rc" ] && [ $attempt = 1 ] &&
		! grep -q 'spirec-vm: .*guest-init started' "$outdir/console.log" 2>/dev/null; then
		mv -f "$outdir/console.log" "$outdir/console.boot1.log"
		echo "$prog: the guest kernel died while booting, before guest-init started; booting once more (first console: $outdir/console.boot1.log, its tail:)" >&2
		tail -n 12 "$outdir/console.boot1.log" | sed 's/^/  /' >&2
		rm -f "$outdir"/{rc,dmesg.log,kmemleak.log,stderr,uname,qemu.log}
		: >"$outdir/stdout"
		attempt=2
		continue
	fi
	break
done
elapsed=$SECONDS

fail=0
if [ $timed_out = 1 ]; then
	echo "$prog: time-out after ${timeout}s, QEMU killed (console: $outdir/console.log)" >&2
	fail=1
elif [ ! -s "$outdir/rc" ]; then
	echo "$prog: the guest stopped without finishing the script (QEMU status $qemu_rc); console tail:" >&2
	tail -n 30 "$outdir/console.log" 2>/dev/null | sed 's/^/  /' >&2
	sed 's/^/  qemu: /' "$outdir/.vm/qemu.log" >&2
	fail=1
fi
rc=$(cat "$outdir/rc" 2>/dev/null || echo 1)
[[ $rc =~ ^[0-9]+$ ]] || rc=1

# The guest's own kernel log, else what the console caught of it.
log=$outdir/dmesg.log
[ -s "$log" ] || log=$outdir/console.log
if ! "$here/scan-kernel-log" "$log" ${outdir:+"$outdir/kmemleak.log"} >"$outdir/.vm/scan" 2>&1; then
	echo "$prog: the guest kernel log reports problems:" >&2
	sed 's/^/  /' "$outdir/.vm/scan" >&2
	fail=1
fi

if [ -s "$outdir/rc" ]; then
	status="script exit $rc"
else
	status="script did not finish"
fi
echo "$prog: kernel $kver, ${elapsed}s, $status, logs in $outdir" >&2
if [ "$rc" != 0 ]; then
	exit "$rc"
fi
[ $fail = 0 ] || exit 1
exit 0
