# SPDX-License-Identifier: GPL-2.0
#
# make kunit: the KUnit suites of kmod/kunit_*.c (spirec_kunit.ko) in the
# debug kernel, booted once in QEMU. Prints TAP, one line per test case;
# fails on any failure or kernel log report. See selftests/kunit/run.
.PHONY: kunit
kunit:
	selftests/kunit/run
