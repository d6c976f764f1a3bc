/*
 * test_reqpath.c — the request path's fast pieces: the per-connection statement cache, and the
 * hand-written formatters (numbers, timestamps, JSON text) that must produce exactly the bytes the
 * printf-based code they replace produced.
 */
#include "testutil.h"

#include "core/util.h"
#include "proto/model.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

static int step_int(sqlite3_stmt *st) {
    cr_assert_not_null(st);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return v;
}

Test(stmt_cache, keyed_by_text_per_connection_even_when_a_buffer_is_reused) {
    sim_t *a = test_sim(), *b = test_sim();
    static const char *const Q = "SELECT 41+1";
    sqlite3_stmt *sa = db_prepare(a, Q), *sb = db_prepare(b, Q);
    cr_assert_neq(sa, sb, "one cache per connection");
    cr_assert_eq(sqlite3_db_handle(sa), a->db);
    cr_assert_eq(sqlite3_db_handle(sb), b->db);
    cr_assert_eq(step_int(sa), 42);
    char copy[32];
    strcpy(copy, Q);
    cr_assert_eq(db_prepare(a, copy), sa, "same text at another address: same statement");
    /* a buffer that held one SQL text now holds another: its address must not find the first */
    strcpy(copy, "SELECT 7");
    sqlite3_stmt *s7 = db_prepare(a, copy);
    cr_assert_neq(s7, sa);
    cr_assert_eq(step_int(s7), 7);
    strcpy(copy, Q);
    cr_assert_eq(db_prepare(a, copy), sa);
    cr_assert_eq(db_prepare(a, Q), sa);
    /* bindings are cleared between uses */
    sqlite3_stmt *p = db_prepare(a, "SELECT coalesce(?1, -1)");
    sqlite3_bind_int(p, 1, 5);
    cr_assert_eq(step_int(p), 5);
    cr_assert_eq(step_int(db_prepare(a, "SELECT coalesce(?1, -1)")), -1);
    /* closing drops the cache with the connection; a new store prepares afresh */
    store_close(a);
    cr_assert_null(a->stmts);
    cr_assert_eq(store_open(a, ":memory:"), 0);
    cr_assert_eq(step_int(db_prepare(a, Q)), 42);
    cr_assert_eq(db_begin(a), 0);
    cr_assert_eq(meta_set(a, "k", "v"), 0);
    db_rollback(a);
    cr_assert_null(meta_get(a, "k"), "ROLLBACK through the cache undoes the write");
    cr_assert_eq(db_begin(a), 0);
    cr_assert_eq(meta_set(a, "k", "v"), 0);
    cr_assert_eq(db_commit(a), 0);
    char *v = meta_get(a, "k");
    cr_assert_str_eq(v, "v");
    free(v);
    test_sim_free(a);
    test_sim_free(b);
}

/* ---- numbers and JSON text ---- */

/* cJSON's own text for a number (the reference fmt_json_number must match). */
static void cjson_number(double d, char *out, size_t n) {
    cJSON *x = cJSON_CreateNumber(d);
    char *t = cJSON_PrintUnformatted(x);
    snprintf(out, n, "%s", t);
    free(t);
    cJSON_Delete(x);
}

/* fmt_number as it was written with printf (the reference for the hand-written one). */
static void old_fmt_number(double v, char *out, size_t n) {
    if (v == floor(v) && fabs(v) < 1e17) {
        snprintf(out, n, "%lld", (long long)v);
        return;
    }
    snprintf(out, n, "%.17g", v);
    for (int prec = 1; prec <= 17; prec++) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) {
            snprintf(out, n, "%s", tmp);
            return;
        }
    }
}

static void check_number(double d) {
    char want[64], got[32];
    cjson_number(d, want, sizeof want);
    size_t n = fmt_json_number(d, got);
    cr_assert_str_eq(got, want, "fmt_json_number(%.17g)", d);
    cr_assert_eq(n, strlen(want));
    old_fmt_number(d, want, sizeof want);
    fmt_number(d, got, sizeof got);
    cr_assert_str_eq(got, want, "fmt_number(%.17g)", d);
}

