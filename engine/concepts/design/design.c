/*
 * design.c — the catalog, compiling a design, its cost, its bottleneck and
 * its requirements (design.h).
 */
#include "engine/concepts/design/design.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* name, workers, latency, write_latency, queue, price, memory_price, memory, read_only,
 * limiter, dist, about */
const struct design_kind design_catalog[] = {
	{"lb", 20000, 0.0002, 0.0002, 10000, 20, 0, 0, 0, 0, RS_EXPONENTIAL,
	 "load balancer: spreads requests over what it calls"},
	{"app", 50, 0.004, 0.004, 200, 100, 0, 0, 0, 0, RS_EXPONENTIAL,
	 "stateless application server"},
	{"cache", 5000, 0.0005, 0.0005, 10000, 50, 10, 1, 0, 0, RS_EXPONENTIAL,
	 "in-memory LRU cache (memory in GB)"},
	{"db", 20, 0.005, 0.010, 100, 500, 0, 0, 0, 0, RS_EXPONENTIAL,
	 "primary database: reads and writes"},
	{"replica", 20, 0.005, 0.005, 100, 400, 0, 0, 1, 0, RS_EXPONENTIAL,
	 "read replica: a write that reaches it fails"},
	{"queue", 20000, 0.0005, 0.0005, 10000000, 100, 0, 0, 0, 0, RS_EXPONENTIAL,
	 "message broker: admits messages and holds them for consumers"},
	{"worker", 4, 1.0, 1.0, 100000, 150, 0, 0, 0, 0, RS_EXPONENTIAL,
	 "consumer doing background work"},
	{"cdn", 100000, 0.02, 0.02, 100000, 0, 20, 1, 0, 0, RS_EXPONENTIAL,
	 "edge cache close to the users (memory in GB)"},
	{"blob", 100000, 0.05, 0.1, 100000, 0, 0, 0, 0, 0, RS_EXPONENTIAL,
	 "object store (its storage is priced by the problem)"},
	{"limiter", 20000, 0.0005, 0.0005, 10000, 50, 0, 0, 0, 1, RS_EXPONENTIAL,
	 "rate limiter (limit = {rate, burst})"},
};
const int design_ncatalog = (int)(sizeof design_catalog / sizeof design_catalog[0]);

void design_init(struct design *d)
{
	memset(d, 0, sizeof *d);
	d->nkinds = design_ncatalog;
	memcpy(d->kinds, design_catalog, sizeof design_catalog);
}

int design_find_kind(const struct design *d, const char *name)
{
	for (int i = 0; i < d->nkinds; i++)
		if (strcmp(d->kinds[i].name, name) == 0)
			return i;
	return -1;
}

/* NULL if K's numbers are in range, else a message in BUF. */
static const char *kind_check(const struct design_kind *k, char *buf, size_t size)
{
	const char *bad = NULL;
	if (k->workers < 1 || k->workers > DESIGN_MAX_WORKERS)
		bad = "workers must be between 1 and 1000000";
	else if (!(k->latency > 0) || !(k->write_latency > 0) || k->latency > 1e6 ||
		 k->write_latency > 1e6)
		bad = "latency and write_latency must be above 0 (at most 1e6 s)";
	else if (k->queue < 0 || k->queue > DESIGN_MAX_QUEUE)
		bad = "queue must be between 0 and 10000000";
	else if (!(k->price >= 0) || !(k->memory_price >= 0) || k->price > 1e9 ||
		 k->memory_price > 1e9)
		bad = "price and memory_price must be between 0 and 1e9";
	if (!bad)
		return NULL;
	snprintf(buf, size, "kind '%s': %s", k->name, bad);
	return buf;
}

