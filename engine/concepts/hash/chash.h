/*
 * chash.h — hash functions for consistent hashing, and jump consistent hash.
 *
 * The schemes of lab.hash share these few documented functions, so a learner
 * can rebuild any of them in Lua and compare bucket for bucket:
 *
 *   chash_hash64   FNV-1a, 64-bit (Fowler, Noll, Vo; offset basis
 *                  0xcbf29ce484222325, prime 0x100000001b3): the key hash of
 *                  jump, rendezvous, Maglev and "hash mod N".
 *   chash_mix64    the splitmix64 finaliser (Steele, Lea, Flood 2014): a
 *                  bijection on 64 bits that spreads every input bit over all
 *                  output bits. Rendezvous scores and Maglev's skip use it.
 *   chash_ketama   ketama's point/key hash: the little-endian uint32 number
 *                  WHICH (0..3) of the MD5 digest (libketama; Couchbase SDK
 *                  RFC 0026). Key lookups use WHICH = 0.
 *   chash_jump     Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash
 *                  Algorithm", arXiv:1406.2294 (2014), figure 1.
 *
 * All are pure functions: no state, no allocation.
 */
#ifndef BACKLAB_CHASH_H
#define BACKLAB_CHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t chash_hash64(const void *p, size_t len);
uint64_t chash_mix64(uint64_t x);
uint32_t chash_ketama(const void *p, size_t len, int which);

/* The bucket in [0, BUCKETS) of KEY; -1 if BUCKETS < 1. When BUCKETS grows
 * by one, a key either stays or moves to the new bucket, and each moves with
 * probability 1/BUCKETS. */
int32_t chash_jump(uint64_t key, int32_t buckets);

#endif
