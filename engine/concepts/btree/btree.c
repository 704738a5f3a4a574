/*
 * btree.c — the B+tree of btree.h.
 *
 * Invariants (btree_check() verifies them all): every leaf is at depth
 * height - 1; keys within a node strictly increase; a non-root node holds
 * between ceil(m/2) - 1 and m - 1 keys, an internal root at least one; an
 * internal node with n keys has n + 1 children, and every key under child i
 * is >= sep[i-1] and < sep[i]; the leaves, chained by next/prev, hold every
 * key in order. A node has room for m keys (m + 1 children) so that it can
 * overflow by one before it splits.
 *
 * Out of memory: an insert first makes sure the tree's spare nodes cover a
 * split at every level plus a new root, and copies the key; only then does
 * it change anything, so a failed allocation leaves the tree as it was.
 */
#include "engine/concepts/btree/btree.h"
#include "engine/base/budget.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 64 /* fanout >= 2, so 2^63 keys fit in fewer levels */
#define MAX_SPARE 64

struct node {
	int leaf;
	int n;                   /* keys */
	struct node *next, *prev; /* leaves: the chain */
	struct node *spare;      /* in the spare list: the next one */
	struct bt_key *keys;     /* room for m */
	int64_t *vals;           /* leaves: room for m */
	struct node **kids;      /* internal: room for m + 1 */
};

struct btree {
	int m;
	int height;
	struct node *root;
	size_t count, pages, leaves;
	struct node *spare;      /* nodes kept for the next splits */
	int nspare;
	struct btree_stats stats;
};

/* One step of a path from the root: a node and the child taken. */
struct step {
	struct node *node;
	int child;
};

static int min_keys(const struct btree *t)
{
	return (t->m + 1) / 2 - 1;
}

