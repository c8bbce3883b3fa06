#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# spoof.sh: what spoofed packets cost a healthy tunnel. Runs the e2e case
# "spoofed while healthy, action ikev2" (selftests/e2e/run.sh case 9: a
# third host on the WAN sends ESP and AH with Router A's IPv4 and IPv6
# addresses and random SPIs to Router B, 5 bursts over 10 s, spirecd on
# Router B with action ikev2) in one VM boot and prints
#   spoof_teardowns: N
# the IKE SAs of Router A destroyed by the spoofed packets (the case's
# own count, from Router A's charon log and its IKE SAs before and after).
# It must be 0: the script fails otherwise, and when the figure is missing.
# The case's own verdict (KTAP) and logs: $BENCH_OUT (.bench/spoof).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${BENCH_OUT:-$top/.bench/spoof}
mkdir -p "$out"
rm -f "$out/e2e-results.txt"
SPIREC_E2E_CASES=9 SPIREC_E2E_OUT=$out SPIREC_E2E_VM_TIMEOUT=${BENCH_VM_TIMEOUT:-900} \
	"$top/selftests/e2e/run.sh" > "$out/run.log" 2>&1
# spoof_teardowns FILE: the figure from run.sh's results line.
spoof_teardowns() {
	sed -n 's/^spoof ikev2: \([0-9][0-9]*\) IKE SAs of Router A destroyed.*/\1/p' "$1" 2>/dev/null | head -n1
}
n=$(spoof_teardowns "$out/e2e-results.txt")
grep "^not ok" "$out/run.log" | sed 's/^/# /'
if [ -z "$n" ]; then
	echo "spoof_teardowns: missing (see $out/run.log)"
	exit 1
fi
echo "spoof_teardowns: $n"
[ "$n" = 0 ]
