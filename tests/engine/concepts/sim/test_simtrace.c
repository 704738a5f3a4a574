/* Unit tests of the trace's storage (engine/concepts/sim/simtrace.c):
 * records and payloads in chunks that never move, found again by index,
 * shared payloads, and what happens when memory runs out. */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/sim/simtrace.h"

#include <stdlib.h>
#include <string.h>

/* The payload of record I: I % 97 bytes, every 1000th 3 KB to 1 MB
 * (larger than the arena's next block while it is small), every 50,000th
 * 1 to 3 MB (a block of its own); each byte a function of I and its
 * place. */
static size_t payload_len(size_t i)
{
	if (i % 50000 == 49999)
		return ((size_t)1 << 20) + (i * 7919) % (2u << 20);
	if (i % 1000 == 999)
		return 3000 + (i * 104729) % (1u << 20);
	return i % 97;
}

static uint8_t payload_byte(size_t i, size_t j)
{
	return (uint8_t)(i * 31 + j * 7);
}

static void t_records_found_again(void)
{
	/* well past the doubling chunks (262,080 records) into fixed ones */
	const size_t n = 700000;
	struct simtrace *t = simtrace_new(4);
	CHECK(t);
	uint8_t *buf = malloc(3u << 20);
	CHECK(buf);
	for (size_t i = 0; i < n; i++) {
		struct simrec r = {.at = (int64_t)i * 1000, .kind = (uint8_t)(i % SIMR_KINDS),
				   .why = (uint8_t)(i % 4), .a = (uint32_t)(i % 5),
				   .b = (uint32_t)(i % 7), .id = i * 3, .aux = -(int64_t)i};
		long got;
		if (i % 3 == 2) { /* shares the payload of the record before */
			got = simtrace_add_same(t, &r, (long)i - 1);
		} else {
			size_t len = payload_len(i);
			for (size_t j = 0; j < len; j++)
				buf[j] = payload_byte(i, j);
			got = simtrace_add(t, &r, buf, len);
		}
		CHECK(got == (long)i);
	}
	free(buf);
	CHECK(simtrace_count(t) == n);
	CHECK(!simtrace_full(t));
	CHECK(simtrace_get(t, n) == NULL);
	for (size_t i = 0; i < n; i++) {
		const struct simrec *r = simtrace_get(t, i);
		CHECK(r->at == (int64_t)i * 1000 && r->id == i * 3 && r->aux == -(int64_t)i);
		CHECK(r->kind == i % SIMR_KINDS && r->why == i % 4 && r->a == i % 5 && r->b == i % 7);
		size_t src = i % 3 == 2 ? i - 1 : i, len = payload_len(src);
		CHECK(r->len == len);
		const uint8_t *p = simtrace_payload(t, r);
		CHECK(len ? p != NULL : p == NULL);
		for (size_t j = 0; j < len; j += len > 1000 ? 4093 : 1)
			CHECK(p[j] == payload_byte(src, j));
		if (len)
			CHECK(p[len - 1] == payload_byte(src, len - 1));
	}
	/* held: at least the records and the payloads */
	CHECK(simtrace_bytes(t) >= n * sizeof(struct simrec));
	simtrace_free(t);
}

/* ---- memory that runs out ---- */

static size_t allowed, charged;
static int refusals;

static int limit_charge(struct budget *b, size_t n)
{
	if (charged + n > allowed) {
		refusals++;
		return -1;
	}
	charged += n;
	return 0;
}

static void limit_credit(struct budget *b, size_t n)
{
	charged -= n;
}

static const char *never_stop(struct budget *b)
{
	return NULL;
}

static void t_full_keeps_what_it_has(void)
{
	struct budget b = {limit_charge, limit_credit, never_stop, NULL};
	allowed = 4u << 20;
	charged = 0;
	refusals = 0;
	struct budget *prev = budget_enter(&b);
	struct simtrace *t = simtrace_new(2);
	size_t i = 0;
	char msg[40];
	while (t) {
		struct simrec r = {.at = (int64_t)i, .kind = SIMR_LOG, .a = 1};
		int len = snprintf(msg, sizeof msg, "line %zu", i);
		if (simtrace_add(t, &r, msg, (size_t)len) < 0)
			break;
		i++;
	}
	CHECK(t);
	CHECK(refusals > 0 && simtrace_full(t));
	CHECK(i > 10000 && simtrace_count(t) == i);
	/* once full, nothing more is added, not even a record without payload */
	struct simrec r = {.kind = SIMR_START, .a = 1};
	CHECK(simtrace_add(t, &r, NULL, 0) < 0 && simtrace_add_same(t, &r, 0) < 0);
	CHECK(simtrace_count(t) == i);
	for (size_t k = 0; k < i; k += 997) {
		const struct simrec *x = simtrace_get(t, k);
		int len = snprintf(msg, sizeof msg, "line %zu", k);
		CHECK(x->at == (int64_t)k && x->len == (uint32_t)len);
		CHECK(memcmp(simtrace_payload(t, x), msg, (size_t)len) == 0);
	}
	struct sbuf sb = SBUF_INIT;
	struct simtrace_filter f = {.to = -1, .limit = 3, .last = 1};
	simtrace_text(&sb, t, &f);
	CHECK(strstr(sb.buf, "ran out of memory"));
	sbuf_free(&sb);
	simtrace_free(t);
	budget_leave(prev);
	CHECK(charged == 0); /* everything given back */
}

static const struct test tests[] = {
	{"simtrace/records_found_again", t_records_found_again},
	{"simtrace/full_keeps_what_it_has", t_full_keeps_what_it_has},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
