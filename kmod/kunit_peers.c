// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the bounded peer table (ratelimit.c): IPv4 and IPv6 keys,
 * accounting, the full table and eviction, garbage collection, walks, and
 * flushing while packets use the entries. The clock is the tests' own.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spirec.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "ratelimit.h"

#define T0		(1000 * NSEC_PER_SEC)
#define MS(n)		((u64)(n) * NSEC_PER_MSEC)
#define SEC(n)		((u64)(n) * NSEC_PER_SEC)

/* 192.0.2.0 + n, 2001:db8::n */
static void peer_addr4(xfrm_address_t *a, unsigned int n, u8 junk)
{
	memset(a, junk, sizeof(*a));
	a->a4 = htonl(0xc0000200 + n);
}

static void peer_addr6(xfrm_address_t *a, unsigned int n)
{
	memset(a, 0, sizeof(*a));
	a->a6[0] = htonl(0x20010db8);
	a->a6[3] = htonl(n);
}

static void peer_key4(struct spirec_peer_key *key, unsigned int n)
{
	xfrm_address_t a;

	peer_addr4(&a, n, 0);
	spirec_peer_key_init(key, AF_INET, &a);
}

static void peer_key6(struct spirec_peer_key *key, unsigned int n)
{
	xfrm_address_t a;

	peer_addr6(&a, n);
	spirec_peer_key_init(key, AF_INET6, &a);
}

static void peer_pkt(struct spirec_pkt *pkt, const struct spirec_peer_key *key,
		     u32 spi)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->family = key->family;
	pkt->saddr = key->addr;
	pkt->spi = spi;
	pkt->proto = IPPROTO_ESP;
}

static struct spirec_peer_table *peers_table(struct kunit *test)
{
	return test->priv;
}

static int peers_test_init(struct kunit *test)
{
	struct spirec_peer_table *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	if (spirec_peers_init(t, T0))
		return -ENOMEM;
	test->priv = t;
	return 0;
}

static void peers_test_exit(struct kunit *test)
{
	spirec_peers_destroy(peers_table(test));
}

/* spirec_peers_get() in an RCU section of its own. */
static enum spirec_peer_get_result
peers_get(struct spirec_peer_table *t, const struct spirec_peer_key *key,
	  const struct spirec_rl_cfg *cfg, u64 now, struct spirec_peer **out)
{
	enum spirec_peer_get_result res;

	rcu_read_lock();
	res = spirec_peers_get(t, key, cfg, now, out);
	rcu_read_unlock();
	return res;
}

/*
 * One packet of @key through the table, as the hook does it. Return: the
 * verdict, or -1 if the table had no entry for the peer (@res says why).
 */
static int peers_packet(struct spirec_peer_table *t,
			const struct spirec_peer_key *key,
			const struct spirec_rl_cfg *cfg, u64 now,
			enum spirec_peer_get_result *res, u64 *suppressed)
{
	enum spirec_peer_get_result r;
	struct spirec_peer *p;
	struct spirec_pkt pkt;
	u64 supp = 0;
	int verdict = -1;

	peer_pkt(&pkt, key, 0x1000);
	rcu_read_lock();
	local_bh_disable();
	r = spirec_peers_get(t, key, cfg, now, &p);
	if (r == SPIREC_PEER_FOUND || r == SPIREC_PEER_CREATED)
		verdict = spirec_peers_account(t, p, cfg, &pkt, now, &supp);
	local_bh_enable();
	rcu_read_unlock();
	if (res)
		*res = r;
	if (suppressed)
		*suppressed = supp;
	return verdict;
}

/**
 * struct peers_seen - what a walk saw
 * @keys: the keys, in walk order
 * @st: their states
 * @n: entries seen
 * @stop_after: return 1 from the callback once @n reaches it (0: never)
 */
struct peers_seen {
	struct spirec_peer_key keys[16];
	struct spirec_peer_state st[16];
	unsigned int n;
	unsigned int stop_after;
};

