// SPDX-License-Identifier: GPL-2.0-or-later
/* cmocka tests of swanctl-style proposal and identity strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../err.h"
#include "../identity.h"
#include "../proposal.h"
#include "../proto.h"

static bool has(const struct ike_proposal *p, uint8_t type, uint16_t id,
		uint16_t keylen)
{
	for (size_t i = 0; i < p->ntrans; i++)
		if (p->t[i].type == type && p->t[i].id == id &&
		    p->t[i].keylen == keylen)
			return true;
	return false;
}

static void test_proposals_good(void **state)
{
	struct ike_sa_payload sa;
	char err[256];

	(void)state;
	assert_int_equal(ike_proposals_parse("aes256-sha256-modp2048", &sa,
					     err, sizeof(err)), IKE_OK);
	assert_int_equal(sa.nprop, 1);
	assert_int_equal(sa.prop[0].num, 1);
	assert_int_equal(sa.prop[0].proto, IKE_PROTO_IKE);
	assert_int_equal(sa.prop[0].ntrans, 4);
	assert_true(has(&sa.prop[0], IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 256));
	assert_true(has(&sa.prop[0], IKE_TRANS_INTEG,
			IKE_INTEG_HMAC_SHA2_256_128, 0));
	/* PRF follows the integrity algorithm when not given. */
	assert_true(has(&sa.prop[0], IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_256, 0));
	assert_true(has(&sa.prop[0], IKE_TRANS_DH, IKE_DH_MODP2048, 0));

	assert_int_equal(ike_proposals_parse(
		"aes256gcm16-prfsha384-ecp384, aes128-sha256-x25519", &sa,
		err, sizeof(err)), IKE_OK);
	assert_int_equal(sa.nprop, 2);
	assert_int_equal(sa.prop[1].num, 2);
	assert_int_equal(sa.prop[0].ntrans, 3);
	assert_true(has(&sa.prop[0], IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16,
			256));
	assert_true(has(&sa.prop[0], IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_384, 0));
	assert_true(has(&sa.prop[1], IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 128));
	assert_true(has(&sa.prop[1], IKE_TRANS_DH, IKE_DH_CURVE25519, 0));
	assert_int_equal(ike_proposals_first_group(&sa), IKE_DH_ECP384);
	assert_true(ike_proposals_have_group(&sa, IKE_DH_CURVE25519));
	assert_false(ike_proposals_have_group(&sa, IKE_DH_MODP2048));

	/* Several algorithms of one type; duplicates collapse. */
	assert_int_equal(ike_proposals_parse(
		"AES128-aes256-sha256-sha512-ecp256-ecp256-modp3072", &sa,
		err, sizeof(err)), IKE_OK);
	assert_int_equal(sa.prop[0].ntrans, 8);
	assert_true(has(&sa.prop[0], IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_512, 0));

	/* NULL means the built-in default. */
	assert_int_equal(ike_proposals_parse(NULL, &sa, err, sizeof(err)),
			 IKE_OK);
	assert_int_equal(sa.nprop, 2);
}

static void expect_bad(const char *s, int code, const char *needle)
{
	struct ike_sa_payload sa;
	char err[256] = "";

	assert_int_equal(ike_proposals_parse(s, &sa, err, sizeof(err)), code);
	if (!strstr(err, needle))
		fail_msg("'%s': message '%s' lacks '%s'", s, err, needle);
}

