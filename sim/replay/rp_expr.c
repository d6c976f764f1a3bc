/*
 * rp_expr.c — the expression side of scenarios: assertion paths (the JSONPath subset of
 * sim/asl/jsonpath.c plus a trailing .length()), ${...} variable interpolation, the load-time
 * check that references name earlier steps, assertion operators, and small file helpers.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asl/asl.h"
#include "core/ere.h"
#include "core/util.h"
#include "replay/replay.h"

const char *const RP_ASSERT_OPS[] = {"equals",   "notEquals", "lt",     "le", "gt", "ge",
                                     "contains", "matches",   "exists", "in", NULL};

/* ---- paths ---- */

static int split_length(const char *path, char *base, size_t n) {
    size_t l = strlen(path);
    const char *suf = ".length()";
    size_t sl = strlen(suf);
    if (l > sl && strcmp(path + l - sl, suf) == 0) {
        snprintf(base, n, "%.*s", (int)(l - sl), path);
        return 1;
    }
    snprintf(base, n, "%s", path);
    return 0;
}

int rp_path_valid(const char *path) {
    char base[1024];
    split_length(path, base, sizeof base);
    if (strcmp(base, "$") == 0) return 1;
    return jp_valid(base, 0);
}

cJSON *rp_path_get(const cJSON *root, const char *path) {
    char base[1024];
    int len = split_length(path, base, sizeof base);
    cJSON *v = strcmp(base, "$") == 0 ? cJSON_Duplicate(root, 1) : jp_get(root, base);
    if (!len || !v) return v;
    int n = -1;
    if (cJSON_IsArray(v) || cJSON_IsObject(v))
        n = cJSON_GetArraySize(v);
    else if (cJSON_IsString(v))
        n = (int)strlen(v->valuestring);
    cJSON_Delete(v);
    return n < 0 ? NULL : cJSON_CreateNumber(n);
}

/* ---- ${...} references ---- */

/* Resolve "steps.start.executionArn" / "outputs.roleArns.production" in vars. New value or NULL. */
static cJSON *resolve_ref(const cJSON *vars, const char *ref) {
    const cJSON *cur = vars;
    cJSON *owned = NULL;
    char tok[512];
    const char *p = ref;
    while (*p) {
        size_t k = 0;
        int index = -1;
        if (*p == '[') {
            index = atoi(p + 1);
            p = strchr(p, ']');
            if (!p) break;
            p++;
        } else {
            while (*p && *p != '.' && *p != '[' && k + 1 < sizeof tok)
                tok[k++] = *p++;
            tok[k] = 0;
        }
        if (*p == '.') p++;
        /* flat outputs keep objects as JSON text: descend into them */
        if (cJSON_IsString(cur) && (cur->valuestring[0] == '{' || cur->valuestring[0] == '[')) {
            cJSON *parsed = cJSON_Parse(cur->valuestring);
            cJSON_Delete(owned);
            owned = parsed;
            cur = parsed;
        }
        const cJSON *next = index >= 0
                                ? cJSON_GetArrayItem(cur, index)
                                : (cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, tok) : NULL);
        if (!next) {
            cJSON_Delete(owned);
            return NULL;
        }
        cur = next;
    }
    cJSON *r = cJSON_Duplicate(cur, 1);
    cJSON_Delete(owned);
    return r;
}

static cJSON *interp_string(const char *s, const cJSON *vars, char *err, size_t errn) {
    const char *open = strstr(s, "${");
    if (!open) return cJSON_CreateString(s);
    const char *close = strchr(open, '}');
    if (open == s && close && close[1] == 0) { /* the whole string is one reference: keep the type */
        char ref[512];
        snprintf(ref, sizeof ref, "%.*s", (int)(close - open - 2), open + 2);
        cJSON *v = resolve_ref(vars, ref);
        if (!v) snprintf(err, errn, "undefined variable ${%s}", ref);
        return v;
    }
    strbuf_t b;
    sb_init(&b);
    const char *p = s;
    while ((open = strstr(p, "${")) != NULL) {
        close = strchr(open, '}');
        if (!close) break;
        sb_putn(&b, p, (size_t)(open - p));
        char ref[512];
        snprintf(ref, sizeof ref, "%.*s", (int)(close - open - 2), open + 2);
        cJSON *v = resolve_ref(vars, ref);
        if (!v) {
            snprintf(err, errn, "undefined variable ${%s}", ref);
            sb_free(&b);
            return NULL;
        }
        if (cJSON_IsString(v))
            sb_puts(&b, v->valuestring);
        else {
            char *t = cJSON_PrintUnformatted(v);
            sb_puts(&b, t);
            free(t);
        }
        cJSON_Delete(v);
        p = close + 1;
    }
    sb_puts(&b, p);
    char *t = sb_detach(&b, NULL);
    cJSON *r = cJSON_CreateString(t);
    free(t);
    return r;
}