static int peers_seen_fn(const struct spirec_peer_key *key,
			 const struct spirec_peer_state *st, void *arg)
{
	struct peers_seen *seen = arg;

	if (seen->stop_after && seen->n >= seen->stop_after)
		return 1;
	if (seen->n < ARRAY_SIZE(seen->keys)) {
		seen->keys[seen->n] = *key;
		seen->st[seen->n] = *st;
	}
	seen->n++;
	return 0;
}

static void peers_walk_all(struct kunit *test, struct peers_seen *seen)
{
	struct spirec_peers_cursor c;

	memset(seen, 0, sizeof(*seen));
	spirec_peers_walk_enter(peers_table(test), &c);
	KUNIT_EXPECT_EQ(test, spirec_peers_walk(&c, peers_seen_fn, seen), 0);
	spirec_peers_walk_exit(&c);
}

static const struct spirec_peer_state *
peers_seen_find(const struct peers_seen *seen,
		const struct spirec_peer_key *key)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, seen->n, ARRAY_SIZE(seen->keys));
	     i++)
		if (!memcmp(&seen->keys[i], key, sizeof(*key)))
			return &seen->st[i];
	return NULL;
}

/**
 * struct key_case - two addresses: one peer or two?
 * @name: description
 * @fa: family of @a
 * @a: first address
 * @fb: family of @b
 * @b: second address
 * @same: one entry for both
 */
struct key_case {
	const char *name;
	u16 fa;
	u32 a[4];
	u16 fb;
	u32 b[4];
	bool same;
};

#define V4(x)	{ x, 0xeeeeeeee, 0xeeeeeeee, 0xeeeeeeee }
#define V4B(x)	{ x, 0x11111111, 0, 0x22222222 }

static const struct key_case key_cases[] = {
	{ "v4_same_junk_past_4_bytes", AF_INET, V4(0xc0000201),
	  AF_INET, V4B(0xc0000201), true },
	{ "v4_other", AF_INET, V4(0xc0000201), AF_INET, V4(0xc0000202),
	  false },
	{ "v6_same", AF_INET6, { 0x20010db8, 0, 0, 1 },
	  AF_INET6, { 0x20010db8, 0, 0, 1 }, true },
	{ "v6_other_low_bit", AF_INET6, { 0x20010db8, 0, 0, 1 },
	  AF_INET6, { 0x20010db8, 0, 0, 3 }, false },
	{ "v6_other_high_word", AF_INET6, { 0x20010db8, 0, 0, 1 },
	  AF_INET6, { 0x20010db9, 0, 0, 1 }, false },
	{ "v4_vs_v6_same_first_bytes", AF_INET, V4(0xc0000201),
	  AF_INET6, { 0xc0000201, 0, 0, 0 }, false },
	{ "v4_vs_v4_mapped_v6", AF_INET, V4(0xc0000201),
	  AF_INET6, { 0, 0, 0xffff, 0xc0000201 }, false },
};

static void key_case_desc(const struct key_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(key, key_cases, key_case_desc);

static void key_case_addr(xfrm_address_t *x, const u32 *w)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		x->a6[i] = htonl(w[i]);
}

/* Keys: the family and the address bytes the family uses, nothing else. */
static void peers_keys(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(1), .rate = 10,
				     .max_peers = 16 };
	const struct key_case *c = test->param_value;
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key ka, kb;
	struct spirec_peer *pa, *pb;
	xfrm_address_t xa, xb;

	key_case_addr(&xa, c->a);
	key_case_addr(&xb, c->b);
	spirec_peer_key_init(&ka, c->fa, &xa);
	spirec_peer_key_init(&kb, c->fb, &xb);
	KUNIT_EXPECT_EQ(test, ka.family, c->fa);
	KUNIT_EXPECT_EQ(test, ka.pad, 0);
	/* IPv4: nothing but the four address bytes. */
	if (c->fa == AF_INET)
		KUNIT_EXPECT_TRUE(test, !(ka.addr.a6[1] | ka.addr.a6[2] |
					  ka.addr.a6[3]));

	KUNIT_EXPECT_EQ(test, peers_get(t, &ka, &cfg, T0, &pa),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_get(t, &kb, &cfg, T0, &pb),
			c->same ? SPIREC_PEER_FOUND : SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, pa == pb, c->same);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), c->same ? 1 : 2);
	KUNIT_EXPECT_EQ(test, peers_get(t, &ka, &cfg, T0, &pb),
			SPIREC_PEER_FOUND);
	KUNIT_EXPECT_PTR_EQ(test, pa, pb);
}

