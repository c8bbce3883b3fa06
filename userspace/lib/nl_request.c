// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One request/reply exchange: send, then read until the ACK, the error or
 * the end of the dump, keeping the kernel's extended ACK for the message.
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "nl.h"
#include "nl_internal.h"

struct request {
	uint16_t type;
	spirec_nl_msg_cb cb;
	void *data;
	int cb_err;		/* first error of @cb */
	bool finished;		/* ACK, error or NLMSG_DONE seen */
	bool bad_ack;
	struct spirec_nl_ack ack;
};

static int request_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct request *req = data;
	int err;

	if (nlh->nlmsg_type != req->type || !req->cb)
		return MNL_CB_OK;
	err = req->cb(nlh, req->data);
	if (err < 0 && !req->cb_err)
		req->cb_err = err;
	return MNL_CB_OK;
}

static int request_end_cb(const struct nlmsghdr *nlh, void *data)
{
	struct request *req = data;

	if (spirec_nl_ack_parse(nlh, nlh->nlmsg_len, &req->ack))
		req->bad_ack = true;
	req->finished = true;
	return MNL_CB_STOP;
}

static mnl_cb_t request_ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = request_end_cb,
	[NLMSG_DONE] = request_end_cb,
};

/*
 * NLM_F_DUMP_INTR: the kernel's table changed while it was dumped, so the
 * listing may miss or repeat entries. libmnl would stop at that message
 * with EINTR and leave the rest of the dump in the socket; note it in
 * @nl->dump_intr, clear the flag, and read the dump to its end instead.
 */
static void take_dump_intr(struct spirec_nl *nl, void *buf, size_t len)
{
	struct nlmsghdr *nlh = buf;
	int left = (int)len;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= (uint16_t)~NLM_F_DUMP_INTR;
			nl->dump_intr = true;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
}

int spirec_nl_run(struct spirec_nl *nl, struct nlmsghdr *nlh, uint16_t type,
		  spirec_nl_msg_cb cb, void *data)
{
	struct request req = { .type = type, .cb = cb, .data = data };
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	nl->errmsg[0] = '\0';
	nl->dump_intr = false;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		ret = errno;
		spirec_nl_format_error(nl->errmsg, sizeof(nl->errmsg), ret,
				       NULL);
		return -ret;
	}

	while (!req.finished) {
		n = mnl_socket_recvfrom(nl->sock, nl->recvbuf,
					SPIREC_NL_RECVBUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = errno;
			if (ret == EAGAIN || ret == EWOULDBLOCK)
				spirec_nl_set_error(nl, "no reply from the kernel");
			else
				spirec_nl_format_error(nl->errmsg,
						       sizeof(nl->errmsg), ret,
						       NULL);
			return -ret;
		}
		take_dump_intr(nl, nl->recvbuf, (size_t)n);
		ret = mnl_cb_run2(nl->recvbuf, (size_t)n, seq, nl->portid,
				  request_data_cb, &req, request_ctl_cbs,
				  NLMSG_MIN_TYPE);
		if (ret < 0) {
			ret = errno ? errno : EPROTO;
			spirec_nl_set_error(nl, "bad reply from the kernel: %s",
					    strerror(ret));
			return -ret;
		}
	}

	if (req.bad_ack) {
		spirec_nl_set_error(nl, "malformed acknowledgement from the kernel");
		return -EBADMSG;
	}
	if (req.ack.error) {
		spirec_nl_format_error(nl->errmsg, sizeof(nl->errmsg),
				       req.ack.error, &req.ack);
		return -req.ack.error;
	}
	if (req.cb_err) {
		if (!nl->errmsg[0])
			spirec_nl_format_error(nl->errmsg, sizeof(nl->errmsg),
					       -req.cb_err, NULL);
		return req.cb_err;
	}
	return 0;
}

int spirec_nl_request(struct spirec_nl *nl, struct nlmsghdr *nlh,
		      spirec_nl_msg_cb cb, void *data)
{
	return spirec_nl_run(nl, nlh, nl->family_id, cb, data);
}
