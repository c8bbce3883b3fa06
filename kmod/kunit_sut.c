// SPDX-License-Identifier: GPL-2.0
/*
 * The units under test, compiled into spirec_kunit.ko on their own: the
 * test module needs neither spirec.ko nor any export from it, and spirec.ko
 * is built exactly as without KUnit.
 */

#include <linux/module.h>

#include "parse.c"
#include "ratelimit.c"
#include "known.c"

MODULE_DESCRIPTION("KUnit tests of spirec's parser, rate limiter and peer lists");
MODULE_LICENSE("GPL");
