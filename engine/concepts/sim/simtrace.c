/* simtrace.c — trace records and their text; see simtrace.h. The diagrams
 * are in simdraw.c. */
#include "engine/concepts/sim/simtrace.h"
#include "engine/concepts/sim/simval.h"
#include "engine/base/budget.h"
#include "engine/base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Records live in chunks that never move: chunk k holds REC_FIRST << k
 * records up to chunk REC_STEPS, then every chunk holds REC_FIRST <<
 * REC_STEPS (262,144 records, 12 MB). Record i is then found without a
 * search (rec_slot). Payloads are appended to arena blocks that double in
 * size up to ARENA_MAX; one larger than ARENA_BIG gets a block of its own.
 */
#define REC_FIRST_LOG 6
#define REC_FIRST ((size_t)1 << REC_FIRST_LOG)
#define REC_STEPS 12
#define REC_PLAIN (REC_FIRST * (((size_t)1 << REC_STEPS) - 1)) /* in chunks 0..STEPS-1 */
#define ARENA_FIRST ((size_t)4096)
#define ARENA_MAX ((size_t)8 << 20)
#define ARENA_BIG ((size_t)1 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

struct simtrace {
	struct simrec **chunk;     /* [nchunks]: where each chunk's records start */
	size_t nchunks, capchunks;
	void **mem;                /* [nmem]: every block from budget_malloc() */
	size_t nmem, capmem;
	struct simrec *cur;        /* where the next record goes */
	size_t left;               /* records left in the last chunk */
	size_t n;
	uint8_t *free;             /* the rest of the current arena block */
	size_t room;               /* bytes at free */
	size_t next_arena;         /* size of the next arena block */
	size_t bytes;              /* held: records and arena */
	uint32_t nodes;
	int full;
};

struct simtrace *simtrace_new(uint32_t nodes)
{
	struct simtrace *t = budget_calloc(1, sizeof *t);
	if (t) {
		t->nodes = nodes;
		t->next_arena = ARENA_FIRST;
	}
	return t;
}

void simtrace_free(struct simtrace *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nmem; i++)
		budget_free(t->mem[i]);
	budget_free(t->chunk);
	budget_free(t->mem);
	budget_free(t);
}

/* Records in chunk K. */
static size_t chunk_records(size_t k)
{
	return REC_FIRST << (k < REC_STEPS ? k : REC_STEPS);
}

/* Record I: its chunk and its place in it. */
static const struct simrec *rec_slot(const struct simtrace *t, size_t i)
{
	if (i < REC_PLAIN) {
		size_t q = (i >> REC_FIRST_LOG) + 1; /* chunk k starts at FIRST * (2^k - 1) */
		size_t k = (size_t)(63 - __builtin_clzll((unsigned long long)q));
		return &t->chunk[k][i - REC_FIRST * (((size_t)1 << k) - 1)];
	}
	size_t j = i - REC_PLAIN, per = REC_FIRST << REC_STEPS;
	return &t->chunk[REC_STEPS + j / per][j % per];
}

/* Appends P to the array *ARR of *N pointers (capacity *CAP); -1 without memory. */
static int push_ptr(void ***arr, size_t *n, size_t *cap, void *p)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		void **a = budget_realloc(*arr, c * sizeof *a);
		if (!a)
			return -1;
		*arr = a;
		*cap = c;
	}
	(*arr)[(*n)++] = p;
	return 0;
}

/*
 * N bytes for the trace (freed with it), or NULL without memory. A large
 * block (a multiple of 2 MB) is placed at a 2 MB boundary inside a block
 * 2 MB larger, whose head is never touched, and asks the kernel for huge
 * pages: a hint, ignored where there are none, which changes how many page
 * faults fill the block, not what it holds.
 */
