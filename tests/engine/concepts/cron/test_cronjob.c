/*
 * Unit tests of engine/concepts/cron/cronjob.c: the CronJob controller's
 * policies and missed runs worked by hand, and the cap on fire times.
 */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/cron/cronjob.h"

static int64_t at(int h, int m)
{
	return cron_from_civil(2026, 1, 5, h, m, 0);
}

static void t_forbid_and_replace(void)
{
	/* Every 15 minutes from 00:00 to 01:00: 00:15, 00:30, 00:45, 01:00; runs of 10
	 * and 25 minutes in turn: the 00:30 run lasts until 00:55. */
	struct cron c;
	char err[100];
	CHECK_INT(cron_parse(&c, "*/15 * * * *", err, sizeof err), 0);
	int64_t d[2] = {600, 1500};
	struct cronjob_config cfg = {at(0, 0), at(1, 0), d, 2, CRONJOB_FORBID, -1, 0, 1, NULL, 0, 100};
	struct cronjob_run *r;
	size_t n;
	CHECK_INT(cronjob_simulate(&c, &cfg, &r, &n), 0);
	CHECK_INT(n, 4);
	CHECK_INT(r[2].status, CRONJOB_SKIPPED);
	CHECK_INT(r[2].reason, CRONJOB_OVERLAP);
	CHECK(r[3].status == CRONJOB_RAN && r[3].start == at(1, 0));
	budget_free(r);
	cfg.policy = CRONJOB_REPLACE;
	CHECK_INT(cronjob_simulate(&c, &cfg, &r, &n), 0);
	CHECK(r[1].replaced && r[1].end == at(0, 45));
	CHECK(r[2].status == CRONJOB_RAN && r[2].end == at(0, 55));
	budget_free(r);
	cfg.max_runs = 3;
	CHECK_INT(cronjob_simulate(&c, &cfg, &r, &n), -2);
	CHECK(r == NULL && n == 0);
}

static void t_downtime(void)
{
	/* Every 10 minutes, controller down 00:05-00:35: 00:10 and 00:20 are skipped,
	 * 00:30 (5 min late) starts at 00:35 within a 10-minute deadline;
	 * with a 4-minute one it is skipped too. */
	struct cron c;
	char err[100];
	CHECK_INT(cron_parse(&c, "*/10 * * * *", err, sizeof err), 0);
	int64_t d = 60;
	struct cronjob_window w = {at(0, 5), at(0, 35)};
	struct cronjob_config cfg = {at(0, 0), at(1, 0), &d, 1, CRONJOB_ALLOW, 600, 0, 1, &w, 1, 100};
	struct cronjob_run *r;
	size_t n;
	CHECK_INT(cronjob_simulate(&c, &cfg, &r, &n), 0);
	CHECK_INT(n, 6);
	CHECK(r[0].status == CRONJOB_SKIPPED && r[0].reason == CRONJOB_DOWN);
	CHECK(r[1].status == CRONJOB_SKIPPED && r[1].reason == CRONJOB_DOWN);
	CHECK(r[2].status == CRONJOB_LATE && r[2].start == at(0, 35));
	CHECK(r[3].status == CRONJOB_RAN && r[3].start == at(0, 40));
	budget_free(r);
	cfg.deadline = 240;
	CHECK_INT(cronjob_simulate(&c, &cfg, &r, &n), 0);
	CHECK(r[2].status == CRONJOB_SKIPPED && r[2].reason == CRONJOB_DEADLINE);
	budget_free(r);
	/* two windows chained: down 00:05-00:25 and 00:20-00:45 is one outage */
	struct cronjob_window two[2] = {{at(0, 5), at(0, 25)}, {at(0, 20), at(0, 45)}};
	cfg.down = two;
	cfg.ndown = 2;
	cfg.deadline = -1;
	CHECK_INT(cronjob_simulate(&c, &cfg, &r, &n), 0);
	CHECK(r[2].status == CRONJOB_SKIPPED && r[3].status == CRONJOB_LATE &&
	      r[3].start == at(0, 45));
	budget_free(r);
}

static const struct test tests[] = {
	{"cronjob/forbid_and_replace", t_forbid_and_replace},
	{"cronjob/downtime", t_downtime},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
