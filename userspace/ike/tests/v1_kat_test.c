// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 known-answer tests against values computed by a real strongSwan
 * charon (kat_v1_strongswan.inc): the responder's choice, SKEYID,
 * SKEYID_d/a/e, Ka (expanded for 3DES and AES-256 with SHA-1), the
 * phase-1 IV, HASH_I, HASH_R, the IV chain through messages 5 and 6, the
 * Informational IV and HASH(1) of both our Informationals, and their
 * content (Delete + INVALID-SPI of the stale ESP SPI, Delete ISAKMP).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../codec.h"
#include "../crypto_dh.h"
#include "../err.h"
#include "../v1_codec.h"
#include "../v1_exchange.h"
#include "../v1_keys.h"
#include "../v1_proposal.h"
#include "../v1_proto.h"
#include "hex.h"

struct kat {
	const char *name, *psk;
	const char *mm1, *mm2, *mm3, *mm4, *mm5, *info1, *info2;
	const char *gxy, *skeyid, *skeyid_d, *skeyid_a, *skeyid_e, *ka, *iv0;
	const char *hash_i, *hash_r_data, *hash_r, *iv_mm5, *iv_last;
	const char *iv_info1, *hash1, *hash2;
};

static const struct kat kats[] = {
#include "kat_v1_strongswan.inc"
};

static void assert_buf(const struct test_buf *b, const uint8_t *p,
		       size_t n)
{
	assert_int_equal(b->n, n);
	assert_memory_equal(b->b, p, n);
}

/* Payloads of an unencrypted message. */
static uint64_t parse_msg(const struct test_buf *m,
			  struct ike_payload_list *pl, uint64_t *cky_r)
{
	struct ike_header h;

	assert_int_equal(ike_v1_header_parse(m->b, m->n, &h), IKE_OK);
	assert_int_equal(h.exchange, IKE_V1_EXCH_IDPROT);
	assert_false(h.flags & IKE_V1_FLAG_E);
	assert_int_equal(ike_v1_payloads_parse(h.next, m->b + IKE_HDR_LEN,
					       m->n - IKE_HDR_LEN, false, pl),
			 IKE_OK);
	if (cky_r)
		*cky_r = h.spi_r;
	return h.spi_i;
}

static const struct ike_payload *need(const struct ike_payload_list *pl,
				      uint8_t type)
{
	const struct ike_payload *p = ike_payload_find(pl, type);

	assert_non_null(p);
	return p;
}

