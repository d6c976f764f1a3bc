/*
 * dms_res.c — DMS infrastructure resources: replication instances (creating -> available on the
 * clock), replication subnet groups, endpoints, connections (TestConnection: testing -> successful or
 * failed, controllable by the "connection-fails" fault), schema refresh, certificates (PEM parsed
 * with libcrypto), event subscriptions, premigration assessment runs and pending maintenance.
 */
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services/dms.h"
#include "services/dms_internal.h"

/* ------------------------------------------------------------------------------------------------
 * Catalogue shared with DescribeOrderableReplicationInstances / DescribeEngineVersions (dms_misc.c)
 * ---------------------------------------------------------------------------------------------- */
const char *const DMS_CLASSES[] = {"dms.t2.micro",    "dms.t2.small",
                                   "dms.t2.medium",   "dms.t2.large",
                                   "dms.t3.micro",    "dms.t3.small",
                                   "dms.t3.medium",   "dms.t3.large",
                                   "dms.c4.large",    "dms.c4.xlarge",
                                   "dms.c4.2xlarge",  "dms.c4.4xlarge",
                                   "dms.c5.large",    "dms.c5.xlarge",
                                   "dms.c5.2xlarge",  "dms.c5.4xlarge",
                                   "dms.c5.9xlarge",  "dms.c5.12xlarge",
                                   "dms.c5.18xlarge", "dms.c5.24xlarge",
                                   "dms.r4.large",    "dms.r4.xlarge",
                                   "dms.r4.2xlarge",  "dms.r4.4xlarge",
                                   "dms.r4.8xlarge",  "dms.r5.large",
                                   "dms.r5.xlarge",   "dms.r5.2xlarge",
                                   "dms.r5.4xlarge",  "dms.r5.8xlarge",
                                   "dms.r5.12xlarge", "dms.r5.16xlarge",
                                   "dms.r5.24xlarge", "dms.c6i.large",
                                   "dms.c6i.xlarge",  "dms.r6i.large",
                                   "dms.r6i.xlarge",  NULL};
const char *const DMS_ENGINE_VERSIONS[] = {"3.4.7", "3.5.1", "3.5.2", "3.5.3", "3.5.4", NULL};
#define DMS_DEFAULT_ENGINE_VERSION "3.5.3"

static int in_list(const char *const *list, const char *v) {
    for (int i = 0; v && list[i]; i++)
        if (strcmp(list[i], v) == 0) return 1;
    return 0;
}

static cJSON *fetch(req_t *r, const dms_kind_t *k, const char *arn, sim_error_t *e) {
    cJSON *d = dms_find(r, k, arn);
    if (!d) dms_not_found(e, k, arn);
    return d;
}

static void put_free(req_t *r, const dms_kind_t *k, cJSON *doc) {
    dms_put(r, k, doc);
    cJSON_Delete(doc);
}

/* A new resource: its Tags checked and set, the resource answered as out[key] and stored; doc is
 * consumed either way. */
static int put_new(req_t *r, const dms_kind_t *k, cJSON *doc, const cJSON *in, cJSON *out, const char *key,
                   sim_error_t *e) {
    if (dms_tags_init(doc, cJSON_GetObjectItem(in, "Tags"), e) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    cJSON_AddItemToObject(out, key, dms_out(doc));
    put_free(r, k, doc);
    return 0;
}

static void default_kms(req_t *r, char *out, size_t n) {
    snprintf(out, n, "arn:aws:kms:%s:%s:key/%s", r->region, r->account,
             "a1b2c3d4-0000-4000-8000-00000000d0d5");
}

int dms_tasks_using(req_t *r, const char *field, const char *arn) {
    cJSON *all = rs_list(r, DMS_TASK.type);
    int n = 0;
    cJSON *t;
    cJSON_ArrayForEach(t, all) {
        const char *v = jstr(t, field);
        if (v && arn && strcmp(v, arn) == 0) n++;
    }
    cJSON_Delete(all);
    return n;
}

/* ------------------------------------------------------------------------------------------------
 * Replication subnet groups
 * ---------------------------------------------------------------------------------------------- */
static uint32_t fnv(const char *s) {
    uint32_t h = 2166136261u;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Subnets are not simulated by EC2 here: subnet i lands in AZ (a, b, c, ...)[i % 3] of the region, and
 * the VPC id is derived from the first subnet id. */
static int build_subnets(req_t *r, cJSON *sg, const cJSON *ids, sim_error_t *e) {
    cJSON *subnets = cJSON_CreateArray();
    const cJSON *id;
    int i = 0, azs = 0;
    char seen[3] = {0, 0, 0};
    cJSON_ArrayForEach(id, ids) {
        if (!cJSON_IsString(id) || strncmp(id->valuestring, "subnet-", 7) != 0 ||
            strlen(id->valuestring) < 8) {
            cJSON_Delete(subnets);
            return sim_err(e, 400, "InvalidSubnet", "The subnet ID '%s' does not exist",
                           cJSON_IsString(id) ? id->valuestring : "");
        }
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "SubnetIdentifier", id->valuestring);
        char az[48];
        snprintf(az, sizeof az, "%s%c", r->region, 'a' + (i % 3));
        if (!seen[i % 3]++) azs++;
        cJSON_AddItemToObject(s, "SubnetAvailabilityZone", cJSON_CreateObject());
        cJSON_AddStringToObject(cJSON_GetObjectItem(s, "SubnetAvailabilityZone"), "Name", az);
        cJSON_AddStringToObject(s, "SubnetStatus", "Active");
        cJSON_AddItemToArray(subnets, s);
        i++;
    }
    /* AWS rule: a replication subnet group must cover at least two Availability Zones */
    if (azs < 2) {
        cJSON_Delete(subnets);
        return sim_err(
            e, 400, "ReplicationSubnetGroupDoesNotCoverEnoughAZs",
            "The replication subnet group does not cover enough Availability Zones (AZs). Edit the "
            "replication subnet group and add more AZs.");
    }
    char vpc[32];
    snprintf(vpc, sizeof vpc, "vpc-%08x%08x", fnv(cJSON_GetArrayItem(ids, 0)->valuestring), fnv(r->account));
    dms_set_str(sg, "VpcId", vpc);
    if (cJSON_GetObjectItem(sg, "Subnets"))
        cJSON_ReplaceItemInObject(sg, "Subnets", subnets);
    else
        cJSON_AddItemToObject(sg, "Subnets", subnets);
    return 0;
}

/* AWS rule: a subnet group description must not contain non-printable control characters */
static int printable(const char *s) {
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 0;
    return 1;
}

DMS_OP(CreateReplicationSubnetGroup) {
    char id[256];
    snprintf(id, sizeof id, "%s", jstr(in, "ReplicationSubnetGroupIdentifier"));
    dms_lower(id);
    /* AWS rule: subnet group names are at most 255 letters, digits, periods, underscores or hyphens
     * and must not be "default" */
    if (strlen(jstr(in, "ReplicationSubnetGroupIdentifier")) > 255)
        return sim_err(
            e, 400, "InvalidParameterValueException",
            "The parameter ReplicationSubnetGroupIdentifier must be no more than 255 characters long.");
    for (const char *p = id; *p; p++)
        if (!(isalnum((unsigned char)*p) || strchr("._-", *p)))
            return sim_err(e, 400, "InvalidParameterValueException",
                           "The parameter ReplicationSubnetGroupIdentifier must contain only ASCII letters, "
                           "digits, periods, underscores, or hyphens.");
    if (strcmp(id, "default") == 0)
        return sim_err(e, 400, "InvalidParameterValueException", "The name 'default' is reserved.");
    if (!printable(jstr(in, "ReplicationSubnetGroupDescription")))
        return sim_err(
            e, 400, "InvalidParameterValueException",
            "The parameter ReplicationSubnetGroupDescription must not contain non-printable control "
            "characters.");
    cJSON *old = dms_find(r, &DMS_SG, id);
    if (old) {
        cJSON_Delete(old);
        return dms_exists_err(e, &DMS_SG, id);
    }
    if (rs_count(r, DMS_SG.type) >= 60)
        return sim_err(e, 400, "ResourceQuotaExceededFault",
                       "The quota for replication subnet groups has been reached");
    cJSON *sg = cJSON_CreateObject();
    char arn[256];
    dms_make_arn(r, DMS_SG.type, id, arn, sizeof arn);
    cJSON_AddStringToObject(sg, "_arn", arn);
    cJSON_AddStringToObject(sg, "ReplicationSubnetGroupIdentifier", id);
    cJSON_AddStringToObject(sg, "ReplicationSubnetGroupDescription",
                            jstr(in, "ReplicationSubnetGroupDescription"));
    cJSON_AddStringToObject(sg, "SubnetGroupStatus", "Complete");
    if (build_subnets(r, sg, cJSON_GetObjectItem(in, "SubnetIds"), e) != 0 ||
        dms_tags_init(sg, cJSON_GetObjectItem(in, "Tags"), e) != 0) {
        cJSON_Delete(sg);
        return -1;
    }
    cJSON *nt = cJSON_AddArrayToObject(sg, "SupportedNetworkTypes");
    cJSON_AddItemToArray(nt, cJSON_CreateString("IPV4"));
    cJSON_AddItemToArray(nt, cJSON_CreateString("DUAL"));
    cJSON_AddItemToObject(out, "ReplicationSubnetGroup", dms_out(sg));
    put_free(r, &DMS_SG, sg);
    return 0;
}

DMS_OP(ModifyReplicationSubnetGroup) {
    cJSON *sg = fetch(r, &DMS_SG, jstr(in, "ReplicationSubnetGroupIdentifier"), e);
    if (!sg) return -1;
    if (build_subnets(r, sg, cJSON_GetObjectItem(in, "SubnetIds"), e) != 0) {
        cJSON_Delete(sg);
        return -1;
    }
    if (!printable(jstr(in, "ReplicationSubnetGroupDescription"))) {
        cJSON_Delete(sg);
        return sim_err(
            e, 400, "InvalidParameterValueException",
            "The parameter ReplicationSubnetGroupDescription must not contain non-printable control "
            "characters.");
    }
    if (jstr(in, "ReplicationSubnetGroupDescription"))
        dms_set_str(sg, "ReplicationSubnetGroupDescription", jstr(in, "ReplicationSubnetGroupDescription"));
    cJSON_AddItemToObject(out, "ReplicationSubnetGroup", dms_out(sg));
    put_free(r, &DMS_SG, sg);
    return 0;
}

static int subnet_group_in_use(req_t *r, const char *id) {
    cJSON *all = rs_list(r, DMS_RI.type);
    int n = 0;
    cJSON *ri;
    cJSON_ArrayForEach(ri, all) {
        const char *g =
            jstr(cJSON_GetObjectItem(ri, "ReplicationSubnetGroup"), "ReplicationSubnetGroupIdentifier");
        if (g && strcmp(g, id) == 0) n++;
    }
    cJSON_Delete(all);
    return n;
}

DMS_OP(DeleteReplicationSubnetGroup) {
    cJSON *sg = fetch(r, &DMS_SG, jstr(in, "ReplicationSubnetGroupIdentifier"), e);
    if (!sg) return -1;
    /* AWS rule: a subnet group used by a replication instance cannot be deleted */
    if (subnet_group_in_use(r, jstr(sg, "ReplicationSubnetGroupIdentifier"))) {
        cJSON_Delete(sg);
        return sim_err(
            e, 400, "InvalidResourceStateFault",
            "Cannot delete the replication subnet group because it is in use by a replication instance");
    }
    dms_del(r, &DMS_SG, sg);
    cJSON_Delete(sg);
    return 0;
}

static const dms_filter_t SG_FILTERS[] = {
    {"replication-subnet-group-id", "ReplicationSubnetGroupIdentifier"}, {"vpc-id", "VpcId"}, {NULL, NULL}};
DMS_OP(DescribeReplicationSubnetGroups) {
    return dms_describe(r, &DMS_SG, in, out, "ReplicationSubnetGroups", SG_FILTERS, NULL,
                        "Replication Subnet Groups", e);
}

/* ------------------------------------------------------------------------------------------------
 * Replication instances
 * ---------------------------------------------------------------------------------------------- */
/* AWS rule: PreferredMaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi in UTC (days Mon..Sun) and at least
 * 30 minutes long; it may span midnight and the end of the week. */
static int window_minute(const char *p, int *minute) {
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int d = 0; d < 7; d++) {
        if (strncasecmp(p, days[d], 3) != 0 || p[3] != ':' || p[6] != ':') continue;
        if (!isdigit((unsigned char)p[4]) || !isdigit((unsigned char)p[5]) || !isdigit((unsigned char)p[7]) ||
            !isdigit((unsigned char)p[8]))
            return -1;
        int h = (p[4] - '0') * 10 + (p[5] - '0'), m = (p[7] - '0') * 10 + (p[8] - '0');
        if (h > 23 || m > 59) return -1;
        *minute = d * 1440 + h * 60 + m;
        return 0;
    }
    return -1;
}

