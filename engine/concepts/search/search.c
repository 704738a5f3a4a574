/*
 * search.c — the inverted index of search.h: a hash table of terms, each
 * with its postings (documents in increasing order, the term's frequency
 * in each, and its positions), and the documents' lengths.
 */
#include "engine/concepts/search/search.h"
#include "engine/concepts/search/porter.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct term {
	char *text;
	size_t len;
	uint64_t hash;
	uint32_t *doc, *freq;  /* the postings, by increasing doc */
	uint64_t *posoff;      /* where doc i's positions start in pos */
	size_t n, cap;
	uint32_t *pos;
	uint64_t npos, poscap;
};

/* A set of terms: open addressing on the hash, slots hold index + 1. */
struct dict {
	struct term *terms;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
};

enum doc_state { DOC_LIVE, DOC_DELETING, DOC_DELETED, DOC_PURGED };

struct search {
	struct search_config c;
	struct dict terms, stop;
	uint32_t *dl;
	unsigned char *state;  /* per document: enum doc_state */
	uint32_t ndocs, capdocs;
	uint64_t tokens;       /* terms of every document added */
	uint32_t searchable;   /* documents [0, searchable) are visible */
	uint32_t nstat;        /* N: visible documents not purged */
	uint64_t stat_tokens;  /* their terms */
	uint32_t ndeleted, npurged;
	uint32_t *pending;     /* deletes the next refresh makes visible */
	size_t npending, cappending;
	struct search_segment *segs;
	size_t nsegs, capsegs;
	uint64_t merged_docs;
	uint32_t merges;
	char *buf;             /* the token being built */
	size_t bufcap;
};

static uint64_t search_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The index of the term S in D, or -1. */
static long dict_find(const struct dict *d, const char *s, size_t len, uint64_t h)
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
	long found = dict_find(d, s, len, h);
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
		if (s->stop.n && dict_find(&s->stop, s->buf, n, search_hash(s->buf, n)) >= 0)
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
static int search_visible(const struct search *s, uint32_t doc)
{
	return doc < s->searchable && (s->state[doc] == DOC_LIVE || s->state[doc] == DOC_DELETING);
}

/* n: the visible documents with term T that are not purged. */
static uint32_t search_df(const struct search *s, const struct term *t)
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

/* ---- queries ---- */

struct qclause {
	int phrase, occur;
	long *terms;           /* term indexes, -1 for a term not indexed */
	uint32_t *offs;        /* each term's position in the phrase */
	size_t nterms;
	char *text;            /* the terms, space-separated */
	double idf;
};

struct query {
	struct qclause *c;
	size_t n, cap;
	size_t nmust;
	int failed;
};

static void query_free(struct query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		budget_free(q->c[i].terms);
		budget_free(q->c[i].offs);
		budget_free(q->c[i].text);
	}
	budget_free(q->c);
	memset(q, 0, sizeof *q);
}

/* A new clause at the end of Q, or NULL (out of memory). */
static struct qclause *query_clause(struct query *q, int occur, int phrase)
{
	if (q->n == q->cap) {
		size_t nc = q->cap ? q->cap * 2 : 8;
		struct qclause *n = budget_realloc(q->c, nc * sizeof *n);
		if (!n)
			return NULL;
		q->c = n;
		q->cap = nc;
	}
	struct qclause *c = &q->c[q->n++];
	memset(c, 0, sizeof *c);
	c->occur = occur;
	c->phrase = phrase;
	return c;
}

/* Appends a term to clause C; -1 out of memory. */
static int clause_term(struct search *s, struct qclause *c, const char *term, size_t len,
		       uint32_t position)
{
	long *nt = budget_realloc(c->terms, (c->nterms + 1) * sizeof *nt);
	if (!nt)
		return -1;
	c->terms = nt;
	uint32_t *no = budget_realloc(c->offs, (c->nterms + 1) * sizeof *no);
	if (!no)
		return -1;
	c->offs = no;
	size_t tl = c->text ? strlen(c->text) : 0;
	char *text = budget_realloc(c->text, tl + len + 2);
	if (!text)
		return -1;
	if (tl)
		text[tl++] = ' ';
	memcpy(text + tl, term, len);
	text[tl + len] = '\0';
	c->text = text;
	c->terms[c->nterms] = dict_find(&s->terms, term, len, search_hash(term, len));
	c->offs[c->nterms] = c->nterms ? position - c->offs[0] : position;
	c->nterms++;
	return 0;
}

struct qctx {
	struct search *s;
	struct query *q;
	int occur;
	struct qclause *phrase;  /* the phrase being read, or NULL: one clause a term */
};

