#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# blackhole.sh: the black hole of the Router A / Router B scenario
# (selftests/e2e/run.sh) without spirecd, with action ikev2 and with action
# vici, with action ikev1 over an IKEv1 tunnel (e2e case 19), and with
# action ikev2 again while spirec-flood attacks Router B
# (random SPIs from random spoofed sources, known_peers_only = yes; see
# blackhole-vm.sh), BENCH_RUNS times (default 5), each run in one VM boot
# (quiet and flood side by side, their order alternating), and prints the
# medians as
#   blackhole_s_baseline: N   (capped at the BASELINE_WAIT s it waits)
#   blackhole_s_ikev2: N
#   blackhole_s_vici: N
#   blackhole_s_ikev1: N
#   blackhole_s_ikev2_under_flood: N
# plus one line per run. Durations are in seconds, from the first lost
# ping to the first answered one (pings every 100 ms); under the flood,
# the longest run of lost pings (the flood costs a ping now and then). A
# run in which a case fails counts as missing; any missing value makes the
# script fail.
# BENCH_ATTACK_RATE: packets per second of the attack (default: as fast
# as the sender goes).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${BENCH_RUNS:-5}
wait_s=${BENCH_BASELINE_WAIT:-60}
out=${BENCH_OUT:-$top/.bench/blackhole}
mkdir -p "$out"

declare -a base ikev2 vici ikev1 ikev2_ready vici_ready flood flood_pps
# ms_of CASE FILE: the case's black hole in ms ("" when not measured).
ms_of() {
	sed -n "s/^$1: black hole \([0-9]*\) ms.*/\1/p" "$2" | head -n1
}
# ready_of CASE FILE: ms from Router B's charon being ready to traffic.
ready_of() {
	sed -n "s/^$1: black hole .*traffic back \([0-9]*\) ms after it was ready.*/\1/p" "$2" | head -n1
}
for i in $(seq 1 "$runs"); do
	dir=$out/run$i
	rm -rf "$dir"
	order=quiet-first
	[ $((i % 2)) = 0 ] && order=flood-first
	SPIREC_E2E_BASELINE_WAIT=$wait_s SPIREC_BENCH_ORDER=$order \
		SPIREC_BENCH_ATTACK_RATE=${BENCH_ATTACK_RATE:-} \
		"$top/selftests/vm/vm.sh" -o "$dir" -t "${BENCH_VM_TIMEOUT:-1500}" \
		"$here/blackhole-vm.sh" >"$out/run$i.log" 2>&1
	res=$dir/quiet/e2e-results.txt
	if [ -f "$res" ]; then
		if grep -q "^baseline.*still black-holed after $wait_s s" "$res"; then
			base+=("$((wait_s * 1000))")
		else
			b=$(ms_of "baseline[^:]*" "$res"); [ -n "$b" ] && base+=("$b")
		fi
		k=$(ms_of ikev2 "$res"); [ -n "$k" ] && ikev2+=("$k")
		v=$(ms_of vici "$res"); [ -n "$v" ] && vici+=("$v")
		o=$(ms_of ikev1-heal "$res"); [ -n "$o" ] && ikev1+=("$o")
		r=$(ready_of ikev2 "$res"); [ -n "$r" ] && ikev2_ready+=("$r")
		r=$(ready_of vici "$res"); [ -n "$r" ] && vici_ready+=("$r")
	else
		echo "# run $i: no quiet results, see $out/run$i.log"
	fi
	f= p=
	if [ -f "$dir/flood/e2e-results.txt" ]; then
		# Healed (run.sh's verdict), measured as the longest run of lost
		# pings (blackhole-vm.sh: the flood costs pings before the loss too).
		f=$(ms_of ikev2 "$dir/flood/e2e-results.txt")
		[ -n "$f" ] && f=$(sed -n 's/.*, \([0-9]*\) ms$/\1/p' "$dir/flood/longest-gap.txt" 2>/dev/null)
		[ -n "$f" ] && flood+=("$f")
		p=$(sed -n 's/.* pps \([0-9]*\).*/\1/p' "$dir/flood/attack.txt" 2>/dev/null | head -n1)
		[ -n "$p" ] && flood_pps+=("$p")
	else
		echo "# run $i: no flood results, see $out/run$i.log"
	fi
	echo "# run $i ($order): baseline ${base[-1]:-?} ms, ikev2 ${k:-?} ms, vici ${v:-?} ms, ikev1 ${o:-?} ms, ikev2 under flood ${f:-?} ms (flood ${p:-?} pps)"
	k= v= o=
done

# median MS...: the median in seconds with one decimal.
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit 1
		      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.1f\n", m / 1000 }'
}
rc=0
for name in baseline ikev2 vici ikev1 ikev2_under_flood; do
	declare -n arr=$name
	[ "$name" = baseline ] && declare -n arr=base
	[ "$name" = ikev2_under_flood ] && declare -n arr=flood
	if [ "${#arr[@]}" -eq "$runs" ]; then
		echo "blackhole_s_$name: $(median "${arr[@]}")"
	else
		echo "blackhole_s_$name: missing (${#arr[@]} of $runs runs measured)"
		rc=1
	fi
done
# The attack's rate (packets per second sent, median of the runs).
[ "${#flood_pps[@]}" -gt 0 ] && echo "blackhole_flood_pps: $(printf '%s\n' "${flood_pps[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
# Informational: the part of the black hole spirec can act on (Router B's
# charon restart time excluded).
for name in ikev2 vici; do
	declare -n arr=${name}_ready
	[ "${#arr[@]}" -gt 0 ] && echo "blackhole_after_ready_s_$name: $(median "${arr[@]}")"
done
exit $rc
