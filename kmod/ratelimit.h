/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate limiting of invalid-SPI events: a global token bucket and a bounded
 * table of peers, both per network namespace.
 *
 * The decisions are pure functions of plain structs and a caller-supplied
 * clock (@now, nanoseconds, monotonic), so they can be driven by a fake
 * clock in unit tests. The table functions add locking and RCU around them
 * and never sleep or allocate with anything but GFP_ATOMIC, so they can be
 * called from the netfilter hook in softirq context.
 */
#ifndef _SPIREC_RATELIMIT_H
#define _SPIREC_RATELIMIT_H

#include <linux/jiffies.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/xfrm.h>

#include "parse.h"

/* Entries looked at from the LRU head for one eviction. */
#define SPIREC_EVICT_SCAN	8
/* Entries looked at by one GC pass while holding the table lock. */
#define SPIREC_GC_BATCH		1024
/* A peer's LRU position is refreshed at most this often (ns). */
#define SPIREC_LRU_GRANULARITY	NSEC_PER_SEC
/* Lower bound of the idle time after which GC drops a peer (ns). */
#define SPIREC_GC_MIN_IDLE	(60 * NSEC_PER_SEC)

/**
 * spirec_now - the clock of the rate limiter and of the peer table
 *
 * Monotonic, at the resolution of the timer tick (the limits are in
 * milliseconds and seconds): jiffies, one load per packet. No clock source
 * is read (in a guest without a usable TSC, ktime_get_ns() reads the
 * HPET, microseconds per packet under a flood).
 *
 * Return: nanoseconds.
 */
static inline u64 spirec_now(void)
{
	return jiffies64_to_nsecs(get_jiffies_64());
}

/**
 * struct spirec_tb - token bucket
 * @credit: accumulated time in ns; one token costs NSEC_PER_SEC / rate
 * @stamp: time of the last refill
 * @empty_until: before this time the bucket holds no token (at the rate
 *	of the last take; 0 when it held one after the last take)
 *
 * Holds at most rate tokens (burst = rate), refilled at rate tokens/s.
 */
struct spirec_tb {
	u64 credit;
	u64 stamp;
	u64 empty_until;
};

void spirec_tb_init(struct spirec_tb *tb, u64 now);
bool spirec_tb_take(struct spirec_tb *tb, u32 rate, u64 now);
bool spirec_tb_ready(const struct spirec_tb *tb, u32 rate, u64 now);

/**
 * spirec_tb_empty - is the bucket known to hold no token at @now?
 * @tb: the bucket; read without the lock that serializes its takers
 * @now: current time (ns)
 *
 * One load and a compare, for the hook to turn a flood away before it
 * reads any sysctl: the last take left the bucket without a token until
 * @tb->empty_until. After global_rate is raised the bucket may refill
 * sooner than that, by at most one token's time at the old rate. False
 * says nothing: ask spirec_tb_ready().
 *
 * Return: true if no token can be taken at @now.
 */
static inline bool spirec_tb_empty(const struct spirec_tb *tb, u64 now)
{
	return now < READ_ONCE(tb->empty_until);
}

/**
 * struct spirec_peer_state - rate limiter state of one peer
 * @packets: packets with an unknown SPI
 * @events: events emitted (allowed by both limits)
 * @suppressed: packets not reported since the last event
 * @suppressed_total: packets not reported, ever
 * @last_seen: time of the last packet
 * @last_event: time of the last event, valid if @reported
 * @last_spi: SPI of the last packet
 * @last_proto: IPPROTO_ESP or IPPROTO_AH of the last packet
 * @last_encap: enum spirec_encap of the last packet
 * @reported: an event was emitted for this peer
 */
struct spirec_peer_state {
	u64 packets;
	u64 events;
	u64 suppressed;
	u64 suppressed_total;
	u64 last_seen;
	u64 last_event;
	u32 last_spi;
	u8 last_proto;
	u8 last_encap;
	bool reported;
};

/**
 * enum spirec_verdict - what to do with one packet
 * @SPIREC_VERDICT_EVENT: emit an event
 * @SPIREC_VERDICT_LIMITED_PEER: suppressed, the peer had an event less
 *	than the peer interval ago
 * @SPIREC_VERDICT_LIMITED_GLOBAL: suppressed, the global bucket is empty
 */
enum spirec_verdict {
	SPIREC_VERDICT_EVENT,
	SPIREC_VERDICT_LIMITED_PEER,
	SPIREC_VERDICT_LIMITED_GLOBAL,
};

/**
 * struct spirec_rl_cfg - limits, sampled from the sysctls per packet
 * @interval: minimum time between two events of one peer (ns)
 * @rate: global events per second (and burst)
 * @max_peers: bound of the peer table
 */
struct spirec_rl_cfg {
	u64 interval;
	u32 rate;
	u32 max_peers;
};

void spirec_peer_note(struct spirec_peer_state *st,
		      const struct spirec_pkt *pkt, u64 now);
bool spirec_peer_due(const struct spirec_peer_state *st, u64 interval,
		     u64 now);
u64 spirec_peer_report(struct spirec_peer_state *st, u64 now);
void spirec_peer_suppress(struct spirec_peer_state *st);
enum spirec_verdict spirec_rl_decide(struct spirec_peer_state *st,
				     struct spirec_tb *tb,
				     const struct spirec_rl_cfg *cfg,
				     const struct spirec_pkt *pkt, u64 now,
				     u64 *suppressed);
bool spirec_peer_idle(const struct spirec_peer_state *st, u64 idle, u64 now);