static int query_one(const char *term, size_t len, uint32_t position, void *ud)
{
	struct qctx *x = ud;
	struct qclause *c = x->phrase;
	if (!c) {
		c = query_clause(x->q, x->occur, 0);
		if (!c)
			return -1;
	}
	return clause_term(x->s, c, term, len, position) < 0 ? -1 : 0;
}

static int query_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Reads one word or "phrase" at Q[*I] with OCCUR into X's query; -1 out of
 * memory, -2 bad query (ERR). */
static int query_read(struct qctx *x, const char *q, size_t len, size_t *i, char *err,
		      size_t errsz)
{
	if (q[*i] == '"') {
		size_t end = *i + 1;
		while (end < len && q[end] != '"')
			end++;
		if (end >= len) {
			snprintf(err, errsz, "a phrase has no closing quote");
			return -2;
		}
		struct qclause *c = query_clause(x->q, x->occur, 1);
		if (!c)
			return -1;
		x->phrase = c;
		int r = search_analyze(x->s, q + *i + 1, end - *i - 1, query_one, x);
		x->phrase = NULL;
		*i = end + 1;
		if (r < 0)
			return -1;
		if (c->nterms == 0) {      /* only stopwords or punctuation */
			x->q->n--;
			return 0;
		}
		c->offs[0] = 0;
		if (c->nterms == 1)
			c->phrase = 0;
		else if (c->nterms > SEARCH_MAX_PHRASE) {
			snprintf(err, errsz, "a phrase has more than %d terms", SEARCH_MAX_PHRASE);
			return -2;
		} else if (!x->s->c.positions) {
			snprintf(err, errsz, "phrase queries need positions (the index has positions = false)");
			return -2;
		}
		return 0;
	}
	size_t end = *i;
	while (end < len && !query_isspace(q[end]) && q[end] != '"')
		end++;
	int r = search_analyze(x->s, q + *i, end - *i, query_one, x);
	*i = end;
	return r < 0 ? -1 : 0;
}

/* Parses QUERY into Q; 0, -1 out of memory, -2 bad query (ERR). */
static int query_parse(struct search *s, const char *query, size_t len, struct query *q,
		       char *err, size_t errsz)
{
	memset(q, 0, sizeof *q);
	struct qctx x = {s, q, SEARCH_SHOULD, NULL};
	int and_next = 0, not_next = 0;
	size_t i = 0;
	while (i < len) {
		if (query_isspace(query[i])) {
			i++;
			continue;
		}
		size_t end = i;
		while (end < len && !query_isspace(query[end]))
			end++;
		size_t wl = end - i;
		if (wl == 3 && memcmp(query + i, "AND", 3) == 0) {
			if (q->n && q->c[q->n - 1].occur == SEARCH_SHOULD)
				q->c[q->n - 1].occur = SEARCH_MUST;
			and_next = 1;
			i = end;
			continue;
		}
		if (wl == 2 && memcmp(query + i, "OR", 2) == 0) {
			i = end;
			continue;
		}
		if (wl == 3 && memcmp(query + i, "NOT", 3) == 0) {
			not_next = 1;
			i = end;
			continue;
		}
		int occur = not_next ? SEARCH_MUST_NOT : and_next ? SEARCH_MUST : SEARCH_SHOULD;
		if ((query[i] == '+' || query[i] == '-') && i + 1 < len && !query_isspace(query[i + 1])) {
			if (!not_next)
				occur = query[i] == '+' ? SEARCH_MUST : SEARCH_MUST_NOT;
			i++;
		}
		x.occur = occur;
		int r = query_read(&x, query, len, &i, err, errsz);
		if (r < 0)
			return r;
		and_next = not_next = 0;
	}
	double N = s->nstat;
	for (size_t j = 0; j < q->n; j++) {
		struct qclause *c = &q->c[j];
		if (c->occur == SEARCH_MUST)
			q->nmust++;
		c->idf = 0;
		for (size_t t = 0; t < c->nterms; t++) {
			double n = c->terms[t] < 0 ? 0 : search_df(s, &s->terms.terms[c->terms[t]]);
			if (s->c.scorer == SEARCH_BM25)
				c->idf += log(1 + (N - n + 0.5) / (n + 0.5));
			else
				c->idf += n > 0 ? log(N / n) : 0;
		}
	}
	return 0;
}

/* The position of DOC in T's postings, or -1. */
static long term_lookup(const struct term *t, uint32_t doc)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->doc[mid] < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->doc[lo] == doc ? (long)lo : -1;
}

