/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 primitives (RFC 2409): the negotiated hash and its HMAC as the
 * PRF, and the phase-1 ciphers (AES-CBC, 3DES-CBC) without padding, with
 * the IV carried from message to message. OpenSSL 3 EVP only.
 */
#ifndef SPIREC_IKE_V1_CRYPTO_H
#define SPIREC_IKE_V1_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prf.h"
#include "v1_suite.h"

#define IKE_V1_HASH_MAX	64
#define IKE_V1_BLOCK_MAX 16
#define IKE_V1_KEY_MAX	32

/* Output length of the hash (and PRF), 0 if unsupported. */
size_t ike_v1_hash_len(uint16_t hash);
/* HMAC-<hash> over the concatenation of @n chunks. */
int ike_v1_prf(uint16_t hash, const uint8_t *key, size_t klen,
	       const struct ike_chunk *data, size_t n, uint8_t *out);
/* Plain <hash> over the concatenation of @n chunks. */
int ike_v1_hash(uint16_t hash, const struct ike_chunk *data, size_t n,
		uint8_t *out);

/* Cipher block length and key length in bytes, 0 if unsupported. */
size_t ike_v1_block_len(uint16_t encr);
size_t ike_v1_key_len(uint16_t encr, uint16_t keylen_bits);
/* True if @s names algorithms (and a DH group) we implement. */
bool ike_v1_suite_supported(const struct ike_v1_suite *s);

/*
 * CBC over @len bytes (a multiple of the block length) in place. @iv
 * (block length) is the IV on entry and the last ciphertext block on
 * return, the IV of the next message of the phase (RFC 2409 B).
 */
int ike_v1_cbc(uint16_t encr, const uint8_t *key, size_t klen, uint8_t *iv,
	       uint8_t *buf, size_t len, bool encrypt);

#endif
