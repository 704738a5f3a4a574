/*
 * kdfvec.h — reads the RFC KDF vector files (pbkdf2_rfc6070_sha1.txt,
 * pbkdf2_sha256_rfc7914.txt, scrypt_rfc7914.txt): blocks of "KEY = value"
 * lines, one block per case, COUNT first. "\0" in a value is a NUL byte
 * (RFC 6070 case 5).
 */
#ifndef BACKLAB_KDFVEC_H
#define BACKLAB_KDFVEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kdfcase {
	char password[128], salt[128], dk[300];
	size_t plen, slen;
	unsigned long long iterations, n, r, p, length;
	int count;
};

/* Copies VALUE into OUT, turning "\0" into a NUL byte; returns the length. */
static inline size_t kdf_unescape(const char *value, char *out, size_t max)
{
	size_t n = 0;
	for (const char *s = value; *s && *s != '\n' && n + 1 < max; s++) {
		if (s[0] == '\\' && s[1] == '0') {
			out[n++] = '\0';
			s++;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	return n;
}

/* Reads the next case from F into C; 1 if one was read, 0 at the end. */
static inline int kdf_next(FILE *f, struct kdfcase *c)
{
	char line[512];
	int have = 0;
	memset(c, 0, sizeof *c);
	while (fgets(line, sizeof line, f)) {
		char *eq = strstr(line, " =");
		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		char *v = eq + 2;
		if (*v == ' ')
			v++;
		v[strcspn(v, "\r\n")] = '\0';
		if (strcmp(line, "COUNT") == 0)
			c->count = atoi(v), have = 1;
		else if (strcmp(line, "PASSWORD") == 0)
			c->plen = kdf_unescape(v, c->password, sizeof c->password);
		else if (strcmp(line, "SALT") == 0)
			c->slen = kdf_unescape(v, c->salt, sizeof c->salt);
		else if (strcmp(line, "ITERATIONS") == 0)
			c->iterations = strtoull(v, NULL, 10);
		else if (strcmp(line, "N") == 0)
			c->n = strtoull(v, NULL, 10);
		else if (strcmp(line, "r") == 0)
			c->r = strtoull(v, NULL, 10);
		else if (strcmp(line, "p") == 0)
			c->p = strtoull(v, NULL, 10);
		else if (strcmp(line, "LENGTH") == 0)
			c->length = strtoull(v, NULL, 10);
		else if (strcmp(line, "DERIVED_KEY") == 0) {
			snprintf(c->dk, sizeof c->dk, "%s", v);
			return have;
		}
	}
	return 0;
}

#endif
