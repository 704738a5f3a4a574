/*
 * sql.c — the sandboxed SQLite connection of sql.h: its memory, its VFS,
 * its authorizer, its seeded functions, statements and their counters.
 *
 * Memory. SQLite has no per-connection allocator or limit (the heap limits
 * are process-wide), so the process's SQLite allocates through budget.h:
 * sql_setup() below runs before main(), calls sqlite3_config(
 * SQLITE_CONFIG_MALLOC) with methods over budget_malloc(), then initializes
 * SQLite, before anything (the progress store included) can use it. A
 * block is charged to the account current when it is allocated and credited
 * back to it when freed, whenever that is: inside a sandbox call the
 * learner's connection is charged to the sandbox, outside any call nothing
 * is counted (the store runs outside them). Everything a connection holds is
 * freed by sqlite3_close(), which runs from the object's finalizer when its
 * state closes, before the account goes away; tests/engine/concepts/sql
 * checks that an account is back to zero after a close. Worker threads are
 * off (SQLITE_LIMIT_WORKER_THREADS 0): budget.c is not thread-safe.
 */
#include "engine/concepts/sql/sql.h"
#include "engine/base/budget.h"
#include "engine/base/files.h"
#include "engine/concepts/rand/rand.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct sql_db {
	sqlite3 *db;
	struct rng rng;
	struct sql_stats stats;
	sqlite3_stmt *active; /* the statement a caller holds, finalized at close */
	sqlite3_int64 total;  /* sqlite3_total_changes64() when it was prepared */
	char denied[160];     /* why the authorizer refused, for the error message */
};

/* ---- memory: SQLite's allocator over budget.h ---- */

#define MEMHEAD 16 /* keeps malloc's 16-byte alignment */

static void *mem_malloc(int n)
{
	if (n <= 0)
		return NULL;
	char *p = budget_malloc((size_t)n + MEMHEAD);
	if (!p)
		return NULL;
	*(size_t *)p = (size_t)n;
	return p + MEMHEAD;
}

static void mem_free(void *p)
{
	if (p)
		budget_free((char *)p - MEMHEAD);
}

static void *mem_realloc(void *p, int n)
{
	if (!p)
		return mem_malloc(n);
	if (n <= 0)
		return NULL;
	char *q = budget_realloc((char *)p - MEMHEAD, (size_t)n + MEMHEAD);
	if (!q)
		return NULL;
	*(size_t *)q = (size_t)n;
	return q + MEMHEAD;
}

static int mem_size(void *p)
{
	return p ? (int)*(size_t *)((char *)p - MEMHEAD) : 0;
}

static int mem_roundup(int n)
{
	return (n + 7) & ~7;
}

static int mem_init(void *ud)
{
	(void)ud;
	return SQLITE_OK;
}

static void mem_shutdown(void *ud)
{
	(void)ud;
}

static const sqlite3_mem_methods mem_methods = {
	mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup, mem_init, mem_shutdown, NULL,
};

/* ---- the VFS: no files, no libraries, a fixed clock ---- */

/* 2025-01-01 00:00:00 UTC as a Julian day number, and in milliseconds */
#define FIXED_JD 2460676.5
#define FIXED_JD_MS ((sqlite3_int64)212602449600000LL)

static int vfs_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)v, (void)name, (void)flags, (void)out;
	f->pMethods = NULL; /* nothing to close */
	return SQLITE_CANTOPEN;
}

static int vfs_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v, (void)name, (void)sync;
	return SQLITE_IOERR_DELETE;
}

static int vfs_access(sqlite3_vfs *v, const char *name, int flags, int *res)
{
	(void)v, (void)name, (void)flags;
	*res = 0;
	return SQLITE_OK;
}

static int vfs_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	sqlite3_snprintf(n, out, "%s", name);
	return SQLITE_OK;
}

static void *vfs_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v, (void)name;
	return NULL;
}

static void vfs_dlerror(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	sqlite3_snprintf(n, msg, "loading extensions is not allowed here");
}

static void (*vfs_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v, (void)h, (void)sym;
	return NULL;
}

static void vfs_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v, (void)h;
}

static int vfs_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	memset(out, 0x5a, (size_t)n); /* deterministic; random() itself is seeded per connection */
	return n;
}

static int vfs_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return us; /* never sleeps: nothing here waits for anything */
}

static int vfs_current_time(sqlite3_vfs *v, double *t)
{
	(void)v;
	*t = FIXED_JD;
	return SQLITE_OK;
}

static int vfs_last_error(sqlite3_vfs *v, int n, char *msg)
{
	(void)v, (void)n, (void)msg;
	return 0;
}

