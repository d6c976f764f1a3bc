/*
 * dms.c — AWS Database Migration Service (JSON 1.1, AmazonDMSv20160101.*): the operation table,
 * the service definition, and the helpers every DMS file shares (documents, identifiers, ARNs,
 * lookups, filters, paging, tags, events, timers).
 *
 * Resources live in the generic store keyed by ARN (see dms_internal.h); resource operations are in
 * dms_res.c, replication tasks/serverless replications and the progress engine in dms_task.c, and the
 * schema-conversion / fleet-advisor / static catalogue operations in dms_misc.c.
 */
#include "services/dms.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/dms_internal.h"

/* ------------------------------------------------------------------------------------------------
 * Resource kinds
 * ---------------------------------------------------------------------------------------------- */
const dms_kind_t DMS_RI = {"rep", "ReplicationInstanceArn", "ReplicationInstanceIdentifier",
                           "Replication Instance", 1};
const dms_kind_t DMS_TASK = {"task", "ReplicationTaskArn", "ReplicationTaskIdentifier", "Replication Task",
                             1};
const dms_kind_t DMS_EP = {"endpoint", "EndpointArn", "EndpointIdentifier", "Endpoint", 1};
const dms_kind_t DMS_CERT = {"cert", "CertificateArn", "CertificateIdentifier", "Certificate", 0};
const dms_kind_t DMS_SG = {"subgrp", NULL, "ReplicationSubnetGroupIdentifier", "Replication Subnet Group", 1};
const dms_kind_t DMS_ES = {"es", NULL, "CustSubscriptionId", "Event Subscription", 0};
const dms_kind_t DMS_RUN = {"assessment-run", "ReplicationTaskAssessmentRunArn", "AssessmentRunName",
                            "Replication Task Assessment Run", 0};
const dms_kind_t DMS_CFG = {"replication-config", "ReplicationConfigArn", "ReplicationConfigIdentifier",
                            "Replication Config", 0};
const dms_kind_t DMS_DP = {"data-provider", "DataProviderArn", "DataProviderName", "Data Provider", 0};
const dms_kind_t DMS_IP = {"instance-profile", "InstanceProfileArn", "InstanceProfileName",
                           "Instance Profile", 0};
const dms_kind_t DMS_MP = {"migration-project", "MigrationProjectArn", "MigrationProjectName",
                           "Migration Project", 0};
const dms_kind_t DMS_DM = {"data-migration", "DataMigrationArn", "DataMigrationName", "Data Migration", 0};
const dms_kind_t DMS_COLLECTOR = {"collector", NULL, "CollectorReferencedId", "Collector", 0};

static const dms_kind_t *const KINDS[] = {&DMS_RI,  &DMS_TASK, &DMS_EP, &DMS_CERT, &DMS_SG, &DMS_ES,
                                          &DMS_RUN, &DMS_CFG,  &DMS_DP, &DMS_IP,   &DMS_MP, &DMS_DM};

/* ------------------------------------------------------------------------------------------------
 * Documents
 * ---------------------------------------------------------------------------------------------- */
cJSON *dms_out(const cJSON *doc) {
    cJSON *o = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, doc) {
        if (it->string && it->string[0] == '_') continue;
        cJSON_AddItemToObject(o, it->string, cJSON_Duplicate(it, 1));
    }
    return o;
}

static void set_item(cJSON *o, const char *key, cJSON *v) {
    if (cJSON_GetObjectItemCaseSensitive(o, key))
        cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
    else
        cJSON_AddItemToObject(o, key, v);
}

void dms_set_str(cJSON *o, const char *key, const char *v) {
    if (!v) {
        cJSON_DeleteItemFromObjectCaseSensitive(o, key);
        return;
    }
    set_item(o, key, cJSON_CreateString(v));
}
void dms_set_num(cJSON *o, const char *key, double v) {
    set_item(o, key, cJSON_CreateNumber(v));
}
void dms_set_bool(cJSON *o, const char *key, int v) {
    set_item(o, key, cJSON_CreateBool(v));
}
double dms_ms_to_s(int64_t ms) {
    return (double)ms / 1000.0;
}
void dms_set_ts(cJSON *o, const char *key, int64_t ms) {
    if (ms < 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(o, key);
        return;
    }
    dms_set_num(o, key, dms_ms_to_s(ms));
}

