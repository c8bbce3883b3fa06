/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diffie-Hellman groups for IKEv2 KE payloads, OpenSSL 3 EVP only:
 * MODP 14/15/16 (RFC 3526), ECP 19/20/21 (RFC 5903: KE data is x | y,
 * the shared secret is x), Curve25519 31 (RFC 8031).
 */
#ifndef SPIREC_IKE_CRYPTO_DH_H
#define SPIREC_IKE_CRYPTO_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_DH_MAX_LEN 512	/* MODP-4096 public value */

struct ike_dh;

bool ike_dh_supported(uint16_t group);
/* Length in bytes of the KE data and of the shared secret. */
size_t ike_dh_public_len(uint16_t group);
size_t ike_dh_shared_len(uint16_t group);

/* New key pair; NULL if the group is unsupported or OpenSSL fails. */
struct ike_dh *ike_dh_new(uint16_t group);
/*
 * Key pair from a fixed private value (known-answer tests): big-endian
 * exponent/scalar for MODP/ECP, the 32 raw bytes for Curve25519. ECP
 * also needs the matching public value (x | y) in @pub; the others
 * ignore it.
 */
struct ike_dh *ike_dh_new_private(uint16_t group, const uint8_t *priv,
				  size_t len, const uint8_t *pub,
				  size_t publen);
uint16_t ike_dh_group(const struct ike_dh *dh);
/* Our KE data (ike_dh_public_len() bytes). */
int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t len);
/*
 * Validate the peer's KE data and compute the shared secret into @out
 * (ike_dh_shared_len() bytes, MODP left-padded with zeros).
 */
int ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer, size_t plen,
		  uint8_t *out, size_t len);
void ike_dh_free(struct ike_dh *dh);

#endif
