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
	python3-jsonschema  # the kernel's netlink generator validates the spec
	python3-docutils  # Documentation/*.rst check
	# e2e case 21: systemd as PID 1 of a container in the VM
	systemd util-linux
	# IKE peer
	strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
	# libreswan's pluto (e2e cases 20, 22-25, interop-libreswan-v1.sh),
	# unpacked below, not installed: the
	# package conflicts with strongswan-charon/-libcharon/-starter, its
	# libraries do not (apt-get -s install shows no removal)
	libnss3-tools libnss3 libnspr4 libevent-core-2.1-7 libevent-pthreads-2.1-7
	libldns3 libunbound8 libcurl3-nss libcap-ng0 libldap-2.5-0
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
export DEBIAN_FRONTEND=noninteractive
updated=0
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
else
	echo "deps: installing ${missing[*]}"
	apt-get update -q
	updated=1
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# libreswan (pluto) for the e2e interop cases: its .deb, fetched once into
# a cache directory, unpacked with dpkg -x into $LIBRESWAN_DIR/root (the
# guest sees the host's root read-only). Never installed: it would remove
# strongSwan. Idempotent: a matching unpacked tree is left alone.
LIBRESWAN_DIR=${SPIREC_LIBRESWAN_DIR:-/var/cache/spirec/libreswan}
mkdir -p "$LIBRESWAN_DIR"
deb=$(find "$LIBRESWAN_DIR" -maxdepth 1 -name 'libreswan_*.deb' | sort | tail -n 1)
if [ -z "$deb" ]; then
	[ "$updated" = 1 ] || apt-get update -q
	(cd "$LIBRESWAN_DIR" && apt-get download -q libreswan)
	deb=$(find "$LIBRESWAN_DIR" -maxdepth 1 -name 'libreswan_*.deb' | sort | tail -n 1)
	[ -n "$deb" ] || { echo "deps: apt-get download libreswan left no .deb" >&2; exit 1; }
fi
if [ "$(cat "$LIBRESWAN_DIR/root.from" 2>/dev/null)" != "$(basename "$deb")" ] ||
	[ ! -x "$LIBRESWAN_DIR/root/usr/libexec/ipsec/pluto" ]; then
	rm -rf "$LIBRESWAN_DIR/root"
	dpkg -x "$deb" "$LIBRESWAN_DIR/root"
	basename "$deb" > "$LIBRESWAN_DIR/root.from"
	echo "deps: $(basename "$deb") unpacked into $LIBRESWAN_DIR/root"
else
	echo "deps: $(basename "$deb") already unpacked in $LIBRESWAN_DIR/root"
fi

# The kernel's netlink generator (tools/net/ynl) for make netlink-gen and
# its check: unpacked once from Debian's linux-source-6.12 (selftests/
# netlink-gen --fetch: a private sources list, the .deb deleted after).
"$(dirname "$0")/netlink-gen" --fetch
