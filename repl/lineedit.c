/*
 * lineedit.c — libedit behind four small hooks (the lua.c way): open, read,
 * remember, close. See lineedit.h.
 */
#include "repl/lineedit.h"
#include "repl/commands.h"
#include "engine/base/files.h"
#include "engine/base/sbuf.h"

#include <editline/readline.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HISTORY_MAX 1000

static struct session *cur; /* for the completion callbacks, which take no context */
static char *history_path;
static char **cands;        /* candidates of the completion in progress */
static size_t cand_next;

/* The directory for history (created; free() it), or NULL. */
static char *state_dir(void)
{
	const char *x = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *dir;
	if (x && *x == '/')
		dir = xasprintf("%s/backlab", x);
	else if (home && *home)
		dir = xasprintf("%s/.local/state/backlab", home);
	else
		return NULL;
	if (files_mkdirs(dir, 0700, NULL) != 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

static char *generate(const char *text, int state)
{
	(void)text;
	if (state == 0)
		cand_next = 0;
	if (!cands || !cands[cand_next])
		return NULL;
	return strdup(cands[cand_next++]);
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1; /* no file names as a fallback */
	char *before = xstrndup(rl_line_buffer, (size_t)start);
	int argc = 0;
	char *err = NULL;
	char **argv = words_split(before, &argc, &err);
	free(before);
	free(err);
	words_free(cands);
	cands = argv ? command_complete(cur, argc, argv, text) : NULL;
	words_free(argv);
	return rl_completion_matches(text, generate);
}

void lineedit_open(struct session *s)
{
	cur = s;
	if (!s->interactive)
		return;
	rl_readline_name = "backlab";
	rl_attempted_completion_function = complete;
	using_history();
	stifle_history(HISTORY_MAX);
	char *dir = state_dir();
	if (dir) {
		history_path = xasprintf("%s/history", dir);
		read_history(history_path);
		free(dir);
	}
}

char *lineedit_read(struct session *s, const char *prompt, bool *cancelled)
{
	*cancelled = false;
	if (s->interactive) {
		interrupted = 0;
		char *line = readline(prompt);
		if (!line && interrupted) {
			interrupted = 0;
			*cancelled = true;
			fputs("\n", stdout);
		}
		return line;
	}
	/* not a terminal: plain lines, echoed after the prompt as a transcript;
	 * typed at a terminal whose output goes elsewhere (backlab | tee log),
	 * the prompt comes first, and the terminal has echoed the line */
	bool typed = isatty(0);
	if (typed) {
		fputs(prompt, stdout);
		fflush(stdout);
	}
	struct sbuf sb = SBUF_INIT;
	int c;
	while ((c = getchar()) != EOF && c != '\n')
		sbuf_addc(&sb, (char)c);
	if (c == EOF && sb.len == 0) {
		sbuf_free(&sb);
		return NULL;
	}
	if (sb.len && sb.buf[sb.len - 1] == '\r')
		sbuf_truncate(&sb, sb.len - 1);
	if (!typed)
		printf("%s%s\n", prompt, sbuf_str(&sb));
	return sbuf_detach(&sb);
}

void lineedit_remember(struct session *s, const char *line)
{
	if (!s->interactive || !*line)
		return;
	HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
	if (last && last->line && strcmp(last->line, line) == 0)
		return;
	add_history(line);
}

void lineedit_close(struct session *s)
{
	if (s->interactive && history_path)
		write_history(history_path);
	free(history_path);
	history_path = NULL;
	words_free(cands);
	cands = NULL;
}
