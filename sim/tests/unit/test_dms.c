/*
 * test_dms.c — DMS simulated behaviour on an in-memory sim with a virtual clock: replication
 * instance and task lifecycles over virtual time, full-load progress from table specs, CDC,
 * stop/resume/reload, wrong-state errors, table-mapping validation, faults (task failure at a
 * time, CDC lag, endpoint connection failures), metrics and serverless replications.
 */
#include <stdio.h>

#include "services/dms.h"
#include "testutil.h"

static sim_t *S;
static char RI[256], SRC[256], TGT[256];

static void setup(void) {
    S = test_sim();
}
static void teardown(void) {
    test_sim_free(S);
}

static cJSON *call(const char *op, const char *json, sim_error_t *e) {
    cJSON *out = NULL;
    return test_call(S, "dms", TEST_ACCOUNT, op, json, &out, e) ? NULL : out;
}

static cJSON *ok(const char *op, const char *json) {
    sim_error_t e;
    cJSON *out = call(op, json, &e);
    cr_assert_not_null(out, "%s failed: %s %s", op, e.code, e.message);
    return out;
}

static void fails(const char *op, const char *json, const char *code, const char *msg_part) {
    sim_error_t e;
    cJSON *out = call(op, json, &e);
    cr_assert_null(out, "%s unexpectedly succeeded", op);
    cr_assert_str_eq(e.code, code, "%s: got %s (%s)", op, e.code, e.message);
    if (msg_part)
        cr_assert(strstr(e.message, msg_part), "%s: message '%s' lacks '%s'", op, e.message, msg_part);
}

static void advance(int seconds) {
    clock_advance(S, (int64_t)seconds * 1000);
}

static const char *MAP_ALL = "{\\\"rules\\\":[{\\\"rule-type\\\":\\\"selection\\\",\\\"rule-id\\\":\\\"1\\\","
                             "\\\"rule-name\\\":\\\"1\\\","
                             "\\\"object-locator\\\":{\\\"schema-name\\\":\\\"public\\\",\\\"table-name\\\":"
                             "\\\"%\\\"},\\\"rule-action\\\":"
                             "\\\"include\\\"}]}";

/* An available replication instance and a source/target endpoint pair. */
static void infra(void) {
    cJSON *o =
        ok("CreateReplicationInstance",
           "{\"ReplicationInstanceIdentifier\":\"ri1\",\"ReplicationInstanceClass\":\"dms.t3.medium\"}");
    cJSON *ri = cJSON_GetObjectItem(o, "ReplicationInstance");
    cr_assert_str_eq(jstr(ri, "ReplicationInstanceStatus"), "creating");
    snprintf(RI, sizeof RI, "%s", jstr(ri, "ReplicationInstanceArn"));
    cJSON_Delete(o);
    advance(300);
    o = ok(
        "CreateEndpoint",
        "{\"EndpointIdentifier\":\"src\",\"EndpointType\":\"source\",\"EngineName\":\"postgres\","
        "\"ServerName\":\"db\",\"Port\":5432,\"DatabaseName\":\"d\",\"Username\":\"u\",\"Password\":\"p\"}");
    snprintf(SRC, sizeof SRC, "%s", jstr(cJSON_GetObjectItem(o, "Endpoint"), "EndpointArn"));
    cJSON_Delete(o);
    o = ok(
        "CreateEndpoint",
        "{\"EndpointIdentifier\":\"tgt\",\"EndpointType\":\"target\",\"EngineName\":\"aurora-postgresql\","
        "\"ServerName\":\"db2\",\"Port\":5432,\"DatabaseName\":\"d\",\"Username\":\"u\",\"Password\":\"p\"}");
    snprintf(TGT, sizeof TGT, "%s", jstr(cJSON_GetObjectItem(o, "Endpoint"), "EndpointArn"));
    cJSON_Delete(o);
}

static char *create_task(const char *id, const char *type, const char *settings) {
    char buf[4096];
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationTaskIdentifier\":\"%s\",\"SourceEndpointArn\":\"%s\",\"TargetEndpointArn\":\"%s\","
        "\"ReplicationInstanceArn\":\"%s\",\"MigrationType\":\"%s\",\"TableMappings\":\"%s\"%s%s%s}",
        id, SRC, TGT, RI, type, MAP_ALL, settings ? ",\"ReplicationTaskSettings\":\"" : "",
        settings ? settings : "", settings ? "\"" : "");
    cJSON *o = ok("CreateReplicationTask", buf);
    char *arn = strdup(jstr(cJSON_GetObjectItem(o, "ReplicationTask"), "ReplicationTaskArn"));
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(o, "ReplicationTask"), "Status"), "creating");
    cJSON_Delete(o);
    return arn;
}

static void set_tables(const char *task, const char *tables_json) {
    char buf[4096];
    snprintf(buf, sizeof buf, "{\"task\":\"%s\",\"tables\":%s}", task, tables_json);
    cJSON *spec = cJSON_Parse(buf);
    sim_error_t e;
    memset(&e, 0, sizeof e);
    cr_assert_eq(dms_set_tables(S, spec, &e), 0, "set_tables: %s", e.message);
    cJSON_Delete(spec);
}

static cJSON *describe_task(const char *arn) {
    char buf[600];
    snprintf(buf, sizeof buf, "{\"Filters\":[{\"Name\":\"replication-task-arn\",\"Values\":[\"%s\"]}]}", arn);
    cJSON *o = ok("DescribeReplicationTasks", buf);
    cJSON *t = cJSON_Duplicate(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "ReplicationTasks"), 0), 1);
    cJSON_Delete(o);
    return t;
}

static void expect_status(const char *arn, const char *status) {
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), status);
    cJSON_Delete(t);
}

static int stat_of(const char *arn, const char *key) {
    cJSON *t = describe_task(arn);
    int v = jint(cJSON_GetObjectItem(t, "ReplicationTaskStats"), key, -1);
    cJSON_Delete(t);
    return v;
}

static void task_op(const char *op, const char *arn, const char *extra) {
    char buf[600];
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\"%s}", arn, extra ? extra : "");
    cJSON_Delete(ok(op, buf));
}

static void start_task(const char *arn, const char *type) {
    char extra[100];
    snprintf(extra, sizeof extra, ",\"StartReplicationTaskType\":\"%s\"", type);
    task_op("StartReplicationTask", arn, extra);
}

TestSuite(dms, .init = setup, .fini = teardown);

