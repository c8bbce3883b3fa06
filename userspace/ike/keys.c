// SPDX-License-Identifier: GPL-2.0-or-later
/* IKE SA key derivation (RFC 7296 2.13, 2.14) and PSK AUTH (2.15). */
#include <string.h>

#include <openssl/crypto.h>

#include "codec.h"
#include "err.h"
#include "keys.h"

#define KEYMAT_MAX (3 * IKE_PRF_MAX_LEN + 4 * IKE_KEY_MAX)

int ike_derive_keys(const struct ike_suite *s,
		    const uint8_t *ni, size_t ni_len,
		    const uint8_t *nr, size_t nr_len,
		    const uint8_t *gir, size_t gir_len,
		    uint64_t spi_i, uint64_t spi_r,
		    struct ike_keys *keys, uint8_t *skeyseed)
{
	uint8_t seed[2 * 256 + 16], sks[IKE_PRF_MAX_LEN];
	uint8_t keymat[KEYMAT_MAX];
	size_t plen = ike_prf_len(s->prf), total, off = 0;
	int err;

	if (!ike_suite_supported(s))
		return IKE_E_UNSUPPORTED;
	if (ni_len > 256 || nr_len > 256)
		return IKE_E_INVAL;
	memset(keys, 0, sizeof(*keys));
	keys->prf_len = plen;
	keys->integ_len = ike_integ_key_len(s->integ);
	keys->encr_len = ike_encr_key_len(s);

	/* The key of this prf is Ni | Nr (2.14; HMAC takes any length). */
	memcpy(seed, ni, ni_len);
	memcpy(seed + ni_len, nr, nr_len);
	{
		struct ike_chunk c = { gir, gir_len };

		err = ike_prf(s->prf, seed, ni_len + nr_len, &c, 1, sks);
	}
	if (err)
		goto out;
	ike_put64(seed + ni_len + nr_len, spi_i);
	ike_put64(seed + ni_len + nr_len + 8, spi_r);
	total = 3 * plen + 2 * keys->integ_len + 2 * keys->encr_len;
	err = ike_prf_plus(s->prf, sks, plen, seed, ni_len + nr_len + 16,
			   keymat, total);
	if (err)
		goto out;
#define TAKE(dst, n) do { memcpy(dst, keymat + off, n); off += n; } while (0)
	TAKE(keys->sk_d, plen);
	TAKE(keys->sk_ai, keys->integ_len);
	TAKE(keys->sk_ar, keys->integ_len);
	TAKE(keys->sk_ei, keys->encr_len);
	TAKE(keys->sk_er, keys->encr_len);
	TAKE(keys->sk_pi, plen);
	TAKE(keys->sk_pr, plen);
#undef TAKE
	if (skeyseed)
		memcpy(skeyseed, sks, plen);
out:
	OPENSSL_cleanse(seed, sizeof(seed));
	OPENSSL_cleanse(sks, sizeof(sks));
	OPENSSL_cleanse(keymat, sizeof(keymat));
	if (err)
		ike_keys_wipe(keys);
	return err;
}

int ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len,
		 const uint8_t *msg, size_t msg_len,
		 const uint8_t *nonce, size_t nonce_len,
		 const uint8_t *sk_p, const uint8_t *id_body, size_t id_len,
		 uint8_t *out)
{
	static const char pad[] = "Key Pad for IKEv2";
	uint8_t macid[IKE_PRF_MAX_LEN], key[IKE_PRF_MAX_LEN];
	size_t plen = ike_prf_len(prf);
	int err;

	if (!plen)
		return IKE_E_UNSUPPORTED;
	{
		struct ike_chunk c = { id_body, id_len };

		err = ike_prf(prf, sk_p, plen, &c, 1, macid);
	}
	if (!err) {
		struct ike_chunk c = { (const uint8_t *)pad, sizeof(pad) - 1 };

		err = ike_prf(prf, psk, psk_len, &c, 1, key);
	}
	if (!err) {
		struct ike_chunk c[3] = {
			{ msg, msg_len }, { nonce, nonce_len }, { macid, plen },
		};

		err = ike_prf(prf, key, plen, c, 3, out);
	}
	OPENSSL_cleanse(macid, sizeof(macid));
	OPENSSL_cleanse(key, sizeof(key));
	return err;
}

void ike_keys_wipe(struct ike_keys *keys)
{
	OPENSSL_cleanse(keys, sizeof(*keys));
}
