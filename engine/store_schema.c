/*
 * store_schema.c — opening the progress database: recognising the file,
 * the connection settings, and the schema with its forward migrations.
 *
 * A file is ours when its application_id is STORE_APP_ID, or when it is a
 * new or empty database (no application_id, no user_version, no table).
 * Anything else is refused before anything is written to it: the checks
 * run on a connection that was told not to checkpoint on close, before the
 * switch to WAL (which writes the header) and before any migration.
 */
#include "engine/store_int.h"
#include "engine/base/files.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * The migrations: step i takes a database from version i to version i + 1.
 * Each runs in its own BEGIN IMMEDIATE transaction that also sets
 * user_version, so a crash leaves the file at some version, never between.
 * Never edit a released step; append one.
 *
 * Schema 1. Events, resets and restores are immutable records with a random
 * id (uid) unique per profile; local row ids only give the insertion order.
 * An attempt's submission and feedback are in attempt_text.
 * A reset lists in reset_item the exact events it hid; a restore names the
 * reset it undoes and the target it undoes it for. An event is visible
 * unless some reset lists it and no restore of that reset covers it.
 */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema */
    "CREATE TABLE profile (\n"
    "	id INTEGER PRIMARY KEY,\n"
    "	name TEXT NOT NULL UNIQUE\n"
    ");\n"
    /* key 'origin': random id of this file, which counted its time_spent */
    "CREATE TABLE meta (\n"
    "	key TEXT PRIMARY KEY,\n"
    "	value TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE event (\n"
    "	id INTEGER PRIMARY KEY,\n"
    "	profile INTEGER NOT NULL REFERENCES profile (id),\n"
    "	uid TEXT NOT NULL,\n"
    "	kind TEXT NOT NULL CHECK (kind IN ('attempt', 'hint', 'solution', 'skip')),\n"
    "	exercise TEXT NOT NULL,\n"
    "	at INTEGER NOT NULL,\n" /* ms since the epoch */
    "	passed INTEGER,\n"      /* attempts: 0 or 1 */
    "	score REAL,\n"          /* attempts: 0..1 */
    "	seed INTEGER,\n"        /* the uint64 seed's bits, signed */
    "	duration_ms INTEGER,\n"
    "	check_hash TEXT,\n"
    "	hints INTEGER,\n" /* hints: hints seen in all */
    "	UNIQUE (profile, uid),\n"
    "	CHECK (kind <> 'attempt' OR (passed IS NOT NULL AND passed IN (0, 1)\n"
    "		AND score IS NOT NULL AND score BETWEEN 0 AND 1\n"
    "		AND seed IS NOT NULL AND duration_ms IS NOT NULL AND duration_ms >= 0\n"
    "		AND check_hash IS NOT NULL)),\n"
    "	CHECK (kind <> 'hint' OR (hints IS NOT NULL AND hints >= 1))\n"
    ");\n"
    "CREATE INDEX event_exercise ON event (profile, exercise);\n"
    /* the long texts of attempts, apart so that the scans of event that
     * progress needs read small rows only */
    "CREATE TABLE attempt_text (\n"
    "	event INTEGER PRIMARY KEY REFERENCES event (id),\n"
    "	submission TEXT NOT NULL,\n"
    "	feedback TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE reset (\n"
    "	id INTEGER PRIMARY KEY,\n"
    "	profile INTEGER NOT NULL REFERENCES profile (id),\n"
    "	uid TEXT NOT NULL,\n"
    "	target TEXT NOT NULL,\n"
    "	at INTEGER NOT NULL,\n"
    "	UNIQUE (profile, uid)\n"
    ");\n"
    "CREATE TABLE reset_item (\n"
    "	event INTEGER NOT NULL REFERENCES event (id),\n"
    "	reset INTEGER NOT NULL REFERENCES reset (id),\n"
    "	PRIMARY KEY (event, reset)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX reset_item_reset ON reset_item (reset);\n"
    "CREATE TABLE restore (\n"
    "	id INTEGER PRIMARY KEY,\n"
    "	profile INTEGER NOT NULL REFERENCES profile (id),\n"
    "	uid TEXT NOT NULL,\n"
    "	reset INTEGER NOT NULL REFERENCES reset (id),\n"
    "	target TEXT NOT NULL,\n"
    "	at INTEGER NOT NULL,\n"
    "	UNIQUE (profile, uid)\n"
    ");\n"
    "CREATE INDEX restore_reset ON restore (reset);\n"
    "CREATE TABLE time_spent (\n"
    "	profile INTEGER NOT NULL REFERENCES profile (id),\n"
    "	lesson TEXT NOT NULL,\n"
    "	origin TEXT NOT NULL,\n"
    "	seconds INTEGER NOT NULL CHECK (seconds >= 0),\n"
    "	PRIMARY KEY (profile, lesson, origin)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE position (\n"
    "	profile INTEGER PRIMARY KEY REFERENCES profile (id),\n"
    "	lesson TEXT NOT NULL,\n"
    "	step INTEGER NOT NULL CHECK (step >= 0),\n"
    "	at INTEGER NOT NULL\n"
    ");\n"
    "CREATE VIEW visible_event AS\n"
    "SELECT * FROM event e WHERE NOT EXISTS (\n"
    "	SELECT 1 FROM reset_item i WHERE i.event = e.id AND NOT EXISTS (\n"
    "		SELECT 1 FROM restore r WHERE r.reset = i.reset\n"
    "		AND " IN_SCOPE(
        "r.target",
        "e.exercise") "));\n"
                      /* the first visible pass of each exercise under each check hash */
                      "CREATE VIEW completion AS\n"
                      "SELECT profile, exercise, check_hash, min(at) AS at, uid\n"
                      "FROM visible_event WHERE kind = 'attempt' AND passed = 1\n"
                      "GROUP BY profile, exercise, check_hash;\n",
};

