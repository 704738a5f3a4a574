/*
 * otp.h — one-time passwords: HOTP (RFC 4226), counter-based, and TOTP
 * (RFC 6238), the counter being the number of time steps since the epoch;
 * verification with a window of steps for clock drift (RFC 6238 section 6)
 * or a look-ahead for HOTP (RFC 4226 section 7.4), and replay refused
 * (RFC 6238 section 5.2: a code is accepted once).
 */
#ifndef BACKLAB_OTP_H
#define BACKLAB_OTP_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/crypto/hashfn.h"

#define OTP_MAX_DIGITS 10

/*
 * HOTP(K, C) = Truncate(HMAC-H(K, C)) mod 10^DIGITS (RFC 4226 section 5.3),
 * written to OUT as DIGITS characters with leading zeros, NUL-terminated.
 * DIGITS is 1..10.
 */
void otp_hotp(const struct hashfn *h, const void *key, size_t klen, uint64_t counter,
	      int digits, char out[OTP_MAX_DIGITS + 1]);

/* The TOTP counter of TIME: floor((time - t0) / step); time >= t0, step > 0. */
uint64_t otp_counter(int64_t time, int64_t t0, int64_t step);

enum otp_verdict { OTP_OK, OTP_WRONG, OTP_REPLAYED };

/*
 * Looks for CODE among the counters FROM .. FROM + SPAN - 1 (clamped at 0),
 * comparing in constant time. A match at or below LAST (the last counter
 * accepted; UINT64_MAX if none) is a replay. Sets *MATCHED on OTP_OK and
 * OTP_REPLAYED.
 */
enum otp_verdict otp_find(const struct hashfn *h, const void *key, size_t klen, int digits,
			  const char *code, size_t codelen, int64_t from, uint64_t span,
			  uint64_t last, uint64_t *matched);

#endif
