/*
 * lsm.c — the LSM tree of lsm.h.
 *
 * Ownership: the memtable and the runs own the strings of their entries
 * (budget memory). A merge copies entries shallow into a new array; once
 * everything the new run needs is allocated it commits: the strings of the
 * entries it dropped are freed, the input arrays (not their kept strings)
 * too. Until the commit nothing is changed, so running out of memory or
 * being stopped leaves the tree as it was.
 *
 * Levels: levels[0] is level 0. A level's runs are newest first. In the
 * leveled policy, levels 1 and deeper hold at most one run.
 */
#include "engine/concepts/lsm/lsm.h"
#include "engine/base/budget.h"
#include "engine/concepts/bloom/bloom.h"

#include <math.h>
#include <string.h>

#define MAX_LEVELS 40
#define POLL 4096

struct run {
	struct lsm_entry *e;
	size_t n;
	size_t tombstones;
	struct lsm_key *fences; /* first key of each block; shares the entries' strings */
	size_t nfences;
	struct bloom *bloom;    /* NULL without filters */
};

struct level {
	struct run **runs;      /* newest first */
	int n, cap;
};

struct lsm {
	struct lsm_config c;
	struct lsm_entry *mem;  /* sorted; room for c.memtable */
	size_t nmem;
	struct level levels[MAX_LEVELS];
	int nlevels;            /* levels that ever held a run */
	struct lsm_stats st;
};

int lsm_key_cmp(const struct lsm_key *a, const struct lsm_key *b)
{
	if (!a->s || !b->s) {
		if (a->s)
			return 1; /* strings after integers */
		if (b->s)
			return -1;
		return a->i < b->i ? -1 : a->i > b->i;
	}
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* ---- entries ---- */

static char *dup_bytes(const char *s, size_t len)
{
	char *d = budget_malloc(len ? len : 1);
	if (d && len)
		memcpy(d, s, len);
	return d;
}

/* A copy of K = V owning its strings; 0, or -1 out of memory. */
static int entry_copy(struct lsm_entry *e, const struct lsm_key *k, const struct lsm_val *v)
{
	e->k = *k;
	e->v = *v;
	if (k->s && !(e->k.s = dup_bytes(k->s, k->len)))
		return -1;
	if (v->kind == LSM_STR && !(e->v.s = dup_bytes(v->s, v->len))) {
		if (k->s)
			budget_free((char *)e->k.s);
		return -1;
	}
	return 0;
}

static void entry_free(struct lsm_entry *e)
{
	budget_free((char *)e->k.s);
	if (e->v.kind == LSM_STR)
		budget_free((char *)e->v.s);
}

/* ---- runs ---- */

static struct bloom_key bkey(const struct lsm_key *k)
{
	return (struct bloom_key){.s = k->s, .len = k->len, .i = k->i};
}

/* A run over E[0..N) (sorted), with its fences and filter; takes E only
 * on success. NULL out of memory. */
static struct run *run_make(const struct lsm *t, struct lsm_entry *e, size_t n)
{
	struct run *r = budget_calloc(1, sizeof *r);
	size_t b = (size_t)t->c.block;
	if (!r)
		return NULL;
	r->nfences = (n + b - 1) / b;
	r->fences = budget_malloc((r->nfences ? r->nfences : 1) * sizeof *r->fences);
	if (t->c.bloom_bits > 0 && r->fences) {
		uint64_t m = (uint64_t)t->c.bloom_bits * (n ? n : 1);
		int k = (int)floor(t->c.bloom_bits * log(2) + 0.5);
		r->bloom = bloom_new(m, k < 1 ? 1 : k > BLOOM_MAX_HASHES ? BLOOM_MAX_HASHES : k);
	}
	if (!r->fences || (t->c.bloom_bits > 0 && !r->bloom)) {
		budget_free(r->fences);
		bloom_free(r->bloom);
		budget_free(r);
		return NULL;
	}
	r->e = e;
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		if (i % b == 0)
			r->fences[i / b] = e[i].k;
		if (e[i].v.kind == LSM_TOMBSTONE)
			r->tombstones++;
		if (r->bloom) {
			struct bloom_key k = bkey(&e[i].k);
			bloom_add(r->bloom, &k);
		}
	}
	return r;
}

