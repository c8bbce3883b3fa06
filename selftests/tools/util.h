/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the packet tools (spirec-send, spirec-flood) share besides packet
 * construction: error exit, clock, reproducible random numbers, addresses.
 */
#ifndef SPIREC_TOOLS_UTIL_H
#define SPIREC_TOOLS_UTIL_H

#include "packet.h"

#include <stdint.h>

/* The name messages start with; set once in main(). */
extern const char *util_prog;

/* "PROG: WHAT" on stderr, exit status 2. */
_Noreturn void die(const char *what);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

/* xorshift64*: reproducible from a seed, good enough for test data. The
 * seed must not be 0. */
void rnd_seed(uint64_t seed);
uint64_t rnd(void);

/* FAMILY's text form S into A, or exit 2 naming the bad address. */
void parse_addr(int family, const char *s, struct pkt_addr *a);

/*
 * FAMILY's prefix S ("ADDR/LEN") into A; returns LEN (at most the
 * address's bits), or exits 2 (WHAT: the option, for the message).
 */
unsigned int parse_prefix(int family, const char *s, struct pkt_addr *a,
			  const char *what);

/*
 * A raw socket of FAMILY that sends whole IP packets, bound to the
 * interface IFNAME unless it is NULL; exits 1 if there is none.
 */
int open_raw(int family, const char *ifname);

#endif