Test(dms, replication_instance_becomes_available_after_five_minutes) {
    cJSON *o =
        ok("CreateReplicationInstance",
           "{\"ReplicationInstanceIdentifier\":\"My-RI\",\"ReplicationInstanceClass\":\"dms.r5.large\"}");
    const char *arn = jstr(cJSON_GetObjectItem(o, "ReplicationInstance"), "ReplicationInstanceArn");
    cr_assert(strncmp(arn, "arn:aws:dms:us-east-1:111111111111:rep:", 39) == 0);
    cr_assert_eq(strlen(arn + 39), 26);
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(o, "ReplicationInstance"), "ReplicationInstanceIdentifier"),
                     "my-ri");
    cJSON_Delete(o);
    advance(299);
    o = ok("DescribeReplicationInstances", "{}");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "ReplicationInstances"), 0),
                          "ReplicationInstanceStatus"),
                     "creating");
    cJSON_Delete(o);
    advance(1);
    o = ok("DescribeReplicationInstances", "{}");
    cJSON *ri = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "ReplicationInstances"), 0);
    cr_assert_str_eq(jstr(ri, "ReplicationInstanceStatus"), "available");
    cr_assert_not_null(jstr(ri, "ReplicationInstancePrivateIpAddress"));
    cJSON_Delete(o);
    fails("CreateReplicationInstance",
          "{\"ReplicationInstanceIdentifier\":\"my-ri\",\"ReplicationInstanceClass\":\"dms.r5.large\"}",
          "ResourceAlreadyExistsFault", NULL);
    fails("CreateReplicationInstance",
          "{\"ReplicationInstanceIdentifier\":\"1bad\",\"ReplicationInstanceClass\":\"dms.r5.large\"}",
          "InvalidParameterValueException", "must begin with a letter");
    fails("CreateReplicationInstance",
          "{\"ReplicationInstanceIdentifier\":\"a--b\",\"ReplicationInstanceClass\":\"dms.r5.large\"}",
          "InvalidParameterValueException", "two consecutive hyphens");
    fails("CreateReplicationInstance",
          "{\"ReplicationInstanceIdentifier\":\"ok\",\"ReplicationInstanceClass\":\"dms.x9.huge\"}",
          "InvalidParameterValueException", "dms.x9.huge");
}

Test(dms, full_load_task_lifecycle_progress_and_self_stop) {
    infra();
    char *arn = create_task("Task-1", "full-load", NULL);
    expect_status(arn, "creating");
    /* AWS rule: a task cannot start before it is ready */
    char extra[] = ",\"StartReplicationTaskType\":\"start-replication\"";
    char buf[600];
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\"%s}", arn, extra);
    fails("StartReplicationTask", buf, "InvalidResourceStateFault",
          "Replication Task cannot be started, invalid state");
    advance(30);
    expect_status(arn, "ready");
    /* two tables of 100,000 rows at 1,000 rows/s -> 100 s in parallel */
    set_tables(arn, "[{\"schema\":\"public\",\"table\":\"a\",\"rows\":100000,\"rowsPerSecond\":1000},"
                    "{\"schema\":\"public\",\"table\":\"b\",\"rows\":100000,\"rowsPerSecond\":1000}]");
    start_task(arn, "start-replication");
    expect_status(arn, "starting");
    advance(15);
    expect_status(arn, "running");
    advance(25);
    cr_assert_eq(stat_of(arn, "FullLoadProgressPercent"), 25);
    cr_assert_eq(stat_of(arn, "TablesLoading"), 2);
    cr_assert_eq(stat_of(arn, "ElapsedTimeMillis"), 25000);
    advance(50);
    cr_assert_eq(stat_of(arn, "FullLoadProgressPercent"), 75);
    advance(25);
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "stopped");
    cr_assert_str_eq(jstr(t, "StopReason"), "Stop Reason FULL_LOAD_ONLY_FINISHED");
    cJSON *st = cJSON_GetObjectItem(t, "ReplicationTaskStats");
    cr_assert_eq(jint(st, "FullLoadProgressPercent", -1), 100);
    cr_assert_eq(jint(st, "TablesLoaded", -1), 2);
    cr_assert_not_null(cJSON_GetObjectItem(st, "FullLoadFinishDate"));
    cr_assert_eq(jnum(st, "FullLoadFinishDate", 0) - jnum(st, "FullLoadStartDate", 0), 100);
    cJSON_Delete(t);
    /* AWS rule: start-replication only for a task that never ran */
    fails("StartReplicationTask", buf, "InvalidResourceStateFault", "START_REPLICATION");
    free(arn);
}

Test(dms, subtasks_limit_parallel_tables_and_table_statistics) {
    infra();
    char *arn = create_task("t2", "full-load", "{\\\"FullLoadSettings\\\":{\\\"MaxFullLoadSubTasks\\\":2}}");
    advance(30);
    set_tables(arn, "[{\"schema\":\"s\",\"table\":\"t1\",\"rows\":1000,\"rowsPerSecond\":100},"
                    "{\"schema\":\"s\",\"table\":\"t2\",\"rows\":1000,\"rowsPerSecond\":100},"
                    "{\"schema\":\"s\",\"table\":\"t3\",\"rows\":1000,\"rowsPerSecond\":100}]");
    start_task(arn, "start-replication");
    advance(15 + 5);
    cr_assert_eq(stat_of(arn, "TablesLoading"), 2);
    cr_assert_eq(stat_of(arn, "TablesQueued"), 1);
    advance(10);
    char buf[400];
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\"}", arn);
    cJSON *o = ok("DescribeTableStatistics", buf);
    cJSON *ts = cJSON_GetObjectItem(o, "TableStatistics");
    cr_assert_eq(cJSON_GetArraySize(ts), 3);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ts, 0), "TableState"), "Table completed");
    cr_assert_eq(jint(cJSON_GetArrayItem(ts, 0), "FullLoadRows", -1), 1000);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ts, 2), "TableState"), "Full load");
    cr_assert_eq(jint(cJSON_GetArrayItem(ts, 2), "FullLoadRows", -1), 500);
    cJSON_Delete(o);
    advance(2);
    snprintf(buf, sizeof buf,
             "{\"ReplicationTaskArn\":\"%s\",\"Filters\":[{\"Name\":\"table-name\",\"Values\":[\"t3\"]}]}",
             arn);
    o = ok("DescribeTableStatistics", buf);
    ts = cJSON_GetObjectItem(o, "TableStatistics");
    cr_assert_eq(cJSON_GetArraySize(ts), 1);
    cr_assert_eq(jint(cJSON_GetArrayItem(ts, 0), "FullLoadRows", -1), 700);
    cJSON_Delete(o);
    free(arn);
}

