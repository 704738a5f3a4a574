/* Unit tests of the progress store (engine/store*.c). */
#include "unit.h"
#include "engine/store.h"
#include "engine/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers ---- */

/* A new path under $TMPROOT (or /tmp); static storage, one per call. */
static const char *tmp_path(const char *name)
{
	static char paths[64][512];
	static int n;
	const char *root = getenv("TMPROOT");
	char *p = paths[n++ % 64];
	snprintf(p, 512, "%s/store-%d-%d/%s", root ? root : "/tmp", (int)getpid(), n, name);
	return p;
}

static struct store *open_ok(const char *path, const char *profile)
{
	struct store *s;
	int rc = store_open(&s, path, profile);
	if (rc != STORE_OK)
		printf("      store_open: %s\n", store_errmsg(s));
	return rc == STORE_OK ? s : (store_close(s), NULL);
}

/* Records one attempt; returns the store_record_attempt() result. */
static int attempt(struct store *s, const char *ex, bool passed, double score, const char *hash,
                   int64_t at)
{
	struct store_attempt a = {.exercise = ex,
	                          .at = at,
	                          .passed = passed,
	                          .score = score,
	                          .submission = "answer",
	                          .feedback = passed ? "" : "no",
	                          .seed = 42,
	                          .duration_ms = 7,
	                          .check_hash = hash};
	return store_record_attempt(s, &a);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	return sbuf_detach(&sb);
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	fputs(text, f);
	fclose(f);
}

/* A file's bytes and mtime, to show it was left untouched. */
struct print {
	char *bytes;
	size_t len;
	struct timespec mtime;
};

static void fingerprint(const char *path, struct print *p)
{
	struct stat st;
	p->bytes = slurp(path, &p->len);
	stat(path, &st);
	p->mtime = st.st_mtim;
}

static bool untouched(const char *path, struct print *before)
{
	struct print now;
	fingerprint(path, &now);
	bool same =
	    now.bytes && now.len == before->len && memcmp(now.bytes, before->bytes, now.len) == 0 &&
	    now.mtime.tv_sec == before->mtime.tv_sec && now.mtime.tv_nsec == before->mtime.tv_nsec;
	free(now.bytes);
	free(before->bytes);
	return same;
}

static void make_parent(const char *path)
{
	char *d = xstrdup(path);
	*strrchr(d, '/') = '\0';
	char *cmd = xasprintf("mkdir -p '%s'", d);
	if (system(cmd) != 0)
		printf("      mkdir failed\n");
	free(cmd);
	free(d);
}

/* Runs SQL on a file directly, as another program would. */
static int raw_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	make_parent(path);
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static int raw_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Everything a learner's progress is, as text, to compare two states. */
static char *snapshot(struct store *s)
{
	struct sbuf sb = SBUF_INIT;
	struct store_progress p;
	struct store_history h;
	char *lesson;
	int step;
	if (store_progress_load(s, NULL, &p) != STORE_OK)
		return xstrdup("load failed");
	for (size_t i = 0; i < p.nex; i++) {
		struct store_exercise *e = &p.ex[i];
		sbuf_addf(&sb, "%s attempts=%d best=%.17g hints=%d sol=%d skip=%d", e->id,
		          e->attempts, e->best_score, e->hints, e->solution, e->skipped);
		for (size_t j = 0; j < e->npass; j++)
			sbuf_addf(&sb, " pass=%s@%" PRId64 ":%s", e->passes[j].check_hash,
			          e->passes[j].at, e->passes[j].uid);
		sbuf_addc(&sb, '\n');
	}
	for (size_t i = 0; i < p.ntime; i++)
		sbuf_addf(&sb, "time %s %" PRId64 "\n", p.time[i].lesson, p.time[i].seconds);
	sbuf_addf(&sb, "totals %" PRId64 " %d\n", p.total_seconds, p.total_hints);
	store_progress_free(&p);
	if (store_history(s, NULL, &h) == STORE_OK) {
		for (size_t i = 0; i < h.n; i++)
			sbuf_addf(&sb, "history %s %s reset=%d\n", h.v[i].uid, h.v[i].exercise,
			          h.v[i].reset);
		store_history_free(&h);
	}
	if (store_get_position(s, &lesson, &step) == STORE_OK && lesson) {
		sbuf_addf(&sb, "position %s %d\n", lesson, step);
		free(lesson);
	}
	return sbuf_detach(&sb);
}

/* A varied state: passes, failures, hints, solution, skip, time, position. */
static void populate(struct store *s)
{
	attempt(s, "caching/lru/predict", false, 0.0, "h1", 1000);
	attempt(s, "caching/lru/predict", true, 1.0, "h1", 2000);
	attempt(s, "caching/lru/evict", true, 0.5, "h2", 3000);
	attempt(s, "caching/lru2/x", true, 1.0, "h3", 4000);
	attempt(s, "caching/basics/intro", false, 0.25, "h4", 5000);
	attempt(s, "raft/vote/count", true, 1.0, "h5", 6000);
	store_record_hint(s, "caching/lru/predict", 1);
	store_record_hint(s, "caching/lru/predict", 2);
	store_record_solution(s, "caching/lru/evict");
	store_record_skip(s, "caching/basics/intro");
	store_record_hint(s, "raft/vote/count", 1);
	store_add_time(s, "caching/lru", 120);
	store_add_time(s, "raft/vote", 30);
	store_set_position(s, "caching/lru", 3);
}

static char *export_text(struct store *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = store_export(s, f);
	fclose(f);
	if (rc != STORE_OK) {
		free(buf);
		return xstrdup(store_errmsg(s));
	}
	return buf;
}

static int import_text(struct store *s, const char *text, struct store_import_stats *st)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc = store_import(s, f, "in.jsonl", st);
	fclose(f);
	return rc;
}

/* ---- opening ---- */

static void t_open_creates_dirs(void)
{
	const char *path = tmp_path("a/b/c/progress.db");
	struct store *s = open_ok(path, "ana");
	CHECK(s);
	CHECK(access(path, F_OK) == 0);
	CHECK_INT(raw_int(s, "PRAGMA application_id"), STORE_APP_ID);
	CHECK_INT(raw_int(s, "PRAGMA user_version"), STORE_SCHEMA);
	CHECK_STR(store_errmsg(s), "");
	CHECK_STR(store_path(s), path);
	CHECK_STR(store_profile(s), "ana");
	store_close(s);
	store_close(NULL);
}

static void t_open_settings(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	CHECK_INT(raw_int(s, "PRAGMA foreign_keys"), 1);
	CHECK_INT(raw_int(s, "PRAGMA synchronous"), 2); /* FULL */
	CHECK_INT(raw_int(s, "PRAGMA busy_timeout"), STORE_BUSY_MS);
	store_close(s);
}

static void t_open_empty_file(void)
{
	const char *path = tmp_path("progress.db");
	make_parent(path);
	spit(path, "");
	struct store *s = open_ok(path, "ana");
	CHECK(s);
	CHECK_INT(raw_int(s, "PRAGMA user_version"), STORE_SCHEMA);
	CHECK(attempt(s, "m/l/e", true, 1, "h", 0) == STORE_OK);
	store_close(s);
}

/* Files of every earlier schema version, made by the migration table
 * itself, open and migrate to the current one, keeping their data. */
