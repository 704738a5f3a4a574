/*
 * feed.c — the timeline simulator (feed.h).
 */
#include "engine/concepts/feed/feed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/base/stats.h"

/* Seeds of the three streams, mixed with the run's seed, so that the graph,
 * the posts and the reads stay the same whatever the decisions. */
#define FEED_GRAPH 0x6a09e667f3bcc908ULL
#define FEED_POSTS 0xbb67ae8584caa73bULL
#define FEED_READS 0x3c6ef372fe94f82bULL

struct feed_post {
	double at;
	uint32_t author;      /* 0-based */
	uint32_t seq;         /* made in this order (ties) */
};

struct feed {
	struct feed_config c;
	size_t naccounts;
	double *followers;    /* per account */
	size_t *roff;         /* naccounts + 1: readers following account i are */
	uint32_t *rlist;      /* rlist[roff[i] .. roff[i+1]) */
	size_t nreaders;
	uint32_t *nfollow;    /* per reader: sampled followees */
	struct feed_post *posts;
	size_t nposts;
	signed char *pull;    /* per post: -1 undecided, 0 push, 1 pull */
	size_t decided;
	double pool;          /* W */
	double free_at;       /* the pool is busy until then */
	double *start;        /* per post: when its fan-out starts (pushed) */
};

static double feed_uniform_open(struct rng *r)
{
	double u;
	do
		u = rng_uniform(r);
	while (u <= 0.0);
	return u;
}

/* Checks the ranges the binding also checks (C callers). NULL or why. */
static const char *feed_check(const struct feed_config *c)
{
	if (!(c->duration > 0) || !(c->users >= 1) || c->users > FEED_MAX_USERS)
		return "duration must be > 0 and users between 1 and 1e10";
	if (c->naccounts == 0 && (c->authors < 0 || c->authors > FEED_MAX_ACCOUNTS))
		return "authors must be between 0 and 1000000";
	if (!(c->alpha > 1) || !(c->followers >= 1))
		return "alpha must be > 1 and followers >= 1";
	if (c->celebrities < 0 || c->celebrities > 1000 ||
	    !(c->celebrity_followers >= 0) ||
	    (c->celebrities > 0 && c->celebrity_followers > c->users))
		return "celebrities must be 0..1000 with celebrity_followers <= users";
	if (c->readers < 1 || c->readers > FEED_MAX_READERS)
		return "readers must be between 1 and 100000";
	if (c->workers < 1 || !(c->worker_rate > 0))
		return "workers must be >= 1 and worker_rate > 0";
	if (!(c->posts >= 0) || !(c->reads >= 0) || !(c->celebrity_posts >= 0) ||
	    !(c->follows >= 0) || !(c->read_base >= 0) || !(c->pull_cost >= 0))
		return "rates, follows and costs must be >= 0";
	if (c->posts * c->duration > FEED_MAX_EVENTS ||
	    c->reads * c->duration > FEED_MAX_EVENTS ||
	    c->celebrity_posts * c->duration * (double)c->celebrities > FEED_MAX_EVENTS)
		return "too many posts or reads: at most 1e7 of each in a run";
	for (size_t i = 0; i < c->naccounts; i++)
		if (!(c->accounts[i] >= 0) || c->accounts[i] > c->users)
			return "accounts: every follower count must be between 0 and users";
	return NULL;
}

/* The follower counts: given, Pareto, then the celebrities. 0 or -1. */
static int feed_accounts(struct feed *s, struct rng *g)
{
	const struct feed_config *c = &s->c;
	size_t ord = c->naccounts ? c->naccounts : (size_t)c->authors;
	s->naccounts = ord + (size_t)c->celebrities;
	s->followers = budget_calloc(s->naccounts + 1, sizeof *s->followers);
	if (!s->followers)
		return -1;
	double m = c->followers * (c->alpha - 1) / c->alpha; /* the Pareto minimum */
	for (size_t i = 0; i < ord; i++) {
		double f = c->naccounts ? floor(c->accounts[i])
					: ceil(m * pow(feed_uniform_open(g), -1.0 / c->alpha));
		s->followers[i] = f > c->users ? floor(c->users) : f;
	}
	for (size_t i = ord; i < s->naccounts; i++)
		s->followers[i] = floor(c->celebrity_followers);
	return 0;
}

/* Appends V to the growing array *A of *N (capacity *CAP). 0 or -1. */
static int feed_push(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 1024;
		uint32_t *p = budget_realloc(*a, nc * sizeof *p);
		if (!p)
			return -1;
		*a = p;
		*cap = nc;
	}
	(*a)[(*n)++] = v;
	return 0;
}

