/* Unit tests of engine/concepts/sim: the event order, the network's faults,
 * crashes, clocks, clients, determinism, the value codec. */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/sim/sim.h"
#include "engine/concepts/sim/simdraw.h"
#include "engine/concepts/sim/simtrace.h"
#include "engine/concepts/sim/simval.h"

#include <math.h>

/* ---- a chatty test behaviour ---- */

struct vol {
	int64_t got;       /* messages received this incarnation */
	uint64_t timer;
};
struct dur {
	int64_t got;       /* messages received ever */
	int starts, restarts;
};

static int chat_start(struct sim_ctx *c, int restart)
{
	struct dur *d = c->dur;
	d->starts++;
	d->restarts += restart;
	struct vol *v = c->vol;
	double delay = 0.001 + 0.01 * rng_uniform(sim_rng(c->sim, c->node));
	v->timer = sim_set_timer(c->sim, c->node, delay, NULL, 0);
	return v->timer ? 0 : -1;
}

static int chat_timer(struct sim_ctx *c, uint64_t timer, const uint8_t *tag, size_t len)
{
	struct sim *s = c->sim;
	uint32_t n = sim_nodes(s);
	uint32_t to = 1 + (uint32_t)rng_below(sim_rng(s, c->node), n);
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 2);
	simw_kstr(&w, "type", "chat");
	simw_kint(&w, "from", c->node);
	uint64_t id = sim_send(s, c->node, to, w.p, w.len);
	simw_free(&w);
	if (!id) {
		sim_abort(s, "send failed: %s", sim_error(s));
		return -1;
	}
	struct vol *v = c->vol;
	v->timer = sim_set_timer(s, c->node, 0.002 + 0.02 * rng_uniform(sim_rng(s, c->node)), NULL, 0);
	return 0;
}

static int chat_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	((struct vol *)c->vol)->got++;
	((struct dur *)c->dur)->got++;
	return 0;
}

static int chat_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct simv v = simv_of(op, len);
	if (simv_getint(v, "delay", 0))
		return 0; /* never answers: the client times out */
	struct simw w = SIMW_INIT;
	simw_int(&w, ((struct dur *)c->dur)->got);
	int rc = sim_reply(c->sim, c->node, req, 1, w.p, w.len);
	simw_free(&w);
	return rc < 0 ? -1 : 0;
}

static const struct sim_behaviour chat = {
	.name = "chat",
	.vol_size = sizeof(struct vol),
	.dur_size = sizeof(struct dur),
	.start = chat_start,
	.receive = chat_receive,
	.timer = chat_timer,
	.request = chat_request,
};

static struct sim *chat_sim(uint64_t seed, uint32_t n, double loss)
{
	struct sim_config c = sim_config_default();
	c.nodes = n;
	c.seed = seed;
	c.net.latency = (struct sim_latency){.dist = SIM_EXP, .mean = 0.005, .min = 0.001};
	c.net.loss = loss;
	c.net.dup = 0.05;
	c.net.reorder = 0.1;
	c.clock_skew = 0.1;
	c.clock_drift = 1e-3;
	struct sim *s = sim_new(&c);
	for (uint32_t i = 1; s && i <= n; i++)
		if (sim_add_node(s, i, &chat, NULL, NULL) != 0)
			return NULL;
	return s;
}

static char *trace_text(struct sim *s)
{
	struct sbuf sb = SBUF_INIT;
	struct simtrace_filter f = {.to = -1, .kinds = ~0u, .limit = (size_t)-1};
	simtrace_text(&sb, sim_trace(s), &f);
	return sbuf_detach(&sb);
}

static struct sim *nemesis_run(uint64_t seed)
{
	struct sim *s = chat_sim(seed, 5, 0.05);
	if (!s)
		return NULL;
	struct sim_nemesis nm = {.kinds = SIM_N_PARTITION | SIM_N_ISOLATE | SIM_N_ONEWAY |
					  SIM_N_CRASH | SIM_N_LOSS | SIM_N_CLOCK,
				 .start = 0.1, .until = 12, .interval = 0.2, .duration = 0.3,
				 .loss = 0.5, .clock_jump = 0.5};
	if (sim_nemesis(s, &nm) < 0)
		return NULL;
	for (int i = 0; i < 20; i++) {
		struct simw w = SIMW_INIT;
		simw_table(&w, 0, 1);
		simw_kstr(&w, "f", "read");
		sim_request(s, 0.1 * i, 1 + i % 3, 1 + i % 5, w.p, w.len, 0.05);
		simw_free(&w);
	}
	if (sim_run(s, 12.5, 0) != SIM_UNTIL)
		return NULL;
	return s;
}

