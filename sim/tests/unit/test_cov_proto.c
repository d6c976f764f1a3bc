/*
 * test_cov_proto.c — the protocol codecs on the botocore model features the six embedded models
 * do not use yet, through small synthetic models: REST querystring lists, header members (RFC 1123
 * timestamps), greedy URI labels and query-string literals in request URIs, payload members (blob
 * and structure) both ways, statusCode and header output; REST-XML and query flattened lists and
 * maps (<entry><key/><value/></entry>, Name.entry.N.key); JSON timestampFormat and maps; and the
 * model validator's type constraints with AWS's wording.
 */
#include <stdio.h>

#include "testutil.h"

#include "core/util.h"
#include "proto/proto.h"

/* A model from JSON written with single quotes (no escaping in C strings). */
static model_t *mk(const char *key, const char *squoted) {
    char *text = strdup(squoted);
    for (char *p = text; *p; p++)
        if (*p == '\'') *p = '"';
    model_t *m = calloc(1, sizeof *m);
    m->root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(m->root, "bad model JSON for %s", key);
    snprintf(m->key, sizeof m->key, "%s", key);
    m->shapes = cJSON_GetObjectItem(m->root, "shapes");
    m->operations = cJSON_GetObjectItem(m->root, "operations");
    m->metadata = cJSON_GetObjectItem(m->root, "metadata");
    const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(m->metadata, "protocol"));
    m->protocol = !strcmp(p, "query")       ? PROTO_QUERY
                  : !strcmp(p, "rest-xml")  ? PROTO_REST_XML
                  : !strcmp(p, "rest-json") ? PROTO_REST_JSON
                                            : PROTO_JSON;
    m->xml_ns = cJSON_GetStringValue(cJSON_GetObjectItem(m->metadata, "xmlNamespace"));
    m->api_version = cJSON_GetStringValue(cJSON_GetObjectItem(m->metadata, "apiVersion"));
    m->errors_by_code = cJSON_CreateObject();
    return m;
}

static void mk_free(model_t *m) {
    model_release_info(m);
    cJSON_Delete(m->root);
    cJSON_Delete(m->errors_by_code);
    free(m);
}

/* Request headers for http_req_t: "name: value" pairs, NULL-terminated. */
static const char *hdr(void *ctx, const char *name) {
    for (const char **h = ctx; h && *h; h += 2)
        if (strcasecmp(h[0], name) == 0) return h[1];
    return NULL;
}

static int decode(const model_t *m, const char *method, const char *path, const char *query, const char *body,
                  const char **headers, const cJSON **op, cJSON **params, sim_error_t *e) {
    http_req_t h = {.method = method,
                    .path = path,
                    .query = query,
                    .body = body,
                    .body_len = body ? strlen(body) : 0,
                    .header = hdr,
                    .hctx = (void *)headers};
    memset(e, 0, sizeof *e);
    return proto_decode(m, &h, op, params, e);
}

static const char *op_name(const cJSON *op) {
    return cJSON_GetStringValue(cJSON_GetObjectItem(op, "name"));
}

static void assert_json(const cJSON *got, const char *squoted) {
    char *want_text = strdup(squoted);
    for (char *p = want_text; *p; p++)
        if (*p == '\'') *p = '"';
    cJSON *want = cJSON_Parse(want_text);
    cr_assert_not_null(want, "bad expected JSON %s", want_text);
    char *g = cJSON_PrintUnformatted(got);
    cr_assert(cJSON_Compare(got, want, 1), "got %s, want %s", g, want_text);
    free(g);
    free(want_text);
    cJSON_Delete(want);
}

static const char *resp_hdr(const http_resp_t *r, const char *name) {
    for (int i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->hname[i], name) == 0) return r->hval[i];
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */

static const char *REST_JSON =
    "{'metadata': {'protocol': 'rest-json'},"
    " 'operations': {"
    "  'GetThing': {'name': 'GetThing', 'http': {'method': 'GET', 'requestUri': '/things/{Bucket}'},"
    "               'input': {'shape': 'GetThingInput'}, 'output': {'shape': 'GetThingOutput'}},"
    "  'GetSpecial': {'name': 'GetSpecial', 'http': {'method': 'GET', 'requestUri': '/things/special'},"
    "                 'input': {'shape': 'GetThingInput'}},"
    "  'PutThing': {'name': 'PutThing', 'http': {'method': 'PUT', 'requestUri': "
    "'/things/{Bucket}/{Key+}?tagging'},"
    "               'input': {'shape': 'PutThingInput'}, 'output': {'shape': 'PutThingOutput'}},"
    "  'GetAcl': {'name': 'GetAcl', 'http': {'method': 'GET', 'requestUri': '/objects/{Key+}/acl'},"
    "             'input': {'shape': 'GetAclInput'}},"
    "  'PostConfig': {'name': 'PostConfig', 'http': {'method': 'POST', 'requestUri': '/config'},"
    "                 'input': {'shape': 'PostConfigInput'}, 'output': {'shape': 'PostConfigOutput'}}},"
    " 'shapes': {"
    "  'S': {'type': 'string'}, 'I': {'type': 'integer'}, 'B': {'type': 'boolean'}, 'Blob': {'type': 'blob'},"
    "  'T': {'type': 'timestamp'}, 'TIso': {'type': 'timestamp', 'timestampFormat': 'iso8601'},"
    "  'TUnix': {'type': 'timestamp', 'timestampFormat': 'unixTimestamp'},"
    "  'Ids': {'type': 'list', 'member': {'shape': 'S'}},"
    "  'Stamps': {'type': 'map', 'key': {'shape': 'S'}, 'value': {'shape': 'TIso'}},"
    "  'GetThingInput': {'type': 'structure', 'members': {"
    "     'Bucket': {'shape': 'S', 'location': 'uri', 'locationName': 'Bucket'},"
    "     'Flag': {'shape': 'B', 'location': 'querystring', 'locationName': 'flag'}}},"
    "  'GetThingOutput': {'type': 'structure', 'payload': 'Thing', 'members': {'Thing': {'shape': 'Thing'}}},"
    "  'Thing': {'type': 'structure', 'members': {'Name': {'shape': 'S'}, 'Stamps': {'shape': 'Stamps'},"
    "     'Seen': {'shape': 'TUnix'}}},"
    "  'PutThingInput': {'type': 'structure', 'payload': 'Body', 'members': {"
    "     'Bucket': {'shape': 'S', 'location': 'uri', 'locationName': 'Bucket'},"
    "     'Key': {'shape': 'S', 'location': 'uri', 'locationName': 'Key'},"
    "     'Ids': {'shape': 'Ids', 'location': 'querystring', 'locationName': 'id'},"
    "     'When': {'shape': 'T', 'location': 'header', 'locationName': 'x-when'},"
    "     'Count': {'shape': 'I', 'location': 'header', 'locationName': 'x-count'},"
    "     'Body': {'shape': 'Blob'}}},"
    "  'PutThingOutput': {'type': 'structure', 'members': {"
    "     'ETag': {'shape': 'S', 'location': 'header', 'locationName': 'ETag'},"
    "     'Modified': {'shape': 'T', 'location': 'header', 'locationName': 'Last-Modified'},"
    "     'Status': {'shape': 'I', 'location': 'statusCode'}}},"
    "  'GetAclInput': {'type': 'structure', 'members': {"
    "     'Key': {'shape': 'S', 'location': 'uri', 'locationName': 'Key'}}},"
    "  'PostConfigInput': {'type': 'structure', 'payload': 'Config', 'members': {'Config': {'shape': "
    "'Config'}}},"
    "  'PostConfigOutput': {'type': 'structure', 'payload': 'Config', 'members': {'Config': {'shape': "
    "'Config'}}},"
    "  'Doc': {'type': 'structure', 'members': {}, 'document': true},"
    "  'Config': {'type': 'structure', 'members': {'Name': {'shape': 'S'}, 'When': {'shape': 'T'},"
    "     'Stamps': {'shape': 'Stamps'}, 'Doc': {'shape': 'Doc'}}}}}";

