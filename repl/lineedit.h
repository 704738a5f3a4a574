/*
 * lineedit.h — reading command lines: libedit (its readline-compatible API)
 * on a terminal, plain lines otherwise.
 *
 * On a terminal there is history (saved under $XDG_STATE_HOME/backlab/,
 * else ~/.local/state/backlab/) and tab completion of commands and ids, both
 * driven by the command table. Ctrl-C clears the line being typed.
 */
#ifndef BACKLAB_LINEEDIT_H
#define BACKLAB_LINEEDIT_H

#include "repl/session.h"

void lineedit_open(struct session *s);
/*
 * Reads one line (without its newline; free() it). Returns NULL at end of
 * input (Ctrl-D). On Ctrl-C returns NULL with *CANCELLED set: the caller
 * shows a new prompt.
 */
char *lineedit_read(struct session *s, const char *prompt, bool *cancelled);
void lineedit_remember(struct session *s, const char *line);
void lineedit_close(struct session *s);

#endif
