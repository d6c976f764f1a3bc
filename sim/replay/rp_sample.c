/*
 * rp_sample.c — what the report draws, read through the services' own APIs (service_call):
 * the timeline (Route 53 weights and health-check status, DMS progress, status and CDC lag,
 * Step Functions execution states) sampled after every step and advance slice, and at the end
 * each state machine's definition with the states its executions entered.
 * Series keep change points only: [[t_ms, value], ...] where the value differs from the last.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "replay/replay.h"
#include "services/dms.h"
#include "services/service.h"

#pragma weak dms_metrics_json

void rp_timeline_init(rp_timeline_t *t, const cJSON *accounts, const char *region) {
    t->series = cJSON_CreateObject();
    t->accounts = (cJSON *)accounts;
    t->region = region;
}

static void point(rp_timeline_t *t, const char *id, const char *kind, const char *label, int64_t now,
                  cJSON *value) {
    cJSON *s = cJSON_GetObjectItemCaseSensitive(t->series, id);
    if (!s) {
        s = cJSON_AddObjectToObject(t->series, id);
        cJSON_AddStringToObject(s, "kind", kind);
        cJSON_AddStringToObject(s, "label", label);
        cJSON_AddArrayToObject(s, "points");
    }
    cJSON *pts = cJSON_GetObjectItemCaseSensitive(s, "points");
    int n = cJSON_GetArraySize(pts);
    if (n > 0) {
        cJSON *last = cJSON_GetArrayItem(cJSON_GetArrayItem(pts, n - 1), 1);
        if (cJSON_Compare(last, value, 1)) {
            cJSON_Delete(value);
            return;
        }
    }
    cJSON *p = cJSON_CreateArray();
    cJSON_AddItemToArray(p, cJSON_CreateNumber((double)now));
    cJSON_AddItemToArray(p, value);
    cJSON_AddItemToArray(pts, p);
}

static cJSON *call(sim_t *s, const char *svc, const char *op, const char *account, const char *region,
                   const char *json_in) {
    cJSON *in = cJSON_Parse(json_in ? json_in : "{}");
    cJSON *out = NULL;
    sim_error_t e = {0};
    int rc = service_call(s, svc, op, account, region, NULL, in, &out, &e);
    cJSON_Delete(in);
    if (rc != 0) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

static const char *sget(const cJSON *o, const char *k) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void sample_route53(sim_t *s, rp_timeline_t *t, const char *acct, int64_t now) {
    cJSON *zones = call(s, "route53", "ListHostedZones", acct, "us-east-1", NULL);
    const cJSON *z;
    cJSON_ArrayForEach(z, cJSON_GetObjectItemCaseSensitive(zones, "HostedZones")) {
        const char *zid = sget(z, "Id");
        const char *slash = zid ? strrchr(zid, '/') : NULL;
        char in[256];
        snprintf(in, sizeof in, "{\"HostedZoneId\":\"%s\"}", slash ? slash + 1 : zid);
        cJSON *rr = call(s, "route53", "ListResourceRecordSets", acct, "us-east-1", in);
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rr, "ResourceRecordSets")) {
            const cJSON *w = cJSON_GetObjectItemCaseSensitive(r, "Weight");
            if (!cJSON_IsNumber(w)) continue;
            char id[600], label[600];
            snprintf(id, sizeof id, "r53w:%s:%s:%s:%s", acct, sget(r, "Name"), sget(r, "Type"),
                     sget(r, "SetIdentifier"));
            snprintf(label, sizeof label, "weight [%s] %s %s", sget(r, "SetIdentifier"), sget(r, "Name"),
                     sget(r, "Type"));
            point(t, id, "weight", label, now, cJSON_CreateNumber(w->valuedouble));
        }
        cJSON_Delete(rr);
    }
    cJSON_Delete(zones);
    cJSON *hcs = call(s, "route53", "ListHealthChecks", acct, "us-east-1", NULL);
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(hcs, "HealthChecks")) {
        const char *hid = sget(h, "Id");
        const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(h, "HealthCheckConfig");
        char in[200], id[300], label[600];
        snprintf(in, sizeof in, "{\"HealthCheckId\":\"%s\"}", hid);
        cJSON *st = call(s, "route53", "GetHealthCheckStatus", acct, "us-east-1", in);
        int ok = 0, total = 0;
        const cJSON *ob;
        cJSON_ArrayForEach(ob, cJSON_GetObjectItemCaseSensitive(st, "HealthCheckObservations")) {
            const char *text = sget(cJSON_GetObjectItemCaseSensitive(ob, "StatusReport"), "Status");
            total++;
            if (text && strncmp(text, "Success", 7) == 0) ok++;
        }
        cJSON_Delete(st);
        if (!total) continue;
        const char *target = sget(cfg, "FullyQualifiedDomainName") ? sget(cfg, "FullyQualifiedDomainName")
                                                                   : sget(cfg, "IPAddress");
        /* keyed by what the check watches, not its generated id: replays stay byte-identical even when a
         * program creates its checks in a different order */
        snprintf(id, sizeof id, "r53h:%s:%s:%s:%d:%s", acct, target ? target : hid, sget(cfg, "Type"),
                 jint(cfg, "Port", 0), sget(cfg, "ResourcePath") ? sget(cfg, "ResourcePath") : "");
        snprintf(label, sizeof label, "health %s %s%s", target ? target : hid, sget(cfg, "Type"),
                 sget(cfg, "ResourcePath") ? sget(cfg, "ResourcePath") : "");
        point(t, id, "health", label, now, cJSON_CreateString(ok * 2 > total ? "healthy" : "unhealthy"));
    }
    cJSON_Delete(hcs);
}

