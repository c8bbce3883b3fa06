#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kernel.sh: what spirec.ko costs, measured in one VM boot, side by side.
#
#  fast path   TCP throughput (iperf3, BENCH_FP_SECONDS per run) through an
#              ESP transport-mode SA pair (AES-GCM) between two namespaces,
#              spirec.ko not loaded vs loaded and enabled on both ends.
#              BENCH_RUNS pairs, alternating (off,on / on,off / ...), so
#              drift of the shared machine hits both sides alike.
#              fastpath_ratio = the median of the pairs' on/off ratios
#              (a pair's two runs are next to each other in time, so slow
#              phases of the host cancel out); *_ratio_of_medians =
#              median(on) / median(off), for comparison. Then again with
#              esp4_offload/esp6_offload loaded and GRO on the veths
#              (fastpath_gro_ratio).
#  flood       spirec-flood (random SPIs, random spoofed sources, IPv4 and
#              IPv6, ESP and ESP-in-UDP 4500) for BENCH_FLOOD_PAIR_SECONDS
#              per run, BENCH_RUNS pairs alternating as above; packets
#              received per second = XfrmInNoStates of the receiver's
#              netns (every flood packet ends there, module or not).
#              flood_ratio: as for the fast path. Then one attack of
#              BENCH_FLOOD_SECONDS (default 30) with a listener: events per
#              second against net.spirec.global_rate, the peer table's
#              peak against net.spirec.max_peers, slab memory before,
#              at the peak and after rmmod, kmalloc objects left after
#              rmmod.
# Prints "NAME: VALUE" lines (see Documentation/performance.rst). On the
# host it boots the test VM and runs itself there (like e2e/run.sh).
#
# Environment: BENCH_RUNS (5), BENCH_FP_SECONDS (10),
# BENCH_FLOOD_PAIR_SECONDS (10), BENCH_FLOOD_SECONDS (30),
# BENCH_PARTS ("fastpath gro flood known known1000", a subset to run;
# known: the flood ratio again with known_peers_only = 1 and one known
# peer, flood_known_ratio; known1000: the same with 1000 known peers,
# flood_known1000_ratio (the known-peer lookup's cost must not grow with
# the list);
# "flood profile": also perf's profile of a flood, module on),
# BENCH_ICOUNT (QEMU -icount options, default "shift=2,sleep=on": the
# guest's clock counts instructions, so figures do not depend on the
# host's load; one guest CPU; empty: real time, two CPUs),
# BENCH_OUT (host: vm.sh -o directory, default .bench/kernel),
# BENCH_FLOOD_LISTENER (who listens to the events in the flood ratios'
# "on" runs: "stopped", the default, a spirecctl monitor that joined the
# group and was stopped, so events are built and multicast and nothing
# reads them; "read", one that reads and prints them; "none"; see
# listener_start),
# BENCH_KMOD_BASE (another spirec.ko, e.g. an older build: the flood
# ratios are measured in triples off / this build / that one, and
# NAME_base_ratio and NAME_vs_base are printed too).

# shellcheck disable=SC2317 # functions run by the waits (slowwait CMD) look unreachable
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

