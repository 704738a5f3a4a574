/*
 * json.h — a strict JSON parser (RFC 8259) that reports what it reads as
 * events, and the writers a JSON encoder needs (strings, numbers).
 *
 * json_parse() accepts exactly the grammar of RFC 8259 section 2-7: one
 * value, surrounded by optional whitespace (space, tab, LF, CR). Where the
 * RFC leaves a choice to the implementation (the i_ cases of
 * JSONTestSuite), this parser chooses:
 *   - the text must be UTF-8 (section 8.1); invalid UTF-8 anywhere in a
 *     string is an error, and so is a byte order mark (8.1 allows ignoring
 *     one; we refuse it, so that what we accept is what the grammar says);
 *   - numbers (section 6): an integer that fits in 64 bits is an integer,
 *     any other number a double; a number beyond the range of a double is
 *     an error, one below it (1e-999) underflows to zero; "-0" is the
 *     double -0.0;
 *   - a \u escape of a lone surrogate (section 7, "\uDEAD") cannot be UTF-8:
 *     an error, or U+FFFD when JSON_LONE_REPLACE is asked for;
 *   - nesting is limited to max_depth arrays and objects (section 9 allows
 *     a limit); deeper is an error, never a crash: the parser keeps its own
 *     stack, it does not recurse.
 * Duplicate object keys are reported as they come; the caller decides.
 *
 * Every allocation is from the budget (engine/base/budget.h).
 */
#ifndef BACKLAB_JSON_H
#define BACKLAB_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_kind {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_INT,    /* i */
	JSON_FLOAT,  /* d */
	JSON_STRING, /* s, len */
	JSON_KEY,    /* s, len: the key of the object member that follows */
	JSON_ARRAY,  /* an array begins */
	JSON_OBJECT, /* an object begins */
	JSON_END,    /* the array or object begun last ends */
};

/*
 * One event. A value (a scalar, or JSON_END closing a container) carries
 * where it goes: PARENT is 0 for the top-level value, 'a' for an element of
 * an array (INDEX counts from 1), 'o' for an object member (its JSON_KEY
 * came just before). S points into the input or into the parser's buffer:
 * valid only during the callback.
 */
struct json_event {
	enum json_kind kind;
	const char *s;
	size_t len;
	int64_t i;
	double d;
	int parent;
	size_t index;
	size_t depth; /* containers open around this event */
	size_t off;   /* byte offset where the event's token starts */
};

/* Returns NULL to go on, or a message (kept by the caller, static or
 * alive until json_parse returns) to stop with that error at the event. */
typedef const char *(*json_callback)(void *ctx, const struct json_event *ev);

enum { JSON_LONE_ERROR = 0, JSON_LONE_REPLACE = 1 };

struct json_options {
	size_t max_depth; /* 0: JSON_DEFAULT_DEPTH */
	int lone;         /* JSON_LONE_ERROR or JSON_LONE_REPLACE */
};

#define JSON_DEFAULT_DEPTH 512

struct json_error {
	size_t off;      /* byte offset */
	size_t line;     /* from 1; a line ends at LF, CR LF or CR */
	size_t column;   /* from 1, in characters (UTF-8 sequences) */
	const char *why; /* static, or the callback's message */
};

/* A growable output buffer from the budget. */
struct json_buf {
	char *p;
	size_t len, cap;
};

/* One open array or object. */
struct json_level {
	char kind;    /* 'a' or 'o' */
	size_t count; /* values so far */
};

/*
 * A parser: what it allocates (its stack of open containers and its
 * buffer) lives here, so that a caller whose callback may not return (a
 * Lua error) can own the parser and free it later. Fields are private.
 */
struct json_parser {
	struct json_options o;
	const char *s;
	size_t len, pos;
	json_callback cb;
	void *ctx;
	struct json_level *stack;
	size_t depth, cap;
	struct json_buf buf;
	const char *why;
	int oom;
	unsigned long long events;
	char msg[80]; /* a message naming a number (the depth limit) */
};

/* Makes P ready, with the options O (NULL: the defaults). */
void json_parser_init(struct json_parser *p, const struct json_options *o);
/* Frees what P holds; P can be run again. */
void json_parser_free(struct json_parser *p);

/*
 * Parses LEN bytes at TEXT with P, calling CB for each event in document
 * order. Returns 0, -1 on a syntax error or a callback's refusal (*E
 * filled), -2 when memory is refused or budget_stop() says to stop (E->why
 * says which). P keeps its memory for the next run (json_parser_free).
 */
int json_parser_run(struct json_parser *p, const char *text, size_t len, json_callback cb,
                    void *ctx, struct json_error *e);

/* json_parser_init, json_parser_run and json_parser_free in one call, for
 * callbacks that always return. */
int json_parse(const char *text, size_t len, const struct json_options *o, json_callback cb,
               void *ctx, struct json_error *e);

/* Fills E's line and column from E->off in TEXT. */
void json_locate(const char *text, size_t len, struct json_error *e);

/* Appends N bytes; -1 when memory is refused (B unchanged). */
int json_buf_add(struct json_buf *b, const void *s, size_t n);
void json_buf_free(struct json_buf *b);

/*
 * Appends S (LEN bytes of UTF-8) as a JSON string with its quotes: '"',
 * '\\' and the control characters U+0000..U+001F escaped (\b \f \n \r \t,
 * others \u00XX); with ASCII set, every non-ASCII character as \uXXXX (a
 * surrogate pair above U+FFFF). Returns 0; -1 when S is not valid UTF-8
 * (*BAD = the byte offset of the first bad byte; B holds a partial string);
 * -2 when memory is refused.
 */
int json_write_string(struct json_buf *b, const char *s, size_t len, int ascii, size_t *bad);

/*
 * Appends D as the first of %.15g, %.16g and %.17g that reads back as
 * exactly D (and ".0" when that looks like an integer, so the value stays
 * a float). -1 for NaN and
 * the infinities (JSON has none), -2 when memory is refused.
 */
int json_write_double(struct json_buf *b, double d);

/* Appends the integer I. -2 when memory is refused. */
int json_write_int(struct json_buf *b, int64_t i);

#endif
