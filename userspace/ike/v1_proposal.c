// SPDX-License-Identifier: GPL-2.0-or-later
/* swanctl-style IKEv1 proposals (strongSwan's keywords, version = 1). */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "proto.h"
#include "v1_proposal.h"
#include "v1_proto.h"

enum kw_kind { KW_ENCR, KW_HASH, KW_GROUP };

struct v1_keyword {
	const char *name;
	enum kw_kind kind;
	uint16_t id, keylen;
};

static const struct v1_keyword keywords[] = {
	{ "aes", KW_ENCR, IKE_V1_ENCR_AES_CBC, 128 },
	{ "aes128", KW_ENCR, IKE_V1_ENCR_AES_CBC, 128 },
	{ "aes192", KW_ENCR, IKE_V1_ENCR_AES_CBC, 192 },
	{ "aes256", KW_ENCR, IKE_V1_ENCR_AES_CBC, 256 },
	{ "3des", KW_ENCR, IKE_V1_ENCR_3DES_CBC, 0 },
	{ "sha", KW_HASH, IKE_V1_HASH_SHA1, 0 },
	{ "sha1", KW_HASH, IKE_V1_HASH_SHA1, 0 },
	{ "prfsha1", KW_HASH, IKE_V1_HASH_SHA1, 0 },
	{ "sha256", KW_HASH, IKE_V1_HASH_SHA2_256, 0 },
	{ "sha2_256", KW_HASH, IKE_V1_HASH_SHA2_256, 0 },
	{ "prfsha256", KW_HASH, IKE_V1_HASH_SHA2_256, 0 },
	{ "sha384", KW_HASH, IKE_V1_HASH_SHA2_384, 0 },
	{ "sha2_384", KW_HASH, IKE_V1_HASH_SHA2_384, 0 },
	{ "prfsha384", KW_HASH, IKE_V1_HASH_SHA2_384, 0 },
	{ "sha512", KW_HASH, IKE_V1_HASH_SHA2_512, 0 },
	{ "sha2_512", KW_HASH, IKE_V1_HASH_SHA2_512, 0 },
	{ "prfsha512", KW_HASH, IKE_V1_HASH_SHA2_512, 0 },
	{ "modp1024", KW_GROUP, IKE_DH_MODP1024, 0 },
	{ "modp1536", KW_GROUP, IKE_DH_MODP1536, 0 },
	{ "modp2048", KW_GROUP, IKE_DH_MODP2048, 0 },
	{ "modp3072", KW_GROUP, IKE_DH_MODP3072, 0 },
	{ "modp4096", KW_GROUP, IKE_DH_MODP4096, 0 },
	{ "ecp256", KW_GROUP, IKE_DH_ECP256, 0 },
	{ "ecp384", KW_GROUP, IKE_DH_ECP384, 0 },
	{ "ecp521", KW_GROUP, IKE_DH_ECP521, 0 },
	{ "curve25519", KW_GROUP, IKE_DH_CURVE25519, 0 },
	{ "x25519", KW_GROUP, IKE_DH_CURVE25519, 0 },
};

#define KW_MAX 16

struct one_proposal {
	const struct v1_keyword *encr[KW_MAX], *hash[KW_MAX], *group[KW_MAX];
	size_t nencr, nhash, ngroup;
};

static const struct v1_keyword *kw_find(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].name) == len &&
		    !strncmp(keywords[i].name, s, len))
			return &keywords[i];
	return NULL;
}

static int add_kw(struct one_proposal *p, const struct v1_keyword *k,
		  char *err, size_t errlen)
{
	const struct v1_keyword **arr;
	size_t *n;

	switch (k->kind) {
	case KW_ENCR: arr = p->encr; n = &p->nencr; break;
	case KW_HASH: arr = p->hash; n = &p->nhash; break;
	default: arr = p->group; n = &p->ngroup; break;
	}
	for (size_t i = 0; i < *n; i++)
		if (arr[i]->id == k->id && arr[i]->keylen == k->keylen)
			return IKE_OK;	/* sha1 and prfsha1: one hash */
	if (*n == KW_MAX) {
		snprintf(err, errlen, "'%s': too many algorithms of one kind",
			 k->name);
		return IKE_E_TOO_MANY;
	}
	arr[(*n)++] = k;
	return IKE_OK;
}

