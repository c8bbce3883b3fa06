// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: address and prefix parsing and formatting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

static void test_parse_ipv4(void **state)
{
	struct spirec_addr a;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(spirec_addr_parse("192.0.2.1", &a), SPIREC_ADDR_OK);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.bytes, "\xc0\x00\x02\x01", 4);
	assert_string_equal(spirec_addr_format(&a, buf, sizeof(buf)),
			    "192.0.2.1");
}

static void test_parse_ipv6(void **state)
{
	struct spirec_addr a;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(spirec_addr_parse("2001:DB8:0::1", &a),
			 SPIREC_ADDR_OK);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.bytes[0], 0x20);
	assert_int_equal(a.bytes[1], 0x01);
	assert_int_equal(a.bytes[15], 0x01);
	/* Formatting is canonical: lower case, zeros compressed. */
	assert_string_equal(spirec_addr_format(&a, buf, sizeof(buf)),
			    "2001:db8::1");
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"192.0.2", "192.0.2.256", "192.0.2.1 ", " 192.0.2.1",
		"192.0.2.1/24", "2001:db8:::1", "2001:db8::g", "localhost",
		"0x7f.0.0.1", "2001:db8::1%eth0", "-1",
	};
	struct spirec_addr a;
	size_t i;

	(void)state;
	assert_int_equal(spirec_addr_parse("", &a), SPIREC_ADDR_EMPTY);
	assert_int_equal(spirec_addr_parse(NULL, &a), SPIREC_ADDR_EMPTY);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (spirec_addr_parse(bad[i], &a) != SPIREC_ADDR_BAD_ADDRESS)
			fail_msg("'%s' was accepted", bad[i]);
	}
}

static void test_prefix_good(void **state)
{
	struct spirec_cidr p;
	char buf[SPIREC_ADDR_STRLEN];

	(void)state;
	assert_int_equal(spirec_cidr_parse("198.51.100.0/24", &p),
			 SPIREC_ADDR_OK);
	assert_true(p.has_prefixlen);
	assert_int_equal(p.prefixlen, 24);
	assert_string_equal(spirec_cidr_format(&p, buf, sizeof(buf)),
			    "198.51.100.0/24");

	assert_int_equal(spirec_cidr_parse("203.0.113.7", &p),
			 SPIREC_ADDR_OK);
	assert_false(p.has_prefixlen);
	assert_int_equal(p.prefixlen, 32);

	assert_int_equal(spirec_cidr_parse("2001:db8::/32", &p),
			 SPIREC_ADDR_OK);
	assert_int_equal(p.prefixlen, 32);
	assert_int_equal(p.addr.family, AF_INET6);

	assert_int_equal(spirec_cidr_parse("2001:db8::1", &p),
			 SPIREC_ADDR_OK);
	assert_int_equal(p.prefixlen, 128);
	assert_string_equal(spirec_cidr_format(&p, buf, sizeof(buf)),
			    "2001:db8::1/128");

	assert_int_equal(spirec_cidr_parse("0.0.0.0/0", &p), SPIREC_ADDR_OK);
	assert_int_equal(p.prefixlen, 0);
	assert_int_equal(spirec_cidr_parse("192.0.2.128/25", &p),
			 SPIREC_ADDR_OK);
	assert_int_equal(spirec_cidr_parse("192.0.2.1/32", &p),
			 SPIREC_ADDR_OK);
	assert_int_equal(spirec_cidr_parse("2001:db8::1/128", &p),
			 SPIREC_ADDR_OK);
}

static void test_prefix_bad(void **state)
{
	static const struct {
		const char *s;
		enum spirec_addr_err err;
	} cases[] = {
		{ "", SPIREC_ADDR_EMPTY },
		{ "/24", SPIREC_ADDR_EMPTY },
		{ "192.0.2.0/", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/33", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/-1", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/+24", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/ 24", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/24 ", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/0x18", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/1000", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.0/24/24", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "2001:db8::/129", SPIREC_ADDR_BAD_PREFIXLEN },
		{ "192.0.2.1/24", SPIREC_ADDR_HOST_BITS },
		{ "192.0.2.129/25", SPIREC_ADDR_HOST_BITS },
		{ "2001:db8::1/64", SPIREC_ADDR_HOST_BITS },
		{ "2001:db8:8000::/33", SPIREC_ADDR_OK },
		{ "2001:db8:8000::/32", SPIREC_ADDR_HOST_BITS },
		{ "192.0.2.0.0/24", SPIREC_ADDR_BAD_ADDRESS },
		{ "example/24", SPIREC_ADDR_BAD_ADDRESS },
		{ "1111:2222:3333:4444:5555:6666:7777:8888:9999/64",
		  SPIREC_ADDR_BAD_ADDRESS },
	};
	struct spirec_cidr p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum spirec_addr_err err = spirec_cidr_parse(cases[i].s, &p);

		if (err != cases[i].err)
			fail_msg("'%s': got %d (%s), want %d", cases[i].s, err,
				 spirec_addr_strerror(err), cases[i].err);
	}
	assert_string_equal(spirec_addr_strerror(SPIREC_ADDR_HOST_BITS),
			    "address has bits set beyond the prefix length");
}

