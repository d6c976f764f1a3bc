/*
 * jsonpath.c — the JSONPath subset Amazon States Language uses (Jayway syntax):
 * $, .name, ['name'], [n], [-n], [*], .*, [a,b], [start:end], ..name (deep scan) and
 * [?(@.field op literal)] filters. Definite paths yield one value, others an array of matches.
 * jp_set implements ResultPath (Reference Paths only: names and indexes).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdlib.h>
#include <string.h>

#include "asl/asl.h"

typedef struct {
    const cJSON **v;
    int n, cap;
} nodes_t;

static void push(nodes_t *ns, const cJSON *v) {
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 8;
        ns->v = realloc(ns->v, sizeof(*ns->v) * ns->cap);
    }
    ns->v[ns->n++] = v;
}

static void deep_collect(const cJSON *v, const char *name, nodes_t *out) {
    if (!v) return;
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        for (const cJSON *c = v->child; c; c = c->next) {
            if (cJSON_IsObject(v) && (!name || strcmp(c->string, name) == 0)) push(out, c);
            if (cJSON_IsArray(v) && !name) push(out, c);
            deep_collect(c, name, out);
        }
    }
}

/* Read a quoted string at *p (quote char q), unescaped into buf. */
static int read_quoted(const char **pp, char *buf, size_t n) {
    const char *p = *pp;
    char q = *p++;
    size_t k = 0;
    while (*p && *p != q) {
        if (*p == '\\' && p[1]) p++;
        if (k + 1 < n) buf[k++] = *p;
        p++;
    }
    if (*p != q) return -1;
    buf[k] = 0;
    *pp = p + 1;
    return 0;
}

static int read_name(const char **pp, char *buf, size_t n) {
    const char *p = *pp;
    size_t k = 0;
    while (*p && *p != '.' && *p != '[') {
        if (k + 1 < n) buf[k++] = *p;
        p++;
    }
    buf[k] = 0;
    *pp = p;
    return k ? 0 : -1;
}

static int cmp_values(const cJSON *a, const char *op, const cJSON *b) {
    int c;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
        c = (a->valuedouble > b->valuedouble) - (a->valuedouble < b->valuedouble);
    } else if (cJSON_IsString(a) && cJSON_IsString(b)) {
        c = strcmp(a->valuestring, b->valuestring);
    } else if (cJSON_IsBool(a) && cJSON_IsBool(b)) {
        c = cJSON_IsTrue(a) != cJSON_IsTrue(b);
        if (strcmp(op, "==") && strcmp(op, "!=")) return 0;
    } else if (cJSON_IsNull(a) && cJSON_IsNull(b)) {
        c = 0;
    } else {
        return strcmp(op, "!=") == 0;
    }
    if (!strcmp(op, "==")) return c == 0;
    if (!strcmp(op, "!=")) return c != 0;
    if (!strcmp(op, "<")) return c < 0;
    if (!strcmp(op, "<=")) return c <= 0;
    if (!strcmp(op, ">")) return c > 0;
    if (!strcmp(op, ">=")) return c >= 0;
    return 0;
}

/* Filter: ?(@.a.b op literal) or ?(@.a.b). The bracket content is in f (without ?( )). */
static int filter_match(const cJSON *item, const char *f) {
    char path[256], lit[256], op[3] = {0};
    const char *p = f;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '@') return 0;
    size_t k = 0;
    path[k++] = '$';
    p++;
    while (*p && !isspace((unsigned char)*p) && !strchr("=!<>", *p) && k + 1 < sizeof path)
        path[k++] = *p++;
    path[k] = 0;
    while (isspace((unsigned char)*p))
        p++;
    cJSON *v = jp_get(item, path);
    if (!*p) {
        int r = v != NULL;
        cJSON_Delete(v);
        return r;
    }
    k = 0;
    while (*p && strchr("=!<>", *p) && k < 2)
        op[k++] = *p++;
    while (isspace((unsigned char)*p))
        p++;
    k = 0;
    while (*p && k + 1 < sizeof lit)
        lit[k++] = *p++;
    while (k && isspace((unsigned char)lit[k - 1]))
        k--;
    lit[k] = 0;
    if (lit[0] == '\'') {
        lit[k - 1] = '"';
        lit[0] = '"';
    }
    cJSON *l = cJSON_Parse(lit);
    int r = v && l && cmp_values(v, op, l);
    cJSON_Delete(v);
    cJSON_Delete(l);
    return r;
}