/* Frees R; the strings of its entries too when STRINGS. */
static void run_free(struct run *r, int strings)
{
	if (!r)
		return;
	if (strings)
		for (size_t i = 0; i < r->n; i++)
			entry_free(&r->e[i]);
	budget_free(r->e);
	budget_free(r->fences);
	bloom_free(r->bloom);
	budget_free(r);
}

/* The block of R that may hold K: the last whose fence is <= K. */
static size_t block_of(const struct run *r, const struct lsm_key *k)
{
	size_t lo = 0, hi = r->nfences; /* fences[lo-1] <= k < fences[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (lsm_key_cmp(&r->fences[mid], k) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first entry of E[lo..hi) >= K. */
static size_t lower_bound(const struct lsm_entry *e, size_t lo, size_t hi, const struct lsm_key *k)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lsm_key_cmp(&e[mid].k, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- merging ---- */

/*
 * Merges RUNS (newest first) into OUT; an entry not kept goes to DROPPED
 * (when not NULL). Returns the entries written, or (size_t)-1 if stopped.
 */
static size_t merge_into(const struct lsm_entry *const *runs, const size_t *lens, int nruns,
			 int drop_tombstones, struct lsm_entry *out, struct lsm_entry *dropped,
			 size_t *ndropped, size_t *pos, struct lsm_stats *st)
{
	size_t n = 0, steps = 0;
	for (int i = 0; i < nruns; i++)
		pos[i] = 0;
	for (;;) {
		if (++steps % POLL == 0 && budget_stop())
			return (size_t)-1;
		int best = -1;
		for (int i = 0; i < nruns; i++)
			if (pos[i] < lens[i] &&
			    (best < 0 || lsm_key_cmp(&runs[i][pos[i]].k, &runs[best][pos[best]].k) < 0))
				best = i; /* on equal keys the newest (lowest i) stays */
		if (best < 0)
			return n;
		const struct lsm_entry *win = &runs[best][pos[best]];
		for (int i = best + 1; i < nruns; i++)
			if (pos[i] < lens[i] && lsm_key_cmp(&runs[i][pos[i]].k, &win->k) == 0) {
				if (dropped)
					dropped[(*ndropped)++] = runs[i][pos[i]];
				if (st)
					st->versions_dropped++;
				pos[i]++;
			}
		if (drop_tombstones && win->v.kind == LSM_TOMBSTONE) {
			if (dropped)
				dropped[(*ndropped)++] = *win;
			if (st)
				st->tombstones_dropped++;
		} else {
			out[n++] = *win;
		}
		pos[best]++;
	}
}

size_t lsm_merge(const struct lsm_entry *const *runs, const size_t *lens, int nruns,
		 int drop_tombstones, struct lsm_entry *out)
{
	size_t pos[64], n;
	if (nruns > 64)
		return 0;
	n = merge_into(runs, lens, nruns, drop_tombstones, out, NULL, NULL, pos, NULL);
	return n == (size_t)-1 ? 0 : n;
}

/*
 * Merges IN[0..NIN) (newest first) into a new run; on success the inputs
 * are freed and the new run returned, else NULL with the inputs untouched.
 */
static struct run *merge_runs(struct lsm *t, struct run **in, int nin, int bottom)
{
	size_t total = 0;
	for (int i = 0; i < nin; i++)
		total += in[i]->n;
	struct lsm_entry *out = budget_malloc((total ? total : 1) * sizeof *out);
	struct lsm_entry *dropped = budget_malloc((total ? total : 1) * sizeof *dropped);
	const struct lsm_entry **runs = budget_malloc((size_t)nin * sizeof *runs);
	size_t *lens = budget_malloc((size_t)nin * sizeof *lens);
	size_t *pos = budget_malloc((size_t)nin * sizeof *pos);
	struct run *r = NULL;
	if (out && dropped && runs && lens && pos) {
		for (int i = 0; i < nin; i++) {
			runs[i] = in[i]->e;
			lens[i] = in[i]->n;
		}
		struct lsm_stats st = t->st;
		size_t nd = 0;
		size_t n = merge_into(runs, lens, nin, bottom, out, dropped, &nd, pos, &st);
		if (n != (size_t)-1)
			r = run_make(t, out, n);
		if (r) { /* commit */
			t->st = st;
			t->st.compactions++;
			t->st.compacted += (long long)n;
			for (size_t i = 0; i < nd; i++)
				entry_free(&dropped[i]);
			for (int i = 0; i < nin; i++)
				run_free(in[i], 0);
			out = NULL;
		}
	}
	budget_free(out);
	budget_free(dropped);
	budget_free(runs);
	budget_free(lens);
	budget_free(pos);
	return r;
}

/* ---- levels ---- */

static size_t level_entries(const struct level *l)
{
	size_t n = 0;
	for (int i = 0; i < l->n; i++)
		n += l->runs[i]->n;
	return n;
}

/* Whether any level deeper than LEVEL holds a run. */
static int deeper_data(const struct lsm *t, int level)
{
	for (int i = level + 1; i < t->nlevels; i++)
		if (t->levels[i].n)
			return 1;
	return 0;
}

/* Makes room for one more run at LEVEL; 0, or -1. */
static int level_room(struct lsm *t, int level)
{
	if (level >= MAX_LEVELS)
		return -1;
	struct level *l = &t->levels[level];
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 4;
		struct run **runs = budget_realloc(l->runs, (size_t)cap * sizeof *runs);
		if (!runs)
			return -1;
		l->runs = runs;
		l->cap = cap;
	}
	if (level >= t->nlevels)
		t->nlevels = level + 1;
	return 0;
}

/* Puts R at LEVEL as its newest run (room was made). */
static void level_push(struct lsm *t, int level, struct run *r)
{
	struct level *l = &t->levels[level];
	memmove(l->runs + 1, l->runs, (size_t)l->n * sizeof *l->runs);
	l->runs[0] = r;
	l->n++;
}

/* Merges every run of level FROM, and (leveled) the run of FROM + 1, into
 * one run at FROM + 1. 0, or -1 (unchanged). */
static int merge_down(struct lsm *t, int from)
{
	int to = from + 1;
	if (level_room(t, to) != 0)
		return -1;
	struct level *a = &t->levels[from], *b = &t->levels[to];
	int leveled = t->c.policy == LSM_LEVELED;
	int nin = a->n + (leveled ? b->n : 0);
	struct run *in[256];
	if (nin > 256)
		return -1;
	for (int i = 0; i < a->n; i++)
		in[i] = a->runs[i];
	if (leveled)
		for (int i = 0; i < b->n; i++)
			in[a->n + i] = b->runs[i];
	int bottom = !deeper_data(t, to) && (leveled || b->n == 0);
	struct run *r = merge_runs(t, in, nin, bottom);
	if (!r)
		return -1;
	a->n = 0;
	if (leveled)
		b->n = 0;
	level_push(t, to, r);
	return 0;
}

/* The entries level I (>= 1) of the leveled policy may hold. */
static double level_capacity(const struct lsm *t, int i)
{
	return (double)t->c.memtable * pow((double)t->c.ratio, (double)i);
}

/* Merges what the policy says is due, level by level. */
static int settle(struct lsm *t)
{
	for (int i = 0; i < MAX_LEVELS - 1 && i < t->nlevels; i++) {
		struct level *l = &t->levels[i];
		int due;
		if (t->c.policy == LSM_TIERED)
			due = l->n >= t->c.ratio;
		else if (i == 0)
			due = l->n >= t->c.level0;
		else
			due = (double)level_entries(l) > level_capacity(t, i);
		if (due && merge_down(t, i) != 0)
			return -1;
	}
	return 0;
}

/* ---- the tree ---- */

struct lsm *lsm_new(const struct lsm_config *c)
{
	if (c->memtable < 1 || c->ratio < 2 || c->ratio > 100 || c->level0 < 1 || c->level0 > 100 ||
	    c->bloom_bits < 0 || c->bloom_bits > 64 || c->block < 1 ||
	    (c->policy != LSM_LEVELED && c->policy != LSM_TIERED))
		return NULL;
	struct lsm *t = budget_calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->c = *c;
	t->mem = budget_malloc((size_t)c->memtable * sizeof *t->mem);
	if (!t->mem) {
		budget_free(t);
		return NULL;
	}
	return t;
}

void lsm_free(struct lsm *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nmem; i++)
		entry_free(&t->mem[i]);
	budget_free(t->mem);
	for (int i = 0; i < t->nlevels; i++) {
		for (int j = 0; j < t->levels[i].n; j++)
			run_free(t->levels[i].runs[j], 1);
		budget_free(t->levels[i].runs);
	}
	budget_free(t);
}

