/*
 * dms_misc.c — DMS Schema Conversion / homogeneous migration resources (data providers, instance
 * profiles, migration projects, data migrations, metadata-model requests, conversion configuration),
 * Fleet Advisor (collectors, databases, LSA analysis) and recommendations, and the catalogue
 * operations (account attributes, orderable instances, engine versions, endpoint types/settings,
 * event categories, events, applicable individual assessments).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/dms.h"
#include "services/dms_internal.h"

const char *const DMS_ASSESSMENTS[] = {"unsupported-data-types-in-source",
                                       "full-lob-not-nullable-at-target",
                                       "table-with-lob-but-without-primary-key-or-unique-constraint",
                                       "table-with-no-primary-key-or-unique-constraint",
                                       "mysql-check-binlog-format",
                                       "postgres-check-logical-replication-slots",
                                       "oracle-check-supplemental-logging-primary-key",
                                       "sqlserver-check-recovery-model",
                                       "all-target-tables-present",
                                       "tables-with-source-and-target-data-type-mismatch",
                                       NULL};

static int in_list(const char *const *list, const char *v) {
    for (int i = 0; v && list[i]; i++)
        if (strcmp(list[i], v) == 0) return 1;
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Generic named resources (data providers, instance profiles, migration projects, data migrations):
 * addressed by name or ARN; "_ids" backs the <kind>-identifier filters.
 * ---------------------------------------------------------------------------------------------- */
static void set_ids(cJSON *doc, const dms_kind_t *k) {
    cJSON *ids = cJSON_CreateArray();
    cJSON_AddItemToArray(ids, cJSON_CreateString(jstr(doc, "_arn")));
    if (jstr(doc, k->id_field)) cJSON_AddItemToArray(ids, cJSON_CreateString(jstr(doc, k->id_field)));
    cJSON_DeleteItemFromObject(doc, "_ids");
    cJSON_AddItemToObject(doc, "_ids", ids);
}

static cJSON *new_named(req_t *r, const dms_kind_t *k, const cJSON *in, const char *time_field,
                        const char *prefix, sim_error_t *e) {
    char arn[256], name[256];
    dms_new_arn(r, k->type, NULL, arn, sizeof arn);
    const char *given = jstr(in, k->id_field);
    if (given) {
        snprintf(name, sizeof name, "%s", given);
        cJSON *old = dms_find(r, k, name);
        if (old) {
            cJSON_Delete(old);
            dms_exists_err(e, k, name);
            return NULL;
        }
    } else {
        /* AWS names unnamed resources after their ARN suffix */
        snprintf(name, sizeof name, "%s-%s", prefix, strrchr(arn, ':') + 1);
        dms_lower(name);
    }
    if (rs_count(r, k->type) >= 1000) {
        sim_err(e, 400, "ResourceQuotaExceededFault", "The quota for %ss has been reached", k->label);
        return NULL;
    }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "_arn", arn);
    dms_set_str(d, k->id_field, name);
    dms_set_str(d, k->arn_field, arn);
    dms_set_ts(d, time_field, clock_now_ms(r->sim));
    if (dms_tags_init(d, cJSON_GetObjectItem(in, "Tags"), e) != 0) {
        cJSON_Delete(d);
        return NULL;
    }
    return d;
}

static int rename_named(req_t *r, const dms_kind_t *k, cJSON *doc, const cJSON *in, sim_error_t *e) {
    const char *nn = jstr(in, k->id_field);
    if (!nn) return 0;
    cJSON *other = dms_find(r, k, nn);
    int clash = other && strcmp(jstr(other, "_arn"), jstr(doc, "_arn")) != 0;
    cJSON_Delete(other);
    if (clash) return dms_exists_err(e, k, nn);
    dms_set_str(doc, k->id_field, nn);
    return 0;
}

static cJSON *fetch(req_t *r, const dms_kind_t *k, const char *id, sim_error_t *e) {
    cJSON *d = dms_find(r, k, id);
    if (!d) dms_not_found(e, k, id);
    return d;
}

static int finish(req_t *r, const dms_kind_t *k, cJSON *doc, cJSON *out, const char *key) {
    set_ids(doc, k);
    cJSON_AddItemToObject(out, key, dms_out(doc));
    dms_put(r, k, doc);
    cJSON_Delete(doc);
    return 0;
}

static int json_text_ok(const char *text, const char *param, sim_error_t *e) {
    if (!text) return 0;
    cJSON *j = cJSON_Parse(text);
    if (!j) return sim_err(e, 400, "InvalidParameterValueException", "%s is not valid JSON", param);
    cJSON_Delete(j);
    return 0;
}

/* ---- data providers ---- */
static const char *const DP_ENGINES[] = {"aurora",    "aurora-postgresql", "mysql",   "oracle",  "postgres",
                                         "sqlserver", "redshift",          "mariadb", "mongodb", "docdb",
                                         "db2",       "db2-zos",           "sybase",  NULL};
static const char *const DP_COPY[] = {"Description", "Engine", "Settings", "Virtual", NULL};

static int dp_check(const cJSON *in, sim_error_t *e) {
    const char *engine = jstr(in, "Engine");
    if (engine && !in_list(DP_ENGINES, engine))
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid data provider engine: %s", engine);
    const cJSON *s = cJSON_GetObjectItem(in, "Settings");
    if (s && cJSON_GetArraySize(s) != 1)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Settings must contain exactly one engine settings object");
    return 0;
}

static void copy_some(cJSON *doc, const cJSON *in, const char *const *keys) {
    for (int i = 0; keys[i]; i++) {
        const cJSON *v = cJSON_GetObjectItem(in, keys[i]);
        if (!v) continue;
        cJSON_DeleteItemFromObject(doc, keys[i]);
        cJSON_AddItemToObject(doc, keys[i], cJSON_Duplicate(v, 1));
    }
}

DMS_OP(CreateDataProvider) {
    if (dp_check(in, e)) return -1;
    cJSON *d = new_named(r, &DMS_DP, in, "DataProviderCreationTime", "dp", e);
    if (!d) return -1;
    copy_some(d, in, DP_COPY);
    if (!cJSON_GetObjectItem(d, "Virtual")) cJSON_AddBoolToObject(d, "Virtual", 0);
    return finish(r, &DMS_DP, d, out, "DataProvider");
}

DMS_OP(ModifyDataProvider) {
    cJSON *d = fetch(r, &DMS_DP, jstr(in, "DataProviderIdentifier"), e);
    if (!d) return -1;
    if (dp_check(in, e) || rename_named(r, &DMS_DP, d, in, e)) {
        cJSON_Delete(d);
        return -1;
    }
    if (cJSON_GetObjectItem(in, "Settings") && !jbool(in, "ExactSettings", 0) &&
        cJSON_GetObjectItem(d, "Settings")) {
        /* without ExactSettings, the given settings are merged into the existing ones */
        cJSON *cur = cJSON_GetObjectItem(d, "Settings");
        const cJSON *eng;
        cJSON_ArrayForEach(eng, cJSON_GetObjectItem(in, "Settings")) {
            cJSON *c = cJSON_GetObjectItem(cur, eng->string);
            if (!c) {
                /* another engine's settings: they replace the old ones */
                cJSON_ReplaceItemInObject(d, "Settings", jdup(cJSON_GetObjectItem(in, "Settings")));
                break;
            }
            const cJSON *m;
            cJSON_ArrayForEach(m, eng) {
                cJSON_DeleteItemFromObject(c, m->string);
                cJSON_AddItemToObject(c, m->string, cJSON_Duplicate(m, 1));
            }
        }
        const char *const rest[] = {"Description", "Engine", "Virtual", NULL};
        copy_some(d, in, rest);
    } else
        copy_some(d, in, DP_COPY);
    return finish(r, &DMS_DP, d, out, "DataProvider");
}

