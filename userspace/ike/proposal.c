// SPDX-License-Identifier: GPL-2.0-or-later
/* swanctl-style IKE proposal strings and proposal selection. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crypto_aead.h"
#include "err.h"
#include "proposal.h"
#include "proto.h"

struct keyword {
	const char *name;
	uint8_t type;
	uint16_t id;
	uint16_t keylen;
};

static const struct keyword keywords[] = {
	{ "aes", IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 128 },
	{ "aes128", IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 128 },
	{ "aes256", IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 256 },
	{ "aes128gcm16", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 128 },
	{ "aes128gcm128", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 128 },
	{ "aes256gcm16", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 256 },
	{ "aes256gcm128", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 256 },
	{ "sha256", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
	{ "sha2_256", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
	{ "sha384", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0 },
	{ "sha2_384", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0 },
	{ "sha512", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0 },
	{ "sha2_512", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0 },
	{ "prfsha256", IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
	{ "prfsha384", IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_384, 0 },
	{ "prfsha512", IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_512, 0 },
	{ "modp2048", IKE_TRANS_DH, IKE_DH_MODP2048, 0 },
	{ "modp3072", IKE_TRANS_DH, IKE_DH_MODP3072, 0 },
	{ "modp4096", IKE_TRANS_DH, IKE_DH_MODP4096, 0 },
	{ "ecp256", IKE_TRANS_DH, IKE_DH_ECP256, 0 },
	{ "ecp384", IKE_TRANS_DH, IKE_DH_ECP384, 0 },
	{ "ecp521", IKE_TRANS_DH, IKE_DH_ECP521, 0 },
	{ "curve25519", IKE_TRANS_DH, IKE_DH_CURVE25519, 0 },
	{ "x25519", IKE_TRANS_DH, IKE_DH_CURVE25519, 0 },
};

/* Keywords strongSwan knows that this implementation deliberately lacks. */
static const char *const unsupported[] = {
	"3des", "des", "blowfish", "cast128", "aes192", "aes192gcm16",
	"aes128gcm8", "aes128gcm12", "aes256gcm8", "aes256gcm12",
	"aes128ccm16", "aes256ccm16", "chacha20poly1305", "camellia",
	"camellia128", "camellia256", "aes128ctr", "aes256ctr", "null",
	"md5", "sha", "sha1", "sha1_160", "aesxcbc", "aescmac",
	"prfmd5", "prfsha1", "prfaesxcbc", "prfaescmac", "modp768",
	"modp1024", "modp1536", "modp6144", "modp8192", "modp1024s160",
	"modp2048s224", "modp2048s256", "ecp192", "ecp224", "ecp224bp",
	"ecp256bp", "ecp384bp", "ecp512bp", "curve448", "x448",
};

static uint16_t integ_prf(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA2_256_128: return IKE_PRF_HMAC_SHA2_256;
	case IKE_INTEG_HMAC_SHA2_384_192: return IKE_PRF_HMAC_SHA2_384;
	case IKE_INTEG_HMAC_SHA2_512_256: return IKE_PRF_HMAC_SHA2_512;
	}
	return 0;
}

static bool has_transform(const struct ike_proposal *p, uint8_t type,
			  uint16_t id, uint16_t keylen)
{
	for (size_t i = 0; i < p->ntrans; i++)
		if (p->t[i].type == type && p->t[i].id == id &&
		    p->t[i].keylen == keylen)
			return true;
	return false;
}

static size_t count_type(const struct ike_proposal *p, uint8_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < p->ntrans; i++)
		n += p->t[i].type == type;
	return n;
}

static int add_transform(struct ike_proposal *p, uint8_t type, uint16_t id,
			 uint16_t keylen)
{
	if (has_transform(p, type, id, keylen))
		return IKE_OK;
	if (p->ntrans == IKE_MAX_TRANSFORMS)
		return IKE_E_TOO_MANY;
	p->t[p->ntrans++] = (struct ike_transform){ type, id, keylen, false };
	return IKE_OK;
}

