/*
 * store.c — the progress store: handles, errors, recording; see store.h.
 *
 * Opening and the schema are in store_schema.c, progress and history
 * queries in store_query.c, resets in store_reset.c, export in
 * store_export.c, import in store_import.c. Every value reaches SQLite
 * through a bound parameter (pragmas, which take none, get only our own
 * integer constants).
 */
#include "engine/store_int.h"

#include "engine/base/jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- errors and SQLite helpers ---- */

int store_fail(struct store *s, int rc, const char *fmt, ...)
{
	va_list ap;
	sbuf_truncate(&s->err, 0);
	sbuf_addf(&s->err, "%s: ", s->path);
	va_start(ap, fmt);
	sbuf_vaddf(&s->err, fmt, ap);
	va_end(ap);
	s->code = rc;
	return rc;
}

int store_sqlfail(struct store *s, int sqlite_rc)
{
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(sqlite_rc);
	switch (sqlite_rc & 0xff) {
	case SQLITE_NOTADB:
		return store_fail(s, STORE_ENOTOURS, "not a backlab progress database");
	case SQLITE_CORRUPT:
		return store_fail(s, STORE_ECORRUPT,
		                  "damaged progress database (%s); it was left as it is", msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return store_fail(s, STORE_EBUSY,
		                  "still locked by another process after %d s; try again",
		                  STORE_BUSY_MS / 1000);
	case SQLITE_READONLY:
		return store_fail(s, STORE_EREADONLY, "read-only: %s", msg);
	default:
		return store_fail(s, STORE_EIO, "%s", msg);
	}
}

sqlite3_stmt *store_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (!s->db) {
		store_fail(s, STORE_EIO, "not open");
		return NULL;
	}
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		store_sqlfail(s, rc);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int store_exec_stmt(struct store *s, sqlite3_stmt *st)
{
	int rc;
	if (!st)
		return s->code; /* message set by store_prepare() */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : store_sqlfail(s, rc);
}

static int exec(struct store *s, const char *sql)
{
	return store_exec_stmt(s, store_prepare(s, sql));
}

int store_begin_write(struct store *s)
{
	return exec(s, "BEGIN IMMEDIATE");
}

int store_begin_read(struct store *s)
{
	return exec(s, "BEGIN");
}

int store_commit(struct store *s)
{
	int rc = exec(s, "COMMIT");
	if (rc != STORE_OK && !sqlite3_get_autocommit(s->db))
		store_rollback(s, rc);
	return rc;
}

int store_rollback(struct store *s, int rc)
{
	if (s->db && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int store_bind_text(sqlite3_stmt *st, int i, const char *str)
{
	return sqlite3_bind_text(st, i, str, -1, SQLITE_TRANSIENT);
}

int store_profile_id(struct store *s, sqlite3_int64 *id)
{
	sqlite3_stmt *st = store_prepare(s, "INSERT OR IGNORE INTO profile (name) VALUES (?1)");
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	int rc = store_exec_stmt(s, st);
	if (rc != STORE_OK)
		return rc;
	st = store_prepare(s, "SELECT id FROM profile WHERE name = ?1");
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r == SQLITE_ROW ? STORE_OK : store_sqlfail(s, r == SQLITE_DONE ? SQLITE_CORRUPT : r);
}

/* ---- ids, time, validation ---- */

/*
 * Record ids are 128 bits from /dev/urandom, not a hash of the content:
 * two identical attempts (same answer, same millisecond, same seed) are
 * still two attempts, and no content has to be normalised first. The
 * chance that two of a billion ids collide is below 10^-20.
 */
int store_new_uid(struct store *s, char *out)
{
	unsigned char b[STORE_UID_LEN / 2];
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return store_fail(s, STORE_EIO, "cannot open /dev/urandom: %s", strerror(errno));
	while (got < sizeof b) {
		ssize_t n = read(fd, b + got, sizeof b - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return store_fail(s, STORE_EIO, "cannot read /dev/urandom");
		}
		got += (size_t)n;
	}
	close(fd);
	for (size_t i = 0; i < sizeof b; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return STORE_OK;
}

int64_t store_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool store_valid_text(const char *str)
{
	for (const unsigned char *p = (const unsigned char *)str; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return jsonl_utf8_valid(str, strlen(str));
}

/* Non-empty "/"-separated segments, no white space or control character. */
bool store_valid_id(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 1000 || id[0] == '/' || id[n - 1] == '/' || strstr(id, "//"))
		return false;
	if (strpbrk(id, " \t"))
		return false;
	return store_valid_text(id);
}

bool store_valid_target(const char *target)
{
	return target && (strcmp(target, "all") == 0 || store_valid_id(target));
}

bool store_valid_uid(const char *uid)
{
	if (!uid || strlen(uid) != STORE_UID_LEN)
		return false;
	return strspn(uid, "0123456789abcdef") == STORE_UID_LEN;
}

/* ---- opening ---- */

const char *store_errmsg(const struct store *s)
{
	return sbuf_str(&s->err);
}

const char *store_path(const struct store *s)
{
	return s->path;
}

const char *store_profile(const struct store *s)
{
	return s->profile;
}

int store_open_version(struct store **sp, const char *path, const char *profile, int version)
{
	struct store *s = xcalloc(1, sizeof *s);
	*sp = s;
	s->path = xstrdup(path ? path : "(null)");
	s->profile = xstrdup(profile ? profile : "");
	if (!path || !*path)
		return store_fail(s, STORE_EINVAL, "empty database path");
	if (!profile || !*profile || strlen(profile) > 200 || !store_valid_text(profile))
		return store_fail(s, STORE_EINVAL, "bad profile name \"%s\"", s->profile);
	return store_schema_open(s, version);
}

int store_open(struct store **sp, const char *path, const char *profile)
{
	return store_open_version(sp, path, profile, STORE_SCHEMA);
}

int store_open_readonly(struct store **sp, const char *path, const char *profile)
{
	struct store *s = xcalloc(1, sizeof *s);
	*sp = s;
	s->path = xstrdup(path ? path : "(null)");
	s->profile = xstrdup(profile ? profile : "");
	if (!path || !*path)
		return store_fail(s, STORE_EINVAL, "empty database path");
	if (!profile || !*profile || strlen(profile) > 200 || !store_valid_text(profile))
		return store_fail(s, STORE_EINVAL, "bad profile name \"%s\"", s->profile);
	return store_schema_open_readonly(s, STORE_SCHEMA);
}

bool store_readonly(const struct store *s)
{
	return s && s->readonly;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s->path);
	free(s->profile);
	sbuf_free(&s->err);
	free(s);
}

char *store_default_path(void)
{
	const char *v = getenv("BACKLAB_DB");
	if (v && *v)
		return xstrdup(v);
	v = getenv("XDG_DATA_HOME");
	if (v && v[0] == '/')
		return xasprintf("%s/backlab/progress.db", v);
	v = getenv("HOME");
	if (!v || !*v) {
		struct passwd *pw = getpwuid(getuid());
		v = pw ? pw->pw_dir : NULL;
	}
	if (!v || !*v)
		return NULL;
	return xasprintf("%s/.local/share/backlab/progress.db", v);
}

char *store_default_profile(void)
{
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name && store_valid_text(pw->pw_name))
		return xstrdup(pw->pw_name);
	const char *v = getenv("USER");
	if (v && *v && store_valid_text(v))
		return xstrdup(v);
	return xstrdup("learner");
}

/* ---- recording ---- */

/* Inserts the submission and feedback of the attempt just inserted. */
static int insert_text(struct store *s, const struct store_attempt *a)
{
	sqlite3_stmt *st = store_prepare(
	    s, "INSERT INTO attempt_text (event, submission, feedback) VALUES (?1, ?2, ?3)");
	if (!st)
		return s->code;
	sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(s->db));
	sqlite3_bind_text(st, 2, jsonl_utf8_fix(a->submission ? a->submission : ""), -1, free);
	sqlite3_bind_text(st, 3, jsonl_utf8_fix(a->feedback ? a->feedback : ""), -1, free);
	return store_exec_stmt(s, st);
}

int store_insert_event(struct store *s, sqlite3_int64 pid, const struct store_event *e, bool *added)
{
	sqlite3_stmt *st =
	    store_prepare(s, "INSERT INTO event (profile, uid, kind, exercise, at, passed, score,"
	                     " seed, duration_ms, check_hash, hints)"
	                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	                     " ON CONFLICT (profile, uid) DO NOTHING");
	if (!st)
		return s->code;
	sqlite3_bind_int64(st, 1, pid);
	store_bind_text(st, 2, e->uid);
	store_bind_text(st, 3, e->kind);
	store_bind_text(st, 4, e->exercise);
	sqlite3_bind_int64(st, 5, e->at);
	if (e->a) {
		sqlite3_bind_int(st, 6, e->a->passed);
		sqlite3_bind_double(st, 7, e->a->score);
		sqlite3_bind_int64(st, 8, (sqlite3_int64)e->a->seed);
		sqlite3_bind_int64(st, 9, e->a->duration_ms);
		store_bind_text(st, 10, e->a->check_hash);
	}
	if (e->hints > 0)
		sqlite3_bind_int(st, 11, e->hints);
	int rc = store_exec_stmt(s, st);
	bool new = rc == STORE_OK &&sqlite3_changes(s->db) > 0;
	if (new && e->a)
		rc = insert_text(s, e->a);
	if (added)
		*added = new;
	return rc;
}

static int check_attempt(struct store *s, const struct store_attempt *a)
{
	if (!store_valid_id(a->exercise))
		return store_fail(s, STORE_EINVAL, "bad exercise id \"%s\"",
		                  a->exercise ? a->exercise : "(null)");
	if (!(a->score >= 0.0 && a->score <= 1.0))
		return store_fail(s, STORE_EINVAL, "score %g is not in 0..1", a->score);
	if (a->at < 0 || a->duration_ms < 0)
		return store_fail(s, STORE_EINVAL, "negative time or duration");
	if (!a->check_hash || !store_valid_text(a->check_hash))
		return store_fail(s, STORE_EINVAL, "bad check hash");
	if (a->submission && strlen(a->submission) > STORE_MAX_SUBMISSION)
		return store_fail(s, STORE_EINVAL, "the submission is longer than %d MiB",
				  STORE_MAX_SUBMISSION >> 20);
	return STORE_OK;
}

int store_record_attempt(struct store *s, struct store_attempt *a)
{
	char uid[STORE_UID_LEN + 1];
	sqlite3_int64 pid;
	int rc = check_attempt(s, a);
	if (rc == STORE_OK)
		rc = store_new_uid(s, uid);
	if (rc != STORE_OK)
		return rc;
	struct store_event e = {uid, "attempt", a->exercise, a->at ? a->at : store_now_ms(), a, 0};
	if ((rc = store_begin_write(s)) != STORE_OK)
		return rc;
	if ((rc = store_profile_id(s, &pid)) == STORE_OK)
		rc = store_insert_event(s, pid, &e, NULL);
	if (rc == STORE_OK)
		rc = store_commit(s);
	if (rc != STORE_OK)
		return store_rollback(s, rc);
	memcpy(a->uid, uid, sizeof uid);
	a->at = e.at;
	return STORE_OK;
}

/*
 * The largest visible value of the exercise's events of this kind: the
 * hint count for "hint", the number of events for the others. In a
 * transaction.
 */
static int visible_value(struct store *s, const char *exercise, const char *kind, int *out)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT CASE WHEN ?3 = 'hint' THEN coalesce(max(hints), 0) ELSE count(*) END"
	    " FROM visible_event WHERE profile = " PROFILE_ID " AND exercise = ?2 AND kind = ?3");
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	store_bind_text(st, 2, exercise);
	store_bind_text(st, 3, kind);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : store_sqlfail(s, rc);
}

