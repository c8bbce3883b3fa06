// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: SPIREC_CMD_GET_STATS reply parsing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <linux/spirec.h>

#include "msgbuild.h"
#include "stats.h"

#define FAMILY_ID	0x1d

enum {
	OMIT_ENABLED = 1 << 0,
	OMIT_LISTENERS = 1 << 1,
	OMIT_PEER_COUNT = 1 << 2,
	OMIT_NEST = 1 << 3,
};

/* Counter n holds 1000 + n. */
static struct nlmsghdr *build_stats(struct msgbuild *mb, unsigned int omit)
{
	struct nlmsghdr *nlh = msgbuild_genl(mb, FAMILY_ID,
					     SPIREC_CMD_GET_STATS);
	struct nlattr *nest;
	uint16_t i;

	if (!(omit & OMIT_ENABLED))
		mnl_attr_put_u8(nlh, SPIREC_A_ENABLED, 1);
	if (!(omit & OMIT_LISTENERS))
		mnl_attr_put_u8(nlh, SPIREC_A_LISTENERS, 0);
	if (!(omit & OMIT_PEER_COUNT))
		mnl_attr_put_u32(nlh, SPIREC_A_PEER_COUNT, 17);
	if (omit & OMIT_NEST)
		return nlh;
	nest = mnl_attr_nest_start(nlh, SPIREC_A_STATS);
	for (i = SPIREC_STATS_A_INSPECTED; i <= SPIREC_STATS_A_MAX; i++)
		mnl_attr_put_u64(nlh, i, 1000 + i);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static int parse(const struct nlmsghdr *nlh, struct spirec_stats_reply *st,
		 const char **why)
{
	return spirec_stats_reply_parse(nlh, nlh->nlmsg_len, st, why);
}

static void test_valid(void **state)
{
	struct spirec_stats_reply st;
	struct msgbuild mb;
	unsigned int i;

	(void)state;
	assert_int_equal(parse(build_stats(&mb, 0), &st, NULL), 0);
	assert_true(st.enabled);
	assert_false(st.listeners);
	assert_int_equal(st.peer_count, 17);
	for (i = SPIREC_STATS_A_INSPECTED; i <= SPIREC_STATS_A_MAX; i++) {
		assert_int_equal(st.counter[i], 1000 + i);
		assert_true(st.present & (1u << i));
	}
	assert_int_equal(st.counter[SPIREC_STATS_A_UNSPEC], 0);
}

static void test_names(void **state)
{
	unsigned int i;

	(void)state;
	assert_null(spirec_stats_name(SPIREC_STATS_A_UNSPEC));
	assert_null(spirec_stats_name(SPIREC_STATS_A_PAD));
	assert_null(spirec_stats_name(SPIREC_STATS_A_MAX + 1));
	assert_string_equal(spirec_stats_name(SPIREC_STATS_A_INSPECTED),
			    "inspected");
	assert_string_equal(spirec_stats_name(SPIREC_STATS_A_UNKNOWN_ESPINUDP),
			    "unknown_espinudp");
	assert_string_equal(spirec_stats_name(SPIREC_STATS_A_ALLOC_FAIL),
			    "alloc_fail");
	/* Every counter of the header has a name. */
	for (i = SPIREC_STATS_A_INSPECTED; i <= SPIREC_STATS_A_MAX; i++)
		assert_non_null(spirec_stats_name(i));
}

static void test_nested_flag_and_unknown(void **state)
{
	struct spirec_stats_reply st;
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	(void)state;
	nlh = msgbuild_genl(&mb, FAMILY_ID, SPIREC_CMD_GET_STATS);
	mnl_attr_put_u32(nlh, SPIREC_A_MAX + 5, 1);
	mnl_attr_put_u8(nlh, SPIREC_A_ENABLED, 0);
	mnl_attr_put_u8(nlh, SPIREC_A_LISTENERS, 1);
	mnl_attr_put_u32(nlh, SPIREC_A_PEER_COUNT, 0);
	nest = mnl_attr_nest_start(nlh, SPIREC_A_STATS);
	nest->nla_type |= NLA_F_NESTED;
	mnl_attr_put_u64(nlh, SPIREC_STATS_A_EVENTS, 5);
	mnl_attr_put(nlh, SPIREC_STATS_A_PAD, 0, NULL);
	mnl_attr_put_u32(nlh, SPIREC_STATS_A_MAX + 1, 3);	/* newer */
	mnl_attr_nest_end(nlh, nest);

	assert_int_equal(parse(nlh, &st, NULL), 0);
	assert_false(st.enabled);
	assert_true(st.listeners);
	assert_int_equal(st.counter[SPIREC_STATS_A_EVENTS], 5);
	assert_int_equal(st.present, 1u << SPIREC_STATS_A_EVENTS);
	assert_int_equal(st.counter[SPIREC_STATS_A_INSPECTED], 0);
}

static void test_missing(void **state)
{
	static const unsigned int omit[] = {
		OMIT_ENABLED, OMIT_LISTENERS, OMIT_PEER_COUNT, OMIT_NEST,
	};
	struct spirec_stats_reply st;
	struct msgbuild mb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(omit) / sizeof(omit[0]); i++) {
		const char *why = NULL;

