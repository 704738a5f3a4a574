/*
 * Unit tests of engine/concepts/httpcache/httpcache.c, case by case from the rules of
 * RFC 9111 and RFC 9110 (sections cited beside each). The date and entity
 * tag vectors are the RFCs' own examples: RFC 9110 section 5.6.7 (the three
 * forms of Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s) and the comparison
 * table of section 8.8.3.2.
 */
#include "unit.h"
#include "engine/concepts/httpcache/httpcache.h"
#include "engine/concepts/httpcache/httpdate.h"

#include <math.h>
#include <string.h>

#define FIELDS(...) ((struct httpc_field[]){__VA_ARGS__})
#define MSG(status, ...)                                                                \
	((struct httpc_message){NULL, status, FIELDS(__VA_ARGS__),                        \
				sizeof(FIELDS(__VA_ARGS__)) / sizeof(struct httpc_field)})

static const struct httpc_message get_req = {"GET", 0, NULL, 0};

/* Evaluates RES for REQ at NOW (received at 0, Date 0 unless given). */
static struct httpc_decision eval(const struct httpc_message *req,
				  const struct httpc_message *res, double now, int shared)
{
	struct httpc_input in = {req, res, now, 0, 0, shared};
	struct httpc_decision d;
	if (httpc_evaluate(&in, &d) < 0)
		d.nsteps = -1;
	return d;
}

#define EPOCH "Thu, 01 Jan 1970 00:00:00 GMT"

