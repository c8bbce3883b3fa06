// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmocka tests of the exchange driver against a scripted IKEv2 responder
 * on 127.0.0.1 (a thread of this test, built from the library's codec
 * and crypto). It covers what a well-behaved strongSwan never does on
 * demand: COOKIE, INVALID_KE_PAYLOAD, lost messages, a peer without
 * RFC 6023, peer requests (DPD, CREATE_CHILD_SA, Delete), forged ICVs,
 * a wrong responder AUTH. The real-peer test is interop-charon.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/rand.h>

#include "../codec.h"
#include "../crypto_aead.h"
#include "../crypto_dh.h"
#include "../err.h"
#include "../ike.h"
#include "../keys.h"
#include "../payloads.h"
#include "../proposal.h"

#define PSK "exchange-test-psk"
#define TEST_SPI 0x11223344u

/* What the scripted responder does (a test case sets it). */
struct behaviour {
	bool want_cookie;
	uint16_t want_group;
	bool no_childless;
	bool drop_first_auth;
	bool auth_failed_notify;
	bool bad_auth;
	bool send_dpd;
	bool send_create_child;
	bool send_delete;
	bool bad_icv_request;
	bool send_critical;
	bool garbage;
	/* unauthenticated error notify before the real answer, or (with
	 * init_error_only) instead of it
	 */
	uint16_t init_error;
	bool init_error_only;
};

struct responder {
	struct behaviour bh;
	/* observations */
	int init_count, auth_count, cookie_seen, initial_contact;
	int invalid_spi_seen, delete_seen, dpd_responses;
	int create_child_answered, bad_icv_answered, critical_refused;
	uint32_t invalid_spi;
	char fail[256];
	/* state */
	int fd;
	struct sockaddr_in addr, peer;
	socklen_t peer_len;
	pthread_t thread;
	uint64_t spi_i, spi_r;
	struct ike_suite suite;
	struct ike_keys keys;
	uint8_t ni[256], nr[32];
	size_t ni_len;
	uint8_t init_req[IKE_MSG_MAX], init_resp[IKE_MSG_MAX];
	size_t init_req_len, init_resp_len;
	uint8_t last_req[IKE_MSG_MAX], last_resp[IKE_MSG_MAX];
	size_t last_req_len, last_resp_len;
	uint32_t my_mid;
};

static void rfail(struct responder *r, const char *msg)
{
	if (!r->fail[0])
		snprintf(r->fail, sizeof(r->fail), "%s", msg);
}

static void send_raw(struct responder *r, const uint8_t *b, size_t len)
{
	sendto(r->fd, b, len, 0, (struct sockaddr *)&r->peer, r->peer_len);
}

/* A protected message from the responder (keys SK_er/SK_ar). */
static void send_protected(struct responder *r, uint8_t exch, bool resp,
			   uint32_t mid, struct ike_builder *inner,
			   bool corrupt)
{
	uint8_t out[IKE_MSG_MAX];
	size_t body = ike_sk_body_len(&r->suite, inner->len);
	size_t total = IKE_HDR_LEN + 4 + body;
	struct ike_header h = {
		.spi_i = r->spi_i, .spi_r = r->spi_r, .next = IKE_PL_SK,
		.version = IKE_VERSION, .exchange = exch,
		.flags = resp ? IKE_FLAG_R : 0, .msg_id = mid,
		.length = (uint32_t)total,
	};

	ike_header_write(out, &h);
	out[IKE_HDR_LEN] = ike_builder_first_type(inner);
	out[IKE_HDR_LEN + 1] = 0;
	ike_put16(out + IKE_HDR_LEN + 2, (uint16_t)(4 + body));
	if (ike_sk_seal(&r->suite, r->keys.sk_er, r->keys.sk_ar, out,
			IKE_HDR_LEN + 4, inner->buf, inner->len)) {
		rfail(r, "seal failed");
		return;
	}
	if (corrupt)
		out[total - 1] ^= 1;
	if (resp) {
		memcpy(r->last_resp, out, total);
		r->last_resp_len = total;
	}
	send_raw(r, out, total);
}

