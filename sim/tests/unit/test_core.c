/*
 * test_core.c — unit tests of the core: SigV4 (AWS's published get-vanilla vector), the clock
 * and its timers, the store, model validation, the codecs' conversions.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/auth.h"
#include "core/ere.h"
#include "core/rng.h"
#include "core/util.h"
#include "proto/proto.h"
#include "testutil.h"

typedef struct {
    const char *names[8];
    const char *values[8];
} hdrs_t;

static const char *hdr(void *ctx, const char *name) {
    hdrs_t *h = ctx;
    for (int i = 0; i < 8 && h->names[i]; i++)
        if (strcasecmp(h->names[i], name) == 0) return h->values[i];
    return NULL;
}

/* aws-sig-v4-test-suite "get-vanilla": GET / with Host and X-Amz-Date, service "service". */
Test(sigv4, aws_get_vanilla_vector) {
    hdrs_t h = {{"Host", "X-Amz-Date", "Authorization"},
                {"example.amazonaws.com", "20150830T123600Z",
                 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                 "SignedHeaders=host;x-amz-date, "
                 "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}};
    http_req_t req = {
        .method = "GET", .path = "/", .query = NULL, .body = "", .body_len = 0, .header = hdr, .hctx = &h};
    sigv4_t sig;
    cr_assert_eq(sigv4_parse(&req, &sig), 0);
    cr_assert_str_eq(sig.access_key, "AKIDEXAMPLE");
    cr_assert_str_eq(sig.region, "us-east-1");
    cr_assert_str_eq(sig.service, "service");
    char out[65];
    sigv4_sign(&req, &sig, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", out);
    cr_assert_str_eq(out, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

/* "get-vanilla-query-order-key-case": parameters are sorted by key in the canonical query. */
Test(sigv4, aws_query_order_vector) {
    hdrs_t h = {{"Host", "X-Amz-Date", "Authorization"},
                {"example.amazonaws.com", "20150830T123600Z",
                 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                 "SignedHeaders=host;x-amz-date, Signature=x"}};
    http_req_t req = {.method = "GET",
                      .path = "/",
                      .query = "Param2=value2&Param1=value1",
                      .body = "",
                      .body_len = 0,
                      .header = hdr,
                      .hctx = &h};
    sigv4_t sig;
    cr_assert_eq(sigv4_parse(&req, &sig), 0);
    char out[65];
    sigv4_sign(&req, &sig, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", out);
    cr_assert_str_eq(out, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

/* Signing keys are cached per thread by secret and scope: another secret with the same scope, more
 * scopes than the cache holds, and a secret too long to cache must each still sign exactly. The other
 * expected signatures were computed with Python's hmac/hashlib from the same canonical request. */
static void sign_vanilla(const char *secret, const char *date, char out[65]) {
    char auth[256];
    snprintf(auth, sizeof auth,
             "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/%s/us-east-1/service/aws4_request, "
             "SignedHeaders=host;x-amz-date, Signature=x",
             date);
    hdrs_t h = {{"Host", "X-Amz-Date", "Authorization"}, {"example.amazonaws.com", "20150830T123600Z", auth}};
    http_req_t req = {.method = "GET", .path = "/", .body = "", .header = hdr, .hctx = &h};
    sigv4_t sig;
    cr_assert_eq(sigv4_parse(&req, &sig), 0);
    sigv4_sign(&req, &sig, secret, out);
}

Test(sigv4, signing_key_cache) {
    const char *a = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const char *vector = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    char out[65], seen[12][65];
    sign_vanilla(a, "20150830", out);
    cr_assert_str_eq(out, vector);
    sign_vanilla("otherSecretKeyEXAMPLEotherSecretKeyEXAM", "20150830", out);
    cr_assert_str_eq(out, "68bdded70b0f3a3c81396da4b851f613aa3df514709a62a039018f3ed300d50d");
    sign_vanilla(a, "20150830", out);
    cr_assert_str_eq(out, vector);
    for (int i = 0; i < 12; i++) { /* more scopes than the cache's 8 slots: every one distinct */
        char date[16];
        snprintf(date, sizeof date, "201509%02d", i + 1);
        sign_vanilla(a, date, seen[i]);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(seen[i], seen[j]);
        cr_assert_str_neq(seen[i], vector);
    }
    sign_vanilla(a, "20150830", out);
    cr_assert_str_eq(out, vector);
    char longsecret[141];
    memset(longsecret, 'L', 140);
    longsecret[140] = 0;
    for (int i = 0; i < 2; i++) {
        sign_vanilla(longsecret, "20150830", out);
        cr_assert_str_eq(out, "7cde5bbc1b5e2f7df09621351c4adff0e0c6d11f489cd1536d2ca9192e2b583b");
    }
    sign_vanilla(a, "20150830", out);
    cr_assert_str_eq(out, vector);
}

Test(sigv4, malformed_and_absent) {
    hdrs_t h = {{"Authorization"}, {"AWS4-HMAC-SHA256 Credential=AKID/2015/us-east-1"}};
    http_req_t req = {.method = "GET", .path = "/", .header = hdr, .hctx = &h};
    sigv4_t sig;
    cr_assert_eq(sigv4_parse(&req, &sig), -1);
    hdrs_t none = {{NULL}, {NULL}};
    req.hctx = &none;
    cr_assert_eq(sigv4_parse(&req, &sig), 1);
}

Test(clock, timers_fire_in_order_at_due_time) {
    sim_t *s = test_sim();
    /* sts has no on_timer: its timers are popped in order without effect */
    timer_schedule(s, TEST_EPOCH_MS + 5000, "sts", "k", "1", "us-east-1", "ref", "2");
    timer_schedule(s, TEST_EPOCH_MS + 1000, "sts", "k", "1", "us-east-1", "ref", "1");
    cr_assert_eq(timer_next_due(s), TEST_EPOCH_MS + 1000);
    cr_assert_eq(clock_advance(s, 999), 0);
    cr_assert_eq(clock_advance(s, 1), 1, "the earlier timer fires exactly at its due time");
    cr_assert_eq(timer_next_due(s), TEST_EPOCH_MS + 5000);
    cr_assert_eq(clock_advance(s, 10000), 1);
    cr_assert_eq(clock_now_ms(s), TEST_EPOCH_MS + 11000);
    cr_assert_eq(timer_next_due(s), -1);
    cr_assert_eq(clock_set(s, TEST_EPOCH_MS), -1, "time never goes backwards");
    test_sim_free(s);
}

Test(clock, cancel_and_formats) {
    sim_t *s = test_sim();
    timer_schedule(s, TEST_EPOCH_MS + 1000, "sts", "a", "1", "r", "x", "");
    timer_schedule(s, TEST_EPOCH_MS + 1000, "sts", "b", "1", "r", "x", "");
    cr_assert_eq(timer_cancel(s, "sts", "a", "x"), 1);
    cr_assert_eq(timer_cancel(s, "sts", NULL, "x"), 1);
    char buf[32];
    fmt_iso8601(TEST_EPOCH_MS, buf);
    cr_assert_str_eq(buf, "2026-01-01T00:00:00Z");
    fmt_iso8601(TEST_EPOCH_MS + 5, buf);
    cr_assert_str_eq(buf, "2026-01-01T00:00:00.005Z");
    fmt_rfc1123(TEST_EPOCH_MS, buf);
    cr_assert_str_eq(buf, "Thu, 01 Jan 2026 00:00:00 GMT");
    cr_assert_eq(parse_iso8601("2026-01-01T00:00:00Z"), TEST_EPOCH_MS);
    cr_assert_eq(parse_iso8601("2026-01-01T01:00:00+01:00"), TEST_EPOCH_MS);
    cr_assert_eq(parse_iso8601("2026-01-01T00:00:00.250Z"), TEST_EPOCH_MS + 250);
    cr_assert_eq(parse_iso8601("1767225600"), TEST_EPOCH_MS);
    cr_assert_eq(parse_iso8601("yesterday"), -1);
    cr_assert_eq(parse_iso8601("2026-13-01T00:00:00Z"), -1);
    test_sim_free(s);
}

Test(rng, seeded_and_shaped) {
    sim_t *a = test_sim(), *b = test_sim();
    char u1[37], u2[37];
    rng_uuid(a, u1);
    rng_uuid(b, u2);
    cr_assert_str_eq(u1, u2, "same seed, same ids");
    cr_assert_eq(u1[14], '4');
    cr_assert(strchr("89ab", u1[19]));
    char k[21];
    rng_upper_alnum(a, k, 20);
    cr_assert_eq(strlen(k), 20);
    for (int i = 0; i < 20; i++)
        cr_assert((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9'));
    double u = rng_unit(a);
    cr_assert(u >= 0 && u < 1);
    test_sim_free(a);
    test_sim_free(b);
}

Test(rng, streams_and_saved_positions) {
    sim_t *a = test_sim(), *b = test_sim();
    char u1[37], u2[37];
    rng_seed_stream(b, a->seed, 0); /* stream 0 is the seed itself */
    rng_uuid(a, u1);
    rng_uuid(b, u2);
    cr_assert_str_eq(u1, u2);
    rng_seed_stream(a, a->seed, 1);
    rng_seed_stream(b, b->seed, 2);
    rng_uuid(a, u1);
    rng_uuid(b, u2);
    cr_assert_str_neq(u1, u2, "streams 1 and 2 differ");
    /* a saved position continues the same sequence, on another sim too */
    char pos[65];
    rng_save(a, pos);
    cr_assert_eq(strlen(pos), 64);
    cr_assert_eq(rng_load(b, pos), 0);
    cr_assert_eq(rng_next(a), rng_next(b));
    uint64_t before = b->rng_state[0];
    cr_assert_eq(rng_load(b, "12"), -1, "too short");
    cr_assert_eq(rng_load(b, "0000000000000000000000000000000000000000000000000000000000000000"), -1,
                 "all zero is not a xoshiro state");
    char bad[66];
    memcpy(bad, pos, 64);
    bad[64] = '0', bad[65] = 0;
    cr_assert_eq(rng_load(b, bad), -1, "too long");
    bad[64] = 0, bad[3] = 'G';
    cr_assert_eq(rng_load(b, bad), -1, "not hex");
    cr_assert_eq(b->rng_state[0], before, "a refused position leaves the generator alone");
    test_sim_free(a);
    test_sim_free(b);
}

Test(ere, repetitions_are_sized_before_compiling) {
    cr_assert_float_eq(ere_expanded_size("abc"), 3, 1e-9);
    cr_assert_float_eq(ere_expanded_size("a+"), 2, 1e-9, "x+ is compiled as x x*");
    cr_assert_float_eq(ere_expanded_size("(ab)+c"), 5, 1e-9);
    cr_assert_float_eq(ere_expanded_size("a{3}b*"), 4, 1e-9);
    cr_assert_float_eq(ere_expanded_size("[+*]+\\+"), 3, 1e-9, "bracket contents and escapes are atoms");
    cr_assert_float_eq(ere_expanded_size("[]+]"), 1, 1e-9, "a leading ] is part of the bracket");
    cr_assert_float_eq(ere_expanded_size("[[:digit:]]{4}"), 4, 1e-9);
    cr_assert_float_eq(ere_expanded_size("a{x}"), 4, 1e-9, "not an interval: literal characters");
    cr_assert_gt(ere_expanded_size("((((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+"), ERE_MAX_ELEMENTS);
    cr_assert_gt(ere_expanded_size("(a{1,100}){1,100}{1,100}"), ERE_MAX_ELEMENTS);
    regex_t re;
    cr_assert_eq(ere_compile(&re, "((((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+", REG_EXTENDED),
                 REG_ESPACE);
    cr_assert_eq(ere_compile(&re, "^[a-z]+-[0-9]{2}$", REG_EXTENDED | REG_NOSUB), 0);
    cr_assert_eq(regexec(&re, "ab-12", 0, NULL, 0), 0);
    regfree(&re);
}

Test(store, documents_scoped_by_account) {
    sim_t *s = test_sim();
    cJSON *doc = cJSON_Parse("{\"a\":1}");
    cr_assert_eq(rs_put_at(s, "svc", "111111111111", "us-east-1", "thing", "id1", doc), 0);
    cr_assert_eq(rs_put_at(s, "svc", "111111111111", "us-east-1", "thing", "id2", doc), 0);
    cJSON *got = rs_get_at(s, "svc", "111111111111", "us-east-1", "thing", "id1");
    cr_assert_not_null(got);
    cr_assert_eq(cJSON_GetObjectItem(got, "a")->valueint, 1);
    cJSON_Delete(got);
    cr_assert_null(rs_get_at(s, "svc", "222222222222", "us-east-1", "thing", "id1"));
    cJSON *all = rs_list_all(s, "svc", "thing");
    cr_assert_eq(cJSON_GetArraySize(all), 2);
    cJSON_Delete(all);
    cr_assert_eq(rs_del_at(s, "svc", "111111111111", "us-east-1", "thing", "id1"), 1);
    cr_assert_eq(meta_next_seq(s, "n"), 1);
    cr_assert_eq(meta_next_seq(s, "n"), 2);
    cr_assert_eq(sim_reset(s), 0);
    cr_assert_null(rs_get_at(s, "svc", "111111111111", "us-east-1", "thing", "id2"));
    cJSON_Delete(doc);
    test_sim_free(s);
}

/* The schema every row of sqlite_master describes, and the pragmas that decide how rows are kept. */
static char *schema_text(sqlite3 *db) {
    sqlite3_stmt *st;
    cr_assert_eq(
        sqlite3_prepare_v2(db,
                           "SELECT group_concat(type||' '||name||' '||tbl_name||' '||coalesce(sql,''), "
                           "char(10)) FROM (SELECT * FROM sqlite_master ORDER BY name)",
                           -1, &st, NULL),
        SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    char *text = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    const char *pragmas[] = {"user_version", "page_size", "encoding", "auto_vacuum"};
    for (int i = 0; i < 4; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA %s", pragmas[i]);
        cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
        char *more = NULL;
        cr_assert(asprintf(&more, "%s\n%s=%s", text, pragmas[i], sqlite3_column_text(st, 0)) > 0);
        free(text);
        text = more;
        sqlite3_finalize(st);
    }
    return text;
}

Test(store, schema_image_is_the_schema_its_statements_create) {
    sim_t *img = test_sim(); /* ":memory:" from the linked image */
    static sim_t fresh;
    cr_assert_eq(store_open_ex(&fresh, ":memory:", STORE_NO_IMAGE), 0);
    char *a = schema_text(img->db), *b = schema_text(fresh.db);
    cr_assert(strstr(a, "table awssim_resources") && strstr(a, "table sfn_exec") &&
                  strstr(a, "user_version=1"),
              "%s", a);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    store_close(&fresh);
    /* the image-backed store takes writes, survives a reset and round-trips a snapshot */
    cJSON *doc = cJSON_Parse("{\"k\":\"v\"}");
    cr_assert_eq(rs_put_at(img, "svc", "111111111111", "us-east-1", "t", "x", doc), 0);
    char path[] = "/tmp/awssim-imgXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    cr_assert_eq(store_snapshot(img, path), 0);
    cr_assert_eq(sim_reset(img), 0);
    cr_assert_null(rs_get_at(img, "svc", "111111111111", "us-east-1", "t", "x"));
    cr_assert_eq(store_restore(img, path), 0);
    cJSON *got = rs_get_at(img, "svc", "111111111111", "us-east-1", "t", "x");
    cr_assert_not_null(got);
    cr_assert_str_eq(cJSON_GetObjectItem(got, "k")->valuestring, "v");
    cJSON_Delete(got);
    cJSON_Delete(doc);
    unlink(path);
    test_sim_free(img);
}

Test(store, image_encoding_round_trips_zero_runs_and_literals) {
    unsigned char db[5000] = {0};
    memcpy(db + 3, "abc", 3);
    db[100] = 1, db[110] = 2; /* a short zero run stays inside the literal */
    db[4999] = 9;
    unsigned char *img;
    size_t len;
    cr_assert_eq(store_encode_image(db, sizeof db, &img, &len), 0);
    cr_assert_lt(len, 100);
    cr_assert_eq(memcmp(img, "AWSSIMG1", 8), 0);
    /* decoded through a store: a damaged image is refused, so check the format by hand here */
    unsigned char out[5000];
    size_t at = 0, i = 12;
    while (i < len) {
        unsigned z = img[i] | img[i + 1] << 8 | img[i + 2] << 16 | (unsigned)img[i + 3] << 24;
        unsigned l = img[i + 4] | img[i + 5] << 8 | img[i + 6] << 16 | (unsigned)img[i + 7] << 24;
        i += 8;
        memset(out + at, 0, z);
        memcpy(out + at + z, img + i, l);
        at += z + l, i += l;
    }
    cr_assert_eq(at, sizeof db);
    cr_assert_eq(memcmp(out, db, sizeof db), 0);
    free(img);
}

Test(model, validation_messages) {
    model_t *m = model_get("sts");
    cr_assert_not_null(m);
    const cJSON *op = model_operation(m, "AssumeRole");
    cJSON *in = cJSON_Parse("{\"RoleArn\":\"arn:aws:iam::111111111111:role/r\",\"RoleSessionName\":\"a\","
                            "\"DurationSeconds\":100}");
    sim_error_t e = {0};
    cr_assert_eq(model_validate_input(m, op, in, &e), -1);
    cr_assert_str_eq(e.code, "ValidationError");
    cr_assert(strstr(e.message, "2 validation errors detected"), "%s", e.message);
    cr_assert(strstr(e.message,
                     "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have "
                     "length greater than or equal to 2"));
    cr_assert(strstr(e.message, "Value '100' at 'durationSeconds'"));
    cJSON_Delete(in);
    model_t *r53 = model_get("route53");
    cJSON *bad = cJSON_Parse("{\"Name\":\"x\"}");
    cr_assert_eq(model_validate_input(r53, model_operation(r53, "CreateHostedZone"), bad, &e), -1);
    cr_assert_str_eq(e.code, "InvalidInput");
    cJSON_Delete(bad);
    cr_assert_null(model_get("nosuchservice"));
}

Test(model, error_status_from_model) {
    model_t *iam = model_get("iam");
    int sender = 0;
    cr_assert_eq(model_error_status(iam, "NoSuchEntity", &sender), 404);
    cr_assert_eq(sender, 1);
    cr_assert_eq(model_error_status(iam, "EntityAlreadyExists", NULL), 409);
    cr_assert_eq(model_error_status(iam, "Unheard", NULL), 0);
}

Test(model, rest_routing) {
    model_t *m = model_get("route53");
    cJSON *labels = cJSON_CreateObject();
    const cJSON *op = model_match_rest(m, "GET", "/2013-04-01/hostedzone/Z123/rrset", labels);
    cr_assert_not_null(op);
    cr_assert_str_eq(cJSON_GetObjectItem(op, "name")->valuestring, "ListResourceRecordSets");
    cr_assert_str_eq(cJSON_GetObjectItem(labels, "Id")->valuestring, "Z123");
    cJSON_Delete(labels);
    labels = cJSON_CreateObject();
    op = model_match_rest(m, "POST", "/2013-04-01/hostedzone", labels);
    cr_assert_str_eq(cJSON_GetObjectItem(op, "name")->valuestring, "CreateHostedZone");
    cr_assert_null(model_match_rest(m, "PATCH", "/2013-04-01/hostedzone", labels));
    cJSON_Delete(labels);
}

static const char *no_headers(void *ctx, const char *name) {
    return NULL;
}

Test(proto, query_lists_and_types) {
    model_t *m = model_get("iam");
    const char *body = "Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%7D"
                       "&MaxSessionDuration=7200&Tags.member.1.Key=a&Tags.member.1.Value=1"
                       "&Tags.member.2.Key=b&Tags.member.2.Value=2";
    http_req_t h = {
        .method = "POST", .path = "/", .body = body, .body_len = strlen(body), .header = no_headers};
    const cJSON *op;
    cJSON *params;
    sim_error_t e = {0};
    cr_assert_eq(proto_decode(m, &h, &op, &params, &e), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(params, "AssumeRolePolicyDocument")->valuestring, "{}");
    cr_assert_eq(cJSON_GetObjectItem(params, "MaxSessionDuration")->valuedouble, 7200);
    cJSON *tags = cJSON_GetObjectItem(params, "Tags");
    cr_assert_eq(cJSON_GetArraySize(tags), 2);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(tags, 1), "Key")->valuestring, "b");
    cJSON_Delete(params);
}

Test(proto, query_encode_xml) {
    model_t *m = model_get("sts");
    const cJSON *op = model_operation(m, "GetCallerIdentity");
    cJSON *out = cJSON_Parse("{\"UserId\":\"u<&>\",\"Account\":\"111111111111\",\"Arn\":\"a\"}");
    http_resp_t r = {0};
    proto_encode_result(m, op, out, "rid-1", &r);
    cr_assert_eq(r.status, 200);
    cr_assert(
        strstr(r.body, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
    cr_assert(strstr(r.body, "<GetCallerIdentityResult><UserId>u&lt;&amp;&gt;</UserId><Account>111111111111</"
                             "Account><Arn>a</Arn>"),
              "%s", r.body);
    cr_assert(strstr(r.body, "<RequestId>rid-1</RequestId>"));
    resp_free(&r);
    cJSON_Delete(out);
}

Test(proto, error_shapes_per_protocol) {
    sim_error_t e;
    sim_err(&e, 400, "StateMachineDoesNotExist", "gone");
    http_resp_t r = {0};
    proto_encode_error(model_get("stepfunctions"), &e, "rid", &r);
    cr_assert_str_eq(r.content_type, "application/x-amz-json-1.0");
    cr_assert_str_eq(r.body, "{\"__type\":\"StateMachineDoesNotExist\",\"message\":\"gone\"}");
    resp_free(&r);
    memset(&r, 0, sizeof r);
    sim_err(&e, 400, "NoSuchHostedZone", "none");
    proto_encode_error(model_get("route53"), &e, "rid", &r);
    cr_assert_eq(r.status, 404, "status from the model's error shape");
    cr_assert(strstr(r.body, "<Code>NoSuchHostedZone</Code>"));
    resp_free(&r);
    memset(&r, 0, sizeof r);
    sim_err(&e, 400, "UnknownResourceException", "no");
    proto_encode_error(model_get("ram"), &e, "rid", &r);
    cr_assert_str_eq(r.body, "{\"message\":\"no\"}");
    cr_assert_str_eq(r.hval[1], "UnknownResourceException");
    resp_free(&r);
}

Test(util, utf8_and_urls) {
    cr_assert(utf8_valid("héllo", strlen("héllo")));
    cr_assert_not(utf8_valid("\xc0\xaf", 2), "overlong");
    cr_assert_not(utf8_valid("\xed\xa0\x80", 3), "surrogate");
    char *d = url_decode("a%20b+c%zz", 10, 1);
    cr_assert_str_eq(d, "a b c%zz");
    free(d);
    strbuf_t b;
    sb_init(&b);
    sb_uri_encode(&b, "a b/c~", 6, 1);
    cr_assert_str_eq(b.buf, "a%20b/c~");
    sb_free(&b);
    char n[32];
    fmt_number(0.1, n, sizeof n);
    cr_assert_str_eq(n, "0.1");
    fmt_number(42, n, sizeof n);
    cr_assert_str_eq(n, "42");
}

Test(xml, parse_and_depth_limit) {
    char err[128];
    xnode_t *root = xml_parse("<a><b>1</b><b>2</b></a>", 23, err, sizeof err);
    cr_assert_not_null(root);
    cr_assert_str_eq(xml_child(root, "b")->text, "1");
    xml_free(root);
    cr_assert_null(xml_parse("<a><b></a>", 10, err, sizeof err));
    char deep[2000] = "";
    for (int i = 0; i < 100; i++)
        strcat(deep, "<x>");
    cr_assert_null(xml_parse(deep, strlen(deep), err, sizeof err));
}

/* ---- the in-memory request log (core/reqlog.c) ---- */
Test(reqlog, keeps_the_last_capacity_entries_in_order_and_seq_keeps_growing) {
    reqlog_t l;
    reqlog_init(&l, 3);
    for (int i = 0; i < 5; i++) {
        char op[16];
        snprintf(op, sizeof op, "Op%d", i);
        cr_assert_eq(reqlog_add(&l, 1000 + i, "111111111111", "us-east-1", "sts", op, i == 4 ? 403 : 200,
                                i == 4 ? "AccessDenied" : NULL, "arn:aws:iam::111111111111:root", "rid"),
                     i + 1);
    }
    const reqlog_entry_t *e = reqlog_since(&l, 0, 0);
    cr_assert_eq(e->seq, 3); /* 1 and 2 were dropped */
    cr_assert_str_eq(e->operation, "Op2");
    cr_assert_null(e->error_code);
    cr_assert_str_eq(reqlog_since(&l, 0, 2)->error_code, "AccessDenied");
    cr_assert_eq(reqlog_since(&l, 0, 2)->status, 403);
    cr_assert_null(reqlog_since(&l, 0, 3));
    cr_assert_eq(reqlog_since(&l, 3, 0)->seq, 4);
    cr_assert_null(reqlog_since(&l, 5, 0));
    cr_assert_null(reqlog_since(&l, 99, 0));
    reqlog_clear(&l);
    cr_assert_null(reqlog_since(&l, 0, 0));
    cr_assert_eq(reqlog_add(&l, 1, "a", "r", "s", "o", 200, NULL, NULL, NULL), 6);
    cr_assert_str_eq(reqlog_since(&l, 0, 0)->caller, "");
    reqlog_free(&l);
}

Test(reqlog, capacity_zero_records_nothing) {
    reqlog_t l;
    reqlog_init(&l, 0);
    cr_assert_eq(reqlog_add(&l, 1, "a", "r", "s", "o", 200, NULL, "c", "id"), 0);
    cr_assert_null(reqlog_since(&l, 0, 0));
    reqlog_free(&l);
}

/* auth.c remembers keys the credentials table lacks; adding, resetting or restoring forgets that */
Test(auth, negative_lookup_cache_is_dropped_when_credentials_change) {
    sim_t *s = test_sim();
    cred_t c;
    cr_assert_eq(auth_lookup(s, "AKIALATERADDED00001", &c), -1);
    cr_assert_eq(auth_lookup(s, "AKIALATERADDED00001", &c), -1); /* answered from the cache */
    char path[] = "/tmp/awssim-test-accounts-XXXXXX";
    int fd = mkstemp(path);
    const char *doc =
        "{\"credentials\": [{\"accessKeyId\": \"AKIALATERADDED00001\", \"secretAccessKey\": \"s\","
        " \"account\": \"123456789012\", \"userName\": \"u\"}]}";
    cr_assert_eq(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
    close(fd);
    char err[300];
    cr_assert_eq(auth_load_accounts(s, path, err, sizeof err), 0, "%s", err);
    unlink(path);
    cr_assert_eq(auth_lookup(s, "AKIALATERADDED00001", &c), 0);
    cr_assert_str_eq(c.account, "123456789012");
    /* an issued key, cached as missing before a reset, is still missing after it */
    cred_t issued;
    cr_assert_eq(
        auth_issue(s, "ASIA", "111111111111", "arn:aws:iam::111111111111:root", "x", 0, 0, NULL, &issued), 0);
    cr_assert_eq(auth_lookup(s, issued.access_key, &c), 0);
    cr_assert_eq(sim_reset(s), 0);
    cr_assert_eq(auth_lookup(s, issued.access_key, &c), -1);
    cr_assert_eq(auth_lookup(s, "AKIALATERADDED00001", &c), 0); /* --accounts keys survive a reset */
    test_sim_free(s);
}

/* Members the model does not define never reach a handler (AWS ignores them). */
Test(model, unknown_input_members_are_dropped_at_every_depth) {
    model_t *m = model_get("stepfunctions");
    const cJSON *op = model_operation(m, "CreateActivity");
    cJSON *in =
        cJSON_Parse("{\"name\":\"a\",\"_arn\":\"x\",\"tags\":[{\"key\":\"k\",\"value\":\"v\",\"extra\":1}],"
                    "\"encryptionConfiguration\":{\"type\":\"AWS_OWNED_KEY\",\"bogus\":true}}");
    model_drop_unknown_input(m, op, in);
    char *text = cJSON_PrintUnformatted(in);
    cr_assert_str_eq(text, "{\"name\":\"a\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],"
                           "\"encryptionConfiguration\":{\"type\":\"AWS_OWNED_KEY\"}}");
    free(text);
    cJSON_Delete(in);
}
