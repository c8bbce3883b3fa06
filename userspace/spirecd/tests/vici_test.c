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

#include <stdio.h>

#include "../vici.h"
#include "vici_build.h"

static void test_request(void **state)
{
	static const uint8_t want[] = {
		0, 0, 0, 27,
		VICI_CMD_REQUEST, 8, 'i', 'n', 'i', 't', 'i', 'a', 't', 'e',
		VICI_KEY_VALUE, 5, 'c', 'h', 'i', 'l', 'd', 0, 3, 'n', 'e', 't',
		VICI_KEY_VALUE, 1, 't', 0, 0,
	};
	struct spirecd_vici_request req;

	(void)state;
	spirecd_vici_request_init(&req, "initiate");
	spirecd_vici_request_kv(&req, "child", "net");
	spirecd_vici_request_kv(&req, "t", "");
	assert_true(spirecd_vici_request_finish(&req));
	assert_int_equal(req.len, sizeof(want));
	assert_memory_equal(req.data, want, sizeof(want));
}

static void test_request_overflow(void **state)
{
	static char big[5000];
	struct spirecd_vici_request req;
	char key[300];

	(void)state;
	memset(big, 'v', sizeof(big) - 1);
	spirecd_vici_request_init(&req, "initiate");
	spirecd_vici_request_kv(&req, "child", big);
	assert_false(spirecd_vici_request_finish(&req));

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	spirecd_vici_request_init(&req, "initiate");
	spirecd_vici_request_kv(&req, key, "v");
	assert_false(spirecd_vici_request_finish(&req));
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
	struct spirecd_vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(spirecd_vici_reply_parse(example, sizeof(example), NULL, &r, &why), 0);
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
	struct spirecd_vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(spirecd_vici_reply_parse(pkt, sizeof(pkt) - 0, NULL, &r, &why),
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
	struct spirecd_vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(spirecd_vici_reply_parse(pkt, sizeof(pkt), NULL, &r, &why), 0);
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
	struct spirecd_vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(spirecd_vici_reply_parse(ev, sizeof(ev), NULL, &r, &why), 0);
	assert_int_equal(r.type, VICI_EVENT);
	assert_string_equal(r.name, "control-log");
	assert_false(r.has_success);
	assert_int_equal(spirecd_vici_reply_parse(unknown, 1, NULL, &r, &why), 0);
	assert_int_equal(r.type, VICI_CMD_UNKNOWN);
	assert_int_equal(spirecd_vici_reply_parse(confirm, 1, NULL, &r, &why), 0);
	assert_int_equal(r.type, VICI_EVENT_CONFIRM);
}

static void bad(const uint8_t *p, size_t n, const char *want)
{
	struct spirecd_vici_reply r;
	const char *why = NULL;

	assert_int_equal(spirecd_vici_reply_parse(p, n, NULL, &r, &why), -EBADMSG);
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
	struct spirecd_vici_reply r;
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
	assert_int_equal(spirecd_vici_reply_parse(pkt, n, NULL, &r, &why), 0);

	n = 1;
	for (i = 0; i <= VICI_MAX_DEPTH; i++) {
		pkt[n++] = VICI_SECTION_START;
		pkt[n++] = 2;
		pkt[n++] = 's';
		pkt[n++] = 's';
	}
	assert_int_equal(spirecd_vici_reply_parse(pkt, n, NULL, &r, &why), -EBADMSG);
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
	struct spirecd_vici_reply r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(spirecd_vici_reply_parse(conns, sizeof(conns), "gw", &r, &why), 0);
	assert_true(r.item_found);
	assert_int_equal(spirecd_vici_reply_parse(conns, sizeof(conns), "gw2", &r, &why), 0);
	assert_true(r.item_found);
	assert_int_equal(spirecd_vici_reply_parse(conns, sizeof(conns), "g", &r, &why), 0);
	assert_false(r.item_found);
	/* Only lists of the root section count. */
	assert_int_equal(spirecd_vici_reply_parse(conns, sizeof(conns), "net", &r, &why), 0);
	assert_false(r.item_found);
}

struct walk_log {
	char text[512];
};

static int walk_cb(const struct spirecd_vici_elem *e, void *ctx)
{
	struct walk_log *w = ctx;
	size_t n = strlen(w->text);

	snprintf(w->text + n, sizeof(w->text) - n, "%d@%u:%.*s=%.*s ",
		 e->type, e->depth, (int)e->nlen, e->name ? (const char *)e->name : "",
		 (int)e->vlen, e->val ? (const char *)e->val : "");
	return 0;
}

/* The walker's depths: the README example (after the type byte). */
static void test_walk(void **state)
{
	struct walk_log w = { "" };
	const char *why = NULL;

	(void)state;
	assert_int_equal(spirecd_vici_message_walk(example + 1, sizeof(example) - 1,
						   walk_cb, &w, &why), 0);
	assert_string_equal(w.text,
			    "3@0:key1=value1 1@0:section1= 1@1:sub-section= "
			    "3@2:key2=value2 2@1:= 3@1:success=no 4@1:list1= "
			    "5@1:=item1 5@1:=item2 6@1:= 2@0:= 3@0:success=yes "
			    "3@0:errmsg=ok\n\x80 ");
}

static int stop_cb(const struct spirecd_vici_elem *e, void *ctx)
{
	(void)ctx;
	return e->type == VICI_LIST_START;
}

static void test_walk_stop(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(spirecd_vici_message_walk(example + 1, sizeof(example) - 1,
						   stop_cb, NULL, &why), -EBADMSG);
	assert_string_equal(why, "rejected by the reader");
}

struct sas {
	struct spirecd_vici_ike_sa sa[4];
	unsigned int n;
};

static int sas_cb(const struct spirecd_vici_ike_sa *sa, void *ctx)
{
	struct sas *s = ctx;

	if (s->n < 4)
		s->sa[s->n] = *sa;
	s->n++;
	return 0;
}

static void test_list_sa(void **state)
{
	static const char *const children[] = {
		"INSTALLED", "REKEYED", "INSTALLED", NULL,
	};
	struct sas s = { 0 };
	struct vb b;
	const char *why = NULL;

	(void)state;
	vb_list_sa(&b, "gw", "ESTABLISHED", "192.0.2.1", "router-a.example.org",
		   children);
	assert_int_equal(spirecd_vici_list_sa_parse(b.buf, b.len, sas_cb, &s, &why), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.sa[0].name, "gw");
	assert_string_equal(s.sa[0].state, "ESTABLISHED");
	assert_string_equal(s.sa[0].remote_host, "192.0.2.1");
	assert_string_equal(s.sa[0].remote_id, "router-a.example.org");
	assert_int_equal(s.sa[0].children, 3);
	assert_int_equal(s.sa[0].children_installed, 2);
	assert_int_equal(s.sa[0].nspi_in, 2);
	assert_int_equal(s.sa[0].spi_in[0], 0xc0000001);
	assert_int_equal(s.sa[0].spi_in[1], 0xc0000003);

	/* A childless IKE SA (spirecd's own, or RFC 6023). */
	memset(&s, 0, sizeof(s));
	vb_list_sa(&b, "gw", "CONNECTING", "2001:db8::1", "%any", NULL);
	assert_int_equal(spirecd_vici_list_sa_parse(b.buf, b.len, sas_cb, &s, &why), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.sa[0].state, "CONNECTING");
	assert_int_equal(s.sa[0].children, 0);

	/* Other events and packets are not list-sa. */
	vb_start(&b, VICI_EVENT, "ike-updown");
	vb_section(&b, "gw");
	vb_end(&b);
	assert_int_equal(spirecd_vici_list_sa_parse(b.buf, b.len, sas_cb, &s, &why),
			 -ENOMSG);
	vb_start(&b, VICI_CMD_RESPONSE, NULL);
	assert_int_equal(spirecd_vici_list_sa_parse(b.buf, b.len, sas_cb, &s, &why),
			 -ENOMSG);

	/* Malformed: a reason, no IKE SA reported. */
	memset(&s, 0, sizeof(s));
	vb_list_sa(&b, "gw", "ESTABLISHED", "192.0.2.1", "a", children);
	b.len--;
	assert_int_equal(spirecd_vici_list_sa_parse(b.buf, b.len, sas_cb, &s, &why),
			 -EBADMSG);
	assert_string_equal(why, "message ends inside a section or list");
	assert_int_equal(s.n, 0);
	assert_int_equal(spirecd_vici_list_sa_parse(b.buf, 0, sas_cb, &s, &why),
			 -EBADMSG);
	assert_string_equal(why, "empty packet");
	assert_int_equal(spirecd_vici_list_sa_parse((const uint8_t *)"\x07\x09li", 4,
						    sas_cb, &s, &why), -EBADMSG);
	assert_string_equal(why, "truncated event name");
}

/* Keys where the IKE SA's are expected only count there. */
static void test_list_sa_nesting(void **state)
{
	struct sas s = { 0 };
	struct vb b;
	const char *why = NULL;

	(void)state;
	vb_start(&b, VICI_EVENT, "list-sa");
	vb_kv(&b, "state", "ESTABLISHED");	/* root: not an IKE SA */
	vb_section(&b, "gw");
	vb_section(&b, "other");
	vb_kv(&b, "state", "ESTABLISHED");	/* not the IKE SA's */
	vb_section(&b, "x");
	vb_kv(&b, "state", "INSTALLED");	/* not a CHILD SA */
	vb_end(&b);
	vb_end(&b);
	vb_kv(&b, "state", "DELETING");
	vb_section(&b, "child-sas");
	vb_section(&b, "c");
	vb_kv(&b, "spi-in", "xyz");		/* bad: no SPI */
	vb_kv(&b, "state", "INSTALLED");
	vb_section(&b, "deeper");
	vb_kv(&b, "state", "REKEYED");	/* not the CHILD SA's */
	vb_end(&b);
	vb_end(&b);
	vb_end(&b);
	vb_end(&b);
	vb_section(&b, "gw2");
	vb_end(&b);
	assert_int_equal(spirecd_vici_list_sa_parse(b.buf, b.len, sas_cb, &s, &why), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.sa[0].state, "DELETING");
	assert_int_equal(s.sa[0].children, 1);
	assert_int_equal(s.sa[0].children_installed, 1);
	assert_int_equal(s.sa[0].nspi_in, 0);
	assert_string_equal(s.sa[1].name, "gw2");
	assert_string_equal(s.sa[1].state, "");
}

static void test_request_register(void **state)
{
	static const uint8_t want[] = {
		0, 0, 0, 9, VICI_EVENT_REGISTER, 7, 'l', 'i', 's', 't', '-', 's', 'a',
	};
	struct spirecd_vici_request req;

	(void)state;
	spirecd_vici_request_init_type(&req, VICI_EVENT_REGISTER, "list-sa");
	assert_true(spirecd_vici_request_finish(&req));
	assert_int_equal(req.len, sizeof(want));
	assert_memory_equal(req.data, want, sizeof(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_walk_stop),
		cmocka_unit_test(test_list_sa),
		cmocka_unit_test(test_list_sa_nesting),
		cmocka_unit_test(test_request_register),
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
