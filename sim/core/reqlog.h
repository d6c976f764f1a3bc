/*
 * reqlog.h — the API call log behind GET /_awssim/requests: a bounded ring in memory.
 *
 * One entry per top-level API call (refused calls included), numbered by a sequence that only
 * grows (also across resets), so a reader can poll with ?since=SEQ. The log is diagnostics for
 * scenarios and tests, not state: it is kept in memory, not in the state file, and holds the
 * last `capacity` calls. Callers hold the sim lock.
 */
#ifndef AWSSIM_REQLOG_H
#define AWSSIM_REQLOG_H

#include <stddef.h>
#include <stdint.h>

typedef struct reqlog_entry {
    int64_t seq, time_ms;
    int status;
    /* all point into one allocation owned by the entry; error_code may be NULL */
    const char *account, *region, *service, *operation, *error_code, *caller, *request_id;
    char *mem;
} reqlog_entry_t;

typedef struct reqlog {
    reqlog_entry_t *ring;
    size_t capacity, count, head; /* head = index of the oldest entry */
    int64_t last_seq;
} reqlog_t;

#define REQLOG_DEFAULT_CAPACITY 10000

void reqlog_init(reqlog_t *l, size_t capacity);
void reqlog_free(reqlog_t *l);
/* Forget every entry; the sequence keeps growing. */
void reqlog_clear(reqlog_t *l);
/* Append one entry (the oldest is dropped when full); returns its seq, or 0 when capacity is 0. */
int64_t reqlog_add(reqlog_t *l, int64_t time_ms, const char *account, const char *region, const char *service,
                   const char *operation, int status, const char *error_code, const char *caller,
                   const char *request_id);
/* The i-th entry with seq > since, oldest first (i from 0), or NULL past the end. */
const reqlog_entry_t *reqlog_since(const reqlog_t *l, int64_t since, size_t i);

#endif
