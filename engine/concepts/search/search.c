/*
 * search.c — the inverted index of search.h: a hash table of terms, each
 * with its postings (documents in increasing order, the term's frequency
 * in each, and its positions), the documents' lengths, the analyzer, and
 * the segments. Queries are in search_query.c, evaluation in search_eval.c.
 */
#include "engine/concepts/search/search_int.h"
#include "engine/concepts/search/porter.h"
#include "engine/base/budget.h"

#include <stdlib.h>
#include <string.h>

uint64_t search_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The index of the term S in D, or -1. */
long search_dict_find(const struct dict *d, const char *s, size_t len, uint64_t h)
{
	if (!d->nslots)
		return -1;
	for (size_t i = h & (d->nslots - 1);; i = (i + 1) & (d->nslots - 1)) {
		uint32_t v = d->slots[i];
		if (!v)
			return -1;
		const struct term *t = &d->terms[v - 1];
		if (t->hash == h && t->len == len && memcmp(t->text, s, len) == 0)
			return (long)v - 1;
	}
}

/* Doubles D's slots; -1 out of memory (D unchanged). */
static int dict_grow(struct dict *d)
{
	size_t ns = d->nslots ? d->nslots * 2 : 64;
	uint32_t *slots = budget_calloc(ns, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t j = 0; j < d->n; j++) {
		size_t i = d->terms[j].hash & (ns - 1);
		while (slots[i])
			i = (i + 1) & (ns - 1);
		slots[i] = (uint32_t)j + 1;
	}
	budget_free(d->slots);
	d->slots = slots;
	d->nslots = ns;
	return 0;
}

/* The index of term S in D, added if new; -1 out of memory. */
static long dict_intern(struct dict *d, const char *s, size_t len)
{
	uint64_t h = search_hash(s, len);
	long found = search_dict_find(d, s, len, h);
	if (found >= 0)
		return found;
	if ((d->n + 1) * 2 > d->nslots && dict_grow(d) < 0)
		return -1;
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 64;
		struct term *nt = budget_realloc(d->terms, nc * sizeof *nt);
		if (!nt)
			return -1;
		d->terms = nt;
		d->cap = nc;
	}
	char *text = budget_malloc(len + 1);
	if (!text)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	struct term *t = &d->terms[d->n];
	memset(t, 0, sizeof *t);
	t->text = text;
	t->len = len;
	t->hash = h;
	size_t i = h & (d->nslots - 1);
	while (d->slots[i])
		i = (i + 1) & (d->nslots - 1);
	d->slots[i] = (uint32_t)d->n + 1;
	return (long)d->n++;
}

static void dict_free(struct dict *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct term *t = &d->terms[i];
		budget_free(t->text);
		budget_free(t->doc);
		budget_free(t->freq);
		budget_free(t->posoff);
		budget_free(t->pos);
	}
	budget_free(d->terms);
	budget_free(d->slots);
	memset(d, 0, sizeof *d);
}

struct search *search_new(const struct search_config *c)
{
	struct search *s = budget_calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->c = *c;
	if (s->c.merge_factor < 2)
		s->c.merge_factor = 10;
	return s;
}

void search_free(struct search *s)
{
	if (!s)
		return;
	dict_free(&s->terms);
	dict_free(&s->stop);
	budget_free(s->dl);
	budget_free(s->state);
	budget_free(s->pending);
	budget_free(s->segs);
	budget_free(s->buf);
	budget_free(s);
}

