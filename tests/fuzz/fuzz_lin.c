/*
 * fuzz_lin.c — libFuzzer target for lab.lin (engine/concepts/lin): any
 * bytes as a Jepsen log; what parses is checked against every model the
 * operations allow. No crash, no leak, a verdict of 0 or 1, an explanation
 * that points inside the history.
 *
 *   make fuzz && build/fuzz/fuzz_lin -max_total_time=60 tests/fuzz/corpus/fuzz_lin
 */
#include "engine/concepts/lin/lin.h"

#include <stdio.h>
#include <stdlib.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct lin_history h = {0};
	const char *err;
	long bad = lin_parse_jepsen((const char *)data, size, &h, &err);
	check(bad >= 0);
	if (bad == 0 && h.n <= 200) {
		int cas = 0, append = 0;
		for (size_t i = 0; i < h.n; i++) {
			cas |= h.ops[i].f == LIN_CAS;
			append |= h.ops[i].f == LIN_APPEND;
		}
		enum lin_model models[2] = {append ? LIN_KV_APPEND : cas ? LIN_CAS_REGISTER : LIN_REGISTER,
					    append ? LIN_KV_APPEND : LIN_KV};
		for (int m = 0; m < 2; m++) {
			struct lin_result r;
			check(lin_check(&h, models[m], &r) == 0);
			check(r.linearizable == 0 || r.linearizable == 1);
			if (r.linearizable == 0) {
				check(r.stuck >= 0 && (size_t)r.stuck < h.n);
				for (size_t i = 0; i < r.order_n; i++)
					check(r.order[i] < h.n);
			}
			lin_result_free(&r);
		}
	}
	lin_history_free(&h);
	return 0;
}
