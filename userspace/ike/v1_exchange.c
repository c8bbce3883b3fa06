// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirec's IKEv1 recovery (RFC 2409 Main Mode with a pre-shared key):
 *
 *   HDR, SA                      ->   <- HDR, SA
 *   HDR, KE, Ni                  ->   <- HDR, KE, Nr
 *   HDR*, IDii, HASH_I, N(INITIAL-CONTACT)  ->  <- HDR*, IDir, HASH_R
 *   HDR*, HASH(1), D(ESP|AH, spi), N(INVALID-SPI, spi)   (Informational)
 *   HDR*, HASH(1), D(ISAKMP, cookies)                    (Informational)
 *
 * strongSwan destroys every IKE SA between the two identities on the
 * INITIAL-CONTACT of message 5; libreswan, racoon and isakmpd act on the
 * Delete of the stale SPI; Cisco-style peers on INVALID-SPI. Our own
 * ISAKMP SA is deleted at once, before the peer could start a Quick Mode
 * over it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto_dh.h"
#include "err.h"
#include "identity.h"
#include "ike.h"
#include "run.h"
#include "transport.h"
#include "v1_exchange.h"
#include "v1_natd.h"
#include "v1_proposal.h"
#include "v1_proto.h"

#define V1_RX_MAX	65535
#define V1_SA_MAX	(16 + IKE_V1_MAX_TRANSFORMS * 44)


struct v1_ctx {
	struct ike_run run;	/* settings, result, socket, DH, clock */
	struct ike_v1_proposals offered;
	struct ike_v1_suite suite;
	struct ike_identity idi, idr;
	bool have_idr;
	uint64_t cky_i, cky_r;
	uint8_t sai_b[V1_SA_MAX];
	size_t sai_len;
	uint8_t ni[IKE_V1_NONCE_LEN];
	uint8_t nr[IKE_V1_NONCE_MAX];
	size_t nr_len;
	uint8_t gxi[IKE_DH_MAX_LEN], gxr[IKE_DH_MAX_LEN], gxy[IKE_DH_MAX_LEN];
	size_t g_len, gxy_len;
	struct ike_v1_keys keys;
	struct ike_builder out;		/* request being sent */
	uint8_t rx[V1_RX_MAX];
	size_t rx_len;
	uint8_t plain[V1_RX_MAX];
	struct ike_header rh;
	/* Error notify of an unprotected Informational, set aside: anyone
	 * on the path can forge one, so it counts only if nothing better
	 * comes before the last timeout. */
	uint16_t unauth_notify;
	unsigned int undecryptable;	/* message-6 candidates that failed */
	bool peer_natt;			/* responder sent the RFC 3947 VID */
};

/* Log, and record the first failure (returns IKE_E_FAILED): run.h. */
#define v1_log(c, ...)	ike_run_log(&(c)->run, __VA_ARGS__)
#define v1_fail(c, ...)	ike_run_fail(&(c)->run, __VA_ARGS__)

/* First error notify (type < 16384) of a payload list, or 0. */
static uint16_t error_notify(const struct ike_payload_list *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		struct ike_v1_notify n;

		if (pl->pl[i].type == IKE_V1_PL_N &&
		    !ike_v1_notify_parse(pl->pl[i].body, pl->pl[i].len, &n) &&
		    n.type && n.type <= IKE_V1_N_ERROR_MAX)
			return n.type;
	}
	return 0;
}

/*
 * An Informational from the peer while we wait: unprotected ones are
 * set aside; one protected by our phase-1 keys (after message 5) with a
 * good HASH(1) and an error notify ends the exchange.
 */
static int peer_informational(struct v1_ctx *c)
{
	struct ike_payload_list pl;
	char nb[32];
	uint16_t en;

	if (!(c->rh.flags & IKE_V1_FLAG_E)) {
		if (ike_v1_payloads_parse(c->rh.next, c->rx + IKE_HDR_LEN,
					  c->rx_len - IKE_HDR_LEN, false, &pl))
			return IKE_E_AGAIN;
		en = error_notify(&pl);
		if (en) {
			c->unauth_notify = en;
			v1_log(c, IKE_LOG_INFO, "unprotected %s from the peer, waiting for a proper answer",
			       ike_v1_notify_name(en, nb, sizeof(nb)));
		}
		return IKE_E_AGAIN;
	}
	if (!c->keys.block_len ||
	    ike_v1_info_open(&c->suite, &c->keys, c->rx, c->rx_len, c->plain,
			     &pl))
		return IKE_E_AGAIN;
	en = error_notify(&pl);
	if (!en)
		return IKE_E_AGAIN;
	c->run.res->peer_notify = en;
	v1_fail(c, en == IKE_V1_N_AUTHENTICATION_FAILED ||
		en == IKE_V1_N_INVALID_ID_INFO ||
		en == IKE_V1_N_INVALID_HASH_INFO ?
		IKE_STATUS_AUTH : IKE_STATUS_REFUSED,
		"peer refused Main Mode: %s",
		ike_v1_notify_name(en, nb, sizeof(nb)));
	return IKE_E_FAILED;
}

