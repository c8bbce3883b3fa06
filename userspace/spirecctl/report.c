// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error and usage-error messages: one line on stderr each.
 */
#include <stdarg.h>
#include <stdio.h>

#include "spirecctl.h"

int spirecctl_error(const struct spirecctl *ctl, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", ctl->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return SPIRECCTL_EXIT_ERROR;
}

void spirecctl_warn(const struct spirecctl *ctl, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: warning: ", ctl->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int spirecctl_usage_error(const struct spirecctl *ctl, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", ctl->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
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
