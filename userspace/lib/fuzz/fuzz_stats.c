// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: SPIREC_CMD_GET_STATS reply parser.
 */
#include <errno.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	struct spirec_stats_reply st;
	const char *why = NULL;
	unsigned int i;
	int ret;

	if (!fuzz_input_load(&in, data, size))
		return 0;
	ret = spirec_stats_reply_parse(in.buf, in.len, &st, &why);
	if (ret == -EBADMSG && !why)
		abort();
	if (ret)
		return 0;
	for (i = 0; i <= SPIREC_STATS_A_MAX; i++) {
		/* Only named counters can be present. */
		if ((st.present & (1u << i)) && !spirec_stats_name(i))
			abort();
	}
	return 0;
}
