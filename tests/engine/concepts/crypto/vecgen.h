/*
 * vecgen.h — for the crypto tests: the seeded inputs of gen_vectors.py
 * (message(seed, n): the first n bytes of splitmix64's little-endian
 * outputs), a reader of its tab-separated files, and hex helpers.
 */
#ifndef BACKLAB_VECGEN_H
#define BACKLAB_VECGEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* N bytes of message(SEED, N) into a new malloc'd buffer (never NULL). */
static inline unsigned char *vec_message(uint64_t seed, size_t n)
{
	unsigned char *m = malloc(n + 8);
	if (!m)
		abort();
	for (size_t i = 0; i < n; i += 8) {
		seed += 0x9E3779B97F4A7C15ull;
		uint64_t z = seed;
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
		z ^= z >> 31;
		for (int k = 0; k < 8; k++)
			m[i + (size_t)k] = (unsigned char)(z >> (8 * k));
	}
	return m;
}

/* printable(seed, n) of gen_vectors.py: chr(33 + b % 94), NUL-terminated. */
static inline char *vec_printable(uint64_t seed, size_t n)
{
	unsigned char *m = vec_message(seed, n);
	for (size_t i = 0; i < n; i++)
		m[i] = (unsigned char)(33 + m[i] % 94);
	m[n] = '\0';
	return (char *)m;
}

static inline void vec_tohex(const unsigned char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

/* Decodes hex S into OUT; returns the byte count, or -1. */
static inline long vec_unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	for (; s[0] && s[1] && s[0] != '\n' && s[0] != '\r'; s += 2) {
		unsigned v;
		if (n == max || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (unsigned char)v;
	}
	return (long)n;
}

/* A tab-separated file: vec_next() fills f[0..n-1] from the next line that
 * is not blank or a # comment; returns n, or 0 at the end. */
struct vecfile {
	FILE *fp;
	char *line;
	size_t cap;
	char *f[16];
};

static inline int vec_open(struct vecfile *v, const char *path)
{
	memset(v, 0, sizeof *v);
	v->fp = fopen(path, "r");
	return v->fp ? 0 : -1;
}

static inline int vec_next(struct vecfile *v)
{
	ssize_t len;
	while ((len = getline(&v->line, &v->cap, v->fp)) >= 0) {
		while (len > 0 && (v->line[len - 1] == '\n' || v->line[len - 1] == '\r'))
			v->line[--len] = '\0';
		if (len == 0 || v->line[0] == '#')
			continue;
		int n = 0;
		char *p = v->line;
		while (n < 16) {
			v->f[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		return n;
	}
	return 0;
}

static inline void vec_close(struct vecfile *v)
{
	if (v->fp)
		fclose(v->fp);
	free(v->line);
}

#endif
