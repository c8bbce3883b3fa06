# SPDX-License-Identifier: GPL-2.0-or-later
#
# libspirec: shared by spirecctl, spirecd and the tests.

LIB_SRCS += \
	lib/addr.c \
	lib/event.c \
	lib/event_json.c \
	lib/genl_family.c \
	lib/grow.c \
	lib/json.c \
	lib/known.c \
	lib/nl_ack.c \
	lib/nl_attr.c \
	lib/nl_error.c \
	lib/nl_events.c \
	lib/nl_request.c \
	lib/nl_socket.c \
	lib/peer.c \
	lib/read_file.c \
	lib/requests.c \
	lib/stats.c
# The netlink parsers are built on libmnl.
LIB_LIBS += -lmnl

# Unit tests (cmocka, run by `make test` under ASan/UBSan).
LIB_TEST_HELPERS := lib/tests/msgbuild.c
TESTS += lib_addr_test lib_json_test lib_event_test lib_stats_test \
	lib_peer_test lib_known_test lib_genl_family_test lib_nl_ack_test \
	lib_nl_attr_test lib_grow_test
lib_addr_test_SRCS := lib/tests/addr_test.c
lib_json_test_SRCS := lib/tests/json_test.c
lib_grow_test_SRCS := lib/tests/grow_test.c
lib_event_test_SRCS := lib/tests/event_test.c $(LIB_TEST_HELPERS)
lib_event_test_LIBS := -lmnl
lib_stats_test_SRCS := lib/tests/stats_test.c $(LIB_TEST_HELPERS)
lib_stats_test_LIBS := -lmnl
lib_peer_test_SRCS := lib/tests/peer_test.c $(LIB_TEST_HELPERS)
lib_peer_test_LIBS := -lmnl
lib_known_test_SRCS := lib/tests/known_test.c $(LIB_TEST_HELPERS)
lib_known_test_LIBS := -lmnl
lib_genl_family_test_SRCS := lib/tests/genl_family_test.c $(LIB_TEST_HELPERS)
lib_genl_family_test_LIBS := -lmnl
lib_nl_ack_test_SRCS := lib/tests/nl_ack_test.c $(LIB_TEST_HELPERS)
lib_nl_ack_test_LIBS := -lmnl
lib_nl_attr_test_SRCS := lib/tests/nl_attr_test.c $(LIB_TEST_HELPERS)

# libFuzzer targets (`make fuzz-build`, clang). Fuzzers link every object
# of LIB_SRCS, the IKE code's too, hence -lcrypto.
LIB_FUZZ_LIBS := -lmnl -lcrypto
FUZZERS += fuzz_event fuzz_stats fuzz_peer fuzz_known fuzz_nl_ack \
	fuzz_genl_family fuzz_addr fuzz_nl_attr
fuzz_event_SRCS := lib/fuzz/fuzz_event.c
fuzz_event_LIBS := $(LIB_FUZZ_LIBS)
fuzz_stats_SRCS := lib/fuzz/fuzz_stats.c
fuzz_stats_LIBS := $(LIB_FUZZ_LIBS)
fuzz_peer_SRCS := lib/fuzz/fuzz_peer.c
fuzz_peer_LIBS := $(LIB_FUZZ_LIBS)
fuzz_known_SRCS := lib/fuzz/fuzz_known.c
fuzz_known_LIBS := $(LIB_FUZZ_LIBS)
fuzz_nl_ack_SRCS := lib/fuzz/fuzz_nl_ack.c
fuzz_nl_ack_LIBS := $(LIB_FUZZ_LIBS)
fuzz_genl_family_SRCS := lib/fuzz/fuzz_genl_family.c
fuzz_genl_family_LIBS := $(LIB_FUZZ_LIBS)
fuzz_addr_SRCS := lib/fuzz/fuzz_addr.c
fuzz_addr_LIBS := $(LIB_FUZZ_LIBS)
fuzz_nl_attr_SRCS := lib/fuzz/fuzz_nl_attr.c
fuzz_nl_attr_LIBS := $(LIB_FUZZ_LIBS)
