/*
 * test_asl_history.c — the engine's history text and its fast paths, driven through the engine API
 * (sim/asl/asl.h) with a small host: events written as text while running, compact State/MapIteration
 * events expanded to AWS's objects, pending history across calls and from older documents ("ev"
 * arrays), the state index, plain Pass states (no copies, 256 KiB limit) and Map bookkeeping.
 */
#include <stdio.h>

#include "asl/asl.h"
#include "testutil.h"

static sim_t *S;

static void setup(void) {
    S = test_sim();
}

static void teardown(void) {
    test_sim_free(S);
}

/* Timers the engine asked for (the host side of Wait/Retry). */
typedef struct {
    int n;
    int64_t due[64];
    char payload[64][128];
} timers_t;

static void on_timer(void *ud, cJSON *x, int64_t due, const char *payload) {
    (void)x;
    timers_t *t = ud;
    cr_assert_lt(t->n, 64);
    t->due[t->n] = due;
    snprintf(t->payload[t->n], sizeof t->payload[t->n], "%s", payload);
    t->n++;
}

static asl_def_t *parse_ok(const char *def) {
    asl_diag_t d[4];
    int nd = 0;
    asl_def_t *p = asl_parse(def, d, 4, &nd);
    cr_assert_not_null(p, "definition refused: %s %s", nd ? d[0].code : "", nd ? d[0].message : "");
    return p;
}

/* All events of x so far (pending text), expanded as the API returns them. */
static cJSON *events(cJSON *x) {
    cJSON *ev = asl_history_pending(x);
    asl_history_absolute(x, ev);
    return ev;
}

static const cJSON *details(const cJSON *e, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(e, key);
}

/* Fire the earliest pending timer (moving the clock to it). Returns 0 when none is left. */
static int fire_next(asl_host_t *h, const asl_def_t *d, cJSON *x, timers_t *t) {
    if (!t->n) return 0;
    int best = 0;
    for (int i = 1; i < t->n; i++)
        if (t->due[i] < t->due[best]) best = i;
    int64_t due = t->due[best];
    char payload[128];
    snprintf(payload, sizeof payload, "%s", t->payload[best]);
    t->due[best] = t->due[t->n - 1];
    memcpy(t->payload[best], t->payload[t->n - 1], sizeof t->payload[best]);
    t->n--;
    if (due > clock_now_ms(S)) clock_set(S, due);
    asl_on_timer(h, d, x, payload);
    return 1;
}

