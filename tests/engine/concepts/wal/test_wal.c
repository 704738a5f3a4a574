/*
 * Unit tests of engine/concepts/wal: a seeded workload crashed at every one
 * of its steps, then recovered.
 *   full    the recovered state is exactly the last committed state (or
 *           that plus the commit the crash cut short, which never returned);
 *   normal  it is the state after some commit: a lost suffix, never a mix;
 *   off     some crashes give a state no commit produced.
 * Plus the replay rules on hand-made logs, torn records, and stats.
 */
#include "unit.h"
#include "engine/concepts/rand/rand.h"
#include "engine/concepts/wal/wal.h"
#include "engine/base/budget.h"

#define PAGES 8
#define MAXC 64 /* commits in a workload */

static struct wal_val vint(int64_t i)
{
	return (struct wal_val){.kind = 1, .i = i};
}

static struct wal_val vstr(const char *s)
{
	struct wal_val v = {.kind = 2, .len = strlen(s)};
	memcpy(v.s, s, v.len);
	return v;
}

typedef struct wal_val state[PAGES + 1];

static int same_state(const struct wal_val *a, const struct wal_val *b)
{
	for (int p = 1; p <= PAGES; p++)
		if (!wal_val_equal(&a[p], &b[p]))
			return 0;
	return 1;
}

/* What one crashed run left: the states after each commit that returned,
 * the state the crash cut short (if a commit was in flight) and the state
 * recovery built. */
struct outcome {
	state after[MAXC + 1]; /* after[0]: empty */
	int commits;           /* commits that returned */
	state inflight;
	int has_inflight;
	state recovered;
	int crashed;
};

/* Runs the workload of SEED with a crash at step CRASH_AT (0: none). */
static void run(int sync, uint64_t seed, long long crash_at, struct outcome *o, long long *steps)
{
	struct wal_config c = {.pages = PAGES, .sync = sync, .checkpoint = 5, .crash_at = crash_at,
			       .seed = seed * 31 + (uint64_t)crash_at, .fsync_ms = 1};
	struct wal *w = wal_new(&c);
	struct rng r;
	rng_seed(&r, seed);
	memset(o, 0, sizeof *o);
	int crashed = 0;
	for (int i = 0; i < MAXC && !crashed; i++) {
		struct wal_tx *t = wal_begin(w);
		int writes = 1 + (int)rng_below(&r, 3);
		memcpy(o->inflight, o->after[o->commits], sizeof(state));
		for (int k = 0; k < writes; k++) {
			int page = 1 + (int)rng_below(&r, PAGES);
			char s[32];
			snprintf(s, sizeof s, "v%d-%d", i, k);
			struct wal_val v = rng_below(&r, 2) ? vint((int64_t)rng_below(&r, 1000)) : vstr(s);
			wal_tx_write(t, page, &v);
			o->inflight[page] = v;
		}
		int returned;
		int rc = wal_commit(w, t, &returned);
		wal_tx_free(t);
		if (returned) {
			o->commits++;
			memcpy(o->after[o->commits], o->inflight, sizeof(state));
		} else {
			o->has_inflight = rc == 1;
		}
		crashed = rc == 1;
		if (!crashed && rng_below(&r, 8) == 0)
			crashed = wal_checkpoint(w) == 1;
	}
	if (steps)
		*steps = wal_stats(w)->steps;
	o->crashed = crashed;
	if (crashed) {
		int replayed, discarded;
		CHECK(wal_recover(w, &replayed, &discarded) == 0);
		for (int p = 1; p <= PAGES; p++)
			wal_read(w, p, &o->recovered[p]);
	}
	wal_free(w);
}

/* Which committed state the recovered one is: k for after[k], -1 for the
 * in-flight one, -2 for none. */
static int which(const struct outcome *o)
{
	for (int k = o->commits; k >= 0; k--)
		if (same_state(o->recovered, o->after[k]))
			return k;
	if (o->has_inflight && same_state(o->recovered, o->inflight))
		return -1;
	return -2;
}

static void crash_everywhere(int sync, int *exact, int *prefix, int *broken, int *runs)
{
	*exact = *prefix = *broken = *runs = 0;
	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct outcome o;
		long long total;
		run(sync, seed, 0, &o, &total);
		for (long long s = 1; s <= total; s++) {
			run(sync, seed, s, &o, NULL);
			if (!o.crashed)
				continue;
			(*runs)++;
			int k = which(&o);
			if (k == o.commits || k == -1)
				(*exact)++;
			else if (k >= 0)
				(*prefix)++;
			else
				(*broken)++;
		}
	}
}

static void t_full_recovers_last_commit(void)
{
	int exact, prefix, broken, runs;
	crash_everywhere(WAL_FULL, &exact, &prefix, &broken, &runs);
	CHECK(runs > 1000);
	CHECK_INT(prefix, 0);
	CHECK_INT(broken, 0);
	CHECK_INT(exact, runs);
}