static void t_open_migrates_every_version(void)
{
	for (int v = 0; v < STORE_SCHEMA; v++) {
		const char *path = tmp_path("old.db");
		struct store *s;
		CHECK(store_open_version(&s, path, "ana", v) == STORE_OK);
		CHECK_INT(raw_int(s, "PRAGMA user_version"), v);
		store_close(s);
		s = open_ok(path, "ana");
		CHECK(s);
		CHECK_INT(raw_int(s, "PRAGMA user_version"), STORE_SCHEMA);
		CHECK_INT(raw_int(s, "PRAGMA application_id"), STORE_APP_ID);
		CHECK(attempt(s, "m/l/e", true, 1, "h", 0) == STORE_OK);
		store_close(s);
	}
}

/* Opens path expecting rc and a message ending with want; the file must
 * be left exactly as it was. */
static void refuse(const char *path, int want_rc, const char *want)
{
	struct print before;
	struct store *s;
	fingerprint(path, &before);
	int rc = store_open(&s, path, "ana");
	const char *msg = store_errmsg(s);
	size_t n = strlen(msg), w = strlen(want);
	if (rc != want_rc || n < w || strcmp(msg + n - w, want) != 0 ||
	    strncmp(msg, path, strlen(path)))
		printf("      rc %d, message: %s\n", rc, msg);
	CHECK_INT(rc, want_rc);
	CHECK(n >= w && strcmp(msg + n - w, want) == 0);
	CHECK(strncmp(msg, path, strlen(path)) == 0 && !strchr(msg, '\n'));
	store_close(s);
	CHECK(untouched(path, &before));
}

static void t_open_refuses_text_file(void)
{
	const char *path = tmp_path("progress.db");
	make_parent(path);
	spit(path, "my notes\nnot a database at all, but long enough to look like one maybe\n");
	refuse(path, STORE_ENOTOURS, ": not a backlab progress database");
	spit(path, "SQLite format 3");
	refuse(path, STORE_ECORRUPT,
	       ": damaged progress database (truncated); it was left as it is");
}

static void t_open_refuses_other_sqlite(void)
{
	const char *path = tmp_path("other.db");
	CHECK(raw_sql(path, "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('x');") ==
	      SQLITE_OK);
	refuse(path, STORE_ENOTOURS,
	       ": not a backlab progress database (an SQLite database of another program)");
	path = tmp_path("other.db");
	CHECK(raw_sql(path, "PRAGMA application_id = 1234;") == SQLITE_OK);
	refuse(path, STORE_ENOTOURS,
	       ": not a backlab progress database (an SQLite database of another program)");
	/* another program's database in WAL mode, with our schema's look */
	path = tmp_path("other.db");
	CHECK(raw_sql(path, "PRAGMA journal_mode = WAL; CREATE TABLE event (x);"
	                    "PRAGMA user_version = 1;") == SQLITE_OK);
	refuse(path, STORE_ENOTOURS,
	       ": not a backlab progress database (an SQLite database of another program)");
}

static void t_open_refuses_newer(void)
{
	const char *path = tmp_path("progress.db");
	struct store *s = open_ok(path, "ana");
	CHECK(s);
	populate(s);
	store_close(s);
	CHECK(raw_sql(path, "PRAGMA user_version = 7;") == SQLITE_OK);
	refuse(path, STORE_ENEWER,
	       ": made by a newer backlab (schema 7, this one knows 1); upgrade backlab");
}

/* Our application id with a negative version: no version backlab knows (it
 * indexed the migrations out of bounds, then said "cannot migrate to schema
 * -99999") */
static void t_open_refuses_negative_version(void)
{
	const char *path = tmp_path("progress.db");
	struct store *s = open_ok(path, "ana");
	CHECK(s);
	populate(s);
	store_close(s);
	CHECK(raw_sql(path, "PRAGMA user_version = -100000;") == SQLITE_OK);
	refuse(path, STORE_ENOTOURS,
	       ": not a backlab progress database of a known version (it says schema -100000; "
	       "backlab's schemas count from 0)");
	path = tmp_path("fresh.db"); /* our id, nothing else yet */
	CHECK(raw_sql(path, "PRAGMA application_id = 1651269986; PRAGMA user_version = -1;") ==
	      SQLITE_OK);
	refuse(path, STORE_ENOTOURS,
	       ": not a backlab progress database of a known version (it says schema -1; "
	       "backlab's schemas count from 0)");
}

static void t_open_refuses_truncated(void)
{
	const char *path = tmp_path("progress.db");
	struct store *s = open_ok(path, "ana");
	CHECK(s);
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int i = 0; i < 100; i++) {
		struct store_attempt a = {
		    .exercise = "m/l/e", .score = 1, .submission = big, .check_hash = "h"};
		CHECK(store_record_attempt(s, &a) == STORE_OK);
	}
	store_close(s);
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size > 100000);
	CHECK(truncate(path, st.st_size / 2 + 100) == 0);
	refuse(path, STORE_ECORRUPT, "; it was left as it is");
}

/*
 * Read-only places. Root writes through any mode bits, so as root the open
 * runs in a child that became "nobody" first; otherwise chmod is enough.
 * Case 1: the file cannot be written; case 2: the file can, the directory
 * (where the WAL goes) cannot.
 */
static int open_as_nobody(const char *path, char *msg, size_t size)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(99);
		struct store *s;
		int rc = store_open(&s, path, "ana");
		dprintf(fds[1], "%s", store_errmsg(s));
		store_close(s);
		_exit(rc);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], msg, size - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void t_open_refuses_read_only(void)
{
	char dir[] = "/tmp/backlab-ro.XXXXXX";
	char msg[512];
	CHECK(mkdtemp(dir));
	char *path = xasprintf("%s/progress.db", dir);
	struct store *s = open_ok(path, "ana");
	CHECK(s);
	populate(s);
	store_close(s);
	CHECK(chmod(dir, 0555) == 0 && chmod(path, 0444) == 0);
	struct print before;
	fingerprint(path, &before);
	int rc = open_as_nobody(path, msg, sizeof msg);
	if (rc == 99) {
		printf("      cannot become nobody\n");
		CHECK(0);
	}
	CHECK_INT(rc, STORE_EREADONLY);
	char *want = xasprintf("%s: read-only: Permission denied", path);
	CHECK_STR(msg, want);
	free(want);
	CHECK(untouched(path, &before));
	/* the file writable, its directory not */
	CHECK(chmod(path, 0666) == 0);
	fingerprint(path, &before);
	rc = open_as_nobody(path, msg, sizeof msg);
	CHECK_INT(rc, STORE_EREADONLY);
	want = xasprintf("%s: cannot write in %s: Permission denied", path, dir);
	CHECK_STR(msg, want);
	free(want);
	CHECK(untouched(path, &before));
	/* a new file in a directory that cannot be written */
	char *fresh = xasprintf("%s/new/progress.db", dir);
	rc = open_as_nobody(fresh, msg, sizeof msg);
	CHECK_INT(rc, STORE_EREADONLY);
	CHECK(strstr(msg, ": cannot create directory ") && strstr(msg, "Permission denied"));
	CHECK(access(fresh, F_OK) != 0);
	chmod(dir, 0755);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	free(fresh);
	free(path);
}