static int expand(const struct one_proposal *p, struct ike_v1_proposals *out,
		  char *err, size_t errlen)
{
	for (size_t e = 0; e < p->nencr; e++)
		for (size_t h = 0; h < p->nhash; h++)
			for (size_t g = 0; g < p->ngroup; g++) {
				struct ike_v1_suite *s;

				if (out->n == IKE_V1_MAX_TRANSFORMS) {
					snprintf(err, errlen, "more than %d algorithm combinations",
						 IKE_V1_MAX_TRANSFORMS);
					return IKE_E_TOO_MANY;
				}
				s = &out->t[out->n++];
				s->encr = p->encr[e]->id;
				s->keylen = p->encr[e]->keylen;
				s->hash = p->hash[h]->id;
				s->group = p->group[g]->id;
			}
	return IKE_OK;
}

static int parse_one(const char *s, size_t len, struct ike_v1_proposals *out,
		     char *err, size_t errlen)
{
	struct one_proposal p;
	size_t i = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	while (i <= len) {
		size_t j = i;
		const struct v1_keyword *k;

		while (j < len && s[j] != '-')
			j++;
		if (j == i) {
			snprintf(err, errlen, "empty algorithm in '%.*s'",
				 (int)len, s);
			return IKE_E_SYNTAX;
		}
		k = kw_find(s + i, j - i);
		if (!k) {
			const char *what = memmem(s + i, j - i, "gcm", 3) ||
				memmem(s + i, j - i, "ccm", 3) ?
				" (AEAD ciphers are IKEv2 only)" : "";

			snprintf(err, errlen, "'%.*s' is not an IKEv1 algorithm this implementation supports%s",
				 (int)(j - i), s + i, what);
			return IKE_E_UNSUPPORTED;
		}
		rc = add_kw(&p, k, err, errlen);
		if (rc)
			return rc;
		i = j + 1;
	}
	if (!p.nencr || !p.nhash || !p.ngroup) {
		snprintf(err, errlen, "'%.*s' needs a cipher, a hash and a DH group",
			 (int)len, s);
		return IKE_E_SYNTAX;
	}
	return expand(&p, out, err, errlen);
}

int ike_v1_proposals_parse(const char *str, struct ike_v1_proposals *out,
			   char *err, size_t errlen)
{
	size_t i = 0, len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!str || !*str)
		str = IKE_V1_DEFAULT_PROPOSALS;
	len = strlen(str);
	while (i <= len) {
		size_t j = i;

		while (j < len && str[j] != ',')
			j++;
		if (j == i) {
			snprintf(err, errlen, "empty proposal");
			return IKE_E_SYNTAX;
		}
		rc = parse_one(str + i, j - i, out, err, errlen);
		if (rc)
			return rc;
		i = j + 1;
	}
	return IKE_OK;
}

static const char *group_name(uint16_t g)
{
	switch (g) {
	case IKE_DH_MODP1024: return "MODP_1024";
	case IKE_DH_MODP1536: return "MODP_1536";
	case IKE_DH_MODP2048: return "MODP_2048";
	case IKE_DH_MODP3072: return "MODP_3072";
	case IKE_DH_MODP4096: return "MODP_4096";
	case IKE_DH_ECP256: return "ECP_256";
	case IKE_DH_ECP384: return "ECP_384";
	case IKE_DH_ECP521: return "ECP_521";
	case IKE_DH_CURVE25519: return "CURVE_25519";
	}
	return "?";
}

static const char *hash_name(uint16_t h)
{
	switch (h) {
	case IKE_V1_HASH_SHA1: return "HMAC_SHA1";
	case IKE_V1_HASH_SHA2_256: return "HMAC_SHA2_256";
	case IKE_V1_HASH_SHA2_384: return "HMAC_SHA2_384";
	case IKE_V1_HASH_SHA2_512: return "HMAC_SHA2_512";
	}
	return "?";
}

void ike_v1_suite_format(const struct ike_v1_suite *s, char *buf, size_t len)
{
	if (s->encr == IKE_V1_ENCR_3DES_CBC)
		snprintf(buf, len, "3DES_CBC/%s/%s", hash_name(s->hash),
			 group_name(s->group));
	else
		snprintf(buf, len, "AES_CBC_%u/%s/%s", s->keylen,
			 hash_name(s->hash), group_name(s->group));
}
