/*
 * store_import.c — merging an export (store_export.c describes its lines)
 * into a profile; see store.h.
 *
 * The whole file is one write transaction: any bad line rolls everything
 * back. Each line is parsed, its type looked up in a table that lists the
 * fields it may have, and handled by that type's function. Records carry
 * their ids, so a record already present is skipped.
 */
#include "engine/store_int.h"

#include "engine/base/jsonl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* An import in progress: where it is and what it did. */
struct importer {
	struct store *s;
	const char *name;
	long line;
	char *learner; /* of the first line */
	sqlite3_int64 pid;
	const struct jsonl_obj *o;
	struct store_import_stats stats;
};

/* Sets the message "NAME:LINE: ..." and returns STORE_EFORMAT. */
static int bad(struct importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct importer *im, const char *fmt, ...)
{
	va_list ap;
	struct sbuf *e = &im->s->err;
	sbuf_truncate(e, 0);
	if (im->name)
		sbuf_addf(e, "%s:", im->name);
	sbuf_addf(e, "%ld: ", im->line);
	va_start(ap, fmt);
	sbuf_vaddf(e, fmt, ap);
	va_end(ap);
	im->s->code = STORE_EFORMAT;
	return STORE_EFORMAT;
}

/* A database error during the import, with the line it happened on. */
static int dberr(struct importer *im, int rc)
{
	if (rc == STORE_OK)
		return rc;
	char *msg = xstrdup(store_errmsg(im->s));
	bad(im, "%s", msg);
	free(msg);
	im->s->code = rc;
	return rc;
}

static int get_str(struct importer *im, const char *k, const char **out)
{
	const struct jsonl_value *v = jsonl_get(im->o, k);
	if (!v)
		return bad(im, "missing field \"%s\"", k);
	if (v->type != JSONL_STR)
		return bad(im, "field \"%s\" must be a string", k);
	*out = v->text;
	return STORE_OK;
}

static int get_id(struct importer *im, const char *k, const char **out)
{
	int rc = get_str(im, k, out);
	if (rc == STORE_OK &&
	    !(strcmp(k, "target") == 0 ? store_valid_target(*out) : store_valid_id(*out)))
		return bad(im, "field \"%s\": bad id \"%s\"", k, *out);
	return rc;
}

static int get_uid(struct importer *im, const char *k, const char **out)
{
	int rc = get_str(im, k, out);
	if (rc == STORE_OK && !store_valid_uid(*out))
		return bad(im, "field \"%s\" must be %d lowercase hex digits", k, STORE_UID_LEN);
	return rc;
}

/* Integer field K, from MIN to MAX. */
static int get_range(struct importer *im, const char *k, int64_t min, int64_t max, int64_t *out)
{
	const struct jsonl_value *v = jsonl_get(im->o, k);
	if (!v)
		return bad(im, "missing field \"%s\"", k);
	if (jsonl_int_of(v, min, max, out) != 0)
		return bad(im, "field \"%s\" must be an integer from %" PRId64 " to %" PRId64, k,
			   min, max);
	return STORE_OK;
}

/* Integer field K >= MIN; its upper bound is the one of its kind: "at"
 * (a time), "duration_ms", "seconds" (time spent), or INT32_MAX. */
static int get_int(struct importer *im, const char *k, int64_t min, int64_t *out)
{
	int64_t max = strcmp(k, "at") == 0		? STORE_MAX_AT_MS
		      : strcmp(k, "duration_ms") == 0 ? STORE_MAX_DURATION_MS
		      : strcmp(k, "seconds") == 0	? STORE_MAX_SECONDS
						      : INT32_MAX;
	return get_range(im, k, min, max, out);
}

static int get_bool(struct importer *im, const char *k, bool *out)
{
	const struct jsonl_value *v = jsonl_get(im->o, k);
	if (!v)
		return bad(im, "missing field \"%s\"", k);
	if (v->type != JSONL_BOOL)
		return bad(im, "field \"%s\" must be true or false", k);
	*out = v->boolean;
	return STORE_OK;
}

