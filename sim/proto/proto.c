/*
 * proto.c — the protocol entry points and what the codecs share: scalar conversion, form
 * parsing, JSON shape walks, and each protocol's error shape.
 *
 * Error shapes (what botocore and the JS SDK parse):
 *   query:     <ErrorResponse
 * xmlns=NS><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse> json: {"__type":
 * CODE, "message": MSG} + x-amzn-ErrorType rest-xml:  <ErrorResponse
 * xmlns=NS><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse> rest-json: {"message": MSG} +
 * x-amzn-ErrorType: CODE
 */
#include "proto/proto.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

int query_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e);
void query_encode(const model_t *m, const cJSON *op, const cJSON *out, const char *rid, http_resp_t *r);
int json_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e);
void json_encode(const model_t *m, const cJSON *op, const cJSON *out, const char *rid, http_resp_t *r);
int rest_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e);
void rest_encode(const model_t *m, const cJSON *op, const cJSON *out, const char *rid, http_resp_t *r);

void resp_init(http_resp_t *r) {
    r->status = 0;
    r->body = NULL;
    r->body_len = 0;
    r->content_type[0] = 0;
    r->nheaders = 0;
}

void resp_header(http_resp_t *r, const char *name, const char *value) {
    if (r->nheaders >= MAX_RESP_HEADERS) return;
    str_copy(r->hname[r->nheaders], sizeof r->hname[0], name);
    str_copy(r->hval[r->nheaders], sizeof r->hval[0], value);
    r->nheaders++;
}

void json_content_type(const model_t *m, http_resp_t *r) {
    size_t n = str_copy(r->content_type, sizeof r->content_type, "application/x-amz-json-");
    str_copy(r->content_type + n, sizeof r->content_type - n, m->json_version ? m->json_version : "1.0");
}

void resp_free(http_resp_t *r) {
    free(r->body);
    r->body = NULL;
}

int proto_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e) {
    *op = NULL;
    *params = NULL;
    switch (m->protocol) {
    case PROTO_QUERY:
        return query_decode(m, h, op, params, e);
    case PROTO_JSON:
        return json_decode(m, h, op, params, e);
    default:
        return rest_decode(m, h, op, params, e);
    }
}

void proto_encode_result(const model_t *m, const cJSON *op, const cJSON *out, const char *rid,
                         http_resp_t *r) {
    resp_header(r, "x-amzn-RequestId", rid);
    switch (m->protocol) {
    case PROTO_QUERY:
        query_encode(m, op, out, rid, r);
        break;
    case PROTO_JSON:
        json_encode(m, op, out, rid, r);
        break;
    default:
        rest_encode(m, op, out, rid, r);
        break;
    }
}

static void xml_error_body(const char *ns, const sim_error_t *e, int sender, const char *rid,
                           http_resp_t *r) {
    strbuf_t b;
    sb_init(&b);
    sb_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse");
    if (ns) {
        sb_puts(&b, " xmlns=\"");
        sb_xml_escape(&b, ns);
        sb_puts(&b, "\"");
    }
    sb_printf(&b, "><Error><Type>%s</Type><Code>", sender ? "Sender" : "Receiver");
    sb_xml_escape(&b, e->code);
    sb_puts(&b, "</Code><Message>");
    sb_xml_escape(&b, e->message);
    sb_puts(&b, "</Message></Error><RequestId>");
    sb_xml_escape(&b, rid);
    sb_puts(&b, "</RequestId></ErrorResponse>\n");
    r->body = sb_detach(&b, &r->body_len);
    str_copy(r->content_type, sizeof r->content_type, "text/xml");
}

