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
#define PEERS_CFG(ival, r, max) \
	{ .interval = (ival), .rate = (r), .max_peers = (max) }

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

#define PEERS_KEYS	8

/**
 * struct peers_fixture - what each test case starts with
 * @t: an empty table
 * @k4: the IPv4 key of peer i (192.0.2.i)
 * @k6: the IPv6 key of peer i (2001:db8::i)
 */
struct peers_fixture {
	struct spirec_peer_table t;
	struct spirec_peer_key k4[PEERS_KEYS];
	struct spirec_peer_key k6[PEERS_KEYS];
};

static struct peers_fixture *peers_fix(struct kunit *test)
{
	return test->priv;
}

static struct spirec_peer_table *peers_table(struct kunit *test)
{
	return &peers_fix(test)->t;
}

static int peers_test_init(struct kunit *test)
{
	struct peers_fixture *f;
	unsigned int i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	if (spirec_peers_init(&f->t, T0))
		return -ENOMEM;
	for (i = 0; i < PEERS_KEYS; i++) {
		peer_key4(&f->k4[i], i);
		peer_key6(&f->k6[i], i);
	}
	test->priv = f;
	return 0;
}

static void peers_test_exit(struct kunit *test)
{
	spirec_peers_destroy(peers_table(test));
}

/* spirec_peers_get() in an RCU section of its own; @out may be NULL. */
static enum spirec_peer_get_result
peers_get(struct spirec_peer_table *t, const struct spirec_peer_key *key,
	  const struct spirec_rl_cfg *cfg, u64 now, struct spirec_peer **out)
{
	enum spirec_peer_get_result res;
	struct spirec_peer *p;

	rcu_read_lock();
	res = spirec_peers_get(t, key, cfg, now, out ? out : &p);
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

/* Entries for @k[0] to @k[n - 1], the i-th created at @now + i * @step. */
static void peers_create(struct kunit *test, const struct spirec_rl_cfg *cfg,
			 const struct spirec_peer_key *k, unsigned int n,
			 u64 now, u64 step)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, peers_get(peers_table(test), &k[i],
						    cfg, now + i * step, NULL),
				    SPIREC_PEER_CREATED, "peer %u", i);
}

/*
 * A walk of the table, against @in: for each @k[i], '+' in the table,
 * '-' not in it, '.' either. Without a '.', the walk must see the '+'
 * entries and nothing else.
 */
static void peers_expect_walk(struct kunit *test,
			      const struct spirec_peer_key *k, const char *in)
{
	unsigned int i, want = 0;
	struct peers_seen seen;
	bool all = true;

	peers_walk_all(test, &seen);
	for (i = 0; in[i]; i++) {
		if (in[i] == '+') {
			want++;
			KUNIT_EXPECT_NOT_NULL_MSG(test,
						  peers_seen_find(&seen, &k[i]),
						  "peer %u", i);
		} else if (in[i] == '-') {
			KUNIT_EXPECT_NULL_MSG(test,
					      peers_seen_find(&seen, &k[i]),
					      "peer %u", i);
		} else {
			all = false;
		}
	}
	if (all)
		KUNIT_EXPECT_EQ(test, seen.n, want);
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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(1), 10, 16);
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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(5), 1, 16);
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_state *st;
	const struct spirec_peer_key *a = &peers_fix(test)->k4[1];
	const struct spirec_peer_key *b = &peers_fix(test)->k4[2];
	/* Peer 0 is a, 1 is b; -1: not checked. */
	static const struct {
		unsigned int peer;
		u64 now;
		int verdict;
		int res;
		int supp;
	} steps[] = {
		{ 0, T0, SPIREC_VERDICT_EVENT, SPIREC_PEER_CREATED, -1 },
		{ 0, T0 + MS(10), SPIREC_VERDICT_LIMITED_PEER,
		  SPIREC_PEER_FOUND, -1 },
		/* The global bucket (1/s) is empty for b. */
		{ 1, T0 + MS(20), SPIREC_VERDICT_LIMITED_GLOBAL, -1, -1 },
		{ 1, T0 + MS(4500), SPIREC_VERDICT_EVENT, -1, 1 },
		{ 0, T0 + SEC(5), SPIREC_VERDICT_LIMITED_GLOBAL, -1, -1 },
		{ 0, T0 + SEC(6), SPIREC_VERDICT_EVENT, -1, 2 },
	};
	enum spirec_peer_get_result res;
	struct peers_seen seen;
	unsigned int i;
	u64 supp;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		KUNIT_EXPECT_EQ_MSG(test, peers_packet(t, steps[i].peer ? b : a,
						       &cfg, steps[i].now,
						       &res, &supp),
				    steps[i].verdict, "step %u", i);
		if (steps[i].res >= 0)
			KUNIT_EXPECT_EQ_MSG(test, res, steps[i].res,
					    "step %u", i);
		if (steps[i].supp >= 0)
			KUNIT_EXPECT_EQ_MSG(test, supp, steps[i].supp,
					    "step %u", i);
	}

	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 2);
	st = peers_seen_find(&seen, a);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_EXPECT_EQ(test, st->packets, 4);
	KUNIT_EXPECT_EQ(test, st->events, 2);
	KUNIT_EXPECT_EQ(test, st->suppressed, 0);
	KUNIT_EXPECT_EQ(test, st->suppressed_total, 2);
	KUNIT_EXPECT_EQ(test, st->last_seen, T0 + SEC(6));
	KUNIT_EXPECT_EQ(test, st->last_spi, 0x1000);
	st = peers_seen_find(&seen, b);
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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(10), 1000, 4);
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_key *k = peers_fix(test)->k4;
	struct spirec_peer *p;

	peers_create(test, &cfg, k, 4, T0, SEC(1));
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
	peers_expect_walk(test, k, "-++++-");

	/* k[1] became idle at T0 + 11 s, not before. */
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[5], &cfg, T0 + SEC(11) - 1, &p),
			SPIREC_PEER_FULL);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[5], &cfg, T0 + SEC(11), &p),
			SPIREC_PEER_CREATED);
	peers_expect_walk(test, k, ".-+...");
}

