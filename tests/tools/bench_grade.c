/*
 * bench_grade.c — timings of grading: medians of repeated runs, never
 * asserted (`make bench`).
 *
 *   isolated answer   fork + fresh state + environments + check.lua + check
 *   isolated code     the same with a learner file loaded first
 *   in-process        grade_run_here(): the same without the fork
 *   differential      an isolated run of 200 LRU cases of 20 operations
 */
#include "engine/grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 51

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static const char *lru_check =
	"local function ref(cap)\n"
	"  local self, order, vals = {}, {}, {}\n"
	"  local function touch(k)\n"
	"    for i, x in ipairs(order) do if x == k then table.remove(order, i) break end end\n"
	"    order[#order + 1] = k\n"
	"  end\n"
	"  function self:get(k) local v = vals[k]; if v ~= nil then touch(k) end; return v end\n"
	"  function self:put(k, v)\n"
	"    local ev\n"
	"    if vals[k] == nil and #order >= cap then ev = table.remove(order, 1); vals[ev] = nil end\n"
	"    touch(k); vals[k] = v; return ev\n"
	"  end\n"
	"  return self\n"
	"end\n"
	"differential{cases = 200, setup = function(r) return r:int(1, 4) end,\n"
	"  subject = submission.new, reference = ref,\n"
	"  ops = {put = function(r) return r:int(1, 6), r:int(1, 99) end,\n"
	"         get = function(r) return r:int(1, 6) end}}\n";

static const char *lru_source =
	"return {new = function(cap)\n"
	"  local self, order, vals = {}, {}, {}\n"
	"  local function touch(k)\n"
	"    for i, x in ipairs(order) do if x == k then table.remove(order, i) break end end\n"
	"    order[#order + 1] = k\n"
	"  end\n"
	"  function self:get(k) local v = vals[k]; if v ~= nil then touch(k) end; return v end\n"
	"  function self:put(k, v)\n"
	"    local ev\n"
	"    if vals[k] == nil and #order >= cap then ev = table.remove(order, 1); vals[ev] = nil end\n"
	"    touch(k); vals[k] = v; return ev\n"
	"  end\n"
	"  return self\n"
	"end}\n";

/* Median wall time of grading REQ, isolated or not; -1 if it does not pass. */
static double median(const struct grade_request *req, int isolated)
{
	double ms[RUNS];
	for (int i = 0; i < RUNS; i++) {
		struct verdict v;
		double t0 = now_ms();
		if (isolated)
			grade_run(req, &v);
		else
			grade_run_here(req, &v);
		ms[i] = now_ms() - t0;
		int passed = v.passed;
		verdict_free(&v);
		if (!passed)
			return -1;
	}
	qsort(ms, RUNS, sizeof ms[0], cmp);
	return ms[RUNS / 2];
}

int main(void)
{
	struct grade_request answer = {.kind = GRADE_ANSWER, .answer = " B ", .seed = 1,
				       .check = "expect(answer):normalized():equals('b', 'No.')"};
	struct grade_request code = {.kind = GRADE_CODE, .seed = 1,
				     .source = "return {add = function(a, b) return a + b end}",
				     .check = "expect(submission.add(2, 3)):equals(5)"};
	struct grade_request lru = {.kind = GRADE_CODE, .seed = 1, .source = lru_source,
				    .check = lru_check};
	printf("grade: isolated answer run      median %6.2f ms\n", median(&answer, 1));
	printf("grade: isolated code run        median %6.2f ms\n", median(&code, 1));
	printf("grade: in-process answer run    median %6.2f ms\n", median(&answer, 0));
	printf("grade: LRU differential (200)   median %6.2f ms\n", median(&lru, 1));
	return 0;
}
