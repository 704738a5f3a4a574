/* wrap.c — the line writer under the terminal renderer; see wrap.h. */
#include "repl/wrap.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/utf8.h"

struct wrap_seg {
	size_t first, rest; /* offsets of NUL-terminated texts in segtext */
	size_t mark;        /* segtext's length before the push */
	unsigned first_style, rest_style;
	int cols;
	bool used; /* a line has shown FIRST; later lines show REST */
};

struct wrap_run {
	size_t off; /* where the run starts in the word */
	unsigned style;
};

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

unsigned wrap_style_merge(unsigned outer, unsigned inner)
{
	unsigned fg = inner & WRAP_FG_MASK ? inner & WRAP_FG_MASK : outer & WRAP_FG_MASK;
	return ((outer | inner) & ~WRAP_FG_MASK) | fg;
}

/*
 * Measures the character at S: its columns in *COLS (-1 for a control
 * character, to be dropped). Returns the bytes it takes; *BAD is set for a
 * malformed byte, which is shown as U+FFFD.
 */
static int glyph(const char *s, size_t len, int *cols, bool *bad)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;
	int n;
	*bad = false;
	if (c >= 0x20 && c < 0x7F) {
		*cols = 1;
		return 1;
	}
	n = utf8_decode(s, len, &cp);
	*bad = cp == 0xFFFD && n == 1;
	*cols = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ? -1 : utf8_cpwidth(cp);
	return n;
}

/* Switches the terminal to STYLE (only with colour on). */
static void set_style(struct wrap *w, unsigned style)
{
	const char *sep = "";
	if (!w->color || style == w->term)
		return;
	sbuf_adds(w->out, "\033[");
	if (!style || w->term) {
		sbuf_addc(w->out, '0'); /* reset, then add what STYLE has */
		sep = ";";
	}
	for (unsigned i = 0; i < 4; i++) {
		if (style & (1u << i)) {
			sbuf_addf(w->out, "%s%u", sep, i + 1);
			sep = ";";
		}
	}
	if (style & WRAP_FG_MASK)
		sbuf_addf(w->out, "%s3%u", sep, ((style & WRAP_FG_MASK) >> 4) - 1);
	sbuf_addc(w->out, 'm');
	w->term = style;
}

static void put(struct wrap *w, const char *s, size_t n, unsigned style)
{
	if (!n)
		return;
	set_style(w, style);
	sbuf_add(w->out, s, n);
}

/* Writes a segment's text in STYLE, its trailing spaces unstyled. */
static void put_seg(struct wrap *w, const char *s, unsigned style)
{
	size_t n = strlen(s), ink = n;
	while (ink > 0 && s[ink - 1] == ' ')
		ink--;
	put(w, s, ink, style);
	put(w, s + ink, n - ink, 0);
}

/* Writes the prefix: all segments, or only those a line has already shown. */
static void write_prefix(struct wrap *w, bool used_only)
{
	for (size_t i = 0; i < w->nseg; i++) {
		struct wrap_seg *g = &w->seg[i];
		if (used_only && !g->used)
			break;
		if (g->used)
			put_seg(w, w->segtext.buf + g->rest, g->rest_style);
		else
			put_seg(w, w->segtext.buf + g->first, g->first_style);
		g->used = true;
	}
}

/* Ends the line in OUT: trailing spaces dropped, style reset. */
static void newline(struct wrap *w)
{
	while (w->out->len > w->line_at && w->out->buf[w->out->len - 1] == ' ')
		sbuf_truncate(w->out, w->out->len - 1);
	set_style(w, 0);
	sbuf_addc(w->out, '\n');
}

/* Begins a line: the blank line due, if any, then the prefix. */
static void begin_line(struct wrap *w)
{
	assert(!w->open);
	if (w->blank && w->started) {
		w->line_at = w->out->len;
		write_prefix(w, true);
		newline(w);
	}
	w->blank = false;
	w->line_at = w->out->len;
	write_prefix(w, false);
	w->open = w->started = true;
	w->col = 0;
}

