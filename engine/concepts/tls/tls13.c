/* tls13.c — the TLS 1.3 key schedule, RFC 8446 sections 7.1, 7.3, 4.4.4. */
#include "engine/concepts/tls/tls13.h"
#include "engine/concepts/crypto/hmac.h"
#include "engine/concepts/crypto/kdf.h"

#include <string.h>

int tls13_expand_label(const struct hashfn *h, const void *secret, size_t slen,
		       const char *label, const void *ctx, size_t ctxlen, unsigned char *out,
		       size_t len)
{
	size_t llen = strlen(label);
	if (llen > 249 || ctxlen > 255 || len > 255 * h->size)
		return -1;
	/* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } */
	unsigned char info[2 + 1 + 255 + 1 + 255];
	size_t n = 0;
	info[n++] = (unsigned char)(len >> 8);
	info[n++] = (unsigned char)len;
	info[n++] = (unsigned char)(6 + llen);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, llen);
	n += llen;
	info[n++] = (unsigned char)ctxlen;
	if (ctxlen)
		memcpy(info + n, ctx, ctxlen);
	n += ctxlen;
	return hkdf_expand(h, secret, slen, info, n, out, len);
}

int tls13_derive_secret(const struct hashfn *h, const void *secret, size_t slen,
			const char *label, const void *msgs, size_t msglen, unsigned char *out)
{
	unsigned char th[HASHFN_MAX_SIZE];
	hashfn_digest(h, msgs, msglen, th);
	return tls13_expand_label(h, secret, slen, label, th, h->size, out, h->size);
}

/* The transcript hash of messages 0..LAST of IN. */
static void transcript(const struct tls13_input *in, int last, unsigned char *out)
{
	union hashfn_ctx c;
	in->h->init(&c);
	for (int i = 0; i <= last; i++)
		in->h->update(&c, in->msg[i], in->msg_len[i]);
	in->h->final(&c, out);
}

/* Derive-Secret with a transcript hash already computed. */
static void derive_th(const struct hashfn *h, const unsigned char *secret, const char *label,
		      const unsigned char *th, unsigned char *out)
{
	tls13_expand_label(h, secret, h->size, label, th, h->size, out, h->size);
}

static void traffic_keys(const struct hashfn *h, const unsigned char *secret, size_t key_len,
			 unsigned char *key, unsigned char *iv)
{
	tls13_expand_label(h, secret, h->size, "key", NULL, 0, key, key_len);
	tls13_expand_label(h, secret, h->size, "iv", NULL, 0, iv, 12);
}

void tls13_finished(const struct hashfn *h, const unsigned char *base_key,
		    const unsigned char *transcript_hash, unsigned char *out)
{
	unsigned char fk[HASHFN_MAX_SIZE];
	tls13_expand_label(h, base_key, h->size, "finished", NULL, 0, fk, h->size);
	hmac(h, fk, h->size, transcript_hash, h->size, out);
}

static int present(const struct tls13_input *in, int from, int to)
{
	for (int i = from; i <= to; i++)
		if (!in->msg[i])
			return 0;
	return 1;
}

int tls13_schedule(const struct tls13_input *in, struct tls13_out *out)
{
	const struct hashfn *h = in->h;
	if (in->key_len != 16 && in->key_len != 32)
		return -1;
	memset(out, 0, sizeof *out);
	unsigned char zeros[HASHFN_MAX_SIZE] = {0}, th[HASHFN_MAX_SIZE];
	hkdf_extract(h, zeros, h->size, in->psk ? in->psk : zeros,
		     in->psk ? in->psk_len : h->size, out->early);
	tls13_derive_secret(h, out->early, h->size, "derived", NULL, 0, out->derived_hs);
	if (!in->shared || !present(in, TLS13_CH, TLS13_SH))
		return 0;
	hkdf_extract(h, out->derived_hs, h->size, in->shared, in->shared_len, out->handshake);
	transcript(in, TLS13_SH, out->th_ch_sh);
	derive_th(h, out->handshake, "c hs traffic", out->th_ch_sh, out->c_hs);
	derive_th(h, out->handshake, "s hs traffic", out->th_ch_sh, out->s_hs);
	traffic_keys(h, out->c_hs, in->key_len, out->c_hs_key, out->c_hs_iv);
	traffic_keys(h, out->s_hs, in->key_len, out->s_hs_key, out->s_hs_iv);
	tls13_derive_secret(h, out->handshake, h->size, "derived", NULL, 0, out->derived_ms);
	hkdf_extract(h, out->derived_ms, h->size, zeros, h->size, out->master);
	out->have_hs = 1;
	if (!present(in, TLS13_EE, TLS13_CV))
		return 0;
	transcript(in, TLS13_CV, th);                   /* server Finished covers CH..CV */
	tls13_finished(h, out->s_hs, th, out->s_finished);
	out->have_sf = 1;
	if (!present(in, TLS13_SF, TLS13_SF))
		return 0;
	transcript(in, TLS13_SF, th);                   /* CH..server Finished */
	derive_th(h, out->master, "c ap traffic", th, out->c_ap);
	derive_th(h, out->master, "s ap traffic", th, out->s_ap);
	derive_th(h, out->master, "exp master", th, out->exporter);
	traffic_keys(h, out->c_ap, in->key_len, out->c_ap_key, out->c_ap_iv);
	traffic_keys(h, out->s_ap, in->key_len, out->s_ap_key, out->s_ap_iv);
	tls13_finished(h, out->c_hs, th, out->c_finished);
	out->have_ap = 1;
	if (!present(in, TLS13_CF, TLS13_CF))
		return 0;
	transcript(in, TLS13_CF, th);                   /* CH..client Finished */
	derive_th(h, out->master, "res master", th, out->resumption);
	out->have_res = 1;
	return 0;
}
