// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl stats: every counter of this network namespace.
 */
#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "spirecctl.h"

static void print_text(const struct spirec_stats_reply *st)
{
	unsigned int i;

	printf("%-18s %s\n", "enabled:", st->enabled ? "yes" : "no");
	printf("%-18s %s\n", "listeners:", st->listeners ? "yes" : "no");
	printf("%-18s %" PRIu32 "\n", "peer_count:", st->peer_count);
	for (i = 0; i <= SPIREC_STATS_A_MAX; i++) {
		const char *name = spirec_stats_name(i);
		char label[32];

		if (!name)
			continue;
		snprintf(label, sizeof(label), "%s:", name);
		printf("%-18s %" PRIu64 "\n", label, st->counter[i]);
	}
}

static void print_json(const struct spirec_stats_reply *st)
{
	struct spirec_json j;
	unsigned int i;

	spirec_json_init(&j, stdout);
	spirec_json_obj_begin(&j);
	spirec_json_kv_bool(&j, "enabled", st->enabled);
	spirec_json_kv_bool(&j, "listeners", st->listeners);
	spirec_json_kv_u64(&j, "peer_count", st->peer_count);
	for (i = 0; i <= SPIREC_STATS_A_MAX; i++) {
		const char *name = spirec_stats_name(i);

		if (name)
			spirec_json_kv_u64(&j, name, st->counter[i]);
	}
	spirec_json_obj_end(&j);
	putchar('\n');
}

int spirecctl_cmd_stats(struct spirecctl *ctl, int argc, char *argv[])
{
	struct spirec_stats_reply st;
	struct spirec_nl nl;
	int ret = spirecctl_nl_open_no_args(ctl, &nl, argc, argv);

	if (ret)
		return ret;
	if (spirec_get_stats(&nl, &st)) {
		ret = spirecctl_error(ctl, "stats: %s", spirec_nl_error(&nl));
	} else if (ctl->json) {
		print_json(&st);
	} else {
		print_text(&st);
	}
	spirecctl_nl_close(&nl);
	return ret;
}
