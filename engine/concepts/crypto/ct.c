/* ct.c — constant-time equality; see ct.h. */
#include "engine/concepts/crypto/ct.h"

int ct_equal(const void *a, size_t la, const void *b, size_t lb)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la; i++)
		diff |= x[i] ^ (lb ? y[i % lb] : 0); /* reads B whatever its length */
	return diff == 0;
}