static void sample_dms(sim_t *s, rp_timeline_t *t, const char *acct, int64_t now) {
    cJSON *tasks = call(s, "dms", "DescribeReplicationTasks", acct, t->region, NULL);
    const cJSON *k;
    int any = 0;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(tasks, "ReplicationTasks")) {
        const char *tid = sget(k, "ReplicationTaskIdentifier");
        char id[300], label[300];
        const cJSON *stats = cJSON_GetObjectItemCaseSensitive(k, "ReplicationTaskStats");
        const cJSON *pct = cJSON_GetObjectItemCaseSensitive(stats, "FullLoadProgressPercent");
        snprintf(id, sizeof id, "dmsp:%s:%s", acct, tid);
        snprintf(label, sizeof label, "DMS %s full load %%", tid);
        point(t, id, "progress", label, now, cJSON_CreateNumber(cJSON_IsNumber(pct) ? pct->valuedouble : 0));
        snprintf(id, sizeof id, "dmss:%s:%s", acct, tid);
        snprintf(label, sizeof label, "DMS %s status", tid);
        point(t, id, "status", label, now, cJSON_CreateString(sget(k, "Status") ? sget(k, "Status") : "?"));
        any = 1;
    }
    if (any && dms_metrics_json) {
        cJSON *arr = cJSON_CreateArray();
        dms_metrics_json(s, acct, t->region, arr);
        /* latest CDCLatencyTarget per task (ReplicationTaskIdentifier dimension = resource id) */
        cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(tasks, "ReplicationTasks")) {
            const char *arn = sget(k, "ReplicationTaskArn");
            const char *rid = arn ? strrchr(arn, ':') : NULL;
            if (!rid) continue;
            rid++;
            const cJSON *m, *last = NULL;
            cJSON_ArrayForEach(m, arr) {
                if (strcmp(sget(m, "MetricName"), "CDCLatencyTarget") != 0) continue;
                const cJSON *d;
                cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(m, "Dimensions")) {
                    if (strcmp(sget(d, "Name"), "ReplicationTaskIdentifier") == 0 &&
                        strcmp(sget(d, "Value"), rid) == 0)
                        last = m;
                }
            }
            if (!last) continue;
            char id[300], label[300];
            snprintf(id, sizeof id, "dmsl:%s:%s", acct, sget(k, "ReplicationTaskIdentifier"));
            snprintf(label, sizeof label, "DMS %s CDC lag (s)", sget(k, "ReplicationTaskIdentifier"));
            point(t, id, "lag", label, now,
                  cJSON_CreateNumber(cJSON_GetObjectItemCaseSensitive(last, "Value")->valuedouble));
        }
        cJSON_Delete(arr);
    }
    cJSON_Delete(tasks);
}