static int vfs_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	(void)v;
	*t = FIXED_JD_MS;
	return SQLITE_OK;
}

static sqlite3_vfs sandbox_vfs = {
	.iVersion = 2,
	.szOsFile = sizeof(sqlite3_file),
	.mxPathname = 512,
	.zName = "backlab",
	.xOpen = vfs_open,
	.xDelete = vfs_delete,
	.xAccess = vfs_access,
	.xFullPathname = vfs_fullpath,
	.xDlOpen = vfs_dlopen,
	.xDlError = vfs_dlerror,
	.xDlSym = vfs_dlsym,
	.xDlClose = vfs_dlclose,
	.xRandomness = vfs_randomness,
	.xSleep = vfs_sleep,
	.xCurrentTime = vfs_current_time,
	.xGetLastError = vfs_last_error,
	.xCurrentTimeInt64 = vfs_current_time64,
};

static int setup_rc = -1; /* what sql_setup() got: SQLITE_OK once it worked */

/*
 * Before main(): SQLite's allocator, then SQLite, then the VFS. Must run
 * before any sqlite3_* call of the process; if it could not (SQLite already
 * initialized by someone else), sql_open() refuses to open.
 */
__attribute__((constructor)) static void sql_setup(void)
{
	int rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &mem_methods);
	if (rc == SQLITE_OK)
		rc = sqlite3_initialize();
	if (rc == SQLITE_OK)
		rc = sqlite3_vfs_register(&sandbox_vfs, 0);
	setup_rc = rc;
}

/* ---- the authorizer ---- */

/* Pragmas a learner may run: they read the schema, or change how this one
 * connection behaves. A name ending in '?' may only be read (no argument). */
static const char *const pragmas[] = {
	"analysis_limit", "application_id", "automatic_index", "cache_size",
	"case_sensitive_like", "cell_size_check", "collation_list", "compile_options",
	"count_changes", "data_version", "database_list", "defer_foreign_keys", "encoding?",
	"foreign_key_check", "foreign_key_list", "foreign_keys", "freelist_count?",
	"full_column_names", "function_list", "ignore_check_constraints", "index_info",
	"index_list", "index_xinfo", "integrity_check", "legacy_alter_table", "max_page_count",
	"module_list", "optimize", "page_count?", "page_size?", "pragma_list", "query_only",
	"quick_check", "recursive_triggers", "reverse_unordered_selects", "schema_version?",
	"short_column_names", "stats", "table_info", "table_list", "table_xinfo", "user_version",
	NULL,
};

static int pragma_allowed(const char *name, const char *arg)
{
	if (!name)
		return 0;
	for (const char *const *p = pragmas; *p; p++) {
		size_t n = strlen(*p);
		int read_only = (*p)[n - 1] == '?';
		if (read_only)
			n--;
		if (strlen(name) == n && strncasecmp(name, *p, n) == 0)
			return !(read_only && arg);
	}
	return 0;
}

static const char *const denied_functions[] = {
	"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit", NULL,
};

static int authorize(void *ud, int action, const char *a, const char *b, const char *db,
		     const char *trigger)
{
	(void)db, (void)trigger;
	struct sql_db *d = ud;
	switch (action) {
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		snprintf(d->denied, sizeof d->denied,
			 "ATTACH and DETACH are not allowed: this database lives in memory and "
			 "opens no file");
		return SQLITE_DENY;
	case SQLITE_PRAGMA:
		if (pragma_allowed(a, b))
			return SQLITE_OK;
		snprintf(d->denied, sizeof d->denied,
			 "PRAGMA %.40s%s is not allowed here (pragmas that read the schema or "
			 "change this connection's behaviour are)",
			 a ? a : "?", b ? " with a value" : "");
		return SQLITE_DENY;
	case SQLITE_FUNCTION:
		for (const char *const *f = denied_functions; *f; f++)
			if (b && strcasecmp(b, *f) == 0) {
				snprintf(d->denied, sizeof d->denied,
					 "the function %s() is not allowed here", *f);
				return SQLITE_DENY;
			}
		return SQLITE_OK;
	default:
		return SQLITE_OK;
	}
}

/* ---- seeded functions ---- */

static void fn_random(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc, (void)argv;
	struct sql_db *d = sqlite3_user_data(c);
	sqlite3_result_int64(c, (sqlite3_int64)rng_next(&d->rng));
}

/* randomblob(N): N seeded bytes (1 if N < 1, as SQLite's); the length limit
 * and the sandbox's memory and time apply. */