static void t_same_seed_same_trace(void)
{
	struct sim *a = nemesis_run(42), *b = nemesis_run(42), *c = nemesis_run(43);
	CHECK(a && b && c);
	char *ta = trace_text(a), *tb = trace_text(b), *tc = trace_text(c);
	CHECK(strlen(ta) > 10000);
	CHECK(strcmp(ta, tb) == 0);
	CHECK(strcmp(ta, tc) != 0);
	/* every kind of fault happened in this run */
	CHECK(strstr(ta, "partition") && strstr(ta, "CRASH") && strstr(ta, "restart") &&
	      strstr(ta, "lost") && strstr(ta, "dup"));
	free(ta);
	free(tb);
	free(tc);
	sim_free(a);
	sim_free(b);
	sim_free(c);
}

/* A behaviour that records the order in which its timers fire. */
static int order_log[64], order_n;

static int order_start(struct sim_ctx *c, int restart)
{
	for (int i = 0; i < 10; i++) {
		struct simw w = SIMW_INIT;
		simw_int(&w, i);
		sim_set_timer(c->sim, c->node, i % 2 ? 1.0 : 0.5, w.p, w.len);
		simw_free(&w);
	}
	return 0;
}

static int order_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	int64_t x;
	simv_int(simv_of(tag, len), &x);
	if (order_n < 64)
		order_log[order_n++] = (int)x;
	return 0;
}

static void t_tie_break(void)
{
	static const struct sim_behaviour b = {.start = order_start, .timer = order_timer};
	struct sim_config c = sim_config_default();
	c.nodes = 1;
	struct sim *s = sim_new(&c);
	CHECK(s && sim_add_node(s, 1, &b, NULL, NULL) == 0);
	order_n = 0;
	CHECK(sim_run(s, 2, 0) == SIM_IDLE);
	/* due 0.5: 0 2 4 6 8 in the order set; then due 1.0: 1 3 5 7 9 */
	static const int want[] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
	CHECK_INT(order_n, 10);
	for (int i = 0; i < 10; i++)
		CHECK_INT(order_log[i], want[i]);
	CHECK(fabs(sim_now(s) - 2) < 1e-12);
	sim_free(s);
}

/* ---- a behaviour that sends on request, to test the network ---- */

static int64_t recv_count[8][8];

static int net_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	recv_count[from][c->node]++;
	return 0;
}

static const struct sim_behaviour quiet = {.receive = net_receive};

static struct sim *net_sim(uint32_t n, uint64_t seed, double loss, double dup)
{
	struct sim_config c = sim_config_default();
	c.nodes = n;
	c.seed = seed;
	c.net.loss = loss;
	c.net.dup = dup;
	c.net.latency = (struct sim_latency){.dist = SIM_UNIFORM, .min = 0.001, .max = 0.050};
	struct sim *s = sim_new(&c);
	for (uint32_t i = 1; s && i <= n; i++)
		sim_add_node(s, i, &quiet, NULL, NULL);
	memset(recv_count, 0, sizeof recv_count);
	return s;
}

static void send_all(struct sim *s, int times)
{
	uint32_t n = sim_nodes(s);
	static const uint8_t nil[] = {SIMVAL_NIL};
	for (int k = 0; k < times; k++)
		for (uint32_t a = 1; a <= n; a++)
			for (uint32_t b = 1; b <= n; b++)
				if (a != b)
					sim_send(s, a, b, nil, 1);
}

static void t_partition_groups(void)
{
	struct sim *s = net_sim(5, 1, 0, 0);
	CHECK(s);
	uint16_t g[5] = {1, 1, 2, 2, 0}; /* {1,2} {3,4} and {5} alone */
	struct sim_fault f = {.at = 0, .kind = SIM_F_PARTITION, .group = g};
	CHECK(sim_add_fault(s, &f) == 0);
	CHECK(sim_run(s, 0.5, 0) != SIM_ERROR);
	send_all(s, 1);
	sim_run(s, 1, 0);
	CHECK_INT(recv_count[1][2], 1);
	CHECK_INT(recv_count[3][4], 1);
	CHECK_INT(recv_count[1][3], 0);
	CHECK_INT(recv_count[5][1], 0);
	CHECK_INT(recv_count[4][5], 0);
	struct sim_fault h = {.at = 1, .kind = SIM_F_HEAL};
	CHECK(sim_add_fault(s, &h) == 0);
	sim_run(s, 1.5, 0);
	send_all(s, 1);
	sim_run(s, 2, 0);
	CHECK_INT(recv_count[1][3], 1);
	CHECK_INT(recv_count[5][1], 1);
	struct sim_stats st;
	sim_stats(s, &st);
	CHECK_INT(st.dropped_partition, 20 - 4);
	sim_free(s);
}

