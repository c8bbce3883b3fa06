/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A generic netlink socket talking to the "spirec" family over libmnl:
 * family resolution, requests with extended ACK, dumps, and the events
 * multicast group.
 *
 * Every function that fails returns a negative errno and leaves one line
 * describing the failure in spirec_nl_error(), including the kernel's
 * extended ACK text when there is one.
 */
#ifndef SPIREC_NL_H
#define SPIREC_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "nl_ack.h"

#define SPIREC_NL_ERRMSG_LEN	512

/* Exactly what users see when the module is not loaded. */
#define SPIREC_NL_NO_FAMILY_MSG \
	"generic netlink family 'spirec' not found: load the module with 'modprobe spirec' (or insmod kmod/spirec.ko)"

struct mnl_socket;

struct spirec_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family_id;
	uint32_t family_version;
	bool has_events;		/* the family has an "events" group */
	uint32_t events_group;		/* (or the group spirec_nl_resolve()
					 * was asked about) */
	void *sendbuf;			/* one request */
	void *recvbuf;			/* one datagram, dump sized */
	char errmsg[SPIREC_NL_ERRMSG_LEN];
	bool dump_intr;			/* the last dump was inconsistent */
};

/*
 * Called for every message of the spirec family in a reply or an events
 * datagram. Return 0, or a negative errno to make the request fail (the
 * rest of the reply is still read); a callback may describe the failure
 * with spirec_nl_set_error() first.
 */
typedef int (*spirec_nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

/* Open a socket in the caller's netns and resolve the family. Errors:
 * -ENOENT with SPIREC_NL_NO_FAMILY_MSG when the module is not loaded. */
int spirec_nl_open(struct spirec_nl *nl);
void spirec_nl_close(struct spirec_nl *nl);

/*
 * The two halves of spirec_nl_open(), for a socket on another family
 * (the controller's own, say): open a generic netlink socket without
 * resolving anything, then ask the controller (CTRL_CMD_GETFAMILY) about
 * family @name. On success family_id and family_version describe it, and
 * has_events / events_group its multicast group @group. -ENOENT: no such
 * family. This is the only family lookup; spirec_nl_open() is
 * spirec_nl_resolve(nl, SPIREC_GENL_NAME, SPIREC_MCGRP_EVENTS).
 */
int spirec_nl_open_socket(struct spirec_nl *nl);
int spirec_nl_resolve(struct spirec_nl *nl, const char *name,
		      const char *group);

/*
 * Start a request for @cmd in the send buffer; add attributes with
 * mnl_attr_put_*(). @dump selects NLM_F_DUMP, else NLM_F_ACK is set.
 */
struct nlmsghdr *spirec_nl_msg(struct spirec_nl *nl, uint8_t cmd, bool dump);

/*
 * Send @nlh and read the reply until its ACK, error or NLMSG_DONE, handing
 * each spirec message to @cb (may be NULL). Returns 0 or a negative errno:
 * the kernel's error, or the first error a callback returned. After a
 * dump, @nl->dump_intr tells whether the kernel flagged it NLM_F_DUMP_INTR
 * (its table changed meanwhile: entries may be missing or repeated; the
 * whole dump was still read).
 */
int spirec_nl_request(struct spirec_nl *nl, struct nlmsghdr *nlh,
		      spirec_nl_msg_cb cb, void *data);

/*
 * Join the "events" multicast group (needs CAP_NET_ADMIN). Use this socket
 * for events only: a request on it would take the events that arrive
 * while it waits for its reply, and drop them. Open a second spirec_nl for
 * requests.
 */
int spirec_nl_join_events(struct spirec_nl *nl);

/*
 * Wait up to @timeout_ms (negative: forever) for one datagram and hand
 * each spirec message in it to @cb. Returns 1 after a datagram, 0 on
 * timeout, -EINTR when a signal arrived, -ENOBUFS when the kernel dropped
 * messages because the socket's receive buffer was full (events were lost:
 * re-read the state), or another negative errno.
 */
int spirec_nl_recv_events(struct spirec_nl *nl, int timeout_ms,
			  spirec_nl_msg_cb cb, void *data);

/* Description of the most recent failure. */
const char *spirec_nl_error(const struct spirec_nl *nl);

/* printf-style: replace the failure description. */
void spirec_nl_set_error(struct spirec_nl *nl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * One line for a failure with errno @err and the extended ACK @ack (may be
 * NULL): "<strerror>[: <extack text>][ (missing attribute N)]", and for
 * EPERM/EACCES a hint that CAP_NET_ADMIN is needed.
 */
void spirec_nl_format_error(char *buf, size_t len, int err,
			    const struct spirec_nl_ack *ack);

#endif
