/*
 * test_asl_robustness.c — malformed definitions, paths, intrinsics and inputs must produce AWS
 * errors (InvalidDefinition, States.Runtime, States.IntrinsicFailure...), never a crash, and
 * leave other executions working. A deterministic mutation loop also feeds random bytes.
 */
#include <stdio.h>

#include "asl/asl.h"
#include "core/rng.h"
#include "testutil.h"

static const char *BAD_DEFS[] = {
    "",
    "null",
    "[]",
    "{\"StartAt\":1,\"States\":{}}",
    "{\"StartAt\":\"A\",\"States\":[]}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":[]}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":1}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Choice\",\"Choices\":\"x\"}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Choice\",\"Choices\":[1,{\"Next\":\"A\"},{\"Variable\":"
    "1,"
    "\"StringEquals\":\"x\",\"Next\":\"A\"},{\"And\":\"x\",\"Next\":\"A\"},{\"Not\":[],\"Next\":\"A\"}]}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Parallel\",\"Branches\":[1,null,{\"StartAt\":\"B\"}],"
    "\"End\":true}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Map\",\"ItemProcessor\":[],\"End\":true}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Retry\":{},\"Catch\":[1],\"End\":true}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:x\",\"Retry\":[{"
    "\"ErrorEquals\":[1]}],"
    "\"Catch\":[{\"ErrorEquals\":[],\"Next\":1}],\"End\":true}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"InputPath\":\"$[\",\"OutputPath\":\"$.a[?(@."
    "b\","
    "\"ResultPath\":\"$..x\",\"End\":true}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"States.Format('x\","
    "\"b.$\":"
    "\"States.Array(((\",\"c.$\":7,\"d.$\":\"States.Format('{}', States.Array(1,)\"},\"End\":true}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"Seconds\":-1,\"Timestamp\":\"nope\",\"End\":"
    "true}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Fail\",\"ErrorPath\":\"x\",\"Error\":\"E\"}}}",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"A\",\"End\":true}}}",
    "{\"StartAt\":\"A\",\"TimeoutSeconds\":\"x\",\"States\":{\"A\":{\"Type\":\"Succeed\"}},\"Extra\":1}",
};

Test(asl_robustness, malformed_definitions_are_invalid) {
    for (size_t i = 0; i < sizeof BAD_DEFS / sizeof *BAD_DEFS; i++) {
        asl_diag_t d[16];
        int nd = 0;
        asl_def_t *def = asl_parse(BAD_DEFS[i], d, 16, &nd);
        cr_assert_null(def, "definition %zu accepted: %s", i, BAD_DEFS[i]);
        cr_assert_gt(nd, 0, "definition %zu: no diagnostics", i);
        char msg[2048];
        asl_diag_message(d, nd, msg, sizeof msg);
        cr_assert(strncmp(msg, "Invalid State Machine Definition: '", 35) == 0);
    }
}

Test(asl_robustness, random_mutations_never_crash) {
    sim_t *s = test_sim();
    const char *seed_def = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":"
                           "\"States.Format('{} {}', "
                           "$.a, "
                           "States.ArrayLength($.b))\",\"y.$\":\"$.b[0:2]\"},\"ResultPath\":\"$.r\",\"Next\":"
                           "\"C\"},\"C\":{\"Type\":"
                           "\"Choice\",\"Choices\":[{\"And\":[{\"Variable\":\"$.a\",\"StringMatches\":\"h*\"}"
                           ",{\"Variable\":\"$.r.y[0]\","
                           "\"NumericLessThanPath\":\"$.b[1]\"}],\"Next\":\"M\"}],\"Default\":\"F\"},\"M\":{"
                           "\"Type\":\"Map\",\"ItemsPath\":"
                           "\"$.b\",\"ItemProcessor\":{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":"
                           "\"Pass\",\"End\":true}}},\"End\":true},"
                           "\"F\":{\"Type\":\"Fail\",\"Error\":\"E\"}}}";
    const char *input = "{\"a\":\"hello\",\"b\":[1,2,3]}";
    size_t n = strlen(seed_def);
    char *buf = malloc(n + 1);
    int accepted = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, seed_def, n + 1);
        int muts = 1 + (int)(rng_next(s) % 4);
        for (int m = 0; m < muts; m++) {
            size_t pos = rng_next(s) % n;
            const char pool[] = "{}[]\",:$.?()@*'\\0123456789abcAZ -";
            buf[pos] = pool[rng_next(s) % (sizeof pool - 1)];
        }
        asl_diag_t d[8];
        int nd;
        asl_def_t *def = asl_parse(buf, d, 8, &nd);
        if (!def) continue;
        accepted++;
        /* a definition that validates must run to an end state or a clean error */
        cJSON *in = cJSON_CreateObject();
        char name[32];
        snprintf(name, sizeof name, "m%d", round);
        cJSON_AddStringToObject(in, "name", name);
        cJSON_AddStringToObject(in, "definition", buf);
        cJSON_AddStringToObject(in, "roleArn", "arn:aws:iam::111111111111:role/r");
        cJSON *out = NULL;
        sim_error_t e;
        int rc = service_call(s, "stepfunctions", "CreateStateMachine", TEST_ACCOUNT, "us-east-1", NULL, in,
                              &out, &e);
        cJSON_Delete(in);
        asl_def_free(def);
        if (rc) continue;
        in = cJSON_CreateObject();
        cJSON_AddStringToObject(in, "stateMachineArn", jstr(out, "stateMachineArn"));
        cJSON_AddStringToObject(in, "input", input);
        cJSON_Delete(out);
        out = NULL;
        rc =
            service_call(s, "stepfunctions", "StartExecution", TEST_ACCOUNT, "us-east-1", NULL, in, &out, &e);
        cr_assert_eq(rc, 0, "StartExecution failed: %s %s", e.code, e.message);
        cJSON_Delete(in);
        cJSON_Delete(out);
    }
    free(buf);
    cr_log_info("mutations accepted and run: %d", accepted);
    test_sim_free(s);
}

