/*
 * ram.c — AWS Resource Access Manager: resource shares and their resource / principal / source
 * associations, invitations between accounts (PENDING → ACCEPTED / REJECTED, EXPIRED after 7 days
 * of virtual time), sharing inside a simple organization model, managed permissions (the AWS
 * managed catalogue plus customer managed permissions with versions), CREATED_FROM_POLICY
 * promotion and tags.
 *
 * All accounts' state lives in the ram_* tables, so the recipient's view of a share is a query,
 * never a copy. Mutations answer with AWS's transitional status (ASSOCIATING, DISASSOCIATING,
 * IN_PROGRESS) while the stored state has already settled; a principal that needs an invitation
 * stays ASSOCIATING until the invitation is accepted.
 */
#include "services/ram.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "services/service.h"

#define INVITE_TTL_MS (7LL * 24 * 3600 * 1000) /* invitations expire after 7 days */
#define MAX_TAGS 50
#define MAX_PERMISSION_VERSIONS 5
#define DEFAULT_PAGE 100
#define MANAGED_CREATED_MS 1592007820935LL /* creation time AWS reports for its managed permissions */

/* ------------------------------------------------------------------------------------------------
 * SQL helpers. Every read copies its rows into cJSON before returning, so nested queries never
 * share a (cached) statement that is still being stepped.
 * ---------------------------------------------------------------------------------------------- */

static sqlite3_stmt *bindv(sim_t *s, const char *sql, const char *fmt, va_list ap) {
    sqlite3_stmt *st = db_prepare(s, sql);
    if (!st) return NULL;
    for (int i = 0; fmt && fmt[i]; i++) {
        if (fmt[i] == 's') {
            const char *v = va_arg(ap, const char *);
            if (v)
                sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, i + 1);
        } else if (fmt[i] == 'i') {
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else {
            sqlite3_bind_int(st, i + 1, va_arg(ap, int));
        }
    }
    return st;
}

/* Run a statement without results. fmt: one char per parameter: s = string, i = int64, d = int. */
static int x(sim_t *s, const char *sql, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = bindv(s, sql, fmt, ap);
    va_end(ap);
    if (!st) return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) sim_log(s, 0, "ram: %s: %s", sqlite3_errmsg(s->db), sql);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Rows as an array of objects (column name → number or string; NULL columns left out). */
static cJSON *q(sim_t *s, const char *sql, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = bindv(s, sql, fmt, ap);
    va_end(ap);
    cJSON *rows = cJSON_CreateArray();
    if (!st) return rows;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *row = cJSON_CreateObject();
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *name = sqlite3_column_name(st, c);
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_INTEGER:
                cJSON_AddNumberToObject(row, name, (double)sqlite3_column_int64(st, c));
                break;
            case SQLITE_FLOAT:
                cJSON_AddNumberToObject(row, name, sqlite3_column_double(st, c));
                break;
            case SQLITE_NULL:
                break;
            default:
                cJSON_AddStringToObject(row, name, (const char *)sqlite3_column_text(st, c));
                break;
            }
        }
        cJSON_AddItemToArray(rows, row);
    }
    sqlite3_reset(st);
    return rows;
}

/* First row of q() or NULL. */
#define q1(...) first_row(q(__VA_ARGS__))
static cJSON *first_row(cJSON *rows) {
    cJSON *row = cJSON_GetArraySize(rows) > 0 ? cJSON_DetachItemFromArray(rows, 0) : NULL;
    cJSON_Delete(rows);
    return row;
}

static int64_t jll(const cJSON *o, const char *key) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static const char *js(const cJSON *o, const char *key) {
    const char *v = jstr(o, key);
    return v ? v : "";
}

static void add_time(cJSON *o, const char *key, int64_t ms) {
    cJSON_AddNumberToObject(o, key, (double)ms / 1000.0);
}

static int str_in(const cJSON *list, const char *s) {
    const cJSON *it;
    cJSON_ArrayForEach(it, list) if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0) return 1;
    return 0;
}

