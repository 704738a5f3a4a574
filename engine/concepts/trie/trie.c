/*
 * trie.c — the trie of trie.h. Nodes live in one array and are named by
 * index (0 is the root); a removed node goes on a free list.
 */
#include "engine/concepts/trie/trie.h"
#include "engine/base/budget.h"

#include <stdlib.h>
#include <string.h>

struct tnode {
	uint32_t *kids;        /* child nodes, sorted by label */
	unsigned char *labels; /* the byte on the edge to each */
	uint16_t nkids, cap;
	uint32_t parent;
	unsigned char label;   /* the byte on the edge from the parent */
	uint64_t count, best;
};

struct trie {
	struct tnode *n;
	size_t nnodes, cap;
	uint32_t *free;        /* removed nodes to reuse */
	size_t nfree, capfree;
	size_t words;
	uint64_t total;
};

/* A new node (zeroed) under PARENT; its index, or 0 out of memory. */
static uint32_t trie_node(struct trie *t, uint32_t parent, unsigned char label)
{
	uint32_t i;
	if (t->nfree) {
		i = t->free[--t->nfree];
	} else {
		if (t->nnodes == t->cap) {
			size_t nc = t->cap ? t->cap * 2 : 64;
			if (nc > UINT32_MAX)
				return 0;
			struct tnode *nn = budget_realloc(t->n, nc * sizeof *nn);
			if (!nn)
				return 0;
			t->n = nn;
			t->cap = nc;
		}
		i = (uint32_t)t->nnodes++;
	}
	memset(&t->n[i], 0, sizeof t->n[i]);
	t->n[i].parent = parent;
	t->n[i].label = label;
	return i;
}

struct trie *trie_new(void)
{
	struct trie *t = budget_calloc(1, sizeof *t);
	if (!t)
		return NULL;
	trie_node(t, 0, 0);            /* the root, node 0 */
	if (!t->n) {
		budget_free(t);
		return NULL;
	}
	return t;
}

void trie_free(struct trie *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nnodes; i++) {
		budget_free(t->n[i].kids);
		budget_free(t->n[i].labels);
	}
	budget_free(t->n);
	budget_free(t->free);
	budget_free(t);
}

/* The position of LABEL among node's children (or where it would go). */
static size_t kid_slot(const struct tnode *n, unsigned char label, int *found)
{
	size_t lo = 0, hi = n->nkids;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (n->labels[mid] < label)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < n->nkids && n->labels[lo] == label;
	return lo;
}

/* The child of node I by LABEL, or 0. */
static uint32_t trie_child(const struct trie *t, uint32_t i, unsigned char label)
{
	int found;
	size_t s = kid_slot(&t->n[i], label, &found);
	return found ? t->n[i].kids[s] : 0;
}

/* 1 and its node in *I if the path of the word exists, else 0. */
static int trie_find(const struct trie *t, const char *w, size_t len, uint32_t *i)
{
	*i = 0;
	for (size_t k = 0; k < len; k++)
		if (!(*i = trie_child(t, *i, (unsigned char)w[k])))
			return 0;
	return 1;
}

/* Recomputes best from node I up to the root. */
static void trie_rebest(struct trie *t, uint32_t i)
{
	for (;;) {
		struct tnode *n = &t->n[i];
		uint64_t b = n->count;
		for (size_t k = 0; k < n->nkids; k++)
			if (t->n[n->kids[k]].best > b)
				b = t->n[n->kids[k]].best;
		n->best = b;
		if (i == 0)
			return;
		i = n->parent;
	}
}

