// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Known-answer tests against values computed by a real strongSwan charon
 * (kat_strongswan.inc): proposal selection, SKEYSEED and SK_* (RFC 7296
 * 2.14), both PSK AUTH values (2.15), and decryption of the IKE_AUTH
 * response charon encrypted (CBC+HMAC and GCM).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../codec.h"
#include "../crypto_aead.h"
#include "../err.h"
#include "../keys.h"
#include "../payloads.h"
#include "../proposal.h"
#include "hex.h"

struct kat {
	const char *name, *psk;
	const char *init_req, *init_resp, *auth_req, *auth_resp;
	const char *gir, *skeyseed;
	const char *sk_d, *sk_ai, *sk_ar, *sk_ei, *sk_er, *sk_pi, *sk_pr;
	const char *auth_i, *auth_r;
};

static const struct kat kats[] = {
#include "kat_strongswan.inc"
};

/* The body of the first payload of @type in message @m (unencrypted). */
static const struct ike_payload *find(const struct test_buf *m,
				      uint8_t type,
				      struct ike_payload_list *pl)
{
	struct ike_header h;

	assert_int_equal(ike_header_parse(m->b, m->n, &h), IKE_OK);
	assert_int_equal(ike_payloads_parse(h.next, m->b + IKE_HDR_LEN,
					    m->n - IKE_HDR_LEN, pl), IKE_OK);
	return ike_payload_find(pl, type);
}

/* Decrypt message @m with the given keys; inner payloads into @pl. */
static void open_msg(const struct ike_suite *s, const struct test_buf *m,
		     const uint8_t *ek, const uint8_t *ak, struct test_buf *plain,
		     struct ike_payload_list *pl)
{
	struct ike_header h;
	struct ike_payload_list outer;

	assert_int_equal(ike_header_parse(m->b, m->n, &h), IKE_OK);
	assert_int_equal(h.next, IKE_PL_SK);
	assert_int_equal(ike_payloads_parse(h.next, m->b + IKE_HDR_LEN,
					    m->n - IKE_HDR_LEN, &outer),
			 IKE_OK);
	assert_true(outer.has_sk);
	assert_int_equal(ike_sk_open(s, ek, ak, m->b, m->n,
				     IKE_HDR_LEN + outer.sk_body_off,
				     plain->b, &plain->n), IKE_OK);
	assert_int_equal(ike_payloads_parse(outer.sk_first, plain->b,
					    plain->n, pl), IKE_OK);
}

static void run_kat(const struct kat *k)
{
	struct test_buf init_req, init_resp, auth_req, auth_resp, gir, want, got;
	struct test_buf plain;
	struct ike_payload_list pl;
	const struct ike_payload *p;
	struct ike_sa_payload offered, chosen;
	struct ike_suite s;
	struct ike_keys keys;
	struct ike_header hi, hr;
	uint8_t ni[256], nr[256], sks[64], auth[64];
	size_t ni_len, nr_len, plen;
	char err[256];

	print_message("# %s\n", k->name);
	test_unhex_buf(&init_req, k->init_req);
	test_unhex_buf(&init_resp, k->init_resp);
	test_unhex_buf(&auth_req, k->auth_req);
	test_unhex_buf(&auth_resp, k->auth_resp);
	test_unhex_buf(&gir, k->gir);

	/* charon's SA payload selects exactly the proposal we offered. */
	assert_int_equal(ike_proposals_parse(k->name, &offered, err,
					     sizeof(err)), IKE_OK);
	p = find(&init_resp, IKE_PL_SA, &pl);
	assert_non_null(p);
	assert_int_equal(ike_sa_parse(p->body, p->len, &chosen), IKE_OK);
	assert_int_equal(ike_proposal_select(&offered, &chosen, &s, err,
					     sizeof(err)), IKE_OK);
	plen = ike_prf_len(s.prf);

	p = find(&init_req, IKE_PL_NONCE, &pl);
	assert_non_null(p);
	memcpy(ni, p->body, p->len);
	ni_len = p->len;
	p = find(&init_resp, IKE_PL_NONCE, &pl);
	assert_non_null(p);
	memcpy(nr, p->body, p->len);
	nr_len = p->len;
	assert_int_equal(ike_header_parse(init_req.b, init_req.n, &hi), IKE_OK);
	assert_int_equal(ike_header_parse(init_resp.b, init_resp.n, &hr),
			 IKE_OK);
	assert_true(hi.spi_i == hr.spi_i);

	/* SKEYSEED and every SK_* as strongSwan derived them. */
	assert_int_equal(ike_derive_keys(&s, ni, ni_len, nr, nr_len, gir.b,
					 gir.n, hr.spi_i, hr.spi_r, &keys, sks),
			 IKE_OK);
	test_unhex_buf(&want, k->skeyseed);
	assert_int_equal(want.n, plen);
	assert_memory_equal(sks, want.b, plen);
#define KEY(field, len) do { \
		test_unhex_buf(&want, k->field); \
		assert_int_equal(want.n, len); \
		if (len) \
			assert_memory_equal(keys.field, want.b, len); \
	} while (0)
	KEY(sk_d, plen);
	KEY(sk_ai, keys.integ_len);
	KEY(sk_ar, keys.integ_len);
	KEY(sk_ei, keys.encr_len);
	KEY(sk_er, keys.encr_len);
	KEY(sk_pi, plen);
	KEY(sk_pr, plen);
