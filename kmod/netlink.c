// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "spirec": requests, dumps and the events group.
 *
 * Every request works on the netns of the requesting socket. Requests are
 * serialized by genl_mutex (parallel_ops off); the code does not depend on
 * it. Permissions are checked by the genetlink core: GENL_UNS_ADMIN_PERM
 * for everything but GET_STATS, GENL_MCAST_CAP_NET_ADMIN for joining the
 * events group (see compat.h).
 *
 * The per-operation policies and the op table are generated from
 * Documentation/netlink/spirec.yaml (netlink-gen.c, `make netlink-gen`):
 * KNOWN_ADD and KNOWN_DEL take a prefix and nothing else (strict
 * validation refuses any other attribute with an extack message); every
 * other request takes no attribute at all (spirec_genl_register() gives
 * the operations without a policy one that rejects everything). The
 * handlers below have the names the generated table calls.
 */

#include <linux/build_bug.h>
#include <linux/math64.h>
#include <linux/spirec.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "compat.h"
#include "netlink-gen.h"
#include "netlink.h"

static_assert(SPIREC_STATS_A_INSPECTED + SPIREC_STAT_NUM ==
	      __SPIREC_STATS_A_MAX);

/*
 * The generated group table (netlink-gen.c) cannot carry the flag, so the
 * family has its own, indexed by the generated group ids.
 */
static const struct genl_multicast_group spirec_mcgrps[] = {
	[SPIREC_NLGRP_EVENTS] = {
		.name	= SPIREC_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family spirec_family;

/*
 * Set once the family is registered, cleared before it is unregistered;
 * the hooks, which outlive the family on module exit, check it under RCU.
 */
static bool spirec_genl_ready;

static bool spirec_has_listeners(struct net *net)
{
	return genl_has_listeners(&spirec_family, net,
				  SPIREC_NLGRP_EVENTS) > 0;
}

static size_t spirec_event_size(void)
{
	return nla_total_size(sizeof(u16)) +		  /* FAMILY */
	       2 * nla_total_size(sizeof(struct in6_addr)) + /* SRC, DST */
	       nla_total_size(sizeof(u32)) +		  /* SPI */
	       2 * nla_total_size(sizeof(u8)) +		  /* PROTO, ENCAP */
	       2 * nla_total_size(sizeof(u16)) +	  /* SPORT, DPORT */
	       3 * nla_total_size(sizeof(u32)) +	  /* IFINDEX, MARK, LIVE_SAS */
	       nla_total_size_64bit(sizeof(u64));	  /* SUPPRESSED */
}

static int spirec_fill_event(struct sk_buff *skb, const struct spirec_event *ev)
{
	const struct spirec_pkt *pkt = ev->pkt;
	unsigned int alen = spirec_addr_len(pkt->family);
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &spirec_family, 0, SPIREC_CMD_EVENT);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, SPIREC_A_FAMILY, pkt->family) ||
	    nla_put(skb, SPIREC_A_SRC, alen, &pkt->saddr) ||
	    nla_put(skb, SPIREC_A_DST, alen, &pkt->daddr) ||
	    nla_put_u32(skb, SPIREC_A_SPI, pkt->spi) ||
	    nla_put_u8(skb, SPIREC_A_PROTO, pkt->proto) ||
	    nla_put_u8(skb, SPIREC_A_ENCAP, pkt->encap))
		goto cancel;
	if (pkt->encap == SPIREC_ENCAP_UDP &&
	    (nla_put_u16(skb, SPIREC_A_SPORT, pkt->sport) ||
	     nla_put_u16(skb, SPIREC_A_DPORT, pkt->dport)))
		goto cancel;
	if (nla_put_u32(skb, SPIREC_A_IFINDEX, ev->ifindex) ||
	    nla_put_u32(skb, SPIREC_A_MARK, ev->mark) ||
	    nla_put_u64_64bit(skb, SPIREC_A_SUPPRESSED, ev->suppressed,
			      SPIREC_A_PAD) ||
	    nla_put_u32(skb, SPIREC_A_LIVE_SAS, ev->live_sas))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * spirec_nl_event - multicast one event to the netns's events group
 * @net: the netns
 * @sn: its state (counters)
 * @ev: the event
 *
 * Softirq context, under rcu_read_lock(). Builds nothing when nobody
 * listens; failures are counted, never fatal.
 */
