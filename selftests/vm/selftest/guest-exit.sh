#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The smallest guest job: one line to stdout, one to stderr, exit $1 (default 0).
echo "hello from $(uname -r)"
echo "to stderr" >&2
exit "${1:-0}"
