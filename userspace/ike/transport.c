// SPDX-License-Identifier: GPL-2.0-or-later
/* UDP transport of IKE messages, with the NAT-T non-ESP marker. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "err.h"
#include "proto.h"
#include "transport.h"
#include "xfrm_bypass.h"

bool ike_sockaddr_valid(const struct sockaddr *sa, socklen_t len)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET)
		return len >= sizeof(struct sockaddr_in);
	if (sa->sa_family == AF_INET6)
		return len >= sizeof(struct sockaddr_in6);
	return false;
}

uint16_t ike_sockaddr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

void ike_sockaddr_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

void ike_sockaddr_format(const struct sockaddr *sa, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ike_sockaddr_port(sa));
	} else {
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ike_sockaddr_port(sa));
	}
}

static int do_connect(struct ike_transport *t, char *err, size_t errlen)
{
	char a[64];

	if (connect(t->fd, (struct sockaddr *)&t->peer, t->peer_len) < 0) {
		ike_sockaddr_format((struct sockaddr *)&t->peer, a, sizeof(a));
		snprintf(err, errlen, "connect to %s: %s", a, strerror(errno));
		return -1;
	}
	t->local_len = sizeof(t->local);
	if (getsockname(t->fd, (struct sockaddr *)&t->local,
			&t->local_len) < 0) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int ike_transport_open(struct ike_transport *t, const struct sockaddr *peer,
		       socklen_t peer_len, const struct sockaddr *local,
		       socklen_t local_len, uint32_t fwmark,
		       char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (peer_len > sizeof(t->peer) || !ike_sockaddr_valid(peer, peer_len) ||
	    (local && (!ike_sockaddr_valid(local, local_len) ||
		       local->sa_family != peer->sa_family))) {
		snprintf(err, errlen, "peer/local address family mismatch or "
			 "not IPv4/IPv6");
		return -1;
	}
	memcpy(&t->peer, peer, peer_len);
	t->peer_len = peer_len;
	t->fd = socket(peer->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (ike_socket_xfrm_bypass(t->fd, peer->sa_family, err, errlen) < 0)
		goto fail;
	if (fwmark && setsockopt(t->fd, SOL_SOCKET, SO_MARK, &fwmark,
				 sizeof(fwmark)) < 0) {
		snprintf(err, errlen, "SO_MARK %u: %s", fwmark,
			 strerror(errno));
		goto fail;
	}
	if (local && bind(t->fd, local, local_len) < 0) {
		char a[64];

		ike_sockaddr_format(local, a, sizeof(a));
		snprintf(err, errlen, "bind %s: %s", a, strerror(errno));
		goto fail;
	}
	if (do_connect(t, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	close(t->fd);
	t->fd = -1;
	return -1;
}

int ike_transport_set_port(struct ike_transport *t, uint16_t port,
			   bool marker, char *err, size_t errlen)
{
	ike_sockaddr_set_port((struct sockaddr *)&t->peer, port);
	t->marker = marker;
	return do_connect(t, err, errlen);
}

int ike_transport_send(struct ike_transport *t, const uint8_t *buf,
		       size_t len)
{
	static const uint8_t marker[IKE_NONESP_MARKER_LEN];
	struct iovec iov[2] = {
		{ (void *)marker, t->marker ? sizeof(marker) : 0 },
		{ (void *)buf, len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	if (sendmsg(t->fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ssize_t ike_transport_recv(struct ike_transport *t, uint8_t *buf,
			   size_t cap, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;
		int rc;

		if (left < 0)
			left = 0;
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc == 0)
			return 0;
		n = recv(t->fd, buf, cap, MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if ((size_t)n > cap)
			continue;	/* larger than any message we accept */
		if (t->marker) {
			/* Non-ESP marker (4 zero bytes) or it is ESP. */
			if (n < IKE_NONESP_MARKER_LEN + IKE_HDR_LEN ||
			    ike_get32(buf) != 0)
				continue;
			n -= IKE_NONESP_MARKER_LEN;
			memmove(buf, buf + IKE_NONESP_MARKER_LEN, (size_t)n);
		}
		if (n < IKE_HDR_LEN)
			continue;
		return n;
	}
}

void ike_transport_close(struct ike_transport *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}
