/*
 * control.c — awssim's own JSON API under /_awssim/: health, reset, clock, snapshot/restore,
 * the request log, the generic resource registry, faults, and the service hooks scenarios use
 * (Step Functions mock config and message log, Route 53 resolver, DMS tables and metrics, the
 * RAM organization). Hooks a service does not provide answer 501.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "http/front.h"
#include "services/dms.h"
#include "services/ram.h"
#include "services/route53.h"
#include "services/service.h"

#pragma weak route53_fault_add
#pragma weak route53_fault_clear
#pragma weak route53_faults_json
#pragma weak route53_resolve
#pragma weak route53_resolve_from
#pragma weak route53_set_change_delay
#pragma weak route53_metrics_json
#pragma weak dms_fault_add
#pragma weak dms_fault_clear
#pragma weak dms_faults_json
#pragma weak dms_set_tables
#pragma weak dms_metrics_json
#pragma weak ram_set_organization
#pragma weak ram_resource_visible
int sfn_messages_json(sim_t *s, cJSON *out_array) __attribute__((weak));

void resp_json(http_resp_t *resp, int status, cJSON *body) {
    resp->status = status;
    resp->body = cJSON_PrintUnformatted(body);
    resp->body_len = strlen(resp->body);
    snprintf(resp->content_type, sizeof resp->content_type, "application/json");
    cJSON_Delete(body);
}

static void json_error(http_resp_t *resp, int status, const char *code, const char *msg) {
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "error", code);
    cJSON_AddStringToObject(b, "message", msg);
    resp_json(resp, status, b);
}

static void json_sim_error(http_resp_t *resp, const sim_error_t *e) {
    json_error(resp, e->status ? e->status : 400, e->code, e->message);
}

static const char *qparam(const http_req_t *h, const char *key, char *buf, size_t n) {
    if (!h->query) return NULL;
    cJSON *q = form_parse(h->query, strlen(h->query));
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, key));
    if (v) snprintf(buf, n, "%s", v);
    cJSON_Delete(q);
    return v ? buf : NULL;
}

static void clock_view(sim_t *s, cJSON *b) {
    char now[32];
    int64_t t = clock_now_ms(s);
    fmt_iso8601_ms(t, now);
    cJSON_AddStringToObject(b, "mode", s->clock_mode == CLOCK_REAL ? "real" : "virtual");
    cJSON_AddStringToObject(b, "now", now);
    cJSON_AddNumberToObject(b, "nowMs", (double)t);
    int64_t next = timer_next_due(s);
    if (next >= 0) {
        char nx[32];
        fmt_iso8601_ms(next, nx);
        cJSON_AddStringToObject(b, "nextTimer", nx);
    }
}

static void do_health(sim_t *s, http_resp_t *resp) {
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "status", "ok");
    cJSON_AddStringToObject(b, "version", AWSSIM_VERSION);
    cJSON *svcs = cJSON_AddArrayToObject(b, "services");
    int n = 0;
    const service_def_t *const *all = service_all(&n);
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", all[i]->key);
        cJSON_AddNumberToObject(o, "operations", all[i]->nops);
        cJSON_AddItemToArray(svcs, o);
    }
    cJSON *clk = cJSON_AddObjectToObject(b, "clock");
    sim_lock(s);
    clock_view(s, clk);
    cJSON_AddNumberToObject(b, "heldPolls", s->held_polls);
    sim_unlock(s);
    cJSON_AddStringToObject(b, "auth", s->auth_strict ? "strict" : "lenient");
    cJSON_AddNumberToObject(b, "seed", (double)s->seed);
    resp_json(resp, 200, b);
}

/* The longest step the virtual clock takes in one call (100 years): larger numbers would not fit
 * the millisecond clock (found by fuzz_rest_json, FINDINGS #14). */
#define MAX_VIRTUAL_SECONDS 3153600000.0

