/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKE identities written the way swanctl.conf writes them: an IPv4 or
 * IPv6 address, an FQDN ("vpn.example.org", "@vpn.example.org"), an
 * email address ("user@example.org"), a key id ("keyid:text" or
 * "keyid:#0123abcd"), or an explicit "ipv4:", "ipv6:", "fqdn:",
 * "email:"/"rfc822:" prefix.
 */
#ifndef SPIREC_IKE_IDENTITY_H
#define SPIREC_IKE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_ID_MAX 255

struct ike_identity {
	uint8_t type;		/* IKE_ID_* */
	size_t len;
	uint8_t data[IKE_ID_MAX];
};

/* Returns IKE_OK or a negative enum ike_err with a message in @err. */
int ike_identity_parse(const char *s, struct ike_identity *id,
		       char *err, size_t errlen);
bool ike_identity_matches(const struct ike_identity *id, uint8_t type,
			  const uint8_t *data, size_t len);
/* Printable form for logs ("fqdn:vpn.example.org", "keyid:#00ff"). */
void ike_identity_format(uint8_t type, const uint8_t *data, size_t len,
			 char *buf, size_t buflen);

#endif
