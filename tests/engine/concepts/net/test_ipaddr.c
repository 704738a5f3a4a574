/* Unit tests of engine/concepts/net: ipaddr.c (text forms, CIDR) and nat.c. */
#include "unit.h"
#include "engine/concepts/net/ipaddr.h"
#include "engine/concepts/net/nat.h"
#include "engine/concepts/rand/rand.h"

#include <string.h>

static struct ipaddr parse(const char *s)
{
	struct ipaddr a = {0, 0};
	struct ip_error e;
	if (ip_parse(s, strlen(s), &a, &e) != 0)
		a.v = 0;
	return a;
}

/* Random addresses, biased towards runs of zero groups, survive both text
 * forms: parse(format(a)) == a. */
static void t_roundtrip(void)
{
	struct rng r;
	rng_seed(&r, 1);
	for (int i = 0; i < 20000; i++) {
		struct ipaddr a = {rng_below(&r, 2) ? 4 : 6, 0};
		for (int g = 0; g < (a.v == 4 ? 2 : 8); g++) {
			uint64_t x = rng_below(&r, 3) ? 0 : rng_below(&r, 65536);
			a.n = (a.n << 16) | x;
		}
		char t[IP_TEXT_MAX], f[IP_TEXT_MAX];
		ip_format(&a, t);
		ip_format_full(&a, f);
		struct ipaddr b = parse(t), c = parse(f);
		CHECK(b.v == a.v && b.n == a.n);
		CHECK(c.v == a.v && c.n == a.n);
		CHECK(strlen(t) <= 45);
	}
}

static void t_cidr_range_and_merge(void)
{
	struct cidr in[3], out[256];
	struct ip_error e;
	CHECK(cidr_parse("10.0.0.0/24", 11, &in[0], &e) == 0);
	CHECK(cidr_parse("10.0.1.0/24", 11, &in[1], &e) == 0);
	CHECK(cidr_parse("10.0.0.128/25", 13, &in[2], &e) == 0);
	struct ip_range rg[3];
	CHECK(cidr_merge(in, 3, rg) == 1);
	CHECK(cidr_range(&rg[0].lo, &rg[0].hi, out, 256) == 1);
	char t[IP_TEXT_MAX];
	cidr_format(&out[0], t);
	CHECK_STR(t, "10.0.0.0/23");
	/* the whole IPv6 space is one block; 0..2^128-2 is 128 blocks */
	struct ipaddr lo = {6, 0}, hi = {6, ~(ip_u128)0};
	CHECK(cidr_range(&lo, &hi, out, 256) == 1 && out[0].prefix == 0);
	hi.n -= 1;
	CHECK(cidr_range(&lo, &hi, out, 256) == 128);
	CHECK(cidr_range(&lo, &hi, out, 10) == -1);
	struct cidr sub;
	CHECK(cidr_subnet(&in[0], 26, 3, &sub) == 0);
	cidr_format(&sub, t);
	CHECK_STR(t, "10.0.0.192/26");
	CHECK(cidr_subnet(&in[0], 26, 4, &sub) == -1);
	CHECK(cidr_subnet(&in[0], 33, 0, &sub) == -1);
}

static struct nat_ep ep(uint32_t ip, uint16_t port)
{
	return (struct nat_ep){ip, port};
}

static void t_nat_expiry_and_ports(void)
{
	struct nat t;
	struct nat_conf c = {.public_ip = 0xCB007101,
	                     .port_lo = 100,
	                     .port_hi = 102,
	                     .mapping = NAT_ADDRESS_PORT,
	                     .filtering = NAT_ADDRESS_PORT,
	                     .timeout = 10,
	                     .hairpin = 1,
	                     .preserve_port = 0};
	nat_init(&t, &c);
	struct nat_result r;
	for (uint16_t p = 1; p <= 3; p++) {
		nat_outbound(&t, 0, ep(0x0A000001, 5000), ep(0x08080808, p), &r);
		CHECK(r.verdict == NAT_PASS && r.src.port == 99 + p);
	}
	nat_outbound(&t, 1, ep(0x0A000001, 5000), ep(0x08080808, 4), &r);
	CHECK(r.verdict == NAT_NO_PORTS && t.n == 3);
	nat_inbound(&t, 5, ep(0x08080808, 2), 101, &r);
	CHECK(r.verdict == NAT_PASS && r.dst.ip == 0x0A000001);
	nat_inbound(&t, 5, ep(0x08080808, 3), 101, &r);
	CHECK(r.verdict == NAT_FILTERED);
	nat_advance(&t, 10);
	CHECK(t.n == 0);
	nat_advance(&t, 3); /* never backwards */
	CHECK(t.now == 10);
	nat_free(&t);
}

static const struct test tests[] = {
    {"net/roundtrip", t_roundtrip},
    {"net/cidr_range_and_merge", t_cidr_range_and_merge},
    {"net/nat_expiry_and_ports", t_nat_expiry_and_ports},
    {0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
