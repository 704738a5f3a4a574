/*
 * tls13.h — the TLS 1.3 key schedule (RFC 8446 section 7.1) over HKDF
 * (RFC 5869), and Finished's verify_data (section 4.4.4).
 *
 *              0
 *              |
 *   PSK or 0 -> HKDF-Extract = Early Secret
 *              |
 *        Derive-Secret(., "derived", "")
 *              |
 *   (EC)DHE -> HKDF-Extract = Handshake Secret -> c/s hs traffic (CH..SH)
 *              |
 *        Derive-Secret(., "derived", "")
 *              |
 *         0 -> HKDF-Extract = Master Secret -> c/s ap traffic, exp master
 *                                               (CH..server Finished)
 *                                            -> res master (CH..client Finished)
 */
#ifndef BACKLAB_TLS13_H
#define BACKLAB_TLS13_H

#include <stddef.h>

#include "engine/concepts/crypto/hashfn.h"

/*
 * HKDF-Expand-Label(secret, label, context, length) with the "tls13 "
 * prefix (section 7.1): LEN bytes into OUT. Returns 0, or -1 if the label
 * is longer than 249 bytes, the context longer than 255, or LEN above
 * 255 * H->size.
 */
int tls13_expand_label(const struct hashfn *h, const void *secret, size_t slen,
		       const char *label, const void *ctx, size_t ctxlen, unsigned char *out,
		       size_t len);

/* Derive-Secret(secret, label, messages): Expand-Label of the transcript
 * hash of MSGS, H->size bytes into OUT. Returns as tls13_expand_label. */
int tls13_derive_secret(const struct hashfn *h, const void *secret, size_t slen,
			const char *label, const void *msgs, size_t msglen, unsigned char *out);

/* The handshake messages (handshake-layer bytes: type, 3-byte length,
 * body) in order; absent ones are NULL. */
enum tls13_msg {
	TLS13_CH, TLS13_SH, TLS13_EE, TLS13_CERT, TLS13_CV, TLS13_SF, TLS13_CF, TLS13_NMSG,
};

struct tls13_input {
	const struct hashfn *h;   /* the cipher suite's hash (sha256 or sha384) */
	size_t key_len;           /* the AEAD key length: 16 or 32 */
	const unsigned char *psk; /* NULL: no PSK (0^HashLen) */
	size_t psk_len;
	const unsigned char *shared; /* the (EC)DHE shared secret */
	size_t shared_len;
	const unsigned char *msg[TLS13_NMSG];
	size_t msg_len[TLS13_NMSG];
};

/* What tls13_schedule computed; a field is valid if its flag is set. */
struct tls13_out {
	unsigned char early[HASHFN_MAX_SIZE], derived_hs[HASHFN_MAX_SIZE];
	unsigned char handshake[HASHFN_MAX_SIZE], th_ch_sh[HASHFN_MAX_SIZE];
	unsigned char c_hs[HASHFN_MAX_SIZE], s_hs[HASHFN_MAX_SIZE];
	unsigned char derived_ms[HASHFN_MAX_SIZE], master[HASHFN_MAX_SIZE];
	unsigned char c_hs_key[32], c_hs_iv[12], s_hs_key[32], s_hs_iv[12];
	unsigned char s_finished[HASHFN_MAX_SIZE], c_finished[HASHFN_MAX_SIZE];
	unsigned char c_ap[HASHFN_MAX_SIZE], s_ap[HASHFN_MAX_SIZE], exporter[HASHFN_MAX_SIZE];
	unsigned char c_ap_key[32], c_ap_iv[12], s_ap_key[32], s_ap_iv[12];
	unsigned char resumption[HASHFN_MAX_SIZE];
	int have_hs;        /* CH, SH and the shared secret given: handshake secrets, keys */
	int have_sf;        /* and EE..CV: server Finished */
	int have_ap;        /* and SF: application secrets, client Finished */
	int have_res;       /* and CF: resumption master secret */
};

/*
 * Runs the schedule as far as the input allows. Returns 0, or -1 for a
 * key_len other than 16 or 32 (OUT is then untouched).
 */
int tls13_schedule(const struct tls13_input *in, struct tls13_out *out);

/* Finished: HMAC(Expand-Label(base_key, "finished", "", HashLen),
 * transcript hash) into OUT (H->size bytes). */
void tls13_finished(const struct hashfn *h, const unsigned char *base_key,
		    const unsigned char *transcript_hash, unsigned char *out);

#endif