static void *chunk_alloc(struct simtrace *t, size_t n)
{
	int huge = n >= 2 * HUGE_PAGE && n % HUGE_PAGE == 0;
	size_t size = huge ? n + HUGE_PAGE : n;
	void *p = budget_malloc(size);
	if (!p)
		return NULL;
	if (push_ptr(&t->mem, &t->nmem, &t->capmem, p) != 0) {
		budget_free(p);
		return NULL;
	}
	t->bytes += size;
	if (!huge)
		return p;
	uint8_t *lo = (uint8_t *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
	madvise(lo, n, MADV_HUGEPAGE);
#endif
	return lo;
}

/* Room for one more record at t->cur; -1 without memory. */
static int grow_records(struct simtrace *t)
{
	if (t->left)
		return 0;
	size_t count = chunk_records(t->nchunks);
	if (t->nchunks == t->capchunks) { /* before the chunk: nothing to undo */
		size_t c = t->capchunks ? 2 * t->capchunks : 16;
		struct simrec **a = budget_realloc(t->chunk, c * sizeof *a);
		if (!a)
			return -1;
		t->chunk = a;
		t->capchunks = c;
	}
	struct simrec *c = chunk_alloc(t, count * sizeof *c);
	if (!c)
		return -1;
	t->chunk[t->nchunks++] = c;
	t->cur = c;
	t->left = count;
	return 0;
}

/* Where LEN bytes of payload go (LEN > 0), or NULL without memory. */
static uint8_t *arena_take(struct simtrace *t, size_t len)
{
	if (len <= t->room) {
		uint8_t *p = t->free;
		t->free += len;
		t->room -= len;
		return p;
	}
	size_t size = len > t->next_arena ? len : t->next_arena;
	uint8_t *b = chunk_alloc(t, size);
	if (!b)
		return NULL;
	if (len > ARENA_BIG)
		return b; /* a block of its own; the current one goes on */
	if (t->next_arena < ARENA_MAX)
		t->next_arena *= 2;
	t->free = b + len;
	t->room = size - len;
	return b;
}

/* Appends R with payload P[0..LEN) already in the arena. */
static long append(struct simtrace *t, const struct simrec *r, const uint8_t *p, size_t len)
{
	struct simrec *x = t->cur++;
	t->left--;
	*x = *r;
	x->p = len ? p : NULL;
	x->len = (uint32_t)len;
	return (long)t->n++;
}

long simtrace_add(struct simtrace *t, const struct simrec *r, const void *p, size_t len)
{
	if (t->full || len > UINT32_MAX || grow_records(t) != 0) {
		t->full = 1;
		return -1;
	}
	uint8_t *copy = NULL;
	if (len) {
		copy = arena_take(t, len);
		if (!copy) {
			t->full = 1;
			return -1;
		}
		memcpy(copy, p, len);
	}
	return append(t, r, copy, len);
}

long simtrace_add_same(struct simtrace *t, const struct simrec *r, long same)
{
	if (t->full || grow_records(t) != 0) {
		t->full = 1;
		return -1;
	}
	if (same >= 0 && (size_t)same < t->n) {
		const struct simrec *o = rec_slot(t, (size_t)same);
		return append(t, r, o->p, o->len);
	}
	return append(t, r, NULL, 0);
}

size_t simtrace_count(const struct simtrace *t)
{
	return t ? t->n : 0;
}

const struct simrec *simtrace_get(const struct simtrace *t, size_t i)
{
	return i < t->n ? rec_slot(t, i) : NULL;
}

const uint8_t *simtrace_payload(const struct simtrace *t, const struct simrec *r)
{
	return r->len ? r->p : NULL;
}

int simtrace_full(const struct simtrace *t)
{
	return t->full;
}

uint32_t simtrace_nodes(const struct simtrace *t)
{
	return t->nodes;
}

size_t simtrace_bytes(const struct simtrace *t)
{
	return t->bytes;
}

/* ---- filters ---- */

#define DEFAULT_KINDS (~((1u << SIMR_TIMER_SET) | (1u << SIMR_TIMER_CANCEL)))

static int message_kind(int k)
{
	return k == SIMR_SEND || k == SIMR_DELIVER || k == SIMR_DROP || k == SIMR_DUP;
}

static int shown(const struct simtrace *t, const uint8_t *nodes, uint32_t id)
{
	return id >= 1 && id <= t->nodes && nodes[id];
}

int simtrace_match(const struct simtrace *t, const struct simrec *r,
		   const struct simtrace_filter *f)
{
	unsigned kinds = f->kinds ? f->kinds : DEFAULT_KINDS;
	if (!(kinds & (1u << r->kind)))
		return 0;
	if (r->at < f->from || (f->to >= 0 && r->at > f->to))
		return 0;
	if (!f->nodes)
		return 1;
	switch (r->kind) {
	case SIMR_INVOKE:
	case SIMR_COMPLETE: return shown(t, f->nodes, r->b);
	case SIMR_FAULT: return 1;
	case SIMR_LOG: return r->a == 0 || shown(t, f->nodes, r->a);
	default:
		if (message_kind(r->kind))
			return shown(t, f->nodes, r->a) || shown(t, f->nodes, r->b);
		return shown(t, f->nodes, r->a);
	}
}

/* ---- lines ---- */

static const char *const status_word[] = {"pending", "ok", "fail", "info"};

static void payload_text(struct sbuf *out, const struct simtrace *t, const struct simrec *r,
			 size_t max)
{
	const uint8_t *p = simtrace_payload(t, r);
	if (!p)
		return;
	sbuf_addc(out, ' ');
	simval_render(out, simv_of(p, r->len), max);
}

/* Appends TEXT[0..LEN) with control characters shown as '?'. */
static void clean(struct sbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		sbuf_addc(out, c < 32 || c == 127 ? '?' : (char)c);
	}
}

