/* Unit tests of repl/term.c: width, colour and character set detection. */
#include "unit.h"

#include <fcntl.h>
#include <locale.h>
#include <pty.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "repl/term.h"

/* A pipe's read end: a file descriptor that is not a terminal. */
static int not_a_tty(void)
{
	static int fds[2] = {-1, -1};
	if (fds[0] < 0 && pipe(fds) != 0)
		return -1;
	return fds[0];
}

static void t_width_from_env(void)
{
	int fd = not_a_tty();
	CHECK(fd >= 0);
	unsetenv("COLUMNS");
	CHECK_INT(term_columns(fd), 80);
	CHECK_INT(term_width(fd), 80);
	setenv("COLUMNS", "72", 1);
	CHECK_INT(term_width(fd), 72);
	setenv("COLUMNS", "240", 1);
	CHECK_INT(term_columns(fd), 240);
	CHECK_INT(term_width(fd), TERM_MAX_WIDTH); /* prose stays readable */
	setenv("COLUMNS", "wide", 1);
	CHECK_INT(term_width(fd), 80);
	setenv("COLUMNS", "-5", 1);
	CHECK_INT(term_width(fd), 80);
	unsetenv("COLUMNS");
}

/* Opens a pseudo-terminal of COLS columns; returns its slave side. */
static int open_pty(int cols, int *master)
{
	struct winsize ws = {.ws_row = 24, .ws_col = (unsigned short)cols};
	int slave;
	if (openpty(master, &slave, NULL, NULL, &ws) != 0)
		return -1;
	return slave;
}

static void t_width_from_tty(void)
{
	int master, slave = open_pty(64, &master);
	if (slave < 0)
		SKIP("no pseudo-terminal here");
	setenv("COLUMNS", "99", 1); /* the window size wins */
	CHECK_INT(term_width(slave), 64);
	close(slave);
	close(master);
	slave = open_pty(180, &master);
	CHECK(slave >= 0);
	CHECK_INT(term_columns(slave), 180);
	CHECK_INT(term_width(slave), TERM_MAX_WIDTH);
	close(slave);
	close(master);
	unsetenv("COLUMNS");
}

static void t_color_pipe(void)
{
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm-256color", 1);
	CHECK(!term_use_color(not_a_tty(), false)); /* never into a pipe */
}

static void t_color(void)
{
	int master, slave = open_pty(80, &master);
	if (slave < 0)
		SKIP("no pseudo-terminal here");
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm-256color", 1);
	CHECK(term_use_color(slave, false));
	CHECK(!term_use_color(slave, true)); /* --no-color */
	setenv("NO_COLOR", "1", 1);
	CHECK(!term_use_color(slave, false));
	setenv("NO_COLOR", "", 1); /* set but empty: ignored (no-color.org) */
	CHECK(term_use_color(slave, false));
	setenv("TERM", "dumb", 1);
	CHECK(!term_use_color(slave, false));
	unsetenv("TERM");
	CHECK(!term_use_color(slave, false));
	close(slave);
	close(master);
}

static void t_ascii(void)
{
	CHECK(setlocale(LC_CTYPE, "C"));
	CHECK(!term_utf8());
}

static void t_utf8(void)
{
	int ok = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	int utf8 = ok && term_utf8();
	setlocale(LC_CTYPE, "C");
	if (!ok)
		SKIP("no C.UTF-8 locale here");
	CHECK(utf8);
}

static const struct test tests[] = {
    {"term/width_from_env", t_width_from_env},
    {"term/width_from_tty", t_width_from_tty},
    {"term/color_pipe", t_color_pipe},
    {"term/color", t_color},
    {"term/ascii", t_ascii},
    {"term/utf8", t_utf8},
    {0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