struct v1_round {
	struct v1_ctx *c;
	int (*accept)(struct v1_ctx *c);
};

/* A datagram (c->rx) while transact() waits: IKE_E_AGAIN to keep
 * waiting. */
static int take_answer(void *ctx, size_t n)
{
	const struct v1_round *t = ctx;
	struct v1_ctx *c = t->c;

	c->rx_len = n;
	if (ike_v1_header_parse(c->rx, c->rx_len, &c->rh) ||
	    c->rh.spi_i != c->cky_i) {
		v1_log(c, IKE_LOG_DEBUG, "dropping a datagram that is not for this ISAKMP SA");
		return IKE_E_AGAIN;
	}
	if (c->rh.exchange == IKE_V1_EXCH_INFO)
		return peer_informational(c);
	if (c->rh.exchange != IKE_V1_EXCH_IDPROT || c->rh.msg_id != 0 ||
	    !c->rh.spi_r || (c->cky_r && c->rh.spi_r != c->cky_r))
		return IKE_E_AGAIN;
	return t->accept(c);
}

/*
 * Send c->out and wait for the answer @accept takes (IKE_OK; IKE_E_AGAIN
 * for not this one; IKE_E_FAILED, the step failed), retransmitting.
 * IKE_OK, or IKE_E_NETWORK, IKE_E_TIMEOUT or IKE_E_FAILED, the failure
 * recorded in the result.
 */
static int transact(struct v1_ctx *c, const char *what,
		    int (*accept)(struct v1_ctx *c))
{
	struct v1_round t = { c, accept };
	unsigned int tries = ike_run_tries(&c->run);
	char no_answer[48], nb[32];
	int last_err, rc;

	c->unauth_notify = 0;
	c->undecryptable = 0;
	snprintf(no_answer, sizeof(no_answer), "no answer to %s", what);
	rc = ike_run_round(&c->run, c->out.buf, c->out.len, c->rx,
			   sizeof(c->rx), take_answer, &t, no_answer,
			   &last_err);
	if (rc != IKE_E_TIMEOUT)
		return rc;
	if (c->undecryptable) {
		v1_fail(c, IKE_STATUS_AUTH, "no valid answer to %s after %u tries: %u answer%s did not decrypt or verify (pre-shared key mismatch?)",
			what, tries, c->undecryptable,
			c->undecryptable == 1 ? "" : "s");
	} else if (c->unauth_notify) {
		c->run.res->peer_notify = c->unauth_notify;
		v1_fail(c, c->unauth_notify == IKE_V1_N_AUTHENTICATION_FAILED ||
			c->unauth_notify == IKE_V1_N_INVALID_ID_INFO ?
			IKE_STATUS_AUTH : IKE_STATUS_REFUSED,
			"peer refused %s: %s (unprotected; no other answer after %u tries)",
			what, ike_v1_notify_name(c->unauth_notify, nb,
						 sizeof(nb)), tries);
	} else if (!strcmp(what, "message 5")) {
		v1_fail(c, IKE_STATUS_TIMEOUT, "no answer to message 5 after %u tries (a peer drops a message 5 it cannot decrypt or whose identity it does not know: pre-shared key or local_id mismatch?)",
			tries);
	} else if (last_err) {
		v1_fail(c, IKE_STATUS_TIMEOUT, "no answer to %s after %u tries (last error: %s)",
			what, tries, strerror(last_err));
	} else {
		v1_fail(c, IKE_STATUS_TIMEOUT, "no answer to %s after %u tries",
			what, tries);
	}
	return IKE_E_TIMEOUT;
}

