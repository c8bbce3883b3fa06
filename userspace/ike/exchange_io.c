// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Messages on the IKE SA being set up: logging and failure reporting,
 * protection and verification of SK payloads (ICV first), and the
 * request/response loop with retransmissions (RFC 7296 2.1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto_aead.h"
#include "err.h"
#include "exchange.h"
#include "proto.h"
#include "report.h"

void ike_log(struct ike_ctx *c, enum ike_log_level lvl, const char *fmt,
	     ...)
{
	va_list ap;

	va_start(ap, fmt);
	ike_vlog(c->cfg, lvl, fmt, ap);
	va_end(ap);
}

int ike_fail(struct ike_ctx *c, enum ike_status st, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = ike_vfail(c->cfg, c->res, st, fmt, ap);
	va_end(ap);
	return err;
}

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

int ike_transact(struct ike_ctx *c, uint8_t exchange, uint32_t mid,
		 bool protected)
{
	const struct ike_peer_cfg *cfg = c->cfg;
	unsigned int timeout = cfg->timeout_ms ? cfg->timeout_ms : 1000;
	unsigned int tries = cfg->tries ? cfg->tries : 4;
	int last_err = 0;

	if (exchange == IKE_SA_INIT)
		c->init_error_notify = 0;
	for (unsigned int try = 0; try < tries; try++, timeout *= 2) {
		long long deadline;
		int rc = ike_transport_send(&c->tr, c->out.buf, c->out.len);

		if (rc < 0 && rc != -ECONNREFUSED) {
			ike_fail(c, IKE_STATUS_NETWORK, "send: %s",
				 strerror(-rc));
			return IKE_E_NETWORK;
		}
		if (try)
			c->res->retransmits++;
		deadline = ike_ms_since(&c->start) + timeout;
		for (;;) {
			long long left = deadline - ike_ms_since(&c->start);
			struct ike_rx *rx = c->rx;
			ssize_t n;

			if (left <= 0)
				break;
			n = ike_transport_recv(&c->tr, rx->raw,
					       sizeof(rx->raw), (int)left);
			if (n == 0)
				break;
			if (n < 0) {
				last_err = (int)-n;
				if (n != -ECONNREFUSED) {
					ike_fail(c, IKE_STATUS_NETWORK, "recv: %s", strerror(last_err));
					return IKE_E_NETWORK;
				}
				continue;
			}
			rx->len = (size_t)n;
			if (ike_header_parse(rx->raw, rx->len, &rx->h) ||
			    rx->h.spi_i != c->spi_i) {
				ike_log(c, IKE_LOG_DEBUG, "dropping a datagram that is not for this IKE SA");
				continue;
			}
			if (!(rx->h.flags & IKE_FLAG_R)) {
				if (rx->h.flags & IKE_FLAG_I)
					continue;
				ike_peer_request(c);
				if (c->peer_deleted)
					return IKE_E_PEER_DELETED;
				continue;
			}
			if ((rx->h.flags & IKE_FLAG_I) || rx->h.msg_id != mid ||
			    rx->h.exchange != exchange ||
			    (protected && rx->h.spi_r != c->spi_r)) {
				ike_log(c, IKE_LOG_DEBUG, "dropping an unexpected response (exchange %u, message ID %u)", rx->h.exchange,
					rx->h.msg_id);
				continue;
			}
			rc = ike_rx_open(c, protected);
			if (rc) {
				ike_log(c, IKE_LOG_INFO, "dropping response %u: %s", mid, ike_strerror(rc));
				continue;
			}
			if (!protected && exchange == IKE_SA_INIT) {
				uint16_t en = init_error_notify(rx);

				if (en) {
					/* Anyone on the path can forge this
					 * (RFC 7296 2.21.1): keep waiting.
					 */
					char nb[32];

					c->init_error_notify = en;
					ike_log(c, IKE_LOG_INFO, "unauthenticated error notify %s in the IKE_SA_INIT response, waiting for a proper one",
						ike_notify_name(en, nb,
								sizeof(nb)));
					continue;
				}
			}
			return IKE_OK;
		}
		ike_log(c, IKE_LOG_DEBUG, "no response to message %u after %u ms", mid, timeout);
	}
	if (c->init_error_notify && exchange == IKE_SA_INIT) {
		char nb[32];
		uint16_t en = c->init_error_notify;

		c->res->peer_notify = en;
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
	long long deadline = ike_ms_since(&c->start) + ms;
	struct ike_rx *rx = c->rx;

	while (!c->create_child_pending && !c->peer_deleted) {
		long long left = deadline - ike_ms_since(&c->start);
		ssize_t n;

		if (left <= 0)
			break;
		n = ike_transport_recv(&c->tr, rx->raw, sizeof(rx->raw),
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
