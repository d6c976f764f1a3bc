/*
 * route53_extra.c — the Route 53 resources around zones: traffic policies (versions, instances
 * that own a record set in their zone), DNS query logging configurations, DNSSEC key-signing
 * keys and zone signing, and CIDR collections (locations and blocks used by CIDR routing).
 * Documents are rs_* documents of the caller's account: "tp", "tpi", "qlc", "ksk", "cidr".
 * KSKs carry a real-shaped DNSKEY (ECDSAP256SHA256, random public key from the seeded rng) with
 * the RFC 4034 key tag and a SHA-256 DS record, so DS/DNSKEY strings are consistent.
 */
#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "services/route53_int.h"

#define LIMIT_TRAFFIC_POLICIES 50
#define LIMIT_TRAFFIC_POLICY_VERSIONS 1000
#define LIMIT_TRAFFIC_POLICY_INSTANCES 5
#define LIMIT_KSK_PER_ZONE 2
#define LIMIT_CIDR_COLLECTIONS 5
#define LIMIT_CIDR_BLOCKS 1000

static void max_items_str(cJSON *out, const char *key, int n) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", n);
    cJSON_AddStringToObject(out, key, buf);
}

/* NextToken values are offsets; anything else is InvalidPaginationToken. */
static int token_offset(const cJSON *in, const char *key, int *off, sim_error_t *e) {
    const char *t = jstr(in, key);
    *off = 0;
    if (!t) return 0;
    char *end = NULL;
    long v = strtol(t, &end, 10);
    if (!*t || !end || *end || v < 0)
        return sim_err(e, 400, "InvalidPaginationToken",
                       "The value that you specified for NextToken in a List request isn't valid.");
    *off = (int)v;
    return 0;
}

static void next_token(cJSON *out, int off) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", off);
    cJSON_AddStringToObject(out, "NextToken", buf);
}

/* ------------------------------------------------------------------------------------------ */
/* traffic policies                                                                            */

static const char *const RR_TYPES[] = {"SOA", "A",    "TXT", "NS", "CNAME", "MX",    "NAPTR", "PTR",  "SRV",
                                       "SPF", "AAAA", "CAA", "DS", "TLSA",  "SSHFP", "SVCB",  "HTTPS"};

/* Route 53's traffic policy document rules (format version, record type, a start). */
static int check_document(const char *text, char *type, size_t n, sim_error_t *e) {
    cJSON *doc = cJSON_Parse(text);
    if (!doc || !cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        return sim_err(e, 400, "InvalidTrafficPolicyDocument",
                       "Invalid traffic policy document: invalid JSON");
    }
    const char *ver = jstr(doc, "AWSPolicyFormatVersion"), *rt = jstr(doc, "RecordType");
    int rc = 0, ok_type = 0;
    for (size_t i = 0; rt && i < sizeof RR_TYPES / sizeof RR_TYPES[0]; i++)
        ok_type |= !strcmp(rt, RR_TYPES[i]);
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(doc, "Rules");
    const cJSON *eps = cJSON_GetObjectItemCaseSensitive(doc, "Endpoints");
    const char *sr = jstr(doc, "StartRule"), *se = jstr(doc, "StartEndpoint");
    if (!ver || strcmp(ver, "2015-10-01") != 0)
        rc = sim_err(e, 400, "InvalidTrafficPolicyDocument",
                     "Invalid traffic policy document: AWSPolicyFormatVersion must be 2015-10-01");
    else if (!ok_type)
        rc = sim_err(e, 400, "InvalidTrafficPolicyDocument",
                     "Invalid traffic policy document: RecordType is missing or not a supported DNS type");
    else if ((sr != NULL) == (se != NULL))
        rc =
            sim_err(e, 400, "InvalidTrafficPolicyDocument",
                    "Invalid traffic policy document: exactly one of StartRule or StartEndpoint is required");
    else if (sr && !cJSON_GetObjectItemCaseSensitive(rules, sr))
        rc = sim_err(e, 400, "InvalidTrafficPolicyDocument",
                     "Invalid traffic policy document: StartRule %s is not defined in Rules", sr);
    else if (se && !cJSON_GetObjectItemCaseSensitive(eps, se))
        rc = sim_err(e, 400, "InvalidTrafficPolicyDocument",
                     "Invalid traffic policy document: StartEndpoint %s is not defined in Endpoints", se);
    if (!rc) snprintf(type, n, "%s", rt);
    cJSON_Delete(doc);
    return rc;
}

static cJSON *tp_version_json(const cJSON *tp, const cJSON *v) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", jstr(tp, "Id"));
    cJSON_AddNumberToObject(o, "Version", jint(v, "Version", 1));
    cJSON_AddStringToObject(o, "Name", jstr(tp, "Name"));
    cJSON_AddStringToObject(o, "Type", jstr(v, "Type"));
    cJSON_AddStringToObject(o, "Document", jstr(v, "Document"));
    if (jstr(v, "Comment")) cJSON_AddStringToObject(o, "Comment", jstr(v, "Comment"));
    return o;
}

static cJSON *tp_find_version(cJSON *tp, int version) {
    cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(tp, "Versions")) if (jint(it, "Version", 0) ==
                                                                                 version) return it;
    return NULL;
}

static cJSON *tp_or_err(req_t *r, const char *id, sim_error_t *e) {
    cJSON *tp = rs_get(r, "tp", id ? id : "");
    if (!tp)
        sim_err(e, 404, "NoSuchTrafficPolicy", "No traffic policy exists with the specified ID: %s",
                id ? id : "");
    return tp;
}

R53_OP(CreateTrafficPolicy) {
    char type[16];
    if (check_document(jstr(in, "Document"), type, sizeof type, e)) return -1;
    cJSON *all = rs_list(r, "tp"), *it;
    int n = cJSON_GetArraySize(all), dup = 0;
    cJSON_ArrayForEach(it, all) dup |= !strcmp(jstr(it, "Name"), jstr(in, "Name"));
    cJSON_Delete(all);
    if (dup)
        return sim_err(e, 409, "TrafficPolicyAlreadyExists",
                       "A traffic policy with the name %s already exists.", jstr(in, "Name"));
    if (n >= LIMIT_TRAFFIC_POLICIES)
        return sim_err(
            e, 400, "TooManyTrafficPolicies",
            "This traffic policy can't be created because the current account has reached the limit on "
            "the number of traffic policies.");
    char id[37];
    rng_uuid(r->sim, id);
    cJSON *tp = cJSON_CreateObject();
    cJSON_AddStringToObject(tp, "Id", id);
    cJSON_AddStringToObject(tp, "Name", jstr(in, "Name"));
    cJSON_AddNumberToObject(tp, "LatestVersion", 1);
    cJSON *vs = cJSON_AddArrayToObject(tp, "Versions");
    cJSON *v = cJSON_CreateObject();
    cJSON_AddNumberToObject(v, "Version", 1);
    cJSON_AddStringToObject(v, "Type", type);
    cJSON_AddStringToObject(v, "Document", jstr(in, "Document"));
    if (jstr(in, "Comment")) cJSON_AddStringToObject(v, "Comment", jstr(in, "Comment"));
    cJSON_AddItemToArray(vs, v);
    rs_put(r, "tp", id, tp);
    cJSON_AddItemToObject(out, "TrafficPolicy", tp_version_json(tp, v));
    char loc[96];
    snprintf(loc, sizeof loc, "trafficpolicy/%s/1", id);
    r53_location(out, loc);
    cJSON_Delete(tp);
    return 0;
}