Test(asl_robustness, hostile_runtime_values) {
    sim_t *s = test_sim();
    const char *cases[][2] = {
        {"States.StringToJson($.s)", "{\"s\":\"{not json\"}"},
        {"States.Base64Decode($.s)", "{\"s\":\"***\"}"},
        {"States.ArrayRange(0, 100000, 1)", "{}"},
        {"States.ArrayPartition($.a, 0)", "{\"a\":[1]}"},
        {"States.MathAdd($.a, 1)", "{\"a\":1.5}"},
        {"States.MathRandom(5, 1)", "{}"},
        {"States.Format($.a)", "{\"a\":7}"},
        {"States.ArrayContains($.a, 1)", "{\"a\":{}}"},
        {"States.StringSplit($.a, 1)", "{\"a\":\"x\"}"},
        {"States.JsonMerge($.a, $.b, false)", "{\"a\":[],\"b\":{}}"},
        {"States.Array($.missing)", "{}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cJSON *in = cJSON_Parse(cases[i][1]);
        asl_scope_t sc = {.sim = s, .input = in};
        asl_err_t e = {{0}, {0}};
        cJSON *v = asl_intrinsic(s, cases[i][0], &sc, &e);
        cr_assert_null(v, "%s succeeded", cases[i][0]);
        cr_assert_str_eq(e.error, "States.IntrinsicFailure", "%s: %s", cases[i][0], e.error);
        cJSON_Delete(in);
    }
    /* deep nesting in paths and documents */
    char path[4096] = "$";
    for (int i = 0; i < 500; i++)
        strcat(path, ".a");
    cJSON *empty = cJSON_Parse("{}");
    cr_assert_null(jp_get(empty, path));
    cJSON_Delete(empty);
    test_sim_free(s);
}

Test(asl_robustness, random_paths_and_intrinsics) {
    sim_t *s = test_sim();
    cJSON *in = cJSON_Parse("{\"a\":{\"b\":[1,{\"c\":\"d\"},[2,3]]},\"s\":\"x,y\",\"n\":5}");
    asl_scope_t sc = {.sim = s, .input = in, .ctx = in, .vars = in};
    const char *frags[] = {"$",
                           ".a",
                           ".b",
                           "[0]",
                           "[-1]",
                           "[*]",
                           "[1:]",
                           "..c",
                           "['a']",
                           "[?(@.c == 'd')]",
                           "[",
                           "]",
                           "(",
                           ")",
                           "'",
                           ",",
                           "States.Array(",
                           "States.Format('{}',",
                           "States.ArrayLength(",
                           "$.n",
                           "$$.a",
                           "$a",
                           "1",
                           "'x'",
                           "null",
                           "\\",
                           "States.StringSplit($.s, ',')"};
    int nf = sizeof frags / sizeof *frags;
    for (int round = 0; round < 5000; round++) {
        char expr[512] = "";
        int parts = 1 + (int)(rng_next(s) % 8);
        for (int k = 0; k < parts; k++)
            strncat(expr, frags[rng_next(s) % nf], sizeof expr - strlen(expr) - 1);
        asl_err_t e;
        cJSON *v = asl_resolve(expr, &sc, "x.$", &e);
        cJSON_Delete(v);
        char err[256];
        (void)jp_valid(expr, round & 1);
        (void)asl_intrinsic_valid(expr, err, sizeof err);
    }
    cJSON_Delete(in);
    test_sim_free(s);
}

/* asl_json_array_spans splits an array's text into its elements without parsing them: each span,
 * parsed alone, is the element cJSON finds at that index, strings holding brackets, commas and
 * escaped quotes included; anything that is not one balanced array is -1. */
Test(asl_robustness, array_spans_match_parsed_elements) {
    const char *good[] = {"[]",
                          " [ ] ",
                          "[1]",
                          "[{\"a\":[1,{\"b\":\"],}\"}]},\"x\\\"],\",[[]],{} ]",
                          "[{\"s\":\"\\\\\"},2,\"{\"]",
                          "[null, true ,-1.5e3]\n"};
    for (size_t t = 0; t < sizeof good / sizeof *good; t++) {
        size_t *sp;
        long n = asl_json_array_spans(good[t], strlen(good[t]), &sp);
        cJSON *whole = cJSON_Parse(good[t]);
        cr_assert_not_null(whole, "%s", good[t]);
        cr_assert_eq(n, cJSON_GetArraySize(whole), "%s: %ld", good[t], n);
        for (long i = 0; i < n; i++) {
            cJSON *one = cJSON_ParseWithLength(good[t] + sp[2 * i], sp[2 * i + 1] - sp[2 * i]);
            cr_assert(cJSON_Compare(one, cJSON_GetArrayItem(whole, (int)i), 1), "%s [%ld]", good[t], i);
            cJSON_Delete(one);
        }
        cJSON_Delete(whole);
        free(sp);
    }
    const char *bad[] = {"", "{}", "[", "[1", "[1,]", "[,1]", "[1,,2]", "[}", "[1]]", "[1] x", "[\"open]"};
    for (size_t t = 0; t < sizeof bad / sizeof *bad; t++) {
        size_t *sp = (size_t *)1;
        cr_assert_eq(asl_json_array_spans(bad[t], strlen(bad[t]), &sp), -1, "%s", bad[t]);
        cr_assert_null(sp);
    }
}
