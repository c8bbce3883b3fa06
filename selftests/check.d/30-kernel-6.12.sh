# shellcheck shell=bash
# Sourced by selftests/check.sh. Kernel matrix: Debian's 6.12 kernel from
# the backports suite (fetched once through a private apt list, cached in
# /var/cache/spirec/kernel/debian-6.12): spirec.ko builds against it with
# W=1 -Werror, and the net selftests pass in a guest booting it.
stage kernel-6.12 selftests/vm/debian-kernel 6.12
stage module-w1-6.12 make module-6.12
tap_stage vm-6.12 selftests/vm/run-selftests-debian 6.12
