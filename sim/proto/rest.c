/*
 * rest.c — REST-XML (Route 53) and REST-JSON (RAM): the operation comes from the method and the
 * requestUri template; input members come from URI labels, query string, headers and the body
 * (an XML root element or a JSON object, or one payload member). Output members bound to headers
 * or the status code go there; the rest is the body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

static void query_append(char *k, char *v, void *ctx) {
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(ctx, k);
    if (!arr) arr = cJSON_AddArrayToObject(ctx, k);
    cJSON_AddItemToArray(arr, cJSON_CreateString(v));
}

/* Repeated keys become arrays so list-typed querystring members work. */
static cJSON *query_values(const char *query) {
    cJSON *obj = cJSON_CreateObject();
    if (query) query_each(query, strlen(query), 1, query_append, obj);
    return obj;
}

static int add_located(const model_t *m, const cJSON *shape, const cJSON *labels, const http_req_t *h,
                       cJSON *params) {
    cJSON *qs = query_values(h->query);
    cJSON *ref;
    cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
        const char *loc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "location"));
        if (!loc) continue;
        const char *ln = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "locationName"));
        if (!ln) ln = ref->string;
        const cJSON *ms = model_ref_shape(m, ref);
        cJSON *v = NULL;
        if (strcmp(loc, "uri") == 0) {
            const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(labels, ln));
            if (t) v = scalar_from_text(m, ms, t);
        } else if (strcmp(loc, "querystring") == 0) {
            cJSON *vals = cJSON_GetObjectItemCaseSensitive(qs, ln);
            if (vals && strcmp(shape_type(ms), "list") == 0) {
                v = cJSON_CreateArray();
                const cJSON *el_shape = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(ms, "member"));
                cJSON *x;
                cJSON_ArrayForEach(x, vals)
                    cJSON_AddItemToArray(v, scalar_from_text(m, el_shape, x->valuestring));
            } else if (vals) {
                v = scalar_from_text(m, ms, cJSON_GetArrayItem(vals, 0)->valuestring);
            }
        } else if (strcmp(loc, "header") == 0) {
            const char *t = h->header(h->hctx, ln);
            if (t) v = scalar_from_text(m, ms, t);
        }
        if (v) cJSON_AddItemToObject(params, ref->string, v);
    }
    cJSON_Delete(qs);
    return 0;
}

static int parse_body(const model_t *m, const cJSON *shape, const http_req_t *h, cJSON *params,
                      sim_error_t *e) {
    if (!h->body_len) return 0;
    if (!utf8_valid(h->body, h->body_len))
        return sim_err(e, 400, m->protocol == PROTO_REST_XML ? "InvalidInput" : "SerializationException",
                       "Invalid UTF-8 in request body");
    const char *payload = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "payload"));
    const cJSON *body_shape = shape;
    cJSON *pref = NULL;
    if (payload) {
        pref = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(shape, "members"), payload);
        body_shape = model_ref_shape(m, pref);
        const char *bt = shape_type(body_shape);
        if (strcmp(bt, "blob") == 0 || strcmp(bt, "string") == 0) {
            char *raw = strndup(h->body, h->body_len);
            cJSON_AddItemToObject(params, payload, cJSON_CreateString(raw));
            free(raw);
            return 0;
        }
    }
    cJSON *v = NULL;
    if (m->protocol == PROTO_REST_XML) {
        char err[160];
        xnode_t *root = xml_parse(h->body, h->body_len, err, sizeof err);
        if (!root) return sim_err(e, 400, "InvalidInput", "Could not parse XML request body: %s", err);
        v = xml_to_value(m, body_shape, root, 0);
        xml_free(root);
    } else {
        v = cJSON_ParseWithLength(h->body, h->body_len);
        if (!v || !cJSON_IsObject(v)) {
            cJSON_Delete(v);
            return sim_err(e, 400, "SerializationException", "Could not parse request body into json");
        }
        json_coerce_input(m, body_shape, v, 0);
    }
    if (payload) {
        cJSON_AddItemToObject(params, payload, v);
        return 0;
    }
    /* merge body members; located members already set win */
    cJSON *it;
    while ((it = v->child)) {
        cJSON_DetachItemViaPointer(v, it);
        if (cJSON_GetObjectItemCaseSensitive(params, it->string))
            cJSON_Delete(it);
        else
            cJSON_AddItemToObject(params, it->string, it);
    }
    cJSON_Delete(v);
    return 0;
}

