#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job: prints its environment as the test bed sets it up, one item a
# line, then each argument on a line of its own.
echo "cwd=$(pwd)"
echo "out=$SPIREC_OUT"
echo "var=${SPIREC_SELFTEST_VAR-unset}"
echo "hostname=$(cat /proc/sys/kernel/hostname)"
echo "panic_on_warn=$(cat /proc/sys/kernel/panic_on_warn)"
for a in "$@"; do
	echo "arg=$a"
done
