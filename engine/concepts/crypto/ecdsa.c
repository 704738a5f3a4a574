/*
 * ecdsa.c — points in Jacobian coordinates over GF(p) (a = -3 on both
 * curves), u1 G + u2 Q by Shamir's simultaneous double-and-add, and the
 * verification equation x(u1 G + u2 Q) = r mod n. Curve constants from
 * FIPS 186-4 appendix D.1.2.3 and D.1.2.5.
 */
#include "engine/concepts/crypto/ecdsa.h"
#include "engine/concepts/crypto/bn.h"

#include <string.h>

struct curve {
	size_t bytes;
	const char *p, *b, *gx, *gy, *n;  /* hex */
};

static const struct curve curves[] = {
	{32, "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
	 "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
	 "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
	 "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
	 "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"},
	{66,
	 "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	 "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109"
	 "e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
	 "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3d"
	 "baa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
	 "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e66"
	 "2c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
	 "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	 "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"},
};

size_t ecdsa_size(enum ecdsa_curve curve)
{
	return curves[curve].bytes;
}

static void from_hex(struct bn *a, int k, const char *hex)
{
	unsigned char buf[80];
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		int hi = hex[2 * i], lo = hex[2 * i + 1];
		hi = hi <= '9' ? hi - '0' : hi - 'a' + 10;
		lo = lo <= '9' ? lo - '0' : lo - 'a' + 10;
		buf[i] = (unsigned char)(hi << 4 | lo);
	}
	bn_from_bytes(a, k, buf, n);
}

/* A point in Jacobian coordinates, Montgomery form; Z = 0 is infinity. */
struct pt {
	struct bn x, y, z;
};

struct field {
	struct bn_mont f;      /* mod p */
	int k;
};

static void mul(const struct field *F, struct bn *r, const struct bn *a, const struct bn *b)
{
	bn_mont_mul(&F->f, r, a, b);
}

static void addm(const struct field *F, struct bn *r, const struct bn *a, const struct bn *b)
{
	bn_mod_add(&F->f, r, a, b);
}

static void subm(const struct field *F, struct bn *r, const struct bn *a, const struct bn *b)
{
	bn_mod_sub(&F->f, r, a, b);
}

/* dbl-2001-b (a = -3): delta = Z^2, gamma = Y^2, beta = X gamma,
 * alpha = 3 (X - delta)(X + delta). */
static void dbl(const struct field *F, struct pt *r, const struct pt *p)
{
	if (bn_is_zero(&p->z, F->k) || bn_is_zero(&p->y, F->k)) {
		memset(r, 0, sizeof *r);
		return;
	}
	struct bn delta, gamma, beta, alpha, t1, t2;
	mul(F, &delta, &p->z, &p->z);
	mul(F, &gamma, &p->y, &p->y);
	mul(F, &beta, &p->x, &gamma);
	subm(F, &t1, &p->x, &delta);
	addm(F, &t2, &p->x, &delta);
	mul(F, &alpha, &t1, &t2);
	addm(F, &t1, &alpha, &alpha);
	addm(F, &alpha, &t1, &alpha);                 /* 3 (X - d)(X + d) */
	struct pt o;
	addm(F, &t1, &p->y, &p->z);
	mul(F, &o.z, &t1, &t1);
	subm(F, &o.z, &o.z, &gamma);
	subm(F, &o.z, &o.z, &delta);                  /* Z3 = (Y + Z)^2 - gamma - delta */
	addm(F, &t1, &beta, &beta);
	addm(F, &t1, &t1, &t1);                       /* 4 beta */
	addm(F, &t2, &t1, &t1);                       /* 8 beta */
	mul(F, &o.x, &alpha, &alpha);
	subm(F, &o.x, &o.x, &t2);                     /* X3 = alpha^2 - 8 beta */
	subm(F, &t1, &t1, &o.x);
	mul(F, &o.y, &alpha, &t1);
	mul(F, &t2, &gamma, &gamma);
	addm(F, &t2, &t2, &t2);
	addm(F, &t2, &t2, &t2);
	addm(F, &t2, &t2, &t2);                       /* 8 gamma^2 */
	subm(F, &o.y, &o.y, &t2);                     /* Y3 = alpha (4 beta - X3) - 8 gamma^2 */
	*r = o;
}

/* add-2007-bl. */
static void add(const struct field *F, struct pt *r, const struct pt *p, const struct pt *q)
{
	if (bn_is_zero(&p->z, F->k)) {
		*r = *q;
		return;
	}
	if (bn_is_zero(&q->z, F->k)) {
		*r = *p;
		return;
	}
	struct bn z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
	mul(F, &z1z1, &p->z, &p->z);
	mul(F, &z2z2, &q->z, &q->z);
	mul(F, &u1, &p->x, &z2z2);
	mul(F, &u2, &q->x, &z1z1);
	mul(F, &t, &q->z, &z2z2);
	mul(F, &s1, &p->y, &t);
	mul(F, &t, &p->z, &z1z1);
	mul(F, &s2, &q->y, &t);
	subm(F, &h, &u2, &u1);
	subm(F, &rr, &s2, &s1);
	if (bn_is_zero(&h, F->k)) {
		if (bn_is_zero(&rr, F->k))
			dbl(F, r, p);
		else
			memset(r, 0, sizeof *r);          /* P + (-P) */
		return;
	}
	addm(F, &rr, &rr, &rr);                       /* r = 2 (S2 - S1) */
	addm(F, &t, &h, &h);
	mul(F, &i, &t, &t);                           /* I = (2H)^2 */
	mul(F, &j, &h, &i);
	mul(F, &v, &u1, &i);
	struct pt o;
	mul(F, &o.x, &rr, &rr);
	subm(F, &o.x, &o.x, &j);
	subm(F, &o.x, &o.x, &v);
	subm(F, &o.x, &o.x, &v);                      /* X3 = r^2 - J - 2V */
	subm(F, &t, &v, &o.x);
	mul(F, &o.y, &rr, &t);
	mul(F, &t, &s1, &j);
	addm(F, &t, &t, &t);
	subm(F, &o.y, &o.y, &t);                      /* Y3 = r (V - X3) - 2 S1 J */
	addm(F, &t, &p->z, &q->z);
	mul(F, &o.z, &t, &t);
	subm(F, &o.z, &o.z, &z1z1);
	subm(F, &o.z, &o.z, &z2z2);
	mul(F, &o.z, &o.z, &h);                       /* Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H */
	*r = o;
}

