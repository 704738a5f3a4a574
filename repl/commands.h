/*
 * commands.h — the one table of commands.
 *
 * Every command of the REPL and of the command line is a row here: its name,
 * handler, where it can be used, what its first argument completes to, and
 * the help text. Dispatch, `help`, `help CMD`, `backlab --help` and tab
 * completion all read this table, so a command is added in one place.
 */
#ifndef BACKLAB_COMMANDS_H
#define BACKLAB_COMMANDS_H

#include "repl/session.h"

enum cmd_flag {
	CMD_REPL = 1 << 0,  /* a command at the REPL prompt */
	CMD_CLI = 1 << 1,   /* a subcommand: `backlab NAME ...` */
	CMD_COURSE = 1 << 2, /* needs the course loaded */
};

enum complete_kind {
	COMPLETE_NONE,
	COMPLETE_COMMAND,  /* a command name (for help) */
	COMPLETE_LESSON,   /* a lesson or module id */
	COMPLETE_MODULE,   /* a module id */
	COMPLETE_EXERCISE, /* an exercise id */
	COMPLETE_TARGET,   /* exercise, lesson or module id, or "all" */
	COMPLETE_FILE,     /* a file name */
};

/* Exit statuses, the same for the command line and the REPL's handlers. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

struct command {
	const char *name;
	int (*fn)(struct session *s, int argc, char **argv);
	unsigned flags;
	enum complete_kind complete;
	const char *group; /* heading under which `help` lists it */
	const char *args;  /* usage after the name, e.g. "[MODULE]" */
	const char *summary;
	const char *help;  /* longer text for `help NAME`; may be NULL */
};

/* The table, terminated by a row with name NULL. */
extern const struct command commands[];

/*
 * The command called NAME among those with any of FLAGS. At the REPL
 * (PREFIX true) a unique prefix is enough. Returns NULL with *ERR (free it)
 * saying why, with the closest command when there is one.
 */
const struct command *command_find(const char *name, unsigned flags, bool prefix, char **err);

/* Runs C with ARGV (ARGV[0] is the command name); returns its status. */
int command_run(struct session *s, const struct command *c, int argc, char **argv);

/*
 * Splits LINE into words (spaces separate; "..." and '...' group) in a new
 * NULL-terminated array; free with words_free. Returns NULL (and sets *ERR)
 * on an unterminated quote.
 */
char **words_split(const char *line, int *argc, char **err);
void words_free(char **argv);

/*
 * Completion candidates for the word being typed: the REPL calls it with the
 * words before it (ARGC may be 0: a command name is expected) and the partial
 * word. Returns a NULL-terminated array of new strings (free with
 * words_free), possibly empty.
 */
char **command_complete(struct session *s, int argc, char **argv, const char *partial);

/* Says how to use command NAME (from the table: its ARGS), as an error;
 * returns EXIT_USAGE. */
int command_usage(struct session *s, const char *name);

/* Help: the whole list, or one command. */
void command_help(struct session *s, unsigned flags, const char *name);

#endif
