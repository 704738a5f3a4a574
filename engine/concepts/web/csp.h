/*
 * csp.h — a Content Security Policy evaluator (CSP Level 3, W3C working
 * draft; CSP2 for the parts unchanged): does this policy let the page load
 * this script, style or connection, or run this inline code?
 *
 * Covered: the directives script-src(-elem, -attr), style-src(-elem,
 * -attr), connect-src, img-src, font-src, frame-src/child-src, object-src,
 * default-src and their fallbacks; source expressions 'none', 'self', '*',
 * schemes ("https:"), hosts with wildcards, ports and paths, 'unsafe-inline'
 * (ignored when a nonce or hash is present), 'unsafe-eval', 'nonce-...',
 * 'sha256-/sha384-/sha512-...', 'strict-dynamic'; several policies (comma)
 * all having to allow. Not covered: reporting, redirects, sandbox,
 * frame-ancestors, Trusted Types.
 */
#ifndef BACKLAB_CSP_H
#define BACKLAB_CSP_H

#include <stddef.h>

#define CSP_MAX_TEXT 4096

enum csp_kind {
	CSP_SCRIPT,       /* <script src> or an inline <script> */
	CSP_SCRIPT_ATTR,  /* an inline event handler (onclick=...) */
	CSP_STYLE,        /* <link rel=stylesheet> or an inline <style> */
	CSP_STYLE_ATTR,   /* style="..." */
	CSP_CONNECT,      /* fetch, XHR, WebSocket, EventSource */
	CSP_IMG, CSP_FONT, CSP_FRAME, CSP_OBJECT,
	CSP_EVAL,         /* eval(), new Function */
};

struct csp_request {
	enum csp_kind kind;
	const char *page;        /* the page's URL (for 'self' and scheme-less hosts) */
	const char *url;         /* the resource; NULL: inline */
	const char *nonce;       /* the element's nonce attribute, or NULL */
	const char *content;     /* inline: the code (for hashes) */
	size_t content_len;
	int dynamic;             /* a script inserted by an allowed script (strict-dynamic) */
};

struct csp_result {
	int allowed;
	char directive[32];      /* the directive that decided ("" if none applied) */
	char reason[512];
};

/* Does the policy text POLICY (<= CSP_MAX_TEXT bytes) allow RQ? Returns 0,
 * or -1 for a policy too long or a page URL that does not parse. */
int csp_evaluate(const char *policy, const struct csp_request *rq, struct csp_result *r);

/* The kind named NAME ("script", "script-attr", "style", "style-attr",
 * "connect", "img", "font", "frame", "object", "eval"), or -1. */
int csp_kind_parse(const char *name);

#endif
