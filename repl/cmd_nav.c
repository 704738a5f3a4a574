/*
 * cmd_nav.c — reading the course: modules, lessons, open, next, back, show,
 * and the small commands help and quit.
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/progress.h"
#include "repl/term.h"
#include "engine/lab/lab.h"
#include "engine/base/sbuf.h"
#include "engine/base/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Whether a listing's line of COLS columns fits the terminal (else its
 * title goes on a line of its own). */
static bool fits(const struct session *s, size_t cols)
{
	return cols <= (size_t)(s->ro.width > 0 ? s->ro.width : 80);
}

/* "  bar n/m" of the module's progress into SB. */
static void module_progress(struct session *s, const struct store_progress *p,
			    const struct module *m, struct sbuf *sb)
{
	struct tally t = {0};
	for (size_t i = 0; i < m->n; i++)
		progress_lesson(s, p, s->cat.lessons[m->first + i], false, &t);
	sbuf_adds(sb, "  ");
	progress_bar(sb, t.passed, t.exercises, 10, s->ro.utf8);
	sbuf_addf(sb, " %d/%d", t.passed, t.exercises);
}

static void module_line(struct session *s, const struct store_progress *p, const struct module *m)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "  %-16s %-34s %2zu lesson%s", m->id, m->title, m->n, m->n == 1 ? " " : "s");
	if (p)
		module_progress(s, p, m, &sb);
	if (!fits(s, utf8_width(sb.buf, sb.len))) { /* the title under the numbers */
		sbuf_truncate(&sb, 0);
		sbuf_addf(&sb, "  %-10s %2zu lesson%s", m->id, m->n, m->n == 1 ? " " : "s");
		if (p)
			module_progress(s, p, m, &sb);
		sbuf_addf(&sb, "\n    %s", m->title);
	}
	say(s, "%s", sb.buf);
	sbuf_free(&sb);
}

/* The learner's progress for listings, or NULL when there is no store. */
static struct store_progress *listing_progress(struct session *s, struct store_progress *p)
{
	struct store *st = session_store(s, false);
	if (!st || store_progress_load(st, NULL, p) != STORE_OK)
		return NULL;
	return p;
}

static void lesson_line(struct session *s, const struct store_progress *p, struct lesson *l)
{
	const char *mark = " ";
	char ex[48] = "";
	struct tally t = {0};
	if (p)
		progress_lesson(s, p, l, false, &t);
	if (t.exercises && t.passed == t.exercises)
		mark = s->ro.utf8 ? "✓" : "+";
	else if (t.passed)
		mark = s->ro.utf8 ? "◐" : "~";
	if (l->nscan_ids && p)
		snprintf(ex, sizeof ex, "%d/%zu exercise%s", t.passed, l->nscan_ids,
			 l->nscan_ids == 1 ? "" : "s");
	else if (l->nscan_ids)
		snprintf(ex, sizeof ex, "%zu exercise%s", l->nscan_ids, l->nscan_ids == 1 ? "" : "s");
	const char *title = l->front.title ? l->front.title : "(untitled)";
	struct sbuf sb = SBUF_INIT;
	size_t tw = utf8_width(title, strlen(title));
	sbuf_addf(&sb, "%s %-24s %s%*s %s", s->lesson == l ? ">" : mark, l->id, title,
		  (int)(tw < 34 ? 34 - tw : 0), "", ex);
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sbuf_truncate(&sb, sb.len - 1);
	if (!fits(s, utf8_width(sb.buf, sb.len))) { /* the title under the id */
		sbuf_truncate(&sb, 0);
		sbuf_addf(&sb, "%s %-24s %s\n    %s", s->lesson == l ? ">" : mark, l->id, ex, title);
	}
	say(s, "%s", sb.buf);
	sbuf_free(&sb);
}

int cmd_modules(struct session *s, int argc, char **argv)
{
	if (argc > 1)
		return command_usage(s, argv[0]);
	struct store_progress buf = {0};
	struct store_progress *p = listing_progress(s, &buf);
	for (size_t i = 0; i < s->cat.nmod; i++)
		module_line(s, p, &s->cat.mods[i]);
	store_progress_free(&buf);
	if (!s->cat.nmod)
		say_note(s, "The course at %s has no modules.", s->lessons_dir);
	return EXIT_OK;
}

