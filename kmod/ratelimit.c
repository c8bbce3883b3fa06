// SPDX-License-Identifier: GPL-2.0
/*
 * Token bucket and bounded peer table.
 *
 * The table is an rhashtable: lookups under RCU, and it grows with the
 * number of entries (max_peers may be 65536 and more) instead of chaining
 * them in a fixed number of buckets; a worker resizes it. Locking: the
 * table lock (BH-safe) serializes insertion, removal, the LRU list and the
 * entry count; a peer's own lock protects its state; the token bucket's
 * lock is only taken inside a peer's lock. No path takes the table lock
 * while holding a peer's lock. Entries are freed with kfree_rcu().
 */

#include <linux/bits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/once.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ratelimit.h"

/* Smallest bucket array of a peer table (the rhashtable shrinks to it). */
#define SPIREC_PEER_MIN_BUCKETS	64

/**
 * spirec_tb_init - fill a token bucket
 * @tb: the bucket
 * @now: current time (ns)
 */
void spirec_tb_init(struct spirec_tb *tb, u64 now)
{
	tb->credit = NSEC_PER_SEC;
	tb->stamp = now;
	tb->empty_until = 0;
}

/*
 * The credit of a bucket whose stored credit and stamp are @credit and
 * @stamp, refilled up to @now (at most @rate tokens' worth), and in
 * *@cost what one token costs. @rate is not 0.
 */
static u64 spirec_tb_credit(u64 credit, u64 stamp, u32 rate, u64 now,
			    u64 *cost)
{
	u64 cap;

	*cost = div_u64(NSEC_PER_SEC, rate);
	cap = *cost * rate;
	return min(credit + min(spirec_elapsed(now, stamp), cap), cap);
}

/**
 * spirec_tb_take - take one token
 * @tb: the bucket
 * @rate: tokens per second, also the burst; 0 allows nothing
 * @now: current time (ns)
 *
 * Return: true if a token was taken.
 */
bool spirec_tb_take(struct spirec_tb *tb, u32 rate, u64 now)
{
	u64 cost, credit;

	if (!rate)
		return false;
	credit = spirec_tb_credit(tb->credit, tb->stamp, rate, now, &cost);
	if (now > tb->stamp)
		WRITE_ONCE(tb->stamp, now);
	if (credit < cost) {
		WRITE_ONCE(tb->credit, credit);
		WRITE_ONCE(tb->empty_until, now + cost - credit);
		return false;
	}
	credit -= cost;
	WRITE_ONCE(tb->credit, credit);
	WRITE_ONCE(tb->empty_until, credit < cost ? now + cost - credit : 0);
	return true;
}

/**
 * spirec_tb_ready - would spirec_tb_take() succeed now?
 * @tb: the bucket; read without the lock that serializes its takers
 * @rate: tokens per second; 0 allows nothing
 * @now: current time (ns)
 *
 * A hint: a taker on another CPU may get the last token first.
 *
 * Return: true if the bucket holds a token at @now.
 */
bool spirec_tb_ready(const struct spirec_tb *tb, u32 rate, u64 now)
{
	u64 cost, credit;

	if (!rate)
		return false;
	credit = spirec_tb_credit(READ_ONCE(tb->credit), READ_ONCE(tb->stamp),
				  rate, now, &cost);
	return credit >= cost;
}

/**
 * spirec_peer_note - account one packet with an unknown SPI
 * @st: the peer's state
 * @pkt: the packet
 * @now: current time (ns)
 */
void spirec_peer_note(struct spirec_peer_state *st,
		      const struct spirec_pkt *pkt, u64 now)
{
	st->packets++;
	st->last_spi = pkt->spi;
	st->last_proto = pkt->proto;
	st->last_encap = pkt->encap;
	/* Read without the peer's lock by eviction and GC. */
	if (now > st->last_seen)
		WRITE_ONCE(st->last_seen, now);
}

/**
 * spirec_peer_due - may the peer have an event now?
 * @st: the peer's state
 * @interval: minimum time between two events of the peer (ns)
 * @now: current time (ns)
 *
 * Return: true if the peer never had an event or the last one is at
 * least @interval old.
 */
bool spirec_peer_due(const struct spirec_peer_state *st, u64 interval,
		     u64 now)
{
	return !st->reported || spirec_elapsed(now, st->last_event) >= interval;
}

/**
 * spirec_peer_report - record an event for the peer
 * @st: the peer's state
 * @now: current time (ns)
 *
 * Return: packets suppressed since the previous event (now reset).
 */
