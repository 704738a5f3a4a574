/* chash.c — FNV-1a, the splitmix64 finaliser, ketama's MD5 hash, jump hash; see chash.h. */
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/crypto/md5.h"

uint64_t chash_hash64(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

uint64_t chash_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t chash_ketama(const void *p, size_t len, int which)
{
	unsigned char d[MD5_DIGEST_LEN];
	md5_digest(p, len, d);
	const unsigned char *w = d + 4 * (which & 3);
	return (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24;
}

int32_t chash_jump(uint64_t key, int32_t buckets)
{
	if (buckets < 1)
		return -1;
	int64_t b = -1, j = 0;
	while (j < buckets) {
		b = j;
		key = key * 2862933555777941757ull + 1; /* a 64-bit LCG step */
		/* the next bucket at which this key would jump: (b + 1) / u, u in (0, 1] */
		j = (int64_t)((double)(b + 1) * ((double)(1ll << 31) / (double)((key >> 33) + 1)));
	}
	return (int32_t)b;
}
