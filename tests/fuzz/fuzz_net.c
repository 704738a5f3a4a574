/*
 * fuzz_net.c — libFuzzer target for lab.net's address and CIDR text forms
 * (engine/concepts/net/ipaddr.c): what parses must print and parse back to
 * the same value, in both forms; errors point inside the text.
 *
 *   make fuzz && build/fuzz/fuzz_net -max_total_time=60 tests/fuzz/corpus/fuzz_net
 */
#include "engine/concepts/net/ipaddr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed property: says which, then aborts (libFuzzer saves the input). */
#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct ipaddr a, b;
	struct cidr c, d;
	struct ip_error e;
	char t[IP_TEXT_MAX];
	if (ip_parse(s, size, &a, &e) == 0) {
		ip_format(&a, t);
		check(ip_parse(t, strlen(t), &b, &e) == 0 && b.v == a.v && b.n == a.n);
		ip_format_full(&a, t);
		check(ip_parse(t, strlen(t), &b, &e) == 0 && b.n == a.n);
	} else {
		check(e.off <= size && e.why);
	}
	if (cidr_parse(s, size, &c, &e) == 0) {
		cidr_format(&c, t);
		check(cidr_parse(t, strlen(t), &d, &e) == 0 && d.net.n == c.net.n &&
		      d.prefix == c.prefix);
		check(cidr_contains(&c, &c.given));
		struct cidr out[256];
		struct ipaddr last = cidr_last(&c);
		check(cidr_range(&c.net, &last, out, 256) == 1);
	} else {
		check(e.off <= size);
	}
	return 0;
}