void dms_copy_members(cJSON *dst, const cJSON *in, const char *const *skip) {
    const cJSON *it;
    cJSON_ArrayForEach(it, in) {
        /* the HTTP front and service_invoke drop members the model does not have; "_" members are
         * simulator bookkeeping (such as the document's ARN key) and are never copied from input,
         * whoever calls */
        int skipped = it->string[0] == '_';
        for (int i = 0; skip && skip[i]; i++)
            if (strcmp(skip[i], it->string) == 0) skipped = 1;
        if (!skipped) set_item(dst, it->string, cJSON_Duplicate(it, 1));
    }
}

/* ------------------------------------------------------------------------------------------------
 * Identifiers and ARNs
 * ---------------------------------------------------------------------------------------------- */
int dms_check_identifier(const char *param, const char *v, int maxlen, sim_error_t *e) {
    size_t n = v ? strlen(v) : 0;
    int ok = n >= 1 && (int)n <= maxlen && isalpha((unsigned char)v[0]) && v[n - 1] != '-';
    for (size_t i = 0; ok && i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (!(isalnum(c) || c == '-')) ok = 0;
        if (c == '-' && i + 1 < n && v[i + 1] == '-') ok = 0;
    }
    if (ok) return 0;
    if (n > (size_t)maxlen)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "The parameter %s must be between 1 and %d characters long.", param, maxlen);
    return sim_err(e, 400, "InvalidParameterValueException",
                   "The parameter %s must begin with a letter and only contain ASCII letters, digits, and "
                   "hyphens. It must not end with a hyphen or contain two consecutive hyphens.",
                   param);
}

void dms_lower(char *s) {
    for (; s && *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

void dms_make_arn(req_t *r, const char *type, const char *suffix, char *out, size_t n) {
    snprintf(out, n, "arn:aws:dms:%s:%s:%s:%s", r->region, r->account, type, suffix);
}

void dms_new_arn(req_t *r, const char *type, const cJSON *in, char *out, size_t n) {
    const char *rid = in ? jstr(in, "ResourceIdentifier") : NULL;
    char id[64];
    if (rid && *rid)
        snprintf(id, sizeof id, "%s", rid);
    else
        rng_upper_alnum(r->sim, id, 26);
    dms_make_arn(r, type, id, out, n);
}

/* AWS rule: ResourceIdentifier (the ARN's last part) follows the identifier rules, at most 63 characters,
 * and must not name an existing resource. */
int dms_resource_id_ok(req_t *r, const dms_kind_t *k, const cJSON *in, sim_error_t *e) {
    const char *rid = jstr(in, "ResourceIdentifier");
    if (!rid) return 0;
    if (dms_check_identifier("ResourceIdentifier", rid, 63, e)) return -1;
    char arn[256];
    dms_make_arn(r, k->type, rid, arn, sizeof arn);
    cJSON *old = rs_get(r, k->type, arn);
    if (!old) return 0;
    cJSON_Delete(old);
    return sim_err(e, 400, "ResourceAlreadyExistsFault", "ResourceIdentifier %s is already in use", rid);
}

/* AWS rule: a KMS key is named by key id (UUID), key ARN, alias name or alias ARN; anything else is a key
 * DMS cannot access (KMSKeyNotAccessibleFault). */
int dms_check_kms(const char *key, sim_error_t *e) {
    if (!key) return 0;
    size_t n = strlen(key);
    int uuid = n == 36 && key[8] == '-' && key[13] == '-' && key[18] == '-' && key[23] == '-';
    int mrk = strncmp(key, "mrk-", 4) == 0 && n == 36;
    if (uuid || mrk || strncmp(key, "alias/", 6) == 0 || strncmp(key, "arn:aws:kms:", 12) == 0) return 0;
    return sim_err(e, 400, "KMSKeyNotAccessibleFault", "The specified KMS key %s is not accessible", key);
}

/* ------------------------------------------------------------------------------------------------
 * Lookup
 * ---------------------------------------------------------------------------------------------- */
const char *dms_arn_of(const cJSON *doc) {
    return jstr(doc, "_arn");
}

cJSON *dms_get(req_t *r, const dms_kind_t *k, const char *arn) {
    if (!arn) return NULL;
    return rs_get(r, k->type, arn);
}

cJSON *dms_find(req_t *r, const dms_kind_t *k, const char *id) {
    if (!id || !*id) return NULL;
    if (strncmp(id, "arn:", 4) == 0) return dms_get(r, k, id);
    cJSON *all = rs_list(r, k->type), *hit = NULL;
    cJSON *it;
    cJSON_ArrayForEach(it, all) {
        const char *v = jstr(it, k->id_field);
        if (v && (k->lower ? strcasecmp(v, id) == 0 : strcmp(v, id) == 0)) {
            hit = cJSON_Duplicate(it, 1);
            break;
        }
    }
    cJSON_Delete(all);
    return hit;
}

int dms_put(req_t *r, const dms_kind_t *k, cJSON *doc) {
    return rs_put(r, k->type, dms_arn_of(doc), doc);
}
int dms_del(req_t *r, const dms_kind_t *k, const cJSON *doc) {
    return rs_del(r, k->type, dms_arn_of(doc));
}

int dms_not_found(sim_error_t *e, const dms_kind_t *k, const char *what) {
    return sim_err(e, 400, "ResourceNotFoundFault", "%s %s not found", k->label, what ? what : "");
}

int dms_exists_err(sim_error_t *e, const dms_kind_t *k, const char *id) {
    return sim_err(e, 400, "ResourceAlreadyExistsFault", "%s with identifier %s already exists", k->label,
                   id);
}

const dms_kind_t *dms_kind_of_arn(const char *arn) {
    if (!arn || strncmp(arn, "arn:", 4) != 0) return NULL;
    const char *p = arn;
    for (int i = 0; i < 5 && p; i++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    if (!p) return NULL;
    const char *end = strchr(p, ':');
    if (!end) return NULL;
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strlen(KINDS[i]->type) == (size_t)(end - p) && strncmp(KINDS[i]->type, p, (size_t)(end - p)) == 0)
            return KINDS[i];
    return NULL;
}

/* ------------------------------------------------------------------------------------------------
 * Filters and paging
 * ---------------------------------------------------------------------------------------------- */
static const cJSON *path_get(const cJSON *doc, const char *path) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = doc;
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, "."))
        cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
    return cur;
}

