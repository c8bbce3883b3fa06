// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl status: is the module there and enabled, is anyone listening,
 * the counters an operator looks at first, and spirecd's own state (from
 * its status file).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon_status.h"
#include "json.h"
#include "spirecctl.h"

#define LABEL	"%-17s "

static uint64_t unknown_spis(const struct spirec_stats_reply *st)
{
	return st->counter[SPIREC_STATS_A_UNKNOWN_ESP] +
	       st->counter[SPIREC_STATS_A_UNKNOWN_AH] +
	       st->counter[SPIREC_STATS_A_UNKNOWN_ESPINUDP];
}

static uint64_t rate_limited(const struct spirec_stats_reply *st)
{
	return st->counter[SPIREC_STATS_A_LIMITED_PEER] +
	       st->counter[SPIREC_STATS_A_LIMITED_GLOBAL];
}

static void print_text(const struct spirec_nl *nl,
		       const struct spirec_stats_reply *st)
{
	const uint64_t *c = st->counter;

	printf(LABEL "loaded (generic netlink family %u, version %u)\n",
	       "module:", nl->family_id, nl->family_version);
	printf(LABEL "%s\n", "enabled:", st->enabled ? "yes" : "no");
	printf(LABEL "%s\n", "event listeners:", st->listeners ? "yes" : "no");
	printf(LABEL "%" PRIu32 "\n", "peers:", st->peer_count);
	printf(LABEL "%" PRIu64 "\n", "inspected:",
	       c[SPIREC_STATS_A_INSPECTED]);
	printf(LABEL "%" PRIu64 " (esp %" PRIu64 ", ah %" PRIu64 ", esp-in-udp %" PRIu64 ")\n",
	       "unknown SPIs:",
	       unknown_spis(st), c[SPIREC_STATS_A_UNKNOWN_ESP],
	       c[SPIREC_STATS_A_UNKNOWN_AH],
	       c[SPIREC_STATS_A_UNKNOWN_ESPINUDP]);
	printf(LABEL "%" PRIu64 "\n", "events sent:", c[SPIREC_STATS_A_EVENTS]);
	printf(LABEL "%" PRIu64 " (per peer %" PRIu64 ", global %" PRIu64 ")\n",
	       "rate limited:", rate_limited(st),
	       c[SPIREC_STATS_A_LIMITED_PEER], c[SPIREC_STATS_A_LIMITED_GLOBAL]);
	printf(LABEL "%" PRIu64 "\n", "no listener:",
	       c[SPIREC_STATS_A_NO_LISTENER]);
}

/* What is known of spirecd. */
struct dstate {
	const char *path;
	int err;			/* 0, -ENOENT, other: unreadable */
	char why[160];
	bool alive;
	struct spirecctl_dstatus st;
	time_t now;
};

static void dstate_load(const struct spirecctl *ctl, struct dstate *d)
{
	memset(d, 0, sizeof(*d));
	d->path = spirecctl_dstatus_path(ctl->status_file);
	d->err = spirecctl_dstatus_load(d->path, &d->st, d->why,
					sizeof(d->why));
	if (d->err && d->err != -EINVAL && !d->why[0])
		snprintf(d->why, sizeof(d->why), "%s", strerror(-d->err));
	d->alive = !d->err && spirecctl_pid_alive(d->st.pid);
	d->now = time(NULL);
}

/* Hold-down left now: the file says how much was left when written. */
static uint64_t left_now_ms(const struct dstate *d,
			    const struct spirecctl_dstatus_peer *p)
{
	uint64_t age = (uint64_t)d->now > d->st.written ?
		       ((uint64_t)d->now - d->st.written) * 1000 : 0;

	return p->holddown_left_ms > age ? p->holddown_left_ms - age : 0;
}

static bool is_recovery_counter(const char *key)
{
	return !strncmp(key, "recoveries_", 11);
}

static uint64_t counter(const struct spirecctl_dstatus *st, const char *key)
{
	for (size_t i = 0; i < st->ncounters; i++)
		if (!strcmp(st->counters[i].key, key))
			return st->counters[i].value;
	return 0;
}

