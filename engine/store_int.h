/*
 * store_int.h — what the files of the progress store share (store.c,
 * store_schema.c, store_query.c, store_reset.c, store_export.c,
 * store_import.c). Not for use outside them, except by tests (which also
 * look at s->db) and store_open_version(), which is for tests only.
 */
#ifndef BACKLAB_STORE_INT_H
#define BACKLAB_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "engine/base/sbuf.h"
#include "engine/store.h"

/*
 * A store handle. db is NULL after a failed open. The profile row is not
 * cached: it may be created by a transaction that is later rolled back.
 */
struct store {
	sqlite3 *db;
	char *path;
	char *profile;
	struct sbuf err; /* last error message, "" if none */
	int code;        /* last error code, set with err */
	bool readonly;   /* opened for reading only (store_open_readonly) */
};

/*
 * SQL for "target t matches id x" (see store.h), for two SQL expressions:
 * IN_SCOPE("?2", "e.exercise").
 */
#define IN_SCOPE(t, x)                                                                             \
	"(" t " = 'all' OR " x " = " t " OR substr(" x ", 1, length(" t ") + 1) = " t " || '/')"
/* The profile's row id, by name, as a subquery: bind the name to ?1. */
#define PROFILE_ID "(SELECT id FROM profile WHERE name = ?1)"

/* ---- store.c ---- */

/* Sets the message "PATH: <fmt...>" and s->code, and returns rc. */
int store_fail(struct store *s, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Maps an SQLite result code to a STORE_E* code and sets the message. */
int store_sqlfail(struct store *s, int sqlite_rc);
/* Prepares sql; NULL on error with the message and s->code set. */
sqlite3_stmt *store_prepare(struct store *s, const char *sql);
/* Steps a statement that returns no row (or whose rows are not needed)
 * and finalizes it. Returns STORE_OK or the mapped error. */
int store_exec_stmt(struct store *s, sqlite3_stmt *st);
/* BEGIN IMMEDIATE / BEGIN (read) / COMMIT / ROLLBACK. rollback keeps the
 * earlier error message and returns rc, so that "return
 * store_rollback(s, rc);" reads right. */
int store_begin_write(struct store *s);
int store_begin_read(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s, int rc);
/* The profile's row id, inserted if missing; in a write transaction. */
int store_profile_id(struct store *s, sqlite3_int64 *id);
/* Writes a new random id (STORE_UID_LEN hex digits and a NUL) to out. */
int store_new_uid(struct store *s, char *out);
int64_t store_now_ms(void);
/* Whether id is a well-formed exercise/lesson/module id, or target also
 * "all". */
bool store_valid_id(const char *id);
bool store_valid_target(const char *target);
bool store_valid_uid(const char *uid);
bool store_valid_text(const char *s); /* UTF-8, no control character */
/* Binds s as text (copied by SQLite). */
int store_bind_text(sqlite3_stmt *st, int i, const char *s);

/* An event as inserted (kind: "attempt", "hint", "solution", "skip"). */
struct store_event {
	const char *uid;
	const char *kind;
	const char *exercise;
	int64_t at;
	const struct store_attempt *a; /* attempts only */
	int hints;                     /* hints only */
};
/* Inserts e for profile pid unless the profile has its uid already
 * (*added tells which). In a write transaction. */
int store_insert_event(struct store *s, sqlite3_int64 pid, const struct store_event *e,
                       bool *added);
/* This database's origin id (made at the first call), for time spent. In
 * a write transaction; out has STORE_UID_LEN + 1 bytes. */
int store_origin(struct store *s, char *out);

/* ---- store_schema.c ---- */

/*
 * Recognises the file s->path (a new or empty file, or a backlab database
 * of schema <= version), then switches it to WAL and migrates it to
 * version, each step in its own transaction. s->db is open on success.
 */
int store_schema_open(struct store *s, int version);
/* Opens an existing database of schema VERSION for reading only. */
int store_schema_open_readonly(struct store *s, int version);

/* Tests only: store_open() that migrates to version (<= STORE_SCHEMA)
 * instead of STORE_SCHEMA, to make files of earlier schema versions. */
int store_open_version(struct store **sp, const char *path, const char *profile, int version);

#endif
