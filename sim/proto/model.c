/*
 * model.c — load embedded botocore models and validate input against them.
 *
 * Validation follows AWS's wording: "1 validation error detected: Value 'x' at 'roleSessionName'
 * failed to satisfy constraint: Member must have length greater than or equal to 2". The error
 * code depends on the protocol/service (ValidationError for query, ValidationException for JSON,
 * InvalidInput for Route 53, InvalidParameterException for RAM).
 */
#include "proto/model.h"

#include "core/util.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODELS 16

static model_t models[MAX_MODELS];
static int nmodels;
static pthread_mutex_t models_lock = PTHREAD_MUTEX_INITIALIZER;

/* Name → item hash index over a model's "shapes" and "operations" objects: cJSON's object lookup
 * is a linear strcmp scan, and encoding one response looks up dozens of shapes among ~1,000. */
typedef struct {
    const char *name;
    const cJSON *item;
    unsigned char input_ts; /* operations: 0 not known yet, 1 no timestamp in the input, 2 some */
} nslot_t;
typedef struct {
    nslot_t *slots;
    unsigned mask;
} nindex_t;
static nindex_t shape_ix[MAX_MODELS], op_ix[MAX_MODELS];

static unsigned name_hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void index_build(nindex_t *ix, const cJSON *obj) {
    unsigned n = (unsigned)cJSON_GetArraySize(obj), cap = 16;
    while (cap < 2 * n + 16)
        cap *= 2;
    ix->slots = calloc(cap, sizeof *ix->slots);
    ix->mask = cap - 1;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        if (!it->string) continue;
        unsigned h = name_hash(it->string) & ix->mask;
        while (ix->slots[h].name && strcmp(ix->slots[h].name, it->string) != 0)
            h = (h + 1) & ix->mask;
        if (!ix->slots[h].name) ix->slots[h] = (nslot_t){it->string, it, 0}; /* first wins, like cJSON */
    }
}

static const cJSON *index_get(const model_t *m, const nindex_t *all, const cJSON *obj, const char *name) {
    ptrdiff_t i = m - models;
    if (i < 0 || i >= MAX_MODELS || !all[i].slots) return cJSON_GetObjectItemCaseSensitive(obj, name);
    const nindex_t *ix = &all[i];
    for (unsigned h = name_hash(name) & ix->mask; ix->slots[h].name; h = (h + 1) & ix->mask)
        if (strcmp(ix->slots[h].name, name) == 0) return ix->slots[h].item;
    return NULL;
}

static void index_errors(model_t *m) {
    m->errors_by_code = cJSON_CreateObject();
    cJSON *shape;
    cJSON_ArrayForEach(shape, m->shapes) {
        cJSON *err = cJSON_GetObjectItemCaseSensitive(shape, "error");
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "exception"))) continue;
        const char *code = shape->string;
        cJSON *c = cJSON_GetObjectItemCaseSensitive(err, "code");
        if (cJSON_IsString(c)) code = c->valuestring;
        if (!cJSON_GetObjectItemCaseSensitive(m->errors_by_code, code))
            cJSON_AddStringToObject(m->errors_by_code, code, shape->string);
        if (!cJSON_GetObjectItemCaseSensitive(m->errors_by_code, shape->string))
            cJSON_AddStringToObject(m->errors_by_code, shape->string, shape->string);
    }
}

static int load(model_t *m, const embedded_model_t *em) {
    m->root = cJSON_ParseWithLength(em->data, em->len);
    if (!m->root) return -1;
    snprintf(m->key, sizeof m->key, "%s", em->name);
    m->shapes = cJSON_GetObjectItemCaseSensitive(m->root, "shapes");
    m->operations = cJSON_GetObjectItemCaseSensitive(m->root, "operations");
    m->metadata = cJSON_GetObjectItemCaseSensitive(m->root, "metadata");
    const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->metadata, "protocol"));
    m->protocol = !p                            ? PROTO_JSON
                  : strcmp(p, "query") == 0     ? PROTO_QUERY
                  : strcmp(p, "rest-xml") == 0  ? PROTO_REST_XML
                  : strcmp(p, "rest-json") == 0 ? PROTO_REST_JSON
                                                : PROTO_JSON;
    m->target_prefix = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->metadata, "targetPrefix"));
    m->json_version = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->metadata, "jsonVersion"));
    m->xml_ns = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->metadata, "xmlNamespace"));
    m->api_version = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->metadata, "apiVersion"));
    m->signing_name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->metadata, "signingName"));
    if (!m->signing_name)
        m->signing_name =
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->metadata, "endpointPrefix"));
    index_errors(m);
    ptrdiff_t i = m - models;
    index_build(&shape_ix[i], m->shapes);
    index_build(&op_ix[i], m->operations);
    return 0;
}

