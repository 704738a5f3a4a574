/*
 * simval.h — the bytes a message is made of in lab.sim.
 *
 * Every message, timer tag, client operation and result in the simulator is
 * a value encoded in this compact, self-describing format: nil, booleans,
 * integers, floats, strings and tables (an array part and a map part). Lua
 * nodes send Lua tables and get fresh copies (no shared references cross the
 * network, as on a real one), C nodes write and read the same bytes, so a
 * Lua node and a C node can talk to each other; the trace renders any
 * message as Lua-like text, and a message's size is its length in bytes.
 *
 * Encoding (all integers are LEB128 varints; signed ones zigzag first):
 *   0x00 nil  0x01 false  0x02 true
 *   0x03 integer (zigzag varint)   0x04 float (8 bytes, IEEE 754, little end)
 *   0x05 string: length, bytes
 *   0x06 table: n, the values of keys 1..n, m, then m pairs key, value
 * Keys of the map part are numbers, strings or booleans. The Lua encoder
 * writes them sorted (numbers by value, then strings by bytes, then false,
 * true), so equal tables encode to equal bytes; C writers may write pairs in
 * any fixed order. Tables nest at most SIMVAL_MAX_DEPTH deep.
 *
 * The writer grows its buffer with budget_realloc() and remembers a failure
 * instead of returning one from each call: check simw_failed() (or the
 * result of simw_finish()) once at the end.
 */
#ifndef BACKLAB_SIMVAL_H
#define BACKLAB_SIMVAL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

#define SIMVAL_MAX_DEPTH 32

enum simval_tag {
	SIMVAL_NIL = 0,
	SIMVAL_FALSE = 1,
	SIMVAL_TRUE = 2,
	SIMVAL_INT = 3,
	SIMVAL_FLOAT = 4,
	SIMVAL_STR = 5,
	SIMVAL_TABLE = 6,
};

/* ---- writing ---- */

struct simw {
	uint8_t *p;
	size_t len, cap;
	int failed; /* a growth was refused: the bytes are incomplete */
};

#define SIMW_INIT {NULL, 0, 0, 0}

void simw_nil(struct simw *w);
void simw_bool(struct simw *w, int b);
void simw_int(struct simw *w, int64_t v);
void simw_float(struct simw *w, double v);
void simw_str(struct simw *w, const char *s, size_t len);
void simw_cstr(struct simw *w, const char *s);
/* Starts a table of NARR array values followed by NMAP pairs; the caller
 * then writes exactly that many values, then that many key/value pairs. */
void simw_table(struct simw *w, size_t narr, size_t nmap);
/* Appends N raw bytes that already are one encoded value. */
void simw_raw(struct simw *w, const uint8_t *v, size_t n);
/* A pair with a string key: simw_cstr(key) then the value. */
void simw_kint(struct simw *w, const char *key, int64_t v);
void simw_kstr(struct simw *w, const char *key, const char *s);
void simw_kfloat(struct simw *w, const char *key, double v);
void simw_kbool(struct simw *w, const char *key, int b);

int simw_failed(const struct simw *w);
/* Empties W for reuse, keeping its buffer. */
void simw_reset(struct simw *w);
void simw_free(struct simw *w);

/* ---- reading ---- */

/* A value inside an encoded buffer: a borrowed view, valid while the
 * buffer is. */
struct simv {
	const uint8_t *p; /* first byte (the tag) */
	size_t len;       /* bytes of the whole value */
};

/*
 * The length of the value starting at P (at most N bytes available), or 0
 * if the bytes are not one well-formed value (truncated, an unknown tag,
 * nested deeper than SIMVAL_MAX_DEPTH).
 */
size_t simval_size(const uint8_t *p, size_t n);

/* Whether P[0..N) is exactly one well-formed value. */
int simval_valid(const uint8_t *p, size_t n);

enum simval_tag simv_tag(struct simv v);
/* The value as an integer (floats with an integral value too): 0, or -1 if
 * it is not one. */
int simv_int(struct simv v, int64_t *out);
/* As a number (integers converted): 0, or -1. */
int simv_num(struct simv v, double *out);
/* As a string (borrowed, not NUL-terminated): 0, or -1. */
int simv_str(struct simv v, const char **s, size_t *len);
/* Whether V is the string S. */
int simv_is(struct simv v, const char *s);

/*
 * Tables. simv_table() gives the sizes of the two parts (-1 if V is not a
 * table). simv_at() finds the Ith array value (1-based), simv_get() the
 * value of a string key, simv_geti() of an integer key (array part or map
 * part); each returns 0 and fills OUT, or -1 if absent.
 */
int simv_table(struct simv v, size_t *narr, size_t *nmap);
int simv_at(struct simv v, size_t i, struct simv *out);
int simv_get(struct simv v, const char *key, struct simv *out);
int simv_geti(struct simv v, int64_t key, struct simv *out);
/* The Ith pair of the map part (0-based). */
int simv_pair(struct simv v, size_t i, struct simv *key, struct simv *val);

/* Convenience: field KEY of table V as an integer / number / string; DEF
 * (or NULL) when absent or of another type. */
int64_t simv_getint(struct simv v, const char *key, int64_t def);
double simv_getnum(struct simv v, const char *key, double def);
int simv_getstr(struct simv v, const char *key, const char **s, size_t *len);

/*
 * Walking a table in order: the array values first (with *IS_ARRAY set and
 * KEY holding nothing), then the pairs. simv_next returns 1 with the next
 * entry, 0 at the end, -1 if the bytes are malformed.
 */
struct simv_iter {
	struct simv t;
	size_t i;            /* offset of the next entry */
	size_t narr, nmap;   /* sizes of the parts */
	size_t done;         /* entries returned */
};
int simv_iter(struct simv_iter *it, struct simv table);
int simv_next(struct simv_iter *it, int *is_array, struct simv *key, struct simv *val);

/* The whole of buffer P[0..N) as a value. */
struct simv simv_of(const uint8_t *p, size_t n);

/*
 * Appends V as Lua-like text to OUT ({type = "put", key = "x", 3}), at most
 * about MAX bytes (0: no limit): beyond it the text ends with "...". Strings
 * are quoted, with control bytes escaped.
 */
void simval_render(struct sbuf *out, struct simv v, size_t max);

/* Whether two encoded values are the same bytes. */
int simval_equal(struct simv a, struct simv b);

#endif
