// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl enable|disable: net.spirec.enabled = 1 or 0 in this network
 * namespace.
 */
#include "spirecctl.h"

int spirecctl_cmd_enable(struct spirecctl *ctl, int argc, char *argv[])
{
	int ret = spirecctl_no_args(ctl, argc, argv);

	if (ret)
		return ret;
	return spirecctl_set_enabled(ctl, SPIRECCTL_SYSCTL_ENABLED, true);
}

int spirecctl_cmd_disable(struct spirecctl *ctl, int argc, char *argv[])
{
	int ret = spirecctl_no_args(ctl, argc, argv);

	if (ret)
		return ret;
	return spirecctl_set_enabled(ctl, SPIRECCTL_SYSCTL_ENABLED, false);
}