static void t_dates(void)
{
	int64_t t;
	CHECK(httpdate_parse("Sun, 06 Nov 1994 08:49:37 GMT", 0, &t) == 0 && t == 784111777);
	CHECK(httpdate_parse("Sunday, 06-Nov-94 08:49:37 GMT", 0, &t) == 0 && t == 784111777);
	CHECK(httpdate_parse("Sun Nov  6 08:49:37 1994", 0, &t) == 0 && t == 784111777);
	CHECK(httpdate_parse(EPOCH, 0, &t) == 0 && t == 0);
	CHECK(httpdate_parse("Thu, 29 Feb 2024 23:59:59 GMT", 0, &t) == 0 && t == 1709251199);
	CHECK(httpdate_parse("Thu, 29 Feb 2023 00:00:00 GMT", 0, &t) == -1); /* not a leap year */
	CHECK(httpdate_parse("Sun, 06 Nov 1994 08:49:37 UTC", 0, &t) == -1);
	CHECK(httpdate_parse("Sun, 6 Nov 1994 08:49:37 GMT", 0, &t) == -1);
	CHECK(httpdate_parse("Sun, 06 Nov 1994 24:00:00 GMT", 0, &t) == -1);
	CHECK(httpdate_parse("0", 0, &t) == -1);
	CHECK(httpdate_parse("", 0, &t) == -1);
	CHECK(httpdate_parse("Sun, 06 Nov 1994 08:49:37 GMT ", 0, &t) == -1);
	/* a two-digit year more than 50 years ahead belongs to the century before */
	double y2030 = 1893456000; /* 2030-01-01 */
	CHECK(httpdate_parse("Wednesday, 01-Jan-70 00:00:00 GMT", y2030, &t) == 0 &&
	      t == 3155760000); /* 2070: only 40 years ahead */
	CHECK(httpdate_parse("Saturday, 01-Jan-50 00:00:00 GMT", y2030, &t) == 0 &&
	      t == 2524608000); /* 2050 */
	CHECK(httpdate_parse("Sunday, 01-Jan-95 00:00:00 GMT", y2030, &t) == 0 &&
	      t == 788918400); /* 1995, not 2095 */
	char buf[30];
	httpdate_format(784111777, buf);
	CHECK_STR(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	httpdate_format(0, buf);
	CHECK_STR(buf, EPOCH);
	httpdate_format(-1, buf);
	CHECK_STR(buf, "Wed, 31 Dec 1969 23:59:59 GMT");
	httpdate_format(1709251199, buf);
	CHECK_STR(buf, "Thu, 29 Feb 2024 23:59:59 GMT");
}

static void t_etag_comparison(void)
{
	/* RFC 9110 section 8.8.3.2 */
	CHECK(httpc_etag_match("W/\"1\"", "W/\"1\"", 0) == 0);
	CHECK(httpc_etag_match("W/\"1\"", "W/\"1\"", 1) == 1);
	CHECK(httpc_etag_match("W/\"1\"", "W/\"2\"", 0) == 0);
	CHECK(httpc_etag_match("W/\"1\"", "W/\"2\"", 1) == 0);
	CHECK(httpc_etag_match("W/\"1\"", "\"1\"", 0) == 0);
	CHECK(httpc_etag_match("W/\"1\"", "\"1\"", 1) == 1);
	CHECK(httpc_etag_match("\"1\"", "\"1\"", 0) == 1);
	CHECK(httpc_etag_match("\"1\"", "\"1\"", 1) == 1);
	CHECK(httpc_etag_match("1", "\"1\"", 1) == -1);
	CHECK(httpc_etag_match("\"a,b\"", "\"a,b\"", 0) == 1); /* a comma is an etagc */
}

static void t_freshness_lifetime(void)
{
	struct httpc_message r = MSG(200, {"Cache-Control", "max-age=60"}, {"Date", EPOCH},
				     {"Expires", "Thu, 01 Jan 1970 00:10:00 GMT"});
	struct httpc_decision d = eval(&get_req, &r, 0, 0);
	CHECK(d.lifetime == 60);                         /* max-age before Expires */
	struct httpc_message s = MSG(200, {"Cache-Control", "max-age=60, s-maxage=300"},
				     {"Date", EPOCH});
	CHECK(eval(&get_req, &s, 0, 1).lifetime == 300); /* s-maxage in a shared cache */
	CHECK(eval(&get_req, &s, 0, 0).lifetime == 60);  /* ignored by a private one */
	struct httpc_message e = MSG(200, {"Date", EPOCH},
				     {"Expires", "Thu, 01 Jan 1970 00:10:00 GMT"});
	CHECK(eval(&get_req, &e, 0, 0).lifetime == 600);  /* Expires - Date */
	struct httpc_message z = MSG(200, {"Date", EPOCH}, {"Expires", "0"});
	d = eval(&get_req, &z, 0, 0);
	CHECK(d.lifetime == 0 && !d.fresh);               /* invalid: already expired (5.3) */
	struct httpc_message h = MSG(200, {"Date", "Thu, 01 Jan 1970 00:16:40 GMT"},
				     {"Last-Modified", EPOCH});
	d = eval(&get_req, &h, 1000, 0);
	CHECK(d.heuristic && d.lifetime == 100);          /* 10% of 1000 s */
	struct httpc_message bad = MSG(200, {"Cache-Control", "max-age=ten"}, {"Date", EPOCH});
	CHECK(eval(&get_req, &bad, 0, 0).lifetime == 0);
	struct httpc_message dup = MSG(200, {"Cache-Control", "max-age=5"},
				       {"cache-control", "max-age=500"}, {"Date", EPOCH});
	CHECK(eval(&get_req, &dup, 0, 0).lifetime == 5);  /* the first occurrence */
	struct httpc_message q = MSG(200, {"Cache-Control", "max-age=\"30\""}, {"Date", EPOCH});
	CHECK(eval(&get_req, &q, 0, 0).lifetime == 30);   /* quoted form accepted */
	struct httpc_message big = MSG(200, {"Cache-Control", "max-age=99999999999999"});
	CHECK(eval(&get_req, &big, 0, 0).lifetime == 2147483648.0); /* 2^31 (1.2.2) */
}

static void t_age(void)
{
	/* Date 0, Age 10, requested at 0, received at 2, now 12 (section 4.2.3):
	 * apparent 2, corrected 10 + 2 = 12, resident 10: 22 */
	struct httpc_message r = MSG(200, {"Cache-Control", "max-age=30"}, {"Date", EPOCH},
				     {"Age", "10"});
	struct httpc_input in = {&get_req, &r, 12, 0, 2, 0};
	struct httpc_decision d;
	CHECK(httpc_evaluate(&in, &d) == 0);
	CHECK(d.age == 22 && d.fresh);
	/* a Date ahead of the receiving clock: apparent age clamps at 0 */
	struct httpc_message f = MSG(200, {"Cache-Control", "max-age=30"},
				     {"Date", "Thu, 01 Jan 1970 00:01:00 GMT"});
	struct httpc_input in2 = {&get_req, &f, 5, 0, 0, 0};
	CHECK(httpc_evaluate(&in2, &d) == 0 && d.age == 5);
	/* max-age=60 at age 60 is stale: fresh needs lifetime > age */
	struct httpc_message m = MSG(200, {"Cache-Control", "max-age=60"}, {"Date", EPOCH});
	CHECK(eval(&get_req, &m, 59.5, 0).fresh);
	CHECK(!eval(&get_req, &m, 60, 0).fresh);
	in.now = NAN;
	CHECK(httpc_evaluate(&in, &d) == -1);
}

static void t_storable(void)
{
	struct httpc_message ok = MSG(200, {"Cache-Control", "max-age=60"});
	struct httpc_message post = {"POST", 0, NULL, 0};
	CHECK(!eval(&post, &ok, 0, 0).storable);
	struct httpc_message ns = MSG(200, {"Cache-Control", "max-age=60, no-store"});
	CHECK(!eval(&get_req, &ns, 0, 0).storable);
	struct httpc_message rq_ns = MSG(0, {"Cache-Control", "no-store"});
	rq_ns.method = "GET";
	CHECK(!eval(&rq_ns, &ok, 0, 0).storable);
	struct httpc_message priv = MSG(200, {"Cache-Control", "private, max-age=60"});
	CHECK(!eval(&get_req, &priv, 0, 1).storable);     /* shared */
	CHECK(eval(&get_req, &priv, 0, 0).storable);      /* private */
	struct httpc_message auth = MSG(0, {"Authorization", "Bearer x"});
	CHECK(!eval(&auth, &ok, 0, 1).storable);
	CHECK(eval(&auth, &ok, 0, 0).storable);
	struct httpc_message pub = MSG(200, {"Cache-Control", "public, max-age=60"});
	CHECK(eval(&auth, &pub, 0, 1).storable);
	struct httpc_message e404 = {NULL, 404, NULL, 0};
	CHECK(eval(&get_req, &e404, 0, 1).storable);      /* heuristically cacheable */
	struct httpc_message e500 = {NULL, 500, NULL, 0};
	struct httpc_decision d = eval(&get_req, &e500, 0, 1);
	CHECK(!d.storable && d.action == HTTPC_FETCH);
	struct httpc_message p206 = MSG(206, {"Cache-Control", "max-age=60"});
	CHECK(!eval(&get_req, &p206, 0, 0).storable);
}

/* A Cache-Control field is read whole, however long: a 1,408-byte field
 * ending in no-store (issue 8: it was read into 1,024 bytes, so the
 * directive was cut off and the response judged storable), and the same
 * directive after many fields of the name, and in a request. */
static void t_long_fields(void)
{
	char value[1409];
	memset(value, 'x', sizeof value);
	memcpy(value, "max-age=60, ext=\"", 17);
	memcpy(value + 1408 - 11, "\", no-store", 11);
	value[1408] = '\0';
	CHECK(strlen(value) == 1408);
	struct httpc_message ns = MSG(200, {"Cache-Control", value});
	struct httpc_decision d = eval(&get_req, &ns, 0, 0);
	CHECK(d.nsteps >= 0 && !d.storable);
	struct httpc_field many[201];
	for (int i = 0; i < 200; i++)
		many[i] = (struct httpc_field){"Cache-Control", "max-age=60"};
	many[200] = (struct httpc_field){"Cache-Control", "no-store"};
	struct httpc_message m = {NULL, 200, many, 201};
	CHECK(!eval(&get_req, &m, 0, 0).storable);
	struct httpc_message ok = MSG(200, {"Cache-Control", "max-age=60"});
	struct httpc_message rq = MSG(0, {"Cache-Control", value});
	rq.method = "GET";
	CHECK(!eval(&rq, &ok, 0, 0).storable);
	CHECK(eval(&get_req, &ok, 0, 0).storable); /* the same response, stored without it */
}

static void t_reuse(void)
{
	struct httpc_message r = MSG(200, {"Cache-Control", "max-age=60"}, {"Date", EPOCH},
				     {"ETag", "\"v1\""}, {"Last-Modified", EPOCH});
	struct httpc_decision d = eval(&get_req, &r, 30, 0);
	CHECK(d.action == HTTPC_SERVE && d.status == 200);
	d = eval(&get_req, &r, 75, 0);
	CHECK(d.action == HTTPC_REVALIDATE && !d.fresh && d.age == 75);
	CHECK_STR(d.if_none_match, "\"v1\"");
	CHECK_STR(d.if_modified_since, EPOCH);
	CHECK_STR(d.summary, "max-age=60 and age 75 s: stale; revalidate");

	struct httpc_message nc = MSG(200, {"Cache-Control", "no-cache, max-age=600"},
				      {"ETag", "\"v1\""});
	CHECK(eval(&get_req, &nc, 1, 0).action == HTTPC_REVALIDATE); /* fresh, but no-cache */

	struct httpc_message rq_nc = MSG(0, {"Cache-Control", "no-cache"});
	CHECK(eval(&rq_nc, &r, 1, 0).action == HTTPC_REVALIDATE);
	struct httpc_message pragma = MSG(0, {"Pragma", "no-cache"});
	CHECK(eval(&pragma, &r, 1, 0).action == HTTPC_REVALIDATE);
	struct httpc_message rq_ma = MSG(0, {"Cache-Control", "max-age=10"});
	CHECK(eval(&rq_ma, &r, 20, 0).action == HTTPC_REVALIDATE);
	struct httpc_message rq_mf = MSG(0, {"Cache-Control", "min-fresh=30"});
	CHECK(eval(&rq_mf, &r, 20, 0).action == HTTPC_SERVE);       /* 40 s left */
	CHECK(eval(&rq_mf, &r, 40, 0).action == HTTPC_REVALIDATE);  /* 20 s left */

	struct httpc_message ms = MSG(0, {"Cache-Control", "max-stale=30"});
	d = eval(&ms, &r, 75, 0);
	CHECK(d.action == HTTPC_SERVE && d.stale);                   /* 15 s stale */
	CHECK(strstr(d.summary, "stale, but the request accepts it; serve") != NULL);
	CHECK(eval(&ms, &r, 100, 0).action == HTTPC_REVALIDATE);     /* 40 s stale */
	struct httpc_message msa = MSG(0, {"Cache-Control", "max-stale"});
	CHECK(eval(&msa, &r, 1e6, 0).action == HTTPC_SERVE);

	struct httpc_message mr = MSG(200, {"Cache-Control", "max-age=60, must-revalidate"},
				      {"Date", EPOCH}, {"ETag", "\"v1\""});
	d = eval(&msa, &mr, 75, 0);
	CHECK(d.action == HTTPC_REVALIDATE);                         /* must-revalidate wins */
	CHECK_STR(d.summary, "max-age=60 and age 75 s: stale, must revalidate; revalidate");
	struct httpc_message sm = MSG(200, {"Cache-Control", "s-maxage=60"}, {"Date", EPOCH},
				      {"ETag", "\"v1\""});
	CHECK(eval(&msa, &sm, 75, 1).action == HTTPC_REVALIDATE);
	struct httpc_message pr = MSG(200, {"Cache-Control", "max-age=60, proxy-revalidate"},
				      {"Date", EPOCH}, {"ETag", "\"v1\""});
	CHECK(eval(&msa, &pr, 75, 1).action == HTTPC_REVALIDATE);   /* shared */
	CHECK(eval(&msa, &pr, 75, 0).action == HTTPC_SERVE);        /* private */

	struct httpc_message nov = MSG(200, {"Cache-Control", "max-age=60"}, {"Date", EPOCH});
	CHECK(eval(&get_req, &nov, 75, 0).action == HTTPC_FETCH);   /* nothing to validate with */

	struct httpc_message oic = MSG(0, {"Cache-Control", "only-if-cached"});
	d = eval(&oic, &r, 75, 0);
	CHECK(d.action == HTTPC_FAIL && d.status == 504);
	CHECK(eval(&oic, &r, 30, 0).action == HTTPC_SERVE);
}

/* A client's own conditional request answered from a fresh stored response
 * (RFC 9111 section 4.3.2). */
static void t_client_validation(void)
{
	struct httpc_message r = MSG(200, {"Cache-Control", "max-age=60"}, {"Date", EPOCH},
				     {"ETag", "W/\"v1\""},
				     {"Last-Modified", "Thu, 01 Jan 1970 00:00:00 GMT"});
	struct httpc_message inm = MSG(0, {"If-None-Match", "\"x\", \"v1\""});
	CHECK(eval(&inm, &r, 1, 0).status == 304);  /* weak comparison */
	struct httpc_message miss = MSG(0, {"If-None-Match", "\"x\""});
	CHECK(eval(&miss, &r, 1, 0).status == 200);
	struct httpc_message ims = MSG(0, {"If-Modified-Since", "Thu, 01 Jan 1970 00:00:10 GMT"});
	CHECK(eval(&ims, &r, 1, 0).status == 304);
	struct httpc_message old = MSG(0, {"If-Modified-Since", "Wed, 31 Dec 1969 00:00:00 GMT"});
	CHECK(eval(&old, &r, 1, 0).status == 200);
	struct httpc_message both = MSG(0, {"If-None-Match", "\"x\""},
					{"If-Modified-Since", "Thu, 01 Jan 1970 00:00:10 GMT"});
	CHECK(eval(&both, &r, 1, 0).status == 200); /* If-None-Match takes precedence */
}

static void t_origin(void)
{
	struct httpc_origin o;
	struct httpc_message inm = MSG(0, {"If-None-Match", "W/\"a\", \"b\""});
	httpc_origin_answer(&inm, "\"b\"", NULL, 0, &o);
	CHECK(o.status == 304);
	httpc_origin_answer(&inm, "\"a\"", NULL, 0, &o);
	CHECK(o.status == 304);                     /* W/"a" matches "a" weakly */
	httpc_origin_answer(&inm, "\"c\"", NULL, 0, &o);
	CHECK(o.status == 200);
	inm.method = "PUT";
	httpc_origin_answer(&inm, "\"b\"", NULL, 0, &o);
	CHECK(o.status == 412);
	struct httpc_message star = MSG(0, {"If-None-Match", "*"});
	httpc_origin_answer(&star, "\"zzz\"", NULL, 0, &o);
	CHECK(o.status == 304);
	struct httpc_message ims = MSG(0, {"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"});
	httpc_origin_answer(&ims, NULL, "Sun, 06 Nov 1994 08:49:37 GMT", 0, &o);
	CHECK(o.status == 304);                     /* not modified after */
	httpc_origin_answer(&ims, NULL, "Sun, 06 Nov 1994 08:49:38 GMT", 0, &o);
	CHECK(o.status == 200);
	httpc_origin_answer(&ims, NULL, NULL, 0, &o);
	CHECK(o.status == 200);                     /* nothing to compare */
	struct httpc_message both = MSG(0, {"If-None-Match", "\"x\""},
					{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"});
	httpc_origin_answer(&both, "\"y\"", "Sun, 06 Nov 1994 08:49:37 GMT", 0, &o);
	CHECK(o.status == 200);                     /* If-Modified-Since ignored (13.1.3) */
	struct httpc_message bad = MSG(0, {"If-Modified-Since", "yesterday"});
	httpc_origin_answer(&bad, NULL, EPOCH, 0, &o);
	CHECK(o.status == 200);
}

static const struct test tests[] = {
	{"httpcache/dates", t_dates},
	{"httpcache/etag_comparison", t_etag_comparison},
	{"httpcache/freshness_lifetime", t_freshness_lifetime},
	{"httpcache/age", t_age},
	{"httpcache/storable", t_storable},
	{"httpcache/long_fields", t_long_fields},
	{"httpcache/reuse", t_reuse},
	{"httpcache/client_validation", t_client_validation},
	{"httpcache/origin", t_origin},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