if [ -z "${SPIREC_OUT:-}" ]; then
	out=${BENCH_OUT:-$top/.bench/kernel}
	mkdir -p "$out"
	# vm.sh passes SPIREC_* into the guest: hand the BENCH_* over.
	export SPIREC_BENCH_RUNS=${BENCH_RUNS:-5}
	export SPIREC_BENCH_FP_SECONDS=${BENCH_FP_SECONDS:-10}
	export SPIREC_BENCH_FLOOD_PAIR_SECONDS=${BENCH_FLOOD_PAIR_SECONDS:-10}
	export SPIREC_BENCH_FLOOD_SECONDS=${BENCH_FLOOD_SECONDS:-30}
	export SPIREC_BENCH_PARTS=${BENCH_PARTS:-fastpath gro flood known known1000}
	export SPIREC_BENCH_LISTENER=${BENCH_FLOOD_LISTENER:-stopped}
	# Virtual time: the guest's clock counts instructions (QEMU -icount),
	# so a throughput measured in the guest depends on what the guest
	# executes, not on the host's load. -icount runs one guest CPU only.
	# BENCH_ICOUNT= (empty) measures in real time on two CPUs instead.
	if [ -n "${BENCH_ICOUNT-shift=2,sleep=on}" ]; then
		export SPIREC_VM_ICOUNT=${BENCH_ICOUNT-shift=2,sleep=on}
		export SPIREC_VM_SMP=1
		export SPIREC_BENCH_TIME="virtual (QEMU -icount $SPIREC_VM_ICOUNT)"
	fi
	# Another build of the module to compare with, in the same boot.
	if [ -n "${BENCH_KMOD_BASE:-}" ]; then
		cp "$BENCH_KMOD_BASE" "$out/base.ko" || exit 1
		export SPIREC_BENCH_KMOD_BASE=/out/base.ko
	fi
	exec "$top/selftests/vm/vm.sh" -o "$out" -t "${BENCH_VM_TIMEOUT:-2400}" "$0" "$@"
fi

# shellcheck source=../net/lib.sh
source "$top/selftests/net/lib.sh"
FLOOD=$top/selftests/tools/build/spirec-flood
RUNS=${SPIREC_BENCH_RUNS:-5}
FP_S=${SPIREC_BENCH_FP_SECONDS:-10}
FLOOD_PAIR_S=${SPIREC_BENCH_FLOOD_PAIR_SECONDS:-10}
FLOOD_S=${SPIREC_BENCH_FLOOD_SECONDS:-30}
PARTS=${SPIREC_BENCH_PARTS:-fastpath gro flood known known1000}

TMP=$(mktemp -d /tmp/spirec-bench.XXXXXX)
trap lib_cleanup EXIT
# Our own copy: the tree's module may be rebuilt while we run.
cp "$KMOD" "$TMP/spirec.ko" && KMOD=$TMP/spirec.ko
KMOD_BASE=${SPIREC_BENCH_KMOD_BASE:-}
LISTENER=${SPIREC_BENCH_LISTENER:-stopped}
case $LISTENER in
stopped | read | none) ;;
*) echo "Bail out! BENCH_FLOOD_LISTENER: stopped, read or none, not '$LISTENER'"; exit 1 ;;
esac

note() { echo "# $*"; }
value() { echo "$1: $2"; echo "$1: $2" >> "$SPIREC_OUT/bench-values.txt"; }

LOADED=
mod_off() {
	[ -d /sys/module/spirec ] || return 0
	rmmod spirec || { note "rmmod spirec failed"; return 1; }
	LOADED=
}

# mod_as KO NS...: the spirec module KO loaded (another build of it
# removed first), enabled in each NS.
mod_as() {
	local ko=$1 ns
	shift
	if [ -d /sys/module/spirec ] && [ "$LOADED" != "$ko" ]; then
		mod_off || return 1
	fi
	if [ ! -d /sys/module/spirec ]; then
		insmod "$ko" || return 1
		LOADED=$ko
	fi
	for ns in "$@"; do sc_set "$ns" enabled 1 || return 1; done
}

# mod_on NS...: the module under test loaded, enabled in each NS.
mod_on() { mod_as "$KMOD" "$@"; }

# median N...: of integers or decimals.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit 1
		      printf "%.6g\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f\n", a / b; else print "nan" }'; }

# order I: "off on" for odd pairs, "on off" for even ones.
order() { if [ $(($1 % 2)) = 1 ]; then echo off on; else echo on off; fi; }

# --- fast path -------------------------------------------------------------

KEY_AB=0x0102030405060708090a0b0c0d0e0f1011121314
KEY_BA=0x1112131415161718191a1b1c1d1e1f2021222324