static int project_uses(req_t *r, const char *field, const char *arn) {
    cJSON *all = rs_list(r, DMS_MP.type), *p;
    int n = 0;
    cJSON_ArrayForEach(p, all) {
        if (jstr(p, field) && strcmp(jstr(p, field), arn) == 0) n++;
        const char *lists[] = {"SourceDataProviderDescriptors", "TargetDataProviderDescriptors"};
        for (int i = 0; i < 2; i++) {
            const cJSON *d;
            cJSON_ArrayForEach(
                d, cJSON_GetObjectItem(p, lists[i])) if (strcmp(jstr(d, field) ? jstr(d, field) : "", arn) ==
                                                         0) n++;
        }
    }
    cJSON_Delete(all);
    return n;
}

DMS_OP(DeleteDataProvider) {
    cJSON *d = fetch(r, &DMS_DP, jstr(in, "DataProviderIdentifier"), e);
    if (!d) return -1;
    /* AWS rule: a data provider used by a migration project cannot be deleted */
    if (project_uses(r, "DataProviderArn", jstr(d, "_arn"))) {
        cJSON_Delete(d);
        return sim_err(e, 400, "InvalidResourceStateFault", "Data provider %s is used by a migration project",
                       jstr(in, "DataProviderIdentifier"));
    }
    cJSON_AddItemToObject(out, "DataProvider", dms_out(d));
    dms_del(r, &DMS_DP, d);
    cJSON_Delete(d);
    return 0;
}

static const dms_filter_t DP_FILTERS[] = {{"data-provider-identifier", "_ids"}, {NULL, NULL}};
DMS_OP(DescribeDataProviders) {
    return dms_describe(r, &DMS_DP, in, out, "DataProviders", DP_FILTERS, NULL, "Data Providers", e);
}

/* ---- instance profiles ---- */
static const char *const IP_COPY[] = {
    "AvailabilityZone",   "Description",           "KmsKeyArn",         "NetworkType",
    "PubliclyAccessible", "SubnetGroupIdentifier", "VpcSecurityGroups", NULL};

static int ip_check(req_t *r, const cJSON *in, sim_error_t *e) {
    if (dms_check_kms(jstr(in, "KmsKeyArn"), e)) return -1;
    const char *sg = jstr(in, "SubnetGroupIdentifier");
    if (sg) {
        cJSON *g = dms_find(r, &DMS_SG, sg);
        if (!g) return sim_err(e, 400, "ResourceNotFoundFault", "Replication Subnet Group %s not found", sg);
        cJSON_Delete(g);
    }
    const char *nt = jstr(in, "NetworkType");
    if (nt && strcmp(nt, "IPV4") && strcmp(nt, "DUAL"))
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid network type: %s", nt);
    return 0;
}

DMS_OP(CreateInstanceProfile) {
    if (ip_check(r, in, e)) return -1;
    cJSON *d = new_named(r, &DMS_IP, in, "InstanceProfileCreationTime", "ip", e);
    if (!d) return -1;
    copy_some(d, in, IP_COPY);
    if (!cJSON_GetObjectItem(d, "PubliclyAccessible")) cJSON_AddBoolToObject(d, "PubliclyAccessible", 1);
    if (!jstr(d, "NetworkType")) cJSON_AddStringToObject(d, "NetworkType", "IPV4");
    return finish(r, &DMS_IP, d, out, "InstanceProfile");
}

DMS_OP(ModifyInstanceProfile) {
    cJSON *d = fetch(r, &DMS_IP, jstr(in, "InstanceProfileIdentifier"), e);
    if (!d) return -1;
    if (ip_check(r, in, e) || rename_named(r, &DMS_IP, d, in, e)) {
        cJSON_Delete(d);
        return -1;
    }
    copy_some(d, in, IP_COPY);
    return finish(r, &DMS_IP, d, out, "InstanceProfile");
}

DMS_OP(DeleteInstanceProfile) {
    cJSON *d = fetch(r, &DMS_IP, jstr(in, "InstanceProfileIdentifier"), e);
    if (!d) return -1;
    if (project_uses(r, "InstanceProfileArn", jstr(d, "_arn"))) {
        cJSON_Delete(d);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Instance profile %s is used by a migration project",
                       jstr(in, "InstanceProfileIdentifier"));
    }
    cJSON_AddItemToObject(out, "InstanceProfile", dms_out(d));
    dms_del(r, &DMS_IP, d);
    cJSON_Delete(d);
    return 0;
}

static const dms_filter_t IP_FILTERS[] = {{"instance-profile-identifier", "_ids"}, {NULL, NULL}};
DMS_OP(DescribeInstanceProfiles) {
    return dms_describe(r, &DMS_IP, in, out, "InstanceProfiles", IP_FILTERS, NULL, "Instance Profiles", e);
}

/* ---- migration projects ---- */
static int descriptors(req_t *r, const cJSON *defs, cJSON *doc, const char *key, sim_error_t *e) {
    cJSON *arr = cJSON_CreateArray();
    const cJSON *d;
    cJSON_ArrayForEach(d, defs) {
        cJSON *dp = dms_find(r, &DMS_DP, jstr(d, "DataProviderIdentifier"));
        if (!dp) {
            cJSON_Delete(arr);
            return dms_not_found(e, &DMS_DP, jstr(d, "DataProviderIdentifier"));
        }
        cJSON *o = cJSON_CreateObject();
        if (jstr(d, "SecretsManagerSecretId"))
            cJSON_AddStringToObject(o, "SecretsManagerSecretId", jstr(d, "SecretsManagerSecretId"));
        if (jstr(d, "SecretsManagerAccessRoleArn"))
            cJSON_AddStringToObject(o, "SecretsManagerAccessRoleArn", jstr(d, "SecretsManagerAccessRoleArn"));
        cJSON_AddStringToObject(o, "DataProviderName", jstr(dp, "DataProviderName"));
        cJSON_AddStringToObject(o, "DataProviderArn", jstr(dp, "_arn"));
        cJSON_AddItemToArray(arr, o);
        cJSON_Delete(dp);
    }
    cJSON_DeleteItemFromObject(doc, key);
    cJSON_AddItemToObject(doc, key, arr);
    return 0;
}

static int mp_fill(req_t *r, cJSON *d, const cJSON *in, sim_error_t *e) {
    const char *ipid = jstr(in, "InstanceProfileIdentifier");
    if (ipid) {
        cJSON *ip = dms_find(r, &DMS_IP, ipid);
        if (!ip) return dms_not_found(e, &DMS_IP, ipid);
        dms_set_str(d, "InstanceProfileArn", jstr(ip, "_arn"));
        dms_set_str(d, "InstanceProfileName", jstr(ip, "InstanceProfileName"));
        cJSON_Delete(ip);
    }
    if (cJSON_GetObjectItem(in, "SourceDataProviderDescriptors") &&
        descriptors(r, cJSON_GetObjectItem(in, "SourceDataProviderDescriptors"), d,
                    "SourceDataProviderDescriptors", e))
        return -1;
    if (cJSON_GetObjectItem(in, "TargetDataProviderDescriptors") &&
        descriptors(r, cJSON_GetObjectItem(in, "TargetDataProviderDescriptors"), d,
                    "TargetDataProviderDescriptors", e))
        return -1;
    if (json_text_ok(jstr(in, "TransformationRules"), "TransformationRules", e)) return -1;
    const char *const keys[] = {"Description", "SchemaConversionApplicationAttributes", "TransformationRules",
                                NULL};
    copy_some(d, in, keys);
    /* back the instance-profile-identifier and data-provider-identifier filters (ARN or name) */
    cJSON *ips = cJSON_CreateArray(), *dps = cJSON_CreateArray();
    cJSON_AddItemToArray(ips, cJSON_CreateString(jstr(d, "InstanceProfileArn")));
    cJSON_AddItemToArray(ips, cJSON_CreateString(jstr(d, "InstanceProfileName")));
    const char *lists[] = {"SourceDataProviderDescriptors", "TargetDataProviderDescriptors"};
    for (int i = 0; i < 2; i++) {
        const cJSON *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(d, lists[i])) {
            cJSON_AddItemToArray(dps, cJSON_CreateString(jstr(x, "DataProviderArn")));
            cJSON_AddItemToArray(dps, cJSON_CreateString(jstr(x, "DataProviderName")));
        }
    }
    cJSON_DeleteItemFromObject(d, "_ipIds");
    cJSON_AddItemToObject(d, "_ipIds", ips);
    cJSON_DeleteItemFromObject(d, "_dpIds");
    cJSON_AddItemToObject(d, "_dpIds", dps);
    return 0;
}

