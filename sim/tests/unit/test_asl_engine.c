/*
 * test_asl_engine.c — the ASL engine: JSONPath, intrinsics, Choice rules, definition validation
 * and executions (outputs and history events) run through the Step Functions operations on an
 * in-memory sim with a virtual clock.
 */
#include <stdio.h>

#include "asl/asl.h"
#include "core/rng.h"
#include "testutil.h"

static sim_t *S;

static void setup(void) {
    S = test_sim();
}

static void teardown(void) {
    test_sim_free(S);
}

static cJSON *call(const char *op, const char *json, sim_error_t *e) {
    cJSON *out = NULL;
    int rc = test_call(S, "stepfunctions", TEST_ACCOUNT, op, json, &out, e);
    if (rc) return NULL;
    return out;
}

static cJSON *call_ok(const char *op, const char *json) {
    sim_error_t e;
    cJSON *out = call(op, json, &e);
    cr_assert_not_null(out, "%s failed: %s %s", op, e.code, e.message);
    return out;
}

static char *create_sm(const char *name, const char *def) {
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "name", name);
    cJSON_AddStringToObject(in, "definition", def);
    cJSON_AddStringToObject(in, "roleArn", "arn:aws:iam::111111111111:role/sfn");
    char *t = cJSON_PrintUnformatted(in);
    cJSON_Delete(in);
    cJSON *out = call_ok("CreateStateMachine", t);
    free(t);
    char *arn = strdup(jstr(out, "stateMachineArn"));
    cJSON_Delete(out);
    return arn;
}

static char *start(const char *sm, const char *input) {
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "stateMachineArn", sm);
    cJSON_AddStringToObject(in, "input", input);
    char *t = cJSON_PrintUnformatted(in);
    cJSON_Delete(in);
    cJSON *out = call_ok("StartExecution", t);
    free(t);
    char *arn = strdup(jstr(out, "executionArn"));
    cJSON_Delete(out);
    return arn;
}

static cJSON *describe(const char *exec) {
    char buf[1024];
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\"}", exec);
    return call_ok("DescribeExecution", buf);
}

static cJSON *history(const char *exec) {
    char buf[1024];
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\",\"maxResults\":1000}", exec);
    cJSON *out = call_ok("GetExecutionHistory", buf);
    cJSON *ev = cJSON_DetachItemFromObject(out, "events");
    cJSON_Delete(out);
    return ev;
}

/* Run def on input; assert status; return output (or NULL). */
static cJSON *run(const char *def, const char *input, const char *want_status, char **exec_out) {
    static int n = 0;
    char name[32];
    snprintf(name, sizeof name, "sm%d", n++);
    char *sm = create_sm(name, def);
    char *ex = start(sm, input);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), want_status, "status %s (error %s: %s)", jstr(d, "status"),
                     jstr(d, "error") ? jstr(d, "error") : "", jstr(d, "cause") ? jstr(d, "cause") : "");
    cJSON *out = jstr(d, "output") ? cJSON_Parse(jstr(d, "output")) : NULL;
    cJSON_Delete(d);
    free(sm);
    if (exec_out)
        *exec_out = ex;
    else
        free(ex);
    return out;
}

static void assert_json(const cJSON *got, const char *want) {
    cJSON *w = cJSON_Parse(want);
    cr_assert_not_null(w, "bad expected JSON %s", want);
    char *g = cJSON_PrintUnformatted(got);
    cr_assert(cJSON_Compare(got, w, 1), "got %s, want %s", g, want);
    free(g);
    cJSON_Delete(w);
}

static char *types_of(cJSON *ev) {
    static char buf[8192];
    buf[0] = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, ev) {
        strcat(buf, jstr(e, "type"));
        strcat(buf, ",");
    }
    return buf;
}

/* ---------------- JSONPath ---------------- */

Test(asl_jsonpath, paths) {
    cJSON *root = cJSON_Parse(
        "{\"a\":{\"b\":[1,2,3],\"c d\":\"x\"},\"items\":[{\"p\":1,\"n\":\"a\"},{\"p\":5,\"n\":\"b\"}]}");
    cJSON *v = jp_get(root, "$.a.b[1]");
    assert_json(v, "2");
    cJSON_Delete(v);
    v = jp_get(root, "$.a['c d']");
    assert_json(v, "\"x\"");
    cJSON_Delete(v);
    v = jp_get(root, "$.a.b[-1:]");
    assert_json(v, "[3]");
    cJSON_Delete(v);
    v = jp_get(root, "$.items[*].n");
    assert_json(v, "[\"a\",\"b\"]");
    cJSON_Delete(v);
    v = jp_get(root, "$.items[?(@.p > 2)].n");
    assert_json(v, "[\"b\"]");
    cJSON_Delete(v);
    v = jp_get(root, "$..n");
    assert_json(v, "[\"a\",\"b\"]");
    cJSON_Delete(v);
    cr_assert_null(jp_get(root, "$.missing"));
    cr_assert(jp_valid("$.a.b[0]", 1));
    cr_assert(!jp_valid("$.a[*]", 1));
    cr_assert(!jp_valid("a.b", 0));
    char err[256];
    cJSON *val = cJSON_CreateNumber(7);
    cr_assert_eq(jp_set(&root, "$.a.new.deep", val, err, sizeof err), 0);
    v = jp_get(root, "$.a.new.deep");
    assert_json(v, "7");
    cJSON_Delete(v);
    cJSON_Delete(root);
}

/* ---------------- intrinsics ---------------- */

static void intrinsic_eq(const char *expr, const char *input, const char *want) {
    cJSON *in = cJSON_Parse(input);
    asl_scope_t sc = {.sim = NULL, .input = in, .ctx = NULL, .vars = NULL};
    asl_err_t e = {{0}, {0}};
    cJSON *v = asl_intrinsic(NULL, expr, &sc, &e);
    cr_assert_not_null(v, "%s failed: %s %s", expr, e.error, e.cause);
    assert_json(v, want);
    cJSON_Delete(v);
    cJSON_Delete(in);
}

