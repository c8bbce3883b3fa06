// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: spirec_grow() doubles from its first size, only when full,
 * and keeps what the array held.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "../grow.h"

static void test_grow(void **state)
{
	uint32_t *a = NULL;
	size_t cap = 0, n;

	(void)state;
	for (n = 0; n < 100; n++) {
		assert_int_equal(spirec_grow(&a, &cap, n, sizeof(*a), 4), 0);
		assert_true(n < cap);
		a[n] = (uint32_t)n * 7;
		if (n == 0)
			assert_int_equal(cap, 4);
		if (n == 4)
			assert_int_equal(cap, 8);
	}
	assert_int_equal(cap, 128);
	for (n = 0; n < 100; n++)
		assert_int_equal(a[n], n * 7);
	/* Not full: nothing changes. */
	assert_int_equal(spirec_grow(&a, &cap, 100, sizeof(*a), 4), 0);
	assert_int_equal(cap, 128);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
	};

	return cmocka_run_group_tests_name("lib_grow", tests, NULL, NULL);
}