/* Models are only ever added, each fully loaded before nmodels counts it, so a lookup reads
 * nmodels once (acquire) and scans without the lock; loading takes it. */
model_t *model_get(const char *key) {
    if (!key) return NULL;
    for (int i = 0, n = __atomic_load_n(&nmodels, __ATOMIC_ACQUIRE); i < n; i++)
        if (strcmp(models[i].key, key) == 0) return &models[i];
    pthread_mutex_lock(&models_lock);
    for (int i = 0; i < nmodels; i++)
        if (strcmp(models[i].key, key) == 0) {
            pthread_mutex_unlock(&models_lock);
            return &models[i];
        }
    model_t *found = NULL;
    for (const embedded_model_t *em = EMBEDDED_MODELS; em->name; em++) {
        if (strcmp(em->name, key) != 0 || nmodels >= MAX_MODELS) continue;
        if (load(&models[nmodels], em) == 0) {
            found = &models[nmodels];
            __atomic_store_n(&nmodels, nmodels + 1, __ATOMIC_RELEASE);
        }
        break;
    }
    pthread_mutex_unlock(&models_lock);
    return found;
}

const cJSON *model_operation(const model_t *m, const char *name) {
    return name ? index_get(m, op_ix, m->operations, name) : NULL;
}

const cJSON *model_shape(const model_t *m, const char *name) {
    return name ? index_get(m, shape_ix, m->shapes, name) : NULL;
}

const cJSON *model_ref_shape(const model_t *m, const cJSON *ref) {
    return model_shape(m, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "shape")));
}

const char *shape_type(const cJSON *shape) {
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "type"));
    return t ? t : "structure";
}

const cJSON *model_input_shape(const model_t *m, const cJSON *op) {
    return model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(op, "input"));
}

const cJSON *model_output_shape(const model_t *m, const cJSON *op) {
    return model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(op, "output"));
}

/* Can a timestamp be reached from shape (members, list members, map values)? Shapes already on
 * the way are not entered again; a walk too large to track answers yes. */
#define REACH_MAX 1024
static int reaches_timestamp(const model_t *m, const cJSON *shape, const cJSON **seen, int *n) {
    if (!shape) return 0;
    for (int i = 0; i < *n; i++)
        if (seen[i] == shape) return 0;
    if (*n >= REACH_MAX) return 1;
    seen[(*n)++] = shape;
    const char *t = shape_type(shape);
    if (strcmp(t, "timestamp") == 0) return 1;
    if (strcmp(t, "structure") == 0) {
        const cJSON *ref;
        cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
            if (reaches_timestamp(m, model_ref_shape(m, ref), seen, n)) return 1;
        }
        return 0;
    }
    if (strcmp(t, "list") == 0 || strcmp(t, "map") == 0)
        return reaches_timestamp(
            m, model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, t[0] == 'l' ? "member" : "value")),
            seen, n);
    return 0;
}

