/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-peer list of a network namespace: address prefixes whose
 * invalid-SPI packets may produce events when known_peers_only is set.
 */
#ifndef _SPIREC_KNOWN_H
#define _SPIREC_KNOWN_H

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
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

/* log2 of the hash buckets of a known-peer list (SPIREC_KNOWN_MAX entries). */
#define SPIREC_KNOWN_HASH_BITS	9

/**
 * struct spirec_known - the list
 * @head: entries in insertion order, for dumps (RCU readers; changed
 *	under @lock)
 * @buckets: the same entries hashed by (family, prefix length, prefix),
 *	for lookups (RCU readers; changed under @lock)
 * @plens4: prefix lengths with at least one AF_INET entry
 * @plens6: prefix lengths with at least one AF_INET6 entry
 * @nplen4: entries per AF_INET prefix length (@lock)
 * @nplen6: entries per AF_INET6 prefix length (@lock)
 * @count: number of entries, at most %SPIREC_KNOWN_MAX
 * @gen: changes with every addition and removal (dump consistency)
 * @hkey: random key of the hash function
 * @lock: serializes changes
 *
 * A lookup costs one hash probe per prefix length in use in the address's
 * family (one for a list of hosts), whatever the number of entries.
 */
struct spirec_known {
	struct list_head head;
	struct hlist_head buckets[1 << SPIREC_KNOWN_HASH_BITS];
	DECLARE_BITMAP(plens4, 33);
	DECLARE_BITMAP(plens6, 129);
	u16 nplen4[33];
	u16 nplen6[129];
	unsigned int count;
	atomic_t gen;
	hsiphash_key_t hkey;
	struct mutex lock; /* serializes changes of the entries */
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
bool spirec_known_match_rcu(struct spirec_known *k, u16 family,
			    const xfrm_address_t *addr);
unsigned int spirec_known_plens(struct spirec_known *k, u16 family);

/**
 * spirec_known_gen - generation of the list
 * @k: the list
 *
 * Return: a number that differs after any addition or removal.
 */
static inline unsigned int spirec_known_gen(struct spirec_known *k)
{
	return atomic_read(&k->gen);
}

typedef int (*spirec_known_walk_fn)(const struct spirec_prefix *p,
				    void *arg);
int spirec_known_walk(struct spirec_known *k, unsigned long *index,
		      spirec_known_walk_fn fn, void *arg);

#endif /* _SPIREC_KNOWN_H */