/* Adds child C with LABEL to node I; -1 out of memory. */
static int trie_link(struct trie *t, uint32_t i, unsigned char label, uint32_t c)
{
	struct tnode *n = &t->n[i];
	if (n->nkids == n->cap) {
		uint16_t nc = n->cap ? (uint16_t)(n->cap * 2) : 2;
		if (nc > 256)
			nc = 256;
		uint32_t *nk = budget_realloc(n->kids, nc * sizeof *nk);
		if (!nk)
			return -1;
		n->kids = nk;
		unsigned char *nl = budget_realloc(n->labels, nc);
		if (!nl)
			return -1;
		n->labels = nl;
		n->cap = nc;
	}
	int found;
	size_t s = kid_slot(n, label, &found);
	memmove(n->kids + s + 1, n->kids + s, (n->nkids - s) * sizeof *n->kids);
	memmove(n->labels + s + 1, n->labels + s, n->nkids - s);
	n->kids[s] = c;
	n->labels[s] = label;
	n->nkids++;
	return 0;
}

/* Unlinks node C from its parent and frees it (it has no children). */
static void trie_unlink(struct trie *t, uint32_t c)
{
	struct tnode *n = &t->n[t->n[c].parent];
	int found;
	size_t s = kid_slot(n, t->n[c].label, &found);
	memmove(n->kids + s, n->kids + s + 1, (n->nkids - s - 1) * sizeof *n->kids);
	memmove(n->labels + s, n->labels + s + 1, n->nkids - s - 1);
	n->nkids--;
	budget_free(t->n[c].kids);
	budget_free(t->n[c].labels);
	memset(&t->n[c], 0, sizeof t->n[c]);
	t->free[t->nfree++] = c;
}

/* Frees the wordless, childless nodes from I up (never the root). */
static void trie_prune(struct trie *t, uint32_t i)
{
	while (i != 0 && t->n[i].count == 0 && t->n[i].nkids == 0) {
		uint32_t p = t->n[i].parent;
		trie_unlink(t, i);
		i = p;
	}
	trie_rebest(t, i);
}

int trie_insert(struct trie *t, const char *w, size_t len, uint64_t weight)
{
	if (len > TRIE_MAX_WORD || weight == 0)
		return -1;
	/* room on the free list for every node this word may later free */
	if (t->capfree < t->nnodes + len + 1) {
		size_t nc = (t->nnodes + len + 1) * 2;
		uint32_t *nf = budget_realloc(t->free, nc * sizeof *nf);
		if (!nf)
			return -1;
		t->free = nf;
		t->capfree = nc;
	}
	uint32_t i = 0;
	size_t k = 0;
	for (; k < len; k++) {
		uint32_t c = trie_child(t, i, (unsigned char)w[k]);
		if (!c)
			break;
		i = c;
	}
	for (; k < len; k++) {
		uint32_t c = trie_node(t, i, (unsigned char)w[k]);
		if (!c || trie_link(t, i, (unsigned char)w[k], c) < 0) {
			if (c) {
				memset(&t->n[c], 0, sizeof t->n[c]);
				t->free[t->nfree++] = c;
			}
			trie_prune(t, i);
			return -1;
		}
		i = c;
	}
	if (t->n[i].count == 0)
		t->words++;
	t->n[i].count = t->n[i].count + weight < t->n[i].count ? UINT64_MAX : t->n[i].count + weight;
	t->total += weight;
	trie_rebest(t, i);
	return 0;
}

uint64_t trie_remove(struct trie *t, const char *w, size_t len)
{
	uint32_t i;
	if (!trie_find(t, w, len, &i) || !t->n[i].count)
		return 0;
	uint64_t c = t->n[i].count;
	t->n[i].count = 0;
	t->words--;
	t->total -= c;
	trie_prune(t, i);
	return c;
}

uint64_t trie_count(const struct trie *t, const char *w, size_t len)
{
	uint32_t i;
	return trie_find(t, w, len, &i) ? t->n[i].count : 0;
}

/* ---- listing ---- */

struct wbuf {
	struct trie_word *w;
	size_t n, cap;
};

