// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: an IKEv2 datagram as received from the network: header,
 * payload chain, and every typed payload parser on what the chain
 * yields (SA/proposal/transform, KE, Nonce, IDi/IDr, AUTH, Notify,
 * Delete).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../codec.h"
#include "../payloads.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_payload_list pl;
	struct ike_header h;

	if (ike_header_parse(data, size, &h))
		return 0;
	ike_payloads_parse(h.next, data + IKE_HDR_LEN, size - IKE_HDR_LEN,
			   &pl);
	/* Even a failed parse leaves only well-formed entries behind. */
	for (size_t i = 0; i < pl.n; i++)
		if (pl.pl[i].body < data ||
		    pl.pl[i].body + pl.pl[i].len > data + size)
			abort();
	ike_fuzz_payloads(&pl);
	return 0;
}
