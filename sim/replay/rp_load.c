/*
 * rp_load.c — loading a scenario file: JSON parse (error with line), validation against the
 * embedded scenarios/schema.json (a JSON Schema subset validator), and the semantic checks a
 * schema cannot express (JSONPath syntax, ${...} references to steps defined earlier, unique
 * step names). Every error names the file, line, step and field so a bad scenario fails fast.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/replay.h"

/* ---- path -> line map over the JSON text ---- */

static void lm_add(rp_linemap_t *m, const char *path, int line) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->path = realloc(m->path, sizeof(char *) * (size_t)m->cap);
        m->line = realloc(m->line, sizeof(int) * (size_t)m->cap);
    }
    m->path[m->n] = strdup(path);
    m->line[m->n++] = line;
}

typedef struct {
    const char *p;
    int line;
} scan_t;

static void sc_ws(scan_t *s) {
    while (*s->p && (unsigned char)*s->p <= 32) { /* cJSON skips every byte <= 32 as whitespace */
        if (*s->p == '\n') s->line++;
        s->p++;
    }
}

static void sc_string(scan_t *s, char *out, size_t n) {
    size_t k = 0;
    s->p++; /* opening quote */
    while (*s->p && *s->p != '"') {
        if (*s->p == '\\' && s->p[1]) {
            if (out && k + 1 < n) out[k++] = s->p[1];
            s->p += 2;
            continue;
        }
        if (*s->p == '\n') s->line++;
        if (out && k + 1 < n) out[k++] = *s->p;
        s->p++;
    }
    if (*s->p) s->p++;
    if (out) out[k] = 0;
}

static void sc_value(scan_t *s, rp_linemap_t *m, const char *path, int depth) {
    sc_ws(s);
    lm_add(m, path, s->line);
    if (depth > 64) return;
    char child[1024], key[256];
    if (*s->p == '{') {
        s->p++;
        for (;;) {
            sc_ws(s);
            if (*s->p == '}' || !*s->p) break;
            if (*s->p == ',') {
                s->p++;
                continue;
            }
            sc_string(s, key, sizeof key);
            sc_ws(s);
            if (*s->p == ':') s->p++;
            snprintf(child, sizeof child, "%s%s%s", path, *path ? "." : "", key);
            sc_value(s, m, child, depth + 1);
        }
        if (*s->p) s->p++;
    } else if (*s->p == '[') {
        s->p++;
        for (int i = 0;; i++) {
            sc_ws(s);
            if (*s->p == ']' || !*s->p) break;
            if (*s->p == ',') {
                s->p++;
                i--;
                continue;
            }
            snprintf(child, sizeof child, "%s[%d]", path, i);
            const char *before = s->p;
            sc_value(s, m, child, depth + 1);
            if (s->p == before) s->p++; /* e.g. a stray '}': always make progress (found by fuzz_scenario) */
        }
        if (*s->p) s->p++;
    } else if (*s->p == '"') {
        sc_string(s, NULL, 0);
    } else {
        while (*s->p && !strchr(",]} \t\r\n", *s->p))
            s->p++;
    }
}

void rp_linemap_build(rp_linemap_t *m, const char *text) {
    free(m->text);
    m->text = strdup(text); /* scanned on the first lookup: a scenario that loads needs no lines */
}

void rp_linemap_free(rp_linemap_t *m) {
    for (int i = 0; i < m->n; i++)
        free(m->path[i]);
    free(m->path);
    free(m->line);
    free(m->text);
    memset(m, 0, sizeof *m);
}

int rp_line_of(rp_linemap_t *m, const char *path) {
    if (m->text) {
        scan_t s = {m->text, 1};
        sc_value(&s, m, "", 0);
        free(m->text);
        m->text = NULL;
    }
    char p[1024];
    snprintf(p, sizeof p, "%s", path);
    for (;;) {
        for (int i = 0; i < m->n; i++)
            if (strcmp(m->path[i], p) == 0) return m->line[i];
        char *cut = strrchr(p, '.'), *br = strrchr(p, '[');
        if (br > cut) cut = br;
        if (!cut) return 1;
        *cut = 0;
    }
}

/* ---- JSON Schema subset ---- */

static const char *type_name(const cJSON *v) {
    if (cJSON_IsObject(v)) return "object";
    if (cJSON_IsArray(v)) return "array";
    if (cJSON_IsString(v)) return "string";
    if (cJSON_IsBool(v)) return "boolean";
    if (cJSON_IsNull(v)) return "null";
    return "number";
}

static int type_is(const cJSON *v, const char *t) {
    if (strcmp(t, "integer") == 0)
        return cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble;
    return strcmp(type_name(v), t) == 0;
}

