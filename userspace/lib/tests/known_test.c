// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: SPIREC_CMD_KNOWN_GET dump message parsing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/spirec.h>

#include "known.h"
#include "msgbuild.h"

#define FAMILY_ID	0x1d

static const uint8_t net4[4] = { 198, 51, 100, 0 };
static const uint8_t net6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

static struct nlmsghdr *build(struct msgbuild *mb, uint16_t family,
			      const void *addr, size_t alen, int plen)
{
	struct nlmsghdr *nlh = msgbuild_genl(mb, FAMILY_ID,
					     SPIREC_CMD_KNOWN_GET);

	if (family)
		mnl_attr_put_u16(nlh, SPIREC_A_FAMILY, family);
	if (addr)
		mnl_attr_put(nlh, SPIREC_A_ADDR, alen, addr);
	if (plen >= 0)
		mnl_attr_put_u8(nlh, SPIREC_A_PREFIXLEN, (uint8_t)plen);
	return nlh;
}

static int parse(const struct nlmsghdr *nlh, struct spirec_cidr *p,
		 const char **why)
{
	return spirec_known_parse(nlh, nlh->nlmsg_len, p, why);
}

static void test_valid(void **state)
{
	struct spirec_cidr p;
	struct msgbuild mb;
	char buf[SPIREC_ADDR_STRLEN];

	(void)state;
	assert_int_equal(parse(build(&mb, AF_INET, net4, 4, 24), &p, NULL), 0);
	assert_string_equal(spirec_cidr_format(&p, buf, sizeof(buf)),
			    "198.51.100.0/24");
	assert_int_equal(parse(build(&mb, AF_INET6, net6, 16, 32), &p, NULL),
			 0);
	assert_string_equal(spirec_cidr_format(&p, buf, sizeof(buf)),
			    "2001:db8::/32");
	/* No prefix length: a single address. */
	assert_int_equal(parse(build(&mb, AF_INET6, net6, 16, -1), &p, NULL),
			 0);
	assert_int_equal(p.prefixlen, 128);
	assert_false(p.has_prefixlen);
}

static void test_unknown_ignored(void **state)
{
	struct spirec_cidr p;
	struct msgbuild mb;
	struct nlmsghdr *nlh = build(&mb, AF_INET, net4, 4, 24);

	(void)state;
	mnl_attr_put_u64(nlh, SPIREC_A_MAX + 1, 1);
	mnl_attr_put_u32(nlh, SPIREC_A_SPI, 1);
	assert_int_equal(parse(nlh, &p, NULL), 0);
	assert_int_equal(p.prefixlen, 24);
}

static void test_bad(void **state)
{
	struct spirec_cidr p;
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse(build(&mb, 0, net4, 4, 24), &p, &why), -EBADMSG);
	assert_string_equal(why, "entry without family or address");
	assert_int_equal(parse(build(&mb, AF_INET, NULL, 0, 24), &p, &why),
			 -EBADMSG);
	assert_int_equal(parse(build(&mb, AF_INET, net6, 16, 24), &p, &why),
			 -EBADMSG);
	assert_string_equal(why, "address length does not match the family");
	assert_int_equal(parse(build(&mb, AF_INET6, net4, 4, 24), &p, &why),
			 -EBADMSG);
	assert_int_equal(parse(build(&mb, AF_INET, net4, 4, 33), &p, &why),
			 -EBADMSG);
	assert_string_equal(why, "prefix length longer than the address");
	assert_int_equal(parse(build(&mb, AF_INET6, net6, 16, 129), &p, &why),
			 -EBADMSG);
	assert_int_equal(parse(build(&mb, 99, net4, 4, 24), &p, &why),
			 -EBADMSG);
	assert_string_equal(why, "unknown address family");

	nlh = build(&mb, 0, net4, 4, 24);
	mnl_attr_put_u32(nlh, SPIREC_A_FAMILY, AF_INET);
	assert_int_equal(parse(nlh, &p, NULL), -EBADMSG);
	nlh = build(&mb, AF_INET, net4, 4, -1);
	mnl_attr_put_u16(nlh, SPIREC_A_PREFIXLEN, 24);
	assert_int_equal(parse(nlh, &p, NULL), -EBADMSG);
}

static void test_truncated(void **state)
{
	struct spirec_cidr p;
	struct msgbuild mb;
	struct nlmsghdr *nlh = build(&mb, AF_INET6, net6, 16, 48);
	uint32_t full = nlh->nlmsg_len, len;

	(void)state;
	for (len = 0; len < full; len++)
		assert_int_equal(spirec_known_parse(mb.buf, len, &p, NULL),
				 -EBADMSG);
	/* Cutting off the (optional) prefix length exactly is a valid
	 * message; every other cut is not. */
	for (len = NLMSG_HDRLEN + GENL_HDRLEN; len < full - 8; len++) {
		nlh->nlmsg_len = len;
		assert_int_equal(parse(nlh, &p, NULL), -EBADMSG);
	}
	nlh->nlmsg_len = full - 8;
	assert_int_equal(parse(nlh, &p, NULL), 0);
	assert_int_equal(p.prefixlen, 128);
}

static void test_other_command(void **state)
{
	struct spirec_cidr p;
	struct msgbuild mb;

	(void)state;
	msgbuild_genl(&mb, FAMILY_ID, SPIREC_CMD_KNOWN_ADD);
	assert_int_equal(parse(mb.nlh, &p, NULL), -ENOMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_unknown_ignored),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_other_command),
	};

	return cmocka_run_group_tests_name("lib_known", tests, NULL, NULL);
}
