// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: an encrypted ISAKMP message on an established ISAKMP SA
 * (fixed keys): ike_v1_info_open() (decryption, HASH(1), payloads) and
 * the message-6 path (CBC decryption of any length, padded chain); and
 * a round trip: our Informational for a fuzzed SPI/protocol must open.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto_dh.h"
#include "../err.h"
#include "../proto.h"
#include "../v1_exchange.h"
#include "../v1_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t plain[65536], msg[IKE_MSG_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ike_v1_suite suites[2] = {
		{ IKE_V1_ENCR_AES_CBC, 128, IKE_V1_HASH_SHA1, IKE_DH_MODP2048 },
		{ IKE_V1_ENCR_3DES_CBC, 0, IKE_V1_HASH_SHA2_256,
		  IKE_DH_MODP1024 },
	};
	static struct ike_v1_keys keys[2];
	static int init;
	static const uint8_t g[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const struct ike_v1_phase1 p1 = {
		.ni = g, .ni_len = 8, .nr = g, .nr_len = 8,
		.gxy = g, .gxy_len = 8, .gxi = g, .gxi_len = 8,
		.gxr = g, .gxr_len = 8, .cky_i = 1, .cky_r = 2,
	};
	struct ike_payload_list pl;
	struct ike_builder b;
	const struct ike_v1_suite *s;
	struct ike_v1_keys *k;
	uint8_t iv[IKE_V1_BLOCK_MAX];
	size_t n;

	if (!init) {
		for (int i = 0; i < 2; i++)
			if (ike_v1_derive_keys(&suites[i],
					       (const uint8_t *)"psk", 3, &p1,
					       &keys[i]))
				abort();
		init = 1;
	}
	if (size < 1 || size - 1 > sizeof(plain))
		return 0;
	s = &suites[data[0] & 1];
	k = &keys[data[0] & 1];
	data++;
	size--;
	ike_v1_info_open(s, k, data, size, plain, &pl);
	if (size && size % k->block_len == 0) {
		memcpy(iv, k->iv, k->block_len);
		memcpy(plain, data, size);
		if (ike_v1_cbc(s->encr, k->enc_key, k->key_len, iv, plain,
			       size, false) == IKE_OK)
			ike_v1_payloads_parse(IKE_V1_PL_ID, plain, size, true,
					      &pl);
	}
	if (size >= 5) {
		uint32_t spi = ike_get32(data);
		uint8_t proto = data[4] & 1 ? IKE_V1_PROTO_AH :
			IKE_V1_PROTO_ESP;

		if (ike_v1_stale_info(&b, proto, spi))
			abort();
		n = ike_v1_info_build(s, k, 1, 2, spi | 1, &b, msg,
				      sizeof(msg));
		if (!n || ike_v1_info_open(s, k, msg, n, plain, &pl) ||
		    pl.n != 3 || pl.pl[1].type != IKE_V1_PL_D ||
		    pl.pl[1].body[4] != proto)
			abort();
	}
	return 0;
}
