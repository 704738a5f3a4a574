/*
 * main.c — backlab's command line: common options, then either the REPL or
 * one subcommand from the command table.
 *
 *   backlab [OPTIONS]                 the REPL
 *   backlab [OPTIONS] COMMAND [ARGS]  one command (see `backlab --help`)
 *
 * Exit status: 0 ok, 1 failed (a check that did not pass), 2 usage or bad id.
 */
#include "config.h"
#include "repl/commands.h"
#include "repl/luaprompt.h"
#include "repl/repl.h"
#include "repl/session.h"
#include "repl/term.h"
#include "engine/base/files.h"
#include "engine/base/sbuf.h"
#include "engine/store.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: backlab [OPTIONS] [COMMAND [ARGS]]\n"
	"\n"
	"Without a command, backlab starts the REPL where you left off.\n"
	"\n"
	"Options (anywhere on the line):\n"
	"  --lessons DIR    the course to use (default: the bundled lessons; env BACKLAB_LESSONS)\n"
	"  --db PATH        the progress database (env BACKLAB_DB)\n"
	"  --profile NAME   whose progress (default: your login name)\n"
	"  --no-color       no colour (also when NO_COLOR is set)\n"
	"  --help, --version\n"
	"\n";

/* The bundled course: beside the binary (a build tree), then relative to an
 * installed binary (PREFIX/bin -> PREFIX/share/backlab), then DATADIR. */
static char *default_lessons(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char *p = xasprintf("%s/lessons", exe);
			if (files_is_dir(p))
				return p;
			free(p);
			p = xasprintf("%s/../share/backlab/lessons", exe);
			if (files_is_dir(p))
				return p;
			free(p);
		}
	}
	return xstrdup(BACKLAB_DATADIR "/lessons");
}

/* PATH relative to the current directory when it is inside it (for
 * file:line messages an editor can open); else PATH. Takes PATH. */
static char *relative(char *path)
{
	char cwd[4096], real[4096];
	if (!getcwd(cwd, sizeof cwd) || !realpath(path, real))
		return path;
	size_t n = strlen(cwd);
	if (strncmp(real, cwd, n) != 0 || real[n] != '/')
		return path;
	free(path);
	return xstrdup(real + n + 1);
}

/* Takes the common options out of ARGV (in place); returns -1 on a bad one. */
static int common_options(struct session *s, int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		char **slot = NULL;
		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--lessons") == 0)
			slot = &s->lessons_dir;
		else if (strcmp(a, "--db") == 0)
			slot = &s->db_path;
		else if (strcmp(a, "--profile") == 0)
			slot = &s->profile;
		if (slot) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "backlab: %s needs a value\n", a);
				return -1;
			}
			free(*slot);
			*slot = xstrdup(argv[++i]);
			continue;
		}
		if (strcmp(a, "--no-color") == 0) {
			s->no_color = true;
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static void session_free(struct session *s)
{
	if (s->cat_loaded)
		catalog_free(&s->cat);
	store_close(s->store);
	luaprompt_close(s);
	free(s->lessons_dir);
	free(s->db_path);
	free(s->profile);
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "");
	struct session s;
	memset(&s, 0, sizeof s);
	if (common_options(&s, &argc, argv) != 0)
		return EXIT_USAGE;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		s.ro.width = term_width(1);
		say_wrapped(&s, stdout, usage_text, 0);
		fputs("Commands:\n", stdout);
		command_help(&s, CMD_CLI, NULL);
		session_free(&s);
		return EXIT_OK;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("backlab %s\n", BACKLAB_VERSION);
		session_free(&s);
		return EXIT_OK;
	}
	if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "backlab: unknown option '%s' (see backlab --help)\n", argv[1]);
		session_free(&s);
		return EXIT_USAGE;
	}
	if (!s.lessons_dir) {
		const char *env = getenv("BACKLAB_LESSONS");
		s.lessons_dir = env && *env ? xstrdup(env) : relative(default_lessons());
	}
	if (!s.db_path) {
		const char *env = getenv("BACKLAB_DB");
		if (env && *env)
			s.db_path = xstrdup(env);
	}
	s.ro.color = term_use_color(1, s.no_color);
	s.ro.utf8 = term_utf8();
	s.ro.width = term_width(1);

	int rc;
	if (argc == 1) {
		s.interactive = isatty(0) && isatty(1);
		rc = repl_run(&s);
	} else {
		char *err = NULL;
		const struct command *c = command_find(argv[1], CMD_CLI, false, &err);
		if (!c) {
			fprintf(stderr, "backlab: %s\n", err);
			free(err);
			rc = EXIT_USAGE;
		} else {
			catch_sigint();
			rc = command_run(&s, c, argc - 1, argv + 1);
		}
	}
	fflush(stdout);
	session_free(&s);
	return rc;
}