u64 spirec_peer_report(struct spirec_peer_state *st, u64 now)
{
	u64 suppressed = st->suppressed;

	st->suppressed = 0;
	st->events++;
	st->last_event = now;
	st->reported = true;
	return suppressed;
}

/**
 * spirec_peer_suppress - record a packet that is not reported
 * @st: the peer's state
 */
void spirec_peer_suppress(struct spirec_peer_state *st)
{
	st->suppressed++;
	st->suppressed_total++;
}

/**
 * spirec_peer_idle - has the peer been quiet for @idle?
 * @st: the peer's state; may be read without its lock
 * @idle: idle time (ns)
 * @now: current time (ns)
 *
 * Return: true if the peer's last packet is at least @idle old.
 */
bool spirec_peer_idle(const struct spirec_peer_state *st, u64 idle, u64 now)
{
	return spirec_elapsed(now, READ_ONCE(st->last_seen)) >= idle;
}

static enum spirec_verdict spirec_rl_finish(struct spirec_peer_state *st,
					    enum spirec_verdict verdict,
					    u64 now, u64 *suppressed)
{
	if (verdict == SPIREC_VERDICT_EVENT)
		*suppressed = spirec_peer_report(st, now);
	else
		spirec_peer_suppress(st);
	return verdict;
}

/*
 * The decision for one packet, shared by spirec_rl_decide() (no locking,
 * KUnit) and spirec_peers_account() (the hook, with the table's locks):
 * @take takes a token from the global bucket, with or without its lock.
 * The per-peer interval is checked first, so that a single noisy peer
 * does not drain the global bucket.
 */
static enum spirec_verdict spirec_rl_run(struct spirec_peer_state *st,
					 const struct spirec_rl_cfg *cfg,
					 const struct spirec_pkt *pkt, u64 now,
					 u64 *suppressed,
					 bool (*take)(void *arg, u32 rate,
						      u64 now),
					 void *arg)
{
	enum spirec_verdict verdict;

	spirec_peer_note(st, pkt, now);
	if (!spirec_peer_due(st, cfg->interval, now))
		verdict = SPIREC_VERDICT_LIMITED_PEER;
	else if (!take(arg, cfg->rate, now))
		verdict = SPIREC_VERDICT_LIMITED_GLOBAL;
	else
		verdict = SPIREC_VERDICT_EVENT;
	return spirec_rl_finish(st, verdict, now, suppressed);
}

static bool spirec_tb_take_unlocked(void *arg, u32 rate, u64 now)
{
	return spirec_tb_take(arg, rate, now);
}

/**
 * spirec_rl_decide - rate limit one packet (no locking)
 * @st: the sending peer's state
 * @tb: the global bucket
 * @cfg: limits
 * @pkt: the packet
 * @now: current time (ns)
 * @suppressed: set for %SPIREC_VERDICT_EVENT: packets of the peer not
 *	reported since its previous event
 *
 * The decision spirec_peers_account() makes with the table's locks.
 *
 * Return: enum spirec_verdict
 */
enum spirec_verdict spirec_rl_decide(struct spirec_peer_state *st,
				     struct spirec_tb *tb,
				     const struct spirec_rl_cfg *cfg,
				     const struct spirec_pkt *pkt, u64 now,
				     u64 *suppressed)
{
	return spirec_rl_run(st, cfg, pkt, now, suppressed,
			     spirec_tb_take_unlocked, tb);
}

/**
 * spirec_peer_key_init - build a peer key
 * @key: the key
 * @family: AF_INET or AF_INET6
 * @addr: the address
 */
void spirec_peer_key_init(struct spirec_peer_key *key, u16 family,
			  const xfrm_address_t *addr)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	memcpy(&key->addr, addr, spirec_addr_len(family));
}

/* The key of the hash function, random, shared by every table. */
static hsiphash_key_t spirec_peer_hkey __read_mostly;

/*
 * hsiphash: the keyed hash meant for hash tables (SipHash-1-3 on 64-bit),
 * so that spoofed sources cannot be chosen to fill one bucket. The
 * rhashtable's own seed (new at each rehash) is folded into the key.
 */
static u32 spirec_peer_hashfn(const void *data, u32 len, u32 seed)
{
	hsiphash_key_t key = spirec_peer_hkey;

	key.key[0] ^= seed;
	return hsiphash(data, len, &key);
}

/* Keys are zero-padded (spirec_peer_key_init()): compared as bytes. */
static const struct rhashtable_params spirec_peer_params = {
	.key_len		= sizeof(struct spirec_peer_key),
	.key_offset		= offsetof(struct spirec_peer, key),
	.head_offset		= offsetof(struct spirec_peer, node),
	.hashfn			= spirec_peer_hashfn,
	.min_size		= SPIREC_PEER_MIN_BUCKETS,
	.automatic_shrinking	= true,
};

