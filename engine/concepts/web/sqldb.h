/*
 * sqldb.h — SQL injection on a real SQLite database: a small application
 * database (users with roles and password hashes, their orders), queries
 * run as text or with bound parameters (the fix), and the two endpoints of
 * the lessons built both ways: a login and a search.
 *
 * Every statement runs under a progress handler that polls budget_stop(),
 * so `WITH RECURSIVE` loops end with the sandbox's verdict; results are
 * limited to SQLDB_MAX_ROWS rows (more is an error, never a silent cut).
 */
#ifndef BACKLAB_SQLDB_H
#define BACKLAB_SQLDB_H

#include <stddef.h>
#include <stdint.h>

#define SQLDB_MAX_ROWS 1000
#define SQLDB_MAX_COLS 16

struct sqldb;

/* A value to bind (params) or read (rows). */
enum sqlv_type { SQLV_NULL, SQLV_INT, SQLV_REAL, SQLV_TEXT };
struct sqlv {
	enum sqlv_type type;
	int64_t i;
	double r;
	const char *s;     /* TEXT: bytes (not owned) */
	size_t len;
};

/* Called once per result row with the column names and values. */
typedef int (*sqldb_row_fn)(void *ctx, int ncols, const char *const *names,
			    const struct sqlv *values);

/* A new in-memory database with the lessons' tables and rows, whose
 * passwords are made from SEED. NULL without memory. */
struct sqldb *sqldb_open(uint64_t seed);
void sqldb_close(struct sqldb *db);

/*
 * Runs SQL with PARAMS bound to its ? placeholders. With MULTI, runs every
 * statement of the text (as drivers that allow "stacked queries" do), else
 * only a single statement (trailing text is an error). Calls ROW for each
 * result row of the last statement. Returns 0, or -1 with ERR (room for
 * 256 bytes) set; "stopped" if budget_stop() ended it.
 */
int sqldb_run(struct sqldb *db, const char *sql, const struct sqlv *params, int nparams,
	      int multi, sqldb_row_fn row, void *ctx, char *err);

/* The SQL text of a string literal for V: 'it''s' (quotes doubled), or
 * NULL, or a number. OUT has room for 2 * len + 3 (TEXT). Returns 0, or -1
 * for a TEXT holding a NUL byte (SQLite would cut the text there). */
int sqldb_quote(const struct sqlv *v, char *out, size_t size);

#endif
