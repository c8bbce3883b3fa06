// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Messages on the IKE SA being set up: protection and verification of
 * SK payloads (ICV first), and what a response of the request/response
 * round with retransmissions (RFC 7296 2.1, run.c) must be.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto_aead.h"
#include "err.h"
#include "exchange.h"
#include "proto.h"
#include "run.h"

/* Seal @inner into a protected message (we are always the initiator). */

int ike_build_protected(struct ike_ctx *c, uint8_t exchange, bool resp,
			uint32_t mid, struct ike_builder *inner,
			uint8_t *out, size_t *out_len)
{
	size_t body = ike_sk_body_len(&c->suite, inner->len);
	size_t total = IKE_HDR_LEN + IKE_GEN_HDR_LEN + body;
	struct ike_header h = {
		.spi_i = c->spi_i, .spi_r = c->spi_r,
		.next = IKE_PL_SK, .version = IKE_VERSION,
		.exchange = exchange,
		.flags = IKE_FLAG_I | (resp ? IKE_FLAG_R : 0),
		.msg_id = mid, .length = (uint32_t)total,
	};
	int err;

	if (inner->overflow || total > IKE_MSG_MAX) {
		OPENSSL_cleanse(inner->buf, sizeof(inner->buf));
		return IKE_E_SPACE;
	}
	ike_header_write(out, &h);
	out[IKE_HDR_LEN] = ike_builder_first_type(inner);
	out[IKE_HDR_LEN + 1] = 0;
	ike_put16(out + IKE_HDR_LEN + 2, (uint16_t)(IKE_GEN_HDR_LEN + body));
	err = ike_sk_seal(&c->suite, c->keys.sk_ei, c->keys.sk_ai, out,
			  IKE_HDR_LEN + IKE_GEN_HDR_LEN, inner->buf,
			  inner->len);
	OPENSSL_cleanse(inner->buf, sizeof(inner->buf));
	*out_len = total;
	return err;
}

/*
 * Parse c->rx (raw message and header already checked); for protected
 * messages verify the ICV before anything else and parse the inner
 * payloads. Returns IKE_OK, or an error when the message must be
 * dropped (parse errors of the payload chain itself are in rx->parse_err).
 */
int ike_rx_open(struct ike_ctx *c, bool protected)
{
	struct ike_rx *rx = c->rx;
	const uint8_t *chain = rx->raw + IKE_HDR_LEN;
	size_t clen = rx->len - IKE_HDR_LEN;
	struct ike_payload_list outer;
	int err;

	rx->parse_err = ike_payloads_parse(rx->h.next, chain, clen, &outer);
	if (!protected) {
		rx->pl = outer;
		return IKE_OK;
	}
	/* Everything of a protected message is inside SK (3.14). */
	if (rx->parse_err == IKE_E_CRITICAL)
		return IKE_E_CRITICAL;
	if (!outer.has_sk || outer.n != 1 ||
	    (rx->parse_err && rx->parse_err != IKE_OK))
		return IKE_E_SYNTAX;
	if (outer.pl[0].type != IKE_PL_SK)
		return IKE_E_UNSUPPORTED;	/* SKF: fragments */
	err = ike_sk_open(&c->suite, c->keys.sk_er, c->keys.sk_ar, rx->raw,
			  rx->len, IKE_HDR_LEN + outer.sk_body_off, rx->plain,
			  &rx->plain_len);
	if (err)
		return err;
	rx->parse_err = ike_payloads_parse(outer.sk_first, rx->plain,
					   rx->plain_len, &rx->pl);
	return IKE_OK;
}

/*
 * The error notify (type < 16384) of an unprotected IKE_SA_INIT response
 * that has to be set aside, or 0. INVALID_KE_PAYLOAD (and COOKIE, a
 * status type) are legitimate answers the caller handles, and a message
 * that does not even parse is the caller's to report.
 */
static uint16_t init_error_notify(const struct ike_rx *rx)
{
	const struct ike_payload_list *pl = &rx->pl;

	if (rx->parse_err)
		return 0;
	for (size_t i = 0; i < pl->n; i++) {
		struct ike_notify n;

		if (pl->pl[i].type == IKE_PL_NOTIFY &&
		    ike_notify_parse(pl->pl[i].body, pl->pl[i].len, &n) ==
		    IKE_OK && n.type <= IKE_N_ERROR_MAX &&
		    n.type != IKE_N_INVALID_KE_PAYLOAD)
			return n.type;
	}
	return 0;
}

struct round {
	struct ike_ctx *c;
	uint8_t exchange;
	uint32_t mid;
	bool protected;
};

/* A datagram (c->rx->raw) while ike_transact() waits: IKE_E_AGAIN to
 * keep waiting. */
