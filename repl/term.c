/* term.c — terminal width, colour and character set; see term.h. */
#include "repl/term.h"
#include "engine/base/utf8.h"

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

void term_escape(struct sbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			size_t j = i;
			while (j < len && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F)
				j++;
			sbuf_add(out, s + i, j - i);   /* plain ASCII runs as they are */
			i = j;
			continue;
		}
		if (c == '\n' || c == '\t' || c < 0x20 || c == 0x7F) {
			if (c == '\n' || c == '\t')
				sbuf_addc(out, (char)c);
			else
				sbuf_addf(out, "\\%u", c);
			i++;
			continue;
		}
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1)
			sbuf_addf(out, "\\x%02X", c); /* not UTF-8 */
		else if ((cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
			 (cp >= 0x2066 && cp <= 0x2069))
			sbuf_addf(out, "\\u{%X}", (unsigned)cp);
		else
			sbuf_add(out, s + i, (size_t)n);
		i += (size_t)n;
	}
}