Test(format, numbers_match_the_printf_text_they_replace) {
    const double edge[] = {0.0,
                           -0.0,
                           1,
                           -1,
                           7,
                           10,
                           123456789,
                           2147483647.0,
                           2147483648.0,
                           -2147483649.0,
                           999999999999999.0,
                           1e15,
                           -1e15,
                           1e15 + 1,
                           99999999999999999.0,
                           1e17,
                           1e21,
                           1e300,
                           -1e300,
                           1767225600.0,
                           1767225600.123,
                           1767225600.5,
                           1767225600.05,
                           1767225600.001,
                           1767225600.999,
                           -1767225600.123,
                           0.001,
                           0.0015,
                           0.0001,
                           0.00001,
                           1e-300,
                           5e-324,
                           0.1,
                           0.2,
                           0.1 + 0.2,
                           1.0 / 3,
                           2.5,
                           -2.5,
                           999999999999.999,
                           1e12 - 0.001,
                           1e12 + 0.5,
                           123456789012.345,
                           DBL_MAX,
                           -DBL_MAX,
                           DBL_MIN,
                           4503599627370496.5,
                           9007199254740993.0,
                           NAN,
                           INFINITY,
                           -INFINITY};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        check_number(edge[i]);
    /* every millisecond timestamp shape: ms / 1000.0 as the codecs compute it, over many magnitudes */
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t ms = (int64_t)(x % 4000000000000ull) >> (x >> 60);
        check_number((double)ms / 1000.0);
        check_number(-(double)ms / 1000.0);
        check_number((double)(x % 100000) / 100.0); /* cents */
        double any;
        memcpy(&any, &x, sizeof any); /* any bit pattern at all */
        check_number(any);
    }
    char digits[24];
    cr_assert_eq(fmt_u64(0, digits), 1);
    cr_assert_eq(memcmp(digits, "0", 1), 0);
    cr_assert_eq(fmt_u64(18446744073709551615ull, digits), 20);
    cr_assert_eq(memcmp(digits, "18446744073709551615", 20), 0);
}

static void check_json(const char *text) {
    cJSON *j = cJSON_Parse(text);
    cr_assert_not_null(j, "%s", text);
    char *want = cJSON_PrintUnformatted(j);
    size_t n = 0;
    char *got = json_print(j, &n);
    cr_assert_str_eq(got, want);
    cr_assert_eq(n, strlen(want));
    free(want);
    free(got);
    cJSON_Delete(j);
}

Test(format, json_print_is_cjson_print_unformatted) {
    check_json("{}");
    check_json("[]");
    check_json("null");
    check_json("\"\"");
    check_json("[true,false,null,0,-0,1.5,-2e-7,1e300,[],{},[[[]]]]");
    check_json("{\"a\":{\"b\":[1,2,{\"c\":\"d\"}]},\"e\":\"f\",\"\":1,\"dup\":1,\"dup\":2}");
    check_json("{\"startDate\":1767225600.123,\"stopDate\":1767225601,\"x\":0.1}");
    check_json("\"quote \\\" backslash \\\\ slash / \\b\\f\\n\\r\\t \\u0001\\u001f \\u007f é € 😀\"");
    check_json("{\"k\\ney\\u0000\":\"v\"}");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "raw", cJSON_CreateRaw("{\"pre\": 1}"));
    cJSON_AddItemToObject(o, "nan", cJSON_CreateNumber(NAN));
    cJSON_AddItemToObject(o, "s", cJSON_CreateString("tab\there"));
    char *want = cJSON_PrintUnformatted(o), *got = json_print(o, NULL);
    cr_assert_str_eq(got, want);
    free(want);
    free(got);
    cJSON *bad = cJSON_CreateRaw("x");
    free(bad->valuestring);
    bad->valuestring = NULL; /* cJSON refuses a raw item without text; so does json_print */
    cJSON_AddItemToObject(o, "bad", bad);
    cr_assert_null(cJSON_PrintUnformatted(o));
    cr_assert_null(json_print(o, NULL));
    cJSON_Delete(o);
}

