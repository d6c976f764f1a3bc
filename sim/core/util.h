/*
 * util.h — a growable string buffer and small text helpers shared by the codecs and services,
 * and a JSON printer that writes exactly cJSON_PrintUnformatted's text without its printf calls.
 */
#ifndef AWSSIM_UTIL_H
#define AWSSIM_UTIL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
    char *buf;
    size_t len, cap;
} strbuf_t;

/* snprintf(dst, n, "%s", src) without the format machinery: copies, truncates, returns strlen(src) */
size_t str_copy(char *dst, size_t n, const char *src);
void sb_init(strbuf_t *b);
void sb_free(strbuf_t *b);
void sb_putn(strbuf_t *b, const char *s, size_t n);
void sb_puts(strbuf_t *b, const char *s);
void sb_putc(strbuf_t *b, char c);
void sb_printf(strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_xml_escape(strbuf_t *b, const char *s);        /* & < > " ' and control characters */
void sb_tag(strbuf_t *b, int close, const char *name); /* <name> or </name> */
char *sb_detach(strbuf_t *b, size_t *len);             /* NUL-terminated, caller frees */

/* Percent-decoding ('+' as space when form != 0). Returns malloc'd string. */
char *url_decode(const char *s, size_t n, int form);
/* RFC 3986 encoding as SigV4 wants it (slash kept when keep_slash). */
void sb_uri_encode(strbuf_t *b, const char *s, size_t n, int keep_slash);
/* Call fn(key, value, ctx) for each k=v pair of a query string or form body, percent-decoded
 * ('+' as space when form != 0). Strings are freed after the call. */
void query_each(const char *s, size_t n, int form, void (*fn)(char *key, char *value, void *ctx), void *ctx);
/* Whole file as a NUL-terminated string (malloc'd), or NULL. */
char *read_file(const char *path, size_t *len);
/* Valid UTF-8 (no overlongs, no surrogates)? */
int utf8_valid(const char *s, size_t n);
/* Lowercase hex of bytes. out must hold 2n+1. */
void hex_encode(const unsigned char *in, size_t n, char *out);
/* Format a double as the shortest text that JSON/XML clients read back exactly. */
void fmt_number(double v, char *out, size_t n);
/* Decimal digits of v into out (20 bytes will do); returns the length. No terminating NUL. */
size_t fmt_u64(uint64_t v, char *out);
/* A number as cJSON 1.7.15 prints it ("%1.15g", or "%1.17g" when that does not read back; NaN and
 * infinities as null), NUL-terminated; returns the length. out must hold 32 bytes. */
size_t fmt_json_number(double d, char *out);
/* Append item as cJSON_PrintUnformatted would print it. -1 (b keeps what was written) where
 * cJSON would fail: a raw item without text, an invalid type. */
int sb_json(strbuf_t *b, const cJSON *item);
/* Append s as a JSON string, quoted and escaped as cJSON does (NULL as ""). */
size_t json_escape_char(unsigned char c, char out[6]); /* JSON's escape of a control byte, '"' or '\\' */
void sb_json_string(strbuf_t *b, const char *s);
/* cJSON_PrintUnformatted(item), byte for byte: malloc'd text (length in *len when len), or NULL. */
char *json_print(const cJSON *item, size_t *len);

#endif
