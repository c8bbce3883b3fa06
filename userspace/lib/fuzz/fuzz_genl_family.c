// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: parser of the controller's family description.
 */
#include <errno.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "genl_family.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	struct spirec_genl_family fam;
	const char *why = NULL;
	int ret;

	if (!fuzz_input_load(&in, data, size))
		return 0;
	ret = spirec_genl_family_parse(in.buf, in.len, "spirec", "events",
				       &fam, &why);
	if (ret == -EBADMSG && !why)
		abort();
	if (!ret && !fam.id)
		abort();
	return 0;
}
