/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixed pool of worker threads running recoveries. A job holds a
 * reference to the configuration it was decided with, so a reload never
 * pulls settings from under a running recovery. The queue needs no bound
 * of its own: a job exists only for a claimed peer entry (recovery_table.h), and
 * there are as many of those as the configuration allows.
 *
 * Two queues: jobs for configured peers and jobs for unlisted ones. A
 * free worker always takes a configured peer's job first, and with more
 * than one worker, unlisted peers' jobs never occupy all of them: at most
 * workers - 1 run at once, so one worker is always free for (or busy
 * with) a configured peer. However many sources an attacker spoofs, a
 * configured peer's recovery waits only for other configured peers'.
 */
#ifndef SPIRECD_WORKERS_H
#define SPIRECD_WORKERS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "action.h"
#include "recovery_table.h"

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

struct spirecd_workq {
	struct spirecd_work *head, *tail;
};

struct spirecd_workers {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct spirecd_workq configured, unlisted;
	bool stop;
	unsigned int n, running;
	unsigned int running_unlisted;	/* of running */
	pthread_t *threads;
	struct spirecd_recovery_table *recoveries;
};

/* Start @n threads. Call with every signal blocked. */
int spirecd_workers_start(struct spirecd_workers *w, unsigned int n,
			  struct spirecd_recovery_table *recoveries);
/* Queue @work (ownership passes to the pool). */
void spirecd_workers_submit(struct spirecd_workers *w,
			    struct spirecd_work *work);
/* Drop queued jobs, wait for the running ones, join the threads. */
void spirecd_workers_stop(struct spirecd_workers *w);

/*
 * The scheduling, with w->lock held: the next job a free worker may run
 * now (NULL: none), counted as running; spirecd_workers_finished() when
 * it is done. Unlisted peers' jobs run on at most
 * spirecd_workers_unlisted_max(w->n) workers.
 */
struct spirecd_work *spirecd_workers_take(struct spirecd_workers *w);
void spirecd_workers_finished(struct spirecd_workers *w,
			      const struct spirecd_work *wk);
unsigned int spirecd_workers_unlisted_max(unsigned int n);

/*
 * How an action's outcome counts for the peer's hold-down: OK and FAILED
 * sent something (count, hold-down); NOT_STARTED sent nothing. A new
 * outcome must be added here (the switch has no default).
 */
enum spirecd_done spirecd_outcome_done(enum spirecd_outcome out);

#endif
