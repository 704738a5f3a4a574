/*
 * url_host.c — hosts of the URL Standard (section 3): IPv4 (with the
 * WHATWG's hex and octal parts), IPv6, opaque hosts and domains; the
 * percent-encode sets; Punycode (RFC 3492). See url.h for what "domain to
 * ASCII" covers.
 */
#include "engine/concepts/url/url.h"

#include "engine/base/budget.h"

#include <stdio.h>
#include <string.h>

int url_utf8_add(struct ustr *out, uint32_t c)
{
	char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6)), b[1] = (char)(0x80 | (c & 0x3F)), n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12)), b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F)), n = 3;
	} else {
		b[0] = (char)(0xF0 | (c >> 18)), b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F)), b[3] = (char)(0x80 | (c & 0x3F)), n = 4;
	}
	return ustr_add(out, b, n);
}

/* Whether code point C is in the percent-encode set SET. */
static int in_set(uint32_t c, enum url_set set)
{
	if (c < 0x20 || c > 0x7E)
		return 1;
	if (set == SET_C0)
		return 0;
	if (c == ' ' || c == '"' || c == '<' || c == '>')
		return 1;
	if (set == SET_FRAGMENT)
		return c == '`';
	if (c == '#')
		return 1;
	if (set == SET_QUERY)
		return 0;
	if (set == SET_SPECIAL_QUERY)
		return c == '\'';
	if (c == '?' || c == '^' || c == '`' || c == '{' || c == '}')
		return 1;
	if (set == SET_PATH)
		return 0;
	if (set == SET_COMPONENT && (c == '$' || c == '%' || c == '&' || c == '+' || c == ','))
		return 1;
	return c == '/' || c == ':' || c == ';' || c == '=' || c == '@' || c == '[' || c == '\\' ||
	       c == ']' || c == '|';
}

size_t url_pct_text(uint32_t c, enum url_set set, char out[12])
{
	static const char hex[] = "0123456789ABCDEF";
	if (!in_set(c, set)) {
		out[0] = (char)c;
		return 1;
	}
	unsigned char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (unsigned char)c, n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xC0 | (c >> 6)), b[1] = (unsigned char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (c >> 12));
		b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (c & 0x3F)), n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | (c >> 18));
		b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (c & 0x3F)), n = 4;
	}
	for (size_t i = 0; i < n; i++) {
		out[3 * i] = '%';
		out[3 * i + 1] = hex[b[i] >> 4];
		out[3 * i + 2] = hex[b[i] & 15];
	}
	return 3 * n;
}

int url_pct_encode(uint32_t c, enum url_set set, struct ustr *out)
{
	char t[12];
	return ustr_add(out, t, url_pct_text(c, set, t));
}

/* ---- IPv6 ---- */

