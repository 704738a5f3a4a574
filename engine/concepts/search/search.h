/*
 * search.h — an inverted index with an analyzer, boolean and phrase
 * queries, and BM25 or TF-IDF scoring.
 *
 * Analysis (the same for documents and queries): a token is a run of ASCII
 * letters and digits and bytes >= 0x80 (so UTF-8 words stay whole); ASCII
 * letters are lowercased; a stopword is dropped (its position still
 * counts, as Lucene's StopFilter leaves a gap); then, if asked, the Porter
 * stemmer (porter.h). A document's length dl is the number of terms kept.
 *
 * BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25
 * and Beyond", 2009, s3), as Lucene 6/7 BM25Similarity computes it (and
 * Elasticsearch still does: Lucene 8 dropped the factor k1 + 1):
 *
 *   idf   = ln(1 + (N - n + 0.5) / (n + 0.5))   N docs, n docs with the term
 *   score = idf * f * (k1 + 1) / (f + k1 * (1 - b + b * dl / avgdl))
 *
 * summed over the query's clauses; avgdl = terms indexed / N. With
 * lucene_norms, dl is first rounded as Lucene 7+ stores it in one byte
 * (SmallFloat.intToByte4: exact below 24, then 4 significant bits).
 * TF-IDF: score = (1 + ln f) * ln(N / n) per clause (the "ltn" weighting of
 * Manning, Raghavan & Schuetze, Introduction to IR, 2008, s6.2-6.4).
 * A phrase scores as one term whose f is the number of places the phrase
 * occurs and whose idf is the sum of its terms' (as Lucene's PhraseQuery).
 *
 * Documents are numbered 0, 1, ... in the order added; equal scores rank
 * the lower number first.
 */
#ifndef BACKLAB_SEARCH_H
#define BACKLAB_SEARCH_H

#include <stddef.h>
#include <stdint.h>

enum search_scorer { SEARCH_BM25, SEARCH_TFIDF };

struct search_config {
	double k1, b;          /* BM25's; k1 >= 0, 0 <= b <= 1 */
	int scorer;            /* enum search_scorer */
	int stem;              /* 1: the Porter stemmer */
	int positions;         /* 1: keep positions (phrase queries need them) */
	int lucene_norms;      /* 1: dl rounded as Lucene stores it */
	int manual_refresh;    /* 1: added documents wait for search_refresh */
	int merge_factor;      /* segments of a level merged at once (>= 2) */
};

/*
 * Segments. Documents are added to a buffer; a refresh makes them one new
 * segment, searchable (with manual_refresh, only search_refresh does;
 * else every add and delete refreshes at once). Then, while the last
 * merge_factor segments have the same level (floor(log_f(documents))),
 * they are merged into one: adjacent segments only, as Lucene's
 * LogMergePolicy (not its default TieredMergePolicy). A deleted document
 * stops matching at the next refresh but, as in Lucene, still counts in N,
 * n and avgdl until a merge rewrites its segment and purges it.
 */
struct search_segment {
	uint32_t start, docs;  /* documents [start, start + docs) */
};

#define SEARCH_MAX_DOCS 100000000u
#define SEARCH_MAX_PHRASE 64     /* terms in a phrase query */

struct search;

/* A new empty index with a copy of C, or NULL (out of memory). */
struct search *search_new(const struct search_config *c);
void search_free(struct search *s);

/* Adds the LEN bytes at W to the stopwords (analysed: lowercased, not
 * stemmed). -1 out of memory. */
int search_stopword(struct search *s, const char *w, size_t len);

/* Indexes the document TEXT (LEN bytes) as number search_docs() before the
 * call. 0, or -1 (out of memory, too many documents, or told to stop: the
 * index is left without that document). */
int search_add(struct search *s, const char *text, size_t len);

/* Makes the documents added and deleted since the last refresh visible;
 * returns how many documents it added (a new segment when > 0). */
uint32_t search_refresh(struct search *s);

/* Deletes document DOC (from the next refresh): 1, 0 if it was deleted
 * already or does not exist, -1 out of memory. */
int search_delete(struct search *s, uint32_t doc);

/* The deleted (not yet purged) documents of segment I. */
uint32_t search_segment_deleted(const struct search *s, size_t i);

/* The segments, oldest first, into *SEGS (owned by S); their count. */
size_t search_segments(const struct search *s, const struct search_segment **segs);