int model_input_has_timestamps(const model_t *m, const cJSON *op) {
    ptrdiff_t i = m - models;
    if (!op || !op->string || i < 0 || i >= MAX_MODELS || !op_ix[i].slots) return 1;
    nindex_t *ix = &op_ix[i];
    nslot_t *slot = NULL;
    for (unsigned h = name_hash(op->string) & ix->mask; ix->slots[h].name; h = (h + 1) & ix->mask)
        if (ix->slots[h].item == op) {
            slot = &ix->slots[h];
            break;
        }
    if (!slot) return 1;
    /* computed once per operation; threads that race store the same answer */
    unsigned char known = __atomic_load_n(&slot->input_ts, __ATOMIC_RELAXED);
    if (!known) {
        const cJSON **seen = malloc(REACH_MAX * sizeof *seen);
        int n = 0;
        known = !seen || reaches_timestamp(m, model_input_shape(m, op), seen, &n) ? 2 : 1;
        free(seen);
        __atomic_store_n(&slot->input_ts, known, __ATOMIC_RELAXED);
    }
    return known == 2;
}

int model_error_status(const model_t *m, const char *code, int *sender_fault) {
    const char *shape_name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m->errors_by_code, code));
    const cJSON *shape = model_shape(m, shape_name);
    cJSON *err = cJSON_GetObjectItemCaseSensitive(shape, "error");
    if (!err) return 0;
    cJSON *st = cJSON_GetObjectItemCaseSensitive(err, "httpStatusCode");
    if (sender_fault) *sender_fault = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(err, "senderFault"));
    return cJSON_IsNumber(st) ? st->valueint : 0;
}

/* ---- validation ---- */

typedef struct {
    const model_t *m;
    int count;
    char text[900];
    int xsd;           /* validating a Route 53 XML body member (see xsd_err) */
    char xsd_msg[800]; /* the first XML schema violation, when there is one */
} vctx_t;

/* Route 53 checks a request body against its XML schema before anything else and answers the
 * first violation in the schema validator's (Xerces) words, e.g. "Invalid XML ; cvc-enumeration-
 * valid: Value 'X' is not facet-valid with respect to enumeration '[A, B]'. It must be a value from
 * the enumeration." The schema's simple types carry the model's shape names. */
