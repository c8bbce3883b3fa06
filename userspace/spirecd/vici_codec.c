// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI packet encoding (requests) and decoding (responses): the bytes
 * only, no socket. The decoder reads untrusted bytes: every length is
 * checked against what is left before it is used.
 */
#include <errno.h>
#include <string.h>

#include "vici.h"

static void put(struct spirecd_vici_request *req, const void *p, size_t n)
{
	if (req->overflow || n > sizeof(req->data) - req->len) {
		req->overflow = true;
		return;
	}
	memcpy(req->data + req->len, p, n);
	req->len += n;
}

static void put_u8(struct spirecd_vici_request *req, uint8_t v)
{
	put(req, &v, 1);
}

static void put_name(struct spirecd_vici_request *req, const char *name)
{
	size_t n = strlen(name);

	if (n > 255) {
		req->overflow = true;
		return;
	}
	put_u8(req, (uint8_t)n);
	put(req, name, n);
}

void spirecd_vici_request_init_type(struct spirecd_vici_request *req,
				    enum spirecd_vici_packet_type type, const char *name)
{
	static const uint8_t len_placeholder[4];

	req->len = 0;
	req->overflow = false;
	put(req, len_placeholder, sizeof(len_placeholder));
	put_u8(req, (uint8_t)type);
	put_name(req, name);
}

void spirecd_vici_request_init(struct spirecd_vici_request *req, const char *name)
{
	spirecd_vici_request_init_type(req, VICI_CMD_REQUEST, name);
}

void spirecd_vici_request_kv(struct spirecd_vici_request *req, const char *key,
			     const char *value)
{
	size_t n = strlen(value);
	uint8_t be[2] = { (uint8_t)(n >> 8), (uint8_t)n };

	if (n > 0xffff) {
		req->overflow = true;
		return;
	}
	put_u8(req, VICI_KEY_VALUE);
	put_name(req, key);
	put(req, be, 2);
	put(req, value, n);
}

bool spirecd_vici_request_finish(struct spirecd_vici_request *req)
{
	size_t n = req->len - 4;

	if (req->overflow)
		return false;
	req->data[0] = (uint8_t)(n >> 24);
	req->data[1] = (uint8_t)(n >> 16);
	req->data[2] = (uint8_t)(n >> 8);
	req->data[3] = (uint8_t)n;
	return true;
}