static const cJSON *resolve_ref(const cJSON *root, const char *ref) {
    if (strncmp(ref, "#/$defs/", 8) != 0) return NULL;
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "$defs"), ref + 8);
}

static void short_json(const cJSON *v, char *out, size_t n) {
    char *t = cJSON_PrintUnformatted(v);
    snprintf(out, n, "%s%s", t ? t : "?", t && strlen(t) >= n ? "..." : "");
    free(t);
}

#define FAIL(...) (snprintf(msg, msgn, __VA_ARGS__), -1)

int rp_schema_validate(const cJSON *root, const cJSON *schema, const cJSON *inst, char *path, size_t pathn,
                       char *msg, size_t msgn) {
    if (!cJSON_IsObject(schema)) return 0;
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    if (cJSON_IsString(ref)) {
        const cJSON *target = resolve_ref(root, ref->valuestring);
        if (!target) return FAIL("schema error: unresolved $ref %s", ref->valuestring);
        if (rp_schema_validate(root, target, inst, path, pathn, msg, msgn)) return -1;
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    if (type) {
        int ok = 0;
        char want[128] = "";
        if (cJSON_IsString(type)) {
            ok = type_is(inst, type->valuestring);
            snprintf(want, sizeof want, "%s", type->valuestring);
        } else {
            const cJSON *t;
            cJSON_ArrayForEach(t, type) {
                if (type_is(inst, t->valuestring)) ok = 1;
                size_t l = strlen(want);
                snprintf(want + l, sizeof want - l, "%s%s", l ? " or " : "", t->valuestring);
            }
        }
        if (!ok) return FAIL("expected %s, got %s", want, type_name(inst));
    }
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (cJSON_IsArray(en)) {
        const cJSON *e;
        int ok = 0;
        cJSON_ArrayForEach(e, en) if (cJSON_Compare(e, inst, 1)) ok = 1;
        if (!ok) {
            char got[128], all[512] = "";
            short_json(inst, got, sizeof got);
            cJSON_ArrayForEach(e, en) {
                size_t l = strlen(all);
                char one[96];
                short_json(e, one, sizeof one);
                snprintf(all + l, sizeof all - l, "%s%s", l ? ", " : "", one);
            }
            return FAIL("%s is not one of %s", got, all);
        }
    }
    const cJSON *cn = cJSON_GetObjectItemCaseSensitive(schema, "const");
    if (cn && !cJSON_Compare(cn, inst, 1)) {
        char want[128];
        short_json(cn, want, sizeof want);
        return FAIL("must be %s", want);
    }
    if (cJSON_IsString(inst)) {
        const cJSON *ml = cJSON_GetObjectItemCaseSensitive(schema, "minLength");
        if (cJSON_IsNumber(ml) && (int)strlen(inst->valuestring) < ml->valueint)
            return FAIL("shorter than %d characters", ml->valueint);
        const cJSON *pat = cJSON_GetObjectItemCaseSensitive(schema, "pattern");
        if (cJSON_IsString(pat)) {
            regex_t re;
            if (regcomp(&re, pat->valuestring, REG_EXTENDED | REG_NOSUB) == 0) {
                int m = regexec(&re, inst->valuestring, 0, NULL, 0);
                regfree(&re);
                if (m != 0) return FAIL("\"%s\" does not match %s", inst->valuestring, pat->valuestring);
            }
        }
    }
    if (cJSON_IsNumber(inst)) {
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(schema, "minimum");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(schema, "maximum");
        if (cJSON_IsNumber(mn) && inst->valuedouble < mn->valuedouble)
            return FAIL("must be >= %g", mn->valuedouble);
        if (cJSON_IsNumber(mx) && inst->valuedouble > mx->valuedouble)
            return FAIL("must be <= %g", mx->valuedouble);
    }
    size_t plen = strlen(path);
    if (cJSON_IsObject(inst)) {
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required");
        const cJSON *r;
        cJSON_ArrayForEach(r, req) {
            if (!cJSON_GetObjectItemCaseSensitive(inst, r->valuestring))
                return FAIL("required field \"%s\" is missing", r->valuestring);
        }
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
        const cJSON *addl = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
        const cJSON *m;
        cJSON_ArrayForEach(m, inst) {
            const cJSON *ps = cJSON_GetObjectItemCaseSensitive(props, m->string);
            snprintf(path + plen, pathn - plen, "%s%s", plen ? "." : "", m->string);
            if (ps) {
                if (rp_schema_validate(root, ps, m, path, pathn, msg, msgn)) return -1;
            } else if (cJSON_IsFalse(addl)) {
                return FAIL("unknown field \"%s\"", m->string);
            } else if (cJSON_IsObject(addl)) {
                if (rp_schema_validate(root, addl, m, path, pathn, msg, msgn)) return -1;
            }
            path[plen] = 0;
        }
    }
    if (cJSON_IsArray(inst)) {
        const cJSON *mi = cJSON_GetObjectItemCaseSensitive(schema, "minItems");
        if (cJSON_IsNumber(mi) && cJSON_GetArraySize(inst) < mi->valueint)
            return FAIL("needs at least %d item(s)", mi->valueint);
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
        if (cJSON_IsObject(items)) {
            int i = 0;
            const cJSON *it;
            cJSON_ArrayForEach(it, inst) {
                snprintf(path + plen, pathn - plen, "[%d]", i++);
                if (rp_schema_validate(root, items, it, path, pathn, msg, msgn)) return -1;
                path[plen] = 0;
            }
        }
    }
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(schema, "allOf"), *sub;
    cJSON_ArrayForEach(sub, all) {
        if (rp_schema_validate(root, sub, inst, path, pathn, msg, msgn)) return -1;
    }
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    if (cJSON_IsArray(any)) {
        int ok = 0;
        cJSON_ArrayForEach(sub, any) {
            char p2[1024], m2[512];
            snprintf(p2, sizeof p2, "%s", path);
            if (rp_schema_validate(root, sub, inst, p2, sizeof p2, m2, sizeof m2) == 0) ok = 1;
        }
        if (!ok) return FAIL("matches none of the allowed forms");
    }
    const cJSON *ifs = cJSON_GetObjectItemCaseSensitive(schema, "if");
    if (ifs) {
        char p2[1024], m2[512];
        snprintf(p2, sizeof p2, "%s", path);
        int holds = rp_schema_validate(root, ifs, inst, p2, sizeof p2, m2, sizeof m2) == 0;
        const cJSON *br = cJSON_GetObjectItemCaseSensitive(schema, holds ? "then" : "else");
        if (br && rp_schema_validate(root, br, inst, path, pathn, msg, msgn)) return -1;
    }
    return 0;
}

/* ---- loading ---- */

/* "step 3 "wait" (advance)" for a path under steps[N], else "". */
static void step_label(const cJSON *doc, const char *path, char *out, size_t n) {
    out[0] = 0;
    int idx;
    if (sscanf(path, "steps[%d]", &idx) != 1) return;
    const cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "steps"), idx);
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "kind"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "name"));
    snprintf(out, n, "step %d%s%s%s (%s): ", idx + 1, name ? " \"" : "", name ? name : "", name ? "\"" : "",
             kind ? kind : "?");
}