# sa_pair: transport-mode ESP between 192.0.2.1 (A) and 192.0.2.2 (B), in
# both directions, with policies. Made anew after the offload modules are
# loaded: a state takes its offload type when it is created.
sa_pair() {
	local ns dir
	for ns in "$NS_A" "$NS_B"; do
		ip -n "$ns" xfrm state flush
		ip -n "$ns" xfrm policy flush
		ip -n "$ns" -batch - <<-EOF || return 1
			xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001000 mode transport aead 'rfc4106(gcm(aes))' $KEY_AB 128
			xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x00002000 mode transport aead 'rfc4106(gcm(aes))' $KEY_BA 128
		EOF
	done
	for dir in "$NS_A out 192.0.2.1 192.0.2.2" "$NS_A in 192.0.2.2 192.0.2.1" \
		   "$NS_B out 192.0.2.2 192.0.2.1" "$NS_B in 192.0.2.1 192.0.2.2"; do
		set -- $dir
		ip -n "$1" xfrm policy add src "$3/32" dst "$4/32" dir "$2" \
			tmpl src "$3" dst "$4" proto esp mode transport || return 1
	done
}

# iperf_run: one iperf3 run A -> B; prints Mbit/s received.
iperf_run() {
	in_ns "$NS_A" iperf3 -c 192.0.2.2 -t "$FP_S" -O 1 -J > "$TMP/iperf.json" 2>&1 ||
		{ note "iperf3 failed:"; diag < "$TMP/iperf.json"; return 1; }
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print("%.2f" % (d["end"]["sum_received"]["bits_per_second"] / 1e6))' "$TMP/iperf.json"
}

inspected_b() { json_get inspected "$(ctl "$NS_B" -j stats 2>/dev/null)"; echo "${REPLY:-0}"; }

# fastpath NAME: BENCH_RUNS alternating pairs; NAME_ratio.
fastpath() {
	local name=$1 i leg mbps insp
	local -a off=() on=() pr=()
	for i in $(seq 1 "$RUNS"); do
		for leg in $(order "$i"); do
			if [ "$leg" = on ]; then
				mod_on "$NS_A" "$NS_B" || return 1
			else
				mod_off || return 1
			fi
			mbps=$(iperf_run) || return 1
			insp=-
			[ "$leg" = on ] && insp=$(inspected_b)
			note "$name pair $i $leg: $mbps Mbit/s (ESP packets spirec looked at in B: $insp)"
			if [ "$leg" = on ]; then on+=("$mbps"); else off+=("$mbps"); fi
		done
		pr+=("$(ratio "${on[-1]}" "${off[-1]}")")
	done
	note "$name: on/off of each pair: ${pr[*]}"
	value "${name}_mbps_off" "$(median "${off[@]}")"
	value "${name}_mbps_on" "$(median "${on[@]}")"
	value "${name}_ratio_of_medians" "$(ratio "$(median "${on[@]}")" "$(median "${off[@]}")")"
	value "${name}_ratio" "$(median "${pr[@]}")"
	mod_off
}

iperf_listening() { in_ns "$NS_B" ss -ltn 2>/dev/null | grep -q ':5201'; }

fastpath_setup() {
	modprobe -q esp4 && modprobe -q xfrm_user || { note "no esp4/xfrm_user"; return 1; }
	sa_pair || return 1
	in_ns "$NS_B" iperf3 -s -B 192.0.2.2 > "$TMP/iperf-server.log" 2>&1 &
	bg_add $!
	slowwait 20 iperf_listening || { note "iperf3 -s did not listen"; return 1; }
	# Warm-up (crypto self-tests, ARP, slow start of a cold guest).
	FP_S=2 iperf_run > /dev/null || return 1
	in_ns "$NS_B" ip -s xfrm state list src 192.0.2.1 | grep -q "0x00001000" ||
		{ note "no SA in B"; return 1; }
}

part_fastpath() {
	note "--- fast path: TCP through ESP, $RUNS pairs of $FP_S s"
	fastpath fastpath
}

