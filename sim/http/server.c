/*
 * server.c — libmicrohttpd glue: epoll + a small thread pool, keep-alive, a body size limit
 * answered with an AWS-shaped 413, the raw request URI kept for SigV4 (MHD decodes its copy).
 *
 * Long polls (GetActivityTask with no task) do not hold a worker thread: the connection is
 * suspended, and one poller thread retries each pending call whenever the state changes
 * (sim->changed) or its deadline passes, then resumes the connection with the answer.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/rng.h"
#include "http/front.h"

typedef struct conn_state {
    char *raw_uri;
    strbuf_t body;
    int too_large;
    int seen_headers;   /* MHD calls once with headers only before any body */
    http_resp_t *ready; /* a long poll answered while the connection was suspended */
} conn_state_t;

/* Suspended long polls, guarded by the sim lock. */
typedef struct pending {
    struct MHD_Connection *c;
    conn_state_t *st;
    front_poll_t *p;
    struct pending *next;
} pending_t;

static pending_t *pending_head;
static int poller_stop;
static int in_flight; /* requests between their URI callback and their completion (atomic) */

static int64_t wall_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Retry every due poll; answered ones are unlinked and returned for resuming (outside the lock). */
static pending_t *poll_round(sim_t *s, int expire_all, int64_t *next_deadline) {
    pending_t *done = NULL, **pp = &pending_head;
    int64_t now = wall_now_ms();
    *next_deadline = now + 1000;
    while (*pp) {
        pending_t *q = *pp;
        int64_t deadline;
        int due = front_poll_due(s, q->p, now, &deadline) || expire_all;
        if (!q->st->ready) q->st->ready = calloc(1, sizeof *q->st->ready);
        if (due && front_poll_retry(s, q->p, expire_all, q->st->ready)) {
            s->held_polls--;
            *pp = q->next;
            q->next = done;
            done = q;
            continue;
        }
        if (deadline < *next_deadline) *next_deadline = deadline;
        pp = &q->next;
    }
    return done;
}

static void resume_all(pending_t *done) {
    while (done) {
        pending_t *next = done->next;
        front_poll_free(done->p);
        MHD_resume_connection(done->c);
        free(done);
        done = next;
    }
}

static void *poller(void *arg) {
    sim_t *s = arg;
    sim_lock(s);
    while (!poller_stop) {
        int64_t next;
        pending_t *done = poll_round(s, 0, &next);
        if (done) {
            sim_unlock(s);
            resume_all(done);
            sim_lock(s);
            continue;
        }
        struct timespec until = {.tv_sec = next / 1000, .tv_nsec = (long)(next % 1000) * 1000000};
        pthread_cond_timedwait(&s->changed, &s->lock, &until);
    }
    int64_t next;
    pending_t *done = poll_round(s, 1, &next); /* shutting down: answer every poll now */
    sim_unlock(s);
    resume_all(done);
    return NULL;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls;
    (void)c;
    conn_state_t *st = calloc(1, sizeof *st);
    __atomic_add_fetch(&in_flight, 1, __ATOMIC_RELAXED);
    st->raw_uri = strdup(uri ? uri : "/");
    sb_init(&st->body);
    return st;
}

static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s) {
    (void)cls;
    (void)c;
    return strlen(s); /* keep the raw form; awssim decodes where each protocol says */
}

