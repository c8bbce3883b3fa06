// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The recovery exchange of spirec's IKEv2 initiator (see ike.h):
 * IKE_SA_INIT, IKE_AUTH (PSK, INITIAL_CONTACT, childless per RFC 6023),
 * INFORMATIONAL N(INVALID_SPI), INFORMATIONAL Delete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "codec.h"
#include "crypto_aead.h"
#include "crypto_dh.h"
#include "err.h"
#include "exchange.h"
#include "identity.h"
#include "ike.h"
#include "keys.h"
#include "natd.h"
#include "payloads.h"
#include "proposal.h"
#include "proto.h"
#include "run.h"
#include "transport.h"

#define INIT_ATTEMPTS	5	/* COOKIE / INVALID_KE_PAYLOAD rounds */

const char *ike_status_str(enum ike_status status)
{
	switch (status) {
	case IKE_STATUS_OK: return "ok";
	case IKE_STATUS_CONFIG: return "configuration error";
	case IKE_STATUS_NETWORK: return "network error";
	case IKE_STATUS_TIMEOUT: return "timeout";
	case IKE_STATUS_REFUSED: return "refused by peer";
	case IKE_STATUS_AUTH: return "authentication failed";
	case IKE_STATUS_PROTOCOL: return "protocol error";
	case IKE_STATUS_NO_CHILDLESS: return "peer lacks childless IKE SAs";
	case IKE_STATUS_INTERNAL: return "internal error";
	}
	return "unknown";
}

static uint16_t error_notify(const struct ike_payload_list *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		struct ike_notify n;

		if (pl->pl[i].type == IKE_PL_NOTIFY &&
		    ike_notify_parse(pl->pl[i].body, pl->pl[i].len, &n) ==
		    IKE_OK && n.type <= IKE_N_ERROR_MAX)
			return n.type;
	}
	return 0;
}

static bool find_notify(const struct ike_payload_list *pl, uint16_t type,
			struct ike_notify *out)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->pl[i].type == IKE_PL_NOTIFY &&
		    ike_notify_parse(pl->pl[i].body, pl->pl[i].len, out) ==
		    IKE_OK && out->type == type)
			return true;
	return false;
}

static int refused(struct ike_ctx *c, const char *what, uint16_t type)
{
	char nb[32];

	c->run.res->peer_notify = type;
	return ike_fail(c, type == IKE_N_AUTHENTICATION_FAILED ?
			IKE_STATUS_AUTH : IKE_STATUS_REFUSED,
			"peer refused %s: %s", what,
			ike_notify_name(type, nb, sizeof(nb)));
}

