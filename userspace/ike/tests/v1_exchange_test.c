// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ike_v1_recover() against a scripted IKEv1 responder thread on
 * 127.0.0.1 built from the library's own primitives (the KATs pin those
 * to strongSwan): the whole Main Mode, INITIAL-CONTACT in message 5,
 * HASH_I/HASH_R both ways, the IV chain, both Informationals with the
 * protocol of the stale SPI (AH and ESP), a lost message 1
 * (retransmission), a forged HASH_R, a remote_id mismatch, an
 * unprotected NO-PROPOSAL-CHOSEN, unsupported proposals.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/rand.h>

#include "../crypto_dh.h"
#include "../err.h"
#include "../ike.h"
#include "../proto.h"
#include "../v1_exchange.h"
#include "../v1_natd.h"
#include "../v1_proposal.h"
#include "../v1_proto.h"

#define PSK "v1-test-psk"

enum script { S_OK, S_DROP_MM1, S_BAD_HASH_R, S_NO_PROPOSAL };

struct responder {
	int fd;
	enum script script;
	pthread_t thread;
	/* what it saw */
	bool initial_contact, hash_i_ok;
	uint8_t del_proto, n_proto;
	uint32_t del_spi, n_spi;
	uint16_t n_type;
	bool isakmp_deleted;
	unsigned int mm1_seen;
};

static ssize_t rx(struct responder *r, uint8_t *buf, size_t cap,
		  struct sockaddr_in *from)
{
	socklen_t fl = sizeof(*from);
	struct timeval tv = { 3, 0 };

	setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return recvfrom(r->fd, buf, cap, 0, (struct sockaddr *)from, &fl);
}

static void tx(struct responder *r, const uint8_t *buf, size_t len,
	       const struct sockaddr_in *to)
{
	sendto(r->fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to));
}

/* Our answer: the initiator's first transform, alone. */
static size_t answer_sa(const uint8_t *sai, size_t len, uint8_t *out)
{
	size_t tlen = ike_get16(sai + 16 + 2);

	assert_true(len >= 16 + tlen);
	memcpy(out, sai, 16 + tlen);
	out[15] = 1;			/* one transform */
	out[16] = IKE_V1_PL_NONE;	/* the last one */
	ike_put16(out + 10, (uint16_t)(8 + tlen));
	return 16 + tlen;
}

