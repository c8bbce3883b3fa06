// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Worker threads: take a job, run its action, log the outcome, start the
 * peer's hold-down.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
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

static void work_done(struct spirecd_workers *w, struct spirecd_work *wk,
		      bool ok)
{
	spirecd_peers_release(w->peers, wk->job.peer, &wk->job.ev.src, ok,
			      spirecd_now_ms(), wk->job.cfg->holddown_ms);
	spirecd_cfgref_put(wk->ref);
	free(wk);
}

static void *worker_main(void *arg)
{
	struct spirecd_workers *w = arg;
	char msg[512];

	for (;;) {
		struct spirecd_work *wk;
		bool ok;

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
		ok = spirecd_action_run(&wk->job, msg, sizeof(msg));
		if (ok)
			log_notice("peer %s: spi 0x%08x: %s; hold-down %u s",
				   wk->job.label, wk->job.ev.spi, msg,
				   wk->job.cfg->holddown_ms / 1000);
		else
			log_warn("peer %s: spi 0x%08x: %s; hold-down %u s",
				 wk->job.label, wk->job.ev.spi, msg,
				 wk->job.cfg->holddown_ms / 1000);
		work_done(w, wk, ok);

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
		work_done(w, wk, false);
	}
	free(w->threads);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}
