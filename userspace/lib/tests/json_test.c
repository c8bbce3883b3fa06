// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: JSON writer and string escaping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static void capture_begin(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

/* Close the stream and compare what was written with @want. */
static void capture_check(struct capture *c, const char *want)
{
	assert_int_equal(fclose(c->f), 0);
	assert_string_equal(c->buf, want);
	free(c->buf);
}

static void check_escape(const char *in, const char *want)
{
	struct capture c;

	capture_begin(&c);
	spirec_json_write_string(c.f, in);
	capture_check(&c, want);
}

static void test_escape_plain(void **state)
{
	(void)state;
	check_escape("", "\"\"");
	check_escape("192.0.2.1", "\"192.0.2.1\"");
	check_escape(NULL, "\"\"");
}

static void test_escape_specials(void **state)
{
	(void)state;
	check_escape("a\"b", "\"a\\\"b\"");
	check_escape("a\\b", "\"a\\\\b\"");
	check_escape("/", "\"/\"");
	check_escape("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	check_escape("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	check_escape("\x1b[31m", "\"\\u001b[31m\"");
}

static void test_escape_utf8(void **state)
{
	(void)state;
	/* Valid UTF-8 passes through unchanged. */
	check_escape("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	check_escape("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	check_escape("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	/* Invalid bytes become U+FFFD, one per bad byte. */
	check_escape("\xff", "\"\\ufffd\"");
	check_escape("a\xc3", "\"a\\ufffd\"");
	check_escape("\xc0\xaf", "\"\\ufffd\\ufffd\"");	/* overlong '/' */
	check_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	check_escape("\xf4\x90\x80\x80",
		     "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	check_escape("\xe2\x82", "\"\\ufffd\\ufffd\"");	/* truncated */
}

static void test_writer_structure(void **state)
{
	struct spirec_json j;
	struct capture c;

	(void)state;
	capture_begin(&c);
	spirec_json_init(&j, c.f);
	spirec_json_obj_begin(&j);
	spirec_json_kv_str(&j, "name", "x\"y");
	spirec_json_kv_u64(&j, "big", UINT64_MAX);
	spirec_json_kv_bool(&j, "on", true);
	spirec_json_kv_bool(&j, "off", false);
	spirec_json_key(&j, "list");
	spirec_json_arr_begin(&j);
	spirec_json_u64(&j, 0);
	spirec_json_str(&j, "a");
	spirec_json_obj_begin(&j);
	spirec_json_obj_end(&j);
	spirec_json_arr_begin(&j);
	spirec_json_arr_end(&j);
	spirec_json_arr_end(&j);
	spirec_json_key(&j, "empty");
	spirec_json_obj_begin(&j);
	spirec_json_obj_end(&j);
	spirec_json_obj_end(&j);
	capture_check(&c, "{\"name\":\"x\\\"y\",\"big\":18446744073709551615,\"on\":true,\"off\":false,\"list\":[0,\"a\",{},[]],\"empty\":{}}");
}

static void test_writer_top_level_array(void **state)
{
	struct spirec_json j;
	struct capture c;

	(void)state;
	capture_begin(&c);
	spirec_json_init(&j, c.f);
	spirec_json_arr_begin(&j);
	spirec_json_obj_begin(&j);
	spirec_json_kv_u64(&j, "a", 1);
	spirec_json_obj_end(&j);
	spirec_json_obj_begin(&j);
	spirec_json_kv_u64(&j, "a", 2);
	spirec_json_obj_end(&j);
	spirec_json_arr_end(&j);
	assert_false(j.overflow);
	assert_int_equal(j.depth, 0);
	capture_check(&c, "[{\"a\":1},{\"a\":2}]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_specials),
		cmocka_unit_test(test_escape_utf8),
		cmocka_unit_test(test_writer_structure),
		cmocka_unit_test(test_writer_top_level_array),
	};

	return cmocka_run_group_tests_name("lib_json", tests, NULL, NULL);
}
