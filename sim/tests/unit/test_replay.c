/*
 * test_replay.c — the scenario runner's pieces: schema validation with file/line/step/field in
 * the error, semantic checks (references, JSONPath, names), assertion paths and operators,
 * interpolation, an in-process scenario run (passed / failed with the actual value), byte-identical
 * results on a second run, and the HTML report (timeline and executed-path graph).
 */
#include <stdio.h>
#include <unistd.h>

#include "replay/replay.h"
#include "testutil.h"

static char tmpdir[256];

static void setup_tmp(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test-replay-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void cleanup_tmp(void) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (tmpdir[0] && system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
}

static const char *write_tmp(const char *name, const char *text) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    cr_assert_eq(rp_write_file(path, text), 0);
    return path;
}

static int load_text(const char *text, char *err, size_t n) {
    rp_scenario_t sc;
    int rc = rp_load(write_tmp("s.json", text), &sc, err, n);
    if (rc == 0) rp_scenario_free(&sc);
    return rc;
}

#define HEAD                                                                                                 \
    "{\n  \"name\": \"t\",\n  \"description\": \"a scenario used by the unit tests\",\n  \"program\": "      \
    "\"none\",\n"

TestSuite(replay_load, .init = setup_tmp, .fini = cleanup_tmp);

Test(replay_load, valid_minimal) {
    char err[2048] = "";
    cr_assert_eq(
        load_text(HEAD "  \"steps\": [{\"kind\": \"advance\", \"seconds\": 5}]\n}\n", err, sizeof err), 0,
        "%s", err);
}

Test(replay_load, unknown_step_kind_names_file_line_step_field) {
    char err[2048] = "";
    cr_assert_eq(load_text(HEAD "  \"steps\": [\n    {\"kind\": \"advance\", \"seconds\": 5},\n"
                                "    {\"kind\": \"teleport\", \"name\": \"jump\"}\n  ]\n}\n",
                           err, sizeof err),
                 -1);
    cr_assert(strstr(err, "s.json:7:"), "%s", err);
    cr_assert(strstr(err, "step 2 \"jump\" (teleport)"), "%s", err);
    cr_assert(strstr(err, "field \"steps[1].kind\""), "%s", err);
    cr_assert(strstr(err, "\"teleport\" is not one of"), "%s", err);
}

Test(replay_load, wrong_type_and_missing_field) {
    char err[2048] = "";
    cr_assert_eq(
        load_text(HEAD "  \"steps\": [{\"kind\": \"advance\", \"seconds\": \"five\"}]\n}\n", err, sizeof err),
        -1);
    cr_assert(strstr(err, "steps[0].seconds") && strstr(err, "expected number, got string"), "%s", err);
    cr_assert_eq(
        load_text(HEAD "  \"steps\": [{\"kind\": \"aws\", \"service\": \"sts\"}]\n}\n", err, sizeof err), -1);
    cr_assert(strstr(err, "required field \"operation\" is missing"), "%s", err);
    cr_assert_eq(load_text(HEAD "  \"steps\": [{\"kind\": \"advance\", \"seconds\": 1, \"color\": 1}]\n}\n",
                           err, sizeof err),
                 -1);
    cr_assert(strstr(err, "unknown field \"color\""), "%s", err);
}

Test(replay_load, not_json_gives_line) {
    char err[2048] = "";
    cr_assert_eq(load_text("{\n  \"name\": \"t\",\n  \"steps\": [,]\n}\n", err, sizeof err), -1);
    cr_assert(strstr(err, "s.json:3: not valid JSON"), "%s", err);
}

Test(replay_load, from_memory_same_checks_and_names_the_file) {
    rp_scenario_t sc;
    char err[2048] = "";
    cr_assert_eq(rp_load_text("mem.json", HEAD "  \"steps\": [{\"kind\": \"advance\", \"seconds\": 5}]\n}\n",
                              &sc, err, sizeof err),
                 0, "%s", err);
    cr_assert_str_eq(sc.name, "t");
    rp_scenario_free(&sc);
    /* the parsed schema is kept between loads: a second, failing load still sees it */
    cr_assert_eq(
        rp_load_text("mem.json", HEAD "  \"steps\": [{\"kind\": \"advance\"}]\n}\n", &sc, err, sizeof err),
        -1);
    cr_assert(strstr(err, "mem.json:5:") && strstr(err, "required field \"seconds\" is missing"), "%s", err);
    cr_assert_eq(
        rp_load_text("mem.json", "{\n  \"name\": \"t\",\n  \"steps\": [,]\n}\n", &sc, err, sizeof err), -1);
    cr_assert(strstr(err, "mem.json:3: not valid JSON"), "%s", err);
}