cJSON *rp_interpolate(const cJSON *v, const cJSON *vars, char *err, size_t errn) {
    if (cJSON_IsString(v)) return interp_string(v->valuestring, vars, err, errn);
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        cJSON *out = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
        const cJSON *c;
        cJSON_ArrayForEach(c, v) {
            cJSON *x = rp_interpolate(c, vars, err, errn);
            if (!x) {
                cJSON_Delete(out);
                return NULL;
            }
            if (cJSON_IsObject(v) && strstr(c->string, "${")) { /* keys interpolate too (mock config names) */
                cJSON *k = interp_string(c->string, vars, err, errn);
                if (!k) {
                    cJSON_Delete(x);
                    cJSON_Delete(out);
                    return NULL;
                }
                cJSON_AddItemToObject(out, cJSON_IsString(k) ? k->valuestring : c->string, x);
                cJSON_Delete(k);
            } else if (cJSON_IsObject(v)) {
                cJSON_AddItemToObject(out, c->string, x);
            } else {
                cJSON_AddItemToArray(out, x);
            }
        }
        return out;
    }
    return cJSON_Duplicate(v, 1);
}

static const char *ROOTS[] = {"outputs", "steps", "endpoint", "workdir", "root", "now", "account", NULL};

int rp_refs_check(const cJSON *v, const cJSON *known_steps, int have_deploy, char *err, size_t errn) {
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        const cJSON *c;
        cJSON_ArrayForEach(c, v) {
            if (rp_refs_check(c, known_steps, have_deploy, err, errn)) return -1;
            if (cJSON_IsObject(v) && strstr(c->string, "${")) {
                cJSON *k = cJSON_CreateString(c->string);
                int rc = rp_refs_check(k, known_steps, have_deploy, err, errn);
                cJSON_Delete(k);
                if (rc) return -1;
            }
        }
        return 0;
    }
    if (!cJSON_IsString(v)) return 0;
    const char *p = v->valuestring, *open;
    while ((open = strstr(p, "${")) != NULL) {
        const char *close = strchr(open, '}');
        if (!close) return snprintf(err, errn, "unterminated ${ in \"%s\"", v->valuestring), -1;
        char ref[512], head[128] = "", second[256] = "";
        snprintf(ref, sizeof ref, "%.*s", (int)(close - open - 2), open + 2);
        sscanf(ref, "%127[^.[]%*[.]%255[^.[]", head, second);
        int ok = 0;
        for (int i = 0; ROOTS[i]; i++)
            if (strcmp(head, ROOTS[i]) == 0) ok = 1;
        if (!ok)
            return snprintf(err, errn,
                            "undefined variable ${%s} (known roots: outputs, steps, endpoint, workdir, root, "
                            "now, account)",
                            ref),
                   -1;
        if (strcmp(head, "steps") == 0 && !cJSON_GetObjectItemCaseSensitive(known_steps, second))
            return snprintf(err, errn, "undefined variable ${%s}: no earlier step is named \"%s\"", ref,
                            second),
                   -1;
        if (strcmp(head, "outputs") == 0 && !have_deploy)
            return snprintf(err, errn, "undefined variable ${%s}: outputs exist only after a deploy step",
                            ref),
                   -1;
        p = close + 1;
    }
    return 0;
}

/* ---- assertions ---- */

static void brief(const cJSON *v, char *out, size_t n) {
    if (!v) {
        snprintf(out, n, "(nothing)");
        return;
    }
    char *t = cJSON_PrintUnformatted(v);
    if (strlen(t) >= n && n > 4)
        snprintf(out, n, "%.*s...", (int)(n - 4), t);
    else
        snprintf(out, n, "%s", t);
    free(t);
}