static void sample_sfn(sim_t *s, rp_timeline_t *t, const char *acct, int64_t now) {
    cJSON *sms = call(s, "stepfunctions", "ListStateMachines", acct, t->region, NULL);
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(sms, "stateMachines")) {
        char in[800];
        snprintf(in, sizeof in, "{\"stateMachineArn\":\"%s\"}", sget(m, "stateMachineArn"));
        cJSON *ex = call(s, "stepfunctions", "ListExecutions", acct, t->region, in);
        const cJSON *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(ex, "executions")) {
            char id[800], label[600];
            snprintf(id, sizeof id, "sfn:%s", sget(x, "executionArn"));
            snprintf(label, sizeof label, "%s / %s", sget(m, "name"), sget(x, "name"));
            point(t, id, "execution", label, now, cJSON_CreateString(sget(x, "status")));
        }
        cJSON_Delete(ex);
    }
    cJSON_Delete(sms);
}

static int cmp_key(const void *a, const void *b) {
    return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

void rp_timeline_sort(rp_timeline_t *t) {
    int n = cJSON_GetArraySize(t->series), i = 0;
    if (n < 2) return;
    cJSON **items = malloc(sizeof(cJSON *) * (size_t)n);
    while (t->series->child)
        items[i++] = cJSON_DetachItemViaPointer(t->series, t->series->child);
    qsort(items, (size_t)n, sizeof(cJSON *), cmp_key);
    for (i = 0; i < n; i++) {
        char *k = strdup(items[i]->string);
        cJSON_AddItemToObject(t->series, k, items[i]);
        free(k);
    }
    free(items);
}

void rp_sample(sim_t *s, rp_timeline_t *t) {
    sim_lock(s);
    int64_t now = clock_now_ms(s);
    sim_unlock(s);
    const cJSON *a;
    cJSON_ArrayForEach(a, t->accounts) {
        sample_route53(s, t, a->valuestring, now);
        sample_dms(s, t, a->valuestring, now);
        sample_sfn(s, t, a->valuestring, now);
    }
}

/* The shape of a definition the graph needs (states, types, transitions), without parameters: those
 * hold generated ids (zones, task ARNs) that differ with the program's registration order. */
static cJSON *graph_of(const cJSON *def) {
    cJSON *g = cJSON_CreateObject();
    if (sget(def, "StartAt")) cJSON_AddStringToObject(g, "StartAt", sget(def, "StartAt"));
    cJSON *states = cJSON_AddObjectToObject(g, "States");
    const cJSON *st;
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(def, "States")) {
        cJSON *o = cJSON_AddObjectToObject(states, st->string);
        static const char *keep[] = {"Type", "Next", "Default"};
        for (int i = 0; i < 3; i++)
            if (sget(st, keep[i])) cJSON_AddStringToObject(o, keep[i], sget(st, keep[i]));
        static const char *lists[] = {"Choices", "Catch"};
        for (int i = 0; i < 2; i++) {
            const cJSON *arr = cJSON_GetObjectItemCaseSensitive(st, lists[i]), *c;
            if (!cJSON_IsArray(arr)) continue;
            cJSON *out = cJSON_AddArrayToObject(o, lists[i]);
            cJSON_ArrayForEach(c, arr) {
                cJSON *x = cJSON_CreateObject();
                if (sget(c, "Next")) cJSON_AddStringToObject(x, "Next", sget(c, "Next"));
                cJSON_AddItemToArray(out, x);
            }
        }
    }
    return g;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(sget(*(cJSON *const *)a, "name"), sget(*(cJSON *const *)b, "name"));
}