static int xsd_err(vctx_t *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int xsd_err(vctx_t *v, const char *fmt, ...) {
    if (!v->xsd) return 0;
    if (!v->xsd_msg[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->xsd_msg, sizeof v->xsd_msg, fmt, ap);
        va_end(ap);
    }
    return 1;
}

/* Where a value sits in the input, as a chain up to the root; its text ("a.b.1.member.c") is
 * only written for an error message. */
typedef struct vpath {
    const struct vpath *up; /* NULL at the root */
    enum { VP_MEMBER, VP_ELEMENT, VP_MAPVALUE } kind;
    const char *name; /* member name or map key */
    int index;        /* list element, from 1 */
} vpath_t;

static void lower_first(const char *name, char *out, size_t n) {
    snprintf(out, n, "%s", name);
    if (out[0]) out[0] = (char)tolower((unsigned char)out[0]);
}

/* The path text, truncated level by level exactly as the 512-byte buffers it was built in. */
static void path_text(const vpath_t *p, char out[512]) {
    if (!p || !p->up) {
        out[0] = 0;
        return;
    }
    char up[512];
    path_text(p->up, up);
    if (p->kind == VP_MEMBER) {
        char name[128];
        lower_first(p->name, name, sizeof name);
        snprintf(out, 512, "%s%s%s", up, *up ? "." : "", name);
    } else if (p->kind == VP_ELEMENT) {
        snprintf(out, 512, "%s.%d.member", up, p->index);
    } else {
        snprintf(out, 512, "%s.%s", up, p->name);
    }
}

static void repr_value(const cJSON *val, char *buf, size_t n) {
    if (cJSON_IsString(val)) {
        snprintf(buf, n, "'%.*s'", 200, val->valuestring);
    } else if (cJSON_IsNumber(val)) {
        if (val->valuedouble == floor(val->valuedouble) && fabs(val->valuedouble) < 1e15)
            snprintf(buf, n, "'%lld'", (long long)val->valuedouble);
        else
            snprintf(buf, n, "'%g'", val->valuedouble);
    } else if (cJSON_IsBool(val)) {
        snprintf(buf, n, "'%s'", cJSON_IsTrue(val) ? "true" : "false");
    } else { /* (null values are skipped before they are shown) */
        snprintf(buf, n, "'[...]'");
    }
}

/* One violation: the value is shown as `fixed` when given, else as repr_value(val). */
static void verr(vctx_t *v, const cJSON *val, const char *fixed, const vpath_t *path,
                 const char *constraint) {
    v->count++;
    size_t len = strlen(v->text);
    if (len > sizeof v->text - 64) return;
    char repr[256], p[512];
    if (!fixed) repr_value(val, repr, sizeof repr);
    path_text(path, p);
    snprintf(v->text + len, sizeof v->text - len, "%sValue %s at '%s' failed to satisfy constraint: %s",
             len ? "; " : "", fixed ? fixed : repr, p, constraint);
}

static size_t utf8_len(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static void validate_value(vctx_t *v, const cJSON *shape, const cJSON *val, const vpath_t *path, int depth);

static void validate_structure(vctx_t *v, const cJSON *shape, const cJSON *val, const vpath_t *path,
                               int depth) {
    cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members");
    cJSON *required = cJSON_GetObjectItemCaseSensitive(shape, "required");
    cJSON *req;
    cJSON_ArrayForEach(req, required) {
        if (!cJSON_IsString(req)) continue;
        cJSON *present = cJSON_GetObjectItemCaseSensitive(val, req->valuestring);
        if (!present || cJSON_IsNull(present)) {
            vpath_t p = {path, VP_MEMBER, req->valuestring, 0};
            verr(v, NULL, "null", &p, "Member must not be null");
        }
    }
    cJSON *item;
    cJSON_ArrayForEach(item, val) {
        cJSON *ref = cJSON_GetObjectItemCaseSensitive(members, item->string);
        if (!ref) continue; /* unknown members are ignored, as AWS's JSON services do */
        vpath_t p = {path, VP_MEMBER, item->string, 0};
        int xsd = v->xsd;
        if (depth == 0) /* the input's own members: only those in the body are in the XML document */
            v->xsd = strcmp(v->m->key, "route53") == 0 && !cJSON_GetObjectItemCaseSensitive(ref, "location");
        validate_value(v, model_ref_shape(v->m, ref), item, &p, depth + 1);
        v->xsd = xsd;
    }
}

static void validate_value(vctx_t *v, const cJSON *shape, const cJSON *val, const vpath_t *path, int depth) {
    if (!shape || cJSON_IsNull(val) || depth > 40) return;
    const char *type = shape_type(shape);
    cJSON *min = cJSON_GetObjectItemCaseSensitive(shape, "min");
    cJSON *max = cJSON_GetObjectItemCaseSensitive(shape, "max");
    char c[160];
    if (strcmp(type, "structure") == 0) {
        if (!cJSON_IsObject(val)) {
            verr(v, val, NULL, path, "Member must be a structure");
            return;
        }
        validate_structure(v, shape, val, path, depth);
    } else if (strcmp(type, "list") == 0) {
        if (!cJSON_IsArray(val)) {
            verr(v, val, NULL, path, "Member must be a list");
            return;
        }
        int n = cJSON_GetArraySize(val);
        if (cJSON_IsNumber(min) && n < min->valueint) {
            snprintf(c, sizeof c, "Member must have length greater than or equal to %d", min->valueint);
            verr(v, NULL, "'[...]'", path, c);
        }
        if (cJSON_IsNumber(max) && n > max->valueint) {
            snprintf(c, sizeof c, "Member must have length less than or equal to %d", max->valueint);
            verr(v, NULL, "'[...]'", path, c);
        }
        const cJSON *mshape = model_ref_shape(v->m, cJSON_GetObjectItemCaseSensitive(shape, "member"));
        int i = 0;
        cJSON *el;
        cJSON_ArrayForEach(el, val) {
            vpath_t p = {path, VP_ELEMENT, NULL, ++i};
            validate_value(v, mshape, el, &p, depth + 1);
        }
    } else if (strcmp(type, "map") == 0) {
        if (!cJSON_IsObject(val)) {
            verr(v, val, NULL, path, "Member must be a map");
            return;
        }
        const cJSON *vshape = model_ref_shape(v->m, cJSON_GetObjectItemCaseSensitive(shape, "value"));
        cJSON *el;
        cJSON_ArrayForEach(el, val) {
            vpath_t p = {path, VP_MAPVALUE, el->string, 0};
            validate_value(v, vshape, el, &p, depth + 1);
        }
    } else if (strcmp(type, "string") == 0) {
        if (!cJSON_IsString(val)) {
            verr(v, val, NULL, path, "Member must be a string");
            return;
        }
        const char *tname = shape->string ? shape->string : "string";
        const char *sv = val->valuestring;
        int has_min = cJSON_IsNumber(min), has_max = cJSON_IsNumber(max);
        size_t n = 0;
        if (has_min || has_max) {
            /* The character count is at most the byte count, and at least 1 when the first byte starts
             * a character: only a string near a limit needs it counted. */
            size_t bytes = strlen(sv);
            int min_ok = !has_min || min->valueint == 0 ||
                         (min->valueint == 1 && bytes && ((unsigned char)sv[0] & 0xC0) != 0x80);
            int max_ok = !has_max || (max->valuedouble >= 0 && (double)bytes <= max->valuedouble);
            if (min_ok && max_ok)
                has_min = has_max = 0;
            else
                n = utf8_len(sv);
        }
        if (has_min && n < (size_t)min->valueint &&
            !xsd_err(v,
                     "cvc-minLength-valid: Value '%s' with length = '%zu' is not facet-valid with respect to "
                     "minLength '%d' for type '%s'.",
                     val->valuestring, n, min->valueint, tname)) {
            snprintf(c, sizeof c, "Member must have length greater than or equal to %d", min->valueint);
            verr(v, val, NULL, path, c);
        }
        if (has_max && n > (size_t)max->valuedouble &&
            !xsd_err(v,
                     "cvc-maxLength-valid: Value '%s' with length = '%zu' is not facet-valid with respect to "
                     "maxLength '%.0f' for type '%s'.",
                     val->valuestring, n, max->valuedouble, tname)) {
            snprintf(c, sizeof c, "Member must have length less than or equal to %.0f", max->valuedouble);
            verr(v, val, NULL, path, c);
        }
        cJSON *en = cJSON_GetObjectItemCaseSensitive(shape, "enum");
        if (cJSON_IsArray(en)) {
            int ok = 0;
            cJSON *x;
            cJSON_ArrayForEach(x, en) {
                if (cJSON_IsString(x) && strcmp(x->valuestring, val->valuestring) == 0) {
                    ok = 1;
                    break;
                }
            }
            if (!ok) {
                char list[600] = "", repr[256];
                cJSON_ArrayForEach(x, en) {
                    size_t l = strlen(list);
                    if (l < sizeof list - 64)
                        snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "", x->valuestring);
                }
                repr_value(val, repr, sizeof repr);
                if (!xsd_err(v,
                             "cvc-enumeration-valid: Value %s is not facet-valid with respect to "
                             "enumeration '[%s]'. It must be a value from the enumeration.",
                             repr, list)) {
                    char cc[700];
                    snprintf(cc, sizeof cc, "Member must satisfy enum value set: [%s]", list);
                    verr(v, val, NULL, path, cc);
                }
            }
        }
    } else if (strcmp(type, "integer") == 0 || strcmp(type, "long") == 0 || strcmp(type, "double") == 0 ||
               strcmp(type, "float") == 0) {
        if (!cJSON_IsNumber(val)) {
            verr(v, val, NULL, path, "Member must be a number");
            return;
        }
        int integral = type[0] == 'i' || type[0] == 'l';
        if (integral && val->valuedouble != floor(val->valuedouble)) {
            verr(v, val, NULL, path, "Member must be an integer");
            return;
        }
        const char *tname = shape->string ? shape->string : type;
        char repr[256];
        if (cJSON_IsNumber(min) && val->valuedouble < min->valuedouble &&
            (repr_value(val, repr, sizeof repr),
             !xsd_err(v,
                      "cvc-minInclusive-valid: Value %s is not facet-valid with respect to minInclusive '%g' "
                      "for type '%s'.",
                      repr, min->valuedouble, tname))) {
            snprintf(c, sizeof c, "Member must have value greater than or equal to %g", min->valuedouble);
            verr(v, val, NULL, path, c);
        }
        if (cJSON_IsNumber(max) && val->valuedouble > max->valuedouble &&
            (repr_value(val, repr, sizeof repr),
             !xsd_err(v,
                      "cvc-maxInclusive-valid: Value %s is not facet-valid with respect to maxInclusive '%g' "
                      "for type '%s'.",
                      repr, max->valuedouble, tname))) {
            snprintf(c, sizeof c, "Member must have value less than or equal to %g", max->valuedouble);
            verr(v, val, NULL, path, c);
        }
    } else if (strcmp(type, "boolean") == 0) {
        if (!cJSON_IsBool(val)) verr(v, val, NULL, path, "Member must be a boolean");
    } else if (strcmp(type, "timestamp") == 0) {
        if (!cJSON_IsNumber(val)) verr(v, val, NULL, path, "Member must be a timestamp");
    } else if (strcmp(type, "blob") == 0) {
        if (!cJSON_IsString(val)) verr(v, val, NULL, path, "Member must be a blob");
    }
}

static const char *validation_code(const model_t *m) {
    if (strcmp(m->key, "route53") == 0) return "InvalidInput";
    if (strcmp(m->key, "ram") == 0) return "InvalidParameterException";
    if (m->protocol == PROTO_QUERY) return "ValidationError";
    return "ValidationException";
}

/* Remove members the shape does not define, at every depth (documents are left whole). */
static void drop_unknown(const model_t *m, const cJSON *shape, cJSON *val, int depth) {
    if (!shape || !val || depth > 40 || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "document")))
        return;
    const char *type = shape_type(shape);
    if (strcmp(type, "structure") == 0 && cJSON_IsObject(val)) {
        cJSON *members = cJSON_GetObjectItemCaseSensitive(shape, "members");
        for (cJSON *item = val->child, *next; item; item = next) {
            next = item->next;
            cJSON *ref = cJSON_GetObjectItemCaseSensitive(members, item->string);
            if (!ref)
                cJSON_Delete(cJSON_DetachItemViaPointer(val, item));
            else
                drop_unknown(m, model_ref_shape(m, ref), item, depth + 1);
        }
    } else if (strcmp(type, "list") == 0 && cJSON_IsArray(val)) {
        const cJSON *el = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, "member"));
        cJSON *item;
        cJSON_ArrayForEach(item, val) drop_unknown(m, el, item, depth + 1);
    } else if (strcmp(type, "map") == 0 && cJSON_IsObject(val)) {
        const cJSON *vs = model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(shape, "value"));
        cJSON *item;
        cJSON_ArrayForEach(item, val) drop_unknown(m, vs, item, depth + 1);
    }
}

