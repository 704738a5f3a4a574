/*
 * mdbuf.h — the buffering every Merkle–Damgård hash shares (private to
 * engine/concepts/crypto): whole blocks go straight to the compression
 * function, a partial block waits in the context's buffer.
 */
#ifndef BACKLAB_MDBUF_H
#define BACKLAB_MDBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Adds LEN bytes at P to a message whose first *BYTES bytes were already
 * fed; BUF holds the partial block (*BYTES % BSIZE bytes of it are used).
 * BLOCK(ST, b) compresses one BSIZE-byte block into the state ST.
 */
static inline void mdbuf_update(void *st, unsigned char *buf, size_t bsize, uint64_t *bytes,
				void (*block)(void *st, const unsigned char *b), const void *data,
				size_t len)
{
	const unsigned char *p = data;
	size_t used = (size_t)(*bytes % bsize);
	if (len == 0)
		return;                /* P may be NULL */
	*bytes += len;
	if (used) {
		size_t take = bsize - used < len ? bsize - used : len;
		memcpy(buf + used, p, take);
		p += take;
		len -= take;
		if (used + take < bsize)
			return;
		block(st, buf);
	}
	for (; len >= bsize; p += bsize, len -= bsize)
		block(st, p);
	if (len)
		memcpy(buf, p, len);
}

static inline uint32_t mdbuf_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t mdbuf_be64(const unsigned char *p)
{
	return (uint64_t)mdbuf_be32(p) << 32 | mdbuf_be32(p + 4);
}

static inline void mdbuf_put_be32(unsigned char *p, uint32_t x)
{
	p[0] = (unsigned char)(x >> 24);
	p[1] = (unsigned char)(x >> 16);
	p[2] = (unsigned char)(x >> 8);
	p[3] = (unsigned char)x;
}

static inline void mdbuf_put_be64(unsigned char *p, uint64_t x)
{
	mdbuf_put_be32(p, (uint32_t)(x >> 32));
	mdbuf_put_be32(p + 4, (uint32_t)x);
}

#endif