static int list_module(struct session *s, const struct store_progress *p, const char *id)
{
	struct module *m = catalog_module(&s->cat, id);
	if (!m) {
		struct sbuf ids = SBUF_INIT;
		for (size_t i = 0; i < s->cat.nmod; i++)
			sbuf_addf(&ids, "%s%s", i ? ", " : "", s->cat.mods[i].id);
		say_error(s, "no module '%s' (modules: %s)", id, sbuf_str(&ids));
		sbuf_free(&ids);
		return EXIT_USAGE;
	}
	say(s, "%s — %s", m->id, m->title);
	for (size_t i = 0; i < m->n; i++)
		lesson_line(s, p, s->cat.lessons[m->first + i]);
	return EXIT_OK;
}

int cmd_lessons(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return command_usage(s, argv[0]);
	struct store_progress buf = {0};
	struct store_progress *p = listing_progress(s, &buf);
	int rc = EXIT_OK;
	if (argc == 2 && strcmp(argv[1], "all") != 0) {
		rc = list_module(s, p, argv[1]);
	} else if (argc == 1 && s->lesson) {
		rc = list_module(s, p, s->lesson->module);
	} else {
		for (size_t i = 0; i < s->cat.nmod; i++) {
			if (i)
				say(s, "%s", "");
			list_module(s, p, s->cat.mods[i].id);
		}
	}
	store_progress_free(&buf);
	return rc;
}

int cmd_list(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return command_usage(s, argv[0]);
	if (argc == 2) {
		struct store_progress buf = {0};
		int rc = list_module(s, listing_progress(s, &buf), argv[1]);
		store_progress_free(&buf);
		return rc;
	}
	return cmd_modules(s, argc, argv);
}

int cmd_open(struct session *s, int argc, char **argv)
{
	if (argc != 2)
		return command_usage(s, argv[0]);
	char *err = NULL;
	struct lesson *l = catalog_resolve(&s->cat, argv[1], &err);
	if (!l) {
		/* an exercise id: its lesson, at the exercise */
		struct lesson *el = NULL;
		struct exercise *e = strchr(argv[1], '/') ? catalog_exercise(&s->cat, argv[1], &el)
							  : NULL;
		if (e) {
			free(err);
			session_open(s, el, e->step);
			return EXIT_OK;
		}
		say_error(s, "%s", err);
		free(err);
		return EXIT_USAGE;
	}
	session_open(s, l, 0);
	return EXIT_OK;
}

/* "You finished LESSON", with what is not passed yet. */
static void finished_lesson(struct session *s, struct lesson *l)
{
	struct sbuf open = SBUF_INIT;
	int passed = session_lesson_tally(s, l, &open);
	const char *tick = s->ro.utf8 ? "✓" : "+";
	if (!l->nex)
		say(s, "%s You finished %s.", tick, l->id);
	else if (passed == (int)l->nex)
		say(s, "%s You finished %s: all %zu exercise%s passed.", tick, l->id, l->nex,
		    l->nex == 1 ? "" : "s");
	else
		say(s, "You finished reading %s; %d of %zu exercises passed. Still open: %s. "
		       "`continue` takes you back to the first.",
		    l->id, passed, l->nex, open.buf);
	sbuf_free(&open);
}

/* "You finished the module M", with how many exercises are open in it. */
static void finished_module(struct session *s, struct module *m)
{
	int passed = 0, all = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct lesson *l = catalog_parse(&s->cat, s->cat.lessons[m->first + i]);
		passed += session_lesson_tally(s, l, NULL);
		all += (int)l->nex;
	}
	if (passed == all)
		say(s, "%s That was the last lesson of the module %s (%s): every exercise "
		       "passed.", s->ro.utf8 ? "✓" : "+", m->id, m->title);
	else
		say(s, "That was the last lesson of the module %s (%s): %d of %d exercises "
		       "passed, %d still open (`progress %s` lists them).",
		    m->id, m->title, passed, all, all - passed, m->id);
}

