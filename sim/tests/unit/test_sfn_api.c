/*
 * test_sfn_api.c — Step Functions operations: state machine lifecycle, versions and aliases,
 * execution idempotency/listing/paging, Stop/Redrive, StartSyncExecution, activities, nested
 * .sync executions, aws-sdk and mock-config task integrations, tags, TestState, map runs.
 */
#include <stdarg.h>
#include <stdio.h>

#include "asl/asl.h"
#include "testutil.h"

static sim_t *S;

static void setup(void) {
    S = test_sim();
}

static void teardown(void) {
    test_sim_free(S);
}

static cJSON *callf(sim_error_t *e, const char *op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static cJSON *callf(sim_error_t *e, const char *op, const char *fmt, ...) {
    char buf[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON *out = NULL;
    if (test_call(S, "stepfunctions", TEST_ACCOUNT, op, buf, &out, e)) return NULL;
    return out;
}

#define OK(op, ...)                                                                                          \
    ({                                                                                                       \
        sim_error_t _e;                                                                                      \
        cJSON *_o = callf(&_e, op, __VA_ARGS__);                                                             \
        cr_assert_not_null(_o, "%s failed: %s %s", op, _e.code, _e.message);                                 \
        _o;                                                                                                  \
    })

#define ERR(want, op, ...)                                                                                   \
    do {                                                                                                     \
        sim_error_t _e;                                                                                      \
        cJSON *_o = callf(&_e, op, __VA_ARGS__);                                                             \
        cr_assert_null(_o, "%s should fail with %s", op, want);                                              \
        cr_assert_str_eq(_e.code, want, "%s: got %s (%s)", op, _e.code, _e.message);                         \
    } while (0)

#define ROLE "arn:aws:iam::111111111111:role/sfn"
#define PASS_DEF                                                                                             \
    "{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"End\\\":true}}}"
#define SM_ARN "arn:aws:states:us-east-1:111111111111:stateMachine:"

static void mk(const char *name, const char *def_escaped, const char *type) {
    cJSON_Delete(OK("CreateStateMachine",
                    "{\"name\":\"%s\",\"roleArn\":\"%s\",\"definition\":\"%s\",\"type\":\"%s\"}", name, ROLE,
                    def_escaped, type));
}

Test(sfn_api, state_machine_lifecycle, .init = setup, .fini = teardown) {
    cJSON *o = OK("CreateStateMachine",
                  "{\"name\":\"m1\",\"roleArn\":\"%s\",\"definition\":\"%s\",\"publish\":true,"
                  "\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}",
                  ROLE, PASS_DEF);
    cr_assert_str_eq(jstr(o, "stateMachineArn"), SM_ARN "m1");
    cr_assert_str_eq(jstr(o, "stateMachineVersionArn"), SM_ARN "m1:1");
    cJSON_Delete(o);
    /* identical create is idempotent, a different one conflicts */
    cJSON_Delete(OK("CreateStateMachine", "{\"name\":\"m1\",\"roleArn\":\"%s\",\"definition\":\"%s\"}", ROLE,
                    PASS_DEF));
    ERR("StateMachineAlreadyExists", "CreateStateMachine",
        "{\"name\":\"m1\",\"roleArn\":\"arn:aws:iam::111111111111:role/other\",\"definition\":\"%s\"}",
        PASS_DEF);
    ERR("InvalidName", "CreateStateMachine",
        "{\"name\":\"bad name\",\"roleArn\":\"%s\",\"definition\":\"%s\"}", ROLE, PASS_DEF);
    o = OK("DescribeStateMachine", "{\"stateMachineArn\":\"" SM_ARN "m1\"}");
    cr_assert_str_eq(jstr(o, "status"), "ACTIVE");
    cr_assert_str_eq(jstr(o, "type"), "STANDARD");
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(o, "loggingConfiguration"), "level"), "OFF");
    char rev[64];
    snprintf(rev, sizeof rev, "%s", jstr(o, "revisionId"));
    cJSON_Delete(o);
    ERR("StateMachineDoesNotExist", "DescribeStateMachine", "{\"stateMachineArn\":\"" SM_ARN "nope\"}");
    ERR("InvalidArn", "DescribeStateMachine", "{\"stateMachineArn\":\"arn:aws:foo\"}");
    o = OK("UpdateStateMachine",
           "{\"stateMachineArn\":\"" SM_ARN
           "m1\",\"definition\":\"{\\\"StartAt\\\":\\\"B\\\",\\\"States\\\":{\\\"B\\\":"
           "{\\\"Type\\\":\\\"Succeed\\\"}}}\",\"publish\":true,\"versionDescription\":\"v2\"}");
    cr_assert_str_neq(jstr(o, "revisionId"), rev);
    cr_assert_str_eq(jstr(o, "stateMachineVersionArn"), SM_ARN "m1:2");
    cJSON_Delete(o);
    ERR("MissingRequiredParameter", "UpdateStateMachine", "{\"stateMachineArn\":\"" SM_ARN "m1\"}");
    ERR("ConflictException", "PublishStateMachineVersion",
        "{\"stateMachineArn\":\"" SM_ARN "m1\",\"revisionId\":\"x\"}");
    o = OK("ListStateMachineVersions", "{\"stateMachineArn\":\"" SM_ARN "m1\"}");
    cJSON *vs = cJSON_GetObjectItem(o, "stateMachineVersions");
    cr_assert_eq(cJSON_GetArraySize(vs), 2);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(vs, 0), "stateMachineVersionArn"), SM_ARN "m1:2");
    cJSON_Delete(o);
    o = OK("DescribeStateMachine", "{\"stateMachineArn\":\"" SM_ARN "m1:1\"}");
    cr_assert(strstr(jstr(o, "definition"), "Pass"));
    cJSON_Delete(o);
    /* aliases */
    o = OK("CreateStateMachineAlias",
           "{\"name\":\"live\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"" SM_ARN
           "m1:1\",\"weight\":100}]}");
    cr_assert_str_eq(jstr(o, "stateMachineAliasArn"), SM_ARN "m1:live");
    cJSON_Delete(o);
    ERR("ValidationException", "CreateStateMachineAlias",
        "{\"name\":\"x\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"" SM_ARN
        "m1:1\",\"weight\":50}]}");
    ERR("ConflictException", "DeleteStateMachineVersion", "{\"stateMachineVersionArn\":\"" SM_ARN "m1:1\"}");
    cJSON_Delete(OK("UpdateStateMachineAlias",
                    "{\"stateMachineAliasArn\":\"" SM_ARN
                    "m1:live\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"" SM_ARN
                    "m1:1\",\"weight\":50},{\"stateMachineVersionArn\":\"" SM_ARN "m1:2\",\"weight\":50}]}"));
    o = OK("DescribeStateMachineAlias", "{\"stateMachineAliasArn\":\"" SM_ARN "m1:live\"}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "routingConfiguration")), 2);
    cJSON_Delete(o);
    o = OK("ListStateMachineAliases", "{\"stateMachineArn\":\"" SM_ARN "m1\"}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "stateMachineAliases")), 1);
    cJSON_Delete(o);
    /* an execution through the alias records it */
    o = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "m1:live\",\"name\":\"viaalias\"}");
    cJSON *d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(o, "executionArn"));
    cr_assert_str_eq(jstr(d, "stateMachineAliasArn"), SM_ARN "m1:live");
    cr_assert_not_null(jstr(d, "stateMachineVersionArn"));
    cJSON_Delete(d);
    cJSON_Delete(o);
    cJSON_Delete(OK("DeleteStateMachineAlias", "{\"stateMachineAliasArn\":\"" SM_ARN "m1:live\"}"));
    cJSON_Delete(OK("DeleteStateMachineVersion", "{\"stateMachineVersionArn\":\"" SM_ARN "m1:1\"}"));
    /* tags */
    cJSON_Delete(
        OK("TagResource", "{\"resourceArn\":\"" SM_ARN "m1\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"}]}"));
    cJSON_Delete(OK("UntagResource", "{\"resourceArn\":\"" SM_ARN "m1\",\"tagKeys\":[\"k\"]}"));
    o = OK("ListTagsForResource", "{\"resourceArn\":\"" SM_ARN "m1\"}");
    cJSON *tags = cJSON_GetObjectItem(o, "tags");
    cr_assert_eq(cJSON_GetArraySize(tags), 1);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(tags, 0), "key"), "a");
    cJSON_Delete(o);
    ERR("ResourceNotFound", "ListTagsForResource", "{\"resourceArn\":\"" SM_ARN "zzz\"}");
    o = OK("ListStateMachines", "{}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "stateMachines")), 1);
    cJSON_Delete(o);
    cJSON_Delete(OK("DeleteStateMachine", "{\"stateMachineArn\":\"" SM_ARN "m1\"}"));
    o = OK("ListStateMachines", "{}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "stateMachines")), 0);
    cJSON_Delete(o);
}

Test(sfn_api, executions_idempotency_list_paging, .init = setup, .fini = teardown) {
    mk("m", PASS_DEF, "STANDARD");
    cJSON *a = OK("StartExecution",
                  "{\"stateMachineArn\":\"" SM_ARN "m\",\"name\":\"e1\",\"input\":\"{\\\"x\\\":1}\"}");
    cr_assert_str_eq(jstr(a, "executionArn"), "arn:aws:states:us-east-1:111111111111:execution:m:e1");
    cJSON_Delete(a);
    /* finished execution with the same name -> ExecutionAlreadyExists */
    ERR("ExecutionAlreadyExists", "StartExecution",
        "{\"stateMachineArn\":\"" SM_ARN "m\",\"name\":\"e1\",\"input\":\"{\\\"x\\\":1}\"}");
    ERR("InvalidExecutionInput", "StartExecution",
        "{\"stateMachineArn\":\"" SM_ARN "m\",\"input\":\"{bad\"}");
    ERR("StateMachineDoesNotExist", "StartExecution", "{\"stateMachineArn\":\"" SM_ARN "none\"}");
    for (int i = 0; i < 4; i++) {
        clock_advance(S, 1000);
        cJSON_Delete(OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "m\",\"name\":\"p%d\"}", i));
    }
    cJSON *l = OK("ListExecutions", "{\"stateMachineArn\":\"" SM_ARN "m\",\"maxResults\":3}");
    cJSON *ex = cJSON_GetObjectItem(l, "executions");
    cr_assert_eq(cJSON_GetArraySize(ex), 3);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ex, 0), "name"), "p3"); /* newest first */
    char tok[64];
    snprintf(tok, sizeof tok, "%s", jstr(l, "nextToken"));
    cJSON_Delete(l);
    l = OK("ListExecutions", "{\"stateMachineArn\":\"" SM_ARN "m\",\"maxResults\":3,\"nextToken\":\"%s\"}",
           tok);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "executions")), 2);
    cr_assert_null(jstr(l, "nextToken"));
    cJSON_Delete(l);
    l = OK("ListExecutions", "{\"stateMachineArn\":\"" SM_ARN "m\",\"statusFilter\":\"RUNNING\"}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "executions")), 0);
    cJSON_Delete(l);
    /* history paging and reverse order */
    cJSON *h = OK("GetExecutionHistory",
                  "{\"executionArn\":\"arn:aws:states:us-east-1:111111111111:execution:m:e1\","
                  "\"maxResults\":2,\"reverseOrder\":true}");
    cJSON *ev = cJSON_GetObjectItem(h, "events");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 0), "type"), "ExecutionSucceeded");
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 0), "id", 0), 4);
    cJSON_Delete(h);
    ERR("ExecutionDoesNotExist", "DescribeExecution",
        "{\"executionArn\":\"arn:aws:states:us-east-1:111111111111:execution:m:nope\"}");
    cJSON *d = OK("DescribeStateMachineForExecution",
                  "{\"executionArn\":\"arn:aws:states:us-east-1:111111111111:execution:m:e1\"}");
    cr_assert(strstr(jstr(d, "definition"), "Pass"));
    cJSON_Delete(d);
}

