/*
 * bench_db.c — the database engines in C: B+tree inserts and lookups, LSM
 * puts and gets (a 10^6-operation workload per compaction policy, with its
 * amplification), Bloom filter adds and lookups, and commits through the
 * write-ahead log and the MVCC store. Medians of 5 runs; reported, never
 * asserted.
 */
#include "engine/concepts/bloom/bloom.h"
#include "engine/concepts/btree/btree.h"
#include "engine/concepts/lsm/lsm.h"
#include "engine/concepts/mvcc/mvcc.h"
#include "engine/concepts/rand/rand.h"
#include "engine/concepts/wal/wal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 1000000

static int64_t keys[N];
static volatile int64_t sink;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double (*run)(void *), void *arg)
{
	double t[5];
	for (int i = 0; i < 5; i++)
		t[i] = run(arg);
	qsort(t, 5, sizeof *t, cmp);
	return t[2];
}

static const char *si(double x, char *buf)
{
	if (x >= 1e6)
		snprintf(buf, 16, "%.2fM", x / 1e6);
	else if (x >= 1e3)
		snprintf(buf, 16, "%.1fk", x / 1e3);
	else
		snprintf(buf, 16, "%.1f", x);
	return buf;
}

static void report(const char *name, double ops, double seconds)
{
	char b[16];
	printf("  %-44s %10s ops/s\n", name, si(ops / seconds, b));
}

/* ---- B+tree ---- */

static double bt_insert(void *arg)
{
	int order = *(int *)arg;
	struct btree *t = btree_new(order);
	double t0 = now();
	for (int i = 0; i < N; i++)
		btree_insert(t, (struct bt_key){.i = keys[i]}, i);
	double dt = now() - t0;
	btree_free(t);
	return dt;
}

static struct btree *filled;

static double bt_get(void *arg)
{
	(void)arg;
	double t0 = now();
	int64_t v, hits = 0;
	for (int i = 0; i < N; i++)
		hits += btree_get(filled, (struct bt_key){.i = keys[(i * 7) % N]}, &v);
	sink = hits;
	return now() - t0;
}

/* ---- LSM ---- */

struct lsm_run {
	int policy;
	struct lsm_stats st;
	double write_amp, read_amp;
};

/* 10^6 operations: 3/4 puts (a quarter of them deletes), 1/4 gets, over
 * 500,000 keys. */
static double lsm_workload(void *arg)
{
	struct lsm_run *r = arg;
	struct lsm_config c = {.memtable = 1024, .policy = r->policy, .ratio = 10, .level0 = 4,
			       .bloom_bits = 10, .block = 64};
	struct lsm *t = lsm_new(&c);
	struct rng g;
	rng_seed(&g, 7);
	double t0 = now();
	for (int i = 0; i < N; i++) {
		struct lsm_key k = {.i = keys[i] % 500000};
		uint64_t x = rng_below(&g, 16);
		if (x < 9)
			lsm_put(t, k, (struct lsm_val){.kind = LSM_INT, .i = i});
		else if (x < 12)
			lsm_put(t, k, (struct lsm_val){.kind = LSM_TOMBSTONE});
		else {
			struct lsm_val v;
			sink += lsm_get(t, k, &v);
		}
	}
	double dt = now() - t0;
	r->st = *lsm_stats(t);
	long long written = r->st.puts + r->st.deletes;
	r->write_amp = (double)(r->st.flushed + r->st.compacted) / (double)written;
	r->read_amp = (double)r->st.block_reads / (double)r->st.gets;
	lsm_free(t);
	return dt;
}

/* ---- Bloom ---- */

static double bloom_run(void *arg)
{
	(void)arg;
	struct bloom *b = bloom_new(10 * (uint64_t)N, 7);
	double t0 = now();
	for (int i = 0; i < N; i++)
		bloom_add(b, &(struct bloom_key){.i = keys[i]});
	int64_t hits = 0;
	for (int i = 0; i < N; i++)
		hits += bloom_has(b, &(struct bloom_key){.i = -keys[i]});
	sink = hits;
	double dt = now() - t0;
	bloom_free(b);
	return dt;
}

/* ---- WAL and MVCC ---- */

static double wal_run(void *arg)
{
	int sync = *(int *)arg;
	struct wal_config c = {.pages = 64, .sync = sync, .checkpoint = 100, .seed = 1,
			       .fsync_ms = 1};
	struct wal *w = wal_new(&c);
	double t0 = now();
	for (int i = 0; i < 100000; i++) {
		struct wal_tx *t = wal_begin(w);
		wal_tx_write(t, 1 + i % 64, &(struct wal_val){.kind = 1, .i = i});
		int ret;
		wal_commit(w, t, &ret);
		wal_tx_free(t);
	}
	double dt = now() - t0;
	wal_free(w);
	return dt;
}

static double mvcc_run(void *arg)
{
	int level = *(int *)arg;
	struct mvcc *m = mvcc_new(level);
	double t0 = now();
	for (int i = 0; i < 20000; i++) {
		uint32_t tx = mvcc_begin(m, -1);
		struct mv_key k = {.i = keys[i] % 1000};
		struct mv_val v;
		mvcc_read(m, tx, &k, &v);
		mvcc_write(m, tx, &k, &(struct mv_val){.kind = MV_INT, .i = i});
		mvcc_commit(m, tx);
	}
	double dt = now() - t0;
	mvcc_free(m);
	return dt;
}

int main(void)
{
	struct rng g;
	rng_seed(&g, 42);
	for (int i = 0; i < N; i++)
		keys[i] = (int64_t)(rng_next(&g) >> 2);
	printf("databases (C)\n");
	for (int order = 16; order <= 256; order *= 4) {
		char name[64];
		snprintf(name, sizeof name, "btree order %d insert (10^6 random keys)", order);
		report(name, N, median(bt_insert, &order));
		filled = btree_new(order);
		for (int i = 0; i < N; i++)
			btree_insert(filled, (struct bt_key){.i = keys[i]}, i);
		snprintf(name, sizeof name, "btree order %d get", order);
		report(name, N, median(bt_get, NULL));
		btree_free(filled);
	}
	static const char *const policies[] = {"leveled", "tiered"};
	for (int p = LSM_LEVELED; p <= LSM_TIERED; p++) {
		struct lsm_run r = {.policy = p};
		char name[64];
		snprintf(name, sizeof name, "lsm %s, 10^6 ops (9 put: 3 delete: 4 get)", policies[p]);
		report(name, N, median(lsm_workload, &r));
		printf("    write amplification %.2f, read amplification %.2f blocks a get, "
		       "%lld compactions\n",
		       r.write_amp, r.read_amp, r.st.compactions);
	}
	report("bloom 10 bits/key, k 7: add + has", 2.0 * N, median(bloom_run, NULL));
	static const char *const syncs[] = {"off", "normal", "full"};
	for (int s = WAL_OFF; s <= WAL_FULL; s++) {
		char name[64];
		snprintf(name, sizeof name, "wal commits, synchronous=%s (1 write each)", syncs[s]);
		report(name, 100000, median(wal_run, &s));
	}
	static const char *const levels[] = {"read committed", "serializable"};
	int lv[] = {MV_READ_COMMITTED, MV_SERIALIZABLE};
	for (int i = 0; i < 2; i++) {
		char name[64];
		snprintf(name, sizeof name, "mvcc read+write+commit, %s", levels[i]);
		report(name, 20000, median(mvcc_run, &lv[i]));
	}
	return 0;
}
