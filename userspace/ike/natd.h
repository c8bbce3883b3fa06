/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NAT detection hashes (RFC 7296 2.23): SHA-1(SPIi | SPIr | IP | port). */
#ifndef SPIREC_IKE_NATD_H
#define SPIREC_IKE_NATD_H

#include <stdint.h>
#include <sys/socket.h>

#define IKE_NATD_LEN 20

int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct sockaddr *sa,
		  uint8_t out[IKE_NATD_LEN]);

#endif
