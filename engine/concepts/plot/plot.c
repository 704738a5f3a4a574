/*
 * plot.c — horizontal bars and sparklines; error messages. See plot.h.
 * Histograms are in plot_hist.c, line plots in plot_lines.c, the shared
 * text and number machinery in plot_layout.c.
 */
#include "engine/concepts/plot/plot_impl.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Left-aligned eighths of a cell: "", ▏ ▎ ▍ ▌ ▋ ▊ ▉, █. */
static const char *const eighth[9] = {
	"",   "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88",
};
#define FULL "\xe2\x96\x88"      /* █ */
#define RIGHT_HALF "\xe2\x96\x90" /* ▐ */
#define VBAR "\xe2\x94\x82"       /* │ */
#define ARROW_R "\xe2\x96\xb8"    /* ▸ */
#define ARROW_L "\xe2\x97\x82"    /* ◂ */

const char *plot_strerror(int err)
{
	switch (err) {
	case PLOT_OK:
		return "no error";
	case PLOT_EWIDTH:
		return "width must be between 16 and 1000 columns";
	case PLOT_EHEIGHT:
		return "height must be between 2 and 200 rows";
	case PLOT_EFORMAT:
		return "format must be \"auto\", \"percent\" or a printf format with one number "
		       "conversion such as \"%.2f\"";
	case PLOT_ERANGE:
		return "limits must be two finite numbers, lo < hi (and lo > 0 on a log scale)";
	case PLOT_EBINS:
		return "bins must be between 1 and 500";
	case PLOT_ENOMEM:
		return "not enough memory";
	case PLOT_EPCT:
		return "percentiles must be at most 8 numbers in (0, 100]";
	case PLOT_ESERIES:
		return "too many series (at most 34)";
	}
	return "unknown error";
}

int plot_hbar(struct sbuf *sb, long eighths, int cols, int utf8)
{
	if (eighths < 0)
		eighths = 0;
	if (eighths > (long)cols * 8)
		eighths = (long)cols * 8;
	if (!utf8) {
		long n = (eighths + 4) / 8;
		for (long i = 0; i < n; i++)
			sbuf_addc(sb, '#');
		return (int)n;
	}
	long full = eighths / 8;
	for (long i = 0; i < full; i++)
		sbuf_adds(sb, FULL);
	sbuf_adds(sb, eighth[eighths % 8]);
	return (int)(full + (eighths % 8 ? 1 : 0));
}

/* ---- bars ---- */

#define LIMIT 1e300 /* scales stay within +-LIMIT, so their spans are finite */

struct scale {
	double lo, hi, origin; /* bars grow from origin, lo <= origin <= hi */
	int ncols, pcols;      /* columns left and right of the axis */
	int axis;              /* 1: an axis column between them */
};

/* Appends the bar area (ncols + axis + pcols columns) for value V. */
static void bar_cells(struct sbuf *sb, const struct scale *sc, double v, int utf8)
{
	if (sc->ncols > 0) { /* grows left, in half cells (whole cells in ASCII) */
		int res = utf8 ? 2 : 1;
		long e = 0;
		int over = v < sc->lo;
		if (v < sc->origin)
			e = over ? (long)sc->ncols * res
				 : lround((sc->origin - v) / (sc->origin - sc->lo) * sc->ncols * res);
		long full = e / res, half = e % res;
		long blank = sc->ncols - full - half;
		for (long i = 0; i < blank; i++)
			sbuf_addc(sb, ' ');
		if (half)
			sbuf_adds(sb, RIGHT_HALF);
		for (long i = 0; i < full; i++)
			sbuf_adds(sb, over && i == 0 ? (utf8 ? ARROW_L : "<") : (utf8 ? FULL : "#"));
	}
	if (sc->axis)
		sbuf_adds(sb, utf8 ? VBAR : "|");
	if (sc->pcols > 0) {
		long e = 0;
		int over = v > sc->hi;
		if (v > sc->origin)
			e = over ? (long)sc->pcols * 8
				 : lround((v - sc->origin) / (sc->hi - sc->origin) * sc->pcols * 8);
		int used;
		if (over) {
			used = plot_hbar(sb, e - 8, sc->pcols - 1, utf8);
			sbuf_adds(sb, utf8 ? ARROW_R : ">");
			used++;
		} else {
			used = plot_hbar(sb, e, sc->pcols, utf8);
		}
		for (int i = used; i < sc->pcols; i++)
			sbuf_addc(sb, ' ');
	}
}

/* The scale of the bars: [lo, hi] from the data and the options. */
static void bars_range(const struct plot_bar *bars, size_t n, const struct plot_bars_opts *o,
		       double *lo, double *hi)
{
	double dlo = 0, dhi = 0;
	for (size_t i = 0; i < n; i++) {
		if (isfinite(bars[i].value)) {
			dlo = fmin(dlo, bars[i].value);
			dhi = fmax(dhi, bars[i].value);
		}
	}
	*lo = o->has_min ? o->min : fmax(dlo, -LIMIT);
	*hi = o->has_max ? o->max : fmin(dhi, LIMIT);
	if (!(*lo < *hi)) {
		if (o->has_max)
			*lo = *hi - (*hi != 0 ? fabs(*hi) : 1);
		else
			*hi = *lo + (*lo != 0 ? fabs(*lo) : 1);
	}
}