static void ms(struct sbuf *out, int64_t ns)
{
	double v = (double)ns / 1e6;
	if (v < 10)
		sbuf_addf(out, "%.3f ms", v);
	else
		sbuf_addf(out, "%.1f ms", v);
}

void simtrace_line(struct sbuf *out, const struct simtrace *t, const struct simrec *r)
{
	static const char *const drop_word[] = {"drop", "lost", "cut", "down"};
	sbuf_addf(out, "%11.6f  ", (double)r->at / 1e9);
	char who[32];
	switch (r->kind) {
	case SIMR_SEND:
	case SIMR_DELIVER:
	case SIMR_DROP:
	case SIMR_DUP: snprintf(who, sizeof who, "n%u -> n%u", r->a, r->b); break;
	case SIMR_INVOKE: snprintf(who, sizeof who, "c%u -> n%u", r->a, r->b); break;
	case SIMR_COMPLETE: snprintf(who, sizeof who, "c%u <- n%u", r->a, r->b); break;
	case SIMR_FAULT: snprintf(who, sizeof who, "--"); break;
	default:
		if (r->a)
			snprintf(who, sizeof who, "n%u", r->a);
		else
			snprintf(who, sizeof who, "--");
	}
	sbuf_addf(out, "%-12s ", who);
	switch (r->kind) {
	case SIMR_SEND:
		sbuf_addf(out, "send    #%llu", (unsigned long long)r->id);
		payload_text(out, t, r, 0);
		break;
	case SIMR_DELIVER:
		sbuf_addf(out, "recv    #%llu", (unsigned long long)r->id);
		payload_text(out, t, r, 0);
		sbuf_adds(out, "  (");
		ms(out, r->at - r->aux);
		sbuf_adds(out, ")");
		break;
	case SIMR_DROP:
		sbuf_addf(out, "%-7s #%llu", drop_word[r->why <= 3 ? r->why : 0],
			  (unsigned long long)r->id);
		payload_text(out, t, r, 0);
		sbuf_adds(out, r->why == SIMR_WHY_LOSS        ? "  (lost by the network)"
			       : r->why == SIMR_WHY_PARTITION ? "  (partitioned)"
							      : "  (receiver down)");
		break;
	case SIMR_DUP: sbuf_addf(out, "dup     #%llu", (unsigned long long)r->id); break;
	case SIMR_TIMER_SET:
		sbuf_addf(out, "set     t%llu", (unsigned long long)r->id);
		payload_text(out, t, r, 0);
		sbuf_addf(out, "  (due %.6f)", (double)r->aux / 1e9);
		break;
	case SIMR_TIMER_FIRE:
		sbuf_addf(out, "timer   t%llu", (unsigned long long)r->id);
		payload_text(out, t, r, 0);
		break;
	case SIMR_TIMER_CANCEL: sbuf_addf(out, "cancel  t%llu", (unsigned long long)r->id); break;
	case SIMR_START: sbuf_adds(out, "start"); break;
	case SIMR_CRASH: sbuf_adds(out, "CRASH"); break;
	case SIMR_RESTART: sbuf_addf(out, "restart (incarnation %lld)", (long long)r->aux); break;
	case SIMR_FAULT:
		sbuf_adds(out, "fault  ");
		payload_text(out, t, r, 0);
		break;
	case SIMR_LOG:
		sbuf_adds(out, "log     ");
		clean(out, (const char *)simtrace_payload(t, r), r->len);
		break;
	case SIMR_INVOKE:
		sbuf_addf(out, "invoke  op%llu", (unsigned long long)r->id);
		payload_text(out, t, r, 0);
		break;
	case SIMR_COMPLETE:
		sbuf_addf(out, "%-7s op%llu", status_word[r->why <= 3 ? r->why : 0],
			  (unsigned long long)r->id);
		payload_text(out, t, r, 0);
		break;
	}
}

