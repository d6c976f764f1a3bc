/*
 * asl.h — the Amazon States Language engine, independent of HTTP.
 *
 * asl_parse() validates a definition like AWS (diagnostics with AWS's codes and messages) and
 * returns a parsed definition that can be cached (with an index of its states by name). An
 * execution is one cJSON document (threads, status, history events not yet stored, as JSON text)
 * that the host persists between calls: asl_run() advances every runnable thread until all are
 * blocked on time (a timer the host schedules) or on a token, or the execution ends. Tasks are
 * delegated to the host through asl_host_t.
 */
#ifndef AWSSIM_ASL_H
#define AWSSIM_ASL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/sim.h"

#define ASL_MAX_PAYLOAD 262144 /* 256 KiB: States.DataLimitExceeded above this */
#define ASL_MAX_HISTORY 25000  /* events per execution */
#define ASL_MAX_DEFINITION 1048576

/* ---- JSON (json.c) ---- */
/* A growable text buffer (always NUL-terminated once written to). Free b with free(). */
typedef struct asl_buf {
    char *b;
    size_t n, cap;
} asl_buf_t;
void asl_buf_reserve(asl_buf_t *b, size_t n); /* room for n more bytes (b->b may move) */
static inline void asl_buf_put(asl_buf_t *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) asl_buf_reserve(b, n);
    memcpy(b->b + b->n, s, n);
    b->n += n;
    b->b[b->n] = 0;
}
void asl_buf_num(asl_buf_t *b, double d);        /* a JSON number as asl_json_print writes it */
void asl_buf_str(asl_buf_t *b, const char *s);   /* a JSON string (quoted, escaped) */
void asl_json_put(asl_buf_t *b, const cJSON *v); /* compact JSON text of v appended */
/* Compact JSON text of v (as cJSON_PrintUnformatted, faster for numbers). Caller frees. */
char *asl_json_print(const cJSON *v);
/* The elements of a JSON array text, located without parsing them: *spans gets 2 offsets per
 * element (start, end past it) into s; returns the count, or -1 when s is not a well-nested array
 * (element values themselves are only checked by whoever parses a span). Caller frees *spans. */
long asl_json_array_spans(const char *s, size_t n, size_t **spans);

/* ---- JSONPath (jsonpath.c) ---- */
/* Syntax check of a Path ($..., $$...). ref_only: a Reference Path (no wildcards/filters). */
int jp_valid(const char *path, int ref_only);
/* Evaluate path on root. Returns a new value, or NULL when nothing matched (definite paths). */
cJSON *jp_get(const cJSON *root, const char *path);
/* ResultPath: put value (consumed) at path inside *root (may replace root). 0, or -1 with msg. */
int jp_set(cJSON **root, const char *path, cJSON *value, char *err, size_t errn);

/* Data a path or intrinsic can read: input ($), context object ($$), variables ($name). */
typedef struct asl_scope {
    sim_t *sim; /* rng for States.UUID / MathRandom */
    const cJSON *input;
    const cJSON *ctx;
    const cJSON *vars;
} asl_scope_t;

/* Errors raised while evaluating: error name (States.Runtime, ...) and cause. */
typedef struct asl_err {
    char error[128];
    char cause[1024];
} asl_err_t;

