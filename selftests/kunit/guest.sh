#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh KO: runs in the VM (selftests/kunit/run). Loading KO runs its
# KUnit suites (insmod returns when they are done); the kernel log from a
# marker on, which holds their KTAP, goes to $SPIREC_OUT/kunit.log. The
# module is unloaded again so that its exit path and kmemleak are checked.
set -u
ko=$1
out=${SPIREC_OUT:-/out}

[ -r /proc/sys/kernel/tainted ] && echo "# tainted before: $(cat /proc/sys/kernel/tainted)"
echo "spirec-kunit: loading $ko" >/dev/kmsg
rc=0
if ! insmod "$ko"; then
	echo "# insmod $ko failed"
	rc=1
fi
echo "spirec-kunit: loaded" >/dev/kmsg
grep -q '^spirec_kunit ' /proc/modules && { rmmod spirec_kunit || rc=1; }

# util-linux dmesg decodes /dev/kmsg's escapes (multi-line messages);
# busybox's prints timestamps, which are cut off.
if dmesg --notime >/dev/null 2>&1; then
	dmesg --notime
else
	dmesg | sed -e 's/^\[[^]]*\] //'
fi | sed -n '/^spirec-kunit: loading /,$p' >"$out/kunit.log"
exit $rc
