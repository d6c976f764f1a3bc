/*
 * iam.c — the IAM role subset STS needs (query protocol): roles, trust policies, inline and
 * attached policies, permissions boundaries, tags.
 *
 * Roles are global documents (scope "global") keyed by the lower-cased name: IAM role names are
 * unique case-insensitively. Policy documents are stored as sent and returned URL-encoded, as
 * IAM does (botocore decodes them).
 */
#include "services/iam.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "core/util.h"
#include "services/service.h"

static void lower(const char *in, char *out, size_t n) {
    size_t i = 0;
    for (; in[i] && i < n - 1; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = 0;
}

static cJSON *role_get(req_t *r, const char *name) {
    char key[80];
    lower(name, key, sizeof key);
    return rs_get(r, "role", key);
}

static int role_put(req_t *r, const cJSON *doc) {
    char key[80];
    lower(jstr(doc, "RoleName"), key, sizeof key);
    return rs_put(r, "role", key, doc);
}

static int no_role(sim_error_t *e, const char *name) {
    return sim_err(e, 404, "NoSuchEntity", "The role with name %s cannot be found.", name);
}

cJSON *iam_role_by_arn(sim_t *s, const char *arn) {
    char account[16];
    if (!arn || strncmp(arn, "arn:aws:iam::", 13) != 0 || strlen(arn) < 13 + 12 + 6) return NULL;
    memcpy(account, arn + 13, 12);
    account[12] = 0;
    const char *rest = arn + 25;
    if (strncmp(rest, ":role/", 6) != 0) return NULL;
    const char *name = strrchr(rest, '/') + 1;
    char key[80];
    lower(name, key, sizeof key);
    cJSON *doc = rs_get_at(s, "iam", account, "global", "role", key);
    /* the ARN's path must match the role's path too */
    if (doc && strcmp(jstr(doc, "Arn"), arn) != 0) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

static int principal_ok(sim_t *s, const cJSON *p, sim_error_t *e) {
    if (!cJSON_IsString(p)) return 0;
    const char *v = p->valuestring;
    if (strcmp(v, "*") == 0) return 0;
    if (strlen(v) == 12 && strspn(v, "0123456789") == 12) return 0;
    if (strncmp(v, "arn:aws:iam::", 13) == 0 && strlen(v) > 25 && strspn(v + 13, "0123456789") == 12) {
        const char *rest = v + 25;
        if (strcmp(rest, ":root") == 0 || strncmp(rest, ":user/", 6) == 0) return 0;
        if (strncmp(rest, ":role/", 6) == 0) {
            /* IAM resolves role principals when the policy is saved: a missing role is refused. */
            cJSON *role = iam_role_by_arn(s, v);
            if (role) {
                cJSON_Delete(role);
                return 0;
            }
        }
    }
    if (strncmp(v, "arn:aws:sts::", 13) == 0) return 0;
    return sim_err(e, 400, "MalformedPolicyDocument", "Invalid principal in policy: \"AWS\":\"%s\"", v);
}

int iam_policy_validate(sim_t *s, const char *text, int trust, sim_error_t *e) {
    cJSON *doc = cJSON_Parse(text);
    if (!doc || !cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        return sim_err(e, 400, "MalformedPolicyDocument", "This policy contains invalid Json");
    }
    int rc = 0;
    const char *ver = jstr(doc, "Version");
    cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    if (ver && strcmp(ver, "2012-10-17") != 0 && strcmp(ver, "2008-10-17") != 0) {
        rc = sim_err(e, 400, "MalformedPolicyDocument", "The policy failed legacy parsing");
    } else if (!stmts || (!cJSON_IsArray(stmts) && !cJSON_IsObject(stmts))) {
        rc = sim_err(e, 400, "MalformedPolicyDocument", "Syntax errors in policy.");
    }
    cJSON *single = NULL;
    if (!rc && cJSON_IsObject(stmts)) {
        single = cJSON_CreateArray();
        cJSON_AddItemReferenceToArray(single, stmts);
        stmts = single;
    }
    cJSON *st;
    if (rc) stmts = NULL;
    cJSON_ArrayForEach(st, stmts) {
        const char *effect = jstr(st, "Effect");
        if (!effect || (strcmp(effect, "Allow") != 0 && strcmp(effect, "Deny") != 0)) {
            rc = sim_err(e, 400, "MalformedPolicyDocument", "Syntax errors in policy.");
            break;
        }
        if (!cJSON_GetObjectItemCaseSensitive(st, "Action") &&
            !cJSON_GetObjectItemCaseSensitive(st, "NotAction")) {
            rc = sim_err(e, 400, "MalformedPolicyDocument", "Policy statement must contain actions.");
            break;
        }
        if (trust) {
            if (cJSON_GetObjectItemCaseSensitive(st, "Resource")) {
                rc = sim_err(e, 400, "MalformedPolicyDocument", "Has prohibited field Resource");
                break;
            }
            cJSON *pr = cJSON_GetObjectItemCaseSensitive(st, "Principal");
            if (!pr && !cJSON_GetObjectItemCaseSensitive(st, "NotPrincipal")) {
                rc = sim_err(e, 400, "MalformedPolicyDocument",
                             "AssumeRolepolicy contained an invalid principal: "
                             "Missing Principal");
                break;
            }
            cJSON *aws = cJSON_GetObjectItemCaseSensitive(pr, "AWS");
            if (cJSON_IsArray(aws)) {
                cJSON *x;
                cJSON_ArrayForEach(x, aws) if ((rc = principal_ok(s, x, e)) != 0) break;
            } else if (aws) {
                rc = principal_ok(s, aws, e);
            }
            if (rc) break;
        } else if (!cJSON_GetObjectItemCaseSensitive(st, "Resource") &&
                   !cJSON_GetObjectItemCaseSensitive(st, "NotResource")) {
            rc = sim_err(e, 400, "MalformedPolicyDocument", "Policy statement must contain resources.");
            break;
        }
    }
    cJSON_Delete(single);
    cJSON_Delete(doc);
    return rc;
}

static void url_encoded(const char *in, cJSON *out, const char *key) {
    strbuf_t b;
    sb_init(&b);
    sb_uri_encode(&b, in, strlen(in), 0);
    cJSON_AddStringToObject(out, key, b.buf ? b.buf : "");
    sb_free(&b);
}

/* The Role structure as IAM returns it (AssumeRolePolicyDocument URL-encoded). */
static cJSON *role_view(const cJSON *doc, int with_tags) {
    cJSON *v = cJSON_CreateObject();
    static const char *plain[] = {"Path",
                                  "RoleName",
                                  "RoleId",
                                  "Arn",
                                  "CreateDate",
                                  "Description",
                                  "MaxSessionDuration",
                                  "PermissionsBoundary",
                                  "RoleLastUsed"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        cJSON *x = cJSON_GetObjectItemCaseSensitive(doc, plain[i]);
        if (x) cJSON_AddItemToObject(v, plain[i], cJSON_Duplicate(x, 1));
    }
    url_encoded(jstr(doc, "AssumeRolePolicyDocument"), v, "AssumeRolePolicyDocument");
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "Tags");
    if (with_tags && cJSON_GetArraySize(tags) > 0) cJSON_AddItemToObject(v, "Tags", cJSON_Duplicate(tags, 1));
    return v;
}

static int check_tags(const cJSON *tags, sim_error_t *e) {
    if (tags_validate(tags, e, "Key", "Value") == 0) return 0;
    if (strcmp(e->code, "LimitExceeded") == 0)
        return sim_err(e, 409, "LimitExceeded", "Cannot exceed quota for TagsPerRole: 50.");
    snprintf(e->code, sizeof e->code, "InvalidInput");
    return -1;
}

static int op_CreateRole(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *name = jstr(in, "RoleName");
    const char *path = jstr(in, "Path");
    if (!path) path = "/";
    if (path[0] != '/' || path[strlen(path) - 1] != '/')
        return sim_err(e, 400, "ValidationError",
                       "The specified value for path is invalid. It must begin and end "
                       "with / and contain only alphanumeric characters and/or / characters.");
    cJSON *existing = role_get(r, name);
    if (existing) {
        cJSON_Delete(existing);
        return sim_err(e, 409, "EntityAlreadyExists", "Role with name %s already exists.", name);
    }
    const char *policy = jstr(in, "AssumeRolePolicyDocument");
    if (iam_policy_validate(r->sim, policy, 1, e) != 0) return -1;
    if (check_tags(cJSON_GetObjectItemCaseSensitive(in, "Tags"), e) != 0) return -1;
    char rid[18], arn[512];
    rng_upper_alnum(r->sim, rid, 17);
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:role%s%s", r->account, path, name);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "Path", path);
    cJSON_AddStringToObject(doc, "RoleName", name);
    char role_id[24];
    snprintf(role_id, sizeof role_id, "AROA%s", rid);
    cJSON_AddStringToObject(doc, "RoleId", role_id);
    cJSON_AddStringToObject(doc, "Arn", arn);
    cJSON_AddNumberToObject(doc, "CreateDate", (double)(r->now_ms / 1000));
    cJSON_AddStringToObject(doc, "AssumeRolePolicyDocument", policy);
    if (jstr(in, "Description")) cJSON_AddStringToObject(doc, "Description", jstr(in, "Description"));
    cJSON_AddNumberToObject(doc, "MaxSessionDuration", jint(in, "MaxSessionDuration", 3600));
    const char *pb = jstr(in, "PermissionsBoundary");
    if (pb) {
        cJSON *b = cJSON_AddObjectToObject(doc, "PermissionsBoundary");
        cJSON_AddStringToObject(b, "PermissionsBoundaryType", "Policy");
        cJSON_AddStringToObject(b, "PermissionsBoundaryArn", pb);
    }
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(in, "Tags");
    cJSON_AddItemToObject(doc, "Tags", tags ? cJSON_Duplicate(tags, 1) : cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "InlinePolicies", cJSON_CreateObject());
    cJSON_AddItemToObject(doc, "AttachedPolicies", cJSON_CreateArray());
    cJSON_AddItemToObject(doc, "RoleLastUsed", cJSON_CreateObject());
    role_put(r, doc);
    cJSON_AddItemToObject(out, "Role", role_view(doc, 1));
    cJSON_Delete(doc);
    return 0;
}

static int op_GetRole(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *doc = role_get(r, jstr(in, "RoleName"));
    if (!doc) return no_role(e, jstr(in, "RoleName"));
    cJSON_AddItemToObject(out, "Role", role_view(doc, 1));
    cJSON_Delete(doc);
    return 0;
}

/* Load the named role or fail with NoSuchEntity; used by every per-role operation. */
#define LOAD_ROLE(doc)                                                                                       \
    cJSON *doc = role_get(r, jstr(in, "RoleName"));                                                          \
    if (!doc) return no_role(e, jstr(in, "RoleName"))

static int save_role(req_t *r, cJSON *doc) {
    int rc = role_put(r, doc);
    cJSON_Delete(doc);
    return rc;
}

static void set_member(cJSON *doc, const char *key, cJSON *value) {
    if (cJSON_GetObjectItemCaseSensitive(doc, key))
        cJSON_ReplaceItemInObjectCaseSensitive(doc, key, value);
    else
        cJSON_AddItemToObject(doc, key, value);
}

static int op_UpdateRole(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    if (jstr(in, "Description")) set_member(doc, "Description", cJSON_CreateString(jstr(in, "Description")));
    if (cJSON_GetObjectItemCaseSensitive(in, "MaxSessionDuration"))
        set_member(doc, "MaxSessionDuration", cJSON_CreateNumber(jint(in, "MaxSessionDuration", 3600)));
    return save_role(r, doc);
}

static int op_UpdateRoleDescription(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    set_member(doc, "Description", cJSON_CreateString(jstr(in, "Description")));
    cJSON_AddItemToObject(out, "Role", role_view(doc, 1));
    return save_role(r, doc);
}

static int op_DeleteRole(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    /* IAM refuses to delete a role that still has policies. */
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "InlinePolicies")) > 0) {
        cJSON_Delete(doc);
        return sim_err(e, 409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
    }
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "AttachedPolicies")) > 0) {
        cJSON_Delete(doc);
        return sim_err(e, 409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
    }
    char key[80];
    lower(jstr(doc, "RoleName"), key, sizeof key);
    rs_del(r, "role", key);
    cJSON_Delete(doc);
    return 0;
}