R53_OP(CreateTrafficPolicyVersion) {
    cJSON *tp = tp_or_err(r, jstr(in, "Id"), e);
    if (!tp) return -1;
    char type[16];
    if (check_document(jstr(in, "Document"), type, sizeof type, e)) {
        cJSON_Delete(tp);
        return -1;
    }
    int latest = jint(tp, "LatestVersion", 1);
    if (latest >= LIMIT_TRAFFIC_POLICY_VERSIONS) {
        cJSON_Delete(tp);
        return sim_err(
            e, 400, "TooManyTrafficPolicyVersionsForCurrentPolicy",
            "This traffic policy version can't be created because you've reached the limit of 1000 on the "
            "number of versions that you can create for the current traffic policy.");
    }
    cJSON *v = cJSON_CreateObject();
    cJSON_AddNumberToObject(v, "Version", latest + 1);
    cJSON_AddStringToObject(v, "Type", type);
    cJSON_AddStringToObject(v, "Document", jstr(in, "Document"));
    if (jstr(in, "Comment")) cJSON_AddStringToObject(v, "Comment", jstr(in, "Comment"));
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(tp, "Versions"), v);
    cJSON_ReplaceItemInObjectCaseSensitive(tp, "LatestVersion", cJSON_CreateNumber(latest + 1));
    rs_put(r, "tp", jstr(tp, "Id"), tp);
    cJSON_AddItemToObject(out, "TrafficPolicy", tp_version_json(tp, v));
    char loc[96];
    snprintf(loc, sizeof loc, "trafficpolicy/%s/%d", jstr(tp, "Id"), latest + 1);
    r53_location(out, loc);
    cJSON_Delete(tp);
    return 0;
}

static cJSON *tp_version_or_err(req_t *r, const cJSON *in, cJSON **tp_out, sim_error_t *e) {
    cJSON *tp = tp_or_err(r, jstr(in, "Id"), e);
    if (!tp) return NULL;
    cJSON *v = tp_find_version(tp, jint(in, "Version", 0));
    if (!v) {
        sim_err(e, 404, "NoSuchTrafficPolicy",
                "No traffic policy exists with the specified ID and version: %s, %d", jstr(in, "Id"),
                jint(in, "Version", 0));
        cJSON_Delete(tp);
        return NULL;
    }
    *tp_out = tp;
    return v;
}

R53_OP(GetTrafficPolicy) {
    cJSON *tp = NULL, *v = tp_version_or_err(r, in, &tp, e);
    if (!v) return -1;
    cJSON_AddItemToObject(out, "TrafficPolicy", tp_version_json(tp, v));
    cJSON_Delete(tp);
    return 0;
}

R53_OP(UpdateTrafficPolicyComment) {
    cJSON *tp = NULL, *v = tp_version_or_err(r, in, &tp, e);
    if (!v) return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(v, "Comment");
    cJSON_AddStringToObject(v, "Comment", jstr(in, "Comment"));
    rs_put(r, "tp", jstr(tp, "Id"), tp);
    cJSON_AddItemToObject(out, "TrafficPolicy", tp_version_json(tp, v));
    cJSON_Delete(tp);
    return 0;
}

R53_OP(DeleteTrafficPolicy) {
    cJSON *tp = NULL, *v = tp_version_or_err(r, in, &tp, e);
    if (!v) return -1;
    int version = jint(v, "Version", 0);
    /* a version used by a traffic policy instance can't be deleted */
    cJSON *insts = rs_list(r, "tpi"), *it;
    int used = 0;
    cJSON_ArrayForEach(it, insts) used |= !strcmp(jstr(it, "TrafficPolicyId"), jstr(tp, "Id")) &&
                                          jint(it, "TrafficPolicyVersion", 0) == version;
    cJSON_Delete(insts);
    if (used) {
        cJSON_Delete(tp);
        return sim_err(
            e, 400, "TrafficPolicyInUse",
            "One or more traffic policy instances were created by using the specified traffic policy.");
    }
    cJSON *vs = cJSON_GetObjectItemCaseSensitive(tp, "Versions");
    for (int i = 0; i < cJSON_GetArraySize(vs); i++)
        if (jint(cJSON_GetArrayItem(vs, i), "Version", 0) == version) {
            cJSON_DeleteItemFromArray(vs, i);
            break;
        }
    if (cJSON_GetArraySize(vs) == 0)
        rs_del(r, "tp", jstr(tp, "Id"));
    else
        rs_put(r, "tp", jstr(tp, "Id"), tp);
    cJSON_Delete(tp);
    return 0;
}

R53_OP(ListTrafficPolicies) {
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *marker = jstr(in, "TrafficPolicyIdMarker");
    cJSON *all = rs_list(r, "tp"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "TrafficPolicySummaries");
    int started = marker == NULL, n = 0;
    const char *next = NULL;
    cJSON_ArrayForEach(it, all) {
        if (!started && !strcmp(jstr(it, "Id"), marker)) started = 1;
        if (!started) continue;
        if (n == max) {
            next = jstr(it, "Id");
            break;
        }
        cJSON *vs = cJSON_GetObjectItemCaseSensitive(it, "Versions");
        cJSON *last = cJSON_GetArrayItem(vs, cJSON_GetArraySize(vs) - 1);
        cJSON *sum = cJSON_CreateObject();
        cJSON_AddStringToObject(sum, "Id", jstr(it, "Id"));
        cJSON_AddStringToObject(sum, "Name", jstr(it, "Name"));
        cJSON_AddStringToObject(sum, "Type", jstr(last, "Type"));
        cJSON_AddNumberToObject(sum, "LatestVersion", jint(it, "LatestVersion", 1));
        cJSON_AddNumberToObject(sum, "TrafficPolicyCount", cJSON_GetArraySize(vs));
        cJSON_AddItemToArray(list, sum);
        n++;
    }
    cJSON_AddBoolToObject(out, "IsTruncated", next != NULL);
    cJSON_AddStringToObject(out, "TrafficPolicyIdMarker", next ? next : "");
    max_items_str(out, "MaxItems", max);
    cJSON_Delete(all);
    return 0;
}

