/*
 * store.h — the progress store: one SQLite file that records what a learner
 * did: attempts, passes (with the check's fingerprint, so that a changed
 * check marks a pass stale), time spent, and the learner's place.
 *
 * A store is one file and one profile (learner) in it; several profiles in
 * one file are kept apart. Everything the REPL shows is derived from
 * immutable records, each with a random 128-bit id (32 hex digits):
 *
 *   events    attempts, hints revealed, solutions revealed, skips, each
 *             for one exercise ("caching/lru/predict");
 *   resets    a reset hides the events of its target that were visible
 *             when it was made, and remembers exactly which;
 *   restores  a restore undoes one reset over a target.
 *
 * plus two pieces of mutable state: the position (for resume) and the time
 * spent per lesson. Completion is not stored separately: an exercise is
 * complete when it has a visible passing attempt, and the first one is its
 * completion (with that attempt's check hash); the database has a
 * `completion` view of them for other readers.
 *
 * Targets. A target is an exercise id, a lesson id ("caching/lru"), a module
 * id ("caching") or "all"; it matches id e when e == target or e starts
 * with target + "/" ("caching/lru" matches "caching/lru/predict", not
 * "caching/lru2/x"), and "all" matches everything.
 *
 * Resets and restores.
 *   - store_reset(T) hides every visible event in T: afterwards T's
 *     exercises show no completion, attempts, hints, solution or skip, as
 *     if never done. History (store_history()) still lists every attempt.
 *   - store_restore(T) takes the most recent reset R that still hides
 *     something in T and un-hides what R hid in T (if R was "caching" and T
 *     is "caching/lru", only that lesson comes back), and with it what every
 *     reset of a part of T made since the reset or restore of T before R
 *     hid: after reset caching/lru, then reset caching, restore caching
 *     brings back all of caching. Resets of T itself stack: reset caching,
 *     new work, reset caching, restore, restore gives back the start.
 *   - Reset, then new work, then restore: the restore brings back what the
 *     reset hid and keeps what was done since, so progress is the union of
 *     both (the earliest pass is the completion, hint counts take the
 *     maximum). Nothing done after a reset is ever hidden by it, including
 *     work merged in later by store_import().
 *   - Time spent and the position are never reset.
 *
 * Stale completions. Each attempt records the hash of the check code that
 * graded it. For the current hash of an exercise, it is passed if it has a
 * visible pass under that hash, and stale if it has visible passes only
 * under other hashes (the lesson changed since): neither kept as passed nor
 * wiped.
 *
 * Durability and concurrency. The file is in WAL mode with synchronous=FULL;
 * every function that changes something commits before it returns, so a
 * caller may print "passed" once store_record_attempt() returned 0, and a
 * crash or kill -9 at any moment loses nothing that was committed. Writes
 * take the lock up front (BEGIN IMMEDIATE) and wait up to STORE_BUSY_MS for
 * other processes, so two REPLs and a `backlab check` work side by side.
 *
 * Errors. Functions return STORE_OK (0) or one of the STORE_E* codes below;
 * store_errmsg() gives a one-line message that starts with the path, such
 * as "progress.db: not a backlab progress database". A failed call changes
 * nothing in the file. Files that are not ours, damaged, from a newer
 * backlab or read-only are refused at store_open() and left untouched
 * (SQLite may leave an empty -wal and a -shm beside a WAL-mode file it
 * read; the file itself keeps its bytes and its mtime).
 *
 * Processes. A handle belongs to the process that opened it: a forked child
 * (the sandbox) must not use its parent's handle; it may open its own.
 *
 * Text. Ids, profile names and check hashes must be valid UTF-8 without
 * control characters (else STORE_EINVAL); submissions and feedback are
 * stored as UTF-8 with any invalid byte replaced by U+FFFD, so that the
 * export is lossless.
 *
 * The engine never prints: the messages are for the caller to show.
 */
#ifndef BACKLAB_STORE_H
#define BACKLAB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The schema version this backlab writes (PRAGMA user_version). */
#define STORE_SCHEMA 1
/* PRAGMA application_id of a backlab progress database: "blab". */
#define STORE_APP_ID 0x626c6162
/* How long a write waits for another process's transaction, in ms. */
#define STORE_BUSY_MS 10000
/* Length of a record id: 128 random bits as lowercase hex. */
#define STORE_UID_LEN 32
/* The ranges a record's numbers must be in (import refuses others, sums
 * cannot overflow): times ("at") up to the end of year 9999, in ms since the
 * epoch; an attempt's duration up to a day; the time spent in one lesson
 * counted by one database up to 100 years (a total over every lesson and
 * database is then far from INT64_MAX). */
#define STORE_MAX_AT_MS INT64_C(253402300799999)
#define STORE_MAX_DURATION_MS INT64_C(86400000)
#define STORE_MAX_SECONDS INT64_C(3155760000)
/* The longest submission an attempt records (bytes): a typed answer or a
 * file (store_record_attempt refuses a longer one; exercise_grade does not
 * grade it). */