/* The end of the course: what is still open, and how to get there. */
static void finished_course(struct session *s)
{
	int passed = 0, all = 0;
	for (size_t i = 0; i < s->cat.nles; i++) {
		struct lesson *l = catalog_parse(&s->cat, s->cat.lessons[i]);
		passed += session_lesson_tally(s, l, NULL);
		all += (int)l->nex;
	}
	if (passed == all)
		say_note(s, "This is the end of the course, and you have passed every exercise "
			    "in it. Well done.");
	else
		say_note(s, "This is the end of the course. %d of its %d exercises are still "
			    "open: `continue` takes you to the first of them, `progress` lists them.",
			 all - passed, all);
}

int cmd_next(struct session *s, int argc, char **argv)
{
	if (argc > 1)
		return command_usage(s, argv[0]);
	if (!s->lesson) {
		if (!s->cat.nles) {
			say_error(s, "the course has no lessons");
			return EXIT_USAGE;
		}
		session_open(s, s->cat.lessons[0], 0);
		return EXIT_OK;
	}
	if ((size_t)s->step + 1 < s->lesson->nstep) {
		s->step++;
		session_show_step(s);
		return EXIT_OK;
	}
	long i = catalog_index(&s->cat, s->lesson);
	bool last = i < 0 || (size_t)i + 1 >= s->cat.nles;
	struct lesson *next = last ? NULL : s->cat.lessons[i + 1];
	finished_lesson(s, s->lesson);
	if (last || strcmp(next->module, s->lesson->module) != 0)
		finished_module(s, catalog_module_of(&s->cat, s->lesson));
	if (last) {
		finished_course(s);
		return EXIT_OK;
	}
	if (strcmp(next->module, s->lesson->module) != 0) {
		struct module *m = catalog_module_of(&s->cat, next);
		say_note(s, "Module %s: %s", m->id, m->title);
	}
	session_open(s, next, 0);
	return EXIT_OK;
}

int cmd_back(struct session *s, int argc, char **argv)
{
	if (argc > 1)
		return command_usage(s, argv[0]);
	if (!s->lesson) {
		say_note(s, "No lesson open.");
		return EXIT_OK;
	}
	if (s->step > 0) {
		s->step--;
		session_show_step(s);
		return EXIT_OK;
	}
	long i = catalog_index(&s->cat, s->lesson);
	if (i <= 0) {
		say_note(s, "This is the first step of the course.");
		return EXIT_OK;
	}
	struct lesson *prev = catalog_parse(&s->cat, s->cat.lessons[i - 1]);
	session_open(s, prev, prev->nstep ? (int)prev->nstep - 1 : 0);
	return EXIT_OK;
}

/* Every step of a lesson, for `show LESSON` and `backlab show`. */
static int show_lesson(struct session *s, const char *query)
{
	char *err = NULL;
	struct lesson *l = catalog_resolve(&s->cat, query, &err);
	if (!l) {
		say_error(s, "%s", err);
		free(err);
		return EXIT_USAGE;
	}
	catalog_parse(&s->cat, l);
	for (size_t i = 0; i < l->diags.n; i++) {
		char *m = diag_format(&l->diags.v[i]);
		say_error(s, "%s", m);
		free(m);
	}
	if (!l->doc)
		return EXIT_USAGE;
	struct sbuf sb = SBUF_INIT;
	s->ro.width = term_width(1);
	render_blocks(&sb, cmark_node_first_child(l->doc), NULL, &s->ro);
	fputs(sbuf_str(&sb), stdout);
	sbuf_free(&sb);
	return EXIT_OK;
}

int cmd_show(struct session *s, int argc, char **argv)
{
	if (argc > 2 || (argc == 1 && !s->in_repl))
		return command_usage(s, argv[0]);
	if (argc == 2)
		return show_lesson(s, argv[1]);
	session_show_step(s);
	return EXIT_OK;
}

int cmd_help(struct session *s, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "lab") == 0) { /* help lab [NAMESPACE] */
		char *text = lab_help_text(argc == 3 ? argv[2] : NULL);
		if (!text) {
			say_error(s, "lab has no namespace '%s' (`help lab` lists them)", argv[2]);
			return EXIT_USAGE;
		}
		say_markdown(s, text);
		free(text);
		return EXIT_OK;
	}
	if (argc > 2)
		return command_usage(s, argv[0]);
	command_help(s, s->in_repl ? CMD_REPL : CMD_CLI, argc == 2 ? argv[1] : NULL);
	return EXIT_OK;
}

int cmd_quit(struct session *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	s->quit = true;
	return EXIT_OK;
}
