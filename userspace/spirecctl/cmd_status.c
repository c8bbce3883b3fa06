// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl status: is the module there and enabled, is anyone listening,
 * and the counters an operator looks at first.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "spirecctl.h"

#define LABEL	"%-17s "

static uint64_t unknown_spis(const struct spirec_stats *st)
{
	return st->counter[SPIREC_STATS_A_UNKNOWN_ESP] +
	       st->counter[SPIREC_STATS_A_UNKNOWN_AH] +
	       st->counter[SPIREC_STATS_A_UNKNOWN_ESPINUDP];
}

static uint64_t rate_limited(const struct spirec_stats *st)
{
	return st->counter[SPIREC_STATS_A_LIMITED_PEER] +
	       st->counter[SPIREC_STATS_A_LIMITED_GLOBAL];
}

static void print_text(const struct spirec_nl *nl,
		       const struct spirec_stats *st)
{
	const uint64_t *c = st->counter;

	printf(LABEL "loaded (generic netlink family %u, version %u)\n",
	       "module:", nl->family_id, nl->family_version);
	printf(LABEL "%s\n", "enabled:", st->enabled ? "yes" : "no");
	printf(LABEL "%s\n", "event listeners:", st->listeners ? "yes" : "no");
	printf(LABEL "%" PRIu32 "\n", "peers:", st->peer_count);
	printf(LABEL "%" PRIu64 "\n", "inspected:",
	       c[SPIREC_STATS_A_INSPECTED]);
	printf(LABEL "%" PRIu64 " (esp %" PRIu64 ", ah %" PRIu64
	       ", esp-in-udp %" PRIu64 ")\n", "unknown SPIs:",
	       unknown_spis(st), c[SPIREC_STATS_A_UNKNOWN_ESP],
	       c[SPIREC_STATS_A_UNKNOWN_AH],
	       c[SPIREC_STATS_A_UNKNOWN_ESPINUDP]);
	printf(LABEL "%" PRIu64 "\n", "events sent:", c[SPIREC_STATS_A_EVENTS]);
	printf(LABEL "%" PRIu64 " (per peer %" PRIu64 ", global %" PRIu64
	       ")\n", "rate limited:", rate_limited(st),
	       c[SPIREC_STATS_A_LIMITED_PEER], c[SPIREC_STATS_A_LIMITED_GLOBAL]);
	printf(LABEL "%" PRIu64 "\n", "no listener:",
	       c[SPIREC_STATS_A_NO_LISTENER]);
}

static void print_json(const struct spirec_nl *nl,
		       const struct spirec_stats *st)
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
	spirec_json_obj_end(&j);
	putchar('\n');
}

int spirecctl_cmd_status(struct spirecctl *ctl, int argc, char *argv[])
{
	struct spirec_stats st;
	struct spirec_nl nl;
	int ret = spirecctl_no_args(ctl, argc, argv);

	if (ret)
		return ret;
	ret = spirec_nl_open(&nl);
	if (ret == -ENOENT) {
		/* Not loaded: that is the answer, on stdout; still exit 1. */
		if (ctl->json)
			print_json(NULL, NULL);
		else
			printf(LABEL "not loaded ('modprobe spirec' or insmod kmod/spirec.ko)\n",
			       "module:");
		return SPIRECCTL_EXIT_ERROR;
	}
	if (ret)
		return spirecctl_error(ctl, "%s", spirec_nl_error(&nl));

	if (spirec_get_stats(&nl, &st)) {
		ret = spirecctl_error(ctl, "status: %s", spirec_nl_error(&nl));
	} else if (ctl->json) {
		print_json(&nl, &st);
	} else {
		print_text(&nl, &st);
	}
	spirec_nl_close(&nl);
	return ret;
}