static int load_fail(rp_scenario_t *sc, const char *path, const char *why, char *err, size_t errn) {
    char lab[300];
    step_label(sc->doc, path, lab, sizeof lab);
    snprintf(err, errn, "%s:%d: %sfield \"%s\": %s", sc->file, rp_line_of(&sc->lines, path), lab,
             *path ? path : "(top level)", why);
    rp_scenario_free(sc); /* a failed load owns nothing (freeing again is harmless) */
    return -1;
}

static int check_paths(rp_scenario_t *sc, const cJSON *asserts, const char *base, char *err, size_t errn) {
    int i = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, asserts) {
        const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "path"));
        char path[300];
        snprintf(path, sizeof path, "%s[%d].path", base, i);
        if (p && !strstr(p, "${") && !rp_path_valid(p)) {
            char why[400];
            snprintf(why, sizeof why, "bad JSONPath %s", p);
            return load_fail(sc, path, why, err, errn);
        }
        int nops = 0;
        for (int k = 0; RP_ASSERT_OPS[k]; k++)
            if (cJSON_GetObjectItemCaseSensitive(a, RP_ASSERT_OPS[k])) nops++;
        if (nops != 1) {
            snprintf(path, sizeof path, "%s[%d]", base, i);
            return load_fail(sc, path,
                             "an assertion needs exactly one of equals, notEquals, lt, le, gt, ge, contains, "
                             "matches, exists, in",
                             err, errn);
        }
        i++;
    }
    return 0;
}

/* The embedded schema, parsed once per process (loading a library of scenarios parsed it once
 * per file); it is never modified and lives until exit. */
static const cJSON *embedded_schema(void) {
    static cJSON *schema;
    if (!schema) schema = cJSON_Parse(replay_schema_json);
    return schema;
}

int rp_load(const char *file, rp_scenario_t *sc, char *err, size_t errn) {
    char *text = rp_read_file(file, NULL);
    if (!text) {
        memset(sc, 0, sizeof *sc);
        return snprintf(err, errn, "%s: cannot read the file", file), -1;
    }
    int rc = rp_load_text(file, text, sc, err, errn);
    free(text);
    return rc;
}

