// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log lines on stderr, with journald priority prefixes under systemd.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static bool log_debug_on;
static bool log_journal;

void spirecd_log_init(bool debug)
{
	log_debug_on = debug;
	/* systemd sets JOURNAL_STREAM when stderr goes to the journal. */
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

bool spirecd_log_debug_enabled(void)
{
	return log_debug_on;
}

static const char *level_name(enum spirecd_log_level level)
{
	switch (level) {
	case SPIRECD_LOG_ERR: return "error: ";
	case SPIRECD_LOG_WARNING: return "warning: ";
	case SPIRECD_LOG_DEBUG: return "debug: ";
	default: return "";
	}
}

void spirecd_log(enum spirecd_log_level level, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n = 0;

	if (level == SPIRECD_LOG_DEBUG && !log_debug_on)
		return;
	if (log_journal) {
		n = snprintf(line, sizeof(line), "<%d>%s", (int)level,
			     level_name(level));
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		n = snprintf(line, sizeof(line),
			     "%02d:%02d:%02d.%03ld spirecd: %s", tm.tm_hour,
			     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
			     level_name(level));
	}
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	/* One line per message, whatever the message contained. */
	for (int i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
