/*
 * design.h — system designs made of a fixed catalog of components, compiled
 * into a lab.resilience service graph and graded against a problem's
 * requirements.
 *
 * A design is a list of components. Each has a NAME, a KIND from the
 * catalog (a load balancer, an application server, a cache, a database, a
 * read replica, a queue, a worker, a CDN, an object store, a rate limiter)
 * or from the problem's own kinds, a number of INSTANCES, for the kinds
 * that hold memory its MEMORY in GB, and calls to the components listed
 * after it. The learner chooses the structure, the counts and the memory;
 * the kind fixes everything else: workers and queue per instance, the mean
 * work of a read and of a write, the price. So a design cannot buy
 * capacity for free: capacity costs instances, and instances cost money.
 *
 * The numbers of the catalog are the lab's own round numbers, in the
 * proportions real systems have (a cache answers ten times faster than a
 * database, a database serves tens of requests at once, a load balancer
 * tens of thousands), not any vendor's prices or benchmarks.
 *
 * Compiling a component into a lab.resilience service:
 *   workers       = instances x the kind's workers per instance
 *   queue         = instances x the kind's queue per instance, at most
 *                   DESIGN_MAX_QUEUE (the simulator's)
 *   latency, write_latency, dist: the kind's
 *   read_only     = the kind's (a read replica refuses writes)
 *   cache         = floor(memory x 1e9 / item size) items (kinds with memory)
 * Its cost a month = instances x price + memory x memory_price.
 *
 * Requirements are checked in a fixed order (enum design_req): latency
 * first, then success, lost writes, queue lag and cost; the first one a run
 * misses is the one feedback names.
 */
#ifndef BACKLAB_DESIGN_H
#define BACKLAB_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"
#include "engine/concepts/resilience/resilience.h"

#define DESIGN_NAME_MAX RS_NAME_MAX     /* a name's bytes, with the NUL */
#define DESIGN_ABOUT_MAX 120            /* a kind's description, with the NUL */
#define DESIGN_MAX_KINDS 64
#define DESIGN_MAX_COMPONENTS RS_MAX_SERVICES
#define DESIGN_MAX_CALLS RS_MAX_CALLS
#define DESIGN_MAX_INSTANCES 1000
#define DESIGN_MAX_WORKERS 1000000      /* a service's, in lab.resilience */
#define DESIGN_MAX_QUEUE 10000000       /* a service's queue, in lab.resilience */
#define DESIGN_MAX_CACHE 100000000      /* items of a service's cache, in lab.resilience */
#define DESIGN_MAX_MEMORY 1e6           /* GB of one component */

/* One kind of component: what an instance of it has and costs. */
struct design_kind {
	char name[DESIGN_NAME_MAX];
	int workers;             /* requests one instance serves at once */
	double latency;          /* mean seconds of its own work for a read */
	double write_latency;    /* the same for a write */
	int queue;               /* requests one instance holds waiting */
	double price;            /* $ a month an instance */
	double memory_price;     /* $ a month a GB of memory */
	int memory;              /* 1: it holds a cache of `memory` GB */
	int read_only;           /* 1: a write that reaches it fails */
	int limiter;             /* 1: it takes `limit = {rate, burst}` */
	enum rs_dist dist;       /* of the work's duration */
	char about[DESIGN_ABOUT_MAX];
};

/* The catalog: DESIGN_NCATALOG kinds, in the order the page lists them. */
extern const struct design_kind design_catalog[];
extern const int design_ncatalog;

enum design_route { DESIGN_ROUTE_ALL, DESIGN_ROUTE_ONE, DESIGN_ROUTE_KEY };

/* What describe shows of one call (the simulator reads the rest). */
struct design_call {
	char to[DESIGN_NAME_MAX];
	int target;              /* index of the component called (design_check) */
	int ops;                 /* 0 all, 1 read, 2 write */
	int async;
	double timeout;          /* 0: none */
	int retries;
};

struct design_component {
	char name[DESIGN_NAME_MAX];
	char kindname[DESIGN_NAME_MAX];
	int kind;                /* index into the design's kinds (design_check) */
	int instances;
	int has_memory;          /* `memory` was given */
	double memory;           /* GB */
	int has_limit;           /* `limit` was given */
	enum design_route route;
	int ncalls;
	struct design_call calls[DESIGN_MAX_CALLS];
};

/* A design: its kinds (the catalog, then the problem's) and components. */
struct design {
	int nkinds;
	struct design_kind kinds[DESIGN_MAX_KINDS];
	int n;
	struct design_component c[DESIGN_MAX_COMPONENTS];
};

