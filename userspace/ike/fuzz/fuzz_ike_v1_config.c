// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer: IKEv1 proposal strings (spirecd.conf ike = for ikev1). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../err.h"
#include "../v1_crypto.h"
#include "../v1_proposal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_v1_proposals p;
	char s[512], err[256];
	uint8_t sa[4096];

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ike_v1_proposals_parse(s, &p, err, sizeof(err)) != IKE_OK)
		return 0;
	if (!p.n || p.n > IKE_V1_MAX_TRANSFORMS)
		abort();
	for (size_t i = 0; i < p.n; i++)
		if (!ike_v1_suite_supported(&p.t[i]))
			abort();
	if (!ike_v1_sa_build(&p, 180, sa, sizeof(sa)))
		abort();
	return 0;
}