static void do_clock(sim_t *s, const cJSON *body, http_resp_t *resp) {
    int fired = 0;
    sim_lock(s);
    if (body) {
        cJSON *adv = cJSON_GetObjectItemCaseSensitive(body, "advance");
        const char *set = jstr(body, "set");
        if (s->clock_mode == CLOCK_REAL) {
            sim_unlock(s);
            json_error(resp, 409, "ClockIsReal",
                       "the clock is real; start awssim with --clock virtual to move it");
            return;
        }
        if (cJSON_IsNumber(adv)) {
            if (adv->valuedouble < 0 || adv->valuedouble > MAX_VIRTUAL_SECONDS) {
                sim_unlock(s);
                json_error(resp, 400, "InvalidClock", "advance must be 0..3153600000 seconds (100 years)");
                return;
            }
            fired = clock_advance(s, (int64_t)(adv->valuedouble * 1000.0 + 0.5));
        } else if (set) {
            int64_t t = parse_iso8601(set);
            if (t < 0 || t < clock_now_ms(s)) {
                sim_unlock(s);
                json_error(resp, 400, "InvalidClock",
                           t < 0 ? "set must be an ISO-8601 time" : "time cannot go backwards");
                return;
            }
            fired = clock_set(s, t);
        } else {
            sim_unlock(s);
            json_error(resp, 400, "InvalidClock", "expected {\"advance\": seconds} or {\"set\": ISO-8601}");
            return;
        }
    }
    cJSON *b = cJSON_CreateObject();
    clock_view(s, b);
    sim_unlock(s);
    if (body) cJSON_AddNumberToObject(b, "timersFired", fired);
    resp_json(resp, 200, b);
}

static void do_requests(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    char buf[64];
    int64_t since = qparam(h, "since", buf, sizeof buf) ? atoll(buf) : 0;
    int limit = qparam(h, "limit", buf, sizeof buf) ? atoi(buf) : 1000;
    if (limit <= 0) limit = 1000;
    sim_lock(s);
    cJSON *b = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(b, "requests");
    const reqlog_entry_t *e;
    for (size_t i = 0; i < (size_t)limit && (e = reqlog_since(&s->reqlog, since, i)); i++) {
        cJSON *o = cJSON_CreateObject();
        char t[32];
        fmt_iso8601_ms(e->time_ms, t);
        cJSON_AddNumberToObject(o, "seq", (double)e->seq);
        cJSON_AddStringToObject(o, "time", t);
        cJSON_AddStringToObject(o, "account", e->account);
        cJSON_AddStringToObject(o, "region", e->region);
        cJSON_AddStringToObject(o, "service", e->service);
        cJSON_AddStringToObject(o, "operation", e->operation);
        cJSON_AddNumberToObject(o, "status", e->status);
        if (e->error_code) cJSON_AddStringToObject(o, "errorCode", e->error_code);
        cJSON_AddStringToObject(o, "caller", e->caller);
        cJSON_AddItemToArray(arr, o);
    }
    sim_unlock(s);
    resp_json(resp, 200, b);
}

static void do_snapshot(sim_t *s, const cJSON *body, int restore, http_resp_t *resp) {
    char path[600];
    const char *p = jstr(body, "path");
    if (p)
        snprintf(path, sizeof path, "%s", p);
    else
        snprintf(path, sizeof path, "/tmp/awssim-%d-snapshot.db", (int)getpid());
    sim_lock(s);
    int rc;
    if (restore) {
        rc = store_restore(s, path);
        sim_changed(s);
        int n = 0;
        const service_def_t *const *all = service_all(&n);
        for (int i = 0; rc == 0 && i < n; i++)
            if (all[i]->on_reset) all[i]->on_reset(s);
    } else {
        unlink(path);
        rc = store_snapshot(s, path);
    }
    sim_unlock(s);
    if (rc != 0) {
        json_error(resp, 400, restore ? "RestoreFailed" : "SnapshotFailed", path);
        return;
    }
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "path", path);
    resp_json(resp, 200, b);
}