Test(dms, full_load_and_cdc_keeps_running_with_changes) {
    infra();
    char *arn = create_task("cdc-task", "full-load-and-cdc", NULL);
    advance(30);
    set_tables(arn, "[{\"schema\":\"public\",\"table\":\"orders\",\"rows\":5000,\"rowsPerSecond\":500,"
                    "\"cdcInsertsPerSecond\":10,\"cdcUpdatesPerSecond\":2}]");
    start_task(arn, "start-replication");
    advance(15 + 10 + 60);
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "running");
    cr_assert_eq(jint(cJSON_GetObjectItem(t, "ReplicationTaskStats"), "FullLoadProgressPercent", -1), 100);
    cr_assert_null(cJSON_GetObjectItem(t, "StopReason"));
    cr_assert(strncmp(jstr(t, "RecoveryCheckpoint"), "checkpoint:V1#", 14) == 0);
    cJSON_Delete(t);
    char buf[400];
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\"}", arn);
    cJSON *o = ok("DescribeTableStatistics", buf);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "TableStatistics"), 0);
    cr_assert_eq(jint(row, "Inserts", -1), 600);
    cr_assert_eq(jint(row, "Updates", -1), 120);
    cr_assert_eq(jint(row, "FullLoadRows", -1), 5000);
    cr_assert_str_eq(jstr(row, "TableState"), "Table completed");
    cJSON_Delete(o);
    free(arn);
}

Test(dms, stop_resume_and_reload_target) {
    infra();
    char *arn = create_task("t3", "full-load", NULL);
    advance(30);
    set_tables(arn, "[{\"schema\":\"s\",\"table\":\"big\",\"rows\":100000,\"rowsPerSecond\":1000}]");
    start_task(arn, "start-replication");
    advance(15 + 40);
    task_op("StopReplicationTask", arn, NULL);
    expect_status(arn, "stopping");
    advance(10);
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "stopped");
    cr_assert_str_eq(jstr(t, "StopReason"), "Stop Reason NORMAL");
    cr_assert_eq(jint(cJSON_GetObjectItem(t, "ReplicationTaskStats"), "FullLoadProgressPercent", -1), 40);
    cJSON_Delete(t);
    char buf[400];
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\"}", arn);
    fails("StopReplicationTask", buf, "InvalidResourceStateFault", "is not currently running");
    start_task(arn, "resume-processing");
    advance(15 + 10);
    cr_assert_eq(stat_of(arn, "FullLoadProgressPercent"), 50);
    /* FreshStartDate follows the resume, StartDate stays at the fresh start */
    cJSON *rt = describe_task(arn);
    cJSON *rs = cJSON_GetObjectItem(rt, "ReplicationTaskStats");
    cr_assert_gt(jnum(rs, "FreshStartDate", 0), jnum(rs, "StartDate", 0) + 60);
    cJSON_Delete(rt);
    task_op("StopReplicationTask", arn, NULL);
    advance(10);
    start_task(arn, "reload-target");
    advance(15 + 10);
    cr_assert_eq(stat_of(arn, "FullLoadProgressPercent"), 10);
    advance(90);
    expect_status(arn, "stopped");
    free(arn);
}

Test(dms, wrong_state_errors) {
    infra();
    char *arn = create_task("t4", "full-load-and-cdc", NULL);
    char buf[400];
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\"}", arn);
    fails("ReloadTables",
          "{\"ReplicationTaskArn\":\"arn:aws:dms:us-east-1:111111111111:task:NOPE\",\"TablesToReload\":[]}",
          "ResourceNotFoundFault", "not found");
    advance(30);
    start_task(arn, "start-replication");
    advance(15);
    fails("DeleteReplicationTask", buf, "InvalidResourceStateFault", "before trying to delete it");
    snprintf(buf, sizeof buf,
             "{\"ReplicationTaskArn\":\"%s\",\"StartReplicationTaskType\":\"resume-processing\"}", arn);
    fails("StartReplicationTask", buf, "InvalidResourceStateFault", "invalid state");
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\",\"MigrationType\":\"cdc\"}", arn);
    fails("ModifyReplicationTask", buf, "InvalidResourceStateFault", "running");
    snprintf(buf, sizeof buf, "{\"ReplicationInstanceArn\":\"%s\"}", RI);
    fails("DeleteReplicationInstance", buf, "InvalidResourceStateFault", "tasks");
    snprintf(buf, sizeof buf, "{\"EndpointArn\":\"%s\"}", SRC);
    fails("DeleteEndpoint", buf, "InvalidResourceStateFault", NULL);
    snprintf(buf, sizeof buf, "{\"EndpointArn\":\"%s\",\"Port\":5433}", SRC);
    fails("ModifyEndpoint", buf, "InvalidResourceStateFault", "Stop the task");
    /* reload while running works and marks the table reloaded */
    snprintf(buf, sizeof buf,
             "{\"ReplicationTaskArn\":\"%s\",\"TablesToReload\":[{\"SchemaName\":\"public\",\"TableName\":"
             "\"table_1\"}]}",
             arn);
    cJSON_Delete(ok("ReloadTables", buf));
    advance(1);
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationTaskArn\":\"%s\",\"Filters\":[{\"Name\":\"table-name\",\"Values\":[\"table_1\"]}]}",
        arn);
    cJSON *o = ok("DescribeTableStatistics", buf);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "TableStatistics"), 0);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(row, "FullLoadReloaded")));
    cr_assert_eq(jint(row, "FullLoadRows", -1), 5000);
    cJSON_Delete(o);
    task_op("StopReplicationTask", arn, NULL);
    advance(10);
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationTaskArn\":\"%s\",\"TablesToReload\":[{\"SchemaName\":\"a\",\"TableName\":\"b\"}]}",
        arn);
    fails("ReloadTables", buf, "InvalidResourceStateFault", "running");
    task_op("DeleteReplicationTask", arn, NULL);
    expect_status(arn, "deleting");
    advance(10);
    snprintf(buf, sizeof buf, "{\"Filters\":[{\"Name\":\"replication-task-arn\",\"Values\":[\"%s\"]}]}", arn);
    fails("DescribeReplicationTasks", buf, "ResourceNotFoundFault", "No Tasks found");
    free(arn);
}

