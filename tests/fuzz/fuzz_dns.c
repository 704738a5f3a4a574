/*
 * fuzz_dns.c — libFuzzer target for the DNS wire codec
 * (engine/concepts/dns/dnswire.c).
 *
 * Any bytes as a message: a decoded message must encode again, with and
 * without compression, and both encodings must decode to the same message
 * (decode(encode(x)) = x); errors point inside the input. The name decoder
 * runs at every offset too.
 *
 *   make fuzz && build/fuzz/fuzz_dns -max_total_time=60 tests/fuzz/corpus/fuzz_dns
 */
#include "engine/concepts/dns/dnswire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed property: says which, then aborts (libFuzzer saves the input). */
#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

static void same(const struct dns_msg *a, const struct dns_msg *b)
{
	check(a->id == b->id && a->flags == b->flags && a->nqd == b->nqd);
	for (size_t i = 0; i < a->nqd; i++)
		check(strcasecmp(a->qd[i].name, b->qd[i].name) == 0 &&
		      a->qd[i].type == b->qd[i].type);
	for (int s = 0; s < 3; s++) {
		check(a->nrr[s] == b->nrr[s]);
		for (size_t i = 0; i < a->nrr[s]; i++) {
			const struct dns_rr *x = &a->rr[s][i], *y = &b->rr[s][i];
			check(strcasecmp(x->name, y->name) == 0 && x->type == y->type &&
			      x->ttl == y->ttl && x->rdlen == y->rdlen &&
			      memcmp(x->rdata, y->rdata, x->rdlen) == 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg m;
	struct dns_error e;
	int rc = dns_decode(data, size, &m, &e);
	if (rc == -1)
		check(e.off <= size && e.why);
	if (rc == 0) {
		for (int c = 0; c < 2; c++) {
			struct dns_buf out = {0};
			const char *why;
			check(dns_encode(&m, c, &out, &why) == 0);
			struct dns_msg back;
			check(dns_decode(out.p, out.len, &back, &e) == 0);
			same(&m, &back);
			dns_msg_free(&back);
			dns_buf_free(&out);
		}
	}
	dns_msg_free(&m);
	for (size_t off = 0; off < size && off < 64; off++) {
		char text[DNS_TEXT_MAX];
		size_t used;
		if (dns_name_decode(data, size, off, text, &used, &e) == 0) {
			uint8_t wire[255];
			size_t n;
			const char *why;
			check(used >= 1 && off + used <= size);
			check(dns_name_wire(text, wire, &n, &why) == 0);
		}
	}
	return 0;
}