/* Who follows whom among the readers: an ordinary account of f followers
 * is followed by each reader with probability f x follows / (the ordinary
 * accounts' followers in all), a celebrity with probability f / users
 * (geometric skips over the readers). 0, or -1 with *WHY. */
static int feed_graph(struct feed *s, struct rng *g, const char **why)
{
	size_t n = 0, cap = 0, R = s->nreaders;
	size_t ord = s->naccounts - (size_t)s->c.celebrities;
	s->roff = budget_calloc(s->naccounts + 1, sizeof *s->roff);
	s->nfollow = budget_calloc(R, sizeof *s->nfollow);
	if (!s->roff || !s->nfollow)
		return *why = "out of memory", -1;
	double total = 0;
	for (size_t i = 0; i < ord; i++)
		total += s->followers[i];
	for (size_t i = 0; i < s->naccounts; i++) {
		s->roff[i] = n;
		double p = i < ord ? (total > 0 ? s->followers[i] * s->c.follows / total : 0)
				   : s->followers[i] / s->c.users;
		if (p > 0) {
			double lq = p < 1 ? log1p(-p) : 0;
			for (double r = -1;;) {
				r += 1 + (p < 1 ? floor(log(feed_uniform_open(g)) / lq) : 0);
				if (r >= (double)R)
					break;
				if ((double)n >= FEED_MAX_EDGES)
					return *why = "the follow graph is too large (more than 5e7 follows "
						      "among the readers): fewer readers or follows", -1;
				if (feed_push(&s->rlist, &n, &cap, (uint32_t)r) < 0)
					return *why = "out of memory", -1;
				s->nfollow[(size_t)r]++;
			}
		}
		if (budget_poll(i))
			return *why = "stopped", -1;
	}
	s->roff[s->naccounts] = n;
	return 0;
}