const char *design_set_kind(struct design *d, const struct design_kind *k, char *buf,
			    size_t size)
{
	if (kind_check(k, buf, size))
		return buf;
	int i = design_find_kind(d, k->name);
	if (i < 0) {
		if (d->nkinds >= DESIGN_MAX_KINDS) {
			snprintf(buf, size, "more than %d kinds", DESIGN_MAX_KINDS);
			return buf;
		}
		i = d->nkinds++;
	}
	d->kinds[i] = *k;
	return NULL;
}

/* Writes "component 'NAME' (I+1): " and the formatted rest into BUF;
 * returns BUF. */
static const char *cfail(char *buf, size_t size, const struct design_component *c, int i,
			 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static const char *cfail(char *buf, size_t size, const struct design_component *c, int i,
			 const char *fmt, ...)
{
	int n = snprintf(buf, size, "component '%s' (%d): ", c->name, i + 1);
	if (n < 0 || (size_t)n >= size)
		return buf;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	return buf;
}

/* The kinds of D, space-separated, into OUT (SIZE bytes). */
static void kind_list(const struct design *d, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < d->nkinds && len + 1 < size; i++) {
		int n = snprintf(out + len, size - len, "%s%s", i ? " " : "", d->kinds[i].name);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (len >= size)
		out[size - 1] = '\0';
}

/* Resolves the kind of component I. NULL or a message. */
static const char *check_kind(struct design *d, int i, char *buf, size_t size)
{
	struct design_component *c = &d->c[i];
	c->kind = design_find_kind(d, c->kindname);
	if (c->kind < 0) {
		char kinds[DESIGN_MAX_KINDS * DESIGN_NAME_MAX];
		kind_list(d, kinds, sizeof kinds);
		int n = snprintf(buf, size, "component '%s' (%d): unknown kind '%s' (the kinds: ",
				 c->name, i + 1, c->kindname);
		if (n >= 0 && (size_t)n < size)
			snprintf(buf + n, size - (size_t)n, "%s)", kinds);
		return buf;
	}
	const struct design_kind *k = &d->kinds[c->kind];
	if (c->instances < 1 || c->instances > DESIGN_MAX_INSTANCES)
		return cfail(buf, size, c, i, "instances must be between 1 and %d (got %d)",
			     DESIGN_MAX_INSTANCES, c->instances);
	if (k->memory && !c->has_memory)
		return cfail(buf, size, c, i, "kind '%s' needs memory = GB (its cache's size)", k->name);
	if (!k->memory && c->has_memory)
		return cfail(buf, size, c, i, "kind '%s' holds no cache: memory is for kinds with one "
			     "(cache, cdn)", k->name);
	if (c->has_memory && !(c->memory > 0 && c->memory <= DESIGN_MAX_MEMORY))
		return cfail(buf, size, c, i, "memory must be above 0 and at most 1e6 GB (got %g)",
			     c->memory);
	if (k->limiter && !c->has_limit)
		return cfail(buf, size, c, i, "kind '%s' needs limit = {rate =, burst =}", k->name);
	if (!k->limiter && c->has_limit)
		return cfail(buf, size, c, i, "limit is for a limiter, not for kind '%s'", k->name);
	if ((double)c->instances * k->workers > DESIGN_MAX_WORKERS)
		return cfail(buf, size, c, i,
			     "%d instances of %s make %.0f workers; the simulator takes at most 1000000",
			     c->instances, k->name, (double)c->instances * k->workers);
	return NULL;
}

/* Resolves the calls of component I: to a component listed after it. */
static const char *check_calls(struct design *d, int i, char *buf, size_t size)
{
	struct design_component *c = &d->c[i];
	for (int k = 0; k < c->ncalls; k++) {
		struct design_call *call = &c->calls[k];
		call->target = -1;
		for (int j = 0; j < d->n; j++)
			if (strcmp(d->c[j].name, call->to) == 0)
				call->target = j;
		if (call->target < 0)
			return cfail(buf, size, c, i, "calls '%s', which is no component", call->to);
		if (call->target <= i)
			return cfail(buf, size, c, i,
				     "calls '%s', listed before it: a component calls only those "
				     "listed after it (the first is the entry)",
				     call->to);
		for (int m = 0; m < k; m++)
			if (c->calls[m].target == call->target)
				return cfail(buf, size, c, i, "calls '%s' twice", call->to);
	}
	if (c->route != DESIGN_ROUTE_ALL && c->ncalls == 0)
		return cfail(buf, size, c, i, "route '%s' without calls",
			     c->route == DESIGN_ROUTE_ONE ? "one" : "key");
	return NULL;
}

const char *design_check(struct design *d, char *buf, size_t size)
{
	if (d->n < 1) {
		snprintf(buf, size, "a design needs at least one component");
		return buf;
	}
	for (int i = 0; i < d->n; i++) {
		for (int j = 0; j < i; j++)
			if (strcmp(d->c[i].name, d->c[j].name) == 0)
				return cfail(buf, size, &d->c[i], i,
					     "the name '%s' is taken by component %d", d->c[i].name,
					     j + 1);
		if (check_kind(d, i, buf, size))
			return buf;
	}
	for (int i = 0; i < d->n; i++)
		if (check_calls(d, i, buf, size))
			return buf;
	return NULL;
}

int design_compile(const struct design *d, int i, double size, int64_t keys,
		   struct design_service *out, char *buf, size_t bufsize)
{
	const struct design_component *c = &d->c[i];
	const struct design_kind *k = &d->kinds[c->kind];
	double queue = (double)c->instances * k->queue;
	out->workers = c->instances * k->workers;
	out->queue = queue > DESIGN_MAX_QUEUE ? DESIGN_MAX_QUEUE : (int)queue;
	out->latency = k->latency;
	out->write_latency = k->write_latency;
	out->dist = k->dist;
	out->read_only = k->read_only;
	out->cache = 0;
	if (!k->memory)
		return 0;
	double items = floor(c->memory * 1e9 / size);
	if (keys > 0 && items > (double)keys)
		items = (double)keys;
	if (items > DESIGN_MAX_CACHE) {
		cfail(buf, bufsize, c, i,
		      "%g GB holds more items than the simulator's cache takes (1e8): "
		      "give the workload keys, or bigger items",
		      c->memory);
		return -1;
	}
	out->cache = (int64_t)items;
	return 0;
}

double design_component_cost(const struct design *d, int i)
{
	const struct design_component *c = &d->c[i];
	const struct design_kind *k = &d->kinds[c->kind];
	return c->instances * k->price + (c->has_memory ? c->memory * k->memory_price : 0);
}

double design_cost(const struct design *d)
{
	double sum = 0;
	for (int i = 0; i < d->n; i++)
		sum += design_component_cost(d, i);
	return sum;
}

/* REACH[i]: the components component I calls, directly or not (bits). */
static void reach_of(const struct design *d, uint64_t *reach)
{
	for (int i = d->n - 1; i >= 0; i--) {         /* calls go to later components */
		reach[i] = 0;
		for (int k = 0; k < d->c[i].ncalls; k++) {
			int t = d->c[i].calls[k].target;
			if (t > i && t < d->n)
				reach[i] |= (uint64_t)1 << t | reach[t];
		}
	}
}

int design_bottleneck(const struct design *d, const double *util, const uint64_t *rejected,
		      const uint64_t *shed)
{
	if (d->n < 1)
		return -1;
	double top = util[0];
	for (int i = 1; i < d->n; i++)
		top = fmax(top, util[i]);
	uint64_t reach[DESIGN_MAX_COMPONENTS], tied = 0;
	reach_of(d, reach);
	for (int i = 0; i < d->n; i++)
		if (util[i] >= top - 0.01)
			tied |= (uint64_t)1 << i;
	int best = -1;
	for (int i = 0; i < d->n; i++) {
		if (!(tied >> i & 1) || (reach[i] & tied))
			continue;                      /* not tied, or waits on one that is */
		if (best < 0 || rejected[i] + shed[i] >= rejected[best] + shed[best])
			best = i;
	}
	return best;
}

int design_async_only(const struct design *d, int i)
{
	int async = 0;
	for (int j = 0; j < i; j++)
		for (int k = 0; k < d->c[j].ncalls; k++)
			if (d->c[j].calls[k].target == i) {
				if (!d->c[j].calls[k].async)
					return 0;
				async = 1;
			}
	return i > 0 && async;
}

/* N with thousands separators: "2,310". */
static void add_count(struct sbuf *out, double n)
{
	char digits[64];
	snprintf(digits, sizeof digits, "%.0f", fabs(n));
	if (n < 0)
		sbuf_addc(out, '-');
	size_t len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			sbuf_addc(out, ',');
		sbuf_addc(out, digits[i]);
	}
}

