// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Worker threads: take a job, run its action, log the outcome, start the
 * peer's hold-down.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
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

/*
 * Nothing sent to the peer (our IKE daemon was not ready, or the peer is
 * healthy: guard.h): no hold-down, the peer's next event (the kernel's
 * per-peer interval) is judged again. Whatever was sent starts the full
 * hold-down.
 */
static void work_done(struct spirecd_workers *w, struct spirecd_work *wk,
		      enum spirecd_outcome out)
{
	bool untouched = out == SPIRECD_OUTCOME_NOT_STARTED ||
			 out == SPIRECD_OUTCOME_HEALTHY;

	spirecd_peers_release(w->peers, wk->job.peer, &wk->job.ev.src,
			      out == SPIRECD_OUTCOME_OK, spirecd_now_ms(),
			      untouched ? 0 : wk->job.cfg->holddown_ms);
	spirecd_cfgref_put(wk->ref);
	free(wk);
}

static void *worker_main(void *arg)
{
	struct spirecd_workers *w = arg;
	char msg[512];

	spirecd_warm_thread();
	for (;;) {
		struct spirecd_work *wk;
		enum spirecd_outcome out;

		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		wk = w->head;
		w->head = wk->next;
		if (!w->head)
			w->tail = NULL;
		w->running++;
		pthread_mutex_unlock(&w->lock);

		msg[0] = '\0';
		out = spirecd_action_run(&wk->job, msg, sizeof(msg));
		if (out == SPIRECD_OUTCOME_OK)
			log_notice("peer %s: spi 0x%08x: %s; hold-down %u s",
				   wk->job.label, wk->job.ev.spi, msg,
				   wk->job.cfg->holddown_ms / 1000);
		else if (out == SPIRECD_OUTCOME_FAILED)
			log_warn("peer %s: spi 0x%08x: %s; hold-down %u s",
				 wk->job.label, wk->job.ev.spi, msg,
				 wk->job.cfg->holddown_ms / 1000);
		else if (out == SPIRECD_OUTCOME_HEALTHY)
			log_debug("peer %s: spi 0x%08x: %s",
				  wk->job.label, wk->job.ev.spi, msg);
		else
			log_warn("peer %s: spi 0x%08x: %s; nothing sent, the next event tries again",
				 wk->job.label, wk->job.ev.spi, msg);
		work_done(w, wk, out);

		pthread_mutex_lock(&w->lock);
		w->running--;
		pthread_mutex_unlock(&w->lock);
	}
}

int spirecd_workers_start(struct spirecd_workers *w, unsigned int n,
			  struct spirecd_peers *peers)
{
	unsigned int i;
	int err;

	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->peers = peers;
	w->threads = calloc(n, sizeof(*w->threads));
	if (!w->threads)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		err = pthread_create(&w->threads[i], NULL, worker_main, w);
		if (err) {
			w->n = i;
			spirecd_workers_stop(w);
			return -err;
		}
	}
	w->n = n;
	return 0;
}

void spirecd_workers_submit(struct spirecd_workers *w,
			    struct spirecd_work *work)
{
	work->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = work;
	else
		w->head = work;
	w->tail = work;
	pthread_cond_signal(&w->cond);
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
	while ((wk = w->head)) {
		w->head = wk->next;
		work_done(w, wk, SPIRECD_OUTCOME_NOT_STARTED);
	}
	free(w->threads);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}
