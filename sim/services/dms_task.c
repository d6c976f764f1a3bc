/*
 * dms_task.c — replication tasks and serverless replications with a clock-driven lifecycle, and the
 * progress engine behind ReplicationTaskStats, DescribeTableStatistics and the AWS/DMS metrics.
 *
 * Lifecycle (timers): creating -> ready; start -> starting -> running; full load runs on the clock from
 * per-table row counts (tables load MaxFullLoadSubTasks at a time); full-load tasks then stop themselves
 * ("Stop Reason FULL_LOAD_ONLY_FINISHED"), full-load-and-cdc / cdc tasks stay running in CDC;
 * stop -> stopping -> stopped. Progress is a pure function of the running segments kept in "_run"
 * ({"segs":[[start,end|-1],...]}) and the table list, so describes are deterministic at any time.
 * Faults (task-fails, lag, cdc-stalled, connection-fails) and table specs come from the control API.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/dms.h"
#include "services/dms_internal.h"

#define FAULT_ACCOUNT "_"
#define FAULT_SCOPE "_"

/* ------------------------------------------------------------------------------------------------
 * Engine kinds: a replication task and a serverless replication config share the engine; they differ
 * only in where status and type live.
 * ---------------------------------------------------------------------------------------------- */
typedef struct eng {
    const dms_kind_t *k;
    const char *status, *stop_reason, *failure, *type, *settings, *start_date;
} eng_t;

static const eng_t ENG_TASK = {&DMS_TASK,
                               "Status",
                               "StopReason",
                               "LastFailureMessage",
                               "MigrationType",
                               "ReplicationTaskSettings",
                               "ReplicationTaskStartDate"};
static const eng_t ENG_CFG = {
    &DMS_CFG, "_status", "_stopReason", "_failure", "ReplicationType", "ReplicationSettings", "_startDate"};

static const eng_t *eng_of_arn(const char *arn) {
    const dms_kind_t *k = dms_kind_of_arn(arn);
    return k == &DMS_CFG ? &ENG_CFG : &ENG_TASK;
}

static const char *status_of(const eng_t *g, const cJSON *doc) {
    const char *s = jstr(doc, g->status);
    return s ? s : "";
}

static int has_cdc(const eng_t *g, const cJSON *doc) {
    return strstr(jstr(doc, g->type), "cdc") != NULL;
}
static int has_full_load(const eng_t *g, const cJSON *doc) {
    return strncmp(jstr(doc, g->type), "full-load", 9) == 0;
}

static void label_of(const eng_t *g, const cJSON *doc, char *buf, size_t n) {
    snprintf(buf, n, "%s", jstr(doc, g->k->id_field) ? jstr(doc, g->k->id_field) : "");
}

/* ------------------------------------------------------------------------------------------------
 * Table mappings and task settings (AWS validates both documents when a task is created/modified)
 * ---------------------------------------------------------------------------------------------- */
static int rule_err(sim_error_t *e, const char *rid, const char *why) {
    return sim_err(e, 400, "InvalidParameterValueException",
                   "Invalid Table Mappings document. Error in mapping rules. Rule with ruleId = %s failed "
                   "validation. %s",
                   rid, why);
}

static const char *rule_id_text(const cJSON *rule, char *buf, size_t n) {
    const cJSON *id = cJSON_GetObjectItem(rule, "rule-id");
    if (cJSON_IsString(id))
        snprintf(buf, n, "%s", id->valuestring);
    else if (cJSON_IsNumber(id))
        snprintf(buf, n, "%d", id->valueint);
    else
        buf[0] = 0;
    return buf;
}

static int in_set(const char *v, const char *const *set) {
    for (int i = 0; v && set[i]; i++)
        if (strcmp(set[i], v) == 0) return 1;
    return 0;
}

int dms_validate_table_mappings(const char *text, sim_error_t *e) {
    cJSON *doc = cJSON_Parse(text ? text : "");
    if (!doc || !cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid table mappings JSON: the document is not a valid JSON object");
    }
    const cJSON *rules = cJSON_GetObjectItem(doc, "rules");
    if (!cJSON_IsArray(rules)) {
        cJSON_Delete(doc);
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid Table Mappings document. 'rules' array is missing");
    }
    static const char *const types[] = {"selection", "transformation", "table-settings", "post-processing",
                                        NULL};
    static const char *const sel_actions[] = {"include", "exclude", "explicit", NULL};
    static const char *const tr_targets[] = {
        "schema",           "table",       "column",     "table-tablespace",
        "index-tablespace", "primary-key", "constraint", NULL};
    static const char *const tr_actions[] = {"rename",
                                             "remove-column",
                                             "convert-lowercase",
                                             "convert-uppercase",
                                             "add-prefix",
                                             "remove-prefix",
                                             "replace-prefix",
                                             "add-suffix",
                                             "remove-suffix",
                                             "replace-suffix",
                                             "define-primary-key",
                                             "change-data-type",
                                             "add-column",
                                             "include-column",
                                             "add-before-image-columns",
                                             "exclude",
                                             NULL};
    int selections = 0, rc = 0;
    cJSON *ids = cJSON_CreateArray(), *names = cJSON_CreateArray();
    const cJSON *rule;
    char rid[64];
    cJSON_ArrayForEach(rule, rules) {
        rule_id_text(rule, rid, sizeof rid);
        const char *type = jstr(rule, "rule-type");
        const char *name = NULL;
        const cJSON *nm = cJSON_GetObjectItem(rule, "rule-name");
        char nbuf[64];
        if (cJSON_IsString(nm))
            name = nm->valuestring;
        else if (cJSON_IsNumber(nm)) {
            snprintf(nbuf, sizeof nbuf, "%d", nm->valueint);
            name = nbuf;
        }
        const cJSON *loc = cJSON_GetObjectItem(rule, "object-locator");
        const char *action = jstr(rule, "rule-action");
        if (!rid[0]) {
            rc = rule_err(e, "null", "rule-id is required");
            break;
        }
        if (!name) {
            rc = rule_err(e, rid, "rule-name is required");
            break;
        }
        if (!in_set(type, types)) {
            rc = rule_err(e, rid, "Invalid rule-type");
            break;
        }
        const cJSON *x;
        int dup = 0;
        cJSON_ArrayForEach(x, ids) if (strcmp(x->valuestring, rid) == 0) dup = 1;
        if (dup) {
            rc = rule_err(e, rid, "Duplicate rule-id");
            break;
        }
        cJSON_ArrayForEach(x, names) if (strcmp(x->valuestring, name) == 0) dup = 1;
        if (dup) {
            rc = rule_err(e, rid, "Duplicate rule-name");
            break;
        }
        cJSON_AddItemToArray(ids, cJSON_CreateString(rid));
        cJSON_AddItemToArray(names, cJSON_CreateString(name));
        if (!cJSON_IsObject(loc) || !jstr(loc, "schema-name")) {
            rc = rule_err(e, rid, "object-locator with schema-name is required");
            break;
        }
        if (strcmp(type, "selection") == 0) {
            if (!jstr(loc, "table-name")) {
                rc = rule_err(e, rid, "object-locator table-name is required for selection rules");
                break;
            }
            if (!in_set(action, sel_actions)) {
                rc = rule_err(e, rid, "Rule action is not supported for rule type selection");
                break;
            }
            if (strcmp(action, "explicit") == 0 &&
                (strchr(jstr(loc, "schema-name"), '%') || strchr(jstr(loc, "table-name"), '%'))) {
                rc = rule_err(e, rid, "Wildcards are not allowed with rule-action explicit");
                break;
            }
            if (strcmp(action, "exclude") != 0) selections++;
        } else if (strcmp(type, "transformation") == 0) {
            if (!in_set(jstr(rule, "rule-target"), tr_targets)) {
                rc = rule_err(e, rid, "Invalid rule-target for transformation rule");
                break;
            }
            if (!in_set(action, tr_actions)) {
                rc = rule_err(e, rid, "Rule action is not supported for rule type transformation");
                break;
            }
            if (strcmp(action, "rename") == 0 && !jstr(rule, "value")) {
                rc = rule_err(e, rid, "rename requires a value");
                break;
            }
        } else if (strcmp(type, "table-settings") == 0) {
            if (!jstr(loc, "table-name")) {
                rc = rule_err(e, rid, "object-locator table-name is required for table-settings rules");
                break;
            }
        }
    }
    if (rc == 0 && selections == 0)
        rc = sim_err(e, 400, "InvalidParameterValueException",
                     "Invalid Table Mappings document. Error in mapping rules. At least one selection rule "
                     "with rule-action include or explicit is required");
    cJSON_Delete(ids);
    cJSON_Delete(names);
    cJSON_Delete(doc);
    return rc;
}

static const char *DEFAULT_SETTINGS =
    "{\"TargetMetadata\":{\"TargetSchema\":\"\",\"SupportLobs\":true,\"FullLobMode\":false,\"LobChunkSize\":"
    "64,"
    "\"LimitedSizeLobMode\":true,\"LobMaxSize\":32,\"InlineLobMaxSize\":0,\"LoadMaxFileSize\":0,"
    "\"ParallelLoadThreads\":0,\"ParallelLoadBufferSize\":0,\"BatchApplyEnabled\":false,"
    "\"TaskRecoveryTableEnabled\":false,"
    "\"ParallelLoadQueuesPerThread\":0,\"ParallelApplyThreads\":0,\"ParallelApplyBufferSize\":0,"
    "\"ParallelApplyQueuesPerThread\":0},"
    "\"FullLoadSettings\":{\"TargetTablePrepMode\":\"DROP_AND_CREATE\",\"CreatePkAfterFullLoad\":false,"
    "\"StopTaskCachedChangesApplied\":false,\"StopTaskCachedChangesNotApplied\":false,"
    "\"MaxFullLoadSubTasks\":8,"
    "\"TransactionConsistencyTimeout\":600,\"CommitRate\":10000},"
    "\"Logging\":{\"EnableLogging\":false},"
    "\"ControlTablesSettings\":{\"ControlSchema\":\"\",\"HistoryTimeslotInMinutes\":5,"
    "\"HistoryTableEnabled\":false,"
    "\"SuspendedTablesTableEnabled\":false,\"StatusTableEnabled\":false},"
    "\"StreamBufferSettings\":{\"StreamBufferCount\":3,\"StreamBufferSizeInMB\":8,"
    "\"CtrlStreamBufferSizeInMB\":5},"
    "\"ChangeProcessingDdlHandlingPolicy\":{\"HandleSourceTableDropped\":true,\"HandleSourceTableTruncated\":"
    "true,"
    "\"HandleSourceTableAltered\":true},"
    "\"ErrorBehavior\":{\"DataErrorPolicy\":\"LOG_ERROR\",\"DataTruncationErrorPolicy\":\"LOG_ERROR\","
    "\"DataErrorEscalationPolicy\":\"SUSPEND_TABLE\",\"DataErrorEscalationCount\":0,\"TableErrorPolicy\":"
    "\"SUSPEND_TABLE\",\"TableErrorEscalationPolicy\":\"STOP_TASK\",\"TableErrorEscalationCount\":0,"
    "\"RecoverableErrorCount\":-1,\"RecoverableErrorInterval\":5,\"RecoverableErrorThrottling\":true,"
    "\"RecoverableErrorThrottlingMax\":1800,\"ApplyErrorDeletePolicy\":\"IGNORE_RECORD\","
    "\"ApplyErrorInsertPolicy\":"
    "\"LOG_ERROR\",\"ApplyErrorUpdatePolicy\":\"LOG_ERROR\",\"ApplyErrorEscalationPolicy\":\"LOG_ERROR\","
    "\"ApplyErrorEscalationCount\":0,\"FullLoadIgnoreConflicts\":true},"
    "\"ChangeProcessingTuning\":{\"BatchApplyPreserveTransaction\":true,\"BatchApplyTimeoutMin\":1,"
    "\"BatchApplyTimeoutMax\":30,\"BatchApplyMemoryLimit\":500,\"BatchSplitSize\":0,\"MinTransactionSize\":"
    "1000,"
    "\"CommitTimeout\":1,\"MemoryLimitTotal\":1024,\"MemoryKeepTime\":60,\"StatementCacheSize\":50},"
    "\"ValidationSettings\":{\"EnableValidation\":false,\"ValidationMode\":\"ROW_LEVEL\",\"ThreadCount\":5,"
    "\"FailureMaxCount\":10000,\"TableFailureMaxCount\":1000,\"HandleCollationDiff\":false,"
    "\"ValidationOnly\":false,\"RecordFailureDelayLimitInMinutes\":0,\"SkipLobColumns\":false,"
    "\"ValidationPartialLobSize\":0,\"ValidationQueryCdcDelaySeconds\":0}}";

int dms_validate_task_settings(const char *text, sim_error_t *e) {
    if (!text) return 0;
    cJSON *doc = cJSON_Parse(text);
    if (!doc || !cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid task settings JSON: the document is not a valid JSON object");
    }
    int rc = 0;
    const cJSON *fl = cJSON_GetObjectItem(doc, "FullLoadSettings");
    const cJSON *m = fl ? cJSON_GetObjectItem(fl, "MaxFullLoadSubTasks") : NULL;
    /* AWS rule: MaxFullLoadSubTasks is 1..49 */
    if (m && (!cJSON_IsNumber(m) || m->valueint < 1 || m->valueint > 49))
        rc = sim_err(e, 400, "InvalidParameterValueException",
                     "Invalid task settings: FullLoadSettings.MaxFullLoadSubTasks must be between 1 and 49");
    const cJSON *it;
    cJSON_ArrayForEach(it, doc) {
        if (rc) break;
        if (strcmp(it->string, "CharacterSetSettings") && strcmp(it->string, "BeforeImageSettings") &&
            strcmp(it->string, "LoopbackPreventionSettings") && strcmp(it->string, "PostProcessingRules") &&
            strcmp(it->string, "TTSettings") && strcmp(it->string, "FailTaskWhenCleanTaskResourceFailed") &&
            !cJSON_IsObject(it))
            rc = sim_err(e, 400, "InvalidParameterValueException",
                         "Invalid task settings: %s must be an object", it->string);
    }
    cJSON_Delete(doc);
    return rc;
}