Test(dms, table_mappings_are_validated) {
    infra();
    char buf[4096];
    const char *bad[][2] = {
        {"not json", "Invalid table mappings"},
        {"{\\\"norules\\\":1}", "rules"},
        {"{\\\"rules\\\":[{\\\"rule-type\\\":\\\"selection\\\",\\\"rule-id\\\":\\\"1\\\",\\\"rule-name\\\":"
         "\\\"1\\\","
         "\\\"object-locator\\\":{\\\"schema-name\\\":\\\"s\\\",\\\"table-name\\\":\\\"t\\\"},\\\"rule-"
         "action\\\":\\\"keep\\\"}]}",
         "ruleId = 1"},
        {"{\\\"rules\\\":[{\\\"rule-type\\\":\\\"magic\\\",\\\"rule-id\\\":\\\"7\\\",\\\"rule-name\\\":"
         "\\\"1\\\","
         "\\\"object-locator\\\":{\\\"schema-name\\\":\\\"s\\\",\\\"table-name\\\":\\\"t\\\"},\\\"rule-"
         "action\\\":\\\"include\\\"}]}",
         "ruleId = 7"},
        {"{\\\"rules\\\":[{\\\"rule-type\\\":\\\"selection\\\",\\\"rule-id\\\":\\\"1\\\",\\\"rule-name\\\":"
         "\\\"1\\\","
         "\\\"object-locator\\\":{\\\"schema-name\\\":\\\"s\\\",\\\"table-name\\\":\\\"t\\\"},\\\"rule-"
         "action\\\":\\\"exclude\\\"}]}",
         "selection rule"},
        {"{\\\"rules\\\":[{\\\"rule-type\\\":\\\"selection\\\",\\\"rule-id\\\":\\\"1\\\",\\\"rule-name\\\":"
         "\\\"1\\\","
         "\\\"object-locator\\\":{\\\"schema-name\\\":\\\"s\\\"},\\\"rule-action\\\":\\\"include\\\"}]}",
         "table-name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(
            buf, sizeof buf,
            "{\"ReplicationTaskIdentifier\":\"bad%zu\",\"SourceEndpointArn\":\"%s\",\"TargetEndpointArn\":\"%"
            "s\","
            "\"ReplicationInstanceArn\":\"%s\",\"MigrationType\":\"full-load\",\"TableMappings\":\"%s\"}",
            i, SRC, TGT, RI, bad[i][0]);
        fails("CreateReplicationTask", buf, "InvalidParameterValueException", bad[i][1]);
    }
    /* settings: MaxFullLoadSubTasks out of range */
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationTaskIdentifier\":\"bads\",\"SourceEndpointArn\":\"%s\",\"TargetEndpointArn\":\"%s\","
        "\"ReplicationInstanceArn\":\"%s\",\"MigrationType\":\"full-load\",\"TableMappings\":\"%s\","
        "\"ReplicationTaskSettings\":\"{\\\"FullLoadSettings\\\":{\\\"MaxFullLoadSubTasks\\\":99}}\"}",
        SRC, TGT, RI, MAP_ALL);
    fails("CreateReplicationTask", buf, "InvalidParameterValueException", "MaxFullLoadSubTasks");
    /* source and target swapped */
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationTaskIdentifier\":\"swap\",\"SourceEndpointArn\":\"%s\",\"TargetEndpointArn\":\"%s\","
        "\"ReplicationInstanceArn\":\"%s\",\"MigrationType\":\"full-load\",\"TableMappings\":\"%s\"}",
        TGT, SRC, RI, MAP_ALL);
    fails("CreateReplicationTask", buf, "InvalidParameterValueException", "source");
    /* unknown endpoint */
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationTaskIdentifier\":\"nope\",\"SourceEndpointArn\":\"%s:x\",\"TargetEndpointArn\":\"%s\","
        "\"ReplicationInstanceArn\":\"%s\",\"MigrationType\":\"full-load\",\"TableMappings\":\"%s\"}",
        SRC, TGT, RI, MAP_ALL);
    fails("CreateReplicationTask", buf, "ResourceNotFoundFault", "not found");
}

Test(dms, task_fails_fault_fires_at_its_time_without_describe) {
    infra();
    char *arn = create_task("victim", "full-load-and-cdc", NULL);
    advance(30);
    set_tables(arn, "[{\"schema\":\"s\",\"table\":\"huge\",\"rows\":10000000,\"rowsPerSecond\":5000}]");
    start_task(arn, "start-replication");
    char fj[600];
    char when[32];
    fmt_iso8601(clock_now_ms(S) + 60000, when);
    snprintf(fj, sizeof fj,
             "{\"service\":\"dms\",\"task\":\"victim\",\"kind\":\"task-fails\",\"at\":\"%s\",\"message\":"
             "\"boom\"}",
             when);
    cJSON *f = cJSON_Parse(fj);
    sim_error_t e;
    memset(&e, 0, sizeof e);
    cr_assert_gt(dms_fault_add(S, f, &e), 0, "%s", e.message);
    cJSON_Delete(f);
    advance(59);
    expect_status(arn, "running");
    advance(1); /* the timer fires on its own */
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "failed");
    cr_assert_str_eq(jstr(t, "LastFailureMessage"), "boom");
    cr_assert_str_eq(jstr(t, "StopReason"), "Stop Reason FATAL_ERROR");
    cr_assert_gt(jint(cJSON_GetObjectItem(t, "ReplicationTaskStats"), "TablesErrored", 0), 0);
    cJSON_Delete(t);
    cJSON *list = dms_faults_json(S);
    cr_assert_eq(jint(cJSON_GetArrayItem(list, 0), "fired", 0), 1);
    cJSON_Delete(list);
    /* fired once: resuming works */
    start_task(arn, "resume-processing");
    advance(15);
    expect_status(arn, "running");
    cr_assert_eq(dms_fault_clear(S, NULL), 1);
    free(arn);
}