static int as_number(const cJSON *v, double *d) {
    if (cJSON_IsNumber(v)) return *d = v->valuedouble, 1;
    if (cJSON_IsString(v) && v->valuestring[0]) {
        char *end;
        *d = strtod(v->valuestring, &end);
        return *end == 0;
    }
    return 0;
}

int rp_assert(const cJSON *doc, const cJSON *a, cJSON **actual, char *why, size_t whyn) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "path"));
    const char *op = NULL;
    const cJSON *want = NULL;
    for (int k = 0; RP_ASSERT_OPS[k]; k++)
        if ((want = cJSON_GetObjectItemCaseSensitive(a, RP_ASSERT_OPS[k])) != NULL) {
            op = RP_ASSERT_OPS[k];
            break;
        }
    if (!path || !op) return snprintf(why, whyn, "malformed assertion"), -1;
    cJSON *v = rp_path_get(doc, path);
    *actual = v;
    int ok = 0;
    double x, y;
    if (strcmp(op, "equals") == 0)
        ok = v && cJSON_Compare(v, want, 1);
    else if (strcmp(op, "notEquals") == 0)
        ok = !v || !cJSON_Compare(v, want, 1);
    else if (strcmp(op, "exists") == 0)
        ok = (v != NULL) == cJSON_IsTrue(want);
    else if (strcmp(op, "in") == 0) {
        const cJSON *c;
        cJSON_ArrayForEach(c, want) if (v && cJSON_Compare(v, c, 1)) ok = 1;
    } else if (strcmp(op, "contains") == 0) {
        if (cJSON_IsString(v) && cJSON_IsString(want))
            ok = strstr(v->valuestring, want->valuestring) != NULL;
        else if (cJSON_IsArray(v)) {
            const cJSON *c;
            cJSON_ArrayForEach(c, v) if (cJSON_Compare(c, want, 1)) ok = 1;
        }
    } else if (strcmp(op, "matches") == 0) {
        regex_t re;
        int rc = ere_compile(&re, want->valuestring, REG_EXTENDED | REG_NOSUB);
        if (rc == REG_ESPACE)
            return snprintf(why, whyn,
                            "regular expression %s is too complex (its repetitions expand to more than %d "
                            "elements)",
                            want->valuestring, ERE_MAX_ELEMENTS),
                   -1;
        if (rc != 0) return snprintf(why, whyn, "bad regular expression %s", want->valuestring), -1;
        ok = cJSON_IsString(v) && regexec(&re, v->valuestring, 0, NULL, 0) == 0;
        regfree(&re);
    } else if (v && as_number(v, &x) && as_number(want, &y)) {
        if (strcmp(op, "lt") == 0)
            ok = x < y;
        else if (strcmp(op, "le") == 0)
            ok = x <= y;
        else if (strcmp(op, "gt") == 0)
            ok = x > y;
        else
            ok = x >= y;
    }
    if (!ok) {
        char got[300], exp[200];
        brief(v, got, sizeof got);
        brief(want, exp, sizeof exp);
        const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "message"));
        snprintf(why, whyn, "%s%s%s %s %s: actual %s", msg ? msg : "", msg ? ": " : "", path, op, exp, got);
    }
    return ok;
}

/* ---- files ---- */

char *rp_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    strbuf_t b;
    sb_init(&b);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&b, buf, n);
    fclose(f);
    sb_putn(&b, "", 0);
    return sb_detach(&b, len);
}

int rp_write_file(const char *path, const char *text) {
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return -1;
    fputs(text, f);
    if (fclose(f) != 0) return -1;
    return rename(tmp, path);
}

int rp_mkdirs(const char *path) {
    char p[1024];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0755) != 0 && errno != EEXIST) return -1;
            *s = '/';
        }
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

char *rp_json_text(const cJSON *v) {
    char *t = cJSON_Print(v);
    size_t n = strlen(t);
    char *out = malloc(n + 2);
    memcpy(out, t, n);
    out[n] = '\n';
    out[n + 1] = 0;
    free(t);
    return out;
}
