/*
 * Pinned runs of engine/concepts/sim: the SHA-256 of everything a run
 * leaves behind (every trace record field by field with its payload, the
 * trace as text, the diagram, the timeline, the history, the statistics)
 * for fixed seeds, written down when the trace was first built and
 * checked ever since. A change to how the simulator or its trace stores
 * things must leave these digests as they are: the same seed replays the
 * same run, byte for byte, from one version to the next.
 *
 * The runs use the exponential and normal latencies (libm's log, sqrt and
 * cos); a libm that rounds one of them differently could change a draw,
 * so a digest that differs on another platform is worth a look before it
 * is repinned, not a reason to repin blindly.
 */
#include "unit.h"
#include "engine/concepts/crypto/sha256.h"
#include "engine/concepts/sim/sim.h"
#include "engine/concepts/sim/simdraw.h"
#include "engine/concepts/sim/simtrace.h"
#include "engine/concepts/sim/simval.h"

#include <stdio.h>
#include <string.h>

/* ---- digests ---- */

static void put_u64(struct sha256_ctx *h, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sha256_update(h, b, sizeof b);
}

static void put_sbuf(struct sha256_ctx *h, struct sbuf *sb)
{
	put_u64(h, sb->len);
	sha256_update(h, sb->buf ? sb->buf : "", sb->len);
	sbuf_truncate(sb, 0);
}

/* Adds run S's history, statistics and clock to H. */
static void put_history(struct sha256_ctx *h, struct sim *s)
{
	size_t nops;
	const struct sim_op *ops = sim_history(s, &nops);
	put_u64(h, nops);
	for (size_t i = 0; i < nops; i++) {
		const struct sim_op *o = &ops[i];
		put_u64(h, o->id);
		put_u64(h, o->client);
		put_u64(h, o->node);
		put_u64(h, o->incarnation);
		put_u64(h, (uint64_t)o->invoke);
		put_u64(h, (uint64_t)o->complete);
		put_u64(h, (uint64_t)o->timeout);
		put_u64(h, o->status);
		put_u64(h, o->op_len);
		sha256_update(h, o->op, o->op_len);
		put_u64(h, o->result ? o->result_len : (uint64_t)-1);
		if (o->result)
			sha256_update(h, o->result, o->result_len);
	}
	struct sim_stats st;
	sim_stats(s, &st);
	uint64_t f[] = {st.events, st.sent, st.delivered, st.dropped_loss, st.dropped_partition,
			st.dropped_down, st.duplicated, st.timers, st.bytes, st.requests,
			st.replies, st.pending};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		put_u64(h, f[i]);
	put_u64(h, (uint64_t)sim_now_ns(s));
}

/* The hex digest of run S: records, text, drawings, history, stats. */
static void run_digest(struct sim *s, char hex[65])
{
	struct sha256_ctx h;
	sha256_init(&h);
	struct simtrace *t = sim_trace(s);
	size_t n = simtrace_count(t);
	put_u64(&h, n);
	for (size_t i = 0; i < n; i++) {
		const struct simrec *r = simtrace_get(t, i);
		put_u64(&h, (uint64_t)r->at);
		put_u64(&h, r->kind);
		put_u64(&h, r->why);
		put_u64(&h, r->a);
		put_u64(&h, r->b);
		put_u64(&h, r->id);
		put_u64(&h, (uint64_t)r->aux);
		put_u64(&h, r->len);
		const uint8_t *p = simtrace_payload(t, r);
		if (r->len)
			sha256_update(&h, p, r->len);
	}
	struct sbuf sb = SBUF_INIT;
	struct simtrace_filter all = {.to = -1, .kinds = ~0u, .limit = (size_t)-1};
	simtrace_text(&sb, t, &all);
	put_sbuf(&h, &sb);
	struct simtrace_filter some = {.to = -1, .limit = 400, .width = 120, .utf8 = 1};
	simtrace_diagram(&sb, t, &some);
	put_sbuf(&h, &sb);
	some.last = 1;
	some.utf8 = 0;
	simtrace_diagram(&sb, t, &some);
	put_sbuf(&h, &sb);
	simtrace_text(&sb, t, &some);
	put_sbuf(&h, &sb);
	CHECK(simdraw_timeline(&sb, t, NULL, 0, -1, 100, 1) == 0);
	put_sbuf(&h, &sb);
	put_history(&h, s);
	sbuf_free(&sb);
	unsigned char d[SHA256_DIGEST_LEN];
	sha256_final(&h, d);
	for (int i = 0; i < SHA256_DIGEST_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- behaviours ---- */

/* A relay: every message goes on to a random node (as in bench_sim.c). */
static int relay_send(struct sim_ctx *c, int64_t hops)
{
	struct sim *s = c->sim;
	uint32_t to = 1 + (uint32_t)rng_below(sim_rng(s, c->node), sim_nodes(s));
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 2);
	simw_kint(&w, "hops", hops);
	simw_kint(&w, "by", c->node);
	uint64_t id = sim_send(s, c->node, to, w.p, w.len);
	simw_free(&w);
	return id ? 0 : -1;
}

static int relay_start(struct sim_ctx *c, int restart)
{
	for (int i = 0; i < 4; i++)
		if (relay_send(c, 0) != 0)
			return -1;
	return 0;
}

static int relay_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	return relay_send(c, simv_getint(simv_of(msg, len), "hops", 0) + 1);
}

