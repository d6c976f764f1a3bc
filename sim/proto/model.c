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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODELS 16

static model_t models[MAX_MODELS];
static int nmodels;
static pthread_mutex_t models_lock = PTHREAD_MUTEX_INITIALIZER;

/* Name → item hash indexes over a model's "shapes" and "operations" objects (cJSON's object lookup
 * is a linear strcmp scan, and encoding one response looks up dozens of shapes among ~1,000), the
 * resolved shapes (mshape_t) and a shape object → resolved shape map. */
typedef struct {
    const char *name;
    const cJSON *item;
    const mshape_t *shape;          /* shapes: the resolved shape */
    const mshape_t *input, *output; /* operations: the resolved input/output shapes (NULL when none) */
    unsigned char input_ts;         /* operations: 0 not known yet, 1 no timestamp in the input, 2 some */
} nslot_t;
typedef struct {
    nslot_t *slots;
    unsigned mask;
} nindex_t;
typedef struct {
    const cJSON *key;
    const mshape_t *shape;
} pslot_t;
struct model_info {
    nindex_t shapes, ops;
    mshape_t *all; /* one per child of "shapes", in order */
    int nall;
    pslot_t *by_json;
    unsigned pmask;
};

static unsigned name_hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static unsigned ptr_hash(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    return (unsigned)((x * 0x9E3779B97F4A7C15ull) >> 32);
}

static const mshape_t *model_shape_info_raw(const struct model_info *in, const cJSON *shape) {
    for (unsigned h = ptr_hash(shape) & in->pmask; in->by_json[h].key; h = (h + 1) & in->pmask)
        if (in->by_json[h].key == shape) return in->by_json[h].shape;
    return NULL;
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
        if (!ix->slots[h].name) ix->slots[h] = (nslot_t){.name = it->string, .item = it}; /* first wins */
    }
}

static nslot_t *index_slot(const nindex_t *ix, const char *name) {
    for (unsigned h = name_hash(name) & ix->mask; ix->slots[h].name; h = (h + 1) & ix->mask)
        if (strcmp(ix->slots[h].name, name) == 0) return &ix->slots[h];
    return NULL;
}

static const mshape_t *info_ref(const struct model_info *in, const cJSON *ref) {
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "shape"));
    const nslot_t *slot = name ? index_slot(&in->shapes, name) : NULL;
    return slot ? slot->shape : NULL;
}

static mtype_t type_of(const char *t) {
    static const char *const NAMES[] = {"structure", "list",  "map",     "string",    "integer", "long",
                                        "double",    "float", "boolean", "timestamp", "blob"};
    for (int i = 0; i < (int)(sizeof NAMES / sizeof NAMES[0]); i++)
        if (strcmp(t, NAMES[i]) == 0) return (mtype_t)i;
    return MT_OTHER;
}

static struct model_info *info_build(const model_t *m) {
    struct model_info *in = calloc(1, sizeof *in);
    index_build(&in->shapes, m->shapes);
    index_build(&in->ops, m->operations);
    in->nall = cJSON_GetArraySize(m->shapes);
    in->all = calloc((size_t)in->nall + 1, sizeof *in->all);
    unsigned cap = 16;
    while (cap < 2 * (unsigned)in->nall + 16)
        cap *= 2;
    in->by_json = calloc(cap, sizeof *in->by_json);
    in->pmask = cap - 1;
    /* first the shapes themselves, so the second pass can point members at them */
    int i = 0;
    const cJSON *js;
    cJSON_ArrayForEach(js, m->shapes) {
        mshape_t *s = &in->all[i++];
        s->json = js;
        s->type_name = shape_type(js);
        s->type = type_of(s->type_name);
        s->document = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(js, "document"));
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(js, "min");
        s->min = cJSON_IsNumber(x) ? x : NULL;
        x = cJSON_GetObjectItemCaseSensitive(js, "max");
        s->max = cJSON_IsNumber(x) ? x : NULL;
        x = cJSON_GetObjectItemCaseSensitive(js, "enum");
        s->enums = cJSON_IsArray(x) ? x : NULL;
        s->timestamp_format = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(js, "timestampFormat"));
        unsigned h = ptr_hash(js) & in->pmask;
        while (in->by_json[h].key)
            h = (h + 1) & in->pmask;
        in->by_json[h] = (pslot_t){js, s};
    }
    for (unsigned h = 0; h <= in->shapes.mask; h++)
        if (in->shapes.slots[h].item)
            in->shapes.slots[h].shape = model_shape_info_raw(in, in->shapes.slots[h].item);
    for (i = 0; i < in->nall; i++) {
        mshape_t *s = &in->all[i];
        if (s->type == MT_LIST || s->type == MT_MAP)
            s->elem = info_ref(
                in, cJSON_GetObjectItemCaseSensitive(s->json, s->type == MT_LIST ? "member" : "value"));
        if (s->type != MT_STRUCTURE) continue;
        const cJSON *members = cJSON_GetObjectItemCaseSensitive(s->json, "members");
        int n = cJSON_GetArraySize(members), k = 0;
        mmember_t *mm = calloc((size_t)n + 1, sizeof *mm);
        const cJSON *ref;
        cJSON_ArrayForEach(ref, members) {
            mmember_t *x = &mm[k++];
            x->name = ref->string;
            x->ref = ref;
            x->shape = info_ref(in, ref);
            x->has_location = cJSON_GetObjectItemCaseSensitive(ref, "location") != NULL;
            x->location_name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "locationName"));
        }
        s->members = mm;
        s->nmembers = k;
        const cJSON *required = cJSON_GetObjectItemCaseSensitive(s->json, "required"), *req;
        const char **rq = calloc((size_t)cJSON_GetArraySize(required) + 1, sizeof *rq);
        k = 0;
        cJSON_ArrayForEach(req, required) {
            if (cJSON_IsString(req)) rq[k++] = req->valuestring;
        }
        s->required = rq;
        s->nrequired = k;
    }
    for (unsigned h = 0; h <= in->ops.mask; h++) {
        nslot_t *slot = &in->ops.slots[h];
        if (!slot->item) continue;
        slot->input = info_ref(in, cJSON_GetObjectItemCaseSensitive(slot->item, "input"));
        slot->output = info_ref(in, cJSON_GetObjectItemCaseSensitive(slot->item, "output"));
    }
    return in;
}

