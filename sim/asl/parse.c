/*
 * parse.c — parsing and validating a state machine definition the way CreateStateMachine and
 * ValidateStateMachineDefinition do. Diagnostics carry AWS's codes (SCHEMA_VALIDATION_FAILED,
 * MISSING_TRANSITION_TARGET, UNREACHABLE_STATE, INVALID_JSON_DESCRIPTION, NO_TERMINAL_STATE...)
 * and a location (/States/A/Next). Every nested Parallel branch and Map processor becomes a
 * numbered "machine" so executions can name where a thread runs.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdlib.h>
#include <string.h>

#include "asl/asl.h"

typedef struct {
    asl_diag_t *d;
    int max, n;
    asl_def_t *def;
} vctx_t;

static void diag(vctx_t *v, const char *code, const char *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void diag(vctx_t *v, const char *code, const char *loc, const char *fmt, ...) {
    if (v->n >= v->max) {
        v->n++;
        return;
    }
    asl_diag_t *d = &v->d[v->n++];
    snprintf(d->code, sizeof d->code, "%s", code);
    snprintf(d->location, sizeof d->location, "%s", loc && *loc ? loc : "/");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}

/* JSONata validation reports through diag (jsonata_states.c) */
static void jn_diag(void *v, const char *code, const char *loc, const char *msg) {
    diag(v, code, loc, "%s", msg);
}

static const char *TYPES[] = {"Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map", NULL};

static const char *allowed_fields(const char *type) {
    if (!strcmp(type, "Pass")) return ",Next,End,InputPath,OutputPath,ResultPath,Parameters,Result,Assign,";
    if (!strcmp(type, "Task"))
        return ",Resource,Next,End,InputPath,OutputPath,ResultPath,Parameters,ResultSelector,Retry,Catch,"
               "TimeoutSeconds,TimeoutSecondsPath,HeartbeatSeconds,HeartbeatSecondsPath,Credentials,Assign,";
    if (!strcmp(type, "Choice")) return ",Choices,Default,InputPath,OutputPath,Assign,";
    if (!strcmp(type, "Wait"))
        return ",Next,End,InputPath,OutputPath,Seconds,Timestamp,SecondsPath,TimestampPath,Assign,";
    if (!strcmp(type, "Succeed")) return ",InputPath,OutputPath,";
    if (!strcmp(type, "Fail")) return ",Error,Cause,ErrorPath,CausePath,";
    if (!strcmp(type, "Parallel"))
        return ",Branches,Next,End,InputPath,OutputPath,ResultPath,Parameters,ResultSelector,Retry,Catch,"
               "Assign,";
    if (!strcmp(type, "Map"))
        return ",ItemProcessor,Iterator,ItemsPath,ItemSelector,Parameters,ItemReader,ResultWriter,"
               "ItemBatcher,"
               "MaxConcurrency,MaxConcurrencyPath,ToleratedFailureCount,ToleratedFailureCountPath,"
               "ToleratedFailurePercentage,ToleratedFailurePercentagePath,Label,Next,End,InputPath,"
               "OutputPath,"
               "ResultPath,ResultSelector,Retry,Catch,Assign,";
    return "";
}

static int has_field(const char *list, const char *f) {
    char k[140];
    snprintf(k, sizeof k, ",%s,", f);
    return strstr(list, k) != NULL;
}

static void check_path(vctx_t *v, const cJSON *st, const char *field, const char *loc, int ref_only,
                       int nullable) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(st, field);
    if (!p) return;
    if (cJSON_IsNull(p) && nullable) return;
    if (!cJSON_IsString(p) || !(jp_valid(p->valuestring, ref_only) ||
                                (p->valuestring[0] == '$' && p->valuestring[1] != '.' &&
                                 p->valuestring[1] != '[' && p->valuestring[1] != '$' && !ref_only))) {
        diag(v, "INVALID_JSON_PATH", "", "Value for '%s' is not a valid %s: %s at %s/%s", field,
             ref_only ? "reference path" : "JSONPath", cJSON_IsString(p) ? p->valuestring : "(non-string)",
             loc, field);
        snprintf(v->d[v->n <= v->max ? v->n - 1 : 0].location, 256, "%s/%s", loc, field);
    }
}

