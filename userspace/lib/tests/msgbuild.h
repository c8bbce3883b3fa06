/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: build netlink messages as the kernel would send them.
 */
#ifndef SPIREC_TEST_MSGBUILD_H
#define SPIREC_TEST_MSGBUILD_H

#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/* Large enough for every message the tests build; 8-byte aligned. */
#define MSGBUILD_SIZE	4096

struct msgbuild {
	union {
		uint64_t align;
		uint8_t buf[MSGBUILD_SIZE];
	};
	struct nlmsghdr *nlh;
};

/* Start a generic netlink message of family @type with command @cmd. */
struct nlmsghdr *msgbuild_genl(struct msgbuild *mb, uint16_t type,
			       uint8_t cmd);

/* Add an attribute with an arbitrary payload (to get lengths wrong). */
void msgbuild_raw(struct msgbuild *mb, uint16_t type, const void *data,
		  size_t len);

#endif
