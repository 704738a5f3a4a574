/*
 * sql.h — a real SQLite database for untrusted code: in memory, opening no
 * file, deterministic, and counted against the sandbox's limits.
 *
 * What makes a connection safe to hand to a learner (sql.c has the why of
 * each):
 *   - it is opened through a VFS ("backlab") whose xOpen refuses every file,
 *     which loads no library, whose clock is fixed (2025-01-01 00:00:00 UTC)
 *     and whose randomness is a constant: ":memory:" with temp_store=MEMORY
 *     never asks it for a file, and anything that would (ATTACH, VACUUM
 *     INTO, a temp file) fails instead;
 *   - an authorizer refuses ATTACH and DETACH, every pragma outside a short
 *     list of harmless ones, and the functions load_extension and
 *     fts3_tokenizer; VACUUM is refused before it is prepared;
 *   - defensive mode, no extension loading, no double-quoted string
 *     literals, no attached databases, no worker threads (sqlite3_limit);
 *   - a progress handler polls budget_stop() every 1000 virtual-machine
 *     operations, so a runaway query ends when the sandbox says (time,
 *     memory, Ctrl-C);
 *   - SQLite allocates through budget_malloc() (sqlite3_config, set once
 *     for the process before SQLite initializes; see sql.c): what a
 *     connection holds counts against the sandbox's memory limit while a
 *     sandbox call runs, and nothing is counted outside one;
 *   - random(), randomblob() and the dataset helpers rand_int(lo, hi),
 *     rand_real([lo, hi]), rand_pick(v1, v2, ...) and rand_normal(mean, sd)
 *     draw from a generator seeded at open: the same seed gives the same
 *     database.
 *
 * Errors are returned as status codes with a message in a struct sbuf the
 * caller passes; nothing here prints. Not thread-safe (nor is budget.c).
 */
#ifndef BACKLAB_SQL_H
#define BACKLAB_SQL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

/* Counters since open (or sql_reset_stats), for N+1 lessons and costs. */
struct sql_stats {
	long long queries;        /* statements run (prepared and stepped) */
	long long rows;           /* rows handed back to the caller */
	long long changes;        /* rows inserted, updated or deleted */
	long long steps;          /* virtual-machine operations: a machine-independent cost */
	long long fullscan_steps; /* rows stepped through by full table scans */
	long long sorts;          /* sort operations */
	long long autoindexes;    /* rows put into automatic indexes */
};

struct sql_db;

/*
 * Opens a fresh in-memory database whose random functions are seeded with
 * SEED. Returns NULL with a message in ERR when SQLite cannot open one
 * (out of memory: the sandbox's limit). Close with sql_close().
 */
struct sql_db *sql_open(uint64_t seed, struct sbuf *err);
void sql_close(struct sql_db *d);

/*
 * Runs every statement of SCRIPT (LEN bytes; a dataset, or db:exec's text)
 * in order. Returns 0, or -1 with a message in ERR naming the statement's
 * line; statements before the failing one keep their effect. *CHANGES (if
 * not NULL) gets the rows changed by the whole script.
 */
int sql_script(struct sql_db *d, const char *script, size_t len, long long *changes,
		 struct sbuf *err);

/*
 * Prepares the first statement of SQL (LEN bytes). Returns 0 with *STMT set
 * (NULL if SQL holds only spaces and comments) and *TAIL (if not NULL) at
 * the text after that statement; -1 with a message in ERR (a syntax error,
 * a refused statement: the authorizer's reason, not "not authorized").
 * The statement is the caller's until sql_finish(); the connection
 * remembers it, so sql_close() finalizes it even if the caller could not.
 */
int sql_prepare(struct sql_db *d, const char *sql, size_t len, sqlite3_stmt **stmt,
		  const char **tail, struct sbuf *err);

/*
 * Steps STMT: SQLITE_ROW or SQLITE_DONE, or -1 with a message in ERR (a
 * constraint, a stop of the progress handler: "interrupted", out of
 * memory). Counts returned rows when COUNT_ROW is set.
 */
int sql_step(struct sql_db *d, sqlite3_stmt *stmt, int count_row, struct sbuf *err);

/* The caller finalized STMT itself (it ran nothing worth counting). */
void sql_forget(struct sql_db *d, sqlite3_stmt *stmt);

/* Finalizes STMT and adds its counters to the connection's stats. */
void sql_finish(struct sql_db *d, sqlite3_stmt *stmt);

/* Whether the text from P to END holds only spaces, ';' and comments. */
int sql_blank(const char *p, const char *end);

/*
 * The lines of EXPLAIN QUERY PLAN for SQL (LEN bytes), indented two spaces
 * per level of the plan's tree, appended to OUT separated by '\n'. Runs
 * nothing and counts nothing. Returns 0, or -1 with a message in ERR.
 */
int sql_plan(struct sql_db *d, const char *sql, size_t len, struct sbuf *out, struct sbuf *err);

const struct sql_stats *sql_stats(const struct sql_db *d);
void sql_reset_stats(struct sql_db *d);
sqlite3 *sql_handle(struct sql_db *d);

/*
 * Whether NAME can name a dataset: 1 to 40 of [a-z0-9_-], not starting
 * with '-'. Anything else (a path, "..") is refused before a file is read.
 */
int sql_dataset_name_ok(const char *name);

/*
 * Reads the dataset DIR/NAME.sql and runs it as a script. Returns 0, or -1
 * with a message in ERR (no such dataset: the message lists the datasets DIR
 * has; or the script failed).
 */
int sql_load(struct sql_db *d, const char *dir, const char *name, struct sbuf *err);

/* Appends the names of the datasets in DIR (files NAME.sql), sorted and
 * separated by ", ", to OUT; returns how many. */
int sql_datasets(const char *dir, struct sbuf *out);

#endif
