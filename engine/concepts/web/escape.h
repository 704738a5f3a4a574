/*
 * escape.h — output encoding by context (the OWASP XSS Prevention Cheat
 * Sheet's rules), the decoding each context applies, and a detector of
 * values that break out of their context.
 *
 *   html   text between tags:                <p>VALUE</p>
 *   attr   a double-quoted attribute value:  <input value="VALUE">
 *   js     a single-quoted JavaScript string inside <script>:  var s = 'VALUE';
 *   url    a URL in href/src:                <a href="VALUE">
 *   css    a CSS string or value:            <div style="color: VALUE">
 */
#ifndef BACKLAB_ESCAPE_H
#define BACKLAB_ESCAPE_H

#include <stddef.h>

enum esc_context { ESC_HTML, ESC_ATTR, ESC_JS, ESC_URL, ESC_CSS, ESC_NCONTEXTS };

/* The context named NAME, or -1. */
int esc_context_parse(const char *name);

/* The most bytes esc_encode writes for LEN input bytes. */
size_t esc_encoded_max(size_t len);

/*
 * Encodes LEN bytes of S for context C into OUT (esc_encoded_max(len) + 1
 * bytes) and returns the length:
 *   html, attr: & < > " ' as &amp; &lt; &gt; &quot; &#x27;
 *   js:   every ASCII byte but letters and digits as \xHH; U+2028, U+2029 as \u2028, \u2029
 *   url:  every byte but A-Z a-z 0-9 - . _ ~ as %HH (a URL *component*)
 *   css:  every ASCII byte but letters and digits as \HH followed by a space
 */
size_t esc_encode(enum esc_context c, const char *s, size_t len, char *out);

/*
 * Decodes what the browser reads in context C (OUT has room for LEN + 1):
 * character references (numeric and &amp; &lt; &gt; &quot; &apos;) for
 * html/attr/url; JavaScript escapes (\xHH \uHHHH \n \r \t \\ \' \" \/) for
 * js; %HH for url after the references; \H..H for css. Returns the length.
 */
size_t esc_decode(enum esc_context c, const char *s, size_t len, char *out);

/*
 * Would the raw VALUE, placed in context C, end the context or run code?
 * html: a '<' that starts a tag, comment or end tag; attr: a '"'; js: an
 * unescaped quote or line break, or "</script"; url: a quote, or a
 * javascript:, vbscript: or data: scheme once references are decoded and
 * tabs and newlines removed; css: a quote, ';', '}', '<', "expression(" or
 * "url(". Writes a short reason into WHY (room for 96 bytes). 1 or 0.
 */
int esc_breakout(enum esc_context c, const char *s, size_t len, char *why);

#endif