static void intrinsic_fails(const char *expr, const char *input) {
    cJSON *in = cJSON_Parse(input);
    asl_scope_t sc = {.input = in};
    asl_err_t e = {{0}, {0}};
    cJSON *v = asl_intrinsic(NULL, expr, &sc, &e);
    cr_assert_null(v, "%s should fail", expr);
    cr_assert_str_eq(e.error, "States.IntrinsicFailure");
    cJSON_Delete(in);
}

Test(asl_intrinsics, all_functions) {
    intrinsic_eq("States.Format('Hello, my name is {}.', $.name)", "{\"name\":\"Arnav\"}",
                 "\"Hello, my name is Arnav.\"");
    intrinsic_eq("States.Format('{} \\{literal\\} {}', 1, true)", "{}", "\"1 {literal} true\"");
    intrinsic_eq("States.StringToJson($.s)", "{\"s\":\"{\\\"number\\\":20}\"}", "{\"number\":20}");
    intrinsic_eq("States.JsonToString($.o)", "{\"o\":{\"a\":[1,2]}}", "\"{\\\"a\\\":[1,2]}\"");
    intrinsic_eq("States.Array('Foo', 2020, $.b, null)", "{\"b\":true}", "[\"Foo\",2020,true,null]");
    intrinsic_eq("States.ArrayPartition($.a, 4)", "{\"a\":[1,2,3,4,5,6,7,8,9]}", "[[1,2,3,4],[5,6,7,8],[9]]");
    intrinsic_eq("States.ArrayContains($.a, $.v)", "{\"a\":[1,2,3],\"v\":3}", "true");
    intrinsic_eq("States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]");
    intrinsic_eq("States.ArrayGetItem($.a, 5)", "{\"a\":[1,2,3,4,5,6,7,8,9]}", "6");
    intrinsic_eq("States.ArrayLength($.a)", "{\"a\":[1,2,3,4,5,6,7,8,9]}", "9");
    intrinsic_eq("States.ArrayUnique($.a)", "{\"a\":[1,2,3,3,3,3,3,3,4]}", "[1,2,3,4]");
    intrinsic_eq("States.Base64Encode($.s)", "{\"s\":\"Data to encode\"}", "\"RGF0YSB0byBlbmNvZGU=\"");
    intrinsic_eq("States.Base64Decode($.s)", "{\"s\":\"RGF0YSB0byBlbmNvZGU=\"}", "\"Data to encode\"");
    intrinsic_eq("States.Hash($.s, 'SHA-1')", "{\"s\":\"input data\"}",
                 "\"aaff4a450a104cd177d28d18d74485e8cae074b7\"");
    intrinsic_eq("States.JsonMerge($.a, $.b, false)",
                 "{\"a\":{\"a\":1,\"b\":{\"c\":2}},\"b\":{\"b\":{\"d\":3},\"e\":4}}",
                 "{\"a\":1,\"b\":{\"d\":3},\"e\":4}");
    intrinsic_eq("States.MathAdd($.v, -1)", "{\"v\":111}", "110");
    intrinsic_eq("States.StringSplit($.s, ',')", "{\"s\":\"1,2,3,4,5\"}", "[\"1\",\"2\",\"3\",\"4\",\"5\"]");
    intrinsic_eq("States.ArrayLength(States.Array(1, States.MathAdd(1, 2)))", "{}", "2");
    intrinsic_fails("States.ArrayGetItem($.a, 9)", "{\"a\":[1]}");
    intrinsic_fails("States.Format('{} {}', 1)", "{}");
    intrinsic_fails("States.JsonMerge($.a, $.a, true)", "{\"a\":{}}");
    intrinsic_fails("States.Hash('x', 'SHA-999')", "{}");
    intrinsic_fails("States.Nope(1)", "{}");
    sim_t *s = test_sim();
    asl_scope_t sc = {.sim = s};
    asl_err_t e;
    cJSON *u = asl_intrinsic(s, "States.UUID()", &sc, &e);
    cr_assert(cJSON_IsString(u) && strlen(u->valuestring) == 36);
    cJSON_Delete(u);
    cJSON *r = asl_intrinsic(s, "States.MathRandom(1, 999)", &sc, &e);
    cr_assert(cJSON_IsNumber(r) && r->valuedouble >= 1 && r->valuedouble < 999);
    cJSON_Delete(r);
    test_sim_free(s);
}

/* ---------------- Choice ---------------- */

static int choice(const char *rule, const char *input) {
    cJSON *r = cJSON_Parse(rule), *in = cJSON_Parse(input);
    asl_scope_t sc = {.input = in};
    asl_err_t e;
    int m = asl_choice_match(r, &sc, &e);
    cJSON_Delete(r);
    cJSON_Delete(in);
    return m;
}

