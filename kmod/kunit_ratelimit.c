// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rate limiter's pure functions (ratelimit.c): token bucket,
 * per-peer interval, the two together, and the counters, on a clock the
 * tests move by hand.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/spirec.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "ratelimit.h"

/* Start of the fake clock: far from 0, as a monotonic clock would be. */
#define T0		(1000 * NSEC_PER_SEC)
#define MS(n)		((u64)(n) * NSEC_PER_MSEC)
#define SEC(n)		((u64)(n) * NSEC_PER_SEC)

struct tb_case {
	const char *name;
	u32 rate;
};

static const struct tb_case tb_cases[] = {
	{ "rate_1", 1 },
	{ "rate_3", 3 },
	{ "rate_10", 10 },
	{ "rate_7919", 7919 },
	{ "rate_100000", 100000 },
};

static void tb_case_desc(const struct tb_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tb, tb_cases, tb_case_desc);

/* A fresh bucket holds rate tokens (the burst), and not one more. */
static void tb_burst(struct kunit *test)
{
	const struct tb_case *c = test->param_value;
	struct spirec_tb tb;
	unsigned int i, n = 0;

	spirec_tb_init(&tb, T0);
	for (i = 0; i < c->rate + 10; i++) {
		/* Known empty once the burst is spent, not before. */
		KUNIT_EXPECT_EQ(test, spirec_tb_empty(&tb, T0), i >= c->rate);
		n += spirec_tb_take(&tb, c->rate, T0);
	}
	KUNIT_EXPECT_EQ(test, n, c->rate);
	KUNIT_EXPECT_FALSE(test, spirec_tb_take(&tb, c->rate, T0));
}

/*
 * Empty bucket: one token per 1/rate s, none before, and
 * spirec_tb_empty() says so until exactly then, after a refused take as
 * after the last token taken.
 */
static void tb_refill(struct kunit *test)
{
	const struct tb_case *c = test->param_value;
	u64 cost = div_u64(NSEC_PER_SEC, c->rate), now = T0;
	struct spirec_tb tb;
	unsigned int i;

	spirec_tb_init(&tb, now);
	while (spirec_tb_take(&tb, c->rate, now))
		;
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_TRUE(test, spirec_tb_empty(&tb, now + cost - 1));
		KUNIT_EXPECT_FALSE(test, spirec_tb_take(&tb, c->rate,
							now + cost - 1));
		now += cost;
		KUNIT_EXPECT_FALSE(test, spirec_tb_empty(&tb, now));
		KUNIT_EXPECT_TRUE(test, spirec_tb_take(&tb, c->rate, now));
		KUNIT_EXPECT_FALSE(test, spirec_tb_take(&tb, c->rate, now));
	}
}

/* A long quiet time refills to the burst, not beyond. */
static void tb_cap(struct kunit *test)
{
	const struct tb_case *c = test->param_value;
	struct spirec_tb tb;
	unsigned int i, n = 0;

	spirec_tb_init(&tb, T0);
	while (spirec_tb_take(&tb, c->rate, T0))
		;
	for (i = 0; i < c->rate + 10; i++)
		n += spirec_tb_take(&tb, c->rate, T0 + SEC(3600));
	KUNIT_EXPECT_EQ(test, n, c->rate);
}

/* spirec_tb_ready() answers what the next spirec_tb_take() will. */
static void tb_ready(struct kunit *test)
{
	const struct tb_case *c = test->param_value;
	u64 cost = div_u64(NSEC_PER_SEC, c->rate), now = T0;
	struct spirec_tb tb;
	unsigned int i;
	bool ready;

	spirec_tb_init(&tb, now);
	for (i = 0; i < 3 * c->rate + 10; i++) {
		/* Half a token per step: drains, then every other one. */
		if (i >= c->rate)
			now += cost / 2;
		ready = spirec_tb_ready(&tb, c->rate, now);
		if (spirec_tb_empty(&tb, now))
			KUNIT_EXPECT_FALSE(test, ready);
		KUNIT_EXPECT_EQ(test, ready, spirec_tb_take(&tb, c->rate, now));
	}
	KUNIT_EXPECT_FALSE(test, spirec_tb_ready(&tb, 0, now + SEC(10)));
}

/* Rate 0 allows nothing, even from a full bucket. */
static void tb_rate_zero(struct kunit *test)
{
	struct spirec_tb tb;

	spirec_tb_init(&tb, T0);
	KUNIT_EXPECT_FALSE(test, spirec_tb_take(&tb, 0, T0));
	KUNIT_EXPECT_FALSE(test, spirec_tb_take(&tb, 0, T0 + SEC(10)));
	KUNIT_EXPECT_TRUE(test, spirec_tb_take(&tb, 1, T0 + SEC(10)));
}