int rp_load_text(const char *file, const char *text, rp_scenario_t *sc, char *err, size_t errn) {
    memset(sc, 0, sizeof *sc);
    snprintf(sc->file, sizeof sc->file, "%s", file);
    const char *end = NULL;
    sc->doc = cJSON_ParseWithOpts(text, &end, 0);
    if (!sc->doc) {
        int line = 1;
        for (const char *p = text; end && p < end && *p; p++)
            if (*p == '\n') line++;
        snprintf(err, errn, "%s:%d: not valid JSON (near \"%.20s\")", file, line, end ? end : "");
        return -1;
    }
    rp_linemap_build(&sc->lines, text);
    const cJSON *schema = embedded_schema();
    if (!schema) {
        rp_scenario_free(sc);
        return snprintf(err, errn, "internal: the embedded scenario schema is not JSON"), -1;
    }
    char path[1024] = "", msg[600];
    int rc = rp_schema_validate(schema, schema, sc->doc, path, sizeof path, msg, sizeof msg);
    if (rc) return load_fail(sc, path, msg, err, errn);
    snprintf(sc->name, sizeof sc->name, "%s",
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sc->doc, "name")));
    const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sc->doc, "status"));
    sc->pending = status && strcmp(status, "pending") == 0;
    if (sc->pending && !cJSON_GetObjectItemCaseSensitive(sc->doc, "pendingReason"))
        return load_fail(sc, "status", "a pending scenario needs a \"pendingReason\"", err, errn);
    /* semantic checks: names unique, references to earlier steps, JSONPath syntax */
    cJSON *known = cJSON_CreateObject();
    int have_deploy = 0, i = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(sc->doc, "steps")) {
        char base[64], why[600];
        snprintf(base, sizeof base, "steps[%d]", i);
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "kind"));
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "name"));
        const cJSON *f;
        cJSON_ArrayForEach(f, st) {
            if (strcmp(f->string, "name") == 0 || strcmp(f->string, "description") == 0) continue;
            if (rp_refs_check(f, known, have_deploy, why, sizeof why)) {
                char fp[300];
                snprintf(fp, sizeof fp, "%s.%s", base, f->string);
                cJSON_Delete(known);
                return load_fail(sc, fp, why, err, errn);
            }
        }
        if (strcmp(kind, "expect") == 0) {
            char ap[80];
            snprintf(ap, sizeof ap, "%s.assert", base);
            if (check_paths(sc, cJSON_GetObjectItemCaseSensitive(st, "assert"), ap, err, errn)) {
                cJSON_Delete(known);
                return -1;
            }
            snprintf(ap, sizeof ap, "%s.failWhen", base);
            if (check_paths(sc, cJSON_GetObjectItemCaseSensitive(st, "failWhen"), ap, err, errn)) {
                cJSON_Delete(known);
                return -1;
            }
            const char *of = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "of"));
            int srcs = !!of + !!cJSON_GetObjectItemCaseSensitive(st, "call") +
                       !!cJSON_GetObjectItemCaseSensitive(st, "control");
            if (srcs != 1) {
                cJSON_Delete(known);
                return load_fail(
                    sc, base, "an expect step needs exactly one of \"of\", \"call\", \"control\"", err, errn);
            }
            if (of && strcmp(of, "outputs") != 0 && !cJSON_GetObjectItemCaseSensitive(known, of)) {
                snprintf(why, sizeof why, "\"of\": no earlier step is named \"%s\"", of);
                snprintf(base + strlen(base), sizeof base - strlen(base), ".of");
                cJSON_Delete(known);
                return load_fail(sc, base, why, err, errn);
            }
            if (of && strcmp(of, "outputs") == 0 && !have_deploy) {
                snprintf(base + strlen(base), sizeof base - strlen(base), ".of");
                cJSON_Delete(known);
                return load_fail(sc, base, "\"of\": \"outputs\" needs an earlier deploy step", err, errn);
            }
        }
        if (strcmp(kind, "deploy") == 0) have_deploy = 1;
        if (name) {
            if (cJSON_GetObjectItemCaseSensitive(known, name)) {
                char np[80];
                snprintf(np, sizeof np, "%s.name", base);
                snprintf(why, sizeof why, "step name \"%s\" is used twice", name);
                cJSON_Delete(known);
                return load_fail(sc, np, why, err, errn);
            }
            cJSON_AddTrueToObject(known, name);
        }
        i++;
    }
    cJSON_Delete(known);
    return 0;
}

void rp_scenario_free(rp_scenario_t *sc) {
    cJSON_Delete(sc->doc);
    rp_linemap_free(&sc->lines);
    sc->doc = NULL;
}
