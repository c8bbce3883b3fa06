// SPDX-License-Identifier: GPL-2.0-or-later
/* IKEv2 Diffie-Hellman groups with OpenSSL 3 EVP_PKEY. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "crypto_dh.h"
#include "err.h"
#include "proto.h"

enum dh_kind { DH_MODP, DH_ECP, DH_X25519 };

struct dh_group {
	uint16_t id;
	enum dh_kind kind;
	const char *name;	/* OpenSSL group name, or NULL: @prime */
	size_t len;		/* prime/field size in bytes */
	const char *prime;	/* hex, generator 2 (groups OpenSSL lacks) */
};

/* RFC 2409 6.2: the second Oakley group (IKEv1 peers still use it). */
static const char modp1024_prime[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

static const struct dh_group groups[] = {
	{ IKE_DH_MODP1024, DH_MODP, NULL, 128, modp1024_prime },
	{ IKE_DH_MODP1536, DH_MODP, "modp_1536", 192, NULL },
	{ IKE_DH_MODP2048, DH_MODP, "modp_2048", 256, NULL },
	{ IKE_DH_MODP3072, DH_MODP, "modp_3072", 384, NULL },
	{ IKE_DH_MODP4096, DH_MODP, "modp_4096", 512, NULL },
	{ IKE_DH_ECP256, DH_ECP, "P-256", 32, NULL },
	{ IKE_DH_ECP384, DH_ECP, "P-384", 48, NULL },
	{ IKE_DH_ECP521, DH_ECP, "P-521", 66, NULL },
	{ IKE_DH_CURVE25519, DH_X25519, "X25519", 32, NULL },
};

struct ike_dh {
	const struct dh_group *g;
	EVP_PKEY *key;
};

static const struct dh_group *group_find(uint16_t id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

bool ike_dh_supported(uint16_t group)
{
	return group_find(group) != NULL;
}

size_t ike_dh_public_len(uint16_t group)
{
	const struct dh_group *g = group_find(group);

	if (!g)
		return 0;
	return g->kind == DH_ECP ? 2 * g->len : g->len;
}

size_t ike_dh_shared_len(uint16_t group)
{
	const struct dh_group *g = group_find(group);

	return g ? g->len : 0;
}

uint16_t ike_dh_group(const struct ike_dh *dh)
{
	return dh->g->id;
}

static const char *kind_alg(enum dh_kind kind)
{
	switch (kind) {
	case DH_MODP: return "DH";
	case DH_ECP: return "EC";
	case DH_X25519: return "X25519";
	}
	return NULL;
}

/*
 * p and g = 2 of a group given by its prime into @bn[0..1]; the builder
 * refers to them until OSSL_PARAM_BLD_to_param(), the caller frees them
 * after that. No q: OpenSSL's FIPS-style key generation refuses a
 * 1023-bit q, and without one it checks peer values as 1 < y < p - 1,
 * which for a safe prime leaves no small subgroup.
 */
static bool push_prime(OSSL_PARAM_BLD *bld, const char *hex, BIGNUM *bn[3])
{
	bn[1] = BN_new();
	if (!bn[1] || !BN_hex2bn(&bn[0], hex) || !BN_set_word(bn[1], 2))
		return false;
	return OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, bn[0]) &&
	       OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, bn[1]);
}

/* Build a key from parameters: group name plus optional pub/priv. */
static EVP_PKEY *key_fromdata(const struct dh_group *g, int selection,
			      const uint8_t *pub, size_t publen,
			      const BIGNUM *pub_bn, const BIGNUM *priv_bn)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *pqg[3] = { NULL, NULL, NULL };
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	if (!bld)
		return NULL;
	if (g->prime) {
		if (!push_prime(bld, g->prime, pqg))
			goto out;
	} else if (!OSSL_PARAM_BLD_push_utf8_string(bld,
					OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0)) {
		goto out;
	}
	if (pub && !OSSL_PARAM_BLD_push_octet_string(bld,
					OSSL_PKEY_PARAM_PUB_KEY, pub, publen))
		goto out;
	if (pub_bn && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      pub_bn))
		goto out;
	if (priv_bn && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
					       priv_bn))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto out;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, kind_alg(g->kind), NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, selection, params) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	for (size_t i = 0; i < 3; i++)
		BN_free(pqg[i]);
	return key;
}

/* A key holder for @group (NULL: unknown group, or no memory). */
static struct ike_dh *dh_alloc(uint16_t group)
{
	const struct dh_group *g = group_find(group);
	struct ike_dh *dh = g ? calloc(1, sizeof(*dh)) : NULL;

	if (dh)
		dh->g = g;
	return dh;
}

struct ike_dh *ike_dh_new(uint16_t group)
{
	struct ike_dh *dh = dh_alloc(group);
	const struct dh_group *g;
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM params[2];

	if (!dh)
		return NULL;
	g = dh->g;
	if (g->prime) {
		EVP_PKEY *params = key_fromdata(g, EVP_PKEY_KEY_PARAMETERS,
						NULL, 0, NULL, NULL);

		ctx = params ? EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL) :
			NULL;
		EVP_PKEY_free(params);
		if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_generate(ctx, &dh->key) <= 0)
			goto fail;
		EVP_PKEY_CTX_free(ctx);
		return dh;
	}
	ctx = EVP_PKEY_CTX_new_from_name(NULL, kind_alg(g->kind), NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0)
		goto fail;
	if (g->kind != DH_X25519) {
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (!EVP_PKEY_CTX_set_params(ctx, params))
			goto fail;
	}
	if (EVP_PKEY_generate(ctx, &dh->key) <= 0)
		goto fail;
	EVP_PKEY_CTX_free(ctx);
	return dh;
