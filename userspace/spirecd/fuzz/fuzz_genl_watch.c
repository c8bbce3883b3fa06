// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: controller notifications (spirecd_genl_watch_parse()).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../genl_watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Netlink messages are 4-byte aligned in the receive buffer. */
	uint32_t *buf = malloc(size + 4);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	spirecd_genl_watch_parse(buf, size, "spirec");
	free(buf);
	return 0;
}
