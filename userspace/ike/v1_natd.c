// SPDX-License-Identifier: GPL-2.0-or-later
/* IKEv1 NAT-T vendor ID and NAT-D hashes (RFC 3947 3.1, 3.2). */
#include <netinet/in.h>

#include "codec.h"
#include "v1_natd.h"

const uint8_t ike_v1_vid_rfc3947[IKE_V1_VID_RFC3947_LEN] = {
	0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f,
};

int ike_v1_natd_hash(uint16_t hash, uint64_t cky_i, uint64_t cky_r,
		     const struct sockaddr *sa, uint8_t *out)
{
	uint8_t cky[16];
	struct ike_chunk in[3] = { { cky, 16 } };

	ike_put64(cky, cky_i);
	ike_put64(cky + 8, cky_r);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)sa;

		in[1] = (struct ike_chunk){ (const uint8_t *)&a->sin_addr, 4 };
		in[2] = (struct ike_chunk){ (const uint8_t *)&a->sin_port, 2 };
	} else {
		const struct sockaddr_in6 *a =
			(const struct sockaddr_in6 *)sa;

		in[1] = (struct ike_chunk){ (const uint8_t *)&a->sin6_addr,
					    16 };
		in[2] = (struct ike_chunk){ (const uint8_t *)&a->sin6_port,
					    2 };
	}
	return ike_v1_hash(hash, in, 3, out);
}
