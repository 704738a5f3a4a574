/*
 * commands.c — the command table, and what reads it: dispatch, help, words,
 * completion. The handlers live in cmd_*.c, grouped by what they are about.
 */
#include "repl/commands.h"
#include "repl/cmds.h"
#include "repl/wrap.h"
#include "engine/base/sbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define R CMD_REPL
#define C CMD_CLI
#define K CMD_COURSE

/* clang-format off */
const struct command commands[] = {
	{"modules", cmd_modules, R | K, COMPLETE_NONE, "Reading",
	 "", "list the modules of the course",
	 "Lists every module with its number of lessons."},
	{"lessons", cmd_lessons, R | K, COMPLETE_MODULE, "Reading",
	 "[MODULE]", "list the lessons of a module (default: the current one)",
	 "Lists the lessons of MODULE, or of the module you are in. `lessons all` lists\n"
	 "the whole course."},
	{"list", cmd_list, C | K, COMPLETE_MODULE, "Reading",
	 "[MODULE]", "list the modules, or the lessons of MODULE",
	 "Without MODULE, one line per module; with it, one line per lesson."},
	{"open", cmd_open, R | K, COMPLETE_LESSON, "Reading",
	 "LESSON", "open a lesson by id (caching/eviction), module, or name (eviction)",
	 "Opens LESSON at its first step. LESSON is a lesson id such as caching/eviction,\n"
	 "a module id (its first lesson), a lesson's name alone when it is unique\n"
	 "(eviction), or an exercise id (caching/eviction/predict-lru): the lesson opens\n"
	 "at that exercise."},
	{"next", cmd_next, R | K, COMPLETE_NONE, "Reading",
	 "", "go to the next step (and on to the next lesson)", NULL},
	{"back", cmd_back, R | K, COMPLETE_NONE, "Reading",
	 "", "go back one step", NULL},
	{"show", cmd_show, R | C | K, COMPLETE_LESSON, "Reading",
	 "[LESSON]", "show the current step again, or a whole lesson",
	 "At the prompt, `show` prints the current step again. `show LESSON` (and\n"
	 "`backlab show LESSON`) prints the whole lesson, every step in order."},
	{"answer", cmd_answer, R | K, COMPLETE_NONE, "Exercises",
	 "TEXT", "answer the exercise (needed only if TEXT is a command name)",
	 "At an exercise, whatever you type that is not a command is your answer.\n"
	 "`answer TEXT` says so explicitly, for an answer such as `next`."},
	{"hint", cmd_hint, R | K, COMPLETE_NONE, "Exercises",
	 "", "show the next hint of the exercise", NULL},
	{"solution", cmd_solution, R | K, COMPLETE_NONE, "Exercises",
	 "", "show the reference answer (asks first; recorded)", NULL},
	{"skip", cmd_skip, R | K, COMPLETE_NONE, "Exercises",
	 "", "move on without answering (`continue` comes back)", NULL},
	{"edit", cmd_edit, R | K, COMPLETE_NONE, "Exercises",
	 "", "write the starter to your file and open $VISUAL/$EDITOR",
	 "At a code exercise: writes the starter code to your workspace file (once;\n"
	 "your work is never overwritten), prints its path and opens it in $VISUAL or\n"
	 "$EDITOR. The workspace is ~/.local/share/backlab/workspace (or\n"
	 "$BACKLAB_WORKSPACE)."},
	{"check", cmd_check, R | C | K, COMPLETE_EXERCISE, "Exercises",
	 "[EXERCISE] [--answer TEXT | --file PATH] [--seed N] [--json]",
	 "grade your file (at the prompt), or any exercise",
	 "At a code exercise, `check` grades your workspace file; `check --seed N`\n"
	 "replays the random cases of an earlier failure.\n"
	 "From the shell: `backlab check EXERCISE --answer TEXT`, or `--file PATH`\n"
	 "(default: your workspace file). The attempt is recorded. Exit status: 0\n"
	 "passed, 1 failed (timeouts and crashes of your code too), 2 error (unknown\n"
	 "id, broken lesson, bad usage). `--json` prints one object: exercise, passed,\n"
	 "score, status, feedback, output, seed, duration_ms."},
	{"watch", cmd_watch, R | K, COMPLETE_NONE, "Exercises",
	 "", "check your file every time you save it, until Ctrl-C", NULL},
	{"progress", cmd_progress, R | C | K, COMPLETE_LESSON, "Progress",
	 "[MODULE|LESSON] [--json]", "your progress: a bar per module, detail on request",
	 "One line per module with a bar and the exercises passed; with MODULE or\n"
	 "LESSON, the lessons and exercises under it. Totals count hints used and\n"
	 "time spent. `--json` prints the same as one JSON object, identical for the\n"
	 "same stored progress (no current-time fields)."},
	{"continue", cmd_continue, R | K, COMPLETE_NONE, "Progress",
	 "", "jump to the first exercise you have not passed", NULL},
	{"reset", cmd_reset, R | C | K, COMPLETE_TARGET, "Progress",
	 "TARGET [--yes]", "start an exercise, lesson, module or everything over",
	 "TARGET is an exercise id (caching/eviction/predict-lru), a lesson id\n"
	 "(caching/eviction), a module id (caching) or `all`. You are told exactly what\n"
	 "will be reset and asked to confirm (`--yes` skips the question). The files of\n"
	 "code exercises go back to their starters; yours are kept. Resets are soft:\n"
	 "every attempt stays in `history`, and `restore TARGET` brings it all back."},
	{"restore", cmd_restore, R | C | K, COMPLETE_TARGET, "Progress",
	 "TARGET", "undo the last reset of TARGET",
	 "Undoes the newest reset of TARGET (or of the module or `all` holding it), and\n"
	 "with it the resets of parts of TARGET made since TARGET's reset or restore\n"
	 "before: after `reset caching/eviction` then `reset caching`, `restore caching`\n"
	 "brings back all of caching. Progress and the files of code exercises come\n"
	 "back; what you did since stays."},
	{"retry", cmd_retry, R | K, COMPLETE_EXERCISE, "Progress",
	 "[EXERCISE]", "answer a passed exercise again (the pass stays)", NULL},
	{"history", cmd_history, R | C | K, COMPLETE_TARGET, "Progress",
	 "[TARGET]", "list your attempts, newest first",
	 "Lists every attempt at TARGET (default: the current exercise, or everything),\n"
	 "including those hidden by a reset."},
	{"export", cmd_export, R | C, COMPLETE_FILE, "Progress",
	 "[FILE]", "write your progress as JSON lines (to stdout without FILE)", NULL},
	{"import", cmd_import, R | C, COMPLETE_FILE, "Progress",
	 "FILE", "merge progress exported elsewhere (twice adds nothing)", NULL},
	{"run", cmd_run, R | C, COMPLETE_FILE, "Lua",
	 "N | FILE.lua...", "run example [N] of the lesson, or Lua files, in your Lua session",
	 "`run 3` runs the lesson's example [3]; what it prints and returns is shown,\n"
	 "and what it defines stays for the `lua` prompt. `run FILE.lua` (and\n"
	 "`backlab run FILE.lua`) runs a file in the same sandbox, with `lab` loaded.\n"
	 "Ctrl-C stops code that runs too long."},
	{"lua", cmd_lua, R, COMPLETE_NONE, "Lua",
	 "", "a Lua prompt in your session (lab loaded; `.` to come back)",
	 "Lines are run as you type them; an expression shows its value, and a\n"
	 "statement can span lines. Variables stay between lines and between `run`s.\n"
	 "At the lesson prompt, `= EXPR` shows a value and `! STATEMENT` runs one\n"
	 "without entering the Lua prompt. Ctrl-C stops running code; `.` or Ctrl-D\n"
	 "comes back."},
	{"lint", cmd_lint, C, COMPLETE_FILE, "Authoring",
	 "[PATH...] [--seed N]", "check lessons: format, links, solutions and wrong answers",
	 "Checks the whole course, or the lessons, module folders or courses named:\n"
	 "every file parses, ids and `requires:` are right, every exercise's solution\n"
	 "passes its check, and every `wrong` block, starter and unmarked choice fails\n"
	 "(with the feedback a `wrong` block names). Problems are printed as\n"
	 "file:line: message; the exit status is 1 if there are any. Each exercise is\n"
	 "graded with a fixed seed; `--seed N` uses another. Fast enough to run on\n"
	 "every save."},
	{"new", cmd_new, C, COMPLETE_NONE, "Authoring",
	 "MODULE/LESSON", "write a lesson skeleton (one exercise of each kind) to start from",
	 "Creates NN-LESSON.md in the module's folder (and the module, with its\n"
	 "module.md, if it does not exist yet), numbered after the last one. The\n"
	 "skeleton passes `backlab lint` as it is. Use --lessons DIR for your own course."},
	{"help", cmd_help, R | C, COMPLETE_COMMAND, "Other",
	 "[COMMAND | lab [CONCEPT]]", "list the commands, or explain one; `help lab` lists lab",
	 "`help lab` lists the concepts of the lab library and `help lab cache` shows\n"
	 "how to use one (the same as `= lab.help(\"cache\")` in Lua)."},
	{"quit", cmd_quit, R, COMPLETE_NONE, "Other",
	 "", "leave backlab (Ctrl-D does the same)",
	 "Your progress is saved as you go; `backlab` brings you back here."},
	{NULL, NULL, 0, COMPLETE_NONE, NULL, NULL, NULL, NULL},
};
/* clang-format on */

