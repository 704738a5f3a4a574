/*
 * cachesim.h — hit-ratio simulation: synthetic request traces, replayed
 * through cache.h's policies and through Belady's optimal policy.
 *
 * A trace is an array of keys (integers >= 1). Replaying it means, for each
 * key: get; on a miss, put (demand fetching: every missed key is admitted).
 *
 * Workloads (keys are 1..keys unless said otherwise):
 *   zipf    independent draws from Zipf(s): key k with probability
 *           proportional to 1/k^s (rand.h's zipf_sample). s = 0 is uniform.
 *   loop    1, 2, ..., keys, 1, 2, ... (cyclic). With keys = size + 1 every
 *           LRU or FIFO request misses: the classic LRU failure.
 *   scan    1, 2, 3, ..., requests: every request is a new key, never seen
 *           again (keys is ignored): nothing can hit.
 *   mixed   zipf, except that a scan of scan_length fresh keys (keys + 1,
 *           keys + 2, ..., never reused) starts at request scan_every and
 *           every scan_every requests after it (the first period warms the
 *           cache). Positions count all requests, scans included.
 *
 * OPT is Belady's MIN (L. A. Belady, "A study of replacement algorithms for a
 * virtual-storage computer", IBM Systems Journal 5(2), 1966): on a miss with
 * a full cache, evict the key whose next request is farthest in the future
 * (keys never requested again first). It needs the whole trace in advance;
 * a pre-pass computes each request's next use. No online policy beats its
 * hit count on a trace.
 */
#ifndef BACKLAB_CACHESIM_H
#define BACKLAB_CACHESIM_H

#include <stddef.h>
#include <stdint.h>

enum cachesim_workload { CACHESIM_ZIPF, CACHESIM_LOOP, CACHESIM_SCAN, CACHESIM_MIXED };

/* The policy number of OPT, beside cache.h's enum cache_policy. */
#define CACHESIM_OPT 100

/* Limits on what cachesim_trace generates. */
#define CACHESIM_MAX_REQUESTS 20000000u
#define CACHESIM_MAX_KEYS 10000000u

struct cachesim_params {
	enum cachesim_workload workload;
	uint32_t keys;        /* distinct keys (zipf, loop, mixed) */
	double s;             /* Zipf exponent (zipf, mixed), >= 0 */
	uint32_t requests;    /* trace length */
	uint32_t scan_every;  /* mixed: a scan starts every scan_every requests */
	uint32_t scan_length; /* mixed: keys per scan (< scan_every) */
	uint64_t seed;        /* zipf and mixed draws */
};

/* The workload named NAME ("zipf", "loop", "scan", "mixed") or -1. */
int cachesim_workload_parse(const char *name);

/*
 * Fills TRACE[0 .. p->requests) with the workload's keys. Returns 0, or -1
 * (TRACE untouched) if a parameter is out of range (keys or requests 0 or
 * above the limits, s negative or not finite, scan_length >= scan_every for
 * mixed), memory runs out, or the running code must stop (budget_poll).
 */
int cachesim_trace(const struct cachesim_params *p, uint32_t *trace);

/*
 * Replays TRACE[0 .. n) through a cache of SIZE entries under POLICY (an
 * enum cache_policy, or CACHESIM_OPT); SEED seeds the random policy. If
 * WINDOW > 0, WHITS[w] receives the hits among requests
 * [w * WINDOW, (w + 1) * WINDOW) (WHITS holds ceil(n / WINDOW) counters).
 * Keys must be >= 1. Returns the number of hits, or -1 if SIZE is out of
 * range, memory runs out, or the running code must stop (budget_poll).
 */
int64_t cachesim_run(const uint32_t *trace, size_t n, int policy, size_t size, uint64_t seed,
		     size_t window, uint32_t *whits);

#endif