static void t_partition_at_delivery(void)
{
	/* a message in flight when the partition starts is cut on arrival */
	struct sim *s = net_sim(2, 1, 0, 0);
	CHECK(s);
	sim_run(s, 0, 0);
	send_all(s, 1);                       /* arrivals within 1..50 ms */
	uint16_t g[2] = {1, 2};
	struct sim_fault f = {.at = 0.0005, .kind = SIM_F_PARTITION, .group = g};
	CHECK(sim_add_fault(s, &f) == 0);
	sim_run(s, 1, 0);
	CHECK_INT(recv_count[1][2] + recv_count[2][1], 0);
	struct sim_stats st;
	sim_stats(s, &st);
	CHECK_INT(st.dropped_partition, 2);
	sim_free(s);
}

static void t_oneway(void)
{
	struct sim *s = net_sim(3, 1, 0, 0);
	CHECK(s);
	uint16_t from[3] = {1, 0, 0}, to[3] = {0, 1, 1};
	struct sim_fault f = {.at = 0, .kind = SIM_F_BLOCK, .group = from, .to = to};
	CHECK(sim_add_fault(s, &f) == 0);
	sim_run(s, 0, 0);
	CHECK(sim_blocked(s, 1, 2) && sim_blocked(s, 1, 3) && !sim_blocked(s, 2, 1));
	send_all(s, 1);
	sim_run(s, 1, 0);
	CHECK_INT(recv_count[1][2], 0);
	CHECK_INT(recv_count[2][1], 1);
	CHECK_INT(recv_count[3][1], 1);
	CHECK_INT(recv_count[2][3], 1);
	struct sim_fault u = {.at = 1, .kind = SIM_F_UNBLOCK, .group = from, .to = to};
	CHECK(sim_add_fault(s, &u) == 0);
	sim_run(s, 1, 0);
	CHECK(!sim_blocked(s, 1, 2));
	sim_free(s);
}

static void t_loss_and_dup_rates(void)
{
	struct sim *s = net_sim(2, 7, 0.3, 0.2);
	CHECK(s);
	sim_run(s, 0, 0);
	send_all(s, 5000); /* 10000 messages */
	sim_run(s, 10, 0);
	struct sim_stats st;
	sim_stats(s, &st);
	CHECK_INT(st.sent, 10000);
	CHECK(st.dropped_loss > 2800 && st.dropped_loss < 3200);
	/* duplicates only of messages not lost: 0.7 * 0.2 = 14% */
	CHECK(st.duplicated > 1200 && st.duplicated < 1600);
	CHECK_INT(st.delivered, st.sent - st.dropped_loss + st.duplicated);
	sim_free(s);
}

/* Records the sequence numbers each link delivers, to test FIFO. */
static int64_t last_seq[4][4];
static int fifo_broken;

static int fifo_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	int64_t x;
	simv_int(simv_of(msg, len), &x);
	if (x < last_seq[from][c->node])
		fifo_broken = 1;
	last_seq[from][c->node] = x;
	return 0;
}

static int count_reorders(int fifo, uint64_t seed)
{
	static const struct sim_behaviour b = {.receive = fifo_receive};
	struct sim_config c = sim_config_default();
	c.nodes = 3;
	c.seed = seed;
	c.net.fifo = fifo;
	c.net.reorder = 0.2;
	c.net.dup = 0.1;
	c.net.latency = (struct sim_latency){.dist = SIM_EXP, .mean = 0.01, .min = 0.001};
	struct sim *s = sim_new(&c);
	for (uint32_t i = 1; i <= 3; i++)
		sim_add_node(s, i, &b, NULL, NULL);
	memset(last_seq, 0, sizeof last_seq);
	fifo_broken = 0;
	sim_run(s, 0, 0);
	for (int k = 1; k <= 500; k++) {
		struct simw w = SIMW_INIT;
		simw_int(&w, k);
		sim_send(s, 1, 2, w.p, w.len);
		sim_send(s, 3, 2, w.p, w.len);
		simw_free(&w);
		sim_run(s, 0.001 * k, 0);
	}
	sim_run(s, 10, 0);
	sim_free(s);
	return fifo_broken;
}

static void t_fifo_links(void)
{
	for (uint64_t seed = 1; seed <= 5; seed++) {
		CHECK(count_reorders(1, seed) == 0);
		CHECK(count_reorders(0, seed) == 1);
	}
}

