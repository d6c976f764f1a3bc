/*
 * query.c — the AWS query protocol (STS, IAM): form-encoded Action/Version/parameters in,
 * <OpResponse><OpResult>…</OpResult><ResponseMetadata/></OpResponse> out.
 *
 * Lists are Name.member.N (Name.N when flattened), maps Name.entry.N.key/.value; values are
 * converted to the model's types before validation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

static int has_prefix_key(const cJSON *form, const char *prefix) {
    size_t n = strlen(prefix);
    const cJSON *it;
    cJSON_ArrayForEach(it, form) if (strncmp(it->string, prefix, n) == 0 && it->string[n] == '.') return 1;
    return 0;
}

static cJSON *build(const model_t *m, const cJSON *shape, const char *key, const cJSON *form, int depth) {
    if (!shape || depth > 32) return NULL;
    const char *type = shape_type(shape);
    char k[512];
    if (strcmp(type, "structure") == 0) {
        if (*key && !has_prefix_key(form, key)) return NULL;
        cJSON *obj = cJSON_CreateObject();
        cJSON *ref;
        cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
            const char *ln = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "locationName"));
            snprintf(k, sizeof k, "%s%s%s", key, *key ? "." : "", ln ? ln : ref->string);
            cJSON *v = build(m, model_ref_shape(m, ref), k, form, depth + 1);
            if (v) cJSON_AddItemToObject(obj, ref->string, v);
        }
        return obj;
    }
    if (strcmp(type, "list") == 0) {
        cJSON *mref = cJSON_GetObjectItemCaseSensitive(shape, "member");
        int flat = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "flattened"));
        const char *ln = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(mref, "locationName"));
        const cJSON *exact = cJSON_GetObjectItemCaseSensitive(form, key);
        if (!has_prefix_key(form, key)) return exact ? cJSON_CreateArray() : NULL; /* "Tags=" is [] */
        cJSON *arr = cJSON_CreateArray();
        for (int i = 1; i <= 1000; i++) {
            if (flat)
                snprintf(k, sizeof k, "%s.%d", key, i);
            else
                snprintf(k, sizeof k, "%s.%s.%d", key, ln ? ln : "member", i);
            cJSON *v = build(m, model_ref_shape(m, mref), k, form, depth + 1);
            if (!v) break;
            cJSON_AddItemToArray(arr, v);
        }
        return arr;
    }
    if (strcmp(type, "map") == 0) {
        if (!has_prefix_key(form, key)) return NULL;
        cJSON *obj = cJSON_CreateObject();
        for (int i = 1; i <= 1000; i++) {
            snprintf(k, sizeof k, "%s.entry.%d.key", key, i);
            const char *mk = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(form, k));
            if (!mk) break;
            snprintf(k, sizeof k, "%s.entry.%d.value", key, i);
            cJSON *v = build(m, model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, "value")), k, form,
                             depth + 1);
            cJSON_AddItemToObject(obj, mk, v ? v : cJSON_CreateString(""));
        }
        return obj;
    }
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(form, key));
    return text ? scalar_from_text(m, shape, text) : NULL;
}

int query_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e) {
    cJSON *form = form_parse(h->query ? h->query : "", h->query ? strlen(h->query) : 0);
    if (h->body_len) {
        cJSON *body = form_parse(h->body, h->body_len);
        cJSON *it;
        while ((it = body->child)) {
            cJSON_DetachItemViaPointer(body, it);
            if (cJSON_GetObjectItemCaseSensitive(form, it->string)) {
                /* cJSON frees the replacement's own name before copying `string`: pass a copy
                 * (found by fuzz_query: a key in both the query string and the body). */
                char *key = strdup(it->string);
                cJSON_ReplaceItemInObjectCaseSensitive(form, key, it);
                free(key);
            } else
                cJSON_AddItemToObject(form, it->string, it);
        }
        cJSON_Delete(body);
    }
    const char *action = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(form, "Action"));
    if (!action || !*action) {
        cJSON_Delete(form);
        return sim_err(e, 400, "MissingAction", "Missing Action");
    }
    *op = model_operation(m, action);
    if (!*op) {
        sim_err(e, 400, "InvalidAction", "Could not find operation %.200s for version %s", action,
                m->api_version ? m->api_version : "");
        cJSON_Delete(form);
        return -1;
    }
    const cJSON *in_shape = model_input_shape(m, *op);
    cJSON *p = in_shape ? build(m, in_shape, "", form, 0) : NULL;
    *params = p ? p : cJSON_CreateObject();
    cJSON_Delete(form);
    return 0;
}

void query_encode(const model_t *m, const cJSON *op, const cJSON *out, const char *rid, http_resp_t *r) {
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "name"));
    cJSON *oref = cJSON_GetObjectItemCaseSensitive(op, "output");
    const char *wrapper = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(oref, "resultWrapper"));
    strbuf_t b;
    sb_init(&b);
    /* <NameResponse xmlns="..."> <NameResult>...</NameResult> <ResponseMetadata>... (no printf: hot path) */
    sb_putc(&b, '<');
    sb_puts(&b, name);
    sb_puts(&b, "Response xmlns=\"");
    sb_puts(&b, m->xml_ns ? m->xml_ns : "");
    sb_puts(&b, "\">\n");
    const cJSON *shape = model_ref_shape(m, oref);
    if (shape) {
        char dflt[160];
        str_copy(dflt, sizeof dflt, name);
        strncat(dflt, "Result", sizeof dflt - strlen(dflt) - 1);
        const char *w = wrapper ? wrapper : dflt;
        sb_puts(&b, "  ");
        sb_tag(&b, 0, w);
        xml_write_members(m, shape, out, &b, 0);
        sb_tag(&b, 1, w);
        sb_putc(&b, '\n');
    }
    sb_puts(&b, "  <ResponseMetadata>\n    <RequestId>");
    sb_xml_escape(&b, rid);
    sb_puts(&b, "</RequestId>\n  </ResponseMetadata>\n</");
    sb_puts(&b, name);
    sb_puts(&b, "Response>\n");
    r->status = 200;
    r->body = sb_detach(&b, &r->body_len);
    str_copy(r->content_type, sizeof r->content_type, "text/xml");
}
