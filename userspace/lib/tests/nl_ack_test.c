// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: error code and extended ACK extraction from NLMSG_ERROR and
 * NLMSG_DONE, and the one-line error message built from them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/spirec.h>

#include "msgbuild.h"
#include "nl.h"
#include "nl_ack.h"

/*
 * An NLMSG_ERROR as the kernel builds it: the error, the echoed request
 * header, the request's payload unless @capped, then the TLVs if any.
 */
static struct nlmsghdr *build_err(struct msgbuild *mb, int error, bool capped,
				  const char *text, bool with_offs)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	const size_t orig_payload = GENL_HDRLEN + 8;

	memset(mb->buf, 0, sizeof(mb->buf));
	nlh = mnl_nlmsg_put_header(mb->buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = 42;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + orig_payload;
	e->msg.nlmsg_type = 0x1d;
	e->msg.nlmsg_seq = 42;
	if (capped) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	} else {
		uint8_t *orig = mnl_nlmsg_put_extra_header(nlh, orig_payload);

		/* Make the echo look like attributes, to catch misparsing. */
		orig[GENL_HDRLEN] = 8;
		orig[GENL_HDRLEN + 2] = NLMSGERR_ATTR_MSG;
		memcpy(orig + GENL_HDRLEN + 4, "bad", 4);
	}
	if (text || with_offs)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	if (with_offs)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 24);
	mb->nlh = nlh;
	return nlh;
}

static int parse(const struct nlmsghdr *nlh, struct spirec_nl_ack *ack)
{
	return spirec_nl_ack_parse(nlh, nlh->nlmsg_len, ack);
}

static void test_plain_ack(void **state)
{
	struct spirec_nl_ack ack;
	struct msgbuild mb;

	(void)state;
	assert_int_equal(parse(build_err(&mb, 0, true, NULL, false), &ack), 0);
	assert_int_equal(ack.error, 0);
	assert_string_equal(ack.msg, "");
	assert_false(ack.has_offs);
}

static void test_extack_capped(void **state)
{
	struct spirec_nl_ack ack;
	struct msgbuild mb;

	(void)state;
	assert_int_equal(parse(build_err(&mb, -EEXIST, true,
					 "address already on the known-peer list",
					 true), &ack), 0);
	assert_int_equal(ack.error, EEXIST);
	assert_string_equal(ack.msg, "address already on the known-peer list");
	assert_true(ack.has_offs);
	assert_int_equal(ack.offs, 24);
}

static void test_extack_uncapped(void **state)
{
	struct spirec_nl_ack ack;
	struct msgbuild mb;

	(void)state;
	/* The echoed request is skipped, not taken for the TLVs. */
	assert_int_equal(parse(build_err(&mb, -EINVAL, false,
					 "prefix length out of range", false),
			       &ack), 0);
	assert_int_equal(ack.error, EINVAL);
	assert_string_equal(ack.msg, "prefix length out of range");

	/* Uncapped without TLVs: no message. */
	assert_int_equal(parse(build_err(&mb, -EPERM, false, NULL, false),
			       &ack), 0);
	assert_int_equal(ack.error, EPERM);
	assert_string_equal(ack.msg, "");
}

static void test_missing_attr(void **state)
{
	struct spirec_nl_ack ack;
	struct msgbuild mb;
	char line[SPIREC_NL_ERRMSG_LEN];

	(void)state;
	build_err(&mb, -EINVAL, true, "Missing attribute", false);
	mnl_attr_put_u32(mb.nlh, NLMSGERR_ATTR_MISS_TYPE, SPIREC_A_ADDR);
	mnl_attr_put_u32(mb.nlh, NLMSGERR_ATTR_MAX + 1, 0);	/* unknown */
	assert_int_equal(parse(mb.nlh, &ack), 0);
	assert_true(ack.has_miss_type);
	assert_int_equal(ack.miss_type, SPIREC_A_ADDR);
	spirec_nl_format_error(line, sizeof(line), ack.error, &ack);
	assert_string_equal(line, "Invalid argument: Missing attribute (missing attribute 13)");
}

static void test_message_sanitized(void **state)
{
	struct spirec_nl_ack ack;
	struct msgbuild mb;
	char long_text[600];

	(void)state;
	assert_int_equal(parse(build_err(&mb, -EINVAL, true,
					 "bad\x1b[2Jvalue\n", false), &ack), 0);
	assert_string_equal(ack.msg, "bad?[2Jvalue?");

	/* Longer than our buffer: cut, still terminated. */
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	assert_int_equal(parse(build_err(&mb, -EINVAL, true, long_text, false),
			       &ack), 0);
	assert_int_equal(strlen(ack.msg), SPIREC_EXTACK_MSG_LEN - 1);

	/* Not NUL-terminated: taken up to the attribute's end. */
	build_err(&mb, -EINVAL, true, NULL, false);
	mb.nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put(mb.nlh, NLMSGERR_ATTR_MSG, 4, "abcd");
	assert_int_equal(parse(mb.nlh, &ack), 0);
	assert_string_equal(ack.msg, "abcd");
}