static int parse_plain(struct v1_ctx *c, struct ike_payload_list *pl)
{
	if (c->rh.flags & IKE_V1_FLAG_E)
		return IKE_E_SYNTAX;	/* not a plain message */
	return ike_v1_payloads_parse(c->rh.next, c->rx + IKE_HDR_LEN,
				     c->rx_len - IKE_HDR_LEN, false, pl);
}

/* Message 2: the responder's choice. */
static int accept_mm2(struct v1_ctx *c)
{
	struct ike_payload_list pl;
	const struct ike_payload *sa;
	char err[160];

	if (parse_plain(c, &pl))
		return IKE_E_AGAIN;
	sa = ike_payload_find(&pl, IKE_V1_PL_SA);
	if (!sa)
		return IKE_E_AGAIN;
	if (ike_v1_sa_parse(sa->body, sa->len, &c->offered, &c->suite, err,
			    sizeof(err))) {
		v1_fail(c, IKE_STATUS_PROTOCOL, "message 2: %s", err);
		return IKE_E_FAILED;
	}
	for (size_t i = 0; i < pl.n; i++)
		if (pl.pl[i].type == IKE_V1_PL_VID &&
		    pl.pl[i].len == IKE_V1_VID_RFC3947_LEN &&
		    !memcmp(pl.pl[i].body, ike_v1_vid_rfc3947,
			    IKE_V1_VID_RFC3947_LEN))
			c->peer_natt = true;
	c->cky_r = c->rh.spi_r;
	return IKE_OK;
}

static int send_mm1(struct v1_ctx *c)
{
	struct ike_header h = {
		.spi_i = c->cky_i, .exchange = IKE_V1_EXCH_IDPROT,
	};
	struct ike_builder *b = &c->out;

	c->sai_len = ike_v1_sa_build(&c->offered, IKE_V1_LIFETIME_S, c->sai_b,
				     sizeof(c->sai_b));
	ike_v1_builder_init(b, &h);
	ike_builder_payload(b, IKE_V1_PL_SA, c->sai_b, c->sai_len);
	ike_builder_payload(b, IKE_V1_PL_VID,
			    ike_v1_vid_rfc3947, IKE_V1_VID_RFC3947_LEN);
	if (!c->sai_len || ike_builder_finish(b))
		return v1_fail(c, IKE_STATUS_CONFIG, "message 1 does not fit (too many proposals)");
	return transact(c, "message 1", accept_mm2);
}

/*
 * RFC 3947 3.2: the responder's first NAT-D hashes our address and port
 * as it saw them, the others its own.
 */
static void check_natd(struct v1_ctx *c, const struct ike_payload_list *pl)
{
	uint8_t local[IKE_V1_HASH_MAX], peer[IKE_V1_HASH_MAX];
	size_t hl = ike_v1_hash_len(c->suite.hash), n = 0;
	bool local_ok = false, peer_ok = false;

	if (!c->peer_natt ||
	    ike_v1_natd_hash(c->suite.hash, c->cky_i, c->cky_r,
			     (struct sockaddr *)&c->run.tr.local, local) ||
	    ike_v1_natd_hash(c->suite.hash, c->cky_i, c->cky_r,
			     (struct sockaddr *)&c->run.tr.peer, peer))
		return;
	for (size_t i = 0; i < pl->n; i++) {
		const struct ike_payload *p = &pl->pl[i];

		if (p->type != IKE_V1_PL_NATD)
			continue;
		if (n++ == 0)
			local_ok = p->len == hl && !memcmp(p->body, local, hl);
		else
			peer_ok |= p->len == hl && !memcmp(p->body, peer, hl);
	}
	if (n < 2) {
		v1_log(c, IKE_LOG_INFO, "peer announced NAT-T but sent %zu NAT-D payloads",
		       n);
		return;
	}
	ike_run_nat(&c->run, local_ok, peer_ok);
}