part_gro() {
	local dev
	note "--- fast path with ESP GRO (esp4_offload, esp6_offload, GRO on the veths)"
	modprobe -q esp4_offload && modprobe -q esp6_offload ||
		{ note "no esp4_offload/esp6_offload modules"; value fastpath_gro_ratio skipped; return 0; }
	# veth hands a packet to GRO (its NAPI) only if the sending device
	# has no TSO: switch it off on both ends.
	in_ns "$NS_A" ethtool -K va gro on tso off || return 1
	in_ns "$NS_B" ethtool -K vb gro on tso off || return 1
	for dev in "$NS_A va" "$NS_B vb"; do
		set -- $dev
		note "$2: $(in_ns "$1" ethtool -k "$2" | grep -E '^(generic-receive-offload|tcp-segmentation-offload|esp-hw-offload)' | tr '\n' ' ')"
	done
	sa_pair || return 1
	FP_S=2 iperf_run > /dev/null || return 1
	fastpath fastpath_gro
	in_ns "$NS_A" ethtool -K va gro off tso on
	in_ns "$NS_B" ethtool -K vb gro off tso on
	sa_pair
}

# --- flood -------------------------------------------------------------------

nostates() { in_ns "$NS_B" awk '$1 == "XfrmInNoStates" { print $2 }' /proc/net/xfrm_stat; }

# nostates_drained: XfrmInNoStates is N1 still (else N1 takes its value).
nostates_drained() {
	local n
	n=$(nostates)
	[ "$n" = "$n1" ] && return 0
	n1=$n
	return 1
}

# flood_run SECONDS: spirec-flood from A to B. Sets SENT_PPS, RECV_PPS.
flood_run() {
	local n0 n1 out ms
	n0=$(nostates)
	out=$(in_ns "$NS_A" "$FLOOD" -4 192.0.2.2 --src4 198.51.100.0/24 \
		-6 2001:db8::2 --src6 2001:db8:1::/64 -t "$1" 2>&1) ||
		{ note "spirec-flood: $out"; return 1; }
	# The last packets still in the receiver's queues: until two reads
	# of the counter agree.
	n1=$(nostates)
	busywait 5000 nostates_drained
	note "spirec-flood: $out"
	ms=$(sed -n 's/.*elapsed_ms \([0-9]*\).*/\1/p' <<<"$out")
	SENT_PPS=$(sed -n 's/.* pps \([0-9]*\).*/\1/p' <<<"$out")
	RECV_PPS=$(( (n1 - n0) * 1000 / (ms > 0 ? ms : 1) ))
}

flood_setup() {
	[ -x "$FLOOD" ] || { note "$FLOOD not built (make -C selftests/tools)"; return 1; }
	modprobe -q esp4 && modprobe -q esp6 && modprobe -q xfrm_user
	encap_sock "$NS_B" 4 && encap_sock "$NS_B" 6 || return 1
	# Warm-up: ARP/ND, the first packets of each kind.
	flood_run 1 > /dev/null
}

# part_profile: where a flood packet's time goes, module on: perf's
# cpu-clock samples of the whole guest during one flood run, the top
# symbols as notes. Real time only (BENCH_ICOUNT=).
part_profile() {
	local perf_pid
	note "--- profile: perf record -e cpu-clock during a $FLOOD_PAIR_S s flood, module on"
	command -v perf > /dev/null || { note "no perf (linux-perf)"; return 0; }
	if [ -n "${SPIREC_BENCH_TIME:-}" ]; then
		# (seen: a busy loop of 3 s sampled as 99.5 % idle)
		note "skipped: under -icount perf's cpu-clock samples land in the idle loop; BENCH_ICOUNT= profiles in real time"
		return 0
	fi
	echo -1 > /proc/sys/kernel/perf_event_paranoid
	echo 0 > /proc/sys/kernel/kptr_restrict
	mod_on "$NS_B" || return 1
	# (a background job ignores SIGINT: perf records for a fixed time,
	# inside the flood's)
	perf record -q -a -e cpu-clock -F 1000 -o "$TMP/perf.data" \
		-- sleep $((FLOOD_PAIR_S - 2)) > "$TMP/perf.log" 2>&1 &
	perf_pid=$!
	flood_run "$FLOOD_PAIR_S" || return 1
	wait "$perf_pid" || { diag < "$TMP/perf.log"; return 1; }
	perf report -i "$TMP/perf.data" --stdio --sort sym --percent-limit 0.4 \
		2> /dev/null | grep -v '^#' | sed '/^$/d' | head -n 60 | diag
	mod_off
}

