// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: parsing the controller's description of a family.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "genl_family.h"
#include "nl.h"
#include "msgbuild.h"

static void put_group(struct nlmsghdr *nlh, uint16_t index, const char *name,
		      uint32_t id)
{
	struct nlattr *g = mnl_attr_nest_start(nlh, index);

	if (id)
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_nest_end(nlh, g);
}

static struct nlmsghdr *build(struct msgbuild *mb, const char *name,
			      bool with_groups)
{
	struct nlmsghdr *nlh = msgbuild_genl(mb, GENL_ID_CTRL,
					     CTRL_CMD_NEWFAMILY);
	struct nlattr *groups;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x22);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, 19);
	if (!with_groups)
		return nlh;
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, 1, "other", 7);
	put_group(nlh, 2, "events", 9);
	mnl_attr_nest_end(nlh, groups);
	return nlh;
}

static int parse(const struct nlmsghdr *nlh, struct spirec_genl_family *f,
		 const char **why)
{
	return spirec_genl_family_parse(nlh, nlh->nlmsg_len, "spirec", "events",
					f, why);
}

static void test_valid(void **state)
{
	struct spirec_genl_family f;
	struct msgbuild mb;

	(void)state;
	assert_int_equal(parse(build(&mb, "spirec", true), &f, NULL), 0);
	assert_int_equal(f.id, 0x22);
	assert_int_equal(f.version, 1);
	assert_true(f.has_group);
	assert_int_equal(f.group_id, 9);

	assert_int_equal(parse(build(&mb, "spirec", false), &f, NULL), 0);
	assert_false(f.has_group);
}

static void test_bad(void **state)
{
	struct spirec_genl_family f;
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	struct nlattr *groups;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse(build(&mb, "wireguard", true), &f, &why),
			 -EBADMSG);
	assert_string_equal(why, "reply describes another family");

	/* Group without id. */
	nlh = build(&mb, "spirec", false);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, 1, "events", 0);
	mnl_attr_nest_end(nlh, groups);
	assert_int_equal(parse(nlh, &f, &why), -EBADMSG);

	/* Name not terminated. */
	nlh = msgbuild_genl(&mb, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, 6, "spirec");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x22);
	assert_int_equal(parse(nlh, &f, &why), -EBADMSG);

	/* No id, or id of the wrong size. */
	nlh = msgbuild_genl(&mb, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "spirec");
	assert_int_equal(parse(nlh, &f, &why), -EBADMSG);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x22);
	assert_int_equal(parse(nlh, &f, &why), -EBADMSG);

	/* Wrong command. */
	nlh = build(&mb, "spirec", true);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
		CTRL_CMD_DELFAMILY;
	assert_int_equal(parse(nlh, &f, &why), -EBADMSG);
}

static void test_truncated(void **state)
{
	struct spirec_genl_family f;
	struct msgbuild mb;
	struct nlmsghdr *nlh = build(&mb, "spirec", true);
	uint32_t full = nlh->nlmsg_len, len;

	(void)state;
	for (len = 0; len < full; len++)
		assert_int_equal(spirec_genl_family_parse(mb.buf, len, "spirec",
							  "events", &f, NULL),
				 -EBADMSG);
}

/*
 * The one family lookup, against this host's controller, which always
 * describes itself ("nlctrl", with its "notify" group). Skipped where no
 * generic netlink socket can be opened.
 */
static void test_resolve_controller(void **state)
{
	struct spirec_nl nl;

	(void)state;
	if (spirec_nl_open_socket(&nl))
		skip();
	assert_int_equal(spirec_nl_resolve(&nl, "nlctrl", "notify"), 0);
	assert_int_equal(nl.family_id, GENL_ID_CTRL);
	assert_true(nl.has_events);
	assert_true(nl.events_group > 0);
	/* A group it does not have. */
	assert_int_equal(spirec_nl_resolve(&nl, "nlctrl", "no-such-group"), 0);
	assert_false(nl.has_events);
	/* A family that does not exist. */
	assert_int_equal(spirec_nl_resolve(&nl, "spirec-no-such", "x"),
			 -ENOENT);
	spirec_nl_close(&nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_resolve_controller),
	};

	return cmocka_run_group_tests_name("lib_genl_family", tests, NULL, NULL);
}
