// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command table, global options, and help.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "daemon_status.h"
#include "spirecctl.h"

static const struct spirecctl_cmd commands[] = {
	{ "status", spirecctl_cmd_status, "",
	  "Shows whether the module is loaded and enabled, headline counters, and spirecd's state" },
	{ "stats", spirecctl_cmd_stats, "",
	  "Shows all counters of this network namespace" },
	{ "peers", spirecctl_cmd_peers, "",
	  "Shows the peer table (peers that sent unknown SPIs)" },
	{ "monitor", spirecctl_cmd_monitor, "[-c COUNT] [-t SECONDS]",
	  "Prints invalid-SPI events as they happen" },
	{ "flush", spirecctl_cmd_flush, "",
	  "Empties the peer table (rate limiter state)" },
	{ "enable", spirecctl_cmd_enable, "",
	  "Turns detection on in this network namespace" },
	{ "disable", spirecctl_cmd_disable, "",
	  "Turns detection off in this network namespace" },
	{ "known", spirecctl_cmd_known, "add|del ADDR[/PREFIX]... | list",
	  "Edits or lists the known-peer list" },
	{ "help", spirecctl_cmd_help, "",
	  "Shows this help" },
};

static void usage(const struct spirecctl *ctl, FILE *out)
{
	size_t i;

	fprintf(out, "Usage: %s [-j] [-n NETNS] COMMAND [ARGS]\n\n", ctl->prog);
	fprintf(out, "Options:\n");
	fprintf(out, "  -j, --json    print JSON instead of text (also after COMMAND)\n");
	fprintf(out, "  -n, --netns NAME  work in the network namespace %s/NAME and\n"
		"                read its spirecd's status (" SPIRECCTL_NETNS_STATUS_FMT ")\n",
		SPIRECCTL_NETNS_DIR, "NAME");
	fprintf(out, "      --status-file FILE  spirecd's status file (default %s, or $%s)\n",
		SPIRECCTL_STATUS_FILE, SPIRECCTL_STATUS_ENV);
	fprintf(out, "  -h, --help    show this help\n");
	fprintf(out, "  -V, --version print the version\n\n");
	fprintf(out, "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s  %s\n", commands[i].name,
			commands[i].description);
	fprintf(out, "\nArguments:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].args[0])
			fprintf(out, "  %s %s\n", commands[i].name,
				commands[i].args);
	}
}

int spirecctl_cmd_help(struct spirecctl *ctl, int argc, char *argv[])
{
	int ret = spirecctl_no_args(ctl, argc, argv);

	if (ret)
		return ret;
	usage(ctl, stdout);
	return SPIRECCTL_EXIT_OK;
}

/*
 * -j is global but also taken after the command ("spirecctl monitor -j"):
 * drop it from the command's arguments, up to a "--".
 */
static int take_json_flag(struct spirecctl *ctl, int argc, char *argv[])
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			ctl->json = true;
			continue;
		}
		argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

static bool wants_help(int argc, char *argv[])
{
	return argc == 2 && (!strcmp(argv[1], "-h") ||
			     !strcmp(argv[1], "--help"));
}

int spirecctl_main(int argc, char *argv[])
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "status-file", required_argument, NULL, 'S' },
		{ "netns", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct spirecctl ctl = { .prog = "spirecctl" };
	const char *slash;
	size_t i;
	int c;

	if (argc > 0 && argv[0] && argv[0][0]) {
		slash = strrchr(argv[0], '/');
		ctl.prog = slash ? slash + 1 : argv[0];
	}

	/* "+": options end at the command; ":" reports missing arguments. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jhVn:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctl.json = true;
			break;
		case 'n':
			ctl.netns = optarg;
			break;
		case 'S':
			ctl.status_file = optarg;
			break;
		case 'h':
			usage(&ctl, stdout);
			return SPIRECCTL_EXIT_OK;
		case 'V':
			printf("%s %s\n", ctl.prog, SPIREC_VERSION);
			return SPIRECCTL_EXIT_OK;
		case ':':
			return spirecctl_usage_error(&ctl, "option '%s' needs an argument",
						     argv[optind - 1]);
		default:
			if (optopt)
				return spirecctl_usage_error(&ctl, "unknown option '-%c'",
							     optopt);
			return spirecctl_usage_error(&ctl, "unknown option '%s'",
						     argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		usage(&ctl, stderr);
		return SPIRECCTL_EXIT_USAGE;
	}

	argc -= optind;
	argv += optind;
	if (ctl.netns && spirecctl_enter_netns(&ctl, ctl.netns))
		return SPIRECCTL_EXIT_ERROR;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct spirecctl_cmd *cmd = &commands[i];

		if (strcmp(argv[0], cmd->name))
			continue;
		argc = take_json_flag(&ctl, argc, argv);
		if (wants_help(argc, argv)) {
			printf("Usage: %s [-j] %s%s%s\n", ctl.prog, cmd->name,
			       cmd->args[0] ? " " : "", cmd->args);
			return SPIRECCTL_EXIT_OK;
		}
		return cmd->fn(&ctl, argc, argv);
	}
	return spirecctl_usage_error(&ctl, "unknown command '%s'", argv[0]);
}
