/*
 * trie.h — a trie of byte strings with a count per word (how often it was
 * inserted, or a weight), prefix listing and top-k completion.
 *
 * Each node has up to 256 children kept sorted by byte, the count of the
 * word that ends there (0: none) and `best`, the largest count in its
 * subtree. Completion searches best-first: a priority queue of nodes keyed
 * by `best` and of words keyed by their count; a word comes out only when
 * nothing left can beat it, so the top k cost about k paths, not the whole
 * subtree. Ties go to the lexicographically (bytewise) smaller word.
 *
 * A radix tree stores each chain of single-child, wordless nodes as one
 * edge; trie_stats() counts how many nodes that would leave.
 */
#ifndef BACKLAB_TRIE_H
#define BACKLAB_TRIE_H

#include <stddef.h>
#include <stdint.h>

#define TRIE_MAX_WORD 4096      /* bytes in a word */

struct trie;

/* A new empty trie, or NULL (out of memory). */
struct trie *trie_new(void);
void trie_free(struct trie *t);

/* Adds WEIGHT (>= 1) to the count of the word W (LEN bytes, LEN <=
 * TRIE_MAX_WORD). 0, or -1 out of memory (the trie unchanged). */
int trie_insert(struct trie *t, const char *w, size_t len, uint64_t weight);

/* Removes the word (its count drops to 0) and the nodes only it used;
 * returns its count before, 0 if it was not there. */
uint64_t trie_remove(struct trie *t, const char *w, size_t len);

/* The count of the word, 0 if absent. */
uint64_t trie_count(const struct trie *t, const char *w, size_t len);

struct trie_word {
	char *w;               /* owned by the result */
	size_t len;
	uint64_t count;
};

/* The words starting with PREFIX: all of them in byte order (BY_COUNT 0),
 * or the best by count (BY_COUNT 1); at most N. Into a new array *OUT of
 * *NOUT words (free with trie_words_free). -1 out of memory or told to
 * stop. */
int trie_prefix(const struct trie *t, const char *prefix, size_t len, size_t n, int by_count,
		struct trie_word **out, size_t *nout);
void trie_words_free(struct trie_word *w, size_t n);

struct trie_stats {
	size_t words, nodes, radix_nodes, bytes;
	uint64_t total;        /* the sum of the counts */
};
void trie_stats(const struct trie *t, struct trie_stats *st);

#endif
