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

/* State machine documents are cached per sim and store contents: a new sim (possibly at the address
 * of a freed one, with the same seed and account) must not see a state machine it never created. */
Test(sfn_cache, a_new_sim_sees_only_its_own_state_machines) {
    const char *create = "{\"name\":\"same\",\"roleArn\":\"" ROLE
                         "\",\"definition\":\"{\\\"StartAt\\\":\\\"P\\\",\\\"States\\\":"
                         "{\\\"P\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"End\\\":true}}}\"}";
    char start[300];
    cJSON *out;
    sim_error_t e;
    for (int round = 0; round < 3; round++) {
        sim_t *s = test_sim();
        if (round == 0) {
            cr_assert_eq(test_call(s, "stepfunctions", TEST_ACCOUNT, "CreateStateMachine", create, &out, &e),
                         0);
            snprintf(start, sizeof start, "{\"stateMachineArn\":\"%s\"}",
                     cJSON_GetObjectItem(out, "stateMachineArn")->valuestring);
            cJSON_Delete(out);
            cr_assert_eq(test_call(s, "stepfunctions", TEST_ACCOUNT, "StartExecution", start, &out, &e), 0);
            cJSON_Delete(out);
        } else {
            cr_assert_neq(test_call(s, "stepfunctions", TEST_ACCOUNT, "StartExecution", start, &out, &e), 0,
                          "round %d: a state machine of a freed sim was found", round);
            cr_assert_str_eq(e.code, "StateMachineDoesNotExist");
        }
        test_sim_free(s);
    }
}