fail:
	EVP_PKEY_CTX_free(ctx);
	ike_dh_free(dh);
	return NULL;
}

struct ike_dh *ike_dh_new_private(uint16_t group, const uint8_t *priv,
				  size_t len, const uint8_t *pub,
				  size_t publen)
{
	struct ike_dh *dh = dh_alloc(group);
	const struct dh_group *g;
	BIGNUM *x = NULL, *y = NULL, *p = NULL, *gen = NULL;
	BN_CTX *bnctx = NULL;
	EVP_PKEY *params = NULL;

	if (!dh)
		return NULL;
	g = dh->g;
	if (g->kind == DH_X25519) {
		dh->key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL,
						       priv, len);
		if (!dh->key)
			goto out;
		return dh;
	}
	x = BN_bin2bn(priv, (int)len, NULL);
	bnctx = BN_CTX_new();
	if (!x || !bnctx)
		goto out;
	if (g->kind == DH_MODP) {
		/* y = g^x mod p with the group's own p and g. */
		params = key_fromdata(g, EVP_PKEY_KEY_PARAMETERS, NULL, 0,
				      NULL, NULL);
		y = BN_new();
		if (!params || !y ||
		    !EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, &p) ||
		    !EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_G,
					   &gen) ||
		    !BN_mod_exp(y, gen, x, p, bnctx))
			goto out;
		dh->key = key_fromdata(g, EVP_PKEY_KEYPAIR, NULL, 0, y, x);
	} else {
		/* ECP: the caller supplies the matching public x | y. */
		uint8_t enc[1 + 2 * 66];

		if (!pub || publen != 2 * g->len)
			goto out;
		enc[0] = 0x04;
		memcpy(enc + 1, pub, publen);
		dh->key = key_fromdata(g, EVP_PKEY_KEYPAIR, enc, publen + 1,
				       NULL, x);
	}
out:	/* dh->key is set on success only */
	BN_clear_free(x);
	BN_free(y);
	BN_free(p);
	BN_free(gen);
	BN_CTX_free(bnctx);
	EVP_PKEY_free(params);
	if (!dh->key) {
		ike_dh_free(dh);
		return NULL;
	}
	return dh;
}

int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t len)
{
	const struct dh_group *g = dh->g;
	uint8_t enc[1 + 2 * 66];
	size_t elen = 0;

	if (len != ike_dh_public_len(g->id))
		return IKE_E_INVAL;
	switch (g->kind) {
	case DH_MODP: {
		BIGNUM *y = NULL;
		int ok;

		if (!EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY,
					   &y))
			return IKE_E_CRYPTO;
		ok = BN_bn2binpad(y, out, (int)len) == (int)len;
		BN_free(y);
		return ok ? IKE_OK : IKE_E_CRYPTO;
	}
	case DH_ECP:
		if (!EVP_PKEY_get_octet_string_param(dh->key,
				OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
				enc, sizeof(enc), &elen) ||
		    elen != len + 1 || enc[0] != 0x04)
			return IKE_E_CRYPTO;
		memcpy(out, enc + 1, len);
		return IKE_OK;
	case DH_X25519:
		elen = len;
		if (!EVP_PKEY_get_raw_public_key(dh->key, out, &elen) ||
		    elen != len)
			return IKE_E_CRYPTO;
		return IKE_OK;
	}
	return IKE_E_UNSUPPORTED;
}

static EVP_PKEY *peer_key(const struct dh_group *g, const uint8_t *peer,
			  size_t plen)
{
	EVP_PKEY *key = NULL;

	switch (g->kind) {
	case DH_MODP: {
		BIGNUM *y = BN_bin2bn(peer, (int)plen, NULL);

		if (y)
			key = key_fromdata(g, EVP_PKEY_PUBLIC_KEY, NULL, 0, y,
					   NULL);
		BN_free(y);
		break;
	}
	case DH_ECP: {
		uint8_t enc[1 + 2 * 66];

		enc[0] = 0x04;
		memcpy(enc + 1, peer, plen);
		key = key_fromdata(g, EVP_PKEY_PUBLIC_KEY, enc, plen + 1,
				   NULL, NULL);
		break;
	}
	case DH_X25519:
		key = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer,
						  plen);
		break;
	}
	return key;
}

int ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer, size_t plen,
		  uint8_t *out, size_t len)
{
	const struct dh_group *g = dh->g;
	EVP_PKEY *pk;
	EVP_PKEY_CTX *ctx = NULL;
	size_t olen = len;
	int ret = IKE_E_CRYPTO;

	if (plen != ike_dh_public_len(g->id))
		return IKE_E_LENGTH;
	if (len != g->len)
		return IKE_E_INVAL;
	pk = peer_key(g, peer, plen);
	if (!pk)
		return IKE_E_CRYPTO;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
	/*
	 * Reject invalid peer values: for MODP 1 < y < p-1 and y^q = 1
	 * (the groups are safe primes); for ECP a point on the curve.
	 */
	if (!ctx || (g->kind != DH_X25519 && EVP_PKEY_public_check(ctx) != 1))
		goto out;
	EVP_PKEY_CTX_free(ctx);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	if (g->kind == DH_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer(ctx, pk) <= 0 ||
	    EVP_PKEY_derive(ctx, out, &olen) <= 0 || olen != len) {
		OPENSSL_cleanse(out, len);
		goto out;
	}
	if (g->kind == DH_X25519) {
		uint8_t acc = 0;

		/* RFC 8031 2.3: an all-zero result must be rejected. */
		for (size_t i = 0; i < len; i++)
			acc |= out[i];
		if (!acc)
			goto out;
	}
	ret = IKE_OK;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ret;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}