static inline u64 spirec_elapsed(u64 now, u64 then)
{
	return now > then ? now - then : 0;
}

/**
 * struct spirec_peer_key - what identifies a peer
 * @addr: the address, zero-padded for AF_INET
 * @family: AF_INET or AF_INET6
 * @pad: zero
 */
struct spirec_peer_key {
	xfrm_address_t addr;
	u16 family;
	u16 pad;
};

void spirec_peer_key_init(struct spirec_peer_key *key, u16 family,
			  const xfrm_address_t *addr);

/**
 * struct spirec_peer - one entry of the peer table
 * @node: in the table's hash table (RCU; changed under the table lock)
 * @lru: in the table's LRU list (table lock)
 * @lru_stamp: when @lru was last moved to the tail (table lock)
 * @dead: unlinked from the table (table lock)
 * @key: the peer (immutable)
 * @lock: protects @st
 * @st: rate limiter state
 * @rcu: for freeing after a grace period
 */
struct spirec_peer {
	struct rhash_head node;
	struct list_head lru;
	u64 lru_stamp;
	bool dead;
	struct spirec_peer_key key;
	spinlock_t lock; /* protects @st */
	struct spirec_peer_state st;
	struct rcu_head rcu;
};

/**
 * struct spirec_peer_table - bounded peer table of one netns
 * @lock: protects insertion, removal, @lru and @count; BH-safe
 * @quota: bound shared with other tables, or NULL
 * @memcg: the memory cgroup entries are charged to, or NULL
 * @ht: the entries by key, read under RCU; grows and shrinks with the
 *	number of entries (resized by a worker)
 * @lru: entries, least recently seen first (approximately, see
 *	%SPIREC_LRU_GRANULARITY)
 * @count: number of entries
 * @gen: changes with every insertion and removal (dump consistency)
 * @full_until: while the table is full, no entry can be evicted before
 *	this time (ns; approximate, from the last failed eviction)
 * @full_idle: the idle time @full_until was computed for
 * @tb_lock: protects @tb; taken inside a peer's lock, BH disabled
 * @tb: the global token bucket
 */
/**
 * struct spirec_peer_quota - a bound on the entries of several tables
 * @count: entries of all the tables sharing it
 * @max: the bound (read with READ_ONCE(); may change at any time)
 */
struct spirec_peer_quota {
	atomic_t count;
	unsigned int max;
};

struct spirec_peer_table {
	spinlock_t lock; /* insertion, removal, @lru, @count */
	struct spirec_peer_quota *quota; /* NULL: none; set before use */
	struct mem_cgroup *memcg; /* entries are charged to it; or NULL */
	struct rhashtable ht;
	struct list_head lru;
	unsigned int count;
	atomic_t gen;
	u64 full_until;
	u64 full_idle;
	spinlock_t tb_lock; /* protects @tb */
	struct spirec_tb tb;
};

/**
 * enum spirec_peer_get_result - outcome of spirec_peers_get()
 * @SPIREC_PEER_FOUND: existing entry
 * @SPIREC_PEER_CREATED: new entry (possibly after evicting an idle one)
 * @SPIREC_PEER_FULL: table full and no idle entry to evict
 * @SPIREC_PEER_NOMEM: allocation failed
 */
enum spirec_peer_get_result {
	SPIREC_PEER_FOUND,
	SPIREC_PEER_CREATED,
	SPIREC_PEER_FULL,
	SPIREC_PEER_NOMEM,
};

int spirec_peers_init(struct spirec_peer_table *t, u64 now);
void spirec_peers_destroy(struct spirec_peer_table *t);
enum spirec_peer_get_result spirec_peers_get(struct spirec_peer_table *t,
					     const struct spirec_peer_key *key,
					     const struct spirec_rl_cfg *cfg,
					     u64 now, struct spirec_peer **out);
enum spirec_verdict spirec_peers_account(struct spirec_peer_table *t,
					 struct spirec_peer *peer,
					 const struct spirec_rl_cfg *cfg,
					 const struct spirec_pkt *pkt, u64 now,
					 u64 *suppressed);
unsigned int spirec_peers_gc(struct spirec_peer_table *t, u64 idle, u64 now,
			     bool *more);
void spirec_peers_flush(struct spirec_peer_table *t);
unsigned int spirec_peers_count(const struct spirec_peer_table *t);

/**
 * spirec_peers_gen - generation of a table
 * @t: the table
 *
 * Return: a number that differs after any insertion or removal.
 */
static inline unsigned int spirec_peers_gen(struct spirec_peer_table *t)
{
	return atomic_read(&t->gen);
}

/**
 * struct spirec_peers_cursor - a walk of a table, resumable across RCU
 *	read sections (a netlink dump's position)
 * @iter: the hash table's iterator
 * @rewound: the table was resized during the walk, which started over:
 *	entries may have been reported twice
 */
struct spirec_peers_cursor {
	struct rhashtable_iter iter;
	bool rewound;
};

typedef int (*spirec_peer_walk_fn)(const struct spirec_peer_key *key,
				   const struct spirec_peer_state *st,
				   void *arg);
void spirec_peers_walk_enter(struct spirec_peer_table *t,
			     struct spirec_peers_cursor *c);
void spirec_peers_walk_exit(struct spirec_peers_cursor *c);
int spirec_peers_walk(struct spirec_peers_cursor *c, spirec_peer_walk_fn fn,
		      void *arg);

#endif /* _SPIREC_RATELIMIT_H */