DMS_OP(CreateMigrationProject) {
    cJSON *d = new_named(r, &DMS_MP, in, "MigrationProjectCreationTime", "mp", e);
    if (!d) return -1;
    if (mp_fill(r, d, in, e)) {
        cJSON_Delete(d);
        return -1;
    }
    return finish(r, &DMS_MP, d, out, "MigrationProject");
}

DMS_OP(ModifyMigrationProject) {
    cJSON *d = fetch(r, &DMS_MP, jstr(in, "MigrationProjectIdentifier"), e);
    if (!d) return -1;
    if (rename_named(r, &DMS_MP, d, in, e) || mp_fill(r, d, in, e)) {
        cJSON_Delete(d);
        return -1;
    }
    return finish(r, &DMS_MP, d, out, "MigrationProject");
}

static int migrations_of(req_t *r, const char *project_arn, int running_only) {
    cJSON *all = rs_list(r, DMS_DM.type), *m;
    int n = 0;
    cJSON_ArrayForEach(m, all) {
        if (strcmp(jstr(m, "MigrationProjectArn"), project_arn) != 0) continue;
        const char *st = jstr(m, "DataMigrationStatus");
        if (!running_only || !strcmp(st, "RUNNING") || !strcmp(st, "STARTING") || !strcmp(st, "STOPPING"))
            n++;
    }
    cJSON_Delete(all);
    return n;
}

DMS_OP(DeleteMigrationProject) {
    cJSON *d = fetch(r, &DMS_MP, jstr(in, "MigrationProjectIdentifier"), e);
    if (!d) return -1;
    if (migrations_of(r, jstr(d, "_arn"), 0)) {
        cJSON_Delete(d);
        return sim_err(e, 400, "InvalidResourceStateFault",
                       "Migration project %s has data migrations; delete them first",
                       jstr(in, "MigrationProjectIdentifier"));
    }
    cJSON_AddItemToObject(out, "MigrationProject", dms_out(d));
    dms_del(r, &DMS_MP, d);
    cJSON_Delete(d);
    return 0;
}

static const dms_filter_t MP_FILTERS[] = {{"migration-project-identifier", "_ids"},
                                          {"instance-profile-identifier", "_ipIds"},
                                          {"data-provider-identifier", "_dpIds"},
                                          {NULL, NULL}};
DMS_OP(DescribeMigrationProjects) {
    return dms_describe(r, &DMS_MP, in, out, "MigrationProjects", MP_FILTERS, NULL, "Migration Projects", e);
}

static cJSON *project(req_t *r, const cJSON *in, sim_error_t *e) {
    return fetch(r, &DMS_MP, jstr(in, "MigrationProjectIdentifier"), e);
}

DMS_OP(DescribeConversionConfiguration) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    cJSON_AddStringToObject(out, "MigrationProjectIdentifier", jstr(p, "_arn"));
    cJSON_AddStringToObject(out, "ConversionConfiguration",
                            jstr(p, "_conversion")
                                ? jstr(p, "_conversion")
                                : "{\"Common project settings\":{\"ShowSeverityLevelInSql\":\"CRITICAL\"}}");
    cJSON_Delete(p);
    return 0;
}

DMS_OP(ModifyConversionConfiguration) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    if (json_text_ok(jstr(in, "ConversionConfiguration"), "ConversionConfiguration", e)) {
        cJSON_Delete(p);
        return -1;
    }
    dms_set_str(p, "_conversion", jstr(in, "ConversionConfiguration"));
    dms_put(r, &DMS_MP, p);
    cJSON_AddStringToObject(out, "MigrationProjectIdentifier", jstr(p, "_arn"));
    cJSON_Delete(p);
    return 0;
}

/* ---- data migrations ---- */
static int role_ok(const char *arn) {
    return arn && strncmp(arn, "arn:aws:iam::", 13) == 0 && strstr(arn, ":role/");
}

static int dm_fill(req_t *r, cJSON *d, const cJSON *in, sim_error_t *e) {
    if (jstr(in, "ServiceAccessRoleArn") && !role_ok(jstr(in, "ServiceAccessRoleArn")))
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid ServiceAccessRoleArn: %s",
                       jstr(in, "ServiceAccessRoleArn"));
    if (json_text_ok(jstr(in, "SelectionRules"), "SelectionRules", e)) return -1;
    const cJSON *nj = cJSON_GetObjectItem(in, "NumberOfJobs");
    if (nj && (nj->valueint < 1 || nj->valueint > 50))
        return sim_err(e, 400, "InvalidParameterValueException", "NumberOfJobs must be between 1 and 50");
    const char *const keys[] = {"DataMigrationType", "ServiceAccessRoleArn", "SourceDataSettings",
                                "TargetDataSettings", NULL};
    copy_some(d, in, keys);
    cJSON *settings = cJSON_GetObjectItem(d, "DataMigrationSettings");
    if (!settings) settings = cJSON_AddObjectToObject(d, "DataMigrationSettings");
    if (cJSON_GetObjectItem(in, "EnableCloudwatchLogs"))
        dms_set_bool(settings, "CloudwatchLogsEnabled", jbool(in, "EnableCloudwatchLogs", 0));
    if (nj) dms_set_num(settings, "NumberOfJobs", nj->valueint);
    if (jstr(in, "SelectionRules")) dms_set_str(settings, "SelectionRules", jstr(in, "SelectionRules"));
    (void)r;
    return 0;
}

DMS_OP(CreateDataMigration) {
    /* AWS rule: data migration names follow the identifier rules, 1 to 255 characters */
    if (jstr(in, "DataMigrationName") &&
        dms_check_identifier("DataMigrationName", jstr(in, "DataMigrationName"), 255, e))
        return -1;
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    cJSON *d = new_named(r, &DMS_DM, in, "DataMigrationCreateTime", "dm", e);
    if (!d) {
        cJSON_Delete(p);
        return -1;
    }
    if (dm_fill(r, d, in, e)) {
        cJSON_Delete(p);
        cJSON_Delete(d);
        return -1;
    }
    dms_set_str(d, "MigrationProjectArn", jstr(p, "_arn"));
    dms_set_str(d, "DataMigrationStatus", "READY");
    cJSON_Delete(p);
    return finish(r, &DMS_DM, d, out, "DataMigration");
}

static cJSON *dm_view(req_t *r, cJSON *doc, const cJSON *in) {
    cJSON *o = dms_out(doc);
    int64_t start = (int64_t)jnum(doc, "_startMs", -1), stop = (int64_t)jnum(doc, "_stopMs", -1);
    const char *st = jstr(doc, "DataMigrationStatus");
    if (start >= 0 && !jbool(in, "WithoutStatistics", 0)) {
        int64_t end = !strcmp(st, "RUNNING") || !strcmp(st, "STARTING") ? clock_now_ms(r->sim) : stop;
        int64_t el = end > start ? end - start : 0;
        cJSON *s = cJSON_AddObjectToObject(o, "DataMigrationStatistics");
        int pct = (int)(el * 100 / (5 * 60 * 1000));
        cJSON_AddNumberToObject(s, "FullLoadPercentage", pct > 100 ? 100 : pct);
        cJSON_AddNumberToObject(s, "ElapsedTimeMillis", (double)el);
        cJSON_AddNumberToObject(s, "TablesLoaded", pct >= 100 ? 1 : 0);
        cJSON_AddNumberToObject(s, "TablesLoading", pct < 100 ? 1 : 0);
        cJSON_AddNumberToObject(s, "TablesQueued", 0);
        cJSON_AddNumberToObject(s, "TablesErrored", 0);
        cJSON_AddNumberToObject(s, "CDCLatency", 0);
        dms_set_ts(s, "StartTime", start);
        if (stop >= 0 && strcmp(st, "RUNNING")) dms_set_ts(s, "StopTime", stop);
    }
    if (jbool(in, "WithoutSettings", 0)) {
        cJSON_DeleteItemFromObject(o, "DataMigrationSettings");
        cJSON_DeleteItemFromObject(o, "SourceDataSettings");
        cJSON_DeleteItemFromObject(o, "TargetDataSettings");
    }
    return o;
}