static int take_response(void *ctx, size_t n)
{
	const struct round *t = ctx;
	struct ike_ctx *c = t->c;
	struct ike_rx *rx = c->rx;
	int rc;

	rx->len = n;
	if (ike_header_parse(rx->raw, rx->len, &rx->h) ||
	    rx->h.spi_i != c->spi_i) {
		ike_log(c, IKE_LOG_DEBUG, "dropping a datagram that is not for this IKE SA");
		return IKE_E_AGAIN;
	}
	if (!(rx->h.flags & IKE_FLAG_R)) {
		if (rx->h.flags & IKE_FLAG_I)
			return IKE_E_AGAIN;
		ike_peer_request(c);
		return c->peer_deleted ? IKE_E_PEER_DELETED : IKE_E_AGAIN;
	}
	if ((rx->h.flags & IKE_FLAG_I) || rx->h.msg_id != t->mid ||
	    rx->h.exchange != t->exchange ||
	    (t->protected && rx->h.spi_r != c->spi_r)) {
		ike_log(c, IKE_LOG_DEBUG, "dropping an unexpected response (exchange %u, message ID %u)", rx->h.exchange,
			rx->h.msg_id);
		return IKE_E_AGAIN;
	}
	rc = ike_rx_open(c, t->protected);
	if (rc) {
		ike_log(c, IKE_LOG_INFO, "dropping response %u: %s", t->mid,
			ike_strerror(rc));
		return IKE_E_AGAIN;
	}
	if (!t->protected && t->exchange == IKE_SA_INIT) {
		uint16_t en = init_error_notify(rx);

		if (en) {
			/* Anyone on the path can forge this (RFC 7296
			 * 2.21.1): keep waiting.
			 */
			char nb[32];

			c->init_error_notify = en;
			ike_log(c, IKE_LOG_INFO, "unauthenticated error notify %s in the IKE_SA_INIT response, waiting for a proper one",
				ike_notify_name(en, nb, sizeof(nb)));
			return IKE_E_AGAIN;
		}
	}
	return IKE_OK;
}

int ike_transact(struct ike_ctx *c, uint8_t exchange, uint32_t mid,
		 bool protected)
{
	struct round t = { c, exchange, mid, protected };
	unsigned int tries = ike_run_tries(&c->run);
	char no_answer[48];
	int last_err, rc;

	if (exchange == IKE_SA_INIT)
		c->init_error_notify = 0;
	snprintf(no_answer, sizeof(no_answer), "no response to message %u",
		 mid);
	rc = ike_run_round(&c->run, c->out.buf, c->out.len, c->rx->raw,
			   sizeof(c->rx->raw), take_response, &t, no_answer,
			   &last_err);
	if (rc != IKE_E_TIMEOUT)
		return rc;
	if (c->init_error_notify && exchange == IKE_SA_INIT) {
		char nb[32];
		uint16_t en = c->init_error_notify;

		c->run.res->peer_notify = en;
		ike_fail(c, en == IKE_N_AUTHENTICATION_FAILED ?
			 IKE_STATUS_AUTH : IKE_STATUS_REFUSED,
			 "peer refused IKE_SA_INIT: %s (unauthenticated; no other answer after %u tries)",
			 ike_notify_name(en, nb, sizeof(nb)), tries);
	} else if (last_err)
		ike_fail(c, IKE_STATUS_TIMEOUT, "no response from peer after %u tries (last error: %s)", tries,
			 strerror(last_err));
	else
		ike_fail(c, IKE_STATUS_TIMEOUT, "no response from peer after %u tries", tries);
	return IKE_E_TIMEOUT;
}

int ike_hold(struct ike_ctx *c, unsigned int ms)
{
	long long deadline = ike_run_ms(&c->run) + ms;
	struct ike_rx *rx = c->rx;

	while (!c->create_child_pending && !c->peer_deleted) {
		long long left = deadline - ike_run_ms(&c->run);
		ssize_t n;

		if (left <= 0)
			break;
		n = ike_transport_recv(&c->run.tr, rx->raw, sizeof(rx->raw),
				       (int)left);
		if (n == 0)
			break;
		if (n == -ECONNREFUSED)
			continue;
		if (n < 0) {
			ike_fail(c, IKE_STATUS_NETWORK, "recv: %s",
				 strerror((int)-n));
			return IKE_E_NETWORK;
		}
		rx->len = (size_t)n;
		if (ike_header_parse(rx->raw, rx->len, &rx->h) ||
		    rx->h.spi_i != c->spi_i ||
		    (rx->h.flags & (IKE_FLAG_R | IKE_FLAG_I)))
			continue;	/* only peer requests matter here */
		ike_peer_request(c);
	}
	return IKE_OK;
}