static int check_window(const char *w, sim_error_t *e) {
    int a, b;
    if (!w) return 0;
    if (strlen(w) != 19 || w[9] != '-' || window_minute(w, &a) || window_minute(w + 10, &b))
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid PreferredMaintenanceWindow: %s. The format is ddd:hh24:mi-ddd:hh24:mi (UTC).",
                       w);
    if ((b - a + 7 * 1440) % (7 * 1440) < 30)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "The maintenance window %s must be at least 30 minutes long.", w);
    return 0;
}

/* AWS rule: DMS engine versions are major.minor.patch with the major version in the first two parts
 * (3.4.x -> 3.5.x is a major version upgrade, as the release notes say). */
/* An engine version (a.b.c) as one comparable number; its major version (a.b) is rank / 1000. */
static long version_rank(const char *v) {
    int a = 0, b = 0, c = 0;
    if (v) sscanf(v, "%d.%d.%d", &a, &b, &c);
    return (a * 1000L + b) * 1000L + c;
}

DMS_OP(CreateReplicationInstance) {
    char id[128];
    if (dms_check_identifier("ReplicationInstanceIdentifier", jstr(in, "ReplicationInstanceIdentifier"), 63,
                             e))
        return -1;
    snprintf(id, sizeof id, "%s", jstr(in, "ReplicationInstanceIdentifier"));
    dms_lower(id);
    const char *cls = jstr(in, "ReplicationInstanceClass");
    if (!in_list(DMS_CLASSES, cls))
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid replication instance class: %s",
                       cls);
    int storage = jint(in, "AllocatedStorage", 50);
    /* AWS rule: allocated storage is 5..6144 GiB */
    if (storage < 5 || storage > 6144)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid storage size: %d. Allocated storage must be between 5 and 6144 GB.", storage);
    const char *ver = jstr(in, "EngineVersion");
    if (ver && !in_list(DMS_ENGINE_VERSIONS, ver))
        return sim_err(e, 400, "InvalidParameterValueException",
                       "No replication engine found with version: %s", ver);
    int multi = jbool(in, "MultiAZ", 0);
    if (multi && jstr(in, "AvailabilityZone"))
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "Requesting a specific availability zone is not valid for Multi-AZ instances.");
    const char *nt = jstr(in, "NetworkType");
    if (nt && strcmp(nt, "IPV4") != 0 && strcmp(nt, "DUAL") != 0)
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid network type: %s", nt);
    if (check_window(jstr(in, "PreferredMaintenanceWindow"), e)) return -1;
    cJSON *old = dms_find(r, &DMS_RI, id);
    if (old) {
        cJSON_Delete(old);
        return dms_exists_err(e, &DMS_RI, id);
    }
    if (dms_resource_id_ok(r, &DMS_RI, in, e)) return -1;
    if (dms_check_kms(jstr(in, "KmsKeyId"), e)) return -1;
    /* AWS quota: 30,000 GB of replication instance storage per account and region */
    cJSON *ris = rs_list(r, DMS_RI.type), *x;
    double used = 0;
    cJSON_ArrayForEach(x, ris) used += jnum(x, "AllocatedStorage", 0);
    cJSON_Delete(ris);
    if (used + storage > 30000)
        return sim_err(e, 400, "StorageQuotaExceededFault",
                       "The request would exceed the allocated storage quota (30000 GB) for this account");
    /* AWS quota: 60 replication instances per account and region */
    if (rs_count(r, DMS_RI.type) >= 60)
        return sim_err(e, 400, "ResourceQuotaExceededFault",
                       "The quota for replication instances has been reached");
    cJSON *sg = NULL;
    const char *sgid = jstr(in, "ReplicationSubnetGroupIdentifier");
    if (sgid) {
        sg = dms_find(r, &DMS_SG, sgid);
        if (!sg)
            return sim_err(e, 400, "ResourceNotFoundFault", "Replication Subnet Group %s not found", sgid);
    } else {
        sg = cJSON_CreateObject();
        cJSON_AddStringToObject(sg, "ReplicationSubnetGroupIdentifier", "default");
        cJSON_AddStringToObject(sg, "ReplicationSubnetGroupDescription", "default");
        char vpc[32];
        snprintf(vpc, sizeof vpc, "vpc-%08x%08x", fnv("default"), fnv(r->account));
        cJSON_AddStringToObject(sg, "VpcId", vpc);
        cJSON_AddStringToObject(sg, "SubnetGroupStatus", "Complete");
        cJSON *ids = cJSON_CreateArray();
        for (int i = 0; i < 3; i++) {
            char sn[40];
            snprintf(sn, sizeof sn, "subnet-%08x%08x", fnv(r->account), (unsigned)i);
            cJSON_AddItemToArray(ids, cJSON_CreateString(sn));
        }
        build_subnets(r, sg, ids, e);
        cJSON_Delete(ids);
    }
    char arn[256], kms[256];
    dms_new_arn(r, DMS_RI.type, in, arn, sizeof arn);
    cJSON *ri = cJSON_CreateObject();
    cJSON_AddStringToObject(ri, "_arn", arn);
    cJSON_AddStringToObject(ri, "ReplicationInstanceIdentifier", id);
    cJSON_AddStringToObject(ri, "ReplicationInstanceClass", cls);
    cJSON_AddStringToObject(ri, "ReplicationInstanceStatus", "creating");
    cJSON_AddNumberToObject(ri, "AllocatedStorage", storage);
    cJSON *vsgs = cJSON_AddArrayToObject(ri, "VpcSecurityGroups");
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(in, "VpcSecurityGroupIds")) {
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "VpcSecurityGroupId", g->valuestring);
        cJSON_AddStringToObject(m, "Status", "active");
        cJSON_AddItemToArray(vsgs, m);
    }
    if (cJSON_GetArraySize(vsgs) == 0) {
        cJSON *m = cJSON_CreateObject();
        char sgn[40];
        snprintf(sgn, sizeof sgn, "sg-%08x%08x", fnv(id), fnv(r->account));
        cJSON_AddStringToObject(m, "VpcSecurityGroupId", sgn);
        cJSON_AddStringToObject(m, "Status", "active");
        cJSON_AddItemToArray(vsgs, m);
    }
    char az[48];
    if (jstr(in, "AvailabilityZone"))
        snprintf(az, sizeof az, "%s", jstr(in, "AvailabilityZone"));
    else
        snprintf(az, sizeof az, "%sa", r->region);
    cJSON_AddStringToObject(ri, "AvailabilityZone", az);
    cJSON_AddItemToObject(ri, "ReplicationSubnetGroup", dms_out(sg));
    cJSON_Delete(sg);
    cJSON_AddStringToObject(ri, "PreferredMaintenanceWindow",
                            jstr(in, "PreferredMaintenanceWindow") ? jstr(in, "PreferredMaintenanceWindow")
                                                                   : "sun:06:00-sun:06:30");
    cJSON_AddItemToObject(ri, "PendingModifiedValues", cJSON_CreateObject());
    cJSON_AddBoolToObject(ri, "MultiAZ", multi);
    if (multi) {
        char saz[48];
        snprintf(saz, sizeof saz, "%sb", r->region);
        cJSON_AddStringToObject(ri, "SecondaryAvailabilityZone", saz);
    }
    cJSON_AddStringToObject(ri, "EngineVersion", ver ? ver : DMS_DEFAULT_ENGINE_VERSION);
    cJSON_AddBoolToObject(ri, "AutoMinorVersionUpgrade", jbool(in, "AutoMinorVersionUpgrade", 1));
    default_kms(r, kms, sizeof kms);
    cJSON_AddStringToObject(ri, "KmsKeyId", jstr(in, "KmsKeyId") ? jstr(in, "KmsKeyId") : kms);
    cJSON_AddStringToObject(ri, "ReplicationInstanceArn", arn);
    cJSON_AddBoolToObject(ri, "PubliclyAccessible", jbool(in, "PubliclyAccessible", 1));
    cJSON_AddStringToObject(ri, "NetworkType", nt ? nt : "IPV4");
    if (jstr(in, "DnsNameServers")) cJSON_AddStringToObject(ri, "DnsNameServers", jstr(in, "DnsNameServers"));
    if (cJSON_GetObjectItem(in, "KerberosAuthenticationSettings"))
        cJSON_AddItemToObject(ri, "KerberosAuthenticationSettings",
                              jdup(cJSON_GetObjectItem(in, "KerberosAuthenticationSettings")));
    if (put_new(r, &DMS_RI, ri, in, out, "ReplicationInstance", e)) return -1;
    dms_timer(r, DMS_RI_CREATE_MS, "ri-available", arn, "create");
    dms_event(r, "replication-instance", id, "creation", "Replication instance creating");
    return 0;
}

