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
$(call spirec_tests,lib,,,addr json)
$(call spirec_tests,lib,$(LIB_TEST_HELPERS),-lmnl,event stats peer known \
	genl_family nl_ack)
$(call spirec_tests,lib,$(LIB_TEST_HELPERS),,nl_attr)
$(call spirec_tests,lib,,,grow)

# libFuzzer targets (`make fuzz-build`, clang). Fuzzers link every object
# of LIB_SRCS, the IKE code's too, hence -lcrypto.
LIB_FUZZ_LIBS := -lmnl -lcrypto
$(call spirec_fuzzers,lib,,$(LIB_FUZZ_LIBS),fuzz_event fuzz_stats \
	fuzz_peer fuzz_known fuzz_nl_ack fuzz_genl_family fuzz_addr \
	fuzz_nl_attr)