void spirec_nl_event(struct net *net, struct spirec_net *sn,
		     const struct spirec_event *ev)
{
	struct sk_buff *skb;
	int err;

	/* Pairs with smp_store_release() in spirec_genl_register(). */
	if (!smp_load_acquire(&spirec_genl_ready) ||
	    !spirec_has_listeners(net)) {
		spirec_stat_inc(sn, SPIREC_STAT_NO_LISTENER);
		return;
	}

	skb = genlmsg_new(spirec_event_size(), GFP_ATOMIC);
	if (!skb) {
		spirec_stat_inc(sn, SPIREC_STAT_ALLOC_FAIL);
		return;
	}
	if (WARN_ON_ONCE(spirec_fill_event(skb, ev))) {
		nlmsg_free(skb);
		spirec_stat_inc(sn, SPIREC_STAT_ALLOC_FAIL);
		return;
	}

	/*
	 * -ESRCH means no listener took the event: either the last one left
	 * since the check above, or every listener's receive queue was full
	 * (netlink_broadcast() counts an overrun as "not delivered" unless
	 * the socket asked for NETLINK_BROADCAST_ERROR). An overrun is an
	 * event all the same: the listener's socket records it and its next
	 * read fails with ENOBUFS, which tells it to re-sync. So only count
	 * no_listener when the group is really empty now.
	 */
	err = genlmsg_multicast_netns(&spirec_family, net, skb, 0,
				      SPIREC_NLGRP_EVENTS, GFP_ATOMIC);
	if (err == -ESRCH && !spirec_has_listeners(net))
		spirec_stat_inc(sn, SPIREC_STAT_NO_LISTENER);
	else
		spirec_stat_inc(sn, SPIREC_STAT_EVENTS);
}

static size_t spirec_stats_size(void)
{
	return nla_total_size(sizeof(u8)) +			/* ENABLED */
	       nla_total_size(sizeof(u8)) +			/* LISTENERS */
	       nla_total_size(sizeof(u32)) +			/* PEER_COUNT */
	       nla_total_size(0) +				/* STATS */
	       SPIREC_STAT_NUM * nla_total_size_64bit(sizeof(u64));
}

int spirec_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct spirec_net *sn = spirec_net(net);
	u64 stats[SPIREC_STAT_NUM];
	struct sk_buff *msg;
	struct nlattr *nest;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(spirec_stats_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &spirec_family, 0,
				SPIREC_CMD_GET_STATS);
	if (!hdr)
		goto nospace;

	if (nla_put_u8(msg, SPIREC_A_ENABLED, !!READ_ONCE(sn->enabled)) ||
	    nla_put_u8(msg, SPIREC_A_LISTENERS, spirec_has_listeners(net)) ||
	    nla_put_u32(msg, SPIREC_A_PEER_COUNT,
			spirec_peers_count(&sn->peers)))
		goto nospace;

	nest = nla_nest_start(msg, SPIREC_A_STATS);
	if (!nest)
		goto nospace;
	spirec_stats_read(sn, stats);
	for (i = 0; i < SPIREC_STAT_NUM; i++)
		if (nla_put_u64_64bit(msg, SPIREC_STATS_A_INSPECTED + i,
				      stats[i], SPIREC_STATS_A_PAD))
			goto nospace;
	nla_nest_end(msg, nest);

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

struct spirec_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct spirec_net *sn;
	u64 now;
};

/* One message of a dump; NLM_F_DUMP_INTR if cb->seq moved (see below). */
static void *spirec_dump_put(struct spirec_dump *d, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &spirec_family, NLM_F_MULTI,
			  cmd);
	if (hdr)
		genl_dump_check_consistent(d->cb, hdr);
	return hdr;
}

