// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening the netlink socket for a subcommand.
 */
#include "spirecctl.h"

bool spirecctl_nl_open(const struct spirecctl *ctl, struct spirec_nl *nl)
{
	if (spirec_nl_open(nl) == 0)
		return true;
	spirecctl_error(ctl, "%s", spirec_nl_error(nl));
	return false;
}
