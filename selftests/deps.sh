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
	# debug kernel (KUnit, KASAN, lockdep, kmemleak)
	linux-source-6.1 xz-utils
	# kernel matrix: Debian backports kernel headers build modules with pahole
	dwarves
	# packaging
	dkms debhelper dh-dkms dpkg-dev fakeroot lintian openssl
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