static void handle_init(struct responder *r, const uint8_t *m, size_t len,
			const struct ike_header *h,
			const struct ike_payload_list *pl)
{
	const struct ike_payload *sa_pl = ike_payload_find(pl, IKE_PL_SA);
	const struct ike_payload *ke_pl = ike_payload_find(pl, IKE_PL_KE);
	const struct ike_payload *n_pl = ike_payload_find(pl, IKE_PL_NONCE);
	struct ike_sa_payload sa, chosen = { 0 };
	struct ike_builder *b = malloc(sizeof(*b));
	struct ike_header rh = {
		.spi_i = h->spi_i, .exchange = IKE_SA_INIT,
		.flags = IKE_FLAG_R,
	};
	struct ike_notify n;
	struct ike_ke ke;
	struct ike_dh *dh;
	uint8_t pub[IKE_DH_MAX_LEN], gir[IKE_DH_MAX_LEN];
	bool have_cookie = false;

	r->init_count++;
	for (size_t i = 0; i < pl->n; i++)
		if (pl->pl[i].type == IKE_PL_NOTIFY &&
		    !ike_notify_parse(pl->pl[i].body, pl->pl[i].len, &n) &&
		    n.type == IKE_N_COOKIE)
			have_cookie = i == 0 && n.data_len == 16 &&
				      !memcmp(n.data, "cookie-0123456789", 16);
	r->cookie_seen += have_cookie;
	if (!sa_pl || !ke_pl || !n_pl || ike_sa_parse(sa_pl->body, sa_pl->len,
						      &sa) ||
	    ike_ke_parse(ke_pl->body, ke_pl->len, &ke)) {
		rfail(r, "bad IKE_SA_INIT request");
		goto out;
	}
	if (r->bh.want_cookie && !have_cookie) {
		ike_builder_init_msg(b, &rh);
		ike_notify_write(b, 0, NULL, 0, IKE_N_COOKIE,
				 (const uint8_t *)"cookie-0123456789", 16);
		ike_builder_finish(b);
		send_raw(r, b->buf, b->len);
		goto out;
	}
	if (r->bh.want_group && ke.group != r->bh.want_group) {
		uint8_t g[2];

		ike_put16(g, r->bh.want_group);
		ike_builder_init_msg(b, &rh);
		ike_notify_write(b, 0, NULL, 0, IKE_N_INVALID_KE_PAYLOAD, g, 2);
		ike_builder_finish(b);
		send_raw(r, b->buf, b->len);
		goto out;
	}
	if (r->bh.init_error) {
		ike_builder_init_msg(b, &rh);
		ike_notify_write(b, 0, NULL, 0, r->bh.init_error, NULL, 0);
		ike_builder_finish(b);
		send_raw(r, b->buf, b->len);
		if (r->bh.init_error_only) {
			/* Retransmissions get the same refusal. */
			memcpy(r->init_resp, b->buf, b->len);
			r->init_resp_len = b->len;
			goto out;
		}
	}
	/* Take the first transform of each type of the first proposal. */
	chosen.nprop = 1;
	chosen.prop[0].num = sa.prop[0].num;
	chosen.prop[0].proto = IKE_PROTO_IKE;
	memset(&r->suite, 0, sizeof(r->suite));
	for (size_t i = 0; i < sa.prop[0].ntrans; i++) {
		const struct ike_transform *t = &sa.prop[0].t[i];
		uint16_t *slot = t->type == IKE_TRANS_ENCR ? &r->suite.encr :
				 t->type == IKE_TRANS_PRF ? &r->suite.prf :
				 t->type == IKE_TRANS_INTEG ? &r->suite.integ :
				 &r->suite.dh;

		if (t->type == IKE_TRANS_DH && t->id != ke.group)
			continue;
		if (*slot)
			continue;
		*slot = t->id;
		if (t->type == IKE_TRANS_ENCR)
			r->suite.encr_keylen = t->keylen;
		chosen.prop[0].t[chosen.prop[0].ntrans++] = *t;
	}
	dh = ike_dh_new(ke.group);
	if (!dh || ike_dh_public(dh, pub, ike_dh_public_len(ke.group)) ||
	    ike_dh_shared(dh, ke.data, ke.len, gir,
			  ike_dh_shared_len(ke.group))) {
		rfail(r, "responder DH failed");
		ike_dh_free(dh);
		goto out;
	}
	r->spi_i = h->spi_i;
	RAND_bytes((uint8_t *)&r->spi_r, 8);
	RAND_bytes(r->nr, sizeof(r->nr));
	memcpy(r->ni, n_pl->body, n_pl->len);
	r->ni_len = n_pl->len;
	if (ike_derive_keys(&r->suite, r->ni, r->ni_len, r->nr, sizeof(r->nr),
			    gir, ike_dh_shared_len(ke.group), r->spi_i,
			    r->spi_r, &r->keys, NULL))
		rfail(r, "responder key derivation failed");
	memcpy(r->init_req, m, len);
	r->init_req_len = len;
	rh.spi_r = r->spi_r;
	ike_builder_init_msg(b, &rh);
	ike_sa_write(b, &chosen);
	ike_ke_write(b, ke.group, pub, ike_dh_public_len(ke.group));
	ike_nonce_write(b, r->nr, sizeof(r->nr));
	if (!r->bh.no_childless)
		ike_notify_write(b, 0, NULL, 0,
				 IKE_N_CHILDLESS_IKEV2_SUPPORTED, NULL, 0);
	ike_builder_finish(b);
	memcpy(r->init_resp, b->buf, b->len);
	r->init_resp_len = b->len;
	ike_dh_free(dh);
	if (r->bh.garbage) {
		static const uint8_t junk[40] = { 1, 2, 3 };

		send_raw(r, junk, sizeof(junk));
	}
	send_raw(r, b->buf, b->len);
out:
	free(b);
}

