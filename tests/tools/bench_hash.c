/*
 * bench_hash.c — lookups per second of each consistent-hashing scheme, in C.
 *
 * Keys are "key-1".."key-N" strings, so each figure includes hashing the key
 * (MD5 for the ring, FNV-1a for the others) as a real lookup would; the
 * "precomputed" line isolates the ring's binary search. Medians of 5 runs.
 */
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashmove.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/hash/maglev.h"
#include "engine/concepts/hash/rendezvous.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NKEYS 1000000
#define NODES 10

static char keys[NKEYS][16];
static size_t lens[NKEYS];
static uint32_t k32[NKEYS];
static uint64_t k64[NKEYS];
static volatile uint64_t sink;

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

/* Runs RUN five times; prints millions of lookups per second, or, with
 * OPS == 0, milliseconds per run. */
static void report(const char *name, double (*run)(void *), void *arg, double ops)
{
	double t[5];
	for (int i = 0; i < 5; i++)
		t[i] = run(arg);
	qsort(t, 5, sizeof *t, cmp);
	if (ops > 0)
		printf("  %-44s %8.2fM lookups/s\n", name, ops / t[2] / 1e6);
	else
		printf("  %-44s %8.2f ms\n", name, t[2] * 1e3);
}

static struct hashring *ring;
static struct rendezvous *hrw;
static struct maglev *mag;

static double run_ring(void *arg)
{
	double t0 = now();
	uint64_t s = 0;
	for (int i = 0; i < NKEYS; i++)
		s += (uint64_t)hashring_lookup_key(ring, keys[i], lens[i]);
	sink = s;
	return now() - t0;
}

static double run_ring_pre(void *arg)
{
	double t0 = now();
	uint64_t s = 0;
	for (int i = 0; i < NKEYS; i++)
		s += (uint64_t)hashring_lookup(ring, k32[i]);
	sink = s;
	return now() - t0;
}

static double run_jump(void *arg)
{
	double t0 = now();
	uint64_t s = 0;
	for (int i = 0; i < NKEYS; i++)
		s += (uint64_t)chash_jump(chash_hash64(keys[i], lens[i]), NODES);
	sink = s;
	return now() - t0;
}

static double run_hrw(void *arg)
{
	double t0 = now();
	uint64_t s = 0;
	for (int i = 0; i < NKEYS; i++)
		s += (uint64_t)rendezvous_lookup(hrw, chash_hash64(keys[i], lens[i]));
	sink = s;
	return now() - t0;
}

static double run_maglev(void *arg)
{
	double t0 = now();
	uint64_t s = 0;
	for (int i = 0; i < NKEYS; i++)
		s += (uint64_t)maglev_lookup(mag, chash_hash64(keys[i], lens[i]));
	sink = s;
	return now() - t0;
}

static double run_modulo(void *arg)
{
	double t0 = now();
	uint64_t s = 0;
	for (int i = 0; i < NKEYS; i++)
		s += chash_hash64(keys[i], lens[i]) % NODES;
	sink = s;
	return now() - t0;
}

static double run_maglev_build(void *arg)
{
	double t0 = now();
	struct maglev *m = maglev_new(65537);
	char name[16];
	for (int i = 0; i < NODES; i++)
		maglev_add(m, name, (size_t)snprintf(name, sizeof name, "node-%d", i + 1));
	maglev_free(m);
	return now() - t0;
}

static double run_movement(void *arg)
{
	struct hashmove_config c = {.scheme = HASHMOVE_RING, .nodes = NODES, .keys = 100000,
				    .add = 1, .vnodes = 160, .table_size = 65537};
	struct hashmove_result r;
	double t0 = now();
	hashmove_run(&c, &r);
	double t = now() - t0;
	hashmove_result_free(&r);
	return t;
}

int main(void)
{
	for (int i = 0; i < NKEYS; i++) {
		lens[i] = (size_t)snprintf(keys[i], sizeof keys[i], "key-%d", i + 1);
		k32[i] = chash_ketama(keys[i], lens[i], 0);
		k64[i] = chash_hash64(keys[i], lens[i]);
	}
	ring = hashring_new(160);
	hrw = rendezvous_new();
	mag = maglev_new(65537);
	char name[16];
	for (int i = 0; i < NODES; i++) {
		size_t len = (size_t)snprintf(name, sizeof name, "node-%d", i + 1);
		hashring_add(ring, name, len, 1.0);
		rendezvous_add(hrw, name, len, 1.0);
		maglev_add(mag, name, len);
	}
	printf("lab.hash in C (%d nodes, 10^6 string keys)\n", NODES);
	report("ring (160 vnodes; MD5 of the key + search)", run_ring, NULL, NKEYS);
	report("ring, key hash precomputed (binary search)", run_ring_pre, NULL, NKEYS);
	report("jump (FNV-1a + jump)", run_jump, NULL, NKEYS);
	report("rendezvous (FNV-1a + 10 scores)", run_hrw, NULL, NKEYS);
	report("maglev (FNV-1a + table, M = 65537)", run_maglev, NULL, NKEYS);
	report("modulo (FNV-1a mod N)", run_modulo, NULL, NKEYS);
	report("maglev table builds (10 adds, M = 65537)", run_maglev_build, NULL, 0);
	report("movement runs (ring, 10^5 keys, add)", run_movement, NULL, 0);
	hashring_free(ring);
	rendezvous_free(hrw);
	maglev_free(mag);
	return 0;
}