/* ---- validation messages: paths and values are only written for errors, in the same words ---- */

static const char *validate(const char *svc, const char *op, const char *json, sim_error_t *e) {
    model_t *m = model_get(svc);
    cJSON *in = cJSON_Parse(json);
    memset(e, 0, sizeof *e);
    int rc = model_validate_input(m, model_operation(m, op), in, e);
    cJSON_Delete(in);
    return rc == 0 ? "" : e->message;
}

Test(validation, messages_name_nested_paths_and_values_as_before) {
    sim_error_t e;
    cr_assert_str_eq(validate("stepfunctions", "CreateStateMachine",
                              "{\"name\":\"ok\",\"definition\":\"{}\",\"roleArn\":\"arn:aws:iam::1:role/r\"}",
                              &e),
                     "");
    cr_assert_str_eq(validate("stepfunctions", "StartExecution",
                              "{\"stateMachineArn\":true,\"name\":\"\",\"input\":[1,2]}", &e),
                     "3 validation errors detected: Value 'true' at 'stateMachineArn' failed to satisfy "
                     "constraint: Member must be a string; Value '' at 'name' failed to satisfy constraint: "
                     "Member must have length greater than or equal to 1; Value '[...]' at 'input' failed to "
                     "satisfy constraint: Member must be a string");
    cr_assert_str_eq(e.code, "ValidationException");
    cr_assert_str_eq(
        validate("stepfunctions", "ListExecutions",
                 "{\"stateMachineArn\":\"arn\",\"maxResults\":1001,\"statusFilter\":\"NOPE\"}", &e),
        "2 validation errors detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000; Value 'NOPE' at 'statusFilter' failed "
        "to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, "
        "TIMED_OUT, ABORTED, PENDING_REDRIVE]");
    cr_assert_str_eq(
        validate("stepfunctions", "ListExecutions", "{\"stateMachineArn\":\"arn\",\"maxResults\":-1.5}", &e),
        "1 validation error detected: Value '-1.5' at 'maxResults' failed to satisfy constraint: "
        "Member must be an integer");
    const char *msg =
        validate("stepfunctions", "CreateStateMachine",
                 "{\"definition\":5,\"roleArn\":\"\",\"tags\":[{\"key\":\"\",\"value\":\"v\"},{\"key\":\"k\"}"
                 ",{\"key\":7}],"
                 "\"loggingConfiguration\":{\"level\":\"LOUD\",\"destinations\":[{\"cloudWatchLogsLogGroup\":"
                 "{\"logGroupArn\":\"\"}}]}}",
                 &e);
    cr_assert(strstr(msg, "Value null at 'name' failed to satisfy constraint: Member must not be null; "),
              "%s", msg);
    cr_assert(strstr(msg, "Value '' at 'tags.1.member.key' failed"), "%s", msg);
    cr_assert(
        strstr(msg, "Value '7' at 'tags.3.member.key' failed to satisfy constraint: Member must be a string"),
        "%s", msg);
    cr_assert(strstr(msg,
                     "Value 'LOUD' at 'loggingConfiguration.level' failed to satisfy constraint: Member must "
                     "satisfy enum value set: [ALL, ERROR, FATAL, OFF]"),
              "%s", msg);
    cr_assert(strstr(msg, "Value '' at 'loggingConfiguration.destinations.1.member.cloudWatchLogsLogGroup."
                          "logGroupArn' failed"),
              "%s", msg);
    cr_assert_str_eq(
        validate("iam", "CreateRole",
                 "{\"RoleName\":\"\",\"AssumeRolePolicyDocument\":\"{}\",\"MaxSessionDuration\":100000,"
                 "\"Tags\":[{\"Key\":\"a\",\"Value\":\"b\"},{\"Key\":\"\"}]}",
                 &e),
        "4 validation errors detected: Value '' at 'roleName' failed to satisfy constraint: Member "
        "must have length greater than or equal to 1; Value '100000' at 'maxSessionDuration' failed "
        "to satisfy constraint: Member must have value less than or equal to 43200; Value null at "
        "'tags.2.member.value' failed to satisfy constraint: Member must not be null; Value '' at "
        "'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or "
        "equal to 1");
    cr_assert_str_eq(validate("route53", "CreateHostedZone", "{\"Name\":\"x\",\"CallerReference\":\"\"}", &e),
                     "Invalid XML ; cvc-minLength-valid: Value '' with length = '0' is not facet-valid with "
                     "respect to minLength '1' for type 'Nonce'.");
    cr_assert_str_eq(e.code, "InvalidInput");
}