static bool open_from_initiator(struct responder *r, const uint8_t *m,
				size_t len, const struct ike_header *h,
				uint8_t *plain, struct ike_payload_list *pl)
{
	struct ike_payload_list outer;
	size_t plen;

	if (h->spi_r != r->spi_r ||
	    ike_payloads_parse(h->next, m + IKE_HDR_LEN, len - IKE_HDR_LEN,
			       &outer) || !outer.has_sk ||
	    ike_sk_open(&r->suite, r->keys.sk_ei, r->keys.sk_ai, m, len,
			IKE_HDR_LEN + outer.sk_body_off, plain, &plen) ||
	    ike_payloads_parse(outer.sk_first, plain, plen, pl)) {
		rfail(r, "cannot open a message from the initiator");
		return false;
	}
	return true;
}

static void peer_requests(struct responder *r)
{
	struct ike_builder *in = malloc(sizeof(*in));

	if (r->bh.bad_icv_request) {
		ike_builder_init_chain(in);
		send_protected(r, IKE_INFORMATIONAL, false, r->my_mid, in, true);
	}
	if (r->bh.send_critical) {
		static const uint8_t junk[4] = { 1, 2, 3, 4 };

		/* An unknown payload type (200) with the critical bit. */
		ike_builder_init_chain(in);
		ike_builder_begin(in, 200);
		in->buf[in->payload_start + 1] = IKE_CRITICAL;
		ike_builder_put(in, junk, sizeof(junk));
		ike_builder_end(in);
		send_protected(r, IKE_INFORMATIONAL, false, r->my_mid, in,
			       false);
		r->my_mid++;
	}
	if (r->bh.send_dpd) {
		ike_builder_init_chain(in);
		send_protected(r, IKE_INFORMATIONAL, false, r->my_mid, in,
			       false);
		/* and its retransmission: answered from the cache */
		usleep(20000);
		ike_builder_init_chain(in);
		send_protected(r, IKE_INFORMATIONAL, false, r->my_mid, in,
			       false);
		r->my_mid++;
	}
	if (r->bh.send_create_child) {
		static const uint8_t nonce[32] = { 7 };

		ike_builder_init_chain(in);
		ike_nonce_write(in, nonce, sizeof(nonce));
		send_protected(r, IKE_CREATE_CHILD_SA, false, r->my_mid, in,
			       false);
		r->my_mid++;
	}
	if (r->bh.send_delete) {
		ike_builder_init_chain(in);
		ike_delete_write(in, IKE_PROTO_IKE, 0, NULL, 0);
		send_protected(r, IKE_INFORMATIONAL, false, r->my_mid, in,
			       false);
		r->my_mid++;
	}
	free(in);
}