static void ri_addresses(cJSON *ri) {
    uint32_t h = fnv(jstr(ri, "_arn"));
    char priv[32], pub[32];
    snprintf(priv, sizeof priv, "10.0.%u.%u", (h >> 8) & 0xff, (h & 0xfe) + 1);
    snprintf(pub, sizeof pub, "54.%u.%u.%u", (h >> 16) & 0xff, (h >> 8) & 0xff, (h & 0xfe) + 1);
    dms_set_str(ri, "ReplicationInstancePrivateIpAddress", priv);
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateString(priv));
    cJSON_DeleteItemFromObject(ri, "ReplicationInstancePrivateIpAddresses");
    cJSON_AddItemToObject(ri, "ReplicationInstancePrivateIpAddresses", a);
    if (jbool(ri, "PubliclyAccessible", 1)) {
        dms_set_str(ri, "ReplicationInstancePublicIpAddress", pub);
        cJSON *b = cJSON_CreateArray();
        cJSON_AddItemToArray(b, cJSON_CreateString(pub));
        cJSON_DeleteItemFromObject(ri, "ReplicationInstancePublicIpAddresses");
        cJSON_AddItemToObject(ri, "ReplicationInstancePublicIpAddresses", b);
    }
}

/* Apply pending modifications (ApplyImmediately or a maintenance action). */
static void ri_apply_pending(cJSON *ri) {
    cJSON *p = cJSON_GetObjectItem(ri, "PendingModifiedValues");
    const cJSON *it;
    cJSON_ArrayForEach(it, p) {
        cJSON_DeleteItemFromObject(ri, it->string);
        cJSON_AddItemToObject(ri, it->string, cJSON_Duplicate(it, 1));
    }
    cJSON_ReplaceItemInObject(ri, "PendingModifiedValues", cJSON_CreateObject());
}

static const char *ri_status(const cJSON *ri) {
    return jstr(ri, "ReplicationInstanceStatus");
}

DMS_OP(ModifyReplicationInstance) {
    cJSON *ri = fetch(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"), e);
    if (!ri) return -1;
    int rc = 0;
    /* AWS rule: only an available replication instance can be modified */
    if (strcmp(ri_status(ri), "available") != 0) {
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Replication instance %s is not in available state. Current state: %s",
                     jstr(ri, "ReplicationInstanceIdentifier"), ri_status(ri));
        goto done;
    }
    const char *cls = jstr(in, "ReplicationInstanceClass");
    if (cls && !in_list(DMS_CLASSES, cls)) {
        rc = sim_err(e, 400, "InvalidParameterValueException", "Invalid replication instance class: %s", cls);
        goto done;
    }
    const char *ver = jstr(in, "EngineVersion");
    if (ver && !in_list(DMS_ENGINE_VERSIONS, ver)) {
        rc = sim_err(e, 400, "InvalidParameterValueException", "No replication engine found with version: %s",
                     ver);
        goto done;
    }
    /* AWS rule: "AWS DMS doesn't support engine version downgrades" (the message is RDS's for the same
     * refusal) */
    if (ver && version_rank(ver) < version_rank(jstr(ri, "EngineVersion"))) {
        rc = sim_err(e, 400, "InvalidParameterCombinationException",
                     "Cannot find upgrade path from %s to %s.", jstr(ri, "EngineVersion"), ver);
        goto done;
    }
    if (ver && version_rank(ver) / 1000 != version_rank(jstr(ri, "EngineVersion")) / 1000 &&
        !jbool(in, "AllowMajorVersionUpgrade", 0)) {
        rc = sim_err(e, 400, "InvalidParameterCombinationException",
                     "AllowMajorVersionUpgrade must be set to true to upgrade to a new major engine version");
        goto done;
    }
    const cJSON *st = cJSON_GetObjectItem(in, "AllocatedStorage");
    if (st && (st->valueint < jint(ri, "AllocatedStorage", 50) || st->valueint > 6144)) {
        rc = sim_err(e, 400, "InvalidParameterValueException",
                     "Invalid storage size: %d. Allocated storage can only be increased, up to 6144 GB.",
                     st->valueint);
        goto done;
    }
    if (check_window(jstr(in, "PreferredMaintenanceWindow"), e)) {
        rc = -1;
        goto done;
    }
    const char *nid = jstr(in, "ReplicationInstanceIdentifier");
    if (nid) {
        if (dms_check_identifier("ReplicationInstanceIdentifier", nid, 63, e)) {
            rc = -1;
            goto done;
        }
        cJSON *other = dms_find(r, &DMS_RI, nid);
        if (other && strcmp(jstr(other, "_arn"), jstr(ri, "_arn")) != 0) {
            cJSON_Delete(other);
            rc = dms_exists_err(e, &DMS_RI, nid);
            goto done;
        }
        cJSON_Delete(other);
        char low[128];
        snprintf(low, sizeof low, "%s", nid);
        dms_lower(low);
        dms_set_str(ri, "ReplicationInstanceIdentifier", low);
    }
    cJSON *pend = cJSON_GetObjectItem(ri, "PendingModifiedValues");
    if (cls) dms_set_str(pend, "ReplicationInstanceClass", cls);
    if (st) dms_set_num(pend, "AllocatedStorage", st->valueint);
    if (ver) dms_set_str(pend, "EngineVersion", ver);
    if (cJSON_GetObjectItem(in, "MultiAZ")) dms_set_bool(pend, "MultiAZ", jbool(in, "MultiAZ", 0));
    if (jstr(in, "NetworkType")) dms_set_str(pend, "NetworkType", jstr(in, "NetworkType"));
    if (cJSON_GetObjectItem(in, "AutoMinorVersionUpgrade"))
        dms_set_bool(ri, "AutoMinorVersionUpgrade", jbool(in, "AutoMinorVersionUpgrade", 1));
    if (jstr(in, "PreferredMaintenanceWindow"))
        dms_set_str(ri, "PreferredMaintenanceWindow", jstr(in, "PreferredMaintenanceWindow"));
    if (cJSON_GetObjectItem(in, "KerberosAuthenticationSettings")) {
        cJSON_DeleteItemFromObject(ri, "KerberosAuthenticationSettings");
        cJSON_AddItemToObject(ri, "KerberosAuthenticationSettings",
                              jdup(cJSON_GetObjectItem(in, "KerberosAuthenticationSettings")));
    }
    if (cJSON_GetObjectItem(in, "VpcSecurityGroupIds")) {
        cJSON *vsgs = cJSON_CreateArray();
        const cJSON *g;
        cJSON_ArrayForEach(g, cJSON_GetObjectItem(in, "VpcSecurityGroupIds")) {
            cJSON *m = cJSON_CreateObject();
            cJSON_AddStringToObject(m, "VpcSecurityGroupId", g->valuestring);
            cJSON_AddStringToObject(m, "Status", "active");
            cJSON_AddItemToArray(vsgs, m);
        }
        cJSON_ReplaceItemInObject(ri, "VpcSecurityGroups", vsgs);
    }
    if (jbool(in, "ApplyImmediately", 0) && cJSON_GetArraySize(pend) > 0) {
        dms_set_str(ri, "ReplicationInstanceStatus", "modifying");
        dms_timer(r, DMS_RI_MODIFY_MS, "ri-available", jstr(ri, "_arn"), "modify");
    }
    cJSON_AddItemToObject(out, "ReplicationInstance", dms_out(ri));
    dms_put(r, &DMS_RI, ri);
done:
    cJSON_Delete(ri);
    return rc;
}

DMS_OP(RebootReplicationInstance) {
    cJSON *ri = fetch(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"), e);
    if (!ri) return -1;
    int rc = 0;
    if (strcmp(ri_status(ri), "available") != 0)
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Replication instance %s is not in available state. Current state: %s",
                     jstr(ri, "ReplicationInstanceIdentifier"), ri_status(ri));
    else if ((jbool(in, "ForceFailover", 0) || jbool(in, "ForcePlannedFailover", 0)) &&
             !jbool(ri, "MultiAZ", 0))
        rc = sim_err(e, 400, "InvalidParameterCombinationException",
                     "ForceFailover is only valid for a Multi-AZ replication instance");
    else if (jbool(in, "ForceFailover", 0) && jbool(in, "ForcePlannedFailover", 0))
        rc = sim_err(e, 400, "InvalidParameterCombinationException",
                     "ForceFailover and ForcePlannedFailover cannot both be true");
    if (rc == 0) {
        dms_set_str(ri, "ReplicationInstanceStatus", "rebooting");
        dms_timer(r, DMS_RI_REBOOT_MS, "ri-available", jstr(ri, "_arn"), "reboot");
        cJSON_AddItemToObject(out, "ReplicationInstance", dms_out(ri));
        dms_put(r, &DMS_RI, ri);
    }
    cJSON_Delete(ri);
    return rc;
}

DMS_OP(DeleteReplicationInstance) {
    cJSON *ri = fetch(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"), e);
    if (!ri) return -1;
    int rc = 0;
    const char *st = ri_status(ri);
    /* AWS rule: an instance with replication tasks cannot be deleted */
    if (dms_tasks_using(r, "ReplicationInstanceArn", jstr(ri, "_arn")) > 0)
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Replication instance %s cannot be deleted because it has replication tasks. Delete the "
                     "tasks first.",
                     jstr(ri, "ReplicationInstanceIdentifier"));
    else if (strcmp(st, "deleting") == 0)
        rc = sim_err(e, 400, "InvalidResourceStateFault", "Replication instance %s is already being deleted",
                     jstr(ri, "ReplicationInstanceIdentifier"));
    if (rc == 0) {
        dms_set_str(ri, "ReplicationInstanceStatus", "deleting");
        timer_cancel(r->sim, "dms", "ri-available", jstr(ri, "_arn"));
        dms_timer(r, DMS_RI_DELETE_MS, "ri-deleted", jstr(ri, "_arn"), NULL);
        cJSON_AddItemToObject(out, "ReplicationInstance", dms_out(ri));
        dms_put(r, &DMS_RI, ri);
        dms_event(r, "replication-instance", jstr(ri, "ReplicationInstanceIdentifier"), "deletion",
                  "Replication instance deleting");
    }
    cJSON_Delete(ri);
    return rc;
}