Test(asl_choice, operators) {
    cr_assert_eq(choice("{\"Variable\":\"$.a\",\"NumericEquals\":1}", "{\"a\":1}"), 1);
    cr_assert_eq(choice("{\"Variable\":\"$.a\",\"NumericGreaterThanPath\":\"$.b\"}", "{\"a\":3,\"b\":2}"), 1);
    cr_assert_eq(choice("{\"Variable\":\"$.a\",\"StringEquals\":\"1\"}", "{\"a\":1}"), 0);
    cr_assert_eq(choice("{\"Variable\":\"$.s\",\"StringMatches\":\"log-*.txt\"}", "{\"s\":\"log-2024.txt\"}"),
                 1);
    cr_assert_eq(choice("{\"Variable\":\"$.s\",\"StringMatches\":\"a\\\\*b\"}", "{\"s\":\"axb\"}"), 0);
    cr_assert_eq(choice("{\"Variable\":\"$.s\",\"StringMatches\":\"a\\\\*b\"}", "{\"s\":\"a*b\"}"), 1);
    cr_assert_eq(choice("{\"Variable\":\"$.t\",\"TimestampLessThan\":\"2016-03-14T01:59:00Z\"}",
                        "{\"t\":\"2016-03-14T01:58:00+00:00\"}"),
                 1);
    cr_assert_eq(choice("{\"Variable\":\"$.t\",\"IsTimestamp\":true}", "{\"t\":\"2016-03-14T01:59:00Z\"}"),
                 1);
    cr_assert_eq(choice("{\"Variable\":\"$.t\",\"IsTimestamp\":true}", "{\"t\":\"yesterday\"}"), 0);
    cr_assert_eq(choice("{\"Variable\":\"$.x\",\"IsPresent\":false}", "{}"), 1);
    cr_assert_eq(choice("{\"Variable\":\"$.x\",\"IsNull\":true}", "{\"x\":null}"), 1);
    cr_assert_eq(choice("{\"Variable\":\"$.x\",\"IsNumeric\":true}", "{\"x\":\"1\"}"), 0);
    cr_assert_eq(choice("{\"Variable\":\"$.x\",\"IsString\":true}", "{\"x\":\"1\"}"), 1);
    cr_assert_eq(choice("{\"Variable\":\"$.x\",\"IsBoolean\":true}", "{\"x\":false}"), 1);
    cr_assert_eq(choice("{\"Variable\":\"$.x\",\"BooleanEquals\":false}", "{\"x\":false}"), 1);
    cr_assert_eq(
        choice("{\"And\":[{\"Variable\":\"$.v\",\"NumericGreaterThanEquals\":20},{\"Variable\":\"$.v\","
               "\"NumericLessThan\":30}]}",
               "{\"v\":25}"),
        1);
    cr_assert_eq(
        choice("{\"Not\":{\"Variable\":\"$.type\",\"StringEquals\":\"Private\"}}", "{\"type\":\"Public\"}"),
        1);
    cr_assert_eq(choice("{\"Or\":[{\"Variable\":\"$.v\",\"NumericEquals\":1},{\"Variable\":\"$.v\","
                        "\"NumericEquals\":2}]}",
                        "{\"v\":3}"),
                 0);
    /* a missing Variable is a runtime error */
    cr_assert_eq(choice("{\"Variable\":\"$.nope\",\"NumericEquals\":1}", "{}"), -1);
}

/* ---------------- validation ---------------- */

static void invalid(const char *def, const char *code_substr) {
    sim_error_t e;
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "name", "bad");
    cJSON_AddStringToObject(in, "definition", def);
    cJSON_AddStringToObject(in, "roleArn", "arn:aws:iam::111111111111:role/sfn");
    char *t = cJSON_PrintUnformatted(in);
    cJSON_Delete(in);
    cJSON *out = call("CreateStateMachine", t, &e);
    free(t);
    cr_assert_null(out, "definition accepted: %s", def);
    cr_assert_str_eq(e.code, "InvalidDefinition");
    cr_assert(strstr(e.message, "Invalid State Machine Definition: '") == e.message, "%s", e.message);
    cr_assert(strstr(e.message, code_substr), "message %s lacks %s", e.message, code_substr);
}

Test(asl_validate, definitions, .init = setup, .fini = teardown) {
    invalid("{\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}",
            "SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt]");
    invalid("{\"StartAt\":\"B\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}",
            "MISSING_TRANSITION_TARGET");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"X\"}}}",
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true},\"B\":{\"Type\":\"Pass\","
            "\"End\":true}}}",
            "UNREACHABLE_STATE");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\"}}}",
            "These fields are required: [Next]");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"InputPath\":\"foo\",\"End\":true}}}",
            "INVALID_JSON_PATH");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Resource\":\"arn:aws:lambda:x\","
            "\"End\":true}}}",
            "Field 'Resource' is not supported for state type 'Pass'");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Foo\",\"End\":true}}}",
            "The field 'Type' should have one of these values");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sns:"
            "publish\","
            "\"Retry\":[{\"ErrorEquals\":[\"States.ALL\",\"X\"]}],\"End\":true}}}",
            "States.ALL");
    invalid(
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"States.Nope()\"},"
        "\"End\":true}}}",
        "valid intrinsic function");
    invalid("{not json", "INVALID_JSON_DESCRIPTION");
    invalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:"
            "sendMessage.waitForIt\",\"End\":true}}}",
            "The resource provided arn:aws:states:::sqs:sendMessage.waitForIt is not recognized");
    /* ValidateStateMachineDefinition reports diagnostics instead of failing */
    cJSON *out =
        call_ok("ValidateStateMachineDefinition",
                "{\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":"
                "\\\"Pass\\\",\\\"Next\\\":\\\"Z\\\"}}}\"}");
    cr_assert_str_eq(jstr(out, "result"), "FAIL");
    cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(out, "diagnostics"), 0);
    cr_assert_str_eq(jstr(d0, "code"), "MISSING_TRANSITION_TARGET");
    cr_assert_str_eq(jstr(d0, "location"), "/States/A/Next");
    cJSON_Delete(out);
    /* role ARN format */
    sim_error_t e;
    cr_assert_null(
        call("CreateStateMachine",
             "{\"name\":\"r\",\"roleArn\":\"not-an-arn\",\"definition\":\"{\\\"StartAt\\\":\\\"A\\\","
             "\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Succeed\\\"}}}\"}",
             &e));
    cr_assert_str_eq(e.code, "InvalidArn");
}

/* ---------------- Pass, paths and history ---------------- */

/* Long definitions: transitions and reachability are checked through an index of state names, and
 * reachability follows a chain of any length (a worklist, not recursion). A 12,000-state chain
 * validates; skipping one state of it makes that state unreachable; a missing target deep in it is
 * named; a Choice/Catch branch keeps its targets reachable. */