static void t_open_refuses_bad_places(void)
{
	const char *file = tmp_path("plain");
	make_parent(file);
	spit(file, "x");
	char *path = xasprintf("%s/sub/progress.db", file);
	struct store *s;
	CHECK(store_open(&s, path, "ana") == STORE_EIO);
	char *want = xasprintf("%s: cannot create directory %s: Not a directory", path, file);
	CHECK_STR(store_errmsg(s), want);
	/* a failed handle refuses everything else, cleanly */
	CHECK(attempt(s, "m/l/e", true, 1, "h", 0) == STORE_EIO);
	store_close(s);
	free(want);
	free(path);
	const char *dir = tmp_path("dir.db");
	CHECK(mkdir(tmp_path(""), 0777) == 0 || errno == EEXIST);
	make_parent(dir);
	CHECK(mkdir(dir, 0777) == 0);
	CHECK(store_open(&s, dir, "ana") == STORE_EIO);
	store_close(s);
}

static void t_open_bad_arguments(void)
{
	struct store *s;
	CHECK(store_open(&s, tmp_path("p.db"), "") == STORE_EINVAL);
	store_close(s);
	CHECK(store_open(&s, tmp_path("p.db"), "a\nb") == STORE_EINVAL);
	store_close(s);
	CHECK(store_open(&s, "", "ana") == STORE_EINVAL);
	store_close(s);
}

/* ---- recording ---- */

static void t_attempt_round_trip(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	struct store_attempt a = {.exercise = "caching/lru/predict",
	                          .at = 1700000000123,
	                          .passed = true,
	                          .score = 0.1,
	                          .submission = "line 1\nline \"2\"\t\xC3\xA9\xF0\x9F\x98\x80",
	                          .feedback = "The get made `a` recent again.",
	                          .seed = UINT64_MAX,
	                          .duration_ms = 1234,
	                          .check_hash = "sha256:abcdef"};
	CHECK(store_record_attempt(s, &a) == STORE_OK);
	CHECK(store_valid_uid(a.uid));
	struct store_attempt b = a;
	b.at = 0;
	b.seed = 0;
	b.passed = false;
	b.score = 0;
	CHECK(store_record_attempt(s, &b) == STORE_OK);
	CHECK(b.at > 1700000000123 && strcmp(a.uid, b.uid) != 0);
	struct store_history h;
	CHECK(store_history(s, "caching/lru/predict", &h) == STORE_OK);
	CHECK_INT(h.n, 2);
	struct store_attempt *g = &h.v[1]; /* newest first */
	CHECK_STR(g->uid, a.uid);
	CHECK_STR(g->exercise, a.exercise);
	CHECK(g->at == a.at && g->passed && g->score == 0.1 && g->seed == UINT64_MAX);
	CHECK_STR(g->submission, a.submission);
	CHECK_STR(g->feedback, a.feedback);
	CHECK(g->duration_ms == 1234 && !g->reset);
	CHECK_STR(g->check_hash, a.check_hash);
	CHECK(h.v[0].seed == 0 && !h.v[0].passed && h.v[0].at == b.at);
	store_history_free(&h);
	store_close(s);
}

static void t_attempt_injection_is_text(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana'); DROP TABLE event; --");
	CHECK(s);
	const char *evil = "'); DROP TABLE event; --";
	struct store_attempt a = {.exercise = "sql/inject/x'--",
	                          .passed = true,
	                          .score = 1,
	                          .submission = evil,
	                          .feedback = "\"; DELETE FROM profile; --",
	                          .check_hash = evil};
	CHECK(store_record_attempt(s, &a) == STORE_OK);
	CHECK(store_record_hint(s, "sql/inject/x'--", 1) == STORE_OK);
	CHECK(store_reset_preview(s, "sql/inject/x'--", &(struct store_change){0}) == STORE_OK);
	struct store_history h;
	CHECK(store_history(s, NULL, &h) == STORE_OK);
	CHECK_INT(h.n, 1);
	CHECK_STR(h.v[0].submission, evil);
	CHECK_STR(h.v[0].check_hash, evil);
	CHECK_STR(h.v[0].exercise, "sql/inject/x'--");
	store_history_free(&h);
	CHECK_INT(raw_int(s, "SELECT count(*) FROM event"), 2);
	CHECK_INT(raw_int(s, "SELECT count(*) FROM profile"), 1);
	struct store_status st;
	CHECK(store_status(s, "sql/inject/x'--", evil, &st) == STORE_OK);
	CHECK(st.passed && st.hints == 1);
	store_close(s);
}

static void t_attempt_invalid(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	CHECK(attempt(s, "m/l/e", true, 1.5, "h", 0) == STORE_EINVAL);
	CHECK(strstr(store_errmsg(s), "score 1.5 is not in 0..1"));
	CHECK(attempt(s, "m/l/e", true, -0.1, "h", 0) == STORE_EINVAL);
	CHECK(attempt(s, "m/l/e", true, 0.0 / 0.0, "h", 0) == STORE_EINVAL);
	CHECK(attempt(s, "", true, 1, "h", 0) == STORE_EINVAL);
	CHECK(attempt(s, "/m/l", true, 1, "h", 0) == STORE_EINVAL);
	CHECK(attempt(s, "m//l", true, 1, "h", 0) == STORE_EINVAL);
	CHECK(attempt(s, "m/l e", true, 1, "h", 0) == STORE_EINVAL);
	CHECK(attempt(s, "m/l/e", true, 1, NULL, 0) == STORE_EINVAL);
	CHECK(attempt(s, "m/l/e", true, 1, "h", -5) == STORE_EINVAL);
	CHECK(store_record_hint(s, "m/l/e", 0) == STORE_EINVAL);
	CHECK(store_add_time(s, "m/l", 0) == STORE_EINVAL);
	CHECK(store_set_position(s, "m/l", -1) == STORE_EINVAL);
	CHECK(store_reset(s, "", &(struct store_change){0}) == STORE_EINVAL);
	CHECK_INT(raw_int(s, "SELECT count(*) FROM event"), 0);
	store_close(s);
}

static void t_attempt_invalid_utf8(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	struct store_attempt a = {.exercise = "m/l/e",
	                          .score = 1,
	                          .submission = "a\xFF"
	                                        "b",
	                          .feedback = "\xC3",
	                          .check_hash = "h"};
	CHECK(store_record_attempt(s, &a) == STORE_OK);
	CHECK(attempt(s, "m/l/\xFF", true, 1, "h", 0) == STORE_EINVAL);
	struct store_history h;
	CHECK(store_history(s, NULL, &h) == STORE_OK && h.n == 1);
	CHECK_STR(h.v[0].submission, "a\xEF\xBF\xBD"
	                             "b");
	CHECK_STR(h.v[0].feedback, "\xEF\xBF\xBD");
	store_history_free(&h);
	store_close(s);
}

static void t_marks(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	CHECK(store_record_hint(s, "m/l/e", 2) == STORE_OK);
	CHECK(store_record_hint(s, "m/l/e", 1) == STORE_OK); /* not above 2: nothing */
	CHECK(store_record_hint(s, "m/l/e", 2) == STORE_OK);
	CHECK(store_record_solution(s, "m/l/e") == STORE_OK);
	CHECK(store_record_solution(s, "m/l/e") == STORE_OK);
	CHECK(store_record_skip(s, "m/l/f") == STORE_OK);
	CHECK(store_record_skip(s, "m/l/f") == STORE_OK);
	CHECK_INT(raw_int(s, "SELECT count(*) FROM event"), 3);
	struct store_status st;
	CHECK(store_status(s, "m/l/e", "h", &st) == STORE_OK);
	CHECK(st.hints == 2 && st.solution && !st.skipped && !st.passed && st.attempts == 0);
	CHECK(store_status(s, "m/l/f", "h", &st) == STORE_OK);
	CHECK(st.skipped && st.hints == 0 && !st.solution);
	CHECK(store_status(s, "m/l/none", "h", &st) == STORE_OK);
	CHECK(!st.skipped && !st.passed && st.attempts == 0);
	store_close(s);
}

