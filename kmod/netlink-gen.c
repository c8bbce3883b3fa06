// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/spirec.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/spirec.h>
#include <compat.h>

/* SPIREC_CMD_KNOWN_ADD - do */
static const struct nla_policy spirec_known_add_nl_policy[SPIREC_A_PREFIXLEN + 1] = {
	[SPIREC_A_FAMILY] = NLA_POLICY_RANGE(NLA_U16, 2, 10),
	[SPIREC_A_ADDR] = { .type = NLA_BINARY, },
	[SPIREC_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

/* SPIREC_CMD_KNOWN_DEL - do */
static const struct nla_policy spirec_known_del_nl_policy[SPIREC_A_PREFIXLEN + 1] = {
	[SPIREC_A_FAMILY] = NLA_POLICY_RANGE(NLA_U16, 2, 10),
	[SPIREC_A_ADDR] = { .type = NLA_BINARY, },
	[SPIREC_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

/* Ops table for spirec */
const struct genl_split_ops spirec_nl_ops[6] = {
	{
		.cmd	= SPIREC_CMD_GET_STATS,
		.doit	= spirec_nl_get_stats_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SPIREC_CMD_GET_PEERS,
		.start	= spirec_nl_get_peers_start,
		.dumpit	= spirec_nl_get_peers_dumpit,
		.done	= spirec_nl_get_peers_done,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= SPIREC_CMD_FLUSH_PEERS,
		.doit	= spirec_nl_flush_peers_doit,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SPIREC_CMD_KNOWN_ADD,
		.doit		= spirec_nl_known_add_doit,
		.policy		= spirec_known_add_nl_policy,
		.maxattr	= SPIREC_A_PREFIXLEN,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SPIREC_CMD_KNOWN_DEL,
		.doit		= spirec_nl_known_del_doit,
		.policy		= spirec_known_del_nl_policy,
		.maxattr	= SPIREC_A_PREFIXLEN,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SPIREC_CMD_KNOWN_GET,
		.dumpit	= spirec_nl_known_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
};

static const struct genl_multicast_group spirec_nl_mcgrps[] = {
	[SPIREC_NLGRP_EVENTS] = { "events", },
};
