/*
 * choice.c — Choice state rules: every comparison operator (String*, Numeric*, Boolean*,
 * Timestamp*, their *Path variants, StringMatches wildcards), the Is* type tests and the
 * And/Or/Not combinators. A Variable that matches nothing is a States.Runtime error, except
 * for IsPresent. Comparisons of mismatched types are false, as in AWS.
 */
#include <ctype.h>
#include <stdio.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl/asl.h"

/* RFC 3339 timestamp -> epoch microseconds; returns 0 on success. */
int asl_ts_parse(const char *s, double *out) {
    int Y, M, D, h, m, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &Y, &M, &D, &h, &m, &sec, &n) != 6 || n != 19) return -1;
    if (s[4] != '-' || s[7] != '-' || (s[10] != 'T') || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 ||
        m > 59 || sec > 60)
        return -1;
    const char *p = s + 19;
    double frac = 0;
    if (*p == '.') {
        p++;
        double scale = 0.1;
        if (!isdigit((unsigned char)*p)) return -1;
        while (isdigit((unsigned char)*p)) {
            frac += (*p - '0') * scale;
            scale /= 10;
            p++;
        }
    }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || strlen(p) != 6) return -1;
        off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    struct tm tm = {0};
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    *out = (double)(timegm(&tm) - off) + frac;
    return 0;
}

/* StringMatches: '*' matches any run of characters; '\*' and '\\' are literal. */
static int wild(const char *pat, const char *s) {
    if (!*pat) return !*s;
    if (*pat == '*') {
        for (const char *t = s;; t++) {
            if (wild(pat + 1, t)) return 1;
            if (!*t) return 0;
        }
    }
    char c = *pat;
    int adv = 1;
    if (c == '\\' && (pat[1] == '*' || pat[1] == '\\')) {
        c = pat[1];
        adv = 2;
    }
    return *s == c && wild(pat + adv, s + 1);
}

static const char *CMP_OPS[] = {"StringEquals",
                                "StringLessThan",
                                "StringGreaterThan",
                                "StringLessThanEquals",
                                "StringGreaterThanEquals",
                                "StringMatches",
                                "NumericEquals",
                                "NumericLessThan",
                                "NumericGreaterThan",
                                "NumericLessThanEquals",
                                "NumericGreaterThanEquals",
                                "BooleanEquals",
                                "TimestampEquals",
                                "TimestampLessThan",
                                "TimestampGreaterThan",
                                "TimestampLessThanEquals",
                                "TimestampGreaterThanEquals",
                                "IsNull",
                                "IsPresent",
                                "IsNumeric",
                                "IsString",
                                "IsBoolean",
                                "IsTimestamp",
                                NULL};

/* The comparison key of a rule (e.g. "NumericEqualsPath"), or NULL. */
static const cJSON *find_op(const cJSON *rule, char *op, size_t n, int *is_path) {
    for (const cJSON *c = rule->child; c; c = c->next) {
        for (int i = 0; CMP_OPS[i]; i++) {
            size_t l = strlen(CMP_OPS[i]);
            if (!strncmp(c->string, CMP_OPS[i], l) && (!c->string[l] || !strcmp(c->string + l, "Path"))) {
                if (!strcmp(c->string + l, "Path") && !strncmp(CMP_OPS[i], "Is", 2)) continue;
                snprintf(op, n, "%s", CMP_OPS[i]);
                *is_path = c->string[l] != 0;
                return c;
            }
        }
    }
    return NULL;
}

static int cmp_result(const char *op, int c) {
    if (strstr(op, "GreaterThanEquals")) return c >= 0;
    if (strstr(op, "LessThanEquals")) return c <= 0;
    if (strstr(op, "GreaterThan")) return c > 0;
    if (strstr(op, "LessThan")) return c < 0;
    return c == 0;
}

