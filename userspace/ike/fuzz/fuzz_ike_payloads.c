// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: one payload body of the type named by the first input byte
 * (SA bodies also go through proposal selection against a fixed offer),
 * and a bare payload chain starting with that type.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../codec.h"
#include "../payloads.h"
#include "../proposal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_sa_payload offered, sa;
	static int init;
	struct ike_payload_list pl;
	struct ike_suite suite;
	char err[256];
	uint8_t type;

	if (!init) {
		if (ike_proposals_parse("aes256gcm16-prfsha384-ecp384-x25519,"
					"aes128-aes256-sha256-sha512-modp2048",
					&offered, err, sizeof(err)))
			abort();
		init = 1;
	}
	if (size < 1)
		return 0;
	type = data[0];
	data++;
	size--;
	pl.n = 1;
	pl.pl[0] = (struct ike_payload){ type, false, data, size };
	ike_fuzz_payloads(&pl);
	if (type == IKE_PL_SA && ike_sa_parse(data, size, &sa) == 0 &&
	    ike_proposal_select(&offered, &sa, &suite, err, sizeof(err)) == 0 &&
	    !ike_proposals_have_group(&offered, suite.dh))
		abort();
	ike_payloads_parse(type, data, size, &pl);
	ike_fuzz_payloads(&pl);
	return 0;
}