static int get_score(struct importer *im, const char *k, double *out)
{
	const struct jsonl_value *v = jsonl_get(im->o, k);
	if (!v)
		return bad(im, "missing field \"%s\"", k);
	if (v->type != JSONL_NUM || !(v->num >= 0 && v->num <= 1))
		return bad(im, "field \"%s\" must be a number from 0 to 1", k);
	*out = v->num;
	return STORE_OK;
}

static int get_seed(struct importer *im, const char *k, uint64_t *out)
{
	const char *t;
	int rc = get_str(im, k, &t);
	if (rc != STORE_OK)
		return rc;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(t, &end, 10);
	if (!*t || strspn(t, "0123456789") != strlen(t) || *end || errno)
		return bad(im, "field \"%s\" must be a string of decimal digits (a 64-bit seed)",
		           k);
	*out = v;
	return STORE_OK;
}

/* Counts an insertion as added or duplicate. */
static void count(struct importer *im, bool added)
{
	if (added)
		im->stats.added++;
	else
		im->stats.duplicates++;
}

static int import_attempt(struct importer *im)
{
	struct store_attempt a = {0};
	struct store_event e = {.kind = "attempt", .a = &a};
	int64_t at, dur;
	bool added;
	int rc = get_uid(im, "id", &e.uid);
	if (rc == STORE_OK)
		rc = get_id(im, "exercise", &e.exercise);
	if (rc == STORE_OK)
		rc = get_int(im, "at", 0, &at);
	if (rc == STORE_OK)
		rc = get_bool(im, "passed", &a.passed);
	if (rc == STORE_OK)
		rc = get_score(im, "score", &a.score);
	if (rc == STORE_OK)
		rc = get_seed(im, "seed", &a.seed);
	if (rc == STORE_OK)
		rc = get_int(im, "duration_ms", 0, &dur);
	if (rc == STORE_OK)
		rc = get_str(im, "check", &a.check_hash);
	if (rc == STORE_OK)
		rc = get_str(im, "submission", &a.submission);
	if (rc == STORE_OK)
		rc = get_str(im, "feedback", &a.feedback);
	if (rc != STORE_OK)
		return rc;
	if (!store_valid_text(a.check_hash))
		return bad(im, "field \"check\" holds a control character");
	e.at = at;
	a.duration_ms = dur;
	rc = dberr(im, store_insert_event(im->s, im->pid, &e, &added));
	if (rc == STORE_OK)
		count(im, added);
	return rc;
}

/* hint, solution and skip lines */
static int import_mark(struct importer *im)
{
	struct store_event e = {0};
	int64_t at, hints = 0;
	bool added;
	int rc = get_str(im, "type", &e.kind);
	if (rc == STORE_OK)
		rc = get_uid(im, "id", &e.uid);
	if (rc == STORE_OK)
		rc = get_id(im, "exercise", &e.exercise);
	if (rc == STORE_OK)
		rc = get_int(im, "at", 0, &at);
	if (rc == STORE_OK && strcmp(e.kind, "hint") == 0)
		rc = get_int(im, "hints", 1, &hints);
	if (rc != STORE_OK)
		return rc;
	if (hints > 1000000)
		return bad(im, "field \"hints\" is too large");
	e.at = at;
	e.hints = (int)hints;
	rc = dberr(im, store_insert_event(im->s, im->pid, &e, &added));
	if (rc == STORE_OK)
		count(im, added);
	return rc;
}

/* Runs an INSERT bound to (pid, uid, text, at[, extra]); *added tells
 * whether a row was added. */
static int insert_op(struct importer *im, const char *sql, const char *uid, const char *text,
                     int64_t at, sqlite3_int64 extra, bool *added)
{
	sqlite3_stmt *st = store_prepare(im->s, sql);
	if (st) {
		sqlite3_bind_int64(st, 1, im->pid);
		store_bind_text(st, 2, uid);
		store_bind_text(st, 3, text);
		sqlite3_bind_int64(st, 4, at);
		if (extra)
			sqlite3_bind_int64(st, 5, extra);
	}
	int rc = dberr(im, store_exec_stmt(im->s, st));
	*added = rc == STORE_OK && sqlite3_changes(im->s->db) > 0;
	return rc;
}