/*
 * A full table with evictable entries takes no new peer while the global
 * bucket is empty (its event could not be sent): no eviction, no
 * allocation per spoofed packet. Once a token is back, it does.
 */
static void peers_full_bucket_empty(struct kunit *test)
{
	const struct spirec_rl_cfg cfg = PEERS_CFG(MS(100), 1, 2);
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_key *k = peers_fix(test)->k4;
	struct spirec_peer *p;

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
	peers_expect_walk(test, k, "++-");
	/* Peers in the table are still found and accounted. */
	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[1], &cfg, T0 + MS(500), NULL,
					   NULL),
			SPIREC_VERDICT_LIMITED_GLOBAL);

	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[2], &cfg, T0 + SEC(1), NULL,
					   NULL),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 2);
	peers_expect_walk(test, k, "..+");
}

/*
 * Two tables sharing a quota of 3 entries (the module-wide bound): the
 * second table gets what the first left, no more, even far below its own
 * max_peers; an idle entry of its own makes room, flushing the first
 * table gives its share back.
 */
static void peers_quota_shared(struct kunit *test)
{
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(10), 1000, 100);
	struct spirec_peer_quota quota = { .count = ATOMIC_INIT(0), .max = 3 };
	struct spirec_peer_table *a = peers_table(test), *b;
	const struct spirec_peer_key *k = peers_fix(test)->k4;
	struct spirec_peer *p;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, spirec_peers_init(b, T0), 0);
	a->quota = &quota;
	b->quota = &quota;

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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(10), 1000, 3);
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_key *k = peers_fix(test)->k4;

	peers_create(test, &cfg, k, 3, T0, SEC(1));
	KUNIT_EXPECT_EQ(test, peers_packet(t, &k[0], &cfg, T0 + SEC(5), NULL,
					   NULL),
			SPIREC_VERDICT_EVENT);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[3], &cfg, T0 + SEC(12), NULL),
			SPIREC_PEER_CREATED);
	peers_expect_walk(test, k, "+-++");
}

/* A shorter interval (sysctl changed) does not wait for the old estimate. */
static void peers_full_interval_change(struct kunit *test)
{
	struct spirec_rl_cfg cfg = PEERS_CFG(SEC(60), 1000, 2);
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_key *k = peers_fix(test)->k4;

	peers_create(test, &cfg, k, 2, T0, 0);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[2], &cfg, T0 + SEC(5), NULL),
			SPIREC_PEER_FULL);
	cfg.interval = SEC(2);
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[2], &cfg, T0 + SEC(5), NULL),
			SPIREC_PEER_CREATED);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 2);
	/* max_peers lowered below the count: never a new entry while full. */
	cfg.max_peers = 1;
	KUNIT_EXPECT_EQ(test, peers_get(t, &k[0], &cfg, T0 + SEC(5), NULL),
			SPIREC_PEER_FULL);
}

/*
 * GC drops the entries idle for the given time, keeps (and moves to the
 * LRU tail) an entry whose LRU position is stale but that saw a packet.
 */
static void peers_gc(struct kunit *test)
{
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(1), 1000, 16);
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_key *k = peers_fix(test)->k4;
	bool more = true;

	peers_create(test, &cfg, k, 5, T0, 0);
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
	peers_expect_walk(test, k, "--+--");
	KUNIT_EXPECT_EQ(test, spirec_peers_gc(t, SEC(60), T0 + SEC(61), &more),
			0);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
}

/* One GC pass looks at SPIREC_GC_BATCH entries at most, and says so. */
static void peers_gc_batch(struct kunit *test)
{
	const unsigned int n = SPIREC_GC_BATCH + 76;
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(1), 1000, 2 * n);
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key key;
	unsigned int i, created = 0;
	bool more;

	for (i = 0; i < n; i++) {
		peer_key6(&key, i);
		created += peers_get(t, &key, &cfg, T0, NULL) ==
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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(1), 1000, 16);
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peers_cursor c;
	const struct spirec_peer_key *k = peers_fix(test)->k6;
	struct peers_seen seen = {};
	unsigned int i, calls = 0;
	int ret;

	peers_create(test, &cfg, k, 6, T0, 0);
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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(1), 1000, 16);
	struct spirec_peer_table *t = peers_table(test);
	const struct spirec_peer_key *k = peers_fix(test)->k4;
	struct peers_seen seen;

	peers_create(test, &cfg, k, 8, T0, 0);
	spirec_peers_flush(t);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
	peers_walk_all(test, &seen);
	KUNIT_EXPECT_EQ(test, seen.n, 0);
	peers_create(test, &cfg, &k[7], 1, T0, 0);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 1);
}