/* Message 4: the responder's KE and nonce. */
static int accept_mm4(struct v1_ctx *c)
{
	struct ike_payload_list pl;
	const struct ike_payload *ke, *nr;

	if (parse_plain(c, &pl))
		return IKE_E_AGAIN;
	ke = ike_payload_find(&pl, IKE_V1_PL_KE);
	nr = ike_payload_find(&pl, IKE_V1_PL_NONCE);
	if (!ke || !nr)
		return IKE_E_AGAIN;	/* say a retransmitted message 2 */
	if (ke->len != c->g_len) {
		v1_fail(c, IKE_STATUS_PROTOCOL, "message 4: KE of %zu bytes, want %zu",
			ke->len, c->g_len);
		return IKE_E_FAILED;
	}
	if (nr->len < IKE_V1_NONCE_MIN || nr->len > IKE_V1_NONCE_MAX) {
		v1_fail(c, IKE_STATUS_PROTOCOL, "message 4: nonce of %zu bytes",
			nr->len);
		return IKE_E_FAILED;
	}
	if (ike_dh_shared(c->run.dh, ke->body, ke->len, c->gxy, c->gxy_len)) {
		v1_fail(c, IKE_STATUS_PROTOCOL, "message 4: invalid DH public value");
		return IKE_E_FAILED;
	}
	memcpy(c->gxr, ke->body, ke->len);
	memcpy(c->nr, nr->body, nr->len);
	c->nr_len = nr->len;
	check_natd(c, &pl);
	return IKE_OK;
}

/* RFC 3947 3.2: NAT-D of the peer's address, then of ours (random with
 * force_encap: the peer then sees a NAT in front of us). */
static int put_natd(struct v1_ctx *c, struct ike_builder *b)
{
	size_t hl = ike_v1_hash_len(c->suite.hash);
	uint8_t h[IKE_V1_HASH_MAX];

	if (ike_v1_natd_hash(c->suite.hash, c->cky_i, c->cky_r,
			     (struct sockaddr *)&c->run.tr.peer, h))
		return v1_fail(c, IKE_STATUS_INTERNAL, "NAT-D hash failed");
	ike_builder_payload(b, IKE_V1_PL_NATD, h, hl);
	if (c->run.cfg->force_encap) {
		if (RAND_bytes(h, (int)hl) != 1)
			return v1_fail(c, IKE_STATUS_INTERNAL, "RAND_bytes failed");
	} else if (ike_v1_natd_hash(c->suite.hash, c->cky_i, c->cky_r,
				    (struct sockaddr *)&c->run.tr.local, h)) {
		return v1_fail(c, IKE_STATUS_INTERNAL, "NAT-D hash failed");
	}
	ike_builder_payload(b, IKE_V1_PL_NATD, h, hl);
	return 0;
}

/*
 * Before message 5: float to the peer's NAT-T port with the non-ESP
 * marker (RFC 3947 4) when a NAT is in the way or force_encap; the raw
 * path through a NAT mapping is on the NAT-T port already.
 */
static int maybe_float(struct v1_ctx *c)
{
	const struct ike_peer_cfg *cfg = c->run.cfg;
	uint16_t port = cfg->peer_natt_port ? cfg->peer_natt_port :
					      IKE_NATT_PORT;
	char err[200];

	if (c->run.tr.raw || c->run.tr.marker) {
		c->run.res->natt = true;
		return 0;
	}
	if (!c->run.res->nat_detected && !cfg->force_encap)
		return 0;
	if (!c->peer_natt) {
		v1_log(c, IKE_LOG_INFO, "a NAT may be in the way but the peer does not announce RFC 3947 NAT-T: staying on port %u",
		       ike_sockaddr_port((struct sockaddr *)&c->run.tr.peer));
		return 0;
	}
	if (ike_transport_set_port(&c->run.tr, port, true, err, sizeof(err)))
		return v1_fail(c, IKE_STATUS_NETWORK, "%s", err);
	c->run.res->natt = true;
	v1_log(c, IKE_LOG_INFO, "switching to NAT-T port %u", port);
	return 0;
}

static int send_mm3(struct v1_ctx *c)
{
	struct ike_header h = {
		.spi_i = c->cky_i, .spi_r = c->cky_r,
		.exchange = IKE_V1_EXCH_IDPROT,
	};
	struct ike_builder *b = &c->out;

	c->run.dh = ike_dh_new(c->suite.group);
	c->g_len = ike_dh_public_len(c->suite.group);
	c->gxy_len = ike_dh_shared_len(c->suite.group);
	if (!c->run.dh || ike_dh_public(c->run.dh, c->gxi, c->g_len))
		return v1_fail(c, IKE_STATUS_INTERNAL, "DH group %u: key generation failed",
			       c->suite.group);
	ike_v1_builder_init(b, &h);
	ike_builder_payload(b, IKE_V1_PL_KE, c->gxi, c->g_len);
	ike_builder_payload(b, IKE_V1_PL_NONCE, c->ni, sizeof(c->ni));
	if (c->peer_natt && put_natd(c, b))
		return IKE_E_FAILED;
	if (ike_builder_finish(b))
		return v1_fail(c, IKE_STATUS_INTERNAL, "message 3 does not fit");
	return transact(c, "message 3", accept_mm4);
}

