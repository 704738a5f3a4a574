/*
 * Unit tests of engine/concepts/replication: the guarantees each model
 * gives, and the anomalies it allows, over many seeded runs with faults.
 */
#include "unit.h"
#include "engine/concepts/replication/replication.h"

static struct repl_report run(struct repl_run *r)
{
	struct repl_report o;
	if (rep_run(r, &o) != 0)
		o.ok = (uint64_t)-1;
	return o;
}

static void t_strict_quorums_never_stale(void)
{
	/* R + W > N, no sloppy quorum: every read sees the newest write
	 * acknowledged before it began, whatever the faults (60 runs) */
	uint64_t reads = 0, unavailable = 0;
	for (uint64_t seed = 1; seed <= 60; seed++) {
		struct repl_run r = rep_defaults(REPL_QUORUM);
		r.nodes = 5;
		r.seed = seed;
		r.loss = 0.05 * (double)(seed % 4);
		r.quorum.n = 3;
		r.quorum.r = 1 + (uint32_t)(seed % 3);
		r.quorum.w = 4 - r.quorum.r;
		r.part = seed % 2 ? 0x3 : 0x4;
		r.part_at = 3;
		r.part_until = 9;
		r.crash_at = seed % 3 ? 12 : 0;
		struct repl_report o = run(&r);
		CHECK(o.ok != (uint64_t)-1);
		CHECK_INT(o.stale, 0);
		reads += o.reads;
		unavailable += o.failed;
	}
	CHECK(reads > 3000);
	CHECK(unavailable > 0); /* the price: some operations could not get a quorum */
}

static void t_weak_and_sloppy_quorums_go_stale(void)
{
	int weak = 0, sloppy = 0;
	uint64_t hints = 0, handoffs = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct repl_run r = rep_defaults(REPL_QUORUM);
		r.nodes = 5;
		r.seed = seed;
		r.quorum.n = 3;
		r.part = 0x3;
		r.part_at = 3;
		r.part_until = 12;
		r.quorum.r = r.quorum.w = 1;        /* R + W = 2 <= N */
		weak += run(&r).stale > 0;
		r.quorum.r = r.quorum.w = 2;        /* R + W > N, but sloppy */
		r.quorum.sloppy = 1;
		struct repl_report o = run(&r);
		sloppy += o.stale > 0;
		hints += o.hints;
		handoffs += o.handoffs;
	}
	CHECK(weak >= 10);
	CHECK(sloppy >= 10);
	CHECK(hints > 0 && handoffs > 0 && handoffs <= hints);
}

static void t_sync_reads_anywhere(void)
{
	/* synchronous replication, followers apply on receipt: a read anywhere
	 * sees every acknowledged write, even over a lossy network */
	for (uint64_t seed = 1; seed <= 30; seed++) {
		struct repl_run r = rep_defaults(REPL_LEADER);
		r.seed = seed;
		r.loss = 0.1;
		r.leader.mode = REPL_SYNC;
		r.reads = READ_ANY;
		struct repl_report o = run(&r);
		CHECK(o.ok != (uint64_t)-1);
		CHECK_INT(o.stale, 0);
		CHECK_INT(o.ryw, 0);
		CHECK_INT(o.monotonic, 0);
	}
}

static void t_lag_anomalies(void)
{
	/* asynchronous, one slow follower: reading anywhere breaks
	 * read-your-writes and monotonic reads in some runs; reading the
	 * leader never does; sticky reads keep them monotonic */
	int ryw = 0, mono = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct repl_run r = rep_defaults(REPL_LEADER);
		r.seed = seed;
		r.leader.apply_delay = 0.5;
		r.leader.slow = 3;
		r.reads = READ_ANY;
		struct repl_report o = run(&r);
		ryw += o.ryw > 0;
		mono += o.monotonic > 0;
		CHECK(o.max_lag_s >= 0.5);
		r.reads = READ_LEADER;
		o = run(&r);
		CHECK_INT(o.ryw + o.monotonic + o.stale, 0);
		r.reads = READ_STICKY;
		o = run(&r);
		CHECK_INT(o.monotonic, 0);
		r.reads = READ_RYW;
		r.ryw_window = 1;
		o = run(&r);
		CHECK_INT(o.ryw, 0);
	}
	CHECK(ryw >= 15 && mono >= 5);
}