int asl_choice_match(const cJSON *rule, const asl_scope_t *sc, asl_err_t *e) {
    const cJSON *x;
    if ((x = cJSON_GetObjectItemCaseSensitive(rule, "And")) ||
        (x = cJSON_GetObjectItemCaseSensitive(rule, "Or"))) {
        int is_and = !strcmp(x->string, "And");
        for (const cJSON *c = x->child; c; c = c->next) {
            int r = asl_choice_match(c, sc, e);
            if (r < 0) return -1;
            if (is_and && !r) return 0;
            if (!is_and && r) return 1;
        }
        return is_and;
    }
    if ((x = cJSON_GetObjectItemCaseSensitive(rule, "Not"))) {
        int r = asl_choice_match(x, sc, e);
        return r < 0 ? -1 : !r;
    }
    char op[64];
    int is_path = 0;
    const cJSON *arg = find_op(rule, op, sizeof op, &is_path);
    const char *var = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rule, "Variable"));
    if (!arg || !var) return asl_fail(e, "States.Runtime", "Invalid Choice rule");
    asl_err_t tmp;
    cJSON *v = asl_resolve(var, sc, NULL, &tmp);
    if (!strcmp(op, "IsPresent")) {
        int r = (v != NULL) == cJSON_IsTrue(arg);
        cJSON_Delete(v);
        return r;
    }
    if (!v) {
        char *t = cJSON_PrintUnformatted(sc->input);
        asl_fail(
            e, "States.Runtime",
            "An error occurred while executing the state. Invalid path '%s': The choice state's condition "
            "path references an invalid value.",
            var);
        free(t);
        return -1;
    }
    cJSON *b = NULL;
    if (is_path) {
        if (!cJSON_IsString(arg)) {
            cJSON_Delete(v);
            return asl_fail(e, "States.Runtime", "Invalid path in %sPath", op);
        }
        b = asl_resolve(arg->valuestring, sc, NULL, &tmp);
        if (!b) {
            cJSON_Delete(v);
            return asl_fail(
                e, "States.Runtime",
                "An error occurred while executing the state. Invalid path '%s': The choice state's "
                "condition path references an invalid value.",
                arg->valuestring);
        }
        arg = b;
    }
    int r = 0;
    double t1, t2;
    if (!strcmp(op, "IsNull"))
        r = cJSON_IsNull(v) == cJSON_IsTrue(arg);
    else if (!strcmp(op, "IsNumeric"))
        r = cJSON_IsNumber(v) == cJSON_IsTrue(arg);
    else if (!strcmp(op, "IsString"))
        r = cJSON_IsString(v) == cJSON_IsTrue(arg);
    else if (!strcmp(op, "IsBoolean"))
        r = cJSON_IsBool(v) == cJSON_IsTrue(arg);
    else if (!strcmp(op, "IsTimestamp"))
        r = (cJSON_IsString(v) && asl_ts_parse(v->valuestring, &t1) == 0) == cJSON_IsTrue(arg);
    else if (!strcmp(op, "StringMatches"))
        r = cJSON_IsString(v) && cJSON_IsString(arg) && wild(arg->valuestring, v->valuestring);
    else if (!strncmp(op, "String", 6))
        r = cJSON_IsString(v) && cJSON_IsString(arg) &&
            cmp_result(op, strcmp(v->valuestring, arg->valuestring));
    else if (!strncmp(op, "Numeric", 7))
        r = cJSON_IsNumber(v) && cJSON_IsNumber(arg) &&
            cmp_result(op, (v->valuedouble > arg->valuedouble) - (v->valuedouble < arg->valuedouble));
    else if (!strncmp(op, "Boolean", 7))
        r = cJSON_IsBool(v) && cJSON_IsBool(arg) && cJSON_IsTrue(v) == cJSON_IsTrue(arg);
    else if (!strncmp(op, "Timestamp", 9))
        r = cJSON_IsString(v) && cJSON_IsString(arg) && !asl_ts_parse(v->valuestring, &t1) &&
            !asl_ts_parse(arg->valuestring, &t2) && cmp_result(op, (t1 > t2) - (t1 < t2));
    cJSON_Delete(v);
    cJSON_Delete(b);
    return r;
}

/* Validation of a rule; message names the problem (AWS SCHEMA_VALIDATION_FAILED). */
int asl_choice_rule_valid(const cJSON *rule, int top, char *msg, size_t n) {
    if (!cJSON_IsObject(rule)) return snprintf(msg, n, "Choice rules must be objects"), 0;
    const cJSON *x;
    if ((x = cJSON_GetObjectItemCaseSensitive(rule, "And")) ||
        (x = cJSON_GetObjectItemCaseSensitive(rule, "Or"))) {
        if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) < 1)
            return snprintf(msg, n, "The field '%s' must be a non-empty array", x->string), 0;
        for (const cJSON *c = x->child; c; c = c->next)
            if (!asl_choice_rule_valid(c, 0, msg, n)) return 0;
    } else if ((x = cJSON_GetObjectItemCaseSensitive(rule, "Not"))) {
        if (!asl_choice_rule_valid(x, 0, msg, n)) return 0;
    } else {
        char op[64];
        int is_path;
        const cJSON *arg = find_op(rule, op, sizeof op, &is_path);
        const cJSON *var = cJSON_GetObjectItemCaseSensitive(rule, "Variable");
        if (!var) return snprintf(msg, n, "These fields are required: [Variable]"), 0;
        if (!cJSON_IsString(var) || !(jp_valid(var->valuestring, 0) || (var->valuestring[0] == '$')))
            return snprintf(msg, n, "The value for the field 'Variable' must be a valid JSONPath"), 0;
        if (!arg) return snprintf(msg, n, "A choice rule must have exactly one comparison operator"), 0;
        if (is_path) {
            if (!cJSON_IsString(arg) || arg->valuestring[0] != '$')
                return snprintf(msg, n, "The value for the field '%s' must be a valid JSONPath", arg->string),
                       0;
        } else if (!strncmp(op, "Is", 2) || !strncmp(op, "Boolean", 7)) {
            if (!cJSON_IsBool(arg))
                return snprintf(msg, n, "The field '%s' must be a boolean", arg->string), 0;
        } else if (!strncmp(op, "Numeric", 7)) {
            if (!cJSON_IsNumber(arg))
                return snprintf(msg, n, "The field '%s' must be a number", arg->string), 0;
        } else if (!strncmp(op, "Timestamp", 9)) {
            double t;
            if (!cJSON_IsString(arg) || asl_ts_parse(arg->valuestring, &t))
                return snprintf(msg, n, "The field '%s' must be a valid timestamp", arg->string), 0;
        } else if (!cJSON_IsString(arg)) {
            return snprintf(msg, n, "The field '%s' must be a string", arg->string), 0;
        }
    }
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(rule, "Next");
    if (top && !next) return snprintf(msg, n, "These fields are required: [Next]"), 0;
    if (!top && next) return snprintf(msg, n, "Nested choice rules cannot have a 'Next' field"), 0;
    return 1;
}
