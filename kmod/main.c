// SPDX-License-Identifier: GPL-2.0
/*
 * spirec: reports IPsec packets whose SPI matches no SA, so that a daemon
 * can re-establish the SAs with a peer that still uses lost ones (like
 * Cisco's invalid-SPI recovery). See uapi/linux/spirec.h.
 */

#include <linux/module.h>
#include <linux/spirec.h>
#include <net/genetlink.h>

#include "netlink.h"
#include "netns.h"

static int __init spirec_init(void)
{
	int err;

	err = register_pernet_subsys(&spirec_net_ops);
	if (err)
		return err;
	err = spirec_genl_register();
	if (err) {
		unregister_pernet_subsys(&spirec_net_ops);
		return err;
	}
	return 0;
}

static void __exit spirec_exit(void)
{
	/* No request may run while the per-netns state goes away. */
	spirec_genl_unregister();
	/*
	 * Hooks go in pre_exit, then a grace period, then the state. What is
	 * still queued for RCU is kfree_rcu() only: no code of this module.
	 */
	unregister_pernet_subsys(&spirec_net_ops);
}

module_init(spirec_init);
module_exit(spirec_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Invalid SPI detection for IPsec peers that lost their SAs");
MODULE_ALIAS_GENL_FAMILY(SPIREC_GENL_NAME);
