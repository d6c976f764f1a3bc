/*
 * xml.c — XML for the query and REST-XML protocols: expat parse into a small tree, and
 * model-driven conversion both ways (lists with <member> or the member's locationName,
 * flattened lists, maps as <entry><key/><value/></entry>, timestamps as ISO-8601).
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "proto/proto.h"

#define XML_MAX_DEPTH 64

typedef struct {
    xnode_t *root;
    xnode_t *stack[XML_MAX_DEPTH];
    int depth;
    int too_deep;
    strbuf_t text[XML_MAX_DEPTH];
} xparse_t;

static const char *local_name(const char *n) {
    const char *c = strrchr(n, ':');
    if (!c) c = strrchr(n, ' '); /* expat namespace separator */
    return c ? c + 1 : n;
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
    (void)atts;
    xparse_t *x = ud;
    if (x->depth >= XML_MAX_DEPTH - 1) {
        x->too_deep = 1;
        x->depth++;
        return;
    }
    xnode_t *n = calloc(1, sizeof *n);
    n->name = strdup(local_name(name));
    if (x->depth == 0) {
        x->root = n; /* expat refuses a second root element ("junk after document element") */
    } else {
        xnode_t **pp = &x->stack[x->depth - 1]->child;
        while (*pp)
            pp = &(*pp)->next;
        *pp = n;
    }
    x->stack[x->depth] = n;
    sb_init(&x->text[x->depth]);
    x->depth++;
}

static void on_end(void *ud, const XML_Char *name) {
    (void)name;
    xparse_t *x = ud;
    x->depth--;
    if (x->depth >= XML_MAX_DEPTH - 1) return;
    x->stack[x->depth]->text = sb_detach(&x->text[x->depth], NULL);
}

static void on_text(void *ud, const XML_Char *s, int len) {
    xparse_t *x = ud;
    if (x->depth <= 0 || x->depth >= XML_MAX_DEPTH) return;
    sb_putn(&x->text[x->depth - 1], s, (size_t)len);
}

xnode_t *xml_parse(const char *data, size_t len, char *err, size_t errlen) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    xparse_t x = {0};
    XML_SetUserData(p, &x);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    int ok = XML_Parse(p, data, (int)len, 1) == XML_STATUS_OK && !x.too_deep;
    if (!ok && err)
        snprintf(err, errlen, "%s at line %lu",
                 x.too_deep ? "nesting too deep" : XML_ErrorString(XML_GetErrorCode(p)),
                 (unsigned long)XML_GetCurrentLineNumber(p));
    /* free any text buffers left open by a failed parse */
    for (int i = 0; i < XML_MAX_DEPTH && i < x.depth; i++)
        sb_free(&x.text[i]);
    XML_ParserFree(p);
    if (!ok) {
        xml_free(x.root);
        return NULL;
    }
    return x.root;
}

void xml_free(xnode_t *n) {
    while (n) {
        xnode_t *next = n->next;
        xml_free(n->child);
        free(n->name);
        free(n->text);
        free(n);
        n = next;
    }
}

xnode_t *xml_child(const xnode_t *n, const char *name) {
    for (xnode_t *c = n ? n->child : NULL; c; c = c->next)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

static const char *member_wire_name(const cJSON *ref, const char *dflt) {
    const char *ln = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "locationName"));
    return ln ? ln : dflt;
}

static int is_flattened(const cJSON *ref, const cJSON *shape) {
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ref, "flattened")) ||
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "flattened"));
}