static int is_account_id(const char *s) {
    if (!s || strlen(s) != 12) return 0;
    for (int i = 0; i < 12; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

static int ram_schema(sim_t *s) {
    return db_exec(
        s, "CREATE TABLE IF NOT EXISTS ram_share(arn TEXT PRIMARY KEY, account TEXT, region TEXT,"
           " name TEXT, status TEXT, status_message TEXT, allow_external INT, feature_set TEXT,"
           " config TEXT, tags TEXT, created_ms INT, updated_ms INT);"
           "CREATE TABLE IF NOT EXISTS ram_assoc(seq INTEGER PRIMARY KEY AUTOINCREMENT, share_arn TEXT,"
           " type TEXT, entity TEXT, status TEXT, status_message TEXT, external INT, via_org INT DEFAULT 0, "
           "created_ms INT,"
           " updated_ms INT, UNIQUE(share_arn, type, entity));"
           "CREATE TABLE IF NOT EXISTS ram_invite(arn TEXT PRIMARY KEY, share_arn TEXT, sender TEXT,"
           " receiver TEXT, receiver_arn TEXT, region TEXT, status TEXT, created_ms INT, updated_ms INT);"
           "CREATE TABLE IF NOT EXISTS ram_perm(arn TEXT PRIMARY KEY, account TEXT, region TEXT, name TEXT,"
           " resource_type TEXT, feature_set TEXT, default_version INT, status TEXT, tags TEXT,"
           " promoted_to TEXT, created_ms INT, updated_ms INT);"
           "CREATE TABLE IF NOT EXISTS ram_perm_version(arn TEXT, version INT, policy TEXT, status TEXT,"
           " created_ms INT, updated_ms INT, PRIMARY KEY(arn, version));"
           "CREATE TABLE IF NOT EXISTS ram_share_perm(share_arn TEXT, perm_arn TEXT, version INT,"
           " resource_type TEXT, status TEXT, created_ms INT, updated_ms INT,"
           " PRIMARY KEY(share_arn, perm_arn));"
           "CREATE TABLE IF NOT EXISTS ram_org(id INTEGER PRIMARY KEY CHECK(id = 1), spec TEXT,"
           " sharing_enabled INT);"
           "CREATE TABLE IF NOT EXISTS ram_work(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE,"
           " account TEXT, region TEXT, from_arn TEXT, from_version INT, to_arn TEXT, to_version INT,"
           " status TEXT, status_message TEXT, created_ms INT, updated_ms INT);"
           "CREATE TABLE IF NOT EXISTS ram_token(account TEXT, region TEXT, op TEXT, token TEXT,"
           " digest TEXT, response TEXT, PRIMARY KEY(account, region, op, token));");
}

/* ------------------------------------------------------------------------------------------------
 * Catalogue: the resource types RAM can share and AWS's managed permissions for them.
 * ---------------------------------------------------------------------------------------------- */

typedef struct rtype {
    const char *type;    /* ec2:TransitGateway */
    const char *service; /* ARN service */
    const char *prefix;  /* ARN resource prefix ("transit-gateway/"; "catalog" matches exactly) */
    const char *scope;   /* REGIONAL | GLOBAL */
} rtype_t;

static const rtype_t RTYPES[] = {
    {"acm-pca:CertificateAuthority", "acm-pca", "certificate-authority/", "REGIONAL"},
    {"appmesh:Mesh", "appmesh", "mesh/", "REGIONAL"},
    {"codebuild:Project", "codebuild", "project/", "REGIONAL"},
    {"codebuild:ReportGroup", "codebuild", "report-group/", "REGIONAL"},
    {"ec2:CapacityReservation", "ec2", "capacity-reservation/", "REGIONAL"},
    {"ec2:IpamPool", "ec2", "ipam-pool/", "REGIONAL"},
    {"ec2:PrefixList", "ec2", "prefix-list/", "REGIONAL"},
    {"ec2:Subnet", "ec2", "subnet/", "REGIONAL"},
    {"ec2:TrafficMirrorTarget", "ec2", "traffic-mirror-target/", "REGIONAL"},
    {"ec2:TransitGateway", "ec2", "transit-gateway/", "REGIONAL"},
    {"ec2:TransitGatewayMulticastDomain", "ec2", "transit-gateway-multicast-domain/", "REGIONAL"},
    {"glue:Catalog", "glue", "catalog", "REGIONAL"},
    {"glue:Database", "glue", "database/", "REGIONAL"},
    {"glue:Table", "glue", "table/", "REGIONAL"},
    {"imagebuilder:Component", "imagebuilder", "component/", "REGIONAL"},
    {"imagebuilder:Image", "imagebuilder", "image/", "REGIONAL"},
    {"imagebuilder:ImageRecipe", "imagebuilder", "image-recipe/", "REGIONAL"},
    {"license-manager:LicenseConfiguration", "license-manager", "license-configuration:", "REGIONAL"},
    {"networkmanager:CoreNetwork", "networkmanager", "core-network/", "GLOBAL"},
    {"rds:Cluster", "rds", "cluster:", "REGIONAL"},
    {"resource-groups:Group", "resource-groups", "group/", "REGIONAL"},
    {"route53resolver:ResolverQueryLogConfig", "route53resolver", "resolver-query-log-config/", "REGIONAL"},
    {"route53resolver:ResolverRule", "route53resolver", "resolver-rule/", "REGIONAL"},
};
#define NRTYPES ((int)(sizeof RTYPES / sizeof RTYPES[0]))

typedef struct mperm {
    const char *name;
    const char *type;
    int is_default;
    const char *actions; /* JSON array text */
} mperm_t;

static const mperm_t MPERMS[] = {
    {"AWSRAMDefaultPermissionCertificateAuthority", "acm-pca:CertificateAuthority", 1,
     "[\"acm-pca:DescribeCertificateAuthority\",\"acm-pca:GetCertificate\",\"acm-pca:GetCertificateAuthority"
     "Certificate\",\"acm-pca:IssueCertificate\",\"acm-pca:ListPermissions\",\"acm-pca:ListTags\"]"},
    {"AWSRAMDefaultPermissionAppMesh", "appmesh:Mesh", 1,
     "[\"appmesh:CreateVirtualNode\",\"appmesh:CreateVirtualService\",\"appmesh:DescribeMesh\","
     "\"appmesh:ListVirtualNodes\",\"appmesh:ListVirtualServices\"]"},
    {"AWSRAMDefaultPermissionCodeBuildProject", "codebuild:Project", 1,
     "[\"codebuild:BatchGetProjects\",\"codebuild:BatchGetBuilds\",\"codebuild:ListBuildsForProject\"]"},
    {"AWSRAMDefaultPermissionCodeBuildReportGroup", "codebuild:ReportGroup", 1,
     "[\"codebuild:BatchGetReportGroups\",\"codebuild:BatchGetReports\",\"codebuild:"
     "ListReportsForReportGroup\"]"},
    {"AWSRAMDefaultPermissionCapacityReservation", "ec2:CapacityReservation", 1,
     "[\"ec2:DescribeCapacityReservations\",\"ec2:RunInstances\"]"},
    {"AWSRAMDefaultPermissionsIpamPool", "ec2:IpamPool", 1,
     "[\"ec2:AllocateIpamPoolCidr\",\"ec2:GetIpamPoolAllocations\",\"ec2:GetIpamPoolCidrs\","
     "\"ec2:ReleaseIpamPoolAllocation\"]"},
    {"AWSRAMDefaultPermissionPrefixList", "ec2:PrefixList", 1,
     "[\"ec2:DescribeManagedPrefixLists\",\"ec2:GetManagedPrefixListEntries\","
     "\"ec2:GetManagedPrefixListAssociations\"]"},
    {"AWSRAMDefaultPermissionSubnet", "ec2:Subnet", 1,
     "[\"ec2:RunInstances\",\"ec2:CreateNetworkInterface\",\"ec2:DescribeSubnets\"]"},
    {"AWSRAMDefaultPermissionTrafficMirrorTarget", "ec2:TrafficMirrorTarget", 1,
     "[\"ec2:CreateTrafficMirrorSession\",\"ec2:DescribeTrafficMirrorTargets\"]"},
    {"AWSRAMDefaultPermissionTransitGateway", "ec2:TransitGateway", 1,
     "[\"ec2:CreateTransitGatewayVpcAttachment\",\"ec2:DescribeTransitGateways\","
     "\"ec2:CreateTransitGatewayConnectPeer\",\"ec2:CreateTransitGatewayPeeringAttachment\"]"},
    {"AWSRAMDefaultPermissionTransitGatewayMulticastDomain", "ec2:TransitGatewayMulticastDomain", 1,
     "[\"ec2:AssociateTransitGatewayMulticastDomain\",\"ec2:DescribeTransitGatewayMulticastDomains\"]"},
    {"AWSRAMDefaultPermissionGlueCatalog", "glue:Catalog", 1, "[\"glue:GetCatalogImportStatus\"]"},
    {"AWSRAMPermissionGlueDatabaseReadWriteForCatalog", "glue:Catalog", 0,
     "[\"glue:GetDatabase\",\"glue:GetDatabases\",\"glue:CreateTable\",\"glue:UpdateDatabase\"]"},
    {"AWSRAMDefaultPermissionGlueDatabase", "glue:Database", 1,
     "[\"glue:GetDatabase\",\"glue:GetTables\",\"glue:GetTable\",\"glue:SearchTables\"]"},
    {"AWSRAMPermissionGlueDatabaseReadWrite", "glue:Database", 0,
     "[\"glue:GetDatabase\",\"glue:GetTables\",\"glue:GetTable\",\"glue:UpdateDatabase\",\"glue:"
     "CreateTable\"]"},
    {"AWSRAMDefaultPermissionGlueTable", "glue:Table", 1,
     "[\"glue:GetTable\",\"glue:GetTableVersion\",\"glue:GetTableVersions\",\"glue:GetPartitions\"]"},
    {"AWSRAMPermissionGlueTableReadWrite", "glue:Table", 0,
     "[\"glue:GetTable\",\"glue:UpdateTable\",\"glue:DeleteTable\",\"glue:BatchCreatePartition\"]"},
    {"AWSRAMDefaultPermissionImageBuilderComponent", "imagebuilder:Component", 1,
     "[\"imagebuilder:GetComponent\",\"imagebuilder:ListComponents\"]"},
    {"AWSRAMDefaultPermissionImageBuilderImage", "imagebuilder:Image", 1,
     "[\"imagebuilder:GetImage\",\"imagebuilder:ListImages\"]"},
    {"AWSRAMDefaultPermissionImageBuilderImageRecipe", "imagebuilder:ImageRecipe", 1,
     "[\"imagebuilder:GetImageRecipe\",\"imagebuilder:ListImageRecipes\"]"},
    {"AWSRAMDefaultPermissionLicenseConfiguration", "license-manager:LicenseConfiguration", 1,
     "[\"license-manager:ListLicenseConfigurations\",\"license-manager:GetLicenseConfiguration\","
     "\"license-manager:UpdateLicenseSpecificationsForResource\"]"},
    {"AWSRAMDefaultPermissionsNetworkManagerCoreNetwork", "networkmanager:CoreNetwork", 1,
     "[\"networkmanager:GetCoreNetwork\",\"networkmanager:GetCoreNetworkPolicy\"]"},
    {"AWSRAMDefaultPermissionRDSCluster", "rds:Cluster", 1,
     "[\"rds:CreateDBClusterEndpoint\",\"rds:CloneDBCluster\",\"rds:DescribeDBClusters\"]"},
    {"AWSRAMDefaultPermissionResourceGroup", "resource-groups:Group", 1,
     "[\"resource-groups:GetGroup\",\"resource-groups:ListGroupResources\"]"},
    {"AWSRAMDefaultPermissionResolverQueryLogConfig", "route53resolver:ResolverQueryLogConfig", 1,
     "[\"route53resolver:AssociateResolverQueryLogConfig\",\"route53resolver:GetResolverQueryLogConfig\"]"},
    {"AWSRAMDefaultPermissionResolverRule", "route53resolver:ResolverRule", 1,
     "[\"route53resolver:GetResolverRule\",\"route53resolver:AssociateResolverRule\","
     "\"route53resolver:DisassociateResolverRule\",\"route53resolver:ListResolverRules\"]"},
};
#define NMPERMS ((int)(sizeof MPERMS / sizeof MPERMS[0]))

/* Resource type by name, case-insensitively (AWS accepts ec2:subnet for ec2:Subnet). */
static const rtype_t *rtype_by_name(const char *name) {
    for (int i = 0; name && i < NRTYPES; i++)
        if (strcasecmp(RTYPES[i].type, name) == 0) return &RTYPES[i];
    return NULL;
}

typedef struct arn {
    char partition[16], service[48], region[32], account[16], resource[700];
} arn_t;

/* Split arn:partition:service:region:account:resource. 0 ok, -1 malformed. */
static int arn_parse(const char *s, arn_t *a) {
    memset(a, 0, sizeof *a);
    if (!s || strncmp(s, "arn:", 4) != 0) return -1;
    const char *p = s + 4;
    char *fields[4] = {a->partition, a->service, a->region, a->account};
    size_t sizes[4] = {sizeof a->partition, sizeof a->service, sizeof a->region, sizeof a->account};
    for (int i = 0; i < 4; i++) {
        const char *c = strchr(p, ':');
        if (!c || (size_t)(c - p) >= sizes[i]) return -1;
        memcpy(fields[i], p, (size_t)(c - p));
        p = c + 1;
    }
    if (!*p || strlen(p) >= sizeof a->resource || !*a->partition || !*a->service) return -1;
    strcpy(a->resource, p);
    return 0;
}

/* The shareable type of a resource ARN, or NULL. */
static const rtype_t *rtype_of_arn(const arn_t *a) {
    for (int i = 0; i < NRTYPES; i++) {
        const rtype_t *t = &RTYPES[i];
        if (strcmp(a->service, t->service) != 0) continue;
        size_t n = strlen(t->prefix);
        char last = t->prefix[n - 1];
        if (last != '/' && last != ':') {
            if (strcmp(a->resource, t->prefix) == 0) return t;
        } else if (strncmp(a->resource, t->prefix, n) == 0 && a->resource[n]) {
            return t;
        }
    }
    return NULL;
}

static const char *rtype_of_arn_str(const char *arn) {
    arn_t a;
    const rtype_t *t = arn_parse(arn, &a) == 0 ? rtype_of_arn(&a) : NULL;
    return t ? t->type : "";
}

static const mperm_t *mperm_by_name(const char *name) {
    for (int i = 0; name && i < NMPERMS; i++)
        if (strcmp(MPERMS[i].name, name) == 0) return &MPERMS[i];
    return NULL;
}

static const mperm_t *mperm_default_for(const char *type) {
    for (int i = 0; i < NMPERMS; i++)
        if (MPERMS[i].is_default && strcasecmp(MPERMS[i].type, type) == 0) return &MPERMS[i];
    return NULL;
}

static void mperm_arn(const mperm_t *m, char *out, size_t n) {
    snprintf(out, n, "arn:aws:ram::aws:permission/%s", m->name);
}

/* ------------------------------------------------------------------------------------------------
 * Organization model (set through the control API) and who a principal covers.
 * ---------------------------------------------------------------------------------------------- */

/* The organization spec with "sharingEnabled" added, or NULL when there is none. */
static cJSON *org_load(sim_t *s) {
    cJSON *row = q1(s, "SELECT spec, sharing_enabled FROM ram_org WHERE id = 1", "");
    if (!row) return NULL;
    cJSON *spec = cJSON_Parse(js(row, "spec"));
    if (spec) cJSON_AddBoolToObject(spec, "sharingEnabled", jll(row, "sharing_enabled") != 0);
    cJSON_Delete(row);
    return spec;
}

static int org_contains(const cJSON *org, const char *account) {
    return org && account && str_in(cJSON_GetObjectItemCaseSensitive(org, "accounts"), account);
}

/* Both accounts are in the organization and RAM sharing with it is enabled: no invitations. */
static int org_shares_between(const cJSON *org, const char *a, const char *b) {
    return org && jbool(org, "sharingEnabled", 0) && org_contains(org, a) && org_contains(org, b);
}

static const cJSON *org_ou(const cJSON *org, const char *ou_id) {
    const cJSON *ou;
    cJSON_ArrayForEach(ou, cJSON_GetObjectItemCaseSensitive(
                               org, "organizationalUnits")) if (strcmp(js(ou, "id"), ou_id) == 0) return ou;
    return NULL;
}

typedef enum { P_ACCOUNT, P_IAM, P_ORG, P_OU, P_SERVICE } ptype_t;

/* Classify a principal: account id, IAM role/user ARN, organization ARN, OU ARN or service principal.
 * acct receives the account (P_ACCOUNT, P_IAM) or the org id (P_ORG, P_OU); ou the OU id. */
static int principal_parse(const char *p, ptype_t *t, char acct[40], char ou[80]) {
    arn_t a;
    acct[0] = ou[0] = 0;
    if (is_account_id(p)) {
        *t = P_ACCOUNT;
        strcpy(acct, p);
        return 0;
    }
    if (arn_parse(p, &a) == 0) {
        if (strcmp(a.service, "iam") == 0 && is_account_id(a.account) && !a.region[0] &&
            (strncmp(a.resource, "role/", 5) == 0 || strncmp(a.resource, "user/", 5) == 0 ||
             strcmp(a.resource, "root") == 0)) {
            *t = strcmp(a.resource, "root") == 0 ? P_ACCOUNT : P_IAM;
            strcpy(acct, a.account);
            return 0;
        }
        if (strcmp(a.service, "organizations") == 0 && is_account_id(a.account)) {
            if (strncmp(a.resource, "organization/o-", 15) == 0 && strlen(a.resource + 13) < 40) {
                *t = P_ORG;
                strcpy(acct, a.resource + 13);
                return 0;
            }
            const char *o = a.resource + 3, *slash = strchr(o, '/');
            if (strncmp(a.resource, "ou/o-", 5) == 0 && slash && (size_t)(slash - o) < 40 &&
                strncmp(slash + 1, "ou-", 3) == 0 && strlen(slash + 1) < 80) {
                *t = P_OU;
                memcpy(acct, o, (size_t)(slash - o));
                acct[slash - o] = 0;
                strcpy(ou, slash + 1);
                return 0;
            }
        }
        return -1;
    }
    /* service principals: ec2.amazonaws.com */
    size_t n = strlen(p);
    if (n > 14 && strcmp(p + n - 14, ".amazonaws.com") == 0) {
        for (size_t i = 0; i < n - 14; i++)
            if (!islower((unsigned char)p[i]) && !isdigit((unsigned char)p[i]) && p[i] != '-' && p[i] != '.')
                return -1;
        *t = P_SERVICE;
        return 0;
    }
    return -1;
}

/* Does the associated principal `entity` include `account`? */
static int principal_covers(const cJSON *org, const char *entity, const char *account) {
    ptype_t t;
    char acct[40], ou[80];
    if (principal_parse(entity, &t, acct, ou) != 0) return 0;
    switch (t) {
    case P_ACCOUNT:
    case P_IAM:
        return strcmp(acct, account) == 0;
    case P_ORG:
        return org && strcmp(js(org, "organizationId"), acct) == 0 && org_contains(org, account);
    case P_OU: {
        const cJSON *o = org && strcmp(js(org, "organizationId"), acct) == 0 ? org_ou(org, ou) : NULL;
        return o && str_in(cJSON_GetObjectItemCaseSensitive(o, "accounts"), account);
    }
    default:
        return 0;
    }
}

/* The share (row) is ACTIVE and one of its ASSOCIATED principals covers `account` (not the owner). */
static int share_shared_with(sim_t *s, const cJSON *share, const cJSON *org, const char *account) {
    if (strcmp(js(share, "status"), "ACTIVE") != 0 || strcmp(js(share, "account"), account) == 0) return 0;
    cJSON *cfg = cJSON_Parse(js(share, "config"));
    int retain = jbool(cfg, "retainSharingOnAccountLeaveOrganization", 0);
    cJSON_Delete(cfg);
    cJSON *ps = q(s,
                  "SELECT entity, via_org FROM ram_assoc WHERE share_arn = ? AND type = 'PRINCIPAL' AND"
                  " status = 'ASSOCIATED'",
                  "s", js(share, "arn"));
    const cJSON *p;
    int yes = 0;
    cJSON_ArrayForEach(p, ps) {
        /* AWS rule: principals that got access through the organization (no invitation) lose it when
         * their account leaves, unless the share sets retainSharingOnAccountLeaveOrganization */
        if (jll(p, "via_org") && !retain && !org_contains(org, account)) continue;
        if (principal_covers(org, js(p, "entity"), account)) yes = 1;
    }
    cJSON_Delete(ps);
    return yes;
}

/* ------------------------------------------------------------------------------------------------
 * Idempotency (clientToken), paging, tags.
 * ---------------------------------------------------------------------------------------------- */

static char *input_digest(const cJSON *in) {
    cJSON *c = jdup(in);
    cJSON_DeleteItemFromObjectCaseSensitive(c, "clientToken");
    char *d = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    return d;
}

/* AWS rule: a retried clientToken with the same parameters returns the first response; with other
 * parameters it is IdempotentParameterMismatchException. 1 = replayed into out, 0 = run, -1 = error. */
static int idem_begin(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *token = jstr(in, "clientToken");
    if (!token) return 0;
    if (!*token || strlen(token) > 64)
        return sim_err(e, 400, "InvalidClientTokenException", "The client token %s is not valid.", token);
    cJSON *row =
        q1(r->sim, "SELECT digest, response FROM ram_token WHERE account=? AND region=? AND op=? AND token=?",
           "ssss", r->account, r->region, r->operation, token);
    if (!row) return 0;
    char *d = input_digest(in);
    int same = strcmp(d, js(row, "digest")) == 0;
    free(d);
    if (!same) {
        cJSON_Delete(row);
        return sim_err(e, 400, "IdempotentParameterMismatchException",
                       "The client token %s was already used with different parameters.", token);
    }
    cJSON *prev = cJSON_Parse(js(row, "response"));
    cJSON_Delete(row);
    cJSON *it;
    while (prev && (it = prev->child))
        cJSON_AddItemToObject(out, it->string, cJSON_DetachItemViaPointer(prev, it));
    cJSON_Delete(prev);
    return 1;
}

static void idem_end(req_t *r, const cJSON *in, cJSON *out) {
    const char *token = jstr(in, "clientToken");
    char gen[37];
    if (!token) {
        rng_uuid(r->sim, gen);
        token = gen;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(out, "clientToken");
    cJSON_AddStringToObject(out, "clientToken", token);
    if (token == gen) return;
    char *d = input_digest(in), *resp = cJSON_PrintUnformatted(out);
    x(r->sim,
      "INSERT OR REPLACE INTO ram_token(account, region, op, token, digest, response) VALUES(?,?,?,?,?,?)",
      "ssssss", r->account, r->region, r->operation, token, d, resp);
    free(d);
    free(resp);
}

/* Handlers taking a clientToken run inside this wrapper. */
#define IDEMPOTENT(name)                                                                                     \
    static int do_##name(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e);                             \
    static int op_##name(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {                            \
        int rc = idem_begin(r, in, out, e);                                                                  \
        if (rc) return rc < 0 ? -1 : 0;                                                                      \
        if (do_##name(r, in, out, e) != 0) return -1;                                                        \
        idem_end(r, in, out);                                                                                \
        return 0;                                                                                            \
    }                                                                                                        \
    static int do_##name(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e)

/* Put one page of `all` (consumed) under `key`, with nextToken when more remain. */
static int page_out(const cJSON *in, cJSON *out, const char *key, cJSON *all, sim_error_t *e) {
    const char *token = jstr(in, "nextToken");
    int total = cJSON_GetArraySize(all), start = 0;
    if (token) {
        char *end = NULL;
        long v = strncmp(token, "rampage-", 8) == 0 ? strtol(token + 8, &end, 10) : -1;
        if (v < 0 || !end || *end || v > total) {
            cJSON_Delete(all);
            return sim_err(e, 400, "InvalidNextTokenException",
                           "The specified value for nextToken is not valid.");
        }
        start = (int)v;
    }
    int max = jint(in, "maxResults", DEFAULT_PAGE);
    cJSON *page = cJSON_CreateArray();
    for (int i = start; i < total && i < start + max; i++)
        cJSON_AddItemToArray(page, cJSON_Duplicate(cJSON_GetArrayItem(all, i), 1));
    cJSON_AddItemToObject(out, key, page);
    if (start + max < total) {
        char next[32];
        snprintf(next, sizeof next, "rampage-%d", start + max);
        cJSON_AddStringToObject(out, "nextToken", next);
    }
    cJSON_Delete(all);
    return 0;
}

/* AWS tag rules: key 1-128 characters, value up to 256, no aws: prefix, at most 50 per resource. */
static int tags_check(const cJSON *tags, sim_error_t *e) {
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        const char *k = jstr(t, "key"), *v = jstr(t, "value");
        if (!k || !*k || strlen(k) > 128)
            return sim_err(e, 400, "InvalidParameterException",
                           "Tag keys must be between 1 and 128 characters.");
        if (v && strlen(v) > 256)
            return sim_err(e, 400, "InvalidParameterException", "Tag values must be at most 256 characters.");
        if (strncasecmp(k, "aws:", 4) == 0)
            return sim_err(e, 400, "InvalidParameterException", "Tag keys beginning with aws: are reserved.");
    }
    return 0;
}

/* Merge `add` into the stored tag list text; returns new text (malloc'd) or NULL on the 50-tag limit. */
static char *tags_merge(const char *stored, const cJSON *add, sim_error_t *e) {
    cJSON *cur = cJSON_Parse(stored && *stored ? stored : "[]");
    if (!cur) cur = cJSON_CreateArray();
    const cJSON *t;
    cJSON_ArrayForEach(t, add) {
        const char *k = jstr(t, "key");
        cJSON *c, *found = NULL;
        cJSON_ArrayForEach(c, cur) if (strcmp(js(c, "key"), k) == 0) found = c;
        if (found)
            cJSON_DeleteItemFromObjectCaseSensitive(found, "value");
        else {
            found = cJSON_CreateObject();
            cJSON_AddStringToObject(found, "key", k);
            cJSON_AddItemToArray(cur, found);
        }
        cJSON_AddStringToObject(found, "value", js(t, "value"));
    }
    if (cJSON_GetArraySize(cur) > MAX_TAGS) {
        cJSON_Delete(cur);
        sim_err(e, 400, "TagLimitExceededException", "A resource can have at most %d tags.", MAX_TAGS);
        return NULL;
    }
    char *text = cJSON_PrintUnformatted(cur);
    cJSON_Delete(cur);
    return text;
}

static cJSON *tags_json(const char *stored) {
    cJSON *t = cJSON_Parse(stored && *stored ? stored : "[]");
    return t ? t : cJSON_CreateArray();
}

/* ------------------------------------------------------------------------------------------------
 * Resource shares, associations, invitations.
 * ---------------------------------------------------------------------------------------------- */

static int share_arn_valid(const char *arn) {
    arn_t a;
    return arn_parse(arn, &a) == 0 && strcmp(a.service, "ram") == 0 && is_account_id(a.account) &&
           strncmp(a.resource, "resource-share/", 15) == 0 && a.resource[15];
}

static int malformed_share(sim_error_t *e, const char *arn) {
    return sim_err(e, 400, "MalformedArnException",
                   "The specified resource share ARN %s is not valid. Verify the ARN and try again.", arn);
}

static int invitation_exists_for(sim_t *s, const char *share_arn, const char *account) {
    cJSON *row =
        q1(s, "SELECT arn FROM ram_invite WHERE share_arn = ? AND receiver = ?", "ss", share_arn, account);
    cJSON_Delete(row);
    return row != NULL;
}

/* SHARE_MODIFY: owner, and not a CREATED_FROM_POLICY share (AWS: those are managed through the
 * resource-based policy until promoted). */
enum { SHARE_READ = 0, SHARE_OWNER = 1, SHARE_MODIFY = 2 };

/* Find a share the caller may read (owner, recipient, or invited) or must own. NULL with e set. */
static cJSON *share_find(req_t *r, const char *arn, int mode, sim_error_t *e) {
    if (!share_arn_valid(arn)) {
        malformed_share(e, arn);
        return NULL;
    }
    cJSON *row = q1(r->sim, "SELECT * FROM ram_share WHERE arn = ? AND region = ?", "ss", arn, r->region);
    if (row && strcmp(js(row, "account"), r->account) != 0) {
        cJSON *org = org_load(r->sim);
        int visible =
            share_shared_with(r->sim, row, org, r->account) || invitation_exists_for(r->sim, arn, r->account);
        cJSON_Delete(org);
        /* a CREATED_FROM_POLICY share is visible to its owner only until promoted */
        if (strcmp(js(row, "feature_set"), "CREATED_FROM_POLICY") == 0) visible = 0;
        if (visible && mode != SHARE_READ) {
            cJSON_Delete(row);
            sim_err(e, 400, "OperationNotPermittedException",
                    "The operation is not permitted: account %s is not the owner of resource share %s.",
                    r->account, arn);
            return NULL;
        }
        if (!visible) cJSON_Delete(row), row = NULL;
    }
    /* a deleted share can still be listed, but no longer changed */
    if (row && mode != SHARE_READ && strcmp(js(row, "status"), "DELETED") == 0) cJSON_Delete(row), row = NULL;
    if (!row) {
        sim_err(e, 400, "UnknownResourceException", "ResourceShare %s could not be found.", arn);
        return NULL;
    }
    if (mode == SHARE_MODIFY && strcmp(js(row, "feature_set"), "CREATED_FROM_POLICY") == 0) {
        cJSON_Delete(row);
        sim_err(e, 400, "OperationNotPermittedException",
                "The resource share %s was created from a resource-based policy and can't be modified with "
                "AWS RAM. "
                "Promote it first with PromoteResourceShareCreatedFromPolicy.",
                arn);
        return NULL;
    }
    return row;
}

static cJSON *share_json(const cJSON *row) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "resourceShareArn", js(row, "arn"));
    cJSON_AddStringToObject(o, "name", js(row, "name"));
    cJSON_AddStringToObject(o, "owningAccountId", js(row, "account"));
    cJSON_AddBoolToObject(o, "allowExternalPrincipals", jll(row, "allow_external") != 0);
    cJSON_AddStringToObject(o, "status", js(row, "status"));
    if (jstr(row, "status_message")) cJSON_AddStringToObject(o, "statusMessage", js(row, "status_message"));
    cJSON_AddItemToObject(o, "tags", tags_json(jstr(row, "tags")));
    add_time(o, "creationTime", jll(row, "created_ms"));
    add_time(o, "lastUpdatedTime", jll(row, "updated_ms"));
    cJSON_AddStringToObject(o, "featureSet", js(row, "feature_set"));
    cJSON *cfg = jstr(row, "config") ? cJSON_Parse(js(row, "config")) : NULL;
    if (cfg) cJSON_AddItemToObject(o, "resourceShareConfiguration", cfg);
    return o;
}

