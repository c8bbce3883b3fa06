// SPDX-License-Identifier: GPL-2.0
/*
 * NF_INET_LOCAL_IN hooks: look the SPI of ESP, AH and ESP-in-UDP packets
 * for this host up in the SA database and report the ones nobody knows.
 * The hooks only observe: they always return NF_ACCEPT, and xfrm drops
 * the packets exactly as it would without spirec.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/printk.h>
#include <linux/spirec.h>
#include <net/xfrm.h>

#include "netlink.h"
#include "netns.h"
#include "hook.h"
#include "parse.h"
#include "sadb.h"

static const char *spirec_kind(const struct spirec_pkt *pkt)
{
	if (pkt->encap == SPIREC_ENCAP_UDP)
		return "ESP-in-UDP 4500";
	return pkt->proto == IPPROTO_AH ? "AH" : "ESP";
}

static void spirec_log(const struct spirec_pkt *pkt, u32 live)
{
	if (pkt->family == AF_INET)
		pr_info_ratelimited("invalid SPI 0x%08x from %pI4 to %pI4 (%s), %u live SAs from there\n",
				    pkt->spi, &pkt->saddr.a4, &pkt->daddr.a4,
				    spirec_kind(pkt), live);
	else
		pr_info_ratelimited("invalid SPI 0x%08x from %pI6c to %pI6c (%s), %u live SAs from there\n",
				    pkt->spi, &pkt->saddr.in6, &pkt->daddr.in6,
				    spirec_kind(pkt), live);
}

static enum spirec_stat spirec_unknown_stat(const struct spirec_pkt *pkt)
{
	if (pkt->encap == SPIREC_ENCAP_UDP)
		return SPIREC_STAT_UNKNOWN_ESPINUDP;
	return pkt->proto == IPPROTO_AH ? SPIREC_STAT_UNKNOWN_AH :
					  SPIREC_STAT_UNKNOWN_ESP;
}

/*
 * The lookup xfrm_input() does, with the mark the packet has at LOCAL_IN.
 * xfrm_input() uses a VTI tunnel's i_key instead when the packet came
 * through ip_vti/ip6_vti; SAs keyed that way are not found here, but by
 * spirec_sadb_view() once the rate limiters let the detection through,
 * and then not reported. XFRM interfaces (if_id) are not affected.
 */
static bool spirec_spi_known(struct net *net, const struct sk_buff *skb,
			     const struct spirec_pkt *pkt)
{
	struct xfrm_state *x;

	x = xfrm_state_lookup(net, skb->mark, &pkt->daddr, htonl(pkt->spi),
			      pkt->proto, pkt->family);
	if (!x)
		return false;
	xfrm_state_put(x);
	return true;
}

/*
 * What is cheap and decides, whatever the packet's SPI, that no event can
 * come of it, checked before the SA lookup: a source not on the known-peer
 * list while known_peers_only is set, and an empty global bucket (no
 * event can be sent before it refills; under a flood of spoofed packets
 * it is empty almost all the time). Such a packet is counted as not_known
 * or limited_global, its SPI not looked up, valid or not, and nothing
 * else is touched (neither the peer table nor the peer's own counters):
 * a flood costs as little as can be. Otherwise fills in @now and @cfg.
 *
 * Caller holds rcu_read_lock().
 *
 * Return: true when the packet is done with.
 */
static bool spirec_no_event_possible(struct spirec_net *sn,
				     const struct spirec_pkt *pkt,
				     struct spirec_rl_cfg *cfg, u64 *now)
{
	if (READ_ONCE(sn->known_peers_only) &&
	    !spirec_known_match_rcu(&sn->known, pkt->family, &pkt->saddr)) {
		spirec_stat_inc(sn, SPIREC_STAT_NOT_KNOWN);
		return true;
	}
	*now = spirec_now();
	if (spirec_tb_empty(&sn->peers.tb, *now)) {
		spirec_stat_inc(sn, SPIREC_STAT_LIMITED_GLOBAL);
		return true;
	}
	spirec_rl_cfg_read(sn, cfg);
	if (!spirec_tb_ready(&sn->peers.tb, cfg->rate, *now)) {
		spirec_stat_inc(sn, SPIREC_STAT_LIMITED_GLOBAL);
		return true;
	}
	return false;
}

/*
 * A packet whose SPI no state holds, @cfg and @now from
 * spirec_no_event_possible(). Caller holds rcu_read_lock().
 */