static void fn_randomblob(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct sql_db *d = sqlite3_user_data(c);
	sqlite3_int64 n = sqlite3_value_int64(argv[0]);
	if (n < 1)
		n = 1;
	if (n > sqlite3_limit(d->db, SQLITE_LIMIT_LENGTH, -1)) {
		sqlite3_result_error_toobig(c);
		return;
	}
	unsigned char *p = sqlite3_malloc64((sqlite3_uint64)n);
	if (!p) {
		sqlite3_result_error_nomem(c);
		return;
	}
	for (sqlite3_int64 i = 0; i < n; i += 8) {
		if ((i & 0xFFFFF) == 0 && budget_stop()) {
			sqlite3_free(p);
			sqlite3_result_error(c, "interrupted", -1);
			return;
		}
		uint64_t x = rng_next(&d->rng);
		for (int k = 0; k < 8 && i + k < n; k++)
			p[i + k] = (unsigned char)(x >> (8 * k));
	}
	sqlite3_result_blob64(c, p, (sqlite3_uint64)n, sqlite3_free);
}

static void fn_rand_int(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct sql_db *d = sqlite3_user_data(c);
	sqlite3_int64 lo = sqlite3_value_int64(argv[0]), hi = sqlite3_value_int64(argv[1]);
	if (lo > hi) {
		sqlite3_result_error(c, "rand_int(lo, hi) needs lo <= hi", -1);
		return;
	}
	sqlite3_result_int64(c, rng_range(&d->rng, lo, hi));
}

static void fn_rand_real(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	struct sql_db *d = sqlite3_user_data(c);
	double u = rng_uniform(&d->rng);
	if (argc == 0) {
		sqlite3_result_double(c, u);
		return;
	}
	if (argc != 2) {
		sqlite3_result_error(c, "rand_real() takes no argument, or lo and hi", -1);
		return;
	}
	double lo = sqlite3_value_double(argv[0]), hi = sqlite3_value_double(argv[1]);
	sqlite3_result_double(c, lo + (hi - lo) * u);
}

static void fn_rand_pick(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	struct sql_db *d = sqlite3_user_data(c);
	if (argc < 1) {
		sqlite3_result_error(c, "rand_pick() needs at least one value", -1);
		return;
	}
	sqlite3_result_value(c, argv[rng_below(&d->rng, (uint64_t)argc)]);
}

static void fn_rand_normal(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct sql_db *d = sqlite3_user_data(c);
	double sd = sqlite3_value_double(argv[1]);
	if (!(sd >= 0)) {
		sqlite3_result_error(c, "rand_normal(mean, sd) needs sd >= 0", -1);
		return;
	}
	sqlite3_result_double(c, rng_normal(&d->rng, sqlite3_value_double(argv[0]), sd));
}

static const struct {
	const char *name;
	int nargs;
	void (*fn)(sqlite3_context *, int, sqlite3_value **);
} functions[] = {
	{"random", 0, fn_random},         {"randomblob", 1, fn_randomblob},
	{"rand_int", 2, fn_rand_int},     {"rand_real", -1, fn_rand_real},
	{"rand_pick", -1, fn_rand_pick},  {"rand_normal", 2, fn_rand_normal},
};

/* ---- opening and closing ---- */

static int on_progress(void *ud)
{
	(void)ud;
	return budget_stop() != NULL;
}

/* Sets what makes the connection safe; 0 or an SQLite error code. */
static int harden(struct sql_db *d)
{
	sqlite3 *db = d->db;
	static const int off[] = {
		SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER,
		SQLITE_DBCONFIG_TRUSTED_SCHEMA,        SQLITE_DBCONFIG_DQS_DML,
		SQLITE_DBCONFIG_DQS_DDL,               SQLITE_DBCONFIG_WRITABLE_SCHEMA,
	};
	int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < sizeof off / sizeof off[0]; i++)
		rc = sqlite3_db_config(db, off[i], 0, (int *)NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, 0);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 100);
	sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 999);
	for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
		rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].nargs,
						SQLITE_UTF8, d, functions[i].fn, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	sqlite3_progress_handler(db, 1000, on_progress, d);
	return sqlite3_set_authorizer(db, authorize, d);
}

