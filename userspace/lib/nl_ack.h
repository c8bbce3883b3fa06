/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The end of a netlink request: NLMSG_ERROR (an ACK when error is 0) or
 * NLMSG_DONE, with the kernel's extended ACK attributes (NETLINK_EXT_ACK).
 */
#ifndef SPIREC_NL_ACK_H
#define SPIREC_NL_ACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPIREC_EXTACK_MSG_LEN	256

struct spirec_nl_ack {
	int error;			/* positive errno, 0 on success */
	/* NLMSGERR_ATTR_MSG, control characters replaced by '?'; "" if none */
	char msg[SPIREC_EXTACK_MSG_LEN];
	bool has_offs;			/* NLMSGERR_ATTR_OFFS */
	uint32_t offs;
	bool has_miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
	uint32_t miss_type;
};

/*
 * Parse the NLMSG_ERROR or NLMSG_DONE message at @buf (@len bytes,
 * 4-byte aligned): the error code, and when NLM_F_ACK_TLVS is set the
 * extended ACK attributes after the echoed request (absent if
 * NLM_F_CAPPED). An NLMSG_DONE without payload means success.
 * Returns 0, or -EBADMSG if the message is malformed or another type.
 */
int spirec_nl_ack_parse(const void *buf, size_t len,
			struct spirec_nl_ack *ack);

#endif
