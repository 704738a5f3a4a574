/*
 * logs.h — structured logs: logfmt and JSON lines parsed into records of
 * fields, queried (filter, group, count, aggregate), sampled
 * deterministically, and the label cardinality they would give a metrics
 * system measured.
 *
 * logfmt (Brandur Leach, "logfmt", brandur.org/logfmt; the grammar of
 * github.com/go-logfmt/logfmt): a line of key=value pairs separated by
 * blanks; a value is bare (up to the next blank) or double-quoted with
 * backslash escapes (\" \\ \n \t \r); a key alone is a field without a
 * value (true). Keys are any characters but blanks, '=' and '"'.
 * JSON lines (jsonlines.org): one JSON object per line, parsed by lab.json's
 * strict parser (json.h); nested objects become dotted keys (a.b), arrays
 * keep their elements as a.1, a.2.
 * Allocation from the budget.
 */
#ifndef BACKLAB_LOGS_H
#define BACKLAB_LOGS_H

#include <stddef.h>
#include <stdint.h>

enum logs_vtype { LOGS_STR, LOGS_NUM, LOGS_TRUE, LOGS_FALSE, LOGS_NULL };

struct logs_field {
	char *key, *val; /* val: the text (numbers too) */
	enum logs_vtype type;
	double num;      /* LOGS_NUM */
};

struct logs_record {
	struct logs_field *f;
	size_t n, cap;
	size_t line;     /* in the input, from 1 */
};

struct logs_set {
	struct logs_record *r;
	size_t n, cap;
};

void logs_set_free(struct logs_set *s);

/*
 * Parses TEXT as logfmt (JSON = 0) or JSON lines (JSON = 1), one record per
 * non-blank line, appended to S. Returns 0, or -1 with *LINE, *COL and *WHY
 * (static); -2 when memory ran out or the run must stop.
 */
int logs_parse(const char *text, size_t len, int json, struct logs_set *s, size_t *line,
	       size_t *col, const char **why);

/* The field KEY of R, NULL if absent. */
const struct logs_field *logs_get(const struct logs_record *r, const char *key);

/* Adds KEY=VAL (copied) to R as a string, or a number when NUM is not NaN. */
int logs_add(struct logs_record *r, const char *key, size_t klen, const char *val, size_t vlen,
	     enum logs_vtype type, double num);

/* ---- queries ---- */

enum logs_op { LOGS_EQ, LOGS_NE, LOGS_LT, LOGS_LE, LOGS_GT, LOGS_GE, LOGS_HAS, LOGS_EXISTS };

struct logs_cond {
	const char *key, *val; /* not owned */
	enum logs_op op;
};

/* Whether R satisfies every condition: numbers compare as numbers when
 * both sides read as numbers, else as strings; HAS is a substring test. */
int logs_match(const struct logs_record *r, const struct logs_cond *c, size_t n);

/* Reads "op value" (">= 500", "~timeout", "=GET", "!=", "*" exists) into
 * C; a string without an operator is =. VAL points into SPEC. */
void logs_cond_parse(const char *key, const char *spec, struct logs_cond *c);

/* Deterministic sampling: the 64-bit hash of SEED and the bytes S, and
 * whether it falls in the first RATE of the range. */
uint64_t logs_hash(uint64_t seed, const char *s, size_t n);
int logs_keep(uint64_t seed, const char *s, size_t n, double rate);

#endif