struct sql_db *sql_open(uint64_t seed, struct sbuf *err)
{
	if (setup_rc != SQLITE_OK) {
		sbuf_addf(err, "SQLite could not be set up for the sandbox (error %d)", setup_rc);
		return NULL;
	}
	struct sql_db *d = budget_calloc(1, sizeof *d);
	if (!d) {
		sbuf_adds(err, "not enough memory");
		return NULL;
	}
	rng_seed(&d->rng, seed);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY |
		    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;
	int rc = sqlite3_open_v2(":memory:", &d->db, flags, sandbox_vfs.zName);
	if (rc == SQLITE_OK)
		rc = harden(d);
	if (rc != SQLITE_OK) {
		sbuf_addf(err, "cannot open an in-memory database: %s",
			  d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
		sqlite3_close(d->db);
		budget_free(d);
		return NULL;
	}
	return d;
}

void sql_close(struct sql_db *d)
{
	if (!d)
		return;
	if (d->active)
		sqlite3_finalize(d->active);
	sqlite3_close(d->db);
	budget_free(d);
}

/* ---- statements ---- */

void sql_forget(struct sql_db *d, sqlite3_stmt *stmt)
{
	if (d->active == stmt)
		d->active = NULL;
}

/* P after spaces and comments, at most END. */
static const char *skip_blank(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == ';') {
			p++;
		} else if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
		} else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
			p += 2;
			while (end - p >= 2 && !(p[0] == '*' && p[1] == '/'))
				p++;
			p = end - p >= 2 ? p + 2 : end;
		} else {
			break;
		}
	}
	return p;
}

int sql_blank(const char *p, const char *end)
{
	return skip_blank(p, end) == end;
}

static int is_word_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Whether the statement starting at P is VACUUM (which VACUUM INTO makes
 * write a file; in memory it has nothing to do anyway). */
static int is_vacuum(const char *p, const char *end)
{
	p = skip_blank(p, end);
	return end - p >= 6 && strncasecmp(p, "vacuum", 6) == 0 &&
	       (end - p == 6 || !is_word_char(p[6]));
}

/* The message of the last error of D: the authorizer's reason if it
 * refused, else SQLite's. */
static void last_error(struct sql_db *d, int rc, struct sbuf *err)
{
	if (d->denied[0])
		sbuf_adds(err, d->denied);
	else if ((rc & 0xff) == SQLITE_INTERRUPT)
		sbuf_adds(err, "interrupted");
	else
		sbuf_adds(err, sqlite3_errmsg(d->db));
}

int sql_prepare(struct sql_db *d, const char *sql, size_t len, sqlite3_stmt **stmt,
		  const char **tail, struct sbuf *err)
{
	*stmt = NULL;
	if (d->active) {
		sql_finish(d, d->active);            /* left by a call that raised */
	}
	const char *end = sql + len;
	if (is_vacuum(sql, end)) {
		sbuf_adds(err, "VACUUM is not allowed here (VACUUM INTO would write a file)");
		return -1;
	}
	if (len > (size_t)sqlite3_limit(d->db, SQLITE_LIMIT_SQL_LENGTH, -1)) {
		sbuf_addf(err, "the statement is longer than %d bytes",
			  sqlite3_limit(d->db, SQLITE_LIMIT_SQL_LENGTH, -1));
		return -1;
	}
	d->denied[0] = '\0';
	const char *t = NULL;
	int rc = sqlite3_prepare_v2(d->db, sql, (int)len, stmt, &t);
	if (rc != SQLITE_OK) {
		last_error(d, rc, err);
		*stmt = NULL;
		return -1;
	}
	d->active = *stmt;
	d->total = sqlite3_total_changes64(d->db);
	if (tail)
		*tail = t ? t : end;
	return 0;
}

int sql_step(struct sql_db *d, sqlite3_stmt *stmt, int count_row, struct sbuf *err)
{
	d->denied[0] = '\0';
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (count_row)
			d->stats.rows++;
		return rc;
	}
	if (rc == SQLITE_DONE)
		return rc;
	last_error(d, rc, err);
	return -1;
}

void sql_finish(struct sql_db *d, sqlite3_stmt *stmt)
{
	if (!stmt)
		return;
	struct sql_stats *s = &d->stats;
	s->queries++;
	s->steps += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
	s->fullscan_steps += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
	s->sorts += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_SORT, 0);
	s->autoindexes += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_AUTOINDEX, 0);
	s->changes += sqlite3_total_changes64(d->db) - d->total;
	sqlite3_finalize(stmt);
	if (d->active == stmt)
		d->active = NULL;
}

/* Puts "statement at line N: " before the message in ERR, for a statement
 * at P of a script TEXT that has more than one line before it. */
static void at_line(struct sbuf *err, const char *text, const char *p)
{
	int line = 1;
	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	if (line == 1)
		return;
	char *msg = xstrdup(sbuf_str(err));
	sbuf_truncate(err, 0);
	sbuf_addf(err, "statement at line %d: %s", line, msg);
	free(msg);
}