/* AWS merges the given settings over its defaults and returns the full document. Called after
 * dms_validate_task_settings: every default section is an object and a given value for it is one too. */
static char *merged_settings(const char *given) {
    cJSON *base = cJSON_Parse(DEFAULT_SETTINGS);
    cJSON *over = given ? cJSON_Parse(given) : NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, over) {
        cJSON *b = cJSON_GetObjectItem(base, it->string);
        if (b) {
            const cJSON *m;
            cJSON_ArrayForEach(m, it) {
                if (cJSON_GetObjectItem(b, m->string))
                    cJSON_ReplaceItemInObject(b, m->string, cJSON_Duplicate(m, 1));
                else
                    cJSON_AddItemToObject(b, m->string, cJSON_Duplicate(m, 1));
            }
        } else {
            cJSON_AddItemToObject(base, it->string, cJSON_Duplicate(it, 1));
        }
    }
    char *s = cJSON_PrintUnformatted(base);
    cJSON_Delete(base);
    cJSON_Delete(over);
    return s;
}

static int max_subtasks(const eng_t *g, const cJSON *doc) {
    cJSON *s = cJSON_Parse(jstr(doc, g->settings) ? jstr(doc, g->settings) : "{}");
    int n = jint(cJSON_GetObjectItem(s, "FullLoadSettings"), "MaxFullLoadSubTasks", 8);
    cJSON_Delete(s);
    return n < 1 ? 1 : n;
}

/* ------------------------------------------------------------------------------------------------
 * Tables from selection rules (defaults; /_awssim/dms/tables replaces them)
 * ---------------------------------------------------------------------------------------------- */
static int like(const char *pat, const char *s) {
    if (!*pat) return !*s;
    if (*pat == '%') return like(pat + 1, s) || (*s && like(pat, s + 1));
    return *s && tolower((unsigned char)*pat) == tolower((unsigned char)*s) && like(pat + 1, s + 1);
}

static cJSON *new_table(const char *schema, const char *table) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "schema", schema);
    cJSON_AddStringToObject(t, "table", table);
    cJSON_AddNumberToObject(t, "rows", DMS_DEFAULT_ROWS);
    cJSON_AddNumberToObject(t, "rowsPerSecond", DMS_DEFAULT_RPS);
    return t;
}

static void expand_name(const char *pat, const char *dflt, int i, char *out, size_t n) {
    if (!strchr(pat, '%')) {
        snprintf(out, n, "%s", pat);
        return;
    }
    char base[200];
    size_t j = 0;
    for (const char *p = pat; *p && j + 1 < sizeof base; p++)
        if (*p != '%') base[j++] = *p;
    base[j] = 0;
    if (!j)
        snprintf(out, n, "%s_%d", dflt, i);
    else
        snprintf(out, n, "%s_%d", base, i);
}

/* Wildcard table names stand for three tables (<prefix>_1.._3); wildcard schemas for one ("public"). */
static cJSON *tables_from_mappings(const char *mappings) {
    cJSON *doc = cJSON_Parse(mappings ? mappings : "{}");
    cJSON *tables = cJSON_CreateArray();
    const cJSON *rule;
    cJSON_ArrayForEach(rule, cJSON_GetObjectItem(doc, "rules")) {
        if (!jstr(rule, "rule-type") || strcmp(jstr(rule, "rule-type"), "selection") != 0) continue;
        const char *act = jstr(rule, "rule-action");
        if (!act || strcmp(act, "exclude") == 0) continue;
        const cJSON *loc = cJSON_GetObjectItem(rule, "object-locator");
        const char *sp = jstr(loc, "schema-name"), *tp = jstr(loc, "table-name");
        if (!sp || !tp) continue;
        char schema[256];
        if (strchr(sp, '%')) {
            expand_name(sp, "public", 1, schema, sizeof schema);
            if (strcmp(sp, "%") == 0) snprintf(schema, sizeof schema, "public");
        } else
            snprintf(schema, sizeof schema, "%s", sp);
        int count = strchr(tp, '%') ? 3 : 1;
        for (int i = 1; i <= count; i++) {
            char table[256];
            expand_name(tp, "table", i, table, sizeof table);
            int dup = 0;
            const cJSON *t;
            cJSON_ArrayForEach(t, tables) if (strcmp(jstr(t, "schema"), schema) == 0 &&
                                              strcmp(jstr(t, "table"), table) == 0) dup = 1;
            if (!dup) cJSON_AddItemToArray(tables, new_table(schema, table));
        }
    }
    cJSON_ArrayForEach(rule, cJSON_GetObjectItem(doc, "rules")) {
        if (!jstr(rule, "rule-action") || strcmp(jstr(rule, "rule-action"), "exclude") != 0) continue;
        const cJSON *loc = cJSON_GetObjectItem(rule, "object-locator");
        const char *sp = jstr(loc, "schema-name"), *tp = jstr(loc, "table-name");
        if (!sp || !tp) continue;
        for (int i = cJSON_GetArraySize(tables) - 1; i >= 0; i--) {
            cJSON *t = cJSON_GetArrayItem(tables, i);
            if (like(sp, jstr(t, "schema")) && like(tp, jstr(t, "table")))
                cJSON_DeleteItemFromArray(tables, i);
        }
    }
    cJSON_Delete(doc);
    return tables;
}

/* ------------------------------------------------------------------------------------------------
 * Progress engine
 * ---------------------------------------------------------------------------------------------- */
static cJSON *run_of(cJSON *doc) {
    cJSON *run = cJSON_GetObjectItem(doc, "_run");
    if (!run) {
        run = cJSON_AddObjectToObject(doc, "_run");
        cJSON_AddArrayToObject(run, "segs");
        cJSON_AddNumberToObject(run, "fresh", -1);
        cJSON_AddNumberToObject(run, "flFinish", -1);
        cJSON_AddNumberToObject(run, "stop", -1);
        cJSON_AddNumberToObject(run, "lastStart", -1);
    }
    return run;
}

static int64_t rnum(const cJSON *run, const char *k) {
    return (int64_t)jnum(run, k, -1);
}

/* Running time accumulated by time t since the fresh start. */
static int64_t work_at(const cJSON *run, int64_t t) {
    int64_t w = 0;
    const cJSON *sg;
    cJSON_ArrayForEach(sg, cJSON_GetObjectItem(run, "segs")) {
        int64_t s = (int64_t)cJSON_GetArrayItem(sg, 0)->valuedouble,
                e = (int64_t)cJSON_GetArrayItem(sg, 1)->valuedouble;
        if (e < 0 || e > t) e = t;
        if (e > s) w += e - s;
    }
    return w;
}

static int running_at(const cJSON *run, int64_t t) {
    const cJSON *sg;
    cJSON_ArrayForEach(sg, cJSON_GetObjectItem(run, "segs")) {
        int64_t s = (int64_t)cJSON_GetArrayItem(sg, 0)->valuedouble,
                e = (int64_t)cJSON_GetArrayItem(sg, 1)->valuedouble;
        if (t >= s && (e < 0 || t < e)) return 1;
    }
    return 0;
}

static int seg_open(const cJSON *run) {
    const cJSON *segs = cJSON_GetObjectItem(run, "segs");
    int n = cJSON_GetArraySize(segs);
    return n > 0 && cJSON_GetArrayItem(cJSON_GetArrayItem(segs, n - 1), 1)->valuedouble < 0;
}

static void seg_begin(cJSON *run, int64_t now) {
    cJSON *sg = cJSON_CreateArray();
    cJSON_AddItemToArray(sg, cJSON_CreateNumber((double)now));
    cJSON_AddItemToArray(sg, cJSON_CreateNumber(-1));
    cJSON_AddItemToArray(cJSON_GetObjectItem(run, "segs"), sg);
    dms_set_num(run, "lastStart", (double)now);
}

static void seg_end(cJSON *run, int64_t now) {
    if (!seg_open(run)) return;
    cJSON *segs = cJSON_GetObjectItem(run, "segs");
    cJSON *last = cJSON_GetArrayItem(segs, cJSON_GetArraySize(segs) - 1);
    cJSON_ReplaceItemInArray(last, 1, cJSON_CreateNumber((double)now));
    dms_set_num(run, "stop", (double)now);
}

/* Bytes of task log written so far: about 256 bytes per second of running time when logging is on. */
int64_t dms_task_log_bytes(const cJSON *doc, int64_t now) {
    const cJSON *run = cJSON_GetObjectItem(doc, "_run");
    cJSON *settings =
        cJSON_Parse(jstr(doc, "ReplicationTaskSettings") ? jstr(doc, "ReplicationTaskSettings") : "{}");
    int on = jbool(cJSON_GetObjectItem(settings, "Logging"), "EnableLogging", 0);
    cJSON_Delete(settings);
    return on && run ? work_at(run, now) / 1000 * 256 : 0;
}

typedef struct tslot {
    const cJSON *t;
    int64_t begin, end, rows;
    double rps;
} tslot_t;

/* Greedy schedule: each table takes the slot that frees first. Returns the full-load duration. */
static int64_t schedule(const cJSON *tables, int slots, tslot_t **out, int *n) {
    *n = cJSON_GetArraySize(tables);
    *out = calloc((size_t)(*n > 0 ? *n : 1), sizeof(tslot_t));
    int64_t *free_at = calloc((size_t)slots, sizeof(int64_t));
    int64_t total = 0;
    int i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tables) {
        int best = 0;
        for (int s = 1; s < slots; s++)
            if (free_at[s] < free_at[best]) best = s;
        tslot_t *ts = &(*out)[i++];
        ts->t = t;
        ts->rows = (int64_t)jnum(t, "rows", DMS_DEFAULT_ROWS);
        ts->rps = jnum(t, "rowsPerSecond", DMS_DEFAULT_RPS);
        if (ts->rps <= 0) ts->rps = DMS_DEFAULT_RPS;
        ts->begin = free_at[best];
        ts->end = ts->begin + (int64_t)ceil((double)ts->rows * 1000.0 / ts->rps);
        free_at[best] = ts->end;
        if (ts->end > total) total = ts->end;
    }
    free(free_at);
    return total;
}

static int64_t fl_total(const eng_t *g, const cJSON *doc) {
    if (!has_full_load(g, doc)) return 0;
    tslot_t *ts;
    int n;
    int64_t total = schedule(cJSON_GetObjectItem(doc, "_tables"), max_subtasks(g, doc), &ts, &n);
    free(ts);
    return total;
}

static int64_t rows_at(const tslot_t *ts, int64_t w) {
    if (w <= ts->begin) return ts->end == ts->begin && w >= ts->begin ? ts->rows : 0;
    if (w >= ts->end) return ts->rows;
    int64_t r = (int64_t)floor((double)(w - ts->begin) * ts->rps / 1000.0);
    return r > ts->rows ? ts->rows : r;
}

typedef struct progress {
    int64_t work, fl_work, fl_total, cdc_ms;
    int loaded, loading, queued, errored, percent;
} progress_t;

static int is_errored(const cJSON *run, const cJSON *t) {
    const cJSON *x;
    char key[600];
    snprintf(key, sizeof key, "%s.%s", jstr(t, "schema"), jstr(t, "table"));
    cJSON_ArrayForEach(x,
                       cJSON_GetObjectItem(run, "errTables")) if (strcmp(x->valuestring, key) == 0) return 1;
    cJSON_ArrayForEach(x,
                       cJSON_GetObjectItem(run, "badTables")) if (strcmp(x->valuestring, key) == 0) return 1;
    return 0;
}

static void progress_at(const eng_t *g, const cJSON *doc, int64_t t, progress_t *p, tslot_t **slots_out,
                        int *n_out) {
    memset(p, 0, sizeof *p);
    const cJSON *run = cJSON_GetObjectItem(doc, "_run");
    p->work = run ? work_at(run, t) : 0;
    tslot_t *ts;
    int n;
    int64_t total = schedule(cJSON_GetObjectItem(doc, "_tables"), max_subtasks(g, doc), &ts, &n);
    int fl = has_full_load(g, doc);
    p->fl_total = fl ? total : 0;
    p->fl_work = p->work < p->fl_total ? p->work : p->fl_total;
    p->cdc_ms = has_cdc(g, doc) && p->work > p->fl_total ? p->work - p->fl_total : 0;
    int64_t rows = 0, done = 0;
    for (int i = 0; i < n; i++) {
        int64_t w = fl ? p->fl_work : total;
        rows += ts[i].rows;
        done += fl ? rows_at(&ts[i], w) : 0;
        if (run && is_errored(run, ts[i].t))
            p->errored++;
        else if (!fl || w >= ts[i].end)
            p->loaded++;
        else if (w >= ts[i].begin)
            p->loading++;
        else
            p->queued++;
    }
    if (!fl)
        p->percent = 0;
    else if (rows > 0)
        p->percent = (int)(done * 100 / rows);
    else
        p->percent = p->work >= p->fl_total ? 100 : 0;
    if (fl && p->fl_work >= p->fl_total && rows > 0) p->percent = 100;
    if (slots_out) {
        *slots_out = ts;
        *n_out = n;
    } else
        free(ts);
}

