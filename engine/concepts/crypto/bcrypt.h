/*
 * bcrypt.h — the bcrypt password hash (Provos and Mazières, "A
 * Future-Adaptable Password Scheme", USENIX 1999), in OpenBSD's $2b$ form.
 *
 *   $2b$10$N9qo8uLOickgx2ZMRZoMye IjZAgcfl7p92ldGxad68LJZdL17lhWy
 *   |  |  |                      |
 *   |  |  salt: 16 bytes, 22 chars of bcrypt's base64 (./A-Za-z0-9)
 *   |  cost: 2^cost rounds of the expensive key schedule (4..31)
 *   version ($2a$, $2b$ and $2y$ compute the same for passwords under
 *   256 bytes)               hash: 23 bytes, 31 chars
 *
 * The password is a C string: at most 72 bytes of it are used (a limit of
 * the algorithm), and it may not contain a NUL byte.
 */
#ifndef BACKLAB_BCRYPT_H
#define BACKLAB_BCRYPT_H

#include <stddef.h>
#include <stdint.h>

#define BCRYPT_HASH_LEN 60      /* characters of a hash string */
#define BCRYPT_SALT_LEN 16      /* bytes of salt */
#define BCRYPT_MAX_PASSWORD 72  /* bytes of the password that count */

enum bcrypt_err {
	BCRYPT_OK = 0,
	BCRYPT_ECOST,      /* cost outside 4..31 */
	BCRYPT_ESALT,      /* salt not 22 characters of bcrypt's base64 */
	BCRYPT_EFORMAT,    /* a hash string that is not $2a$/$2b$/$2y$NN$ + 53 characters */
	BCRYPT_ENUL,       /* the password contains a NUL byte */
	BCRYPT_ESTOP,      /* the run must stop (budget_stop()) */
};

/* A sentence for ERR ("cost must be between 4 and 31"). */
const char *bcrypt_strerror(enum bcrypt_err err);

/*
 * The hash string of PASSWORD (PLEN bytes) at COST with the 16-byte SALT,
 * with version letter MINOR ('a', 'b' or 'y'), into OUT (61 bytes, NUL
 * included). Polls budget_stop(). Returns BCRYPT_OK or why not.
 */
enum bcrypt_err bcrypt_hash(const char *password, size_t plen, int cost,
			    const unsigned char salt[BCRYPT_SALT_LEN], char minor,
			    char out[BCRYPT_HASH_LEN + 1]);

/*
 * Recomputes the hash of PASSWORD with the version, cost and salt of HASH
 * (a 60-character string) and compares the two in constant time. Sets *OK
 * to 1 on a match, 0 otherwise. Returns BCRYPT_OK, or why HASH could not be
 * used.
 */
enum bcrypt_err bcrypt_check(const char *password, size_t plen, const char *hash,
			     size_t hashlen, int *ok);

/* Decodes 22 characters of bcrypt's base64 into a 16-byte salt. Returns 0,
 * or -1 for a character outside ./A-Za-z0-9. */
int bcrypt_decode_salt(const char *s, unsigned char salt[BCRYPT_SALT_LEN]);

/* The initial Blowfish state: the digits of pi (blowfish_pi.c). */
extern const uint32_t bcrypt_pi_p[18];
extern const uint32_t bcrypt_pi_s[4][256];

#endif
