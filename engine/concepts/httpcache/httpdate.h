/*
 * httpdate.h — HTTP-dates (RFC 9110 section 5.6.7): the IMF-fixdate that
 * senders generate, "Sun, 06 Nov 1994 08:49:37 GMT", and the two obsolete
 * forms that recipients must also accept, RFC 850 ("Sunday, 06-Nov-94
 * 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"). Times are seconds
 * since 1970-01-01 00:00:00 UTC, in the proleptic Gregorian calendar; the day
 * name is read but not checked against the date.
 */
#ifndef BACKLAB_HTTPDATE_H
#define BACKLAB_HTTPDATE_H

#include <stdint.h>

/*
 * Parses the HTTP-date S into *T. NOW (seconds) places the two-digit years of
 * RFC 850 dates: one that would be more than 50 years after NOW is taken from
 * the century before (a NOW outside the years 0000..9999 counts as their
 * nearest end). Returns 0, or -1 if S is not an HTTP-date (then *T is
 * untouched).
 */
int httpdate_parse(const char *s, double now, int64_t *t);

/* The times an HTTP-date can show: years 0000 to 9999. */
#define HTTPDATE_MIN (-62167219200LL) /* 0000-01-01 00:00:00 */
#define HTTPDATE_MAX 253402300799LL   /* 9999-12-31 23:59:59 */

/* Writes T as an IMF-fixdate (29 characters and a NUL) into BUF. Returns 0,
 * or -1 (BUF untouched) if T is outside HTTPDATE_MIN..HTTPDATE_MAX. */
int httpdate_format(int64_t t, char buf[30]);

#endif