static void add_stats(const eng_t *g, const cJSON *doc, cJSON *o, const char *key, int64_t now) {
    const cJSON *run = cJSON_GetObjectItem(doc, "_run");
    cJSON *st = cJSON_AddObjectToObject(o, key);
    if (!run) {
        /* a task that never ran reports zeroed statistics */
        const char *zero[] = {"FullLoadProgressPercent", "ElapsedTimeMillis", "TablesLoaded",
                              "TablesLoading",           "TablesQueued",      "TablesErrored"};
        for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
            cJSON_AddNumberToObject(st, zero[i], 0);
        return;
    }
    progress_t p;
    progress_at(g, doc, now, &p, NULL, NULL);
    cJSON_AddNumberToObject(st, "FullLoadProgressPercent", p.percent);
    cJSON_AddNumberToObject(st, "ElapsedTimeMillis", (double)p.work);
    cJSON_AddNumberToObject(st, "TablesLoaded", p.loaded);
    cJSON_AddNumberToObject(st, "TablesLoading", p.loading);
    cJSON_AddNumberToObject(st, "TablesQueued", p.queued);
    cJSON_AddNumberToObject(st, "TablesErrored", p.errored);
    int64_t fresh = rnum(run, "fresh");
    /* AWS: FreshStartDate is the last fresh start or resume, StartDate the last fresh start or target reload
     */
    dms_set_ts(st, "FreshStartDate", rnum(run, "lastStart"));
    dms_set_ts(st, "StartDate", fresh);
    if (!seg_open(run)) dms_set_ts(st, "StopDate", rnum(run, "stop"));
    if (has_full_load(g, doc) && fresh >= 0) {
        const cJSON *sg = cJSON_GetArrayItem(cJSON_GetObjectItem(run, "segs"), 0);
        if (sg) dms_set_ts(st, "FullLoadStartDate", (int64_t)cJSON_GetArrayItem(sg, 0)->valuedouble);
        dms_set_ts(st, "FullLoadFinishDate", rnum(run, "flFinish"));
    }
}

/* ------------------------------------------------------------------------------------------------
 * Faults
 * ---------------------------------------------------------------------------------------------- */
static cJSON *faults_all(sim_t *s) {
    cJSON *rows = rs_list_all(s, "dms", "fault"), *res = cJSON_CreateArray(), *x;
    cJSON_ArrayForEach(x, rows) cJSON_AddItemToArray(res, cJSON_Duplicate(cJSON_GetObjectItem(x, "doc"), 1));
    cJSON_Delete(rows);
    return res;
}

static int ref_matches(const char *want, const cJSON *doc, const dms_kind_t *k) {
    if (!want) return 0;
    const char *arn = jstr(doc, "_arn"), *id = jstr(doc, k->id_field);
    if (arn && strcmp(want, arn) == 0) return 1;
    if (id && strcasecmp(want, id) == 0) return 1;
    const char *suffix = arn ? strrchr(arn, ':') : NULL;
    return suffix && strcmp(want, suffix + 1) == 0;
}

static int fault_targets(const cJSON *f, const cJSON *doc, const char *account, const dms_kind_t *k) {
    if (jstr(f, "account") && account && strcmp(jstr(f, "account"), account) != 0) return 0;
    const char *t = jstr(f, "task") ? jstr(f, "task") : jstr(f, "replication");
    return ref_matches(t, doc, k);
}

static int fault_active(const cJSON *f, int64_t t) {
    const char *from = jstr(f, "from"), *until = jstr(f, "until");
    int64_t a = from ? parse_iso8601(from) : -1, b = until ? parse_iso8601(until) : -1;
    const cJSON *fn = cJSON_GetObjectItem(f, "from"), *un = cJSON_GetObjectItem(f, "until");
    if (cJSON_IsNumber(fn)) a = (int64_t)(fn->valuedouble * 1000);
    if (cJSON_IsNumber(un)) b = (int64_t)(un->valuedouble * 1000);
    if (a >= 0 && t < a) return 0;
    if (b >= 0 && t >= b) return 0;
    return 1;
}

static int64_t fault_from(const cJSON *f) {
    const cJSON *fn = cJSON_GetObjectItem(f, "from");
    if (cJSON_IsNumber(fn)) return (int64_t)(fn->valuedouble * 1000);
    return jstr(f, "from") ? parse_iso8601(jstr(f, "from")) : -1;
}

int dms_endpoint_fault_message(sim_t *s, const cJSON *ep, char *msg, size_t n) {
    cJSON *all = faults_all(s), *f;
    int hit = 0;
    cJSON_ArrayForEach(f, all) {
        if (!jstr(f, "kind") || strcmp(jstr(f, "kind"), "connection-fails") != 0) continue;
        if (!ref_matches(jstr(f, "endpoint"), ep, &DMS_EP) || !fault_active(f, clock_now_ms(s))) continue;
        snprintf(msg, n, "%s",
                 jstr(f, "message")
                     ? jstr(f, "message")
                     : "Test connection failed for endpoint. Error Details: [message=Cannot connect "
                       "to ODBC provider Network error has occurred, errType=ERROR_RESPONSE, "
                       "status=1020912, errMessage=Failed to connect to database.]");
        hit = 1;
        break;
    }
    cJSON_Delete(all);
    return hit;
}

/* CDC latency (seconds) of a task at time t: 1 s source / 2 s target unless a fault says otherwise. */
static void cdc_latency(const cJSON *all, const cJSON *doc, const char *account, int64_t t, double *src,
                        double *tgt) {
    *src = 1;
    *tgt = 2;
    const cJSON *f;
    cJSON_ArrayForEach(f, all) {
        const char *kind = jstr(f, "kind");
        if (!kind || !fault_targets(f, doc, account, &DMS_TASK) || !fault_active(f, t)) continue;
        if (strcmp(kind, "lag") == 0) {
            double v = jnum(f, "seconds", 0);
            const char *on = jstr(f, "on");
            if (on && strcmp(on, "source") == 0) {
                if (v > *src) *src = v;
                if (v + 2 > *tgt) *tgt = v + 2;
            } else if (v > *tgt)
                *tgt = v;
        } else if (strcmp(kind, "cdc-stalled") == 0) {
            int64_t from = fault_from(f);
            double grown = 2 + (from >= 0 && t > from ? (double)(t - from) / 1000.0 : 0);
            if (grown > *tgt) *tgt = grown;
        }
    }
}

/* ------------------------------------------------------------------------------------------------
 * Transitions
 * ---------------------------------------------------------------------------------------------- */
static void event_for(req_t *r, const eng_t *g, const cJSON *doc, const char *cat, const char *msg) {
    if (g != &ENG_TASK) return;
    dms_event(r, "replication-task", jstr(doc, "ReplicationTaskIdentifier"), cat, "%s", msg);
}

static void fail_now(req_t *r, const eng_t *g, cJSON *doc, const char *message) {
    int64_t now = clock_now_ms(r->sim);
    cJSON *run = run_of(doc);
    progress_t p;
    tslot_t *ts;
    int n;
    progress_at(g, doc, now, &p, &ts, &n);
    cJSON *err = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        if (p.fl_work >= ts[i].begin && p.fl_work < ts[i].end && has_full_load(g, doc)) {
            char key[600];
            snprintf(key, sizeof key, "%s.%s", jstr(ts[i].t, "schema"), jstr(ts[i].t, "table"));
            cJSON_AddItemToArray(err, cJSON_CreateString(key));
        }
    }
    free(ts);
    cJSON_DeleteItemFromObject(run, "errTables");
    cJSON_AddItemToObject(run, "errTables", err);
    seg_end(run, now);
    dms_set_str(doc, g->status, "failed");
    dms_set_str(doc, g->failure, message);
    dms_set_str(doc, g->stop_reason, "Stop Reason FATAL_ERROR");
    timer_cancel(r->sim, "dms", "t-fl-done", jstr(doc, "_arn"));
    timer_cancel(r->sim, "dms", "t-run", jstr(doc, "_arn"));
    timer_cancel(r->sim, "dms", "t-cdc-stop", jstr(doc, "_arn"));
    event_for(r, g, doc, "failure", "Replication task has failed.");
}

static void schedule_fl_done(req_t *r, const eng_t *g, cJSON *doc) {
    const char *arn = jstr(doc, "_arn");
    timer_cancel(r->sim, "dms", "t-fl-done", arn);
    cJSON *run = run_of(doc);
    if (!seg_open(run) || rnum(run, "flFinish") >= 0) return;
    int64_t now = clock_now_ms(r->sim);
    int64_t left = fl_total(g, doc) - work_at(run, now);
    if (!has_full_load(g, doc)) return;
    dms_timer(r, left > 0 ? left : 0, "t-fl-done", arn, NULL);
}

/* Pending task-fails faults that apply to this task now (at <= now). */
static cJSON *due_failure(req_t *r, const cJSON *doc, int64_t now) {
    cJSON *all = rs_list_all(r->sim, "dms", "fault"), *row, *hit = NULL;
    cJSON_ArrayForEach(row, all) {
        cJSON *f = cJSON_GetObjectItem(row, "doc");
        if (!jstr(f, "kind") || strcmp(jstr(f, "kind"), "task-fails") != 0) continue;
        const dms_kind_t *k = dms_kind_of_arn(jstr(doc, "_arn"));
        if (!fault_targets(f, doc, r->account, k)) continue;
        if (jint(f, "fired", 0) > 0 && !jbool(f, "repeat", 0)) continue;
        if ((int64_t)jnum(f, "_atMs", 0) > now) continue;
        hit = cJSON_Duplicate(f, 1);
        break;
    }
    cJSON_Delete(all);
    return hit;
}

static void fault_fired(sim_t *s, cJSON *f) {
    dms_set_num(f, "fired", jint(f, "fired", 0) + 1);
    rs_put_at(s, "dms", FAULT_ACCOUNT, FAULT_SCOPE, "fault", jstr(f, "id"), f);
}

static const char *fault_message(const cJSON *f) {
    return jstr(f, "message")
               ? jstr(f, "message")
               : "Last Error Task error notification received from subtask 0, thread 0 "
                 "[reptask/replicationtask.c:2883] [1022301] Error executing source loop; Stream "
                 "component failed at subtask 0, component st_0_SOURCE; Stream component "
                 "'st_0_SOURCE' terminated [reptask/replicationtask.c:2891] [1022301] Stop Reason "
                 "FATAL_ERROR Error Level FATAL";
}

/* starting -> running: check the endpoints and pending failure faults, then load. */
static void full_load_done(req_t *r, const eng_t *g, cJSON *doc);

/* CdcStopPosition "server_time:<ISO>" or "commit_time:<ISO>" (no zone = UTC): when the task stops. */
static int64_t cdc_stop_ms(const cJSON *doc, int *commit) {
    const char *p = jstr(doc, "CdcStopPosition");
    if (!p) return -1;
    *commit = strncmp(p, "commit_time:", 12) == 0;
    if (!*commit && strncmp(p, "server_time:", 12) != 0) return -1;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", p + 12);
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] != 'Z' && !strchr(buf + (n > 6 ? n - 6 : 0), '+') && n + 1 < sizeof buf)
        strcat(buf, "Z");
    return parse_iso8601(buf);
}

static void enter_running(req_t *r, const eng_t *g, cJSON *doc) {
    int64_t now = clock_now_ms(r->sim);
    cJSON *run = run_of(doc);
    dms_set_str(doc, g->status, "running");
    seg_begin(run, now);
    event_for(r, g, doc, "state change", "Replication task started.");
    const char *eps[2] = {jstr(doc, "SourceEndpointArn"), jstr(doc, "TargetEndpointArn")};
    for (int i = 0; i < 2; i++) {
        cJSON *ep = dms_get(r, &DMS_EP, eps[i]);
        char msg[600];
        if (ep && dms_endpoint_fault_message(r->sim, ep, msg, sizeof msg)) {
            cJSON_Delete(ep);
            fail_now(r, g, doc, msg);
            return;
        }
        cJSON_Delete(ep);
    }
    cJSON *f = due_failure(r, doc, now);
    if (f) {
        fail_now(r, g, doc, fault_message(f));
        fault_fired(r->sim, f);
        cJSON_Delete(f);
        return;
    }
    int commit = 0;
    int64_t stop_at = has_cdc(g, doc) ? cdc_stop_ms(doc, &commit) : -1;
    if (stop_at >= 0) {
        timer_cancel(r->sim, "dms", "t-cdc-stop", jstr(doc, "_arn"));
        dms_timer(r, stop_at > now ? stop_at - now : 0, "t-cdc-stop", jstr(doc, "_arn"),
                  commit ? "commit" : "server");
    }
    /* a finished full-load-only task resumed: nothing left to load, it stops again */
    if (has_full_load(g, doc) && !has_cdc(g, doc) && rnum(run, "flFinish") >= 0)
        full_load_done(r, g, doc);
    else if (has_full_load(g, doc))
        schedule_fl_done(r, g, doc);
}

static void full_load_done(req_t *r, const eng_t *g, cJSON *doc) {
    int64_t now = clock_now_ms(r->sim);
    cJSON *run = run_of(doc);
    dms_set_num(run, "flFinish", (double)now);
    /* FullLoadSettings.StopTaskCachedChanges(Not)Applied stop a full-load-and-cdc task after its full load */
    cJSON *settings = cJSON_Parse(jstr(doc, g->settings) ? jstr(doc, g->settings) : "{}");
    const cJSON *fls = cJSON_GetObjectItem(settings, "FullLoadSettings");
    const char *reason =
        !has_cdc(g, doc)                                   ? "Stop Reason FULL_LOAD_ONLY_FINISHED"
        : jbool(fls, "StopTaskCachedChangesApplied", 0)    ? "Stop Reason STOPPED_AFTER_CACHED_EVENTS"
        : jbool(fls, "StopTaskCachedChangesNotApplied", 0) ? "Stop Reason STOPPED_AFTER_FULL_LOAD"
                                                           : NULL;
    cJSON_Delete(settings);
    if (reason) {
        seg_end(run, now);
        dms_set_str(doc, g->status, "stopped");
        dms_set_str(doc, g->stop_reason, reason);
        event_for(r, g, doc, "state change", "Replication task stopped. Full load completed.");
    } else {
        event_for(r, g, doc, "state change",
                  "Full load completed; replication task is applying changes (CDC).");
    }
}

