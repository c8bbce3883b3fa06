// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a small regular file whole.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "read_file.h"

char *spirec_read_fd(int fd, size_t size, size_t *len)
{
	char *text = malloc(size + 1);
	ssize_t r;

	*len = 0;
	if (!text)
		return NULL;
	while (*len < size) {
		r = read(fd, text + *len, size - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*len += (size_t)r;
	}
	return text;
}