static void handle_auth(struct responder *r, const uint8_t *m, size_t len,
			const struct ike_header *h)
{
	uint8_t *plain = malloc(IKE_MSG_MAX * 4);
	struct ike_builder *in = malloc(sizeof(*in));
	struct ike_payload_list pl;
	const struct ike_payload *idi, *auth;
	static const uint8_t idr[] = { IKE_ID_FQDN, 0, 0, 0, 'r', '.', 'e',
				       'x', 'a', 'm', 'p', 'l', 'e' };
	uint8_t want[64];
	size_t plen = ike_prf_len(r->suite.prf);
	struct ike_notify n;

	r->auth_count++;
	if (r->bh.drop_first_auth && r->auth_count == 1)
		goto out;
	if (!open_from_initiator(r, m, len, h, plain, &pl))
		goto out;
	idi = ike_payload_find(&pl, IKE_PL_IDI);
	auth = ike_payload_find(&pl, IKE_PL_AUTH);
	if (ike_payload_find(&pl, IKE_PL_SA) || ike_payload_find(&pl, IKE_PL_TSI))
		rfail(r, "initiator asked for a CHILD SA");
	for (size_t i = 0; i < pl.n; i++)
		if (pl.pl[i].type == IKE_PL_NOTIFY &&
		    !ike_notify_parse(pl.pl[i].body, pl.pl[i].len, &n) &&
		    n.type == IKE_N_INITIAL_CONTACT)
			r->initial_contact++;
	if (!idi || !auth || auth->len != 4 + plen ||
	    ike_psk_auth(r->suite.prf, (const uint8_t *)PSK, strlen(PSK),
			 r->init_req, r->init_req_len, r->nr, sizeof(r->nr),
			 r->keys.sk_pi, idi->body, idi->len, want) ||
	    memcmp(want, auth->body + 4, plen)) {
		rfail(r, "initiator AUTH does not verify");
		goto out;
	}
	ike_builder_init_chain(in);
	if (r->bh.auth_failed_notify) {
		ike_notify_write(in, 0, NULL, 0, IKE_N_AUTHENTICATION_FAILED,
				 NULL, 0);
	} else {
		ike_psk_auth(r->suite.prf, (const uint8_t *)PSK, strlen(PSK),
			     r->init_resp, r->init_resp_len, r->ni, r->ni_len,
			     r->keys.sk_pr, idr, sizeof(idr), want);
		if (r->bh.bad_auth)
			want[0] ^= 1;
		ike_builder_payload(in, IKE_PL_IDR, idr, sizeof(idr));
		ike_typed_write(in, IKE_PL_AUTH, IKE_AUTH_PSK, want, plen);
	}
	send_protected(r, IKE_AUTH, true, h->msg_id, in, false);
	if (!r->bh.auth_failed_notify && !r->bh.bad_auth)
		peer_requests(r);
out:
	free(in);
	free(plain);
}

/* Returns true when the exchange is over (Delete seen). */
static bool handle(struct responder *r, const uint8_t *m, size_t len)
{
	uint8_t *plain = malloc(IKE_MSG_MAX * 4);
	struct ike_builder *in = malloc(sizeof(*in));
	struct ike_payload_list pl;
	struct ike_header h;
	bool done = false;

	if (ike_header_parse(m, len, &h)) {
		rfail(r, "initiator sent a bad header");
		goto out;
	}
	/* A retransmitted request gets the same answer again (2.1). */
	if (!(h.flags & IKE_FLAG_R) && len == r->last_req_len &&
	    !memcmp(m, r->last_req, len)) {
		if (h.exchange == IKE_SA_INIT)
			send_raw(r, r->init_resp, r->init_resp_len);
		else if (r->last_resp_len)
			send_raw(r, r->last_resp, r->last_resp_len);
		goto out;
	}
	if (!(h.flags & IKE_FLAG_R) &&
	    !(h.exchange == IKE_AUTH && r->bh.drop_first_auth &&
	      r->auth_count == 0)) {
		memcpy(r->last_req, m, len);
		r->last_req_len = len;
		r->last_resp_len = 0;
	}
	if (h.exchange == IKE_SA_INIT) {
		if (ike_payloads_parse(h.next, m + IKE_HDR_LEN,
				       len - IKE_HDR_LEN, &pl))
			rfail(r, "bad IKE_SA_INIT chain");
		else
			handle_init(r, m, len, &h, &pl);
		goto out;
	}
	if (h.exchange == IKE_AUTH) {
		handle_auth(r, m, len, &h);
		goto out;
	}
	if (h.flags & IKE_FLAG_R) {
		/* The initiator's answer to one of our requests. */
		if (h.exchange == IKE_CREATE_CHILD_SA) {
			r->create_child_answered++;
		} else if (open_from_initiator(r, m, len, &h, plain, &pl)) {
			struct ike_notify n;

			if (pl.n == 1 && pl.pl[0].type == IKE_PL_NOTIFY &&
			    !ike_notify_parse(pl.pl[0].body, pl.pl[0].len,
					      &n) &&
			    n.type == IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD &&
			    n.data_len == 1 && n.data[0] == 200)
				r->critical_refused++;
			else
				r->dpd_responses++;
		}
		goto out;
	}
	if (h.exchange != IKE_INFORMATIONAL ||
	    !open_from_initiator(r, m, len, &h, plain, &pl))
		goto out;
	for (size_t i = 0; i < pl.n; i++) {
		struct ike_notify n;

		if (pl.pl[i].type == IKE_PL_DELETE)
			r->delete_seen++;
		if (pl.pl[i].type == IKE_PL_NOTIFY &&
		    !ike_notify_parse(pl.pl[i].body, pl.pl[i].len, &n) &&
		    n.type == IKE_N_INVALID_SPI && n.data_len == 4 &&
		    n.spi_size == 0) {
			r->invalid_spi_seen++;
			r->invalid_spi = ike_get32(n.data);
		}
	}
	ike_builder_init_chain(in);
	send_protected(r, IKE_INFORMATIONAL, true, h.msg_id, in, false);
	done = r->delete_seen > 0;
out:
	free(in);
	free(plain);
	return done;
}

