/*
 * Tests of the design concept (engine/concepts/design/design.c): compile
 * rules, cost, the bottleneck's choice and the requirements' words.
 */
#include "unit.h"
#include "engine/concepts/design/design.h"

#include <math.h>
#include <string.h>

/* Adds a component NAME of kind KIND with N instances to D. */
static struct design_component *add(struct design *d, const char *name, const char *kind, int n)
{
	struct design_component *c = &d->c[d->n++];
	memset(c, 0, sizeof *c);
	strcpy(c->name, name);
	strcpy(c->kindname, kind);
	c->instances = n;
	return c;
}

static void call(struct design_component *c, const char *to)
{
	strcpy(c->calls[c->ncalls++].to, to);
}

/* web (4 apps) -> cache (2 GB) -> db; the numbers by hand from the catalog. */
static void t_compile_and_cost(void)
{
	struct design d;
	char buf[300];
	design_init(&d);
	call(add(&d, "web", "app", 4), "cache");
	struct design_component *cache = add(&d, "cache", "cache", 1);
	cache->has_memory = 1, cache->memory = 2;
	call(cache, "db");
	add(&d, "db", "db", 1);
	CHECK(design_check(&d, buf, sizeof buf) == NULL);
	struct design_service s;
	CHECK(design_compile(&d, 0, 1000, 0, &s, buf, sizeof buf) == 0);
	CHECK_INT(s.workers, 200);                     /* 4 x 50 */
	CHECK_INT(s.queue, 800);                       /* 4 x 200 */
	CHECK(s.latency == 0.004 && s.write_latency == 0.004 && !s.read_only);
	CHECK(design_compile(&d, 1, 1000, 0, &s, buf, sizeof buf) == 0);
	CHECK_INT(s.cache, 2000000);                   /* 2e9 bytes / 1000 */
	CHECK(design_compile(&d, 1, 1000, 5000, &s, buf, sizeof buf) == 0);
	CHECK_INT(s.cache, 5000);                      /* every key fits: no eviction */
	CHECK(design_compile(&d, 2, 1000, 0, &s, buf, sizeof buf) == 0);
	CHECK(s.latency == 0.005 && s.write_latency == 0.010);
	CHECK(design_cost(&d) == 4 * 100 + (50 + 2 * 10) + 500);
	CHECK(design_component_cost(&d, 1) == 70);
}

static void t_replica_and_queue_cap(void)
{
	struct design d;
	char buf[300];
	design_init(&d);
	add(&d, "r", "replica", 3);
	add(&d, "q", "queue", 5);
	CHECK(design_check(&d, buf, sizeof buf) == NULL);
	struct design_service s;
	CHECK(design_compile(&d, 0, 1000, 0, &s, buf, sizeof buf) == 0);
	CHECK(s.read_only && s.workers == 60);
	CHECK(design_compile(&d, 1, 1000, 0, &s, buf, sizeof buf) == 0);
	CHECK_INT(s.queue, DESIGN_MAX_QUEUE);           /* 5 x 1e7 capped */
	CHECK(design_cost(&d) == 3 * 400 + 5 * 100);
}

static void t_check_errors(void)
{
	struct design d;
	char buf[300];
	design_init(&d);
	CHECK(strstr(design_check(&d, buf, sizeof buf), "at least one component"));
	call(add(&d, "web", "app", 1), "db");
	call(add(&d, "db", "db", 1), "web");
	CHECK(strstr(design_check(&d, buf, sizeof buf),
		     "component 'db' (2): calls 'web', listed before it"));
	d.c[1].ncalls = 0;
	CHECK(design_check(&d, buf, sizeof buf) == NULL);
	strcpy(d.c[1].kindname, "dbb");
	CHECK(strstr(design_check(&d, buf, sizeof buf), "unknown kind 'dbb' (the kinds: lb app"));
	strcpy(d.c[1].kindname, "cache");
	CHECK(strstr(design_check(&d, buf, sizeof buf), "kind 'cache' needs memory"));
	d.c[1].has_memory = 1, d.c[1].memory = 0;
	CHECK(strstr(design_check(&d, buf, sizeof buf), "memory must be above 0"));
	d.c[1].memory = 1;
	d.c[1].instances = 1001;
	CHECK(strstr(design_check(&d, buf, sizeof buf), "instances must be between 1 and 1000"));
	d.c[1].instances = 1;
	strcpy(d.c[1].name, "web");
	CHECK(strstr(design_check(&d, buf, sizeof buf), "the name 'web' is taken by component 1"));
}

