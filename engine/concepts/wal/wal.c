/*
 * wal.c — the write-ahead log of wal.h over its simulated disk.
 *
 * A file is its durable bytes plus the writes still in the page cache, in
 * order. Record layout in the log (big-endian):
 *   0 magic 0xA7 | 1 type | 2..5 tx | 6..7 page | 8 value kind | 9 value
 *   length n | 10.. value (an integer as 8 bytes) | then a 32-bit checksum
 *   (FNV-1a) of the bytes before it.
 * A page of the data file: value kind, length, bytes; all zero is empty.
 */
#include "engine/concepts/wal/wal.h"
#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

#include <string.h>

#define MAGIC 0xA7
#define REC_MAX (10 + WAL_MAX_VALUE + 4)

struct pending {
	int truncate;       /* else a write */
	size_t off, n;
	unsigned char *bytes;
};

struct file {
	unsigned char *durable;
	size_t dlen, dcap;
	struct pending *p;
	size_t np, pcap;
	size_t len;         /* the length the program sees (cache included) */
};

struct wal_tx {
	int n, cap;
	int *page;
	struct wal_val *v;
};

struct wal {
	struct wal_config c;
	struct file log, data;
	struct wal_val *pages;     /* the current state, [1..pages] */
	unsigned char *dirty;      /* changed since the last checkpoint */
	uint32_t next_tx;
	int since_checkpoint;
	int crashed;
	struct rng rng;
	struct wal_step *steps;
	size_t nsteps, stepcap;
	struct wal_stats st;
};

/* ---- files ---- */

static int ensure(unsigned char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	unsigned char *b = budget_realloc(*buf, c);
	if (!b)
		return -1;
	memset(b + *cap, 0, c - *cap);
	*buf = b;
	*cap = c;
	return 0;
}

/* Applies N bytes of a write (or a truncation) to F's durable bytes. */
static int apply(struct file *f, const struct pending *p, size_t n)
{
	if (p->truncate) {
		f->dlen = 0;
		return 0;
	}
	if (ensure(&f->durable, &f->dcap, p->off + p->n) != 0)
		return -1;
	if (p->off > f->dlen)
		memset(f->durable + f->dlen, 0, p->off - f->dlen); /* a hole reads as zeros */
	memcpy(f->durable + p->off, p->bytes, n);
	if (p->off + n > f->dlen)
		f->dlen = p->off + n;
	return 0;
}

static int file_push(struct file *f, int truncate, size_t off, const unsigned char *b, size_t n)
{
	if (f->np == f->pcap) {
		size_t cap = f->pcap ? 2 * f->pcap : 16;
		struct pending *p = budget_realloc(f->p, cap * sizeof *p);
		if (!p)
			return -1;
		f->p = p;
		f->pcap = cap;
	}
	struct pending *p = &f->p[f->np];
	p->truncate = truncate;
	p->off = off;
	p->n = n;
	p->bytes = NULL;
	if (n) {
		p->bytes = budget_malloc(n);
		if (!p->bytes)
			return -1;
		memcpy(p->bytes, b, n);
	}
	f->np++;
	if (truncate)
		f->len = 0;
	else if (off + n > f->len)
		f->len = off + n;
	return 0;
}

static void drop_pending(struct file *f)
{
	for (size_t i = 0; i < f->np; i++)
		budget_free(f->p[i].bytes);
	f->np = 0;
}

static int file_fsync(struct file *f)
{
	for (size_t i = 0; i < f->np; i++)
		if (apply(f, &f->p[i], f->p[i].n) != 0)
			return -1;
	drop_pending(f);
	return 0;
}

/* A power loss: each cached write is kept, lost or torn. */
static void file_crash(struct file *f, struct rng *r)
{
	for (size_t i = 0; i < f->np; i++) {
		const struct pending *p = &f->p[i];
		double u = rng_uniform(r);
		if (p->truncate) {
			if (u < 0.5)
				apply(f, p, 0);
		} else if (u < 0.4) {
			apply(f, p, p->n);
		} else if (u < 0.65 && p->n > 1) {
			apply(f, p, (size_t)rng_below(r, p->n)); /* torn: a prefix */
		}
	}
	drop_pending(f);
	f->len = f->dlen;
}

static void file_free(struct file *f)
{
	drop_pending(f);
	budget_free(f->p);
	budget_free(f->durable);
	memset(f, 0, sizeof *f);
}

/* ---- encoding ---- */