static void t_crash_restart(void)
{
	struct sim *s = chat_sim(3, 3, 0);
	CHECK(s);
	struct sim_fault crash = {.at = 1, .kind = SIM_F_CRASH, .node = 2};
	struct sim_fault restart = {.at = 2, .kind = SIM_F_RESTART, .node = 2};
	CHECK(sim_add_fault(s, &crash) == 0 && sim_add_fault(s, &restart) == 0);
	CHECK(sim_run(s, 1.5, 0) == SIM_UNTIL);
	CHECK(!sim_up(s, 2));
	struct sim_ctx c2 = sim_ctx_of(s, 2);
	int64_t before = ((struct dur *)c2.dur)->got;
	CHECK(before > 0);
	CHECK(sim_run(s, 1.99, 0) == SIM_UNTIL);
	CHECK_INT(((struct dur *)c2.dur)->got, before); /* down: receives nothing */
	struct sim_stats st;
	sim_stats(s, &st);
	CHECK(st.dropped_down > 0);
	CHECK(sim_run(s, 2.0001, 0) == SIM_UNTIL);
	CHECK(sim_up(s, 2));
	CHECK_INT(sim_incarnation(s, 2), 2);
	CHECK_INT(((struct dur *)c2.dur)->restarts, 1);
	CHECK_INT(((struct dur *)c2.dur)->got, before); /* durable kept */
	CHECK_INT(((struct vol *)c2.vol)->got, 0);      /* volatile zeroed */
	/* the timers of the first incarnation died: n2 sends only from its
	 * new start on, so its sends over (1, 2) are none */
	size_t n = simtrace_count(sim_trace(s)), sends = 0;
	for (size_t i = 0; i < n; i++) {
		const struct simrec *r = simtrace_get(sim_trace(s), i);
		if (r->kind == SIMR_SEND && r->a == 2 && r->at > 1e9 && r->at < 2e9)
			sends++;
	}
	CHECK_INT(sends, 0);
	sim_free(s);
}

/* A behaviour reading its local clock when its timer fires. */
static double local_at_fire;

static int clock_start(struct sim_ctx *c, int restart)
{
	sim_set_timer(c->sim, c->node, 10.0, NULL, 0);
	return 0;
}

static int clock_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	local_at_fire = sim_local_time(c->sim, c->node);
	return 0;
}

static void t_clocks(void)
{
	static const struct sim_behaviour b = {.start = clock_start, .timer = clock_timer};
	struct sim_config c = sim_config_default();
	c.nodes = 1;
	struct sim *s = sim_new(&c);
	CHECK(sim_add_node(s, 1, &b, NULL, NULL) == 0);
	struct sim_fault drift = {.at = 0, .kind = SIM_F_DRIFT, .node = 1, .value = 0.25};
	struct sim_fault jump = {.at = 4, .kind = SIM_F_CLOCK, .node = 1, .value = -1};
	CHECK(sim_add_fault(s, &drift) == 0 && sim_add_fault(s, &jump) == 0);
	CHECK(sim_run(s, 3, 0) == SIM_UNTIL);
	/* the drift is applied after the timer was set with drift 0 */
	CHECK(fabs(sim_local_time(s, 1) - 3.75) < 1e-9); /* 3 s at 1.25 */
	CHECK(sim_run(s, 4.5, 0) == SIM_UNTIL);
	CHECK(fabs(sim_local_time(s, 1) - (5.0 - 1 + 0.625)) < 1e-9);
	sim_run(s, 20, 0);
	CHECK(fabs(local_at_fire - (4.625 + 5.5 * 1.25)) < 1e-6); /* fired at t = 10 */
	sim_free(s);
	/* drawn skews are within the bound and differ between nodes */
	c.nodes = 5;
	c.clock_skew = 0.5;
	s = sim_new(&c);
	double seen = 0;
	for (uint32_t i = 1; i <= 5; i++) {
		double skew, dr;
		sim_clock_of(s, i, &skew, &dr);
		CHECK(fabs(skew) <= 0.5);
		CHECK(skew != seen);
		seen = skew;
	}
	sim_free(s);
}

static void t_requests(void)
{
	struct sim *s = chat_sim(5, 2, 0);
	CHECK(s);
	struct sim_fault crash = {.at = 1, .kind = SIM_F_CRASH, .node = 2};
	CHECK(sim_add_fault(s, &crash) == 0);
	struct simw w = SIMW_INIT, d = SIMW_INIT;
	simw_table(&w, 0, 1);
	simw_kstr(&w, "f", "read");
	simw_table(&d, 0, 1);
	simw_kint(&d, "delay", 1);
	uint64_t ok = sim_request(s, 0.5, 1, 1, w.p, w.len, 0);
	uint64_t refused = sim_request(s, 1.5, 2, 2, w.p, w.len, 0);
	uint64_t slow = sim_request(s, 0.5, 3, 1, d.p, d.len, 0.25);
	uint64_t never = sim_request(s, 0.5, 4, 1, d.p, d.len, 0);
	simw_free(&w);
	simw_free(&d);
	CHECK(ok && refused && slow && never);
	sim_run(s, 3, 0);
	size_t n;
	const struct sim_op *h = sim_history(s, &n);
	CHECK_INT(n, 4);
	CHECK_INT(h[ok - 1].status, SIM_OP_OK);
	CHECK_INT(h[ok - 1].invoke, 500000000);
	CHECK_INT(h[ok - 1].complete, 500000000);
	CHECK_INT(h[refused - 1].status, SIM_OP_FAIL);
	CHECK_INT(h[slow - 1].status, SIM_OP_INFO);
	CHECK_INT(h[slow - 1].complete, 750000000);
	CHECK_INT(h[never - 1].status, SIM_OP_PENDING);
	CHECK_INT(h[never - 1].complete, -1);
	/* a reply to a closed request is refused */
	CHECK_INT(sim_reply(s, 1, slow, 1, NULL, 0), 0);
	sim_free(s);
}