/* The row id of a record of the profile by its uid (table: event or
 * reset); 0 if there is none. */
static int find_uid(struct importer *im, const char *table, const char *uid, sqlite3_int64 *id)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE profile = ?1 AND uid = ?2", table);
	sqlite3_stmt *st = store_prepare(im->s, sql);
	if (!st)
		return dberr(im, im->s->code);
	sqlite3_bind_int64(st, 1, im->pid);
	store_bind_text(st, 2, uid);
	int rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
	                                             : dberr(im, store_sqlfail(im->s, rc));
}

/* Adds the reset_item rows of a new reset from its "covers" list. */
static int import_covers(struct importer *im, sqlite3_int64 reset, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = STORE_OK;
	for (char *u = strtok_r(copy, " ", &save); u && rc == STORE_OK;
	     u = strtok_r(NULL, " ", &save)) {
		sqlite3_int64 ev;
		if (!store_valid_uid(u)) {
			rc = bad(im, "field \"covers\": bad id \"%s\"", u);
			break;
		}
		if ((rc = find_uid(im, "event", u, &ev)) != STORE_OK)
			break;
		if (!ev) {
			rc = bad(im, "reset covers %s, which is on no earlier line", u);
			break;
		}
		sqlite3_stmt *st = store_prepare(
		    im->s, "INSERT OR IGNORE INTO reset_item (event, reset) VALUES (?1, ?2)");
		if (st) {
			sqlite3_bind_int64(st, 1, ev);
			sqlite3_bind_int64(st, 2, reset);
		}
		rc = dberr(im, store_exec_stmt(im->s, st));
	}
	free(copy);
	return rc;
}

static int import_reset(struct importer *im)
{
	const char *uid, *target, *list;
	int64_t at;
	bool added;
	int rc = get_uid(im, "id", &uid);
	if (rc == STORE_OK)
		rc = get_id(im, "target", &target);
	if (rc == STORE_OK)
		rc = get_int(im, "at", 0, &at);
	if (rc == STORE_OK)
		rc = get_str(im, "covers", &list);
	if (rc == STORE_OK)
		rc =
		    insert_op(im,
		              "INSERT INTO reset (profile, uid, target, at) VALUES (?1, ?2, ?3, ?4)"
		              " ON CONFLICT (profile, uid) DO NOTHING",
		              uid, target, at, 0, &added);
	if (rc == STORE_OK && added)
		rc = import_covers(im, sqlite3_last_insert_rowid(im->s->db), list);
	if (rc == STORE_OK)
		count(im, added);
	return rc;
}

static int import_restore(struct importer *im)
{
	const char *uid, *target, *reset_uid;
	int64_t at;
	sqlite3_int64 reset;
	bool added;
	int rc = get_uid(im, "id", &uid);
	if (rc == STORE_OK)
		rc = get_id(im, "target", &target);
	if (rc == STORE_OK)
		rc = get_int(im, "at", 0, &at);
	if (rc == STORE_OK)
		rc = get_uid(im, "reset", &reset_uid);
	if (rc == STORE_OK)
		rc = find_uid(im, "reset", reset_uid, &reset);
	if (rc != STORE_OK)
		return rc;
	if (!reset)
		return bad(im, "restore of reset %s, which is on no earlier line", reset_uid);
	rc = insert_op(im,
	               "INSERT INTO restore (profile, uid, target, at, reset)"
	               " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (profile, uid) DO NOTHING",
	               uid, target, at, reset, &added);
	if (rc == STORE_OK)
		count(im, added);
	return rc;
}

