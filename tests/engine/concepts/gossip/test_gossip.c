/*
 * Unit tests of engine/concepts/gossip: memberlist's formulas against the
 * cases of its own tests (data/memberlist_swim_lifeguard.json), and the
 * protocols' properties over many seeded runs: gossip reaches everyone,
 * SWIM and heartbeats detect a crash within their bounds and suspect no
 * one without loss, Lifeguard trades detection time for fewer false
 * positives under loss, discovery drops a dead instance within its TTL.
 */
#include "unit.h"
#include "engine/base/files.h"
#include "engine/base/jsonl.h"
#include "engine/concepts/gossip/gossip.h"

#include <math.h>

static char *vectors;

/* The flat object of the I-th element of array NAME in the vectors (a
 * copy), or NULL. */
static char *element(const char *name, int i)
{
	char key[64];
	snprintf(key, sizeof key, "\"%s\"", name);
	const char *p = strstr(vectors, key);
	if (!p)
		return NULL;
	const char *end = strchr(p, ']');
	for (int k = 0; k <= i; k++) {
		p = strchr(p + 1, '{');
		if (!p || p > end)
			return NULL;
	}
	const char *q = strchr(p, '}');
	return xstrndup(p, (size_t)(q - p + 1));
}

static double num(struct jsonl_obj *o, const char *k)
{
	const struct jsonl_value *v = jsonl_get(o, k);
	return v && v->type == JSONL_NUM ? v->num : NAN;
}

static void t_formulas(void)
{
	int cases = 0;
	for (int i = 0;; i++) { /* suspicion_timeout(3, n, 1 s) / 3 */
		char *e = element("suspicion_timeout_mult3_interval1s_div3", i), *err = NULL;
		if (!e)
			break;
		struct jsonl_obj o = {0};
		CHECK(jsonl_parse(&o, e, strlen(e), &err) == 0);
		double got = swim_suspicion_timeout(3, (uint32_t)num(&o, "n"), 1.0) / 3;
		CHECK(fabs(got * 1000 - num(&o, "expected_ms")) < 1e-6);
		jsonl_obj_free(&o);
		free(e);
		cases++;
	}
	for (int i = 0;; i++) {
		char *e = element("retransmit_limit", i), *err = NULL;
		if (!e)
			break;
		struct jsonl_obj o = {0};
		CHECK(jsonl_parse(&o, e, strlen(e), &err) == 0);
		CHECK_INT(swim_retransmit_limit((int)num(&o, "mult"), (uint32_t)num(&o, "n")),
			  (int)num(&o, "expected"));
		jsonl_obj_free(&o);
		free(e);
		cases++;
	}
	for (int i = 0;; i++) {
		char *e = element("remaining_suspicion_time", i), *err = NULL;
		if (!e)
			break;
		struct jsonl_obj o = {0};
		CHECK(jsonl_parse(&o, e, strlen(e), &err) == 0);
		double got = swim_remaining_suspicion((int)num(&o, "n"), (int)num(&o, "k"),
						      num(&o, "elapsed_ms") / 1000,
						      num(&o, "min_ms") / 1000, num(&o, "max_ms") / 1000);
		CHECK(fabs(got * 1000 - num(&o, "expected_ms")) < 1e-6);
		jsonl_obj_free(&o);
		free(e);
		cases++;
	}
	CHECK_INT(cases, 6 + 3 + 6);
}

static void t_lan_defaults(void)
{
	const char *p = strstr(vectors, "\"LAN\"");
	CHECK(p);
	const char *a = strchr(p, '{'), *b = strchr(a, '}');
	char *obj = xstrndup(a, (size_t)(b - a + 1)), *err = NULL;
	struct jsonl_obj o = {0};
	CHECK(jsonl_parse(&o, obj, strlen(obj), &err) == 0);
	struct swim_cfg c = swim_cfg_lan();
	CHECK(c.interval * 1000 == num(&o, "ProbeInterval_ms"));
	CHECK(c.timeout * 1000 == num(&o, "ProbeTimeout_ms"));
	CHECK(c.indirect == num(&o, "IndirectChecks"));
	CHECK(c.retransmit_mult == num(&o, "RetransmitMult"));
	CHECK(c.suspicion_mult == num(&o, "SuspicionMult"));
	CHECK(c.suspicion_max_mult == num(&o, "SuspicionMaxTimeoutMult"));
	CHECK(c.awareness_max == num(&o, "AwarenessMaxMultiplier"));
	jsonl_obj_free(&o);
	free(obj);
}

