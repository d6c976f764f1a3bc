/*
 * proto.h — the protocol layer: HTTP request ⇄ (operation, parameters as cJSON) and
 * (result | error) ⇄ the protocol's exact bytes, driven by the botocore model.
 *
 * Protocols: query (form in, XML out: STS, IAM), JSON 1.0/1.1 (Step Functions, DMS), REST-XML
 * (Route 53), REST-JSON (RAM). Services never see HTTP, XML or form encoding.
 */
#ifndef AWSSIM_PROTO_H
#define AWSSIM_PROTO_H

#include "core/util.h"
#include "proto/model.h"

#define MAX_RESP_HEADERS 8

typedef struct http_req {
    const char *method;
    const char *path;  /* raw path, without the query string */
    const char *query; /* raw query string or NULL */
    const char *body;
    size_t body_len;
    const char *(*header)(void *ctx, const char *name); /* case-insensitive lookup */
    void *hctx;
} http_req_t;

typedef struct http_resp {
    int status;
    char *body; /* malloc'd */
    size_t body_len;
    char content_type[64];
    int nheaders;
    char hname[MAX_RESP_HEADERS][64];
    char hval[MAX_RESP_HEADERS][512];
} http_resp_t;

/* An empty response (no status, body, content type or headers). The header arrays are left as
 * they are: only the first nheaders entries are ever read (4.6 KB not cleared per request). */
void resp_init(http_resp_t *r);
void resp_header(http_resp_t *r, const char *name, const char *value);
void resp_free(http_resp_t *r);
/* r's content type for the JSON protocol: "application/x-amz-json-" and the model's version. */
void json_content_type(const model_t *m, http_resp_t *r);

/* Find the operation and build its parameters. On error fills e (and returns -1). */
int proto_decode(const model_t *m, const http_req_t *h, const cJSON **op, cJSON **params, sim_error_t *e);
/* Serialise a successful result. */
void proto_encode_result(const model_t *m, const cJSON *op, const cJSON *out, const char *request_id,
                         http_resp_t *r);
/* Serialise an error in the protocol's shape; the model's status for the code wins when known. */
void proto_encode_error(const model_t *m, const sim_error_t *e, const char *request_id, http_resp_t *r);
/* An error before any service was identified (unknown service): query-style XML like AWS's front door. */
void proto_encode_generic_error(const sim_error_t *e, const char *request_id, http_resp_t *r);

/* ---- shared pieces between the codecs ---- */
/* application/x-www-form-urlencoded → {"key": "value"} (decoded; last duplicate wins). */
cJSON *form_parse(const char *s, size_t n);
/* Convert a string leaf (query, XML text, URI label, header) to the shape's type; NULL when invalid. */
cJSON *scalar_from_text(const model_t *m, const cJSON *shape, const char *text);
/* Format a scalar for text protocols (XML, headers, query). ts_fmt: "iso8601" | "rfc822" | "unixTimestamp".
 */
void scalar_to_text(const cJSON *shape, const cJSON *val, const char *ts_fmt, strbuf_t *out);
/* Convert JSON input in place: timestamps given as strings become epoch seconds. */
int json_coerce_input(const model_t *m, const cJSON *shape, cJSON *val, int depth);
/* Copy output for JSON protocols following the shape (timestamps per timestampFormat, members in
 * model order). Members that are not in the shape are dropped. */
cJSON *json_shape_output(const model_t *m, const cJSON *shape, const cJSON *val, int depth);
/* Append the text of cJSON_PrintUnformatted(json_shape_output(m, shape, val, 0)) without building
 * that copy. -1, with nothing appended, where that copy is NULL or cannot be printed. */
int json_write_output(strbuf_t *b, const model_t *m, const cJSON *shape, const cJSON *val);

/* XML tree (expat). */
typedef struct xnode {
    char *name; /* local name, namespace prefix dropped */
    char *text;
    struct xnode *child, *next;
} xnode_t;
xnode_t *xml_parse(const char *data, size_t len, char *err, size_t errlen);
void xml_free(xnode_t *n);
xnode_t *xml_child(const xnode_t *n, const char *name);
/* Structure/list/map shaped value from an XML element. */
cJSON *xml_to_value(const model_t *m, const cJSON *shape, const xnode_t *n, int depth);
/* Write val as XML element `name` following shape. */
void xml_write_value(const model_t *m, const cJSON *shape, const char *name, const cJSON *val, strbuf_t *b,
                     int depth);
/* Write a structure's members (no enclosing element). Skips header/statusCode-bound members. */
void xml_write_members(const model_t *m, const cJSON *shape, const cJSON *val, strbuf_t *b, int depth);

#endif
