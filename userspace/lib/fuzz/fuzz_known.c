// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: SPIREC_CMD_KNOWN_GET dump message parser.
 */
#include <errno.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "known.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	char text[SPIREC_ADDR_STRLEN];
	struct spirec_cidr p;
	const char *why = NULL;
	int ret;

	if (!fuzz_input_load(&in, data, size))
		return 0;
	ret = spirec_known_parse(in.buf, in.len, &p, &why);
	if (ret == -EBADMSG && !why)
		abort();
	if (ret)
		return 0;
	if (p.prefixlen > spirec_addr_maxprefix(p.addr.family))
		abort();
	spirec_cidr_format(&p, text, sizeof(text));
	return 0;
}