static void *respond(void *arg)
{
	struct responder *r = arg;
	static uint8_t buf[8192], plain[8192];
	struct ike_builder b;
	struct sockaddr_in from;
	struct ike_header h;
	struct ike_payload_list pl;
	struct ike_v1_proposals offered;
	struct ike_v1_suite suite;
	struct ike_v1_keys keys;
	struct ike_dh *dh = NULL;
	uint8_t sai[2048], gxi[IKE_DH_MAX_LEN], gxr[IKE_DH_MAX_LEN];
	uint8_t gxy[IKE_DH_MAX_LEN], ni[256], nr[32], idb[64], hv[64];
	uint8_t out[8192];
	size_t sai_len, glen, ni_len, n, idl;
	uint64_t cky_r = 0x1122334455667788ULL, cky_i;
	struct ike_v1_phase1 p1;
	char err[200];
	ssize_t got;

	/* Message 1 (maybe dropped once). */
	do {
		got = rx(r, buf, sizeof(buf), &from);
		if (got <= 0)
			return NULL;
		r->mm1_seen++;
	} while (r->script == S_DROP_MM1 && r->mm1_seen == 1);
	if (ike_v1_header_parse(buf, (size_t)got, &h) ||
	    ike_v1_payloads_parse(h.next, buf + 28, (size_t)got - 28, false,
				  &pl) || pl.n < 1 ||
	    pl.pl[0].type != IKE_V1_PL_SA)
		return NULL;
	cky_i = h.spi_i;
	sai_len = pl.pl[0].len;
	memcpy(sai, pl.pl[0].body, sai_len);
	if (r->script == S_NO_PROPOSAL) {
		struct ike_header e = { .spi_i = cky_i,
					.exchange = IKE_V1_EXCH_INFO };

		ike_v1_builder_init(&b, &e);
		ike_v1_put_notify(&b, IKE_V1_PROTO_ISAKMP,
				  IKE_V1_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		ike_builder_finish(&b);
		tx(r, b.buf, b.len, &from);
		return NULL;
	}
	{
		struct ike_header m2 = { .spi_i = cky_i, .spi_r = cky_r,
					 .exchange = IKE_V1_EXCH_IDPROT };
		size_t l = answer_sa(sai, sai_len, out);

		ike_v1_builder_init(&b, &m2);
		ike_builder_payload(&b, IKE_V1_PL_SA, out, l);
		ike_builder_finish(&b);
		/* The choice as the initiator will see it. */
		ike_v1_proposals_parse("aes128-aes256-3des-sha1-sha256-modp2048-modp1024-ecp256",
				       &offered, err, sizeof(err));
		if (ike_v1_sa_parse(out, l, &offered, &suite, err,
				    sizeof(err)))
			return NULL;
		tx(r, b.buf, b.len, &from);
	}
	/* Message 3 -> 4. */
	got = rx(r, buf, sizeof(buf), &from);
	if (got <= 0 || ike_v1_header_parse(buf, (size_t)got, &h) ||
	    ike_v1_payloads_parse(h.next, buf + 28, (size_t)got - 28, false,
				  &pl) || pl.n != 2)
		return NULL;
	glen = ike_dh_public_len(suite.group);
	if (pl.pl[0].len != glen)
		return NULL;
	memcpy(gxi, pl.pl[0].body, glen);
	ni_len = pl.pl[1].len;
	memcpy(ni, pl.pl[1].body, ni_len);
	dh = ike_dh_new(suite.group);
	RAND_bytes(nr, sizeof(nr));
	if (!dh || ike_dh_public(dh, gxr, glen) ||
	    ike_dh_shared(dh, gxi, glen, gxy, ike_dh_shared_len(suite.group)))
		goto out;
	{
		struct ike_header m4 = { .spi_i = cky_i, .spi_r = cky_r,
					 .exchange = IKE_V1_EXCH_IDPROT };

		ike_v1_builder_init(&b, &m4);
		ike_builder_payload(&b, IKE_V1_PL_KE, gxr, glen);
		ike_builder_payload(&b, IKE_V1_PL_NONCE, nr, sizeof(nr));
		ike_builder_finish(&b);
		tx(r, b.buf, b.len, &from);
	}
	p1 = (struct ike_v1_phase1){
		.ni = ni, .ni_len = ni_len, .nr = nr, .nr_len = sizeof(nr),
		.gxi = gxi, .gxi_len = glen, .gxr = gxr, .gxr_len = glen,
		.gxy = gxy, .gxy_len = ike_dh_shared_len(suite.group),
		.cky_i = cky_i, .cky_r = cky_r, .sai_b = sai, .sai_len = sai_len,
	};
	if (ike_v1_derive_keys(&suite, (const uint8_t *)PSK, strlen(PSK), &p1,
			       &keys))
		goto out;
	/* Message 5 -> 6. */
	got = rx(r, buf, sizeof(buf), &from);
	if (got <= 28 || ike_v1_header_parse(buf, (size_t)got, &h) ||
	    !(h.flags & IKE_V1_FLAG_E))
		goto out;
	n = (size_t)got - 28;
	memcpy(plain, buf + 28, n);
	if (ike_v1_cbc(suite.encr, keys.enc_key, keys.key_len, keys.iv, plain,
		       n, false) ||
	    ike_v1_payloads_parse(h.next, plain, n, true, &pl) || pl.n != 3)
		goto out;
	ike_v1_auth_hash(&suite, &keys, true, &p1, pl.pl[0].body,
			 pl.pl[0].len, hv);
	r->hash_i_ok = pl.pl[1].len == keys.prf_len &&
		       !memcmp(hv, pl.pl[1].body, keys.prf_len);
	{
		struct ike_v1_notify nt;

		r->initial_contact =
			!ike_v1_notify_parse(pl.pl[2].body, pl.pl[2].len,
					     &nt) &&
			nt.type == IKE_V1_N_INITIAL_CONTACT &&
			nt.spi_len == 16;
	}
	{
		struct ike_identity id = { .type = IKE_ID_FQDN, .len = 4 };
		struct ike_header m6 = { .spi_i = cky_i, .spi_r = cky_r,
					 .exchange = IKE_V1_EXCH_IDPROT };
		uint8_t *hp;

		memcpy(id.data, "resp", 4);
		idl = ike_v1_id_body(&id, idb);
		ike_builder_init_chain(&b);
		ike_builder_payload(&b, IKE_V1_PL_ID, idb, idl);
		ike_builder_begin(&b, IKE_V1_PL_HASH);
		hp = ike_builder_reserve(&b, keys.prf_len);
		ike_builder_end(&b);
		ike_v1_auth_hash(&suite, &keys, false, &p1, idb, idl, hp);
		if (r->script == S_BAD_HASH_R)
			hp[0] ^= 1;
		n = ike_v1_seal(&suite, &keys, keys.iv, &m6, b.buf, b.len,
				ike_builder_first_type(&b), out, sizeof(out));
		tx(r, out, n, &from);
	}
	/* Both Informationals. */
	for (int i = 0; i < 2; i++) {
		got = rx(r, buf, sizeof(buf), &from);
		if (got <= 0 || ike_v1_info_open(&suite, &keys, buf,
						 (size_t)got, plain, &pl))
			goto out;
		for (size_t j = 1; j < pl.n; j++) {
			struct ike_v1_delete d;
			struct ike_v1_notify nt;

			if (pl.pl[j].type == IKE_V1_PL_D &&
			    !ike_v1_delete_parse(pl.pl[j].body, pl.pl[j].len,
						 &d)) {
				if (d.proto == IKE_V1_PROTO_ISAKMP)
					r->isakmp_deleted = d.spi_size == 16;
				else if (d.spi_size == 4 && d.nspis == 1) {
					r->del_proto = d.proto;
					r->del_spi = ike_get32(d.spis);
				}
			}
			if (pl.pl[j].type == IKE_V1_PL_N &&
			    !ike_v1_notify_parse(pl.pl[j].body, pl.pl[j].len,
						 &nt) && nt.spi_len == 4) {
				r->n_type = nt.type;
				r->n_proto = nt.proto;
				r->n_spi = ike_get32(nt.spi);
			}
		}
	}
out:
	ike_dh_free(dh);
	ike_v1_keys_wipe(&keys);
	return NULL;
}

static void start(struct responder *r, enum script script,
		  struct sockaddr_in *addr)
{
	socklen_t l = sizeof(*addr);

	memset(r, 0, sizeof(*r));
	r->script = script;
	r->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(r->fd >= 0);
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(r->fd, (struct sockaddr *)addr, sizeof(*addr)),
			 0);
	assert_int_equal(getsockname(r->fd, (struct sockaddr *)addr, &l), 0);
	assert_int_equal(pthread_create(&r->thread, NULL, respond, r), 0);
}

