/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISAKMP messages (RFC 2408 3): the header (version 1.0), the chain of
 * generic payloads (no critical bit; a decrypted chain may be followed
 * by padding), the phase-1 SA payload we offer and the one the
 * responder chose, Notification and Delete payloads, ID payload bodies.
 * Parsing never copies; every length is checked against the bytes there.
 */
#ifndef SPIREC_IKE_V1_CODEC_H
#define SPIREC_IKE_V1_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "identity.h"
#include "v1_suite.h"

/* Version 1.x, Length == @len. IKE_OK or a negative enum ike_err. */
int ike_v1_header_parse(const uint8_t *buf, size_t len, struct ike_header *h);
/* Start a message: ike_builder_init_msg() with version 1.0. */
void ike_v1_builder_init(struct ike_builder *b, const struct ike_header *h);

/* True for the payload types RFC 2408 and RFC 3947 define. */
bool ike_v1_payload_type_known(uint8_t type);

/*
 * Walk a payload chain starting with type @first over @len bytes. With
 * @padded (a decrypted body) bytes after the last payload are padding
 * and ignored; otherwise the chain must end exactly at @len. Unknown
 * types are skipped (counted in @out->skipped).
 */
int ike_v1_payloads_parse(uint8_t first, const uint8_t *buf, size_t len,
			  bool padded, struct ike_payload_list *out);

#define IKE_V1_MAX_TRANSFORMS 64

struct ike_v1_proposals {
	struct ike_v1_suite t[IKE_V1_MAX_TRANSFORMS];
	size_t n;
};

/*
 * Body of our SA payload (DOI IPsec, SIT_IDENTITY_ONLY, one ISAKMP
 * proposal with one KEY_IKE transform per suite, PSK, lifetime
 * @life_s seconds) into @out. Returns its length, 0 if it does not fit.
 */
size_t ike_v1_sa_build(const struct ike_v1_proposals *p, uint32_t life_s,
		       uint8_t *out, size_t cap);

/*
 * The responder's SA payload body: DOI IPsec, one proposal of protocol
 * ISAKMP, exactly one KEY_IKE transform, PSK authentication, whose
 * algorithms are one of @offered. Fills @chosen; on error a message in
 * @err.
 */
int ike_v1_sa_parse(const uint8_t *body, size_t len,
		    const struct ike_v1_proposals *offered,
		    struct ike_v1_suite *chosen, char *err, size_t errlen);

struct ike_v1_notify {
	uint32_t doi;
	uint8_t proto;
	uint16_t type;
	const uint8_t *spi;
	size_t spi_len;
	const uint8_t *data;
	size_t data_len;
};

int ike_v1_notify_parse(const uint8_t *body, size_t len,
			struct ike_v1_notify *n);

struct ike_v1_delete {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t nspis;
	const uint8_t *spis;	/* nspis * spi_size bytes */
};

int ike_v1_delete_parse(const uint8_t *body, size_t len,
			struct ike_v1_delete *d);

/* Append a Notification payload (DOI IPsec) / a Delete payload with one
 * SPI to @b. */
void ike_v1_put_notify(struct ike_builder *b, uint8_t proto, uint16_t type,
		       const uint8_t *spi, size_t spi_len);
void ike_v1_put_delete(struct ike_builder *b, uint8_t proto,
		       const uint8_t *spi, size_t spi_len);

/* ID payload body for @id: type, protocol 0, port 0, data. Returns the
 * length (4 + data). @out needs 4 + IKE_ID_MAX bytes. */
size_t ike_v1_id_body(const struct ike_identity *id, uint8_t *out);

/* "NO-PROPOSAL-CHOSEN" or the number. */
const char *ike_v1_notify_name(uint16_t type, char *buf, size_t len);

#endif