static void print_daemon_text(const struct dstate *d)
{
	const struct spirecctl_dstatus *st = &d->st;
	char when[64] = "?", label[64];
	time_t started = (time_t)st->started;
	struct tm tm;

	if (d->err == -ENOENT) {
		printf(LABEL "not running (no status file)\n", "spirecd:");
		return;
	}
	if (d->err) {
		printf(LABEL "unknown (status file %s: %s)\n", "spirecd:",
		       d->path, d->why);
		return;
	}
	if (!d->alive) {
		printf(LABEL "not running (pid %" PRIu64 " is gone; stale status file %s)\n",
		       "spirecd:", st->pid, d->path);
		return;
	}
	if (gmtime_r(&started, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf(LABEL "running (pid %" PRIu64 ", since %s)\n", "spirecd:",
	       st->pid, when);
	printf(LABEL "%" PRIu64 " started, %" PRIu64 " ok, %" PRIu64 " failed, %" PRIu64 " not started, %" PRIu64 " not needed\n",
	       "recoveries:", counter(st, "recoveries_started"),
	       counter(st, "recoveries_ok"), counter(st, "recoveries_failed"),
	       counter(st, "recoveries_not_started"),
	       counter(st, "recoveries_not_needed"));
	for (size_t i = 0; i < st->ncounters; i++) {
		if (is_recovery_counter(st->counters[i].key))
			continue;
		snprintf(label, sizeof(label), "%s:", st->counters[i].key);
		printf(LABEL "%" PRIu64 "\n", label, st->counters[i].value);
	}
	printf(LABEL "%zu\n", "spirecd peers:", st->npeers);
	for (size_t i = 0; i < st->npeers; i++) {
		const struct spirecctl_dstatus_peer *p = &st->peers[i];
		uint64_t left = left_now_ms(d, p);

		printf("  %s", p->addr);
		if (strcmp(p->name, "-"))
			printf(" (%s, %s)", p->name, p->section);
		if (p->busy)
			printf(": recovery running");
		else if (left)
			printf(": hold-down %" PRIu64 " s left", (left + 999) / 1000);
		else
			printf(": idle");
		printf(", hold-down %" PRIu64 " s, level %" PRIu64 ", %" PRIu64 " attempts, %" PRIu64 " successes\n",
		       p->holddown_ms / 1000, p->level, p->attempts,
		       p->successes);
	}
}

static void print_daemon_json(struct spirec_json *j, const struct dstate *d)
{
	const struct spirecctl_dstatus *st = &d->st;

	spirec_json_key(j, "spirecd");
	spirec_json_obj_begin(j);
	if (d->err == -ENOENT) {
		spirec_json_kv_bool(j, "running", false);
		spirec_json_kv_str(j, "reason", "no status file");
		spirec_json_obj_end(j);
		return;
	}
	if (d->err) {
		spirec_json_kv_str(j, "status_file", d->path);
		spirec_json_kv_str(j, "error", d->why);
		spirec_json_obj_end(j);
		return;
	}
	spirec_json_kv_bool(j, "running", d->alive);
	if (!d->alive)
		spirec_json_kv_str(j, "reason", "pid gone, stale status file");
	spirec_json_kv_str(j, "status_file", d->path);
	spirec_json_kv_u64(j, "pid", st->pid);
	spirec_json_kv_u64(j, "started", st->started);
	spirec_json_kv_u64(j, "written", st->written);
	spirec_json_key(j, "counters");
	spirec_json_obj_begin(j);
	for (size_t i = 0; i < st->ncounters; i++)
		spirec_json_kv_u64(j, st->counters[i].key,
				   st->counters[i].value);
	spirec_json_obj_end(j);
	spirec_json_key(j, "peers");
	spirec_json_arr_begin(j);
	for (size_t i = 0; i < st->npeers; i++) {
		const struct spirecctl_dstatus_peer *p = &st->peers[i];

		spirec_json_obj_begin(j);
		spirec_json_kv_str(j, "addr", p->addr);
		if (strcmp(p->name, "-")) {
			spirec_json_kv_str(j, "name", p->name);
			spirec_json_kv_str(j, "section", p->section);
		}
		spirec_json_kv_bool(j, "busy", p->busy);
		spirec_json_kv_u64(j, "holddown_left_ms", left_now_ms(d, p));
		spirec_json_kv_u64(j, "holddown_ms", p->holddown_ms);
		spirec_json_kv_u64(j, "level", p->level);
		spirec_json_kv_u64(j, "attempts", p->attempts);
		spirec_json_kv_u64(j, "successes", p->successes);
		spirec_json_obj_end(j);
	}
	spirec_json_arr_end(j);
	spirec_json_obj_end(j);
}

static void print_json(const struct spirec_nl *nl,
		       const struct spirec_stats_reply *st, const struct dstate *d)
{
	struct spirec_json j;

	spirec_json_init(&j, stdout);
	spirec_json_obj_begin(&j);
	spirec_json_kv_bool(&j, "module", nl != NULL);
	if (nl) {
		spirec_json_kv_u64(&j, "family_id", nl->family_id);
		spirec_json_kv_u64(&j, "family_version", nl->family_version);
		spirec_json_kv_bool(&j, "enabled", st->enabled);
		spirec_json_kv_bool(&j, "listeners", st->listeners);
		spirec_json_kv_u64(&j, "peer_count", st->peer_count);
		spirec_json_kv_u64(&j, "inspected",
				   st->counter[SPIREC_STATS_A_INSPECTED]);
		spirec_json_kv_u64(&j, "unknown_spi", unknown_spis(st));
		spirec_json_kv_u64(&j, "events",
				   st->counter[SPIREC_STATS_A_EVENTS]);
		spirec_json_kv_u64(&j, "rate_limited", rate_limited(st));
		spirec_json_kv_u64(&j, "no_listener",
				   st->counter[SPIREC_STATS_A_NO_LISTENER]);
	}
	print_daemon_json(&j, d);
	spirec_json_obj_end(&j);
	putchar('\n');
}

int spirecctl_cmd_status(struct spirecctl *ctl, int argc, char *argv[])
{
	struct spirec_stats_reply st;
	struct spirec_nl nl;
	struct dstate d;
	int ret = spirecctl_no_args(ctl, argc, argv);

	if (ret)
		return ret;
	dstate_load(ctl, &d);
	ret = spirecctl_nl_open(ctl, &nl, true);
	if (ret == -ENOENT) {
		/* Not loaded: that is the answer, on stdout; still exit 1. */
		if (ctl->json) {
			print_json(NULL, NULL, &d);
		} else {
			printf(LABEL "not loaded ('modprobe spirec' or insmod kmod/spirec.ko)\n",
			       "module:");
			print_daemon_text(&d);
		}
		spirecctl_dstatus_free(&d.st);
		return SPIRECCTL_EXIT_ERROR;
	}
	if (ret) {
		spirecctl_dstatus_free(&d.st);
		return SPIRECCTL_EXIT_ERROR;
	}

	if (spirec_get_stats(&nl, &st)) {
		ret = spirecctl_error(ctl, "status: %s", spirec_nl_error(&nl));
	} else if (ctl->json) {
		print_json(&nl, &st, &d);
	} else {
		print_text(&nl, &st);
		print_daemon_text(&d);
	}
	spirecctl_nl_close(&nl);
	spirecctl_dstatus_free(&d.st);
	return ret;
}