static void do_mock_config(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    if (strcmp(h->method, "GET") == 0) {
        sim_lock(s);
        cJSON *b = s->sfn_mock_config ? cJSON_Parse(s->sfn_mock_config) : cJSON_CreateObject();
        sim_unlock(s);
        resp_json(resp, 200, b ? b : cJSON_CreateObject());
        return;
    }
    cJSON *doc = cJSON_ParseWithLength(h->body, h->body_len);
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        json_error(resp, 400, "InvalidMockConfig",
                   "the mock config must be a JSON object (Step Functions Local format)");
        return;
    }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    sim_lock(s);
    free(s->sfn_mock_config);
    s->sfn_mock_config = text;
    sim_unlock(s);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddBoolToObject(b, "loaded", 1);
    resp_json(resp, 200, b);
}

/* ---- generic resource registry: resources of services awssim does not emulate ---- */

static void kebab(const char *camel, char *out, size_t n) {
    size_t k = 0;
    for (size_t i = 0; camel[i] && k + 2 < n; i++) {
        if (isupper((unsigned char)camel[i])) {
            if (i) out[k++] = '-';
            out[k++] = (char)tolower((unsigned char)camel[i]);
        } else {
            out[k++] = camel[i];
        }
    }
    out[k] = 0;
}

typedef enum { ID_NAME, ID_PREFIX, ID_RAND10, ID_UUID, ID_ARN } id_kind_t;

typedef struct {
    const char *type; /* Pulumi type suffix "module/x:Name" */
    id_kind_t id;     /* how AWS (and the Pulumi provider) shapes the id */
    const char *prefix;
    /* {region} {account} {id} {name} {parent}: parent is the restApi/… input the resource hangs off */
    const char *arn;
} reg_rule_t;

