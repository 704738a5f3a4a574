/*
 * simfault.c — fault schedules and the nemesis of lab.sim; see sim.h.
 *
 * A fault is data (struct sim_fault) scheduled as an event; applying it
 * changes the network or a node and writes a record whose payload describes
 * the fault as a table, in the form the Lua binding reads and shows:
 *   {partition = {{1, 2}, {3, 4, 5}}}   {heal = true}
 *   {block = {from = {1}, to = {2, 3}}} {unblock = {from = {1}, to = {2, 3}}}
 *   {crash = 2}  {restart = 2}  {loss = 0.2}  {dup = 0.05}
 *   {latency = {dist = "exponential", mean = 0.01, min = 0.001}}
 *   {clock = 2, jump = -0.5}  {clock = 2, drift = 0.0001}
 */
#include "engine/concepts/sim/sim_int.h"
#include "engine/concepts/sim/simval.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

static int fault_fail(struct sim *s, const char *msg)
{
	sim_set_error(s, msg);
	return -1;
}

static const char *const dist_names[] = {"constant", "uniform", "exponential", "normal"};

const char *sim_dist_name(enum sim_dist d)
{
	return d <= SIM_NORMAL ? dist_names[d] : "?";
}

/* Writes the nodes with SET[i] != 0 as a list. */
static void node_list(struct simw *w, const uint16_t *set, uint32_t n, uint16_t want)
{
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += want ? set[i] == want : set[i] != 0;
	simw_table(w, k, 0);
	for (uint32_t i = 0; i < n; i++)
		if (want ? set[i] == want : set[i] != 0)
			simw_int(w, i + 1);
}

/* The groups of a partition, 0 entries made one more group. */
static uint16_t groups_of(const uint16_t *g, uint32_t n, uint16_t *out)
{
	uint16_t max = 0;
	for (uint32_t i = 0; i < n; i++)
		if (g[i] > max)
			max = g[i];
	int rest = 0;
	for (uint32_t i = 0; i < n; i++) {
		out[i] = g[i] ? g[i] : (uint16_t)(max + 1);
		rest |= !g[i];
	}
	return (uint16_t)(max + rest);
}

/* Encodes F (without its time) as a table into W. */
void sim_fault_encode(const struct sim *s, const struct sim_fault *f, struct simw *w)
{
	uint32_t n = s->n;
	switch (f->kind) {
	case SIM_F_PARTITION: {
		uint16_t *g = budget_malloc(n * sizeof *g);
		if (!g) {
			w->failed = 1;
			return;
		}
		uint16_t k = groups_of(f->group, n, g);
		size_t used = 0;
		for (uint16_t j = 1; j <= k; j++)
			for (uint32_t i = 0; i < n; i++)
				if (g[i] == j) {
					used++;
					break;
				}
		simw_table(w, 0, 1);
		simw_cstr(w, "partition");
		simw_table(w, used, 0);
		for (uint16_t j = 1; j <= k; j++) {
			int any = 0;
			for (uint32_t i = 0; i < n; i++)
				any |= g[i] == j;
			if (any)
				node_list(w, g, n, j);
		}
		budget_free(g);
		return;
	}
	case SIM_F_HEAL:
		simw_table(w, 0, 1);
		simw_kbool(w, "heal", 1);
		return;
	case SIM_F_BLOCK:
	case SIM_F_UNBLOCK:
		simw_table(w, 0, 1);
		simw_cstr(w, f->kind == SIM_F_BLOCK ? "block" : "unblock");
		simw_table(w, 0, 2);
		simw_cstr(w, "from");
		node_list(w, f->group, n, 0);
		simw_cstr(w, "to");
		node_list(w, f->to, n, 0);
		return;
	case SIM_F_CRASH:
	case SIM_F_RESTART:
		simw_table(w, 0, 1);
		simw_kint(w, f->kind == SIM_F_CRASH ? "crash" : "restart", f->node);
		return;
	case SIM_F_LOSS:
	case SIM_F_DUP:
		simw_table(w, 0, 1);
		simw_kfloat(w, f->kind == SIM_F_LOSS ? "loss" : "dup", f->value);
		return;
	case SIM_F_LATENCY: {
		const struct sim_latency *l = &f->latency;
		size_t k = l->dist == SIM_CONST ? 2 : l->dist == SIM_UNIFORM ? 3 : 4;
		if (l->dist == SIM_EXP)
			k = 3;
		simw_table(w, 0, 1);
		simw_cstr(w, "latency");
		simw_table(w, 0, k);
		simw_kstr(w, "dist", sim_dist_name(l->dist));
		if (l->dist == SIM_CONST) {
			simw_kfloat(w, "mean", l->mean);
		} else if (l->dist == SIM_UNIFORM) {
			simw_kfloat(w, "min", l->min);
			simw_kfloat(w, "max", l->max);
		} else if (l->dist == SIM_EXP) {
			simw_kfloat(w, "mean", l->mean);
			simw_kfloat(w, "min", l->min);
		} else {
			simw_kfloat(w, "mean", l->mean);
			simw_kfloat(w, "sd", l->sd);
			simw_kfloat(w, "min", l->min);
		}
		return;
	}
	case SIM_F_CLOCK:
	case SIM_F_DRIFT:
		simw_table(w, 0, 2);
		simw_kint(w, "clock", f->node);
		simw_kfloat(w, f->kind == SIM_F_CLOCK ? "jump" : "drift", f->value);
		return;
	}
}

