/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounds-checked reading of netlink messages that come from the kernel:
 * a generic netlink header check, an attribute iterator that rejects
 * truncated attributes, and fixed-length getters that reject any
 * attribute whose payload length does not match its type exactly.
 */
#ifndef SPIREC_ATTR_H
#define SPIREC_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

struct spirec_attr_iter {
	const uint8_t *pos;
	size_t left;
};

/*
 * Check that @buf (@len bytes, 4-byte aligned) starts with one complete
 * netlink message that carries a generic netlink header. On success return
 * 0, point *@genl at that header and start @it at its first attribute.
 * Return -EBADMSG if the message is truncated or too short.
 */
int spirec_genl_msg_begin(const void *buf, size_t len,
			  const struct genlmsghdr **genl,
			  struct spirec_attr_iter *it);

/* Start @it over the payload of nested attribute @nest. */
void spirec_attr_nested_begin(const struct nlattr *nest,
			      struct spirec_attr_iter *it);

/*
 * Next attribute: 1 with *@attr set, 0 at the end, -EBADMSG if the bytes
 * left do not form a whole attribute.
 */
int spirec_attr_next(struct spirec_attr_iter *it, const struct nlattr **attr);

/* Type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER flags. */
static inline uint16_t spirec_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline const void *spirec_attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static inline size_t spirec_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* Fixed-size integer getters: false if the payload length differs. */
bool spirec_attr_u8(const struct nlattr *a, uint8_t *v);
bool spirec_attr_u16(const struct nlattr *a, uint16_t *v);
bool spirec_attr_u32(const struct nlattr *a, uint32_t *v);
bool spirec_attr_u64(const struct nlattr *a, uint64_t *v);

/* A NUL-terminated string whose payload is at most @max bytes long. */
bool spirec_attr_str(const struct nlattr *a, size_t max, const char **s);

#endif
