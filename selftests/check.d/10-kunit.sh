# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Sourced by selftests/check.sh: the KUnit suites of kmod/kunit_*.c in the
# debug kernel, one VM boot; every KUnit test case counts, plus the W=1 and
# sparse build against that kernel and its clean kernel log
# (selftests/kunit/run). Before it, the host-side test of the KTAP
# flattener that makes those lines.
tap_stage kunit-flatten selftests/kunit/test-ktap-flatten
tap_stage kunit selftests/kunit/run