static void t_normal_loses_a_suffix(void)
{
	int exact, prefix, broken, runs;
	crash_everywhere(WAL_NORMAL, &exact, &prefix, &broken, &runs);
	CHECK(runs > 1000);
	CHECK_INT(broken, 0);
	CHECK(prefix > 0); /* some committed work was lost */
}

static void t_off_can_corrupt(void)
{
	int exact, prefix, broken, runs;
	crash_everywhere(WAL_OFF, &exact, &prefix, &broken, &runs);
	CHECK(broken > 0);
}

/* Replay: committed transactions in order; one without its commit record
 * is dropped; an invalid record ends the log. */
static void t_replay_rules(void)
{
	struct wal_record r[] = {
		{.type = 1, .tx = 1, .page = 1, .v = vint(10), .valid = 1},
		{.type = 1, .tx = 1, .page = 2, .v = vint(20), .valid = 1},
		{.type = 2, .tx = 1, .valid = 1},
		{.type = 1, .tx = 2, .page = 1, .v = vint(11), .valid = 1}, /* no commit */
		{.type = 1, .tx = 3, .page = 2, .v = vint(21), .valid = 1},
		{.type = 2, .tx = 3, .valid = 1},
		{.type = 1, .tx = 4, .page = 3, .v = vint(30), .valid = 0}, /* torn: the end */
		{.type = 2, .tx = 4, .valid = 1},
	};
	struct wal_val data[PAGES + 1] = {0};
	data[3] = vint(3);
	int discarded = -1;
	CHECK_INT(wal_replay(data, PAGES, r, 8, &discarded), 2);
	CHECK_INT(discarded, 1);
	CHECK(wal_val_equal(&data[1], &(struct wal_val){.kind = 1, .i = 10}));
	CHECK(wal_val_equal(&data[2], &(struct wal_val){.kind = 1, .i = 21}));
	CHECK(wal_val_equal(&data[3], &(struct wal_val){.kind = 1, .i = 3}));
}

/* Torn records are caught by their checksums: every torn tail is invalid. */
static void t_torn_records(void)
{
	int torn = 0;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct wal_config c = {.pages = 4, .sync = WAL_NORMAL, .checkpoint = 0, .seed = seed,
				       .fsync_ms = 1};
		struct wal *w = wal_new(&c);
		for (int i = 0; i < 3; i++) {
			struct wal_tx *t = wal_begin(w);
			wal_tx_write(t, 1 + i, &(struct wal_val){.kind = 2, .len = 40,
								  .s = "0123456789012345678901234567890123456789"});
			int ret;
			wal_commit(w, t, &ret);
			wal_tx_free(t);
		}
		wal_crash(w);
		struct wal_record *recs;
		size_t n;
		CHECK(wal_disk_log(w, &recs, &n) == 0);
		for (size_t i = 0; i < n; i++) {
			if (!recs[i].valid)
				torn++;
			CHECK(!recs[i].valid || recs[i].v.kind != 2 || recs[i].v.len == 40);
		}
		budget_free(recs);
		wal_free(w);
	}
	CHECK(torn > 0);
}

/* Full pays an fsync a commit; normal only at checkpoints. */
static void t_costs(void)
{
	double ms[3];
	for (int sync = WAL_OFF; sync <= WAL_FULL; sync++) {
		struct wal_config c = {.pages = 8, .sync = sync, .checkpoint = 10, .seed = 1,
				       .fsync_ms = 2};
		struct wal *w = wal_new(&c);
		for (int i = 0; i < 100; i++) {
			struct wal_tx *t = wal_begin(w);
			wal_tx_write(t, 1 + i % 8, &(struct wal_val){.kind = 1, .i = i});
			int ret;
			CHECK(wal_commit(w, t, &ret) == 0 && ret);
			wal_tx_free(t);
		}
		const struct wal_stats *s = wal_stats(w);
		CHECK_INT(s->commits, 100);
		CHECK_INT(s->checkpoints, 10);
		CHECK_INT(s->fsyncs, sync == WAL_OFF ? 0 : sync == WAL_NORMAL ? 30 : 130);
		ms[sync] = s->time_ms;
		wal_free(w);
	}
	CHECK(ms[WAL_OFF] < ms[WAL_NORMAL] && ms[WAL_NORMAL] < ms[WAL_FULL]);
}

static const struct test tests[] = {
	{"wal/full_recovers_last_commit", t_full_recovers_last_commit},
	{"wal/normal_loses_a_suffix", t_normal_loses_a_suffix},
	{"wal/off_can_corrupt", t_off_can_corrupt},
	{"wal/replay_rules", t_replay_rules},
	{"wal/torn_records", t_torn_records},
	{"wal/costs", t_costs},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
