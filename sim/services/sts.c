/*
 * sts.c — AWS STS (query protocol), all operations of the 2011-06-15 model.
 *
 * AssumeRole evaluates the role's trust policy for the caller (principal, sts:ExternalId and
 * other string conditions, explicit Deny wins), enforces DurationSeconds ≤ the role's
 * MaxSessionDuration (1 hour when role chaining), and issues ASIA credentials that expire on the
 * clock. Unknown roles answer AccessDenied like AWS, without revealing whether the role exists.
 */
#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "core/util.h"
#include "proto/proto.h"
#include "services/iam.h"
#include "services/service.h"

/* ---- trust policy evaluation ---- */

typedef struct {
    const char *caller_arn; /* arn:aws:iam::A:root | arn:aws:sts::A:assumed-role/R/S | user */
    const char *caller_account;
    const char *federated; /* web identity / SAML provider, or NULL */
    const char *action;    /* sts:AssumeRole ... */
    cJSON *context;        /* condition keys: sts:ExternalId, aws:PrincipalAccount, ... */
} trust_ctx_t;

static int str_or_list_has(const cJSON *v, int (*match)(const char *pattern, const void *arg),
                           const void *arg) {
    if (cJSON_IsString(v)) return match(v->valuestring, arg);
    const cJSON *x;
    cJSON_ArrayForEach(x, v) if (cJSON_IsString(x) && match(x->valuestring, arg)) return 1;
    return 0;
}

static int wildcard(const char *pat, const char *s) {
    if (!*pat) return !*s;
    if (*pat == '*') return wildcard(pat + 1, s) || (*s && wildcard(pat, s + 1));
    if (*pat == '?') return *s && wildcard(pat + 1, s + 1);
    return tolower((unsigned char)*pat) == tolower((unsigned char)*s) && wildcard(pat + 1, s + 1);
}

static int match_action(const char *pat, const void *arg) {
    return wildcard(pat, (const char *)arg);
}

/* A role principal "arn:aws:iam::A:role/R" matches its sessions "arn:aws:sts::A:assumed-role/R/S". */
static int match_aws_principal(const char *pat, const void *arg) {
    const trust_ctx_t *t = arg;
    if (strcmp(pat, "*") == 0) return 1;
    char root[64];
    snprintf(root, sizeof root, "arn:aws:iam::%s:root", t->caller_account);
    if (strcmp(pat, t->caller_account) == 0 || strcmp(pat, root) == 0) return 1;
    if (strcmp(pat, t->caller_arn) == 0) return 1;
    const char *ar = strstr(t->caller_arn, ":assumed-role/");
    const char *rp = strstr(pat, ":role/");
    if (ar && rp && strncmp(pat, "arn:aws:iam::", 13) == 0 && strncmp(pat + 13, t->caller_account, 12) == 0) {
        const char *role = ar + 14;
        const char *slash = strchr(role, '/');
        const char *pname = strrchr(rp, '/') + 1;
        return slash && strlen(pname) == (size_t)(slash - role) &&
               strncmp(pname, role, (size_t)(slash - role)) == 0;
    }
    return 0;
}

static int match_federated(const char *pat, const void *arg) {
    const trust_ctx_t *t = arg;
    if (!t->federated) return 0;
    if (strcmp(pat, t->federated) == 0) return 1;
    const char *p = strstr(pat, ":oidc-provider/");
    if (p && strcmp(p + 15, t->federated) == 0) return 1;
    p = strstr(pat, ":saml-provider/");
    return p && strstr(t->federated, p + 15) != NULL;
}

static int principal_matches(const cJSON *st, const trust_ctx_t *t) {
    cJSON *p = cJSON_GetObjectItemCaseSensitive(st, "Principal");
    if (cJSON_IsString(p)) return strcmp(p->valuestring, "*") == 0;
    if (t->federated)
        return str_or_list_has(cJSON_GetObjectItemCaseSensitive(p, "Federated"), match_federated, t);
    return str_or_list_has(cJSON_GetObjectItemCaseSensitive(p, "AWS"), match_aws_principal, t);
}

