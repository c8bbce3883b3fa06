// SPDX-License-Identifier: GPL-2.0
/*
 * A module that loses a few allocations when loaded: the test bed's own
 * test uses it to check that a kernel with kmemleak finds them after the
 * job (guest-init scans) and that vm.sh then fails.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static int __init vm_leak_init(void)
{
	int i;

	for (i = 0; i < 4; i++) {
		char *p = kmalloc(96, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		memset(p, 0x5a, 96);
	}
	pr_info("spirec-vm selftest: 4 objects leaked on purpose\n");
	return 0;
}

static void __exit vm_leak_exit(void)
{
}

module_init(vm_leak_init);
module_exit(vm_leak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("spirec test VM self-test: leak memory on load");