static const dms_filter_t RI_FILTERS[] = {{"replication-instance-arn", "ReplicationInstanceArn"},
                                          {"replication-instance-id", "ReplicationInstanceIdentifier"},
                                          {"replication-instance-class", "ReplicationInstanceClass"},
                                          {"engine-version", "EngineVersion"},
                                          {NULL, NULL}};
DMS_OP(DescribeReplicationInstances) {
    return dms_describe(r, &DMS_RI, in, out, "ReplicationInstances", RI_FILTERS, NULL,
                        "Replication Instances", e);
}

DMS_OP(DescribeReplicationInstanceTaskLogs) {
    cJSON *ri = fetch(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"), e);
    if (!ri) return -1;
    cJSON *items = cJSON_CreateArray();
    cJSON *all = rs_list(r, DMS_TASK.type), *t;
    cJSON_ArrayForEach(t, all) {
        if (strcmp(jstr(t, "ReplicationInstanceArn"), jstr(ri, "_arn")) != 0) continue;
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "ReplicationTaskName", jstr(t, "ReplicationTaskIdentifier"));
        cJSON_AddStringToObject(l, "ReplicationTaskArn", jstr(t, "_arn"));
        cJSON_AddNumberToObject(l, "ReplicationInstanceTaskLogSize",
                                (double)dms_task_log_bytes(t, clock_now_ms(r->sim)));
        cJSON_AddItemToArray(items, l);
    }
    cJSON_Delete(all);
    cJSON_AddStringToObject(out, "ReplicationInstanceArn", jstr(ri, "_arn"));
    cJSON_Delete(ri);
    return dms_page(items, in, out, "ReplicationInstanceTaskLogs", NULL, NULL, e);
}

/* ------------------------------------------------------------------------------------------------
 * Pending maintenance
 * ---------------------------------------------------------------------------------------------- */
DMS_OP(ApplyPendingMaintenanceAction) {
    cJSON *ri = fetch(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"), e);
    if (!ri) return -1;
    const char *action = jstr(in, "ApplyAction"), *opt = jstr(in, "OptInType");
    int rc = 0;
    /* AWS rule: ApplyAction is os-upgrade, system-update, db-upgrade or os-patch */
    if (strcmp(action, "os-upgrade") && strcmp(action, "system-update") && strcmp(action, "db-upgrade") &&
        strcmp(action, "os-patch"))
        rc = sim_err(e, 400, "InvalidParameterValueException", "Invalid ApplyAction: %s", action);
    else if (strcmp(opt, "immediate") && strcmp(opt, "next-maintenance") && strcmp(opt, "undo-opt-in"))
        rc = sim_err(e, 400, "InvalidParameterValueException", "Invalid OptInType: %s", opt);
    if (rc == 0) {
        cJSON *res = cJSON_AddObjectToObject(out, "ResourcePendingMaintenanceActions");
        cJSON_AddStringToObject(res, "ResourceIdentifier", jstr(ri, "_arn"));
        cJSON_AddArrayToObject(res, "PendingMaintenanceActionDetails");
    }
    cJSON_Delete(ri);
    return rc;
}

DMS_OP(DescribePendingMaintenanceActions) {
    const char *arn = jstr(in, "ReplicationInstanceArn");
    if (arn) {
        cJSON *ri = fetch(r, &DMS_RI, arn, e);
        if (!ri) return -1;
        cJSON_Delete(ri);
    }
    return dms_page(cJSON_CreateArray(), in, out, "PendingMaintenanceActions", NULL, NULL, e);
}

/* ------------------------------------------------------------------------------------------------
 * Endpoints
 * ---------------------------------------------------------------------------------------------- */
const engine_info_t DMS_ENGINES[] = {
    {"mysql", "MySQL", 3306, 3, "MySQLSettings"},
    {"oracle", "Oracle", 1521, 3, "OracleSettings"},
    {"postgres", "PostgreSQL", 5432, 3, "PostgreSQLSettings"},
    {"mariadb", "MariaDB", 3306, 3, "MySQLSettings"},
    {"aurora", "Amazon Aurora MySQL", 3306, 3, "MySQLSettings"},
    {"aurora-postgresql", "Amazon Aurora PostgreSQL", 5432, 3, "PostgreSQLSettings"},
    {"aurora-serverless", "Amazon Aurora Serverless", 3306, 3, "MySQLSettings"},
    {"redshift", "Amazon Redshift", 5439, 2, "RedshiftSettings"},
    {"redshift-serverless", "Amazon Redshift Serverless", 5439, 2, "RedshiftSettings"},
    {"s3", "Amazon S3", 0, 3, "S3Settings"},
    {"db2", "IBM Db2 for Linux, Unix, and Windows", 50000, 3, "IBMDb2Settings"},
    {"db2-zos", "IBM Db2 for z/OS", 446, 1, "IBMDb2Settings"},
    {"azuredb", "Microsoft Azure SQL Database", 1433, 3, "MicrosoftSQLServerSettings"},
    {"azure-sql-managed-instance", "Azure SQL Managed Instance", 1433, 1, "MicrosoftSQLServerSettings"},
    {"sybase", "SAP Sybase ASE", 5000, 3, "SybaseSettings"},
    {"dynamodb", "Amazon DynamoDB", 0, 2, "DynamoDbSettings"},
    {"mongodb", "MongoDB", 27017, 1, "MongoDbSettings"},
    {"kinesis", "Amazon Kinesis", 0, 2, "KinesisSettings"},
    {"kafka", "Kafka", 0, 2, "KafkaSettings"},
    {"elasticsearch", "Elasticsearch", 0, 2, "ElasticsearchSettings"},
    {"opensearch", "Amazon OpenSearch Service", 0, 2, "ElasticsearchSettings"},
    {"docdb", "Amazon DocumentDB", 27017, 3, "DocDbSettings"},
    {"sqlserver", "Microsoft SQL Server", 1433, 3, "MicrosoftSQLServerSettings"},
    {"neptune", "Amazon Neptune", 8182, 2, "NeptuneSettings"},
    {"babelfish", "Babelfish for Aurora PostgreSQL", 1433, 2, "MicrosoftSQLServerSettings"},
    {"redis", "Redis", 6379, 2, "RedisSettings"},
    {"gcp-mysql", "Google Cloud SQL for MySQL", 3306, 1, "GcpMySQLSettings"},
    {"timestream", "Amazon Timestream", 0, 2, "TimestreamSettings"},
    {"aurora-postgresql-serverless", "Amazon Aurora PostgreSQL Serverless", 5432, 3, "PostgreSQLSettings"},
    {"dms-transfer", "AWS DMS transfer", 0, 1, "DmsTransferSettings"},
    {NULL, NULL, 0, 0, NULL}};

const engine_info_t *dms_engine(const char *name) {
    for (int i = 0; name && DMS_ENGINES[i].name; i++)
        if (strcmp(DMS_ENGINES[i].name, name) == 0) return &DMS_ENGINES[i];
    return NULL;
}

static int check_engine_role(const char *engine, const char *type, sim_error_t *e) {
    const engine_info_t *ei = dms_engine(engine);
    if (!ei)
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid engine name: %s",
                       engine ? engine : "");
    int want = strcmp(type, "source") == 0 ? 1 : 2;
    /* AWS rule: each engine supports only the endpoint roles listed in DescribeEndpointTypes */
    if (!(ei->roles & want))
        return sim_err(e, 400, "InvalidParameterValueException", "%s is not supported as a %s endpoint",
                       ei->display, type);
    return 0;
}

static const char *const EP_SKIP[] = {"Password",    "Tags",          "ResourceIdentifier",
                                      "EndpointArn", "ExactSettings", NULL};

static int check_cert(req_t *r, const char *cert, sim_error_t *e) {
    if (!cert) return 0;
    cJSON *c = dms_get(r, &DMS_CERT, cert);
    if (!c) return sim_err(e, 400, "ResourceNotFoundFault", "Certificate %s not found", cert);
    cJSON_Delete(c);
    return 0;
}

DMS_OP(CreateEndpoint) {
    const char *rawid = jstr(in, "EndpointIdentifier");
    if (dms_check_identifier("EndpointIdentifier", rawid, 255, e)) return -1;
    const char *type = jstr(in, "EndpointType"), *engine = jstr(in, "EngineName");
    if (check_engine_role(engine, type, e)) return -1;
    if (check_cert(r, jstr(in, "CertificateArn"), e)) return -1;
    char id[256];
    snprintf(id, sizeof id, "%s", rawid);
    dms_lower(id);
    cJSON *old = dms_find(r, &DMS_EP, id);
    if (old) {
        cJSON_Delete(old);
        return dms_exists_err(e, &DMS_EP, id);
    }
    if (dms_resource_id_ok(r, &DMS_EP, in, e)) return -1;
    if (dms_check_kms(jstr(in, "KmsKeyId"), e)) return -1;
    if (rs_count(r, DMS_EP.type) >= 1000)
        return sim_err(e, 400, "ResourceQuotaExceededFault", "The quota for endpoints has been reached");
    const engine_info_t *ei = dms_engine(engine);
    char arn[256], kms[256];
    dms_new_arn(r, DMS_EP.type, in, arn, sizeof arn);
    cJSON *ep = cJSON_CreateObject();
    cJSON_AddStringToObject(ep, "_arn", arn);
    dms_copy_members(ep, in, EP_SKIP);
    dms_set_str(ep, "EndpointIdentifier", id);
    dms_set_str(ep, "EndpointType", strcmp(type, "source") == 0 ? "SOURCE" : "TARGET");
    dms_set_str(ep, "EngineDisplayName", ei->display);
    dms_set_str(ep, "EndpointArn", arn);
    dms_set_str(ep, "Status", "active");
    if (!cJSON_GetObjectItem(ep, "Port") && ei->port) dms_set_num(ep, "Port", ei->port);
    if (!cJSON_GetObjectItem(ep, "SslMode")) dms_set_str(ep, "SslMode", "none");
    default_kms(r, kms, sizeof kms);
    if (!cJSON_GetObjectItem(ep, "KmsKeyId")) dms_set_str(ep, "KmsKeyId", kms);
    if (!cJSON_GetObjectItem(ep, "ExtraConnectionAttributes"))
        dms_set_str(ep, "ExtraConnectionAttributes", "");
    if (jstr(in, "Password")) dms_set_str(ep, "_password", jstr(in, "Password"));
    if (put_new(r, &DMS_EP, ep, in, out, "Endpoint", e)) return -1;
    return 0;
}

