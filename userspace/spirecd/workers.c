// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Worker threads: take a job, run its action, log the outcome, start the
 * peer's hold-down.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "verify.h"
#include "warm.h"
#include "workers.h"

struct spirecd_cfgref *spirecd_cfgref_get(struct spirecd_cfgref *r)
{
	atomic_fetch_add(&r->refs, 1);
	return r;
}

void spirecd_cfgref_put(struct spirecd_cfgref *r)
{
	if (r && atomic_fetch_sub(&r->refs, 1) == 1) {
		spirecd_config_free(&r->cfg);
		free(r);
	}
}

enum spirecd_done spirecd_outcome_done(enum spirecd_outcome out)
{
	switch (out) {
	case SPIRECD_OUTCOME_OK:
		return SPIRECD_DONE_OK;
	case SPIRECD_OUTCOME_FAILED:
		return SPIRECD_DONE_FAILED;
	case SPIRECD_OUTCOME_HEALTHY:
		return SPIRECD_DONE_NOT_NEEDED;
	case SPIRECD_OUTCOME_NOT_STARTED:
		break;
	}
	return SPIRECD_DONE_NOTHING;
}

/*
 * Nothing sent to the peer (our IKE daemon was not ready, or the peer is
 * healthy: guard.h): no hold-down, the peer's next event (the kernel's
 * per-peer interval) is judged again. Whatever was sent starts the
 * hold-down, longer for each recovery in a row (recovery_table.h).
 */
static void work_done(struct spirecd_workers *w, struct spirecd_work *wk,
		      enum spirecd_outcome out,
		      struct spirecd_release_info *ri)
{
	spirecd_recovery_release(w->recoveries, wk->job.cfg, wk->job.peer,
				 &wk->job.ev.src, spirecd_outcome_done(out),
				 spirecd_now_ms(), ri);
	spirecd_cfgref_put(wk->ref);
	free(wk);
}

unsigned int spirecd_workers_unlisted_max(unsigned int n)
{
	return n > 1 ? n - 1 : n;
}

static struct spirecd_work *dequeue(struct spirecd_workq *q)
{
	struct spirecd_work *wk = q->head;

	if (wk) {
		q->head = wk->next;
		if (!q->head)
			q->tail = NULL;
		wk->next = NULL;
	}
	return wk;
}

struct spirecd_work *spirecd_workers_take(struct spirecd_workers *w)
{
	struct spirecd_work *wk;

	if (w->running >= w->n)
		return NULL;
	wk = dequeue(&w->configured);
	if (!wk && w->unlisted.head &&
	    w->running_unlisted < spirecd_workers_unlisted_max(w->n)) {
		wk = dequeue(&w->unlisted);
		w->running_unlisted++;
	}
	if (wk)
		w->running++;
	return wk;
}

void spirecd_workers_finished(struct spirecd_workers *w,
			      const struct spirecd_work *wk)
{
	w->running--;
	if (!wk->job.peer)
		w->running_unlisted--;
}

static void *worker_main(void *arg)
{
	struct spirecd_workers *w = arg;
	char msg[512];

	spirecd_warm_thread();
	for (;;) {
		struct spirecd_release_info ri;
		struct spirecd_job job;
		struct spirecd_work *wk = NULL;
		enum spirecd_outcome out;

		pthread_mutex_lock(&w->lock);
		while (!w->stop && !(wk = spirecd_workers_take(w)))
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		pthread_mutex_unlock(&w->lock);

		msg[0] = '\0';
		out = spirecd_action_run(&wk->job, msg, sizeof(msg));
		job = wk->job;	/* for the log: work_done() frees wk */
		pthread_mutex_lock(&w->lock);
		spirecd_workers_finished(w, wk);
		/* An unlisted peer's job may have waited for this one. */
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
		work_done(w, wk, out, &ri);

		if (out == SPIRECD_OUTCOME_OK) {
			log_notice("peer %s: spi 0x%08x: %s; hold-down %u s",
				   job.label, job.ev.spi, msg,
				   ri.holddown_ms / 1000);
			/* Did it heal? The main loop watches the peer table. */
			spirecd_verify_add(&job, job.event_ms, spirecd_now_ms());
		}
		else if (out == SPIRECD_OUTCOME_FAILED)
			log_warn("peer %s: spi 0x%08x: %s; hold-down %u s",
				 job.label, job.ev.spi, msg,
				 ri.holddown_ms / 1000);
		else if (out == SPIRECD_OUTCOME_HEALTHY)
			log_debug("peer %s: spi 0x%08x: %s",
				  job.label, job.ev.spi, msg);
		else
			log_warn("peer %s: spi 0x%08x: %s; nothing sent, the next event tries again",
				 job.label, job.ev.spi, msg);
		if (ri.escalated)
			log_warn("peer %s: recovered %u times in a row and unknown SPIs keep coming: an attack or a misconfiguration? hold-down now %u s",
				 job.label, ri.level, ri.holddown_ms / 1000);
	}
}

int spirecd_workers_start(struct spirecd_workers *w, unsigned int n,
			  struct spirecd_recovery_table *recoveries)
{
	unsigned int i;
	int err;

	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->recoveries = recoveries;
	w->threads = calloc(n, sizeof(*w->threads));
	if (!w->threads)
		return -ENOMEM;
	/* Before the threads: spirecd_workers_take() reads it. */
	w->n = n;
	for (i = 0; i < n; i++) {
		err = pthread_create(&w->threads[i], NULL, worker_main, w);
		if (err) {
			pthread_mutex_lock(&w->lock);
			w->n = i;
			pthread_mutex_unlock(&w->lock);
			spirecd_workers_stop(w);
			return -err;
		}
	}
	return 0;
}

void spirecd_workers_submit(struct spirecd_workers *w,
			    struct spirecd_work *work)
{
	struct spirecd_workq *q = work->job.peer ? &w->configured :
				  &w->unlisted;

	work->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (q->tail)
		q->tail->next = work;
	else
		q->head = work;
	q->tail = work;
	/* Every waiter rechecks: one may not take this queue's jobs. */
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void spirecd_workers_stop(struct spirecd_workers *w)
{
	struct spirecd_work *wk;

	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (unsigned int i = 0; i < w->n; i++)
		pthread_join(w->threads[i], NULL);
	while ((wk = dequeue(&w->configured)) ||
	       (wk = dequeue(&w->unlisted)))
		work_done(w, wk, SPIRECD_OUTCOME_NOT_STARTED, NULL);
	free(w->threads);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}
