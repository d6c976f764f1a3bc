/*
 * test_sfn_conformance.c — runs the conformance suite in the JSON files of tests/conformance/sfn: examples
 * from the AWS Step Functions documentation (definition, input, expected status/output/error).
 * Each case runs through CreateStateMachine/StartExecution; the virtual clock is advanced to the
 * next timer until the execution ends. Every failing case is listed before the test fails.
 */
#include <dirent.h>
#include <stdio.h>

#include "testutil.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = 0;
    fclose(f);
    return b;
}

static cJSON *op(sim_t *s, const char *name, cJSON *in, sim_error_t *e) {
    cJSON *out = NULL;
    memset(e, 0, sizeof *e);
    if (service_call(s, "stepfunctions", name, TEST_ACCOUNT, "us-east-1", NULL, in, &out, e)) return NULL;
    return out;
}

/* Run one case; returns NULL when it passes, else a malloc'd description. */
static char *run_case(sim_t *s, const cJSON *c, int n) {
    char name[32], buf[2048];
    snprintf(name, sizeof name, "conf-%d", n);
    sim_error_t e;
    const cJSON *mock = cJSON_GetObjectItem(c, "mock");
    if (mock) {
        cJSON *cfg = cJSON_CreateObject();
        cJSON *tc = cJSON_AddObjectToObject(
            cJSON_AddObjectToObject(
                cJSON_AddObjectToObject(cJSON_AddObjectToObject(cfg, "StateMachines"), name), "TestCases"),
            "T");
        cJSON_AddStringToObject(tc, "Task", "R");
        cJSON *r0 = cJSON_AddObjectToObject(
            cJSON_AddObjectToObject(cJSON_AddObjectToObject(cfg, "MockedResponses"), "R"), "0");
        cJSON_AddItemToObject(r0, "Return", cJSON_Duplicate(mock, 1));
        free(s->sfn_mock_config);
        s->sfn_mock_config = cJSON_PrintUnformatted(cfg);
        cJSON_Delete(cfg);
    }
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "name", name);
    cJSON_AddItemToObject(in, "definition", cJSON_CreateString(""));
    char *def = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "definition"));
    cJSON_ReplaceItemInObject(in, "definition", cJSON_CreateString(def));
    free(def);
    cJSON_AddStringToObject(in, "roleArn", "arn:aws:iam::111111111111:role/conformance");
    cJSON *out = op(s, "CreateStateMachine", in, &e);
    cJSON_Delete(in);
    if (!out) {
        snprintf(buf, sizeof buf, "CreateStateMachine failed: %s %s", e.code, e.message);
        return strdup(buf);
    }
    char arn[512];
    snprintf(arn, sizeof arn, "%s%s", jstr(out, "stateMachineArn"), mock ? "#T" : "");
    cJSON_Delete(out);
    in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "stateMachineArn", arn);
    char *input = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "input"));
    cJSON_AddStringToObject(in, "input", input);
    free(input);
    out = op(s, "StartExecution", in, &e);
    cJSON_Delete(in);
    if (!out) {
        snprintf(buf, sizeof buf, "StartExecution failed: %s %s", e.code, e.message);
        return strdup(buf);
    }
    in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "executionArn", jstr(out, "executionArn"));
    cJSON_Delete(out);
    cJSON *d = NULL;
    for (int i = 0; i < 1000; i++) {
        cJSON_Delete(d);
        d = op(s, "DescribeExecution", in, &e);
        if (!d || strcmp(jstr(d, "status"), "RUNNING")) break;
        int64_t due = timer_next_due(s);
        if (due < 0) break;
        clock_set(s, due);
    }
    cJSON_Delete(in);
    const cJSON *want = cJSON_GetObjectItem(c, "expected");
    char *res = NULL;
    const char *st = d ? jstr(d, "status") : "(none)";
    if (strcmp(st, jstr(want, "status"))) {
        snprintf(buf, sizeof buf, "status %s, want %s (error %s: %s)", st, jstr(want, "status"),
                 jstr(d, "error") ? jstr(d, "error") : "", jstr(d, "cause") ? jstr(d, "cause") : "");
        res = strdup(buf);
    } else if (cJSON_GetObjectItem(want, "output")) {
        cJSON *got = cJSON_Parse(jstr(d, "output") ? jstr(d, "output") : "null");
        if (!cJSON_Compare(got, cJSON_GetObjectItem(want, "output"), 1)) {
            char *w = cJSON_PrintUnformatted(cJSON_GetObjectItem(want, "output"));
            snprintf(buf, sizeof buf, "output %.800s, want %.800s", jstr(d, "output"), w);
            free(w);
            res = strdup(buf);
        }
        cJSON_Delete(got);
    }
    if (!res && jstr(want, "error") && (!jstr(d, "error") || strcmp(jstr(d, "error"), jstr(want, "error")))) {
        snprintf(buf, sizeof buf, "error %s, want %s", jstr(d, "error") ? jstr(d, "error") : "(none)",
                 jstr(want, "error"));
        res = strdup(buf);
    }
    if (!res && jstr(want, "cause") && (!jstr(d, "cause") || strcmp(jstr(d, "cause"), jstr(want, "cause")))) {
        snprintf(buf, sizeof buf, "cause %s, want %s", jstr(d, "cause") ? jstr(d, "cause") : "(none)",
                 jstr(want, "cause"));
        res = strdup(buf);
    }
    cJSON_Delete(d);
    return res;
}

Test(sfn_conformance, documentation_examples) {
    const char *dir =
        getenv("AWSSIM_SFN_CONFORMANCE") ? getenv("AWSSIM_SFN_CONFORMANCE") : "tests/conformance/sfn";
    DIR *dp = opendir(dir);
    cr_assert_not_null(dp, "conformance directory %s not found (run from the repository root)", dir);
    struct dirent *de;
    int total = 0, failed = 0;
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json")) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char *text = read_file(path);
        cJSON *cases = cJSON_Parse(text);
        free(text);
        cr_assert(cJSON_IsArray(cases), "%s is not a JSON array", path);
        const cJSON *c;
        cJSON_ArrayForEach(c, cases) {
            sim_t *s = test_sim();
            char *why = run_case(s, c, total);
            total++;
            if (why) {
                failed++;
                cr_log_error("%s: %s: %s", de->d_name, jstr(c, "name"), why);
                free(why);
            }
            test_sim_free(s);
        }
        cJSON_Delete(cases);
    }
    closedir(dp);
    cr_log_info("sfn conformance: %d/%d cases pass", total - failed, total);
    cr_assert(total >= 50, "only %d conformance cases found", total);
    cr_assert_eq(failed, 0, "%d of %d conformance cases failed", failed, total);
}
