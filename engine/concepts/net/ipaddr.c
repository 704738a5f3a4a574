/*
 * ipaddr.c — IPv4/IPv6 text forms and CIDR arithmetic (see ipaddr.h).
 */
#include "engine/concepts/net/ipaddr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ip_bits(int v)
{
	return v == 4 ? 32 : 128;
}

static int fail(struct ip_error *e, size_t off, const char *why)
{
	e->off = off;
	e->why = why;
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses a dotted quad at S[0..LEN); offsets in errors are relative to BASE
 * bytes before S. */
static int parse4(const char *s, size_t len, uint32_t *out, struct ip_error *e, size_t base)
{
	uint32_t v = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return fail(e, base + i,
				            i >= len ? "an IPv4 address has four parts"
				                     : "expected '.' between the parts");
			i++;
		}
		size_t start = i;
		unsigned n = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			n = n * 10 + (unsigned)(s[i] - '0');
			if (n > 255)
				return fail(e, base + start,
				            "each part of an IPv4 address is 0..255");
			i++;
		}
		if (i == start)
			return fail(e, base + i, "expected a decimal number");
		if (i - start > 1 && s[start] == '0')
			return fail(
			    e, base + start,
			    "leading zero in an IPv4 part (ambiguous: octal to some parsers)");
		v = (v << 8) | n;
	}
	if (i != len)
		return fail(e, base + i, "unexpected text after the IPv4 address");
	*out = v;
	return 0;
}

/* Parses RFC 4291 text; offsets relative to S. */
static int parse6(const char *s, size_t len, ip_u128 *out, struct ip_error *e)
{
	uint16_t g[8];
	int ng = 0, gap = -1; /* groups read; index where "::" stands */
	size_t i = 0;
	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (len >= 1 && s[0] == ':') {
		return fail(e, 0, "a single ':' cannot start an IPv6 address");
	}
	while (i < len) {
		if (ng == 8)
			return fail(e, i, "more than eight groups");
		size_t start = i;
		unsigned n = 0;
		while (i < len && hexval(s[i]) >= 0) {
			if (i - start == 4)
				return fail(e, start, "a group has at most four hex digits");
			n = n * 16 + (unsigned)hexval(s[i]);
			i++;
		}
		if (i < len && s[i] == '.') { /* embedded IPv4 in the last 32 bits */
			if (ng > 6)
				return fail(e, start, "no room for an embedded IPv4 address");
			uint32_t v4;
			if (parse4(s + start, len - start, &v4, e, start) != 0)
				return -1;
			g[ng++] = (uint16_t)(v4 >> 16);
			g[ng++] = (uint16_t)v4;
			i = len;
			break;
		}
		if (i == start)
			return fail(e, i,
			            s[i] == '%' ? "zone ids are not supported"
			                        : "expected a hex digit");
		g[ng++] = (uint16_t)n;
		if (i == len)
			break;
		if (s[i] != ':')
			return fail(e, i,
			            s[i] == '%' ? "zone ids are not supported"
			                        : "unexpected character in an IPv6 address");
		i++;
		if (i < len && s[i] == ':') {
			if (gap >= 0)
				return fail(e, i - 1, "'::' may appear only once");
			gap = ng;
			i++;
		} else if (i == len) {
			return fail(e, i - 1, "an IPv6 address cannot end with a single ':'");
		}
	}
	if (gap < 0 && ng != 8)
		return fail(e, len, "an IPv6 address has eight groups (or '::')");
	if (gap >= 0 && ng == 8)
		return fail(e, len, "'::' must stand for at least one zero group");
	ip_u128 v = 0;
	int k = 0;
	for (int j = 0; j < 8; j++) {
		uint16_t x = 0;
		if (gap >= 0 && j >= gap && j < gap + (8 - ng))
			x = 0;
		else
			x = g[k++];
		v = (v << 16) | x;
	}
	*out = v;
	return 0;
}

int ip_parse(const char *s, size_t len, struct ipaddr *out, struct ip_error *e)
{
	if (len == 0)
		return fail(e, 0, "empty address");
	if (memchr(s, ':', len)) {
		out->v = 6;
		return parse6(s, len, &out->n, e);
	}
	uint32_t v4;
	out->v = 4;
	if (parse4(s, len, &v4, e, 0) != 0)
		return -1;
	out->n = v4;
	return 0;
}