static int dm_idle(const char *st) {
    return !strcmp(st, "READY") || !strcmp(st, "STOPPED") || !strcmp(st, "FAILED");
}

DMS_OP(ModifyDataMigration) {
    cJSON *d = fetch(r, &DMS_DM, jstr(in, "DataMigrationIdentifier"), e);
    if (!d) return -1;
    int rc = 0;
    if (!dm_idle(jstr(d, "DataMigrationStatus")))
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Data migration %s is in %s state and cannot be modified", jstr(d, "DataMigrationName"),
                     jstr(d, "DataMigrationStatus"));
    else if (jstr(in, "DataMigrationName") &&
             dms_check_identifier("DataMigrationName", jstr(in, "DataMigrationName"), 255, e))
        rc = -1;
    else if (rename_named(r, &DMS_DM, d, in, e) || dm_fill(r, d, in, e))
        rc = -1;
    if (rc) {
        cJSON_Delete(d);
        return rc;
    }
    set_ids(d, &DMS_DM);
    cJSON_AddItemToObject(out, "DataMigration", dm_view(r, d, in));
    dms_put(r, &DMS_DM, d);
    cJSON_Delete(d);
    return 0;
}

DMS_OP(DeleteDataMigration) {
    cJSON *d = fetch(r, &DMS_DM, jstr(in, "DataMigrationIdentifier"), e);
    if (!d) return -1;
    if (!dm_idle(jstr(d, "DataMigrationStatus"))) {
        int rc = sim_err(e, 400, "InvalidResourceStateFault",
                         "Data migration %s is in %s state and cannot be deleted",
                         jstr(d, "DataMigrationName"), jstr(d, "DataMigrationStatus"));
        cJSON_Delete(d);
        return rc;
    }
    dms_set_str(d, "DataMigrationStatus", "DELETING");
    cJSON_AddItemToObject(out, "DataMigration", dm_view(r, d, in));
    dms_del(r, &DMS_DM, d);
    cJSON_Delete(d);
    return 0;
}

DMS_OP(StartDataMigration) {
    cJSON *d = fetch(r, &DMS_DM, jstr(in, "DataMigrationIdentifier"), e);
    if (!d) return -1;
    const char *st = jstr(d, "DataMigrationStatus"), *type = jstr(in, "StartType");
    int rc = 0;
    if (!dm_idle(st))
        rc = sim_err(e, 400, "InvalidResourceStateFault",
                     "Data migration %s is in %s state and cannot be started", jstr(d, "DataMigrationName"),
                     st);
    else if (strcmp(type, "start-replication") == 0 && cJSON_GetObjectItem(d, "_startMs"))
        rc = sim_err(
            e, 400, "InvalidOperationFault",
            "Start Type : START_REPLICATION, valid only for data migrations running for the first time");
    if (rc) {
        cJSON_Delete(d);
        return rc;
    }
    dms_set_str(d, "DataMigrationStatus", "STARTING");
    dms_set_num(d, "_startMs", (double)clock_now_ms(r->sim));
    dms_set_ts(d, "DataMigrationStartTime", clock_now_ms(r->sim));
    cJSON_DeleteItemFromObject(d, "StopReason");
    dms_timer(r, 60 * 1000, "dm-step", jstr(d, "_arn"), "running");
    cJSON_AddItemToObject(out, "DataMigration", dm_view(r, d, in));
    dms_put(r, &DMS_DM, d);
    cJSON_Delete(d);
    return 0;
}

DMS_OP(StopDataMigration) {
    cJSON *d = fetch(r, &DMS_DM, jstr(in, "DataMigrationIdentifier"), e);
    if (!d) return -1;
    const char *st = jstr(d, "DataMigrationStatus");
    if (strcmp(st, "RUNNING") && strcmp(st, "STARTING")) {
        int rc = sim_err(e, 400, "InvalidResourceStateFault",
                         "Data migration %s is in %s state and cannot be stopped",
                         jstr(d, "DataMigrationName"), st);
        cJSON_Delete(d);
        return rc;
    }
    dms_set_str(d, "DataMigrationStatus", "STOPPING");
    dms_set_num(d, "_stopMs", (double)clock_now_ms(r->sim));
    timer_cancel(r->sim, "dms", "dm-step", jstr(d, "_arn"));
    dms_timer(r, 10 * 1000, "dm-step", jstr(d, "_arn"), "stopped");
    cJSON_AddItemToObject(out, "DataMigration", dm_view(r, d, in));
    dms_put(r, &DMS_DM, d);
    cJSON_Delete(d);
    return 0;
}

static const dms_filter_t DM_FILTERS[] = {{"data-migration-name", "DataMigrationName"},
                                          {"data-migration-arn", "DataMigrationArn"},
                                          {"data-migration-identifier", "_ids"},
                                          {"migration-project-arn", "MigrationProjectArn"},
                                          {NULL, NULL}};
DMS_OP(DescribeDataMigrations) {
    return dms_describe(r, &DMS_DM, in, out, "DataMigrations", DM_FILTERS, dm_view, "Data Migrations", e);
}

/* ------------------------------------------------------------------------------------------------
 * Metadata-model requests (assessment, conversion, export, import, creation, extension pack)
 * ---------------------------------------------------------------------------------------------- */
static int start_request(req_t *r, const cJSON *in, cJSON *out, const char *kind, int needs_rules,
                         sim_error_t *e) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    if (needs_rules && json_text_ok(jstr(in, "SelectionRules"), "SelectionRules", e)) {
        cJSON_Delete(p);
        return -1;
    }
    char id[37];
    rng_uuid(r->sim, id);
    cJSON *q = cJSON_CreateObject();
    cJSON_AddStringToObject(q, "_arn", id);
    cJSON_AddStringToObject(q, "_kind", kind);
    cJSON_AddStringToObject(q, "_project", jstr(p, "_arn"));
    cJSON_AddStringToObject(q, "RequestIdentifier", id);
    cJSON_AddStringToObject(q, "MigrationProjectArn", jstr(p, "_arn"));
    cJSON_AddStringToObject(q, "Status", "IN_PROGRESS");
    cJSON *prog = cJSON_AddObjectToObject(q, "Progress");
    cJSON_AddNumberToObject(prog, "ProgressPercent", 0);
    cJSON_AddNumberToObject(prog, "TotalObjects", 1);
    cJSON_AddStringToObject(prog, "ProgressStep", "IN_PROGRESS");
    if (strcmp(kind, "export-script") == 0) {
        cJSON *x = cJSON_AddObjectToObject(q, "ExportSqlDetails");
        char key[300];
        snprintf(key, sizeof key, "%s/%s.sql", jstr(p, "MigrationProjectName"),
                 jstr(in, "FileName") ? jstr(in, "FileName") : id);
        cJSON_AddStringToObject(x, "S3ObjectKey", key);
        char url[600];
        snprintf(url, sizeof url, "https://dms-%s-%s.s3.amazonaws.com/%s", r->account, r->region, key);
        cJSON_AddStringToObject(x, "ObjectURL", url);
    }
    rs_put(r, "mmreq", id, q);
    dms_timer(r, 60 * 1000, "mm-done", id, NULL);
    cJSON_AddStringToObject(out, "RequestIdentifier", id);
    cJSON_Delete(q);
    cJSON_Delete(p);
    return 0;
}

