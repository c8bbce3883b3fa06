// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NETLINK_XFRM: dump the kernel's SAs (XFRM_MSG_GETSA with NLM_F_DUMP, as
 * `ip xfrm state` does) and parse each XFRM_MSG_NEWSA of the reply.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "nl.h"
#include "xfrm_sa.h"

/* A dump that takes longer than this means something is wrong. */
#define XFRM_DUMP_TIMEOUT_S	2
/* The kernel never builds dump datagrams larger than 32 KiB. */
#define XFRM_RECVBUF_SIZE	32768

struct parse_ctx {
	struct spirecd_xfrm_sa *sa;
	const char *why;
};

/*
 * The algorithm attributes: the smallest payload each can have (the
 * structure before its key), and the protocol whose keys it holds.
 */
static const struct alg_attr {
	uint16_t type;
	uint8_t proto;
	size_t min;
	const char *short_why;
} alg_attrs[] = {
	{ XFRMA_ALG_AEAD, IPPROTO_ESP, sizeof(struct xfrm_algo_aead),
	  "short XFRMA_ALG_AEAD" },
	{ XFRMA_ALG_CRYPT, IPPROTO_ESP, sizeof(struct xfrm_algo),
	  "short XFRMA_ALG_CRYPT" },
	{ XFRMA_ALG_AUTH, IPPROTO_AH, sizeof(struct xfrm_algo),
	  "short XFRMA_ALG_AUTH" },
	{ XFRMA_ALG_AUTH_TRUNC, IPPROTO_AH, sizeof(struct xfrm_algo_auth),
	  "short XFRMA_ALG_AUTH_TRUNC" },
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct parse_ctx *c = data;
	struct spirecd_xfrm_sa *sa = c->sa;
	uint16_t type = mnl_attr_get_type(a);

	for (size_t i = 0; i < sizeof(alg_attrs) / sizeof(alg_attrs[0]); i++) {
		const struct alg_attr *alg = &alg_attrs[i];

		if (type != alg->type)
			continue;
		if (mnl_attr_get_payload_len(a) < alg->min) {
			c->why = alg->short_why;
			return MNL_CB_ERROR;
		}
		if (sa->proto == alg->proto)
			sa->has_keys = true;
		return MNL_CB_OK;
	}
	if (type == XFRMA_MARK) {
		const struct xfrm_mark *m;

		if (mnl_attr_get_payload_len(a) != sizeof(*m)) {
			c->why = "XFRMA_MARK of the wrong size";
			return MNL_CB_ERROR;
		}
		m = mnl_attr_get_payload(a);
		sa->mark = m->v;
		sa->mark_mask = m->m;
	}
	return MNL_CB_OK;
}

int spirecd_xfrm_sa_parse(const void *buf, size_t len,
			  struct spirecd_xfrm_sa *sa, const char **why)
{
	const struct nlmsghdr *nlh = buf;
	struct xfrm_usersa_info p;
	struct parse_ctx c = { .sa = sa };
	const struct nlattr *a;
	size_t alen, off;
	long left;

