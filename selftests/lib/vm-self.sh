# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vm-self.sh: for a test script that runs itself in the test VM
# (selftests/e2e/run.sh, selftests/faults/run.sh). Sourcing it defines
# only.

# in_vm OUTDIR TIMEOUT_S SCRIPT ARGS...: on the host (SPIREC_OUT unset),
# this shell becomes vm.sh booting the test VM to run SCRIPT ARGS there,
# with OUTDIR (made here) as its /out and the time-out TIMEOUT_S; in the
# guest, nothing.
in_vm() {
	[ -n "${SPIREC_OUT:-}" ] && return 0
	mkdir -p "$1"
	exec "$(dirname "${BASH_SOURCE[0]}")/../vm/vm.sh" -o "$1" -t "$2" "${@:3}"
}