static uint32_t checksum(const unsigned char *b, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Writes V's kind, length and bytes at P; returns the bytes used. */
static size_t put_val(unsigned char *p, const struct wal_val *v)
{
	p[0] = (unsigned char)v->kind;
	if (v->kind == 1) {
		p[1] = 8;
		for (int i = 0; i < 8; i++)
			p[2 + i] = (unsigned char)((uint64_t)v->i >> (56 - 8 * i));
		return 10;
	}
	size_t n = v->kind == 2 ? v->len : 0;
	p[1] = (unsigned char)n;
	memcpy(p + 2, v->s, n);
	return 2 + n;
}

/* Reads a value from P (at most AVAIL bytes); its size, or 0 if bad. */
static size_t get_val(const unsigned char *p, size_t avail, struct wal_val *v)
{
	memset(v, 0, sizeof *v);
	if (avail < 2 || p[0] > 2 || p[1] > WAL_MAX_VALUE || (size_t)p[1] + 2 > avail)
		return 0;
	v->kind = p[0];
	if (v->kind == 1) {
		if (p[1] != 8)
			return 0;
		uint64_t x = 0;
		for (int i = 0; i < 8; i++)
			x = x << 8 | p[2 + i];
		v->i = (int64_t)x;
	} else if (v->kind == 2) {
		v->len = p[1];
		memcpy(v->s, p + 2, v->len);
	} else if (p[1] != 0) {
		return 0;
	}
	return 2 + (size_t)p[1];
}

static size_t encode_record(unsigned char *b, int type, uint32_t tx, int page,
			    const struct wal_val *v)
{
	static const struct wal_val none = {0};
	b[0] = MAGIC;
	b[1] = (unsigned char)type;
	put32(b + 2, tx);
	b[6] = (unsigned char)(page >> 8);
	b[7] = (unsigned char)page;
	size_t n = 8 + put_val(b + 8, v ? v : &none);
	put32(b + n, checksum(b, n));
	return n + 4;
}

/* Decodes the record at B (AVAIL bytes); its size, or 0 if torn or absent. */
static size_t decode_record(const unsigned char *b, size_t avail, struct wal_record *r)
{
	memset(r, 0, sizeof *r);
	if (avail < 8 || b[0] != MAGIC || (b[1] != 1 && b[1] != 2))
		return 0;
	size_t n = get_val(b + 8, avail - 8, &r->v);
	if (!n || 8 + n + 4 > avail || get32(b + 8 + n) != checksum(b, 8 + n))
		return 0;
	r->type = b[1];
	r->tx = get32(b + 2);
	r->page = b[6] << 8 | b[7];
	r->valid = 1;
	return 8 + n + 4;
}

/* ---- steps ---- */

/* Records a step; 1 if the database crashes at it (nothing done yet), 0 to
 * go on, -1 out of memory. */
static int step(struct wal *w, enum wal_step_kind kind, uint32_t tx, int page)
{
	if (w->nsteps == w->stepcap) {
		size_t cap = w->stepcap ? 2 * w->stepcap : 64;
		struct wal_step *s = budget_realloc(w->steps, cap * sizeof *s);
		if (!s)
			return -1;
		w->steps = s;
		w->stepcap = cap;
	}
	w->steps[w->nsteps++] = (struct wal_step){kind, tx, page};
	w->st.steps++;
	return w->c.crash_at && w->st.steps == w->c.crash_at;
}

static void crash_now(struct wal *w)
{
	file_crash(&w->log, &w->rng);
	file_crash(&w->data, &w->rng);
	w->crashed = 1;
	w->c.crash_at = 0;
	w->st.crashes++;
}

/* A write step; the write is in flight if the crash comes at it. */
static int write_step(struct wal *w, struct file *f, enum wal_step_kind kind, uint32_t tx,
		      int page, size_t off, const unsigned char *b, size_t n)
{
	int rc = step(w, kind, tx, page);
	if (rc < 0 || file_push(f, 0, off, b, n) != 0)
		return -1;
	w->st.time_ms += 0.01;
	if (rc) {
		crash_now(w);
		return 1;
	}
	return 0;
}

static int fsync_step(struct wal *w, struct file *f, enum wal_step_kind kind)
{
	int rc = step(w, kind, 0, 0);
	if (rc < 0)
		return -1;
	if (rc) {
		crash_now(w);
		return 1;
	}
	if (file_fsync(f) != 0)
		return -1;
	w->st.fsyncs++;
	w->st.time_ms += w->c.fsync_ms;
	return 0;
}

/* ---- the database ---- */

struct wal *wal_new(const struct wal_config *c)
{
	if (c->pages < 1 || c->pages > WAL_MAX_PAGES || c->sync < WAL_OFF || c->sync > WAL_FULL ||
	    c->checkpoint < 0 || c->crash_at < 0 || !(c->fsync_ms >= 0))
		return NULL;
	struct wal *w = budget_calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->c = *c;
	w->pages = budget_calloc((size_t)c->pages + 1, sizeof *w->pages);
	w->dirty = budget_calloc((size_t)c->pages + 1, 1);
	if (!w->pages || !w->dirty) {
		wal_free(w);
		return NULL;
	}
	rng_seed(&w->rng, c->seed);
	w->next_tx = 1;
	return w;
}

void wal_free(struct wal *w)
{
	if (!w)
		return;
	file_free(&w->log);
	file_free(&w->data);
	budget_free(w->pages);
	budget_free(w->dirty);
	budget_free(w->steps);
	budget_free(w);
}

int wal_crashed(const struct wal *w)
{
	return w->crashed;
}

struct wal_tx *wal_begin(struct wal *w)
{
	(void)w;
	return budget_calloc(1, sizeof(struct wal_tx));
}

void wal_tx_free(struct wal_tx *t)
{
	if (t) {
		budget_free(t->page);
		budget_free(t->v);
		budget_free(t);
	}
}

int wal_tx_write(struct wal_tx *t, int page, const struct wal_val *v)
{
	for (int i = 0; i < t->n; i++)
		if (t->page[i] == page) {
			t->v[i] = *v;
			return 0;
		}
	if (t->n == t->cap) {
		int cap = t->cap ? 2 * t->cap : 4;
		int *p = budget_realloc(t->page, (size_t)cap * sizeof *p);
		if (!p)
			return -1;
		t->page = p;
		struct wal_val *v2 = budget_realloc(t->v, (size_t)cap * sizeof *v2);
		if (!v2)
			return -1;
		t->v = v2;
		t->cap = cap;
	}
	t->page[t->n] = page;
	t->v[t->n] = *v;
	t->n++;
	return 0;
}

void wal_tx_read(const struct wal *w, const struct wal_tx *t, int page, struct wal_val *out)
{
	for (int i = 0; i < t->n; i++)
		if (t->page[i] == page) {
			*out = t->v[i];
			return;
		}
	wal_read(w, page, out);
}

int wal_checkpoint(struct wal *w)
{
	int rc;
	if (w->c.sync != WAL_OFF && (rc = fsync_step(w, &w->log, WAL_LOG_FSYNC)) != 0)
		return rc;
	unsigned char page[WAL_PAGE];
	for (int p = 1; p <= w->c.pages; p++) {
		if (!w->dirty[p])
			continue;
		memset(page, 0, sizeof page);
		put_val(page, &w->pages[p]);
		rc = write_step(w, &w->data, WAL_PAGE_WRITE, 0, p, (size_t)(p - 1) * WAL_PAGE, page,
				WAL_PAGE);
		if (rc)
			return rc;
		w->dirty[p] = 0;
		w->st.page_writes++;
	}
	if (w->c.sync != WAL_OFF && (rc = fsync_step(w, &w->data, WAL_DATA_FSYNC)) != 0)
		return rc;
	rc = step(w, WAL_LOG_TRUNCATE, 0, 0);
	if (rc < 0 || file_push(&w->log, 1, 0, NULL, 0) != 0)
		return -1;
	w->st.time_ms += 0.01;
	if (rc) {
		crash_now(w);
		return 1;
	}
	if (w->c.sync != WAL_OFF && (rc = fsync_step(w, &w->log, WAL_LOG_FSYNC)) != 0)
		return rc;
	w->since_checkpoint = 0;
	w->st.checkpoints++;
	return 0;
}

int wal_commit(struct wal *w, struct wal_tx *t, int *returned)
{
	*returned = 0;
	uint32_t tx = w->next_tx++;
	unsigned char rec[REC_MAX];
	int rc;
	for (int i = 0; i < t->n; i++) {
		size_t n = encode_record(rec, 1, tx, t->page[i], &t->v[i]);
		rc = write_step(w, &w->log, WAL_LOG_WRITE, tx, t->page[i], w->log.len, rec, n);
		if (rc)
			return rc;
		w->st.log_writes++;
		w->st.log_bytes += (long long)n;
	}
	size_t n = encode_record(rec, 2, tx, 0, NULL);
	rc = write_step(w, &w->log, WAL_LOG_COMMIT, tx, 0, w->log.len, rec, n);
	if (rc)
		return rc;
	w->st.log_writes++;
	w->st.log_bytes += (long long)n;
	if (w->c.sync == WAL_FULL && (rc = fsync_step(w, &w->log, WAL_LOG_FSYNC)) != 0)
		return rc;
	for (int i = 0; i < t->n; i++) {
		w->pages[t->page[i]] = t->v[i];
		w->dirty[t->page[i]] = 1;
	}
	w->st.commits++;
	*returned = 1;
	if (w->c.checkpoint && ++w->since_checkpoint >= w->c.checkpoint)
		return wal_checkpoint(w);
	return 0;
}

void wal_crash(struct wal *w)
{
	crash_now(w);
}

void wal_read(const struct wal *w, int page, struct wal_val *out)
{
	if (page < 1 || page > w->c.pages) {
		memset(out, 0, sizeof *out);
		return;
	}
	*out = w->pages[page];
}

void wal_disk_page(const struct wal *w, int page, struct wal_val *out)
{
	memset(out, 0, sizeof *out);
	size_t off = (size_t)(page - 1) * WAL_PAGE;
	if (page < 1 || page > w->c.pages || off >= w->data.dlen)
		return;
	size_t avail = w->data.dlen - off < WAL_PAGE ? w->data.dlen - off : WAL_PAGE;
	if (!get_val(w->data.durable + off, avail, out)) {
		/* a torn page: whatever its bytes say, as a string */
		out->kind = 2;
		out->len = avail - 2 < WAL_MAX_VALUE ? avail - 2 : WAL_MAX_VALUE;
		memcpy(out->s, w->data.durable + off + 2, out->len);
	}
}

int wal_disk_log(const struct wal *w, struct wal_record **out, size_t *n)
{
	size_t cap = 16, k = 0, off = 0;
	struct wal_record *r = budget_malloc(cap * sizeof *r);
	if (!r)
		return -1;
	for (;;) {
		if (k == cap) {
			struct wal_record *r2 = budget_realloc(r, 2 * cap * sizeof *r);
			if (!r2) {
				budget_free(r);
				return -1;
			}
			r = r2;
			cap *= 2;
		}
		if (off >= w->log.dlen)
			break;
		size_t m = decode_record(w->log.durable + off, w->log.dlen - off, &r[k]);
		r[k].offset = off;
		r[k].size = m;
		k++;
		if (!m)
			break; /* torn or garbage: recovery stops here */
		off += m;
	}
	*out = r;
	*n = k;
	return 0;
}

int wal_replay(struct wal_val *data, int pages, const struct wal_record *records, size_t n,
	       int *discarded)
{
	/* one writer at a time: a transaction's records are contiguous */
	int replayed = 0, dropped = 0, open = 0;
	uint32_t cur = 0;
	size_t start = 0;
	for (size_t i = 0; i < n && records[i].valid; i++) {
		const struct wal_record *r = &records[i];
		if (open && r->tx != cur) {
			dropped++; /* the previous one never committed */
			open = 0;
		}
		if (!open) {
			open = 1;
			cur = r->tx;
			start = i;
		}
		if (r->type == 2) {
			for (size_t j = start; j < i; j++)
				if (records[j].type == 1 && records[j].page >= 1 && records[j].page <= pages)
					data[records[j].page] = records[j].v;
			replayed++;
			open = 0;
		}
	}
	if (open)
		dropped++;
	if (discarded)
		*discarded = dropped;
	return replayed;
}

int wal_recover(struct wal *w, int *replayed, int *discarded)
{
	struct wal_record *recs;
	size_t n;
	if (wal_disk_log(w, &recs, &n) != 0)
		return -1;
	for (int p = 1; p <= w->c.pages; p++)
		wal_disk_page(w, p, &w->pages[p]);
	int d = 0;
	*replayed = wal_replay(w->pages, w->c.pages, recs, n, &d);
	*discarded = d;
	/* the log goes on after its last good record; the pages it replayed
	 * are not in the data file yet */
	size_t end = 0;
	uint32_t top = 0;
	for (size_t i = 0; i < n && recs[i].valid; i++) {
		end = recs[i].offset + recs[i].size;
		if (recs[i].tx > top)
			top = recs[i].tx;
		if (recs[i].type == 1 && recs[i].page >= 1 && recs[i].page <= w->c.pages)
			w->dirty[recs[i].page] = 1;
	}
	budget_free(recs);
	w->log.len = end;
	w->data.len = w->data.dlen;
	if (top >= w->next_tx)
		w->next_tx = top + 1;
	w->crashed = 0;
	w->since_checkpoint = 0;
	w->st.recoveries++;
	return 0;
}

const struct wal_stats *wal_stats(const struct wal *w)
{
	return &w->st;
}

const struct wal_config *wal_config(const struct wal *w)
{
	return &w->c;
}

size_t wal_nsteps(const struct wal *w)
{
	return w->nsteps;
}

const struct wal_step *wal_step_at(const struct wal *w, size_t i)
{
	return i < w->nsteps ? &w->steps[i] : NULL;
}

int wal_val_equal(const struct wal_val *a, const struct wal_val *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == 1)
		return a->i == b->i;
	if (a->kind == 2)
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	return 1;
}
