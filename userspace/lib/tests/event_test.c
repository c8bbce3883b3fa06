// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: SPIREC_CMD_EVENT parsing and its JSON line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/spirec.h>

#include "event.h"
#include "event_json.h"
#include "msgbuild.h"

#define FAMILY_ID	0x1d

static const uint8_t v4_src[4] = { 192, 0, 2, 1 };
static const uint8_t v4_dst[4] = { 198, 51, 100, 2 };
static const uint8_t v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xab,
				    [15] = 0xcd };

/* Attributes to leave out of a built event. */
enum {
	OMIT_FAMILY = 1 << 0,
	OMIT_SRC = 1 << 1,
	OMIT_DST = 1 << 2,
	OMIT_SPI = 1 << 3,
	OMIT_PROTO = 1 << 4,
	OMIT_ENCAP = 1 << 5,
	OMIT_PORTS = 1 << 6,
	OMIT_OPTIONAL = 1 << 7,	/* ifindex, mark, suppressed, live_sas */
};

struct ev_spec {
	uint16_t family;
	uint8_t proto, encap;
	unsigned int omit;
};

static struct nlmsghdr *build_event(struct msgbuild *mb,
				    const struct ev_spec *s)
{
	bool v6 = s->family == AF_INET6;
	struct nlmsghdr *nlh = msgbuild_genl(mb, FAMILY_ID, SPIREC_CMD_EVENT);

	if (!(s->omit & OMIT_FAMILY))
		mnl_attr_put_u16(nlh, SPIREC_A_FAMILY, s->family);
	if (!(s->omit & OMIT_SRC))
		mnl_attr_put(nlh, SPIREC_A_SRC, v6 ? 16 : 4,
			     v6 ? (const void *)v6_src : v4_src);
	if (!(s->omit & OMIT_DST))
		mnl_attr_put(nlh, SPIREC_A_DST, v6 ? 16 : 4,
			     v6 ? (const void *)v6_dst : v4_dst);
	if (!(s->omit & OMIT_SPI))
		mnl_attr_put_u32(nlh, SPIREC_A_SPI, 0xc0ffee01);
	if (!(s->omit & OMIT_PROTO))
		mnl_attr_put_u8(nlh, SPIREC_A_PROTO, s->proto);
	if (!(s->omit & OMIT_ENCAP))
		mnl_attr_put_u8(nlh, SPIREC_A_ENCAP, s->encap);
	if (s->encap == SPIREC_ENCAP_UDP && !(s->omit & OMIT_PORTS)) {
		mnl_attr_put_u16(nlh, SPIREC_A_SPORT, 4500);
		mnl_attr_put_u16(nlh, SPIREC_A_DPORT, 4500);
	}
	if (!(s->omit & OMIT_OPTIONAL)) {
		mnl_attr_put_u32(nlh, SPIREC_A_IFINDEX, 3);
		mnl_attr_put_u32(nlh, SPIREC_A_MARK, 0x2a);
		mnl_attr_put_u64(nlh, SPIREC_A_SUPPRESSED, 7);
		mnl_attr_put_u32(nlh, SPIREC_A_LIVE_SAS, 2);
	}
	return nlh;
}

static const struct ev_spec esp4 = { AF_INET, IPPROTO_ESP, SPIREC_ENCAP_NONE, 0 };

static int parse(const struct nlmsghdr *nlh, struct spirec_event_msg *ev,
		 const char **why)
{
	return spirec_event_msg_parse(nlh, nlh->nlmsg_len, ev, why);
}

static void test_valid_esp4(void **state)
{
	struct spirec_event_msg ev;
	struct msgbuild mb;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse(build_event(&mb, &esp4), &ev, &why), 0);
	assert_null(why);
	assert_int_equal(ev.family, AF_INET);
	assert_int_equal(ev.src.family, AF_INET);
	assert_memory_equal(ev.src.bytes, v4_src, 4);
	assert_memory_equal(ev.dst.bytes, v4_dst, 4);
	assert_int_equal(ev.spi, 0xc0ffee01);
	assert_int_equal(ev.proto, IPPROTO_ESP);
	assert_int_equal(ev.encap, SPIREC_ENCAP_NONE);
	assert_int_equal(ev.sport, 0);
	assert_int_equal(ev.ifindex, 3);
	assert_int_equal(ev.mark, 0x2a);
	assert_int_equal(ev.suppressed, 7);
	assert_true(ev.live_sas_known);
	assert_int_equal(ev.live_sas, 2);
}