static int parse_one(const char *s, size_t len, struct ike_proposal *p,
		     char *err, size_t errlen)
{
	size_t off = 0, naead = 0, ncbc = 0;
	char word[32];

	while (off <= len) {
		size_t wlen = 0;
		const struct keyword *kw = NULL;
		int rc;

		while (off + wlen < len && s[off + wlen] != '-')
			wlen++;
		if (wlen == 0) {
			snprintf(err, errlen, "empty algorithm in proposal '%.*s'", (int)len, s);
			return IKE_E_SYNTAX;
		}
		if (wlen >= sizeof(word)) {
			snprintf(err, errlen, "unknown algorithm '%.*s'",
				 (int)wlen, s + off);
			return IKE_E_SYNTAX;
		}
		memcpy(word, s + off, wlen);
		word[wlen] = '\0';
		for (size_t i = 0; i < sizeof(keywords) / sizeof(*keywords); i++)
			if (!strcasecmp(word, keywords[i].name))
				kw = &keywords[i];
		if (!kw) {
			for (size_t i = 0;
			     i < sizeof(unsupported) / sizeof(*unsupported); i++)
				if (!strcasecmp(word, unsupported[i])) {
					snprintf(err, errlen, "algorithm '%s' is not supported", word);
					return IKE_E_UNSUPPORTED;
				}
			snprintf(err, errlen, "unknown algorithm '%s'", word);
			return IKE_E_SYNTAX;
		}
		if (kw->type == IKE_TRANS_ENCR) {
			if (ike_encr_is_aead(kw->id))
				naead++;
			else
				ncbc++;
		}
		rc = add_transform(p, kw->type, kw->id, kw->keylen);
		if (rc) {
			snprintf(err, errlen, "too many algorithms in proposal '%.*s'", (int)len, s);
			return rc;
		}
		off += wlen + 1;
	}
	if (naead && ncbc) {
		snprintf(err, errlen, "proposal '%.*s' mixes AEAD and non-AEAD encryption algorithms", (int)len, s);
		return IKE_E_SYNTAX;
	}
	if (!naead && !ncbc) {
		snprintf(err, errlen, "proposal '%.*s' has no encryption algorithm", (int)len, s);
		return IKE_E_SYNTAX;
	}
	if (!count_type(p, IKE_TRANS_DH)) {
		snprintf(err, errlen, "proposal '%.*s' has no DH group (e.g. modp2048, ecp256, x25519)", (int)len, s);
		return IKE_E_SYNTAX;
	}
	if (naead && count_type(p, IKE_TRANS_INTEG)) {
		snprintf(err, errlen, "proposal '%.*s': an AEAD cipher takes no integrity algorithm", (int)len, s);
		return IKE_E_SYNTAX;
	}
	if (ncbc && !count_type(p, IKE_TRANS_INTEG)) {
		snprintf(err, errlen, "proposal '%.*s' has no integrity algorithm (e.g. sha256)", (int)len, s);
		return IKE_E_SYNTAX;
	}
	if (!count_type(p, IKE_TRANS_PRF)) {
		size_t n = p->ntrans;

		if (naead) {
			snprintf(err, errlen, "AEAD proposal '%.*s' needs a PRF (e.g. prfsha256)", (int)len, s);
			return IKE_E_SYNTAX;
		}
		for (size_t i = 0; i < n; i++)
			if (p->t[i].type == IKE_TRANS_INTEG &&
			    add_transform(p, IKE_TRANS_PRF,
					  integ_prf(p->t[i].id), 0)) {
				snprintf(err, errlen, "too many algorithms in proposal '%.*s'", (int)len, s);
				return IKE_E_TOO_MANY;
			}
	}
	return IKE_OK;
}

int ike_proposals_parse(const char *str, struct ike_sa_payload *out,
			char *err, size_t errlen)
{
	size_t off = 0, len;

	memset(out, 0, sizeof(*out));
	if (!str)
		str = IKE_DEFAULT_PROPOSALS;
	len = strlen(str);
	while (off <= len) {
		size_t plen = 0, start;
		struct ike_proposal *p;
		int rc;

		while (off < len && isspace((unsigned char)str[off]))
			off++;
		start = off;
		while (off + plen < len && str[off + plen] != ',')
			plen++;
		while (plen && isspace((unsigned char)str[start + plen - 1]))
			plen--;
		if (!plen) {
			snprintf(err, errlen, "empty proposal in '%s'", str);
			return IKE_E_SYNTAX;
		}
		if (out->nprop == IKE_MAX_PROPOSALS) {
			snprintf(err, errlen, "more than %d proposals",
				 IKE_MAX_PROPOSALS);
			return IKE_E_TOO_MANY;
		}
		p = &out->prop[out->nprop];
		p->num = (uint8_t)(out->nprop + 1);
		p->proto = IKE_PROTO_IKE;
		rc = parse_one(str + start, plen, p, err, errlen);
		if (rc)
			return rc;
		out->nprop++;
		while (off < len && str[off] != ',')
			off++;
		off++;
	}
	return IKE_OK;
}