int dms_task_timer(req_t *r, const char *kind, const char *ref, const char *payload) {
    if (strncmp(kind, "t-", 2) != 0 && strcmp(kind, "fault") != 0) return 0;
    if (strcmp(kind, "fault") == 0) {
        cJSON *f = rs_get_at(r->sim, "dms", FAULT_ACCOUNT, FAULT_SCOPE, "fault", ref);
        if (!f) return 1;
        const char *types[2] = {DMS_TASK.type, DMS_CFG.type};
        int fired = 0;
        for (int k = 0; k < 2; k++) {
            const eng_t *g = k ? &ENG_CFG : &ENG_TASK;
            cJSON *rows = rs_list_all(r->sim, "dms", types[k]), *row;
            cJSON_ArrayForEach(row, rows) {
                cJSON *doc = cJSON_GetObjectItem(row, "doc");
                if (!fault_targets(f, doc, jstr(row, "account"), g->k)) continue;
                const char *st = status_of(g, doc);
                int table_fault = strcmp(jstr(f, "kind"), "table-fails") == 0;
                if (table_fault ? !cJSON_GetObjectItem(doc, "_run")
                                : (strcmp(st, "running") && strcmp(st, "starting")))
                    continue;
                req_t rq = *r;
                rq.account = jstr(row, "account");
                rq.region = rq.scope = jstr(row, "scope");
                cJSON *d = cJSON_Duplicate(doc, 1);
                if (table_fault) {
                    /* the table goes to "Table error"; the task keeps running (AWS TableErrorPolicy
                     * SUSPEND_TABLE) */
                    cJSON *run = run_of(d);
                    cJSON *bad = cJSON_GetObjectItem(run, "badTables");
                    if (!bad) bad = cJSON_AddArrayToObject(run, "badTables");
                    char key[600];
                    snprintf(key, sizeof key, "%s.%s", jstr(f, "schema"), jstr(f, "table"));
                    cJSON_AddItemToArray(bad, cJSON_CreateString(key));
                } else
                    fail_now(&rq, g, d, fault_message(f));
                dms_put(&rq, g->k, d);
                cJSON_Delete(d);
                fired = 1;
            }
            cJSON_Delete(rows);
        }
        if (fired) fault_fired(r->sim, f);
        cJSON_Delete(f);
        return 1;
    }
    const eng_t *g = eng_of_arn(ref);
    cJSON *doc = dms_get(r, g->k, ref);
    if (!doc) return 1;
    const char *st = status_of(g, doc);
    if (strcmp(kind, "t-ready") == 0) {
        /* creating/modifying/moving/testing -> the state it had before */
        char prev[32];
        snprintf(prev, sizeof prev, "%s", jstr(doc, "_prev") ? jstr(doc, "_prev") : "ready");
        if (jstr(doc, "_moveTo")) {
            dms_set_str(doc, "ReplicationInstanceArn", jstr(doc, "_moveTo"));
            cJSON_DeleteItemFromObject(doc, "_moveTo");
            cJSON_DeleteItemFromObject(doc, "TargetReplicationInstanceArn");
        }
        if (jstr(doc, "_assessStatus")) dms_set_str(doc, "_assessStatus", "No issues found");
        dms_set_str(doc, g->status, prev);
        cJSON_DeleteItemFromObject(doc, "_prev");
        event_for(r, g, doc, strcmp(prev, "ready") == 0 ? "creation" : "configuration change",
                  strcmp(prev, "ready") == 0 ? "Replication task created." : "Replication task modified.");
    } else if (strcmp(kind, "t-run") == 0) {
        if (strcmp(st, "starting") == 0 || strcmp(st, "initializing") == 0) enter_running(r, g, doc);
    } else if (strcmp(kind, "t-fl-done") == 0) {
        if (strcmp(st, "running") == 0) full_load_done(r, g, doc);
    } else if (strcmp(kind, "t-cdc-stop") == 0) {
        /* AWS rule: CdcStopPosition stops the task at that server or commit time */
        if (strcmp(st, "running") == 0) {
            seg_end(run_of(doc), clock_now_ms(r->sim));
            timer_cancel(r->sim, "dms", "t-fl-done", ref);
            dms_set_str(doc, g->status, "stopped");
            dms_set_str(doc, g->stop_reason,
                        payload && strcmp(payload, "commit") == 0 ? "Stop Reason STOPPED_AT_COMMIT_TIME"
                                                                  : "Stop Reason STOPPED_AT_SERVER_TIME");
            event_for(r, g, doc, "state change", "Replication task stopped at its CDC stop position.");
        }
    } else if (strcmp(kind, "t-stopped") == 0) {
        if (strcmp(st, "stopping") == 0) {
            dms_set_str(doc, g->status, "stopped");
            dms_set_str(doc, g->stop_reason, "Stop Reason NORMAL");
            event_for(r, g, doc, "state change", "Replication task stopped.");
        }
    } else if (strcmp(kind, "t-deleted") == 0) {
        event_for(r, g, doc, "deletion", "Replication task deleted.");
        dms_del(r, g->k, doc);
        cJSON_Delete(doc);
        return 1;
    }
    dms_put(r, g->k, doc);
    cJSON_Delete(doc);
    return 1;
}

/* ------------------------------------------------------------------------------------------------
 * Shared start / stop / reload
 * ---------------------------------------------------------------------------------------------- */
/* a model timestamp: epoch seconds once the dispatcher has validated the input */
static int64_t in_time_ms(const cJSON *v) {
    return (int64_t)(v->valuedouble * 1000);
}

static int start_engine(req_t *r, const eng_t *g, cJSON *doc, const char *type, const cJSON *in,
                        int64_t delay, const char *starting_status, sim_error_t *e) {
    char label[300];
    label_of(g, doc, label, sizeof label);
    const char *st = status_of(g, doc);
    cJSON *run = run_of(doc);
    int ever = rnum(run, "fresh") >= 0;
    /* AWS rule: a task starts only from ready, stopped or failed */
    if (strcmp(st, "ready") && strcmp(st, "stopped") && strcmp(st, "failed") && strcmp(st, "created")) {
        if (g == &ENG_TASK)
            return sim_err(e, 400, "InvalidResourceStateFault",
                           "Replication Task cannot be started, invalid state");
        char upper[32];
        snprintf(upper, sizeof upper, "%s", st);
        for (char *u = upper; *u; u++)
            *u = (char)toupper((unsigned char)*u);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Replication for Replication Config: %s is in %s state and cannot start",
                       strrchr(jstr(doc, "_arn"), ':') + 1, upper);
    }
    if (cJSON_GetObjectItem(in, "CdcStartTime") && jstr(in, "CdcStartPosition"))
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "CdcStartTime and CdcStartPosition cannot be specified together");
    /* AWS rule: start-replication is only for a task that never ran */
    if (strcmp(type, "start-replication") == 0 && ever)
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Start Type : START_REPLICATION, valid only for tasks running for the first time");
    int64_t now = clock_now_ms(r->sim);
    if (strcmp(type, "reload-target") == 0 || !ever) {
        cJSON_ReplaceItemInObject(run, "segs", cJSON_CreateArray());
        dms_set_num(run, "fresh", (double)now);
        dms_set_num(run, "flFinish", -1);
        cJSON_DeleteItemFromObject(run, "reloads");
        cJSON_DeleteItemFromObject(run, "badTables");
    }
    cJSON_DeleteItemFromObject(run, "errTables");
    dms_set_str(doc, g->status, starting_status);
    cJSON_DeleteItemFromObject(doc, g->stop_reason);
    if (g == &ENG_TASK)
        dms_set_str(doc, g->failure, NULL);
    else
        cJSON_DeleteItemFromObject(doc, g->failure);
    dms_set_ts(doc, g->start_date, now);
    const cJSON *cst = cJSON_GetObjectItem(in, "CdcStartTime");
    if (cst) dms_set_str(doc, "_cdcStartTime", NULL), dms_set_ts(doc, "_cdcStartTime", in_time_ms(cst));
    if (jstr(in, "CdcStartPosition")) dms_set_str(doc, "CdcStartPosition", jstr(in, "CdcStartPosition"));
    if (jstr(in, "CdcStopPosition")) dms_set_str(doc, "CdcStopPosition", jstr(in, "CdcStopPosition"));
    dms_set_str(doc, "_startType", type);
    dms_timer(r, delay, "t-run", jstr(doc, "_arn"), NULL);
    return 0;
}

static int stop_engine(req_t *r, const eng_t *g, cJSON *doc, sim_error_t *e) {
    char label[300];
    label_of(g, doc, label, sizeof label);
    const char *st = status_of(g, doc);
    const char *what = g == &ENG_TASK ? "Replication Task" : "Replication";
    if (strcmp(st, "stopping") == 0)
        return sim_err(e, 400, "InvalidResourceStateFault", "%s %s is already being stopped", what,
                       jstr(doc, "_arn"));
    if (strcmp(st, "running") && strcmp(st, "starting") && strcmp(st, "initializing"))
        return sim_err(e, 400, "InvalidResourceStateFault", "%s %s is not currently running", what,
                       jstr(doc, "_arn"));
    int64_t now = clock_now_ms(r->sim);
    seg_end(run_of(doc), now);
    dms_set_num(run_of(doc), "stop", (double)now);
    dms_set_str(doc, g->status, "stopping");
    timer_cancel(r->sim, "dms", "t-fl-done", jstr(doc, "_arn"));
    timer_cancel(r->sim, "dms", "t-run", jstr(doc, "_arn"));
    timer_cancel(r->sim, "dms", "t-cdc-stop", jstr(doc, "_arn"));
    dms_timer(r, DMS_TASK_STOP_MS, "t-stopped", jstr(doc, "_arn"), NULL);
    return 0;
}

static int reload_engine(req_t *r, const eng_t *g, cJSON *doc, const cJSON *in, sim_error_t *e) {
    char label[300];
    label_of(g, doc, label, sizeof label);
    /* AWS rule: tables can be reloaded only while the task is running */
    if (strcmp(status_of(g, doc), "running") != 0)
        return sim_err(
            e, 400, "InvalidResourceStateFault",
            "Replication task %s is in %s state. Tables can be reloaded only when the task is running.",
            label, status_of(g, doc));
    const char *opt = jstr(in, "ReloadOption") ? jstr(in, "ReloadOption") : "data-reload";
    cJSON *run = run_of(doc);
    cJSON *rel = cJSON_GetObjectItem(run, "reloads");
    if (!rel) rel = cJSON_AddObjectToObject(run, "reloads");
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(in, "TablesToReload")) {
        char key[600];
        snprintf(key, sizeof key, "%s.%s", jstr(t, "SchemaName"), jstr(t, "TableName"));
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "at", (double)clock_now_ms(r->sim));
        cJSON_AddStringToObject(x, "option", opt);
        cJSON_DeleteItemFromObject(rel, key);
        cJSON *bad = cJSON_GetObjectItem(run, "badTables");
        for (int b = cJSON_GetArraySize(bad) - 1; b >= 0; b--)
            if (strcmp(cJSON_GetArrayItem(bad, b)->valuestring, key) == 0) cJSON_DeleteItemFromArray(bad, b);
        cJSON_AddItemToObject(rel, key, x);
    }
    return 0;
}

/* Per-table statistics at now. */
static cJSON *table_stats(sim_t *s, const eng_t *g, const cJSON *doc, int64_t now) {
    cJSON *arr = cJSON_CreateArray();
    const cJSON *run = cJSON_GetObjectItem(doc, "_run");
    if (!run || rnum(run, "fresh") < 0) return arr;
    progress_t p;
    tslot_t *ts;
    int n;
    progress_at(g, doc, now, &p, &ts, &n);
    int fl = has_full_load(g, doc);
    const cJSON *segs = cJSON_GetObjectItem(run, "segs");
    int64_t first = cJSON_GetArraySize(segs)
                        ? (int64_t)cJSON_GetArrayItem(cJSON_GetArrayItem(segs, 0), 0)->valuedouble
                        : now;
    int64_t cdc_start_wall = rnum(run, "flFinish") >= 0 ? rnum(run, "flFinish") : first;
    /* changes captured but not yet applied: the target latency beyond its normal 2 s (lag faults) */
    double behind = 0;
    if (p.cdc_ms > 0 && seg_open(run) && g == &ENG_TASK) {
        cJSON *faults = faults_all(s);
        char acct[16] = "";
        const char *a = jstr(doc, "_arn");
        for (int c = 0; a && c < 4; c++) {
            a = strchr(a, ':');
            if (a) a++;
        }
        snprintf(acct, sizeof acct, "%.12s", a ? a : "");
        double src, tgt;
        cdc_latency(faults, doc, acct, now, &src, &tgt);
        cJSON_Delete(faults);
        behind = tgt > 2 ? tgt - 2 : 0;
    }
    for (int i = 0; i < n; i++) {
        const cJSON *t = ts[i].t;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "SchemaName", jstr(t, "schema"));
        cJSON_AddStringToObject(o, "TableName", jstr(t, "table"));
        double cdc_s = (double)p.cdc_ms / 1000.0;
        int64_t ins = (int64_t)floor(cdc_s * jnum(t, "cdcInsertsPerSecond", 1));
        int64_t upd = (int64_t)floor(cdc_s * jnum(t, "cdcUpdatesPerSecond", 1));
        int64_t del = (int64_t)floor(cdc_s * jnum(t, "cdcDeletesPerSecond", 0));
        cJSON_AddNumberToObject(o, "Inserts", (double)ins);
        cJSON_AddNumberToObject(o, "Deletes", (double)del);
        cJSON_AddNumberToObject(o, "Updates", (double)upd);
        cJSON_AddNumberToObject(o, "Ddls", 0);
        double applied_s = cdc_s > behind ? cdc_s - behind : 0;
        cJSON_AddNumberToObject(o, "AppliedInserts", floor(applied_s * jnum(t, "cdcInsertsPerSecond", 1)));
        cJSON_AddNumberToObject(o, "AppliedDeletes", floor(applied_s * jnum(t, "cdcDeletesPerSecond", 0)));
        cJSON_AddNumberToObject(o, "AppliedUpdates", floor(applied_s * jnum(t, "cdcUpdatesPerSecond", 1)));
        cJSON_AddNumberToObject(o, "AppliedDdls", 0);
        int64_t rows = fl ? rows_at(&ts[i], p.fl_work) : 0;
        const char *state;
        if (is_errored(run, t))
            state = "Table error";
        else if (!fl || p.fl_work >= ts[i].end)
            state = "Table completed";
        else if (p.fl_work >= ts[i].begin)
            state = "Full load";
        else
            state = "Before load";
        int reloaded = 0;
        char key[600];
        snprintf(key, sizeof key, "%s.%s", jstr(t, "schema"), jstr(t, "table"));
        const cJSON *rl = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "reloads"), key);
        if (rl && strcmp(jstr(rl, "option"), "data-reload") == 0) {
            int64_t since = now - (int64_t)jnum(rl, "at", (double)now);
            int64_t got = (int64_t)floor((double)since * ts[i].rps / 1000.0);
            rows = got < ts[i].rows ? got : ts[i].rows;
            state = rows < ts[i].rows ? "Full load" : "Table completed";
            reloaded = 1;
        }
        cJSON_AddNumberToObject(o, "FullLoadRows", (double)rows);
        cJSON_AddNumberToObject(o, "FullLoadCondtnlChkFailedRows", 0);
        cJSON_AddNumberToObject(o, "FullLoadErrorRows", 0);
        if (fl && !reloaded && p.fl_work >= ts[i].begin) {
            /* wall-clock time of work offset ts.begin/end: walk the segments */
            int64_t marks[2] = {ts[i].begin, ts[i].end}, wall[2] = {-1, -1};
            for (int m = 0; m < 2; m++) {
                int64_t acc = 0;
                const cJSON *sg;
                cJSON_ArrayForEach(sg, segs) {
                    int64_t a = (int64_t)cJSON_GetArrayItem(sg, 0)->valuedouble,
                            b = (int64_t)cJSON_GetArrayItem(sg, 1)->valuedouble;
                    if (b < 0) b = now;
                    if (marks[m] <= acc + (b - a)) {
                        wall[m] = a + (marks[m] - acc);
                        break;
                    }
                    acc += b - a;
                }
            }
            dms_set_ts(o, "FullLoadStartTime", wall[0]);
            if (p.fl_work >= ts[i].end) dms_set_ts(o, "FullLoadEndTime", wall[1]);
        }
        cJSON_AddBoolToObject(o, "FullLoadReloaded", reloaded);
        dms_set_ts(o, "LastUpdateTime", p.cdc_ms > 0 ? now : (cdc_start_wall > 0 ? cdc_start_wall : now));
        cJSON_AddStringToObject(o, "TableState", state);
        cJSON_AddNumberToObject(o, "ValidationPendingRecords", 0);
        cJSON_AddNumberToObject(o, "ValidationFailedRecords", 0);
        cJSON_AddNumberToObject(o, "ValidationSuspendedRecords", 0);
        cJSON_AddStringToObject(o, "ValidationState",
                                rl && strcmp(jstr(rl, "option"), "validate-only") == 0 ? "Pending records"
                                                                                       : "Not enabled");
        cJSON_AddItemToArray(arr, o);
    }
    free(ts);
    return arr;
}

