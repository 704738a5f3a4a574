/*
 * cmd_nav.c — reading the course: modules, lessons, open, next, back, show,
 * and the small commands help and quit.
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/term.h"
#include "engine/sbuf.h"

#include <stdlib.h>
#include <string.h>

static int usage(struct session *s, const char *name)
{
	char *err = NULL;
	const struct command *c = command_find(name, CMD_REPL | CMD_CLI, false, &err);
	free(err);
	say_error(s, "usage: %s%s %s", s->in_repl ? "" : "backlab ", name, c ? c->args : "");
	return EXIT_USAGE;
}

static void module_line(struct session *s, const struct module *m)
{
	say(s, "  %-16s %-34s %zu lesson%s", m->id, m->title, m->n, m->n == 1 ? "" : "s");
}

static void lesson_line(struct session *s, const struct lesson *l)
{
	const char *mark = " "; /* progress marks come with the store */
	char ex[32] = "";
	if (l->nscan_ids)
		snprintf(ex, sizeof ex, "%zu exercise%s", l->nscan_ids, l->nscan_ids == 1 ? "" : "s");
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "%s %-24s %-34s %s", s->lesson == l ? ">" : mark, l->id,
		  l->front.title ? l->front.title : "(untitled)", ex);
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sbuf_truncate(&sb, sb.len - 1);
	say(s, "%s", sb.buf);
	sbuf_free(&sb);
}

int cmd_modules(struct session *s, int argc, char **argv)
{
	if (argc > 1)
		return usage(s, argv[0]);
	for (size_t i = 0; i < s->cat.nmod; i++)
		module_line(s, &s->cat.mods[i]);
	if (!s->cat.nmod)
		say_note(s, "The course at %s has no modules.", s->lessons_dir);
	return EXIT_OK;
}

static int list_module(struct session *s, const char *id)
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
		lesson_line(s, s->cat.lessons[m->first + i]);
	return EXIT_OK;
}

int cmd_lessons(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return usage(s, argv[0]);
	if (argc == 2 && strcmp(argv[1], "all") != 0)
		return list_module(s, argv[1]);
	if (argc == 1 && s->lesson)
		return list_module(s, s->lesson->module);
	for (size_t i = 0; i < s->cat.nmod; i++) {
		if (i)
			say(s, "%s", "");
		list_module(s, s->cat.mods[i].id);
	}
	return EXIT_OK;
}

int cmd_list(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return usage(s, argv[0]);
	if (argc == 2)
		return list_module(s, argv[1]);
	return cmd_modules(s, argc, argv);
}

int cmd_open(struct session *s, int argc, char **argv)
{
	if (argc != 2)
		return usage(s, argv[0]);
	char *err = NULL;
	struct lesson *l = catalog_resolve(&s->cat, argv[1], &err);
	if (!l) {
		say_error(s, "%s", err);
		free(err);
		return EXIT_USAGE;
	}
	session_open(s, l, 0);
	return EXIT_OK;
}

int cmd_next(struct session *s, int argc, char **argv)
{
	if (argc > 1)
		return usage(s, argv[0]);
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
	if (i < 0 || (size_t)i + 1 >= s->cat.nles) {
		say_note(s, "You are at the end of the course. `lessons all` lists everything.");
		return EXIT_OK;
	}
	struct lesson *next = s->cat.lessons[i + 1];
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
		return usage(s, argv[0]);
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
		return usage(s, argv[0]);
	if (argc == 2)
		return show_lesson(s, argv[1]);
	session_show_step(s);
	return EXIT_OK;
}

int cmd_help(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return usage(s, argv[0]);
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