/* Records a hint, solution or skip event unless it would change nothing. */
static int record_mark(struct store *s, const char *kind, const char *exercise, int hints)
{
	char uid[STORE_UID_LEN + 1];
	sqlite3_int64 pid;
	int cur = 0, rc;
	if (!store_valid_id(exercise))
		return store_fail(s, STORE_EINVAL, "bad exercise id \"%s\"",
		                  exercise ? exercise : "(null)");
	if ((rc = store_new_uid(s, uid)) != STORE_OK)
		return rc;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return rc;
	rc = visible_value(s, exercise, kind, &cur);
	if (rc == STORE_OK && (hints > 0 ? hints <= cur : cur > 0))
		return store_rollback(s, STORE_OK); /* nothing new */
	if (rc == STORE_OK)
		rc = store_profile_id(s, &pid);
	if (rc == STORE_OK) {
		struct store_event e = {uid, kind, exercise, store_now_ms(), NULL, hints};
		rc = store_insert_event(s, pid, &e, NULL);
	}
	if (rc == STORE_OK)
		rc = store_commit(s);
	return rc == STORE_OK ? rc : store_rollback(s, rc);
}

int store_record_hint(struct store *s, const char *exercise, int n)
{
	if (n < 1)
		return store_fail(s, STORE_EINVAL, "hint number %d is not positive", n);
	return record_mark(s, "hint", exercise, n);
}

