/*
 * cert.h — X.509 certificates as data, and how a client decides to trust
 * one: path building to a trusted root, validity, basic constraints, key
 * usage (RFC 5280 section 6.1, simplified) and the host name check
 * (RFC 9525, which replaced RFC 6125 in 2023).
 *
 * A MODEL, not X.509: no ASN.1, and a signature is modelled as
 * HMAC-SHA256 keyed with the name of the signer's key over the fields
 * ("to be signed"), so that changing any field after signing breaks it and
 * only the holder of the issuer's key (its name, here) makes a valid one.
 * Real certificates carry RSA or ECDSA signatures that anyone can check
 * with the issuer's public key and only the issuer can make.
 *
 * Strings are not copied: a struct cert points at its caller's strings.
 */
#ifndef BACKLAB_CERT_H
#define BACKLAB_CERT_H

#include <stddef.h>
#include <stdint.h>

#define CERT_MAX_SAN 16
#define CERT_MAX_CHAIN 8

enum cert_usage {              /* extended key usage (RFC 5280 4.2.1.12) */
	CERT_SERVER_AUTH = 1,
	CERT_CLIENT_AUTH = 2,
};

struct cert {
	const char *subject;   /* a name, e.g. "api.example.com" or "Example Root CA" */
	const char *issuer;    /* the issuer's subject */
	const char *san[CERT_MAX_SAN];   /* subjectAltName: DNS names or IP addresses */
	size_t nsan;
	int64_t not_before, not_after;   /* seconds */
	int ca;                /* basicConstraints cA */
	int path_len;          /* basicConstraints pathLenConstraint; -1: none */
	int usage;             /* enum cert_usage bits; 0: no EKU (any purpose) */
	const char *key;       /* the name of the subject's key pair */
	char signature[65];    /* hex; see cert_sign */
};

/* Computes C's signature as if signed with the key named SIGNER_KEY. */
void cert_sign(struct cert *c, const char *signer_key);

/* Whether C's signature was made with the key named KEY. */
int cert_signed_by(const struct cert *c, const char *key);

/*
 * Does the reference identity HOST match the presented identifier PATTERN
 * (a DNS name, possibly "*.example.com", or an IP address)? Case-
 * insensitive, one trailing dot ignored; a wildcard is only the whole
 * leftmost label, matches exactly one label, never an IP address, and
 * needs at least two labels after it (RFC 9525 section 6.3).
 */
int cert_match_name(const char *pattern, const char *host);

enum cert_err {
	CERT_OK = 0,
	CERT_EXPIRED,         /* now > not_after */
	CERT_NOT_YET_VALID,   /* now < not_before */
	CERT_UNKNOWN_ISSUER,  /* no certificate of the chain or root has the issuer's name */
	CERT_BAD_SIGNATURE,   /* the issuer's key did not sign it */
	CERT_SELF_SIGNED,     /* a self-signed leaf not among the roots */
	CERT_NOT_CA,          /* an issuer without cA */
	CERT_PATH_LEN,        /* more CAs below an issuer than its pathLenConstraint */
	CERT_NAME_MISMATCH,   /* HOST matches no subjectAltName */
	CERT_WRONG_PURPOSE,   /* the leaf's EKU lacks serverAuth / clientAuth */
	CERT_TOO_LONG,        /* a path longer than CERT_MAX_CHAIN */
};

/* A stable identifier ("expired") and a sentence for ERR. */
const char *cert_err_name(enum cert_err err);

struct cert_result {
	enum cert_err err;
	const struct cert *at;            /* the certificate at fault, or NULL */
	const struct cert *path[CERT_MAX_CHAIN + 1]; /* leaf .. root, when built */
	size_t npath;
};

/*
 * Verifies CHAIN[0] (the leaf, followed by the untrusted intermediates the
 * peer sent, in any order) against the trusted ROOTS at time NOW, for
 * PURPOSE (CERT_SERVER_AUTH or CERT_CLIENT_AUTH) and, if HOST is not NULL,
 * the host name. Fills R; returns R->err.
 */
enum cert_err cert_verify(const struct cert *const *chain, size_t nchain,
			  const struct cert *const *roots, size_t nroots, int64_t now,
			  int purpose, const char *host, struct cert_result *r);

#endif
