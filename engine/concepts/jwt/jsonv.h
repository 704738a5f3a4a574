/*
 * jsonv.h — a small strict JSON reader (RFC 8259) for JWT headers and
 * claims: the whole text is parsed into a tree of values.
 *
 * Strict: one value, whitespace around it only; no trailing commas, no
 * comments, no leading zeros, no control characters in strings, \u escapes
 * with valid surrogate pairs; duplicate member names are refused (RFC 7515
 * section 5.2 allows a JWS parser to reject them, and a JWT parser that
 * kept the last one while another kept the first could be confused).
 * Nesting is limited to JSONV_MAX_DEPTH.
 */
#ifndef BACKLAB_JSONV_H
#define BACKLAB_JSONV_H

#include <stddef.h>
#include <stdint.h>

#define JSONV_MAX_DEPTH 32

enum jsonv_type { JSONV_NULL, JSONV_FALSE, JSONV_TRUE, JSONV_NUMBER, JSONV_STRING,
		  JSONV_ARRAY, JSONV_OBJECT };

struct jsonv {
	enum jsonv_type type;
	double num;              /* JSONV_NUMBER */
	int is_int;              /* the number is an integer that fits int64 */
	int64_t i;
	char *str;               /* JSONV_STRING: NUL-terminated (may hold NULs: see len) */
	size_t len;
	struct jsonv *items;     /* ARRAY: n values; OBJECT: n values */
	char **keys;             /* OBJECT: n names */
	size_t *keylens;
	size_t n;
};

/*
 * Parses LEN bytes at TEXT into *OUT. Returns 0, or -1 with *ERR set to a
 * static message and *AT to the byte offset of the problem (nothing to
 * free then). Allocates with budget_malloc; release with jsonv_free.
 */
int jsonv_parse(const char *text, size_t len, struct jsonv *out, const char **err, size_t *at);
void jsonv_free(struct jsonv *v);

/* The member NAME of the object V, or NULL (also if V is not an object). */
const struct jsonv *jsonv_get(const struct jsonv *v, const char *name);

#endif