static int build_init(struct ike_ctx *c)
{
	size_t kelen = ike_dh_public_len(ike_dh_group(c->run.dh));
	uint8_t ke[IKE_DH_MAX_LEN], natd[IKE_NATD_LEN];
	struct ike_header h = {
		.spi_i = c->spi_i, .exchange = IKE_SA_INIT,
		.flags = IKE_FLAG_I,
	};
	struct ike_builder *b = &c->out;

	if (ike_dh_public(c->run.dh, ke, kelen))
		return ike_fail(c, IKE_STATUS_INTERNAL,
				"DH public value failed");
	ike_builder_init_msg(b, &h);
	if (c->cookie_len)	/* must be first (2.6) */
		ike_notify_write(b, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE,
				 c->cookie, c->cookie_len);
	ike_sa_write(b, &c->offered);
	ike_ke_write(b, ike_dh_group(c->run.dh), ke, kelen);
	ike_nonce_write(b, c->ni, sizeof(c->ni));
	/* NAT-D over the real addresses and ports of this socket. */
	if (c->run.cfg->force_encap) {
		if (RAND_bytes(natd, sizeof(natd)) != 1)
			return ike_fail(c, IKE_STATUS_INTERNAL, "RAND_bytes");
	} else if (ike_natd_hash(c->spi_i, 0,
				 (struct sockaddr *)&c->run.tr.local, natd)) {
		return ike_fail(c, IKE_STATUS_INTERNAL, "NAT-D hash failed");
	}
	ike_notify_write(b, IKE_PROTO_NONE, NULL, 0,
			 IKE_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	if (ike_natd_hash(c->spi_i, 0, (struct sockaddr *)&c->run.tr.peer,
			  natd))
		return ike_fail(c, IKE_STATUS_INTERNAL, "NAT-D hash failed");
	ike_notify_write(b, IKE_PROTO_NONE, NULL, 0,
			 IKE_N_NAT_DETECTION_DESTINATION_IP, natd,
			 sizeof(natd));
	ike_notify_write(b, IKE_PROTO_NONE, NULL, 0,
			 IKE_N_CHILDLESS_IKEV2_SUPPORTED, NULL, 0);
	if (ike_builder_finish(b))
		return ike_fail(c, IKE_STATUS_INTERNAL,
				"IKE_SA_INIT too large");
	memcpy(c->init_req, b->buf, b->len);
	c->init_req_len = b->len;
	return 0;
}

/* Compare NAT-D notifies of the response with the real addresses. */
static void check_natd(struct ike_ctx *c)
{
	const struct ike_payload_list *pl = &c->rx->pl;
	uint8_t src[IKE_NATD_LEN], dst[IKE_NATD_LEN];
	bool have_src = false, have_dst = false, src_ok = false;
	bool dst_ok = false;

	if (ike_natd_hash(c->spi_i, c->spi_r,
			  (struct sockaddr *)&c->run.tr.peer, src) ||
	    ike_natd_hash(c->spi_i, c->spi_r,
			  (struct sockaddr *)&c->run.tr.local, dst))
		return;
	for (size_t i = 0; i < pl->n; i++) {
		struct ike_notify n;

		if (pl->pl[i].type != IKE_PL_NOTIFY ||
		    ike_notify_parse(pl->pl[i].body, pl->pl[i].len, &n))
			continue;
		if (n.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			have_src = true;
			src_ok |= n.data_len == IKE_NATD_LEN &&
				  !memcmp(n.data, src, IKE_NATD_LEN);
		} else if (n.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			have_dst = true;
			dst_ok |= n.data_len == IKE_NATD_LEN &&
				  !memcmp(n.data, dst, IKE_NATD_LEN);
		}
	}
	if (!have_src || !have_dst) {
		ike_log(c, IKE_LOG_INFO, "peer sent no NAT detection payloads");
		return;
	}
	ike_run_nat(&c->run, dst_ok, src_ok);
}

static int ike_sa_init(struct ike_ctx *c)
{
	char err[256];
	uint8_t gir[IKE_DH_MAX_LEN];

	for (int attempt = 0;; attempt++) {
		struct ike_rx *rx = c->rx;
		const struct ike_payload *sa_pl, *ke_pl, *n_pl;
		struct ike_sa_payload sa;
		struct ike_notify n;
		struct ike_ke ke;
		uint16_t enot;
		size_t glen;
		int rc;

		if (attempt == INIT_ATTEMPTS)
			return ike_fail(c, IKE_STATUS_PROTOCOL, "IKE_SA_INIT did not settle after %d COOKIE/INVALID_KE_PAYLOAD rounds",
					attempt);
		rc = build_init(c);
		if (rc)
			return rc;
		ike_log(c, IKE_LOG_DEBUG, "sending IKE_SA_INIT (DH group %u%s)",
			ike_dh_group(c->run.dh), c->cookie_len ? ", cookie" : "");
		rc = ike_transact(c, IKE_SA_INIT, 0, false);
		if (rc)
			return rc;
		if (rx->parse_err == IKE_E_CRITICAL)
			return ike_fail(c, IKE_STATUS_PROTOCOL, "IKE_SA_INIT response has unsupported critical payload %u", rx->pl.bad_critical);
		if (rx->parse_err)
			return ike_fail(c, IKE_STATUS_PROTOCOL, "malformed IKE_SA_INIT response: %s",
					ike_strerror(rx->parse_err));
		if (find_notify(&rx->pl, IKE_N_COOKIE, &n)) {
			if (!n.data_len || n.data_len > IKE_COOKIE_MAX)
				return ike_fail(c, IKE_STATUS_PROTOCOL, "bad COOKIE length %zu",
						n.data_len);
			memcpy(c->cookie, n.data, n.data_len);
			c->cookie_len = n.data_len;
			ike_log(c, IKE_LOG_INFO, "peer asked for a cookie");
			continue;
		}
		if (find_notify(&rx->pl, IKE_N_INVALID_KE_PAYLOAD, &n)) {
			uint16_t g = n.data_len == 2 ? ike_get16(n.data) : 0;
			struct ike_dh *dh;

			if (!ike_proposals_have_group(&c->offered, g) ||
			    g == ike_dh_group(c->run.dh))
				return ike_fail(c, IKE_STATUS_PROTOCOL, "peer wants DH group %u, which we did not propose", g);
			dh = ike_dh_new(g);
			if (!dh)
				return ike_fail(c, IKE_STATUS_INTERNAL, "DH group %u failed", g);
			ike_dh_free(c->run.dh);
			c->run.dh = dh;
			ike_log(c, IKE_LOG_INFO, "peer wants DH group %u", g);
			continue;
		}
		enot = error_notify(&rx->pl);
		if (enot)
			return refused(c, "IKE_SA_INIT", enot);
		sa_pl = ike_payload_find(&rx->pl, IKE_PL_SA);
		ke_pl = ike_payload_find(&rx->pl, IKE_PL_KE);
		n_pl = ike_payload_find(&rx->pl, IKE_PL_NONCE);
		if (!sa_pl || !ke_pl || !n_pl)
			return ike_fail(c, IKE_STATUS_PROTOCOL, "IKE_SA_INIT response lacks SA, KE or Nonce");
		if (!rx->h.spi_r)
			return ike_fail(c, IKE_STATUS_PROTOCOL, "responder SPI is zero");
		rc = ike_sa_parse(sa_pl->body, sa_pl->len, &sa);
		if (rc)
			return ike_fail(c, IKE_STATUS_PROTOCOL, "responder SA payload: %s", ike_strerror(rc));
		if (ike_proposal_select(&c->offered, &sa, &c->suite, err,
					sizeof(err)))
			return ike_fail(c, IKE_STATUS_PROTOCOL, "%s", err);
		rc = ike_ke_parse(ke_pl->body, ke_pl->len, &ke);
		if (rc || ke.group != ike_dh_group(c->run.dh) ||
		    c->suite.dh != ke.group)
			return ike_fail(c, IKE_STATUS_PROTOCOL, "responder KE payload: group %u, we sent %u",
					rc ? 0 : ke.group,
					ike_dh_group(c->run.dh));
		if (ike_nonce_parse(n_pl->body, n_pl->len))
			return ike_fail(c, IKE_STATUS_PROTOCOL, "responder nonce has bad length %zu", n_pl->len);
		if (!find_notify(&rx->pl, IKE_N_CHILDLESS_IKEV2_SUPPORTED, &n))
			return ike_fail(c, IKE_STATUS_NO_CHILDLESS, "peer does not announce CHILDLESS_IKEV2_SUPPORTED (RFC 6023); spirec never creates a CHILD SA, so it cannot recover this peer");
		c->spi_r = rx->h.spi_r;
		memcpy(c->nr, n_pl->body, n_pl->len);
		c->nr_len = n_pl->len;
		check_natd(c);
		glen = ike_dh_shared_len(ke.group);
		rc = ike_dh_shared(c->run.dh, ke.data, ke.len, gir, glen);
		if (rc) {
			OPENSSL_cleanse(gir, sizeof(gir));
			return ike_fail(c, IKE_STATUS_PROTOCOL, "responder KE value rejected: %s", ike_strerror(rc));
		}
		rc = ike_derive_keys(&c->suite, c->ni, sizeof(c->ni), c->nr,
				     c->nr_len, gir, glen, c->spi_i, c->spi_r,
				     &c->keys, NULL);
		OPENSSL_cleanse(gir, sizeof(gir));
		if (rc)
			return ike_fail(c, IKE_STATUS_INTERNAL, "key derivation: %s", ike_strerror(rc));
		c->init_resp = malloc(rx->len);
		if (!c->init_resp)
			return ike_fail(c, IKE_STATUS_INTERNAL,
					"out of memory");
		memcpy(c->init_resp, rx->raw, rx->len);
		c->init_resp_len = rx->len;
		c->run.res->spi_r = c->spi_r;
		ike_suite_format(&c->suite, c->run.res->suite,
				 sizeof(c->run.res->suite));
		ike_log(c, IKE_LOG_INFO, "IKE_SA_INIT done: %s", c->run.res->suite);
		return 0;
	}
}

static void id_body(const struct ike_identity *id, uint8_t *out,
		    size_t *len)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	*len = 4 + id->len;
}

