// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the XFRM_MSG_NEWSA parser (valid states, larval states,
 * malformed messages), and, as root, a real dump of a private network
 * namespace holding states added with ip(8).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/xfrm.h>

#include "../xfrm_sa.h"

struct msg {
	union {
		uint64_t align;
		uint8_t buf[4096];
	};
	struct nlmsghdr *nlh;
	struct xfrm_usersa_info *p;
};

static void start(struct msg *m, uint16_t family, const char *src,
		  const char *dst, uint32_t spi, uint8_t proto)
{
	memset(m->buf, 0, sizeof(m->buf));
	m->nlh = mnl_nlmsg_put_header(m->buf);
	m->nlh->nlmsg_type = XFRM_MSG_NEWSA;
	m->p = mnl_nlmsg_put_extra_header(m->nlh, sizeof(*m->p));
	m->p->family = family;
	assert_int_equal(inet_pton(family, src, &m->p->saddr), 1);
	assert_int_equal(inet_pton(family, dst, &m->p->id.daddr), 1);
	m->p->id.spi = htonl(spi);
	m->p->id.proto = proto;
}

/* An algorithm attribute: the structure and @keylen bytes of key. */
static void alg(struct msg *m, uint16_t type, const char *name,
		size_t hdr, unsigned int keylen)
{
	uint8_t a[sizeof(struct xfrm_algo_auth) + 32] = { 0 };

	strcpy((char *)a, name);
	mnl_attr_put(m->nlh, type, hdr + keylen / 8, a);
}

static int parse(struct msg *m, struct spirecd_xfrm_sa *sa, const char **why)
{
	*why = NULL;
	return spirecd_xfrm_sa_parse(m->buf, m->nlh->nlmsg_len, sa, why);
}

static void test_esp_v4(void **state)
{
	struct xfrm_mark mk = { .v = 42, .m = 0xffffffff };
	struct spirecd_xfrm_sa sa;
	struct msg m;
	const char *why;

	(void)state;
	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 0xc1a0b0c0,
	      IPPROTO_ESP);
	alg(&m, XFRMA_ALG_CRYPT, "cbc(aes)", sizeof(struct xfrm_algo), 128);
	alg(&m, XFRMA_ALG_AUTH_TRUNC, "hmac(sha256)",
	    sizeof(struct xfrm_algo_auth), 256);
	mnl_attr_put(m.nlh, XFRMA_MARK, sizeof(mk), &mk);
	assert_int_equal(parse(&m, &sa, &why), 0);
	assert_int_equal(sa.family, AF_INET);
	assert_int_equal(sa.saddr.family, AF_INET);
	assert_int_equal(sa.saddr.v4.s_addr, inet_addr("192.0.2.1"));
	assert_int_equal(sa.daddr.v4.s_addr, inet_addr("198.51.100.2"));
	assert_int_equal(sa.spi, 0xc1a0b0c0);
	assert_int_equal(sa.proto, IPPROTO_ESP);
	assert_int_equal(sa.mark, 42);
	assert_int_equal(sa.mark_mask, 0xffffffff);
	assert_true(sa.has_keys);
	assert_true(sa.valid);
}

static void test_esp_v6_aead(void **state)
{
	struct spirecd_xfrm_sa sa;
	struct in6_addr want;
	struct msg m;
	const char *why;

	(void)state;
	start(&m, AF_INET6, "2001:db8::1", "2001:db8::2", 0x1234, IPPROTO_ESP);
	alg(&m, XFRMA_ALG_AEAD, "rfc4106(gcm(aes))",
	    sizeof(struct xfrm_algo_aead), 160);
	assert_int_equal(parse(&m, &sa, &why), 0);
	inet_pton(AF_INET6, "2001:db8::1", &want);
	assert_memory_equal(&sa.saddr.v6, &want, 16);
	assert_true(sa.valid);
}

/* Which states are usable: ESP or AH, an SPI, and keys of its protocol. */
static const struct validity_case {
	const char *what;
	uint32_t spi;
	uint8_t proto;
	uint16_t alg;			/* 0: no algorithm attribute */
	const char *alg_name;
	size_t alg_hdr;
	unsigned int keybits;
	bool has_keys, valid;
} validity_cases[] = {
	{ "AH with an authentication key", 0x99, IPPROTO_AH, XFRMA_ALG_AUTH,
	  "hmac(sha1)", sizeof(struct xfrm_algo), 160, true, true },
	{ "AH with only a cipher has no keys of its own", 0x99, IPPROTO_AH,
	  XFRMA_ALG_CRYPT, "cbc(aes)", sizeof(struct xfrm_algo), 128, false,
	  false },
	{ "an SPI allocated for a negotiation in progress: no keys yet",
	  0xc0000001, IPPROTO_ESP, 0, NULL, 0, 0, false, false },
	{ "an acquire: SPI 0", 0, IPPROTO_ESP, XFRMA_ALG_CRYPT, "cbc(aes)",
	  sizeof(struct xfrm_algo), 128, true, false },
	{ "IPComp", 0x4711, IPPROTO_COMP, XFRMA_ALG_COMP, "deflate",
	  sizeof(struct xfrm_algo), 0, false, false },
};

