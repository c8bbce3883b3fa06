// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: VICI request encoding and response parsing, with the
 * encoding example of strongSwan's vici README and malformed packets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "../vici.h"

static void test_request(void **state)
{
	static const uint8_t want[] = {
		0, 0, 0, 27,
		VICI_CMD_REQUEST, 8, 'i', 'n', 'i', 't', 'i', 'a', 't', 'e',
		VICI_KEY_VALUE, 5, 'c', 'h', 'i', 'l', 'd', 0, 3, 'n', 'e', 't',
		VICI_KEY_VALUE, 1, 't', 0, 0,
	};
	struct vici_request req;

	(void)state;
	vici_request_init(&req, "initiate");
	vici_request_kv(&req, "child", "net");
	vici_request_kv(&req, "t", "");
	assert_true(vici_request_finish(&req));
	assert_int_equal(req.len, sizeof(want));
	assert_memory_equal(req.data, want, sizeof(want));
}

static void test_request_overflow(void **state)
{
	static char big[5000];
	struct vici_request req;
	char key[300];

	(void)state;
	memset(big, 'v', sizeof(big) - 1);
	vici_request_init(&req, "initiate");
	vici_request_kv(&req, "child", big);
	assert_false(vici_request_finish(&req));

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	vici_request_init(&req, "initiate");
	vici_request_kv(&req, key, "v");
	assert_false(vici_request_finish(&req));
}

/* The README's example message, then success/errmsg at the root. */
static const uint8_t example[] = {
	VICI_CMD_RESPONSE,
	3, 4, 'k', 'e', 'y', '1', 0, 6, 'v', 'a', 'l', 'u', 'e', '1',
	1, 8, 's', 'e', 'c', 't', 'i', 'o', 'n', '1',
	1, 11, 's', 'u', 'b', '-', 's', 'e', 'c', 't', 'i', 'o', 'n',
	3, 4, 'k', 'e', 'y', '2', 0, 6, 'v', 'a', 'l', 'u', 'e', '2',
	2,
	/* a nested "success = no" must not count */
	3, 7, 's', 'u', 'c', 'c', 'e', 's', 's', 0, 2, 'n', 'o',
	4, 5, 'l', 'i', 's', 't', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '2',
	6,
	2,
	3, 7, 's', 'u', 'c', 'c', 'e', 's', 's', 0, 3, 'y', 'e', 's',
	3, 6, 'e', 'r', 'r', 'm', 's', 'g', 0, 4, 'o', 'k', '\n', 0x80,
};

static void test_response(void **state)
{
	struct vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(vici_reply_parse(example, sizeof(example), NULL, &r, &why), 0);
	assert_int_equal(r.type, VICI_CMD_RESPONSE);
	assert_true(r.has_success);
	assert_true(r.success);
	/* Non-printable bytes are replaced for the log. */
	assert_string_equal(r.errmsg, "ok??");
}

static void test_response_failure(void **state)
{
	static const uint8_t pkt[] = {
		VICI_CMD_RESPONSE,
		3, 7, 's', 'u', 'c', 'c', 'e', 's', 's', 0, 2, 'n', 'o',
		3, 6, 'e', 'r', 'r', 'm', 's', 'g', 0, 20,
		'C', 'H', 'I', 'L', 'D', '_', 'S', 'A', ' ', 'n', 'o', 't', ' ',
		'f', 'o', 'u', 'n',
	};
	struct vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(vici_reply_parse(pkt, sizeof(pkt) - 0, NULL, &r, &why),
			 -EBADMSG);	/* the value is 20 bytes, 17 present */
	assert_string_equal(why, "truncated key/value");
}

static void test_response_no(void **state)
{
	static const uint8_t pkt[] = {
		VICI_CMD_RESPONSE,
		3, 7, 's', 'u', 'c', 'c', 'e', 's', 's', 0, 2, 'n', 'o',
		3, 6, 'e', 'r', 'r', 'm', 's', 'g', 0, 7,
		't', 'i', 'm', 'e', 'o', 'u', 't',
	};
	struct vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(vici_reply_parse(pkt, sizeof(pkt), NULL, &r, &why), 0);
	assert_true(r.has_success);
	assert_false(r.success);
	assert_string_equal(r.errmsg, "timeout");
}

static void test_event_and_others(void **state)
{
	static const uint8_t ev[] = {
		VICI_EVENT, 11, 'c', 'o', 'n', 't', 'r', 'o', 'l', '-', 'l', 'o', 'g',
		3, 3, 'm', 's', 'g', 0, 2, 'h', 'i',
	};
	static const uint8_t unknown[] = { VICI_CMD_UNKNOWN };
	static const uint8_t confirm[] = { VICI_EVENT_CONFIRM };
	struct vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(vici_reply_parse(ev, sizeof(ev), NULL, &r, &why), 0);
	assert_int_equal(r.type, VICI_EVENT);
	assert_string_equal(r.name, "control-log");
	assert_false(r.has_success);
	assert_int_equal(vici_reply_parse(unknown, 1, NULL, &r, &why), 0);
	assert_int_equal(r.type, VICI_CMD_UNKNOWN);
	assert_int_equal(vici_reply_parse(confirm, 1, NULL, &r, &why), 0);
	assert_int_equal(r.type, VICI_EVENT_CONFIRM);
}

