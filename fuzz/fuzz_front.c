/*
 * fuzz_front.c — libFuzzer targets for the request codecs, through front_handle() (routing,
 * SigV4 caller resolution, decode, model validation, the service handler, encode). Built four
 * times with FUZZ_MODE selecting how the fuzzer's bytes become a request:
 *   1 query      POST / form body (STS, IAM):        line 1 = query string, rest = body
 *   2 json       POST / X-Amz-Target (SFN, DMS):     line 1 = X-Amz-Target, rest = body
 *   3 rest_xml   Route 53 (path forced under /2013-04-01/)  and
 *   4 rest_json  RAM and routing in general:  line 1 method, line 2 path, line 3 query,
 *                then "Name: value" header lines up to an empty line, rest = body.
 */
#include "fuzz_common.h"

#ifndef FUZZ_MODE
#define FUZZ_MODE 1
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cursor_t c = {data, size};
    fuzz_hdrs_t hd = {0};
    size_t blen = 0;
#if FUZZ_MODE == 1 || FUZZ_MODE == 2
    char *line = cur_line(&c);
    char *body = cur_rest(&c, &blen);
#if FUZZ_MODE == 1
    fuzz_hdr_add(&hd, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    fuzz_front("POST", "/", *line ? line : NULL, body, blen, &hd);
#else
    fuzz_hdr_add(&hd, "Content-Type", "application/x-amz-json-1.0");
    fuzz_hdr_add(&hd, "X-Amz-Target", line);
    fuzz_front("POST", "/", NULL, body, blen, &hd);
#endif
    free(line);
    free(body);
#else
    char *method = cur_line(&c);
    char *path = cur_line(&c);
    char *query = cur_line(&c);
    for (int i = 0; i < MAX_HDRS && c.n; i++) {
        char *hl = cur_line(&c);
        if (!*hl) {
            free(hl);
            break;
        }
        char *colon = strchr(hl, ':');
        if (colon) {
            *colon = 0;
            const char *v = colon + 1;
            while (*v == ' ')
                v++;
            fuzz_hdr_add(&hd, hl, v);
        }
        free(hl);
    }
    char *body = cur_rest(&c, &blen);
    char *full = NULL;
#if FUZZ_MODE == 3
    if (strncmp(path, "/2013-04-01/", 12) != 0) {
        full = malloc(strlen(path) + 16);
        strcpy(full, "/2013-04-01/");
        strcat(full, path[0] == '/' ? path + 1 : path);
    }
#endif
    const char *p = full ? full : path;
    /* the HTTP library never hands over an empty path or method */
    if (*method && *p) fuzz_front(method, p, *query ? query : NULL, body, blen, &hd);
    free(full);
    free(method);
    free(path);
    free(query);
    free(body);
#endif
    fuzz_hdrs_free(&hd);
    return 0;
}