void proto_encode_error(const model_t *m, const sim_error_t *e, const char *rid, http_resp_t *r) {
    int sender_fault = 0;
    int status = model_error_status(m, e->code, &sender_fault);
    r->status = status ? status : (e->status ? e->status : 400);
    int sender = r->status < 500 && !e->server_fault;
    resp_header(r, "x-amzn-RequestId", rid);
    if (m->protocol == PROTO_QUERY || m->protocol == PROTO_REST_XML) {
        const char *ns =
            m->protocol == PROTO_QUERY ? m->xml_ns : "https://route53.amazonaws.com/doc/2013-04-01/";
        if (m->protocol == PROTO_REST_XML && m->xml_ns) ns = m->xml_ns;
        xml_error_body(ns, e, sender, rid, r);
        return;
    }
    cJSON *body = cJSON_CreateObject();
    if (m->protocol == PROTO_JSON) cJSON_AddStringToObject(body, "__type", e->code);
    cJSON_AddStringToObject(body, "message", e->message);
    r->body = json_print(body, &r->body_len);
    cJSON_Delete(body);
    resp_header(r, "x-amzn-ErrorType", e->code);
    if (m->protocol == PROTO_JSON)
        json_content_type(m, r);
    else
        str_copy(r->content_type, sizeof r->content_type, "application/json");
}

void proto_encode_generic_error(const sim_error_t *e, const char *rid, http_resp_t *r) {
    r->status = e->status ? e->status : 400;
    resp_header(r, "x-amzn-RequestId", rid);
    xml_error_body(NULL, e, r->status < 500, rid, r);
}

/* ---- shared conversions ---- */

static void form_put(char *k, char *v, void *ctx) {
    cJSON *obj = ctx;
    if (cJSON_GetObjectItemCaseSensitive(obj, k))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, k, cJSON_CreateString(v));
    else
        cJSON_AddItemToObject(obj, k, cJSON_CreateString(v));
}

cJSON *form_parse(const char *s, size_t n) {
    cJSON *obj = cJSON_CreateObject();
    query_each(s, n, 1, form_put, obj);
    return obj;
}

cJSON *scalar_from_text(const model_t *m, const cJSON *shape, const char *text) {
    (void)m;
    const char *type = shape_type(shape);
    if (strcmp(type, "string") == 0 || strcmp(type, "blob") == 0) return cJSON_CreateString(text);
    if (strcmp(type, "boolean") == 0) {
        if (strcmp(text, "true") == 0) return cJSON_CreateTrue();
        if (strcmp(text, "false") == 0) return cJSON_CreateFalse();
        return cJSON_CreateString(text); /* left for validation to reject */
    }
    if (strcmp(type, "integer") == 0 || strcmp(type, "long") == 0 || strcmp(type, "double") == 0 ||
        strcmp(type, "float") == 0) {
        char *end;
        double d = strtod(text, &end);
        if (!*text || *end || !isfinite(d)) return cJSON_CreateString(text);
        return cJSON_CreateNumber(d);
    }
    if (strcmp(type, "timestamp") == 0) {
        int64_t ms = parse_iso8601(text);
        if (ms < 0) {
            /* RFC 1123 in headers */
            struct tm tm = {0};
            char *end = strptime(text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
            if (end && !*end) return cJSON_CreateNumber((double)timegm(&tm));
            return cJSON_CreateString(text);
        }
        return cJSON_CreateNumber((double)ms / 1000.0);
    }
    return cJSON_CreateString(text);
}

void scalar_to_text(const cJSON *shape, const cJSON *val, const char *ts_fmt, strbuf_t *out) {
    const char *type = shape_type(shape);
    if (cJSON_IsString(val)) {
        sb_puts(out, val->valuestring);
    } else if (cJSON_IsBool(val)) {
        sb_puts(out, cJSON_IsTrue(val) ? "true" : "false");
    } else if (cJSON_IsNumber(val)) {
        if (strcmp(type, "timestamp") == 0) {
            const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "timestampFormat"));
            if (!f) f = ts_fmt;
            int64_t ms = (int64_t)llround(val->valuedouble * 1000.0);
            char buf[64];
            if (strcmp(f, "rfc822") == 0)
                fmt_rfc1123(ms, buf);
            else if (strcmp(f, "unixTimestamp") == 0)
                fmt_number(val->valuedouble, buf, sizeof buf);
            else
                fmt_iso8601(ms, buf);
            sb_puts(out, buf);
        } else {
            char buf[64];
            fmt_number(val->valuedouble, buf, sizeof buf);
            sb_puts(out, buf);
        }
    }
}