/* IAM list paging: Marker is the index of the next item, MaxItems defaults to 100. */
static void list_page(cJSON *all, const cJSON *in, cJSON *out, const char *member) {
    char next[32];
    cJSON *page = page_slice(all, jstr(in, "Marker"), jint(in, "MaxItems", 0), 100, next, sizeof next);
    cJSON_AddItemToObject(out, member, page);
    cJSON_AddBoolToObject(out, "IsTruncated", next[0] != 0);
    if (next[0]) cJSON_AddStringToObject(out, "Marker", next);
}

static int op_ListRoles(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *all = rs_list(r, "role");
    cJSON *views = cJSON_CreateArray();
    const char *prefix = jstr(in, "PathPrefix");
    cJSON *doc;
    cJSON_ArrayForEach(doc, all) {
        if (prefix && strncmp(jstr(doc, "Path"), prefix, strlen(prefix)) != 0) continue;
        cJSON_AddItemToArray(views, role_view(doc, 0));
    }
    cJSON_Delete(all);
    list_page(views, in, out, "Roles");
    return 0;
}

static int op_UpdateAssumeRolePolicy(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    const char *policy = jstr(in, "PolicyDocument");
    if (iam_policy_validate(r->sim, policy, 1, e) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    set_member(doc, "AssumeRolePolicyDocument", cJSON_CreateString(policy));
    return save_role(r, doc);
}

static int op_PutRolePolicy(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    const char *policy = jstr(in, "PolicyDocument");
    if (iam_policy_validate(r->sim, policy, 0, e) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    cJSON *inl = cJSON_GetObjectItemCaseSensitive(doc, "InlinePolicies");
    set_member(inl, jstr(in, "PolicyName"), cJSON_CreateString(policy));
    return save_role(r, doc);
}

static int op_GetRolePolicy(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    const char *pname = jstr(in, "PolicyName");
    const char *policy = jstr(cJSON_GetObjectItemCaseSensitive(doc, "InlinePolicies"), pname);
    if (!policy) {
        cJSON_Delete(doc);
        return sim_err(e, 404, "NoSuchEntity", "The role policy with name %s cannot be found.", pname);
    }
    cJSON_AddStringToObject(out, "RoleName", jstr(doc, "RoleName"));
    cJSON_AddStringToObject(out, "PolicyName", pname);
    url_encoded(policy, out, "PolicyDocument");
    cJSON_Delete(doc);
    return 0;
}

static int op_DeleteRolePolicy(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    const char *pname = jstr(in, "PolicyName");
    cJSON *inl = cJSON_GetObjectItemCaseSensitive(doc, "InlinePolicies");
    if (!cJSON_GetObjectItemCaseSensitive(inl, pname)) {
        cJSON_Delete(doc);
        return sim_err(e, 404, "NoSuchEntity", "The role policy with name %s cannot be found.", pname);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(inl, pname);
    return save_role(r, doc);
}

static int op_ListRolePolicies(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    cJSON *names = cJSON_CreateArray();
    cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(doc, "InlinePolicies"))
        cJSON_AddItemToArray(names, cJSON_CreateString(p->string));
    cJSON_Delete(doc);
    list_page(names, in, out, "PolicyNames");
    return 0;
}

static int valid_policy_arn(const char *arn) {
    return arn && strncmp(arn, "arn:aws:iam::", 13) == 0 && strstr(arn, ":policy/") != NULL;
}

static int op_AttachRolePolicy(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "PolicyArn");
    if (!valid_policy_arn(arn)) return sim_err(e, 400, "InvalidInput", "ARN %s is not valid.", arn);
    LOAD_ROLE(doc);
    cJSON *att = cJSON_GetObjectItemCaseSensitive(doc, "AttachedPolicies");
    cJSON *a;
    cJSON_ArrayForEach(a, att) if (strcmp(jstr(a, "PolicyArn"), arn) == 0) {
        cJSON_Delete(doc);
        return 0; /* attaching twice is a no-op in IAM */
    }
    if (cJSON_GetArraySize(att) >= 20) {
        cJSON_Delete(doc);
        return sim_err(e, 409, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 20");
    }
    cJSON *entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "PolicyName", strrchr(arn, '/') + 1);
    cJSON_AddStringToObject(entry, "PolicyArn", arn);
    cJSON_AddItemToArray(att, entry);
    return save_role(r, doc);
}

static int op_DetachRolePolicy(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "PolicyArn");
    if (!valid_policy_arn(arn)) return sim_err(e, 400, "InvalidInput", "ARN %s is not valid.", arn);
    LOAD_ROLE(doc);
    cJSON *att = cJSON_GetObjectItemCaseSensitive(doc, "AttachedPolicies");
    int i = 0;
    cJSON *a;
    cJSON_ArrayForEach(a, att) {
        if (strcmp(jstr(a, "PolicyArn"), arn) == 0) {
            cJSON_DeleteItemFromArray(att, i);
            return save_role(r, doc);
        }
        i++;
    }
    cJSON_Delete(doc);
    return sim_err(e, 404, "NoSuchEntity", "Policy %s was not found.", arn);
}