static int spirec_fill_peer(const struct spirec_peer_key *key,
			    const struct spirec_peer_state *st, void *arg)
{
	struct spirec_dump *d = arg;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	u64 seen_ms;
	bool known;
	void *hdr;

	seen_ms = div_u64(spirec_elapsed(d->now, st->last_seen),
			  NSEC_PER_MSEC);
	known = spirec_known_match(&d->sn->known, key->family, &key->addr);

	hdr = spirec_dump_put(d, SPIREC_CMD_GET_PEERS);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, SPIREC_A_PEER);
	if (!nest ||
	    nla_put_u16(skb, SPIREC_PEER_A_FAMILY, key->family) ||
	    nla_put(skb, SPIREC_PEER_A_ADDR, spirec_addr_len(key->family),
		    &key->addr) ||
	    nla_put_u64_64bit(skb, SPIREC_PEER_A_PACKETS, st->packets,
			      SPIREC_PEER_A_PAD) ||
	    nla_put_u64_64bit(skb, SPIREC_PEER_A_EVENTS, st->events,
			      SPIREC_PEER_A_PAD) ||
	    nla_put_u64_64bit(skb, SPIREC_PEER_A_SUPPRESSED,
			      st->suppressed_total, SPIREC_PEER_A_PAD) ||
	    nla_put_u32(skb, SPIREC_PEER_A_LAST_SPI, st->last_spi) ||
	    nla_put_u8(skb, SPIREC_PEER_A_LAST_PROTO, st->last_proto) ||
	    nla_put_u8(skb, SPIREC_PEER_A_LAST_ENCAP, st->last_encap) ||
	    nla_put_u64_64bit(skb, SPIREC_PEER_A_LAST_SEEN_MS, seen_ms,
			      SPIREC_PEER_A_PAD) ||
	    nla_put_u8(skb, SPIREC_PEER_A_KNOWN, known))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * A peer dump's cursor lives in cb->args[0] from .start to .done.
 * cb->seq is the table's generation (plus the resizes that rewound the
 * walk): when it differs between two parts of the dump, the next message
 * carries NLM_F_DUMP_INTR.
 */
int spirec_nl_get_peers_start(struct netlink_callback *cb)
{
	struct spirec_net *sn = spirec_net(sock_net(cb->skb->sk));
	struct spirec_peers_cursor *c;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	spirec_peers_walk_enter(&sn->peers, c);
	cb->args[0] = (long)c;
	return 0;
}

int spirec_nl_get_peers_done(struct netlink_callback *cb)
{
	struct spirec_peers_cursor *c = (void *)cb->args[0];

	if (c) {
		spirec_peers_walk_exit(c);
		kfree(c);
	}
	return 0;
}

int spirec_nl_get_peers_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct spirec_peers_cursor *c = (void *)cb->args[0];
	struct spirec_dump d = {
		.skb = skb,
		.cb = cb,
		.sn = spirec_net(sock_net(skb->sk)),
		.now = spirec_now(),
	};
	int err;

	cb->seq = spirec_peers_gen(&d.sn->peers);
	err = spirec_peers_walk(c, spirec_fill_peer, &d);
	if (c->rewound) {
		cb->args[1]++;
		c->rewound = false;
	}
	cb->seq += cb->args[1];
	/* An entry that does not fit an empty message never will. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

int spirec_nl_flush_peers_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct spirec_net *sn = spirec_net(genl_info_net(info));

	spirec_peers_flush(&sn->peers);
	return 0;
}

static int spirec_nl_parse_prefix(struct genl_info *info,
				  struct spirec_prefix *p)
{
	struct nlattr **attrs = info->attrs;
	unsigned int alen;
	u8 plen;

	if (GENL_REQ_ATTR_CHECK(info, SPIREC_A_FAMILY) ||
	    GENL_REQ_ATTR_CHECK(info, SPIREC_A_ADDR))
		return -EINVAL;

	memset(p, 0, sizeof(*p));
	p->family = nla_get_u16(attrs[SPIREC_A_FAMILY]);
	if (p->family != AF_INET && p->family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[SPIREC_A_FAMILY],
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	alen = spirec_addr_len(p->family);
	if (nla_len(attrs[SPIREC_A_ADDR]) != alen) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[SPIREC_A_ADDR],
				    "address length does not match the family");
		return -EINVAL;
	}
	memcpy(&p->addr, nla_data(attrs[SPIREC_A_ADDR]), alen);

	p->prefixlen = alen * BITS_PER_BYTE;
	if (attrs[SPIREC_A_PREFIXLEN]) {
		plen = nla_get_u8(attrs[SPIREC_A_PREFIXLEN]);
		if (plen > p->prefixlen) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[SPIREC_A_PREFIXLEN],
					    "prefix length too long for the family");
			return -EINVAL;
		}
		p->prefixlen = plen;
	}
	return 0;
}

/* @change (add or delete) the request's prefix on the known-peer list. */
static int spirec_nl_known_change(struct genl_info *info,
				  int (*change)(struct spirec_known *k,
						const struct spirec_prefix *p))
{
	struct spirec_net *sn = spirec_net(genl_info_net(info));
	struct spirec_prefix p;
	int err;

	err = spirec_nl_parse_prefix(info, &p);
	if (err)
		return err;
	return change(&sn->known, &p);
}

