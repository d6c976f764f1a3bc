/*
 * jsonata_states.c — states written in JSONata (QueryLanguage "JSONata"): which states use it,
 * their validation with AWS's messages, the cache of expressions compiled at validation time
 * (kept on the parsed definition), and evaluation of field values — "{% expr %}" strings anywhere
 * inside Arguments, Output, Assign, Items, ItemSelector, Condition, Seconds, Error... with
 * $states.input/result/errorOutput/context and the workflow variables bound. Evaluation failures
 * are States.QueryEvaluationError, as in AWS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl/asl.h"
#include "asl/jsonata.h"
#include "core/clock.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

/* Fields only one language accepts (AWS: "The QueryLanguage is set to ..., but field ... is only
 * supported for the ... QueryLanguage"). */
static const char *JSONPATH_ONLY[] = {"InputPath",
                                      "OutputPath",
                                      "ResultPath",
                                      "Parameters",
                                      "ResultSelector",
                                      "Result",
                                      "ItemsPath",
                                      "SecondsPath",
                                      "TimestampPath",
                                      "TimeoutSecondsPath",
                                      "HeartbeatSecondsPath",
                                      "ErrorPath",
                                      "CausePath",
                                      "MaxConcurrencyPath",
                                      "ToleratedFailureCountPath",
                                      "ToleratedFailurePercentagePath",
                                      NULL};
static const char *JSONATA_ONLY[] = {"Arguments", "Output", "Items", NULL};

/* Fields whose values may hold "{% %}" expressions in a JSONata state. */
static const char *EXPR_FIELDS[] = {"Arguments",      "Output",    "Assign",         "Items",
                                    "ItemSelector",   "Seconds",   "TimeoutSeconds", "HeartbeatSeconds",
                                    "MaxConcurrency", "Timestamp", "Error",          "Cause",
                                    "Credentials",    NULL};

static int in_list(const char **l, const char *f) {
    for (int i = 0; l[i]; i++)
        if (!strcmp(l[i], f)) return 1;
    return 0;
}

static const char *ql_of(const cJSON *o) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "QueryLanguage"));
}

/* AWS: a state's QueryLanguage wins; else the machine's top-level one (nested branches and item
 * processors inherit the top level, not their Parallel/Map state); else JSONPath. */
int asl_jn_enabled(const asl_def_t *d, const cJSON *st) {
    const char *q = ql_of(st);
    if (!q && d) q = ql_of(d->root);
    return q && !strcmp(q, "JSONata");
}

int asl_jn_is_expr(const cJSON *v) {
    if (!cJSON_IsString(v)) return 0;
    size_t l = strlen(v->valuestring);
    return l >= 4 && !strncmp(v->valuestring, "{%", 2) && !strcmp(v->valuestring + l - 2, "%}");
}

/* The JSONata-only fields each state type takes (AWS: Output everywhere but Fail, Arguments on
 * Task and Parallel, Items on Map). */
int asl_jn_field_known(const char *type, const char *field) {
    if (!strcmp(field, "Output")) return strcmp(type, "Fail") != 0;
    if (!strcmp(field, "Arguments")) return !strcmp(type, "Task") || !strcmp(type, "Parallel");
    if (!strcmp(field, "Items")) return !strcmp(type, "Map");
    return 0;
}

/* Whether an expression inside v may read $states.context (building the context object costs a copy of
 * the execution input): any $states not followed by .input, .result or .errorOutput. */
int asl_jn_uses_context(const cJSON *v) {
    if (asl_jn_is_expr(v)) {
        for (const char *p = strstr(v->valuestring, "$states"); p; p = strstr(p + 7, "$states")) {
            const char *a = p + 7;
            if (strncmp(a, ".input", 6) && strncmp(a, ".result", 7) && strncmp(a, ".errorOutput", 12))
                return 1;
        }
        return 0;
    }
    if (cJSON_IsObject(v) || cJSON_IsArray(v))
        for (const cJSON *c = v->child; c; c = c->next)
            if (asl_jn_uses_context(c)) return 1;
    return 0;
}