void design_bottleneck_text(struct sbuf *out, const char *name, double util,
			    uint64_t rejected, uint64_t shed)
{
	sbuf_addf(out, "%s: %.0f%% busy", name, util * 100);
	if (rejected) {
		sbuf_adds(out, ", ");
		add_count(out, (double)rejected);
		sbuf_adds(out, rejected == 1 ? " request rejected" : " requests rejected");
	}
	if (shed) {
		sbuf_adds(out, ", ");
		add_count(out, (double)shed);
		sbuf_adds(out, " shed");
	}
}

/* Dollars: "$1,770" or "$12.50". */
static void add_money(struct sbuf *out, double v)
{
	sbuf_addc(out, '$');
	if (v == floor(v) && fabs(v) < 1e15)
		add_count(out, v);
	else
		sbuf_addf(out, "%.2f", v);
}

/* A number of seconds as "412 ms", "1.5 s", "250 µs"-free: "0.25 ms". */
static void add_seconds(struct sbuf *out, double s, int digits)
{
	if (s >= 1)
		sbuf_addf(out, "%.*g s", digits, s);
	else
		sbuf_addf(out, "%.*g ms", digits, s * 1000);
}

static const char *const ops_names[] = {"", " [read]", " [write]"};

static void describe_call(const struct design_call *call, struct sbuf *out)
{
	sbuf_addf(out, "      -> %s%s%s", call->to, ops_names[call->ops & 3],
		  call->async ? " [async]" : "");
	if (call->timeout > 0) {
		sbuf_adds(out, ", timeout ");
		add_seconds(out, call->timeout, 3);
	}
	if (call->retries > 0)
		sbuf_addf(out, ", %d retr%s", call->retries, call->retries == 1 ? "y" : "ies");
	sbuf_addc(out, '\n');
}

