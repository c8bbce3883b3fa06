// SPDX-License-Identifier: GPL-2.0-or-later
/* swanctl-style IKE identity strings (RFC 7296 3.5 ID types). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "identity.h"
#include "proto.h"

static bool printable(const char *s)
{
	for (; *s; s++)
		if (!isprint((unsigned char)*s) || *s == ' ')
			return false;
	return true;
}

static int set_text(struct ike_identity *id, uint8_t type, const char *s,
		    const char *orig, char *err, size_t errlen)
{
	size_t len = strlen(s);

	if (!len) {
		snprintf(err, errlen, "identity '%s' is empty", orig);
		return IKE_E_SYNTAX;
	}
	if (len > IKE_ID_MAX) {
		snprintf(err, errlen, "identity '%.40s...' is longer than %d bytes", orig, IKE_ID_MAX);
		return IKE_E_LENGTH;
	}
	if (!printable(s)) {
		snprintf(err, errlen, "identity '%s' contains spaces or control characters", orig);
		return IKE_E_SYNTAX;
	}
	if (type == IKE_ID_RFC822_ADDR &&
	    (!strchr(s, '@') || s[0] == '@' || s[len - 1] == '@')) {
		snprintf(err, errlen, "identity '%s' is not an email address (user@fqdn)", orig);
		return IKE_E_SYNTAX;
	}
	id->type = type;
	id->len = len;
	memcpy(id->data, s, len);
	return IKE_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int set_keyid(struct ike_identity *id, const char *s,
		     const char *orig, char *err, size_t errlen)
{
	size_t n = 0;

	if (s[0] != '#')
		return set_text(id, IKE_ID_KEY_ID, s, orig, err, errlen);
	s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s += 2) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "key id '%s' is not an even number of hex digits", orig);
			return IKE_E_SYNTAX;
		}
		if (n == IKE_ID_MAX) {
			snprintf(err, errlen, "key id '%.40s...' is longer than %d bytes", orig, IKE_ID_MAX);
			return IKE_E_LENGTH;
		}
		id->data[n++] = (uint8_t)(hi << 4 | lo);
	}
	if (!n) {
		snprintf(err, errlen, "key id '%s' is empty", orig);
		return IKE_E_SYNTAX;
	}
	id->type = IKE_ID_KEY_ID;
	id->len = n;
	return IKE_OK;
}

static int set_addr(struct ike_identity *id, int af, const char *s,
		    const char *orig, char *err, size_t errlen)
{
	if (inet_pton(af, s, id->data) != 1) {
		snprintf(err, errlen, "identity '%s' is not an IPv%c address",
			 orig, af == AF_INET ? '4' : '6');
		return IKE_E_SYNTAX;
	}
	id->type = af == AF_INET ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	id->len = af == AF_INET ? 4 : 16;
	return IKE_OK;
}

int ike_identity_parse(const char *s, struct ike_identity *id,
		       char *err, size_t errlen)
{
	static const struct {
		const char *prefix;
		uint8_t type;
	} prefixes[] = {
		{ "ipv4:", IKE_ID_IPV4_ADDR }, { "ipv6:", IKE_ID_IPV6_ADDR },
		{ "fqdn:", IKE_ID_FQDN }, { "email:", IKE_ID_RFC822_ADDR },
		{ "rfc822:", IKE_ID_RFC822_ADDR },
		{ "userfqdn:", IKE_ID_RFC822_ADDR },
		{ "keyid:", IKE_ID_KEY_ID }, { "asn1dn:", IKE_ID_DER_ASN1_DN },
	};
	uint8_t tmp[16];

	memset(id, 0, sizeof(*id));
	if (!s || !*s) {
		snprintf(err, errlen, "identity is empty");
		return IKE_E_SYNTAX;
	}
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++) {
		size_t pl = strlen(prefixes[i].prefix);
		const char *rest = s + pl;

		if (strncasecmp(s, prefixes[i].prefix, pl))
			continue;
		switch (prefixes[i].type) {
		case IKE_ID_IPV4_ADDR:
			return set_addr(id, AF_INET, rest, s, err, errlen);
		case IKE_ID_IPV6_ADDR:
			return set_addr(id, AF_INET6, rest, s, err, errlen);
		case IKE_ID_KEY_ID:
			return set_keyid(id, rest, s, err, errlen);
		case IKE_ID_DER_ASN1_DN:
			break;
		default:
			return set_text(id, prefixes[i].type, rest, s, err,
					errlen);
		}
	}
	if (inet_pton(AF_INET, s, tmp) == 1)
		return set_addr(id, AF_INET, s, s, err, errlen);
	if (inet_pton(AF_INET6, s, tmp) == 1)
		return set_addr(id, AF_INET6, s, s, err, errlen);
	if (strchr(s, '=') || !strncasecmp(s, "asn1dn:", 7)) {
		snprintf(err, errlen, "identity '%s': distinguished names (certificates) are not supported, use a PSK identity", s);
		return IKE_E_UNSUPPORTED;
	}
	if (s[0] == '@' && s[1] == '#')
		return set_keyid(id, s + 1, s, err, errlen);
	if (s[0] == '@')
		return set_text(id, IKE_ID_FQDN, s + 1, s, err, errlen);
	if (strchr(s, '@'))
		return set_text(id, IKE_ID_RFC822_ADDR, s, s, err, errlen);
	if (strchr(s, ':')) {
		snprintf(err, errlen, "identity '%s' has an unknown type prefix or is not a valid address", s);
		return IKE_E_SYNTAX;
	}
	return set_text(id, IKE_ID_FQDN, s, s, err, errlen);
}

bool ike_identity_matches(const struct ike_identity *id, uint8_t type,
			  const uint8_t *data, size_t len)
{
	if (id->type != type || id->len != len)
		return false;
	if (type == IKE_ID_FQDN || type == IKE_ID_RFC822_ADDR) {
		/* Domain names compare case-insensitively. */
		for (size_t i = 0; i < len; i++)
			if (tolower(id->data[i]) != tolower(data[i]))
				return false;
		return true;
	}
	return memcmp(id->data, data, len) == 0;
}

void ike_identity_format(uint8_t type, const uint8_t *data, size_t len,
			 char *buf, size_t buflen)
{
	char addr[INET6_ADDRSTRLEN];
	size_t off;

	switch (type) {
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		if ((type == IKE_ID_IPV4_ADDR && len == 4) ||
		    (type == IKE_ID_IPV6_ADDR && len == 16)) {
			inet_ntop(type == IKE_ID_IPV4_ADDR ? AF_INET : AF_INET6,
				  data, addr, sizeof(addr));
			snprintf(buf, buflen, "%s", addr);
			return;
		}
		break;
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		off = (size_t)snprintf(buf, buflen, "%s",
				       type == IKE_ID_FQDN ? "fqdn:" : "email:");
		if (off >= buflen)
			return;
		for (size_t i = 0; i < len && off + 1 < buflen; i++)
			buf[off++] = isprint(data[i]) ? (char)data[i] : '?';
		if (off < buflen)
			buf[off] = '\0';
		return;
	}
	off = (size_t)snprintf(buf, buflen, "%s",
			       type == IKE_ID_KEY_ID ? "keyid:#" : "id?:#");
	if (off >= buflen)
		return;
	for (size_t i = 0; i < len && off + 3 < buflen; i++)
		off += (size_t)snprintf(buf + off, buflen - off, "%02x",
					data[i]);
}