/* Pages are cut by position: executions started in the same millisecond page in order, a page
 * ends where the next matching row would start, executions started while paging do not shift
 * later pages, and a token that is not one ListExecutions gave out is InvalidToken. */
Test(sfn_api, list_paging_by_position, .init = setup, .fini = teardown) {
    mk("m", PASS_DEF, "STANDARD");
    mk("w",
       "{\\\"StartAt\\\":\\\"W\\\",\\\"States\\\":{\\\"W\\\":{\\\"Type\\\":\\\"Wait\\\",\\\"Seconds\\\":60,"
       "\\\"End\\\":true}}}",
       "STANDARD");
    for (int i = 0; i < 250; i++)
        cJSON_Delete(OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "m\",\"name\":\"s%03d\"}", i));
    char tok[64] = "";
    int seen = 0, pages = 0;
    do {
        cJSON *l =
            *tok ? OK("ListExecutions",
                      "{\"stateMachineArn\":\"" SM_ARN "m\",\"maxResults\":100,\"nextToken\":\"%s\"}", tok)
                 : OK("ListExecutions", "{\"stateMachineArn\":\"" SM_ARN "m\",\"maxResults\":100}");
        if (pages == 0) /* started now: above the token, so not in the pages still to come */
            cJSON_Delete(OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "m\",\"name\":\"late\"}"));
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "executions")) {
            char want[8];
            snprintf(want, sizeof want, "s%03d", 249 - seen);
            cr_assert_str_eq(jstr(it, "name"), want);
            seen++;
        }
        const char *nt = jstr(l, "nextToken");
        snprintf(tok, sizeof tok, "%s", nt ? nt : "");
        cJSON_Delete(l);
        pages++;
    } while (*tok);
    cr_assert_eq(seen, 250);
    cr_assert_eq(pages, 3);
    /* exactly a page's worth left: no token pointing at an empty page */
    for (int i = 0; i < 3; i++)
        cJSON_Delete(OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "w\",\"name\":\"r%d\"}", i));
    clock_advance(S, 1000);
    for (int i = 0; i < 2; i++)
        cJSON_Delete(OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "w\",\"name\":\"q%d\"}", i));
    cJSON_Delete(
        OK("StopExecution", "{\"executionArn\":\"arn:aws:states:us-east-1:111111111111:execution:w:r1\"}"));
    cJSON *l = OK("ListExecutions",
                  "{\"stateMachineArn\":\"" SM_ARN "w\",\"maxResults\":2,\"statusFilter\":\"RUNNING\"}");
    cJSON *ex = cJSON_GetObjectItem(l, "executions");
    cr_assert_eq(cJSON_GetArraySize(ex), 2);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ex, 0), "name"), "q1");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ex, 1), "name"), "q0");
    snprintf(tok, sizeof tok, "%s", jstr(l, "nextToken"));
    cJSON_Delete(l);
    l = OK("ListExecutions",
           "{\"stateMachineArn\":\"" SM_ARN
           "w\",\"maxResults\":2,\"statusFilter\":\"RUNNING\",\"nextToken\":\"%s\"}",
           tok);
    ex = cJSON_GetObjectItem(l, "executions");
    cr_assert_eq(cJSON_GetArraySize(ex), 2); /* r1 was stopped: filtered, the page still fills */
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ex, 0), "name"), "r2");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ex, 1), "name"), "r0");
    cr_assert_null(jstr(l, "nextToken"));
    cJSON_Delete(l);
    const char *bad[] = {"abc", "12", "1.2x", "-1.5", "1.-5", "1..2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ERR("InvalidToken", "ListExecutions", "{\"stateMachineArn\":\"" SM_ARN "m\",\"nextToken\":\"%s\"}",
            bad[i]);
}