static int has_sets(enum sim_fault_kind k)
{
	return k == SIM_F_PARTITION || k == SIM_F_BLOCK || k == SIM_F_UNBLOCK;
}

int sim_add_fault(struct sim *s, const struct sim_fault *f)
{
	int64_t at = sim_to_ns(f->at);
	if (!(f->at >= 0 && f->at <= SIM_MAX_TIME) || at < s->now)
		return fault_fail(s, "a fault's time must be now or later, at most 10^9 seconds");
	int node_kind = f->kind == SIM_F_CRASH || f->kind == SIM_F_RESTART ||
			f->kind == SIM_F_CLOCK || f->kind == SIM_F_DRIFT;
	if (node_kind && (f->node < 1 || f->node > s->n))
		return fault_fail(s, "a fault names a node that does not exist");
	if ((f->kind == SIM_F_LOSS || f->kind == SIM_F_DUP) && !(f->value >= 0 && f->value <= 1))
		return fault_fail(s, "loss and dup are probabilities between 0 and 1");
	if (f->kind == SIM_F_CLOCK && !(fabs(f->value) <= 1e6))
		return fault_fail(s, "a clock jump must be within 10^6 seconds");
	if (f->kind == SIM_F_DRIFT && !(fabs(f->value) <= 0.5))
		return fault_fail(s, "a drift must be within 0.5");
	if (f->kind > SIM_F_DRIFT)
		return fault_fail(s, "unknown fault");
	if (has_sets(f->kind) && (!f->group || (f->kind != SIM_F_PARTITION && !f->to)))
		return fault_fail(s, "a partition needs its groups");
	if (s->nfaults == s->capfaults) {
		size_t cap = s->capfaults ? 2 * s->capfaults : 16;
		struct sim_fault *x = budget_realloc(s->faults, cap * sizeof *x);
		if (!x)
			return fault_fail(s, "not enough memory for a fault");
		s->faults = x;
		s->capfaults = cap;
	}
	struct sim_fault c = *f;
	c.group = c.to = NULL;
	if (has_sets(f->kind)) {
		c.group = budget_malloc(s->n * sizeof *c.group);
		if (f->to)
			c.to = budget_malloc(s->n * sizeof *c.to);
		if (!c.group || (f->to && !c.to)) {
			budget_free(c.group);
			budget_free(c.to);
			return fault_fail(s, "not enough memory for a fault");
		}
		memcpy(c.group, f->group, s->n * sizeof *c.group);
		if (f->to)
			memcpy(c.to, f->to, s->n * sizeof *c.to);
	}
	struct ev e = {.at = at, .kind = EV_FAULT, .id = s->nfaults};
	if (sim_push(s, &e) != 0) {
		budget_free(c.group);
		budget_free(c.to);
		return -1;
	}
	s->faults[s->nfaults++] = c;
	return 0;
}

