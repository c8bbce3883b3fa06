// SPDX-License-Identifier: GPL-2.0-or-later
/* Typed IKEv2 payload bodies (RFC 7296 3.3 - 3.11). */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "payloads.h"

#define PROP_HDR_LEN	8
#define TRANS_HDR_LEN	8
#define ATTR_HDR_LEN	4

static int transform_parse(const uint8_t *p, size_t len,
			   struct ike_transform *t)
{
	size_t off = TRANS_HDR_LEN;

	memset(t, 0, sizeof(*t));
	t->type = p[4];
	t->id = ike_get16(p + 6);
	while (off < len) {
		uint16_t at;
		size_t alen;

		if (len - off < ATTR_HDR_LEN)
			return IKE_E_TRUNCATED;
		at = ike_get16(p + off);
		if (at & IKE_ATTR_TV) {
			if ((at & ~IKE_ATTR_TV) == IKE_ATTR_KEY_LENGTH)
				t->keylen = ike_get16(p + off + 2);
			else
				t->unknown_attr = true;
			off += ATTR_HDR_LEN;
			continue;
		}
		alen = ike_get16(p + off + 2);
		if (alen > len - off - ATTR_HDR_LEN)
			return IKE_E_TRUNCATED;
		/* No TLV attribute is defined for IKE transforms (3.3.5). */
		t->unknown_attr = true;
		off += ATTR_HDR_LEN + alen;
	}
	return IKE_OK;
}

static int proposal_parse(const uint8_t *p, size_t len,
			  struct ike_proposal *prop)
{
	size_t off, ntrans;

	if (len < PROP_HDR_LEN)
		return IKE_E_TRUNCATED;
	memset(prop, 0, sizeof(*prop));
	prop->num = p[4];
	prop->proto = p[5];
	prop->spi_size = p[6];
	ntrans = p[7];
	if (prop->spi_size > sizeof(prop->spi))
		return IKE_E_SYNTAX;
	if (len - PROP_HDR_LEN < prop->spi_size)
		return IKE_E_TRUNCATED;
	memcpy(prop->spi, p + PROP_HDR_LEN, prop->spi_size);
	off = PROP_HDR_LEN + prop->spi_size;
	if (ntrans > IKE_MAX_TRANSFORMS)
		return IKE_E_TOO_MANY;
	for (size_t i = 0; i < ntrans; i++) {
		size_t tlen;
		uint8_t last;
		int err;

		err = ike_item_len(p + off, len - off, TRANS_HDR_LEN, &tlen);
		if (err)
			return err;
		last = p[off];
		if (last != (i + 1 == ntrans ? IKE_LAST_TRANSFORM :
					      IKE_MORE_TRANSFORMS))
			return IKE_E_SYNTAX;
		err = transform_parse(p + off, tlen, &prop->t[i]);
		if (err)
			return err;
		off += tlen;
	}
	prop->ntrans = ntrans;
	/* The transform count must account for the whole proposal. */
	if (off != len)
		return IKE_E_LENGTH;
	return IKE_OK;
}

int ike_sa_parse(const uint8_t *body, size_t len, struct ike_sa_payload *sa)
{
	size_t off = 0;
	bool last = false;

	sa->nprop = 0;
	while (!last) {
		size_t plen;
		int err;

		if (len - off < PROP_HDR_LEN)
			return IKE_E_TRUNCATED;
		if (body[off] == IKE_LAST_PROPOSAL)
			last = true;
		else if (body[off] != IKE_MORE_PROPOSALS)
			return IKE_E_SYNTAX;
		err = ike_item_len(body + off, len - off, PROP_HDR_LEN, &plen);
		if (err)
			return err;
		if (sa->nprop == IKE_MAX_PROPOSALS)
			return IKE_E_TOO_MANY;
		err = proposal_parse(body + off, plen, &sa->prop[sa->nprop]);
		if (err)
			return err;
		sa->nprop++;
		off += plen;
	}
	if (off != len)
		return IKE_E_LENGTH;
	return IKE_OK;
}