DMS_OP(StartMetadataModelAssessment) {
    return start_request(r, in, out, "assessment", 1, e);
}
DMS_OP(StartMetadataModelConversion) {
    return start_request(r, in, out, "conversion", 1, e);
}
DMS_OP(StartMetadataModelExportAsScript) {
    return start_request(r, in, out, "export-script", 1, e);
}
DMS_OP(StartMetadataModelExportToTarget) {
    return start_request(r, in, out, "export-target", 1, e);
}
DMS_OP(StartMetadataModelImport) {
    return start_request(r, in, out, "import", 1, e);
}
DMS_OP(StartExtensionPackAssociation) {
    return start_request(r, in, out, "extension-pack", 0, e);
}
DMS_OP(StartMetadataModelCreation) {
    if (cJSON_GetArraySize(cJSON_GetObjectItem(in, "Properties")) == 0)
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Properties must specify the metadata model properties");
    return start_request(r, in, out, "creation", 1, e);
}

static int describe_requests(req_t *r, const cJSON *in, cJSON *out, const char *kind, sim_error_t *e) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    cJSON *all = rs_list(r, "mmreq"), *q, *mine = cJSON_CreateArray();
    cJSON_ArrayForEach(q, all) if (!strcmp(jstr(q, "_kind"), kind) &&
                                   !strcmp(jstr(q, "_project"), jstr(p, "_arn")))
        cJSON_AddItemToArray(mine, cJSON_Duplicate(q, 1));
    cJSON_Delete(all);
    cJSON_Delete(p);
    static const dms_filter_t F[] = {{"request-id", "RequestIdentifier"}, {"status", "Status"}, {NULL, NULL}};
    cJSON *hits = dms_apply_filters(mine, in, F, e);
    if (!hits) return -1;
    cJSON *views = cJSON_CreateArray();
    cJSON_ArrayForEach(q, hits) cJSON_AddItemToArray(views, dms_out(q));
    cJSON_Delete(hits);
    return dms_page(views, in, out, "Requests", NULL, NULL, e);
}

DMS_OP(DescribeMetadataModelAssessments) {
    return describe_requests(r, in, out, "assessment", e);
}
DMS_OP(DescribeMetadataModelConversions) {
    return describe_requests(r, in, out, "conversion", e);
}
DMS_OP(DescribeMetadataModelExportsAsScript) {
    return describe_requests(r, in, out, "export-script", e);
}
DMS_OP(DescribeMetadataModelExportsToTarget) {
    return describe_requests(r, in, out, "export-target", e);
}
DMS_OP(DescribeMetadataModelImports) {
    return describe_requests(r, in, out, "import", e);
}
DMS_OP(DescribeMetadataModelCreations) {
    return describe_requests(r, in, out, "creation", e);
}
DMS_OP(DescribeExtensionPackAssociations) {
    return describe_requests(r, in, out, "extension-pack", e);
}

static int cancel_request(req_t *r, const cJSON *in, cJSON *out, const char *kind, sim_error_t *e) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    cJSON *q = rs_get(r, "mmreq", jstr(in, "RequestIdentifier"));
    int rc = 0;
    if (!q || strcmp(jstr(q, "_kind"), kind) || strcmp(jstr(q, "_project"), jstr(p, "_arn")))
        rc = sim_err(e, 400, "ResourceNotFoundFault", "Request %s not found", jstr(in, "RequestIdentifier"));
    else if (strcmp(jstr(q, "Status"), "IN_PROGRESS") != 0)
        rc = sim_err(e, 400, "InvalidResourceStateFault", "Request %s is in %s state and cannot be cancelled",
                     jstr(in, "RequestIdentifier"), jstr(q, "Status"));
    if (rc == 0) {
        dms_set_str(q, "Status", "CANCELED");
        timer_cancel(r->sim, "dms", "mm-done", jstr(q, "_arn"));
        rs_put(r, "mmreq", jstr(q, "_arn"), q);
        cJSON_AddItemToObject(out, "Request", dms_out(q));
    }
    cJSON_Delete(q);
    cJSON_Delete(p);
    return rc;
}

DMS_OP(CancelMetadataModelConversion) {
    return cancel_request(r, in, out, "conversion", e);
}
DMS_OP(CancelMetadataModelCreation) {
    return cancel_request(r, in, out, "creation", e);
}

static const char *rules_object_name(const char *rules, char *buf, size_t n) {
    cJSON *j = cJSON_Parse(rules ? rules : "");
    const cJSON *loc =
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "rules"), 0), "object-locator");
    snprintf(buf, n, "%s",
             jstr(loc, "table-name")    ? jstr(loc, "table-name")
             : jstr(loc, "schema-name") ? jstr(loc, "schema-name")
                                        : "");
    cJSON_Delete(j);
    return buf;
}

DMS_OP(DescribeMetadataModel) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    cJSON_Delete(p);
    if (json_text_ok(jstr(in, "SelectionRules"), "SelectionRules", e)) return -1;
    char name[256];
    rules_object_name(jstr(in, "SelectionRules"), name, sizeof name);
    if (!name[0])
        return sim_err(e, 400, "ResourceNotFoundFault", "No metadata model matches the selection rules");
    cJSON_AddStringToObject(out, "MetadataModelName", name);
    cJSON_AddStringToObject(out, "MetadataModelType", "table");
    char def[512];
    snprintf(def, sizeof def, "CREATE TABLE %s (id INTEGER PRIMARY KEY);", name);
    cJSON_AddStringToObject(out, "Definition", def);
    cJSON_AddArrayToObject(out, "TargetMetadataModels");
    return 0;
}

DMS_OP(DescribeMetadataModelChildren) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    cJSON_Delete(p);
    if (json_text_ok(jstr(in, "SelectionRules"), "SelectionRules", e)) return -1;
    return dms_page(cJSON_CreateArray(), in, out, "MetadataModelChildren", NULL, NULL, e);
}

DMS_OP(GetTargetSelectionRules) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    cJSON_Delete(p);
    if (json_text_ok(jstr(in, "SelectionRules"), "SelectionRules", e)) return -1;
    cJSON_AddStringToObject(out, "TargetSelectionRules", jstr(in, "SelectionRules"));
    return 0;
}

DMS_OP(ExportMetadataModelAssessment) {
    cJSON *p = project(r, in, e);
    if (!p) return -1;
    if (json_text_ok(jstr(in, "SelectionRules"), "SelectionRules", e)) {
        cJSON_Delete(p);
        return -1;
    }
    const char *file = jstr(in, "FileName") ? jstr(in, "FileName") : "assessment-report";
    const cJSON *types = cJSON_GetObjectItem(in, "AssessmentReportTypes");
    const char *kinds[2] = {"pdf", "csv"};
    const char *keys[2] = {"PdfReport", "CsvReport"};
    for (int i = 0; i < 2; i++) {
        int want = !types;
        const cJSON *t;
        cJSON_ArrayForEach(t, types) if (cJSON_IsString(t) && strcmp(t->valuestring, kinds[i]) == 0) want = 1;
        if (!want) continue;
        cJSON *o = cJSON_AddObjectToObject(out, keys[i]);
        char key[400], url[700];
        snprintf(key, sizeof key, "%s/%s.%s", jstr(p, "MigrationProjectName"), file, kinds[i]);
        snprintf(url, sizeof url, "https://dms-%s-%s.s3.amazonaws.com/%s", r->account, r->region, key);
        cJSON_AddStringToObject(o, "S3ObjectKey", key);
        cJSON_AddStringToObject(o, "ObjectURL", url);
    }
    cJSON_Delete(p);
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Fleet Advisor and recommendations
 * ---------------------------------------------------------------------------------------------- */
DMS_OP(CreateFleetAdvisorCollector) {
    if (!role_ok(jstr(in, "ServiceAccessRoleArn")))
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid ServiceAccessRoleArn: %s",
                       jstr(in, "ServiceAccessRoleArn"));
    char id[37], when[32];
    rng_uuid(r->sim, id);
    fmt_iso8601(clock_now_ms(r->sim), when);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "_arn", id);
    cJSON_AddStringToObject(c, "CollectorReferencedId", id);
    cJSON_AddStringToObject(c, "CollectorName", jstr(in, "CollectorName"));
    if (jstr(in, "Description")) cJSON_AddStringToObject(c, "Description", jstr(in, "Description"));
    cJSON_AddStringToObject(c, "S3BucketName", jstr(in, "S3BucketName"));
    cJSON_AddStringToObject(c, "ServiceAccessRoleArn", jstr(in, "ServiceAccessRoleArn"));
    cJSON_AddStringToObject(c, "CreatedDate", when);
    cJSON_AddStringToObject(c, "ModifiedDate", when);
    cJSON *hc = cJSON_AddObjectToObject(c, "CollectorHealthCheck");
    cJSON_AddStringToObject(hc, "CollectorStatus", "UNREGISTERED");
    cJSON_AddBoolToObject(hc, "LocalCollectorS3Access", 0);
    cJSON_AddBoolToObject(hc, "WebCollectorS3Access", 1);
    cJSON_AddBoolToObject(hc, "WebCollectorGrantedRoleBasedAccess", 1);
    cJSON *inv = cJSON_AddObjectToObject(c, "InventoryData");
    cJSON_AddNumberToObject(inv, "NumberOfDatabases", 0);
    cJSON_AddNumberToObject(inv, "NumberOfSchemas", 0);
    rs_put(r, DMS_COLLECTOR.type, id, c);
    const char *const keys[] = {"CollectorReferencedId", "CollectorName",        "Description",
                                "S3BucketName",          "ServiceAccessRoleArn", NULL};
    for (int i = 0; keys[i]; i++)
        if (jstr(c, keys[i])) cJSON_AddStringToObject(out, keys[i], jstr(c, keys[i]));
    cJSON_Delete(c);
    return 0;
}