static const char *header_lookup(void *ctx, const char *name) {
    return MHD_lookup_connection_value((struct MHD_Connection *)ctx, MHD_HEADER_KIND, name);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, http_resp_t *r) {
    struct MHD_Response *mr = MHD_create_response_from_buffer(r->body_len, r->body, MHD_RESPMEM_MUST_FREE);
    r->body = NULL;
    if (r->content_type[0]) MHD_add_response_header(mr, "Content-Type", r->content_type);
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(mr, r->hname[i], r->hval[i]);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)(r->status ? r->status : 200), mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls) {
    (void)url;
    (void)version;
    sim_t *s = cls;
    conn_state_t *st = *con_cls;
    if (!st) return MHD_NO;
    if (st->ready && st->ready->status) { /* resumed after a long poll */
        http_resp_t *ready = st->ready;
        st->ready = NULL;
        enum MHD_Result ret = send_resp(c, ready);
        free(ready);
        return ret;
    }
    if (!st->seen_headers) {
        st->seen_headers = 1;
        /* A body a little over the limit is read and dropped, so ordinary clients (which send
         * the whole body before reading) get the 413; a declared length far beyond it is
         * refused at once, before reading (MHD then closes the connection). */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (!cl || strtoull(cl, NULL, 10) <= 4ULL * MAX_BODY_BYTES) return MHD_YES;
        st->too_large = 1;
    } else if (*upload_size) {
        if (st->body.len + *upload_size > MAX_BODY_BYTES)
            st->too_large = 1;
        else
            sb_putn(&st->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    http_resp_t resp;
    resp_init(&resp);
    if (st->too_large) {
        sim_error_t e;
        sim_err(&e, 413, "RequestEntityTooLarge", "Request body exceeds the maximum of %d bytes",
                MAX_BODY_BYTES);
        char rid[37];
        sim_lock(s);
        rng_uuid(s, rid);
        sim_unlock(s);
        proto_encode_generic_error(&e, rid, &resp);
        return send_resp(c, &resp);
    }
    char *q = strchr(st->raw_uri, '?');
    char *path = q ? strndup(st->raw_uri, (size_t)(q - st->raw_uri)) : strdup(st->raw_uri);
    http_req_t h = {.method = method,
                    .path = path,
                    .query = q ? q + 1 : NULL,
                    .body = st->body.buf ? st->body.buf : "",
                    .body_len = st->body.len,
                    .header = header_lookup,
                    .hctx = c};
    front_poll_t *p = front_handle_async(s, &h, &resp);
    free(path);
    if (p) {
        MHD_suspend_connection(c); /* before the poller can see it, so a resume never precedes it */
        pending_t *q = calloc(1, sizeof *q);
        q->c = c, q->st = st, q->p = p;
        sim_lock(s);
        q->next = pending_head;
        pending_head = q;
        s->held_polls++;
        pthread_cond_broadcast(&s->changed); /* the poller recomputes its deadline */
        sim_unlock(s);
        return MHD_YES;
    }
    return send_resp(c, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode t) {
    (void)cls;
    (void)c;
    (void)t;
    conn_state_t *st = *con_cls;
    if (!st) return;
    __atomic_sub_fetch(&in_flight, 1, __ATOMIC_RELAXED);
    free(st->raw_uri);
    sb_free(&st->body);
    if (st->ready) resp_free(st->ready);
    free(st->ready);
    free(st);
    *con_cls = NULL;
}

int http_serve(sim_t *s, const char *host, int port, const char *ready_file, volatile int *stop) {
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "awssim: --host must be an IPv4 address, got %s\n", host);
        return 2;
    }
    /* One worker by default: every API call runs under the one sim lock, so a second worker mostly
     * adds lock hand-offs (a futex sleep and wake per call when both hold connections): the 20-state
     * chain ran at ~12.6k StartExecution/s with 2 workers against ~17.5k with 1, GetCallerIdentity
     * lost ~8 % (bench/results/sfn.md). --threads N gives N workers. */
    unsigned pool = s->http_threads > 0 ? (unsigned)s->http_threads : 1;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, pool, MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "awssim: cannot listen on %s:%d\n", host, port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int bound = info ? info->port : port;
    char url[128];
    snprintf(url, sizeof url, "http://%s:%d", host, bound);
    pthread_t poll_thread;
    poller_stop = 0;
    if (pthread_create(&poll_thread, NULL, poller, s) != 0) {
        fprintf(stderr, "awssim: cannot start the long-poll thread\n");
        MHD_stop_daemon(d);
        return 1;
    }
    printf("awssim listening on %s\n", url);
    fflush(stdout);
    if (ready_file) {
        char tmp[600];
        snprintf(tmp, sizeof tmp, "%s.tmp", ready_file);
        FILE *f = fopen(tmp, "w");
        if (f) {
            fprintf(f, "%s\n", url);
            fclose(f);
            rename(tmp, ready_file);
        }
    }
    while (!*stop) {
        usleep(50 * 1000);
        if (s->clock_mode == CLOCK_REAL) {
            extern int clock_fire_due(sim_t *);
            clock_fire_due(s);
        }
    }
    sim_lock(s);
    poller_stop = 1;
    pthread_cond_broadcast(&s->changed);
    sim_unlock(s);
    pthread_join(poll_thread, NULL);
    /* Let the answers already under way go out (the held polls the poller has just answered among
     * them) before the daemon closes every connection: up to 2 s, then stop regardless. */
    for (int i = 0; i < 400 && __atomic_load_n(&in_flight, __ATOMIC_RELAXED) > 0; i++)
        usleep(5 * 1000);
    MHD_stop_daemon(d);
    return 0;
}
