// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl known add|del ADDR[/PREFIX], spirecctl known list: the
 * known-peer list of this network namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "json.h"
#include "spirecctl.h"

struct known_list {
	struct spirec_nl *nl;
	struct spirec_cidr *entries;
	size_t count, cap;
};

static int known_cb(const struct spirec_cidr *pfx, void *data)
{
	struct known_list *list = data;

	if (spirec_grow(&list->entries, &list->cap, list->count,
			sizeof(*list->entries), 16)) {
		spirec_nl_set_error(list->nl, "out of memory");
		return -ENOMEM;
	}
	list->entries[list->count++] = *pfx;
	return 0;
}

static void print_text(const struct known_list *list)
{
	char buf[SPIREC_ADDR_STRLEN];
	size_t i;

	for (i = 0; i < list->count; i++)
		printf("%s\n", spirec_cidr_format(&list->entries[i], buf,
						  sizeof(buf)));
}

static void print_json(const struct known_list *list)
{
	char buf[SPIREC_ADDR_STRLEN];
	struct spirec_json j;
	size_t i;

	spirec_json_init(&j, stdout);
	spirec_json_arr_begin(&j);
	for (i = 0; i < list->count; i++) {
		const struct spirec_cidr *p = &list->entries[i];

		spirec_json_obj_begin(&j);
		spirec_json_kv_str(&j, "family",
				   spirec_family_name(p->addr.family));
		spirec_json_kv_str(&j, "address",
				   spirec_addr_format(&p->addr, buf,
						      sizeof(buf)));
		spirec_json_kv_u64(&j, "prefixlen", p->prefixlen);
		spirec_json_obj_end(&j);
	}
	spirec_json_arr_end(&j);
	putchar('\n');
}

/* Everything is read before anything is printed: no half a list. */
static int known_list(const struct spirecctl *ctl)
{
	struct known_list list = { 0 };
	struct spirec_nl nl;
	int ret = SPIRECCTL_EXIT_OK, err, tries;

	if (spirecctl_nl_open(ctl, &nl, false))
		return SPIRECCTL_EXIT_ERROR;
	list.nl = &nl;
	for (tries = 1;; tries++) {
		list.count = 0;
		err = spirec_dump_known(&nl, known_cb, &list);
		if (err || !nl.dump_intr || tries == SPIRECCTL_DUMP_TRIES)
			break;
	}
	if (!err && nl.dump_intr)
		spirecctl_warn(ctl, "the known-peer list changed during each of %d listings (NLM_F_DUMP_INTR): entries may be missing or repeated",
			       tries);
	if (err)
		ret = spirecctl_error(ctl, "known list: %s",
				      spirec_nl_error(&nl));
	else if (ctl->json)
		print_json(&list);
	else
		print_text(&list);
	free(list.entries);
	spirecctl_nl_close(&nl);
	return ret;
}

/*
 * known add|del ADDR[/PREFIX]...: every argument is parsed before the
 * first change is made, so a typo changes nothing; then each is applied
 * over one socket, and each refusal is reported (the others still apply).
 */
static int known_change(const struct spirecctl *ctl, const char *verb,
			int argc, char *argv[])
{
	char text[SPIREC_ADDR_STRLEN];
	struct spirec_cidr *pfx;
	enum spirec_addr_err aerr;
	int ret = SPIRECCTL_EXIT_OK, err, i;
	struct spirec_nl nl;

	pfx = calloc((size_t)argc, sizeof(*pfx));
	if (!pfx)
		return spirecctl_error(ctl, "known %s: out of memory", verb);
	for (i = 0; i < argc; i++) {
		aerr = spirec_cidr_parse(argv[i], &pfx[i]);
		if (aerr) {
			free(pfx);
			return spirecctl_usage_error(ctl, "known %s: '%s': %s",
						     verb, argv[i],
						     spirec_addr_strerror(aerr));
		}
	}

	if (spirecctl_nl_open(ctl, &nl, false)) {
		free(pfx);
		return SPIRECCTL_EXIT_ERROR;
	}
	for (i = 0; i < argc; i++) {
		if (verb[0] == 'a')
			err = spirec_known_add(&nl, &pfx[i]);
		else
			err = spirec_known_del(&nl, &pfx[i]);
		if (err) {
			spirec_cidr_format(&pfx[i], text, sizeof(text));
			ret = spirecctl_error(ctl, "known %s %s: %s", verb,
					      text, spirec_nl_error(&nl));
		}
	}
	spirecctl_nl_close(&nl);
	free(pfx);
	return ret;
}

int spirecctl_cmd_known(struct spirecctl *ctl, int argc, char *argv[])
{
	if (argc < 2)
		return spirecctl_usage_error(ctl, "known: wants 'add ADDR[/PREFIX]', 'del ADDR[/PREFIX]' or 'list'");

	if (!strcmp(argv[1], "list")) {
		if (argc > 2)
			return spirecctl_usage_error(ctl, "known list: unexpected argument '%s'",
						     argv[2]);
		return known_list(ctl);
	}
	if (strcmp(argv[1], "add") && strcmp(argv[1], "del"))
		return spirecctl_usage_error(ctl, "known: unknown subcommand '%s'",
					     argv[1]);
	if (argc < 3)
		return spirecctl_usage_error(ctl, "known %s: wants ADDR[/PREFIX]...",
					     argv[1]);
	return known_change(ctl, argv[1], argc - 2, argv + 2);
}