static char *chain_def(int n, int skip, const char *missing_at) {
    cJSON *d = cJSON_CreateObject(), *st = cJSON_AddObjectToObject(d, "States");
    cJSON_AddStringToObject(d, "StartAt", "S0");
    for (int i = 0; i < n; i++) {
        char name[16], next[16];
        snprintf(name, sizeof name, "S%d", i);
        snprintf(next, sizeof next, "S%d", i + 1 == skip ? i + 2 : i + 1);
        cJSON *s = cJSON_AddObjectToObject(st, name);
        cJSON_AddStringToObject(s, "Type", "Pass");
        cJSON_AddStringToObject(s, "Next", missing_at && !strcmp(missing_at, name) ? "Nowhere" : next);
    }
    char last[16];
    snprintf(last, sizeof last, "S%d", n);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(st, last), "Type", "Succeed");
    char *t = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    return t;
}

Test(asl_validate, long_definitions, .init = setup, .fini = teardown) {
    char *ok = chain_def(12000, -1, NULL);
    free(create_sm("long", ok));
    free(ok);
    char *skip = chain_def(12000, 6000, NULL);
    invalid(skip, "UNREACHABLE_STATE: State \"S6000\" is not reachable. at /States/S6000");
    free(skip);
    char *miss = chain_def(12000, -1, "S11000");
    invalid(miss, "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/S11000/Next");
    free(miss);
    free(create_sm(
        "branches",
        "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.x\","
        "\"IsPresent\":true,\"Next\":\"T\"}],\"Default\":\"D\"},\"T\":{\"Type\":\"Task\",\"Resource\":"
        "\"arn:aws:states:::sns:publish\",\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"F\"}],"
        "\"End\":true},\"D\":{\"Type\":\"Succeed\"},\"F\":{\"Type\":\"Fail\"}}}"));
}

Test(asl_pass, chain_outputs_history, .init = setup, .fini = teardown) {
    char *ex;
    cJSON *out =
        run("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"InputPath\":\"$.lambda\","
            "\"Result\":\"Hello\",\"ResultPath\":\"$.taskresult\",\"Next\":\"Q\"},"
            "\"Q\":{\"Type\":\"Pass\",\"Parameters\":{\"greeting.$\":\"$.taskresult\","
            "\"name.$\":\"$$.Execution.Name\",\"fixed\":1,\"who.$\":\"$.lambda.who\"},\"OutputPath\":\"$\","
            "\"End\":true}}}",
            "{\"comment\":\"x\",\"lambda\":{\"who\":\"AWS\"}}", "SUCCEEDED", &ex);
    cr_assert_str_eq(jstr(out, "greeting"), "Hello");
    cr_assert_str_eq(jstr(out, "who"), "AWS");
    cr_assert_eq(jint(out, "fixed", 0), 1);
    cr_assert(strstr(ex, jstr(out, "name")) != NULL);
    cJSON_Delete(out);
    cJSON *ev = history(ex);
    cr_assert_str_eq(types_of(ev), "ExecutionStarted,PassStateEntered,PassStateExited,PassStateEntered,"
                                   "PassStateExited,ExecutionSucceeded,");
    /* ids 1..n; the first state entered points at 0, then each event at the previous one */
    int prev_expected[] = {0, 0, 2, 3, 4, 5};
    for (int i = 0; i < 6; i++) {
        cJSON *e = cJSON_GetArrayItem(ev, i);
        cr_assert_eq(jint(e, "id", -1), i + 1);
        cr_assert_eq(jint(e, "previousEventId", -1), prev_expected[i], "event %d prev %d", i + 1,
                     jint(e, "previousEventId", -1));
    }
    cJSON *exited = cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 2), "stateExitedEventDetails");
    cr_assert_str_eq(jstr(exited, "name"), "P");
    cJSON *po = cJSON_Parse(jstr(exited, "output"));
    assert_json(po, "{\"comment\":\"x\",\"lambda\":{\"who\":\"AWS\"},\"taskresult\":\"Hello\"}");
    cJSON_Delete(po);
    cJSON_Delete(ev);
    free(ex);
}

Test(asl_pass, variables_and_runtime_error, .init = setup, .fini = teardown) {
    cJSON *out = run(
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"x.$\":\"$.v\",\"k\":\"c\"},"
        "\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"$x\",\"k.$\":\"$k\"},"
        "\"End\":true}}}",
        "{\"v\":42}", "SUCCEEDED", NULL);
    assert_json(out, "{\"x\":42,\"k\":\"c\"}");
    cJSON_Delete(out);
    char *ex;
    run("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"$.missing\"},"
        "\"End\":true}}}",
        "{}", "FAILED", &ex);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "error"), "States.Runtime");
    cr_assert(strstr(jstr(d, "cause"), "$.missing"));
    cJSON_Delete(d);
    free(ex);
}

/* ---------------- Choice / Fail / Succeed ---------------- */

Test(asl_states, choice_fail_succeed, .init = setup, .fini = teardown) {
    const char *def =
        "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.n\","
        "\"NumericGreaterThan\":10,\"Next\":\"Big\"},{\"Variable\":\"$.n\",\"NumericLessThan\":0,"
        "\"Next\":\"Bad\"}],\"Default\":\"Small\"},\"Big\":{\"Type\":\"Pass\",\"Result\":\"big\","
        "\"End\":true},\"Small\":{\"Type\":\"Succeed\"},\"Bad\":{\"Type\":\"Fail\",\"Error\":\"Neg\","
        "\"Cause\":\"negative\"}}}";
    cJSON *out = run(def, "{\"n\":11}", "SUCCEEDED", NULL);
    assert_json(out, "\"big\"");
    cJSON_Delete(out);
    out = run(def, "{\"n\":1}", "SUCCEEDED", NULL);
    assert_json(out, "{\"n\":1}");
    cJSON_Delete(out);
    char *ex;
    run(def, "{\"n\":-1}", "FAILED", &ex);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "error"), "Neg");
    cr_assert_str_eq(jstr(d, "cause"), "negative");
    cJSON_Delete(d);
    cJSON *ev = history(ex);
    cr_assert_str_eq(types_of(ev), "ExecutionStarted,ChoiceStateEntered,ChoiceStateExited,FailStateEntered,"
                                   "ExecutionFailed,");
    cJSON_Delete(ev);
    free(ex);
    run("{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.n\","
        "\"NumericEquals\":1,\"Next\":\"D\"}]},\"D\":{\"Type\":\"Succeed\"}}}",
        "{\"n\":2}", "FAILED", &ex);
    d = describe(ex);
    cr_assert_str_eq(jstr(d, "error"), "States.NoChoiceMatched");
    cJSON_Delete(d);
    free(ex);
}

