/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 phase-1 proposals written the way swanctl.conf writes them for
 * `version = 1` connections ("aes128-sha1-modp2048,3des-sha1-modp1024"):
 * every combination of a proposal's ciphers, hashes and groups becomes
 * one KEY_IKE transform of our single ISAKMP proposal.
 */
#ifndef SPIREC_IKE_V1_PROPOSAL_H
#define SPIREC_IKE_V1_PROPOSAL_H

#include <stddef.h>

#include "v1_codec.h"
#include "v1_suite.h"

#define IKE_V1_DEFAULT_PROPOSALS \
	"aes256-aes128-sha256-sha1-modp2048-ecp256-modp3072," \
	"3des-sha1-modp1024"

/*
 * Parse a comma-separated list; each proposal needs at least one cipher
 * (aes128, aes192, aes256, aes = aes128, 3des), one hash (sha1/sha,
 * sha256, sha384, sha512; prfsha* name the same hashes) and one DH group
 * (modp1024, modp1536, modp2048, modp3072, modp4096, ecp256, ecp384,
 * ecp521, curve25519/x25519). AEAD ciphers and other keywords get an
 * error naming them. NULL or "" means IKE_V1_DEFAULT_PROPOSALS.
 */
int ike_v1_proposals_parse(const char *str, struct ike_v1_proposals *out,
			   char *err, size_t errlen);

/* "AES_CBC_128/HMAC_SHA1/MODP_2048" style. */
void ike_v1_suite_format(const struct ike_v1_suite *s, char *buf,
			 size_t len);

#endif
