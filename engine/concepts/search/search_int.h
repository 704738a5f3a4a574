/*
 * search_int.h — the inside of lab.search's index, shared by search.c (the
 * index, analysis, segments), search_query.c (queries, scoring, explain)
 * and nothing else.
 */
#ifndef BACKLAB_SEARCH_INT_H
#define BACKLAB_SEARCH_INT_H

#include "engine/concepts/search/search.h"

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

/* FNV-1a of the LEN bytes at S. */
uint64_t search_hash(const char *s, size_t len);

/* The index of the term S (LEN bytes, hash H) in D, or -1. */
long search_dict_find(const struct dict *d, const char *s, size_t len, uint64_t h);

/* 1 if DOC can be a hit: visible and not deleted (as of the last refresh). */
int search_visible(const struct search *s, uint32_t doc);

/* n: the visible documents with term T that are not purged. */
uint32_t search_df(const struct search *s, const struct term *t);

#endif
