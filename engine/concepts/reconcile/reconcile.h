/*
 * reconcile.h — desired state against actual state, the model behind
 * infrastructure as code (Terraform's plan and apply) and Kubernetes
 * controllers: a plan of the actions that make the actual resources match
 * the declared ones, in an order that respects their dependencies, applied
 * idempotently; and a control loop that observes, plans and applies on a
 * simulated clock while the world drifts and actions fail.
 *
 * A resource is an id, a type, attributes (name -> value; values are
 * opaque byte strings compared exactly, the binding encodes Lua values into
 * them), the ids it depends on, and the attributes whose change forces a
 * replacement. Pure C: no Lua, no I/O, no wall clock; allocation through
 * budget.h.
 */
#ifndef BACKLAB_RECONCILE_H
#define BACKLAB_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#define REC_MAX_RESOURCES 2000
#define REC_MAX_ATTRS 64

struct rec_attr {
	char *name;
	char *value;  /* encoded by the caller; compared byte for byte */
	size_t vlen;
};

struct rec_res {
	char *id;
	char *type;
	struct rec_attr *attrs; /* names unique */
	size_t nattrs;
	char **deps;            /* ids this resource depends on */
	size_t ndeps;
	char **force_new;       /* attribute names whose change forces replacement */
	size_t nforce;
	int deleted;            /* marked by rec_apply_one; removed by rec_compact */
};

/* A set of resources; owns everything in it. */
struct rec_state {
	struct rec_res *res;
	size_t n;
};

enum rec_op { REC_CREATE, REC_UPDATE, REC_REPLACE, REC_DELETE };

struct rec_action {
	enum rec_op op;
	size_t desired; /* index in the desired state (create, update, replace) */
	size_t actual;  /* index in the actual state (update, replace, delete) */
	char **changed; /* update/replace: names of the attributes that differ; owned */
	size_t nchanged;
};

struct rec_plan {
	struct rec_action *a;
	size_t n;
};

/* Frees everything S owns and empties it. */
void rec_state_free(struct rec_state *s);

/*
 * Checks a desired state: ids unique and non-empty, dependencies on ids of
 * the state, no cycle. Returns NULL, or a message in BUF.
 */
const char *rec_validate(const struct rec_state *desired, char *buf, size_t size);

/*
 * The plan that makes ACTUAL match DESIRED (which rec_validate accepted):
 * create what is missing, update what differs (replace when an attribute
 * named in force_new differs, or the type does), delete what is not
 * desired. Creates, updates and replaces come in an order where every
 * resource follows those it depends on (ties: the desired state's order);
 * deletes come last, each before what it depended on. Returns 0, or -1
 * without memory.
 */
int rec_plan(const struct rec_state *desired, const struct rec_state *actual,
	     struct rec_plan *p);

void rec_plan_free(struct rec_plan *p);

/*
 * Applies action K of P (made from DESIRED and the state now in ACTUAL) to
 * ACTUAL in place: after every action of a plan, ACTUAL equals DESIRED.
 * Indexes of later actions stay valid: deletes only mark, and
 * rec_compact() removes the marked resources once the plan is done.
 * Returns 0, or -1 without memory.
 */
int rec_apply_one(struct rec_state *actual, const struct rec_state *desired,
		  const struct rec_action *a);
void rec_compact(struct rec_state *actual);

/* Index of resource ID in S (not marked deleted), or (size_t)-1. */
size_t rec_find(const struct rec_state *s, const char *id);

/* ---- the control loop ---- */

struct rec_drift {
	double at;          /* seconds */
	const char *id;     /* the resource changed behind the controller's back */
	const char *attr;   /* NULL: the resource is deleted */
	const char *value;  /* the attribute's new value (encoded) */
	size_t vlen;
};

struct rec_loop_config {
	double interval;    /* seconds between reconciliations; > 0 */
	double until;       /* seconds simulated */
	double fail;        /* probability that one action fails, [0, 1) */
	uint64_t seed;
	const struct rec_drift *drift; /* sorted by time */
	size_t ndrift;
};

struct rec_tick {
	double t;
	size_t planned, applied, failed;
	size_t blocked;     /* not tried: a resource it depends on (or that depends
	                       on it, for a delete) is not where it must be yet */
	int converged;      /* actual equals desired after this tick */
};

struct rec_loop_report {
	struct rec_tick *ticks; /* owned */
	size_t nticks;
	double first_converged;  /* time of the first tick that converged; < 0: never */
	size_t applied, failed, blocked;
	double out_of_sync;      /* seconds actual differed from desired, between ticks */
};

/*
 * Runs the loop from ACTUAL (modified in place) towards DESIRED: at t = 0,
 * interval, 2 interval, ... up to UNTIL, plan and apply every action (each
 * failing with probability FAIL, drawn from SEED; an action whose
 * dependencies are not in place yet is not tried); drift events change
 * ACTUAL at their times. Returns 0, or -1 without memory (then R is empty).
 */
int rec_loop(struct rec_state *actual, const struct rec_state *desired,
	     const struct rec_loop_config *c, struct rec_loop_report *r);
void rec_loop_report_free(struct rec_loop_report *r);

#endif
