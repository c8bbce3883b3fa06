/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon: event loop over the spirec events group, the controller's
 * notifications and signals; decisions per event; configuration reload.
 */
#ifndef SPIRECD_DAEMON_H
#define SPIRECD_DAEMON_H

#include "workers.h"

/* Run until SIGTERM or SIGINT. @cfg is the validated configuration
 * (ownership passes). Returns the exit status. */
int spirecd_run(struct spirecd_cfgref *cfg);

#endif