static void *responder_main(void *arg)
{
	struct responder *r = arg;
	uint8_t *buf = malloc(65536);

	for (;;) {
		struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 700) <= 0)
			break;
		r->peer_len = sizeof(r->peer);
		n = recvfrom(r->fd, buf, 65536, 0, (struct sockaddr *)&r->peer,
			     &r->peer_len);
		if (n <= 0)
			break;
		if (handle(r, buf, (size_t)n))
			break;
	}
	/* Linger briefly for late answers to our own requests. */
	for (;;) {
		struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			break;
		n = recv(r->fd, buf, 65536, 0);
		if (n > 0)
			handle(r, buf, (size_t)n);
	}
	free(buf);
	return NULL;
}

static void start(struct responder *r)
{
	socklen_t len = sizeof(r->addr);

	r->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(r->fd >= 0);
	r->addr.sin_family = AF_INET;
	r->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(r->fd, (struct sockaddr *)&r->addr,
			      sizeof(r->addr)), 0);
	assert_int_equal(getsockname(r->fd, (struct sockaddr *)&r->addr,
				     &len), 0);
	assert_int_equal(pthread_create(&r->thread, NULL, responder_main, r),
			 0);
}

static int run(struct responder *r, const char *proposals,
	       unsigned int hold_ms, struct ike_result *res)
{
	struct ike_peer_cfg cfg = {
		.peer = (struct sockaddr *)&r->addr,
		.peer_len = sizeof(r->addr),
		.proposals = proposals,
		.local_id = "initiator.example.org",
		.psk = (const uint8_t *)PSK,
		.psk_len = strlen(PSK),
		.timeout_ms = 300,
		.tries = 3,
		.hold_ms = hold_ms,
	};
	int rc;

	start(r);
	rc = ike_recover(&cfg, TEST_SPI, res);
	pthread_join(r->thread, NULL);
	close(r->fd);
	ike_keys_wipe(&r->keys);
	if (r->fail[0])
		fail_msg("responder: %s", r->fail);
	return rc;
}

#define SUITE "aes128-sha256-x25519"

/* What a case looks at beyond the status (seen_value() reads it). */
enum seen {
	SEEN_END,
	SEEN_INIT, SEEN_AUTH, SEEN_COOKIE, SEEN_INVALID_SPI,
	SEEN_DPD_RESPONSES, SEEN_CHILD_ANSWERED, SEEN_CRITICAL_REFUSED,
	SEEN_RETRANSMITS, SEEN_PEER_REQUESTS, SEEN_PEER_NOTIFY,
	SEEN_AUTHENTICATED, SEEN_DELETED, SEEN_PEER_CHILD,
};

static long long seen_value(enum seen what, const struct responder *r,
			    const struct ike_result *res, const char **name)
{
	switch (what) {
	case SEEN_END:
		break;
	case SEEN_INIT:
		*name = "IKE_SA_INIT requests the responder got";
		return r->init_count;
	case SEEN_AUTH:
		*name = "IKE_AUTH requests the responder got";
		return r->auth_count;
	case SEEN_COOKIE:
		*name = "requests with the responder's cookie";
		return r->cookie_seen;
	case SEEN_INVALID_SPI:
		*name = "N(INVALID_SPI) the responder got";
		return r->invalid_spi_seen;
	case SEEN_DPD_RESPONSES:
		*name = "our answers to its empty INFORMATIONALs";
		return r->dpd_responses;
	case SEEN_CHILD_ANSWERED:
		*name = "our answers to its CREATE_CHILD_SA";
		return r->create_child_answered;
	case SEEN_CRITICAL_REFUSED:
		*name = "our UNSUPPORTED_CRITICAL_PAYLOAD answers";
		return r->critical_refused;
	case SEEN_RETRANSMITS:
		*name = "res.retransmits";
		return res->retransmits;
	case SEEN_PEER_REQUESTS:
		*name = "res.peer_requests";
		return res->peer_requests;
	case SEEN_PEER_NOTIFY:
		*name = "res.peer_notify";
		return res->peer_notify;
	case SEEN_AUTHENTICATED:
		*name = "res.authenticated";
		return res->authenticated;
	case SEEN_DELETED:
		*name = "res.deleted";
		return res->deleted;
	case SEEN_PEER_CHILD:
		*name = "res.peer_create_child";
		return res->peer_create_child;
	}
	*name = "?";
	return -1;
}

