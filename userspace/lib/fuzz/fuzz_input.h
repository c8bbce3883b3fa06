/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzer helper: netlink messages are 4-byte aligned in a receive buffer;
 * give the parsers the fuzz input the same way.
 */
#ifndef SPIREC_FUZZ_INPUT_H
#define SPIREC_FUZZ_INPUT_H

#include <stdint.h>
#include <string.h>

#define FUZZ_MAX_INPUT	65536

struct fuzz_input {
	union {
		uint64_t align;
		uint8_t buf[FUZZ_MAX_INPUT];
	};
	size_t len;
};

/* False if the input is too long to be one netlink datagram we read. */
static inline int fuzz_input_load(struct fuzz_input *in, const uint8_t *data,
				  size_t size)
{
	if (size > sizeof(in->buf))
		return 0;
	memcpy(in->buf, data, size);
	in->len = size;
	return 1;
}

#endif