/* 1 if position P is among T's positions in its Jth posting. */
static int term_has_position(const struct term *t, size_t j, uint32_t p)
{
	uint64_t lo = t->posoff[j], hi = j + 1 < t->n ? t->posoff[j + 1] : t->npos;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (t->pos[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < (j + 1 < t->n ? t->posoff[j + 1] : t->npos) && t->pos[lo] == p;
}

/* How many times phrase C occurs in document DOC, the Jth posting of its
 * first term. */
static uint32_t phrase_freq(const struct search *s, const struct qclause *c, size_t j,
			    uint32_t doc)
{
	const struct term *first = &s->terms.terms[c->terms[0]];
	long where[SEARCH_MAX_PHRASE];
	uint32_t f = 0;
	size_t k;
	for (k = 1; k < c->nterms; k++)
		if ((where[k] = term_lookup(&s->terms.terms[c->terms[k]], doc)) < 0)
			break;
	if (k == c->nterms) {
		uint64_t end = j + 1 < first->n ? first->posoff[j + 1] : first->npos;
		for (uint64_t p = first->posoff[j]; p < end; p++) {
			for (k = 1; k < c->nterms; k++)
				if (!term_has_position(&s->terms.terms[c->terms[k]], (size_t)where[k],
						       first->pos[p] + c->offs[k]))
					break;
			f += k == c->nterms;
		}
	}
	return f;
}

/* Clause C's score for F occurrences in DOC; its tf into *TF. */
static double clause_score(const struct search *s, const struct qclause *c, uint32_t f,
			   uint32_t doc, double *tf)
{
	if (s->c.scorer == SEARCH_TFIDF) {
		*tf = 1 + log(f);
		return *tf * c->idf;
	}
	double dl = s->c.lucene_norms ? search_lucene_length(s->dl[doc]) : s->dl[doc];
	double avgdl = (double)s->stat_tokens / s->nstat;
	double k1 = s->c.k1, b = s->c.b;
	*tf = f / (f + k1 * (1 - b + b * dl / avgdl));
	return c->idf * (k1 + 1) * *tf;
}

/* 1 if clause C can match at all (every term indexed). */
static int clause_live(const struct qclause *c)
{
	for (size_t k = 0; k < c->nterms; k++)
		if (c->terms[k] < 0)
			return 0;
	return c->nterms > 0;
}

struct acc {
	double *score;
	uint32_t *must;
	unsigned char *flags;  /* 1: an optional clause matched, 2: a prohibited one */
};

/* Adds clause C's matches into A; -1 told to stop. */
static int clause_collect(const struct search *s, const struct qclause *c, struct acc *a,
			  unsigned long long *rounds)
{
	if (!clause_live(c))
		return 0;
	const struct term *t = &s->terms.terms[c->terms[0]];
	for (size_t j = 0; j < t->n; j++) {
		if (budget_poll((*rounds)++))
			return -1;
		uint32_t doc = t->doc[j];
		if (doc >= s->searchable)
			break;                 /* postings are in document order */
		if (!search_visible(s, doc))
			continue;
		uint32_t f = c->phrase ? phrase_freq(s, c, j, doc) : t->freq[j];
		if (!f)
			continue;
		double tf;
		if (c->occur == SEARCH_MUST_NOT) {
			a->flags[doc] |= 2;
			continue;
		}
		a->score[doc] += clause_score(s, c, f, doc, &tf);
		if (c->occur == SEARCH_MUST)
			a->must[doc]++;
		else
			a->flags[doc] |= 1;
	}
	return 0;
}

static int hit_order(const void *pa, const void *pb)
{
	const struct search_hit *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* 1 if a document with these accumulators is a hit. */
static int is_hit(const struct query *q, uint32_t must, unsigned char flags)
{
	if (flags & 2)
		return 0;
	return q->nmust ? must == q->nmust : (flags & 1);
}

int search_query(struct search *s, const char *query, size_t len, size_t n,
		 struct search_hit **hits, size_t *nhits, char *err, size_t errsz)
{
	*hits = NULL;
	*nhits = 0;
	struct query q;
	int r = query_parse(s, query, len, &q, err, errsz);
	if (r < 0 || s->searchable == 0 || q.n == 0) {
		query_free(&q);
		return r;
	}
	struct acc a = {budget_calloc(s->searchable, sizeof(double)),
			budget_calloc(s->searchable, sizeof(uint32_t)), budget_calloc(s->searchable, 1)};
	struct search_hit *h = NULL;
	r = -1;
	if (!a.score || !a.must || !a.flags)
		goto out;
	unsigned long long rounds = 1;
	for (size_t i = 0; i < q.n; i++)
		if (clause_collect(s, &q.c[i], &a, &rounds) < 0)
			goto out;
	size_t m = 0;
	for (uint32_t d = 0; d < s->searchable; d++)
		m += is_hit(&q, a.must[d], a.flags[d]);
	h = budget_malloc((m ? m : 1) * sizeof *h);
	if (!h)
		goto out;
	m = 0;
	for (uint32_t d = 0; d < s->searchable; d++)
		if (is_hit(&q, a.must[d], a.flags[d]))
			h[m++] = (struct search_hit){d, a.score[d]};
	qsort(h, m, sizeof *h, hit_order);
	*hits = h;
	*nhits = m < n ? m : n;
	h = NULL;
	r = 0;
out:
	budget_free(h);
	budget_free(a.score);
	budget_free(a.must);
	budget_free(a.flags);
	query_free(&q);
	return r;
}

int search_explain(struct search *s, const char *query, size_t len, uint32_t doc,
		   struct search_explain *x, char *err, size_t errsz)
{
	memset(x, 0, sizeof *x);
	struct query q;
	int r = query_parse(s, query, len, &q, err, errsz);
	if (r < 0) {
		query_free(&q);
		return r;
	}
	x->N = s->nstat;
	x->avgdl = s->nstat ? (double)s->stat_tokens / s->nstat : 0;
	x->dl = doc < s->ndocs ? (s->c.lucene_norms ? search_lucene_length(s->dl[doc]) : s->dl[doc]) : 0;
	x->clauses = budget_calloc(q.n ? q.n : 1, sizeof *x->clauses);
	if (!x->clauses) {
		query_free(&q);
		return -1;
	}
	uint32_t must = 0;
	unsigned char flags = 0;
	for (size_t i = 0; i < q.n; i++) {
		struct qclause *c = &q.c[i];
		struct search_clause *e = &x->clauses[x->nclauses++];
		e->phrase = c->phrase;
		e->occur = c->occur;
		e->text = c->text;
		c->text = NULL;
		e->idf = c->idf;
		e->n = c->terms[0] < 0 ? 0 : search_df(s, &s->terms.terms[c->terms[0]]);
		long j = clause_live(c) && search_visible(s, doc) ?
			term_lookup(&s->terms.terms[c->terms[0]], doc) : -1;
		if (j < 0)
			continue;
		e->freq = c->phrase ? phrase_freq(s, c, (size_t)j, doc) : s->terms.terms[c->terms[0]].freq[j];
		if (!e->freq)
			continue;
		if (c->occur == SEARCH_MUST_NOT) {
			flags |= 2;
			continue;
		}
		e->score = clause_score(s, c, e->freq, doc, &e->tf);
		if (c->occur == SEARCH_MUST)
			must++;
		else
			flags |= 1;
	}
	x->matched = q.n > 0 && is_hit(&q, must, flags);
	for (size_t i = 0; x->matched && i < x->nclauses; i++)
		x->score += x->clauses[i].score;
	query_free(&q);
	return 0;
}

void search_explain_free(struct search_explain *x)
{
	for (size_t i = 0; i < x->nclauses; i++)
		budget_free((char *)x->clauses[i].text);
	budget_free(x->clauses);
	memset(x, 0, sizeof *x);
}

static int grade_desc(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a > b ? -1 : a < b;
}

int search_evaluate(const double *ranked, size_t nranked, const double *all, size_t nall,
		    size_t k, struct search_eval *e)
{
	memset(e, 0, sizeof *e);
	double *ideal = budget_malloc((nall ? nall : 1) * sizeof *ideal);
	if (!ideal)
		return -1;
	memcpy(ideal, all, nall * sizeof *ideal);
	qsort(ideal, nall, sizeof *ideal, grade_desc);
	for (size_t i = 0; i < nall; i++)
		e->relevant += all[i] > 0;
	for (size_t i = 0; i < k && i < nranked; i++) {
		e->hits += ranked[i] > 0;
		if (ranked[i] > 0)
			e->dcg += ranked[i] / log2((double)i + 2);
	}
	for (size_t i = 0; i < k && i < nall && ideal[i] > 0; i++)
		e->idcg += ideal[i] / log2((double)i + 2);
	budget_free(ideal);
	e->precision = k ? (double)e->hits / (double)k : 0;
	e->recall = e->relevant ? (double)e->hits / (double)e->relevant : 0;
	e->ndcg = e->idcg > 0 ? e->dcg / e->idcg : 0;
	return 0;
}