R53_OP(ListTrafficPolicyVersions) {
    cJSON *tp = tp_or_err(r, jstr(in, "Id"), e);
    if (!tp) return -1;
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *marker = jstr(in, "TrafficPolicyVersionMarker");
    int from = marker ? atoi(marker) : 0;
    cJSON *list = cJSON_AddArrayToObject(out, "TrafficPolicies"), *it;
    int n = 0, next = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(tp, "Versions")) {
        if (jint(it, "Version", 0) < from) continue;
        if (n == max) {
            next = jint(it, "Version", 0);
            break;
        }
        cJSON_AddItemToArray(list, tp_version_json(tp, it));
        n++;
    }
    cJSON_AddBoolToObject(out, "IsTruncated", next != 0);
    char buf[16];
    snprintf(buf, sizeof buf, "%d", next);
    cJSON_AddStringToObject(out, "TrafficPolicyVersionMarker", next ? buf : "");
    max_items_str(out, "MaxItems", max);
    cJSON_Delete(tp);
    return 0;
}

/* ---- traffic policy instances ---- */

static cJSON *tpi_public(sim_t *s, const cJSON *i, int64_t now) {
    int64_t delay = r53_change_delay_ms(s);
    cJSON *o = cJSON_CreateObject();
    static const char *const keys[] = {"Id", "HostedZoneId", "Name", "TrafficPolicyId", "TrafficPolicyType"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        cJSON_AddStringToObject(o, keys[k], jstr(i, keys[k]));
    cJSON_AddNumberToObject(o, "TTL", jnum(i, "TTL", 0));
    cJSON_AddNumberToObject(o, "TrafficPolicyVersion", jint(i, "TrafficPolicyVersion", 1));
    /* Creating/Updating until Route 53 has created the records (the change delay), then Applied */
    const char *st = now < (int64_t)jnum(i, "_changedMs", 0) + delay ? jstr(i, "_pending") : "Applied";
    cJSON_AddStringToObject(o, "State", st ? st : "Applied");
    cJSON_AddStringToObject(o, "Message", "");
    return o;
}

static void tpi_record(sim_t *s, const cJSON *inst, int put) {
    cJSON *rr = cJSON_CreateObject();
    cJSON_AddStringToObject(rr, "Name", jstr(inst, "Name"));
    cJSON_AddStringToObject(rr, "Type", jstr(inst, "TrafficPolicyType"));
    cJSON_AddStringToObject(rr, "TrafficPolicyInstanceId", jstr(inst, "Id"));
    if (put)
        r53_rr_put(s, jstr(inst, "HostedZoneId"), rr);
    else
        r53_rr_del(s, jstr(inst, "HostedZoneId"), jstr(inst, "Name"), jstr(inst, "TrafficPolicyType"), NULL);
    cJSON_Delete(rr);
}

R53_OP(CreateTrafficPolicyInstance) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    char name[R53_NAME_MAX];
    if (r53_norm_name(jstr(in, "Name"), name, sizeof name) != 0 || !r53_in_zone(name, jstr(z, "Name"))) {
        cJSON_Delete(z);
        return sim_err(e, 400, "InvalidInput", "The domain name %s is not in hosted zone %s",
                       jstr(in, "Name"), zid);
    }
    cJSON_Delete(z);
    cJSON *tpin = cJSON_CreateObject();
    cJSON_AddStringToObject(tpin, "Id", jstr(in, "TrafficPolicyId"));
    cJSON_AddNumberToObject(tpin, "Version", jint(in, "TrafficPolicyVersion", 0));
    cJSON *tp = NULL, *v = tp_version_or_err(r, tpin, &tp, e);
    cJSON_Delete(tpin);
    if (!v) return -1;
    char type[16];
    snprintf(type, sizeof type, "%s", jstr(v, "Type"));
    cJSON *all = rs_list(r, "tpi"), *it;
    int n = cJSON_GetArraySize(all), dup = 0;
    cJSON_ArrayForEach(it, all) dup |= !strcmp(jstr(it, "HostedZoneId"), zid) &&
                                       !strcmp(jstr(it, "Name"), name) &&
                                       !strcmp(jstr(it, "TrafficPolicyType"), type);
    cJSON_Delete(all);
    cJSON *existing = r53_rr_named(r->sim, zid, name, type);
    int taken = cJSON_GetArraySize(existing) > 0;
    cJSON_Delete(existing);
    int rc = 0;
    if (dup)
        rc = sim_err(e, 409, "TrafficPolicyInstanceAlreadyExists",
                     "There is already a traffic policy instance with the specified name and type.");
    else if (taken)
        rc = sim_err(e, 400, "InvalidInput", "A resource record set with name %s and type %s already exists.",
                     name, type);
    else if (n >= LIMIT_TRAFFIC_POLICY_INSTANCES)
        rc = sim_err(
            e, 400, "TooManyTrafficPolicyInstances",
            "This traffic policy instance can't be created because the current account has reached the "
            "limit on the number of traffic policy instances.");
    if (rc) {
        cJSON_Delete(tp);
        return rc;
    }
    char id[37];
    rng_uuid(r->sim, id);
    cJSON *inst = cJSON_CreateObject();
    cJSON_AddStringToObject(inst, "Id", id);
    cJSON_AddStringToObject(inst, "HostedZoneId", zid);
    cJSON_AddStringToObject(inst, "Name", name);
    cJSON_AddNumberToObject(inst, "TTL", jnum(in, "TTL", 0));
    cJSON_AddStringToObject(inst, "TrafficPolicyId", jstr(tp, "Id"));
    cJSON_AddNumberToObject(inst, "TrafficPolicyVersion", jint(v, "Version", 1));
    cJSON_AddStringToObject(inst, "TrafficPolicyType", type);
    cJSON_AddStringToObject(inst, "_pending", "Creating");
    cJSON_AddNumberToObject(inst, "_changedMs", (double)clock_now_ms(r->sim));
    rs_put(r, "tpi", id, inst);
    tpi_record(r->sim, inst, 1);
    cJSON_AddItemToObject(out, "TrafficPolicyInstance", tpi_public(r->sim, inst, clock_now_ms(r->sim)));
    char loc[96];
    snprintf(loc, sizeof loc, "trafficpolicyinstance/%s", id);
    r53_location(out, loc);
    cJSON_Delete(inst);
    cJSON_Delete(tp);
    return 0;
}

static cJSON *tpi_or_err(req_t *r, const char *id, sim_error_t *e) {
    cJSON *i = rs_get(r, "tpi", id ? id : "");
    if (!i)
        sim_err(e, 404, "NoSuchTrafficPolicyInstance",
                "No traffic policy instance exists with the specified ID: %s", id ? id : "");
    return i;
}

R53_OP(GetTrafficPolicyInstance) {
    cJSON *i = tpi_or_err(r, jstr(in, "Id"), e);
    if (!i) return -1;
    cJSON_AddItemToObject(out, "TrafficPolicyInstance", tpi_public(r->sim, i, clock_now_ms(r->sim)));
    cJSON_Delete(i);
    return 0;
}