static void format4(uint32_t v, char *out, size_t size)
{
	snprintf(out, size, "%u.%u.%u.%u", (v >> 24) & 255, (v >> 16) & 255, (v >> 8) & 255,
	         v & 255);
}

static void groups(ip_u128 n, unsigned g[8])
{
	for (int j = 7; j >= 0; j--) {
		g[j] = (unsigned)(n & 0xffff);
		n >>= 16;
	}
}

void ip_format(const struct ipaddr *a, char out[IP_TEXT_MAX])
{
	if (a->v == 4) {
		format4((uint32_t)a->n, out, IP_TEXT_MAX);
		return;
	}
	unsigned g[8];
	groups(a->n, g);
	if ((a->n >> 32) == 0xffff) { /* IPv4-mapped, RFC 5952 section 5 */
		char v4[16];
		format4((uint32_t)a->n, v4, sizeof v4);
		snprintf(out, IP_TEXT_MAX, "::ffff:%s", v4);
		return;
	}
	int best = -1, bestlen = 1; /* a single zero group is not compressed */
	for (int j = 0; j < 8;) {
		if (g[j] != 0) {
			j++;
			continue;
		}
		int k = j;
		while (k < 8 && g[k] == 0)
			k++;
		if (k - j > bestlen) {
			best = j;
			bestlen = k - j;
		}
		j = k;
	}
	size_t o = 0;
	for (int j = 0; j < 8; j++) {
		if (j == best) {
			o += (size_t)snprintf(out + o, IP_TEXT_MAX - o, "::");
			j += bestlen - 1;
			continue;
		}
		if (j > 0 && j != best + bestlen)
			out[o++] = ':';
		o += (size_t)snprintf(out + o, IP_TEXT_MAX - o, "%x", g[j]);
	}
	out[o] = '\0';
}

void ip_format_full(const struct ipaddr *a, char out[IP_TEXT_MAX])
{
	if (a->v == 4) {
		format4((uint32_t)a->n, out, IP_TEXT_MAX);
		return;
	}
	unsigned g[8];
	groups(a->n, g);
	snprintf(out, IP_TEXT_MAX, "%04x:%04x:%04x:%04x:%04x:%04x:%04x:%04x", g[0], g[1], g[2],
	         g[3], g[4], g[5], g[6], g[7]);
}

/* The mask of PREFIX leading ones among BITS bits. */
static ip_u128 maskbits(int bits, int prefix)
{
	if (prefix == 0)
		return 0;
	ip_u128 all = bits == 128 ? ~(ip_u128)0 : (((ip_u128)1 << bits) - 1);
	return all & ~((((ip_u128)1) << (bits - prefix)) - 1) & all;
}

static ip_u128 hostbits(int bits, int prefix)
{
	return bits - prefix == 128 ? ~(ip_u128)0 : ((ip_u128)1 << (bits - prefix)) - 1;
}

void cidr_make(struct cidr *c, const struct ipaddr *a, int prefix)
{
	c->given = *a;
	c->prefix = prefix;
	c->net.v = a->v;
	c->net.n = a->n & maskbits(ip_bits(a->v), prefix);
}

int cidr_parse(const char *s, size_t len, struct cidr *out, struct ip_error *e)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	struct ipaddr a;
	if (ip_parse(s, alen, &a, e) != 0)
		return -1;
	int bits = ip_bits(a.v), prefix = bits;
	if (slash) {
		size_t i = alen + 1;
		if (i == len)
			return fail(e, i, "expected a prefix length after '/'");
		prefix = 0;
		for (; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return fail(e, i, "the prefix length is a decimal number");
			if (i > alen + 1 && s[alen + 1] == '0')
				return fail(e, alen + 1, "leading zero in the prefix length");
			prefix = prefix * 10 + (s[i] - '0');
			if (prefix > bits)
				return fail(e, alen + 1,
				            a.v == 4 ? "an IPv4 prefix length is 0..32"
				                     : "an IPv6 prefix length is 0..128");
		}
	}
	cidr_make(out, &a, prefix);
	return 0;
}

