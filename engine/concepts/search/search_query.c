/*
 * search_query.c — queries over the index of search.c: parsing (words,
 * "phrases", + - AND OR NOT), matching on the postings, BM25 and TF-IDF
 * scores, the top hits, and explain.
 */
#include "engine/concepts/search/search_int.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	c->terms[c->nterms] = search_dict_find(&s->terms, term, len, search_hash(term, len));
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