static int value_matches(const cJSON *v, const cJSON *values) {
    if (!v) return 0;
    if (cJSON_IsArray(v)) {
        const cJSON *x;
        cJSON_ArrayForEach(x, v) if (value_matches(x, values)) return 1;
        return 0;
    }
    /* every filter of every Describe names a string member (or an array of strings, e.g. "_ids") */
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    if (!s) return 0;
    const cJSON *want;
    cJSON_ArrayForEach(want,
                       values) if (cJSON_IsString(want) && strcasecmp(want->valuestring, s) == 0) return 1;
    return 0;
}

cJSON *dms_apply_filters(cJSON *all, const cJSON *in, const dms_filter_t *allowed, sim_error_t *e) {
    const cJSON *filters = cJSON_GetObjectItemCaseSensitive(in, "Filters");
    if (!filters || cJSON_GetArraySize(filters) == 0) return all;
    const cJSON *f;
    cJSON_ArrayForEach(f, filters) {
        const char *name = jstr(f, "Name");
        int known = 0;
        for (int i = 0; allowed && allowed[i].name; i++)
            if (name && strcmp(allowed[i].name, name) == 0) known = 1;
        if (!known) {
            cJSON_Delete(all);
            sim_err(e, 400, "InvalidParameterValueException", "Invalid filter name: %s", name ? name : "");
            return NULL;
        }
    }
    cJSON *res = cJSON_CreateArray();
    cJSON *doc;
    cJSON_ArrayForEach(doc, all) {
        int ok = 1;
        cJSON_ArrayForEach(f, filters) {
            const char *name = jstr(f, "Name");
            const cJSON *values = cJSON_GetObjectItemCaseSensitive(f, "Values");
            for (int i = 0; allowed[i].name; i++) {
                if (strcmp(allowed[i].name, name) != 0) continue;
                if (!value_matches(path_get(doc, allowed[i].field), values)) ok = 0;
            }
        }
        if (ok) cJSON_AddItemToArray(res, cJSON_Duplicate(doc, 1));
    }
    cJSON_Delete(all);
    return res;
}