/* Calls EACH for every term TEXT gives (TERM, its LEN, its POSITION; TERM
 * is valid during the call only). EACH returns 0 to go on, 1 to stop, -1
 * to fail. Returns -1 if EACH failed or memory ran out, else 0. */
typedef int (*search_tokenfn)(const char *term, size_t len, uint32_t position, void *ud);
int search_analyze(struct search *s, const char *text, size_t len, search_tokenfn each, void *ud);

struct search_hit {
	uint32_t doc;
	double score;
};

enum search_occur { SEARCH_SHOULD, SEARCH_MUST, SEARCH_MUST_NOT };

/* One clause of a parsed query, explained for one document. */
struct search_clause {
	int phrase;            /* 0 a term, 1 a phrase */
	int occur;             /* enum search_occur */
	const char *text;      /* the analysed term(s), space-separated (owned by the result) */
	uint32_t n;            /* docs with the term (a phrase: with its first term) */
	double idf;            /* (a phrase: the sum of its terms') */
	uint32_t freq;         /* times in the document (0: no match) */
	double tf;             /* f / (f + k1 (1 - b + b dl / avgdl)), or 1 + ln f */
	double score;          /* this clause's share of the document's score */
};

struct search_explain {
	int matched;           /* the document is a hit of the query */
	double score;          /* its score (0 when not matched) */
	uint32_t dl;           /* its length (as scored: rounded with lucene_norms) */
	double avgdl;
	uint32_t N;
	struct search_clause *clauses;
	size_t nclauses;
};

/*
 * Runs QUERY (LEN bytes) and stores the best N hits in a new array *HITS
 * (free with budget_free) of *NHITS. Query syntax: words and "quoted
 * phrases", each may start with + (must match) or - (must not); the words
 * AND (both sides must match), OR (the default) and NOT (the next must
 * not) in capitals. With a clause that must match, only they decide the
 * hits; else a hit matches at least one clause. Returns 0; -1 out of memory
 * or told to stop; -2 a bad query, with the reason in ERR (ERRSZ bytes).
 */
int search_query(struct search *s, const char *query, size_t len, size_t n,
		 struct search_hit **hits, size_t *nhits, char *err, size_t errsz);

/* The explanation of document DOC for QUERY, into *X (release with
 * search_explain_free). Returns as search_query does. */
int search_explain(struct search *s, const char *query, size_t len, uint32_t doc,
		   struct search_explain *x, char *err, size_t errsz);
void search_explain_free(struct search_explain *x);

struct search_stats {
	uint32_t docs;
	size_t terms;          /* distinct terms */
	uint64_t tokens;       /* terms indexed (the sum of dl) */
	uint64_t postings;     /* (term, doc) pairs */
	uint64_t positions;    /* positions kept */
	double avgdl;          /* over the N documents scoring counts */
	size_t bytes;          /* memory the index holds */
	uint32_t searchable;   /* documents added up to the last refresh */
	uint32_t deleted;      /* deleted as of the last refresh */
	uint32_t N;            /* N of the scores: searchable, not purged */
	size_t segments;
	uint32_t merges;
	uint64_t merged_docs;  /* documents rewritten by merges */
};
void search_stats(const struct search *s, struct search_stats *st);
uint32_t search_docs(const struct search *s);

/* Lucene's one-byte document length: SmallFloat.intToByte4 then
 * byte4ToInt (exact below 24; 24 + 4 significant bits above). */
uint32_t search_lucene_length(uint32_t dl);

/* The Porter stem of the LEN bytes at W, in place; its length. */
size_t search_stem(char *w, size_t len);

/*
 * Ranking quality at cut-off K of a ranking whose Ith result has relevance
 * grade RANKED[i] (0: not relevant), against ALL, the grades of every
 * labelled document (NALL of them): precision@k = relevant in the top k /
 * k; recall@k = relevant in the top k / relevant labelled (0 if none);
 * nDCG@k = DCG@k / ideal DCG@k with DCG = sum of grade / log2(rank + 1)
 * (Jaervelin & Kekaelaeinen 2002, with the log2(i + 1) discount of
 * trec_eval). -1 out of memory.
 */
struct search_eval {
	double precision, recall, ndcg, dcg, idcg;
	size_t hits, relevant;
};
int search_evaluate(const double *ranked, size_t nranked, const double *all, size_t nall,
		    size_t k, struct search_eval *e);

#endif
