// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: netlink message construction with libmnl.
 */
#include <string.h>
#include <linux/genetlink.h>

#include "msgbuild.h"

struct nlmsghdr *msgbuild_genl(struct msgbuild *mb, uint16_t type,
			       uint8_t cmd)
{
	struct genlmsghdr *genl;

	memset(mb->buf, 0, sizeof(mb->buf));
	mb->nlh = mnl_nlmsg_put_header(mb->buf);
	mb->nlh->nlmsg_type = type;
	genl = mnl_nlmsg_put_extra_header(mb->nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = 1;
	return mb->nlh;
}

void msgbuild_raw(struct msgbuild *mb, uint16_t type, const void *data,
		  size_t len)
{
	mnl_attr_put(mb->nlh, type, len, data);
}