int btree_cmp(const struct bt_key *a, const struct bt_key *b)
{
	if (!a->s || !b->s) {
		if (a->s)
			return 1;  /* strings after integers */
		if (b->s)
			return -1;
		return a->i < b->i ? -1 : a->i > b->i;
	}
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* ---- nodes ---- */

static struct node *node_alloc(const struct btree *t)
{
	size_t m = (size_t)t->m;
	size_t size = sizeof(struct node) + m * sizeof(struct bt_key) + (m + 1) * sizeof(void *) +
		      m * sizeof(int64_t);
	struct node *x = budget_malloc(size);
	if (!x)
		return NULL;
	memset(x, 0, sizeof *x);
	x->keys = (struct bt_key *)(x + 1);
	x->kids = (struct node **)(x->keys + m);
	x->vals = (int64_t *)(x->kids + m + 1);
	return x;
}

/* A node from the spare list (there always is one when this is called). */
static struct node *node_take(struct btree *t, int leaf)
{
	struct node *x = t->spare;
	t->spare = x->spare;
	t->nspare--;
	x->leaf = leaf;
	x->n = 0;
	x->next = x->prev = x->spare = NULL;
	t->pages++;
	t->leaves += leaf;
	t->stats.writes++;
	return x;
}

/* Gives node X back (its keys were moved elsewhere or freed). */
static void node_drop(struct btree *t, struct node *x)
{
	t->pages--;
	t->leaves -= x->leaf;
	if (t->nspare < MAX_SPARE) {
		x->spare = t->spare;
		t->spare = x;
		t->nspare++;
	} else {
		budget_free(x);
	}
}

/* Makes sure N spare nodes are ready; 0, or -1 out of memory. */
static int reserve(struct btree *t, int n)
{
	while (t->nspare < n) {
		struct node *x = node_alloc(t);
		if (!x)
			return -1;
		x->spare = t->spare;
		t->spare = x;
		t->nspare++;
	}
	return 0;
}

/*
 * String keys are shared: a leaf key and the separators copied from it
 * point to one block with a reference count, so that making a separator
 * (a split) or replacing one (a borrow) never allocates.
 */
struct kstr {
	size_t refs;
	char bytes[];
};

static struct kstr *kstr_of(const struct bt_key *k)
{
	return (struct kstr *)(k->s - offsetof(struct kstr, bytes));
}

static void key_ref(const struct bt_key *k)
{
	if (k->s)
		kstr_of(k)->refs++;
}

static void key_unref(struct bt_key *k)
{
	if (k->s && --kstr_of(k)->refs == 0)
		budget_free(kstr_of(k));
	k->s = NULL;
}

static void free_subtree(struct node *x)
{
	if (!x)
		return;
	for (int i = 0; i < x->n; i++)
		key_unref(&x->keys[i]);
	if (!x->leaf)
		for (int i = 0; i <= x->n; i++)
			free_subtree(x->kids[i]);
	budget_free(x);
}

/* A copy of K whose string belongs to the tree (one reference); 0, or -1. */
static int copy_key(const struct bt_key *k, struct bt_key *out)
{
	*out = *k;
	if (!k->s)
		return 0;
	struct kstr *ks = budget_malloc(sizeof *ks + k->len + 1);
	if (!ks)
		return -1;
	ks->refs = 1;
	memcpy(ks->bytes, k->s, k->len);
	ks->bytes[k->len] = '\0';
	out->s = ks->bytes;
	return 0;
}

/* ---- the tree ---- */

struct btree *btree_new(int m)
{
	if (m < BTREE_MIN_ORDER || m > BTREE_MAX_ORDER)
		return NULL;
	struct btree *t = budget_calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->m = m;
	if (reserve(t, 1) != 0) {
		budget_free(t);
		return NULL;
	}
	t->root = node_take(t, 1);
	t->height = 1;
	t->stats.writes = 0;
	return t;
}

void btree_free(struct btree *t)
{
	if (!t)
		return;
	free_subtree(t->root);
	while (t->spare) {
		struct node *x = t->spare;
		t->spare = x->spare;
		budget_free(x);
	}
	budget_free(t);
}

/* Index of the first key of X that is >= K (X->n if none); *FOUND set if
 * equal. */
static int search(const struct node *x, const struct bt_key *k, int *found)
{
	int lo = 0, hi = x->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (btree_cmp(&x->keys[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < x->n && btree_cmp(&x->keys[lo], k) == 0;
	return lo;
}

/* The child of internal node X to follow for K: the number of separators
 * <= K. */
static int child_for(const struct node *x, const struct bt_key *k)
{
	int found, i = search(x, k, &found);
	return found ? i + 1 : i;
}

/* Walks from the root to the leaf for K, recording the path (PATH[0] the
 * root); counts a read per node. Returns the depth of the leaf. */
static int descend(struct btree *t, const struct bt_key *k, struct step *path)
{
	struct node *x = t->root;
	int d = 0;
	for (;;) {
		t->stats.reads++;
		path[d].node = x;
		if (x->leaf)
			return d;
		path[d].child = child_for(x, k);
		x = x->kids[path[d].child];
		d++;
	}
}

int btree_get(struct btree *t, struct bt_key key, int64_t *val)
{
	struct step path[MAX_DEPTH];
	int d = descend(t, &key, path);
	struct node *leaf = path[d].node;
	int found, i = search(leaf, &key, &found);
	if (found && val)
		*val = leaf->vals[i];
	return found;
}

/* ---- insert ---- */

/* Splits leaf X (m keys) into X and a new right sibling; a reference to
 * the right's first key goes up as the separator *SEP. Returns the new
 * node. */
static struct node *split_leaf(struct btree *t, struct node *x, struct bt_key *sep)
{
	struct node *r = node_take(t, 1);
	int mid = t->m / 2;
	r->n = x->n - mid;
	memcpy(r->keys, x->keys + mid, (size_t)r->n * sizeof *r->keys);
	memcpy(r->vals, x->vals + mid, (size_t)r->n * sizeof *r->vals);
	x->n = mid;
	r->next = x->next;
	if (r->next)
		r->next->prev = r;
	r->prev = x;
	x->next = r;
	*sep = r->keys[0];
	key_ref(sep);
	t->stats.splits++;
	t->stats.writes++;
	return r;
}

/* Splits internal node X (m keys, m + 1 children): its key at m/2 moves up
 * to *SEP. Returns the new right node. */
static struct node *split_internal(struct btree *t, struct node *x, struct bt_key *sep)
{
	struct node *r = node_take(t, 0);
	int mid = t->m / 2;
	*sep = x->keys[mid];
	r->n = x->n - mid - 1;
	memcpy(r->keys, x->keys + mid + 1, (size_t)r->n * sizeof *r->keys);
	memcpy(r->kids, x->kids + mid + 1, (size_t)(r->n + 1) * sizeof *r->kids);
	x->n = mid;
	t->stats.splits++;
	t->stats.writes++;
	return r;
}

int btree_insert(struct btree *t, struct bt_key key, int64_t val)
{
	struct step path[MAX_DEPTH];
	int d = descend(t, &key, path);
	struct node *leaf = path[d].node;
	int found, i = search(leaf, &key, &found);
	if (found) {
		leaf->vals[i] = val;
		t->stats.writes++;
		return 0;
	}
	/* everything that may be needed, before anything changes: a split at
	 * every level and a new root, and the key's string */
	struct bt_key k;
	if (t->height >= MAX_DEPTH - 1 || reserve(t, t->height + 1) != 0 ||
	    copy_key(&key, &k) != 0)
		return -1;
	memmove(leaf->keys + i + 1, leaf->keys + i, (size_t)(leaf->n - i) * sizeof *leaf->keys);
	memmove(leaf->vals + i + 1, leaf->vals + i, (size_t)(leaf->n - i) * sizeof *leaf->vals);
	leaf->keys[i] = k;
	leaf->vals[i] = val;
	leaf->n++;
	t->count++;
	t->stats.writes++;
	struct node *x = leaf;
	for (int lv = d; x->n >= t->m; lv--) {
		struct bt_key sep;
		struct node *r = x->leaf ? split_leaf(t, x, &sep) : split_internal(t, x, &sep);
		if (lv == 0) {
			struct node *root = node_take(t, 0);
			root->n = 1;
			root->keys[0] = sep;
			root->kids[0] = x;
			root->kids[1] = r;
			t->root = root;
			t->height++;
			break;
		}
		struct node *p = path[lv - 1].node;
		int c = path[lv - 1].child;
		memmove(p->keys + c + 1, p->keys + c, (size_t)(p->n - c) * sizeof *p->keys);
		memmove(p->kids + c + 2, p->kids + c + 1, (size_t)(p->n - c) * sizeof *p->kids);
		p->keys[c] = sep;
		p->kids[c + 1] = r;
		p->n++;
		t->stats.writes++;
		x = p;
	}
	return 1;
}

/* ---- delete ---- */

/* Removes key I (and child I + 1 if internal) from X, dropping the key's
 * reference when UNREF. */
static void remove_at(struct node *x, int i, int unref)
{
	if (unref)
		key_unref(&x->keys[i]);
	memmove(x->keys + i, x->keys + i + 1, (size_t)(x->n - i - 1) * sizeof *x->keys);
	if (x->leaf)
		memmove(x->vals + i, x->vals + i + 1, (size_t)(x->n - i - 1) * sizeof *x->vals);
	else
		memmove(x->kids + i + 1, x->kids + i + 2, (size_t)(x->n - i - 1) * sizeof *x->kids);
	x->n--;
}

/* Replaces separator I of P with a reference to K. */
static void set_sep(struct node *p, int i, const struct bt_key *k)
{
	key_unref(&p->keys[i]);
	p->keys[i] = *k;
	key_ref(k);
}

/* X (child C of P) takes the last key of its left sibling L. */
static void borrow_left(struct node *p, int c, struct node *x, struct node *l)
{
	memmove(x->keys + 1, x->keys, (size_t)x->n * sizeof *x->keys);
	if (x->leaf) {
		memmove(x->vals + 1, x->vals, (size_t)x->n * sizeof *x->vals);
		x->keys[0] = l->keys[l->n - 1];
		x->vals[0] = l->vals[l->n - 1];
		l->n--;
		x->n++;
		set_sep(p, c - 1, &x->keys[0]);
	} else {
		memmove(x->kids + 1, x->kids, (size_t)(x->n + 1) * sizeof *x->kids);
		x->keys[0] = p->keys[c - 1];             /* the separator moves down */
		x->kids[0] = l->kids[l->n];
		p->keys[c - 1] = l->keys[l->n - 1];      /* and the left's last key up */
		l->n--;
		x->n++;
	}
}

/* X (child C of P) takes the first key of its right sibling R. */
static void borrow_right(struct node *p, int c, struct node *x, struct node *r)
{
	if (x->leaf) {
		x->keys[x->n] = r->keys[0];
		x->vals[x->n] = r->vals[0];
		x->n++;
		remove_at(r, 0, 0);
		set_sep(p, c, &r->keys[0]);
	} else {
		x->keys[x->n] = p->keys[c];
		x->kids[x->n + 1] = r->kids[0];
		x->n++;
		p->keys[c] = r->keys[0];
		memmove(r->kids, r->kids + 1, (size_t)r->n * sizeof *r->kids);
		memmove(r->keys, r->keys + 1, (size_t)(r->n - 1) * sizeof *r->keys);
		r->n--;
	}
}

/* Moves everything of R (child C + 1 of P) into L (child C) and removes R
 * and separator C from P. */
static void merge(struct btree *t, struct node *p, int c, struct node *l, struct node *r)
{
	if (l->leaf) {
		memcpy(l->keys + l->n, r->keys, (size_t)r->n * sizeof *r->keys);
		memcpy(l->vals + l->n, r->vals, (size_t)r->n * sizeof *r->vals);
		l->n += r->n;
		l->next = r->next;
		if (l->next)
			l->next->prev = l;
		remove_at(p, c, 1);
	} else {
		l->keys[l->n] = p->keys[c];              /* the separator comes down */
		memcpy(l->keys + l->n + 1, r->keys, (size_t)r->n * sizeof *r->keys);
		memcpy(l->kids + l->n + 1, r->kids, (size_t)(r->n + 1) * sizeof *r->kids);
		l->n += r->n + 1;
		remove_at(p, c, 0);
	}
	r->n = 0;
	node_drop(t, r);
	t->stats.merges++;
}

/* Repairs node X at depth LV of PATH, which has too few keys. */
static void rebalance(struct btree *t, struct step *path, int lv)
{
	while (lv > 0) {
		struct node *x = path[lv].node, *p = path[lv - 1].node;
		if (x->n >= min_keys(t))
			return;
		int c = path[lv - 1].child;
		struct node *l = c > 0 ? p->kids[c - 1] : NULL;
		struct node *r = c < p->n ? p->kids[c + 1] : NULL;
		if (l) {
			t->stats.reads++;
			if (l->n > min_keys(t)) {
				borrow_left(p, c, x, l);
				t->stats.borrows++;
				t->stats.writes += 3;
				return;
			}
		}
		if (r) {
			t->stats.reads++;
			if (r->n > min_keys(t)) {
				borrow_right(p, c, x, r);
				t->stats.borrows++;
				t->stats.writes += 3;
				return;
			}
		}
		if (l)
			merge(t, p, c - 1, l, x);
		else
			merge(t, p, c, x, r);
		t->stats.writes += 2;
		lv--;
	}
	struct node *root = t->root;
	if (!root->leaf && root->n == 0) {
		t->root = root->kids[0];
		node_drop(t, root);
		t->height--;
	}
}

int btree_delete(struct btree *t, struct bt_key key)
{
	struct step path[MAX_DEPTH];
	int d = descend(t, &key, path);
	struct node *leaf = path[d].node;
	int found, i = search(leaf, &key, &found);
	if (!found)
		return 0;
	remove_at(leaf, i, 1);
	t->count--;
	t->stats.writes++;
	rebalance(t, path, d);
	return 1;
}

/* ---- scans ---- */

int btree_range(struct btree *t, const struct bt_key *lo, const struct bt_key *hi,
		int (*fn)(const struct bt_key *key, int64_t val, void *ud), void *ud)
{
	struct node *x = t->root;
	for (;;) {
		t->stats.reads++;
		if (x->leaf)
			break;
		x = lo ? x->kids[child_for(x, lo)] : x->kids[0];
	}
	int found, i = lo ? search(x, lo, &found) : 0;
	for (;;) {
		for (; i < x->n; i++) {
			if (hi && btree_cmp(&x->keys[i], hi) > 0)
				return 0;
			if (fn(&x->keys[i], x->vals[i], ud))
				return 1;
		}
		if (!x->next)
			return 0;
		x = x->next;
		t->stats.reads++;
		i = 0;
	}
}

int btree_order(const struct btree *t)
{
	return t->m;
}

size_t btree_count(const struct btree *t)
{
	return t->count;
}

size_t btree_pages(const struct btree *t)
{
	return t->pages;
}

size_t btree_leaves(const struct btree *t)
{
	return t->leaves;
}

int btree_height(const struct btree *t)
{
	return t->height;
}

const struct btree_stats *btree_stats(const struct btree *t)
{
	return &t->stats;
}

void btree_reset_stats(struct btree *t)
{
	memset(&t->stats, 0, sizeof t->stats);
}

/* ---- shape and checks ---- */

static void key_text(const struct bt_key *k, struct sbuf *out)
{
	if (k->s)
		sbuf_add(out, k->s, k->len);
	else
		sbuf_addf(out, "%lld", (long long)k->i);
}

static void shape(const struct node *x, struct sbuf *out)
{
	sbuf_addc(out, x->leaf ? '(' : '[');
	for (int i = 0; i < x->n; i++) {
		if (i)
			sbuf_addc(out, ' ');
		key_text(&x->keys[i], out);
	}
	if (x->leaf) {
		sbuf_addc(out, ')');
		return;
	}
	sbuf_addc(out, ':');
	for (int i = 0; i <= x->n; i++) {
		sbuf_addc(out, ' ');
		shape(x->kids[i], out);
	}
	sbuf_addc(out, ']');
}

void btree_shape(const struct btree *t, struct sbuf *out)
{
	shape(t->root, out);
}

struct checker {
	const struct btree *t;
	struct sbuf *err;
	size_t keys, pages, leaves;
	const struct node *last_leaf;
};

static int bad(struct checker *c, const char *what)
{
	if (c->err->len == 0)
		sbuf_adds(c->err, what);
	return -1;
}

/* Checks the subtree X at DEPTH whose keys must be in [LO, HI). */
static int check_node(struct checker *c, const struct node *x, int depth,
		      const struct bt_key *lo, const struct bt_key *hi)
{
	const struct btree *t = c->t;
	c->pages++;
	if (x->n > t->m - 1)
		return bad(c, "a node holds more than m - 1 keys");
	if (x != t->root && x->n < min_keys(t))
		return bad(c, "a node holds fewer than ceil(m/2) - 1 keys");
	if (x == t->root && !x->leaf && x->n < 1)
		return bad(c, "an internal root has no key");
	for (int i = 0; i < x->n; i++) {
		if (i && btree_cmp(&x->keys[i - 1], &x->keys[i]) >= 0)
			return bad(c, "keys of a node are not in increasing order");
		if ((lo && btree_cmp(&x->keys[i], lo) < 0) || (hi && btree_cmp(&x->keys[i], hi) >= 0))
			return bad(c, "a key is outside the bounds its separators give");
	}
	if (x->leaf) {
		if (depth != t->height - 1)
			return bad(c, "leaves are not all at the same depth");
		if (x->prev != c->last_leaf || (c->last_leaf && c->last_leaf->next != x))
			return bad(c, "the leaf chain is broken");
		c->last_leaf = x;
		c->leaves++;
		c->keys += (size_t)x->n;
		return 0;
	}
	for (int i = 0; i <= x->n; i++) {
		const struct bt_key *l = i ? &x->keys[i - 1] : lo, *h = i < x->n ? &x->keys[i] : hi;
		if (!x->kids[i])
			return bad(c, "an internal node misses a child");
		if (check_node(c, x->kids[i], depth + 1, l, h) != 0)
			return -1;
	}
	return 0;
}

int btree_check(const struct btree *t, struct sbuf *err)
{
	struct checker c = {.t = t, .err = err};
	if (check_node(&c, t->root, 0, NULL, NULL) != 0)
		return -1;
	if (c.last_leaf && c.last_leaf->next)
		return bad(&c, "the last leaf has a next");
	if (c.keys != t->count || c.pages != t->pages || c.leaves != t->leaves)
		return bad(&c, "the counts of keys, pages or leaves are wrong");
	return 0;
}
