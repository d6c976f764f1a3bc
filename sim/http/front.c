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

/* A call held open: what it needs to run again after the request itself is gone. */
struct front_poll {
    caller_t c;
    char rid[37];
    const service_def_t *svc;
    model_t *m;
    const cJSON *op;
    cJSON *params;
    char method[16];
    int64_t wall_deadline_ms, virtual_deadline_ms;
    uint64_t gen;
};

static req_t make_req(sim_t *s, const service_def_t *svc, const char *opname, const caller_t *c,
                      const char *rid) {
    req_t r = {.sim = s,
               .service = svc->key,
               .operation = opname,
               .account = c->account,
               .region = c->region,
               .scope = svc->global ? "global" : c->region,
               .access_key = c->access_key,
               .caller_arn = c->arn,
               .caller_userid = c->userid,
               .request_id = rid,
               .now_ms = clock_now_ms(s)};
    return r;
}

static void encode(sim_t *s, const char *method, const service_def_t *svc, model_t *m, const cJSON *op,
                   const caller_t *c, const char *rid, int rc, cJSON *out, sim_error_t *e,
                   http_resp_t *resp) {
    const char *opname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "name"));
    if (rc == 0)
        proto_encode_result(m, op, out, rid, resp);
    else
        proto_encode_error(m, e, rid, resp);
    sim_log(s, 3, "%s %s.%s account=%s -> %d %s", method, svc->key, opname, c->account, resp->status,
            rc ? e->code : "");
}

static front_poll_t *handle(sim_t *s, const http_req_t *h, http_resp_t *resp, int can_wait) {
    resp_init(resp);
    if (strncmp(h->path, "/_awssim/", 9) == 0 || strcmp(h->path, "/_awssim") == 0) {
        control_handle(s, h, resp);
        return NULL;
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
            return NULL;
        }
        sim_err(&e, 400, "UnknownOperationException",
                "awssim could not tell which AWS service this request is for");
        proto_encode_generic_error(&e, rid, resp);
        return NULL;
    }
    model_t *m = model_get(svc->key);
    const cJSON *op = NULL;
    cJSON *params = NULL;
    sim_error_t decode_err = {0};
    int decoded = proto_decode(m, h, &op, &params, &decode_err) == 0;
    const char *opname = op ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "name")) : "";
    req_t r = make_req(s, svc, opname, &c, rid);
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
        return NULL;
    }
    model_drop_unknown_input(m, op, params);
    cJSON *out = NULL;
    r.can_wait = can_wait && s->long_poll_s > 0;
    int rc = service_run(&r, params, &out, &e);
    if (rc == 0 && r.poll_empty && r.can_wait) {
        /* nothing yet: hold the call until something changes or the poll's time is up */
        front_poll_t *p = calloc(1, sizeof *p);
        p->c = c;
        memcpy(p->rid, rid, sizeof rid);
        p->svc = svc;
        p->m = m;
        p->op = op;
        p->params = params;
        str_copy(p->method, sizeof p->method, h->method);
        p->wall_deadline_ms = wall_ms() + (int64_t)s->long_poll_s * 1000;
        p->virtual_deadline_ms = r.now_ms + (int64_t)s->long_poll_s * 1000;
        p->gen = s->change_gen;
        sim_unlock(s);
        cJSON_Delete(out);
        return p;
    }
    sim_unlock(s);
    encode(s, h->method, svc, m, op, &c, rid, rc, out, &e, resp);
    cJSON_Delete(out);
    cJSON_Delete(params);
    return NULL;
}

void front_handle(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    handle(s, h, resp, 0); /* with no wait allowed there is never a pending poll */
}

front_poll_t *front_handle_async(sim_t *s, const http_req_t *h, http_resp_t *resp) {
    return handle(s, h, resp, 1);
}

int front_poll_due(sim_t *s, const front_poll_t *p, int64_t now_wall_ms, int64_t *deadline_ms) {
    *deadline_ms = p->wall_deadline_ms;
    return p->gen != s->change_gen || now_wall_ms >= p->wall_deadline_ms ||
           clock_now_ms(s) >= p->virtual_deadline_ms;
}

int front_poll_retry(sim_t *s, front_poll_t *p, int expire, http_resp_t *resp) {
    resp_init(resp);
    sim_lock(s);
    const char *opname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p->op, "name"));
    req_t r = make_req(s, p->svc, opname, &p->c, p->rid);
    expire = expire || wall_ms() >= p->wall_deadline_ms || r.now_ms >= p->virtual_deadline_ms;
    r.can_wait = !expire;
    cJSON *out = NULL;
    sim_error_t e = {0};
    int rc = service_run(&r, p->params, &out, &e);
    if (rc == 0 && r.poll_empty && r.can_wait) {
        p->gen = s->change_gen;
        sim_unlock(s);
        cJSON_Delete(out);
        return 0;
    }
    sim_unlock(s);
    encode(s, p->method, p->svc, p->m, p->op, &p->c, p->rid, rc, out, &e, resp);
    cJSON_Delete(out);
    return 1;
}

void front_poll_free(front_poll_t *p) {
    if (!p) return;
    cJSON_Delete(p->params);
    free(p);
}
