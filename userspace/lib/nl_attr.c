// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Netlink attribute tables over libmnl's parse and validate functions.
 */
#include <errno.h>
#include <string.h>

#include "nl_attr.h"

const struct genlmsghdr *spirec_genl_header(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;

	if (!buf || len < MNL_NLMSG_HDRLEN)
		return NULL;
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN ||
	    nlh->nlmsg_len > len)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

bool spirec_attr_valid(const struct nlattr *a,
		       const struct spirec_attr_policy *pol)
{
	size_t len = mnl_attr_get_payload_len(a);
	uint64_t v;

	switch (pol->type) {
	case MNL_TYPE_UNSPEC:
		return true;
	case MNL_TYPE_U8:
	case MNL_TYPE_U16:
	case MNL_TYPE_U32:
	case MNL_TYPE_U64:
		/* Exactly the size of the type. */
		if (mnl_attr_validate(a, pol->type) < 0)
			return false;
		v = spirec_attr_uint(a);
		break;
	case MNL_TYPE_STRING:
		/* Non-empty (libmnl), bounded, and terminated somewhere. */
		if (mnl_attr_validate(a, MNL_TYPE_STRING) < 0)
			return false;
		return (!pol->len || len <= pol->len) &&
		       memchr(mnl_attr_get_payload(a), '\0', len);
	case MNL_TYPE_BINARY:
		return mnl_attr_validate2(a, MNL_TYPE_BINARY, pol->len) == 0;
	default:
		return mnl_attr_validate(a, pol->type) == 0;
	}
	return !pol->max_value ||
	       (v >= pol->min_value && v <= pol->max_value);
}

uint64_t spirec_attr_uint(const struct nlattr *a)
{
	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	default:
		return mnl_attr_get_u64(a);
	}
}

/*
 * One walk over a run of attributes that must end exactly at @end.
 * libmnl stops quietly at a truncated attribute; @next, the end of the
 * last whole attribute seen, tells the caller whether that happened.
 */
struct walk {
	const char *next;
	const char *end;
	int (*cb)(const struct nlattr *a, void *data);
	void *data;
	int err;
};

/*
 * 1 to 3 bytes left after the last attribute cannot be one: stop there.
 * libmnl walks a message up to its aligned length, so it would read the
 * next header partly past nlmsg_len, and maybe past the buffer.
 */
static bool stop_before_stub(struct walk *w)
{
	size_t left = (size_t)(w->end - w->next);

	if (left && left < MNL_ATTR_HDRLEN) {
		w->err = SPIREC_ATTR_TRUNCATED;
		return true;
	}
	return false;
}

static int walk_cb(const struct nlattr *a, void *data)
{
	struct walk *w = data;
	size_t room = (size_t)(w->end - (const char *)a);
	int err;

	/* libmnl checked nla_len against @room, but not its padding. */
	if ((size_t)MNL_ALIGN(a->nla_len) > room) {
		w->err = SPIREC_ATTR_TRUNCATED;
		return MNL_CB_ERROR;
	}
	w->next = (const char *)a + MNL_ALIGN(a->nla_len);
	err = w->cb(a, w->data);
	if (err < 0) {
		w->err = err;
		return MNL_CB_ERROR;
	}
	return stop_before_stub(w) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int walk_end(const struct walk *w, int ret)
{
	if (w->err)
		return w->err;
	if (ret < 0 || w->next != w->end)
		return SPIREC_ATTR_TRUNCATED;
	return 0;
}

static int table_cb(const struct nlattr *a, void *data)
{
	struct spirec_attr_table *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > t->max)
		return 0;	/* newer than us: ignored */
	if (!spirec_attr_valid(a, &t->policy[type])) {
		t->bad_type = type;
		return SPIREC_ATTR_INVALID;
	}
	t->tb[type] = a;
	return 0;
}

static void table_clear(struct spirec_attr_table *t)
{
	memset(t->tb, 0, ((size_t)t->max + 1) * sizeof(t->tb[0]));
	t->bad_type = 0;
}

int spirec_attr_parse(const struct nlmsghdr *nlh, size_t offset,
		      struct spirec_attr_table *t)
{
	struct walk w = { .cb = table_cb, .data = t };

	table_clear(t);
	if (offset % MNL_ALIGNTO || MNL_NLMSG_HDRLEN + offset > nlh->nlmsg_len)
		return SPIREC_ATTR_TRUNCATED;
	w.next = (const char *)mnl_nlmsg_get_payload_offset(nlh, offset);
	w.end = (const char *)nlh + nlh->nlmsg_len;
	if (stop_before_stub(&w))
		return w.err;
	return walk_end(&w, mnl_attr_parse(nlh, (unsigned int)offset,
					   walk_cb, &w));
}

int spirec_attr_for_each_nested(const struct nlattr *nest,
				int (*cb)(const struct nlattr *a, void *data),
				void *data)
{
	struct walk w = { .cb = cb, .data = data };

	w.next = mnl_attr_get_payload(nest);
	w.end = w.next + mnl_attr_get_payload_len(nest);
	return walk_end(&w, mnl_attr_parse_nested(nest, walk_cb, &w));
}

int spirec_attr_parse_nested(const struct nlattr *nest,
			     struct spirec_attr_table *t)
{
	table_clear(t);
	return spirec_attr_for_each_nested(nest, table_cb, t);
}
