/*
 * test_cov_route53_quotas.c — Route 53's default quotas, each filled to the limit through the
 * operations and then exceeded by one: hosted zones (500), zones per reusable delegation set (100),
 * reusable delegation sets (100), VPCs per private zone (300), VPC association authorizations per
 * zone (100), record sets per zone (10,000) and versions per traffic policy (1,000). The error
 * codes are the ones botocore's model lists for each operation.
 */
#include <stdio.h>

#include "testutil.h"

#include "core/util.h"

static sim_t *S;

static void setup(void) {
    S = test_sim();
}

static void teardown(void) {
    test_sim_free(S);
}

TestSuite(route53_quotas, .init = setup, .fini = teardown, .timeout = 120);

static cJSON *ok(const char *op, const char *json) {
    cJSON *out = NULL;
    sim_error_t e;
    int rc = test_call(S, "route53", TEST_ACCOUNT, op, json, &out, &e);
    cr_assert_eq(rc, 0, "%s failed: %s: %s", op, e.code, e.message);
    return out;
}

static sim_error_t fails(const char *op, const char *json) {
    cJSON *out = NULL;
    sim_error_t e;
    int rc = test_call(S, "route53", TEST_ACCOUNT, op, json, &out, &e);
    cr_assert_neq(rc, 0, "%s unexpectedly succeeded", op);
    cJSON_Delete(out);
    return e;
}

/* Create a zone; returns its bare id in `id` (64 bytes). */
static void zone(const char *name, const char *ref, const char *extra, char *id) {
    char in[512];
    snprintf(in, sizeof in, "{\"Name\":\"%s\",\"CallerReference\":\"%s\"%s}", name, ref, extra ? extra : "");
    cJSON *out = ok("CreateHostedZone", in);
    const char *full = cJSON_GetObjectItem(cJSON_GetObjectItem(out, "HostedZone"), "Id")->valuestring;
    snprintf(id, 64, "%s", full + strlen("/hostedzone/"));
    cJSON_Delete(out);
}

static void expect(sim_error_t e, const char *code, const char *message) {
    cr_assert_str_eq(e.code, code);
    cr_assert_eq(e.status, 400);
    if (message) cr_assert_str_eq(e.message, message);
}

Test(route53_quotas, hosted_zones_per_account) {
    char id[64], name[64], ref[32];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "z%d.example", i);
        snprintf(ref, sizeof ref, "r%d", i);
        zone(name, ref, NULL, id);
    }
    expect(fails("CreateHostedZone", "{\"Name\":\"one-more.example\",\"CallerReference\":\"x\"}"),
           "TooManyHostedZones",
           "This operation would exceed the maximum number of hosted zones for this account.");
    cJSON *lim = ok("GetAccountLimit", "{\"Type\":\"MAX_HOSTED_ZONES_BY_OWNER\"}");
    cr_assert_eq(cJSON_GetObjectItem(lim, "Count")->valueint, 500);
    cJSON_Delete(lim);
}

Test(route53_quotas, zones_per_delegation_set_and_sets_per_account) {
    cJSON *d = ok("CreateReusableDelegationSet", "{\"CallerReference\":\"set-0\"}");
    char dsid[64];
    snprintf(dsid, sizeof dsid, "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(d, "DelegationSet"), "Id")->valuestring);
    cJSON_Delete(d);
    const char *bare = strrchr(dsid, '/') ? strrchr(dsid, '/') + 1 : dsid;
    char id[64], name[64], ref[32], extra[128];
    snprintf(extra, sizeof extra, ",\"DelegationSetId\":\"%s\"", bare);
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "d%d.example", i);
        snprintf(ref, sizeof ref, "r%d", i);
        zone(name, ref, extra, id);
    }
    char in[256];
    snprintf(in, sizeof in, "{\"Name\":\"d100.example\",\"CallerReference\":\"r100\"%s}", extra);
    expect(fails("CreateHostedZone", in), "DelegationSetNotAvailable",
           "The delegation set has reached its limit of hosted zones.");
    for (int i = 1; i < 100; i++) {
        snprintf(in, sizeof in, "{\"CallerReference\":\"set-%d\"}", i);
        cJSON_Delete(ok("CreateReusableDelegationSet", in));
    }
    expect(fails("CreateReusableDelegationSet", "{\"CallerReference\":\"set-100\"}"), "LimitsExceeded",
           "Limits Exceeded: MAX_REUSABLE_DELEGATION_SETS_BY_OWNER");
}