/* Time spent per lesson and origin: the larger count wins. */
static int import_time(struct importer *im)
{
	const char *lesson, *origin;
	int64_t seconds;
	bool changed;
	int rc = get_id(im, "lesson", &lesson);
	if (rc == STORE_OK)
		rc = get_uid(im, "origin", &origin);
	if (rc == STORE_OK)
		rc = get_int(im, "seconds", 0, &seconds);
	if (rc == STORE_OK)
		rc = insert_op(im,
		               "INSERT INTO time_spent (profile, origin, lesson, seconds)"
		               " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (profile, lesson, origin)"
		               " DO UPDATE SET seconds = excluded.seconds"
		               " WHERE excluded.seconds > seconds",
		               origin, lesson, seconds, 0, &changed);
	if (rc == STORE_OK)
		changed ? im->stats.updated++ : im->stats.kept++;
	return rc;
}

/* The position: the newer one wins. */
static int import_position(struct importer *im)
{
	const char *lesson;
	int64_t step, at;
	bool changed;
	int rc = get_id(im, "lesson", &lesson);
	if (rc == STORE_OK)
		rc = get_int(im, "step", 0, &step);
	if (rc == STORE_OK)
		rc = get_int(im, "at", 0, &at);
	if (rc != STORE_OK)
		return rc;
	if (step > INT32_MAX)
		return bad(im, "field \"step\" is too large");
	sqlite3_stmt *st = store_prepare(
	    im->s, "INSERT INTO position (profile, lesson, step, at) VALUES (?1, ?2, ?3, ?4)"
	           " ON CONFLICT (profile) DO UPDATE SET lesson = excluded.lesson,"
	           " step = excluded.step, at = excluded.at WHERE excluded.at > position.at");
	if (st) {
		sqlite3_bind_int64(st, 1, im->pid);
		store_bind_text(st, 2, lesson);
		sqlite3_bind_int64(st, 3, step);
		sqlite3_bind_int64(st, 4, at);
	}
	rc = dberr(im, store_exec_stmt(im->s, st));
	changed = rc == STORE_OK && sqlite3_changes(im->s->db) > 0;
	if (rc == STORE_OK)
		changed ? im->stats.updated++ : im->stats.kept++;
	return rc;
}

/* Completion lines are derived from the attempts: checked, not stored. */
static int import_completion(struct importer *im)
{
	const char *x;
	int64_t at;
	int rc = get_id(im, "exercise", &x);
	if (rc == STORE_OK)
		rc = get_str(im, "check", &x);
	if (rc == STORE_OK)
		rc = get_int(im, "at", 0, &at);
	if (rc == STORE_OK)
		rc = get_uid(im, "attempt", &x);
	if (rc == STORE_OK)
		im->stats.derived++;
	return rc;
}

/* The line types, with the fields each may have besides type and learner. */
static const struct {
	const char *type;
	int (*fn)(struct importer *);
	const char *fields[11];
} kinds[] = {
    {"attempt",
     import_attempt,
     {"id", "exercise", "at", "passed", "score", "seed", "duration_ms", "check", "submission",
      "feedback"}},
    {"hint", import_mark, {"id", "exercise", "at", "hints"}},
    {"solution", import_mark, {"id", "exercise", "at"}},
    {"skip", import_mark, {"id", "exercise", "at"}},
    {"reset", import_reset, {"id", "target", "at", "covers"}},
    {"restore", import_restore, {"id", "target", "at", "reset"}},
    {"time", import_time, {"lesson", "origin", "seconds"}},
    {"position", import_position, {"lesson", "step", "at"}},
    {"completion", import_completion, {"exercise", "check", "at", "attempt"}},
};

/* Refuses fields the type does not have (a newer format, a typo). */
static int known_fields(struct importer *im, const char *const *fields)
{
	for (size_t i = 0; i < im->o->n; i++) {
		const char *k = im->o->v[i].key;
		bool ok = strcmp(k, "type") == 0 || strcmp(k, "learner") == 0;
		for (size_t j = 0; !ok && fields[j]; j++)
			ok = strcmp(k, fields[j]) == 0;
		if (!ok)
			return bad(im, "unknown field \"%s\"", k);
	}
	return STORE_OK;
}

