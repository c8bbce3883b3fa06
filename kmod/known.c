// SPDX-License-Identifier: GPL-2.0
/*
 * Known-peer list: prefixes, bounded by SPIREC_KNOWN_MAX, each both in an
 * RCU list in insertion order (dumps) and in a hash table keyed by
 * (family, prefix length, prefix) (the hook's lookups). A lookup probes
 * the table once per prefix length in use in the address's family, so
 * its cost does not grow with the number of entries: 1024 hosts cost one
 * probe, as one host does. Changes are serialized by a mutex; removed
 * entries are freed with kfree_rcu().
 */

#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/inetdevice.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spirec.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "known.h"
#include "parse.h"

struct spirec_known_entry {
	struct list_head node;
	struct hlist_node hnode;
	struct spirec_prefix prefix;
	struct rcu_head rcu;
};

/* What is hashed: a normalized prefix, zero-padded. */
struct spirec_known_hkey {
	xfrm_address_t addr;
	u16 family;
	u8 prefixlen;
	u8 pad;
};

/**
 * spirec_known_init - set up an empty list
 * @k: the list
 */
void spirec_known_init(struct spirec_known *k)
{
	INIT_LIST_HEAD(&k->head);
	__hash_init(k->buckets, ARRAY_SIZE(k->buckets));
	bitmap_zero(k->plens4, 33);
	bitmap_zero(k->plens6, 129);
	memset(k->nplen4, 0, sizeof(k->nplen4));
	memset(k->nplen6, 0, sizeof(k->nplen6));
	k->count = 0;
	atomic_set(&k->gen, 0);
	get_random_bytes(&k->hkey, sizeof(k->hkey));
	mutex_init(&k->lock);
}

/**
 * spirec_known_destroy - free every entry
 * @k: the list; nobody may use it any more
 */
void spirec_known_destroy(struct spirec_known *k)
{
	struct spirec_known_entry *e, *tmp;

	mutex_lock(&k->lock);
	list_for_each_entry_safe(e, tmp, &k->head, node) {
		list_del_rcu(&e->node);
		hlist_del_rcu(&e->hnode);
		kfree_rcu(e, rcu);
	}
	bitmap_zero(k->plens4, 33);
	bitmap_zero(k->plens6, 129);
	k->count = 0;
	mutex_unlock(&k->lock);
	mutex_destroy(&k->lock);
}

/**
 * spirec_prefix_normalize - clear the address bits past the prefix length
 * @p: the prefix; @p->prefixlen must fit @p->family
 */
void spirec_prefix_normalize(struct spirec_prefix *p)
{
	struct in6_addr masked;

	if (p->family == AF_INET) {
		p->addr.a4 &= inet_make_mask(p->prefixlen);
		return;
	}
	ipv6_addr_prefix(&masked, &p->addr.in6, p->prefixlen);
	p->addr.in6 = masked;
}

/**
 * spirec_prefix_match - is @addr inside @p?
 * @p: a normalized prefix
 * @family: AF_INET or AF_INET6
 * @addr: the address
 *
 * Return: true if the families are equal and the first @p->prefixlen bits
 * of the addresses too.
 */
bool spirec_prefix_match(const struct spirec_prefix *p, u16 family,
			 const xfrm_address_t *addr)
{
	if (p->family != family)
		return false;
	if (family == AF_INET)
		return !((p->addr.a4 ^ addr->a4) &
			 inet_make_mask(p->prefixlen));
	return ipv6_prefix_equal(&p->addr.in6, &addr->in6, p->prefixlen);
}

static bool spirec_prefix_equal(const struct spirec_prefix *a,
				const struct spirec_prefix *b)
{
	return a->family == b->family && a->prefixlen == b->prefixlen &&
	       !memcmp(&a->addr, &b->addr, spirec_addr_len(a->family));
}

