/* term.c — terminal width, colour and character set; see term.h. */
#include "repl/term.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* A column count from $COLUMNS, or 0 if it is unset or not a sane number. */
static int env_columns(void)
{
	const char *s = getenv("COLUMNS");
	char *end;
	long n;
	if (!s || !*s)
		return 0;
	n = strtol(s, &end, 10);
	return *end == '\0' && n > 0 && n <= 10000 ? (int)n : 0;
}

int term_columns(int fd)
{
	struct winsize ws;
	int n;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	n = env_columns();
	return n ? n : TERM_DEFAULT_WIDTH;
}

int term_width(int fd)
{
	int n = term_columns(fd);
	return n > TERM_MAX_WIDTH ? TERM_MAX_WIDTH : n;
}

bool term_use_color(int fd, bool no_color_flag)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (no_color_flag || (no_color && *no_color))
		return false;
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd);
}

bool term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}