/* History pages, forward and reverse, with and without execution data, put together are the whole
 * history as one big page gives it; a token past the end is InvalidToken. */
Test(sfn_api, history_pages_are_slices_of_the_whole, .init = setup, .fini = teardown) {
    mk("loop",
       "{\\\"StartAt\\\":\\\"L\\\",\\\"States\\\":{\\\"L\\\":{\\\"Type\\\":\\\"Choice\\\",\\\"Choices\\\":[{"
       "\\\"Variable\\\":\\\"$.i\\\",\\\"NumericGreaterThanEquals\\\":40,\\\"Next\\\":\\\"D\\\"}],"
       "\\\"Default\\\":\\\"I\\\"},\\\"I\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"Parameters\\\":{\\\"i.$\\\":"
       "\\\"States.MathAdd($.i, 1)\\\",\\\"s\\\":\\\"],{\\\\\\\"\\\"},\\\"Next\\\":\\\"L\\\"},"
       "\\\"D\\\":{\\\"Type\\\":\\\"Succeed\\\"}}}",
       "STANDARD");
    cJSON_Delete(OK("StartExecution",
                    "{\"stateMachineArn\":\"" SM_ARN "loop\",\"name\":\"x\",\"input\":\"{\\\"i\\\":0}\"}"));
#define XARN "arn:aws:states:us-east-1:111111111111:execution:loop:x"
    for (int rev = 0; rev < 2; rev++)
        for (int data = 0; data < 2; data++) {
            cJSON *all = OK("GetExecutionHistory",
                            "{\"executionArn\":\"" XARN "\",\"maxResults\":1000,\"reverseOrder\":%s,"
                            "\"includeExecutionData\":%s}",
                            rev ? "true" : "false", data ? "true" : "false");
            cJSON *want = cJSON_GetObjectItem(all, "events");
            int total = cJSON_GetArraySize(want);
            cr_assert_gt(total, 160);
            cr_assert_null(jstr(all, "nextToken"));
            cJSON *first = cJSON_GetArrayItem(want, 0);
            cr_assert_eq(jint(first, "id", 0), rev ? total : 1);
            cJSON *got = cJSON_CreateArray();
            char tok[32] = "";
            do {
                cJSON *p = *tok ? OK("GetExecutionHistory",
                                     "{\"executionArn\":\"" XARN "\",\"maxResults\":7,\"reverseOrder\":%s,"
                                     "\"includeExecutionData\":%s,\"nextToken\":\"%s\"}",
                                     rev ? "true" : "false", data ? "true" : "false", tok)
                                : OK("GetExecutionHistory",
                                     "{\"executionArn\":\"" XARN "\",\"maxResults\":7,\"reverseOrder\":%s,"
                                     "\"includeExecutionData\":%s}",
                                     rev ? "true" : "false", data ? "true" : "false");
                cJSON *ev = cJSON_GetObjectItem(p, "events");
                cr_assert_leq(cJSON_GetArraySize(ev), 7);
                while (ev->child)
                    cJSON_AddItemToArray(got, cJSON_DetachItemViaPointer(ev, ev->child));
                const char *nt = jstr(p, "nextToken");
                snprintf(tok, sizeof tok, "%s", nt ? nt : "");
                cJSON_Delete(p);
            } while (*tok);
            cr_assert(cJSON_Compare(got, want, 1), "rev=%d data=%d", rev, data);
            /* with data, a Pass state's output carries the string with brackets and quotes */
            if (data) {
                char *text = cJSON_PrintUnformatted(got);
                cr_assert(strstr(text, "],{"), "%s", text);
                free(text);
            }
            cJSON_Delete(got);
            cJSON_Delete(all);
        }
    ERR("InvalidToken", "GetExecutionHistory", "{\"executionArn\":\"" XARN "\",\"nextToken\":\"100000\"}");
    ERR("InvalidToken", "GetExecutionHistory", "{\"executionArn\":\"" XARN "\",\"nextToken\":\"x1\"}");
#undef XARN
}

