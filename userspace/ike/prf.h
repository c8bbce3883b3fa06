/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv2 pseudo-random functions (RFC 7296 2.13): HMAC-SHA2-256/384/512
 * (RFC 4868) through OpenSSL's EVP_MAC, and prf+.
 */
#ifndef SPIREC_IKE_PRF_H
#define SPIREC_IKE_PRF_H

#include <stddef.h>
#include <stdint.h>

#define IKE_PRF_MAX_LEN 64

struct ike_chunk {
	const uint8_t *p;
	size_t len;
};

/* Output length of the PRF in bytes, 0 if unsupported. */
size_t ike_prf_len(uint16_t prf);

/* HMAC over the concatenation of @n chunks; @out gets ike_prf_len(). */
int ike_prf(uint16_t prf, const uint8_t *key, size_t klen,
	    const struct ike_chunk *data, size_t n, uint8_t *out);

/* HMAC with a digest named by an IKE integrity algorithm, truncated. */
int ike_hmac_digest(const char *digest, const uint8_t *key, size_t klen,
		    const struct ike_chunk *data, size_t n,
		    uint8_t *out, size_t outlen);

/* prf+ (2.13): @outlen bytes of T1 | T2 | ...; at most 255 blocks. */
int ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
		 const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen);

#endif