Test(cov_proto, rest_uri_labels_querystring_lists_headers_and_blob_payload) {
    model_t *m = mk("cov-rest-json", REST_JSON);
    const cJSON *op;
    cJSON *p;
    sim_error_t e;
    const char *headers[] = {"x-when", "Thu, 01 Jan 2026 00:00:00 GMT", "X-Count", "7", NULL};
    cr_assert_eq(decode(m, "PUT", "/things/b1/dir/sub/file.txt", "tagging&id=1&id=2", "raw bytes", headers,
                        &op, &p, &e),
                 0, "%s", e.message);
    cr_assert_str_eq(op_name(op), "PutThing");
    /* the greedy label takes the rest of the path; a blob payload is the body as is */
    assert_json(p, "{'Bucket': 'b1', 'Key': 'dir/sub/file.txt', 'Ids': ['1', '2'], 'When': 1767225600,"
                   " 'Count': 7, 'Body': 'raw bytes'}");
    cJSON_Delete(p);
    /* a request URI's query literal (?tagging) must be present */
    cr_assert_neq(decode(m, "PUT", "/things/b1/k", "id=1", NULL, NULL, &op, &p, &e), 0);
    cr_assert_str_eq(e.code, "UnknownOperationException");
    cr_assert_eq(e.status, 404);
    cr_assert_str_eq(e.message, "No operation matches PUT /things/b1/k");
    cr_assert_eq(decode(m, "PUT", "/things/b1/k", "x=1&tagging=", NULL, NULL, &op, &p, &e), 0);
    cJSON_Delete(p);
    /* a greedy label before a literal suffix stops at the suffix */
    cr_assert_eq(decode(m, "GET", "/objects/a/b/acl", NULL, NULL, NULL, &op, &p, &e), 0);
    cr_assert_str_eq(op_name(op), "GetAcl");
    assert_json(p, "{'Key': 'a/b'}");
    cJSON_Delete(p);
    cr_assert_neq(decode(m, "GET", "/acl", NULL, NULL, NULL, &op, &p, &e), 0);
    mk_free(m);
}

Test(cov_proto, rest_most_specific_template_wins_and_takes_only_its_labels) {
    model_t *m = mk("cov-rest-json", REST_JSON);
    const cJSON *op;
    cJSON *p;
    sim_error_t e;
    cr_assert_eq(decode(m, "GET", "/things/special", "flag=true", NULL, NULL, &op, &p, &e), 0);
    cr_assert_str_eq(op_name(op), "GetSpecial");
    assert_json(p, "{'Flag': true}"); /* no Bucket label from the less specific /things/{Bucket} */
    cJSON_Delete(p);
    cr_assert_eq(decode(m, "GET", "/things/other", "flag=maybe", NULL, NULL, &op, &p, &e), 0);
    cr_assert_str_eq(op_name(op), "GetThing");
    assert_json(p, "{'Bucket': 'other', 'Flag': 'maybe'}"); /* left for validation to reject */
    cJSON_Delete(p);
    mk_free(m);
}

Test(cov_proto, rest_structure_payload_both_ways) {
    model_t *m = mk("cov-rest-json", REST_JSON);
    const cJSON *op;
    cJSON *p;
    sim_error_t e;
    const char *body =
        "{\"Name\": \"n\", \"When\": \"2026-01-01T00:00:01Z\", \"Stamps\": {\"a\": "
        "\"2026-01-01T00:00:02Z\", \"b\": \"soon\"}, \"Doc\": {\"When\": \"2026-01-01T00:00:03Z\"}}";
    cr_assert_eq(decode(m, "POST", "/config", NULL, body, NULL, &op, &p, &e), 0, "%s", e.message);
    /* timestamps as strings become epoch seconds, in maps too, but not inside a document */
    assert_json(p, "{'Config': {'Name': 'n', 'When': 1767225601, 'Stamps': {'a': 1767225602, 'b': 'soon'},"
                   " 'Doc': {'When': '2026-01-01T00:00:03Z'}}}");
    cJSON_Delete(p);
    http_resp_t r = {0};
    cJSON *out = cJSON_Parse("{\"Config\": {\"Name\": \"n\", \"When\": 1767225601, \"Stamps\": [1],"
                             " \"Doc\": {\"any\": [1, {\"x\": null}]}}}");
    proto_encode_result(m, op, out, "rid", &r);
    /* a map given a non-object is dropped; a document is copied as is */
    cr_assert_str_eq(r.body, "{\"Name\":\"n\",\"When\":1767225601,\"Doc\":{\"any\":[1,{\"x\":null}]}}");
    cJSON_Delete(out);
    resp_free(&r);
    mk_free(m);
}