static void check_vector(const struct kat *k)
{
	static struct test_buf mm1, mm2, mm3, mm4, mm5, info1, info2, v;
	struct ike_payload_list pl1, pl2, pl3, pl4, pl5, pli;
	const struct ike_payload *sa, *ke_i, *ni, *ke_r, *nr, *id, *hash, *n;
	struct ike_v1_proposals offered;
	struct ike_v1_suite suite;
	struct ike_v1_keys keys;
	struct ike_v1_notify nt;
	struct ike_v1_delete d;
	uint64_t cky_i, cky_r;
	struct ike_v1_phase1 p1;
	uint8_t out[IKE_V1_HASH_MAX], iv[IKE_V1_BLOCK_MAX], plain[4096];
	uint8_t cookies[16];
	char err[200];
	size_t glen, body, bs;

	test_unhex_buf(&mm1, k->mm1);
	test_unhex_buf(&mm2, k->mm2);
	test_unhex_buf(&mm3, k->mm3);
	test_unhex_buf(&mm4, k->mm4);
	test_unhex_buf(&mm5, k->mm5);
	test_unhex_buf(&info1, k->info1);
	test_unhex_buf(&info2, k->info2);

	/* Message 2: charon's choice is the proposal named. */
	cky_i = parse_msg(&mm1, &pl1, NULL);
	sa = need(&pl1, IKE_V1_PL_SA);
	assert_int_equal(ike_v1_proposals_parse(k->name, &offered, err,
						sizeof(err)), IKE_OK);
	assert_int_equal(parse_msg(&mm2, &pl2, &cky_r), cky_i);
	{
		const struct ike_payload *sar = need(&pl2, IKE_V1_PL_SA);

		assert_int_equal(ike_v1_sa_parse(sar->body, sar->len, &offered,
						 &suite, err, sizeof(err)),
				 IKE_OK);
	}
	assert_int_equal(suite.encr, offered.t[0].encr);
	assert_int_equal(suite.hash, offered.t[0].hash);
	assert_int_equal(suite.group, offered.t[0].group);
	glen = ike_dh_public_len(suite.group);

	/* Messages 3 and 4: KE and nonces. */
	parse_msg(&mm3, &pl3, NULL);
	ke_i = need(&pl3, IKE_V1_PL_KE);
	ni = need(&pl3, IKE_V1_PL_NONCE);
	parse_msg(&mm4, &pl4, NULL);
	ke_r = need(&pl4, IKE_V1_PL_KE);
	nr = need(&pl4, IKE_V1_PL_NONCE);
	assert_int_equal(ke_i->len, glen);
	assert_int_equal(ke_r->len, glen);

	/* SKEYID* and Ka as charon computed them. */
	test_unhex_buf(&v, k->gxy);
	p1 = (struct ike_v1_phase1){
		.ni = ni->body, .ni_len = ni->len,
		.nr = nr->body, .nr_len = nr->len,
		.gxi = ke_i->body, .gxi_len = glen,
		.gxr = ke_r->body, .gxr_len = glen,
		.gxy = v.b, .gxy_len = v.n,	/* for the keys only */
		.cky_i = cky_i, .cky_r = cky_r,
		.sai_b = sa->body, .sai_len = sa->len,
	};
	assert_int_equal(ike_v1_derive_keys(&suite,
			(const uint8_t *)k->psk, strlen(k->psk), &p1,
			&keys), IKE_OK);
	bs = keys.block_len;
	test_unhex_buf(&v, k->skeyid);
	assert_buf(&v, keys.skeyid, keys.prf_len);
	test_unhex_buf(&v, k->skeyid_d);
	assert_buf(&v, keys.skeyid_d, keys.prf_len);
	test_unhex_buf(&v, k->skeyid_a);
	assert_buf(&v, keys.skeyid_a, keys.prf_len);
	test_unhex_buf(&v, k->skeyid_e);
	assert_buf(&v, keys.skeyid_e, keys.prf_len);
	test_unhex_buf(&v, k->ka);
	assert_buf(&v, keys.enc_key, keys.key_len);
	test_unhex_buf(&v, k->iv0);
	assert_buf(&v, keys.iv, bs);

	/* Message 5 (ours, as charon received it) decrypts with them. */
	{
		struct ike_header h;

		assert_int_equal(ike_v1_header_parse(mm5.b, mm5.n, &h),
				 IKE_OK);
		assert_true(h.flags & IKE_V1_FLAG_E);
		body = mm5.n - IKE_HDR_LEN;
		memcpy(plain, mm5.b + IKE_HDR_LEN, body);
		assert_int_equal(ike_v1_cbc(suite.encr, keys.enc_key,
					    keys.key_len, keys.iv, plain, body,
					    false), IKE_OK);
		assert_int_equal(ike_v1_payloads_parse(h.next, plain, body,
						       true, &pl5), IKE_OK);
	}
	test_unhex_buf(&v, k->iv_mm5);
	assert_buf(&v, keys.iv, bs);
	id = need(&pl5, IKE_V1_PL_ID);
	hash = need(&pl5, IKE_V1_PL_HASH);
	n = need(&pl5, IKE_V1_PL_N);
	assert_int_equal(ike_v1_notify_parse(n->body, n->len, &nt), IKE_OK);
	assert_int_equal(nt.type, IKE_V1_N_INITIAL_CONTACT);
	assert_int_equal(nt.proto, IKE_V1_PROTO_ISAKMP);
	ike_put64(cookies, cky_i);
	ike_put64(cookies + 8, cky_r);
	assert_int_equal(nt.spi_len, 16);
	assert_memory_equal(nt.spi, cookies, 16);

	/* HASH_I: ours in message 5 equals what charon computed. */
	assert_int_equal(ike_v1_auth_hash(&suite, &keys, true, &p1, id->body,
					  id->len, out), IKE_OK);
	test_unhex_buf(&v, k->hash_i);
	assert_buf(&v, out, keys.prf_len);
	assert_memory_equal(hash->body, out, keys.prf_len);

	/* HASH_R over charon's IDir (the tail of its HASH_R data). */
	test_unhex_buf(&v, k->hash_r_data);
	{
		size_t idr_off = 2 * glen + 16 + sa->len;

		assert_true(v.n > idr_off);
		assert_memory_equal(v.b, ke_r->body, glen);
		assert_int_equal(ike_v1_auth_hash(&suite, &keys, false, &p1,
						  v.b + idr_off,
						  v.n - idr_off, out), IKE_OK);
	}
	test_unhex_buf(&v, k->hash_r);
	assert_buf(&v, out, keys.prf_len);

	/* Informational 1: charon's IV for its M-ID and HASH(1). */
	test_unhex_buf(&v, k->iv_last);
	assert_int_equal(v.n, bs);
	memcpy(keys.iv, v.b, bs);
	assert_int_equal(ike_v1_phase2_iv(&suite, &keys,
					  ike_get32(info1.b + 20), iv), IKE_OK);
	test_unhex_buf(&v, k->iv_info1);
	assert_buf(&v, iv, bs);
	assert_int_equal(ike_v1_info_open(&suite, &keys, info1.b, info1.n,
					  plain, &pli), IKE_OK);
	test_unhex_buf(&v, k->hash1);
	assert_buf(&v, pli.pl[0].body, keys.prf_len);
	assert_int_equal(pli.n, 3);
	assert_int_equal(pli.pl[1].type, IKE_V1_PL_D);
	assert_int_equal(ike_v1_delete_parse(pli.pl[1].body, pli.pl[1].len,
					     &d), IKE_OK);
	assert_int_equal(d.proto, IKE_V1_PROTO_ESP);
	assert_int_equal(d.nspis, 1);
	assert_int_equal(ike_get32(d.spis), 0x1234abcd);
	assert_int_equal(pli.pl[2].type, IKE_V1_PL_N);
	assert_int_equal(ike_v1_notify_parse(pli.pl[2].body, pli.pl[2].len,
					     &nt), IKE_OK);
	assert_int_equal(nt.type, IKE_V1_N_INVALID_SPI);
	assert_int_equal(nt.proto, IKE_V1_PROTO_ESP);
	assert_int_equal(ike_get32(nt.spi), 0x1234abcd);

	/* Informational 2: Delete of the ISAKMP SA by its cookies. */
	assert_int_equal(ike_v1_info_open(&suite, &keys, info2.b, info2.n,
					  plain, &pli), IKE_OK);
	test_unhex_buf(&v, k->hash2);
	assert_buf(&v, pli.pl[0].body, keys.prf_len);
	assert_int_equal(ike_v1_delete_parse(pli.pl[1].body, pli.pl[1].len,
					     &d), IKE_OK);
	assert_int_equal(d.proto, IKE_V1_PROTO_ISAKMP);
	assert_int_equal(d.spi_size, 16);
	assert_memory_equal(d.spis, cookies, 16);

	/* A flipped bit of the HASH(1) payload fails verification. */
	info2.b[info2.n - 1] ^= 1;
	assert_int_not_equal(ike_v1_info_open(&suite, &keys, info2.b,
					      info2.n, plain, &pli), IKE_OK);
	ike_v1_keys_wipe(&keys);
}

static void test_strongswan_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		print_message("# %s\n", kats[i].name);
		check_vector(&kats[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strongswan_vectors),
	};

	return cmocka_run_group_tests_name("ike_v1_kat", tests, NULL, NULL);
}