void design_describe(const struct design *d, double size, int64_t keys, struct sbuf *out)
{
	static const char *const routes[] = {"", ", one call by weight", ", one shard by key"};
	for (int i = 0; i < d->n; i++) {
		const struct design_component *c = &d->c[i];
		const struct design_kind *k = &d->kinds[c->kind];
		struct design_service s;
		char buf[8];
		sbuf_addf(out, "%s%s (%s) x%d: ", i == 0 ? "clients -> " : "", c->name, k->name,
			  c->instances);
		if (design_compile(d, i, size > 0 ? size : 1000, keys, &s, buf, sizeof buf) != 0)
			s.cache = -1;
		add_count(out, s.workers);
		sbuf_adds(out, s.workers == 1 ? " worker" : " workers");
		if (c->has_memory) {
			sbuf_addf(out, ", %g GB", c->memory);
			if (size > 0 && s.cache >= 0) {
				sbuf_adds(out, " = ");
				add_count(out, (double)s.cache);
				sbuf_adds(out, " items");
			}
		}
		sbuf_adds(out, routes[c->route]);
		sbuf_adds(out, ", ");
		add_money(out, design_component_cost(d, i));
		sbuf_adds(out, " a month\n");
		for (int j = 0; j < c->ncalls; j++)
			describe_call(&c->calls[j], out);
	}
	sbuf_adds(out, "total ");
	add_money(out, design_cost(d));
	sbuf_adds(out, " a month");
}