static void end_line(struct wrap *w)
{
	if (!w->open)
		begin_line(w);
	newline(w);
	if (w->col > w->widest)
		w->widest = w->col;
	w->open = false;
	w->col = 0;
}

/* Writes one character of COLS columns, beginning the line if needed. */
static void put_glyph(struct wrap *w, const char *s, size_t n, int cols, unsigned style)
{
	if (!w->open)
		begin_line(w);
	put(w, s, n, style);
	w->col += cols;
}

int wrap_avail(const struct wrap *w)
{
	int min = w->width < WRAP_MIN_TEXT ? w->width : WRAP_MIN_TEXT;
	int avail = w->width - w->prefix_cols;
	if (avail < min)
		avail = min;
	return avail < 1 ? 1 : avail;
}

/* Writes the word a character at a time, breaking where it passes the edge. */
static void put_word_broken(struct wrap *w)
{
	int avail = wrap_avail(w);
	for (size_t r = 0; r < w->nrun; r++) {
		size_t i = w->run[r].off;
		size_t end = r + 1 < w->nrun ? w->run[r + 1].off : w->word.len;
		while (i < end) {
			int cols;
			bool bad;
			int n = glyph(w->word.buf + i, end - i, &cols, &bad);
			if (cols > 0 && w->col > 0 && w->col + cols > avail)
				end_line(w);
			put_glyph(w, w->word.buf + i, (size_t)n, cols, w->run[r].style);
			i += (size_t)n;
		}
	}
}

/*
 * Places the collected word on the line after the spaces due, or at the
 * start of the next line if it does not fit; a word wider than a whole line
 * is then broken where it reaches the edge.
 */
static void flush_word(struct wrap *w)
{
	int avail = wrap_avail(w);
	int sp = w->col > 0 ? w->nspace : 0;
	if (!w->word.len)
		return;
	if (w->col > 0 && w->col + sp + w->word_cols > avail) {
		end_line(w);
		sp = 0;
	}
	for (int i = 0; i < sp; i++)
		put_glyph(w, " ", 1, 1, w->space_style);
	if (w->col + w->word_cols <= avail) {
		for (size_t r = 0; r < w->nrun; r++) {
			size_t end = r + 1 < w->nrun ? w->run[r + 1].off : w->word.len;
			put_glyph(w, w->word.buf + w->run[r].off, end - w->run[r].off, 0,
			          w->run[r].style);
		}
		w->col += w->word_cols;
	} else {
		put_word_broken(w);
	}
	sbuf_truncate(&w->word, 0);
	w->nrun = 0;
	w->word_cols = 0;
	w->nspace = 0;
}

