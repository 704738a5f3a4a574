/*
 * cron.h — cron expressions (crontab(5), Vixie cron) and the next time
 * one fires.
 *
 * Five fields, `minute hour day-of-month month day-of-week`, or six with
 * seconds first (as Quartz and croncpp write them). Each field is a
 * comma-separated list of `*` (or `?`), a value, a range `a-b`, each
 * optionally with a step `/n` (`a/n` means `a-max/n`). Months may be
 * written JAN..DEC, days SUN..SAT; day of week 0 and 7 are both Sunday.
 * When day-of-month and day-of-week are both restricted (neither starts
 * with `*` or `?`), a day matches if either does (crontab(5)). Times are
 * seconds since 1970-01-01 00:00:00, read as a calendar without time zone
 * or daylight saving (UTC).
 */
#ifndef BACKLAB_CRON_H
#define BACKLAB_CRON_H

#include <stddef.h>
#include <stdint.h>

enum { CRON_SEC, CRON_MIN, CRON_HOUR, CRON_DOM, CRON_MON, CRON_DOW, CRON_FIELDS };

struct cron {
	uint64_t bits[CRON_FIELDS]; /* bit v set: value v matches */
	int dom_any, dow_any;       /* the field started with * or ? */
	int has_seconds;
};

/* Parses EXPR into C. 0, or -1 with a message in ERR (SIZE bytes) that
 * names the field and what is wrong. */
int cron_parse(struct cron *c, const char *expr, char *err, size_t size);

/* Whether time T (seconds since the epoch) matches C. */
int cron_matches(const struct cron *c, int64_t t);

/* The first time strictly after T that matches C, in *NEXT: 0, or -1
 * when none comes within 400 years (e.g. 30 February). */
int cron_next(const struct cron *c, int64_t t, int64_t *next);

/* Calendar conversions (proleptic Gregorian, UTC). */
int64_t cron_from_civil(int y, int mo, int d, int h, int mi, int s);
void cron_to_civil(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s, int *wday);

#endif
