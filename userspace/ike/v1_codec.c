// SPDX-License-Identifier: GPL-2.0-or-later
/* ISAKMP header, payload chain, phase-1 SA, N, D and ID (RFC 2408). */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "payloads.h"
#include "v1_codec.h"
#include "v1_proto.h"

int ike_v1_header_parse(const uint8_t *buf, size_t len, struct ike_header *h)
{
	return ike_header_parse_major(buf, len, h, 1);
}

void ike_v1_builder_init(struct ike_builder *b, const struct ike_header *h)
{
	ike_builder_init_msg(b, h);
	b->buf[17] = IKE_V1_VERSION;
}

bool ike_v1_payload_type_known(uint8_t type)
{
	return (type >= IKE_V1_PL_SA && type <= IKE_V1_PL_VID) ||
	       type == IKE_V1_PL_NATD || type == IKE_V1_PL_NATOA;
}

int ike_v1_payloads_parse(uint8_t first, const uint8_t *buf, size_t len,
			  bool padded, struct ike_payload_list *out)
{
	uint8_t type = first;
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	while (type != IKE_V1_PL_NONE) {
		size_t plen;
		int err = ike_item_len(buf + off, len - off, IKE_GEN_HDR_LEN,
				       &plen);

		if (err)
			return err;
		if (ike_v1_payload_type_known(type)) {
			if (out->n == IKE_MAX_PAYLOADS)
				return IKE_E_TOO_MANY;
			out->pl[out->n++] = (struct ike_payload){
				.type = type,
				.body = buf + off + IKE_GEN_HDR_LEN,
				.len = plen - IKE_GEN_HDR_LEN,
			};
		} else {
			out->skipped++;
		}
		type = buf[off];	/* the next payload's */
		off += plen;
	}
	if (off != len && !padded)
		return IKE_E_LENGTH;
	return IKE_OK;
}

/* Basic (TV) attribute. */
static size_t put_tv(uint8_t *p, uint16_t type, uint16_t val)
{
	ike_put16(p, (uint16_t)(0x8000 | type));
	ike_put16(p + 2, val);
	return 4;
}

size_t ike_v1_sa_build(const struct ike_v1_proposals *p, uint32_t life_s,
		       uint8_t *out, size_t cap)
{
	/* SA (8) + proposal (8) + per transform 8 + 8 attributes * 4 */
	size_t need = 16 + p->n * (8 + 8 * 4 + 4), off, prop_len;

	if (!p->n || p->n > IKE_V1_MAX_TRANSFORMS || need > cap)
		return 0;
	ike_put32(out, IKE_V1_DOI_IPSEC);
	ike_put32(out + 4, IKE_V1_SIT_IDENTITY_ONLY);
	/* Proposal #1: the only and last one. */
	out[8] = IKE_V1_PL_NONE;
	out[9] = 0;
	out[12] = 1;
	out[13] = IKE_V1_PROTO_ISAKMP;
	out[14] = 0;			/* SPI size */
	out[15] = (uint8_t)p->n;
	off = 16;
	for (size_t i = 0; i < p->n; i++) {
		const struct ike_v1_suite *s = &p->t[i];
		size_t start = off;

		out[off] = i + 1 < p->n ? IKE_V1_PL_T : IKE_V1_PL_NONE;
		out[off + 1] = 0;
		out[off + 4] = (uint8_t)(i + 1);
		out[off + 5] = IKE_V1_KEY_IKE;
		out[off + 6] = out[off + 7] = 0;
		off += 8;
		off += put_tv(out + off, IKE_V1_ATTR_ENCR, s->encr);
		if (s->encr == IKE_V1_ENCR_AES_CBC)
			off += put_tv(out + off, IKE_V1_ATTR_KEY_LENGTH,
				      s->keylen);
		off += put_tv(out + off, IKE_V1_ATTR_HASH, s->hash);
		off += put_tv(out + off, IKE_V1_ATTR_AUTH, IKE_V1_AUTH_PSK);
		off += put_tv(out + off, IKE_V1_ATTR_GROUP, s->group);
		off += put_tv(out + off, IKE_V1_ATTR_LIFE_TYPE,
			      IKE_V1_LIFE_SECONDS);
		if (life_s <= 0xffff) {
			off += put_tv(out + off, IKE_V1_ATTR_LIFE_DUR,
				      (uint16_t)life_s);
		} else {
			ike_put16(out + off, IKE_V1_ATTR_LIFE_DUR);
			ike_put16(out + off + 2, 4);
			ike_put32(out + off + 4, life_s);
			off += 8;
		}
		ike_put16(out + start + 2, (uint16_t)(off - start));
	}
	prop_len = off - 8;
	ike_put16(out + 10, (uint16_t)prop_len);
	return off;
}