int store_record_solution(struct store *s, const char *exercise)
{
	return record_mark(s, "solution", exercise, 0);
}

int store_record_skip(struct store *s, const char *exercise)
{
	return record_mark(s, "skip", exercise, 0);
}

/* ---- position and time spent ---- */

int store_set_position(struct store *s, const char *lesson, int step)
{
	sqlite3_int64 pid;
	if (!store_valid_id(lesson) || step < 0)
		return store_fail(s, STORE_EINVAL, "bad position \"%s\" step %d",
		                  lesson ? lesson : "(null)", step);
	int rc = store_begin_write(s);
	if (rc != STORE_OK)
		return rc;
	if ((rc = store_profile_id(s, &pid)) == STORE_OK) {
		sqlite3_stmt *st =
		    store_prepare(s, "INSERT OR REPLACE INTO position (profile, lesson, step, at)"
		                     " VALUES (?1, ?2, ?3, ?4)");
		if (st) {
			sqlite3_bind_int64(st, 1, pid);
			store_bind_text(st, 2, lesson);
			sqlite3_bind_int(st, 3, step);
			sqlite3_bind_int64(st, 4, store_now_ms());
		}
		rc = store_exec_stmt(s, st);
	}
	if (rc == STORE_OK)
		rc = store_commit(s);
	return rc == STORE_OK ? rc : store_rollback(s, rc);
}

