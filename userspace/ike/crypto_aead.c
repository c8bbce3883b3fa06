// SPDX-License-Identifier: GPL-2.0-or-later
/* Encrypted (SK) payload protection: AES-CBC + HMAC-SHA2, AES-GCM-16. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto_aead.h"
#include "err.h"
#include "prf.h"
#include "proto.h"

#define AES_BLOCK 16
#define GCM_IV_LEN 8
#define GCM_ICV_LEN 16

bool ike_encr_is_aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_16;
}

static const char *integ_digest(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA2_256_128: return "SHA256";
	case IKE_INTEG_HMAC_SHA2_384_192: return "SHA384";
	case IKE_INTEG_HMAC_SHA2_512_256: return "SHA512";
	}
	return NULL;
}

size_t ike_integ_key_len(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA2_256_128: return 32;
	case IKE_INTEG_HMAC_SHA2_384_192: return 48;
	case IKE_INTEG_HMAC_SHA2_512_256: return 64;
	}
	return 0;
}

static size_t integ_icv_len(uint16_t integ)
{
	return ike_integ_key_len(integ) / 2;
}

static const EVP_CIPHER *cipher(const struct ike_suite *s)
{
	bool k256 = s->encr_keylen == 256;

	if (s->encr_keylen != 128 && s->encr_keylen != 256)
		return NULL;
	switch (s->encr) {
	case IKE_ENCR_AES_CBC:
		return k256 ? EVP_aes_256_cbc() : EVP_aes_128_cbc();
	case IKE_ENCR_AES_GCM_16:
		return k256 ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
	}
	return NULL;
}

bool ike_suite_supported(const struct ike_suite *s)
{
	if (!cipher(s) || !ike_prf_len(s->prf))
		return false;
	if (ike_encr_is_aead(s->encr))
		return s->integ == IKE_INTEG_NONE;
	return integ_digest(s->integ) != NULL;
}

size_t ike_encr_key_len(const struct ike_suite *s)
{
	return s->encr_keylen / 8 +
	       (ike_encr_is_aead(s->encr) ? IKE_GCM_SALT_LEN : 0);
}

size_t ike_sk_iv_len(const struct ike_suite *s)
{
	return ike_encr_is_aead(s->encr) ? GCM_IV_LEN : AES_BLOCK;
}

size_t ike_sk_icv_len(const struct ike_suite *s)
{
	return ike_encr_is_aead(s->encr) ? GCM_ICV_LEN :
					   integ_icv_len(s->integ);
}

static size_t padded_len(const struct ike_suite *s, size_t plain_len)
{
	/* Plaintext, Padding, Pad Length (one byte). */
	size_t n = plain_len + 1;

	if (!ike_encr_is_aead(s->encr))
		n = (n + AES_BLOCK - 1) / AES_BLOCK * AES_BLOCK;
	return n;
}

size_t ike_sk_body_len(const struct ike_suite *s, size_t plain_len)
{
	return ike_sk_iv_len(s) + padded_len(s, plain_len) +
	       ike_sk_icv_len(s);
}

static int cbc_crypt(const struct ike_suite *s, int enc, const uint8_t *key,
		     const uint8_t *iv, const uint8_t *in, size_t len,
		     uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0, ok;

	if (!ctx)
		return IKE_E_CRYPTO;
	ok = EVP_CipherInit_ex(ctx, cipher(s), NULL, key, iv, enc) &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	     EVP_CipherUpdate(ctx, out, &l1, in, (int)len) &&
	     EVP_CipherFinal_ex(ctx, out + l1, &l2) &&
	     (size_t)(l1 + l2) == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? IKE_OK : IKE_E_CRYPTO;
}

