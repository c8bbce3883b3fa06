// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening and closing the netlink socket, resolving the spirec family,
 * building requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/spirec.h>

#include "genl_family.h"
#include "nl.h"
#include "nl_internal.h"

/* A reply that takes longer than this means something is wrong. */
#define SPIREC_NL_REPLY_TIMEOUT_S	10

struct nlmsghdr *spirec_nl_msg_start(struct spirec_nl *nl, uint16_t type,
				     uint8_t cmd, uint8_t version,
				     uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(nl->sendbuf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *spirec_nl_msg(struct spirec_nl *nl, uint8_t cmd, bool dump)
{
	return spirec_nl_msg_start(nl, nl->family_id, cmd, SPIREC_GENL_VERSION,
				   dump ? NLM_F_DUMP : NLM_F_ACK);
}

struct family_lookup {
	struct spirec_nl *nl;
	const char *name, *group;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_lookup *fl = data;
	struct spirec_nl *nl = fl->nl;
	struct spirec_genl_family fam;
	const char *why = "";

	if (spirec_genl_family_parse(nlh, nlh->nlmsg_len, fl->name, fl->group,
				     &fam, &why)) {
		spirec_nl_set_error(nl, "bad family description from the kernel: %s",
				    why);
		return -EBADMSG;
	}
	nl->family_id = fam.id;
	nl->family_version = fam.version;
	nl->has_events = fam.has_group;
	nl->events_group = fam.group_id;
	return 0;
}

int spirec_nl_resolve(struct spirec_nl *nl, const char *name,
		      const char *group)
{
	struct family_lookup fl = { .nl = nl, .name = name, .group = group };
	struct nlmsghdr *nlh;
	int ret;

	nl->family_id = 0;
	nlh = spirec_nl_msg_start(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
				  NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	ret = spirec_nl_run(nl, nlh, GENL_ID_CTRL, family_cb, &fl);
	if (!ret && !nl->family_id) {
		spirec_nl_set_error(nl, "the kernel sent no description of family '%s'",
				    name);
		return -EBADMSG;
	}
	return ret;
}

static int sockopt_on(struct spirec_nl *nl, int opt)
{
	int one = 1;

	return mnl_socket_setsockopt(nl->sock, opt, &one, sizeof(one));
}

int spirec_nl_open_socket(struct spirec_nl *nl)
{
	struct timeval tv = { .tv_sec = SPIREC_NL_REPLY_TIMEOUT_S };
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->sendbuf = calloc(1, SPIREC_NL_SENDBUF_SIZE);
	nl->recvbuf = calloc(1, SPIREC_NL_RECVBUF_SIZE);
	if (!nl->sendbuf || !nl->recvbuf) {
		err = ENOMEM;
		goto fail;
	}
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sock) {
		err = errno;
		goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	/*
	 * Extended ACK gives the kernel's reason for a failure; a capped ACK
	 * leaves out the echoed request we do not need. Both are missing
	 * only on very old kernels, where we do without.
	 */
	sockopt_on(nl, NETLINK_EXT_ACK);
	sockopt_on(nl, NETLINK_CAP_ACK);
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	return 0;

fail:
	spirec_nl_format_error(nl->errmsg, sizeof(nl->errmsg), err, NULL);
	spirec_nl_close_keep_error(nl);
	return -err;
}

int spirec_nl_open(struct spirec_nl *nl)
{
	int err = spirec_nl_open_socket(nl);

	if (err)
		return err;
	err = spirec_nl_resolve(nl, SPIREC_GENL_NAME, SPIREC_MCGRP_EVENTS);
	if (err == -ENOENT)
		spirec_nl_set_error(nl, "%s", SPIREC_NL_NO_FAMILY_MSG);
	if (err)
		spirec_nl_close_keep_error(nl);
	return err;
}

void spirec_nl_close_keep_error(struct spirec_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->sendbuf);
	free(nl->recvbuf);
	nl->sendbuf = NULL;
	nl->recvbuf = NULL;
}

void spirec_nl_close(struct spirec_nl *nl)
{
	spirec_nl_close_keep_error(nl);
	memset(nl, 0, sizeof(*nl));
}