Test(asl_history, text_events_expand_to_aws_objects, .init = setup, .fini = teardown) {
    asl_def_t *d =
        parse_ok("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},"
                 "\"B\":{\"Type\":\"Pass\",\"Parameters\":{\"v.$\":\"$.a\"},\"Next\":\"M\"},"
                 "\"M\":{\"Type\":\"Map\",\"ItemsPath\":\"$.v\",\"ItemProcessor\":{\"StartAt\":\"P\","
                 "\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"Next\":\"S\"},"
                 "\"S\":{\"Type\":\"Succeed\"}}}");
    /* the index knows the machine a Map's iterations run in */
    cr_assert_eq(asl_sinfo(d, 0, "M")->child, asl_child_machine(d, 0, "M", 0));
    cr_assert_gt(asl_sinfo(d, 0, "M")->child, 0);
    cr_assert_eq(asl_sinfo(d, 0, "A")->child, -1);
    asl_host_t h = {.sim = S};
    cJSON *x = asl_exec_new(d, "{\"a\":[10,\"t\\\"q\"]}", NULL, clock_now_ms(S), 0);
    asl_run(&h, d, x);
    cr_assert_str_eq(asl_status(x), "SUCCEEDED");
    cJSON *ev = events(x);
    const char *want[] = {
        "ExecutionStarted",    "PassStateEntered",    "PassStateExited",       "PassStateEntered",
        "PassStateExited",     "MapStateEntered",     "MapStateStarted",       "MapIterationStarted",
        "MapIterationStarted", "PassStateEntered",    "PassStateExited",       "MapIterationSucceeded",
        "PassStateEntered",    "PassStateExited",     "MapIterationSucceeded", "MapStateSucceeded",
        "MapStateExited",      "SucceedStateEntered", "SucceedStateExited",    "ExecutionSucceeded"};
    int n = (int)(sizeof want / sizeof *want);
    cr_assert_eq(cJSON_GetArraySize(ev), n);
    for (int i = 0; i < n; i++) {
        cJSON *e = cJSON_GetArrayItem(ev, i);
        cr_assert(cJSON_IsObject(e), "event %d is an object", i + 1);
        cr_assert_str_eq(jstr(e, "type"), want[i], "event %d", i + 1);
        cr_assert_eq(jint(e, "id", -1), i + 1);
        /* absolute epoch seconds on the virtual clock */
        cr_assert_float_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "timestamp")), TEST_EPOCH_MS / 1000.0,
                           1e-6);
    }
    /* a plain Pass: Entered and Exited carry the same JSON text, key order as AWS */
    cJSON *en = cJSON_GetArrayItem(ev, 1), *exd = cJSON_GetArrayItem(ev, 2);
    char *t = cJSON_PrintUnformatted(details(en, "stateEnteredEventDetails"));
    cr_assert_str_eq(t, "{\"name\":\"A\",\"input\":\"{\\\"a\\\":[10,\\\"t\\\\\\\"q\\\"]}\","
                        "\"inputDetails\":{\"truncated\":false}}");
    free(t);
    t = cJSON_PrintUnformatted(details(exd, "stateExitedEventDetails"));
    cr_assert_str_eq(t, "{\"name\":\"A\",\"output\":\"{\\\"a\\\":[10,\\\"t\\\\\\\"q\\\"]}\","
                        "\"outputDetails\":{\"truncated\":false}}");
    free(t);
    cr_assert_eq(jint(en, "previousEventId", -1), 0); /* as AWS: the first state points at 0 */
    cr_assert_eq(jint(exd, "previousEventId", -1), 2);
    /* Map iterations: name and index */
    const cJSON *it = details(cJSON_GetArrayItem(ev, 8), "mapIterationStartedEventDetails");
    cr_assert_str_eq(jstr(it, "name"), "M");
    cr_assert_eq(jint(it, "index", -1), 1);
    it = details(cJSON_GetArrayItem(ev, 14), "mapIterationSucceededEventDetails");
    cr_assert_eq(jint(it, "index", -1), 1);
    /* a branch's first event points at its Map's MapIterationStarted */
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 9), "previousEventId", -1), 8);
    const cJSON *mo = details(cJSON_GetArrayItem(ev, 16), "stateExitedEventDetails");
    cr_assert_str_eq(jstr(mo, "output"), "[10,\"t\\\"q\"]");
    cJSON_Delete(ev);

    /* the host takes the text once; x then counts the events as stored */
    int count = -1, stored = -1;
    char *text = asl_history_take(x, &count, &stored);
    cr_assert_not_null(text);
    cr_assert_eq(count, n);
    cr_assert_eq(stored, 0);
    cr_assert_eq(text[0], '{'); /* ExecutionStarted is an object, the next ones compact arrays */
    cr_assert_not_null(strstr(text, "[0,\"PassStateEntered\",2,0,\"A\",{\"a\":[10,\"t\\\"q\"]}]"));
    cJSON *arr; /* a JSON text once wrapped in [ ] */
    size_t tl = strlen(text);
    char *wrapped = malloc(tl + 3);
    sprintf(wrapped, "[%s]", text);
    arr = cJSON_Parse(wrapped);
    cr_assert_eq(cJSON_GetArraySize(arr), n);
    cr_assert(cJSON_IsObject(cJSON_GetArrayItem(arr, 0)));
    cr_assert(cJSON_IsArray(cJSON_GetArrayItem(arr, 1)));
    cJSON_Delete(arr);
    free(wrapped);
    free(text);
    cr_assert_null(asl_history_take(x, &count, &stored));
    cr_assert_eq(count, 0);
    cr_assert_eq(stored, n);
    cr_assert_eq(asl_history_stored(x), n);
    cJSON *none = asl_history_pending(x);
    cr_assert_eq(cJSON_GetArraySize(none), 0);
    cJSON_Delete(none);
    cJSON_Delete(x);
    asl_def_free(d);
}

