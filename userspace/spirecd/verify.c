// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Verification of recoveries against the module's peer table (verify.h).
 * Workers add items; the main loop reads the table every
 * SPIRECD_VERIFY_TICK_MS while items are pending and judges each.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "action.h"
#include "grow.h"
#include "log.h"
#include "nl.h"
#include "peer.h"
#include "requests.h"
#include "verify.h"
#include "xfrm_sa.h"

#define DEFAULT_QUIET_MS	2000
#define DEFAULT_WINDOW_MS	30000

static struct {
	pthread_mutex_t lock;
	struct spirecd_verify_item items[SPIRECD_VERIFY_MAX];
	size_t n;
	unsigned int quiet_ms, window_ms;
	uint64_t healed, unhealed, dropped, heal_ms_last;
	int efd;			/* wakes the main loop up */
} v = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.efd = -1,
	.quiet_ms = DEFAULT_QUIET_MS,
	.window_ms = DEFAULT_WINDOW_MS,
};

enum spirecd_verify_verdict
spirecd_verify_judge(struct spirecd_verify_item *it,
		     const struct spirecd_verify_sample *s, uint64_t now_ms,
		     unsigned int quiet_ms, unsigned int window_ms,
		     uint64_t *ms)
{
	uint64_t quiet_since;

	if (s->present && s->last_seen_ms <= now_ms) {
		uint64_t at = now_ms - s->last_seen_ms;

		/* Only packets after the event say anything about it. */
		if (at >= it->event_ms && at > it->last_unknown_ms)
			it->last_unknown_ms = at;
	}
	if (s->sa_checked && s->has_sa && !it->sa_seen_ms)
		it->sa_seen_ms = now_ms;
	quiet_since = it->done_ms;
	if (it->last_unknown_ms > quiet_since)
		quiet_since = it->last_unknown_ms;
	if (now_ms >= quiet_since + quiet_ms &&
	    (!s->sa_checked || s->has_sa)) {
		uint64_t at = it->last_unknown_ms;

		if (s->sa_checked && it->sa_seen_ms > at)
			at = it->sa_seen_ms;
		*ms = at > it->event_ms ? at - it->event_ms : 0;
		return SPIRECD_VERIFY_HEALED;
	}
	if (now_ms >= it->done_ms + window_ms) {
		*ms = now_ms - it->last_unknown_ms;
		return now_ms >= quiet_since + quiet_ms ?
		       SPIRECD_VERIFY_NO_SA : SPIRECD_VERIFY_UNHEALED;
	}
	return SPIRECD_VERIFY_PENDING;
}

void spirecd_verify_configure(unsigned int quiet_ms, unsigned int window_ms)
{
	pthread_mutex_lock(&v.lock);
	v.quiet_ms = quiet_ms;
	v.window_ms = window_ms;
	if (v.efd < 0) {
		v.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (v.efd < 0)
			log_warn("verify: eventfd: %s: recoveries are verified at the next event", strerror(errno));
	}
	pthread_mutex_unlock(&v.lock);
}

int spirecd_verify_fd(void)
{
	int fd;

	pthread_mutex_lock(&v.lock);
	fd = v.efd;
	pthread_mutex_unlock(&v.lock);
	return fd;
}

void spirecd_verify_add(const struct spirecd_job *job, uint64_t event_ms,
			uint64_t done_ms)
{
	struct spirecd_verify_item *it;

	pthread_mutex_lock(&v.lock);
	if (!v.window_ms) {
		pthread_mutex_unlock(&v.lock);
		return;
	}
	if (v.n == SPIRECD_VERIFY_MAX) {
		memmove(&v.items[0], &v.items[1],
			(v.n - 1) * sizeof(v.items[0]));
		v.n--;
		v.dropped++;
	}
	it = &v.items[v.n++];
	memset(it, 0, sizeof(*it));
	it->addr = job->ev.src;
	memcpy(it->label, job->label, sizeof(it->label));
	it->label[sizeof(it->label) - 1] = '\0';
	it->spi = job->ev.spi;
	it->event_ms = event_ms;
	it->done_ms = done_ms;
	if (v.efd >= 0 && eventfd_write(v.efd, 1))
		log_debug("verify: eventfd_write: %s", strerror(errno));
	pthread_mutex_unlock(&v.lock);
}

void spirecd_verify_drain(void)
{
	eventfd_t ignored;
	int fd = spirecd_verify_fd();

	if (fd >= 0)
		(void)eventfd_read(fd, &ignored);
}

bool spirecd_verify_pending(void)
{
	bool pending;

	pthread_mutex_lock(&v.lock);
	pending = v.n > 0;
	pthread_mutex_unlock(&v.lock);
	return pending;
}

/* The peer table, as read once per tick. */
struct table {
	struct spirec_peer_row *peers;
	size_t n, cap;
	bool oom;
};

static int table_cb(const struct spirec_peer_row *peer, void *data)
{
	struct table *t = data;

	if (spirec_grow(&t->peers, &t->cap, t->n, sizeof(*t->peers), 64)) {
		t->oom = true;
		return -ENOMEM;
	}
	t->peers[t->n++] = *peer;
	return 0;
}