static int hexval(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

static int digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* The IPv6 parser of the URL Standard (section 3.5). */
static int ipv6_parse(const uint32_t *cp, size_t n, uint16_t a[8], const char **why)
{
	memset(a, 0, 8 * sizeof *a);
	int piece = 0, compress = -1;
	size_t p = 0;
#define C (p < n ? cp[p] : 0xFFFFFFFFu)
	if (C == ':') {
		if (p + 1 >= n || cp[p + 1] != ':')
			return *why = "an IPv6 address cannot start with a single ':'", -1;
		p += 2;
		compress = ++piece;
	}
	while (p < n) {
		if (piece == 8)
			return *why = "an IPv6 address has at most eight pieces", -1;
		if (C == ':') {
			if (compress >= 0)
				return *why = "'::' may appear only once in an IPv6 address", -1;
			p++;
			compress = ++piece;
			continue;
		}
		unsigned value = 0, length = 0;
		while (length < 4 && p < n && hexval(C) >= 0) {
			value = value * 16 + (unsigned)hexval(C);
			p++, length++;
		}
		if (C == '.') {
			if (length == 0)
				return *why = "expected a number before '.' in an IPv6 address", -1;
			p -= length;
			if (piece > 6)
				return *why = "no room for an IPv4 part in the IPv6 address", -1;
			int seen = 0;
			while (p < n) {
				int v4 = -1;
				if (seen > 0) {
					if (C == '.' && seen < 4)
						p++;
					else
						return *why =
						           "invalid IPv4 part in an IPv6 address",
						       -1;
				}
				if (!digit(C))
					return *why = "invalid IPv4 part in an IPv6 address", -1;
				while (p < n && digit(C)) {
					int d = (int)(C - '0');
					if (v4 < 0)
						v4 = d;
					else if (v4 == 0)
						return *why = "leading zero in an IPv4 part of an "
						              "IPv6 address",
						       -1;
					else
						v4 = v4 * 10 + d;
					if (v4 > 255)
						return *why = "an IPv4 part over 255 in an IPv6 "
						              "address",
						       -1;
					p++;
				}
				a[piece] = (uint16_t)(a[piece] * 0x100 + v4);
				seen++;
				if (seen == 2 || seen == 4)
					piece++;
			}
			if (seen != 4)
				return *why = "an IPv4 part of an IPv6 address needs four numbers",
				       -1;
			break;
		} else if (C == ':') {
			p++;
			if (p >= n)
				return *why = "an IPv6 address cannot end with a single ':'", -1;
		} else if (p < n) {
			return *why = "invalid character in an IPv6 address", -1;
		}
		a[piece++] = (uint16_t)value;
	}
#undef C
	if (compress >= 0) {
		int swaps = piece - compress;
		piece = 7;
		while (piece != 0 && swaps > 0) {
			uint16_t t = a[piece];
			a[piece] = a[compress + swaps - 1];
			a[compress + swaps - 1] = t;
			piece--, swaps--;
		}
	} else if (piece != 8) {
		return *why = "an IPv6 address has eight pieces (or '::')", -1;
	}
	return 0;
}

static int ipv6_serialize(const uint16_t a[8], struct ustr *out)
{
	int best = -1, bestlen = 1;
	for (int i = 0; i < 8;) {
		int k = i;
		while (k < 8 && a[k] == 0)
			k++;
		if (k - i > bestlen)
			best = i, bestlen = k - i;
		i = k > i ? k : i + 1;
	}
	int ignore0 = 0;
	for (int i = 0; i < 8; i++) {
		if (ignore0 && a[i] == 0)
			continue;
		ignore0 = 0;
		if (i == best) {
			if (ustr_adds(out, i == 0 ? "::" : ":"))
				return -2;
			ignore0 = 1;
			continue;
		}
		char t[8];
		snprintf(t, sizeof t, "%x", a[i]);
		if (ustr_adds(out, t) || (i != 7 && ustr_adds(out, ":")))
			return -2;
	}
	return 0;
}

/* ---- IPv4 ---- */

/* The IPv4 number parser: -1 on failure; values saturate above 2^32. */
static int ipv4_number(const uint32_t *cp, size_t n, uint64_t *v)
{
	if (n == 0)
		return -1;
	int radix = 10;
	if (n >= 2 && cp[0] == '0' && (cp[1] == 'x' || cp[1] == 'X'))
		cp += 2, n -= 2, radix = 16;
	else if (n >= 2 && cp[0] == '0')
		cp += 1, n -= 1, radix = 8;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hexval(cp[i]);
		if (d < 0 || d >= radix)
			return -1;
		x = x * (uint64_t)radix + (uint64_t)d;
		if (x > ((uint64_t)1 << 40))
			x = (uint64_t)1 << 40;
	}
	*v = x;
	return 0;
}

/* Whether the domain CP[0..N) "ends in a number" (section 3.5). */
static int ends_in_number(const uint32_t *cp, size_t n)
{
	size_t end = n;
	if (end > 0 && cp[end - 1] == '.')
		end--; /* an empty last part is dropped */
	size_t start = end;
	while (start > 0 && cp[start - 1] != '.')
		start--;
	if (start == end)
		return 0;
	int all = 1;
	for (size_t i = start; i < end; i++)
		all = all && digit(cp[i]);
	uint64_t v;
	return all || ipv4_number(cp + start, end - start, &v) == 0;
}

static int ipv4_parse(const uint32_t *cp, size_t n, uint32_t *out, const char **why)
{
	uint64_t nums[4];
	int cnt = 0;
	size_t start = 0;
	if (n > 0 && cp[n - 1] == '.')
		n--; /* a trailing dot is dropped (validation error only) */
	for (size_t i = 0; i <= n; i++) {
		if (i < n && cp[i] != '.')
			continue;
		if (cnt == 4)
			return *why = "an IPv4 address has at most four parts", -1;
		if (ipv4_number(cp + start, i - start, &nums[cnt]) != 0)
			return *why = "a part of this IPv4 address is not a number", -1;
		cnt++;
		start = i + 1;
	}
	for (int i = 0; i < cnt - 1; i++)
		if (nums[i] > 255)
			return *why = "an IPv4 part over 255", -1;
	if (nums[cnt - 1] >= ((uint64_t)1 << (8 * (5 - cnt))))
		return *why = "the last IPv4 part is too large", -1;
	uint64_t v = nums[cnt - 1];
	for (int i = 0; i < cnt - 1; i++)
		v += nums[i] << (8 * (3 - i));
	*out = (uint32_t)v;
	return 0;
}