/* Appends a copy of the word to B; -1 out of memory. */
static int wbuf_add(struct wbuf *b, const char *s, size_t len, uint64_t count)
{
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 16;
		struct trie_word *nw = budget_realloc(b->w, nc * sizeof *nw);
		if (!nw)
			return -1;
		b->w = nw;
		b->cap = nc;
	}
	char *c = budget_malloc(len + 1);
	if (!c)
		return -1;
	memcpy(c, s, len);
	c[len] = '\0';
	b->w[b->n++] = (struct trie_word){c, len, count};
	return 0;
}

void trie_words_free(struct trie_word *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		budget_free(w[i].w);
	budget_free(w);
}

/* The word of node I (its path from the root) into a new string. */
static char *trie_path(const struct trie *t, uint32_t i, size_t *len)
{
	size_t n = 0;
	for (uint32_t j = i; j; j = t->n[j].parent)
		n++;
	char *s = budget_malloc(n + 1);
	if (!s)
		return NULL;
	s[n] = '\0';
	*len = n;
	for (uint32_t j = i; j; j = t->n[j].parent)
		s[--n] = (char)t->n[j].label;
	return s;
}

/* Every word under node ROOT in byte order, at most N, into B. */
static int trie_walk(const struct trie *t, uint32_t root, size_t n, struct wbuf *b)
{
	/* an explicit stack of (node, next child) */
	struct frame {
		uint32_t node;
		uint32_t next;
	} *st = NULL;
	size_t depth = 0, cap = 0;
	size_t len;
	char *word = trie_path(t, root, &len), *grown;
	int r = -1;
	if (!word)
		return -1;
	size_t wcap = len + 1;
	unsigned long long rounds = 1;
	if (t->n[root].count && b->n < n && wbuf_add(b, word, len, t->n[root].count) < 0)
		goto out;
	if (!(st = budget_malloc(16 * sizeof *st)))
		goto out;
	cap = 16;
	st[depth++] = (struct frame){root, 0};
	while (depth && b->n < n) {
		if (budget_poll(rounds++))
			goto out;
		struct frame *f = &st[depth - 1];
		const struct tnode *nd = &t->n[f->node];
		if (f->next == nd->nkids) {
			depth--;
			len--;
			continue;
		}
		uint32_t c = nd->kids[f->next++];
		if (len + 2 > wcap) {
			if (!(grown = budget_realloc(word, wcap * 2)))
				goto out;
			word = grown;
			wcap *= 2;
		}
		word[len++] = (char)t->n[c].label;
		if (t->n[c].count && wbuf_add(b, word, len, t->n[c].count) < 0)
			goto out;
		if (depth == cap) {
			struct frame *ns = budget_realloc(st, cap * 2 * sizeof *ns);
			if (!ns)
				goto out;
			st = ns;
			cap *= 2;
		}
		st[depth++] = (struct frame){c, 0};
	}
	r = 0;
out:
	budget_free(st);
	budget_free(word);
	return r;
}

struct hentry {
	uint64_t key;
	uint32_t node;
	int word;              /* 1: the word of node, 0: node's subtree */
	char *s;               /* node's path */
	size_t len;
};

/* 1 if A comes out of the queue before B. */
static int hentry_before(const struct hentry *a, const struct hentry *b)
{
	if (a->key != b->key)
		return a->key > b->key;
	size_t m = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, m);
	if (c || a->len != b->len)
		return c ? c < 0 : a->len < b->len;
	return a->word > b->word;
}

struct heap {
	struct hentry *e;
	size_t n, cap;
};

static int heap_push(struct heap *h, struct hentry e)
{
	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 32;
		struct hentry *ne = budget_realloc(h->e, nc * sizeof *ne);
		if (!ne)
			return -1;
		h->e = ne;
		h->cap = nc;
	}
	size_t i = h->n++;
	while (i && hentry_before(&e, &h->e[(i - 1) / 2])) {
		h->e[i] = h->e[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->e[i] = e;
	return 0;
}

static struct hentry heap_pop(struct heap *h)
{
	struct hentry top = h->e[0], last = h->e[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && hentry_before(&h->e[c + 1], &h->e[c]))
			c++;
		if (!hentry_before(&h->e[c], &last))
			break;
		h->e[i] = h->e[c];
		i = c;
	}
	if (h->n)
		h->e[i] = last;
	return top;
}