Test(asl_history, pending_text_grows_across_calls_and_ids_continue, .init = setup, .fini = teardown) {
    asl_def_t *d =
        parse_ok("{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":5,\"Next\":\"P\"},"
                 "\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
    timers_t tm = {0};
    asl_host_t h = {.sim = S, .ud = &tm, .timer = on_timer};
    cJSON *x = asl_exec_new(d, "{\"k\":1}", NULL, clock_now_ms(S), 0);
    asl_run(&h, d, x);
    cr_assert_str_eq(asl_status(x), "RUNNING");
    cr_assert_eq(tm.n, 1);
    /* the host stores the first part, then the rest arrives over two more engine calls */
    int count, stored;
    char *first = asl_history_take(x, &count, &stored);
    cr_assert_eq(count, 2);
    free(first);
    cr_assert(fire_next(&h, d, x, &tm));
    cr_assert_str_eq(asl_status(x), "SUCCEEDED");
    asl_stop(&h, d, x, "E", "c"); /* no effect on a finished execution: no event */
    cJSON *ev = events(x);
    cr_assert_eq(cJSON_GetArraySize(ev), 4);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 0), "type"), "WaitStateExited");
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 0), "id", -1), 3);
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 3), "id", -1), 6);
    cr_assert_float_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 3), "timestamp")),
                       TEST_EPOCH_MS / 1000.0 + 5, 1e-6);
    cJSON_Delete(ev);
    char *rest = asl_history_take(x, &count, &stored);
    cr_assert_eq(count, 4);
    cr_assert_eq(stored, 2);
    free(rest);
    cJSON_Delete(x);

    /* two calls before the host takes anything: the second call's text is appended */
    x = asl_exec_new(d, "{}", NULL, clock_now_ms(S), 0);
    tm.n = 0;
    asl_run(&h, d, x);
    asl_stop(&h, d, x, "Err", "Cause");
    cr_assert_str_eq(asl_status(x), "ABORTED");
    ev = events(x);
    cr_assert_eq(cJSON_GetArraySize(ev), 3);
    const cJSON *ab = details(cJSON_GetArrayItem(ev, 2), "executionAbortedEventDetails");
    cr_assert_str_eq(jstr(ab, "error"), "Err");
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 2), "previousEventId", -1), 2);
    cJSON_Delete(ev);
    free(asl_history_take(x, &count, &stored));
    cr_assert_eq(count, 3);
    cJSON_Delete(x);
    asl_def_free(d);
}

