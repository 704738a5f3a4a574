/*
 * dnswire.c — DNS message encoding and decoding with name compression
 * (RFC 1035 section 4; see dnswire.h).
 */
#include "engine/concepts/dns/dnswire.h"

#include "engine/base/budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dns_buf_add(struct dns_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *q = budget_realloc(b->p, cap);
		if (!q)
			return -2;
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

void dns_buf_free(struct dns_buf *b)
{
	budget_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int fail(struct dns_error *e, size_t off, const char *why)
{
	e->off = off;
	e->why = why;
	return -1;
}

static int plain(uint8_t c)
{
	return c > 0x20 && c < 0x7f && !strchr(".\\()@;$\"", c);
}

/* Appends the label L[0..N) in text form, then a dot. */
static size_t label_text(const uint8_t *l, size_t n, char *out, size_t o)
{
	for (size_t i = 0; i < n; i++) {
		if (plain(l[i]))
			out[o++] = (char)l[i];
		else if (l[i] == '.' || l[i] == '\\')
			out[o++] = '\\', out[o++] = (char)l[i];
		else
			o += (size_t)sprintf(out + o, "\\%03u", l[i]);
	}
	out[o++] = '.';
	return o;
}

int dns_name_decode(const uint8_t *buf, size_t len, size_t off, char text[DNS_TEXT_MAX],
                    size_t *used, struct dns_error *e)
{
	size_t pos = off, wire = 1, o = 0, minpos = off;
	int jumped = 0;
	for (;;) {
		if (pos >= len)
			return fail(e, pos, "the name runs past the end of the message");
		uint8_t c = buf[pos];
		if (c == 0) {
			if (!jumped)
				*used = pos + 1 - off;
			break;
		}
		if ((c & 0xC0) == 0xC0) {
			if (pos + 1 >= len)
				return fail(e, pos, "a compression pointer cut short");
			size_t target = ((size_t)(c & 0x3F) << 8) | buf[pos + 1];
			if (target >= minpos)
				return fail(e, pos,
				            "a compression pointer that does not point back "
				            "before the name (a loop or a forward pointer)");
			if (!jumped)
				*used = pos + 2 - off;
			jumped = 1;
			minpos = pos = target;
			continue;
		}
		if (c & 0xC0)
			return fail(e, pos, "a label type RFC 1035 reserves (01 or 10)");
		if (pos + 1 + c > len)
			return fail(e, pos, "a label runs past the end of the message");
		wire += 1 + (size_t)c;
		if (wire > 255)
			return fail(e, pos, "a name longer than 255 bytes");
		o = label_text(buf + pos + 1, c, text, o);
		pos += 1 + (size_t)c;
	}
	if (o == 0)
		text[o++] = '.';
	text[o] = '\0';
	return 0;
}

int dns_name_wire(const char *text, uint8_t wire[255], size_t *n, const char **why)
{
	size_t w = 0, i = 0, tl = strlen(text);
	if (tl == 0)
		return *why = "an empty name (the root is \".\")", -1;
	if (strcmp(text, ".") == 0) {
		wire[0] = 0;
		*n = 1;
		return 0;
	}
	while (i < tl) {
		size_t lenpos = w++;
		uint8_t ll = 0;
		if (w >= 255)
			return *why = "a name longer than 255 bytes", -1;
		while (i < tl && text[i] != '.') {
			uint8_t c = (uint8_t)text[i++];
			if (c == '\\') {
				if (i + 2 < tl + 0 && text[i] >= '0' && text[i] <= '9') {
					if (!(text[i + 1] >= '0' && text[i + 1] <= '9' &&
					      text[i + 2] >= '0' && text[i + 2] <= '9'))
						return *why = "\\DDD needs three digits", -1;
					int v = (text[i] - '0') * 100 + (text[i + 1] - '0') * 10 +
					        (text[i + 2] - '0');
					if (v > 255)
						return *why = "\\DDD over 255", -1;
					c = (uint8_t)v;
					i += 3;
				} else if (i < tl) {
					c = (uint8_t)text[i++];
				} else {
					return *why = "a name ends with a backslash", -1;
				}
			}
			if (++ll > 63)
				return *why = "a label longer than 63 bytes", -1;
			if (w >= 254)
				return *why = "a name longer than 255 bytes", -1;
			wire[w++] = c;
		}
		if (ll == 0)
			return *why = "an empty label (two dots in a row)", -1;
		wire[lenpos] = ll;
		if (i < tl)
			i++; /* the dot */
	}
	wire[w++] = 0;
	*n = w;
	return 0;
}

int dns_name_eq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* ---- messages ---- */

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? 2 * *cap : 4;
	void *p = budget_realloc(*arr, c * size);
	if (!p)
		return -2;
	*arr = p;
	*cap = c;
	return 0;
}

