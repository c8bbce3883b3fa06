// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Not a black hole: is there still working IPsec state with the peer?
 *
 * THE RULE. spirecd acts on an unknown SPI (ikev2, vici, exec, hint) only
 * when none of these views shows live state with the peer:
 *
 *   1. the kernel at the packet: the event's SPIREC_A_LIVE_SAS, the
 *      number of valid ESP/AH states (any SPI, any mark) from the
 *      event's source to its destination. Checked in the event loop: a
 *      count above 0 drops the event before any hold-down claim.
 *   2. the kernel at action time: a NETLINK_XFRM dump of spirecd's
 *      network namespace, right before the first packet to the peer
 *      (after waiting for our charon, for the actions that wait): valid
 *      ESP/AH states (non-zero SPI, keys installed; larval states do
 *      not count) whose source is the event's source or an address of
 *      the same IKE peer: every single-address [peer] section with the
 *      same remote_id and local_id (INITIAL_CONTACT sent to one address
 *      destroys the peer's IKE SAs with that identity on all of them).
 *   3. the IKE daemon, when the [peer] has a vici_socket: charon's
 *      list-sas has an IKE SA in state ESTABLISHED whose remote-host is
 *      one of those addresses or whose remote-id is the section's
 *      remote_id, with at least one CHILD SA in state INSTALLED whose
 *      inbound SPI (spi-in) is a valid state in the xfrm dump (charon
 *      does not notice `ip xfrm state flush`: its word alone would
 *      hide that black hole; when the dump failed, its word is taken).
 *
 * A view that cannot be had (an event without live_sas, such as the
 * ENOBUFS catch-up from the peer table; a failed dump; charon not
 * answering) shows nothing, and the others decide. A real black hole
 * (reboot, `ip xfrm state flush`, an IKE daemon restarted with its SAs
 * flushed) has no valid SA from the peer at all, so it heals as before:
 * the dump costs tens of microseconds for a few hundred SAs, under a
 * millisecond for 2000 (its duration is in the debug log). SAs a dead
 * IKE daemon left in the kernel count as live until they expire.
 *
 * A healthy peer is not touched: no packet, no hold-down (the claim on
 * the peer is released), one log line per peer and minute:
 *   peer LABEL: unknown SPI 0xSPI from ADDR while N live SAs exist: not a black hole, ignored
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "log.h"
#include "recovery_table.h"
#include "vici.h"

static atomic_uint_fast64_t c_ignored_event, c_ignored_xfrm, c_ignored_ike,
	c_acted, c_xfrm_errors, c_ike_unavailable, c_log_suppressed;

void spirecd_guard_counters(struct spirecd_guard_counters *out)
{
	out->ignored_event = atomic_load(&c_ignored_event);
	out->ignored_xfrm = atomic_load(&c_ignored_xfrm);
	out->ignored_ike = atomic_load(&c_ignored_ike);
	out->acted = atomic_load(&c_acted);
	out->xfrm_errors = atomic_load(&c_xfrm_errors);
	out->ike_unavailable = atomic_load(&c_ike_unavailable);
	out->log_suppressed = atomic_load(&c_log_suppressed);
}

enum spirecd_guard_view spirecd_guard_decide(const struct spirecd_guard_facts *f)
{
	if (f->event_known && f->event_live > 0)
		return SPIRECD_GUARD_EVENT;
	if (f->xfrm_known && f->xfrm_live > 0)
		return SPIRECD_GUARD_XFRM;
	if (f->ike_known && f->ike_live > 0)
		return SPIRECD_GUARD_IKE;
	return SPIRECD_GUARD_NONE;
}

static bool same_addr(const struct spirec_addr *a, const struct spirec_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->bytes, b->bytes, spirec_addr_len(a->family));
}

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

size_t spirecd_guard_peer_addrs(const struct spirecd_config *cfg,
				const struct spirecd_peer_cfg *pc,
				const struct spirec_addr *src,
				struct spirec_addr *out, size_t max)
{
	size_t n = 0;

	if (!max)
		return 0;
	out[n++] = *src;
	if (!pc || !pc->remote_id)
		return n;
	for (size_t i = 0; i < cfg->npeers && n < max; i++) {
		const struct spirecd_peer_cfg *q = &cfg->peers[i];
		size_t j;

		if (!q->remote_id || strcmp(q->remote_id, pc->remote_id) ||
		    !same_str(q->local_id, pc->local_id) ||
		    q->prefix.prefixlen !=
		    spirec_addr_maxprefix(q->prefix.addr.family))
			continue;
		for (j = 0; j < n; j++)
			if (same_addr(&out[j], &q->prefix.addr))
				break;
		if (j == n)
			out[n++] = q->prefix.addr;
	}
	return n;
}

