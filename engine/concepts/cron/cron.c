/*
 * cron.c — parsing and next-time search for cron.h.
 */
#include "engine/concepts/cron/cron.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const int lo_of[CRON_FIELDS] = {0, 0, 0, 1, 1, 0};
static const int hi_of[CRON_FIELDS] = {59, 59, 23, 31, 12, 7};
static const char *const field_name[CRON_FIELDS] = {
	"second", "minute", "hour", "day of month", "month", "day of week"};
static const char *const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
				     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const days[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

/* Reads a value of field F at *P (a number, or a name for months and
 * days): 0 and *V, or -1. */
static int read_value(int f, const char **p, int *v)
{
	const char *s = *p;
	if (isdigit((unsigned char)*s)) {
		long n = 0;
		while (isdigit((unsigned char)*s) && n < 1000)
			n = n * 10 + (*s++ - '0');
		*v = (int)n;
		*p = s;
		return 0;
	}
	const char *const *names = f == CRON_MON ? months : f == CRON_DOW ? days : NULL;
	int count = f == CRON_MON ? 12 : 7, base = f == CRON_MON ? 1 : 0;
	for (int k = 0; names && k < count; k++)
		if (strncasecmp(s, names[k], 3) == 0) {
			*v = k + base;
			*p = s + 3;
			return 0;
		}
	return -1;
}

/* Parses one list item of field F (text from S to END) into *BITS. 0, or
 * -1 with a message. */
static int parse_item(int f, const char *s, const char *end, uint64_t *bits, char *err,
		      size_t size)
{
	int lo = lo_of[f], hi = hi_of[f], a, b, step = 1;
	const char *p = s;
	if (*p == '*' || *p == '?') {
		a = lo;
		b = hi;
		p++;
	} else {
		if (read_value(f, &p, &a))
			goto bad;
		b = a;
		if (*p == '-') {
			p++;
			if (read_value(f, &p, &b))
				goto bad;
		}
	}
	if (p < end && *p == '/') {
		p++;
		if (!isdigit((unsigned char)*p) || read_value(CRON_SEC, &p, &step) || step < 1)
			goto bad;
		if (s[0] != '*' && s[0] != '?' && memchr(s, '-', (size_t)(end - s)) == NULL)
			b = hi;                     /* a/n: from a to the end */
	}
	if (p != end)
		goto bad;
	if (a < lo || b > hi || a > b) {
		snprintf(err, size, "%s: %.*s is out of range %d-%d", field_name[f], (int)(end - s), s,
			 lo, hi);
		return -1;
	}
	for (int v = a; v <= b; v += step)
		*bits |= (uint64_t)1 << (f == CRON_DOW && v == 7 ? 0 : v);
	return 0;
bad:
	snprintf(err, size, "%s: cannot read '%.*s'", field_name[f], (int)(end - s), s);
	return -1;
}

/* Parses field F (S to END, a comma-separated list). */
static int parse_field(struct cron *c, int f, const char *s, const char *end, char *err,
		       size_t size)
{
	c->bits[f] = 0;
	if (f == CRON_DOM)
		c->dom_any = *s == '*' || *s == '?';
	if (f == CRON_DOW)
		c->dow_any = *s == '*' || *s == '?';
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;
		if (stop == s) {
			snprintf(err, size, "%s: an empty item", field_name[f]);
			return -1;
		}
		if (parse_item(f, s, stop, &c->bits[f], err, size))
			return -1;
		s = comma ? comma + 1 : end;
		if (comma && s == end) {
			snprintf(err, size, "%s: an empty item", field_name[f]);
			return -1;
		}
	}
	return 0;
}

int cron_parse(struct cron *c, const char *expr, char *err, size_t size)
{
	const char *start[7], *stop[7];
	int n = 0;
	memset(c, 0, sizeof *c);
	for (const char *p = expr; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == 7) {
			snprintf(err, size, "more than 6 fields");
			return -1;
		}
		start[n] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		stop[n++] = p;
	}
	if (n != 5 && n != 6) {
		snprintf(err, size, "%d fields: a cron expression has 5 (or 6 with seconds)", n);
		return -1;
	}
	c->has_seconds = n == 6;
	int first = n == 6 ? CRON_SEC : CRON_MIN;
	if (n == 5)
		c->bits[CRON_SEC] = 1;              /* second 0 */
	for (int k = 0; k < n; k++)
		if (parse_field(c, first + k, start[k], stop[k], err, size))
			return -1;
	return 0;
}

/* Days from 1970-01-01 to Y-M-D (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t cron_from_civil(int y, int mo, int d, int h, int mi, int s)
{
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

void cron_to_civil(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s, int *wday)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400, secs = t - z * 86400;
	*wday = (int)((z % 7 + 11) % 7);         /* 1970-01-01 was a Thursday (4) */
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*mo <= 2));
	*h = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
	*s = (int)(secs % 60);
}

/* Whether day D (month-day MD, weekday WD) matches C's day fields. */
static int day_matches(const struct cron *c, int md, int wd)
{
	int dom = (c->bits[CRON_DOM] >> md) & 1, dow = (c->bits[CRON_DOW] >> wd) & 1;
	if (!c->dom_any && !c->dow_any)
		return dom || dow;
	return dom && dow;
}

int cron_matches(const struct cron *c, int64_t t)
{
	int y, mo, d, h, mi, s, wd;
	cron_to_civil(t, &y, &mo, &d, &h, &mi, &s, &wd);
	return ((c->bits[CRON_MON] >> mo) & 1) && day_matches(c, d, wd) &&
	       ((c->bits[CRON_HOUR] >> h) & 1) && ((c->bits[CRON_MIN] >> mi) & 1) &&
	       ((c->bits[CRON_SEC] >> s) & 1);
}

int cron_next(const struct cron *c, int64_t t, int64_t *next)
{
	int64_t limit = t + (int64_t)400 * 366 * 86400;
	t++;
	while (t < limit) {
		int y, mo, d, h, mi, s, wd;
		cron_to_civil(t, &y, &mo, &d, &h, &mi, &s, &wd);
		if (!((c->bits[CRON_MON] >> mo) & 1)) {
			t = mo == 12 ? cron_from_civil(y + 1, 1, 1, 0, 0, 0)
				     : cron_from_civil(y, mo + 1, 1, 0, 0, 0);
		} else if (!day_matches(c, d, wd)) {
			t = cron_from_civil(y, mo, d, 0, 0, 0) + 86400;
		} else if (!((c->bits[CRON_HOUR] >> h) & 1)) {
			t = cron_from_civil(y, mo, d, h, 0, 0) + 3600;
		} else if (!((c->bits[CRON_MIN] >> mi) & 1)) {
			t = cron_from_civil(y, mo, d, h, mi, 0) + 60;
		} else if (!((c->bits[CRON_SEC] >> s) & 1)) {
			t++;
		} else {
			*next = t;
			return 0;
		}
	}
	return -1;
}