int plot_bars(struct sbuf *out, const struct plot_bar *bars, size_t n,
	      const struct plot_bars_opts *o)
{
	int err = plot_style_check(&o->style);
	if (err)
		return err;
	if (!plot_format_valid(o->format))
		return PLOT_EFORMAT;
	if ((o->has_min && !(fabs(o->min) <= LIMIT)) || (o->has_max && !(fabs(o->max) <= LIMIT)) ||
	    (o->has_min && o->has_max && !(o->min < o->max)))
		return PLOT_ERANGE;
	int W = o->style.width, utf8 = o->style.utf8;
	char(*val)[PLOT_NUMLEN] = budget_calloc(n ? n : 1, sizeof *val);
	if (!val)
		return PLOT_ENOMEM;
	plot_title(out, &o->style);

	size_t shown = 0, skipped = 0;
	int lw = 0, vw = 0, vcap = W / 4 > 10 ? W / 4 : 10;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(bars[i].value)) {
			skipped++;
			continue;
		}
		shown++;
		plot_fmt_value(val[i], bars[i].value, o->format, vcap);
		int w = plot_text_width(val[i], utf8);
		int l = plot_text_width(bars[i].label, utf8);
		vw = w > vw ? w : vw;
		lw = l > lw ? l : lw;
	}
	if (shown == 0) {
		plot_note(out, W, utf8, "(no data)");
	} else {
		struct scale sc;
		bars_range(bars, n, o, &sc.lo, &sc.hi);
		sc.origin = sc.lo > 0 ? sc.lo : sc.hi < 0 ? sc.hi : 0;
		int avail = W - vw - 1;         /* label, space, bars */
		int lcap = avail * 2 / 5;
		lw = lw < lcap ? lw : lcap;
		int bw = avail - (lw > 0 ? lw + 1 : 0);
		sc.axis = sc.lo < sc.origin;
		int cols = bw - sc.axis;
		sc.ncols = sc.axis ? (int)lround(cols * (sc.origin - sc.lo) / (sc.hi - sc.lo)) : 0;
		sc.pcols = cols - sc.ncols;
		for (size_t i = 0; i < n; i++) {
			if (!isfinite(bars[i].value))
				continue;
			size_t start = out->len;
			if (lw > 0) {
				plot_text_left(out, bars[i].label ? bars[i].label : "", lw, utf8);
				sbuf_addc(out, ' ');
			}
			bar_cells(out, &sc, bars[i].value, utf8);
			sbuf_addc(out, ' ');
			plot_text_right(out, val[i], vw, utf8);
			plot_line_end(out, start);
		}
	}
	if (skipped)
		plot_note(out, W, utf8, "note: %zu non-finite value%s skipped", skipped,
			  skipped == 1 ? "" : "s");
	budget_free(val);
	return PLOT_OK;
}

/* ---- sparklines ---- */

static const char *const spark_utf8[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
static const char spark_ascii[] = " .:-=+*#";

int plot_sparkline(struct sbuf *out, const double *y, size_t n, const struct plot_spark_opts *o)
{
	int err = plot_style_check(&o->style);
	if (err)
		return err;
	if (o->lim.set && !(o->lim.lo < o->lim.hi && isfinite(o->lim.hi - o->lim.lo)))
		return PLOT_ERANGE;
	int W = o->style.width, utf8 = o->style.utf8;
	size_t start = out->len;
	int used = 0;
	if (o->style.title && *o->style.title) {
		used = plot_text_put(out, o->style.title, W / 3, utf8);
		sbuf_addc(out, ' ');
		used++;
	}
	double dlo = INFINITY, dhi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (isfinite(y[i]))
			dlo = fmin(dlo, y[i]), dhi = fmax(dhi, y[i]);
	if (!(dlo <= dhi)) {
		plot_text_put(out, n ? "(no finite values)" : "(no data)", W - used, utf8);
		plot_line_end(out, start);
		return PLOT_OK;
	}
	char a[PLOT_NUMLEN], b[PLOT_NUMLEN], suffix[2 * PLOT_NUMLEN + 16];
	plot_fmt_auto(a, dlo, 4);
	plot_fmt_auto(b, dhi, 4);
	snprintf(suffix, sizeof suffix, "  min %s  max %s", a, b);
	int sw = (int)strlen(suffix);
	if (W - used - sw < 8)
		sw = 0, suffix[0] = '\0';
	size_t cols = (size_t)(W - used - sw);
	if (cols > n)
		cols = n;
	double lo = o->lim.set ? o->lim.lo : dlo, hi = o->lim.set ? o->lim.hi : dhi;
	for (size_t j = 0; j < cols; j++) {
		size_t from = j * n / cols, to = (j + 1) * n / cols;
		double sum = 0;
		size_t k = 0;
		for (size_t i = from; i < to; i++)
			if (isfinite(y[i]))
				sum += y[i], k++;
		if (k == 0) {
			sbuf_addc(out, ' ');
			continue;
		}
		double v = sum / (double)k;
		int level = 3;
		if (hi > lo) {
			double f = (v / 2 - lo / 2) / (hi / 2 - lo / 2) * 8; /* no overflow */
			level = f < 0 ? 0 : f >= 7 ? 7 : (int)f;
		}
		if (utf8)
			sbuf_adds(out, spark_utf8[level]);
		else
			sbuf_addc(out, spark_ascii[level]);
	}
	sbuf_adds(out, suffix);
	plot_line_end(out, start);
	return PLOT_OK;
}