int lsm_flush(struct lsm *t)
{
	if (t->nmem == 0)
		return settle(t);
	struct lsm_entry *fresh = budget_malloc((size_t)t->c.memtable * sizeof *fresh);
	struct run *r = fresh && level_room(t, 0) == 0 ? run_make(t, t->mem, t->nmem) : NULL;
	if (!r) {
		budget_free(fresh);
		return -1;
	}
	t->st.flushes++;
	t->st.flushed += (long long)t->nmem;
	level_push(t, 0, r);
	t->mem = fresh;
	t->nmem = 0;
	return settle(t);
}

int lsm_put(struct lsm *t, struct lsm_key k, struct lsm_val v)
{
	if (t->nmem >= (size_t)t->c.memtable && lsm_flush(t) != 0)
		return -1;
	size_t at = lower_bound(t->mem, 0, t->nmem, &k);
	int there = at < t->nmem && lsm_key_cmp(&t->mem[at].k, &k) == 0;
	struct lsm_entry e;
	if (entry_copy(&e, &k, &v) != 0)
		return -1;
	if (there) {
		entry_free(&t->mem[at]);
	} else {
		memmove(t->mem + at + 1, t->mem + at, (t->nmem - at) * sizeof *t->mem);
		t->nmem++;
	}
	t->mem[at] = e;
	if (v.kind == LSM_TOMBSTONE)
		t->st.deletes++;
	else
		t->st.puts++;
	if (t->nmem >= (size_t)t->c.memtable)
		lsm_flush(t); /* if it fails, the next put tries again first */
	return 0;
}

