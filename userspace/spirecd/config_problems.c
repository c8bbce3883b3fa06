// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd.conf problems: each one is kept with its line and printed, in
 * line order, as "FILE:LINE: problem" once the whole file was read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "config_parser.h"
#include "grow.h"

void spirecd_config_problem(struct parser *p, unsigned int line, const char *fmt, ...)
{
	struct problem *pb;
	char *text = NULL;
	va_list ap;
	int n;

	p->errors++;
	if (!p->errs)
		return;
	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		text = NULL;
	if (spirec_grow(&p->problems, &p->problems_cap, p->nproblems,
			sizeof(*p->problems), 8)) {
		/* Out of memory: say it now rather than never. */
		fprintf(p->errs, "%s:%u: %s\n", p->path, line,
			text ? text : "out of memory");
		free(text);
		return;
	}
	pb = &p->problems[p->nproblems];
	pb->line = line;
	pb->seq = (unsigned int)p->nproblems++;
	pb->text = text;
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Print the problems in line order, then forget them. */
void spirecd_config_problems_flush(struct parser *p)
{
	if (p->nproblems)
		qsort(p->problems, p->nproblems, sizeof(*p->problems),
		      problem_cmp);
	for (size_t i = 0; i < p->nproblems; i++) {
		fprintf(p->errs, "%s:%u: %s\n", p->path, p->problems[i].line,
			p->problems[i].text ? p->problems[i].text :
			"out of memory");
		free(p->problems[i].text);
	}
	free(p->problems);
	p->problems = NULL;
	p->nproblems = p->problems_cap = 0;
}
