#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: runs the kernel's checkpatch.pl (--strict) on kmod/*.[ch].
# checkpatch.pl comes from the first of: $CHECKPATCH, the kernel headers'
# scripts/, or Debian's /usr/src/linux-source-6.1.tar.xz (package
# linux-source-6.1), unpacked once into $SPIREC_CACHE/checkpatch
# (default /var/cache/spirec). Exit status: 0 when checkpatch is silent.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${SPIREC_CACHE:-/var/cache/spirec}/checkpatch
cp=${CHECKPATCH:-}

if [ -z "$cp" ]; then
	for f in /usr/src/linux-headers-*/scripts/checkpatch.pl; do
		[ -f "$f" ] && cp=$f && break
	done
fi
if [ -z "$cp" ]; then
	tarball=/usr/src/linux-source-6.1.tar.xz
	if [ ! -f "$cache/scripts/checkpatch.pl" ]; then
		[ -f "$tarball" ] || {
			echo "checkpatch.sh: no checkpatch.pl and no $tarball (package linux-source-6.1)" >&2
			exit 2
		}
		mkdir -p "$cache"
		tar -C "$cache" --strip-components=1 -xJf "$tarball" \
			linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch
	fi
	cp=$cache/scripts/checkpatch.pl
fi

cd "$here"
set --
for f in ./*.c ./*.h; do
	case $f in
	*.mod.c) ;;
	*) set -- "$@" "$f" ;;
	esac
done
exec perl "$cp" --no-tree --strict --quiet --show-types -f "$@"
