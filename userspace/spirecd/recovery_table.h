/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The recovery table: spirecd's recovery state per source address (not
 * the kernel's peer table, nor the configured [peer] sections, which are
 * struct spirecd_peer_cfg): one recovery at a time, then a hold-down that
 * grows while recoveries follow each other.
 *
 * Entries are kept per address. A configured [peer] has a group of
 * entries: one for a single address, SPIRECD_PREFIX_ADDRS for a prefix
 * (the addresses of the prefix that sent events lately). Peers not in the
 * configuration share SPIRECD_UNLISTED_SLOTS entries. An entry is reused
 * for another address only once its hold-down is over (the one whose
 * hold-down ended longest ago first). Memory is therefore bounded by the
 * configuration, whatever arrives.
 *
 * Escalation: every recovery that sent something (OK or FAILED) starts a
 * hold-down of holddown << (level - 1), capped at holddown_max, where
 * level counts the recoveries of the entry in a row: a recovery is "in a
 * row" when it was claimed less than holddown_reset after the previous
 * hold-down ended. A recovery that sent nothing (SPIRECD_DONE_NOTHING,
 * SPIRECD_DONE_NOT_NEEDED) neither counts nor starts a hold-down.
 */
#ifndef SPIRECD_RECOVERY_TABLE_H
#define SPIRECD_RECOVERY_TABLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* Entries for peers that are not in the configuration. */
#define SPIRECD_UNLISTED_SLOTS	256
/* Entries (addresses) per [peer] whose address is a prefix. */
#define SPIRECD_PREFIX_ADDRS	16

struct spirecd_recovery_state {
	struct spirec_addr addr;	/* valid when in_use */
	bool in_use;
	bool busy;			/* a recovery is queued or running */
	uint64_t claim_ms;		/* when the last recovery was claimed */
	uint64_t until_ms;		/* hold-down ends (monotonic ms), 0:
					 * never held down */
	unsigned int holddown_ms;	/* length of the last hold-down */
	unsigned int level;		/* recoveries in a row */
	uint64_t attempts, successes;
};

/* The entries of one [peer] section: st[first .. first + count). */
struct spirecd_recovery_group {
	struct spirec_cidr key;	/* its address or prefix */
	char name[SPIRECD_NAME_MAX + 1];
	size_t first, count;
};

/* Daemon-wide counts of recoveries, for the status file. */
struct spirecd_recovery_counters {
	uint64_t started;		/* claimed (SPIRECD_RUN) */
	uint64_t ok, failed, not_started;
	uint64_t not_needed;		/* SPIRECD_DONE_NOT_NEEDED */
};

struct spirecd_recovery_table {
	pthread_mutex_t lock;
	struct spirecd_recovery_state *st;
	size_t n;
	struct spirecd_recovery_group *grp;	/* one per [peer], config order */
	size_t ngroups;
	size_t unlisted;		/* st[unlisted .. n): unlisted peers */
	struct spirecd_recovery_counters counters;
	uint64_t gen;			/* bumped at every state change */
};

enum spirecd_decision {
	SPIRECD_RUN,			/* claimed: start a recovery */
	SPIRECD_BUSY,			/* one is already running */
	SPIRECD_HOLDDOWN,		/* too soon after the last one */
	SPIRECD_FULL,			/* no free entry for this address */
};

/* How a claimed recovery ended, for spirecd_recovery_release(). */
enum spirecd_done {
	SPIRECD_DONE_OK,		/* sent, worked: counts, hold-down */
	SPIRECD_DONE_FAILED,		/* sent, failed: counts, hold-down */
	SPIRECD_DONE_NOTHING,		/* nothing sent (not started): no
					 * count, no hold-down */
	SPIRECD_DONE_NOT_NEEDED,	/* nothing sent, the peer was found
					 * healthy: no count, no hold-down */
};

/* What spirecd_recovery_release() decided. */
struct spirecd_release_info {
	unsigned int holddown_ms;	/* 0 when nothing was sent */
	unsigned int level;		/* recoveries in a row, this one too */
	bool escalated;			/* level >= 2: warn */
};

int spirecd_recovery_init(struct spirecd_recovery_table *t, const struct spirecd_config *cfg);
void spirecd_recovery_destroy(struct spirecd_recovery_table *t);

/*
 * Decide for an event from @src, which matched @pc (NULL: unlisted) of
 * @cfg, the configuration @t was built from. On SPIRECD_HOLDDOWN,
 * *@left_ms says how long is left.
 */
enum spirecd_decision spirecd_recovery_claim(struct spirecd_recovery_table *t,
					     const struct spirecd_config *cfg,
					     const struct spirecd_peer_cfg *pc,
					     const struct spirec_addr *src,
					     uint64_t now_ms, uint64_t *left_ms);

/*
 * A recovery claimed for (@pc or @src) ended as @done: count it and start
 * the hold-down (escalated as above, with holddown, holddown_max and
 * holddown_reset of @cfg). @info (may be NULL) gets what was decided.
 */
void spirecd_recovery_release(struct spirecd_recovery_table *t,
			      const struct spirecd_config *cfg,
			      const struct spirecd_peer_cfg *pc,
			      const struct spirec_addr *src, enum spirecd_done done,
			      uint64_t now_ms, struct spirecd_release_info *info);

/* The hold-down after @level recoveries in a row (level >= 1). */
unsigned int spirecd_holddown_for(const struct spirecd_config *cfg,
				  unsigned int level);

/*
 * Rebuild for a new configuration: groups whose key is unchanged keep
 * their entries (a running recovery, a hold-down, the level). Returns 0
 * or -ENOMEM (then @t is unchanged).
 */
int spirecd_recovery_rebuild(struct spirecd_recovery_table *t,
			     const struct spirecd_config *cfg);

/*
 * Call @fn under the table's lock for every entry in use: @grp is its
 * [peer] group, NULL for an unlisted peer.
 */
void spirecd_recovery_foreach(struct spirecd_recovery_table *t,
			      void (*fn)(void *arg,
				      const struct spirecd_recovery_group *grp,
				      const struct spirecd_recovery_state *s),
			      void *arg);

/* Monotonic milliseconds. */
uint64_t spirecd_now_ms(void);

#endif