/* ---- the store from the schema image ---- */

Test(store_image, a_fresh_store_is_a_plain_memory_database_with_the_schema) {
    sim_t *s = test_sim();
    sqlite3_int64 size = -1;
    /* a deserialized (memdb) database would hand out its buffer; a ":memory:" one has none */
    cr_assert_null(sqlite3_serialize(s->db, "main", &size, SQLITE_SERIALIZE_NOCOPY));
    sqlite3_stmt *st = db_prepare(s, "SELECT count(*) FROM sqlite_master WHERE name='sfn_exec'");
    cr_assert_eq(step_int(st), 1);
    cr_assert_eq(step_int(db_prepare(s, "PRAGMA user_version")), SCHEMA_VERSION);
    /* writes, rollback and commit behave */
    cJSON *doc = cJSON_Parse("{\"k\":1}");
    req_t r = test_req(s, "sts", "X");
    cr_assert_eq(db_begin(s), 0);
    cr_assert_eq(rs_put(&r, "t", "a", doc), 0);
    db_rollback(s);
    cr_assert_null(rs_get(&r, "t", "a"));
    cr_assert_eq(db_begin(s), 0);
    cr_assert_eq(rs_put(&r, "t", "a", doc), 0);
    cr_assert_eq(db_commit(s), 0);
    cJSON *got = rs_get(&r, "t", "a");
    cr_assert_not_null(got);
    cr_assert_eq(jint(got, "k", 0), 1);
    cJSON_Delete(got);
    cJSON_Delete(doc);
    test_sim_free(s);
}

/* ---- time formats: the hand-written fields against gmtime + printf, as they were written ---- */

#include <time.h>

static void old_split(int64_t ms, struct tm *tm, int *frac) {
    time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    *frac = (int)(ms - (int64_t)secs * 1000);
    memset(tm, 0, sizeof *tm);
    gmtime_r(&secs, tm);
}