/* What Main Mode exchanged so far, for the keys and hashes. */
static struct ike_v1_phase1 phase1(const struct v1_ctx *c)
{
	return (struct ike_v1_phase1){
		.ni = c->ni, .ni_len = sizeof(c->ni),
		.nr = c->nr, .nr_len = c->nr_len,
		.gxi = c->gxi, .gxi_len = c->g_len,
		.gxr = c->gxr, .gxr_len = c->g_len,
		.gxy = c->gxy, .gxy_len = c->gxy_len,
		.cky_i = c->cky_i, .cky_r = c->cky_r,
		.sai_b = c->sai_b, .sai_len = c->sai_len,
	};
}

/* Message 6: IDir and HASH_R, encrypted, the IV from message 5. */
static int accept_mm6(struct v1_ctx *c)
{
	const struct ike_v1_phase1 p1 = phase1(c);
	uint8_t iv[IKE_V1_BLOCK_MAX], hv[IKE_V1_HASH_MAX];
	struct ike_payload_list pl;
	const struct ike_payload *id, *hash;
	size_t body = c->rx_len - IKE_HDR_LEN, bs = c->keys.block_len;
	char a[IKE_ID_MAX * 2 + 16], nb[32];
	uint16_t en;
	int rc = IKE_E_AGAIN;

	if (!(c->rh.flags & IKE_V1_FLAG_E) || !body || body % bs)
		return IKE_E_AGAIN;
	memcpy(iv, c->keys.iv, bs);
	memcpy(c->plain, c->rx + IKE_HDR_LEN, body);
	if (ike_v1_cbc(c->suite.encr, c->keys.enc_key, c->keys.key_len, iv,
		       c->plain, body, false) ||
	    ike_v1_payloads_parse(c->rh.next, c->plain, body, true, &pl)) {
		c->undecryptable++;
		goto out;
	}
	en = error_notify(&pl);
	id = ike_payload_find(&pl, IKE_V1_PL_ID);
	hash = ike_payload_find(&pl, IKE_V1_PL_HASH);
	if (!id || !hash || id->len < 4 || hash->len != c->keys.prf_len) {
		c->undecryptable++;
		goto out;
	}
	if (ike_v1_auth_hash(&c->suite, &c->keys, false, &p1, id->body,
			     id->len, hv) ||
	    CRYPTO_memcmp(hv, hash->body, hash->len)) {
		v1_fail(c, IKE_STATUS_AUTH, "message 6: HASH_R does not verify");
		rc = IKE_E_FAILED;
		goto out;
	}
	if (en) {
		c->run.res->peer_notify = en;
		v1_fail(c, IKE_STATUS_REFUSED, "message 6 carries %s",
			ike_v1_notify_name(en, nb, sizeof(nb)));
		rc = IKE_E_FAILED;
		goto out;
	}
	ike_identity_format(id->body[0], id->body + 4, id->len - 4, a,
			    sizeof(a));
	if (c->have_idr && !ike_identity_matches(&c->idr, id->body[0],
						 id->body + 4, id->len - 4)) {
		v1_fail(c, IKE_STATUS_AUTH, "peer authenticated as %s, not the configured remote_id",
			a);
		rc = IKE_E_FAILED;
		goto out;
	}
	v1_log(c, IKE_LOG_DEBUG, "peer authenticated as %s", a);
	/* The last phase-1 block: base of every phase-2 IV. */
	memcpy(c->keys.iv, iv, bs);
	rc = IKE_OK;
out:
	OPENSSL_cleanse(iv, sizeof(iv));
	OPENSSL_cleanse(hv, sizeof(hv));
	OPENSSL_cleanse(c->plain, body);
	return rc;
}

