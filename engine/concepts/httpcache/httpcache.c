/* httpcache.c — RFC 9111 freshness, reuse and validation; see httpcache.h. */
#include "engine/concepts/httpcache/httpcache.h"
#include "engine/concepts/httpcache/httpdate.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DELTA_MAX 2147483648.0 /* 2^31: RFC 9111 section 1.2.2 */

/* ---- entity tags (RFC 9110 section 8.8.3) ---- */

/* Reads one entity-tag at *P: sets *WEAK and the opaque-tag's span (quotes
 * included). Returns 0 or -1. */
static int etag(const char **p, int *weak, const char **tag, size_t *len)
{
	const char *s = *p;
	*weak = strncmp(s, "W/", 2) == 0;
	if (*weak)
		s += 2;
	if (*s != '"')
		return -1;
	const char *e = s + 1;
	while (*e && *e != '"' && ((unsigned char)*e == 0x21 || (unsigned char)*e >= 0x23))
		e++;
	if (*e != '"')
		return -1;
	*tag = s;
	*len = (size_t)(e + 1 - s);
	*p = e + 1;
	return 0;
}

int httpc_etag_match(const char *a, const char *b, int weak)
{
	int wa, wb;
	const char *ta, *tb;
	size_t la, lb;
	if (etag(&a, &wa, &ta, &la) < 0 || *a || etag(&b, &wb, &tb, &lb) < 0 || *b)
		return -1;
	if (!weak && (wa || wb))
		return 0;
	return la == lb && memcmp(ta, tb, la) == 0;
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Does the If-None-Match list LIST match the current ETAG (weak comparison)?
 * "*" matches any current representation. 1, 0, or -1 if LIST is invalid. */
static int none_match(const char *list, const char *current)
{
	const char *p = skip_ows(list);
	if (*p == '*')
		return *skip_ows(p + 1) ? -1 : 1;
	int found = 0;
	while (*p) {
		int w;
		const char *tag;
		size_t len;
		if (etag(&p, &w, &tag, &len) < 0)
			return -1;
		if (current) {
			int wc;
			const char *ctag, *cur = current;
			size_t clen;
			if (etag(&cur, &wc, &ctag, &clen) == 0 && !*cur)
				found |= clen == len && memcmp(ctag, tag, len) == 0;
		}
		p = skip_ows(p);
		if (*p == ',')
			p = skip_ows(p + 1);
		else if (*p)
			return -1;
	}
	return found;
}

/* ---- header fields ---- */

static const char *field(const struct httpc_message *m, const char *name)
{
	for (size_t i = 0; i < m->nfields; i++)
		if (strcasecmp(m->fields[i].name, name) == 0)
			return m->fields[i].value;
	return NULL;
}

/*
 * Joins every value of list field NAME with ", " into *OUT, a new string
 * (budget_free it), or NULL if the field is absent. Returns 0, or -1 if
 * memory runs out. However long the field, it is read whole: a directive
 * at its end counts as much as one at its start.
 */
static int list_field(const struct httpc_message *m, const char *name, char **out)
{
	size_t total = 0, n = 0;
	*out = NULL;
	for (size_t i = 0; i < m->nfields; i++)
		if (strcasecmp(m->fields[i].name, name) == 0)
			total += strlen(m->fields[i].value) + 2, n++;
	if (n == 0)
		return 0;
	char *buf = budget_malloc(total + 1);
	if (!buf)
		return -1;
	size_t at = 0;
	for (size_t i = 0; i < m->nfields; i++) {
		if (strcasecmp(m->fields[i].name, name) != 0)
			continue;
		if (at) {
			memcpy(buf + at, ", ", 2);
			at += 2;
		}
		size_t len = strlen(m->fields[i].value);
		memcpy(buf + at, m->fields[i].value, len);
		at += len;
	}
	buf[at] = '\0';
	*out = buf;
	return 0;
}

/* ---- Cache-Control (RFC 9111 section 5.2) ---- */

enum {
	CC_NO_STORE = 1 << 0, CC_NO_CACHE = 1 << 1, CC_PRIVATE = 1 << 2, CC_PUBLIC = 1 << 3,
	CC_MUST_REVALIDATE = 1 << 4, CC_PROXY_REVALIDATE = 1 << 5, CC_ONLY_IF_CACHED = 1 << 6,
	CC_MAX_STALE_ANY = 1 << 7,
};

#define ABSENT (-1.0)
#define INVALID (-2.0)

struct cc {
	unsigned flags;
	double max_age, s_maxage, max_stale, min_fresh; /* ABSENT, INVALID or seconds */
};

/* delta-seconds (RFC 9111 section 1.2.2) */
static double delta_seconds(const char *v, size_t n)
{
	if (n == 0)
		return INVALID;
	double x = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return INVALID;
		x = fmin(x * 10 + (v[i] - '0'), DELTA_MAX);
	}
	return x;
}

