// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmocka test of the per-socket IPsec policy bypass: in a private network
 * namespace with a "block everything" output policy (and then a transport
 * policy without any state, which would trigger an acquire), a UDP socket
 * with ike_socket_xfrm_bypass() still sends over loopback, one without is
 * caught. Needs root (unshare, CAP_NET_ADMIN) and iproute2; skipped
 * otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../xfrm_bypass.h"

static bool in_netns;

static int setup_netns(void **state)
{
	struct ifreq ifr;
	FILE *f;
	int fd;

	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) == 0)
		in_netns = true;
	close(fd);
	/* IPv4 loopback has disable_xfrm = 1 by default: no policy lookup. */
	f = fopen("/proc/sys/net/ipv4/conf/lo/disable_xfrm", "w");
	if (!f || fputs("0\n", f) < 0)
		in_netns = false;
	if (f && fclose(f) != 0)
		in_netns = false;
	return 0;
}

static void sh(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* A bound receiver on loopback; returns its fd, fills addr. */
static int receiver(int family, struct sockaddr_storage *addr, socklen_t *len)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(addr, 0, sizeof(*addr));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)addr;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		*len = sizeof(*a);
	}
	assert_int_equal(bind(fd, (struct sockaddr *)addr, *len), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)addr, len), 0);
	return fd;
}

/* Sends one datagram; returns 0 if it arrived at rfd, else -errno / -1. */
static int try_send(int family, bool bypass, int rfd,
		    const struct sockaddr_storage *to, socklen_t len)
{
	char err[256] = "", buf[16];
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	assert_true(fd >= 0);
	if (bypass && ike_socket_xfrm_bypass(fd, family, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	if (sendto(fd, "ike", 3, 0, (const struct sockaddr *)to, len) < 0) {
		ret = -errno;
		goto out;
	}
	if (poll(&pfd, 1, 500) == 1 && recv(rfd, buf, sizeof(buf), 0) == 3)
		ret = 0;
out:
	close(fd);
	return ret;
}

static void check_family(int family, const char *policy_fmt)
{
	struct sockaddr_storage to;
	socklen_t len;
	char cmd[256];
	int rfd, rc;

	if (!in_netns)
		skip();
	rfd = receiver(family, &to, &len);
	assert_int_equal(try_send(family, false, rfd, &to, len), 0);
	snprintf(cmd, sizeof(cmd), policy_fmt,
		 family == AF_INET ? "0.0.0.0/0" : "::/0",
		 family == AF_INET ? "0.0.0.0/0" : "::/0");
	sh(cmd);
	rc = try_send(family, false, rfd, &to, len);
	print_message("# %s without bypass: %s\n",
		      family == AF_INET ? "IPv4" : "IPv6",
		      rc == 0 ? "sent" : rc == -1 ? "lost" : strerror(-rc));
	assert_int_not_equal(rc, 0);
	assert_int_equal(try_send(family, true, rfd, &to, len), 0);
	print_message("# %s with bypass: sent and received\n",
		      family == AF_INET ? "IPv4" : "IPv6");
	sh("ip xfrm policy flush");
	close(rfd);
}

static void test_block_v4(void **state)
{
	(void)state;
	check_family(AF_INET,
		     "ip xfrm policy add src %s dst %s dir out action block");
}

static void test_block_v6(void **state)
{
	(void)state;
	check_family(AF_INET6,
		     "ip xfrm policy add src %s dst %s dir out action block");
}

static void test_transport_v4(void **state)
{
	(void)state;
	/* A transport-mode policy with no state: without the bypass the
	 * packet waits for an acquire (larval state) or fails.
	 */
	check_family(AF_INET,
		     "ip xfrm policy add src %s dst %s proto udp dir out "
		     "tmpl proto esp mode transport");
}

static void test_transport_v6(void **state)
{
	(void)state;
	check_family(AF_INET6,
		     "ip xfrm policy add src %s dst %s proto udp dir out "
		     "tmpl proto esp mode transport");
}

static void test_bad_family(void **state)
{
	char err[128] = "";
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ike_socket_xfrm_bypass(fd, AF_UNIX, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not IPv4/IPv6"));
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_v4),
		cmocka_unit_test(test_block_v6),
		cmocka_unit_test(test_transport_v4),
		cmocka_unit_test(test_transport_v6),
		cmocka_unit_test(test_bad_family),
	};

	return cmocka_run_group_tests(tests, setup_netns, NULL);
}
