/*
 * hpack.c — HPACK tables, integers, decoder and encoder (RFC 7541; see
 * hpack.h). Huffman coding is in hpack_huffman.c.
 */
#include "engine/concepts/http/hpack.h"

#include "engine/base/budget.h"

#include <string.h>

/* RFC 7541 Appendix A. */
static const char *const static_table[HPACK_STATIC_LEN][2] = {
    {":authority", ""},
    {":method", "GET"},
    {":method", "POST"},
    {":path", "/"},
    {":path", "/index.html"},
    {":scheme", "http"},
    {":scheme", "https"},
    {":status", "200"},
    {":status", "204"},
    {":status", "206"},
    {":status", "304"},
    {":status", "400"},
    {":status", "404"},
    {":status", "500"},
    {"accept-charset", ""},
    {"accept-encoding", "gzip, deflate"},
    {"accept-language", ""},
    {"accept-ranges", ""},
    {"accept", ""},
    {"access-control-allow-origin", ""},
    {"age", ""},
    {"allow", ""},
    {"authorization", ""},
    {"cache-control", ""},
    {"content-disposition", ""},
    {"content-encoding", ""},
    {"content-language", ""},
    {"content-length", ""},
    {"content-location", ""},
    {"content-range", ""},
    {"content-type", ""},
    {"cookie", ""},
    {"date", ""},
    {"etag", ""},
    {"expect", ""},
    {"expires", ""},
    {"from", ""},
    {"host", ""},
    {"if-match", ""},
    {"if-modified-since", ""},
    {"if-none-match", ""},
    {"if-range", ""},
    {"if-unmodified-since", ""},
    {"last-modified", ""},
    {"link", ""},
    {"location", ""},
    {"max-forwards", ""},
    {"proxy-authenticate", ""},
    {"proxy-authorization", ""},
    {"range", ""},
    {"referer", ""},
    {"refresh", ""},
    {"retry-after", ""},
    {"server", ""},
    {"set-cookie", ""},
    {"strict-transport-security", ""},
    {"transfer-encoding", ""},
    {"user-agent", ""},
    {"vary", ""},
    {"via", ""},
    {"www-authenticate", ""},
};

static struct hpack_entry static_entries[HPACK_STATIC_LEN];

static void static_init(void)
{
	if (static_entries[0].name)
		return;
	for (int i = 0; i < HPACK_STATIC_LEN; i++) {
		static_entries[i].name = (char *)static_table[i][0];
		static_entries[i].value = (char *)static_table[i][1];
		static_entries[i].nlen = strlen(static_table[i][0]);
		static_entries[i].vlen = strlen(static_table[i][1]);
	}
}

void hpack_table_init(struct hpack_table *t, size_t max_size)
{
	memset(t, 0, sizeof *t);
	t->max_size = t->limit = max_size;
	static_init();
}

static void entry_free(struct hpack_entry *e)
{
	budget_free(e->name);
	budget_free(e->value);
}

void hpack_table_free(struct hpack_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		entry_free(&t->e[i]);
	budget_free(t->e);
	t->e = NULL;
	t->n = t->cap = t->size = 0;
}

static size_t entry_size(size_t nlen, size_t vlen)
{
	return nlen + vlen + HPACK_ENTRY_OVERHEAD;
}

/* Evicts the oldest entries until SIZE + EXTRA fits the maximum. */
static void evict(struct hpack_table *t, size_t extra)
{
	size_t k = 0;
	while (k < t->n && t->size + extra > t->max_size) {
		t->size -= entry_size(t->e[k].nlen, t->e[k].vlen);
		entry_free(&t->e[k]);
		k++;
	}
	if (k) {
		memmove(t->e, t->e + k, (t->n - k) * sizeof *t->e);
		t->n -= k;
	}
}

void hpack_table_resize(struct hpack_table *t, size_t max_size)
{
	t->max_size = max_size;
	evict(t, 0);
}