Test(sfn_api, running_idempotent_stop_redrive, .init = setup, .fini = teardown) {
    mk("w",
       "{\\\"StartAt\\\":\\\"W\\\",\\\"States\\\":{\\\"W\\\":{\\\"Type\\\":\\\"Wait\\\",\\\"Seconds\\\":60,"
       "\\\"Next\\\":"
       "\\\"D\\\"},\\\"D\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"End\\\":true}}}",
       "STANDARD");
    cJSON *a = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "w\",\"name\":\"r\",\"input\":\"{}\"}");
    cJSON *b = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "w\",\"name\":\"r\",\"input\":\"{}\"}");
    cr_assert_str_eq(jstr(a, "executionArn"), jstr(b, "executionArn"));
    cJSON_Delete(b);
    ERR("ExecutionAlreadyExists", "StartExecution",
        "{\"stateMachineArn\":\"" SM_ARN "w\",\"name\":\"r\",\"input\":\"{\\\"a\\\":1}\"}");
    cJSON_Delete(OK("StopExecution", "{\"executionArn\":\"%s\",\"error\":\"Stopped\",\"cause\":\"by test\"}",
                    jstr(a, "executionArn")));
    cJSON *d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(a, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "ABORTED");
    cr_assert_str_eq(jstr(d, "redriveStatus"), "REDRIVABLE");
    cJSON_Delete(d);
    clock_advance(S, 120000); /* the cancelled wait timer must not resume it */
    d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(a, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "ABORTED");
    cJSON_Delete(d);
    cJSON_Delete(OK("RedriveExecution", "{\"executionArn\":\"%s\"}", jstr(a, "executionArn")));
    clock_advance(S, 60000);
    d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(a, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cr_assert_eq(jint(d, "redriveCount", 0), 1);
    cJSON_Delete(d);
    ERR("ExecutionNotRedrivable", "RedriveExecution", "{\"executionArn\":\"%s\"}", jstr(a, "executionArn"));
    cJSON *h =
        OK("GetExecutionHistory", "{\"executionArn\":\"%s\",\"maxResults\":1000}", jstr(a, "executionArn"));
    int redriven = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(h, "events")) redriven +=
        !strcmp(jstr(e, "type"), "ExecutionRedriven");
    cr_assert_eq(redriven, 1);
    cJSON_Delete(h);
    cJSON_Delete(a);
}

