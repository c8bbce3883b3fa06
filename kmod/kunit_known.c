// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the known-peer list (known.c): prefix matching for IPv4 and IPv6,
 * normalization, add/delete with their errors, the size bound, walks, and
 * the hash structure: lookups cost one probe per prefix length in use,
 * and agree with a linear scan of the same prefixes.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/slab.h>
#include <linux/spirec.h>
#include <linux/string.h>

#include "known.h"

/* @w: host-order words, one for AF_INET, four for AF_INET6. */
static void known_addr(xfrm_address_t *x, u16 family, const u32 *w)
{
	unsigned int i;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < (family == AF_INET ? 1 : 4); i++)
		x->a6[i] = htonl(w[i]);
}

/* A list for one test: too large for the stack; freed with the test. */
static struct spirec_known *known_new(struct kunit *test)
{
	struct spirec_known *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, k);
	spirec_known_init(k);
	return k;
}

static void known_prefix(struct spirec_prefix *p, u16 family, const u32 *w,
			 u8 prefixlen)
{
	memset(p, 0, sizeof(*p));
	p->family = family;
	known_addr(&p->addr, family, w);
	p->prefixlen = prefixlen;
}

/**
 * struct match_case - does a prefix hold an address?
 * @name: description
 * @pf: family of the prefix
 * @p: the prefix's address (host order words)
 * @plen: its length
 * @af: family of the address
 * @a: the address
 * @match: expected
 */
struct match_case {
	const char *name;
	u16 pf;
	u32 p[4];
	u8 plen;
	u16 af;
	u32 a[4];
	bool match;
};

#define DB8(w3)		{ 0x20010db8, 0, 0, w3 }

static const struct match_case match_cases[] = {
	{ "v4_32_same", AF_INET, { 0xc0000201 }, 32,
	  AF_INET, { 0xc0000201 }, true },
	{ "v4_32_other", AF_INET, { 0xc0000201 }, 32,
	  AF_INET, { 0xc0000202 }, false },
	{ "v4_24_inside", AF_INET, { 0xc0000200 }, 24,
	  AF_INET, { 0xc00002fe }, true },
	{ "v4_24_outside", AF_INET, { 0xc0000200 }, 24,
	  AF_INET, { 0xc0000302 }, false },
	{ "v4_31_pair", AF_INET, { 0xc6336402 }, 31,
	  AF_INET, { 0xc6336403 }, true },
	{ "v4_31_next_pair", AF_INET, { 0xc6336402 }, 31,
	  AF_INET, { 0xc6336404 }, false },
	{ "v4_0_any_v4", AF_INET, { 0 }, 0,
	  AF_INET, { 0xcb007101 }, true },
	{ "v4_0_not_v6", AF_INET, { 0 }, 0,
	  AF_INET6, DB8(1), false },
	{ "v6_128_same", AF_INET6, DB8(1), 128, AF_INET6, DB8(1), true },
	{ "v6_128_other", AF_INET6, DB8(1), 128, AF_INET6, DB8(2), false },
	{ "v6_127_pair", AF_INET6, DB8(2), 127, AF_INET6, DB8(3), true },
	{ "v6_64_inside", AF_INET6, DB8(0), 64,
	  AF_INET6, { 0x20010db8, 0, 0xffffffff, 0xffffffff }, true },
	{ "v6_64_outside", AF_INET6, DB8(0), 64,
	  AF_INET6, { 0x20010db8, 1, 0, 0 }, false },
	{ "v6_33_bit", AF_INET6, { 0x20010db8, 0x80000000, 0, 0 }, 33,
	  AF_INET6, { 0x20010db8, 0x7fffffff, 0, 0 }, false },
	{ "v6_32_doc", AF_INET6, DB8(0), 32,
	  AF_INET6, { 0x20010db8, 0xabcd, 0, 9 }, true },
	{ "v6_0_any_v6", AF_INET6, { 0 }, 0, AF_INET6, DB8(7), true },
	{ "v6_0_not_v4", AF_INET6, { 0 }, 0, AF_INET, { 0xc0000201 }, false },
	{ "v6_mapped_not_v4", AF_INET6, { 0, 0, 0xffff, 0xc0000201 }, 128,
	  AF_INET, { 0xc0000201 }, false },
};

