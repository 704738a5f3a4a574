/* timing.c — the timing-attack lab; see timing.h. */
#include "engine/concepts/crypto/timing.h"
#include "engine/concepts/crypto/ct.h"
#include "engine/base/budget.h"

#include <string.h>

int timing_init(struct timing_oracle *o, const void *secret, size_t len, enum timing_mode mode,
		double base_ns, double byte_ns, double noise_ns, uint64_t seed)
{
	memset(o, 0, sizeof *o);
	o->secret = budget_malloc(len ? len : 1);
	if (!o->secret)
		return -1;
	if (len)
		memcpy(o->secret, secret, len);
	o->len = len;
	o->mode = mode;
	o->base_ns = base_ns;
	o->byte_ns = byte_ns;
	o->noise_ns = noise_ns;
	rng_seed(&o->r, seed);
	return 0;
}

void timing_free(struct timing_oracle *o)
{
	budget_free(o->secret);
	o->secret = NULL;
}

/* How many bytes the leaky comparison reads before it answers: none for a
 * wrong length, else up to and including the first differing byte. */
static size_t leaky_bytes(const struct timing_oracle *o, const unsigned char *g, size_t glen,
			  int *ok)
{
	if (glen != o->len) {
		*ok = 0;
		return 0;
	}
	for (size_t i = 0; i < glen; i++) {
		if (g[i] != o->secret[i]) {
			*ok = 0;
			return i + 1;
		}
	}
	*ok = 1;
	return glen;
}

double timing_check(struct timing_oracle *o, const void *guess, size_t glen, int *ok)
{
	size_t bytes;
	o->calls++;
	if (o->mode == TIMING_LEAKY) {
		bytes = leaky_bytes(o, guess, glen, ok);
	} else {
		*ok = ct_equal(o->secret, o->len, guess, glen);
		bytes = o->len;
	}
	double noise = o->noise_ns > 0 ? rng_exponential(&o->r, 1.0 / o->noise_ns) : 0;
	return o->base_ns + o->byte_ns * (double)bytes + noise;
}
