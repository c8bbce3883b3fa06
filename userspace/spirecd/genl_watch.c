// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The controller's "notify" multicast group: CTRL_CMD_NEWFAMILY and
 * CTRL_CMD_DELFAMILY carry CTRL_ATTR_FAMILY_NAME. The group's id is
 * resolved like any other, by spirec_nl_resolve() ("nlctrl", "notify").
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "genl_watch.h"

int spirecd_genl_watch_open(struct spirecd_genl_watch *w)
{
	uint32_t group;
	int err;

	err = spirec_nl_open_socket(&w->nl);
	if (err)
		return err;
	err = spirec_nl_resolve(&w->nl, "nlctrl", "notify");
	if (!err && !w->nl.has_events)
		err = -EBADMSG;
	group = w->nl.events_group;
	if (!err && mnl_socket_setsockopt(w->nl.sock, NETLINK_ADD_MEMBERSHIP,
					  &group, sizeof(group)) < 0)
		err = -errno;
	if (err)
		spirec_nl_close(&w->nl);
	return err;
}

void spirecd_genl_watch_close(struct spirecd_genl_watch *w)
{
	spirec_nl_close(&w->nl);
}

int spirecd_genl_watch_fd(const struct spirecd_genl_watch *w)
{
	return mnl_socket_get_fd(w->nl.sock);
}

struct name_match {
	const char *name;
	bool found;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct name_match *m = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME &&
	    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING) &&
	    !strcmp(mnl_attr_get_str(a), m->name))
		m->found = true;
	return MNL_CB_OK;
}

enum spirecd_genl_change spirecd_genl_watch_parse(const void *buf, size_t len,
						  const char *name)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *genl;
	struct name_match m = { .name = name };

	if (len < sizeof(*nlh) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*genl) ||
	    nlh->nlmsg_type != GENL_ID_CTRL)
		return SPIRECD_GENL_NONE;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != CTRL_CMD_NEWFAMILY && genl->cmd != CTRL_CMD_DELFAMILY)
		return SPIRECD_GENL_NONE;
	if (mnl_attr_parse(nlh, sizeof(*genl), attr_cb, &m) < 0 || !m.found)
		return SPIRECD_GENL_NONE;
	return genl->cmd == CTRL_CMD_NEWFAMILY ? SPIRECD_GENL_NEW :
						 SPIRECD_GENL_DEL;
}

enum spirecd_genl_change spirecd_genl_watch_read(struct spirecd_genl_watch *w,
						 const char *name)
{
	enum spirecd_genl_change ret = SPIRECD_GENL_NONE, c;
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	n = recv(spirecd_genl_watch_fd(w), w->buf, sizeof(w->buf),
		 MSG_DONTWAIT);
	if (n < 0)
		return errno == ENOBUFS ? SPIRECD_GENL_LOST : SPIRECD_GENL_NONE;
	len = (int)n;
	for (nlh = (void *)w->buf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		c = spirecd_genl_watch_parse(nlh, nlh->nlmsg_len, name);
		if (c != SPIRECD_GENL_NONE)
			ret = c;	/* the latest change wins */
	}
	return ret;
}