static const reg_rule_t REG_RULES[] = {
    {"ec2/vpc:Vpc", ID_PREFIX, "vpc-", "arn:aws:ec2:{region}:{account}:vpc/{id}"},
    {"ec2/subnet:Subnet", ID_PREFIX, "subnet-", "arn:aws:ec2:{region}:{account}:subnet/{id}"},
    {"ec2/internetGateway:InternetGateway", ID_PREFIX, "igw-",
     "arn:aws:ec2:{region}:{account}:internet-gateway/{id}"},
    {"ec2/natGateway:NatGateway", ID_PREFIX, "nat-", "arn:aws:ec2:{region}:{account}:natgateway/{id}"},
    {"ec2/eip:Eip", ID_PREFIX, "eipalloc-", "arn:aws:ec2:{region}:{account}:elastic-ip/{id}"},
    {"ec2/routeTable:RouteTable", ID_PREFIX, "rtb-", "arn:aws:ec2:{region}:{account}:route-table/{id}"},
    {"ec2/securityGroup:SecurityGroup", ID_PREFIX, "sg-",
     "arn:aws:ec2:{region}:{account}:security-group/{id}"},
    {"ec2/networkAcl:NetworkAcl", ID_PREFIX, "acl-", "arn:aws:ec2:{region}:{account}:network-acl/{id}"},
    {"ec2transitgateway/transitGateway:TransitGateway", ID_PREFIX, "tgw-",
     "arn:aws:ec2:{region}:{account}:transit-gateway/{id}"},
    {"ec2transitgateway/vpcAttachment:VpcAttachment", ID_PREFIX, "tgw-attach-",
     "arn:aws:ec2:{region}:{account}:transit-gateway-attachment/{id}"},
    {"ec2transitgateway/routeTable:RouteTable", ID_PREFIX, "tgw-rtb-",
     "arn:aws:ec2:{region}:{account}:transit-gateway-route-table/{id}"},
    {"ec2transitgateway/peeringAttachment:PeeringAttachment", ID_PREFIX, "tgw-attach-",
     "arn:aws:ec2:{region}:{account}:transit-gateway-attachment/{id}"},
    {"ec2/vpnConnection:VpnConnection", ID_PREFIX, "vpn-",
     "arn:aws:ec2:{region}:{account}:vpn-connection/{id}"},
    {"ec2/customerGateway:CustomerGateway", ID_PREFIX, "cgw-",
     "arn:aws:ec2:{region}:{account}:customer-gateway/{id}"},
    {"ec2/vpcEndpoint:VpcEndpoint", ID_PREFIX, "vpce-", "arn:aws:ec2:{region}:{account}:vpc-endpoint/{id}"},
    {"ec2/flowLog:FlowLog", ID_PREFIX, "fl-", "arn:aws:ec2:{region}:{account}:vpc-flow-log/{id}"},
    {"s3/bucket:Bucket", ID_NAME, NULL, "arn:aws:s3:::{id}"},
    {"s3/bucketV2:BucketV2", ID_NAME, NULL, "arn:aws:s3:::{id}"},
    {"lambda/function:Function", ID_NAME, NULL, "arn:aws:lambda:{region}:{account}:function:{id}"},
    {"sns/topic:Topic", ID_ARN, NULL, "arn:aws:sns:{region}:{account}:{name}"},
    {"sqs/queue:Queue", ID_NAME, NULL, "arn:aws:sqs:{region}:{account}:{id}"},
    {"kms/key:Key", ID_UUID, NULL, "arn:aws:kms:{region}:{account}:key/{id}"},
    {"kms/alias:Alias", ID_NAME, NULL, "arn:aws:kms:{region}:{account}:{id}"},
    {"cloudwatch/logGroup:LogGroup", ID_NAME, NULL, "arn:aws:logs:{region}:{account}:log-group:{id}"},
    {"cloudwatch/metricAlarm:MetricAlarm", ID_NAME, NULL, "arn:aws:cloudwatch:{region}:{account}:alarm:{id}"},
    {"cloudwatch/dashboard:Dashboard", ID_NAME, NULL, "arn:aws:cloudwatch::{account}:dashboard/{id}"},
    {"cloudwatch/eventRule:EventRule", ID_NAME, NULL, "arn:aws:events:{region}:{account}:rule/{id}"},
    {"cloudwatch/eventBus:EventBus", ID_NAME, NULL, "arn:aws:events:{region}:{account}:event-bus/{id}"},
    {"ssm/parameter:Parameter", ID_NAME, NULL, "arn:aws:ssm:{region}:{account}:parameter{id}"},
    {"rds/cluster:Cluster", ID_NAME, NULL, "arn:aws:rds:{region}:{account}:cluster:{id}"},
    {"rds/clusterInstance:ClusterInstance", ID_NAME, NULL, "arn:aws:rds:{region}:{account}:db:{id}"},
    {"rds/globalCluster:GlobalCluster", ID_NAME, NULL, "arn:aws:rds::{account}:global-cluster:{id}"},
    {"secretsmanager/secret:Secret", ID_NAME, NULL, "arn:aws:secretsmanager:{region}:{account}:secret:{id}"},
    {"apigateway/restApi:RestApi", ID_RAND10, NULL, "arn:aws:apigateway:{region}::/restapis/{id}"},
    {"apigateway/authorizer:Authorizer", ID_RAND10, NULL,
     "arn:aws:apigateway:{region}::/restapis/{parent}/authorizers/{id}"},
    {"apigateway/resource:Resource", ID_RAND10, NULL,
     "arn:aws:apigateway:{region}::/restapis/{parent}/resources/{id}"},
    {"apigateway/deployment:Deployment", ID_RAND10, NULL,
     "arn:aws:apigateway:{region}::/restapis/{parent}/deployments/{id}"},
    {"apigateway/stage:Stage", ID_NAME, NULL, "arn:aws:apigateway:{region}::/restapis/{parent}/stages/{id}"},
    {"apigatewayv2/api:Api", ID_RAND10, NULL, "arn:aws:apigateway:{region}::/apis/{id}"},
    {"cfg/aggregateAuthorization:AggregateAuthorization", ID_NAME, NULL,
     "arn:aws:config:{region}:{account}:aggregation-authorization/{id}"},
    {"cfg/configurationAggregator:ConfigurationAggregator", ID_NAME, NULL,
     "arn:aws:config:{region}:{account}:config-aggregator/{id}"},
};

