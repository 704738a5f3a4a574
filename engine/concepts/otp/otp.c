/* otp.c — HOTP (RFC 4226 section 5) and TOTP (RFC 6238 section 4); see otp.h. */
#include "engine/concepts/otp/otp.h"
#include "engine/concepts/crypto/ct.h"
#include "engine/concepts/crypto/hmac.h"

#include <string.h>

void otp_hotp(const struct hashfn *h, const void *key, size_t klen, uint64_t counter,
	      int digits, char out[OTP_MAX_DIGITS + 1])
{
	unsigned char c[8], mac[HASHFN_MAX_SIZE];
	for (int i = 7; i >= 0; i--, counter >>= 8)
		c[i] = (unsigned char)counter;          /* 8-byte big-endian counter */
	hmac(h, key, klen, c, 8, mac);
	/* dynamic truncation: 4 bytes at the offset in the low nibble of the
	 * last byte, top bit cleared (31 bits: no sign trouble anywhere) */
	unsigned off = mac[h->size - 1] & 0x0f;
	uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
		       (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	uint64_t v = bin;
	for (int i = digits - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	out[digits] = '\0';
}

uint64_t otp_counter(int64_t time, int64_t t0, int64_t step)
{
	return (uint64_t)((time - t0) / step);
}

enum otp_verdict otp_find(const struct hashfn *h, const void *key, size_t klen, int digits,
			  const char *code, size_t codelen, int64_t from, uint64_t span,
			  uint64_t last, uint64_t *matched)
{
	enum otp_verdict v = OTP_WRONG;
	for (uint64_t i = 0; i < span; i++) {
		int64_t c = from + (int64_t)i;
		if (c < 0)
			continue;
		char want[OTP_MAX_DIGITS + 1];
		otp_hotp(h, key, klen, (uint64_t)c, digits, want);
		if (ct_equal(want, (size_t)digits, code, codelen) && v == OTP_WRONG) {
			*matched = (uint64_t)c;
			v = last != UINT64_MAX && (uint64_t)c <= last ? OTP_REPLAYED : OTP_OK;
		}
	}
	return v;
}
