/*
 * reqlog.c — the bounded in-memory API call log (see reqlog.h).
 *
 * Each entry copies its strings into one allocation; the ring reuses slots in order, so memory
 * is bounded by capacity × the size of one call's names. Lookups by seq are O(1): seqs in the
 * ring are consecutive.
 */
#include "core/reqlog.h"

#include <stdlib.h>
#include <string.h>

void reqlog_init(reqlog_t *l, size_t capacity) {
    memset(l, 0, sizeof *l);
    l->capacity = capacity;
}

static void entry_free(reqlog_entry_t *e) {
    free(e->mem);
    memset(e, 0, sizeof *e);
}

void reqlog_clear(reqlog_t *l) {
    for (size_t i = 0; i < l->count; i++)
        entry_free(&l->ring[(l->head + i) % l->capacity]);
    l->count = l->head = 0;
}

void reqlog_free(reqlog_t *l) {
    reqlog_clear(l);
    free(l->ring);
    l->ring = NULL;
}

int64_t reqlog_add(reqlog_t *l, int64_t time_ms, const char *account, const char *region, const char *service,
                   const char *operation, int status, const char *error_code, const char *caller,
                   const char *request_id) {
    if (l->capacity == 0) return 0;
    if (!l->ring) {
        /* calloc maps zero pages: only slots written so far become resident */
        l->ring = calloc(l->capacity, sizeof *l->ring);
        if (!l->ring) return 0;
    }
    const char *src[7] = {account, region, service, operation, error_code, caller, request_id};
    size_t len[7], total = 0;
    for (int i = 0; i < 7; i++)
        total += (len[i] = src[i] ? strlen(src[i]) + 1 : 0);
    char *mem = malloc(total ? total : 1);
    if (!mem) return 0;
    reqlog_entry_t *e;
    if (l->count == l->capacity) { /* full: the oldest slot becomes the newest */
        e = &l->ring[l->head];
        entry_free(e);
        l->head = (l->head + 1) % l->capacity;
    } else {
        e = &l->ring[(l->head + l->count) % l->capacity];
        l->count++;
    }
    const char **dst[7] = {&e->account,    &e->region, &e->service,   &e->operation,
                           &e->error_code, &e->caller, &e->request_id};
    char *p = mem;
    for (int i = 0; i < 7; i++) {
        if (!src[i]) {
            *dst[i] = i == 4 ? NULL : "";
            continue;
        }
        memcpy(p, src[i], len[i]);
        *dst[i] = p;
        p += len[i];
    }
    e->mem = mem;
    e->seq = ++l->last_seq;
    e->time_ms = time_ms;
    e->status = status;
    return e->seq;
}

const reqlog_entry_t *reqlog_since(const reqlog_t *l, int64_t since, size_t i) {
    if (l->count == 0) return NULL;
    int64_t oldest = l->ring[l->head].seq;
    size_t skip = since < oldest ? 0 : (size_t)(since - oldest + 1);
    if (skip + i >= l->count) return NULL;
    return &l->ring[(l->head + skip + i) % l->capacity];
}
