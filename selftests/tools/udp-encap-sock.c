// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp-encap-sock: hold a UDP socket on port 4500 with UDP_ENCAP_ESPINUDP
 * so the kernel hands ESP-in-UDP packets to xfrm (RFC 3948), like an IKE
 * daemon would. Like an IKE daemon, it gives the socket per-socket
 * "allow" policies in both directions, so the outer UDP packets are not
 * held to the host's IPsec policies. Stays until killed; IKE packets (zero
 * marker) that reach the socket are read and dropped.
 *
 * usage: udp-encap-sock -4|-6 [-p PORT] [-r READYFILE]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif

/* Per-socket bypass of the IPsec policies, in and out. */
static int bypass_policies(int fd, int family)
{
	struct xfrm_userpolicy_info pol;
	int level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int opt = family == AF_INET ? IP_XFRM_POLICY : IPV6_XFRM_POLICY;
	int dir;

	for (dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		memset(&pol, 0, sizeof(pol));
		pol.action = XFRM_POLICY_ALLOW;
		pol.sel.family = family;
		pol.dir = dir;
		pol.lft.soft_byte_limit = XFRM_INF;
		pol.lft.hard_byte_limit = XFRM_INF;
		pol.lft.soft_packet_limit = XFRM_INF;
		pol.lft.hard_packet_limit = XFRM_INF;
		if (setsockopt(fd, level, opt, &pol, sizeof(pol)))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	struct sockaddr_storage ss;
	int family = 0, port = 4500, type = UDP_ENCAP_ESPINUDP, one = 1;
	socklen_t len;
	char buf[2048];
	int c, fd;

	while ((c = getopt(argc, argv, "46p:r:")) != -1) {
		switch (c) {
		case '4':
			family = AF_INET;
			break;
		case '6':
			family = AF_INET6;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			family = 0;
			optind = argc + 1;
			break;
		}
	}
	if (!family || optind != argc || port <= 0 || port > 65535) {
		fprintf(stderr,
			"usage: udp-encap-sock -4|-6 [-p PORT] [-r READYFILE]\n");
		return 2;
	}

	fd = socket(family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0) {
		perror("udp-encap-sock: socket");
		return 1;
	}
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
		/* v6 only, so a -4 socket on the same port can coexist */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			       sizeof(one))) {
			perror("udp-encap-sock: IPV6_V6ONLY");
			return 1;
		}
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len)) {
		perror("udp-encap-sock: bind");
		return 1;
	}
	if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type))) {
		perror("udp-encap-sock: UDP_ENCAP");
		return 1;
	}
	if (bypass_policies(fd, family)) {
		perror("udp-encap-sock: XFRM_POLICY");
		return 1;
	}
	if (ready) {
		int rfd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (rfd < 0 || close(rfd)) {
			perror("udp-encap-sock: ready file");
			return 1;
		}
	}
	for (;;) {
		if (recv(fd, buf, sizeof(buf), 0) < 0 && errno != EINTR) {
			perror("udp-encap-sock: recv");
			return 1;
		}
	}
}
