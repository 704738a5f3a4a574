/*
 * sqlfile.c — SQLite's file format read by hand; see sqlfile.h. Section
 * numbers refer to sqlite.org/fileformat2.html.
 */
#include "engine/concepts/sql/sqlfile.h"
#include "engine/base/budget.h"

#include <string.h>

static uint32_t be(const unsigned char *p, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* 1.3: the database header. */
int sqlf_header(const unsigned char *b, size_t len, struct sqlf_header *h, struct sbuf *err)
{
	if (len < 100) {
		sbuf_addf(err, "a database file starts with a 100-byte header; this has %zu bytes", len);
		return -1;
	}
	if (memcmp(b, "SQLite format 3", 16) != 0) {
		sbuf_adds(err, "the first 16 bytes are not \"SQLite format 3\\0\"");
		return -1;
	}
	memset(h, 0, sizeof *h);
	uint32_t ps = be(b + 16, 2);
	h->page_size = ps == 1 ? 65536 : ps;
	if (h->page_size < 512 || h->page_size > 65536 || (h->page_size & (h->page_size - 1))) {
		sbuf_addf(err, "page size %u is not a power of two from 512 to 65536", h->page_size);
		return -1;
	}
	h->write_version = b[18];
	h->read_version = b[19];
	h->reserved_per_page = b[20];
	h->max_embedded_payload_fraction = b[21];
	h->min_embedded_payload_fraction = b[22];
	h->leaf_payload_fraction = b[23];
	uint32_t *fields[] = {
		&h->file_change_counter, &h->db_size_pages, &h->first_freelist_trunk,
		&h->freelist_count, &h->schema_cookie, &h->schema_format, &h->default_cache_size,
		&h->largest_root_btree_autovacuum, &h->text_encoding, &h->user_version,
		&h->incremental_vacuum, &h->application_id,
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		*fields[i] = be(b + 24 + 4 * i, 4); /* offsets 24 .. 68 */
	h->version_valid_for = be(b + 92, 4);
	h->sqlite_version_number = be(b + 96, 4);
	return 0;
}

/* 1.6: the b-tree page header and the cell pointer array. */
int sqlf_page(const unsigned char *b, size_t len, uint32_t page_size, uint32_t pgno,
	      struct sqlf_page *p, struct sbuf *err)
{
	memset(p, 0, sizeof *p);
	if (pgno < 1 || (uint64_t)pgno * page_size > len) {
		sbuf_addf(err, "there is no page %u: the file has %zu pages of %u bytes", pgno,
			  page_size ? len / page_size : 0, page_size);
		return -1;
	}
	p->pgno = pgno;
	p->start = (size_t)(pgno - 1) * page_size;
	p->header = pgno == 1 ? 100 : 0;
	const unsigned char *h = b + p->start + p->header;
	p->type = h[0];
	if (p->type != SQLF_INTERIOR_INDEX && p->type != SQLF_INTERIOR_TABLE &&
	    p->type != SQLF_LEAF_INDEX && p->type != SQLF_LEAF_TABLE) {
		sbuf_addf(err, "page %u is not a b-tree page (its first byte is %d)", pgno, p->type);
		return -1;
	}
	p->first_freeblock = (int)be(h + 1, 2);
	p->ncells = (int)be(h + 3, 2);
	p->cell_content_start = (int)be(h + 5, 2);
	if (p->cell_content_start == 0)
		p->cell_content_start = 65536;
	p->fragmented = h[7];
	int interior = p->type == SQLF_INTERIOR_INDEX || p->type == SQLF_INTERIOR_TABLE;
	size_t hsize = interior ? 12 : 8;
	if (interior)
		p->rightmost = be(h + 8, 4);
	if (p->header + hsize + 2 * (size_t)p->ncells > page_size) {
		sbuf_addf(err, "page %u claims %d cells, more than its pointers could fit", pgno,
			  p->ncells);
		return -1;
	}
	p->cell_ptrs = budget_malloc(2 * (size_t)(p->ncells ? p->ncells : 1));
	if (!p->cell_ptrs) {
		sbuf_adds(err, "not enough memory");
		return -1;
	}
	for (int i = 0; i < p->ncells; i++) {
		p->cell_ptrs[i] = (uint16_t)be(h + hsize + 2 * (size_t)i, 2);
		if (p->cell_ptrs[i] >= page_size) {
			sbuf_addf(err, "cell %d of page %u points outside the page", i, pgno);
			sqlf_page_free(p);
			return -1;
		}
	}
	return 0;
}

void sqlf_page_free(struct sqlf_page *p)
{
	budget_free(p->cell_ptrs);
	p->cell_ptrs = NULL;
}

/* 1.6 (varints): big-endian groups of 7 bits, the high bit saying "more";
 * the ninth byte gives all its 8 bits. */
int sqlf_varint(const unsigned char *p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (int i = 0; i < 9; i++) {
		if (p + i >= end)
			return 0;
		if (i == 8) {
			*v = x << 8 | p[i];
			return 9;
		}
		x = x << 7 | (p[i] & 0x7f);
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

/* 2.1: the size in bytes of a value of serial type T, or -1 (10 and 11 are
 * reserved). */
static int64_t serial_size(uint64_t t)
{
	static const int sizes[] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0};
	if (t < 10)
		return sizes[t];
	if (t < 12)
		return -1;
	return (int64_t)((t - 12) / 2);
}

/* Decodes value V of serial type T at P (its size is checked already). */
static void decode_value(struct sqlf_value *v, uint64_t t, const unsigned char *p)
{
	v->serial = t;
	if (t == 0) {
		v->kind = 0;
	} else if (t <= 6) {
		int n = (int)serial_size(t);
		uint64_t x = 0;
		for (int i = 0; i < n; i++)
			x = x << 8 | p[i];
		if (n < 8 && (x >> (8 * n - 1)) & 1) /* sign-extend two's complement */
			x |= ~(uint64_t)0 << (8 * n);
		v->kind = 1;
		v->i = (int64_t)x;
	} else if (t == 7) {
		uint64_t x = 0;
		for (int i = 0; i < 8; i++)
			x = x << 8 | p[i];
		memcpy(&v->f, &x, 8);
		v->kind = 2;
	} else if (t == 8 || t == 9) {
		v->kind = 1;
		v->i = t == 9;
	} else {
		v->kind = t % 2 ? 3 : 4;
		v->p = p;
		v->n = (size_t)serial_size(t);
	}
}

/* Decodes the record of N bytes at P into C's values. */
static int decode_record(const unsigned char *p, size_t n, struct sqlf_cell *c, struct sbuf *err)
{
	const unsigned char *end = p + n;
	uint64_t hsize;
	int k = sqlf_varint(p, end, &hsize);
	if (!k || hsize > n || hsize < (uint64_t)k) {
		sbuf_adds(err, "the record header is cut short");
		return -1;
	}
	/* count the serial types first, then decode */
	int count = 0;
	for (const unsigned char *q = p + k; q < p + hsize; count++) {
		uint64_t t;
		int m = sqlf_varint(q, p + hsize, &t);
		if (!m) {
			sbuf_adds(err, "a serial type runs past the record header");
			return -1;
		}
		q += m;
	}
	c->values = budget_calloc((size_t)(count ? count : 1), sizeof *c->values);
	if (!c->values) {
		sbuf_adds(err, "not enough memory");
		return -1;
	}
	const unsigned char *q = p + k, *body = p + hsize;
	for (int i = 0; i < count; i++) {
		uint64_t t = 0;
		q += sqlf_varint(q, p + hsize, &t);
		int64_t size = serial_size(t);
		if (size < 0 || (uint64_t)size > (uint64_t)(end - body)) {
			sbuf_addf(err, size < 0 ? "value %d has the reserved serial type %llu"
						: "value %d (serial type %llu) runs past the record",
				  i + 1, (unsigned long long)t);
			return -1;
		}
		decode_value(&c->values[i], t, body);
		body += size;
	}
	c->nvalues = count;
	return 0;
}

int sqlf_cell(const unsigned char *b, size_t len, const struct sqlf_page *p, uint32_t page_size,
	      int i, struct sqlf_cell *c, struct sbuf *err)
{
	memset(c, 0, sizeof *c);
	if (i < 0 || i >= p->ncells) {
		sbuf_addf(err, "page %u has cells 0 to %d", p->pgno, p->ncells - 1);
		return -1;
	}
	(void)len; /* sqlf_page checked the page lies inside the file */
	const unsigned char *page = b + p->start, *end = page + page_size;
	const unsigned char *q = page + p->cell_ptrs[i];
	c->offset = p->cell_ptrs[i];
	if (p->type == SQLF_INTERIOR_INDEX || p->type == SQLF_INTERIOR_TABLE) {
		if (end - q < 4) {
			sbuf_adds(err, "the cell is cut short");
			return -1;
		}
		c->left_child = be(q, 4);
		q += 4;
	}
	uint64_t v;
	int k;
	if (p->type == SQLF_INTERIOR_TABLE) {
		if (!(k = sqlf_varint(q, end, &v))) {
			sbuf_adds(err, "the key is cut short");
			return -1;
		}
		c->rowid = (int64_t)v;
		return 0;
	}
	if (!(k = sqlf_varint(q, end, &c->payload_bytes))) {
		sbuf_adds(err, "the payload size is cut short");
		return -1;
	}
	q += k;
	if (p->type == SQLF_LEAF_TABLE) {
		if (!(k = sqlf_varint(q, end, &v))) {
			sbuf_adds(err, "the rowid is cut short");
			return -1;
		}
		c->rowid = (int64_t)v;
		q += k;
	}
	/* 1.6: the most payload kept on the page; beyond it, overflow pages */
	uint64_t u = page_size, x = p->type == SQLF_LEAF_TABLE ? u - 35 : (u - 12) * 64 / 255 - 23;
	if (c->payload_bytes > x) {
		sbuf_addf(err, "the payload (%llu bytes) spills to overflow pages, which this reader "
			       "does not follow",
			  (unsigned long long)c->payload_bytes);
		return -1;
	}
	if (c->payload_bytes > (uint64_t)(end - q)) {
		sbuf_adds(err, "the payload runs past the page");
		return -1;
	}
	return decode_record(q, (size_t)c->payload_bytes, c, err);
}

void sqlf_cell_free(struct sqlf_cell *c)
{
	budget_free(c->values);
	c->values = NULL;
	c->nvalues = 0;
}
