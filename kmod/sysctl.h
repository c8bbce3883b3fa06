/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysctls of a network namespace, net.spirec.*: registered with the
 * namespace, clamped outside the initial user namespace.
 */
#ifndef _SPIREC_SYSCTL_H
#define _SPIREC_SYSCTL_H

struct net;
struct spirec_net;

int spirec_sysctl_register(struct net *net, struct spirec_net *sn);
void spirec_sysctl_unregister(struct spirec_net *sn);

#endif /* _SPIREC_SYSCTL_H */
