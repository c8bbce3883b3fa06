/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKE proposals written the way swanctl.conf writes them, e.g.
 * "aes256-sha256-modp2048,aes256gcm16-prfsha384-ecp384", turned into SA
 * payload proposals; and selection of the responder's choice.
 */
#ifndef SPIREC_IKE_PROPOSAL_H
#define SPIREC_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>

#include "payloads.h"
#include "suite.h"

/* Used when the configuration names no proposal. */
#define IKE_DEFAULT_PROPOSALS \
	"aes256gcm16-prfsha256-x25519-ecp256-modp3072-modp2048," \
	"aes256-sha256-x25519-ecp256-modp3072-modp2048"

/*
 * Parse a comma-separated list of proposals. Each proposal is a
 * dash-separated list of algorithm keywords; at least one encryption
 * algorithm and one DH group; an integrity algorithm unless the cipher
 * is AEAD; the PRF defaults to the integrity algorithm's hash (AEAD
 * proposals must name one). On error returns a negative enum ike_err and
 * writes a message naming the bad keyword into @err.
 */
int ike_proposals_parse(const char *str, struct ike_sa_payload *out,
			char *err, size_t errlen);

/* The DH group of the first proposal (used for our KE payload). */
uint16_t ike_proposals_first_group(const struct ike_sa_payload *offered);
bool ike_proposals_have_group(const struct ike_sa_payload *offered,
			      uint16_t group);

/*
 * Check the responder's SA payload against what we offered (RFC 7296
 * 2.7, 3.3.6): one proposal, one of our proposal numbers, protocol IKE,
 * exactly one transform of each needed type, each one we offered in that
 * proposal. Fills @suite.
 */
int ike_proposal_select(const struct ike_sa_payload *offered,
			const struct ike_sa_payload *resp,
			struct ike_suite *suite, char *err, size_t errlen);

/* "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" style. */
void ike_suite_format(const struct ike_suite *s, char *buf, size_t len);

#endif