static void test_valid_udp6(void **state)
{
	const struct ev_spec s = { AF_INET6, IPPROTO_ESP, SPIREC_ENCAP_UDP, 0 };
	struct spirec_event_msg ev;
	struct msgbuild mb;

	(void)state;
	assert_int_equal(parse(build_event(&mb, &s), &ev, NULL), 0);
	assert_int_equal(ev.family, AF_INET6);
	assert_memory_equal(ev.src.bytes, v6_src, 16);
	assert_memory_equal(ev.dst.bytes, v6_dst, 16);
	assert_int_equal(ev.encap, SPIREC_ENCAP_UDP);
	assert_int_equal(ev.sport, 4500);
	assert_int_equal(ev.dport, 4500);
}

static void test_optional_absent(void **state)
{
	const struct ev_spec s = { AF_INET, IPPROTO_AH, SPIREC_ENCAP_NONE,
				   OMIT_OPTIONAL };
	struct spirec_event_msg ev;
	struct msgbuild mb;

	(void)state;
	assert_int_equal(parse(build_event(&mb, &s), &ev, NULL), 0);
	assert_int_equal(ev.proto, IPPROTO_AH);
	assert_int_equal(ev.ifindex, 0);
	assert_int_equal(ev.mark, 0);
	assert_int_equal(ev.suppressed, 0);
	assert_false(ev.live_sas_known);
	assert_int_equal(ev.live_sas, 0);
}

static void test_unknown_attrs_ignored(void **state)
{
	struct spirec_event_msg ev;
	struct msgbuild mb;
	struct nlmsghdr *nlh = build_event(&mb, &esp4);

	(void)state;
	/* A future attribute, a padding attribute and a nested flag bit. */
	mnl_attr_put_u32(nlh, SPIREC_A_MAX + 1, 1);
	mnl_attr_put_u64(nlh, 200, 2);
	mnl_attr_put(nlh, SPIREC_A_PAD, 0, NULL);
	mnl_attr_put_u32(nlh, SPIREC_A_PEER_COUNT, 9);	/* not an event attr */
	assert_int_equal(parse(nlh, &ev, NULL), 0);
	assert_int_equal(ev.spi, 0xc0ffee01);
}

static void test_missing_required(void **state)
{
	static const unsigned int omit[] = {
		OMIT_FAMILY, OMIT_SRC, OMIT_DST, OMIT_SPI, OMIT_PROTO,
		OMIT_ENCAP,
	};
	struct spirec_event_msg ev;
	struct msgbuild mb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(omit) / sizeof(omit[0]); i++) {
		struct ev_spec s = esp4;
		const char *why = NULL;

		s.omit = omit[i];
		assert_int_equal(parse(build_event(&mb, &s), &ev, &why),
				 -EBADMSG);
		assert_string_equal(why, "required attribute missing");
	}
}

static void test_udp_needs_ports(void **state)
{
	const struct ev_spec s = { AF_INET, IPPROTO_ESP, SPIREC_ENCAP_UDP,
				   OMIT_PORTS };
	struct spirec_event_msg ev;
	struct msgbuild mb;
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(parse(build_event(&mb, &s), &ev, NULL), -EBADMSG);

	/* Only one port is not enough either. */
	nlh = build_event(&mb, &s);
	mnl_attr_put_u16(nlh, SPIREC_A_SPORT, 4500);
	assert_int_equal(parse(nlh, &ev, NULL), -EBADMSG);
}