Test(replay_load, bad_jsonpath_and_undefined_variables) {
    char err[2048] = "";
    cr_assert_eq(
        load_text(HEAD
                  "  \"steps\": [{\"kind\": \"expect\", \"name\": \"e\", \"call\": {\"service\": \"sts\", "
                  "\"operation\": \"GetCallerIdentity\"},\n \"assert\": [{\"path\": \"$.a[\", \"equals\": "
                  "1}]}]\n}\n",
                  err, sizeof err),
        -1);
    cr_assert(strstr(err, "bad JSONPath $.a[") && strstr(err, "steps[0].assert[0].path"), "%s", err);
    cr_assert_eq(
        load_text(HEAD
                  "  \"steps\": [{\"kind\": \"aws\", \"service\": \"sts\", \"operation\": \"AssumeRole\",\n"
                  "   \"input\": {\"RoleArn\": \"${steps.later.Arn}\"}},\n"
                  "  {\"kind\": \"advance\", \"name\": \"later\", \"seconds\": 1}]\n}\n",
                  err, sizeof err),
        -1);
    cr_assert(strstr(err, "undefined variable ${steps.later.Arn}") && strstr(err, "steps[0].input"), "%s",
              err);
    cr_assert_eq(
        load_text(
            HEAD "  \"steps\": [{\"kind\": \"fault\", \"action\": \"clear\", \"id\": \"${outputs.x}\"}]\n}\n",
            err, sizeof err),
        -1);
    cr_assert(strstr(err, "outputs exist only after a deploy step"), "%s", err);
    cr_assert_eq(load_text(HEAD "  \"steps\": [{\"kind\": \"advance\", \"seconds\": 1, \"name\": \"a\"},\n"
                                "   {\"kind\": \"advance\", \"seconds\": 1, \"name\": \"a\"}]\n}\n",
                           err, sizeof err),
                 -1);
    cr_assert(strstr(err, "used twice"), "%s", err);
    cr_assert_eq(
        load_text(HEAD
                  "  \"status\": \"pending\",\n  \"steps\": [{\"kind\": \"advance\", \"seconds\": 1}]\n}\n",
                  err, sizeof err),
        -1);
    cr_assert(strstr(err, "pendingReason"), "%s", err);
}

Test(replay_load, every_library_scenario_is_valid) {
    const char *dirs[] = {"scenarios/python", "scenarios/typescript"};
    int n = 0;
    for (int d = 0; d < 2; d++) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "ls %s/*.json 2>/dev/null", dirs[d]);
        FILE *p = popen(cmd, "r");
        char line[512];
        while (p && fgets(line, sizeof line, p)) {
            line[strcspn(line, "\n")] = 0;
            rp_scenario_t sc;
            char err[2048] = "";
            cr_expect_eq(rp_load(line, &sc, err, sizeof err), 0, "%s", err);
            rp_scenario_free(&sc);
            n++;
        }
        if (p) pclose(p);
    }
    cr_assert_geq(n, 16, "the library holds at least 16 scenarios (found %d)", n);
}

Test(replay_expr, paths_and_length) {
    cJSON *doc = cJSON_Parse("{\"a\":{\"b\":[{\"x\":\"y\",\"n\":1},{\"x\":\"z\",\"n\":2}]},\"s\":\"hello\"}");
    cJSON *v = rp_path_get(doc, "$.a.b[1].n");
    cr_assert(cJSON_IsNumber(v) && v->valueint == 2);
    cJSON_Delete(v);
    v = rp_path_get(doc, "$.a.b.length()");
    cr_assert(cJSON_IsNumber(v) && v->valueint == 2);
    cJSON_Delete(v);
    v = rp_path_get(doc, "$.a.b[?(@.x=='z')].n");
    char *t = cJSON_PrintUnformatted(v);
    cr_assert_str_eq(t, "[2]");
    free(t);
    cJSON_Delete(v);
    v = rp_path_get(doc, "$.s.length()");
    cr_assert_eq(v->valueint, 5);
    cJSON_Delete(v);
    cr_assert_null(rp_path_get(doc, "$.missing"));
    cr_assert(rp_path_valid("$.a[*].b.length()"));
    cr_assert_not(rp_path_valid("a.b"));
    cJSON_Delete(doc);
}