/*
 * One recovery against the scripted responder. A case whose status is
 * IKE_STATUS_OK must have recovered in full (INITIAL_CONTACT, INVALID_SPI
 * answered, Delete) unless peer_ends: the peer deleted the SA itself.
 */
struct exchange_case {
	const char *name;
	struct behaviour bh;
	const char *proposals;		/* SUITE when NULL */
	unsigned int hold_ms;
	enum ike_status status;
	bool peer_ends;
	const char *error;		/* part of res.error */
	const char *suite;		/* part of res.suite */
	unsigned int min_ms, max_ms;	/* bounds of res.elapsed_ms */
	struct {
		enum seen what;
		long long value;
	} expect[6];
};

static void expect_recovered(const struct responder *r,
			     const struct ike_result *res)
{
	if (res->status != IKE_STATUS_OK)
		fail_msg("status %s: %s", ike_status_str(res->status),
			 res->error);
	assert_true(res->authenticated);
	assert_int_equal(r->initial_contact, 1);
	assert_int_equal(r->invalid_spi_seen, 1);
	assert_int_equal(r->invalid_spi, TEST_SPI);
	assert_int_equal(r->delete_seen, 1);
	assert_true(res->invalid_spi_acked);
	assert_true(res->deleted);
	assert_true(res->spi_i != 0 && res->spi_r != 0);
}

static void test_exchange_case(void **state)
{
	const struct exchange_case *c = *state;
	struct responder r = { .bh = c->bh };
	struct ike_result res;
	int rc;

	rc = run(&r, c->proposals ? c->proposals : SUITE, c->hold_ms, &res);
	if (c->status == IKE_STATUS_OK && !c->peer_ends)
		expect_recovered(&r, &res);
	if (res.status != c->status)
		fail_msg("status %s (%s), want %s",
			 ike_status_str(res.status), res.error,
			 ike_status_str(c->status));
	assert_int_equal(rc, c->status == IKE_STATUS_OK ? 0 : -1);
	if (c->error)
		assert_non_null(strstr(res.error, c->error));
	if (c->suite)
		assert_non_null(strstr(res.suite, c->suite));
	if (c->min_ms)
		assert_true(res.elapsed_ms >= c->min_ms);
	if (c->max_ms)
		assert_true(res.elapsed_ms < c->max_ms);
	for (size_t i = 0; c->expect[i].what != SEEN_END; i++) {
		const char *name;
		long long got = seen_value(c->expect[i].what, &r, &res,
					   &name);

		if (got != c->expect[i].value)
			fail_msg("%s: %lld, want %lld", name, got,
				 c->expect[i].value);
	}
}

