// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: the decrypt path of protected messages. The first byte
 * picks a suite and a mode:
 *   even: the rest is a datagram opened with fixed keys (ICV first);
 *   odd:  the rest is an inner payload chain, sealed into a message and
 *         opened again; it must come back unchanged, then it is parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../codec.h"
#include "../crypto_aead.h"
#include "../payloads.h"
#include "../proto.h"
#include "../tests/suites.h"
#include "fuzz_common.h"

static const uint8_t ek[IKE_KEY_MAX] = { 1, 2, 3, 4, 5 };
static const uint8_t ak[IKE_KEY_MAX] = { 9, 8, 7, 6, 5 };

static void open_and_parse(const struct ike_suite *s, const uint8_t *msg,
			   size_t len, uint8_t *plain)
{
	struct ike_payload_list outer, inner;
	struct ike_header h;
	size_t plen;

	if (ike_header_parse(msg, len, &h) ||
	    ike_payloads_parse(h.next, msg + IKE_HDR_LEN, len - IKE_HDR_LEN,
			       &outer) || !outer.has_sk)
		return;
	if (ike_sk_open(s, ek, ak, msg, len, IKE_HDR_LEN + outer.sk_body_off,
			plain, &plen))
		return;
	if (plen > len)
		abort();
	ike_payloads_parse(outer.sk_first, plain, plen, &inner);
	ike_fuzz_payloads(&inner);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[IKE_MSG_MAX + 64], plain[IKE_MSG_MAX + 64];
	const struct ike_suite *s;
	size_t body, total, plen;
	struct ike_header h = {
		.spi_i = 1, .spi_r = 2, .next = IKE_PL_SK,
		.version = IKE_VERSION, .exchange = IKE_INFORMATIONAL,
	};

	if (size < 1)
		return 0;
	s = &test_suites[(data[0] >> 1) % TEST_N_SUITES];
	if (!(data[0] & 1)) {
		uint8_t *copy = malloc(size - 1 ? size - 1 : 1);

		memcpy(copy, data + 1, size - 1);
		open_and_parse(s, copy, size - 1, plain);
		free(copy);
		return 0;
	}
	data++;
	size--;
	body = ike_sk_body_len(s, size);
	total = IKE_HDR_LEN + IKE_GEN_HDR_LEN + body;
	if (total > IKE_MSG_MAX)
		return 0;
	h.length = (uint32_t)total;
	ike_header_write(msg, &h);
	msg[IKE_HDR_LEN] = IKE_PL_NOTIFY;
	msg[IKE_HDR_LEN + 1] = 0;
	ike_put16(msg + IKE_HDR_LEN + 2, (uint16_t)(IKE_GEN_HDR_LEN + body));
	if (ike_sk_seal(s, ek, ak, msg, IKE_HDR_LEN + IKE_GEN_HDR_LEN, data,
			size))
		abort();
	if (ike_sk_open(s, ek, ak, msg, total, IKE_HDR_LEN + IKE_GEN_HDR_LEN,
			plain, &plen) || plen != size ||
	    (size && memcmp(plain, data, size)))
		abort();
	open_and_parse(s, msg, total, plain);
	return 0;
}
