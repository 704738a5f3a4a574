/*
 * timing.h — the timing-attack lab: a server that checks a secret token and
 * whose response time, in simulated nanoseconds, depends on how it compares.
 *
 *   leaky:     returns at the first differing byte, after a length check
 *              (as memcmp-style code and `==` on strings do): the time
 *              grows with the length of the right prefix of the guess;
 *   constant:  reads every byte of the secret (ct_equal): the time is the
 *              same for every guess.
 *
 * time = base + per_byte * (bytes compared) + noise, where the noise is
 * exponential with mean NOISE (a request's scheduling and network jitter),
 * drawn from a seeded generator: the same seed replays the same times.
 */
#ifndef BACKLAB_TIMING_H
#define BACKLAB_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"

enum timing_mode { TIMING_LEAKY, TIMING_CONSTANT };

struct timing_oracle {
	unsigned char *secret;   /* owned (budget_malloc) */
	size_t len;
	enum timing_mode mode;
	double base_ns, byte_ns, noise_ns;
	struct rng r;
	uint64_t calls;
};

/*
 * Sets up O with a copy of SECRET (LEN bytes). Returns 0, or -1 if the copy
 * cannot be allocated (O is then empty). Free with timing_free.
 */
int timing_init(struct timing_oracle *o, const void *secret, size_t len, enum timing_mode mode,
		double base_ns, double byte_ns, double noise_ns, uint64_t seed);
void timing_free(struct timing_oracle *o);

/* Checks GUESS: sets *OK (1 if it is the secret) and returns the simulated
 * time of the check, in nanoseconds. */
double timing_check(struct timing_oracle *o, const void *guess, size_t glen, int *ok);

#endif