static const dms_filter_t TABLE_FILTERS[] = {
    {"schema-name", "SchemaName"}, {"table-name", "TableName"}, {"table-state", "TableState"}, {NULL, NULL}};

/* ------------------------------------------------------------------------------------------------
 * Replication tasks
 * ---------------------------------------------------------------------------------------------- */
static cJSON *task_view(req_t *r, cJSON *doc, const cJSON *in) {
    cJSON *o = dms_out(doc);
    int64_t now = clock_now_ms(r->sim);
    add_stats(&ENG_TASK, doc, o, "ReplicationTaskStats", now);
    /* CDC tasks report the checkpoint they would resume from (usable as CdcStartPosition) */
    if (cJSON_GetObjectItem(doc, "_run") && has_cdc(&ENG_TASK, doc)) {
        progress_t p;
        progress_at(&ENG_TASK, doc, now, &p, NULL, NULL);
        if (p.cdc_ms > 0) {
            char cp[160];
            snprintf(cp, sizeof cp, "checkpoint:V1#%lld#%012lld/%s#0#0#*#0#0",
                     (long long)(p.cdc_ms / 60000 + 1), (long long)(p.cdc_ms / 1000),
                     strrchr(jstr(doc, "_arn"), ':') + 1);
            dms_set_str(o, "RecoveryCheckpoint", cp);
        }
    }
    if (jbool(in, "WithoutSettings", 0)) {
        cJSON_DeleteItemFromObject(o, "ReplicationTaskSettings");
        cJSON_DeleteItemFromObject(o, "TableMappings");
        cJSON_DeleteItemFromObject(o, "TaskData");
    }
    if (!jstr(o, "LastFailureMessage")) cJSON_DeleteItemFromObject(o, "LastFailureMessage");
    return o;
}

static cJSON *fetch_task(req_t *r, const char *arn, sim_error_t *e) {
    cJSON *t = dms_find(r, &DMS_TASK, arn);
    if (!t) dms_not_found(e, &DMS_TASK, arn);
    return t;
}

static void set_endpoints_index(cJSON *doc) {
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateString(jstr(doc, "SourceEndpointArn")));
    cJSON_AddItemToArray(a, cJSON_CreateString(jstr(doc, "TargetEndpointArn")));
    cJSON_DeleteItemFromObject(doc, "_endpoints");
    cJSON_AddItemToObject(doc, "_endpoints", a);
}

static int check_endpoints(req_t *r, const char *src, const char *tgt, sim_error_t *e) {
    const char *arns[2] = {src, tgt};
    for (int i = 0; i < 2; i++) {
        if (!arns[i]) continue;
        cJSON *ep = dms_get(r, &DMS_EP, arns[i]);
        if (!ep) return dms_not_found(e, &DMS_EP, arns[i]);
        int ok = strcasecmp(jstr(ep, "EndpointType"), i == 0 ? "source" : "target") == 0;
        cJSON_Delete(ep);
        /* AWS rule: SourceEndpointArn must name a source endpoint and TargetEndpointArn a target */
        if (!ok)
            return sim_err(e, 400, "InvalidParameterValueException", "Endpoint %s is not a %s endpoint",
                           arns[i], i == 0 ? "source" : "target");
    }
    return 0;
}

DMS_OP(CreateReplicationTask) {
    const char *rawid = jstr(in, "ReplicationTaskIdentifier");
    if (dms_check_identifier("ReplicationTaskIdentifier", rawid, 255, e)) return -1;
    if (dms_validate_table_mappings(jstr(in, "TableMappings"), e)) return -1;
    if (dms_validate_task_settings(jstr(in, "ReplicationTaskSettings"), e)) return -1;
    if (cJSON_GetObjectItem(in, "CdcStartTime") && jstr(in, "CdcStartPosition"))
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "CdcStartTime and CdcStartPosition cannot be specified together");
    if (strcmp(jstr(in, "MigrationType"), "full-load") == 0 &&
        (cJSON_GetObjectItem(in, "CdcStartTime") || jstr(in, "CdcStartPosition") ||
         jstr(in, "CdcStopPosition")))
        return sim_err(
            e, 400, "InvalidParameterCombinationException",
            "CDC start and stop positions are only valid for tasks with CDC (cdc or full-load-and-cdc)");
    cJSON *ri = dms_get(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"));
    if (!ri) return dms_not_found(e, &DMS_RI, jstr(in, "ReplicationInstanceArn"));
    const char *rst = jstr(ri, "ReplicationInstanceStatus");
    /* AWS rule: tasks are created on an available replication instance */
    if (strcmp(rst, "available") && strcmp(rst, "modifying") && strcmp(rst, "upgrading")) {
        sim_err(e, 400, "InvalidResourceStateFault",
                "Replication instance %s is not in available state. Current state: %s",
                jstr(ri, "ReplicationInstanceIdentifier"), rst);
        cJSON_Delete(ri);
        return -1;
    }
    cJSON_Delete(ri);
    if (check_endpoints(r, jstr(in, "SourceEndpointArn"), jstr(in, "TargetEndpointArn"), e)) return -1;
    char id[256];
    snprintf(id, sizeof id, "%s", rawid);
    dms_lower(id);
    cJSON *old = dms_find(r, &DMS_TASK, id);
    if (old) {
        cJSON_Delete(old);
        return sim_err(e, 400, "ResourceAlreadyExistsFault", "A task with this name already exists");
    }
    if (dms_resource_id_ok(r, &DMS_TASK, in, e)) return -1;
    if (rs_count(r, DMS_TASK.type) >= 600)
        return sim_err(e, 400, "ResourceQuotaExceededFault",
                       "The quota for replication tasks has been reached");
    char arn[256];
    dms_new_arn(r, DMS_TASK.type, in, arn, sizeof arn);
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "_arn", arn);
    cJSON_AddStringToObject(t, "ReplicationTaskIdentifier", id);
    cJSON_AddStringToObject(t, "SourceEndpointArn", jstr(in, "SourceEndpointArn"));
    cJSON_AddStringToObject(t, "TargetEndpointArn", jstr(in, "TargetEndpointArn"));
    cJSON_AddStringToObject(t, "ReplicationInstanceArn", jstr(in, "ReplicationInstanceArn"));
    cJSON_AddStringToObject(t, "MigrationType", jstr(in, "MigrationType"));
    cJSON_AddStringToObject(t, "TableMappings", jstr(in, "TableMappings"));
    char *settings = merged_settings(jstr(in, "ReplicationTaskSettings"));
    cJSON_AddStringToObject(t, "ReplicationTaskSettings", settings);
    free(settings);
    cJSON_AddStringToObject(t, "Status", "creating");
    dms_set_ts(t, "ReplicationTaskCreationDate", clock_now_ms(r->sim));
    cJSON_AddStringToObject(t, "ReplicationTaskArn", arn);
    if (jstr(in, "CdcStartPosition"))
        cJSON_AddStringToObject(t, "CdcStartPosition", jstr(in, "CdcStartPosition"));
    if (jstr(in, "CdcStopPosition"))
        cJSON_AddStringToObject(t, "CdcStopPosition", jstr(in, "CdcStopPosition"));
    if (jstr(in, "TaskData")) cJSON_AddStringToObject(t, "TaskData", jstr(in, "TaskData"));
    cJSON_AddItemToObject(t, "_tables", tables_from_mappings(jstr(in, "TableMappings")));
    set_endpoints_index(t);
    if (dms_tags_init(t, cJSON_GetObjectItem(in, "Tags"), e) != 0) {
        cJSON_Delete(t);
        return -1;
    }
    cJSON_AddItemToObject(out, "ReplicationTask", task_view(r, t, in));
    dms_put(r, &DMS_TASK, t);
    cJSON_Delete(t);
    dms_timer(r, DMS_TASK_CREATE_MS, "t-ready", arn, NULL);
    return 0;
}

static int task_idle(const char *st) {
    return !strcmp(st, "ready") || !strcmp(st, "stopped") || !strcmp(st, "failed");
}

DMS_OP(ModifyReplicationTask) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    int rc = 0;
    const char *st = jstr(t, "Status");
    const char *nid = jstr(in, "ReplicationTaskIdentifier");
    /* AWS rule: a task can be modified only when it is not running */
    if (!task_idle(st))
        rc = !strcmp(st, "running") || !strcmp(st, "starting")
                 ? sim_err(e, 400, "InvalidResourceStateFault",
                           "Replication Task, excluding logging severity task settings, cannot be modified "
                           "while it "
                           "is running state")
                 : sim_err(e, 400, "InvalidResourceStateFault",
                           "Replication Task cannot be modified while it is %s state", st);
    else if (nid && dms_check_identifier("ReplicationTaskIdentifier", nid, 255, e))
        rc = -1;
    else if (jstr(in, "TableMappings") && dms_validate_table_mappings(jstr(in, "TableMappings"), e))
        rc = -1;
    else if (jstr(in, "ReplicationTaskSettings") &&
             dms_validate_task_settings(jstr(in, "ReplicationTaskSettings"), e))
        rc = -1;
    else if (cJSON_GetObjectItem(in, "CdcStartTime") && jstr(in, "CdcStartPosition"))
        rc = sim_err(e, 400, "InvalidParameterCombinationException",
                     "CdcStartTime and CdcStartPosition cannot be specified together");
    else if (nid) {
        cJSON *other = dms_find(r, &DMS_TASK, nid);
        if (other && strcmp(jstr(other, "_arn"), jstr(t, "_arn")) != 0)
            rc = dms_exists_err(e, &DMS_TASK, nid);
        cJSON_Delete(other);
    }
    if (rc) {
        cJSON_Delete(t);
        return rc;
    }
    if (nid) {
        char low[256];
        snprintf(low, sizeof low, "%s", nid);
        dms_lower(low);
        dms_set_str(t, "ReplicationTaskIdentifier", low);
    }
    if (jstr(in, "MigrationType")) dms_set_str(t, "MigrationType", jstr(in, "MigrationType"));
    if (jstr(in, "TableMappings")) {
        dms_set_str(t, "TableMappings", jstr(in, "TableMappings"));
        if (!jbool(t, "_tablesSet", 0)) {
            cJSON_DeleteItemFromObject(t, "_tables");
            cJSON_AddItemToObject(t, "_tables", tables_from_mappings(jstr(in, "TableMappings")));
        }
    }
    if (jstr(in, "ReplicationTaskSettings")) {
        char *settings = merged_settings(jstr(in, "ReplicationTaskSettings"));
        dms_set_str(t, "ReplicationTaskSettings", settings);
        free(settings);
    }
    if (jstr(in, "CdcStartPosition")) dms_set_str(t, "CdcStartPosition", jstr(in, "CdcStartPosition"));
    if (jstr(in, "CdcStopPosition")) dms_set_str(t, "CdcStopPosition", jstr(in, "CdcStopPosition"));
    if (jstr(in, "TaskData")) dms_set_str(t, "TaskData", jstr(in, "TaskData"));
    dms_set_str(t, "_prev", st);
    dms_set_str(t, "Status", "modifying");
    dms_timer(r, DMS_TASK_CREATE_MS, "t-ready", jstr(t, "_arn"), NULL);
    cJSON_AddItemToObject(out, "ReplicationTask", task_view(r, t, in));
    dms_put(r, &DMS_TASK, t);
    cJSON_Delete(t);
    return 0;
}

