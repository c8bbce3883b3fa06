// SPDX-License-Identifier: GPL-2.0-or-later
/* HMAC-SHA2 PRFs and prf+ (RFC 7296 2.13, RFC 4868). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "err.h"
#include "prf.h"
#include "proto.h"

static const char *prf_digest(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256: return "SHA256";
	case IKE_PRF_HMAC_SHA2_384: return "SHA384";
	case IKE_PRF_HMAC_SHA2_512: return "SHA512";
	}
	return NULL;
}

size_t ike_prf_len(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256: return 32;
	case IKE_PRF_HMAC_SHA2_384: return 48;
	case IKE_PRF_HMAC_SHA2_512: return 64;
	}
	return 0;
}

int ike_hmac_digest(const char *digest, const uint8_t *key, size_t klen,
		    const struct ike_chunk *data, size_t n,
		    uint8_t *out, size_t outlen)
{
	uint8_t full[EVP_MAX_MD_SIZE];
	OSSL_PARAM params[2];
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	size_t flen = 0;
	int ret = IKE_E_CRYPTO;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return IKE_E_CRYPTO;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* HMAC accepts an empty key; OpenSSL wants a non-NULL pointer. */
	if (!EVP_MAC_init(ctx, klen ? key : (const uint8_t *)"", klen, params))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (data[i].len && !EVP_MAC_update(ctx, data[i].p, data[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, full, &flen, sizeof(full)) || flen < outlen)
		goto out;
	memcpy(out, full, outlen);
	ret = IKE_OK;
out:
	OPENSSL_cleanse(full, sizeof(full));
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int ike_prf(uint16_t prf, const uint8_t *key, size_t klen,
	    const struct ike_chunk *data, size_t n, uint8_t *out)
{
	const char *md = prf_digest(prf);

	if (!md)
		return IKE_E_UNSUPPORTED;
	return ike_hmac_digest(md, key, klen, data, n, out, ike_prf_len(prf));
}

int ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
		 const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen)
{
	size_t hlen = ike_prf_len(prf), done = 0;
	uint8_t t[IKE_PRF_MAX_LEN];
	uint8_t counter = 1;
	int err = IKE_OK;

	if (!hlen)
		return IKE_E_UNSUPPORTED;
	if (outlen > hlen * 255)
		return IKE_E_INVAL;
	while (done < outlen) {
		struct ike_chunk in[3] = {
			{ t, counter == 1 ? 0 : hlen },
			{ seed, slen },
			{ &counter, 1 },
		};
		size_t take = outlen - done < hlen ? outlen - done : hlen;

		err = ike_prf(prf, key, klen, in, 3, t);
		if (err)
			break;
		memcpy(out + done, t, take);
		done += take;
		counter++;
	}
	OPENSSL_cleanse(t, sizeof(t));
	if (err)
		OPENSSL_cleanse(out, outlen);
	return err;
}
