// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: one recovery per peer at a time, the escalating hold-down
 * (fake clock), entries per address of a prefix, bounded entries for
 * unlisted and prefix peers, state kept across a reload.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../recovery_table.h"

static const char conf[] =
	"[global]\nholddown = 30s\naction = hint\n"
	"[peer a]\naddress = 192.0.2.1\naction = hint\n"
	"[peer net]\naddress = 198.51.100.0/24\naction = hint\n";

static void load(const char *text, struct spirecd_config *cfg)
{
	assert_int_equal(spirecd_config_parse("t.conf", text, strlen(text),
					      false, cfg, stderr), 0);
}

static struct spirec_addr A(const char *s)
{
	struct spirec_addr a;

	assert_int_equal(spirec_addr_parse(s, &a), 0);
	return a;
}

/* A configuration and the recovery table built from it. */
struct fx {
	struct spirecd_config cfg;
	struct spirecd_recovery_table t;
	struct spirec_addr a;			/* setup_esc: [peer a] */
	const struct spirecd_peer_cfg *pc;
};

static int fx_setup(void **state, const char *text)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	load(text, &f->cfg);
	assert_int_equal(spirecd_recovery_init(&f->t, &f->cfg), 0);
	*state = f;
	return 0;
}

static int setup_conf(void **state)
{
	return fx_setup(state, conf);
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	spirecd_recovery_destroy(&f->t);
	spirecd_config_free(&f->cfg);
	free(f);
	return 0;
}

static enum spirecd_decision claim(struct fx *f, const struct spirecd_peer_cfg *pc,
				   const struct spirec_addr *a, uint64_t now,
				   uint64_t *left)
{
	return spirecd_recovery_claim(&f->t, &f->cfg, pc, a, now, left);
}

/* A claim at @now decides @want. */
static void expect(struct fx *f, const struct spirecd_peer_cfg *pc,
		   const struct spirec_addr *a, uint64_t now,
		   enum spirecd_decision want)
{
	uint64_t left;

	assert_int_equal(claim(f, pc, a, now, &left), want);
}

/* A claim at @now is held down, with @left ms to go. */
static void expect_held(struct fx *f, const struct spirecd_peer_cfg *pc,
			const struct spirec_addr *a, uint64_t now, uint64_t left)
{
	uint64_t got;

	assert_int_equal(claim(f, pc, a, now, &got), SPIRECD_HOLDDOWN);
	assert_int_equal(got, left);
}

/* Release as the workers do, with the job's configuration. */
static void rel(struct fx *f, const struct spirecd_peer_cfg *pc,
		const struct spirec_addr *a, enum spirecd_done done, uint64_t now)
{
	spirecd_recovery_release(&f->t, &f->cfg, pc, a, done, now, NULL);
}

static void test_one_at_a_time_then_holddown(void **state)
{
	struct fx *f = *state;
	struct spirec_addr a = A("192.0.2.1");
	const struct spirecd_peer_cfg *pc;

	pc = spirecd_config_find(&f->cfg, &a);
	assert_string_equal(pc->name, "a");

	expect(f, pc, &a, 1000, SPIRECD_RUN);
	expect(f, pc, &a, 1001, SPIRECD_BUSY);
	rel(f, pc, &a, SPIRECD_DONE_OK, 5000);
	expect_held(f, pc, &a, 6000, 29000);
	expect_held(f, pc, &a, 34999, 1);
	expect(f, pc, &a, 35000, SPIRECD_RUN);
	assert_int_equal(f->t.st[0].attempts, 2);
	assert_int_equal(f->t.st[0].successes, 1);
}