static void match_case_desc(const struct match_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_case_desc);

/* spirec_prefix_match() alone, and through a list holding the prefix. */
static void known_match(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct spirec_prefix p;
	struct spirec_known *k;
	xfrm_address_t a;

	known_prefix(&p, c->pf, c->p, c->plen);
	known_addr(&a, c->af, c->a);
	spirec_prefix_normalize(&p);
	KUNIT_EXPECT_EQ(test, spirec_prefix_match(&p, c->af, &a), c->match);

	k = known_new(test);
	KUNIT_EXPECT_FALSE(test, spirec_known_match(k, c->af, &a));
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &p), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_match(k, c->af, &a), c->match);
	spirec_known_destroy(k);
}

/* Bits past the prefix length are cleared, the others kept. */
static void known_normalize(struct kunit *test)
{
	static const u32 v6[4] = { 0x20010db8, 0x12345678, 0x9abcdef0, 1 };
	struct spirec_prefix p;

	known_prefix(&p, AF_INET, (u32 []){ 0xc00002ff }, 25);
	spirec_prefix_normalize(&p);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a4), 0xc0000280);
	known_prefix(&p, AF_INET, (u32 []){ 0xc00002ff }, 32);
	spirec_prefix_normalize(&p);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a4), 0xc00002ff);
	known_prefix(&p, AF_INET, (u32 []){ 0xc00002ff }, 0);
	spirec_prefix_normalize(&p);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a4), 0);

	known_prefix(&p, AF_INET6, v6, 48);
	spirec_prefix_normalize(&p);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a6[0]), 0x20010db8);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a6[1]), 0x12340000);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a6[2]), 0);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a6[3]), 0);
	known_prefix(&p, AF_INET6, v6, 128);
	spirec_prefix_normalize(&p);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a6[3]), 1);
	KUNIT_EXPECT_EQ(test, ntohl(p.addr.a6[2]), 0x9abcdef0);
}

/* Add and delete, with the duplicates normalization makes. */
static void known_add_del(struct kunit *test)
{
	struct spirec_prefix a, a2, b, c;
	struct spirec_known *k;
	xfrm_address_t x;

	k = known_new(test);
	known_prefix(&a, AF_INET, (u32 []){ 0xc0000201 }, 24);
	known_prefix(&a2, AF_INET, (u32 []){ 0xc0000277 }, 24);
	known_prefix(&b, AF_INET, (u32 []){ 0xc0000201 }, 32);
	known_prefix(&c, AF_INET6, (u32 [])DB8(1), 64);

	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &a), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &a2), -EEXIST);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &b), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &c), 0);
	KUNIT_EXPECT_EQ(test, k->count, 3);

	known_addr(&x, AF_INET, (u32 []){ 0xc0000263 });
	KUNIT_EXPECT_TRUE(test, spirec_known_match(k, AF_INET, &x));
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &a2), 0);
	KUNIT_EXPECT_FALSE(test, spirec_known_match(k, AF_INET, &x));
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &a), -ENOENT);
	/* The /32 is still there. */
	known_addr(&x, AF_INET, (u32 []){ 0xc0000201 });
	KUNIT_EXPECT_TRUE(test, spirec_known_match(k, AF_INET, &x));
	known_addr(&x, AF_INET6, (u32 [])DB8(0xffff));
	KUNIT_EXPECT_TRUE(test, spirec_known_match(k, AF_INET6, &x));
	KUNIT_EXPECT_EQ(test, k->count, 2);
	/* Same bytes, other family: not the same prefix. */
	known_prefix(&c, AF_INET6, (u32 []){ 0xc0000201, 0, 0, 0 }, 32);
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &c), -ENOENT);
	spirec_known_destroy(k);
}

