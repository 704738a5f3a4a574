/*
 * highlight.h — a little syntax colour for Lua code blocks: a lexer that
 * only classifies, never rejects (unterminated strings and comments run to
 * the end of the line or of the text, as Lua would read them).
 */
#ifndef BACKLAB_HIGHLIGHT_H
#define BACKLAB_HIGHLIGHT_H

#include <stddef.h>

enum hl_class {
	HL_PLAIN,
	HL_KEYWORD,
	HL_STRING,  /* quoted and long-bracket strings */
	HL_NUMBER,  /* numerals, and the constants nil, true, false */
	HL_COMMENT, /* line and long comments */
};

/* Classifies each byte of Lua source S[0..LEN) into CLS[0..LEN) (the caller's). */
void highlight_lua(const char *s, size_t len, unsigned char *cls);

#endif