static bool usable(const struct command *c, unsigned flags)
{
	return (c->flags & flags) != 0;
}

const struct command *command_find(const char *name, unsigned flags, bool prefix, char **err)
{
	const struct command *found = NULL;
	size_t n = strlen(name);
	int matches = 0;
	struct sbuf alts = SBUF_INIT;
	for (const struct command *c = commands; c->name; c++) {
		if (!usable(c, flags))
			continue;
		if (strcmp(c->name, name) == 0) {
			sbuf_free(&alts);
			return c;
		}
		if (prefix && n && strncmp(c->name, name, n) == 0) {
			found = c;
			sbuf_addf(&alts, "%s%s", matches++ ? ", " : "", c->name);
		}
	}
	if (matches == 1) {
		sbuf_free(&alts);
		return found;
	}
	if (matches > 1) {
		*err = xasprintf("'%s' could be %s", name, sbuf_str(&alts));
		sbuf_free(&alts);
		return NULL;
	}
	sbuf_free(&alts);
	const struct command *best = NULL;
	int bestd = 99;
	for (const struct command *c = commands; c->name; c++) {
		if (!usable(c, flags))
			continue;
		int d = catalog_distance(name, c->name);
		if (d < bestd)
			bestd = d, best = c;
	}
	if (best && bestd <= 2 && bestd < (int)strlen(name))
		*err = xasprintf("unknown command '%s'; did you mean '%s'?", name, best->name);
	else
		*err = xasprintf("unknown command '%s' (type `help` for the list)", name);
	return NULL;
}