Test(cov_proto, rest_header_status_code_and_timestamp_formats_out) {
    model_t *m = mk("cov-rest-json", REST_JSON);
    const cJSON *put = cJSON_GetObjectItem(m->operations, "PutThing");
    http_resp_t r = {0};
    cJSON *out = cJSON_Parse("{\"ETag\": \"abc\", \"Modified\": 1767225600, \"Status\": 201}");
    proto_encode_result(m, put, out, "rid", &r);
    cr_assert_eq(r.status, 201);
    cr_assert_str_eq(resp_hdr(&r, "ETag"), "abc");
    cr_assert_str_eq(resp_hdr(&r, "Last-Modified"), "Thu, 01 Jan 2026 00:00:00 GMT");
    cr_assert_str_eq(r.body, "{}");
    cJSON_Delete(out);
    resp_free(&r);
    const cJSON *get = cJSON_GetObjectItem(m->operations, "GetThing");
    memset(&r, 0, sizeof r);
    out = cJSON_Parse("{\"Thing\": {\"Name\": \"n\", \"Stamps\": {\"a\": 1767225600.5, \"b\": \"kept\"},"
                      " \"Seen\": 1767225600, \"Extra\": 1}}");
    proto_encode_result(m, get, out, "rid", &r);
    cr_assert_str_eq(r.body, "{\"Name\":\"n\",\"Stamps\":{\"a\":\"2026-01-01T00:00:00.500Z\",\"b\":\"kept\"},"
                             "\"Seen\":1767225600}");
    cJSON_Delete(out);
    resp_free(&r);
    mk_free(m);
}

/* ---------------------------------------------------------------------------------------- */

static const char *REST_XML =
    "{'metadata': {'protocol': 'rest-xml', 'xmlNamespace': 'https://example.com/doc/'},"
    " 'operations': {"
    "  'PutConfig': {'name': 'PutConfig', 'http': {'method': 'POST', 'requestUri': '/config'},"
    "                'input': {'shape': 'Config', 'locationName': 'PutConfigRequest'},"
    "                'output': {'shape': 'GetConfigOutput'}}},"
    " 'shapes': {"
    "  'S': {'type': 'string'}, 'I': {'type': 'integer'},"
    "  'Items': {'type': 'list', 'member': {'shape': 'S'}, 'flattened': true},"
    "  'Attrs': {'type': 'map', 'key': {'shape': 'S', 'locationName': 'k'}, 'value': {'shape': 'I', "
    "'locationName': 'v'}},"
    "  'Groups': {'type': 'list', 'member': {'shape': 'Group'}},"
    "  'Group': {'type': 'structure', 'members': {'Items': {'shape': 'Items', 'locationName': 'Item'}}},"
    "  'Config': {'type': 'structure', 'members': {"
    "     'Items': {'shape': 'Items', 'locationName': 'Item'}, 'Attrs': {'shape': 'Attrs'},"
    "     'Groups': {'shape': 'Groups'}, 'Seen': {'shape': 'TUnix'}}},"
    "  'TUnix': {'type': 'timestamp', 'timestampFormat': 'unixTimestamp'},"
    "  'GetConfigOutput': {'type': 'structure', 'payload': 'Config', 'members': {"
    "     'Config': {'shape': 'Config', 'locationName': 'ConfigResult'}}}}}";

Test(cov_proto, rest_xml_flattened_lists_and_maps_in) {
    model_t *m = mk("cov-rest-xml", REST_XML);
    const cJSON *op;
    cJSON *p;
    sim_error_t e;
    const char *body =
        "<PutConfigRequest xmlns=\"https://example.com/doc/\"><Item>a</Item><Other/><Item>b</Item>"
        "<Attrs><entry><k>x</k><v>1</v></entry><entry><k>no-value</k></entry><junk/>"
        "<entry><k>y</k><v>2</v></entry></Attrs>"
        "<Groups><member><Item>g1</Item></member><member/></Groups></PutConfigRequest>";
    cr_assert_eq(decode(m, "POST", "/config", NULL, body, NULL, &op, &p, &e), 0, "%s", e.message);
    /* an entry without its value is skipped; a group without items has no Items member */
    assert_json(p, "{'Items': ['a', 'b'], 'Attrs': {'x': 1, 'y': 2}, 'Groups': [{'Items': ['g1']}, {}]}");
    cJSON_Delete(p);
    mk_free(m);
}