static void test_set_and_lengths(void **state)
{
	struct spirec_addr a;
	char buf[INET6_ADDRSTRLEN], tiny[4];

	(void)state;
	assert_int_equal(spirec_addr_len(AF_INET), 4);
	assert_int_equal(spirec_addr_len(AF_INET6), 16);
	assert_int_equal(spirec_addr_len(AF_UNIX), 0);
	assert_int_equal(spirec_addr_maxprefix(AF_INET6), 128);
	assert_true(spirec_addr_set(&a, AF_INET, "\xcb\x00\x71\x05", 4));
	assert_string_equal(spirec_addr_format(&a, buf, sizeof(buf)),
			    "203.0.113.5");
	assert_false(spirec_addr_set(&a, AF_INET, "0123456789abcdef", 16));
	assert_false(spirec_addr_set(&a, AF_INET6, "\xcb\x00\x71\x05", 4));
	assert_false(spirec_addr_set(&a, AF_UNIX, "\xcb\x00\x71\x05", 4));

	/* Too small a buffer or an unknown family gives "?", not garbage. */
	assert_true(spirec_addr_set(&a, AF_INET, "\xcb\x00\x71\x05", 4));
	assert_string_equal(spirec_addr_format(&a, tiny, sizeof(tiny)), "?");
	a.family = AF_UNIX;
	assert_string_equal(spirec_addr_format(&a, buf, sizeof(buf)), "?");

	assert_string_equal(spirec_family_name(AF_INET), "inet");
	assert_string_equal(spirec_family_name(AF_INET6), "inet6");
	assert_string_equal(spirec_family_name(0), "unknown");
}

/* @text contains @addr? Both parsed with the library's own parsers. */
static bool contains(const char *text, const char *addr)
{
	struct spirec_cidr pfx;
	struct spirec_addr a;

	assert_int_equal(spirec_cidr_parse(text, &pfx), SPIREC_ADDR_OK);
	assert_int_equal(spirec_addr_parse(addr, &a), SPIREC_ADDR_OK);
	return spirec_cidr_contains(&pfx, &a);
}

static void test_prefix_contains(void **state)
{
	(void)state;
	assert_true(contains("198.51.100.0/24", "198.51.100.77"));
	assert_false(contains("198.51.100.0/24", "198.51.101.1"));
	/* A prefix length that is not a multiple of 8. */
	assert_true(contains("198.51.100.128/25", "198.51.100.200"));
	assert_false(contains("198.51.100.128/25", "198.51.100.127"));
	assert_true(contains("198.51.100.0/23", "198.51.101.255"));
	assert_false(contains("198.51.100.0/23", "198.51.102.0"));
	/* A host, and everything. */
	assert_true(contains("203.0.113.5", "203.0.113.5"));
	assert_false(contains("203.0.113.5", "203.0.113.4"));
	assert_true(contains("0.0.0.0/0", "203.0.113.5"));
	assert_true(contains("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(contains("2001:db8::/33", "2001:db8:8000::1"));
	assert_true(contains("2001:db8::1", "2001:db8::1"));
	assert_true(contains("::/0", "2001:db8::1"));
	/* Never across families. */
	assert_false(contains("0.0.0.0/0", "2001:db8::1"));
	assert_false(contains("::/0", "203.0.113.5"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ipv4),
		cmocka_unit_test(test_parse_ipv6),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_prefix_good),
		cmocka_unit_test(test_prefix_bad),
		cmocka_unit_test(test_set_and_lengths),
		cmocka_unit_test(test_prefix_contains),
	};

	return cmocka_run_group_tests_name("lib_addr", tests, NULL, NULL);
}
