/*
 * cms.h — a count-min sketch (G. Cormode and S. Muthukrishnan, "An improved
 * data stream summary: the count-min sketch and its applications", Journal
 * of Algorithms 55(1), 2005), with the heaviest keys kept beside it.
 *
 * depth rows of width counters; a key adds its count to one counter per
 * row, chosen by that row's hash; its estimate is the smallest of its
 * counters. The estimate is never below the true count, and with width =
 * ceil(e / epsilon) and depth = ceil(ln(1 / delta)) it exceeds it by more
 * than epsilon * N (N the total of all counts) with probability at most
 * delta.
 */
#ifndef BACKLAB_CMS_H
#define BACKLAB_CMS_H

#include <stddef.h>
#include <stdint.h>

#define CMS_MAX_DEPTH 32
#define CMS_MAX_CELLS (1u << 26)  /* width * depth */
#define CMS_MAX_TOP 10000

struct cms_top {
	char *key;                 /* the key's bytes (budget memory) */
	size_t len;
	int tag;                   /* what the caller said the key was */
	uint64_t estimate;
};

struct cms {
	uint32_t width, depth;
	uint64_t seed;
	uint64_t a[CMS_MAX_DEPTH], b[CMS_MAX_DEPTH]; /* row hashes */
	uint64_t *counts;          /* depth * width */
	uint64_t total;
	struct cms_top *top;       /* the heaviest keys seen, up to ntop_max */
	size_t ntop, ntop_max;
};

/* width and depth for epsilon and delta, both in (0, 1). */
void cms_size(double epsilon, double delta, uint32_t *width, uint32_t *depth);

/* 0, or -1 when memory is refused. TOP: how many heavy keys to keep (0:
 * none). The row hashes are drawn from SEED. */
int cms_init(struct cms *c, uint32_t width, uint32_t depth, uint64_t seed, size_t top);
void cms_free(struct cms *c);

/* Adds N to KEY (LEN bytes; TAG is kept with it in the top list). Returns
 * its new estimate, or UINT64_MAX when memory for the top list is refused
 * (the counts are added). Counts saturate at UINT64_MAX - 1. */
uint64_t cms_add(struct cms *c, const void *key, size_t len, int tag, uint64_t n);

uint64_t cms_estimate(const struct cms *c, const void *key, size_t len);

/* C += O, cell by cell (same width, depth and seed); -1 otherwise. The top
 * list is rebuilt from C's and O's keys with the merged estimates. */
int cms_merge(struct cms *c, const struct cms *o);

/* Sorts the top list, heaviest first (ties by key bytes). */
void cms_top_sort(struct cms *c);

#endif
