/*
 * plot.h — charts as text for a terminal: horizontal bars, histograms,
 * sparklines, line and scatter plots.
 *
 * Every renderer appends to a caller-supplied struct sbuf (see sbuf.h): whole
 * lines, each ending in '\n', none with trailing spaces, none wider than the
 * requested width in terminal columns as utf8_width() counts them. With
 * utf8 = 0 the output is pure ASCII. There is no colour, no escape sequence
 * and no terminal query: width and UTF-8-ness are parameters, and the same
 * input always gives the same bytes.
 *
 * Input strings (titles, labels, series names) are borrowed for the call and
 * never kept. They are sanitised on output (control characters and malformed
 * UTF-8 become '?', and in ASCII mode so does anything non-ASCII) and cut
 * with an ellipsis to fit.
 *
 * Memory: what grows with the input (copies of the samples, per-point and
 * per-bar work) comes from budget_malloc (budget.h), and a refusal returns
 * PLOT_ENOMEM; working memory bounded by the caps below (rows of at most
 * PLOT_MAX_WIDTH cells, PLOT_MAX_HEIGHT rows, PLOT_MAX_BINS bins: under
 * 2 MB) is the engine's own.
 *
 * Non-finite values (NaN, +-inf) are skipped and a note line says how many.
 * Each renderer returns 0, or a negative PLOT_E* code when its options are
 * invalid, in which case nothing is appended; plot_strerror() says why.
 */
#ifndef BACKLAB_PLOT_H
#define BACKLAB_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

#define PLOT_MIN_WIDTH 16
#define PLOT_MAX_WIDTH 1000
#define PLOT_MAX_HEIGHT 200
#define PLOT_MAX_BINS 500
#define PLOT_MAX_SERIES 34  /* 8 marker shapes, then the letters A-Z */
#define PLOT_MAX_PCTS 8

enum {
	PLOT_OK = 0,
	PLOT_EWIDTH = -1,   /* width outside PLOT_MIN_WIDTH..PLOT_MAX_WIDTH */
	PLOT_EHEIGHT = -2,  /* height outside 2..PLOT_MAX_HEIGHT */
	PLOT_EFORMAT = -3,  /* not "auto", "percent" or a printf format for one number */
	PLOT_ERANGE = -4,   /* limits with lo >= hi, an infinite span, or lo <= 0 on a log scale */
	PLOT_EBINS = -5,    /* bins outside 1..PLOT_MAX_BINS */
	PLOT_EPCT = -6,     /* more than PLOT_MAX_PCTS percentiles, or one outside (0, 100] */
	PLOT_ESERIES = -7,  /* more than PLOT_MAX_SERIES series */
	PLOT_ENOMEM = -8,   /* memory ran out (budget.h) */
};

/* A static English message for a PLOT_E* code. */
const char *plot_strerror(int err);

/* What every chart takes. */
struct plot_style {
	int width;         /* columns, PLOT_MIN_WIDTH..PLOT_MAX_WIDTH */
	int utf8;          /* 1: block elements and Braille; 0: ASCII only */
	const char *title; /* first line when not NULL or "" */
};

/* A pair of limits; set = 0 (the zero value) means "from the data". */
struct plot_lim {
	int set;
	double lo, hi; /* when set: lo < hi, and hi - lo finite */
};

/*
 * Horizontal bars, one row per bar, in the given order:
 *
 *   lru  ███████████████████████████████▋          0.61
 *   lfu  ██████████████████████████████████▎       0.66
 *
 * Bars grow from zero (or from min when min > 0) with eighth-of-a-cell
 * precision (half a cell for bars growing left); when any value is negative
 * a vertical axis marks zero. A bar beyond the scale is cut and ends in an
 * arrow. Labels are aligned and cut with an ellipsis when longer than about
 * two fifths of the width; values are right-aligned in the last column.
 */
struct plot_bar {
	const char *label; /* NULL: empty */
	double value;
};

struct plot_bars_opts {
	struct plot_style style;
	int has_min, has_max; /* the scale: from min(0, data) to max(0, data) unless set */
	double min, max;      /* when set: within +-1e300, min < max */
	/*
	 * NULL or "auto": up to 4 significant digits, integers exactly;
	 * "percent": value * 100 with one decimal and '%';
	 * otherwise a printf format with exactly one conversion of a double
	 * (%f %e %g %a and upper case, or %d/%i printed as a rounded integer),
	 * flags, width and precision allowed, other text copied ("%.1f ms").
	 */
	const char *format;
};

int plot_bars(struct sbuf *out, const struct plot_bar *bars, size_t n,
	      const struct plot_bars_opts *o);

/* Returns 1 if FMT is acceptable as plot_bars_opts.format, else 0. */
int plot_format_valid(const char *fmt);

/*
 * A sparkline: one line, one column per value (the mean of consecutive
 * values when there are more values than columns), eight levels
 * ▁▂▃▄▅▆▇█ or " .:-=+*#", non-finite values as gaps, then the min and max:
 *
 *   rps ▁▂▄▆█▇▅▃▂▁  min 3  max 97
 *
 * lim fixes the scale (values outside it are clipped); the title, if any,
 * is the line's prefix.
 */
struct plot_spark_opts {
	struct plot_style style;
	struct plot_lim lim;
};

int plot_sparkline(struct sbuf *out, const double *y, size_t n, const struct plot_spark_opts *o);

