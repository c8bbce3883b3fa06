// SPDX-License-Identifier: GPL-2.0
/*
 * One pass over the netns's SA database for a detection that the rate
 * limiters let through (at most net.spirec.global_rate a second): the
 * states from the packet's source, and the packet's SPI under any mark.
 * xfrm_state_lookup() matches the mark exactly and no exported lookup
 * ignores it, so the walk is the one way to see both.
 */

#include <linux/in.h>
#include <net/xfrm.h>

#include "sadb.h"

struct spirec_sadb_walk_arg {
	const struct spirec_pkt *pkt;
	struct spirec_sadb_view *view;
};

/* Under the netns's xfrm_state_lock, BHs off. */
static int spirec_sadb_one(struct xfrm_state *x, int count, void *ptr)
{
	const struct spirec_sadb_walk_arg *arg = ptr;
	const struct spirec_pkt *pkt = arg->pkt;

	if (x->props.family != pkt->family ||
	    (x->id.proto != IPPROTO_ESP && x->id.proto != IPPROTO_AH) ||
	    !xfrm_addr_equal(&x->id.daddr, &pkt->daddr, pkt->family))
		return 0;
	if (x->id.proto == pkt->proto && x->id.spi == htonl(pkt->spi))
		arg->view->other_mark = true;
	if (x->km.state == XFRM_STATE_VALID &&
	    xfrm_addr_equal(&x->props.saddr, &pkt->saddr, pkt->family))
		arg->view->live++;
	return 0;
}

/**
 * spirec_sadb_view - look at the SA database for one detection
 * @net: the netns the packet arrived in
 * @pkt: the packet
 * @view: filled in
 *
 * Any context (the hook's softirq included): xfrm_state_walk() takes the
 * netns's xfrm_state_lock with BHs disabled and the callback never sleeps.
 * The cost grows with the number of states; the caller bounds how often.
 */
void spirec_sadb_view(struct net *net, const struct spirec_pkt *pkt,
		      struct spirec_sadb_view *view)
{
	struct spirec_sadb_walk_arg arg = { .pkt = pkt, .view = view };
	struct xfrm_state_walk walk;

	view->live = 0;
	view->other_mark = false;
	xfrm_state_walk_init(&walk, IPSEC_PROTO_ANY, NULL);
	xfrm_state_walk(net, &walk, spirec_sadb_one, &arg);
	xfrm_state_walk_done(&walk, net);
}
