/*
 * dnszone.c — the built-in zones and their authoritative servers (see
 * dnszone.h).
 */
#include "engine/concepts/dns/dnszone.h"

#include "engine/concepts/net/ipaddr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the data ---- */

const struct dns_server dns_servers[] = {
    {"a.root-servers.net.", "198.41.0.4", 0.020},
    {"b.root-servers.net.", "170.247.170.2", 0.030},
    {"a.gtld-servers.net.", "192.5.6.30", 0.025},
    {"b.gtld-servers.net.", "192.33.14.30", 0.035},
    {"a0.org.afilias-nst.org.", "199.19.56.1", 0.040},
    {"ns1.example.com.", "192.0.2.53", 0.060},
    {"ns1.example.net.", "198.51.100.53", 0.070},
    {"ns2.example.net.", "198.51.100.54", 0.080},
    {"ns.example.org.", "203.0.113.53", 0.050},
    {"ns.shop.example.org.", "203.0.113.153", 0.090},
};
const size_t dns_nservers = sizeof dns_servers / sizeof *dns_servers;

static const struct dns_zrec root[] = {
    {".", "SOA", 86400,
     "a.root-servers.net. nstld.verisign-grs.com. 2024010100 "
     "1800 900 604800 86400"},
    {".", "NS", 518400, "a.root-servers.net."},
    {".", "NS", 518400, "b.root-servers.net."},
    {"com.", "NS", 172800, "a.gtld-servers.net."},
    {"com.", "NS", 172800, "b.gtld-servers.net."},
    {"net.", "NS", 172800, "a.gtld-servers.net."},
    {"net.", "NS", 172800, "b.gtld-servers.net."},
    {"org.", "NS", 172800, "a0.org.afilias-nst.org."},
    {"a.root-servers.net.", "A", 518400, "198.41.0.4"},
    {"b.root-servers.net.", "A", 518400, "170.247.170.2"},
    {"a.gtld-servers.net.", "A", 172800, "192.5.6.30"},
    {"b.gtld-servers.net.", "A", 172800, "192.33.14.30"},
    {"a0.org.afilias-nst.org.", "A", 172800, "199.19.56.1"},
};

static const struct dns_zrec com[] = {
    {"com.", "SOA", 900,
     "a.gtld-servers.net. nstld.verisign-grs.com. 1700000000 "
     "1800 900 604800 900"},
    {"com.", "NS", 172800, "a.gtld-servers.net."},
    {"com.", "NS", 172800, "b.gtld-servers.net."},
    {"example.com.", "NS", 172800, "ns1.example.com."},
    {"example.com.", "NS", 172800, "ns2.example.net."},
    {"ns1.example.com.", "A", 172800, "192.0.2.53"},
};

static const struct dns_zrec net[] = {
    {"net.", "SOA", 900,
     "a.gtld-servers.net. nstld.verisign-grs.com. 1700000000 "
     "1800 900 604800 900"},
    {"net.", "NS", 172800, "a.gtld-servers.net."},
    {"net.", "NS", 172800, "b.gtld-servers.net."},
    {"example.net.", "NS", 172800, "ns1.example.net."},
    {"example.net.", "NS", 172800, "ns2.example.net."},
    {"ns1.example.net.", "A", 172800, "198.51.100.53"},
    {"ns2.example.net.", "A", 172800, "198.51.100.54"},
};

static const struct dns_zrec org[] = {
    {"org.", "SOA", 900,
     "a0.org.afilias-nst.org. hostmaster.org. 2024010100 "
     "1800 900 604800 3600"},
    {"org.", "NS", 86400, "a0.org.afilias-nst.org."},
    {"example.org.", "NS", 86400, "ns.example.org."},
    {"ns.example.org.", "A", 86400, "203.0.113.53"},
};

