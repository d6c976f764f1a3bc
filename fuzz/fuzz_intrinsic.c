/*
 * fuzz_intrinsic.c — libFuzzer target for the intrinsic-function parser and evaluator
 * (States.Format, States.Array..., nested calls, escapes) and asl_resolve() paths.
 * Input: line 1 the expression, rest = the state input JSON ({} when it does not parse).
 */
#include "asl/asl.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cursor_t c = {data, size};
    char *expr = cur_line(&c);
    size_t n;
    char *in_text = cur_rest(&c, &n);
    cJSON *input = cJSON_ParseWithLength(in_text, n);
    if (!input) input = cJSON_Parse("{\"a\":\"x\",\"n\":[1,2,3],\"o\":{\"k\":\"v\"},\"s\":\"a,b,c\"}");
    cJSON *ctx = cJSON_Parse("{\"Execution\":{\"Id\":\"arn:aws:states:us-east-1:1:execution:m:e\"}}");
    cJSON *vars = cJSON_Parse("{\"v\":{\"x\":1}}");
    sim_t *s = fuzz_sim();
    asl_scope_t sc = {.sim = s, .input = input, .ctx = ctx, .vars = vars};
    char err[512];
    int ok = asl_intrinsic_valid(expr, err, sizeof err);
    asl_err_t e;
    memset(&e, 0, sizeof e);
    sim_lock(s);
    cJSON *v = asl_resolve(expr, &sc, "Parameters", &e);
    sim_unlock(s);
    if (!v && !e.error[0]) abort(); /* a failure always names its error */
    (void)ok;
    cJSON_Delete(v);
    cJSON_Delete(input);
    cJSON_Delete(ctx);
    cJSON_Delete(vars);
    free(expr);
    free(in_text);
    return 0;
}
