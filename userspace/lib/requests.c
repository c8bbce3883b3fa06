// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The spirec requests: build, send, parse the replies.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/spirec.h>

#include "known.h"
#include "requests.h"

struct stats_reply {
	struct spirec_nl *nl;
	struct spirec_stats_reply *st;
	bool got;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *r = data;
	const char *why = "";
	int ret;

	ret = spirec_stats_reply_parse(nlh, nlh->nlmsg_len, r->st, &why);
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

int spirec_get_stats(struct spirec_nl *nl, struct spirec_stats_reply *st)
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

struct peer_dump {
	struct spirec_nl *nl;
	int (*cb)(const struct spirec_peer_row *peer, void *data);
	void *data;
};

static int peer_cb(const struct nlmsghdr *nlh, void *data)
{
	struct peer_dump *d = data;
	struct spirec_peer_row peer;
	const char *why = "";
	int ret;

	ret = spirec_peer_row_parse(nlh, nlh->nlmsg_len, &peer, &why);
	if (ret == -ENOMSG)
		return 0;
	if (ret) {
		spirec_nl_set_error(d->nl, "malformed peer entry from the kernel: %s",
				    why);
		return ret;
	}
	return d->cb(&peer, d->data);
}

int spirec_dump_peers(struct spirec_nl *nl,
		      int (*cb)(const struct spirec_peer_row *peer, void *data),
		      void *data)
{
	struct peer_dump d = { .nl = nl, .cb = cb, .data = data };

	return spirec_nl_request(nl, spirec_nl_msg(nl, SPIREC_CMD_GET_PEERS,
						   true), peer_cb, &d);
}

struct known_dump {
	struct spirec_nl *nl;
	int (*cb)(const struct spirec_cidr *pfx, void *data);
	void *data;
};

static int known_cb(const struct nlmsghdr *nlh, void *data)
{
	struct known_dump *d = data;
	struct spirec_cidr pfx;
	const char *why = "";
	int ret;

	ret = spirec_known_parse(nlh, nlh->nlmsg_len, &pfx, &why);
	if (ret == -ENOMSG)
		return 0;
	if (ret) {
		spirec_nl_set_error(d->nl, "malformed known-peer entry from the kernel: %s",
				    why);
		return ret;
	}
	return d->cb(&pfx, d->data);
}

int spirec_dump_known(struct spirec_nl *nl,
		      int (*cb)(const struct spirec_cidr *pfx, void *data),
		      void *data)
{
	struct known_dump d = { .nl = nl, .cb = cb, .data = data };

	return spirec_nl_request(nl, spirec_nl_msg(nl, SPIREC_CMD_KNOWN_GET,
						   true), known_cb, &d);
}

static int known_change(struct spirec_nl *nl, uint8_t cmd,
			const struct spirec_cidr *pfx)
{
	struct nlmsghdr *nlh = spirec_nl_msg(nl, cmd, false);
	size_t alen = spirec_addr_len(pfx->addr.family);

	if (!alen || pfx->prefixlen > spirec_addr_maxprefix(pfx->addr.family)) {
		spirec_nl_set_error(nl, "invalid address or prefix length");
		return -EINVAL;
	}
	mnl_attr_put_u16(nlh, SPIREC_A_FAMILY, pfx->addr.family);
	mnl_attr_put(nlh, SPIREC_A_ADDR, alen, pfx->addr.bytes);
	mnl_attr_put_u8(nlh, SPIREC_A_PREFIXLEN, pfx->prefixlen);
	return spirec_nl_request(nl, nlh, NULL, NULL);
}

int spirec_known_add(struct spirec_nl *nl, const struct spirec_cidr *pfx)
{
	return known_change(nl, SPIREC_CMD_KNOWN_ADD, pfx);
}

int spirec_known_del(struct spirec_nl *nl, const struct spirec_cidr *pfx)
{
	return known_change(nl, SPIREC_CMD_KNOWN_DEL, pfx);
}

int spirec_flush_peers(struct spirec_nl *nl)
{
	return spirec_nl_request(nl, spirec_nl_msg(nl, SPIREC_CMD_FLUSH_PEERS,
						   false), NULL, NULL);
}
