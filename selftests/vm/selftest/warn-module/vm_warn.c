// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose only job is to WARN once when loaded: the test bed's own
 * test uses it to check that vm.sh fails on a warning in the guest's log.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vm_warn_init(void)
{
	WARN(1, "spirec-vm selftest: deliberate warning\n");
	return 0;
}

static void __exit vm_warn_exit(void)
{
}

module_init(vm_warn_init);
module_exit(vm_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("spirec test VM self-test: WARN on load");