const struct sim_fault *sim_schedule(const struct sim *s, size_t *n)
{
	*n = s->nfaults;
	return s->faults;
}

/* Moves node I's clock base to now, so drift and skew can change. */
static void rebase(struct sim *s, uint32_t i)
{
	struct node *nd = &s->nodes[i];
	nd->base_local = sim_local_time(s, i + 1);
	nd->base_t = s->now;
}

static void set_links(struct sim *s, const struct sim_fault *f, uint8_t v)
{
	for (uint32_t a = 0; a < s->n; a++)
		for (uint32_t b = 0; b < s->n; b++)
			if (a != b && f->group[a] && f->to[b])
				s->oneway[(size_t)a * s->n + b] = v;
}

int sim_apply_fault(struct sim *s, size_t i)
{
	const struct sim_fault *f = &s->faults[i];
	switch (f->kind) {
	case SIM_F_PARTITION: groups_of(f->group, s->n, s->group); break;
	case SIM_F_HEAL:
		memset(s->group, 0, s->n * sizeof *s->group);
		memset(s->oneway, 0, (size_t)s->n * s->n);
		break;
	case SIM_F_BLOCK: set_links(s, f, 1); break;
	case SIM_F_UNBLOCK: set_links(s, f, 0); break;
	case SIM_F_CRASH: break; /* after the record, below */
	case SIM_F_RESTART: break;
	case SIM_F_LOSS: s->net.loss = f->value; break;
	case SIM_F_DUP: s->net.dup = f->value; break;
	case SIM_F_LATENCY: s->net.latency = f->latency; break;
	case SIM_F_CLOCK:
		rebase(s, f->node - 1);
		s->nodes[f->node - 1].base_local += f->value;
		break;
	case SIM_F_DRIFT:
		rebase(s, f->node - 1);
		s->nodes[f->node - 1].drift = f->value;
		break;
	}
	if (s->trace) {
		struct simw w = SIMW_INIT;
		sim_fault_encode(s, f, &w);
		struct simrec r = {.at = s->now, .kind = SIMR_FAULT, .why = (uint8_t)f->kind,
				   .a = f->node};
		if (!w.failed)
			sim_trace_add(s, &r, w.p, w.len);
		simw_free(&w);
	}
	if (f->kind == SIM_F_CRASH)
		return sim_crash_node(s, f->node);
	if (f->kind == SIM_F_RESTART)
		return sim_restart_node(s, f->node);
	return 0;
}

/* ---- the nemesis ---- */

/* A length of time: exponential with MEAN, at least a tenth of it. */
static double span(struct rng *r, double mean)
{
	double x = rng_exponential(r, 1.0 / mean);
	return x < mean / 10 ? mean / 10 : x;
}

/* Adds a fault of KIND at AT with the node sets G and TO; 0 or -1. */
static int add(struct sim *s, double at, enum sim_fault_kind kind, uint32_t node, double value,
	       uint16_t *g, uint16_t *to)
{
	struct sim_fault f = {.at = at, .kind = kind, .node = node, .value = value, .group = g,
			      .to = to};
	return sim_add_fault(s, &f);
}

/* Picks K distinct nodes at random: marks g[i] = 1 for them. */
static void pick(struct rng *r, uint32_t n, uint32_t k, uint16_t *g)
{
	memset(g, 0, n * sizeof *g);
	for (uint32_t chosen = 0; chosen < k;) {
		uint32_t i = (uint32_t)rng_below(r, n);
		if (!g[i]) {
			g[i] = 1;
			chosen++;
		}
	}
}