/* Under rcu_read_lock(). */
static struct spirec_peer *
spirec_peers_lookup(struct spirec_peer_table *t,
		    const struct spirec_peer_key *key)
{
	return rhashtable_lookup(&t->ht, key, spirec_peer_params);
}

/* Reserves one entry of @q (none: always possible). */
static bool spirec_quota_take(struct spirec_peer_quota *q)
{
	if (!q)
		return true;
	if (atomic_inc_return(&q->count) <= READ_ONCE(q->max))
		return true;
	atomic_dec(&q->count);
	return false;
}

static bool spirec_quota_full(const struct spirec_peer_quota *q)
{
	return q && atomic_read(&q->count) >= READ_ONCE(q->max);
}

static void spirec_quota_put(struct spirec_peer_quota *q)
{
	if (q)
		atomic_dec(&q->count);
}

static void spirec_peers_unlink(struct spirec_peer_table *t,
				struct spirec_peer *p)
{
	lockdep_assert_held(&t->lock);
	WARN_ON_ONCE(rhashtable_remove_fast(&t->ht, &p->node,
					    spirec_peer_params));
	list_del(&p->lru);
	p->dead = true;
	WRITE_ONCE(t->count, t->count - 1);
	atomic_inc(&t->gen);
	spirec_quota_put(t->quota);
	kfree_rcu(p, rcu);
}

/*
 * Table lock held. Evicts the least recently seen entry among the first
 * SPIREC_EVICT_SCAN of the LRU list that had no packet for @idle, i.e.
 * whose rate limiting state no longer matters. When there is none, notes
 * when the first of them will be, so that spirec_peers_get() can refuse
 * new peers until then without taking the lock.
 */
static bool spirec_peers_evict(struct spirec_peer_table *t, u64 idle, u64 now)
{
	u64 until = U64_MAX;
	struct spirec_peer *p;
	unsigned int n = 0;

	lockdep_assert_held(&t->lock);
	list_for_each_entry(p, &t->lru, lru) {
		if (spirec_peer_idle(&p->st, idle, now)) {
			spirec_peers_unlink(t, p);
			return true;
		}
		until = min(until, READ_ONCE(p->st.last_seen) + idle);
		if (++n >= SPIREC_EVICT_SCAN)
			break;
	}
	WRITE_ONCE(t->full_idle, idle);
	WRITE_ONCE(t->full_until, until);
	return false;
}

/**
 * spirec_peers_init - set up an empty table
 * @t: the table
 * @now: current time (ns)
 *
 * Return: 0 or -ENOMEM.
 */
int spirec_peers_init(struct spirec_peer_table *t, u64 now)
{
	int err;

	get_random_once(&spirec_peer_hkey, sizeof(spirec_peer_hkey));
	err = rhashtable_init(&t->ht, &spirec_peer_params);
	if (err)
		return err;
	spin_lock_init(&t->lock);
	spin_lock_init(&t->tb_lock);
	INIT_LIST_HEAD(&t->lru);
	t->quota = NULL;
	t->memcg = NULL;
	t->count = 0;
	t->full_until = 0;
	t->full_idle = 0;
	atomic_set(&t->gen, 0);
	spirec_tb_init(&t->tb, now);
	return 0;
}

/**
 * spirec_peers_destroy - free a table nobody uses any more
 * @t: the table
 *
 * The caller guarantees that no reader can still see the table (after a
 * grace period that followed the removal of the hooks).
 */
void spirec_peers_destroy(struct spirec_peer_table *t)
{
	spirec_peers_flush(t);
	rhashtable_destroy(&t->ht);
}

/**
 * spirec_peers_get - find or create the entry of a peer
 * @t: the table
 * @key: the peer
 * @cfg: limits (@cfg->max_peers bounds the table, @cfg->interval is the
 *	idle time that makes an entry evictable)
 * @now: current time (ns)
 * @out: the entry, valid until the caller leaves its RCU read section
 *
 * Caller holds rcu_read_lock(). Allocates with GFP_ATOMIC only, charged
 * to @t->memcg. A new entry also needs room in @t->quota.
 *
 * Return: enum spirec_peer_get_result; @out is set for FOUND and CREATED.
 */