bool spirecd_guard_sa_counts(const struct spirecd_xfrm_sa *sa,
			     const struct spirec_addr *addrs, size_t n)
{
	if (!sa->valid)
		return false;
	for (size_t i = 0; i < n; i++)
		if (same_addr(&sa->saddr, &addrs[i]))
			return true;
	return false;
}

bool spirecd_guard_rl_allow(struct spirecd_guard_rl *rl,
			    const struct spirec_addr *addr, uint64_t now_ms,
			    uint64_t *suppressed)
{
	size_t i, victim = 0;

	for (i = 0; i < SPIRECD_GUARD_RL_SLOTS; i++) {
		if (!rl->e[i].used) {
			victim = i;
			break;
		}
		if (same_addr(&rl->e[i].addr, addr)) {
			if (now_ms - rl->e[i].last_ms < SPIRECD_GUARD_RL_MS) {
				rl->e[i].suppressed++;
				return false;
			}
			*suppressed = rl->e[i].suppressed;
			rl->e[i].suppressed = 0;
			rl->e[i].last_ms = now_ms;
			return true;
		}
		if (rl->e[i].last_ms < rl->e[victim].last_ms)
			victim = i;
	}
	rl->e[victim].used = true;
	rl->e[victim].addr = *addr;
	rl->e[victim].last_ms = now_ms;
	rl->e[victim].suppressed = 0;
	*suppressed = 0;
	return true;
}

static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct spirecd_guard_rl rl;

static const char *view_name(enum spirecd_guard_view v)
{
	switch (v) {
	case SPIRECD_GUARD_EVENT:
		return "the kernel at the packet";
	case SPIRECD_GUARD_XFRM:
		return "the xfrm dump";
	case SPIRECD_GUARD_IKE:
		return "charon";
	default:
		return "none";
	}
}

/* Count, then the rate-limited line. */
static void report(enum spirecd_guard_view view, const char *label,
		   const struct spirec_event_msg *ev, unsigned long long live)
{
	char addr[INET6_ADDRSTRLEN];
	uint64_t suppressed = 0;
	bool allow;

	switch (view) {
	case SPIRECD_GUARD_EVENT:
		atomic_fetch_add(&c_ignored_event, 1);
		break;
	case SPIRECD_GUARD_XFRM:
		atomic_fetch_add(&c_ignored_xfrm, 1);
		break;
	case SPIRECD_GUARD_IKE:
		atomic_fetch_add(&c_ignored_ike, 1);
		break;
	default:
		return;
	}
	pthread_mutex_lock(&rl_lock);
	allow = spirecd_guard_rl_allow(&rl, &ev->src, spirecd_now_ms(),
				       &suppressed);
	pthread_mutex_unlock(&rl_lock);
	if (!allow) {
		atomic_fetch_add(&c_log_suppressed, 1);
		log_debug("peer %s: unknown SPI 0x%08x: %llu live SAs (%s): ignored",
			  label, ev->spi, live, view_name(view));
		return;
	}
	spirec_addr_format(&ev->src, addr, sizeof(addr));
	if (suppressed)
		log_notice("peer %s: unknown SPI 0x%08x from %s while %llu live SAs exist: not a black hole, ignored (%llu such lines suppressed since the last one)",
			   label, ev->spi, addr, live,
			   (unsigned long long)suppressed);
	else
		log_notice("peer %s: unknown SPI 0x%08x from %s while %llu live SAs exist: not a black hole, ignored",
			   label, ev->spi, addr, live);
}

bool spirecd_guard_event(const char *label, const struct spirec_event_msg *ev)
{
	struct spirecd_guard_facts f = {
		.event_known = ev->live_sas_known,
		.event_live = ev->live_sas,
	};

	if (spirecd_guard_decide(&f) != SPIRECD_GUARD_EVENT)
		return false;
	report(SPIRECD_GUARD_EVENT, label, ev, ev->live_sas);
	return true;
}

static bool has_spi(const uint32_t *spis, size_t n, uint32_t spi)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (spis[mid] == spi)
			return true;
		if (spis[mid] < spi)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

unsigned int spirecd_guard_ike_live(const struct spirecd_vici_ike_sa *sa,
				    const struct spirecd_peer_cfg *pc,
				    const struct spirec_addr *addrs, size_t n,
				    const uint32_t *kernel_spis, size_t nspis)
{
	struct spirec_addr host;
	bool peer = false;
	unsigned int live = 0;

	if (strcmp(sa->state, "ESTABLISHED"))
		return 0;
	if (!spirec_addr_parse(sa->remote_host, &host))
		for (size_t i = 0; i < n && !peer; i++)
			peer = same_addr(&host, &addrs[i]);
	if (!peer && pc && pc->remote_id && !strcmp(sa->remote_id, pc->remote_id))
		peer = true;
	if (!peer)
		return 0;
	if (!kernel_spis)
		return sa->children_installed;
	for (unsigned int i = 0; i < sa->nspi_in; i++)
		if (has_spi(kernel_spis, nspis, sa->spi_in[i]))
			live++;
	return live;
}

