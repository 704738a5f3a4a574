/*
 * trace.c — traceparent, tracestate and span trees (trace.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/trace/trace.h"

static int hexlc(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int hexuc(int c)
{
	return c >= 'A' && c <= 'F';
}

/* N lowercase hex digits at S; *WHY says what else is there. */
static int hexfield(const char *s, size_t n, const char *what, const char **why)
{
	for (size_t i = 0; i < n; i++) {
		if (hexlc((unsigned char)s[i]))
			continue;
		*why = hexuc((unsigned char)s[i]) ? what : "a field holds a character that is not hex";
		return -1;
	}
	return 0;
}

static int allzero(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '0')
			return 0;
	return 1;
}

int trace_parse_parent(const char *s, size_t len, struct trace_parent *p, const char **why)
{
	memset(p, 0, sizeof *p);
	if (len < 3 || s[2] != '-') {
		*why = "the version must be 2 hex digits followed by a dash";
		return -1;
	}
	if (hexfield(s, 2, "hex digits must be lowercase (HEXDIGLC)", why) != 0)
		return -1;
	p->version = (unsigned)strtoul((char[]){s[0], s[1], 0}, NULL, 16);
	if (p->version == 0xff) {
		*why = "version ff is forbidden";
		return -1;
	}
	if (len < 55) {
		*why = "too short: version 00 is 55 characters";
		return -1;
	}
	if (p->version == 0 && len != 55) {
		*why = "version 00 is exactly 55 characters";
		return -1;
	}
	if (len > 55 && s[55] != '-') {
		*why = "a higher version's fields must be followed by a dash";
		return -1;
	}
	if (s[35] != '-' || s[52] != '-') {
		*why = "trace-id is 32 hex digits and parent-id 16, separated by dashes";
		return -1;
	}
	const char *uc = "hex digits must be lowercase (HEXDIGLC)";
	if (hexfield(s + 3, 32, uc, why) != 0 || hexfield(s + 36, 16, uc, why) != 0 ||
	    hexfield(s + 53, 2, uc, why) != 0)
		return -1;
	if (allzero(s + 3, 32)) {
		*why = "an all-zero trace-id is invalid";
		return -1;
	}
	if (allzero(s + 36, 16)) {
		*why = "an all-zero parent-id is invalid";
		return -1;
	}
	memcpy(p->trace_id, s + 3, 32);
	memcpy(p->parent_id, s + 36, 16);
	p->flags = (unsigned)strtoul((char[]){s[53], s[54], 0}, NULL, 16);
	return 0;
}

void trace_format_parent(const struct trace_parent *p, char out[56])
{
	snprintf(out, 56, "00-%s-%s-%02x", p->trace_id, p->parent_id, p->flags & 1u);
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void trace_id_hex(uint64_t *state, char *out, int bytes)
{
	uint64_t a, b = 0;
	do {
		a = splitmix64(state);
		if (bytes == 16)
			b = splitmix64(state);
	} while (a == 0 && b == 0);
	if (bytes == 16)
		snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
	else
		snprintf(out, 17, "%016llx", (unsigned long long)a);
}

/* ---- tracestate ---- */

static int keychar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*' ||
	       c == '/';
}

/* FIRST: lcalpha only (1), or lcalpha / DIGIT (0); then up to MORE keychars. */
static int id_ok(const char *s, size_t n, int alpha_first, size_t more)
{
	if (n == 0 || n > more + 1)
		return 0;
	int c = (unsigned char)s[0];
	if (!(c >= 'a' && c <= 'z') && (alpha_first || !(c >= '0' && c <= '9')))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!keychar((unsigned char)s[i]))
			return 0;
	return 1;
}

int trace_key_ok(const char *key, const char **why)
{
	const char *at = strchr(key, '@');
	size_t n = strlen(key);
	int ok = at ? id_ok(key, (size_t)(at - key), 0, 240) &&
			      id_ok(at + 1, n - (size_t)(at - key) - 1, 1, 13)
		    : id_ok(key, n, 1, 255);
	if (!ok)
		*why = at ? "a multi-tenant key is tenant@system: tenant up to 241 of a-z 0-9 _ - * /, "
			    "system a letter then up to 13 more"
			  : "a key is a lowercase letter then up to 255 of a-z 0-9 _ - * /";
	return ok;
}