static int cond_values_match(const char *op, const cJSON *want, const char *have) {
    int like = strstr(op, "Like") != NULL;
    int ignore = strstr(op, "IgnoreCase") != NULL;
    const cJSON *x;
    cJSON *single = NULL;
    if (cJSON_IsString(want)) {
        single = cJSON_CreateArray();
        cJSON_AddItemToArray(single, cJSON_CreateString(want->valuestring));
        want = single;
    }
    int any = 0;
    cJSON_ArrayForEach(x, want) {
        const char *w = cJSON_IsString(x) ? x->valuestring : cJSON_IsTrue(x) ? "true" : "false";
        if (!have) continue;
        if (like ? wildcard(w, have) : ignore ? strcasecmp(w, have) == 0 : strcmp(w, have) == 0) any = 1;
    }
    cJSON_Delete(single);
    return any;
}

static int conditions_hold(const cJSON *st, const trust_ctx_t *t) {
    cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition");
    cJSON *opblock;
    cJSON_ArrayForEach(opblock, cond) {
        const char *op = opblock->string;
        int negate = strstr(op, "Not") != NULL;
        int if_exists = strstr(op, "IfExists") != NULL;
        cJSON *kv;
        cJSON_ArrayForEach(kv, opblock) {
            const char *have = NULL;
            cJSON *ctxv = NULL;
            cJSON *it;
            cJSON_ArrayForEach(it, t->context) if (strcasecmp(it->string, kv->string) == 0) ctxv = it;
            if (ctxv) have = cJSON_GetStringValue(ctxv);
            if (!have && if_exists) continue;
            if (strncmp(op, "Null", 4) == 0) {
                int want_null =
                    cJSON_IsTrue(kv) || (cJSON_IsString(kv) && strcmp(kv->valuestring, "true") == 0);
                if (want_null != (have == NULL)) return 0;
                continue;
            }
            int m = cond_values_match(op, kv, have);
            if (negate ? (have && m) : !m) return 0;
        }
    }
    return 1;
}

static int trust_allows(const char *policy, const trust_ctx_t *t) {
    cJSON *doc = cJSON_Parse(policy);
    cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    cJSON *single = NULL;
    if (cJSON_IsObject(stmts)) {
        single = cJSON_CreateArray();
        cJSON_AddItemReferenceToArray(single, stmts);
        stmts = single;
    }
    int allow = 0, deny = 0;
    cJSON *st;
    cJSON_ArrayForEach(st, stmts) {
        cJSON *act = cJSON_GetObjectItemCaseSensitive(st, "Action");
        if (!str_or_list_has(act, match_action, t->action)) continue;
        if (!principal_matches(st, t) || !conditions_hold(st, t)) continue;
        if (strcmp(jstr(st, "Effect") ? jstr(st, "Effect") : "", "Deny") == 0)
            deny = 1;
        else
            allow = 1;
    }
    cJSON_Delete(single);
    cJSON_Delete(doc);
    return allow && !deny;
}

/* ---- credentials output ---- */

static void add_credentials(cJSON *out, const cred_t *c) {
    cJSON *cr = cJSON_AddObjectToObject(out, "Credentials");
    cJSON_AddStringToObject(cr, "AccessKeyId", c->access_key);
    cJSON_AddStringToObject(cr, "SecretAccessKey", c->secret);
    cJSON_AddStringToObject(cr, "SessionToken", c->token);
    cJSON_AddNumberToObject(cr, "Expiration", (double)(c->expires_ms / 1000));
}

static int is_session_caller(const req_t *r) {
    return strncmp(r->access_key, "ASIA", 4) == 0 || strstr(r->caller_arn, ":assumed-role/") != NULL ||
           strstr(r->caller_arn, ":federated-user/") != NULL;
}

static int access_denied(req_t *r, sim_error_t *e, const char *action, const char *resource) {
    return sim_err(e, 403, "AccessDenied", "User: %s is not authorized to perform: %s on resource: %s",
                   r->caller_arn, action, resource);
}

static void tag_context(cJSON *ctx, const cJSON *tags) {
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        char k[200];
        snprintf(k, sizeof k, "aws:RequestTag/%s", jstr(t, "Key") ? jstr(t, "Key") : "");
        if (jstr(t, "Value")) cJSON_AddStringToObject(ctx, k, jstr(t, "Value"));
    }
}

