# SPDX-License-Identifier: GPL-2.0-or-later
#
# libspirec: shared by spirecctl, spirecd and the tests.

LIB_SRCS += \
	lib/addr.c \
	lib/attr.c \
	lib/event.c \
	lib/event_json.c \
	lib/genl_family.c \
	lib/json.c \
	lib/known.c \
	lib/nl_ack.c \
	lib/nl_error.c \
	lib/nl_events.c \
	lib/nl_request.c \
	lib/nl_socket.c \
	lib/peer.c \
	lib/stats.c

# Unit tests (cmocka, run by `make test` under ASan/UBSan).
LIB_TEST_HELPERS := lib/tests/msgbuild.c
TESTS += lib_addr_test lib_json_test lib_event_test lib_stats_test \
	lib_peer_test lib_known_test lib_genl_family_test lib_nl_ack_test
lib_addr_test_SRCS := lib/tests/addr_test.c
lib_json_test_SRCS := lib/tests/json_test.c
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
