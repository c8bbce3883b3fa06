# shellcheck shell=bash
# Sourced by selftests/check.sh. Kernel matrix: the newest Debian kernel,
# sid's (7.2 at the time of writing; fetched once through a private apt
# list, cached in /var/cache/spirec/kernel/debian-sid, with sid's gcc and a
# build root to build its modules: selftests/vm/debian-kbuild): spirec.ko
# builds against it with W=1 -Werror, and the net selftests pass in a guest
# booting it. The release it booted is in check.sh's closing "tested
# kernels" block (SPIREC_KERNEL_REFRESH=1 make kernel-sid takes sid's
# newest again).
stage kernel-sid selftests/vm/debian-kernel sid
stage module-w1-sid make module-sid
tap_stage vm-sid selftests/vm/run-selftests-debian sid
