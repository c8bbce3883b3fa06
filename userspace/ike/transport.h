/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UDP socket of one IKE SA: connected to the peer (so the kernel
 * only hands us the peer's datagrams), optionally on the NAT-T port with
 * the 4-byte non-ESP marker (RFC 3948 2.2).
 */
#ifndef SPIREC_IKE_TRANSPORT_H
#define SPIREC_IKE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct ike_transport {
	int fd;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct sockaddr_storage local;	/* after connect(): real source */
	socklen_t local_len;
	bool marker;
};

int ike_transport_open(struct ike_transport *t, const struct sockaddr *peer,
		       socklen_t peer_len, const struct sockaddr *local,
		       socklen_t local_len, uint32_t fwmark,
		       char *err, size_t errlen);
/* Re-target the peer's port; @marker adds/strips the non-ESP marker. */
int ike_transport_set_port(struct ike_transport *t, uint16_t port,
			   bool marker, char *err, size_t errlen);
int ike_transport_send(struct ike_transport *t, const uint8_t *buf,
		       size_t len);
/*
 * Wait up to @timeout_ms for one IKE message. Returns its length, 0 on
 * timeout, -errno on a socket error (e.g. -ECONNREFUSED). Datagrams
 * that cannot be IKE (ESP on the NAT-T port, keepalives) are skipped.
 */
ssize_t ike_transport_recv(struct ike_transport *t, uint8_t *buf,
			   size_t cap, int timeout_ms);
void ike_transport_close(struct ike_transport *t);

/* An AF_INET/AF_INET6 address of at least its family's size. */
bool ike_sockaddr_valid(const struct sockaddr *sa, socklen_t len);
uint16_t ike_sockaddr_port(const struct sockaddr *sa);
void ike_sockaddr_set_port(struct sockaddr *sa, uint16_t port);
/* "192.0.2.1:500" / "[2001:db8::1]:500" */
void ike_sockaddr_format(const struct sockaddr *sa, char *buf, size_t len);

#endif