static int send_mm5(struct v1_ctx *c)
{
	struct ike_header h = {
		.spi_i = c->cky_i, .spi_r = c->cky_r,
		.exchange = IKE_V1_EXCH_IDPROT,
	};
	struct ike_builder *b = malloc(sizeof(*b));
	uint8_t id_b[4 + IKE_ID_MAX], cookies[IKE_V1_COOKIES_LEN];
	const struct ike_v1_phase1 p1 = phase1(c);
	uint8_t *hash;
	size_t id_len;
	int rc = IKE_E_FAILED;

	if (!b)
		return v1_fail(c, IKE_STATUS_INTERNAL, "out of memory");
	if (ike_v1_derive_keys(&c->suite, c->run.cfg->psk,
			       c->run.cfg->psk_len, &p1, &c->keys)) {
		v1_fail(c, IKE_STATUS_INTERNAL, "key derivation failed");
		goto out;
	}
	id_len = ike_v1_id_body(&c->idi, id_b);
	ike_put64(cookies, c->cky_i);
	ike_put64(cookies + 8, c->cky_r);
	ike_builder_init_chain(b);
	ike_builder_payload(b, IKE_V1_PL_ID, id_b, id_len);
	ike_builder_begin(b, IKE_V1_PL_HASH);
	hash = ike_builder_reserve(b, c->keys.prf_len);
	ike_builder_end(b);
	ike_v1_put_notify(b, IKE_V1_PROTO_ISAKMP, IKE_V1_N_INITIAL_CONTACT,
			  cookies, sizeof(cookies));
	if (b->overflow || !hash ||
	    ike_v1_auth_hash(&c->suite, &c->keys, true, &p1, id_b, id_len,
			     hash)) {
		v1_fail(c, IKE_STATUS_INTERNAL, "message 5: HASH_I failed");
		goto out;
	}
	c->out.len = ike_v1_seal(&c->suite, &c->keys, c->keys.iv, &h, b->buf,
				 b->len, ike_builder_first_type(b), c->out.buf,
				 sizeof(c->out.buf));
	if (!c->out.len) {
		v1_fail(c, IKE_STATUS_INTERNAL, "message 5: encryption failed");
		goto out;
	}
	rc = transact(c, "message 5", accept_mm6);
out:
	OPENSSL_cleanse(b, sizeof(*b));
	free(b);
	return rc;
}

static uint32_t random_mid(void)
{
	uint32_t mid = 0;

	while (!mid)
		if (RAND_bytes((uint8_t *)&mid, sizeof(mid)) != 1)
			return 0;
	return mid;
}

static int send_info(struct v1_ctx *c, const struct ike_builder *chain,
		     const char *what)
{
	uint32_t mid = random_mid();
	uint8_t msg[IKE_MSG_MAX];
	size_t n;
	int rc;

	if (!mid)
		return v1_fail(c, IKE_STATUS_INTERNAL, "RAND_bytes failed");
	n = ike_v1_info_build(&c->suite, &c->keys, c->cky_i, c->cky_r, mid,
			      chain, msg, sizeof(msg));
	if (!n)
		return v1_fail(c, IKE_STATUS_INTERNAL, "%s: build failed",
			       what);
	rc = ike_transport_send(&c->run.tr, msg, n);
	if (rc < 0)
		return v1_fail(c, IKE_STATUS_NETWORK, "%s: send: %s", what,
			       strerror(-rc));
	v1_log(c, IKE_LOG_DEBUG, "sent %s (message ID %08x)", what, mid);
	return 0;
}

int ike_v1_stale_info(struct ike_builder *b, uint8_t proto, uint32_t spi)
{
	uint8_t s[4];

	if (proto != IKE_V1_PROTO_ESP && proto != IKE_V1_PROTO_AH)
		return IKE_E_INVAL;
	ike_put32(s, spi);
	ike_builder_init_chain(b);
	ike_v1_put_delete(b, proto, s, sizeof(s));
	ike_v1_put_notify(b, proto, IKE_V1_N_INVALID_SPI, s, sizeof(s));
	return b->overflow ? IKE_E_SPACE : IKE_OK;
}