/* A ResourceShareAssociation; status_override reports a transition (ASSOCIATING) in mutation replies. */
static cJSON *assoc_json(const cJSON *row, const char *share_name, const char *status_override) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "resourceShareArn", js(row, "share_arn"));
    cJSON_AddStringToObject(o, "resourceShareName", share_name);
    cJSON_AddStringToObject(o, "associatedEntity", js(row, "entity"));
    cJSON_AddStringToObject(o, "associationType", js(row, "type"));
    cJSON_AddStringToObject(o, "status", status_override ? status_override : js(row, "status"));
    if (jstr(row, "status_message") && !status_override)
        cJSON_AddStringToObject(o, "statusMessage", js(row, "status_message"));
    add_time(o, "creationTime", jll(row, "created_ms"));
    add_time(o, "lastUpdatedTime", jll(row, "updated_ms"));
    cJSON_AddBoolToObject(o, "external", jll(row, "external") != 0);
    return o;
}

static void assoc_set(req_t *r, const char *share, const char *type, const char *entity, const char *status,
                      const char *msg, int external) {
    x(r->sim,
      "INSERT INTO ram_assoc(share_arn, type, entity, status, status_message, external, created_ms, "
      "updated_ms)"
      " VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(share_arn, type, entity) DO UPDATE SET status = excluded.status,"
      " status_message = excluded.status_message, external = excluded.external, updated_ms = "
      "excluded.updated_ms",
      "sssssdii", share, type, entity, status, msg, external, r->now_ms, r->now_ms);
}

static cJSON *assoc_get(sim_t *s, const char *share, const char *type, const char *entity) {
    return q1(s, "SELECT * FROM ram_assoc WHERE share_arn = ? AND type = ? AND entity = ?", "sss", share,
              type, entity);
}

static void share_touch(req_t *r, const char *arn) {
    x(r->sim, "UPDATE ram_share SET updated_ms = ? WHERE arn = ?", "is", r->now_ms, arn);
}

static cJSON *invitation_json(sim_t *s, const cJSON *inv) {
    cJSON *o = cJSON_CreateObject();
    cJSON *share = q1(s, "SELECT name FROM ram_share WHERE arn = ?", "s", js(inv, "share_arn"));
    cJSON_AddStringToObject(o, "resourceShareInvitationArn", js(inv, "arn"));
    cJSON_AddStringToObject(o, "resourceShareName", js(share, "name"));
    cJSON_AddStringToObject(o, "resourceShareArn", js(inv, "share_arn"));
    cJSON_AddStringToObject(o, "senderAccountId", js(inv, "sender"));
    cJSON_AddStringToObject(o, "receiverAccountId", js(inv, "receiver"));
    add_time(o, "invitationTimestamp", jll(inv, "created_ms"));
    cJSON_AddStringToObject(o, "status", js(inv, "status"));
    if (jstr(inv, "receiver_arn")) cJSON_AddStringToObject(o, "receiverArn", js(inv, "receiver_arn"));
    cJSON_Delete(share);
    return o;
}

/* Settle the principal associations of `account` on a share after its invitation was answered. */
static void invitation_settle(sim_t *s, const char *share_arn, const char *account, const char *status,
                              const char *msg, int64_t now) {
    cJSON *org = org_load(s);
    cJSON *ps = q(
        s,
        "SELECT entity FROM ram_assoc WHERE share_arn = ? AND type = 'PRINCIPAL' AND status = 'ASSOCIATING'",
        "s", share_arn);
    const cJSON *p;
    cJSON_ArrayForEach(p, ps) {
        ptype_t t;
        char acct[40], ou[80];
        if (principal_parse(js(p, "entity"), &t, acct, ou) != 0 || (t != P_ACCOUNT && t != P_IAM) ||
            strcmp(acct, account) != 0)
            continue;
        x(s,
          "UPDATE ram_assoc SET status = ?, status_message = ?, updated_ms = ? WHERE share_arn = ? AND"
          " type = 'PRINCIPAL' AND entity = ?",
          "ssiss", status, msg, now, share_arn, js(p, "entity"));
    }
    cJSON_Delete(ps);
    cJSON_Delete(org);
}

/* AWS rule: an invitation not answered within 7 days expires. Applied by the timer, and lazily on
 * read in case the clock was moved without firing timers. */
static void invitation_expire_if_due(sim_t *s, cJSON *inv, int64_t now) {
    if (strcmp(js(inv, "status"), "PENDING") != 0 || now < jll(inv, "created_ms") + INVITE_TTL_MS) return;
    x(s, "UPDATE ram_invite SET status = 'EXPIRED', updated_ms = ? WHERE arn = ?", "is", now, js(inv, "arn"));
    invitation_settle(s, js(inv, "share_arn"), js(inv, "receiver"), "FAILED",
                      "The resource share invitation expired.", now);
    cJSON_ReplaceItemInObjectCaseSensitive(inv, "status", cJSON_CreateString("EXPIRED"));
}

/* Is `account` already an ASSOCIATED principal of the share (its account id or one of its IAM roles)? */
static int account_associated(sim_t *s, const char *share_arn, const char *account) {
    cJSON *ps =
        q(s,
          "SELECT entity FROM ram_assoc WHERE share_arn = ? AND type = 'PRINCIPAL' AND status = 'ASSOCIATED'",
          "s", share_arn);
    const cJSON *p;
    int yes = 0;
    cJSON_ArrayForEach(p, ps) {
        ptype_t t;
        char acct[40], ou[80];
        if (principal_parse(js(p, "entity"), &t, acct, ou) == 0 && (t == P_ACCOUNT || t == P_IAM) &&
            strcmp(acct, account) == 0)
            yes = 1;
    }
    cJSON_Delete(ps);
    return yes;
}

/* Send `account` an invitation for the share unless one is pending. Returns 1 when the account is
 * already associated through another principal of its own (the new principal is associated at once). */
static int invitation_ensure(req_t *r, const char *share_arn, const char *account, const char *receiver_arn) {
    if (account_associated(r->sim, share_arn, account)) return 1;
    cJSON *inv = q1(r->sim,
                    "SELECT * FROM ram_invite WHERE share_arn = ? AND receiver = ? AND status = 'PENDING'"
                    " ORDER BY created_ms DESC LIMIT 1",
                    "ss", share_arn, account);
    if (inv) invitation_expire_if_due(r->sim, inv, r->now_ms);
    int pending = inv && strcmp(js(inv, "status"), "PENDING") == 0;
    cJSON_Delete(inv);
    if (pending) return 0;
    char uuid[37], arn[256];
    rng_uuid(r->sim, uuid);
    snprintf(arn, sizeof arn, "arn:aws:ram:%s:%s:resource-share-invitation/%s", r->region, r->account, uuid);
    x(r->sim,
      "INSERT INTO ram_invite(arn, share_arn, sender, receiver, receiver_arn, region, status, created_ms, "
      "updated_ms)"
      " VALUES(?,?,?,?,?,?, 'PENDING', ?, ?)",
      "ssssssii", arn, share_arn, r->account, account, receiver_arn, r->region, r->now_ms, r->now_ms);
    timer_schedule(r->sim, r->now_ms + INVITE_TTL_MS, "ram", "invitation-expiry", r->account, r->region, arn,
                   "");
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Permissions: the AWS managed catalogue and customer managed permissions, one shape for both.
 * ---------------------------------------------------------------------------------------------- */

static cJSON *mperm_row(const mperm_t *m) {
    char arn[200];
    mperm_arn(m, arn, sizeof arn);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "arn", arn);
    cJSON_AddStringToObject(o, "name", m->name);
    cJSON_AddStringToObject(o, "resource_type", m->type);
    cJSON_AddStringToObject(o, "feature_set", "STANDARD");
    cJSON_AddNumberToObject(o, "default_version", 1);
    cJSON_AddStringToObject(o, "status", "ATTACHABLE");
    cJSON_AddNumberToObject(o, "created_ms", (double)MANAGED_CREATED_MS);
    cJSON_AddNumberToObject(o, "updated_ms", (double)MANAGED_CREATED_MS);
    cJSON_AddStringToObject(o, "account", "aws");
    cJSON_AddNumberToObject(o, "managed", 1);
    cJSON_AddNumberToObject(o, "is_type_default", m->is_default);
    return o;
}

static int perm_arn_valid(const char *arn) {
    arn_t a;
    return arn_parse(arn, &a) == 0 && strcmp(a.service, "ram") == 0 &&
           (strcmp(a.account, "aws") == 0 || is_account_id(a.account)) &&
           strncmp(a.resource, "permission/", 11) == 0 && a.resource[11];
}

/* A permission used by a share the account can see (recipients may read the share's permissions). */
static int perm_used_by_visible_share(req_t *r, const char *perm_arn) {
    cJSON *shares =
        q(r->sim,
          "SELECT s.* FROM ram_share s JOIN ram_share_perm p ON p.share_arn = s.arn WHERE p.perm_arn = ?",
          "s", perm_arn);
    cJSON *org = org_load(r->sim);
    const cJSON *sh;
    int yes = 0;
    cJSON_ArrayForEach(sh, shares) if (share_shared_with(r->sim, sh, org, r->account) ||
                                       invitation_exists_for(r->sim, js(sh, "arn"), r->account)) yes = 1;
    cJSON_Delete(org);
    cJSON_Delete(shares);
    return yes;
}

enum { PERM_READ = 0, PERM_OWNER = 1 };

/* Find a permission by ARN: AWS managed, the caller's own, or (PERM_READ) one used by a share the caller
 * can see. NULL with e set. */
static cJSON *perm_find(req_t *r, const char *arn, int mode, sim_error_t *e) {
    if (!perm_arn_valid(arn)) {
        sim_err(e, 400, "MalformedArnException",
                "The specified permission ARN %s is not valid. Verify the ARN and try again.", arn);
        return NULL;
    }
    const char *prefix = "arn:aws:ram::aws:permission/";
    if (strncmp(arn, prefix, strlen(prefix)) == 0) {
        const mperm_t *m = mperm_by_name(arn + strlen(prefix));
        if (m && mode == PERM_OWNER) {
            sim_err(e, 400, "OperationNotPermittedException",
                    "The operation is not permitted on AWS managed permission %s.", arn);
            return NULL;
        }
        if (m) return mperm_row(m);
    } else {
        cJSON *row = q1(r->sim, "SELECT * FROM ram_perm WHERE arn = ? AND status != 'DELETED'", "s", arn);
        if (row && strcmp(js(row, "region"), r->region) != 0) cJSON_Delete(row), row = NULL;
        if (row && strcmp(js(row, "account"), r->account) != 0 &&
            (mode == PERM_OWNER || !perm_used_by_visible_share(r, arn)))
            cJSON_Delete(row), row = NULL;
        if (row) {
            cJSON_AddNumberToObject(row, "managed", 0);
            cJSON_AddNumberToObject(row, "is_type_default", 0);
            return row;
        }
    }
    sim_err(e, 400, "UnknownResourceException", "Permission %s could not be found.", arn);
    return NULL;
}

/* One version of a permission: {version, policy, status, created_ms, updated_ms} or NULL. */
static cJSON *perm_version(sim_t *s, const cJSON *perm, int version) {
    if (jll(perm, "managed")) {
        if (version != 1) return NULL;
        const mperm_t *m = mperm_by_name(js(perm, "name"));
        cJSON *o = cJSON_CreateObject();
        char policy[1024];
        snprintf(policy, sizeof policy, "{\"Effect\":\"Allow\",\"Action\":%s}", m ? m->actions : "[]");
        cJSON_AddNumberToObject(o, "version", 1);
        cJSON_AddStringToObject(o, "policy", policy);
        cJSON_AddStringToObject(o, "status", "ATTACHABLE");
        cJSON_AddNumberToObject(o, "created_ms", (double)MANAGED_CREATED_MS);
        cJSON_AddNumberToObject(o, "updated_ms", (double)MANAGED_CREATED_MS);
        return o;
    }
    return q1(s, "SELECT * FROM ram_perm_version WHERE arn = ? AND version = ? AND status != 'DELETED'", "sd",
              js(perm, "arn"), version);
}

/* ResourceSharePermissionSummary (detail=1 adds the policy text as "permission"). */
static cJSON *perm_json(const cJSON *perm, const cJSON *ver, int detail) {
    cJSON *o = cJSON_CreateObject();
    char v[16];
    int version = (int)jll(ver, "version");
    snprintf(v, sizeof v, "%d", version);
    cJSON_AddStringToObject(o, "arn", js(perm, "arn"));
    cJSON_AddStringToObject(o, "version", v);
    cJSON_AddBoolToObject(o, "defaultVersion", version == jll(perm, "default_version"));
    cJSON_AddStringToObject(o, "name", js(perm, "name"));
    cJSON_AddStringToObject(o, "resourceType", js(perm, "resource_type"));
    if (detail) cJSON_AddStringToObject(o, "permission", js(ver, "policy"));
    cJSON_AddStringToObject(o, "status", js(ver, "status"));
    add_time(o, "creationTime", jll(ver, "created_ms"));
    add_time(o, "lastUpdatedTime", jll(ver, "updated_ms"));
    cJSON_AddBoolToObject(o, "isResourceTypeDefault", jll(perm, "is_type_default") != 0);
    cJSON_AddStringToObject(o, "permissionType", jll(perm, "managed") ? "AWS_MANAGED" : "CUSTOMER_MANAGED");
    cJSON_AddStringToObject(o, "featureSet", js(perm, "feature_set"));
    if (!jll(perm, "managed")) cJSON_AddItemToObject(o, "tags", tags_json(jstr(perm, "tags")));
    return o;
}

/* The permission's default version as a summary. */
static cJSON *perm_default_json(sim_t *s, const cJSON *perm, int detail) {
    cJSON *ver = perm_version(s, perm, (int)jll(perm, "default_version"));
    cJSON *o = perm_json(perm, ver, detail);
    cJSON_Delete(ver);
    return o;
}

/* Attach permission to a share for its resource type (replacing any other one of that type). */
static void share_perm_set(req_t *r, const char *share, const cJSON *perm, int version) {
    x(r->sim, "DELETE FROM ram_share_perm WHERE share_arn = ? AND resource_type = ? COLLATE NOCASE", "ss",
      share, js(perm, "resource_type"));
    x(r->sim,
      "INSERT OR REPLACE INTO ram_share_perm(share_arn, perm_arn, version, resource_type, status, created_ms,"
      " updated_ms) VALUES(?,?,?,?, 'ASSOCIATED', ?, ?)",
      "ssdsii", share, js(perm, "arn"), version, js(perm, "resource_type"), r->now_ms, r->now_ms);
}

/* A share needs a permission for each resource type it shares: the type's AWS managed default. */
static void share_ensure_default_perm(req_t *r, const char *share, const char *type) {
    cJSON *have =
        q1(r->sim,
           "SELECT perm_arn FROM ram_share_perm WHERE share_arn = ? AND resource_type = ? COLLATE NOCASE",
           "ss", share, type);
    const mperm_t *m = have ? NULL : mperm_default_for(type);
    cJSON_Delete(have);
    if (!m) return;
    cJSON *row = mperm_row(m);
    share_perm_set(r, share, row, 1);
    cJSON_Delete(row);
}

/* ------------------------------------------------------------------------------------------------
 * Associating principals, resources and sources with a share (CreateResourceShare,
 * AssociateResourceShare).
 * ---------------------------------------------------------------------------------------------- */

/* Validate every principal before anything changes (the call is all or nothing). */
static int principals_check(req_t *r, const cJSON *share, const cJSON *principals, const cJSON *org,
                            sim_error_t *e) {
    const cJSON *p;
    cJSON_ArrayForEach(p, principals) {
        const char *id = cJSON_GetStringValue(p);
        ptype_t t;
        char acct[40], ou[80];
        if (!id || principal_parse(id, &t, acct, ou) != 0)
            return sim_err(e, 400, "InvalidParameterException",
                           "Principal ID %s is malformed. Verify the ID and try again.", id ? id : "");
        if ((t == P_ACCOUNT || t == P_IAM) && strcmp(acct, r->account) == 0)
            return sim_err(e, 400, "InvalidParameterException",
                           "The resource share owner %s cannot be associated as a principal.", r->account);
        if (t == P_ORG || t == P_OU) {
            if (!org || !org_contains(org, r->account) || strcmp(js(org, "organizationId"), acct) != 0)
                return sim_err(e, 400, "UnknownResourceException", "Organization %s could not be found.",
                               acct);
            if (t == P_OU && !org_ou(org, ou))
                return sim_err(e, 400, "UnknownResourceException",
                               "OrganizationalUnit %s in unknown organization could not be found.", ou);
            /* AWS rule: sharing with an organization or OU needs EnableSharingWithAwsOrganization first */
            if (!jbool(org, "sharingEnabled", 0))
                return sim_err(
                    e, 400, "OperationNotPermittedException",
                    "The resource you are attempting to share can only be shared within your AWS "
                    "Organization. This error may also occur if you have not enabled sharing with your AWS "
                    "organization, or that onboarding process is still in progress.");
        }
        /* AWS rule: allowExternalPrincipals=false limits a share to the owner's organization */
        int external = (t == P_ACCOUNT || t == P_IAM) && !org_shares_between(org, r->account, acct);
        if (external && jll(share, "allow_external") == 0)
            return sim_err(
                e, 400, "OperationNotPermittedException",
                "The resource you are attempting to share can only be shared within your AWS "
                "Organization. This error may also occur if you have not enabled sharing with your AWS "
                "organization, or that onboarding process is still in progress.");
    }
    return 0;
}