/* Payload templates: every "x.$" value must be a path, a variable, or a valid intrinsic call. */
static void check_template(vctx_t *v, const cJSON *t, const char *loc) {
    if (cJSON_IsArray(t)) {
        for (const cJSON *c = t->child; c; c = c->next)
            check_template(v, c, loc);
        return;
    }
    if (!cJSON_IsObject(t)) return;
    for (const cJSON *c = t->child; c; c = c->next) {
        size_t l = strlen(c->string);
        if (l > 2 && !strcmp(c->string + l - 2, ".$")) {
            char err[256];
            const char *s = cJSON_GetStringValue(c);
            int ok = s && ((s[0] == '$' && (jp_valid(s, 0) || (s[1] && s[1] != '.' && s[1] != '['))) ||
                           (asl_is_intrinsic(s) && asl_intrinsic_valid(s, err, sizeof err)));
            if (!ok)
                diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                     "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function "
                     "call "
                     "at %s",
                     c->string, loc);
        } else {
            check_template(v, c, loc);
        }
    }
}

static int word(const char **pp, const char *extra) {
    const char *p = *pp;
    while (*p && (isalnum((unsigned char)*p) || strchr(extra, *p)))
        p++;
    int ok = p > *pp;
    *pp = p;
    return ok;
}

/* Task resources AWS recognises: service integrations (arn:aws:states:::svc:action[.waitForTaskToken|
 * .sync|.sync:2], arn:aws:states:::aws-sdk:svc:action), Lambda functions and activities. */
static int resource_valid(const char *r) {
    const char *p;
    if (!strncmp(r, "arn:aws:states:::", 17)) {
        p = r + 17;
        if (!strncmp(p, "aws-sdk:", 8)) p += 8;
        if (!word(&p, "-") || *p++ != ':' || !word(&p, "-")) return 0;
        if (!*p) return 1;
        return !strcmp(p, ".waitForTaskToken") || !strcmp(p, ".sync") || !strcmp(p, ".sync:2");
    }
    if (!strncmp(r, "arn:aws:lambda:", 15)) return strstr(r, ":function:") != NULL;
    if (!strncmp(r, "arn:aws:states:", 15)) return strstr(r, ":activity:") != NULL;
    return 0;
}

/* The states of one machine by name (open addressing), so that checking every transition and
 * marking what is reachable cost linear time however many states a definition has: with cJSON's
 * linear lookups a 20,000-state definition took 5 s to validate, under the server's lock. */
typedef struct {
    const cJSON **st; /* slot -> state (NULL: empty) */
    unsigned mask;
} names_t;

static unsigned name_hash(const char *s);

static void names_build(names_t *x, const cJSON *states) {
    unsigned n = (unsigned)cJSON_GetArraySize(states), size = 8;
    while (size < n * 2)
        size *= 2;
    x->st = calloc(size, sizeof *x->st);
    x->mask = size - 1;
    for (const cJSON *st = states->child; st; st = st->next) {
        unsigned h = name_hash(st->string) & x->mask;
        while (x->st[h] && strcmp(x->st[h]->string, st->string))
            h = (h + 1) & x->mask;
        if (!x->st[h]) x->st[h] = st; /* a duplicate key: the first one, as cJSON finds it */
    }
}

/* The slot of state name, or -1. */
static long names_find(const names_t *x, const char *name) {
    if (!name) return -1;
    for (unsigned h = name_hash(name) & x->mask; x->st[h]; h = (h + 1) & x->mask)
        if (!strcmp(x->st[h]->string, name)) return (long)h;
    return -1;
}

static int state_exists(const names_t *states, const char *name) {
    return names_find(states, name) >= 0;
}

static void check_target(vctx_t *v, const names_t *states, const cJSON *next, const char *loc) {
    if (!cJSON_IsString(next)) {
        diag(v, "SCHEMA_VALIDATION_FAILED", loc, "The value for the field 'Next' must be a STRING at %s",
             loc);
        return;
    }
    if (!state_exists(states, next->valuestring))
        diag(v, "MISSING_TRANSITION_TARGET", loc, "Missing 'Next' target: %s at %s", next->valuestring, loc);
}

static int error_list_valid(vctx_t *v, const cJSON *ee, const char *loc, int is_last) {
    if (!cJSON_IsArray(ee) || cJSON_GetArraySize(ee) < 1) {
        diag(v, "SCHEMA_VALIDATION_FAILED", loc, "These fields are required: [ErrorEquals] at %s", loc);
        return 0;
    }
    for (const cJSON *e = ee->child; e; e = e->next) {
        if (!cJSON_IsString(e)) {
            diag(v, "SCHEMA_VALIDATION_FAILED", loc, "ErrorEquals values must be strings at %s", loc);
            return 0;
        }
        /* AWS: States.ALL must appear alone, and only in the last retrier/catcher */
        if (!strcmp(e->valuestring, "States.ALL")) {
            if (cJSON_GetArraySize(ee) > 1)
                diag(v, "SCHEMA_VALIDATION_FAILED", loc, "Error name 'States.ALL' must appear alone at %s",
                     loc);
            else if (!is_last)
                diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                     "'States.ALL' must be the last element in a retrier/catcher list at %s", loc);
        }
    }
    return 1;
}

