/*
 * test_check_sql.c — same_query{} (engine/lua/check_sql.lua): SQL graded on
 * a dataset of lessons/03-databases/data and on another seed of it, with
 * the first difference told in words; and the dataset folder a graded run
 * gets from the lesson's path.
 */
#include "unit.h"

#include "engine/grade.h"

#define LESSON "lessons/03-databases/99-test.md" /* its data/ is the module's */

#define CHECK_HAS(hay, needle)                                                     \
	do {                                                                       \
		const char *h_ = (hay), *n_ = (needle);                            \
		if (!h_ || !strstr(h_, n_)) {                                      \
			unit_fail_(__FILE__, __LINE__, #hay " contains " #needle); \
			printf("      text: [%s]\n      want: [%s]\n", h_ ? h_ : "(null)", n_); \
			return;                                                    \
		}                                                                  \
	} while (0)

static struct verdict grade(const char *check, const char *source, uint64_t seed)
{
	struct grade_request r = {.kind = GRADE_CODE, .check = check, .check_file = LESSON,
				  .check_line = 1, .source = source, .source_name = "query.lua",
				  .seed = seed};
	r.limits.timeout = 10;
	struct verdict v;
	grade_run(&r, &v);
	return v;
}

static const char *top_customers =
	"same_query{dataset = 'shop', query = submission, reference = [[\n"
	"  SELECT customer_id, count(*) AS orders FROM orders\n"
	"  GROUP BY customer_id ORDER BY orders DESC, customer_id LIMIT 3]],\n"
	"  ordered = true}\n";

static void t_right_query_passes(void)
{
	struct verdict v = grade(top_customers,
				 "return [[SELECT customer_id, COUNT(id) AS orders FROM orders "
				 "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3]]",
				 7);
	CHECK_INT(v.status, VERDICT_PASS);
	verdict_free(&v);
}

/* The dataset's answer written as constants passes on seed 1 only. */
static void t_hard_coded_fails_on_other_seed(void)
{
	/* find the answer on seed 1 first, as a learner would */
	struct verdict probe = grade("local db = lab.sql.open('shop')\n"
				     "local r = db:query([[SELECT customer_id, count(*) AS n FROM "
				     "orders GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3]])\n"
				     "fail(('%d %d %d %d %d %d'):format(r[1].customer_id, r[1].n, "
				     "r[2].customer_id, r[2].n, r[3].customer_id, r[3].n))",
				     "return 1", 1);
	int c1, n1, c2, n2, c3, n3;
	CHECK(sscanf(probe.feedback, "%d %d %d %d %d %d", &c1, &n1, &c2, &n2, &c3, &n3) == 6);
	verdict_free(&probe);
	char src[300];
	snprintf(src, sizeof src,
		 "return [[SELECT %d AS customer_id, %d AS orders UNION ALL SELECT %d, %d "
		 "UNION ALL SELECT %d, %d]]",
		 c1, n1, c2, n2, c3, n3);
	struct verdict v = grade(top_customers, src, 7);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "On another `shop` dataset with the same tables and other rows");
	CHECK_HAS(v.feedback, "depends on those particular rows");
	verdict_free(&v);
}

