/* schema.c — functional dependencies and normal forms; see schema.h. */
#include "engine/concepts/schema/schema.h"
#include "engine/base/budget.h"

#include <string.h>

static int popcount(attrs x)
{
	return __builtin_popcountll(x);
}

attrs schema_closure(attrs x, const struct fd *f, size_t n)
{
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < n; i++)
			if ((f[i].lhs & ~x) == 0 && (f[i].rhs & ~x) != 0) {
				x |= f[i].rhs;
				changed = 1;
			}
	}
	return x;
}

/* The bits of R, low to high, in BITS; returns how many. */
static int bits_of(attrs r, int *bits)
{
	int k = 0;
	for (int i = 0; i < 64; i++)
		if (r >> i & 1)
			bits[k++] = i;
	return k;
}

/* The subset of the attributes BITS[0..K) chosen by MASK. */
static attrs pick(const int *bits, int k, uint64_t mask)
{
	attrs s = 0;
	for (int i = 0; i < k; i++)
		if (mask >> i & 1)
			s |= (attrs)1 << bits[i];
	return s;
}

int schema_keys(attrs r, const struct fd *f, size_t n, attrs *keys, int max)
{
	/* attributes on no right side are in every key; those on no left
	 * side but some right side are in none */
	attrs left = 0, right = 0;
	for (size_t i = 0; i < n; i++) {
		left |= f[i].lhs & r;
		right |= f[i].rhs & r;
	}
	attrs core = r & ~right, maybe = r & left & right;
	int bits[64], k = bits_of(maybe, bits);
	if (k > SCHEMA_MAX_SEARCH)
		return -1;
	int found = 0;
	for (int size = 0; size <= k; size++)
		for (uint64_t mask = 0; mask < ((uint64_t)1 << k); mask++) {
			if (popcount(mask) != size)
				continue;
			attrs x = core | pick(bits, k, mask);
			int superset = 0;
			for (int j = 0; j < found && j < max; j++)
				superset |= (keys[j] & ~x) == 0;
			if (superset || (schema_closure(x, f, n) & r) != r)
				continue;
			if (found < max)
				keys[found] = x;
			found++;
		}
	return found;
}

/* Whether F (without dependency SKIP, if >= 0) implies X -> Y. */
static int implies(const struct fd *f, size_t n, long skip, attrs x, attrs y)
{
	attrs c = x;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < n; i++)
			if ((long)i != skip && (f[i].lhs & ~c) == 0 && (f[i].rhs & ~c) != 0) {
				c |= f[i].rhs;
				changed = 1;
			}
	}
	return (y & ~c) == 0;
}

size_t schema_cover(const struct fd *f, size_t n, struct fd *out)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) /* single attributes on the right */
		for (int b = 0; b < 64; b++)
			if ((f[i].rhs >> b & 1) && !(f[i].lhs >> b & 1))
				out[m++] = (struct fd){f[i].lhs, (attrs)1 << b};
	for (size_t i = 0; i < m; i++) /* extraneous attributes on the left */
		for (int b = 0; b < 64; b++) {
			attrs smaller = out[i].lhs & ~((attrs)1 << b);
			if ((out[i].lhs >> b & 1) && smaller && implies(out, m, -1, smaller, out[i].rhs))
				out[i].lhs = smaller;
		}
	size_t k = 0;
	for (size_t i = 0; i < m; i++) { /* redundant dependencies, and repeats */
		int dup = 0;
		for (size_t j = 0; j < k; j++)
			dup |= out[j].lhs == out[i].lhs && out[j].rhs == out[i].rhs;
		if (!dup)
			out[k++] = out[i];
	}
	for (size_t i = 0; i < k;) {
		if (implies(out, k, (long)i, out[i].lhs, out[i].rhs)) {
			memmove(out + i, out + i + 1, (k - i - 1) * sizeof *out);
			k--;
		} else {
			i++;
		}
	}
	return k;
}

int schema_normal_form(attrs r, const struct fd *f, size_t n, struct fd *why)
{
	attrs keys[256];
	int nk = schema_keys(r, f, n, keys, 256);
	if (nk < 0 || nk > 256)
		return -1;
	attrs prime = 0;
	for (int i = 0; i < nk; i++)
		prime |= keys[i];
	struct fd none = {0, 0};
	/* 2NF: no non-prime attribute depends on part of a key */
	for (int i = 0; i < nk; i++) {
		int bits[64], k = bits_of(keys[i], bits);
		for (uint64_t mask = 1; mask + 1 < ((uint64_t)1 << k); mask++) {
			attrs part = pick(bits, k, mask);
			attrs dep = schema_closure(part, f, n) & r & ~part & ~prime;
			if (dep) {
				if (why)
					*why = (struct fd){part, dep};
				return 1;
			}
		}
	}
	/* 3NF and BCNF: the dependencies of F inside R (and those of the keys'
	 * closure checks above) */
	int form = 4;
	for (size_t i = 0; i < n && form > 2; i++) {
		attrs x = f[i].lhs, y = f[i].rhs & r & ~x;
		if ((x & ~r) || !y)
			continue;
		if ((schema_closure(x, f, n) & r) == r)
			continue; /* a superkey */
		if ((y & ~prime) && form > 2) {
			form = 2;
			if (why)
				*why = (struct fd){x, y & ~prime};
		} else if (form > 3) {
			form = 3;
			if (why)
				*why = (struct fd){x, y};
		}
	}
	if (form == 4 && why)
		*why = none;
	return form;
}

