/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of spirec.
 */
#ifndef _SPIREC_NETNS_H
#define _SPIREC_NETNS_H

#include <linux/percpu.h>
#include <linux/sysctl.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "known.h"
#include "ratelimit.h"

/*
 * Counters, in the order of enum spirec_stats_attr starting at
 * SPIREC_STATS_A_INSPECTED (netlink.c checks this at build time).
 */
enum spirec_stat {
	SPIREC_STAT_INSPECTED,
	SPIREC_STAT_UNKNOWN_ESP,
	SPIREC_STAT_UNKNOWN_AH,
	SPIREC_STAT_UNKNOWN_ESPINUDP,
	SPIREC_STAT_MALFORMED,
	SPIREC_STAT_EVENTS,
	SPIREC_STAT_LIMITED_PEER,
	SPIREC_STAT_LIMITED_GLOBAL,
	SPIREC_STAT_TABLE_FULL,
	SPIREC_STAT_NO_LISTENER,
	SPIREC_STAT_NOT_KNOWN,
	SPIREC_STAT_ALLOC_FAIL,
	SPIREC_STAT_NOT_BLACKHOLE,
	SPIREC_STAT_OTHER_MARK,

	SPIREC_STAT_NUM
};

struct spirec_stats {
	u64 cnt[SPIREC_STAT_NUM];
};

/* How often GC looks at a non-empty peer table. */
#define SPIREC_GC_PERIOD	(5 * HZ)

/**
 * struct spirec_net - state of one network namespace
 * @enabled: sysctl net.spirec.enabled
 * @peer_interval_ms: sysctl net.spirec.peer_interval_ms
 * @global_rate: sysctl net.spirec.global_rate
 * @max_peers: sysctl net.spirec.max_peers
 * @known_peers_only: sysctl net.spirec.known_peers_only
 * @log: sysctl net.spirec.log
 * @natt_port: sysctl net.spirec.natt_port
 * @sysctl_table: this netns's copy of the sysctl table
 * @sysctl_hdr: its registration
 * @stats: per-CPU counters, summed on read
 * @peers: peer table and global token bucket
 * @known: known-peer list
 * @gc_work: drops idle peers while the table is not empty
 *
 * The sysctl values are read with READ_ONCE() and may change at any time.
 */
struct spirec_net {
	int enabled;
	int peer_interval_ms;
	int global_rate;
	int max_peers;
	int known_peers_only;
	int log;
	int natt_port;
	struct ctl_table *sysctl_table;
	struct ctl_table_header *sysctl_hdr;
	struct spirec_stats __percpu *stats;
	struct spirec_peer_table peers;
	struct spirec_known known;
	struct delayed_work gc_work;
};

extern unsigned int spirec_net_id;
extern struct pernet_operations spirec_net_ops;

static inline struct spirec_net *spirec_net(const struct net *net)
{
	return net_generic(net, spirec_net_id);
}

static inline void spirec_stat_inc(struct spirec_net *sn, enum spirec_stat s)
{
	this_cpu_inc(sn->stats->cnt[s]);
}

void spirec_stats_read(const struct spirec_net *sn, u64 *out);
void spirec_rl_cfg_read(const struct spirec_net *sn, struct spirec_rl_cfg *cfg);
void spirec_gc_schedule(struct spirec_net *sn);

#endif /* _SPIREC_NETNS_H */