static int check_learner(struct importer *im)
{
	const char *l;
	int rc = get_str(im, "learner", &l);
	if (rc != STORE_OK)
		return rc;
	if (!im->learner)
		im->learner = xstrdup(l);
	else if (strcmp(l, im->learner) != 0)
		return bad(im, "learner \"%s\" differs from \"%s\" on earlier lines", l,
		           im->learner);
	return STORE_OK;
}

static int import_line(struct importer *im, const char *text, size_t len)
{
	struct jsonl_obj o = {0};
	char *err = NULL;
	const char *type;
	if (strspn(text, " \t\r\n") == len)
		return STORE_OK; /* blank line */
	if (jsonl_parse(&o, text, len, &err) != 0) {
		int rc = bad(im, "%s", err);
		free(err);
		return rc;
	}
	im->o = &o;
	int rc = get_str(im, "type", &type);
	size_t i = 0;
	while (rc == STORE_OK && i < sizeof kinds / sizeof kinds[0] && strcmp(kinds[i].type, type))
		i++;
	if (rc == STORE_OK && i == sizeof kinds / sizeof kinds[0])
		rc = bad(im, "unknown type \"%s\"", type);
	if (rc == STORE_OK)
		rc = check_learner(im);
	if (rc == STORE_OK)
		rc = known_fields(im, kinds[i].fields);
	if (rc == STORE_OK)
		rc = kinds[i].fn(im);
	jsonl_obj_free(&o);
	im->o = NULL;
	return rc;
}

/*
 * Reads the next line of IN into LINE (without growing it past
 * STORE_MAX_LINE bytes). Returns 1 with a line, 0 at the end, -1 if the line
 * is too long (the rest of it is not read).
 */
static int read_line(FILE *in, struct sbuf *line)
{
	char chunk[4096];
	size_t n = 0;
	int c;
	sbuf_truncate(line, 0);
	while ((c = getc_unlocked(in)) != EOF) {
		chunk[n++] = (char)c;
		if (n == sizeof chunk || c == '\n') {
			if (line->len + n > STORE_MAX_LINE)
				return -1;
			sbuf_add(line, chunk, n);
			n = 0;
			if (c == '\n')
				return 1;
		}
	}
	if (line->len + n > STORE_MAX_LINE)
		return -1;
	sbuf_add(line, chunk, n);
	return line->len > 0;
}

static int import_lines(struct importer *im, FILE *in)
{
	struct sbuf line = SBUF_INIT;
	int rc = STORE_OK, got;
	while (rc == STORE_OK && (got = read_line(in, &line)) != 0) {
		im->line++;
		if (got < 0) {
			rc = bad(im, "the line is longer than %d MiB; no export line is",
				 STORE_MAX_LINE >> 20);
			break;
		}
		if (memchr(line.buf, '\0', line.len)) {
			rc = bad(im, "NUL byte in line");
			break;
		}
		rc = import_line(im, line.buf, line.len);
	}
	if (rc == STORE_OK && ferror(in))
		rc = store_fail(im->s, STORE_EIO, "cannot read the import: %s", strerror(errno));
	sbuf_free(&line);
	return rc;
}

int store_import(struct store *s, FILE *in, const char *name, struct store_import_stats *stats)
{
	struct importer im = {.s = s, .name = name};
	int rc = store_begin_write(s);
	if (rc != STORE_OK)
		return rc;
	rc = store_profile_id(s, &im.pid);
	if (rc == STORE_OK)
		rc = import_lines(&im, in);
	if (rc == STORE_OK)
		rc = store_commit(s);
	if (rc != STORE_OK) {
		store_rollback(s, rc);
		memset(&im.stats, 0, sizeof im.stats);
	}
	if (stats)
		*stats = im.stats;
	free(im.learner);
	return rc;
}