#define STORE_MAX_SUBMISSION (4 << 20)
/* The longest line an import reads (bytes): an attempt line holds at most a
 * submission of STORE_MAX_SUBMISSION bytes, JSON-escaped (6 bytes for a
 * control character at most), and 16 KiB of feedback: every export line
 * can be imported again. */
#define STORE_MAX_LINE (32 << 20)
_Static_assert(6 * (long long)STORE_MAX_SUBMISSION + (64 << 10) < STORE_MAX_LINE,
	       "an exported attempt line fits an import line");

enum store_rc {
	STORE_OK = 0,
	STORE_EINVAL,    /* a bad argument: malformed id, score outside 0..1 */
	STORE_EIO,       /* cannot create the directory, read or write the file */
	STORE_EREADONLY, /* the file or its directory cannot be written */
	STORE_ENOTOURS,  /* a text file, another program's SQLite database */
	STORE_ECORRUPT,  /* a damaged or truncated database */
	STORE_ENEWER,    /* made by a newer backlab (schema above STORE_SCHEMA) */
	STORE_EBUSY,     /* still locked by another process after STORE_BUSY_MS */
	STORE_EFORMAT,   /* store_import(): a bad line */
};

struct store; /* opaque */

/*
 * Opens (creating it and its missing parent directories if needed) the
 * store at path for the given profile. *sp is always set to a new handle,
 * even on error, so that store_errmsg(*sp) can tell what went wrong; the
 * caller closes it with store_close() in every case. On error nothing was
 * written to an existing file. A missing profile is created by its first
 * write, so that reading an unknown profile shows empty progress.
 */
int store_open(struct store **sp, const char *path, const char *profile);
/*
 * Opens an existing store for reading only: for a database file (or its
 * folder) that cannot be written, where store_open() says STORE_EREADONLY.
 * Everything that reads works (progress, history, export); anything that
 * writes fails with STORE_EREADONLY. Same conventions as store_open().
 */
int store_open_readonly(struct store **sp, const char *path, const char *profile);
/* Whether S was opened for reading only. */
bool store_readonly(const struct store *s);
/* Closes the handle (NULL is allowed). */
void store_close(struct store *s);
/* The message of the last failed call on s, or "" if none failed. */
const char *store_errmsg(const struct store *s);
/* The path and profile s was opened with. */
const char *store_path(const struct store *s);
const char *store_profile(const struct store *s);

/*
 * The default database path: $BACKLAB_DB if set and not empty, else
 * $XDG_DATA_HOME/backlab/progress.db if XDG_DATA_HOME is absolute, else
 * $HOME/.local/share/backlab/progress.db (HOME from the password database
 * when unset). NULL if none can be found. The caller frees the result.
 */
char *store_default_path(void);
/* The default profile: the login name of the real user, else $USER, else
 * "learner". The caller frees the result. */
char *store_default_profile(void);

/* ---- recording ---- */

/*
 * One attempt at an exercise. For store_record_attempt() the caller fills
 * the fields and the store sets uid (and at, when it was 0); in a
 * store_history the strings belong to the history.
 */
struct store_attempt {
	char uid[STORE_UID_LEN + 1]; /* the attempt's id, for de-duplication */
	const char *exercise;        /* "caching/lru/predict" */
	int64_t at;                  /* ms since the epoch; 0 = now */
	bool passed;
	double score;           /* 0..1 */
	const char *submission; /* typed answer or file content; NULL = "" */
	const char *feedback;   /* what the learner was shown; NULL = "" */
	uint64_t seed;
	int64_t duration_ms;    /* >= 0 */
	const char *check_hash; /* hash of the check code that graded it */
	bool reset;             /* history only: hidden by a reset */
};

/* Records one attempt and commits it before returning. */
int store_record_attempt(struct store *s, struct store_attempt *a);
/*
 * Records that hint number n (1-based: n hints seen in all) of the
 * exercise was revealed. Recording a count that is not above the current
 * one changes nothing and is not an error.
 */
int store_record_hint(struct store *s, const char *exercise, int n);
/* Records that the solution was revealed / the exercise was skipped; a
 * second call while the first is still visible changes nothing. */
int store_record_solution(struct store *s, const char *exercise);
int store_record_skip(struct store *s, const char *exercise);

/* Sets the resume position (lesson id and step, 0-based). */
int store_set_position(struct store *s, const char *lesson, int step);
/* The resume position: *lesson is NULL (and *step 0) if none was set;
 * otherwise the caller frees *lesson. */
int store_get_position(struct store *s, char **lesson, int *step);
/* Adds seconds (> 0) of active time to a lesson. */
int store_add_time(struct store *s, const char *lesson, int64_t seconds);

/* ---- progress: what the UI shows ---- */

/* A distinct check hash under which an exercise was passed. */
struct store_pass {
	const char *check_hash;
	int64_t at;      /* time of the first visible pass under that hash */
	const char *uid; /* that attempt's id */
};

/* What is visible of one exercise (only exercises with a visible event
 * appear). */