Test(dms, lag_fault_spikes_cdc_latency_metrics) {
    infra();
    char *arn = create_task("lagging", "cdc", NULL);
    advance(30);
    start_task(arn, "start-replication");
    int64_t t0 = clock_now_ms(S);
    char fj[600], from[32], until[32];
    fmt_iso8601(t0 + 5 * 60000, from);
    fmt_iso8601(t0 + 10 * 60000, until);
    snprintf(fj, sizeof fj,
             "{\"service\":\"dms\",\"task\":\"%s\",\"kind\":\"lag\",\"seconds\":900,\"from\":\"%s\","
             "\"until\":\"%s\"}",
             arn, from, until);
    cJSON *f = cJSON_Parse(fj);
    sim_error_t e;
    cr_assert_gt(dms_fault_add(S, f, &e), 0);
    cJSON_Delete(f);
    advance(15 * 60);
    cJSON *arr = cJSON_CreateArray();
    cr_assert_gt(dms_metrics_json(S, TEST_ACCOUNT, "us-east-1", arr), 0);
    int spikes = 0, normal = 0;
    cJSON *m;
    cJSON_ArrayForEach(m, arr) {
        if (strcmp(jstr(m, "MetricName"), "CDCLatencyTarget") != 0) continue;
        int64_t ts = parse_iso8601(jstr(m, "Timestamp"));
        double v = jnum(m, "Value", -1);
        if (ts >= t0 + 5 * 60000 && ts < t0 + 10 * 60000) {
            cr_assert_eq(v, 900, "at %s: %f", jstr(m, "Timestamp"), v);
            spikes++;
        } else {
            cr_assert_eq(v, 2);
            normal++;
        }
        const cJSON *dims = cJSON_GetObjectItem(m, "Dimensions");
        cr_assert_str_eq(jstr(cJSON_GetArrayItem(dims, 0), "Value"), "ri1");
        cr_assert_str_eq(jstr(cJSON_GetArrayItem(dims, 1), "Value"), strrchr(arn, ':') + 1);
    }
    cr_assert_eq(spikes, 5);
    cr_assert_gt(normal, 5);
    cJSON_Delete(arr);
    /* during a spike the target has applied fewer changes than the source captured */
    f = cJSON_Parse("{\"service\":\"dms\",\"task\":\"lagging\",\"kind\":\"lag\",\"seconds\":102}");
    cr_assert_gt(dms_fault_add(S, f, &e), 0);
    cJSON_Delete(f);
    char buf[400];
    snprintf(buf, sizeof buf, "{\"ReplicationTaskArn\":\"%s\"}", arn);
    cJSON *o = ok("DescribeTableStatistics", buf);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "TableStatistics"), 0);
    cr_assert_eq(jint(row, "Inserts", -1) - jint(row, "AppliedInserts", -1), 100);
    cJSON_Delete(o);
    free(arn);
}

Test(dms, connection_test_succeeds_or_fails_by_fault) {
    infra();
    char buf[600];
    snprintf(buf, sizeof buf, "{\"ReplicationInstanceArn\":\"%s\",\"EndpointArn\":\"%s\"}", RI, SRC);
    cJSON *o = ok("TestConnection", buf);
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(o, "Connection"), "Status"), "testing");
    cJSON_Delete(o);
    advance(15);
    o = ok("DescribeConnections", "{}");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Connections"), 0), "Status"),
                     "successful");
    cJSON_Delete(o);
    cJSON *f = cJSON_Parse(
        "{\"service\":\"dms\",\"endpoint\":\"src\",\"kind\":\"connection-fails\",\"message\":\"no route\"}");
    sim_error_t e;
    cr_assert_gt(dms_fault_add(S, f, &e), 0);
    cJSON_Delete(f);
    cJSON_Delete(ok("TestConnection", buf));
    advance(15);
    o = ok("DescribeConnections", "{}");
    cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Connections"), 0);
    cr_assert_str_eq(jstr(c, "Status"), "failed");
    cr_assert_str_eq(jstr(c, "LastFailureMessage"), "no route");
    cJSON_Delete(o);
    /* a failed connection test blocks starting a task on that pair */
    char *arn = create_task("uses-src", "full-load", NULL);
    advance(30);
    snprintf(buf, sizeof buf,
             "{\"ReplicationTaskArn\":\"%s\",\"StartReplicationTaskType\":\"start-replication\"}", arn);
    fails("StartReplicationTask", buf, "InvalidResourceStateFault",
          "Test connection for replication instance ri1 and endpoint src");
    /* untested pairs are tested when the task starts: the task fails */
    snprintf(buf, sizeof buf, "{\"ReplicationInstanceArn\":\"%s\",\"EndpointArn\":\"%s\"}", RI, SRC);
    cJSON_Delete(ok("DeleteConnection", buf));
    start_task(arn, "start-replication");
    advance(15);
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "failed");
    cr_assert_str_eq(jstr(t, "LastFailureMessage"), "no route");
    cJSON_Delete(t);
    free(arn);
}

Test(dms, fault_validation) {
    const char *bad[] = {"{\"service\":\"dms\",\"kind\":\"explode\",\"task\":\"x\"}",
                         "{\"service\":\"dms\",\"kind\":\"task-fails\"}",
                         "{\"service\":\"dms\",\"kind\":\"lag\",\"task\":\"x\"}",
                         "{\"service\":\"dms\",\"kind\":\"connection-fails\"}",
                         "{\"service\":\"dms\",\"kind\":\"task-fails\",\"task\":\"x\",\"at\":\"yesterday\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *f = cJSON_Parse(bad[i]);
        sim_error_t e;
        memset(&e, 0, sizeof e);
        cr_assert_eq(dms_fault_add(S, f, &e), -1, "%s accepted", bad[i]);
        cJSON_Delete(f);
    }
    sim_error_t e;
    cJSON *spec = cJSON_Parse("{\"task\":\"missing\",\"tables\":[]}");
    cr_assert_eq(dms_set_tables(S, spec, &e), -1);
    cr_assert_str_eq(e.code, "ResourceNotFoundFault");
    cJSON_Delete(spec);
}

