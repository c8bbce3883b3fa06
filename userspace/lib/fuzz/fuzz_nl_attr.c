// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the libmnl-based attribute tables (nl_attr.c) on
 * their own, every policy kind at the top level and two levels of nests.
 */
#include <stdlib.h>

#include "fuzz_input.h"
#include "nl_attr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ATTR_MAX	15

/* Types 1..8 each kind once; 9..15 unchecked (used as nests too). */
static const struct spirec_attr_policy policy[FUZZ_ATTR_MAX + 1] = {
	[1] = { .type = MNL_TYPE_U8 },
	[2] = { .type = MNL_TYPE_U16 },
	[3] = { .type = MNL_TYPE_U32 },
	[4] = { .type = MNL_TYPE_U64 },
	[5] = { .type = MNL_TYPE_STRING, .len = 16 },
	[6] = { .type = MNL_TYPE_BINARY, .len = 4 },
	[7] = { .type = MNL_TYPE_U8, .max_value = 1 },
	[8] = { .type = MNL_TYPE_U8, .min_value = 50, .max_value = 51 },
};

static void check(const struct nlattr **tb)
{
	unsigned int i;

	for (i = 1; i <= 8; i++) {
		if (!tb[i])
			continue;
		if (i == 5)
			(void)mnl_attr_get_str(tb[i])[0];
		else if (i != 6)
			(void)spirec_attr_uint(tb[i]);
	}
	if (tb[7] && spirec_attr_uint(tb[7]) > 1)
		abort();
	if (tb[8] && (spirec_attr_uint(tb[8]) < 50 ||
		      spirec_attr_uint(tb[8]) > 51))
		abort();
}

static int inner_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *tb[FUZZ_ATTR_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = policy, .max = FUZZ_ATTR_MAX,
	};

	(void)data;
	if (!spirec_attr_parse_nested(a, &t))
		check(tb);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	const struct nlattr *tb[FUZZ_ATTR_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = policy, .max = FUZZ_ATTR_MAX,
	};
	unsigned int i;

	if (!fuzz_input_load(&in, data, size))
		return 0;
	if (!spirec_genl_header(in.buf, in.len))
		return 0;
	if (spirec_attr_parse((const struct nlmsghdr *)in.buf, GENL_HDRLEN,
			      &t))
		return 0;
	check(tb);
	for (i = 9; i <= FUZZ_ATTR_MAX; i++) {
		if (tb[i])
			spirec_attr_for_each_nested(tb[i], inner_cb, NULL);
	}
	return 0;
}
