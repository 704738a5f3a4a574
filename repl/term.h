/*
 * term.h — facts about the learner's terminal, for the front end: how wide
 * to render, whether to colour, whether it shows UTF-8; and text made safe
 * to show on it. Nothing here writes to the terminal.
 */
#ifndef BACKLAB_TERM_H
#define BACKLAB_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/base/sbuf.h"

/* Prose is easiest to read at no more than this many columns. */
#define TERM_MAX_WIDTH 100
/* Columns assumed when nothing says otherwise. */
#define TERM_DEFAULT_WIDTH 80

/*
 * Columns of the terminal on FD: its window size (TIOCGWINSZ), else
 * $COLUMNS, else TERM_DEFAULT_WIDTH.
 */
int term_columns(int fd);

/* The width to render prose at: term_columns(FD), at most TERM_MAX_WIDTH. */
int term_width(int fd);

/*
 * Whether to write colour to FD: it is a terminal, NO_COLOR is unset or
 * empty (no-color.org), TERM is set and not "dumb", and NO_COLOR_FLAG (the
 * --no-color option) was not given.
 */
bool term_use_color(int fd, bool no_color_flag);

/*
 * Whether the locale's character set is UTF-8 (main() has called
 * setlocale(LC_CTYPE, "")). When false, the renderer's own decorations are
 * ASCII.
 */
bool term_utf8(void);

/*
 * Appends the LEN bytes of S to OUT with every character that could drive
 * the terminal made visible, Lua-style: C0 controls but newline and tab
 * (ESC, BEL, CR, backspace...) and DEL as "\27", "\7", "\13", "\127"; C1
 * controls (U+0080..U+009F) and the bidirectional overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069) as "\u{9B}"; bytes that are not UTF-8 as
 * "\xFF". Everything the learner's code, a check or a lesson's code prints
 * goes through here before it reaches the terminal: a print() of
 * "\27]52;c;...\7" must not write the clipboard, set the title or clear the
 * screen. (The Markdown renderer drops such characters on its own.)
 */
void term_escape(struct sbuf *out, const char *s, size_t len);

#endif