Test(route53_quotas, vpcs_per_zone_and_authorizations) {
    char zid[64], in[512];
    zone("private.internal", "p", ",\"VPC\":{\"VPCId\":\"vpc-00000000\",\"VPCRegion\":\"us-east-1\"}", zid);
    for (int i = 1; i < 300; i++) {
        snprintf(in, sizeof in,
                 "{\"HostedZoneId\":\"%s\",\"VPC\":{\"VPCId\":\"vpc-%08x\",\"VPCRegion\":\"us-east-1\"}}",
                 zid, i);
        cJSON_Delete(ok("AssociateVPCWithHostedZone", in));
    }
    snprintf(in, sizeof in,
             "{\"HostedZoneId\":\"%s\",\"VPC\":{\"VPCId\":\"vpc-%08x\",\"VPCRegion\":\"us-east-1\"}}", zid,
             300);
    expect(fails("AssociateVPCWithHostedZone", in), "LimitsExceeded",
           "Limits Exceeded: MAX_VPCS_ASSOCIATED_BY_ZONE");
    for (int i = 0; i < 100; i++) {
        snprintf(in, sizeof in,
                 "{\"HostedZoneId\":\"%s\",\"VPC\":{\"VPCId\":\"vpc-%08x\",\"VPCRegion\":\"eu-west-1\"}}",
                 zid, i);
        cJSON_Delete(ok("CreateVPCAssociationAuthorization", in));
    }
    /* authorizing an already authorized VPC again is not a new authorization */
    snprintf(in, sizeof in,
             "{\"HostedZoneId\":\"%s\",\"VPC\":{\"VPCId\":\"vpc-%08x\",\"VPCRegion\":\"eu-west-1\"}}", zid,
             7);
    cJSON_Delete(ok("CreateVPCAssociationAuthorization", in));
    snprintf(in, sizeof in,
             "{\"HostedZoneId\":\"%s\",\"VPC\":{\"VPCId\":\"vpc-%08x\",\"VPCRegion\":\"eu-west-1\"}}", zid,
             100);
    expect(fails("CreateVPCAssociationAuthorization", in), "TooManyVPCAssociationAuthorizations", NULL);
}

/* One ChangeResourceRecordSets call creating `count` A records named r<base+i>.example.com. */
static int create_records(const char *zid, int base, int count, sim_error_t *e) {
    strbuf_t b;
    sb_init(&b);
    sb_printf(&b, "{\"HostedZoneId\":\"%s\",\"ChangeBatch\":{\"Changes\":[", zid);
    for (int i = 0; i < count; i++)
        sb_printf(
            &b,
            "%s{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"r%d.example.com\",\"Type\":\"A\","
            "\"TTL\":60,\"ResourceRecords\":[{\"Value\":\"192.0.2.1\"}]}}",
            i ? "," : "", base + i);
    sb_puts(&b, "]}}");
    cJSON *out = NULL;
    int rc = test_call(S, "route53", TEST_ACCOUNT, "ChangeResourceRecordSets", b.buf, &out, e);
    sb_free(&b);
    cJSON_Delete(out);
    return rc;
}

Test(route53_quotas, record_sets_per_zone) {
    char zid[64];
    zone("example.com", "z", NULL, zid);
    sim_error_t e;
    /* the apex SOA and NS count too: 2 + 9,998 = 10,000 */
    for (int k = 0; k < 10; k++)
        cr_assert_eq(create_records(zid, k * 1000, k < 9 ? 1000 : 998, &e), 0, "%s", e.message);
    cr_assert_neq(create_records(zid, 20000, 1, &e), 0);
    char want[200];
    snprintf(want, sizeof want, "[The number of records exceeds the limit of 10000 for the hosted zone %s]",
             zid);
    expect(e, "InvalidChangeBatch", want);
}

Test(route53_quotas, versions_per_traffic_policy) {
    const char *doc =
        "{\\\"AWSPolicyFormatVersion\\\":\\\"2015-10-01\\\",\\\"RecordType\\\":\\\"A\\\","
        "\\\"StartEndpoint\\\":\\\"e\\\",\\\"Endpoints\\\":{\\\"e\\\":{\\\"Type\\\":\\\"value\\\","
        "\\\"Value\\\":\\\"192.0.2.1\\\"}}}";
    char in[512];
    snprintf(in, sizeof in, "{\"Name\":\"tp\",\"Document\":\"%s\"}", doc);
    cJSON *out = ok("CreateTrafficPolicy", in);
    char id[64];
    snprintf(id, sizeof id, "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(out, "TrafficPolicy"), "Id")->valuestring);
    cJSON_Delete(out);
    snprintf(in, sizeof in, "{\"Id\":\"%s\",\"Document\":\"%s\"}", id, doc);
    for (int v = 2; v <= 1000; v++)
        cJSON_Delete(ok("CreateTrafficPolicyVersion", in));
    expect(
        fails("CreateTrafficPolicyVersion", in), "TooManyTrafficPolicyVersionsForCurrentPolicy",
        "This traffic policy version can't be created because you've reached the limit of 1000 on the number "
        "of versions that you can create for the current traffic policy.");
}
