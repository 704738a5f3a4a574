/*
 * Tests of cron expressions (engine/concepts/cron/cron.c): croncpp's
 * next-time vectors, crontab(5)'s either-day rule, the calendar, errors.
 */
#include "unit.h"
#include "engine/concepts/cron/cron.h"

#include <stdio.h>
#include <string.h>

#define DATA "tests/engine/concepts/cron/data/"

static int64_t at(const char *s)
{
	int y, mo, d, h, mi, sec;
	if (sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6)
		return -1;
	return cron_from_civil(y, mo, d, h, mi, sec);
}

static void t_croncpp_vectors(void)
{
	FILE *f = fopen(DATA "croncpp_next.tsv", "r");
	CHECK(f != NULL);
	char line[256];
	int rows = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		CHECK(t2 != NULL);
		if (!t2)
			continue;
		*t1 = *t2 = '\0';
		struct cron c;
		char err[128];
		CHECK(cron_parse(&c, line, err, sizeof err) == 0);
		int64_t next = 0;
		CHECK(cron_next(&c, at(t1 + 1), &next) == 0);
		if (next != at(t2 + 1))
			fprintf(stderr, "  %s from %s: got %lld\n", line, t1 + 1, (long long)next);
		CHECK(next == at(t2 + 1));
		rows++;
	}
	if (f)
		fclose(f);
	CHECK_INT(rows, 54);
}

/* 0 0 13 * 5: every 13th and every Friday (crontab(5)); with * for the
 * day of month, only Fridays. */
static void t_either_day(void)
{
	struct cron c;
	char err[128];
	CHECK(cron_parse(&c, "0 0 13 * 5", err, sizeof err) == 0);
	int64_t t = at("2026-01-01 00:00:00"), next;
	const char *want[] = {"2026-01-02 00:00:00", "2026-01-09 00:00:00", "2026-01-13 00:00:00",
			      "2026-01-16 00:00:00"};
	for (int k = 0; k < 4; k++) {
		CHECK(cron_next(&c, t, &next) == 0);
		CHECK(next == at(want[k]));
		t = next;
	}
	CHECK(cron_parse(&c, "0 0 * * FRI", err, sizeof err) == 0);
	CHECK(cron_next(&c, at("2026-01-12 00:00:00"), &next) == 0);
	CHECK(next == at("2026-01-16 00:00:00"));
	CHECK(cron_parse(&c, "0 0 30 2 *", err, sizeof err) == 0);
	CHECK(cron_next(&c, 0, &next) == -1);      /* never */
	CHECK(cron_parse(&c, "0 0 * * 7", err, sizeof err) == 0);
	CHECK(cron_matches(&c, at("2026-12-06 00:00:00")));  /* a Sunday */
}

static void t_calendar(void)
{
	int y, mo, d, h, mi, s, wd;
	CHECK(cron_from_civil(1970, 1, 1, 0, 0, 0) == 0);
	CHECK(cron_from_civil(2000, 3, 1, 0, 0, 0) == 951868800);
	cron_to_civil(951868800 - 1, &y, &mo, &d, &h, &mi, &s, &wd);
	CHECK(y == 2000 && mo == 2 && d == 29 && h == 23 && mi == 59 && s == 59);
	CHECK_INT(wd, 2);                          /* Tuesday */
	cron_to_civil(-1, &y, &mo, &d, &h, &mi, &s, &wd);
	CHECK(y == 1969 && mo == 12 && d == 31 && wd == 3);
}

static void t_errors(void)
{
	struct cron c;
	char err[128];
	CHECK(cron_parse(&c, "* * * *", err, sizeof err) == -1);
	CHECK(strstr(err, "4 fields") != NULL);
	CHECK(cron_parse(&c, "60 * * * *", err, sizeof err) == -1);
	CHECK(strstr(err, "minute") != NULL && strstr(err, "out of range") != NULL);
	CHECK(cron_parse(&c, "* * * JANUARY *", err, sizeof err) == -1);
	CHECK(cron_parse(&c, "*/0 * * * *", err, sizeof err) == -1);
	CHECK(cron_parse(&c, "1,,2 * * * *", err, sizeof err) == -1);
	CHECK(cron_parse(&c, "5-2 * * * *", err, sizeof err) == -1);
	CHECK(cron_parse(&c, "1, * * * *", err, sizeof err) == -1);
	CHECK(cron_parse(&c, "0 9-17/4 * JAN-MAR/2 mon-fri", err, sizeof err) == 0);
	CHECK(c.bits[CRON_HOUR] == ((1u << 9) | (1u << 13) | (1u << 17)));
	CHECK(c.bits[CRON_MON] == ((1u << 1) | (1u << 3)));
}

static const struct test tests[] = {
	{"cron/croncpp_vectors", t_croncpp_vectors},
	{"cron/either_day", t_either_day},
	{"cron/calendar", t_calendar},
	{"cron/errors", t_errors},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