static void test_proposals_bad(void **state)
{
	(void)state;
	expect_bad("aes256-sha1-modp2048", IKE_E_UNSUPPORTED, "'sha1'");
	expect_bad("aes256-sha256-modp1024", IKE_E_UNSUPPORTED, "'modp1024'");
	expect_bad("aes256-sha256-foo", IKE_E_SYNTAX, "unknown algorithm 'foo'");
	expect_bad("aes256-sha256", IKE_E_SYNTAX, "no DH group");
	expect_bad("sha256-modp2048", IKE_E_SYNTAX, "no encryption");
	expect_bad("aes256-modp2048", IKE_E_SYNTAX, "no integrity");
	expect_bad("aes256gcm16-ecp384", IKE_E_SYNTAX, "needs a PRF");
	expect_bad("aes256gcm16-sha256-prfsha256-ecp384", IKE_E_SYNTAX,
		   "no integrity algorithm");
	expect_bad("aes256gcm16-aes256-sha256-ecp384", IKE_E_SYNTAX, "mixes");
	expect_bad("aes256--sha256-modp2048", IKE_E_SYNTAX, "empty algorithm");
	expect_bad("aes256-sha256-modp2048-", IKE_E_SYNTAX, "empty algorithm");
	expect_bad("aes256-sha256-modp2048,", IKE_E_SYNTAX, "empty proposal");
	expect_bad("", IKE_E_SYNTAX, "empty proposal");
	expect_bad("aes256-sha256-averyveryveryverylongalgorithmname-modp2048",
		   IKE_E_SYNTAX, "unknown algorithm");
	expect_bad("a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a", IKE_E_SYNTAX,
		   "unknown algorithm 'a'");
	{
		char many[400] = "";

		for (int i = 0; i < 17; i++)
			strcat(many, i ? ",aes-sha256-x25519" :
					 "aes-sha256-x25519");
		expect_bad(many, IKE_E_TOO_MANY, "more than 16");
	}
}

static void resp_one(struct ike_sa_payload *r, uint8_t num,
		     const struct ike_transform *t, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->nprop = 1;
	r->prop[0].num = num;
	r->prop[0].proto = IKE_PROTO_IKE;
	r->prop[0].ntrans = n;
	memcpy(r->prop[0].t, t, n * sizeof(*t));
}