/* At SPIREC_KNOWN_MAX entries the list refuses more; a deletion makes room. */
static void known_full(struct kunit *test)
{
	struct spirec_prefix p;
	struct spirec_known *k;
	unsigned int i, added = 0;

	k = known_new(test);
	for (i = 0; i < SPIREC_KNOWN_MAX; i++) {
		known_prefix(&p, AF_INET6, (u32 [])DB8(i), 128);
		added += !spirec_known_add(k, &p);
	}
	KUNIT_EXPECT_EQ(test, added, SPIREC_KNOWN_MAX);
	known_prefix(&p, AF_INET6, (u32 [])DB8(i), 128);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &p), -ENOSPC);
	/* A duplicate is still a duplicate when full. */
	known_prefix(&p, AF_INET6, (u32 [])DB8(0), 128);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &p), -EEXIST);
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &p), 0);
	known_prefix(&p, AF_INET6, (u32 [])DB8(i), 128);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &p), 0);
	KUNIT_EXPECT_EQ(test, k->count, SPIREC_KNOWN_MAX);
	spirec_known_destroy(k);
}

struct known_seen {
	struct spirec_prefix p[8];
	unsigned int n;
	unsigned int stop_after;
};

static int known_seen_fn(const struct spirec_prefix *p, void *arg)
{
	struct known_seen *seen = arg;

	if (seen->n >= seen->stop_after)
		return -EMSGSIZE;
	if (seen->n < ARRAY_SIZE(seen->p))
		seen->p[seen->n] = *p;
	seen->n++;
	return 0;
}

/* Walks in insertion order, resumable; prefixes come back normalized. */
static void known_walk(struct kunit *test)
{
	struct known_seen seen = {};
	unsigned long index = 0;
	struct spirec_prefix p;
	struct spirec_known *k;
	unsigned int i, calls = 0;
	int ret;

	k = known_new(test);
	for (i = 0; i < 5; i++) {
		known_prefix(&p, AF_INET, (u32 []){ 0xc0000200 + 16 * i + 3 },
			     28);
		KUNIT_EXPECT_EQ(test, spirec_known_add(k, &p), 0);
	}
	do {
		seen.stop_after = seen.n + 2;
		ret = spirec_known_walk(k, &index, known_seen_fn, &seen);
	} while (ret == -EMSGSIZE && ++calls < 10);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, seen.n, 5);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, seen.p[i].family, AF_INET);
		KUNIT_EXPECT_EQ(test, seen.p[i].prefixlen, 28);
		KUNIT_EXPECT_EQ(test, ntohl(seen.p[i].addr.a4),
				0xc0000200 + 16 * i);
	}
	spirec_known_destroy(k);
}

/* A deterministic generator: the same prefixes and probes on every run. */
static u32 known_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/*
 * 1000 IPv4 hosts and 24 IPv6 hosts: one prefix length per family, so one
 * probe per lookup; each host matches, its neighbours do not; after all
 * are deleted no length is in use.
 */