	memset(sa, 0, sizeof(*sa));
	if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
	    nlh->nlmsg_len > len) {
		if (why)
			*why = "truncated netlink header";
		return -EBADMSG;
	}
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA)
		return -ENOMSG;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(p))) {
		if (why)
			*why = "message shorter than struct xfrm_usersa_info";
		return -EBADMSG;
	}
	/*
	 * Netlink aligns messages to 4 bytes, the structure needs 8 (its
	 * 64-bit counters): the second message of a datagram may sit at an
	 * address it cannot be read from in place.
	 */
	memcpy(&p, mnl_nlmsg_get_payload(nlh), sizeof(p));
	alen = spirec_addr_len(p.family);
	if (!alen) {
		if (why)
			*why = "state of an unknown address family";
		return -EBADMSG;
	}
	sa->family = p.family;
	spirec_addr_set(&sa->saddr, p.family, &p.saddr, alen);
	spirec_addr_set(&sa->daddr, p.family, &p.id.daddr, alen);
	sa->spi = ntohl(p.id.spi);
	sa->proto = p.id.proto;
	/*
	 * Attributes follow the aligned structure. Unlike mnl_attr_parse(),
	 * an attribute that does not fit is an error, not the end.
	 */
	off = NLMSG_LENGTH(NLMSG_ALIGN(sizeof(p)));
	left = nlh->nlmsg_len > off ? (long)(nlh->nlmsg_len - off) : 0;
	a = (const struct nlattr *)((const uint8_t *)buf + off);
	while (left > 0) {
		if (!mnl_attr_ok(a, (int)left)) {
			if (why)
				*why = "attribute runs past the message";
			return -EBADMSG;
		}
		if (attr_cb(a, &c) != MNL_CB_OK) {
			if (why)
				*why = c.why;
			return -EBADMSG;
		}
		left -= MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	sa->valid = (sa->proto == IPPROTO_ESP || sa->proto == IPPROTO_AH) &&
		    sa->spi != 0 && sa->has_keys;
	return 0;
}

struct dump_ctx {
	spirecd_xfrm_sa_cb cb;
	void *data;
	struct spirecd_xfrm_dump_stats *st;
	bool stopped;
};

static int dump_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct spirecd_xfrm_sa sa;
	const char *why = NULL;
	int ret;

	if (d->stopped)
		return MNL_CB_OK;
	ret = spirecd_xfrm_sa_parse(nlh, nlh->nlmsg_len, &sa, &why);
	if (ret == -ENOMSG)
		return MNL_CB_OK;
	if (ret) {
		d->st->skipped++;
		d->st->last_why = why;
		return MNL_CB_OK;
	}
	d->st->states++;
	if (!d->cb(&sa, d->data))
		d->stopped = true;
	return MNL_CB_OK;
}

int spirecd_xfrm_sa_dump(spirecd_xfrm_sa_cb cb, void *data,
			 struct spirecd_xfrm_dump_stats *st, char *err,
			 size_t errlen)
{
	struct timeval tv = { .tv_sec = XFRM_DUMP_TIMEOUT_S };
	struct dump_ctx d = { .cb = cb, .data = data, .st = st };
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	uint32_t seq, portid;
	void *buf;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	buf = malloc(XFRM_RECVBUF_SIZE);
	if (!buf) {
		snprintf(err, errlen, "xfrm dump: out of memory");
		return -ENOMEM;
	}
	nl = mnl_socket_open2(NETLINK_XFRM, SOCK_CLOEXEC);
	if (!nl) {
		ret = -errno;
		snprintf(err, errlen, "xfrm dump: netlink socket: %s",
			 strerror(errno));
		free(buf);
		return ret;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		snprintf(err, errlen, "xfrm dump: bind: %s", strerror(errno));
		goto out;
	}
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	portid = mnl_socket_get_portid(nl);
	seq = (uint32_t)time(NULL);

	/* The dump takes no payload: the header alone asks for every SA. */
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = XFRM_MSG_GETSA;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		snprintf(err, errlen, "xfrm dump: send: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, XFRM_RECVBUF_SIZE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "xfrm dump: %s",
				 errno == EAGAIN ? "no reply from the kernel" :
				 strerror(errno));
			goto out;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, dump_data_cb, &d);
		if (ret == MNL_CB_STOP) {
			ret = 0;
			break;
		}
		if (ret < 0) {
			char why[SPIREC_NL_ERRMSG_LEN];

			ret = errno ? -errno : -EPROTO;
			spirec_nl_format_error(why, sizeof(why), -ret, NULL);
			snprintf(err, errlen, "xfrm dump: %s", why);
			goto out;
		}
	}
out:
	mnl_socket_close(nl);
	free(buf);
	return ret;
}
