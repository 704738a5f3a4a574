/*
 * wrap.h — the line writer under the terminal renderer: word wrapping in
 * display columns, a stack of line prefixes, blank lines between blocks, and
 * styles that become ANSI SGR sequences only when colour is on.
 *
 * This is the machinery; repl/render.c only says what each Markdown node
 * looks like. Text arrives in pieces, each with a style. Pieces join into
 * words; a line breaks only at a space, after a wide (CJK) character, or
 * inside a word wider than the line. Every line begins with the prefix stack
 * (list indentation, quote bars), so indentation is kept on continuation
 * lines without the caller's help.
 *
 * Invariants, asserted where cheap:
 *  - col is the number of columns written after the prefix on the current
 *    line; a line is open once its prefix is written, and nothing is written
 *    to OUT between lines but pending blank lines;
 *  - with colour off no escape byte is ever written: styles are ignored, and
 *    control characters in the text (ESC among them) are dropped;
 *  - escape sequences never count toward the width; every line ends with
 *    the terminal's style reset and without trailing spaces;
 *  - the output is valid UTF-8: malformed input bytes become U+FFFD.
 */
#ifndef BACKLAB_WRAP_H
#define BACKLAB_WRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/base/sbuf.h"

/* A style: attribute bits, plus a foreground colour in bits 4..7. */
enum {
	WRAP_BOLD = 1 << 0,
	WRAP_DIM = 1 << 1,
	WRAP_ITALIC = 1 << 2,
	WRAP_UNDERLINE = 1 << 3,
};
#define WRAP_FG(ansi) ((unsigned)((ansi) + 1) << 4) /* ansi: 0 black .. 7 white */
#define WRAP_FG_MASK 0xF0u
#define WRAP_GREEN WRAP_FG(2)
#define WRAP_MAGENTA WRAP_FG(5)
#define WRAP_CYAN WRAP_FG(6)

/* INNER's attributes added to OUTER's; INNER's colour wins if it has one. */
unsigned wrap_style_merge(unsigned outer, unsigned inner);

/* Columns a tab advances to (multiples of this) in wrap_pre(). */
#define WRAP_TAB 4
/* Text keeps at least this many columns however deep the prefix goes. */
#define WRAP_MIN_TEXT 10

struct wrap_seg;
struct wrap_run;

struct wrap {
	struct sbuf *out;
	int width;
	bool color;

	struct wrap_seg *seg; /* prefix stack, outermost first */
	size_t nseg, segcap;
	struct sbuf segtext; /* the segments' texts, NUL-separated */
	int prefix_cols;

	bool open;      /* the current line's prefix is written */
	bool started;   /* some line has been written */
	bool blank;     /* a blank line is due before the next line */
	int col;        /* columns after the prefix on the open line */
	int widest;     /* widest line (after the prefix) since wrap_measure() */
	size_t line_at; /* where the open line starts in OUT */
	unsigned term;  /* the style the terminal is in */

	struct sbuf word;     /* the word being collected, not yet placed */
	struct wrap_run *run; /* style runs of the word */
	size_t nrun, runcap;
	int word_cols;
	int nspace; /* spaces due before the next word (if on the same line) */
	unsigned space_style;
};

/* Starts writing to OUT (appended to, never reset) at WIDTH columns. */
void wrap_init(struct wrap *w, struct sbuf *out, int width, bool color);
/* Ends the last line and frees what the writer holds (not OUT). */
void wrap_finish(struct wrap *w);

/* Prose: runs of spaces, tabs and newlines are one break point. */
void wrap_text(struct wrap *w, const char *s, size_t len, unsigned style);
/* Inline code: every space is kept, and each is a break point. */
void wrap_code(struct wrap *w, const char *s, size_t len, unsigned style);
/* One break point, written as a space when the line does not break there. */
void wrap_space(struct wrap *w, unsigned style);
/*
 * Preformatted text: spaces kept, tabs expanded, no breaking at spaces; a
 * character that would pass the right edge goes to a new line (whose prefix
 * shows the top segment's REST text, a continuation mark).
 */
void wrap_pre(struct wrap *w, const char *s, size_t len, unsigned style);

/* Ends the current line, if one is begun. */
void wrap_cr(struct wrap *w);
/* Ends the current line, writing an empty one (with its prefix) if needed. */
void wrap_break(struct wrap *w);
/*
 * Ends the current line and asks for one blank line before the next one.
 * The blank line is written only if more follows, and with the prefix of
 * that moment, so a block's last blank line never carries a closed quote's bar.
 */
void wrap_blank(struct wrap *w);

/*
 * Pushes a prefix segment: FIRST begins the next line written (a list
 * marker), REST every later one (the hanging indentation). Both must take
 * the same number of columns. The texts are copied.
 */
void wrap_push(struct wrap *w, const char *first, unsigned first_style, const char *rest,
               unsigned rest_style);
/* Pops the top segment; if no line ever showed its FIRST text, one does now. */
void wrap_pop(struct wrap *w);

/*
 * Writes one whole line of already-rendered text S[0..LEN) (which takes COLS
 * columns, may hold SGR sequences when colour is on, and ends in the
 * default style) after the prefix: a table's row, laid out by the caller.
 */
void wrap_line_raw(struct wrap *w, const char *s, size_t len, int cols);

/* Columns available for text after the current prefix. */
int wrap_avail(const struct wrap *w);
/* Starts measuring the widest line; wrap_widest() reads it. */
void wrap_measure(struct wrap *w);
int wrap_widest(const struct wrap *w);

#endif
