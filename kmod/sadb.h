/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the SA database says about a detection's source: whether this host
 * still shares IPsec state with it, and whether the SPI is held under
 * another mark (a VTI tunnel's key).
 */
#ifndef _SPIREC_SADB_H
#define _SPIREC_SADB_H

#include <linux/types.h>
#include <net/net_namespace.h>

#include "parse.h"

/**
 * struct spirec_sadb_view - the SA database's view of one detection
 * @live: valid ESP and AH states, any SPI and any mark, from the packet's
 *	source to its destination
 * @other_mark: a state with the packet's SPI, protocol and destination
 *	exists under a mark the packet did not carry: xfrm_input() finds it
 *	once ip_vti/ip6_vti has set the tunnel's key as the mark
 */
struct spirec_sadb_view {
	u32 live;
	bool other_mark;
};

void spirec_sadb_view(struct net *net, const struct spirec_pkt *pkt,
		      struct spirec_sadb_view *view);

#endif /* _SPIREC_SADB_H */
