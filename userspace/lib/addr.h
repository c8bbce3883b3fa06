/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4/IPv6 addresses and prefixes: parse from and format to text.
 */
#ifndef SPIREC_ADDR_H
#define SPIREC_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* Long enough for any IPv6 address plus "/128" and the NUL. */
#define SPIREC_ADDR_STRLEN	(INET6_ADDRSTRLEN + 4)

struct spirec_addr {
	uint16_t family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

struct spirec_cidr {
	struct spirec_addr addr;
	uint8_t prefixlen;		/* full length if none was given */
	bool has_prefixlen;
};

enum spirec_addr_err {
	SPIREC_ADDR_OK,
	SPIREC_ADDR_EMPTY,
	SPIREC_ADDR_BAD_ADDRESS,
	SPIREC_ADDR_BAD_PREFIXLEN,
	SPIREC_ADDR_HOST_BITS,
};

/* Address length in bytes for @family: 4, 16, or 0 if unsupported. */
size_t spirec_addr_len(uint16_t family);

/* Highest prefix length for @family: 32, 128, or 0 if unsupported. */
unsigned int spirec_addr_maxprefix(uint16_t family);

/* Fill @addr from @len raw network-order bytes; false if @len does not
 * match @family. */
bool spirec_addr_set(struct spirec_addr *addr, uint16_t family,
		     const void *bytes, size_t len);

/* Parse "ADDR" (no prefix allowed). */
enum spirec_addr_err spirec_addr_parse(const char *s, struct spirec_addr *addr);

/*
 * Parse "ADDR[/PREFIXLEN]". The prefix length is decimal, at most the
 * address length in bits; bits of ADDR beyond it must be zero
 * (SPIREC_ADDR_HOST_BITS otherwise), so that the text names exactly one
 * network.
 */
enum spirec_addr_err spirec_cidr_parse(const char *s,
				       struct spirec_cidr *pfx);

/* Does @pfx contain @addr (same family, same first prefixlen bits)? */
bool spirec_cidr_contains(const struct spirec_cidr *pfx,
			  const struct spirec_addr *addr);

/* One-line reason for @err, e.g. "not an IPv4 or IPv6 address". */
const char *spirec_addr_strerror(enum spirec_addr_err err);

/* Format @addr into @buf (at least INET6_ADDRSTRLEN); returns @buf, or
 * "?" for an unsupported family. */
const char *spirec_addr_format(const struct spirec_addr *addr, char *buf,
			       size_t len);

/* Format "ADDR/PREFIXLEN" into @buf (at least SPIREC_ADDR_STRLEN). */
const char *spirec_cidr_format(const struct spirec_cidr *pfx, char *buf,
			       size_t len);

/* "inet", "inet6" or "unknown". */
const char *spirec_family_name(uint16_t family);

#endif
