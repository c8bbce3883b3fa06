// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl peers: the kernel's table of peers that sent unknown SPIs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "grow.h"
#include "json.h"
#include "spirecctl.h"

struct peer_list {
	struct spirec_nl *nl;
	struct spirec_peer_row *peers;
	size_t count, cap;
};

static int peer_cb(const struct spirec_peer_row *peer, void *data)
{
	struct peer_list *list = data;

	if (spirec_grow(&list->peers, &list->cap, list->count,
			sizeof(*list->peers), 16)) {
		spirec_nl_set_error(list->nl, "out of memory");
		return -ENOMEM;
	}
	list->peers[list->count++] = *peer;
	return 0;
}

/* "proto/encap" of the last packet, e.g. "esp", "esp-in-udp", "ah". */
static const char *last_kind(const struct spirec_peer_row *p)
{
	if (!p->last_proto)
		return "-";
	if (p->last_encap == SPIREC_ENCAP_UDP)
		return "esp-in-udp";
	return spirec_proto_name(p->last_proto);
}

/* Compact age: "850ms", "12.3s", "4m05s", "3h12m", "2d04h". */
static void format_age(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, len, "%" PRIu64 "ms", ms);
	else if (s < 60)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "s", s,
			 (ms % 1000) / 100);
	else if (s < 3600)
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 (s % 3600) / 60);
	else
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 (s % 86400) / 3600);
}

static void print_text(const struct peer_list *list)
{
	char addr[INET6_ADDRSTRLEN], age[32], spi[11];
	int width = (int)strlen("peer");
	size_t i;

	if (!list->count)
		return;
	for (i = 0; i < list->count; i++) {
		int w = (int)strlen(spirec_addr_format(&list->peers[i].addr,
						       addr, sizeof(addr)));
		if (w > width)
			width = w;
	}
	printf("%-*s %10s %8s %10s  %-10s  %-10s %9s  %s\n", width, "peer",
	       "packets", "events", "suppressed", "last spi", "proto",
	       "last seen", "known");
	for (i = 0; i < list->count; i++) {
		const struct spirec_peer_row *p = &list->peers[i];

		format_age(p->last_seen_ms, age, sizeof(age));
		snprintf(spi, sizeof(spi), "0x%08x", p->last_spi);
		printf("%-*s %10" PRIu64 " %8" PRIu64 " %10" PRIu64 "  %-10s  %-10s %9s  %s\n",
		       width,
		       spirec_addr_format(&p->addr, addr, sizeof(addr)),
		       p->packets, p->events, p->suppressed, spi,
		       last_kind(p), age, p->known ? "yes" : "no");
	}
}

static void print_json(const struct peer_list *list)
{
	char addr[INET6_ADDRSTRLEN], spi[11];
	struct spirec_json j;
	size_t i;

	spirec_json_init(&j, stdout);
	spirec_json_arr_begin(&j);
	for (i = 0; i < list->count; i++) {
		const struct spirec_peer_row *p = &list->peers[i];

		snprintf(spi, sizeof(spi), "0x%08x", p->last_spi);
		spirec_json_obj_begin(&j);
		spirec_json_kv_str(&j, "family",
				   spirec_family_name(p->addr.family));
		spirec_json_kv_str(&j, "address",
				   spirec_addr_format(&p->addr, addr,
						      sizeof(addr)));
		spirec_json_kv_u64(&j, "packets", p->packets);
		spirec_json_kv_u64(&j, "events", p->events);
		spirec_json_kv_u64(&j, "suppressed", p->suppressed);
		spirec_json_kv_str(&j, "last_spi", spi);
		spirec_json_kv_str(&j, "last_proto",
				   spirec_proto_name(p->last_proto));
		spirec_json_kv_str(&j, "last_encap",
				   spirec_encap_name(p->last_encap));
		spirec_json_kv_u64(&j, "last_seen_ms", p->last_seen_ms);
		spirec_json_kv_bool(&j, "known", p->known);
		spirec_json_obj_end(&j);
	}
	spirec_json_arr_end(&j);
	putchar('\n');
}

int spirecctl_cmd_peers(struct spirecctl *ctl, int argc, char *argv[])
{
	struct peer_list list = { 0 };
	struct spirec_nl nl;
	int ret = spirecctl_nl_open_no_args(ctl, &nl, argc, argv), err, tries;

	if (ret)
		return ret;
	list.nl = &nl;
	for (tries = 1;; tries++) {
		list.count = 0;
		err = spirec_dump_peers(&nl, peer_cb, &list);
		if (err || !nl.dump_intr || tries == SPIRECCTL_DUMP_TRIES)
			break;
	}
	if (!err && nl.dump_intr)
		spirecctl_warn(ctl, "the peer table changed during each of %d listings (NLM_F_DUMP_INTR): entries may be missing or repeated",
			       tries);
	if (err) {
		ret = spirecctl_error(ctl, "peers: %s", spirec_nl_error(&nl));
	} else if (ctl->json) {
		print_json(&list);
	} else {
		print_text(&list);
	}
	free(list.peers);
	spirecctl_nl_close(&nl);
	return ret;
}