/* The xfrm dump's SPIs of valid states, at most this many. */
#define GUARD_MAX_SPIS		(1u << 20)

struct count_ctx {
	const struct spirec_addr *addrs;
	size_t n;
	unsigned int live;
	uint32_t *spis;			/* of every valid state */
	size_t nspis, cap;
	bool spis_lost;			/* out of memory or too many */
};

static bool count_cb(const struct spirecd_xfrm_sa *sa, void *data)
{
	struct count_ctx *c = data;

	if (spirecd_guard_sa_counts(sa, c->addrs, c->n))
		c->live++;
	if (!sa->valid || c->spis_lost)
		return true;
	if (c->nspis == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		uint32_t *p = cap <= GUARD_MAX_SPIS ?
			      realloc(c->spis, cap * sizeof(*p)) : NULL;

		if (!p) {
			c->spis_lost = true;
			return true;
		}
		c->spis = p;
		c->cap = cap;
	}
	c->spis[c->nspis++] = sa->spi;
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct ike_ctx {
	const struct spirecd_peer_cfg *pc;
	const struct spirec_addr *addrs;
	size_t n;
	const uint32_t *spis;		/* NULL: the kernel's are unknown */
	size_t nspis;
	unsigned int live, ike_sas;
};

static int ike_cb(const struct spirecd_vici_ike_sa *sa, void *data)
{
	struct ike_ctx *k = data;

	k->ike_sas++;
	k->live += spirecd_guard_ike_live(sa, k->pc, k->addrs, k->n, k->spis,
					  k->nspis);
	return 0;
}

/* charon answers list-sas at once or not at all. */
#define GUARD_VICI_TIMEOUT_MS	2000

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

bool spirecd_guard_check(const struct spirecd_job *job)
{
	struct spirec_addr addrs[SPIRECD_GUARD_MAX_ADDRS];
	struct spirecd_guard_facts f = { 0 };
	struct count_ctx c = { .addrs = addrs };
	const struct spirecd_peer_cfg *pc = job->peer;
	struct spirecd_xfrm_dump_stats st;
	enum spirecd_guard_view view;
	unsigned long long live = 0;
	char err[384];
	uint64_t t0;
	int ret;

	c.n = spirecd_guard_peer_addrs(job->cfg, pc, &job->ev.src, addrs,
				       SPIRECD_GUARD_MAX_ADDRS);
	t0 = now_us();
	ret = spirecd_xfrm_sa_dump(count_cb, &c, &st, err, sizeof(err));
	if (ret) {
		atomic_fetch_add(&c_xfrm_errors, 1);
		log_warn("peer %s: %s: the kernel's SAs are unknown", job->label,
			 err);
	} else {
		f.xfrm_known = true;
		f.xfrm_live = c.live;
		if (st.skipped)
			log_warn("peer %s: xfrm dump: %u malformed states skipped (%s)",
				 job->label, st.skipped, st.last_why);
		log_debug("peer %s: xfrm dump: %u states, %u live from %zu peer addresses, %llu us",
			  job->label, st.states, c.live, c.n,
			  (unsigned long long)(now_us() - t0));
	}
	if (!f.xfrm_live && pc && pc->vici_socket) {
		struct ike_ctx k = { .pc = pc, .addrs = addrs, .n = c.n };
		unsigned int tmo = job->cfg->vici_timeout_ms;

		static const uint32_t none[1];

		if (f.xfrm_known && !c.spis_lost) {
			if (c.nspis)
				qsort(c.spis, c.nspis, sizeof(*c.spis), cmp_u32);
			k.spis = c.spis ? c.spis : none;
			k.nspis = c.nspis;
		}
		if (tmo > GUARD_VICI_TIMEOUT_MS)
			tmo = GUARD_VICI_TIMEOUT_MS;
		t0 = now_us();
		if (spirecd_vici_list_sas(pc->vici_socket, tmo, ike_cb, &k, err,
					  sizeof(err))) {
			atomic_fetch_add(&c_ike_unavailable, 1);
			log_debug("peer %s: charon's IKE SAs unknown: %s",
				  job->label, err);
		} else {
			f.ike_known = true;
			f.ike_live = k.live;
			log_debug("peer %s: list-sas: %u IKE SAs, %u live CHILD SAs with the peer, %llu us",
				  job->label, k.ike_sas, k.live,
				  (unsigned long long)(now_us() - t0));
		}
	}
	free(c.spis);
	view = spirecd_guard_decide(&f);
	if (view == SPIRECD_GUARD_NONE) {
		atomic_fetch_add(&c_acted, 1);
		return false;
	}
	live = view == SPIRECD_GUARD_XFRM ? f.xfrm_live : f.ike_live;
	report(view, job->label, &job->ev, live);
	return true;
}
