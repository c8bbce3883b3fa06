// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: VICI packets from the server (spirecd_vici_reply_parse()).
 */
#include <stdlib.h>
#include <string.h>

#include "../vici.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spirecd_vici_reply r;
	const char *why = NULL;

	if (spirecd_vici_reply_parse(data, size, "net-net", &r, &why)) {
		if (!why)
			abort();
		return 0;
	}
	/* Only printable text reaches the log. */
	for (const char *p = r.errmsg; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			abort();
	if (r.success && !r.has_success)
		abort();
	return 0;
}
