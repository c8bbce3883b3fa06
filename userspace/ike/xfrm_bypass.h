/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-socket IPsec policy bypass for spirecd's IKE sockets. */
#ifndef SPIREC_IKE_XFRM_BYPASS_H
#define SPIREC_IKE_XFRM_BYPASS_H

#include <stddef.h>

/*
 * Give socket fd (family AF_INET or AF_INET6) an "allow" socket policy
 * in both directions (IP_XFRM_POLICY / IPV6_XFRM_POLICY), as charon does
 * for its IKE sockets: no IPsec policy of the system, a 0.0.0.0/0 or a
 * host-to-host one included, can then capture, block or trigger an
 * acquire on the IKE packets. Needs CAP_NET_ADMIN. Returns 0, or -1 with
 * a message in err.
 */
int ike_socket_xfrm_bypass(int fd, int family, char *err, size_t errlen);

#endif