Test(replay_expr, interpolation) {
    cJSON *vars = cJSON_Parse("{\"outputs\":{\"arns\":\"{\\\"prod\\\":\\\"arn:1\\\"}\",\"n\":\"3\"},"
                              "\"steps\":{\"s\":{\"List\":[{\"Id\":7}]}}}");
    cJSON *in =
        cJSON_Parse("{\"whole\":\"${steps.s.List[0].Id}\",\"part\":\"id-${steps.s.List[0].Id}-${outputs.n}\","
                    "\"json\":\"${outputs.arns.prod}\",\"${outputs.n}\":1}");
    char err[256] = "";
    cJSON *out = rp_interpolate(in, vars, err, sizeof err);
    cr_assert_not_null(out, "%s", err);
    char *t = cJSON_PrintUnformatted(out);
    cr_assert_str_eq(t, "{\"whole\":7,\"part\":\"id-7-3\",\"json\":\"arn:1\",\"3\":1}");
    free(t);
    cJSON_Delete(out);
    cJSON *bad = cJSON_CreateString("${steps.s.Nope}");
    cr_assert_null(rp_interpolate(bad, vars, err, sizeof err));
    cr_assert(strstr(err, "undefined variable ${steps.s.Nope}"), "%s", err);
    cJSON_Delete(bad);
    cJSON_Delete(in);
    cJSON_Delete(vars);
}