/* Per-peer limits and counters through the table; the walk reports them. */
static void peers_account(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(5), .rate = 1,
				     .max_peers = 16 };
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_state *st;
	struct spirec_peer_key a, b;
	enum spirec_peer_get_result res;
	struct peers_seen seen;
	u64 supp;

	peer_key4(&a, 1);
	peer_key4(&b, 2);
	KUNIT_EXPECT_EQ(test, peers_packet(t, &a, &cfg, T0, &res, &supp),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, res, SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_packet(t, &a, &cfg, T0 + MS(10), &res,
					   &supp),
			SPIREC_VERDICT_LIMITED_PEER);
	KUNIT_EXPECT_EQ(test, res, SPIREC_PEER_FOUND);
	/* The global bucket (1/s) is empty for b. */
	KUNIT_EXPECT_EQ(test, peers_packet(t, &b, &cfg, T0 + MS(20), &res,
					   &supp),
			SPIREC_VERDICT_LIMITED_GLOBAL);
	KUNIT_EXPECT_EQ(test, peers_packet(t, &b, &cfg, T0 + MS(4500), &res,
					   &supp),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, supp, 1);
	KUNIT_EXPECT_EQ(test, peers_packet(t, &a, &cfg, T0 + SEC(5), &res,
					   &supp),
			SPIREC_VERDICT_LIMITED_GLOBAL);
	KUNIT_EXPECT_EQ(test, peers_packet(t, &a, &cfg, T0 + SEC(6), &res,
					   &supp),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, supp, 2);

	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 2);
	st = peers_seen_find(&seen, &a);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_EXPECT_EQ(test, st->packets, 4);
	KUNIT_EXPECT_EQ(test, st->events, 2);
	KUNIT_EXPECT_EQ(test, st->suppressed, 0);
	KUNIT_EXPECT_EQ(test, st->suppressed_total, 2);
	KUNIT_EXPECT_EQ(test, st->last_seen, T0 + SEC(6));
	KUNIT_EXPECT_EQ(test, st->last_spi, 0x1000);
	st = peers_seen_find(&seen, &b);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_EXPECT_EQ(test, st->packets, 2);
	KUNIT_EXPECT_EQ(test, st->events, 1);
}

/*
 * A full table refuses new peers until its least recently seen entry has
 * been idle for the peer interval, then evicts that one only.
 */
static void peers_full_evict(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(10), .rate = 1000,
				     .max_peers = 4 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key k[6];
	struct spirec_peer *p;
	struct peers_seen seen;
	unsigned int i;

	for (i = 0; i < 6; i++)
		peer_key4(&k[i], i);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, peers_get(t, &k[i], &cfg, T0 + SEC(i),
						&p),
				SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 4);

	KUNIT_EXPECT_EQ(test, peers_get(t, &k[4], &cfg, T0 + SEC(5), &p),
			SPIREC_PEER_FULL);
	KUNIT_EXPECT_NULL(test, p);
	/* When the first entry becomes evictable, for this interval. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(t->full_until), T0 + SEC(10));
	KUNIT_EXPECT_EQ(test, READ_ONCE(t->full_idle), SEC(10));
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[4], &cfg, T0 + SEC(10) - 1, &p),
			SPIREC_PEER_FULL);
	/* Known peers are still found. */
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[3], &cfg, T0 + SEC(10) - 1, &p),
			SPIREC_PEER_FOUND);

	KUNIT_EXPECT_EQ(test, peers_get(t, &k[4], &cfg, T0 + SEC(10), &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 4);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 4);
	KUNIT_EXPECT_NULL(test, peers_seen_find(&seen, &k[0]));
	for (i = 1; i < 5; i++)
		KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[i]));

	/* k[1] became idle at T0 + 11 s, not before. */
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[5], &cfg, T0 + SEC(11) - 1, &p),
			SPIREC_PEER_FULL);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[5], &cfg, T0 + SEC(11), &p),
			SPIREC_PEER_CREATED);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_NULL(test, peers_seen_find(&seen, &k[1]));
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[2]));
}