/* ---- compiled expression cache, keyed by the address of the string inside the definition ---- */

typedef struct {
    const char **keys;
    jn_expr_t **vals;
    int cap, n;
} jn_cache_t;

static size_t hash_ptr(const void *p, int cap) {
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ULL;
    return (size_t)(x >> 7) % (size_t)cap;
}

static jn_expr_t *cache_get(const asl_def_t *d, const char *key) {
    const jn_cache_t *c = d ? d->jn : NULL;
    if (!c) return NULL;
    for (size_t i = hash_ptr(key, c->cap), k = 0; k < (size_t)c->cap; k++, i = (i + 1) % (size_t)c->cap) {
        if (!c->keys[i]) return NULL;
        if (c->keys[i] == key) return c->vals[i];
    }
    return NULL;
}

static void cache_put(asl_def_t *d, const char *key, jn_expr_t *x) {
    jn_cache_t *c = d->jn;
    if (!c) c = d->jn = calloc(1, sizeof *c);
    if ((c->n + 1) * 2 > c->cap) {
        jn_cache_t old = *c;
        c->cap = old.cap ? old.cap * 2 : 64;
        c->keys = calloc((size_t)c->cap, sizeof *c->keys);
        c->vals = calloc((size_t)c->cap, sizeof *c->vals);
        c->n = 0;
        for (int i = 0; i < old.cap; i++)
            if (old.keys[i]) cache_put(d, old.keys[i], old.vals[i]);
        free(old.keys);
        free(old.vals);
    }
    size_t i = hash_ptr(key, c->cap);
    while (c->keys[i] && c->keys[i] != key)
        i = (i + 1) % (size_t)c->cap;
    if (c->keys[i])
        jn_free(c->vals[i]);
    else
        c->n++;
    c->keys[i] = key;
    c->vals[i] = x;
}

void asl_jn_cache_free(asl_def_t *d) {
    jn_cache_t *c = d ? d->jn : NULL;
    if (!c) return;
    for (int i = 0; i < c->cap; i++)
        if (c->keys[i]) jn_free(c->vals[i]);
    free(c->keys);
    free(c->vals);
    free(c);
    d->jn = NULL;
}

/* The expression inside "{% ... %}" */
static char *expr_text(const char *s) {
    size_t l = strlen(s);
    return strndup(s + 2, l - 4);
}

/* ---- validation ---- */

/* Compile every "{% %}" string inside v; the first syntax error goes to msg. 0 ok. */
static int compile_all(asl_def_t *d, const cJSON *v, char *msg, size_t n) {
    if (asl_jn_is_expr(v)) {
        char *src = expr_text(v->valuestring);
        jn_err_t e;
        jn_expr_t *x = jn_parse(src, &e);
        if (!x) {
            snprintf(msg, n, "The JSONata expression '%.200s' is not valid: %s (%s at position %d)", src,
                     e.message, e.code, e.position);
            free(src);
            return -1;
        }
        free(src);
        if (d)
            cache_put(d, v->valuestring, x);
        else
            jn_free(x);
        return 0;
    }
    if (cJSON_IsObject(v) || cJSON_IsArray(v))
        for (const cJSON *c = v->child; c; c = c->next)
            if (compile_all(d, c, msg, n)) return -1;
    return 0;
}