R53_OP(UpdateTrafficPolicyInstance) {
    cJSON *inst = tpi_or_err(r, jstr(in, "Id"), e);
    if (!inst) return -1;
    cJSON *tpin = cJSON_CreateObject();
    cJSON_AddStringToObject(tpin, "Id", jstr(in, "TrafficPolicyId"));
    cJSON_AddNumberToObject(tpin, "Version", jint(in, "TrafficPolicyVersion", 0));
    cJSON *tp = NULL, *v = tp_version_or_err(r, tpin, &tp, e);
    cJSON_Delete(tpin);
    if (!v) {
        cJSON_Delete(inst);
        return -1;
    }
    /* the new version must produce the same DNS type */
    if (strcmp(jstr(v, "Type"), jstr(inst, "TrafficPolicyType")) != 0) {
        cJSON_Delete(inst);
        cJSON_Delete(tp);
        return sim_err(
            e, 400, "ConflictingTypes",
            "You tried to update a traffic policy instance by using a traffic policy version that has a "
            "different DNS type than the current type for the instance.");
    }
    cJSON_ReplaceItemInObjectCaseSensitive(inst, "TTL", cJSON_CreateNumber(jnum(in, "TTL", 0)));
    cJSON_ReplaceItemInObjectCaseSensitive(inst, "TrafficPolicyId", cJSON_CreateString(jstr(tp, "Id")));
    cJSON_ReplaceItemInObjectCaseSensitive(inst, "TrafficPolicyVersion",
                                           cJSON_CreateNumber(jint(v, "Version", 1)));
    cJSON_ReplaceItemInObjectCaseSensitive(inst, "_pending", cJSON_CreateString("Updating"));
    cJSON_ReplaceItemInObjectCaseSensitive(inst, "_changedMs",
                                           cJSON_CreateNumber((double)clock_now_ms(r->sim)));
    rs_put(r, "tpi", jstr(inst, "Id"), inst);
    cJSON_AddItemToObject(out, "TrafficPolicyInstance", tpi_public(r->sim, inst, clock_now_ms(r->sim)));
    cJSON_Delete(inst);
    cJSON_Delete(tp);
    return 0;
}

R53_OP(DeleteTrafficPolicyInstance) {
    cJSON *inst = tpi_or_err(r, jstr(in, "Id"), e);
    if (!inst) return -1;
    tpi_record(r->sim, inst, 0); /* Route 53 deletes the instance's record set */
    rs_del(r, "tpi", jstr(inst, "Id"));
    cJSON_Delete(inst);
    return 0;
}

R53_OP(GetTrafficPolicyInstanceCount) {
    cJSON_AddNumberToObject(out, "TrafficPolicyInstanceCount", rs_count(r, "tpi"));
    return 0;
}

static int cmp_tpi(const void *a, const void *b) {
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int c = strcmp(jstr(x, "HostedZoneId"), jstr(y, "HostedZoneId"));
    if (!c) c = strcmp(jstr(x, "Name"), jstr(y, "Name"));
    if (!c) c = strcmp(jstr(x, "TrafficPolicyType"), jstr(y, "TrafficPolicyType"));
    return c;
}

/* Shared by the three ListTrafficPolicyInstances* operations: filter, order, markers. */
static void list_instances(req_t *r, const cJSON *in, cJSON *out, const char *zone, const char *policy,
                           int version, int with_zone_marker) {
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *mz = jstr(in, "HostedZoneIdMarker"), *mn = jstr(in, "TrafficPolicyInstanceNameMarker");
    const char *mt = jstr(in, "TrafficPolicyInstanceTypeMarker");
    cJSON *all = rs_list(r, "tpi");
    int total = cJSON_GetArraySize(all), k = 0;
    cJSON **arr = calloc((size_t)total + 1, sizeof *arr);
    for (int i = 0; i < total; i++) {
        cJSON *it = cJSON_GetArrayItem(all, i);
        if (zone && strcmp(jstr(it, "HostedZoneId"), zone)) continue;
        if (policy &&
            (strcmp(jstr(it, "TrafficPolicyId"), policy) || jint(it, "TrafficPolicyVersion", 0) != version))
            continue;
        arr[k++] = it;
    }
    qsort(arr, (size_t)k, sizeof *arr, cmp_tpi);
    cJSON *list = cJSON_AddArrayToObject(out, "TrafficPolicyInstances");
    int n = 0;
    const cJSON *next = NULL;
    for (int i = 0; i < k; i++) {
        const cJSON *it = arr[i];
        int c = mz ? strcmp(jstr(it, "HostedZoneId"), r53_bare_id(mz)) : 0;
        if (!c && mn) {
            char nm[R53_NAME_MAX];
            r53_norm_name(mn, nm, sizeof nm);
            c = strcmp(jstr(it, "Name"), nm);
            if (!c && mt) c = strcmp(jstr(it, "TrafficPolicyType"), mt);
        }
        if (c < 0) continue;
        if (n == max) {
            next = it;
            break;
        }
        cJSON_AddItemToArray(list, tpi_public(r->sim, it, clock_now_ms(r->sim)));
        n++;
    }
    cJSON_AddBoolToObject(out, "IsTruncated", next != NULL);
    if (next) {
        if (with_zone_marker) cJSON_AddStringToObject(out, "HostedZoneIdMarker", jstr(next, "HostedZoneId"));
        cJSON_AddStringToObject(out, "TrafficPolicyInstanceNameMarker", jstr(next, "Name"));
        cJSON_AddStringToObject(out, "TrafficPolicyInstanceTypeMarker", jstr(next, "TrafficPolicyType"));
    }
    max_items_str(out, "MaxItems", max);
    free(arr);
    cJSON_Delete(all);
}

R53_OP(ListTrafficPolicyInstances) {
    list_instances(r, in, out, NULL, NULL, 0, 1);
    return 0;
}

R53_OP(ListTrafficPolicyInstancesByHostedZone) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    cJSON_Delete(z);
    list_instances(r, in, out, zid, NULL, 0, 0);
    return 0;
}

R53_OP(ListTrafficPolicyInstancesByPolicy) {
    cJSON *tpin = cJSON_CreateObject();
    cJSON_AddStringToObject(tpin, "Id", jstr(in, "TrafficPolicyId"));
    cJSON_AddNumberToObject(tpin, "Version", jint(in, "TrafficPolicyVersion", 0));
    cJSON *tp = NULL, *v = tp_version_or_err(r, tpin, &tp, e);
    cJSON_Delete(tpin);
    if (!v) return -1;
    list_instances(r, in, out, NULL, jstr(tp, "Id"), jint(v, "Version", 0), 1);
    cJSON_Delete(tp);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* query logging                                                                               */

static cJSON *qlc_public(const cJSON *q) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", jstr(q, "Id"));
    cJSON_AddStringToObject(o, "HostedZoneId", jstr(q, "HostedZoneId"));
    cJSON_AddStringToObject(o, "CloudWatchLogsLogGroupArn", jstr(q, "CloudWatchLogsLogGroupArn"));
    return o;
}