/* Addresses of a configured prefix have their own state, bounded. */
static void test_prefix_per_address(void **state)
{
	struct fx *f = *state;
	struct spirec_addr a = A("198.51.100.1"), b = A("198.51.100.2"), x;
	const struct spirecd_peer_cfg *pc;
	char s[64];
	int i;

	pc = spirecd_config_find(&f->cfg, &a);
	assert_string_equal(pc->name, "net");
	expect(f, pc, &a, 1, SPIRECD_RUN);
	/* Another address of the prefix is not held back by a's. */
	expect(f, pc, &b, 2, SPIRECD_RUN);
	expect(f, pc, &a, 3, SPIRECD_BUSY);
	rel(f, pc, &a, SPIRECD_DONE_OK, 10);
	expect_held(f, pc, &a, 11, 29999);
	expect(f, pc, &b, 11, SPIRECD_BUSY);
	rel(f, pc, &b, SPIRECD_DONE_FAILED, 20);
	/* Fill the group: a and b held down, 14 more addresses. */
	for (i = 3; i <= SPIRECD_PREFIX_ADDRS; i++) {
		snprintf(s, sizeof(s), "198.51.100.%d", i);
		x = A(s);
		expect(f, pc, &x, 100, SPIRECD_RUN);
		rel(f, pc, &x, SPIRECD_DONE_OK, 100 + (uint64_t)i);
	}
	x = A("198.51.100.200");
	expect(f, pc, &x, 200, SPIRECD_FULL);
	/* The unlisted slots and other peers are not affected. */
	expect(f, NULL, &x, 200, SPIRECD_RUN);
	/* Once a's hold-down is over, its entry is the oldest: reused. */
	expect(f, pc, &x, 30010, SPIRECD_RUN);
	expect(f, pc, &b, 30011, SPIRECD_HOLDDOWN);
	expect(f, pc, &a, 30011, SPIRECD_FULL);
}

static const char esc_conf[] =
	"[global]\nholddown = 30s\nholddown_max = 4m\nholddown_reset = 10m\n"
	"[peer a]\naddress = 192.0.2.1\naction = hint\n";

/* Claim and release for [peer a] (setup_esc). */
static enum spirecd_decision claim_a(struct fx *f, uint64_t now, uint64_t *left)
{
	return claim(f, f->pc, &f->a, now, left);
}

static void release_a(struct fx *f, enum spirecd_done done, uint64_t now,
		      struct spirecd_release_info *ri)
{
	spirecd_recovery_release(&f->t, &f->cfg, f->pc, &f->a, done, now, ri);
}

/* Claim [peer a] (setup_esc) at @now, release at @now + 1 s as @done;
 * returns the hold-down. */
static unsigned int cycle(struct fx *f, uint64_t now, enum spirecd_done done,
			  unsigned int *level)
{
	struct spirecd_release_info ri;
	uint64_t left = 0;

	assert_int_equal(claim_a(f, now, &left),
			 SPIRECD_RUN);
	release_a(f, done, now + 1000, &ri);
	if (level)
		*level = ri.level;
	assert_int_equal(ri.escalated, ri.holddown_ms && ri.level >= 2);
	return ri.holddown_ms;
}

static int setup_esc(void **state)
{
	struct fx *f;

	fx_setup(state, esc_conf);
	f = *state;
	f->a = A("192.0.2.1");
	f->pc = spirecd_config_find(&f->cfg, &f->a);
	assert_non_null(f->pc);
	return 0;
}

/* 30 s, 1, 2, 4 min, capped at holddown_max; reset after holddown_reset
 * of quiet once the hold-down is over. */
static void test_escalation(void **state)
{
	static const unsigned int want[] = {
		30000, 60000, 120000, 240000, 240000, 240000,
	};
	struct fx *f = *state;
	unsigned int hold, level;
	uint64_t now = 5000, left;

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		hold = cycle(f, now, SPIRECD_DONE_OK, &level);
		assert_int_equal(hold, want[i]);
		assert_int_equal(level, i + 1);
		/* Held down for exactly that long after the release. */
		assert_int_equal(claim_a(f, now + 1000 + hold - 1, &left),
				 SPIRECD_HOLDDOWN);
		assert_int_equal(left, 1);
		/* The next event comes soon after: in a row. */
		now += 1000 + hold + 5000;
	}
	/* A FAILED recovery counts too. */
	assert_int_equal(cycle(f, now, SPIRECD_DONE_FAILED, &level), 240000);
	assert_int_equal(level, 7);
	/* Quiet for just under holddown_reset after the end: still in a row. */
	now += 1000 + 240000 + 600000 - 1;
	assert_int_equal(cycle(f, now, SPIRECD_DONE_OK, &level), 240000);
	assert_int_equal(level, 8);
	/* Quiet for holddown_reset: back to the base. */
	now += 1000 + 240000 + 600000;
	assert_int_equal(cycle(f, now, SPIRECD_DONE_OK, &level), 30000);
	assert_int_equal(level, 1);
	assert_int_equal(f->t.st[0].attempts, 9);
	assert_int_equal(f->t.st[0].successes, 8);
	assert_int_equal(f->t.counters.started, 9);
	assert_int_equal(f->t.counters.ok, 8);
	assert_int_equal(f->t.counters.failed, 1);
}

