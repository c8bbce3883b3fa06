// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Failure descriptions of the netlink socket.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nl.h"

const char *spirec_nl_error(const struct spirec_nl *nl)
{
	return nl->errmsg[0] ? nl->errmsg : "unknown error";
}

void spirec_nl_set_error(struct spirec_nl *nl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl->errmsg, sizeof(nl->errmsg), fmt, ap);
	va_end(ap);
}

void spirec_nl_format_error(char *buf, size_t len, int err,
			    const struct spirec_nl_ack *ack)
{
	const char *hint = NULL;
	int n;

	if (!len)
		return;
	if (err == EPERM || err == EACCES)
		hint = "CAP_NET_ADMIN is needed";

	n = snprintf(buf, len, "%s", strerror(err));
	if (ack && ack->msg[0] && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ": %s", ack->msg);
	if (ack && ack->has_miss_type && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n,
			      " (missing attribute %u)", ack->miss_type);
	if (hint && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%s%s",
			 ack && ack->msg[0] ? "; " : ": ", hint);
}
