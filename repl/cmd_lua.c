/*
 * cmd_lua.c — Lua from the REPL and the command line: `lua`, `run N` (an
 * example of the lesson) and `run FILE.lua...`.
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/luaprompt.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

int cmd_lua(struct session *s, int argc, char **argv)
{
	if (argc > 1) {
		say_error(s, "usage: lua   (then Lua lines; `.` to come back)");
		return EXIT_USAGE;
	}
	luaprompt_loop(s);
	return EXIT_OK;
}

static bool is_number(const char *a)
{
	if (!*a)
		return false;
	for (; *a; a++)
		if (*a < '0' || *a > '9')
			return false;
	return true;
}

int cmd_run(struct session *s, int argc, char **argv)
{
	if (argc < 2) {
		say_error(s, s->in_repl ? "usage: run N   (the number of an example, as in [3])"
					: "usage: backlab run FILE.lua...");
		return EXIT_USAGE;
	}
	if (s->in_repl && argc == 2 && is_number(argv[1])) {
		if (!s->lesson) {
			say_error(s, "no lesson open: `open` one to run its examples");
			return EXIT_USAGE;
		}
		return luaprompt_example(s, s->lesson, atoi(argv[1])) == 0 ? EXIT_OK : EXIT_FAILED;
	}
	/* a script's output into a file or a pipe is data: its bytes as they are;
	 * on a terminal, control characters are shown, not obeyed */
	s->raw_output = !s->in_repl && !isatty(STDOUT_FILENO);
	for (int i = 1; i < argc; i++)
		if (luaprompt_file(s, argv[i]) != 0)
			return EXIT_FAILED;
	return EXIT_OK;
}