void cidr_format(const struct cidr *c, char out[IP_TEXT_MAX])
{
	char a[IP_TEXT_MAX];
	ip_format(&c->net, a);
	snprintf(out, IP_TEXT_MAX, "%.48s/%d", a, c->prefix);
}

struct ipaddr cidr_mask(const struct cidr *c)
{
	struct ipaddr m = {c->net.v, maskbits(ip_bits(c->net.v), c->prefix)};
	return m;
}

struct ipaddr cidr_last(const struct cidr *c)
{
	struct ipaddr m = {c->net.v, c->net.n | hostbits(ip_bits(c->net.v), c->prefix)};
	return m;
}

void cidr_hosts(const struct cidr *c, struct ipaddr *first, struct ipaddr *last)
{
	int bits = ip_bits(c->net.v), k = bits - c->prefix;
	*first = c->net;
	*last = cidr_last(c);
	if (k >= 2) {
		first->n += 1;
		if (c->net.v == 4)
			last->n -= 1;
	}
}

double cidr_host_count(int v, int k)
{
	if (k == 0)
		return 1;
	if (k == 1)
		return 2;
	return ldexp(1.0, k) - (v == 4 ? 2 : 1);
}

int cidr_contains(const struct cidr *c, const struct ipaddr *a)
{
	return a->v == c->net.v && (a->n & maskbits(ip_bits(a->v), c->prefix)) == c->net.n;
}

int cidr_covers(const struct cidr *c, const struct cidr *in)
{
	return in->net.v == c->net.v && in->prefix >= c->prefix && cidr_contains(c, &in->net);
}

int cidr_subnet(const struct cidr *c, int newprefix, ip_u128 i, struct cidr *out)
{
	int bits = ip_bits(c->net.v);
	if (newprefix < c->prefix || newprefix > bits)
		return -1;
	int k = newprefix - c->prefix;
	if (k < 128 && i >> k != 0)
		return -1;
	struct ipaddr a = c->net;
	if (newprefix < bits)
		a.n |= i << (bits - newprefix);
	else
		a.n |= i;
	cidr_make(out, &a, newprefix);
	return 0;
}

int cidr_range(const struct ipaddr *first, const struct ipaddr *last, struct cidr *out, size_t cap)
{
	int bits = ip_bits(first->v);
	ip_u128 lo = first->n, hi = last->n;
	size_t n = 0;
	for (;;) {
		/* the largest block starting at lo that stays within hi */
		int k = 0;
		while (k < bits) {
			ip_u128 span = hostbits(bits, bits - k - 1); /* 2^(k+1) - 1 */
			if ((lo & span) != 0 || hi - lo < span)
				break;
			k++;
		}
		if (n == cap)
			return -1;
		struct ipaddr a = {first->v, lo};
		cidr_make(&out[n++], &a, bits - k);
		ip_u128 end = lo | hostbits(bits, bits - k);
		if (end >= hi)
			break;
		lo = end + 1;
	}
	return (int)n;
}

static int cmp_cidr(const void *pa, const void *pb)
{
	const struct cidr *a = pa, *b = pb;
	if (a->net.n != b->net.n)
		return a->net.n < b->net.n ? -1 : 1;
	return a->prefix - b->prefix;
}

int cidr_merge(struct cidr *in, size_t n, struct ip_range *out)
{
	if (n == 0)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (in[i].net.v != in[0].net.v)
			return -1;
	qsort(in, n, sizeof *in, cmp_cidr);
	size_t w = 0;
	out[0].lo = in[0].net;
	out[0].hi = cidr_last(&in[0]);
	for (size_t i = 1; i < n; i++) {
		struct ipaddr lo = in[i].net, hi = cidr_last(&in[i]);
		struct ip_range *r = &out[w];
		if (r->hi.n == ~(ip_u128)0 || lo.n <= r->hi.n + 1) { /* overlaps or touches */
			if (hi.n > r->hi.n)
				r->hi = hi;
			continue;
		}
		out[++w] = (struct ip_range){lo, hi};
	}
	return (int)(w + 1);
}
