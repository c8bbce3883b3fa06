// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: attribute tables over libmnl (nl_attr.c). Whatever the
 * kernel could not have sent is refused: a wrong length, a bad value, a
 * string without its NUL, an attribute cut short or left unpadded, at
 * the top level or inside a nest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "msgbuild.h"
#include "nl_attr.h"

#define FAMILY_ID	0x1d

enum {
	T_UNSPEC,
	T_U8,
	T_U16,
	T_U32,
	T_U64,
	T_STR,
	T_BIN,
	T_BOOL,
	T_NEST,
	T_MAX = T_NEST,
};

static const struct spirec_attr_policy policy[T_MAX + 1] = {
	[T_U8]		= { .type = MNL_TYPE_U8 },
	[T_U16]		= { .type = MNL_TYPE_U16 },
	[T_U32]		= { .type = MNL_TYPE_U32 },
	[T_U64]		= { .type = MNL_TYPE_U64 },
	[T_STR]		= { .type = MNL_TYPE_STRING, .len = 8 },
	[T_BIN]		= { .type = MNL_TYPE_BINARY, .len = 4 },
	[T_BOOL]	= { .type = MNL_TYPE_U8, .max_value = 1 },
	[T_NEST]	= { .type = MNL_TYPE_UNSPEC },
};

struct table {
	const struct nlattr *tb[T_MAX + 1];
	struct spirec_attr_table t;
};

static struct spirec_attr_table *table(struct table *tab)
{
	tab->t = (struct spirec_attr_table){
		.tb = tab->tb, .policy = policy, .max = T_MAX,
	};
	return &tab->t;
}

static struct nlmsghdr *start(struct msgbuild *mb)
{
	return msgbuild_genl(mb, FAMILY_ID, 1);
}

static int parse(const struct nlmsghdr *nlh, struct table *tab)
{
	return spirec_attr_parse(nlh, GENL_HDRLEN, table(tab));
}

static void test_valid(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh = start(&mb);
	struct table tab;

	(void)state;
	mnl_attr_put_u8(nlh, T_U8, 7);
	mnl_attr_put_u16(nlh, T_U16, 0x1234);
	mnl_attr_put_u32(nlh, T_U32, 1);
	mnl_attr_put_u32(nlh, T_U32, 0xdeadbeef);	/* the last one wins */
	mnl_attr_put_u64(nlh, T_U64, 1ull << 40);
	mnl_attr_put_strz(nlh, T_STR, "events");
	mnl_attr_put(nlh, T_BIN, 4, "\xc0\x00\x02\x01");
	mnl_attr_put_u8(nlh, T_BOOL, 1);
	mnl_attr_put_u32(nlh, T_MAX + 1, 99);		/* newer: ignored */
	assert_int_equal(parse(nlh, &tab), 0);
	assert_null(tab.tb[T_UNSPEC]);
	assert_int_equal(spirec_attr_uint(tab.tb[T_U8]), 7);
	assert_int_equal(spirec_attr_uint(tab.tb[T_U16]), 0x1234);
	assert_int_equal(spirec_attr_uint(tab.tb[T_U32]), 0xdeadbeef);
	assert_int_equal(spirec_attr_uint(tab.tb[T_U64]), 1ull << 40);
	assert_string_equal(mnl_attr_get_str(tab.tb[T_STR]), "events");
	assert_int_equal(spirec_attr_uint(tab.tb[T_BOOL]), 1);
	assert_int_equal(spirec_attr_uint(tab.tb[T_NEST]), 0);	/* absent */

	/* No attributes at all is fine, and clears the table. */
	nlh = start(&mb);
	assert_int_equal(parse(nlh, &tab), 0);
	assert_null(tab.tb[T_U32]);
}

static void test_wrong_length(void **state)
{
	static const struct {
		uint16_t type;
		size_t len;
	} cases[] = {
		{ T_U8, 0 }, { T_U8, 2 }, { T_U16, 1 }, { T_U16, 4 },
		{ T_U32, 2 }, { T_U32, 8 }, { T_U64, 4 }, { T_U64, 9 },
		{ T_BIN, 3 }, { T_BIN, 5 }, { T_STR, 0 }, { T_BOOL, 4 },
	};
	static const uint8_t zeros[16];
	struct msgbuild mb;
	struct table tab;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = start(&mb);

		mnl_attr_put_u8(nlh, T_U8, 1);
		msgbuild_raw(&mb, cases[i].type, zeros, cases[i].len);
		if (parse(nlh, &tab) != SPIREC_ATTR_INVALID)
			fail_msg("type %u with length %zu accepted",
				 cases[i].type, cases[i].len);
		assert_int_equal(tab.t.bad_type, cases[i].type);
	}
}

static void test_bad_value_and_string(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	struct table tab;

	(void)state;
	/* A boolean of 2, even if a good one follows. */
	nlh = start(&mb);
	mnl_attr_put_u8(nlh, T_BOOL, 2);
	mnl_attr_put_u8(nlh, T_BOOL, 1);
	assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_INVALID);
	assert_int_equal(tab.t.bad_type, T_BOOL);

	/* A string without its NUL. */
	nlh = start(&mb);
	mnl_attr_put(nlh, T_STR, 6, "events");
	assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_INVALID);

	/* A string longer than its policy allows. */
	nlh = start(&mb);
	mnl_attr_put_strz(nlh, T_STR, "much too long");
	assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_INVALID);
	assert_int_equal(tab.t.bad_type, T_STR);
}

