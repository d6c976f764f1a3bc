/*
 * fuzz_asl.c — libFuzzer target for the Amazon States Language parser/validator, and for the
 * engine on definitions that validate: an execution runs with a host whose tasks succeed
 * with their parameters, until it blocks or ends (the 25,000-event history limit bounds loops).
 * Input: the definition text.
 */
#include "asl/asl.h"
#include "fuzz_common.h"

static int task_ok(void *ud, cJSON *x, asl_task_t *t, cJSON **result, asl_err_t *err) {
    (void)ud, (void)x, (void)err;
    *result = t->params ? cJSON_Duplicate(t->params, 1) : cJSON_CreateObject();
    return ASL_TASK_DONE;
}
static void timer_none(void *ud, cJSON *x, int64_t due_ms, const char *payload) {
    (void)ud, (void)x, (void)due_ms, (void)payload;
}
static void token_none(void *ud, cJSON *x, const char *token) {
    (void)ud, (void)x, (void)token;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0;
    char *text = strndup((const char *)data, size);
    asl_diag_t diags[8];
    int nd = 0;
    asl_def_t *d = asl_parse(text, diags, 8, &nd);
    if (!d) {
        if (nd <= 0) abort(); /* a refused definition always says why */
        char msg[4096];
        asl_diag_message(diags, nd, msg, sizeof msg);
    } else {
        sim_t *s = fuzz_sim();
        asl_host_t host = {
            .sim = s, .task = task_ok, .timer = timer_none, .region = "us-east-1", .token_done = token_none};
        cJSON *x = asl_exec_new(d, "{\"a\":1,\"list\":[1,2,3],\"s\":\"x\"}", NULL, FUZZ_EPOCH_MS, 0);
        sim_lock(s);
        asl_run(&host, d, x);
        sim_unlock(s);
        if (!asl_status(x)) abort();
        cJSON_Delete(x);
        asl_def_free(d);
    }
    free(text);
    return 0;
}