/* ---------------- Parallel and Map ---------------- */

Test(asl_parallel_map, results, .init = setup, .fini = teardown) {
    cJSON *out =
        run("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"A\","
            "\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":1,\"End\":true}}},{\"StartAt\":\"B\",\"States\":"
            "{\"B\":{\"Type\":\"Pass\",\"InputPath\":\"$.x\",\"End\":true}}}],\"ResultPath\":\"$.r\","
            "\"End\":true}}}",
            "{\"x\":\"y\"}", "SUCCEEDED", NULL);
    assert_json(out, "{\"x\":\"y\",\"r\":[1,\"y\"]}");
    cJSON_Delete(out);
    char *ex;
    out =
        run("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.detail.items\","
            "\"MaxConcurrency\":2,\"ItemSelector\":{\"ship.$\":\"$.detail.shipped\",\"item.$\":\"$$.Map.Item."
            "Value\","
            "\"i.$\":\"$$.Map.Item.Index\"},\"ItemProcessor\":{\"StartAt\":\"V\",\"States\":{\"V\":{\"Type\":"
            "\"Pass\",\"End\":true}}},\"ResultPath\":\"$.detail.out\",\"End\":true}}}",
            "{\"detail\":{\"shipped\":\"yes\",\"items\":[{\"p\":\"a\"},{\"p\":\"b\"},{\"p\":\"c\"}]}}",
            "SUCCEEDED", &ex);
    cJSON *res = jp_get(out, "$.detail.out");
    assert_json(res,
                "[{\"ship\":\"yes\",\"item\":{\"p\":\"a\"},\"i\":0},{\"ship\":\"yes\",\"item\":{\"p\":\"b\"},"
                "\"i\":1},{\"ship\":\"yes\",\"item\":{\"p\":\"c\"},\"i\":2}]");
    cJSON_Delete(res);
    cJSON_Delete(out);
    cJSON *ev = history(ex);
    const char *t = types_of(ev);
    cr_assert(strstr(t, "MapStateEntered,MapStateStarted,MapIterationStarted,"), "%s", t);
    cr_assert(strstr(t, "MapIterationSucceeded,MapStateSucceeded,MapStateExited,ExecutionSucceeded,"), "%s",
              t);
    cJSON *started = cJSON_GetArrayItem(ev, 2);
    cr_assert_eq(jint(cJSON_GetObjectItem(started, "mapStateStartedEventDetails"), "length", 0), 3);
    cJSON_Delete(ev);
    free(ex);
    /* tolerated failures */
    out = run("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ToleratedFailureCount\":1,"
              "\"ItemProcessor\":{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{"
              "\"Variable\":"
              "\"$\",\"NumericEquals\":2,\"Next\":\"F\"}],\"Default\":\"S\"},\"F\":{\"Type\":\"Fail\","
              "\"Error\":\"E\"},"
              "\"S\":{\"Type\":\"Succeed\"}}},\"End\":true}}}",
              "[1,2,3]", "SUCCEEDED", NULL);
    assert_json(out, "[1,{\"Error\":\"E\",\"Cause\":\"\"},3]");
    cJSON_Delete(out);
    run("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ToleratedFailureCount\":0,"
        "\"ItemProcessor\":{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"E\"}}},"
        "\"End\":true}}}",
        "[1,2,3]", "FAILED", &ex);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "error"), "States.ExceedToleratedFailureThreshold");
    cJSON_Delete(d);
    free(ex);
}

/* A Map and a Parallel (whose branch fails into a Catch) entered again and again within one
 * StartExecution: each visit replaces the thread's "res", "items" and counters, so the engine's cached
 * item pointers must be dropped each time (in sanitizer builds a stale one aborts the run). */
Test(asl_parallel_map, revisited_in_one_call, .init = setup, .fini = teardown) {
    char *ex;
    cJSON *out =
        run("{\"StartAt\":\"M\",\"States\":{"
            "\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.xs\",\"MaxConcurrency\":2,\"ToleratedFailureCount\":1,"
            "\"ItemProcessor\":{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},"
            "\"ResultPath\":\"$.r\",\"Next\":\"Par\"},"
            "\"Par\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":"
            "\"Pass\","
            "\"End\":true}}},{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Fail\",\"Error\":\"E\"}}}],"
            "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":\"$.err\",\"Next\":\"Inc\"}],"
            "\"Next\":\"Inc\"},"
            "\"Inc\":{\"Type\":\"Pass\",\"Parameters\":{\"i.$\":\"States.MathAdd($.i, 1)\",\"xs.$\":"
            "\"States.ArrayRange(1, States.MathAdd($.i, 2), 1)\",\"r.$\":\"$.r\",\"e.$\":\"$.err.Error\"},"
            "\"Next\":\"L\"},"
            "\"L\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.i\",\"NumericLessThan\":4,\"Next\":"
            "\"M\"}],"
            "\"Default\":\"D\"},\"D\":{\"Type\":\"Succeed\"}}}",
            "{\"i\":0,\"xs\":[7]}", "SUCCEEDED", &ex);
    assert_json(out, "{\"i\":4,\"xs\":[1,2,3,4,5],\"r\":[1,2,3,4],\"e\":\"E\"}");
    cJSON_Delete(out);
    cJSON *ev = history(ex);
    int maps = 0, pars = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, ev) {
        maps += !strcmp(jstr(e, "type"), "MapStateSucceeded");
        pars += !strcmp(jstr(e, "type"), "ParallelStateFailed");
    }
    cr_assert_eq(maps, 4);
    cr_assert_eq(pars, 4);
    cJSON_Delete(ev);
    free(ex);
}