#undef KEY

	/* Our IKE_AUTH request, as charon received it, and our AUTH. */
	open_msg(&s, &auth_req, keys.sk_ei, keys.sk_ai, &plain, &pl);
	p = ike_payload_find(&pl, IKE_PL_IDI);
	assert_non_null(p);
	assert_int_equal(ike_psk_auth(s.prf, (const uint8_t *)k->psk,
				      strlen(k->psk), init_req.b, init_req.n,
				      nr, nr_len, keys.sk_pi, p->body, p->len,
				      auth), IKE_OK);
	test_unhex_buf(&want, k->auth_i);
	assert_int_equal(want.n, plen);
	assert_memory_equal(auth, want.b, plen);

	/* charon's encrypted IKE_AUTH response: ICV, IDr, its AUTH. */
	open_msg(&s, &auth_resp, keys.sk_er, keys.sk_ar, &plain, &pl);
	p = ike_payload_find(&pl, IKE_PL_IDR);
	assert_non_null(p);
	assert_int_equal(ike_psk_auth(s.prf, (const uint8_t *)k->psk,
				      strlen(k->psk), init_resp.b,
				      init_resp.n, ni, ni_len, keys.sk_pr,
				      p->body, p->len, auth), IKE_OK);
	test_unhex_buf(&want, k->auth_r);
	assert_memory_equal(auth, want.b, plen);
	p = ike_payload_find(&pl, IKE_PL_AUTH);
	assert_non_null(p);
	assert_int_equal(p->len, 4 + plen);
	assert_int_equal(p->body[0], 2);	/* shared key MIC */
	assert_memory_equal(p->body + 4, want.b, plen);

	/* One flipped bit of charon's message and the ICV fails. */
	{
		struct ike_payload_list outer;
		struct ike_header h;

		assert_int_equal(ike_header_parse(auth_resp.b, auth_resp.n,
						  &h), IKE_OK);
		assert_int_equal(ike_payloads_parse(h.next,
				auth_resp.b + IKE_HDR_LEN,
				auth_resp.n - IKE_HDR_LEN, &outer), IKE_OK);
		auth_resp.b[auth_resp.n / 2] ^= 0x40;
		assert_int_equal(ike_sk_open(&s, keys.sk_er, keys.sk_ar,
				auth_resp.b, auth_resp.n,
				IKE_HDR_LEN + outer.sk_body_off, got.b,
				&got.n), IKE_E_INTEGRITY);
	}
	/* The wrong direction's keys do not open it either. */
	assert_int_not_equal(ike_sk_open(&s, keys.sk_ei, keys.sk_ai,
					 auth_req.b, auth_req.n - 1, 32, got.b,
					 &got.n), IKE_OK);
	ike_keys_wipe(&keys);
}

static void test_kat(void **state)
{
	const struct kat *k = *state;

	run_kat(k);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(kats) / sizeof(kats[0])];

	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(
			test_kat, (void *)&kats[i]);
		tests[i].name = kats[i].name;
	}
	return _cmocka_run_group_tests("ike_kat_strongswan", tests,
				       sizeof(kats) / sizeof(kats[0]), NULL,
				       NULL);
}
