// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The status file: format, atomic write, the thread that keeps it fresh.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"
#include "log.h"
#include "status.h"
#include "verify.h"

#define STATUS_INTERVAL_MS	1000

/* One "KEY VALUE" line per counter. */
struct counter_line {
	const char *key;
	uint64_t value;
};

/* Moves whenever one of the guard's or the verification's counters does. */
static uint64_t guard_gen(void)
{
	struct spirecd_guard_counters c;

	spirecd_guard_counters(&c);
	return c.ignored_event + c.ignored_xfrm + c.ignored_ike + c.acted +
	       c.xfrm_errors + c.ike_unavailable + spirecd_verify_gen();
}

struct fmt_ctx {
	FILE *f;
	uint64_t now_ms;
};

static void format_entry(void *arg, const struct spirecd_recovery_group *grp,
			 const struct spirecd_recovery_state *s)
{
	struct fmt_ctx *c = arg;
	char addr[SPIREC_ADDR_STRLEN], sect[SPIREC_ADDR_STRLEN];

	spirec_addr_format(&s->addr, addr, sizeof(addr));
	if (grp)
		spirec_cidr_format(&grp->key, sect, sizeof(sect));
	fprintf(c->f, "peer addr=%s section=%s name=%s busy=%s holddown_left_ms=%" PRIu64 " holddown_ms=%u level=%u attempts=%" PRIu64 " successes=%" PRIu64 "\n",
		addr, grp ? sect : "-", grp ? grp->name : "-",
		s->busy ? "yes" : "no",
		s->until_ms > c->now_ms ? s->until_ms - c->now_ms : 0,
		s->holddown_ms, s->level, s->attempts, s->successes);
}

void spirecd_status_format(FILE *f, struct spirecd_recovery_table *recoveries, pid_t pid,
			   time_t started, time_t now_wall, uint64_t now_ms)
{
	struct spirecd_recovery_counters c;
	struct spirecd_guard_counters g;
	struct fmt_ctx ctx = { .f = f, .now_ms = now_ms };

	pthread_mutex_lock(&recoveries->lock);
	c = recoveries->counters;
	pthread_mutex_unlock(&recoveries->lock);
	spirecd_guard_counters(&g);
	/* The recoveries; then the guard's counters (guard.h): events that
	 * were not a black hole. */
	const struct counter_line counters[] = {
		{ "recoveries_started", c.started },
		{ "recoveries_ok", c.ok },
		{ "recoveries_failed", c.failed },
		{ "recoveries_not_started", c.not_started },
		{ "recoveries_not_needed", c.not_needed },
		{ "not_blackhole_event", g.ignored_event },
		{ "not_blackhole_xfrm", g.ignored_xfrm },
		{ "not_blackhole_ike", g.ignored_ike },
		{ "guard_xfrm_errors", g.xfrm_errors },
		{ "guard_ike_unavailable", g.ike_unavailable },
	};

	fprintf(f, "# spirecd status, see spirecd(8): \"KEY VALUE\" lines, then one \"peer\" line per peer\n");
	fprintf(f, "version %d\n", SPIRECD_STATUS_VERSION);
	fprintf(f, "pid %ld\n", (long)pid);
	fprintf(f, "started %lld\n", (long long)started);
	fprintf(f, "written %lld\n", (long long)now_wall);
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		fprintf(f, "%s %" PRIu64 "\n", counters[i].key, counters[i].value);
	/* The verification's (verify.h): recoveries that healed or not. */
	spirecd_verify_counters(f);
	spirecd_recovery_foreach(recoveries, format_entry, &ctx);
}

int spirecd_status_write(const char *path, struct spirecd_recovery_table *recoveries,
			 pid_t pid, time_t started)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 8), *dir;
	int fd, err = 0;
	FILE *f;

	if (!tmp)
		return -ENOMEM;
	/* The directory (/run/spirec) when run outside systemd. */
	memcpy(tmp, path, len + 1);
	dir = dirname(tmp);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		err = -errno;
		free(tmp);
		return err;
	}
	snprintf(tmp, len + 8, "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto out;
	}
	spirecd_status_format(f, recoveries, pid, started, time(NULL),
			      spirecd_now_ms());
	if (fchmod(fd, 0644) || ferror(f))
		err = -(errno ? errno : EIO);
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
out:
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

static uint64_t recoveries_gen(struct spirecd_recovery_table *recoveries)
{
	uint64_t g;

	pthread_mutex_lock(&recoveries->lock);
	g = recoveries->gen;
	pthread_mutex_unlock(&recoveries->lock);
	return g;
}

static void write_now(struct spirecd_status *s)
{
	uint64_t gen = recoveries_gen(s->recoveries), ggen = guard_gen();
	int err = spirecd_status_write(s->path, s->recoveries, s->pid, s->started);

	if (err && !s->failing)
		log_warn("status file %s: cannot write it: %s (will retry)",
			 s->path, strerror(-err));
	else if (!err && s->failing)
		log_notice("status file %s: written again", s->path);
	s->failing = err != 0;
	if (!err) {
		s->written_gen = gen;
		s->written_guard_gen = ggen;
	}
}

static void *status_main(void *arg)
{
	struct spirecd_status *s = arg;
	struct timespec ts;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += STATUS_INTERVAL_MS / 1000;
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->lock);
		if (s->failing || recoveries_gen(s->recoveries) != s->written_gen ||
		    guard_gen() != s->written_guard_gen)
			write_now(s);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int spirecd_status_start(struct spirecd_status *s, const char *path,
			 struct spirecd_recovery_table *recoveries)
{
	pthread_condattr_t ca;
	int err;

	memset(s, 0, sizeof(*s));
	if (!path)
		return 0;
	s->path = strdup(path);
	if (!s->path)
		return -ENOMEM;
	s->recoveries = recoveries;
	s->pid = getpid();
	s->started = time(NULL);
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	write_now(s);
	err = pthread_create(&s->thread, NULL, status_main, s);
	if (err) {
		log_err("status file %s: cannot start its thread: %s", path,
			strerror(err));
		return -err;
	}
	s->thread_up = true;
	return 0;
}

void spirecd_status_stop(struct spirecd_status *s)
{
	if (!s->path)
		return;
	if (s->thread_up) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
	}
	unlink(s->path);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	memset(s, 0, sizeof(*s));
}
