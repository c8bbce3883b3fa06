/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protection of the Encrypted (SK) payload (RFC 7296 3.14): AES-CBC with
 * HMAC-SHA2 (RFC 3602, RFC 4868) and AES-GCM with a 16-byte ICV
 * (RFC 5282), OpenSSL 3 EVP only.
 */
#ifndef SPIREC_IKE_CRYPTO_AEAD_H
#define SPIREC_IKE_CRYPTO_AEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "suite.h"

#define IKE_GCM_SALT_LEN 4
#define IKE_KEY_MAX 64

/* True if @s names algorithms this implementation supports. */
bool ike_suite_supported(const struct ike_suite *s);
bool ike_encr_is_aead(uint16_t encr);
/* SK_e length: the cipher key, plus the 4-byte salt for GCM (5282 7.1). */
size_t ike_encr_key_len(const struct ike_suite *s);
/* SK_a length, 0 for AEAD ciphers. */
size_t ike_integ_key_len(uint16_t integ);
size_t ike_sk_iv_len(const struct ike_suite *s);
size_t ike_sk_icv_len(const struct ike_suite *s);
/* Bytes of SK payload body (IV, ciphertext, ICV) for @plain_len bytes. */
size_t ike_sk_body_len(const struct ike_suite *s, size_t plain_len);

/*
 * Encrypt @plain into the SK payload body at @msg + @aad_len. @msg holds
 * the message from its IKE header through the SK payload's generic
 * header (@aad_len bytes), with every length field already final; the
 * buffer must have room for ike_sk_body_len() more bytes.
 */
int ike_sk_seal(const struct ike_suite *s, const uint8_t *ekey,
		const uint8_t *akey, uint8_t *msg, size_t aad_len,
		const uint8_t *plain, size_t plain_len);

/*
 * Verify and decrypt a message of @len bytes whose SK body starts at
 * @body_off. The ICV is checked before anything is decrypted (CBC) or
 * before any plaintext is returned (GCM). On success the inner payloads,
 * without padding, are in @out (room for @len bytes) and *@out_len.
 */
int ike_sk_open(const struct ike_suite *s, const uint8_t *ekey,
		const uint8_t *akey, const uint8_t *msg, size_t len,
		size_t body_off, uint8_t *out, size_t *out_len);

#endif