/* Associate one (checked) principal; appends the association, reported as ASSOCIATING, to `acc`. */
static void principal_add(req_t *r, const cJSON *share, const char *id, const cJSON *org, cJSON *acc) {
    const char *share_arn = js(share, "arn");
    ptype_t t;
    char acct[40], ou[80];
    principal_parse(id, &t, acct, ou);
    cJSON *cur = assoc_get(r->sim, share_arn, "PRINCIPAL", id);
    const char *st = cur ? js(cur, "status") : "";
    int keep = strcmp(st, "ASSOCIATED") == 0 || strcmp(st, "ASSOCIATING") == 0;
    cJSON_Delete(cur);
    if (!keep) {
        int external = 0;
        const char *status = "ASSOCIATED";
        if (t == P_ACCOUNT || t == P_IAM) {
            external = !org_contains(org, r->account) || !org_contains(org, acct);
            /* inside an organization that enabled sharing there is no invitation; otherwise the
             * recipient must accept one before the association completes */
            if (!org_shares_between(org, r->account, acct) &&
                !invitation_ensure(r, share_arn, acct, t == P_IAM ? id : NULL))
                status = "ASSOCIATING";
        }
        assoc_set(r, share_arn, "PRINCIPAL", id, status, NULL, external);
        x(r->sim,
          "UPDATE ram_assoc SET via_org = ? WHERE share_arn = ? AND type = 'PRINCIPAL' AND entity = ?", "dss",
          (t == P_ACCOUNT || t == P_IAM) && org_shares_between(org, r->account, acct), share_arn, id);
    }
    cur = assoc_get(r->sim, share_arn, "PRINCIPAL", id);
    cJSON_AddItemToArray(acc, assoc_json(cur, js(share, "name"), keep ? NULL : "ASSOCIATING"));
    cJSON_Delete(cur);
}

static int resources_check(req_t *r, const cJSON *share, const cJSON *arns, sim_error_t *e) {
    const cJSON *it;
    cJSON_ArrayForEach(it, arns) {
        const char *s = cJSON_GetStringValue(it);
        arn_t a;
        if (!s || arn_parse(s, &a) != 0)
            return sim_err(e, 400, "MalformedArnException",
                           "The specified resource ARN %s is not valid. Verify the ARN and try again.",
                           s ? s : "");
        const rtype_t *t = rtype_of_arn(&a);
        if (!t)
            return sim_err(e, 400, "MalformedArnException", "You cannot share the selected resource type.");
        /* AWS rule: only the resource's owner can share it, from the resource's Region */
        if (strcmp(a.account, r->account) != 0)
            return sim_err(e, 400, "UnknownResourceException", "The resource %s could not be found.", s);
        if (strcmp(t->scope, "REGIONAL") == 0 && a.region[0] && strcmp(a.region, js(share, "region")) != 0)
            return sim_err(e, 400, "InvalidParameterException",
                           "The resource %s is not in the Region %s of the resource share.", s,
                           js(share, "region"));
    }
    return 0;
}

static void resource_add(req_t *r, const cJSON *share, const char *arn, cJSON *acc) {
    const char *share_arn = js(share, "arn");
    cJSON *cur = assoc_get(r->sim, share_arn, "RESOURCE", arn);
    int keep = cur && strcmp(js(cur, "status"), "ASSOCIATED") == 0;
    cJSON_Delete(cur);
    if (!keep) assoc_set(r, share_arn, "RESOURCE", arn, "ASSOCIATED", NULL, 0);
    share_ensure_default_perm(r, share_arn, rtype_of_arn_str(arn));
    cur = assoc_get(r->sim, share_arn, "RESOURCE", arn);
    cJSON_AddItemToArray(acc, assoc_json(cur, js(share, "name"), keep ? NULL : "ASSOCIATING"));
    cJSON_Delete(cur);
}

static int sources_check(const cJSON *sources, sim_error_t *e) {
    const cJSON *it;
    cJSON_ArrayForEach(it, sources) {
        const char *s = cJSON_GetStringValue(it);
        arn_t a;
        if (!s || (!is_account_id(s) && arn_parse(s, &a) != 0))
            return sim_err(e, 400, "InvalidParameterException",
                           "Source %s is malformed. Verify the ID and try again.", s ? s : "");
    }
    return 0;
}

static void source_add(req_t *r, const cJSON *share, const char *id, cJSON *acc) {
    const char *share_arn = js(share, "arn");
    cJSON *cur = assoc_get(r->sim, share_arn, "SOURCE", id);
    int keep = cur && strcmp(js(cur, "status"), "ASSOCIATED") == 0;
    cJSON_Delete(cur);
    if (!keep) assoc_set(r, share_arn, "SOURCE", id, "ASSOCIATED", NULL, 0);
    cur = assoc_get(r->sim, share_arn, "SOURCE", id);
    cJSON_AddItemToArray(acc, assoc_json(cur, js(share, "name"), keep ? NULL : "ASSOCIATING"));
    cJSON_Delete(cur);
}

/* Check then apply principals, resources and sources. `acc` (may be NULL) collects associations. */
static int share_associate(req_t *r, const cJSON *share, const cJSON *in, cJSON *acc, sim_error_t *e) {
    const cJSON *principals = cJSON_GetObjectItemCaseSensitive(in, "principals");
    const cJSON *resources = cJSON_GetObjectItemCaseSensitive(in, "resourceArns");
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(in, "sources");
    cJSON *org = org_load(r->sim);
    int rc = principals_check(r, share, principals, org, e);
    if (rc == 0) rc = resources_check(r, share, resources, e);
    if (rc == 0) rc = sources_check(sources, e);
    if (rc == 0) {
        cJSON *sink = acc ? acc : cJSON_CreateArray();
        const cJSON *it;
        cJSON_ArrayForEach(it, resources) resource_add(r, share, it->valuestring, sink);
        cJSON_ArrayForEach(it, principals) principal_add(r, share, it->valuestring, org, sink);
        cJSON_ArrayForEach(it, sources) source_add(r, share, it->valuestring, sink);
        if (!acc) cJSON_Delete(sink);
        share_touch(r, js(share, "arn"));
    }
    cJSON_Delete(org);
    return rc;
}

/* ------------------------------------------------------------------------------------------------
 * Operations: resource shares.
 * ---------------------------------------------------------------------------------------------- */

static int share_name_check(const char *name, sim_error_t *e) {
    if (!name || !*name || strlen(name) > 255)
        return sim_err(e, 400, "InvalidParameterException",
                       "The resource share name must be 1-255 characters.");
    return 0;
}

IDEMPOTENT(CreateResourceShare) {
    const char *name = jstr(in, "name");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(in, "tags");
    if (share_name_check(name, e) || tags_check(tags, e)) return -1;
    if (cJSON_GetArraySize(tags) > MAX_TAGS)
        return sim_err(e, 400, "TagLimitExceededException", "A resource can have at most %d tags.", MAX_TAGS);
    /* explicit permissions: each must exist, be attachable, and at most one per resource type */
    const cJSON *perms = cJSON_GetObjectItemCaseSensitive(in, "permissionArns"), *p;
    cJSON *resolved = cJSON_CreateArray();
    cJSON_ArrayForEach(p, perms) {
        cJSON *perm = perm_find(r, cJSON_GetStringValue(p) ? p->valuestring : "", PERM_READ, e);
        if (!perm) return cJSON_Delete(resolved), -1;
        const cJSON *o;
        int dup = 0;
        cJSON_ArrayForEach(o, resolved) if (strcasecmp(js(o, "resource_type"), js(perm, "resource_type")) ==
                                            0) dup = 1;
        if (dup || strcmp(js(perm, "feature_set"), "CREATED_FROM_POLICY") == 0) {
            cJSON_Delete(perm);
            cJSON_Delete(resolved);
            return sim_err(
                e, 400, "InvalidParameterException",
                dup ? "You can associate only one permission per resource type with a resource share."
                    : "A CREATED_FROM_POLICY permission cannot be associated with a resource share.");
        }
        cJSON_AddItemToArray(resolved, perm);
    }
    char uuid[37], arn[256];
    rng_uuid(r->sim, uuid);
    snprintf(arn, sizeof arn, "arn:aws:ram:%s:%s:resource-share/%s", r->region, r->account, uuid);
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(in, "resourceShareConfiguration");
    char *cfg_text = cfg ? cJSON_PrintUnformatted(cfg) : NULL;
    char *tag_text = tags_merge("[]", tags, e);
    x(r->sim,
      "INSERT INTO ram_share(arn, account, region, name, status, allow_external, feature_set, config, tags,"
      " created_ms, updated_ms) VALUES(?,?,?,?, 'ACTIVE', ?, 'STANDARD', ?, ?, ?, ?)",
      "ssssdssii", arn, r->account, r->region, name, jbool(in, "allowExternalPrincipals", 1), cfg_text,
      tag_text, r->now_ms, r->now_ms);
    free(cfg_text);
    free(tag_text);
    cJSON_ArrayForEach(p, resolved) share_perm_set(r, arn, p, (int)jll(p, "default_version"));
    cJSON_Delete(resolved);
    cJSON *share = q1(r->sim, "SELECT * FROM ram_share WHERE arn = ?", "s", arn);
    int rc = share_associate(r, share, in, NULL, e);
    cJSON_Delete(share);
    if (rc) return -1;
    share = q1(r->sim, "SELECT * FROM ram_share WHERE arn = ?", "s", arn);
    cJSON_AddItemToObject(out, "resourceShare", share_json(share));
    cJSON_Delete(share);
    return 0;
}

IDEMPOTENT(UpdateResourceShare) {
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_MODIFY, e);
    if (!share) return -1;
    const char *name = jstr(in, "name");
    if (name && share_name_check(name, e)) return cJSON_Delete(share), -1;
    cJSON *allow = cJSON_GetObjectItemCaseSensitive(in, "allowExternalPrincipals");
    if (cJSON_IsFalse(allow)) {
        /* AWS rule: a share that already has external principals cannot be limited to the organization */
        cJSON *ext =
            q1(r->sim,
               "SELECT entity FROM ram_assoc WHERE share_arn = ? AND type = 'PRINCIPAL' AND external = 1"
               " AND status IN ('ASSOCIATED', 'ASSOCIATING')",
               "s", js(share, "arn"));
        if (ext) {
            sim_err(e, 400, "OperationNotPermittedException",
                    "The resource share %s has external principal %s; remove it before disallowing external "
                    "principals.",
                    js(share, "arn"), js(ext, "entity"));
            cJSON_Delete(ext);
            cJSON_Delete(share);
            return -1;
        }
    }
    x(r->sim,
      "UPDATE ram_share SET name = coalesce(?, name), allow_external = coalesce(?, allow_external), "
      "updated_ms = ?"
      " WHERE arn = ?",
      "ssis", name, cJSON_IsBool(allow) ? (cJSON_IsTrue(allow) ? "1" : "0") : NULL, r->now_ms,
      js(share, "arn"));
    cJSON *row = q1(r->sim, "SELECT * FROM ram_share WHERE arn = ?", "s", js(share, "arn"));
    cJSON_AddItemToObject(out, "resourceShare", share_json(row));
    cJSON_Delete(row);
    cJSON_Delete(share);
    return 0;
}

IDEMPOTENT(DeleteResourceShare) {
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_MODIFY, e);
    if (!share) return -1;
    const char *arn = js(share, "arn");
    x(r->sim, "UPDATE ram_share SET status = 'DELETED', updated_ms = ? WHERE arn = ?", "is", r->now_ms, arn);
    x(r->sim,
      "UPDATE ram_assoc SET status = 'DISASSOCIATED', updated_ms = ? WHERE share_arn = ? AND status != "
      "'DISASSOCIATED'",
      "is", r->now_ms, arn);
    /* invitations of a deleted share can no longer be accepted */
    cJSON *pending =
        q(r->sim, "SELECT arn FROM ram_invite WHERE share_arn = ? AND status = 'PENDING'", "s", arn);
    const cJSON *it;
    cJSON_ArrayForEach(it, pending) {
        x(r->sim, "UPDATE ram_invite SET status = 'EXPIRED', updated_ms = ? WHERE arn = ?", "is", r->now_ms,
          js(it, "arn"));
        timer_cancel(r->sim, "ram", "invitation-expiry", js(it, "arn"));
    }
    cJSON_Delete(pending);
    cJSON_Delete(share);
    cJSON_AddBoolToObject(out, "returnValue", 1);
    return 0;
}

IDEMPOTENT(AssociateResourceShare) {
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_MODIFY, e);
    if (!share) return -1;
    cJSON *acc = cJSON_CreateArray();
    int rc = share_associate(r, share, in, acc, e);
    cJSON_Delete(share);
    if (rc) return cJSON_Delete(acc), -1;
    cJSON_AddItemToObject(out, "resourceShareAssociations", acc);
    return 0;
}

/* The request only removes the caller's own account from the share (a recipient leaving it). */
static int leaving_share(req_t *r, const cJSON *in) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(in, "principals");
    return cJSON_GetArraySize(p) == 1 && cJSON_IsString(p->child) &&
           strcmp(p->child->valuestring, r->account) == 0 &&
           cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(in, "resourceArns")) == 0 &&
           cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(in, "sources")) == 0;
}

IDEMPOTENT(DisassociateResourceShare) {
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_MODIFY, e);
    /* AWS rule: besides the owner, a recipient account may disassociate itself (leave the share) */
    if (!share && strcmp(e->code, "OperationNotPermittedException") == 0 && leaving_share(r, in))
        share = share_find(r, jstr(in, "resourceShareArn"), SHARE_READ, e);
    if (!share) return -1;
    const char *arn = js(share, "arn");
    static const char *const kinds[][2] = {
        {"principals", "PRINCIPAL"}, {"resourceArns", "RESOURCE"}, {"sources", "SOURCE"}};
    /* every entity must currently be associated; nothing changes otherwise */
    for (int k = 0; k < 3; k++) {
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, kinds[k][0])) {
            const char *id = cJSON_GetStringValue(it);
            cJSON *cur = id ? assoc_get(r->sim, arn, kinds[k][1], id) : NULL;
            int ok = cur && strcmp(js(cur, "status"), "DISASSOCIATED") != 0;
            cJSON_Delete(cur);
            if (!ok) {
                sim_err(e, 400, "UnknownResourceException", "%s is not associated with resource share %s.",
                        id ? id : "", arn);
                cJSON_Delete(share);
                return -1;
            }
        }
    }
    cJSON *acc = cJSON_CreateArray();
    for (int k = 0; k < 3; k++) {
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, kinds[k][0])) {
            x(r->sim,
              "UPDATE ram_assoc SET status = 'DISASSOCIATED', status_message = NULL, updated_ms = ?"
              " WHERE share_arn = ? AND type = ? AND entity = ?",
              "isss", r->now_ms, arn, kinds[k][1], it->valuestring);
            cJSON *cur = assoc_get(r->sim, arn, kinds[k][1], it->valuestring);
            cJSON_AddItemToArray(acc, assoc_json(cur, js(share, "name"), "DISASSOCIATING"));
            cJSON_Delete(cur);
        }
    }
    share_touch(r, arn);
    cJSON_Delete(share);
    cJSON_AddItemToObject(out, "resourceShareAssociations", acc);
    return 0;
}

/* The shares the caller owns (SELF) or that are shared with it (OTHER-ACCOUNTS), in creation order. */
static cJSON *shares_for(req_t *r, int other_accounts) {
    if (!other_accounts)
        return q(r->sim,
                 "SELECT * FROM ram_share WHERE account = ? AND region = ? ORDER BY created_ms, rowid", "ss",
                 r->account, r->region);
    cJSON *all = q(r->sim,
                   "SELECT * FROM ram_share WHERE account != ? AND region = ? AND status = 'ACTIVE' AND"
                   " feature_set != 'CREATED_FROM_POLICY' ORDER BY created_ms, rowid",
                   "ss", r->account, r->region);
    cJSON *org = org_load(r->sim), *keep = cJSON_CreateArray();
    cJSON *sh;
    while ((sh = all->child)) {
        cJSON_DetachItemViaPointer(all, sh);
        if (share_shared_with(r->sim, sh, org, r->account))
            cJSON_AddItemToArray(keep, sh);
        else
            cJSON_Delete(sh);
    }
    cJSON_Delete(all);
    cJSON_Delete(org);
    return keep;
}

static int other_accounts(const cJSON *in) {
    return strcmp(js(in, "resourceOwner"), "OTHER-ACCOUNTS") == 0;
}

/* Every ARN in a resourceShareArns filter must be well formed. */
static int share_arns_check(const cJSON *list, sim_error_t *e) {
    const cJSON *it;
    cJSON_ArrayForEach(
        it, list) if (!cJSON_IsString(it) ||
                      !share_arn_valid(it->valuestring)) return malformed_share(e, cJSON_IsString(it)
                                                                                       ? it->valuestring
                                                                                       : "");
    return 0;
}

static int tag_filters_match(const cJSON *filters, const char *tag_text) {
    cJSON *tags = tags_json(tag_text);
    const cJSON *f;
    int ok = 1;
    cJSON_ArrayForEach(f, filters) {
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(f, "tagValues"), *t;
        int hit = 0;
        cJSON_ArrayForEach(t, tags) if (strcmp(js(t, "key"), js(f, "tagKey")) == 0 &&
                                        (cJSON_GetArraySize(values) == 0 || str_in(values, js(t, "value"))))
            hit = 1;
        if (!hit) ok = 0;
    }
    cJSON_Delete(tags);
    return ok;
}

