/*
 * util.c — string buffer, URL and UTF-8 helpers, number formatting, and the JSON printer. No allocation
 * failure handling beyond abort: awssim treats out-of-memory as fatal, as SQLite's default allocator does.
 */
#include "core/util.h"

#include <float.h>
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
        /* ASCII runs (nearly all of a request body) eight bytes at a time */
        uint64_t w;
        while (end - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ull) == 0))
            p += 8;
        if (p == end) break;
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

size_t fmt_u64(uint64_t v, char *out) {
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* Text of a non-integral d that is the double nearest to a multiple of 0.001 with magnitude
 * below 1e12 (an epoch-seconds time with milliseconds, a price): that decimal with its trailing
 * zeros cut, NUL-terminated; 0 for any other d. Why this is what both "%.15g" and the shortest
 * "%.Ng" that reads back print: the decimal has at most 15 significant digits, d lies within half
 * an ulp of it (< 0.0001 of a unit in its last place below 1e12), and every decimal with fewer
 * digits is at least 0.001 away from it, so farther than half an ulp from d. */
static size_t fmt_milli(double d, char *out) {
    double a = fabs(d);
    if (!(a >= 0.001 && a < 1e12)) return 0;
    long long k = llround(a * 1000.0);
    if ((double)k / 1000.0 != a || k % 1000 == 0) return 0;
    size_t n = 0;
    if (d < 0) out[n++] = '-';
    n += fmt_u64((uint64_t)(k / 1000), out + n);
    int frac = (int)(k % 1000);
    out[n++] = '.';
    out[n++] = (char)('0' + frac / 100);
    if (frac % 100) {
        out[n++] = (char)('0' + frac / 10 % 10);
        if (frac % 10) out[n++] = (char)('0' + frac % 10);
    }
    out[n] = 0;
    return n;
}

/* Integral |v| below limit: its digits (with a '-' when negative), NUL-terminated; else 0. */
static size_t fmt_integral(double v, double limit, char *out) {
    if (!(v == floor(v) && fabs(v) < limit)) return 0;
    size_t n = 0;
    if (v < 0) out[n++] = '-';
    n += fmt_u64((uint64_t)fabs(v), out + n);
    out[n] = 0;
    return n;
}

void fmt_number(double v, char *out, size_t n) {
    char fast[32];
    /* (long long)v of an integral v below 1e17 is what "%lld" printed; -0 printed "0" */
    if (fmt_integral(v == 0 ? 0 : v, 1e17, fast) || fmt_milli(v, fast)) {
        str_copy(out, n, fast);
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

/* ---- JSON text, as cJSON 1.7.15 prints it unformatted ---- */

size_t fmt_json_number(double d, char *out) {
    if (isnan(d) || isinf(d)) {
        memcpy(out, "null", 5);
        return 4;
    }
    /* "%1.15g" prints an integral value below 1e15 as its digits; -0 as "-0" */
    if (d == 0 && signbit(d)) {
        memcpy(out, "-0", 3);
        return 2;
    }
    size_t n = fmt_integral(d, 1e15, out);
    if (!n) n = fmt_milli(d, out);
    if (n) return n;
    /* cJSON's own way: 15 digits, or 17 when those do not read back (its compare_double) */
    int len = snprintf(out, 32, "%1.15g", d);
    double test = 0;
    double big = fabs(test = strtod(out, NULL)) > fabs(d) ? fabs(test) : fabs(d);
    if (!(fabs(test - d) <= big * DBL_EPSILON)) len = snprintf(out, 32, "%1.17g", d);
    return (size_t)len;
}

/* 1 for bytes a JSON string must escape: control characters, '"' and '\\' */
static const unsigned char JSON_SPECIAL[256] = {[0 ... 0x1F] = 1, ['"'] = 1, ['\\'] = 1};

/* The escape sequence JSON writes for a byte that cannot stand in a string (a control character,
 * '"' or '\\'), as cJSON does: \" \\ \b \f \n \r \t, else \u00xx in lowercase hex. Into out; its
 * length. Shared by sb_json_string and the engine's printer (asl/json.c). */
size_t json_escape_char(unsigned char c, char out[6]) {
    static const char hex[] = "0123456789abcdef";
    out[0] = '\\';
    switch (c) {
    case '"':
    case '\\':
        out[1] = (char)c;
        return 2;
    case '\b':
        out[1] = 'b';
        return 2;
    case '\f':
        out[1] = 'f';
        return 2;
    case '\n':
        out[1] = 'n';
        return 2;
    case '\r':
        out[1] = 'r';
        return 2;
    case '\t':
        out[1] = 't';
        return 2;
    }
    memcpy(out + 1, "u00", 3);
    out[4] = hex[c >> 4];
    out[5] = hex[c & 15];
    return 6;
}

void sb_json_string(strbuf_t *b, const char *s) {
    sb_putc(b, '"');
    if (s) {
        for (;;) {
            const char *run = s;
            while (*s && !JSON_SPECIAL[(unsigned char)*s])
                s++;
            if (s > run) sb_putn(b, run, (size_t)(s - run));
            if (!*s) break;
            char e[6];
            size_t n = json_escape_char((unsigned char)*s, e);
            sb_putn(b, e, n);
            s++;
        }
    }
    sb_putc(b, '"');
}

int sb_json(strbuf_t *b, const cJSON *item) {
    if (!item) return -1;
    switch (item->type & 0xFF) {
    case cJSON_NULL:
        sb_putn(b, "null", 4);
        return 0;
    case cJSON_False:
        sb_putn(b, "false", 5);
        return 0;
    case cJSON_True:
        sb_putn(b, "true", 4);
        return 0;
    case cJSON_Number: {
        char num[32];
        sb_putn(b, num, fmt_json_number(item->valuedouble, num));
        return 0;
    }
    case cJSON_Raw:
        if (!item->valuestring) return -1;
        sb_puts(b, item->valuestring);
        return 0;
    case cJSON_String:
        sb_json_string(b, item->valuestring);
        return 0;
    case cJSON_Array:
        sb_putc(b, '[');
        for (const cJSON *c = item->child; c; c = c->next) {
            if (sb_json(b, c) != 0) return -1;
            if (c->next) sb_putc(b, ',');
        }
        sb_putc(b, ']');
        return 0;
    case cJSON_Object:
        sb_putc(b, '{');
        for (const cJSON *c = item->child; c; c = c->next) {
            sb_json_string(b, c->string);
            sb_putc(b, ':');
            if (sb_json(b, c) != 0) return -1;
            if (c->next) sb_putc(b, ',');
        }
        sb_putc(b, '}');
        return 0;
    default:
        return -1;
    }
}

char *json_print(const cJSON *item, size_t *len) {
    strbuf_t b;
    sb_init(&b);
    if (sb_json(&b, item) != 0) {
        sb_free(&b);
        return NULL;
    }
    return sb_detach(&b, len);
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
