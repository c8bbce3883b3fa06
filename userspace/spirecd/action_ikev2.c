// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Action ikev2: a childless IKE SA with INITIAL_CONTACT toward the peer,
 * then INVALID_SPI and Delete (ike_recover(), see ike/ike.h). The peer
 * drops its stale IKE and CHILD SAs and re-keys with our IKE daemon.
 */
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "log.h"

static void ike_log(void *ctx, enum ike_log_level level, const char *msg)
{
	const char *label = ctx;

	if (level == IKE_LOG_ERR)
		log_info("%s: ike: %s", label, msg);
	else
		log_debug("%s: ike: %s", label, msg);
}

int spirecd_ikev2_run(const struct spirecd_config *cfg,
		      const struct spirecd_peer_cfg *peer,
		      const struct spirec_event_msg *ev, struct ike_result *res)
{
	struct sockaddr_storage remote, local;
	struct ike_peer_cfg ic;

	spirecd_ike_cfg(cfg, peer, ev, ike_log, &remote, &local, &ic);
	return ike_recover(&ic, ev->spi, res);
}

bool spirecd_action_ikev2(const struct spirecd_job *job, char *msg,
			  size_t len, bool *started)
{
	struct ike_result res;

	*started = false;
	if (!job->peer) {
		snprintf(msg, len, "ikev2: no [peer] settings");
		return false;
	}
	/* spirecd_action_run() waited for our charon (with a vici_socket)
	 * and checked that the peer is not healthy. */
	*started = true;
	memset(&res, 0, sizeof(res));
	spirecd_ikev2_run(job->cfg, job->peer, &job->ev, &res);
	if (res.status != IKE_STATUS_OK) {
		snprintf(msg, len, "ikev2 failed after %u ms: %s%s%s",
			 res.elapsed_ms, ike_status_str(res.status),
			 res.error[0] ? ": " : "", res.error);
		return false;
	}
	snprintf(msg, len,
		 "ikev2 done in %u ms: IKE SA %016llx_i %016llx_r (%s)%s, INVALID_SPI %s, %s%s",
		 res.elapsed_ms, (unsigned long long)res.spi_i,
		 (unsigned long long)res.spi_r, res.suite,
		 res.natt ? " over NAT-T" : "",
		 res.invalid_spi_acked ? "answered" : "not answered",
		 res.deleted ? "deleted" : "delete not answered",
		 res.peer_create_child ?
		 ", peer's CREATE_CHILD_SA left unanswered" : "");
	return res.invalid_spi_acked;
}
