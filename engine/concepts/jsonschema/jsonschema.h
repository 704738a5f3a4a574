/*
 * jsonschema.h — a JSON Schema subset validator for request validation
 * (JSON Schema 2020-12, Validation sections 6.1-6.5, Core 10.3), and the
 * ECMA-262 regular-expression subset its "pattern" keyword needs.
 *
 * Keywords: type, enum, const, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, minLength, maxLength, pattern, items (one schema for
 * every element), minItems, maxItems, properties, required,
 * additionalProperties; boolean schemas; annotations ($schema, $id,
 * $comment, title, description, default, examples, deprecated,
 * readOnly, writeOnly, format) are accepted and do not assert. Any other
 * keyword is refused: a validator that silently ignores "allOf" would
 * pass what it should not.
 */
#ifndef BACKLAB_JSONSCHEMA_H
#define BACKLAB_JSONSCHEMA_H

#include <stddef.h>
#include <stdint.h>

/* A JSON value. An empty Lua table cannot say whether it is [] or {}:
 * JV_EMPTY is both. */
enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ, JV_EMPTY };

struct jv {
	enum jv_type t;
	int b;              /* JV_BOOL */
	double num;         /* JV_NUM */
	char *s;            /* JV_STR: LEN bytes, NUL-terminated */
	size_t len;
	size_t n;           /* JV_ARR, JV_OBJ: elements */
	struct jv *items;   /* N values */
	char **keys;        /* JV_OBJ: N keys, NUL-terminated ... */
	size_t *klens;      /* ... of these lengths */
};

/* Frees what V holds (not V itself). */
void jv_free(struct jv *v);

/* Deep equality as JSON Schema's enum and const define it: numbers by
 * value (1 equals 1.0), objects regardless of key order. */
int jv_equal(const struct jv *a, const struct jv *b);

/* One failed assertion. */
struct js_error {
	char *path;         /* JSON Pointer of the instance location ("" is the root) */
	const char *keyword;
	char *message;
};

struct js_result {
	struct js_error *errors;
	size_t n, cap;
	char *refused;      /* the schema is outside the subset: why, or NULL */
};

void js_result_free(struct js_result *r);

/* Validates INSTANCE against SCHEMA into R (zeroed by the caller). 0 when
 * done (R->n failures; R->refused set if the schema uses a keyword or a
 * pattern outside the subset, and then nothing else is reported); -1
 * when memory is refused; -2 when budget_stop() says stop. */
int js_validate(const struct jv *schema, const struct jv *instance, struct js_result *r);

/* ---- regular expressions (ECMA-262 subset) ---- */

/* Does PATTERN (PLEN bytes) match somewhere in S (SLEN bytes)? 1 or 0;
 * -1 with *WHY for a pattern outside the subset (or malformed); -2 when
 * memory is refused. Literals, '.', classes [a-z] [^...] with \d \w \s,
 * escapes \d \D \w \W \s \S \n \r \t \f \v \0 \uXXXX and escaped
 * punctuation, groups ( ) and (?: ), '|', ^ $, and the greedy or lazy
 * quantifiers * + ? {n} {n,} {n,m}. Not: backreferences, lookaround, \b,
 * \p{...}, flags. Matches in time linear in the subject (a Thompson NFA),
 * on code points of UTF-8 text. Patterns are at most 1000 bytes, and
 * compile to at most 4000 instructions ({n,m} copies its operand). */
int js_regex_match(const char *pattern, size_t plen, const char *s, size_t slen,
		   const char **why);

#endif