		assert_int_equal(parse(build_stats(&mb, omit[i]), &st, &why),
				 -EBADMSG);
		assert_string_equal(why, "required attribute missing");
	}
}

static void test_wrong_lengths(void **state)
{
	struct spirec_stats_reply st;
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const char *why = NULL;

	(void)state;
	nlh = build_stats(&mb, 0);
	mnl_attr_put_u32(nlh, SPIREC_A_ENABLED, 1);
	assert_int_equal(parse(nlh, &st, NULL), -EBADMSG);

	nlh = build_stats(&mb, 0);
	mnl_attr_put_u8(nlh, SPIREC_A_LISTENERS, 2);	/* not a boolean */
	assert_int_equal(parse(nlh, &st, NULL), -EBADMSG);

	nlh = build_stats(&mb, 0);
	mnl_attr_put_u64(nlh, SPIREC_A_PEER_COUNT, 1);
	assert_int_equal(parse(nlh, &st, NULL), -EBADMSG);

	/* A counter of 4 bytes instead of 8. */
	nlh = build_stats(&mb, OMIT_NEST);
	nest = mnl_attr_nest_start(nlh, SPIREC_A_STATS);
	mnl_attr_put_u32(nlh, SPIREC_STATS_A_INSPECTED, 1);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(parse(nlh, &st, &why), -EBADMSG);
	assert_string_equal(why, "counter with a wrong length");

	/* A nest whose last counter is cut short. */
	nlh = build_stats(&mb, OMIT_NEST);
	nest = mnl_attr_nest_start(nlh, SPIREC_A_STATS);
	mnl_attr_put_u64(nlh, SPIREC_STATS_A_INSPECTED, 1);
	mnl_attr_nest_end(nlh, nest);
	nest->nla_len -= 4;
	assert_int_equal(parse(nlh, &st, &why), -EBADMSG);
	assert_string_equal(why, "truncated attribute");	/* 4 bytes left over */
	nlh->nlmsg_len -= 4;
	assert_int_equal(parse(nlh, &st, &why), -EBADMSG);
	assert_string_equal(why, "truncated counter attribute");
}

static void test_truncated(void **state)
{
	struct spirec_stats_reply st;
	struct msgbuild mb;
	struct nlmsghdr *nlh = build_stats(&mb, 0);
	uint32_t full = nlh->nlmsg_len, len;

	(void)state;
	for (len = 0; len < full; len++)
		assert_int_equal(spirec_stats_reply_parse(mb.buf, len, &st, NULL),
				 -EBADMSG);
	for (len = NLMSG_HDRLEN + GENL_HDRLEN; len < full; len++) {
		nlh->nlmsg_len = len;
		if (parse(nlh, &st, NULL) != -EBADMSG)
			fail_msg("nlmsg_len %u of %u accepted", len, full);
	}
}

static void test_other_command(void **state)
{
	struct spirec_stats_reply st;
	struct msgbuild mb;

	(void)state;
	msgbuild_genl(&mb, FAMILY_ID, SPIREC_CMD_GET_PEERS);
	assert_int_equal(parse(mb.nlh, &st, NULL), -ENOMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_nested_flag_and_unknown),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_wrong_lengths),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_other_command),
	};

	return cmocka_run_group_tests_name("lib_stats", tests, NULL, NULL);
}