/* ---------------- Retry / Catch / Wait on the virtual clock ---------------- */

Test(asl_retry_catch, retry_on_clock_then_catch, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:"
        "111111111111:"
        "function:f\",\"Retry\":[{\"ErrorEquals\":[\"Lambda.ResourceNotFoundException\"],\"IntervalSeconds\":"
        "2,"
        "\"MaxAttempts\":2,\"BackoffRate\":3}],\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":"
        "\"$.err\","
        "\"Next\":\"H\"}],\"End\":true},\"H\":{\"Type\":\"Pass\",\"End\":true}}}",
        "{\"a\":1}", "RUNNING", &ex);
    cr_assert_eq(clock_advance(S, 1999), 0);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "RUNNING");
    cJSON_Delete(d);
    cr_assert_eq(clock_advance(S, 1), 1); /* first retry at +2 s */
    d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "RUNNING");
    cJSON_Delete(d);
    clock_advance(S, 5999);
    d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "RUNNING");
    cJSON_Delete(d);
    clock_advance(S, 1); /* second retry at +6 s, then caught */
    d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cJSON *out = cJSON_Parse(jstr(d, "output"));
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(out, "err"), "Error"), "Lambda.ResourceNotFoundException");
    cr_assert_eq(jint(out, "a", 0), 1);
    cJSON_Delete(out);
    cJSON_Delete(d);
    cJSON *ev = history(ex);
    cr_assert_str_eq(
        types_of(ev),
        "ExecutionStarted,TaskStateEntered,LambdaFunctionScheduled,LambdaFunctionStarted,"
        "LambdaFunctionFailed,LambdaFunctionScheduled,LambdaFunctionStarted,LambdaFunctionFailed,"
        "LambdaFunctionScheduled,LambdaFunctionStarted,LambdaFunctionFailed,TaskStateExited,"
        "PassStateEntered,PassStateExited,ExecutionSucceeded,");
    cJSON_Delete(ev);
    free(ex);
}

Test(asl_wait, wait_states_fire_in_order, .init = setup, .fini = teardown) {
    char *ex1, *ex2;
    run("{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":10,\"End\":true}}}", "{}",
        "RUNNING", &ex1);
    run("{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"SecondsPath\":\"$.s\",\"Next\":\"X\"},"
        "\"X\":{\"Type\":\"Wait\",\"Timestamp\":\"2026-01-01T00:01:00Z\",\"End\":true}}}",
        "{\"s\":5}", "RUNNING", &ex2);
    clock_advance(S, 10000);
    cJSON *d1 = describe(ex1), *d2 = describe(ex2);
    cr_assert_str_eq(jstr(d1, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(d2, "status"), "RUNNING");
    cr_assert_float_eq(jnum(d1, "stopDate", 0), (TEST_EPOCH_MS + 10000) / 1000.0, 1e-6);
    cJSON_Delete(d1);
    cJSON_Delete(d2);
    clock_advance(S, 50000);
    d2 = describe(ex2);
    cr_assert_str_eq(jstr(d2, "status"), "SUCCEEDED");
    cr_assert_float_eq(jnum(d2, "stopDate", 0), (TEST_EPOCH_MS + 60000) / 1000.0, 1e-6);
    cJSON_Delete(d2);
    free(ex1);
    free(ex2);
}

/* ---------------- task tokens ---------------- */

Test(asl_tokens, wait_for_task_token, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:"
        "sendMessage."
        "waitForTaskToken\",\"Parameters\":{\"QueueUrl\":\"q\",\"MessageBody\":{\"token.$\":\"$$.Task."
        "Token\"}},"
        "\"TimeoutSeconds\":100,\"End\":true}}}",
        "{}", "RUNNING", &ex);
    cJSON *msgs = cJSON_CreateArray();
    cr_assert_eq(sfn_messages_json(S, msgs), 1);
    const char *token = jstr(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "parameters"), "MessageBody"),
        "token");
    cr_assert_not_null(token);
    sim_error_t e;
    cr_assert_null(call("SendTaskSuccess", "{\"taskToken\":\"bogus\",\"output\":\"{}\"}", &e));
    cr_assert_str_eq(e.code, "InvalidToken");
    char buf[512];
    snprintf(buf, sizeof buf, "{\"taskToken\":\"%s\",\"output\":\"not json\"}", token);
    cr_assert_null(call("SendTaskSuccess", buf, &e));
    cr_assert_str_eq(e.code, "InvalidOutput");
    snprintf(buf, sizeof buf, "{\"taskToken\":\"%s\",\"output\":\"{\\\"ok\\\":1}\"}", token);
    cJSON_Delete(call_ok("SendTaskSuccess", buf));
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(d, "output"), "{\"ok\":1}");
    cJSON_Delete(d);
    cr_assert_null(call("SendTaskSuccess", buf, &e));
    cr_assert_str_eq(e.code, "TaskDoesNotExist");
    cJSON_Delete(msgs);
    free(ex);
}