/* Looks K up in run R; 1 with *E if there (a value or a tombstone). */
static int run_get(struct lsm *t, const struct run *r, const struct lsm_key *k,
		   const struct lsm_entry **e)
{
	if (r->n == 0 || lsm_key_cmp(k, &r->e[0].k) < 0 || lsm_key_cmp(k, &r->e[r->n - 1].k) > 0) {
		t->st.range_skips++;
		return 0;
	}
	if (r->bloom) {
		struct bloom_key bk = bkey(k);
		if (!bloom_has(r->bloom, &bk)) {
			t->st.bloom_skips++;
			return 0;
		}
	}
	t->st.runs_probed++;
	t->st.block_reads++;
	size_t b = block_of(r, k), lo = b * (size_t)t->c.block;
	size_t hi = lo + (size_t)t->c.block < r->n ? lo + (size_t)t->c.block : r->n;
	size_t at = lower_bound(r->e, lo, hi, k);
	if (at < hi && lsm_key_cmp(&r->e[at].k, k) == 0) {
		*e = &r->e[at];
		return 1;
	}
	if (r->bloom)
		t->st.bloom_false++;
	return 0;
}

int lsm_get(struct lsm *t, struct lsm_key k, struct lsm_val *out)
{
	t->st.gets++;
	const struct lsm_entry *e = NULL;
	size_t at = lower_bound(t->mem, 0, t->nmem, &k);
	if (at < t->nmem && lsm_key_cmp(&t->mem[at].k, &k) == 0)
		e = &t->mem[at];
	for (int i = 0; !e && i < t->nlevels; i++)
		for (int j = 0; !e && j < t->levels[i].n; j++)
			run_get(t, t->levels[i].runs[j], &k, &e);
	if (!e || e->v.kind == LSM_TOMBSTONE)
		return 0;
	*out = e->v;
	return 1;
}

/* A cursor over one source of a range scan. */
struct cursor {
	const struct lsm_entry *e;
	size_t at, n;
	const struct run *run;  /* NULL: the memtable (no reads) */
	size_t block;           /* the block read last */
};