static void validate_machine(vctx_t *v, const cJSON *m, const char *loc, int top);

static void add_machine(vctx_t *v, const cJSON *m, const char *loc) {
    asl_def_t *d = v->def;
    d->machines = realloc(d->machines, sizeof(*d->machines) * (d->nmachines + 1));
    d->mpath = realloc(d->mpath, sizeof(*d->mpath) * (d->nmachines + 1));
    d->machines[d->nmachines] = (cJSON *)m;
    d->mpath[d->nmachines] = strdup(loc);
    d->nmachines++;
}

static void validate_state(vctx_t *v, const names_t *states, const cJSON *st, const char *sloc) {
    char loc[512];
    const char *name = st->string;
    if (strlen(name) > 80)
        diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "State name '%.80s...' exceeds 80 characters at %s", name,
             sloc);
    if (!cJSON_IsObject(st)) {
        diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "State must be an object at %s", sloc);
        return;
    }
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Type"));
    if (!type) {
        diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "These fields are required: [Type] at %s", sloc);
        return;
    }
    int known = 0;
    for (int i = 0; TYPES[i]; i++)
        known |= !strcmp(TYPES[i], type);
    if (!known) {
        snprintf(loc, sizeof loc, "%s/Type", sloc);
        diag(v, "SCHEMA_VALIDATION_FAILED", loc,
             "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, "
             "Parallel, Map] at %s",
             loc);
        return;
    }
    const char *allowed = allowed_fields(type);
    /* JSONata: QueryLanguage, fields of the other language, expression syntax (jsonata_states.c) */
    asl_jn_validate_state(v->def, st, sloc, jn_diag, v);
    int jn = asl_jn_enabled(v->def, st);
    for (const cJSON *f = st->child; f; f = f->next) {
        if (!strcmp(f->string, "Type") || !strcmp(f->string, "Comment") ||
            !strcmp(f->string, "QueryLanguage"))
            continue;
        if (!has_field(allowed, f->string) && !asl_jn_field_known(type, f->string))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "Field '%s' is not supported for state type '%s' at %s",
                 f->string, type, sloc);
    }
    int terminal_type = !strcmp(type, "Choice") || !strcmp(type, "Succeed") || !strcmp(type, "Fail");
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(st, "Next");
    const cJSON *end = cJSON_GetObjectItemCaseSensitive(st, "End");
    if (!terminal_type) {
        if (next && end && cJSON_IsTrue(end))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "Only one of 'Next' or 'End' may be specified at %s",
                 sloc);
        else if (!next && !cJSON_IsTrue(end))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "These fields are required: [Next] (or \"End\": true) at %s", sloc);
        if (end && !cJSON_IsBool(end))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value for the field 'End' must be a BOOLEAN at %s/End", sloc);
        if (next) {
            snprintf(loc, sizeof loc, "%s/Next", sloc);
            check_target(v, states, next, loc);
        }
    }
    check_path(v, st, "InputPath", sloc, 0, 1);
    check_path(v, st, "OutputPath", sloc, 0, 1);
    check_path(v, st, "ResultPath", sloc, 1, 1);
    check_path(v, st, "ItemsPath", sloc, 0, 0);
    check_path(v, st, "SecondsPath", sloc, 1, 0);
    check_path(v, st, "TimestampPath", sloc, 1, 0);
    check_path(v, st, "TimeoutSecondsPath", sloc, 1, 0);
    check_path(v, st, "HeartbeatSecondsPath", sloc, 1, 0);
    /* ErrorPath and CausePath may also be intrinsic functions */
    if (!asl_is_intrinsic(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "ErrorPath"))))
        check_path(v, st, "ErrorPath", sloc, 0, 0);
    if (!asl_is_intrinsic(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "CausePath"))))
        check_path(v, st, "CausePath", sloc, 0, 0);
    const char *tmpls[] = {"Parameters", "ResultSelector", "ItemSelector", "Assign"};
    for (int i = 0; i < 4; i++) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(st, tmpls[i]);
        if (!t) continue;
        snprintf(loc, sizeof loc, "%s/%s", sloc, tmpls[i]);
        if (i != 0 && !cJSON_IsObject(t))
            diag(v, "SCHEMA_VALIDATION_FAILED", loc, "The value for the field '%s' must be an OBJECT at %s",
                 tmpls[i], loc);
        check_template(v, t, loc);
    }
    if (!strcmp(type, "Task")) {
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(st, "Resource");
        if (!res)
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "These fields are required: [Resource] at %s", sloc);
        else if (!cJSON_IsString(res) || !resource_valid(res->valuestring)) {
            snprintf(loc, sizeof loc, "%s/Resource", sloc);
            diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                 "The resource provided %s is not recognized. The value is not a valid resource ARN, or the "
                 "resource is not available in this region. at %s",
                 cJSON_IsString(res) ? res->valuestring : "(non-string)", loc);
        }
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(st, "TimeoutSeconds");
        const cJSON *hb = cJSON_GetObjectItemCaseSensitive(st, "HeartbeatSeconds");
        if (to && !(jn && asl_jn_is_expr(to)) &&
            (!cJSON_IsNumber(to) || to->valuedouble < 1 || to->valuedouble > 99999999))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value for the field 'TimeoutSeconds' must be a positive integer at %s/TimeoutSeconds",
                 sloc);
        if (hb && !(jn && asl_jn_is_expr(hb)) &&
            (!cJSON_IsNumber(hb) || hb->valuedouble < 1 || hb->valuedouble > 99999999))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value for the field 'HeartbeatSeconds' must be a positive integer at "
                 "%s/HeartbeatSeconds",
                 sloc);
        if (to && cJSON_GetObjectItemCaseSensitive(st, "TimeoutSecondsPath"))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "Only one of 'TimeoutSeconds' or 'TimeoutSecondsPath' may be specified at %s", sloc);
        if (hb && cJSON_GetObjectItemCaseSensitive(st, "HeartbeatSecondsPath"))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "Only one of 'HeartbeatSeconds' or 'HeartbeatSecondsPath' may be specified at %s", sloc);
        /* AWS: HeartbeatSeconds must be smaller than TimeoutSeconds */
        if (to && hb && cJSON_IsNumber(to) && cJSON_IsNumber(hb) && hb->valuedouble >= to->valuedouble)
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value of 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds' at %s", sloc);
    }
    if (!strcmp(type, "Wait")) {
        const char *w[] = {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"};
        int cnt = 0;
        for (int i = 0; i < 4; i++)
            cnt += cJSON_GetObjectItemCaseSensitive(st, w[i]) != NULL;
        if (cnt != 1)
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' is required at %s",
                 sloc);
        const cJSON *sec = cJSON_GetObjectItemCaseSensitive(st, "Seconds");
        if (sec && !(jn && asl_jn_is_expr(sec)) && (!cJSON_IsNumber(sec) || sec->valuedouble < 0))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value for the field 'Seconds' must be a non-negative integer at %s/Seconds", sloc);
        const cJSON *ts = cJSON_GetObjectItemCaseSensitive(st, "Timestamp");
        if (ts && !(jn && asl_jn_is_expr(ts))) {
            asl_scope_t sc = {0};
            cJSON *rule = cJSON_CreateObject();
            cJSON_AddStringToObject(rule, "Variable", "$");
            cJSON_AddItemToObject(rule, "TimestampEquals", cJSON_Duplicate(ts, 1));
            char m[128];
            if (!asl_choice_rule_valid(rule, 0, m, sizeof m))
                diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                     "The value for the field 'Timestamp' must be a valid ISO-8601 timestamp at %s/Timestamp",
                     sloc);
            (void)sc;
            cJSON_Delete(rule);
        }
    }
    if (!strcmp(type, "Fail")) {
        if (cJSON_GetObjectItemCaseSensitive(st, "Error") &&
            cJSON_GetObjectItemCaseSensitive(st, "ErrorPath"))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "Only one of 'Error' or 'ErrorPath' may be specified at %s", sloc);
        if (cJSON_GetObjectItemCaseSensitive(st, "Cause") &&
            cJSON_GetObjectItemCaseSensitive(st, "CausePath"))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "Only one of 'Cause' or 'CausePath' may be specified at %s", sloc);
    }
    if (!strcmp(type, "Choice")) {
        const cJSON *ch = cJSON_GetObjectItemCaseSensitive(st, "Choices");
        if (!cJSON_IsArray(ch) || cJSON_GetArraySize(ch) < 1) {
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "These fields are required: [Choices] at %s", sloc);
        } else {
            int i = 0;
            for (const cJSON *r = ch->child; r; r = r->next, i++) {
                char m[256];
                snprintf(loc, sizeof loc, "%s/Choices/%d", sloc, i);
                if (!(jn ? asl_jn_rule_valid(r, m, sizeof m) : asl_choice_rule_valid(r, 1, m, sizeof m))) {
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc, "%s at %s", m, loc);
                    continue;
                }
                snprintf(loc, sizeof loc, "%s/Choices/%d/Next", sloc, i);
                check_target(v, states, cJSON_GetObjectItemCaseSensitive(r, "Next"), loc);
            }
        }
        const cJSON *def = cJSON_GetObjectItemCaseSensitive(st, "Default");
        if (def) {
            snprintf(loc, sizeof loc, "%s/Default", sloc);
            check_target(v, states, def, loc);
        }
    }
    const char *rc[] = {"Retry", "Catch"};
    for (int k = 0; k < 2; k++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(st, rc[k]);
        if (!arr) continue;
        if (!cJSON_IsArray(arr)) {
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value for the field '%s' must be an ARRAY at %s/%s", rc[k], sloc, rc[k]);
            continue;
        }
        int i = 0;
        for (const cJSON *r = arr->child; r; r = r->next, i++) {
            snprintf(loc, sizeof loc, "%s/%s/%d", sloc, rc[k], i);
            error_list_valid(v, cJSON_GetObjectItemCaseSensitive(r, "ErrorEquals"), loc, r->next == NULL);
            if (k == 0) {
                const cJSON *x;
                if ((x = cJSON_GetObjectItemCaseSensitive(r, "MaxAttempts")) &&
                    (!cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble > 99999999))
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                         "The value for the field 'MaxAttempts' must be a "
                         "non-negative integer at %s/MaxAttempts",
                         loc);
                if ((x = cJSON_GetObjectItemCaseSensitive(r, "IntervalSeconds")) &&
                    (!cJSON_IsNumber(x) || x->valuedouble < 1 || x->valuedouble > 99999999))
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                         "The value for the field 'IntervalSeconds' must be a "
                         "positive integer at %s/IntervalSeconds",
                         loc);
                if ((x = cJSON_GetObjectItemCaseSensitive(r, "BackoffRate")) &&
                    (!cJSON_IsNumber(x) || x->valuedouble < 1.0))
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                         "The value for the field 'BackoffRate' must be greater than or equal to 1.0 at "
                         "%s/BackoffRate",
                         loc);
                if ((x = cJSON_GetObjectItemCaseSensitive(r, "MaxDelaySeconds")) &&
                    (!cJSON_IsNumber(x) || x->valuedouble < 1 || x->valuedouble > 31622400))
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                         "The value for the field 'MaxDelaySeconds' must be "
                         "between 1 and 31622400 at %s/MaxDelaySeconds",
                         loc);
                if ((x = cJSON_GetObjectItemCaseSensitive(r, "JitterStrategy")) &&
                    (!cJSON_IsString(x) ||
                     (strcmp(x->valuestring, "FULL") && strcmp(x->valuestring, "NONE"))))
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc,
                         "The field 'JitterStrategy' should have one of these values: [FULL, NONE] at "
                         "%s/JitterStrategy",
                         loc);
            } else {
                const cJSON *nx = cJSON_GetObjectItemCaseSensitive(r, "Next");
                char nl[560];
                snprintf(nl, sizeof nl, "%s/Next", loc);
                if (!nx)
                    diag(v, "SCHEMA_VALIDATION_FAILED", loc, "These fields are required: [Next] at %s", loc);
                else
                    check_target(v, states, nx, nl);
                const cJSON *rp = cJSON_GetObjectItemCaseSensitive(r, "ResultPath");
                if (rp && !cJSON_IsNull(rp) && (!cJSON_IsString(rp) || !jp_valid(rp->valuestring, 1)))
                    diag(v, "INVALID_JSON_PATH", loc,
                         "Value for 'ResultPath' is not a valid reference path at %s/ResultPath", loc);
            }
        }
    }
    if (!strcmp(type, "Parallel")) {
        const cJSON *br = cJSON_GetObjectItemCaseSensitive(st, "Branches");
        if (!cJSON_IsArray(br) || cJSON_GetArraySize(br) < 1) {
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "These fields are required: [Branches] at %s", sloc);
        } else {
            int i = 0;
            for (const cJSON *b = br->child; b; b = b->next, i++) {
                snprintf(loc, sizeof loc, "%s/Branches/%d", sloc, i);
                validate_machine(v, b, loc, 0);
            }
        }
    }
    if (!strcmp(type, "Map")) {
        const cJSON *ip = cJSON_GetObjectItemCaseSensitive(st, "ItemProcessor");
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(st, "Iterator");
        if (ip && it)
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "Only one of 'ItemProcessor' or 'Iterator' may be specified at %s", sloc);
        else if (!ip && !it)
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc, "These fields are required: [ItemProcessor] at %s",
                 sloc);
        else {
            snprintf(loc, sizeof loc, "%s/%s", sloc, ip ? "ItemProcessor" : "Iterator");
            validate_machine(v, ip ? ip : it, loc, 0);
        }
        if (cJSON_GetObjectItemCaseSensitive(st, "ItemSelector") &&
            cJSON_GetObjectItemCaseSensitive(st, "Parameters"))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "Only one of 'ItemSelector' or 'Parameters' may be specified at %s", sloc);
        const cJSON *mc = cJSON_GetObjectItemCaseSensitive(st, "MaxConcurrency");
        if (mc && !(jn && asl_jn_is_expr(mc)) && (!cJSON_IsNumber(mc) || mc->valuedouble < 0))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value for the field 'MaxConcurrency' must be a non-negative integer at "
                 "%s/MaxConcurrency",
                 sloc);
        const cJSON *tp = cJSON_GetObjectItemCaseSensitive(st, "ToleratedFailurePercentage");
        if (tp && (!cJSON_IsNumber(tp) || tp->valuedouble < 0 || tp->valuedouble > 100))
            diag(v, "SCHEMA_VALIDATION_FAILED", sloc,
                 "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100 at %s",
                 sloc);
    }
}