Test(asl_tokens, task_timeout, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sns:publish."
        "waitForTaskToken\",\"Parameters\":{\"Message.$\":\"$$.Task.Token\"},\"TimeoutSeconds\":30,\"End\":"
        "true}}}",
        "{}", "RUNNING", &ex);
    cJSON *msgs = cJSON_CreateArray();
    sfn_messages_json(S, msgs);
    char token[200];
    snprintf(token, sizeof token, "%s",
             jstr(cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "parameters"), "Message"));
    cJSON_Delete(msgs);
    clock_advance(S, 30000);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "FAILED");
    cr_assert_str_eq(jstr(d, "error"), "States.Timeout");
    cJSON_Delete(d);
    char buf[400];
    snprintf(buf, sizeof buf, "{\"taskToken\":\"%s\",\"output\":\"{}\"}", token);
    sim_error_t e;
    cr_assert_null(call("SendTaskSuccess", buf, &e));
    cr_assert_str_eq(e.code, "TaskTimedOut");
    cJSON *ev = history(ex);
    cr_assert(strstr(types_of(ev), "TaskTimedOut,ExecutionFailed,"), "%s", types_of(ev));
    cJSON_Delete(ev);
    free(ex);
}

/* ---------------- limits ---------------- */

Test(asl_limits, infinite_loop_bounded_by_history, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Choice\","
        "\"Choices\":[{\"Variable\":\"$.stop\",\"IsPresent\":true,\"Next\":\"E\"}],\"Default\":\"A\"},"
        "\"E\":{\"Type\":\"Succeed\"}}}",
        "{}", "FAILED", &ex);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "error"), "States.Runtime");
    cJSON_Delete(d);
    char buf[600];
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\",\"reverseOrder\":true,\"maxResults\":1}", ex);
    cJSON *out = call_ok("GetExecutionHistory", buf);
    cJSON *last = cJSON_GetArrayItem(cJSON_GetObjectItem(out, "events"), 0);
    cr_assert_eq(jint(last, "id", 0), ASL_MAX_HISTORY);
    cr_assert_str_eq(jstr(last, "type"), "ExecutionFailed");
    cr_assert_not_null(jstr(out, "nextToken"));
    cJSON_Delete(out);
    free(ex);
}

Test(asl_limits, data_limit, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":\"States.ArrayRange("
        "1, 1000, "
        "1)\"},\"Next\":\"B\"},\"B\":{\"Type\":\"Map\",\"ItemsPath\":\"$.r\",\"ItemProcessor\":{\"StartAt\":"
        "\"C\","
        "\"States\":{\"C\":{\"Type\":\"Pass\",\"Result\":"
        "\"0123456789012345678901234567890123456789012345678901234567890"
        "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"
        "123456789"
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
        "012345678"
        "9\",\"End\":true}}},\"End\":true}}}",
        "{}", "FAILED", &ex);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "error"), "States.DataLimitExceeded");
    cJSON_Delete(d);
    free(ex);
}

/* ---------------- execution timeout, Parallel abort, retry caps ---------------- */

Test(asl_retry_catch, max_delay_caps_backoff, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:"
        "111111111111:"
        "function:f\",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"IntervalSeconds\":10,\"BackoffRate\":10,"
        "\"MaxDelaySeconds\":15,\"MaxAttempts\":3}],\"End\":true}}}",
        "{}", "RUNNING", &ex);
    /* retries at +10 s, +25 s, +40 s, then the error is final */
    int64_t steps[] = {10000, 15000, 15000};
    for (int i = 0; i < 3; i++) {
        clock_advance(S, steps[i] - 1);
        cJSON *d = describe(ex);
        cr_assert_str_eq(jstr(d, "status"), "RUNNING", "retry %d fired early", i);
        cJSON_Delete(d);
        clock_advance(S, 1);
    }
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "FAILED");
    cr_assert_float_eq(jnum(d, "stopDate", 0), (TEST_EPOCH_MS + 40000) / 1000.0, 1e-6);
    cJSON_Delete(d);
    free(ex);
}

Test(asl_retry_catch, execution_timeout, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"TimeoutSeconds\":5,\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":10,\"End\":"
        "true}}}",
        "{}", "RUNNING", &ex);
    clock_advance(S, 5000);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "TIMED_OUT");
    cr_assert_str_eq(jstr(d, "error"), "States.Timeout");
    cJSON_Delete(d);
    clock_advance(S, 10000); /* the Wait timer must not revive it */
    cJSON *ev = history(ex);
    cr_assert_str_eq(types_of(ev), "ExecutionStarted,WaitStateEntered,ExecutionTimedOut,");
    cJSON_Delete(ev);
    free(ex);
}

Test(asl_parallel_map, failing_branch_aborts_siblings, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"W\","
        "\"States\":{\"W\":"
        "{\"Type\":\"Wait\",\"Seconds\":5,\"End\":true}}},{\"StartAt\":\"W2\",\"States\":{\"W2\":{\"Type\":"
        "\"Wait\","
        "\"Seconds\":1,\"Next\":\"F\"},\"F\":{\"Type\":\"Fail\",\"Error\":\"Boom\",\"Cause\":\"b\"}}}],"
        "\"End\":true}}}",
        "{}", "RUNNING", &ex);
    clock_advance(S, 1000);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "FAILED");
    cr_assert_str_eq(jstr(d, "error"), "Boom");
    cJSON_Delete(d);
    clock_advance(S, 5000);
    cJSON *ev = history(ex);
    cr_assert_str_eq(types_of(ev),
                     "ExecutionStarted,ParallelStateEntered,ParallelStateStarted,WaitStateEntered,"
                     "WaitStateEntered,WaitStateExited,FailStateEntered,ParallelStateFailed,"
                     "ExecutionFailed,");
    /* branches point at ParallelStateStarted (id 3) */
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 3), "previousEventId", -1), 3);
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 4), "previousEventId", -1), 3);
    cJSON_Delete(ev);
    free(ex);
}