DMS_OP(ModifyEndpoint) {
    cJSON *ep = fetch(r, &DMS_EP, jstr(in, "EndpointArn"), e);
    if (!ep) return -1;
    int rc = 0;
    const char *nid = jstr(in, "EndpointIdentifier");
    const char *type = jstr(in, "EndpointType");
    const char *engine = jstr(in, "EngineName") ? jstr(in, "EngineName") : jstr(ep, "EngineName");
    char cur_type[16];
    snprintf(cur_type, sizeof cur_type, "%s",
             strcasecmp(jstr(ep, "EndpointType"), "source") == 0 ? "source" : "target");
    if (nid && dms_check_identifier("EndpointIdentifier", nid, 255, e))
        rc = -1;
    else if (check_engine_role(engine, type ? type : cur_type, e))
        rc = -1;
    else if (check_cert(r, jstr(in, "CertificateArn"), e))
        rc = -1;
    else if (nid) {
        cJSON *other = dms_find(r, &DMS_EP, nid);
        if (other && strcmp(jstr(other, "_arn"), jstr(ep, "_arn")) != 0) rc = dms_exists_err(e, &DMS_EP, nid);
        cJSON_Delete(other);
    }
    /* AWS rule: an endpoint used by a running task cannot be modified; the task must be stopped first */
    if (rc == 0) {
        cJSON *tasks = rs_list(r, DMS_TASK.type), *t;
        cJSON_ArrayForEach(t, tasks) {
            const char *st = jstr(t, "Status");
            int uses = !strcmp(jstr(t, "SourceEndpointArn"), jstr(ep, "_arn")) ||
                       !strcmp(jstr(t, "TargetEndpointArn"), jstr(ep, "_arn"));
            if (rc == 0 && uses &&
                (!strcmp(st, "running") || !strcmp(st, "starting") || !strcmp(st, "stopping")))
                rc = sim_err(e, 400, "InvalidResourceStateFault",
                             "Endpoint %s is used by replication task %s in %s state. Stop the task before "
                             "modifying the endpoint.",
                             jstr(ep, "EndpointIdentifier"), jstr(t, "ReplicationTaskIdentifier"), st);
        }
        cJSON_Delete(tasks);
    }
    if (rc == 0) {
        cJSON *given = cJSON_Duplicate(in, 1), *it;
        /* AWS rule (ExactSettings): without it, settings of the same name are replaced and new ones added to
         * an engine's settings object; with it, the given object replaces the existing one */
        if (!jbool(in, "ExactSettings", 0)) {
            cJSON_ArrayForEach(it, given) {
                const cJSON *cur = cJSON_GetObjectItemCaseSensitive(ep, it->string), *x;
                if (!cJSON_IsObject(it) || !cJSON_IsObject(cur)) continue;
                cJSON *merged = cJSON_Duplicate(cur, 1);
                cJSON_ArrayForEach(x, it) {
                    cJSON_DeleteItemFromObjectCaseSensitive(merged, x->string);
                    cJSON_AddItemToObject(merged, x->string, cJSON_Duplicate(x, 1));
                }
                cJSON_ReplaceItemViaPointer(given, it, merged);
                it = merged;
            }
        }
        dms_copy_members(ep, given, EP_SKIP);
        cJSON_Delete(given);
        if (nid) {
            char low[256];
            snprintf(low, sizeof low, "%s", nid);
            dms_lower(low);
            dms_set_str(ep, "EndpointIdentifier", low);
        }
        if (type) dms_set_str(ep, "EndpointType", strcmp(type, "source") == 0 ? "SOURCE" : "TARGET");
        dms_set_str(ep, "EngineDisplayName", dms_engine(engine)->display);
        if (jstr(in, "Password")) dms_set_str(ep, "_password", jstr(in, "Password"));
        cJSON_AddItemToObject(out, "Endpoint", dms_out(ep));
        dms_put(r, &DMS_EP, ep);
        /* as on AWS, ModifyEndpoint retests the endpoint's connections */
        cJSON *conns = rs_list(r, "conn"), *c;
        cJSON_ArrayForEach(c, conns) {
            if (strcmp(jstr(c, "EndpointArn"), jstr(ep, "_arn")) != 0) continue;
            dms_set_str(c, "Status", "testing");
            dms_set_str(c, "EndpointIdentifier", jstr(ep, "EndpointIdentifier"));
            rs_put(r, "conn", jstr(c, "_arn"), c);
            timer_cancel(r->sim, "dms", "conn-done", jstr(c, "_arn"));
            dms_timer(r, DMS_CONN_TEST_MS, "conn-done", jstr(c, "_arn"), NULL);
        }
        cJSON_Delete(conns);
    }
    cJSON_Delete(ep);
    return rc;
}

DMS_OP(DeleteEndpoint) {
    cJSON *ep = fetch(r, &DMS_EP, jstr(in, "EndpointArn"), e);
    if (!ep) return -1;
    const char *arn = jstr(ep, "_arn");
    /* AWS rule: an endpoint used by a replication task cannot be deleted */
    if (dms_tasks_using(r, "SourceEndpointArn", arn) + dms_tasks_using(r, "TargetEndpointArn", arn) > 0) {
        int rc =
            sim_err(e, 400, "InvalidResourceStateFault",
                    "Endpoint %s cannot be deleted because it is used by one or more replication tasks", arn);
        cJSON_Delete(ep);
        return rc;
    }
    dms_set_str(ep, "Status", "deleting");
    cJSON_AddItemToObject(out, "Endpoint", dms_out(ep));
    dms_del(r, &DMS_EP, ep);
    /* its connections go with it */
    cJSON *conns = rs_list(r, "conn"), *c;
    cJSON_ArrayForEach(c, conns) if (strcmp(jstr(c, "EndpointArn"), arn) == 0)
        rs_del(r, "conn", jstr(c, "_arn"));
    cJSON_Delete(conns);
    cJSON_Delete(ep);
    return 0;
}

static const dms_filter_t EP_FILTERS[] = {{"endpoint-arn", "EndpointArn"},
                                          {"endpoint-type", "EndpointType"},
                                          {"endpoint-id", "EndpointIdentifier"},
                                          {"engine-name", "EngineName"},
                                          {NULL, NULL}};
DMS_OP(DescribeEndpoints) {
    return dms_describe(r, &DMS_EP, in, out, "Endpoints", EP_FILTERS, NULL, "Endpoints", e);
}

/* ------------------------------------------------------------------------------------------------
 * Connections (TestConnection) and schema refresh
 * ---------------------------------------------------------------------------------------------- */
static int ri_and_endpoint(req_t *r, const cJSON *in, cJSON **ri, cJSON **ep, int need_available,
                           sim_error_t *e) {
    *ri = *ep = NULL;
    *ri = fetch(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"), e);
    if (!*ri) return -1;
    *ep = fetch(r, &DMS_EP, jstr(in, "EndpointArn"), e);
    if (!*ep) {
        cJSON_Delete(*ri);
        *ri = NULL;
        return -1;
    }
    if (need_available && strcmp(ri_status(*ri), "available") != 0) {
        sim_err(e, 400, "InvalidResourceStateFault",
                "Replication instance %s is not in available state. Current state: %s",
                jstr(*ri, "ReplicationInstanceIdentifier"), ri_status(*ri));
        cJSON_Delete(*ri);
        cJSON_Delete(*ep);
        *ri = *ep = NULL;
        return -1;
    }
    return 0;
}

DMS_OP(TestConnection) {
    cJSON *ri, *ep;
    if (ri_and_endpoint(r, in, &ri, &ep, 1, e)) return -1;
    char key[600];
    snprintf(key, sizeof key, "%s|%s", jstr(ri, "_arn"), jstr(ep, "_arn"));
    cJSON *old = rs_get(r, "conn", key);
    if (old && strcmp(jstr(old, "Status"), "testing") == 0) {
        cJSON_Delete(old);
        cJSON_Delete(ri);
        cJSON_Delete(ep);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "A connection test is already in progress for this endpoint");
    }
    cJSON_Delete(old);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "_arn", key);
    cJSON_AddStringToObject(c, "ReplicationInstanceArn", jstr(ri, "_arn"));
    cJSON_AddStringToObject(c, "EndpointArn", jstr(ep, "_arn"));
    cJSON_AddStringToObject(c, "Status", "testing");
    cJSON_AddStringToObject(c, "LastFailureMessage", "");
    cJSON_AddStringToObject(c, "EndpointIdentifier", jstr(ep, "EndpointIdentifier"));
    cJSON_AddStringToObject(c, "ReplicationInstanceIdentifier", jstr(ri, "ReplicationInstanceIdentifier"));
    rs_put(r, "conn", key, c);
    cJSON_AddItemToObject(out, "Connection", dms_out(c));
    timer_cancel(r->sim, "dms", "conn-done", key);
    dms_timer(r, DMS_CONN_TEST_MS, "conn-done", key, NULL);
    cJSON_Delete(c);
    cJSON_Delete(ri);
    cJSON_Delete(ep);
    return 0;
}

DMS_OP(DeleteConnection) {
    cJSON *ri, *ep;
    if (ri_and_endpoint(r, in, &ri, &ep, 0, e)) return -1;
    char key[600];
    snprintf(key, sizeof key, "%s|%s", jstr(ri, "_arn"), jstr(ep, "_arn"));
    cJSON_Delete(ri);
    cJSON_Delete(ep);
    cJSON *c = rs_get(r, "conn", key);
    if (!c) return sim_err(e, 400, "ResourceNotFoundFault", "Connection not found");
    if (strcmp(jstr(c, "Status"), "testing") == 0) {
        cJSON_Delete(c);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Connection is being tested and cannot be deleted");
    }
    dms_set_str(c, "Status", "deleting");
    cJSON_AddItemToObject(out, "Connection", dms_out(c));
    rs_del(r, "conn", key);
    cJSON_Delete(c);
    return 0;
}

static const dms_filter_t CONN_FILTERS[] = {
    {"endpoint-arn", "EndpointArn"}, {"replication-instance-arn", "ReplicationInstanceArn"}, {NULL, NULL}};