cJSON *rp_machine_graphs(sim_t *s, const cJSON *accounts, const char *region) {
    cJSON *out = cJSON_CreateArray();
    const cJSON *a;
    cJSON_ArrayForEach(a, accounts) {
        cJSON *sms = call(s, "stepfunctions", "ListStateMachines", a->valuestring, region, NULL);
        const cJSON *m;
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(sms, "stateMachines")) {
            char in[800];
            snprintf(in, sizeof in, "{\"stateMachineArn\":\"%s\"}", sget(m, "stateMachineArn"));
            cJSON *ex = call(s, "stepfunctions", "ListExecutions", a->valuestring, region, in);
            cJSON *list = cJSON_GetObjectItemCaseSensitive(ex, "executions");
            if (cJSON_GetArraySize(list) == 0) {
                cJSON_Delete(ex);
                continue;
            }
            cJSON *desc = call(s, "stepfunctions", "DescribeStateMachine", a->valuestring, region, in);
            cJSON *g = cJSON_CreateObject();
            cJSON_AddStringToObject(g, "name", sget(m, "name"));
            cJSON_AddStringToObject(g, "arn", sget(m, "stateMachineArn"));
            cJSON *def = desc && sget(desc, "definition") ? cJSON_Parse(sget(desc, "definition")) : NULL;
            cJSON_AddItemToObject(g, "definition", graph_of(def));
            cJSON_Delete(def);
            cJSON_Delete(desc);
            cJSON *xs = cJSON_AddArrayToObject(g, "executions");
            int count = 0;
            const cJSON *x;
            cJSON_ArrayForEach(x, list) {
                if (++count > 6) break;
                char hin[900];
                snprintf(hin, sizeof hin, "{\"executionArn\":\"%s\",\"maxResults\":1000}",
                         sget(x, "executionArn"));
                cJSON *h = call(s, "stepfunctions", "GetExecutionHistory", a->valuestring, region, hin);
                cJSON *xo = cJSON_CreateObject();
                cJSON_AddStringToObject(xo, "name", sget(x, "name"));
                cJSON_AddStringToObject(xo, "status", sget(x, "status"));
                cJSON *entered = cJSON_AddArrayToObject(xo, "entered");
                cJSON *failedStates = cJSON_AddArrayToObject(xo, "failedIn");
                const cJSON *ev;
                const char *lastState = NULL;
                cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(h, "events")) {
                    const char *type = sget(ev, "type");
                    if (!type) continue;
                    size_t l = strlen(type);
                    if (l > 12 && strcmp(type + l - 12, "StateEntered") == 0) {
                        const char *nm =
                            sget(cJSON_GetObjectItemCaseSensitive(ev, "stateEnteredEventDetails"), "name");
                        if (nm) {
                            cJSON_AddItemToArray(entered, cJSON_CreateString(nm));
                            lastState =
                                cJSON_GetArrayItem(entered, cJSON_GetArraySize(entered) - 1)->valuestring;
                        }
                    }
                    if (lastState &&
                        (strcmp(type, "ExecutionFailed") == 0 || strcmp(type, "ExecutionTimedOut") == 0 ||
                         strcmp(type, "ExecutionAborted") == 0))
                        cJSON_AddItemToArray(failedStates, cJSON_CreateString(lastState));
                }
                cJSON_Delete(h);
                cJSON_AddItemToArray(xs, xo);
            }
            cJSON_Delete(ex);
            cJSON_AddItemToArray(out, g);
        }
        cJSON_Delete(sms);
    }
    /* by name: creation order depends on the program's registration order */
    int n = cJSON_GetArraySize(out), i = 0;
    cJSON **items = malloc(sizeof(cJSON *) * (size_t)(n ? n : 1));
    while (out->child)
        items[i++] = cJSON_DetachItemViaPointer(out, out->child);
    qsort(items, (size_t)n, sizeof(cJSON *), cmp_name);
    for (i = 0; i < n; i++)
        cJSON_AddItemToArray(out, items[i]);
    free(items);
    return out;
}
