/* simval.c — the value encoding of lab.sim messages; see simval.h. */
#include "engine/concepts/sim/simval.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- writing ---- */

/* Makes room for N more bytes; 0, or -1 (and W failed) when refused. */
static int room(struct simw *w, size_t n)
{
	if (w->failed)
		return -1;
	if (w->cap - w->len >= n)
		return 0;
	size_t cap = w->cap ? w->cap : 64;
	while (cap - w->len < n) {
		if (cap > SIZE_MAX / 2) {
			w->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	uint8_t *p = budget_realloc(w->p, cap);
	if (!p) {
		w->failed = 1;
		return -1;
	}
	w->p = p;
	w->cap = cap;
	return 0;
}

static void put_byte(struct simw *w, uint8_t b)
{
	if (room(w, 1) == 0)
		w->p[w->len++] = b;
}

static void put_uvarint(struct simw *w, uint64_t v)
{
	if (room(w, 10) != 0)
		return;
	while (v >= 0x80) {
		w->p[w->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	w->p[w->len++] = (uint8_t)v;
}

void simw_nil(struct simw *w)
{
	put_byte(w, SIMVAL_NIL);
}

void simw_bool(struct simw *w, int b)
{
	put_byte(w, b ? SIMVAL_TRUE : SIMVAL_FALSE);
}

void simw_int(struct simw *w, int64_t v)
{
	put_byte(w, SIMVAL_INT);
	put_uvarint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); /* zigzag */
}

void simw_float(struct simw *w, double v)
{
	put_byte(w, SIMVAL_FLOAT);
	if (room(w, 8) != 0)
		return;
	uint64_t bits;
	memcpy(&bits, &v, 8);
	for (int i = 0; i < 8; i++)
		w->p[w->len++] = (uint8_t)(bits >> (8 * i));
}

void simw_str(struct simw *w, const char *s, size_t len)
{
	put_byte(w, SIMVAL_STR);
	put_uvarint(w, len);
	if (room(w, len) == 0) {
		memcpy(w->p + w->len, s, len);
		w->len += len;
	}
}

void simw_cstr(struct simw *w, const char *s)
{
	simw_str(w, s, strlen(s));
}

void simw_table(struct simw *w, size_t narr, size_t nmap)
{
	put_byte(w, SIMVAL_TABLE);
	put_uvarint(w, narr);
	put_uvarint(w, nmap);
}

void simw_raw(struct simw *w, const uint8_t *v, size_t n)
{
	if (room(w, n) == 0) {
		memcpy(w->p + w->len, v, n);
		w->len += n;
	}
}

void simw_kint(struct simw *w, const char *key, int64_t v)
{
	simw_cstr(w, key);
	simw_int(w, v);
}

void simw_kstr(struct simw *w, const char *key, const char *s)
{
	simw_cstr(w, key);
	simw_cstr(w, s);
}

void simw_kfloat(struct simw *w, const char *key, double v)
{
	simw_cstr(w, key);
	simw_float(w, v);
}

void simw_kbool(struct simw *w, const char *key, int b)
{
	simw_cstr(w, key);
	simw_bool(w, b);
}

int simw_failed(const struct simw *w)
{
	return w->failed;
}

void simw_reset(struct simw *w)
{
	w->len = 0;
	w->failed = 0;
}

void simw_free(struct simw *w)
{
	budget_free(w->p);
	*w = (struct simw)SIMW_INIT;
}

/* ---- reading ---- */

/* Reads a varint at P[*i..N); 0, or -1 if truncated or too long. */
static int get_uvarint(const uint8_t *p, size_t n, size_t *i, uint64_t *out)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*i >= n)
			return -1;
		uint8_t b = p[(*i)++];
		v |= (uint64_t)(b & 0x7F) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/* Skips the value at P[*i..N); 0, or -1 if malformed. */
static int skip(const uint8_t *p, size_t n, size_t *i, int depth)
{
	if (*i >= n || depth > SIMVAL_MAX_DEPTH)
		return -1;
	uint64_t k, m;
	switch (p[(*i)++]) {
	case SIMVAL_NIL:
	case SIMVAL_FALSE:
	case SIMVAL_TRUE:
		return 0;
	case SIMVAL_INT:
		return get_uvarint(p, n, i, &k);
	case SIMVAL_FLOAT:
		if (n - *i < 8)
			return -1;
		*i += 8;
		return 0;
	case SIMVAL_STR:
		if (get_uvarint(p, n, i, &k) != 0 || k > n - *i)
			return -1;
		*i += k;
		return 0;
	case SIMVAL_TABLE:
		if (get_uvarint(p, n, i, &k) != 0 || get_uvarint(p, n, i, &m) != 0)
			return -1;
		if (k > n || m > n) /* each value takes at least a byte */
			return -1;
		for (uint64_t j = 0; j < k; j++)
			if (skip(p, n, i, depth + 1) != 0)
				return -1;
		for (uint64_t j = 0; j < 2 * m; j++)
			if (skip(p, n, i, depth + 1) != 0)
				return -1;
		return 0;
	default:
		return -1;
	}
}

size_t simval_size(const uint8_t *p, size_t n)
{
	size_t i = 0;
	if (skip(p, n, &i, 0) != 0)
		return 0;
	return i;
}

int simval_valid(const uint8_t *p, size_t n)
{
	return n > 0 && simval_size(p, n) == n;
}

struct simv simv_of(const uint8_t *p, size_t n)
{
	return (struct simv){p, n};
}

enum simval_tag simv_tag(struct simv v)
{
	return v.len ? (enum simval_tag)v.p[0] : SIMVAL_NIL;
}

int simv_int(struct simv v, int64_t *out)
{
	if (simv_tag(v) == SIMVAL_INT) {
		size_t i = 1;
		uint64_t z;
		if (get_uvarint(v.p, v.len, &i, &z) != 0)
			return -1;
		*out = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
		return 0;
	}
	double d;
	if (simv_tag(v) == SIMVAL_FLOAT && simv_num(v, &d) == 0 && d == floor(d) &&
	    d >= -9.2e18 && d <= 9.2e18) {
		*out = (int64_t)d;
		return 0;
	}
	return -1;
}

int simv_num(struct simv v, double *out)
{
	if (simv_tag(v) == SIMVAL_FLOAT && v.len >= 9) {
		uint64_t bits = 0;
		for (int i = 0; i < 8; i++)
			bits |= (uint64_t)v.p[1 + i] << (8 * i);
		memcpy(out, &bits, 8);
		return 0;
	}
	int64_t x;
	if (simv_tag(v) == SIMVAL_INT && simv_int(v, &x) == 0) {
		*out = (double)x;
		return 0;
	}
	return -1;
}

int simv_str(struct simv v, const char **s, size_t *len)
{
	if (simv_tag(v) != SIMVAL_STR)
		return -1;
	size_t i = 1;
	uint64_t k;
	if (get_uvarint(v.p, v.len, &i, &k) != 0 || k > v.len - i)
		return -1;
	*s = (const char *)v.p + i;
	*len = (size_t)k;
	return 0;
}

int simv_is(struct simv v, const char *s)
{
	const char *t;
	size_t n;
	return simv_str(v, &t, &n) == 0 && n == strlen(s) && memcmp(t, s, n) == 0;
}

/* Positions I after the table header of V; fills the part sizes. */
static int table_head(struct simv v, size_t *i, size_t *narr, size_t *nmap)
{
	if (simv_tag(v) != SIMVAL_TABLE)
		return -1;
	uint64_t k, m;
	*i = 1;
	if (get_uvarint(v.p, v.len, i, &k) != 0 || get_uvarint(v.p, v.len, i, &m) != 0)
		return -1;
	*narr = (size_t)k;
	*nmap = (size_t)m;
	return 0;
}

int simv_table(struct simv v, size_t *narr, size_t *nmap)
{
	size_t i;
	return table_head(v, &i, narr, nmap);
}

/* The value at V.p[*i], advancing *i past it. */
static int next_value(struct simv v, size_t *i, struct simv *out)
{
	size_t start = *i;
	if (skip(v.p, v.len, i, 1) != 0)
		return -1;
	out->p = v.p + start;
	out->len = *i - start;
	return 0;
}

int simv_at(struct simv v, size_t idx, struct simv *out)
{
	size_t i, narr, nmap;
	if (table_head(v, &i, &narr, &nmap) != 0 || idx < 1 || idx > narr)
		return -1;
	for (size_t j = 1; j <= narr; j++) {
		if (next_value(v, &i, out) != 0)
			return -1;
		if (j == idx)
			return 0;
	}
	return -1;
}

int simv_pair(struct simv v, size_t idx, struct simv *key, struct simv *val)
{
	size_t i, narr, nmap;
	struct simv tmp;
	if (table_head(v, &i, &narr, &nmap) != 0 || idx >= nmap)
		return -1;
	for (size_t j = 0; j < narr; j++)
		if (next_value(v, &i, &tmp) != 0)
			return -1;
	for (size_t j = 0; j <= idx; j++)
		if (next_value(v, &i, key) != 0 || next_value(v, &i, val) != 0)
			return -1;
	return 0;
}

/* Finds the map-part value whose key satisfies MATCH. */
static int find(struct simv v, int (*match)(struct simv k, const void *arg), const void *arg,
		struct simv *out)
{
	size_t i, narr, nmap;
	struct simv k, tmp;
	if (table_head(v, &i, &narr, &nmap) != 0)
		return -1;
	for (size_t j = 0; j < narr; j++)
		if (next_value(v, &i, &tmp) != 0)
			return -1;
	for (size_t j = 0; j < nmap; j++) {
		if (next_value(v, &i, &k) != 0 || next_value(v, &i, out) != 0)
			return -1;
		if (match(k, arg))
			return 0;
	}
	return -1;
}

static int match_str(struct simv k, const void *arg)
{
	return simv_is(k, arg);
}

static int match_int(struct simv k, const void *arg)
{
	int64_t x;
	return simv_tag(k) == SIMVAL_INT && simv_int(k, &x) == 0 && x == *(const int64_t *)arg;
}

int simv_get(struct simv v, const char *key, struct simv *out)
{
	return find(v, match_str, key, out);
}

int simv_geti(struct simv v, int64_t key, struct simv *out)
{
	size_t narr, nmap;
	if (simv_table(v, &narr, &nmap) != 0)
		return -1;
	if (key >= 1 && (uint64_t)key <= narr)
		return simv_at(v, (size_t)key, out);
	return find(v, match_int, &key, out);
}

int64_t simv_getint(struct simv v, const char *key, int64_t def)
{
	struct simv f;
	int64_t x;
	if (simv_get(v, key, &f) == 0 && simv_int(f, &x) == 0)
		return x;
	return def;
}

double simv_getnum(struct simv v, const char *key, double def)
{
	struct simv f;
	double x;
	if (simv_get(v, key, &f) == 0 && simv_num(f, &x) == 0)
		return x;
	return def;
}

int simv_getstr(struct simv v, const char *key, const char **s, size_t *len)
{
	struct simv f;
	if (simv_get(v, key, &f) != 0)
		return -1;
	return simv_str(f, s, len);
}

int simv_iter(struct simv_iter *it, struct simv table)
{
	it->t = table;
	it->done = 0;
	return table_head(table, &it->i, &it->narr, &it->nmap);
}

int simv_next(struct simv_iter *it, int *is_array, struct simv *key, struct simv *val)
{
	if (it->done >= it->narr + it->nmap)
		return 0;
	*is_array = it->done < it->narr;
	if (!*is_array && next_value(it->t, &it->i, key) != 0)
		return -1;
	if (next_value(it->t, &it->i, val) != 0)
		return -1;
	it->done++;
	return 1;
}

int simval_equal(struct simv a, struct simv b)
{
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

/* ---- rendering ---- */

static int is_ident(const char *s, size_t n)
{
	static const char *const reserved[] = {
		"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto",
		"if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until",
		"while", NULL};
	if (n == 0 || n > 40 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return 0;
	}
	for (int i = 0; reserved[i]; i++)
		if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0)
			return 0;
	return 1;
}

static void quote(struct sbuf *out, const char *s, size_t n)
{
	sbuf_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sbuf_addf(out, "\\%c", c);
		else if (c == '\n')
			sbuf_adds(out, "\\n");
		else if (c < 32 || c == 127)
			sbuf_addf(out, "\\%d", c);
		else
			sbuf_addc(out, (char)c);
	}
	sbuf_addc(out, '"');
}

static void number(struct sbuf *out, double d)
{
	if (d != d)
		sbuf_adds(out, "0/0");
	else if (isinf(d))
		sbuf_adds(out, d > 0 ? "1/0" : "-1/0");
	else if (d == floor(d) && fabs(d) < 1e15)
		sbuf_addf(out, "%.1f", d);
	else
		sbuf_addf(out, "%.14g", d);
}

static void render(struct sbuf *out, struct simv v, size_t stop, int depth);

static void render_key(struct sbuf *out, struct simv k, size_t stop, int depth)
{
	const char *s;
	size_t n;
	if (simv_str(k, &s, &n) == 0 && is_ident(s, n)) {
		sbuf_add(out, s, n);
	} else {
		sbuf_addc(out, '[');
		render(out, k, stop, depth);
		sbuf_addc(out, ']');
	}
}

/* Renders V; gives up (leaving the text cut) once OUT is longer than STOP. */
static void render(struct sbuf *out, struct simv v, size_t stop, int depth)
{
	int64_t x;
	double d;
	const char *s;
	size_t n;
	switch (simv_tag(v)) {
	case SIMVAL_NIL: sbuf_adds(out, "nil"); return;
	case SIMVAL_FALSE: sbuf_adds(out, "false"); return;
	case SIMVAL_TRUE: sbuf_adds(out, "true"); return;
	case SIMVAL_INT:
		if (simv_int(v, &x) == 0)
			sbuf_addf(out, "%lld", (long long)x);
		return;
	case SIMVAL_FLOAT:
		if (simv_num(v, &d) == 0)
			number(out, d);
		return;
	case SIMVAL_STR:
		if (simv_str(v, &s, &n) == 0)
			quote(out, s, n > stop ? stop : n);
		return;
	case SIMVAL_TABLE: break;
	default: sbuf_adds(out, "?"); return;
	}
	if (depth > SIMVAL_MAX_DEPTH)
		return;
	sbuf_addc(out, '{');
	struct simv_iter it;
	struct simv e, k;
	int arr;
	int first = 1;
	if (simv_iter(&it, v) == 0)
		while (out->len <= stop && simv_next(&it, &arr, &k, &e) == 1) {
			sbuf_adds(out, first ? "" : ", ");
			first = 0;
			if (!arr) {
				render_key(out, k, stop, depth + 1);
				sbuf_adds(out, " = ");
			}
			render(out, e, stop, depth + 1);
		}
	sbuf_addc(out, '}');
}

void simval_render(struct sbuf *out, struct simv v, size_t max)
{
	size_t start = out->len;
	size_t stop = max ? start + max : SIZE_MAX / 2;
	render(out, v, stop, 0);
	if (max && out->len - start > max) {
		/* cut at a UTF-8 boundary and mark it */
		size_t cut = start + (max > 3 ? max - 3 : 0);
		while (cut > start && (out->buf[cut] & 0xC0) == 0x80)
			cut--;
		sbuf_truncate(out, cut);
		sbuf_adds(out, "...");
	}
}