DMS_OP(DeleteFleetAdvisorCollector) {
    cJSON *c = rs_get(r, DMS_COLLECTOR.type, jstr(in, "CollectorReferencedId"));
    if (!c)
        return sim_err(e, 400, "CollectorNotFoundFault", "Collector %s not found",
                       jstr(in, "CollectorReferencedId"));
    rs_del(r, DMS_COLLECTOR.type, jstr(in, "CollectorReferencedId"));
    cJSON_Delete(c);
    return 0;
}

static int fleet_page(const cJSON *in, cJSON *out, cJSON *items, const char *key, sim_error_t *e) {
    /* Fleet Advisor pages with NextToken */
    return dms_page(items, in, out, key, "NextToken", NULL, e);
}

DMS_OP(DescribeFleetAdvisorCollectors) {
    static const dms_filter_t F[] = {{"collector-referenced-id", "CollectorReferencedId"},
                                     {"collector-name", "CollectorName"},
                                     {NULL, NULL}};
    cJSON *all = dms_apply_filters(rs_list(r, DMS_COLLECTOR.type), in, F, e);
    if (!all) return -1;
    cJSON *views = cJSON_CreateArray(), *c;
    cJSON_ArrayForEach(c, all) cJSON_AddItemToArray(views, dms_out(c));
    cJSON_Delete(all);
    return fleet_page(in, out, views, "Collectors", e);
}

DMS_OP(DescribeFleetAdvisorDatabases) {
    static const dms_filter_t F[] = {{"database-id", "DatabaseId"},
                                     {"database-name", "DatabaseName"},
                                     {"database-engine", "DatabaseEngine"},
                                     {"server-ip-address", "Server.IpAddress"},
                                     {"database-ip-address", "IpAddress"},
                                     {"collector-name", "CollectorName"},
                                     {NULL, NULL}};
    cJSON *all = dms_apply_filters(cJSON_CreateArray(), in, F, e);
    if (!all) return -1;
    return fleet_page(in, out, all, "Databases", e);
}

DMS_OP(DeleteFleetAdvisorDatabases) {
    const cJSON *ids = cJSON_GetObjectItem(in, "DatabaseIds");
    /* no database is ever discovered here (collectors are not simulated) */
    if (cJSON_GetArraySize(ids) > 0)
        return sim_err(e, 400, "ResourceNotFoundFault", "Database %s not found",
                       cJSON_GetArrayItem(ids, 0)->valuestring);
    cJSON_AddArrayToObject(out, "DatabaseIds");
    return 0;
}

DMS_OP(DescribeFleetAdvisorSchemas) {
    static const dms_filter_t F[] = {{"complexity", "Complexity"},
                                     {"database-id", "DatabaseId"},
                                     {"database-ip-address", "IpAddress"},
                                     {"database-name", "DatabaseName"},
                                     {"database-engine", "Engine"},
                                     {"original-schema-name", "OriginalSchemaName"},
                                     {"schema-id", "SchemaId"},
                                     {"schema-name", "SchemaName"},
                                     {"server-ip-address", "ServerIp"},
                                     {NULL, NULL}};
    cJSON *all = dms_apply_filters(cJSON_CreateArray(), in, F, e);
    if (!all) return -1;
    return fleet_page(in, out, all, "FleetAdvisorSchemas", e);
}

DMS_OP(DescribeFleetAdvisorSchemaObjectSummary) {
    static const dms_filter_t F[] = {{"schema-id", "SchemaId"}, {NULL, NULL}};
    cJSON *all = dms_apply_filters(cJSON_CreateArray(), in, F, e);
    if (!all) return -1;
    return fleet_page(in, out, all, "FleetAdvisorSchemaObjects", e);
}

DMS_OP(RunFleetAdvisorLsaAnalysis) {
    char id[37];
    rng_uuid(r->sim, id);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "LsaAnalysisId", id);
    cJSON_AddStringToObject(a, "Status", "RUNNING");
    rs_put(r, "lsa", id, a);
    dms_timer(r, 5 * 60 * 1000, "lsa-done", id, NULL);
    cJSON_AddStringToObject(out, "LsaAnalysisId", id);
    cJSON_AddStringToObject(out, "Status", "RUNNING");
    cJSON_Delete(a);
    return 0;
}

DMS_OP(DescribeFleetAdvisorLsaAnalysis) {
    return fleet_page(in, out, rs_list(r, "lsa"), "Analysis", e);
}

static int recommendation_settings_ok(const cJSON *s, sim_error_t *e) {
    const char *sz = jstr(s, "InstanceSizingType"), *wl = jstr(s, "WorkloadType");
    if (!sz || (strcmp(sz, "total-capacity") && strcmp(sz, "utilization")))
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid InstanceSizingType: %s. Valid values: total-capacity, utilization",
                       sz ? sz : "");
    if (!wl || (strcmp(wl, "production") && strcmp(wl, "development")))
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid WorkloadType: %s. Valid values: production, development", wl ? wl : "");
    return 0;
}

static void put_recommendation(req_t *r, const char *db, const cJSON *settings) {
    char when[32];
    fmt_iso8601(clock_now_ms(r->sim), when);
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "DatabaseId", db);
    cJSON_AddStringToObject(rec, "EngineName", "rds-postgresql");
    cJSON_AddStringToObject(rec, "CreatedDate", when);
    cJSON_AddStringToObject(rec, "Status", "in-progress");
    cJSON_AddBoolToObject(rec, "Preferred", 1);
    cJSON_AddItemToObject(rec, "Settings", jdup(settings));
    rs_put(r, "recommendation", db, rec);
    dms_timer(r, 5 * 60 * 1000, "rec-done", db, NULL);
    cJSON_Delete(rec);
}

DMS_OP(StartRecommendations) {
    if (recommendation_settings_ok(cJSON_GetObjectItem(in, "Settings"), e)) return -1;
    put_recommendation(r, jstr(in, "DatabaseId"), cJSON_GetObjectItem(in, "Settings"));
    return 0;
}

