# SPDX-License-Identifier: GPL-2.0-or-later
#
# spirecctl: status, counters, peer table, known peers and live events.

# Everything but main(), so the tests can call spirecctl_main().
SPIRECCTL_CORE_SRCS := \
	spirecctl/cmd_enable.c \
	spirecctl/cmd_flush.c \
	spirecctl/cmd_known.c \
	spirecctl/cmd_monitor.c \
	spirecctl/cmd_peers.c \
	spirecctl/cmd_stats.c \
	spirecctl/cmd_status.c \
	spirecctl/daemon_status.c \
	spirecctl/dispatch.c \
	spirecctl/netlink.c \
	spirecctl/netns.c \
	spirecctl/report.c \
	spirecctl/sysctl.c

PROGS += spirecctl
spirecctl_SRCS := spirecctl/main.c $(SPIRECCTL_CORE_SRCS)
spirecctl_LIBS := -lmnl -lm

TESTS += spirecctl_dispatch_test
spirecctl_dispatch_test_SRCS := spirecctl/tests/dispatch_test.c \
	spirecctl/tests/capture.c $(SPIRECCTL_CORE_SRCS)
spirecctl_dispatch_test_LIBS := -lmnl -lm

TESTS += spirecctl_daemon_status_test
spirecctl_daemon_status_test_SRCS := spirecctl/tests/daemon_status_test.c \
	spirecctl/tests/capture.c $(SPIRECCTL_CORE_SRCS)
spirecctl_daemon_status_test_LIBS := -lmnl -lm

FUZZERS += fuzz_daemon_status
fuzz_daemon_status_SRCS := spirecctl/fuzz/fuzz_daemon_status.c \
	spirecctl/daemon_status.c
fuzz_daemon_status_LIBS := -lmnl
