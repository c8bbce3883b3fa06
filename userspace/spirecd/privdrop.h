/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Least privilege: switch to spirecd's user keeping only SPIRECD_CAPS. */
#ifndef SPIRECD_PRIVDROP_H
#define SPIRECD_PRIVDROP_H

#include <linux/capability.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * What spirecd keeps: CAP_NET_ADMIN (netlink, events group, sysctls,
 * SO_RCVBUFFORCE, IPsec bypass of the IKE sockets) and CAP_NET_RAW (the
 * raw socket of an IKE exchange through a peer's NAT mapping).
 */
#define SPIRECD_CAPS	((1ULL << CAP_NET_ADMIN) | (1ULL << CAP_NET_RAW))

/*
 * Become @user (its uid, gid, and no supplementary groups) keeping
 * SPIRECD_CAPS and no other capability (effective, permitted, bounding
 * set); the process stays non-dumpable. Run as root: does the switch; run
 * as @user already (systemd User=): only trims the capabilities. If
 * @mkdir_for is set, its directory is created first and given to @user
 * (the status file under /run when not started by systemd). Returns 0 or
 * -1 with a message in @err.
 */
int spirecd_drop_privileges(const char *user, const char *mkdir_for,
			    char *err, size_t errlen);

/* Keep only SPIRECD_CAPS in the effective and permitted sets. */
int spirecd_caps_keep_needed(char *err, size_t errlen);

/* Resolve @user for exec_user. Returns 0 or -1 with @err. */
int spirecd_user_ids(const char *user, uid_t *uid, gid_t *gid,
		     char *err, size_t errlen);

#endif