static void bad(const uint8_t *p, size_t n, const char *want)
{
	struct vici_reply r;
	const char *why = NULL;

	assert_int_equal(vici_reply_parse(p, n, NULL, &r, &why), -EBADMSG);
	assert_non_null(why);
	assert_string_equal(why, want);
}

static void test_malformed(void **state)
{
	(void)state;
	bad((const uint8_t *)"", 0, "empty packet");
	bad((const uint8_t []){ VICI_CMD_REQUEST, 1, 'x' }, 3,
	    "packet type a server does not send");
	bad((const uint8_t []){ 9 }, 1, "packet type a server does not send");
	bad((const uint8_t []){ VICI_CMD_UNKNOWN, 1 }, 2, "unexpected payload");
	bad((const uint8_t []){ VICI_EVENT, 5, 'a' }, 3, "truncated event name");
	bad((const uint8_t []){ VICI_EVENT, 0 }, 2, "truncated event name");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 1, 3, 'a' }, 4,
	    "truncated section name");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 1, 1, 'a' }, 4,
	    "message ends inside a section or list");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 2 }, 2,
	    "unbalanced section end");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 3, 1, 'k', 0 }, 5,
	    "truncated key/value");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 3, 0, 0, 0 }, 5,
	    "truncated key/value");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 4, 1, 'l', 4, 1, 'm' }, 7,
	    "nested list");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 4, 1, 'l', 3, 1, 'k', 0, 0 }, 9,
	    "key/value inside a list");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 4, 1, 'l', 1, 1, 's' }, 7,
	    "section inside a list");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 4, 1, 'l', 2 }, 5,
	    "unbalanced section end");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 5, 0, 0 }, 4,
	    "list item outside a list");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 6 }, 2,
	    "list end outside a list");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 4, 1, 'l', 5, 0, 9, 'x' }, 8,
	    "truncated list item");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 4, 1, 'l' }, 4,
	    "message ends inside a section or list");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 7 }, 2,
	    "unknown message element type");
	bad((const uint8_t []){ VICI_CMD_RESPONSE, 0 }, 2,
	    "unknown message element type");
}

static void test_depth_limit(void **state)
{
	uint8_t pkt[1 + 4 * (VICI_MAX_DEPTH + 1) + VICI_MAX_DEPTH + 1];
	size_t n = 0;
	struct vici_reply r;
	const char *why = NULL;
	int i;

	(void)state;
	pkt[n++] = VICI_CMD_RESPONSE;
	for (i = 0; i < VICI_MAX_DEPTH; i++) {
		pkt[n++] = VICI_SECTION_START;
		pkt[n++] = 2;
		pkt[n++] = 's';
		pkt[n++] = 's';
	}
	for (i = 0; i < VICI_MAX_DEPTH; i++)
		pkt[n++] = VICI_SECTION_END;
	assert_int_equal(vici_reply_parse(pkt, n, NULL, &r, &why), 0);

	n = 1;
	for (i = 0; i <= VICI_MAX_DEPTH; i++) {
		pkt[n++] = VICI_SECTION_START;
		pkt[n++] = 2;
		pkt[n++] = 's';
		pkt[n++] = 's';
	}
	assert_int_equal(vici_reply_parse(pkt, n, NULL, &r, &why), -EBADMSG);
	assert_string_equal(why, "sections nested too deep");
}

static void test_want_item(void **state)
{
	static const uint8_t conns[] = {
		VICI_CMD_RESPONSE,
		4, 5, 'c', 'o', 'n', 'n', 's',
		5, 0, 2, 'g', 'w',
		5, 0, 3, 'g', 'w', '2',
		6,
		1, 1, 's',
		4, 1, 'l', 5, 0, 3, 'n', 'e', 't', 6,
		2,
	};
	struct vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(vici_reply_parse(conns, sizeof(conns), "gw", &r, &why), 0);
	assert_true(r.item_found);
	assert_int_equal(vici_reply_parse(conns, sizeof(conns), "gw2", &r, &why), 0);
	assert_true(r.item_found);
	assert_int_equal(vici_reply_parse(conns, sizeof(conns), "g", &r, &why), 0);
	assert_false(r.item_found);
	/* Only lists of the root section count. */
	assert_int_equal(vici_reply_parse(conns, sizeof(conns), "net", &r, &why), 0);
	assert_false(r.item_found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_request_overflow),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_response_failure),
		cmocka_unit_test(test_response_no),
		cmocka_unit_test(test_event_and_others),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_want_item),
	};

	return cmocka_run_group_tests_name("spirecd_vici", tests, NULL, NULL);
}