DMS_OP(DeleteReplicationTask) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    const char *st = jstr(t, "Status");
    /* AWS rule: running (or transitioning) tasks cannot be deleted; stop them first */
    if (!task_idle(st)) {
        int rc =
            strcmp(st, "deleting") == 0
                ? sim_err(e, 400, "InvalidResourceStateFault", "Replication Task %s is already being deleted",
                          jstr(t, "_arn"))
            : !strcmp(st, "running") || !strcmp(st, "starting") || !strcmp(st, "stopping")
                ? sim_err(e, 400, "InvalidResourceStateFault",
                          "Replication Task %s is running. Make sure the task has stopped before trying to "
                          "delete it.",
                          jstr(t, "_arn"))
                : sim_err(e, 400, "InvalidResourceStateFault",
                          "Replication Task cannot be deleted, invalid state: %s", st);
        cJSON_Delete(t);
        return rc;
    }
    dms_set_str(t, "Status", "deleting");
    cJSON_AddItemToObject(out, "ReplicationTask", task_view(r, t, in));
    dms_put(r, &DMS_TASK, t);
    dms_timer(r, DMS_TASK_STOP_MS, "t-deleted", jstr(t, "_arn"), NULL);
    cJSON_Delete(t);
    return 0;
}

DMS_OP(StartReplicationTask) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    cJSON *ri = dms_get(r, &DMS_RI, jstr(t, "ReplicationInstanceArn"));
    int rc = 0;
    if (!ri || strcmp(jstr(ri, "ReplicationInstanceStatus"), "available") != 0)
        rc = sim_err(e, 400, "InvalidResourceStateFault", "Replication instance %s is not in available state",
                     ri ? jstr(ri, "ReplicationInstanceIdentifier") : jstr(t, "ReplicationInstanceArn"));
    /* AWS rule: a connection test of the instance with either endpoint that did not succeed blocks the start
     * (never-tested pairs are tested implicitly when the task starts) */
    const char *eps[2] = {jstr(t, "SourceEndpointArn"), jstr(t, "TargetEndpointArn")};
    for (int i = 0; rc == 0 && ri && i < 2; i++) {
        char key[600];
        snprintf(key, sizeof key, "%s|%s", jstr(ri, "_arn"), eps[i]);
        cJSON *c = rs_get(r, "conn", key);
        if (c && strcmp(jstr(c, "Status"), "successful") != 0)
            rc = sim_err(
                e, 400, "InvalidResourceStateFault",
                "Test connection for replication instance %s and endpoint %s should be successful for "
                "starting the replication task",
                jstr(ri, "ReplicationInstanceIdentifier"), jstr(c, "EndpointIdentifier"));
        cJSON_Delete(c);
    }
    cJSON_Delete(ri);
    if (rc == 0)
        rc = start_engine(r, &ENG_TASK, t, jstr(in, "StartReplicationTaskType"), in, DMS_TASK_START_MS,
                          "starting", e);
    if (rc == 0) {
        cJSON_AddItemToObject(out, "ReplicationTask", task_view(r, t, in));
        dms_put(r, &DMS_TASK, t);
    }
    cJSON_Delete(t);
    return rc;
}

DMS_OP(StopReplicationTask) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    int rc = stop_engine(r, &ENG_TASK, t, e);
    if (rc == 0) {
        cJSON_AddItemToObject(out, "ReplicationTask", task_view(r, t, in));
        dms_put(r, &DMS_TASK, t);
    }
    cJSON_Delete(t);
    return rc;
}

DMS_OP(ReloadTables) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    int rc = reload_engine(r, &ENG_TASK, t, in, e);
    if (rc == 0) {
        cJSON_AddStringToObject(out, "ReplicationTaskArn", jstr(t, "_arn"));
        dms_put(r, &DMS_TASK, t);
    }
    cJSON_Delete(t);
    return rc;
}

DMS_OP(MoveReplicationTask) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    int rc = 0;
    const char *target = jstr(in, "TargetReplicationInstanceArn");
    cJSON *ri = dms_get(r, &DMS_RI, target);
    if (!ri)
        rc = dms_not_found(e, &DMS_RI, target);
    else if (strcmp(jstr(ri, "ReplicationInstanceStatus"), "available") != 0)
        rc = sim_err(e, 400, "InvalidResourceStateFault", "Replication instance %s is not in available state",
                     jstr(ri, "ReplicationInstanceIdentifier"));
    else if (!task_idle(jstr(t, "Status")))
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Replication task %s is in %s state and cannot be moved. The task must be in ready, "
                     "stopped or failed state.",
                     jstr(t, "ReplicationTaskIdentifier"), jstr(t, "Status"));
    else if (strcmp(target, jstr(t, "ReplicationInstanceArn")) == 0)
        rc = sim_err(e, 400, "InvalidParameterValueException",
                     "The task is already on replication instance %s", target);
    cJSON_Delete(ri);
    if (rc == 0) {
        dms_set_str(t, "_prev", jstr(t, "Status"));
        dms_set_str(t, "_moveTo", target);
        dms_set_str(t, "TargetReplicationInstanceArn", target);
        dms_set_str(t, "Status", "moving");
        dms_timer(r, 60 * 1000, "t-ready", jstr(t, "_arn"), NULL);
        cJSON_AddItemToObject(out, "ReplicationTask", task_view(r, t, in));
        dms_put(r, &DMS_TASK, t);
    }
    cJSON_Delete(t);
    return rc;
}

static const dms_filter_t TASK_FILTERS[] = {{"replication-task-arn", "ReplicationTaskArn"},
                                            {"replication-task-id", "ReplicationTaskIdentifier"},
                                            {"migration-type", "MigrationType"},
                                            {"endpoint-arn", "_endpoints"},
                                            {"replication-instance-arn", "ReplicationInstanceArn"},
                                            {NULL, NULL}};
DMS_OP(DescribeReplicationTasks) {
    return dms_describe(r, &DMS_TASK, in, out, "ReplicationTasks", TASK_FILTERS, task_view, "Tasks", e);
}

static int describe_tables(req_t *r, const eng_t *g, const cJSON *doc, const cJSON *in, cJSON *out,
                           const char *key, sim_error_t *e) {
    cJSON *stats = dms_apply_filters(table_stats(r->sim, g, doc, clock_now_ms(r->sim)), in, TABLE_FILTERS, e);
    if (!stats) return -1;
    /* AWS rule: MaxRecords for table statistics is 20..500 (default 100) */
    const cJSON *mr = cJSON_GetObjectItem(in, "MaxRecords");
    int max = cJSON_IsNumber(mr) ? mr->valueint : 100;
    if (max < 20 || max > 500) {
        cJSON_Delete(stats);
        return sim_err(e, 400, "InvalidParameterValueException",
                       "The parameter MaxRecords must be between 20 and 500.");
    }
    int start = jstr(in, "Marker") ? atoi(jstr(in, "Marker")) : 0;
    int n = cJSON_GetArraySize(stats);
    if (start < 0 || start > n) {
        cJSON_Delete(stats);
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid Marker: %s", jstr(in, "Marker"));
    }
    cJSON *page = cJSON_AddArrayToObject(out, key);
    for (int i = start; i < n && i < start + max; i++)
        cJSON_AddItemToArray(page, cJSON_Duplicate(cJSON_GetArrayItem(stats, i), 1));
    if (start + max < n) {
        char buf[24];
        snprintf(buf, sizeof buf, "%d", start + max);
        cJSON_AddStringToObject(out, "Marker", buf);
    }
    cJSON_Delete(stats);
    return 0;
}

DMS_OP(DescribeTableStatistics) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    cJSON_AddStringToObject(out, "ReplicationTaskArn", jstr(t, "_arn"));
    int rc = describe_tables(r, &ENG_TASK, t, in, out, "TableStatistics", e);
    cJSON_Delete(t);
    return rc;
}

/* Legacy premigration assessment: status "testing" for a while, then results. */
DMS_OP(StartReplicationTaskAssessment) {
    cJSON *t = fetch_task(r, jstr(in, "ReplicationTaskArn"), e);
    if (!t) return -1;
    const char *st = jstr(t, "Status");
    if (!task_idle(st)) {
        int rc = sim_err(e, 400, "InvalidResourceStateFault",
                         "Replication task %s is in %s state. An assessment can run only when the task is "
                         "ready, stopped or failed.",
                         jstr(t, "ReplicationTaskIdentifier"), st);
        cJSON_Delete(t);
        return rc;
    }
    dms_set_str(t, "_prev", st);
    dms_set_str(t, "Status", "testing");
    dms_set_str(t, "_assessStatus", "in progress");
    dms_set_num(t, "_assessDate", (double)clock_now_ms(r->sim));
    dms_timer(r, 60 * 1000, "t-ready", jstr(t, "_arn"), NULL);
    cJSON_AddItemToObject(out, "ReplicationTask", task_view(r, t, in));
    dms_put(r, &DMS_TASK, t);
    cJSON_Delete(t);
    return 0;
}

DMS_OP(DescribeReplicationTaskAssessmentResults) {
    const char *arn = jstr(in, "ReplicationTaskArn");
    cJSON *items = cJSON_CreateArray();
    if (arn) {
        cJSON *t = fetch_task(r, arn, e);
        if (!t) {
            cJSON_Delete(items);
            return -1;
        }
        cJSON_Delete(t);
    }
    cJSON *all = rs_list(r, DMS_TASK.type), *t;
    cJSON_ArrayForEach(t, all) {
        if (!jstr(t, "_assessStatus") || (arn && strcmp(arn, jstr(t, "_arn")) != 0)) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "ReplicationTaskIdentifier", jstr(t, "ReplicationTaskIdentifier"));
        cJSON_AddStringToObject(o, "ReplicationTaskArn", jstr(t, "_arn"));
        dms_set_ts(o, "ReplicationTaskLastAssessmentDate", (int64_t)jnum(t, "_assessDate", 0));
        cJSON_AddStringToObject(o, "AssessmentStatus", jstr(t, "_assessStatus"));
        char file[600], url[900];
        snprintf(file, sizeof file, "%s/%s/assessment.json", jstr(t, "ReplicationTaskIdentifier"),
                 strrchr(jstr(t, "_arn"), ':') + 1);
        cJSON_AddStringToObject(o, "AssessmentResultsFile", file);
        cJSON_AddStringToObject(o, "AssessmentResults",
                                "{\"summary\":{\"status\":\"No issues found\"},\"results\":[]}");
        snprintf(url, sizeof url, "https://dms-%s-%s.s3.amazonaws.com/%s", r->account, r->region, file);
        cJSON_AddStringToObject(o, "S3ObjectUrl", url);
        cJSON_AddItemToArray(items, o);
    }
    cJSON_Delete(all);
    char bucket[128];
    snprintf(bucket, sizeof bucket, "dms-%s-%s", r->account, r->region);
    cJSON_AddStringToObject(out, "BucketName", bucket);
    return dms_page(items, in, out, "ReplicationTaskAssessmentResults", NULL, NULL, e);
}

/* ------------------------------------------------------------------------------------------------
 * Serverless: replication configs and replications
 * ---------------------------------------------------------------------------------------------- */
static int check_compute(const cJSON *cc, sim_error_t *e) {
    if (dms_check_kms(jstr(cc, "KmsKeyId"), e)) return -1;
    const cJSON *mx = cJSON_GetObjectItem(cc, "MaxCapacityUnits"),
                *mn = cJSON_GetObjectItem(cc, "MinCapacityUnits");
    static const int units[] = {1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384};
    const cJSON *v[2] = {mx, mn};
    for (int i = 0; i < 2; i++) {
        if (!v[i]) continue;
        int ok = 0;
        for (size_t j = 0; j < sizeof units / sizeof units[0]; j++)
            if (v[i]->valueint == units[j]) ok = 1;
        if (!ok)
            return sim_err(e, 400, "InvalidParameterValueException",
                           "Invalid %s: %d. Valid values: 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384",
                           i == 0 ? "MaxCapacityUnits" : "MinCapacityUnits", v[i]->valueint);
    }
    if (!mx && !mn)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "ComputeConfig.MaxCapacityUnits is required");
    if (mx && mn && mn->valueint > mx->valueint)
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "MinCapacityUnits must be less than or equal to MaxCapacityUnits");
    if (cJSON_GetObjectItem(cc, "MultiAZ") && cJSON_IsTrue(cJSON_GetObjectItem(cc, "MultiAZ")) &&
        jstr(cc, "AvailabilityZone"))
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "Requesting a specific availability zone is not valid for Multi-AZ replications.");
    return 0;
}

static cJSON *cfg_view(req_t *r, cJSON *doc, const cJSON *in) {
    (void)r;
    (void)in;
    return dms_out(doc);
}

static void premigration_view(req_t *r, const cJSON *cfg, cJSON *o);

