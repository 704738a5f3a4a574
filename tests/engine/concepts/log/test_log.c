/*
 * Tests of the partitioned log (engine/concepts/log/): Kafka's murmur2,
 * compaction, retention, the three assignors, and the seeded crash run.
 */
#include "unit.h"
#include "engine/concepts/log/log.h"

#include <stdlib.h>
#include <string.h>

#define DATA "tests/engine/concepts/log/data/"

static void t_murmur2_vectors(void)
{
	FILE *f = fopen(DATA "murmur2.tsv", "r");
	CHECK(f != NULL);
	char line[256];
	int rows = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		CHECK(tab != NULL);
		if (!tab)
			continue;
		*tab = '\0';
		long want = strtol(tab + 1, NULL, 10);
		CHECK_INT(plog_murmur2(line, strlen(line)), want);
		rows++;
	}
	if (f)
		fclose(f);
	CHECK_INT(rows, 24);
	CHECK_INT(plog_murmur2("", 0), 275646681);
	/* the default partitioner: toPositive(-973932308) mod 5 */
	CHECK_INT(plog_partition_for("21", 2, 5), (int)((-973932308 & 0x7fffffff) % 5));
}

/* Appends KEY=VAL to partition 0 (VAL NULL: a tombstone). */
static void put(struct plog *l, const char *key, const char *val)
{
	uint32_t p;
	uint64_t off;
	CHECK(plog_produce(l, 0, key, key ? strlen(key) : 0, val, val ? strlen(val) : 0, &p, &off) == 0);
}

/* Kafka's compaction example (section 4.8): the last value of each key
 * stays, with its offset; a tombstone deletes. */
static void t_compaction(void)
{
	struct plog l;
	CHECK(plog_init(&l, 1, PLOG_MURMUR2) == 0);
	put(&l, "k1", "a");        /* 0 */
	put(&l, "k2", "b");        /* 1 */
	put(&l, "k1", "c");        /* 2 */
	put(&l, NULL, "x");        /* 3: no key, stays */
	put(&l, "k2", NULL);       /* 4: tombstone */
	put(&l, "k3", "d");        /* 5 */
	CHECK_INT(plog_compact(&l.p[0], 0), 2);
	CHECK_INT(l.p[0].n, 4);
	CHECK_INT(l.p[0].r[0].offset, 2);
	CHECK_INT(l.p[0].r[1].offset, 3);
	CHECK_INT(l.p[0].r[2].offset, 4);
	CHECK(l.p[0].r[2].value == NULL);
	CHECK_INT(plog_compact(&l.p[0], 1), 1);   /* the tombstone goes */
	CHECK_INT(l.p[0].n, 3);
	CHECK_INT(l.p[0].end, 6);
	CHECK_INT(plog_seek(&l.p[0], 4), 2);      /* offset 4 gone: the next, 5 */
	CHECK_INT(plog_retain(&l.p[0], 1), 2);
	CHECK_INT(l.p[0].start, 5);
	plog_free(&l);
}

/* Joins members NAMES to G. */
static void join_all(struct plog_group *g, const char *const *names)
{
	for (; *names; names++)
		CHECK(plog_join(g, *names) == 1);
}

/* The owner of each partition, as member names' first letters. */
static void owners(const struct plog_group *g, char *out)
{
	for (uint32_t p = 0; p < g->l->nparts; p++)
		out[p] = g->owner[p] < 0 ? '-' : g->members[g->owner[p]][0];
	out[g->l->nparts] = '\0';
}

/* 7 partitions, 3 members: range gives 3,2,2 in runs; round robin deals;
 * sticky keeps what it can after c leaves. */