static void test_truncated(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct table tab;
	uint32_t full;

	(void)state;
	/* The message's length cuts the last attribute in half. */
	nlh = start(&mb);
	mnl_attr_put_u32(nlh, T_U32, 1);
	mnl_attr_put_u64(nlh, T_U64, 2);
	full = nlh->nlmsg_len;
	for (nlh->nlmsg_len = full - 11; nlh->nlmsg_len < full;
	     nlh->nlmsg_len++)
		assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_TRUNCATED);
	nlh->nlmsg_len = full;
	assert_int_equal(parse(nlh, &tab), 0);

	/* An attribute claiming more than the message holds. */
	a = (struct nlattr *)((uint8_t *)mnl_nlmsg_get_payload(nlh) +
			      GENL_HDRLEN);
	a->nla_len = 64;
	assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_TRUNCATED);
	/* Or less than its own header. */
	a->nla_len = 2;
	assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_TRUNCATED);

	/* The last attribute is whole but not padded. */
	nlh = start(&mb);
	mnl_attr_put_u16(nlh, T_U16, 1);
	nlh->nlmsg_len -= 2;
	assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_TRUNCATED);

	/* Four bytes of padding left after the attributes. */
	nlh = start(&mb);
	mnl_attr_put_u32(nlh, T_U32, 1);
	nlh->nlmsg_len += 4;
	assert_int_equal(parse(nlh, &tab), SPIREC_ATTR_TRUNCATED);
}

static void test_nested(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh = start(&mb);
	struct nlattr *nest, *inner;
	struct table outer, tab;

	(void)state;
	nest = mnl_attr_nest_start(nlh, T_NEST);
	mnl_attr_put_u32(nlh, T_U32, 5);
	mnl_attr_put_strz(nlh, T_STR, "ok");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(parse(nlh, &outer), 0);
	assert_ptr_equal(outer.tb[T_NEST], nest);
	assert_int_equal(spirec_attr_parse_nested(nest, table(&tab)), 0);
	assert_int_equal(spirec_attr_uint(tab.tb[T_U32]), 5);
	assert_string_equal(mnl_attr_get_str(tab.tb[T_STR]), "ok");

	/* The nest ends inside its last attribute: truncated. */
	nest->nla_len -= 4;
	assert_int_equal(spirec_attr_parse_nested(nest, table(&tab)),
			 SPIREC_ATTR_TRUNCATED);
	/* An inner attribute longer than the nest. */
	nest->nla_len += 4;
	inner = mnl_attr_get_payload(nest);
	inner->nla_len = 200;
	assert_int_equal(spirec_attr_parse_nested(nest, table(&tab)),
			 SPIREC_ATTR_TRUNCATED);
	/* A nest of two bytes holds no attribute. */
	nest->nla_len = MNL_ATTR_HDRLEN + 2;
	assert_int_equal(spirec_attr_parse_nested(nest, table(&tab)),
			 SPIREC_ATTR_TRUNCATED);
	/* A wrong length inside the nest. */
	inner->nla_len = MNL_ATTR_HDRLEN + 4;
	inner->nla_type = T_U64;
	nest->nla_len = MNL_ATTR_HDRLEN + MNL_ATTR_HDRLEN + 4;
	assert_int_equal(spirec_attr_parse_nested(nest, table(&tab)),
			 SPIREC_ATTR_INVALID);
	assert_int_equal(tab.t.bad_type, T_U64);
	/* An empty nest is fine. */
	nest->nla_len = MNL_ATTR_HDRLEN;
	assert_int_equal(spirec_attr_parse_nested(nest, table(&tab)), 0);
}

static int count_cb(const struct nlattr *a, void *data)
{
	unsigned int *n = data;

	if (mnl_attr_get_type(a) == T_BOOL)
		return -EPROTO;
	(*n)++;
	return 0;
}

static void test_for_each_nested(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh = start(&mb);
	struct nlattr *nest;
	unsigned int n = 0;

	(void)state;
	nest = mnl_attr_nest_start(nlh, T_NEST);
	mnl_attr_put_u32(nlh, 1, 1);
	mnl_attr_put_u32(nlh, 1, 2);
	mnl_attr_put_u32(nlh, 300, 3);	/* any type: not a table */
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(spirec_attr_for_each_nested(nest, count_cb, &n), 0);
	assert_int_equal(n, 3);

	/* The callback's error stops the walk and is returned. */
	mnl_attr_put_u8(nlh, T_BOOL, 1);	/* after the nest: grow it */
	nest->nla_len += MNL_ALIGN(MNL_ATTR_HDRLEN + 1);
	n = 0;
	assert_int_equal(spirec_attr_for_each_nested(nest, count_cb, &n),
			 -EPROTO);
	assert_int_equal(n, 3);

	/* Truncation is told apart from the callback's errors. */
	nest->nla_len -= 2;
	n = 0;
	assert_int_equal(spirec_attr_for_each_nested(nest, count_cb, &n),
			 SPIREC_ATTR_TRUNCATED);
}

static void test_genl_header(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh = start(&mb);

	(void)state;
	assert_non_null(spirec_genl_header(mb.buf, nlh->nlmsg_len));
	assert_null(spirec_genl_header(mb.buf, nlh->nlmsg_len - 1));
	assert_null(spirec_genl_header(mb.buf, 3));
	assert_null(spirec_genl_header(NULL, 64));
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;	/* no room for genl */
	assert_null(spirec_genl_header(mb.buf, sizeof(mb.buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_wrong_length),
		cmocka_unit_test(test_bad_value_and_string),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_for_each_nested),
		cmocka_unit_test(test_genl_header),
	};

	return cmocka_run_group_tests_name("lib_nl_attr", tests, NULL, NULL);
}
