/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Did a recovery heal the black hole? An action that completed says only
 * that the exchange worked (a peer that answers an INFORMATIONAL as a
 * liveness check has not necessarily dropped its stale SAs). After each
 * successful recovery spirecd watches the module's peer table for the
 * peer's unknown SPIs, for at most verify_window:
 *
 *   - none for verify_quiet after the action and after the last one:
 *     "healed in N ms", N from the event to the last unknown-SPI packet
 *     (0 when none came after the event);
 *   - still arriving when verify_window has passed since the action:
 *     "peer still sends unknown SPIs N s after recovery".
 *
 * Quiet is not enough: a peer that dropped its stale SAs but has not
 * negotiated new ones sends nothing either (libreswan 4.x holds its
 * traffic in an acquire while it retries over its stale IKE SA for a
 * minute). So the kernel's SAs are read as well (one NETLINK_XFRM dump
 * per tick): healed also needs a usable SA from the peer's address
 * (its new inbound SA); N is then the time from the event to the later
 * of the last unknown SPI and the first tick that saw that SA. Quiet
 * without such an SA at the end of verify_window: "no SA from the peer
 * N s after recovery", counted as unhealed.
 *
 * Each outcome is counted (verify_healed, verify_unhealed, status file).
 * The module updates a peer's entry (packets, last seen) for every
 * unknown-SPI packet that reaches the table: not while the global bucket
 * is empty (a flood), so a flood can make a recovery look healed.
 */
#ifndef SPIRECD_VERIFY_H
#define SPIRECD_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <netinet/in.h>

#include "addr.h"
#include "config.h"

struct spirec_nl;
struct spirecd_job;

/* Pending verifications at most; the oldest is dropped past it. */
#define SPIRECD_VERIFY_MAX	1024
/* How often the peer table is read while verifications are pending. */
#define SPIRECD_VERIFY_TICK_MS	250

/* One recovery being verified. */
struct spirecd_verify_item {
	struct spirec_addr addr;
	char label[SPIRECD_NAME_MAX + INET6_ADDRSTRLEN + 8];	/* job's */
	uint32_t spi;
	uint64_t event_ms;		/* spirecd took the event (monotonic) */
	uint64_t done_ms;		/* the action completed */
	uint64_t last_unknown_ms;	/* latest unknown SPI seen, 0: none */
	uint64_t sa_seen_ms;		/* first tick with an SA from it, 0 */
};

/* What the peer table said about the item's address at @now_ms. */
struct spirecd_verify_sample {
	bool present;			/* the address has an entry */
	uint64_t last_seen_ms;		/* its age: ms since its last packet */
	bool sa_checked;		/* the kernel's SAs were read */
	bool has_sa;			/* a usable SA from the address */
};

enum spirecd_verify_verdict {
	SPIRECD_VERIFY_PENDING,
	SPIRECD_VERIFY_HEALED,		/* *ms: event to last unknown SPI */
	SPIRECD_VERIFY_UNHEALED,	/* *ms: since the last unknown SPI */
	SPIRECD_VERIFY_NO_SA,		/* quiet, but no SA from the peer */
};

/*
 * The decision for one item, pure: updates @it->last_unknown_ms and
 * @it->sa_seen_ms from @s, then judges with @quiet_ms and @window_ms at
 * @now_ms. A sample whose SAs were not read (!sa_checked) judges by the
 * unknown SPIs alone.
 */
enum spirecd_verify_verdict
spirecd_verify_judge(struct spirecd_verify_item *it,
		     const struct spirecd_verify_sample *s, uint64_t now_ms,
		     unsigned int quiet_ms, unsigned int window_ms,
		     uint64_t *ms);

/* Settings (config verify_quiet, verify_window; window 0: off). */
void spirecd_verify_configure(unsigned int quiet_ms, unsigned int window_ms);

/* A worker: the action of @job completed (thread-safe). */
void spirecd_verify_add(const struct spirecd_job *job, uint64_t event_ms,
			uint64_t done_ms);

/*
 * A descriptor that becomes readable when spirecd_verify_add() added an
 * item (an eventfd; -1 before spirecd_verify_configure() or if it could
 * not be made: then the main loop only notices new items at its next
 * wake-up). spirecd_verify_tick() drains it.
 */
int spirecd_verify_fd(void);
/* Empty that descriptor (the main loop, when it is readable). */
void spirecd_verify_drain(void);

/* Whether the main loop has to call spirecd_verify_tick() (thread-safe). */
bool spirecd_verify_pending(void);

/* The main loop: read the peer table over @req and judge every item. */
void spirecd_verify_tick(struct spirec_nl *req, uint64_t now_ms);

/* "KEY NUMBER" lines for the status file. */
void spirecd_verify_counters(FILE *f);

/* Moves whenever a counter or the number of pending items does. */
uint64_t spirecd_verify_gen(void);

/* Forget everything (tests, exit). */
void spirecd_verify_reset(void);

#endif
