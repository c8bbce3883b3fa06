// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the workers' scheduling (configured peers' jobs first, one
 * worker kept from unlisted peers), the outcome-to-hold-down mapping, and
 * one run of real threads with a stub action.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../warm.h"
#include "../workers.h"

/* Stubs for what workers.c calls. */
static atomic_uint actions_run;

enum spirecd_outcome spirecd_action_run(const struct spirecd_job *job,
					char *msg, size_t len)
{
	(void)job;
	snprintf(msg, len, "stub");
	atomic_fetch_add(&actions_run, 1);
	return SPIRECD_OUTCOME_OK;
}

void spirecd_warm_thread(void)
{
}

static const char conf[] =
	"[global]\naction = hint\n"
	"[peer a]\naddress = 192.0.2.1\naction = hint\n";

static struct spirecd_cfgref *load(void)
{
	struct spirecd_cfgref *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	atomic_init(&r->refs, 1);
	assert_int_equal(spirecd_config_parse("t.conf", conf, strlen(conf),
					      false, &r->cfg, stderr), 0);
	return r;
}

static struct spirecd_work *job(struct spirecd_cfgref *r, bool configured,
				const char *src)
{
	struct spirecd_work *wk = calloc(1, sizeof(*wk));

	assert_non_null(wk);
	wk->ref = spirecd_cfgref_get(r);
	wk->job.cfg = &r->cfg;
	wk->job.peer = configured ? &r->cfg.peers[0] : NULL;
	wk->job.action = SPIRECD_ACTION_HINT;
	assert_int_equal(spirec_addr_parse(src, &wk->job.ev.src), 0);
	snprintf(wk->job.label, sizeof(wk->job.label), "%s", src);
	return wk;
}

/* A pool with @n workers but no threads: the scheduling alone. */
static void pool(struct spirecd_workers *w, unsigned int n)
{
	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->n = n;
}

static void done(struct spirecd_workers *w, struct spirecd_work *wk)
{
	spirecd_workers_finished(w, wk);
	spirecd_cfgref_put(wk->ref);
	free(wk);
}

static void test_unlisted_max(void **state)
{
	(void)state;
	assert_int_equal(spirecd_workers_unlisted_max(1), 1);
	assert_int_equal(spirecd_workers_unlisted_max(2), 1);
	assert_int_equal(spirecd_workers_unlisted_max(4), 3);
	assert_int_equal(spirecd_workers_unlisted_max(64), 63);
}

/* Configured first, whatever the order of arrival; unlisted jobs never
 * take the last worker. */
static void test_configured_first_one_reserved(void **state)
{
	struct spirecd_cfgref *r = load();
	struct spirecd_work *u1, *u2, *u3, *c1, *c2, *t1, *t2, *t3;
	struct spirecd_workers w;

	(void)state;
	pool(&w, 2);
	u1 = job(r, false, "203.0.113.1");
	u2 = job(r, false, "203.0.113.2");
	u3 = job(r, false, "203.0.113.3");
	c1 = job(r, true, "192.0.2.1");
	c2 = job(r, true, "192.0.2.1");
	spirecd_workers_submit(&w, u1);
	spirecd_workers_submit(&w, u2);
	spirecd_workers_submit(&w, c1);
	spirecd_workers_submit(&w, u3);
	/* c1 arrived third but goes first. */
	assert_ptr_equal(spirecd_workers_take(&w), c1);
	assert_ptr_equal(t1 = spirecd_workers_take(&w), u1);
	assert_int_equal(w.running, 2);
	assert_int_equal(w.running_unlisted, 1);
	done(&w, c1);
	/* One worker free, unlisted jobs waiting: kept for configured. */
	assert_null(spirecd_workers_take(&w));
	spirecd_workers_submit(&w, c2);
	assert_ptr_equal(t2 = spirecd_workers_take(&w), c2);
	assert_null(spirecd_workers_take(&w));
	done(&w, t2);
	done(&w, t1);
	/* Now both are free: still one unlisted at a time. */
	assert_ptr_equal(t1 = spirecd_workers_take(&w), u2);
	assert_null(spirecd_workers_take(&w));
	done(&w, t1);
	assert_ptr_equal(t3 = spirecd_workers_take(&w), u3);
	done(&w, t3);
	assert_null(spirecd_workers_take(&w));
	assert_int_equal(w.running, 0);
	assert_int_equal(w.running_unlisted, 0);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	spirecd_cfgref_put(r);
}

/* workers = 1: no worker can be kept back; configured still first. */
static void test_single_worker(void **state)
{
	struct spirecd_cfgref *r = load();
	struct spirecd_work *u1, *c1, *t;
	struct spirecd_workers w;

	(void)state;
	pool(&w, 1);
	u1 = job(r, false, "203.0.113.1");
	c1 = job(r, true, "192.0.2.1");
	spirecd_workers_submit(&w, u1);
	spirecd_workers_submit(&w, c1);
	assert_ptr_equal(t = spirecd_workers_take(&w), c1);
	assert_null(spirecd_workers_take(&w));
	done(&w, t);
	assert_ptr_equal(t = spirecd_workers_take(&w), u1);
	done(&w, t);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	spirecd_cfgref_put(r);
}

static void test_outcome_done(void **state)
{
	(void)state;
	assert_int_equal(spirecd_outcome_done(SPIRECD_OUTCOME_OK), SPIRECD_DONE_OK);
	assert_int_equal(spirecd_outcome_done(SPIRECD_OUTCOME_FAILED), SPIRECD_DONE_FAILED);
	assert_int_equal(spirecd_outcome_done(SPIRECD_OUTCOME_NOT_STARTED), SPIRECD_DONE_NOTHING);
}

/* Real threads: every job runs, releases its peer, and stop drops the
 * rest as "nothing sent". */
static void test_threads(void **state)
{
	struct spirecd_cfgref *r = load();
	struct spirecd_recovery_table recoveries;
	struct spirecd_workers w;
	struct spirec_addr a;
	char s[64];
	uint64_t left;
	int i;

	(void)state;
	assert_int_equal(spirecd_recovery_init(&recoveries, &r->cfg), 0);
	assert_int_equal(spirecd_workers_start(&w, 3, &recoveries), 0);
	for (i = 0; i < 20; i++) {
		struct spirecd_work *wk;

		snprintf(s, sizeof(s), "203.0.113.%d", i + 1);
		a = (struct spirec_addr){ 0 };
		assert_int_equal(spirec_addr_parse(s, &a), 0);
		assert_int_equal(spirecd_recovery_claim(&recoveries, &r->cfg, NULL, &a,
							spirecd_now_ms(), &left),
				 SPIRECD_RUN);
		wk = job(r, false, s);
		spirecd_workers_submit(&w, wk);
	}
	for (i = 0; i < 500 && atomic_load(&actions_run) < 20; i++)
		usleep(10000);
	assert_int_equal(atomic_load(&actions_run), 20);
	spirecd_workers_stop(&w);
	assert_int_equal(recoveries.counters.started, 20);
	assert_int_equal(recoveries.counters.ok, 20);
	spirecd_recovery_destroy(&recoveries);
	spirecd_cfgref_put(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unlisted_max),
		cmocka_unit_test(test_configured_first_one_reserved),
		cmocka_unit_test(test_single_worker),
		cmocka_unit_test(test_outcome_done),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("spirecd_workers", tests, NULL, NULL);
}
