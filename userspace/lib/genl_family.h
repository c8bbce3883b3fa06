/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generic netlink family resolution: parse the controller's reply to
 * CTRL_CMD_GETFAMILY into the family id and one multicast group id.
 */
#ifndef SPIREC_GENL_FAMILY_H
#define SPIREC_GENL_FAMILY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spirec_genl_family {
	uint16_t id;
	uint32_t version;
	bool has_group;
	uint32_t group_id;		/* id of the requested group */
};

/*
 * Parse a CTRL_CMD_NEWFAMILY message that must describe family @name, and
 * look for multicast group @group in it (has_group false if absent).
 * Returns 0, or -EBADMSG if malformed or about another family (then *@why
 * says why).
 */
int spirec_genl_family_parse(const void *buf, size_t len, const char *name,
			     const char *group, struct spirec_genl_family *fam,
			     const char **why);

#endif