/*
 * A full table with evictable entries takes no new peer while the global
 * bucket is empty (its event could not be sent): no eviction, no
 * allocation per spoofed packet. Once a token is back, it does.
 */
static void peers_full_bucket_empty(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = MS(100), .rate = 1,
				     .max_peers = 2 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key k[3];
	struct peers_seen seen;
	struct spirec_peer *p;
	unsigned int i;

	for (i = 0; i < 3; i++)
		peer_key4(&k[i], i);
	/* The bucket's one token goes to k[0]; k[1] is limited. */
	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[0], &cfg, T0, NULL, NULL),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[1], &cfg, T0, NULL, NULL),
			SPIREC_VERDICT_LIMITED_GLOBAL);
	/* Both evictable from T0 + 100 ms, the next token at T0 + 1 s. */
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[2], &cfg, T0 + MS(500), &p),
			SPIREC_PEER_FULL);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[2], &cfg, T0 + SEC(1) - 1, &p),
			SPIREC_PEER_FULL);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 2);
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[0]));
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[1]));
	/* Peers in the table are still found and accounted. */
	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[1], &cfg, T0 + MS(500), NULL,
					   NULL),
			SPIREC_VERDICT_LIMITED_GLOBAL);

	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[2], &cfg, T0 + SEC(1), NULL,
					   NULL),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 2);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[2]));
}

/*
 * Two tables sharing a quota of 3 entries (the module-wide bound): the
 * second table gets what the first left, no more, even far below its own
 * max_peers; an idle entry of its own makes room, flushing the first
 * table gives its share back.
 */
static void peers_quota_shared(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(10), .rate = 1000,
				     .max_peers = 100 };
	struct spirec_peer_quota quota = { .count = ATOMIC_INIT(0), .max = 3 };
	struct spirec_peer_table *a = peers_table(test), *b;
	struct spirec_peer_key k[6];
	struct spirec_peer *p;
	unsigned int i;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, spirec_peers_init(b, T0), 0);
	a->quota = &quota;
	b->quota = &quota;
	for (i = 0; i < 6; i++)
		peer_key4(&k[i], i);

	KUNIT_EXPECT_EQ(test, peers_get(a, &k[0], &cfg, T0, &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_get(a, &k[1], &cfg, T0, &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_get(b, &k[2], &cfg, T0, &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, atomic_read(&quota.count), 3);
	/* Full: nothing of b is idle yet. */
	KUNIT_EXPECT_EQ(test, peers_get(b, &k[3], &cfg, T0 + SEC(1), &p),
			SPIREC_PEER_FULL);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(b), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&quota.count), 3);
	/* b's own entry is idle after the interval: it makes room. */
	KUNIT_EXPECT_EQ(test, peers_get(b, &k[3], &cfg, T0 + SEC(10), &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(b), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&quota.count), 3);
	/* a's entries given back. */
	spirec_peers_flush(a);
	KUNIT_EXPECT_EQ(test, atomic_read(&quota.count), 1);
	KUNIT_EXPECT_EQ(test, peers_get(b, &k[4], &cfg, T0 + SEC(11), &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_get(b, &k[5], &cfg, T0 + SEC(11), &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, atomic_read(&quota.count), 3);
	spirec_peers_destroy(b);
	KUNIT_EXPECT_EQ(test, atomic_read(&quota.count), 0);
	a->quota = NULL;
}

/* A peer with recent packets is not evicted, though inserted first. */
static void peers_evict_lru(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(10), .rate = 1000,
				     .max_peers = 3 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key k[4];
	struct peers_seen seen;
	struct spirec_peer *p;
	unsigned int i;

	for (i = 0; i < 4; i++)
		peer_key4(&k[i], i);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, peers_get(t, &k[i], &cfg, T0 + SEC(i),
						&p),
				SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[0], &cfg, T0 + SEC(5), NULL,
					   NULL),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[3], &cfg, T0 + SEC(12), &p),
			SPIREC_PEER_CREATED);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 3);
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[0]));
	KUNIT_EXPECT_NULL(test, peers_seen_find(&seen, &k[1]));
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[2]));
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[3]));
}