/* Shared by AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML once trust has passed. */
static int issue_role_session(req_t *r, const cJSON *role, const char *session, int duration, int chained,
                              const char *source_identity, const char *policy, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(role, "Arn");
    char account[13];
    memcpy(account, arn + 13, 12);
    account[12] = 0;
    char session_arn[400], userid[200];
    snprintf(session_arn, sizeof session_arn, "arn:aws:sts::%s:assumed-role/%s/%s", account,
             jstr(role, "RoleName"), session);
    snprintf(userid, sizeof userid, "%s:%s", jstr(role, "RoleId"), session);
    cred_t c;
    if (auth_issue(r->sim, "ASIA", account, session_arn, userid, r->now_ms + (int64_t)duration * 1000,
                   chained, source_identity, &c) != 0)
        return sim_err(e, 500, "InternalFailure", "could not store credentials");
    add_credentials(out, &c);
    cJSON *u = cJSON_AddObjectToObject(out, "AssumedRoleUser");
    cJSON_AddStringToObject(u, "AssumedRoleId", userid);
    cJSON_AddStringToObject(u, "Arn", session_arn);
    if (policy) cJSON_AddNumberToObject(out, "PackedPolicySize", (double)(strlen(policy) * 100 / 2048));
    if (source_identity) cJSON_AddStringToObject(out, "SourceIdentity", source_identity);
    return 0;
}

static int check_session_policy(req_t *r, const char *policy, sim_error_t *e) {
    if (!policy) return 0;
    if (iam_policy_validate(r->sim, policy, 0, e) != 0) {
        snprintf(e->code, sizeof e->code, "MalformedPolicyDocument");
        return -1;
    }
    if (strlen(policy) > 2048)
        return sim_err(e, 400, "PackedPolicyTooLarge",
                       "Packed policy consumes %zu%% of allotted space, please use "
                       "smaller policy.",
                       strlen(policy) * 100 / 2048);
    return 0;
}

static int op_AssumeRole(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *role_arn = jstr(in, "RoleArn");
    const char *session = jstr(in, "RoleSessionName");
    int chained = strstr(r->caller_arn, ":assumed-role/") != NULL;
    cJSON *role = iam_role_by_arn(r->sim, role_arn);
    if (!role) return access_denied(r, e, "sts:AssumeRole", role_arn);
    trust_ctx_t t = {.caller_arn = r->caller_arn, .caller_account = r->account, .action = "sts:AssumeRole"};
    t.context = cJSON_CreateObject();
    if (jstr(in, "ExternalId")) cJSON_AddStringToObject(t.context, "sts:ExternalId", jstr(in, "ExternalId"));
    cJSON_AddStringToObject(t.context, "aws:PrincipalAccount", r->account);
    cJSON_AddStringToObject(t.context, "aws:PrincipalArn", r->caller_arn);
    cJSON_AddStringToObject(t.context, "sts:RoleSessionName", session);
    if (jstr(in, "SourceIdentity"))
        cJSON_AddStringToObject(t.context, "sts:SourceIdentity", jstr(in, "SourceIdentity"));
    tag_context(t.context, cJSON_GetObjectItemCaseSensitive(in, "Tags"));
    int allowed = trust_allows(jstr(role, "AssumeRolePolicyDocument"), &t);
    if (allowed && cJSON_GetObjectItemCaseSensitive(in, "Tags")) {
        t.action = "sts:TagSession";
        allowed = trust_allows(jstr(role, "AssumeRolePolicyDocument"), &t);
        if (!allowed) {
            cJSON_Delete(t.context);
            cJSON_Delete(role);
            return access_denied(r, e, "sts:TagSession", role_arn);
        }
    }
    cJSON_Delete(t.context);
    if (!allowed) {
        cJSON_Delete(role);
        return access_denied(r, e, "sts:AssumeRole", role_arn);
    }
    int duration = jint(in, "DurationSeconds", 3600);
    int max = jint(role, "MaxSessionDuration", 3600);
    int rc;
    /* A role session assuming another role is limited to one hour (role chaining). */
    if (chained && duration > 3600)
        rc = sim_err(
            e, 400, "ValidationError",
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role "
            "chaining.");
    else if (duration > max)
        rc = sim_err(e, 400, "ValidationError",
                     "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    else if ((rc = check_session_policy(r, jstr(in, "Policy"), e)) == 0)
        rc = issue_role_session(r, role, session, duration, chained, jstr(in, "SourceIdentity"),
                                jstr(in, "Policy"), out, e);
    cJSON_Delete(role);
    return rc;
}

static char *b64url_decode(const char *in) {
    size_t n = strlen(in);
    char *s = malloc(n + 4);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        s[k++] = in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i];
    while (k % 4)
        s[k++] = '=';
    s[k] = 0;
    unsigned char *out = malloc(k + 1);
    int len = EVP_DecodeBlock(out, (unsigned char *)s, (int)k);
    free(s);
    if (len < 0) {
        free(out);
        return NULL;
    }
    while (len > 0 && k >= 1 && in[n - 1] != '=' && (n % 4) && out[len - 1] == 0)
        len--;
    out[len] = 0;
    return (char *)out;
}

