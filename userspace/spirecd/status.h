/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The status file (status_file, default /run/spirec/spirecd.status) that
 * spirecctl status reads. Written atomically (a temporary file in the same
 * directory, then rename) at start, then at most once a second when the
 * peer table changed; removed at exit. Format, documented in spirecd(8):
 *
 *   # comment lines
 *   version 1
 *   pid 1234
 *   started 1764758400              (wall clock, seconds since the epoch)
 *   written 1764758460
 *   recoveries_started 3            (further "KEY NUMBER" counter lines)
 *   ...
 *   peer addr=ADDR section=PREFIX|- name=NAME|- busy=yes|no
 *        holddown_left_ms=N holddown_ms=N level=N attempts=N successes=N
 *
 * one "peer" line (one line, fields separated by one space) per entry in
 * use, holddown_left_ms as of "written".
 */
#ifndef SPIRECD_STATUS_H
#define SPIRECD_STATUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "recovery_table.h"

#define SPIRECD_STATUS_VERSION	1

struct spirecd_status {
	char *path;			/* NULL: no status file */
	struct spirecd_recovery_table *recoveries;
	pid_t pid;
	time_t started;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* CLOCK_MONOTONIC */
	bool stop, thread_up;
	uint64_t written_gen;
	uint64_t written_guard_gen;	/* guard_gen() then */
	bool failing;			/* last write failed (logged once) */
};

/*
 * Write the file now, then start the thread that keeps it up to date.
 * @path NULL: nothing to do. Returns 0 or a negative errno (the daemon
 * runs on without a status file).
 */
int spirecd_status_start(struct spirecd_status *s, const char *path,
			 struct spirecd_recovery_table *recoveries);
/* Stop the thread and remove the file. */
void spirecd_status_stop(struct spirecd_status *s);

/* The file's content for @recoveries as of @now_wall (epoch s) and @now_ms
 * (monotonic). */
void spirecd_status_format(FILE *f, struct spirecd_recovery_table *recoveries, pid_t pid,
			   time_t started, time_t now_wall, uint64_t now_ms);

/* Write spirecd_status_format() to @path atomically: 0 or -errno. */
int spirecd_status_write(const char *path, struct spirecd_recovery_table *recoveries,
			 pid_t pid, time_t started);

#endif