static int gcm_crypt(const struct ike_suite *s, int enc, const uint8_t *key,
		     const uint8_t *iv, const uint8_t *aad, size_t aad_len,
		     const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
	size_t klen = s->encr_keylen / 8;
	uint8_t nonce[IKE_GCM_SALT_LEN + GCM_IV_LEN];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l = 0, ok;

	if (!ctx)
		return IKE_E_CRYPTO;
	/* Nonce = salt (last 4 bytes of SK_e) | explicit IV (5282 4). */
	memcpy(nonce, key + klen, IKE_GCM_SALT_LEN);
	memcpy(nonce + IKE_GCM_SALT_LEN, iv, GCM_IV_LEN);
	ok = EVP_CipherInit_ex(ctx, cipher(s), NULL, NULL, NULL, enc) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, sizeof(nonce),
				 NULL) &&
	     EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) &&
	     EVP_CipherUpdate(ctx, NULL, &l, aad, (int)aad_len);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
					 GCM_ICV_LEN, tag);
	if (ok)
		ok = EVP_CipherUpdate(ctx, out, &l, in, (int)len) &&
		     (size_t)l == len;
	/* For decryption this is where the tag is verified. */
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, out + l, &l) && l == 0;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
					 GCM_ICV_LEN, tag);
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(nonce, sizeof(nonce));	/* holds the salt */
	if (!ok) {
		OPENSSL_cleanse(out, len);
		return enc ? IKE_E_CRYPTO : IKE_E_INTEGRITY;
	}
	return IKE_OK;
}

int ike_sk_seal(const struct ike_suite *s, const uint8_t *ekey,
		const uint8_t *akey, uint8_t *msg, size_t aad_len,
		const uint8_t *plain, size_t plain_len)
{
	size_t ivl = ike_sk_iv_len(s), icvl = ike_sk_icv_len(s);
	size_t clen = padded_len(s, plain_len);
	uint8_t *iv = msg + aad_len, *ct = iv + ivl, *icv = ct + clen;
	int err;

	if (!ike_suite_supported(s))
		return IKE_E_UNSUPPORTED;
	if (RAND_bytes(iv, (int)ivl) != 1)
		return IKE_E_CRYPTO;
	/* Build plaintext | zero padding | pad length in place. */
	memmove(ct, plain, plain_len);
	memset(ct + plain_len, 0, clen - plain_len);
	ct[clen - 1] = (uint8_t)(clen - plain_len - 1);
	if (ike_encr_is_aead(s->encr))
		return gcm_crypt(s, 1, ekey, iv, msg, aad_len, ct, clen, ct,
				 icv);
	err = cbc_crypt(s, 1, ekey, iv, ct, clen, ct);
	if (err)
		return err;
	{
		struct ike_chunk c = { msg, aad_len + ivl + clen };

		return ike_hmac_digest(integ_digest(s->integ), akey,
				       ike_integ_key_len(s->integ), &c, 1,
				       icv, icvl);
	}
}

int ike_sk_open(const struct ike_suite *s, const uint8_t *ekey,
		const uint8_t *akey, const uint8_t *msg, size_t len,
		size_t body_off, uint8_t *out, size_t *out_len)
{
	size_t ivl = ike_sk_iv_len(s), icvl = ike_sk_icv_len(s);
	const uint8_t *iv, *ct, *icv;
	size_t clen, padlen;
	int err;

	if (!ike_suite_supported(s))
		return IKE_E_UNSUPPORTED;
	if (body_off > len || len - body_off < ivl + icvl + 1)
		return IKE_E_TRUNCATED;
	iv = msg + body_off;
	ct = iv + ivl;
	clen = len - body_off - ivl - icvl;
	icv = ct + clen;
	if (ike_encr_is_aead(s->encr)) {
		uint8_t tag[GCM_ICV_LEN];

		memcpy(tag, icv, sizeof(tag));
		err = gcm_crypt(s, 0, ekey, iv, msg, body_off, ct, clen, out,
				tag);
		if (err)
			return err;
	} else {
		uint8_t mac[32];
		struct ike_chunk c = { msg, len - icvl };

		err = ike_hmac_digest(integ_digest(s->integ), akey,
				      ike_integ_key_len(s->integ), &c, 1,
				      mac, icvl);
		if (err)
			return err;
		if (CRYPTO_memcmp(mac, icv, icvl) != 0)
			return IKE_E_INTEGRITY;
		/* Authentic; only now is the ciphertext looked at. */
		if (clen % AES_BLOCK)
			return IKE_E_LENGTH;
		err = cbc_crypt(s, 0, ekey, iv, ct, clen, out);
		if (err)
			return err;
	}
	padlen = out[clen - 1];
	if (padlen + 1 > clen) {
		OPENSSL_cleanse(out, clen);
		return IKE_E_SYNTAX;
	}
	*out_len = clen - padlen - 1;
	return IKE_OK;
}
