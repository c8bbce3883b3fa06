// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Action hint: the unprotected INVALID_SPI notification of RFC 7296 1.5,
 * sent back to where the offending packet came from. The peer may act on
 * it or not (2.21.4); nothing is waited for.
 */
#include <stdio.h>

#include "action.h"

bool spirecd_action_hint(const struct spirecd_job *job, char *msg,
			 size_t len)
{
	const struct spirec_event_msg *ev = &job->ev;
	struct sockaddr_storage remote, local;
	struct ike_hint_cfg h = { 0 };
	bool udp = ev->encap == SPIREC_ENCAP_UDP;
	char err[256];

	h.peer = (struct sockaddr *)&remote;
	h.peer_len = spirecd_sockaddr(&ev->src, udp ? ev->sport : 0, &remote);
	h.udp_encap = udp;
	if (ev->dst.family == ev->src.family) {
		h.local = (struct sockaddr *)&local;
		h.local_len = spirecd_sockaddr(&ev->dst, 0, &local);
	}
	if (ike_send_hint(&h, ev->spi, err, sizeof(err))) {
		snprintf(msg, len, "hint failed: %s", err);
		return false;
	}
	if (udp)
		snprintf(msg, len, "hint sent to UDP port %u", ev->sport);
	else
		snprintf(msg, len, "hint sent to UDP port %u", IKE_PORT);
	return true;
}