static int op_GetResourceShares(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(in, "resourceShareArns");
    if (share_arns_check(arns, e)) return -1;
    const char *perm_arn = jstr(in, "permissionArn");
    if (perm_arn && !perm_arn_valid(perm_arn))
        return sim_err(e, 400, "MalformedArnException", "The specified permission ARN %s is not valid.",
                       perm_arn);
    cJSON *shares = shares_for(r, other_accounts(in)), *all = cJSON_CreateArray();
    const cJSON *sh;
    cJSON_ArrayForEach(sh, shares) {
        if (arns && !str_in(arns, js(sh, "arn"))) continue;
        if (jstr(in, "name") && strcmp(js(sh, "name"), jstr(in, "name")) != 0) continue;
        if (jstr(in, "resourceShareStatus") && strcmp(js(sh, "status"), jstr(in, "resourceShareStatus")) != 0)
            continue;
        if (!tag_filters_match(cJSON_GetObjectItemCaseSensitive(in, "tagFilters"), jstr(sh, "tags")))
            continue;
        if (perm_arn) {
            cJSON *sp = q1(r->sim, "SELECT version FROM ram_share_perm WHERE share_arn = ? AND perm_arn = ?",
                           "ss", js(sh, "arn"), perm_arn);
            int match = sp && (jint(in, "permissionVersion", 0) == 0 ||
                               jll(sp, "version") == jint(in, "permissionVersion", 0));
            cJSON_Delete(sp);
            if (!match) continue;
        }
        cJSON_AddItemToArray(all, share_json(sh));
    }
    cJSON_Delete(shares);
    return page_out(in, out, "resourceShares", all, e);
}

static int op_GetResourceShareAssociations(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *type = js(in, "associationType");
    const char *principal = jstr(in, "principal"), *resource = jstr(in, "resourceArn");
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(in, "resourceShareArns");
    if (strcmp(type, "PRINCIPAL") == 0 && resource)
        return sim_err(e, 400, "InvalidParameterException",
                       "You cannot specify a resource ARN when the association type is PRINCIPAL.");
    if (strcmp(type, "RESOURCE") == 0 && principal)
        return sim_err(e, 400, "InvalidParameterException",
                       "You cannot specify a principal when the association type is RESOURCE.");
    arn_t a;
    if (resource && arn_parse(resource, &a) != 0)
        return sim_err(e, 400, "MalformedArnException", "The specified resource ARN %s is not valid.",
                       resource);
    if (share_arns_check(arns, e)) return -1;
    cJSON *all = cJSON_CreateArray(), *org = org_load(r->sim);
    for (int side = 0; side < 2; side++) {
        cJSON *shares = shares_for(r, side);
        const cJSON *sh;
        cJSON_ArrayForEach(sh, shares) {
            if (arns && !str_in(arns, js(sh, "arn"))) continue;
            cJSON *rows = q(r->sim, "SELECT * FROM ram_assoc WHERE share_arn = ? AND type = ? ORDER BY seq",
                            "ss", js(sh, "arn"), type);
            const cJSON *row;
            cJSON_ArrayForEach(row, rows) {
                const char *entity = js(row, "entity");
                if (principal && strcmp(entity, principal) != 0) continue;
                if (resource && strcmp(entity, resource) != 0) continue;
                if (jstr(in, "associationStatus") &&
                    strcmp(js(row, "status"), jstr(in, "associationStatus")) != 0)
                    continue;
                /* a recipient sees the shared resources and its own principal association only */
                if (side == 1 &&
                    (strcmp(js(row, "status"), "ASSOCIATED") != 0 ||
                     (strcmp(type, "PRINCIPAL") == 0 && !principal_covers(org, entity, r->account))))
                    continue;
                cJSON_AddItemToArray(all, assoc_json(row, js(sh, "name"), NULL));
            }
            cJSON_Delete(rows);
        }
        cJSON_Delete(shares);
    }
    cJSON_Delete(org);
    return page_out(in, out, "resourceShareAssociations", all, e);
}

/* ------------------------------------------------------------------------------------------------
 * Operations: invitations.
 * ---------------------------------------------------------------------------------------------- */

static int invitation_arn_valid(const char *arn) {
    arn_t a;
    return arn && arn_parse(arn, &a) == 0 && strcmp(a.service, "ram") == 0 && is_account_id(a.account) &&
           strncmp(a.resource, "resource-share-invitation/", 26) == 0 && a.resource[26];
}

/* The invitation addressed to the caller (expiry applied). NULL with e set. */
static cJSON *invitation_find(req_t *r, const char *arn, sim_error_t *e) {
    if (!invitation_arn_valid(arn)) {
        sim_err(e, 400, "MalformedArnException",
                "The specified resource share invitation ARN %s is not valid. Verify the ARN and try again.",
                arn ? arn : "");
        return NULL;
    }
    cJSON *inv = q1(r->sim, "SELECT * FROM ram_invite WHERE arn = ? AND region = ?", "ss", arn, r->region);
    if (inv && strcmp(js(inv, "sender"), r->account) == 0 && strcmp(js(inv, "receiver"), r->account) != 0) {
        cJSON_Delete(inv);
        sim_err(e, 400, "OperationNotPermittedException",
                "The resource share invitation %s can only be answered by its receiver.", arn);
        return NULL;
    }
    if (inv && strcmp(js(inv, "receiver"), r->account) != 0) cJSON_Delete(inv), inv = NULL;
    if (!inv) {
        sim_err(e, 400, "ResourceShareInvitationArnNotFoundException",
                "ResourceShareInvitation %s could not be found.", arn);
        return NULL;
    }
    invitation_expire_if_due(r->sim, inv, r->now_ms);
    return inv;
}

/* AWS rule: only a PENDING invitation can be answered. */
static int invitation_pending(const cJSON *inv, sim_error_t *e) {
    const char *st = js(inv, "status"), *arn = js(inv, "arn");
    if (strcmp(st, "ACCEPTED") == 0)
        return sim_err(e, 400, "ResourceShareInvitationAlreadyAcceptedException",
                       "The resource share invitation %s has already been accepted.", arn);
    if (strcmp(st, "REJECTED") == 0)
        return sim_err(e, 400, "ResourceShareInvitationAlreadyRejectedException",
                       "The resource share invitation %s has already been rejected.", arn);
    if (strcmp(st, "EXPIRED") == 0)
        return sim_err(e, 400, "ResourceShareInvitationExpiredException",
                       "The resource share invitation %s has expired.", arn);
    return 0;
}

static int invitation_answer(req_t *r, const cJSON *in, cJSON *out, int accept, sim_error_t *e) {
    cJSON *inv = invitation_find(r, jstr(in, "resourceShareInvitationArn"), e);
    if (!inv) return -1;
    if (invitation_pending(inv, e)) return cJSON_Delete(inv), -1;
    const char *status = accept ? "ACCEPTED" : "REJECTED";
    x(r->sim, "UPDATE ram_invite SET status = ?, updated_ms = ? WHERE arn = ?", "sis", status, r->now_ms,
      js(inv, "arn"));
    timer_cancel(r->sim, "ram", "invitation-expiry", js(inv, "arn"));
    invitation_settle(r->sim, js(inv, "share_arn"), r->account, accept ? "ASSOCIATED" : "FAILED",
                      accept ? NULL : "The resource share invitation was rejected.", r->now_ms);
    cJSON_ReplaceItemInObjectCaseSensitive(inv, "status", cJSON_CreateString(status));
    cJSON_AddItemToObject(out, "resourceShareInvitation", invitation_json(r->sim, inv));
    cJSON_Delete(inv);
    return 0;
}

IDEMPOTENT(AcceptResourceShareInvitation) {
    return invitation_answer(r, in, out, 1, e);
}

IDEMPOTENT(RejectResourceShareInvitation) {
    return invitation_answer(r, in, out, 0, e);
}

static int op_GetResourceShareInvitations(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const cJSON *inv_arns = cJSON_GetObjectItemCaseSensitive(in, "resourceShareInvitationArns");
    const cJSON *share_arns = cJSON_GetObjectItemCaseSensitive(in, "resourceShareArns"), *it;
    if (share_arns_check(share_arns, e)) return -1;
    cJSON_ArrayForEach(it, inv_arns) {
        cJSON *inv = invitation_find(r, cJSON_GetStringValue(it), e);
        if (!inv) return -1;
        cJSON_Delete(inv);
    }
    cJSON *rows =
        q(r->sim, "SELECT * FROM ram_invite WHERE receiver = ? AND region = ? ORDER BY created_ms, rowid",
          "ss", r->account, r->region);
    cJSON *all = cJSON_CreateArray(), *row;
    cJSON_ArrayForEach(row, rows) {
        if (inv_arns && !str_in(inv_arns, js(row, "arn"))) continue;
        if (share_arns && !str_in(share_arns, js(row, "share_arn"))) continue;
        invitation_expire_if_due(r->sim, row, r->now_ms);
        cJSON_AddItemToArray(all, invitation_json(r->sim, row));
    }
    cJSON_Delete(rows);
    return page_out(in, out, "resourceShareInvitations", all, e);
}

/* ------------------------------------------------------------------------------------------------
 * Operations: listing resources and principals from both sides.
 * ---------------------------------------------------------------------------------------------- */

static const char *scope_of(const char *resource_arn) {
    const rtype_t *t = rtype_by_name(rtype_of_arn_str(resource_arn));
    return t ? t->scope : "REGIONAL";
}

static cJSON *resource_json(const cJSON *assoc) {
    cJSON *o = cJSON_CreateObject();
    const char *arn = js(assoc, "entity");
    cJSON_AddStringToObject(o, "arn", arn);
    cJSON_AddStringToObject(o, "type", rtype_of_arn_str(arn));
    cJSON_AddStringToObject(o, "resourceShareArn", js(assoc, "share_arn"));
    cJSON_AddStringToObject(o, "status", "AVAILABLE");
    add_time(o, "creationTime", jll(assoc, "created_ms"));
    add_time(o, "lastUpdatedTime", jll(assoc, "updated_ms"));
    cJSON_AddStringToObject(o, "resourceRegionScope", scope_of(arn));
    return o;
}

static int scope_match(const cJSON *in, const char *arn) {
    const char *want = jstr(in, "resourceRegionScope");
    return !want || strcmp(want, "ALL") == 0 || strcmp(want, scope_of(arn)) == 0;
}

static int arns_check(const cJSON *list, sim_error_t *e) {
    const cJSON *it;
    arn_t a;
    cJSON_ArrayForEach(it, list) if (!cJSON_IsString(it) ||
                                     arn_parse(it->valuestring, &a) !=
                                         0) return sim_err(e, 400, "MalformedArnException",
                                                           "The specified resource ARN %s is not valid. "
                                                           "Verify the ARN and try again.",
                                                           cJSON_IsString(it) ? it->valuestring : "");
    return 0;
}

static int op_ListResources(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    int other = other_accounts(in);
    const char *principal = jstr(in, "principal"), *type = jstr(in, "resourceType");
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(in, "resourceArns");
    const cJSON *share_arns = cJSON_GetObjectItemCaseSensitive(in, "resourceShareArns");
    if (other && principal)
        return sim_err(e, 400, "InvalidParameterException",
                       "The principal filter is only valid when resourceOwner is SELF.");
    const rtype_t *rt = type ? rtype_by_name(type) : NULL;
    if (type && !rt)
        return sim_err(e, 400, "InvalidResourceTypeException", "The resource type %s is not valid.", type);
    if (arns_check(arns, e) || share_arns_check(share_arns, e)) return -1;
    cJSON *shares = shares_for(r, other), *all = cJSON_CreateArray(), *org = org_load(r->sim);
    const cJSON *sh;
    cJSON_ArrayForEach(sh, shares) {
        if (strcmp(js(sh, "status"), "ACTIVE") != 0) continue;
        if (share_arns && !str_in(share_arns, js(sh, "arn"))) continue;
        if (principal) {
            cJSON *ps = q(r->sim,
                          "SELECT entity FROM ram_assoc WHERE share_arn = ? AND type = 'PRINCIPAL' AND"
                          " status IN ('ASSOCIATED', 'ASSOCIATING')",
                          "s", js(sh, "arn"));
            const cJSON *p;
            int hit = 0;
            cJSON_ArrayForEach(p, ps) hit |=
                strcmp(js(p, "entity"), principal) == 0 ||
                (is_account_id(principal) && principal_covers(org, js(p, "entity"), principal));
            cJSON_Delete(ps);
            if (!hit) continue;
        }
        cJSON *rows =
            q(r->sim,
              "SELECT * FROM ram_assoc WHERE share_arn = ? AND type = 'RESOURCE' AND status = 'ASSOCIATED'"
              " ORDER BY seq",
              "s", js(sh, "arn"));
        const cJSON *row;
        cJSON_ArrayForEach(row, rows) {
            const char *arn = js(row, "entity");
            if (arns && !str_in(arns, arn)) continue;
            if (rt && strcmp(rtype_of_arn_str(arn), rt->type) != 0) continue;
            if (!scope_match(in, arn)) continue;
            cJSON_AddItemToArray(all, resource_json(row));
        }
        cJSON_Delete(rows);
    }
    cJSON_Delete(org);
    cJSON_Delete(shares);
    return page_out(in, out, "resources", all, e);
}

static int share_has_resource(sim_t *s, const char *share, const char *arn, const char *type) {
    cJSON *rows = q(
        s, "SELECT entity FROM ram_assoc WHERE share_arn = ? AND type = 'RESOURCE' AND status = 'ASSOCIATED'",
        "s", share);
    const cJSON *row;
    int hit = 0;
    cJSON_ArrayForEach(row, rows) hit |= (!arn || strcmp(js(row, "entity"), arn) == 0) &&
                                         (!type || strcmp(rtype_of_arn_str(js(row, "entity")), type) == 0);
    cJSON_Delete(rows);
    return hit;
}

static int op_ListPrincipals(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    int other = other_accounts(in);
    const char *resource = jstr(in, "resourceArn"), *type = jstr(in, "resourceType");
    const cJSON *principals = cJSON_GetObjectItemCaseSensitive(in, "principals");
    const cJSON *share_arns = cJSON_GetObjectItemCaseSensitive(in, "resourceShareArns");
    arn_t a;
    if (resource && arn_parse(resource, &a) != 0)
        return sim_err(e, 400, "MalformedArnException", "The specified resource ARN %s is not valid.",
                       resource);
    const rtype_t *rt = type ? rtype_by_name(type) : NULL;
    if (type && !rt) return sim_err(e, 400, "InvalidParameterException", "Invalid resource type: %s", type);
    if (share_arns_check(share_arns, e)) return -1;
    cJSON *shares = shares_for(r, other), *all = cJSON_CreateArray(), *org = org_load(r->sim);
    const cJSON *sh;
    cJSON_ArrayForEach(sh, shares) {
        if (strcmp(js(sh, "status"), "ACTIVE") != 0) continue;
        if (share_arns && !str_in(share_arns, js(sh, "arn"))) continue;
        if ((resource || rt) && !share_has_resource(r->sim, js(sh, "arn"), resource, rt ? rt->type : NULL))
            continue;
        cJSON *rows = q(r->sim,
                        "SELECT * FROM ram_assoc WHERE share_arn = ? AND type = 'PRINCIPAL' AND status IN"
                        " ('ASSOCIATED', 'ASSOCIATING') ORDER BY seq",
                        "s", js(sh, "arn"));
        const cJSON *row;
        cJSON_ArrayForEach(row, rows) {
            const char *id = js(row, "entity");
            if (principals && !str_in(principals, id)) continue;
            if (other &&
                (strcmp(js(row, "status"), "ASSOCIATED") != 0 || !principal_covers(org, id, r->account)))
                continue;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddStringToObject(o, "resourceShareArn", js(sh, "arn"));
            add_time(o, "creationTime", jll(row, "created_ms"));
            add_time(o, "lastUpdatedTime", jll(row, "updated_ms"));
            cJSON_AddBoolToObject(o, "external", jll(row, "external") != 0);
            cJSON_AddItemToArray(all, o);
        }
        cJSON_Delete(rows);
    }
    cJSON_Delete(org);
    cJSON_Delete(shares);
    return page_out(in, out, "principals", all, e);
}

static int op_ListPendingInvitationResources(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *inv = invitation_find(r, jstr(in, "resourceShareInvitationArn"), e);
    if (!inv) return -1;
    const char *st = js(inv, "status");
    if (strcmp(st, "REJECTED") == 0 || strcmp(st, "EXPIRED") == 0) {
        invitation_pending(inv, e);
        cJSON_Delete(inv);
        return -1;
    }
    cJSON *rows =
        q(r->sim,
          "SELECT * FROM ram_assoc WHERE share_arn = ? AND type = 'RESOURCE' AND status = 'ASSOCIATED'"
          " ORDER BY seq",
          "s", js(inv, "share_arn"));
    cJSON *all = cJSON_CreateArray();
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) if (scope_match(in, js(row, "entity")))
        cJSON_AddItemToArray(all, resource_json(row));
    cJSON_Delete(rows);
    cJSON_Delete(inv);
    return page_out(in, out, "resources", all, e);
}

static int op_ListResourceTypes(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *want = jstr(in, "resourceRegionScope");
    cJSON *all = cJSON_CreateArray();
    for (int i = 0; i < NRTYPES; i++) {
        if (want && strcmp(want, "ALL") != 0 && strcmp(want, RTYPES[i].scope) != 0) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "resourceType", RTYPES[i].type);
        cJSON_AddStringToObject(o, "serviceName", RTYPES[i].service);
        cJSON_AddStringToObject(o, "resourceRegionScope", RTYPES[i].scope);
        cJSON_AddItemToArray(all, o);
    }
    return page_out(in, out, "resourceTypes", all, e);
}