/* The schema version the migrations lead to. */
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA,
               "one migration per schema version");

/* ---- the file before SQLite opens it ---- */

/* mkdir -p of the directory part of path. */
static int make_dirs(struct store *s, const char *dir)
{
	char *failed = NULL;
	int err = files_mkdirs(dir, 0777, &failed);
	int rc = STORE_OK;
	if (err)
		rc = store_fail(s,
		                err == EACCES || err == EROFS || err == EPERM ? STORE_EREADONLY
		                                                              : STORE_EIO,
		                "cannot create directory %s: %s", failed, strerror(err));
	free(failed);
	return rc;
}

static int writable(const char *p)
{
	return faccessat(AT_FDCWD, p, W_OK, AT_EACCESS) == 0 ? 0 : errno;
}

/*
 * Checks what can be checked without SQLite: the directory (created if
 * missing) and the file can be written, and an existing non-empty file
 * starts like an SQLite database.
 */
static int check_file(struct store *s)
{
	static const char magic[16] = "SQLite format 3";
	char *tmp = xstrdup(s->path);
	char *dir = xstrdup(dirname(tmp));
	struct stat st;
	int rc = make_dirs(s, dir), err;
	bool fresh = true; /* missing or empty */
	if (rc == STORE_OK && stat(s->path, &st) == 0) {
		fresh = st.st_size == 0;
		if (S_ISDIR(st.st_mode))
			rc = store_fail(s, STORE_EIO, "is a directory");
		else if (!S_ISREG(st.st_mode))
			rc = store_fail(s, STORE_ENOTOURS, "not a backlab progress database");
		else if ((err = writable(s->path)) != 0)
			rc = store_fail(s, STORE_EREADONLY, "read-only: %s", strerror(err));
	}
	if (rc == STORE_OK && (err = writable(dir)) != 0)
		rc = store_fail(s, STORE_EREADONLY, "cannot write in %s: %s", dir, strerror(err));
	if (rc == STORE_OK && !fresh) {
		char head[16] = {0};
		int fd = open(s->path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, head, sizeof head) : -1;
		if (fd >= 0)
			close(fd);
		if (n < 0)
			rc = store_fail(s, STORE_EIO, "cannot read: %s", strerror(errno));
		else if (memcmp(head, magic, (size_t)n) != 0)
			rc = store_fail(s, STORE_ENOTOURS, "not a backlab progress database");
		else if (n < (ssize_t)sizeof head || st.st_size < 512)
			rc = store_fail(
			    s, STORE_ECORRUPT,
			    "damaged progress database (truncated); it was left as it is");
	}
	free(tmp);
	free(dir);
	return rc;
}

