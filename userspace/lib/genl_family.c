// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of the generic netlink controller's family description.
 */
#include <errno.h>
#include <string.h>

#include "attr.h"
#include "genl_family.h"

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

/* One CTRL_ATTR_MCAST_GRP_* nest; sets the id if its name is @group. */
static int parse_group(const struct nlattr *nest, const char *group,
		       struct spirec_genl_family *fam, const char **why)
{
	struct spirec_attr_iter it;
	const struct nlattr *a;
	const char *gname = NULL;
	uint32_t id = 0;
	bool have_id = false;
	int ret;

	spirec_attr_nested_begin(nest, &it);
	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		switch (spirec_attr_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (!spirec_attr_str(a, GENL_NAMSIZ, &gname))
				return fail(why, "bad multicast group name");
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (!spirec_attr_u32(a, &id))
				return fail(why, "bad multicast group id");
			have_id = true;
			break;
		default:
			break;
		}
	}
	if (ret < 0)
		return fail(why, "truncated multicast group");
	if (!gname || !have_id)
		return fail(why, "multicast group without name or id");
	if (!strcmp(gname, group)) {
		fam->has_group = true;
		fam->group_id = id;
	}
	return 0;
}

static int parse_groups(const struct nlattr *nest, const char *group,
			struct spirec_genl_family *fam, const char **why)
{
	struct spirec_attr_iter it;
	const struct nlattr *a;
	int ret;

	spirec_attr_nested_begin(nest, &it);
	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		int err = parse_group(a, group, fam, why);

		if (err)
			return err;
	}
	return ret < 0 ? fail(why, "truncated multicast group list") : 0;
}

int spirec_genl_family_parse(const void *buf, size_t len, const char *name,
			     const char *group, struct spirec_genl_family *fam,
			     const char **why)
{
	const struct nlattr *a, *groups = NULL;
	const struct genlmsghdr *genl;
	struct spirec_attr_iter it;
	const char *fname = NULL;
	bool have_id = false;
	int ret;

	memset(fam, 0, sizeof(*fam));
	if (spirec_genl_msg_begin(buf, len, &genl, &it))
		return fail(why, "truncated message");
	if (genl->cmd != CTRL_CMD_NEWFAMILY)
		return fail(why, "not a family description");

	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		switch (spirec_attr_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (!spirec_attr_u16(a, &fam->id))
				return fail(why, "bad family id");
			have_id = true;
			break;
		case CTRL_ATTR_FAMILY_NAME:
			if (!spirec_attr_str(a, GENL_NAMSIZ, &fname))
				return fail(why, "bad family name");
			break;
		case CTRL_ATTR_VERSION:
			if (!spirec_attr_u32(a, &fam->version))
				return fail(why, "bad family version");
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			groups = a;
			break;
		default:
			break;
		}
	}
	if (ret < 0)
		return fail(why, "truncated attribute");
	if (!have_id || !fam->id || !fname)
		return fail(why, "family without id or name");
	if (strcmp(fname, name))
		return fail(why, "reply describes another family");
	if (groups)
		return parse_groups(groups, group, fam, why);
	return 0;
}
