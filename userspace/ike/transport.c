// SPDX-License-Identifier: GPL-2.0-or-later
/* UDP transport of IKE messages, with the NAT-T non-ESP marker. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "err.h"
#include "proto.h"
#include "ike.h"
#include "transport.h"
#include "xfrm_bypass.h"

static int raw_send(struct ike_transport *t, const uint8_t *buf, size_t len);
static ssize_t raw_recv(struct ike_transport *t, uint8_t *buf, size_t cap);

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
		snprintf(err, errlen, "peer/local address family mismatch or not IPv4/IPv6");
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
	ike_transport_close(t);
	return -1;
}

int ike_transport_open_cfg(struct ike_transport *t,
			   const struct ike_peer_cfg *cfg,
			   char *err, size_t errlen)
{
	uint16_t natt = cfg->peer_natt_port ? cfg->peer_natt_port :
					      IKE_NATT_PORT;
	struct sockaddr_storage peer;
	int ret;

	if (cfg->peer_len > sizeof(peer)) {
		snprintf(err, errlen, "peer address too long");
		return -1;
	}
	memset(&peer, 0, sizeof(peer));
	memcpy(&peer, cfg->peer, cfg->peer_len);
	if (!ike_sockaddr_port((struct sockaddr *)&peer))
		ike_sockaddr_set_port((struct sockaddr *)&peer, IKE_PORT);
	if (cfg->via_nat_mapping)
		ret = ike_transport_open_raw(t, (struct sockaddr *)&peer,
					     cfg->peer_len, cfg->local,
					     cfg->local_len, cfg->fwmark, err,
					     errlen);
	else
		ret = ike_transport_open(t, (struct sockaddr *)&peer,
					 cfg->peer_len, cfg->local,
					 cfg->local_len, cfg->fwmark, err,
					 errlen);
	if (ret)
		return ret;
	/* Talking to the peer's NAT-T port directly needs the marker. */
	if (ike_sockaddr_port((struct sockaddr *)&peer) == natt)
		t->marker = true;
	return 0;
}