static void parse_cc(const char *s, struct cc *cc)
{
	cc->flags = 0;
	cc->max_age = cc->s_maxage = cc->max_stale = cc->min_fresh = ABSENT;
	if (!s)
		return;
	const char *p = s;
	while (*p) {
		p = skip_ows(p);
		const char *name = p;
		while (*p && *p != '=' && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		size_t nlen = (size_t)(p - name);
		p = skip_ows(p);
		const char *val = NULL;
		size_t vlen = 0;
		if (*p == '=') {
			p = skip_ows(p + 1);
			if (*p == '"') { /* quoted-string; escapes kept as they are */
				val = ++p;
				while (*p && *p != '"')
					p += p[0] == '\\' && p[1] ? 2 : 1;
				vlen = (size_t)(p - val);
				if (*p)
					p++;
			} else {
				val = p;
				while (*p && *p != ',' && *p != ' ' && *p != '\t')
					p++;
				vlen = (size_t)(p - val);
			}
		}
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
#define IS(lit) (nlen == sizeof lit - 1 && strncasecmp(name, lit, nlen) == 0)
#define FIRST(slot) (slot = slot == ABSENT ? (val ? delta_seconds(val, vlen) : INVALID) : slot)
		if (IS("no-store"))
			cc->flags |= CC_NO_STORE;
		else if (IS("no-cache"))
			cc->flags |= CC_NO_CACHE;
		else if (IS("private"))
			cc->flags |= CC_PRIVATE;
		else if (IS("public"))
			cc->flags |= CC_PUBLIC;
		else if (IS("must-revalidate"))
			cc->flags |= CC_MUST_REVALIDATE;
		else if (IS("proxy-revalidate"))
			cc->flags |= CC_PROXY_REVALIDATE;
		else if (IS("only-if-cached"))
			cc->flags |= CC_ONLY_IF_CACHED;
		else if (IS("max-age"))
			FIRST(cc->max_age);
		else if (IS("s-maxage"))
			FIRST(cc->s_maxage);
		else if (IS("min-fresh"))
			FIRST(cc->min_fresh);
		else if (IS("max-stale")) {
			if (!val)
				cc->flags |= CC_MAX_STALE_ANY;
			else
				FIRST(cc->max_stale);
		}
#undef IS
#undef FIRST
	}
}

/* ---- the decision ---- */

static void step(struct httpc_decision *d, const char *fmt, ...)
{
	if (d->nsteps == HTTPC_MAX_STEPS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->steps[d->nsteps++], HTTPC_STEP_LEN, fmt, ap);
	va_end(ap);
}

static int heuristically_cacheable(int status)
{
	static const int codes[] = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (codes[i] == status)
			return 1;
	return 0;
}

static int get_or_head(const struct httpc_message *req)
{
	return !req->method || strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
}

/* Notes why a response cannot be stored; returns 0. */
static int not_storable(struct httpc_decision *d, const char *why)
{
	step(d, "not storable: %s", why);
	return 0;
}

/* May RESPONSE to REQUEST be stored (RFC 9111 section 3)? Adds the reason. */
static int storable(const struct httpc_input *in, const struct cc *rq, const struct cc *rs,
		    struct httpc_decision *d)
{
	const struct httpc_message *res = in->response;
	int status = res->status;
	if (!get_or_head(in->request))
		return not_storable(d, "only GET and HEAD responses are cached here (RFC 9111 §3)");
	if (status < 200)
		return not_storable(d, "not a final status (RFC 9111 §3)");
	if (status == 206 || status == 304)
		return not_storable(d, "this cache does not combine 206 or 304 responses "
				       "(RFC 9111 §3)");
	if (rs->flags & CC_NO_STORE)
		return not_storable(d, "the response says no-store (RFC 9111 §5.2.2.5)");
	if (rq->flags & CC_NO_STORE)
		return not_storable(d, "the request says no-store (RFC 9111 §5.2.1.5)");
	if (in->shared && (rs->flags & CC_PRIVATE))
		return not_storable(d, "private, and this cache is shared (RFC 9111 §5.2.2.7)");
	if (in->shared && field(in->request, "Authorization") &&
	    !(rs->flags & (CC_PUBLIC | CC_MUST_REVALIDATE)) && rs->s_maxage == ABSENT)
		return not_storable(d, "a shared cache must not store the answer to a request "
				       "with Authorization without public, must-revalidate or "
				       "s-maxage (RFC 9111 §3.5)");
	const char *why = NULL;
	if (rs->flags & CC_PUBLIC)
		why = "has public";
	else if ((rs->flags & CC_PRIVATE) && !in->shared)
		why = "has private, and this cache is private";
	else if (field(res, "Expires"))
		why = "has Expires";
	else if (rs->max_age != ABSENT)
		why = "has max-age";
	else if (in->shared && rs->s_maxage != ABSENT)
		why = "has s-maxage";
	else if (heuristically_cacheable(status))
		why = "has a heuristically cacheable status (RFC 9110 §15.1)";
	if (!why)
		return not_storable(d, "no explicit freshness, no public, and a status that is "
				       "not heuristically cacheable (RFC 9111 §3)");
	step(d, "storable: the response %s (RFC 9111 §3)", why);
	return 1;
}

/* The freshness lifetime (RFC 9111 section 4.2.1); LABEL names its source. */
static double lifetime(const struct httpc_input *in, const struct cc *rs, double date,
		       struct httpc_decision *d, char *label, size_t size)
{
	const struct httpc_message *res = in->response;
	const char *name = in->shared && rs->s_maxage != ABSENT ? "s-maxage" : "max-age";
	double v = in->shared && rs->s_maxage != ABSENT ? rs->s_maxage : rs->max_age;
	if (v == INVALID) {
		snprintf(label, size, "an invalid %s", name);
		step(d, "freshness lifetime 0: %s is invalid, so stale (RFC 9111 §4.2.1)", name);
		return 0;
	}
	if (v != ABSENT) {
		snprintf(label, size, "%s=%.0f", name, v);
		step(d, "freshness lifetime %.0f s from %s%s (RFC 9111 §4.2.1)", v, name,
		     name[0] == 's' ? ", which a shared cache uses first" : "");
		return v;
	}
	const char *exp = field(res, "Expires");
	int64_t t;
	if (exp && httpdate_parse(exp, in->now, &t) < 0) {
		snprintf(label, size, "an invalid Expires");
		step(d, "freshness lifetime 0: Expires \"%.60s%s\" is not a date, so already "
			"expired (RFC 9111 §5.3)", exp, strlen(exp) > 60 ? "..." : "");
		return 0;
	}
	if (exp) {
		double l = fmax(0, (double)t - date);
		snprintf(label, size, "Expires - Date = %.0f s", l);
		step(d, "freshness lifetime %.0f s: Expires minus Date (RFC 9111 §4.2.1)", l);
		return l;
	}
	const char *lm = field(res, "Last-Modified");
	if (lm && (heuristically_cacheable(res->status) || (rs->flags & CC_PUBLIC)) &&
	    httpdate_parse(lm, in->now, &t) == 0) {
		double l = fmax(0, 0.1 * (date - (double)t));
		d->heuristic = 1;
		snprintf(label, size, "a heuristic lifetime of %g s", l);
		step(d, "freshness lifetime %g s, heuristic: 10%% of Date - Last-Modified "
			"(RFC 9111 §4.2.2)", l);
		return l;
	}
	snprintf(label, size, "no freshness information");
	step(d, "freshness lifetime 0: no s-maxage, max-age, Expires or Last-Modified "
		"(RFC 9111 §4.2.1, §4.2.2)");
	return 0;
}

/* The status a client's own conditional request gets from the stored
 * response (RFC 9111 section 4.3.2). */
static int client_status(const struct httpc_input *in, double date, struct httpc_decision *d)
{
	char *inm;
	if (list_field(in->request, "If-None-Match", &inm) < 0)
		return -1;
	const char *tag = field(in->response, "ETag");
	if (inm) {
		int m = none_match(inm, tag);
		budget_free(inm);
		step(d, "the client's If-None-Match %s the stored ETag, weak comparison: %d "
			"(RFC 9111 §4.3.2, RFC 9110 §8.8.3.2)",
		     m == 1 ? "matches" : "does not match", m == 1 ? 304 : 200);
		return m == 1 ? 304 : 200;
	}
	const char *ims = field(in->request, "If-Modified-Since");
	int64_t since, lm;
	if (ims && httpdate_parse(ims, in->now, &since) == 0) {
		const char *lms = field(in->response, "Last-Modified");
		double mod = lms && httpdate_parse(lms, in->now, &lm) == 0 ? (double)lm : date;
		int not_modified = mod <= (double)since;
		step(d, "the client's If-Modified-Since: the stored %s is %s it: %d "
			"(RFC 9111 §4.3.2)", lms ? "Last-Modified" : "Date",
		     not_modified ? "not after" : "after", not_modified ? 304 : 200);
		return not_modified ? 304 : 200;
	}
	return 200;
}

static const char *const action_names[] = {"serve", "revalidate", "fetch", "fail"};

/* Reads the Cache-Control of the request into RQ (Pragma: no-cache counts
 * without one) and of the response into RS. Returns 0, or -1 if memory
 * runs out. */
static int read_cc(const struct httpc_input *in, struct cc *rq, struct cc *rs,
		   struct httpc_decision *d)
{
	char *rqcc, *pragma = NULL, *rscc;
	if (list_field(in->request, "Cache-Control", &rqcc) < 0)
		return -1;
	parse_cc(rqcc, rq);
	if (!rqcc && list_field(in->request, "Pragma", &pragma) < 0)
		return -1;
	if (pragma && strcasestr(pragma, "no-cache")) {
		rq->flags |= CC_NO_CACHE;
		step(d, "Pragma: no-cache without Cache-Control counts as no-cache "
			"(RFC 9111 §5.4)");
	}
	budget_free(rqcc);
	budget_free(pragma);
	if (list_field(in->response, "Cache-Control", &rscc) < 0)
		return -1;
	parse_cc(rscc, rs);
	budget_free(rscc);
	return 0;
}

int httpc_evaluate(const struct httpc_input *in, struct httpc_decision *d)
{
	if (!in->request || !in->response || !isfinite(in->now) || !isfinite(in->request_time) ||
	    !isfinite(in->response_time))
		return -1;
	memset(d, 0, sizeof *d);
	struct cc rq, rs;
	if (read_cc(in, &rq, &rs, d) < 0)
		return -1;

	/* Date, or the time received (RFC 9110 section 6.6.1) */
	const char *ds = field(in->response, "Date");
	int64_t dv;
	double date = in->response_time;
	if (ds && httpdate_parse(ds, in->now, &dv) == 0)
		date = (double)dv;

	int storable_step = d->nsteps;
	d->storable = storable(in, &rq, &rs, d);
	char label[80] = "";
	d->lifetime = lifetime(in, &rs, date, d, label, sizeof label);

	const char *as = field(in->response, "Age");
	double age_value = as ? delta_seconds(as, strlen(as)) : 0;
	if (age_value < 0)
		age_value = 0; /* an invalid Age is ignored */
	double apparent = fmax(0, in->response_time - date);
	double corrected = age_value + (in->response_time - in->request_time);
	d->age = fmax(apparent, corrected) + (in->now - in->response_time);
	step(d, "age %g s: max(apparent %g, Age %g + delay %g) + %g s resident (RFC 9111 §4.2.3)",
	     d->age, apparent, age_value, in->response_time - in->request_time,
	     in->now - in->response_time);
	d->fresh = d->lifetime > d->age;
	step(d, "%s: lifetime %g s %s age %g s (RFC 9111 §4.2)", d->fresh ? "fresh" : "stale",
	     d->lifetime, d->fresh ? ">" : "<=", d->age);

	const char *why = NULL;
	int prohibit_stale = 0;
	if (!d->storable) {
		d->action = HTTPC_FETCH;
		why = "nothing stored";
	} else if (!get_or_head(in->request)) {
		d->action = HTTPC_FETCH;
		why = "not a GET";
	} else if (rs.flags & CC_NO_CACHE) {
		d->action = HTTPC_REVALIDATE;
		why = "no-cache";
		step(d, "the response says no-cache: validate before every reuse "
			"(RFC 9111 §5.2.2.4)");
	} else if (rq.flags & CC_NO_CACHE) {
		d->action = HTTPC_REVALIDATE;
		why = "the request says no-cache";
		step(d, "the request says no-cache: do not reuse without validation (RFC 9111 "
			"§5.2.1.4)");
	} else if (rq.max_age >= 0 && d->age > rq.max_age) {
		d->action = HTTPC_REVALIDATE;
		why = "older than the request's max-age";
		step(d, "the request's max-age=%.0f refuses an age of %g s (RFC 9111 §5.2.1.1)",
		     rq.max_age, d->age);
	} else if (rq.min_fresh >= 0 && d->lifetime - d->age < rq.min_fresh) {
		d->action = HTTPC_REVALIDATE;
		why = "fresh for less than the request's min-fresh";
		step(d, "the request's min-fresh=%.0f wants %.0f s of freshness left, there are %g "
			"(RFC 9111 §5.2.1.3)", rq.min_fresh, rq.min_fresh, d->lifetime - d->age);
	} else if (d->fresh) {
		d->action = HTTPC_SERVE;
	} else {
		double staleness = d->age - d->lifetime;
		if (rs.flags & CC_MUST_REVALIDATE) {
			prohibit_stale = 1;
			why = "must revalidate";
			step(d, "must-revalidate: a stale response must be validated first "
				"(RFC 9111 §5.2.2.2)");
		} else if (in->shared && (rs.flags & CC_PROXY_REVALIDATE)) {
			prohibit_stale = 1;
			why = "proxy-revalidate";
			step(d, "proxy-revalidate: a shared cache must validate a stale response "
				"(RFC 9111 §5.2.2.8)");
		} else if (in->shared && rs.s_maxage != ABSENT) {
			prohibit_stale = 1;
			why = "s-maxage forbids serving it stale";
			step(d, "s-maxage: a shared cache must not serve it stale (RFC 9111 "
				"§5.2.2.10)");
		}
		int allowed = (rq.flags & CC_MAX_STALE_ANY) ||
			      (rq.max_stale >= 0 && staleness <= rq.max_stale);
		if (allowed && !prohibit_stale) {
			d->action = HTTPC_SERVE;
			d->stale = 1;
			why = "but the request accepts it";
			step(d, "the request's max-stale accepts %g s of staleness (RFC 9111 "
				"§5.2.1.2, §4.2.4)", staleness);
		} else {
			d->action = HTTPC_REVALIDATE;
			if (!why) {
				step(d, "a stale response is not served unless the client "
					"allows it (RFC 9111 §4.2.4)");
			}
		}
	}

	if (d->action == HTTPC_REVALIDATE) {
		const char *tag = field(in->response, "ETag");
		const char *lm = field(in->response, "Last-Modified");
		d->if_none_match = tag;
		d->if_modified_since = lm;
		if (tag || lm)
			step(d, "revalidate: a conditional request with%s%s%s (RFC 9111 §4.3.1)",
			     tag ? " If-None-Match" : "", tag && lm ? " and" : "",
			     lm ? " If-Modified-Since" : "");
		else {
			d->action = HTTPC_FETCH;
			step(d, "no ETag or Last-Modified to validate with: a full request "
				"(RFC 9111 §4.3.1)");
		}
	}
	if (d->action != HTTPC_SERVE && (rq.flags & CC_ONLY_IF_CACHED)) {
		d->action = HTTPC_FAIL;
		d->status = 504;
		step(d, "only-if-cached: the cache cannot answer from storage, so 504 (RFC 9111 "
			"§5.2.1.7)");
	} else if (d->action == HTTPC_SERVE) {
		d->status = client_status(in, date, d);
		if (d->status < 0)
			return -1;
	}

	if (!d->storable)
		snprintf(d->summary, sizeof d->summary, "%s; fetch", d->steps[storable_step]);
	else
		snprintf(d->summary, sizeof d->summary, "%s and age %g s: %s%s%s; %s", label,
			 d->age, d->fresh ? "fresh" : "stale", why ? ", " : "", why ? why : "",
			 action_names[d->action]);
	return 0;
}

int httpc_origin_answer(const struct httpc_message *request, const char *etag_now,
			const char *last_modified, double now, struct httpc_origin *o)
{
	int safe = get_or_head(request);
	char *inm;
	if (list_field(request, "If-None-Match", &inm) < 0)
		return -1;
	if (inm) {
		int m = none_match(inm, etag_now);
		budget_free(inm);
		if (m < 0) {
			o->status = 200;
			snprintf(o->reason, sizeof o->reason, "If-None-Match is not a list of "
				 "entity tags: ignored, 200");
		} else if (m) {
			o->status = safe ? 304 : 412;
			snprintf(o->reason, sizeof o->reason, "If-None-Match matches the current "
				 "ETag (weak comparison): %d (RFC 9110 §13.1.2)", o->status);
		} else {
			o->status = 200;
			snprintf(o->reason, sizeof o->reason, "If-None-Match does not match the "
				 "current ETag: 200 with the new representation "
				 "(RFC 9110 §13.1.2)");
		}
		return 0;
	}
	const char *ims = field(request, "If-Modified-Since");
	int64_t since, lm;
	if (ims && safe && last_modified && httpdate_parse(ims, now, &since) == 0 &&
	    httpdate_parse(last_modified, now, &lm) == 0) {
		o->status = lm <= since ? 304 : 200;
		snprintf(o->reason, sizeof o->reason, "Last-Modified is %s If-Modified-Since: %d "
			 "(RFC 9110 §13.1.3)", lm <= since ? "not after" : "after", o->status);
		return 0;
	}
	o->status = 200;
	snprintf(o->reason, sizeof o->reason, "%s: 200 (RFC 9110 §13.1.3, §13.2.2)",
		 !ims ? "no conditional header"
		 : !safe ? "If-Modified-Since applies to GET and HEAD only"
		 : !last_modified ? "no Last-Modified to compare with If-Modified-Since"
				   : "If-Modified-Since is not a valid date: ignored");
	return 0;
}
