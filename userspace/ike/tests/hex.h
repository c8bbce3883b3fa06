/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test helper: hex strings (spaces ignored) to bytes. */
#ifndef SPIREC_IKE_TEST_HEX_H
#define SPIREC_IKE_TEST_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Decode @hex into @out (room for @cap bytes); returns the byte count. */
size_t test_unhex(const char *hex, uint8_t *out, size_t cap);

/* Room for a message or key of the known-answer tests. */
struct test_buf {
	uint8_t b[4096];
	size_t n;
};

/* Decode @hex into @out. */
void test_unhex_buf(struct test_buf *out, const char *hex);

#endif