static int ike_auth(struct ike_ctx *c)
{
	const struct ike_peer_cfg *cfg = c->run.cfg;
	uint8_t idb[4 + IKE_ID_MAX], auth[IKE_PRF_MAX_LEN];
	size_t idlen, plen = ike_prf_len(c->suite.prf);
	const struct ike_payload *idr_pl, *auth_pl;
	struct ike_typed_data idr, ap;
	struct ike_builder inner;
	uint16_t enot;
	char err[256];
	int rc;

	if (c->run.tr.raw) {
		c->run.res->natt = true;
	} else if (c->run.res->nat_detected || cfg->force_encap) {
		uint16_t port = cfg->peer_natt_port ? cfg->peer_natt_port :
						      IKE_NATT_PORT;

		if (ike_transport_set_port(&c->run.tr, port, true, err,
					   sizeof(err)))
			return ike_fail(c, IKE_STATUS_NETWORK, "%s", err);
		c->run.res->natt = true;
		ike_log(c, IKE_LOG_INFO, "switching to NAT-T port %u", port);
	}
	ike_builder_init_chain(&inner);
	id_body(&c->idi, idb, &idlen);
	ike_builder_payload(&inner, IKE_PL_IDI, idb, idlen);
	if (c->have_idr)
		ike_typed_write(&inner, IKE_PL_IDR, c->idr.type, c->idr.data,
				c->idr.len);
	rc = ike_psk_auth(c->suite.prf, cfg->psk, cfg->psk_len, c->init_req,
			  c->init_req_len, c->nr, c->nr_len, c->keys.sk_pi,
			  idb, idlen, auth);
	if (rc)
		return ike_fail(c, IKE_STATUS_INTERNAL, "AUTH computation failed");
	ike_typed_write(&inner, IKE_PL_AUTH, IKE_AUTH_PSK, auth, plen);
	ike_notify_write(&inner, IKE_PROTO_NONE, NULL, 0,
			 IKE_N_INITIAL_CONTACT, NULL, 0);
	rc = ike_build_protected(c, IKE_AUTH, false, 1, &inner, c->out.buf,
				 &c->out.len);
	if (rc)
		return ike_fail(c, IKE_STATUS_INTERNAL, "IKE_AUTH: %s",
				ike_strerror(rc));
	ike_log(c, IKE_LOG_DEBUG, "sending IKE_AUTH");
	rc = ike_transact(c, IKE_AUTH, 1, true);
	if (rc)
		return rc;
	if (c->rx->parse_err)
		return ike_fail(c, IKE_STATUS_PROTOCOL, "malformed IKE_AUTH response: %s", ike_strerror(c->rx->parse_err));
	enot = error_notify(&c->rx->pl);
	if (enot)
		return refused(c, "IKE_AUTH", enot);
	idr_pl = ike_payload_find(&c->rx->pl, IKE_PL_IDR);
	auth_pl = ike_payload_find(&c->rx->pl, IKE_PL_AUTH);
	if (!idr_pl || !auth_pl)
		return ike_fail(c, IKE_STATUS_PROTOCOL, "IKE_AUTH response lacks IDr or AUTH");
	if (ike_id_payload_parse(idr_pl->body, idr_pl->len, &idr) ||
	    ike_auth_payload_parse(auth_pl->body, auth_pl->len, &ap))
		return ike_fail(c, IKE_STATUS_PROTOCOL,
				"malformed IDr or AUTH");
	if (c->have_idr && !ike_identity_matches(&c->idr, idr.type,
						 idr.data, idr.len)) {
		char got[300];

		ike_identity_format(idr.type, idr.data, idr.len, got,
				    sizeof(got));
		return ike_fail(c, IKE_STATUS_AUTH, "responder identity %s is not the configured remote identity", got);
	}
	if (ap.type != IKE_AUTH_PSK)
		return ike_fail(c, IKE_STATUS_AUTH, "responder used AUTH method %u, not a pre-shared key", ap.type);
	/* Responder's octets: its IKE_SA_INIT | Ni | prf(SK_pr, IDr'). */
	rc = ike_psk_auth(c->suite.prf, cfg->psk, cfg->psk_len, c->init_resp,
			  c->init_resp_len, c->ni, sizeof(c->ni), c->keys.sk_pr,
			  idr_pl->body, idr_pl->len, auth);
	if (rc)
		return ike_fail(c, IKE_STATUS_INTERNAL, "AUTH computation failed");
	if (ap.len != plen || CRYPTO_memcmp(ap.data, auth, plen)) {
		OPENSSL_cleanse(auth, sizeof(auth));
		return ike_fail(c, IKE_STATUS_AUTH, "responder AUTH payload does not verify (wrong PSK?)");
	}
	OPENSSL_cleanse(auth, sizeof(auth));
	if (ike_payload_find(&c->rx->pl, IKE_PL_SA))
		ike_log(c, IKE_LOG_ERR, "peer created a CHILD SA although we asked for none");
	c->established = true;
	c->run.res->authenticated = true;
	ike_log(c, IKE_LOG_INFO, "IKE SA authenticated, INITIAL_CONTACT sent");
	return 0;
}

