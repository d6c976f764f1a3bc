/*
 * registry.c — the service table and the one path every operation takes:
 * find handler → validate input against the model → BEGIN → handler → COMMIT/ROLLBACK → log.
 *
 * Invariant: a failed call leaves no trace in the state (its transaction is rolled back); every
 * top-level call, failed or not, gets an entry in the in-memory request log (core/reqlog.c).
 */
#include "services/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "proto/model.h"

static const service_def_t *const SERVICES[] = {&SVC_STS,     &SVC_IAM, &SVC_STEPFUNCTIONS,
                                                &SVC_ROUTE53, &SVC_DMS, &SVC_RAM};
#define NSERVICES ((int)(sizeof SERVICES / sizeof SERVICES[0]))

const service_def_t *const *service_all(int *n) {
    *n = NSERVICES;
    return SERVICES;
}

const service_def_t *service_by_key(const char *key) {
    for (int i = 0; key && i < NSERVICES; i++)
        if (strcmp(SERVICES[i]->key, key) == 0) return SERVICES[i];
    return NULL;
}

const service_def_t *service_by_signing_name(const char *name) {
    for (int i = 0; name && i < NSERVICES; i++)
        if (strcmp(SERVICES[i]->signing_name, name) == 0) return SERVICES[i];
    return NULL;
}

/* ---- operation lookup: one hash index per service, built on first use ---- */
#define OP_SLOTS 512
static const op_entry_t *op_index[NSERVICES > 0 ? 8 : 1][OP_SLOTS];
static int op_index_built[8];
static pthread_mutex_t op_index_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned op_hash(const char *s) {
    unsigned h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h % OP_SLOTS;
}

static int service_index(const service_def_t *svc) {
    for (int i = 0; i < NSERVICES; i++)
        if (SERVICES[i] == svc) return i;
    return -1;
}

static op_fn find_handler(const service_def_t *svc, const char *op) {
    int si = service_index(svc);
    if (si < 0) return NULL;
    if (!op_index_built[si]) {
        pthread_mutex_lock(&op_index_lock);
        if (!op_index_built[si]) {
            for (int i = 0; i < svc->nops; i++) {
                if (!svc->ops[i].name) continue;
                unsigned h = op_hash(svc->ops[i].name);
                while (op_index[si][h])
                    h = (h + 1) % OP_SLOTS;
                op_index[si][h] = &svc->ops[i];
            }
            op_index_built[si] = 1;
        }
        pthread_mutex_unlock(&op_index_lock);
    }
    for (unsigned h = op_hash(op), n = 0; op_index[si][h] && n < OP_SLOTS; h = (h + 1) % OP_SLOTS, n++)
        if (strcmp(op_index[si][h]->name, op) == 0) return op_index[si][h]->fn;
    return NULL;
}

void service_log(req_t *r, int status, const char *error_code) {
    reqlog_add(&r->sim->reqlog, r->now_ms, r->account, r->region, r->service, r->operation, status,
               error_code, r->caller_arn, r->request_id);
}

/* Operations that only read: AWS's Get/List/Describe naming, minus the ones that create something
 * (credentials, a dequeued activity task). A read runs without BEGIN/COMMIT. */
static int op_is_read_only(const char *op) {
    static const char *const WRITERS[] = {"GetSessionToken", "GetFederationToken", "GetActivityTask", NULL};
    if (strncmp(op, "Get", 3) && strncmp(op, "List", 4) && strncmp(op, "Describe", 8)) return 0;
    for (int i = 0; WRITERS[i]; i++)
        if (strcmp(op, WRITERS[i]) == 0) return 0;
    return 1;
}

/* Validate and run r->operation of svc with the sim lock held; one transaction per call. */
int service_run(req_t *r, const cJSON *in, cJSON **out, sim_error_t *e) {
    const service_def_t *svc = service_by_key(r->service);
    model_t *m = svc ? model_get(svc->key) : NULL;
    const cJSON *op = m ? model_operation(m, r->operation) : NULL;
    if (!op) return sim_err(e, 400, "InvalidAction", "Unknown operation %s", r->operation);
    if (!r->internal) r->sim->request_seq++; /* a new top-level unit of work */
    op_fn fn = find_handler(svc, r->operation);
    if (!fn) {
        int rc = sim_err(e, 501, "NotImplemented", "%s is not implemented by awssim", r->operation);
        if (!r->internal) service_log(r, e->status, e->code);
        return rc;
    }
    if (model_validate_input(m, op, in, e) != 0) {
        if (!r->internal) service_log(r, e->status ? e->status : 400, e->code);
        return -1;
    }
    /* How the call is wrapped: its own transaction; a savepoint inside the caller's (a call from
     * another service); or nothing for a read (one connection, under the sim lock). The guard
     * below reports an operation named like a read that writes, so the list stays honest. */
    enum {
        TX_OWN,
        TX_SAVEPOINT,
        TX_NONE
    } tx = !sqlite3_get_autocommit(r->sim->db) ? TX_SAVEPOINT
           : op_is_read_only(r->operation)     ? TX_NONE
                                               : TX_OWN;
    sqlite3_int64 changes = sqlite3_total_changes64(r->sim->db);
    if (tx == TX_OWN) db_begin(r->sim);
    if (tx == TX_SAVEPOINT) db_exec(r->sim, "SAVEPOINT op");
    cJSON *result = cJSON_CreateObject();
    int rc = fn(r, in, result, e);
    if (tx == TX_NONE && sqlite3_total_changes64(r->sim->db) != changes)
        sim_log(r->sim, 0, "BUG: read-only operation %s.%s changed stored state outside a transaction",
                r->service, r->operation);
    if (rc != 0) {
        if (!e->code[0]) sim_err(e, 500, "InternalFailure", "operation failed");
        cJSON_Delete(result);
        if (tx == TX_OWN) db_rollback(r->sim);
        if (tx == TX_SAVEPOINT) db_exec(r->sim, "ROLLBACK TO op"), db_exec(r->sim, "RELEASE op");
    } else {
        *out = result;
        if (tx == TX_OWN) db_commit(r->sim), sim_changed(r->sim);
        if (tx == TX_SAVEPOINT) db_exec(r->sim, "RELEASE op");
    }
    /* a long poll that will wait is logged once, when it answers (http/front.c) */
    if (!r->internal && !(rc == 0 && r->poll_empty && r->can_wait)) {
        int status = rc == 0 ? 200 : model_error_status(m, e->code, NULL);
        service_log(r, status ? status : e->status ? e->status : 400, rc == 0 ? NULL : e->code);
    }
    return rc;
}