/* A zero-padded, normalized copy of @p. */
static void spirec_known_norm(struct spirec_prefix *norm,
			      const struct spirec_prefix *p)
{
	memset(norm, 0, sizeof(*norm));
	norm->family = p->family;
	norm->prefixlen = p->prefixlen;
	memcpy(&norm->addr, &p->addr, spirec_addr_len(p->family));
	spirec_prefix_normalize(norm);
}

/*
 * The bucket of (@family, @plen, @addr), @addr normalized. An IPv4 prefix
 * takes the two-word hsiphash, a fraction of the generic one over a whole
 * key: the hook asks once per flood packet and prefix length in use.
 */
static struct hlist_head *spirec_known_bucket(struct spirec_known *k,
					      u16 family, u8 plen,
					      const xfrm_address_t *addr)
{
	struct spirec_known_hkey key;
	u32 hash;

	if (family == AF_INET) {
		hash = hsiphash_2u32((__force u32)addr->a4, plen, &k->hkey);
	} else {
		memset(&key, 0, sizeof(key));
		key.addr = *addr;
		key.family = family;
		key.prefixlen = plen;
		hash = hsiphash(&key, sizeof(key), &k->hkey);
	}
	return &k->buckets[hash_32(hash, SPIREC_KNOWN_HASH_BITS)];
}

/* Under rcu_read_lock() or @k->lock. */
static struct spirec_known_entry *
spirec_known_lookup(struct spirec_known *k, const struct spirec_prefix *norm)
{
	struct spirec_known_entry *e;
	struct hlist_head *b;

	b = spirec_known_bucket(k, norm->family, norm->prefixlen, &norm->addr);
	hlist_for_each_entry_rcu(e, b, hnode, lockdep_is_held(&k->lock))
		if (spirec_prefix_equal(&e->prefix, norm))
			return e;
	return NULL;
}

/* Under rcu_read_lock(): is @a4 (the prefix's bits only) an entry? */
static bool spirec_known_has4(struct spirec_known *k, __be32 a4, u8 plen)
{
	const xfrm_address_t addr = { .a4 = a4 };
	struct spirec_known_entry *e;

	hlist_for_each_entry_rcu(e, spirec_known_bucket(k, AF_INET, plen, &addr),
				 hnode)
		if (e->prefix.family == AF_INET && e->prefix.prefixlen == plen &&
		    e->prefix.addr.a4 == a4)
			return true;
	return false;
}

/* @k->lock held: one more (@delta 1) or one less (-1) entry of @p's length. */
static void spirec_known_count_plen(struct spirec_known *k,
				    const struct spirec_prefix *p, int delta)
{
	unsigned long *plens = p->family == AF_INET ? k->plens4 : k->plens6;
	u16 *n = p->family == AF_INET ? k->nplen4 : k->nplen6;

	lockdep_assert_held(&k->lock);
	n[p->prefixlen] += delta;
	if (n[p->prefixlen])
		set_bit(p->prefixlen, plens);
	else
		clear_bit(p->prefixlen, plens);
}

/**
 * spirec_known_add - add a prefix
 * @k: the list
 * @p: the prefix, normalized before it is stored
 *
 * Process context.
 *
 * Return: 0, -EEXIST if the normalized prefix is present, -ENOSPC at
 * %SPIREC_KNOWN_MAX entries, -ENOMEM.
 */
int spirec_known_add(struct spirec_known *k, const struct spirec_prefix *p)
{
	struct spirec_known_entry *e;
	struct spirec_prefix norm;
	struct hlist_head *b;
	int err = 0;

	spirec_known_norm(&norm, p);
	mutex_lock(&k->lock);
	if (spirec_known_lookup(k, &norm)) {
		err = -EEXIST;
		goto out;
	}
	if (k->count >= SPIREC_KNOWN_MAX) {
		err = -ENOSPC;
		goto out;
	}
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		err = -ENOMEM;
		goto out;
	}
	e->prefix = norm;
	list_add_tail_rcu(&e->node, &k->head);
	b = spirec_known_bucket(k, norm.family, norm.prefixlen, &norm.addr);
	hlist_add_head_rcu(&e->hnode, b);
	spirec_known_count_plen(k, &norm, 1);
	k->count++;
	atomic_inc(&k->gen);