static void t_nemesis_bounds(void)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct sim *s = chat_sim(seed, 7, 0);
		CHECK(s);
		struct sim_nemesis nm = {.kinds = SIM_N_CRASH | SIM_N_PARTITION, .start = 1,
					 .until = 30, .interval = 1, .duration = 2, .max_down = 3};
		int k = sim_nemesis(s, &nm);
		CHECK(k > 0);
		size_t nf;
		const struct sim_fault *f = sim_schedule(s, &nf);
		int down = 0, most = 0;
		/* episodes are sequential, so in addition order crashes and
		 * restarts of one episode are grouped */
		for (size_t i = 0; i < nf; i++) {
			CHECK(f[i].at >= 1 && f[i].at <= 30);
			if (f[i].kind == SIM_F_CRASH)
				down++;
			if (f[i].kind == SIM_F_RESTART)
				down--;
			most = down > most ? down : most;
		}
		CHECK(most <= 3);
		CHECK_INT(down, 0);
		sim_run(s, 31, 0);
		for (uint32_t i = 1; i <= 7; i++)
			CHECK(sim_up(s, i));
		sim_free(s);
	}
}

/* ---- latency distributions ---- */

struct lat_stats {
	size_t n, at_min;
	double mean, sd, lo, hi; /* seconds */
};

/* Sends COUNT messages n1 -> n2 at time 0 over latency L, and returns
 * the latencies the trace shows (delivery time - send time). */
static int latencies(const struct sim_latency *l, int count, struct lat_stats *out)
{
	struct sim_config c = sim_config_default();
	c.nodes = 2;
	c.seed = 11;
	c.net.latency = *l;
	struct sim *s = sim_new(&c);
	if (!s || sim_add_node(s, 2, &quiet, NULL, NULL) != 0)
		return -1;
	static const uint8_t nil[] = {SIMVAL_NIL};
	sim_run(s, 0, 0);
	for (int i = 0; i < count; i++)
		if (!sim_send(s, 1, 2, nil, 1))
			return -1;
	sim_run(s, SIM_MAX_TIME, 0);
	struct simtrace *t = sim_trace(s);
	double sum = 0, sq = 0;
	*out = (struct lat_stats){.lo = 1e9, .hi = -1};
	for (size_t i = 0; i < simtrace_count(t); i++) {
		const struct simrec *r = simtrace_get(t, i);
		if (r->kind != SIMR_DELIVER)
			continue;
		double x = (double)(r->at - r->aux) / 1e9;
		out->n++;
		sum += x;
		sq += x * x;
		out->lo = x < out->lo ? x : out->lo;
		out->hi = x > out->hi ? x : out->hi;
		out->at_min += r->at - r->aux == sim_to_ns(l->min);
	}
	out->mean = sum / (double)out->n;
	out->sd = sqrt(sq / (double)out->n - out->mean * out->mean);
	sim_free(s);
	return 0;
}

static void t_latency_distributions(void)
{
	/* 20,000 draws each: the means are within 5 standard errors */
	struct lat_stats st;
	struct sim_latency k = {.dist = SIM_CONST, .mean = 0.01};
	CHECK(latencies(&k, 20000, &st) == 0 && st.n == 20000);
	CHECK(st.lo == 0.01 && st.hi == 0.01);
	struct sim_latency u = {.dist = SIM_UNIFORM, .min = 0.002, .max = 0.012};
	CHECK(latencies(&u, 20000, &st) == 0 && st.n == 20000);
	CHECK(st.lo >= 0.002 && st.hi <= 0.012 && st.lo < 0.0021 && st.hi > 0.0119);
	CHECK(fabs(st.mean - 0.007) < 1e-4);
	CHECK(fabs(st.sd - 0.01 / sqrt(12)) < 1e-4);
	struct sim_latency e = {.dist = SIM_EXP, .mean = 0.005, .min = 0.001};
	CHECK(latencies(&e, 20000, &st) == 0 && st.n == 20000);
	CHECK(st.lo >= 0.001 && st.lo < 0.00101 && st.hi > 0.02);
	CHECK(fabs(st.mean - 0.005) < 1.5e-4);
	CHECK(fabs(st.sd - 0.004) < 2e-4); /* an exponential's sd is its mean (above min) */
	struct sim_latency nm = {.dist = SIM_NORMAL, .mean = 0.01, .sd = 0.002};
	CHECK(latencies(&nm, 20000, &st) == 0 && st.n == 20000);
	CHECK(fabs(st.mean - 0.01) < 7e-5 && fabs(st.sd - 0.002) < 7e-5);
	CHECK(st.lo > 0.01 - 6 * 0.002 && st.hi < 0.01 + 6 * 0.002);
	/* truncated: a draw below min is taken as min, P(X < min) of them:
	 * Phi((0.0005 - 0.001) / 0.002) = Phi(-0.25) = 0.4013 */
	struct sim_latency nt = {.dist = SIM_NORMAL, .mean = 0.001, .sd = 0.002, .min = 0.0005};
	CHECK(latencies(&nt, 20000, &st) == 0 && st.n == 20000);
	CHECK(st.lo == 0.0005);
	CHECK(fabs((double)st.at_min / 20000 - 0.4013) < 0.018);
}