static void t_gossip_reaches_all(void)
{
	/* 40 seeds x fanouts 1..3: everyone learns the rumor, in about
	 * log_{f+1} N + ln N / f rounds (we allow three times that) */
	double mean[4] = {0};
	for (uint32_t f = 1; f <= 3; f++)
		for (uint64_t seed = 1; seed <= 40; seed++) {
			struct gossip_run r = {.nodes = 100, .seed = seed, .latency = 0.002, .time = 30};
			struct gossip_cfg g = {.fanout = f, .round = 0.1, .origin = 1};
			struct gossip_result out;
			CHECK(gossip_spread(&r, &g, &out) == 0);
			CHECK_INT(out.informed, 100);
			double bound = log(100) / log(f + 1) + log(100) / f;
			CHECK(out.rounds <= 3 * bound);
			mean[f] += out.rounds / 40;
			gossip_result_free(&out);
		}
	CHECK(mean[1] > mean[2] && mean[2] > mean[3]);
	/* a rumor told only 2 rounds by each, over a lossy network, may die */
	int short_lived = 0;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct gossip_run r = {.nodes = 100, .seed = seed, .loss = 0.5, .latency = 0.002,
				       .time = 30};
		struct gossip_cfg g = {.fanout = 1, .round = 0.1, .ttl = 2, .origin = 1};
		struct gossip_result out;
		CHECK(gossip_spread(&r, &g, &out) == 0);
		short_lived += out.informed < 100;
		gossip_result_free(&out);
	}
	CHECK(short_lived > 20);
}

static void t_swim_detects_within_bound(void)
{
	/* no loss: every alive node declares the crashed one dead, within the
	 * time to be probed (a few intervals) plus the longest suspicion; no
	 * one alive is ever suspected */
	for (int lifeguard = 0; lifeguard <= 1; lifeguard++)
		for (uint64_t seed = 1; seed <= 30; seed++) {
			struct gossip_run r = {.nodes = 16, .seed = seed, .latency = 0.005, .time = 80,
					       .crash = 1 + (uint32_t)(seed % 16), .crash_at = 5};
			struct swim_cfg c = swim_cfg_lan();
			c.lifeguard = lifeguard;
			struct gossip_result out;
			CHECK(gossip_swim(&r, &c, &out) == 0);
			double min = swim_suspicion_timeout(c.suspicion_mult, 16, c.interval);
			double bound = (lifeguard ? c.suspicion_max_mult * min : min) + 6 * c.interval;
			CHECK(out.detect_all >= 0);
			CHECK(out.detect_all <= bound);
			CHECK_INT(out.rec.false_suspicions, 0);
			CHECK_INT(out.rec.false_deaths, 0);
			gossip_result_free(&out);
		}
}

static void t_lifeguard_fewer_false_positives(void)
{
	/* 20% loss, no crash: over 20 seeds Lifeguard suspects the living less */
	uint64_t plain = 0, guarded = 0, plain_dead = 0, guarded_dead = 0;
	for (uint64_t seed = 1; seed <= 20; seed++)
		for (int lifeguard = 0; lifeguard <= 1; lifeguard++) {
			struct gossip_run r = {.nodes = 16, .seed = seed, .loss = 0.2, .latency = 0.005,
					       .time = 60};
			struct swim_cfg c = swim_cfg_lan();
			c.lifeguard = lifeguard;
			struct gossip_result out;
			CHECK(gossip_swim(&r, &c, &out) == 0);
			*(lifeguard ? &guarded : &plain) += out.rec.false_suspicions;
			*(lifeguard ? &guarded_dead : &plain_dead) += out.rec.false_deaths;
			gossip_result_free(&out);
		}
	CHECK(plain > 0);
	CHECK(guarded < plain);
	CHECK(guarded_dead <= plain_dead);
}

