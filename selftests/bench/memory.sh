#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# memory.sh: what spirec costs in memory per peer (issue 15, item 6).
#
#  spirecd     its resident set (VmRSS, and the peak VmHWM) once started
#              with 1, 100 and 1000 configured peers (one [peer] section
#              each: address, identities, PSK, action ikev2), on this
#              host: spirecd starts without the module (it warns and
#              retries), which is all the configuration costs.
#              spirecd_rss_kb_peers{1,100,1000}, and the cost per peer
#              between 100 and 1000 (spirecd_rss_bytes_per_peer).
#  spirec.ko   the peer table's memory with 4096 and 65536 entries, in a
#              VM guest (stock kernel, real time: memory does not depend
#              on time): slab (Slab: of /proc/meminfo) before and after
#              that many distinct spoofed sources sent an unknown SPI
#              each (max_peers and global_rate raised so that every one
#              gets an entry), vmalloc (a large table's bucket array),
#              the entries' cache's objects and the table's bytes per
#              entry (slab and vmalloc; not the bucket array when it is a
#              large kmalloc: 8 bytes a bucket, see performance.rst).
#              table_kb_{4096,65536}, table_vmalloc_kb_{...},
#              table_bytes_per_entry_{...}.
#
# Prints "NAME: VALUE" lines (see Documentation/performance.rst), like the
# other benchmarks. BENCH_OUT: vm.sh -o directory (default .bench/memory).

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

# shellcheck source=../lib/wait.sh
source "$top/selftests/lib/wait.sh"
note() { echo "# $*"; }
value() { echo "$1: $2"; }

# --- spirecd, on the host -----------------------------------------------------

# peers_conf N FILE: a configuration of N ikev2 peers.
peers_conf() {
	local n=$1 i
	{
		echo "[global]"
		echo "action = none"
		echo "status_file = $TMPD/status"
		for ((i = 1; i <= n; i++)); do
			echo "[peer p$i]"
			printf 'address = 2001:db8:100::%x\n' "$i"
			echo "action = ikev2"
			echo "local_id = router-b.example.org"
			echo "remote_id = spoke-$i.example.org"
			printf 'psk = "0x%032x"\n' "$i"
		done
	} > "$2"
	chmod 600 "$2"
}

# spirecd_rss N: "RSS_KB HWM_KB" of spirecd started with N peers.
spirecd_rss() {
	local n=$1 pid rss hwm
	peers_conf "$n" "$TMPD/spirecd-$n.conf"
	rm -f "$TMPD/status"
	"$SPIRECD" -f -c "$TMPD/spirecd-$n.conf" > "$TMPD/spirecd-$n.log" 2>&1 &
	pid=$!
	# Started once its status file names it (written after the
	# configuration is loaded and the workers run); 20 s at most.
	if ! slowwait 20 started_or_gone "$pid" || ! status_names "$pid"; then
		note "spirecd with $n peers did not start:"
		sed 's/^/#   /' "$TMPD/spirecd-$n.log"
		kill "$pid" 2> /dev/null
		return 1
	fi
	rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status")
	hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
	kill "$pid"
	wait "$pid" 2> /dev/null
	echo "$rss $hwm"
}

status_names() { grep -qx "pid $1" "$TMPD/status" 2> /dev/null; }
started_or_gone() { status_names "$1" || pid_gone "$1"; }

host_part() {
	local n rss hwm rss100=0 rss1000=0 rc=0
	note "--- spirecd: resident memory by configured peers (this host)"
	for n in 1 100 1000; do
		read -r rss hwm < <(spirecd_rss "$n") || { rc=1; continue; }
		[ -n "${rss:-}" ] || { rc=1; continue; }
		value "spirecd_rss_kb_peers$n" "$rss"
		value "spirecd_hwm_kb_peers$n" "$hwm"
		[ "$n" = 100 ] && rss100=$rss
		[ "$n" = 1000 ] && rss1000=$rss
	done
	if [ "$rss100" -gt 0 ] && [ "$rss1000" -gt 0 ]; then
		value spirecd_rss_bytes_per_peer $(((rss1000 - rss100) * 1024 / 900))
	fi
	return $rc
}

