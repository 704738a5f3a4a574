/*
 * plot_lines.c — line and scatter plots with axes. See plot.h.
 *
 * The plotting area is a canvas of cells. In UTF-8 each cell is a Braille
 * pattern (Unicode block U+2800, dots numbered 1-8, dot n being bit n-1):
 * 2 columns by 4 rows of dots, so lines are drawn at twice the horizontal
 * and four times the vertical resolution of the text. That is for one
 * series (or points only): Braille dots are all alike, so with several
 * lines each cell holds the marker of the last series drawn through it (● ■ ▲ ..., or * o + ... in
 * ASCII), and the series are told apart all along their lines, not only at
 * their points. Never by colour: a plot is a string learners and checks
 * keep, compare and print anywhere.
 *
 * Segments are clipped to the plotting area (Liang & Barsky, "A new concept
 * and method for line clipping", ACM TOG 3(1), 1984) and then stepped one
 * dot at a time (a DDA), so a point far outside costs no more than one
 * inside.
 */
#include "engine/concepts/plot/plot_impl.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_HEIGHT 15
#define MAXTICKS 16
#define LIMIT 1e300 /* data beyond this magnitude is clipped, so ranges stay finite */

static const char *const marker_utf8[8] = {
	"\xe2\x97\x8f", "\xe2\x96\xa0", "\xe2\x96\xb2", "\xe2\x97\x86", /* ● ■ ▲ ◆ */
	"\xe2\x97\x8b", "\xe2\x96\xa1", "\xe2\x96\xb3", "\xe2\x97\x87", /* ○ □ △ ◇ */
};
static const char marker_ascii[] = "*o+x#@%&";

static void marker(char out[5], size_t si, int utf8)
{
	if (si < 8 && utf8) {
		strcpy(out, marker_utf8[si]);
	} else {
		out[0] = si < 8 ? marker_ascii[si] : (char)('A' + (si - 8));
		out[1] = '\0';
	}
}

/* ---- axes ---- */

struct axis {
	int log;
	double lo, hi;   /* limits in data units */
	double tlo, thi; /* the same, log10'd on a log scale */
	size_t nt;
	double tick[MAXTICKS];
	char lab[MAXTICKS][PLOT_NUMLEN];
	int labw; /* the widest label */
};