enum spirec_peer_get_result spirec_peers_get(struct spirec_peer_table *t,
					     const struct spirec_peer_key *key,
					     const struct spirec_rl_cfg *cfg,
					     u64 now, struct spirec_peer **out)
{
	enum spirec_peer_get_result ret;
	struct mem_cgroup *old_memcg;
	struct spirec_peer *p;
	int err;

	p = spirec_peers_lookup(t, key);
	if (p) {
		*out = p;
		return SPIREC_PEER_FOUND;
	}
	/*
	 * Full (this table, or the quota of all tables): a new peer would
	 * cost an eviction and an allocation. Spare them and the lock
	 * (spoofed floods) while nothing is evictable yet, and while the
	 * global bucket is empty: the new peer's first packet could not be
	 * reported anyway, and the next one tries again.
	 */
	if ((READ_ONCE(t->count) >= cfg->max_peers ||
	     spirec_quota_full(t->quota)) &&
	    ((READ_ONCE(t->full_idle) == cfg->interval &&
	      now < READ_ONCE(t->full_until)) ||
	     !spirec_tb_ready(&t->tb, cfg->rate, now))) {
		*out = NULL;
		return SPIREC_PEER_FULL;
	}

	spin_lock_bh(&t->lock);
	p = spirec_peers_lookup(t, key);
	if (p) {
		ret = SPIREC_PEER_FOUND;
		goto out;
	}
	if (t->count >= cfg->max_peers) {
		spirec_peers_evict(t, cfg->interval, now);
		if (t->count >= cfg->max_peers) {
			ret = SPIREC_PEER_FULL;
			goto out;
		}
	}
	/* The module-wide bound: an idle entry of this table may make room. */
	if (!spirec_quota_take(t->quota) &&
	    (!spirec_peers_evict(t, cfg->interval, now) ||
	     !spirec_quota_take(t->quota))) {
		ret = SPIREC_PEER_FULL;
		p = NULL;
		goto out;
	}
	old_memcg = set_active_memcg(t->memcg);
	p = kzalloc(sizeof(*p), GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
	set_active_memcg(old_memcg);
	if (!p) {
		spirec_quota_put(t->quota);
		ret = SPIREC_PEER_NOMEM;
		goto out;
	}
	p->key = *key;
	spin_lock_init(&p->lock);
	p->lru_stamp = now;
	p->st.last_seen = now;
	/*
	 * Insertions are serialized by the table lock, and the key was
	 * looked up under it: no duplicate. The table may refuse while a
	 * rehash it needs is pending (-EBUSY) or on -ENOMEM: no room then.
	 */
	err = rhashtable_insert_fast(&t->ht, &p->node, spirec_peer_params);
	if (err) {
		kfree(p);
		p = NULL;
		spirec_quota_put(t->quota);
		ret = err == -ENOMEM ? SPIREC_PEER_NOMEM : SPIREC_PEER_FULL;
		goto out;
	}
	list_add_tail(&p->lru, &t->lru);
	WRITE_ONCE(t->count, t->count + 1);
	atomic_inc(&t->gen);
	ret = SPIREC_PEER_CREATED;
out:
	spin_unlock_bh(&t->lock);
	*out = p;
	return ret;
}

/* Moves @p to the LRU tail, at most once per SPIREC_LRU_GRANULARITY. */
static void spirec_peers_touch(struct spirec_peer_table *t,
			       struct spirec_peer *p, u64 now)
{
	if (spirec_elapsed(now, READ_ONCE(p->lru_stamp)) <
	    SPIREC_LRU_GRANULARITY)
		return;

	spin_lock_bh(&t->lock);
	if (!p->dead) {
		list_move_tail(&p->lru, &t->lru);
		WRITE_ONCE(p->lru_stamp, now);
	}
	spin_unlock_bh(&t->lock);
}

/* Under a peer's lock (BH disabled): the global bucket has its own. */
static bool spirec_tb_take_locked(void *arg, u32 rate, u64 now)
{
	struct spirec_peer_table *t = arg;
	bool ok;

	spin_lock(&t->tb_lock);
	ok = spirec_tb_take(&t->tb, rate, now);
	spin_unlock(&t->tb_lock);
	return ok;
}

/**
 * spirec_peers_account - rate limit one packet of a peer in the table
 * @t: the table
 * @peer: the entry from spirec_peers_get()
 * @cfg: limits
 * @pkt: the packet
 * @now: current time (ns)
 * @suppressed: see spirec_rl_decide()
 *
 * Caller holds rcu_read_lock().
 *
 * Return: enum spirec_verdict
 */
enum spirec_verdict spirec_peers_account(struct spirec_peer_table *t,
					 struct spirec_peer *peer,
					 const struct spirec_rl_cfg *cfg,
					 const struct spirec_pkt *pkt, u64 now,
					 u64 *suppressed)
{
	enum spirec_verdict verdict;

	spin_lock_bh(&peer->lock);
	verdict = spirec_rl_run(&peer->st, cfg, pkt, now, suppressed,
				spirec_tb_take_locked, t);
	spin_unlock_bh(&peer->lock);

	spirec_peers_touch(t, peer, now);
	return verdict;
}

/**
 * spirec_peers_gc - drop entries idle for @idle
 * @t: the table
 * @idle: idle time (ns)
 * @now: current time (ns)
 * @more: set if the pass stopped after %SPIREC_GC_BATCH entries
 *
 * Walks the LRU list from its head and stops at the first entry touched
 * less than @idle ago. Entries whose LRU position is stale but that saw a
 * packet recently are moved to the tail.
 *
 * Return: entries left in the table.
 */
unsigned int spirec_peers_gc(struct spirec_peer_table *t, u64 idle, u64 now,
			     bool *more)
{
	struct spirec_peer *p, *tmp;
	unsigned int n = 0, count;

	*more = false;
	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(p, tmp, &t->lru, lru) {
		if (++n > SPIREC_GC_BATCH) {
			*more = true;
			break;
		}
		if (spirec_elapsed(now, p->lru_stamp) < idle)
			break;
		if (spirec_peer_idle(&p->st, idle, now)) {
			spirec_peers_unlink(t, p);
		} else {
			list_move_tail(&p->lru, &t->lru);
			WRITE_ONCE(p->lru_stamp, READ_ONCE(p->st.last_seen));
		}
	}
	count = t->count;
	spin_unlock_bh(&t->lock);
	return count;
}

/**
 * spirec_peers_flush - remove every entry
 * @t: the table
 *
 * Process context. Takes the table lock once per %SPIREC_GC_BATCH entries.
 */
void spirec_peers_flush(struct spirec_peer_table *t)
{
	struct spirec_peer *p, *tmp;
	unsigned int n;
	bool more;

	do {
		n = 0;
		spin_lock_bh(&t->lock);
		list_for_each_entry_safe(p, tmp, &t->lru, lru) {
			spirec_peers_unlink(t, p);
			if (++n >= SPIREC_GC_BATCH)
				break;
		}
		more = !list_empty(&t->lru);
		spin_unlock_bh(&t->lock);
		cond_resched();
	} while (more);
}

/**
 * spirec_peers_count - number of entries
 * @t: the table
 *
 * Return: the number of entries (a snapshot).
 */
unsigned int spirec_peers_count(const struct spirec_peer_table *t)
{
	return READ_ONCE(t->count);
}

/**
 * spirec_peers_walk_enter - prepare a walk of a table
 * @t: the table; it must outlive the walk
 * @c: the cursor; spirec_peers_walk_exit() releases it
 */
void spirec_peers_walk_enter(struct spirec_peer_table *t,
			     struct spirec_peers_cursor *c)
{
	c->rewound = false;
	rhashtable_walk_enter(&t->ht, &c->iter);
}

/**
 * spirec_peers_walk_exit - end a walk
 * @c: the cursor
 */
void spirec_peers_walk_exit(struct spirec_peers_cursor *c)
{
	rhashtable_walk_exit(&c->iter);
}

/**
 * spirec_peers_walk - call @fn for entries, resumable
 * @c: the cursor, from spirec_peers_walk_enter()
 * @fn: called with a snapshot of each entry's state; a non-zero return
 *	stops the walk, and the entry it was called for is where the next
 *	call resumes
 * @arg: passed to @fn
 *
 * Process context; takes rcu_read_lock() itself. Entries added or removed
 * while a walk is suspended may be missed or reported twice, never
 * invalidly; a resize of the table starts the walk over and sets
 * @c->rewound. Callers that must know compare spirec_peers_gen().
 *
 * Return: 0 when the walk is complete, else what @fn returned.
 */
int spirec_peers_walk(struct spirec_peers_cursor *c, spirec_peer_walk_fn fn,
		      void *arg)
{
	struct spirec_peer_state st;
	struct spirec_peer *p;
	int err = 0;

	if (rhashtable_walk_start_check(&c->iter) == -EAGAIN)
		c->rewound = true;
	p = rhashtable_walk_peek(&c->iter);
	while (p) {
		if (IS_ERR(p)) {
			if (PTR_ERR(p) != -EAGAIN) {
				err = PTR_ERR(p);
				break;
			}
			c->rewound = true;
			p = rhashtable_walk_next(&c->iter);
			continue;
		}
		spin_lock_bh(&p->lock);
		st = p->st;
		spin_unlock_bh(&p->lock);
		err = fn(&p->key, &st, arg);
		if (err)
			break;
		p = rhashtable_walk_next(&c->iter);
	}
	rhashtable_walk_stop(&c->iter);
	return err;
}
