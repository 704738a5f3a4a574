/*
 * jsonl.h — JSON lines of flat objects: a writer and a reader.
 *
 * Only what the progress export needs: one object per line whose values are
 * strings, numbers, booleans or null. Nested objects and arrays are refused
 * by the reader and never produced by the writer.
 *
 * Strings are UTF-8 both ways. The writer escapes '"', '\\' and the control
 * characters (as \n, \t, ... or \u00XX) and copies every other character
 * as it is; it expects valid UTF-8 (see jsonl_utf8_fix()). The reader
 * decodes every escape including \uXXXX and surrogate pairs, and refuses
 * invalid UTF-8, lone surrogates and \u0000 (a C string cannot hold it).
 *
 * Writing:
 *
 *   struct sbuf line = SBUF_INIT;
 *   jsonl_begin(&line);
 *   jsonl_str(&line, "exercise", "caching/lru/predict");
 *   jsonl_int(&line, "at", 1700000000000);
 *   jsonl_end(&line);                  // appends "}\n"
 *
 * Reading:
 *
 *   struct jsonl_obj o = {0};
 *   char *err = NULL;
 *   if (jsonl_parse(&o, text, len, &err) != 0) { ...err...; free(err); }
 *   const struct jsonl_value *v = jsonl_get(&o, "exercise");
 *   jsonl_obj_free(&o);
 */
#ifndef BACKLAB_JSONL_H
#define BACKLAB_JSONL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

/* ---- writer: each call appends to sb ---- */

/* Appends "{". */
void jsonl_begin(struct sbuf *sb);
/* Each appends ,"key":value (no comma right after the "{"). */
void jsonl_str(struct sbuf *sb, const char *key, const char *val); /* NULL: null */
void jsonl_int(struct sbuf *sb, const char *key, int64_t val);
/* The shortest decimal form that reads back as the same double; a value
 * that is not finite is written as null. */
void jsonl_num(struct sbuf *sb, const char *key, double val);
void jsonl_bool(struct sbuf *sb, const char *key, bool val);
void jsonl_null(struct sbuf *sb, const char *key);
/* Appends "}\n". */
void jsonl_end(struct sbuf *sb);
/* Appends s[0..len) as a quoted, escaped JSON string. */
void jsonl_quote(struct sbuf *sb, const char *s, size_t len);

/* ---- reader ---- */

enum jsonl_type {
	JSONL_NULL,
	JSONL_BOOL,
	JSONL_NUM,
	JSONL_STR,
};

struct jsonl_value {
	enum jsonl_type type;
	/* JSONL_STR: the decoded string; JSONL_NUM: the number as written
	 * (so that integers are read exactly, see jsonl_int_of()); else NULL */
	char *text;
	double num;   /* JSONL_NUM */
	bool boolean; /* JSONL_BOOL */
};

struct jsonl_field {
	char *key;
	struct jsonl_value val;
};

/* A parsed object: its fields in the order they appear. Zero it before the
 * first jsonl_parse(); it owns every string in it. */
struct jsonl_obj {
	struct jsonl_field *v;
	size_t n, cap;
};

/*
 * Parses one flat object from text[0..len) (surrounding white space is
 * allowed, anything else after the "}" is not) into o, which is emptied
 * first. Returns 0, or -1 with a one-line message such as
 * "column 12: expected ':' after a key" in *err (the caller frees it); on
 * error o is left empty. Duplicate keys are an error.
 */
int jsonl_parse(struct jsonl_obj *o, const char *text, size_t len, char **err);
/* The value of key, or NULL if the object has none. */
const struct jsonl_value *jsonl_get(const struct jsonl_obj *o, const char *key);
/*
 * The value of a JSONL_NUM written as an integer (no fraction, no exponent)
 * in [min, max], in *out. Returns 0, or -1 (not an integer, out of range)
 * with *out unchanged.
 */
int jsonl_int_of(const struct jsonl_value *v, int64_t min, int64_t max, int64_t *out);
void jsonl_obj_free(struct jsonl_obj *o);

/* ---- UTF-8 ---- */

/* Whether s[0..len) is valid UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). */
bool jsonl_utf8_valid(const char *s, size_t len);
/* A copy of s in which each invalid byte is replaced by U+FFFD; the caller
 * frees it. Valid UTF-8 is copied unchanged. */
char *jsonl_utf8_fix(const char *s);

#endif