/* Substitute {region} {account} {id} {name} {parent} in an ARN template. */
static void expand_arn(const char *tpl, const char *const vals[5], char *out, size_t n) {
    static const char *keys[] = {"{region}", "{account}", "{id}", "{name}", "{parent}"};
    size_t k = 0;
    while (*tpl && k + 1 < n) {
        int matched = 0;
        for (int i = 0; i < 5 && !matched; i++) {
            size_t kl = strlen(keys[i]);
            if (strncmp(tpl, keys[i], kl) == 0) {
                k += (size_t)snprintf(out + k, n - k, "%s", vals[i] ? vals[i] : "");
                if (k >= n) k = n - 1;
                tpl += kl;
                matched = 1;
            }
        }
        if (!matched) out[k++] = *tpl++;
    }
    out[k] = 0;
}

static const char *NAME_KEYS[] = {"name",          "bucket",    "functionName",  "clusterIdentifier",
                                  "identifier",    "roleName",  "topicName",     "queueName",
                                  "dashboardName", "alarmName", "aggregatorName"};

static void do_register(sim_t *s, const cJSON *body, http_resp_t *resp) {
    const char *type = jstr(body, "type");
    const char *name = jstr(body, "name");
    if (!type || !name || strncmp(type, "aws:", 4) != 0) {
        json_error(resp, 400, "InvalidResource",
                   "expected {\"type\": \"aws:module/x:Name\", \"name\": ..., \"inputs\": {...}}");
        return;
    }
    const char *account = jstr(body, "account") ? jstr(body, "account") : DEFAULT_ACCOUNT;
    const char *region = jstr(body, "region") ? jstr(body, "region") : DEFAULT_REGION;
    if (strlen(account) != 12 || strspn(account, "0123456789") != 12) {
        json_error(resp, 400, "InvalidResource", "account must be 12 digits");
        return;
    }
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(body, "inputs");
    const char *suffix = type + 4;
    const reg_rule_t *rule = NULL;
    for (size_t i = 0; i < sizeof REG_RULES / sizeof REG_RULES[0]; i++)
        if (strcmp(REG_RULES[i].type, suffix) == 0) rule = &REG_RULES[i];
    const char *given = NULL;
    for (size_t i = 0; i < sizeof NAME_KEYS / sizeof NAME_KEYS[0] && !given; i++)
        given = jstr(inputs, NAME_KEYS[i]);
    const char *parent = jstr(inputs, "restApi") ? jstr(inputs, "restApi") : jstr(inputs, "apiId");
    id_kind_t kind = rule ? rule->id : ID_NAME;
    sim_lock(s);
    char id[400], arn[700], hex[18], resolved[300];
    rng_hex(s, hex, 17);
    if (given)
        snprintf(resolved, sizeof resolved, "%s", given);
    else
        snprintf(resolved, sizeof resolved, "%s-%.7s", name, hex); /* Pulumi auto-naming */
    if (kind == ID_PREFIX)
        snprintf(id, sizeof id, "%s%s", rule->prefix, hex);
    else if (kind == ID_UUID)
        rng_uuid(s, id);
    else if (kind == ID_RAND10)
        rng_chars(s, id, 10, "abcdefghijklmnopqrstuvwxyz0123456789");
    else
        snprintf(id, sizeof id, "%s", resolved);
    const char *vals[5] = {region, account, id, resolved, parent};
    if (rule) {
        expand_arn(rule->arn, vals, arn, sizeof arn);
    } else {
        char module[64], kebabbed[96];
        const char *slash = strchr(suffix, '/'), *colon = strrchr(suffix, ':');
        snprintf(module, sizeof module, "%.*s", slash ? (int)(slash - suffix) : 0, suffix);
        kebab(colon ? colon + 1 : suffix, kebabbed, sizeof kebabbed);
        snprintf(arn, sizeof arn, "arn:aws:%s:%s:%s:%s/%s", module, region, account, kebabbed, id);
    }
    if (kind == ID_ARN) snprintf(id, sizeof id, "%s", arn); /* e.g. an SNS topic's id is its ARN */
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "type", type);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "arn", arn);
    cJSON_AddStringToObject(doc, "account", account);
    cJSON_AddStringToObject(doc, "region", region);
    cJSON *state = inputs && cJSON_IsObject(inputs) ? cJSON_Duplicate(inputs, 1) : cJSON_CreateObject();
    if (!cJSON_GetObjectItemCaseSensitive(state, "arn")) cJSON_AddStringToObject(state, "arn", arn);
    if (!cJSON_GetObjectItemCaseSensitive(state, "id")) cJSON_AddStringToObject(state, "id", id);
    if (!cJSON_GetObjectItemCaseSensitive(state, "name") && kind != ID_PREFIX)
        cJSON_AddStringToObject(state, "name", resolved);
    cJSON_AddItemToObject(doc, "state", state);
    cJSON_AddNumberToObject(doc, "createdMs", (double)clock_now_ms(s));
    char key[900];
    snprintf(key, sizeof key, "%s|%s", type, name);
    db_begin(s);
    rs_put_at(s, "registry", account, region, "resource", key, doc);
    db_commit(s);
    sim_unlock(s);
    resp_json(resp, 200, doc);
}