/* ---- Punycode (RFC 3492 section 6) ---- */

enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, IBIAS = 72, IN = 128 };

static uint32_t adapt(uint32_t delta, uint32_t numpoints, int first)
{
	delta = first ? delta / DAMP : delta / 2;
	delta += delta / numpoints;
	uint32_t k = 0;
	while (delta > ((BASE - TMIN) * TMAX) / 2) {
		delta /= BASE - TMIN;
		k += BASE;
	}
	return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

static char enc_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + d - 26);
}

int url_punycode_encode(const uint32_t *cp, size_t n, struct ustr *out)
{
	uint32_t h = 0, b, m, delta = 0, bias = IBIAS, nn = IN;
	for (size_t i = 0; i < n; i++)
		if (cp[i] < 0x80) {
			if (ustr_add(out, &(char){(char)cp[i]}, 1))
				return -2;
			h++;
		}
	b = h;
	if (b > 0 && ustr_add(out, "-", 1))
		return -2;
	while (h < n) {
		m = 0xFFFFFFFFu;
		for (size_t i = 0; i < n; i++)
			if (cp[i] >= nn && cp[i] < m)
				m = cp[i];
		if ((uint64_t)(m - nn) * (h + 1) + delta > 0xFFFFFFFFu)
			return -1;
		delta += (m - nn) * (h + 1);
		nn = m;
		for (size_t i = 0; i < n; i++) {
			if (cp[i] < nn && ++delta == 0)
				return -1;
			if (cp[i] != nn)
				continue;
			uint32_t q = delta;
			for (uint32_t k = BASE;; k += BASE) {
				uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
				if (q < t)
					break;
				if (ustr_add(out, &(char){enc_digit(t + (q - t) % (BASE - t))}, 1))
					return -2;
				q = (q - t) / (BASE - t);
			}
			if (ustr_add(out, &(char){enc_digit(q)}, 1))
				return -2;
			bias = adapt(delta, h + 1, h == b);
			delta = 0;
			h++;
		}
		delta++, nn++;
	}
	return 0;
}

int url_punycode_decode(const char *s, size_t n, uint32_t *out, size_t max, size_t *nout)
{
	size_t basic = 0, o = 0;
	for (size_t j = 0; j < n; j++)
		if (s[j] == '-')
			basic = j;
	for (size_t j = 0; j < basic; j++) {
		if ((unsigned char)s[j] >= 0x80 || o >= max)
			return -1;
		out[o++] = (unsigned char)s[j];
	}
	uint32_t nn = IN, bias = IBIAS, i = 0;
	for (size_t in = basic > 0 ? basic + 1 : 0; in < n;) {
		uint32_t oldi = i, w = 1;
		for (uint32_t k = BASE;; k += BASE) {
			if (in >= n)
				return -1;
			char c = s[in++];
			uint32_t d = c >= '0' && c <= '9'   ? (uint32_t)(c - '0' + 26)
			             : c >= 'a' && c <= 'z' ? (uint32_t)(c - 'a')
			             : c >= 'A' && c <= 'Z' ? (uint32_t)(c - 'A')
			                                    : BASE;
			if (d >= BASE || (uint64_t)d * w > 0xFFFFFFFFu - i)
				return -1;
			i += d * w;
			uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
			if (d < t)
				break;
			if ((uint64_t)w * (BASE - t) > 0xFFFFFFFFu)
				return -1;
			w *= BASE - t;
		}
		bias = adapt(i - oldi, (uint32_t)o + 1, oldi == 0);
		if (i / (o + 1) > 0x10FFFF - nn)
			return -1;
		nn += i / (uint32_t)(o + 1);
		i %= (uint32_t)(o + 1);
		if (o >= max || (nn >= 0xD800 && nn <= 0xDFFF))
			return -1;
		memmove(out + i + 1, out + i, (o - i) * sizeof *out);
		out[i++] = nn;
		o++;
	}
	*nout = o;
	return 0;
}

/* ---- domains and hosts ---- */

static int forbidden_host(uint32_t c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' || c == '#' || c == '/' ||
	       c == ':' || c == '<' || c == '>' || c == '?' || c == '@' || c == '[' || c == '\\' ||
	       c == ']' || c == '^' || c == '|';
}

