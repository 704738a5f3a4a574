/*
 * plot_impl.h — helpers shared by plot.c, plot_hist.c and plot_lines.c:
 * text that fits a number of columns, rows of cells, number formatting and
 * round steps. Not part of the plot API; nothing here knows of Lua.
 */
#ifndef BACKLAB_PLOT_IMPL_H
#define BACKLAB_PLOT_IMPL_H

#include "engine/concepts/plot/plot.h"

#include <stdarg.h>

/* PLOT_OK, or PLOT_EWIDTH when the width is out of range. */
int plot_style_check(const struct plot_style *s);

/* ---- text ---- */

/* Columns S takes once sanitised (see plot.h); NULL takes 0. */
int plot_text_width(const char *s, int utf8);

/*
 * Appends S sanitised, cut to at most MAXCOLS columns with an ellipsis ("…",
 * or "..." in ASCII) when it is longer. Returns the columns appended.
 */
int plot_text_put(struct sbuf *sb, const char *s, int maxcols, int utf8);

/* Appends S right-aligned (or left-aligned) in a field of COLS columns. */
void plot_text_right(struct sbuf *sb, const char *s, int cols, int utf8);
void plot_text_left(struct sbuf *sb, const char *s, int cols, int utf8);

/* Ends the line that starts at byte START: trims trailing spaces, adds '\n'. */
void plot_line_end(struct sbuf *sb, size_t start);

/* The title line, if the style has a title. */
void plot_title(struct sbuf *sb, const struct plot_style *s);

/*
 * Lays out WORDS (already sanitised ASCII or UTF-8) separated by two spaces,
 * wrapping to WIDTH columns; a word wider than WIDTH is cut.
 */
void plot_words(struct sbuf *sb, const char *const *words, size_t n, int width, int utf8);

/* A note, e.g. "note: 3 non-finite values skipped", wrapped to WIDTH on spaces. */
void plot_note(struct sbuf *sb, int width, int utf8, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * A row of COLS cells, each holding one narrow glyph (an ASCII character or
 * a UTF-8 sequence of one column), for laying out labels at columns.
 */
struct plot_row {
	int cols;
	char (*cell)[5];
};

void plot_row_init(struct plot_row *r, int cols);
void plot_row_clear(struct plot_row *r);
void plot_row_free(struct plot_row *r);
/* Puts one glyph at COL (ignored outside the row). */
void plot_row_glyph(struct plot_row *r, int col, const char *glyph);
/* Puts ASCII text from COL on (cut at the row's end); returns its length. */
int plot_row_text(struct plot_row *r, int col, const char *s);
/* 1 if cells [from, to) are all blank. */
int plot_row_blank(const struct plot_row *r, int from, int to);
/* Appends the row as a line (trailing blanks trimmed). */
void plot_row_emit(struct sbuf *sb, const struct plot_row *r);

/* ---- numbers ---- */

#define PLOT_NUMLEN 64

/* Up to SIG significant digits, integers exactly, trailing zeros dropped. */
void plot_fmt_auto(char *buf, double v, int sig);
/*
 * V formatted by FMT as plot_bars_opts.format describes, never longer than
 * MAXLEN bytes (falls back to fewer digits, then to "%.0e"). FMT must be
 * valid (plot_format_valid).
 */
void plot_fmt_value(char *buf, double v, const char *fmt, int maxlen);

/* A round step: mant * 10^exp with mant one of 10, 20, 25, 50. */
struct plot_step {
	int mant;
	int exp;
};

/* The smallest round step >= RAW (RAW > 0 and finite). */
struct plot_step plot_step_nice(double raw);
/* The round step nearest to RAW (by ratio), either side of it. */
struct plot_step plot_step_near(double raw);
/* The next larger round step. */
struct plot_step plot_step_next(struct plot_step s);
/* I * step, computed so that round values come out exact (0.1 * 3 = 0.3). */
double plot_step_mul(struct plot_step s, double i);
double plot_step_value(struct plot_step s);

/*
 * Labels for values that are multiples of the step S: the same number of
 * decimals for all, or an SI suffix (k, M, G, T) when they are large.
 * MAXABS is the largest magnitude among the values labelled.
 */
void plot_fmt_tick(char *buf, double v, struct plot_step s, double maxabs);
/* A label for a tick on a log scale (1, 10, 100, 1k, 0.01, 1e-06...). */
void plot_fmt_logtick(char *buf, double v);

/*
 * Ticks for an axis over [LO, HI]: as plot_ticks, and on a linear scale the
 * step they are multiples of, in *SP (for plot_fmt_tick).
 */
size_t plot_axis_ticks(double lo, double hi, int maxticks, int log, struct plot_step *sp,
		       double *out, size_t cap);

/*
 * Widens [*LO, *HI] to round multiples of a step giving at most MAXTICKS
 * ticks (log: to powers of ten). Equal bounds are first pulled apart.
 * Returns the step (unused on a log scale).
 */
struct plot_step plot_widen(double *lo, double *hi, int maxticks, int log);

/*
 * Appends a horizontal bar of EIGHTHS eighths of a cell (at most COLS * 8)
 * growing right: full blocks then one partial block; in ASCII, '#' per cell
 * rounded. Returns the columns appended.
 */
int plot_hbar(struct sbuf *sb, long eighths, int cols, int utf8);

/* 1 if a and b are equal to within a few units in the last place of the larger. */
int plot_close(double a, double b);

#endif
