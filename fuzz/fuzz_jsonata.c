/*
 * fuzz_jsonata.c — libFuzzer target for the JSONata evaluator: parse an expression, evaluate it
 * against a document with $states and a workflow variable bound, and check the bounds hold (no
 * crash, no leak, results are plain JSON). Input: line 1 the expression, rest = the JSON input
 * document (a small default when it does not parse).
 */
#include "asl/jsonata.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cursor_t c = {data, size};
    char *expr = cur_line(&c);
    size_t n;
    char *doc_text = cur_rest(&c, &n);
    cJSON *doc = cJSON_ParseWithLength(doc_text, n);
    if (!doc)
        doc = cJSON_Parse("{\"a\":{\"b\":[1,2,{\"c\":\"x\"}]},\"n\":3,\"s\":\"Hello\",\"t\":[\"b\",\"a\"]}");
    cJSON *states = cJSON_CreateObject();
    cJSON_AddItemReferenceToObject(states, "input", doc);
    cJSON *vars = cJSON_Parse("{\"v\":[3,1,2],\"o\":{\"k\":\"v\"}}");
    jn_err_t e;
    jn_expr_t *x = jn_parse(expr, &e);
    if (x) {
        jn_ctx_t ctx = {.now_ms = FUZZ_EPOCH_MS, .input = doc, .states = states, .vars = vars};
        cJSON *out = NULL;
        int rc = jn_eval(x, &ctx, &out, &e);
        if (rc && !e.code[0]) abort(); /* an evaluation error always carries a code */
        if (!rc && out) {
            char *t = cJSON_PrintUnformatted(out); /* every result must print as JSON */
            if (!t) abort();
            free(t);
        }
        cJSON_Delete(out);
        jn_free(x);
    } else if (!e.code[0])
        abort(); /* a syntax error always carries a code */
    cJSON_Delete(vars);
    cJSON_Delete(states);
    cJSON_Delete(doc);
    free(expr);
    free(doc_text);
    return 0;
}