static void word_add(struct wrap *w, const char *s, size_t n, int cols, unsigned style)
{
	if (!w->nrun || w->run[w->nrun - 1].style != style) {
		if (w->nrun == w->runcap) {
			w->runcap = w->runcap ? 2 * w->runcap : 8;
			w->run = xrealloc(w->run, w->runcap * sizeof *w->run);
		}
		w->run[w->nrun].off = w->word.len;
		w->run[w->nrun++].style = style;
	}
	sbuf_add(&w->word, s, n);
	w->word_cols += cols;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void add_text(struct wrap *w, const char *s, size_t len, unsigned style, bool keep)
{
	size_t i = 0;
	while (i < len) {
		int cols;
		bool bad;
		int n;
		if (is_space(s[i])) {
			flush_word(w);
			w->nspace = keep ? w->nspace + 1 : 1;
			w->space_style = style;
			i++;
			continue;
		}
		n = glyph(s + i, len - i, &cols, &bad);
		if (cols >= 0)
			word_add(w, bad ? replacement : s + i, bad ? 3 : (size_t)n, cols, style);
		i += (size_t)n;
		if (cols == 2)
			flush_word(w); /* a line may break after a wide character */
	}
}

void wrap_text(struct wrap *w, const char *s, size_t len, unsigned style)
{
	add_text(w, s, len, style, false);
}

void wrap_code(struct wrap *w, const char *s, size_t len, unsigned style)
{
	add_text(w, s, len, style, true);
}

void wrap_space(struct wrap *w, unsigned style)
{
	add_text(w, " ", 1, style, false);
}

/* Writes COLS spaces of preformatted text, breaking at the edge. */
static void pre_spaces(struct wrap *w, int cols, unsigned style)
{
	int avail = wrap_avail(w);
	while (cols-- > 0) {
		if (w->col + 1 > avail)
			end_line(w);
		put_glyph(w, " ", 1, 1, style);
	}
}

void wrap_pre(struct wrap *w, const char *s, size_t len, unsigned style)
{
	int avail = wrap_avail(w);
	flush_word(w);
	if (w->col > 0)
		pre_spaces(w, w->nspace, w->space_style);
	w->nspace = 0;
	for (size_t i = 0; i < len;) {
		int cols;
		bool bad;
		int n = glyph(s + i, len - i, &cols, &bad);
		if (s[i] == '\t') {
			pre_spaces(w, WRAP_TAB - w->col % WRAP_TAB, style);
		} else if (cols >= 0) {
			if (cols > 0 && w->col > 0 && w->col + cols > avail)
				end_line(w);
			put_glyph(w, bad ? replacement : s + i, bad ? 3 : (size_t)n, cols, style);
		}
		i += (size_t)n;
	}
}

void wrap_cr(struct wrap *w)
{
	flush_word(w);
	w->nspace = 0;
	if (w->open)
		end_line(w);
}

void wrap_break(struct wrap *w)
{
	flush_word(w);
	w->nspace = 0;
	end_line(w);
}

void wrap_line_raw(struct wrap *w, const char *s, size_t len, int cols)
{
	wrap_cr(w);
	begin_line(w);
	sbuf_add(w->out, s, len);
	w->col = cols;
	end_line(w);
}

void wrap_blank(struct wrap *w)
{
	wrap_cr(w);
	w->blank = true;
}

static size_t save_text(struct wrap *w, const char *s)
{
	size_t at = w->segtext.len;
	sbuf_add(&w->segtext, s, strlen(s) + 1);
	return at;
}

void wrap_push(struct wrap *w, const char *first, unsigned first_style, const char *rest,
               unsigned rest_style)
{
	struct wrap_seg *g;
	assert(utf8_width(first, strlen(first)) == utf8_width(rest, strlen(rest)));
	flush_word(w); /* the word before belongs under the old prefix */
	if (w->nseg == w->segcap) {
		w->segcap = w->segcap ? 2 * w->segcap : 8;
		w->seg = xrealloc(w->seg, w->segcap * sizeof *w->seg);
	}
	g = &w->seg[w->nseg++];
	g->mark = w->segtext.len;
	g->first = save_text(w, first);
	g->rest = save_text(w, rest);
	g->first_style = first_style;
	g->rest_style = rest_style;
	g->cols = (int)utf8_width(rest, strlen(rest));
	g->used = false;
	w->prefix_cols += g->cols;
}

void wrap_pop(struct wrap *w)
{
	struct wrap_seg *g;
	assert(w->nseg > 0);
	flush_word(w); /* the word collected belongs under this prefix */
	g = &w->seg[w->nseg - 1];
	if (!g->used) {
		wrap_cr(w);
		end_line(w); /* an empty list item still shows its marker */
	}
	w->prefix_cols -= g->cols;
	sbuf_truncate(&w->segtext, g->mark);
	w->nseg--;
}

void wrap_measure(struct wrap *w)
{
	w->widest = 0;
}

int wrap_widest(const struct wrap *w)
{
	return w->widest;
}

void wrap_init(struct wrap *w, struct sbuf *out, int width, bool color)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->width = width < 1 ? 1 : width;
	w->color = color;
	w->line_at = out->len;
}

void wrap_finish(struct wrap *w)
{
	wrap_cr(w);
	assert(w->term == 0);
	free(w->seg);
	free(w->run);
	sbuf_free(&w->segtext);
	sbuf_free(&w->word);
	memset(w, 0, sizeof *w);
}
