/*
 * dms_internal.h — shared helpers of the DMS service files (dms.c, dms_res.c, dms_task.c, dms_misc.c).
 *
 * Every DMS resource is a JSON document in the generic store, keyed by its ARN, with its AWS members
 * at top level (shaped like boto3 output) and simulator bookkeeping in members starting with "_"
 * ("_arn", "_tags", "_run", ...) which dms_out() strips before a document is returned.
 */
#ifndef AWSSIM_DMS_INTERNAL_H
#define AWSSIM_DMS_INTERNAL_H

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "services/service.h"

typedef struct dms_kind {
    const char *type;      /* store type and ARN resource type: arn:aws:dms:R:A:<type>:<id> */
    const char *arn_field; /* member that holds the ARN, or NULL (subnet groups, subscriptions) */
    const char *id_field;  /* friendly identifier member */
    const char *label;     /* "Replication Task", used in messages */
    int lower;             /* AWS stores the identifier in lowercase */
} dms_kind_t;

extern const dms_kind_t DMS_RI, DMS_TASK, DMS_EP, DMS_CERT, DMS_SG, DMS_ES, DMS_RUN, DMS_CFG, DMS_DP, DMS_IP,
    DMS_MP, DMS_DM, DMS_COLLECTOR;

/* Filter name -> document member (dotted path allowed: "ReplicationSubnetGroup.VpcId"). */
typedef struct dms_filter {
    const char *name;
    const char *field;
} dms_filter_t;

/* ---- documents ---- */
cJSON *dms_out(const cJSON *doc); /* copy without "_" members */
void dms_set_str(cJSON *o, const char *key, const char *v);
void dms_set_num(cJSON *o, const char *key, double v);
void dms_set_bool(cJSON *o, const char *key, int v);
void dms_set_ts(cJSON *o, const char *key, int64_t ms); /* epoch seconds */
void dms_copy_members(cJSON *dst, const cJSON *in, const char *const *skip);
double dms_ms_to_s(int64_t ms);

/* ---- identifiers and ARNs ---- */
/* AWS rule: identifiers begin with a letter, contain only ASCII letters, digits and hyphens, do not
 * end with a hyphen or contain two consecutive hyphens. */
int dms_check_identifier(const char *param, const char *v, int maxlen, sim_error_t *e);
void dms_make_arn(req_t *r, const char *type, const char *suffix, char *out, size_t n);
void dms_new_arn(req_t *r, const char *type, const cJSON *in, char *out,
                 size_t n); /* honours ResourceIdentifier */
void dms_lower(char *s);
int dms_resource_id_ok(req_t *r, const dms_kind_t *k, const cJSON *in, sim_error_t *e);
int dms_check_kms(const char *key, sim_error_t *e);

/* ---- lookup ---- */
cJSON *dms_get(req_t *r, const dms_kind_t *k, const char *arn);
cJSON *dms_find(req_t *r, const dms_kind_t *k, const char *id_or_arn); /* identifier or ARN */
int dms_put(req_t *r, const dms_kind_t *k, cJSON *doc);
int dms_del(req_t *r, const dms_kind_t *k, const cJSON *doc);
const char *dms_arn_of(const cJSON *doc);
int dms_not_found(sim_error_t *e, const dms_kind_t *k, const char *what);
int dms_exists_err(sim_error_t *e, const dms_kind_t *k, const char *id);
const dms_kind_t *dms_kind_of_arn(const char *arn);

/* ---- listing ---- */
/* Filter `all` (consumed) with in.Filters against the allowed names; the result array is new. */
cJSON *dms_apply_filters(cJSON *all, const cJSON *in, const dms_filter_t *allowed, sim_error_t *e);
/* MaxRecords/Marker paging of `items` (consumed) into out[list_key] (+ out[marker_key]). */
int dms_page(cJSON *items, const cJSON *in, cJSON *out, const char *list_key, const char *marker_key,
             const char *max_key, sim_error_t *e);
/* Describe<Kind>s: list, map each doc (may be NULL = dms_out), filter, page; AWS answers
 * ResourceNotFoundFault when filters match nothing. */
typedef cJSON *(*dms_view_fn)(req_t *r, cJSON *doc, const cJSON *in);
int dms_describe(req_t *r, const dms_kind_t *k, const cJSON *in, cJSON *out, const char *list_key,
                 const dms_filter_t *allowed, dms_view_fn view, const char *nf_label, sim_error_t *e);

/* ---- tags, events ---- */
int dms_tags_init(cJSON *doc, const cJSON *tags, sim_error_t *e);
void dms_event(req_t *r, const char *source_type, const char *source_id, const char *category,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- JSON text members ---- */
int dms_validate_table_mappings(const char *text, sim_error_t *e);
int dms_validate_task_settings(const char *text, sim_error_t *e);

/* ---- timers: kind, ARN ref ---- */
void dms_timer(req_t *r, int64_t delay_ms, const char *kind, const char *ref, const char *payload);
int dms_on_timer(req_t *r, const char *kind, const char *ref, const char *payload);

/* ---- per-area timer handlers (return 1 when the kind was theirs) ---- */
int dms_res_timer(req_t *r, const char *kind, const char *ref, const char *payload);
int dms_task_timer(req_t *r, const char *kind, const char *ref, const char *payload);
int dms_misc_timer(req_t *r, const char *kind, const char *ref, const char *payload);

/* ---- things other areas need ---- */
int dms_endpoint_fault_message(sim_t *s, const cJSON *endpoint, char *msg, size_t n); /* 1 when failing */
int dms_tasks_using(req_t *r, const char *field, const char *arn);
int64_t dms_task_log_bytes(const cJSON *task, int64_t now); /* count */

/* ---- catalogues ---- */
typedef struct engine_info {
    const char *name, *display;
    int port;             /* default port, 0 when the engine has none */
    int roles;            /* 1 source, 2 target */
    const char *settings; /* member holding the engine's settings object */
} engine_info_t;
extern const engine_info_t DMS_ENGINES[];
extern const char *const DMS_CLASSES[];
extern const char *const DMS_ENGINE_VERSIONS[];
extern const char *const DMS_ASSESSMENTS[];
const engine_info_t *dms_engine(const char *name);
const char *const *dms_event_categories(const char *source_type);

/* Delays of simulated transitions (virtual ms). */
#define DMS_RI_CREATE_MS (5 * 60 * 1000)
#define DMS_RI_MODIFY_MS (2 * 60 * 1000)
#define DMS_RI_REBOOT_MS (60 * 1000)
#define DMS_RI_DELETE_MS (60 * 1000)
#define DMS_TASK_CREATE_MS (30 * 1000)
#define DMS_TASK_START_MS (15 * 1000)
#define DMS_TASK_STOP_MS (10 * 1000)
#define DMS_CONN_TEST_MS (15 * 1000)
#define DMS_DEFAULT_ROWS 100000
#define DMS_DEFAULT_RPS 5000

#define DMS_OP(name) int op_##name(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e)

#endif