static int op_AssumeRoleWithWebIdentity(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *token = jstr(in, "WebIdentityToken");
    const char *role_arn = jstr(in, "RoleArn");
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot1 || !dot2)
        return sim_err(
            e, 400, "InvalidIdentityToken",
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
    char *payload_b64 = strndup(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    char *payload = b64url_decode(payload_b64);
    free(payload_b64);
    cJSON *claims = payload ? cJSON_Parse(payload) : NULL;
    free(payload);
    const char *iss = jstr(claims, "iss"), *sub = jstr(claims, "sub");
    if (!iss || !sub) {
        cJSON_Delete(claims);
        return sim_err(
            e, 400, "InvalidIdentityToken",
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
    }
    double exp = jnum(claims, "exp", 0);
    if (exp > 0 && exp * 1000 <= (double)r->now_ms) {
        char now[32], until[32];
        fmt_iso8601(r->now_ms, now);
        fmt_iso8601((int64_t)exp * 1000, until);
        cJSON_Delete(claims);
        return sim_err(e, 400, "ExpiredTokenException",
                       "Token expired: current date/time %s must be before the expiration date/time %s", now,
                       until);
    }
    const char *provider = strncmp(iss, "https://", 8) == 0 ? iss + 8 : iss;
    cJSON *aud = cJSON_GetObjectItemCaseSensitive(claims, "aud");
    const char *audience =
        cJSON_IsString(aud) ? aud->valuestring : cJSON_GetStringValue(cJSON_GetArrayItem(aud, 0));
    cJSON *role = iam_role_by_arn(r->sim, role_arn);
    trust_ctx_t t = {.caller_arn = "",
                     .caller_account = "",
                     .federated = provider,
                     .action = "sts:AssumeRoleWithWebIdentity"};
    t.context = cJSON_CreateObject();
    char key[300];
    snprintf(key, sizeof key, "%s:sub", provider);
    cJSON_AddStringToObject(t.context, key, sub);
    snprintf(key, sizeof key, "%s:aud", provider);
    if (audience) cJSON_AddStringToObject(t.context, key, audience);
    int allowed = role && trust_allows(jstr(role, "AssumeRolePolicyDocument"), &t);
    cJSON_Delete(t.context);
    int rc;
    if (!allowed) {
        rc = sim_err(e, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    } else {
        int duration = jint(in, "DurationSeconds", 3600);
        if (duration > jint(role, "MaxSessionDuration", 3600))
            rc = sim_err(e, 400, "ValidationError",
                         "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        else if ((rc = check_session_policy(r, jstr(in, "Policy"), e)) == 0)
            rc = issue_role_session(r, role, jstr(in, "RoleSessionName"), duration, 0, NULL,
                                    jstr(in, "Policy"), out, e);
        if (rc == 0) {
            cJSON_AddStringToObject(out, "SubjectFromWebIdentityToken", sub);
            cJSON_AddStringToObject(out, "Provider", provider);
            if (audience) cJSON_AddStringToObject(out, "Audience", audience);
        }
    }
    cJSON_Delete(role);
    cJSON_Delete(claims);
    return rc;
}

/* Find <Attribute Name=...> values in a SAML assertion by walking the parsed tree. */
static void saml_find(const xnode_t *n, const char *name, char *out, size_t len) {
    for (; n; n = n->next) {
        if (strcmp(n->name, name) == 0 && n->text && !*out) snprintf(out, len, "%s", n->text);
        saml_find(n->child, name, out, len);
    }
}

static int op_AssumeRoleWithSAML(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *assertion = jstr(in, "SAMLAssertion");
    char *xml = b64url_decode(assertion);
    char err[128];
    xnode_t *root = xml ? xml_parse(xml, strlen(xml), err, sizeof err) : NULL;
    free(xml);
    if (!root) return sim_err(e, 400, "InvalidIdentityToken", "Invalid base64 SAML authentication response");
    char subject[256] = "", issuer[256] = "", value[1024] = "";
    saml_find(root, "NameID", subject, sizeof subject);
    saml_find(root, "Issuer", issuer, sizeof issuer);
    saml_find(root, "AttributeValue", value, sizeof value);
    xml_free(root);
    const char *role_arn = jstr(in, "RoleArn"), *principal = jstr(in, "PrincipalArn");
    /* The assertion's Role attribute must name this role and provider pair. */
    if (!strstr(value, role_arn) || !strstr(value, principal))
        return sim_err(e, 400, "InvalidIdentityToken",
                       "Invalid SAML response: role and provider pair not in assertion");
    cJSON *role = iam_role_by_arn(r->sim, role_arn);
    trust_ctx_t t = {
        .caller_arn = "", .caller_account = "", .federated = principal, .action = "sts:AssumeRoleWithSAML"};
    t.context = cJSON_CreateObject();
    int allowed = role && trust_allows(jstr(role, "AssumeRolePolicyDocument"), &t);
    cJSON_Delete(t.context);
    int rc;
    if (!allowed) {
        rc = sim_err(e, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");
    } else {
        const char *sess = *subject ? subject : "saml-session";
        rc = issue_role_session(r, role, sess, jint(in, "DurationSeconds", 3600), 0, NULL, jstr(in, "Policy"),
                                out, e);
        if (rc == 0) {
            cJSON_AddStringToObject(out, "Subject", subject);
            cJSON_AddStringToObject(out, "SubjectType", "persistent");
            cJSON_AddStringToObject(out, "Issuer", issuer);
            cJSON_AddStringToObject(out, "Audience", "https://signin.aws.amazon.com/saml");
            cJSON_AddStringToObject(out, "NameQualifier", "awssim");
        }
    }
    cJSON_Delete(role);
    return rc;
}

static int op_GetCallerIdentity(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON_AddStringToObject(out, "UserId", r->caller_userid);
    cJSON_AddStringToObject(out, "Account", r->account);
    cJSON_AddStringToObject(out, "Arn", r->caller_arn);
    return 0;
}

static int op_GetSessionToken(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    if (is_session_caller(r))
        return sim_err(e, 403, "AccessDenied", "Cannot call GetSessionToken with session credentials");
    int duration = jint(in, "DurationSeconds", 43200);
    /* The root user's sessions are limited to one hour. */
    if (strstr(r->caller_arn, ":root") && duration > 3600) duration = 3600;
    cred_t c;
    auth_issue(r->sim, "ASIA", r->account, r->caller_arn, r->caller_userid,
               r->now_ms + (int64_t)duration * 1000, 0, NULL, &c);
    add_credentials(out, &c);
    return 0;
}

static int op_GetFederationToken(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    if (is_session_caller(r))
        return sim_err(e, 403, "AccessDenied", "Cannot call GetFederationToken with session credentials");
    if (check_session_policy(r, jstr(in, "Policy"), e) != 0) return -1;
    int duration = jint(in, "DurationSeconds", 43200);
    if (strstr(r->caller_arn, ":root") && duration > 3600) duration = 3600;
    const char *name = jstr(in, "Name");
    char arn[300], fid[120];
    snprintf(arn, sizeof arn, "arn:aws:sts::%s:federated-user/%s", r->account, name);
    snprintf(fid, sizeof fid, "%s:%s", r->account, name);
    cred_t c;
    auth_issue(r->sim, "ASIA", r->account, arn, fid, r->now_ms + (int64_t)duration * 1000, 0, NULL, &c);
    add_credentials(out, &c);
    cJSON *fu = cJSON_AddObjectToObject(out, "FederatedUser");
    cJSON_AddStringToObject(fu, "FederatedUserId", fid);
    cJSON_AddStringToObject(fu, "Arn", arn);
    if (jstr(in, "Policy"))
        cJSON_AddNumberToObject(out, "PackedPolicySize", (double)(strlen(jstr(in, "Policy")) * 100 / 2048));
    return 0;
}

static int op_GetAccessKeyInfo(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *key = jstr(in, "AccessKeyId");
    cred_t c;
    /* the model's minimum length (16) rules out the 12-digit account keys: unknown keys are the default's */
    if (auth_lookup(r->sim, key, &c) == 0)
        cJSON_AddStringToObject(out, "Account", c.account);
    else
        cJSON_AddStringToObject(out, "Account", DEFAULT_ACCOUNT);
    return 0;
}

static int op_DecodeAuthorizationMessage(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    char *decoded = b64url_decode(jstr(in, "EncodedMessage"));
    cJSON *doc = decoded ? cJSON_Parse(decoded) : NULL;
    if (!doc) {
        free(decoded);
        return sim_err(e, 400, "InvalidAuthorizationMessageException",
                       "The authorization message is invalid.");
    }
    cJSON_Delete(doc);
    cJSON_AddStringToObject(out, "DecodedMessage", decoded);
    free(decoded);
    return 0;
}

static int op_AssumeRoot(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *target = jstr(in, "TargetPrincipal");
    const char *policy = jstr(cJSON_GetObjectItemCaseSensitive(in, "TaskPolicyArn"), "arn");
    if (!policy || strncmp(policy, "arn:aws:iam::aws:policy/root-task/", 34) != 0)
        return sim_err(e, 400, "ValidationError",
                       "The TaskPolicyArn must be an AWS managed root-task policy.");
    if (is_session_caller(r) && !strstr(r->caller_arn, ":assumed-role/"))
        return access_denied(r, e, "sts:AssumeRoot", target);
    char arn[64];
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:root", target);
    cred_t c;
    auth_issue(r->sim, "ASIA", target, arn, target,
               r->now_ms + (int64_t)jint(in, "DurationSeconds", 900) * 1000, 1, r->caller_arn, &c);
    add_credentials(out, &c);
    cJSON_AddStringToObject(out, "SourceIdentity", r->caller_arn);
    return 0;
}

static int op_GetDelegatedAccessToken(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    /* Trade-in tokens are issued by AWS partner flows awssim does not run: every token is unknown. */
    return sim_err(e, 400, "ExpiredTradeInTokenException", "The trade-in token is expired or invalid.");
}

static int op_GetWebIdentityToken(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    int duration = jint(in, "DurationSeconds", 300);
    cJSON *claims = cJSON_CreateObject();
    cJSON_AddStringToObject(claims, "iss", "https://sts.amazonaws.com");
    cJSON_AddStringToObject(claims, "sub", r->caller_arn);
    cJSON_AddItemToObject(claims, "aud", jdup(cJSON_GetObjectItemCaseSensitive(in, "Audience")));
    cJSON_AddNumberToObject(claims, "iat", (double)(r->now_ms / 1000));
    cJSON_AddNumberToObject(claims, "exp", (double)(r->now_ms / 1000 + duration));
    char *text = cJSON_PrintUnformatted(claims);
    cJSON_Delete(claims);
    unsigned char *b64 = malloc(strlen(text) * 2 + 8);
    int n = EVP_EncodeBlock(b64, (unsigned char *)text, (int)strlen(text));
    free(text);
    while (n > 0 && b64[n - 1] == '=')
        b64[--n] = 0;
    for (int i = 0; i < n; i++)
        b64[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
    strbuf_t tok;
    sb_init(&tok);
    sb_printf(&tok, "eyJhbGciOiIlcyJ9.%s.", (char *)b64);
    char sig[44];
    rng_chars(r->sim, sig, 43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    sb_puts(&tok, sig);
    free(b64);
    cJSON_AddStringToObject(out, "WebIdentityToken", tok.buf);
    sb_free(&tok);
    cJSON_AddNumberToObject(out, "Expiration", (double)(r->now_ms / 1000 + duration));
    return 0;
}

static int sts_init_schema(sim_t *s) {
    return auth_init_schema(s);
}

static const op_entry_t OPS[] = {
    {"AssumeRole", op_AssumeRole},
    {"AssumeRoleWithSAML", op_AssumeRoleWithSAML},
    {"AssumeRoleWithWebIdentity", op_AssumeRoleWithWebIdentity},
    {"AssumeRoot", op_AssumeRoot},
    {"DecodeAuthorizationMessage", op_DecodeAuthorizationMessage},
    {"GetAccessKeyInfo", op_GetAccessKeyInfo},
    {"GetCallerIdentity", op_GetCallerIdentity},
    {"GetDelegatedAccessToken", op_GetDelegatedAccessToken},
    {"GetFederationToken", op_GetFederationToken},
    {"GetSessionToken", op_GetSessionToken},
    {"GetWebIdentityToken", op_GetWebIdentityToken},
};

const service_def_t SVC_STS = {
    .key = "sts",
    .signing_name = "sts",
    .global = 0,
    .ops = OPS,
    .nops = OPS_COUNT(OPS),
    .init_schema = sts_init_schema,
};
