// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error and usage-error messages: one line on stderr each.
 */
#include <stdarg.h>
#include <stdio.h>

#include "spirecctl.h"

/* One line on stderr: "PROG: " @tag, the message, then @tail. */
static void report(const struct spirecctl *ctl, const char *tag,
		   const char *tail, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void report(const struct spirecctl *ctl, const char *tag,
		   const char *tail, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", ctl->prog, tag);
	vfprintf(stderr, fmt, ap);
	fputs(tail, stderr);
}

int spirecctl_error(const struct spirecctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ctl, "", "\n", fmt, ap);
	va_end(ap);
	return SPIRECCTL_EXIT_ERROR;
}

void spirecctl_warn(const struct spirecctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ctl, "warning: ", "\n", fmt, ap);
	va_end(ap);
}

int spirecctl_usage_error(const struct spirecctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ctl, "", "", fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s help')\n", ctl->prog);
	return SPIRECCTL_EXIT_USAGE;
}

int spirecctl_no_args(const struct spirecctl *ctl, int argc, char *argv[])
{
	if (argc <= 1)
		return SPIRECCTL_EXIT_OK;
	return spirecctl_usage_error(ctl, "%s: unexpected argument '%s'",
				     argv[0], argv[1]);
}
