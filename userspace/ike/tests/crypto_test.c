// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmocka tests of the IKEv2 crypto: PRFs against RFC 4231, DH groups
 * against RFC 3526 / RFC 5903 / RFC 7748, SK payload protection round
 * trips and tampering, key derivation shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "../codec.h"
#include "../crypto_aead.h"
#include "../crypto_dh.h"
#include "../err.h"
#include "../keys.h"
#include "../prf.h"
#include "../proto.h"
#include "hex.h"
#include "suites.h"

/* RFC 4231 section 4: test cases 1, 2 and 6 for SHA-256/384/512. */
static const struct {
	const char *key;	/* hex */
	const char *data;	/* text */
	const char *mac[3];	/* 256, 384, 512 */
} rfc4231[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", {
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6",
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" } },
	{ "4a656665", "what do ya want for nothing?", {
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" } },
	{ NULL /* 131 x 0xaa */,
	  "Test Using Larger Than Block-Size Key - Hash Key First", {
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	  "0c2ef6ab4030fe8296248df163f44952",
	  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" } },
};

static const uint16_t prfs[3] = {
	IKE_PRF_HMAC_SHA2_256, IKE_PRF_HMAC_SHA2_384, IKE_PRF_HMAC_SHA2_512,
};

static void test_prf_rfc4231(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rfc4231) / sizeof(rfc4231[0]); i++) {
		uint8_t key[131], want[64], got[64];
		size_t klen;

		if (rfc4231[i].key) {
			klen = test_unhex(rfc4231[i].key, key, sizeof(key));
		} else {
			klen = 131;
			memset(key, 0xaa, klen);
		}
		for (size_t j = 0; j < 3; j++) {
			struct ike_chunk c[2] = {
				/* split input: chunks must concatenate */
				{ (const uint8_t *)rfc4231[i].data, 3 },
				{ (const uint8_t *)rfc4231[i].data + 3,
				  strlen(rfc4231[i].data) - 3 },
			};
			size_t wlen = test_unhex(rfc4231[i].mac[j], want,
						 sizeof(want));

			assert_int_equal(ike_prf_len(prfs[j]), wlen);
			assert_int_equal(ike_prf(prfs[j], key, klen, c, 2,
						 got), IKE_OK);
			assert_memory_equal(got, want, wlen);
		}
	}
	assert_int_equal(ike_prf_len(99), 0);
}

static void test_prf_plus(void **state)
{
	const uint8_t key[] = "key", seed[] = "seed";
	uint8_t out[255 * 32 + 1], t[64];

	(void)state;
	/* T1 = prf(K, S | 0x01); T2 = prf(K, T1 | S | 0x02) (2.13). */
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, key, 3, seed, 4,
				      out, 70), IKE_OK);
	{
		uint8_t one = 1, two = 2;
		struct ike_chunk c1[2] = { { seed, 4 }, { &one, 1 } };
		uint8_t t1[32];

		assert_int_equal(ike_prf(IKE_PRF_HMAC_SHA2_256, key, 3, c1, 2,
					 t1), IKE_OK);
		assert_memory_equal(out, t1, 32);
		{
			struct ike_chunk c2[3] = {
				{ t1, 32 }, { seed, 4 }, { &two, 1 },
			};

			assert_int_equal(ike_prf(IKE_PRF_HMAC_SHA2_256, key, 3,
						 c2, 3, t), IKE_OK);
			assert_memory_equal(out + 32, t, 32);
		}
	}
	/* 255 blocks is the limit. */
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, key, 3, seed, 4,
				      out, 255 * 32), IKE_OK);
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, key, 3, seed, 4,
				      out, 255 * 32 + 1), IKE_E_INVAL);
}

