/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error codes shared by the IKEv2 and IKEv1 codec, crypto and exchange code. */
#ifndef SPIREC_IKE_ERR_H
#define SPIREC_IKE_ERR_H

enum ike_err {
	IKE_OK = 0,
	IKE_E_TRUNCATED = -1,	/* fewer bytes than a header or length says */
	IKE_E_LENGTH = -2,	/* a length field is impossible */
	IKE_E_VERSION = -3,	/* major version is not 2 */
	IKE_E_CRITICAL = -4,	/* unknown payload with the critical bit */
	IKE_E_TOO_MANY = -5,	/* more items than we are willing to hold */
	IKE_E_SYNTAX = -6,	/* other malformed content */
	IKE_E_SPACE = -7,	/* output buffer too small */
	IKE_E_CRYPTO = -8,	/* OpenSSL failed */
	IKE_E_INTEGRITY = -9,	/* ICV/tag did not verify */
	IKE_E_UNSUPPORTED = -10,	/* algorithm/group/type we do not implement */
	IKE_E_INVAL = -11,	/* bad argument */
	/* Outcomes of an exchange's request/response round. */
	IKE_E_TIMEOUT = -12,	/* no (valid) answer after every try */
	IKE_E_PEER_DELETED = -13,	/* the peer deleted the IKE SA */
	IKE_E_NETWORK = -14,	/* the socket failed */
	/* A step of an exchange failed; why is in its struct ike_result. */
	IKE_E_FAILED = -15,
	/* Not for this round: keep waiting (ike_run_round()'s @take). */
	IKE_E_AGAIN = -16,
};

const char *ike_strerror(int err);

#endif
