# SPDX-License-Identifier: GPL-2.0-or-later
#
# spirecd: the recovery daemon (see Documentation/spirecd.8).

# The configuration file parser (config_parser.h says which file does what).
SPIRECD_CONFIG_SRCS := \
	spirecd/config.c \
	spirecd/config_keys.c \
	spirecd/config_lexer.c \
	spirecd/config_problems.c \
	spirecd/config_psk.c

# Everything but main(), for the tests and fuzzers too.
SPIRECD_CORE_SRCS := \
	spirecd/action.c \
	spirecd/action_exec.c \
	spirecd/action_hint.c \
	spirecd/action_ikev1.c \
	spirecd/action_ikev2.c \
	spirecd/action_vici.c \
	$(SPIRECD_CONFIG_SRCS) \
	spirecd/daemon.c \
	spirecd/genl_watch.c \
	spirecd/guard.c \
	spirecd/kernel_sync.c \
	spirecd/log.c \
	spirecd/recovery_table.c \
	spirecd/privdrop.c \
	spirecd/status.c \
	spirecd/verify.c \
	spirecd/vici_codec.c \
	spirecd/warm.c \
	spirecd/workers.c \
	spirecd/xfrm_sa.c
SPIRECD_LIBS := -lmnl -lcrypto -lpthread

PROGS += spirecd
spirecd_SRCS := spirecd/main.c $(SPIRECD_CORE_SRCS)
spirecd_LIBS := $(SPIRECD_LIBS)

TESTS += spirecd_config_test spirecd_vici_test spirecd_recovery_table_test \
	spirecd_action_exec_test spirecd_genl_watch_test spirecd_xfrm_sa_test \
	spirecd_guard_test spirecd_workers_test spirecd_status_test \
	spirecd_privdrop_test spirecd_verify_test spirecd_action_vici_test
spirecd_privdrop_test_SRCS := spirecd/tests/privdrop_test.c \
	spirecd/privdrop.c
spirecd_config_test_SRCS := spirecd/tests/config_test.c \
	$(SPIRECD_CONFIG_SRCS)
spirecd_config_test_LIBS := -lcrypto
spirecd_vici_test_SRCS := spirecd/tests/vici_test.c spirecd/vici_codec.c
spirecd_action_vici_test_SRCS := spirecd/tests/action_vici_test.c \
	spirecd/action_vici.c spirecd/vici_codec.c spirecd/log.c
spirecd_action_vici_test_LIBS := -lpthread
spirecd_recovery_table_test_SRCS := spirecd/tests/recovery_table_test.c spirecd/recovery_table.c \
	$(SPIRECD_CONFIG_SRCS)
spirecd_recovery_table_test_LIBS := -lcrypto -lpthread

spirecd_xfrm_sa_test_SRCS := spirecd/tests/xfrm_sa_test.c spirecd/xfrm_sa.c
spirecd_xfrm_sa_test_LIBS := -lmnl
spirecd_guard_test_SRCS := spirecd/tests/guard_test.c $(SPIRECD_CORE_SRCS)
spirecd_guard_test_LIBS := $(SPIRECD_LIBS)

spirecd_workers_test_SRCS := spirecd/tests/workers_test.c spirecd/workers.c \
	spirecd/recovery_table.c $(SPIRECD_CONFIG_SRCS) spirecd/log.c spirecd/verify.c \
	spirecd/xfrm_sa.c
spirecd_workers_test_LIBS := -lmnl -lcrypto -lpthread

spirecd_verify_test_SRCS := spirecd/tests/verify_test.c spirecd/verify.c \
	spirecd/log.c spirecd/xfrm_sa.c
spirecd_verify_test_LIBS := -lmnl -lpthread

spirecd_status_test_SRCS := spirecd/tests/status_test.c $(SPIRECD_CORE_SRCS)
spirecd_status_test_LIBS := $(SPIRECD_LIBS)

spirecd_action_exec_test_SRCS := spirecd/tests/action_exec_test.c \
	spirecd/action_exec.c

spirecd_genl_watch_test_SRCS := spirecd/tests/genl_watch_test.c \
	spirecd/genl_watch.c lib/tests/msgbuild.c
spirecd_genl_watch_test_LIBS := -lmnl

FUZZERS += fuzz_spirecd_config fuzz_vici_reply fuzz_genl_watch fuzz_xfrm_sa \
	fuzz_vici_list_sa
fuzz_xfrm_sa_SRCS := spirecd/fuzz/fuzz_xfrm_sa.c spirecd/xfrm_sa.c
fuzz_xfrm_sa_LIBS := -lmnl -lcrypto
fuzz_vici_list_sa_SRCS := spirecd/fuzz/fuzz_vici_list_sa.c $(SPIRECD_CORE_SRCS)
fuzz_vici_list_sa_LIBS := $(SPIRECD_LIBS)
fuzz_genl_watch_SRCS := spirecd/fuzz/fuzz_genl_watch.c spirecd/genl_watch.c
fuzz_genl_watch_LIBS := -lmnl -lcrypto
fuzz_spirecd_config_SRCS := spirecd/fuzz/fuzz_config.c \
	$(SPIRECD_CONFIG_SRCS)
fuzz_spirecd_config_LIBS := -lmnl -lcrypto
fuzz_vici_reply_SRCS := spirecd/fuzz/fuzz_vici_reply.c spirecd/vici_codec.c
fuzz_vici_reply_LIBS := -lmnl -lcrypto