if [ -z "${SPIREC_OUT:-}" ]; then
	SPIRECD=${SPIREC_SPIRECD:-$top/userspace/build/spirecd}
	[ -x "$SPIRECD" ] || { echo "Bail out! no $SPIRECD (make -C userspace)"; exit 1; }
	TMPD=$(mktemp -d /tmp/spirec-memory.XXXXXX)
	trap 'rm -rf "$TMPD"' EXIT
	rc=0
	host_part || rc=1
	out=${BENCH_OUT:-$top/.bench/memory}
	mkdir -p "$out"
	"$top/selftests/vm/vm.sh" -o "$out" -t "${BENCH_VM_TIMEOUT:-1200}" "$0" "$@" || rc=1
	exit $rc
fi

# --- spirec.ko, in the guest --------------------------------------------------

# shellcheck source=../net/lib.sh
source "$top/selftests/net/lib.sh"
TMP=$(mktemp -d /tmp/spirec-bench.XXXXXX)
trap lib_cleanup EXIT

slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
# The bucket array of a large rhashtable is vmalloc'ed (kvmalloc) when
# the page allocator has no contiguous pages for it; otherwise it is a
# large kmalloc, from the page allocator, in neither figure (MemFree would
# see it, but moves by megabytes with the freeing of what came before).
vmalloc_kb() { awk '$1 == "VmallocUsed:" { print $2 }' /proc/meminfo; }
# "CACHE ACTIVE_OBJECTS" of each kmalloc-* cache (where spirec allocates).
kmalloc_caches() { awk '$1 ~ /^kmalloc-(cg-)?[0-9]+k?$/ { print $1, $2 }' /proc/slabinfo; }
# cache_growth BEFORE AFTER: "CACHE GROWTH" of the cache that grew most.
cache_growth() {
	awk 'NR == FNR { b[$1] = $2; next }
		$2 - b[$1] > g { g = $2 - b[$1]; c = $1 }
		END { print (c == "" ? "none" : c), g + 0 }' "$1" "$2"
}
peer_count() { json_get peer_count "$(ctl "$NS_B" -j stats)"; echo "$REPLY"; }

# fill N: N distinct sources of 2001:db8:1::/64 with an entry each, in up
# to 5 rounds of the same sources (an insertion can be refused while the
# table waits for its resize; the next round's packet gets the entry).
table_holds() { [ "$(peer_count)" -ge "$1" ]; }
fill() {
	local n=$1 round
	for round in 1 2 3 4 5; do
		send "$NS_A" -6 --src-prefix 2001:db8:1::/64 -n "$n" -c "$n" --seed 5 \
			-d 2001:db8::2 -p esp --spi random -k -q
		slowwait 10 table_holds "$n" && return 0
		note "round $round: $(peer_count) of $n entries"
	done
	return 1
}

table_part() {
	local n=$1 slab0 slab1 vm0 vm1 cache growth
	ctl "$NS_B" flush
	sc_set "$NS_B" max_peers "$n" && sc_set "$NS_B" global_rate 100000 || return 1
	echo 3 > /proc/sys/vm/drop_caches
	slab0=$(slab_kb); vm0=$(vmalloc_kb); kmalloc_caches > "$TMP/caches0"
	fill "$n" || { note "the table never held $n entries"; return 1; }
	echo 3 > /proc/sys/vm/drop_caches
	slab1=$(slab_kb); vm1=$(vmalloc_kb); kmalloc_caches > "$TMP/caches1"
	read -r cache growth < <(cache_growth "$TMP/caches0" "$TMP/caches1")
	value "table_entries_$n" "$(peer_count)"
	value "table_kb_$n" $((slab1 - slab0))
	value "table_vmalloc_kb_$n" $((vm1 - vm0))
	value "table_bytes_per_entry_$n" $(((slab1 - slab0 + vm1 - vm0) * 1024 / n))
	value "table_entry_cache_$n" "$cache"
	value "table_entry_cache_growth_$n" "$growth"
	ctl "$NS_B" flush
}

note "kernel $(uname -r), $(nproc) CPU(s)"
note "--- spirec.ko: the peer table's slab memory by entries (guest)"
module_load > "$TMP/load.log" 2>&1 || { diag < "$TMP/load.log"; exit 1; }
topo_ab > "$TMP/topo.log" 2>&1 || { diag < "$TMP/topo.log"; exit 1; }
sc_set "$NS_B" enabled 1 || exit 1
rc=0
table_part 4096 || rc=1
table_part 65536 || rc=1
exit $rc