Test(sfn_api, express_sync, .init = setup, .fini = teardown) {
    mk("x",
       "{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"Parameters\\\":{"
       "\\\"s.$\\\":"
       "\\\"States.Format('hi {}', $.n)\\\"},\\\"End\\\":true}}}",
       "EXPRESS");
    mk("std", PASS_DEF, "STANDARD");
    cJSON *o = OK("StartSyncExecution",
                  "{\"stateMachineArn\":\"" SM_ARN "x\",\"input\":\"{\\\"n\\\":\\\"bob\\\"}\"}");
    cr_assert_str_eq(jstr(o, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(o, "output"), "{\"s\":\"hi bob\"}");
    cr_assert(strstr(jstr(o, "executionArn"), ":express:x:"));
    cJSON_Delete(o);
    ERR("StateMachineTypeNotSupported", "StartSyncExecution", "{\"stateMachineArn\":\"" SM_ARN "std\"}");
    ERR("StateMachineTypeNotSupported", "ListExecutions", "{\"stateMachineArn\":\"" SM_ARN "x\"}");
}

Test(sfn_api, activities, .init = setup, .fini = teardown) {
    cJSON *a = OK("CreateActivity", "{\"name\":\"act\"}");
    const char *arn = jstr(a, "activityArn");
    cr_assert_str_eq(arn, "arn:aws:states:us-east-1:111111111111:activity:act");
    cJSON_Delete(OK("CreateActivity", "{\"name\":\"act\"}"));
    char def[1024];
    snprintf(def, sizeof def,
             "{\\\"StartAt\\\":\\\"T\\\",\\\"States\\\":{\\\"T\\\":{\\\"Type\\\":\\\"Task\\\","
             "\\\"Resource\\\":\\\"%s\\\","
             "\\\"HeartbeatSeconds\\\":10,\\\"End\\\":true}}}",
             arn);
    mk("am", def, "STANDARD");
    cJSON *e = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "am\",\"input\":\"{\\\"job\\\":7}\"}");
    cJSON *t = OK("GetActivityTask", "{\"activityArn\":\"%s\",\"workerName\":\"w1\"}", arn);
    cr_assert_str_eq(jstr(t, "input"), "{\"job\":7}");
    cJSON *t2 = OK("GetActivityTask", "{\"activityArn\":\"%s\"}", arn);
    cr_assert_null(jstr(t2, "taskToken"));
    cJSON_Delete(t2);
    clock_advance(S, 9000);
    cJSON_Delete(OK("SendTaskHeartbeat", "{\"taskToken\":\"%s\"}", jstr(t, "taskToken")));
    clock_advance(S, 9000); /* heartbeat renewed: no timeout yet */
    cJSON_Delete(OK("SendTaskFailure", "{\"taskToken\":\"%s\",\"error\":\"Boom\",\"cause\":\"bad\"}",
                    jstr(t, "taskToken")));
    cJSON *d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(e, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "FAILED");
    cr_assert_str_eq(jstr(d, "error"), "Boom");
    cJSON_Delete(d);
    cJSON *h = OK("GetExecutionHistory", "{\"executionArn\":\"%s\"}", jstr(e, "executionArn"));
    cJSON *ev = cJSON_GetObjectItem(h, "events");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 2), "type"), "ActivityScheduled");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 3), "type"), "ActivityStarted");
    cr_assert_str_eq(
        jstr(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 3), "activityStartedEventDetails"), "workerName"),
        "w1");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 4), "type"), "ActivityFailed");
    cJSON_Delete(h);
    /* heartbeat timeout */
    cJSON *e2 = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "am\"}");
    cJSON_Delete(OK("GetActivityTask", "{\"activityArn\":\"%s\"}", arn));
    clock_advance(S, 10000);
    d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(e2, "executionArn"));
    cr_assert_str_eq(jstr(d, "error"), "States.HeartbeatTimeout");
    cJSON_Delete(d);
    ERR("TaskDoesNotExist", "SendTaskSuccess", "{\"taskToken\":\"%s\",\"output\":\"{}\"}",
        jstr(t, "taskToken"));
    cJSON *l = OK("ListActivities", "{}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "activities")), 1);
    cJSON_Delete(l);
    cJSON_Delete(OK("DeleteActivity", "{\"activityArn\":\"%s\"}", arn));
    ERR("ActivityDoesNotExist", "DescribeActivity", "{\"activityArn\":\"%s\"}", arn);
    cJSON_Delete(t);
    cJSON_Delete(e);
    cJSON_Delete(e2);
    cJSON_Delete(a);
}

