// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-peer recovery state: claim (one at a time), release (an escalating
 * hold-down), entries per address, bounded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recovery_table.h"

uint64_t spirecd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool same_key(const struct spirec_cidr *a,
		     const struct spirec_cidr *b)
{
	return a->addr.family == b->addr.family &&
	       a->prefixlen == b->prefixlen &&
	       !memcmp(a->addr.bytes, b->addr.bytes,
		       spirec_addr_len(a->addr.family));
}

static bool same_addr(const struct spirec_addr *a, const struct spirec_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->bytes, b->bytes, spirec_addr_len(a->family));
}

static size_t group_size(const struct spirecd_peer_cfg *pc)
{
	return pc->prefix.prefixlen ==
	       spirec_addr_maxprefix(pc->prefix.addr.family) ?
	       1 : SPIRECD_PREFIX_ADDRS;
}

/* Fresh groups and entries for @cfg (no state yet). */
static int build(const struct spirecd_config *cfg,
		 struct spirecd_recovery_group **grp, struct spirecd_recovery_state **st,
		 size_t *n)
{
	size_t i, off = 0;

	*grp = calloc(cfg->npeers ? cfg->npeers : 1, sizeof(**grp));
	if (!*grp)
		return -ENOMEM;
	for (i = 0; i < cfg->npeers; i++) {
		(*grp)[i].key = cfg->peers[i].prefix;
		memcpy((*grp)[i].name, cfg->peers[i].name,
		       sizeof((*grp)[i].name));
		(*grp)[i].first = off;
		(*grp)[i].count = group_size(&cfg->peers[i]);
		off += (*grp)[i].count;
	}
	*n = off + SPIRECD_UNLISTED_SLOTS;
	*st = calloc(*n, sizeof(**st));
	if (!*st) {
		free(*grp);
		return -ENOMEM;
	}
	return 0;
}

int spirecd_recovery_init(struct spirecd_recovery_table *t, const struct spirecd_config *cfg)
{
	memset(t, 0, sizeof(*t));
	if (build(cfg, &t->grp, &t->st, &t->n))
		return -ENOMEM;
	t->ngroups = cfg->npeers;
	t->unlisted = t->n - SPIRECD_UNLISTED_SLOTS;
	pthread_mutex_init(&t->lock, NULL);
	return 0;
}

void spirecd_recovery_destroy(struct spirecd_recovery_table *t)
{
	pthread_mutex_destroy(&t->lock);
	free(t->st);
	free(t->grp);
	memset(t, 0, sizeof(*t));
}

/* The group of @pc: by index when @cfg is the table's, else by key. */
static struct spirecd_recovery_group *group_of(struct spirecd_recovery_table *t,
					       const struct spirecd_config *cfg,
					       const struct spirecd_peer_cfg *pc)
{
	size_t i;

	if (cfg && pc >= cfg->peers && pc < cfg->peers + cfg->npeers) {
		i = (size_t)(pc - cfg->peers);
		if (i < t->ngroups && same_key(&t->grp[i].key, &pc->prefix))
			return &t->grp[i];
	}
	for (i = 0; i < t->ngroups; i++)
		if (same_key(&t->grp[i].key, &pc->prefix))
			return &t->grp[i];
	return NULL;
}

/* The entries of @pc's group, or the unlisted ones; false if @pc has no
 * group (it left the configuration). */
static bool range_of(struct spirecd_recovery_table *t, const struct spirecd_config *cfg,
		     const struct spirecd_peer_cfg *pc, size_t *lo, size_t *hi)
{
	struct spirecd_recovery_group *g;

	if (!pc) {
		*lo = t->unlisted;
		*hi = t->n;
		return true;
	}
	g = group_of(t, cfg, pc);
	if (!g)
		return false;
	*lo = g->first;
	*hi = g->first + g->count;
	return true;
}

static struct spirecd_recovery_state *find(struct spirecd_recovery_table *t, size_t lo,
					   size_t hi, const struct spirec_addr *a)
{
	for (size_t i = lo; i < hi; i++)
		if (t->st[i].in_use && same_addr(&t->st[i].addr, a))
			return &t->st[i];
	return NULL;
}

/*
 * A free entry in [lo, hi): never used, else the one whose hold-down
 * ended longest ago (its level is the likeliest to be stale anyway).
 * Busy entries and entries in their hold-down are never taken.
 */
static struct spirecd_recovery_state *take(struct spirecd_recovery_table *t, size_t lo,
					   size_t hi, const struct spirec_addr *a,
					   uint64_t now_ms)
{
	struct spirecd_recovery_state *best = NULL;

	for (size_t i = lo; i < hi; i++) {
		struct spirecd_recovery_state *c = &t->st[i];

		if (!c->in_use) {
			best = c;
			break;
		}
		if (c->busy || c->until_ms > now_ms)
			continue;
		if (!best || c->until_ms < best->until_ms)
			best = c;
	}
	if (best) {
		memset(best, 0, sizeof(*best));
		best->addr = *a;
		best->in_use = true;
	}
	return best;
}