static cJSON *replication_view(req_t *r, cJSON *doc, const cJSON *in) {
    (void)in;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ReplicationConfigIdentifier", jstr(doc, "ReplicationConfigIdentifier"));
    cJSON_AddStringToObject(o, "ReplicationConfigArn", jstr(doc, "_arn"));
    cJSON_AddStringToObject(o, "SourceEndpointArn", jstr(doc, "SourceEndpointArn"));
    cJSON_AddStringToObject(o, "TargetEndpointArn", jstr(doc, "TargetEndpointArn"));
    cJSON_AddStringToObject(o, "ReplicationType", jstr(doc, "ReplicationType"));
    cJSON_AddStringToObject(o, "Status", jstr(doc, "_status"));
    cJSON *pd = cJSON_AddObjectToObject(o, "ProvisionData");
    const char *st = jstr(doc, "_status");
    int provisioned = strcmp(st, "created") && strcmp(st, "initializing");
    cJSON_AddStringToObject(pd, "ProvisionState", provisioned ? "provisioned" : "unprovisioned");
    cJSON_AddNumberToObject(
        pd, "ProvisionedCapacityUnits",
        provisioned ? jint(cJSON_GetObjectItem(doc, "ComputeConfig"), "MaxCapacityUnits", 0) : 0);
    if (provisioned) dms_set_ts(pd, "DateProvisioned", (int64_t)jnum(doc, "_startMs", 0));
    cJSON_AddBoolToObject(pd, "IsNewProvisioningAvailable", 0);
    if (jstr(doc, "_stopReason")) cJSON_AddStringToObject(o, "StopReason", jstr(doc, "_stopReason"));
    cJSON *fm = cJSON_AddArrayToObject(o, "FailureMessages");
    if (jstr(doc, "_failure")) cJSON_AddItemToArray(fm, cJSON_CreateString(jstr(doc, "_failure")));
    if (jstr(doc, "_startType")) cJSON_AddStringToObject(o, "StartReplicationType", jstr(doc, "_startType"));
    if (jstr(doc, "CdcStartPosition"))
        cJSON_AddStringToObject(o, "CdcStartPosition", jstr(doc, "CdcStartPosition"));
    if (jstr(doc, "CdcStopPosition"))
        cJSON_AddStringToObject(o, "CdcStopPosition", jstr(doc, "CdcStopPosition"));
    if (cJSON_GetObjectItem(doc, "_cdcStartTime"))
        dms_set_num(o, "CdcStartTime", jnum(doc, "_cdcStartTime", 0));
    dms_set_num(o, "ReplicationCreateTime", jnum(doc, "ReplicationConfigCreateTime", 0));
    dms_set_num(o, "ReplicationUpdateTime",
                jnum(doc, "_updateTime", jnum(doc, "ReplicationConfigCreateTime", 0)));
    const cJSON *run = cJSON_GetObjectItem(doc, "_run");
    if (run && rnum(run, "stop") >= 0 && !seg_open(run))
        dms_set_ts(o, "ReplicationLastStopTime", rnum(run, "stop"));
    add_stats(&ENG_CFG, doc, o, "ReplicationStats", clock_now_ms(r->sim));
    premigration_view(r, doc, o);
    return o;
}

static const char *const CFG_SKIP[] = {"Tags", "ResourceIdentifier", "ReplicationConfigArn", NULL};

DMS_OP(CreateReplicationConfig) {
    const char *id = jstr(in, "ReplicationConfigIdentifier");
    if (dms_check_identifier("ReplicationConfigIdentifier", id, 255, e)) return -1;
    if (check_compute(cJSON_GetObjectItem(in, "ComputeConfig"), e)) return -1;
    if (dms_validate_table_mappings(jstr(in, "TableMappings"), e)) return -1;
    if (dms_validate_task_settings(jstr(in, "ReplicationSettings"), e)) return -1;
    if (check_endpoints(r, jstr(in, "SourceEndpointArn"), jstr(in, "TargetEndpointArn"), e)) return -1;
    const char *sg = jstr(cJSON_GetObjectItem(in, "ComputeConfig"), "ReplicationSubnetGroupId");
    if (sg) {
        cJSON *g = dms_find(r, &DMS_SG, sg);
        if (!g) return sim_err(e, 400, "ResourceNotFoundFault", "Replication Subnet Group %s not found", sg);
        cJSON_Delete(g);
    }
    cJSON *old = dms_find(r, &DMS_CFG, id);
    if (old) {
        cJSON_Delete(old);
        return dms_exists_err(e, &DMS_CFG, id);
    }
    if (dms_resource_id_ok(r, &DMS_CFG, in, e)) return -1;
    char arn[256];
    dms_new_arn(r, DMS_CFG.type, in, arn, sizeof arn);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "_arn", arn);
    dms_copy_members(c, in, CFG_SKIP);
    dms_set_str(c, "ReplicationConfigArn", arn);
    char *settings = merged_settings(jstr(in, "ReplicationSettings"));
    dms_set_str(c, "ReplicationSettings", settings);
    free(settings);
    dms_set_ts(c, "ReplicationConfigCreateTime", clock_now_ms(r->sim));
    dms_set_ts(c, "ReplicationConfigUpdateTime", clock_now_ms(r->sim));
    dms_set_str(c, "_status", "created");
    cJSON_AddItemToObject(c, "_tables", tables_from_mappings(jstr(in, "TableMappings")));
    if (dms_tags_init(c, cJSON_GetObjectItem(in, "Tags"), e) != 0) {
        cJSON_Delete(c);
        return -1;
    }
    cJSON_AddItemToObject(out, "ReplicationConfig", dms_out(c));
    dms_put(r, &DMS_CFG, c);
    cJSON_Delete(c);
    return 0;
}

static cJSON *fetch_cfg(req_t *r, const char *arn, sim_error_t *e) {
    cJSON *c = dms_find(r, &DMS_CFG, arn);
    if (!c) dms_not_found(e, &DMS_CFG, arn);
    return c;
}

static int cfg_idle(const char *st) {
    return !strcmp(st, "created") || !strcmp(st, "stopped") || !strcmp(st, "failed");
}

DMS_OP(ModifyReplicationConfig) {
    cJSON *c = fetch_cfg(r, jstr(in, "ReplicationConfigArn"), e);
    if (!c) return -1;
    int rc = 0;
    const char *nid = jstr(in, "ReplicationConfigIdentifier");
    if (!cfg_idle(jstr(c, "_status")))
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Replication %s is in %s state and cannot be modified. Stop the replication first.",
                     jstr(c, "ReplicationConfigIdentifier"), jstr(c, "_status"));
    else if (nid && dms_check_identifier("ReplicationConfigIdentifier", nid, 255, e))
        rc = -1;
    else if (cJSON_GetObjectItem(in, "ComputeConfig") &&
             check_compute(cJSON_GetObjectItem(in, "ComputeConfig"), e))
        rc = -1;
    else if (jstr(in, "TableMappings") && dms_validate_table_mappings(jstr(in, "TableMappings"), e))
        rc = -1;
    else if (jstr(in, "ReplicationSettings") &&
             dms_validate_task_settings(jstr(in, "ReplicationSettings"), e))
        rc = -1;
    else if (check_endpoints(r, jstr(in, "SourceEndpointArn"), jstr(in, "TargetEndpointArn"), e))
        rc = -1;
    else if (nid) {
        cJSON *other = dms_find(r, &DMS_CFG, nid);
        if (other && strcmp(jstr(other, "_arn"), jstr(c, "_arn")) != 0) rc = dms_exists_err(e, &DMS_CFG, nid);
        cJSON_Delete(other);
    }
    if (rc == 0) {
        dms_copy_members(c, in, CFG_SKIP);
        if (jstr(in, "ReplicationSettings")) {
            char *settings = merged_settings(jstr(in, "ReplicationSettings"));
            dms_set_str(c, "ReplicationSettings", settings);
            free(settings);
        }
        if (jstr(in, "TableMappings") && !jbool(c, "_tablesSet", 0)) {
            cJSON_DeleteItemFromObject(c, "_tables");
            cJSON_AddItemToObject(c, "_tables", tables_from_mappings(jstr(in, "TableMappings")));
        }
        dms_set_ts(c, "ReplicationConfigUpdateTime", clock_now_ms(r->sim));
        cJSON_AddItemToObject(out, "ReplicationConfig", dms_out(c));
        dms_put(r, &DMS_CFG, c);
    }
    cJSON_Delete(c);
    return rc;
}

DMS_OP(DeleteReplicationConfig) {
    cJSON *c = fetch_cfg(r, jstr(in, "ReplicationConfigArn"), e);
    if (!c) return -1;
    if (!cfg_idle(jstr(c, "_status"))) {
        int rc = sim_err(e, 400, "InvalidResourceStateFault",
                         "Replication %s is in %s state and cannot be deleted. Stop the replication first.",
                         jstr(c, "ReplicationConfigIdentifier"), jstr(c, "_status"));
        cJSON_Delete(c);
        return rc;
    }
    cJSON_AddItemToObject(out, "ReplicationConfig", dms_out(c));
    dms_del(r, &DMS_CFG, c);
    cJSON_Delete(c);
    return 0;
}

static const dms_filter_t CFG_FILTERS[] = {{"replication-config-arn", "ReplicationConfigArn"},
                                           {"replication-config-id", "ReplicationConfigIdentifier"},
                                           {NULL, NULL}};
DMS_OP(DescribeReplicationConfigs) {
    return dms_describe(r, &DMS_CFG, in, out, "ReplicationConfigs", CFG_FILTERS, cfg_view,
                        "Replication Configs", e);
}

static const dms_filter_t REPL_FILTERS[] = {{"replication-config-arn", "ReplicationConfigArn"},
                                            {"replication-config-id", "ReplicationConfigIdentifier"},
                                            {"replication-type", "ReplicationType"},
                                            {"status", "_status"},
                                            {NULL, NULL}};
DMS_OP(DescribeReplications) {
    return dms_describe(r, &DMS_CFG, in, out, "Replications", REPL_FILTERS, replication_view, "Replications",
                        e);
}

/* A premigration assessment started with the replication: it runs for a minute and passes. */
static void premigration_begin(req_t *r, cJSON *cfg, const cJSON *p) {
    char arn[256];
    dms_new_arn(r, DMS_RUN.type, NULL, arn, sizeof arn);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "PremigrationAssessmentRunArn", arn);
    dms_set_ts(a, "PremigrationAssessmentRunCreationDate", clock_now_ms(r->sim));
    cJSON_AddBoolToObject(a, "FailOnAssessmentFailure", jbool(p, "FailOnAssessmentFailure", 0));
    const char *keys[] = {"ResultLocationBucket", "ResultLocationFolder", "ResultEncryptionMode",
                          "ResultKmsKeyArn"};
    for (int i = 0; i < 4; i++)
        if (jstr(p, keys[i])) cJSON_AddStringToObject(a, keys[i], jstr(p, keys[i]));
    int n = 0;
    for (int i = 0; DMS_ASSESSMENTS[i]; i++)
        n++;
    cJSON_AddNumberToObject(a, "_count", n);
    cJSON_DeleteItemFromObject(cfg, "_premig");
    cJSON_AddItemToObject(cfg, "_premig", a);
}

static void premigration_view(req_t *r, const cJSON *cfg, cJSON *o) {
    cJSON *list = cJSON_AddArrayToObject(o, "PremigrationAssessmentStatuses");
    const cJSON *a = cJSON_GetObjectItem(cfg, "_premig");
    if (!a) return;
    cJSON *v = dms_out(a);
    int n = jint(a, "_count", 0);
    int done =
        clock_now_ms(r->sim) >= (int64_t)(jnum(a, "PremigrationAssessmentRunCreationDate", 0) * 1000) + 60000;
    cJSON_AddStringToObject(v, "Status", done ? "passed" : "running");
    cJSON *prog = cJSON_AddObjectToObject(v, "AssessmentProgress");
    cJSON_AddNumberToObject(prog, "IndividualAssessmentCount", n);
    cJSON_AddNumberToObject(prog, "IndividualAssessmentCompletedCount", done ? n : 0);
    cJSON *rs = cJSON_AddObjectToObject(v, "ResultStatistic");
    cJSON_AddNumberToObject(rs, "Passed", done ? n : 0);
    const char *zero[] = {"Failed", "Error", "Warning", "Cancelled", "Skipped"};
    for (int i = 0; i < 5; i++)
        cJSON_AddNumberToObject(rs, zero[i], 0);
    cJSON_AddItemToArray(list, v);
}

DMS_OP(StartReplication) {
    cJSON *c = fetch_cfg(r, jstr(in, "ReplicationConfigArn"), e);
    if (!c) return -1;
    const char *type = jstr(in, "StartReplicationType");
    int rc = 0;
    if (strcmp(type, "start-replication") && strcmp(type, "resume-processing") &&
        strcmp(type, "reload-target"))
        rc = sim_err(e, 400, "InvalidParameterValueException",
                     "Invalid StartReplicationType: %s. Valid values: start-replication, resume-processing, "
                     "reload-target",
                     type);
    else if (jstr(in, "PremigrationAssessmentSettings")) {
        cJSON *p = cJSON_Parse(jstr(in, "PremigrationAssessmentSettings"));
        /* AWS rule: the settings name the role DMS uses and the S3 bucket for the results */
        if (!cJSON_IsObject(p))
            rc = sim_err(e, 400, "InvalidParameterValueException",
                         "PremigrationAssessmentSettings is not valid JSON");
        else if (!jstr(p, "ServiceAccessRoleArn") || !jstr(p, "ResultLocationBucket"))
            rc = sim_err(
                e, 400, "InvalidParameterValueException",
                "PremigrationAssessmentSettings must include ServiceAccessRoleArn and ResultLocationBucket");
        else
            premigration_begin(r, c, p);
        cJSON_Delete(p);
    }
    if (rc == 0) {
        /* serverless start: initializing (capacity is provisioned) for 2 minutes, then running */
        rc = start_engine(r, &ENG_CFG, c, type, in, 2 * 60 * 1000, "initializing", e);
        if (rc == 0 && strcmp(jstr(c, "_status"), "initializing") == 0) {
            dms_set_num(c, "_startMs", (double)clock_now_ms(r->sim));
            dms_set_num(c, "_updateTime", dms_ms_to_s(clock_now_ms(r->sim)));
        }
    }
    if (rc == 0) {
        cJSON_AddItemToObject(out, "Replication", replication_view(r, c, in));
        dms_put(r, &DMS_CFG, c);
    }
    cJSON_Delete(c);
    return rc;
}

DMS_OP(StopReplication) {
    cJSON *c = fetch_cfg(r, jstr(in, "ReplicationConfigArn"), e);
    if (!c) return -1;
    int rc = stop_engine(r, &ENG_CFG, c, e);
    if (rc == 0) {
        cJSON_AddItemToObject(out, "Replication", replication_view(r, c, in));
        dms_put(r, &DMS_CFG, c);
    }
    cJSON_Delete(c);
    return rc;
}

DMS_OP(ReloadReplicationTables) {
    cJSON *c = fetch_cfg(r, jstr(in, "ReplicationConfigArn"), e);
    if (!c) return -1;
    int rc = reload_engine(r, &ENG_CFG, c, in, e);
    if (rc == 0) {
        cJSON_AddStringToObject(out, "ReplicationConfigArn", jstr(c, "_arn"));
        dms_put(r, &DMS_CFG, c);
    }
    cJSON_Delete(c);
    return rc;
}