/* ---- requirements ---- */

static const char *const req_keys[DESIGN_NREQS] = {
	"p99", "read_p99", "write_p99", "success", "read_success", "write_success",
	"lost", "lag", "cost"};
static const char *const req_labels[DESIGN_NREQS] = {
	"p99 latency", "read p99 latency", "write p99 latency", "success", "read success",
	"write success", "lost writes", "async lag p99", "cost"};

const char *design_req_key(enum design_req r)
{
	return (unsigned)r < DESIGN_NREQS ? req_keys[r] : "?";
}

int design_req_upper(enum design_req r)
{
	return !(r == DESIGN_SUCCESS || r == DESIGN_READ_SUCCESS || r == DESIGN_WRITE_SUCCESS);
}

/* Whether GOT meets NEED for requirement R. */
static int meets(enum design_req r, double got, double need)
{
	if (isnan(got))
		return 0;
	return design_req_upper(r) ? got <= need : got >= need;
}

int design_missed(const struct design_figs *need, const struct design_figs *got)
{
	for (int r = 0; r < DESIGN_NREQS; r++)
		if (need->has[r] && (!got->has[r] || !meets((enum design_req)r, got->v[r],
							   need->v[r])))
			return r;
	return -1;
}

void design_worst(struct design_figs *worst, const struct design_figs *f)
{
	for (int r = 0; r < DESIGN_NREQS; r++) {
		if (!f->has[r])
			continue;
		double a = worst->v[r], b = f->v[r];
		if (!worst->has[r] || isnan(b))
			worst->v[r] = b;
		else if (!isnan(a))
			worst->v[r] = design_req_upper((enum design_req)r) ? fmax(a, b) : fmin(a, b);
		worst->has[r] = 1;
	}
}

/* Appends figure V of requirement R with DIGITS significant digits. */
static void add_fig(struct sbuf *out, enum design_req r, double v, int digits)
{
	switch (r) {
	case DESIGN_P99: case DESIGN_READ_P99: case DESIGN_WRITE_P99: case DESIGN_LAG:
		add_seconds(out, v, digits);
		break;
	case DESIGN_SUCCESS: case DESIGN_READ_SUCCESS: case DESIGN_WRITE_SUCCESS:
		sbuf_addf(out, "%.*g%%", digits, v * 100);
		break;
	case DESIGN_LOST:
		add_count(out, v);
		break;
	default:
		add_money(out, v);
		break;
	}
}

/* The fewest significant digits (3 to 12) that show GOT and NEED apart. */
static int digits_apart(enum design_req r, double got, double need)
{
	for (int digits = 3; digits < 12; digits++) {
		struct sbuf a = SBUF_INIT, b = SBUF_INIT;
		add_fig(&a, r, got, digits);
		add_fig(&b, r, need, digits);
		int same = strcmp(sbuf_str(&a), sbuf_str(&b)) == 0;
		sbuf_free(&a);
		sbuf_free(&b);
		if (!same)
			return digits;
	}
	return 12;
}

void design_missed_text(struct sbuf *out, enum design_req r, double got, double need,
			int64_t seed)
{
	sbuf_adds(out, req_labels[r]);
	if (isnan(got)) {
		sbuf_adds(out, ": nothing measured (no such request finished)");
	} else {
		int digits = digits_apart(r, got, need);
		sbuf_addc(out, ' ');
		add_fig(out, r, got, digits);
		if (r == DESIGN_COST)
			sbuf_adds(out, " a month");
		sbuf_adds(out, design_req_upper(r) ? ", needs <= " : ", needs >= ");
		add_fig(out, r, need, digits);
	}
	if (seed >= 0 && r != DESIGN_COST)
		sbuf_addf(out, " (seed %lld)", (long long)seed);
}