int trace_value_ok(const char *v, const char **why)
{
	size_t n = strlen(v);
	*why = "a value is 1 to 256 printable ASCII characters but , and =, not ending in a space";
	if (n == 0 || n > 256 || v[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)v[i];
		if (c < 0x20 || c > 0x7e || c == ',' || c == '=')
			return 0;
	}
	return 1;
}

void trace_state_free(struct trace_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		budget_free(st->m[i].key);
		budget_free(st->m[i].value);
	}
	st->n = 0;
}

static char *dupn(const char *s, size_t n)
{
	char *d = budget_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int ows(int c)
{
	return c == ' ' || c == '\t';
}

/* Adds the member S[0..N) (trimmed) to ST. */
static int add_member(struct trace_state *st, const char *s, size_t n, const char **why)
{
	while (n && ows((unsigned char)*s))
		s++, n--;
	while (n && ows((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return 0; /* an empty member is allowed */
	const char *eq = memchr(s, '=', n);
	if (!eq) {
		*why = "a list-member is key=value";
		return -1;
	}
	if (st->n == TRACE_STATE_MAX) {
		*why = "more than 32 list-members";
		return -1;
	}
	char *k = dupn(s, (size_t)(eq - s)), *v = dupn(eq + 1, n - (size_t)(eq - s) - 1);
	if (!k || !v || !trace_key_ok(k, why) || !trace_value_ok(v, why)) {
		if (!k || !v)
			*why = "out of memory";
		budget_free(k);
		budget_free(v);
		return -1;
	}
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->m[i].key, k) == 0) {
			*why = "a key appears twice (one entry per key)";
			budget_free(k);
			budget_free(v);
			return -1;
		}
	st->m[st->n++] = (struct trace_member){k, v};
	return 0;
}

int trace_parse_state(const char *s, size_t len, struct trace_state *st, const char **why)
{
	st->n = 0;
	size_t a = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] == '\0') {
			*why = "a NUL byte in the value";
			trace_state_free(st);
			return -1;
		}
		if (i == len || s[i] == ',') {
			if (add_member(st, s + a, i - a, why) != 0) {
				trace_state_free(st);
				return -1;
			}
			a = i + 1;
		}
	}
	return 0;
}

int trace_state_set(struct trace_state *st, const char *key, const char *value, const char **why)
{
	if (!trace_key_ok(key, why) || !trace_value_ok(value, why))
		return -1;
	char *k = budget_strdup(key), *v = budget_strdup(value);
	if (!k || !v) {
		budget_free(k);
		budget_free(v);
		*why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->m[i].key, key) == 0) {
			budget_free(st->m[i].key);
			budget_free(st->m[i].value);
			memmove(&st->m[i], &st->m[i + 1], (st->n - i - 1) * sizeof st->m[0]);
			st->n--;
			break;
		}
	memmove(&st->m[1], &st->m[0], st->n * sizeof st->m[0]);
	st->m[0] = (struct trace_member){k, v};
	st->n++;
	if (st->n > TRACE_STATE_MAX) { /* the right-most goes */
		st->n--;
		budget_free(st->m[st->n].key);
		budget_free(st->m[st->n].value);
	}
	return 0;
}

/* ---- spans ---- */

struct build {
	const struct trace_span *s;
	size_t n;
	long *parent;          /* per span */
	size_t *kids, *first;  /* children lists: kids[first[i] .. first[i+1]) sorted by start */
	struct trace_tree *t;
	int *state;            /* 0 new, 1 on the stack, 2 done */
};

/* Index of the span whose id is ID, -1 if none: sorted index SORTED. */
static long find(const struct trace_span *s, const size_t *sorted, size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s[sorted[mid]].id, id);
		if (c == 0)
			return (long)sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const struct trace_span *g_spans; /* for qsort's comparators only */