static void seterr(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
}

/* Attributes of one transform into @s; life attributes are accepted
 * as they come (the peer may shorten the lifetime). */
static int parse_attrs(const uint8_t *p, size_t len, struct ike_v1_suite *s,
		       uint16_t *auth, char *err, size_t errlen)
{
	size_t off = 0;

	while (off < len) {
		uint16_t type, val;
		size_t alen;

		if (len - off < 4) {
			seterr(err, errlen, "truncated SA attribute");
			return IKE_E_TRUNCATED;
		}
		type = ike_get16(p + off);
		if (type & 0x8000) {
			val = ike_get16(p + off + 2);
			off += 4;
		} else {
			alen = ike_get16(p + off + 2);
			if (alen > len - off - 4) {
				seterr(err, errlen, "truncated SA attribute");
				return IKE_E_TRUNCATED;
			}
			off += 4 + alen;
			/* Only the lifetime may be variable length here. */
			if (type == IKE_V1_ATTR_LIFE_DUR)
				continue;
			snprintf(err, errlen, "unexpected variable-length SA attribute %u",
				 type);
			return IKE_E_SYNTAX;
		}
		switch (type & 0x7fff) {
		case IKE_V1_ATTR_ENCR: s->encr = val; break;
		case IKE_V1_ATTR_HASH: s->hash = val; break;
		case IKE_V1_ATTR_AUTH: *auth = val; break;
		case IKE_V1_ATTR_GROUP: s->group = val; break;
		case IKE_V1_ATTR_KEY_LENGTH: s->keylen = val; break;
		case IKE_V1_ATTR_LIFE_TYPE:
		case IKE_V1_ATTR_LIFE_DUR:
			break;
		default:
			snprintf(err, errlen, "unexpected SA attribute %u",
				 type & 0x7fff);
			return IKE_E_SYNTAX;
		}
	}
	return IKE_OK;
}

int ike_v1_sa_parse(const uint8_t *body, size_t len,
		    const struct ike_v1_proposals *offered,
		    struct ike_v1_suite *chosen, char *err, size_t errlen)
{
	const uint8_t *prop, *tr;
	size_t plen, tlen, spi;
	struct ike_v1_suite s = { 0 };
	uint16_t auth = 0;
	int rc;

	if (len < 8 + 8) {
		seterr(err, errlen, "SA payload too short");
		return IKE_E_TRUNCATED;
	}
	if (ike_get32(body) != IKE_V1_DOI_IPSEC) {
		seterr(err, errlen, "SA payload: DOI is not IPsec");
		return IKE_E_SYNTAX;
	}
	prop = body + 8;
	plen = ike_get16(prop + 2);
	if (plen < 8 || plen > len - 8) {
		seterr(err, errlen, "SA payload: bad proposal length");
		return IKE_E_LENGTH;
	}
	if (prop[0] != IKE_V1_PL_NONE || plen != len - 8) {
		seterr(err, errlen, "responder chose more than one proposal");
		return IKE_E_SYNTAX;
	}
	if (prop[5] != IKE_V1_PROTO_ISAKMP) {
		seterr(err, errlen, "responder's proposal is not for ISAKMP");
		return IKE_E_SYNTAX;
	}
	spi = prop[6];
	if (prop[7] != 1) {
		seterr(err, errlen, "responder chose other than one transform");
		return IKE_E_SYNTAX;
	}
	if (8 + spi + 8 > plen) {
		seterr(err, errlen, "SA payload: truncated transform");
		return IKE_E_TRUNCATED;
	}
	tr = prop + 8 + spi;
	tlen = ike_get16(tr + 2);
	if (tlen < 8 || tlen != plen - 8 - spi || tr[0] != IKE_V1_PL_NONE) {
		seterr(err, errlen, "SA payload: bad transform length");
		return IKE_E_LENGTH;
	}
	if (tr[5] != IKE_V1_KEY_IKE) {
		seterr(err, errlen, "responder's transform is not KEY_IKE");
		return IKE_E_SYNTAX;
	}
	rc = parse_attrs(tr + 8, tlen - 8, &s, &auth, err, errlen);
	if (rc)
		return rc;
	if (auth != IKE_V1_AUTH_PSK) {
		snprintf(err, errlen, "responder chose authentication method %u, not PSK",
			 auth);
		return IKE_E_SYNTAX;
	}
	/* 3DES has a fixed key length; some peers still send it. */
	if (s.encr == IKE_V1_ENCR_3DES_CBC)
		s.keylen = 0;
	for (size_t i = 0; i < offered->n; i++) {
		const struct ike_v1_suite *o = &offered->t[i];

		if (o->encr == s.encr && o->keylen == s.keylen &&
		    o->hash == s.hash && o->group == s.group) {
			*chosen = s;
			return IKE_OK;
		}
	}
	snprintf(err, errlen, "responder chose a transform we did not offer (encr %u/%u, hash %u, group %u)",
		 s.encr, s.keylen, s.hash, s.group);
	return IKE_E_SYNTAX;
}

