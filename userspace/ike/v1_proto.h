/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 / ISAKMP protocol numbers (RFC 2408, RFC 2407 IPsec DOI,
 * RFC 2409 appendix A, RFC 3947 NAT-T) used by spirec's IKEv1 initiator.
 * The 28-byte header and the 4-byte generic payload header have the
 * IKEv2 layout (codec.h), with version 1.0 and no critical bit.
 */
#ifndef SPIREC_IKE_V1_PROTO_H
#define SPIREC_IKE_V1_PROTO_H

#define IKE_V1_VERSION		0x10	/* major 1, minor 0 */

/* Exchange types (2408 3.1) */
#define IKE_V1_EXCH_IDPROT	2	/* Main Mode */
#define IKE_V1_EXCH_AGGRESSIVE	4
#define IKE_V1_EXCH_INFO	5
#define IKE_V1_EXCH_QUICK	32

/* Header flags (2408 3.1) */
#define IKE_V1_FLAG_E		0x01	/* encrypted */
#define IKE_V1_FLAG_C		0x02	/* commit */
#define IKE_V1_FLAG_A		0x04	/* authentication only */

/* Payload types (2408 3.1, 3947) */
#define IKE_V1_PL_NONE		0
#define IKE_V1_PL_SA		1
#define IKE_V1_PL_P		2
#define IKE_V1_PL_T		3
#define IKE_V1_PL_KE		4
#define IKE_V1_PL_ID		5
#define IKE_V1_PL_CERT		6
#define IKE_V1_PL_CR		7
#define IKE_V1_PL_HASH		8
#define IKE_V1_PL_SIG		9
#define IKE_V1_PL_NONCE		10
#define IKE_V1_PL_N		11
#define IKE_V1_PL_D		12
#define IKE_V1_PL_VID		13
#define IKE_V1_PL_NATD		20	/* RFC 3947 */
#define IKE_V1_PL_NATOA		21

/* DOI and situation (2407 4.2) */
#define IKE_V1_DOI_IPSEC	1
#define IKE_V1_SIT_IDENTITY_ONLY 1

/* Protocol IDs (2407 4.4.1) */
#define IKE_V1_PROTO_ISAKMP	1
#define IKE_V1_PROTO_AH		2
#define IKE_V1_PROTO_ESP	3

/* Phase-1 transform ID (2407 4.4.2) */
#define IKE_V1_KEY_IKE		1

/* Phase-1 attribute classes and values (2409 appendix A) */
#define IKE_V1_ATTR_ENCR	1
#define IKE_V1_ATTR_HASH	2
#define IKE_V1_ATTR_AUTH	3
#define IKE_V1_ATTR_GROUP	4
#define IKE_V1_ATTR_LIFE_TYPE	11
#define IKE_V1_ATTR_LIFE_DUR	12
#define IKE_V1_ATTR_KEY_LENGTH	14

#define IKE_V1_ENCR_3DES_CBC	5
#define IKE_V1_ENCR_AES_CBC	7

#define IKE_V1_HASH_MD5		1
#define IKE_V1_HASH_SHA1	2
#define IKE_V1_HASH_SHA2_256	4
#define IKE_V1_HASH_SHA2_384	5
#define IKE_V1_HASH_SHA2_512	6

#define IKE_V1_AUTH_PSK		1
#define IKE_V1_LIFE_SECONDS	1

/* Notify message types (2408 3.14.1, 2407 4.6.3) */
#define IKE_V1_N_INVALID_PAYLOAD_TYPE	1
#define IKE_V1_N_INVALID_SPI		11
#define IKE_V1_N_NO_PROPOSAL_CHOSEN	14
#define IKE_V1_N_PAYLOAD_MALFORMED	16
#define IKE_V1_N_INVALID_KEY_INFO	17
#define IKE_V1_N_INVALID_ID_INFO	18
#define IKE_V1_N_AUTHENTICATION_FAILED	24
#define IKE_V1_N_INVALID_HASH_INFO	23
#define IKE_V1_N_ERROR_MAX		16383
#define IKE_V1_N_INITIAL_CONTACT	24578

/* Our proposal's lifetime: short, the SA is deleted at once anyway and
 * peers accept a lifetime at most their own (the seed's example is 180 s). */
#define IKE_V1_LIFETIME_S	180

#define IKE_V1_COOKIES_LEN	16
#define IKE_V1_NONCE_LEN	32
#define IKE_V1_NONCE_MIN	8
#define IKE_V1_NONCE_MAX	256

#endif
