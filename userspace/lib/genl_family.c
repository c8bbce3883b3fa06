// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of the generic netlink controller's family description.
 */
#include <errno.h>
#include <string.h>

#include "genl_family.h"
#include "nl_attr.h"

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

static const struct spirec_attr_policy group_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= { .type = MNL_TYPE_STRING,
					    .len = GENL_NAMSIZ },
	[CTRL_ATTR_MCAST_GRP_ID]	= { .type = MNL_TYPE_U32 },
};

struct groups {
	const char *group;
	struct spirec_genl_family *fam;
	const char *why;		/* of a bad group */
};

/* One CTRL_ATTR_MCAST_GRP_* nest; sets the id if its name is the group. */
static int group_cb(const struct nlattr *nest, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = group_policy,
		.max = CTRL_ATTR_MCAST_GRP_MAX,
	};
	struct groups *g = data;
	const char *gname;
	int ret;

	ret = spirec_attr_parse_nested(nest, &t);
	if (ret == SPIREC_ATTR_INVALID)
		g->why = t.bad_type == CTRL_ATTR_MCAST_GRP_NAME ?
			 "bad multicast group name" : "bad multicast group id";
	else if (ret)
		g->why = "truncated multicast group";
	else if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
		g->why = "multicast group without name or id";
	if (g->why)
		return -EBADMSG;
	gname = mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]);
	if (!strcmp(gname, g->group)) {
		g->fam->has_group = true;
		g->fam->group_id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int parse_groups(const struct nlattr *nest, const char *group,
			struct spirec_genl_family *fam, const char **why)
{
	struct groups g = { .group = group, .fam = fam };

	if (!spirec_attr_for_each_nested(nest, group_cb, &g))
		return 0;
	return fail(why, g.why ? g.why : "truncated multicast group list");
}

static const struct spirec_attr_policy family_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= { .type = MNL_TYPE_U16 },
	[CTRL_ATTR_FAMILY_NAME]		= { .type = MNL_TYPE_STRING,
					    .len = GENL_NAMSIZ },
	[CTRL_ATTR_VERSION]		= { .type = MNL_TYPE_U32 },
	[CTRL_ATTR_MCAST_GROUPS]	= { .type = MNL_TYPE_UNSPEC },
};

static const char *bad_family_attr(uint16_t type)
{
	switch (type) {
	case CTRL_ATTR_FAMILY_ID:
		return "bad family id";
	case CTRL_ATTR_FAMILY_NAME:
		return "bad family name";
	default:
		return "bad family version";
	}
}

int spirec_genl_family_parse(const void *buf, size_t len, const char *name,
			     const char *group, struct spirec_genl_family *fam,
			     const char **why)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = family_policy, .max = CTRL_ATTR_MAX,
	};
	const struct genlmsghdr *genl;
	int ret;

	memset(fam, 0, sizeof(*fam));
	genl = spirec_genl_header(buf, len);
	if (!genl)
		return fail(why, "truncated message");
	if (genl->cmd != CTRL_CMD_NEWFAMILY)
		return fail(why, "not a family description");

	ret = spirec_attr_parse(buf, GENL_HDRLEN, &t);
	if (ret == SPIREC_ATTR_INVALID)
		return fail(why, bad_family_attr(t.bad_type));
	if (ret)
		return fail(why, "truncated attribute");
	fam->id = (uint16_t)spirec_attr_uint(tb[CTRL_ATTR_FAMILY_ID]);
	fam->version = (uint32_t)spirec_attr_uint(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_FAMILY_ID] || !fam->id ||
	    !tb[CTRL_ATTR_FAMILY_NAME])
		return fail(why, "family without id or name");
	if (strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), name))
		return fail(why, "reply describes another family");
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		return parse_groups(tb[CTRL_ATTR_MCAST_GROUPS], group, fam, why);
	return 0;
}