/* RFC 3526 section 3, the 2048-bit MODP group (IKE group 14). */
static const char modp2048_p[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D"
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
	"15728E5A8AACAA68FFFFFFFFFFFFFFFF";

/*
 * MODP groups: generator 2 (x = 1 gives y = 2), invalid peer values
 * rejected, and with x = 1 the shared secret is the peer value itself,
 * left-padded to the prime length.
 */
static void test_modp_params(void **state)
{
	static const struct {
		uint16_t group;
		size_t len;
	} g[] = {
		{ IKE_DH_MODP2048, 256 },
		{ IKE_DH_MODP3072, 384 },
		{ IKE_DH_MODP4096, 512 },
	};
	uint8_t p[256];

	(void)state;
	assert_int_equal(test_unhex(modp2048_p, p, sizeof(p)), 256);
	for (size_t i = 0; i < 3; i++) {
		uint8_t one = 1, pub[512], sh[512], peer[512];
		struct ike_dh *dh;

		assert_int_equal(ike_dh_public_len(g[i].group), g[i].len);
		assert_int_equal(ike_dh_shared_len(g[i].group), g[i].len);
		/* x = 1: public value is the generator, 2 (RFC 3526). */
		dh = ike_dh_new_private(g[i].group, &one, 1, NULL, 0);
		assert_non_null(dh);
		assert_int_equal(ike_dh_public(dh, pub, g[i].len), IKE_OK);
		for (size_t k = 0; k < g[i].len - 1; k++)
			assert_int_equal(pub[k], 0);
		assert_int_equal(pub[g[i].len - 1], 2);
		/* Peer values 0, 1 and p - 1 are rejected. */
		memset(peer, 0, g[i].len);
		assert_int_not_equal(ike_dh_shared(dh, peer, g[i].len, sh,
						   g[i].len), IKE_OK);
		peer[g[i].len - 1] = 1;
		assert_int_not_equal(ike_dh_shared(dh, peer, g[i].len, sh,
						   g[i].len), IKE_OK);
		if (g[i].group == IKE_DH_MODP2048) {
			memcpy(peer, p, 256);
			peer[255] -= 1;	/* p - 1 */
			assert_int_not_equal(ike_dh_shared(dh, peer, 256, sh,
							   256), IKE_OK);
			/* p itself is out of range. */
			memcpy(peer, p, 256);
			assert_int_not_equal(ike_dh_shared(dh, peer, 256, sh,
							   256), IKE_OK);
		}
		/* x = 1 and peer y = 4 (a square, in the subgroup): g^xy = 4 */
		memset(peer, 0, g[i].len);
		peer[g[i].len - 1] = 4;
		assert_int_equal(ike_dh_shared(dh, peer, g[i].len, sh,
					       g[i].len), IKE_OK);
		assert_memory_equal(sh, peer, g[i].len);
		ike_dh_free(dh);
	}
}

/* The group 14 prime itself, read back from the key OpenSSL uses. */
static void test_modp2048_prime(void **state)
{
	uint8_t p[256], x[2] = { 0x01, 0x00 }, pub[256];
	struct ike_dh *dh;
	BIGNUM *bp, *two, *y;
	BN_CTX *ctx = BN_CTX_new();

	(void)state;
	test_unhex(modp2048_p, p, sizeof(p));
	/* 2^256 mod p, computed by BN with the RFC prime ... */
	bp = BN_bin2bn(p, 256, NULL);
	two = BN_new();
	y = BN_new();
	assert_non_null(ctx);
	assert_true(BN_set_word(two, 2));
	assert_true(BN_set_word(y, 256));
	assert_true(BN_mod_exp(y, two, y, bp, ctx));
	/* ... must be our public value for x = 256 in group 14. */
	dh = ike_dh_new_private(IKE_DH_MODP2048, x, 2, NULL, 0);
	assert_non_null(dh);
	assert_int_equal(ike_dh_public(dh, pub, 256), IKE_OK);
	{
		uint8_t want[256];

		assert_int_equal(BN_bn2binpad(y, want, 256), 256);
		assert_memory_equal(pub, want, 256);
	}
	ike_dh_free(dh);
	BN_free(bp);
	BN_free(two);
	BN_free(y);
	BN_CTX_free(ctx);
}

/* RFC 5903 section 8: i, g^i, r, g^r, g^ir (x only) per group. */
static const struct {
	uint16_t group;
	const char *i, *gi, *r, *gr, *gir;
} rfc5903[] = {
	{ IKE_DH_ECP256,
	  "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
	  "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
	  "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
	  "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
	  "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
	  "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
	  "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE" },
	{ IKE_DH_ECP384,
	  "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
	  "E35B538041E649EE3FAEF896783AB194",
	  "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
	  "DE3AC808ACB4BDB4C88732AEE95F41AA"
	  "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
	  "EB9FCFF3C2C947DAE69B4C634573A81C",
	  "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"
	  "E0308312916B8ED2960E4BD55A7448FC",
	  "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
	  "0D1AC43A0336DEF96FDA41D0774A3571"
	  "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
	  "F83FA40142209DFF5EAAD96DB9E6386C",
	  "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
	  "D603135569B9E9D09CF5D4A270F59746" },
	{ IKE_DH_ECP521,
	  "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A0"
	  "95AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D"
	  "4A52",
	  "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBE"
	  "E1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176C"
	  "ED3E"
	  "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10A"
	  "D8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F"
	  "9582",
	  "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E"
	  "9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB15168"
	  "5EB9",
	  "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A21"
	  "9B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9"
	  "460F"
	  "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87"
	  "220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0F"
	  "C56A",
	  "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04"
	  "D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3"
	  "DDEA" },
};

static void test_ecp_rfc5903(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(rfc5903) / sizeof(rfc5903[0]); k++) {
		uint8_t i[66], r[66], gi[132], gr[132], gir[66], out[132];
		size_t il = test_unhex(rfc5903[k].i, i, sizeof(i));
		size_t rl = test_unhex(rfc5903[k].r, r, sizeof(r));
		size_t gil = test_unhex(rfc5903[k].gi, gi, sizeof(gi));
		size_t grl = test_unhex(rfc5903[k].gr, gr, sizeof(gr));
		size_t girl = test_unhex(rfc5903[k].gir, gir, sizeof(gir));
		uint16_t grp = rfc5903[k].group;
		struct ike_dh *di, *dr;

		assert_int_equal(ike_dh_public_len(grp), gil);
		assert_int_equal(ike_dh_shared_len(grp), girl);
		di = ike_dh_new_private(grp, i, il, gi, gil);
		dr = ike_dh_new_private(grp, r, rl, gr, grl);
		assert_non_null(di);
		assert_non_null(dr);
		assert_int_equal(ike_dh_public(di, out, gil), IKE_OK);
		assert_memory_equal(out, gi, gil);
		/* g^ir from both sides is the RFC's x coordinate. */
		assert_int_equal(ike_dh_shared(di, gr, grl, out, girl), IKE_OK);
		assert_memory_equal(out, gir, girl);
		assert_int_equal(ike_dh_shared(dr, gi, gil, out, girl), IKE_OK);
		assert_memory_equal(out, gir, girl);
		/* A point off the curve is rejected. */
		gr[grl - 1] ^= 1;
		assert_int_not_equal(ike_dh_shared(di, gr, grl, out, girl),
				     IKE_OK);
		/* Wrong length. */
		assert_int_equal(ike_dh_shared(di, gr, grl - 1, out, girl),
				 IKE_E_LENGTH);
		/* A private key whose public half does not match. */
		assert_null(ike_dh_new_private(grp, i, il, NULL, 0));
		ike_dh_free(di);
		ike_dh_free(dr);
	}
}