static void do_list_registry(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    char tb[256], ab[32], rb[64];
    const char *type = qparam(h, "type", tb, sizeof tb);
    const char *account = qparam(h, "account", ab, sizeof ab);
    const char *region = qparam(h, "region", rb, sizeof rb);
    sim_lock(s);
    cJSON *all = rs_list_all(s, "registry", "resource");
    sim_unlock(s);
    cJSON *b = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(b, "resources");
    cJSON *row;
    cJSON_ArrayForEach(row, all) {
        cJSON *doc = cJSON_GetObjectItemCaseSensitive(row, "doc");
        if (type && strcmp(jstr(doc, "type"), type) != 0) continue;
        if (account && strcmp(jstr(doc, "account"), account) != 0) continue;
        if (region && strcmp(jstr(doc, "region"), region) != 0) continue;
        cJSON_AddItemToArray(arr, cJSON_Duplicate(doc, 1));
    }
    cJSON_Delete(all);
    resp_json(resp, 200, b);
}

/* Run a service hook under the lock in one transaction: all of it lands or none. */
static int hook_in_tx(sim_t *s, int (*fn)(sim_t *, const cJSON *, sim_error_t *), const cJSON *body,
                      sim_error_t *e) {
    sim_lock(s);
    db_begin(s);
    int rc = fn(s, body, e);
    if (rc < 0)
        db_rollback(s);
    else
        db_commit(s);
    sim_unlock(s);
    return rc;
}

/* ---- faults: dispatched by "service" ---- */

static void do_faults(sim_t *s, const http_req_t *h, const cJSON *body, http_resp_t *resp) {
    sim_error_t e = {0};
    if (strcmp(h->method, "GET") == 0) {
        cJSON *b = cJSON_CreateObject();
        sim_lock(s);
        cJSON_AddItemToObject(b, "route53",
                              route53_faults_json ? route53_faults_json(s) : cJSON_CreateArray());
        cJSON_AddItemToObject(b, "dms", dms_faults_json ? dms_faults_json(s) : cJSON_CreateArray());
        sim_unlock(s);
        resp_json(resp, 200, b);
        return;
    }
    if (strcmp(h->method, "DELETE") == 0) {
        char ib[128], sb[32];
        const char *id = qparam(h, "id", ib, sizeof ib);
        const char *svc = qparam(h, "service", sb, sizeof sb);
        sim_lock(s);
        int n = 0;
        if ((!svc || strcmp(svc, "route53") == 0) && route53_fault_clear) n += route53_fault_clear(s, id);
        if ((!svc || strcmp(svc, "dms") == 0) && dms_fault_clear) n += dms_fault_clear(s, id);
        sim_unlock(s);
        cJSON *b = cJSON_CreateObject();
        cJSON_AddNumberToObject(b, "cleared", n);
        resp_json(resp, 200, b);
        return;
    }
    const char *svc = jstr(body, "service");
    int (*add)(sim_t *, const cJSON *, sim_error_t *) = NULL;
    if (svc && strcmp(svc, "route53") == 0)
        add = route53_fault_add;
    else if (svc && strcmp(svc, "dms") == 0)
        add = dms_fault_add;
    if (!add) {
        json_error(resp, 400, "InvalidFault", "a fault needs \"service\": \"route53\" or \"dms\"");
        return;
    }
    int rc = hook_in_tx(s, add, body, &e);
    if (rc < 0) {
        json_sim_error(resp, &e);
        return;
    }
    cJSON *b = cJSON_CreateObject();
    cJSON_AddBoolToObject(b, "added", 1);
    cJSON_AddNumberToObject(b, "id", rc);
    resp_json(resp, 200, b);
}