/* AWS rule: MaxRecords defaults to 100 (DescribeCertificates: 10) and must be between 20 and 100. */
static int page_items(cJSON *items, const cJSON *in, cJSON *out, const char *list_key, const char *marker_key,
                      const char *max_key, int max, sim_error_t *e) {
    if (!max_key) max_key = "MaxRecords";
    if (!marker_key) marker_key = "Marker";
    const cJSON *mr = cJSON_GetObjectItemCaseSensitive(in, max_key);
    if (cJSON_IsNumber(mr)) {
        max = mr->valueint;
        if (max < 20 || max > 100) {
            cJSON_Delete(items);
            return sim_err(e, 400, "InvalidParameterValueException",
                           "The parameter %s must be between 20 and 100.", max_key);
        }
    }
    int start = 0;
    const char *marker = jstr(in, marker_key);
    if (marker && *marker) {
        char *end = NULL;
        long v = strtol(marker, &end, 10);
        if (!end || *end || v < 0 || v > cJSON_GetArraySize(items)) {
            cJSON_Delete(items);
            return sim_err(e, 400, "InvalidParameterValueException", "Invalid %s: %s", marker_key, marker);
        }
        start = (int)v;
    }
    int n = cJSON_GetArraySize(items);
    cJSON *page = cJSON_CreateArray();
    for (int i = start; i < n && i < start + max; i++)
        cJSON_AddItemToArray(page, cJSON_Duplicate(cJSON_GetArrayItem(items, i), 1));
    cJSON_AddItemToObject(out, list_key, page);
    if (start + max < n) {
        char buf[24];
        snprintf(buf, sizeof buf, "%d", start + max);
        cJSON_AddStringToObject(out, marker_key, buf);
    }
    cJSON_Delete(items);
    return 0;
}

int dms_page(cJSON *items, const cJSON *in, cJSON *out, const char *list_key, const char *marker_key,
             const char *max_key, sim_error_t *e) {
    return page_items(items, in, out, list_key, marker_key, max_key, 100, e);
}

int dms_describe(req_t *r, const dms_kind_t *k, const cJSON *in, cJSON *out, const char *list_key,
                 const dms_filter_t *allowed, dms_view_fn view, const char *nf_label, sim_error_t *e) {
    /* filters apply to the stored documents, so "_" members can back filters with no output member */
    cJSON *hits = dms_apply_filters(rs_list(r, k->type), in, allowed, e);
    if (!hits) return -1;
    cJSON *views = cJSON_CreateArray();
    cJSON *doc;
    cJSON_ArrayForEach(doc, hits) {
        cJSON *v = view ? view(r, doc, in) : dms_out(doc);
        if (v) cJSON_AddItemToArray(views, v);
    }
    cJSON_Delete(hits);
    const cJSON *filters = cJSON_GetObjectItemCaseSensitive(in, "Filters");
    /* AWS rule: a Describe with filters that match nothing is ResourceNotFoundFault. */
    if (cJSON_GetArraySize(views) == 0 && cJSON_GetArraySize(filters) > 0) {
        cJSON_Delete(views);
        return sim_err(e, 400, "ResourceNotFoundFault", "No %s found matching provided filters",
                       nf_label ? nf_label : k->label);
    }
    return page_items(views, in, out, list_key, NULL, NULL, k == &DMS_CERT ? 10 : 100, e);
}

/* ------------------------------------------------------------------------------------------------
 * Tags and events
 * ---------------------------------------------------------------------------------------------- */
int dms_tags_init(cJSON *doc, const cJSON *tags, sim_error_t *e) {
    cJSON *arr = cJSON_CreateArray();
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        const char *k = jstr(t, "Key");
        if (!k || !*k) {
            cJSON_Delete(arr);
            return sim_err(e, 400, "InvalidParameterValueException", "Tag key must not be empty");
        }
        /* AWS rule: tag keys may not start with "aws:" */
        if (strncmp(k, "aws:", 4) == 0) {
            cJSON_Delete(arr);
            return sim_err(e, 400, "InvalidParameterValueException", "Tag keys cannot start with 'aws:'");
        }
        cJSON *nt = cJSON_CreateObject();
        cJSON_AddStringToObject(nt, "Key", k);
        cJSON_AddStringToObject(nt, "Value", jstr(t, "Value") ? jstr(t, "Value") : "");
        cJSON_AddStringToObject(nt, "ResourceArn", jstr(doc, "_arn") ? jstr(doc, "_arn") : "");
        cJSON_AddItemToArray(arr, nt);
    }
    set_item(doc, "_tags", arr);
    return 0;
}

