// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl -n NAME: run the command in the network namespace that
 * `ip netns add NAME` made (mounted at /run/netns/NAME), where
 * spirecd@NAME.service runs, and read that spirecd's status file.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon_status.h"
#include "spirecctl.h"

/* A name as ip-netns(8) takes it: one path component. */
static int netns_name_ok(const char *name)
{
	return name[0] && strlen(name) < 200 && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

int spirecctl_enter_netns(struct spirecctl *ctl, const char *name)
{
	char path[256];
	int fd;

	if (!netns_name_ok(name))
		return spirecctl_error(ctl, "-n '%s': not a network namespace name (one path component, as ip netns add takes it)",
				       name);
	snprintf(path, sizeof(path), SPIRECCTL_NETNS_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return spirecctl_error(ctl, "-n %s: %s: %s (ip netns list shows the namespaces)",
				       name, path, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0) {
		int e = errno;

		close(fd);
		return spirecctl_error(ctl, "-n %s: cannot enter %s: %s%s",
				       name, path, strerror(e),
				       e == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
	}
	close(fd);
	snprintf(ctl->netns_status, sizeof(ctl->netns_status),
		 SPIRECCTL_NETNS_STATUS_FMT, name);
	/* --status-file still wins; -n beats $SPIRECCTL_STATUS_FILE. */
	if (!ctl->status_file)
		ctl->status_file = ctl->netns_status;
	return 0;
}