static void stop(struct responder *r)
{
	pthread_join(r->thread, NULL);
	close(r->fd);
}

static int run(enum script script, const char *proposals,
	       const char *remote_id, uint8_t proto, struct responder *r,
	       struct ike_result *res)
{
	struct sockaddr_in addr;
	struct ike_peer_cfg cfg = {
		.proposals = proposals, .local_id = "client@example.org",
		.remote_id = remote_id,
		.psk = (const uint8_t *)PSK, .psk_len = strlen(PSK),
		.timeout_ms = 200, .tries = 3,
	};
	int rc;

	start(r, script, &addr);
	cfg.peer = (struct sockaddr *)&addr;
	cfg.peer_len = sizeof(addr);
	rc = ike_v1_recover(&cfg, proto, 0xa1b2c3d4, res);
	/* No socket error may linger the responder: it times out itself. */
	stop(r);
	return rc;
}

static void test_ah_recovery(void **state)
{
	struct responder r;
	struct ike_result res;

	(void)state;
	assert_int_equal(run(S_OK, "aes256-sha256-modp2048", "resp",
			     IKE_V1_PROTO_AH, &r, &res), 0);
	assert_int_equal(res.status, IKE_STATUS_OK);
	assert_true(res.authenticated);
	assert_true(res.invalid_spi_sent);
	assert_true(res.delete_sent);
	assert_string_equal(res.suite, "AES_CBC_256/HMAC_SHA2_256/MODP_2048");
	assert_true(r.hash_i_ok);
	assert_true(r.initial_contact);
	assert_int_equal(r.del_proto, IKE_V1_PROTO_AH);
	assert_int_equal(r.del_spi, 0xa1b2c3d4);
	assert_int_equal(r.n_type, IKE_V1_N_INVALID_SPI);
	assert_int_equal(r.n_proto, IKE_V1_PROTO_AH);
	assert_int_equal(r.n_spi, 0xa1b2c3d4);
	assert_true(r.isakmp_deleted);
}

static void test_esp_3des_retransmit(void **state)
{
	struct responder r;
	struct ike_result res;

	(void)state;
	assert_int_equal(run(S_DROP_MM1, "3des-sha1-modp1024", NULL,
			     IKE_V1_PROTO_ESP, &r, &res), 0);
	assert_int_equal(res.retransmits, 1);
	assert_int_equal(r.mm1_seen, 2);
	assert_int_equal(r.del_proto, IKE_V1_PROTO_ESP);
	assert_int_equal(r.n_proto, IKE_V1_PROTO_ESP);
	assert_true(r.isakmp_deleted);
}