void dms_event(req_t *r, const char *source_type, const char *source_id, const char *category,
               const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddStringToObject(ev, "SourceIdentifier", source_id ? source_id : "");
    cJSON_AddStringToObject(ev, "SourceType", source_type);
    /* backs DescribeEvents' replication-instance-id filter */
    if (strcmp(source_type, "replication-instance") == 0)
        cJSON_AddStringToObject(ev, "_instance", source_id ? source_id : "");
    cJSON_AddStringToObject(ev, "Message", msg);
    cJSON *cats = cJSON_AddArrayToObject(ev, "EventCategories");
    cJSON_AddItemToArray(cats, cJSON_CreateString(category));
    dms_set_ts(ev, "Date", clock_now_ms(r->sim));
    char id[32];
    snprintf(id, sizeof id, "%012lld", (long long)meta_next_seq(r->sim, "dms.event"));
    rs_put(r, "event", id, ev);
    cJSON_Delete(ev);
}

/* ------------------------------------------------------------------------------------------------
 * Timers
 * ---------------------------------------------------------------------------------------------- */
void dms_timer(req_t *r, int64_t delay_ms, const char *kind, const char *ref, const char *payload) {
    timer_schedule(r->sim, clock_now_ms(r->sim) + delay_ms, "dms", kind, r->account, r->region, ref,
                   payload ? payload : "");
}

int dms_on_timer(req_t *r, const char *kind, const char *ref, const char *payload) {
    if (dms_res_timer(r, kind, ref, payload)) return 0;
    if (dms_task_timer(r, kind, ref, payload)) return 0;
    if (dms_misc_timer(r, kind, ref, payload)) return 0;
    sim_log(r->sim, 1, "dms: unknown timer kind %s", kind);
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Tag operations (any resource kind, addressed by ARN)
 * ---------------------------------------------------------------------------------------------- */
static cJSON *tagged_resource(req_t *r, const char *arn, sim_error_t *e) {
    const dms_kind_t *k = dms_kind_of_arn(arn);
    cJSON *doc = k ? dms_get(r, k, arn) : NULL;
    if (!doc) sim_err(e, 400, "ResourceNotFoundFault", "Resource %s not found", arn ? arn : "");
    return doc;
}

DMS_OP(AddTagsToResource) {
    const char *arn = jstr(in, "ResourceArn");
    cJSON *doc = tagged_resource(r, arn, e);
    if (!doc) return -1;
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "_tags");
    if (!tags) tags = cJSON_AddArrayToObject(doc, "_tags");
    cJSON *add = cJSON_CreateObject();
    cJSON_AddStringToObject(add, "_arn", arn);
    if (dms_tags_init(add, cJSON_GetObjectItemCaseSensitive(in, "Tags"), e) != 0) {
        cJSON_Delete(add);
        cJSON_Delete(doc);
        return -1;
    }
    cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(add, "_tags")) {
        int replaced = 0;
        cJSON *old;
        cJSON_ArrayForEach(old, tags) {
            if (strcmp(jstr(old, "Key"), jstr(t, "Key")) == 0) {
                dms_set_str(old, "Value", jstr(t, "Value"));
                replaced = 1;
            }
        }
        if (!replaced) cJSON_AddItemToArray(tags, cJSON_Duplicate(t, 1));
    }
    /* AWS rule: at most 50 tags per resource */
    if (cJSON_GetArraySize(tags) > 50) {
        cJSON_Delete(add);
        cJSON_Delete(doc);
        return sim_err(e, 400, "InvalidParameterValueException", "A resource can have at most 50 tags");
    }
    rs_put(r, dms_kind_of_arn(arn)->type, arn, doc);
    cJSON_Delete(add);
    cJSON_Delete(doc);
    return 0;
}

DMS_OP(RemoveTagsFromResource) {
    const char *arn = jstr(in, "ResourceArn");
    cJSON *doc = tagged_resource(r, arn, e);
    if (!doc) return -1;
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "_tags");
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(in, "TagKeys")) {
        for (int i = cJSON_GetArraySize(tags) - 1; i >= 0; i--)
            if (cJSON_IsString(k) && strcmp(jstr(cJSON_GetArrayItem(tags, i), "Key"), k->valuestring) == 0)
                cJSON_DeleteItemFromArray(tags, i);
    }
    rs_put(r, dms_kind_of_arn(arn)->type, arn, doc);
    cJSON_Delete(doc);
    return 0;
}

