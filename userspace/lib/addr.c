// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv4/IPv6 address and prefix parsing and formatting.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

size_t spirec_addr_len(uint16_t family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

unsigned int spirec_addr_maxprefix(uint16_t family)
{
	return (unsigned int)spirec_addr_len(family) * 8;
}

bool spirec_addr_set(struct spirec_addr *addr, uint16_t family,
		     const void *bytes, size_t len)
{
	size_t want = spirec_addr_len(family);

	if (!want || len != want)
		return false;
	memset(addr, 0, sizeof(*addr));
	addr->family = family;
	memcpy(addr->bytes, bytes, len);
	return true;
}

enum spirec_addr_err spirec_addr_parse(const char *s, struct spirec_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (!s || !*s)
		return SPIREC_ADDR_EMPTY;
	/* inet_pton() takes neither spaces nor prefixes nor scope ids. */
	if (inet_pton(AF_INET, s, &addr->v4) == 1) {
		addr->family = AF_INET;
		return SPIREC_ADDR_OK;
	}
	if (inet_pton(AF_INET6, s, &addr->v6) == 1) {
		addr->family = AF_INET6;
		return SPIREC_ADDR_OK;
	}
	return SPIREC_ADDR_BAD_ADDRESS;
}

static bool host_bits_clear(const struct spirec_addr *addr, unsigned int plen)
{
	unsigned int nbytes = (unsigned int)spirec_addr_len(addr->family);
	unsigned int i;

	for (i = plen / 8; i < nbytes; i++) {
		uint8_t mask = 0xff;

		if (i == plen / 8 && plen % 8)
			mask = (uint8_t)(0xff >> (plen % 8));
		if (addr->bytes[i] & mask)
			return false;
	}
	return true;
}

enum spirec_addr_err spirec_cidr_parse(const char *s,
				       struct spirec_cidr *pfx)
{
	char buf[INET6_ADDRSTRLEN];
	enum spirec_addr_err err;
	const char *slash, *p;
	unsigned int plen = 0;
	size_t alen;

	memset(pfx, 0, sizeof(*pfx));
	if (!s || !*s)
		return SPIREC_ADDR_EMPTY;
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (!alen || alen >= sizeof(buf))
		return alen ? SPIREC_ADDR_BAD_ADDRESS : SPIREC_ADDR_EMPTY;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	err = spirec_addr_parse(buf, &pfx->addr);
	if (err)
		return err;

	pfx->prefixlen = (uint8_t)spirec_addr_maxprefix(pfx->addr.family);
	if (!slash)
		return SPIREC_ADDR_OK;

	/* Plain decimal digits only: no sign, no spaces, no hex. */
	p = slash + 1;
	if (!*p || strlen(p) > 3)
		return SPIREC_ADDR_BAD_PREFIXLEN;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return SPIREC_ADDR_BAD_PREFIXLEN;
		plen = plen * 10 + (unsigned int)(*p - '0');
	}
	if (plen > spirec_addr_maxprefix(pfx->addr.family))
		return SPIREC_ADDR_BAD_PREFIXLEN;
	if (!host_bits_clear(&pfx->addr, plen))
		return SPIREC_ADDR_HOST_BITS;
	pfx->prefixlen = (uint8_t)plen;
	pfx->has_prefixlen = true;
	return SPIREC_ADDR_OK;
}

const char *spirec_addr_strerror(enum spirec_addr_err err)
{
	switch (err) {
	case SPIREC_ADDR_OK:
		return "no error";
	case SPIREC_ADDR_EMPTY:
		return "empty address";
	case SPIREC_ADDR_BAD_ADDRESS:
		return "not an IPv4 or IPv6 address";
	case SPIREC_ADDR_BAD_PREFIXLEN:
		return "bad prefix length (0-32 for IPv4, 0-128 for IPv6)";
	case SPIREC_ADDR_HOST_BITS:
		return "address has bits set beyond the prefix length";
	}
	return "invalid address";
}

const char *spirec_addr_format(const struct spirec_addr *addr, char *buf,
			       size_t len)
{
	if (!len)
		return "?";
	if (!spirec_addr_len(addr->family) ||
	    !inet_ntop(addr->family, addr->bytes, buf, (socklen_t)len)) {
		snprintf(buf, len, "?");
		return buf;
	}
	return buf;
}

const char *spirec_cidr_format(const struct spirec_cidr *pfx, char *buf,
			       size_t len)
{
	char a[INET6_ADDRSTRLEN];

	spirec_addr_format(&pfx->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, pfx->prefixlen);
	return buf;
}

const char *spirec_family_name(uint16_t family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	default:
		return "unknown";
	}
}

bool spirec_cidr_contains(const struct spirec_cidr *pfx,
			  const struct spirec_addr *addr)
{
	unsigned int bits = pfx->prefixlen, full = bits / 8, rest = bits % 8;

	if (pfx->addr.family != addr->family)
		return false;
	if (memcmp(pfx->addr.bytes, addr->bytes, full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((pfx->addr.bytes[full] ^ addr->bytes[full]) & mask)
			return false;
	}
	return true;
}
