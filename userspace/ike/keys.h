/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKE SA key material (RFC 7296 2.14) and the shared-key AUTH value
 * (2.15).
 */
#ifndef SPIREC_IKE_KEYS_H
#define SPIREC_IKE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto_aead.h"
#include "prf.h"
#include "suite.h"

struct ike_keys {
	size_t prf_len, integ_len, encr_len;
	uint8_t sk_d[IKE_PRF_MAX_LEN];
	uint8_t sk_ai[IKE_KEY_MAX], sk_ar[IKE_KEY_MAX];
	uint8_t sk_ei[IKE_KEY_MAX], sk_er[IKE_KEY_MAX];
	uint8_t sk_pi[IKE_PRF_MAX_LEN], sk_pr[IKE_PRF_MAX_LEN];
};

/*
 * SKEYSEED = prf(Ni | Nr, g^ir), then {SK_d | SK_ai | SK_ar | SK_ei |
 * SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). If
 * @skeyseed is not NULL it receives SKEYSEED (prf length) for tests.
 */
int ike_derive_keys(const struct ike_suite *s,
		    const uint8_t *ni, size_t ni_len,
		    const uint8_t *nr, size_t nr_len,
		    const uint8_t *gir, size_t gir_len,
		    uint64_t spi_i, uint64_t spi_r,
		    struct ike_keys *keys, uint8_t *skeyseed);

/*
 * AUTH = prf(prf(PSK, "Key Pad for IKEv2"), <msg> | <nonce> |
 *            prf(SK_p, <ID payload body>))
 * where msg is the sender's IKE_SA_INIT message and nonce the peer's.
 * @out gets ike_prf_len(prf) bytes.
 */
int ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len,
		 const uint8_t *msg, size_t msg_len,
		 const uint8_t *nonce, size_t nonce_len,
		 const uint8_t *sk_p, const uint8_t *id_body, size_t id_len,
		 uint8_t *out);

void ike_keys_wipe(struct ike_keys *keys);

#endif
