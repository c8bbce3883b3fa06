// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: NLMSG_ERROR / NLMSG_DONE extended ACK parser and the
 * error line built from it.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "nl.h"
#include "nl_ack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	char line[SPIREC_NL_ERRMSG_LEN];
	struct spirec_nl_ack ack;
	size_t i;

	if (!fuzz_input_load(&in, data, size))
		return 0;
	if (spirec_nl_ack_parse(in.buf, in.len, &ack))
		return 0;
	if (ack.error < 0 || ack.error > 4095)
		abort();
	/* The text is terminated and free of control characters. */
	for (i = 0; ack.msg[i]; i++) {
		if ((unsigned char)ack.msg[i] < 0x20 || ack.msg[i] == 0x7f)
			abort();
	}
	spirec_nl_format_error(line, sizeof(line), ack.error, &ack);
	if (strlen(line) >= sizeof(line))
		abort();
	return 0;
}
