/*
 * test_cov_replay_schema.c — the scenario loader's JSON Schema subset on the keywords
 * scenarios/schema.json does not use today (maximum, anyOf), as documented in replay.h, so a
 * schema that starts using them is enforced, not silently ignored.
 */
#include "testutil.h"

#include "replay/replay.h"

/* Validate JSON text against a schema (JSON text); returns 0 or -1 with path and msg filled. */
static int check(const char *schema_text, const char *inst_text, char *path, char *msg) {
    cJSON *schema = cJSON_Parse(schema_text), *inst = cJSON_Parse(inst_text);
    cr_assert(schema && inst);
    path[0] = msg[0] = 0;
    int rc = rp_schema_validate(schema, schema, inst, path, 256, msg, 256);
    cJSON_Delete(schema);
    cJSON_Delete(inst);
    return rc;
}

Test(cov_replay_schema, maximum) {
    const char *schema =
        "{\"type\": \"object\", \"properties\": {\"pct\": {\"type\": \"number\", \"maximum\": 100}}}";
    char path[256], msg[256];
    cr_assert_eq(check(schema, "{\"pct\": 100}", path, msg), 0);
    cr_assert_eq(check(schema, "{\"pct\": 100.5}", path, msg), -1);
    cr_assert_str_eq(path, "pct");
    cr_assert_str_eq(msg, "must be <= 100");
}

Test(cov_replay_schema, any_of) {
    const char *schema = "{\"properties\": {\"v\": {\"anyOf\": [{\"type\": \"string\", \"minLength\": 2},"
                         " {\"type\": \"number\", \"minimum\": 0}]}}}";
    char path[256], msg[256];
    cr_assert_eq(check(schema, "{\"v\": \"ab\"}", path, msg), 0);
    cr_assert_eq(check(schema, "{\"v\": 3}", path, msg), 0);
    cr_assert_eq(check(schema, "{\"v\": \"a\"}", path, msg), -1);
    cr_assert_str_eq(path, "v");
    cr_assert_str_eq(msg, "matches none of the allowed forms");
    cr_assert_eq(check(schema, "{\"v\": -1}", path, msg), -1);
    cr_assert_str_eq(msg, "matches none of the allowed forms");
}
