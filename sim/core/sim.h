/*
 * sim.h — the process-wide awssim context and the request context handlers see.
 *
 * One sim_t per server (or per test). Every API call runs with the sim lock held, inside one
 * SQLite transaction, with a req_t that names the caller's account, region and principal.
 * Handlers never touch HTTP: they read `in` (parameters as cJSON, shaped like boto3 input) and
 * fill `out` (shaped like boto3 output), or return an AWS error through sim_error_t.
 */
#ifndef AWSSIM_SIM_H
#define AWSSIM_SIM_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>

#include "core/reqlog.h"

#define AWSSIM_VERSION "0.1.0"
#define DEFAULT_ACCOUNT "000000000000"
#define DEFAULT_REGION "us-east-1"

typedef enum { CLOCK_VIRTUAL = 0, CLOCK_REAL = 1 } clock_mode_t;

typedef struct sim {
    sqlite3 *db;
    struct stmt_cache *stmts; /* db's prepared statements (core/store.c), NULL until the first */
    pthread_mutex_t lock;     /* recursive: held for every API call, control call and timer */
    clock_mode_t clock_mode;
    int64_t now_ms; /* virtual now (epoch ms); in real mode refreshed from the wall clock */
    uint64_t seed;
    uint64_t rng_state[4];
    int auth_strict;
    int log_level;   /* 0 error, 1 warn, 2 info, 3 debug */
    reqlog_t reqlog; /* GET /_awssim/requests: the last calls, in memory (capacity 0 = off) */
    char state_path[512];
    char *sfn_mock_config;  /* JSON text of a Step Functions Local MockConfigFile, or NULL */
    uint64_t request_seq;   /* +1 per top-level unit of work (API call, timer): caches key on it */
    uint64_t cred_gen;      /* +1 whenever the credentials table may have changed (auth.c's cache) */
    uint64_t store_gen;     /* unique in the process per store contents: new at store_open, store_reset
                               and store_restore (caches of stored rows key on it, services/sfn.c) */
    uint64_t change_gen;    /* +1 at every committed change or clock move (sim_changed) */
    pthread_cond_t changed; /* broadcast with change_gen while long polls are held (poller waits on it) */
    int http_threads;       /* HTTP worker threads (--threads); 0: the default, 1 */
    int long_poll_s;        /* how long a long poll (GetActivityTask) waits at most; AWS: 60 s */
    int held_polls;         /* long polls waiting now (GET /_awssim/health: heldPolls) */
    struct auth_miss {      /* access keys known to be absent from the credentials table, per cred_gen */
        char key[32];
        uint64_t gen;
    } auth_miss[64];
} sim_t;

/* What an API call runs with. Strings are owned by the dispatcher and live for the call. */
typedef struct req {
    sim_t *sim;
    const char *service;    /* model key: "sts", "iam", "stepfunctions", "route53", "dms", "ram" */
    const char *operation;  /* "AssumeRole" */
    const char *account;    /* 12 digits */
    const char *region;     /* signing region, e.g. "us-east-1" */
    const char *scope;      /* storage scope: region, or "global" for IAM and Route 53 */
    const char *access_key; /* the caller's access key id ("" when unsigned) */
    const char
        *caller_arn; /* arn:aws:iam::ACCOUNT:root | :user/NAME | arn:aws:sts::ACCOUNT:assumed-role/R/S */
    const char *caller_userid;
    const char *request_id;
    int64_t now_ms; /* the clock at the start of the call */
    int internal;   /* 1 when called by another service (Step Functions aws-sdk tasks) */
    int can_wait;   /* in: the caller can hold the call open (HTTP long poll) */
    int poll_empty; /* out: a long-polling operation found nothing yet and would wait */
} req_t;

typedef struct sim_error {
    int status;    /* HTTP status, 400 unless said otherwise */
    char code[96]; /* AWS error code: "ValidationError", "NoSuchEntity", ... */
    char message[1024];
    int server_fault; /* query protocol <Type>Receiver</Type> when set */
} sim_error_t;

/* Create a sim: state ":memory:" or a file path; start_ms 0 = now (wall clock, whole seconds). */
int sim_init(sim_t *s, const char *state_path, clock_mode_t mode, uint64_t seed, int64_t start_ms);
void sim_free(sim_t *s);
void sim_lock(sim_t *s);
void sim_unlock(sim_t *s);
/* Something observable changed (a commit, the clock moved): wake long polls. Lock held. */
void sim_changed(sim_t *s);
/* Reset all state (tables emptied, clock kept, rng reseeded). */
int sim_reset(sim_t *s);

/* Fill e and return -1, so handlers can `return sim_err(e, 404, "NoSuchEntity", "...", ...)`. */
int sim_err(sim_error_t *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Log (stderr) at a level; secrets must never be passed here. */
void sim_log(const sim_t *s, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