void asl_jn_validate_state(asl_def_t *d, const cJSON *st, const char *sloc, asl_jn_diag_fn diag, void *v) {
    char m[700], loc[600];
    const cJSON *ql = cJSON_GetObjectItemCaseSensitive(st, "QueryLanguage");
    if (ql && (!cJSON_IsString(ql) ||
               (strcmp(ql->valuestring, "JSONata") && strcmp(ql->valuestring, "JSONPath")))) {
        snprintf(loc, sizeof loc, "%s/QueryLanguage", sloc);
        snprintf(m, sizeof m,
                 "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata] at %s", loc);
        diag(v, "SCHEMA_VALIDATION_FAILED", loc, m);
        return;
    }
    const char *top = d ? ql_of(d->root) : NULL;
    if (ql && top && !strcmp(top, "JSONata") && !strcmp(ql->valuestring, "JSONPath")) {
        snprintf(m, sizeof m,
                 "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at %s",
                 sloc);
        diag(v, "SCHEMA_VALIDATION_FAILED", sloc, m);
    }
    int jn = asl_jn_enabled(d, st);
    for (const cJSON *f = st->child; f; f = f->next) {
        const char **other = jn ? JSONPATH_ONLY : JSONATA_ONLY;
        if (!in_list(other, f->string)) continue;
        snprintf(m, sizeof m,
                 "The QueryLanguage is set to '%s', but field '%s' is only supported for the '%s' "
                 "QueryLanguage at %s",
                 jn ? "JSONata" : "JSONPath", f->string, jn ? "JSONPath" : "JSONata", sloc);
        diag(v, "SCHEMA_VALIDATION_FAILED", sloc, m);
    }
    if (!jn) return;
    for (int i = 0; EXPR_FIELDS[i]; i++) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(st, EXPR_FIELDS[i]);
        char em[600];
        if (f && compile_all(d, f, em, sizeof em)) {
            snprintf(loc, sizeof loc, "%s/%s", sloc, EXPR_FIELDS[i]);
            snprintf(m, sizeof m, "%s at %s", em, loc);
            diag(v, "SCHEMA_VALIDATION_FAILED", loc, m);
        }
    }
    const char *lists[] = {"Choices", "Catch"};
    for (int k = 0; k < 2; k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(st, lists[k]);
        int i = 0;
        for (const cJSON *r = cJSON_IsArray(a) ? a->child : NULL; r; r = r->next, i++) {
            const char *sub[] = {"Condition", "Output", "Assign"};
            for (int s = 0; s < 3; s++) {
                const cJSON *f = cJSON_GetObjectItemCaseSensitive(r, sub[s]);
                char em[600];
                if (f && compile_all(d, f, em, sizeof em)) {
                    snprintf(loc, sizeof loc, "%s/%s/%d/%s", sloc, lists[k], i, sub[s]);
                    snprintf(m, sizeof m, "%s at %s", em, loc);
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc, m);
                }
            }
            if (k == 1 && cJSON_GetObjectItemCaseSensitive(r, "ResultPath")) {
                snprintf(loc, sizeof loc, "%s/Catch/%d", sloc, i);
                snprintf(m, sizeof m,
                         "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported "
                         "for the 'JSONPath' QueryLanguage at %s",
                         loc);
                diag(v, "SCHEMA_VALIDATION_FAILED", loc, m);
            }
        }
    }
}

/* AWS: in a JSONata Choice state each rule has a Condition (a boolean or a JSONata string) and Next;
 * the JSONPath comparison operators are not available. */
int asl_jn_rule_valid(const cJSON *rule, char *msg, size_t n) {
    if (!cJSON_IsObject(rule)) return snprintf(msg, n, "Choice rule must be an object"), 0;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rule, "Condition");
    if (!c) return snprintf(msg, n, "These fields are required: [Condition]"), 0;
    if (!cJSON_IsBool(c) && !asl_jn_is_expr(c))
        return snprintf(msg, n,
                        "The value for the field 'Condition' must be a BOOLEAN or a JSONata expression"),
               0;
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rule, "Next")))
        return snprintf(msg, n, "These fields are required: [Next]"), 0;
    for (const cJSON *f = rule->child; f; f = f->next) {
        const char *k = f->string;
        if (!strcmp(k, "Condition") || !strcmp(k, "Next") || !strcmp(k, "Assign") || !strcmp(k, "Comment"))
            continue;
        int jsonpath = !strcmp(k, "Variable") || !strcmp(k, "And") || !strcmp(k, "Or") || !strcmp(k, "Not") ||
                       strstr(k, "Equals") || strstr(k, "Than") || strstr(k, "Matches") ||
                       !strncmp(k, "Is", 2);
        if (jsonpath)
            snprintf(
                msg, n,
                "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' "
                "QueryLanguage",
                k);
        else
            snprintf(msg, n, "Field '%s' is not supported", k);
        return 0;
    }
    return 1;
}

