#!/usr/bin/env bash
# Installs every Debian package that spirec's build and tests need.
# Idempotent: packages already present are left alone.
set -euo pipefail

pkgs=(
	# build
	build-essential pkg-config bc flex bison libelf-dev
	linux-headers-amd64 sparse
	libmnl-dev libssl-dev libcmocka-dev clang
	# VM test bed
	linux-image-amd64 qemu-system-x86 busybox-static kmod cpio
	iproute2 iputils-ping python3-yaml iperf3 ethtool nftables
	python3-docutils  # Documentation/*.rst check
	# e2e case 18: systemd as PID 1 of a container in the VM
	systemd util-linux
	# IKE peer
	strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
	# libreswan's pluto, unpacked below (not installed): its libraries
	libldns3 libevent-pthreads-2.1-7 libnss3-tools
	# debug kernel (KUnit, KASAN, lockdep, kmemleak)
	linux-source-6.1 xz-utils
	# kernel matrix: Debian backports kernel headers build modules with pahole
	dwarves
	# packaging
	dkms debhelper dh-dkms dpkg-dev fakeroot lintian openssl
)

# libreswan conflicts with the strongSwan packages: its .deb is only
# unpacked, under .deps/libreswan/root of this tree (a path the test VM
# sees), for userspace/ike/tests/interop-libreswan-v1.sh.
top=$(cd "$(dirname "$0")/.." && pwd)
libreswan_unpack() {
	local dir=$top/.deps/libreswan
	[ -x "$dir/root/usr/libexec/ipsec/pluto" ] && return 0
	mkdir -p "$dir"
	(cd "$dir" && rm -f libreswan_*.deb && apt-get download libreswan &&
		dpkg -x libreswan_*.deb root) ||
		echo "deps: could not unpack libreswan (interop-libreswan-v1.sh will skip)"
}

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
	libreswan_unpack
	exit 0
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
libreswan_unpack