static void t_messages(void)
{
	static const struct {
		const char *source, *says;
	} cases[] = {
		{"return 42", "must return the query as a string"},
		{"return [[SELEC 1]]", "your query fails: `near \"SELEC\": syntax error`"},
		{"return [[SELECT customer_id, count(*) AS n FROM orders GROUP BY 1 ORDER BY 2 "
		 "DESC LIMIT 3]]",
		 "Your query returns the columns `customer_id, n`; the expected result has "
		 "`customer_id, orders`"},
		{"return [[SELECT customer_id, count(*) AS orders FROM orders GROUP BY 1 "
		 "ORDER BY 2 DESC, 1 LIMIT 2]]",
		 "Your query returned 2 rows; the expected result has 3 rows. The expected row 3 is"},
		{"return [[SELECT customer_id, count(*) AS orders FROM orders GROUP BY 1 "
		 "ORDER BY 2, 1 LIMIT 3]]",
		 "Row 1 of your result is `{"},
		{"return [[SELECT customer_id, count(*) AS orders FROM orders "
		 "GROUP BY customer_id ORDER BY orders DESC, customer_id LIMIT 3; DROP TABLE orders]]",
		 "give one statement"},
		/* a statement that writes is refused before it runs: the
		 * datasets are shared by every same_query of a check */
		{"return [[DELETE FROM orders]]", "Your statement changes the database"},
		{"return [[UPDATE orders SET customer_id = 1 RETURNING customer_id, 1 AS orders]]",
		 "Your statement changes the database"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct verdict v = grade(top_customers, cases[i].source, 7);
		if (v.status != VERDICT_FAIL || !strstr(v.feedback, cases[i].says)) {
			printf("    %s\n      -> %s: %s\n", cases[i].source,
			       verdict_status_name(v.status), v.feedback);
			CHECK(0);
		}
		verdict_free(&v);
	}
}

/* Unordered: any order passes; a missing or extra row is named. */
static void t_unordered(void)
{
	const char *check = "same_query{dataset = 'shop', query = submission, reference = [[\n"
			    "  SELECT name FROM products WHERE category = 'tea']]}\n";
	struct verdict v = grade(check,
				 "return [[SELECT name FROM products WHERE category = 'tea' "
				 "ORDER BY name DESC]]",
				 3);
	CHECK_INT(v.status, VERDICT_PASS);
	verdict_free(&v);
	v = grade(check, "return [[SELECT name FROM products WHERE category = 'tea' AND id > 9]]",
		  3);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "Your result is missing the row `{name = \"Green tea 100 g\"}`");
	verdict_free(&v);
	v = grade(check, "return [[SELECT name FROM products WHERE category IN ('tea', 'coffee')]]",
		  3);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "which the expected result does not");
	verdict_free(&v);
}

/* Floats within a relative 1e-9 and integral floats equal integers. */
static void t_numbers(void)
{
	const char *check = "same_query{dataset = 'shop', query = submission, reference = [[\n"
			    "  SELECT avg(price_cents) AS mean, count(*) AS n FROM products]]}\n";
	struct verdict v = grade(check,
				 "return [[SELECT sum(price_cents) * 1.0 / count(*) AS mean, "
				 "count(*) * 1.0 AS n FROM products]]",
				 3);
	CHECK_INT(v.status, VERDICT_PASS);
	verdict_free(&v);
}

/* A broken reference or dataset is the lesson's bug: check error. */
static void t_misuse(void)
{
	struct verdict v = grade("same_query{dataset = 'nope', query = submission, "
				 "reference = 'SELECT 1'}",
				 "return 'SELECT 1'", 1);
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	CHECK_HAS(v.feedback, "no dataset 'nope'");
	verdict_free(&v);
	v = grade("same_query{dataset = 'shop', query = submission, reference = 'SELEC 1'}",
		  "return 'SELECT 1'", 1);
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	CHECK_HAS(v.feedback, "near \"SELEC\": syntax error");
	verdict_free(&v);
	v = grade("same_query{dataset = 'shop', query = submission, referense = 'x'}",
		  "return 'SELECT 1'", 1);
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	verdict_free(&v);
}

/* The learner's file finds the module's datasets too. */
static void t_submission_sees_datasets(void)
{
	struct verdict v = grade("expect(submission):equals(300)",
				 "return lab.sql.open('shop'):query('SELECT count(*) AS n FROM "
				 "customers')[1].n",
				 1);
	CHECK_INT(v.status, VERDICT_PASS);
	verdict_free(&v);
}

/* A slow learner query meets the run's time limit, not a pass. */
static void t_slow_query_times_out(void)
{
	struct grade_request r = {.kind = GRADE_CODE, .check = top_customers, .check_file = LESSON,
				  .check_line = 1, .source_name = "query.lua", .seed = 1,
				  .source = "return [[SELECT a.customer_id, count(*) AS orders FROM "
					    "orders a, orders b, orders c GROUP BY 1]]"};
	r.limits.timeout = 1;
	struct verdict v;
	grade_run(&r, &v);
	if (v.status != VERDICT_TIMEOUT)
		printf("    %s\n", v.feedback);
	CHECK_INT(v.status, VERDICT_TIMEOUT);
	verdict_free(&v);
}

static const struct test tests[] = {
	{"check_sql/right_query_passes", t_right_query_passes},
	{"check_sql/hard_coded_fails_on_other_seed", t_hard_coded_fails_on_other_seed},
	{"check_sql/messages", t_messages},
	{"check_sql/unordered", t_unordered},
	{"check_sql/numbers", t_numbers},
	{"check_sql/misuse", t_misuse},
	{"check_sql/submission_sees_datasets", t_submission_sees_datasets},
	{"check_sql/slow_query_times_out", t_slow_query_times_out},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
