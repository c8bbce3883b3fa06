// SPDX-License-Identifier: GPL-2.0-or-later
/* IKEv1 hash, PRF and CBC ciphers (RFC 2409 appendix A and B). */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto_dh.h"
#include "err.h"
#include "v1_crypto.h"
#include "v1_proto.h"

static const char *digest_name(uint16_t hash)
{
	switch (hash) {
	case IKE_V1_HASH_SHA1: return "SHA1";
	case IKE_V1_HASH_SHA2_256: return "SHA256";
	case IKE_V1_HASH_SHA2_384: return "SHA384";
	case IKE_V1_HASH_SHA2_512: return "SHA512";
	}
	return NULL;
}

size_t ike_v1_hash_len(uint16_t hash)
{
	switch (hash) {
	case IKE_V1_HASH_SHA1: return 20;
	case IKE_V1_HASH_SHA2_256: return 32;
	case IKE_V1_HASH_SHA2_384: return 48;
	case IKE_V1_HASH_SHA2_512: return 64;
	}
	return 0;
}

int ike_v1_prf(uint16_t hash, const uint8_t *key, size_t klen,
	       const struct ike_chunk *data, size_t n, uint8_t *out)
{
	const char *md = digest_name(hash);

	if (!md)
		return IKE_E_UNSUPPORTED;
	return ike_hmac_digest(md, key, klen, data, n, out,
			       ike_v1_hash_len(hash));
}

int ike_v1_hash(uint16_t hash, const struct ike_chunk *data, size_t n,
		uint8_t *out)
{
	const char *name = digest_name(hash);
	EVP_MD_CTX *ctx;
	EVP_MD *md;
	unsigned int olen = 0;
	int ret = IKE_E_CRYPTO;

	if (!name)
		return IKE_E_UNSUPPORTED;
	md = EVP_MD_fetch(NULL, name, NULL);
	ctx = EVP_MD_CTX_new();
	if (!md || !ctx || !EVP_DigestInit_ex(ctx, md, NULL))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (data[i].len && !EVP_DigestUpdate(ctx, data[i].p,
						     data[i].len))
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &olen) &&
	    olen == ike_v1_hash_len(hash))
		ret = IKE_OK;
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return ret;
}

size_t ike_v1_block_len(uint16_t encr)
{
	switch (encr) {
	case IKE_V1_ENCR_AES_CBC: return 16;
	case IKE_V1_ENCR_3DES_CBC: return 8;
	}
	return 0;
}

size_t ike_v1_key_len(uint16_t encr, uint16_t keylen_bits)
{
	switch (encr) {
	case IKE_V1_ENCR_AES_CBC:
		if (keylen_bits == 128 || keylen_bits == 192 ||
		    keylen_bits == 256)
			return keylen_bits / 8;
		return 0;
	case IKE_V1_ENCR_3DES_CBC:
		return keylen_bits == 0 || keylen_bits == 192 ? 24 : 0;
	}
	return 0;
}

bool ike_v1_suite_supported(const struct ike_v1_suite *s)
{
	return ike_v1_key_len(s->encr, s->keylen) &&
	       ike_v1_hash_len(s->hash) && ike_dh_supported(s->group);
}

static const char *cipher_name(uint16_t encr, size_t klen)
{
	if (encr == IKE_V1_ENCR_3DES_CBC && klen == 24)
		return "DES-EDE3-CBC";
	if (encr != IKE_V1_ENCR_AES_CBC)
		return NULL;
	switch (klen) {
	case 16: return "AES-128-CBC";
	case 24: return "AES-192-CBC";
	case 32: return "AES-256-CBC";
	}
	return NULL;
}

int ike_v1_cbc(uint16_t encr, const uint8_t *key, size_t klen, uint8_t *iv,
	       uint8_t *buf, size_t len, bool encrypt)
{
	const char *name = cipher_name(encr, klen);
	size_t bs = ike_v1_block_len(encr);
	uint8_t next_iv[IKE_V1_BLOCK_MAX];
	EVP_CIPHER_CTX *ctx = NULL;
	EVP_CIPHER *cipher = NULL;
	int outl = 0, ret = IKE_E_CRYPTO;

	if (!name || !bs)
		return IKE_E_UNSUPPORTED;
	if (!len || len % bs || len > 0x7fffffff)
		return IKE_E_LENGTH;
	/* Decrypting in place: keep the last ciphertext block first. */
	if (!encrypt)
		memcpy(next_iv, buf + len - bs, bs);
	cipher = EVP_CIPHER_fetch(NULL, name, NULL);
	ctx = EVP_CIPHER_CTX_new();
	if (!cipher || !ctx ||
	    !EVP_CipherInit_ex2(ctx, cipher, key, iv, encrypt ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, buf, &outl, buf, (int)len) ||
	    (size_t)outl != len)
		goto out;
	if (encrypt)
		memcpy(next_iv, buf + len - bs, bs);
	memcpy(iv, next_iv, bs);
	ret = IKE_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return ret;
}