static int recover_established(struct v1_ctx *c, uint8_t proto, uint32_t spi)
{
	struct ike_builder *b = malloc(sizeof(*b));
	uint8_t cookies[IKE_V1_COOKIES_LEN];
	int rc = IKE_E_FAILED;

	if (!b)
		return v1_fail(c, IKE_STATUS_INTERNAL, "out of memory");
	if (ike_v1_stale_info(b, proto, spi) ||
	    send_info(c, b, "Delete + INVALID-SPI"))
		goto out;
	c->run.res->invalid_spi_sent = true;
	ike_put64(cookies, c->cky_i);
	ike_put64(cookies + 8, c->cky_r);
	ike_builder_init_chain(b);
	ike_v1_put_delete(b, IKE_V1_PROTO_ISAKMP, cookies, sizeof(cookies));
	if (send_info(c, b, "Delete ISAKMP"))
		goto out;
	c->run.res->delete_sent = true;
	rc = IKE_OK;
out:
	free(b);
	return rc;
}

static int configure(struct v1_ctx *c)
{
	const struct ike_peer_cfg *cfg = c->run.cfg;
	char err[200];

	if (!cfg->peer || !ike_sockaddr_valid(cfg->peer, cfg->peer_len))
		return v1_fail(c, IKE_STATUS_CONFIG, "no valid peer address");
	if (!cfg->psk || !cfg->psk_len)
		return v1_fail(c, IKE_STATUS_CONFIG, "no pre-shared key");
	if (ike_v1_proposals_parse(cfg->proposals, &c->offered, err,
				   sizeof(err)))
		return v1_fail(c, IKE_STATUS_CONFIG, "proposals: %s", err);
	for (size_t i = 0; i < c->offered.n; i++)
		if (!ike_v1_suite_supported(&c->offered.t[i]))
			return v1_fail(c, IKE_STATUS_CONFIG, "proposal %zu: unsupported algorithms",
				       i + 1);
	if (cfg->local_id &&
	    ike_identity_parse(cfg->local_id, &c->idi, err, sizeof(err)))
		return v1_fail(c, IKE_STATUS_CONFIG, "local_id: %s", err);
	if (cfg->remote_id) {
		if (ike_identity_parse(cfg->remote_id, &c->idr, err,
				       sizeof(err)))
			return v1_fail(c, IKE_STATUS_CONFIG, "remote_id: %s",
				       err);
		c->have_idr = true;
	}
	return 0;
}

/* No local_id: the address we send from (Main Mode's usual identity). */
static void default_idi(struct v1_ctx *c)
{
	const struct sockaddr *sa = (const struct sockaddr *)&c->run.tr.local;

	if (sa->sa_family == AF_INET6) {
		c->idi.type = IKE_ID_IPV6_ADDR;
		c->idi.len = 16;
		memcpy(c->idi.data,
		       &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	} else {
		c->idi.type = IKE_ID_IPV4_ADDR;
		c->idi.len = 4;
		memcpy(c->idi.data,
		       &((const struct sockaddr_in *)sa)->sin_addr, 4);
	}
}

int ike_v1_recover(const struct ike_peer_cfg *cfg, uint8_t proto,
		   uint32_t spi, struct ike_result *out)
{
	struct v1_ctx *c = calloc(1, sizeof(*c));
	char a[64];
	int ret = -1;

	if (ike_run_start(c ? &c->run : NULL, cfg, out))
		return -1;
	if (configure(c))
		goto out;
	if (proto != IKE_V1_PROTO_ESP && proto != IKE_V1_PROTO_AH) {
		v1_fail(c, IKE_STATUS_CONFIG, "protocol %u is neither ESP nor AH",
			proto);
		goto out;
	}
	if (ike_run_open(&c->run, &c->cky_i, c->ni, sizeof(c->ni)))
		goto out;
	if (!cfg->local_id)
		default_idi(c);
	ike_sockaddr_format((struct sockaddr *)&c->run.tr.peer, a, sizeof(a));
	v1_log(c, IKE_LOG_INFO, "IKEv1: recovering %s for %s SPI 0x%08x from port %u",
	       a, proto == IKE_V1_PROTO_AH ? "AH" : "ESP", spi,
	       out->local_port);
	if (send_mm1(c))
		goto out;
	out->spi_r = c->cky_r;
	ike_v1_suite_format(&c->suite, out->suite, sizeof(out->suite));
	if (send_mm3(c) || maybe_float(c) || send_mm5(c))
		goto out;
	out->authenticated = true;
	v1_log(c, IKE_LOG_INFO, "Main Mode done (%s), INITIAL-CONTACT sent",
	       out->suite);
	ret = recover_established(c, proto, spi) ? -1 : 0;
out:
	ret = ike_run_end(&c->run, ret);
	ike_v1_keys_wipe(&c->keys);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
	return ret;
}