Test(asl_history, documents_with_an_event_array_keep_their_events, .init = setup, .fini = teardown) {
    asl_def_t *d = parse_ok("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
    asl_host_t h = {.sim = S};
    cJSON *x = asl_exec_new(d, "{}", NULL, clock_now_ms(S), 0);
    /* documents written before the history text: unsaved events in "ev", stored ones counted in "nev" */
    cJSON_AddNumberToObject(x, "nev", 3);
    cJSON *old = cJSON_AddArrayToObject(x, "ev");
    cJSON_AddItemToArray(old,
                         cJSON_Parse("{\"timestamp\":0,\"type\":\"Legacy\",\"id\":4,\"previousEventId\":3}"));
    asl_run(&h, d, x);
    cr_assert_null(cJSON_GetObjectItem(x, "ev"));
    int count, stored;
    char *text = asl_history_take(x, &count, &stored);
    cr_assert_eq(stored, 3);
    cr_assert_eq(count, 5); /* Legacy, ExecutionStarted, Entered, Exited, Succeeded */
    const char *lead = "{\"timestamp\":0,\"type\":\"Legacy\",\"id\":4,\"previousEventId\":3},";
    cr_assert_eq(strncmp(text, lead, strlen(lead)), 0, "%s", text);
    cr_assert_not_null(strstr(text, "\"type\":\"ExecutionStarted\",\"id\":5,"));
    free(text);
    cJSON_Delete(x);

    /* an empty "ev" array is dropped */
    x = asl_exec_new(d, "{}", NULL, clock_now_ms(S), 0);
    cJSON_AddArrayToObject(x, "ev");
    asl_run(&h, d, x);
    cr_assert_null(cJSON_GetObjectItem(x, "ev"));
    free(asl_history_take(x, &count, &stored));
    cr_assert_eq(count, 4);
    cJSON_Delete(x);
    asl_def_free(d);
}

Test(asl_history, state_index, .init = setup, .fini = teardown) {
    asl_def_t *d = parse_ok(
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},"
        "\"B\":{\"Type\":\"Pass\",\"ResultPath\":null,\"Next\":\"C\"},"
        "\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"IsPresent\":true,\"Next\":\"Par\"}],"
        "\"Default\":\"F\"},\"F\":{\"Type\":\"Fail\"},"
        "\"Par\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":"
        "\"Wait\","
        "\"Seconds\":1,\"End\":true}}}],\"Next\":\"T\"},"
        "\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sns:publish\",\"Next\":\"Ok\"},"
        "\"Ok\":{\"Type\":\"Succeed\"}}}");
    const asl_sinfo_t *a = asl_sinfo(d, 0, "A");
    cr_assert_not_null(a);
    cr_assert_eq(a->type, ASL_ST_PASS);
    cr_assert(a->flags & ASL_SF_PLAIN_PASS);
    cr_assert_str_eq(a->next, "B");
    cr_assert_eq(a->st, asl_state(d, 0, "A"));
    const asl_sinfo_t *b = asl_sinfo(d, 0, "B");
    cr_assert_eq(b->type, ASL_ST_PASS);
    cr_assert_not(b->flags & ASL_SF_PLAIN_PASS, "ResultPath null is not a plain Pass");
    cr_assert_eq(asl_sinfo(d, 0, "C")->type, ASL_ST_CHOICE);
    cr_assert_null(asl_sinfo(d, 0, "C")->next);
    cr_assert_eq(asl_sinfo(d, 0, "F")->type, ASL_ST_FAIL);
    cr_assert_eq(asl_sinfo(d, 0, "Par")->type, ASL_ST_PARALLEL);
    cr_assert_eq(asl_sinfo(d, 0, "Par")->child, -1, "Parallel branches are found by asl_child_machine");
    cr_assert_eq(asl_sinfo(d, 0, "T")->type, ASL_ST_TASK);
    cr_assert_eq(asl_sinfo(d, 0, "Ok")->type, ASL_ST_SUCCEED);
    int m = asl_child_machine(d, 0, "Par", 0);
    cr_assert_gt(m, 0);
    cr_assert_eq(asl_sinfo(d, m, "W")->type, ASL_ST_WAIT);
    cr_assert_null(asl_sinfo(d, 0, "W"), "states are found in their own machine only");
    cr_assert_null(asl_sinfo(d, 0, "Nope"));
    cr_assert_null(asl_sinfo(d, 0, NULL));
    cr_assert_null(asl_sinfo(d, 7, "A"));
    cr_assert_null(asl_sinfo(d, -1, "A"));
    cr_assert_null(asl_state(d, 0, "Nope"));
    asl_def_free(d);

    /* many states: every one is found (open addressing over a table of twice their number) */
    char *big = malloc(200000);
    size_t k = (size_t)sprintf(big, "{\"StartAt\":\"S0\",\"States\":{");
    for (int i = 0; i < 500; i++)
        k += (size_t)sprintf(big + k, "%s\"S%d\":{\"Type\":\"Pass\",%s}", i ? "," : "", i,
                             i < 499 ? "\"Next\":\"S%NEXT%\"" : "\"End\":true");
    sprintf(big + k, "}}");
    /* fill in the Next names */
    char *fixed = malloc(400000);
    size_t o = 0;
    int next = 1;
    for (const char *p = big; *p; p++) {
        if (!strncmp(p, "S%NEXT%", 7)) {
            o += (size_t)sprintf(fixed + o, "S%d", next++);
            p += 6;
        } else
            fixed[o++] = *p;
    }
    fixed[o] = 0;
    d = parse_ok(fixed);
    char name[16];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "S%d", i);
        const asl_sinfo_t *si = asl_sinfo(d, 0, name);
        cr_assert_not_null(si, "%s", name);
        cr_assert_str_eq(si->name, name);
    }
    asl_host_t h = {.sim = S};
    cJSON *x = asl_exec_new(d, "{\"n\":1}", NULL, clock_now_ms(S), 0);
    asl_run(&h, d, x);
    cr_assert_str_eq(asl_status(x), "SUCCEEDED");
    int count, stored;
    free(asl_history_take(x, &count, &stored));
    cr_assert_eq(count, 1002);
    cJSON_Delete(x);
    asl_def_free(d);
    free(big);
    free(fixed);
}