int command_run(struct session *s, const struct command *c, int argc, char **argv)
{
	if ((c->flags & CMD_COURSE) && session_course(s) != 0)
		return EXIT_USAGE;
	return c->fn(s, argc, argv);
}

char **words_split(const char *line, int *argc, char **err)
{
	size_t cap = 8;
	int n = 0;
	char **v = xmalloc(cap * sizeof *v);
	const char *p = line;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		struct sbuf w = SBUF_INIT;
		while (*p && !isspace((unsigned char)*p)) {
			if (*p == '"' || *p == '\'') {
				char q = *p++;
				const char *end = strchr(p, q);
				if (!end) {
					*err = xasprintf("unterminated %c quote", q);
					sbuf_free(&w);
					v[n] = NULL;
					words_free(v);
					return NULL;
				}
				sbuf_add(&w, p, (size_t)(end - p));
				p = end + 1;
			} else {
				sbuf_addc(&w, *p++);
			}
		}
		if ((size_t)n + 1 >= cap)
			v = xrealloc(v, (cap *= 2) * sizeof *v);
		v[n++] = sbuf_detach(&w);
	}
	v[n] = NULL;
	*argc = n;
	return v;
}

void words_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

struct cands {
	char **v;
	size_t n, cap;
	const char *partial;
};

static void cand(struct cands *c, const char *word)
{
	if (strncmp(word, c->partial, strlen(c->partial)) != 0)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], word) == 0)
			return;
	if (c->n + 1 >= c->cap)
		c->v = xrealloc(c->v, (c->cap = c->cap ? c->cap * 2 : 16) * sizeof *c->v);
	c->v[c->n++] = xstrdup(word);
	c->v[c->n] = NULL;
}

static void cand_lessons(struct session *s, struct cands *c, bool lessons, bool modules,
			 bool exercises)
{
	if (session_course(s) != 0)
		return;
	if (modules)
		for (size_t i = 0; i < s->cat.nmod; i++)
			cand(c, s->cat.mods[i].id);
	for (size_t i = 0; i < s->cat.nles; i++) {
		struct lesson *l = s->cat.lessons[i];
		if (lessons)
			cand(c, l->id);
		if (!exercises || strncmp(l->id, c->partial, strlen(l->id)) != 0)
			continue;
		/* only once the lesson id is typed: its exercises (from the scan) */
		for (size_t k = 0; k < l->nscan_ids; k++) {
			char *id = xasprintf("%s/%s", l->id, l->scan_ids[k]);
			cand(c, id);
			free(id);
		}
	}
}

