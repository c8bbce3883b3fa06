// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the verification of recoveries (verify.c): the judgement of
 * one recovery from samples of the peer table, and the bookkeeping of
 * pending items and counters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../action.h"
#include "../verify.h"

#define QUIET	2000
#define WINDOW	30000

static struct spirecd_verify_item item(uint64_t event_ms, uint64_t done_ms)
{
	struct spirecd_verify_item it = {
		.event_ms = event_ms, .done_ms = done_ms,
	};
	return it;
}

static enum spirecd_verify_verdict judge(struct spirecd_verify_item *it,
					 bool present, uint64_t age,
					 uint64_t now, uint64_t *ms)
{
	struct spirecd_verify_sample s = {
		.present = present, .last_seen_ms = age,
	};

	return spirecd_verify_judge(it, &s, now, QUIET, WINDOW, ms);
}

/* No unknown SPI after the event: healed in 0 ms once quiet after done. */
static void test_quiet_after_action(void **state)
{
	struct spirecd_verify_item it = item(10000, 10500);
	uint64_t ms = 99;

	(void)state;
	/* The entry's last packet came before the event. */
	assert_int_equal(judge(&it, true, 1000, 11000, &ms),
			 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge(&it, true, 2499, 12499, &ms),
			 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge(&it, true, 3500, 12500, &ms),
			 SPIRECD_VERIFY_HEALED);
	assert_int_equal(ms, 0);
}

/*
 * Unknown SPIs keep coming for a while after the action (the peer still
 * used its stale SA), then stop: healed in the time from the event to the
 * last of them.
 */
static void test_heals_later(void **state)
{
	struct spirecd_verify_item it = item(10000, 10300);
	uint64_t ms = 0, now;

	(void)state;
	for (now = 10500; now <= 14000; now += 250)
		assert_int_equal(judge(&it, true, 0, now, &ms),
				 SPIRECD_VERIFY_PENDING);
	/* The last one at 14000; quiet from then on. */
	assert_int_equal(judge(&it, true, 1999, 15999, &ms),
			 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge(&it, true, 2000, 16000, &ms),
			 SPIRECD_VERIFY_HEALED);
	assert_int_equal(ms, 4000);
}

/* Still coming when the window is over: not healed. */
static void test_unhealed(void **state)
{
	struct spirecd_verify_item it = item(10000, 10300);
	uint64_t ms = 0, now;

	(void)state;
	for (now = 10500; now < 10300 + WINDOW; now += 250)
		assert_int_equal(judge(&it, true, 100, now, &ms),
				 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge(&it, true, 100, 10300 + WINDOW, &ms),
			 SPIRECD_VERIFY_UNHEALED);
	assert_int_equal(ms, 100);
}

/* An entry that is gone (garbage-collected, flushed) brings no packet. */
static void test_entry_absent(void **state)
{
	struct spirecd_verify_item it = item(5000, 6000);
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(judge(&it, false, 0, 7999, &ms),
			 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge(&it, false, 0, 8000, &ms),
			 SPIRECD_VERIFY_HEALED);
	assert_int_equal(ms, 0);
}

/* A sample older than what was seen does not move the last packet back. */
static void test_last_unknown_monotonic(void **state)
{
	struct spirecd_verify_item it = item(1000, 1100);
	uint64_t ms = 0;

	(void)state;
	judge(&it, true, 0, 3000, &ms);
	assert_int_equal(it.last_unknown_ms, 3000);
	judge(&it, true, 2500, 3500, &ms);
	assert_int_equal(it.last_unknown_ms, 3000);
	/* An age larger than the clock (a bogus sample) is ignored. */
	judge(&it, true, 999999, 3600, &ms);
	assert_int_equal(it.last_unknown_ms, 3000);
}

