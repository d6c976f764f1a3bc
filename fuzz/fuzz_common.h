/*
 * fuzz_common.h — shared pieces of awssim's libFuzzer targets: one in-memory sim per process,
 * a tiny header table standing in for the HTTP library, and a cursor that splits the fuzzer's
 * bytes into fields. The sim is reset every RESET_EVERY inputs so state stays small.
 */
#ifndef AWSSIM_FUZZ_COMMON_H
#define AWSSIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sim.h"
#include "http/front.h"
#include "proto/proto.h"

#define FUZZ_EPOCH_MS 1767225600000LL /* 2026-01-01T00:00:00Z */
#define RESET_EVERY 2000
#define MAX_HDRS 16

typedef struct fuzz_hdrs {
    int n;
    char *name[MAX_HDRS], *value[MAX_HDRS];
} fuzz_hdrs_t;

static const char *fuzz_header(void *ctx, const char *name) {
    fuzz_hdrs_t *h = ctx;
    for (int i = 0; i < h->n; i++)
        if (strcasecmp(h->name[i], name) == 0) return h->value[i];
    return NULL;
}

static void fuzz_hdr_add(fuzz_hdrs_t *h, const char *name, const char *value) {
    if (h->n >= MAX_HDRS) return;
    h->name[h->n] = strdup(name);
    h->value[h->n] = strdup(value);
    h->n++;
}

static void fuzz_hdrs_free(fuzz_hdrs_t *h) {
    for (int i = 0; i < h->n; i++) {
        free(h->name[i]);
        free(h->value[i]);
    }
    h->n = 0;
}

/* Bytes → NUL-terminated fields separated by '\n' (the last field takes the rest). */
typedef struct cursor {
    const uint8_t *p;
    size_t n;
} cursor_t;

static char *cur_line(cursor_t *c) {
    size_t i = 0;
    while (i < c->n && c->p[i] != '\n')
        i++;
    char *s = strndup((const char *)c->p, i);
    size_t adv = i < c->n ? i + 1 : i;
    c->p += adv;
    c->n -= adv;
    return s;
}

static char *cur_rest(cursor_t *c, size_t *len) {
    char *s = malloc(c->n + 1);
    memcpy(s, c->p, c->n);
    s[c->n] = 0;
    *len = c->n;
    c->p += c->n;
    c->n = 0;
    return s;
}

static sim_t *fuzz_sim(void) {
    static sim_t *s;
    static unsigned calls;
    if (!s) {
        s = calloc(1, sizeof *s);
        if (sim_init(s, ":memory:", CLOCK_VIRTUAL, 7, FUZZ_EPOCH_MS) != 0) abort();
        s->log_level = 0;
        s->reqlog.capacity = 0; /* no API call log (the ring is allocated on first use) */
    }
    if (++calls % RESET_EVERY == 0) sim_reset(s);
    return s;
}

/* Run one request through the front and check the response is well formed. */
static void fuzz_front(const char *method, const char *path, const char *query, const char *body,
                       size_t body_len, fuzz_hdrs_t *hd) {
    sim_t *s = fuzz_sim();
    http_req_t h = {.method = method,
                    .path = path,
                    .query = query,
                    .body = body,
                    .body_len = body_len,
                    .header = fuzz_header,
                    .hctx = hd};
    http_resp_t resp;
    front_handle(s, &h, &resp);
    if (resp.status < 100 || resp.status > 599) abort(); /* every answer must be a real HTTP status */
    if (resp.body && strlen(resp.body) != resp.body_len) {
        /* bodies are text; an embedded NUL would mean a codec wrote garbage */
        abort();
    }
    resp_free(&resp);
}

#endif