void model_release_info(model_t *m) {
    struct model_info *in = m->info;
    if (!in) return;
    for (int i = 0; i < in->nall; i++) {
        free((void *)in->all[i].members);
        free((void *)in->all[i].required);
    }
    free(in->all);
    free(in->by_json);
    free(in->shapes.slots);
    free(in->ops.slots);
    free(in);
    m->info = NULL;
}

/* Built at load for model_get's models; a model_t made elsewhere gets it on first use (threads
 * that race build it twice and keep the first). */
static const struct model_info *info_of(const model_t *m) {
    struct model_info *in = __atomic_load_n(&m->info, __ATOMIC_ACQUIRE);
    if (in) return in;
    struct model_info *built = info_build(m);
    model_t tmp = {.info = built};
    if (__atomic_compare_exchange_n(&((model_t *)m)->info, &in, built, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return built;
    model_release_info(&tmp);
    return in;
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
    m->info = info_build(m);
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
    const nslot_t *slot = name ? index_slot(&info_of(m)->ops, name) : NULL;
    return slot ? slot->item : NULL;
}

const cJSON *model_shape(const model_t *m, const char *name) {
    const nslot_t *slot = name ? index_slot(&info_of(m)->shapes, name) : NULL;
    return slot ? slot->item : NULL;
}

const mshape_t *model_shape_info(const model_t *m, const cJSON *shape) {
    return shape ? model_shape_info_raw(info_of(m), shape) : NULL;
}

const mmember_t *mshape_member(const mshape_t *s, const char *name) {
    if (!s || !name) return NULL;
    for (int i = 0; i < s->nmembers; i++)
        if (strcmp(s->members[i].name, name) == 0) return &s->members[i];
    return NULL;
}

/* The op's slot in m's operation index (found by identity), or NULL. */
static nslot_t *op_slot(const model_t *m, const cJSON *op) {
    if (!op || !op->string) return NULL;
    const nindex_t *ix = &info_of(m)->ops;
    for (unsigned h = name_hash(op->string) & ix->mask; ix->slots[h].name; h = (h + 1) & ix->mask)
        if (ix->slots[h].item == op) return &ix->slots[h];
    return NULL;
}

/* The op's resolved input shape (NULL when none). */
static const mshape_t *input_info(const model_t *m, const cJSON *op) {
    const nslot_t *slot = op_slot(m, op);
    if (slot) return slot->input;
    return model_shape_info(m, model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(op, "input")));
}

const cJSON *model_ref_shape(const model_t *m, const cJSON *ref) {
    return model_shape(m, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ref, "shape")));
}

const char *shape_type(const cJSON *shape) {
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(shape, "type"));
    return t ? t : "structure";
}

const cJSON *model_input_shape(const model_t *m, const cJSON *op) {
    const nslot_t *slot = op_slot(m, op);
    if (slot) return slot->input ? slot->input->json : NULL;
    return model_ref_shape(m, cJSON_GetObjectItemCaseSensitive(op, "input"));
}

