// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace lifetime.
 *
 * init: counters, peer table, known list, sysctls, then the hooks.
 * pre_exit: the hooks go; the netns core then waits for a grace period
 *	(free_exit_list() and cleanup_net() call synchronize_rcu() between
 *	pre_exit and exit), so no hook runs any more when exit starts.
 * exit: sysctls, GC work, peer table, known list, counters.
 * Netlink requests cannot race with exit: a netlink socket holds a
 * reference on its netns, and the module unregisters the family before
 * the pernet operations.
 */

#include <linux/memcontrol.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

#include "netns.h"
#include "hook.h"
#include "sysctl.h"
#include "parse.h"

unsigned int spirec_net_id __read_mostly;

/*
 * Peer-table entries of all network namespaces together. A namespace's
 * own max_peers is set by its root, who may be an unprivileged user (a
 * user namespace's root); this bound is the host's.
 */
static struct spirec_peer_quota spirec_peer_quota = {
	.count = ATOMIC_INIT(0),
	.max = 65536,
};
module_param_named(max_peers_total, spirec_peer_quota.max, uint, 0644);
MODULE_PARM_DESC(max_peers_total,
		 "Peer-table entries of all network namespaces together (65536)");

/**
 * spirec_stats_read - sum the per-CPU counters
 * @sn: the netns state
 * @out: SPIREC_STAT_NUM values
 */
void spirec_stats_read(const struct spirec_net *sn, u64 *out)
{
	const struct spirec_stats *s;
	unsigned int i;
	int cpu;

	memset(out, 0, sizeof(u64) * SPIREC_STAT_NUM);
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(sn->stats, cpu);
		for (i = 0; i < SPIREC_STAT_NUM; i++)
			out[i] += READ_ONCE(s->cnt[i]);
	}
}

/**
 * spirec_rl_cfg_read - sample the rate limiting sysctls
 * @sn: the netns state
 * @cfg: filled in
 */
void spirec_rl_cfg_read(const struct spirec_net *sn, struct spirec_rl_cfg *cfg)
{
	cfg->interval = (u64)READ_ONCE(sn->peer_interval_ms) * NSEC_PER_MSEC;
	cfg->rate = READ_ONCE(sn->global_rate);
	cfg->max_peers = READ_ONCE(sn->max_peers);
}

/**
 * spirec_gc_schedule - make sure GC runs while the table is not empty
 * @sn: the netns state
 *
 * Any context; a no-op if GC is pending already.
 */
void spirec_gc_schedule(struct spirec_net *sn)
{
	queue_delayed_work(system_power_efficient_wq, &sn->gc_work,
			   SPIREC_GC_PERIOD);
}

static void spirec_gc_work(struct work_struct *work)
{
	struct spirec_net *sn = container_of(to_delayed_work(work),
					     struct spirec_net, gc_work);
	struct spirec_rl_cfg cfg;
	unsigned int left;
	bool more;
	u64 idle;

	spirec_rl_cfg_read(sn, &cfg);
	idle = max_t(u64, 2 * cfg.interval, SPIREC_GC_MIN_IDLE);
	left = spirec_peers_gc(&sn->peers, idle, spirec_now(), &more);
	if (more)
		queue_delayed_work(system_power_efficient_wq, &sn->gc_work, 1);
	else if (left)
		spirec_gc_schedule(sn);
}

static int __net_init spirec_net_init(struct net *net)
{
	struct spirec_net *sn = spirec_net(net);
	int err;

	sn->enabled = 0;
	sn->peer_interval_ms = 5000;
	sn->global_rate = 100;
	sn->max_peers = 4096;
	sn->known_peers_only = 0;
	sn->log = 1;
	sn->natt_port = SPIREC_NATT_PORT;

	sn->stats = alloc_percpu(struct spirec_stats);
	if (!sn->stats)
		return -ENOMEM;
	err = spirec_peers_init(&sn->peers, spirec_now());
	if (err)
		goto err_stats;
	sn->peers.quota = &spirec_peer_quota;
	/* Whoever creates the namespace pays for its peer table. */
	sn->peers.memcg = get_mem_cgroup_from_mm(current->mm);
	spirec_known_init(&sn->known);
	INIT_DELAYED_WORK(&sn->gc_work, spirec_gc_work);

	err = spirec_sysctl_register(net, sn);
	if (err)
		goto err_tables;
	err = spirec_hooks_register(net);
	if (err)
		goto err_sysctl;
	return 0;

err_sysctl:
	spirec_sysctl_unregister(sn);
err_tables:
	spirec_known_destroy(&sn->known);
	spirec_peers_destroy(&sn->peers);
	mem_cgroup_put(sn->peers.memcg);
err_stats:
	free_percpu(sn->stats);
	return err;
}

static void __net_exit spirec_net_pre_exit(struct net *net)
{
	spirec_hooks_unregister(net);
}

static void __net_exit spirec_net_exit(struct net *net)
{
	struct spirec_net *sn = spirec_net(net);

	spirec_sysctl_unregister(sn);
	/* No hook can queue it again: they are gone since pre_exit. */
	cancel_delayed_work_sync(&sn->gc_work);
	spirec_peers_destroy(&sn->peers);
	mem_cgroup_put(sn->peers.memcg);
	spirec_known_destroy(&sn->known);
	free_percpu(sn->stats);
}

struct pernet_operations spirec_net_ops = {
	.init = spirec_net_init,
	.pre_exit = spirec_net_pre_exit,
	.exit = spirec_net_exit,
	.id = &spirec_net_id,
	.size = sizeof(struct spirec_net),
};
