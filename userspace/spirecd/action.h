/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recovery actions. Each one runs in a worker thread (or in the foreground
 * for --recover), blocks until it is done, and writes a one-line outcome
 * for the log into @msg. They return true when the action did what it is
 * meant to do.
 */
#ifndef SPIRECD_ACTION_H
#define SPIRECD_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include <linux/spirec.h>

#include "event.h"
#include "vici.h"
#include "../ike/ike.h"

struct spirecd_job {
	const struct spirecd_config *cfg;
	const struct spirecd_peer_cfg *peer;	/* NULL: not in the config */
	enum spirecd_action action;
	struct spirec_event_msg ev;
	uint64_t event_ms;			/* taken (spirecd_now_ms()) */
	char label[SPIRECD_NAME_MAX + INET6_ADDRSTRLEN + 8];
};

/* "NAME (ADDR)" or "ADDR" for a peer not in the config. */
void spirecd_job_label(struct spirecd_job *job);

/* ikev2: ike_recover() with the peer's identities and PSK. *@started is
 * false when nothing was sent. Called by spirecd_action_run() after the
 * wait for our charon and the guard. */
bool spirecd_action_ikev2(const struct spirecd_job *job, char *msg,
			  size_t len, bool *started);
/* The same, filling @res (used by --recover). */
int spirecd_ikev2_run(const struct spirecd_config *cfg,
		      const struct spirecd_peer_cfg *peer,
		      const struct spirec_event_msg *ev, struct ike_result *res);

/* ikev1: ike_v1_recover() (Main Mode, INITIAL-CONTACT, Delete and
 * INVALID-SPI of the event's SPI and protocol); as ikev2 otherwise. */
bool spirecd_action_ikev1(const struct spirecd_job *job, char *msg,
			  size_t len, bool *started);
int spirecd_ikev1_run(const struct spirecd_config *cfg,
		      const struct spirecd_peer_cfg *peer,
		      const struct spirec_event_msg *ev, struct ike_result *res);
/* IKEv1 protocol ID of an IPPROTO_ESP/IPPROTO_AH event. */
uint8_t spirecd_ikev1_proto(uint8_t ipproto);

/* hint: the RFC 7296 1.5 unprotected INVALID_SPI notify. */
bool spirecd_action_hint(const struct spirecd_job *job, char *msg,
			 size_t len);

/* At most this many vici initiates run in charon at once. */
#define SPIRECD_VICI_INITIATES_MAX	4

/* vici: ask the local charon to initiate the peer's CHILD (and IKE) SA;
 * *@started and the caller as for ikev2. Waits (not started) while
 * SPIRECD_VICI_INITIATES_MAX other initiates run. */
bool spirecd_action_vici(const struct spirecd_job *job, char *msg,
			 size_t len, bool *started);

/*
 * Wait up to @timeout_ms until the charon at @pc's vici_socket answers
 * and (if @pc names vici_ike) has that connection loaded. Recovering the
 * peer before our own IKE daemon can take its re-key would only make the
 * peer drop its SAs into a void.
 */
bool spirecd_vici_wait_ready(const struct spirecd_peer_cfg *pc,
			     unsigned int timeout_ms, char *err, size_t errlen);

/*
 * Ask the charon at @path for its IKE SAs (list-sas, streamed as
 * "list-sa" events) and call @cb for each; a malformed event is skipped
 * (logged). Returns 0, or -1 with @err (charon not answering, refusing,
 * or sending garbage) within @timeout_ms.
 */
int spirecd_vici_list_sas(const char *path, unsigned int timeout_ms,
			  spirecd_vici_ike_sa_cb cb, void *ctx, char *err,
			  size_t errlen);

/* exec: run a command with the event in its environment. */
bool spirecd_action_exec(const struct spirecd_job *job, char *msg,
			 size_t len);

enum spirecd_outcome {
	SPIRECD_OUTCOME_OK,
	SPIRECD_OUTCOME_FAILED,
	SPIRECD_OUTCOME_NOT_STARTED,	/* nothing was sent to the peer */
	SPIRECD_OUTCOME_HEALTHY,	/* live state with the peer: nothing
					 * sent, no hold-down (guard.h) */
};

/*
 * Run whichever action @job names: wait for our charon when the action
 * needs it (ikev2/ikev1 with a vici_socket, vici), then check that the peer is
 * not healthy (spirecd_guard_check(), the last thing before the first
 * packet), then act.
 */
enum spirecd_outcome spirecd_action_run(const struct spirecd_job *job,
					char *msg, size_t len);

/* Fill a sockaddr from @addr and @port (host order); returns its length. */
socklen_t spirecd_sockaddr(const struct spirec_addr *addr, uint16_t port,
			   struct sockaddr_storage *ss);

/* Where the IKE initiator's messages go (ike_peer_cfg.log). */
typedef void spirecd_ike_log_fn(void *ctx, enum ike_log_level level,
				const char *msg);

/*
 * The IKE settings of an ikev2 or ikev1 recovery toward the event's
 * source: @peer's proposals, identities and PSK, @cfg's time-out, @log
 * (its context the peer's name); the peer's address in @remote and ours
 * in @local. We answer from the address the peer sent its ESP/AH to (and,
 * with no local_id, identify as that address). ESP in UDP: the peer may
 * be behind a NAT that lets in only what comes from our NAT-T port to its
 * mapped port, so IKE goes exactly there, from our NAT-T port (the local
 * IKE daemon's) with the non-ESP marker.
 */
void spirecd_ike_cfg(const struct spirecd_config *cfg,
		     const struct spirecd_peer_cfg *peer,
		     const struct spirec_event_msg *ev,
		     spirecd_ike_log_fn *log,
		     struct sockaddr_storage *remote,
		     struct sockaddr_storage *local, struct ike_peer_cfg *ic);

#endif