/*
 * One INFORMATIONAL request of ours; its response is in c->rx. IKE_OK,
 * IKE_E_PEER_DELETED, or a failure recorded in the result.
 */
static int informational(struct ike_ctx *c, uint32_t mid,
			 struct ike_builder *inner, const char *what)
{
	int rc = ike_build_protected(c, IKE_INFORMATIONAL, false, mid, inner,
				     c->out.buf, &c->out.len);

	if (rc)
		return ike_fail(c, IKE_STATUS_INTERNAL, "%s: %s", what,
				ike_strerror(rc));
	ike_log(c, IKE_LOG_DEBUG, "sending INFORMATIONAL %s", what);
	rc = ike_transact(c, IKE_INFORMATIONAL, mid, true);
	if (rc)
		return rc;
	if (c->rx->parse_err) {
		ike_log(c, IKE_LOG_INFO, "malformed response to %s: %s", what,
			ike_strerror(c->rx->parse_err));
	} else {
		uint16_t enot = error_notify(&c->rx->pl);
		char nb[32];

		if (enot)
			ike_log(c, IKE_LOG_INFO, "peer answered %s with %s",
				what, ike_notify_name(enot, nb, sizeof(nb)));
	}
	return IKE_OK;
}

static int recover_established(struct ike_ctx *c, uint32_t spi)
{
	struct ike_builder inner;
	uint8_t spib[4];
	int rc, drc;

	ike_put32(spib, spi);
	ike_builder_init_chain(&inner);
	ike_notify_write(&inner, IKE_PROTO_NONE, NULL, 0, IKE_N_INVALID_SPI,
			 spib, sizeof(spib));
	rc = informational(c, 2, &inner, "N(INVALID_SPI)");
	if (rc == IKE_E_PEER_DELETED) {
		ike_log(c, IKE_LOG_INFO, "peer deleted the IKE SA itself");
		c->run.res->deleted = true;
		return 0;
	}
	if (rc == IKE_OK) {
		c->run.res->invalid_spi_acked = true;
		ike_log(c, IKE_LOG_INFO, "peer answered INFORMATIONAL N(INVALID_SPI 0x%08x): received (an empty reply; whether the peer drops its stale SA shows in the verification)",
			spi);
	}
	/* Delete even if the notify went unanswered. */
	ike_builder_init_chain(&inner);
	ike_delete_write(&inner, IKE_PROTO_IKE, 0, NULL, 0);
	drc = informational(c, 3, &inner, "Delete");
	if (drc == IKE_OK || drc == IKE_E_PEER_DELETED) {
		c->run.res->deleted = true;
		ike_log(c, IKE_LOG_INFO, "IKE SA deleted");
	} else if (rc == IKE_OK) {
		/* The recovery (INITIAL_CONTACT, INVALID_SPI) is done. */
		c->run.res->status = IKE_STATUS_OK;
		c->run.res->error[0] = '\0';
	}
	return rc;
}