void ike_sa_write(struct ike_builder *b, const struct ike_sa_payload *sa)
{
	ike_builder_begin(b, IKE_PL_SA);
	for (size_t i = 0; i < sa->nprop; i++) {
		const struct ike_proposal *p = &sa->prop[i];
		size_t pstart = b->len;

		ike_builder_u8(b, i + 1 == sa->nprop ? IKE_LAST_PROPOSAL :
						       IKE_MORE_PROPOSALS);
		ike_builder_u8(b, 0);
		ike_builder_u16(b, 0);	/* patched below */
		ike_builder_u8(b, p->num);
		ike_builder_u8(b, p->proto);
		ike_builder_u8(b, p->spi_size);
		ike_builder_u8(b, (uint8_t)p->ntrans);
		ike_builder_put(b, p->spi, p->spi_size);
		for (size_t j = 0; j < p->ntrans; j++) {
			const struct ike_transform *t = &p->t[j];
			uint16_t tlen = TRANS_HDR_LEN +
					(t->keylen ? ATTR_HDR_LEN : 0);

			ike_builder_u8(b, j + 1 == p->ntrans ?
					  IKE_LAST_TRANSFORM :
					  IKE_MORE_TRANSFORMS);
			ike_builder_u8(b, 0);
			ike_builder_u16(b, tlen);
			ike_builder_u8(b, t->type);
			ike_builder_u8(b, 0);
			ike_builder_u16(b, t->id);
			if (t->keylen) {
				ike_builder_u16(b, IKE_ATTR_TV |
						   IKE_ATTR_KEY_LENGTH);
				ike_builder_u16(b, t->keylen);
			}
		}
		if (!b->overflow)
			ike_put16(b->buf + pstart + 2,
				  (uint16_t)(b->len - pstart));
	}
	ike_builder_end(b);
}

int ike_ke_parse(const uint8_t *body, size_t len, struct ike_ke *ke)
{
	if (len < 4)
		return IKE_E_TRUNCATED;
	ke->group = ike_get16(body);
	ke->data = body + 4;
	ke->len = len - 4;
	if (ke->len == 0)
		return IKE_E_SYNTAX;
	return IKE_OK;
}

void ike_ke_write(struct ike_builder *b, uint16_t group,
		  const uint8_t *data, size_t len)
{
	ike_builder_begin(b, IKE_PL_KE);
	ike_builder_u16(b, group);
	ike_builder_u16(b, 0);
	ike_builder_put(b, data, len);
	ike_builder_end(b);
}

int ike_nonce_parse(const uint8_t *body, size_t len)
{
	(void)body;
	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
		return IKE_E_LENGTH;
	return IKE_OK;
}

void ike_nonce_write(struct ike_builder *b, const uint8_t *n, size_t len)
{
	ike_builder_payload(b, IKE_PL_NONCE, n, len);
}

/* ID and AUTH bodies: a type, 3 reserved bytes, data that is not empty. */
static int typed_parse(const uint8_t *body, size_t len,
		       struct ike_typed_data *td)
{
	if (len < 4)
		return IKE_E_TRUNCATED;
	td->type = body[0];
	td->data = body + 4;
	td->len = len - 4;
	return td->len ? IKE_OK : IKE_E_SYNTAX;
}

int ike_id_payload_parse(const uint8_t *body, size_t len,
			 struct ike_typed_data *id)
{
	int err = typed_parse(body, len, id);

	if (err)
		return err;
	if (id->type == IKE_ID_IPV4_ADDR && id->len != 4)
		return IKE_E_LENGTH;
	if (id->type == IKE_ID_IPV6_ADDR && id->len != 16)
		return IKE_E_LENGTH;
	return IKE_OK;
}

