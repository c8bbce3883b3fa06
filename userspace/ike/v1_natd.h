/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 NAT traversal (RFC 3947): the vendor ID announcing it and the
 * NAT-D hashes, HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash.
 */
#ifndef SPIREC_IKE_V1_NATD_H
#define SPIREC_IKE_V1_NATD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "v1_crypto.h"

/* MD5("RFC 3947") */
#define IKE_V1_VID_RFC3947_LEN 16
extern const uint8_t ike_v1_vid_rfc3947[IKE_V1_VID_RFC3947_LEN];

/* @out gets ike_v1_hash_len(@hash) bytes. */
int ike_v1_natd_hash(uint16_t hash, uint64_t cky_i, uint64_t cky_r,
		     const struct sockaddr *sa, uint8_t *out);

#endif
