// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Requests the peer sends on our IKE SA while we recover it: answered
 * (INFORMATIONAL: empty response, retransmissions from a cache),
 * refused with a notify when malformed, or deliberately left unanswered
 * (CREATE_CHILD_SA). Nothing is acted on before its ICV verified.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "err.h"
#include "exchange.h"
#include "proto.h"

static void send_response(struct ike_ctx *c, uint8_t exchange, uint32_t mid,
			  struct ike_builder *inner)
{
	if (ike_build_protected(c, exchange, true, mid, inner, c->last_resp,
				&c->last_resp_len) != IKE_OK) {
		ike_log(c, IKE_LOG_ERR, "cannot build response to peer request %u", mid);
		return;
	}
	c->have_last_resp = true;
	c->peer_mid = mid + 1;
	if (ike_transport_send(&c->run.tr, c->last_resp, c->last_resp_len) < 0)
		ike_log(c, IKE_LOG_INFO, "sending response %u failed", mid);
}

/* A request from the peer on our established IKE SA. */
void ike_peer_request(struct ike_ctx *c)
{
	struct ike_rx *rx = c->rx;
	struct ike_builder inner;
	uint32_t mid = rx->h.msg_id;
	int err;

	if (!c->established || rx->h.spi_r != c->spi_r) {
		ike_log(c, IKE_LOG_DEBUG, "dropping peer request before the IKE SA is established");
		return;
	}
	err = ike_rx_open(c, true);
	if (err) {
		/* Never act on a message whose ICV does not verify. */
		ike_log(c, IKE_LOG_INFO, "dropping peer request %u: %s", mid,
			ike_strerror(err));
		return;
	}
	if (c->have_last_resp && mid + 1 == c->peer_mid) {
		ike_log(c, IKE_LOG_DEBUG, "peer retransmitted request %u, resending our response", mid);
		ike_transport_send(&c->run.tr, c->last_resp, c->last_resp_len);
		return;
	}
	if (c->create_child_pending && mid == c->create_child_mid)
		return;		/* its retransmission: still unanswered */
	if (mid != c->peer_mid) {
		ike_log(c, IKE_LOG_INFO, "dropping peer request with message ID %u (expected %u)", mid, c->peer_mid);
		return;
	}
	c->run.res->peer_requests++;
	ike_builder_init_chain(&inner);
	if (rx->parse_err == IKE_E_CRITICAL) {
		uint8_t t = rx->pl.bad_critical;

		ike_log(c, IKE_LOG_INFO, "peer request %u has unsupported critical payload %u", mid, t);
		ike_notify_write(&inner, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &t, 1);
		send_response(c, rx->h.exchange, mid, &inner);
		return;
	}
	if (rx->parse_err) {
		ike_log(c, IKE_LOG_INFO, "peer request %u is malformed (%s)",
			mid, ike_strerror(rx->parse_err));
		ike_notify_write(&inner, IKE_PROTO_NONE, NULL, 0,
				 IKE_N_INVALID_SYNTAX, NULL, 0);
		send_response(c, rx->h.exchange, mid, &inner);
		return;
	}
	switch (rx->h.exchange) {
	case IKE_CREATE_CHILD_SA:
		/*
		 * A trap-policy peer asks for the CHILD SA INITIAL_CONTACT
		 * just destroyed. An error answer would leave its acquire
		 * parked; unanswered, our Delete makes it re-establish
		 * with its real responder (see interop notes).
		 */
		ike_log(c, IKE_LOG_INFO, "peer sent CREATE_CHILD_SA (message ID %u): left unanswered, deleting the IKE SA", mid);
		c->run.res->peer_create_child = true;
		c->create_child_pending = true;
		c->create_child_mid = mid;
		return;
	case IKE_INFORMATIONAL:
		for (size_t i = 0; i < rx->pl.n; i++) {
			struct ike_delete d;

			if (rx->pl.pl[i].type == IKE_PL_DELETE &&
			    ike_delete_parse(rx->pl.pl[i].body,
					     rx->pl.pl[i].len, &d) == IKE_OK &&
			    d.proto == IKE_PROTO_IKE)
				c->peer_deleted = true;
		}
		ike_log(c, IKE_LOG_INFO, "peer INFORMATIONAL request %u%s: empty response", mid,
			c->peer_deleted ? " (Delete of the IKE SA)" : "");
		send_response(c, IKE_INFORMATIONAL, mid, &inner);
		return;
	default:
		ike_log(c, IKE_LOG_INFO, "ignoring peer request %u of exchange type %u", mid, rx->h.exchange);
		return;
	}
}

/*
 * Send the request in c->out and wait for the matching response, with
 * retransmissions (RFC 7296 2.1). Peer requests arriving meanwhile are
 * handled. On IKE_OK c->rx holds the (decrypted) response.
 */
