# shellcheck shell=bash
# Sourced by selftests/check.sh: e2e cases 13 and later (the re-key storm,
# VTI, transport mode, NAT, IKEv1, libreswan, systemd, several routing
# domains, the hub with 4 spokes) in a guest of their own, beside the
# other stages; cases 1-12 are check.sh's e2e stage. Case
# 23 (pluto 4.10 healed by ikev2 only after its 60 s retransmission
# time-out, 2 minutes of waiting) is make bench-pluto's, not make check's.
e2e_b_cases() {
	local n last
	last=$(sed -n 's/^NCASES=//p' selftests/e2e/run.sh)
	for ((n = 13; n <= last; n++)); do
		[ "$n" = 23 ] || echo "$n"
	done
	# The hub with action ikev2 and 4 spokes (lib-hub.sh's default); its
	# vici and baseline cases and 100 spokes are make bench-hub's.
	echo 27
}
SPIREC_E2E_OUT=$logdir/e2e-b SPIREC_E2E_ONLY="$(e2e_b_cases)" \
	tap_stage e2e-b selftests/e2e/run.sh
