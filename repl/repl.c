/*
 * repl.c — the interactive loop: read a line, decide what it is (a command,
 * an answer, Lua), run it, show the prompt again.
 */
#include "repl/repl.h"
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/lineedit.h"
#include "repl/luaprompt.h"
#include "engine/base/sbuf.h"
#include "engine/store.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Only sets a flag (and, once Lua runs here, a hook): nothing unsafe. */
static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	luaprompt_sigint();
}

void catch_sigint(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns, and Ctrl-C is seen */
	sigaction(SIGINT, &sa, NULL);
}

static char *trim(char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	size_t n = strlen(line);
	while (n && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	return line;
}

static void run_words(struct session *s, int argc, char **argv)
{
	char *err = NULL;
	const struct command *c = command_find(argv[0], CMD_REPL, true, &err);
	if (!c) {
		say_error(s, "%s", err);
		free(err);
		return;
	}
	command_run(s, c, argc, argv);
}

static void handle(struct session *s, char *line)
{
	if (line[0] == '=' || line[0] == '!') {
		luaprompt_eval(s, line + 1, "=lua", line[0] == '=', true);
		return;
	}
	int argc = 0;
	char *err = NULL;
	char **argv = words_split(line, &argc, &err);
	if (!argv) {
		say_error(s, "%s", err);
		free(err);
		return;
	}
	struct exercise *e = session_exercise(s);
	if (argc && e && e->kind != EX_CODE) {
		/* at a question, only whole command names are commands; at one
		 * passed (and not reopened with retry), nothing typed is graded,
		 * so a command's unique beginning runs it, as everywhere else */
		char *err2 = NULL;
		const struct command *c = command_find(argv[0], CMD_REPL, false, &err2);
		free(err2);
		err2 = NULL;
		struct store_status st;
		if (!c && s->retry_ex != e && session_status(s, s->lesson, e, &st) && st.passed)
			c = command_find(argv[0], CMD_REPL, true, &err2);
		free(err2);
		if (c)
			command_run(s, c, argc, argv);
		else
			exercise_answer(s, line);
	} else if (argc) {
		run_words(s, argc, argv);
	}
	words_free(argv);
}

/* Where a session starts: the first lesson of the course. */
static void start(struct session *s)
{
	if (session_course(s) != 0)
		return;
	struct diags d = {0};
	catalog_all_diags(&s->cat, 0, &d);
	if (d.n)
		say_error(s, "%zu problem%s in the course at %s (`backlab lint` lists them)", d.n,
			  d.n == 1 ? "" : "s", s->lessons_dir);
	diags_free(&d);
	if (!s->cat.nles) {
		say_note(s, "The course at %s has no lessons yet.", s->lessons_dir);
		return;
	}
	if (session_resume(s) == 0)
		return;
	say_note(s, "Welcome to backlab. `next` steps forward, `help` lists the commands.");
	session_open(s, s->cat.lessons[0], 0);
}

int repl_run(struct session *s)
{
	s->in_repl = true;
	catch_sigint();
	lineedit_open(s);
	start(s);
	while (!s->quit) {
		bool cancelled;
		char *line = lineedit_read(s, session_prompt(s), &cancelled);
		if (!line) {
			if (cancelled)
				continue;
			if (s->interactive)
				fputs("\n", stdout);
			break;
		}
		char *t = trim(line);
		lineedit_remember(s, t);
		if (*t)
			handle(s, t);
		free(line);
		session_touch(s);
		fflush(stdout);
	}
	session_touch(s);
	lineedit_close(s);
	luaprompt_close(s);
	return EXIT_OK;
}
