#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The smallest guest job: prints where it runs and exits with $1 (default 0).
echo "hello from $(uname -r) in $(pwd) as $(id -un), out=$SPIREC_OUT"
echo "to stderr" >&2
exit "${1:-0}"