enum spirecd_decision spirecd_recovery_claim(struct spirecd_recovery_table *t,
					     const struct spirecd_config *cfg,
					     const struct spirecd_peer_cfg *pc,
					     const struct spirec_addr *src,
					     uint64_t now_ms, uint64_t *left_ms)
{
	enum spirecd_decision d = SPIRECD_RUN;
	struct spirecd_recovery_state *s = NULL;
	size_t lo, hi;

	pthread_mutex_lock(&t->lock);
	if (range_of(t, cfg, pc, &lo, &hi)) {
		s = find(t, lo, hi, src);
		if (!s)
			s = take(t, lo, hi, src, now_ms);
	}
	if (!s)
		d = SPIRECD_FULL;
	else if (s->busy)
		d = SPIRECD_BUSY;
	else if (s->until_ms > now_ms) {
		d = SPIRECD_HOLDDOWN;
		*left_ms = s->until_ms - now_ms;
	} else {
		s->busy = true;
		s->claim_ms = now_ms;
		s->attempts++;
		t->counters.started++;
		t->gen++;
	}
	pthread_mutex_unlock(&t->lock);
	return d;
}

unsigned int spirecd_holddown_for(const struct spirecd_config *cfg,
				  unsigned int level)
{
	uint64_t h = cfg->holddown_ms, cap = cfg->holddown_max_ms;

	if (cap < h)
		cap = h;
	for (unsigned int i = 1; i < level && h < cap; i++)
		h *= 2;
	return (unsigned int)(h < cap ? h : cap);
}

/* The daemon-wide counter of recoveries that ended as @done. */
static uint64_t *done_counter(struct spirecd_recovery_counters *c,
			      enum spirecd_done done)
{
	switch (done) {
	case SPIRECD_DONE_OK:
		return &c->ok;
	case SPIRECD_DONE_FAILED:
		return &c->failed;
	case SPIRECD_DONE_NOTHING:
		return &c->not_started;
	case SPIRECD_DONE_NOT_NEEDED:
	default:
		return &c->not_needed;
	}
}

void spirecd_recovery_release(struct spirecd_recovery_table *t,
			      const struct spirecd_config *cfg,
			      const struct spirecd_peer_cfg *pc,
			      const struct spirec_addr *src, enum spirecd_done done,
			      uint64_t now_ms, struct spirecd_release_info *info)
{
	struct spirecd_release_info ri = { 0 };
	struct spirecd_recovery_state *s = NULL;
	size_t lo, hi;

	pthread_mutex_lock(&t->lock);
	if (range_of(t, cfg, pc, &lo, &hi))
		s = find(t, lo, hi, src);
	*done_counter(&t->counters, done) += 1;
	if (s) {
		s->busy = false;
		if (done == SPIRECD_DONE_OK || done == SPIRECD_DONE_FAILED) {
			/* In a row: claimed before the quiet period after the
			 * previous hold-down was over. */
			if (s->until_ms &&
			    s->claim_ms < s->until_ms + cfg->holddown_reset_ms) {
				if (s->level < 1000)
					s->level++;
			} else {
				s->level = 1;
			}
			s->holddown_ms = spirecd_holddown_for(cfg, s->level);
			s->until_ms = now_ms + s->holddown_ms;
			if (done == SPIRECD_DONE_OK)
				s->successes++;
			ri.holddown_ms = s->holddown_ms;
			ri.escalated = s->level >= 2;
		}
		ri.level = s->level;
	}
	t->gen++;
	pthread_mutex_unlock(&t->lock);
	if (info)
		*info = ri;
}

int spirecd_recovery_rebuild(struct spirecd_recovery_table *t,
			     const struct spirecd_config *cfg)
{
	struct spirecd_recovery_group *grp;
	struct spirecd_recovery_state *st;
	size_t n, i, j;

	if (build(cfg, &grp, &st, &n))
		return -ENOMEM;
	pthread_mutex_lock(&t->lock);
	for (i = 0; i < cfg->npeers; i++)
		for (j = 0; j < t->ngroups; j++)
			if (same_key(&t->grp[j].key, &grp[i].key)) {
				/* Same key, same group size. */
				memcpy(st + grp[i].first, t->st + t->grp[j].first,
				       grp[i].count * sizeof(*st));
				break;
			}
	/* Unlisted slots carry over as they are. */
	memcpy(st + n - SPIRECD_UNLISTED_SLOTS, t->st + t->unlisted,
	       SPIRECD_UNLISTED_SLOTS * sizeof(*st));
	/*
	 * A peer that left the configuration while its recovery runs would
	 * lose its hold-down; it becomes unlisted and its address is then
	 * governed by [global] action, whose own slots apply.
	 */
	free(t->st);
	free(t->grp);
	t->st = st;
	t->grp = grp;
	t->n = n;
	t->ngroups = cfg->npeers;
	t->unlisted = n - SPIRECD_UNLISTED_SLOTS;
	t->gen++;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

void spirecd_recovery_foreach(struct spirecd_recovery_table *t,
			      void (*fn)(void *arg,
				      const struct spirecd_recovery_group *grp,
				      const struct spirecd_recovery_state *s),
			      void *arg)
{
	pthread_mutex_lock(&t->lock);
	for (size_t g = 0; g < t->ngroups; g++)
		for (size_t i = 0; i < t->grp[g].count; i++)
			if (t->st[t->grp[g].first + i].in_use)
				fn(arg, &t->grp[g],
				   &t->st[t->grp[g].first + i]);
	for (size_t i = t->unlisted; i < t->n; i++)
		if (t->st[i].in_use)
			fn(arg, NULL, &t->st[i]);
	pthread_mutex_unlock(&t->lock);
}