DMS_OP(BatchStartRecommendations) {
    cJSON *errs = cJSON_AddArrayToObject(out, "ErrorEntries");
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(in, "Data")) {
        sim_error_t e2;
        memset(&e2, 0, sizeof e2);
        if (recommendation_settings_ok(cJSON_GetObjectItem(d, "Settings"), &e2)) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "DatabaseId", jstr(d, "DatabaseId") ? jstr(d, "DatabaseId") : "");
            cJSON_AddStringToObject(x, "Message", e2.message);
            cJSON_AddStringToObject(x, "Code", e2.code);
            cJSON_AddItemToArray(errs, x);
            continue;
        }
        put_recommendation(r, jstr(d, "DatabaseId"), cJSON_GetObjectItem(d, "Settings"));
    }
    return 0;
}

DMS_OP(DescribeRecommendations) {
    static const dms_filter_t F[] = {
        {"database-id", "DatabaseId"}, {"engine-name", "EngineName"}, {NULL, NULL}};
    cJSON *all = dms_apply_filters(rs_list(r, "recommendation"), in, F, e);
    if (!all) return -1;
    return fleet_page(in, out, all, "Recommendations", e);
}

DMS_OP(DescribeRecommendationLimitations) {
    static const dms_filter_t F[] = {
        {"database-id", "DatabaseId"}, {"engine-name", "EngineName"}, {NULL, NULL}};
    cJSON *all = dms_apply_filters(cJSON_CreateArray(), in, F, e);
    if (!all) return -1;
    return fleet_page(in, out, all, "Limitations", e);
}

int dms_misc_timer(req_t *r, const char *kind, const char *ref, const char *payload) {
    if (strcmp(kind, "mm-done") == 0) {
        cJSON *q = rs_get(r, "mmreq", ref);
        if (q && strcmp(jstr(q, "Status"), "IN_PROGRESS") == 0) {
            dms_set_str(q, "Status", "SUCCESS");
            cJSON *prog = cJSON_GetObjectItem(q, "Progress");
            dms_set_num(prog, "ProgressPercent", 100);
            dms_set_num(prog, "ProcessedObject", 1);
            dms_set_str(prog, "ProgressStep", "FINISHED");
            rs_put(r, "mmreq", ref, q);
        }
        cJSON_Delete(q);
        return 1;
    }
    if (strcmp(kind, "dm-step") == 0) {
        cJSON *d = dms_get(r, &DMS_DM, ref);
        if (!d) return 1;
        if (strcmp(payload, "running") == 0) {
            dms_set_str(d, "DataMigrationStatus", "RUNNING");
            if (strcmp(jstr(d, "DataMigrationType"), "full-load") == 0)
                dms_timer(r, 5 * 60 * 1000, "dm-step", ref, "finished");
        } else {
            dms_set_str(d, "DataMigrationStatus", "STOPPED");
            if (strcmp(payload, "finished") == 0) {
                dms_set_num(d, "_stopMs", (double)clock_now_ms(r->sim));
                dms_set_str(d, "StopReason", "FULL_LOAD_ONLY_FINISHED");
            } else
                dms_set_str(d, "StopReason", "USER_STOP");
            dms_set_ts(d, "DataMigrationEndTime", clock_now_ms(r->sim));
        }
        dms_put(r, &DMS_DM, d);
        cJSON_Delete(d);
        return 1;
    }
    if (strcmp(kind, "lsa-done") == 0 || strcmp(kind, "rec-done") == 0) {
        int lsa = kind[0] == 'l';
        cJSON *a = rs_get(r, lsa ? "lsa" : "recommendation", ref);
        if (a) {
            dms_set_str(a, "Status", lsa ? "COMPLETED" : "ready");
            rs_put(r, lsa ? "lsa" : "recommendation", ref, a);
        }
        cJSON_Delete(a);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Catalogue operations
 * ---------------------------------------------------------------------------------------------- */
static void quota(cJSON *arr, const char *name, double used, double max) {
    cJSON *q = cJSON_CreateObject();
    cJSON_AddStringToObject(q, "AccountQuotaName", name);
    cJSON_AddNumberToObject(q, "Used", used);
    cJSON_AddNumberToObject(q, "Max", max);
    cJSON_AddItemToArray(arr, q);
}

DMS_OP(DescribeAccountAttributes) {
    cJSON *arr = cJSON_AddArrayToObject(out, "AccountQuotas");
    cJSON *ris = rs_list(r, DMS_RI.type), *ri;
    double storage = 0;
    cJSON_ArrayForEach(ri, ris) storage += jnum(ri, "AllocatedStorage", 0);
    quota(arr, "ReplicationInstances", cJSON_GetArraySize(ris), 60);
    cJSON_Delete(ris);
    quota(arr, "AllocatedStorage", storage, 30000);
    quota(arr, "Endpoints", rs_count(r, DMS_EP.type), 1000);
    quota(arr, "ReplicationSubnetGroups", rs_count(r, DMS_SG.type), 60);
    quota(arr, "ReplicationTasks", rs_count(r, DMS_TASK.type), 600);
    quota(arr, "EventSubscriptions", rs_count(r, DMS_ES.type), 20);
    quota(arr, "Certificates", rs_count(r, DMS_CERT.type), 100);
    quota(arr, "SubnetsPerReplicationSubnetGroup", 0, 60);
    quota(arr, "EndpointsPerInstance", 0, 100);
    char uid[16];
    snprintf(uid, sizeof uid, "c%.11s", r->account);
    cJSON_AddStringToObject(out, "UniqueAccountIdentifier", uid);
    return 0;
}

DMS_OP(DescribeOrderableReplicationInstances) {
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; DMS_CLASSES[i]; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "EngineVersion", "3.5.3");
        cJSON_AddStringToObject(o, "ReplicationInstanceClass", DMS_CLASSES[i]);
        cJSON_AddStringToObject(o, "StorageType", "gp2");
        cJSON_AddNumberToObject(o, "MinAllocatedStorage", 5);
        cJSON_AddNumberToObject(o, "MaxAllocatedStorage", 6144);
        cJSON_AddNumberToObject(o, "DefaultAllocatedStorage", 50);
        cJSON_AddNumberToObject(o, "IncludedAllocatedStorage", strstr(DMS_CLASSES[i], ".t") ? 50 : 100);
        cJSON *azs = cJSON_AddArrayToObject(o, "AvailabilityZones");
        for (int a = 0; a < 3; a++) {
            char az[48];
            snprintf(az, sizeof az, "%s%c", r->region, 'a' + a);
            cJSON_AddItemToArray(azs, cJSON_CreateString(az));
        }
        cJSON_AddItemToArray(items, o);
    }
    return dms_page(items, in, out, "OrderableReplicationInstances", NULL, NULL, e);
}

DMS_OP(DescribeEngineVersions) {
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; DMS_ENGINE_VERSIONS[i]; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "Version", DMS_ENGINE_VERSIONS[i]);
        cJSON_AddStringToObject(o, "Lifecycle", i == 0 ? "deprecated" : "active");
        cJSON_AddStringToObject(o, "ReleaseStatus", "prod");
        cJSON *up = cJSON_AddArrayToObject(o, "AvailableUpgrades");
        for (int j = i + 1; DMS_ENGINE_VERSIONS[j]; j++)
            cJSON_AddItemToArray(up, cJSON_CreateString(DMS_ENGINE_VERSIONS[j]));
        cJSON_AddItemToArray(items, o);
    }
    return dms_page(items, in, out, "EngineVersions", NULL, NULL, e);
}

DMS_OP(DescribeEndpointTypes) {
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; DMS_ENGINES[i].name; i++) {
        for (int role = 1; role <= 2; role++) {
            if (!(DMS_ENGINES[i].roles & role)) continue;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "EngineName", DMS_ENGINES[i].name);
            cJSON_AddBoolToObject(o, "SupportsCDC", role == 1 || strcmp(DMS_ENGINES[i].name, "s3") != 0);
            cJSON_AddStringToObject(o, "EndpointType", role == 1 ? "source" : "target");
            cJSON_AddStringToObject(o, "ReplicationInstanceEngineMinimumVersion", "3.4.7");
            cJSON_AddStringToObject(o, "EngineDisplayName", DMS_ENGINES[i].display);
            cJSON_AddItemToArray(items, o);
        }
    }
    static const dms_filter_t F[] = {
        {"engine-name", "EngineName"}, {"endpoint-type", "EndpointType"}, {NULL, NULL}};
    cJSON *hits = dms_apply_filters(items, in, F, e);
    if (!hits) return -1;
    return dms_page(hits, in, out, "SupportedEndpointTypes", NULL, NULL, e);
}