/* The defaults: 30 s doubling to 15 min; a base above holddown_max is
 * the hold-down (no escalation); holddown_for() saturates. */
static void test_holddown_for(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	load("[global]\n", &cfg);
	assert_int_equal(cfg.holddown_ms, 30000);
	assert_int_equal(cfg.holddown_max_ms, 900000);
	assert_int_equal(cfg.holddown_reset_ms, 900000);
	assert_int_equal(spirecd_holddown_for(&cfg, 1), 30000);
	assert_int_equal(spirecd_holddown_for(&cfg, 2), 60000);
	assert_int_equal(spirecd_holddown_for(&cfg, 5), 480000);
	assert_int_equal(spirecd_holddown_for(&cfg, 6), 900000);
	assert_int_equal(spirecd_holddown_for(&cfg, 1000), 900000);
	assert_int_equal(spirecd_holddown_for(&cfg, 0xffffffffu), 900000);
	spirecd_config_free(&cfg);
	load("[global]\nholddown = 1h\n", &cfg);
	assert_int_equal(spirecd_holddown_for(&cfg, 1), 3600000);
	assert_int_equal(spirecd_holddown_for(&cfg, 3), 3600000);
	spirecd_config_free(&cfg);
}

/* Nothing sent (NOT_STARTED, or a recovery found not needed): no hold-down,
 * no count, the level and the last hold-down stay as they were. */
static void test_nothing_sent_does_not_count(void **state)
{
	struct fx *f = *state;
	unsigned int level;

	/* Never recovered: nothing sent (no hold-down, level 0, no
	 * escalation), then nothing again. */
	assert_int_equal(cycle(f, 1000, SPIRECD_DONE_NOTHING, &level), 0);
	assert_int_equal(level, 0);
	/* No hold-down: the next event runs at once. */
	assert_int_equal(cycle(f, 2001, SPIRECD_DONE_NOTHING, &level), 0);
	assert_int_equal(cycle(f, 2002, SPIRECD_DONE_OK, &level), 30000);
	assert_int_equal(level, 1);
	/* After the hold-down: in a row, but nothing sent: level stays 1. */
	assert_int_equal(cycle(f, 40000, SPIRECD_DONE_NOTHING, &level), 0);
	assert_int_equal(level, 1);
	assert_int_equal(cycle(f, 40001, SPIRECD_DONE_NOTHING, &level), 0);
	/* The next that sends is the second in a row. */
	assert_int_equal(cycle(f, 40002, SPIRECD_DONE_FAILED, &level), 60000);
	assert_int_equal(level, 2);
	/* Found healthy (the guard): the same, counted apart. */
	assert_int_equal(cycle(f, 200000, SPIRECD_DONE_NOT_NEEDED, &level), 0);
	assert_int_equal(level, 2);
	assert_int_equal(cycle(f, 200001, SPIRECD_DONE_OK, &level), 120000);
	assert_int_equal(level, 3);
	assert_int_equal(f->t.counters.started, 8);
	assert_int_equal(f->t.counters.not_needed, 1);
	assert_int_equal(f->t.counters.not_started, 4);
	assert_int_equal(f->t.counters.ok, 2);
	assert_int_equal(f->t.counters.failed, 1);
}

/* Events while busy or held down are not claimed and do not escalate;
 * only the claim after the hold-down decides "in a row". */
static void test_busy_holddown_interplay(void **state)
{
	struct fx *f = *state;
	struct spirecd_release_info ri;
	unsigned int level;
	uint64_t left;

	assert_int_equal(claim_a(f, 1000, &left), SPIRECD_RUN);
	/* A long recovery: every event meanwhile is BUSY. */
	for (uint64_t now = 1001; now < 60000; now += 997)
		assert_int_equal(claim_a(f, now, &left),
				 SPIRECD_BUSY);
	release_a(f, SPIRECD_DONE_OK, 60000, &ri);
	assert_int_equal(ri.level, 1);
	/* The hold-down counts from the release. */
	for (uint64_t now = 60000; now < 90000; now += 1009)
		assert_int_equal(claim_a(f, now, &left),
				 SPIRECD_HOLDDOWN);
	assert_int_equal(f->t.st[0].attempts, 1);
	assert_int_equal(f->t.st[0].level, 1);
	/* Claimed right after: the second in a row. */
	assert_int_equal(cycle(f, 90000, SPIRECD_DONE_OK, &level), 60000);
	assert_int_equal(level, 2);
	assert_int_equal(f->t.counters.started, 2);
}