static int op_ListSourceAssociations(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const cJSON *share_arns = cJSON_GetObjectItemCaseSensitive(in, "resourceShareArns");
    if (share_arns_check(share_arns, e)) return -1;
    cJSON *shares = shares_for(r, 0), *all = cJSON_CreateArray();
    const cJSON *sh;
    cJSON_ArrayForEach(sh, shares) {
        if (share_arns && !str_in(share_arns, js(sh, "arn"))) continue;
        cJSON *rows =
            q(r->sim, "SELECT * FROM ram_assoc WHERE share_arn = ? AND type = 'SOURCE' ORDER BY seq", "s",
              js(sh, "arn"));
        const cJSON *row;
        cJSON_ArrayForEach(row, rows) {
            const char *id = js(row, "entity"), *stype = is_account_id(id) ? "ACCOUNT" : "ARN";
            if (jstr(in, "sourceId") && strcmp(id, jstr(in, "sourceId")) != 0) continue;
            if (jstr(in, "sourceType") && strcasecmp(stype, jstr(in, "sourceType")) != 0) continue;
            if (jstr(in, "associationStatus") &&
                strcmp(js(row, "status"), jstr(in, "associationStatus")) != 0)
                continue;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "resourceShareArn", js(sh, "arn"));
            cJSON_AddStringToObject(o, "sourceId", id);
            cJSON_AddStringToObject(o, "sourceType", stype);
            cJSON_AddStringToObject(o, "status", js(row, "status"));
            add_time(o, "creationTime", jll(row, "created_ms"));
            add_time(o, "lastUpdatedTime", jll(row, "updated_ms"));
            cJSON_AddItemToArray(all, o);
        }
        cJSON_Delete(rows);
    }
    cJSON_Delete(shares);
    return page_out(in, out, "sourceAssociations", all, e);
}

/* The resource-based policy RAM maintains for a shared resource: one statement per share. */
static int op_GetResourcePolicies(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const cJSON *arns = cJSON_GetObjectItemCaseSensitive(in, "resourceArns"), *it;
    const char *principal = jstr(in, "principal");
    if (arns_check(arns, e)) return -1;
    cJSON *all = cJSON_CreateArray();
    cJSON_ArrayForEach(it, arns) {
        arn_t a;
        arn_parse(it->valuestring, &a);
        if (strcmp(a.account, r->account) != 0) {
            cJSON_Delete(all);
            return sim_err(e, 400, "ResourceArnNotFoundException", "The resource ARN %s was not found.",
                           it->valuestring);
        }
        cJSON *rows =
            q(r->sim,
              "SELECT a.share_arn, s.name FROM ram_assoc a JOIN ram_share s ON s.arn = a.share_arn WHERE"
              " a.type = 'RESOURCE' AND a.entity = ? AND a.status = 'ASSOCIATED' AND s.status = 'ACTIVE'"
              " AND s.account = ? ORDER BY s.created_ms, a.seq",
              "ss", it->valuestring, r->account);
        cJSON *stmts = cJSON_CreateArray();
        const cJSON *row;
        cJSON_ArrayForEach(row, rows) {
            cJSON *ps = q(r->sim,
                          "SELECT entity FROM ram_assoc WHERE share_arn = ? AND type = 'PRINCIPAL' AND"
                          " status = 'ASSOCIATED' ORDER BY seq",
                          "s", js(row, "share_arn"));
            cJSON *aws = cJSON_CreateArray(), *p;
            cJSON_ArrayForEach(p, ps) {
                const char *id = js(p, "entity");
                if (principal && strcmp(id, principal) != 0) continue;
                char buf[300];
                if (is_account_id(id))
                    snprintf(buf, sizeof buf, "arn:aws:iam::%s:root", id);
                else
                    snprintf(buf, sizeof buf, "%s", id);
                cJSON_AddItemToArray(aws, cJSON_CreateString(buf));
            }
            cJSON_Delete(ps);
            if (cJSON_GetArraySize(aws) == 0) {
                cJSON_Delete(aws);
                continue;
            }
            cJSON *sp = q1(r->sim,
                           "SELECT perm_arn, version FROM ram_share_perm WHERE share_arn = ? AND"
                           " resource_type = ? COLLATE NOCASE",
                           "ss", js(row, "share_arn"), rtype_of_arn_str(it->valuestring));
            cJSON *actions = NULL;
            if (sp) {
                sim_error_t ignore;
                cJSON *perm = perm_find(r, js(sp, "perm_arn"), PERM_READ, &ignore);
                cJSON *ver = perm ? perm_version(r->sim, perm, (int)jll(sp, "version")) : NULL;
                cJSON *tmpl = ver ? cJSON_Parse(js(ver, "policy")) : NULL;
                actions = tmpl ? cJSON_DetachItemFromObjectCaseSensitive(tmpl, "Action") : NULL;
                cJSON_Delete(tmpl);
                cJSON_Delete(ver);
                cJSON_Delete(perm);
            }
            cJSON *st = cJSON_CreateObject(), *pr = cJSON_CreateObject();
            char sid[64];
            snprintf(sid, sizeof sid, "RamStatement%d", cJSON_GetArraySize(stmts) + 1);
            cJSON_AddStringToObject(st, "Sid", sid);
            cJSON_AddStringToObject(st, "Effect", "Allow");
            cJSON_AddItemToObject(pr, "AWS", aws);
            cJSON_AddItemToObject(st, "Principal", pr);
            cJSON_AddItemToObject(st, "Action", actions ? actions : cJSON_CreateArray());
            cJSON_AddStringToObject(st, "Resource", it->valuestring);
            cJSON_AddItemToArray(stmts, st);
            cJSON_Delete(sp);
        }
        cJSON_Delete(rows);
        if (cJSON_GetArraySize(stmts) > 0) {
            cJSON *pol = cJSON_CreateObject();
            cJSON_AddStringToObject(pol, "Version", "2012-10-17");
            cJSON_AddItemToObject(pol, "Statement", stmts);
            char *text = cJSON_PrintUnformatted(pol);
            cJSON_AddItemToArray(all, cJSON_CreateString(text));
            free(text);
            cJSON_Delete(pol);
        } else {
            cJSON_Delete(stmts);
        }
    }
    return page_out(in, out, "policies", all, e);
}

static int op_EnableSharingWithAwsOrganization(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *org = org_load(r->sim);
    if (!org || !org_contains(org, r->account)) {
        cJSON_Delete(org);
        return sim_err(
            e, 400, "OperationNotPermittedException",
            "Unable to enable sharing with AWS Organizations. Received AccessDeniedException from "
            "AWSOrganizations with the following error message: You don't have permissions to access this "
            "resource.");
    }
    /* AWS rule: only the organization's management account can enable sharing */
    int master = strcmp(js(org, "masterAccount"), r->account) == 0;
    cJSON_Delete(org);
    if (!master)
        return sim_err(
            e, 400, "OperationNotPermittedException",
            "Sharing with AWS Organizations can only be enabled from the organization's management account.");
    x(r->sim, "UPDATE ram_org SET sharing_enabled = 1 WHERE id = 1", "");
    cJSON_AddBoolToObject(out, "returnValue", 1);
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Operations: tags (resource shares and customer managed permissions).
 * ---------------------------------------------------------------------------------------------- */

/* Resolve the taggable target: ("ram_share" | "ram_perm", arn). */
static int tag_target(req_t *r, const cJSON *in, const char **table, char *arn, size_t n, sim_error_t *e) {
    const char *share = jstr(in, "resourceShareArn"), *res = jstr(in, "resourceArn");
    if ((share != NULL) == (res != NULL))
        return sim_err(e, 400, "InvalidParameterException",
                       "Specify exactly one of resourceShareArn or resourceArn.");
    const char *target = share ? share : res;
    if (share || share_arn_valid(target)) {
        cJSON *row = share_find(r, target, SHARE_OWNER, e);
        if (!row) return -1;
        cJSON_Delete(row);
        *table = "ram_share";
    } else if (perm_arn_valid(target)) {
        cJSON *perm = perm_find(r, target, PERM_OWNER, e);
        if (!perm) return -1;
        cJSON_Delete(perm);
        *table = "ram_perm";
    } else {
        return sim_err(e, 400, "MalformedArnException", "The specified resource ARN %s is not valid.",
                       target);
    }
    snprintf(arn, n, "%s", target);
    return 0;
}

static int op_TagResource(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *table;
    char arn[1024], sql[128];
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(in, "tags");
    if (tag_target(r, in, &table, arn, sizeof arn, e) || tags_check(tags, e)) return -1;
    snprintf(sql, sizeof sql, "SELECT tags FROM %s WHERE arn = ?", table);
    cJSON *row = q1(r->sim, sql, "s", arn);
    char *merged = tags_merge(js(row, "tags"), tags, e);
    cJSON_Delete(row);
    if (!merged) return -1;
    snprintf(sql, sizeof sql, "UPDATE %s SET tags = ? WHERE arn = ?", table);
    x(r->sim, sql, "ss", merged, arn);
    free(merged);
    return 0;
}

static int op_UntagResource(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *table;
    char arn[1024], sql[128];
    if (tag_target(r, in, &table, arn, sizeof arn, e)) return -1;
    snprintf(sql, sizeof sql, "SELECT tags FROM %s WHERE arn = ?", table);
    cJSON *row = q1(r->sim, sql, "s", arn);
    cJSON *tags = tags_json(jstr(row, "tags")), *keep = cJSON_CreateArray(), *t;
    cJSON_Delete(row);
    const cJSON *drop = cJSON_GetObjectItemCaseSensitive(in, "tagKeys");
    cJSON_ArrayForEach(t, tags) if (!str_in(drop, js(t, "key")))
        cJSON_AddItemToArray(keep, cJSON_Duplicate(t, 1));
    char *text = cJSON_PrintUnformatted(keep);
    snprintf(sql, sizeof sql, "UPDATE %s SET tags = ? WHERE arn = ?", table);
    x(r->sim, sql, "ss", text, arn);
    free(text);
    cJSON_Delete(tags);
    cJSON_Delete(keep);
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Operations: managed permissions.
 * ---------------------------------------------------------------------------------------------- */

/* AWS rules for a permission's policy template: one JSON statement with Effect Allow and Action (and
 * optionally Condition), no Principal or Resource; every action belongs to the resource type's service. */
static int policy_check(const char *text, const rtype_t *rt, sim_error_t *e) {
    cJSON *p = cJSON_Parse(text ? text : "");
    if (!cJSON_IsObject(p)) {
        cJSON_Delete(p);
        return sim_err(e, 400, "MalformedPolicyTemplateException",
                       "The policy template is not a valid JSON object.");
    }
    const char *bad = NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, p) if (strcmp(it->string, "Effect") != 0 && strcmp(it->string, "Action") != 0 &&
                                  strcmp(it->string, "Condition") != 0) bad = it->string;
    if (bad) {
        sim_err(e, 400, "MalformedPolicyTemplateException",
                "The policy template must not contain the element %s.", bad);
        cJSON_Delete(p);
        return -1;
    }
    if (strcmp(js(p, "Effect"), "Allow") != 0) {
        cJSON_Delete(p);
        return sim_err(e, 400, "MalformedPolicyTemplateException",
                       "The policy template's Effect must be Allow.");
    }
    cJSON *actions = cJSON_GetObjectItemCaseSensitive(p, "Action");
    cJSON *list = cJSON_IsString(actions) ? cJSON_CreateStringArray((const char *[]){actions->valuestring}, 1)
                  : cJSON_IsArray(actions) ? cJSON_Duplicate(actions, 1)
                                           : NULL;
    int rc = 0;
    if (!list || cJSON_GetArraySize(list) == 0)
        rc = sim_err(e, 400, "MalformedPolicyTemplateException", "The policy template must contain Action.");
    cJSON_ArrayForEach(it, list) {
        if (rc) break;
        const char *a = cJSON_GetStringValue(it), *colon = a ? strchr(a, ':') : NULL;
        if (!colon || (size_t)(colon - a) != strlen(rt->service) ||
            strncasecmp(a, rt->service, strlen(rt->service)) || !colon[1])
            rc = sim_err(e, 400, "InvalidPolicyException", "The action %s is not valid for resource type %s.",
                         a ? a : "", rt->type);
    }
    cJSON_Delete(list);
    cJSON_Delete(p);
    return rc;
}

static int perm_name_valid(const char *name) {
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 36) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-') return 0;
    return 1;
}

/* Insert a customer managed permission with version 1. Fills arn (256). */
static int perm_create(req_t *r, const char *name, const rtype_t *rt, const char *policy,
                       const char *feature_set, const char *tags, char *arn, sim_error_t *e) {
    snprintf(arn, 256, "arn:aws:ram:%s:%s:permission/%s", r->region, r->account, name);
    cJSON *dup = q1(r->sim, "SELECT arn FROM ram_perm WHERE arn = ? AND status != 'DELETED'", "s", arn);
    if (dup) {
        cJSON_Delete(dup);
        return sim_err(e, 409, "PermissionAlreadyExistsException", "A permission named %s already exists.",
                       name);
    }
    x(r->sim, "DELETE FROM ram_perm_version WHERE arn = ?", "s", arn);
    x(r->sim,
      "INSERT OR REPLACE INTO ram_perm(arn, account, region, name, resource_type, feature_set, "
      "default_version, status,"
      " tags, created_ms, updated_ms) VALUES(?,?,?,?,?,?, 1, 'ATTACHABLE', ?, ?, ?)",
      "sssssssii", arn, r->account, r->region, name, rt->type, feature_set, tags ? tags : "[]", r->now_ms,
      r->now_ms);
    x(r->sim,
      "INSERT INTO ram_perm_version(arn, version, policy, status, created_ms, updated_ms) VALUES(?, 1, ?, "
      "'ATTACHABLE',"
      " ?, ?)",
      "ssii", arn, policy, r->now_ms, r->now_ms);
    return 0;
}

IDEMPOTENT(CreatePermission) {
    const char *name = jstr(in, "name"), *type = jstr(in, "resourceType"),
               *policy = jstr(in, "policyTemplate");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(in, "tags");
    const rtype_t *rt = rtype_by_name(type);
    if (!perm_name_valid(name))
        return sim_err(e, 400, "InvalidParameterException", "The permission name %s is not valid.",
                       name ? name : "");
    if (!rt)
        return sim_err(e, 400, "InvalidParameterException", "Invalid resource type: %s", type ? type : "");
    if (policy_check(policy, rt, e) || tags_check(tags, e)) return -1;
    char *tag_text = tags_merge("[]", tags, e), arn[256];
    if (!tag_text) return -1;
    int rc = perm_create(r, name, rt, policy, "STANDARD", tag_text, arn, e);
    free(tag_text);
    if (rc) return -1;
    cJSON *perm = perm_find(r, arn, PERM_OWNER, e);
    cJSON_AddItemToObject(out, "permission", perm_default_json(r->sim, perm, 0));
    cJSON_Delete(perm);
    return 0;
}

IDEMPOTENT(CreatePermissionVersion) {
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_OWNER, e);
    if (!perm) return -1;
    const rtype_t *rt = rtype_by_name(js(perm, "resource_type"));
    cJSON *n = q1(r->sim,
                  "SELECT count(*) AS n, max(version) AS v FROM ram_perm_version WHERE arn = ? AND"
                  " status != 'DELETED'",
                  "s", js(perm, "arn"));
    cJSON *top =
        q1(r->sim, "SELECT max(version) AS v FROM ram_perm_version WHERE arn = ?", "s", js(perm, "arn"));
    int count = (int)jll(n, "n"), version = (int)jll(top, "v") + 1;
    cJSON_Delete(n);
    cJSON_Delete(top);
    int rc = 0;
    if (count >= MAX_PERMISSION_VERSIONS)
        rc = sim_err(e, 400, "PermissionVersionsLimitExceededException",
                     "Permission %s already has the maximum of %d versions.", js(perm, "arn"),
                     MAX_PERMISSION_VERSIONS);
    if (rc == 0) rc = policy_check(jstr(in, "policyTemplate"), rt, e);
    if (rc == 0) {
        x(r->sim,
          "INSERT INTO ram_perm_version(arn, version, policy, status, created_ms, updated_ms) VALUES(?,?,?,"
          " 'ATTACHABLE', ?, ?)",
          "sdsii", js(perm, "arn"), version, jstr(in, "policyTemplate"), r->now_ms, r->now_ms);
        x(r->sim, "UPDATE ram_perm SET updated_ms = ? WHERE arn = ?", "is", r->now_ms, js(perm, "arn"));
        cJSON *ver = perm_version(r->sim, perm, version);
        cJSON_AddItemToObject(out, "permission", perm_json(perm, ver, 1));
        cJSON_Delete(ver);
    }
    cJSON_Delete(perm);
    return rc;
}

static int perm_in_use(sim_t *s, const char *arn, int version) {
    cJSON *row = q1(s,
                    "SELECT p.share_arn FROM ram_share_perm p JOIN ram_share s ON s.arn = p.share_arn WHERE"
                    " p.perm_arn = ? AND (? = 0 OR p.version = ?) AND s.status != 'DELETED'",
                    "sdd", arn, version, version);
    cJSON_Delete(row);
    return row != NULL;
}

IDEMPOTENT(DeletePermission) {
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_OWNER, e);
    if (!perm) return -1;
    const char *arn = js(perm, "arn");
    /* AWS rule: a permission still associated with a resource share cannot be deleted */
    if (perm_in_use(r->sim, arn, 0)) {
        sim_err(e, 400, "OperationNotPermittedException",
                "The permission %s is associated with one or more resource shares.", arn);
        cJSON_Delete(perm);
        return -1;
    }
    x(r->sim, "UPDATE ram_perm SET status = 'DELETED', updated_ms = ? WHERE arn = ?", "is", r->now_ms, arn);
    x(r->sim, "UPDATE ram_perm_version SET status = 'DELETED', updated_ms = ? WHERE arn = ?", "is", r->now_ms,
      arn);
    cJSON_Delete(perm);
    cJSON_AddBoolToObject(out, "returnValue", 1);
    cJSON_AddStringToObject(out, "permissionStatus", "DELETED");
    return 0;
}

