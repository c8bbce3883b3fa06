# shellcheck shell=bash
# Sourced by selftests/check.sh: e2e cases 13 and later (the re-key storm,
# VTI, transport mode, NAT, IKEv1, libreswan, systemd) in a guest of their
# own, beside the other stages; cases 1-12 are check.sh's e2e stage.
SPIREC_E2E_OUT=$logdir/e2e-b \
	SPIREC_E2E_ONLY="$(seq 13 "$(sed -n 's/^NCASES=//p' selftests/e2e/run.sh)")" \
	tap_stage e2e-b selftests/e2e/run.sh
