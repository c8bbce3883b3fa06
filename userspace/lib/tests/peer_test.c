// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: SPIREC_CMD_GET_PEERS dump message parsing.
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

#include "msgbuild.h"
#include "peer.h"

#define FAMILY_ID	0x1d

static const uint8_t v4[4] = { 203, 0, 113, 9 };
static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };

/* Start a peer message; the caller adds entry attributes and ends it. */
static struct nlattr *peer_begin(struct msgbuild *mb)
{
	struct nlmsghdr *nlh = msgbuild_genl(mb, FAMILY_ID,
					     SPIREC_CMD_GET_PEERS);

	nlh->nlmsg_flags = NLM_F_MULTI;
	return mnl_attr_nest_start(nlh, SPIREC_A_PEER);
}

static void put_full_v4(struct msgbuild *mb)
{
	mnl_attr_put_u16(mb->nlh, SPIREC_PEER_A_FAMILY, AF_INET);
	mnl_attr_put(mb->nlh, SPIREC_PEER_A_ADDR, sizeof(v4), v4);
	mnl_attr_put_u64(mb->nlh, SPIREC_PEER_A_PACKETS, 100);
	mnl_attr_put_u64(mb->nlh, SPIREC_PEER_A_EVENTS, 3);
	mnl_attr_put_u64(mb->nlh, SPIREC_PEER_A_SUPPRESSED, 97);
	mnl_attr_put_u32(mb->nlh, SPIREC_PEER_A_LAST_SPI, 0xdeadbeef);
	mnl_attr_put_u8(mb->nlh, SPIREC_PEER_A_LAST_PROTO, IPPROTO_ESP);
	mnl_attr_put_u8(mb->nlh, SPIREC_PEER_A_LAST_ENCAP, SPIREC_ENCAP_UDP);
	mnl_attr_put_u64(mb->nlh, SPIREC_PEER_A_LAST_SEEN_MS, 1234);
	mnl_attr_put_u8(mb->nlh, SPIREC_PEER_A_KNOWN, 1);
}

static int parse(const struct msgbuild *mb, struct spirec_peer_row *p,
		 const char **why)
{
	return spirec_peer_row_parse(mb->nlh, mb->nlh->nlmsg_len, p, why);
}

static void test_valid_v4(void **state)
{
	struct spirec_peer_row p;
	struct msgbuild mb;
	struct nlattr *nest = peer_begin(&mb);

	(void)state;
	put_full_v4(&mb);
	mnl_attr_nest_end(mb.nlh, nest);
	assert_int_equal(parse(&mb, &p, NULL), 0);
	assert_int_equal(p.addr.family, AF_INET);
	assert_memory_equal(p.addr.bytes, v4, 4);
	assert_int_equal(p.packets, 100);
	assert_int_equal(p.events, 3);
	assert_int_equal(p.suppressed, 97);
	assert_int_equal(p.last_spi, 0xdeadbeef);
	assert_int_equal(p.last_proto, IPPROTO_ESP);
	assert_int_equal(p.last_encap, SPIREC_ENCAP_UDP);
	assert_int_equal(p.last_seen_ms, 1234);
	assert_true(p.known);
}

static void test_minimal_v6_and_unknown(void **state)
{
	struct spirec_peer_row p;
	struct msgbuild mb;
	struct nlattr *nest = peer_begin(&mb);

	(void)state;
	mnl_attr_put_u32(mb.nlh, SPIREC_PEER_A_MAX + 1, 7);
	mnl_attr_put(mb.nlh, SPIREC_PEER_A_ADDR, sizeof(v6), v6);
	mnl_attr_put_u16(mb.nlh, SPIREC_PEER_A_FAMILY, AF_INET6);
	mnl_attr_nest_end(mb.nlh, nest);
	mnl_attr_put_u32(mb.nlh, SPIREC_A_MAX + 1, 7);
	assert_int_equal(parse(&mb, &p, NULL), 0);
	assert_int_equal(p.addr.family, AF_INET6);
	assert_memory_equal(p.addr.bytes, v6, 16);
	assert_int_equal(p.packets, 0);
	assert_false(p.known);
}

static void test_missing(void **state)
{
	struct spirec_peer_row p;
	struct msgbuild mb;
	struct nlattr *nest;
	const char *why = NULL;

	(void)state;
	/* No nest at all. */
	msgbuild_genl(&mb, FAMILY_ID, SPIREC_CMD_GET_PEERS);
	assert_int_equal(parse(&mb, &p, &why), -EBADMSG);
	assert_string_equal(why, "no peer attribute");

	/* No address. */
	nest = peer_begin(&mb);
	mnl_attr_put_u16(mb.nlh, SPIREC_PEER_A_FAMILY, AF_INET);
	mnl_attr_nest_end(mb.nlh, nest);
	assert_int_equal(parse(&mb, &p, &why), -EBADMSG);
	assert_string_equal(why, "peer without family or address");

	/* No family. */
	nest = peer_begin(&mb);
	mnl_attr_put(mb.nlh, SPIREC_PEER_A_ADDR, sizeof(v4), v4);
	mnl_attr_nest_end(mb.nlh, nest);
	assert_int_equal(parse(&mb, &p, &why), -EBADMSG);
}