static void t_position_and_time(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	char *lesson;
	int step;
	CHECK(s);
	CHECK(store_get_position(s, &lesson, &step) == STORE_OK);
	CHECK(lesson == NULL && step == 0);
	CHECK(store_set_position(s, "caching/lru", 2) == STORE_OK);
	CHECK(store_set_position(s, "caching/lfu", 4) == STORE_OK);
	CHECK(store_get_position(s, &lesson, &step) == STORE_OK);
	CHECK_STR(lesson, "caching/lfu");
	CHECK_INT(step, 4);
	free(lesson);
	CHECK(store_add_time(s, "caching/lru", 60) == STORE_OK);
	CHECK(store_add_time(s, "caching/lru", 15) == STORE_OK);
	CHECK(store_add_time(s, "raft/vote", 5) == STORE_OK);
	struct store_progress p;
	CHECK(store_progress_load(s, "caching", &p) == STORE_OK);
	CHECK_INT(p.ntime, 1);
	CHECK_STR(p.time[0].lesson, "caching/lru");
	CHECK_INT(p.time[0].seconds, 75);
	CHECK_INT(p.total_seconds, 75);
	store_progress_free(&p);
	CHECK(store_progress_load(s, NULL, &p) == STORE_OK);
	CHECK_INT(p.total_seconds, 80);
	store_progress_free(&p);
	store_close(s);
}

/* ---- status ---- */

static void t_status_stale(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	struct store_status st;
	CHECK(s);
	CHECK(attempt(s, "m/l/e", false, 0.5, "old", 1000) == STORE_OK);
	CHECK(attempt(s, "m/l/e", true, 1, "old", 2000) == STORE_OK);
	CHECK(attempt(s, "m/l/e", true, 1, "old", 2500) == STORE_OK);
	CHECK(store_status(s, "m/l/e", "old", &st) == STORE_OK);
	CHECK(st.passed && !st.stale && st.passed_at == 2000 && st.attempts == 3);
	CHECK(st.best_score == 1);
	CHECK(store_status(s, "m/l/e", "new", &st) == STORE_OK);
	CHECK(!st.passed && st.stale && st.passed_at == 2000 && st.attempts == 3);
	CHECK(store_status(s, "m/l/e", NULL, &st) == STORE_OK);
	CHECK(st.passed && !st.stale);
	CHECK(attempt(s, "m/l/e", false, 0.2, "new", 3000) == STORE_OK);
	CHECK(store_status(s, "m/l/e", "new", &st) == STORE_OK);
	CHECK(!st.passed && st.stale);
	CHECK(attempt(s, "m/l/e", true, 0.9, "new", 4000) == STORE_OK);
	CHECK(store_status(s, "m/l/e", "new", &st) == STORE_OK);
	CHECK(st.passed && !st.stale && st.passed_at == 4000 && st.attempts == 5);
	CHECK(store_status(s, "m/l/e", "old", &st) == STORE_OK);
	CHECK(st.passed && st.passed_at == 2000);
	store_close(s);
}

/* A whole course at once: one load, then a binary search per exercise. */
static void t_status_many(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	CHECK(store_begin_write(s) == STORE_OK); /* one transaction: fast */
	sqlite3_int64 pid;
	CHECK(store_profile_id(s, &pid) == STORE_OK);
	for (int i = 0; i < 600; i++) {
		char id[64], uid[STORE_UID_LEN + 1];
		snprintf(id, sizeof id, "mod%d/lesson%d/ex%d", i % 7, i % 31, i);
		struct store_attempt a = {.passed = i % 3 == 0,
		                          .score = (i % 10) / 10.0,
		                          .submission = "",
		                          .feedback = "",
		                          .check_hash = i % 2 ? "a" : "b"};
		for (int k = 0; k < 1 + i % 4; k++) {
			CHECK(store_new_uid(s, uid) == STORE_OK);
			struct store_event e = {uid, "attempt", id, 1000 + i * 10 + k, &a, 0};
			CHECK(store_insert_event(s, pid, &e, NULL) == STORE_OK);
		}
	}
	CHECK(store_commit(s) == STORE_OK);
	struct store_progress p;
	CHECK(store_progress_load(s, NULL, &p) == STORE_OK);
	CHECK_INT(p.nex, 600);
	for (size_t i = 1; i < p.nex; i++)
		CHECK(strcmp(p.ex[i - 1].id, p.ex[i].id) < 0);
	for (int i = 0; i < 600; i++) {
		char id[64];
		struct store_status st;
		snprintf(id, sizeof id, "mod%d/lesson%d/ex%d", i % 7, i % 31, i);
		store_progress_status(&p, id, "a", &st);
		CHECK_INT(st.attempts, 1 + i % 4);
		CHECK(st.best_score == (i % 10) / 10.0);
		CHECK(st.passed == (i % 3 == 0 && i % 2 == 1));
		CHECK(st.stale == (i % 3 == 0 && i % 2 == 0));
	}
	store_progress_free(&p);
	CHECK(store_progress_load(s, "mod3", &p) == STORE_OK);
	for (size_t i = 0; i < p.nex; i++)
		CHECK(strncmp(p.ex[i].id, "mod3/", 5) == 0);
	CHECK(p.nex > 0 && p.nex < 600);
	store_progress_free(&p);
	store_close(s);
}

static void t_profiles_apart(void)
{
	const char *path = tmp_path("progress.db");
	struct store *a = open_ok(path, "ana"), *b = open_ok(path, "bo");
	struct store_status st;
	CHECK(a && b);
	populate(a);
	CHECK(attempt(b, "raft/vote/count", false, 0.5, "h5", 0) == STORE_OK);
	CHECK(store_status(b, "caching/lru/predict", "h1", &st) == STORE_OK);
	CHECK(!st.passed && st.attempts == 0 && st.hints == 0);
	CHECK(store_status(b, "raft/vote/count", "h5", &st) == STORE_OK);
	CHECK(!st.passed && st.attempts == 1);
	CHECK(store_status(a, "raft/vote/count", "h5", &st) == STORE_OK);
	CHECK(st.passed && st.attempts == 1);
	char *lesson;
	int step;
	CHECK(store_get_position(b, &lesson, &step) == STORE_OK && lesson == NULL);
	struct store_change c;
	CHECK(store_reset(b, "all", &c) == STORE_OK && c.attempts == 1);
	CHECK(store_status(a, "raft/vote/count", "h5", &st) == STORE_OK && st.passed);
	char *ea = export_text(a), *eb = export_text(b);
	CHECK(strstr(ea, "\"learner\":\"ana\"") && !strstr(ea, "\"learner\":\"bo\""));
	CHECK(strstr(eb, "\"learner\":\"bo\"") && !strstr(eb, "\"learner\":\"ana\""));
	free(ea);
	free(eb);
	store_close(a);
	store_close(b);
}

