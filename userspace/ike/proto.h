/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv2 protocol numbers (RFC 7296 section 3 and the IANA IKEv2 registries)
 * used by spirec's initiator.
 */
#ifndef SPIREC_IKE_PROTO_H
#define SPIREC_IKE_PROTO_H

#define IKE_VERSION		0x20	/* major 2, minor 0 */
#define IKE_HDR_LEN		28
#define IKE_GEN_HDR_LEN		4
#define IKE_CRITICAL		0x80
#define IKE_NONESP_MARKER_LEN	4

/* Exchange types (3.1) */
#define IKE_SA_INIT		34
#define IKE_AUTH		35
#define IKE_CREATE_CHILD_SA	36
#define IKE_INFORMATIONAL	37

/* Header flags (3.1) */
#define IKE_FLAG_I		0x08
#define IKE_FLAG_V		0x10
#define IKE_FLAG_R		0x20

/* Payload types (3.2) */
#define IKE_PL_NONE		0
#define IKE_PL_SA		33
#define IKE_PL_KE		34
#define IKE_PL_IDI		35
#define IKE_PL_IDR		36
#define IKE_PL_CERT		37
#define IKE_PL_CERTREQ		38
#define IKE_PL_AUTH		39
#define IKE_PL_NONCE		40
#define IKE_PL_NOTIFY		41
#define IKE_PL_DELETE		42
#define IKE_PL_VENDOR		43
#define IKE_PL_TSI		44
#define IKE_PL_TSR		45
#define IKE_PL_SK		46
#define IKE_PL_CP		47
#define IKE_PL_EAP		48
#define IKE_PL_SKF		53	/* RFC 7383 */

/* Protocol IDs (3.3.1) */
#define IKE_PROTO_NONE		0
#define IKE_PROTO_IKE		1
#define IKE_PROTO_AH		2
#define IKE_PROTO_ESP		3

/* Transform types (3.3.2) */
#define IKE_TRANS_ENCR		1
#define IKE_TRANS_PRF		2
#define IKE_TRANS_INTEG		3
#define IKE_TRANS_DH		4
#define IKE_TRANS_ESN		5

#define IKE_ENCR_AES_CBC	12
#define IKE_ENCR_AES_GCM_16	20

#define IKE_PRF_HMAC_SHA2_256	5
#define IKE_PRF_HMAC_SHA2_384	6
#define IKE_PRF_HMAC_SHA2_512	7

#define IKE_INTEG_NONE			0
#define IKE_INTEG_HMAC_SHA2_256_128	12
#define IKE_INTEG_HMAC_SHA2_384_192	13
#define IKE_INTEG_HMAC_SHA2_512_256	14

#define IKE_DH_MODP1024		2	/* IKEv1 only */
#define IKE_DH_MODP1536		5	/* IKEv1 only */
#define IKE_DH_MODP2048		14
#define IKE_DH_MODP3072		15
#define IKE_DH_MODP4096		16
#define IKE_DH_ECP256		19
#define IKE_DH_ECP384		20
#define IKE_DH_ECP521		21
#define IKE_DH_CURVE25519	31

/* Transform attribute (3.3.5) */
#define IKE_ATTR_TV		0x8000
#define IKE_ATTR_KEY_LENGTH	14

/* Substructure markers (3.3.1, 3.3.2) */
#define IKE_LAST_PROPOSAL	0
#define IKE_MORE_PROPOSALS	2
#define IKE_LAST_TRANSFORM	0
#define IKE_MORE_TRANSFORMS	3

/* Identification types (3.5) */
#define IKE_ID_IPV4_ADDR	1
#define IKE_ID_FQDN		2
#define IKE_ID_RFC822_ADDR	3
#define IKE_ID_IPV6_ADDR	5
#define IKE_ID_DER_ASN1_DN	9
#define IKE_ID_KEY_ID		11

/* Authentication methods (3.8) */
#define IKE_AUTH_PSK		2

/* Notify message types (3.10.1) */
#define IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD	1
#define IKE_N_INVALID_IKE_SPI			4
#define IKE_N_INVALID_MAJOR_VERSION		5
#define IKE_N_INVALID_SYNTAX			7
#define IKE_N_INVALID_MESSAGE_ID		9
#define IKE_N_INVALID_SPI			11
#define IKE_N_NO_PROPOSAL_CHOSEN		14
#define IKE_N_INVALID_KE_PAYLOAD		17
#define IKE_N_AUTHENTICATION_FAILED		24
#define IKE_N_SINGLE_PAIR_REQUIRED		34
#define IKE_N_NO_ADDITIONAL_SAS			35
#define IKE_N_INTERNAL_ADDRESS_FAILURE		36
#define IKE_N_FAILED_CP_REQUIRED		37
#define IKE_N_TS_UNACCEPTABLE			38
#define IKE_N_INVALID_SELECTORS			39
#define IKE_N_TEMPORARY_FAILURE			43
#define IKE_N_CHILD_SA_NOT_FOUND		44
#define IKE_N_ERROR_MAX				16383
#define IKE_N_INITIAL_CONTACT			16384
#define IKE_N_NAT_DETECTION_SOURCE_IP		16388
#define IKE_N_NAT_DETECTION_DESTINATION_IP	16389
#define IKE_N_COOKIE				16390
#define IKE_N_CHILDLESS_IKEV2_SUPPORTED		16418	/* RFC 6023 */

#define IKE_NONCE_MIN		16
#define IKE_NONCE_MAX		256
#define IKE_COOKIE_MAX		64

#endif