const cJSON *model_output_shape(const model_t *m, const cJSON *op) {
    const nslot_t *slot = op_slot(m, op);
    if (slot) return slot->output ? slot->output->json : NULL;
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
    nslot_t *slot = op_slot(m, op);
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
    int route53;       /* the model is Route 53's */
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

static void validate_value(vctx_t *v, const mshape_t *shape, const cJSON *val, const vpath_t *path,
                           int depth);

static void validate_structure(vctx_t *v, const mshape_t *shape, const cJSON *val, const vpath_t *path,
                               int depth) {
    for (int i = 0; i < shape->nrequired; i++) {
        const char *req = shape->required[i];
        cJSON *present = cJSON_GetObjectItemCaseSensitive(val, req);
        if (!present || cJSON_IsNull(present)) {
            vpath_t p = {path, VP_MEMBER, req, 0};
            verr(v, NULL, "null", &p, "Member must not be null");
        }
    }
    cJSON *item;
    cJSON_ArrayForEach(item, val) {
        const mmember_t *mem = mshape_member(shape, item->string);
        if (!mem) continue; /* unknown members are ignored, as AWS's JSON services do */
        vpath_t p = {path, VP_MEMBER, item->string, 0};
        int xsd = v->xsd;
        if (depth == 0) /* the input's own members: only those in the body are in the XML document */
            v->xsd = v->route53 && !mem->has_location;
        validate_value(v, mem->shape, item, &p, depth + 1);
        v->xsd = xsd;
    }
}

static void validate_value(vctx_t *v, const mshape_t *shape, const cJSON *val, const vpath_t *path,
                           int depth) {
    if (!shape || cJSON_IsNull(val) || depth > 40) return;
    const char *type = shape->type_name;
    const cJSON *min = shape->min, *max = shape->max;
    char c[160];
    switch (shape->type) {
    case MT_STRUCTURE:
        if (!cJSON_IsObject(val)) {
            verr(v, val, NULL, path, "Member must be a structure");
            return;
        }
        validate_structure(v, shape, val, path, depth);
        break;
    case MT_LIST: {
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
        int i = 0;
        cJSON *el;
        cJSON_ArrayForEach(el, val) {
            vpath_t p = {path, VP_ELEMENT, NULL, ++i};
            validate_value(v, shape->elem, el, &p, depth + 1);
        }
        break;
    }
    case MT_MAP: {
        if (!cJSON_IsObject(val)) {
            verr(v, val, NULL, path, "Member must be a map");
            return;
        }
        cJSON *el;
        cJSON_ArrayForEach(el, val) {
            vpath_t p = {path, VP_MAPVALUE, el->string, 0};
            validate_value(v, shape->elem, el, &p, depth + 1);
        }
        break;
    }
    case MT_STRING: {
        if (!cJSON_IsString(val)) {
            verr(v, val, NULL, path, "Member must be a string");
            return;
        }
        const char *tname = shape->json->string ? shape->json->string : "string";
        const char *sv = val->valuestring;
        int has_min = min != NULL, has_max = max != NULL;
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
        const cJSON *en = shape->enums;
        if (en) {
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
        break;
    }
    case MT_INTEGER:
    case MT_LONG:
    case MT_DOUBLE:
    case MT_FLOAT: {
        if (!cJSON_IsNumber(val)) {
            verr(v, val, NULL, path, "Member must be a number");
            return;
        }
        int integral = type[0] == 'i' || type[0] == 'l';
        if (integral && val->valuedouble != floor(val->valuedouble)) {
            verr(v, val, NULL, path, "Member must be an integer");
            return;
        }
        const char *tname = shape->json->string ? shape->json->string : type;
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
        break;
    }
    case MT_BOOLEAN:
        if (!cJSON_IsBool(val)) verr(v, val, NULL, path, "Member must be a boolean");
        break;
    case MT_TIMESTAMP:
        if (!cJSON_IsNumber(val)) verr(v, val, NULL, path, "Member must be a timestamp");
        break;
    case MT_BLOB:
        if (!cJSON_IsString(val)) verr(v, val, NULL, path, "Member must be a blob");
        break;
    case MT_OTHER:
        break;
    }
}

static const char *validation_code(const model_t *m) {
    if (strcmp(m->key, "route53") == 0) return "InvalidInput";
    if (strcmp(m->key, "ram") == 0) return "InvalidParameterException";
    if (m->protocol == PROTO_QUERY) return "ValidationError";
    return "ValidationException";
}

/* Remove members the shape does not define, at every depth (documents are left whole). */
static void drop_unknown(const mshape_t *shape, cJSON *val, int depth) {
    if (!shape || !val || depth > 40 || shape->document) return;
    if (shape->type == MT_STRUCTURE && cJSON_IsObject(val)) {
        for (cJSON *item = val->child, *next; item; item = next) {
            next = item->next;
            const mmember_t *mem = mshape_member(shape, item->string);
            if (!mem)
                cJSON_Delete(cJSON_DetachItemViaPointer(val, item));
            else
                drop_unknown(mem->shape, item, depth + 1);
        }
    } else if ((shape->type == MT_LIST && cJSON_IsArray(val)) ||
               (shape->type == MT_MAP && cJSON_IsObject(val))) {
        cJSON *item;
        cJSON_ArrayForEach(item, val) drop_unknown(shape->elem, item, depth + 1);
    }
}

void model_drop_unknown_input(const model_t *m, const cJSON *op, cJSON *in) {
    drop_unknown(input_info(m, op), in, 0);
}

int model_validate_input(const model_t *m, const cJSON *op, const cJSON *in, sim_error_t *e) {
    const mshape_t *shape = input_info(m, op);
    if (!shape) return 0;
    vctx_t v; /* (the text buffers are not cleared: they are written as strings from [0]) */
    v.m = m;
    v.count = 0;
    v.text[0] = 0;
    v.route53 = strcmp(m->key, "route53") == 0;
    v.xsd = 0;
    v.xsd_msg[0] = 0;
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
