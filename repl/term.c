/* term.c — TEMPORARY stand-in until the terminal helpers land. */
#include "repl/term.h"

int term_width(int fd)
{
	(void)fd;
	return 80;
}

bool term_use_color(int fd, bool no_color_flag)
{
	(void)fd;
	(void)no_color_flag;
	return false;
}

bool term_utf8(void)
{
	return true;
}