/* Run a service hook that takes a JSON spec inside one transaction. */
static void spec_hook(sim_t *s, int (*fn)(sim_t *, const cJSON *, sim_error_t *), const cJSON *body,
                      http_resp_t *resp) {
    if (!fn) {
        json_error(resp, 501, "NotImplemented", "this hook is not available in this build");
        return;
    }
    sim_error_t e = {0};
    if (hook_in_tx(s, fn, body, &e) < 0) {
        json_sim_error(resp, &e);
        return;
    }
    cJSON *b = cJSON_CreateObject();
    cJSON_AddBoolToObject(b, "ok", 1);
    resp_json(resp, 200, b);
}

static void do_resolve(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    char nb[300], tb[16], sb[16], ab[32];
    const char *name = qparam(h, "name", nb, sizeof nb);
    const char *type = qparam(h, "type", tb, sizeof tb);
    const char *samples = qparam(h, "samples", sb, sizeof sb);
    const char *account = qparam(h, "account", ab, sizeof ab);
    char cb[64];
    const char *client = qparam(h, "clientIp", cb, sizeof cb);
    if (!route53_resolve || !route53_resolve_from) {
        json_error(resp, 501, "NotImplemented", "Route 53 resolver not available");
        return;
    }
    if (!name) {
        json_error(resp, 400, "InvalidQuery", "name is required");
        return;
    }
    cJSON *b = cJSON_CreateObject();
    sim_lock(s);
    int rc = route53_resolve_from(s, account ? account : DEFAULT_ACCOUNT, name, type ? type : "A",
                                  samples ? atoi(samples) : 1, client, b);
    sim_unlock(s);
    if (rc < 0) {
        cJSON_Delete(b);
        json_error(resp, 404, "NXDOMAIN", name);
        return;
    }
    resp_json(resp, 200, b);
}

/* {"changeDelaySeconds": N}: how long Route 53 changes stay PENDING (0 = INSYNC at once). */
static void do_route53_config(sim_t *s, const cJSON *body, http_resp_t *resp) {
    cJSON *d = cJSON_GetObjectItemCaseSensitive(body, "changeDelaySeconds");
    if (!route53_set_change_delay) {
        json_error(resp, 501, "NotImplemented", "Route 53 is not available in this build");
        return;
    }
    if (!cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > MAX_VIRTUAL_SECONDS) {
        json_error(resp, 400, "InvalidConfig", "expected {\"changeDelaySeconds\": 0..3153600000 seconds}");
        return;
    }
    sim_lock(s);
    int rc = route53_set_change_delay(s, (int64_t)(d->valuedouble * 1000.0 + 0.5));
    sim_unlock(s);
    if (rc < 0) {
        json_error(resp, 400, "InvalidConfig", "could not set the change delay");
        return;
    }
    cJSON *b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "changeDelaySeconds", d->valuedouble);
    resp_json(resp, 200, b);
}

static void do_metrics(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    char nb[64], ab[32], rb[64];
    const char *ns = qparam(h, "namespace", nb, sizeof nb);
    const char *account = qparam(h, "account", ab, sizeof ab);
    const char *region = qparam(h, "region", rb, sizeof rb);
    int r53 = ns && strcmp(ns, "AWS/Route53") == 0 && route53_metrics_json;
    if (!r53 && (!ns || strcmp(ns, "AWS/DMS") != 0 || !dms_metrics_json)) {
        json_error(resp, 400, "InvalidNamespace", "supported namespaces: AWS/DMS, AWS/Route53");
        return;
    }
    cJSON *b = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(b, "metrics");
    sim_lock(s);
    if (r53)
        route53_metrics_json(s, account, region, arr);
    else
        dms_metrics_json(s, account, region, arr);
    sim_unlock(s);
    resp_json(resp, 200, b);
}

