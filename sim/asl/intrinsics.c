/*
 * intrinsics.c — the 18 States.* intrinsic functions, parsed and evaluated recursively
 * (arguments: 'strings' with \' \{ \} \\ escapes, numbers, true/false/null, paths $.x,
 * $$.x, $var, and nested calls). Any failure raises States.IntrinsicFailure, as AWS does.
 */
#include <ctype.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdlib.h>
#include <string.h>

#include "asl/asl.h"
#include "core/rng.h"

#define ESC_OPEN '\x01'
#define ESC_CLOSE '\x02'

typedef struct {
    sim_t *sim;
    const char *p;
    const asl_scope_t *sc;
    asl_err_t *e;
    int check_only;
} ip_t;

static int ifail(ip_t *ip, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    snprintf(ip->e->error, sizeof ip->e->error, "States.IntrinsicFailure");
    vsnprintf(ip->e->cause, sizeof ip->e->cause, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_ws(ip_t *ip) {
    while (isspace((unsigned char)*ip->p))
        ip->p++;
}

static void restore_escapes(char *s) {
    for (; *s; s++) {
        if (*s == ESC_OPEN) *s = '{';
        if (*s == ESC_CLOSE) *s = '}';
    }
}

static void restore_all(cJSON *v) {
    if (cJSON_IsString(v)) restore_escapes(v->valuestring);
    for (cJSON *c = (cJSON_IsArray(v) || cJSON_IsObject(v)) ? v->child : NULL; c; c = c->next)
        restore_all(c);
}

static cJSON *parse_call(ip_t *ip);

static cJSON *parse_arg(ip_t *ip, int *literal) {
    skip_ws(ip);
    *literal = 0;
    const char *p = ip->p;
    if (*p == '\'') {
        p++;
        size_t cap = strlen(p) + 1, k = 0;
        char *buf = malloc(cap);
        while (*p && *p != '\'') {
            if (*p == '\\' && p[1]) {
                p++;
                buf[k++] = *p == '{' ? ESC_OPEN : *p == '}' ? ESC_CLOSE : *p;
                p++;
                continue;
            }
            buf[k++] = *p++;
        }
        buf[k] = 0;
        if (*p != '\'') {
            free(buf);
            ifail(ip, "Unterminated string literal in intrinsic function");
            return NULL;
        }
        ip->p = p + 1;
        cJSON *v = cJSON_CreateString(buf);
        free(buf);
        *literal = 1;
        return v;
    }
    if (*p == '$') {
        const char *s = p;
        int depth = 0;
        while (*p) {
            if (*p == '[') depth++;
            if (*p == ']') depth--;
            if (*p == '\'' && depth > 0) {
                p++;
                while (*p && *p != '\'')
                    p++;
                if (!*p) break; /* unterminated quote: stop at the end (found by fuzz_intrinsic) */
            }
            if (depth == 0 && (*p == ',' || *p == ')' || isspace((unsigned char)*p))) break;
            p++;
        }
        char *path = strndup(s, (size_t)(p - s));
        ip->p = p;
        if (ip->check_only) {
            int ok = path[1] == '$' || path[1] == '.' || path[1] == '[' || !path[1] ? jp_valid(path, 0) : 1;
            free(path);
            if (!ok) {
                ifail(ip, "Invalid path in intrinsic function");
                return NULL;
            }
            return cJSON_CreateNull();
        }
        cJSON *v = asl_resolve(path, ip->sc, NULL, ip->e);
        if (!v) {
            char cause[1024];
            snprintf(cause, sizeof cause, "%s", ip->e->cause);
            ifail(ip, "%s", cause);
        }
        free(path);
        return v;
    }
    if (!strncmp(p, "States.", 7)) return parse_call(ip);
    if (*p == '-' || isdigit((unsigned char)*p)) {
        char *end;
        double d = strtod(p, &end);
        ip->p = end;
        *literal = 1;
        return cJSON_CreateNumber(d);
    }
    if (!strncmp(p, "true", 4)) {
        ip->p += 4;
        *literal = 1;
        return cJSON_CreateTrue();
    }
    if (!strncmp(p, "false", 5)) {
        ip->p += 5;
        *literal = 1;
        return cJSON_CreateFalse();
    }
    if (!strncmp(p, "null", 4)) {
        ip->p += 4;
        *literal = 1;
        return cJSON_CreateNull();
    }
    ifail(ip, "Invalid argument in intrinsic function at '%.40s'", p);
    return NULL;
}

static int is_int(const cJSON *v) {
    return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9e15;
}

static char *to_text(const cJSON *v) {
    if (cJSON_IsString(v)) return strdup(v->valuestring);
    return cJSON_PrintUnformatted(v);
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const unsigned char *in, size_t n) {
    char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        *o++ = B64[v >> 18 & 63];
        *o++ = B64[v >> 12 & 63];
        *o++ = i + 1 < n ? B64[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? B64[v & 63] : '=';
    }
    *o = 0;
    return out;
}

static char *b64_decode(const char *in, size_t *outn) {
    size_t n = strlen(in);
    if (n % 4) return NULL;
    unsigned char *out = malloc(n / 4 * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        for (int j = 0; j < 4; j++) {
            char c = in[i + j];
            const char *q = c ? strchr(B64, c) : NULL;
            if (c == '=' && i + 4 == n && j >= 2)
                v[j] = -1;
            else if (!q) {
                free(out);
                return NULL;
            } else
                v[j] = (int)(q - B64);
        }
        out[k++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (v[2] >= 0) out[k++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
        if (v[3] >= 0) out[k++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
    }
    out[k] = 0;
    *outn = k;
    return (char *)out;
}

/* Evaluate function `name` over args. */
static cJSON *apply(ip_t *ip, const char *name, cJSON **a, int *lit, int n) {
#define NEED(cnt)                                                                                            \
    do {                                                                                                     \
        if (n != (cnt)) {                                                                                    \
            ifail(ip, "Invalid arguments in %s: expected %d argument(s) but got %d", name, cnt, n);          \
            return NULL;                                                                                     \
        }                                                                                                    \
    } while (0)
    for (int i = 0; i < n; i++)
        if (lit[i] && strcmp(name, "States.Format")) restore_all(a[i]);
    if (!strcmp(name, "States.Format")) {
        if (n < 1 || !cJSON_IsString(a[0])) {
            ifail(ip, "Invalid arguments in States.Format: the first argument must be a string");
            return NULL;
        }
        size_t cap = strlen(a[0]->valuestring) + 64, k = 0;
        char *out = malloc(cap);
        int used = 1;
        for (const char *p = a[0]->valuestring; *p; p++) {
            char *ins = NULL;
            if (p[0] == '{' && p[1] == '}') {
                if (used >= n) {
                    free(out);
                    ifail(ip,
                          "Number of arguments in States.Format does not match the number of placeholders");
                    return NULL;
                }
                if (cJSON_IsObject(a[used]) || cJSON_IsArray(a[used])) {
                    free(out);
                    ifail(ip, "Invalid arguments in States.Format: only strings, numbers, booleans and null "
                              "can be formatted");
                    return NULL;
                }
                ins = to_text(a[used++]);
                p++;
            }
            const char *src = ins ? ins : (char[]){*p == ESC_OPEN ? '{' : *p == ESC_CLOSE ? '}' : *p, 0};
            size_t l = strlen(src);
            if (k + l + 1 > cap) out = realloc(out, cap = (k + l + 1) * 2);
            memcpy(out + k, src, l);
            k += l;
            free(ins);
        }
        out[k] = 0;
        if (used != n) {
            free(out);
            ifail(ip, "Number of arguments in States.Format does not match the number of placeholders");
            return NULL;
        }
        cJSON *r = cJSON_CreateString(out);
        free(out);
        return r;
    }
    if (!strcmp(name, "States.StringToJson")) {
        NEED(1);
        if (!cJSON_IsString(a[0])) return ifail(ip, "Invalid arguments in States.StringToJson"), NULL;
        cJSON *r = cJSON_Parse(a[0]->valuestring);
        if (!r) ifail(ip, "Invalid arguments in States.StringToJson: the string is not valid JSON");
        return r;
    }
    if (!strcmp(name, "States.JsonToString")) {
        NEED(1);
        char *t = cJSON_PrintUnformatted(a[0]);
        cJSON *r = cJSON_CreateString(t);
        free(t);
        return r;
    }
    if (!strcmp(name, "States.Array")) {
        cJSON *r = cJSON_CreateArray();
        for (int i = 0; i < n; i++)
            cJSON_AddItemToArray(r, cJSON_Duplicate(a[i], 1));
        return r;
    }
    if (!strcmp(name, "States.ArrayPartition")) {
        NEED(2);
        if (!cJSON_IsArray(a[0]) || !is_int(a[1]) || a[1]->valuedouble < 1)
            return ifail(ip, "Invalid arguments in States.ArrayPartition"), NULL;
        int size = a[1]->valuedouble > 1e9 ? 1000000000 : (int)a[1]->valuedouble; /* fits an int */
        cJSON *r = cJSON_CreateArray(), *chunk = NULL;
        int i = 0;
        for (cJSON *c = a[0]->child; c; c = c->next, i++) {
            if (i % size == 0) {
                chunk = cJSON_CreateArray();
                cJSON_AddItemToArray(r, chunk);
            }
            cJSON_AddItemToArray(chunk, cJSON_Duplicate(c, 1));
        }
        return r;
    }
    if (!strcmp(name, "States.ArrayContains")) {
        NEED(2);
        if (!cJSON_IsArray(a[0])) return ifail(ip, "Invalid arguments in States.ArrayContains"), NULL;
        for (cJSON *c = a[0]->child; c; c = c->next)
            if (cJSON_Compare(c, a[1], 1)) return cJSON_CreateTrue();
        return cJSON_CreateFalse();
    }
    if (!strcmp(name, "States.ArrayRange")) {
        NEED(3);
        if (!is_int(a[0]) || !is_int(a[1]) || !is_int(a[2]) || a[2]->valuedouble == 0)
            return ifail(ip, "Invalid arguments in States.ArrayRange"), NULL;
        double s = a[0]->valuedouble, e = a[1]->valuedouble, st = a[2]->valuedouble;
        double cnt = floor((e - s) / st) + 1;
        /* AWS: the generated array may not contain more than 1000 items */
        if (cnt > 1000)
            return ifail(ip, "Invalid arguments in States.ArrayRange: the array would contain more than 1000 "
                             "items"),
                   NULL;
        cJSON *r = cJSON_CreateArray();
        for (double v = s; st > 0 ? v <= e : v >= e; v += st)
            cJSON_AddItemToArray(r, cJSON_CreateNumber(v));
        return r;
    }
    if (!strcmp(name, "States.ArrayGetItem")) {
        NEED(2);
        if (!cJSON_IsArray(a[0]) || !is_int(a[1]) || a[1]->valuedouble < 0)
            return ifail(ip, "Invalid arguments in States.ArrayGetItem"), NULL;
        /* compare before the cast: a huge index does not fit an int (UBSan, fuzz_intrinsic) */
        cJSON *it = a[1]->valuedouble < cJSON_GetArraySize(a[0])
                        ? cJSON_GetArrayItem(a[0], (int)a[1]->valuedouble)
                        : NULL;
        if (!it) return ifail(ip, "Invalid arguments in States.ArrayGetItem: index out of bounds"), NULL;
        return cJSON_Duplicate(it, 1);
    }
    if (!strcmp(name, "States.ArrayLength")) {
        NEED(1);
        if (!cJSON_IsArray(a[0])) return ifail(ip, "Invalid arguments in States.ArrayLength"), NULL;
        return cJSON_CreateNumber(cJSON_GetArraySize(a[0]));
    }
    if (!strcmp(name, "States.ArrayUnique")) {
        NEED(1);
        if (!cJSON_IsArray(a[0])) return ifail(ip, "Invalid arguments in States.ArrayUnique"), NULL;
        cJSON *r = cJSON_CreateArray();
        for (cJSON *c = a[0]->child; c; c = c->next) {
            int dup = 0;
            for (cJSON *d = r->child; d && !dup; d = d->next)
                dup = cJSON_Compare(c, d, 1);
            if (!dup) cJSON_AddItemToArray(r, cJSON_Duplicate(c, 1));
        }
        return r;
    }
    if (!strcmp(name, "States.Base64Encode")) {
        NEED(1);
        /* AWS: input string of at most 10,000 characters */
        if (!cJSON_IsString(a[0]) || strlen(a[0]->valuestring) > 10000)
            return ifail(ip, "Invalid arguments in States.Base64Encode"), NULL;
        char *t = b64_encode((unsigned char *)a[0]->valuestring, strlen(a[0]->valuestring));
        cJSON *r = cJSON_CreateString(t);
        free(t);
        return r;
    }
    if (!strcmp(name, "States.Base64Decode")) {
        NEED(1);
        size_t on;
        char *t = cJSON_IsString(a[0]) && strlen(a[0]->valuestring) <= 10000
                      ? b64_decode(a[0]->valuestring, &on)
                      : NULL;
        if (!t) return ifail(ip, "Invalid arguments in States.Base64Decode"), NULL;
        cJSON *r = cJSON_CreateString(t);
        free(t);
        return r;
    }
    if (!strcmp(name, "States.Hash")) {
        NEED(2);
        if (!cJSON_IsString(a[1])) return ifail(ip, "Invalid arguments in States.Hash"), NULL;
        const char *alg = a[1]->valuestring;
        const EVP_MD *md = asl_hash_md(alg);
        if (!md)
            return ifail(ip,
                         "Invalid arguments in States.Hash: the hashing algorithm must be one of MD5, SHA-1, "
                         "SHA-256, SHA-384, SHA-512"),
                   NULL;
        char *t = to_text(a[0]);
        unsigned char dig[64];
        unsigned dl = 0;
        EVP_Digest(t, strlen(t), dig, &dl, md, NULL);
        free(t);
        char hex[129];
        for (unsigned i = 0; i < dl; i++)
            sprintf(hex + 2 * i, "%02x", dig[i]);
        hex[2 * dl] = 0;
        return cJSON_CreateString(hex);
    }
    if (!strcmp(name, "States.JsonMerge")) {
        NEED(3);
        if (!cJSON_IsObject(a[0]) || !cJSON_IsObject(a[1]) || !cJSON_IsBool(a[2]))
            return ifail(ip, "Invalid arguments in States.JsonMerge"), NULL;
        /* AWS supports only the shallow merge: the third argument must be false */
        if (cJSON_IsTrue(a[2]))
            return ifail(ip, "Invalid arguments in States.JsonMerge: deep merge is not supported"), NULL;
        cJSON *r = cJSON_Duplicate(a[0], 1);
        for (cJSON *c = a[1]->child; c; c = c->next) {
            if (cJSON_GetObjectItemCaseSensitive(r, c->string))
                cJSON_ReplaceItemInObjectCaseSensitive(r, c->string, cJSON_Duplicate(c, 1));
            else
                cJSON_AddItemToObject(r, c->string, cJSON_Duplicate(c, 1));
        }
        return r;
    }
    if (!strcmp(name, "States.MathRandom")) {
        if (n != 2 && n != 3) return ifail(ip, "Invalid arguments in States.MathRandom"), NULL;
        if (!is_int(a[0]) || !is_int(a[1]) || a[1]->valuedouble <= a[0]->valuedouble)
            return ifail(ip, "Invalid arguments in States.MathRandom"), NULL;
        double s = a[0]->valuedouble, span = a[1]->valuedouble - s;
        double u;
        if (n == 3 && is_int(a[2])) {
            uint64_t x = (uint64_t)(int64_t)a[2]->valuedouble * 0x9E3779B97F4A7C15ULL;
            x ^= x >> 31;
            u = (double)(x >> 11) / 9007199254740992.0;
        } else {
            u = ip->sim ? rng_unit(ip->sim) : 0.5;
        }
        return cJSON_CreateNumber(s + floor(u * span));
    }
    if (!strcmp(name, "States.MathAdd")) {
        NEED(2);
        if (!is_int(a[0]) || !is_int(a[1])) return ifail(ip, "Invalid arguments in States.MathAdd"), NULL;
        return cJSON_CreateNumber(a[0]->valuedouble + a[1]->valuedouble);
    }
    if (!strcmp(name, "States.StringSplit")) {
        NEED(2);
        if (!cJSON_IsString(a[0]) || !cJSON_IsString(a[1]))
            return ifail(ip, "Invalid arguments in States.StringSplit"), NULL;
        cJSON *r = cJSON_CreateArray();
        char *s = strdup(a[0]->valuestring), *save = NULL;
        for (char *t = strtok_r(s, a[1]->valuestring, &save); t; t = strtok_r(NULL, a[1]->valuestring, &save))
            cJSON_AddItemToArray(r, cJSON_CreateString(t));
        free(s);
        return r;
    }
    if (!strcmp(name, "States.UUID")) {
        NEED(0);
        char u[37] = "00000000-0000-4000-8000-000000000000";
        if (ip->sim) rng_uuid(ip->sim, u);
        return cJSON_CreateString(u);
    }
    ifail(ip, "Function '%s' is not supported", name);
    return NULL;
#undef NEED
}

static cJSON *parse_call(ip_t *ip) {
    skip_ws(ip);
    const char *s = ip->p;
    while (isalnum((unsigned char)*ip->p) || *ip->p == '.')
        ip->p++;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(ip->p - s), s);
    skip_ws(ip);
    if (*ip->p != '(') {
        ifail(ip, "Invalid intrinsic function call '%s'", name);
        return NULL;
    }
    ip->p++;
    cJSON *args[32];
    int lit[32], n = 0;
    skip_ws(ip);
    cJSON *r = NULL;
    if (*ip->p == ')') {
        ip->p++;
    } else {
        while (1) {
            if (n >= 32) {
                ifail(ip, "Too many arguments in %s", name);
                goto out;
            }
            cJSON *v = parse_arg(ip, &lit[n]);
            if (!v) goto out;
            args[n++] = v;
            skip_ws(ip);
            if (*ip->p == ',') {
                ip->p++;
                continue;
            }
            if (*ip->p == ')') {
                ip->p++;
                break;
            }
            ifail(ip, "Invalid intrinsic function syntax in %s", name);
            goto out;
        }
    }
    if (ip->check_only) {
        static const char *known[] = {"States.Format",      "States.StringToJson",   "States.JsonToString",
                                      "States.Array",       "States.ArrayPartition", "States.ArrayContains",
                                      "States.ArrayRange",  "States.ArrayGetItem",   "States.ArrayLength",
                                      "States.ArrayUnique", "States.Base64Encode",   "States.Base64Decode",
                                      "States.Hash",        "States.JsonMerge",      "States.MathRandom",
                                      "States.MathAdd",     "States.StringSplit",    "States.UUID"};
        int ok = 0;
        for (size_t i = 0; i < sizeof known / sizeof *known; i++)
            ok |= !strcmp(known[i], name);
        if (!ok)
            ifail(ip, "Function '%s' is not supported", name);
        else
            r = cJSON_CreateNull();
        goto out;
    }
    r = apply(ip, name, args, lit, n);
out:
    for (int i = 0; i < n; i++)
        cJSON_Delete(args[i]);
    return r;
}

int asl_is_intrinsic(const char *expr) {
    return expr && !strncmp(expr, "States.", 7);
}

/* The digests States.Hash and JSONata's $hash accept (AWS: MD5, SHA-1, SHA-256, SHA-384, SHA-512). */
const EVP_MD *asl_hash_md(const char *alg) {
    return !strcmp(alg, "MD5")       ? EVP_md5()
           : !strcmp(alg, "SHA-1")   ? EVP_sha1()
           : !strcmp(alg, "SHA-256") ? EVP_sha256()
           : !strcmp(alg, "SHA-384") ? EVP_sha384()
           : !strcmp(alg, "SHA-512") ? EVP_sha512()
                                     : NULL;
}

cJSON *asl_intrinsic(sim_t *s, const char *expr, const asl_scope_t *sc, asl_err_t *e) {
    ip_t ip = {.sim = s, .p = expr, .sc = sc, .e = e};
    cJSON *r = parse_call(&ip);
    if (r) {
        skip_ws(&ip);
        if (*ip.p) {
            cJSON_Delete(r);
            ifail(&ip, "Invalid intrinsic function syntax: trailing characters '%s'", ip.p);
            return NULL;
        }
    }
    return r;
}

int asl_intrinsic_valid(const char *expr, char *err, size_t errn) {
    asl_err_t e = {{0}, {0}};
    asl_scope_t sc = {0};
    ip_t ip = {.p = expr, .sc = &sc, .e = &e, .check_only = 1};
    cJSON *r = parse_call(&ip);
    if (r) {
        skip_ws(&ip);
        if (*ip.p) {
            cJSON_Delete(r);
            r = NULL;
            snprintf(e.cause, sizeof e.cause, "trailing characters");
        }
    }
    if (!r) {
        snprintf(err, errn, "%s", e.cause);
        return 0;
    }
    cJSON_Delete(r);
    return 1;
}
