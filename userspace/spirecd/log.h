/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirecd's log: one line per message on stderr. Under systemd (stderr
 * connected to the journal) each line starts with a "<N>" priority prefix
 * that journald turns into the message's priority.
 */
#ifndef SPIRECD_LOG_H
#define SPIRECD_LOG_H

#include <stdbool.h>

enum spirecd_log_level {
	SPIRECD_LOG_ERR = 3,
	SPIRECD_LOG_WARNING = 4,
	SPIRECD_LOG_NOTICE = 5,
	SPIRECD_LOG_INFO = 6,
	SPIRECD_LOG_DEBUG = 7,
};

/* Show debug messages (-d). */
void spirecd_log_init(bool debug);
bool spirecd_log_debug_enabled(void);

/* Thread-safe: one write(2) per line. */
void spirecd_log(enum spirecd_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	spirecd_log(SPIRECD_LOG_ERR, __VA_ARGS__)
#define log_warn(...)	spirecd_log(SPIRECD_LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	spirecd_log(SPIRECD_LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	spirecd_log(SPIRECD_LOG_INFO, __VA_ARGS__)
#define log_debug(...)	spirecd_log(SPIRECD_LOG_DEBUG, __VA_ARGS__)

#endif