R53_OP(CreateQueryLoggingConfig) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    const char *arn = jstr(in, "CloudWatchLogsLogGroupArn");
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    int priv = jbool(cJSON_GetObjectItemCaseSensitive(z, "Config"), "PrivateZone", 0);
    cJSON_Delete(z);
    if (priv)
        return sim_err(e, 400, "InvalidInput", "Query logging is not supported for private hosted zones.");
    /* the log group must be in us-east-1: arn:aws:logs:us-east-1:ACCOUNT:log-group:NAME[:*] */
    char acct[16];
    int pos = 0;
    if (!arn || sscanf(arn, "arn:aws:logs:us-east-1:%12[0-9]:log-group:%n", acct, &pos) != 1 || pos == 0 ||
        !arn[pos])
        return sim_err(e, 400, "InvalidInput", "The ARN for the CloudWatch Logs log group is invalid");
    cJSON *all = rs_list(r, "qlc"), *it;
    int dup = 0;
    cJSON_ArrayForEach(it, all) dup |= !strcmp(jstr(it, "HostedZoneId"), zid);
    cJSON_Delete(all);
    if (dup)
        return sim_err(e, 409, "QueryLoggingConfigAlreadyExists",
                       "A query logging configuration already exists for this hosted zone");
    char id[37];
    rng_uuid(r->sim, id);
    cJSON *q = cJSON_CreateObject();
    cJSON_AddStringToObject(q, "Id", id);
    cJSON_AddStringToObject(q, "HostedZoneId", zid);
    cJSON_AddStringToObject(q, "CloudWatchLogsLogGroupArn", arn);
    rs_put(r, "qlc", id, q);
    cJSON_AddItemToObject(out, "QueryLoggingConfig", qlc_public(q));
    char loc[96];
    snprintf(loc, sizeof loc, "queryloggingconfig/%s", id);
    r53_location(out, loc);
    cJSON_Delete(q);
    return 0;
}

static cJSON *qlc_or_err(req_t *r, const char *id, sim_error_t *e) {
    cJSON *q = rs_get(r, "qlc", id ? id : "");
    if (!q)
        sim_err(e, 404, "NoSuchQueryLoggingConfig",
                "There is no DNS query logging configuration with the specified ID.");
    return q;
}

R53_OP(GetQueryLoggingConfig) {
    cJSON *q = qlc_or_err(r, jstr(in, "Id"), e);
    if (!q) return -1;
    cJSON_AddItemToObject(out, "QueryLoggingConfig", qlc_public(q));
    cJSON_Delete(q);
    return 0;
}

R53_OP(DeleteQueryLoggingConfig) {
    cJSON *q = qlc_or_err(r, jstr(in, "Id"), e);
    if (!q) return -1;
    rs_del(r, "qlc", jstr(q, "Id"));
    cJSON_Delete(q);
    return 0;
}

R53_OP(ListQueryLoggingConfigs) {
    const char *zid = jstr(in, "HostedZoneId") ? r53_bare_id(jstr(in, "HostedZoneId")) : NULL;
    if (zid) {
        cJSON *z = r53_zone_or_err(r, zid, e);
        if (!z) return -1;
        cJSON_Delete(z);
    }
    int off, max = r53_max_items(in, "MaxResults", 100, 100);
    if (token_offset(in, "NextToken", &off, e)) return -1;
    cJSON *all = rs_list(r, "qlc"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "QueryLoggingConfigs");
    int idx = 0, n = 0, more = 0;
    cJSON_ArrayForEach(it, all) {
        if (zid && strcmp(jstr(it, "HostedZoneId"), zid)) continue;
        if (idx++ < off) continue;
        if (n == max) {
            more = 1;
            break;
        }
        cJSON_AddItemToArray(list, qlc_public(it));
        n++;
    }
    if (more) next_token(out, off + n);
    cJSON_Delete(all);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* DNSSEC                                                                                      */

static int ksk_key_tag(const unsigned char *rdata, size_t n) {
    /* RFC 4034 appendix B */
    unsigned long ac = 0;
    for (size_t i = 0; i < n; i++)
        ac += (i & 1) ? rdata[i] : (unsigned long)rdata[i] << 8;
    ac += (ac >> 16) & 0xffff;
    return (int)(ac & 0xffff);
}

static size_t name_to_wire(const char *name, unsigned char *out, size_t n) {
    size_t o = 0;
    const char *p = name;
    while (*p && *p != '.' && o + 66 < n) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        out[o++] = (unsigned char)len;
        for (size_t i = 0; i < len; i++)
            out[o++] = (unsigned char)tolower((unsigned char)p[i]);
        p = dot ? dot + 1 : p + len;
    }
    out[o++] = 0;
    return o;
}

/* A KSK's DNSKEY/DS material for zone `zname`. */
static void ksk_material(sim_t *s, const char *zname, cJSON *k) {
    unsigned char pub[64], rdata[4 + 64], buf[600];
    for (int i = 0; i < 64; i += 8) {
        uint64_t v = rng_next(s);
        memcpy(pub + i, &v, 8);
    }
    rdata[0] = 0x01; /* flags 257: zone key + secure entry point */
    rdata[1] = 0x01;
    rdata[2] = 3;  /* protocol */
    rdata[3] = 13; /* ECDSAP256SHA256 */
    memcpy(rdata + 4, pub, 64);
    char b64[128];
    EVP_EncodeBlock((unsigned char *)b64, pub, 64);
    int tag = ksk_key_tag(rdata, sizeof rdata);
    size_t wn = name_to_wire(zname, buf, sizeof buf);
    memcpy(buf + wn, rdata, sizeof rdata);
    unsigned char dig[32];
    unsigned int dl = 0;
    EVP_Digest(buf, wn + sizeof rdata, dig, &dl, EVP_sha256(), NULL);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02X", dig[i]);
    char line[256];
    cJSON_AddNumberToObject(k, "Flag", 257);
    cJSON_AddStringToObject(k, "SigningAlgorithmMnemonic", "ECDSAP256SHA256");
    cJSON_AddNumberToObject(k, "SigningAlgorithmType", 13);
    cJSON_AddStringToObject(k, "DigestAlgorithmMnemonic", "SHA-256");
    cJSON_AddNumberToObject(k, "DigestAlgorithmType", 2);
    cJSON_AddNumberToObject(k, "KeyTag", tag);
    cJSON_AddStringToObject(k, "DigestValue", hex);
    cJSON_AddStringToObject(k, "PublicKey", b64);
    snprintf(line, sizeof line, "%d 13 2 %s", tag, hex);
    cJSON_AddStringToObject(k, "DSRecord", line);
    snprintf(line, sizeof line, "257 3 13 %s", b64);
    cJSON_AddStringToObject(k, "DNSKEYRecord", line);
}

