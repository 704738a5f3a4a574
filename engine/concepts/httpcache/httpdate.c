/* httpdate.c — HTTP-dates (RFC 9110 section 5.6.7); see httpdate.h. */
#include "engine/concepts/httpcache/httpdate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const long_days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
					"Thursday", "Friday", "Saturday"};

/* Days from 1970-01-01 to Y-M-D in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                              /* [0, 399] */
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int month_days(int64_t y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return n[m - 1] + (m == 2 && leap);
}

/* Reads exactly N digits at *P; returns the number or -1. */
static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

static int word(const char **p, const char *const *names, int n, int len)
{
	for (int i = 0; i < n; i++) {
		size_t l = len ? (size_t)len : strlen(names[i]);
		if (strncmp(*p, names[i], l) == 0) {
			*p += l;
			return i;
		}
	}
	return -1;
}

static int lit(const char **p, const char *s)
{
	size_t l = strlen(s);
	if (strncmp(*p, s, l) != 0)
		return 0;
	*p += l;
	return 1;
}

/* "HH:MM:SS" */
static int clock_time(const char **p, int *h, int *mi, int *s)
{
	*h = digits(p, 2);
	if (*h < 0 || !lit(p, ":"))
		return -1;
	*mi = digits(p, 2);
	if (*mi < 0 || !lit(p, ":"))
		return -1;
	*s = digits(p, 2);
	return *s < 0 || *h > 23 || *mi > 59 || *s > 60 ? -1 : 0;
}

int httpdate_parse(const char *s, double now, int64_t *t)
{
	const char *p = s;
	int64_t y;
	int mon, d, h, mi, sec;
	if (word(&p, days, 7, 3) >= 0 && lit(&p, ", ")) { /* IMF-fixdate */
		if ((d = digits(&p, 2)) < 0 || !lit(&p, " ") ||
		    (mon = word(&p, months, 12, 3)) < 0 || !lit(&p, " ") ||
		    (y = digits(&p, 4)) < 0 || !lit(&p, " ") ||
		    clock_time(&p, &h, &mi, &sec) < 0 || !lit(&p, " GMT"))
			return -1;
	} else if (p = s, word(&p, long_days, 7, 0) >= 0 && lit(&p, ", ")) { /* RFC 850 */
		if ((d = digits(&p, 2)) < 0 || !lit(&p, "-") ||
		    (mon = word(&p, months, 12, 3)) < 0 || !lit(&p, "-") ||
		    (y = digits(&p, 2)) < 0 || !lit(&p, " ") ||
		    clock_time(&p, &h, &mi, &sec) < 0 || !lit(&p, " GMT"))
			return -1;
		int64_t now_year, cy;
		int cm, cd;
		double clamped = now < HTTPDATE_MIN ? HTTPDATE_MIN
				 : now > HTTPDATE_MAX ? HTTPDATE_MAX : now == now ? now : 0;
		civil_from_days((int64_t)floor(clamped / 86400), &now_year, &cm, &cd);
		cy = now_year - now_year % 100 + y;
		if (cy > now_year + 50)
			cy -= 100;
		y = cy;
	} else if (p = s, word(&p, days, 7, 3) >= 0 && lit(&p, " ")) { /* asctime */
		if ((mon = word(&p, months, 12, 3)) < 0 || !lit(&p, " "))
			return -1;
		if (*p == ' ') {
			p++;
			d = digits(&p, 1);
		} else {
			d = digits(&p, 2);
		}
		if (d < 0 || !lit(&p, " ") || clock_time(&p, &h, &mi, &sec) < 0 || !lit(&p, " ") ||
		    (y = digits(&p, 4)) < 0)
			return -1;
	} else {
		return -1;
	}
	if (*p || d < 1 || d > month_days(y, mon + 1))
		return -1;
	*t = days_from_civil(y, mon + 1, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

int httpdate_format(int64_t t, char buf[30])
{
	if (t < HTTPDATE_MIN || t > HTTPDATE_MAX)
		return -1;
	int64_t z = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
	int64_t secs = t - z * 86400;
	int m, d;
	civil_from_days(z, &y, &m, &d);
	int wd = (int)(((z % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	char tmp[64]; /* 29 characters in the range above; room for any int */
	snprintf(tmp, sizeof tmp, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[wd], d,
		 months[m - 1], (int)y, (int)(secs / 3600), (int)(secs / 60 % 60),
		 (int)(secs % 60));
	memcpy(buf, tmp, 29);
	buf[29] = '\0';
	return 0;
}