int json_coerce_input(const model_t *m, const cJSON *shape, cJSON *val, int depth) {
    if (!shape || !val || depth > 64) return 0;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "document"))) return 0;
    const char *type = shape_type(shape);
    if (strcmp(type, "timestamp") == 0 && cJSON_IsString(val)) {
        /* wherever it is (member, list element, map value) */
        int64_t ms_v = parse_iso8601(val->valuestring);
        if (ms_v >= 0) {
            cJSON_free(val->valuestring);
            val->valuestring = NULL;
            val->type = cJSON_Number;
            cJSON_SetNumberHelper(val, (double)ms_v / 1000.0);
        }
    } else if (strcmp(type, "structure") == 0 && cJSON_IsObject(val)) {
        cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members");
        cJSON *item;
        cJSON_ArrayForEach(item, val) {
            cJSON *ref = cJSON_GetObjectItemCaseSensitive(members, item->string);
            if (ref) json_coerce_input(m, model_ref_shape(m, ref), item, depth + 1);
        }
    } else if (strcmp(type, "list") == 0 && cJSON_IsArray(val)) {
        const cJSON *el = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, "member"));
        cJSON *item;
        cJSON_ArrayForEach(item, val) json_coerce_input(m, el, item, depth + 1);
    } else if (strcmp(type, "map") == 0 && cJSON_IsObject(val)) {
        const cJSON *vs = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, "value"));
        cJSON *item;
        cJSON_ArrayForEach(item, val) json_coerce_input(m, vs, item, depth + 1);
    }
    return 0;
}

/* ---- JSON output written straight from the result, without the copy ----
 * What cJSON_PrintUnformatted(json_shape_output(...)) prints, byte for byte, written as the shape
 * is walked: no tree is duplicated, built and freed per response (a list response copied every
 * item twice). shaped_present says whether json_shape_output would give an item at all, so a
 * member's key is only written when its value will be. */
static int shaped_present(const mshape_t *shape, const cJSON *val, int depth) {
    if (!val) return 0;
    if (!shape || depth > 64 || shape->document) return 1;
    if (shape->type == MT_STRUCTURE || shape->type == MT_MAP) return cJSON_IsObject(val);
    if (shape->type == MT_LIST) return cJSON_IsArray(val);
    return 1;
}

/* val is present (shaped_present). 0, or -1 where printing fails (what made cJSON's print NULL). */
static int write_shaped(strbuf_t *b, const mshape_t *shape, const cJSON *val, int depth) {
    if (!shape || depth > 64 || shape->document) return sb_json(b, val);
    if (shape->type == MT_STRUCTURE) {
        sb_putc(b, '{');
        int first = 1;
        for (int i = 0; i < shape->nmembers; i++) {
            const mmember_t *mem = &shape->members[i];
            if (mem->has_location) continue;
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(val, mem->name);
            if (!v || cJSON_IsNull(v)) continue;
            if (!shaped_present(mem->shape, v, depth + 1)) continue;
            if (!first) sb_putc(b, ',');
            first = 0;
            sb_json_string(b, mem->location_name ? mem->location_name : mem->name);
            sb_putc(b, ':');
            if (write_shaped(b, mem->shape, v, depth + 1) != 0) return -1;
        }
        sb_putc(b, '}');
        return 0;
    }
    if (shape->type == MT_LIST || shape->type == MT_MAP) {
        int map = shape->type == MT_MAP;
        const mshape_t *el = shape->elem;
        sb_putc(b, map ? '{' : '[');
        int first = 1;
        const cJSON *item;
        cJSON_ArrayForEach(item, val) {
            /* (cJSON_AddItemToObject refuses an item without a key) */
            if (!shaped_present(el, item, depth + 1) || (map && !item->string)) continue;
            if (!first) sb_putc(b, ',');
            first = 0;
            if (map) {
                sb_json_string(b, item->string);
                sb_putc(b, ':');
            }
            if (write_shaped(b, el, item, depth + 1) != 0) return -1;
        }
        sb_putc(b, map ? '}' : ']');
        return 0;
    }
    if (shape->type == MT_TIMESTAMP && cJSON_IsNumber(val)) {
        const char *f = shape->timestamp_format;
        if (f && strcmp(f, "unixTimestamp") != 0) {
            strbuf_t t;
            sb_init(&t);
            scalar_to_text(shape->json, val, f, &t);
            sb_json_string(b, t.buf ? t.buf : "");
            sb_free(&t);
            return 0;
        }
    }
    return sb_json(b, val);
}

