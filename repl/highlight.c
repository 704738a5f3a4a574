/* highlight.c — Lua syntax classes for code blocks; see highlight.h. */
#include "repl/highlight.h"

#include <stdbool.h>
#include <string.h>

static const char *const keywords[] = {
    "and", "break", "do",  "else", "elseif", "end",    "for",  "function", "goto",  "if",
    "in",  "local", "not", "or",   "repeat", "return", "then", "until",    "while", NULL,
};
static const char *const constants[] = {"nil", "true", "false", NULL};

static bool in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return true;
	return false;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The level of a long bracket "[==[" opening at S[I] (2 here), or -1. */
static int long_open(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;
	if (s[i] != '[')
		return -1;
	while (j < len && s[j] == '=')
		j++;
	return j < len && s[j] == '[' ? (int)(j - i - 1) : -1;
}

/* The end of a long bracket of LEVEL whose content starts at I. */
static size_t long_end(const char *s, size_t len, size_t i, int level)
{
	for (; i < len; i++) {
		size_t j = i + 1;
		if (s[i] != ']')
			continue;
		while (j < len && s[j] == '=')
			j++;
		if (j < len && s[j] == ']' && (int)(j - i - 1) == level)
			return j + 1;
	}
	return len;
}

/* The end of a quoted string opening at I: after the closing quote, or at the newline. */
static size_t quoted_end(const char *s, size_t len, size_t i)
{
	char q = s[i++];
	while (i < len && s[i] != q && s[i] != '\n')
		i += s[i] == '\\' && i + 1 < len ? 2 : 1;
	return i < len && s[i] == q ? i + 1 : i;
}

/* The end of a numeral starting at I, read greedily as Lua's lexer does. */
static size_t number_end(const char *s, size_t len, size_t i)
{
	bool hex = s[i] == '0' && i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X');
	while (i < len) {
		char c = s[i];
		bool expo = hex ? c == 'p' || c == 'P' : c == 'e' || c == 'E';
		if (expo && i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-'))
			i += 2;
		else if (is_alpha(c) || is_digit(c) || c == '.')
			i++;
		else
			break;
	}
	return i;
}

/* The end of the token at I, and its class in *CLS. */
static size_t token(const char *s, size_t len, size_t i, enum hl_class *cls)
{
	int level;
	size_t j = i;
	*cls = HL_PLAIN;
	if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
		*cls = HL_COMMENT;
		if (i + 2 < len && (level = long_open(s, len, i + 2)) >= 0)
			return long_end(s, len, i + 2 + (size_t)level + 2, level);
		while (j < len && s[j] != '\n')
			j++;
		return j;
	}
	if ((level = long_open(s, len, i)) >= 0) {
		*cls = HL_STRING;
		return long_end(s, len, i + (size_t)level + 2, level);
	}
	if (s[i] == '"' || s[i] == '\'') {
		*cls = HL_STRING;
		return quoted_end(s, len, i);
	}
	if (is_digit(s[i]) || (s[i] == '.' && i + 1 < len && is_digit(s[i + 1]))) {
		*cls = HL_NUMBER;
		return number_end(s, len, i);
	}
	if (is_alpha(s[i])) {
		while (j < len && (is_alpha(s[j]) || is_digit(s[j])))
			j++;
		if (in_list(keywords, s + i, j - i))
			*cls = HL_KEYWORD;
		else if (in_list(constants, s + i, j - i))
			*cls = HL_NUMBER;
		return j;
	}
	return i + 1;
}

void highlight_lua(const char *s, size_t len, unsigned char *cls)
{
	size_t i = 0;
	while (i < len) {
		enum hl_class c;
		size_t end = token(s, len, i, &c);
		memset(cls + i, c, end - i);
		i = end;
	}
}