int service_call(sim_t *s, const char *service_key, const char *operation, const char *account,
                 const char *region, const char *caller_arn, const cJSON *in, cJSON **out, sim_error_t *e) {
    const service_def_t *svc = service_by_key(service_key);
    if (!svc) return sim_err(e, 400, "UnknownService", "Unknown service %s", service_key);
    sim_lock(s);
    char root[64], rid[37];
    snprintf(root, sizeof root, "arn:aws:iam::%s:root", account);
    rng_uuid(s, rid);
    req_t r = {.sim = s,
               .service = svc->key,
               .operation = operation,
               .account = account,
               .region = region ? region : DEFAULT_REGION,
               .scope = svc->global ? "global" : (region ? region : DEFAULT_REGION),
               .access_key = "",
               .caller_arn = caller_arn ? caller_arn : root,
               .caller_userid = account,
               .request_id = rid,
               .now_ms = clock_now_ms(s)};
    *out = NULL;
    int rc = service_run(&r, in, out, e);
    sim_unlock(s);
    return rc;
}

int service_invoke(req_t *parent, const char *service_key, const char *operation, const cJSON *in,
                   cJSON **out, sim_error_t *e) {
    const service_def_t *svc = service_by_key(service_key);
    if (!svc) return sim_err(e, 400, "UnknownService", "Unknown service %s", service_key);
    req_t r = *parent;
    r.service = svc->key;
    r.operation = operation;
    r.scope = svc->global ? "global" : parent->region;
    r.internal = 1;
    *out = NULL;
    /* As at the HTTP front: AWS ignores request members its model does not have, so a task's
     * Parameters never hand unmodelled members (such as simulator bookkeeping keys) to a handler. */
    model_t *m = model_get(svc->key);
    const cJSON *op = m ? model_operation(m, operation) : NULL;
    cJSON *known = in && op ? cJSON_Duplicate(in, 1) : NULL;
    if (known) model_drop_unknown_input(m, op, known);
    int rc = service_run(&r, known ? known : in, out, e);
    cJSON_Delete(known);
    return rc;
}

/* ---- helpers ---- */

const char *jstr(const cJSON *o, const char *key) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

int jint(const cJSON *o, const char *key, int dflt) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valueint : dflt;
}

double jnum(const cJSON *o, const char *key, double dflt) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

int jbool(const cJSON *o, const char *key, int dflt) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

cJSON *jdup(const cJSON *o) {
    return o ? cJSON_Duplicate(o, 1) : NULL;
}

cJSON *page_slice(cJSON *all, const char *token, int max_items, int dflt_max, char *next_token, size_t n) {
    int start = 0;
    if (token && *token) start = atoi(token);
    if (start < 0) start = 0;
    int max = max_items > 0 ? max_items : dflt_max;
    int total = cJSON_GetArraySize(all);
    cJSON *page = cJSON_CreateArray();
    cJSON *it = start < total ? cJSON_GetArrayItem(all, start) : NULL;
    for (int i = start; it && i < start + max; i++, it = it->next)
        cJSON_AddItemToArray(page, cJSON_Duplicate(it, 1));
    if (next_token && n) {
        if (start + max < total)
            snprintf(next_token, n, "%d", start + max);
        else
            next_token[0] = 0;
    }
    cJSON_Delete(all);
    return page;
}

int tags_validate(const cJSON *tags, sim_error_t *e, const char *key_name, const char *value_name) {
    const cJSON *t;
    int n = 0;
    cJSON_ArrayForEach(t, tags) {
        n++;
        const char *k = jstr(t, key_name);
        const char *v = jstr(t, value_name);
        if (!k || !*k) return sim_err(e, 400, "InvalidParameterValue", "Tag keys must not be empty");
        if (strlen(k) > 128)
            return sim_err(e, 400, "InvalidParameterValue", "Tag key exceeds the maximum length of 128");
        if (v && strlen(v) > 256)
            return sim_err(e, 400, "InvalidParameterValue", "Tag value exceeds the maximum length of 256");
        if (strncmp(k, "aws:", 4) == 0)
            return sim_err(e, 400, "InvalidParameterValue", "Tag keys starting with 'aws:' are reserved");
    }
    if (n > 50) return sim_err(e, 400, "LimitExceeded", "A resource may have at most 50 tags");
    return 0;
}
