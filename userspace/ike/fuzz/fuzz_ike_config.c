// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer: swanctl-style proposal and identity strings. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../identity.h"
#include "../proposal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_sa_payload sa;
	struct ike_identity id;
	char err[256], out[600];
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	if (ike_proposals_parse(s, &sa, err, sizeof(err)) == 0) {
		if (!sa.nprop || !ike_proposals_first_group(&sa))
			abort();
	} else if (!memchr(err, '\0', sizeof(err)) || !err[0]) {
		abort();
	}
	if (ike_identity_parse(s, &id, err, sizeof(err)) == 0) {
		if (id.len == 0 || id.len > IKE_ID_MAX)
			abort();
		ike_identity_format(id.type, id.data, id.len, out,
				    sizeof(out));
	}
	free(s);
	return 0;
}
