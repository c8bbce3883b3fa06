// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Action ikev1: Main Mode (PSK, INITIAL-CONTACT) toward the peer, then
 * an Informational with Delete and INVALID-SPI for the stale SPI (ESP or
 * AH, as the event says) and the Delete of our ISAKMP SA
 * (ike_v1_recover(), see ike/ike.h). The peer drops its stale SAs and
 * re-keys with our IKE daemon.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "log.h"
#include "../ike/v1_proto.h"

static void ike_log(void *ctx, enum ike_log_level level, const char *msg)
{
	const char *label = ctx;

	if (level == IKE_LOG_ERR)
		log_info("%s: ikev1: %s", label, msg);
	else
		log_debug("%s: ikev1: %s", label, msg);
}

uint8_t spirecd_ikev1_proto(uint8_t ipproto)
{
	return ipproto == IPPROTO_AH ? IKE_V1_PROTO_AH : IKE_V1_PROTO_ESP;
}

int spirecd_ikev1_run(const struct spirecd_config *cfg,
		      const struct spirecd_peer_cfg *peer,
		      const struct spirec_event_msg *ev, struct ike_result *res)
{
	struct sockaddr_storage remote, local;
	struct ike_peer_cfg ic;

	spirecd_ike_cfg(cfg, peer, ev, ike_log, &remote, &local, &ic);
	return ike_v1_recover(&ic, spirecd_ikev1_proto(ev->proto), ev->spi,
			      res);
}

bool spirecd_action_ikev1(const struct spirecd_job *job, char *msg,
			  size_t len, bool *started)
{
	struct ike_result res;

	*started = false;
	if (!job->peer) {
		snprintf(msg, len, "ikev1: no [peer] settings");
		return false;
	}
	/* spirecd_action_run() waited for our charon (with a vici_socket)
	 * and checked that the peer is not healthy. */
	*started = true;
	memset(&res, 0, sizeof(res));
	spirecd_ikev1_run(job->cfg, job->peer, &job->ev, &res);
	if (res.status != IKE_STATUS_OK) {
		snprintf(msg, len, "ikev1 failed after %u ms: %s%s%s",
			 res.elapsed_ms, ike_status_str(res.status),
			 res.error[0] ? ": " : "", res.error);
		return false;
	}
	snprintf(msg, len,
		 "ikev1 done in %u ms: ISAKMP SA %016llx_i %016llx_r (%s), INITIAL-CONTACT, Delete + INVALID-SPI for %s SPI 0x%08x, ISAKMP SA deleted",
		 res.elapsed_ms, (unsigned long long)res.spi_i,
		 (unsigned long long)res.spi_r, res.suite,
		 job->ev.proto == IPPROTO_AH ? "AH" : "ESP", job->ev.spi);
	return true;
}
