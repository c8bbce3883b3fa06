/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter LOCAL_IN hooks (IPv4 and IPv6) of a network namespace.
 */
#ifndef _SPIREC_HOOK_H
#define _SPIREC_HOOK_H

struct net;

int spirec_hooks_register(struct net *net);
void spirec_hooks_unregister(struct net *net);

#endif /* _SPIREC_HOOK_H */
