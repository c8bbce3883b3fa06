#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job that crashes the guest kernel (sysrq c): for the crash test.
echo crashing
echo c >/proc/sysrq-trigger