/* Is the affine point (x, y) (Montgomery form) on y^2 = x^3 - 3x + b? */
static int on_curve(const struct field *F, const struct bn *x, const struct bn *y,
		    const struct bn *b)
{
	struct bn l, r, t;
	mul(F, &l, y, y);
	mul(F, &t, x, x);
	mul(F, &r, &t, x);
	subm(F, &r, &r, x);
	subm(F, &r, &r, x);
	subm(F, &r, &r, x);
	addm(F, &r, &r, b);
	return bn_cmp(&l, &r, F->k) == 0;
}

static int in_range(const struct bn *a, const struct bn *n, int k)
{
	return !bn_is_zero(a, k) && bn_cmp(a, n, k) < 0;
}

int ecdsa_verify(enum ecdsa_curve curve, const unsigned char *qx, const unsigned char *qy,
		 const unsigned char *hash, size_t hlen, const unsigned char *rb,
		 const unsigned char *sb)
{
	const struct curve *C = &curves[curve];
	int k = bn_limbs_for(C->bytes);
	struct field F = {.k = k};
	struct bn p, n, b, t, x, y, r, s, z;
	struct bn_mont N;
	from_hex(&p, k, C->p);
	from_hex(&n, k, C->n);
	if (bn_mont_init(&F.f, &p, k) || bn_mont_init(&N, &n, k))
		return 0;
	if (bn_from_bytes(&r, k, rb, C->bytes) || bn_from_bytes(&s, k, sb, C->bytes) ||
	    !in_range(&r, &n, k) || !in_range(&s, &n, k))
		return 0;
	if (bn_from_bytes(&x, k, qx, C->bytes) || bn_from_bytes(&y, k, qy, C->bytes) ||
	    bn_cmp(&x, &p, k) >= 0 || bn_cmp(&y, &p, k) >= 0)
		return 0;
	/* z: the leftmost min(bits(n), 8 hlen) bits of the hash (SEC 1 4.1.3 step 5) */
	size_t nbits = (size_t)bn_bits(&n, k), take = hlen * 8 > nbits ? (nbits + 7) / 8 : hlen;
	if (bn_from_bytes(&z, k, hash, take))
		return 0;
	if (take * 8 > nbits)
		for (size_t i = 0; i < take * 8 - nbits; i++) {     /* drop the extra low bits */
			for (int j = 0; j < k; j++)
				z.v[j] = z.v[j] >> 1 | (j + 1 < k ? z.v[j + 1] << 31 : 0);
		}
	struct pt G, Q, R;
	from_hex(&t, k, C->gx), bn_to_mont(&F.f, &G.x, &t);
	from_hex(&t, k, C->gy), bn_to_mont(&F.f, &G.y, &t);
	G.z = F.f.one;
	bn_to_mont(&F.f, &Q.x, &x);
	bn_to_mont(&F.f, &Q.y, &y);
	Q.z = F.f.one;
	from_hex(&t, k, C->b), bn_to_mont(&F.f, &b, &t);
	if (!on_curve(&F, &Q.x, &Q.y, &b))
		return 0;
	/* w = s^-1 = s^(n-2) mod n (n is prime); u1 = z w, u2 = r w */
	struct bn w, u1, u2, e = n, two = {{2}};
	bn_mod_sub(&N, &e, &n, &two);
	bn_to_mont(&N, &t, &s);
	bn_mont_pow(&N, &w, &t, &e, k);
	bn_to_mont(&N, &t, &z);
	bn_mont_mul(&N, &u1, &t, &w);
	bn_from_mont(&N, &u1, &u1);
	bn_to_mont(&N, &t, &r);
	bn_mont_mul(&N, &u2, &t, &w);
	bn_from_mont(&N, &u2, &u2);
	struct pt GQ;
	add(&F, &GQ, &G, &Q);
	memset(&R, 0, sizeof R);
	int bits = bn_bits(&n, k);
	for (int i = bits - 1; i >= 0; i--) {
		dbl(&F, &R, &R);
		int b1 = u1.v[i / 32] >> (i % 32) & 1, b2 = u2.v[i / 32] >> (i % 32) & 1;
		if (b1 && b2)
			add(&F, &R, &R, &GQ);
		else if (b1)
			add(&F, &R, &R, &G);
		else if (b2)
			add(&F, &R, &R, &Q);
	}
	if (bn_is_zero(&R.z, k))
		return 0;
	/* x = X / Z^2 */
	struct bn zi, pm2 = p;
	bn_mod_sub(&F.f, &pm2, &p, &two);
	bn_mont_pow(&F.f, &zi, &R.z, &pm2, k);
	bn_mont_mul(&F.f, &zi, &zi, &zi);
	bn_mont_mul(&F.f, &x, &R.x, &zi);
	bn_from_mont(&F.f, &x, &x);
	if (bn_cmp(&x, &n, k) >= 0)
		bn_mod_sub(&N, &x, &x, &n);                   /* x < p < 2n */
	return bn_cmp(&x, &r, k) == 0;
}