# listener_start: the events group of NS_B gets the listener that
# BENCH_FLOOD_LISTENER asks for (MON: its process):
#   stopped  spirecctl monitor joins the group and is stopped (SIGSTOP):
#            every event is built and multicast, its socket overruns, and
#            no CPU goes to reading events (the module's cost alone)
#   read     spirecctl monitor reads and prints every event (to /dev/null):
#            the consumer's CPU too, on the guest's one CPU
#   none     nobody: events are counted as no_listener, never built
listener_start() {
	case $LISTENER in
	none)
		sleep 3600 &
		MON=$! ;;
	*)
		ctl "$NS_B" -j monitor > /dev/null 2>&1 &
		MON=$!
		if [ "$LISTENER" = stopped ]; then
			wait_listener "$NS_B" > /dev/null || return 1
			pkill -STOP -x spirecctl || return 1
		fi ;;
	esac
	bg_add "$MON"
}
# (a stopped listener must run again to die)
listener_stop() {
	pkill -CONT -x spirecctl 2> /dev/null
	bg_stop "$MON"
}

# legs I: the order of pair (or, with a base module, triple) I.
legs() {
	if [ -z "$KMOD_BASE" ]; then
		order "$1"
	else
		case $(($1 % 3)) in
		1) echo off on base ;;
		2) echo on base off ;;
		0) echo base off on ;;
		esac
	fi
}

# part_flood_ratio NAME [known|known1000]: NAME_ratio; with "known", the
# receiver has known_peers_only = 1 and one known peer (192.0.2.1), as
# spirecd sets it up: the flood's sources are counted and dropped before
# the table. "known1000": 1000 known peers (that one, 508 more IPv4 hosts
# and 491 IPv6 hosts, none a flood source), as a hub's spirecd sets it up.
# With a base module (BENCH_KMOD_BASE), each pair is a triple with a run
# of that module too: NAME_base_ratio (base/off) and NAME_vs_base (on/base).
part_flood_ratio() {
	local name=$1 known=${2:-} i leg
	local -a off=() on=() base=() sent_off=() sent_on=() pr=() br=() vb=()
	local sets=pairs
	[ -z "$KMOD_BASE" ] || sets=triples
	note "--- $name: $RUNS $sets of $FLOOD_PAIR_S s, received packets per second, listener: $LISTENER${known:+, known_peers_only = 1}"
	for i in $(seq 1 "$RUNS"); do
		for leg in $(legs "$i"); do
			if [ "$leg" != off ]; then
				if [ "$leg" = base ]; then
					mod_as "$KMOD_BASE" "$NS_B" || return 1
				else
					mod_on "$NS_B" || return 1
				fi
				if [ -n "$known" ]; then
					ctl "$NS_B" known add 192.0.2.1 > /dev/null 2>&1
					[ "$known" = known1000 ] &&
						{ ctl "$NS_B" known add "${KNOWN1000[@]}" > /dev/null 2>&1 ||
							note "known add of 999 peers failed"; }
					sc_set "$NS_B" known_peers_only 1
				fi
				listener_start || return 1
			else
				mod_off || return 1
			fi
			flood_run "$FLOOD_PAIR_S" || return 1
			note "$name pair $i $leg: sent $SENT_PPS pps, received $RECV_PPS pps"
			case $leg in
			on) on+=("$RECV_PPS"); sent_on+=("$SENT_PPS"); listener_stop ;;
			base) base+=("$RECV_PPS"); listener_stop ;;
			off) off+=("$RECV_PPS"); sent_off+=("$SENT_PPS") ;;
			esac
		done
		pr+=("$(ratio "${on[-1]}" "${off[-1]}")")
		if [ -n "$KMOD_BASE" ]; then
			br+=("$(ratio "${base[-1]}" "${off[-1]}")")
			vb+=("$(ratio "${on[-1]}" "${base[-1]}")")
		fi
	done
	note "$name: on/off of each pair: ${pr[*]}"
	value "${name}_pps_off" "$(median "${off[@]}")"
	value "${name}_pps_on" "$(median "${on[@]}")"
	value "${name}_ratio_of_medians" "$(ratio "$(median "${on[@]}")" "$(median "${off[@]}")")"
	value "${name}_ratio" "$(median "${pr[@]}")"
	if [ -n "$KMOD_BASE" ]; then
		note "$name: base/off of each triple: ${br[*]}; on/base: ${vb[*]}"
		value "${name}_pps_base" "$(median "${base[@]}")"
		value "${name}_base_ratio" "$(median "${br[@]}")"
		value "${name}_vs_base" "$(median "${vb[@]}")"
	fi
	mod_off
}