static void test_inconsistent(void **state)
{
	static const struct {
		uint16_t type;
		uint8_t value;
	} bad_u8[] = {
		{ SPIREC_PEER_A_LAST_PROTO, IPPROTO_UDP },
		{ SPIREC_PEER_A_LAST_ENCAP, 7 },
		{ SPIREC_PEER_A_KNOWN, 2 },
	};
	struct spirec_peer_row p;
	struct msgbuild mb;
	struct nlattr *nest;
	const char *why = NULL;
	size_t i;

	(void)state;
	/* Family IPv6, address of 4 bytes. */
	nest = peer_begin(&mb);
	mnl_attr_put_u16(mb.nlh, SPIREC_PEER_A_FAMILY, AF_INET6);
	mnl_attr_put(mb.nlh, SPIREC_PEER_A_ADDR, sizeof(v4), v4);
	mnl_attr_nest_end(mb.nlh, nest);
	assert_int_equal(parse(&mb, &p, &why), -EBADMSG);
	assert_string_equal(why, "address length does not match the family");

	for (i = 0; i < sizeof(bad_u8) / sizeof(bad_u8[0]); i++) {
		nest = peer_begin(&mb);
		put_full_v4(&mb);
		mnl_attr_put_u8(mb.nlh, bad_u8[i].type, bad_u8[i].value);
		mnl_attr_nest_end(mb.nlh, nest);
		assert_int_equal(parse(&mb, &p, NULL), -EBADMSG);
	}
}

static void test_wrong_lengths(void **state)
{
	static const uint8_t zero[16];
	static const struct {
		uint16_t type;
		size_t len;
	} cases[] = {
		{ SPIREC_PEER_A_FAMILY, 1 }, { SPIREC_PEER_A_PACKETS, 4 },
		{ SPIREC_PEER_A_EVENTS, 0 }, { SPIREC_PEER_A_SUPPRESSED, 16 },
		{ SPIREC_PEER_A_LAST_SPI, 8 }, { SPIREC_PEER_A_LAST_PROTO, 4 },
		{ SPIREC_PEER_A_LAST_ENCAP, 2 },
		{ SPIREC_PEER_A_LAST_SEEN_MS, 4 }, { SPIREC_PEER_A_KNOWN, 4 },
		{ SPIREC_PEER_A_ADDR, 6 },
	};
	struct spirec_peer_row p;
	struct msgbuild mb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlattr *nest = peer_begin(&mb);

		put_full_v4(&mb);
		msgbuild_raw(&mb, cases[i].type, zero, cases[i].len);
		mnl_attr_nest_end(mb.nlh, nest);
		if (parse(&mb, &p, NULL) != -EBADMSG)
			fail_msg("type %u with length %zu accepted",
				 cases[i].type, cases[i].len);
	}
}

static void test_truncated(void **state)
{
	struct spirec_peer_row p;
	struct msgbuild mb;
	struct nlattr *nest = peer_begin(&mb);
	uint32_t full, len;

	(void)state;
	put_full_v4(&mb);
	mnl_attr_nest_end(mb.nlh, nest);
	full = mb.nlh->nlmsg_len;
	for (len = 0; len < full; len++)
		assert_int_equal(spirec_peer_row_parse(mb.buf, len, &p, NULL),
				 -EBADMSG);
	for (len = NLMSG_HDRLEN + GENL_HDRLEN; len < full; len++) {
		mb.nlh->nlmsg_len = len;
		assert_int_equal(parse(&mb, &p, NULL), -EBADMSG);
	}
	mb.nlh->nlmsg_len = full;
	/* The nest claims 4 bytes less: its last attribute is cut. */
	nest->nla_len -= 4;
	assert_int_equal(parse(&mb, &p, NULL), -EBADMSG);
}

static void test_other_command(void **state)
{
	struct spirec_peer_row p;
	struct msgbuild mb;

	(void)state;
	msgbuild_genl(&mb, FAMILY_ID, SPIREC_CMD_KNOWN_GET);
	assert_int_equal(parse(&mb, &p, NULL), -ENOMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_v4),
		cmocka_unit_test(test_minimal_v6_and_unknown),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_inconsistent),
		cmocka_unit_test(test_wrong_lengths),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_other_command),
	};

	return cmocka_run_group_tests_name("lib_peer", tests, NULL, NULL);
}