static int cmp_id(const void *a, const void *b)
{
	return strcmp(g_spans[*(const size_t *)a].id, g_spans[*(const size_t *)b].id);
}

static int cmp_start(const void *a, const void *b)
{
	const struct trace_span *x = &g_spans[*(const size_t *)a], *y = &g_spans[*(const size_t *)b];
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* Time the children of I cover inside I (the union of their intervals). */
static double covered(const struct build *b, size_t i)
{
	const struct trace_span *p = &b->s[i];
	double sum = 0, end = p->start;
	for (size_t k = b->first[i]; k < b->first[i + 1]; k++) { /* by start */
		const struct trace_span *c = &b->s[b->kids[k]];
		double lo = fmax(fmax(c->start, end), p->start), hi = fmin(c->finish, p->finish);
		if (hi > lo)
			sum += hi - lo;
		end = fmax(end, fmin(c->finish, p->finish));
	}
	return sum;
}

static int add_segment(struct trace_tree *t, size_t span, double from, double to)
{
	if (!(to > from))
		return 0;
	if (t->npath == t->cappath) {
		size_t c = t->cappath ? t->cappath * 2 : 16;
		struct trace_segment *g = budget_realloc(t->path, c * sizeof *g);
		if (!g)
			return -1;
		t->path = g;
		t->cappath = c;
	}
	t->path[t->npath++] = (struct trace_segment){span, from, to};
	return 0;
}

/* Children by finish, latest first; ties by start, then input order. */
static int cmp_finish(const void *a, const void *b)
{
	const struct trace_span *x = &g_spans[*(const size_t *)a], *y = &g_spans[*(const size_t *)b];
	if (x->finish != y->finish)
		return x->finish > y->finish ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/*
 * The critical path of span I up to time T, appended in reverse time
 * order: the child that ends last before T (its end cut at T) is on the
 * path, recursively; the gaps are I's own work. Going through the
 * children by finish, latest first, the next one on the path is always the
 * next that started before the current time: one pass.
 */
static int critical(struct build *b, size_t i, double t, int depth)
{
	const struct trace_span *p = &b->s[i];
	if (depth > 10000 || budget_stop())
		return -1;
	size_t k = b->first[i + 1] - b->first[i];
	size_t *order = budget_malloc((k ? k : 1) * sizeof *order);
	if (!order)
		return -1;
	memcpy(order, b->kids + b->first[i], k * sizeof *order);
	qsort(order, k, sizeof *order, cmp_finish);
	double lo = p->start;
	int rc = 0;
	for (size_t j = 0; j < k && t > lo && rc == 0; j++) {
		const struct trace_span *c = &b->s[order[j]];
		if (c->finish <= lo)
			break; /* this one and the rest end before the parent starts */
		if (c->start >= t)
			continue; /* after the current time: not on the path */
		double e = fmin(c->finish, t);
		if (add_segment(b->t, i, e, t) != 0 || critical(b, order[j], e, depth + 1) != 0)
			rc = -1;
		t = fmax(c->start, lo);
	}
	budget_free(order);
	if (rc != 0)
		return -1;
	return add_segment(b->t, i, lo, t);
}

/* Rows depth-first from root R. */
static int walk(struct build *b, size_t r, int depth, long parent)
{
	if (b->state[r] != 0 || depth > 10000)
		return -1; /* a cycle, or too deep for the stack */
	b->state[r] = 1;
	struct trace_row *row = &b->t->rows[b->t->nrows++];
	row->span = r;
	row->parent = parent;
	row->depth = depth;
	row->orphan = parent < 0 && b->s[r].parent && *b->s[r].parent;
	row->self = (b->s[r].finish - b->s[r].start) - covered(b, r);
	for (size_t k = b->first[r]; k < b->first[r + 1]; k++)
		if (walk(b, b->kids[k], depth + 1, (long)r) != 0)
			return -1;
	b->state[r] = 2;
	return 0;
}

void trace_tree_free(struct trace_tree *t)
{
	budget_free(t->rows);
	budget_free(t->path);
	memset(t, 0, sizeof *t);
}

int trace_assemble(const struct trace_span *s, size_t n, struct trace_tree *t, const char **why)
{
	memset(t, 0, sizeof *t);
	struct build b = {.s = s, .n = n, .t = t};
	size_t *sorted = budget_malloc((n + 1) * sizeof *sorted);
	b.parent = budget_malloc((n + 1) * sizeof *b.parent);
	b.kids = budget_malloc((n + 1) * sizeof *b.kids);
	b.first = budget_calloc(n + 2, sizeof *b.first);
	b.state = budget_calloc(n + 1, sizeof *b.state);
	t->rows = budget_calloc(n + 1, sizeof *t->rows);
	int rc = -1;
	*why = "out of memory";
	if (!sorted || !b.parent || !b.kids || !b.first || !b.state || !t->rows)
		goto out;
	*why = "no spans";
	if (n == 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		sorted[i] = i;
		*why = "a span's finish is before its start";
		if (!(s[i].finish >= s[i].start) || !isfinite(s[i].start) || !isfinite(s[i].finish))
			goto out;
		*why = "every span needs a non-empty id";
		if (!s[i].id || !*s[i].id)
			goto out;
	}
	g_spans = s;
	qsort(sorted, n, sizeof *sorted, cmp_id);
	*why = "two spans have the same id";
	for (size_t i = 1; i < n; i++)
		if (strcmp(s[sorted[i]].id, s[sorted[i - 1]].id) == 0)
			goto out;
	/* children, grouped by parent (counting sort), each group by start */
	for (size_t i = 0; i < n; i++) {
		b.parent[i] = s[i].parent && *s[i].parent ? find(s, sorted, n, s[i].parent) : -1;
		if (b.parent[i] >= 0)
			b.first[b.parent[i] + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		b.first[i + 1] += b.first[i];
	size_t *fill = sorted; /* reused: the next free slot of each group */
	memcpy(fill, b.first, n * sizeof *fill);
	for (size_t i = 0; i < n; i++)
		if (b.parent[i] >= 0)
			b.kids[fill[b.parent[i]]++] = i;
	for (size_t i = 0; i < n; i++)
		qsort(b.kids + b.first[i], b.first[i + 1] - b.first[i], sizeof *b.kids, cmp_start);
	/* roots by start, then depth-first */
	size_t nroots = 0;
	for (size_t i = 0; i < n; i++)
		if (b.parent[i] < 0)
			sorted[nroots++] = i;
	qsort(sorted, nroots, sizeof *sorted, cmp_start);
	*why = "the parent ids form a cycle (or nest deeper than 10000)";
	for (size_t k = 0; k < nroots; k++)
		if (walk(&b, sorted[k], 0, -1) != 0)
			goto out;
	if (t->nrows != n)
		goto out; /* spans on a cycle are reached from no root */
	t->nroots = nroots;
	size_t last = sorted[0];
	t->start = s[sorted[0]].start;
	t->finish = s[last].finish;
	for (size_t k = 0; k < nroots; k++) {
		t->start = fmin(t->start, s[sorted[k]].start);
		if (s[sorted[k]].finish > s[last].finish)
			last = sorted[k];
	}
	t->finish = s[last].finish;
	*why = "the critical path is too deep, or the run was stopped";
	if (critical(&b, last, s[last].finish, 0) != 0)
		goto out;
	for (size_t i = 0; i < t->npath / 2; i++) { /* into time order */
		struct trace_segment x = t->path[i];
		t->path[i] = t->path[t->npath - 1 - i];
		t->path[t->npath - 1 - i] = x;
	}
	double *own = budget_calloc(n, sizeof *own);
	*why = "out of memory";
	if (!own)
		goto out;
	for (size_t g = 0; g < t->npath; g++)
		own[t->path[g].span] += t->path[g].to - t->path[g].from;
	for (size_t r = 0; r < n; r++)
		t->rows[r].critical = own[t->rows[r].span];
	budget_free(own);
	rc = 0;
out:
	budget_free(sorted);
	budget_free(b.parent);
	budget_free(b.kids);
	budget_free(b.first);
	budget_free(b.state);
	if (rc != 0)
		trace_tree_free(t);
	return rc;
}
