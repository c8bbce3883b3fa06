/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a small regular file whole (configuration, status file).
 */
#ifndef SPIREC_READ_FILE_H
#define SPIREC_READ_FILE_H

#include <stddef.h>

/*
 * Read up to @size bytes of @fd (its size from fstat(), checked by the
 * caller) into a new buffer of @size + 1 bytes; *@len is what was read,
 * less than @size at an early end of file or a read error. Retries on
 * EINTR. Returns NULL when out of memory. The caller frees the buffer
 * (and wipes it first if it held keys) and closes @fd.
 */
char *spirec_read_fd(int fd, size_t size, size_t *len);

#endif