Test(sfn_api, nested_sync_and_aws_sdk, .init = setup, .fini = teardown) {
    mk("child",
       "{\\\"StartAt\\\":\\\"W\\\",\\\"States\\\":{\\\"W\\\":{\\\"Type\\\":\\\"Wait\\\",\\\"Seconds\\\":5,"
       "\\\"Next\\\":"
       "\\\"P\\\"},\\\"P\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"Result\\\":{\\\"done\\\":true},\\\"End\\\":true}}"
       "}",
       "STANDARD");
    mk("parent",
       "{\\\"StartAt\\\":\\\"S\\\",\\\"States\\\":{\\\"S\\\":{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":"
       "\\\"arn:aws:"
       "states:::states:startExecution.sync:2\\\",\\\"Parameters\\\":{\\\"StateMachineArn\\\":\\\"" SM_ARN
       "child\\\",\\\"Input\\\":{\\\"a\\\":1}},\\\"ResultSelector\\\":{\\\"out.$\\\":\\\"$.Output\\\"},"
       "\\\"Next\\\":"
       "\\\"Who\\\"},\\\"Who\\\":{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":\\\"arn:aws:states:::aws-sdk:"
       "sfn:"
       "describeStateMachine\\\",\\\"Parameters\\\":{\\\"StateMachineArn\\\":\\\"" SM_ARN
       "nope\\\"},\\\"Catch\\\":[{\\\"ErrorEquals\\\":[\\\"Sfn.StateMachineDoesNotExistException\\\"],"
       "\\\"ResultPath\\\":\\\"$.err\\\",\\\"Next\\\":\\\"End\\\"}],\\\"End\\\":true},\\\"End\\\":{"
       "\\\"Type\\\":"
       "\\\"Succeed\\\"}}}",
       "STANDARD");
    cJSON *e = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "parent\"}");
    cJSON *d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(e, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "RUNNING");
    cJSON_Delete(d);
    clock_advance(S, 5000);
    d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(e, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED", "%s %s", jstr(d, "error"), jstr(d, "cause"));
    cJSON *out = cJSON_Parse(jstr(d, "output"));
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(out, "out"), "done")));
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(out, "err"), "Error"), "Sfn.StateMachineDoesNotExistException");
    cJSON_Delete(out);
    cJSON_Delete(d);
    cJSON_Delete(e);
}

Test(sfn_api, mock_config_and_messages, .init = setup, .fini = teardown) {
    S->sfn_mock_config =
        strdup("{\"StateMachines\":{\"lm\":{\"TestCases\":{\"Happy\":{\"L\":\"Ok\"},\"Retry\":{\"L\":"
               "\"FailTwice\"}}}},"
               "\"MockedResponses\":{\"Ok\":{\"0\":{\"Return\":{\"StatusCode\":200,\"Payload\":{\"v\":1}}}},"
               "\"FailTwice\":{\"0-1\":{\"Throw\":{\"Error\":\"Lambda.TooManyRequestsException\",\"Cause\":"
               "\"slow\"}},"
               "\"2\":{\"Return\":{\"Payload\":{\"v\":2}}}}}}");
    mk("lm",
       "{\\\"StartAt\\\":\\\"L\\\",\\\"States\\\":{\\\"L\\\":{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":"
       "\\\"arn:aws:"
       "states:::lambda:invoke\\\",\\\"Parameters\\\":{\\\"FunctionName\\\":\\\"f\\\"},\\\"OutputPath\\\":"
       "\\\"$."
       "Payload\\\",\\\"Retry\\\":[{\\\"ErrorEquals\\\":[\\\"Lambda.TooManyRequestsException\\\"],"
       "\\\"IntervalSeconds\\\":1}],\\\"Next\\\":\\\"N\\\"},\\\"N\\\":{\\\"Type\\\":\\\"Task\\\","
       "\\\"Resource\\\":"
       "\\\"arn:aws:states:::sns:publish\\\",\\\"Parameters\\\":{\\\"TopicArn\\\":\\\"t\\\",\\\"Message.$"
       "\\\":\\\"$"
       "\\\"},\\\"ResultPath\\\":\\\"$.pub\\\",\\\"End\\\":true}}}",
       "STANDARD");
    cJSON *e = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "lm#Happy\"}");
    cJSON *d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(e, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cJSON *out = cJSON_Parse(jstr(d, "output"));
    cr_assert_eq(jint(out, "v", 0), 1);
    cr_assert_not_null(jstr(cJSON_GetObjectItem(out, "pub"), "MessageId"));
    cJSON_Delete(out);
    cJSON_Delete(d);
    cJSON_Delete(e);
    e = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "lm#Retry\"}");
    clock_advance(S, 1000);
    clock_advance(S, 2000);
    d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(e, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    out = cJSON_Parse(jstr(d, "output"));
    cr_assert_eq(jint(out, "v", 0), 2);
    cJSON_Delete(out);
    cJSON_Delete(d);
    cJSON_Delete(e);
    /* without a test case the Lambda call fails clearly */
    e = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "lm\"}");
    d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(e, "executionArn"));
    cr_assert_str_eq(jstr(d, "error"), "Lambda.ResourceNotFoundException");
    cJSON_Delete(d);
    cJSON_Delete(e);
    cJSON *msgs = cJSON_CreateArray();
    cr_assert_eq(sfn_messages_json(S, msgs), 2);
    cJSON *m0 = cJSON_GetArrayItem(msgs, 0);
    cr_assert_str_eq(jstr(m0, "resource"), "arn:aws:states:::sns:publish");
    cr_assert_str_eq(jstr(m0, "account"), TEST_ACCOUNT);
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(m0, "parameters"), "TopicArn"), "t");
    cJSON_Delete(msgs);
}

