// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every action shares: the peer's label, socket addresses, dispatch.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "guard.h"

void spirecd_job_label(struct spirecd_job *job)
{
	char addr[INET6_ADDRSTRLEN];

	spirec_addr_format(&job->ev.src, addr, sizeof(addr));
	if (job->peer)
		snprintf(job->label, sizeof(job->label), "%s (%s)",
			 job->peer->name, addr);
	else
		snprintf(job->label, sizeof(job->label), "%s", addr);
}

socklen_t spirecd_sockaddr(const struct spirec_addr *addr, uint16_t port,
			   struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (addr->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		in6->sin6_addr = addr->v6;
		return sizeof(*in6);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		in->sin_addr = addr->v4;
		return sizeof(*in);
	}
}

void spirecd_ike_cfg(const struct spirecd_config *cfg,
		     const struct spirecd_peer_cfg *peer,
		     const struct spirec_event_msg *ev,
		     spirecd_ike_log_fn *log,
		     struct sockaddr_storage *remote,
		     struct sockaddr_storage *local, struct ike_peer_cfg *ic)
{
	*ic = (struct ike_peer_cfg){
		.proposals = peer->ike,
		.local_id = peer->local_id,
		.remote_id = peer->remote_id,
		.psk = peer->psk,
		.psk_len = peer->psk_len,
		.timeout_ms = cfg->ike_timeout_ms,
		.log = log,
		.log_ctx = (void *)peer->name,
	};
	ic->peer = (struct sockaddr *)remote;
	ic->peer_len = spirecd_sockaddr(&ev->src, 0, remote);
	if (ev->dst.family == ev->src.family) {
		ic->local = (struct sockaddr *)local;
		ic->local_len = spirecd_sockaddr(&ev->dst, 0, local);
	}
	if (ev->encap == SPIREC_ENCAP_UDP && ev->sport && ev->dport &&
	    ic->local) {
		ic->peer_len = spirecd_sockaddr(&ev->src, ev->sport, remote);
		ic->local_len = spirecd_sockaddr(&ev->dst, ev->dport, local);
		ic->via_nat_mapping = true;
	}
}

/*
 * Actions that first wait for our charon to be able to answer the peer's
 * re-key (spirecd_vici_wait_ready()): recovering the peer before that
 * would only make it drop its SAs into a void.
 */
static bool waits_for_charon(const struct spirecd_job *job)
{
	const struct spirecd_peer_cfg *pc = job->peer;

	if (!pc || !pc->vici_socket)
		return false;
	return job->action == SPIRECD_ACTION_IKEV2 ||
	       job->action == SPIRECD_ACTION_IKEV1 ||
	       (job->action == SPIRECD_ACTION_VICI && pc->vici_child);
}

enum spirecd_outcome spirecd_action_run(const struct spirecd_job *job,
					char *msg, size_t len)
{
	bool ok, started = true;
	char err[384];

	if (job->action == SPIRECD_ACTION_NONE) {
		snprintf(msg, len, "no action");
		return SPIRECD_OUTCOME_OK;
	}
	if (waits_for_charon(job) &&
	    !spirecd_vici_wait_ready(job->peer, job->cfg->vici_timeout_ms,
				     err, sizeof(err))) {
		if (job->action == SPIRECD_ACTION_IKEV2 ||
		    job->action == SPIRECD_ACTION_IKEV1)
			snprintf(msg, len, "%s not started: %s",
				 spirecd_action_name(job->action), err);
		else
			snprintf(msg, len, "vici: %s", err);
		return SPIRECD_OUTCOME_NOT_STARTED;
	}
	/* The last moment before the first packet to the peer. */
	if (spirecd_guard_check(job)) {
		snprintf(msg, len, "live state with the peer: nothing sent");
		return SPIRECD_OUTCOME_HEALTHY;
	}
	switch (job->action) {
	case SPIRECD_ACTION_IKEV2:
		ok = spirecd_action_ikev2(job, msg, len, &started);
		break;
	case SPIRECD_ACTION_IKEV1:
		ok = spirecd_action_ikev1(job, msg, len, &started);
		break;
	case SPIRECD_ACTION_HINT:
		ok = spirecd_action_hint(job, msg, len);
		break;
	case SPIRECD_ACTION_VICI:
		ok = spirecd_action_vici(job, msg, len, &started);
		break;
	case SPIRECD_ACTION_EXEC:
		ok = spirecd_action_exec(job, msg, len);
		break;
	default:
		snprintf(msg, len, "no action");
		return SPIRECD_OUTCOME_OK;
	}
	if (!started)
		return SPIRECD_OUTCOME_NOT_STARTED;
	return ok ? SPIRECD_OUTCOME_OK : SPIRECD_OUTCOME_FAILED;
}
