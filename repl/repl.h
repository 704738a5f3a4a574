/* repl.h — the interactive loop. */
#ifndef BACKLAB_REPL_H
#define BACKLAB_REPL_H

#include "repl/session.h"

/* Runs the REPL until quit or end of input; returns the exit status. */
int repl_run(struct session *s);

/* Ctrl-C sets `interrupted` and stops running Lua; without SA_RESTART, so a
 * blocked read returns. The REPL and long-running commands install it. */
void catch_sigint(void);

#endif
