// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The netlink socket of every subcommand that talks to the module.
 */
#include <errno.h>

#include "spirecctl.h"

int spirecctl_nl_open(const struct spirecctl *ctl, struct spirec_nl *nl,
		      bool absent_ok)
{
	int err = spirec_nl_open(nl);

	if (err && !(absent_ok && err == -ENOENT))
		spirecctl_error(ctl, "%s", spirec_nl_error(nl));
	return err;
}

void spirecctl_nl_close(struct spirec_nl *nl)
{
	spirec_nl_close(nl);
}

int spirecctl_nl_open_no_args(const struct spirecctl *ctl,
			      struct spirec_nl *nl, int argc, char *argv[])
{
	int ret = spirecctl_no_args(ctl, argc, argv);

	if (ret)
		return ret;
	if (spirecctl_nl_open(ctl, nl, false))
		return SPIRECCTL_EXIT_ERROR;
	return SPIRECCTL_EXIT_OK;
}