/* A shorter interval (sysctl changed) does not wait for the old estimate. */
static void peers_full_interval_change(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(60), .rate = 1000,
				     .max_peers = 2 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key k[3];
	struct spirec_peer *p;
	unsigned int i;

	for (i = 0; i < 3; i++)
		peer_key4(&k[i], i);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[0], &cfg, T0, &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[1], &cfg, T0, &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[2], &cfg, T0 + SEC(5), &p),
			SPIREC_PEER_FULL);
	cfg.interval = SEC(2);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[2], &cfg, T0 + SEC(5), &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 2);
	/* max_peers lowered below the count: never a new entry while full. */
	cfg.max_peers = 1;
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[0], &cfg, T0 + SEC(5), &p),
			SPIREC_PEER_FULL);
}

/*
 * GC drops the entries idle for the given time, keeps (and moves to the
 * LRU tail) an entry whose LRU position is stale but that saw a packet.
 */
static void peers_gc(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(1), .rate = 1000,
				     .max_peers = 16 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key k[5];
	struct peers_seen seen;
	struct spirec_peer *p;
	unsigned int i;
	bool more = true;

	for (i = 0; i < 5; i++) {
		peer_key4(&k[i], i);
		KUNIT_EXPECT_EQ(test, peers_get(t, &k[i], &cfg, T0, &p),
				SPIREC_PEER_CREATED);
	}
	/* Within SPIREC_LRU_GRANULARITY: last_seen moves, the LRU does not. */
	KUNIT_EXPECT_GE(test, peers_packet(t, &k[2], &cfg, T0 + MS(500), NULL,
					   NULL),
			0);

	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, SEC(60), T0 + SEC(60) - 1,
					      &more),
			5);
	KUNIT_EXPECT_FALSE(test, more);
	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, SEC(60), T0 + SEC(60), &more),
			1);
	KUNIT_EXPECT_FALSE(test, more);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 1);
	KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[2]));
	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, SEC(60), T0 + SEC(61), &more),
			0);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
}

/* One GC pass looks at SPIREC_GC_BATCH entries at most, and says so. */
static void peers_gc_batch(struct kunit *test)
{
	const unsigned int n = SPIREC_GC_BATCH + 76;
	struct spirec_rl_cfg cfg = { .interval = SEC(1), .rate = 1000,
				     .max_peers = 2 * n };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key key;
	struct spirec_peer *p;
	unsigned int i, created = 0;
	bool more;

	for (i = 0; i < n; i++) {
		peer_key6(&key, i);
		created += peers_get(t, &key, &cfg, T0, &p) ==
			   SPIREC_PEER_CREATED;
	}
	KUNIT_ASSERT_EQ(test, created, n);
	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, SEC(60), T0 + SEC(60), &more),
			n - SPIREC_GC_BATCH);
	KUNIT_EXPECT_TRUE(test, more);
	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, SEC(60), T0 + SEC(60), &more),
			0);
	KUNIT_EXPECT_FALSE(test, more);
}