static const dms_kind_t CONN_KIND = {"conn", NULL, "EndpointArn", "Connection", 0};
DMS_OP(DescribeConnections) {
    return dms_describe(r, &CONN_KIND, in, out, "Connections", CONN_FILTERS, NULL, "Connections", e);
}

DMS_OP(RefreshSchemas) {
    cJSON *ri, *ep;
    if (ri_and_endpoint(r, in, &ri, &ep, 1, e)) return -1;
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "_arn", jstr(ep, "_arn"));
    cJSON_AddStringToObject(st, "EndpointArn", jstr(ep, "_arn"));
    cJSON_AddStringToObject(st, "ReplicationInstanceArn", jstr(ri, "_arn"));
    cJSON_AddStringToObject(st, "Status", "refreshing");
    dms_set_ts(st, "LastRefreshDate", clock_now_ms(r->sim));
    rs_put(r, "refresh", jstr(ep, "_arn"), st);
    cJSON_AddItemToObject(out, "RefreshSchemasStatus", dms_out(st));
    dms_timer(r, DMS_CONN_TEST_MS, "refresh-done", jstr(ep, "_arn"), NULL);
    cJSON_Delete(st);
    cJSON_Delete(ri);
    cJSON_Delete(ep);
    return 0;
}

DMS_OP(DescribeRefreshSchemasStatus) {
    cJSON *ep = fetch(r, &DMS_EP, jstr(in, "EndpointArn"), e);
    if (!ep) return -1;
    cJSON *st = rs_get(r, "refresh", jstr(ep, "_arn"));
    cJSON_Delete(ep);
    if (!st)
        return sim_err(e, 400, "ResourceNotFoundFault", "No schema refresh found for endpoint %s",
                       jstr(in, "EndpointArn"));
    cJSON_AddItemToObject(out, "RefreshSchemasStatus", dms_out(st));
    cJSON_Delete(st);
    return 0;
}

static void add_unique(cJSON *arr, const char *v) {
    const cJSON *x;
    cJSON_ArrayForEach(x, arr) if (strcmp(x->valuestring, v) == 0) return;
    cJSON_AddItemToArray(arr, cJSON_CreateString(v));
}

DMS_OP(DescribeSchemas) {
    cJSON *ep = fetch(r, &DMS_EP, jstr(in, "EndpointArn"), e);
    if (!ep) return -1;
    cJSON *st = rs_get(r, "refresh", jstr(ep, "_arn"));
    /* AWS rule: schemas are known only after a successful schema refresh / connection test */
    if (!st || strcmp(jstr(st, "Status"), "successful") != 0) {
        cJSON_Delete(st);
        cJSON_Delete(ep);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Schemas for endpoint %s are not available. Refresh the schemas first.",
                       jstr(in, "EndpointArn"));
    }
    cJSON_Delete(st);
    cJSON *schemas = cJSON_CreateArray();
    cJSON *all = rs_list(r, DMS_TASK.type), *t, *tb;
    cJSON_ArrayForEach(t, all) {
        if (strcmp(jstr(t, "SourceEndpointArn"), jstr(ep, "_arn")) != 0) continue;
        cJSON_ArrayForEach(tb, cJSON_GetObjectItem(t, "_tables")) add_unique(schemas, jstr(tb, "schema"));
    }
    cJSON_Delete(all);
    if (cJSON_GetArraySize(schemas) == 0) {
        const char *eng = jstr(ep, "EngineName");
        add_unique(schemas, strstr(eng, "postgres")         ? "public"
                            : strcmp(eng, "sqlserver") == 0 ? "dbo"
                            : jstr(ep, "DatabaseName")      ? jstr(ep, "DatabaseName")
                                                            : "admin");
    }
    cJSON_Delete(ep);
    return dms_page(schemas, in, out, "Schemas", NULL, NULL, e);
}

int dms_res_timer(req_t *r, const char *kind, const char *ref, const char *payload) {
    if (strcmp(kind, "ri-available") == 0) {
        cJSON *ri = dms_get(r, &DMS_RI, ref);
        if (!ri) return 1;
        if (strcmp(payload, "create") == 0) ri_addresses(ri);
        ri_apply_pending(ri);
        dms_set_str(ri, "ReplicationInstanceStatus", "available");
        if (strcmp(payload, "create") == 0) dms_set_ts(ri, "InstanceCreateTime", clock_now_ms(r->sim));
        dms_event(r, "replication-instance", jstr(ri, "ReplicationInstanceIdentifier"),
                  strcmp(payload, "create") == 0 ? "creation" : "configuration change",
                  "Replication instance %s",
                  strcmp(payload, "create") == 0   ? "created"
                  : strcmp(payload, "reboot") == 0 ? "rebooted"
                                                   : "modified");
        put_free(r, &DMS_RI, ri);
        return 1;
    }
    if (strcmp(kind, "ri-deleted") == 0) {
        cJSON *ri = dms_get(r, &DMS_RI, ref);
        if (ri) {
            dms_event(r, "replication-instance", jstr(ri, "ReplicationInstanceIdentifier"), "deletion",
                      "Replication instance deleted");
            dms_del(r, &DMS_RI, ri);
            cJSON *conns = rs_list(r, "conn"), *c;
            cJSON_ArrayForEach(c, conns) if (strcmp(jstr(c, "ReplicationInstanceArn"), ref) == 0)
                rs_del(r, "conn", jstr(c, "_arn"));
            cJSON_Delete(conns);
        }
        cJSON_Delete(ri);
        return 1;
    }
    if (strcmp(kind, "conn-done") == 0 || strcmp(kind, "refresh-done") == 0) {
        int conn = strcmp(kind, "conn-done") == 0;
        cJSON *c = rs_get(r, conn ? "conn" : "refresh", ref);
        if (!c) return 1;
        cJSON *ep = dms_get(r, &DMS_EP, jstr(c, "EndpointArn"));
        char msg[512] = "";
        int fails = !ep || dms_endpoint_fault_message(r->sim, ep, msg, sizeof msg);
        if (!ep) snprintf(msg, sizeof msg, "Endpoint no longer exists");
        dms_set_str(c, "Status", fails ? "failed" : "successful");
        dms_set_str(c, "LastFailureMessage", fails ? msg : (conn ? "" : NULL));
        if (!conn) dms_set_ts(c, "LastRefreshDate", clock_now_ms(r->sim));
        rs_put(r, conn ? "conn" : "refresh", ref, c);
        /* a successful connection test also refreshes the schema list, as on AWS */
        if (conn && !fails) {
            cJSON *st = cJSON_Duplicate(c, 1);
            dms_set_str(st, "_arn", jstr(c, "EndpointArn"));
            cJSON_DeleteItemFromObject(st, "EndpointIdentifier");
            cJSON_DeleteItemFromObject(st, "ReplicationInstanceIdentifier");
            cJSON_DeleteItemFromObject(st, "LastFailureMessage");
            dms_set_ts(st, "LastRefreshDate", clock_now_ms(r->sim));
            rs_put(r, "refresh", jstr(c, "EndpointArn"), st);
            cJSON_Delete(st);
        }
        cJSON_Delete(ep);
        cJSON_Delete(c);
        return 1;
    }
    if (strcmp(kind, "run-step") == 0) {
        cJSON *run = dms_get(r, &DMS_RUN, ref);
        if (!run) return 1;
        const char *st = jstr(run, "Status");
        cJSON *ind = cJSON_GetObjectItem(run, "_ind"), *x;
        int n = cJSON_GetArraySize(ind);
        if (strcmp(st, "provisioning") == 0) {
            dms_set_str(run, "Status", "running");
            cJSON_ArrayForEach(x, ind)
                dms_set_ts(x, "ReplicationTaskIndividualAssessmentStartDate", clock_now_ms(r->sim));
            cJSON_ArrayForEach(x, ind) dms_set_str(x, "Status", "in-progress");
            dms_timer(r, 60 * 1000, "run-step", ref, NULL);
        } else if (strcmp(st, "running") == 0) {
            dms_set_str(run, "Status", "passed");
            cJSON_ArrayForEach(x, ind) dms_set_str(x, "Status", "passed");
            cJSON *prog = cJSON_GetObjectItem(run, "AssessmentProgress");
            dms_set_num(prog, "IndividualAssessmentCompletedCount", n);
            dms_set_num(cJSON_GetObjectItem(run, "ResultStatistic"), "Passed", n);
        } else if (strcmp(st, "cancelling") == 0) {
            dms_set_str(run, "Status", "cancelled");
            cJSON_ArrayForEach(x, ind) if (strcmp(jstr(x, "Status"), "passed") != 0)
                dms_set_str(x, "Status", "cancelled");
            dms_set_num(cJSON_GetObjectItem(run, "ResultStatistic"), "Cancelled", n);
        }
        put_free(r, &DMS_RUN, run);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Certificates
 * ---------------------------------------------------------------------------------------------- */
static int64_t asn1_ms(const ASN1_TIME *t) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (ASN1_TIME_to_tm(t, &tm) != 1) return -1;
    return (int64_t)timegm(&tm) * 1000;
}

DMS_OP(ImportCertificate) {
    const char *id = jstr(in, "CertificateIdentifier");
    if (dms_check_identifier("CertificateIdentifier", id, 255, e)) return -1;
    const char *pem = jstr(in, "CertificatePem");
    const char *wallet = jstr(in, "CertificateWallet");
    if (!pem && !wallet)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Either CertificatePem or CertificateWallet must be provided");
    if (dms_check_kms(jstr(in, "KmsKeyId"), e)) return -1;
    if (pem && wallet)
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "Only one of CertificatePem or CertificateWallet can be provided");
    cJSON *old = dms_find(r, &DMS_CERT, id);
    if (old) {
        cJSON_Delete(old);
        return dms_exists_err(e, &DMS_CERT, id);
    }
    if (rs_count(r, DMS_CERT.type) >= 100)
        return sim_err(e, 400, "ResourceQuotaExceededFault", "The quota for certificates has been reached");
    char arn[256];
    dms_new_arn(r, DMS_CERT.type, NULL, arn, sizeof arn);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "_arn", arn);
    cJSON_AddStringToObject(c, "CertificateIdentifier", id);
    dms_set_ts(c, "CertificateCreationDate", clock_now_ms(r->sim));
    if (pem) {
        /* AWS rule: the PEM must hold a parsable X.509 certificate (InvalidCertificateFault) */
        BIO *bio = BIO_new_mem_buf(pem, -1);
        X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
        if (!x) {
            cJSON_Delete(c);
            return sim_err(e, 400, "InvalidCertificateFault",
                           "The certificate is not valid: unable to parse PEM data");
        }
        dms_set_str(c, "CertificatePem", pem);
        dms_set_ts(c, "ValidFromDate", asn1_ms(X509_get0_notBefore(x)));
        dms_set_ts(c, "ValidToDate", asn1_ms(X509_get0_notAfter(x)));
        EVP_PKEY *k = X509_get0_pubkey(x);
        if (k) dms_set_num(c, "KeyLength", EVP_PKEY_get_bits(k));
        dms_set_str(c, "SigningAlgorithm", OBJ_nid2ln(X509_get_signature_nid(x)));
        X509_free(x);
    } else {
        dms_set_str(c, "CertificateWallet", wallet);
        dms_set_ts(c, "ValidFromDate", clock_now_ms(r->sim));
        dms_set_ts(c, "ValidToDate", clock_now_ms(r->sim) + 365LL * 86400000LL);
    }
    dms_set_str(c, "CertificateOwner", r->account);
    dms_set_str(c, "CertificateArn", arn);
    if (jstr(in, "KmsKeyId")) dms_set_str(c, "KmsKeyId", jstr(in, "KmsKeyId"));
    if (put_new(r, &DMS_CERT, c, in, out, "Certificate", e)) return -1;
    return 0;
}