static int feed_post_cmp(const void *a, const void *b)
{
	const struct feed_post *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The posts, in arrival order. 0, or -1 with *WHY. */
static int feed_make_posts(struct feed *s, const char **why)
{
	const struct feed_config *c = &s->c;
	size_t ord = s->naccounts - (size_t)c->celebrities, cap = 0;
	struct rng p;
	rng_seed(&p, c->seed ^ FEED_POSTS);
	struct feed_post *a = NULL;
	size_t n = 0;
#define ADD(t, who)                                                                        \
	do {                                                                               \
		if (n == cap) {                                                            \
			size_t nc = cap ? 2 * cap : 1024;                                  \
			struct feed_post *q = budget_realloc(a, nc * sizeof *q);           \
			if (!q) {                                                          \
				budget_free(a);                                            \
				return *why = "out of memory", -1;                         \
			}                                                                  \
			a = q;                                                             \
			cap = nc;                                                          \
		}                                                                          \
		a[n].at = (t);                                                             \
		a[n].author = (uint32_t)(who);                                             \
		a[n].seq = (uint32_t)n;                                                    \
		n++;                                                                       \
	} while (0)
	if (c->posts > 0 && ord > 0)
		for (double t = rng_exponential(&p, c->posts); t < c->duration;
		     t += rng_exponential(&p, c->posts)) {
			ADD(t, rng_below(&p, ord));
			if (budget_poll(n))
				return budget_free(a), *why = "stopped", -1;
		}
	if (c->celebrity_posts > 0)
		for (size_t k = ord; k < s->naccounts; k++)
			for (double t = rng_exponential(&p, c->celebrity_posts); t < c->duration;
			     t += rng_exponential(&p, c->celebrity_posts))
				ADD(t, k);
	for (size_t i = 0; i < c->nposts_at; i++) {
		const struct feed_post_at *e = &c->posts_at[i];
		if (!(e->at >= 0) || e->author < 1 || (size_t)e->author > s->naccounts)
			return budget_free(a), *why = "posts_at: each needs at >= 0 and an author "
						      "between 1 and the number of accounts", -1;
		ADD(e->at, e->author - 1);
	}
#undef ADD
	if (n > 1)
		qsort(a, n, sizeof *a, feed_post_cmp);
	s->posts = a;
	s->nposts = n;
	s->pull = budget_malloc(n + 1);
	s->start = budget_calloc(n + 1, sizeof *s->start);
	if (!s->pull || !s->start)
		return *why = "out of memory", -1;
	memset(s->pull, -1, n + 1);
	return 0;
}

struct feed *feed_new(const struct feed_config *c, const char **why)
{
	if ((*why = feed_check(c)) != NULL)
		return NULL;
	struct feed *s = budget_calloc(1, sizeof *s);
	if (!s)
		return *why = "out of memory", NULL;
	s->c = *c;
	s->nreaders = (size_t)c->readers;
	s->pool = (double)c->workers * c->worker_rate;
	struct rng g;
	rng_seed(&g, c->seed ^ FEED_GRAPH);
	int rc = feed_accounts(s, &g);
	if (rc < 0)
		*why = "out of memory";
	if (rc == 0)
		rc = feed_graph(s, &g, why);
	if (rc == 0)
		rc = feed_make_posts(s, why);
	s->c.accounts = NULL;  /* the caller's arrays: used only while building */
	s->c.posts_at = NULL;
	if (rc < 0) {
		feed_free(s);
		return NULL;
	}
	return s;
}

void feed_free(struct feed *s)
{
	if (!s)
		return;
	budget_free(s->followers);
	budget_free(s->roff);
	budget_free(s->rlist);
	budget_free(s->nfollow);
	budget_free(s->posts);
	budget_free(s->pull);
	budget_free(s->start);
	budget_free(s);
}

size_t feed_nposts(const struct feed *s)
{
	return s->nposts;
}

void feed_postinfo(const struct feed *s, size_t i, struct feed_postinfo *out)
{
	const struct feed_post *p = &s->posts[i];
	out->at = p->at;
	out->author = (int64_t)p->author + 1;
	out->followers = s->followers[p->author];
	out->backlog = s->free_at > p->at ? s->free_at - p->at : 0;
	out->pool = s->pool;
}

int feed_builtin(const struct feed *s, size_t i)
{
	switch (s->c.strategy) {
	case FEED_WRITE: return 0;
	case FEED_READ: return 1;
	case FEED_HYBRID: return s->followers[s->posts[i].author] >= s->c.threshold;
	default: return -1;
	}
}

int feed_decide(struct feed *s, size_t i, int pull)
{
	if (i != s->decided || i >= s->nposts)
		return -1;
	const struct feed_post *p = &s->posts[i];
	s->pull[i] = pull ? 1 : 0;
	s->decided++;
	if (!pull) {
		double st = s->free_at > p->at ? s->free_at : p->at;
		s->start[i] = st;
		s->free_at = st + s->followers[p->author] / s->pool;
	}
	return 0;
}

/* Deliveries of the posts with lag at most X. */
static double feed_count_le(const struct feed *s, double x)
{
	double n = 0;
	for (size_t i = 0; i < s->nposts; i++) {
		double f = s->followers[s->posts[i].author];
		if (s->pull[i]) {
			n += x >= 0 ? f : 0;
			continue;
		}
		double k = floor((x - (s->start[i] - s->posts[i].at)) * s->pool + 1e-9);
		n += k < 0 ? 0 : k > f ? f : k;
	}
	return n;
}

/* The smallest delivery lag at or above X (less a rounding tolerance),
 * computed as a + j / W: the value itself, not the bisection's bound. */
static double feed_snap(const struct feed *s, double x)
{
	double best = INFINITY, tol = 1e-6 / s->pool;
	for (size_t i = 0; i < s->nposts; i++) {
		double f = s->followers[s->posts[i].author];
		if (f <= 0)
			continue;
		if (s->pull[i]) {
			if (x - tol <= 0)
				best = 0;
			continue;
		}
		double a = s->start[i] - s->posts[i].at;
		double j = ceil((x - tol - a) * s->pool);
		j = j < 1 ? 1 : j > f ? f : j;
		double v = a + j / s->pool;
		if (v >= x - tol && v < best)
			best = v;
	}
	return isfinite(best) ? best : x;
}

/* The nearest-rank Q-quantile of the deliveries' lags (D of them), found by
 * bisection on the lag: the smallest x with count(x) >= ceil(Q D). */
static double feed_lag_quantile(const struct feed *s, double d, double q, double max)
{
	double k = ceil(q * d);
	if (k < 1)
		k = 1;
	if (feed_count_le(s, 0) >= k)
		return 0;
	double lo = 0, hi = max;
	for (int it = 0; it < 100 && hi - lo > 1e-12 * (1 + hi) && !budget_stop(); it++) {
		double mid = lo + (hi - lo) / 2;
		if (feed_count_le(s, mid) >= k)
			hi = mid;
		else
			lo = mid;
	}
	return feed_snap(s, hi);
}

/* The lag figures of R from the decided posts. */
static void feed_lags(const struct feed *s, struct feed_result *r)
{
	double d = 0, sum = 0, max = 0;
	for (size_t i = 0; i < s->nposts; i++) {
		double f = s->followers[s->posts[i].author];
		d += f;
		if (s->pull[i])
			continue;
		double a = s->start[i] - s->posts[i].at, last = a + f / s->pool;
		sum += f * a + f * (f + 1) / 2 / s->pool;
		if (f > 0 && last > max)
			max = last;
	}
	r->deliveries = d;
	r->lag_max = max;
	r->lag_mean = d > 0 ? sum / d : 0;
	r->lag_p50 = d > 0 ? feed_lag_quantile(s, d, 0.50, max) : 0;
	r->lag_p99 = d > 0 ? feed_lag_quantile(s, d, 0.99, max) : 0;
}

/* Marks account A as pulled: its readers merge it from now on. */
static void feed_flag(const struct feed *s, size_t a, unsigned char *flagged, uint32_t *merge)
{
	if (flagged[a])
		return;
	flagged[a] = 1;
	for (size_t j = s->roff[a]; j < s->roff[a + 1]; j++)
		merge[s->rlist[j]]++;
}

/* The reads, in time order with the posts (a post at t counts for a read at
 * t). Latencies into *LAT (grown; R->reads of them). 0, or -1 with *WHY. */
static int feed_reads(const struct feed *s, struct feed_result *r, double **lat,
		      unsigned char *flagged, uint32_t *merge, const char **why)
{
	const struct feed_config *c = &s->c;
	if (c->strategy == FEED_HYBRID)
		for (size_t a = 0; a < s->naccounts; a++)
			if (s->followers[a] >= c->threshold)
				feed_flag(s, a, flagged, merge);
	struct rng g;
	rng_seed(&g, c->seed ^ FEED_READS);
	size_t next = 0, n = 0, cap = 0;
	double pulls = 0;
	if (c->reads > 0)
		for (double t = rng_exponential(&g, c->reads); t < c->duration;
		     t += rng_exponential(&g, c->reads)) {
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 4096;
				double *q = budget_realloc(*lat, nc * sizeof *q);
				if (!q)
					return *why = "out of memory", -1;
				*lat = q;
				cap = nc;
			}
			size_t who = (size_t)rng_below(&g, s->nreaders);
			for (; next < s->nposts && s->posts[next].at <= t; next++)
				if (c->strategy == FEED_RULE && s->pull[next])
					feed_flag(s, s->posts[next].author, flagged, merge);
			double k = c->strategy == FEED_READ ? (double)s->nfollow[who]
							    : (double)merge[who];
			(*lat)[n++] = c->read_base + k * c->pull_cost;
			pulls += k;
			if (budget_poll(n))
				return *why = "stopped", -1;
		}
	r->reads = n;
	r->pulls_mean = n ? pulls / (double)n : 0;
	return 0;
}