/*
 * Histograms. plot_bins_compute() does the counting, plot_histogram() the
 * drawing (it computes bins with the same options).
 *
 * Bins: with range unset and exact = 0, there are exactly `bins` bins on
 * round edges (a step of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power
 * of ten) covering the samples; on a log scale, edges are round in log10
 * units and there are about `bins` of them.
 * With exact = 1, or a range given, there are exactly `bins` equal bins
 * from the range's lo to hi (default: the samples' min to max). Bins are
 * half-open [lo, hi) except the last, which is closed. With log set, bins
 * are equal in log10(x) and samples <= 0 are left out (counted).
 *
 * Percentiles (pcts, each in (0, 100]) use the nearest-rank definition: the
 * smallest sample x such that at least p% of the finite samples are <= x.
 */
struct plot_hist_opts {
	struct plot_style style;
	int bins;       /* target count, 1..PLOT_MAX_BINS; 0 means 20 */
	int exact;      /* exactly `bins` equal bins */
	int log;        /* bins equal in log10(x) */
	int horizontal; /* one row per bin, instead of one column per bin */
	int height;     /* rows of a vertical histogram; 0 means 10 */
	struct plot_lim range;
	const double *pcts; /* percentiles to compute and mark, NULL if npcts = 0 */
	size_t npcts;       /* at most PLOT_MAX_PCTS */
	const char *xlabel; /* under the axis, e.g. "latency (ms)" */
};

/*
 * The counts. Invariants (checked by plot_bins_check): edges are finite and
 * strictly increasing (and > 0 on a log scale); the counts add up to used;
 * used + nonfinite + nonpositive + below + above = n; nbins = 0 exactly when
 * there was nothing to bin; min <= every percentile <= max.
 */
struct plot_bins {
	size_t nbins;
	double *edges;    /* nbins + 1 */
	uint64_t *counts; /* nbins */
	int log;          /* edges are equal in log10 */
	int round;        /* edges are multiples of a round step (not exact bins) */
	int step_mant, step_exp; /* that step, mant * 10^exp (mant 10..80), when known */
	uint64_t n;           /* samples given */
	uint64_t used;        /* samples counted in a bin */
	uint64_t nonfinite;   /* NaN and +-inf, left out */
	uint64_t nonpositive; /* <= 0 on a log scale, left out */
	uint64_t below, above; /* outside the range that was set */
	double min, max, mean; /* of the finite samples; NAN when there are none */
	size_t npcts;
	double pct[PLOT_MAX_PCTS];   /* the p asked for, in the order given */
	double pctval[PLOT_MAX_PCTS]; /* their values; NAN when there are no finite samples */
};

/*
 * Counts the N samples X into bins as described above (only the bins,
 * range, exact, log and pcts options are used). On success stores a new
 * struct plot_bins in *OUT (free with plot_bins_free) and returns 0; on
 * invalid options returns a PLOT_E* code and stores NULL. O(n) time, plus
 * O(n) scratch memory when percentiles are asked for.
 */
int plot_bins_compute(struct plot_bins **out, const double *x, size_t n,
		      const struct plot_hist_opts *o);
void plot_bins_free(struct plot_bins *b);
/* Returns 0 if the invariants hold, else -1. */
int plot_bins_check(const struct plot_bins *b);

/*
 * Draws the histogram of the N samples X. Vertical (the default): columns
 * of block elements over labelled bin edges, a count axis, percentile
 * markers (▲p50) under the edges, then a summary line (n, min, mean, max,
 * percentiles). Horizontal: one bar per bin with its [lo, hi) range and its
 * count, the rows holding a percentile marked ◂ p50. A bin that is not
 * empty is never drawn empty (at least one eighth of a cell), so that rare
 * tail samples stay visible.
 */
int plot_histogram(struct sbuf *out, const double *x, size_t n, const struct plot_hist_opts *o);

/*
 * Line plots and scatter plots with axes. Lines are drawn with Braille dots
 * (2x4 per cell) in UTF-8, with the series' own character in ASCII. Each
 * series has a marker (● ■ ▲ ◆ ○ □ △ ◇, or * o + x # @ % &, then A-Z),
 * drawn at its data points (at every k-th point when the points are dense),
 * and a legend names them, so that colour is never needed. Axes carry round
 * tick labels (0, 0.25, 0.5; 1, 10, 100, 1k on a log scale).
 */
struct plot_series {
	const char *name; /* NULL: "1", "2"... in the legend */
	const double *x;  /* NULL: 1, 2, ..., n */
	const double *y;
	size_t n;
};

struct plot_lines_opts {
	struct plot_style style;
	int height;            /* rows of the plotting area; 0 means 15 */
	const char *xlabel, *ylabel;
	struct plot_lim xlim, ylim; /* unset: the data's range widened to round ticks */
	int logx, logy;        /* log10 axes; points <= 0 are left out (counted) */
	int points;            /* 1: scatter plot, markers only */
};

int plot_lines(struct sbuf *out, const struct plot_series *s, size_t nseries,
	       const struct plot_lines_opts *o);

/*
 * Round tick values inside [LO, HI] (LO < HI): at most MAXTICKS (>= 2) of
 * them, multiples of 1, 2, 2.5 or 5 times a power of ten (after Heckbert,
 * "Nice numbers for graph labels", Graphics Gems, 1990); with LOG, powers of
 * ten (or 1-2-5 within a decade) and LO > 0. Writes up to CAP values to OUT
 * and returns how many there are (0 when the arguments are invalid).
 */
size_t plot_ticks(double lo, double hi, int maxticks, int log, double *out, size_t cap);

#endif
