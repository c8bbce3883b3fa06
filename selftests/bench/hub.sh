#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# hub.sh: a hub and HUB_N spokes (default 100) lose their tunnels at once
# (selftests/e2e/lib-hub.sh: the hub's charon killed, its SAs and
# policies flushed, charon restarted; the spokes are one charon holding
# HUB_N addresses, one trap tunnel each, every spoke pinging through it).
# Runs e2e cases 27 (spirecd, action ikev2), 28 (action vici) and 29 (no
# spirecd) BENCH_RUNS times (default 1), one VM boot per run, and prints
# the medians over the runs as
#   hub_recovered_s_N<N>_ikev2: S   from the hub's charon ready (its
#                                   connections loaded) to the last
#                                   spoke's first answered ping
#   hub_first_s_N<N>_ikev2: S       the same for the first spoke
#   hub_median_s_N<N>_ikev2: S      and for the median spoke
#   hub_within60_N<N>_ikev2: K      spokes recovered within 60 s of it
#   (the same four for _vici)
#   hub_reference_s_N<N>: S         the hub's charon setting up all HUB_N
#                                   tunnels itself from nothing (every
#                                   CHILD SA initiated at once over VICI,
#                                   until its kernel holds all 2 N ESP
#                                   SAs; measured at each case's set-up)
#   hub_ratio_N<N>_ikev2: R         recovered / reference (also _vici)
#   hub_within60_N<N>_baseline: K   spokes back within 60 s without
#                                   spirecd (expect 0)
# plus one line per case and run. A spoke that never recovered leaves
# hub_recovered_s "missing" (the within-60-s count still says how many
# did). Each spoke pings every SPIREC_HUB_PING_INTERVAL s (0.5 above 20
# spokes): the recovery times are late by up to that much.
# BENCH_HUB_WORKERS: spirecd's workers (default: spirecd's, 16);
# BENCH_HUB_HEAL_WAIT: seconds to wait for every spoke (default 300);
# BENCH_HUB_CASES: the cases (default "27 28 29"); BENCH_OUT, BENCH_VM_TIMEOUT.
set -uo pipefail
n=${HUB_N:-100}
runs=${BENCH_RUNS:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${BENCH_OUT:-$top/.bench/hub}
mkdir -p "$out"

# field NAME KEY FILE: KEY=VALUE of the results line "NAME: ...".
field() { sed -n "s/^$1: .* $2=\([^ ]*\).*/\1/p" "$3" | head -n1; }

declare -a ref
declare -A vals
[ -z "${BENCH_HUB_WORKERS:-}" ] || export SPIREC_HUB_WORKERS=$BENCH_HUB_WORKERS
for i in $(seq 1 "$runs"); do
	dir=$out/run$i
	rm -rf "$dir"
	SPIREC_HUB_N=$n SPIREC_E2E_ONLY=${BENCH_HUB_CASES:-27 28 29} \
		SPIREC_E2E_BASELINE_WAIT=60 SPIREC_E2E_OUT=$dir \
		SPIREC_HUB_HEAL_WAIT=${BENCH_HUB_HEAL_WAIT:-300} \
		SPIREC_E2E_VM_TIMEOUT="${BENCH_VM_TIMEOUT:-3600}" \
		"$top/selftests/e2e/run.sh" > "$out/run$i.log" 2>&1
	res=$dir/e2e-results.txt
	[ -f "$res" ] || { echo "# run $i: no results, see $out/run$i.log"; continue; }
	for c in ikev2 vici baseline; do
		r=$(field "hub-$c" reference_ms "$res")
		[ -n "$r" ] && ref+=("$r")
		line=$(grep "^hub-$c: " "$res" | head -n1)
		[ -n "$line" ] && echo "# run $i: $line"
		for k in first_ms median_ms last_ms within60; do
			v=$(field "hub-$c" "$k" "$res")
			[ -n "$v" ] && [ "$v" != - ] && vals[$c.$k]+="$v "
		done
	done
	grep "^not ok" "$out/run$i.log" | sed "s/^/# run $i: /"
done

# median V...: the median of the numbers.
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit 1
		      print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# s MS: seconds with one decimal.
s() { awk -v m="$1" 'BEGIN { printf "%.1f\n", m / 1000 }'; }

rc=0
refm=
if [ "${#ref[@]}" -gt 0 ]; then
	refm=$(median "${ref[@]}")
	echo "hub_reference_s_N$n: $(s "$refm")"
else
	echo "hub_reference_s_N$n: missing"
	rc=1
fi
for c in ikev2 vici; do
	# shellcheck disable=SC2086 # the lists are numbers
	for k in last_ms:recovered first_ms:first median_ms:median; do
		v=${vals[$c.${k%%:*}]:-}
		if [ -n "$v" ]; then
			echo "hub_${k#*:}_s_N${n}_$c: $(s "$(median $v)")"
		else
			echo "hub_${k#*:}_s_N${n}_$c: missing"
			rc=1
		fi
	done
	v=${vals[$c.within60]:-}
	# shellcheck disable=SC2086
	echo "hub_within60_N${n}_$c: $([ -n "$v" ] && median $v || echo missing)"
	v=${vals[$c.last_ms]:-}
	# shellcheck disable=SC2086
	[ -n "$v" ] && [ -n "$refm" ] &&
		echo "hub_ratio_N${n}_$c: $(awk -v a="$(median $v)" -v b="$refm" 'BEGIN { printf "%.2f\n", a / b }')"
done
v=${vals[baseline.within60]:-}
# shellcheck disable=SC2086
echo "hub_within60_N${n}_baseline: $([ -n "$v" ] && median $v || echo missing)"
exit $rc