DMS_OP(ListTagsForResource) {
    const char *arn = jstr(in, "ResourceArn");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(in, "ResourceArnList");
    if (!arn && cJSON_GetArraySize(list) == 0)
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "Either ResourceArn or ResourceArnList must be provided");
    cJSON *res = cJSON_AddArrayToObject(out, "TagList");
    cJSON *arns = cJSON_CreateArray();
    if (arn) cJSON_AddItemToArray(arns, cJSON_CreateString(arn));
    const cJSON *a;
    cJSON_ArrayForEach(a, list) if (cJSON_IsString(a))
        cJSON_AddItemToArray(arns, cJSON_CreateString(a->valuestring));
    cJSON_ArrayForEach(a, arns) {
        cJSON *doc = tagged_resource(r, a->valuestring, e);
        if (!doc) {
            cJSON_Delete(arns);
            return -1;
        }
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "_tags")) {
            cJSON *o = cJSON_Duplicate(t, 1);
            if (!list) cJSON_DeleteItemFromObjectCaseSensitive(o, "ResourceArn");
            cJSON_AddItemToArray(res, o);
        }
        cJSON_Delete(doc);
    }
    cJSON_Delete(arns);
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Operation table (all 119 operations of the dms model)
 * ---------------------------------------------------------------------------------------------- */