static const struct sim_behaviour relay = {
	.name = "relay", .start = relay_start, .receive = relay_receive};

/*
 * A talker: on a timer (tagged with a counter) it sends a string of a
 * random length to a random node, now and then a large one (2.1 to 2.5 MB),
 * sets a spare timer (untagged, it does nothing) and cancels half of them,
 * logs, and answers requests with how
 * many bytes it has received in its life (its durable state).
 */
struct talk_dur {
	int64_t bytes;
	int64_t ticks;
};

static int talk_tick(struct sim_ctx *c)
{
	struct sim *s = c->sim;
	struct talk_dur *d = c->dur;
	struct simw w = SIMW_INIT;
	simw_table(&w, 1, 1);
	simw_int(&w, d->ticks);
	simw_kstr(&w, "pad", d->ticks % 3 ? "x" : "a longer tag for some timers");
	uint64_t t = sim_set_timer(s, c->node, 0.001 + 0.004 * rng_uniform(sim_rng(s, c->node)),
				   w.p, w.len);
	simw_free(&w);
	return t ? 0 : -1;
}

static int talk_start(struct sim_ctx *c, int restart)
{
	char line[64];
	int n = snprintf(line, sizeof line, "%s, %lld ticks so far", restart ? "back" : "up",
			 (long long)((struct talk_dur *)c->dur)->ticks);
	if (sim_log(c->sim, c->node, line, (size_t)n) != 0)
		return -1;
	return talk_tick(c);
}

static int talk_timer(struct sim_ctx *c, uint64_t timer, const uint8_t *tag, size_t len)
{
	struct sim *s = c->sim;
	struct talk_dur *d = c->dur;
	struct rng *r = sim_rng(s, c->node);
	if (!tag) /* a spare timer that was not cancelled */
		return 0;
	d->ticks++;
	size_t size = (size_t)rng_below(r, 2000);
	if (rng_below(r, 2500) == 0)
		size = 2100000 + (size_t)rng_below(r, 400000);
	static char fill[2500001];
	if (!fill[0])
		memset(fill, 'z', sizeof fill - 1);
	struct simw w = SIMW_INIT;
	simw_str(&w, fill, size);
	uint64_t id = sim_send(s, c->node, 1 + (uint32_t)rng_below(r, sim_nodes(s)), w.p, w.len);
	simw_free(&w);
	if (!id)
		return -1;
	uint64_t spare = sim_set_timer(s, c->node, 1.0, NULL, 0);
	if (!spare || (rng_below(r, 2) && sim_cancel_timer(s, c->node, spare) != 1))
		return -1;
	if (d->ticks % 97 == 0 && sim_log(s, c->node, "tick\tninety-seven", 17) != 0)
		return -1;
	return talk_tick(c);
}

static int talk_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	((struct talk_dur *)c->dur)->bytes += (int64_t)len;
	return 0;
}