static const struct dns_zrec example_com[] = {
    {"example.com.", "SOA", 3600,
     "ns1.example.com. hostmaster.example.com. 2024010101 "
     "7200 3600 1209600 300"},
    {"example.com.", "NS", 86400, "ns1.example.com."},
    {"example.com.", "NS", 86400, "ns2.example.net."},
    {"example.com.", "A", 300, "192.0.2.10"},
    {"example.com.", "AAAA", 300, "2001:db8::10"},
    {"example.com.", "MX", 3600, "10 mail.example.com."},
    {"example.com.", "TXT", 3600, "\"v=spf1 mx -all\""},
    {"ns1.example.com.", "A", 86400, "192.0.2.53"},
    {"www.example.com.", "CNAME", 3600, "example.com."},
    {"mail.example.com.", "A", 300, "192.0.2.25"},
    {"cdn.example.com.", "CNAME", 60, "www.example.com."},
    {"api.example.com.", "CNAME", 600, "api.example.net."},
    {"loop1.example.com.", "CNAME", 60, "loop2.example.com."},
    {"loop2.example.com.", "CNAME", 60, "loop1.example.com."},
    {"a.b.deep.example.com.", "A", 300, "192.0.2.99"},
};

static const struct dns_zrec example_net[] = {
    {"example.net.", "SOA", 3600,
     "ns1.example.net. hostmaster.example.net. 2024010101 "
     "7200 3600 1209600 600"},
    {"example.net.", "NS", 86400, "ns1.example.net."},
    {"example.net.", "NS", 86400, "ns2.example.net."},
    {"ns1.example.net.", "A", 86400, "198.51.100.53"},
    {"ns2.example.net.", "A", 86400, "198.51.100.54"},
    {"api.example.net.", "A", 120, "198.51.100.80"},
    {"api.example.net.", "AAAA", 120, "2001:db8:100::80"},
    {"edge.example.net.", "CNAME", 300, "edge.cdn.example.org."},
};

static const struct dns_zrec example_org[] = {
    {"example.org.", "SOA", 3600,
     "ns.example.org. hostmaster.example.org. 2024010101 "
     "7200 3600 1209600 120"},
    {"example.org.", "NS", 86400, "ns.example.org."},
    {"ns.example.org.", "A", 86400, "203.0.113.53"},
    {"example.org.", "A", 300, "203.0.113.10"},
    {"edge.cdn.example.org.", "A", 30, "203.0.113.80"},
    {"shop.example.org.", "NS", 86400, "ns.shop.example.org."},
    {"ns.shop.example.org.", "A", 86400, "203.0.113.153"},
};

static const struct dns_zrec shop[] = {
    {"shop.example.org.", "SOA", 3600,
     "ns.shop.example.org. hostmaster.shop.example.org. 2024010101 "
     "7200 3600 1209600 60"},
    {"shop.example.org.", "NS", 86400, "ns.shop.example.org."},
    {"ns.shop.example.org.", "A", 86400, "203.0.113.153"},
    {"shop.example.org.", "A", 300, "203.0.113.200"},
    {"www.shop.example.org.", "CNAME", 300, "shop.example.org."},
};

#define ZONE(nm, recs, ...)                                                                        \
	{                                                                                          \
		nm, {__VA_ARGS__}, recs, sizeof recs / sizeof *recs                                \
	}
const struct dns_zone dns_zones[] = {
    ZONE(".", root, "198.41.0.4", "170.247.170.2"),
    ZONE("com.", com, "192.5.6.30", "192.33.14.30"),
    ZONE("net.", net, "192.5.6.30", "192.33.14.30"),
    ZONE("org.", org, "199.19.56.1"),
    ZONE("example.com.", example_com, "192.0.2.53", "198.51.100.54"),
    ZONE("example.net.", example_net, "198.51.100.53", "198.51.100.54"),
    ZONE("example.org.", example_org, "203.0.113.53"),
    ZONE("shop.example.org.", shop, "203.0.113.153"),
};
const size_t dns_nzones = sizeof dns_zones / sizeof *dns_zones;

/* ---- names ---- */

int dns_name_under(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);
	if (strcmp(zone, ".") == 0)
		return 1;
	if (n < z || strcasecmp(name + n - z, zone) != 0)
		return 0;
	return n == z || name[n - z - 1] == '.';
}

const struct dns_server *dns_server_find(const char *s)
{
	for (size_t i = 0; i < dns_nservers; i++) {
		const struct dns_server *v = &dns_servers[i];
		size_t k = strlen(s);
		if (strcmp(v->ip, s) == 0 || strcasecmp(v->name, s) == 0 ||
		    (k + 1 == strlen(v->name) && strncasecmp(v->name, s, k) == 0))
			return v;
	}
	return NULL;
}

/* ---- record data ---- */

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
	p[3] = (uint8_t)v;
}