/* A walk stopped by its callback resumes where it stopped. */
static void peers_walk_resume(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(1), .rate = 1000,
				     .max_peers = 16 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peers_cursor c;
	struct spirec_peer_key k[6];
	struct peers_seen seen = {};
	struct spirec_peer *p;
	unsigned int i, calls = 0;
	int ret;

	for (i = 0; i < 6; i++) {
		peer_key6(&k[i], i);
		KUNIT_EXPECT_EQ(test, peers_get(t, &k[i], &cfg, T0, &p),
				SPIREC_PEER_CREATED);
	}
	spirec_peers_walk_enter(t, &c);
	do {
		seen.stop_after = seen.n + 2;
		ret = spirec_peers_walk(&c, peers_seen_fn, &seen);
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == 1);
	} while (ret && ++calls < 10);
	spirec_peers_walk_exit(&c);
	KUNIT_EXPECT_FALSE(test, c.rewound);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, seen.n, 6);
	for (i = 0; i < 6; i++)
		KUNIT_EXPECT_NOT_NULL(test, peers_seen_find(&seen, &k[i]));
}

/* Flush empties the table; the peers come back as new entries. */
static void peers_flush(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(1), .rate = 1000,
				     .max_peers = 16 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key key;
	struct peers_seen seen;
	struct spirec_peer *p;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		peer_key4(&key, i);
		KUNIT_EXPECT_EQ(test, peers_get(t, &key, &cfg, T0, &p),
				SPIREC_PEER_CREATED);
	}
	spirec_peers_flush(t);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 0);
	KUNIT_EXPECT_EQ(test, peers_get(t, &key, &cfg, T0, &p),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 1);
}

/**
 * struct holder - a packet holding a peer entry across a flush
 * @t: the table
 * @cfg: limits
 * @key: the peer
 * @got: the holder is in its RCU section with the entry
 * @flushed: the table was flushed meanwhile
 * @done: the holder left its RCU section
 * @res: what spirec_peers_get() said
 * @verdict: spirec_peers_account() on the flushed entry
 * @dead: the entry was marked dead by the flush
 * @packets: the entry's packet count after the second packet
 * @timed_out: the flush did not come within 10 s
 */
struct holder {
	struct spirec_peer_table *t;
	struct spirec_rl_cfg cfg;
	struct spirec_peer_key key;
	struct completion got;
	atomic_t flushed;
	struct completion done;
	enum spirec_peer_get_result res;
	int verdict;
	bool dead;
	u64 packets;
	bool timed_out;
};

static int holder_fn(void *arg)
{
	unsigned long deadline = jiffies + 10 * HZ;
	struct spirec_peer *p = NULL;
	struct holder *h = arg;
	struct spirec_pkt pkt;
	u64 supp;

	peer_pkt(&pkt, &h->key, 0x2000);
	rcu_read_lock();
	local_bh_disable();
	h->res = spirec_peers_get(h->t, &h->key, &h->cfg, T0, &p);
	if (p)
		spirec_peers_account(h->t, p, &h->cfg, &pkt, T0, &supp);
	complete(&h->got);
	while (!atomic_read(&h->flushed)) {
		if (time_after(jiffies, deadline)) {
			h->timed_out = true;
			break;
		}
		cpu_relax();
	}
	if (p) {
		/* Unlinked, but not freed before this RCU section ends. */
		h->verdict = spirec_peers_account(h->t, p, &h->cfg, &pkt,
						  T0 + SEC(2), &supp);
		spin_lock(&h->t->lock);
		h->dead = p->dead;
		spin_unlock(&h->t->lock);
		spin_lock(&p->lock);
		h->packets = p->st.packets;
		spin_unlock(&p->lock);
	}
	local_bh_enable();
	rcu_read_unlock();
	complete(&h->done);

	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * The flush runs while a packet on another CPU holds an entry in its RCU
 * read section: the entry is unlinked and marked dead, stays usable until
 * the reader is done (KASAN would report a use after free), and is freed
 * after that.
 */
static void peers_flush_in_use(struct kunit *test)
{
	struct spirec_peer_table *t = peers_table(test);
	struct task_struct *task;
	struct holder *h;
	unsigned int cpu;
	bool more;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	h->t = t;
	h->cfg = (struct spirec_rl_cfg){ .interval = SEC(1), .rate = 1000,
					 .max_peers = 16 };
	peer_key4(&h->key, 7);
	init_completion(&h->got);
	init_completion(&h->done);
	atomic_set(&h->flushed, 0);

	/* The holder spins on one CPU, the flush runs on another. */
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	task = kthread_create(holder_fn, h, "spirec_kunit_holder");
	if (IS_ERR(task)) {
		migrate_enable();
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(task));
		return;
	}
	kthread_bind(task, cpu);
	get_task_struct(task);
	wake_up_process(task);

	wait_for_completion(&h->got);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 1);
	spirec_peers_flush(t);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
	atomic_set(&h->flushed, 1);
	wait_for_completion(&h->done);
	migrate_enable();
	kthread_stop(task);
	put_task_struct(task);

	KUNIT_EXPECT_FALSE(test, h->timed_out);
	KUNIT_EXPECT_EQ(test, h->res, SPIREC_PEER_CREATED);
	KUNIT_EXPECT_TRUE(test, h->dead);
	KUNIT_EXPECT_EQ(test, h->verdict, SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, h->packets, 2);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
	/* The dead entry was not put back by the LRU update. */
	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, 0, T0 + SEC(3600), &more), 0);
}

