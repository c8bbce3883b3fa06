/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Not a black hole: before any action, spirecd checks that this host
 * really has no working IPsec state with the peer. An unknown SPI from a
 * peer we still share live SAs with is a spoofed packet or a straggler of
 * a deleted SA (rekey); recovering would harm a healthy tunnel (issue 11:
 * INITIAL_CONTACT makes the peer destroy its IKE SAs with our identity).
 * The rule is spelled out in guard.c.
 */
#ifndef SPIRECD_GUARD_H
#define SPIRECD_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "config.h"
#include "event.h"
#include "vici.h"
#include "xfrm_sa.h"

/*
 * Counters since start, for spirecd's status output. Read them with
 * spirecd_guard_counters() from any thread (each is read atomically; the
 * set is not one snapshot).
 *
 *   ignored_event   events dropped in the event loop: the module counted
 *                   live SAs from the peer (SPIREC_A_LIVE_SAS > 0)
 *   ignored_xfrm    recoveries dropped right before acting: the xfrm
 *                   dump of this network namespace has valid SAs from
 *                   the peer
 *   ignored_ike     recoveries dropped right before acting: the local
 *                   charon (vici_socket) has an ESTABLISHED IKE SA with
 *                   the peer and an INSTALLED CHILD SA under it
 *   acted           checks that found no live state: the action ran
 *   xfrm_errors     xfrm dumps that failed (the kernel's view at action
 *                   time was missing; the action ran if nothing else
 *                   showed live state)
 *   ike_unavailable list-sas requests charon did not answer
 *   log_suppressed  "not a black hole" lines held back by the per-peer
 *                   rate limit (one a minute)
 */
struct spirecd_guard_counters {
	uint64_t ignored_event;
	uint64_t ignored_xfrm;
	uint64_t ignored_ike;
	uint64_t acted;
	uint64_t xfrm_errors;
	uint64_t ike_unavailable;
	uint64_t log_suppressed;
};

void spirecd_guard_counters(struct spirecd_guard_counters *out);

/* Which view showed live state with the peer. */
enum spirecd_guard_view {
	SPIRECD_GUARD_NONE,		/* none: act */
	SPIRECD_GUARD_EVENT,		/* the event's live_sas */
	SPIRECD_GUARD_XFRM,		/* the xfrm dump at action time */
	SPIRECD_GUARD_IKE,		/* charon's list-sas */
};

/* What each view said; a view that is not known says nothing. */
struct spirecd_guard_facts {
	bool event_known;
	uint32_t event_live;		/* SPIREC_A_LIVE_SAS */
	bool xfrm_known;
	unsigned int xfrm_live;		/* valid SAs from the peer */
	bool ike_known;
	unsigned int ike_live;		/* INSTALLED CHILD SAs under
					 * ESTABLISHED IKE SAs with the peer */
};

/* The rule (guard.c), pure: the first view with live state, or
 * SPIRECD_GUARD_NONE. */
enum spirecd_guard_view
spirecd_guard_decide(const struct spirecd_guard_facts *f);

/* Addresses the peer's identity is known at, at most this many. */
#define SPIRECD_GUARD_MAX_ADDRS		64

/*
 * The addresses of the IKE peer that sent to @src: @src itself, then the
 * address of every single-address [peer] section of @cfg with the same
 * remote_id (set) and local_id as @pc (may be NULL: @src alone). Returns
 * how many were written to @out (at most @max, @src first).
 */
size_t spirecd_guard_peer_addrs(const struct spirecd_config *cfg,
				const struct spirecd_peer_cfg *pc,
				const struct spirec_addr *src,
				struct spirec_addr *out, size_t max);

/* Does @sa count as live state with the peer at @addrs: a valid ESP or AH
 * state (any SPI, any mark) whose source is one of them? */
bool spirecd_guard_sa_counts(const struct spirecd_xfrm_sa *sa,
			     const struct spirec_addr *addrs, size_t n);

/*
 * How many CHILD SAs of charon's IKE SA @sa show live state with the peer
 * of section @pc (may be NULL) at @addrs: 0 unless @sa is ESTABLISHED and
 * its remote-host is one of @addrs or its remote-id is @pc's remote_id;
 * then its INSTALLED CHILD SAs. With @kernel_spis (the SPIs of the valid
 * states the xfrm dump found, sorted; NULL when the dump failed) only
 * those whose spi-in the kernel still has count: after `ip xfrm state
 * flush` charon still lists its CHILD SAs as INSTALLED, and that is a
 * black hole.
 */
unsigned int spirecd_guard_ike_live(const struct spirecd_vici_ike_sa *sa,
				    const struct spirecd_peer_cfg *pc,
				    const struct spirec_addr *addrs, size_t n,
				    const uint32_t *kernel_spis, size_t nspis);

/* Per-peer rate limit of the log line: one a minute per address. */
#define SPIRECD_GUARD_RL_SLOTS		256
#define SPIRECD_GUARD_RL_MS		60000

struct spirecd_guard_rl {
	struct {
		struct spirec_addr addr;
		uint64_t last_ms;
		uint64_t suppressed;
		bool used;
	} e[SPIRECD_GUARD_RL_SLOTS];
};

/*
 * May a line about @addr be logged at @now_ms? true: yes, and
 * *@suppressed is how many were held back since the last one logged. The
 * table is bounded: when full, the entry logged longest ago is reused.
 */
bool spirecd_guard_rl_allow(struct spirecd_guard_rl *rl,
			    const struct spirec_addr *addr, uint64_t now_ms,
			    uint64_t *suppressed);

/*
 * The event loop's check (no I/O): true when @ev carries live_sas > 0;
 * then the event is counted and the rate-limited line logged, and the
 * caller takes no action, not even a hold-down claim.
 */
bool spirecd_guard_event(const char *label, const struct spirec_event_msg *ev);

/*
 * The worker's check, right before the first packet to the peer (after
 * waiting for our charon): the xfrm dump of spirecd's network namespace,
 * then, with a vici_socket, charon's list-sas. true: the peer is healthy
 * (counted and logged); the caller sends nothing.
 */
bool spirecd_guard_check(const struct spirecd_job *job);

#endif