void model_drop_unknown_input(const model_t *m, const cJSON *op, cJSON *in) {
    drop_unknown(m, model_input_shape(m, op), in, 0);
}

int model_validate_input(const model_t *m, const cJSON *op, const cJSON *in, sim_error_t *e) {
    const cJSON *shape = model_input_shape(m, op);
    if (!shape) return 0;
    vctx_t v = {.m = m};
    if (in && !cJSON_IsObject(in)) {
        return sim_err(e, 400, m->protocol == PROTO_JSON ? "SerializationException" : validation_code(m),
                       "Start of structure or map found where not expected.");
    }
    cJSON *empty = NULL;
    if (!in) in = empty = cJSON_CreateObject();
    vpath_t root = {NULL, VP_MEMBER, NULL, 0};
    validate_structure(&v, shape, in, &root, 0);
    cJSON_Delete(empty);
    if (v.xsd_msg[0]) return sim_err(e, 400, "InvalidInput", "Invalid XML ; %s", v.xsd_msg);
    if (!v.count) return 0;
    return sim_err(e, 400, validation_code(m), "%d validation error%s detected: %s", v.count,
                   v.count > 1 ? "s" : "", v.text);
}

/* ---- REST routing ---- */

/* Match "/2013-04-01/hostedzone/{Id}/rrset" against a path; labels get decoded values. */
static int match_template(const char *tpl, const char *path, cJSON *labels) {
    const char *t = tpl, *p = path;
    while (*t && *t != '?') {
        if (*t == '{') {
            const char *close = strchr(t, '}');
            if (!close) return 0;
            int greedy = close[-1] == '+';
            char name[128];
            size_t nl = (size_t)(close - t - 1 - greedy);
            if (nl >= sizeof name) return 0;
            memcpy(name, t + 1, nl);
            name[nl] = 0;
            t = close + 1;
            const char *end;
            if (greedy) {
                /* greedy label takes the rest up to the template's next literal suffix */
                size_t rest = strcspn(t, "?");
                size_t plen = strlen(p);
                if (plen < rest) return 0;
                end = p + plen - rest;
            } else {
                end = p;
                while (*end && *end != '/' && *end != *t)
                    end++;
            }
            if (end == p) return 0;
            char *val = url_decode(p, (size_t)(end - p), 0);
            cJSON_AddItemToObject(labels, name, cJSON_CreateString(val));
            free(val);
            p = end;
        } else {
            /* a template's trailing slash is optional (SDK v3 sends .../rrset for .../rrset/) */
            if (*t == '/' && (t[1] == 0 || t[1] == '?') && *p == 0) break;
            if (*t != *p) return 0;
            t++;
            p++;
        }
    }
    /* Allow a trailing slash difference, as AWS's front ends do. */
    if (*p == '/' && p[1] == 0) p++;
    return *p == 0;
}