static cJSON *ksk_public(const cJSON *k) {
    cJSON *o = jdup(k);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "_key");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "HostedZoneId");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "CallerReference");
    return o;
}

static int kms_arn_valid(const char *arn) {
    /* DNSSEC signing uses an asymmetric customer managed key in us-east-1 */
    char acct[16];
    int pos = 0;
    return arn && sscanf(arn, "arn:aws:kms:us-east-1:%12[0-9]:key/%n", acct, &pos) == 1 && pos > 0 &&
           arn[pos];
}

static cJSON *zone_ksks(req_t *r, const char *zid) {
    cJSON *all = rs_list(r, "ksk"), *out = cJSON_CreateArray(), *it;
    cJSON_ArrayForEach(it, all) if (!strcmp(jstr(it, "HostedZoneId"), zid))
        cJSON_AddItemToArray(out, jdup(it));
    cJSON_Delete(all);
    return out;
}

R53_OP(CreateKeySigningKey) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId")), *name = jstr(in, "Name"),
               *status = jstr(in, "Status");
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    int rc = 0;
    size_t nl = strlen(name);
    int name_ok = nl >= 3 && nl <= 128;
    for (size_t i = 0; i < nl; i++)
        name_ok &= isalnum((unsigned char)name[i]) || name[i] == '_';
    char key[200];
    snprintf(key, sizeof key, "%s|%s", zid, name);
    cJSON *prev = rs_get(r, "ksk", key), *ksks = zone_ksks(r, zid);
    if (jbool(cJSON_GetObjectItemCaseSensitive(z, "Config"), "PrivateZone", 0))
        rc = sim_err(e, 400, "InvalidArgument", "DNSSEC signing is not supported for private hosted zones.");
    else if (!name_ok)
        rc = sim_err(
            e, 400, "InvalidKeySigningKeyName",
            "The key-signing key (KSK) name doesn't match an accepted pattern (3-128 alphanumeric characters "
            "or underscores).");
    else if (strcmp(status, "ACTIVE") && strcmp(status, "INACTIVE"))
        rc = sim_err(e, 400, "InvalidKeySigningKeyStatus",
                     "The key-signing key (KSK) status isn't valid: %s (use ACTIVE or INACTIVE).", status);
    else if (!kms_arn_valid(jstr(in, "KeyManagementServiceArn")))
        rc =
            sim_err(e, 400, "InvalidKMSArn",
                    "The KeyManagementServiceArn that you specified isn't valid to use with DNSSEC signing.");
    else if (prev)
        rc = sim_err(
            e, 409, "KeySigningKeyAlreadyExists",
            "You've already created a key-signing key (KSK) with this name or with the same customer managed "
            "key ARN.");
    else if (cJSON_GetArraySize(ksks) >= LIMIT_KSK_PER_ZONE)
        rc = sim_err(
            e, 400, "TooManyKeySigningKeys",
            "You've reached the limit for the number of key-signing keys (KSKs). Remove at least one KSK, "
            "and then try again.");
    cJSON_Delete(prev);
    cJSON_Delete(ksks);
    if (rc) {
        cJSON_Delete(z);
        return rc;
    }
    double now = (double)clock_now_ms(r->sim) / 1000.0;
    cJSON *k = cJSON_CreateObject();
    cJSON_AddStringToObject(k, "_key", key);
    cJSON_AddStringToObject(k, "HostedZoneId", zid);
    cJSON_AddStringToObject(k, "CallerReference", jstr(in, "CallerReference"));
    cJSON_AddStringToObject(k, "Name", name);
    cJSON_AddStringToObject(k, "KmsArn", jstr(in, "KeyManagementServiceArn"));
    ksk_material(r->sim, jstr(z, "Name"), k);
    cJSON_AddStringToObject(k, "Status", status);
    cJSON_AddNumberToObject(k, "CreatedDate", now);
    cJSON_AddNumberToObject(k, "LastModifiedDate", now);
    rs_put(r, "ksk", key, k);
    cJSON_AddItemToObject(out, "KeySigningKey", ksk_public(k));
    r53_change_info(r, NULL, out, "ChangeInfo");
    char loc[256];
    snprintf(loc, sizeof loc, "keysigningkey/%s/%s", zid, name);
    r53_location(out, loc);
    cJSON_Delete(k);
    cJSON_Delete(z);
    return 0;
}

static cJSON *ksk_or_err(req_t *r, const cJSON *in, cJSON **zone, sim_error_t *e) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return NULL;
    char key[200];
    snprintf(key, sizeof key, "%s|%s", zid, jstr(in, "Name"));
    cJSON *k = rs_get(r, "ksk", key);
    if (!k) {
        cJSON_Delete(z);
        sim_err(e, 404, "NoSuchKeySigningKey", "The specified key-signing key (KSK) doesn't exist.");
        return NULL;
    }
    *zone = z;
    return k;
}

static int ksk_set_status(req_t *r, cJSON *k, const char *status, cJSON *out) {
    cJSON_ReplaceItemInObjectCaseSensitive(k, "Status", cJSON_CreateString(status));
    cJSON_ReplaceItemInObjectCaseSensitive(k, "LastModifiedDate",
                                           cJSON_CreateNumber((double)clock_now_ms(r->sim) / 1000.0));
    rs_put(r, "ksk", jstr(k, "_key"), k);
    r53_change_info(r, NULL, out, "ChangeInfo");
    return 0;
}

static int zone_signing(const cJSON *z) {
    return jstr(z, "_dnssec") && !strcmp(jstr(z, "_dnssec"), "SIGNING");
}

R53_OP(ActivateKeySigningKey) {
    cJSON *z = NULL, *k = ksk_or_err(r, in, &z, e);
    if (!k) return -1;
    ksk_set_status(r, k, "ACTIVE", out);
    cJSON_Delete(k);
    cJSON_Delete(z);
    return 0;
}

R53_OP(DeactivateKeySigningKey) {
    cJSON *z = NULL, *k = ksk_or_err(r, in, &z, e);
    if (!k) return -1;
    /* the last active KSK of a signed zone stays active */
    if (zone_signing(z) && !strcmp(jstr(k, "Status"), "ACTIVE")) {
        cJSON *ksks = zone_ksks(r, r53_bare_id(jstr(z, "Id"))), *it;
        int active = 0;
        cJSON_ArrayForEach(it, ksks) active += !strcmp(jstr(it, "Status"), "ACTIVE");
        cJSON_Delete(ksks);
        if (active <= 1) {
            cJSON_Delete(k);
            cJSON_Delete(z);
            return sim_err(
                e, 400, "KeySigningKeyInUse",
                "The key-signing key (KSK) that you specified can't be deactivated because it's the only "
                "KSK for a currently-enabled DNSSEC. Disable DNSSEC signing, or add or enable another KSK.");
        }
    }
    ksk_set_status(r, k, "INACTIVE", out);
    cJSON_Delete(k);
    cJSON_Delete(z);
    return 0;
}