static void old_iso8601(int64_t ms, char *buf) {
    struct tm tm;
    int frac;
    old_split(ms, &tm, &frac);
    if (frac)
        snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    else
        strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void old_iso8601_ms(int64_t ms, char *buf) {
    struct tm tm;
    int frac;
    old_split(ms, &tm, &frac);
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

static void old_rfc1123(int64_t ms, char *buf) {
    struct tm tm;
    int frac;
    old_split(ms, &tm, &frac);
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *mons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(buf, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday, mons[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void check_time(int64_t ms) {
    char want[64], got[64];
    old_iso8601(ms, want);
    fmt_iso8601(ms, got);
    cr_assert_str_eq(got, want, "fmt_iso8601(%lld)", (long long)ms);
    old_iso8601_ms(ms, want);
    fmt_iso8601_ms(ms, got);
    cr_assert_str_eq(got, want, "fmt_iso8601_ms(%lld)", (long long)ms);
    old_rfc1123(ms, want);
    fmt_rfc1123(ms, got);
    cr_assert_str_eq(got, want, "fmt_rfc1123(%lld)", (long long)ms);
}

Test(format, timestamps_match_gmtime_and_printf) {
    const int64_t edge[] = {0,
                            1,
                            -1,
                            999,
                            1000,
                            -999,
                            -1000,
                            -1001,
                            86399999,
                            86400000,
                            -86400000,
                            -86400001,
                            TEST_EPOCH_MS,
                            TEST_EPOCH_MS + 5,
                            TEST_EPOCH_MS + 123,
                            951782400000LL,    /* 2000-02-29 */
                            951868799999LL,    /* 2000-02-29T23:59:59.999 */
                            -2203891200000LL,  /* 1900-03-01 */
                            -2203977600001LL,  /* 1900-02-28T23:59:59.999 */
                            4107456000000LL,   /* 2100-02-28 */
                            4107542400000LL,   /* 2100-03-01 */
                            -30610224000001LL, /* 0999-12-31T23:59:59.999: printf path */
                            -30610224000000LL, /* 1000-01-01 */
                            -30610223999999LL,
                            253402300799999LL, /* 9999-12-31T23:59:59.999 */
                            253402300800000LL, /* 10000-01-01: printf path */
                            -62135596800000LL, /* 0001-01-01 */
                            -62167219200000LL, /* 0000-01-01 */
                            -62167219200001LL, /* year -1 */
                            1000000000000000LL};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        check_time(edge[i]);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 50000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* years about -1000 .. 15000, and often near now */
        int64_t ms = (int64_t)(x % 535000000000000ull) - 93000000000000LL;
        check_time(ms);
        check_time(TEST_EPOCH_MS + (int64_t)(x % 4000000000000ull) - 2000000000000LL);
    }
}

/* ---- JSON output written from the shape: the text of printing json_shape_output's copy ---- */

#include "proto/proto.h"

static uint64_t gen_x = 0x2545F4914F6CDD1Dull;
static unsigned gen_rand(unsigned n) {
    gen_x ^= gen_x << 13, gen_x ^= gen_x >> 7, gen_x ^= gen_x << 17;
    return (unsigned)(gen_x % n);
}

/* A value for shape: mostly well-typed, sometimes null, of the wrong type, or with extra members. */
static cJSON *gen_value(const model_t *m, const cJSON *shape, int depth) {
    unsigned odd = gen_rand(12);
    if (odd == 0) return cJSON_CreateNull();
    if (odd == 1) return cJSON_CreateString("wrong \"type\"\n");
    if (odd == 2) return cJSON_CreateNumber(1767225600.5);
    if (odd == 3) return cJSON_CreateArray();
    const char *t = shape_type(shape);
    if (depth > 6) return cJSON_CreateString("deep");
    if (strcmp(t, "structure") == 0) {
        cJSON *o = cJSON_CreateObject();
        const cJSON *ref;
        cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
            if (gen_rand(4) == 0) continue;
            cJSON_AddItemToObject(o, ref->string, gen_value(m, model_ref_shape(m, ref), depth + 1));
        }
        if (gen_rand(3) == 0) cJSON_AddStringToObject(o, "notInTheModel", "x");
        return o;
    }
    if (strcmp(t, "list") == 0 || strcmp(t, "map") == 0) {
        int map = t[0] == 'm';
        const cJSON *el =
            model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, map ? "value" : "member"));
        cJSON *a = map ? cJSON_CreateObject() : cJSON_CreateArray();
        for (unsigned i = 0, n = gen_rand(4); i < n; i++) {
            char k[16];
            snprintf(k, sizeof k, "k\t%u", i);
            if (map)
                cJSON_AddItemToObject(a, k, gen_value(m, el, depth + 1));
            else
                cJSON_AddItemToArray(a, gen_value(m, el, depth + 1));
        }
        return a;
    }
    if (strcmp(t, "timestamp") == 0)
        return cJSON_CreateNumber((double)(1767225600123LL + gen_rand(5000)) / 1000.0);
    if (strcmp(t, "boolean") == 0) return cJSON_CreateBool(gen_rand(2));
    if (strcmp(t, "integer") == 0 || strcmp(t, "long") == 0) return cJSON_CreateNumber(gen_rand(100000));
    if (strcmp(t, "double") == 0 || strcmp(t, "float") == 0) return cJSON_CreateNumber(gen_rand(1000) / 7.0);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "document")))
        return cJSON_Parse("{\"a\":[1,{\"b\":null}]}");
    return cJSON_CreateString(gen_rand(2) ? "plain" : "esc \\ \" \x01 é");
}