out:
	mutex_unlock(&k->lock);
	return err;
}

/**
 * spirec_known_del - remove a prefix
 * @k: the list
 * @p: the prefix, normalized before it is looked for
 *
 * Process context.
 *
 * Return: 0 or -ENOENT.
 */
int spirec_known_del(struct spirec_known *k, const struct spirec_prefix *p)
{
	struct spirec_known_entry *e;
	struct spirec_prefix norm;
	int err = 0;

	spirec_known_norm(&norm, p);
	mutex_lock(&k->lock);
	e = spirec_known_lookup(k, &norm);
	if (e) {
		list_del_rcu(&e->node);
		hlist_del_rcu(&e->hnode);
		spirec_known_count_plen(k, &norm, -1);
		k->count--;
		atomic_inc(&k->gen);
		kfree_rcu(e, rcu);
	} else {
		err = -ENOENT;
	}
	mutex_unlock(&k->lock);
	return err;
}

/**
 * spirec_known_match - is @addr inside a prefix of the list?
 * @k: the list
 * @family: AF_INET or AF_INET6
 * @addr: the address
 *
 * Any context. One hash probe per prefix length in use in @family.
 *
 * Return: true on a match.
 */
bool spirec_known_match(struct spirec_known *k, u16 family,
			const xfrm_address_t *addr)
{
	bool match;

	rcu_read_lock();
	match = spirec_known_match_rcu(k, family, addr);
	rcu_read_unlock();
	return match;
}

/**
 * spirec_known_match_rcu - spirec_known_match() for a caller under RCU
 * @k: the list
 * @family: AF_INET or AF_INET6
 * @addr: the address
 *
 * Caller holds rcu_read_lock() (the netfilter hook).
 *
 * Return: true on a match.
 */
bool spirec_known_match_rcu(struct spirec_known *k, u16 family,
			    const xfrm_address_t *addr)
{
	struct spirec_prefix p;
	unsigned int plen;

	if (family == AF_INET) {
		for_each_set_bit(plen, k->plens4, 33)
			if (spirec_known_has4(k, addr->a4 &
					      inet_make_mask(plen), plen))
				return true;
		return false;
	}
	if (family != AF_INET6)
		return false;
	for_each_set_bit(plen, k->plens6, 129) {
		memset(&p, 0, sizeof(p));
		p.family = family;
		p.prefixlen = plen;
		p.addr = *addr;
		spirec_prefix_normalize(&p);
		if (spirec_known_lookup(k, &p))
			return true;
	}
	return false;
}

/**
 * spirec_known_plens - prefix lengths in use
 * @k: the list
 * @family: AF_INET or AF_INET6
 *
 * Return: how many hash probes a lookup of a @family address costs at most.
 */
unsigned int spirec_known_plens(struct spirec_known *k, u16 family)
{
	if (family == AF_INET)
		return bitmap_weight(k->plens4, 33);
	if (family == AF_INET6)
		return bitmap_weight(k->plens6, 129);
	return 0;
}

/**
 * spirec_known_walk - call @fn for entries, resumable
 * @k: the list
 * @index: in: entries to skip; out: index to resume at
 * @fn: a non-zero return stops the walk at the entry it was called for
 * @arg: passed to @fn
 *
 * Takes rcu_read_lock() itself; @fn must not sleep.
 *
 * Return: 0 when the walk is complete, else what @fn returned.
 */
int spirec_known_walk(struct spirec_known *k, unsigned long *index,
		      spirec_known_walk_fn fn, void *arg)
{
	struct spirec_known_entry *e;
	unsigned long i = 0;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &k->head, node) {
		if (i++ < *index)
			continue;
		err = fn(&e->prefix, arg);
		if (err)
			break;
		(*index)++;
	}
	rcu_read_unlock();
	return err;
}