uint16_t ike_proposals_first_group(const struct ike_sa_payload *offered)
{
	for (size_t i = 0; i < offered->nprop; i++)
		for (size_t j = 0; j < offered->prop[i].ntrans; j++)
			if (offered->prop[i].t[j].type == IKE_TRANS_DH)
				return offered->prop[i].t[j].id;
	return 0;
}

bool ike_proposals_have_group(const struct ike_sa_payload *offered,
			      uint16_t group)
{
	for (size_t i = 0; i < offered->nprop; i++)
		if (has_transform(&offered->prop[i], IKE_TRANS_DH, group, 0))
			return true;
	return false;
}

int ike_proposal_select(const struct ike_sa_payload *offered,
			const struct ike_sa_payload *resp,
			struct ike_suite *suite, char *err, size_t errlen)
{
	const struct ike_proposal *r, *o = NULL;

	memset(suite, 0, sizeof(*suite));
	if (resp->nprop != 1) {
		snprintf(err, errlen, "responder chose %zu proposals, not 1",
			 resp->nprop);
		return IKE_E_SYNTAX;
	}
	r = &resp->prop[0];
	for (size_t i = 0; i < offered->nprop; i++)
		if (offered->prop[i].num == r->num)
			o = &offered->prop[i];
	if (!o || r->proto != IKE_PROTO_IKE || r->spi_size != 0) {
		snprintf(err, errlen, "responder's proposal #%u (protocol %u, SPI size %u) is not one we offered", r->num,
			 r->proto, r->spi_size);
		return IKE_E_SYNTAX;
	}
	for (size_t i = 0; i < r->ntrans; i++) {
		const struct ike_transform *t = &r->t[i];
		uint16_t *slot;

		switch (t->type) {
		case IKE_TRANS_ENCR: slot = &suite->encr; break;
		case IKE_TRANS_PRF: slot = &suite->prf; break;
		case IKE_TRANS_INTEG: slot = &suite->integ; break;
		case IKE_TRANS_DH: slot = &suite->dh; break;
		default:
			snprintf(err, errlen, "responder chose a transform of type %u", t->type);
			return IKE_E_SYNTAX;
		}
		if (*slot || (t->type == IKE_TRANS_ENCR && suite->encr_keylen)) {
			snprintf(err, errlen, "responder chose two transforms of type %u", t->type);
			return IKE_E_SYNTAX;
		}
		if (t->unknown_attr ||
		    !has_transform(o, t->type, t->id, t->keylen)) {
			snprintf(err, errlen, "responder chose transform %u/%u (key length %u) we did not offer",
				 t->type, t->id, t->keylen);
			return IKE_E_SYNTAX;
		}
		*slot = t->id;
		if (t->type == IKE_TRANS_ENCR)
			suite->encr_keylen = t->keylen;
	}
	if (!ike_suite_supported(suite) || !suite->dh) {
		snprintf(err, errlen, "responder's proposal lacks a needed transform");
		return IKE_E_SYNTAX;
	}
	return IKE_OK;
}

static const char *name_of(uint8_t type, uint16_t id, uint16_t keylen)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(*keywords); i++)
		if (keywords[i].type == type && keywords[i].id == id &&
		    keywords[i].keylen == keylen &&
		    strcmp(keywords[i].name, "aes"))
			return keywords[i].name;
	return "?";
}

void ike_suite_format(const struct ike_suite *s, char *buf, size_t len)
{
	if (ike_encr_is_aead(s->encr))
		snprintf(buf, len, "%s-%s-%s",
			 name_of(IKE_TRANS_ENCR, s->encr, s->encr_keylen),
			 name_of(IKE_TRANS_PRF, s->prf, 0),
			 name_of(IKE_TRANS_DH, s->dh, 0));
	else
		snprintf(buf, len, "%s-%s-%s-%s",
			 name_of(IKE_TRANS_ENCR, s->encr, s->encr_keylen),
			 name_of(IKE_TRANS_INTEG, s->integ, 0),
			 name_of(IKE_TRANS_PRF, s->prf, 0),
			 name_of(IKE_TRANS_DH, s->dh, 0));
}
