/*
 * json.c — AWS JSON 1.0/1.1 (Step Functions, DMS): POST / with X-Amz-Target "Prefix.Operation",
 * a JSON object body in, a JSON object out, content type application/x-amz-json-1.x.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

int json_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e) {
    const char *target = h->header(h->hctx, "X-Amz-Target");
    const char *dot = target ? strrchr(target, '.') : NULL;
    if (!dot) return sim_err(e, 400, "UnknownOperationException", "Missing X-Amz-Target header");
    size_t plen = (size_t)(dot - target);
    if (!m->target_prefix || strlen(m->target_prefix) != plen || strncmp(target, m->target_prefix, plen) != 0)
        return sim_err(e, 400, "UnknownOperationException", "Unknown target prefix");
    *op = model_operation(m, dot + 1);
    if (!*op) return sim_err(e, 400, "UnknownOperationException", "%s", "");
    if (!h->body_len) {
        *params = cJSON_CreateObject();
        return 0;
    }
    if (!utf8_valid(h->body, h->body_len))
        return sim_err(e, 400, "SerializationException", "Invalid UTF-8 in request body");
    cJSON *p = cJSON_ParseWithLength(h->body, h->body_len);
    if (!p) return sim_err(e, 400, "SerializationException", "Could not parse request body into json");
    if (!cJSON_IsObject(p)) {
        cJSON_Delete(p);
        return sim_err(e, 400, "SerializationException",
                       "Start of structure or map found where not expected.");
    }
    if (model_input_has_timestamps(m, *op)) json_coerce_input(m, model_input_shape(m, *op), p, 0);
    *params = p;
    return 0;
}

void json_encode(const model_t *m, const cJSON *op, const cJSON *out, const char *rid, http_resp_t *r) {
    (void)rid;
    const cJSON *shape = model_output_shape(m, op);
    strbuf_t b;
    sb_init(&b);
    if (!shape || json_write_output(&b, m, shape, out) != 0) sb_puts(&b, "{}");
    r->status = 200;
    r->body = sb_detach(&b, &r->body_len);
    json_content_type(m, r);
}
