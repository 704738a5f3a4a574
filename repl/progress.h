/*
 * progress.h — the learner's progress over the course, as the front end
 * shows it: status per exercise (from the store, against the course's current
 * checks) summed per lesson and module.
 */
#ifndef BACKLAB_PROGRESS_H
#define BACKLAB_PROGRESS_H

#include "engine/store.h"
#include "repl/session.h"

struct tally {
	int exercises;
	int passed;
	int stale;
	int skipped;
	int hints;
	int64_t seconds;
};

/* Status of one exercise of a parsed lesson, against its current check. */
void progress_status(const struct store_progress *p, const struct lesson *l,
		     const struct exercise *e, struct store_status *st);
/* Re-grades the stale passes of P (exercise_regrade()): those that still
 * pass are recorded again under the current check. Returns how many were
 * kept; the caller then reloads P. */
int progress_regrade(struct session *s, const struct store_progress *p);
/* Sums a lesson. PARSE: parse it for check hashes (exact, finds stale passes);
 * otherwise use the scan's ids and count any pass (cheap, for listings). */
void progress_lesson(struct session *s, const struct store_progress *p, struct lesson *l,
		     bool parse, struct tally *t);
/* "█████░░░░░" (or "#####-----" without UTF-8) for DONE of ALL, WIDTH cells. */
void progress_bar(struct sbuf *sb, int done, int all, int width, bool utf8);
/* "1 h 05 min", "12 min", "40 s". */
void progress_duration(struct sbuf *sb, int64_t seconds);

#endif