/*
 * A thread running @fn(@arg), bound to @cpu unless it is -1, which the
 * test ends with peers_thread_stop(). NULL (the test failed) if none.
 */
static struct task_struct *peers_thread_start(struct kunit *test,
					      int (*fn)(void *), void *arg,
					      const char *name, int cpu)
{
	struct task_struct *task;

	task = kthread_create(fn, arg, "%s", name);
	if (IS_ERR(task)) {
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(task));
		return NULL;
	}
	if (cpu >= 0)
		kthread_bind(task, cpu);
	get_task_struct(task);
	wake_up_process(task);
	return task;
}

static void peers_thread_stop(struct task_struct *task)
{
	kthread_stop(task);
	put_task_struct(task);
}

/*
 * The end of a test's thread: says it is @done, then waits for
 * peers_thread_stop().
 */
static int peers_thread_done(struct completion *done)
{
	complete(done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
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
	return peers_thread_done(&h->done);
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
	int cpu;
	bool more;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	h->t = t;
	h->cfg = (struct spirec_rl_cfg)PEERS_CFG(SEC(1), 1000, 16);
	peer_key4(&h->key, 7);
	init_completion(&h->got);
	init_completion(&h->done);
	atomic_set(&h->flushed, 0);

	/* The holder spins on one CPU, the flush runs on another. */
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	task = peers_thread_start(test, holder_fn, h, "spirec_kunit_holder",
				  cpu);
	if (!task) {
		migrate_enable();
		return;
	}

	wait_for_completion(&h->got);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 1);
	spirec_peers_flush(t);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), 0);
	atomic_set(&h->flushed, 1);
	wait_for_completion(&h->done);
	migrate_enable();
	peers_thread_stop(task);

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
	const struct spirec_rl_cfg cfg = PEERS_CFG(MS(1), 100000, 32);
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
	return peers_thread_done(&tr->done);
}

/* Flushes racing with packets, evictions and LRU updates (lockdep, KASAN). */
static void peers_flush_under_traffic(struct kunit *test)
{
	struct spirec_peer_table *t = peers_table(test);
	struct traffic tr = { .t = t, .rounds = 3000 };
	struct task_struct *task;
	unsigned int flushes = 0;

	init_completion(&tr.done);
	task = peers_thread_start(test, traffic_fn, &tr, "spirec_kunit_traffic",
				  -1);
	KUNIT_ASSERT_NOT_NULL(test, task);
	while (!completion_done(&tr.done)) {
		spirec_peers_flush(t);
		KUNIT_EXPECT_LE(test, spirec_peers_count(t), 32);
		flushes++;
		usleep_range(100, 200);
	}
	peers_thread_stop(task);
	KUNIT_EXPECT_EQ(test, tr.bad, 0);
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

/* Peer @n: IPv6 for odd @n, IPv4 for even. */
static void peer_key_mixed(struct spirec_peer_key *key, unsigned int n)
{
	if (n & 1)
		peer_key6(key, n);
	else
		peer_key4(key, n);
}

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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(1), 1000, 65536);
	struct spirec_peer_table *t = peers_table(test);
	unsigned int i, created = 0, found = 0, small;
	struct spirec_peer_key key;
	struct peers_seen seen;

	small = peers_buckets(t);
	for (i = 0; i < PEERS_MANY; i++) {
		peer_key_mixed(&key, i);
		created += peers_get(t, &key, &cfg, T0, NULL) ==
			   SPIREC_PEER_CREATED;
	}
	KUNIT_ASSERT_EQ(test, created, PEERS_MANY);
	KUNIT_EXPECT_EQ(test, spirec_peers_count(t), PEERS_MANY);
	peers_settle(t);
	KUNIT_EXPECT_GE(test, peers_buckets(t), PEERS_MANY);
	for (i = 0; i < PEERS_MANY; i++) {
		peer_key_mixed(&key, i);
		found += peers_get(t, &key, &cfg, T0 + MS(1), NULL) ==
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
	const struct spirec_rl_cfg cfg = PEERS_CFG(SEC(1), 1000, 16);
	struct spirec_peer_table *t = peers_table(test);
	struct spirec_peer_key key;
	unsigned int g0, g1;
	bool more;

	peer_key4(&key, 7);
	g0 = spirec_peers_gen(t);
	KUNIT_EXPECT_EQ(test, peers_get(t, &key, &cfg, T0, NULL),
			SPIREC_PEER_CREATED);
	g1 = spirec_peers_gen(t);
	KUNIT_EXPECT_NE(test, g1, g0);
	KUNIT_EXPECT_EQ(test, peers_get(t, &key, &cfg, T0, NULL),
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