static int op_ListAttachedRolePolicies(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    cJSON *all = cJSON_CreateArray();
    const char *prefix = jstr(in, "PathPrefix");
    cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(doc, "AttachedPolicies")) {
        const char *arn = jstr(a, "PolicyArn");
        const char *path = strstr(arn, ":policy") + 7;
        if (prefix && strncmp(path, prefix, strlen(prefix)) != 0) continue;
        cJSON_AddItemToArray(all, cJSON_Duplicate(a, 1));
    }
    cJSON_Delete(doc);
    list_page(all, in, out, "AttachedPolicies");
    return 0;
}

static int op_TagRole(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "Tags");
    cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(in, "Tags")) {
        int i = 0, replaced = 0;
        cJSON *old;
        cJSON_ArrayForEach(old, tags) {
            if (strcmp(jstr(old, "Key"), jstr(t, "Key")) == 0) {
                cJSON_ReplaceItemInArray(tags, i, cJSON_Duplicate(t, 1));
                replaced = 1;
                break;
            }
            i++;
        }
        if (!replaced) cJSON_AddItemToArray(tags, cJSON_Duplicate(t, 1));
    }
    if (check_tags(tags, e) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    return save_role(r, doc);
}

static int op_UntagRole(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "Tags");
    cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(in, "TagKeys")) {
        for (int i = cJSON_GetArraySize(tags) - 1; i >= 0; i--)
            if (strcmp(jstr(cJSON_GetArrayItem(tags, i), "Key"), k->valuestring) == 0)
                cJSON_DeleteItemFromArray(tags, i);
    }
    return save_role(r, doc);
}

