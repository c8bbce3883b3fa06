// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shared helpers of the packet tools, see util.h.
 */
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

unsigned int parse_prefix(int family, const char *s, struct pkt_addr *a,
			  const char *what)
{
	unsigned int max = family == AF_INET ? 32 : 128;
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash, *end;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		die("prefix too long");
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash) {
		fprintf(stderr, "%s: %s needs ADDR/LEN\n", util_prog, what);
		exit(2);
	}
	*slash = '\0';
	parse_addr(family, buf, a);
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || len > max)
		die("bad prefix length");
	return (unsigned int)len;
}

/* "PROG: WHAT: the error" on stderr, exit status 1. */
static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", util_prog, what, strerror(errno));
	exit(1);
}

int open_raw(int family, const char *ifname)
{
	int fd = socket(family, SOCK_RAW, IPPROTO_RAW);
	int one = 1;

	if (fd < 0)
		fail("socket");
	/* IPPROTO_RAW implies header inclusion; say so for IPv4 anyway. */
	if (family == AF_INET &&
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		fail("IP_HDRINCL");
	if (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
				 (socklen_t)strlen(ifname) + 1))
		fail("SO_BINDTODEVICE");
	return fd;
}
