// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-socket IPsec policy bypass (IP_XFRM_POLICY / IPV6_XFRM_POLICY). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm.h>

#include "xfrm_bypass.h"

int ike_socket_xfrm_bypass(int fd, int family, char *err, size_t errlen)
{
	static const int dirs[] = { XFRM_POLICY_IN, XFRM_POLICY_OUT };
	int level, opt;

	if (family == AF_INET) {
		level = IPPROTO_IP;
		opt = IP_XFRM_POLICY;
	} else if (family == AF_INET6) {
		level = IPPROTO_IPV6;
		opt = IPV6_XFRM_POLICY;
	} else {
		snprintf(err, errlen, "IPsec bypass: address family %d is not IPv4/IPv6",
			 family);
		return -1;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct xfrm_userpolicy_info pol;

		memset(&pol, 0, sizeof(pol));
		pol.action = XFRM_POLICY_ALLOW;
		pol.sel.family = (__u16)family;
		pol.dir = (__u8)dirs[i];
		pol.lft.soft_byte_limit = XFRM_INF;
		pol.lft.hard_byte_limit = XFRM_INF;
		pol.lft.soft_packet_limit = XFRM_INF;
		pol.lft.hard_packet_limit = XFRM_INF;
		if (setsockopt(fd, level, opt, &pol, sizeof(pol)) < 0) {
			snprintf(err, errlen, "IPsec bypass (%s, %s): %s (needs CAP_NET_ADMIN)",
				 family == AF_INET ? "IP_XFRM_POLICY" : "IPV6_XFRM_POLICY",
				 dirs[i] == XFRM_POLICY_IN ? "in" : "out",
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}