static double frac(const struct axis *a, double v)
{
	return ((a->log ? log10(v) : v) - a->tlo) / (a->thi - a->tlo);
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Sets the limits of A (from LIM, or the data's [DLO, DHI] widened) and its ticks. */
static void axis_make(struct axis *a, const struct plot_lim *lim, double dlo, double dhi,
		      int log, int maxticks)
{
	double lo, hi;
	double min = log ? 1 / LIMIT : -LIMIT;
	if (lim->set) {
		lo = lim->lo, hi = lim->hi;
	} else if (!(dlo <= dhi)) { /* no data */
		lo = log ? 1 : 0;
		hi = log ? 10 : 1;
	} else {
		lo = clampd(dlo, min, LIMIT);
		hi = clampd(dhi, min, LIMIT);
		plot_widen(&lo, &hi, maxticks, log);
	}
	a->log = log;
	a->lo = lo, a->hi = hi;
	a->tlo = log ? log10(lo) : lo;
	a->thi = log ? log10(hi) : hi;
	struct plot_step step = {10, 0};
	a->nt = plot_axis_ticks(lo, hi, maxticks, log, &step, a->tick, MAXTICKS);
	a->nt = a->nt > MAXTICKS ? MAXTICKS : a->nt;
	double maxabs = 0;
	for (size_t i = 0; i < a->nt; i++)
		maxabs = fmax(maxabs, fabs(a->tick[i]));
	a->labw = 0;
	for (size_t i = 0; i < a->nt; i++) {
		if (log)
			plot_fmt_logtick(a->lab[i], a->tick[i]);
		else
			plot_fmt_tick(a->lab[i], a->tick[i], step, maxabs);
		int w = (int)strlen(a->lab[i]);
		a->labw = w > a->labw ? w : a->labw;
	}
}

/* ---- the canvas ---- */

struct canvas {
	int w, h;             /* cells */
	int sx, sy;           /* dots per cell: 2x4 (Braille) or 1x1 */
	int utf8;             /* markers may be non-ASCII */
	int braille;          /* cells are Braille dots (one series in UTF-8) */
	unsigned char *dots;  /* Braille bits per cell */
	signed char *owner;   /* ASCII: the series drawn through the cell, or -1 */
	uint64_t *through;    /* not Braille: bit si set when series si passes the cell */
	signed char *mark;    /* the series whose marker is on the cell, or -1 */
};

static void canvas_init(struct canvas *c, int w, int h, int utf8, int braille)
{
	size_t n = (size_t)w * (size_t)h;
	c->w = w, c->h = h, c->utf8 = utf8, c->braille = braille;
	c->sx = braille ? 2 : 1;
	c->sy = braille ? 4 : 1;
	c->dots = xcalloc(n, 1);
	c->through = braille ? NULL : xcalloc(n, sizeof *c->through);
	c->owner = xmalloc(n);
	c->mark = xmalloc(n);
	memset(c->owner, -1, n);
	memset(c->mark, -1, n);
}

static void canvas_free(struct canvas *c)
{
	free(c->dots);
	free(c->through);
	free(c->owner);
	free(c->mark);
}

/* Dot coordinates of the fractions (FX, FY) of the area, (0, 0) at bottom left. */
static void to_dots(const struct canvas *c, double fx, double fy, double *x, double *y)
{
	*x = fx * (c->w * c->sx - 1);
	*y = (1 - fy) * (c->h * c->sy - 1);
}

static int cell_col(const struct canvas *c, double fx)
{
	return (int)lround(fx * (c->w * c->sx - 1)) / c->sx;
}

static int cell_row(const struct canvas *c, double fy)
{
	return (int)lround((1 - fy) * (c->h * c->sy - 1)) / c->sy;
}

static void dot(struct canvas *c, long x, long y, int si)
{
	static const unsigned char bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	if (x < 0 || y < 0 || x >= (long)c->w * c->sx || y >= (long)c->h * c->sy)
		return;
	size_t cell = (size_t)(y / c->sy) * (size_t)c->w + (size_t)(x / c->sx);
	if (c->braille) {
		c->dots[cell] |= bit[y % 4][x % 2];
	} else {
		c->owner[cell] = (signed char)si;
		c->through[cell] |= (uint64_t)1 << si;
	}
}

/* Liang-Barsky: clips the segment to [0, 1]^2; returns 0 if nothing is left. */
static int clip(double *x0, double *y0, double *x1, double *y1)
{
	const double e = 1e-9;
	double dx = *x1 - *x0, dy = *y1 - *y0, t0 = 0, t1 = 1;
	double p[4] = {-dx, dx, -dy, dy};
	double q[4] = {*x0 + e, 1 + e - *x0, *y0 + e, 1 + e - *y0};
	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		double r = q[i] / p[i];
		if (p[i] < 0) {
			if (r > t1)
				return 0;
			t0 = r > t0 ? r : t0;
		} else {
			if (r < t0)
				return 0;
			t1 = r < t1 ? r : t1;
		}
	}
	double ax = *x0 + t0 * dx, ay = *y0 + t0 * dy;
	*x1 = clampd(*x0 + t1 * dx, 0, 1);
	*y1 = clampd(*y0 + t1 * dy, 0, 1);
	*x0 = clampd(ax, 0, 1);
	*y0 = clampd(ay, 0, 1);
	return 1;
}

static void segment(struct canvas *c, double fx0, double fy0, double fx1, double fy1, int si)
{
	if (!clip(&fx0, &fy0, &fx1, &fy1))
		return;
	double x0, y0, x1, y1;
	to_dots(c, fx0, fy0, &x0, &y0);
	to_dots(c, fx1, fy1, &x1, &y1);
	double steps = ceil(fmax(fabs(x1 - x0), fabs(y1 - y0)));
	if (steps < 1)
		steps = 1;
	for (double i = 0; i <= steps; i++)
		dot(c, lround(x0 + (x1 - x0) * i / steps), lround(y0 + (y1 - y0) * i / steps), si);
}

/* ---- the plot ---- */

struct counts {
	size_t nonfinite, nonpositive, outside;
};

static int inside(double f)
{
	return f >= -1e-9 && f <= 1 + 1e-9;
}

static double xof(const struct plot_series *s, size_t i)
{
	return s->x ? s->x[i] : (double)(i + 1);
}

/* 1 if point I of S can be placed on the axes (finite, > 0 on a log axis). */
static int valid(const struct plot_series *s, size_t i, int logx, int logy)
{
	double x = xof(s, i), y = s->y[i];
	return isfinite(x) && isfinite(y) && (!logx || x > 0) && (!logy || y > 0);
}

/*
 * Draws series SI's line (unless POINTS) and lists in MARKS (one cell per
 * point, room for s->n) the cells of the points that get a marker; returns
 * how many.
 */
static size_t draw_series(struct canvas *c, const struct plot_series *s, size_t si, size_t ns,
			  const struct axis *ax, const struct axis *ay, int points,
			  struct counts *k, size_t *marks)
{
	size_t nvalid = 0;
	for (size_t i = 0; i < s->n; i++)
		nvalid += valid(s, i, ax->log, ay->log);
	size_t maxmarks = (size_t)(c->w / 6 > 2 ? c->w / 6 : 2);
	size_t stride = points || nvalid <= maxmarks ? 1 : (nvalid + maxmarks - 1) / maxmarks;
	size_t offset = stride * si / (ns ? ns : 1); /* so that series do not mark the same x */
	int have_prev = 0;
	double px = 0, py = 0;
	size_t v = 0, nmarks = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!valid(s, i, ax->log, ay->log)) {
			double x = xof(s, i), y = s->y[i];
			if (!isfinite(x) || !isfinite(y))
				k->nonfinite++;
			else
				k->nonpositive++;
			have_prev = 0; /* a gap in the line */
			continue;
		}
		double fx = frac(ax, xof(s, i)), fy = frac(ay, s->y[i]);
		if (!points)
			segment(c, have_prev ? px : fx, have_prev ? py : fy, fx, fy, (int)si);
		if (inside(fx) && inside(fy)) {
			if (v % stride == offset % stride)
				marks[nmarks++] = (size_t)cell_row(c, clampd(fy, 0, 1)) * (size_t)c->w +
						  (size_t)cell_col(c, clampd(fx, 0, 1));
		} else {
			k->outside++;
		}
		px = fx, py = fy, have_prev = 1;
		v++;
	}
	return nmarks;
}

