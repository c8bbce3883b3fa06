/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirecctl: the command table, the subcommands and their shared helpers.
 */
#ifndef SPIRECCTL_H
#define SPIRECCTL_H

#include <stdbool.h>

#include "nl.h"
#include "requests.h"

enum {
	SPIRECCTL_EXIT_OK = 0,
	SPIRECCTL_EXIT_ERROR = 1,
	SPIRECCTL_EXIT_USAGE = 2,
};

#define SPIRECCTL_SYSCTL_ENABLED	"/proc/sys/net/spirec/enabled"

struct spirecctl {
	const char *prog;		/* argv[0] for messages */
	bool json;			/* -j: JSON output */
	const char *status_file;	/* --status-file, NULL: default */
	const char *netns;		/* -n: a named network namespace */
	char netns_status[256];		/* its spirecd's status file */
};

int spirecctl_enter_netns(struct spirecctl *ctl, const char *name);

/*
 * A subcommand gets the arguments from its own name on (argv[0] is the
 * subcommand) and returns an exit status: 0, 1 on error, 2 on usage error.
 */
typedef int (*spirecctl_cmd_fn)(struct spirecctl *ctl, int argc, char *argv[]);

struct spirecctl_cmd {
	const char *name;
	spirecctl_cmd_fn fn;
	const char *args;		/* usage after the name, "" if none */
	const char *description;
};

/* The entry point, main() without the process around it. */
int spirecctl_main(int argc, char *argv[]);

int spirecctl_cmd_status(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_stats(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_peers(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_monitor(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_flush(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_enable(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_disable(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_known(struct spirecctl *ctl, int argc, char *argv[]);
int spirecctl_cmd_help(struct spirecctl *ctl, int argc, char *argv[]);

/* "PROG: message\n" on stderr; returns SPIRECCTL_EXIT_ERROR. */
int spirecctl_error(const struct spirecctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "PROG: message (see 'PROG help')\n" on stderr; returns
 * SPIRECCTL_EXIT_USAGE. */
int spirecctl_usage_error(const struct spirecctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A dump the kernel flagged inconsistent (its table changed meanwhile) is
 * read again, up to this many times in all; the last one is shown, with a
 * warning when it was still flagged.
 */
#define SPIRECCTL_DUMP_TRIES	3

/* "PROG: warning: message\n" on stderr. */
void spirecctl_warn(const struct spirecctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Usage error unless argv holds nothing but the subcommand name. */
int spirecctl_no_args(const struct spirecctl *ctl, int argc, char *argv[]);

/*
 * The netlink socket of a subcommand (netlink.c): 0, or a negative errno
 * after printing why, except for -ENOENT (the module is not loaded) when
 * @absent_ok: the caller reports that itself. Every subcommand opens and
 * closes its socket with these two.
 */
int spirecctl_nl_open(const struct spirecctl *ctl, struct spirec_nl *nl,
		      bool absent_ok);
void spirecctl_nl_close(struct spirec_nl *nl);

/*
 * A subcommand that takes no arguments: spirecctl_no_args(), then
 * spirecctl_nl_open(). SPIRECCTL_EXIT_OK with @nl open, or the exit
 * status (the message printed).
 */
int spirecctl_nl_open_no_args(const struct spirecctl *ctl,
			      struct spirec_nl *nl, int argc, char *argv[]);

/* Write @value to the sysctl file @path; 0 or a negative errno. */
int spirecctl_sysctl_write(const char *path, const char *value);

/* enable/disable: write @value to net.spirec.enabled, with messages. */
int spirecctl_set_enabled(const struct spirecctl *ctl, const char *path,
			  bool enabled);

#endif