char **command_complete(struct session *s, int argc, char **argv, const char *partial)
{
	struct cands c = {.partial = partial};
	c.v = xcalloc(1, sizeof *c.v);
	unsigned flags = s->interactive ? CMD_REPL : CMD_CLI;
	if (argc == 0) {
		for (const struct command *k = commands; k->name; k++)
			if (usable(k, flags))
				cand(&c, k->name);
		return c.v;
	}
	char *err = NULL;
	const struct command *k = command_find(argv[0], flags, true, &err);
	free(err);
	if (!k || argc > 1)
		return c.v;
	switch (k->complete) {
	case COMPLETE_COMMAND:
		for (const struct command *h = commands; h->name; h++)
			if (usable(h, flags))
				cand(&c, h->name);
		break;
	case COMPLETE_LESSON:
		cand_lessons(s, &c, true, true, false);
		break;
	case COMPLETE_MODULE:
		cand_lessons(s, &c, false, true, false);
		break;
	case COMPLETE_EXERCISE:
		cand_lessons(s, &c, true, false, true);
		break;
	case COMPLETE_TARGET:
		cand(&c, "all");
		cand_lessons(s, &c, true, true, true);
		break;
	case COMPLETE_NONE:
	case COMPLETE_FILE:
		break;
	}
	return c.v;
}

int command_usage(struct session *s, const char *name)
{
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(c->name, name) == 0) {
			say_error(s, "usage: %s%s%s%s", s->in_repl ? "" : "backlab ", c->name,
				  *c->args ? " " : "", c->args);
			break;
		}
	}
	return EXIT_USAGE;
}

static void usage_line(struct sbuf *sb, const struct command *c, bool cli)
{
	sbuf_addf(sb, "%s%s%s%s", cli ? "backlab " : "", c->name, *c->args ? " " : "", c->args);
}

/* TEXT wrapped at WIDTH columns (at least 20), lines ended by newlines,
 * into OUT. */
static void help_wrap(struct sbuf *out, const char *text, int width)
{
	struct wrap w;
	wrap_init(&w, out, width < 20 ? 20 : width, false);
	wrap_text(&w, text, strlen(text), 0);
	wrap_finish(&w);
}

void command_help(struct session *s, unsigned flags, const char *name)
{
	struct sbuf sb = SBUF_INIT;
	bool cli = !(flags & CMD_REPL);
	if (name) {
		char *err = NULL;
		const struct command *c = command_find(name, flags, true, &err);
		if (!c) { /* a command of the other side: the REPL's from the shell, or back */
			free(err);
			err = NULL;
			c = command_find(name, CMD_REPL | CMD_CLI, true, &err);
			if (c)
				cli = !(c->flags & CMD_REPL);
		}
		if (!c) {
			say_error(s, "%s", err);
			free(err);
			return;
		}
		sbuf_adds(&sb, "`");
		usage_line(&sb, c, cli);
		sbuf_addf(&sb, "` — %s\n\n%s\n", c->summary, c->help ? c->help : "");
		if (!(c->flags & flags))
			sbuf_addf(&sb, "\n(`%s` works %s.)\n", c->name,
				  c->flags & CMD_REPL ? "at the backlab prompt: start `backlab`"
						      : "from the shell: `backlab ...`");
		say_markdown(s, sb.buf);
		sbuf_free(&sb);
		return;
	}
	const char *groups[16];
	int ng = 0;
	for (const struct command *c = commands; c->name; c++) {
		int g;
		for (g = 0; g < ng && strcmp(groups[g], c->group) != 0; g++)
			;
		if (g == ng && ng < 16 && usable(c, flags))
			groups[ng++] = c->group;
	}
	int width = s->ro.width > 0 ? s->ro.width : 80;
	/* wide: the summary beside the usage, at column 26; narrow: under it */
	int at = width >= 60 ? 26 : 6;
	for (int g = 0; g < ng; g++) {
		sbuf_addf(&sb, "%s%s:\n", g ? "\n" : "", groups[g]);
		for (const struct command *c = commands; c->name; c++) {
			if (!usable(c, flags) || strcmp(c->group, groups[g]) != 0)
				continue;
			struct sbuf usage = SBUF_INIT;
			usage_line(&usage, c, false);
			struct sbuf lines = SBUF_INIT;
			help_wrap(&lines, c->summary, width - at);
			bool beside = at == 26 && usage.len + 2 < (size_t)at - 1;
			sbuf_addf(&sb, "  %s", usage.buf);
			const char *l = sbuf_str(&lines);
			if (beside) {
				sbuf_repeat(&sb, " ", (size_t)at - 2 - usage.len);
			} else {
				sbuf_addc(&sb, '\n');
				sbuf_repeat(&sb, " ", (size_t)at);
			}
			for (const char *nl; (nl = strchr(l, '\n')); l = nl + 1) {
				sbuf_add(&sb, l, (size_t)(nl - l));
				sbuf_addc(&sb, '\n');
				if (nl[1])
					sbuf_repeat(&sb, " ", (size_t)at);
			}
			sbuf_free(&usage);
			sbuf_free(&lines);
		}
	}
	say_wrapped(s, stdout, sb.buf, 0);
	sbuf_free(&sb);
}