/* Unlisted peers: a bounded number of entries, freed by their hold-down
 * only, so a flood of sources can neither grow memory nor skip one. */
static void test_unlisted_bounded(void **state)
{
	struct fx *f = *state;
	struct spirec_addr a;
	char s[64];
	int i;

	for (i = 0; i < SPIRECD_UNLISTED_SLOTS; i++) {
		snprintf(s, sizeof(s), "2001:db8::%x", i + 1);
		a = A(s);
		expect(f, NULL, &a, 100, SPIRECD_RUN);
		rel(f, NULL, &a, SPIRECD_DONE_FAILED, 100);
	}
	a = A("203.0.113.1");
	expect(f, NULL, &a, 200, SPIRECD_FULL);
	/* The first one is still held down. */
	a = A("2001:db8::1");
	expect(f, NULL, &a, 200, SPIRECD_HOLDDOWN);
	/* Once hold-downs are over, entries are reused. */
	a = A("203.0.113.1");
	expect(f, NULL, &a, 30100, SPIRECD_RUN);
	expect(f, NULL, &a, 30101, SPIRECD_BUSY);
	/* a: 1 entry; net: SPIRECD_PREFIX_ADDRS. */
	assert_int_equal(f->t.n, 1 + SPIRECD_PREFIX_ADDRS + SPIRECD_UNLISTED_SLOTS);
}

static void test_reload_keeps_state(void **state)
{
	struct fx *f = *state;
	struct spirecd_config cfg2;
	struct spirec_addr a = A("192.0.2.1"), n = A("198.51.100.9");
	uint64_t left;

	assert_int_equal(claim(f, spirecd_config_find(&f->cfg, &a), &a, 10, &left), SPIRECD_RUN);
	assert_int_equal(claim(f, spirecd_config_find(&f->cfg, &n), &n, 10, &left), SPIRECD_RUN);
	rel(f, spirecd_config_find(&f->cfg, &n), &n, SPIRECD_DONE_OK, 10);
	/* New file: peers in another order, one more, "net" with a new prefix. */
	load("[peer new]\naddress = 203.0.113.5\naction = hint\n"
	     "[peer net]\naddress = 198.51.100.0/25\naction = hint\n"
	     "[peer a]\naddress = 192.0.2.1\naction = hint\n", &cfg2);
	assert_int_equal(spirecd_recovery_rebuild(&f->t, &cfg2), 0);
	spirecd_config_free(&f->cfg);
	f->cfg = cfg2;
	/* a is still running; its release finds it in the new table. */
	assert_int_equal(claim(f, spirecd_config_find(&f->cfg, &a), &a, 20, &left), SPIRECD_BUSY);
	rel(f, spirecd_config_find(&f->cfg, &a), &a, SPIRECD_DONE_OK, 20);
	assert_int_equal(claim(f, spirecd_config_find(&f->cfg, &a), &a, 21, &left),
			 SPIRECD_HOLDDOWN);
	/* "net" changed prefix: a new peer, no hold-down. */
	assert_int_equal(claim(f, spirecd_config_find(&f->cfg, &n), &n, 21, &left), SPIRECD_RUN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_at_a_time_then_holddown, setup_conf, fx_teardown),
		cmocka_unit_test_setup_teardown(test_prefix_per_address, setup_conf, fx_teardown),
		cmocka_unit_test_setup_teardown(test_escalation, setup_esc, fx_teardown),
		cmocka_unit_test(test_holddown_for),
		cmocka_unit_test_setup_teardown(test_nothing_sent_does_not_count, setup_esc, fx_teardown),
		cmocka_unit_test_setup_teardown(test_busy_holddown_interplay, setup_esc, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unlisted_bounded, setup_conf, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_state, setup_conf, fx_teardown),
	};

	return cmocka_run_group_tests_name("spirecd_recovery_table", tests, NULL, NULL);
}