static int configure(struct ike_ctx *c)
{
	const struct ike_peer_cfg *cfg = c->run.cfg;
	char err[256];
	uint16_t group;

	if (!ike_sockaddr_valid(cfg->peer, cfg->peer_len) ||
	    cfg->peer_len > sizeof(struct sockaddr_storage))
		return ike_fail(c, IKE_STATUS_CONFIG, "peer address missing or not IPv4/IPv6");
	if (cfg->local && (!ike_sockaddr_valid(cfg->local, cfg->local_len) ||
			   cfg->local->sa_family != cfg->peer->sa_family))
		return ike_fail(c, IKE_STATUS_CONFIG, "local address is not of the peer's address family");
	if (!cfg->psk || !cfg->psk_len)
		return ike_fail(c, IKE_STATUS_CONFIG, "no pre-shared key");
	if (!cfg->local_id)
		return ike_fail(c, IKE_STATUS_CONFIG, "no local identity");
	if (ike_identity_parse(cfg->local_id, &c->idi, err, sizeof(err)))
		return ike_fail(c, IKE_STATUS_CONFIG, "local identity: %s",
				err);
	if (cfg->remote_id) {
		if (ike_identity_parse(cfg->remote_id, &c->idr, err,
				       sizeof(err)))
			return ike_fail(c, IKE_STATUS_CONFIG, "remote identity: %s", err);
		c->have_idr = true;
	}
	if (ike_proposals_parse(cfg->proposals, &c->offered, err,
				sizeof(err)))
		return ike_fail(c, IKE_STATUS_CONFIG, "proposals: %s", err);
	group = ike_proposals_first_group(&c->offered);
	c->run.dh = ike_dh_new(group);
	if (!c->run.dh)
		return ike_fail(c, IKE_STATUS_INTERNAL, "DH group %u failed",
				group);
	return 0;
}

