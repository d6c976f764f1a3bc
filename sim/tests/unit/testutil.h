/*
 * testutil.h — shared setup for Criterion unit tests: an in-memory sim on a virtual clock fixed
 * at 2026-01-01T00:00:00Z with seed 42, and a one-line way to call an operation.
 */
#ifndef AWSSIM_TESTUTIL_H
#define AWSSIM_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/sim.h"
#include "core/store.h"
#include "services/service.h"

#define TEST_EPOCH_MS 1767225600000LL /* 2026-01-01T00:00:00Z */
#define TEST_ACCOUNT "111111111111"

static inline sim_t *test_sim(void) {
    sim_t *s = calloc(1, sizeof *s);
    cr_assert(sim_init(s, ":memory:", CLOCK_VIRTUAL, 42, TEST_EPOCH_MS) == 0);
    return s;
}

static inline void test_sim_free(sim_t *s) {
    sim_free(s);
    free(s);
}

/* A request context as the root of TEST_ACCOUNT in us-east-1, for calling internals directly. */
static inline req_t test_req(sim_t *s, const char *service, const char *operation) {
    req_t r = {.sim = s,
               .service = service,
               .operation = operation,
               .account = TEST_ACCOUNT,
               .region = "us-east-1",
               .scope = "us-east-1",
               .access_key = "",
               .caller_arn = "arn:aws:iam::" TEST_ACCOUNT ":root",
               .caller_userid = TEST_ACCOUNT,
               .request_id = "test",
               .now_ms = clock_now_ms(s)};
    return r;
}

/* Call service/op as the root of `account` in us-east-1 with JSON text input. Returns 0 or -1. */
static inline int test_call(sim_t *s, const char *service, const char *account, const char *op,
                            const char *json_in, cJSON **out, sim_error_t *e) {
    cJSON *in = cJSON_Parse(json_in ? json_in : "{}");
    cr_assert_not_null(in, "bad test JSON: %s", json_in);
    memset(e, 0, sizeof *e);
    *out = NULL;
    int rc = service_call(s, service, op, account, "us-east-1", NULL, in, out, e);
    cJSON_Delete(in);
    return rc;
}

#endif
