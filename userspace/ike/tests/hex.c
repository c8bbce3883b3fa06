// SPDX-License-Identifier: GPL-2.0-or-later
#include <assert.h>
#include <ctype.h>

#include "hex.h"

static int nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	assert(c >= 'a' && c <= 'f');
	return c - 'a' + 10;
}

size_t test_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		if (isspace((unsigned char)*hex) || *hex == ':')
			continue;
		if (hi < 0) {
			hi = nibble(*hex);
			continue;
		}
		assert(n < cap);
		out[n++] = (uint8_t)(hi << 4 | nibble(*hex));
		hi = -1;
	}
	assert(hi < 0);
	return n;
}

void test_unhex_buf(struct test_buf *out, const char *hex)
{
	out->n = test_unhex(hex, out->b, sizeof(out->b));
}
