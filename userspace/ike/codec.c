// SPDX-License-Identifier: GPL-2.0-or-later
/* IKEv2 header and generic payload chain (RFC 7296 3.1, 3.2). */
#include <string.h>

#include "codec.h"
#include "err.h"

int ike_header_parse(const uint8_t *buf, size_t len, struct ike_header *h)
{
	return ike_header_parse_major(buf, len, h, 2);
}

int ike_header_parse_major(const uint8_t *buf, size_t len,
			   struct ike_header *h, unsigned int major)
{
	if (len < IKE_HDR_LEN)
		return IKE_E_TRUNCATED;
	h->spi_i = ike_get64(buf);
	h->spi_r = ike_get64(buf + 8);
	h->next = buf[16];
	h->version = buf[17];
	h->exchange = buf[18];
	h->flags = buf[19];
	h->msg_id = ike_get32(buf + 20);
	h->length = ike_get32(buf + 24);
	if ((h->version >> 4) != major)
		return IKE_E_VERSION;
	if (h->length < IKE_HDR_LEN)
		return IKE_E_LENGTH;
	if (h->length > len)
		return IKE_E_TRUNCATED;
	if (h->length != len)
		return IKE_E_LENGTH;
	return IKE_OK;
}

void ike_header_write(uint8_t *out, const struct ike_header *h)
{
	ike_put64(out, h->spi_i);
	ike_put64(out + 8, h->spi_r);
	out[16] = h->next;
	out[17] = h->version;
	out[18] = h->exchange;
	out[19] = h->flags;
	ike_put32(out + 20, h->msg_id);
	ike_put32(out + 24, h->length);
}

bool ike_payload_type_known(uint8_t type)
{
	return (type >= IKE_PL_SA && type <= IKE_PL_EAP) || type == IKE_PL_SKF;
}

int ike_item_len(const uint8_t *p, size_t avail, size_t hdr_len,
		 size_t *len)
{
	if (avail < hdr_len)
		return IKE_E_TRUNCATED;
	*len = ike_get16(p + 2);
	if (*len < hdr_len)
		return IKE_E_LENGTH;
	if (*len > avail)
		return IKE_E_TRUNCATED;
	return IKE_OK;
}

int ike_payloads_parse(uint8_t first, const uint8_t *buf, size_t len,
		       struct ike_payload_list *out)
{
	uint8_t type = first;
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	while (type != IKE_PL_NONE) {
		uint8_t next;
		bool crit;
		size_t plen;
		int err;

		err = ike_item_len(buf + off, len - off, IKE_GEN_HDR_LEN,
				   &plen);
		if (err)
			return err;
		next = buf[off];
		crit = buf[off + 1] & IKE_CRITICAL;

		if (type == IKE_PL_SK || type == IKE_PL_SKF) {
			/* Encrypted payloads end the outer chain (3.14). */
			if (off + plen != len)
				return IKE_E_LENGTH;
			out->has_sk = true;
			out->sk_first = next;
			out->sk_body_off = off + IKE_GEN_HDR_LEN;
			next = IKE_PL_NONE;
		}
		if (ike_payload_type_known(type)) {
			if (out->n == IKE_MAX_PAYLOADS)
				return IKE_E_TOO_MANY;
			out->pl[out->n].type = type;
			out->pl[out->n].critical = crit;
			out->pl[out->n].body = buf + off + IKE_GEN_HDR_LEN;
			out->pl[out->n].len = plen - IKE_GEN_HDR_LEN;
			out->n++;
		} else if (crit) {
			out->bad_critical = type;
			return IKE_E_CRITICAL;
		} else {
			out->skipped++;
		}
		off += plen;
		type = next;
	}
	if (off != len)
		return IKE_E_LENGTH;
	return IKE_OK;
}

const struct ike_payload *ike_payload_find(const struct ike_payload_list *l,
					   uint8_t type)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->pl[i].type == type)
			return &l->pl[i];
	return NULL;
}

void ike_builder_init_msg(struct ike_builder *b, const struct ike_header *h)
{
	struct ike_header hh = *h;

	memset(b, 0, sizeof(*b));
	hh.next = IKE_PL_NONE;
	hh.length = 0;
	hh.version = IKE_VERSION;
	ike_header_write(b->buf, &hh);
	b->len = IKE_HDR_LEN;
	b->next_off = 16;
	b->has_next = true;
}

void ike_builder_init_chain(struct ike_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->has_next = false;
}

uint8_t ike_builder_first_type(const struct ike_builder *b)
{
	/* An inner chain remembers its first type in a spare slot. */
	return b->len ? b->buf[IKE_MSG_MAX - 1] : IKE_PL_NONE;
}

uint8_t *ike_builder_reserve(struct ike_builder *b, size_t len)
{
	uint8_t *p;

	/* The last byte is kept for ike_builder_first_type(). */
	if (b->overflow || len > IKE_MSG_MAX - 1 - b->len) {
		b->overflow = true;
		return NULL;
	}
	p = b->buf + b->len;
	b->len += len;
	return p;
}

void ike_builder_put(struct ike_builder *b, const void *data, size_t len)
{
	uint8_t *p = ike_builder_reserve(b, len);

	if (p && len)
		memcpy(p, data, len);
}

void ike_builder_u8(struct ike_builder *b, uint8_t v)
{
	ike_builder_put(b, &v, 1);
}

void ike_builder_u16(struct ike_builder *b, uint16_t v)
{
	uint8_t p[2];

	ike_put16(p, v);
	ike_builder_put(b, p, 2);
}

void ike_builder_u32(struct ike_builder *b, uint32_t v)
{
	uint8_t p[4];

	ike_put32(p, v);
	ike_builder_put(b, p, 4);
}

void ike_builder_begin(struct ike_builder *b, uint8_t type)
{
	size_t start = b->len;
	uint8_t *h;

	if (b->overflow)
		return;
	if (b->has_next)
		b->buf[b->next_off] = type;
	else
		b->buf[IKE_MSG_MAX - 1] = type;
	h = ike_builder_reserve(b, IKE_GEN_HDR_LEN);
	if (!h)
		return;
	memset(h, 0, IKE_GEN_HDR_LEN);
	b->next_off = start;
	b->has_next = true;
	b->payload_start = start;
}

void ike_builder_end(struct ike_builder *b)
{
	size_t plen = b->len - b->payload_start;

	if (b->overflow)
		return;
	if (plen > 0xffff) {
		b->overflow = true;
		return;
	}
	ike_put16(b->buf + b->payload_start + 2, (uint16_t)plen);
}

void ike_builder_spi_head(struct ike_builder *b, uint8_t proto,
			  uint8_t spi_size, uint16_t field)
{
	ike_builder_u8(b, proto);
	ike_builder_u8(b, spi_size);
	ike_builder_u16(b, field);
}

void ike_spi_head_read(const uint8_t *p, uint8_t *proto, uint8_t *spi_size,
		       uint16_t *field)
{
	*proto = p[0];
	*spi_size = p[1];
	*field = ike_get16(p + 2);
}

void ike_builder_payload(struct ike_builder *b, uint8_t type,
			 const void *data, size_t len)
{
	ike_builder_begin(b, type);
	ike_builder_put(b, data, len);
	ike_builder_end(b);
}

int ike_builder_finish(struct ike_builder *b)
{
	if (b->overflow)
		return IKE_E_SPACE;
	ike_put32(b->buf + 24, (uint32_t)b->len);
	return IKE_OK;
}