static void test_proposal_select(void **state)
{
	struct ike_sa_payload off, r;
	struct ike_suite s;
	char err[256];
	struct ike_transform t[5] = {
		{ IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 128, false },
		{ IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, false },
		{ IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_256, 0, false },
		{ IKE_TRANS_DH, IKE_DH_CURVE25519, 0, false },
		{ IKE_TRANS_DH, IKE_DH_ECP256, 0, false },
	};

	(void)state;
	assert_int_equal(ike_proposals_parse(
		"aes256gcm16-prfsha384-ecp384,aes128-sha256-x25519-ecp256",
		&off, err, sizeof(err)), IKE_OK);
	resp_one(&r, 2, t, 4);
	assert_int_equal(ike_proposal_select(&off, &r, &s, err, sizeof(err)),
			 IKE_OK);
	assert_int_equal(s.encr, IKE_ENCR_AES_CBC);
	assert_int_equal(s.encr_keylen, 128);
	assert_int_equal(s.integ, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(s.prf, IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(s.dh, IKE_DH_CURVE25519);
	{
		char buf[128];

		ike_suite_format(&s, buf, sizeof(buf));
		assert_string_equal(buf, "aes128-sha256-prfsha256-curve25519");
	}
	/* Wrong proposal number: those transforms were not in #1. */
	resp_one(&r, 1, t, 4);
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	/* Two DH groups chosen. */
	resp_one(&r, 2, t, 5);
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	assert_non_null(strstr(err, "two transforms"));
	/* Missing PRF. */
	t[2] = t[3];
	resp_one(&r, 2, t, 3);
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	/* Key length we did not offer. */
	t[2] = (struct ike_transform){ IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_256,
				       0, false };
	t[0].keylen = 256;
	resp_one(&r, 2, t, 4);
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	t[0].keylen = 128;
	/* Unknown attribute. */
	t[1].unknown_attr = true;
	resp_one(&r, 2, t, 4);
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	t[1].unknown_attr = false;
	/* ESP protocol, non-zero SPI size, two proposals. */
	resp_one(&r, 2, t, 4);
	r.prop[0].proto = IKE_PROTO_ESP;
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	resp_one(&r, 2, t, 4);
	r.prop[0].spi_size = 8;
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	resp_one(&r, 2, t, 4);
	r.nprop = 2;
	r.prop[1] = r.prop[0];
	assert_int_not_equal(ike_proposal_select(&off, &r, &s, err,
						 sizeof(err)), IKE_OK);
	/* AEAD choice from proposal 1. */
	{
		struct ike_transform g[3] = {
			{ IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 256, false },
			{ IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_384, 0, false },
			{ IKE_TRANS_DH, IKE_DH_ECP384, 0, false },
		};

		resp_one(&r, 1, g, 3);
		assert_int_equal(ike_proposal_select(&off, &r, &s, err,
						     sizeof(err)), IKE_OK);
		assert_int_equal(s.integ, IKE_INTEG_NONE);
	}
}

static void test_identities(void **state)
{
	struct ike_identity id;
	char err[256], buf[300];

	(void)state;
	assert_int_equal(ike_identity_parse("192.0.2.1", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_IPV4_ADDR);
	assert_int_equal(id.len, 4);
	assert_memory_equal(id.data, "\xc0\x00\x02\x01", 4);

	assert_int_equal(ike_identity_parse("2001:db8::1", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_IPV6_ADDR);
	assert_int_equal(id.len, 16);
	assert_int_equal(id.data[1], 0x01);
	assert_int_equal(id.data[15], 0x01);

	assert_int_equal(ike_identity_parse("vpn.example.org", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_int_equal(id.len, 15);
	assert_int_equal(ike_identity_parse("@vpn.example.org", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_memory_equal(id.data, "vpn.example.org", 15);
	assert_true(ike_identity_matches(&id, IKE_ID_FQDN,
					 (const uint8_t *)"VPN.example.org",
					 15));
	assert_false(ike_identity_matches(&id, IKE_ID_KEY_ID,
					  (const uint8_t *)"vpn.example.org",
					  15));

	assert_int_equal(ike_identity_parse("user@example.org", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_RFC822_ADDR);
	assert_int_equal(ike_identity_parse("email:user@example.org", &id,
					    err, sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_RFC822_ADDR);

	assert_int_equal(ike_identity_parse("keyid:spirec-1", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_KEY_ID);
	assert_memory_equal(id.data, "spirec-1", 8);
	assert_int_equal(ike_identity_parse("keyid:#00ff10", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_KEY_ID);
	assert_int_equal(id.len, 3);
	assert_memory_equal(id.data, "\x00\xff\x10", 3);
	ike_identity_format(id.type, id.data, id.len, buf, sizeof(buf));
	assert_string_equal(buf, "keyid:#00ff10");

	assert_int_equal(ike_identity_parse("fqdn:192.0.2.1", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_int_equal(ike_identity_parse("ipv4:192.0.2.7", &id, err,
					    sizeof(err)), IKE_OK);
	assert_int_equal(id.type, IKE_ID_IPV4_ADDR);
	ike_identity_format(id.type, id.data, id.len, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.7");
}

static void expect_bad_id(const char *s, int code, const char *needle)
{
	struct ike_identity id;
	char err[256] = "";

	assert_int_equal(ike_identity_parse(s, &id, err, sizeof(err)), code);
	if (!strstr(err, needle))
		fail_msg("'%s': message '%s' lacks '%s'", s, err, needle);
}

static void test_identities_bad(void **state)
{
	char longid[300];

	(void)state;
	expect_bad_id("", IKE_E_SYNTAX, "empty");
	expect_bad_id("ipv4:2001:db8::1", IKE_E_SYNTAX, "not an IPv4");
	expect_bad_id("ipv6:192.0.2.300", IKE_E_SYNTAX, "not an IPv6");
	expect_bad_id("keyid:#abc", IKE_E_SYNTAX, "hex digits");
	expect_bad_id("keyid:#zz", IKE_E_SYNTAX, "hex digits");
	expect_bad_id("keyid:", IKE_E_SYNTAX, "empty");
	expect_bad_id("C=CH, O=spirec, CN=peer", IKE_E_UNSUPPORTED,
		      "distinguished names");
	expect_bad_id("email:nobody", IKE_E_SYNTAX, "not an email");
	expect_bad_id("user@", IKE_E_SYNTAX, "not an email");
	expect_bad_id("vpn example", IKE_E_SYNTAX, "spaces");
	expect_bad_id("tel:12345", IKE_E_SYNTAX, "unknown type prefix");
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	expect_bad_id(longid, IKE_E_LENGTH, "longer than 255");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proposals_good),
		cmocka_unit_test(test_proposals_bad),
		cmocka_unit_test(test_proposal_select),
		cmocka_unit_test(test_identities),
		cmocka_unit_test(test_identities_bad),
	};

	return cmocka_run_group_tests_name("ike_config", tests, NULL, NULL);
}