int feed_finish(struct feed *s, struct feed_result *r, const char **why)
{
	memset(r, 0, sizeof *r);
	if (s->decided != s->nposts)
		return *why = "a post is not decided", -1;
	const struct feed_config *c = &s->c;
	r->posts = s->nposts;
	r->accounts = s->naccounts;
	for (size_t i = 0; i < s->nposts; i++) {
		double f = s->followers[s->posts[i].author];
		if (s->pull[i])
			r->pulled++;
		else
			r->pushed++, r->writes += f;
	}
	r->write_rate = r->writes / c->duration;
	r->storage = r->writes;
	r->backlog = s->free_at > c->duration ? s->free_at - c->duration : 0;
	for (size_t a = 0; a < s->naccounts; a++)
		if (s->followers[a] > r->followers_max)
			r->followers_max = s->followers[a];
	double fsum = 0;
	for (size_t k = 0; k < s->nreaders; k++)
		fsum += (double)s->nfollow[k];
	r->follows_mean = fsum / (double)s->nreaders;
	feed_lags(s, r);
	double *lat = NULL;
	unsigned char *flagged = budget_calloc(s->naccounts + 1, 1);
	uint32_t *merge = budget_calloc(s->nreaders, sizeof *merge);
	int rc = -1;
	*why = "out of memory";
	if (flagged && merge)
		rc = feed_reads(s, r, &lat, flagged, merge, why);
	if (rc == 0) {
		stats_sort(lat, r->reads);
		r->read_p50 = stats_rank(lat, r->reads, 0.50);
		r->read_p99 = stats_rank(lat, r->reads, 0.99);
		r->read_max = stats_rank(lat, r->reads, 1.0);
		double sum = 0;
		for (size_t i = 0; i < r->reads; i++)
			sum += lat[i];
		r->read_mean = r->reads ? sum / (double)r->reads : NAN;
	}
	budget_free(lat);
	budget_free(flagged);
	budget_free(merge);
	return rc;
}

int feed_run(const struct feed_config *c, struct feed_result *r, const char **why)
{
	if (c->strategy == FEED_RULE)
		return *why = "a rule needs its decisions (feed_decide)", -1;
	struct feed *s = feed_new(c, why);
	if (!s)
		return -1;
	for (size_t i = 0; i < s->nposts; i++)
		feed_decide(s, i, feed_builtin(s, i));
	int rc = feed_finish(s, r, why);
	feed_free(s);
	return rc;
}