static void t_latency_fault(void)
{
	/* a latency fault changes the distribution of messages sent after it */
	struct sim *s = net_sim(2, 3, 0, 0);
	CHECK(s);
	struct sim_fault f = {.at = 1, .kind = SIM_F_LATENCY,
			      .latency = {.dist = SIM_CONST, .mean = 0.2}};
	CHECK(sim_add_fault(s, &f) == 0);
	sim_run(s, 0.5, 0);
	send_all(s, 50); /* uniform 1..50 ms */
	sim_run(s, 1, 0);
	send_all(s, 50);
	sim_run(s, 3, 0);
	struct simtrace *t = sim_trace(s);
	int before = 0, after = 0;
	for (size_t i = 0; i < simtrace_count(t); i++) {
		const struct simrec *r = simtrace_get(t, i);
		if (r->kind != SIMR_DELIVER)
			continue;
		int64_t lat = r->at - r->aux;
		if (r->aux < sim_to_ns(1)) {
			CHECK(lat >= sim_to_ns(0.001) && lat <= sim_to_ns(0.05));
			before++;
		} else {
			CHECK_INT(lat, sim_to_ns(0.2));
			after++;
		}
	}
	CHECK_INT(before, 100);
	CHECK_INT(after, 100);
	CHECK(sim_net_now(s)->latency.dist == SIM_CONST);
	sim_free(s);
}

static void t_loss_dup_faults(void)
{
	/* loss and dup changed by faults: everything lost over [1, 2),
	 * everything twice over [2, 3), as configured (none) after */
	struct sim *s = net_sim(2, 5, 0, 0);
	CHECK(s);
	struct sim_fault f[] = {{.at = 1, .kind = SIM_F_LOSS, .value = 1},
				{.at = 2, .kind = SIM_F_LOSS, .value = 0},
				{.at = 2, .kind = SIM_F_DUP, .value = 1},
				{.at = 3, .kind = SIM_F_DUP, .value = 0}};
	for (size_t i = 0; i < 4; i++)
		CHECK(sim_add_fault(s, &f[i]) == 0);
	int64_t want[] = {10, 0, 20, 10};
	for (int k = 0; k < 4; k++) {
		sim_run(s, 0.5 + k, 0);
		memset(recv_count, 0, sizeof recv_count);
		send_all(s, 5);
		sim_run(s, 0.9 + k, 0);
		CHECK_INT(recv_count[1][2] + recv_count[2][1], want[k]);
	}
	struct sim_stats st;
	sim_stats(s, &st);
	CHECK_INT(st.dropped_loss, 10);
	CHECK_INT(st.duplicated, 10);
	sim_free(s);
}

/* ---- the nemesis's kinds ---- */