/* Mark the states reachable from name (AWS: every state must be reachable from StartAt); seen is
 * indexed by slot, and a worklist replaces recursion along chains of any length. */
typedef struct {
    const char **v;
    size_t n, cap;
} todo_t;

static void todo_push(todo_t *t, const char *name) {
    if (!name) return;
    if (t->n == t->cap) t->v = realloc(t->v, (t->cap = t->cap ? 2 * t->cap : 64) * sizeof *t->v);
    t->v[t->n++] = name;
}

static void mark(const names_t *states, const char *name, char *seen) {
    todo_t todo = {0};
    todo_push(&todo, name);
    while (todo.n) {
        long h = names_find(states, todo.v[--todo.n]);
        if (h < 0 || seen[h]) continue;
        seen[h] = 1;
        const cJSON *st = states->st[h];
        todo_push(&todo, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Next")));
        todo_push(&todo, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Default")));
        const char *lists[] = {"Choices", "Catch"};
        for (int i = 0; i < 2; i++) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(st, lists[i]);
            for (const cJSON *c = cJSON_IsArray(a) ? a->child : NULL; c; c = c->next)
                todo_push(&todo, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "Next")));
        }
    }
    free(todo.v);
}

static void validate_machine(vctx_t *v, const cJSON *m, const char *loc, int top) {
    char sl[512];
    if (!cJSON_IsObject(m)) {
        diag(v, "SCHEMA_VALIDATION_FAILED", loc, "Expected an object at %s", loc[0] ? loc : "/");
        return;
    }
    add_machine(v, m, loc);
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(m, "StartAt");
    const cJSON *states = cJSON_GetObjectItemCaseSensitive(m, "States");
    const char *where = loc[0] ? loc : "/";
    if (!start || !states) {
        diag(v, "SCHEMA_VALIDATION_FAILED", where, "These fields are required: [%s%s%s] at %s",
             !start ? "StartAt" : "", !start && !states ? ", " : "", !states ? "States" : "", where);
        return;
    }
    if (!cJSON_IsString(start)) {
        diag(v, "SCHEMA_VALIDATION_FAILED", where,
             "The value for the field 'StartAt' must be a STRING at %s/StartAt", loc);
        return;
    }
    if (!cJSON_IsObject(states) || !states->child) {
        diag(v, "SCHEMA_VALIDATION_FAILED", where,
             "The field 'States' must be a non-empty object at %s/States", loc);
        return;
    }
    for (const cJSON *f = m->child; f; f = f->next) {
        const char *ok = top ? ",StartAt,States,Comment,TimeoutSeconds,Version,QueryLanguage,"
                             : ",StartAt,States,Comment,ProcessorConfig,"; /* AWS: no QueryLanguage here */
        if (!has_field(ok, f->string))
            diag(v, "SCHEMA_VALIDATION_FAILED", where, "Field '%s' is not supported at %s", f->string, where);
    }
    if (top) {
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(m, "TimeoutSeconds");
        if (to && (!cJSON_IsNumber(to) || to->valuedouble < 1 || to->valuedouble > 99999999))
            diag(v, "SCHEMA_VALIDATION_FAILED", "/TimeoutSeconds",
                 "The value for the field 'TimeoutSeconds' must be a positive integer at /TimeoutSeconds");
        const cJSON *ql = cJSON_GetObjectItemCaseSensitive(m, "QueryLanguage");
        if (ql &&
            (!cJSON_IsString(ql) || (strcmp(ql->valuestring, "JSONPath") &&
                                     strcmp(ql->valuestring, "JSONata")))) /* JSONata: jsonata_states.c */
            diag(v, "SCHEMA_VALIDATION_FAILED", "/QueryLanguage",
                 "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata] at "
                 "/QueryLanguage");
    }
    names_t names;
    names_build(&names, states);
    int start_ok = state_exists(&names, start->valuestring);
    if (!start_ok) {
        snprintf(sl, sizeof sl, "%s/StartAt", loc);
        diag(v, "MISSING_TRANSITION_TARGET", sl, "Missing 'Next' target: %s at %s", start->valuestring, sl);
    }
    int terminal = 0;
    for (const cJSON *st = states->child; st; st = st->next) {
        snprintf(sl, sizeof sl, "%s/States/%s", loc, st->string);
        validate_state(v, &names, st, sl);
        const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Type"));
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "End")) ||
            (t && (!strcmp(t, "Succeed") || !strcmp(t, "Fail"))))
            terminal = 1;
    }
    char *seen = calloc(names.mask + 1, 1);
    mark(&names, start->valuestring, seen);
    for (const cJSON *st = states->child; st; st = st->next) {
        if (start_ok && !seen[names_find(&names, st->string)]) {
            snprintf(sl, sizeof sl, "%s/States/%s", loc, st->string);
            diag(v, "UNREACHABLE_STATE", sl, "State \"%s\" is not reachable. at %s", st->string, sl);
        }
    }
    free(seen);
    free(names.st);
    if (!terminal) diag(v, "NO_TERMINAL_STATE", where, "No terminal state found in machine at %s", where);
}