/* Walk path over root. Returns 0 ok (nodes in out, *definite set), -1 syntax error. */
static int walk(const cJSON *root, const char *path, nodes_t *out, int *definite) {
    nodes_t cur = {0}, nxt = {0};
    char name[512];
    *definite = 1;
    const char *p = path;
    if (*p != '$') return -1;
    p++;
    if (root) push(&cur, root);
    while (*p) {
        nxt.n = 0;
        if (p[0] == '.' && p[1] == '.') {
            p += 2;
            *definite = 0;
            if (*p == '*') {
                p++;
                for (int i = 0; i < cur.n; i++)
                    deep_collect(cur.v[i], NULL, &nxt);
            } else {
                if (read_name(&p, name, sizeof name)) goto bad;
                for (int i = 0; i < cur.n; i++)
                    deep_collect(cur.v[i], name, &nxt);
            }
        } else if (*p == '.') {
            p++;
            if (*p == '*') {
                p++;
                *definite = 0;
                for (int i = 0; i < cur.n; i++)
                    for (const cJSON *c = cur.v[i]->child;
                         c && (cJSON_IsObject(cur.v[i]) || cJSON_IsArray(cur.v[i])); c = c->next)
                        push(&nxt, c);
            } else {
                if (read_name(&p, name, sizeof name)) goto bad;
                if (!strcmp(name, "length()")) {
                    /* handled by caller semantics: not supported in ASL */
                    goto bad;
                }
                for (int i = 0; i < cur.n; i++)
                    if (cJSON_IsObject(cur.v[i])) {
                        const cJSON *c = cJSON_GetObjectItemCaseSensitive(cur.v[i], name);
                        if (c) push(&nxt, c);
                    }
            }
        } else if (*p == '[') {
            p++;
            while (*p == ' ')
                p++;
            if (*p == '\'' || *p == '"') {
                /* ['a'] or ['a','b'] */
                int cnt = 0;
                char names[8][256];
                while (1) {
                    if ((*p != '\'' && *p != '"') || cnt >= 8) goto bad;
                    if (read_quoted(&p, names[cnt++], 256)) goto bad;
                    while (*p == ' ')
                        p++;
                    if (*p == ',') {
                        p++;
                        while (*p == ' ')
                            p++;
                        continue;
                    }
                    break;
                }
                if (*p != ']') goto bad;
                p++;
                if (cnt > 1) *definite = 0;
                for (int i = 0; i < cur.n; i++)
                    for (int j = 0; j < cnt; j++)
                        if (cJSON_IsObject(cur.v[i])) {
                            const cJSON *c = cJSON_GetObjectItemCaseSensitive(cur.v[i], names[j]);
                            if (c) push(&nxt, c);
                        }
            } else if (*p == '*') {
                p++;
                if (*p != ']') goto bad;
                p++;
                *definite = 0;
                for (int i = 0; i < cur.n; i++)
                    if (cJSON_IsObject(cur.v[i]) || cJSON_IsArray(cur.v[i]))
                        for (const cJSON *c = cur.v[i]->child; c; c = c->next)
                            push(&nxt, c);
            } else if (*p == '?') {
                p++;
                if (*p != '(') goto bad;
                const char *start = ++p;
                int depth = 1;
                while (*p && depth) {
                    if (*p == '(') depth++;
                    if (*p == ')') depth--;
                    if (*p == '\'') {
                        p++;
                        while (*p && *p != '\'')
                            p++;
                        if (!*p) break; /* unterminated quote (found by fuzz_jsonpath) */
                    }
                    if (depth) p++;
                }
                if (*p != ')' || p[1] != ']') goto bad;
                char f[512];
                size_t fl = (size_t)(p - start) < sizeof f - 1 ? (size_t)(p - start) : sizeof f - 1;
                memcpy(f, start, fl);
                f[fl] = 0;
                p += 2;
                *definite = 0;
                for (int i = 0; i < cur.n; i++) {
                    if (cJSON_IsArray(cur.v[i])) {
                        for (const cJSON *c = cur.v[i]->child; c; c = c->next)
                            if (filter_match(c, f)) push(&nxt, c);
                    } else if (filter_match(cur.v[i], f)) {
                        push(&nxt, cur.v[i]);
                    }
                }
            } else {
                /* [n], [a,b], [s:e], [-n:] */
                int idx[16], ni = 0, slice = 0;
                long a = 0, b = 0;
                int has_a = 0, has_b = 0;
                char *end;
                if (*p == ':') {
                    slice = 1;
                } else {
                    a = strtol(p, &end, 10);
                    if (end == p) goto bad;
                    has_a = 1;
                    p = end;
                }
                while (*p == ' ')
                    p++;
                if (*p == ':') {
                    slice = 1;
                    p++;
                    if (*p != ']') {
                        b = strtol(p, &end, 10);
                        if (end == p) goto bad;
                        has_b = 1;
                        p = end;
                    }
                } else {
                    idx[ni++] = (int)a;
                    while (*p == ',') {
                        p++;
                        long v = strtol(p, &end, 10);
                        if (end == p || ni >= 16) goto bad;
                        idx[ni++] = (int)v;
                        p = end;
                    }
                }
                while (*p == ' ')
                    p++;
                if (*p != ']') goto bad;
                p++;
                if (slice || ni > 1) *definite = 0;
                for (int i = 0; i < cur.n; i++) {
                    if (!cJSON_IsArray(cur.v[i])) continue;
                    int len = cJSON_GetArraySize(cur.v[i]);
                    if (slice) {
                        long s0 = has_a ? a : 0, e0 = has_b ? b : len;
                        if (s0 < 0) s0 += len;
                        if (e0 < 0) e0 += len;
                        if (s0 < 0) s0 = 0;
                        if (e0 > len) e0 = len;
                        for (long k = s0; k < e0; k++)
                            push(&nxt, cJSON_GetArrayItem(cur.v[i], (int)k));
                    } else {
                        for (int j = 0; j < ni; j++) {
                            int k = idx[j] < 0 ? idx[j] + len : idx[j];
                            if (k >= 0 && k < len) push(&nxt, cJSON_GetArrayItem(cur.v[i], k));
                        }
                    }
                }
            }
        } else {
            goto bad;
        }
        nodes_t t = cur;
        cur = nxt;
        nxt = t;
    }
    free(nxt.v);
    *out = cur;
    return 0;
bad:
    free(cur.v);
    free(nxt.v);
    return -1;
}

