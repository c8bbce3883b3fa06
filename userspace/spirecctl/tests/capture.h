/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: run spirecctl (or any code) with its stdout and stderr
 * captured.
 */
#ifndef SPIRECCTL_TEST_CAPTURE_H
#define SPIRECCTL_TEST_CAPTURE_H

#include <stdio.h>

#define CAPTURE_MAX	16384

/* What ran printed (truncated to CAPTURE_MAX - 1 bytes) and returned. */
struct result {
	int rc;
	char out[CAPTURE_MAX], err[CAPTURE_MAX];
};

struct capture {
	FILE *out, *err;
	int saved_out, saved_err;
};

/* Send stdout and stderr to temporary files until capture_end(). */
void capture_begin(struct capture *c);

/* Restore stdout and stderr; what was written goes to @r->out, @r->err. */
void capture_end(struct capture *c, struct result *r);

/* spirecctl_main(@argc, @argv) with its output and exit status in @r. */
void capture_run(struct result *r, int argc, char **argv);

#endif