/* ---- resets ---- */

static void t_reset_scopes(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	struct store_change c;
	struct store_status st;
	CHECK(s);
	populate(s);
	/* caching/lru matches caching/lru/..., not caching/lru2/... */
	CHECK(store_reset_preview(s, "caching/lru", &c) == STORE_OK);
	CHECK_INT(c.exercises, 2);
	CHECK_INT(c.completions, 2);
	CHECK_INT(c.attempts, 3);
	CHECK_INT(c.hints, 2);
	CHECK_INT(c.solutions, 1);
	CHECK_INT(c.skips, 0);
	CHECK_INT(c.events, 6);
	CHECK(c.reset_target == NULL);
	struct store_change d;
	CHECK(store_reset(s, "caching/lru", &d) == STORE_OK);
	CHECK(d.reset_at > 0); /* the reset made says when (its kept files are under it) */
	d.reset_at = 0;
	CHECK(memcmp(&c, &d, sizeof c) == 0);
	CHECK(store_status(s, "caching/lru/predict", "h1", &st) == STORE_OK);
	CHECK(!st.passed && !st.stale && st.attempts == 0 && st.hints == 0);
	CHECK(store_status(s, "caching/lru/evict", "h2", &st) == STORE_OK);
	CHECK(!st.passed && !st.solution);
	CHECK(store_status(s, "caching/lru2/x", "h3", &st) == STORE_OK && st.passed);
	/* again: nothing left to reset, nothing recorded */
	CHECK(store_reset(s, "caching/lru", &c) == STORE_OK && c.events == 0);
	CHECK_INT(raw_int(s, "SELECT count(*) FROM reset"), 1);
	/* a module, then an exercise, then all */
	CHECK(store_reset(s, "caching", &c) == STORE_OK);
	CHECK(c.exercises == 2 && c.completions == 1 && c.skips == 1 && c.attempts == 2);
	CHECK(store_reset(s, "raft/vote/count", &c) == STORE_OK);
	CHECK(c.exercises == 1 && c.completions == 1 && c.hints == 1);
	CHECK(attempt(s, "x/y/z", true, 1, "h", 0) == STORE_OK);
	CHECK(store_reset(s, "all", &c) == STORE_OK && c.exercises == 1);
	struct store_progress p;
	CHECK(store_progress_load(s, NULL, &p) == STORE_OK);
	CHECK_INT(p.nex, 0);
	CHECK_INT(p.ntime, 2); /* time spent is never reset */
	store_progress_free(&p);
	struct store_history h;
	CHECK(store_history(s, NULL, &h) == STORE_OK);
	CHECK_INT(h.n, 7); /* every attempt stays in history */
	for (size_t i = 0; i < h.n; i++)
		CHECK(h.v[i].reset);
	store_history_free(&h);
	store_close(s);
}

/* Reset then restore gives back exactly the state before, for every kind
 * of target. */
static void t_reset_restore_round_trip(void)
{
	static const char *targets[] = {"caching/lru/predict", "caching/lru", "caching", "all",
	                                "nothing/here"};
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		struct store *s = open_ok(tmp_path("progress.db"), "ana");
		struct store_change c;
		CHECK(s);
		populate(s);
		char *before = snapshot(s);
		CHECK(store_reset(s, targets[i], &c) == STORE_OK);
		char *during = snapshot(s);
		CHECK((strcmp(before, during) != 0) == (c.events > 0));
		struct store_change r;
		CHECK(store_restore_preview(s, targets[i], &r) == STORE_OK);
		CHECK(r.events == c.events && r.completions == c.completions && r.hints == c.hints);
		if (c.events) {
			CHECK_STR(r.reset_target, targets[i]);
			CHECK(r.reset_at > 0);
		}
		store_change_free(&r);
		CHECK(store_restore(s, targets[i], &r) == STORE_OK);
		CHECK_INT(r.events, c.events);
		store_change_free(&r);
		char *after = snapshot(s);
		CHECK_STR(after, before);
		/* nothing more to restore */
		CHECK(store_restore(s, targets[i], &r) == STORE_OK && r.events == 0);
		free(before);
		free(during);
		free(after);
		store_close(s);
	}
}

/* Reset, a new pass, restore: the union of both, the earliest pass counts. */
static void t_reset_pass_restore(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	struct store_change c;
	struct store_status st;
	CHECK(s);
	populate(s);
	CHECK(store_reset(s, "caching/lru", &c) == STORE_OK);
	CHECK(attempt(s, "caching/lru/predict", true, 0.8, "h1", 9000) == STORE_OK);
	CHECK(store_record_hint(s, "caching/lru/predict", 1) == STORE_OK);
	CHECK(store_status(s, "caching/lru/predict", "h1", &st) == STORE_OK);
	CHECK(st.passed && st.passed_at == 9000 && st.attempts == 1 && st.hints == 1);
	CHECK(store_restore(s, "caching/lru", &c) == STORE_OK);
	CHECK_INT(c.events, 6); /* what the reset hid; the new work stays */
	store_change_free(&c);
	CHECK(store_status(s, "caching/lru/predict", "h1", &st) == STORE_OK);
	CHECK(st.passed && st.passed_at == 2000 && st.attempts == 3 && st.hints == 2);
	CHECK(st.best_score == 1.0);
	store_close(s);
}

/* A lesson reset, then its module: restoring the module restores what both
 * hid (the lesson's reset came before, since the module's previous reset or
 * restore); restoring the lesson alone undoes only the lesson's. */
static void t_reset_nested(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	struct store_change c;
	CHECK(s);
	populate(s);
	char *start = snapshot(s);
	CHECK(store_reset(s, "caching/lru", &c) == STORE_OK);
	char *lesson_reset = snapshot(s);
	CHECK(store_reset(s, "caching", &c) == STORE_OK);
	CHECK_INT(c.exercises, 2); /* lru2 and basics: lru was hidden already */
	CHECK(store_restore_preview(s, "caching", &c) == STORE_OK);
	CHECK_INT(c.exercises, 4); /* lru's two too */
	store_change_free(&c);
	CHECK(store_restore(s, "caching", &c) == STORE_OK);
	CHECK_STR(c.reset_target, "caching");
	CHECK_INT(c.nundone, 1);
	CHECK_STR(c.undone[0].target, "caching/lru");
	store_change_free(&c);
	char *mid = snapshot(s);
	CHECK_STR(mid, start);
	CHECK(store_restore(s, "caching", &c) == STORE_OK);
	CHECK_INT(c.events, 0); /* nothing left to undo */
	store_change_free(&c);
	/* the lesson alone: the module's reset of it is not the lesson's to undo */
	CHECK(store_reset(s, "caching/lru", &c) == STORE_OK);
	CHECK(store_reset(s, "caching", &c) == STORE_OK);
	CHECK(store_restore(s, "caching/lru", &c) == STORE_OK);
	CHECK_STR(c.reset_target, "caching/lru");
	CHECK_INT(c.nundone, 0);
	store_change_free(&c);
	char *end = snapshot(s);
	CHECK(strcmp(end, lesson_reset) != 0);
	free(start);
	free(lesson_reset);
	free(mid);
	free(end);
	store_close(s);
}

/* Restoring a lesson after a module reset brings back that lesson only;
 * restoring the module later brings back the rest. */