/* A cache bigger than the simulator's is refused, unless the keys bound it. */
static void t_cache_too_big(void)
{
	struct design d;
	char buf[300];
	design_init(&d);
	struct design_component *c = add(&d, "c", "cache", 1);
	c->has_memory = 1, c->memory = 1000;
	CHECK(design_check(&d, buf, sizeof buf) == NULL);
	struct design_service s;
	CHECK(design_compile(&d, 0, 1000, 0, &s, buf, sizeof buf) == -1);
	CHECK(strstr(buf, "1000 GB holds more items"));
	CHECK(design_compile(&d, 0, 1000, 1000000, &s, buf, sizeof buf) == 0);
	CHECK_INT(s.cache, 1000000);
}

static void t_kinds(void)
{
	struct design d;
	char buf[300];
	design_init(&d);
	struct design_kind k = design_catalog[6];           /* worker */
	strcpy(k.name, "transcoder");
	k.latency = k.write_latency = 30;
	CHECK(design_set_kind(&d, &k, buf, sizeof buf) == NULL);
	CHECK_INT(d.nkinds, design_ncatalog + 1);
	k.workers = 0;
	CHECK(strstr(design_set_kind(&d, &k, buf, sizeof buf), "kind 'transcoder': workers"));
	struct design_kind db = design_catalog[3];
	db.price = 1;
	CHECK(design_set_kind(&d, &db, buf, sizeof buf) == NULL);  /* replaces */
	CHECK_INT(d.nkinds, design_ncatalog + 1);
	add(&d, "db", "db", 2);
	CHECK(design_check(&d, buf, sizeof buf) == NULL);
	CHECK(design_cost(&d) == 2);
}

static void t_bottleneck(void)
{
	struct design d;
	char buf[300];
	design_init(&d);
	call(add(&d, "web", "app", 1), "db");           /* web -> db, and a log */
	add(&d, "db", "db", 1);
	add(&d, "log", "app", 1);
	CHECK(design_check(&d, buf, sizeof buf) == NULL);
	double util[] = {0.3, 0.99, 0.5};
	uint64_t rej[] = {0, 10, 0}, shed[] = {0, 0, 0}, none[] = {0, 0, 0};
	CHECK_INT(design_bottleneck(&d, util, rej, shed), 1);
	/* web waits on db: both full, the callee is the cause, even when the
	 * caller turned more away */
	double full[] = {1, 1, 0.2};
	uint64_t rej2[] = {500, 10, 0};
	CHECK_INT(design_bottleneck(&d, full, rej2, shed), 1);
	/* db and log tie and neither calls the other: the most refused */
	double tie[] = {0.2, 0.995, 1};
	uint64_t rej3[] = {0, 10, 0};
	CHECK_INT(design_bottleneck(&d, tie, rej3, shed), 1);
	CHECK_INT(design_bottleneck(&d, tie, none, shed), 2);   /* as many: the later */
	uint64_t shed3[] = {0, 0, 11};
	CHECK_INT(design_bottleneck(&d, tie, rej3, shed3), 2);
	d.n = 0;
	CHECK_INT(design_bottleneck(&d, util, rej, shed), -1);
	struct sbuf sb = SBUF_INIT;
	design_bottleneck_text(&sb, "db", 1, 2310, 0);
	CHECK_STR(sbuf_str(&sb), "db: 100% busy, 2,310 requests rejected");
	sbuf_free(&sb);
	design_bottleneck_text(&sb, "app", 0.42, 0, 7);
	CHECK_STR(sbuf_str(&sb), "app: 42% busy, 7 shed");
	sbuf_free(&sb);
}