Test(dms, serverless_replication_lifecycle) {
    infra();
    char buf[4096];
    snprintf(
        buf, sizeof buf,
        "{\"ReplicationConfigIdentifier\":\"cfg1\",\"SourceEndpointArn\":\"%s\",\"TargetEndpointArn\":\"%s\","
        "\"ComputeConfig\":{\"MaxCapacityUnits\":16},\"ReplicationType\":\"full-load\",\"TableMappings\":\"%"
        "s\"}",
        SRC, TGT, MAP_ALL);
    cJSON *o = ok("CreateReplicationConfig", buf);
    char arn[256];
    snprintf(arn, sizeof arn, "%s",
             jstr(cJSON_GetObjectItem(o, "ReplicationConfig"), "ReplicationConfigArn"));
    cJSON_Delete(o);
    snprintf(buf, sizeof buf, "{\"ReplicationConfigArn\":\"%s\",\"StartReplicationType\":\"bogus\"}", arn);
    fails("StartReplication", buf, "InvalidParameterValueException", "StartReplicationType");
    snprintf(buf, sizeof buf,
             "{\"ReplicationConfigArn\":\"%s\",\"StartReplicationType\":\"start-replication\","
             "\"PremigrationAssessmentSettings\":\"{\\\"ServiceAccessRoleArn\\\":"
             "\\\"arn:aws:iam::111111111111:role/r\\\",\\\"ResultLocationBucket\\\":\\\"b\\\"}\"}",
             arn);
    o = ok("StartReplication", buf);
    cJSON *pa = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(o, "Replication"), "PremigrationAssessmentStatuses"), 0);
    cr_assert_str_eq(jstr(pa, "Status"), "running");
    cr_assert_str_eq(jstr(pa, "ResultLocationBucket"), "b");
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(o, "Replication"), "Status"), "initializing");
    cJSON_Delete(o);
    advance(120);
    o = ok("DescribeReplications", "{}");
    cJSON *rep = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Replications"), 0);
    cr_assert_str_eq(jstr(rep, "Status"), "running");
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(rep, "ProvisionData"), "ProvisionState"), "provisioned");
    cr_assert_str_eq(
        jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(rep, "PremigrationAssessmentStatuses"), 0), "Status"),
        "passed");
    cJSON_Delete(o);
    snprintf(buf, sizeof buf, "{\"ReplicationConfigArn\":\"%s\"}", arn);
    fails("DeleteReplicationConfig", buf, "InvalidResourceStateFault", "running");
    advance(60); /* 3 default tables of 100,000 rows at 5,000 rows/s: 20 s */
    o = ok("DescribeReplications", "{}");
    rep = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Replications"), 0);
    cr_assert_str_eq(jstr(rep, "Status"), "stopped");
    cr_assert_eq(jint(cJSON_GetObjectItem(rep, "ReplicationStats"), "FullLoadProgressPercent", -1), 100);
    cJSON_Delete(o);
    o = ok("DescribeReplicationTableStatistics", buf);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "ReplicationTableStatistics")), 3);
    cJSON_Delete(o);
    cJSON_Delete(ok("DeleteReplicationConfig", buf));
}

Test(dms, tags_filters_and_paging) {
    infra();
    char buf[600];
    snprintf(buf, sizeof buf,
             "{\"ResourceArn\":\"%s\",\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"},{\"Key\":\"team\","
             "\"Value\":\"db\"}]}",
             SRC);
    cJSON_Delete(ok("AddTagsToResource", buf));
    snprintf(buf, sizeof buf, "{\"ResourceArn\":\"%s\",\"TagKeys\":[\"team\"]}", SRC);
    cJSON_Delete(ok("RemoveTagsFromResource", buf));
    snprintf(buf, sizeof buf, "{\"ResourceArn\":\"%s\"}", SRC);
    cJSON *o = ok("ListTagsForResource", buf);
    cJSON *tl = cJSON_GetObjectItem(o, "TagList");
    cr_assert_eq(cJSON_GetArraySize(tl), 1);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(tl, 0), "Value"), "prod");
    cJSON_Delete(o);
    fails("ListTagsForResource", "{\"ResourceArn\":\"arn:aws:dms:us-east-1:111111111111:endpoint:NOPE\"}",
          "ResourceNotFoundFault", NULL);
    fails("DescribeEndpoints", "{\"Filters\":[{\"Name\":\"bogus\",\"Values\":[\"x\"]}]}",
          "InvalidParameterValueException", "bogus");
    o = ok("DescribeEndpoints", "{\"Filters\":[{\"Name\":\"endpoint-type\",\"Values\":[\"target\"]}]}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Endpoints")), 1);
    cJSON_Delete(o);
    fails("DescribeEndpoints", "{\"MaxRecords\":5}", "InvalidParameterValueException", "MaxRecords");
    for (int i = 0; i < 25; i++) {
        snprintf(buf, sizeof buf,
                 "{\"EndpointIdentifier\":\"e%d\",\"EndpointType\":\"target\",\"EngineName\":\"s3\"}", i);
        cJSON_Delete(ok("CreateEndpoint", buf));
    }
    o = ok("DescribeEndpoints", "{\"MaxRecords\":20}");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Endpoints")), 20);
    snprintf(buf, sizeof buf, "{\"MaxRecords\":20,\"Marker\":\"%s\"}", jstr(o, "Marker"));
    cJSON_Delete(o);
    o = ok("DescribeEndpoints", buf);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "Endpoints")), 7);
    cr_assert_null(jstr(o, "Marker"));
    cJSON_Delete(o);
}

Test(dms, subnet_groups_need_two_azs) {
    fails("CreateReplicationSubnetGroup",
          "{\"ReplicationSubnetGroupIdentifier\":\"g\",\"ReplicationSubnetGroupDescription\":\"d\","
          "\"SubnetIds\":[\"subnet-1\"]}",
          "ReplicationSubnetGroupDoesNotCoverEnoughAZs", NULL);
    fails("CreateReplicationSubnetGroup",
          "{\"ReplicationSubnetGroupIdentifier\":\"g\",\"ReplicationSubnetGroupDescription\":\"d\","
          "\"SubnetIds\":[\"vpc-1\",\"subnet-2\"]}",
          "InvalidSubnet", NULL);
    cJSON_Delete(ok("CreateReplicationSubnetGroup",
                    "{\"ReplicationSubnetGroupIdentifier\":\"g\",\"ReplicationSubnetGroupDescription\":\"d\","
                    "\"SubnetIds\":[\"subnet-1\",\"subnet-2\"]}"));
    cJSON_Delete(ok("CreateReplicationInstance",
                    "{\"ReplicationInstanceIdentifier\":\"r\",\"ReplicationInstanceClass\":\"dms.t3.small\","
                    "\"ReplicationSubnetGroupIdentifier\":\"g\"}"));
    fails("DeleteReplicationSubnetGroup", "{\"ReplicationSubnetGroupIdentifier\":\"g\"}",
          "InvalidResourceStateFault", NULL);
    fails("CreateReplicationInstance",
          "{\"ReplicationInstanceIdentifier\":\"r2\",\"ReplicationInstanceClass\":\"dms.t3.small\","
          "\"ReplicationSubnetGroupIdentifier\":\"nope\"}",
          "ResourceNotFoundFault", NULL);
}