static void t_restore_partial(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	struct store_change c;
	struct store_status st;
	CHECK(s);
	populate(s);
	char *start = snapshot(s);
	CHECK(store_reset(s, "caching", &c) == STORE_OK);
	CHECK(store_restore(s, "caching/lru", &c) == STORE_OK);
	CHECK(c.exercises == 2 && c.completions == 2);
	CHECK_STR(c.reset_target, "caching");
	store_change_free(&c);
	CHECK(store_status(s, "caching/lru/predict", "h1", &st) == STORE_OK && st.passed);
	CHECK(store_status(s, "caching/lru2/x", "h3", &st) == STORE_OK && !st.passed);
	CHECK(store_restore(s, "caching/lru", &c) == STORE_OK && c.events == 0);
	CHECK(store_restore(s, "caching", &c) == STORE_OK && c.exercises == 2);
	store_change_free(&c);
	char *end = snapshot(s);
	CHECK_STR(end, start);
	/* a restore wider than the reset undoes it too */
	CHECK(store_reset(s, "caching/lru/predict", &c) == STORE_OK);
	CHECK(store_restore(s, "all", &c) == STORE_OK && c.exercises == 1);
	store_change_free(&c);
	char *again = snapshot(s);
	CHECK_STR(again, start);
	free(start);
	free(end);
	free(again);
	store_close(s);
}

static void t_history(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	struct store_history h;
	CHECK(s);
	populate(s);
	CHECK(store_history(s, NULL, &h) == STORE_OK);
	CHECK_INT(h.n, 6);
	for (size_t i = 1; i < h.n; i++)
		CHECK(h.v[i - 1].at >= h.v[i].at);
	CHECK_STR(h.v[0].exercise, "raft/vote/count");
	store_history_free(&h);
	CHECK(store_history(s, "caching/lru/predict", &h) == STORE_OK);
	CHECK_INT(h.n, 2);
	CHECK(h.v[0].passed && !h.v[1].passed);
	store_history_free(&h);
	CHECK(store_history(s, "caching/lru", &h) == STORE_OK);
	CHECK_INT(h.n, 3);
	store_history_free(&h);
	CHECK(store_history(s, "nothing", &h) == STORE_OK);
	CHECK_INT(h.n, 0);
	store_history_free(&h);
	store_close(s);
}

/* ---- export and import ---- */

/* A state with resets and restores in it, as export/import must carry. */
static void populate_with_resets(struct store *s)
{
	struct store_change c;
	populate(s);
	store_reset(s, "caching/lru", &c);
	attempt(s, "caching/lru/predict", true, 0.75, "h1b", 8000);
	store_reset(s, "raft", &c);
	store_restore(s, "raft", &c);
	store_change_free(&c);
	store_reset(s, "caching/basics", &c);
}

static void t_export_format(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	struct store_attempt a = {.exercise = "m/l/e",
	                          .at = 5,
	                          .passed = true,
	                          .score = 0.5,
	                          .submission = "x\n\"y\"",
	                          .feedback = "",
	                          .seed = UINT64_MAX,
	                          .duration_ms = 3,
	                          .check_hash = "c"};
	CHECK(store_record_attempt(s, &a) == STORE_OK);
	char *text = export_text(s);
	char *want = xasprintf(
	    "{\"type\":\"attempt\",\"learner\":\"ana\",\"id\":\"%s\",\"exercise\":\"m/l/e\","
	    "\"at\":5,\"passed\":true,\"score\":0.5,\"seed\":\"18446744073709551615\","
	    "\"duration_ms\":3,\"check\":\"c\",\"submission\":\"x\\n\\\"y\\\"\",\"feedback\":\"\"}"
	    "\n"
	    "{\"type\":\"completion\",\"learner\":\"ana\",\"exercise\":\"m/l/e\",\"check\":\"c\","
	    "\"at\":5,\"attempt\":\"%s\"}\n",
	    a.uid, a.uid);
	CHECK_STR(text, want);
	free(text);
	free(want);
	store_close(s);
}

static void t_export_import_same_progress(void)
{
	struct store *a = open_ok(tmp_path("a.db"), "ana");
	struct store *b = open_ok(tmp_path("b.db"), "ana");
	struct store_import_stats st;
	CHECK(a && b);
	populate_with_resets(a);
	char *ea = export_text(a), *ea2 = export_text(a);
	CHECK_STR(ea, ea2); /* deterministic */
	CHECK(import_text(b, ea, &st) == STORE_OK);
	CHECK(st.added > 0 && st.duplicates == 0 && st.updated == 3);
	char *sa = snapshot(a), *sb = snapshot(b);
	CHECK_STR(sb, sa);
	char *eb = export_text(b);
	CHECK_STR(eb, ea); /* the same bytes, even */
	/* importing again adds nothing */
	CHECK(import_text(b, ea, &st) == STORE_OK);
	CHECK(st.added == 0 && st.updated == 0 && st.duplicates > 0);
	char *eb2 = export_text(b);
	CHECK_STR(eb2, ea);
	/* and into its own source too */
	CHECK(import_text(a, ea, &st) == STORE_OK && st.added == 0 && st.updated == 0);
	free(ea);
	free(ea2);
	free(eb);
	free(eb2);
	free(sa);
	free(sb);
	store_close(a);
	store_close(b);
}

/* Two machines diverge, then each imports the other: both end with the
 * union, and a reset on one does not hide what the other did since. */
static void t_import_merge(void)
{
	struct store *a = open_ok(tmp_path("a.db"), "ana");
	struct store *b = open_ok(tmp_path("b.db"), "ana");
	struct store_change c;
	struct store_status st;
	CHECK(a && b);
	populate(a);
	char *ea = export_text(a);
	CHECK(import_text(b, ea, NULL) == STORE_OK);
	free(ea);
	/* a resets caching/lru; b passes caching/lru/evict again and adds time */
	CHECK(store_reset(a, "caching/lru", &c) == STORE_OK);
	CHECK(attempt(b, "caching/lru/evict", true, 1.0, "h2", 9000) == STORE_OK);
	CHECK(store_add_time(b, "caching/lru", 100) == STORE_OK);
	CHECK(store_add_time(a, "caching/lru", 7) == STORE_OK);
	ea = export_text(a);
	char *eb = export_text(b);
	CHECK(import_text(a, eb, NULL) == STORE_OK);
	CHECK(import_text(b, ea, NULL) == STORE_OK);
	char *sa = snapshot(a), *sb = snapshot(b);
	/* the history order of equal times may differ; progress may not */
	struct store_progress pa, pb;
	CHECK(store_progress_load(a, NULL, &pa) == STORE_OK);
	CHECK(store_progress_load(b, NULL, &pb) == STORE_OK);
	CHECK_INT(pa.nex, pb.nex);
	CHECK_INT(pa.total_seconds, 120 + 100 + 7 + 30);
	CHECK_INT(pb.total_seconds, pa.total_seconds);
	store_progress_free(&pa);
	store_progress_free(&pb);
	CHECK(store_status(a, "caching/lru/predict", "h1", &st) == STORE_OK && !st.passed);
	CHECK(store_status(b, "caching/lru/predict", "h1", &st) == STORE_OK && !st.passed);
	CHECK(store_status(a, "caching/lru/evict", "h2", &st) == STORE_OK);
	CHECK(st.passed && st.passed_at == 9000 && st.attempts == 1 && !st.solution);
	CHECK(store_status(b, "caching/lru/evict", "h2", &st) == STORE_OK);
	CHECK(st.passed && st.passed_at == 9000 && st.attempts == 1 && !st.solution);
	free(ea);
	free(eb);
	free(sa);
	free(sb);
	store_close(a);
	store_close(b);
}