Test(cov_proto, rest_xml_payload_flattened_lists_and_maps_out) {
    model_t *m = mk("cov-rest-xml", REST_XML);
    const cJSON *op = cJSON_GetObjectItem(m->operations, "PutConfig");
    http_resp_t r = {0};
    cJSON *out = cJSON_Parse("{\"Config\": {\"Items\": [\"a\", \"b\"], \"Attrs\": {\"x<y\": 1},"
                             " \"Groups\": [{\"Items\": [\"g\"]}], \"Seen\": 1767225600.5}}");
    proto_encode_result(m, op, out, "rid", &r);
    cr_assert_str_eq(r.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<ConfigResult xmlns=\"https://example.com/doc/\"><Item>a</Item><Item>b</Item>"
                             "<Attrs><entry><k>x&lt;y</k><v>1</v></entry></Attrs>"
                             "<Groups><member><Item>g</Item></member></Groups><Seen>1767225600.5</Seen>"
                             "</ConfigResult>\n");
    cr_assert_str_eq(resp_hdr(&r, "x-amz-request-id"), "rid");
    cJSON_Delete(out);
    resp_free(&r);
    mk_free(m);
}

Test(cov_proto, xml_has_one_root_element) {
    char err[160] = "";
    cr_assert_null(xml_parse("<a/><b/>", 8, err, sizeof err));
    cr_assert_str_eq(err, "junk after document element at line 1");
    xnode_t *n = xml_parse("<a><b>t</b></a>", 15, err, sizeof err);
    cr_assert_not_null(n);
    cr_assert_str_eq(xml_child(n, "b")->text, "t");
    xml_free(n);
}

/* ---------------------------------------------------------------------------------------- */

static const char *QUERY =
    "{'metadata': {'protocol': 'query', 'xmlNamespace': 'https://q.example.com/', 'apiVersion': "
    "'2020-01-01'},"
    " 'operations': {"
    "  'Tag': {'name': 'Tag', 'input': {'shape': 'TagInput'},"
    "          'output': {'shape': 'TagOutput', 'resultWrapper': 'TagResult'}}},"
    " 'shapes': {"
    "  'S': {'type': 'string'}, 'I': {'type': 'integer'},"
    "  'Attrs': {'type': 'map', 'key': {'shape': 'S'}, 'value': {'shape': 'S'}},"
    "  'Counts': {'type': 'map', 'key': {'shape': 'S'}, 'value': {'shape': 'I'}},"
    "  'Flat': {'type': 'list', 'member': {'shape': 'S'}, 'flattened': true},"
    "  'TagInput': {'type': 'structure', 'members': {'Attrs': {'shape': 'Attrs'}, 'Flat': {'shape': "
    "'Flat'}}},"
    "  'TagOutput': {'type': 'structure', 'members': {'Counts': {'shape': 'Counts'}, 'Flat': {'shape': "
    "'Flat'}}}}}";