Test(replay_expr, assertion_operators) {
    cJSON *doc = cJSON_Parse("{\"s\":\"Success: ok\",\"n\":5,\"arr\":[1,2],\"t\":\"12.5\"}");
    struct {
        const char *a;
        int want;
    } cases[] = {{"{\"path\":\"$.n\",\"equals\":5}", 1},
                 {"{\"path\":\"$.n\",\"notEquals\":5}", 0},
                 {"{\"path\":\"$.n\",\"lt\":6}", 1},
                 {"{\"path\":\"$.n\",\"ge\":6}", 0},
                 {"{\"path\":\"$.t\",\"gt\":12}", 1},
                 {"{\"path\":\"$.s\",\"matches\":\"^Success\"}", 1},
                 {"{\"path\":\"$.s\",\"contains\":\"ok\"}", 1},
                 {"{\"path\":\"$.arr\",\"contains\":3}", 0},
                 {"{\"path\":\"$.none\",\"exists\":false}", 1},
                 {"{\"path\":\"$.n\",\"in\":[4,5]}", 1},
                 {"{\"path\":\"$.none\",\"equals\":null}", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *a = cJSON_Parse(cases[i].a), *actual = NULL;
        char why[512] = "";
        cr_expect_eq(rp_assert(doc, a, &actual, why, sizeof why), cases[i].want, "%s", cases[i].a);
        if (!cases[i].want) cr_expect(strstr(why, "actual"), "%s: %s", cases[i].a, why);
        cJSON_Delete(actual);
        cJSON_Delete(a);
    }
    cJSON_Delete(doc);
}

/* ---- running in process ---- */

static const char *SCENARIO =
    "{\"name\":\"unit-run\",\"description\":\"in-process run used by the unit tests\",\"program\":\"none\",\n"
    "\"steps\":[\n"
    "{\"kind\":\"aws\",\"name\":\"zone\",\"service\":\"route53\",\"operation\":\"CreateHostedZone\","
    "\"input\":{\"Name\":\"example.com\",\"CallerReference\":\"r1\"}},\n"
    "{\"kind\":\"aws\",\"name\":\"hc\",\"service\":\"route53\",\"operation\":\"CreateHealthCheck\","
    "\"input\":{\"CallerReference\":\"h1\",\"HealthCheckConfig\":{\"Type\":\"HTTPS\","
    "\"FullyQualifiedDomainName\":"
    "\"new.example.com\",\"RequestInterval\":10,\"FailureThreshold\":3}}},\n"
    "{\"kind\":\"aws\",\"name\":\"rr\",\"service\":\"route53\",\"operation\":\"ChangeResourceRecordSets\","
    "\"input\":{\"HostedZoneId\":\"${steps.zone.HostedZone.Id}\",\"ChangeBatch\":{\"Changes\":["
    "{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"api.example.com\",\"Type\":\"CNAME\","
    "\"SetIdentifier\":"
    "\"legacy\",\"Weight\":90,\"TTL\":60,\"ResourceRecords\":[{\"Value\":\"legacy.example.com\"}]}},"
    "{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"api.example.com\",\"Type\":\"CNAME\","
    "\"SetIdentifier\":"
    "\"new\",\"Weight\":10,\"TTL\":60,\"HealthCheckId\":\"${steps.hc.HealthCheck.Id}\",\"ResourceRecords\":[{"
    "\"Value\":"
    "\"new.example.com\"}]}}]}}},\n"
    "{\"kind\":\"aws\",\"name\":\"sm\",\"service\":\"stepfunctions\",\"operation\":\"CreateStateMachine\","
    "\"input\":{\"name\":\"flow\",\"roleArn\":\"arn:aws:iam::111111111111:role/r\",\"definition\":"
    "\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Wait\\\",\\\"Seconds\\\":30,"
    "\\\"Next\\\":"
    "\\\"C\\\"},\\\"C\\\":{\\\"Type\\\":\\\"Choice\\\",\\\"Choices\\\":[{\\\"Variable\\\":\\\"$.go\\\","
    "\\\"BooleanEquals\\\":"
    "true,\\\"Next\\\":\\\"Yes\\\"}],\\\"Default\\\":\\\"No\\\"},\\\"Yes\\\":{\\\"Type\\\":\\\"Succeed\\\"},"
    "\\\"No\\\":"
    "{\\\"Type\\\":\\\"Fail\\\",\\\"Error\\\":\\\"E\\\"}}}\"}},\n"
    "{\"kind\":\"aws\",\"name\":\"run\",\"service\":\"stepfunctions\",\"operation\":\"StartExecution\","
    "\"input\":{\"stateMachineArn\":\"${steps.sm.stateMachineArn}\",\"name\":\"x1\",\"input\":\"{\\\"go\\\":"
    "true}\"}},\n"
    "{\"kind\":\"advance\",\"seconds\":60},\n"
    "{\"kind\":\"fault\",\"action\":\"inject\",\"fault\":{\"service\":\"route53\",\"healthCheckId\":"
    "\"${steps.hc.HealthCheck.Id}\",\"status\":\"unhealthy\"}},\n"
    "{\"kind\":\"expect\",\"name\":\"hs\",\"call\":{\"service\":\"route53\",\"operation\":"
    "\"GetHealthCheckStatus\","
    "\"input\":{\"HealthCheckId\":\"${steps.hc.HealthCheck.Id}\"}},\"assert\":[{\"path\":"
    "\"$.HealthCheckObservations[0].StatusReport.Status\",\"matches\":\"^Failure\"}],\"within\":120},\n"
    "{\"kind\":\"expect\",\"call\":{\"service\":\"stepfunctions\",\"operation\":\"DescribeExecution\","
    "\"input\":"
    "{\"executionArn\":\"${steps.run.executionArn}\"}},\"assert\":[{\"path\":\"$.status\",\"equals\":\"%s\"}]"
    "},\n"
    "{\"kind\":\"snapshot\",\"label\":\"end\"}\n"
    "]}\n";

static cJSON *run_text(const char *text, const char *name) {
    rp_scenario_t sc;
    char err[2048] = "";
    cr_assert_eq(rp_load(write_tmp(name, text), &sc, err, sizeof err), 0, "%s", err);
    rp_opts_t o = {0};
    snprintf(o.root, sizeof o.root, ".");
    snprintf(o.workdir, sizeof o.workdir, "%s/work-%s", tmpdir, name);
    FILE *saved = stdout;
    stdout = fopen("/dev/null", "w");
    cJSON *r = rp_run_scenario(&sc, &o);
    fclose(stdout);
    stdout = saved;
    rp_scenario_free(&sc);
    return r;
}

TestSuite(replay_run, .init = setup_tmp, .fini = cleanup_tmp);

Test(replay_run, passes_and_is_deterministic) {
    char text[8192];
    snprintf(text, sizeof text, SCENARIO, "SUCCEEDED");
    cJSON *a = run_text(text, "a.json"), *b = run_text(text, "b.json");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(a, "status")), "passed", "%s",
                     cJSON_GetStringValue(cJSON_GetObjectItem(a, "message")));
    /* byte-identical apart from the file name */
    cJSON_ReplaceItemInObject(b, "file",
                              cJSON_CreateString(cJSON_GetStringValue(cJSON_GetObjectItem(a, "file"))));
    char *ta = rp_json_text(a), *tb = rp_json_text(b);
    cr_assert_str_eq(ta, tb);
    /* the timeline saw both weights, the health flip and the execution */
    cr_assert(strstr(ta, "weight [new] api.example.com."), "%s", ta);
    cr_assert(strstr(ta, "\"unhealthy\""));
    cr_assert(strstr(ta, "\"SUCCEEDED\""));
    cr_assert(strstr(ta, "\"entered\""));
    free(ta);
    free(tb);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