int store_get_position(struct store *s, char **lesson, int *step)
{
	*lesson = NULL;
	*step = 0;
	sqlite3_stmt *st =
	    store_prepare(s, "SELECT lesson, step FROM position WHERE profile = " PROFILE_ID);
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*lesson = xstrdup((const char *)sqlite3_column_text(st, 0));
		*step = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store_sqlfail(s, rc);
}

int store_origin(struct store *s, char *out)
{
	char uid[STORE_UID_LEN + 1];
	int rc = store_new_uid(s, uid);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st =
	    store_prepare(s, "INSERT OR IGNORE INTO meta (key, value) VALUES ('origin', ?1)");
	if (st)
		store_bind_text(st, 1, uid);
	if ((rc = store_exec_stmt(s, st)) != STORE_OK)
		return rc;
	st = store_prepare(s, "SELECT value FROM meta WHERE key = 'origin'");
	if (!st)
		return s->code;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(out, STORE_UID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r == SQLITE_ROW ? STORE_OK : store_sqlfail(s, r == SQLITE_DONE ? SQLITE_CORRUPT : r);
}

/*
 * Time spent is a counter per (lesson, origin), the origin being the
 * database file that counted it: merging two machines' exports then takes
 * the larger value per origin and adds up the origins, so that importing
 * twice counts nothing twice (a grow-only counter).
 */
int store_add_time(struct store *s, const char *lesson, int64_t seconds)
{
	char origin[STORE_UID_LEN + 1];
	sqlite3_int64 pid;
	if (!store_valid_id(lesson) || seconds <= 0 || seconds > STORE_MAX_SECONDS)
		return store_fail(s, STORE_EINVAL, "bad time spent: %lld s in \"%s\"",
		                  (long long)seconds, lesson ? lesson : "(null)");
	int rc = store_begin_write(s);
	if (rc != STORE_OK)
		return rc;
	if ((rc = store_profile_id(s, &pid)) == STORE_OK)
		rc = store_origin(s, origin);
	if (rc == STORE_OK) {
		sqlite3_stmt *st = store_prepare(
		    s, "INSERT INTO time_spent (profile, lesson, origin, seconds)"
		       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (profile, lesson, origin)"
		       " DO UPDATE SET seconds = min(seconds + excluded.seconds, ?5)");
		if (st) {
			sqlite3_bind_int64(st, 1, pid);
			store_bind_text(st, 2, lesson);
			store_bind_text(st, 3, origin);
			sqlite3_bind_int64(st, 4, seconds);
			sqlite3_bind_int64(st, 5, STORE_MAX_SECONDS);
		}
		rc = store_exec_stmt(s, st);
	}
	if (rc == STORE_OK)
		rc = store_commit(s);
	return rc == STORE_OK ? rc : store_rollback(s, rc);
}
