/*
 * service.h — how a service plugs into awssim.
 *
 * Each service file (sim/services/<name>.c) defines one service_def_t with a static operation
 * table { "AssumeRole", op_AssumeRole }. The dispatcher (services/registry.c) finds the
 * operation in the botocore model, validates the input against the model (required members,
 * types, enums, lengths, ranges) before calling the handler, and serialises the handler's
 * output through the protocol codec. Handlers only implement behaviour.
 */
#ifndef AWSSIM_SERVICE_H
#define AWSSIM_SERVICE_H

#include "core/sim.h"

typedef int (*op_fn)(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e);

typedef struct op_entry {
    const char *name;
    op_fn fn;
} op_entry_t;

typedef struct service_def {
    const char *key;          /* model key: "sts" */
    const char *signing_name; /* SigV4 service name: "sts", "states", "route53", "dms", "ram", "iam" */
    int global;               /* resources are global (stored with scope "global") */
    const op_entry_t *ops;    /* sorted or not; looked up by name */
    int nops;
    int (*init_schema)(sim_t *s); /* optional: CREATE TABLE IF NOT EXISTS ... */
    /* optional: a timer of this service fired. r is set up for the timer's account/region. */
    int (*on_timer)(req_t *r, const char *kind, const char *ref, const char *payload);
    /* optional: drop caches on reset/restore */
    void (*on_reset)(sim_t *s);
} service_def_t;

#define OPS_COUNT(t) ((int)(sizeof(t) / sizeof((t)[0])))

extern const service_def_t SVC_STS, SVC_IAM, SVC_STEPFUNCTIONS, SVC_ROUTE53, SVC_DMS, SVC_RAM;

const service_def_t *service_by_key(const char *key);
const service_def_t *service_by_signing_name(const char *name);
const service_def_t *const *service_all(int *n);

/*
 * Call an operation of any service as if from the account/region in `parent` (Step Functions
 * aws-sdk integrations, mock bridges). Input is validated against the model; on success *out
 * is a new object owned by the caller. Runs inside the caller's transaction.
 */
int service_invoke(req_t *parent, const char *service_key, const char *operation, const cJSON *in,
                   cJSON **out, sim_error_t *e);

/*
 * Run one operation outside HTTP: validation, one transaction (rolled back on error), request log.
 * Used by the HTTP front, the mock bridges' control endpoints and unit tests. caller_arn NULL means
 * the account root. Takes the sim lock. *out is new (caller frees) on success.
 */
int service_call(sim_t *s, const char *service_key, const char *operation, const char *account,
                 const char *region, const char *caller_arn, const cJSON *in, cJSON **out, sim_error_t *e);

/* Validate and run r->operation (r->service) with the sim lock held; one transaction. */
int service_run(req_t *r, const cJSON *in, cJSON **out, sim_error_t *e);

/* Append a row to the request log (GET /_awssim/requests); the front logs refused calls with it. */
void service_log(req_t *r, int status, const char *error_code);

/* Helpers handlers use. */
const char *jstr(const cJSON *o, const char *key);   /* string member or NULL */
int jint(const cJSON *o, const char *key, int dflt); /* number member or dflt */
double jnum(const cJSON *o, const char *key, double dflt);
int jbool(const cJSON *o, const char *key, int dflt);
cJSON *jdup(const cJSON *o); /* deep copy (NULL-safe) */
/* Standard paging: slice `all` (array, consumed) from token; sets NextToken/Marker name given. */
cJSON *page_slice(cJSON *all, const char *token, int max_items, int dflt_max, char *next_token, size_t n);
/* Tags: [{Key,Value}] list helpers used by several services. */
int tags_validate(const cJSON *tags, sim_error_t *e, const char *key_name, const char *value_name);

#endif
