/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The recovery state of each peer: one recovery at a time, then a
 * hold-down. Configured peers have one entry each (keyed by their address
 * or prefix); peers not in the configuration share a fixed number of
 * entries (keyed by address), reused only once their hold-down is over.
 * Memory is therefore bounded by the configuration, whatever arrives.
 */
#ifndef SPIRECD_PEERS_H
#define SPIRECD_PEERS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* Entries for peers that are not in the configuration. */
#define SPIRECD_UNLISTED_SLOTS	256

struct spirecd_peer_state {
	struct spirec_prefix key;
	bool configured;
	bool in_use;			/* unlisted slots only */
	bool busy;			/* a recovery is queued or running */
	uint64_t until_ms;		/* hold-down ends (monotonic ms) */
	uint64_t attempts, successes;
};

struct spirecd_peers {
	pthread_mutex_t lock;
	struct spirecd_peer_state *st;
	size_t nconfigured;		/* st[0..nconfigured) */
	size_t n;			/* + SPIRECD_UNLISTED_SLOTS */
};

enum spirecd_decision {
	SPIRECD_RUN,			/* claimed: start a recovery */
	SPIRECD_BUSY,			/* one is already running */
	SPIRECD_HOLDDOWN,		/* too soon after the last one */
	SPIRECD_FULL,			/* no free entry for an unlisted peer */
};

int spirecd_peers_init(struct spirecd_peers *t, const struct spirecd_config *cfg);
void spirecd_peers_destroy(struct spirecd_peers *t);

/*
 * Decide for an event from @src, which matched @pc (NULL: unlisted; then
 * @pc's index is not used) of @cfg, the configuration @t was built from.
 * On SPIRECD_HOLDDOWN, *@left_ms says how long is left.
 */
enum spirecd_decision spirecd_peers_claim(struct spirecd_peers *t,
					  const struct spirecd_config *cfg,
					  const struct spirecd_peer_cfg *pc,
					  const struct spirec_addr *src,
					  uint64_t now_ms, uint64_t *left_ms);

/* A recovery claimed for (@pc or @src) ended: start the hold-down. */
void spirecd_peers_release(struct spirecd_peers *t,
			   const struct spirecd_peer_cfg *pc,
			   const struct spirec_addr *src, bool success,
			   uint64_t now_ms, unsigned int holddown_ms);

/*
 * Rebuild for a new configuration: entries whose key is unchanged keep
 * their state (a running recovery, a hold-down). Returns 0 or -ENOMEM
 * (then @t is unchanged).
 */
int spirecd_peers_rebuild(struct spirecd_peers *t,
			  const struct spirecd_config *cfg);

/* Monotonic milliseconds. */
uint64_t spirecd_now_ms(void);

#endif
