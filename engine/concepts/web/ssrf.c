/* ssrf.c — the simulated network and the guards; see ssrf.h. */
#include "engine/concepts/web/ssrf.h"
#include "engine/concepts/web/weburl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct { const char *name, *ip, *ip2; } dns[] = {
	{"example.com", "93.184.215.14", NULL},
	{"www.example.com", "93.184.215.14", NULL},
	{"api.partner.example", "198.51.100.7", NULL},
	{"attacker.example", "203.0.113.66", NULL},
	{"internal.attacker.example", "10.0.0.5", NULL},
	{"metadata.attacker.example", "169.254.169.254", NULL},
	{"localtest.me", "127.0.0.1", NULL},
	{"rebind.attacker.example", "203.0.113.66", "169.254.169.254"}, /* TTL 0, alternating */
	{"localhost", "127.0.0.1", NULL},
	{"redis.internal", "10.0.0.5", NULL},
};

static const char creds_path[] = "/latest/meta-data/iam/security-credentials/app-role";

struct service {
	const char *ip;
	int port;
	const char *path;       /* a prefix; "" matches any */
	int status;
	const char *body;       /* for 3xx: the Location */
	int internal;
};

static const struct service services[] = {
	{"93.184.215.14", 80, "/redirect?to=", 302, NULL, 0},    /* an open redirect */
	{"93.184.215.14", 80, "", 200, "<h1>Example Domain</h1>", 0},
	{"93.184.215.14", 443, "", 200, "<h1>Example Domain</h1>", 0},
	{"198.51.100.7", 443, "", 200, "{\"partner\": \"ok\"}", 0},
	{"203.0.113.66", 80, "/to-metadata", 302,
	 "http://169.254.169.254/latest/meta-data/iam/security-credentials/app-role", 0},
	{"203.0.113.66", 80, "", 200, "<h1>attacker's page</h1>", 0},
	{"169.254.169.254", 80, creds_path, 200,
	 "{\"AccessKeyId\": \"ASIAEXAMPLEEXAMPLE\", \"SecretAccessKey\": \"wJalrXUtnFEMI/EXAMPLEKEY\", "
	 "\"Token\": \"IQoJb3JpZ2luX2VjEXAMPLE\"}", 1},
	{"169.254.169.254", 80, "/latest/meta-data/", 200, "ami-id\nhostname\niam/\ninstance-id", 1},
	{"10.0.0.5", 6379, "", 200, "-ERR unknown command 'GET' (Redis, no password)", 1},
	{"127.0.0.1", 8080, "/admin", 200, "<h1>Admin</h1> <form action=/admin/delete-all-users>", 1},
	{"127.0.0.1", 80, "", 200, "<h1>internal status page</h1> build 7f3a, db=10.0.0.9", 1},
};

/* One part of a WHATWG IPv4 address; -1 if not a number. */
static long long v4part(const char *s, size_t n)
{
	int base = 10;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2, n -= 2;
	else if (n >= 2 && s[0] == '0')
		base = 8, s++, n--;
	if (n == 0)
		return base == 16 ? 0 : -1;
	long long v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
			: isxdigit((unsigned char)s[i]) ? tolower((unsigned char)s[i]) - 'a' + 10 : 99;
		if (d >= base)
			return -1;
		v = v * base + d;
		if (v > 0xffffffffLL)
			return 1LL << 40;
	}
	return v;
}

int ssrf_host_address(const char *host, struct ipaddr *a)
{
	struct ip_error e;
	size_t n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
		return ip_parse(host + 1, n - 2, a, &e) == 0;
	char h[256];
	snprintf(h, sizeof h, "%s", host);
	n = strlen(h);
	if (n && h[n - 1] == '.')
		h[--n] = '\0';                           /* one trailing dot */
	long long part[4];
	int np = 0;
	for (char *p = h;; ) {
		size_t len = strcspn(p, ".");
		if (np == 4)
			return 0;
		part[np] = v4part(p, len);
		if (part[np] < 0)
			return 0;                            /* a name, not an address */
		np++;
		if (!p[len])
			break;
		p += len + 1;
	}
	unsigned long long v = 0;
	for (int i = 0; i < np - 1; i++) {
		if (part[i] > 255)
			return 0;
		v = v << 8 | (unsigned long long)part[i];
	}
	int rest = 4 - (np - 1);                         /* bytes the last part fills */
	if ((unsigned long long)part[np - 1] >= (1ULL << (8 * rest)))
		return 0;
	v = v << (8 * rest) | (unsigned long long)part[np - 1];
	a->v = 4;
	a->n = v;
	return 1;
}

int ssrf_internal(const struct ipaddr *a)
{
	static const char *const blocks[] = {
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
		"240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
	};
	struct ipaddr x = *a;
	if (x.v == 6 && (x.n >> 32) == 0xffff) {         /* ::ffff:a.b.c.d */
		x.v = 4;
		x.n &= 0xffffffffu;
	}
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		struct cidr c;
		struct ip_error e;
		if (cidr_parse(blocks[i], strlen(blocks[i]), &c, &e) == 0 && c.net.v == x.v &&
		    cidr_contains(&c, &x))
			return 1;
	}
	return 0;
}

/* Resolves NAME; QUERIES counts this fetch's lookups of the rebinding name. */
static int resolve(const char *name, int *queries, struct ipaddr *a)
{
	if (ssrf_host_address(name, a))
		return 1;
	for (size_t i = 0; i < sizeof dns / sizeof dns[0]; i++) {
		if (strcasecmp(dns[i].name, name) != 0)
			continue;
		const char *ip = dns[i].ip2 && (*queries)++ % 2 ? dns[i].ip2 : dns[i].ip;
		struct ip_error e;
		return ip_parse(ip, strlen(ip), a, &e) == 0;
	}
	return 0;
}