struct store_exercise {
	const char *id;
	int attempts;
	double best_score; /* 0 when attempts == 0 */
	int hints;         /* hints seen */
	bool solution;     /* solution revealed */
	bool skipped;
	struct store_pass *passes; /* by time of first pass; npass may be 0 */
	size_t npass;
};

struct store_lesson_time {
	const char *lesson;
	int64_t seconds;
};

/*
 * Everything a progress view needs, sorted by id (strcmp order), with no
 * field that depends on the current time: the same stored data always
 * loads the same way.
 */
struct store_progress {
	struct store_exercise *ex;
	size_t nex;
	struct store_lesson_time *time;
	size_t ntime;
	int64_t total_seconds; /* over the lessons listed */
	int total_hints;       /* over the exercises listed */
};

/*
 * Loads the progress of every exercise and lesson in target (NULL or "all"
 * for everything) with a few queries. Free it with store_progress_free().
 */
int store_progress_load(struct store *s, const char *target, struct store_progress *p);
void store_progress_free(struct store_progress *p);

/* The status of one exercise, for its current check hash. */
struct store_status {
	bool passed;       /* a visible pass under the current hash */
	bool stale;        /* visible passes, all under other hashes */
	int64_t passed_at; /* first counting pass (or first stale pass); 0: none */
	int attempts;
	double best_score; /* 0 when attempts == 0 */
	int hints;
	bool solution;
	bool skipped;
};

/*
 * The status of exercise id in a loaded progress, given the exercise's
 * current check hash (NULL: any pass counts, never stale). A binary
 * search: fast for a whole course. An exercise absent from p is all zero.
 */
void store_progress_status(const struct store_progress *p, const char *id, const char *check_hash,
                           struct store_status *st);
/* The same for one exercise, loaded from the store. */
int store_status(struct store *s, const char *id, const char *check_hash, struct store_status *st);

/* Attempts, newest first, with every field; the history owns the strings. */
struct store_history {
	struct store_attempt *v;
	size_t n;
};

/* Lists the attempts in target (NULL or "all" for every exercise), hidden
 * ones included (marked .reset). Free it with store_history_free(). */
int store_history(struct store *s, const char *target, struct store_history *h);
void store_history_free(struct store_history *h);

/* ---- resets ---- */

/* What a reset or restore hides or brings back, for a confirmation like
 * "reset 4 completions and 3 hints in caching/lru". */
struct store_change {
	int exercises;   /* exercises concerned */
	int completions; /* of them, passed (under any hash) */
	int attempts;    /* attempts hidden or shown again (history keeps all) */
	int hints;       /* hints seen, summed over the exercises */
	int solutions;   /* exercises whose solution was revealed */
	int skips;       /* exercises skipped */
	int events;      /* records concerned; 0: nothing to do */
	/* reset: the time of the reset made. restore: the newest reset being
	 * undone (target and time), and in UNDONE the older resets of parts of
	 * the target undone with it, oldest first. Owned by the struct: free
	 * with store_change_free(). */
	char *reset_target;
	int64_t reset_at;
	struct store_undone {
		char *target;
		int64_t at;
	} *undone;
	size_t nundone;
};

/*
 * Resets target: what it would hide (store_reset_preview) or hides
 * (store_reset), in *c. Nothing to reset is not an error: c->events is 0
 * and nothing is recorded. The reset records the exact records it hides,
 * so it may differ from an earlier preview only if another process
 * recorded something in between.
 */
int store_reset_preview(struct store *s, const char *target, struct store_change *c);
int store_reset(struct store *s, const char *target, struct store_change *c);
/* Undoes the most recent reset still hiding something in target (see the
 * top of this file), or previews it; c->events is 0 if there is none. */
int store_restore_preview(struct store *s, const char *target, struct store_change *c);
int store_restore(struct store *s, const char *target, struct store_change *c);
void store_change_free(struct store_change *c);

/* ---- export and import ---- */

/*
 * Writes the profile's records to out as JSON lines, in a fixed order:
 * events (attempt, hint, solution, skip) by time, resets, restores, time
 * spent per lesson, the position, then one "completion" line per exercise
 * and check hash (derived from the attempts, for readers of the file;
 * import ignores them). The same stored data always gives the same bytes.
 * Returns STORE_EIO if writing to out fails.
 */
int store_export(struct store *s, FILE *out);

struct store_import_stats { /* one count per non-blank line: they add up */
	int added;      /* records added (events, resets, restores) */
	int duplicates; /* records already present, skipped */
	int updated;    /* time spent or position taken from the file */
	int kept;       /* time spent or position not newer than the store's */
	int derived;    /* completion lines: derived from the attempts, not stored */
};

/*
 * Merges an export into the profile of s (whatever learner wrote it; the
 * lines of one file must all name the same learner). Records already
 * present (same id) are skipped, time spent per lesson and machine takes
 * the larger value, and the position the newer one, so importing twice
 * adds nothing. All or nothing: on a bad line nothing is imported and
 * store_errmsg() is "NAME:LINE: message" ("LINE: message" when name is
 * NULL). stats may be NULL.
 */
int store_import(struct store *s, FILE *in, const char *name, struct store_import_stats *stats);

#endif