/* A bad line: a clear "NAME:LINE: message" and nothing imported. */
static void t_import_bad_lines(void)
{
	static const char good[] =
	    "{\"type\":\"hint\",\"learner\":\"ana\",\"id\":\"0123456789abcdef0123456789abcdef\","
	    "\"exercise\":\"m/l/e\",\"at\":5,\"hints\":1}\n\n";
	static const struct {
		const char *line, *err;
	} cases[] = {
	    {"not json", "in.jsonl:3: column 1: expected '{'"},
	    {"{\"type\":\"attempt\"}", "in.jsonl:3: missing field \"learner\""},
	    {"{\"type\":\"nope\",\"learner\":\"ana\"}", "in.jsonl:3: unknown type \"nope\""},
	    {"{\"learner\":\"ana\"}", "in.jsonl:3: missing field \"type\""},
	    {"{\"type\":\"skip\",\"learner\":\"bo\",\"id\":\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/e\",\"at\":5}",
	     "in.jsonl:3: learner \"bo\" differs from \"ana\" on earlier lines"},
	    {"{\"type\":\"skip\",\"learner\":\"ana\",\"id\":\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/e\",\"at\":5,\"extra\":1}",
	     "in.jsonl:3: unknown field \"extra\""},
	    {"{\"type\":\"skip\",\"learner\":\"ana\",\"id\":\"XYZ\",\"exercise\":\"m/l/"
	     "e\",\"at\":5}",
	     "in.jsonl:3: field \"id\" must be 32 lowercase hex digits"},
	    {"{\"type\":\"skip\",\"learner\":\"ana\",\"id\":\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m//e\",\"at\":5}",
	     "in.jsonl:3: field \"exercise\": bad id \"m//e\""},
	    {"{\"type\":\"skip\",\"learner\":\"ana\",\"id\":\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/e\",\"at\":-5}",
	     "in.jsonl:3: field \"at\" must be an integer from 0 to 253402300799999"},
	    {"{\"type\":\"attempt\",\"learner\":\"ana\",\"id\":"
	     "\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/e\",\"at\":5,\"passed\":true,\"score\":2,\"seed\":\"1\","
	     "\"duration_ms\":1,\"check\":\"c\",\"submission\":\"\",\"feedback\":\"\"}",
	     "in.jsonl:3: field \"score\" must be a number from 0 to 1"},
	    {"{\"type\":\"attempt\",\"learner\":\"ana\",\"id\":"
	     "\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/"
	     "e\",\"at\":5,\"passed\":true,\"score\":1,\"seed\":\"18446744073709551616\","
	     "\"duration_ms\":1,\"check\":\"c\",\"submission\":\"\",\"feedback\":\"\"}",
	     "in.jsonl:3: field \"seed\" must be a string of decimal digits (a 64-bit seed)"},
	    {"{\"type\":\"attempt\",\"learner\":\"ana\",\"id\":"
	     "\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/e\",\"at\":5,\"passed\":1,\"score\":1,\"seed\":\"1\","
	     "\"duration_ms\":1,\"check\":\"c\",\"submission\":\"\",\"feedback\":\"\"}",
	     "in.jsonl:3: field \"passed\" must be true or false"},
	    {"{\"type\":\"reset\",\"learner\":\"ana\",\"id\":\"0123456789abcdef0123456789abcde0\","
	     "\"target\":\"all\",\"at\":5,\"covers\":\"0123456789abcdef0123456789abcde1\"}",
	     "in.jsonl:3: reset covers 0123456789abcdef0123456789abcde1, which is on no earlier "
	     "line"},
	    {"{\"type\":\"restore\",\"learner\":\"ana\",\"id\":"
	     "\"0123456789abcdef0123456789abcde0\","
	     "\"target\":\"all\",\"at\":5,\"reset\":\"0123456789abcdef0123456789abcde1\"}",
	     "in.jsonl:3: restore of reset 0123456789abcdef0123456789abcde1, which is on no "
	     "earlier line"},
	    {"{\"type\":\"time\",\"learner\":\"ana\",\"lesson\":\"m/l\","
	     "\"origin\":\"0123456789abcdef0123456789abcde0\",\"seconds\":1.5}",
	     "in.jsonl:3: field \"seconds\" must be an integer from 0 to 3155760000"},
	    /* numbers past what can be true: a sum of them would overflow */
	    {"{\"type\":\"time\",\"learner\":\"ana\",\"lesson\":\"m/l\","
	     "\"origin\":\"0123456789abcdef0123456789abcde0\",\"seconds\":9223372036854775807}",
	     "in.jsonl:3: field \"seconds\" must be an integer from 0 to 3155760000"},
	    {"{\"type\":\"skip\",\"learner\":\"ana\",\"id\":\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/e\",\"at\":9223372036854775807}",
	     "in.jsonl:3: field \"at\" must be an integer from 0 to 253402300799999"},
	    {"{\"type\":\"attempt\",\"learner\":\"ana\",\"id\":"
	     "\"0123456789abcdef0123456789abcde0\","
	     "\"exercise\":\"m/l/e\",\"at\":5,\"passed\":true,\"score\":1,\"seed\":\"1\","
	     "\"duration_ms\":9223372036854775807,\"check\":\"c\",\"submission\":\"\","
	     "\"feedback\":\"\"}",
	     "in.jsonl:3: field \"duration_ms\" must be an integer from 0 to 86400000"},
	};
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = xasprintf("%s%s\n%s", good, cases[i].line, good);
		struct store_import_stats st = {.added = 1, .duplicates = 1, .updated = 1,
						 .kept = 1, .derived = 1};
		int rc = import_text(s, text, &st);
		if (strcmp(store_errmsg(s), cases[i].err) != 0)
			printf("      case %zu\n", i);
		CHECK_INT(rc, STORE_EFORMAT);
		CHECK_STR(store_errmsg(s), cases[i].err);
		CHECK(st.added == 0 && st.duplicates == 0 && st.updated == 0 && st.kept == 0 && st.derived == 0);
		CHECK_INT(raw_int(s, "SELECT count(*) FROM event"), 0);
		free(text);
	}
	/* the good lines alone import */
	struct store_import_stats st;
	CHECK(import_text(s, good, &st) == STORE_OK && st.added == 1);
	store_close(s);
}

/* A stream of one endless line: 'x' forever, counting what is read. */
static ssize_t endless_read(void *cookie, char *buf, size_t size)
{
	*(size_t *)cookie += size;
	memset(buf, 'x', size);
	return (ssize_t)size;
}

/* An import line has a length cap: a 1 GB line is refused after reading
 * STORE_MAX_LINE bytes of it, not buffered whole (it took 2.9 GB before
 * SQLite refused it) */
static void t_import_long_line(void)
{
	struct store *s = open_ok(tmp_path("progress.db"), "ana");
	CHECK(s);
	size_t read = 0;
	cookie_io_functions_t io = {.read = endless_read};
	FILE *f = fopencookie(&read, "r", io);
	CHECK(f);
	struct store_import_stats st;
	int rc = store_import(s, f, "big.jsonl", &st);
	fclose(f);
	CHECK_INT(rc, STORE_EFORMAT);
	CHECK_STR(store_errmsg(s), "big.jsonl:1: the line is longer than 32 MiB; no export line is");
	CHECK(read > STORE_MAX_LINE && read < 2 * (size_t)STORE_MAX_LINE);
	store_close(s);
}