# The 999 known peers beside 192.0.2.1 of "known1000": 192.0.2.3-254,
# 203.0.113.0-255, 2001:db8:5::1-1eb.
KNOWN1000=()
for ((k = 3; k <= 254; k++)); do KNOWN1000+=("192.0.2.$k"); done
for ((k = 0; k <= 255; k++)); do KNOWN1000+=("203.0.113.$k"); done
for ((k = 1; k <= 491; k++)); do KNOWN1000+=("$(printf '2001:db8:5::%x' "$k")"); done

slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
# "CACHE ACTIVE_OBJECTS" of each kmalloc-* cache (where spirec allocates).
kmalloc_caches() { awk '$1 ~ /^kmalloc-(cg-)?[0-9]+k?$/ { print $1, $2 }' /proc/slabinfo; }
# objs_sum FILE: all active objects of kmalloc_caches' output FILE.
objs_sum() { awk '{ n += $2 } END { print n + 0 }' "$1"; }
# cache_growth BEFORE AFTER: "CACHE GROWTH" of the cache that grew most.
cache_growth() {
	awk 'NR == FNR { b[$1] = $2; next }
		$2 - b[$1] > g { g = $2 - b[$1]; c = $1 }
		END { print (c == "" ? "none" : c), g + 0 }' "$1" "$2"
}
# cache_objs FILE CACHE: its active objects in FILE.
cache_objs() { awk -v c="$2" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }' "$1"; }
settle() { sleep 2; echo 3 > /proc/sys/vm/drop_caches; sleep 1; }

# peers_freed CACHE PEAK: LEFT, the objects CACHE holds more than before
# the flood (caches0), is at most a tenth of the table's PEAK.
peers_freed() {
	kmalloc_caches > "$TMP/caches1"
	left=$(( $(cache_objs "$TMP/caches1" "$1") - $(cache_objs "$TMP/caches0" "$1") ))
	[ $left -le $(($2 / 10)) ]
}