int lsm_range(struct lsm *t, const struct lsm_key *lo, const struct lsm_key *hi,
	      int (*fn)(const struct lsm_entry *e, void *ud), void *ud)
{
	t->st.ranges++;
	int nsrc = 1;
	for (int i = 0; i < t->nlevels; i++)
		nsrc += t->levels[i].n;
	struct cursor *c = budget_malloc((size_t)nsrc * sizeof *c);
	if (!c)
		return -1;
	c[0] = (struct cursor){t->mem, lo ? lower_bound(t->mem, 0, t->nmem, lo) : 0, t->nmem, NULL,
			       0};
	int ns = 1;
	for (int i = 0; i < t->nlevels; i++)
		for (int j = 0; j < t->levels[i].n; j++) {
			const struct run *r = t->levels[i].runs[j];
			size_t at = lo ? lower_bound(r->e, 0, r->n, lo) : 0;
			if (at < r->n && !(hi && lsm_key_cmp(&r->e[at].k, hi) > 0)) {
				c[ns] = (struct cursor){r->e, at, r->n, r, at / (size_t)t->c.block};
				t->st.block_reads++; /* the first block, found by the fences */
				ns++;
			}
		}
	size_t steps = 0;
	int rc = 0;
	for (;;) {
		if (++steps % POLL == 0 && budget_stop()) {
			rc = -1;
			break;
		}
		int best = -1;
		for (int i = 0; i < ns; i++)
			if (c[i].at < c[i].n &&
			    (best < 0 || lsm_key_cmp(&c[i].e[c[i].at].k, &c[best].e[c[best].at].k) < 0))
				best = i;
		if (best < 0 || (hi && lsm_key_cmp(&c[best].e[c[best].at].k, hi) > 0))
			break;
		const struct lsm_entry *win = &c[best].e[c[best].at];
		for (int i = 0; i < ns; i++) {
			if (i != best && c[i].at < c[i].n && lsm_key_cmp(&c[i].e[c[i].at].k, &win->k) == 0)
				c[i].at++;
		}
		int stop = win->v.kind != LSM_TOMBSTONE && fn(win, ud);
		c[best].at++;
		for (int i = 0; i < ns; i++)
			if (c[i].run && c[i].at < c[i].n && c[i].at / (size_t)t->c.block != c[i].block &&
			    !(hi && lsm_key_cmp(&c[i].e[c[i].at].k, hi) > 0)) {
				c[i].block = c[i].at / (size_t)t->c.block;
				t->st.block_reads++;
			}
		if (stop)
			break;
	}
	budget_free(c);
	return rc;
}

int lsm_compact(struct lsm *t)
{
	if (lsm_flush(t) != 0)
		return -1;
	int nin = 0, bottom = t->nlevels > 1 ? t->nlevels - 1 : 1;
	struct run *in[4096];
	for (int i = 0; i < t->nlevels; i++)
		for (int j = 0; j < t->levels[i].n; j++) {
			if (nin == 4096)
				return -1;
			in[nin++] = t->levels[i].runs[j];
		}
	if (nin == 0 || level_room(t, bottom) != 0)
		return nin == 0 ? 0 : -1;
	struct run *r = merge_runs(t, in, nin, 1);
	if (!r)
		return -1;
	for (int i = 0; i < t->nlevels; i++)
		t->levels[i].n = 0;
	level_push(t, bottom, r);
	return 0;
}

const struct lsm_stats *lsm_stats(const struct lsm *t)
{
	return &t->st;
}

void lsm_reset_stats(struct lsm *t)
{
	memset(&t->st, 0, sizeof t->st);
}

const struct lsm_config *lsm_config(const struct lsm *t)
{
	return &t->c;
}

int lsm_levels(const struct lsm *t)
{
	return t->nlevels;
}

int lsm_runs(const struct lsm *t, int level)
{
	return level >= 0 && level < t->nlevels ? t->levels[level].n : 0;
}

static const struct run *run_at(const struct lsm *t, int level, int r)
{
	return t->levels[level].runs[r];
}

size_t lsm_run_entries(const struct lsm *t, int level, int r)
{
	return run_at(t, level, r)->n;
}

size_t lsm_run_tombstones(const struct lsm *t, int level, int r)
{
	return run_at(t, level, r)->tombstones;
}

const struct lsm_key *lsm_run_first(const struct lsm *t, int level, int r)
{
	const struct run *x = run_at(t, level, r);
	return x->n ? &x->e[0].k : NULL;
}

const struct lsm_key *lsm_run_last(const struct lsm *t, int level, int r)
{
	const struct run *x = run_at(t, level, r);
	return x->n ? &x->e[x->n - 1].k : NULL;
}

size_t lsm_memtable_entries(const struct lsm *t)
{
	return t->nmem;
}

size_t lsm_stored_entries(const struct lsm *t)
{
	size_t n = t->nmem;
	for (int i = 0; i < t->nlevels; i++)
		n += level_entries(&t->levels[i]);
	return n;
}

static int count_one(const struct lsm_entry *e, void *ud)
{
	(void)e;
	(*(long long *)ud)++;
	return 0;
}

long long lsm_live_keys(struct lsm *t)
{
	struct lsm_stats saved = t->st; /* a walk for the stats reads nothing */
	long long n = 0;
	int rc = lsm_range(t, NULL, NULL, count_one, &n);
	t->st = saved;
	return rc == 0 ? n : -1;
}