#define DMS_ALL_OPS(X)                                                                                       \
    X(AddTagsToResource)                                                                                     \
    X(ApplyPendingMaintenanceAction)                                                                         \
    X(BatchStartRecommendations)                                                                             \
    X(CancelMetadataModelConversion)                                                                         \
    X(CancelMetadataModelCreation)                                                                           \
    X(CancelReplicationTaskAssessmentRun)                                                                    \
    X(CreateDataMigration)                                                                                   \
    X(CreateDataProvider)                                                                                    \
    X(CreateEndpoint)                                                                                        \
    X(CreateEventSubscription)                                                                               \
    X(CreateFleetAdvisorCollector)                                                                           \
    X(CreateInstanceProfile)                                                                                 \
    X(CreateMigrationProject)                                                                                \
    X(CreateReplicationConfig)                                                                               \
    X(CreateReplicationInstance)                                                                             \
    X(CreateReplicationSubnetGroup)                                                                          \
    X(CreateReplicationTask)                                                                                 \
    X(DeleteCertificate)                                                                                     \
    X(DeleteConnection)                                                                                      \
    X(DeleteDataMigration)                                                                                   \
    X(DeleteDataProvider)                                                                                    \
    X(DeleteEndpoint)                                                                                        \
    X(DeleteEventSubscription)                                                                               \
    X(DeleteFleetAdvisorCollector)                                                                           \
    X(DeleteFleetAdvisorDatabases)                                                                           \
    X(DeleteInstanceProfile)                                                                                 \
    X(DeleteMigrationProject)                                                                                \
    X(DeleteReplicationConfig)                                                                               \
    X(DeleteReplicationInstance)                                                                             \
    X(DeleteReplicationSubnetGroup)                                                                          \
    X(DeleteReplicationTask)                                                                                 \
    X(DeleteReplicationTaskAssessmentRun)                                                                    \
    X(DescribeAccountAttributes)                                                                             \
    X(DescribeApplicableIndividualAssessments)                                                               \
    X(DescribeCertificates)                                                                                  \
    X(DescribeConnections)                                                                                   \
    X(DescribeConversionConfiguration)                                                                       \
    X(DescribeDataMigrations)                                                                                \
    X(DescribeDataProviders)                                                                                 \
    X(DescribeEndpointSettings)                                                                              \
    X(DescribeEndpointTypes)                                                                                 \
    X(DescribeEndpoints)                                                                                     \
    X(DescribeEngineVersions)                                                                                \
    X(DescribeEventCategories)                                                                               \
    X(DescribeEventSubscriptions)                                                                            \
    X(DescribeEvents)                                                                                        \
    X(DescribeExtensionPackAssociations)                                                                     \
    X(DescribeFleetAdvisorCollectors)                                                                        \
    X(DescribeFleetAdvisorDatabases)                                                                         \
    X(DescribeFleetAdvisorLsaAnalysis)                                                                       \
    X(DescribeFleetAdvisorSchemaObjectSummary)                                                               \
    X(DescribeFleetAdvisorSchemas)                                                                           \
    X(DescribeInstanceProfiles)                                                                              \
    X(DescribeMetadataModel)                                                                                 \
    X(DescribeMetadataModelAssessments)                                                                      \
    X(DescribeMetadataModelChildren)                                                                         \
    X(DescribeMetadataModelConversions)                                                                      \
    X(DescribeMetadataModelCreations)                                                                        \
    X(DescribeMetadataModelExportsAsScript)                                                                  \
    X(DescribeMetadataModelExportsToTarget)                                                                  \
    X(DescribeMetadataModelImports)                                                                          \
    X(DescribeMigrationProjects)                                                                             \
    X(DescribeOrderableReplicationInstances)                                                                 \
    X(DescribePendingMaintenanceActions)                                                                     \
    X(DescribeRecommendationLimitations)                                                                     \
    X(DescribeRecommendations)                                                                               \
    X(DescribeRefreshSchemasStatus)                                                                          \
    X(DescribeReplicationConfigs)                                                                            \
    X(DescribeReplicationInstanceTaskLogs)                                                                   \
    X(DescribeReplicationInstances)                                                                          \
    X(DescribeReplicationSubnetGroups)                                                                       \
    X(DescribeReplicationTableStatistics)                                                                    \
    X(DescribeReplicationTaskAssessmentResults)                                                              \
    X(DescribeReplicationTaskAssessmentRuns)                                                                 \
    X(DescribeReplicationTaskIndividualAssessments)                                                          \
    X(DescribeReplicationTasks)                                                                              \
    X(DescribeReplications)                                                                                  \
    X(DescribeSchemas)                                                                                       \
    X(DescribeTableStatistics)                                                                               \
    X(ExportMetadataModelAssessment)                                                                         \
    X(GetTargetSelectionRules)                                                                               \
    X(ImportCertificate)                                                                                     \
    X(ListTagsForResource)                                                                                   \
    X(ModifyConversionConfiguration)                                                                         \
    X(ModifyDataMigration)                                                                                   \
    X(ModifyDataProvider)                                                                                    \
    X(ModifyEndpoint)                                                                                        \
    X(ModifyEventSubscription)                                                                               \
    X(ModifyInstanceProfile)                                                                                 \
    X(ModifyMigrationProject)                                                                                \
    X(ModifyReplicationConfig)                                                                               \
    X(ModifyReplicationInstance)                                                                             \
    X(ModifyReplicationSubnetGroup)                                                                          \
    X(ModifyReplicationTask)                                                                                 \
    X(MoveReplicationTask)                                                                                   \
    X(RebootReplicationInstance)                                                                             \
    X(RefreshSchemas)                                                                                        \
    X(ReloadReplicationTables)                                                                               \
    X(ReloadTables)                                                                                          \
    X(RemoveTagsFromResource)                                                                                \
    X(RunFleetAdvisorLsaAnalysis)                                                                            \
    X(StartDataMigration)                                                                                    \
    X(StartExtensionPackAssociation)                                                                         \
    X(StartMetadataModelAssessment)                                                                          \
    X(StartMetadataModelConversion)                                                                          \
    X(StartMetadataModelCreation)                                                                            \
    X(StartMetadataModelExportAsScript)                                                                      \
    X(StartMetadataModelExportToTarget)                                                                      \
    X(StartMetadataModelImport)                                                                              \
    X(StartRecommendations)                                                                                  \
    X(StartReplication)                                                                                      \
    X(StartReplicationTask)                                                                                  \
    X(StartReplicationTaskAssessment)                                                                        \
    X(StartReplicationTaskAssessmentRun)                                                                     \
    X(StopDataMigration)                                                                                     \
    X(StopReplication)                                                                                       \
    X(StopReplicationTask)                                                                                   \
    X(TestConnection)                                                                                        \
    X(UpdateSubscriptionsToEventBridge)

#define X(name) DMS_OP(name);
DMS_ALL_OPS(X)
#undef X

static const op_entry_t OPS[] = {
#define X(name) {#name, op_##name},
    DMS_ALL_OPS(X)
#undef X
};

const service_def_t SVC_DMS = {
    .key = "dms",
    .signing_name = "dms",
    .global = 0,
    .ops = OPS,
    .nops = OPS_COUNT(OPS),
    .init_schema = NULL,
    .on_timer = dms_on_timer,
    .on_reset = NULL,
};