static int forbidden_domain(uint32_t c)
{
	return forbidden_host(c) || c <= 0x1F || c == '%' || c == 0x7F;
}

/* Decodes UTF-8 bytes B[0..N) into CP (room for N); -1 if invalid. */
static int utf8_decode_strict(const unsigned char *b, size_t n, uint32_t *cp, size_t *ncp)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c = b[i];
		int extra;
		if (c < 0x80)
			extra = 0;
		else if (c >= 0xC2 && c < 0xE0)
			extra = 1;
		else if (c >= 0xE0 && c < 0xF0)
			extra = 2;
		else if (c >= 0xF0 && c < 0xF5)
			extra = 3;
		else
			return -1;
		if (n - i - 1 < (size_t)extra)
			return -1;
		if (extra)
			c &= 0x3Fu >> extra;
		for (int k = 1; k <= extra; k++) {
			if ((b[i + k] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (b[i + k] & 0x3F);
		}
		if ((extra == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
		    (extra == 3 && (c < 0x10000 || c > 0x10FFFF)))
			return -1;
		cp[o++] = c;
		i += (size_t)extra + 1;
	}
	*ncp = o;
	return 0;
}

/*
 * The part of the UTS #46 mapping step (section 4, step 1) this file knows,
 * in place: code points that are "ignored" are removed; ASCII and Latin-1
 * capitals are lowercased; fullwidth ASCII (U+FF01..U+FF5E) becomes ASCII
 * and U+3000 a space (their NFKC mappings); noncharacters, U+FFFD, C1
 * controls and private use are "disallowed" (-1). Anything else passes
 * unmapped: the limitation url.h states.
 */
static int uts46_map(uint32_t *cp, size_t *n)
{
	size_t w = 0;
	for (size_t i = 0; i < *n; i++) {
		uint32_t c = cp[i];
		if (c == 0xAD || c == 0x34F || (c >= 0x180B && c <= 0x180F) || c == 0x200B ||
		    c == 0x2060 || c == 0x2064 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
		    (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0xE0100 && c <= 0xE01EF))
			continue;
		if ((c >= 0x80 && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
		    (c & 0xFFFE) == 0xFFFE || c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF) ||
		    c >= 0xF0000)
			return -1;
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		if (c == 0x3000)
			c = ' ';
		if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
			c += 0x20;
		cp[w++] = c;
	}
	*n = w;
	return 0;
}

/* Checks the Punycode part S[0..N) of an xn-- label: it must decode to
 * something non-ASCII that the mapping leaves unchanged. 0, -1 with *WHY,
 * -2 without memory. */
static int check_xn(const char *s, size_t n, const char **why)
{
	uint32_t *dec = budget_malloc((n + 1) * sizeof *dec);
	uint32_t *map = budget_malloc((n + 1) * sizeof *map);
	size_t nd = 0, nm, non_ascii = 0;
	int rc = dec && map ? 0 : -2;
	if (rc == 0 && (url_punycode_decode(s, n, dec, n + 1, &nd) != 0 || nd == 0)) {
		*why = "an xn-- label that is not valid Punycode";
		rc = -1;
	}
	for (size_t k = 0; rc == 0 && k < nd; k++)
		non_ascii += dec[k] >= 0x80;
	if (rc == 0 && !non_ascii) {
		*why = "an xn-- label that decodes to plain ASCII";
		rc = -1;
	}
	if (rc == 0) {
		memcpy(map, dec, nd * sizeof *dec);
		nm = nd;
		if (uts46_map(map, &nm) != 0 || nm != nd || memcmp(map, dec, nd * sizeof *dec)) {
			*why = "an xn-- label that is not in mapped form";
			rc = -1;
		}
	}
	budget_free(dec);
	budget_free(map);
	return rc;
}

/* Domain to ASCII, the subset url.h describes; appends to OUT. */
static int to_ascii(uint32_t *cp, size_t n, struct ustr *out, const char **why)
{
	if (uts46_map(cp, &n) != 0)
		return *why = "a code point IDNA disallows in a domain", -1;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && cp[i] != '.' && cp[i] != 0x3002 && cp[i] != 0xFF0E && cp[i] != 0xFF61)
			continue;
		const uint32_t *lab = cp + start;
		size_t ln = i - start, ascii = 1;
		for (size_t k = 0; k < ln; k++)
			ascii = ascii && lab[k] < 0x80;
		if (ascii) {
			size_t at = out->len;
			for (size_t k = 0; k < ln; k++) {
				char c = (char)lab[k];
				if (c >= 'A' && c <= 'Z')
					c = (char)(c - 'A' + 'a');
				if (ustr_add(out, &c, 1))
					return -2;
			}
			if (ln >= 4 && memcmp(out->p + at, "xn--", 4) == 0) {
				int rc = check_xn(out->p + at + 4, ln - 4, why);
				if (rc != 0)
					return rc;
			}
		} else {
			if (ustr_adds(out, "xn--"))
				return -2;
			int rc = url_punycode_encode(lab, ln, out);
			if (rc != 0)
				return rc == -2 ? -2
				                : (*why = "a label Punycode cannot encode", -1);
		}
		if (i < n && ustr_add(out, ".", 1))
			return -2;
		start = i + 1;
	}
	return 0;
}

