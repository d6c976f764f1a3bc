/*
 * json.c — a fast compact JSON printer for execution documents and history payloads.
 * cJSON 1.7.15 formats every number through sprintf("%1.15g") and sscanf; executions print
 * hundreds of small integers per call, so integers are formatted directly here. Output is the
 * same compact JSON cJSON_PrintUnformatted produces.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl/asl.h"
#include "core/util.h"

typedef asl_buf_t buf_t;

static void grow(buf_t *b, size_t need) {
    if (b->n + need + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->n + need + 1)
        cap *= 2;
    b->b = realloc(b->b, cap);
    b->cap = cap;
}

static void put(buf_t *b, const char *s, size_t l) {
    grow(b, l);
    memcpy(b->b + b->n, s, l);
    b->n += l;
}

static inline void put_c(buf_t *b, char c) {
    if (b->n + 2 > b->cap) grow(b, 1);
    b->b[b->n++] = c;
}

static void put_number(buf_t *b, double d) {
    char tmp[64];
    int l;
    if (d >= 0 && d < 4294967296.0 && (double)(unsigned)d == d) {
        /* the usual: ids, offsets, counts */
        unsigned u = (unsigned)d;
        char *p = tmp + sizeof tmp;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        put(b, p, (size_t)(tmp + sizeof tmp - p));
        return;
    }
    if (isnan(d) || isinf(d)) {
        put(b, "null", 4);
        return;
    }
    if (d == floor(d) && fabs(d) < 1e15) {
        long long v = (long long)d;
        char *p = tmp + sizeof tmp;
        int neg = v < 0;
        unsigned long long u = neg ? (unsigned long long)(-v) : (unsigned long long)v;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (neg) *--p = '-';
        put(b, p, (size_t)(tmp + sizeof tmp - p));
        return;
    }
    l = snprintf(tmp, sizeof tmp, "%1.15g", d);
    if (strtod(tmp, NULL) != d) l = snprintf(tmp, sizeof tmp, "%1.17g", d);
    put(b, tmp, (size_t)l);
}

/* A JSON string: plain bytes are copied in runs found in one pass (no strlen first). */
static void put_string(buf_t *b, const char *s) {
    put_c(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        if (p > run) put(b, (const char *)run, (size_t)(p - run));
        if (!*p) break;
        char e[6];
        size_t el = json_escape_char(*p, e);
        put(b, e, el);
        p++;
    }
    put_c(b, '"');
}

static void put_value(buf_t *b, const cJSON *v) {
    /* the type byte directly: cJSON_Is* are calls into the shared library */
    switch (v ? v->type & 0xFF : cJSON_NULL) {
    case cJSON_False:
        put(b, "false", 5);
        break;
    case cJSON_True:
        put(b, "true", 4);
        break;
    case cJSON_Number:
        put_number(b, v->valuedouble);
        break;
    case cJSON_String:
        put_string(b, v->valuestring ? v->valuestring : "");
        break;
    case cJSON_Raw:
        put(b, v->valuestring, strlen(v->valuestring));
        break;
    case cJSON_Array:
        put_c(b, '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            put_value(b, c);
            if (c->next) put_c(b, ',');
        }
        put_c(b, ']');
        break;
    case cJSON_Object:
        put_c(b, '{');
        for (const cJSON *c = v->child; c; c = c->next) {
            put_string(b, c->string ? c->string : "");
            put_c(b, ':');
            put_value(b, c);
            if (c->next) put_c(b, ',');
        }
        put_c(b, '}');
        break;
    default: /* cJSON_NULL, cJSON_Invalid */
        put(b, "null", 4);
    }
}

void asl_buf_reserve(asl_buf_t *b, size_t n) {
    grow(b, n);
}

void asl_buf_num(asl_buf_t *b, double d) {
    put_number(b, d);
    b->b[b->n] = 0;
}

void asl_buf_str(asl_buf_t *b, const char *s) {
    put_string(b, s);
    b->b[b->n] = 0;
}

void asl_json_put(asl_buf_t *b, const cJSON *v) {
    put_value(b, v);
    b->b[b->n] = 0;
}

char *asl_json_print(const cJSON *v) {
    buf_t b = {0};
    grow(&b, 512);
    put_value(&b, v);
    b.b[b.n] = 0;
    return b.b;
}

static int push_span(size_t **spans, size_t *cap, long count, size_t start, size_t end) {
    if ((size_t)count * 2 + 2 > *cap) {
        *cap = *cap ? *cap * 2 : 64;
        size_t *grown = realloc(*spans, *cap * sizeof **spans);
        if (!grown) return -1;
        *spans = grown;
    }
    (*spans)[count * 2] = start;
    (*spans)[count * 2 + 1] = end;
    return 0;
}

long asl_json_array_spans(const char *s, size_t n, size_t **spans) {
    *spans = NULL;
    size_t i = 0, cap = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i == n || s[i++] != '[') return -1;
    long count = 0;
    int depth = 0, in_str = 0, empty = 1;
    size_t start = i;
    for (; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        switch (c) {
        case '"':
            in_str = 1;
            empty = 0;
            break;
        case '[':
        case '{':
            depth++;
            empty = 0;
            break;
        case '}':
            if (depth-- == 0) goto bad;
            break;
        case ']':
            if (depth > 0) {
                depth--;
                break;
            }
            /* the end of the array itself: "[]", or after an element ("[1,]" is not an array) */
            if (!empty && push_span(spans, &cap, count++, start, i)) goto bad;
            if (empty && count) goto bad;
            for (i++; i < n && isspace((unsigned char)s[i]); i++)
                ;
            if (i < n) goto bad;
            return count;
        case ',':
            if (depth) break;
            if (empty || push_span(spans, &cap, count++, start, i)) goto bad;
            start = i + 1;
            empty = 1;
            break;
        default:
            if (!isspace((unsigned char)c)) empty = 0;
        }
    }
bad:
    free(*spans);
    *spans = NULL;
    return -1;
}
