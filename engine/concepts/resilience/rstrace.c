/*
 * rstrace.c — spans of sampled client requests (resilience.h, "traces"):
 * head-based sampling at the client, ids drawn as W3C Trace Context ids,
 * and the end of the run, where a trace whose request never finished is
 * left out and the spans still open in the others are closed.
 *
 * Sampling and ids draw from their own generators (seeded from
 * trace_seed), so turning tracing on changes nothing else in the run.
 */
#include "engine/concepts/resilience/rsim.h"
#include "engine/base/budget.h"
#include "engine/concepts/trace/trace.h"

#include <string.h>

static const char *const status_names[RS_NSTATUS] = {
	"open", "ok", "degraded", "error", "failed", "timeout", "breaker", "bulkhead",
	"rejected", "shed", "crashed", "unfinished"};

const char *rs_span_status_name(enum rs_span_status s)
{
	return s < RS_NSTATUS ? status_names[s] : "?";
}

const char *rs_span_kind_name(enum rs_span_kind k)
{
	return k == RS_SPAN_REQUEST ? "request" : k == RS_SPAN_CLIENT ? "client" : "server";
}

/* A new span (its id drawn now) starting now in the trace of PARENT (or,
 * for a root, the last trace); its index, or -1 when memory runs out. */
int rs_span_open(struct sim *s, int parent, enum rs_span_kind kind, int service, int peer,
		 int attempt)
{
	struct rs_result *r = s->r;
	if (r->nspans == s->cap_spans) {
		size_t cap = s->cap_spans ? 2 * s->cap_spans : 256;
		struct rs_span *p = budget_realloc(r->spans, cap * sizeof *p);
		if (!p)
			return s->failed = "not enough memory", -1;
		r->spans = p;
		s->cap_spans = cap;
	}
	struct rs_span *x = &r->spans[r->nspans];
	*x = (struct rs_span){.trace = parent >= 0 ? r->spans[parent].trace : (uint32_t)(r->ntraces - 1),
			      .parent = parent, .kind = kind, .service = service, .peer = peer,
			      .attempt = attempt, .status = RS_ST_OPEN, .start = s->now,
			      .finish = s->now};
	trace_id_hex(&s->id_state, x->id, 8);
	return (int)r->nspans++;
}

void rs_span_end(struct sim *s, int span, enum rs_span_status status)
{
	if (span < 0)
		return;
	struct rs_span *x = &s->r->spans[span];
	if (x->status != RS_ST_OPEN)
		return;
	x->status = status;
	x->finish = s->now;
}

/* Whether the client request made now is traced: then a new trace and
 * its REQUEST span, whose index it returns; -1 when not; -2 on failure. */
int rs_trace_request(struct sim *s)
{
	const struct rs_config *c = s->c;
	struct rs_result *r = s->r;
	if (c->trace_sample <= 0 || r->ntraces >= (size_t)c->trace_max)
		return -1;
	if (c->trace_sample < 1 && rng_uniform(&s->r_trace) >= c->trace_sample)
		return -1;
	if (r->ntraces == 0) {
		r->traces = budget_malloc((size_t)c->trace_max * sizeof *r->traces);
		if (!r->traces)
			return s->failed = "not enough memory", -2;
	}
	struct rs_trace *t = &r->traces[r->ntraces++];
	trace_id_hex(&s->id_state, t->id, 16);
	int root = rs_span_open(s, -1, RS_SPAN_REQUEST, -1, -1, 0);
	if (root < 0)
		return -2;
	t->root = (uint32_t)root;
	return root;
}

/*
 * At the run's END: the traces whose request is still open are left out
 * (a root span that never ended is never exported), with their spans; the
 * spans still open in the other traces (a callee still working for a
 * caller that gave up) end at END as "unfinished". Indexes are renumbered.
 * Returns 0, or -1 when memory runs out.
 */
int rs_trace_close(struct sim *s, double end)
{
	struct rs_result *r = s->r;
	if (!r->ntraces)
		return 0;
	int32_t *map = budget_malloc((r->nspans ? r->nspans : 1) * sizeof *map);
	uint32_t *newtrace = budget_malloc(r->ntraces * sizeof *newtrace);
	if (!map || !newtrace) {
		budget_free(map);
		budget_free(newtrace);
		return s->failed = "not enough memory", -1;
	}
	size_t nt = 0, ns = 0;
	for (size_t i = 0; i < r->ntraces; i++) {
		if (r->spans[r->traces[i].root].status == RS_ST_OPEN) {
			newtrace[i] = UINT32_MAX;
			continue;
		}
		newtrace[i] = (uint32_t)nt;
		r->traces[nt++] = r->traces[i];   /* nt <= i: moves down only */
	}
	/* spans: a parent always comes before its children */
	for (size_t i = 0; i < r->nspans; i++) {
		struct rs_span x = r->spans[i];
		uint32_t t = newtrace[x.trace];
		if (t == UINT32_MAX) {
			map[i] = -1;
			continue;
		}
		x.trace = t;
		x.parent = x.parent >= 0 ? map[x.parent] : -1;
		if (x.status == RS_ST_OPEN) {
			x.status = RS_ST_UNFINISHED;
			x.finish = end;
		}
		map[i] = (int32_t)ns;
		r->spans[ns++] = x;
	}
	for (size_t i = 0; i < r->nspans; i++)
		if (map[i] >= 0 && r->spans[map[i]].parent < 0)
			r->traces[r->spans[map[i]].trace].root = (uint32_t)map[i];
	budget_free(newtrace);
	budget_free(map);
	r->ntraces = nt;
	r->nspans = ns;
	return 0;
}