/* ---- recognising the database ---- */

/* The header fields that tell whose a database is. */
struct header {
	int app_id, version, tables;
};

/* Reads the header fields in one statement, hence one snapshot. */
static int read_header(struct store *s, struct header *h)
{
	sqlite3_stmt *st =
	    store_prepare(s, "SELECT (SELECT application_id FROM pragma_application_id),"
	                     " (SELECT user_version FROM pragma_user_version),"
	                     " (SELECT count(*) FROM sqlite_master)");
	if (!st)
		return s->code;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		h->app_id = sqlite3_column_int(st, 0);
		h->version = sqlite3_column_int(st, 1);
		h->tables = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : store_sqlfail(s, rc);
}

/* Refuses a database that is not ours, or newer than we know. */
static int judge(struct store *s, const struct header *h)
{
	if (h->app_id == STORE_APP_ID && h->version < 0)
		return store_fail(s, STORE_ENOTOURS,
				  "not a backlab progress database of a known version (it says schema "
				  "%d; backlab's schemas count from 0)",
				  h->version);
	if (h->app_id == STORE_APP_ID && h->version > STORE_SCHEMA)
		return store_fail(
		    s, STORE_ENEWER,
		    "made by a newer backlab (schema %d, this one knows %d); upgrade backlab",
		    h->version, STORE_SCHEMA);
	if (h->app_id == STORE_APP_ID)
		return STORE_OK;
	if (h->app_id == 0 && h->version == 0 && h->tables == 0)
		return STORE_OK; /* new: ours to make */
	return store_fail(
	    s, STORE_ENOTOURS,
	    "not a backlab progress database (an SQLite database of another program)");
}

/* ---- settings ---- */

/* Runs a pragma that returns one text value, retrying while busy (a
 * journal_mode change needs a moment alone with the file). */