static int opaque_host(const uint32_t *cp, size_t n, struct ustr *out, const char **why)
{
	for (size_t i = 0; i < n; i++)
		if (forbidden_host(cp[i]))
			return *why = "a forbidden host code point in an opaque host", -1;
	for (size_t i = 0; i < n; i++)
		if (url_pct_encode(cp[i], SET_C0, out))
			return -2;
	return 0;
}

/* Percent-decodes CP[0..N) (code points, as UTF-8) into bytes. */
static int pct_decode(const uint32_t *cp, size_t n, struct ustr *bytes)
{
	for (size_t i = 0; i < n; i++) {
		if (cp[i] == '%' && i + 2 < n && hexval(cp[i + 1]) >= 0 && hexval(cp[i + 2]) >= 0) {
			char c = (char)(hexval(cp[i + 1]) * 16 + hexval(cp[i + 2]));
			if (ustr_add(bytes, &c, 1))
				return -2;
			i += 2;
		} else if (url_utf8_add(bytes, cp[i])) {
			return -2;
		}
	}
	return 0;
}

int url_host_parse(const uint32_t *cp, size_t n, int not_special, enum url_host *kind,
                   struct ustr *out, const char **why)
{
	if (n > 0 && cp[0] == '[') {
		if (cp[n - 1] != ']')
			return *why = "an IPv6 address without its closing ']'", -1;
		uint16_t a[8];
		if (ipv6_parse(cp + 1, n - 2, a, why) != 0)
			return -1;
		*kind = URL_HOST_IPV6;
		return ipv6_serialize(a, out);
	}
	if (not_special) {
		*kind = URL_HOST_OPAQUE;
		return opaque_host(cp, n, out, why);
	}
	struct ustr bytes = {0}, ascii = {0};
	uint32_t *dom = NULL;
	size_t nd = 0;
	int rc = pct_decode(cp, n, &bytes);
	if (rc == 0) {
		dom = budget_malloc((bytes.len + 1) * sizeof *dom);
		rc = dom ? 0 : -2;
	}
	if (rc == 0 && utf8_decode_strict((const unsigned char *)(bytes.p ? bytes.p : ""),
	                                  bytes.len, dom, &nd) != 0) {
		*why = "the percent-decoded host is not UTF-8";
		rc = -1;
	}
	if (rc == 0)
		rc = to_ascii(dom, nd, &ascii, why);
	if (rc == 0 && ascii.len == 0) {
		*why = "empty host";
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < ascii.len; i++)
		if (forbidden_domain((unsigned char)ascii.p[i])) {
			*why = "a forbidden domain code point in the host";
			rc = -1;
		}
	if (rc == 0) {
		uint32_t *acp = budget_malloc((ascii.len + 1) * sizeof *acp);
		if (!acp)
			rc = -2;
		for (size_t i = 0; acp && i < ascii.len; i++)
			acp[i] = (unsigned char)ascii.p[i];
		if (acp && ends_in_number(acp, ascii.len)) {
			uint32_t v4;
			rc = ipv4_parse(acp, ascii.len, &v4, why);
			if (rc == 0) {
				char t[16];
				snprintf(t, sizeof t, "%u.%u.%u.%u", v4 >> 24, (v4 >> 16) & 255,
				         (v4 >> 8) & 255, v4 & 255);
				*kind = URL_HOST_IPV4;
				rc = ustr_adds(out, t);
			}
		} else if (acp) {
			*kind = URL_HOST_DOMAIN;
			rc = ustr_add(out, ascii.p, ascii.len);
		}
		budget_free(acp);
	}
	ustr_free(&bytes);
	ustr_free(&ascii);
	budget_free(dom);
	return rc;
}
