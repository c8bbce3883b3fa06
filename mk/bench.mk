# SPDX-License-Identifier: GPL-2.0
#
# make bench: what spirec costs and how it holds up, as "NAME: VALUE"
# lines (Documentation/performance.rst explains each one).
#   selftests/bench/kernel.sh     fast path and flood ratios, events, peer
#                                 table, slab (one VM boot)
#   selftests/bench/blackhole.sh  black-hole durations of the Router A/B
#                                 scenario, quiet and under a flood (one
#                                 VM boot per run)
#   selftests/bench/memory.sh     memory per peer: spirecd's RSS with 1,
#                                 100 and 1000 configured peers (host),
#                                 the peer table's slab with 4096 and
#                                 65536 entries (one VM boot)
#   e2e case 23 (bench-pluto)     libreswan 4.10's pluto as Router A
#                                 healed by ikev2 only after its 60 s
#                                 retransmission time-out (bound 90 s;
#                                 not in make check: 2 minutes of waiting)
#   selftests/bench/spoof.sh      spoof_teardowns: Router A's IKE SAs that
#                                 spoofed packets made Router B's spirecd
#                                 destroy (e2e case 9, one VM boot; must
#                                 be 0)
#   selftests/bench/hub.sh        (bench-hub only, not in bench) a hub
#                                 and HUB_N spokes (default 100) lose
#                                 their tunnels at once: recovery with
#                                 ikev2 and vici against the hub's charon
#                                 setting them all up itself, and without
#                                 spirecd (e2e cases 27 to 29, one VM
#                                 boot per run, BENCH_RUNS default 1 here)
# BENCH_RUNS (default 5): pairs / runs of each; see the scripts for the
# other BENCH_* variables.
.PHONY: bench bench-kernel bench-blackhole bench-spoof bench-pluto bench-memory bench-hub

# The benchmarks with a script of their own, in the order make bench runs
# them.
BENCH_SCRIPTS := kernel blackhole spoof memory
BENCH_PLUTO = SPIREC_E2E_OUT=.bench/pluto SPIREC_E2E_ONLY=23 selftests/e2e/run.sh

bench: module userspace
	$(MAKE) -C selftests/tools
	set -e; for b in $(BENCH_SCRIPTS); do selftests/bench/$$b.sh; done
	$(BENCH_PLUTO)

bench-pluto: module userspace
	$(MAKE) -C selftests/tools
	$(BENCH_PLUTO)

# bench-hub: a script of its own too, but not part of make bench.
$(BENCH_SCRIPTS:%=bench-%) bench-hub: bench-%: module userspace
	$(MAKE) -C selftests/tools
	selftests/bench/$*.sh