DMS_OP(DescribeReplicationTableStatistics) {
    cJSON *c = fetch_cfg(r, jstr(in, "ReplicationConfigArn"), e);
    if (!c) return -1;
    cJSON_AddStringToObject(out, "ReplicationConfigArn", jstr(c, "_arn"));
    int rc = describe_tables(r, &ENG_CFG, c, in, out, "ReplicationTableStatistics", e);
    cJSON_Delete(c);
    return rc;
}

/* ------------------------------------------------------------------------------------------------
 * Control hooks (dms.h)
 * ---------------------------------------------------------------------------------------------- */
static void mkreq(req_t *rq, sim_t *s, const char *account, const char *scope) {
    memset(rq, 0, sizeof *rq);
    rq->sim = s;
    rq->service = "dms";
    rq->operation = "control";
    rq->account = account;
    rq->region = scope;
    rq->scope = scope;
    rq->access_key = "";
    rq->caller_arn = "";
    rq->caller_userid = "";
    rq->request_id = "";
    rq->now_ms = clock_now_ms(s);
    rq->internal = 1;
}

static int64_t time_member(const cJSON *f, const char *key, int64_t dflt, int *bad) {
    const cJSON *v = cJSON_GetObjectItem(f, key);
    if (!v) return dflt;
    int64_t t = cJSON_IsNumber(v)   ? (int64_t)(v->valuedouble * 1000)
                : cJSON_IsString(v) ? parse_iso8601(v->valuestring)
                                    : -1;
    if (t < 0) *bad = 1;
    return t;
}

int dms_fault_add(sim_t *s, const cJSON *fault, sim_error_t *e) {
    sim_lock(s);
    const char *kind = jstr(fault, "kind");
    int rc = 0, bad = 0;
    int64_t now = clock_now_ms(s);
    int64_t at = time_member(fault, "at", now, &bad);
    time_member(fault, "from", 0, &bad);
    time_member(fault, "until", 0, &bad);
    if (!kind || (strcmp(kind, "task-fails") && strcmp(kind, "lag") && strcmp(kind, "cdc-stalled") &&
                  strcmp(kind, "connection-fails") && strcmp(kind, "table-fails")))
        rc = sim_err(
            e, 400, "InvalidParameterValue",
            "Unknown DMS fault kind '%s' (task-fails, table-fails, lag, cdc-stalled, connection-fails)",
            kind ? kind : "");
    else if (strcmp(kind, "table-fails") == 0 && (!jstr(fault, "schema") || !jstr(fault, "table")))
        rc =
            sim_err(e, 400, "InvalidParameterValue", "Fault kind table-fails needs \"schema\" and \"table\"");
    else if (bad)
        rc = sim_err(e, 400, "InvalidParameterValue", "Fault times must be ISO-8601 or epoch seconds");
    else if (strcmp(kind, "connection-fails") == 0 && !jstr(fault, "endpoint"))
        rc = sim_err(e, 400, "InvalidParameterValue", "Fault kind connection-fails needs \"endpoint\"");
    else if (strcmp(kind, "connection-fails") && !jstr(fault, "task") && !jstr(fault, "replication"))
        rc = sim_err(e, 400, "InvalidParameterValue", "Fault kind %s needs \"task\" (or \"replication\")",
                     kind);
    else if (strcmp(kind, "lag") == 0 &&
             (!cJSON_IsNumber(cJSON_GetObjectItem(fault, "seconds")) || jnum(fault, "seconds", 0) < 0))
        rc = sim_err(e, 400, "InvalidParameterValue", "Fault kind lag needs \"seconds\" >= 0");
    if (rc) {
        sim_unlock(s);
        return rc;
    }
    cJSON *f = cJSON_Duplicate(fault, 1);
    /* "account" may be given as any ARN of the account (as scenarios do): keep its account field */
    const char *acct = jstr(f, "account");
    if (acct && strncmp(acct, "arn:", 4) == 0) {
        const char *p = acct;
        for (int i = 0; i < 4 && p; i++) {
            p = strchr(p, ':');
            if (p) p++;
        }
        char a12[16];
        snprintf(a12, sizeof a12, "%.12s", p ? p : "");
        dms_set_str(f, "account", a12);
    }
    char id[64];
    int64_t seq = meta_next_seq(s, "dms.fault");
    if (jstr(fault, "id"))
        snprintf(id, sizeof id, "%s", jstr(fault, "id"));
    else
        snprintf(id, sizeof id, "%lld", (long long)seq);
    dms_set_str(f, "id", id);
    dms_set_num(f, "fired", 0);
    dms_set_num(f, "_atMs", (double)at);
    rs_put_at(s, "dms", FAULT_ACCOUNT, FAULT_SCOPE, "fault", id, f);
    if (strcmp(kind, "task-fails") == 0 || strcmp(kind, "table-fails") == 0) {
        timer_cancel(s, "dms", "fault", id);
        if (at > now) {
            timer_schedule(s, at, "dms", "fault", jstr(f, "account") ? jstr(f, "account") : DEFAULT_ACCOUNT,
                           jstr(f, "region") ? jstr(f, "region") : DEFAULT_REGION, id, "");
        } else {
            req_t rq;
            mkreq(&rq, s, DEFAULT_ACCOUNT, DEFAULT_REGION);
            dms_task_timer(&rq, "fault", id, "");
        }
    }
    cJSON_Delete(f);
    sim_unlock(s);
    return (int)seq; /* the control API reports it as the fault id */
}

int dms_fault_clear(sim_t *s, const char *id) {
    sim_lock(s);
    cJSON *rows = rs_list_all(s, "dms", "fault"), *row;
    int n = 0;
    cJSON_ArrayForEach(row, rows) {
        const char *fid = jstr(row, "id");
        if (id && strcmp(id, fid) != 0) continue;
        rs_del_at(s, "dms", FAULT_ACCOUNT, FAULT_SCOPE, "fault", fid);
        timer_cancel(s, "dms", "fault", fid);
        n++;
    }
    cJSON_Delete(rows);
    sim_unlock(s);
    return n;
}

cJSON *dms_faults_json(sim_t *s) {
    sim_lock(s);
    cJSON *all = faults_all(s), *f;
    cJSON_ArrayForEach(f, all) cJSON_DeleteItemFromObject(f, "_atMs");
    sim_unlock(s);
    return all;
}

int dms_set_tables(sim_t *s, const cJSON *spec, sim_error_t *e) {
    const char *want = jstr(spec, "task") ? jstr(spec, "task") : jstr(spec, "replication");
    const cJSON *tables = cJSON_GetObjectItem(spec, "tables");
    if (!want) return sim_err(e, 400, "InvalidParameterValue", "\"task\" (ARN or identifier) is required");
    if (!cJSON_IsArray(tables))
        return sim_err(e, 400, "InvalidParameterValue", "\"tables\" must be an array");
    cJSON *clean = cJSON_CreateArray();
    const cJSON *t;
    cJSON_ArrayForEach(t, tables) {
        const char *schema = jstr(t, "schema"), *table = jstr(t, "table");
        double rows = jnum(t, "rows", DMS_DEFAULT_ROWS), rps = jnum(t, "rowsPerSecond", DMS_DEFAULT_RPS);
        if (!schema || !table || rows < 0 || rps <= 0) {
            cJSON_Delete(clean);
            return sim_err(e, 400, "InvalidParameterValue",
                           "Each table needs \"schema\", \"table\", rows >= 0 and rowsPerSecond > 0");
        }
        cJSON *n = new_table(schema, table);
        dms_set_num(n, "rows", rows);
        dms_set_num(n, "rowsPerSecond", rps);
        const char *rates[] = {"cdcInsertsPerSecond", "cdcUpdatesPerSecond", "cdcDeletesPerSecond"};
        for (int i = 0; i < 3; i++)
            if (cJSON_IsNumber(cJSON_GetObjectItem(t, rates[i])))
                dms_set_num(n, rates[i], jnum(t, rates[i], 0));
        cJSON_AddItemToArray(clean, n);
    }
    sim_lock(s);
    int found = 0;
    for (int k = 0; k < 2; k++) {
        const eng_t *g = k ? &ENG_CFG : &ENG_TASK;
        cJSON *rows = rs_list_all(s, "dms", g->k->type), *row;
        cJSON_ArrayForEach(row, rows) {
            cJSON *doc = cJSON_GetObjectItem(row, "doc");
            if (!ref_matches(want, doc, g->k)) continue;
            if (jstr(spec, "account") && strcmp(jstr(spec, "account"), jstr(row, "account")) != 0) continue;
            req_t rq;
            mkreq(&rq, s, jstr(row, "account"), jstr(row, "scope"));
            cJSON_DeleteItemFromObject(doc, "_tables");
            cJSON_AddItemToObject(doc, "_tables", cJSON_Duplicate(clean, 1));
            dms_set_bool(doc, "_tablesSet", 1);
            if (strcmp(status_of(g, doc), "running") == 0) schedule_fl_done(&rq, g, doc);
            dms_put(&rq, g->k, doc);
            found++;
        }
        cJSON_Delete(rows);
    }
    sim_unlock(s);
    cJSON_Delete(clean);
    if (!found) return sim_err(e, 404, "ResourceNotFoundFault", "Replication task %s not found", want);
    return 0;
}

static void metric(cJSON *arr, const char *name, const char *unit, double v, int64_t t, const char *ri,
                   const char *task) {
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "Namespace", "AWS/DMS");
    cJSON_AddStringToObject(m, "MetricName", name);
    cJSON *d = cJSON_AddArrayToObject(m, "Dimensions");
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "Name", "ReplicationInstanceIdentifier");
    cJSON_AddStringToObject(a, "Value", ri);
    cJSON_AddItemToArray(d, a);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "Name", "ReplicationTaskIdentifier");
    cJSON_AddStringToObject(b, "Value", task);
    cJSON_AddItemToArray(d, b);
    char ts[32];
    fmt_iso8601(t, ts);
    cJSON_AddStringToObject(m, "Timestamp", ts);
    cJSON_AddNumberToObject(m, "Value", v);
    cJSON_AddStringToObject(m, "Unit", unit);
    cJSON_AddItemToArray(arr, m);
}

#define METRIC_MAX_SAMPLES 1440

/* Samples every 60 s of virtual time from the task's fresh start while it runs. ReplicationTaskIdentifier
 * is the task's resource id (the last part of its ARN), as in CloudWatch. */
int dms_metrics_json(sim_t *s, const char *account, const char *region, cJSON *out) {
    cJSON *arr = cJSON_IsArray(out) ? out : cJSON_GetObjectItem(out, "Datapoints");
    if (!arr) arr = cJSON_AddArrayToObject(out, "Datapoints");
    sim_lock(s);
    int64_t now = clock_now_ms(s);
    cJSON *rows = rs_list_all(s, "dms", DMS_TASK.type), *row;
    cJSON *faults = faults_all(s);
    int n = 0;
    cJSON_ArrayForEach(row, rows) {
        if (account && strcmp(account, jstr(row, "account")) != 0) continue;
        if (region && strcmp(region, jstr(row, "scope")) != 0) continue;
        cJSON *doc = cJSON_GetObjectItem(row, "doc");
        const cJSON *run = cJSON_GetObjectItem(doc, "_run");
        if (!run || rnum(run, "fresh") < 0) continue;
        req_t rq;
        mkreq(&rq, s, jstr(row, "account"), jstr(row, "scope"));
        cJSON *ri = dms_get(&rq, &DMS_RI, jstr(doc, "ReplicationInstanceArn"));
        char riid[256], taskid[128];
        snprintf(riid, sizeof riid, "%s", ri ? jstr(ri, "ReplicationInstanceIdentifier") : "");
        cJSON_Delete(ri);
        snprintf(taskid, sizeof taskid, "%s", strrchr(jstr(doc, "_arn"), ':') + 1);
        int64_t fresh = rnum(run, "fresh");
        int64_t k0 = 1, k1 = (now - fresh) / 60000;
        if (k1 - k0 + 1 > METRIC_MAX_SAMPLES) k0 = k1 - METRIC_MAX_SAMPLES + 1;
        tslot_t *ts;
        int nt;
        int64_t total = schedule(cJSON_GetObjectItem(doc, "_tables"), max_subtasks(&ENG_TASK, doc), &ts, &nt);
        int fl = has_full_load(&ENG_TASK, doc), cdc = has_cdc(&ENG_TASK, doc);
        double cdc_rate = 0;
        for (int i = 0; i < nt; i++)
            cdc_rate += jnum(ts[i].t, "cdcInsertsPerSecond", 1) + jnum(ts[i].t, "cdcUpdatesPerSecond", 1) +
                        jnum(ts[i].t, "cdcDeletesPerSecond", 0);
        for (int64_t k = k0; k <= k1; k++) {
            int64_t t = fresh + k * 60000;
            if (!running_at(run, t)) continue;
            int64_t w = work_at(run, t);
            if (fl && w < total) {
                double rps = 0;
                for (int i = 0; i < nt; i++)
                    if (w >= ts[i].begin && w < ts[i].end) rps += ts[i].rps;
                metric(arr, "FullLoadThroughputRowsSource", "Count/Second", rps, t, riid, taskid);
                metric(arr, "FullLoadThroughputRowsTarget", "Count/Second", rps, t, riid, taskid);
                n += 2;
            } else if (cdc) {
                double src, tgt;
                cdc_latency(faults, doc, jstr(row, "account"), t, &src, &tgt);
                metric(arr, "CDCLatencySource", "Seconds", src, t, riid, taskid);
                metric(arr, "CDCLatencyTarget", "Seconds", tgt, t, riid, taskid);
                metric(arr, "CDCIncomingChanges", "Count", floor(cdc_rate * tgt), t, riid, taskid);
                metric(arr, "CDCThroughputRowsSource", "Count/Second", cdc_rate, t, riid, taskid);
                metric(arr, "CDCThroughputRowsTarget", "Count/Second", tgt > 60 ? 0 : cdc_rate, t, riid,
                       taskid);
                n += 5;
            }
        }
        free(ts);
    }
    cJSON_Delete(faults);
    cJSON_Delete(rows);
    sim_unlock(s);
    return n;
}