/**
 * struct traffic - packets of many peers while the table is flushed
 * @t: the table
 * @rounds: packets to send
 * @done: all sent
 * @bad: verdicts or get results out of range
 */
struct traffic {
	struct spirec_peer_table *t;
	unsigned int rounds;
	struct completion done;
	unsigned int bad;
};

static int traffic_fn(void *arg)
{
	struct spirec_rl_cfg cfg = { .interval = MS(1), .rate = 100000,
				     .max_peers = 32 };
	struct traffic *tr = arg;
	enum spirec_peer_get_result res;
	struct spirec_peer_key key;
	unsigned int i;
	int verdict;

	for (i = 0; i < tr->rounds; i++) {
		peer_key4(&key, i % 48);
		verdict = peers_packet(tr->t, &key, &cfg, T0 + MS(i), &res,
				       NULL);
		if (res != SPIREC_PEER_FULL && verdict < 0)
			tr->bad++;
		if (!(i % 64))
			cond_resched();
	}
	complete(&tr->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* Flushes racing with packets, evictions and LRU updates (lockdep, KASAN). */
static void peers_flush_under_traffic(struct kunit *test)
{
	struct spirec_peer_table *t = peers_table(test);
	struct task_struct *task;
	struct traffic *tr;
	unsigned int flushes = 0;

	tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tr);
	tr->t = t;
	tr->rounds = 3000;
	init_completion(&tr->done);
	task = kthread_run(traffic_fn, tr, "spirec_kunit_traffic");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	while (!completion_done(&tr->done)) {
		spirec_peers_flush(t);
		KUNIT_EXPECT_LE(test, spirec_peers_count(t), 32);
		flushes++;
		usleep_range(100, 200);
	}
	kthread_stop(task);
	put_task_struct(task);
	KUNIT_EXPECT_EQ(test, tr->bad, 0);
	KUNIT_EXPECT_GT(test, flushes, 0);
	KUNIT_EXPECT_LE(test, spirec_peers_count(t), 32);
	spirec_peers_flush(t);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
}

/* Buckets of @t's current hash table. */
static unsigned int peers_buckets(struct spirec_peer_table *t)
{
	unsigned int size;

	rcu_read_lock();
	size = rcu_dereference(t->ht.tbl)->size;
	rcu_read_unlock();
	return size;
}

#define PEERS_MANY	20000

/*
 * Lets the table's resize worker run until the size is what its load asks
 * for (each run doubles or shrinks once; insertions schedule it).
 */
static void peers_settle(struct spirec_peer_table *t)
{
	unsigned int i, size;

	for (i = 0; i < 32; i++) {
		size = peers_buckets(t);
		schedule_work(&t->ht.run_work);
		flush_work(&t->ht.run_work);
		if (peers_buckets(t) == size)
			break;
	}
}

/*
 * The table grows with its entries instead of chaining them in a fixed
 * number of buckets, and shrinks again when they are gone: 20000 peers
 * (IPv4 and IPv6) are all found, in a table of at least as many buckets;
 * a walk sees each once; after a flush it is back to its smallest size.
 */
static void peers_grow_shrink(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(1), .rate = 1000,
				     .max_peers = 65536 };
	struct spirec_peer_table *t = peers_table(test);
	unsigned int i, created = 0, found = 0, small;
	struct spirec_peer_key key;
	struct peers_seen seen;
	struct spirec_peer *p;

	small = peers_buckets(t);
	for (i = 0; i < PEERS_MANY; i++) {
		if (i & 1)
			peer_key6(&key, i);
		else
			peer_key4(&key, i);
		created += peers_get(t, &key, &cfg, T0, &p) ==
			   SPIREC_PEER_CREATED;
	}
	KUNIT_ASSERT_EQ(test, created, PEERS_MANY);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), PEERS_MANY);
	peers_settle(t);
	KUNIT_EXPECT_GE(test, peers_buckets(t), PEERS_MANY);
	for (i = 0; i < PEERS_MANY; i++) {
		if (i & 1)
			peer_key6(&key, i);
		else
			peer_key4(&key, i);
		found += peers_get(t, &key, &cfg, T0 + MS(1), &p) ==
			 SPIREC_PEER_FOUND;
	}
	KUNIT_EXPECT_EQ(test, found, PEERS_MANY);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, PEERS_MANY);

	spirec_peers_flush(t);
	peers_settle(t);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
	KUNIT_EXPECT_EQ(test, peers_buckets(t), small);
}