/* An ESP recovery that fails with @status, @error part of its text. */
static void expect_failure(enum script script, const char *proposals,
			   const char *remote_id, enum ike_status status,
			   const char *error, struct ike_result *res)
{
	struct responder r;

	assert_int_equal(run(script, proposals, remote_id, IKE_V1_PROTO_ESP,
			     &r, res), -1);
	assert_int_equal(res->status, status);
	if (error)
		assert_non_null(strstr(res->error, error));
}

static void test_bad_hash_r(void **state)
{
	struct ike_result res;

	(void)state;
	expect_failure(S_BAD_HASH_R, "aes128-sha1-ecp256", NULL,
		       IKE_STATUS_AUTH, "HASH_R", &res);
	assert_false(res.authenticated);
	assert_false(res.invalid_spi_sent);
}

static void test_remote_id_mismatch(void **state)
{
	struct ike_result res;

	(void)state;
	expect_failure(S_OK, "aes128-sha1-modp2048", "other", IKE_STATUS_AUTH,
		       "fqdn:resp", &res);
	assert_false(res.delete_sent);
}

static void test_no_proposal(void **state)
{
	struct ike_result res;

	(void)state;
	expect_failure(S_NO_PROPOSAL, "aes128-sha1-modp2048", NULL,
		       IKE_STATUS_REFUSED, NULL, &res);
	assert_int_equal(res.peer_notify, IKE_V1_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(res.retransmits, 2);
}

static void test_config_errors(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct ike_peer_cfg cfg = {
		.peer = (struct sockaddr *)&a, .peer_len = sizeof(a),
		.psk = (const uint8_t *)PSK, .psk_len = strlen(PSK),
		.proposals = "aes128gcm16-prfsha256-modp2048",
	};
	struct ike_result res;

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(ike_v1_recover(&cfg, IKE_V1_PROTO_ESP, 1, &res), -1);
	assert_int_equal(res.status, IKE_STATUS_CONFIG);
	assert_non_null(strstr(res.error, "IKEv2 only"));
	cfg.proposals = NULL;
	assert_int_equal(ike_v1_recover(&cfg, 50, 1, &res), -1);
	assert_int_equal(res.status, IKE_STATUS_CONFIG);
	cfg.psk_len = 0;
	assert_int_equal(ike_v1_recover(&cfg, IKE_V1_PROTO_ESP, 1, &res), -1);
	assert_non_null(strstr(res.error, "pre-shared key"));
}

static void test_proposals(void **state)
{
	struct ike_v1_proposals p;
	char err[200], s[64];

	(void)state;
	assert_int_equal(ike_v1_proposals_parse("aes128-aes256-sha1-sha256-modp2048,3des-sha1-modp1024",
						&p, err, sizeof(err)), IKE_OK);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.t[0].encr, IKE_V1_ENCR_AES_CBC);
	assert_int_equal(p.t[0].keylen, 128);
	assert_int_equal(p.t[4].encr, IKE_V1_ENCR_3DES_CBC);
	assert_int_equal(p.t[4].keylen, 0);
	assert_int_equal(p.t[4].group, IKE_DH_MODP1024);
	ike_v1_suite_format(&p.t[4], s, sizeof(s));
	assert_string_equal(s, "3DES_CBC/HMAC_SHA1/MODP_1024");
	assert_int_equal(ike_v1_proposals_parse(NULL, &p, err, sizeof(err)),
			 IKE_OK);
	assert_true(p.n > 1);
	assert_int_equal(ike_v1_proposals_parse("aes128-md5-modp2048", &p, err,
						sizeof(err)),
			 IKE_E_UNSUPPORTED);
	assert_non_null(strstr(err, "'md5'"));
	assert_int_equal(ike_v1_proposals_parse("aes128-sha1", &p, err,
						sizeof(err)), IKE_E_SYNTAX);
	assert_int_equal(ike_v1_proposals_parse("aes128-sha1-modp2048,", &p,
						err, sizeof(err)),
			 IKE_E_SYNTAX);
	assert_int_equal(ike_v1_proposals_parse("aes128--sha1-modp2048", &p,
						err, sizeof(err)),
			 IKE_E_SYNTAX);
}