part_flood_attack() {
	local slab0 objs0 slab1 objs1 peak rate maxp ev0 ev1 t0 t1 sampler mon
	local cache growth left
	note "--- flood: one attack of $FLOOD_S s with a listener"
	mod_off || return 1
	settle
	slab0=$(slab_kb); kmalloc_caches > "$TMP/caches0"; objs0=$(objs_sum "$TMP/caches0")
	mod_on "$NS_B" || return 1
	rate=$(sc_get "$NS_B" global_rate); maxp=$(sc_get "$NS_B" max_peers)
	in_ns "$NS_B" "$SPIRECCTL" -j monitor > "$TMP/events.jsonl" 2>&1 &
	mon=$!
	bg_add $mon
	wait_listener "$NS_B" > /dev/null || return 1
	# Sampler: the peer table's size and slab memory, every 2 s (each
	# spirecctl is a process: costly under TCG, it would slow the flood).
	(
		while :; do
			json_get peer_count "$(ctl "$NS_B" -j stats 2>/dev/null)"
			echo "${REPLY:-0} $(slab_kb)"
			nap 2
		done
	) > "$TMP/samples" &
	sampler=$!
	bg_add $sampler
	json_get events "$(ctl "$NS_B" -j stats)"; ev0=$REPLY
	t0=$EPOCHREALTIME
	flood_run "$FLOOD_S" || return 1
	t1=$EPOCHREALTIME
	json_get events "$(ctl "$NS_B" -j stats)"; ev1=$REPLY
	bg_stop $sampler
	bg_stop $mon
	ctl "$NS_B" stats | diag
	peak=$(awk '$1 > m { m = $1 } END { print m + 0 }' "$TMP/samples")
	value flood_attack_recv_pps "$RECV_PPS"
	value flood_events_per_s "$(awk -v e=$((ev1 - ev0)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", e / (b - a) }')"
	value flood_events_received "$(wc -l < "$TMP/events.jsonl")"
	value flood_global_rate "$rate"
	value flood_table_peak "$peak"
	value flood_max_peers "$maxp"
	value flood_slab_kb_before "$slab0"
	value flood_slab_kb_peak "$(awk '$2 > m { m = $2 } END { print m + 0 }' "$TMP/samples")"
	# The peers' cache: the kmalloc cache that grew most with the table
	# full (entries are kzalloc()ed; other users share the cache, but
	# move it by far fewer objects than a full table).
	kmalloc_caches > "$TMP/caches_peak"
	read -r cache growth < <(cache_growth "$TMP/caches0" "$TMP/caches_peak")
	value flood_peer_cache "$cache"
	value flood_peer_cache_growth_at_peak "$growth"
	mod_off || return 1
	settle
	# kfree_rcu() frees in batches: wait up to 20 s for them.
	slowwait 20 peers_freed "$cache" "$peak"
	slab1=$(slab_kb); objs1=$(objs_sum "$TMP/caches1")
	value flood_slab_kb_after_rmmod "$slab1"
	value flood_kmalloc_objs_delta_after_rmmod "$((objs1 - objs0))"
	value flood_peer_cache_delta_after_rmmod "$left"
	# Bounded: the table never held more than max_peers, and a full table
	# shows in its cache. Freed: that cache is back within a tenth of the
	# table's worth of objects of where it was before insmod.
	if [ "$peak" -gt "$maxp" ] || [ "$growth" -lt $((peak / 2)) ] ||
		[ "$left" -gt $((peak / 10)) ]; then
		value flood_bounded_and_freed no
		return 1
	fi
	value flood_bounded_and_freed yes
}

# --- main ----------------------------------------------------------------------

note "time: ${SPIREC_BENCH_TIME:-real}"
note "kernel $(uname -r), $(nproc) CPU(s), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource), $(date -u +%FT%TZ)"
rc=0
mod_off
topo_ab > "$TMP/topo.log" 2>&1 || { diag < "$TMP/topo.log"; exit 1; }
if [[ " $PARTS " == *" fastpath "* || " $PARTS " == *" gro "* ]]; then
	fastpath_setup || { note "fast path set-up failed"; rc=1; }
	if [ $rc = 0 ]; then
		[[ " $PARTS " == *" fastpath "* ]] && { part_fastpath || rc=1; }
		[[ " $PARTS " == *" gro "* ]] && { part_gro || rc=1; }
	fi
fi
if [[ " $PARTS " == *" flood "* ]]; then
	ip -n "$NS_A" xfrm state flush; ip -n "$NS_B" xfrm state flush
	ip -n "$NS_A" xfrm policy flush; ip -n "$NS_B" xfrm policy flush
	flood_setup || { note "flood set-up failed"; rc=1; }
	[ $rc = 0 ] && [[ " $PARTS " == *" profile "* ]] && { part_profile || rc=1; }
	[ $rc = 0 ] && { part_flood_ratio flood || rc=1; }
	[ $rc = 0 ] && [[ " $PARTS " == *" known "* ]] &&
		{ part_flood_ratio flood_known known || rc=1; }
	[ $rc = 0 ] && [[ " $PARTS " == *" known1000 "* ]] &&
		{ part_flood_ratio flood_known1000 known1000 || rc=1; }
	[ $rc = 0 ] && { part_flood_attack || rc=1; }
fi
mod_off
exit $rc