int ike_v1_notify_parse(const uint8_t *body, size_t len,
			struct ike_v1_notify *n)
{
	struct ike_notify v2;	/* IKEv2's layout, after the DOI */
	int err;

	if (len < 8)
		return IKE_E_TRUNCATED;
	err = ike_notify_parse(body + 4, len - 4, &v2);
	if (err)
		return err;
	*n = (struct ike_v1_notify){
		.doi = ike_get32(body), .proto = v2.proto, .type = v2.type,
		.spi = v2.spi, .spi_len = v2.spi_size,
		.data = v2.data, .data_len = v2.data_len,
	};
	return IKE_OK;
}

int ike_v1_delete_parse(const uint8_t *body, size_t len,
			struct ike_v1_delete *d)
{
	if (len < 8)
		return IKE_E_TRUNCATED;
	d->doi = ike_get32(body);
	ike_spi_head_read(body + 4, &d->proto, &d->spi_size, &d->nspis);
	if ((size_t)d->spi_size * d->nspis != len - 8)
		return IKE_E_LENGTH;
	d->spis = body + 8;
	return IKE_OK;
}

void ike_v1_put_notify(struct ike_builder *b, uint8_t proto, uint16_t type,
		       const uint8_t *spi, size_t spi_len)
{
	ike_builder_begin(b, IKE_V1_PL_N);
	ike_builder_u32(b, IKE_V1_DOI_IPSEC);
	ike_builder_spi_head(b, proto, (uint8_t)spi_len, type);
	ike_builder_put(b, spi, spi_len);
	ike_builder_end(b);
}

void ike_v1_put_delete(struct ike_builder *b, uint8_t proto,
		       const uint8_t *spi, size_t spi_len)
{
	ike_builder_begin(b, IKE_V1_PL_D);
	ike_builder_u32(b, IKE_V1_DOI_IPSEC);
	ike_builder_spi_head(b, proto, (uint8_t)spi_len, 1);
	ike_builder_put(b, spi, spi_len);
	ike_builder_end(b);
}

size_t ike_v1_id_body(const struct ike_identity *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = 0;
	out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return 4 + id->len;
}

const char *ike_v1_notify_name(uint16_t type, char *buf, size_t len)
{
	static const struct { uint16_t t; const char *n; } names[] = {
		{ IKE_V1_N_INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE" },
		{ IKE_V1_N_INVALID_SPI, "INVALID-SPI" },
		{ IKE_V1_N_NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN" },
		{ IKE_V1_N_PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED" },
		{ IKE_V1_N_INVALID_KEY_INFO, "INVALID-KEY-INFORMATION" },
		{ IKE_V1_N_INVALID_ID_INFO, "INVALID-ID-INFORMATION" },
		{ IKE_V1_N_INVALID_HASH_INFO, "INVALID-HASH-INFORMATION" },
		{ IKE_V1_N_AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED" },
		{ IKE_V1_N_INITIAL_CONTACT, "INITIAL-CONTACT" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].t == type)
			return names[i].n;
	snprintf(buf, len, "notify %u", type);
	return buf;
}