static enum spirecd_verify_verdict judge_sa(struct spirecd_verify_item *it,
					    bool has_sa, uint64_t now,
					    uint64_t *ms)
{
	struct spirecd_verify_sample s = {
		.sa_checked = true, .has_sa = has_sa,
	};

	return spirecd_verify_judge(it, &s, now, QUIET, WINDOW, ms);
}

/*
 * The peer dropped its stale SAs (no unknown SPI) but negotiated no new
 * one (libreswan 4.x retrying over its stale IKE SA): quiet is not
 * healed; at the end of the window, no SA.
 */
static void test_quiet_without_sa(void **state)
{
	struct spirecd_verify_item it = item(1000, 1500);
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(judge_sa(&it, false, 3500, &ms),
			 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge_sa(&it, false, 31499, &ms),
			 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge_sa(&it, false, 31500, &ms),
			 SPIRECD_VERIFY_NO_SA);
}

/* Its SA comes 9 s after the event: healed in 9000 ms, from then on. */
static void test_sa_comes_late(void **state)
{
	struct spirecd_verify_item it = item(1000, 1500);
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(judge_sa(&it, false, 5000, &ms),
			 SPIRECD_VERIFY_PENDING);
	assert_int_equal(judge_sa(&it, true, 10000, &ms),
			 SPIRECD_VERIFY_HEALED);
	assert_int_equal(ms, 9000);
	assert_int_equal(it.sa_seen_ms, 10000);
}

/* Unknown SPIs still coming at the end of the window: unhealed. */
static void test_unknown_with_sa(void **state)
{
	struct spirecd_verify_item it = item(1000, 1500);
	struct spirecd_verify_sample s = {
		.present = true, .last_seen_ms = 0,
		.sa_checked = true, .has_sa = true,
	};
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(spirecd_verify_judge(&it, &s, 31500, QUIET, WINDOW,
					      &ms), SPIRECD_VERIFY_UNHEALED);
}

/* Items are added, counted as pending, and the status lines name them. */
static void test_add_and_counters(void **state)
{
	struct spirecd_job job = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	spirecd_verify_reset();
	assert_false(spirecd_verify_pending());
	snprintf(job.label, sizeof(job.label), "router-a (192.0.2.1)");
	job.ev.spi = 0xc0ffee01;
	spirecd_verify_add(&job, 100, 200);
	assert_true(spirecd_verify_pending());

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	spirecd_verify_counters(f);
	fclose(f);
	assert_non_null(strstr(buf, "verify_healed 0\n"));
	assert_non_null(strstr(buf, "verify_unhealed 0\n"));
	assert_non_null(strstr(buf, "verify_pending 1\n"));
	free(buf);

	/* verify_window = 0: nothing is verified. */
	spirecd_verify_reset();
	spirecd_verify_configure(2000, 0);
	spirecd_verify_add(&job, 100, 200);
	assert_false(spirecd_verify_pending());
	spirecd_verify_reset();
}

/* Past SPIRECD_VERIFY_MAX pending items the oldest is dropped. */
static void test_bounded(void **state)
{
	struct spirecd_job job = { 0 };
	uint64_t g0;
	int i;

	(void)state;
	spirecd_verify_reset();
	for (i = 0; i < SPIRECD_VERIFY_MAX; i++)
		spirecd_verify_add(&job, (uint64_t)i, (uint64_t)i);
	g0 = spirecd_verify_gen();
	spirecd_verify_add(&job, 1, 1);
	assert_int_not_equal(spirecd_verify_gen(), g0);
	spirecd_verify_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_after_action),
		cmocka_unit_test(test_heals_later),
		cmocka_unit_test(test_unhealed),
		cmocka_unit_test(test_entry_absent),
		cmocka_unit_test(test_last_unknown_monotonic),
		cmocka_unit_test(test_quiet_without_sa),
		cmocka_unit_test(test_sa_comes_late),
		cmocka_unit_test(test_unknown_with_sa),
		cmocka_unit_test(test_add_and_counters),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
