// SPDX-License-Identifier: GPL-2.0
/*
 * Known-peer list: an RCU list of prefixes, bounded by SPIREC_KNOWN_MAX.
 * Readers (the hook, dumps) walk it under RCU; changes are serialized by
 * a mutex and removed entries freed with kfree_rcu().
 */

#include <linux/errno.h>
#include <linux/inetdevice.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spirec.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "known.h"
#include "parse.h"

struct spirec_known_entry {
	struct list_head node;
	struct spirec_prefix prefix;
	struct rcu_head rcu;
};

/**
 * spirec_known_init - set up an empty list
 * @k: the list
 */
void spirec_known_init(struct spirec_known *k)
{
	INIT_LIST_HEAD(&k->head);
	k->count = 0;
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
		kfree_rcu(e, rcu);
	}
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

static struct spirec_known_entry *
spirec_known_find(struct spirec_known *k, const struct spirec_prefix *p)
{
	struct spirec_known_entry *e;

	lockdep_assert_held(&k->lock);
	list_for_each_entry(e, &k->head, node)
		if (spirec_prefix_equal(&e->prefix, p))
			return e;
	return NULL;
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
	struct spirec_prefix norm = *p;
	int err = 0;

	spirec_prefix_normalize(&norm);
	mutex_lock(&k->lock);
	if (spirec_known_find(k, &norm)) {
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
	k->count++;
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
	struct spirec_prefix norm = *p;
	int err = 0;

	spirec_prefix_normalize(&norm);
	mutex_lock(&k->lock);
	e = spirec_known_find(k, &norm);
	if (e) {
		list_del_rcu(&e->node);
		k->count--;
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
 * Any context.
 *
 * Return: true on a match.
 */
bool spirec_known_match(struct spirec_known *k, u16 family,
			const xfrm_address_t *addr)
{
	struct spirec_known_entry *e;
	bool match = false;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &k->head, node) {
		if (spirec_prefix_match(&e->prefix, family, addr)) {
			match = true;
			break;
		}
	}
	rcu_read_unlock();
	return match;
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
