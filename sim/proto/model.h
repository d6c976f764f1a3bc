/*
 * model.h — botocore service models embedded in the binary, parsed on first use.
 *
 * The models drive everything generic: which operations exist, where each input member lives on
 * the wire (URI, query string, header, body), how to type-convert and validate it (required,
 * enums, lengths, ranges), how to serialise output, and which HTTP status an error code has.
 */
#ifndef AWSSIM_MODEL_H
#define AWSSIM_MODEL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/sim.h"

typedef struct embedded_model {
    const char *name;
    const char *data;
    size_t len;
} embedded_model_t;

extern const embedded_model_t EMBEDDED_MODELS[];

typedef enum { PROTO_QUERY, PROTO_JSON, PROTO_REST_XML, PROTO_REST_JSON } proto_kind_t;

struct model_info;

typedef struct model {
    char key[32];
    cJSON *root, *shapes, *operations, *metadata;
    proto_kind_t protocol;
    const char *target_prefix, *json_version, *xml_ns, *api_version, *signing_name;
    cJSON *errors_by_code; /* code -> shape name, built at load */
    /* Shapes and operations resolved once (see mshape_t): built at load for model_get's models,
     * on first use for a model_t put together by hand (free it with model_release_info). */
    struct model_info *info;
} model_t;

/* A shape with what the request path reads resolved once per model, so decode, validation and
 * encoding walk arrays instead of looking keys up in the model's cJSON objects on every call. */
typedef enum {
    MT_STRUCTURE,
    MT_LIST,
    MT_MAP,
    MT_STRING,
    MT_INTEGER,
    MT_LONG,
    MT_DOUBLE,
    MT_FLOAT,
    MT_BOOLEAN,
    MT_TIMESTAMP,
    MT_BLOB,
    MT_OTHER
} mtype_t;

typedef struct mshape mshape_t;
typedef struct {
    const char *name;           /* member name (its key in "members") */
    const cJSON *ref;           /* {"shape": ..., "location": ..., "locationName": ...} */
    const mshape_t *shape;      /* the target; NULL when the model does not define it */
    unsigned char has_location; /* "location" present: not a body member */
    const char *location_name;  /* "locationName" when a string */
} mmember_t;

struct mshape {
    const cJSON *json;     /* the shape's object in the model */
    const char *type_name; /* shape_type(json) */
    mtype_t type;
    unsigned char document; /* "document": true */
    const cJSON *min, *max; /* when numbers, else NULL */
    const cJSON *enums;     /* "enum" when an array, else NULL */
    const char *timestamp_format;
    const mmember_t *members; /* structure: in model order */
    int nmembers;
    const char *const *required; /* structure: "required" names in model order */
    int nrequired;
    const mshape_t *elem; /* list: the member's shape; map: the value's shape */
};

/* The resolved form of a shape of m (NULL for NULL or a shape m does not hold). */
const mshape_t *model_shape_info(const model_t *m, const cJSON *shape);
/* A structure's member called name (the first, as cJSON's lookup), or NULL. */
const mmember_t *mshape_member(const mshape_t *s, const char *name);
void model_release_info(model_t *m);

model_t *model_get(const char *key); /* NULL when unknown */
const cJSON *model_operation(const model_t *m, const char *name);
const cJSON *model_shape(const model_t *m, const char *name);
/* The shape a member/ref points at ({"shape": "X", ...}). */
const cJSON *model_ref_shape(const model_t *m, const cJSON *ref);
const char *shape_type(const cJSON *shape);
/* The op's input/output shape (NULL when none). */
const cJSON *model_input_shape(const model_t *m, const cJSON *op);
const cJSON *model_output_shape(const model_t *m, const cJSON *op);

/* Validate `in` against the op's input shape. Returns 0, or -1 with the protocol's validation error. */
/* AWS ignores request members its model does not define: drop them so handlers never see them
 * (a stray member must not reach a stored document). */
void model_drop_unknown_input(const model_t *m, const cJSON *op, cJSON *in);
int model_validate_input(const model_t *m, const cJSON *op, const cJSON *in, sim_error_t *e);
/* 1 when a timestamp member can occur anywhere in the op's input (JSON input then needs its
 * timestamp strings converted, proto.c json_coerce_input); 0 when none can. */
int model_input_has_timestamps(const model_t *m, const cJSON *op);
/* HTTP status the model gives an error code (error.httpStatusCode), or 0 when unknown. */
int model_error_status(const model_t *m, const char *code, int *sender_fault);

/* REST protocols: find the operation whose requestUri template matches method + path; fills
 * `labels` with the URI labels' values (decoded). Returns NULL when nothing matches. */
const cJSON *model_match_rest(const model_t *m, const char *method, const char *path, cJSON *labels);

#endif