/* A submission (a typed answer, a file) is recorded up to
 * STORE_MAX_SUBMISSION bytes, and its export line imports again even when
 * every byte is a control character (JSON-escaped to six); one byte more is
 * refused (a 5 MiB typed answer used to be recorded, and its export line
 * could pass import's cap). */
static void t_submission_cap(void)
{
	struct store *s = open_ok(tmp_path("cap.db"), "ana");
	CHECK(s);
	char *big = xmalloc((size_t)STORE_MAX_SUBMISSION + 2);
	memset(big, '\x01', (size_t)STORE_MAX_SUBMISSION + 1);
	big[STORE_MAX_SUBMISSION + 1] = '\0';
	struct store_attempt a = {.exercise = "m/l/e", .score = 0, .submission = big,
				  .feedback = "no", .check_hash = "h"};
	int rc = store_record_attempt(s, &a);
	CHECK_INT(rc, STORE_EINVAL);
	CHECK(strstr(store_errmsg(s), "cap.db: the submission is longer than 4 MiB"));
	big[STORE_MAX_SUBMISSION] = '\0';
	CHECK_INT(store_record_attempt(s, &a), STORE_OK);
	char *text = export_text(s);
	free(big);
	store_close(s);
	CHECK(strlen(text) > 6 * (size_t)STORE_MAX_SUBMISSION);
	struct store *t = open_ok(tmp_path("cap2.db"), "ana");
	struct store_import_stats st = {0};
	rc = t ? import_text(t, text, &st) : -1;
	free(text);
	if (rc != STORE_OK && t)
		printf("      import: %s\n", store_errmsg(t));
	store_close(t);
	CHECK_INT(rc, STORE_OK);
	CHECK_INT(st.added, 1);
}

/* Time spent adds up without overflowing, even in a file written before
 * import checked ranges (it held 2^63 - 1 seconds twice, and `progress`
 * failed for good: SQLite's sum() raises on overflow). */
static void t_time_sums(void)
{
	const char *path = tmp_path("sums.db");
	struct store *s = open_ok(path, "ana");
	CHECK(s);
	CHECK(store_add_time(s, "m/l", 60) == STORE_OK);
	CHECK(store_add_time(s, "m/l", STORE_MAX_SECONDS + 1) == STORE_EINVAL);
	CHECK(store_add_time(s, "m/l", STORE_MAX_SECONDS) == STORE_OK); /* capped, not wrapped */
	CHECK_INT(raw_int(s, "SELECT seconds = 3155760000 FROM time_spent"), 1);
	store_close(s);
	CHECK(raw_sql(path, "INSERT INTO time_spent (profile, lesson, origin, seconds)"
			     " SELECT id, 'm/l', 'ffffffffffffffffffffffffffffffff', 9223372036854775807"
			     " FROM profile;"
			     "INSERT INTO time_spent (profile, lesson, origin, seconds)"
			     " SELECT id, 'm/k', 'fffffffffffffffffffffffffffffffe', 9223372036854775807"
			     " FROM profile;") == SQLITE_OK);
	s = open_ok(path, "ana");
	CHECK(s);
	struct store_progress p;
	CHECK_INT(store_progress_load(s, NULL, &p), STORE_OK);
	CHECK(p.total_seconds > 0 && p.total_seconds <= 3 * STORE_MAX_SECONDS);
	store_progress_free(&p);
	CHECK(store_add_time(s, "m/l", 5) == STORE_OK);
	CHECK_INT(store_progress_load(s, NULL, &p), STORE_OK);
	store_progress_free(&p);
	store_close(s);
}

/* ---- defaults ---- */

static void t_default_path(void)
{
	char *old_db = getenv("BACKLAB_DB") ? xstrdup(getenv("BACKLAB_DB")) : NULL;
	char *old_xdg = getenv("XDG_DATA_HOME") ? xstrdup(getenv("XDG_DATA_HOME")) : NULL;
	char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	setenv("BACKLAB_DB", "/x/my.db", 1);
	char *p = store_default_path();
	CHECK_STR(p, "/x/my.db");
	free(p);
	unsetenv("BACKLAB_DB");
	setenv("XDG_DATA_HOME", "/data", 1);
	p = store_default_path();
	CHECK_STR(p, "/data/backlab/progress.db");
	free(p);
	setenv("XDG_DATA_HOME", "relative", 1); /* ignored, as the spec says */
	setenv("HOME", "/home/ana", 1);
	p = store_default_path();
	CHECK_STR(p, "/home/ana/.local/share/backlab/progress.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	p = store_default_path();
	CHECK_STR(p, "/home/ana/.local/share/backlab/progress.db");
	free(p);
	if (old_db)
		setenv("BACKLAB_DB", old_db, 1);
	if (old_xdg)
		setenv("XDG_DATA_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_db);
	free(old_xdg);
	free(old_home);
}

static void t_default_profile(void)
{
	char *p = store_default_profile();
	CHECK(p && *p && store_valid_text(p));
	free(p);
}

static const struct test tests[] = {
    {"store/open-creates-directories", t_open_creates_dirs},
    {"store/open-settings", t_open_settings},
    {"store/open-empty-file", t_open_empty_file},
    {"store/open-migrates-every-version", t_open_migrates_every_version},
    {"store/open-refuses-text-file", t_open_refuses_text_file},
    {"store/open-refuses-other-sqlite", t_open_refuses_other_sqlite},
    {"store/open-refuses-newer", t_open_refuses_newer},
    {"store/open-refuses-truncated", t_open_refuses_truncated},
    {"store/open-refuses-read-only", t_open_refuses_read_only},
    {"store/open-refuses-bad-places", t_open_refuses_bad_places},
    {"store/open-bad-arguments", t_open_bad_arguments},
    {"store/attempt-round-trip", t_attempt_round_trip},
    {"store/attempt-injection-is-text", t_attempt_injection_is_text},
    {"store/attempt-invalid", t_attempt_invalid},
    {"store/attempt-invalid-utf8", t_attempt_invalid_utf8},
    {"store/marks", t_marks},
    {"store/position-and-time", t_position_and_time},
    {"store/status-stale", t_status_stale},
    {"store/status-many", t_status_many},
    {"store/profiles-apart", t_profiles_apart},
    {"store/reset-scopes", t_reset_scopes},
    {"store/reset-restore-round-trip", t_reset_restore_round_trip},
    {"store/reset-pass-restore", t_reset_pass_restore},
    {"store/reset-nested", t_reset_nested},
    {"store/restore-partial", t_restore_partial},
    {"store/history", t_history},
    {"store/export-format", t_export_format},
    {"store/export-import-same-progress", t_export_import_same_progress},
    {"store/import-merge", t_import_merge},
    {"store/import-bad-lines", t_import_bad_lines},
    {"store/open-refuses-negative-version", t_open_refuses_negative_version},
    {"store/time-sums", t_time_sums},
    {"store/import-long-line", t_import_long_line},
    {"store/submission-cap", t_submission_cap},
    {"store/default-path", t_default_path},
    {"store/default-profile", t_default_profile},
    {0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
