// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl: inspect and control the spirec kernel module.
 */
#include "spirecctl.h"

int main(int argc, char *argv[])
{
	return spirecctl_main(argc, argv);
}