int ike_recover(const struct ike_peer_cfg *cfg, uint32_t spi,
		struct ike_result *out)
{
	struct ike_ctx *c = calloc(1, sizeof(*c));
	char a[64];
	int ret = -1;

	if (ike_run_start(c ? &c->run : NULL, cfg, out))
		return -1;
	c->rx = malloc(sizeof(*c->rx));
	if (!c->rx) {
		ike_fail(c, IKE_STATUS_INTERNAL, "out of memory");
		goto out;
	}
	if (configure(c) ||
	    ike_run_open(&c->run, &c->spi_i, c->ni, sizeof(c->ni)))
		goto out;
	ike_sockaddr_format((struct sockaddr *)&c->run.tr.peer, a, sizeof(a));
	ike_log(c, IKE_LOG_INFO, "recovering %s for SPI 0x%08x from port %u", a,
		spi, out->local_port);
	if (ike_sa_init(c) || ike_auth(c))
		goto out;
	if (cfg->hold_ms) {
		ike_log(c, IKE_LOG_DEBUG, "holding the IKE SA up to %u ms",
			cfg->hold_ms);
		if (ike_hold(c, cfg->hold_ms))
			goto out;
	}
	if (c->peer_deleted) {
		ike_log(c, IKE_LOG_INFO, "peer deleted the IKE SA itself");
		out->deleted = true;
		ret = 0;
		goto out;
	}
	ret = recover_established(c, spi) ? -1 : 0;
out:
	ret = ike_run_end(&c->run, ret);
	ike_keys_wipe(&c->keys);
	free(c->init_resp);
	if (c->rx)
		OPENSSL_cleanse(c->rx->plain, sizeof(c->rx->plain));
	free(c->rx);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
	return ret;
}
