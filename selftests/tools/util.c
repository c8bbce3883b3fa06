// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shared helpers of the packet tools, see util.h.
 */
#include "util.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

const char *util_prog = "spirec-tool";

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

void die(const char *what)
{
	fprintf(stderr, "%s: %s\n", util_prog, what);
	exit(2);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void rnd_seed(uint64_t seed)
{
	rnd_state = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

void parse_addr(int family, const char *s, struct pkt_addr *a)
{
	a->family = family;
	if (inet_pton(family, s, family == AF_INET ? (void *)&a->v4 :
						     (void *)&a->v6) != 1) {
		fprintf(stderr, "%s: bad IPv%d address '%s'\n", util_prog,
			family == AF_INET ? 4 : 6, s);
		exit(2);
	}
}
