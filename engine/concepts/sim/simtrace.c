/* simtrace.c — trace records and their text; see simtrace.h. The diagrams
 * are in simdraw.c. */
#include "engine/concepts/sim/simtrace.h"
#include "engine/concepts/sim/simval.h"
#include "engine/base/budget.h"
#include "engine/base/utf8.h"

#include <stdio.h>
#include <string.h>

struct simtrace {
	struct simrec *rec;
	size_t n, cap;
	uint8_t *arena;
	size_t used, room;
	uint32_t nodes;
	int full;
};

struct simtrace *simtrace_new(uint32_t nodes)
{
	struct simtrace *t = budget_calloc(1, sizeof *t);
	if (t)
		t->nodes = nodes;
	return t;
}

void simtrace_free(struct simtrace *t)
{
	if (!t)
		return;
	budget_free(t->rec);
	budget_free(t->arena);
	budget_free(t);
}

static int grow_records(struct simtrace *t)
{
	if (t->n < t->cap)
		return 0;
	size_t cap = t->cap ? 2 * t->cap : 1024;
	struct simrec *r = budget_realloc(t->rec, cap * sizeof *r);
	if (!r)
		return -1;
	t->rec = r;
	t->cap = cap;
	return 0;
}

static int grow_arena(struct simtrace *t, size_t len)
{
	if (t->room - t->used >= len)
		return 0;
	size_t room = t->room ? t->room : 4096;
	while (room - t->used < len) {
		if (room > SIZE_MAX / 4)
			return -1;
		room *= 2;
	}
	uint8_t *a = budget_realloc(t->arena, room);
	if (!a)
		return -1;
	t->arena = a;
	t->room = room;
	return 0;
}

long simtrace_add(struct simtrace *t, const struct simrec *r, const void *p, size_t len)
{
	if (t->full || len > UINT32_MAX || grow_records(t) != 0 || grow_arena(t, len) != 0) {
		t->full = 1;
		return -1;
	}
	struct simrec *x = &t->rec[t->n];
	*x = *r;
	x->off = t->used;
	x->len = (uint32_t)len;
	if (len) {
		memcpy(t->arena + t->used, p, len);
		t->used += len;
	}
	return (long)t->n++;
}

long simtrace_add_same(struct simtrace *t, const struct simrec *r, long same)
{
	if (t->full || grow_records(t) != 0) {
		t->full = 1;
		return -1;
	}
	struct simrec *x = &t->rec[t->n];
	*x = *r;
	x->off = 0;
	x->len = 0;
	if (same >= 0 && (size_t)same < t->n) {
		x->off = t->rec[same].off;
		x->len = t->rec[same].len;
	}
	return (long)t->n++;
}

size_t simtrace_count(const struct simtrace *t)
{
	return t ? t->n : 0;
}

const struct simrec *simtrace_get(const struct simtrace *t, size_t i)
{
	return i < t->n ? &t->rec[i] : NULL;
}

const uint8_t *simtrace_payload(const struct simtrace *t, const struct simrec *r)
{
	return r->len ? t->arena + r->off : NULL;
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
	return t->cap * sizeof *t->rec + t->room;
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
			if (simtrace_match(t, &t->rec[i], f)) {
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
				before += simtrace_match(t, &t->rec[i], f);
			sbuf_addf(out, "(%zu earlier records not shown)\n", before);
		}
	}
	size_t lines = 0, more = 0;
	for (size_t i = first; i < t->n; i++) {
		if (!simtrace_match(t, &t->rec[i], f))
			continue;
		if (lines == limit) {
			more++;
			continue;
		}
		size_t start = out->len;
		simtrace_line(out, t, &t->rec[i]);
		cut_line(out, start, f->width);
		sbuf_addc(out, '\n');
		lines++;
	}
	if (more)
		sbuf_addf(out, "(%zu more records not shown)\n", more);
	if (t->full)
		sbuf_adds(out, "(the trace is incomplete: it ran out of memory)\n");
}