/* A clock going backwards adds no credit and does not move the stamp. */
static void tb_clock_backwards(struct kunit *test)
{
	struct spirec_tb tb;

	spirec_tb_init(&tb, T0);
	KUNIT_EXPECT_TRUE(test, spirec_tb_take(&tb, 1, T0));
	KUNIT_EXPECT_FALSE(test, spirec_tb_take(&tb, 1, T0 - SEC(5)));
	KUNIT_EXPECT_EQ(test, tb.stamp, T0);
	KUNIT_EXPECT_FALSE(test, spirec_tb_take(&tb, 1, T0 + SEC(1) - 1));
	KUNIT_EXPECT_TRUE(test, spirec_tb_take(&tb, 1, T0 + SEC(1)));
}

static void rl_pkt(struct spirec_pkt *pkt, u32 spi, u8 proto, u8 encap)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->family = AF_INET;
	pkt->saddr.a4 = htonl(0xc0000201);
	pkt->daddr.a4 = htonl(0xc6336402);
	pkt->spi = spi;
	pkt->proto = proto;
	pkt->encap = encap;
}

/**
 * struct rl_step - one packet through spirec_rl_decide() and its outcome
 * @peer: whose packet: the index of its state
 * @now: when
 * @verdict: the decision it must get
 * @supp: the suppressed count it must report with it, -1: not checked
 */
struct rl_step {
	unsigned int peer;
	u64 now;
	int verdict;
	int supp;
};

/*
 * @n packets of @steps through one global bucket (full at T0) with @cfg,
 * each on the state of its peer in @st.
 */
static void rl_steps(struct kunit *test, const struct spirec_rl_cfg *cfg,
		     struct spirec_peer_state *st, const struct rl_step *steps,
		     unsigned int n)
{
	struct spirec_pkt pkt;
	struct spirec_tb tb;
	unsigned int i;
	u64 supp;

	spirec_tb_init(&tb, T0);
	rl_pkt(&pkt, 0x100, IPPROTO_ESP, SPIREC_ENCAP_NONE);
	for (i = 0; i < n; i++) {
		supp = 99;
		KUNIT_EXPECT_EQ_MSG(test, spirec_rl_decide(&st[steps[i].peer],
							   &tb, cfg, &pkt,
							   steps[i].now, &supp),
				    steps[i].verdict, "step %u", i);
		if (steps[i].supp >= 0)
			KUNIT_EXPECT_EQ_MSG(test, supp, steps[i].supp,
					    "step %u", i);
	}
}

/* One peer, generous global rate: one event per interval. */
static void rl_peer_interval(struct kunit *test)
{
	static const struct spirec_rl_cfg cfg = { .interval = SEC(5),
						  .rate = 1000 };
	static const struct rl_step steps[] = {
		{ 0, T0, SPIREC_VERDICT_EVENT, 0 },
		{ 0, T0 + SEC(1), SPIREC_VERDICT_LIMITED_PEER, -1 },
		{ 0, T0 + SEC(5) - 1, SPIREC_VERDICT_LIMITED_PEER, -1 },
		{ 0, T0 + SEC(5), SPIREC_VERDICT_EVENT, 2 },
		{ 0, T0 + SEC(10), SPIREC_VERDICT_EVENT, 0 },
	};
	struct spirec_peer_state st = {};

	rl_steps(test, &cfg, &st, steps, ARRAY_SIZE(steps));
	KUNIT_EXPECT_EQ(test, st.packets, 5);
	KUNIT_EXPECT_EQ(test, st.events, 3);
	KUNIT_EXPECT_EQ(test, st.suppressed, 0);
	KUNIT_EXPECT_EQ(test, st.suppressed_total, 2);
	KUNIT_EXPECT_EQ(test, st.last_event, T0 + SEC(10));
	KUNIT_EXPECT_EQ(test, st.last_seen, T0 + SEC(10));
}

/* Interval 0: the peer is always due; only the global bucket limits. */
static void rl_interval_zero(struct kunit *test)
{
	static const struct spirec_rl_cfg cfg = { .interval = 0, .rate = 2 };
	static const struct rl_step steps[] = {
		{ 0, T0, SPIREC_VERDICT_EVENT, -1 },
		{ 0, T0, SPIREC_VERDICT_EVENT, -1 },
		{ 0, T0, SPIREC_VERDICT_LIMITED_GLOBAL, -1 },
		{ 0, T0 + MS(500), SPIREC_VERDICT_EVENT, 1 },
	};
	struct spirec_peer_state st = {};

	rl_steps(test, &cfg, &st, steps, ARRAY_SIZE(steps));
	KUNIT_EXPECT_EQ(test, st.events, 3);
	KUNIT_EXPECT_EQ(test, st.suppressed_total, 1);
}

