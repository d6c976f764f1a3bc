/*
 * fuzz_jsonpath.c — libFuzzer target for JSONPath: syntax check (both Path and Reference Path
 * rules), evaluation against a document, and ResultPath-style assignment.
 * Input: line 1 the path, rest = the JSON document ({} when it does not parse).
 */
#include "asl/asl.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cursor_t c = {data, size};
    char *path = cur_line(&c);
    size_t n;
    char *doc_text = cur_rest(&c, &n);
    cJSON *doc = cJSON_ParseWithLength(doc_text, n);
    if (!doc) doc = cJSON_Parse("{\"a\":{\"b\":[1,2,{\"c\":\"x\"}]},\"n\":3}");
    int valid = jp_valid(path, 0);
    int ref = jp_valid(path, 1);
    if (ref && !valid) abort(); /* a valid Reference Path is a valid Path */
    if (valid) {
        cJSON *v = jp_get(doc, path);
        cJSON_Delete(v);
    }
    if (ref) {
        cJSON *root = cJSON_Duplicate(doc, 1);
        char err[256];
        if (jp_set(&root, path, cJSON_CreateString("v"), err, sizeof err) == 0 && !root) abort();
        cJSON_Delete(root);
    }
    cJSON_Delete(doc);
    free(path);
    free(doc_text);
    return 0;
}