int asl_fail(asl_err_t *e, const char *error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Resolve "$.x", "$$.x", "$var.x" or an intrinsic "States.F(...)". NULL + e on failure. */
cJSON *asl_resolve(const char *expr, const asl_scope_t *sc, const char *field, asl_err_t *e);
/* Apply a payload template (Parameters, ResultSelector, ItemSelector, Assign). New value or NULL+e. */
cJSON *asl_template(const cJSON *tmpl, const asl_scope_t *sc, asl_err_t *e);

/* ---- intrinsics (intrinsics.c) ---- */
int asl_is_intrinsic(const char *expr);
int asl_intrinsic_valid(const char *expr, char *err, size_t errn);
cJSON *asl_intrinsic(sim_t *s, const char *expr, const asl_scope_t *sc, asl_err_t *e);
/* OpenSSL digest for an AWS hash algorithm name, or NULL (States.Hash, JSONata $hash). */
struct evp_md_st;
const struct evp_md_st *asl_hash_md(const char *alg);

/* ---- Choice rules (choice.c) ---- */
/* RFC 3339 timestamp -> epoch seconds (fraction kept). 0 ok, -1 invalid. */
int asl_ts_parse(const char *s, double *out);
/* 1 match, 0 no match, -1 runtime error (e filled). */
int asl_choice_match(const cJSON *rule, const asl_scope_t *sc, asl_err_t *e);
/* Validate one rule (top-level: needs Next). Adds diagnostics through the callback. */
int asl_choice_rule_valid(const cJSON *rule, int top, char *msg, size_t n);

/* ---- definitions (parse.c) ---- */
typedef struct asl_diag {
    char code[48]; /* SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, ... */
    char message[512];
    char location[256];
} asl_diag_t;

/* A state as the engine runs it: found by name through a hash index built once per definition. */
typedef enum {
    ASL_ST_OTHER = 0,
    ASL_ST_PASS,
    ASL_ST_TASK,
    ASL_ST_CHOICE,
    ASL_ST_WAIT,
    ASL_ST_SUCCEED,
    ASL_ST_FAIL,
    ASL_ST_PARALLEL,
    ASL_ST_MAP
} asl_stype_t;

/* A Pass state without InputPath, Parameters, Result, ResultPath, OutputPath or Assign: its output
 * is its input, unchanged. */
#define ASL_SF_PLAIN_PASS 1u

typedef struct asl_sinfo {
    const char *name;
    const cJSON *st; /* the state's definition object */
    asl_stype_t type;
    unsigned flags;                  /* ASL_SF_* */
    const char *next;                /* "Next", or NULL */
    char entered[40], exited[40];    /* its event types: "PassStateEntered", "PassStateExited", ... */
    int child;                       /* Map: the machine of its iterations (asl_child_machine), else -1 */
    const struct asl_sinfo *next_si; /* the state "Next" names in the same machine, or NULL */
    /* as JSON strings (quoted, escaped), for writing events */
    char *name_json, *entered_json, *exited_json;
    size_t name_json_len, entered_json_len, exited_json_len;
} asl_sinfo_t;

typedef struct asl_sidx asl_sidx_t; /* per-machine state index (parse.c) */

typedef struct asl_def {
    cJSON *root;      /* the definition */
    int nmachines;    /* machine 0 = top level, then Parallel branches / Map processors (DFS) */
    cJSON **machines; /* each {StartAt, States} object */
    char **mpath;     /* "" or "/States/P/Branches/0" ... */
    int refs;
    asl_sidx_t *sidx; /* nmachines indexes of the states by name */
    void *jn;         /* JSONata expressions compiled at validation (jsonata_states.c), or NULL */
} asl_def_t;

/* Parse + validate. On failure returns NULL, fills up to maxd diagnostics and *nd. */
asl_def_t *asl_parse(const char *text, asl_diag_t *diags, int maxd, int *nd);
void asl_def_free(asl_def_t *d);
/* "Invalid State Machine Definition: '...'" from diagnostics. */
void asl_diag_message(const asl_diag_t *d, int nd, char *out, size_t n);
/* The machine index whose States contains state `name` under the parent machine's state `owner`. */
int asl_child_machine(const asl_def_t *d, int parent, const char *owner, int branch);
const cJSON *asl_state(const asl_def_t *d, int machine, const char *name);
/* The state `name` of a machine, or NULL. */
const asl_sinfo_t *asl_sinfo(const asl_def_t *d, int machine, const char *name);

/* ---- JSONata states (jsonata_states.c) ---- */
/* What a JSONata field sees: $states.input/result/errorOutput/context and the workflow variables. */
typedef struct asl_jn_scope {
    sim_t *sim;
    int64_t now_ms;
    const cJSON *input, *result, *error_output, *ctx, *vars;
} asl_jn_scope_t;
typedef void (*asl_jn_diag_fn)(void *v, const char *code, const char *loc, const char *msg);

int asl_jn_enabled(const asl_def_t *d, const cJSON *st);     /* the state's query language is JSONata */
int asl_jn_is_expr(const cJSON *v);                          /* a "{% ... %}" string */
int asl_jn_uses_context(const cJSON *v);                     /* an expression in v may read $states.context */
int asl_jn_field_known(const char *type, const char *field); /* a JSONata-only field of a type */
/* QueryLanguage rules, fields of the other language, expression syntax (compiled into d's cache). */
void asl_jn_validate_state(asl_def_t *d, const cJSON *st, const char *sloc, asl_jn_diag_fn diag, void *v);
int asl_jn_rule_valid(const cJSON *rule, char *msg, size_t n); /* a JSONata Choice rule */
void asl_jn_cache_free(asl_def_t *d);
/* A field's value with its "{% %}" expressions evaluated. NULL + e (States.QueryEvaluationError). */
cJSON *asl_jn_eval(const asl_def_t *d, const cJSON *value, const char *field, const asl_jn_scope_t *sc,
                   asl_err_t *e);
/* A Choice rule's Condition: 1, 0, or -1 with e. */
int asl_jn_condition(const asl_def_t *d, const cJSON *rule, const asl_jn_scope_t *sc, asl_err_t *e);

/* ---- executions (engine.c) ---- */
typedef enum {
    ASL_TASK_DONE = 0, /* *result filled */
    ASL_TASK_FAIL = 1, /* err filled */
    ASL_TASK_WAIT = 2  /* waiting for a token (SendTask*, activity worker, child execution) */
} asl_task_rc;

typedef struct asl_task {
    const char *resource; /* Resource ARN as written */
    const char *state_name;
    cJSON *params;     /* effective parameters (after Parameters template) */
    const char *token; /* task token assigned by the engine (for waitForTaskToken etc.) */
    int thread;        /* engine thread id */
    int timeout_s, heartbeat_s;
    cJSON *credentials; /* the state's Credentials, resolved ({"RoleArn": ...}), or NULL */
} asl_task_t;

typedef struct asl_host {
    sim_t *sim;
    void *ud;
    /* Run a Task. Return ASL_TASK_*; *result new on DONE; err on FAIL. */
    int (*task)(void *ud, cJSON *x, asl_task_t *t, cJSON **result, asl_err_t *err);
    /* A timer for this execution at due_ms with payload (engine JSON). */
    void (*timer)(void *ud, cJSON *x, int64_t due_ms, const char *payload);
    const char *region;
    /* Distributed Map runs: arn NULL creates one (returns its malloc'd ARN); else updates its status
     * and counts (returns NULL). Optional. */
    char *(*map_run)(void *ud, cJSON *x, const char *arn, const char *state_name, const cJSON *state,
                     const char *status, int succeeded, int failed, int total);
    /* A task token of a thread is no longer valid (thread ended/aborted). */
    void (*token_done)(void *ud, cJSON *x, const char *token);
    /* The task of a token timed out (TimeoutSeconds/HeartbeatSeconds). Optional; else token_done. */
    void (*token_timed_out)(void *ud, cJSON *x, const char *token);
    /* ExecutionStarted's roleArn when x's context ("ctx") is JSON text (a cJSON_Raw item); else the
     * context object's Execution.RoleArn is used. Optional. */
    const char *role_arn;
} asl_host_t;

/* Create an execution document. ctx_exec: the context object's Execution/StateMachine parts. */
cJSON *asl_exec_new(const asl_def_t *d, const char *input_text, const cJSON *context, int64_t now_ms,
                    int timeout_s);
/* The same from the parsed input and context object (both consumed; NULL: an empty object). The
 * context may be a cJSON_Raw item holding the object's JSON text (parsed when $$ is read). */
cJSON *asl_exec_create(const asl_def_t *d, cJSON *input, cJSON *context, int64_t now_ms, int timeout_s);
/* Run until blocked or finished. Returns 0. Status in x: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED. */
int asl_run(asl_host_t *h, const asl_def_t *d, cJSON *x);
/* A timer fired (payload as given to host->timer). */
int asl_on_timer(asl_host_t *h, const asl_def_t *d, cJSON *x, const char *payload);
/* Token answer: ok=1 with output JSON text, or ok=0 with error/cause; heartbeat: ok=2. Returns -1 if no
 * thread waits on it. */
int asl_on_token(asl_host_t *h, const asl_def_t *d, cJSON *x, const char *token, int ok, const char *output,
                 const char *error, const char *cause);
/* StopExecution: abort with error/cause. */
int asl_stop(asl_host_t *h, const asl_def_t *d, cJSON *x, const char *error, const char *cause);
/* Redrive a FAILED/TIMED_OUT/ABORTED execution from its failed states. -1 if not redrivable. */
int asl_redrive(asl_host_t *h, const asl_def_t *d, cJSON *x);

const char *asl_status(const cJSON *x);
/* Step Functions message log (sns/sqs/events/... task calls), implemented in services/sfn.c:
 * appends one object per message to out_array, returns the count. */
int sfn_messages_json(sim_t *s, cJSON *out_array);
/* History events are written as compact JSON text while the engine runs (timestamps as ms offsets
 * from the start, payloads as JSON values under "$input"/"$output"/"$parameters"). The host takes
 * the events not yet stored after a call: comma-separated event objects (malloc'd, NULL when there
 * are none), *count of them, *stored events stored before them; x then counts them as stored. */
char *asl_history_take(cJSON *x, int *count, int *stored);
/* The events not yet taken, parsed (new array). */
cJSON *asl_history_pending(const cJSON *x);
int asl_history_stored(const cJSON *x); /* events already stored apart */
/* Turn the stored offsets of events (detached from x) into epoch seconds, as the API returns them. */
void asl_history_absolute(cJSON *x, cJSON *events);

#endif