R53_OP(DeleteKeySigningKey) {
    cJSON *z = NULL, *k = ksk_or_err(r, in, &z, e);
    if (!k) return -1;
    /* only an INACTIVE KSK can be deleted */
    if (strcmp(jstr(k, "Status"), "INACTIVE") != 0) {
        cJSON_Delete(k);
        cJSON_Delete(z);
        return sim_err(
            e, 400, "InvalidKeySigningKeyStatus",
            "The key-signing key (KSK) status isn't valid or another KSK has the status INTERNAL_FAILURE. "
            "Deactivate the KSK before you delete it.");
    }
    rs_del(r, "ksk", jstr(k, "_key"));
    r53_change_info(r, NULL, out, "ChangeInfo");
    cJSON_Delete(k);
    cJSON_Delete(z);
    return 0;
}

R53_OP(EnableHostedZoneDNSSEC) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    cJSON *ksks = zone_ksks(r, zid), *it;
    int active = 0;
    cJSON_ArrayForEach(it, ksks) active += !strcmp(jstr(it, "Status"), "ACTIVE");
    cJSON_Delete(ksks);
    if (!active) {
        cJSON_Delete(z);
        return sim_err(e, 400, "KeySigningKeyWithActiveStatusNotFound",
                       "A key-signing key (KSK) with ACTIVE status wasn't found.");
    }
    cJSON_DeleteItemFromObjectCaseSensitive(z, "_dnssec");
    cJSON_AddStringToObject(z, "_dnssec", "SIGNING");
    rs_put(r, "zone", zid, z);
    r53_change_info(r, NULL, out, "ChangeInfo");
    cJSON_Delete(z);
    return 0;
}

R53_OP(DisableHostedZoneDNSSEC) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    cJSON *ksks = zone_ksks(r, zid);
    int none = !jstr(z, "_dnssec") && cJSON_GetArraySize(ksks) == 0;
    cJSON_Delete(ksks);
    if (none) {
        cJSON_Delete(z);
        return sim_err(e, 400, "DNSSECNotFound", "The hosted zone doesn't have any DNSSEC resources.");
    }
    cJSON_DeleteItemFromObjectCaseSensitive(z, "_dnssec");
    cJSON_AddStringToObject(z, "_dnssec", "NOT_SIGNING");
    rs_put(r, "zone", zid, z);
    r53_change_info(r, NULL, out, "ChangeInfo");
    cJSON_Delete(z);
    return 0;
}

R53_OP(GetDNSSEC) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    cJSON *st = cJSON_AddObjectToObject(out, "Status");
    cJSON_AddStringToObject(st, "ServeSignature", zone_signing(z) ? "SIGNING" : "NOT_SIGNING");
    cJSON *ksks = zone_ksks(r, zid), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "KeySigningKeys");
    cJSON_ArrayForEach(it, ksks) cJSON_AddItemToArray(list, ksk_public(it));
    cJSON_Delete(ksks);
    cJSON_Delete(z);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* CIDR collections                                                                            */

cJSON *r53_cidr_get(sim_t *s, const char *account, const char *id) {
    return id ? rs_get_at(s, R53_SVC, account, R53_SCOPE, "cidr", id) : NULL;
}

static cJSON *cidr_or_err(req_t *r, const char *id, sim_error_t *e) {
    cJSON *c = r53_cidr_get(r->sim, r->account, id);
    if (!c)
        sim_err(e, 404, "NoSuchCidrCollectionException", "The CIDR collection you specified, doesn't exist.");
    return c;
}

static cJSON *cidr_summary(const cJSON *c) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Arn", jstr(c, "Arn"));
    cJSON_AddStringToObject(o, "Id", jstr(c, "Id"));
    cJSON_AddStringToObject(o, "Name", jstr(c, "Name"));
    cJSON_AddNumberToObject(o, "Version", jnum(c, "Version", 1));
    return o;
}

/* Record sets of this account that route with a collection (optionally one location). */
static int cidr_in_use(req_t *r, const char *collection, const char *location) {
    cJSON *zones = rs_list(r, "zone"), *z, *rr;
    int used = 0;
    cJSON_ArrayForEach(z, zones) {
        cJSON *all = r53_rr_all(r->sim, r53_bare_id(jstr(z, "Id")));
        cJSON_ArrayForEach(rr, all) {
            const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(rr, "CidrRoutingConfig");
            if (cfg && !strcmp(jstr(cfg, "CollectionId"), collection) &&
                (!location || !strcmp(jstr(cfg, "LocationName"), location)))
                used = 1;
        }
        cJSON_Delete(all);
    }
    cJSON_Delete(zones);
    return used;
}

static int cidr_valid(const char *c) {
    char net[64];
    int bits = -1;
    if (!c || strlen(c) >= sizeof net) return 0;
    snprintf(net, sizeof net, "%s", c);
    char *slash = strchr(net, '/');
    if (!slash) return 0;
    *slash = 0;
    char *end = NULL;
    bits = (int)strtol(slash + 1, &end, 10);
    if (!end || *end || !slash[1]) return 0;
    unsigned a, b, cc, d;
    char extra;
    if (sscanf(net, "%u.%u.%u.%u%c", &a, &b, &cc, &d, &extra) == 4)
        return a < 256 && b < 256 && cc < 256 && d < 256 && bits >= 0 && bits <= 24;
    return strchr(net, ':') != NULL && bits >= 0 && bits <= 48;
}

R53_OP(CreateCidrCollection) {
    cJSON *all = rs_list(r, "cidr"), *it;
    int n = cJSON_GetArraySize(all), dup = 0;
    cJSON_ArrayForEach(it, all) dup |= !strcmp(jstr(it, "Name"), jstr(in, "Name"));
    cJSON_Delete(all);
    if (dup)
        return sim_err(e, 400, "CidrCollectionAlreadyExistsException",
                       "A CIDR collection with the same name already exists.");
    if (n >= LIMIT_CIDR_COLLECTIONS)
        return sim_err(e, 400, "LimitsExceeded", "Limits Exceeded: MAX_CIDR_COLLECTIONS_BY_OWNER");
    char id[37], arn[128];
    rng_uuid(r->sim, id);
    snprintf(arn, sizeof arn, "arn:aws:route53:::cidrcollection/%s", id);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "Id", id);
    cJSON_AddStringToObject(c, "Arn", arn);
    cJSON_AddStringToObject(c, "Name", jstr(in, "Name"));
    cJSON_AddNumberToObject(c, "Version", 1);
    cJSON_AddStringToObject(c, "CallerReference", jstr(in, "CallerReference"));
    cJSON_AddObjectToObject(c, "Locations");
    rs_put(r, "cidr", id, c);
    cJSON_AddItemToObject(out, "Collection", cidr_summary(c));
    char loc[96];
    snprintf(loc, sizeof loc, "cidrcollection/%s", id);
    r53_location(out, loc);
    cJSON_Delete(c);
    return 0;
}

