// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int spirec_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t ncap = *cap ? 2 * *cap : first;
	void *arr, *p;

	if (n < *cap)
		return 0;
	memcpy(&arr, arrp, sizeof(arr));
	p = reallocarray(arr, ncap, size);
	if (!p)
		return -ENOMEM;
	memcpy(arrp, &p, sizeof(p));
	*cap = ncap;
	return 0;
}