static void known_hosts_one_probe(struct kunit *test)
{
	struct spirec_known *k = known_new(test);
	struct spirec_prefix p;
	xfrm_address_t x;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		known_prefix(&p, AF_INET, (u32 []){ 0xc6330000 + 2 * i }, 32);
		KUNIT_ASSERT_EQ(test, spirec_known_add(k, &p), 0);
	}
	for (i = 0; i < 24; i++) {
		known_prefix(&p, AF_INET6, (u32 [])DB8(2 * i), 128);
		KUNIT_ASSERT_EQ(test, spirec_known_add(k, &p), 0);
	}
	KUNIT_EXPECT_EQ(test, k->count, 1024);
	KUNIT_EXPECT_EQ(test, spirec_known_plens(k, AF_INET), 1);
	KUNIT_EXPECT_EQ(test, spirec_known_plens(k, AF_INET6), 1);
	for (i = 0; i < 1000; i++) {
		known_addr(&x, AF_INET, (u32 []){ 0xc6330000 + 2 * i });
		KUNIT_EXPECT_TRUE(test, spirec_known_match(k, AF_INET, &x));
		known_addr(&x, AF_INET, (u32 []){ 0xc6330000 + 2 * i + 1 });
		KUNIT_EXPECT_FALSE(test, spirec_known_match(k, AF_INET, &x));
	}
	known_addr(&x, AF_INET6, (u32 [])DB8(46));
	KUNIT_EXPECT_TRUE(test, spirec_known_match(k, AF_INET6, &x));
	known_addr(&x, AF_INET6, (u32 [])DB8(47));
	KUNIT_EXPECT_FALSE(test, spirec_known_match(k, AF_INET6, &x));

	for (i = 0; i < 1000; i++) {
		known_prefix(&p, AF_INET, (u32 []){ 0xc6330000 + 2 * i }, 32);
		KUNIT_EXPECT_EQ(test, spirec_known_del(k, &p), 0);
	}
	KUNIT_EXPECT_EQ(test, spirec_known_plens(k, AF_INET), 0);
	known_addr(&x, AF_INET, (u32 []){ 0xc6330000 });
	KUNIT_EXPECT_FALSE(test, spirec_known_match(k, AF_INET, &x));
	spirec_known_destroy(k);
}

/*
 * A prefix length stays in use while one entry has it: deleting the /24
 * leaves the /32 inside it, and an address of the /24 no longer matches.
 */
static void known_plen_refcount(struct kunit *test)
{
	struct spirec_known *k = known_new(test);
	struct spirec_prefix net24, net24b, host;
	xfrm_address_t x;

	known_prefix(&net24, AF_INET, (u32 []){ 0xcb007100 }, 24);
	known_prefix(&net24b, AF_INET, (u32 []){ 0xc0000200 }, 24);
	known_prefix(&host, AF_INET, (u32 []){ 0xcb007107 }, 32);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &net24), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &net24b), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &host), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_plens(k, AF_INET), 2);
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &net24), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_plens(k, AF_INET), 2);
	known_addr(&x, AF_INET, (u32 []){ 0xcb007108 });
	KUNIT_EXPECT_FALSE(test, spirec_known_match(k, AF_INET, &x));
	known_addr(&x, AF_INET, (u32 []){ 0xcb007107 });
	KUNIT_EXPECT_TRUE(test, spirec_known_match(k, AF_INET, &x));
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &net24b), 0);
	KUNIT_EXPECT_EQ(test, spirec_known_plens(k, AF_INET), 1);
	spirec_known_destroy(k);
}

/* Additions and removals change the generation; refused ones do not. */
static void known_generation(struct kunit *test)
{
	struct spirec_known *k = known_new(test);
	struct spirec_prefix p;
	unsigned int g0, g1, g2;

	known_prefix(&p, AF_INET, (u32 []){ 0xc0000201 }, 32);
	g0 = spirec_known_gen(k);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &p), 0);
	g1 = spirec_known_gen(k);
	KUNIT_EXPECT_NE(test, g1, g0);
	KUNIT_EXPECT_EQ(test, spirec_known_add(k, &p), -EEXIST);
	KUNIT_EXPECT_EQ(test, spirec_known_gen(k), g1);
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &p), 0);
	g2 = spirec_known_gen(k);
	KUNIT_EXPECT_NE(test, g2, g1);
	KUNIT_EXPECT_EQ(test, spirec_known_del(k, &p), -ENOENT);
	KUNIT_EXPECT_EQ(test, spirec_known_gen(k), g2);
	spirec_known_destroy(k);
}

#define KNOWN_REF_PREFIXES	300
#define KNOWN_REF_PROBES	3000

