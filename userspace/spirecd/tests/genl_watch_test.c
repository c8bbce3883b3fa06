// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the controller's NEWFAMILY/DELFAMILY notifications.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../genl_watch.h"
#include "../../lib/tests/msgbuild.h"

static void test_new_and_del(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = msgbuild_genl(&mb, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x20);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "spirec");
	assert_int_equal(spirecd_genl_watch_parse(nlh, nlh->nlmsg_len, "spirec"),
			 SPIRECD_GENL_NEW);
	assert_int_equal(spirecd_genl_watch_parse(nlh, nlh->nlmsg_len, "wireguard"),
			 SPIRECD_GENL_NONE);

	nlh = msgbuild_genl(&mb, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "spirec");
	assert_int_equal(spirecd_genl_watch_parse(nlh, nlh->nlmsg_len, "spirec"),
			 SPIRECD_GENL_DEL);
}

static void test_ignored(void **state)
{
	struct msgbuild mb;
	struct nlmsghdr *nlh;

	(void)state;
	/* Group changes, other message types, malformed names. */
	nlh = msgbuild_genl(&mb, GENL_ID_CTRL, CTRL_CMD_NEWMCAST_GRP);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "spirec");
	assert_int_equal(spirecd_genl_watch_parse(nlh, nlh->nlmsg_len, "spirec"),
			 SPIRECD_GENL_NONE);
	nlh = msgbuild_genl(&mb, 0x20, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "spirec");
	assert_int_equal(spirecd_genl_watch_parse(nlh, nlh->nlmsg_len, "spirec"),
			 SPIRECD_GENL_NONE);
	nlh = msgbuild_genl(&mb, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	msgbuild_raw(&mb, CTRL_ATTR_FAMILY_NAME, "spirec", 6);	/* no NUL */
	assert_int_equal(spirecd_genl_watch_parse(nlh, nlh->nlmsg_len, "spirec"),
			 SPIRECD_GENL_NONE);
	nlh = msgbuild_genl(&mb, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	assert_int_equal(spirecd_genl_watch_parse(nlh, nlh->nlmsg_len - 1, "spirec"),
			 SPIRECD_GENL_NONE);
	assert_int_equal(spirecd_genl_watch_parse(nlh, 3, "spirec"),
			 SPIRECD_GENL_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_del),
		cmocka_unit_test(test_ignored),
	};

	return cmocka_run_group_tests_name("spirecd_genl_watch", tests, NULL,
					   NULL);
}
