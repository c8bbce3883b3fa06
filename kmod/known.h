/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-peer list of a network namespace: address prefixes whose
 * invalid-SPI packets may produce events when known_peers_only is set.
 */
#ifndef _SPIREC_KNOWN_H
#define _SPIREC_KNOWN_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/xfrm.h>

/**
 * struct spirec_prefix - an address prefix
 * @addr: the address; bits past @prefixlen are zero once added
 * @family: AF_INET or AF_INET6
 * @prefixlen: 0..32 or 0..128
 */
struct spirec_prefix {
	xfrm_address_t addr;
	u16 family;
	u8 prefixlen;
};

/**
 * struct spirec_known - the list
 * @head: entries (RCU readers; changed under @lock)
 * @count: number of entries, at most %SPIREC_KNOWN_MAX
 * @lock: serializes changes
 */
struct spirec_known {
	struct list_head head;
	unsigned int count;
	struct mutex lock; /* serializes changes of @head and @count */
};

void spirec_known_init(struct spirec_known *k);
void spirec_known_destroy(struct spirec_known *k);
void spirec_prefix_normalize(struct spirec_prefix *p);
bool spirec_prefix_match(const struct spirec_prefix *p, u16 family,
			 const xfrm_address_t *addr);
int spirec_known_add(struct spirec_known *k, const struct spirec_prefix *p);
int spirec_known_del(struct spirec_known *k, const struct spirec_prefix *p);
bool spirec_known_match(struct spirec_known *k, u16 family,
			const xfrm_address_t *addr);

typedef int (*spirec_known_walk_fn)(const struct spirec_prefix *p,
				    void *arg);
int spirec_known_walk(struct spirec_known *k, unsigned long *index,
		      spirec_known_walk_fn fn, void *arg);

#endif /* _SPIREC_KNOWN_H */
