/*
 * test_sfn_cache.c — the parsed-definition cache is bounded: past its limit, definitions not in
 * use are dropped and re-parsed from the stored revision when needed, with the same results.
 */
#include <stdio.h>

#include "testutil.h"

#define ROLE "arn:aws:iam::111111111111:role/sfn"

Test(sfn_cache, executions_work_after_eviction) {
    sim_t *s = test_sim();
    cJSON *out;
    sim_error_t e;
    char body[512];
    char first_arn[256] = "";
    for (int i = 0; i < 2300; i++) {
        snprintf(body, sizeof body,
                 "{\"name\":\"m%d\",\"roleArn\":\"" ROLE
                 "\",\"definition\":\"{\\\"StartAt\\\":\\\"P\\\",\\\"States\\\":"
                 "{\\\"P\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"Result\\\":%d,\\\"End\\\":true}}}\"}",
                 i, i);
        cr_assert_eq(test_call(s, "stepfunctions", TEST_ACCOUNT, "CreateStateMachine", body, &out, &e), 0,
                     "%s", e.message);
        if (i == 0)
            snprintf(first_arn, sizeof first_arn, "%s",
                     cJSON_GetObjectItem(out, "stateMachineArn")->valuestring);
        cJSON_Delete(out);
    }
    snprintf(body, sizeof body, "{\"stateMachineArn\":\"%s\"}", first_arn);
    cr_assert_eq(test_call(s, "stepfunctions", TEST_ACCOUNT, "StartExecution", body, &out, &e), 0, "%s",
                 e.message);
    char ex[300];
    snprintf(ex, sizeof ex, "{\"executionArn\":\"%s\"}",
             cJSON_GetObjectItem(out, "executionArn")->valuestring);
    cJSON_Delete(out);
    cr_assert_eq(test_call(s, "stepfunctions", TEST_ACCOUNT, "DescribeExecution", ex, &out, &e), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(out, "status")->valuestring, "SUCCEEDED");
    cr_assert_str_eq(cJSON_GetObjectItem(out, "output")->valuestring, "0");
    cJSON_Delete(out);
    test_sim_free(s);
}