int sql_script(struct sql_db *d, const char *script, size_t len, long long *changes,
		 struct sbuf *err)
{
	const char *p = script, *end = script + len;
	long long before = d->stats.changes;
	for (;;) {
		p = skip_blank(p, end);
		if (p == end)
			break;
		sqlite3_stmt *st;
		const char *tail;
		if (sql_prepare(d, p, (size_t)(end - p), &st, &tail, err) != 0) {
			at_line(err, script, p);
			return -1;
		}
		if (!st)
			break;
		int rc;
		while ((rc = sql_step(d, st, 0, err)) == SQLITE_ROW)
			;
		sql_finish(d, st);
		if (rc < 0) {
			at_line(err, script, p);
			return -1;
		}
		p = tail;
	}
	if (changes)
		*changes = d->stats.changes - before;
	return 0;
}

int sql_plan(struct sql_db *d, const char *sql, size_t len, struct sbuf *out, struct sbuf *err)
{
	const char *end = sql + len;
	const char *p = skip_blank(sql, end);
	if (end - p >= 7 && strncasecmp(p, "explain", 7) == 0) {
		sbuf_adds(err, "give the statement without EXPLAIN: plan() adds it");
		return -1;
	}
	struct sbuf q = SBUF_INIT;
	sbuf_adds(&q, "EXPLAIN QUERY PLAN ");
	sbuf_add(&q, p, (size_t)(end - p));
	sqlite3_stmt *st;
	const char *tail;
	int rc = sql_prepare(d, q.buf, q.len, &st, &tail, err);
	if (rc == 0 && !st) {
		sbuf_adds(err, "there is no statement to plan");
		rc = -1;
	}
	if (rc == 0 && !sql_blank(tail, q.buf + q.len)) {
		sbuf_adds(err, "plan() takes one statement");
		sqlite3_finalize(st);
		d->active = NULL;
		rc = -1;
	}
	if (rc != 0) {
		sbuf_free(&q);
		return -1;
	}
	/* rows: id, parent, notused, detail; parents come before children */
	int ids[64], depths[64], n = 0, lines = 0;
	while ((rc = sql_step(d, st, 0, err)) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0), parent = sqlite3_column_int(st, 1);
		int depth = 0;
		for (int i = 0; i < n; i++)
			if (ids[i] == parent)
				depth = depths[i] + 1;
		if (n < 64) {
			ids[n] = id;
			depths[n++] = depth;
		}
		if (lines++)
			sbuf_addc(out, '\n');
		sbuf_repeat(out, "  ", (size_t)depth);
		sbuf_adds(out, (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st); /* a plan runs nothing: no counters */
	d->active = NULL;
	sbuf_free(&q);
	return rc < 0 ? -1 : 0;
}

const struct sql_stats *sql_stats(const struct sql_db *d)
{
	return &d->stats;
}

void sql_reset_stats(struct sql_db *d)
{
	memset(&d->stats, 0, sizeof d->stats);
}

sqlite3 *sql_handle(struct sql_db *d)
{
	return d->db;
}

/* ---- datasets ---- */

int sql_dataset_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > 40 || name[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sql_datasets(const char *dir, struct sbuf *out)
{
	DIR *dp = dir ? opendir(dir) : NULL;
	if (!dp)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		char *name = xstrndup(e->d_name, len - 4);
		if (!sql_dataset_name_ok(name)) {
			free(name);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = name;
	}
	closedir(dp);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		sbuf_addf(out, "%s%s", i ? ", " : "", names[i]);
		free(names[i]);
	}
	free(names);
	return (int)n;
}

int sql_load(struct sql_db *d, const char *dir, const char *name, struct sbuf *err)
{
	if (!sql_dataset_name_ok(name)) {
		sbuf_adds(err, "a dataset's name is letters, digits, '_' and '-' (no path)");
		return -1;
	}
	char *path = xasprintf("%s/%s.sql", dir, name);
	char *why = NULL;
	size_t len;
	char *text = files_read(path, (size_t)16 << 20, &len, &why);
	free(path);
	if (!text) {
		free(why);
		struct sbuf have = SBUF_INIT;
		if (sql_datasets(dir, &have))
			sbuf_addf(err, "no dataset '%s' (there are: %s)", name, sbuf_str(&have));
		else
			sbuf_addf(err, "no dataset '%s': this module has no datasets", name);
		sbuf_free(&have);
		return -1;
	}
	struct sbuf why2 = SBUF_INIT;
	int rc = sql_script(d, text, len, NULL, &why2);
	if (rc != 0)
		sbuf_addf(err, "dataset '%s': %s", name, sbuf_str(&why2));
	sbuf_free(&why2);
	free(text);
	sql_reset_stats(d);
	return rc;
}