int ike_auth_payload_parse(const uint8_t *body, size_t len,
			   struct ike_typed_data *auth)
{
	return typed_parse(body, len, auth);
}

void ike_typed_write(struct ike_builder *b, uint8_t pl_type, uint8_t type,
		     const uint8_t *data, size_t len)
{
	ike_builder_begin(b, pl_type);
	ike_builder_u8(b, type);
	ike_builder_u8(b, 0);
	ike_builder_u16(b, 0);
	ike_builder_put(b, data, len);
	ike_builder_end(b);
}

int ike_notify_parse(const uint8_t *body, size_t len, struct ike_notify *n)
{
	if (len < 4)
		return IKE_E_TRUNCATED;
	ike_spi_head_read(body, &n->proto, &n->spi_size, &n->type);
	if (n->spi_size > len - 4)
		return IKE_E_TRUNCATED;
	n->spi = body + 4;
	n->data = body + 4 + n->spi_size;
	n->data_len = len - 4 - n->spi_size;
	return IKE_OK;
}

void ike_notify_write(struct ike_builder *b, uint8_t proto,
		      const uint8_t *spi, uint8_t spi_size, uint16_t type,
		      const uint8_t *data, size_t len)
{
	ike_builder_begin(b, IKE_PL_NOTIFY);
	ike_builder_spi_head(b, proto, spi_size, type);
	ike_builder_put(b, spi, spi_size);
	ike_builder_put(b, data, len);
	ike_builder_end(b);
}

int ike_delete_parse(const uint8_t *body, size_t len, struct ike_delete *d)
{
	if (len < 4)
		return IKE_E_TRUNCATED;
	ike_spi_head_read(body, &d->proto, &d->spi_size, &d->nspi);
	d->spis = body + 4;
	/* Exactly nspi SPIs of spi_size bytes must follow (3.11). */
	if ((size_t)d->spi_size * d->nspi != len - 4)
		return IKE_E_LENGTH;
	if (d->proto == IKE_PROTO_IKE && (d->spi_size || d->nspi))
		return IKE_E_SYNTAX;
	return IKE_OK;
}

void ike_delete_write(struct ike_builder *b, uint8_t proto, uint8_t spi_size,
		      const uint8_t *spis, uint16_t nspi)
{
	ike_builder_begin(b, IKE_PL_DELETE);
	ike_builder_spi_head(b, proto, spi_size, nspi);
	ike_builder_put(b, spis, (size_t)spi_size * nspi);
	ike_builder_end(b);
}

const char *ike_notify_name(uint16_t type, char *buf, size_t len)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
		{ IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD,
		  "UNSUPPORTED_CRITICAL_PAYLOAD" },
		{ IKE_N_INVALID_IKE_SPI, "INVALID_IKE_SPI" },
		{ IKE_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION" },
		{ IKE_N_INVALID_SYNTAX, "INVALID_SYNTAX" },
		{ IKE_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID" },
		{ IKE_N_INVALID_SPI, "INVALID_SPI" },
		{ IKE_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN" },
		{ IKE_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD" },
		{ IKE_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED" },
		{ IKE_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED" },
		{ IKE_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS" },
		{ IKE_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE" },
		{ IKE_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED" },
		{ IKE_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE" },
		{ IKE_N_INVALID_SELECTORS, "INVALID_SELECTORS" },
		{ IKE_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE" },
		{ IKE_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND" },
		{ IKE_N_INITIAL_CONTACT, "INITIAL_CONTACT" },
		{ IKE_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP" },
		{ IKE_N_NAT_DETECTION_DESTINATION_IP,
		  "NAT_DETECTION_DESTINATION_IP" },
		{ IKE_N_COOKIE, "COOKIE" },
		{ IKE_N_CHILDLESS_IKEV2_SUPPORTED,
		  "CHILDLESS_IKEV2_SUPPORTED" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	snprintf(buf, len, "NOTIFY(%u)", type);
	return buf;
}
