# shellcheck shell=bash
# Sourced by selftests/check.sh: the fault tests (selftests/faults/run.sh),
# five cases on the Router A / Router B scenario in one VM boot. vm.sh
# fails the stage if the guest's kernel log has an oops, WARN, KASAN, ...
SPIREC_FAULTS_OUT=$logdir/faults tap_stage faults selftests/faults/run.sh
