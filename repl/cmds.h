/*
 * cmds.h — the command handlers the table in commands.c points at.
 * Each takes the session and its words (argv[0] is the command name) and
 * returns EXIT_OK, EXIT_FAILED or EXIT_USAGE.
 */
#ifndef BACKLAB_CMDS_H
#define BACKLAB_CMDS_H

#include "repl/session.h"

/* cmd_nav.c — reading the course */
int cmd_modules(struct session *s, int argc, char **argv);
int cmd_lessons(struct session *s, int argc, char **argv);
int cmd_list(struct session *s, int argc, char **argv);
int cmd_open(struct session *s, int argc, char **argv);
int cmd_next(struct session *s, int argc, char **argv);
int cmd_back(struct session *s, int argc, char **argv);
int cmd_show(struct session *s, int argc, char **argv);
int cmd_help(struct session *s, int argc, char **argv);
int cmd_quit(struct session *s, int argc, char **argv);

/* cmd_exercise.c — exercises */
int cmd_answer(struct session *s, int argc, char **argv);
int cmd_hint(struct session *s, int argc, char **argv);
int cmd_solution(struct session *s, int argc, char **argv);
int cmd_skip(struct session *s, int argc, char **argv);
int cmd_edit(struct session *s, int argc, char **argv);
int cmd_check(struct session *s, int argc, char **argv);
int cmd_watch(struct session *s, int argc, char **argv);
/* Grades TEXT as the answer to the current exercise (the REPL's free text). */
int exercise_answer(struct session *s, const char *text);

/* cmd_lua.c — Lua */
int cmd_lua(struct session *s, int argc, char **argv);
int cmd_run(struct session *s, int argc, char **argv);

/* cmd_progress.c — the learner's progress */
int cmd_progress(struct session *s, int argc, char **argv);
int cmd_continue(struct session *s, int argc, char **argv);
int cmd_reset(struct session *s, int argc, char **argv);
int cmd_restore(struct session *s, int argc, char **argv);
int cmd_retry(struct session *s, int argc, char **argv);
int cmd_history(struct session *s, int argc, char **argv);
int cmd_export(struct session *s, int argc, char **argv);
int cmd_import(struct session *s, int argc, char **argv);

/* cmd_author.c — tools for lesson authors */
int cmd_lint(struct session *s, int argc, char **argv);
int cmd_new(struct session *s, int argc, char **argv);

#endif
