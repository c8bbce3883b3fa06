/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink attributes from the kernel into a table, over libmnl: the
 * attributes of a generic netlink message (or of a nest) are walked with
 * mnl_attr_parse() / mnl_attr_parse_nested(), each one is checked with
 * mnl_attr_validate() / mnl_attr_validate2() against a policy, and the
 * last one of each type lands in tb[type]; types above the table's size
 * are ignored (a newer kernel). Unlike a bare mnl_attr_parse(), bytes
 * that do not form whole, padded attributes make the parse fail: the
 * kernel pads every attribute, the last one too, so anything else is a
 * truncated message.
 */
#ifndef SPIREC_NL_ATTR_H
#define SPIREC_NL_ATTR_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/*
 * What one attribute type must look like. MNL_TYPE_UNSPEC: anything (its
 * user checks it). MNL_TYPE_U8 ... MNL_TYPE_U64: exactly that size, and
 * with @max_value set, a value of at most @max_value and at least
 * @min_value. MNL_TYPE_STRING: 1 to @len bytes (@len 0: no limit) with a
 * NUL among them. MNL_TYPE_BINARY: exactly @len bytes (@len 0: any).
 */
struct spirec_attr_policy {
	enum mnl_attr_data_type type;
	uint16_t len;
	uint64_t min_value, max_value;
};

/* Results of a parse besides 0. */
#define SPIREC_ATTR_TRUNCATED	(-EBADMSG)	/* not whole attributes */
#define SPIREC_ATTR_INVALID	(-EINVAL)	/* one broke its policy */

struct spirec_attr_table {
	const struct nlattr **tb;	/* [max + 1], cleared by the parse */
	const struct spirec_attr_policy *policy;	/* [max + 1] */
	uint16_t max;
	uint16_t bad_type;		/* after SPIREC_ATTR_INVALID */
};

/*
 * The generic netlink header of @buf (@len bytes, 4-byte aligned) if it
 * starts with one whole netlink message that has one, else NULL.
 */
const struct genlmsghdr *spirec_genl_header(const void *buf, size_t len);

/*
 * Fill @t from the attributes of @nlh that follow @offset bytes of its
 * payload (@offset a multiple of 4; GENL_HDRLEN for a generic netlink
 * message). @nlh must have passed spirec_genl_header() or an equivalent
 * check of nlmsg_len. Returns 0, SPIREC_ATTR_TRUNCATED or
 * SPIREC_ATTR_INVALID.
 */
int spirec_attr_parse(const struct nlmsghdr *nlh, size_t offset,
		      struct spirec_attr_table *t);

/* The same for the attributes inside @nest. */
int spirec_attr_parse_nested(const struct nlattr *nest,
			     struct spirec_attr_table *t);

/*
 * Call @cb for every attribute inside @nest, unvalidated (a list whose
 * entries are all of one kind). Returns 0, SPIREC_ATTR_TRUNCATED, or
 * the first negative value @cb returned (which stops the walk).
 */
int spirec_attr_for_each_nested(const struct nlattr *nest,
				int (*cb)(const struct nlattr *a, void *data),
				void *data);

/*
 * The value of an integer attribute that passed its policy, whatever its
 * size; 0 if @a is NULL (absent).
 */
uint64_t spirec_attr_uint(const struct nlattr *a);

/* Does @a (non-NULL) satisfy @pol? */
bool spirec_attr_valid(const struct nlattr *a,
		       const struct spirec_attr_policy *pol);

#endif