/* Linear scan of @pfx[0..n): what the list used to do per packet. */
static bool known_ref_match(const struct spirec_prefix *pfx,
			    const bool *live, unsigned int n, u16 family,
			    const xfrm_address_t *a)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (live[i] && spirec_prefix_match(&pfx[i], family, a))
			return true;
	return false;
}

/* A random address near the prefixes (same top bits), so that some match. */
static void known_ref_addr(xfrm_address_t *x, u16 family, u32 *rnd)
{
	u32 w[4] = { 0xc0000000 | (known_rand(rnd) & 0x0003ffff) };

	if (family == AF_INET6) {
		w[0] = 0x20010db8;
		w[1] = known_rand(rnd) & 0x3;
		w[2] = known_rand(rnd) & 0x80000003;
		w[3] = known_rand(rnd) & 0x0000ffff;
	}
	known_addr(x, family, w);
}

/*
 * Random prefixes of every length in both families, then random probes:
 * the hash lookup answers as a linear scan of the same prefixes does,
 * before and after half of them are deleted.
 */
static void known_reference(struct kunit *test)
{
	struct spirec_known *k = known_new(test);
	struct spirec_prefix *pfx;
	unsigned int i, matched = 0, round;
	u32 rnd = 0x2545f491;
	xfrm_address_t x;
	bool *live;
	u16 family;

	pfx = kunit_kcalloc(test, KNOWN_REF_PREFIXES, sizeof(*pfx), GFP_KERNEL);
	live = kunit_kcalloc(test, KNOWN_REF_PREFIXES, sizeof(*live),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfx);
	KUNIT_ASSERT_NOT_NULL(test, live);
	for (i = 0; i < KNOWN_REF_PREFIXES; i++) {
		family = (i & 1) ? AF_INET6 : AF_INET;
		known_ref_addr(&x, family, &rnd);
		memset(&pfx[i], 0, sizeof(pfx[i]));
		pfx[i].family = family;
		pfx[i].addr = x;
		pfx[i].prefixlen = family == AF_INET ?
			14 + known_rand(&rnd) % 19 :
			30 + known_rand(&rnd) % 99;
		spirec_prefix_normalize(&pfx[i]);
		live[i] = !spirec_known_add(k, &pfx[i]);
	}
	for (round = 0; round < 2; round++) {
		for (i = 0; i < KNOWN_REF_PROBES; i++) {
			bool want, got;

			family = (i & 1) ? AF_INET6 : AF_INET;
			known_ref_addr(&x, family, &rnd);
			want = known_ref_match(pfx, live, KNOWN_REF_PREFIXES,
					       family, &x);
			got = spirec_known_match(k, family, &x);
			KUNIT_EXPECT_EQ(test, got, want);
			matched += want;
		}
		for (i = 0; i < KNOWN_REF_PREFIXES; i += 2)
			if (live[i] && !spirec_known_del(k, &pfx[i]))
				live[i] = false;
	}
	/* The probes were not all on one side. */
	KUNIT_EXPECT_GT(test, matched, KNOWN_REF_PROBES / 20);
	KUNIT_EXPECT_LT(test, matched, 2 * KNOWN_REF_PROBES - KNOWN_REF_PROBES / 20);
	spirec_known_destroy(k);
}

static struct kunit_case spirec_known_cases[] = {
	KUNIT_CASE_PARAM(known_match, match_gen_params),
	KUNIT_CASE(known_normalize),
	KUNIT_CASE(known_add_del),
	KUNIT_CASE(known_full),
	KUNIT_CASE(known_walk),
	KUNIT_CASE(known_hosts_one_probe),
	KUNIT_CASE(known_plen_refcount),
	KUNIT_CASE(known_generation),
	KUNIT_CASE(known_reference),
	{}
};

static struct kunit_suite spirec_known_suite = {
	.name = "spirec_known",
	.test_cases = spirec_known_cases,
};

kunit_test_suite(spirec_known_suite);