/* One fault episode of KIND over [t, t + d]; 0 or -1. */
static int episode(struct sim *s, const struct sim_nemesis *nm, unsigned kind, double t,
		   double d, uint16_t *g, uint16_t *to)
{
	struct rng *r = &s->nemesis_rng;
	uint32_t n = s->n, minority = (n - 1) / 2;
	switch (kind) {
	case SIM_N_PARTITION: {
		uint32_t k = minority ? 1 + (uint32_t)rng_below(r, minority) : 1;
		pick(r, n, k, g);
		for (uint32_t i = 0; i < n; i++)
			g[i] = g[i] ? 1 : 2;
		return add(s, t, SIM_F_PARTITION, 0, 0, g, NULL) || add(s, t + d, SIM_F_HEAL, 0, 0, NULL, NULL);
	}
	case SIM_N_ISOLATE: {
		pick(r, n, 1, g);
		for (uint32_t i = 0; i < n; i++)
			g[i] = g[i] ? 1 : 2;
		return add(s, t, SIM_F_PARTITION, 0, 0, g, NULL) || add(s, t + d, SIM_F_HEAL, 0, 0, NULL, NULL);
	}
	case SIM_N_ONEWAY: {
		pick(r, n, 1, g);
		for (uint32_t i = 0; i < n; i++)
			to[i] = !g[i];
		return add(s, t, SIM_F_BLOCK, 0, 0, g, to) || add(s, t + d, SIM_F_UNBLOCK, 0, 0, g, to);
	}
	case SIM_N_CRASH: {
		uint32_t most = nm->max_down ? nm->max_down : (minority ? minority : 1);
		if (most > n)
			most = n;
		uint32_t k = 1 + (uint32_t)rng_below(r, most);
		pick(r, n, k, g);
		for (uint32_t i = 0; i < n; i++)
			if (g[i] && add(s, t, SIM_F_CRASH, i + 1, 0, NULL, NULL) != 0)
				return -1;
		for (uint32_t i = 0; i < n; i++)
			if (g[i] && add(s, t + d, SIM_F_RESTART, i + 1, 0, NULL, NULL) != 0)
				return -1;
		return 0;
	}
	case SIM_N_LOSS:
		return add(s, t, SIM_F_LOSS, 0, nm->loss, NULL, NULL) ||
		       add(s, t + d, SIM_F_LOSS, 0, s->cfg.net.loss, NULL, NULL);
	case SIM_N_CLOCK: {
		uint32_t node = 1 + (uint32_t)rng_below(r, n);
		double jump = nm->clock_jump * (2 * rng_uniform(r) - 1);
		return add(s, t, SIM_F_CLOCK, node, jump, NULL, NULL);
	}
	}
	return 0;
}

int sim_nemesis(struct sim *s, const struct sim_nemesis *nm)
{
	if (!(nm->interval > 0 && nm->duration > 0 && nm->start >= 0 && nm->until <= SIM_MAX_TIME))
		return fault_fail(s, "the nemesis needs a positive interval and duration");
	if (!(nm->loss >= 0 && nm->loss <= 1))
		return fault_fail(s, "the nemesis's loss is a probability between 0 and 1");
	if (!(nm->clock_jump >= 0 && nm->clock_jump <= 1e6))
		return fault_fail(s, "the nemesis's clock jump must be between 0 and 10^6 seconds");
	unsigned kinds[6];
	int nk = 0;
	for (unsigned k = 1; k <= SIM_N_CLOCK; k <<= 1)
		if (nm->kinds & k)
			kinds[nk++] = k;
	if (nk == 0)
		return 0;
	uint16_t *g = budget_malloc(s->n * sizeof *g), *to = budget_malloc(s->n * sizeof *to);
	if (!g || !to) {
		budget_free(g);
		budget_free(to);
		return fault_fail(s, "not enough memory for the nemesis");
	}
	struct rng *r = &s->nemesis_rng;
	double t = nm->start + span(r, nm->interval);
	int added = 0;
	size_t before = s->nfaults;
	for (;;) {
		unsigned kind = kinds[rng_below(r, (uint64_t)nk)];
		double d = span(r, nm->duration);
		if (t + d > nm->until || t < sim_now(s))
			break;
		if (episode(s, nm, kind, t, d, g, to) != 0) {
			added = -1;
			break;
		}
		t += d + span(r, nm->interval);
		if (budget_stop()) {
			added = -1;
			fault_fail(s, budget_stop());
			break;
		}
	}
	budget_free(g);
	budget_free(to);
	return added < 0 ? -1 : (int)(s->nfaults - before);
}