/* A Step Functions aws-sdk task calls DMS through service_invoke: members the model does not have
 * are dropped there as at the HTTP front, so they never reach the stored document. */
Test(dms, aws_sdk_calls_drop_members_the_model_lacks) {
    req_t parent = test_req(S, "states", "StartExecution");
    cJSON *in =
        cJSON_Parse("{\"EndpointIdentifier\":\"e1\",\"EndpointType\":\"source\",\"EngineName\":"
                    "\"postgres\",\"ServerName\":\"db\",\"Port\":5432,\"DatabaseName\":\"d\",\"Bogus\":1,"
                    "\"PostgreSQLSettings\":{\"HeartbeatEnable\":true,\"Extra\":2}}");
    cJSON *out = NULL;
    sim_error_t e = {0};
    sim_lock(S);
    db_begin(S);
    int rc = service_invoke(&parent, "dms", "CreateEndpoint", in, &out, &e);
    db_commit(S);
    sim_unlock(S);
    cr_assert_eq(rc, 0, "%s %s", e.code, e.message);
    cr_assert(cJSON_GetObjectItem(in, "Bogus"), "the caller's input is left as it was");
    cJSON_Delete(out);
    cJSON_Delete(in);
    cJSON *d = ok("DescribeEndpoints", "{}");
    char *text = cJSON_PrintUnformatted(d);
    cr_assert(strstr(text, "\"e1\"") && strstr(text, "HeartbeatEnable"), "%s", text);
    cr_assert(!strstr(text, "Bogus") && !strstr(text, "\"Extra\""), "%s", text);
    free(text);
    cJSON_Delete(d);
}

Test(dms, cached_changes_settings_stop_cdc_task_after_full_load_and_new_tasks_have_zero_stats) {
    infra();
    char *arn = create_task("stopper", "full-load-and-cdc",
                            "{\\\"FullLoadSettings\\\":{\\\"StopTaskCachedChangesApplied\\\":true}}");
    cr_assert_eq(stat_of(arn, "FullLoadProgressPercent"), 0);
    cr_assert_eq(stat_of(arn, "TablesQueued"), 0);
    advance(30);
    start_task(arn, "start-replication");
    advance(15 + 20); /* 3 default tables: 100,000 rows at 5,000 rows/s in parallel */
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "stopped");
    cr_assert_str_eq(jstr(t, "StopReason"), "Stop Reason STOPPED_AFTER_CACHED_EVENTS");
    cJSON_Delete(t);
    /* resuming goes on with CDC */
    start_task(arn, "resume-processing");
    advance(15 + 60);
    expect_status(arn, "running");
    free(arn);
    /* a finished full-load task resumed stops again right away */
    arn = create_task("once", "full-load", NULL);
    advance(30);
    start_task(arn, "start-replication");
    advance(15 + 20);
    expect_status(arn, "stopped");
    start_task(arn, "resume-processing");
    advance(15);
    t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "stopped");
    cr_assert_str_eq(jstr(t, "StopReason"), "Stop Reason FULL_LOAD_ONLY_FINISHED");
    cJSON_Delete(t);
    free(arn);
}

Test(dms, resource_identifier_names_the_arn_and_must_be_unique) {
    cJSON *o = ok("CreateEndpoint",
                  "{\"EndpointIdentifier\":\"a\",\"EndpointType\":\"target\",\"EngineName\":\"s3\","
                  "\"ResourceIdentifier\":\"my-endpoint-1\"}");
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(o, "Endpoint"), "EndpointArn"),
                     "arn:aws:dms:us-east-1:111111111111:endpoint:my-endpoint-1");
    cJSON_Delete(o);
    fails("CreateEndpoint",
          "{\"EndpointIdentifier\":\"b\",\"EndpointType\":\"target\",\"EngineName\":\"s3\","
          "\"ResourceIdentifier\":\"my-endpoint-1\"}",
          "ResourceAlreadyExistsFault", "my-endpoint-1");
    fails("CreateEndpoint",
          "{\"EndpointIdentifier\":\"c\",\"EndpointType\":\"target\",\"EngineName\":\"s3\","
          "\"ResourceIdentifier\":\"9lives\"}",
          "InvalidParameterValueException", "ResourceIdentifier");
    /* target-only engines cannot be sources */
    fails("CreateEndpoint",
          "{\"EndpointIdentifier\":\"d\",\"EndpointType\":\"source\",\"EngineName\":\"dynamodb\"}",
          "InvalidParameterValueException", "source");
}

Test(dms, cdc_stop_position_stops_the_task_at_server_time) {
    infra();
    char *arn = create_task("until", "cdc", NULL);
    advance(30);
    char when[32], extra[200];
    fmt_iso8601(clock_now_ms(S) + 10 * 60000, when);
    when[19] = 0; /* AWS accepts the time without a zone (UTC) */
    snprintf(extra, sizeof extra,
             ",\"StartReplicationTaskType\":\"start-replication\",\"CdcStopPosition\":\"server_time:%s\"",
             when);
    task_op("StartReplicationTask", arn, extra);
    advance(9 * 60);
    expect_status(arn, "running");
    advance(60);
    cJSON *t = describe_task(arn);
    cr_assert_str_eq(jstr(t, "Status"), "stopped");
    cr_assert_str_eq(jstr(t, "StopReason"), "Stop Reason STOPPED_AT_SERVER_TIME");
    cr_assert(strncmp(jstr(t, "CdcStopPosition"), "server_time:", 12) == 0);
    cJSON_Delete(t);
    free(arn);
}

Test(dms, table_fails_fault_errors_one_table_until_reloaded) {
    infra();
    char *arn = create_task("tbl", "full-load-and-cdc", NULL);
    advance(30);
    start_task(arn, "start-replication");
    advance(15 + 30);
    cJSON *f = cJSON_Parse("{\"service\":\"dms\",\"task\":\"tbl\",\"kind\":\"table-fails\",\"schema\":"
                           "\"public\",\"table\":\"table_2\"}");
    sim_error_t e;
    memset(&e, 0, sizeof e);
    cr_assert_gt(dms_fault_add(S, f, &e), 0, "%s", e.message);
    cJSON_Delete(f);
    expect_status(arn, "running");
    cr_assert_eq(stat_of(arn, "TablesErrored"), 1);
    cr_assert_eq(stat_of(arn, "TablesLoaded"), 2);
    char buf[400];
    snprintf(buf, sizeof buf,
             "{\"ReplicationTaskArn\":\"%s\",\"Filters\":[{\"Name\":\"table-state\",\"Values\":[\"Table "
             "error\"]}]}",
             arn);
    cJSON *o = ok("DescribeTableStatistics", buf);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "TableStatistics"), 0), "TableName"),
                     "table_2");
    cJSON_Delete(o);
    snprintf(buf, sizeof buf,
             "{\"ReplicationTaskArn\":\"%s\",\"TablesToReload\":[{\"SchemaName\":\"public\",\"TableName\":"
             "\"table_2\"}]}",
             arn);
    cJSON_Delete(ok("ReloadTables", buf));
    cr_assert_eq(stat_of(arn, "TablesErrored"), 0);
    free(arn);
}

