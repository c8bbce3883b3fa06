/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One IKEv1 phase-1 transform: the algorithms of an ISAKMP SA. */
#ifndef SPIREC_IKE_V1_SUITE_H
#define SPIREC_IKE_V1_SUITE_H

#include <stdint.h>

struct ike_v1_suite {
	uint16_t encr;		/* IKE_V1_ENCR_* */
	uint16_t keylen;	/* bits: 128/192/256 for AES, 0 for 3DES */
	uint16_t hash;		/* IKE_V1_HASH_*; the PRF is its HMAC */
	uint16_t group;		/* DH group (IKE_DH_* numbering) */
};

#endif
