/*
 * plot_hist.c — histogram bins, nearest-rank percentiles, and the vertical
 * and horizontal histogram drawings. See plot.h.
 */
#include "engine/concepts/plot/plot_impl.h"
#include "engine/base/budget.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BINS 20
#define DEFAULT_HEIGHT 10

/* Lower eighths of a cell, for columns: " ", ▁ ▂ ▃ ▄ ▅ ▆ ▇, █. */
static const char *const lower[9] = {
	" ",            "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};

/* ---- percentiles ---- */

static void swapd(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

static int cmpd(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/*
 * Rearranges A[LO..HI) so that A[K] holds the value it would hold if that
 * range were sorted, with nothing larger before it and nothing smaller
 * after it: Hoare's FIND (quickselect, CACM 1961) with a median-of-three
 * pivot, falling back to sorting the range if it does not shrink fast
 * enough (Musser's introselect idea), so the worst case is O(n log n).
 */
static void select_k(double *a, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t k)
{
	int budget = 96;
	while (hi - lo > 16) {
		if (budget-- == 0) {
			qsort(a + lo, (size_t)(hi - lo), sizeof *a, cmpd);
			return;
		}
		ptrdiff_t mid = lo + (hi - lo) / 2;
		if (a[mid] < a[lo])
			swapd(&a[mid], &a[lo]);
		if (a[hi - 1] < a[lo])
			swapd(&a[hi - 1], &a[lo]);
		if (a[hi - 1] < a[mid])
			swapd(&a[hi - 1], &a[mid]);
		double p = a[mid];
		ptrdiff_t i = lo - 1, j = hi;
		for (;;) { /* Hoare partition: a[lo..j] <= p <= a[j+1..hi) */
			do
				i++;
			while (a[i] < p);
			do
				j--;
			while (a[j] > p);
			if (i >= j)
				break;
			swapd(&a[i], &a[j]);
		}
		if (k <= j)
			hi = j + 1;
		else
			lo = j + 1;
	}
	for (ptrdiff_t i = lo + 1; i < hi; i++) /* insertion sort of the rest */
		for (ptrdiff_t j = i; j > lo && a[j] < a[j - 1]; j--)
			swapd(&a[j], &a[j - 1]);
}

/* Nearest rank (1-based) of percentile P among N values: ceil(P/100 * N). */
static size_t nearest_rank(double p, size_t n)
{
	double r = p * (double)n / 100;
	double k = ceil(r);
	if (k - r > 1 - 1e-9 * fmax(1, r)) /* r is an integer but for rounding */
		k -= 1;
	if (k < 1)
		k = 1;
	if (k > (double)n)
		k = (double)n;
	return (size_t)k;
}

/* Fills b->pctval from the M finite samples in A (which it reorders). */
static void percentiles(struct plot_bins *b, double *a, size_t m)
{
	size_t order[PLOT_MAX_PCTS];
	for (size_t i = 0; i < b->npcts; i++) { /* indexes by increasing p */
		size_t j = i;
		for (; j > 0 && b->pct[order[j - 1]] > b->pct[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	ptrdiff_t from = 0;
	for (size_t i = 0; i < b->npcts; i++) {
		ptrdiff_t k = (ptrdiff_t)nearest_rank(b->pct[order[i]], m) - 1;
		select_k(a, from, (ptrdiff_t)m, k);
		b->pctval[order[i]] = a[k];
		from = k;
	}
}

/* ---- bins ---- */

enum { IN, NONFINITE, NONPOS, BELOW, ABOVE };

static int classify(double v, const struct plot_hist_opts *o)
{
	if (!isfinite(v))
		return NONFINITE;
	if (o->log && v <= 0)
		return NONPOS;
	if (o->range.set && v < o->range.lo)
		return BELOW;
	if (o->range.set && v > o->range.hi)
		return ABOVE;
	return IN;
}

static double tr(const struct plot_bins *b, double v)
{
	return b->log ? log10(v) : v;
}

static double untr(const struct plot_bins *b, double t)
{
	return b->log ? pow(10, t) : t;
}

/* Returns 0, or -1 if memory runs out (then nbins is 0). */
static int alloc_bins(struct plot_bins *b, size_t nbins)
{
	b->edges = budget_calloc(nbins + 1, sizeof *b->edges);
	b->counts = budget_calloc(nbins, sizeof *b->counts);
	if (!b->edges || !b->counts)
		return -1;
	b->nbins = nbins;
	return 0;
}

/*
 * Exactly BINS bins over [TL, TH] (linear), on round edges: the smallest
 * step among 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 and 8 times a power of ten
 * whose BINS steps from the multiple at or below TL reach TH. (With 1, 2,
 * 2.5 and 5 alone, 16 bins would often come out as 17, or as 9.) Returns 0;
 * 1 when no round step fits (nothing allocated); -1 if memory runs out.
 */
static int round_edges(struct plot_bins *b, double tl, double th, int bins)
{
	static const int mant[] = {10, 12, 15, 20, 25, 30, 40, 50, 60, 80};
	double raw = (th - tl) / bins;
	if (!(raw > 1e-300) || !(raw < 1e290))
		return 1;
	int k = (int)floor(log10(raw));
	struct plot_step s = {10, k - 1};
	double a = 0;
	int found = 0;
	for (int tries = 0; !found && tries < 3; tries++, k++) {
		for (int i = 0; i < 10 && !found; i++) {
			s = (struct plot_step){mant[i], k - 1};
			double st = plot_step_value(s);
			if (!(st > 0) || !isfinite(st))
				continue;
			a = floor(tl / st);
			if (plot_close(plot_step_mul(s, a + 1), tl))
				a += 1;
			double bottom = plot_step_mul(s, a), top = plot_step_mul(s, a + bins);
			found = isfinite(bottom) && isfinite(top) && bottom <= tl &&
				(top >= th || plot_close(top, th)) &&
				plot_step_mul(s, a + 1) > bottom; /* steps still tell edges apart */
		}
	}
	if (!found)
		return 1;
	for (int i = 0; i < bins; i++) /* strictly increasing, or no round edges */
		if (!(plot_step_mul(s, a + i) < plot_step_mul(s, a + i + 1)))
			return 1;
	if (alloc_bins(b, (size_t)bins) < 0)
		return -1;
	b->step_mant = s.mant;
	b->step_exp = s.exp;
	for (size_t i = 0; i <= b->nbins; i++)
		b->edges[i] = plot_step_mul(s, a + (double)i);
	return 0;
}

/* Edges over [LO, HI]: BINS equal ones when EXACT, else round ones.
 * Returns 0, or -1 if memory runs out. */
static int make_edges(struct plot_bins *b, double lo, double hi, int bins, int exact)
{
	double tl = tr(b, lo), th = tr(b, hi);
	if (exact || !(th - tl <= 1e300)) { /* round steps stop at 1e301 */
		if (alloc_bins(b, (size_t)bins) < 0)
			return -1;
		for (int i = 1; i < bins; i++) /* a mean of the ends: cannot overflow */
			b->edges[i] = untr(b, tl * (bins - i) / bins + th * i / bins);
		b->edges[0] = lo;
		b->edges[bins] = hi;
		return 0;
	}
	if (!b->log) { /* exactly BINS bins, on round edges when they can be */
		b->round = 1;
		int rc = round_edges(b, tl, th, bins);
		if (rc <= 0)
			return rc;
		b->round = 0;
		return make_edges(b, lo, hi, bins, 1);
	}
	b->round = 1;
	struct plot_step s = plot_step_near((th - tl) / bins);
	double st = plot_step_value(s);
	double a = floor(tl / st), c = ceil(th / st);
	if (plot_close(plot_step_mul(s, a + 1), tl))
		a += 1;
	if (plot_close(plot_step_mul(s, c - 1), th))
		c -= 1;
	if (c <= a)
		c = a + 1;
	if (alloc_bins(b, (size_t)(c - a)) < 0)
		return -1;
	for (size_t i = 0; i <= b->nbins; i++)
		b->edges[i] = untr(b, plot_step_mul(s, a + (double)i));
	return 0;
}

/* The bin of V: (tr(v) - T0) * SCALE estimates it, the edges decide. */
static size_t bin_of(const struct plot_bins *b, double v, double t0, double scale)
{
	size_t nb = b->nbins;
	double f = (tr(b, v) / 2 - t0 / 2) * scale; /* halves: no overflow */
	size_t i = f <= 0 ? 0 : f >= (double)nb ? nb - 1 : (size_t)f;
	while (i + 1 < nb && v >= b->edges[i + 1])
		i++;
	while (i > 0 && v < b->edges[i])
		i--;
	return i;
}

int plot_bins_compute(struct plot_bins **out, const double *x, size_t n,
		      const struct plot_hist_opts *o)
{
	*out = NULL;
	int bins = o->bins ? o->bins : DEFAULT_BINS;
	if (bins < 1 || bins > PLOT_MAX_BINS)
		return PLOT_EBINS;
	if (o->npcts > PLOT_MAX_PCTS || (o->npcts && !o->pcts))
		return PLOT_EPCT;
	for (size_t i = 0; i < o->npcts; i++)
		if (!(o->pcts[i] > 0 && o->pcts[i] <= 100))
			return PLOT_EPCT;
	const struct plot_lim *r = &o->range;
	if (r->set && (!(r->lo < r->hi) || !isfinite(r->hi - r->lo) || (o->log && r->lo <= 0)))
		return PLOT_ERANGE;

	struct plot_bins *b = budget_calloc(1, sizeof *b);
	if (!b)
		return PLOT_ENOMEM;
	b->n = n;
	b->log = o->log != 0;
	b->npcts = o->npcts;
	double sum = 0, lo = INFINITY, hi = -INFINITY, blo = INFINITY, bhi = -INFINITY;
	uint64_t finite = 0;
	for (size_t i = 0; i < n; i++) {
		double v = x[i];
		int c = classify(v, o);
		if (c == NONFINITE) {
			b->nonfinite++;
			continue;
		}
		finite++;
		sum += v;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		if (c == NONPOS) {
			b->nonpositive++;
		} else if (c == BELOW) {
			b->below++;
		} else if (c == ABOVE) {
			b->above++;
		} else {
			b->used++;
			blo = v < blo ? v : blo;
			bhi = v > bhi ? v : bhi;
		}
	}
	b->min = finite ? lo : NAN;
	b->max = finite ? hi : NAN;
	b->mean = finite ? sum / (double)finite : NAN;
	if (finite && !isfinite(b->mean)) { /* the sum overflowed: add up shares instead */
		b->mean = 0;
		for (size_t i = 0; i < n; i++)
			if (isfinite(x[i]))
				b->mean += x[i] / (double)finite;
	}
	for (size_t i = 0; i < b->npcts; i++) {
		b->pct[i] = o->pcts[i];
		b->pctval[i] = NAN;
	}
	if (finite && b->npcts) {
		double *a = budget_malloc(finite * sizeof *a);
		if (!a) {
			plot_bins_free(b);
			return PLOT_ENOMEM;
		}
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (isfinite(x[i]))
				a[m++] = x[i];
		percentiles(b, a, m);
		budget_free(a);
	}
	if (b->used == 0) {
		*out = b;
		return PLOT_OK;
	}
	int made;
	if (r->set) {
		made = make_edges(b, r->lo, r->hi, bins, 1);
	} else {
		if (plot_close(blo, bhi)) { /* one value: give it some room */
			double d = blo != 0 ? fabs(blo) * 0.1 : 1;
			blo = b->log ? blo / 2 : blo - d;
			bhi = b->log ? bhi * 2 : bhi + d;
		}
		made = make_edges(b, blo, bhi, bins, o->exact);
	}
	if (made < 0) {
		plot_bins_free(b);
		return PLOT_ENOMEM;
	}
	double t0 = tr(b, b->edges[0]);
	double scale = (double)b->nbins / (tr(b, b->edges[b->nbins]) / 2 - t0 / 2);
	for (size_t i = 0; i < n; i++)
		if (classify(x[i], o) == IN)
			b->counts[bin_of(b, x[i], t0, scale)]++;
	*out = b;
	return PLOT_OK;
}

void plot_bins_free(struct plot_bins *b)
{
	if (b) {
		budget_free(b->edges);
		budget_free(b->counts);
		budget_free(b);
	}
}

int plot_bins_check(const struct plot_bins *b)
{
	if (b->used + b->nonfinite + b->nonpositive + b->below + b->above != b->n)
		return -1;
	if ((b->nbins == 0) != (b->used == 0))
		return -1;
	uint64_t sum = 0;
	for (size_t i = 0; i < b->nbins; i++) {
		if (!isfinite(b->edges[i]) || !(b->edges[i] < b->edges[i + 1]))
			return -1;
		sum += b->counts[i];
	}
	if (b->nbins && (!isfinite(b->edges[b->nbins]) || (b->log && !(b->edges[0] > 0))))
		return -1;
	if (sum != b->used)
		return -1;
	for (size_t i = 0; i < b->npcts; i++) {
		double v = b->pctval[i];
		if (isnan(b->min) ? !isnan(v) : !(v >= b->min && v <= b->max))
			return -1;
	}
	return 0;
}

/* ---- labels shared by both drawings ---- */

/* The step between round edges (in log10 units on a log scale). */
static struct plot_step edge_step(const struct plot_bins *b)
{
	if (b->step_mant)
		return (struct plot_step){b->step_mant, b->step_exp};
	double w = tr(b, b->edges[1]) - tr(b, b->edges[0]);
	return plot_step_nice(w * (1 - 1e-9));
}

/* Labels for every edge, in LAB (nbins + 1 of them). */
static void edge_labels(const struct plot_bins *b, char (*lab)[PLOT_NUMLEN])
{
	size_t nb = b->nbins;
	if (b->log) {
		for (size_t i = 0; i <= nb; i++)
			plot_fmt_logtick(lab[i], b->edges[i]);
		return;
	}
	if (b->round) {
		struct plot_step s = edge_step(b);
		double maxabs = fmax(fabs(b->edges[0]), fabs(b->edges[nb]));
		for (size_t i = 0; i <= nb; i++)
			plot_fmt_tick(lab[i], b->edges[i], s, maxabs);
		return;
	}
	for (int sig = 3; sig <= 10; sig++) { /* enough digits to tell edges apart */
		int distinct = 1;
		for (size_t i = 0; i <= nb; i++) {
			plot_fmt_auto(lab[i], b->edges[i], sig);
			if (i > 0 && strcmp(lab[i], lab[i - 1]) == 0)
				distinct = 0;
		}
		if (distinct)
			break;
	}
}

/*
 * An integer per edge saying how round it is: edge i is labelled when its
 * key is a multiple of the stride. LONG_MIN marks edges never labelled (on
 * a log scale with round edges, all but the powers of ten when there are
 * two or more of them).
 */
static int whole(double t)
{
	return fabs(t - round(t)) < 1e-9;
}

static void edge_keys(const struct plot_bins *b, long *key)
{
	size_t nb = b->nbins;
	if (!b->round) {
		for (size_t i = 0; i <= nb; i++)
			key[i] = (long)i;
		return;
	}
	struct plot_step s = edge_step(b);
	double st = plot_step_value(s);
	long a = lround(tr(b, b->edges[0]) / st);
	int decades = 0;
	for (size_t i = 0; i <= nb && b->log; i++)
		decades += whole(tr(b, b->edges[i]));
	for (size_t i = 0; i <= nb; i++) {
		key[i] = a + (long)i;
		if (b->log && decades >= 2) {
			double t = tr(b, b->edges[i]);
			key[i] = whole(t) ? lround(t) : LONG_MIN;
		}
	}
}

static void pct_name(char *buf, double p)
{
	buf[0] = 'p';
	plot_fmt_auto(buf + 1, p, 4); /* p in (0, 100]: a few characters */
}

/* The summary ("n=... min=... mean=... max=... p50=...") and the notes. */
static void summary(struct sbuf *out, const struct plot_bins *b, int W, int utf8)
{
	char buf[4 + PLOT_MAX_PCTS][2 * PLOT_NUMLEN + 8], num[PLOT_NUMLEN], name[PLOT_NUMLEN];
	const char *words[4 + PLOT_MAX_PCTS];
	size_t k = 0;
	snprintf(buf[k], sizeof buf[k], "n=%llu", (unsigned long long)b->n);
	words[k] = buf[k], k++;
	if (!isnan(b->min)) {
		plot_fmt_auto(num, b->min, 4);
		snprintf(buf[k], sizeof buf[k], "min=%s", num);
		words[k] = buf[k], k++;
		plot_fmt_auto(num, b->mean, 4);
		snprintf(buf[k], sizeof buf[k], "mean=%s", num);
		words[k] = buf[k], k++;
		plot_fmt_auto(num, b->max, 4);
		snprintf(buf[k], sizeof buf[k], "max=%s", num);
		words[k] = buf[k], k++;
		for (size_t i = 0; i < b->npcts; i++) {
			pct_name(name, b->pct[i]);
			plot_fmt_auto(num, b->pctval[i], 4);
			snprintf(buf[k], sizeof buf[k], "%s=%s", name, num);
			words[k] = buf[k], k++;
		}
	}
	plot_words(out, words, k, W, utf8);

	struct sbuf note = SBUF_INIT;
	if (b->nonfinite)
		sbuf_addf(&note, ", %llu non-finite", (unsigned long long)b->nonfinite);
	if (b->nonpositive)
		sbuf_addf(&note, ", %llu <= 0 (log scale)", (unsigned long long)b->nonpositive);
	if (b->below)
		sbuf_addf(&note, ", %llu below the range", (unsigned long long)b->below);
	if (b->above)
		sbuf_addf(&note, ", %llu above the range", (unsigned long long)b->above);
	if (note.len)
		plot_note(out, W, utf8, "note: not binned: %s", sbuf_str(&note) + 2);
	sbuf_free(&note);
}

/* ---- vertical ---- */

struct count_axis {
	struct plot_step step;
	double top;             /* the highest tick; the top of the columns */
	int nticks;
	double tick[12];
	char lab[12][PLOT_NUMLEN];
	int labw;
};

static void count_axis(struct count_axis *ax, const struct plot_bins *b, int H)
{
	uint64_t cmax = 1;
	for (size_t i = 0; i < b->nbins; i++)
		cmax = b->counts[i] > cmax ? b->counts[i] : cmax;
	int maxint = H / 3 > 1 ? H / 3 : 1;
	if (maxint > 10)
		maxint = 10;
	struct plot_step s = plot_step_nice((double)cmax / maxint);
	if (plot_step_value(s) < 1)
		s = (struct plot_step){10, -1};
	if (s.mant == 25 && s.exp == -1) /* counts are whole: no 2.5 */
		s = plot_step_next(s);
	double k = ceil((double)cmax / plot_step_value(s));
	ax->step = s;
	ax->top = plot_step_mul(s, k);
	ax->nticks = (int)k + 1;
	ax->labw = 0;
	for (int i = 0; i < ax->nticks; i++) {
		ax->tick[i] = plot_step_mul(s, i);
		plot_fmt_tick(ax->lab[i], ax->tick[i], s, ax->top);
		int w = (int)strlen(ax->lab[i]);
		ax->labw = w > ax->labw ? w : ax->labw;
	}
}

/* Which edges get a label; writes 1/0 into CHOSEN. G is the gutter, CW the
 * columns per bin. */
static void choose_edge_labels(const struct plot_bins *b, char (*lab)[PLOT_NUMLEN], int g, int cw,
			       int W, char *chosen)
{
	size_t nb = b->nbins;
	long *key = xmalloc((nb + 1) * sizeof *key);
	edge_keys(b, key);
	for (long k = 1;; k++) {
		int prev_end = -2, fits = 1, count = 0;
		for (size_t i = 0; i <= nb; i++) {
			chosen[i] = key[i] != LONG_MIN && ((key[i] % k) + k) % k == 0;
			if (!chosen[i])
				continue;
			int len = (int)strlen(lab[i]);
			int start = g + (int)i * cw - len / 2;
			if (start + len > W)
				start = W - len;
			if (start < 0)
				start = 0;
			if (start <= prev_end)
				fits = 0;
			prev_end = start + len;
			count++;
		}
		if (fits || count <= 1)
			break;
	}
	free(key);
}

static void hist_vertical(struct sbuf *out, const struct plot_bins *b,
			  const struct plot_hist_opts *o, const struct count_axis *ax, int H)
{
	int W = o->style.width, utf8 = o->style.utf8;
	size_t nb = b->nbins;
	int g = ax->labw + 2, P = W - g;
	int cw = (P - 1) / (int)nb;
	int span = (int)nb * cw;

	long *fill = xmalloc(nb * sizeof *fill); /* eighths (utf8) or cells (ASCII) */
	for (size_t i = 0; i < nb; i++) { /* a bin that is not empty never looks empty */
		double f = (double)b->counts[i] / ax->top * H * (utf8 ? 8 : 1);
		fill[i] = lround(f);
		if (b->counts[i] > 0 && fill[i] == 0)
			fill[i] = utf8 ? 1 : -1; /* ASCII: '.' */
	}
	int *tickrow = xmalloc((size_t)H * sizeof *tickrow);
	for (int r = 0; r < H; r++)
		tickrow[r] = -1;
	for (int t = 1; t < ax->nticks; t++) {
		long r = lround(ax->tick[t] / ax->top * H) - 1;
		if (r >= 0 && r < H && tickrow[r] < 0)
			tickrow[r] = t;
	}
	char(*lab)[PLOT_NUMLEN] = xmalloc((nb + 1) * sizeof *lab);
	char *chosen = xmalloc(nb + 1);
	edge_labels(b, lab);
	choose_edge_labels(b, lab, g, cw, W, chosen);

	for (int r = H - 1; r >= 0; r--) {
		size_t start = out->len;
		plot_text_right(out, tickrow[r] >= 0 ? ax->lab[tickrow[r]] : "", ax->labw, 0);
		sbuf_addc(out, ' ');
		sbuf_adds(out, tickrow[r] >= 0 ? (utf8 ? "\xe2\x94\xa4" : "+")
					       : (utf8 ? "\xe2\x94\x82" : "|"));
		for (size_t i = 0; i < nb; i++) {
			long f = utf8 ? fill[i] - (long)r * 8 : (fill[i] > r ? 8 : 0);
			f = f < 0 ? 0 : f > 8 ? 8 : f;
			const char *glyph = utf8 ? lower[f] : f ? "#" : " ";
			if (!utf8 && r == 0 && fill[i] < 0) /* a few samples, under half a row */
				glyph = ".";
			for (int c = 0; c < cw; c++)
				sbuf_adds(out, glyph);
		}
		plot_line_end(out, start);
	}
	size_t start = out->len; /* the axis */
	plot_text_right(out, ax->lab[0], ax->labw, 0);
	sbuf_addc(out, ' ');
	sbuf_adds(out, utf8 ? "\xe2\x94\x94" : "+");
	for (int c = 0; c <= span; c++) {
		int tick = c % cw == 0 && chosen[c / cw];
		sbuf_adds(out, tick ? (utf8 ? "\xe2\x94\xac" : "+") : (utf8 ? "\xe2\x94\x80" : "-"));
	}
	plot_line_end(out, start);

	struct plot_row row; /* edge labels */
	plot_row_init(&row, W);
	for (size_t i = 0; i <= nb; i++) {
		if (!chosen[i])
			continue;
		int len = (int)strlen(lab[i]);
		int s = g + (int)i * cw - len / 2;
		s = s + len > W ? W - len : s;
		plot_row_text(&row, s < 0 ? 0 : s, lab[i]);
	}
	plot_row_emit(out, &row);
	if (o->xlabel && *o->xlabel) {
		int w = plot_text_width(o->xlabel, utf8);
		int s = g + (span - w) / 2;
		s = s + w > W ? W - w : s;
		start = out->len;
		for (int i = 0; i < s; i++)
			sbuf_addc(out, ' ');
		plot_text_put(out, o->xlabel, W - (s > 0 ? s : 0), utf8);
		plot_line_end(out, start);
	}

	/* percentile markers, left to right, on up to three rows */
	struct plot_row mark[3];
	int used_rows = 0;
	for (int k = 0; k < 3; k++)
		plot_row_init(&mark[k], W);
	size_t order[PLOT_MAX_PCTS], np = 0;
	for (size_t i = 0; i < b->npcts; i++) {
		size_t j = np++;
		for (; j > 0 && b->pctval[order[j - 1]] > b->pctval[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	double t0 = tr(b, b->edges[0]), t1 = tr(b, b->edges[nb]);
	for (size_t n = 0; n < np; n++) {
		double v = b->pctval[order[n]];
		if (!(v >= b->edges[0] && v <= b->edges[nb]))
			continue;
		char name[PLOT_NUMLEN];
		pct_name(name, b->pct[order[n]]);
		int len = (int)strlen(name);
		int col = g + (int)floor((tr(b, v) / 2 - t0 / 2) / (t1 / 2 - t0 / 2) * span);
		col = col >= g + span ? g + span - 1 : col;
		int s = col + 1 + len <= W ? col : col - len; /* name after the marker, or before */
		for (int k = 0; k < 3; k++) {
			if (!plot_row_blank(&mark[k], s - 1, s + len + 2))
				continue;
			plot_row_glyph(&mark[k], col, utf8 ? "\xe2\x96\xb2" : "^");
			plot_row_text(&mark[k], s == col ? col + 1 : s, name);
			used_rows = k + 1 > used_rows ? k + 1 : used_rows;
			break;
		}
	}
	for (int k = 0; k < used_rows; k++)
		plot_row_emit(out, &mark[k]);
	for (int k = 0; k < 3; k++)
		plot_row_free(&mark[k]);
	plot_row_free(&row);
	free(chosen);
	free(lab);
	free(tickrow);
	free(fill);
}

/* ---- horizontal ---- */

static void hist_horizontal(struct sbuf *out, const struct plot_bins *b,
			    const struct plot_hist_opts *o)
{
	int W = o->style.width, utf8 = o->style.utf8;
	size_t nb = b->nbins;
	char(*lab)[PLOT_NUMLEN] = xmalloc((nb + 1) * sizeof *lab);
	char(*cnt)[PLOT_NUMLEN] = xmalloc(nb * sizeof *cnt);
	struct sbuf *ann = xcalloc(nb, sizeof *ann);
	edge_labels(b, lab);
	int w1 = 0, w2 = 0, cwid = 0, aw = 0;
	uint64_t cmax = 1;
	for (size_t i = 0; i < nb; i++) {
		int a = (int)strlen(lab[i]), z = (int)strlen(lab[i + 1]);
		w1 = a > w1 ? a : w1;
		w2 = z > w2 ? z : w2;
		cmax = b->counts[i] > cmax ? b->counts[i] : cmax;
	}
	int compact = snprintf(NULL, 0, "%llu", (unsigned long long)cmax) > W / 4;
	for (size_t i = 0; i < nb; i++) {
		if (compact)
			plot_fmt_value(cnt[i], (double)b->counts[i], "%.3g", PLOT_NUMLEN - 1);
		else
			snprintf(cnt[i], PLOT_NUMLEN, "%llu", (unsigned long long)b->counts[i]);
		int w = (int)strlen(cnt[i]);
		cwid = w > cwid ? w : cwid;
	}
	for (size_t p = 0; p < b->npcts; p++) { /* "◂ p50 p99" on the bin of each */
		double v = b->pctval[p];
		if (!(v >= b->edges[0] && v <= b->edges[nb]))
			continue;
		size_t i = 0;
		while (i + 1 < nb && v >= b->edges[i + 1])
			i++;
		char name[PLOT_NUMLEN];
		pct_name(name, b->pct[p]);
		sbuf_addf(&ann[i], "%s%s", ann[i].len ? " " : (utf8 ? "\xe2\x97\x82 " : "< "), name);
		int w = plot_text_width(sbuf_str(&ann[i]), utf8);
		aw = w > aw ? w : aw;
	}
	const char *sep = utf8 ? " \xe2\x80\x93 " : " - ";
	int L = w1 + 3 + w2;
	if (L > W * 2 / 5)
		L = W * 2 / 5;
	int bw = W - L - 2 - cwid - (aw ? aw + 1 : 0);
	if (bw < 4 && aw)
		aw = 0, bw = W - L - 2 - cwid;
	if (bw < 4) {
		L -= 4 - bw;
		L = L < 1 ? 1 : L;
		bw = W - L - 2 - cwid;
	}
	struct sbuf label = SBUF_INIT;
	for (size_t i = 0; i < nb; i++) {
		size_t start = out->len;
		sbuf_truncate(&label, 0);
		plot_text_right(&label, lab[i], w1, 0);
		sbuf_adds(&label, sep);
		plot_text_right(&label, lab[i + 1], w2, 0);
		plot_text_left(out, sbuf_str(&label), L, utf8);
		sbuf_addc(out, ' ');
		long e = lround((double)b->counts[i] / (double)cmax * bw * 8);
		int used;
		if (b->counts[i] > 0 && e < (utf8 ? 1 : 4)) { /* never looks empty */
			sbuf_adds(out, utf8 ? "\xe2\x96\x8f" : ".");
			used = 1;
		} else {
			used = plot_hbar(out, e, bw, utf8);
		}
		for (int c = used; c < bw; c++)
			sbuf_addc(out, ' ');
		sbuf_addc(out, ' ');
		plot_text_right(out, cnt[i], cwid, 0);
		if (aw && ann[i].len) {
			sbuf_addc(out, ' ');
			plot_text_put(out, sbuf_str(&ann[i]), aw, utf8);
		}
		plot_line_end(out, start);
	}
	if (o->xlabel && *o->xlabel)
		plot_note(out, W, utf8, "%s", o->xlabel);
	sbuf_free(&label);
	for (size_t i = 0; i < nb; i++)
		sbuf_free(&ann[i]);
	free(ann);
	free(cnt);
	free(lab);
}

int plot_histogram(struct sbuf *out, const double *x, size_t n, const struct plot_hist_opts *o)
{
	int err = plot_style_check(&o->style);
	if (err)
		return err;
	int H = o->height ? o->height : DEFAULT_HEIGHT;
	if (H < 2 || H > PLOT_MAX_HEIGHT)
		return PLOT_EHEIGHT;
	struct plot_hist_opts opts = *o;
	struct plot_bins *b;
	if ((err = plot_bins_compute(&b, x, n, &opts)) != PLOT_OK)
		return err;
	struct count_axis ax;
	if (!o->horizontal && b->nbins > 0) {
		/* at most one bin per column (and one column for the last edge):
		 * fewer round bins, then if need be exactly as many as fit */
		opts.bins = opts.bins ? opts.bins : DEFAULT_BINS;
		for (int tries = 0;; tries++) {
			count_axis(&ax, b, H);
			int room = o->style.width - (ax.labw + 2) - 1;
			if ((int)b->nbins <= room)
				break;
			if (tries < 4 && opts.bins > 1) {
				opts.bins = opts.bins > room ? room : opts.bins - 1;
			} else {
				opts.exact = 1;
				opts.bins = room > 1 ? room : 1;
			}
			plot_bins_free(b);
			if ((err = plot_bins_compute(&b, x, n, &opts)) != PLOT_OK)
				return err;
		}
	}
	plot_title(out, &o->style);
	if (b->nbins == 0)
		plot_note(out, o->style.width, o->style.utf8, "(no data)");
	else if (o->horizontal)
		hist_horizontal(out, b, o);
	else
		hist_vertical(out, b, o, &ax, H);
	summary(out, b, o->style.width, o->style.utf8);
	plot_bins_free(b);
	return PLOT_OK;
}