/* RFC 7748 section 6.1. */
static void test_x25519_rfc7748(void **state)
{
	uint8_t a[32], apub[32], bpub[32], k[32], out[32], zero[32] = { 0 };
	struct ike_dh *dh;

	(void)state;
	test_unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		   a, 32);
	test_unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		   apub, 32);
	test_unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		   bpub, 32);
	test_unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
		   k, 32);
	dh = ike_dh_new_private(IKE_DH_CURVE25519, a, 32, NULL, 0);
	assert_non_null(dh);
	assert_int_equal(ike_dh_public(dh, out, 32), IKE_OK);
	assert_memory_equal(out, apub, 32);
	assert_int_equal(ike_dh_shared(dh, bpub, 32, out, 32), IKE_OK);
	assert_memory_equal(out, k, 32);
	/* A low-order point gives an all-zero secret: rejected (RFC 8031). */
	assert_int_not_equal(ike_dh_shared(dh, zero, 32, out, 32), IKE_OK);
	ike_dh_free(dh);
}

static void test_dh_random_pairs(void **state)
{
	static const uint16_t groups[] = {
		IKE_DH_MODP1024, IKE_DH_MODP1536, IKE_DH_MODP2048,
		IKE_DH_ECP256, IKE_DH_ECP384, IKE_DH_ECP521, IKE_DH_CURVE25519,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		uint16_t g = groups[i];
		size_t pl = ike_dh_public_len(g), sl = ike_dh_shared_len(g);
		uint8_t pa[512], pb[512], sa[512], sb[512];
		struct ike_dh *a = ike_dh_new(g), *b = ike_dh_new(g);

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(ike_dh_group(a), g);
		assert_int_equal(ike_dh_public(a, pa, pl), IKE_OK);
		assert_int_equal(ike_dh_public(b, pb, pl), IKE_OK);
		assert_memory_not_equal(pa, pb, pl);
		assert_int_equal(ike_dh_shared(a, pb, pl, sa, sl), IKE_OK);
		assert_int_equal(ike_dh_shared(b, pa, pl, sb, sl), IKE_OK);
		assert_memory_equal(sa, sb, sl);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	assert_false(ike_dh_supported(1));
	assert_null(ike_dh_new(1));
	assert_int_equal(ike_dh_public_len(1), 0);
}

/* Build HDR, SK{N(INITIAL_CONTACT) ...} with @plen bytes of payload. */
static size_t seal_sample(const struct ike_suite *s, const uint8_t *ek,
			  const uint8_t *ak, uint8_t *msg, size_t plen)
{
	uint8_t plain[300];
	size_t body = ike_sk_body_len(s, plen), total;

	for (size_t i = 0; i < plen; i++)
		plain[i] = (uint8_t)(i * 7);
	memset(msg, 0, IKE_HDR_LEN);
	msg[17] = IKE_VERSION;
	msg[16] = IKE_PL_SK;
	total = IKE_HDR_LEN + IKE_GEN_HDR_LEN + body;
	ike_put32(msg + 24, (uint32_t)total);
	msg[IKE_HDR_LEN] = IKE_PL_NOTIFY;
	msg[IKE_HDR_LEN + 1] = 0;
	ike_put16(msg + IKE_HDR_LEN + 2, (uint16_t)(IKE_GEN_HDR_LEN + body));
	assert_int_equal(ike_sk_seal(s, ek, ak, msg,
				     IKE_HDR_LEN + IKE_GEN_HDR_LEN,
				     plain, plen), IKE_OK);
	return total;
}

static void test_sk_roundtrip_and_tamper(void **state)
{
	(void)state;
	for (size_t si = 0; si < TEST_N_SUITES; si++) {
		const struct ike_suite *s = &test_suites[si];
		uint8_t ek[IKE_KEY_MAX], ak[IKE_KEY_MAX];

		assert_true(ike_suite_supported(s));
		for (size_t i = 0; i < sizeof(ek); i++) {
			ek[i] = (uint8_t)(i + 1);
			ak[i] = (uint8_t)(0x80 + i);
		}
		for (size_t plen = 0; plen < 40; plen += 13) {
			uint8_t msg[512], out[512];
			size_t len = seal_sample(s, ek, ak, msg, plen), olen;

			assert_int_equal(ike_sk_open(s, ek, ak, msg, len,
					 IKE_HDR_LEN + IKE_GEN_HDR_LEN, out,
					 &olen), IKE_OK);
			assert_int_equal(olen, plen);
			for (size_t i = 0; i < plen; i++)
				assert_int_equal(out[i], (uint8_t)(i * 7));
			if (!ike_encr_is_aead(s->encr))
				assert_int_equal((len - IKE_HDR_LEN - 4 -
					ike_sk_iv_len(s) - ike_sk_icv_len(s)) %
					16, 0);
			/* Any flipped bit anywhere fails the ICV. */
			for (size_t i = 0; i < len; i++) {
				msg[i] ^= 0x01;
				assert_int_equal(ike_sk_open(s, ek, ak, msg,
					len, IKE_HDR_LEN + IKE_GEN_HDR_LEN,
					out, &olen), IKE_E_INTEGRITY);
				msg[i] ^= 0x01;
			}
			/* Wrong key. */
			ek[0] ^= 1;
			ak[0] ^= 1;
			assert_int_equal(ike_sk_open(s, ek, ak, msg, len,
				IKE_HDR_LEN + IKE_GEN_HDR_LEN, out, &olen),
				IKE_E_INTEGRITY);
			ek[0] ^= 1;
			ak[0] ^= 1;
			/* Too short for IV and ICV. */
			assert_int_equal(ike_sk_open(s, ek, ak, msg,
				IKE_HDR_LEN + 4 + ike_sk_iv_len(s) +
				ike_sk_icv_len(s),
				IKE_HDR_LEN + IKE_GEN_HDR_LEN, out, &olen),
				IKE_E_TRUNCATED);
		}
	}
}

static void test_sk_unsupported(void **state)
{
	struct ike_suite bad = test_suites[0];
	uint8_t k[64] = { 0 }, msg[256], out[256];
	size_t olen;

	(void)state;
	bad.encr_keylen = 192;
	assert_false(ike_suite_supported(&bad));
	bad = test_suites[3];
	bad.integ = IKE_INTEG_HMAC_SHA2_256_128;	/* AEAD + integ */
	assert_false(ike_suite_supported(&bad));
	bad = test_suites[0];
	bad.integ = 2;	/* HMAC-SHA1-96 */
	assert_false(ike_suite_supported(&bad));
	memset(msg, 0, sizeof(msg));
	assert_int_equal(ike_sk_open(&bad, k, k, msg, 100, 32, out, &olen),
			 IKE_E_UNSUPPORTED);
}

static void test_key_lengths(void **state)
{
	struct ike_keys keys;
	uint8_t ni[32] = { 1 }, nr[32] = { 2 }, gir[32] = { 3 }, sks[64];

	(void)state;
	assert_int_equal(ike_derive_keys(&test_suites[0], ni, 32, nr, 32,
					 gir, 32, 1, 2, &keys, sks), IKE_OK);
	assert_int_equal(keys.prf_len, 32);
	assert_int_equal(keys.integ_len, 32);
	assert_int_equal(keys.encr_len, 16);
	assert_int_equal(ike_derive_keys(&test_suites[4], ni, 32, nr, 32,
					 gir, 32, 1, 2, &keys, NULL), IKE_OK);
	assert_int_equal(keys.prf_len, 48);
	assert_int_equal(keys.integ_len, 0);
	assert_int_equal(keys.encr_len, 36);	/* key + 4 bytes salt */
	/* SK_ei and SK_er differ; the SPIs are part of the seed. */
	assert_memory_not_equal(keys.sk_ei, keys.sk_er, 36);
	{
		struct ike_keys k2;

		assert_int_equal(ike_derive_keys(&test_suites[4], ni, 32, nr,
						 32, gir, 32, 1, 3, &k2, NULL),
				 IKE_OK);
		assert_memory_not_equal(keys.sk_d, k2.sk_d, 48);
	}
	ike_keys_wipe(&keys);
	assert_int_equal(keys.prf_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prf_rfc4231),
		cmocka_unit_test(test_prf_plus),
		cmocka_unit_test(test_modp_params),
		cmocka_unit_test(test_modp2048_prime),
		cmocka_unit_test(test_ecp_rfc5903),
		cmocka_unit_test(test_x25519_rfc7748),
		cmocka_unit_test(test_dh_random_pairs),
		cmocka_unit_test(test_sk_roundtrip_and_tamper),
		cmocka_unit_test(test_sk_unsupported),
		cmocka_unit_test(test_key_lengths),
	};

	return cmocka_run_group_tests_name("ike_crypto", tests, NULL, NULL);
}