/*
 * Puts the markers on the canvas. Where series meet, a cell can hold only
 * one: the first series to claim it keeps it, and the series take turns at
 * claiming (series r mod ns goes first for the r-th marker of each), so
 * that every series keeps markers of its own where the curves run together.
 */
static void place_marks(struct canvas *c, size_t ns, size_t *const *marks, const size_t *nmarks)
{
	size_t most = 0;
	for (size_t si = 0; si < ns; si++)
		most = nmarks[si] > most ? nmarks[si] : most;
	for (size_t r = 0; r < most; r++)
		for (size_t k = 0; k < ns; k++) {
			size_t si = (r + k) % ns;
			if (r < nmarks[si] && c->mark[marks[si][r]] < 0)
				c->mark[marks[si][r]] = (signed char)si;
		}
}

/* The cell's glyph: a marker, Braille dots, a series' character, or blank. */
static void cell_glyph(const struct canvas *c, size_t cell, char out[5])
{
	if (c->mark[cell] >= 0) {
		marker(out, (size_t)c->mark[cell], c->utf8);
	} else if (c->braille && c->dots[cell]) {
		unsigned char b = c->dots[cell]; /* U+2800 + b in UTF-8 */
		out[0] = (char)0xE2;
		out[1] = (char)(0xA0 | (b >> 6));
		out[2] = (char)(0x80 | (b & 0x3F));
		out[3] = '\0';
	} else if (!c->braille && c->owner[cell] >= 0) {
		/* where lines run together, the cells take turns: every series stays
		 * visible instead of the last one drawn hiding the others */
		uint64_t m = c->through[cell];
		int k = 0;
		for (uint64_t b = m; b; b &= b - 1)
			k++;
		int pick = (int)(cell % (size_t)k), si = 0;
		for (; m; m &= m - 1, pick--) {
			si = __builtin_ctzll(m);
			if (pick == 0)
				break;
		}
		marker(out, (size_t)si, c->utf8);
	} else {
		strcpy(out, " ");
	}
}