static int talk_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	if (simv_getint(simv_of(op, len), "slow", 0))
		return 0;
	struct simw w = SIMW_INIT;
	simw_int(&w, ((struct talk_dur *)c->dur)->bytes);
	int rc = sim_reply(c->sim, c->node, req, req % 5 != 0, w.p, w.len);
	simw_free(&w);
	return rc < 0 ? -1 : 0;
}

static const struct sim_behaviour talker = {
	.name = "talker",
	.dur_size = sizeof(struct talk_dur),
	.start = talk_start,
	.timer = talk_timer,
	.receive = talk_receive,
	.request = talk_request,
};

/* ---- runs ---- */

/* CHECK for the functions that build a run: fails the test, frees the run
 * and returns NULL. */
#define NEED(cond)                                                   \
	do {                                                         \
		if (!(cond)) {                                       \
			unit_fail_(__FILE__, __LINE__, "NEED(" #cond ")"); \
			sim_free(s);                                 \
			return NULL;                                 \
		}                                                    \
	} while (0)

/* 16 relays over a lossy, duplicating, reordering network: 150,000 events. */
static struct sim *relay_run(uint64_t seed)
{
	struct sim_config c = sim_config_default();
	c.nodes = 16;
	c.seed = seed;
	c.net.latency = (struct sim_latency){.dist = SIM_EXP, .mean = 0.005, .min = 0.001};
	c.net.loss = 0.002;
	c.net.dup = 0.002;
	c.net.reorder = 0.05;
	struct sim *s = sim_new(&c);
	for (uint32_t i = 1; s && i <= 16; i++)
		NEED(sim_add_node(s, i, &relay, NULL, NULL) == 0);
	NEED(s && sim_run(s, SIM_MAX_TIME, 1) == SIM_STEPPED);
	NEED(sim_run(s, SIM_MAX_TIME, 150000) == SIM_STEPPED);
	return s;
}

/* 6 talkers on FIFO links with normal latencies, skewed and drifting
 * clocks, a fault schedule, the nemesis, and clients; 6 simulated s. */
static struct sim *talk_run(uint64_t seed, int trace)
{
	struct sim_config c = sim_config_default();
	c.nodes = 6;
	c.seed = seed;
	c.net.latency = (struct sim_latency){.dist = SIM_NORMAL, .mean = 0.004, .sd = 0.002,
					     .min = 0.0005};
	c.net.loss = 0.02;
	c.net.dup = 0.02;
	c.net.fifo = 1;
	c.clock_skew = 0.05;
	c.clock_drift = 1e-3;
	c.trace = trace;
	struct sim *s = sim_new(&c);
	for (uint32_t i = 1; s && i <= 6; i++)
		NEED(sim_add_node(s, i, &talker, NULL, NULL) == 0);
	uint16_t from[6] = {1, 0, 0, 0, 0, 0}, to[6] = {0, 1, 1, 0, 0, 0};
	uint16_t groups[6] = {1, 1, 2, 2, 2, 0};
	struct sim_fault f[] = {
		{.at = 0.5, .kind = SIM_F_BLOCK, .group = from, .to = to},
		{.at = 0.9, .kind = SIM_F_UNBLOCK, .group = from, .to = to},
		{.at = 1.0, .kind = SIM_F_PARTITION, .group = groups},
		{.at = 1.4, .kind = SIM_F_HEAL},
		{.at = 1.5, .kind = SIM_F_LATENCY,
		 .latency = {.dist = SIM_UNIFORM, .min = 0.001, .max = 0.02}},
		{.at = 1.6, .kind = SIM_F_CRASH, .node = 2},
		{.at = 1.9, .kind = SIM_F_RESTART, .node = 2},
		{.at = 2.0, .kind = SIM_F_CLOCK, .node = 3, .value = -0.25},
		{.at = 2.1, .kind = SIM_F_DRIFT, .node = 4, .value = 2e-3},
		{.at = 2.2, .kind = SIM_F_LOSS, .value = 0.3},
		{.at = 2.3, .kind = SIM_F_DUP, .value = 0.2},
		{.at = 2.4, .kind = SIM_F_LOSS, .value = 0.01},
		{.at = 2.5, .kind = SIM_F_LATENCY,
		 .latency = {.dist = SIM_CONST, .mean = 0.002}},
	};
	for (size_t i = 0; s && i < sizeof f / sizeof *f; i++)
		NEED(sim_add_fault(s, &f[i]) == 0);
	struct sim_nemesis nm = {.kinds = SIM_N_PARTITION | SIM_N_ISOLATE | SIM_N_ONEWAY |
					  SIM_N_CRASH | SIM_N_LOSS | SIM_N_CLOCK,
				 .start = 3, .until = 5.5, .interval = 0.15, .duration = 0.2,
				 .loss = 0.5, .clock_jump = 0.2};
	NEED(s && sim_nemesis(s, &nm) > 0);
	for (int i = 0; s && i < 60; i++) {
		struct simw w = SIMW_INIT;
		simw_table(&w, 0, 2);
		simw_kstr(&w, "f", "read");
		simw_kint(&w, "slow", i % 7 == 3);
		NEED(sim_request(s, 0.1 * i, 1 + i % 4, 1 + i % 6, w.p, w.len, 0.05) > 0);
		simw_free(&w);
	}
	NEED(s && sim_run(s, 6, 0) == SIM_UNTIL);
	return s;
}

/* How many payloads of run S's trace are longer than 2 MB. */
static size_t large_payloads(struct sim *s)
{
	struct simtrace *t = sim_trace(s);
	size_t n = 0;
	for (size_t i = 0; i < simtrace_count(t); i++)
		n += simtrace_get(t, i)->len > 2000000;
	return n;
}

/* Digest of run S, which is then freed; checks it against WANT, and that
 * the trace holds at least LARGE payloads over 2 MB. */
static void pinned(struct sim *s, const char *want, const char *what, size_t large)
{
	char hex[65];
	CHECK(s);
	if (!s)
		return;
	size_t big = large_payloads(s);
	if (big < large)
		sim_free(s);
	CHECK(big >= large);
	run_digest(s, hex);
	if (strcmp(hex, want) != 0)
		fprintf(stderr, "%s: digest %s, pinned %s\n", what, hex, want);
	CHECK(strcmp(hex, want) == 0);
	CHECK(!simtrace_full(sim_trace(s)));
	sim_free(s);
}

static void t_relay_pinned(void)
{
	pinned(relay_run(1),
	       "1e3675d14e402b7980d69b58d90a20c6f6572b4e91090a85ce6f771255149fbe",
	       "relay seed 1", 0);
	pinned(relay_run(2),
	       "03c20b7dc9a60c54f0fde22ded896bdb27d2a00833f5c6c583c74b23f9cead53",
	       "relay seed 2", 0);
}

static void t_talk_pinned(void)
{
	pinned(talk_run(1, 1),
	       "158f6b41cb119f917a2f1e58be0418c18eb51ef9a1b131fbc701bfcfcaaf6827",
	       "talk seed 1", 3);
	pinned(talk_run(99, 1),
	       "e270367c3513a25cbdbbeb5348f2605bfc6b00ed42607d106dfe1ad326e98bf1",
	       "talk seed 99", 3);
}

static void history_hex(struct sim *s, char hex[65])
{
	struct sha256_ctx h;
	sha256_init(&h);
	put_history(&h, s);
	unsigned char d[SHA256_DIGEST_LEN];
	sha256_final(&h, d);
	for (int i = 0; i < SHA256_DIGEST_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void t_trace_off_same_run(void)
{
	/* keeping a trace or not changes nothing a run does */
	struct sim *a = talk_run(7, 1), *b = talk_run(7, 0), *c = talk_run(8, 0);
	CHECK(a && b && c && sim_trace(a) && !sim_trace(b));
	char ha[65], hb[65], hc[65];
	history_hex(a, ha);
	history_hex(b, hb);
	history_hex(c, hc);
	CHECK(strcmp(ha, hb) == 0);
	CHECK(strcmp(ha, hc) != 0);
	sim_free(a);
	sim_free(b);
	sim_free(c);
}

static const struct test tests[] = {
	{"sim/pinned/relay", t_relay_pinned},
	{"sim/pinned/talk", t_talk_pinned},
	{"sim/pinned/trace_off_same_run", t_trace_off_same_run},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