DMS_OP(DeleteCertificate) {
    cJSON *c = fetch(r, &DMS_CERT, jstr(in, "CertificateArn"), e);
    if (!c) return -1;
    cJSON *eps = rs_list(r, DMS_EP.type), *ep;
    int used = 0;
    cJSON_ArrayForEach(ep, eps) if (jstr(ep, "CertificateArn") &&
                                    strcmp(jstr(ep, "CertificateArn"), jstr(c, "_arn")) == 0) used++;
    cJSON_Delete(eps);
    /* AWS rule: a certificate used by an endpoint cannot be deleted */
    if (used) {
        cJSON_Delete(c);
        return sim_err(e, 400, "InvalidResourceStateFault", "Certificate %s is in use by an endpoint",
                       jstr(in, "CertificateArn"));
    }
    cJSON_AddItemToObject(out, "Certificate", dms_out(c));
    dms_del(r, &DMS_CERT, c);
    cJSON_Delete(c);
    return 0;
}

static const dms_filter_t CERT_FILTERS[] = {
    {"certificate-id", "CertificateIdentifier"}, {"certificate-arn", "CertificateArn"}, {NULL, NULL}};
DMS_OP(DescribeCertificates) {
    return dms_describe(r, &DMS_CERT, in, out, "Certificates", CERT_FILTERS, NULL, "Certificates", e);
}

/* ------------------------------------------------------------------------------------------------
 * Event subscriptions
 * ---------------------------------------------------------------------------------------------- */
static const char *const RI_CATEGORIES[] = {
    "low storage", "configuration change", "creation", "deletion", "failover",
    "failure",     "maintenance",          NULL};
static const char *const TASK_CATEGORIES[] = {
    "configuration change", "state change", "creation", "deletion", "failure", NULL};

const char *const *dms_event_categories(const char *source_type) {
    if (!source_type) return NULL;
    if (strcmp(source_type, "replication-instance") == 0) return RI_CATEGORIES;
    if (strcmp(source_type, "replication-task") == 0) return TASK_CATEGORIES;
    return NULL;
}

static int check_subscription(const cJSON *in, const char *source_type, sim_error_t *e) {
    const char *topic = jstr(in, "SnsTopicArn");
    if (topic && strncmp(topic, "arn:aws:sns:", 12) != 0)
        return sim_err(e, 400, "SNSInvalidTopicFault", "Invalid SNS topic ARN: %s", topic);
    const char *const *cats = dms_event_categories(source_type);
    if (source_type && !cats)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid source type: %s. Valid values: replication-instance, replication-task",
                       source_type);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(in, "EventCategories")) {
        int ok = 0;
        for (int i = 0; cats && cats[i]; i++)
            if (strcmp(cats[i], c->valuestring) == 0) ok = 1;
        if (!cats) ok = in_list(RI_CATEGORIES, c->valuestring) || in_list(TASK_CATEGORIES, c->valuestring);
        if (!ok)
            return sim_err(e, 400, "InvalidParameterValueException", "Invalid event category: %s",
                           c->valuestring);
    }
    return 0;
}

static void subscription_fill(cJSON *s, const cJSON *in) {
    if (jstr(in, "SnsTopicArn")) dms_set_str(s, "SnsTopicArn", jstr(in, "SnsTopicArn"));
    if (jstr(in, "SourceType")) dms_set_str(s, "SourceType", jstr(in, "SourceType"));
    if (cJSON_GetObjectItem(in, "Enabled")) dms_set_bool(s, "Enabled", jbool(in, "Enabled", 1));
    if (cJSON_GetObjectItem(in, "EventCategories")) {
        cJSON_DeleteItemFromObject(s, "EventCategoriesList");
        cJSON_AddItemToObject(s, "EventCategoriesList", jdup(cJSON_GetObjectItem(in, "EventCategories")));
    }
}

DMS_OP(CreateEventSubscription) {
    const char *name = jstr(in, "SubscriptionName");
    if (dms_check_identifier("SubscriptionName", name, 255, e)) return -1;
    if (check_subscription(in, jstr(in, "SourceType"), e)) return -1;
    cJSON *old = dms_find(r, &DMS_ES, name);
    if (old) {
        cJSON_Delete(old);
        return dms_exists_err(e, &DMS_ES, name);
    }
    if (rs_count(r, DMS_ES.type) >= 20)
        return sim_err(e, 400, "ResourceQuotaExceededFault",
                       "The quota for event subscriptions has been reached");
    char arn[300], when[32];
    dms_make_arn(r, DMS_ES.type, name, arn, sizeof arn);
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "_arn", arn);
    cJSON_AddStringToObject(s, "CustomerAwsId", r->account);
    cJSON_AddStringToObject(s, "CustSubscriptionId", name);
    cJSON_AddStringToObject(s, "Status", "active");
    fmt_iso8601(clock_now_ms(r->sim), when);
    cJSON_AddStringToObject(s, "SubscriptionCreationTime", when);
    cJSON_AddBoolToObject(s, "Enabled", 1);
    cJSON_AddArrayToObject(s, "EventCategoriesList");
    cJSON_AddItemToObject(s, "SourceIdsList",
                          cJSON_GetObjectItem(in, "SourceIds") ? jdup(cJSON_GetObjectItem(in, "SourceIds"))
                                                               : cJSON_CreateArray());
    subscription_fill(s, in);
    if (put_new(r, &DMS_ES, s, in, out, "EventSubscription", e)) return -1;
    return 0;
}

DMS_OP(ModifyEventSubscription) {
    cJSON *s = fetch(r, &DMS_ES, jstr(in, "SubscriptionName"), e);
    if (!s) return -1;
    if (check_subscription(in, jstr(in, "SourceType") ? jstr(in, "SourceType") : jstr(s, "SourceType"), e)) {
        cJSON_Delete(s);
        return -1;
    }
    subscription_fill(s, in);
    cJSON_AddItemToObject(out, "EventSubscription", dms_out(s));
    put_free(r, &DMS_ES, s);
    return 0;
}

DMS_OP(DeleteEventSubscription) {
    cJSON *s = fetch(r, &DMS_ES, jstr(in, "SubscriptionName"), e);
    if (!s) return -1;
    dms_set_str(s, "Status", "deleting");
    cJSON_AddItemToObject(out, "EventSubscription", dms_out(s));
    dms_del(r, &DMS_ES, s);
    cJSON_Delete(s);
    return 0;
}

static const dms_filter_t ES_FILTERS[] = {
    {"event-subscription-arn", "_arn"}, {"event-subscription-id", "CustSubscriptionId"}, {NULL, NULL}};
DMS_OP(DescribeEventSubscriptions) {
    const char *name = jstr(in, "SubscriptionName");
    if (name) {
        cJSON *s = fetch(r, &DMS_ES, name, e);
        if (!s) return -1;
        cJSON *arr = cJSON_CreateArray();
        cJSON_AddItemToArray(arr, dms_out(s));
        cJSON_Delete(s);
        return dms_page(arr, in, out, "EventSubscriptionsList", NULL, NULL, e);
    }
    return dms_describe(r, &DMS_ES, in, out, "EventSubscriptionsList", ES_FILTERS, NULL,
                        "Event Subscriptions", e);
}

/* ------------------------------------------------------------------------------------------------
 * Premigration assessment runs
 * ---------------------------------------------------------------------------------------------- */

/* S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric */
static int bucket_ok(const char *b) {
    size_t n = b ? strlen(b) : 0;
    if (n < 3 || n > 63 || !isalnum((unsigned char)b[0]) || !isalnum((unsigned char)b[n - 1])) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)b[i]) || isdigit((unsigned char)b[i]) || b[i] == '.' || b[i] == '-'))
            return 0;
    return 1;
}

static int role_arn_ok(const char *arn) {
    return arn && strncmp(arn, "arn:aws:iam::", 13) == 0 && strstr(arn, ":role/");
}