int ike_transport_set_port(struct ike_transport *t, uint16_t port,
			   bool marker, char *err, size_t errlen)
{
	if (t->raw) {
		snprintf(err, errlen, "raw transport: the peer's port is fixed");
		return -1;
	}
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

	if (t->raw)
		return raw_send(t, buf, len);
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

/* --- raw mode ---------------------------------------------------------- */

#define UDP_HDR_LEN	8
#define IPV4_HDR_MIN	20

static const uint8_t *sa_addr(const struct sockaddr_storage *ss, size_t *len)
{
	if (ss->ss_family == AF_INET) {
		*len = 4;
		return (const uint8_t *)
		       &((const struct sockaddr_in *)ss)->sin_addr;
	}
	*len = 16;
	return (const uint8_t *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* UDP checksum of @udp (@len bytes, header included) from @src to @dst. */
static uint16_t udp_csum(const struct sockaddr_storage *src,
			 const struct sockaddr_storage *dst,
			 const uint8_t *udp, size_t len)
{
	uint8_t tail[4] = { 0, 0, 0, 17 };
	const uint8_t *a;
	uint32_t sum = 0;
	uint8_t l[4];
	size_t alen;

	a = sa_addr(src, &alen);
	sum = csum_add(sum, a, alen);
	a = sa_addr(dst, &alen);
	sum = csum_add(sum, a, alen);
	ike_put32(l, (uint32_t)len);
	sum = csum_add(sum, l, sizeof(l));
	sum = csum_add(sum, tail, sizeof(tail));
	return csum_fold(csum_add(sum, udp, len));
}

size_t ike_raw_build(const struct ike_transport *t, const uint8_t *msg,
		     size_t len, uint8_t *out, size_t cap)
{
	size_t m = t->marker ? IKE_NONESP_MARKER_LEN : 0;
	size_t total = UDP_HDR_LEN + m + len;
	uint16_t sum;

	if (total > cap || total > 65535)
		return 0;
	ike_put16(out, ike_sockaddr_port((const struct sockaddr *)&t->local));
	ike_put16(out + 2, ike_sockaddr_port((const struct sockaddr *)&t->peer));
	ike_put16(out + 4, (uint16_t)total);
	ike_put16(out + 6, 0);
	memset(out + UDP_HDR_LEN, 0, m);
	memcpy(out + UDP_HDR_LEN + m, msg, len);
	sum = udp_csum(&t->local, &t->peer, out, total);
	ike_put16(out + 6, sum ? sum : 0xffff);
	return total;
}

static bool addr_eq(const struct sockaddr_storage *ss, const uint8_t *a)
{
	const uint8_t *b;
	size_t len;

	b = sa_addr(ss, &len);
	return !memcmp(a, b, len);
}

ssize_t ike_raw_parse(const struct ike_transport *t, const uint8_t *pkt,
		      size_t len, size_t *msglen)
{
	size_t off = 0, ulen, m = t->marker ? IKE_NONESP_MARKER_LEN : 0;

	if (t->peer.ss_family == AF_INET) {
		size_t ihl, tot;

		if (len < IPV4_HDR_MIN || pkt[0] >> 4 != 4)
			return -1;
		ihl = (size_t)(pkt[0] & 0xf) * 4;
		tot = ike_get16(pkt + 2);
		if (ihl < IPV4_HDR_MIN || tot < ihl || tot > len ||
		    pkt[9] != 17 || !addr_eq(&t->peer, pkt + 12) ||
		    !addr_eq(&t->local, pkt + 16))
			return -1;
		off = ihl;
		len = tot;
	}
	if (len - off < UDP_HDR_LEN)
		return -1;
	ulen = ike_get16(pkt + off + 4);
	if (ike_get16(pkt + off) !=
	    ike_sockaddr_port((const struct sockaddr *)&t->peer) ||
	    ike_get16(pkt + off + 2) !=
	    ike_sockaddr_port((const struct sockaddr *)&t->local) ||
	    ulen < UDP_HDR_LEN || ulen > len - off)
		return -1;
	/*
	 * The UDP checksum is not verified: a raw socket sees the datagram
	 * before UDP does, and a sender with checksum offload on a virtual
	 * link (veth, virtio) leaves only the pseudo-header sum in it (seen
	 * in the e2e test). IKE protects itself: a damaged IKE_SA_INIT
	 * response fails the AUTH, later messages their ICV.
	 */
	off += UDP_HDR_LEN;
	ulen -= UDP_HDR_LEN;
	if (ulen < m + IKE_HDR_LEN || (m && ike_get32(pkt + off) != 0))
		return -1;
	*msglen = ulen - m;
	return (ssize_t)(off + m);
}

/* Only datagrams from the peer's port to ours reach the socket. */
static int raw_filter(struct ike_transport *t)
{
	uint16_t pp = ike_sockaddr_port((struct sockaddr *)&t->peer);
	uint16_t lp = ike_sockaddr_port((struct sockaddr *)&t->local);
	struct sock_filter v4[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, pp, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, lp, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffU),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter v6[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, pp, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, lp, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffU),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;

	if (t->peer.ss_family == AF_INET) {
		prog.len = sizeof(v4) / sizeof(v4[0]);
		prog.filter = v4;
	} else {
		prog.len = sizeof(v6) / sizeof(v6[0]);
		prog.filter = v6;
	}
	return setsockopt(t->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog));
}

int ike_transport_open_raw(struct ike_transport *t, const struct sockaddr *peer,
			   socklen_t peer_len, const struct sockaddr *local,
			   socklen_t local_len, uint32_t fwmark,
			   char *err, size_t errlen)
{
	struct sockaddr_storage b;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (!ike_sockaddr_valid(peer, peer_len) || !local ||
	    !ike_sockaddr_valid(local, local_len) ||
	    local->sa_family != peer->sa_family ||
	    peer_len > sizeof(t->peer) || local_len > sizeof(t->local) ||
	    !ike_sockaddr_port(local) || !ike_sockaddr_port(peer)) {
		snprintf(err, errlen, "raw transport needs local and peer addresses of one family, with ports");
		return -1;
	}
	memcpy(&t->peer, peer, peer_len);
	t->peer_len = peer_len;
	memcpy(&t->local, local, local_len);
	t->local_len = local_len;
	t->raw = true;
	t->marker = true;
	t->fd = socket(peer->sa_family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP);
	if (t->fd < 0) {
		snprintf(err, errlen, "raw socket: %s", strerror(errno));
		return -1;
	}
	if (fwmark && setsockopt(t->fd, SOL_SOCKET, SO_MARK, &fwmark,
				 sizeof(fwmark)) < 0) {
		snprintf(err, errlen, "SO_MARK %u: %s", fwmark,
			 strerror(errno));
		goto fail;
	}
	if (ike_socket_xfrm_bypass(t->fd, peer->sa_family, err, errlen) < 0)
		goto fail;
	if (raw_filter(t) < 0) {
		snprintf(err, errlen, "SO_ATTACH_FILTER: %s", strerror(errno));
		goto fail;
	}
	/* Raw sockets take no port: bind and connect the addresses only. */
	memcpy(&b, local, local_len);
	ike_sockaddr_set_port((struct sockaddr *)&b, 0);
	if (bind(t->fd, (struct sockaddr *)&b, local_len) < 0) {
		snprintf(err, errlen, "bind raw socket: %s", strerror(errno));
		goto fail;
	}
	memcpy(&b, peer, peer_len);
	ike_sockaddr_set_port((struct sockaddr *)&b, 0);
	if (connect(t->fd, (struct sockaddr *)&b, peer_len) < 0) {
		snprintf(err, errlen, "connect raw socket: %s",
			 strerror(errno));
		goto fail;
	}
	return 0;
fail:
	ike_transport_close(t);
	return -1;
}

static int raw_send(struct ike_transport *t, const uint8_t *buf, size_t len)
{
	size_t cap = UDP_HDR_LEN + IKE_NONESP_MARKER_LEN + len, n;
	uint8_t *pkt = malloc(cap);
	int rc = 0;

	if (!pkt)
		return -ENOMEM;
	n = ike_raw_build(t, buf, len, pkt, cap);
	if (!n)
		rc = -EMSGSIZE;
	else if (send(t->fd, pkt, n, 0) < 0)
		rc = -errno;
	free(pkt);
	return rc;
}

/* One datagram off the raw socket: the IKE message into @buf, its
 * length; 0 if the datagram is not for this exchange; -errno.
 */
static ssize_t raw_recv(struct ike_transport *t, uint8_t *buf, size_t cap)
{
	size_t rcap = 60 + UDP_HDR_LEN + IKE_NONESP_MARKER_LEN + cap, mlen;
	uint8_t *pkt = malloc(rcap);
	ssize_t n, off;

	if (!pkt)
		return -ENOMEM;
	n = recv(t->fd, pkt, rcap, MSG_TRUNC);
	if (n < 0) {
		n = -errno;
	} else if ((size_t)n > rcap) {
		n = 0;
	} else {
		off = ike_raw_parse(t, pkt, (size_t)n, &mlen);
		if (off < 0 || mlen > cap) {
			n = 0;
		} else {
			memcpy(buf, pkt + off, mlen);
			n = (ssize_t)mlen;
		}
	}
	free(pkt);
	return n;
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
		if (t->raw) {
			n = raw_recv(t, buf, cap);
			if (n == -EINTR || n == -EAGAIN || n == 0)
				continue;
			return n;
		}
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