static int search_istoken(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Makes room for N bytes in the token buffer; -1 out of memory. */
static int search_reserve(struct search *s, size_t n)
{
	if (n <= s->bufcap)
		return 0;
	size_t nc = s->bufcap ? s->bufcap : 64;
	while (nc < n)
		nc *= 2;
	char *nb = budget_realloc(s->buf, nc);
	if (!nb)
		return -1;
	s->buf = nb;
	s->bufcap = nc;
	return 0;
}

int search_analyze(struct search *s, const char *text, size_t len, search_tokenfn each, void *ud)
{
	uint32_t position = 0;
	size_t i = 0;
	while (i < len) {
		if (!search_istoken((unsigned char)text[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && search_istoken((unsigned char)text[i]))
			i++;
		size_t n = i - start;
		if (search_reserve(s, n + 1) < 0)
			return -1;
		for (size_t j = 0; j < n; j++) {
			char ch = text[start + j];
			s->buf[j] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
		}
		uint32_t at = position++;
		if (s->stop.n && search_dict_find(&s->stop, s->buf, n, search_hash(s->buf, n)) >= 0)
			continue;
		if (s->c.stem)
			n = porter_stem(s->buf, n);
		int r = each(s->buf, n, at, ud);
		if (r)
			return r < 0 ? -1 : 0;
	}
	return 0;
}

static int search_stopone(const char *term, size_t len, uint32_t position, void *ud)
{
	(void)position;
	return dict_intern(ud, term, len) < 0 ? -1 : 0;
}

int search_stopword(struct search *s, const char *w, size_t len)
{
	/* analysed without the stop set and the stemmer */
	struct dict stop = s->stop;
	int stem = s->c.stem;
	memset(&s->stop, 0, sizeof s->stop);
	s->c.stem = 0;
	int r = search_analyze(s, w, len, search_stopone, &stop);
	s->stop = stop;
	s->c.stem = stem;
	return r;
}

/* Appends position P of document DOC to term T's postings; -1 out of memory. */
static int term_post(struct term *t, uint32_t doc, uint32_t p, int positions)
{
	if (!t->n || t->doc[t->n - 1] != doc) {
		if (t->n == t->cap) {
			size_t nc = t->cap ? t->cap * 2 : 4;
			uint32_t *nd = budget_realloc(t->doc, nc * sizeof *nd);
			if (!nd)
				return -1;
			t->doc = nd;
			uint32_t *nf = budget_realloc(t->freq, nc * sizeof *nf);
			if (!nf)
				return -1;
			t->freq = nf;
			if (positions) {
				uint64_t *no = budget_realloc(t->posoff, nc * sizeof *no);
				if (!no)
					return -1;
				t->posoff = no;
			}
			t->cap = nc;
		}
		t->doc[t->n] = doc;
		t->freq[t->n] = 0;
		if (positions)
			t->posoff[t->n] = t->npos;
		t->n++;
	}
	t->freq[t->n - 1]++;
	if (!positions)
		return 0;
	if (t->npos == t->poscap) {
		uint64_t nc = t->poscap ? t->poscap * 2 : 4;
		uint32_t *np = budget_realloc(t->pos, nc * sizeof *np);
		if (!np)
			return -1;
		t->pos = np;
		t->poscap = nc;
	}
	t->pos[t->npos++] = p;
	return 0;
}

struct addctx {
	struct search *s;
	uint32_t doc, dl;
	int failed;
};

static int search_addone(const char *term, size_t len, uint32_t position, void *ud)
{
	struct addctx *a = ud;
	long ti = dict_intern(&a->s->terms, term, len);
	if (ti < 0 || term_post(&a->s->terms.terms[ti], a->doc, position, a->s->c.positions) < 0 ||
	    budget_poll(position)) {
		a->failed = 1;
		return -1;
	}
	a->dl++;
	return 0;
}

/* Takes document DOC's postings out again (a failed add). */
static void search_unpost(struct search *s, uint32_t doc)
{
	for (size_t i = 0; i < s->terms.n; i++) {
		struct term *t = &s->terms.terms[i];
		if (t->n && t->doc[t->n - 1] == doc) {
			if (s->c.positions)
				t->npos = t->posoff[t->n - 1];
			t->n--;
		}
	}
}

int search_add(struct search *s, const char *text, size_t len)
{
	if (s->ndocs >= SEARCH_MAX_DOCS)
		return -1;
	if (s->ndocs == s->capdocs) {
		uint32_t nc = s->capdocs ? s->capdocs * 2 : 64;
		uint32_t *nd = budget_realloc(s->dl, (size_t)nc * sizeof *nd);
		if (!nd)
			return -1;
		s->dl = nd;
		unsigned char *ns = budget_realloc(s->state, nc);
		if (!ns)
			return -1;
		s->state = ns;
		s->capdocs = nc;
	}
	/* room for the segment a refresh may add */
	if (s->nsegs == s->capsegs) {
		size_t nc = s->capsegs ? s->capsegs * 2 : 16;
		struct search_segment *sg = budget_realloc(s->segs, nc * sizeof *sg);
		if (!sg)
			return -1;
		s->segs = sg;
		s->capsegs = nc;
	}
	struct addctx a = {s, s->ndocs, 0, 0};
	if (search_analyze(s, text, len, search_addone, &a) < 0 || a.failed) {
		search_unpost(s, s->ndocs);
		return -1;
	}
	s->state[s->ndocs] = DOC_LIVE;
	s->dl[s->ndocs++] = a.dl;
	s->tokens += a.dl;
	if (!s->c.manual_refresh)
		search_refresh(s);
	return 0;
}

/* Purges the deleted documents of [START, END): they leave N, n and avgdl. */
static void search_purge(struct search *s, uint32_t start, uint32_t end)
{
	for (uint32_t d = start; d < end; d++) {
		if (s->state[d] != DOC_DELETED)
			continue;
		s->state[d] = DOC_PURGED;
		s->nstat--;
		s->stat_tokens -= s->dl[d];
		s->ndeleted--;
		s->npurged++;
	}
}

/* The merge level of a segment of N documents: floor(log_f(N)). */
static int search_level(const struct search *s, uint32_t n)
{
	int level = 0;
	for (uint64_t size = (uint64_t)s->c.merge_factor; size <= n; size *= (uint64_t)s->c.merge_factor)
		level++;
	return level;
}

/* While the last merge_factor segments have the same level, merges them
 * into one (adjacent segments only, as Lucene's LogMergePolicy). */
static void search_merge(struct search *s)
{
	size_t f = (size_t)s->c.merge_factor;
	while (s->nsegs >= f) {
		struct search_segment *last = &s->segs[s->nsegs - f];
		int level = search_level(s, last->docs);
		size_t i;
		for (i = s->nsegs - f; i < s->nsegs; i++)
			if (search_level(s, s->segs[i].docs) != level)
				return;
		uint32_t start = last->start, end = s->segs[s->nsegs - 1].start + s->segs[s->nsegs - 1].docs;
		search_purge(s, start, end);
		last->docs = end - start;
		s->nsegs -= f - 1;
		s->merged_docs += end - start;
		s->merges++;
	}
}

uint32_t search_refresh(struct search *s)
{
	uint32_t added = s->ndocs - s->searchable;
	for (uint32_t d = s->searchable; d < s->ndocs; d++) {
		s->nstat++;
		s->stat_tokens += s->dl[d];
	}
	for (size_t i = 0; i < s->npending; i++) {
		uint32_t d = s->pending[i];
		if (s->state[d] == DOC_DELETING) {
			s->state[d] = DOC_DELETED;
			s->ndeleted++;
		}
	}
	s->npending = 0;
	if (added) {
		/* search_add made room for one more segment */
		s->segs[s->nsegs++] = (struct search_segment){s->searchable, added};
		s->searchable = s->ndocs;
		search_merge(s);
	}
	return added;
}

int search_delete(struct search *s, uint32_t doc)
{
	if (doc >= s->ndocs || s->state[doc] != DOC_LIVE)
		return 0;
	if (s->npending == s->cappending) {
		size_t nc = s->cappending ? s->cappending * 2 : 16;
		uint32_t *np = budget_realloc(s->pending, nc * sizeof *np);
		if (!np)
			return -1;
		s->pending = np;
		s->cappending = nc;
	}
	s->state[doc] = DOC_DELETING;
	s->pending[s->npending++] = doc;
	if (!s->c.manual_refresh)
		search_refresh(s);
	return 1;
}

uint32_t search_segment_deleted(const struct search *s, size_t i)
{
	uint32_t n = 0;
	for (uint32_t d = s->segs[i].start; d < s->segs[i].start + s->segs[i].docs; d++)
		n += s->state[d] == DOC_DELETED;
	return n;
}

size_t search_segments(const struct search *s, const struct search_segment **segs)
{
	*segs = s->segs;
	return s->nsegs;
}

/* 1 if DOC can be a hit: visible and not deleted (as of the last refresh). */
int search_visible(const struct search *s, uint32_t doc)
{
	return doc < s->searchable && (s->state[doc] == DOC_LIVE || s->state[doc] == DOC_DELETING);
}

/* n: the visible documents with term T that are not purged. */
uint32_t search_df(const struct search *s, const struct term *t)
{
	size_t lo = 0, hi = t->n;             /* postings below searchable */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->doc[mid] < s->searchable)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t n = (uint32_t)lo;
	if (s->npurged)
		for (size_t i = 0; i < lo; i++)
			n -= s->state[t->doc[i]] == DOC_PURGED;
	return n;
}

uint32_t search_docs(const struct search *s)
{
	return s->ndocs;
}

/* Lucene's SmallFloat.longToInt4 and int4ToLong. */
static uint32_t lucene_int4(uint64_t i)
{
	int bits = 0;
	for (uint64_t v = i; v; v >>= 1)
		bits++;
	if (bits < 4)
		return (uint32_t)i;
	int shift = bits - 4;
	uint32_t e = (uint32_t)(i >> shift) & 0x07;
	return e | (uint32_t)(shift + 1) << 3;
}

static uint64_t lucene_long4(uint32_t i)
{
	uint64_t bits = i & 0x07;
	int shift = (int)(i >> 3) - 1;
	return shift == -1 ? bits : (bits | 0x08) << shift;
}

uint32_t search_lucene_length(uint32_t dl)
{
	const uint32_t free_values = 255 - lucene_int4(INT32_MAX); /* 24 */
	if (dl < free_values)
		return dl;
	return free_values + (uint32_t)lucene_long4(lucene_int4(dl - free_values));
}

size_t search_stem(char *w, size_t len)
{
	return porter_stem(w, len);
}

void search_stats(const struct search *s, struct search_stats *st)
{
	memset(st, 0, sizeof *st);
	st->docs = s->ndocs;
	st->terms = s->terms.n;
	st->tokens = s->tokens;
	st->avgdl = s->nstat ? (double)s->stat_tokens / s->nstat : 0;
	st->searchable = s->searchable;
	st->deleted = s->ndeleted + s->npurged;
	st->N = s->nstat;
	st->segments = s->nsegs;
	st->merges = s->merges;
	st->merged_docs = s->merged_docs;
	st->bytes = sizeof *s + s->capdocs * (sizeof *s->dl + 1) + s->bufcap +
		    s->capsegs * sizeof *s->segs + s->cappending * sizeof *s->pending +
		    s->terms.cap * sizeof(struct term) + s->terms.nslots * sizeof(uint32_t);
	for (size_t i = 0; i < s->terms.n; i++) {
		const struct term *t = &s->terms.terms[i];
		st->postings += t->n;
		st->positions += t->npos;
		st->bytes += t->len + 1 + t->cap * 2 * sizeof(uint32_t) +
			     (t->posoff ? t->cap * sizeof(uint64_t) : 0) + t->poscap * sizeof(uint32_t);
	}
}
