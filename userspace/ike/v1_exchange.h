/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the IKEv1 recovery exchange (v1_exchange.c: Main Mode,
 * v1_info.c: the protected Informational messages), exposed to each
 * other and to the unit tests.
 */
#ifndef SPIREC_IKE_V1_EXCHANGE_H
#define SPIREC_IKE_V1_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "v1_codec.h"
#include "v1_keys.h"

/*
 * Build the encrypted Informational of message ID @mid: HDR*, HASH(1),
 * then the payloads of @chain (an inner chain of Delete/Notification
 * payloads), IV hash(last phase-1 block | M-ID), zero padding. The
 * message goes into @out (cap @cap); returns its length or 0.
 */
size_t ike_v1_info_build(const struct ike_v1_suite *s,
			 const struct ike_v1_keys *k, uint64_t cky_i,
			 uint64_t cky_r, uint32_t mid,
			 const struct ike_builder *chain,
			 uint8_t *out, size_t cap);

/*
 * Open an encrypted Informational @msg (@len bytes, header checked by
 * the caller) on our ISAKMP SA: decrypt into @plain (room for @len
 * bytes), check HASH(1) and parse the payloads after it into @pl.
 * IKE_OK, or IKE_E_INTEGRITY when the hash does not verify.
 */
int ike_v1_info_open(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, const uint8_t *msg,
		     size_t len, uint8_t *plain, struct ike_payload_list *pl);

/*
 * Encrypt the payload chain @chain (first type @first) behind header @h
 * into @out with the IV @iv (updated to the last ciphertext block):
 * zero padding to the block length. Returns the message length or 0.
 */
size_t ike_v1_seal(const struct ike_v1_suite *s, const struct ike_v1_keys *k,
		   uint8_t *iv, const struct ike_header *h,
		   const uint8_t *chain, size_t chain_len, uint8_t first,
		   uint8_t *out, size_t cap);

/* The inner chain of the first Informational: D(@proto, @spi) and
 * N(INVALID-SPI, @proto, @spi); @proto IKE_V1_PROTO_ESP or _AH. */
int ike_v1_stale_info(struct ike_builder *b, uint8_t proto, uint32_t spi);

#endif