static void t_consistent_prefix(void)
{
	/* followers applying in log order always show a prefix of it; applying
	 * as entries arrive over a reordering network does not */
	int broken = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct repl_run r = rep_defaults(REPL_LEADER);
		r.seed = seed;
		r.multi_key = 1;
		r.latency = 0.05;
		r.reorder = 0.2;
		r.period = 0.05;
		r.reads = READ_FOLLOWER;
		struct repl_report o = run(&r);
		CHECK_INT(o.prefix, 0);
		r.leader.ordered = 0;
		broken += run(&r).prefix > 0;
	}
	CHECK(broken >= 15);
}

static void t_failover_loses_async_writes(void)
{
	/* the leader is cut off from its followers, keeps acknowledging (async),
	 * then crashes: failover loses what only it had. Synchronous
	 * replication loses nothing acknowledged (it stops acknowledging). */
	int lost = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct repl_run r = rep_defaults(REPL_LEADER);
		r.seed = seed;
		r.part = 0x1;
		r.part_at = 6;
		r.part_until = 20;
		r.crash_at = 8;
		struct repl_report o = run(&r);
		lost += o.lost > 0;
		CHECK_INT(o.leader != 1, 1);
		r.leader.mode = REPL_SYNC;
		o = run(&r);
		CHECK_INT(o.lost, 0);
		CHECK(o.info > 0); /* writes that waited for followers timed out */
	}
	CHECK_INT(lost, 20);
}

static void t_semisync_between(void)
{
	/* semi-synchronous: one follower's acknowledgment is enough. When the
	 * leader is cut off and fails over, nothing acknowledged is lost (the
	 * follower with the longest log had it), as with sync; when only one
	 * follower is cut off, writes go on being acknowledged, as with async,
	 * while sync stalls and its writes time out */
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct repl_run r = rep_defaults(REPL_LEADER);
		r.seed = seed;
		r.leader.mode = REPL_SEMISYNC;
		r.part = 0x1;
		r.part_at = 6;
		r.part_until = 20;
		r.crash_at = 8;
		struct repl_report o = run(&r);
		CHECK(o.ok != (uint64_t)-1);
		CHECK_INT(o.lost, 0);
		CHECK(o.info > 0); /* the cut-off leader could not get an acknowledgment */
		r = rep_defaults(REPL_LEADER);
		r.seed = seed;
		r.leader.mode = REPL_SEMISYNC;
		r.part = 0x4; /* follower 3 alone */
		r.part_at = 3;
		r.part_until = 15;
		o = run(&r);
		CHECK(o.ok != (uint64_t)-1 && o.writes > 50);
		CHECK_INT(o.info, 0);
		r.leader.mode = REPL_SYNC;
		o = run(&r);
		CHECK(o.info > 20);
	}
}

static void t_read_repair(void)
{
	/* R = W = 1 with two nodes cut off for a while: reads find replicas
	 * behind and, with read repair, write the newer version back to them;
	 * without it, nothing is repaired */
	uint64_t repairs = 0;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct repl_run r = rep_defaults(REPL_QUORUM);
		r.nodes = 5;
		r.seed = seed;
		r.loss = 0.1;
		r.quorum.r = r.quorum.w = 1;
		r.part = 0x3;
		r.part_at = 3;
		r.part_until = 9;
		struct repl_report o = run(&r);
		CHECK(o.ok != (uint64_t)-1);
		CHECK(o.repairs <= o.reads);
		repairs += o.repairs;
		r.quorum.read_repair = 0;
		o = run(&r);
		CHECK_INT(o.repairs, 0);
	}
	CHECK(repairs >= 50);
}

static void t_multi_leader_lww(void)
{
	/* last writer wins by timestamp: with true clocks the final value is the
	 * last write in real time; with skewed clocks, later writes are lost */
	int lost = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct repl_run r = rep_defaults(REPL_MULTI);
		r.seed = seed;
		r.period = 0.05;
		r.keys = 1;
		struct repl_report o = run(&r);
		CHECK(o.ok != (uint64_t)-1);
		CHECK_INT(o.lost, 0);
		r.clock_skew = 0.5;
		lost += run(&r).lost > 0;
	}
	CHECK(lost >= 15);
}

static const struct test tests[] = {
	{"replication/strict_quorums_never_stale", t_strict_quorums_never_stale},
	{"replication/weak_and_sloppy_quorums_go_stale", t_weak_and_sloppy_quorums_go_stale},
	{"replication/sync_reads_anywhere", t_sync_reads_anywhere},
	{"replication/lag_anomalies", t_lag_anomalies},
	{"replication/consistent_prefix", t_consistent_prefix},
	{"replication/failover_loses_async_writes", t_failover_loses_async_writes},
	{"replication/multi_leader_lww", t_multi_leader_lww},
	{"replication/semisync_between", t_semisync_between},
	{"replication/read_repair", t_read_repair},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