static void test_inconsistent(void **state)
{
	struct spirec_event_msg ev;
	struct msgbuild mb;
	struct nlmsghdr *nlh;
	const char *why = NULL;
	struct ev_spec s;

	(void)state;
	/* Ports without UDP encapsulation. */
	nlh = build_event(&mb, &esp4);
	mnl_attr_put_u16(nlh, SPIREC_A_DPORT, 4500);
	assert_int_equal(parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "UDP ports without UDP encapsulation");

	/* AH cannot be UDP encapsulated. */
	s = (struct ev_spec){ AF_INET, IPPROTO_AH, SPIREC_ENCAP_UDP, 0 };
	assert_int_equal(parse(build_event(&mb, &s), &ev, &why), -EBADMSG);
	assert_string_equal(why, "UDP encapsulation of AH");

	/* Neither ESP nor AH. */
	s = (struct ev_spec){ AF_INET, IPPROTO_UDP, SPIREC_ENCAP_NONE, 0 };
	assert_int_equal(parse(build_event(&mb, &s), &ev, &why), -EBADMSG);
	assert_string_equal(why, "protocol is neither ESP nor AH");

	/* Unknown encapsulation. */
	s = (struct ev_spec){ AF_INET, IPPROTO_ESP, 2, 0 };
	assert_int_equal(parse(build_event(&mb, &s), &ev, &why), -EBADMSG);
	assert_string_equal(why, "unknown encapsulation");

	/* IPv4 family with IPv6 addresses. */
	s = (struct ev_spec){ AF_INET6, IPPROTO_ESP, SPIREC_ENCAP_NONE,
			      OMIT_FAMILY };
	nlh = build_event(&mb, &s);
	mnl_attr_put_u16(nlh, SPIREC_A_FAMILY, AF_INET);
	assert_int_equal(parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "address length does not match the family");

	/* Unknown family. */
	s = (struct ev_spec){ AF_INET, IPPROTO_ESP, SPIREC_ENCAP_NONE,
			      OMIT_FAMILY };
	nlh = build_event(&mb, &s);
	mnl_attr_put_u16(nlh, SPIREC_A_FAMILY, AF_UNIX);
	assert_int_equal(parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "unknown address family");
}

static void test_wrong_lengths(void **state)
{
	static const uint8_t bytes[16];
	static const struct {
		uint16_t type;
		size_t len;
	} cases[] = {
		{ SPIREC_A_FAMILY, 4 }, { SPIREC_A_FAMILY, 1 },
		{ SPIREC_A_SPI, 2 }, { SPIREC_A_SPI, 8 },
		{ SPIREC_A_PROTO, 2 }, { SPIREC_A_PROTO, 0 },
		{ SPIREC_A_ENCAP, 4 }, { SPIREC_A_SPORT, 4 },
		{ SPIREC_A_IFINDEX, 2 }, { SPIREC_A_MARK, 8 },
		{ SPIREC_A_SUPPRESSED, 4 }, { SPIREC_A_SRC, 5 },
		{ SPIREC_A_DST, 0 }, { SPIREC_A_SRC, 16 },
		{ SPIREC_A_LIVE_SAS, 8 }, { SPIREC_A_LIVE_SAS, 2 },
	};
	struct spirec_event_msg ev;
	struct msgbuild mb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = build_event(&mb, &esp4);

		/* Appended last, so it replaces the good one. */
		msgbuild_raw(&mb, cases[i].type, bytes, cases[i].len);
		if (parse(nlh, &ev, NULL) != -EBADMSG)
			fail_msg("type %u with length %zu accepted",
				 cases[i].type, cases[i].len);
	}
}

static void test_truncated(void **state)
{
	struct spirec_event_msg ev;
	struct msgbuild mb;
	struct nlmsghdr *nlh = build_event(&mb, &esp4);
	uint32_t full = nlh->nlmsg_len, len;
	struct nlattr *a;

	(void)state;
	/* Every shorter buffer is refused, and nothing is read past it. */
	for (len = 0; len < full; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, mb.buf, len);
		assert_int_equal(spirec_event_msg_parse(copy, len, &ev, NULL),
				 -EBADMSG);
		free(copy);
	}
	/* A message whose own length cuts an attribute in half. */
	for (len = NLMSG_HDRLEN + GENL_HDRLEN + 1; len < full; len++) {
		nlh->nlmsg_len = len;
		if (len % 4 && parse(nlh, &ev, NULL) != -EBADMSG)
			fail_msg("nlmsg_len %u accepted", len);
	}
	nlh->nlmsg_len = full;
	/* An attribute claiming more than the message holds. */
	a = (struct nlattr *)((uint8_t *)mb.buf + NLMSG_HDRLEN + GENL_HDRLEN);
	a->nla_len = (uint16_t)(full + 4);
	assert_int_equal(parse(nlh, &ev, NULL), -EBADMSG);
	a->nla_len = 2;
	assert_int_equal(parse(nlh, &ev, NULL), -EBADMSG);
	assert_int_equal(spirec_event_msg_parse(NULL, 0, &ev, NULL), -EBADMSG);
}

