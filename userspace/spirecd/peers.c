// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-peer recovery state: claim (one at a time), release (hold-down).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peers.h"

uint64_t spirecd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool same_key(const struct spirec_prefix *a,
		     const struct spirec_prefix *b)
{
	return a->addr.family == b->addr.family &&
	       a->prefixlen == b->prefixlen &&
	       !memcmp(a->addr.bytes, b->addr.bytes,
		       spirec_addr_len(a->addr.family));
}

static void host_key(struct spirec_prefix *k, const struct spirec_addr *a)
{
	memset(k, 0, sizeof(*k));
	k->addr = *a;
	k->prefixlen = (uint8_t)spirec_addr_maxprefix(a->family);
}

static struct spirecd_peer_state *build(const struct spirecd_config *cfg,
					size_t *n)
{
	struct spirecd_peer_state *st;

	*n = cfg->npeers + SPIRECD_UNLISTED_SLOTS;
	st = calloc(*n, sizeof(*st));
	if (!st)
		return NULL;
	for (size_t i = 0; i < cfg->npeers; i++) {
		st[i].key = cfg->peers[i].prefix;
		st[i].configured = true;
	}
	return st;
}

int spirecd_peers_init(struct spirecd_peers *t, const struct spirecd_config *cfg)
{
	memset(t, 0, sizeof(*t));
	t->st = build(cfg, &t->n);
	if (!t->st)
		return -ENOMEM;
	t->nconfigured = cfg->npeers;
	pthread_mutex_init(&t->lock, NULL);
	return 0;
}

void spirecd_peers_destroy(struct spirecd_peers *t)
{
	pthread_mutex_destroy(&t->lock);
	free(t->st);
	memset(t, 0, sizeof(*t));
}

/* The entry of a configured peer (by key) or unlisted address. */
static struct spirecd_peer_state *find(struct spirecd_peers *t,
				       const struct spirecd_peer_cfg *pc,
				       const struct spirec_addr *src)
{
	struct spirec_prefix k;
	size_t i;

	if (pc) {
		for (i = 0; i < t->nconfigured; i++)
			if (same_key(&t->st[i].key, &pc->prefix))
				return &t->st[i];
		return NULL;
	}
	host_key(&k, src);
	for (i = t->nconfigured; i < t->n; i++)
		if (t->st[i].in_use && same_key(&t->st[i].key, &k))
			return &t->st[i];
	return NULL;
}

enum spirecd_decision spirecd_peers_claim(struct spirecd_peers *t,
					  const struct spirecd_config *cfg,
					  const struct spirecd_peer_cfg *pc,
					  const struct spirec_addr *src,
					  uint64_t now_ms, uint64_t *left_ms)
{
	enum spirecd_decision d = SPIRECD_RUN;
	struct spirecd_peer_state *s;
	size_t i;

	pthread_mutex_lock(&t->lock);
	if (pc && (size_t)(pc - cfg->peers) < t->nconfigured)
		s = &t->st[pc - cfg->peers];
	else
		s = find(t, NULL, src);
	if (!s && !pc) {
		/* A free unlisted slot: never used, or its hold-down over. */
		for (i = t->nconfigured; i < t->n; i++) {
			struct spirecd_peer_state *c = &t->st[i];

			if (!c->in_use || (!c->busy && c->until_ms <= now_ms)) {
				s = c;
				memset(s, 0, sizeof(*s));
				host_key(&s->key, src);
				s->in_use = true;
				break;
			}
		}
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
		s->attempts++;
	}
	pthread_mutex_unlock(&t->lock);
	return d;
}

void spirecd_peers_release(struct spirecd_peers *t,
			   const struct spirecd_peer_cfg *pc,
			   const struct spirec_addr *src, bool success,
			   uint64_t now_ms, unsigned int holddown_ms)
{
	struct spirecd_peer_state *s;

	pthread_mutex_lock(&t->lock);
	s = find(t, pc, src);
	if (s) {
		s->busy = false;
		s->until_ms = now_ms + holddown_ms;
		if (success)
			s->successes++;
	}
	pthread_mutex_unlock(&t->lock);
}

int spirecd_peers_rebuild(struct spirecd_peers *t,
			  const struct spirecd_config *cfg)
{
	struct spirecd_peer_state *st;
	size_t n, i, j;

	st = build(cfg, &n);
	if (!st)
		return -ENOMEM;
	pthread_mutex_lock(&t->lock);
	for (i = 0; i < cfg->npeers; i++)
		for (j = 0; j < t->nconfigured; j++)
			if (same_key(&t->st[j].key, &st[i].key)) {
				st[i] = t->st[j];
				break;
			}
	/* Unlisted slots carry over as they are. */
	memcpy(st + cfg->npeers, t->st + t->nconfigured,
	       SPIRECD_UNLISTED_SLOTS * sizeof(*st));
	/*
	 * A peer that left the configuration while its recovery runs would
	 * lose its hold-down; it becomes unlisted and its address is then
	 * governed by [global] action, whose own slots apply.
	 */
	free(t->st);
	t->st = st;
	t->n = n;
	t->nconfigured = cfg->npeers;
	pthread_mutex_unlock(&t->lock);
	return 0;
}