/* Cuts the last line of OUT (from START) at WIDTH columns with "...". */
static void cut_line(struct sbuf *out, size_t start, size_t width)
{
	if (!width || utf8_width(out->buf + start, out->len - start) <= width)
		return;
	size_t i = start, cols = 0;
	while (i < out->len) {
		uint32_t cp;
		int n = utf8_decode(out->buf + i, out->len - i, &cp);
		int w = utf8_cpwidth(cp);
		if (cols + (size_t)w > width - 3)
			break;
		cols += (size_t)w;
		i += (size_t)n;
	}
	sbuf_truncate(out, i);
	sbuf_adds(out, "...");
}

void simtrace_text(struct sbuf *out, const struct simtrace *t, const struct simtrace_filter *f)
{
	size_t limit = f->limit ? f->limit : 200;
	size_t first = 0, matched = 0;
	if (f->last) { /* find where the last LIMIT matches start */
		size_t seen = 0;
		for (size_t i = t->n; i-- > 0;)
			if (simtrace_match(t, rec_slot(t, i), f)) {
				if (seen == limit) {
					matched = 1; /* at least one more before */
					break;
				}
				seen++;
				first = i;
			}
		if (matched) {
			size_t before = 0;
			for (size_t i = 0; i < first; i++)
				before += simtrace_match(t, rec_slot(t, i), f);
			sbuf_addf(out, "(%zu earlier records not shown)\n", before);
		}
	}
	size_t lines = 0, more = 0;
	for (size_t i = first; i < t->n; i++) {
		if (!simtrace_match(t, rec_slot(t, i), f))
			continue;
		if (lines == limit) {
			more++;
			continue;
		}
		size_t start = out->len;
		simtrace_line(out, t, rec_slot(t, i));
		cut_line(out, start, f->width);
		sbuf_addc(out, '\n');
		lines++;
	}
	if (more)
		sbuf_addf(out, "(%zu more records not shown)\n", more);
	if (t->full)
		sbuf_adds(out, "(the trace is incomplete: it ran out of memory)\n");
}