/* Reads the next space-separated word of *S into W (size WS). */
static int word(const char **s, char *w, size_t ws)
{
	while (**s == ' ')
		(*s)++;
	size_t n = 0;
	while (**s && **s != ' ' && n + 1 < ws)
		w[n++] = *(*s)++;
	w[n] = '\0';
	return n > 0 && (**s == '\0' || **s == ' ');
}

static int number(const char *w, uint32_t *v)
{
	char *end;
	unsigned long x = strtoul(w, &end, 10);
	if (!*w || *end || x > 0xFFFFFFFFul || w[0] == '-')
		return -1;
	*v = (uint32_t)x;
	return 0;
}

int dns_rdata_from_text(uint16_t type, const char *data, uint8_t *rdata, size_t *n,
                        const char **why)
{
	char w[DNS_TEXT_MAX];
	size_t k;
	struct ipaddr a;
	struct ip_error ie;
	const char *s = data;
	switch (type) {
	case DNS_A:
	case DNS_AAAA:
		if (ip_parse(data, strlen(data), &a, &ie) != 0 || a.v != (type == DNS_A ? 4 : 6))
			return *why = type == DNS_A ? "A data is an IPv4 address"
			                            : "AAAA data is an IPv6 address",
			       -1;
		k = type == DNS_A ? 4 : 16;
		for (size_t i = 0; i < k; i++)
			rdata[i] = (uint8_t)(a.n >> (8 * (k - 1 - i)));
		*n = k;
		return 0;
	case DNS_NS:
	case DNS_CNAME:
	case DNS_PTR:
		if (!word(&s, w, sizeof w) || *s)
			return *why = "the data is one domain name", -1;
		return dns_name_wire(w, rdata, n, why);
	case DNS_MX: {
		uint32_t pref;
		if (!word(&s, w, sizeof w) || number(w, &pref) || pref > 65535)
			return *why = "MX data is a preference (0-65535) and a name", -1;
		put16(rdata, pref);
		if (!word(&s, w, sizeof w) || *s)
			return *why = "MX data is a preference (0-65535) and a name", -1;
		if (dns_name_wire(w, rdata + 2, &k, why) != 0)
			return -1;
		*n = k + 2;
		return 0;
	}
	case DNS_SOA: {
		size_t o = 0;
		for (int i = 0; i < 2; i++) {
			if (!word(&s, w, sizeof w) || dns_name_wire(w, rdata + o, &k, why) != 0)
				return *why = "SOA data is mname rname serial refresh retry expire "
				              "minimum",
				       -1;
			o += k;
		}
		for (int i = 0; i < 5; i++) {
			uint32_t v;
			if (!word(&s, w, sizeof w) || number(w, &v) != 0)
				return *why = "SOA data is mname rname serial refresh retry expire "
				              "minimum",
				       -1;
			put32(rdata + o, v);
			o += 4;
		}
		if (*s)
			return *why = "text after the SOA minimum", -1;
		*n = o;
		return 0;
	}
	case DNS_TXT: {
		size_t o = 0;
		while (*s) {
			while (*s == ' ')
				s++;
			if (!*s)
				break;
			size_t lenpos = o++;
			int quoted = *s == '"';
			if (quoted)
				s++;
			size_t len = 0;
			while (*s && (quoted ? *s != '"' : *s != ' ')) {
				if (*s == '\\' && s[1])
					s++;
				if (len == 255 || o >= 511)
					return *why = "a TXT string longer than 255 bytes", -1;
				rdata[o++] = (uint8_t)*s++, len++;
			}
			if (quoted && *s++ != '"')
				return *why = "an unterminated quoted TXT string", -1;
			rdata[lenpos] = (uint8_t)len;
		}
		if (o == 0)
			return *why = "TXT data holds at least one string", -1;
		*n = o;
		return 0;
	}
	default: { /* RFC 3597: \# length hex */
		uint32_t len;
		if (!word(&s, w, sizeof w) || strcmp(w, "\\#") || !word(&s, w, sizeof w) ||
		    number(w, &len) || len > 512)
			return *why = "data of other types is written \\# LENGTH HEX (RFC 3597)",
			       -1;
		size_t o = 0;
		while (*s) {
			if (*s == ' ') {
				s++;
				continue;
			}
			unsigned b;
			if (!s[1] || sscanf(s, "%2x", &b) != 1 || o >= len)
				return *why = "the hex does not match the length", -1;
			rdata[o++] = (uint8_t)b;
			s += 2;
		}
		if (o != len)
			return *why = "the hex does not match the length", -1;
		*n = o;
		return 0;
	}
	}
}

