/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/spirec.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SPIREC_GEN_H
#define _LINUX_SPIREC_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/spirec.h>
#include <compat.h>

/* Ops table for spirec */
extern const struct genl_split_ops spirec_nl_ops[6];

int spirec_nl_get_peers_start(struct netlink_callback *cb);
int spirec_nl_get_peers_done(struct netlink_callback *cb);

int spirec_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info);
int spirec_nl_get_peers_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int spirec_nl_flush_peers_doit(struct sk_buff *skb, struct genl_info *info);
int spirec_nl_known_add_doit(struct sk_buff *skb, struct genl_info *info);
int spirec_nl_known_del_doit(struct sk_buff *skb, struct genl_info *info);
int spirec_nl_known_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);

enum {
	SPIREC_NLGRP_EVENTS,
};

#endif /* _LINUX_SPIREC_GEN_H */
