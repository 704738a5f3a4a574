/*
 * term.h — facts about the learner's terminal, for the front end: how wide
 * to render, whether to colour, whether it shows UTF-8. Nothing here writes
 * to the terminal.
 */
#ifndef BACKLAB_TERM_H
#define BACKLAB_TERM_H

#include <stdbool.h>

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

#endif