/* Appends the name at RDATA[*AT] (uncompressed) as text. */
static void name_at(const uint8_t *rdata, size_t n, size_t *at, char *out, size_t outsz)
{
	char t[DNS_TEXT_MAX];
	size_t used = 0;
	struct dns_error e;
	if (dns_name_decode(rdata, n, *at, t, &used, &e) != 0)
		snprintf(t, sizeof t, "?");
	*at += used ? used : n - *at;
	size_t o = strlen(out);
	snprintf(out + o, outsz - o, "%s", t);
}

void dns_rdata_text(uint16_t type, const uint8_t *rdata, size_t n, char *out, size_t outsz)
{
	size_t at = 0, o;
	out[0] = '\0';
	switch (type) {
	case DNS_A:
	case DNS_AAAA:
		if (n == (type == DNS_A ? 4u : 16u)) {
			struct ipaddr a = {type == DNS_A ? 4 : 6, 0};
			for (size_t i = 0; i < n; i++)
				a.n = (a.n << 8) | rdata[i];
			char t[IP_TEXT_MAX];
			ip_format(&a, t);
			snprintf(out, outsz, "%s", t);
			return;
		}
		break;
	case DNS_NS:
	case DNS_CNAME:
	case DNS_PTR:
		name_at(rdata, n, &at, out, outsz);
		return;
	case DNS_MX:
		if (n >= 3) {
			snprintf(out, outsz, "%u ", (unsigned)(rdata[0] << 8 | rdata[1]));
			at = 2;
			name_at(rdata, n, &at, out, outsz);
			return;
		}
		break;
	case DNS_SOA:
		name_at(rdata, n, &at, out, outsz);
		o = strlen(out);
		snprintf(out + o, outsz - o, " ");
		name_at(rdata, n, &at, out, outsz);
		for (int i = 0; i < 5 && at + 4 <= n; i++, at += 4) {
			o = strlen(out);
			snprintf(out + o, outsz - o, " %u",
			         (unsigned)((uint32_t)rdata[at] << 24 |
			                    (uint32_t)rdata[at + 1] << 16 |
			                    (uint32_t)rdata[at + 2] << 8 | rdata[at + 3]));
		}
		return;
	case DNS_TXT:
		o = 0;
		while (at < n && o + 8 < outsz) {
			size_t len = rdata[at++];
			if (o)
				out[o++] = ' ';
			out[o++] = '"';
			for (size_t i = 0; i < len && at < n && o + 6 < outsz; i++, at++) {
				uint8_t c = rdata[at];
				if (c == '"' || c == '\\')
					out[o++] = '\\', out[o++] = (char)c;
				else if (c >= 0x20 && c < 0x7f)
					out[o++] = (char)c;
				else
					o += (size_t)snprintf(out + o, outsz - o, "\\%03u", c);
			}
			out[o++] = '"';
			out[o] = '\0';
		}
		return;
	default:
		break;
	}
	o = (size_t)snprintf(out, outsz, "\\# %zu", n);
	for (size_t i = 0; i < n && o + 4 < outsz; i++)
		o += (size_t)snprintf(out + o, outsz - o, "%s%02x", i ? "" : " ", rdata[i]);
}

/* ---- the authoritative servers ---- */

static int serves(const struct dns_zone *z, const char *ip)
{
	for (int i = 0; i < 4 && z->servers[i]; i++)
		if (strcmp(z->servers[i], ip) == 0)
			return 1;
	return 0;
}

static int add_rec(struct dns_msg *m, int section, const struct dns_zrec *r, uint32_t ttl)
{
	uint8_t rd[512];
	size_t n;
	const char *why;
	uint16_t type = dns_type_code(r->type);
	if (dns_rdata_from_text(type, r->data, rd, &n, &why) != 0)
		return -2; /* the built-in data is checked by the tests */
	return dns_msg_rr(m, section, r->owner, type, DNS_IN, ttl, rd, n);
}

