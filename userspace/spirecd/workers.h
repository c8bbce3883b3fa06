/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixed pool of worker threads running recoveries. A job holds a
 * reference to the configuration it was decided with, so a reload never
 * pulls settings from under a running recovery. The queue needs no bound
 * of its own: a job exists only for a claimed peer entry (peers.h), and
 * there are as many of those as the configuration allows.
 */
#ifndef SPIRECD_WORKERS_H
#define SPIRECD_WORKERS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "action.h"
#include "peers.h"

struct spirecd_cfgref {
	atomic_uint refs;
	struct spirecd_config cfg;
};

/* Take a reference; drop one (the last frees the configuration). */
struct spirecd_cfgref *spirecd_cfgref_get(struct spirecd_cfgref *r);
void spirecd_cfgref_put(struct spirecd_cfgref *r);

struct spirecd_work {
	struct spirecd_work *next;
	struct spirecd_cfgref *ref;
	struct spirecd_job job;
};

struct spirecd_workers {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct spirecd_work *head, *tail;
	bool stop;
	unsigned int n, running;
	pthread_t *threads;
	struct spirecd_peers *peers;
};

/* Start @n threads. Call with every signal blocked. */
int spirecd_workers_start(struct spirecd_workers *w, unsigned int n,
			  struct spirecd_peers *peers);
/* Queue @work (ownership passes to the pool). */
void spirecd_workers_submit(struct spirecd_workers *w,
			    struct spirecd_work *work);
/* Drop queued jobs, wait for the running ones, join the threads. */
void spirecd_workers_stop(struct spirecd_workers *w);

#endif
