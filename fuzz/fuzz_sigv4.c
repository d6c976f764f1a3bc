/*
 * fuzz_sigv4.c — libFuzzer target for SigV4: the Authorization header parser, the presigned
 * query parser, the canonical request builder and auth_resolve() against a known key (so the
 * verification path runs) in strict mode and lenient mode.
 * Input: line 1 Authorization ("" = none), line 2 query string, line 3 X-Amz-Date,
 *        line 4 X-Amz-Security-Token, line 5 method, line 6 path, rest = body.
 */
#include <stdio.h>

#include "core/auth.h"
#include "fuzz_common.h"

static sim_t *auth_sim(void) {
    sim_t *s = fuzz_sim();
    static int loaded;
    if (!loaded) {
        char path[] = "/tmp/awssim-fuzz-accounts-XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fdopen(fd, "w");
        fputs("{\"credentials\":[{\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"secretAccessKey\":"
              "\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"account\":\"111122223333\"}]}",
              f);
        fclose(f);
        char err[256];
        if (auth_load_accounts(s, path, err, sizeof err) != 0) abort();
        remove(path);
        loaded = 1;
    }
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cursor_t c = {data, size};
    fuzz_hdrs_t hd = {0};
    char *auth = cur_line(&c), *query = cur_line(&c), *date = cur_line(&c), *tok = cur_line(&c);
    char *method = cur_line(&c), *path = cur_line(&c);
    size_t blen;
    char *body = cur_rest(&c, &blen);
    if (*auth) fuzz_hdr_add(&hd, "Authorization", auth);
    if (*date) fuzz_hdr_add(&hd, "X-Amz-Date", date);
    if (*tok) fuzz_hdr_add(&hd, "X-Amz-Security-Token", tok);
    fuzz_hdr_add(&hd, "Host", "localhost:4566");
    http_req_t h = {.method = *method ? method : "POST",
                    .path = *path ? path : "/",
                    .query = *query ? query : NULL,
                    .body = body,
                    .body_len = blen,
                    .header = fuzz_header,
                    .hctx = &hd};
    sigv4_t sig;
    if (sigv4_parse(&h, &sig) == 0) {
        char out[65];
        sigv4_sign(&h, &sig, "secret", out);
        if (strlen(out) != 64) abort();
    }
    sim_t *s = auth_sim();
    caller_t who;
    sim_error_t e;
    for (int strict = 0; strict < 2; strict++) {
        s->auth_strict = strict;
        sim_lock(s);
        int rc = auth_resolve(s, &h, FUZZ_EPOCH_MS + 60000, &who, &e);
        sim_unlock(s);
        if (rc == 0 && (strlen(who.account) != 12 || strspn(who.account, "0123456789") != 12)) abort();
        if (rc != 0 && (e.status < 400 || !e.code[0])) abort();
    }
    s->auth_strict = 0;
    fuzz_hdrs_free(&hd);
    free(auth), free(query), free(date), free(tok), free(method), free(path), free(body);
    return 0;
}