static const struct exchange_case exchange_cases[] = {
	{ "test_basic",
	  .suite = "aes128-sha256-prfsha256-curve25519",
	  .expect = { { SEEN_INIT, 1 }, { SEEN_AUTH, 1 },
		      { SEEN_RETRANSMITS, 0 }, { SEEN_PEER_REQUESTS, 0 } } },
	{ "test_gcm", .proposals = "aes256gcm16-prfsha384-ecp384" },
	{ "test_cookie", .bh = { .want_cookie = true },
	  .expect = { { SEEN_INIT, 2 }, { SEEN_COOKIE, 1 } } },
	{ "test_invalid_ke", .bh = { .want_group = IKE_DH_ECP256 },
	  .proposals = "aes128-sha256-x25519-ecp256", .suite = "ecp256",
	  .expect = { { SEEN_INIT, 2 } } },
	{ "test_invalid_ke_unoffered", .bh = { .want_group = IKE_DH_MODP3072 },
	  .status = IKE_STATUS_PROTOCOL, .error = "group 15",
	  .expect = { { SEEN_AUTH, 0 } } },
	/* Nothing was authenticated, no CHILD SA was ever asked for. */
	{ "test_no_childless", .bh = { .no_childless = true },
	  .status = IKE_STATUS_NO_CHILDLESS,
	  .error = "CHILDLESS_IKEV2_SUPPORTED",
	  .expect = { { SEEN_AUTH, 0 }, { SEEN_AUTHENTICATED, 0 } } },
	{ "test_retransmit", .bh = { .drop_first_auth = true },
	  .expect = { { SEEN_AUTH, 2 }, { SEEN_RETRANSMITS, 1 } } },
	/* The request and its retransmission both got an answer. */
	{ "test_dpd", .bh = { .send_dpd = true },
	  .expect = { { SEEN_PEER_REQUESTS, 1 },
		      { SEEN_DPD_RESPONSES, 2 } } },
	{ "test_create_child", .bh = { .send_create_child = true },
	  .expect = { { SEEN_PEER_CHILD, 1 }, { SEEN_CHILD_ANSWERED, 0 } } },
	/* A CREATE_CHILD_SA ends the hold at once; the recovery goes on. */
	{ "test_hold_ends_on_create_child",
	  .bh = { .send_create_child = true }, .hold_ms = 20000,
	  .max_ms = 10000,
	  .expect = { { SEEN_PEER_CHILD, 1 }, { SEEN_CHILD_ANSWERED, 0 } } },
	/* Without peer requests the hold lasts its full time (the DPD is
	 * answered while holding). */
	{ "test_hold_timeout", .bh = { .send_dpd = true }, .hold_ms = 400,
	  .min_ms = 400, .expect = { { SEEN_DPD_RESPONSES, 2 } } },
	/* Only the authentic DPD (and its retransmission) were answered. */
	{ "test_bad_icv_request",
	  .bh = { .bad_icv_request = true, .send_dpd = true },
	  .expect = { { SEEN_PEER_REQUESTS, 1 },
		      { SEEN_DPD_RESPONSES, 2 } } },
	/* RFC 7296 2.5: an unknown critical payload in a peer request. */
	{ "test_critical_payload_refused", .bh = { .send_critical = true },
	  .expect = { { SEEN_CRITICAL_REFUSED, 1 },
		      { SEEN_PEER_REQUESTS, 1 } } },
	/* Our answer to its Delete is the one empty INFORMATIONAL answer. */
	{ "test_peer_delete", .bh = { .send_delete = true }, .peer_ends = true,
	  .expect = { { SEEN_AUTHENTICATED, 1 }, { SEEN_DELETED, 1 },
		      { SEEN_DPD_RESPONSES, 1 } } },
	{ "test_bad_responder_auth", .bh = { .bad_auth = true },
	  .status = IKE_STATUS_AUTH, .error = "does not verify",
	  .expect = { { SEEN_AUTHENTICATED, 0 }, { SEEN_INVALID_SPI, 0 } } },
	{ "test_auth_failed_notify", .bh = { .auth_failed_notify = true },
	  .status = IKE_STATUS_AUTH, .error = "AUTHENTICATION_FAILED",
	  .expect = { { SEEN_PEER_NOTIFY, IKE_N_AUTHENTICATION_FAILED } } },
	{ "test_garbage_ignored", .bh = { .garbage = true } },
	/* RFC 7296 2.21.1: a forged NO_PROPOSAL_CHOSEN racing the real
	 * answer. */
	{ "test_init_error_notify_ignored",
	  .bh = { .init_error = IKE_N_NO_PROPOSAL_CHOSEN },
	  .expect = { { SEEN_INIT, 1 }, { SEEN_PEER_NOTIFY, 0 } } },
	/* INVALID_KE_PAYLOAD keeps its immediate handling next to a forged
	 * error: acted on at once, not after a timeout. */
	{ "test_init_error_notify_then_invalid_ke",
	  .bh = { .want_group = IKE_DH_ECP256,
		  .init_error = IKE_N_NO_PROPOSAL_CHOSEN },
	  .proposals = "aes128-sha256-x25519-ecp256", .suite = "ecp256",
	  .expect = { { SEEN_INIT, 2 }, { SEEN_RETRANSMITS, 0 } } },
};

/* Only the error notify ever comes: refused, but only after the timeout. */
static void test_init_error_notify_timeout(void **state)
{
	struct responder r = { .bh = { .init_error = IKE_N_NO_PROPOSAL_CHOSEN,
				       .init_error_only = true } };
	struct ike_result res;
	struct timespec t0, t1;
	long long ms;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run(&r, SUITE, 0, &res), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	print_message("# refused after %lld ms (tries 3, timeout 300 ms)\n",
		      ms);
	assert_int_equal(res.status, IKE_STATUS_REFUSED);
	assert_int_equal(res.peer_notify, IKE_N_NO_PROPOSAL_CHOSEN);
	assert_non_null(strstr(res.error, "NO_PROPOSAL_CHOSEN"));
	assert_non_null(strstr(res.error, "unauthenticated"));
	/* 300 + 600 + 1200 ms of retransmission schedule. */
	assert_true(ms >= 2000);
	assert_int_equal(res.retransmits, 2);
	assert_int_equal(r.auth_count, 0);
}

