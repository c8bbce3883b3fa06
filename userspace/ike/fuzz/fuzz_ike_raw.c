// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: a datagram as the raw transport's socket returns it (IPv4:
 * from the IP header; IPv6: from the UDP header). The first input byte
 * picks the family; ike_raw_parse() must accept or refuse the rest
 * without reading outside it, and what it accepts lies inside it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/raw_pair.h"
#include "../transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_transport t;
	size_t mlen = 0;
	uint8_t *copy;
	ssize_t off;

	if (size < 1)
		return 0;
	test_raw_pair(&t, data[0] & 1, data[0] & 2);
	/* An exact-size copy, so ASan sees any read past the end. */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	off = ike_raw_parse(&t, copy, size - 1, &mlen);
	if (off >= 0 && ((size_t)off > size - 1 || mlen > size - 1 - (size_t)off))
		abort();
	free(copy);
	return 0;
}