int json_write_output(strbuf_t *b, const model_t *m, const cJSON *shape, const cJSON *val) {
    size_t at = b->len;
    const mshape_t *s = model_shape_info(m, shape);
    if (shape && !s) { /* not one of m's shapes: the copy's text, which the walk writes without it */
        cJSON *copy = json_shape_output(m, shape, val, 0);
        char *text = copy ? cJSON_PrintUnformatted(copy) : NULL;
        cJSON_Delete(copy);
        if (text) sb_puts(b, text);
        cJSON_free(text);
        return text ? 0 : -1;
    }
    if (shaped_present(s, val, 0) && write_shaped(b, s, val, 0) == 0) return 0;
    if (b->buf) b->buf[b->len = at] = 0;
    return -1;
}

cJSON *json_shape_output(const model_t *m, const cJSON *shape, const cJSON *val, int depth) {
    if (!val) return NULL;
    if (!shape || depth > 64 || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "document")))
        return cJSON_Duplicate(val, 1);
    const char *type = shape_type(shape);
    if (strcmp(type, "structure") == 0) {
        if (!cJSON_IsObject(val)) return NULL;
        cJSON *obj = cJSON_CreateObject();
        cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members");
        cJSON *ref;
        cJSON_ArrayForEach(ref, members) {
            const char *loc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "location"));
            if (loc) continue;
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(val, ref->string);
            if (!v || cJSON_IsNull(v)) continue;
            cJSON *c = json_shape_output(m, model_ref_shape(m, ref), v, depth + 1);
            const char *wire = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "locationName"));
            if (c) cJSON_AddItemToObject(obj, wire ? wire : ref->string, c);
        }
        return obj;
    }
    if (strcmp(type, "list") == 0) {
        if (!cJSON_IsArray(val)) return NULL;
        const cJSON *el = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, "member"));
        cJSON *arr = cJSON_CreateArray();
        const cJSON *item;
        cJSON_ArrayForEach(item, val) {
            cJSON *c = json_shape_output(m, el, item, depth + 1);
            if (c) cJSON_AddItemToArray(arr, c);
        }
        return arr;
    }
    if (strcmp(type, "map") == 0) {
        if (!cJSON_IsObject(val)) return NULL;
        const cJSON *vs = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, "value"));
        cJSON *obj = cJSON_CreateObject();
        const cJSON *item;
        cJSON_ArrayForEach(item, val) {
            cJSON *c = json_shape_output(m, vs, item, depth + 1);
            if (c) cJSON_AddItemToObject(obj, item->string, c);
        }
        return obj;
    }
    if (strcmp(type, "timestamp") == 0 && cJSON_IsNumber(val)) {
        const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "timestampFormat"));
        if (f && strcmp(f, "unixTimestamp") != 0) {
            strbuf_t b;
            sb_init(&b);
            scalar_to_text(shape, val, f, &b);
            cJSON *s = cJSON_CreateString(b.buf ? b.buf : "");
            sb_free(&b);
            return s;
        }
    }
    return cJSON_Duplicate(val, 1);
}
