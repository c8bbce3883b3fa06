#!/usr/bin/env bash
# Builds (once) the spirec debug kernel from Debian's linux-source-6.1:
# allnoconfig + debug.config (KUnit, KASAN, UBSAN, lockdep, kmemleak, debug
# objects, lockup detectors, everything the VM and the tests need built in).
#
# The build lives outside the clone, keyed by the source package version and
# a hash of debug.config:
#   ${SPIREC_CACHE:-/var/cache/spirec}/kernel/<version>-<hash>/
# and a warm run only prints the path. Output (stdout, last line): the build
# directory; bzImage is <dir>/arch/x86/boot/bzImage and <dir> is a KDIR for
# out-of-tree modules.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SPIREC_CACHE:-/var/cache/spirec}/kernel
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [ -z "$tarball" ]; then
	echo "debug-kernel: /usr/src/linux-source-6.1.tar.xz missing: run 'make deps'" >&2
	exit 1
fi
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
hash=$(sha256sum <"$here/debug.config" | cut -c1-12)
dir=$cache/$version-$hash
# "built" is written once the whole build succeeded (a kernel being built
# already has its bzImage and Module.symvers before make is done).
if [ -f "$dir/built" ]; then
	echo "$dir/build"
	exit 0
fi

log=$cache/build-$version-$hash.log
mkdir -p "$cache"
# One kernel build at a time on this machine: a second caller waits for
# the first one and then finds the result.
exec 9>>"$cache/.build.lock"
if ! flock -n 9; then
	echo "debug-kernel: waiting for another kernel build (lock $cache/.build.lock)" >&2
	flock 9
fi
if [ -f "$dir/built" ]; then
	echo "$dir/build"
	exit 0
fi
echo "debug-kernel: building linux-source $version ($hash), log: $log" >&2
# A build that was interrupted resumes: the configured tree is kept (stamp).
if [ ! -f "$dir/configured" ]; then
	rm -rf "$dir" && mkdir -p "$dir/src" "$dir/build"
	{
		tar -C "$dir/src" --strip-components=1 -xf "$tarball"
		cd "$dir/src"
		# The fragment's values are fixed first, the rest is "no".
		make O="$dir/build" ARCH=x86_64 KCONFIG_ALLCONFIG="$here/debug.config" allnoconfig
		make O="$dir/build" ARCH=x86_64 olddefconfig
	} >"$log" 2>&1
fi

# Every option the fragment sets must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx "$line" "$dir/build/.config" || { echo "debug-kernel: not set: $line" >&2; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		grep -q "^$opt=" "$dir/build/.config" && { echo "debug-kernel: still set: $opt" >&2; missing=1; } ;;
	esac
done <"$here/debug.config"
[ $missing -eq 0 ] || { echo "debug-kernel: config fragment not applied, see $dir/build/.config" >&2; exit 1; }
touch "$dir/configured"

jobs=${SPIREC_KERNEL_JOBS:-$(nproc)}
if ! (cd "$dir/src" && make O="$dir/build" ARCH=x86_64 -j"$jobs" all) >>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	echo "debug-kernel: build failed, log: $log" >&2
	exit 1
fi
if [ ! -f "$dir/build/arch/x86/boot/bzImage" ] || [ ! -f "$dir/build/Module.symvers" ]; then
	echo "debug-kernel: the build made no bzImage or Module.symvers, log: $log" >&2
	exit 1
fi
touch "$dir/built"
echo "$dir/build"