/* Gives D the catalog's kinds and no component. */
void design_init(struct design *d);

/* The index of the kind NAME in D, or -1. */
int design_find_kind(const struct design *d, const char *name);

/*
 * Adds kind K to D, or replaces the kind of the same name (a problem's
 * kinds override the catalog's). NULL, or a message in BUF naming what is
 * wrong (a value out of range, too many kinds).
 */
const char *design_set_kind(struct design *d, const struct design_kind *k, char *buf,
			    size_t size);

/*
 * Checks the components of D and resolves their kinds and calls: names
 * unique, kinds known, instances in range, memory given exactly for kinds
 * with memory, a limit only for a limiter, calls only to components listed
 * after the caller (the first is the entry; no cycles), and the compiled
 * workers within the simulator's. NULL, or a message in BUF naming the
 * component and the field.
 */
const char *design_check(struct design *d, char *buf, size_t size);

/* What component I of a checked design compiles to. */
struct design_service {
	int workers, queue;
	double latency, write_latency;
	enum rs_dist dist;
	int read_only;
	int64_t cache;           /* items; 0: none */
};

/*
 * Component I of D as a service, for items of SIZE bytes and KEYS distinct
 * keys (0: requests carry no key). A cache larger than the KEYS keys
 * holds every key, so its size is cut to KEYS (nothing changes: it never
 * evicts); a cache beyond DESIGN_MAX_CACHE items otherwise is an error.
 * 0, or -1 with a message in BUF.
 */
int design_compile(const struct design *d, int i, double size, int64_t keys,
		   struct design_service *out, char *buf, size_t bufsize);

/* $ a month of component I, and of the whole design. */
double design_component_cost(const struct design *d, int i);
double design_cost(const struct design *d);

/*
 * The bottleneck among the D->n components of a checked design: the
 * highest UTIL. Within 0.01 of it is a tie: then a component that calls,
 * directly or not, another tied one is left out (a caller blocked on a
 * saturated callee is as busy as it: the callee is the cause); among the
 * rest, the most REJECTED + SHED; then the one listed last. -1 when the
 * design has no component.
 */
int design_bottleneck(const struct design *d, const double *util, const uint64_t *rejected,
		      const uint64_t *shed);

/* 1 if component I is reached only by async calls (and is not the entry):
 * its jobs that fail are messages the system accepted and then dropped. */
int design_async_only(const struct design *d, int i);

/* "db: 100% busy, 2,310 requests rejected" into OUT. */
void design_bottleneck_text(struct sbuf *out, const char *name, double util,
			    uint64_t rejected, uint64_t shed);

/*
 * A text diagram of D: each component with its kind, instances, workers,
 * memory (cache items when SIZE > 0), its calls and their policies, its
 * cost; then the total. Appends to OUT.
 */
void design_describe(const struct design *d, double size, int64_t keys, struct sbuf *out);

/* ---- requirements ---- */

/* In the order they are checked. */
enum design_req {
	DESIGN_P99, DESIGN_READ_P99, DESIGN_WRITE_P99,
	DESIGN_SUCCESS, DESIGN_READ_SUCCESS, DESIGN_WRITE_SUCCESS,
	DESIGN_LOST, DESIGN_LAG, DESIGN_COST,
	DESIGN_NREQS
};

/* "p99", "read_p99", ... (the requirement's key in a problem). */
const char *design_req_key(enum design_req r);

/* 1: the figure must be at most the requirement; 0: at least. */
int design_req_upper(enum design_req r);

/* Figures of a run, or requirements: V[r] where HAS[r]. A figure that is
 * NaN means nothing was measured (no request of that op finished). */
struct design_figs {
	double v[DESIGN_NREQS];
	int has[DESIGN_NREQS];
};

/* The first requirement of NEED that GOT misses, or -1. A figure GOT does
 * not have, or has as NaN, misses. */
int design_missed(const struct design_figs *need, const struct design_figs *got);

/* Keeps in WORST the worse of WORST and F, figure by figure (the larger of
 * an upper bound, the smaller of a lower bound); NaN is the worst. */
void design_worst(struct design_figs *worst, const struct design_figs *f);

/*
 * Appends "p99 latency 412 ms, needs <= 100 ms (seed 2)" for requirement R
 * with the figure GOT and the requirement NEED (SEED < 0: no seed named).
 * Numbers get as many digits as it takes to tell GOT from NEED.
 */
void design_missed_text(struct sbuf *out, enum design_req r, double got, double need,
			int64_t seed);

#endif