static void do_ram_visible(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    char ab[32], rb[700];
    const char *account = qparam(h, "account", ab, sizeof ab);
    const char *arn = qparam(h, "arn", rb, sizeof rb);
    if (!ram_resource_visible) {
        json_error(resp, 501, "NotImplemented", "RAM is not available in this build");
        return;
    }
    if (!account || !arn) {
        json_error(resp, 400, "InvalidQuery", "account and arn are required");
        return;
    }
    sim_lock(s);
    int visible = ram_resource_visible(s, account, arn);
    sim_unlock(s);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddBoolToObject(b, "visible", visible == 1);
    resp_json(resp, 200, b);
}

static void do_messages(sim_t *s, http_resp_t *resp) {
    cJSON *b = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(b, "messages");
    if (sfn_messages_json) {
        sim_lock(s);
        sfn_messages_json(s, arr);
        sim_unlock(s);
    }
    resp_json(resp, 200, b);
}

void control_handle(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    const char *p = h->path + 9; /* after "/_awssim/" */
    if (strncmp(h->path, "/_awssim/", 9) != 0) p = "";
    int get = strcmp(h->method, "GET") == 0, post = strcmp(h->method, "POST") == 0;
    cJSON *body = NULL;
    if (h->body_len) {
        body = cJSON_ParseWithLength(h->body, h->body_len);
        if (!body) {
            json_error(resp, 400, "InvalidJson", "the request body is not valid JSON");
            return;
        }
    }
    if (strcmp(p, "health") == 0 && get)
        do_health(s, resp);
    else if (strcmp(p, "reset") == 0 && post) {
        sim_reset(s);
        cJSON *b = cJSON_CreateObject();
        cJSON_AddBoolToObject(b, "reset", 1);
        resp_json(resp, 200, b);
    } else if (strcmp(p, "clock") == 0 && get)
        do_clock(s, NULL, resp);
    else if (strcmp(p, "clock") == 0 && post && !body)
        json_error(resp, 400, "InvalidClock", "expected {\"advance\": seconds} or {\"set\": ISO-8601}");
    else if (strcmp(p, "clock") == 0 && post)
        do_clock(s, body, resp);
    else if (strcmp(p, "requests") == 0 && get)
        do_requests(s, h, resp);
    else if (strcmp(p, "snapshot") == 0 && post)
        do_snapshot(s, body, 0, resp);
    else if (strcmp(p, "restore") == 0 && post)
        do_snapshot(s, body, 1, resp);
    else if (strcmp(p, "resources") == 0 && post)
        do_register(s, body, resp);
    else if (strcmp(p, "resources") == 0 && get)
        do_list_registry(s, h, resp);
    else if (strcmp(p, "faults") == 0)
        do_faults(s, h, body, resp);
    else if (strcmp(p, "sfn/mock-config") == 0)
        do_mock_config(s, h, resp);
    else if (strcmp(p, "messages") == 0 && get)
        do_messages(s, resp);
    else if (strcmp(p, "route53/resolve") == 0 && get)
        do_resolve(s, h, resp);
    else if (strcmp(p, "dms/tables") == 0 && post)
        spec_hook(s, dms_set_tables, body, resp);
    else if (strcmp(p, "ram/organization") == 0 && post)
        spec_hook(s, ram_set_organization, body, resp);
    else if (strcmp(p, "route53/config") == 0 && post)
        do_route53_config(s, body, resp);
    else if (strcmp(p, "ram/visible") == 0 && get)
        do_ram_visible(s, h, resp);
    else if (strcmp(p, "metrics") == 0 && get)
        do_metrics(s, h, resp);
    else
        json_error(resp, 404, "NotFound", "unknown control endpoint; see README 'Control API'");
    cJSON_Delete(body);
}
