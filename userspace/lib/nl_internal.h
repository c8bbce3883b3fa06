/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the nl_*.c files, not part of the API.
 */
#ifndef SPIREC_NL_INTERNAL_H
#define SPIREC_NL_INTERNAL_H

#include "nl.h"

#define SPIREC_NL_SENDBUF_SIZE	8192
/* The kernel never builds dump datagrams larger than 32 KiB. */
#define SPIREC_NL_RECVBUF_SIZE	32768

/* Start a generic netlink request of any family @type. */
struct nlmsghdr *spirec_nl_msg_start(struct spirec_nl *nl, uint16_t type,
				     uint8_t cmd, uint8_t version,
				     uint16_t flags);

/* spirec_nl_request() for messages of family @type. */
int spirec_nl_run(struct spirec_nl *nl, struct nlmsghdr *nlh, uint16_t type,
		  spirec_nl_msg_cb cb, void *data);

/* Release the socket and buffers but keep errmsg. */
void spirec_nl_close_keep_error(struct spirec_nl *nl);

#endif