Test(format, json_output_written_from_the_shape_is_the_printed_copy) {
    const char *svcs[] = {"stepfunctions", "dms", "ram", "sts", "iam", "route53"};
    int compared = 0;
    for (size_t si = 0; si < sizeof svcs / sizeof svcs[0]; si++) {
        model_t *m = model_get(svcs[si]);
        const cJSON *op;
        cJSON_ArrayForEach(op, m->operations) {
            const cJSON *shape = model_output_shape(m, op);
            if (!shape) continue;
            for (int round = 0; round < 4; round++) {
                cJSON *val = gen_value(m, shape, 0);
                cJSON *copy = json_shape_output(m, shape, val, 0);
                char *want = copy ? cJSON_PrintUnformatted(copy) : NULL;
                strbuf_t b;
                sb_init(&b);
                sb_puts(&b, "pre:");
                int rc = json_write_output(&b, m, shape, val);
                if (want) {
                    cr_assert_eq(rc, 0, "%s.%s", svcs[si], op->string);
                    cr_assert_str_eq(b.buf + 4, want, "%s.%s", svcs[si], op->string);
                } else {
                    cr_assert_eq(rc, -1, "%s.%s", svcs[si], op->string);
                    cr_assert_str_eq(b.buf, "pre:", "nothing is appended when there is no copy");
                }
                compared++;
                sb_free(&b);
                free(want);
                cJSON_Delete(copy);
                cJSON_Delete(val);
            }
        }
    }
    cr_assert_gt(compared, 1000);
}

Test(validation, length_limits_count_characters_not_bytes) {
    sim_error_t e;
    char in[1200];
    for (int k = 80; k <= 81; k++) {
        strcpy(in, "{\"stateMachineArn\":\"a\",\"name\":\"");
        for (int i = 0; i < k; i++)
            strcat(in, "\xc3\xa9"); /* é: two bytes, one character */
        strcat(in, "\"}");
        const char *msg = validate("stepfunctions", "StartExecution", in, &e);
        if (k == 80)
            cr_assert_str_eq(msg, "", "80 characters (160 bytes) fit a limit of 80");
        else
            cr_assert(strstr(msg,
                             "at 'name' failed to satisfy constraint: Member must have length less than or "
                             "equal to 80"),
                      "%s", msg);
    }
    cJSON *raw = cJSON_CreateObject(); /* a continuation byte starts no character: length 0 */
    cJSON_AddStringToObject(raw, "stateMachineArn", "\x80\x80");
    model_t *m = model_get("stepfunctions");
    cr_assert_eq(model_validate_input(m, model_operation(m, "StartExecution"), raw, &e), -1);
    cr_assert(strstr(e.message, "Member must have length greater than or equal to 1"), "%s", e.message);
    cJSON_Delete(raw);
}

Test(model, which_inputs_can_hold_timestamps) {
    model_t *sfn = model_get("stepfunctions"), *dms = model_get("dms");
    cr_assert_eq(model_input_has_timestamps(sfn, model_operation(sfn, "StartExecution")), 0);
    cr_assert_eq(model_input_has_timestamps(sfn, model_operation(sfn, "CreateStateMachine")), 0);
    cr_assert_eq(model_input_has_timestamps(dms, model_operation(dms, "DescribeEvents")), 1); /* StartTime */
    cr_assert_eq(model_input_has_timestamps(dms, model_operation(dms, "StartReplicationTask")), 1);
    cr_assert_eq(model_input_has_timestamps(dms, model_operation(dms, "DescribeEndpoints")), 0);
    cr_assert_eq(model_input_has_timestamps(dms, model_operation(dms, "DescribeEvents")), 1,
                 "and again, cached");
    /* the JSON codec still turns an ISO-8601 timestamp string into epoch seconds where one can occur */
    cJSON *p = cJSON_Parse("{\"StartTime\":\"2026-01-01T00:00:01Z\"}");
    json_coerce_input(dms, model_input_shape(dms, model_operation(dms, "DescribeEvents")), p, 0);
    cr_assert_eq(jnum(p, "StartTime", 0), 1767225601.0);
    cJSON_Delete(p);
}
