/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 phase-1 key material with a pre-shared key (RFC 2409 5, 5.4,
 * appendix B): SKEYID, SKEYID_d/a/e, the encryption key (expanded when
 * SKEYID_e is too short), the phase-1 IV, HASH_I/HASH_R, and for
 * Informational exchanges their IV and HASH(1) (5.7, RFC 2408 4.8).
 */
#ifndef SPIREC_IKE_V1_KEYS_H
#define SPIREC_IKE_V1_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "v1_crypto.h"
#include "v1_suite.h"

struct ike_v1_keys {
	size_t prf_len, key_len, block_len;
	uint8_t skeyid[IKE_V1_HASH_MAX];
	uint8_t skeyid_d[IKE_V1_HASH_MAX];
	uint8_t skeyid_a[IKE_V1_HASH_MAX];
	uint8_t skeyid_e[IKE_V1_HASH_MAX];
	uint8_t enc_key[IKE_V1_KEY_MAX];
	/* Phase-1 IV: hash(g^xi | g^xr) at first, then the last ciphertext
	 * block of each phase-1 message (ike_v1_cbc() updates it). */
	uint8_t iv[IKE_V1_BLOCK_MAX];
};

/*
 * What Main Mode exchanged, the input of its keys and hashes: the nonces,
 * the KE payload bodies g^xi and g^xr, the shared secret g^xy, the
 * cookies and SAi_b, the body of our SA payload.
 */
struct ike_v1_phase1 {
	const uint8_t *ni, *nr;
	size_t ni_len, nr_len;
	const uint8_t *gxi, *gxr, *gxy;
	size_t gxi_len, gxr_len, gxy_len;
	uint64_t cky_i, cky_r;
	const uint8_t *sai_b;
	size_t sai_len;
};

/*
 * SKEYID = prf(PSK, Ni_b | Nr_b)
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 * Ka = K1 | K2 | ... with K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1)
 * when SKEYID_e is shorter than the key; IV = hash(g^xi | g^xr).
 */
int ike_v1_derive_keys(const struct ike_v1_suite *s,
		       const uint8_t *psk, size_t psk_len,
		       const struct ike_v1_phase1 *p, struct ike_v1_keys *k);

/*
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * (@initiator selects which); @id_b is the ID payload body. @out gets
 * the PRF length.
 */
int ike_v1_auth_hash(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, bool initiator,
		     const struct ike_v1_phase1 *p, const uint8_t *id_b,
		     size_t id_len, uint8_t *out);

/* IV of an Informational (or Quick Mode) exchange with message ID @mid:
 * hash(last phase-1 block | M-ID), block length bytes into @iv. */
int ike_v1_phase2_iv(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, uint32_t mid, uint8_t *iv);

/* HASH(1) of an Informational: prf(SKEYID_a, M-ID | payloads), where
 * @pl is everything after the HASH payload (generic headers included). */
int ike_v1_info_hash(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, uint32_t mid,
		     const uint8_t *pl, size_t pl_len, uint8_t *out);

void ike_v1_keys_wipe(struct ike_v1_keys *k);

#endif