int jp_valid(const char *path, int ref_only) {
    if (!path || path[0] != '$') return 0;
    const char *p = path[1] == '$' ? path + 1 : path;
    nodes_t ns = {0};
    int definite;
    if (walk(NULL, p, &ns, &definite)) return 0;
    free(ns.v);
    if (ref_only && !definite) return 0;
    return 1;
}

cJSON *jp_get(const cJSON *root, const char *path) {
    nodes_t ns = {0};
    int definite;
    if (walk(root, path, &ns, &definite)) return NULL;
    cJSON *r = NULL;
    if (definite) {
        if (ns.n == 1) r = cJSON_Duplicate(ns.v[0], 1);
    } else {
        r = cJSON_CreateArray();
        for (int i = 0; i < ns.n; i++)
            cJSON_AddItemToArray(r, cJSON_Duplicate(ns.v[i], 1));
    }
    free(ns.v);
    return r;
}

/* ResultPath: a Reference Path of names and indexes. Missing objects are created. */
int jp_set(cJSON **root, const char *path, cJSON *value, char *err, size_t errn) {
    const char *p = path;
    if (!p || *p != '$') {
        snprintf(err, errn, "Invalid path '%s'", path ? path : "");
        cJSON_Delete(value);
        return -1;
    }
    p++;
    if (!*p) {
        cJSON_Delete(*root);
        *root = value;
        return 0;
    }
    if (!cJSON_IsObject(*root)) {
        /* AWS: a ResultPath into a non-object input replaces nothing; it is a runtime error */
        snprintf(err, errn, "Unable to apply ReferencePath %s to input %s", path, "(non-object)");
        cJSON_Delete(value);
        return -1;
    }
    cJSON *cur = *root;
    char name[512];
    while (*p) {
        int is_idx = 0, idx = 0;
        if (*p == '.') {
            p++;
            if (read_name(&p, name, sizeof name)) goto bad;
        } else if (*p == '[') {
            p++;
            if (*p == '\'' || *p == '"') {
                if (read_quoted(&p, name, sizeof name)) goto bad;
            } else {
                char *end;
                idx = (int)strtol(p, &end, 10);
                if (end == p) goto bad;
                p = end;
                is_idx = 1;
            }
            if (*p != ']') goto bad;
            p++;
        } else {
            goto bad;
        }
        int last = !*p;
        if (is_idx) {
            if (!cJSON_IsArray(cur) || idx < 0 || idx >= cJSON_GetArraySize(cur)) goto bad;
            if (last) {
                cJSON_ReplaceItemInArray(cur, idx, value);
                return 0;
            }
            cur = cJSON_GetArrayItem(cur, idx);
        } else {
            if (!cJSON_IsObject(cur)) goto bad;
            if (last) {
                if (cJSON_GetObjectItemCaseSensitive(cur, name))
                    cJSON_ReplaceItemInObjectCaseSensitive(cur, name, value);
                else
                    cJSON_AddItemToObject(cur, name, value);
                return 0;
            }
            cJSON *c = cJSON_GetObjectItemCaseSensitive(cur, name);
            if (!c) c = cJSON_AddObjectToObject(cur, name);
            cur = c;
        }
    }
bad : {
    char *s = cJSON_PrintUnformatted(*root);
    snprintf(err, errn, "Unable to apply ReferencePath %s to input '%.400s'", path, s ? s : "");
    free(s);
    cJSON_Delete(value);
    return -1;
}
}