static void test_sa_choice(void **state)
{
	struct ike_v1_proposals p;
	struct ike_v1_suite s;
	uint8_t sa[4096], resp[256];
	char err[200];
	size_t n, l;

	(void)state;
	assert_int_equal(ike_v1_proposals_parse("aes256-sha256-ecp256,3des-sha1-modp1024",
						&p, err, sizeof(err)), IKE_OK);
	n = ike_v1_sa_build(&p, 180, sa, sizeof(sa));
	assert_true(n > 16);
	l = answer_sa(sa, n, resp);
	assert_int_equal(ike_v1_sa_parse(resp, l, &p, &s, err, sizeof(err)),
			 IKE_OK);
	assert_int_equal(s.keylen, 256);
	assert_int_equal(s.group, IKE_DH_ECP256);
	/* Both transforms back: not one choice. */
	assert_int_not_equal(ike_v1_sa_parse(sa, n, &p, &s, err, sizeof(err)),
			     IKE_OK);
	/* A key length we did not offer. */
	resp[16 + 8 + 6] = 0;
	resp[16 + 8 + 7] = 128;
	assert_int_equal(ike_v1_sa_parse(resp, l, &p, &s, err, sizeof(err)),
			 IKE_E_SYNTAX);
	assert_non_null(strstr(err, "did not offer"));
	/* Truncated. */
	assert_int_not_equal(ike_v1_sa_parse(resp, l - 1, &p, &s, err,
					     sizeof(err)), IKE_OK);
}

static void test_codec(void **state)
{
	uint8_t m[64] = { 0 };
	struct ike_header h;
	struct ike_payload_list pl;
	static const uint8_t chain[] = {
		IKE_V1_PL_NONE, 0, 0, 8, 1, 2, 3, 4, 0, 0, 0,	/* + pad */
	};

	(void)state;
	m[17] = 0x10;
	ike_put32(m + 24, 28);
	assert_int_equal(ike_v1_header_parse(m, 28, &h), IKE_OK);
	assert_int_equal(ike_v1_header_parse(m, 29, &h), IKE_E_LENGTH);
	m[17] = 0x20;
	assert_int_equal(ike_v1_header_parse(m, 28, &h), IKE_E_VERSION);
	assert_int_equal(ike_v1_payloads_parse(IKE_V1_PL_HASH, chain,
					       sizeof(chain), true, &pl),
			 IKE_OK);
	assert_int_equal(pl.n, 1);
	assert_int_equal(pl.pl[0].len, 4);
	assert_int_equal(ike_v1_payloads_parse(IKE_V1_PL_HASH, chain,
					       sizeof(chain), false, &pl),
			 IKE_E_LENGTH);
	assert_int_equal(ike_v1_payloads_parse(IKE_V1_PL_HASH, chain, 6,
					       true, &pl), IKE_E_TRUNCATED);
}

/* RFC 3947 NAT-D, values computed independently (Python hashlib). */
static void test_natd(void **state)
{
	static const uint8_t want4[20] = {
		0xd7, 0x98, 0xd9, 0x86, 0x14, 0x3f, 0x87, 0x8f, 0x70, 0x76,
		0x5e, 0x0e, 0x86, 0x9c, 0x80, 0xbb, 0xc3, 0x75, 0xf7, 0x01,
	};
	static const uint8_t want6[32] = {
		0xf2, 0x6b, 0xde, 0xd3, 0x6c, 0x9c, 0x62, 0x18,
		0xf5, 0xe4, 0x3c, 0x19, 0x35, 0x2f, 0xb1, 0xc2,
		0x56, 0x14, 0x82, 0xdb, 0x7b, 0x29, 0x8a, 0x81,
		0xf6, 0x17, 0xff, 0x22, 0x39, 0x23, 0xe3, 0x9e,
	};
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(500) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(4500) };
	uint8_t out[64];

	(void)state;
	inet_pton(AF_INET, "192.0.2.1", &a4.sin_addr);
	inet_pton(AF_INET6, "2001:db8::1", &a6.sin6_addr);
	assert_int_equal(ike_v1_natd_hash(IKE_V1_HASH_SHA1,
					  0x0102030405060708ULL,
					  0x1112131415161718ULL,
					  (struct sockaddr *)&a4, out), IKE_OK);
	assert_memory_equal(out, want4, sizeof(want4));
	assert_int_equal(ike_v1_natd_hash(IKE_V1_HASH_SHA2_256,
					  0x0102030405060708ULL,
					  0x1112131415161718ULL,
					  (struct sockaddr *)&a6, out), IKE_OK);
	assert_memory_equal(out, want6, sizeof(want6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proposals),
		cmocka_unit_test(test_sa_choice),
		cmocka_unit_test(test_codec),
		cmocka_unit_test(test_natd),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_ah_recovery),
		cmocka_unit_test(test_esp_3des_retransmit),
		cmocka_unit_test(test_bad_hash_r),
		cmocka_unit_test(test_remote_id_mismatch),
		cmocka_unit_test(test_no_proposal),
	};

	return cmocka_run_group_tests_name("ike_v1_exchange", tests, NULL,
					   NULL);
}