int rest_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e) {
    cJSON *labels = cJSON_CreateObject();
    size_t plen = strlen(h->path);
    char *full = malloc(plen + (h->query ? strlen(h->query) : 0) + 2);
    strcpy(full, h->path);
    if (h->query) {
        strcat(full, "?");
        strcat(full, h->query);
    }
    *op = model_match_rest(m, h->method, full, labels);
    free(full);
    if (!*op) {
        cJSON_Delete(labels);
        if (m->protocol == PROTO_REST_XML) /* 400: the model's status for InvalidInput wins anyway */
            return sim_err(e, 400, "InvalidInput", "No operation matches %s %.200s", h->method, h->path);
        return sim_err(e, 404, "UnknownOperationException", "No operation matches %s %.200s", h->method,
                       h->path);
    }
    const cJSON *shape = model_input_shape(m, *op);
    cJSON *p = cJSON_CreateObject();
    int rc = 0;
    if (shape) {
        add_located(m, shape, labels, h, p);
        rc = parse_body(m, shape, h, p, e);
    }
    cJSON_Delete(labels);
    if (rc != 0) {
        cJSON_Delete(p);
        return -1;
    }
    *params = p;
    return 0;
}

void rest_encode(const model_t *m, const cJSON *op, const cJSON *out, const char *rid, http_resp_t *r) {
    cJSON *http = cJSON_GetObjectItemCaseSensitive(op, "http");
    cJSON *code = cJSON_GetObjectItemCaseSensitive(http, "responseCode");
    r->status = cJSON_IsNumber(code) ? code->valueint : 200;
    if (m->protocol == PROTO_REST_XML) resp_header(r, "x-amz-request-id", rid);
    const cJSON *shape = model_output_shape(m, op);
    strbuf_t b;
    sb_init(&b);
    const char *payload = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "payload"));
    if (shape) {
        cJSON *ref;
        cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
            const char *loc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "location"));
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(out, ref->string);
            if (!loc || !v) continue;
            if (strcmp(loc, "header") == 0) {
                const char *ln = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "locationName"));
                strbuf_t t;
                sb_init(&t);
                scalar_to_text(model_ref_shape(m, ref), v, "rfc822", &t);
                resp_header(r, ln ? ln : ref->string, t.buf ? t.buf : "");
                sb_free(&t);
            } else if (strcmp(loc, "statusCode") == 0 && cJSON_IsNumber(v)) {
                r->status = v->valueint;
            }
        }
    }
    if (m->protocol == PROTO_REST_XML) {
        str_copy(r->content_type, sizeof r->content_type, "text/xml");
        const char *ns = m->xml_ns ? m->xml_ns : "https://route53.amazonaws.com/doc/2013-04-01/";
        if (shape) {
            const cJSON *body_shape = shape;
            const cJSON *body_val = out;
            const char *root = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(op, "output"), "locationName"));
            char rootbuf[160];
            if (!root) {
                snprintf(rootbuf, sizeof rootbuf, "%s",
                         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                             cJSON_GetObjectItemCaseSensitive(op, "output"), "shape")));
                root = rootbuf;
            }
            if (payload) {
                cJSON *pref = cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(shape, "members"), payload);
                body_shape = model_ref_shape(m, pref);
                body_val = cJSON_GetObjectItemCaseSensitive(out, payload);
                const char *ln = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pref, "locationName"));
                root = ln ? ln : payload;
            }
            sb_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"%s\">", root, ns);
            if (body_val) xml_write_members(m, body_shape, body_val, &b, 0);
            sb_printf(&b, "</%s>\n", root);
        }
    } else {
        str_copy(r->content_type, sizeof r->content_type, "application/json");
        int done = -1;
        if (shape && payload) {
            cJSON *pref =
                cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(shape, "members"), payload);
            done = json_write_output(&b, m, model_ref_shape(m, pref),
                                     cJSON_GetObjectItemCaseSensitive(out, payload));
        } else if (shape) {
            done = json_write_output(&b, m, shape, out);
        }
        if (done != 0) sb_puts(&b, "{}");
    }
    r->body = sb_detach(&b, &r->body_len);
}