static void t_requirements(void)
{
	struct design_figs need, got;
	memset(&need, 0, sizeof need);
	memset(&got, 0, sizeof got);
	need.has[DESIGN_P99] = 1, need.v[DESIGN_P99] = 0.1;
	need.has[DESIGN_SUCCESS] = 1, need.v[DESIGN_SUCCESS] = 0.999;
	need.has[DESIGN_COST] = 1, need.v[DESIGN_COST] = 2000;
	for (int r = 0; r < DESIGN_NREQS; r++)
		got.has[r] = 1;
	got.v[DESIGN_P99] = 0.412, got.v[DESIGN_SUCCESS] = 0.95, got.v[DESIGN_COST] = 3450;
	CHECK_INT(design_missed(&need, &got), DESIGN_P99);      /* the order: p99 first */
	got.v[DESIGN_P99] = 0.1;                                 /* at the bound: met */
	CHECK_INT(design_missed(&need, &got), DESIGN_SUCCESS);
	got.v[DESIGN_SUCCESS] = 0.999;
	CHECK_INT(design_missed(&need, &got), DESIGN_COST);
	got.v[DESIGN_COST] = 2000;
	CHECK_INT(design_missed(&need, &got), -1);
	got.v[DESIGN_P99] = NAN;                                 /* nothing measured misses */
	CHECK_INT(design_missed(&need, &got), DESIGN_P99);

	struct sbuf sb = SBUF_INIT;
	design_missed_text(&sb, DESIGN_P99, 0.412, 0.1, 2);
	CHECK_STR(sbuf_str(&sb), "p99 latency 412 ms, needs <= 100 ms (seed 2)");
	sbuf_free(&sb);
	design_missed_text(&sb, DESIGN_P99, 0.10004, 0.1, 1);    /* digits until they differ */
	CHECK_STR(sbuf_str(&sb), "p99 latency 100.04 ms, needs <= 100 ms (seed 1)");
	sbuf_free(&sb);
	design_missed_text(&sb, DESIGN_SUCCESS, 0.9987, 0.999, 3);
	CHECK_STR(sbuf_str(&sb), "success 99.87%, needs >= 99.9% (seed 3)");
	sbuf_free(&sb);
	design_missed_text(&sb, DESIGN_COST, 3450, 2000, 1);
	CHECK_STR(sbuf_str(&sb), "cost $3,450 a month, needs <= $2,000");
	sbuf_free(&sb);
	design_missed_text(&sb, DESIGN_LOST, 1234, 0, 4);
	CHECK_STR(sbuf_str(&sb), "lost writes 1,234, needs <= 0 (seed 4)");
	sbuf_free(&sb);
	design_missed_text(&sb, DESIGN_LAG, 12.3, 5, 1);
	CHECK_STR(sbuf_str(&sb), "async lag p99 12.3 s, needs <= 5 s (seed 1)");
	sbuf_free(&sb);
	design_missed_text(&sb, DESIGN_WRITE_P99, NAN, 0.2, 1);
	CHECK_STR(sbuf_str(&sb),
		  "write p99 latency: nothing measured (no such request finished) (seed 1)");
	sbuf_free(&sb);

	struct design_figs worst, a, b;
	memset(&worst, 0, sizeof worst);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.has[DESIGN_P99] = b.has[DESIGN_P99] = 1;
	a.has[DESIGN_SUCCESS] = b.has[DESIGN_SUCCESS] = 1;
	a.v[DESIGN_P99] = 0.2, b.v[DESIGN_P99] = 0.3;
	a.v[DESIGN_SUCCESS] = 0.99, b.v[DESIGN_SUCCESS] = 0.999;
	design_worst(&worst, &a);
	design_worst(&worst, &b);
	CHECK(worst.v[DESIGN_P99] == 0.3 && worst.v[DESIGN_SUCCESS] == 0.99);
	CHECK(!worst.has[DESIGN_COST]);
}

static void t_async_only(void)
{
	struct design d;
	char buf[300];
	design_init(&d);
	struct design_component *web = add(&d, "web", "app", 1);
	call(web, "q");
	call(web, "db");
	web->calls[0].async = 1;
	call(add(&d, "q", "queue", 1), "w");
	add(&d, "w", "worker", 1);
	add(&d, "db", "db", 1);
	CHECK(design_check(&d, buf, sizeof buf) == NULL);
	CHECK(!design_async_only(&d, 0));               /* the entry */
	CHECK(design_async_only(&d, 1));
	CHECK(!design_async_only(&d, 2));               /* q waits for w */
	CHECK(!design_async_only(&d, 3));
}

static const struct test tests[] = {
	{"design/compile_and_cost", t_compile_and_cost},
	{"design/replica_and_queue_cap", t_replica_and_queue_cap},
	{"design/check_errors", t_check_errors},
	{"design/cache_too_big", t_cache_too_big},
	{"design/kinds", t_kinds},
	{"design/bottleneck", t_bottleneck},
	{"design/requirements", t_requirements},
	{"design/async_only", t_async_only},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