Test(replay_run, failing_expectation_reports_actual_and_skips_rest) {
    char text[8192];
    snprintf(text, sizeof text, SCENARIO, "FAILED");
    cJSON *r = run_text(text, "f.json");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(r, "status")), "failed");
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItem(r, "message"));
    cr_assert(strstr(msg, "step 9") && strstr(msg, "actual \"SUCCEEDED\""), "%s", msg);
    cJSON *steps = cJSON_GetObjectItem(r, "steps");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(steps, 9), "status")),
                     "skipped");
    cJSON *f = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(steps, 8), "detail"), "failures"), 0);
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(f, "actual")), "SUCCEEDED");
    /* the report shows the failing assertion's actual value, the timeline and the graph */
    cJSON *all = cJSON_CreateArray();
    cJSON_AddItemToArray(all, r);
    cr_assert_eq(rp_write_html(tmpdir, all), 0);
    char path[400];
    snprintf(path, sizeof path, "%s/index.html", tmpdir);
    char *html = rp_read_file(path, NULL);
    cr_assert(strstr(html, "actual: <span class=\"actual\">&quot;SUCCEEDED&quot;</span>"));
    cr_assert(strstr(html, "<svg class=\"timeline\""));
    cr_assert(strstr(html, "<svg class=\"graph\""));
    cr_assert(strstr(html, "class=\"state entered\" data-state=\"Yes\""), "executed state highlighted");
    cr_assert(strstr(html, "class=\"state\" data-state=\"No\""), "state not entered stays plain");
    cr_assert(strstr(html, "class=\"edge hot\""));
    free(html);
    snprintf(path, sizeof path, "%s/junit.xml", tmpdir);
    cr_assert_eq(rp_write_junit(path, all), 0);
    char *xml = rp_read_file(path, NULL);
    cr_assert(strstr(xml, "failures=\"1\"") && strstr(xml, "<failure message="));
    free(xml);
    cJSON_Delete(all);
}

Test(replay_run, aws_errors_and_expect_error) {
    const char *text =
        "{\"name\":\"errs\",\"description\":\"aws errors in the unit "
        "tests\",\"program\":\"none\",\"steps\":[\n"
        "{\"kind\":\"aws\",\"name\":\"bad\",\"service\":\"iam\",\"operation\":\"GetRole\",\"input\":"
        "{\"RoleName\":\"nope\"},\"expectError\":\"NoSuchEntity\"},\n"
        "{\"kind\":\"expect\",\"of\":\"bad\",\"assert\":[{\"path\":\"$.error.Code\",\"equals\":"
        "\"NoSuchEntity\"}]},\n"
        "{\"kind\":\"aws\",\"service\":\"iam\",\"operation\":\"GetRole\",\"input\":{\"RoleName\":\"nope\"}}\n"
        "]}\n";
    cJSON *r = run_text(text, "e.json");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(r, "status")), "failed");
    cr_assert(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(r, "message")), "step 3"));
    cr_assert(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(r, "message")), "NoSuchEntity"));
    cJSON_Delete(r);
}
