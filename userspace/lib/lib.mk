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
