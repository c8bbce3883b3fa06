/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels spirec builds against (Debian's 6.1,
 * 6.12 and sid's newest, 7.2 when this was written). Everything that
 * depends on the kernel version lives here, as feature tests rather than
 * version numbers.
 *
 * Checked against 7.2 and needing nothing here: xfrm_state_walk_init(),
 * xfrm_state_walk() and xfrm_state_walk_done() (same signatures as in 6.1),
 * genl_small_ops and GENL_MCAST_CAP_NET_ADMIN, nf_register_net_hooks(),
 * pernet_operations' init/exit, kfree_rcu(ptr, field), hsiphash(), and the
 * sysctl tables: proc handlers take a const table since v6.11, which the
 * stock proc_dointvec_minmax() absorbs (spirec has no handler of its own).
 */
#ifndef _SPIREC_COMPAT_H
#define _SPIREC_COMPAT_H

#include <linux/sysctl.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

/*
 * Joining the events group must need CAP_NET_ADMIN over the user namespace
 * owning the netns. genl_bind() checks GENL_MCAST_CAP_NET_ADMIN with
 * ns_capable(net->user_ns, ...) in the bind()/setsockopt() caller's
 * context; the flag came with v6.7 and was backported to the stable series
 * (Debian's 6.1.192 has it). A family cannot enforce this itself: 6.1 has
 * no per-family bind callback, and the one added in v6.7 gets only the
 * group index and cannot veto the join (its return value is ignored).
 * Without the flag the events would be readable by anyone, so refuse to
 * build.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "genetlink lacks GENL_MCAST_CAP_NET_ADMIN; the events group would be unprotected"
#endif

/*
 * v6.6 made register_net_sysctl() a macro over register_net_sysctl_sz()
 * that takes ARRAY_SIZE() of its argument, which a kmemdup()ed table is
 * not. Older kernels stop at the table's empty sentinel entry; newer ones
 * are given the number of entries (sentinel not counted).
 */
static inline struct ctl_table_header *
spirec_register_net_sysctl(struct net *net, const char *path,
			   struct ctl_table *table, size_t entries)
{
#ifdef register_net_sysctl
	return register_net_sysctl_sz(net, path, table, entries);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/*
 * The op table (netlink-gen.c, generated from the spec) is an array of
 * struct genl_split_ops, which v6.2 added. Before it, struct genl_ops has
 * every member the generated table sets (cmd, doit, start, dumpit, done,
 * policy, maxattr, flags) and wants one entry per command, which the table
 * is: no spirec command has both do and dump. The GENL_CMD_CAP_DO and
 * GENL_CMD_CAP_DUMP bits the generator adds to .flags are what such a
 * kernel reports for the op anyway, and it tests them nowhere. Kbuild
 * looks for the structure in the kernel's genetlink.h.
 */
#ifndef SPIREC_HAVE_GENL_SPLIT_OPS
#define genl_split_ops genl_ops
#endif

static inline void spirec_genl_set_ops(struct genl_family *family,
				       const struct genl_split_ops *ops,
				       unsigned int n_ops)
{
#ifdef SPIREC_HAVE_GENL_SPLIT_OPS
	family->split_ops = ops;
	family->n_split_ops = n_ops;
#else
	family->ops = ops;
	family->n_ops = n_ops;
#endif
}

#endif /* _SPIREC_COMPAT_H */