IDEMPOTENT(DeletePermissionVersion) {
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_OWNER, e);
    if (!perm) return -1;
    int version = jint(in, "permissionVersion", 0);
    cJSON *ver = perm_version(r->sim, perm, version);
    int rc = 0;
    if (!ver)
        rc = sim_err(e, 400, "InvalidParameterException", "Permission %s has no version %d.", js(perm, "arn"),
                     version);
    /* AWS rules: the default version cannot be deleted, nor a version attached to a resource share */
    else if (version == jll(perm, "default_version"))
        rc = sim_err(e, 400, "InvalidParameterException",
                     "You cannot delete the default version %d of permission %s.", version, js(perm, "arn"));
    else if (perm_in_use(r->sim, js(perm, "arn"), version))
        rc = sim_err(e, 400, "OperationNotPermittedException",
                     "Version %d of permission %s is associated with one or more resource shares.", version,
                     js(perm, "arn"));
    if (rc == 0) {
        x(r->sim,
          "UPDATE ram_perm_version SET status = 'DELETED', updated_ms = ? WHERE arn = ? AND version = ?",
          "isd", r->now_ms, js(perm, "arn"), version);
        cJSON_AddBoolToObject(out, "returnValue", 1);
        cJSON_AddStringToObject(out, "permissionStatus", "DELETED");
    }
    cJSON_Delete(ver);
    cJSON_Delete(perm);
    return rc;
}

IDEMPOTENT(SetDefaultPermissionVersion) {
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_OWNER, e);
    if (!perm) return -1;
    int version = jint(in, "permissionVersion", 0);
    cJSON *ver = perm_version(r->sim, perm, version);
    int rc = 0;
    if (!ver)
        rc = sim_err(e, 400, "InvalidParameterException", "Permission %s has no version %d.", js(perm, "arn"),
                     version);
    else {
        x(r->sim, "UPDATE ram_perm SET default_version = ?, updated_ms = ? WHERE arn = ?", "dis", version,
          r->now_ms, js(perm, "arn"));
        cJSON_AddBoolToObject(out, "returnValue", 1);
    }
    cJSON_Delete(ver);
    cJSON_Delete(perm);
    return rc;
}

static int op_GetPermission(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_READ, e);
    if (!perm) return -1;
    int version = jint(in, "permissionVersion", (int)jll(perm, "default_version"));
    cJSON *ver = perm_version(r->sim, perm, version);
    int rc = 0;
    if (!ver)
        rc = sim_err(e, 400, "InvalidParameterException", "Permission %s has no version %d.", js(perm, "arn"),
                     version);
    else
        cJSON_AddItemToObject(out, "permission", perm_json(perm, ver, 1));
    cJSON_Delete(ver);
    cJSON_Delete(perm);
    return rc;
}

static int op_ListPermissions(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *type = jstr(in, "resourceType"), *ptype = jstr(in, "permissionType");
    const rtype_t *rt = type ? rtype_by_name(type) : NULL;
    if (type && !rt) return sim_err(e, 400, "InvalidParameterException", "Invalid resource type: %s", type);
    cJSON *all = cJSON_CreateArray();
    if (!ptype || strcmp(ptype, "CUSTOMER_MANAGED") != 0) {
        for (int i = 0; i < NMPERMS; i++) {
            if (rt && strcmp(MPERMS[i].type, rt->type) != 0) continue;
            cJSON *perm = mperm_row(&MPERMS[i]);
            cJSON_AddItemToArray(all, perm_default_json(r->sim, perm, 0));
            cJSON_Delete(perm);
        }
    }
    if (!ptype || strcmp(ptype, "AWS_MANAGED") != 0) {
        cJSON *rows = q(r->sim,
                        "SELECT arn FROM ram_perm WHERE account = ? AND region = ? AND status != 'DELETED'"
                        " ORDER BY created_ms, rowid",
                        "ss", r->account, r->region);
        const cJSON *row;
        cJSON_ArrayForEach(row, rows) {
            cJSON *perm = perm_find(r, js(row, "arn"), PERM_READ, e);
            if (perm && (!rt || strcmp(js(perm, "resource_type"), rt->type) == 0))
                cJSON_AddItemToArray(all, perm_default_json(r->sim, perm, 0));
            cJSON_Delete(perm);
        }
        cJSON_Delete(rows);
    }
    return page_out(in, out, "permissions", all, e);
}

static int op_ListPermissionVersions(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_READ, e);
    if (!perm) return -1;
    cJSON *all = cJSON_CreateArray();
    cJSON *vers = jll(perm, "managed") ? NULL
                                       : q(r->sim,
                                           "SELECT version FROM ram_perm_version WHERE arn = ? AND"
                                           " status != 'DELETED' ORDER BY version",
                                           "s", js(perm, "arn"));
    const cJSON *v;
    if (!vers) cJSON_AddItemToArray(all, perm_default_json(r->sim, perm, 0));
    cJSON_ArrayForEach(v, vers) {
        cJSON *ver = perm_version(r->sim, perm, (int)jll(v, "version"));
        cJSON_AddItemToArray(all, perm_json(perm, ver, 0));
        cJSON_Delete(ver);
    }
    cJSON_Delete(vers);
    cJSON_Delete(perm);
    return page_out(in, out, "permissions", all, e);
}

/* A permission whatever its owner (share associations may use another account's permission). */
static cJSON *perm_load_any(sim_t *s, const char *arn) {
    const char *prefix = "arn:aws:ram::aws:permission/";
    if (strncmp(arn, prefix, strlen(prefix)) == 0) {
        const mperm_t *m = mperm_by_name(arn + strlen(prefix));
        return m ? mperm_row(m) : NULL;
    }
    cJSON *row = q1(s, "SELECT * FROM ram_perm WHERE arn = ?", "s", arn);
    if (row) {
        cJSON_AddNumberToObject(row, "managed", 0);
        cJSON_AddNumberToObject(row, "is_type_default", 0);
    }
    return row;
}

static int op_ListResourceSharePermissions(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_READ, e);
    if (!share) return -1;
    cJSON *rows = q(r->sim, "SELECT * FROM ram_share_perm WHERE share_arn = ? ORDER BY created_ms, rowid",
                    "s", js(share, "arn"));
    cJSON *all = cJSON_CreateArray();
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        cJSON *perm = perm_load_any(r->sim, js(row, "perm_arn"));
        cJSON *ver = perm ? perm_version(r->sim, perm, (int)jll(row, "version")) : NULL;
        if (!ver && perm) /* version deleted underneath: report the row as stored */
            ver = q1(r->sim, "SELECT * FROM ram_perm_version WHERE arn = ? AND version = ?", "sd",
                     js(perm, "arn"), (int)jll(row, "version"));
        if (perm && ver) {
            cJSON *o = perm_json(perm, ver, 0);
            cJSON_ReplaceItemInObjectCaseSensitive(o, "status", cJSON_CreateString(js(row, "status")));
            cJSON_AddItemToArray(all, o);
        }
        cJSON_Delete(ver);
        cJSON_Delete(perm);
    }
    cJSON_Delete(rows);
    cJSON_Delete(share);
    return page_out(in, out, "permissions", all, e);
}

static int op_ListPermissionAssociations(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *perm_arn = jstr(in, "permissionArn"), *type = jstr(in, "resourceType");
    if (perm_arn && !perm_arn_valid(perm_arn))
        return sim_err(e, 400, "MalformedArnException", "The specified permission ARN %s is not valid.",
                       perm_arn);
    const rtype_t *rt = type ? rtype_by_name(type) : NULL;
    if (type && !rt) return sim_err(e, 400, "InvalidParameterException", "Invalid resource type: %s", type);
    cJSON *rows =
        q(r->sim,
          "SELECT p.* FROM ram_share_perm p JOIN ram_share s ON s.arn = p.share_arn WHERE s.account = ? AND"
          " s.region = ? AND s.status != 'DELETED' ORDER BY s.created_ms, p.created_ms",
          "ss", r->account, r->region);
    cJSON *all = cJSON_CreateArray(), *dv = cJSON_GetObjectItemCaseSensitive(in, "defaultVersion");
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        cJSON *perm = perm_load_any(r->sim, js(row, "perm_arn"));
        if (!perm) continue;
        int version = (int)jll(row, "version"), is_default = version == jll(perm, "default_version");
        int keep =
            (!perm_arn || strcmp(perm_arn, js(perm, "arn")) == 0) &&
            (!jint(in, "permissionVersion", 0) || jint(in, "permissionVersion", 0) == version) &&
            (!rt || strcmp(js(perm, "resource_type"), rt->type) == 0) &&
            (!jstr(in, "associationStatus") ||
             strcmp(jstr(in, "associationStatus"), js(row, "status")) == 0) &&
            (!jstr(in, "featureSet") || strcmp(jstr(in, "featureSet"), js(perm, "feature_set")) == 0) &&
            (!cJSON_IsBool(dv) || cJSON_IsTrue(dv) == is_default);
        if (keep) {
            char v[16];
            snprintf(v, sizeof v, "%d", version);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "arn", js(perm, "arn"));
            cJSON_AddStringToObject(o, "permissionVersion", v);
            cJSON_AddBoolToObject(o, "defaultVersion", is_default);
            cJSON_AddStringToObject(o, "resourceType", js(perm, "resource_type"));
            cJSON_AddStringToObject(o, "status", js(row, "status"));
            cJSON_AddStringToObject(o, "featureSet", js(perm, "feature_set"));
            add_time(o, "lastUpdatedTime", jll(row, "updated_ms"));
            cJSON_AddStringToObject(o, "resourceShareArn", js(row, "share_arn"));
            cJSON_AddItemToArray(all, o);
        }
        cJSON_Delete(perm);
    }
    cJSON_Delete(rows);
    return page_out(in, out, "permissions", all, e);
}

IDEMPOTENT(AssociateResourceSharePermission) {
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_MODIFY, e);
    if (!share) return -1;
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_READ, e);
    if (!perm) return cJSON_Delete(share), -1;
    int version = jint(in, "permissionVersion", (int)jll(perm, "default_version")), rc = 0;
    cJSON *ver = perm_version(r->sim, perm, version);
    cJSON *cur =
        q1(r->sim, "SELECT * FROM ram_share_perm WHERE share_arn = ? AND resource_type = ? COLLATE NOCASE",
           "ss", js(share, "arn"), js(perm, "resource_type"));
    if (!ver)
        rc = sim_err(e, 400, "InvalidParameterException", "Permission %s has no version %d.", js(perm, "arn"),
                     version);
    else if (strcmp(js(perm, "feature_set"), "CREATED_FROM_POLICY") == 0)
        rc = sim_err(e, 400, "InvalidParameterException",
                     "A CREATED_FROM_POLICY permission cannot be associated with a resource share.");
    /* AWS rule: one permission per resource type; replacing another one needs replace=true */
    else if (cur && strcmp(js(cur, "perm_arn"), js(perm, "arn")) != 0 && !jbool(in, "replace", 0))
        rc = sim_err(
            e, 400, "InvalidParameterException",
            "The resource share already has permission %s for resource type %s. Set replace to true to "
            "replace it.",
            js(cur, "perm_arn"), js(perm, "resource_type"));
    if (rc == 0) {
        share_perm_set(r, js(share, "arn"), perm, version);
        share_touch(r, js(share, "arn"));
        cJSON_AddBoolToObject(out, "returnValue", 1);
    }
    cJSON_Delete(cur);
    cJSON_Delete(ver);
    cJSON_Delete(perm);
    cJSON_Delete(share);
    return rc;
}

IDEMPOTENT(DisassociateResourceSharePermission) {
    const char *perm_arn = jstr(in, "permissionArn");
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_MODIFY, e);
    if (!share) return -1;
    int rc = 0;
    cJSON *cur = NULL;
    if (!perm_arn_valid(perm_arn))
        rc = sim_err(e, 400, "MalformedArnException", "The specified permission ARN %s is not valid.",
                     perm_arn);
    else if (!(cur = q1(r->sim, "SELECT * FROM ram_share_perm WHERE share_arn = ? AND perm_arn = ?", "ss",
                        js(share, "arn"), perm_arn)))
        rc = sim_err(e, 400, "UnknownResourceException",
                     "Permission %s is not associated with resource share %s.", perm_arn, js(share, "arn"));
    /* AWS rule: a share keeps a permission for every resource type it still shares */
    else if (share_has_resource(r->sim, js(share, "arn"), NULL, js(cur, "resource_type")))
        rc = sim_err(
            e, 400, "OperationNotPermittedException",
            "Resource share %s still contains resources of type %s; the permission cannot be removed.",
            js(share, "arn"), js(cur, "resource_type"));
    if (rc == 0) {
        x(r->sim, "DELETE FROM ram_share_perm WHERE share_arn = ? AND perm_arn = ?", "ss", js(share, "arn"),
          perm_arn);
        share_touch(r, js(share, "arn"));
        cJSON_AddBoolToObject(out, "returnValue", 1);
    }
    cJSON_Delete(cur);
    cJSON_Delete(share);
    return rc;
}

static cJSON *work_json(const cJSON *row, const char *status_override) {
    cJSON *o = cJSON_CreateObject();
    char v[16];
    cJSON_AddStringToObject(o, "id", js(row, "id"));
    cJSON_AddStringToObject(o, "fromPermissionArn", js(row, "from_arn"));
    if (jll(row, "from_version")) {
        snprintf(v, sizeof v, "%d", (int)jll(row, "from_version"));
        cJSON_AddStringToObject(o, "fromPermissionVersion", v);
    }
    cJSON_AddStringToObject(o, "toPermissionArn", js(row, "to_arn"));
    snprintf(v, sizeof v, "%d", (int)jll(row, "to_version"));
    cJSON_AddStringToObject(o, "toPermissionVersion", v);
    cJSON_AddStringToObject(o, "status", status_override ? status_override : js(row, "status"));
    if (jstr(row, "status_message")) cJSON_AddStringToObject(o, "statusMessage", js(row, "status_message"));
    add_time(o, "creationTime", jll(row, "created_ms"));
    add_time(o, "lastUpdatedTime", jll(row, "updated_ms"));
    return o;
}

IDEMPOTENT(ReplacePermissionAssociations) {
    cJSON *from = perm_find(r, jstr(in, "fromPermissionArn"), PERM_READ, e);
    if (!from) return -1;
    cJSON *to = perm_find(r, jstr(in, "toPermissionArn"), PERM_READ, e);
    if (!to) return cJSON_Delete(from), -1;
    int rc = 0, from_version = jint(in, "fromPermissionVersion", 0);
    int to_version = (int)jll(to, "default_version");
    cJSON *fv = from_version ? perm_version(r->sim, from, from_version) : NULL;
    if (strcasecmp(js(from, "resource_type"), js(to, "resource_type")) != 0)
        rc = sim_err(e, 400, "InvalidParameterException",
                     "Permissions %s and %s are for different resource types.", js(from, "arn"),
                     js(to, "arn"));
    else if (from_version && !fv)
        rc = sim_err(e, 400, "InvalidParameterException", "Permission %s has no version %d.", js(from, "arn"),
                     from_version);
    if (rc == 0) {
        cJSON *rows =
            q(r->sim,
              "SELECT p.share_arn FROM ram_share_perm p JOIN ram_share s ON s.arn = p.share_arn WHERE"
              " s.account = ? AND s.region = ? AND s.status != 'DELETED' AND p.perm_arn = ? AND"
              " (? = 0 OR p.version = ?) AND s.feature_set != 'CREATED_FROM_POLICY'",
              "sssdd", r->account, r->region, js(from, "arn"), from_version, from_version);
        const cJSON *row;
        cJSON_ArrayForEach(row, rows) {
            x(r->sim, "DELETE FROM ram_share_perm WHERE share_arn = ? AND perm_arn = ?", "ss",
              js(row, "share_arn"), js(from, "arn"));
            share_perm_set(r, js(row, "share_arn"), to, to_version);
        }
        cJSON_Delete(rows);
        char id[37];
        rng_uuid(r->sim, id);
        x(r->sim,
          "INSERT INTO ram_work(id, account, region, from_arn, from_version, to_arn, to_version, status, "
          "created_ms,"
          " updated_ms) VALUES(?,?,?,?,?,?,?, 'COMPLETED', ?, ?)",
          "ssssdsdii", id, r->account, r->region, js(from, "arn"), from_version, js(to, "arn"), to_version,
          r->now_ms, r->now_ms);
        cJSON *w = q1(r->sim, "SELECT * FROM ram_work WHERE id = ?", "s", id);
        cJSON_AddItemToObject(out, "replacePermissionAssociationsWork", work_json(w, "IN_PROGRESS"));
        cJSON_Delete(w);
    }
    cJSON_Delete(fv);
    cJSON_Delete(from);
    cJSON_Delete(to);
    return rc;
}

static int op_ListReplacePermissionAssociationsWork(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(in, "workIds");
    cJSON *rows = q(r->sim, "SELECT * FROM ram_work WHERE account = ? AND region = ? ORDER BY seq", "ss",
                    r->account, r->region);
    cJSON *all = cJSON_CreateArray();
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        if (ids && !str_in(ids, js(row, "id"))) continue;
        if (jstr(in, "status") && strcmp(jstr(in, "status"), js(row, "status")) != 0) continue;
        cJSON_AddItemToArray(all, work_json(row, NULL));
    }
    cJSON_Delete(rows);
    return page_out(in, out, "replacePermissionAssociationsWorks", all, e);
}

/* ------------------------------------------------------------------------------------------------
 * Operations: promoting what a resource-based policy created (CREATED_FROM_POLICY) to standard.
 * ---------------------------------------------------------------------------------------------- */