int spirec_nl_known_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = spirec_nl_known_change(info, spirec_known_add);

	if (err == -EEXIST)
		GENL_SET_ERR_MSG(info, "prefix is on the known-peer list already");
	else if (err == -ENOSPC)
		GENL_SET_ERR_MSG(info, "known-peer list is full");
	return err;
}

int spirec_nl_known_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = spirec_nl_known_change(info, spirec_known_del);

	if (err == -ENOENT)
		GENL_SET_ERR_MSG(info, "prefix is not on the known-peer list");
	return err;
}

static int spirec_fill_known(const struct spirec_prefix *p, void *arg)
{
	struct spirec_dump *d = arg;
	struct sk_buff *skb = d->skb;
	void *hdr;

	hdr = spirec_dump_put(d, SPIREC_CMD_KNOWN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, SPIREC_A_FAMILY, p->family) ||
	    nla_put(skb, SPIREC_A_ADDR, spirec_addr_len(p->family), &p->addr) ||
	    nla_put_u8(skb, SPIREC_A_PREFIXLEN, p->prefixlen)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: index in the known-peer list. */
int spirec_nl_known_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct spirec_dump d = {
		.skb = skb,
		.cb = cb,
		.sn = spirec_net(sock_net(skb->sk)),
	};
	unsigned long index = cb->args[0];
	int err;

	cb->seq = spirec_known_gen(&d.sn->known);
	err = spirec_known_walk(&d.sn->known, &index, spirec_fill_known, &d);
	cb->args[0] = index;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static struct genl_family spirec_family __ro_after_init = {
	.name		= SPIREC_GENL_NAME,
	.version	= SPIREC_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.resv_start_op	= SPIREC_CMD_GET_STATS,
	.mcgrps		= spirec_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(spirec_mcgrps),
};

/*
 * The generated table has no policy for an operation whose request has no
 * attribute, and a split op without one takes any attribute: genetlink
 * (6.12, 7.2) uses its reject-all policy only for policy dumps, not on the
 * request path (6.1 fills it in for plain ops from resv_start_op on). The
 * family registers a copy of the table in which every such operation has a
 * policy that rejects every attribute, on all kernels alike.
 */
static const struct nla_policy spirec_nl_reject_all[] = {
	{ .type = NLA_REJECT },
	{ .type = NLA_REJECT },
};

static struct genl_split_ops spirec_ops[ARRAY_SIZE(spirec_nl_ops)]
	__ro_after_init;

/**
 * spirec_genl_register - register the family
 *
 * Return: 0 or a negative errno.
 */
int __init spirec_genl_register(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(spirec_ops); i++) {
		spirec_ops[i] = spirec_nl_ops[i];
		if (spirec_ops[i].policy)
			continue;
		spirec_ops[i].policy = spirec_nl_reject_all;
		spirec_ops[i].maxattr = ARRAY_SIZE(spirec_nl_reject_all) - 1;
	}
	spirec_genl_set_ops(&spirec_family, spirec_ops, ARRAY_SIZE(spirec_ops));
	err = genl_register_family(&spirec_family);
	if (err)
		return err;
	/* The family's id and groups are set before hooks may use them. */
	smp_store_release(&spirec_genl_ready, true);
	return 0;
}

/**
 * spirec_genl_unregister - unregister the family
 *
 * Waits until no hook can be building an event any more.
 */
void spirec_genl_unregister(void)
{
	WRITE_ONCE(spirec_genl_ready, false);
	synchronize_net();
	genl_unregister_family(&spirec_family);
}