/* Never NULL for a model shape: the parser keeps trees under XML_MAX_DEPTH levels. */
cJSON *xml_to_value(const model_t *m, const cJSON *shape, const xnode_t *n, int depth) {
    if (!shape || !n || depth > XML_MAX_DEPTH) return NULL;
    const char *type = shape_type(shape);
    if (strcmp(type, "structure") == 0) {
        cJSON *obj = cJSON_CreateObject();
        cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members");
        cJSON *ref;
        cJSON_ArrayForEach(ref, members) {
            const char *loc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "location"));
            if (loc) continue; /* uri/querystring/header members are not in the body */
            const cJSON *ms = model_ref_shape(m, ref);
            const char *wire = member_wire_name(ref, ref->string);
            if (strcmp(shape_type(ms), "list") == 0 && is_flattened(ref, ms)) {
                cJSON *arr = NULL;
                const cJSON *el_shape = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(ms, "member"));
                for (xnode_t *c = n->child; c; c = c->next) {
                    if (strcmp(c->name, wire) != 0) continue;
                    if (!arr) arr = cJSON_CreateArray();
                    cJSON_AddItemToArray(arr, xml_to_value(m, el_shape, c, depth + 1));
                }
                if (arr) cJSON_AddItemToObject(obj, ref->string, arr);
                continue;
            }
            xnode_t *c = xml_child(n, wire);
            if (c) cJSON_AddItemToObject(obj, ref->string, xml_to_value(m, ms, c, depth + 1));
        }
        return obj;
    }
    if (strcmp(type, "list") == 0) {
        cJSON *mref = cJSON_GetObjectItemCaseSensitive(shape, "member");
        const cJSON *el_shape = model_ref_shape(m, mref);
        const char *wire = member_wire_name(mref, "member");
        cJSON *arr = cJSON_CreateArray();
        for (xnode_t *c = n->child; c; c = c->next)
            if (strcmp(c->name, wire) == 0)
                cJSON_AddItemToArray(arr, xml_to_value(m, el_shape, c, depth + 1));
        return arr;
    }
    if (strcmp(type, "map") == 0) {
        cJSON *kref = cJSON_GetObjectItemCaseSensitive(shape, "key");
        cJSON *vref = cJSON_GetObjectItemCaseSensitive(shape, "value");
        const char *kn = member_wire_name(kref, "key"), *vn = member_wire_name(vref, "value");
        cJSON *obj = cJSON_CreateObject();
        for (xnode_t *c = n->child; c; c = c->next) {
            if (strcmp(c->name, "entry") != 0) continue;
            xnode_t *k = xml_child(c, kn), *v = xml_child(c, vn);
            if (!k || !v) continue;
            cJSON *val = xml_to_value(m, model_ref_shape(m, vref), v, depth + 1);
            if (val) cJSON_AddItemToObject(obj, k->text ? k->text : "", val);
        }
        return obj;
    }
    return scalar_from_text(m, shape, n->text ? n->text : "");
}

void xml_write_members(const model_t *m, const cJSON *shape, const cJSON *val, strbuf_t *b, int depth) {
    cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members");
    cJSON *ref;
    cJSON_ArrayForEach(ref, members) {
        const char *loc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "location"));
        if (loc) continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(val, ref->string);
        if (!v || cJSON_IsNull(v)) continue;
        const cJSON *ms = model_ref_shape(m, ref);
        const char *wire = member_wire_name(ref, ref->string);
        if (strcmp(shape_type(ms), "list") == 0 && is_flattened(ref, ms)) {
            const cJSON *el_shape = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(ms, "member"));
            const cJSON *el;
            cJSON_ArrayForEach(el, v) xml_write_value(m, el_shape, wire, el, b, depth + 1);
            continue;
        }
        xml_write_value(m, ms, wire, v, b, depth + 1);
    }
}

void xml_write_value(const model_t *m, const cJSON *shape, const char *name, const cJSON *val, strbuf_t *b,
                     int depth) {
    if (!shape || depth > XML_MAX_DEPTH) return;
    const char *type = shape_type(shape);
    sb_tag(b, 0, name);
    if (strcmp(type, "structure") == 0) {
        xml_write_members(m, shape, val, b, depth);
    } else if (strcmp(type, "list") == 0) {
        cJSON *mref = cJSON_GetObjectItemCaseSensitive(shape, "member");
        const cJSON *el_shape = model_ref_shape(m, mref);
        const char *wire = member_wire_name(mref, "member");
        const cJSON *el;
        cJSON_ArrayForEach(el, val) xml_write_value(m, el_shape, wire, el, b, depth + 1);
    } else if (strcmp(type, "map") == 0) {
        cJSON *kref = cJSON_GetObjectItemCaseSensitive(shape, "key");
        cJSON *vref = cJSON_GetObjectItemCaseSensitive(shape, "value");
        const char *kn = member_wire_name(kref, "key"), *vn = member_wire_name(vref, "value");
        const cJSON *el;
        cJSON_ArrayForEach(el, val) {
            sb_puts(b, "<entry>");
            sb_tag(b, 0, kn);
            sb_xml_escape(b, el->string);
            sb_tag(b, 1, kn);
            xml_write_value(m, model_ref_shape(m, vref), vn, el, b, depth + 1);
            sb_puts(b, "</entry>");
        }
    } else if (cJSON_IsString(val)) {
        sb_xml_escape(b, val->valuestring);
    } else {
        strbuf_t t;
        sb_init(&t);
        scalar_to_text(shape, val, "iso8601", &t);
        if (t.buf) sb_xml_escape(b, t.buf);
        sb_free(&t);
    }
    sb_tag(b, 1, name);
}