static void t_nemesis_kinds(void)
{
	/* each kind alone: the faults it draws, and everything healed after */
	static const unsigned kinds[] = {SIM_N_PARTITION, SIM_N_ISOLATE, SIM_N_ONEWAY,
					 SIM_N_CRASH, SIM_N_LOSS, SIM_N_CLOCK};
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		struct sim *s = chat_sim(3 + k, 5, 0.01);
		CHECK(s);
		struct sim_nemesis nm = {.kinds = kinds[k], .start = 1, .until = 20, .interval = 0.5,
					 .duration = 0.5, .loss = 0.6, .clock_jump = 0.3};
		CHECK(sim_nemesis(s, &nm) > 4);
		size_t nf;
		const struct sim_fault *f = sim_schedule(s, &nf);
		int opened = 0, closed = 0;
		for (size_t i = 0; i < nf; i++) {
			uint32_t in = 0, out = 0;
			for (uint32_t j = 0; j < 5 && f[i].group; j++) {
				in += f[i].group[j] == 1;
				out += f[i].to ? f[i].to[j] != 0 : 0;
			}
			switch (kinds[k]) {
			case SIM_N_PARTITION: /* a minority: 1 or 2 of 5 cut off */
			case SIM_N_ISOLATE:   /* exactly one */
				CHECK(f[i].kind == SIM_F_PARTITION || f[i].kind == SIM_F_HEAL);
				if (f[i].kind == SIM_F_PARTITION) {
					CHECK(in >= 1 && in <= (kinds[k] == SIM_N_ISOLATE ? 1u : 2u));
					opened++;
				} else {
					closed++;
				}
				break;
			case SIM_N_ONEWAY: /* one node cannot reach the four others */
				CHECK(f[i].kind == SIM_F_BLOCK || f[i].kind == SIM_F_UNBLOCK);
				CHECK(in == 1 && out == 4);
				opened += f[i].kind == SIM_F_BLOCK;
				closed += f[i].kind == SIM_F_UNBLOCK;
				break;
			case SIM_N_CRASH:
				CHECK(f[i].kind == SIM_F_CRASH || f[i].kind == SIM_F_RESTART);
				opened += f[i].kind == SIM_F_CRASH;
				closed += f[i].kind == SIM_F_RESTART;
				break;
			case SIM_N_LOSS: /* a burst, then the configured loss again */
				CHECK(f[i].kind == SIM_F_LOSS);
				CHECK(f[i].value == (i % 2 ? 0.01 : 0.6));
				opened += i % 2 == 0;
				closed += i % 2 == 1;
				break;
			case SIM_N_CLOCK:
				CHECK(f[i].kind == SIM_F_CLOCK && fabs(f[i].value) <= 0.3);
				CHECK(f[i].node >= 1 && f[i].node <= 5);
				opened++;
				closed++;
				break;
			}
			CHECK(f[i].at >= 1 && f[i].at <= 20);
		}
		CHECK_INT(opened, closed);
		CHECK(sim_run(s, 21, 0) == SIM_UNTIL);
		for (uint32_t a = 1; a <= 5; a++) {
			CHECK(sim_up(s, a));
			for (uint32_t b = 1; b <= 5; b++)
				CHECK(!sim_blocked(s, a, b));
		}
		CHECK(sim_net_now(s)->loss == 0.01);
		struct sim_stats st;
		sim_stats(s, &st);
		if (kinds[k] == SIM_N_PARTITION || kinds[k] == SIM_N_ISOLATE ||
		    kinds[k] == SIM_N_ONEWAY)
			CHECK(st.dropped_partition > 0);
		if (kinds[k] == SIM_N_CRASH)
			CHECK(st.dropped_down > 0 && sim_incarnation(s, 1) + sim_incarnation(s, 2) +
							     sim_incarnation(s, 3) + sim_incarnation(s, 4) +
							     sim_incarnation(s, 5) > 5);
		sim_free(s);
	}
}

static const char *stop_reason;
static int never_charge(struct budget *b, size_t n)
{
	return 0;
}
static void never_credit(struct budget *b, size_t n)
{
}
static const char *stop_fn(struct budget *b)
{
	return stop_reason;
}

static void t_budget_stop(void)
{
	struct budget b = {never_charge, never_credit, stop_fn, NULL};
	struct budget *prev = budget_enter(&b);
	stop_reason = NULL;
	struct sim *s = chat_sim(1, 4, 0);
	CHECK(s);
	CHECK(sim_run(s, 1, 0) == SIM_UNTIL);
	stop_reason = "timed out after 5 s";
	CHECK(sim_run(s, 1e6, 0) == SIM_STOPPED);
	CHECK_STR(sim_error(s), "timed out after 5 s");
	stop_reason = NULL;
	CHECK(sim_run(s, 1e6, 0) == SIM_ERROR); /* dead after a stop */
	sim_free(s);
	budget_leave(prev);
}

static void t_step(void)
{
	struct sim *s = chat_sim(9, 3, 0);
	struct sim_stats st;
	CHECK(sim_run(s, 100, 1) == SIM_STEPPED); /* the nodes start */
	sim_stats(s, &st);
	CHECK_INT(st.events, 0);
	CHECK(sim_run(s, 100, 1) == SIM_STEPPED);
	sim_stats(s, &st);
	CHECK_INT(st.events, 1);
	CHECK(sim_run(s, 100, 10) == SIM_STEPPED);
	sim_stats(s, &st);
	CHECK_INT(st.events, 11);
	sim_free(s);
}

static void t_drawings(void)
{
	struct sim *s = nemesis_run(5);
	CHECK(s);
	struct sbuf sb = SBUF_INIT;
	struct simtrace_filter f = {.to = -1, .width = 90, .utf8 = 0, .limit = 50};
	simtrace_diagram(&sb, sim_trace(s), &f);
	CHECK(strstr(sb.buf, "time(s)"));
	CHECK(strstr(sb.buf, "more rows not shown"));
	/* ASCII only, no line wider than 90, no trailing space */
	for (const char *p = sb.buf; *p; p++)
		CHECK((unsigned char)*p < 128);
	for (const char *line = sb.buf; *line;) {
		const char *e = strchr(line, '\n');
		CHECK(e && e - line <= 90 && (e == line || e[-1] != ' '));
		line = e + 1;
	}
	sbuf_truncate(&sb, 0);
	CHECK(simdraw_timeline(&sb, sim_trace(s), NULL, 0, -1, 80, 1) == 0);
	CHECK(strstr(sb.buf, "n5 "));
	CHECK(strstr(sb.buf, "recv/s"));
	CHECK(strstr(sb.buf, "·")); /* a crash happened in this run */
	sbuf_free(&sb);
	sim_free(s);
}