Test(sfn_api, test_state_and_map_runs, .init = setup, .fini = teardown) {
    cJSON *o = OK("TestState",
                  "{\"definition\":\"{\\\"Type\\\":\\\"Pass\\\",\\\"Parameters\\\":{\\\"x.$\\\":\\\"$.a\\\"},"
                  "\\\"Next\\\":\\\"B\\\"}\",\"roleArn\":\"%s\",\"input\":\"{\\\"a\\\":5}\"}",
                  ROLE);
    cr_assert_str_eq(jstr(o, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(o, "nextState"), "B");
    cr_assert_str_eq(jstr(o, "output"), "{\"x\":5}");
    cJSON_Delete(o);
    o = OK("TestState",
           "{\"definition\":\"{\\\"Type\\\":\\\"Pass\\\",\\\"InputPath\\\":\\\"$.a\\\",\\\"Result\\\":{"
           "\\\"r\\\":1},\\\"ResultPath\\\":\\\"$.res\\\",\\\"End\\\":true}\",\"input\":\"{\\\"a\\\":{"
           "\\\"b\\\":2}}\",\"inspectionLevel\":\"DEBUG\"}");
    cJSON *id = cJSON_GetObjectItem(o, "inspectionData");
    cr_assert_str_eq(jstr(id, "afterInputPath"), "{\"b\":2}");
    cr_assert_str_eq(jstr(id, "result"), "{\"r\":1}");
    cr_assert_str_eq(jstr(id, "afterResultPath"), "{\"a\":{\"b\":2},\"res\":{\"r\":1}}");
    cr_assert_str_eq(jstr(o, "output"), "{\"a\":{\"b\":2},\"res\":{\"r\":1}}");
    cJSON_Delete(o);
    o = OK(
        "TestState",
        "{\"definition\":\"{\\\"Type\\\":\\\"Fail\\\",\\\"Error\\\":\\\"E\\\",\\\"Cause\\\":\\\"c\\\"}\"}");
    cr_assert_str_eq(jstr(o, "status"), "FAILED");
    cr_assert_str_eq(jstr(o, "error"), "E");
    cJSON_Delete(o);
    o = OK("TestState",
           "{\"definition\":\"{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":\\\"arn:aws:states:::"
           "lambda:invoke\\\",\\\"OutputPath\\\":\\\"$.Payload\\\",\\\"End\\\":true}\",\"mock\":{"
           "\"result\":\"{\\\"Payload\\\":{\\\"ok\\\":true}}\"}}");
    cr_assert_str_eq(jstr(o, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(o, "output"), "{\"ok\":true}");
    cJSON_Delete(o);
    o = OK(
        "TestState",
        "{\"definition\":\"{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":\\\"arn:aws:states:::"
        "lambda:invoke\\\",\\\"Catch\\\":[{\\\"ErrorEquals\\\":[\\\"States.ALL\\\"],\\\"Next\\\":"
        "\\\"H\\\"}],\\\"End\\\":true}\",\"mock\":{\"errorOutput\":{\"error\":\"Oops\",\"cause\":\"c\"}}}");
    cr_assert_str_eq(jstr(o, "status"), "CAUGHT_ERROR");
    cr_assert_str_eq(jstr(o, "nextState"), "H");
    cr_assert_str_eq(jstr(o, "error"), "Oops");
    cJSON_Delete(o);
    ERR("ResourceNotFound", "DescribeMapRun",
        "{\"mapRunArn\":\"arn:aws:states:us-east-1:111111111111:mapRun:m/e:x\"}");
    ERR("InvalidArn", "DescribeMapRun",
        "{\"mapRunArn\":\"arn:aws:states:us-east-1:111111111111:activity:x\"}");
}

Test(sfn_api, distributed_map_runs, .init = setup, .fini = teardown) {
    mk("dm",
       "{\\\"StartAt\\\":\\\"M\\\",\\\"States\\\":{\\\"M\\\":{\\\"Type\\\":\\\"Map\\\",\\\"Label\\\":"
       "\\\"lbl\\\","
       "\\\"ToleratedFailureCount\\\":1,\\\"MaxConcurrency\\\":2,\\\"ItemProcessor\\\":{"
       "\\\"ProcessorConfig\\\":{"
       "\\\"Mode\\\":\\\"DISTRIBUTED\\\",\\\"ExecutionType\\\":\\\"STANDARD\\\"},\\\"StartAt\\\":\\\"C\\\","
       "\\\"States\\\":{"
       "\\\"C\\\":{\\\"Type\\\":\\\"Choice\\\",\\\"Choices\\\":[{\\\"Variable\\\":\\\"$\\\","
       "\\\"NumericEquals\\\":3,"
       "\\\"Next\\\":\\\"F\\\"}],\\\"Default\\\":\\\"S\\\"},\\\"F\\\":{\\\"Type\\\":\\\"Fail\\\","
       "\\\"Error\\\":\\\"E\\\"},"
       "\\\"S\\\":{\\\"Type\\\":\\\"Succeed\\\"}}},\\\"End\\\":true}}}",
       "STANDARD");
    cJSON *e = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "dm\",\"input\":\"[1,2,3]\"}");
    const char *ex = jstr(e, "executionArn");
    cJSON *d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", ex);
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED");
    cJSON_Delete(d);
    cJSON *h = OK("GetExecutionHistory", "{\"executionArn\":\"%s\"}", ex);
    char types[2048] = "";
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(h, "events")) {
        strcat(types, jstr(v, "type"));
        strcat(types, ",");
    }
    cr_assert_str_eq(types, "ExecutionStarted,MapStateEntered,MapStateStarted,MapRunStarted,MapRunSucceeded,"
                            "MapStateSucceeded,MapStateExited,ExecutionSucceeded,");
    const char *mr = jstr(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(h, "events"), 3),
                                              "mapRunStartedEventDetails"),
                          "mapRunArn");
    cr_assert(strstr(mr, ":mapRun:dm/lbl:"), "%s", mr);
    cJSON *l = OK("ListMapRuns", "{\"executionArn\":\"%s\"}", ex);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "mapRuns")), 1);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(l, "mapRuns"), 0), "mapRunArn"), mr);
    cJSON_Delete(l);
    cJSON_Delete(OK("UpdateMapRun", "{\"mapRunArn\":\"%s\",\"maxConcurrency\":5}", mr));
    cJSON *m = OK("DescribeMapRun", "{\"mapRunArn\":\"%s\"}", mr);
    cr_assert_str_eq(jstr(m, "status"), "SUCCEEDED");
    cr_assert_eq(jint(m, "maxConcurrency", 0), 5);
    cJSON *ic = cJSON_GetObjectItem(m, "itemCounts");
    cr_assert_eq(jint(ic, "succeeded", -1), 2);
    cr_assert_eq(jint(ic, "failed", -1), 1);
    cr_assert_eq(jint(ic, "total", -1), 3);
    cJSON_Delete(m);
    l = OK("ListExecutions", "{\"mapRunArn\":\"%s\"}", mr);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(l, "executions")), 0);
    cJSON_Delete(l);
    ERR("ValidationException", "UpdateMapRun", "{\"mapRunArn\":\"%s\"}", mr);
    cJSON_Delete(h);
    cJSON_Delete(e);
}

