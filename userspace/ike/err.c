// SPDX-License-Identifier: GPL-2.0-or-later
#include "err.h"

const char *ike_strerror(int err)
{
	switch (err) {
	case IKE_OK: return "success";
	case IKE_E_TRUNCATED: return "message truncated";
	case IKE_E_LENGTH: return "bad length field";
	case IKE_E_VERSION: return "unsupported IKE major version";
	case IKE_E_CRITICAL: return "unsupported critical payload";
	case IKE_E_TOO_MANY: return "too many items";
	case IKE_E_SYNTAX: return "malformed payload";
	case IKE_E_SPACE: return "output buffer too small";
	case IKE_E_CRYPTO: return "cryptographic operation failed";
	case IKE_E_INTEGRITY: return "integrity check failed";
	case IKE_E_UNSUPPORTED: return "unsupported algorithm or type";
	case IKE_E_INVAL: return "invalid argument";
	case IKE_E_TIMEOUT: return "no answer from the peer";
	case IKE_E_PEER_DELETED: return "peer deleted the IKE SA";
	case IKE_E_NETWORK: return "network error";
	case IKE_E_FAILED: return "exchange failed";
	case IKE_E_AGAIN: return "no answer yet";
	}
	return "unknown error";
}
