/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arrays that grow by doubling.
 */
#ifndef SPIREC_GROW_H
#define SPIREC_GROW_H

#include <stddef.h>

/*
 * Make room for element @n of the array at *@arrp (a pointer to the
 * array's pointer), which has room for *@cap elements of @size bytes:
 * when @n == *@cap, reallocate it to twice *@cap, or to @first elements
 * when it has none. Returns 0, or -ENOMEM with the array unchanged.
 */
int spirec_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first);

#endif