static void spirec_unknown_spi(struct net *net, struct spirec_net *sn,
			       const struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       const struct spirec_pkt *pkt,
			       const struct spirec_rl_cfg *cfg, u64 now)
{
	struct spirec_event ev = { .pkt = pkt, .mark = skb->mark };
	struct spirec_sadb_view view;
	struct spirec_peer_key key;
	struct spirec_peer *peer;

	spirec_stat_inc(sn, spirec_unknown_stat(pkt));

	spirec_peer_key_init(&key, pkt->family, &pkt->saddr);
	switch (spirec_peers_get(&sn->peers, &key, cfg, now, &peer)) {
	case SPIREC_PEER_FOUND:
		break;
	case SPIREC_PEER_CREATED:
		spirec_gc_schedule(sn);
		break;
	case SPIREC_PEER_FULL:
		spirec_stat_inc(sn, SPIREC_STAT_TABLE_FULL);
		return;
	case SPIREC_PEER_NOMEM:
		spirec_stat_inc(sn, SPIREC_STAT_ALLOC_FAIL);
		return;
	}

	switch (spirec_peers_account(&sn->peers, peer, cfg, pkt, now,
				     &ev.suppressed)) {
	case SPIREC_VERDICT_EVENT:
		break;
	case SPIREC_VERDICT_LIMITED_PEER:
		spirec_stat_inc(sn, SPIREC_STAT_LIMITED_PEER);
		return;
	case SPIREC_VERDICT_LIMITED_GLOBAL:
		spirec_stat_inc(sn, SPIREC_STAT_LIMITED_GLOBAL);
		return;
	}

	/*
	 * Only now, at most global_rate times a second: a state under
	 * another mark holds the SPI (a VTI tunnel), or this host still has
	 * live SAs from the source, so the packet is a stray or spoofed one
	 * and no sign of a black hole. The event says so; spirecd acts on
	 * neither.
	 */
	spirec_sadb_view(net, pkt, &view);
	if (view.other_mark) {
		spirec_stat_inc(sn, SPIREC_STAT_OTHER_MARK);
		return;
	}
	ev.live_sas = view.live;
	if (view.live)
		spirec_stat_inc(sn, SPIREC_STAT_NOT_BLACKHOLE);

	if (READ_ONCE(sn->log))
		spirec_log(pkt, view.live);
	ev.ifindex = state->in ? state->in->ifindex : skb->skb_iif;
	spirec_nl_event(net, sn, &ev);
}

static unsigned int spirec_nf_hook(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct net *net = state->net;
	struct spirec_net *sn = spirec_net(net);
	enum spirec_parse_result res;
	struct spirec_rl_cfg cfg;
	struct spirec_pkt pkt;
	u16 natt_port;
	u64 now;

	if (!READ_ONCE(sn->enabled))
		return NF_ACCEPT;

	natt_port = READ_ONCE(sn->natt_port);
	if (state->pf == NFPROTO_IPV4)
		res = spirec_parse_ipv4(skb, natt_port, &pkt);
	else
		res = spirec_parse_ipv6(skb, natt_port, &pkt);

	switch (res) {
	case SPIREC_PARSE_IGNORE:
		return NF_ACCEPT;
	case SPIREC_PARSE_MALFORMED:
		spirec_stat_inc(sn, SPIREC_STAT_MALFORMED);
		return NF_ACCEPT;
	case SPIREC_PARSE_OK:
		break;
	}

	spirec_stat_inc(sn, SPIREC_STAT_INSPECTED);
	/*
	 * netfilter runs its hooks under rcu_read_lock() (nf_hook()), which
	 * is what the lookups below need: no lock of our own per packet.
	 */
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "spirec hook called outside an RCU read-side section");
	if (!spirec_no_event_possible(sn, &pkt, &cfg, &now) &&
	    !spirec_spi_known(net, skb, &pkt))
		spirec_unknown_spi(net, sn, skb, state, &pkt, &cfg, now);
	return NF_ACCEPT;
}

/*
 * After the other LOCAL_IN hooks (filter, security, conntrack helpers): a
 * packet some firewall rule drops never reaches xfrm and is not reported.
 */
static const struct nf_hook_ops spirec_nf_ops[] = {
	{
		.hook		= spirec_nf_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_LAST,
	},
	{
		.hook		= spirec_nf_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_LAST,
	},
};

/**
 * spirec_hooks_register - register the hooks in a netns
 * @net: the netns
 *
 * Return: 0 or a negative errno.
 */
int spirec_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, spirec_nf_ops,
				     ARRAY_SIZE(spirec_nf_ops));
}

/**
 * spirec_hooks_unregister - unregister the hooks of a netns
 * @net: the netns
 *
 * A hook may still be running on another CPU when this returns; the
 * caller waits for a grace period before freeing what the hook uses.
 */
void spirec_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, spirec_nf_ops, ARRAY_SIZE(spirec_nf_ops));
}