/* The deepest delegation (NS records below the apex) in Z above NAME. */
static const char *cut_for(const struct dns_zone *z, const char *name)
{
	const char *best = NULL;
	for (size_t i = 0; i < z->n; i++) {
		const struct dns_zrec *r = &z->recs[i];
		if (strcmp(r->type, "NS") || dns_name_eq(r->owner, z->name) ||
		    !dns_name_under(name, r->owner))
			continue;
		if (!best || strlen(r->owner) > strlen(best))
			best = r->owner;
	}
	return best;
}

static int referral(const struct dns_zone *z, const char *cut, struct dns_msg *m)
{
	for (size_t i = 0; i < z->n; i++) {
		const struct dns_zrec *r = &z->recs[i];
		if (strcmp(r->type, "NS") || !dns_name_eq(r->owner, cut))
			continue;
		if (add_rec(m, DNS_AUTHORITY, r, r->ttl))
			return -2;
		for (size_t k = 0; k < z->n; k++) { /* glue */
			const struct dns_zrec *g = &z->recs[k];
			if ((!strcmp(g->type, "A") || !strcmp(g->type, "AAAA")) &&
			    dns_name_eq(g->owner, r->data) && add_rec(m, DNS_ADDITIONAL, g, g->ttl))
				return -2;
		}
	}
	return 0;
}

/* The SOA of Z in the authority section, TTL min(SOA TTL, MINIMUM). */
static int negative(const struct dns_zone *z, struct dns_msg *m)
{
	for (size_t i = 0; i < z->n; i++) {
		const struct dns_zrec *r = &z->recs[i];
		if (strcmp(r->type, "SOA"))
			continue;
		const char *p = strrchr(r->data, ' ');
		uint32_t minimum = (uint32_t)strtoul(p + 1, NULL, 10);
		return add_rec(m, DNS_AUTHORITY, r, r->ttl < minimum ? r->ttl : minimum);
	}
	return 0;
}

int dns_server_answer(const char *ip, uint16_t id, const char *name, uint16_t type,
                      struct dns_msg *m)
{
	memset(m, 0, sizeof *m);
	m->id = id;
	m->flags = DNS_QR;
	if (dns_msg_question(m, name, type, DNS_IN))
		return -2;
	const struct dns_zone *z = NULL;
	for (size_t i = 0; i < dns_nzones; i++)
		if (serves(&dns_zones[i], ip) && dns_name_under(name, dns_zones[i].name) &&
		    (!z || strlen(dns_zones[i].name) > strlen(z->name)))
			z = &dns_zones[i];
	if (!z) {
		m->flags |= DNS_REFUSED;
		return 0;
	}
	const char *cut = cut_for(z, name);
	if (cut)
		return referral(z, cut, m);
	m->flags |= DNS_AA;
	char cur[DNS_TEXT_MAX], seen[8][DNS_TEXT_MAX];
	snprintf(cur, sizeof cur, "%s", name);
	for (int chain = 0; chain < 8; chain++) {
		int exists = 0, found = 0;
		const struct dns_zrec *cname = NULL;
		snprintf(seen[chain], sizeof seen[chain], "%s", cur);
		for (size_t i = 0; i < z->n; i++) {
			const struct dns_zrec *r = &z->recs[i];
			if (!dns_name_eq(r->owner, cur))
				continue;
			exists = 1;
			uint16_t t = dns_type_code(r->type);
			if (t == type || type == DNS_ANY) {
				if (add_rec(m, DNS_ANSWER, r, r->ttl))
					return -2;
				found = 1;
			} else if (t == DNS_CNAME) {
				cname = r;
			}
		}
		if (found)
			return 0;
		if (cname) {
			if (add_rec(m, DNS_ANSWER, cname, cname->ttl))
				return -2;
			snprintf(cur, sizeof cur, "%s", cname->data);
			int again = 0;
			for (int k = 0; k <= chain; k++)
				again |= dns_name_eq(seen[k], cur);
			if (again || !dns_name_under(cur, z->name) || cut_for(z, cur))
				return 0; /* a loop, or another zone's name: the resolver goes on */
			continue;
		}
		for (size_t i = 0; !exists && i < z->n; i++) /* an empty non-terminal? */
			exists = dns_name_under(z->recs[i].owner, cur);
		if (!exists)
			m->flags |= DNS_NXDOMAIN;
		return negative(z, m);
	}
	return 0;
}