static void test_done(void **state)
{
	struct spirec_nl_ack ack;
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	int32_t *err;

	(void)state;
	/* Empty NLMSG_DONE (old kernels). */
	memset(mb.buf, 0, sizeof(mb.buf));
	nlh = mnl_nlmsg_put_header(mb.buf);
	nlh->nlmsg_type = NLMSG_DONE;
	assert_int_equal(parse(nlh, &ack), 0);
	assert_int_equal(ack.error, 0);

	/* A dump that failed midway, with a reason. */
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	*err = -EMSGSIZE;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "entry too big");
	assert_int_equal(parse(nlh, &ack), 0);
	assert_int_equal(ack.error, EMSGSIZE);
	assert_string_equal(ack.msg, "entry too big");

	/* 2 bytes of payload cannot be an error code. */
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(parse(nlh, &ack), -EBADMSG);
}

static void test_malformed(void **state)
{
	struct spirec_nl_ack ack;
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	uint32_t full, len;

	(void)state;
	/* Errors that no kernel sends; negating INT_MIN would overflow. */
	assert_int_equal(parse(build_err(&mb, 5, true, NULL, false), &ack),
			 -EBADMSG);
	assert_int_equal(parse(build_err(&mb, INT_MIN, true, NULL, false),
			       &ack), -EBADMSG);
	assert_int_equal(parse(build_err(&mb, -4096, true, NULL, false),
			       &ack), -EBADMSG);

	/* Echoed request longer than the message. */
	nlh = build_err(&mb, -EINVAL, false, "x", false);
	e = mnl_nlmsg_get_payload(nlh);
	e->msg.nlmsg_len = 4000;
	assert_int_equal(parse(nlh, &ack), -EBADMSG);
	e->msg.nlmsg_len = 3;
	assert_int_equal(parse(nlh, &ack), -EBADMSG);

	/*
	 * Any truncation is refused, except exactly between two TLVs (the
	 * TLVs are optional): after the echo (48) and after the text (64).
	 */
	nlh = build_err(&mb, -EINVAL, false, "some reason", true);
	full = nlh->nlmsg_len;
	assert_int_equal(full, 72);
	for (len = 0; len < full; len++)
		assert_int_equal(spirec_nl_ack_parse(mb.buf, len, &ack),
				 -EBADMSG);
	for (len = NLMSG_HDRLEN; len < full; len++) {
		int want = (len == 48 || len == 64) ? 0 : -EBADMSG;

		nlh->nlmsg_len = len;
		if (parse(nlh, &ack) != want)
			fail_msg("nlmsg_len %u of %u: not %d", len, full, want);
	}

	/* Not an ACK at all. */
	msgbuild_genl(&mb, 0x1d, SPIREC_CMD_EVENT);
	assert_int_equal(parse(mb.nlh, &ack), -EBADMSG);
	assert_int_equal(spirec_nl_ack_parse(NULL, 0, &ack), -EBADMSG);
}

static void test_format(void **state)
{
	struct spirec_nl_ack ack = { .error = EEXIST };
	char line[SPIREC_NL_ERRMSG_LEN], tiny[8];

	(void)state;
	spirec_nl_format_error(line, sizeof(line), EEXIST, NULL);
	assert_string_equal(line, "File exists");
	strcpy(ack.msg, "already on the list");
	spirec_nl_format_error(line, sizeof(line), EEXIST, &ack);
	assert_string_equal(line, "File exists: already on the list");

	spirec_nl_format_error(line, sizeof(line), EPERM, NULL);
	assert_string_equal(line,
		"Operation not permitted: CAP_NET_ADMIN is needed");
	ack.error = EPERM;
	strcpy(ack.msg, "no");
	spirec_nl_format_error(line, sizeof(line), EPERM, &ack);
	assert_string_equal(line,
		"Operation not permitted: no; CAP_NET_ADMIN is needed");

	/* Truncated, terminated. */
	spirec_nl_format_error(tiny, sizeof(tiny), EEXIST, &ack);
	assert_string_equal(tiny, "File ex");
}

static void test_no_family_message(void **state)
{
	(void)state;
	assert_string_equal(SPIREC_NL_NO_FAMILY_MSG,
		"generic netlink family 'spirec' not found: load the module with 'modprobe spirec' (or insmod kmod/spirec.ko)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ack),
		cmocka_unit_test(test_extack_capped),
		cmocka_unit_test(test_extack_uncapped),
		cmocka_unit_test(test_missing_attr),
		cmocka_unit_test(test_message_sanitized),
		cmocka_unit_test(test_done),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_no_family_message),
	};

	return cmocka_run_group_tests_name("lib_nl_ack", tests, NULL, NULL);
}