Test(cov_proto, query_maps_and_flattened_lists) {
    model_t *m = mk("cov-query", QUERY);
    const cJSON *op;
    cJSON *p;
    sim_error_t e;
    const char *body = "Action=Bogus&Action=Tag&Attrs.entry.1.key=a&Attrs.entry.1.value=1&Attrs.entry.2.key=b"
                       "&Attrs.entry.4.key=skipped&Flat.1=x&Flat.2=y&Flat.4=z";
    cr_assert_eq(decode(m, "POST", "/", NULL, body, NULL, &op, &p, &e), 0, "%s", e.message);
    /* the last of a repeated key wins; entries and items stop at the first gap; a key without a value
     * maps to "" */
    assert_json(p, "{'Attrs': {'a': '1', 'b': ''}, 'Flat': ['x', 'y']}");
    cJSON_Delete(p);
    cr_assert_neq(decode(m, "POST", "/", NULL, "Version=2020-01-01", NULL, &op, &p, &e), 0);
    cr_assert_str_eq(e.code, "MissingAction");
    cr_assert_neq(decode(m, "POST", "/", "Action=Untag", NULL, NULL, &op, &p, &e), 0);
    cr_assert_str_eq(e.code, "InvalidAction");
    cr_assert_str_eq(e.message, "Could not find operation Untag for version 2020-01-01");
    http_resp_t r = {0};
    op = cJSON_GetObjectItem(m->operations, "Tag");
    cJSON *out = cJSON_Parse("{\"Counts\": {\"a\": 3}, \"Flat\": [\"x\", \"y\"]}");
    proto_encode_result(m, op, out, "rid", &r);
    cr_assert_str_eq(r.body, "<TagResponse xmlns=\"https://q.example.com/\">\n"
                             "  <TagResult><Counts><entry><key>a</key><value>3</value></entry></Counts>"
                             "<Flat>x</Flat><Flat>y</Flat></TagResult>\n"
                             "  <ResponseMetadata>\n    <RequestId>rid</RequestId>\n  </ResponseMetadata>\n"
                             "</TagResponse>\n");
    cJSON_Delete(out);
    resp_free(&r);
    mk_free(m);
}

/* ---------------------------------------------------------------------------------------- */

static const char *JSON_MODEL =
    "{'metadata': {'protocol': 'json', 'targetPrefix': 'Cov'},"
    " 'operations': {'Op': {'name': 'Op', 'input': {'shape': 'In'}}},"
    " 'shapes': {"
    "  'S': {'type': 'string'}, 'I': {'type': 'integer', 'min': 1}, 'D': {'type': 'double', 'max': 2},"
    "  'T': {'type': 'timestamp'}, 'Blob': {'type': 'blob'}, 'B': {'type': 'boolean'},"
    "  'L': {'type': 'list', 'member': {'shape': 'S'}, 'min': 1, 'max': 2},"
    "  'M': {'type': 'map', 'key': {'shape': 'S'}, 'value': {'shape': 'I'}},"
    "  'Inner': {'type': 'structure', 'members': {'S': {'shape': 'S'}}},"
    "  'In': {'type': 'structure', 'members': {'Inner': {'shape': 'Inner'}, 'L': {'shape': 'L'}, 'M': "
    "{'shape': 'M'},"
    "     'S': {'shape': 'S'}, 'I': {'shape': 'I'}, 'D': {'shape': 'D'}, 'T': {'shape': 'T'}, 'Blob': "
    "{'shape': "
    "'Blob'},"
    "     'B': {'shape': 'B'}, 'E': {'shape': 'E'}, 'Short': {'shape': 'Short'}}},"
    "  'E': {'type': 'string', 'enum': ['yes', 'no']}, 'Short': {'type': 'string', 'max': 3}}}";

static void invalid(model_t *m, const char *json_in, const char *code, const char *message) {
    cJSON *in = cJSON_Parse(json_in);
    cr_assert_not_null(in, "%s", json_in);
    sim_error_t e = {0};
    cr_assert_neq(model_validate_input(m, cJSON_GetObjectItem(m->operations, "Op"), in, &e), 0, "%s",
                  json_in);
    cr_assert_str_eq(e.code, code);
    cr_assert_str_eq(e.message, message);
    cJSON_Delete(in);
}

