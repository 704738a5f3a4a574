/* term.h — TEMPORARY stand-in until the terminal helpers land. */
#ifndef BACKLAB_TERM_H
#define BACKLAB_TERM_H

#include <stdbool.h>

int term_width(int fd);
bool term_use_color(int fd, bool no_color_flag);
bool term_utf8(void);

#endif
