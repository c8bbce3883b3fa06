/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bring the module's state in line with the configuration: the known-peer
 * list (our peers' addresses), net.spirec.enabled and
 * net.spirec.known_peers_only.
 */
#ifndef SPIRECD_KERNEL_SYNC_H
#define SPIRECD_KERNEL_SYNC_H

#include "config.h"
#include "nl.h"

#define SPIRECD_SYSCTL_DIR	"/proc/sys/net/spirec"

/*
 * Add @cfg's peers to the known-peer list (present ones are fine) and
 * remove those of @old (may be NULL) that @cfg no longer has; entries
 * added by others stay. Then the sysctls. Returns 0 or a negative errno;
 * each failure is logged.
 */
int spirecd_kernel_sync(struct spirec_nl *nl, const struct spirecd_config *old,
			const struct spirecd_config *cfg);

#endif