static void test_validity(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(validity_cases) / sizeof(validity_cases[0]); i++) {
		const struct validity_case *vc = &validity_cases[i];
		struct spirecd_xfrm_sa sa;
		struct msg m;
		const char *why;

		start(&m, AF_INET, "192.0.2.1", "198.51.100.2", vc->spi, vc->proto);
		if (vc->alg)
			alg(&m, vc->alg, vc->alg_name, vc->alg_hdr, vc->keybits);
		assert_int_equal(parse(&m, &sa, &why), 0);
		if (sa.has_keys != vc->has_keys || sa.valid != vc->valid)
			fail_msg("%s: has_keys %d valid %d", vc->what, sa.has_keys,
				 sa.valid);
	}
}

/* The second message of a datagram may start 4 bytes off an 8-byte
 * boundary: the parser must not read the structure in place. */
static void test_misaligned(void **state)
{
	static union {
		uint64_t align;
		uint8_t buf[4096 + 8];
	} u;
	struct spirecd_xfrm_sa sa;
	struct msg m;
	const char *why = NULL;

	(void)state;
	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 0xabc, IPPROTO_ESP);
	alg(&m, XFRMA_ALG_CRYPT, "cbc(aes)", sizeof(struct xfrm_algo), 128);
	memcpy(u.buf + 4, m.buf, m.nlh->nlmsg_len);
	assert_int_equal(spirecd_xfrm_sa_parse(u.buf + 4, m.nlh->nlmsg_len, &sa,
					       &why), 0);
	assert_int_equal(sa.spi, 0xabc);
	assert_true(sa.valid);
}

static void test_malformed(void **state)
{
	struct xfrm_mark mk = { 0 };
	struct spirecd_xfrm_sa sa;
	struct msg m;
	const char *why;

	(void)state;
	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	why = NULL;
	assert_int_equal(spirecd_xfrm_sa_parse(m.buf, 8, &sa, &why), -EBADMSG);
	assert_non_null(why);

	/* Shorter than struct xfrm_usersa_info. */
	m.nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*m.p) - 4);
	assert_int_equal(parse(&m, &sa, &why), -EBADMSG);
	assert_string_equal(why, "message shorter than struct xfrm_usersa_info");

	/* Longer than the buffer it came in. */
	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	why = NULL;
	assert_int_equal(spirecd_xfrm_sa_parse(m.buf, m.nlh->nlmsg_len - 1,
					       &sa, &why), -EBADMSG);
	assert_non_null(why);

	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	m.p->family = 99;
	assert_int_equal(parse(&m, &sa, &why), -EBADMSG);
	assert_string_equal(why, "state of an unknown address family");

	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	mnl_attr_put(m.nlh, XFRMA_MARK, 4, &mk);
	assert_int_equal(parse(&m, &sa, &why), -EBADMSG);
	assert_string_equal(why, "XFRMA_MARK of the wrong size");

	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	mnl_attr_put(m.nlh, XFRMA_ALG_AEAD, 8, "shortkey");
	assert_int_equal(parse(&m, &sa, &why), -EBADMSG);
	assert_string_equal(why, "short XFRMA_ALG_AEAD");

	/* An attribute whose length runs past the message. */
	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	mnl_attr_put(m.nlh, XFRMA_MARK, sizeof(mk), &mk);
	((struct nlattr *)(m.buf + NLMSG_LENGTH(NLMSG_ALIGN(sizeof(*m.p)))))
		->nla_len = 200;
	assert_int_equal(parse(&m, &sa, &why), -EBADMSG);
	assert_string_equal(why, "attribute runs past the message");

	/* Three stray bytes after the structure. */
	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	m.nlh->nlmsg_len += 3;
	assert_int_equal(parse(&m, &sa, &why), -EBADMSG);
	assert_string_equal(why, "attribute runs past the message");

	/* Another message type is not ours. */
	start(&m, AF_INET, "192.0.2.1", "198.51.100.2", 1, IPPROTO_ESP);
	m.nlh->nlmsg_type = XFRM_MSG_NEWPOLICY;
	assert_int_equal(parse(&m, &sa, &why), -ENOMSG);
}

struct seen {
	unsigned int n, valid_from_peer, larval_from_peer;
};

static bool seen_cb(const struct spirecd_xfrm_sa *sa, void *data)
{
	struct seen *s = data;

	s->n++;
	if (sa->saddr.family == AF_INET &&
	    sa->saddr.v4.s_addr == inet_addr("192.0.2.1")) {
		if (sa->valid)
			s->valid_from_peer++;
		else
			s->larval_from_peer++;
	}
	return true;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc)
		fprintf(stderr, "# %s: exit %d\n", cmd, rc);
	return rc;
}

