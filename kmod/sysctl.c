// SPDX-License-Identifier: GPL-2.0
/*
 * net.spirec.* sysctls, one copy of the table per network namespace.
 * proc_dointvec_minmax() rejects values out of range with -EINVAL. A
 * namespace owned by another user namespace than the initial one gets
 * lower upper bounds for global_rate and max_peers.
 */

#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/sysctl.h>

#include "compat.h"
#include "netns.h"
#include "sysctl.h"

static int spirec_interval_max = 3600000;
static int spirec_rate_max = 100000;
static int spirec_peers_max = 1048576;
/*
 * Outside the initial user namespace the namespace's root may be any
 * user: the limits that cost the host memory and CPU are clamped.
 */
static int spirec_userns_rate_max = 1000;
static int spirec_userns_peers_max = 4096;
static int spirec_port_max = 65535;

enum {
	SPIREC_SYSCTL_ENABLED,
	SPIREC_SYSCTL_PEER_INTERVAL_MS,
	SPIREC_SYSCTL_GLOBAL_RATE,
	SPIREC_SYSCTL_MAX_PEERS,
	SPIREC_SYSCTL_KNOWN_PEERS_ONLY,
	SPIREC_SYSCTL_LOG,
	SPIREC_SYSCTL_NATT_PORT,

	SPIREC_SYSCTL_NUM
};

/* An int sysctl @name, index @idx, of @min to @max (pointers to ints). */
#define SPIREC_SYSCTL_INT(idx, name, min, max)				\
	[idx] = {							\
		.procname	= name,					\
		.maxlen		= sizeof(int),				\
		.mode		= 0644,					\
		.proc_handler	= proc_dointvec_minmax,			\
		.extra1		= min,					\
		.extra2		= max,					\
	}

/* .data is set per netns; the last, empty entry ends the table on 6.1. */
static const struct ctl_table spirec_sysctl_template[] = {
	SPIREC_SYSCTL_INT(SPIREC_SYSCTL_ENABLED, "enabled",
			  SYSCTL_ZERO, SYSCTL_ONE),
	SPIREC_SYSCTL_INT(SPIREC_SYSCTL_PEER_INTERVAL_MS, "peer_interval_ms",
			  SYSCTL_ZERO, &spirec_interval_max),
	SPIREC_SYSCTL_INT(SPIREC_SYSCTL_GLOBAL_RATE, "global_rate",
			  SYSCTL_ONE, &spirec_rate_max),
	SPIREC_SYSCTL_INT(SPIREC_SYSCTL_MAX_PEERS, "max_peers",
			  SYSCTL_ONE, &spirec_peers_max),
	SPIREC_SYSCTL_INT(SPIREC_SYSCTL_KNOWN_PEERS_ONLY, "known_peers_only",
			  SYSCTL_ZERO, SYSCTL_ONE),
	SPIREC_SYSCTL_INT(SPIREC_SYSCTL_LOG, "log", SYSCTL_ZERO, SYSCTL_ONE),
	SPIREC_SYSCTL_INT(SPIREC_SYSCTL_NATT_PORT, "natt_port",
			  SYSCTL_ONE, &spirec_port_max),
	[SPIREC_SYSCTL_NUM] = { }
};

/**
 * spirec_sysctl_register - register net.spirec.* for a netns
 * @net: the netns
 * @sn: its state, whose fields the sysctls point to
 *
 * Return: 0 or -ENOMEM.
 */
int spirec_sysctl_register(struct net *net, struct spirec_net *sn)
{
	struct ctl_table *tbl;

	tbl = kmemdup(spirec_sysctl_template, sizeof(spirec_sysctl_template),
		      GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	tbl[SPIREC_SYSCTL_ENABLED].data = &sn->enabled;
	tbl[SPIREC_SYSCTL_PEER_INTERVAL_MS].data = &sn->peer_interval_ms;
	tbl[SPIREC_SYSCTL_GLOBAL_RATE].data = &sn->global_rate;
	tbl[SPIREC_SYSCTL_MAX_PEERS].data = &sn->max_peers;
	tbl[SPIREC_SYSCTL_KNOWN_PEERS_ONLY].data = &sn->known_peers_only;
	tbl[SPIREC_SYSCTL_LOG].data = &sn->log;
	if (net->user_ns != &init_user_ns) {
		tbl[SPIREC_SYSCTL_GLOBAL_RATE].extra2 = &spirec_userns_rate_max;
		tbl[SPIREC_SYSCTL_MAX_PEERS].extra2 = &spirec_userns_peers_max;
	}
	tbl[SPIREC_SYSCTL_NATT_PORT].data = &sn->natt_port;

	sn->sysctl_hdr = spirec_register_net_sysctl(net, "net/spirec", tbl,
						    SPIREC_SYSCTL_NUM);
	if (!sn->sysctl_hdr) {
		kfree(tbl);
		return -ENOMEM;
	}
	sn->sysctl_table = tbl;
	return 0;
}

/**
 * spirec_sysctl_unregister - undo spirec_sysctl_register()
 * @sn: the netns state
 */
void spirec_sysctl_unregister(struct spirec_net *sn)
{
	unregister_net_sysctl_table(sn->sysctl_hdr);
	kfree(sn->sysctl_table);
	sn->sysctl_hdr = NULL;
	sn->sysctl_table = NULL;
}