static void t_history_chart(void)
{
	struct simdraw_op ops[] = {
		{1, 0.0, 1.0, "w x 1 ok", 0},
		{2, 0.5, 3.0, "r x: 0", 0},
		{1, 2.0, 3.5, "a label far too long to fit in its bar", 0},
		{3, 1.0, -1, "w x 2", 1},
	};
	struct sbuf sb = SBUF_INIT;
	CHECK(simdraw_history(&sb, ops, 4, 60, 0) == 0);
	CHECK(strstr(sb.buf, "c1"));
	CHECK(strstr(sb.buf, "w x 1 ok"));
	CHECK(strstr(sb.buf, "  3: c1 a label far too long"));
	CHECK(strstr(sb.buf, "?")); /* the open-ended op */
	sbuf_free(&sb);
}

/* ---- the value codec ---- */

static void t_simval(void)
{
	struct simw w = SIMW_INIT;
	simw_table(&w, 2, 3);
	simw_int(&w, -5);
	simw_cstr(&w, "two");
	simw_kstr(&w, "type", "put");
	simw_kfloat(&w, "x", 0.5);
	simw_cstr(&w, "nested");
	simw_table(&w, 1, 1);
	simw_bool(&w, 1);
	simw_kint(&w, "last", 1LL << 40);
	CHECK(!simw_failed(&w));
	CHECK(simval_valid(w.p, w.len));
	CHECK(!simval_valid(w.p, w.len - 1));
	struct simv v = simv_of(w.p, w.len), e;
	CHECK(simv_get(v, "type", &e) == 0 && simv_is(e, "put"));
	CHECK(simv_getnum(v, "x", 0) == 0.5);
	CHECK(simv_geti(v, 1, &e) == 0);
	int64_t x;
	CHECK(simv_int(e, &x) == 0 && x == -5);
	struct simv nested;
	CHECK(simv_get(v, "nested", &nested) == 0);
	CHECK(simv_getint(nested, "last", 0) == (1LL << 40));
	struct sbuf sb = SBUF_INIT;
	simval_render(&sb, v, 0);
	CHECK_STR(sb.buf, "{-5, \"two\", type = \"put\", x = 0.5, nested = {true, last = 1099511627776}}");
	sbuf_truncate(&sb, 0);
	simval_render(&sb, v, 20);
	CHECK(sb.len <= 20 && strstr(sb.buf, "..."));
	sbuf_free(&sb);
	/* malformed bytes are refused, never read past */
	for (size_t cut = 0; cut < w.len; cut++)
		CHECK(simval_size(w.p, cut) == 0);
	uint8_t deep[3 * 40 + 1];
	for (int i = 0; i < 40; i++) {
		deep[3 * i] = SIMVAL_TABLE;
		deep[3 * i + 1] = 1; /* one array value */
		deep[3 * i + 2] = 0; /* no pairs */
	}
	deep[120] = SIMVAL_NIL;
	CHECK(simval_size(deep, 121) == 0);            /* 40 deep: refused */
	CHECK(simval_size(deep + 3 * 10, 121 - 30) == 91); /* 30 deep: fine */
	simw_free(&w);
}

static const struct test tests[] = {
	{"sim/same_seed_same_trace", t_same_seed_same_trace},
	{"sim/tie_break", t_tie_break},
	{"sim/partition_groups", t_partition_groups},
	{"sim/partition_at_delivery", t_partition_at_delivery},
	{"sim/oneway", t_oneway},
	{"sim/loss_and_dup_rates", t_loss_and_dup_rates},
	{"sim/fifo_links", t_fifo_links},
	{"sim/crash_restart", t_crash_restart},
	{"sim/clocks", t_clocks},
	{"sim/requests", t_requests},
	{"sim/nemesis_bounds", t_nemesis_bounds},
	{"sim/nemesis_kinds", t_nemesis_kinds},
	{"sim/latency_distributions", t_latency_distributions},
	{"sim/latency_fault", t_latency_fault},
	{"sim/loss_dup_faults", t_loss_dup_faults},
	{"sim/budget_stop", t_budget_stop},
	{"sim/step", t_step},
	{"sim/drawings", t_drawings},
	{"sim/history_chart", t_history_chart},
	{"sim/simval", t_simval},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