/* A new network namespace for this process: root only; the test is
 * skipped (skip() leaves it) when that cannot be had. */
static void own_netns_or_skip(void)
{
	if (geteuid() != 0)
		skip();
	if (unshare(CLONE_NEWNET)) {
		fprintf(stderr, "# unshare(CLONE_NEWNET): %s\n", strerror(errno));
		skip();
	}
}

/*
 * The real thing: states made by the kernel itself, dumped through
 * NETLINK_XFRM. An SPI allocated as an IKE daemon does before the keys
 * exist (XFRM_MSG_ALLOCSPI) is a larval state: dumped, with its SPI, but
 * no algorithm; it must not count.
 */
static void test_live_dump_larval(void **state)
{
	struct spirecd_xfrm_dump_stats st;
	struct seen s = { 0 };
	char err[256];

	(void)state;
	own_netns_or_skip();
	assert_int_equal(spirecd_xfrm_sa_dump(seen_cb, &s, &st, err,
					      sizeof(err)), 0);
	assert_int_equal(st.states, 0);
	assert_int_equal(run("ip xfrm state allocspi src 192.0.2.1 dst 198.51.100.2 proto esp mode tunnel >/dev/null"), 0);
	assert_int_equal(spirecd_xfrm_sa_dump(seen_cb, &s, &st, err,
					      sizeof(err)), 0);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.states, 1);
	assert_int_equal(s.valid_from_peer, 0);
	assert_int_equal(s.larval_from_peer, 1);
}

/*
 * Keyed states as an IKE daemon installs them. Skipped when the running
 * kernel lacks the ESP/AH types or the algorithms (a build machine's
 * minimal kernel).
 */
static void test_live_dump_keyed(void **state)
{
	struct spirecd_xfrm_dump_stats st;
	struct seen s = { 0 };
	char err[256];

	(void)state;
	own_netns_or_skip();
	if (system("ip xfrm state add src 192.0.2.1 dst 198.51.100.2 proto esp spi 0x1001 mode tunnel aead 'rfc4106(gcm(aes))' 0x00112233445566778899aabbccddeeff01020304 128 2>/dev/null")) {
		fprintf(stderr, "# this kernel cannot hold an ESP state with rfc4106(gcm(aes))\n");
		skip();
		return;
	}
	assert_int_equal(run("ip xfrm state add src 198.51.100.2 dst 192.0.2.1 proto esp spi 0x2002 mode tunnel aead 'rfc4106(gcm(aes))' 0x00112233445566778899aabbccddeeff01020304 128 mark 7"), 0);
	assert_int_equal(run("ip xfrm state add src 192.0.2.1 dst 198.51.100.2 proto esp spi 0x3003 mode tunnel aead 'rfc4106(gcm(aes))' 0x00112233445566778899aabbccddeeff01020304 128 mark 0x10/0xff"), 0);
	assert_int_equal(run("ip xfrm state allocspi src 192.0.2.1 dst 198.51.100.2 proto esp mode transport >/dev/null"), 0);
	assert_int_equal(spirecd_xfrm_sa_dump(seen_cb, &s, &st, err,
					      sizeof(err)), 0);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.states, 4);
	assert_int_equal(s.valid_from_peer, 2);
	assert_int_equal(s.larval_from_peer, 1);
}

static bool stop_cb(const struct spirecd_xfrm_sa *sa, void *data)
{
	(void)sa;
	++*(unsigned int *)data;
	return false;
}

/* Many states (several dump datagrams); a callback that stops early. */
static void test_live_dump_many(void **state)
{
	struct spirecd_xfrm_dump_stats st;
	struct seen s = { 0 };
	unsigned int calls = 0;
	char err[256];
	FILE *f;

	(void)state;
	own_netns_or_skip();
	f = popen("ip -batch - >/dev/null", "w");
	assert_non_null(f);
	for (unsigned int i = 0; i < 600; i++)
		fprintf(f, "xfrm state allocspi src 10.0.%u.%u dst 198.51.100.2 proto esp mode tunnel\n",
			i / 250, 1 + i % 250);
	fprintf(f, "xfrm state allocspi src 192.0.2.1 dst 198.51.100.2 proto esp mode tunnel\n");
	assert_int_equal(pclose(f), 0);
	assert_int_equal(spirecd_xfrm_sa_dump(seen_cb, &s, &st, err,
					      sizeof(err)), 0);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.states, 601);
	assert_int_equal(s.larval_from_peer, 1);
	assert_int_equal(spirecd_xfrm_sa_dump(stop_cb, &calls, &st, err,
					      sizeof(err)), 0);
	assert_int_equal(calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esp_v4),
		cmocka_unit_test(test_esp_v6_aead),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_misaligned),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_live_dump_larval),
		cmocka_unit_test(test_live_dump_keyed),
		cmocka_unit_test(test_live_dump_many),
	};

	return cmocka_run_group_tests_name("spirecd_xfrm_sa", tests, NULL, NULL);
}
