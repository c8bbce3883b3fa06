/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Crypto warm-up at start (see warm.c).
 */
#ifndef SPIRECD_WARM_H
#define SPIRECD_WARM_H

#include "config.h"

/* OpenSSL initialised, its generators seeded, one key pair generated for
 * the DH group of every ikev2 peer. Main thread, before the workers. */
void spirecd_warm_up(const struct spirecd_config *cfg);

/* The calling thread's own random generators (each worker at start). */
void spirecd_warm_thread(void);

#endif