DMS_OP(StartReplicationTaskAssessmentRun) {
    cJSON *task = fetch(r, &DMS_TASK, jstr(in, "ReplicationTaskArn"), e);
    if (!task) return -1;
    int rc = 0;
    const char *st = jstr(task, "Status");
    const char *name = jstr(in, "AssessmentRunName");
    if (cJSON_GetObjectItem(in, "IncludeOnly") && cJSON_GetObjectItem(in, "Exclude"))
        rc = sim_err(e, 400, "InvalidParameterCombinationException",
                     "IncludeOnly and Exclude cannot both be specified");
    else if (!bucket_ok(jstr(in, "ResultLocationBucket")))
        rc = sim_err(e, 400, "InvalidParameterValueException", "Invalid ResultLocationBucket: %s",
                     jstr(in, "ResultLocationBucket"));
    else if (!role_arn_ok(jstr(in, "ServiceAccessRoleArn")))
        rc = sim_err(e, 400, "InvalidParameterValueException", "Invalid ServiceAccessRoleArn: %s",
                     jstr(in, "ServiceAccessRoleArn"));
    /* AWS rule: an assessment run needs a task that is not running */
    else if (strcmp(st, "ready") && strcmp(st, "stopped") && strcmp(st, "failed"))
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Replication task %s is in %s state. The task must be in ready, stopped or failed state "
                     "to run an assessment.",
                     jstr(task, "ReplicationTaskIdentifier"), st);
    else {
        const char *enc = jstr(in, "ResultEncryptionMode");
        if (enc && strcmp(enc, "SSE_S3") && strcmp(enc, "SSE_KMS"))
            rc = sim_err(e, 400, "InvalidParameterValueException", "Invalid ResultEncryptionMode: %s", enc);
        else if (enc && strcmp(enc, "SSE_KMS") == 0 && !jstr(in, "ResultKmsKeyArn"))
            rc = sim_err(e, 400, "InvalidParameterCombinationException",
                         "ResultKmsKeyArn is required when ResultEncryptionMode is SSE_KMS");
    }
    if (rc == 0) {
        cJSON *runs = rs_list(r, DMS_RUN.type), *x;
        cJSON_ArrayForEach(x, runs) if (strcmp(jstr(x, "AssessmentRunName"), name) == 0 &&
                                        strcmp(jstr(x, "ReplicationTaskArn"), jstr(task, "_arn")) == 0) rc =
            1;
        cJSON_Delete(runs);
        if (rc)
            rc = sim_err(e, 400, "ResourceAlreadyExistsFault", "Assessment run with name %s already exists",
                         name);
    }
    if (rc) {
        cJSON_Delete(task);
        return rc;
    }
    char arn[256];
    dms_new_arn(r, DMS_RUN.type, NULL, arn, sizeof arn);
    cJSON *run = cJSON_CreateObject();
    cJSON_AddStringToObject(run, "_arn", arn);
    cJSON_AddStringToObject(run, "_ri", jstr(task, "ReplicationInstanceArn"));
    cJSON_AddStringToObject(run, "ReplicationTaskAssessmentRunArn", arn);
    cJSON_AddStringToObject(run, "ReplicationTaskArn", jstr(task, "_arn"));
    cJSON_AddStringToObject(run, "Status", "provisioning");
    dms_set_ts(run, "ReplicationTaskAssessmentRunCreationDate", clock_now_ms(r->sim));
    cJSON_AddStringToObject(run, "LastFailureMessage", "");
    cJSON_AddStringToObject(run, "ServiceAccessRoleArn", jstr(in, "ServiceAccessRoleArn"));
    cJSON_AddStringToObject(run, "ResultLocationBucket", jstr(in, "ResultLocationBucket"));
    if (jstr(in, "ResultLocationFolder"))
        cJSON_AddStringToObject(run, "ResultLocationFolder", jstr(in, "ResultLocationFolder"));
    cJSON_AddStringToObject(run, "ResultEncryptionMode",
                            jstr(in, "ResultEncryptionMode") ? jstr(in, "ResultEncryptionMode") : "SSE_S3");
    if (jstr(in, "ResultKmsKeyArn"))
        cJSON_AddStringToObject(run, "ResultKmsKeyArn", jstr(in, "ResultKmsKeyArn"));
    cJSON_AddStringToObject(run, "AssessmentRunName", name);
    cJSON *ind = cJSON_AddArrayToObject(run, "_ind");
    const cJSON *inc = cJSON_GetObjectItem(in, "IncludeOnly"), *exc = cJSON_GetObjectItem(in, "Exclude");
    for (int i = 0; DMS_ASSESSMENTS[i]; i++) {
        const char *a = DMS_ASSESSMENTS[i];
        int take = 1;
        const cJSON *x;
        if (inc) {
            take = 0;
            cJSON_ArrayForEach(x, inc) if (strcmp(x->valuestring, a) == 0) take = 1;
        }
        cJSON_ArrayForEach(x, exc) if (strcmp(x->valuestring, a) == 0) take = 0;
        if (!take) continue;
        cJSON *ia = cJSON_CreateObject();
        char iarn[300];
        snprintf(iarn, sizeof iarn, "%s:%s", arn, a);
        cJSON_AddStringToObject(ia, "ReplicationTaskIndividualAssessmentArn", iarn);
        cJSON_AddStringToObject(ia, "ReplicationTaskAssessmentRunArn", arn);
        cJSON_AddStringToObject(ia, "IndividualAssessmentName", a);
        cJSON_AddStringToObject(ia, "Status", "pending");
        cJSON_AddStringToObject(ia, "_task", jstr(task, "_arn"));
        cJSON_AddItemToArray(ind, ia);
    }
    const cJSON *x;
    cJSON_ArrayForEach(x, inc) if (!in_list(DMS_ASSESSMENTS, x->valuestring)) {
        cJSON_Delete(run);
        cJSON_Delete(task);
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid individual assessment name: %s",
                       x->valuestring);
    }
    cJSON *prog = cJSON_AddObjectToObject(run, "AssessmentProgress");
    cJSON_AddNumberToObject(prog, "IndividualAssessmentCount", cJSON_GetArraySize(ind));
    cJSON_AddNumberToObject(prog, "IndividualAssessmentCompletedCount", 0);
    cJSON *rs = cJSON_AddObjectToObject(run, "ResultStatistic");
    const char *stats[] = {"Passed", "Failed", "Error", "Warning", "Cancelled", "Skipped"};
    for (int i = 0; i < 6; i++)
        cJSON_AddNumberToObject(rs, stats[i], 0);
    if (dms_tags_init(run, cJSON_GetObjectItem(in, "Tags"), e) != 0) {
        cJSON_Delete(run);
        cJSON_Delete(task);
        return -1;
    }
    cJSON_AddItemToObject(out, "ReplicationTaskAssessmentRun", dms_out(run));
    cJSON_AddBoolToObject(cJSON_GetObjectItem(out, "ReplicationTaskAssessmentRun"),
                          "IsLatestTaskAssessmentRun", 1);
    put_free(r, &DMS_RUN, run);
    dms_timer(r, 30 * 1000, "run-step", arn, NULL);
    cJSON_Delete(task);
    return 0;
}

static cJSON *run_view(req_t *r, cJSON *run, const cJSON *in) {
    cJSON *o = dms_out(run);
    /* the latest run of its task is the one created last */
    cJSON *runs = rs_list(r, DMS_RUN.type), *x;
    const char *latest = NULL;
    cJSON_ArrayForEach(x, runs) if (strcmp(jstr(x, "ReplicationTaskArn"), jstr(run, "ReplicationTaskArn")) ==
                                    0) latest = jstr(x, "_arn");
    cJSON_AddBoolToObject(o, "IsLatestTaskAssessmentRun", latest && strcmp(latest, jstr(run, "_arn")) == 0);
    cJSON_Delete(runs);
    return o;
}

DMS_OP(CancelReplicationTaskAssessmentRun) {
    cJSON *run = fetch(r, &DMS_RUN, jstr(in, "ReplicationTaskAssessmentRunArn"), e);
    if (!run) return -1;
    char st[32];
    snprintf(st, sizeof st, "%s", jstr(run, "Status"));
    if (strcmp(st, "provisioning") && strcmp(st, "running") && strcmp(st, "starting")) {
        cJSON_Delete(run);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Assessment run is in %s state and cannot be cancelled", st);
    }
    dms_set_str(run, "Status", "cancelling");
    timer_cancel(r->sim, "dms", "run-step", jstr(run, "_arn"));
    dms_timer(r, 10 * 1000, "run-step", jstr(run, "_arn"), NULL);
    cJSON_AddItemToObject(out, "ReplicationTaskAssessmentRun", run_view(r, run, in));
    put_free(r, &DMS_RUN, run);
    return 0;
}

DMS_OP(DeleteReplicationTaskAssessmentRun) {
    cJSON *run = fetch(r, &DMS_RUN, jstr(in, "ReplicationTaskAssessmentRunArn"), e);
    if (!run) return -1;
    char st[32];
    snprintf(st, sizeof st, "%s", jstr(run, "Status"));
    if (strcmp(st, "running") == 0 || strcmp(st, "provisioning") == 0 || strcmp(st, "cancelling") == 0) {
        cJSON_Delete(run);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Assessment run is in %s state and cannot be deleted", st);
    }
    cJSON_AddItemToObject(out, "ReplicationTaskAssessmentRun", run_view(r, run, in));
    dms_set_str(cJSON_GetObjectItem(out, "ReplicationTaskAssessmentRun"), "Status", "deleting");
    dms_del(r, &DMS_RUN, run);
    timer_cancel(r->sim, "dms", "run-step", jstr(run, "_arn"));
    cJSON_Delete(run);
    return 0;
}

static const dms_filter_t RUN_FILTERS[] = {
    {"replication-task-assessment-run-arn", "ReplicationTaskAssessmentRunArn"},
    {"replication-task-arn", "ReplicationTaskArn"},
    {"replication-instance-arn", "_ri"},
    {"status", "Status"},
    {NULL, NULL}};
DMS_OP(DescribeReplicationTaskAssessmentRuns) {
    return dms_describe(r, &DMS_RUN, in, out, "ReplicationTaskAssessmentRuns", RUN_FILTERS, run_view,
                        "Replication Task Assessment Runs", e);
}

DMS_OP(DescribeReplicationTaskIndividualAssessments) {
    cJSON *runs = rs_list(r, DMS_RUN.type), *run, *x;
    cJSON *all = cJSON_CreateArray();
    cJSON_ArrayForEach(run, runs) cJSON_ArrayForEach(x, cJSON_GetObjectItem(run, "_ind"))
        cJSON_AddItemToArray(all, cJSON_Duplicate(x, 1));
    cJSON_Delete(runs);
    static const dms_filter_t F[] = {
        {"replication-task-assessment-run-arn", "ReplicationTaskAssessmentRunArn"},
        {"replication-task-arn", "_task"},
        {"status", "Status"},
        {NULL, NULL}};
    cJSON *hits = dms_apply_filters(all, in, F, e);
    if (!hits) return -1;
    if (cJSON_GetArraySize(hits) == 0 && cJSON_GetArraySize(cJSON_GetObjectItem(in, "Filters")) > 0) {
        cJSON_Delete(hits);
        return sim_err(e, 400, "ResourceNotFoundFault",
                       "No individual assessments found matching provided filters");
    }
    cJSON *views = cJSON_CreateArray();
    cJSON_ArrayForEach(x, hits) cJSON_AddItemToArray(views, dms_out(x));
    cJSON_Delete(hits);
    return dms_page(views, in, out, "ReplicationTaskIndividualAssessments", NULL, NULL, e);
}