/*
 * Two peers share the global bucket; a peer limited by its own interval
 * takes no token from the others.
 */
static void rl_global_bucket(struct kunit *test)
{
	static const struct spirec_rl_cfg cfg = { .interval = SEC(10),
						  .rate = 1 };
	/* Peer 0 is a, 1 is b. */
	struct spirec_peer_state st[2] = {};
	struct rl_step steps[2 + 20 + 1] = {
		{ 0, T0, SPIREC_VERDICT_EVENT, -1 },
		{ 1, T0, SPIREC_VERDICT_LIMITED_GLOBAL, -1 },
	};
	unsigned int i;

	/* a floods; the bucket refills meanwhile and stays for b. */
	for (i = 1; i <= 20; i++)
		steps[1 + i] = (struct rl_step){ 0, T0 + MS(50 * i),
						 SPIREC_VERDICT_LIMITED_PEER,
						 -1 };
	steps[22] = (struct rl_step){ 1, T0 + SEC(1), SPIREC_VERDICT_EVENT, 1 };
	rl_steps(test, &cfg, st, steps, ARRAY_SIZE(steps));
	KUNIT_EXPECT_EQ(test, st[0].packets, 21);
	KUNIT_EXPECT_EQ(test, st[0].events, 1);
	KUNIT_EXPECT_EQ(test, st[0].suppressed, 20);
	KUNIT_EXPECT_EQ(test, st[1].packets, 2);
	KUNIT_EXPECT_EQ(test, st[1].events, 1);
	KUNIT_EXPECT_EQ(test, st[1].suppressed_total, 1);
}

/* The last packet's SPI, protocol and encapsulation are kept. */
static void rl_last_packet(struct kunit *test)
{
	struct spirec_peer_state st = {};
	struct spirec_pkt pkt;

	rl_pkt(&pkt, 0x100, IPPROTO_ESP, SPIREC_ENCAP_UDP);
	spirec_peer_note(&st, &pkt, T0);
	rl_pkt(&pkt, 0x200, IPPROTO_AH, SPIREC_ENCAP_NONE);
	spirec_peer_note(&st, &pkt, T0 + SEC(1));
	KUNIT_EXPECT_EQ(test, st.last_spi, 0x200);
	KUNIT_EXPECT_EQ(test, st.last_proto, IPPROTO_AH);
	KUNIT_EXPECT_EQ(test, st.last_encap, SPIREC_ENCAP_NONE);
	KUNIT_EXPECT_EQ(test, st.packets, 2);
	KUNIT_EXPECT_EQ(test, st.last_seen, T0 + SEC(1));
	/* An older timestamp (another CPU's clock) does not go back. */
	spirec_peer_note(&st, &pkt, T0);
	KUNIT_EXPECT_EQ(test, st.last_seen, T0 + SEC(1));
	KUNIT_EXPECT_EQ(test, st.packets, 3);
}

/* Idle from the last packet on, by at least the given time. */
static void rl_idle(struct kunit *test)
{
	struct spirec_peer_state st = {};
	struct spirec_pkt pkt;

	rl_pkt(&pkt, 0x100, IPPROTO_ESP, SPIREC_ENCAP_NONE);
	spirec_peer_note(&st, &pkt, T0);
	KUNIT_EXPECT_FALSE(test, spirec_peer_idle(&st, SEC(60), T0));
	KUNIT_EXPECT_FALSE(test, spirec_peer_idle(&st, SEC(60),
						  T0 + SEC(60) - 1));
	KUNIT_EXPECT_TRUE(test, spirec_peer_idle(&st, SEC(60), T0 + SEC(60)));
	KUNIT_EXPECT_FALSE(test, spirec_peer_idle(&st, SEC(60), T0 - SEC(90)));
	KUNIT_EXPECT_TRUE(test, spirec_peer_idle(&st, 0, T0));
}

static struct kunit_case spirec_ratelimit_cases[] = {
	KUNIT_CASE_PARAM(tb_burst, tb_gen_params),
	KUNIT_CASE_PARAM(tb_refill, tb_gen_params),
	KUNIT_CASE_PARAM(tb_cap, tb_gen_params),
	KUNIT_CASE_PARAM(tb_ready, tb_gen_params),
	KUNIT_CASE(tb_rate_zero),
	KUNIT_CASE(tb_clock_backwards),
	KUNIT_CASE(rl_peer_interval),
	KUNIT_CASE(rl_interval_zero),
	KUNIT_CASE(rl_global_bucket),
	KUNIT_CASE(rl_last_packet),
	KUNIT_CASE(rl_idle),
	{}
};

static struct kunit_suite spirec_ratelimit_suite = {
	.name = "spirec_ratelimit",
	.test_cases = spirec_ratelimit_cases,
};

kunit_test_suite(spirec_ratelimit_suite);