static void t_false_suspicions_at_the_probe_failure_rate(void)
{
	/* Without Lifeguard, a probe of a live node fails when the direct ping
	 * or its ack is lost and so is every one of the k indirect paths (4
	 * messages each): q = (1 - (1-p)^2) (1 - (1-p)^4)^k. Each failure is a
	 * false suspicion, which gossip then spreads to up to n - 1 observers
	 * before the suspect refutes it: over 10 seeds of 60 probes per node,
	 * the suspicions noted lie between half the expected failures and
	 * 1.5 (n - 1) times them, and grow with the loss */
	static const double loss[] = {0.05, 0.1, 0.2, 0.3};
	uint64_t prev = 0;
	for (size_t i = 0; i < sizeof loss / sizeof *loss; i++) {
		struct swim_cfg c = swim_cfg_lan();
		c.lifeguard = 0;
		double p = loss[i], q = (1 - pow(1 - p, 2)) * pow(1 - pow(1 - p, 4), c.indirect);
		uint64_t noted = 0;
		for (uint64_t seed = 1; seed <= 10; seed++) {
			struct gossip_run r = {.nodes = 16, .seed = seed, .loss = p, .latency = 0.005,
					       .time = 60};
			struct gossip_result out;
			CHECK(gossip_swim(&r, &c, &out) == 0);
			noted += out.rec.false_suspicions;
			gossip_result_free(&out);
		}
		double failures = q * 16 * (60 / c.interval) * 10;
		CHECK((double)noted >= failures / 2);
		CHECK((double)noted <= 1.5 * 15 * failures);
		CHECK(noted > prev);
		prev = noted;
	}
}

static void t_heartbeats(void)
{
	uint64_t false_low = 0, false_high = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct gossip_run r = {.nodes = 8, .seed = seed, .latency = 0.005, .time = 60,
				       .crash = 3, .crash_at = 10};
		struct heartbeat_cfg h = {.interval = 1, .timeout = 3};
		struct gossip_result out;
		CHECK(gossip_heartbeat(&r, &h, &out) == 0);
		/* the last heartbeat came before the crash: suspected by the check
		 * after timeout has passed, at most one interval later */
		CHECK(out.detect_all >= 0 && out.detect_all <= h.timeout + h.interval);
		CHECK_INT(out.rec.false_suspicions, 0);
		gossip_result_free(&out);
		r.crash = 0;
		r.loss = 0.1;
		CHECK(gossip_heartbeat(&r, &h, &out) == 0);
		false_low += out.rec.false_suspicions;
		gossip_result_free(&out);
		r.loss = 0.3;
		CHECK(gossip_heartbeat(&r, &h, &out) == 0);
		false_high += out.rec.false_suspicions;
		gossip_result_free(&out);
	}
	CHECK(false_low < false_high);
}

static void t_discovery(void)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct gossip_run r = {.nodes = 6, .seed = seed, .latency = 0.005, .time = 30,
				       .crash = 4, .crash_at = 10};
		struct discovery_cfg d = {.ttl = 3};
		struct gossip_result out;
		uint64_t stale, missing;
		CHECK(gossip_discovery(&r, &d, 300, &out, &stale, &missing) == 0);
		double removed = (double)out.rec.dead[3] / 1e9 - r.crash_at;
		/* the last renewal was at most ttl/3 before the crash; the sweep runs
		 * every ttl/10 */
		CHECK(removed > d.ttl * 2 / 3 - 1e-9 && removed <= d.ttl + d.ttl / 10 + 0.1);
		/* stale answers only while it had not been dropped yet */
		CHECK(stale > 0 && stale <= (uint64_t)((removed + 0.2) / (30.0 / 301)) + 1);
		CHECK_INT(missing, 0);
		gossip_result_free(&out);
	}
}

static const struct test tests[] = {
	{"gossip/formulas", t_formulas},
	{"gossip/lan_defaults", t_lan_defaults},
	{"gossip/gossip_reaches_all", t_gossip_reaches_all},
	{"gossip/swim_detects_within_bound", t_swim_detects_within_bound},
	{"gossip/lifeguard_fewer_false_positives", t_lifeguard_fewer_false_positives},
	{"gossip/false_suspicions_at_the_probe_failure_rate",
	 t_false_suspicions_at_the_probe_failure_rate},
	{"gossip/heartbeats", t_heartbeats},
	{"gossip/discovery", t_discovery},
	{0},
};

int main(int argc, char **argv)
{
	size_t len;
	char *err = NULL;
	vectors = files_read("tests/engine/concepts/gossip/data/memberlist_swim_lifeguard.json",
			     1 << 20, &len, &err);
	if (!vectors) {
		free(err);
		printf("not ok gossip/vectors\n    cannot read the test data\n");
		return 1;
	}
	int rc = run_tests(tests, argc, argv);
	free(vectors);
	return rc;
}