Test(dms, fault_account_may_be_any_arn_of_the_account) {
    infra();
    char *arn = create_task("acct", "full-load-and-cdc", NULL);
    advance(30);
    start_task(arn, "start-replication");
    advance(15);
    char fj[600];
    snprintf(fj, sizeof fj,
             "{\"service\":\"dms\",\"task\":\"%s\",\"kind\":\"task-fails\",\"message\":\"gone\","
             "\"account\":\"arn:aws:states:us-east-1:%s:stateMachine:m\",\"region\":\"us-east-1\"}",
             arn, TEST_ACCOUNT);
    cJSON *f = cJSON_Parse(fj);
    sim_error_t e;
    cr_assert_gt(dms_fault_add(S, f, &e), 0);
    cJSON_Delete(f);
    expect_status(arn, "failed");
    cJSON *list = dms_faults_json(S);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(list, 0), "account"), TEST_ACCOUNT);
    cJSON_Delete(list);
    free(arn);
}

Test(dms, kms_keys_storage_quota_and_buckets_are_checked) {
    fails("CreateReplicationInstance",
          "{\"ReplicationInstanceIdentifier\":\"k\",\"ReplicationInstanceClass\":\"dms.t3.small\","
          "\"KmsKeyId\":\"mykey\"}",
          "KMSKeyNotAccessibleFault", "mykey");
    cJSON_Delete(ok("CreateReplicationInstance",
                    "{\"ReplicationInstanceIdentifier\":\"k\",\"ReplicationInstanceClass\":"
                    "\"dms.t3.small\",\"KmsKeyId\":\"alias/aws/dms\"}"));
    for (int i = 0; i < 4; i++) {
        char buf[300];
        snprintf(buf, sizeof buf,
                 "{\"ReplicationInstanceIdentifier\":\"big%d\",\"ReplicationInstanceClass\":\"dms.r5.large\","
                 "\"AllocatedStorage\":6144}",
                 i);
        cJSON_Delete(ok("CreateReplicationInstance", buf));
    }
    fails("CreateReplicationInstance",
          "{\"ReplicationInstanceIdentifier\":\"big9\",\"ReplicationInstanceClass\":\"dms.r5.large\","
          "\"AllocatedStorage\":6144}",
          "StorageQuotaExceededFault", NULL);
}

Test(dms, task_logs_grow_while_a_logging_task_runs) {
    infra();
    char *arn = create_task("logs", "cdc", "{\\\"Logging\\\":{\\\"EnableLogging\\\":true}}");
    advance(30);
    start_task(arn, "start-replication");
    advance(15 + 100);
    char buf[400];
    snprintf(buf, sizeof buf, "{\"ReplicationInstanceArn\":\"%s\"}", RI);
    cJSON *o = ok("DescribeReplicationInstanceTaskLogs", buf);
    cJSON *l = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "ReplicationInstanceTaskLogs"), 0);
    cr_assert_str_eq(jstr(l, "ReplicationTaskName"), "logs");
    cr_assert_eq(jnum(l, "ReplicationInstanceTaskLogSize", -1), 100 * 256);
    cJSON_Delete(o);
    free(arn);
}

Test(dms, modify_endpoint_retests_its_connections) {
    infra();
    char buf[600];
    snprintf(buf, sizeof buf, "{\"ReplicationInstanceArn\":\"%s\",\"EndpointArn\":\"%s\"}", RI, TGT);
    cJSON_Delete(ok("TestConnection", buf));
    advance(15);
    snprintf(buf, sizeof buf, "{\"EndpointArn\":\"%s\",\"ServerName\":\"new-host\"}", TGT);
    cJSON *o = ok("ModifyEndpoint", buf);
    cr_assert_str_eq(jstr(cJSON_GetObjectItem(o, "Endpoint"), "ServerName"), "new-host");
    cJSON_Delete(o);
    o = ok("DescribeConnections", "{}");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Connections"), 0), "Status"), "testing");
    cJSON_Delete(o);
    advance(15);
    o = ok("DescribeConnections", "{}");
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "Connections"), 0), "Status"),
                     "successful");
    cJSON_Delete(o);
}

/* AWS rule: engine versions only move up ("AWS DMS doesn't support engine version downgrades"),
 * to another major version only with AllowMajorVersionUpgrade. */
Test(dms, engine_version_upgrades_only) {
    infra();
    char in[512];
    const char *down[] = {"3.4.7", "3.5.1", "3.5.2"};
    for (int i = 0; i < 3; i++) {
        snprintf(
            in, sizeof in,
            "{\"ReplicationInstanceArn\":\"%s\",\"EngineVersion\":\"%s\",\"AllowMajorVersionUpgrade\":true}",
            RI, down[i]);
        char want[96];
        snprintf(want, sizeof want, "Cannot find upgrade path from 3.5.3 to %s.", down[i]);
        fails("ModifyReplicationInstance", in, "InvalidParameterCombinationException", want);
    }
    snprintf(in, sizeof in, "{\"ReplicationInstanceArn\":\"%s\",\"EngineVersion\":\"3.5.4\"}", RI);
    cJSON *o = ok("ModifyReplicationInstance", in);
    cJSON *pend = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "ReplicationInstance"), "PendingModifiedValues");
    cr_assert_str_eq(jstr(pend, "EngineVersion"), "3.5.4");
    cJSON_Delete(o);
    snprintf(in, sizeof in, "{\"ReplicationInstanceArn\":\"%s\",\"EngineVersion\":\"3.5.3\"}", RI);
    o = ok("ModifyReplicationInstance", in); /* the version it runs: no change, not a downgrade */
    cJSON_Delete(o);
}