static int pragma_text(struct store *s, const char *sql, const char *want)
{
	int64_t deadline = store_now_ms() + STORE_BUSY_MS;
	for (;;) {
		sqlite3_stmt *st = store_prepare(s, sql);
		if (!st)
			return s->code;
		int rc = sqlite3_step(st);
		bool ok =
		    rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
		sqlite3_finalize(st);
		if (ok)
			return STORE_OK;
		if (rc == SQLITE_ROW)
			return store_fail(s, STORE_EIO, "cannot set %s", sql);
		if ((rc & 0xff) != SQLITE_BUSY || store_now_ms() > deadline)
			return store_sqlfail(s, rc);
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/*
 * The connection settings, once the file is known to be ours.
 *
 * synchronous=FULL. In WAL mode NORMAL already survives kill -9 (a commit
 * is in the kernel's page cache before the call returns) but not a power
 * cut or a kernel crash, which can lose the last commits. FULL syncs the
 * WAL at every commit, so a learner who was told "passed" keeps the pass
 * whatever happens next. Measured on the development machine (2,000
 * store_record_attempt() calls, 6 runs): 0.15-0.31 ms per attempt with
 * FULL against 0.05-0.065 ms with NORMAL, i.e. 0.1-0.25 ms more (one
 * fsync of the WAL); nothing next to running a check, and attempts come
 * seconds apart.
 */
static int configure(struct store *s)
{
	int rc = pragma_text(s, "PRAGMA journal_mode = WAL", "wal");
	if (rc == STORE_OK)
		rc = store_exec_stmt(s, store_prepare(s, "PRAGMA synchronous = FULL"));
	if (rc == STORE_OK)
		rc = store_exec_stmt(s, store_prepare(s, "PRAGMA foreign_keys = ON"));
	return rc;
}

/* ---- migrations ---- */

/* Sets application_id and user_version (pragmas take no parameters; the
 * values are our own integers). */
static int stamp(struct store *s, int version)
{
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d", STORE_APP_ID);
	int rc = store_exec_stmt(s, store_prepare(s, sql));
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	return rc == STORE_OK ? store_exec_stmt(s, store_prepare(s, sql)) : rc;
}

/* Runs migration step i (version i to i + 1) unless another process did. */
static int migrate_step(struct store *s, int i)
{
	struct header h;
	int rc = store_begin_write(s);
	if (rc != STORE_OK)
		return rc;
	rc = read_header(s, &h);
	if (rc == STORE_OK)
		rc = judge(s, &h);
	if (rc == STORE_OK && h.version <= i) {
		char *err = NULL;
		int r = sqlite3_exec(s->db, migrations[i], NULL, NULL, &err);
		if (r != SQLITE_OK)
			rc = store_fail(s, STORE_EIO, "cannot migrate to schema %d: %s", i + 1,
			                err ? err : sqlite3_errstr(r));
		sqlite3_free(err);
		if (rc == STORE_OK)
			rc = stamp(s, i + 1);
	}
	if (rc == STORE_OK)
		rc = store_commit(s);
	return rc == STORE_OK ? rc : store_rollback(s, rc);
}

/* ---- opening ---- */

static int open_db(struct store *s, int version)
{
	struct header h;
	int rc = check_file(s);
	if (rc != STORE_OK)
		return rc;
	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, STORE_EIO, "cannot open: %s", sqlite3_errmsg(s->db));
	if (sqlite3_db_readonly(s->db, "main") == 1)
		return store_fail(s, STORE_EREADONLY, "read-only");
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	/* until the file is known to be ours, closing must not write to it */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if ((rc = read_header(s, &h)) != STORE_OK || (rc = judge(s, &h)) != STORE_OK)
		return rc;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	if ((rc = configure(s)) != STORE_OK)
		return rc;
	for (int i = h.version; i < version && rc == STORE_OK; i++)
		rc = migrate_step(s, i);
	return rc;
}

int store_schema_open(struct store *s, int version)
{
	int rc = open_db(s, version);
	if (rc != STORE_OK && s->db) {
		sqlite3_close_v2(s->db); /* no checkpoint if not ours (see above) */
		s->db = NULL;
	}
	return rc;
}

/* ---- opening for reading only ---- */

/* A file: URI for PATH with QUERY ("immutable=1"), '%', '?' and '#'
 * escaped (sqlite3_free() it). */
static char *uri_of(const char *path, const char *query)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			sbuf_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			sbuf_addc(&sb, *p);
	}
	sbuf_addf(&sb, "?%s", query);
	char *u = sqlite3_mprintf("%s", sb.buf);
	sbuf_free(&sb);
	return u;
}

/* Opens with URI query QUERY and reads the header; STORE_OK when the file
 * is a backlab database of schema VERSION. */
static int try_readonly(struct store *s, const char *query, int version)
{
	char *uri = uri_of(s->path, query);
	int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	sqlite3_free(uri);
	if (rc != SQLITE_OK)
		return store_fail(s, STORE_EIO, "cannot open: %s", sqlite3_errmsg(s->db));
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	struct header h;
	if ((rc = read_header(s, &h)) != STORE_OK || (rc = judge(s, &h)) != STORE_OK)
		return rc;
	if (h.version != version)
		return store_fail(s, STORE_EREADONLY,
				  "read-only, and from an older backlab (schema %d): it cannot be "
				  "brought up to date",
				  h.version);
	return STORE_OK;
}

int store_schema_open_readonly(struct store *s, int version)
{
	struct stat st;
	if (stat(s->path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return store_fail(s, STORE_EREADONLY, "read-only, and there is no database to read");
	int rc = try_readonly(s, "mode=ro", version);
	if (rc != STORE_OK && s->db) {
		sqlite3_close_v2(s->db);
		s->db = NULL;
		/* WAL mode needs a -shm file it may not be able to create: with no
		 * write-ahead log left (backlab checkpoints when it closes), the file
		 * alone is the whole database */
		char *wal = xasprintf("%s-wal", s->path);
		bool no_log = stat(wal, &st) != 0 || st.st_size == 0;
		free(wal);
		if (no_log)
			rc = try_readonly(s, "immutable=1", version);
	}
	if (rc != STORE_OK && s->db) {
		sqlite3_close_v2(s->db);
		s->db = NULL;
	}
	if (rc == STORE_OK)
		s->readonly = true;
	return rc;
}
