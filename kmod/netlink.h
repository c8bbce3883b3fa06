/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink family "spirec" (uapi/linux/spirec.h).
 */
#ifndef _SPIREC_NETLINK_H
#define _SPIREC_NETLINK_H

#include <linux/types.h>
#include <net/net_namespace.h>

#include "netns.h"
#include "parse.h"

/**
 * struct spirec_event - one detection to report
 * @pkt: the packet
 * @ifindex: ingress interface
 * @mark: skb->mark used for the state lookup
 * @suppressed: packets of the peer not reported since its last event
 * @live_sas: valid states from the packet's source to its destination
 */
struct spirec_event {
	const struct spirec_pkt *pkt;
	u32 ifindex;
	u32 mark;
	u64 suppressed;
	u32 live_sas;
};

int spirec_genl_register(void);
void spirec_genl_unregister(void);
void spirec_nl_event(struct net *net, struct spirec_net *sn,
		     const struct spirec_event *ev);

#endif /* _SPIREC_NETLINK_H */
