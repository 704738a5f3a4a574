/* cachesim.c — workloads, replay, and Belady's OPT; see cachesim.h. */
#include "engine/concepts/cache/cachesim.h"
#include "engine/base/budget.h"
#include "engine/concepts/cache/cache.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

static const char *const workload_names[] = {"zipf", "loop", "scan", "mixed"};

int cachesim_workload_parse(const char *name)
{
	for (int i = 0; i < (int)(sizeof workload_names / sizeof *workload_names); i++)
		if (strcmp(name, workload_names[i]) == 0)
			return i;
	return -1;
}

int cachesim_trace(const struct cachesim_params *p, uint32_t *trace)
{
	uint32_t n = p->requests;
	if (n == 0 || n > CACHESIM_MAX_REQUESTS)
		return -1;
	if (p->workload != CACHESIM_SCAN && (p->keys == 0 || p->keys > CACHESIM_MAX_KEYS))
		return -1;
	if (p->workload == CACHESIM_SCAN) {
		for (uint32_t i = 0; i < n; i++)
			trace[i] = i + 1;
		return 0;
	}
	if (p->workload == CACHESIM_LOOP) {
		for (uint32_t i = 0; i < n; i++)
			trace[i] = i % p->keys + 1;
		return 0;
	}
	if (!(p->s >= 0) || !isfinite(p->s))
		return -1;
	if (p->workload == CACHESIM_MIXED &&
	    (p->scan_every == 0 || p->scan_length >= p->scan_every))
		return -1;
	struct zipf *z = zipf_new(p->keys, p->s);
	if (!z)
		return -1;
	struct rng r;
	rng_seed(&r, p->seed);
	uint32_t fresh = p->keys; /* the last scan key used */
	for (uint32_t i = 0; i < n; i++) {
		if (budget_poll(i)) {
			zipf_free(z);
			return -1;
		}
		if (p->workload == CACHESIM_MIXED && i % p->scan_every < p->scan_length &&
		    i >= p->scan_every) /* the first period is zipf only: warm up */
			trace[i] = ++fresh;
		else
			trace[i] = (uint32_t)zipf_sample(z, &r);
	}
	zipf_free(z);
	return 0;
}

/* ---- Belady's OPT: a max-heap of resident keys on their next use ---- */

struct opt {
	uint32_t *heap;  /* resident keys */
	uint32_t *nextu; /* nextu[key]: next request of the resident key */
	uint32_t *pos;   /* pos[key]: place in heap, or NIL */
	uint32_t n;
};

static void opt_set(struct opt *o, uint32_t i, uint32_t k)
{
	o->heap[i] = k;
	o->pos[k] = i;
}

static void opt_up(struct opt *o, uint32_t i)
{
	uint32_t k = o->heap[i];
	while (i > 0 && o->nextu[o->heap[(i - 1) / 2]] < o->nextu[k]) {
		opt_set(o, i, o->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	opt_set(o, i, k);
}

static void opt_down(struct opt *o, uint32_t i)
{
	uint32_t k = o->heap[i];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = l;
		if (l >= o->n)
			break;
		if (r < o->n && o->nextu[o->heap[r]] > o->nextu[o->heap[l]])
			m = r;
		if (o->nextu[o->heap[m]] <= o->nextu[k])
			break;
		opt_set(o, i, o->heap[m]);
		i = m;
	}
	opt_set(o, i, k);
}

static int64_t run_opt(const uint32_t *trace, size_t n, size_t size, size_t window,
		       uint32_t *whits)
{
	uint32_t maxkey = 0;
	for (size_t i = 0; i < n; i++)
		if (trace[i] > maxkey)
			maxkey = trace[i];
	uint32_t *next = budget_malloc(n * sizeof *next + 1);
	uint32_t *last = budget_malloc(((size_t)maxkey + 1) * sizeof *last);
	struct opt o = {budget_malloc(size * sizeof *o.heap), budget_calloc((size_t)maxkey + 1, sizeof *o.nextu),
			budget_malloc(((size_t)maxkey + 1) * sizeof *o.pos), 0};
	int64_t hits = -1;
	if (!next || !last || !o.heap || !o.nextu || !o.pos)
		goto out;
	/* pre-pass: next[i] = the next request of trace[i]; a key never requested
	 * again gets n + i, so it goes first and ties cannot happen */
	memset(last, 0xff, ((size_t)maxkey + 1) * sizeof *last);
	for (size_t i = n; i-- > 0;) {
		next[i] = last[trace[i]] != NIL ? last[trace[i]] : (uint32_t)(n + i);
		last[trace[i]] = (uint32_t)i;
	}
	memset(o.pos, 0xff, ((size_t)maxkey + 1) * sizeof *o.pos);
	hits = 0;
	for (size_t i = 0; i < n; i++) {
		if (budget_poll(i)) {
			hits = -1;
			break;
		}
		uint32_t k = trace[i];
		if (o.pos[k] != NIL) {
			hits++;
			if (window)
				whits[i / window]++;
			o.nextu[k] = next[i]; /* later than before: it rises */
			opt_up(&o, o.pos[k]);
			continue;
		}
		if (o.n == size) { /* evict the farthest next use */
			uint32_t v = o.heap[0];
			o.pos[v] = NIL;
			if (--o.n) {
				opt_set(&o, 0, o.heap[o.n]);
				opt_down(&o, 0);
			}
		}
		o.nextu[k] = next[i];
		opt_set(&o, o.n++, k);
		opt_up(&o, o.n - 1);
	}
out:
	budget_free(next);
	budget_free(last);
	budget_free(o.heap);
	budget_free(o.nextu);
	budget_free(o.pos);
	return hits;
}

int64_t cachesim_run(const uint32_t *trace, size_t n, int policy, size_t size, uint64_t seed,
		     size_t window, uint32_t *whits)
{
	if (size < 1 || size > CACHE_MAX_CAPACITY)
		return -1;
	if (window)
		memset(whits, 0, (n + window - 1) / window * sizeof *whits);
	if (policy == CACHESIM_OPT)
		return run_opt(trace, n, size, window, whits);
	struct cache *c = cache_new((enum cache_policy)policy, size, seed);
	if (!c)
		return -1;
	int64_t hits = 0;
	for (size_t i = 0; i < n; i++) {
		if (budget_poll(i)) {
			hits = -1;
			break;
		}
		struct cache_key k = cache_int(trace[i]);
		if (cache_get(c, k, 0, NULL)) {
			hits++;
			if (window)
				whits[i / window]++;
		} else if (cache_put(c, k, 0, INFINITY, 0, NULL) < 0) {
			hits = -1;
			break;
		}
	}
	cache_free(c);
	return hits;
}