static void test_other_command(void **state)
{
	struct spirec_event_msg ev;
	struct msgbuild mb;
	struct genlmsghdr *genl;

	(void)state;
	build_event(&mb, &esp4);
	genl = mnl_nlmsg_get_payload(mb.nlh);
	genl->cmd = SPIREC_CMD_GET_STATS;
	assert_int_equal(parse(mb.nlh, &ev, NULL), -ENOMSG);
}

static char *event_json(const struct spirec_event_msg *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	spirec_event_write_json(ev, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_json_line_esp4(void **state)
{
	struct spirec_event_msg ev;
	struct msgbuild mb;
	char *line;

	(void)state;
	assert_int_equal(parse(build_event(&mb, &esp4), &ev, NULL), 0);
	line = event_json(&ev);
	assert_string_equal(line,
		"{\"family\":\"inet\",\"src\":\"192.0.2.1\",\"dst\":\"198.51.100.2\",\"spi\":\"0xc0ffee01\",\"proto\":\"esp\",\"encap\":\"none\",\"ifindex\":3,\"mark\":42,\"suppressed\":7,\"live_sas\":2}\n");
	free(line);
}

static void test_json_line_udp6(void **state)
{
	const struct ev_spec s = { AF_INET6, IPPROTO_ESP, SPIREC_ENCAP_UDP, 0 };
	struct spirec_event_msg ev;
	struct msgbuild mb;
	char *line;

	(void)state;
	assert_int_equal(parse(build_event(&mb, &s), &ev, NULL), 0);
	line = event_json(&ev);
	assert_string_equal(line,
		"{\"family\":\"inet6\",\"src\":\"2001:db8::1\",\"dst\":\"2001:db8::abcd\",\"spi\":\"0xc0ffee01\",\"proto\":\"esp\",\"encap\":\"udp\",\"sport\":4500,\"dport\":4500,\"ifindex\":3,\"mark\":42,\"suppressed\":7,\"live_sas\":2}\n");
	free(line);
}

static void test_json_line_ah_small_spi(void **state)
{
	struct spirec_event_msg ev = {
		.family = AF_INET,
		.spi = 0x100,
		.proto = IPPROTO_AH,
		.encap = SPIREC_ENCAP_NONE,
		.suppressed = UINT64_MAX,
	};
	char *line;

	(void)state;
	assert_true(spirec_addr_set(&ev.src, AF_INET, v4_src, 4));
	assert_true(spirec_addr_set(&ev.dst, AF_INET, v4_dst, 4));
	line = event_json(&ev);
	/* SPI zero-padded to 8 hex digits; u64 printed in full. */
	assert_string_equal(line,
		"{\"family\":\"inet\",\"src\":\"192.0.2.1\",\"dst\":\"198.51.100.2\",\"spi\":\"0x00000100\",\"proto\":\"ah\",\"encap\":\"none\",\"ifindex\":0,\"mark\":0,\"suppressed\":18446744073709551615}\n");
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_esp4),
		cmocka_unit_test(test_valid_udp6),
		cmocka_unit_test(test_optional_absent),
		cmocka_unit_test(test_unknown_attrs_ignored),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_udp_needs_ports),
		cmocka_unit_test(test_inconsistent),
		cmocka_unit_test(test_wrong_lengths),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_other_command),
		cmocka_unit_test(test_json_line_esp4),
		cmocka_unit_test(test_json_line_udp6),
		cmocka_unit_test(test_json_line_ah_small_spi),
	};

	return cmocka_run_group_tests_name("lib_event", tests, NULL, NULL);
}
