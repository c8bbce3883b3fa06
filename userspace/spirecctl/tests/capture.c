// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "../spirecctl.h"
#include "capture.h"

static void slurp(FILE *f, char *buf)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, CAPTURE_MAX - 1, f);
	buf[n] = '\0';
	fclose(f);
}

void capture_begin(struct capture *c)
{
	c->out = tmpfile();
	c->err = tmpfile();
	assert_non_null(c->out);
	assert_non_null(c->err);
	fflush(stdout);
	fflush(stderr);
	c->saved_out = dup(STDOUT_FILENO);
	c->saved_err = dup(STDERR_FILENO);
	dup2(fileno(c->out), STDOUT_FILENO);
	dup2(fileno(c->err), STDERR_FILENO);
}

void capture_end(struct capture *c, struct result *r)
{
	fflush(stdout);
	fflush(stderr);
	dup2(c->saved_out, STDOUT_FILENO);
	dup2(c->saved_err, STDERR_FILENO);
	close(c->saved_out);
	close(c->saved_err);
	slurp(c->out, r->out);
	slurp(c->err, r->err);
}

void capture_run(struct result *r, int argc, char **argv)
{
	struct capture c;

	capture_begin(&c);
	r->rc = spirecctl_main(argc, argv);
	capture_end(&c, r);
}