/* 1 if the x tick labels, centred on their columns, leave two spaces between them. */
static int xlabels_fit(const struct axis *ax, const struct canvas *c)
{
	int prev = -1;
	for (size_t i = 0; i < ax->nt; i++) {
		int col = cell_col(c, frac(ax, ax->tick[i]));
		int len = (int)strlen(ax->lab[i]);
		if (i > 0 && col - (len + 1) / 2 <= prev + 1)
			return 0;
		prev = col + len / 2;
	}
	return 1;
}

static int lines_check(const struct plot_series *s, size_t ns, const struct plot_lines_opts *o)
{
	int err = plot_style_check(&o->style);
	if (err)
		return err;
	if (o->height && (o->height < 2 || o->height > PLOT_MAX_HEIGHT))
		return PLOT_EHEIGHT;
	if (ns > PLOT_MAX_SERIES)
		return PLOT_ESERIES;
	const struct plot_lim *lim[2] = {&o->xlim, &o->ylim};
	int logs[2] = {o->logx, o->logy};
	for (int i = 0; i < 2; i++)
		if (lim[i]->set && (!(lim[i]->lo < lim[i]->hi) || !isfinite(lim[i]->hi - lim[i]->lo) ||
				    (logs[i] && lim[i]->lo <= 0)))
			return PLOT_ERANGE;
	return PLOT_OK;
}