/* Copy a value for the log: printable ASCII only, truncated. */
static void copy_printable(char *dst, size_t dstlen, const uint8_t *src,
			   size_t n)
{
	size_t i;

	if (n > dstlen - 1)
		n = dstlen - 1;
	for (i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[i] = '\0';
}

struct cursor {
	const uint8_t *p;
	size_t left;
};

static bool take(struct cursor *c, size_t n, const uint8_t **out)
{
	if (n > c->left)
		return false;
	*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

/* An 8-bit-length name; empty names are invalid. */
static bool take_name(struct cursor *c, const uint8_t **name, size_t *n)
{
	const uint8_t *l;

	if (!take(c, 1, &l) || !*l)
		return false;
	*n = *l;
	return take(c, *n, name);
}

static bool take_value(struct cursor *c, const uint8_t **val, size_t *n)
{
	const uint8_t *l;

	if (!take(c, 2, &l))
		return false;
	*n = (size_t)l[0] << 8 | l[1];
	return take(c, *n, val);
}

static bool name_is(const uint8_t *name, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(name, s, n);
}

int spirecd_vici_message_walk(const uint8_t *msg, size_t len, spirecd_vici_walk_cb cb,
			      void *ctx, const char **why)
{
	struct cursor cur = { .p = msg, .left = len }, *c = &cur;
	unsigned int depth = 0;
	bool in_list = false;

	while (c->left) {
		struct spirecd_vici_elem e = { 0 };
		const uint8_t *t;

		take(c, 1, &t);
		e.type = (enum spirecd_vici_element)*t;
		e.depth = depth;
		switch (*t) {
		case VICI_SECTION_START:
			if (in_list) {
				*why = "section inside a list";
				return -EBADMSG;
			}
			if (!take_name(c, &e.name, &e.nlen)) {
				*why = "truncated section name";
				return -EBADMSG;
			}
			if (++depth > VICI_MAX_DEPTH) {
				*why = "sections nested too deep";
				return -EBADMSG;
			}
			break;
		case VICI_SECTION_END:
			if (in_list || !depth) {
				*why = "unbalanced section end";
				return -EBADMSG;
			}
			e.depth = --depth;
			break;
		case VICI_KEY_VALUE:
			if (in_list) {
				*why = "key/value inside a list";
				return -EBADMSG;
			}
			if (!take_name(c, &e.name, &e.nlen) ||
			    !take_value(c, &e.val, &e.vlen)) {
				*why = "truncated key/value";
				return -EBADMSG;
			}
			break;
		case VICI_LIST_START:
			if (in_list) {
				*why = "nested list";
				return -EBADMSG;
			}
			if (!take_name(c, &e.name, &e.nlen)) {
				*why = "truncated list name";
				return -EBADMSG;
			}
			in_list = true;
			break;
		case VICI_LIST_ITEM:
			if (!in_list) {
				*why = "list item outside a list";
				return -EBADMSG;
			}
			if (!take_value(c, &e.val, &e.vlen)) {
				*why = "truncated list item";
				return -EBADMSG;
			}
			break;
		case VICI_LIST_END:
			if (!in_list) {
				*why = "list end outside a list";
				return -EBADMSG;
			}
			in_list = false;
			break;
		default:
			*why = "unknown message element type";
			return -EBADMSG;
		}
		if (cb && cb(&e, ctx)) {
			*why = "rejected by the reader";
			return -EBADMSG;
		}
	}
	if (depth || in_list) {
		*why = "message ends inside a section or list";
		return -EBADMSG;
	}
	return 0;
}

struct reply_ctx {
	const char *want_item;
	struct spirecd_vici_reply *out;
};

static int reply_cb(const struct spirecd_vici_elem *e, void *data)
{
	struct reply_ctx *r = data;

	if (e->depth)
		return 0;
	if (e->type == VICI_KEY_VALUE) {
		if (name_is(e->name, e->nlen, "success")) {
			r->out->has_success = true;
			r->out->success = e->vlen == 3 &&
					  !memcmp(e->val, "yes", 3);
		} else if (name_is(e->name, e->nlen, "errmsg")) {
			copy_printable(r->out->errmsg, sizeof(r->out->errmsg),
				       e->val, e->vlen);
		}
	} else if (e->type == VICI_LIST_ITEM && r->want_item &&
		   name_is(e->val, e->vlen, r->want_item)) {
		r->out->item_found = true;
	}
	return 0;
}

static int parse_message(struct cursor *c, const char *want_item,
			 struct spirecd_vici_reply *out, const char **why)
{
	struct reply_ctx r = { .want_item = want_item, .out = out };

	return spirecd_vici_message_walk(c->p, c->left, reply_cb, &r, why);
}

int spirecd_vici_reply_parse(const uint8_t *pkt, size_t len, const char *want_item,
			     struct spirecd_vici_reply *out, const char **why)
{
	struct cursor c = { .p = pkt, .left = len };
	const uint8_t *t, *name;
	size_t nlen;

	memset(out, 0, sizeof(*out));
	if (len > VICI_MAX_PACKET) {
		*why = "packet too large";
		return -EBADMSG;
	}
	if (!take(&c, 1, &t)) {
		*why = "empty packet";
		return -EBADMSG;
	}
	out->type = (enum spirecd_vici_packet_type)*t;
	switch (*t) {
	case VICI_CMD_RESPONSE:
		return parse_message(&c, want_item, out, why);
	case VICI_EVENT:
		if (!take_name(&c, &name, &nlen)) {
			*why = "truncated event name";
			return -EBADMSG;
		}
		copy_printable(out->name, sizeof(out->name), name, nlen);
		return parse_message(&c, want_item, out, why);
	case VICI_CMD_UNKNOWN:
	case VICI_EVENT_CONFIRM:
	case VICI_EVENT_UNKNOWN:
		if (c.left) {
			*why = "unexpected payload";
			return -EBADMSG;
		}
		return 0;
	default:
		*why = "packet type a server does not send";
		return -EBADMSG;
	}
}

/* list-sa events: strongSwan's vici_query.c list_sas() writes one IKE SA
 * per event, but any number of root sections is accepted. */
struct list_sa_ctx {
	spirecd_vici_ike_sa_cb cb;
	void *ctx;
	struct spirecd_vici_ike_sa sa;
	bool in_children;		/* inside the IKE SA's child-sas */
	bool child_installed, child_has_spi;
	uint32_t child_spi;
};

/* "c1a0b0c0": 1 to 8 hex digits. */
static bool parse_spi(const uint8_t *v, size_t n, uint32_t *spi)
{
	uint32_t x = 0;

	if (!n || n > 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = v[i];

		if (c >= '0' && c <= '9')
			x = x << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x = x << 4 | (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x = x << 4 | (uint32_t)(c - 'A' + 10);
		else
			return false;
	}
	*spi = x;
	return true;
}

static int list_sa_cb(const struct spirecd_vici_elem *e, void *data)
{
	struct list_sa_ctx *l = data;
	struct spirecd_vici_ike_sa *sa = &l->sa;

	switch (e->type) {
	case VICI_SECTION_START:
		if (e->depth == 0) {
			memset(sa, 0, sizeof(*sa));
			copy_printable(sa->name, sizeof(sa->name), e->name,
				       e->nlen);
		} else if (e->depth == 1) {
			l->in_children = name_is(e->name, e->nlen, "child-sas");
		} else if (e->depth == 2 && l->in_children) {
			l->child_installed = l->child_has_spi = false;
		}
		break;
	case VICI_KEY_VALUE:
		if (e->depth == 1) {
			if (name_is(e->name, e->nlen, "state"))
				copy_printable(sa->state, sizeof(sa->state),
					       e->val, e->vlen);
			else if (name_is(e->name, e->nlen, "remote-host"))
				copy_printable(sa->remote_host,
					       sizeof(sa->remote_host), e->val,
					       e->vlen);
			else if (name_is(e->name, e->nlen, "remote-id"))
				copy_printable(sa->remote_id,
					       sizeof(sa->remote_id), e->val,
					       e->vlen);
		} else if (e->depth == 3 && l->in_children) {
			if (name_is(e->name, e->nlen, "state"))
				l->child_installed = e->vlen == 9 &&
					!memcmp(e->val, "INSTALLED", 9);
			else if (name_is(e->name, e->nlen, "spi-in"))
				l->child_has_spi = parse_spi(e->val, e->vlen,
							     &l->child_spi);
		}
		break;
	case VICI_SECTION_END:
		if (e->depth == 2 && l->in_children) {
			sa->children++;
			if (!l->child_installed)
				break;
			sa->children_installed++;
			if (l->child_has_spi &&
			    sa->nspi_in < VICI_IKE_SA_MAX_SPIS)
				sa->spi_in[sa->nspi_in++] = l->child_spi;
		} else if (e->depth == 1) {
			l->in_children = false;
		} else if (e->depth == 0 && l->cb) {
			return l->cb(sa, l->ctx);
		}
		break;
	default:
		break;
	}
	return 0;
}

int spirecd_vici_list_sa_parse(const uint8_t *pkt, size_t len, spirecd_vici_ike_sa_cb cb,
			       void *ctx, const char **why)
{
	struct cursor c = { .p = pkt, .left = len };
	struct list_sa_ctx l = { .cb = cb, .ctx = ctx };
	const uint8_t *t, *name;
	size_t nlen;

	if (len > VICI_MAX_PACKET) {
		*why = "packet too large";
		return -EBADMSG;
	}
	if (!take(&c, 1, &t)) {
		*why = "empty packet";
		return -EBADMSG;
	}
	if (*t != VICI_EVENT)
		return -ENOMSG;
	if (!take_name(&c, &name, &nlen)) {
		*why = "truncated event name";
		return -EBADMSG;
	}
	if (!name_is(name, nlen, "list-sa"))
		return -ENOMSG;
	return spirecd_vici_message_walk(c.p, c.left, list_sa_cb, &l, why);
}