/* Pushes node I's subtree (and its word) with path S (LEN bytes, copied). */
static int heap_node(struct heap *h, const struct trie *t, uint32_t i, const char *s, size_t len)
{
	char *a = budget_malloc(len + 1), *b = NULL;
	if (!a)
		return -1;
	memcpy(a, s, len);
	if (t->n[i].count) {
		if (!(b = budget_malloc(len + 1))) {
			budget_free(a);
			return -1;
		}
		memcpy(b, s, len);
		if (heap_push(h, (struct hentry){t->n[i].count, i, 1, b, len}) < 0) {
			budget_free(a);
			budget_free(b);
			return -1;
		}
	}
	if (heap_push(h, (struct hentry){t->n[i].best, i, 0, a, len}) < 0) {
		budget_free(a);
		return -1;
	}
	return 0;
}

/* The N words under ROOT with the highest counts, best first, into B. */
static int trie_best(const struct trie *t, uint32_t root, size_t n, struct wbuf *b)
{
	struct heap h = {0};
	size_t len;
	char *path = trie_path(t, root, &len), *s = NULL;
	int r = -1;
	unsigned long long rounds = 1;
	if (!path || (t->n[root].best && heap_node(&h, t, root, path, len) < 0))
		goto out;
	while (h.n && b->n < n) {
		if (budget_poll(rounds++))
			goto out;
		struct hentry e = heap_pop(&h);
		if (e.word) {
			int bad = wbuf_add(b, e.s, e.len, e.key);
			budget_free(e.s);
			if (bad)
				goto out;
			continue;
		}
		/* the node itself was pushed as a word; its children go in */
		const struct tnode *nd = &t->n[e.node];
		budget_free(s);
		s = budget_malloc(e.len + 2);
		if (!s) {
			budget_free(e.s);
			goto out;
		}
		memcpy(s, e.s, e.len);
		budget_free(e.s);
		for (size_t k = 0; k < nd->nkids; k++) {
			uint32_t c = nd->kids[k];
			s[e.len] = (char)nd->labels[k];
			if (t->n[c].best && heap_node(&h, t, c, s, e.len + 1) < 0)
				goto out;
		}
	}
	r = 0;
out:
	for (size_t i = 0; i < h.n; i++)
		budget_free(h.e[i].s);
	budget_free(h.e);
	budget_free(path);
	budget_free(s);
	return r;
}

int trie_prefix(const struct trie *t, const char *prefix, size_t len, size_t n, int by_count,
		struct trie_word **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	uint32_t i;
	if (!trie_find(t, prefix, len, &i) || n == 0)
		return 0;
	struct wbuf b = {0};
	int r = by_count ? trie_best(t, i, n, &b) : trie_walk(t, i, n, &b);
	if (r < 0) {
		trie_words_free(b.w, b.n);
		return -1;
	}
	*out = b.w;
	*nout = b.n;
	return 0;
}

void trie_stats(const struct trie *t, struct trie_stats *st)
{
	memset(st, 0, sizeof *st);
	st->words = t->words;
	st->total = t->total;
	st->bytes = sizeof *t + t->cap * sizeof(struct tnode) + t->capfree * sizeof(uint32_t);
	for (size_t i = 0; i < t->nnodes; i++) {
		const struct tnode *n = &t->n[i];
		int live = i == 0 || n->parent != 0 || n->label != 0 || n->nkids || n->count;
		if (!live)
			continue;
		st->nodes++;
		st->bytes += n->cap * (sizeof(uint32_t) + 1);
		/* a radix tree keeps the root, every word's node and every fork */
		if (i == 0 || n->count || n->nkids != 1)
			st->radix_nodes++;
	}
}