R53_OP(ChangeCidrCollection) {
    cJSON *c = cidr_or_err(r, jstr(in, "Id"), e);
    if (!c) return -1;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(in, "CollectionVersion");
    int rc = 0;
    if (ver && (long long)ver->valuedouble != (long long)jnum(c, "Version", 1)) {
        cJSON_Delete(c);
        return sim_err(
            e, 409, "CidrCollectionVersionMismatchException",
            "The CIDR collection version you provided, doesn't match the one in the ListCidrCollections "
            "operation.");
    }
    cJSON *locs = cJSON_GetObjectItemCaseSensitive(c, "Locations");
    const cJSON *ch, *blk;
    cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(in, "Changes")) {
        const char *ln = jstr(ch, "LocationName"), *action = jstr(ch, "Action");
        cJSON *loc = cJSON_GetObjectItemCaseSensitive(locs, ln);
        cJSON_ArrayForEach(blk, cJSON_GetObjectItemCaseSensitive(ch, "CidrList")) {
            const char *b = cJSON_IsString(blk) ? blk->valuestring : NULL;
            if (!cidr_valid(b)) {
                rc = sim_err(e, 400, "InvalidInput", "Invalid CIDR block: %s", b ? b : "");
                goto done;
            }
            if (!strcmp(action, "PUT")) {
                if (!loc) loc = cJSON_AddArrayToObject(locs, ln);
                int have = 0;
                const cJSON *x;
                cJSON_ArrayForEach(x, loc) have |= !strcmp(x->valuestring, b);
                if (!have) cJSON_AddItemToArray(loc, cJSON_CreateString(b));
            } else if (loc) {
                for (int i = cJSON_GetArraySize(loc) - 1; i >= 0; i--)
                    if (!strcmp(cJSON_GetArrayItem(loc, i)->valuestring, b))
                        cJSON_DeleteItemFromArray(loc, i);
            }
        }
        if (loc && cJSON_GetArraySize(loc) == 0) {
            /* a location used by CIDR routing records keeps at least one block */
            if (cidr_in_use(r, jstr(c, "Id"), ln)) {
                rc = sim_err(e, 400, "CidrBlockInUseException",
                             "This CIDR block is in use, and isn't available for deletion.");
                goto done;
            }
            cJSON_DeleteItemFromObjectCaseSensitive(locs, ln);
            loc = NULL; /* freed with the location (the limit check below read it: valgrind) */
        }
        if (loc && cJSON_GetArraySize(loc) > LIMIT_CIDR_BLOCKS) {
            rc = sim_err(e, 400, "LimitsExceeded", "Limits Exceeded: MAX_CIDR_BLOCKS_BY_COLLECTION");
            goto done;
        }
    }
    cJSON_ReplaceItemInObjectCaseSensitive(c, "Version", cJSON_CreateNumber(jnum(c, "Version", 1) + 1));
    rs_put(r, "cidr", jstr(c, "Id"), c);
    {
        cJSON *tmp = cJSON_CreateObject();
        r53_change_info(r, NULL, tmp, "ChangeInfo");
        const char *cid = jstr(cJSON_GetObjectItemCaseSensitive(tmp, "ChangeInfo"), "Id");
        cJSON_AddStringToObject(out, "Id", r53_bare_id(cid));
        cJSON_Delete(tmp);
    }
done:
    cJSON_Delete(c);
    return rc;
}

R53_OP(DeleteCidrCollection) {
    cJSON *c = cidr_or_err(r, jstr(in, "Id"), e);
    if (!c) return -1;
    /* a collection must be empty and unused before it can be deleted */
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "Locations")) > 0 ||
        cidr_in_use(r, jstr(c, "Id"), NULL)) {
        cJSON_Delete(c);
        return sim_err(e, 400, "CidrCollectionInUseException",
                       "This CIDR collection is in use, and isn't available for deletion.");
    }
    rs_del(r, "cidr", jstr(c, "Id"));
    cJSON_Delete(c);
    return 0;
}

R53_OP(ListCidrCollections) {
    int off, max = r53_max_items(in, "MaxResults", 100, 100);
    if (token_offset(in, "NextToken", &off, e)) return -1;
    cJSON *all = rs_list(r, "cidr"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "CidrCollections");
    int idx = 0, n = 0, more = 0;
    cJSON_ArrayForEach(it, all) {
        if (idx++ < off) continue;
        if (n == max) {
            more = 1;
            break;
        }
        cJSON_AddItemToArray(list, cidr_summary(it));
        n++;
    }
    if (more) next_token(out, off + n);
    cJSON_Delete(all);
    return 0;
}

R53_OP(ListCidrLocations) {
    cJSON *c = cidr_or_err(r, jstr(in, "CollectionId"), e);
    if (!c) return -1;
    int off, max = r53_max_items(in, "MaxResults", 100, 100);
    if (token_offset(in, "NextToken", &off, e)) {
        cJSON_Delete(c);
        return -1;
    }
    cJSON *list = cJSON_AddArrayToObject(out, "CidrLocations"), *it;
    int idx = 0, n = 0, more = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(c, "Locations")) {
        if (idx++ < off) continue;
        if (n == max) {
            more = 1;
            break;
        }
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "LocationName", it->string);
        cJSON_AddItemToArray(list, l);
        n++;
    }
    if (more) next_token(out, off + n);
    cJSON_Delete(c);
    return 0;
}

R53_OP(ListCidrBlocks) {
    cJSON *c = cidr_or_err(r, jstr(in, "CollectionId"), e);
    if (!c) return -1;
    const char *only = jstr(in, "LocationName");
    cJSON *locs = cJSON_GetObjectItemCaseSensitive(c, "Locations");
    if (only && !cJSON_GetObjectItemCaseSensitive(locs, only)) {
        cJSON_Delete(c);
        return sim_err(e, 404, "NoSuchCidrLocationException",
                       "The CIDR collection location doesn't match any location "
                       "in your account.");
    }
    int off, max = r53_max_items(in, "MaxResults", 100, 100);
    if (token_offset(in, "NextToken", &off, e)) {
        cJSON_Delete(c);
        return -1;
    }
    cJSON *list = cJSON_AddArrayToObject(out, "CidrBlocks"), *loc, *b;
    int idx = 0, n = 0, more = 0;
    cJSON_ArrayForEach(loc, locs) {
        if (only && strcmp(loc->string, only)) continue;
        cJSON_ArrayForEach(b, loc) {
            if (idx++ < off) continue;
            if (n == max) {
                more = 1;
                break;
            }
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "CidrBlock", b->valuestring);
            cJSON_AddStringToObject(o, "LocationName", loc->string);
            cJSON_AddItemToArray(list, o);
            n++;
        }
        if (more) break;
    }
    if (more) next_token(out, off + n);
    cJSON_Delete(c);
    return 0;
}