Test(asl_pass, context_object_and_map_variables, .init = setup, .fini = teardown) {
    cJSON *out = run(
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"base\":100},\"Next\":\"M\"},"
        "\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":\"I\",\"States\":{\"I\":{\"Type\":\"Pass\","
        "\"Parameters\":{\"v.$\":\"States.MathAdd($base, $)\",\"start.$\":\"$$.Execution.StartTime\","
        "\"state.$\":\"$$.State.Name\"},\"End\":true}}},\"End\":true}}}",
        "[1,2]", "SUCCEEDED", NULL);
    assert_json(out, "[{\"v\":101,\"start\":\"2026-01-01T00:00:00.000Z\",\"state\":\"I\"},{\"v\":102,"
                     "\"start\":\"2026-01-01T00:00:00.000Z\",\"state\":\"I\"}]");
    cJSON_Delete(out);
}

/* StartExecution hands the engine its context ($$) as JSON text; it reads the same in the call that
 * starts the execution and after a Wait (the stored document), and ExecutionStarted keeps its roleArn. */
Test(asl_pass, context_object_before_and_after_a_wait, .init = setup, .fini = teardown) {
    const char *p = "\"Parameters\":{\"id.$\":\"$$.Execution.Id\",\"role.$\":\"$$.Execution.RoleArn\","
                    "\"in.$\":\"$$.Execution.Input\",\"sm.$\":\"$$.StateMachine.Name\","
                    "\"redrives.$\":\"$$.Execution.RedriveCount\"}";
    char def[1024], *ex;
    snprintf(def, sizeof def,
             "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",%s,\"ResultPath\":\"$.first\","
             "\"Next\":\"W\"},\"W\":{\"Type\":\"Wait\",\"Seconds\":5,\"Next\":\"B\"},\"B\":{\"Type\":"
             "\"Pass\",%s,\"ResultPath\":\"$.second\",\"End\":true}}}",
             p, p);
    run(def, "{\"k\":[1,\"\\u00e9\"]}", "RUNNING", &ex);
    clock_advance(S, 5000);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cJSON *out = cJSON_Parse(jstr(d, "output"));
    char want[2048];
    snprintf(want, sizeof want,
             "{\"id\":\"%s\",\"role\":\"arn:aws:iam::111111111111:role/sfn\",\"in\":{\"k\":[1,\"\u00e9\"]},"
             "\"sm\":\"%s\",\"redrives\":0}",
             ex, strrchr(jstr(d, "stateMachineArn"), ':') + 1);
    cJSON *w = cJSON_Parse(want);
    cr_assert(cJSON_Compare(cJSON_GetObjectItem(out, "first"), w, 1), "%s", jstr(d, "output"));
    cr_assert(cJSON_Compare(cJSON_GetObjectItem(out, "second"), w, 1), "%s", jstr(d, "output"));
    cJSON *ev = history(ex);
    cJSON *started = cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 0), "executionStartedEventDetails");
    cr_assert_str_eq(jstr(started, "roleArn"), "arn:aws:iam::111111111111:role/sfn");
    cJSON_Delete(ev);
    cJSON_Delete(w);
    cJSON_Delete(out);
    cJSON_Delete(d);
    free(ex);
}

Test(asl_limits, big_map_stops_at_the_history_limit, .init = setup, .fini = teardown) {
    char *input = malloc(80000);
    strcpy(input, "[");
    for (int i = 0; i < 7000; i++)
        sprintf(input + strlen(input), "%s%d", i ? "," : "", i);
    strcat(input, "]");
    char *ex;
    run("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":\"P\","
        "\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}",
        input, "FAILED", &ex);
    free(input);
    char buf[600];
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\",\"reverseOrder\":true,\"maxResults\":2}", ex);
    cJSON *out = call_ok("GetExecutionHistory", buf);
    cJSON *evs = cJSON_GetObjectItem(out, "events");
    cr_assert_eq(jint(cJSON_GetArrayItem(evs, 0), "id", 0), ASL_MAX_HISTORY);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(evs, 0), "type"), "ExecutionFailed");
    cr_assert_eq(jint(cJSON_GetArrayItem(evs, 1), "id", 0), ASL_MAX_HISTORY - 1);
    cJSON_Delete(out);
    free(ex);
}

Test(asl_wait, long_polling_loop_resumes_on_every_timer, .init = setup, .fini = teardown) {
    char *ex;
    run("{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":1,\"Next\":\"Inc\"},\"Inc\":{"
        "\"Type\":"
        "\"Pass\",\"Parameters\":{\"n.$\":\"States.MathAdd($.n, "
        "1)\"},\"Next\":\"C\"},\"C\":{\"Type\":\"Choice\","
        "\"Choices\":[{\"Variable\":\"$.n\",\"NumericLessThan\":1000,\"Next\":\"W\"}],\"Default\":\"D\"},"
        "\"D\":{\"Type\":"
        "\"Succeed\"}}}",
        "{\"n\":0}", "RUNNING", &ex);
    cr_assert_eq(clock_advance(S, 1000000), 1000);
    cJSON *d = describe(ex);
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(d, "output"), "{\"n\":1000}");
    cJSON_Delete(d);
    cJSON *ev = history(ex); /* first page of 1000 */
    cr_assert_eq(cJSON_GetArraySize(ev), 1000);
    cJSON_Delete(ev);
    char buf[600];
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\",\"reverseOrder\":true,\"maxResults\":1}", ex);
    cJSON *out = call_ok("GetExecutionHistory", buf);
    cJSON *last = cJSON_GetArrayItem(cJSON_GetObjectItem(out, "events"), 0);
    /* 1 start + 1000 x (Wait, Pass, Choice entered/exited) + Succeed entered/exited + end */
    cr_assert_eq(jint(last, "id", 0), 1 + 6000 + 2 + 1);
    cr_assert_eq(jint(last, "previousEventId", 0), 6003);
    cr_assert_float_eq(jnum(last, "timestamp", 0), (TEST_EPOCH_MS + 1000000) / 1000.0, 1e-6);
    cJSON_Delete(out);
    free(ex);
}
