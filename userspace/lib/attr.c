// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounds-checked netlink attribute access.
 */
#include <errno.h>
#include <string.h>

#include "attr.h"

int spirec_genl_msg_begin(const void *buf, size_t len,
			  const struct genlmsghdr **genl,
			  struct spirec_attr_iter *it)
{
	const struct nlmsghdr *nlh = buf;
	size_t hdrs = NLMSG_HDRLEN + GENL_HDRLEN;

	if (!buf || len < NLMSG_HDRLEN)
		return -EBADMSG;
	if (nlh->nlmsg_len < hdrs || nlh->nlmsg_len > len)
		return -EBADMSG;
	*genl = (const struct genlmsghdr *)((const uint8_t *)buf +
					     NLMSG_HDRLEN);
	it->pos = (const uint8_t *)buf + hdrs;
	it->left = nlh->nlmsg_len - hdrs;
	return 0;
}

void spirec_attr_nested_begin(const struct nlattr *nest,
			      struct spirec_attr_iter *it)
{
	it->pos = spirec_attr_data(nest);
	it->left = spirec_attr_len(nest);
}

int spirec_attr_next(struct spirec_attr_iter *it, const struct nlattr **attr)
{
	const struct nlattr *a = (const struct nlattr *)it->pos;
	size_t step;

	if (!it->left)
		return 0;
	/*
	 * The kernel pads every attribute, the last one too (nla_put(),
	 * nla_nest_end()): missing padding means a truncated message.
	 */
	step = it->left >= NLA_HDRLEN ? NLA_ALIGN(a->nla_len) : 0;
	if (it->left < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
	    step > it->left) {
		it->left = 0;
		return -EBADMSG;
	}
	it->pos += step;
	it->left -= step;
	*attr = a;
	return 1;
}

static bool get_fixed(const struct nlattr *a, void *v, size_t size)
{
	if (spirec_attr_len(a) != size)
		return false;
	memcpy(v, spirec_attr_data(a), size);
	return true;
}

bool spirec_attr_u8(const struct nlattr *a, uint8_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

bool spirec_attr_u16(const struct nlattr *a, uint16_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

bool spirec_attr_u32(const struct nlattr *a, uint32_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

bool spirec_attr_u64(const struct nlattr *a, uint64_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

bool spirec_attr_str(const struct nlattr *a, size_t max, const char **s)
{
	size_t len = spirec_attr_len(a);
	const char *p = spirec_attr_data(a);

	if (!len || len > max || !memchr(p, '\0', len))
		return false;
	*s = p;
	return true;
}