Test(asl_history, plain_pass_data_limit_and_quiet_iterations, .init = setup, .fini = teardown) {
    /* the engine API takes any input: a plain Pass still refuses an output over 256 KiB */
    asl_def_t *d = parse_ok("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
    asl_host_t h = {.sim = S};
    size_t n = 300000;
    char *in = malloc(n + 16);
    memcpy(in, "{\"s\":\"", 6);
    memset(in + 6, 'x', n);
    memcpy(in + 6 + n, "\"}", 3);
    cJSON *x = asl_exec_new(d, in, NULL, clock_now_ms(S), 0);
    asl_run(&h, d, x);
    cr_assert_str_eq(asl_status(x), "FAILED");
    cr_assert_str_eq(jstr(x, "error"), "States.DataLimitExceeded");
    cJSON *ev = events(x);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, cJSON_GetArraySize(ev) - 1), "type"), "ExecutionFailed");
    cJSON_Delete(ev);
    cJSON_Delete(x);
    free(in);
    asl_def_free(d);

    /* Distributed Map iterations write no events in the parent: plain Passes print their own output */
    d = parse_ok(
        "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"ProcessorConfig\":"
        "{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},\"StartAt\":\"P\",\"States\":{\"P\":"
        "{\"Type\":\"Pass\",\"Next\":\"Q\"},\"Q\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}");
    x = asl_exec_new(d, "[1,{\"b\":2},\"c\"]", NULL, clock_now_ms(S), 0);
    asl_run(&h, d, x);
    cr_assert_str_eq(asl_status(x), "SUCCEEDED");
    char *out = cJSON_PrintUnformatted(cJSON_GetObjectItem(x, "out"));
    cr_assert_str_eq(out, "[1,{\"b\":2},\"c\"]");
    free(out);
    ev = events(x);
    for (cJSON *e = ev->child; e; e = e->next) {
        cr_assert(strncmp(jstr(e, "type"), "MapIteration", 12), "no iteration events in the parent");
        cr_assert(strncmp(jstr(e, "type"), "Pass", 4), "no iteration states in the parent");
    }
    cJSON_Delete(ev);
    cJSON_Delete(x);
    asl_def_free(d);
}

Test(asl_history, map_bookkeeping_with_concurrency_and_older_documents, .init = setup, .fini = teardown) {
    /* MaxConcurrency 2 and a Wait in each iteration: items launch as others finish, over timers */
    asl_def_t *d = parse_ok(
        "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"MaxConcurrency\":2,"
        "\"ToleratedFailureCount\":1,"
        "\"ItemProcessor\":{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{"
        "\"Variable\":"
        "\"$\",\"NumericEquals\":3,\"Next\":\"F\"}],\"Default\":\"W\"},\"F\":{\"Type\":\"Fail\",\"Error\":"
        "\"Three\"},"
        "\"W\":{\"Type\":\"Wait\",\"Seconds\":1,\"Next\":\"P\"},\"P\":{\"Type\":\"Pass\",\"End\":true}}},"
        "\"End\":true}}}");
    for (int legacy = 0; legacy < 2; legacy++) {
        timers_t tm = {0};
        asl_host_t h = {.sim = S, .ud = &tm, .timer = on_timer};
        cJSON *x = asl_exec_new(d, "[1,2,3,4,5]", NULL, clock_now_ms(S), 0);
        asl_run(&h, d, x);
        cr_assert_str_eq(asl_status(x), "RUNNING");
        if (legacy) {
            /* a Map thread saved before "nitems" existed: the item count comes from its array */
            cJSON *th = cJSON_GetObjectItem(x, "th");
            int found = 0;
            for (cJSON *t = th->child; t; t = t->next)
                if (cJSON_GetObjectItem(t, "nitems")) {
                    cJSON_DeleteItemFromObject(t, "nitems");
                    found = 1;
                }
            cr_assert(found);
        }
        int fired = 0;
        while (fire_next(&h, d, x, &tm))
            fired++;
        cr_assert_eq(fired, 4);
        cr_assert_str_eq(asl_status(x), "SUCCEEDED");
        char *out = cJSON_PrintUnformatted(cJSON_GetObjectItem(x, "out"));
        cr_assert_str_eq(out, "[1,2,{\"Error\":\"Three\",\"Cause\":\"\"},4,5]");
        free(out);
        cJSON *ev = events(x);
        int started = 0, failed = 0, succeeded = 0;
        for (cJSON *e = ev->child; e; e = e->next) {
            const char *ty = jstr(e, "type");
            if (!strcmp(ty, "MapIterationStarted")) started++;
            if (!strcmp(ty, "MapIterationFailed")) {
                failed++;
                cr_assert_eq(jint(details(e, "mapIterationFailedEventDetails"), "index", -1), 2);
            }
            if (!strcmp(ty, "MapIterationSucceeded")) succeeded++;
        }
        cr_assert_eq(started, 5);
        cr_assert_eq(failed, 1);
        cr_assert_eq(succeeded, 4);
        cJSON_Delete(ev);
        cJSON_Delete(x);
    }
    asl_def_free(d);

    /* over the tolerance: the Map fails and aborts the running iteration */
    d = parse_ok("{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"MaxConcurrency\":2,"
                 "\"ItemProcessor\":{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{"
                 "\"Variable\":\"$\",\"NumericEquals\":2,\"Next\":\"F\"}],\"Default\":\"W\"},\"F\":{\"Type\":"
                 "\"Fail\",\"Error\":\"Two\"},\"W\":{\"Type\":\"Wait\",\"Seconds\":1,\"End\":true}}},"
                 "\"End\":true}}}");
    asl_host_t h = {.sim = S};
    cJSON *x = asl_exec_new(d, "[1,2,3]", NULL, clock_now_ms(S), 0);
    asl_run(&h, d, x);
    cr_assert_str_eq(asl_status(x), "FAILED");
    cr_assert_str_eq(jstr(x, "error"), "Two");
    cJSON *ev = events(x);
    int aborted = 0;
    for (cJSON *e = ev->child; e; e = e->next)
        if (!strcmp(jstr(e, "type"), "MapIterationAborted")) {
            aborted++;
            cr_assert_eq(jint(details(e, "mapIterationAbortedEventDetails"), "index", -1), 0);
        }
    cr_assert_eq(aborted, 1);
    cJSON_Delete(ev);
    cJSON_Delete(x);
    asl_def_free(d);
}