/* The smallest X inside R_I whose closure (within R_I) breaks BCNF there;
 * 0 if R_I is in BCNF, -1 too large. */
static long long violating(attrs ri, const struct fd *f, size_t n, attrs *x)
{
	int bits[64], k = bits_of(ri, bits);
	if (k > SCHEMA_MAX_SEARCH)
		return -1;
	for (int size = 1; size < k; size++)
		for (uint64_t mask = 1; mask < ((uint64_t)1 << k); mask++) {
			if (popcount(mask) != size)
				continue;
			attrs s = pick(bits, k, mask), c = schema_closure(s, f, n) & ri;
			if (c != s && c != ri) {
				*x = s;
				return 1;
			}
		}
	return 0;
}

int schema_bcnf(attrs r, const struct fd *f, size_t n, attrs *rels, int max)
{
	attrs work[64];
	int nw = 1, done = 0;
	work[0] = r;
	while (nw > 0) {
		attrs ri = work[--nw], x;
		long long v = violating(ri, f, n, &x);
		if (v < 0)
			return -1;
		if (v == 0) {
			if (done < max)
				rels[done] = ri;
			done++;
			continue;
		}
		if (nw + 2 > 64)
			return -1;
		attrs c = schema_closure(x, f, n) & ri;
		work[nw++] = ri & ~(c & ~x); /* the rest, split later */
		work[nw++] = c;              /* X+ first */
	}
	return done;
}

int schema_3nf(attrs r, const struct fd *f, size_t n, attrs *rels, int max)
{
	struct fd *cover = budget_malloc((64 * n + 1) * sizeof *cover);
	if (!cover)
		return -1;
	size_t m = schema_cover(f, n, cover);
	attrs parts[128], from[128];
	int np = 0;
	for (size_t i = 0; i < m; i++) { /* one relation per left side */
		int at = -1;
		for (int j = 0; j < np && at < 0; j++)
			if (from[j] == cover[i].lhs)
				at = j;
		if (at >= 0) {
			parts[at] |= cover[i].rhs;
		} else if (np < 128) {
			from[np] = cover[i].lhs;
			parts[np++] = cover[i].lhs | cover[i].rhs;
		}
	}
	budget_free(cover);
	attrs key[1];
	int nk = schema_keys(r, f, n, key, 1);
	if (nk < 0)
		return -1;
	int has_key = 0;
	for (int j = 0; j < np; j++)
		has_key |= (schema_closure(parts[j], f, n) & r) == r;
	if (!has_key && np < 128)
		parts[np++] = key[0];
	/* attributes in no dependency need a home too: they join the key */
	attrs all = 0;
	for (int j = 0; j < np; j++)
		all |= parts[j];
	if (all != r && np)
		parts[np - 1] |= r & ~all;
	int out = 0;
	for (int j = 0; j < np; j++) {
		int inside = 0;
		for (int k = 0; k < np && !inside; k++)
			inside = k != j && (parts[j] & ~parts[k]) == 0 && (parts[j] != parts[k] || k < j);
		if (!inside) {
			if (out < max)
				rels[out] = parts[j];
			out++;
		}
	}
	return out;
}

int schema_lossless(attrs r, const struct fd *f, size_t n, const attrs *parts, int nparts)
{
	/* the chase: cell (i, a) is "distinguished" (0) if part i has a, else
	 * a symbol unique to its row; equating symbols by the dependencies
	 * until nothing changes; lossless iff a row becomes all distinguished */
	int bits[64], k = bits_of(r, bits);
	if (nparts < 1 || nparts > 64)
		return 0;
	int t[64][64];
	for (int i = 0; i < nparts; i++)
		for (int a = 0; a < k; a++)
			t[i][a] = parts[i] >> bits[a] & 1 ? 0 : 1 + i * 64 + a;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t d = 0; d < n; d++)
			for (int i = 0; i < nparts; i++)
				for (int j = i + 1; j < nparts; j++) {
					int agree = 1;
					for (int a = 0; a < k && agree; a++)
						if (f[d].lhs >> bits[a] & 1)
							agree = t[i][a] == t[j][a];
					if (!agree)
						continue;
					for (int a = 0; a < k; a++) {
						if (!(f[d].rhs >> bits[a] & 1) || t[i][a] == t[j][a])
							continue;
						int from = t[i][a] > t[j][a] ? t[i][a] : t[j][a];
						int to = t[i][a] < t[j][a] ? t[i][a] : t[j][a];
						for (int row = 0; row < nparts; row++)
							if (t[row][a] == from)
								t[row][a] = to;
						changed = 1;
					}
				}
	}
	for (int i = 0; i < nparts; i++) {
		int all = 1;
		for (int a = 0; a < k; a++)
			all &= t[i][a] == 0;
		if (all)
			return 1;
	}
	return 0;
}

int schema_preserving(const struct fd *f, size_t n, const attrs *parts, int nparts)
{
	for (size_t d = 0; d < n; d++) {
		attrs z = f[d].lhs;
		for (int changed = 1; changed;) {
			changed = 0;
			for (int i = 0; i < nparts; i++) {
				attrs add = schema_closure(z & parts[i], f, n) & parts[i];
				if (add & ~z) {
					z |= add;
					changed = 1;
				}
			}
		}
		if (f[d].rhs & ~z)
			return 0;
	}
	return 1;
}
