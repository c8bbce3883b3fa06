// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl flush: empty the peer table.
 */
#include "spirecctl.h"

int spirecctl_cmd_flush(struct spirecctl *ctl, int argc, char *argv[])
{
	struct spirec_nl nl;
	int ret = spirecctl_nl_open_no_args(ctl, &nl, argc, argv);

	if (ret)
		return ret;
	if (spirec_flush_peers(&nl))
		ret = spirecctl_error(ctl, "flush: %s", spirec_nl_error(&nl));
	spirecctl_nl_close(&nl);
	return ret;
}
