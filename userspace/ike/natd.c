// SPDX-License-Identifier: GPL-2.0-or-later
/* NAT_DETECTION_*_IP hashes (RFC 7296 2.23). */
#include <netinet/in.h>
#include <string.h>

#include <openssl/evp.h>

#include "codec.h"
#include "err.h"
#include "natd.h"

int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct sockaddr *sa,
		  uint8_t out[IKE_NATD_LEN])
{
	uint8_t data[16 + 16 + 2];
	size_t len = 16;
	unsigned int olen = 0;

	ike_put64(data, spi_i);
	ike_put64(data + 8, spi_r);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		memcpy(data + len, &in->sin_addr, 4);
		len += 4;
		memcpy(data + len, &in->sin_port, 2);
	} else {
		const struct sockaddr_in6 *in6 =
			(const struct sockaddr_in6 *)sa;

		memcpy(data + len, &in6->sin6_addr, 16);
		len += 16;
		memcpy(data + len, &in6->sin6_port, 2);
	}
	len += 2;
	if (!EVP_Digest(data, len, out, &olen, EVP_sha1(), NULL) ||
	    olen != IKE_NATD_LEN)
		return IKE_E_CRYPTO;
	return IKE_OK;
}