static cJSON *api(const char *op, const char *json) {
    cJSON *out = NULL;
    sim_error_t e;
    int rc = test_call(S, "stepfunctions", TEST_ACCOUNT, op, json, &out, &e);
    cr_assert_eq(rc, 0, "%s failed: %s %s", op, e.code, e.message);
    return out;
}

Test(asl_history, nested_executions_and_large_histories, .init = setup, .fini = teardown) {
    /* six levels of .sync child executions run inside one call (nested engine calls) */
    char arn[6][256], buf[2048];
    for (int i = 5; i >= 0; i--) {
        if (i == 5)
            snprintf(buf, sizeof buf,
                     "{\"name\":\"L5\",\"roleArn\":\"arn:aws:iam::111111111111:role/r\",\"definition\":"
                     "\"{\\\"StartAt\\\":\\\"P\\\",\\\"States\\\":{\\\"P\\\":{\\\"Type\\\":\\\"Pass\\\","
                     "\\\"Result\\\":{\\\"deep\\\":true},\\\"End\\\":true}}}\"}");
        else
            snprintf(
                buf, sizeof buf,
                "{\"name\":\"L%d\",\"roleArn\":\"arn:aws:iam::111111111111:role/r\",\"definition\":"
                "\"{\\\"StartAt\\\":\\\"T\\\",\\\"States\\\":{\\\"T\\\":{\\\"Type\\\":\\\"Task\\\","
                "\\\"Resource\\\":\\\"arn:aws:states:::states:startExecution.sync:2\\\",\\\"Parameters\\\":"
                "{\\\"StateMachineArn\\\":\\\"%s\\\"},\\\"OutputPath\\\":\\\"$.Output\\\",\\\"End\\\":true}}}"
                "\"}",
                i, arn[i + 1]);
        cJSON *o = api("CreateStateMachine", buf);
        snprintf(arn[i], sizeof arn[i], "%s", jstr(o, "stateMachineArn"));
        cJSON_Delete(o);
    }
    snprintf(buf, sizeof buf, "{\"stateMachineArn\":\"%s\",\"name\":\"top\"}", arn[0]);
    cJSON *o = api("StartExecution", buf);
    char ex[512];
    snprintf(ex, sizeof ex, "%s", jstr(o, "executionArn"));
    cJSON_Delete(o);
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\"}", ex);
    o = api("DescribeExecution", buf);
    cr_assert_str_eq(jstr(o, "status"), "SUCCEEDED");
    cr_assert_str_eq(jstr(o, "output"), "{\"deep\":true}");
    cJSON_Delete(o);
    o = api("GetExecutionHistory", buf);
    cJSON *ev = cJSON_GetObjectItem(o, "events");
    cr_assert_eq(cJSON_GetArraySize(ev),
                 7); /* Started, Entered, Scheduled, Started, Succeeded, Exited, Succeeded */
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 5), "type"), "TaskStateExited");
    cJSON_Delete(o);

    /* a large history (a Map over 3,000 items) written in one call, then a small one */
    snprintf(
        buf, sizeof buf,
        "{\"name\":\"big\",\"roleArn\":\"arn:aws:iam::111111111111:role/r\",\"definition\":"
        "\"{\\\"StartAt\\\":\\\"M\\\",\\\"States\\\":{\\\"M\\\":{\\\"Type\\\":\\\"Map\\\","
        "\\\"ItemProcessor\\\":"
        "{\\\"StartAt\\\":\\\"P\\\",\\\"States\\\":{\\\"P\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"End\\\":true}}},"
        "\\\"End\\\":true}}}\"}");
    o = api("CreateStateMachine", buf);
    char big[256];
    snprintf(big, sizeof big, "%s", jstr(o, "stateMachineArn"));
    cJSON_Delete(o);
    size_t cap = 64000;
    char *in = malloc(cap), *items = malloc(cap);
    size_t k = (size_t)sprintf(items, "[");
    for (int i = 0; i < 3000; i++)
        k += (size_t)sprintf(items + k, "%s%d", i ? "," : "", i);
    sprintf(items + k, "]");
    snprintf(in, cap, "{\"stateMachineArn\":\"%s\",\"name\":\"b\",\"input\":\"%s\"}", big, items);
    o = api("StartExecution", in);
    snprintf(ex, sizeof ex, "%s", jstr(o, "executionArn"));
    cJSON_Delete(o);
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\",\"maxResults\":1000,\"reverseOrder\":true}", ex);
    o = api("GetExecutionHistory", buf);
    ev = cJSON_GetObjectItem(o, "events");
    cr_assert_eq(cJSON_GetArraySize(ev), 1000);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 0), "type"), "ExecutionSucceeded");
    cr_assert_eq(jint(cJSON_GetArrayItem(ev, 0), "id", 0), 3000 * 4 + 6);
    cr_assert_str_eq(jstr(cJSON_GetArrayItem(ev, 1), "type"), "MapStateExited");
    cJSON_Delete(o);
    free(in);
    free(items);
    snprintf(buf, sizeof buf, "{\"stateMachineArn\":\"%s\",\"name\":\"again\"}", arn[5]);
    cJSON_Delete(api("StartExecution", buf));
    snprintf(buf, sizeof buf, "{\"executionArn\":\"%s\"}", ex);
    o = api("DescribeExecution", buf);
    cr_assert_str_eq(jstr(o, "status"), "SUCCEEDED");
    cJSON_Delete(o);
}

