// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing net.spirec.enabled through /proc/sys.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "spirecctl.h"

int spirecctl_sysctl_write(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

int spirecctl_set_enabled(const struct spirecctl *ctl, const char *path,
			  bool enabled)
{
	int err = spirecctl_sysctl_write(path, enabled ? "1\n" : "0\n");

	switch (-err) {
	case 0:
		return SPIRECCTL_EXIT_OK;
	case ENOENT:
		return spirecctl_error(ctl, "%s not found: load the module with 'modprobe spirec' (or insmod kmod/spirec.ko)",
				       path);
	case EPERM:
	case EACCES:
	case EROFS:
		return spirecctl_error(ctl, "cannot write %s: %s: CAP_NET_ADMIN is needed",
				       path, strerror(-err));
	default:
		return spirecctl_error(ctl, "cannot write %s: %s", path,
				       strerror(-err));
	}
}