Test(sfn_api, cross_account_child_with_credentials, .init = setup, .fini = teardown) {
    cJSON *o = NULL;
    sim_error_t e;
    cr_assert_eq(
        test_call(
            S, "stepfunctions", "222222222222", "CreateStateMachine",
            "{\"name\":\"tier\",\"roleArn\":\"arn:aws:iam::222222222222:role/t\",\"definition\":"
            "\"{\\\"StartAt\\\":\\\"W\\\",\\\"States\\\":{\\\"W\\\":{\\\"Type\\\":\\\"Wait\\\","
            "\\\"Seconds\\\":5,\\\"Next\\\":\\\"P\\\"},\\\"P\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"Result\\\":"
            "\\\"tier done\\\",\\\"End\\\":true}}}\"}",
            &o, &e),
        0, "%s", e.message);
    cJSON_Delete(o);
    const char *child = "arn:aws:states:us-east-1:222222222222:stateMachine:tier";
    char def[2048];
    snprintf(
        def, sizeof def,
        "{\\\"StartAt\\\":\\\"S\\\",\\\"States\\\":{\\\"S\\\":{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":"
        "\\\"arn:aws:states:::states:startExecution.sync:2\\\",\\\"Credentials\\\":{\\\"RoleArn\\\":\\\"arn:"
        "aws:iam::"
        "222222222222:role/x\\\"},\\\"Parameters\\\":{\\\"StateMachineArn\\\":\\\"%s\\\"},\\\"OutputPath\\\":"
        "\\\"$.Output\\\",\\\"End\\\":true}}}",
        child);
    mk("orchestrator", def, "STANDARD");
    snprintf(
        def, sizeof def,
        "{\\\"StartAt\\\":\\\"S\\\",\\\"States\\\":{\\\"S\\\":{\\\"Type\\\":\\\"Task\\\",\\\"Resource\\\":"
        "\\\"arn:aws:states:::states:startExecution.sync:2\\\",\\\"Parameters\\\":{\\\"StateMachineArn\\\":"
        "\\\"%s\\\"},"
        "\\\"End\\\":true}}}",
        child);
    mk("nocreds", def, "STANDARD");
    cJSON *a = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "orchestrator\"}");
    cJSON *b = OK("StartExecution", "{\"stateMachineArn\":\"" SM_ARN "nocreds\"}");
    clock_advance(S, 5000);
    cJSON *d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(a, "executionArn"));
    cr_assert_str_eq(jstr(d, "status"), "SUCCEEDED", "%s %s", jstr(d, "error"), jstr(d, "cause"));
    cr_assert_str_eq(jstr(d, "output"), "\"tier done\"");
    cJSON_Delete(d);
    d = OK("DescribeExecution", "{\"executionArn\":\"%s\"}", jstr(b, "executionArn"));
    cr_assert_str_eq(jstr(d, "error"), "StepFunctions.StateMachineDoesNotExistException");
    cJSON_Delete(d);
    /* the child ran in the other account */
    cr_assert_eq(
        test_call(S, "stepfunctions", "222222222222", "ListExecutions",
                  "{\"stateMachineArn\":\"arn:aws:states:us-east-1:222222222222:stateMachine:tier\"}", &o,
                  &e),
        0);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "executions")), 1);
    cJSON_Delete(o);
    cJSON_Delete(a);
    cJSON_Delete(b);
}
