/*
 * Unit tests of engine/concepts/txn from C: step names round-trip, 2PC's
 * atomicity over 1,000 seeded runs with one crash point each (the C API,
 * without Lua), 3PC mixed under its partition, the timeline text, sagas
 * and the outbox under drawn crashes.
 */
#include "unit.h"
#include "engine/base/sbuf.h"
#include "engine/concepts/txn/txn.h"

static void t_steps(void)
{
	int n = 0;
	for (int s = 1; s < TXN_S_COUNT; s++) {
		CHECK(txn_step_of(txn_step_name((enum txn_step)s)) == (enum txn_step)s);
		CHECK(txn_step_role((enum txn_step)s, NULL) != 0);
		n++;
	}
	CHECK(n == 18);
	CHECK(txn_step_of("after_lgo") == TXN_S_NONE);
	CHECK_STR(txn_state_name(TXN_PRECOMMIT), "precommit");
}

static void t_twopc_seeds(void)
{
	uint32_t mixed = 0, unfinished = 0, fired = 0, txns = 0;
	for (uint64_t seed = 1; seed <= 1000; seed++) {
		struct txn_run run = {.participants = 1 + (uint32_t)(seed % 5), .txns = 4,
				      .seed = seed, .latency = 0.01, .time = 15, .nemesis = 1};
		struct txn_cfg cfg = {.timeout = 0.5, .retry = 0.2, .balance = 10};
		struct txn_result r;
		CHECK(txn_commit_run(&run, &cfg, &r) == 0);
		mixed += r.mixed;
		unfinished += r.unfinished;
		fired += r.ncrash == 1 && r.crash[0].fired;
		txns += r.txns;
		int64_t total = 0;
		for (uint32_t p = 2; p <= run.participants + 1; p++)
			total += r.balance[p];
		CHECK(total == 10 * (int64_t)run.participants);
		txn_result_free(&r);
	}
	CHECK(mixed == 0);
	CHECK(unfinished == 0);
	CHECK(fired > 500);
	CHECK(txns > 3000);
}

static void t_threepc_partition(void)
{
	struct txn_run run = {.participants = 3, .txns = 1, .seed = 1, .latency = 0.01,
			      .time = 10, .trace = 1};
	struct txn_cfg cfg = {.three = 1, .timeout = 0.5, .retry = 0.2, .balance = 10,
			      .partition = 3};
	struct txn_result r;
	CHECK(txn_commit_run(&run, &cfg, &r) == 0);
	CHECK(r.mixed == 1);
	CHECK(r.sim != NULL);
	CHECK(txn_decision(r.sim, 1, 1) == TXN_COMMITTED);
	CHECK(txn_participant(r.sim, 4, 1, NULL) == TXN_ABORTED);
	struct sbuf sb = SBUF_INIT;
	CHECK(txn_timeline(&r.rec, &sb) == 0);
	CHECK(strstr(sb.buf, "PARTITION") != NULL);
	CHECK(strstr(sb.buf, "n3  learns abort (tx 1)") != NULL);
	sbuf_free(&sb);
	txn_result_free(&r);
}

static void t_saga_outbox(void)
{
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct txn_run run = {.participants = 3, .txns = 4, .seed = seed, .latency = 0.01,
				      .loss = 0.1, .time = 20, .nemesis = 1};
		struct saga_cfg sc = {.fail_step = 2, .fail_every = 2, .retry = 0.2};
		struct txn_result r;
		CHECK(txn_saga_run(&run, &sc, &r) == 0);
		CHECK(r.broken == 0);
		CHECK(r.completed + r.compensated == r.started);
		txn_result_free(&r);
		struct outbox_cfg oc = {.idempotent = 1, .retry = 0.2};
		run.txns = 10;
		CHECK(txn_outbox_run(&run, &oc, &r) == 0);
		CHECK(r.missing == 0 && r.duplicates == 0 && r.applied == r.orders);
		txn_result_free(&r);
	}
}

static const struct test tests[] = {
	{"txn/steps", t_steps},
	{"txn/twopc_1000_seeds", t_twopc_seeds},
	{"txn/threepc_partition", t_threepc_partition},
	{"txn/saga_outbox_seeds", t_saga_outbox},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