static cJSON *setting(const char *name, const char *type, const char *applicability, const char *dflt) {
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "Name", name);
    cJSON_AddStringToObject(s, "Type", type);
    cJSON_AddStringToObject(s, "Applicability", applicability);
    if (dflt) cJSON_AddStringToObject(s, "DefaultValue", dflt);
    cJSON_AddBoolToObject(s, "Sensitive", 0);
    return s;
}

DMS_OP(DescribeEndpointSettings) {
    const char *engine = jstr(in, "EngineName");
    if (!dms_engine(engine))
        return sim_err(e, 400, "InvalidParameterValueException", "Invalid engine name: %s", engine);
    cJSON *items = cJSON_CreateArray();
    cJSON_AddItemToArray(items, setting("afterConnectScript", "string", "source-and-target", NULL));
    cJSON_AddItemToArray(items, setting("executeTimeout", "integer", "source-and-target", "60"));
    cJSON_AddItemToArray(items, setting("heartbeatEnable", "boolean", "source", "false"));
    cJSON_AddItemToArray(items, setting("heartbeatFrequency", "integer", "source", "5"));
    cJSON_AddItemToArray(items, setting("parallelLoadThreads", "integer", "target", "1"));
    return dms_page(items, in, out, "EndpointSettings", NULL, NULL, e);
}

DMS_OP(DescribeEventCategories) {
    const char *only = jstr(in, "SourceType");
    if (only && !dms_event_categories(only))
        return sim_err(e, 400, "InvalidParameterValueException",
                       "Invalid source type: %s. Valid values: replication-instance, replication-task", only);
    if (cJSON_GetArraySize(cJSON_GetObjectItem(in, "Filters")) > 0) {
        /* no filter name is valid here: dms_apply_filters refuses the first one */
        static const dms_filter_t none[] = {{NULL, NULL}};
        cJSON_Delete(dms_apply_filters(cJSON_CreateArray(), in, none, e));
        return -1;
    }
    cJSON *groups = cJSON_AddArrayToObject(out, "EventCategoryGroupList");
    const char *types[] = {"replication-instance", "replication-task"};
    for (int i = 0; i < 2; i++) {
        if (only && strcmp(only, types[i])) continue;
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "SourceType", types[i]);
        cJSON *cats = cJSON_AddArrayToObject(g, "EventCategories");
        const char *const *c = dms_event_categories(types[i]);
        for (int j = 0; c[j]; j++)
            cJSON_AddItemToArray(cats, cJSON_CreateString(c[j]));
        cJSON_AddItemToArray(groups, g);
    }
    return 0;
}

DMS_OP(DescribeEvents) {
    int64_t now = clock_now_ms(r->sim);
    const cJSON *st = cJSON_GetObjectItem(in, "StartTime"), *et = cJSON_GetObjectItem(in, "EndTime");
    int64_t end = et ? (int64_t)(jnum(in, "EndTime", 0) * 1000) : now;
    int64_t start =
        st ? (int64_t)(jnum(in, "StartTime", 0) * 1000) : end - (int64_t)jint(in, "Duration", 60) * 60000;
    if (start > end)
        return sim_err(e, 400, "InvalidParameterCombinationException", "StartTime must be before EndTime");
    const char *src = jstr(in, "SourceIdentifier"), *type = jstr(in, "SourceType");
    const cJSON *cats = cJSON_GetObjectItem(in, "EventCategories");
    cJSON *all = rs_list(r, "event"), *ev, *items = cJSON_CreateArray();
    cJSON_ArrayForEach(ev, all) {
        int64_t t = (int64_t)(jnum(ev, "Date", 0) * 1000);
        if (t < start || t > end) continue;
        if (src && strcmp(src, jstr(ev, "SourceIdentifier"))) continue;
        if (type && strcmp(type, jstr(ev, "SourceType"))) continue;
        if (cats) {
            int ok = 0;
            const cJSON *c, *ec;
            cJSON_ArrayForEach(c, cats) cJSON_ArrayForEach(
                ec, cJSON_GetObjectItem(ev, "EventCategories")) if (strcmp(c->valuestring, ec->valuestring) ==
                                                                    0) ok = 1;
            if (!ok) continue;
        }
        cJSON_AddItemToArray(items, cJSON_Duplicate(ev, 1));
    }
    cJSON_Delete(all);
    /* AWS rule: "The only valid filter is replication-instance-id." */
    static const dms_filter_t F[] = {{"replication-instance-id", "_instance"}, {NULL, NULL}};
    cJSON *hits = dms_apply_filters(items, in, F, e), *views = cJSON_CreateArray();
    if (!hits) {
        cJSON_Delete(views);
        return -1;
    }
    cJSON_ArrayForEach(ev, hits) cJSON_AddItemToArray(views, dms_out(ev));
    cJSON_Delete(hits);
    return dms_page(views, in, out, "Events", NULL, NULL, e);
}

DMS_OP(DescribeApplicableIndividualAssessments) {
    const char *task = jstr(in, "ReplicationTaskArn"), *cfg = jstr(in, "ReplicationConfigArn");
    const char *src = jstr(in, "SourceEngineName"), *tgt = jstr(in, "TargetEngineName");
    if (task) {
        cJSON *t = dms_find(r, &DMS_TASK, task);
        if (!t) return dms_not_found(e, &DMS_TASK, task);
        cJSON_Delete(t);
    } else if (cfg) {
        cJSON *c = dms_find(r, &DMS_CFG, cfg);
        if (!c) return dms_not_found(e, &DMS_CFG, cfg);
        cJSON_Delete(c);
    } else if (!(src && tgt && jstr(in, "MigrationType") && jstr(in, "ReplicationInstanceArn"))) {
        return sim_err(e, 400, "InvalidParameterCombinationException",
                       "Specify ReplicationTaskArn, ReplicationConfigArn, or ReplicationInstanceArn with "
                       "SourceEngineName, "
                       "TargetEngineName and MigrationType");
    } else {
        cJSON *ri = dms_get(r, &DMS_RI, jstr(in, "ReplicationInstanceArn"));
        if (!ri) return dms_not_found(e, &DMS_RI, jstr(in, "ReplicationInstanceArn"));
        cJSON_Delete(ri);
    }
    cJSON *names = cJSON_CreateArray();
    for (int i = 0; DMS_ASSESSMENTS[i]; i++) {
        const char *a = DMS_ASSESSMENTS[i];
        if (src && ((strncmp(a, "mysql-", 6) == 0 && !strstr(src, "mysql") && strcmp(src, "aurora") &&
                     strcmp(src, "mariadb")) ||
                    (strncmp(a, "postgres-", 9) == 0 && !strstr(src, "postgres")) ||
                    (strncmp(a, "oracle-", 7) == 0 && strcmp(src, "oracle")) ||
                    (strncmp(a, "sqlserver-", 10) == 0 && strcmp(src, "sqlserver"))))
            continue;
        cJSON_AddItemToArray(names, cJSON_CreateString(a));
    }
    return dms_page(names, in, out, "IndividualAssessmentNames", NULL, NULL, e);
}

DMS_OP(UpdateSubscriptionsToEventBridge) {
    /* AWS rule: without ForceMove, every replication instance must run engine 3.4.5 or later. Every engine
     * version awssim offers (DMS_ENGINE_VERSIONS) is 3.4.7 or later, so the move always succeeds. */
    cJSON_AddStringToObject(out, "Result",
                            "All subscriptions were successfully moved to Amazon EventBridge.");
    return 0;
}
