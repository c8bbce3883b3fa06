/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The negotiated IKE SA algorithms: one transform of each type. */
#ifndef SPIREC_IKE_SUITE_H
#define SPIREC_IKE_SUITE_H

#include <stdint.h>

struct ike_suite {
	uint16_t encr;		/* IKE_ENCR_* */
	uint16_t encr_keylen;	/* bits: 128 or 256 */
	uint16_t integ;		/* IKE_INTEG_*, IKE_INTEG_NONE for AEAD */
	uint16_t prf;		/* IKE_PRF_* */
	uint16_t dh;		/* IKE_DH_* */
};

#endif
