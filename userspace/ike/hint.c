// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The unauthenticated INVALID_SPI hint of RFC 7296 1.5: an unprotected
 * INFORMATIONAL request with random IKE SPIs carrying N(INVALID_SPI).
 * It is fire-and-forget: nothing is ever read back (2.21.4).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "codec.h"
#include "ike.h"
#include "payloads.h"
#include "proto.h"
#include "transport.h"
#include "xfrm_bypass.h"

int ike_send_hint(const struct ike_hint_cfg *h, uint32_t spi,
		  char *err, size_t errlen)
{
	static const uint8_t marker[IKE_NONESP_MARKER_LEN];
	struct ike_header hdr = {
		.exchange = IKE_INFORMATIONAL, .flags = IKE_FLAG_I,
	};
	struct sockaddr_storage dst;
	struct ike_builder *b;
	uint8_t spib[4], buf[IKE_NONESP_MARKER_LEN + 64];
	size_t off = 0;
	int fd, ret = -1;

	if (!ike_sockaddr_valid(h->peer, h->peer_len) ||
	    h->peer_len > sizeof(dst) ||
	    (h->local && (!ike_sockaddr_valid(h->local, h->local_len) ||
			  h->local->sa_family != h->peer->sa_family))) {
		snprintf(err, errlen, "hint: peer address missing or not IPv4/IPv6");
		return -1;
	}
	memset(&dst, 0, sizeof(dst));
	memcpy(&dst, h->peer, h->peer_len);
	if (!h->udp_encap)
		ike_sockaddr_set_port((struct sockaddr *)&dst, IKE_PORT);
	else if (!ike_sockaddr_port((struct sockaddr *)&dst)) {
		snprintf(err, errlen, "hint: UDP-encapsulated packet without a source port");
		return -1;
	}
	if (RAND_bytes((uint8_t *)&hdr.spi_i, 8) != 1 ||
	    RAND_bytes((uint8_t *)&hdr.spi_r, 8) != 1) {
		snprintf(err, errlen, "hint: RAND_bytes failed");
		return -1;
	}
	b = malloc(sizeof(*b));
	if (!b) {
		snprintf(err, errlen, "hint: out of memory");
		return -1;
	}
	ike_put32(spib, spi);
	ike_builder_init_msg(b, &hdr);
	ike_notify_write(b, IKE_PROTO_NONE, NULL, 0, IKE_N_INVALID_SPI, spib,
			 sizeof(spib));
	if (ike_builder_finish(b) || b->len > sizeof(buf) - sizeof(marker)) {
		snprintf(err, errlen, "hint: message too large");
		free(b);
		return -1;
	}
	if (h->udp_encap) {
		memcpy(buf, marker, sizeof(marker));
		off = sizeof(marker);
	}
	memcpy(buf + off, b->buf, b->len);
	off += b->len;
	free(b);

	fd = socket(dst.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "hint: socket: %s", strerror(errno));
		return -1;
	}
	if (ike_socket_xfrm_bypass(fd, dst.ss_family, err, errlen) < 0)
		goto out;
	if (h->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &h->fwmark,
				    sizeof(h->fwmark)) < 0) {
		snprintf(err, errlen, "hint: SO_MARK: %s", strerror(errno));
		goto out;
	}
	if (h->local && bind(fd, h->local, h->local_len) < 0) {
		snprintf(err, errlen, "hint: bind: %s", strerror(errno));
		goto out;
	}
	if (sendto(fd, buf, off, 0, (struct sockaddr *)&dst,
		   h->peer_len) < 0) {
		char a[64];

		ike_sockaddr_format((struct sockaddr *)&dst, a, sizeof(a));
		snprintf(err, errlen, "hint: sendto %s: %s", a,
			 strerror(errno));
		goto out;
	}
	ret = 0;
out:
	close(fd);
	return ret;
}