/* ---- evaluation ---- */

typedef struct {
    const asl_def_t *d;
    const asl_jn_scope_t *sc;
    const char *field;
    cJSON *states;
    asl_err_t *e;
} ev_t;

static cJSON *eval_value(ev_t *V, const cJSON *v) {
    if (asl_jn_is_expr(v)) {
        jn_expr_t *x = cache_get(V->d, v->valuestring), *tmp = NULL;
        char *src = expr_text(v->valuestring);
        jn_err_t je;
        if (!x) x = tmp = jn_parse(src, &je);
        if (!x) {
            asl_fail(V->e, "States.QueryEvaluationError",
                     "The JSONata expression '%.300s' specified for the field '%s' is not valid: %s", src,
                     V->field, je.message);
            free(src);
            return NULL;
        }
        jn_ctx_t c = {.sim = V->sc->sim, .now_ms = V->sc->now_ms, .states = V->states, .vars = V->sc->vars};
        cJSON *out = NULL;
        if (jn_eval(x, &c, &out, &je))
            asl_fail(
                V->e, "States.QueryEvaluationError",
                "An error occurred while evaluating the JSONata expression '%.300s' specified for the field "
                "'%s': %s (%s)",
                src, V->field, je.message, je.code);
        else if (!out)
            /* JSON has no undefined: a field must produce a value */
            asl_fail(
                V->e, "States.QueryEvaluationError",
                "The JSONata expression '%.300s' specified for the field '%s' returned nothing (undefined).",
                src, V->field);
        jn_free(tmp);
        free(src);
        return out;
    }
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        cJSON *r = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
        for (const cJSON *c = v->child; c; c = c->next) {
            cJSON *x = eval_value(V, c);
            if (!x) {
                cJSON_Delete(r);
                return NULL;
            }
            if (cJSON_IsObject(v))
                cJSON_AddItemToObject(r, c->string, x);
            else
                cJSON_AddItemToArray(r, x);
        }
        return r;
    }
    return cJSON_Duplicate(v, 1);
}

static cJSON *states_object(const asl_jn_scope_t *sc) {
    cJSON *s = cJSON_CreateObject();
    /* references: the evaluator reads them in place, nothing is copied */
    if (sc->input) cJSON_AddItemReferenceToObject(s, "input", (cJSON *)sc->input);
    if (sc->result) cJSON_AddItemReferenceToObject(s, "result", (cJSON *)sc->result);
    if (sc->error_output) cJSON_AddItemReferenceToObject(s, "errorOutput", (cJSON *)sc->error_output);
    if (sc->ctx) cJSON_AddItemReferenceToObject(s, "context", (cJSON *)sc->ctx);
    return s;
}

cJSON *asl_jn_eval(const asl_def_t *d, const cJSON *value, const char *field, const asl_jn_scope_t *sc,
                   asl_err_t *e) {
    ev_t V = {.d = d, .sc = sc, .field = field, .states = states_object(sc), .e = e};
    cJSON *r = eval_value(&V, value);
    cJSON_Delete(V.states);
    return r;
}

int asl_jn_condition(const asl_def_t *d, const cJSON *rule, const asl_jn_scope_t *sc, asl_err_t *e) {
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rule, "Condition");
    if (cJSON_IsBool(c)) return cJSON_IsTrue(c);
    cJSON *v = asl_jn_eval(d, c, "Condition", sc, e);
    if (!v) return -1;
    int r = cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
    if (r < 0)
        asl_fail(
            e, "States.QueryEvaluationError",
            "The JSONata expression '%.300s' specified for the field 'Condition' must evaluate to a boolean.",
            c->valuestring);
    cJSON_Delete(v);
    return r;
}
