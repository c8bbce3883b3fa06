# shellcheck shell=bash
# Sourced by selftests/check.sh. The debug kernel (KASAN, UBSAN, lockdep,
# kmemleak, debug objects, KUnit; selftests/vm/debug-kernel): built once and
# cached outside the clone (a cold machine pays the build here), spirec.ko
# built against it in .build/debug, then the net selftests on it, a clean
# kernel log and a clean kmemleak scan.
stage debug-kernel selftests/vm/debug-kernel/build.sh
stage module-debug make module-debug
tap_stage vm-debug selftests/vm/run-selftests-debug
# The leak check itself: a module that leaks must fail a run (one VM).
tap_stage vm-kmemleak selftests/vm/selftest/test-kmemleak