/* Insertions and removals change the generation a dump compares. */
static void peers_generation(struct kunit *test)
{
	struct spirec_rl_cfg cfg = { .interval = SEC(1), .rate = 1000,
				     .max_peers = 16 };
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key key;
	struct spirec_peer *p;
	unsigned int g0, g1;
	bool more;

	peer_key4(&key, 7);
	g0 = spirec_peers_gen(t);
	KUNIT_EXPECT_EQ(test, peers_get(t, &key, &cfg, T0, &p),
			SPIREC_PEER_CREATED);
	g1 = spirec_peers_gen(t);
	KUNIT_EXPECT_NE(test, g1, g0);
	KUNIT_EXPECT_EQ(test, peers_get(t, &key, &cfg, T0, &p),
			SPIREC_PEER_FOUND);
	KUNIT_EXPECT_EQ(test, spirec_peers_gen(t), g1);
	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, SEC(60), T0 + SEC(61), &more),
			0);
	KUNIT_EXPECT_NE(test, spirec_peers_gen(t), g1);
}

static struct kunit_case spirec_peers_cases[] = {
	KUNIT_CASE_PARAM(peers_keys, key_gen_params),
	KUNIT_CASE(peers_account),
	KUNIT_CASE(peers_full_evict),
	KUNIT_CASE(peers_full_bucket_empty),
	KUNIT_CASE(peers_quota_shared),
	KUNIT_CASE(peers_evict_lru),
	KUNIT_CASE(peers_full_interval_change),
	KUNIT_CASE(peers_gc),
	KUNIT_CASE(peers_gc_batch),
	KUNIT_CASE(peers_walk_resume),
	KUNIT_CASE(peers_flush),
	KUNIT_CASE(peers_flush_in_use),
	KUNIT_CASE(peers_flush_under_traffic),
	KUNIT_CASE(peers_grow_shrink),
	KUNIT_CASE(peers_generation),
	{}
};

static struct kunit_suite spirec_peers_suite = {
	.name = "spirec_peers",
	.init = peers_test_init,
	.exit = peers_test_exit,
	.test_cases = spirec_peers_cases,
};

kunit_test_suite(spirec_peers_suite);
