// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI packet encoding (requests) and decoding (responses): the bytes
 * only, no socket. The decoder reads untrusted bytes: every length is
 * checked against what is left before it is used.
 */
#include <errno.h>
#include <string.h>

#include "vici.h"

static void put(struct vici_request *req, const void *p, size_t n)
{
	if (req->overflow || n > sizeof(req->data) - req->len) {
		req->overflow = true;
		return;
	}
	memcpy(req->data + req->len, p, n);
	req->len += n;
}

static void put_u8(struct vici_request *req, uint8_t v)
{
	put(req, &v, 1);
}

static void put_name(struct vici_request *req, const char *name)
{
	size_t n = strlen(name);

	if (n > 255) {
		req->overflow = true;
		return;
	}
	put_u8(req, (uint8_t)n);
	put(req, name, n);
}

void vici_request_init(struct vici_request *req, const char *name)
{
	static const uint8_t len_placeholder[4];

	req->len = 0;
	req->overflow = false;
	put(req, len_placeholder, sizeof(len_placeholder));
	put_u8(req, VICI_CMD_REQUEST);
	put_name(req, name);
}

void vici_request_kv(struct vici_request *req, const char *key,
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

bool vici_request_finish(struct vici_request *req)
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

static int parse_message(struct cursor *c, const char *want_item,
			 struct vici_reply *out, const char **why)
{
	unsigned int depth = 0;
	bool in_list = false;

	while (c->left) {
		const uint8_t *t, *name, *val;
		size_t nlen, vlen;

		take(c, 1, &t);
		switch (*t) {
		case VICI_SECTION_START:
			if (in_list) {
				*why = "section inside a list";
				return -EBADMSG;
			}
			if (!take_name(c, &name, &nlen)) {
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
			depth--;
			break;
		case VICI_KEY_VALUE:
			if (in_list) {
				*why = "key/value inside a list";
				return -EBADMSG;
			}
			if (!take_name(c, &name, &nlen) ||
			    !take_value(c, &val, &vlen)) {
				*why = "truncated key/value";
				return -EBADMSG;
			}
			if (depth)
				break;
			if (name_is(name, nlen, "success")) {
				out->has_success = true;
				out->success = vlen == 3 &&
					       !memcmp(val, "yes", 3);
			} else if (name_is(name, nlen, "errmsg")) {
				copy_printable(out->errmsg,
					       sizeof(out->errmsg), val, vlen);
			}
			break;
		case VICI_LIST_START:
			if (in_list) {
				*why = "nested list";
				return -EBADMSG;
			}
			if (!take_name(c, &name, &nlen)) {
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
			if (!take_value(c, &val, &vlen)) {
				*why = "truncated list item";
				return -EBADMSG;
			}
			if (!depth && want_item && name_is(val, vlen, want_item))
				out->item_found = true;
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
	}
	if (depth || in_list) {
		*why = "message ends inside a section or list";
		return -EBADMSG;
	}
	return 0;
}

int vici_reply_parse(const uint8_t *pkt, size_t len, const char *want_item,
		     struct vici_reply *out, const char **why)
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
	out->type = (enum vici_packet_type)*t;
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
