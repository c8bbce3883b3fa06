/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed IKEv2 payload bodies (RFC 7296 3.3 - 3.11): parsers that check
 * every length and count against the bytes present, and writers that
 * append a payload to an ike_builder.
 */
#ifndef SPIREC_IKE_PAYLOADS_H
#define SPIREC_IKE_PAYLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"

#define IKE_MAX_PROPOSALS	16
#define IKE_MAX_TRANSFORMS	32

struct ike_transform {
	uint8_t type;
	uint16_t id;
	uint16_t keylen;	/* Key Length attribute in bits, 0 if absent */
	bool unknown_attr;	/* an attribute we do not understand */
};

struct ike_proposal {
	uint8_t num;
	uint8_t proto;
	uint8_t spi_size;
	uint8_t spi[8];
	size_t ntrans;
	struct ike_transform t[IKE_MAX_TRANSFORMS];
};

struct ike_sa_payload {
	size_t nprop;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
};

int ike_sa_parse(const uint8_t *body, size_t len, struct ike_sa_payload *sa);
void ike_sa_write(struct ike_builder *b, const struct ike_sa_payload *sa);

struct ike_ke {
	uint16_t group;
	const uint8_t *data;
	size_t len;
};

int ike_ke_parse(const uint8_t *body, size_t len, struct ike_ke *ke);
void ike_ke_write(struct ike_builder *b, uint16_t group,
		  const uint8_t *data, size_t len);

/* Nonce (3.9): 16 to 256 bytes. */
int ike_nonce_parse(const uint8_t *body, size_t len);
void ike_nonce_write(struct ike_builder *b, const uint8_t *n, size_t len);

/* IDi/IDr (3.5) and AUTH (3.8) share the shape type(1) RESERVED(3) data. */
struct ike_typed_data {
	uint8_t type;
	const uint8_t *data;
	size_t len;
};

int ike_id_payload_parse(const uint8_t *body, size_t len,
			 struct ike_typed_data *id);
int ike_auth_payload_parse(const uint8_t *body, size_t len,
			   struct ike_typed_data *auth);
void ike_typed_write(struct ike_builder *b, uint8_t pl_type, uint8_t type,
		     const uint8_t *data, size_t len);

struct ike_notify {
	uint8_t proto;
	uint8_t spi_size;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t data_len;
};

int ike_notify_parse(const uint8_t *body, size_t len, struct ike_notify *n);
void ike_notify_write(struct ike_builder *b, uint8_t proto,
		      const uint8_t *spi, uint8_t spi_size, uint16_t type,
		      const uint8_t *data, size_t len);

struct ike_delete {
	uint8_t proto;
	uint8_t spi_size;
	uint16_t nspi;
	const uint8_t *spis;
};

int ike_delete_parse(const uint8_t *body, size_t len, struct ike_delete *d);
void ike_delete_write(struct ike_builder *b, uint8_t proto, uint8_t spi_size,
		      const uint8_t *spis, uint16_t nspi);

/* Human-readable notify type ("AUTHENTICATION_FAILED", or "NOTIFY(n)"). */
const char *ike_notify_name(uint16_t type, char *buf, size_t len);

#endif