Test(cov_proto, validation_of_each_type) {
    model_t *m = mk("cov-json", JSON_MODEL);
    const char *V = "ValidationException";
    invalid(
        m, "{\"Inner\": 1}", V,
        "1 validation error detected: Value '1' at 'inner' failed to satisfy constraint: Member must be a "
        "structure");
    invalid(
        m, "{\"L\": \"x\"}", V,
        "1 validation error detected: Value 'x' at 'l' failed to satisfy constraint: Member must be a list");
    invalid(
        m, "{\"L\": []}", V,
        "1 validation error detected: Value '[...]' at 'l' failed to satisfy constraint: Member must have "
        "length greater than or equal to 1");
    invalid(
        m, "{\"L\": [\"a\", \"b\", 3]}", V,
        "2 validation errors detected: Value '[...]' at 'l' failed to satisfy constraint: Member must have "
        "length less than or equal to 2; Value '3' at 'l.3.member' failed to satisfy constraint: Member "
        "must be a string");
    invalid(
        m, "{\"M\": [1]}", V,
        "1 validation error detected: Value '[...]' at 'm' failed to satisfy constraint: Member must be a "
        "map");
    invalid(m, "{\"M\": {\"k\": 0}}", V,
            "1 validation error detected: Value '0' at 'm.k' failed to satisfy constraint: Member must have "
            "value greater than or equal to 1");
    invalid(
        m, "{\"Inner\": {\"S\": 1}}", V,
        "1 validation error detected: Value '1' at 'inner.s' failed to satisfy constraint: Member must be a "
        "string");
    invalid(m, "{\"I\": \"7\"}", V,
            "1 validation error detected: Value '7' at 'i' failed to satisfy constraint: Member must be a "
            "number");
    invalid(m, "{\"E\": \"maybe\", \"Short\": \"long\"}", V,
            "2 validation errors detected: Value 'maybe' at 'e' failed to satisfy constraint: Member must "
            "satisfy enum value set: [yes, no]; Value 'long' at 'short' failed to satisfy constraint: Member "
            "must have length less than or equal to 3");
    invalid(m, "{\"S\": true}", V,
            "1 validation error detected: Value 'true' at 's' failed to satisfy constraint: Member must be a "
            "string");
    invalid(m, "{\"I\": 1.5}", V,
            "1 validation error detected: Value '1.5' at 'i' failed to satisfy constraint: Member must be an "
            "integer");
    invalid(m, "{\"D\": 2.25}", V,
            "1 validation error detected: Value '2.25' at 'd' failed to satisfy constraint: Member must have "
            "value less than or equal to 2");
    invalid(
        m, "{\"T\": \"yesterday\"}", V,
        "1 validation error detected: Value 'yesterday' at 't' failed to satisfy constraint: Member must be "
        "a timestamp");
    invalid(m, "{\"Blob\": 5}", V,
            "1 validation error detected: Value '5' at 'blob' failed to satisfy constraint: Member must be a "
            "blob");
    invalid(m, "{\"B\": \"yes\"}", V,
            "1 validation error detected: Value 'yes' at 'b' failed to satisfy constraint: Member must be a "
            "boolean");
    /* a top-level value that is not an object: the JSON protocols' deserialisation error */
    invalid(m, "[1]", "SerializationException", "Start of structure or map found where not expected.");
    mk_free(m);
}

Test(cov_proto, non_object_input_to_query_service_is_a_validation_error) {
    sim_t *s = test_sim();
    cJSON *out = NULL;
    sim_error_t e;
    cr_assert_neq(test_call(s, "sts", TEST_ACCOUNT, "GetSessionToken", "[1]", &out, &e), 0);
    cr_assert_str_eq(e.code, "ValidationError");
    cr_assert_str_eq(e.message, "Start of structure or map found where not expected.");
    test_sim_free(s);
}

Test(cov_proto, scalars_from_text) {
    model_t *m = mk("cov-json", JSON_MODEL);
    cJSON *ts = cJSON_CreateObject();
    cJSON_AddStringToObject(ts, "type", "timestamp");
    cJSON *v = scalar_from_text(m, ts, "Thu, 01 Jan 2026 00:00:00 GMT");
    cr_assert(cJSON_IsNumber(v) && v->valuedouble == 1767225600.0);
    cJSON_Delete(v);
    v = scalar_from_text(m, ts, "2026-01-01T00:00:00.250Z");
    cr_assert(cJSON_IsNumber(v) && v->valuedouble == 1767225600.25);
    cJSON_Delete(v);
    v = scalar_from_text(m, ts, "not a time");
    cr_assert(cJSON_IsString(v)); /* left for validation to reject */
    cJSON_Delete(v);
    cJSON_Delete(ts);
    cJSON *other = cJSON_CreateObject();
    cJSON_AddStringToObject(other, "type", "structure");
    v = scalar_from_text(m, other, "text");
    cr_assert_str_eq(v->valuestring, "text");
    cJSON_Delete(v);
    cJSON_Delete(other);
    mk_free(m);
}