IDEMPOTENT(PromotePermissionCreatedFromPolicy) {
    const char *name = jstr(in, "name");
    cJSON *perm = perm_find(r, jstr(in, "permissionArn"), PERM_OWNER, e);
    if (!perm) return -1;
    int rc = 0;
    char arn[256];
    if (strcmp(js(perm, "feature_set"), "CREATED_FROM_POLICY") != 0)
        rc = sim_err(e, 400, "OperationNotPermittedException",
                     "Permission %s was not created from a resource-based policy.", js(perm, "arn"));
    else if (!perm_name_valid(name))
        rc = sim_err(e, 400, "InvalidParameterException", "The permission name %s is not valid.",
                     name ? name : "");
    if (rc == 0) {
        cJSON *ver = perm_version(r->sim, perm, (int)jll(perm, "default_version"));
        rc = perm_create(r, name, rtype_by_name(js(perm, "resource_type")), js(ver, "policy"), "STANDARD",
                         "[]", arn, e);
        cJSON_Delete(ver);
        if (rc && strcmp(e->code, "PermissionAlreadyExistsException") == 0)
            rc = sim_err(e, 400, "InvalidParameterException", "A permission named %s already exists.", name);
    }
    if (rc == 0) {
        /* AWS keeps the original CREATED_FROM_POLICY permission; the promoted share switches to this one */
        x(r->sim, "UPDATE ram_perm SET promoted_to = ?, updated_ms = ? WHERE arn = ?", "sis", arn, r->now_ms,
          js(perm, "arn"));
        cJSON *np = perm_find(r, arn, PERM_OWNER, e);
        cJSON_AddItemToObject(out, "permission", perm_default_json(r->sim, np, 0));
        cJSON_Delete(np);
    }
    cJSON_Delete(perm);
    return rc;
}

/* A policy template parsed with Action always a list, so equal permissions compare equal. */
static cJSON *policy_normal(const char *text) {
    cJSON *p = cJSON_Parse(text ? text : "");
    cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "Action");
    if (cJSON_IsString(a)) {
        cJSON *list = cJSON_CreateArray();
        cJSON_AddItemToArray(list, cJSON_CreateString(a->valuestring));
        cJSON_ReplaceItemInObjectCaseSensitive(p, "Action", list);
    }
    return p;
}

/* The managed permission a CREATED_FROM_POLICY permission promotes to: the one made by
 * PromotePermissionCreatedFromPolicy, else any STANDARD permission of the owner or AWS with the
 * same resource type and the same policy. NULL when there is none. */
static cJSON *promotion_target(req_t *r, const cJSON *cfp) {
    if (jstr(cfp, "promoted_to")) {
        cJSON *t = q1(r->sim, "SELECT arn FROM ram_perm WHERE arn = ? AND status != 'DELETED'", "s",
                      js(cfp, "promoted_to"));
        if (t) {
            cJSON *perm = perm_load_any(r->sim, js(t, "arn"));
            cJSON_Delete(t);
            return perm;
        }
    }
    cJSON *ver = perm_version(r->sim, cfp, (int)jll(cfp, "default_version"));
    cJSON *want = policy_normal(js(ver, "policy"));
    cJSON_Delete(ver);
    cJSON *found = NULL;
    cJSON *rows = q(r->sim,
                    "SELECT arn FROM ram_perm WHERE account = ? AND region = ? AND status != 'DELETED' AND"
                    " feature_set = 'STANDARD' AND resource_type = ? ORDER BY created_ms",
                    "sss", r->account, r->region, js(cfp, "resource_type"));
    for (int i = 0; i < NMPERMS; i++) {
        if (strcmp(MPERMS[i].type, js(cfp, "resource_type")) != 0) continue;
        char arn[200];
        mperm_arn(&MPERMS[i], arn, sizeof arn);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "arn", arn);
        cJSON_AddItemToArray(rows, o);
    }
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        if (found || !want) break;
        cJSON *perm = perm_load_any(r->sim, js(row, "arn"));
        cJSON *pv = perm ? perm_version(r->sim, perm, (int)jll(perm, "default_version")) : NULL;
        cJSON *have = policy_normal(js(pv, "policy"));
        if (have && cJSON_Compare(have, want, 1)) found = perm, perm = NULL;
        cJSON_Delete(have);
        cJSON_Delete(pv);
        cJSON_Delete(perm);
    }
    cJSON_Delete(rows);
    cJSON_Delete(want);
    return found;
}

static int op_PromoteResourceShareCreatedFromPolicy(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *share = share_find(r, jstr(in, "resourceShareArn"), SHARE_OWNER, e);
    if (!share) return -1;
    const char *arn = js(share, "arn");
    if (strcmp(js(share, "feature_set"), "CREATED_FROM_POLICY") != 0) {
        sim_err(e, 400, "OperationNotPermittedException", "Resource share %s was not created from a policy.",
                arn);
        cJSON_Delete(share);
        return -1;
    }
    /* AWS rule: every permission of the share needs a managed permission with the same IAM permissions
     * (usually made by PromotePermissionCreatedFromPolicy) */
    cJSON *rows = q(r->sim, "SELECT perm_arn FROM ram_share_perm WHERE share_arn = ?", "s", arn);
    cJSON *targets = cJSON_CreateArray();
    const cJSON *row;
    int rc = 0;
    cJSON_ArrayForEach(row, rows) {
        cJSON *perm = perm_load_any(r->sim, js(row, "perm_arn"));
        cJSON *target = NULL;
        if (perm && strcmp(js(perm, "feature_set"), "CREATED_FROM_POLICY") == 0) {
            target = promotion_target(r, perm);
            if (!target && rc == 0)
                rc = sim_err(
                    e, 400, "UnmatchedPolicyPermissionException",
                    "There isn't an existing managed permission defined in RAM that has the same IAM "
                    "permissions as the resource-based policy attached to the resource (permission %s). "
                    "Run PromotePermissionCreatedFromPolicy first.",
                    js(row, "perm_arn"));
        }
        if (target) cJSON_AddStringToObject(target, "replaces", js(row, "perm_arn"));
        cJSON_AddItemToArray(targets, target ? target : cJSON_CreateNull());
        cJSON_Delete(perm);
    }
    if (rc == 0) {
        const cJSON *t;
        cJSON_ArrayForEach(t, targets) {
            if (cJSON_IsNull(t)) continue;
            x(r->sim, "DELETE FROM ram_share_perm WHERE share_arn = ? AND perm_arn = ?", "ss", arn,
              js(t, "replaces"));
            share_perm_set(r, arn, t, (int)jll(t, "default_version"));
        }
        x(r->sim, "UPDATE ram_share SET feature_set = 'STANDARD', updated_ms = ? WHERE arn = ?", "is",
          r->now_ms, arn);
        cJSON_AddBoolToObject(out, "returnValue", 1);
    }
    cJSON_Delete(targets);
    cJSON_Delete(rows);
    cJSON_Delete(share);
    return rc;
}

/* ------------------------------------------------------------------------------------------------
 * Hooks for the rest of awssim (ram.h), the timer, and the service definition.
 * ---------------------------------------------------------------------------------------------- */

int ram_set_organization(sim_t *s, const cJSON *spec, sim_error_t *e) {
    sim_lock(s);
    int rc = 0;
    if (!spec || cJSON_IsNull(spec) || (cJSON_IsObject(spec) && !spec->child)) {
        x(s, "DELETE FROM ram_org", "");
        sim_unlock(s);
        return 0;
    }
    const char *id = jstr(spec, "organizationId"), *master = jstr(spec, "masterAccount");
    const cJSON *accounts = cJSON_GetObjectItemCaseSensitive(spec, "accounts"), *it;
    const cJSON *ous = cJSON_GetObjectItemCaseSensitive(spec, "organizationalUnits");
    size_t idlen = id ? strlen(id) : 0;
    int id_ok = idlen >= 12 && idlen <= 34 && strncmp(id, "o-", 2) == 0;
    for (size_t i = 2; id_ok && i < idlen; i++)
        id_ok = islower((unsigned char)id[i]) || isdigit((unsigned char)id[i]);
    if (!cJSON_IsObject(spec) || !id_ok)
        rc = sim_err(e, 400, "InvalidParameterException", "organizationId must look like o-[a-z0-9]{10,32}.");
    else if (!is_account_id(master))
        rc = sim_err(e, 400, "InvalidParameterException", "masterAccount must be a 12-digit account id.");
    else if (accounts && !cJSON_IsArray(accounts))
        rc = sim_err(e, 400, "InvalidParameterException", "accounts must be a list of 12-digit account ids.");
    cJSON_ArrayForEach(it, accounts) if (rc == 0 && !is_account_id(cJSON_GetStringValue(it))) rc =
        sim_err(e, 400, "InvalidParameterException", "accounts must be a list of 12-digit account ids.");
    cJSON *norm = NULL;
    if (rc == 0) {
        norm = cJSON_CreateObject();
        cJSON_AddStringToObject(norm, "organizationId", id);
        cJSON_AddStringToObject(norm, "masterAccount", master);
        cJSON *list = cJSON_AddArrayToObject(norm, "accounts");
        cJSON_AddItemToArray(list, cJSON_CreateString(master));
        cJSON_ArrayForEach(it, accounts) if (!str_in(list, it->valuestring))
            cJSON_AddItemToArray(list, cJSON_CreateString(it->valuestring));
        cJSON *olist = cJSON_AddArrayToObject(norm, "organizationalUnits");
        const cJSON *ou;
        cJSON_ArrayForEach(ou, ous) {
            const char *ou_id = jstr(ou, "id");
            if (!ou_id || strncmp(ou_id, "ou-", 3) != 0 || strlen(ou_id) > 68) {
                rc = sim_err(e, 400, "InvalidParameterException",
                             "Each organizational unit needs an id ou-...");
                break;
            }
            cJSON *o = cJSON_CreateObject(), *oa = NULL;
            cJSON_AddStringToObject(o, "id", ou_id);
            oa = cJSON_AddArrayToObject(o, "accounts");
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ou, "accounts")) {
                if (!is_account_id(cJSON_GetStringValue(it)) || !str_in(list, it->valuestring)) {
                    rc = sim_err(e, 400, "InvalidParameterException",
                                 "Organizational unit %s lists an account that is not in the organization.",
                                 ou_id);
                    break;
                }
                cJSON_AddItemToArray(oa, cJSON_CreateString(it->valuestring));
            }
            cJSON_AddItemToArray(olist, o);
            if (rc) break;
        }
    }
    if (rc == 0) {
        /* the sharing flag survives a redefinition of the same organization */
        cJSON *old = org_load(s);
        int keep = old && strcmp(js(old, "organizationId"), id) == 0 && jbool(old, "sharingEnabled", 0);
        cJSON_Delete(old);
        char *text = cJSON_PrintUnformatted(norm);
        x(s, "INSERT OR REPLACE INTO ram_org(id, spec, sharing_enabled) VALUES(1, ?, ?)", "sd", text, keep);
        free(text);
    }
    cJSON_Delete(norm);
    sim_unlock(s);
    return rc;
}

int ram_resource_visible(sim_t *s, const char *account, const char *resource_arn) {
    arn_t a;
    if (!account || arn_parse(resource_arn, &a) != 0) return 0;
    if (strcmp(a.account, account) == 0) return 1;
    sim_lock(s);
    cJSON *shares =
        q(s,
          "SELECT s.* FROM ram_share s JOIN ram_assoc a ON a.share_arn = s.arn WHERE a.type = 'RESOURCE'"
          " AND a.entity = ? AND a.status = 'ASSOCIATED' AND s.status = 'ACTIVE'",
          "s", resource_arn);
    cJSON *org = org_load(s);
    const cJSON *sh;
    int yes = 0;
    cJSON_ArrayForEach(sh, shares) if (share_shared_with(s, sh, org, account)) yes = 1;
    cJSON_Delete(org);
    cJSON_Delete(shares);
    sim_unlock(s);
    return yes;
}

int ram_create_share_from_policy(sim_t *s, const char *account, const char *region, const char *resource_arn,
                                 const char *principal, const char *policy_template, char *share_arn,
                                 char *perm_arn, sim_error_t *e) {
    sim_lock(s);
    char caller[64], rid[37];
    snprintf(caller, sizeof caller, "arn:aws:iam::%s:root", account);
    rng_uuid(s, rid);
    req_t r = {.sim = s,
               .service = "ram",
               .operation = "CreatedFromPolicy",
               .account = account,
               .region = region ? region : DEFAULT_REGION,
               .scope = region ? region : DEFAULT_REGION,
               .access_key = "",
               .caller_arn = caller,
               .caller_userid = account,
               .request_id = rid,
               .now_ms = clock_now_ms(s),
               .internal = 1};
    arn_t a;
    const rtype_t *rt = arn_parse(resource_arn, &a) == 0 ? rtype_of_arn(&a) : NULL;
    ptype_t pt;
    char acct[40], ou[80], sarn[256], parn[256], name[40], uuid[37];
    int rc = 0;
    if (!rt)
        rc = sim_err(e, 400, "MalformedArnException", "The specified resource ARN %s is not valid.",
                     resource_arn);
    else if (strcmp(a.account, account) != 0)
        rc = sim_err(e, 400, "UnknownResourceException", "The resource %s could not be found.", resource_arn);
    else if (!principal || principal_parse(principal, &pt, acct, ou) != 0 || (pt != P_ACCOUNT && pt != P_IAM))
        rc = sim_err(e, 400, "InvalidParameterException", "Principal ID %s is malformed.",
                     principal ? principal : "");
    else
        rc = policy_check(policy_template, rt, e);
    if (rc == 0) {
        rng_uuid(s, uuid);
        snprintf(name, sizeof name, "CreatedFromPolicy-%.8s", uuid);
        rc = perm_create(&r, name, rt, policy_template, "CREATED_FROM_POLICY", "[]", parn, e);
    }
    if (rc == 0) {
        rng_uuid(s, uuid);
        snprintf(sarn, sizeof sarn, "arn:aws:ram:%s:%s:resource-share/%s", r.region, account, uuid);
        x(s,
          "INSERT INTO ram_share(arn, account, region, name, status, allow_external, feature_set, tags, "
          "created_ms,"
          " updated_ms) VALUES(?,?,?,?, 'ACTIVE', 1, 'CREATED_FROM_POLICY', '[]', ?, ?)",
          "ssssii", sarn, account, r.region, name, r.now_ms, r.now_ms);
        cJSON *org = org_load(s);
        assoc_set(&r, sarn, "RESOURCE", resource_arn, "ASSOCIATED", NULL, 0);
        assoc_set(&r, sarn, "PRINCIPAL", principal, "ASSOCIATED", NULL,
                  !org_shares_between(org, account, acct));
        cJSON_Delete(org);
        cJSON *perm = perm_load_any(s, parn);
        share_perm_set(&r, sarn, perm, 1);
        cJSON_Delete(perm);
        if (share_arn) snprintf(share_arn, 256, "%s", sarn);
        if (perm_arn) snprintf(perm_arn, 256, "%s", parn);
    }
    sim_unlock(s);
    return rc;
}

static int ram_on_timer(req_t *r, const char *kind, const char *ref, const char *payload) {
    if (strcmp(kind, "invitation-expiry") != 0) return 0;
    cJSON *inv = q1(r->sim, "SELECT * FROM ram_invite WHERE arn = ?", "s", ref);
    if (inv) invitation_expire_if_due(r->sim, inv, r->now_ms);
    cJSON_Delete(inv);
    return 0;
}

static const op_entry_t OPS[] = {
    {"AcceptResourceShareInvitation", op_AcceptResourceShareInvitation},
    {"AssociateResourceShare", op_AssociateResourceShare},
    {"AssociateResourceSharePermission", op_AssociateResourceSharePermission},
    {"CreatePermission", op_CreatePermission},
    {"CreatePermissionVersion", op_CreatePermissionVersion},
    {"CreateResourceShare", op_CreateResourceShare},
    {"DeletePermission", op_DeletePermission},
    {"DeletePermissionVersion", op_DeletePermissionVersion},
    {"DeleteResourceShare", op_DeleteResourceShare},
    {"DisassociateResourceShare", op_DisassociateResourceShare},
    {"DisassociateResourceSharePermission", op_DisassociateResourceSharePermission},
    {"EnableSharingWithAwsOrganization", op_EnableSharingWithAwsOrganization},
    {"GetPermission", op_GetPermission},
    {"GetResourcePolicies", op_GetResourcePolicies},
    {"GetResourceShareAssociations", op_GetResourceShareAssociations},
    {"GetResourceShareInvitations", op_GetResourceShareInvitations},
    {"GetResourceShares", op_GetResourceShares},
    {"ListPendingInvitationResources", op_ListPendingInvitationResources},
    {"ListPermissionAssociations", op_ListPermissionAssociations},
    {"ListPermissionVersions", op_ListPermissionVersions},
    {"ListPermissions", op_ListPermissions},
    {"ListPrincipals", op_ListPrincipals},
    {"ListReplacePermissionAssociationsWork", op_ListReplacePermissionAssociationsWork},
    {"ListResourceSharePermissions", op_ListResourceSharePermissions},
    {"ListResourceTypes", op_ListResourceTypes},
    {"ListResources", op_ListResources},
    {"ListSourceAssociations", op_ListSourceAssociations},
    {"PromotePermissionCreatedFromPolicy", op_PromotePermissionCreatedFromPolicy},
    {"PromoteResourceShareCreatedFromPolicy", op_PromoteResourceShareCreatedFromPolicy},
    {"RejectResourceShareInvitation", op_RejectResourceShareInvitation},
    {"ReplacePermissionAssociations", op_ReplacePermissionAssociations},
    {"SetDefaultPermissionVersion", op_SetDefaultPermissionVersion},
    {"TagResource", op_TagResource},
    {"UntagResource", op_UntagResource},
    {"UpdateResourceShare", op_UpdateResourceShare},
};

const service_def_t SVC_RAM = {
    .key = "ram",
    .signing_name = "ram",
    .global = 0,
    .ops = OPS,
    .nops = OPS_COUNT(OPS),
    .init_schema = ram_schema,
    .on_timer = ram_on_timer,
};