int dns_msg_question(struct dns_msg *m, const char *name, uint16_t type, uint16_t class)
{
	if (grow((void **)&m->qd, &m->capqd, m->nqd, sizeof *m->qd))
		return -2;
	struct dns_question *q = &m->qd[m->nqd++];
	snprintf(q->name, sizeof q->name, "%s", name);
	q->type = type;
	q->class = class;
	return 0;
}

int dns_msg_rr(struct dns_msg *m, int section, const char *name, uint16_t type, uint16_t class,
               uint32_t ttl, const uint8_t *rdata, size_t rdlen)
{
	if (rdlen > 65535 || grow((void **)&m->rr[section], &m->caprr[section], m->nrr[section],
	                          sizeof(struct dns_rr)))
		return -2;
	uint8_t *d = budget_malloc(rdlen ? rdlen : 1);
	if (!d)
		return -2;
	memcpy(d, rdata, rdlen);
	struct dns_rr *r = &m->rr[section][m->nrr[section]++];
	snprintf(r->name, sizeof r->name, "%s", name);
	r->type = type;
	r->class = class;
	r->ttl = ttl;
	r->rdata = d;
	r->rdlen = (uint16_t)rdlen;
	return 0;
}

void dns_msg_free(struct dns_msg *m)
{
	budget_free(m->qd);
	for (int s = 0; s < 3; s++) {
		for (size_t i = 0; i < m->nrr[s]; i++)
			budget_free(m->rr[s][i].rdata);
		budget_free(m->rr[s]);
	}
	memset(m, 0, sizeof *m);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Appends the name at OFF, expanded, to D; *USED as dns_name_decode's. */
static int expand_name(const uint8_t *buf, size_t len, size_t off, struct dns_buf *d, size_t *used,
                       struct dns_error *e)
{
	char text[DNS_TEXT_MAX];
	uint8_t wire[255];
	size_t n;
	const char *why;
	if (dns_name_decode(buf, len, off, text, used, e) != 0)
		return -1;
	if (dns_name_wire(text, wire, &n, &why) != 0)
		return fail(e, off, why);
	return dns_buf_add(d, wire, n);
}

/* The data of a record of TYPE at BUF[OFF..OFF+RDLEN), uncompressed. */
static int rdata(const uint8_t *buf, size_t len, size_t off, size_t rdlen, uint16_t type,
                 struct dns_buf *d, struct dns_error *e)
{
	size_t end = off + rdlen, used = 0, at = off;
	int rc = 0;
	switch (type) {
	case DNS_A:
	case DNS_AAAA:
		if (rdlen != (type == DNS_A ? 4u : 16u))
			return fail(e, off - 2,
			            type == DNS_A ? "A data must be 4 bytes"
			                          : "AAAA data must be 16 bytes");
		return dns_buf_add(d, buf + off, rdlen);
	case DNS_NS:
	case DNS_CNAME:
	case DNS_PTR:
		rc = expand_name(buf, len, at, d, &used, e);
		at += used;
		break;
	case DNS_MX:
		if (rdlen < 3)
			return fail(e, off, "MX data too short");
		rc = dns_buf_add(d, buf + at, 2);
		at += 2;
		if (rc == 0)
			rc = expand_name(buf, len, at, d, &used, e);
		at += used;
		break;
	case DNS_SOA:
		for (int k = 0; k < 2 && rc == 0; k++) {
			rc = expand_name(buf, len, at, d, &used, e);
			at += used;
		}
		if (rc == 0 && at + 20 > end)
			return fail(e, at, "SOA data too short");
		if (rc == 0)
			rc = dns_buf_add(d, buf + at, 20);
		at += 20;
		break;
	case DNS_TXT:
		if (rdlen == 0)
			return fail(e, off, "TXT data holds at least one string");
		while (at < end) {
			if (at + 1 + buf[at] > end)
				return fail(e, at, "a TXT string runs past its record");
			at += 1 + (size_t)buf[at];
		}
		return dns_buf_add(d, buf + off, rdlen);
	default:
		return dns_buf_add(d, buf + off, rdlen);
	}
	if (rc != 0)
		return rc;
	if (at != end)
		return fail(e, off - 2, "the record's data length does not match its contents");
	return 0;
}

int dns_decode(const uint8_t *buf, size_t len, struct dns_msg *m, struct dns_error *e)
{
	memset(m, 0, sizeof *m);
	if (len < 12)
		return fail(e, len, "a message starts with a 12-byte header");
	m->id = get16(buf);
	m->flags = get16(buf + 2);
	size_t counts[4] = {get16(buf + 4), get16(buf + 6), get16(buf + 8), get16(buf + 10)};
	size_t pos = 12, used;
	for (size_t i = 0; i < counts[0]; i++) {
		char name[DNS_TEXT_MAX];
		if (dns_name_decode(buf, len, pos, name, &used, e) != 0)
			return -1;
		pos += used;
		if (pos + 4 > len)
			return fail(e, pos, "a question cut short (QDCOUNT says more)");
		if (dns_msg_question(m, name, get16(buf + pos), get16(buf + pos + 2)))
			return -2;
		pos += 4;
	}
	for (int s = 0; s < 3; s++) {
		for (size_t i = 0; i < counts[s + 1]; i++) {
			char name[DNS_TEXT_MAX];
			if (dns_name_decode(buf, len, pos, name, &used, e) != 0)
				return -1;
			pos += used;
			if (pos + 10 > len)
				return fail(e, pos, "a record cut short (the counts say more)");
			uint16_t type = get16(buf + pos), class = get16(buf + pos + 2);
			uint32_t ttl = get32(buf + pos + 4);
			size_t rdlen = get16(buf + pos + 8);
			pos += 10;
			if (pos + rdlen > len)
				return fail(e, pos - 2,
				            "RDLENGTH runs past the end of the message");
			struct dns_buf d = {0};
			int rc = rdata(buf, len, pos, rdlen, type, &d, e);
			if (rc == 0 && d.len > 65535)
				rc = fail(e, pos, "expanded data over 65535 bytes");
			if (rc == 0)
				rc = dns_msg_rr(m, s, name, type, class, ttl,
				                d.p ? d.p : (uint8_t *)"", d.len);
			dns_buf_free(&d);
			if (rc != 0)
				return rc;
			pos += rdlen;
		}
	}
	if (pos != len)
		return fail(e, pos, "bytes after the last record");
	return 0;
}

/* ---- encoding ---- */

struct written {
	size_t off;        /* where the suffix starts in the message */
	uint8_t wire[255]; /* the suffix, uncompressed */
	size_t n;
};

struct enc {
	struct dns_buf *out;
	struct written *w;
	size_t nw, capw;
	int compress;
};

static int wire_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++) {
		uint8_t x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/* Writes the uncompressed name WIRE[0..N), compressing its longest suffix
 * already written. */
static int put_name(struct enc *en, const uint8_t *wire, size_t n)
{
	size_t i = 0;
	while (wire[i] != 0) {
		if (en->compress) {
			for (size_t k = 0; k < en->nw; k++) {
				if (wire_eq(en->w[k].wire, en->w[k].n, wire + i, n - i)) {
					uint8_t ptr[2] = {(uint8_t)(0xC0 | (en->w[k].off >> 8)),
					                  (uint8_t)en->w[k].off};
					return dns_buf_add(en->out, ptr, 2);
				}
			}
		}
		if (en->out->len < 0x4000) {
			if (grow((void **)&en->w, &en->capw, en->nw, sizeof *en->w))
				return -2;
			struct written *w = &en->w[en->nw++];
			w->off = en->out->len;
			w->n = n - i;
			memcpy(w->wire, wire + i, n - i);
		}
		if (dns_buf_add(en->out, wire + i, 1 + (size_t)wire[i]))
			return -2;
		i += 1 + (size_t)wire[i];
	}
	return dns_buf_add(en->out, "", 1);
}

static int put_text_name(struct enc *en, const char *text, const char **why)
{
	uint8_t wire[255];
	size_t n;
	if (dns_name_wire(text, wire, &n, why) != 0)
		return -1;
	return put_name(en, wire, n);
}

static int put16(struct dns_buf *b, unsigned v)
{
	uint8_t t[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	return dns_buf_add(b, t, 2);
}

/* Length of the uncompressed name at P (within N bytes), or 0. */
static size_t wire_len(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != 0)
		i += 1 + (size_t)p[i];
	return i < n ? i + 1 : 0;
}

static int put_rdata(struct enc *en, const struct dns_rr *r)
{
	size_t lenpos = en->out->len;
	int rc = put16(en->out, 0);
	const uint8_t *d = r->rdata;
	size_t n = r->rdlen, k;
	int names = 0, fixed = 0;
	switch (r->type) {
	case DNS_NS:
	case DNS_CNAME:
	case DNS_PTR:
		names = 1;
		break;
	case DNS_MX:
		fixed = 2;
		names = 1;
		break;
	case DNS_SOA:
		names = 2;
		break;
	default:
		break;
	}
	if (rc == 0 && fixed)
		rc = dns_buf_add(en->out, d, fixed), d += fixed, n -= (size_t)fixed;
	for (int i = 0; rc == 0 && i < names; i++) {
		k = wire_len(d, n);
		if (k == 0)
			return -1;
		rc = put_name(en, d, k);
		d += k, n -= k;
	}
	if (rc == 0)
		rc = dns_buf_add(en->out, d, n);
	size_t rdlen = en->out->len - lenpos - 2;
	if (rc == 0 && rdlen > 65535)
		return -1;
	if (rc == 0) {
		en->out->p[lenpos] = (uint8_t)(rdlen >> 8);
		en->out->p[lenpos + 1] = (uint8_t)rdlen;
	}
	return rc;
}

int dns_encode(const struct dns_msg *m, int compress, struct dns_buf *out, const char **why)
{
	struct enc en = {out, NULL, 0, 0, compress};
	size_t start = out->len;
	if (m->nqd > 65535 || m->nrr[0] > 65535 || m->nrr[1] > 65535 || m->nrr[2] > 65535)
		return *why = "more than 65535 entries in a section", -1;
	int rc = put16(out, m->id) || put16(out, m->flags) || put16(out, (unsigned)m->nqd) ||
	                 put16(out, (unsigned)m->nrr[0]) || put16(out, (unsigned)m->nrr[1]) ||
	                 put16(out, (unsigned)m->nrr[2])
	             ? -2
	             : 0;
	en.out = out;
	(void)start;
	for (size_t i = 0; rc == 0 && i < m->nqd; i++) {
		rc = put_text_name(&en, m->qd[i].name, why);
		if (rc == 0)
			rc = put16(out, m->qd[i].type) || put16(out, m->qd[i].class) ? -2 : 0;
	}
	for (int s = 0; s < 3; s++) {
		for (size_t i = 0; rc == 0 && i < m->nrr[s]; i++) {
			const struct dns_rr *r = &m->rr[s][i];
			uint8_t ttl[4] = {(uint8_t)(r->ttl >> 24), (uint8_t)(r->ttl >> 16),
			                  (uint8_t)(r->ttl >> 8), (uint8_t)r->ttl};
			rc = put_text_name(&en, r->name, why);
			if (rc == 0)
				rc = put16(out, r->type) || put16(out, r->class) ||
				             dns_buf_add(out, ttl, 4)
				         ? -2
				         : 0;
			if (rc == 0 && (rc = put_rdata(&en, r)) == -1)
				*why = "malformed record data";
		}
	}
	budget_free(en.w);
	return rc;
}

/* ---- names of types and codes ---- */

static const struct {
	uint16_t code;
	const char *name;
} types[] = {{DNS_A, "A"},     {DNS_NS, "NS"},     {DNS_CNAME, "CNAME"},
             {DNS_SOA, "SOA"}, {DNS_PTR, "PTR"},   {DNS_MX, "MX"},
             {DNS_TXT, "TXT"}, {DNS_AAAA, "AAAA"}, {DNS_ANY, "ANY"}};

const char *dns_type_name(uint16_t type, char buf[16])
{
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (types[i].code == type)
			return types[i].name;
	snprintf(buf, 16, "TYPE%u", type);
	return buf;
}

uint16_t dns_type_code(const char *text)
{
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strcasecmp(text, types[i].name) == 0)
			return types[i].code;
	if (strncasecmp(text, "TYPE", 4) == 0 && text[4]) {
		char *end;
		unsigned long v = strtoul(text + 4, &end, 10);
		if (*end == '\0' && v > 0 && v <= 65535)
			return (uint16_t)v;
	}
	return 0;
}

const char *dns_rcode_name(int rcode)
{
	static const char *const names[] = {"NOERROR",  "FORMERR", "SERVFAIL",
	                                    "NXDOMAIN", "NOTIMP",  "REFUSED"};
	return rcode >= 0 && rcode < 6 ? names[rcode] : "RCODE?";
}