Test(asl_history, payload_text_escapes_and_numbers, .init = setup, .fini = teardown) {
    /* the history text prints payloads as asl_json_print does: escapes, negative and fractional numbers */
    asl_def_t *d = parse_ok("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
    asl_host_t h = {.sim = S};
    const char *in =
        "{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 \\u001f \\u00e9\",\"n\":[-3,2.5,1e300,-0.1,"
        "4294967296,123456789012,0.30000000000000004,null,true,false],\"o\":{}}";
    cJSON *x = asl_exec_new(d, in, NULL, clock_now_ms(S), 0);
    asl_run(&h, d, x);
    cr_assert_str_eq(asl_status(x), "SUCCEEDED");
    cJSON *want = cJSON_Parse(in);
    char *expect = asl_json_print(want);
    cr_assert_str_eq(expect,
                     "{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 \\u001f \xc3\xa9\",\"n\":[-3,2.5,1e+300,"
                     "-0.1,4294967296,123456789012,0.30000000000000004,null,true,false],\"o\":{}}");
    cJSON *ev = events(x);
    const cJSON *en = details(cJSON_GetArrayItem(ev, 1), "stateEnteredEventDetails");
    cr_assert_str_eq(jstr(en, "input"), expect);
    const cJSON *ex = details(cJSON_GetArrayItem(ev, 2), "stateExitedEventDetails");
    cr_assert_str_eq(jstr(ex, "output"), expect);
    char *out = asl_json_print(cJSON_GetObjectItem(x, "out"));
    cr_assert_str_eq(out, expect);
    free(out);
    free(expect);
    cJSON_Delete(want);
    cJSON_Delete(ev);
    cJSON_Delete(x);
    asl_def_free(d);
}