static void test_config_errors(void **state)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct ike_peer_cfg cfg = {
		.peer = (struct sockaddr *)&sin, .peer_len = sizeof(sin),
		.local_id = "initiator.example.org",
		.psk = (const uint8_t *)PSK, .psk_len = strlen(PSK),
		.proposals = "aes256-sha1-modp2048",
	};
	struct ike_result res;

	(void)state;
	assert_int_equal(ike_recover(&cfg, 1, &res), -1);
	assert_int_equal(res.status, IKE_STATUS_CONFIG);
	assert_non_null(strstr(res.error, "'sha1'"));
	cfg.proposals = NULL;
	cfg.local_id = "C=CH, CN=x";
	assert_int_equal(ike_recover(&cfg, 1, &res), -1);
	assert_int_equal(res.status, IKE_STATUS_CONFIG);
	cfg.local_id = "initiator.example.org";
	cfg.psk_len = 0;
	assert_int_equal(ike_recover(&cfg, 1, &res), -1);
	assert_int_equal(res.status, IKE_STATUS_CONFIG);
	assert_non_null(strstr(res.error, "pre-shared key"));
}

static void test_hint(void **state)
{
	struct responder r = { 0 };
	struct ike_hint_cfg h = { 0 };
	uint8_t buf[128];
	char err[256];
	struct ike_header hdr;
	struct ike_payload_list pl;
	struct ike_notify n;
	socklen_t len = sizeof(r.addr);
	ssize_t got;

	(void)state;
	r.fd = socket(AF_INET, SOCK_DGRAM, 0);
	r.addr.sin_family = AF_INET;
	r.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(r.fd, (struct sockaddr *)&r.addr,
			      sizeof(r.addr)), 0);
	getsockname(r.fd, (struct sockaddr *)&r.addr, &len);
	h.peer = (struct sockaddr *)&r.addr;
	h.peer_len = sizeof(r.addr);
	h.udp_encap = true;	/* to the packet's source port, with marker */
	assert_int_equal(ike_send_hint(&h, 0xa1b2c3d4, err, sizeof(err)), 0);
	got = recv(r.fd, buf, sizeof(buf), 0);
	close(r.fd);
	assert_true(got > 4 + IKE_HDR_LEN);
	assert_int_equal(ike_get32(buf), 0);	/* non-ESP marker */
	assert_int_equal(ike_header_parse(buf + 4, (size_t)got - 4, &hdr),
			 IKE_OK);
	assert_int_equal(hdr.exchange, IKE_INFORMATIONAL);
	assert_int_equal(hdr.flags, IKE_FLAG_I);
	assert_int_equal(hdr.msg_id, 0);
	assert_true(hdr.spi_i != 0);
	assert_int_equal(ike_payloads_parse(hdr.next, buf + 4 + IKE_HDR_LEN,
					    (size_t)got - 4 - IKE_HDR_LEN, &pl),
			 IKE_OK);
	assert_int_equal(pl.n, 1);
	assert_int_equal(ike_notify_parse(pl.pl[0].body, pl.pl[0].len, &n),
			 IKE_OK);
	assert_int_equal(n.type, IKE_N_INVALID_SPI);
	assert_int_equal(n.data_len, 4);
	assert_int_equal(ike_get32(n.data), 0xa1b2c3d4);
	/* Without encapsulation the port is ignored: 500, no marker. */
	h.udp_encap = false;
	h.peer = NULL;
	assert_int_equal(ike_send_hint(&h, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "peer address"));
}

#define N_CASES (sizeof(exchange_cases) / sizeof(exchange_cases[0]))

int main(void)
{
	struct CMUnitTest tests[N_CASES + 3] = {
		[N_CASES] = cmocka_unit_test(test_init_error_notify_timeout),
		[N_CASES + 1] = cmocka_unit_test(test_config_errors),
		[N_CASES + 2] = cmocka_unit_test(test_hint),
	};

	for (size_t i = 0; i < N_CASES; i++) {
		tests[i].name = exchange_cases[i].name;
		tests[i].test_func = test_exchange_case;
		tests[i].initial_state = (void *)&exchange_cases[i];
	}
	return cmocka_run_group_tests_name("ike_exchange", tests, NULL, NULL);
}
