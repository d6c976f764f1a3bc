/*
 * template.c — reading data in ASL: path/variable/intrinsic resolution and payload templates
 * (Parameters, ResultSelector, ItemSelector, Assign). A key ending in ".$" takes the value of
 * the path or intrinsic it names; a path that matches nothing is a States.Runtime error.
 */
#include <stdarg.h>
#include <stdio.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdlib.h>
#include <string.h>

#include "asl/asl.h"

int asl_fail(asl_err_t *e, const char *error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    snprintf(e->error, sizeof e->error, "%s", error);
    vsnprintf(e->cause, sizeof e->cause, fmt, ap);
    va_end(ap);
    return -1;
}

static void not_found(asl_err_t *e, const char *expr, const char *field, const cJSON *in) {
    char *t = cJSON_PrintUnformatted(in);
    if (field)
        asl_fail(
            e, "States.Runtime",
            "An error occurred while executing the state. The JSONPath '%s' specified for the field '%s' "
            "could not be found in the input '%.600s'",
            expr, field, t ? t : "null");
    else
        asl_fail(e, "States.Runtime", "The JSONPath '%s' could not be found in the input '%.600s'", expr,
                 t ? t : "null");
    free(t);
}

cJSON *asl_resolve(const char *expr, const asl_scope_t *sc, const char *field, asl_err_t *e) {
    if (!expr) return NULL;
    if (asl_is_intrinsic(expr)) return asl_intrinsic(sc->sim, expr, sc, e);
    if (expr[0] != '$') {
        asl_fail(e, "States.Runtime", "Invalid path '%s'", expr);
        return NULL;
    }
    cJSON *v;
    const cJSON *src;
    if (expr[1] == '$') {
        src = sc->ctx;
        v = jp_get(src, expr + 1);
    } else if (!expr[1] || expr[1] == '.' || expr[1] == '[') {
        src = sc->input;
        v = jp_get(src, expr);
    } else {
        /* workflow variable: $name or $name.path */
        const char *p = expr + 1;
        size_t k = strcspn(p, ".[");
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)k, p);
        const cJSON *var = sc->vars ? cJSON_GetObjectItemCaseSensitive(sc->vars, name) : NULL;
        if (!var) {
            asl_fail(e, "States.Runtime", "The variable '$%s' is not defined. Field: '%s'", name,
                     field ? field : expr);
            return NULL;
        }
        char path[1024];
        snprintf(path, sizeof path, "$%s", p + k);
        src = var;
        v = jp_get(var, path);
    }
    if (!v) not_found(e, expr, field, src);
    return v;
}

cJSON *asl_template(const cJSON *tmpl, const asl_scope_t *sc, asl_err_t *e) {
    if (cJSON_IsArray(tmpl)) {
        cJSON *r = cJSON_CreateArray();
        for (const cJSON *c = tmpl->child; c; c = c->next) {
            cJSON *v = asl_template(c, sc, e);
            if (!v) {
                cJSON_Delete(r);
                return NULL;
            }
            cJSON_AddItemToArray(r, v);
        }
        return r;
    }
    if (!cJSON_IsObject(tmpl)) return cJSON_Duplicate(tmpl, 1);
    cJSON *r = cJSON_CreateObject();
    for (const cJSON *c = tmpl->child; c; c = c->next) {
        size_t l = strlen(c->string);
        cJSON *v;
        if (l > 2 && !strcmp(c->string + l - 2, ".$") && cJSON_IsString(c)) {
            v = asl_resolve(c->valuestring, sc, c->string, e);
            if (!v) {
                cJSON_Delete(r);
                return NULL;
            }
            char *k = strndup(c->string, l - 2);
            cJSON_AddItemToObject(r, k, v);
            free(k);
            continue;
        }
        v = asl_template(c, sc, e);
        if (!v) {
            cJSON_Delete(r);
            return NULL;
        }
        cJSON_AddItemToObject(r, c->string, v);
    }
    return r;
}
