/*
 * front.c — from HTTP request to service call and back.
 *
 * Which service: X-Amz-Target prefix (JSON protocols), the SigV4 credential scope's service,
 * the Route 53 path prefix, a REST path of RAM, or Action in a form body (STS when the model
 * has that action, IAM otherwise). Then: resolve the caller from the access key, decode with the
 * model's codec, run the operation under the sim lock, encode.
 */
#include "http/front.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/rng.h"
#include "services/service.h"

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *form_action(const http_req_t *h, char *buf, size_t n) {
    const char *src[2] = {h->query, h->body};
    size_t len[2] = {h->query ? strlen(h->query) : 0, h->body_len};
    for (int i = 0; i < 2; i++) {
        if (!src[i] || !len[i]) continue;
        cJSON *form = form_parse(src[i], len[i]);
        const char *a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(form, "Action"));
        if (a) str_copy(buf, n, a);
        cJSON_Delete(form);
        if (a) return buf;
    }
    return NULL;
}

static const service_def_t *pick_service(const http_req_t *h, const char *scope_service) {
    const char *target = h->header(h->hctx, "X-Amz-Target");
    if (target) {
        int n = 0;
        const service_def_t *const *all = service_all(&n);
        for (int i = 0; i < n; i++) {
            model_t *m = model_get(all[i]->key);
            if (m && m->target_prefix && strncmp(target, m->target_prefix, strlen(m->target_prefix)) == 0 &&
                target[strlen(m->target_prefix)] == '.')
                return all[i];
        }
        return NULL;
    }
    if (scope_service && *scope_service) {
        const service_def_t *svc = service_by_signing_name(scope_service);
        if (svc) return svc;
    }
    if (strncmp(h->path, "/2013-04-01/", 12) == 0) return &SVC_ROUTE53;
    char action[128];
    if (form_action(h, action, sizeof action)) {
        model_t *sts = model_get("sts");
        return model_operation(sts, action) ? &SVC_STS : &SVC_IAM;
    }
    model_t *ram = model_get("ram");
    cJSON *labels = cJSON_CreateObject();
    const cJSON *op = ram ? model_match_rest(ram, h->method, h->path, labels) : NULL;
    cJSON_Delete(labels);
    return op ? &SVC_RAM : NULL;
}

/* JSON protocols name the auth errors differently from query/XML ones. */
static void auth_error_for_protocol(const model_t *m, sim_error_t *e) {
    if (m->protocol != PROTO_JSON && m->protocol != PROTO_REST_JSON) return;
    static const char *map[][2] = {{"InvalidClientTokenId", "UnrecognizedClientException"},
                                   {"SignatureDoesNotMatch", "InvalidSignatureException"},
                                   {"ExpiredToken", "ExpiredTokenException"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(e->code, map[i][0]) == 0) str_copy(e->code, sizeof e->code, map[i][1]);
}

void front_handle(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    memset(resp, 0, sizeof *resp);
    if (strncmp(h->path, "/_awssim/", 9) == 0 || strcmp(h->path, "/_awssim") == 0) {
        control_handle(s, h, resp);
        return;
    }
    sim_lock(s);
    char rid[37];
    rng_uuid(s, rid);
    caller_t c;
    sim_error_t e = {0};
    int auth_rc = auth_resolve(s, h, wall_ms(), &c, &e);
    const service_def_t *svc = pick_service(h, c.service);
    if (!svc) {
        sim_unlock(s);
        if (auth_rc != 0) {
            proto_encode_generic_error(&e, rid, resp);
            return;
        }
        sim_err(&e, 400, "UnknownOperationException",
                "awssim could not tell which AWS service this request is for");
        proto_encode_generic_error(&e, rid, resp);
        return;
    }
    model_t *m = model_get(svc->key);
    const cJSON *op = NULL;
    cJSON *params = NULL;
    sim_error_t decode_err = {0};
    int decoded = proto_decode(m, h, &op, &params, &decode_err) == 0;
    const char *opname = op ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "name")) : "";
    req_t r = {.sim = s,
               .service = svc->key,
               .operation = opname,
               .account = c.account,
               .region = c.region,
               .scope = svc->global ? "global" : c.region,
               .access_key = c.access_key,
               .caller_arn = c.arn,
               .caller_userid = c.userid,
               .request_id = rid,
               .now_ms = clock_now_ms(s)};
    /* Authentication is checked before the request is read, as AWS does; refusals are logged. */
    if (auth_rc != 0 || !decoded) {
        if (auth_rc != 0)
            auth_error_for_protocol(m, &e);
        else
            e = decode_err;
        proto_encode_error(m, &e, rid, resp);
        service_log(&r, resp->status, e.code);
        sim_unlock(s);
        cJSON_Delete(params);
        return;
    }
    cJSON *out = NULL;
    int rc = service_run(&r, params, &out, &e);
    sim_unlock(s);
    if (rc == 0)
        proto_encode_result(m, op, out, rid, resp);
    else
        proto_encode_error(m, &e, rid, resp);
    sim_log(s, 3, "%s %s.%s account=%s -> %d %s", h->method, svc->key, opname, c.account, resp->status,
            rc ? e.code : "");
    cJSON_Delete(out);
    cJSON_Delete(params);
}
