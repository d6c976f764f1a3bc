/*
 * test_dms_quota.c — DMS account quotas (endpoints, replication tasks, Schema Conversion resources) with
 * the store pre-filled up to the quota, so the refusal is tested without a thousand API calls; and
 * timers of a kind DMS does not know (state written by another version) are dropped without harm.
 */
#include <stdio.h>

#include "services/dms.h"
#include "testutil.h"

static sim_t *S;

static void setup(void) {
    S = test_sim();
}
static void teardown(void) {
    test_sim_free(S);
}

static req_t req(void) {
    return test_req(S, "dms", "test");
}

/* n stored documents of a type, named <id_field> = <prefix><i> */
static void fill(const char *type, const char *id_field, const char *prefix, int n) {
    req_t r = req();
    for (int i = 0; i < n; i++) {
        char arn[128], id[64];
        snprintf(arn, sizeof arn, "arn:aws:dms:us-east-1:%s:%s:FILL%d", TEST_ACCOUNT, type, i);
        snprintf(id, sizeof id, "%s%d", prefix, i);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "_arn", arn);
        cJSON_AddStringToObject(d, id_field, id);
        rs_put(&r, type, arn, d);
        cJSON_Delete(d);
    }
}

static cJSON *ok(const char *op, const char *json) {
    cJSON *out = NULL;
    sim_error_t e;
    cr_assert_eq(test_call(S, "dms", TEST_ACCOUNT, op, json, &out, &e), 0, "%s: %s %s", op, e.code,
                 e.message);
    return out;
}

static void quota_refused(const char *op, const char *json, const char *msg) {
    cJSON *out = NULL;
    sim_error_t e;
    cr_assert_neq(test_call(S, "dms", TEST_ACCOUNT, op, json, &out, &e), 0, "%s succeeded past the quota",
                  op);
    cr_assert_str_eq(e.code, "ResourceQuotaExceededFault");
    cr_assert(strstr(e.message, msg), "%s: '%s' lacks '%s'", op, e.message, msg);
}

TestSuite(dms_quota, .init = setup, .fini = teardown);

/* AWS quota: 1000 endpoints per account and region */
Test(dms_quota, endpoints) {
    fill("endpoint", "EndpointIdentifier", "ep", 999);
    cJSON_Delete(ok("CreateEndpoint", "{\"EndpointIdentifier\":\"last\",\"EndpointType\":\"target\","
                                      "\"EngineName\":\"s3\"}"));
    quota_refused("CreateEndpoint",
                  "{\"EndpointIdentifier\":\"one-more\",\"EndpointType\":\"target\",\"EngineName\":\"s3\"}",
                  "quota for endpoints");
}

/* AWS quota: 600 replication tasks per account and region */
Test(dms_quota, replication_tasks) {
    cJSON *o = ok("CreateReplicationInstance",
                  "{\"ReplicationInstanceIdentifier\":\"ri\",\"ReplicationInstanceClass\":\"dms.t3.small\"}");
    char ri[256];
    snprintf(ri, sizeof ri, "%s",
             jstr(cJSON_GetObjectItem(o, "ReplicationInstance"), "ReplicationInstanceArn"));
    cJSON_Delete(o);
    clock_advance(S, 300 * 1000);
    char src[256], tgt[256], buf[2048];
    o = ok("CreateEndpoint",
           "{\"EndpointIdentifier\":\"s\",\"EndpointType\":\"source\",\"EngineName\":\"mysql\"}");
    snprintf(src, sizeof src, "%s", jstr(cJSON_GetObjectItem(o, "Endpoint"), "EndpointArn"));
    cJSON_Delete(o);
    o = ok("CreateEndpoint",
           "{\"EndpointIdentifier\":\"t\",\"EndpointType\":\"target\",\"EngineName\":\"mysql\"}");
    snprintf(tgt, sizeof tgt, "%s", jstr(cJSON_GetObjectItem(o, "Endpoint"), "EndpointArn"));
    cJSON_Delete(o);
    fill("task", "ReplicationTaskIdentifier", "t", 600);
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationTaskIdentifier\":\"one-more\",\"SourceEndpointArn\":\"%s\",\"TargetEndpointArn\":\"%"
        "s\","
        "\"ReplicationInstanceArn\":\"%s\",\"MigrationType\":\"full-load\",\"TableMappings\":"
        "\"{\\\"rules\\\":[{\\\"rule-type\\\":\\\"selection\\\",\\\"rule-id\\\":\\\"1\\\",\\\"rule-name\\\":"
        "\\\"1\\\",\\\"object-locator\\\":{\\\"schema-name\\\":\\\"s\\\",\\\"table-name\\\":\\\"t\\\"},"
        "\\\"rule-action\\\":\\\"include\\\"}]}\"}",
        src, tgt, ri);
    quota_refused("CreateReplicationTask", buf, "quota for replication tasks");
}

/* Schema Conversion resources: 1000 of each kind */
Test(dms_quota, instance_profiles) {
    fill("instance-profile", "InstanceProfileName", "ip", 1000);
    quota_refused("CreateInstanceProfile", "{\"InstanceProfileName\":\"one-more\"}", "Instance Profiles");
}

/* A timer of an unknown kind (state from another awssim version) is logged and dropped; DMS keeps working. */
Test(dms_quota, unknown_timer_kind_is_dropped) {
    cJSON *o = ok("CreateReplicationInstance",
                  "{\"ReplicationInstanceIdentifier\":\"ri\",\"ReplicationInstanceClass\":\"dms.t3.small\"}");
    cJSON_Delete(o);
    timer_schedule(S, clock_now_ms(S) + 1000, "dms", "teleport", TEST_ACCOUNT, "us-east-1", "ref", "");
    clock_advance(S, 300 * 1000);
    o = ok("DescribeReplicationInstances", "{}");
    cJSON *ri = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "ReplicationInstances"), 0);
    cr_assert_str_eq(jstr(ri, "ReplicationInstanceStatus"), "available");
    cJSON_Delete(o);
}