/* ---- state index: open addressing on the state names of each machine ---- */

struct asl_sidx {
    asl_sinfo_t *slots;
    unsigned mask;
};

static unsigned name_hash(const char *s) {
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static asl_stype_t stype_of(const char *t) {
    static const char *names[] = {"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"};
    for (int i = 0; t && i < 8; i++)
        if (!strcmp(t, names[i])) return (asl_stype_t)(i + 1);
    return ASL_ST_OTHER;
}

static void index_states(asl_def_t *d) {
    d->sidx = calloc((size_t)d->nmachines ? (size_t)d->nmachines : 1, sizeof *d->sidx);
    for (int m = 0; m < d->nmachines; m++) {
        const cJSON *states = cJSON_GetObjectItemCaseSensitive(d->machines[m], "States");
        unsigned n = (unsigned)cJSON_GetArraySize(states), size = 8;
        while (size < n * 2)
            size *= 2;
        asl_sidx_t *x = &d->sidx[m];
        x->slots = calloc(size, sizeof *x->slots);
        x->mask = size - 1;
        for (const cJSON *st = states ? states->child : NULL; st; st = st->next) {
            unsigned h = name_hash(st->string) & x->mask;
            while (x->slots[h].name && strcmp(x->slots[h].name, st->string))
                h = (h + 1) & x->mask;
            if (x->slots[h].name) continue; /* duplicate key: cJSON finds the first one too */
            asl_sinfo_t *si = &x->slots[h];
            si->name = st->string;
            si->st = st;
            si->type = stype_of(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Type")));
            si->next = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Next"));
            const char *tn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Type"));
            snprintf(si->entered, sizeof si->entered, "%sStateEntered", tn ? tn : "");
            snprintf(si->exited, sizeof si->exited, "%sStateExited", tn ? tn : "");
            static const char *shaping[] = {"InputPath",  "Parameters", "Result", "ResultPath",
                                            "OutputPath", "Assign",     "Output" /* JSONata */};
            int plain = si->type == ASL_ST_PASS;
            for (int i = 0; plain && i < 7; i++)
                if (cJSON_GetObjectItemCaseSensitive(st, shaping[i])) plain = 0;
            if (plain) si->flags |= ASL_SF_PLAIN_PASS;
        }
    }
    /* names as JSON strings, for the engine's events */
    for (int m = 0; m < d->nmachines; m++)
        for (unsigned h = 0; h <= d->sidx[m].mask; h++) {
            asl_sinfo_t *si = &d->sidx[m].slots[h];
            if (!si->name) continue;
            asl_buf_t b = {0};
            asl_buf_str(&b, si->name);
            si->name_json = b.b;
            si->name_json_len = b.n;
            asl_buf_t e = {0};
            asl_buf_str(&e, si->entered);
            si->entered_json = e.b;
            si->entered_json_len = e.n;
            asl_buf_t x = {0};
            asl_buf_str(&x, si->exited);
            si->exited_json = x.b;
            si->exited_json_len = x.n;
        }
    /* once every machine is indexed: the machine each Map's iterations run in */
    for (int m = 0; m < d->nmachines; m++)
        for (unsigned h = 0; h <= d->sidx[m].mask; h++) {
            asl_sinfo_t *si = &d->sidx[m].slots[h];
            if (!si->name) continue;
            si->child = si->type == ASL_ST_MAP ? asl_child_machine(d, m, si->name, 0) : -1;
            si->next_si = asl_sinfo(d, m, si->next);
        }
}

const asl_sinfo_t *asl_sinfo(const asl_def_t *d, int machine, const char *name) {
    if (!d || machine < 0 || machine >= d->nmachines || !name) return NULL;
    if (!d->sidx) return NULL;
    const asl_sidx_t *x = &d->sidx[machine];
    unsigned h = name_hash(name) & x->mask;
    while (x->slots[h].name) {
        if (!strcmp(x->slots[h].name, name)) return &x->slots[h];
        h = (h + 1) & x->mask;
    }
    return NULL;
}

asl_def_t *asl_parse(const char *text, asl_diag_t *diags, int maxd, int *nd) {
    vctx_t v = {.d = diags, .max = maxd, .n = 0};
    *nd = 0;
    if (strlen(text) > ASL_MAX_DEFINITION) {
        diag(&v, "SCHEMA_VALIDATION_FAILED", "/", "Definition exceeds the maximum size of 1048576 bytes");
        *nd = v.n;
        return NULL;
    }
    const char *ep = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &ep, 1);
    if (!root) {
        size_t off = ep ? (size_t)(ep - text) : 0;
        diag(&v, "INVALID_JSON_DESCRIPTION", "/", "Unexpected character at offset %zu: '%.20s'", off,
             ep ? ep : "");
        *nd = v.n;
        return NULL;
    }
    asl_def_t *d = calloc(1, sizeof *d);
    d->root = root;
    v.def = d;
    validate_machine(&v, root, "", 1);
    *nd = v.n < maxd ? v.n : maxd;
    if (v.n) {
        asl_def_free(d);
        return NULL;
    }
    index_states(d);
    return d;
}

void asl_def_free(asl_def_t *d) {
    if (!d) return;
    for (int i = 0; d->sidx && i < d->nmachines; i++) {
        for (unsigned h = 0; d->sidx[i].slots && h <= d->sidx[i].mask; h++) {
            free(d->sidx[i].slots[h].name_json);
            free(d->sidx[i].slots[h].entered_json);
            free(d->sidx[i].slots[h].exited_json);
        }
        free(d->sidx[i].slots);
    }
    free(d->sidx);
    for (int i = 0; i < d->nmachines; i++)
        free(d->mpath[i]);
    free(d->mpath);
    free(d->machines);
    asl_jn_cache_free(d); /* JSONata expressions (jsonata_states.c) */
    cJSON_Delete(d->root);
    free(d);
}

void asl_diag_message(const asl_diag_t *d, int nd, char *out, size_t n) {
    size_t k = (size_t)snprintf(out, n, "Invalid State Machine Definition: '");
    for (int i = 0; i < nd && k < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s%s: %s", i ? ", " : "", d[i].code, d[i].message);
    if (k < n) snprintf(out + k, n - k, "'");
}

int asl_child_machine(const asl_def_t *d, int parent, const char *owner, int branch) {
    char want[1024];
    const char *ppath = d->mpath[parent];
    const cJSON *st = asl_state(d, parent, owner);
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "Type"));
    if (type && !strcmp(type, "Parallel"))
        snprintf(want, sizeof want, "%s/States/%s/Branches/%d", ppath, owner, branch);
    else
        snprintf(want, sizeof want, "%s/States/%s/%s", ppath, owner,
                 cJSON_GetObjectItemCaseSensitive(st, "ItemProcessor") ? "ItemProcessor" : "Iterator");
    for (int i = 0; i < d->nmachines; i++)
        if (!strcmp(d->mpath[i], want)) return i;
    return -1;
}

const cJSON *asl_state(const asl_def_t *d, int machine, const char *name) {
    if (machine < 0 || machine >= d->nmachines || !name) return NULL;
    if (d->sidx) {
        const asl_sinfo_t *si = asl_sinfo(d, machine, name);
        return si ? si->st : NULL;
    }
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d->machines[machine], "States"),
                                            name);
}
