/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IKEv2 suites the crypto tests and the decrypt fuzzer go through. */
#ifndef SPIREC_IKE_TEST_SUITES_H
#define SPIREC_IKE_TEST_SUITES_H

#include "../proto.h"
#include "../suite.h"

static const struct ike_suite test_suites[] = {
	{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128,
	  IKE_PRF_HMAC_SHA2_256, IKE_DH_MODP2048 },
	{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_384_192,
	  IKE_PRF_HMAC_SHA2_384, IKE_DH_ECP384 },
	{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256,
	  IKE_PRF_HMAC_SHA2_512, IKE_DH_ECP521 },
	{ IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE,
	  IKE_PRF_HMAC_SHA2_256, IKE_DH_CURVE25519 },
	{ IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE,
	  IKE_PRF_HMAC_SHA2_384, IKE_DH_ECP384 },
};

#define TEST_N_SUITES	(sizeof(test_suites) / sizeof(test_suites[0]))

#endif