int plot_lines(struct sbuf *out, const struct plot_series *s, size_t ns,
	       const struct plot_lines_opts *o)
{
	int err = lines_check(s, ns, o);
	if (err)
		return err;
	int width = o->style.width, utf8 = o->style.utf8;
	int H = o->height ? o->height : DEFAULT_HEIGHT;

	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	size_t npoints = 0, shown = 0; /* points, and series with points */
	for (size_t si = 0; si < ns; si++) {
		size_t before = npoints;
		for (size_t i = 0; i < s[si].n; i++)
			if (valid(&s[si], i, o->logx, o->logy)) {
				double x = xof(&s[si], i), y = s[si].y[i];
				xlo = fmin(xlo, x), xhi = fmax(xhi, x);
				ylo = fmin(ylo, y), yhi = fmax(yhi, y);
				npoints++;
			}
		shown += npoints > before;
	}
	struct axis ay, ax;
	int ymaxticks = H / 3 + 1 < 2 ? 2 : H / 3 + 1;
	axis_make(&ay, &o->ylim, ylo, yhi, o->logy, ymaxticks > 11 ? 11 : ymaxticks);
	int g = ay.labw + 2; /* label, space, axis */
	int W = width - g;
	struct canvas c;
	canvas_init(&c, W, H, utf8, utf8 && (shown <= 1 || o->points));
	for (int mt = W / 4 < 10 ? W / 4 : 10;; mt--) {
		axis_make(&ax, &o->xlim, xlo, xhi, o->logx, mt < 2 ? 2 : mt);
		if (mt <= 2 || xlabels_fit(&ax, &c))
			break;
	}

	struct counts k = {0, 0, 0};
	size_t **marks = budget_calloc(ns ? ns : 1, sizeof *marks);
	size_t *nmarks = budget_calloc(ns ? ns : 1, sizeof *nmarks);
	int nomem = !marks || !nmarks;
	for (size_t si = 0; si < ns && !nomem; si++)
		nomem = !(marks[si] = budget_malloc((s[si].n ? s[si].n : 1) * sizeof **marks));
	for (size_t si = 0; si < ns && !nomem; si++)
		nmarks[si] = draw_series(&c, &s[si], si, ns, &ax, &ay, o->points, &k, marks[si]);
	if (!nomem)
		place_marks(&c, ns, marks, nmarks);
	for (size_t si = 0; marks && si < ns; si++)
		budget_free(marks[si]);
	budget_free(marks);
	budget_free(nmarks);
	if (nomem) {
		canvas_free(&c);
		return PLOT_ENOMEM;
	}

	plot_title(out, &o->style);
	if (o->ylabel && *o->ylabel) {
		size_t start = out->len;
		plot_text_put(out, o->ylabel, width, utf8);
		plot_line_end(out, start);
	}
	int *tickrow = xmalloc((size_t)H * sizeof *tickrow);
	for (int r = 0; r < H; r++)
		tickrow[r] = -1;
	for (size_t t = 0; t < ay.nt; t++) {
		int r = cell_row(&c, frac(&ay, ay.tick[t]));
		if (r >= 0 && r < H && tickrow[r] < 0)
			tickrow[r] = (int)t;
	}
	for (int r = 0; r < H; r++) {
		size_t start = out->len;
		int t = tickrow[r];
		plot_text_right(out, t >= 0 ? ay.lab[t] : "", ay.labw, 0);
		sbuf_addc(out, ' ');
		sbuf_adds(out, t >= 0 ? (utf8 ? "\xe2\x94\xa4" : "+") : (utf8 ? "\xe2\x94\x82" : "|"));
		for (int col = 0; col < W; col++) {
			char gl[5];
			cell_glyph(&c, (size_t)r * (size_t)W + (size_t)col, gl);
			sbuf_adds(out, gl);
		}
		plot_line_end(out, start);
	}
	struct plot_row row; /* the x axis, then its labels */
	plot_row_init(&row, width);
	plot_row_glyph(&row, g - 1, utf8 ? "\xe2\x94\x94" : "+");
	for (int col = 0; col < W; col++)
		plot_row_glyph(&row, g + col, utf8 ? "\xe2\x94\x80" : "-");
	for (size_t t = 0; t < ax.nt; t++)
		plot_row_glyph(&row, g + cell_col(&c, frac(&ax, ax.tick[t])), utf8 ? "\xe2\x94\xac" : "+");
	plot_row_emit(out, &row);
	plot_row_clear(&row);
	int prev_end = -1;
	for (size_t t = 0; t < ax.nt; t++) {
		int len = (int)strlen(ax.lab[t]);
		int s0 = g + cell_col(&c, frac(&ax, ax.tick[t])) - len / 2;
		s0 = s0 + len > width ? width - len : s0;
		s0 = s0 < 0 ? 0 : s0;
		if (s0 <= prev_end)
			continue;
		plot_row_text(&row, s0, ax.lab[t]);
		prev_end = s0 + len;
	}
	plot_row_emit(out, &row);
	plot_row_free(&row);
	if (o->xlabel && *o->xlabel) {
		int w = plot_text_width(o->xlabel, utf8);
		int s0 = g + (W - w) / 2;
		s0 = s0 + w > width ? width - w : s0;
		s0 = s0 < 0 ? 0 : s0;
		size_t start = out->len;
		for (int i = 0; i < s0; i++)
			sbuf_addc(out, ' ');
		plot_text_put(out, o->xlabel, width - s0, utf8);
		plot_line_end(out, start);
	}

	int named = 0;
	for (size_t si = 0; si < ns; si++)
		named |= s[si].name && *s[si].name;
	if (ns > 1 || named) { /* the legend */
		char **words = xcalloc(ns, sizeof *words);
		for (size_t si = 0; si < ns; si++) {
			char m[5];
			marker(m, si, utf8);
			if (s[si].name && *s[si].name)
				words[si] = xasprintf("%s %s", m, s[si].name);
			else
				words[si] = xasprintf("%s %zu", m, si + 1);
		}
		plot_words(out, (const char *const *)words, ns, width, utf8);
		for (size_t si = 0; si < ns; si++)
			free(words[si]);
		free(words);
	}
	if (npoints == 0)
		plot_note(out, width, utf8, "(no data)");
	if (k.nonfinite || k.nonpositive || k.outside) {
		struct sbuf note = SBUF_INIT;
		if (k.nonfinite)
			sbuf_addf(&note, ", %zu non-finite", k.nonfinite);
		if (k.nonpositive)
			sbuf_addf(&note, ", %zu <= 0 on a log axis", k.nonpositive);
		if (k.outside)
			sbuf_addf(&note, ", %zu outside the limits", k.outside);
		plot_note(out, width, utf8, "note: points not shown: %s", sbuf_str(&note) + 2);
		sbuf_free(&note);
	}
	free(tickrow);
	canvas_free(&c);
	return PLOT_OK;
}