static char *dup(const char *s, size_t n)
{
	char *p = budget_malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int hpack_table_add(struct hpack_table *t, const char *name, size_t nlen, const char *value,
                    size_t vlen)
{
	size_t sz = entry_size(nlen, vlen);
	if (sz > t->max_size) { /* section 4.4: the table empties, nothing is added */
		evict(t, t->max_size + 1);
		return 0;
	}
	char *n = dup(name, nlen), *v = dup(value, vlen); /* before evicting: NAME may be in it */
	if (n && v && t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct hpack_entry *a = budget_realloc(t->e, cap * sizeof *a);
		if (a) {
			t->e = a;
			t->cap = cap;
		}
	}
	if (!n || !v || t->n == t->cap) {
		budget_free(n);
		budget_free(v);
		return -1;
	}
	evict(t, sz);
	t->e[t->n++] = (struct hpack_entry){n, v, nlen, vlen};
	t->size += sz;
	return 0;
}

const struct hpack_entry *hpack_lookup(const struct hpack_table *t, uint64_t index)
{
	static_init();
	if (index == 0)
		return NULL;
	if (index <= HPACK_STATIC_LEN)
		return &static_entries[index - 1];
	index -= HPACK_STATIC_LEN;
	if (index > t->n)
		return NULL;
	return &t->e[t->n - index];
}

int hpack_int_encode(uint64_t v, int prefix, uint8_t flags, struct http_buf *out)
{
	uint64_t max = (1u << prefix) - 1;
	unsigned char b;
	if (v < max) {
		b = (unsigned char)(flags | v);
		return http_buf_add(out, &b, 1) ? -2 : 0;
	}
	b = (unsigned char)(flags | max);
	if (http_buf_add(out, &b, 1))
		return -2;
	v -= max;
	while (v >= 128) {
		b = (unsigned char)(0x80 | (v & 0x7f));
		if (http_buf_add(out, &b, 1))
			return -2;
		v >>= 7;
	}
	b = (unsigned char)v;
	return http_buf_add(out, &b, 1) ? -2 : 0;
}

int hpack_int_decode(const uint8_t *buf, size_t len, int prefix, uint64_t *v, size_t *used,
                     struct hpack_error *e)
{
	if (len == 0) {
		e->off = 0;
		e->why = "the block ends where an integer was expected";
		return -1;
	}
	uint64_t max = (1u << prefix) - 1, x = buf[0] & max;
	size_t i = 1;
	if (x == max) {
		int shift = 0;
		for (;;) {
			if (i >= len) {
				e->off = len;
				e->why = "the block ends inside an integer";
				return -1;
			}
			uint8_t b = buf[i++];
			if (shift < 35)
				x += (uint64_t)(b & 0x7f) << shift;
			if (x > 0xffffffffu || (shift >= 35 && (b & 0x7f)) || i > 8) {
				e->off = i - 1;
				e->why = "integer larger than 2^32 - 1";
				return -1;
			}
			shift += 7;
			if (!(b & 0x80))
				break;
		}
	}
	*v = x;
	*used = i;
	return 0;
}

/* A string literal (section 5.2) at BUF[*I..LEN) into OUT. */
static int read_string(const uint8_t *buf, size_t len, size_t *i, struct http_buf *out,
                       struct hpack_error *e)
{
	if (*i >= len) {
		e->off = *i;
		e->why = "the block ends where a string was expected";
		return -1;
	}
	int huff = buf[*i] & 0x80;
	uint64_t n;
	size_t used;
	if (hpack_int_decode(buf + *i, len - *i, 7, &n, &used, e) != 0) {
		e->off += *i;
		return -1;
	}
	size_t s = *i + used;
	if (n > len - s) {
		e->off = *i;
		e->why = "a string runs past the end of the block";
		return -1;
	}
	out->len = 0;
	int rc = huff ? hpack_huff_decode(buf + s, (size_t)n, out, e)
	         : http_buf_add(out, buf + s, (size_t)n) ? -2
	                                                 : 0;
	if (rc == -1)
		e->off += s;
	if (rc == 0 && http_buf_add(out, "", 0) != 0) /* ensure a buffer */
		rc = -2;
	*i = s + (size_t)n;
	return rc;
}

int hpack_decode(struct hpack_table *t, const uint8_t *buf, size_t len,
                 int (*emit)(void *arg, const struct hpack_field *f), void *arg,
                 struct hpack_error *e)
{
	struct http_buf nb = {0}, vb = {0};
	size_t i = 0;
	int rc = 0, fields = 0;
	while (i < len && rc == 0) {
		uint8_t b = buf[i];
		size_t at = i, used;
		uint64_t idx;
		if ((b & 0xe0) == 0x20) { /* 6.3 dynamic table size update */
			if ((rc = hpack_int_decode(buf + i, len - i, 5, &idx, &used, e)) != 0) {
				e->off += i;
				break;
			}
			if (fields) {
				e->off = at;
				e->why = "a table size update after a field (RFC 7541 4.2)";
				rc = -1;
				break;
			}
			if (idx > t->limit) {
				e->off = at;
				e->why = "a table size update above the limit (RFC 7541 6.3)";
				rc = -1;
				break;
			}
			hpack_table_resize(t, (size_t)idx);
			i += used;
			continue;
		}
		fields++;
		int prefix = (b & 0x80) ? 7 : (b & 0x40) ? 6 : 4;
		enum hpack_rep rep = (b & 0x80)   ? HPACK_INDEXED
		                     : (b & 0x40) ? HPACK_INCREMENTAL
		                     : (b & 0x10) ? HPACK_NEVER
		                                  : HPACK_WITHOUT;
		if ((rc = hpack_int_decode(buf + i, len - i, prefix, &idx, &used, e)) != 0) {
			e->off += i;
			break;
		}
		i += used;
		const struct hpack_entry *en = NULL;
		if (rep == HPACK_INDEXED || idx) {
			en = hpack_lookup(t, idx);
			if (!en) {
				e->off = at;
				e->why = idx ? "an index past the end of the tables"
				             : "index 0 (RFC 7541 6.1)";
				rc = -1;
				break;
			}
		}
		struct hpack_field f = {0};
		f.rep = rep;
		if (rep == HPACK_INDEXED) {
			f.name = en->name, f.nlen = en->nlen;
			f.value = en->value, f.vlen = en->vlen;
		} else {
			if (!en && (rc = read_string(buf, len, &i, &nb, e)) != 0)
				break;
			if ((rc = read_string(buf, len, &i, &vb, e)) != 0)
				break;
			f.name = en ? en->name : nb.p, f.nlen = en ? en->nlen : nb.len;
			f.value = vb.p, f.vlen = vb.len;
		}
		if ((rc = emit(arg, &f)) != 0)
			break;
		if (rep == HPACK_INCREMENTAL &&
		    hpack_table_add(t, f.name, f.nlen, f.value, f.vlen) != 0)
			rc = -2;
	}
	http_buf_free(&nb);
	http_buf_free(&vb);
	return rc;
}

static int same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

/* The best index for F: *FULL set if name and value match. 0 if none. */
static uint64_t find(const struct hpack_table *t, const struct hpack_field *f, int *full)
{
	uint64_t name_only = 0;
	*full = 0;
	for (uint64_t i = 1; i <= HPACK_STATIC_LEN + t->n; i++) {
		const struct hpack_entry *en = hpack_lookup(t, i);
		if (!same(en->name, en->nlen, f->name, f->nlen))
			continue;
		if (same(en->value, en->vlen, f->value, f->vlen)) {
			*full = 1;
			return i;
		}
		if (!name_only)
			name_only = i;
	}
	return name_only;
}

static int put_string(const char *s, size_t n, int huffman, struct http_buf *out)
{
	size_t hl = hpack_huff_len(s, n);
	if (huffman && hl <= n) {
		if (hpack_int_encode(hl, 7, 0x80, out) != 0)
			return -2;
		return hpack_huff_encode(s, n, out);
	}
	if (hpack_int_encode(n, 7, 0, out) != 0)
		return -2;
	return http_buf_add(out, s, n) ? -2 : 0;
}

int hpack_encode(struct hpack_table *t, const struct hpack_field *f, size_t n,
                 const struct hpack_enc_opts *o, struct http_buf *out)
{
	if (o->size_update > 0) {
		if (hpack_int_encode((uint64_t)(o->size_update - 1), 5, 0x20, out) != 0)
			return -2;
		hpack_table_resize(t, (size_t)(o->size_update - 1));
	}
	for (size_t k = 0; k < n; k++) {
		int full;
		uint64_t idx = find(t, &f[k], &full);
		enum hpack_rep rep = f[k].rep;
		if (full && rep != HPACK_NEVER && rep != HPACK_WITHOUT) {
			if (hpack_int_encode(idx, 7, 0x80, out) != 0)
				return -2;
			continue;
		}
		if (rep == HPACK_INDEXED)
			rep = o->index ? HPACK_INCREMENTAL : HPACK_WITHOUT;
		int prefix = rep == HPACK_INCREMENTAL ? 6 : 4;
		uint8_t flags = rep == HPACK_INCREMENTAL ? 0x40 : rep == HPACK_NEVER ? 0x10 : 0;
		if (hpack_int_encode(idx, prefix, flags, out) != 0)
			return -2;
		if (!idx && put_string(f[k].name, f[k].nlen, o->huffman, out) != 0)
			return -2;
		if (put_string(f[k].value, f[k].vlen, o->huffman, out) != 0)
			return -2;
		if (rep == HPACK_INCREMENTAL &&
		    hpack_table_add(t, f[k].name, f[k].nlen, f[k].value, f[k].vlen) != 0)
			return -2;
	}
	return 0;
}