static bool same_addr(const struct spirec_addr *a, const struct spirec_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->bytes, b->bytes, spirec_addr_len(a->family));
}

/* The sources of the kernel's usable SAs, as read once per tick. */
struct sa_sources {
	struct spirec_addr *a;
	size_t n, cap;
	bool oom;
};

static bool sa_cb(const struct spirecd_xfrm_sa *sa, void *data)
{
	struct sa_sources *t = data;

	if (!sa->valid)
		return true;
	if (spirec_grow(&t->a, &t->cap, t->n, sizeof(*t->a), 64)) {
		t->oom = true;
		return false;
	}
	t->a[t->n++] = sa->saddr;
	return true;
}

void spirecd_verify_tick(struct spirec_nl *req, uint64_t now_ms)
{
	struct table t = { 0 };
	struct sa_sources sas = { 0 };
	struct spirecd_xfrm_dump_stats dst = { 0 };
	bool sa_checked;
	char err[128];
	size_t i, j, keep = 0;
	uint64_t ms;

	if (!spirecd_verify_pending())
		return;
	if (spirec_dump_peers(req, table_cb, &t)) {
		log_debug("verify: peer table: %s", spirec_nl_error(req));
		free(t.peers);
		return;		/* the next tick tries again */
	}
	sa_checked = !spirecd_xfrm_sa_dump(sa_cb, &sas, &dst, err, sizeof(err)) &&
		     !sas.oom;
	if (!sa_checked)
		log_debug("verify: kernel SAs not read (%s): judging by unknown SPIs only",
			  sas.oom ? "out of memory" : err);
	pthread_mutex_lock(&v.lock);
	for (i = 0; i < v.n; i++) {
		struct spirecd_verify_item *it = &v.items[i];
		struct spirecd_verify_sample s = { 0 };

		for (j = 0; j < t.n; j++) {
			if (same_addr(&t.peers[j].addr, &it->addr)) {
				s.present = true;
				s.last_seen_ms = t.peers[j].last_seen_ms;
				break;
			}
		}
		s.sa_checked = sa_checked;
		for (j = 0; sa_checked && j < sas.n; j++) {
			if (same_addr(&sas.a[j], &it->addr)) {
				s.has_sa = true;
				break;
			}
		}
		switch (spirecd_verify_judge(it, &s, now_ms, v.quiet_ms,
					     v.window_ms, &ms)) {
		case SPIRECD_VERIFY_PENDING:
			v.items[keep++] = *it;
			break;
		case SPIRECD_VERIFY_HEALED:
			v.healed++;
			v.heal_ms_last = ms;
			log_notice("peer %s: healed in %" PRIu64 " ms: no unknown SPI from it for %u ms (spi 0x%08x)",
				   it->label, ms, v.quiet_ms, it->spi);
			break;
		case SPIRECD_VERIFY_UNHEALED:
			v.unhealed++;
			log_warn("peer %s: peer still sends unknown SPIs %" PRIu64 " s after recovery (the last %" PRIu64 " ms ago; spi 0x%08x)",
				 it->label, (now_ms - it->done_ms) / 1000, ms,
				 it->spi);
			break;
		case SPIRECD_VERIFY_NO_SA:
			v.unhealed++;
			log_warn("peer %s: no SA from the peer %" PRIu64 " s after recovery: its stale SAs are gone (no unknown SPI for %" PRIu64 " ms) but it negotiated no new ones (spi 0x%08x)",
				 it->label, (now_ms - it->done_ms) / 1000, ms,
				 it->spi);
			break;
		}
	}
	v.n = keep;
	pthread_mutex_unlock(&v.lock);
	free(t.peers);
	free(sas.a);
}

void spirecd_verify_counters(FILE *f)
{
	pthread_mutex_lock(&v.lock);
	fprintf(f, "verify_healed %" PRIu64 "\n", v.healed);
	fprintf(f, "verify_unhealed %" PRIu64 "\n", v.unhealed);
	fprintf(f, "verify_pending %zu\n", v.n);
	fprintf(f, "verify_last_heal_ms %" PRIu64 "\n", v.heal_ms_last);
	pthread_mutex_unlock(&v.lock);
}

uint64_t spirecd_verify_gen(void)
{
	uint64_t g;

	pthread_mutex_lock(&v.lock);
	g = v.healed + v.unhealed + v.dropped + (v.n << 32);
	pthread_mutex_unlock(&v.lock);
	return g;
}

void spirecd_verify_reset(void)
{
	pthread_mutex_lock(&v.lock);
	v.n = 0;
	v.healed = v.unhealed = v.dropped = v.heal_ms_last = 0;
	v.quiet_ms = DEFAULT_QUIET_MS;
	v.window_ms = DEFAULT_WINDOW_MS;
	if (v.efd >= 0)
		close(v.efd);
	v.efd = -1;
	pthread_mutex_unlock(&v.lock);
}