static int looks_internal_text(const char *host)
{
	static const char *const bad[] = {"localhost", "127.", "10.", "192.168.", "169.254.",
					  "0.0.0.0", "[::1]", "172.16."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strncasecmp(host, bad[i], strlen(bad[i])) == 0)
			return 1;
	return 0;
}

/* The service at A:PORT answering PATH, or NULL (connection refused). */
static const struct service *serve(const struct ipaddr *a, int port, const char *path)
{
	char ip[IP_TEXT_MAX];
	struct ipaddr x = *a;
	if (x.v == 6 && (x.n >> 32) == 0xffff)
		x.v = 4, x.n &= 0xffffffffu;
	if (x.v == 6 && x.n == 1)
		x.v = 4, x.n = 0x7f000001;              /* ::1 reaches the same loopback services */
	ip_format(&x, ip);
	if (x.v == 4 && (x.n >> 24) == 127)
		snprintf(ip, sizeof ip, "127.0.0.1");     /* all of 127/8 is this host */
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
		if (strcmp(services[i].ip, ip) == 0 && services[i].port == port &&
		    strncmp(path, services[i].path, strlen(services[i].path)) == 0)
			return &services[i];
	return NULL;
}

/* The path and query of URL (weburl keeps only the path). */
static const char *path_query(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : NULL;
	return p ? p : "/";
}

static void blocked(struct ssrf_result *r, const char *fmt, const char *arg)
{
	snprintf(r->blocked, sizeof r->blocked, fmt, arg);
}

void ssrf_fetch(const struct ssrf_request *rq, struct ssrf_result *r)
{
	memset(r, 0, sizeof *r);
	int queries = 0;
	char url[256];
	if (strlen(rq->url) >= sizeof url) {
		snprintf(r->error, sizeof r->error, "URL longer than 255 bytes");
		return;
	}
	snprintf(url, sizeof url, "%s", rq->url);
	for (;;) {
		if (r->nhops > SSRF_MAX_HOPS) {
			snprintf(r->error, sizeof r->error, "too many redirects");
			return;
		}
		snprintf(r->hops[r->nhops], sizeof r->hops[0], "%s", url);
		struct weburl u;
		if (weburl_parse(url, &u) != 0 || u.opaque) {
			snprintf(r->error, sizeof r->error, "not a URL: %s", url);
			return;
		}
		if (strcmp(u.scheme, "http") != 0 && strcmp(u.scheme, "https") != 0) {
			if (rq->guard != SSRF_NONE) {
				blocked(r, "scheme %s is not http or https", u.scheme);
				return;
			}
			snprintf(r->error, sizeof r->error, "this fetcher only speaks http(s)");
			return;
		}
		int first = r->nhops == 0;
		struct ipaddr a;
		switch (rq->guard) {
		case SSRF_BLOCKLIST:                         /* the user's URL only */
			if (first && looks_internal_text(u.host)) {
				blocked(r, "host '%s' is on the blocklist", u.host);
				return;
			}
			break;
		case SSRF_ALLOWLIST:
			if (first) {                         /* the bug: redirects unchecked */
				int ok = 0;
				for (size_t i = 0; i < rq->nallow; i++)
					ok |= strcasecmp(rq->allow[i], u.host) == 0;
				if (!ok) {
					blocked(r, "host '%s' is not on the allow list", u.host);
					return;
				}
			}
			break;
		case SSRF_RESOLVE:
		case SSRF_SAFE:
			if (!resolve(u.host, &queries, &a)) {
				snprintf(r->error, sizeof r->error, "cannot resolve %s", u.host);
				return;
			}
			if (ssrf_internal(&a)) {
				char ip[IP_TEXT_MAX];
				ip_format(&a, ip);
				snprintf(r->blocked, sizeof r->blocked, "%s resolves to %s, an internal address",
					 u.host, ip);
				return;
			}
			if (rq->guard == SSRF_SAFE && u.port != 80 && u.port != 443) {
				snprintf(r->blocked, sizeof r->blocked, "port %d is not 80 or 443", u.port);
				return;
			}
			break;
		case SSRF_NONE:
			break;
		}
		/* connect: SAFE uses the address it checked; the others resolve (again) */
		if (rq->guard != SSRF_SAFE && !resolve(u.host, &queries, &a)) {
			snprintf(r->error, sizeof r->error, "cannot resolve %s", u.host);
			return;
		}
		ip_format(&a, r->ips[r->nhops]);
		r->nhops++;
		const char *pq = path_query(url);
		const struct service *s = serve(&a, u.port, pq);
		if (!s) {
			snprintf(r->error, sizeof r->error, "connection refused: %s port %d", r->ips[r->nhops - 1],
				 u.port);
			return;
		}
		r->internal |= s->internal;
		if (s->status >= 300 && s->status < 400) {
			const char *loc = s->body ? s->body : strstr(pq, "to=") ? strstr(pq, "to=") + 3 : "/";
			r->status = s->status;
			snprintf(r->body, sizeof r->body, "Location: %s", loc);
			if (!rq->follow)
				return;
			if (strlen(loc) >= sizeof url) {
				snprintf(r->error, sizeof r->error, "Location longer than 255 bytes");
				return;
			}
			snprintf(url, sizeof url, "%s", loc);
			continue;
		}
		r->status = s->status;
		snprintf(r->body, sizeof r->body, "%s", s->body);
		return;
	}
}