static int op_ListRoleTags(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    cJSON *tags = cJSON_DetachItemFromObjectCaseSensitive(doc, "Tags");
    cJSON_Delete(doc);
    list_page(tags ? tags : cJSON_CreateArray(), in, out, "Tags");
    return 0;
}

static int op_PutRolePermissionsBoundary(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "PermissionsBoundary");
    if (!valid_policy_arn(arn)) return sim_err(e, 400, "InvalidInput", "ARN %s is not valid.", arn);
    LOAD_ROLE(doc);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "PermissionsBoundaryType", "Policy");
    cJSON_AddStringToObject(b, "PermissionsBoundaryArn", arn);
    set_member(doc, "PermissionsBoundary", b);
    return save_role(r, doc);
}

static int op_DeleteRolePermissionsBoundary(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    LOAD_ROLE(doc);
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "PermissionsBoundary");
    return save_role(r, doc);
}

static const op_entry_t OPS[] = {
    {"CreateRole", op_CreateRole},
    {"GetRole", op_GetRole},
    {"UpdateRole", op_UpdateRole},
    {"UpdateRoleDescription", op_UpdateRoleDescription},
    {"DeleteRole", op_DeleteRole},
    {"ListRoles", op_ListRoles},
    {"UpdateAssumeRolePolicy", op_UpdateAssumeRolePolicy},
    {"PutRolePolicy", op_PutRolePolicy},
    {"GetRolePolicy", op_GetRolePolicy},
    {"DeleteRolePolicy", op_DeleteRolePolicy},
    {"ListRolePolicies", op_ListRolePolicies},
    {"AttachRolePolicy", op_AttachRolePolicy},
    {"DetachRolePolicy", op_DetachRolePolicy},
    {"ListAttachedRolePolicies", op_ListAttachedRolePolicies},
    {"TagRole", op_TagRole},
    {"UntagRole", op_UntagRole},
    {"ListRoleTags", op_ListRoleTags},
    {"PutRolePermissionsBoundary", op_PutRolePermissionsBoundary},
    {"DeleteRolePermissionsBoundary", op_DeleteRolePermissionsBoundary},
};

const service_def_t SVC_IAM = {
    .key = "iam",
    .signing_name = "iam",
    .global = 1,
    .ops = OPS,
    .nops = OPS_COUNT(OPS),
};
