/* weburl.c — see weburl.h. */
#include "engine/concepts/web/weburl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int weburl_default_port(const char *scheme)
{
	static const struct { const char *s; int port; } d[] = {
		{"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}, {"ftp", 21},
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (strcmp(d[i].s, scheme) == 0)
			return d[i].port;
	return -1;
}

static int copy_lower(char *out, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return 0;
}

int weburl_parse(const char *s, struct weburl *u)
{
	memset(u, 0, sizeof *u);
	u->port = -1;
	size_t n = strcspn(s, ":/?#");
	if (n == 0 || s[n] != ':' || !isalpha((unsigned char)s[0]))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("+-.", s[i]))
			return -1;
	if (copy_lower(u->scheme, sizeof u->scheme, s, n) != 0)
		return -1;
	const char *p = s + n + 1;
	if (p[0] != '/' || p[1] != '/') {
		u->opaque = 1;
		return strlen(p) < WEBURL_MAX ? (strcpy(u->path, p), 0) : -1;
	}
	p += 2;
	size_t alen = strcspn(p, "/?#");             /* the authority */
	const char *at = memchr(p, '@', alen);
	const char *host = at ? at + 1 : p;
	size_t hlen = alen - (size_t)(host - p);
	const char *colon = NULL;
	if (hlen && host[0] == '[') {
		const char *close = memchr(host, ']', hlen);
		if (!close)
			return -1;
		if ((size_t)(close + 1 - host) < hlen)
			colon = close + 1;
	} else {
		colon = memchr(host, ':', hlen);
	}
	size_t namelen = colon ? (size_t)(colon - host) : hlen;
	if (namelen == 0 || copy_lower(u->host, sizeof u->host, host, namelen) != 0)
		return -1;
	if (colon) {
		if (*colon != ':')
			return -1;
		int port = 0, digits = 0;
		for (const char *q = colon + 1; q < host + hlen; q++, digits++) {
			if (!isdigit((unsigned char)*q) || port > 65535)
				return -1;
			port = port * 10 + (*q - '0');
		}
		u->port = digits ? port : weburl_default_port(u->scheme);
		if (port > 65535)
			return -1;
	} else {
		u->port = weburl_default_port(u->scheme);
	}
	const char *path = p + alen;
	size_t plen = strcspn(path, "?#");
	if (plen >= sizeof u->path)
		return -1;
	if (plen == 0)
		strcpy(u->path, "/");
	else
		memcpy(u->path, path, plen), u->path[plen] = '\0';
	return 0;
}

int weburl_same_origin(const struct weburl *a, const struct weburl *b)
{
	return !a->opaque && !b->opaque && strcmp(a->scheme, b->scheme) == 0 &&
	       strcmp(a->host, b->host) == 0 && a->port == b->port;
}

void weburl_origin(const struct weburl *u, char *out, size_t size)
{
	if (u->opaque) {
		snprintf(out, size, "null");
		return;
	}
	if (u->port == weburl_default_port(u->scheme) || u->port < 0)
		snprintf(out, size, "%s://%s", u->scheme, u->host);
	else
		snprintf(out, size, "%s://%s:%d", u->scheme, u->host, u->port);
}

static const char *const suffixes[] = {
	"com", "org", "net", "edu", "gov", "io", "dev", "app", "test", "example", "localhost",
	"invalid", "internal", "co.uk", "org.uk", "ac.uk", "com.au", "github.io",
	"herokuapp.com", "co.jp", "de", "fr", "uk", "jp", "au",
};

int weburl_is_public_suffix(const char *host)
{
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (strcmp(host, suffixes[i]) == 0)
			return 1;
	return 0;
}

static int is_ip(const char *h)
{
	if (h[0] == '[')
		return 1;
	for (; *h; h++)
		if (!isdigit((unsigned char)*h) && *h != '.')
			return 0;
	return 1;
}

const char *weburl_registrable(const char *host)
{
	if (is_ip(host) || weburl_is_public_suffix(host))
		return host;
	/* label starts from the left: the first suffix on the list is the
	 * longest; the registrable domain starts one label before it */
	const char *prev = host;
	for (const char *dot = strchr(host, '.'); dot; dot = strchr(dot + 1, '.')) {
		if (weburl_is_public_suffix(dot + 1))
			return prev;
		prev = dot + 1;
	}
	/* an unknown suffix: the last two labels */
	const char *last = strrchr(host, '.');
	if (!last)
		return host;
	const char *q = last;
	while (q > host && q[-1] != '.')
		q--;
	return q;
}

int weburl_same_site(const struct weburl *a, const struct weburl *b)
{
	if (a->opaque || b->opaque)
		return 0;
	if (strcmp(a->scheme, b->scheme) != 0)
		return 0;
	return strcmp(weburl_registrable(a->host), weburl_registrable(b->host)) == 0;
}