static void t_assignors(void)
{
	struct plog l;
	CHECK(plog_init(&l, 7, PLOG_MURMUR2) == 0);
	const char *const names[] = {"c", "a", "b", NULL};
	char got[16];
	struct plog_group g;
	CHECK(plog_group_init(&g, &l, PLOG_RANGE, PLOG_EARLIEST) == 0);
	join_all(&g, names);
	owners(&g, got);
	CHECK_STR(got, "aaabbcc");
	plog_group_free(&g);
	CHECK(plog_group_init(&g, &l, PLOG_ROUNDROBIN_ASSIGN, PLOG_EARLIEST) == 0);
	join_all(&g, names);
	owners(&g, got);
	CHECK_STR(got, "abcabca");
	plog_group_free(&g);
	CHECK(plog_group_init(&g, &l, PLOG_STICKY, PLOG_EARLIEST) == 0);
	join_all(&g, names);                      /* c: all; a: 0-3; b: ... */
	owners(&g, got);
	char before[16];
	strcpy(before, got);
	CHECK(plog_leave(&g, "c") == 1);
	owners(&g, got);
	int kept = 0, a = 0, b = 0;
	for (int p = 0; p < 7; p++) {
		kept += before[p] != 'c' && before[p] == got[p];
		a += got[p] == 'a';
		b += got[p] == 'b';
	}
	CHECK(a + b == 7 && abs(a - b) <= 1);
	int had = 0;
	for (int p = 0; p < 7; p++)
		had += before[p] != 'c';
	CHECK_INT(kept, had);                     /* no survivor lost a partition */
	plog_group_free(&g);
	plog_free(&l);
}

/* Committed offsets: a crash restarts at them; a moved partition too. */
static void t_commit_and_crash(void)
{
	struct plog l;
	CHECK(plog_init(&l, 2, PLOG_MURMUR2) == 0);
	for (int k = 0; k < 10; k++) {
		uint32_t p;
		uint64_t off;
		CHECK(plog_produce(&l, k % 2, "k", 1, "v", 1, &p, &off) == 0);
	}
	struct plog_group g;
	CHECK(plog_group_init(&g, &l, PLOG_RANGE, PLOG_EARLIEST) == 0);
	CHECK(plog_join(&g, "a") == 1);
	struct plog_fetch out[16];
	CHECK_INT(plog_poll(&g, 0, 3, out), 3);   /* partition 0: offsets 0 1 2 */
	plog_commit(&g, 0);
	CHECK_INT(g.committed[0], 3);
	CHECK_INT(g.committed[1], 0);           /* its position, as commitSync() does */
	CHECK_INT(plog_poll(&g, 0, 4, out), 4);   /* 3 4 of p0, 0 1 of p1 */
	plog_restart(&g, 0);                      /* crash before committing */
	CHECK_INT(g.position[0], 3);
	CHECK_INT(g.position[1], 0);
	CHECK(plog_join(&g, "b") == 1);           /* b takes partition 1 */
	CHECK_INT(g.owner[1], 1);
	CHECK_INT(plog_poll(&g, 1, 16, out), 5);
	plog_group_free(&g);
	plog_free(&l);
}

/* Over many seeds: committing after processing loses nothing; before,
 * it never duplicates. */
static void t_guarantees(void)
{
	for (uint64_t seed = 1; seed <= 30; seed++) {
		for (int when = 0; when < 2; when++) {
			struct plog_sim s = {.messages = 400, .seed = seed, .partitions = 1 + seed % 7,
					     .consumers = 1 + seed % 4, .batch = 1 + seed % 9,
					     .crash = 0.2, .commit = (enum plog_when)when,
					     .assignor = (enum plog_assignor)(seed % 3)};
			CHECK(plog_simulate(&s) == 0);
			CHECK(s.distinct + s.lost == s.messages);
			if (when == PLOG_COMMIT_AFTER)
				CHECK(s.lost == 0);
			else
				CHECK(s.duplicates == 0);
		}
	}
	struct plog_sim s = {.messages = 2000, .seed = 3, .partitions = 6, .consumers = 3,
			     .batch = 10, .crash = 0.1, .commit = PLOG_COMMIT_AFTER};
	CHECK(plog_simulate(&s) == 0);
	CHECK(s.duplicates > 20);
	s.commit = PLOG_COMMIT_BEFORE;
	CHECK(plog_simulate(&s) == 0);
	CHECK(s.lost > 20);
}

static const struct test tests[] = {
	{"log/murmur2_vectors", t_murmur2_vectors},
	{"log/compaction", t_compaction},
	{"log/assignors", t_assignors},
	{"log/commit_and_crash", t_commit_and_crash},
	{"log/guarantees", t_guarantees},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
