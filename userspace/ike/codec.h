/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv2 message codec (RFC 7296 3.1, 3.2): the fixed header, the chain of
 * generic payloads, and a bounded builder for outgoing messages.
 *
 * Parsing never copies: payloads point into the caller's buffer, which
 * must outlive them. Every length from the network is checked against
 * the bytes that are really there.
 */
#ifndef SPIREC_IKE_CODEC_H
#define SPIREC_IKE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

static inline uint16_t ike_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t ike_get64(const uint8_t *p)
{
	return (uint64_t)ike_get32(p) << 32 | ike_get32(p + 4);
}

static inline void ike_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ike_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void ike_put64(uint8_t *p, uint64_t v)
{
	ike_put32(p, (uint32_t)(v >> 32));
	ike_put32(p + 4, (uint32_t)v);
}

struct ike_header {
	uint64_t spi_i;
	uint64_t spi_r;
	uint8_t next;		/* first payload type */
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;	/* whole message, header included */
};

/*
 * Parse the header of a datagram of @len bytes. Checks the major version
 * and that the Length field equals @len (RFC 7296 3.1: the datagram is
 * one message). Returns IKE_OK or a negative enum ike_err.
 */
int ike_header_parse(const uint8_t *buf, size_t len, struct ike_header *h);
/* The same for the given major version (1: ISAKMP, IKEv1). */
int ike_header_parse_major(const uint8_t *buf, size_t len,
			   struct ike_header *h, unsigned int major);
void ike_header_write(uint8_t *out, const struct ike_header *h);

/* One payload of a chain; body excludes the 4-byte generic header. */
struct ike_payload {
	uint8_t type;
	bool critical;
	const uint8_t *body;
	size_t len;
};

#define IKE_MAX_PAYLOADS 32

struct ike_payload_list {
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	size_t n;
	size_t skipped;		/* unknown non-critical payloads skipped */
	/*
	 * When the chain ends in an Encrypted (SK) payload: its next-payload
	 * field (the first inner payload type) and the offset of its body
	 * (the IV) from the start of @buf given to ike_payloads_parse().
	 */
	bool has_sk;
	uint8_t sk_first;
	size_t sk_body_off;
	uint8_t bad_critical;	/* type that caused IKE_E_CRITICAL */
};

/* True for the payload types this implementation understands (3.2). */
bool ike_payload_type_known(uint8_t type);

/*
 * Walk a chain of payloads starting with type @first over @len bytes.
 * The chain must end exactly at @len. An SK payload must be the last one.
 * Unknown payloads without the critical bit are skipped; with it, the
 * parse fails with IKE_E_CRITICAL and @out->bad_critical set (RFC 7296
 * 2.5). @out is filled even on failure up to the failing payload.
 */
int ike_payloads_parse(uint8_t first, const uint8_t *buf, size_t len,
		       struct ike_payload_list *out);

/*
 * Length of the item of a chain (payload, proposal, transform) at @p,
 * @avail bytes left: its 16-bit length at @p + 2, at least @hdr_len (the
 * item's fixed header) and at most @avail. IKE_OK with *len set, or
 * IKE_E_TRUNCATED or IKE_E_LENGTH.
 */
int ike_item_len(const uint8_t *p, size_t avail, size_t hdr_len,
		 size_t *len);

/* First payload of @type in @l, or NULL. */
const struct ike_payload *ike_payload_find(const struct ike_payload_list *l,
					   uint8_t type);

/*
 * Builder for outgoing messages or inner payload chains. Writes past the
 * capacity set the error flag; ike_builder_error() must be checked once
 * at the end.
 */
#define IKE_MSG_MAX 4096

struct ike_builder {
	uint8_t buf[IKE_MSG_MAX];
	size_t len;
	size_t next_off;	/* where to patch the next-payload type */
	bool has_next;
	bool overflow;
	size_t payload_start;
};

/* Start a full message: the header is written with length 0. */
void ike_builder_init_msg(struct ike_builder *b, const struct ike_header *h);
/* Start an inner payload chain (plaintext of an SK payload). */
void ike_builder_init_chain(struct ike_builder *b);
/* First payload type of an inner chain (0 if empty). */
uint8_t ike_builder_first_type(const struct ike_builder *b);
/* Begin a payload: links it into the chain and writes its header. */
void ike_builder_begin(struct ike_builder *b, uint8_t type);
void ike_builder_put(struct ike_builder *b, const void *data, size_t len);
void ike_builder_u8(struct ike_builder *b, uint8_t v);
void ike_builder_u16(struct ike_builder *b, uint16_t v);
void ike_builder_u32(struct ike_builder *b, uint32_t v);
/* Pointer to @len bytes reserved at the end (NULL on overflow). */
uint8_t *ike_builder_reserve(struct ike_builder *b, size_t len);
/* End the current payload: patches its length field. */
void ike_builder_end(struct ike_builder *b);
/*
 * Protocol ID, SPI size and a 16-bit field (Notify type, number of
 * SPIs): how Notify and Delete bodies start (IKEv1's after the DOI).
 */
void ike_builder_spi_head(struct ike_builder *b, uint8_t proto,
			  uint8_t spi_size, uint16_t field);
/* Read what ike_builder_spi_head() writes, at @p. */
void ike_spi_head_read(const uint8_t *p, uint8_t *proto, uint8_t *spi_size,
		       uint16_t *field);
/* A whole payload of @type whose body is @data. */
void ike_builder_payload(struct ike_builder *b, uint8_t type,
			 const void *data, size_t len);
/* Message: patch the header's Length. Returns IKE_OK or IKE_E_SPACE. */
int ike_builder_finish(struct ike_builder *b);

#endif
