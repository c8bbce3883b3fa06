// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Netlink helpers shared by the subcommands.
 */
#include <errno.h>

#include "spirecctl.h"

bool spirecctl_nl_open(const struct spirecctl *ctl, struct spirec_nl *nl)
{
	if (spirec_nl_open(nl) == 0)
		return true;
	spirecctl_error(ctl, "%s", spirec_nl_error(nl));
	return false;
}

struct stats_reply {
	struct spirec_nl *nl;
	struct spirec_stats *st;
	bool got;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *r = data;
	const char *why = "";
	int ret;

	ret = spirec_stats_parse(nlh, nlh->nlmsg_len, r->st, &why);
	if (ret == -ENOMSG)
		return 0;
	if (ret) {
		spirec_nl_set_error(r->nl, "malformed statistics from the kernel: %s",
				    why);
		return ret;
	}
	r->got = true;
	return 0;
}

int spirecctl_get_stats(struct spirec_nl *nl, struct spirec_stats *st)
{
	struct stats_reply r = { .nl = nl, .st = st };
	int ret;

	ret = spirec_nl_request(nl, spirec_nl_msg(nl, SPIREC_CMD_GET_STATS,
						  false), stats_cb, &r);
	if (ret)
		return ret;
	if (!r.got) {
		spirec_nl_set_error(nl, "the kernel sent no statistics");
		return -EBADMSG;
	}
	return 0;
}
