// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: ADDR[/PREFIX] parsing, format/parse round trips, and
 * prefix matching (a prefix contains its own address, no other family's).
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[128], out[SPIREC_ADDR_STRLEN];
	struct spirec_cidr p, q;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (spirec_cidr_parse(text, &p))
		return 0;
	if (p.prefixlen > spirec_addr_maxprefix(p.addr.family))
		abort();
	/* Formatting what was parsed gives text that parses the same. */
	spirec_cidr_format(&p, out, sizeof(out));
	if (spirec_cidr_parse(out, &q) || q.prefixlen != p.prefixlen ||
	    q.addr.family != p.addr.family ||
	    memcmp(q.addr.bytes, p.addr.bytes,
		   spirec_addr_len(p.addr.family)))
		abort();
	if (!spirec_cidr_contains(&p, &p.addr))
		abort();
	q.addr.family = p.addr.family == AF_INET ? AF_INET6 : AF_INET;
	if (spirec_cidr_contains(&p, &q.addr))
		abort();
	return 0;
}