/* Literal length of a template: more literal characters = more specific. */
static int literal_len(const char *tpl) {
    int n = 0, in = 0;
    for (; *tpl && *tpl != '?'; tpl++) {
        if (*tpl == '{')
            in = 1;
        else if (*tpl == '}')
            in = 0;
        else if (!in)
            n++;
    }
    return n;
}

/* Query-string literals in a template ("?tagging", "?type=x") must be present in the request. */
static int query_literals_ok(const char *tpl, const char *query) {
    const char *q = strchr(tpl, '?');
    if (!q) return 1;
    q++;
    char want[128];
    snprintf(want, sizeof want, "%s", q);
    char *eq = strchr(want, '=');
    if (eq) *eq = 0;
    if (!query) return 0;
    size_t wl = strlen(want);
    for (const char *s = query; s && *s;) {
        if (strncmp(s, want, wl) == 0 && (s[wl] == 0 || s[wl] == '=' || s[wl] == '&')) return 1;
        s = strchr(s, '&');
        if (s) s++;
    }
    return 0;
}

const cJSON *model_match_rest(const model_t *m, const char *method, const char *path, cJSON *labels) {
    const cJSON *best = NULL;
    int best_len = -1;
    const char *query = strchr(path, '?');
    char *bare = query ? strndup(path, (size_t)(query - path)) : strdup(path);
    if (query) query++;
    cJSON *op;
    cJSON_ArrayForEach(op, m->operations) {
        cJSON *http = cJSON_GetObjectItemCaseSensitive(op, "http");
        const char *meth = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(http, "method"));
        const char *uri = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(http, "requestUri"));
        if (!meth || !uri || strcmp(meth, method) != 0) continue;
        cJSON *tmp = cJSON_CreateObject();
        if (match_template(uri, bare, tmp) && query_literals_ok(uri, query)) {
            int len = literal_len(uri) + (strchr(uri, '?') ? 1000 : 0);
            if (len > best_len) {
                best_len = len;
                best = op;
                cJSON *c;
                while ((c = labels->child))
                    cJSON_Delete(cJSON_DetachItemViaPointer(labels, c));
                cJSON *it;
                cJSON_ArrayForEach(it, tmp) cJSON_AddItemToObject(labels, it->string, cJSON_Duplicate(it, 1));
            }
        }
        cJSON_Delete(tmp);
    }
    free(bare);
    return best;
}
