/*
 * util.c — string buffer, URL and UTF-8 helpers. No allocation failure handling beyond abort:
 * awssim treats out-of-memory as fatal, as SQLite's default allocator does.
 */
#include "core/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(strbuf_t *b, size_t need) {
    if (b->len + need + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + need + 1)
        cap *= 2;
    char *nb = realloc(b->buf, cap);
    if (!nb) abort();
    b->buf = nb;
    b->cap = cap;
}

size_t str_copy(char *dst, size_t n, const char *src) {
    size_t len = strlen(src);
    if (n == 0) return len;
    size_t k = len < n ? len : n - 1;
    memcpy(dst, src, k);
    dst[k] = 0;
    return len;
}

void sb_init(strbuf_t *b) {
    b->buf = NULL;
    b->len = b->cap = 0;
}

void sb_free(strbuf_t *b) {
    free(b->buf);
    sb_init(b);
}

void sb_putn(strbuf_t *b, const char *s, size_t n) {
    grow(b, n);
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = 0;
}

void sb_puts(strbuf_t *b, const char *s) {
    sb_putn(b, s, strlen(s));
}

void sb_putc(strbuf_t *b, char c) {
    sb_putn(b, &c, 1);
}

void sb_printf(strbuf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* 1 for bytes sb_xml_escape must rewrite */
static const unsigned char XML_SPECIAL[256] = {
    [0 ... 0x08] = 1, [0x0A ... 0x1F] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1};

void sb_xml_escape(strbuf_t *b, const char *s) {
    for (; *s; s++) {
        const char *run = s; /* copy the longest run of plain bytes at once */
        while (*s && !XML_SPECIAL[(unsigned char)*s])
            s++;
        if (s > run) sb_putn(b, run, (size_t)(s - run));
        if (!*s) break;
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            sb_puts(b, "&amp;");
            break;
        case '<':
            sb_puts(b, "&lt;");
            break;
        case '>':
            sb_puts(b, "&gt;");
            break;
        case '"':
            sb_puts(b, "&quot;");
            break;
        case '\'':
            sb_puts(b, "&apos;");
            break;
        case '\r':
            sb_puts(b, "&#xD;");
            break;
        case '\n':
            sb_puts(b, "&#xA;");
            break;
        default:
            if (c < 0x20 && c != '\t')
                sb_printf(b, "&#x%X;", c);
            else
                sb_putc(b, (char)c);
        }
    }
}

void sb_tag(strbuf_t *b, int close, const char *name) {
    size_t n = strlen(name);
    grow(b, n + 3);
    b->buf[b->len++] = '<';
    if (close) b->buf[b->len++] = '/';
    memcpy(b->buf + b->len, name, n);
    b->len += n;
    b->buf[b->len++] = '>';
    b->buf[b->len] = 0;
}

char *sb_detach(strbuf_t *b, size_t *len) {
    if (!b->buf) sb_putn(b, "", 0);
    char *out = b->buf;
    if (len) *len = b->len;
    sb_init(b);
    return out;
}

static int hexv(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *url_decode(const char *s, size_t n, int form) {
    char *out = malloc(n + 1);
    if (!out) abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
            out[k++] = (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
            i += 2;
        } else if (form && s[i] == '+') {
            out[k++] = ' ';
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = 0;
    return out;
}

void sb_uri_encode(strbuf_t *b, const char *s, size_t n, int keep_slash) {
    static const char *hex = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
            sb_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_putn(b, e, 3);
        }
    }
}

int utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        int len;
        unsigned cp;
        if ((c & 0xE0) == 0xC0)
            len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            len = 4, cp = c & 0x07;
        else
            return 0;
        if (end - p < len) return 0;
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        p += len;
    }
    return 1;
}

void hex_encode(const unsigned char *in, size_t n, char *out) {
    static const char *hex = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = 0;
}

void fmt_number(double v, char *out, size_t n) {
    if (v == floor(v) && fabs(v) < 1e17) {
        snprintf(out, n, "%lld", (long long)v);
        return;
    }
    snprintf(out, n, "%.17g", v);
    /* prefer the shortest representation that round-trips */
    for (int prec = 1; prec <= 17; prec++) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) {
            snprintf(out, n, "%s", tmp);
            return;
        }
    }
}

void query_each(const char *s, size_t n, int form, void (*fn)(char *key, char *value, void *ctx), void *ctx) {
    size_t i = 0;
    while (s && i < n) {
        size_t j = i;
        while (j < n && s[j] != '&')
            j++;
        size_t eq = i;
        while (eq < j && s[eq] != '=')
            eq++;
        if (j > i) {
            char *k = url_decode(s + i, eq - i, form);
            char *v = eq < j ? url_decode(s + eq + 1, j - eq - 1, form) : strdup("");
            fn(k, v, ctx);
            free(k);
            free(v);
        }
        i = j + 1;
    }
}

char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!buf) return NULL;
    buf[got] = 0;
    if (len) *len = got;
    return buf;
}
