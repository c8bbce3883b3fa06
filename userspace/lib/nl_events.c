// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The events multicast group: joining it and receiving from it.
 */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/spirec.h>

#include "nl.h"
#include "nl_internal.h"

/* Room for bursts; the kernel caps it at net.core.rmem_max. */
#define SPIREC_EVENTS_RCVBUF	(1 << 20)

int spirec_nl_join_events(struct spirec_nl *nl)
{
	int size = SPIREC_EVENTS_RCVBUF;
	unsigned int group;
	int err;

	if (!nl->has_events) {
		spirec_nl_set_error(nl, "family '%s' has no '%s' multicast group",
				    SPIREC_GENL_NAME, SPIREC_MCGRP_EVENTS);
		return -ENOENT;
	}
	group = nl->events_group;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		err = errno;
		spirec_nl_format_error(nl->errmsg, sizeof(nl->errmsg), err,
				       NULL);
		return -err;
	}
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF, &size,
		   sizeof(size));
	return 0;
}

int spirec_nl_recv_events(struct spirec_nl *nl, int timeout_ms,
			  spirec_nl_msg_cb cb, void *data)
{
	struct pollfd pfd = {
		.fd = mnl_socket_get_fd(nl->sock),
		.events = POLLIN,
	};
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len, err;

	err = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (err == 0)
		return 0;
	if (err < 0) {
		err = errno;
		if (err == EINTR)
			return -EINTR;
		spirec_nl_format_error(nl->errmsg, sizeof(nl->errmsg), err,
				       NULL);
		return -err;
	}

	n = recv(pfd.fd, nl->recvbuf, SPIREC_NL_RECVBUF_SIZE, MSG_DONTWAIT);
	if (n < 0) {
		err = errno;
		if (err == EINTR)
			return -EINTR;
		if (err == EAGAIN || err == EWOULDBLOCK)
			return 1;
		if (err == ENOBUFS)
			spirec_nl_set_error(nl, "events were lost: the socket's receive buffer overflowed (ENOBUFS)");
		else
			spirec_nl_format_error(nl->errmsg, sizeof(nl->errmsg),
					       err, NULL);
		return -err;
	}

	len = (int)n;
	for (nlh = nl->recvbuf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type != nl->family_id || !cb)
			continue;
		err = cb(nlh, data);
		if (err < 0)
			return err;
	}
	return 1;
}
