/*
 * sim.c — lifecycle of the process-wide context: open the store, seed the random source, set
 * the clock, and the recursive lock every API call, control call and timer runs under.
 */
#include "core/sim.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "services/service.h"

static int file_backed(const sim_t *s) {
    return strcmp(s->state_path, ":memory:") != 0;
}

/* A state file holds ids the seed's sequence already handed out (execution names, hosted zone ids,
 * share ARNs...): a restarted awssim drawing the same sequence again would repeat them. Each open
 * of the file therefore draws from the next stream of the seed; awssim_meta "rng.stream" is the
 * stream the file's contents came from (0 for a new file, so it matches an in-memory run). */
static void rng_open_stream(sim_t *s) {
    char *last = meta_get(s, "rng.stream");
    uint64_t stream = last ? strtoull(last, NULL, 10) + 1 : 0;
    free(last);
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)stream);
    meta_set(s, "rng.stream", buf);
    rng_seed_stream(s, s->seed, stream);
}

int sim_init(sim_t *s, const char *state_path, clock_mode_t mode, uint64_t seed, int64_t start_ms) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    pthread_cond_init(&s->changed, NULL);
    s->long_poll_s = 60;
    s->clock_mode = mode;
    s->seed = seed;
    reqlog_init(&s->reqlog, REQLOG_DEFAULT_CAPACITY);
    rng_seed(s, seed);
    if (start_ms <= 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        start_ms = (int64_t)ts.tv_sec * 1000;
    }
    s->now_ms = start_ms;
    snprintf(s->state_path, sizeof s->state_path, "%s", state_path ? state_path : ":memory:");
    if (store_open(s, s->state_path) != 0) return -1;
    if (file_backed(s)) rng_open_stream(s);
    /* A persisted virtual clock wins over the start time: time never goes backwards. */
    char *saved = meta_get(s, "clock.now_ms");
    if (saved) {
        int64_t t = strtoll(saved, NULL, 10);
        if (mode == CLOCK_VIRTUAL && t > s->now_ms) s->now_ms = t;
        free(saved);
    }
    return 0;
}

void sim_free(sim_t *s) {
    store_close(s);
    free(s->sfn_mock_config);
    reqlog_free(&s->reqlog);
    s->sfn_mock_config = NULL;
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->changed);
}

void sim_lock(sim_t *s) {
    pthread_mutex_lock(&s->lock);
}

void sim_unlock(sim_t *s) {
    pthread_mutex_unlock(&s->lock);
}

void sim_changed(sim_t *s) {
    s->change_gen++;
    /* Only held long polls wait on `changed` (a poll being held wakes the poller itself, in
     * http/server.c): with none held, waking the poller on every write cost each call four futex
     * calls and a context switch. */
    if (s->held_polls > 0) pthread_cond_broadcast(&s->changed);
}

int sim_reset(sim_t *s) {
    sim_lock(s);
    int rc = store_reset(s);
    reqlog_clear(&s->reqlog);
    rng_seed(s, s->seed);
    if (file_backed(s)) meta_set(s, "rng.stream", "0"); /* the emptied file starts over on stream 0 */
    int n = 0;
    const service_def_t *const *all = service_all(&n);
    for (int i = 0; i < n; i++)
        if (all[i]->on_reset) all[i]->on_reset(s);
    sim_changed(s);
    sim_unlock(s);
    return rc;
}

int sim_err(sim_error_t *e, int status, const char *code, const char *fmt, ...) {
    if (!e) return -1;
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    e->server_fault = status >= 500;
    return -1;
}

void sim_log(const sim_t *s, int level, const char *fmt, ...) {
    if (s && level > s->log_level) return;
    static const char *names[] = {"error", "warn", "info", "debug"};
    fprintf(stderr, "awssim %s: ", names[level < 0 ? 0 : level > 3 ? 3 : level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
