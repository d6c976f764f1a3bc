/*
 * route53.c — Route 53 (REST-XML, global): hosted zones, record sets and ChangeResourceRecordSets
 * validation, changes (PENDING -> INSYNC after 60 s of virtual time), VPC associations and their
 * authorizations, reusable delegation sets, limits and tags, plus the operation table.
 * Health checks live in route53_health.c, answers in route53_dns.c, traffic policies, query
 * logging, DNSSEC and CIDR collections in route53_extra.c, geolocations in route53_geo.c.
 * Zone documents are rs_* documents (type "zone"); record sets have their own table r53_rrset
 * so they can be listed in Route 53's order (labels reversed, then type, then SetIdentifier).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "services/route53_int.h"

/* AWS default quotas (GetAccountLimit / GetHostedZoneLimit / GetReusableDelegationSetLimit). */
#define LIMIT_HOSTED_ZONES 500
#define LIMIT_HEALTH_CHECKS 200
#define LIMIT_DELEGATION_SETS 100
#define LIMIT_TRAFFIC_POLICIES 50
#define LIMIT_TRAFFIC_POLICY_INSTANCES 5
#define LIMIT_RRSETS_BY_ZONE 10000
#define LIMIT_VPCS_BY_ZONE 300
#define LIMIT_ZONES_BY_DELEGATION_SET 100
#define LIMIT_VPC_AUTHORIZATIONS 100

/* ------------------------------------------------------------------------------------------ */
/* shared helpers                                                                              */

void r53_new_id(sim_t *s, char prefix, int n, char *out) {
    out[0] = prefix;
    rng_upper_alnum(s, out + 1, n);
}

const char *r53_bare_id(const char *id) {
    static const char *const prefixes[] = {"/hostedzone/", "hostedzone/",     "/change/",
                                           "change/",      "/delegationset/", "delegationset/"};
    if (!id) return "";
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(id, prefixes[i], n) == 0) return id + n;
    }
    return id;
}

static int is_plain_char(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int r53_norm_name(const char *in, char *out, size_t n) {
    size_t o = 0, len = in ? strlen(in) : 0;
    int label = 0, wire = 1;
    if (n < 2) return -1;
    if (len == 0 || strcmp(in, ".") == 0) {
        strcpy(out, ".");
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)in[i];
        if (c == '.') {
            if (label == 0) return -1; /* empty label */
            if (o + 2 > n) return -3;
            out[o++] = '.';
            wire += 1;
            label = 0;
            continue;
        }
        if (c == '\\' && i + 3 < len && isdigit((unsigned char)in[i + 1]) &&
            isdigit((unsigned char)in[i + 2]) && isdigit((unsigned char)in[i + 3])) {
            c = (in[i + 1] - '0') * 64 + (in[i + 2] - '0') * 8 + (in[i + 3] - '0');
            i += 3;
        } else if (c == '\\' && i + 1 < len) {
            c = (unsigned char)in[++i];
        }
        if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
        if (o + 6 > n) return -3;
        if (is_plain_char(c)) {
            out[o++] = (char)c;
        } else {
            o += (size_t)snprintf(out + o, n - o, "\\%03o", c & 0xff);
        }
        label++;
        wire++;
        if (label > 63) return -2;
    }
    if (label > 0) {
        out[o++] = '.';
        wire += 1;
    }
    out[o] = 0;
    if (wire > 255) return -3;
    return 0;
}

void r53_sort_key(const char *norm, char *out, size_t n) {
    /* labels reversed: www.example.com. -> com\x01example\x01www */
    const char *labels[200];
    size_t lens[200];
    int k = 0;
    const char *p = norm;
    while (*p && k < 200) {
        const char *dot = strchr(p, '.');
        if (!dot) dot = p + strlen(p);
        if (dot > p) {
            labels[k] = p;
            lens[k] = (size_t)(dot - p);
            k++;
        }
        p = *dot ? dot + 1 : dot;
    }
    size_t o = 0;
    out[0] = 0;
    for (int i = k - 1; i >= 0; i--) {
        if (o + lens[i] + 2 >= n) break;
        memcpy(out + o, labels[i], lens[i]);
        o += lens[i];
        if (i > 0) out[o++] = '\x01';
        out[o] = 0;
    }
}

int r53_in_zone(const char *norm, const char *zone) {
    size_t a = strlen(norm), b = strlen(zone);
    if (strcmp(zone, ".") == 0) return 1;
    if (a < b || strcmp(norm + a - b, zone) != 0) return 0;
    return a == b || norm[a - b - 1] == '.';
}

int r53_max_items(const cJSON *in, const char *key, int dflt, int max) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, key);
    int n = dflt;
    /* Route 53's MaxItems/MaxResults are strings in the model (validated before handlers run) */
    if (cJSON_IsString(v) && v->valuestring[0]) n = atoi(v->valuestring);
    if (n < 1) n = dflt;
    if (n > max) n = max;
    return n;
}

static void add_max_items(cJSON *out, const char *key, int n) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", n);
    cJSON_AddStringToObject(out, key, buf);
}

int64_t r53_change_delay_ms(sim_t *s) {
    char *v = meta_get(s, "route53.change_delay_ms");
    int64_t d = v ? strtoll(v, NULL, 10) : R53_CHANGE_DELAY_MS;
    free(v);
    return d < 0 ? R53_CHANGE_DELAY_MS : d;
}

int route53_set_change_delay(sim_t *s, int64_t ms) {
    char buf[32];
    if (ms < 0) return -1;
    snprintf(buf, sizeof buf, "%lld", (long long)ms);
    return meta_set(s, "route53.change_delay_ms", buf);
}

static cJSON *change_info_json(sim_t *s, const cJSON *doc, int64_t now_ms) {
    cJSON *ci = cJSON_CreateObject();
    double at = jnum(doc, "SubmittedAtMs", 0);
    cJSON_AddStringToObject(ci, "Id", jstr(doc, "Id"));
    /* a change is PENDING until it has propagated to all Route 53 name servers (60 s here) */
    cJSON_AddStringToObject(ci, "Status",
                            now_ms >= (int64_t)at + r53_change_delay_ms(s) ? "INSYNC" : "PENDING");
    cJSON_AddNumberToObject(ci, "SubmittedAt", at / 1000.0);
    if (jstr(doc, "Comment")) cJSON_AddStringToObject(ci, "Comment", jstr(doc, "Comment"));
    return ci;
}

void r53_change_info(req_t *r, const char *comment, cJSON *out, const char *key) {
    char id[32], full[48];
    r53_new_id(r->sim, 'C', 20, id);
    snprintf(full, sizeof full, "/change/%s", id);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "Id", full);
    cJSON_AddNumberToObject(doc, "SubmittedAtMs", (double)clock_now_ms(r->sim));
    if (comment) cJSON_AddStringToObject(doc, "Comment", comment);
    rs_put(r, "change", id, doc);
    cJSON_AddItemToObject(out, key, change_info_json(r->sim, doc, clock_now_ms(r->sim)));
    cJSON_Delete(doc);
}

void r53_location(cJSON *out, const char *path) {
    char buf[512];
    snprintf(buf, sizeof buf, "https://route53.amazonaws.com/2013-04-01/%s", path);
    cJSON_AddStringToObject(out, "Location", buf);
}

cJSON *r53_zone_get(sim_t *s, const char *account, const char *id) {
    return rs_get_at(s, R53_SVC, account, R53_SCOPE, "zone", r53_bare_id(id));
}

cJSON *r53_zone_or_err(req_t *r, const char *id, sim_error_t *e) {
    cJSON *z = r53_zone_get(r->sim, r->account, id);
    if (!z) sim_err(e, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s", r53_bare_id(id));
    return z;
}

/* ------------------------------------------------------------------------------------------ */
/* record-set table                                                                            */

static int r53_schema(sim_t *s) {
    int rc = db_exec(s, "CREATE TABLE IF NOT EXISTS r53_rrset(zone TEXT NOT NULL, skey TEXT NOT NULL,"
                        " type TEXT NOT NULL, setid TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,"
                        " PRIMARY KEY(zone, skey, type, setid))");
    if (rc) return rc;
    return r53_schema_health(s);
}

static cJSON *rows_to_array(sqlite3_stmt *st) {
    cJSON *arr = cJSON_CreateArray();
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *d = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
        if (d) cJSON_AddItemToArray(arr, d);
    }
    sqlite3_reset(st);
    return arr;
}

cJSON *r53_rr_all(sim_t *s, const char *zone) {
    sqlite3_stmt *st = db_prepare(s, "SELECT doc FROM r53_rrset WHERE zone=?1 ORDER BY skey, type, setid");
    sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
    return rows_to_array(st);
}

cJSON *r53_rr_named(sim_t *s, const char *zone, const char *name, const char *type) {
    /* by (zone, skey): the primary key's prefix, so a lookup never scans the zone */
    char key[R53_NAME_MAX];
    r53_sort_key(name, key, sizeof key);
    sqlite3_stmt *st = db_prepare(s, "SELECT doc FROM r53_rrset WHERE zone=?1 AND skey=?2 AND (?3 IS NULL OR "
                                     "type=?3) ORDER BY type, setid");
    sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    if (type)
        sqlite3_bind_text(st, 3, type, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 3);
    return rows_to_array(st);
}

int r53_rr_count(sim_t *s, const char *zone) {
    sqlite3_stmt *st = db_prepare(s, "SELECT count(*) FROM r53_rrset WHERE zone=?1");
    sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

int r53_rr_put(sim_t *s, const char *zone, const cJSON *rr) {
    char key[R53_NAME_MAX];
    const char *name = jstr(rr, "Name"), *setid = jstr(rr, "SetIdentifier");
    r53_sort_key(name, key, sizeof key);
    char *text = cJSON_PrintUnformatted(rr);
    sqlite3_stmt *st = db_prepare(s, "INSERT OR REPLACE INTO r53_rrset(zone, skey, type, setid, name, doc) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, jstr(rr, "Type"), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, setid ? setid : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, text, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    free(text);
    return rc;
}

int r53_rr_del(sim_t *s, const char *zone, const char *name, const char *type, const char *setid) {
    char key[R53_NAME_MAX];
    r53_sort_key(name, key, sizeof key);
    sqlite3_stmt *st =
        db_prepare(s, "DELETE FROM r53_rrset WHERE zone=?1 AND skey=?2 AND type=?3 AND setid=?4");
    sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, setid ? setid : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

void r53_rr_del_zone(sim_t *s, const char *zone) {
    sqlite3_stmt *st = db_prepare(s, "DELETE FROM r53_rrset WHERE zone=?1");
    sqlite3_bind_text(st, 1, zone, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
}

static cJSON *rr_get(sim_t *s, const char *zone, const char *name, const char *type, const char *setid) {
    cJSON *all = r53_rr_named(s, zone, name, type), *found = NULL, *it;
    cJSON_ArrayForEach(it, all) {
        const char *sid = jstr(it, "SetIdentifier");
        if (strcmp(sid ? sid : "", setid ? setid : "") == 0) {
            found = jdup(it);
            break;
        }
    }
    cJSON_Delete(all);
    return found;
}

/* ------------------------------------------------------------------------------------------ */
/* hosted zones                                                                                */

static const char *const NS_TLDS[4] = {"com", "net", "org", "co.uk"};

/* Four Route 53 name servers, one per TLD: ns-N.awsdns-XX.tld with N in the TLD's block of 512. */
static cJSON *new_name_servers(sim_t *s, int private_zone) {
    cJSON *ns = cJSON_CreateArray();
    for (int i = 0; i < 4; i++) {
        int k = private_zone ? 0 : (int)(rng_next(s) % 512);
        char buf[64];
        snprintf(buf, sizeof buf, "ns-%d.awsdns-%02d.%s", i * 512 + k, k / 8, NS_TLDS[i]);
        cJSON_AddItemToArray(ns, cJSON_CreateString(buf));
    }
    return ns;
}

/* The zone as AWS shows it (internal "_" members dropped, record count filled in). */
static cJSON *zone_public(sim_t *s, const cJSON *z) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", jstr(z, "Id"));
    cJSON_AddStringToObject(o, "Name", jstr(z, "Name"));
    cJSON_AddStringToObject(o, "CallerReference", jstr(z, "CallerReference"));
    cJSON *cfg = cJSON_AddObjectToObject(o, "Config");
    const cJSON *zc = cJSON_GetObjectItemCaseSensitive(z, "Config");
    if (jstr(zc, "Comment")) cJSON_AddStringToObject(cfg, "Comment", jstr(zc, "Comment"));
    cJSON_AddBoolToObject(cfg, "PrivateZone", jbool(zc, "PrivateZone", 0));
    cJSON_AddNumberToObject(o, "ResourceRecordSetCount", r53_rr_count(s, r53_bare_id(jstr(z, "Id"))));
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(z, "Features");
    if (f) cJSON_AddItemToObject(o, "Features", jdup(f));
    return o;
}

static cJSON *delegation_set_json(const cJSON *z) {
    cJSON *d = cJSON_CreateObject();
    const char *dsid = jstr(z, "_dset");
    if (dsid) {
        char buf[64];
        snprintf(buf, sizeof buf, "/delegationset/%s", dsid);
        cJSON_AddStringToObject(d, "Id", buf);
    }
    cJSON_AddItemToObject(d, "NameServers", jdup(cJSON_GetObjectItemCaseSensitive(z, "_ns")));
    return d;
}

static int vpc_id_valid(const char *v) {
    if (!v || strncmp(v, "vpc-", 4) != 0) return 0;
    size_t n = strlen(v + 4);
    if (n != 8 && n != 17) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)v[4 + i])) return 0;
    return 1;
}

static int check_vpc(const cJSON *vpc, sim_error_t *e) {
    if (!vpc_id_valid(jstr(vpc, "VPCId")))
        return sim_err(e, 400, "InvalidVPCId", "Invalid or missing VPC Id.");
    if (!jstr(vpc, "VPCRegion"))
        return sim_err(e, 400, "InvalidInput", "Invalid request: Missing field 'VPCRegion'");
    return 0;
}

static int vpc_equal(const cJSON *a, const cJSON *b) {
    return strcmp(jstr(a, "VPCId"), jstr(b, "VPCId")) == 0 &&
           strcmp(jstr(a, "VPCRegion"), jstr(b, "VPCRegion")) == 0;
}

static int zone_has_vpc(const cJSON *z, const cJSON *vpc) {
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(z, "_vpcs")) if (vpc_equal(it, vpc)) return 1;
    return 0;
}

/* A private zone with the same name already associated with this VPC (any account)? */
static int vpc_name_conflict(sim_t *s, const char *name, const cJSON *vpc, const char *skip_id, char *zid,
                             size_t n) {
    cJSON *all = rs_list_all(s, R53_SVC, "zone"), *it;
    int found = 0;
    cJSON_ArrayForEach(it, all) {
        const cJSON *z = cJSON_GetObjectItemCaseSensitive(it, "doc");
        if (skip_id && strcmp(r53_bare_id(jstr(z, "Id")), skip_id) == 0) continue;
        if (strcmp(jstr(z, "Name"), name) == 0 && zone_has_vpc(z, vpc)) {
            snprintf(zid, n, "%s", r53_bare_id(jstr(z, "Id")));
            found = 1;
            break;
        }
    }
    cJSON_Delete(all);
    return found;
}

static void put_zone(req_t *r, const cJSON *z) {
    rs_put(r, "zone", r53_bare_id(jstr(z, "Id")), z);
}

static void add_apex_records(sim_t *s, const char *zid, const char *name, const cJSON *ns) {
    cJSON *nsrr = cJSON_CreateObject();
    cJSON_AddStringToObject(nsrr, "Name", name);
    cJSON_AddStringToObject(nsrr, "Type", "NS");
    cJSON_AddNumberToObject(nsrr, "TTL", 172800);
    cJSON *vals = cJSON_AddArrayToObject(nsrr, "ResourceRecords");
    const cJSON *it;
    cJSON_ArrayForEach(it, ns) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s.", it->valuestring);
        cJSON *v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "Value", buf);
        cJSON_AddItemToArray(vals, v);
    }
    r53_rr_put(s, zid, nsrr);
    cJSON_Delete(nsrr);

    char soa[256];
    snprintf(soa, sizeof soa, "%s. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400",
             cJSON_GetArrayItem(ns, 0)->valuestring);
    cJSON *soarr = cJSON_CreateObject();
    cJSON_AddStringToObject(soarr, "Name", name);
    cJSON_AddStringToObject(soarr, "Type", "SOA");
    cJSON_AddNumberToObject(soarr, "TTL", 900);
    cJSON *sv = cJSON_AddArrayToObject(soarr, "ResourceRecords");
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "Value", soa);
    cJSON_AddItemToArray(sv, v);
    r53_rr_put(s, zid, soarr);
    cJSON_Delete(soarr);
}

static int count_zones_with_dset(req_t *r, const char *dsid) {
    cJSON *zones = rs_list(r, "zone"), *it;
    int n = 0;
    cJSON_ArrayForEach(it, zones) if (jstr(it, "_dset") && strcmp(jstr(it, "_dset"), dsid) == 0) n++;
    cJSON_Delete(zones);
    return n;
}

static R53_OP(CreateHostedZone) {
    char name[R53_NAME_MAX];
    const char *ref = jstr(in, "CallerReference");
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(in, "HostedZoneConfig");
    const cJSON *vpc = cJSON_GetObjectItemCaseSensitive(in, "VPC");
    int private_zone = jbool(cfg, "PrivateZone", 0) || vpc != NULL;
    const char *dsid = jstr(in, "DelegationSetId") ? r53_bare_id(jstr(in, "DelegationSetId")) : NULL;

    if (r53_norm_name(jstr(in, "Name"), name, sizeof name) != 0 || strcmp(name, ".") == 0)
        return sim_err(e, 400, "InvalidDomainName", "%s is not a valid domain name.", jstr(in, "Name"));
    /* Route 53 refuses public zones for top-level domains */
    if (!private_zone && strchr(name, '.') == name + strlen(name) - 1)
        return sim_err(e, 400, "InvalidDomainName", "%s is reserved by AWS!", name);
    /* CallerReference must be unique across all zones ever created by the account */
    cJSON *prev = rs_get(r, "zoneref", ref);
    if (prev) {
        cJSON_Delete(prev);
        return sim_err(e, 409, "HostedZoneAlreadyExists",
                       "A hosted zone has already been created with the specified caller reference.");
    }
    if (private_zone) {
        if (!vpc)
            return sim_err(
                e, 400, "InvalidInput",
                "When you're creating a private hosted zone (when you specify true for PrivateZone), "
                "you must also specify values for VPCId and VPCRegion.");
        if (check_vpc(vpc, e)) return -1;
        if (dsid) return sim_err(e, 400, "InvalidInput", "A private hosted zone can't use a delegation set.");
        char other[64];
        if (vpc_name_conflict(r->sim, name, vpc, NULL, other, sizeof other))
            return sim_err(e, 400, "ConflictingDomainExists",
                           "The VPC %s in %s region has already been associated with the hosted zone %s with "
                           "the same domain name.",
                           jstr(vpc, "VPCId"), jstr(vpc, "VPCRegion"), other);
    }
    if (rs_count(r, "zone") >= LIMIT_HOSTED_ZONES)
        return sim_err(e, 400, "TooManyHostedZones",
                       "This operation would exceed the maximum number of hosted zones for this account.");
    cJSON *dset = NULL;
    if (dsid) {
        dset = rs_get(r, "dset", dsid);
        if (!dset)
            return sim_err(e, 400, "NoSuchDelegationSet", "Delegation set with id %s does not exist.", dsid);
        /* two zones with overlapping names cannot share one delegation set */
        cJSON *zones = rs_list(r, "zone"), *it;
        int conflict = 0;
        cJSON_ArrayForEach(it, zones) {
            const char *zn = jstr(it, "Name");
            if (jstr(it, "_dset") && strcmp(jstr(it, "_dset"), dsid) == 0 &&
                (r53_in_zone(name, zn) || r53_in_zone(zn, name)))
                conflict = 1;
        }
        cJSON_Delete(zones);
        if (conflict) {
            cJSON_Delete(dset);
            return sim_err(
                e, 400, "ConflictingDomainExists",
                "Cannot create hosted zone with DelegationSetId DelegationSetId:%s as the DNSName %s "
                "conflicts with existing ones sharing the delegation set",
                dsid, name);
        }
        if (count_zones_with_dset(r, dsid) >= LIMIT_ZONES_BY_DELEGATION_SET) {
            cJSON_Delete(dset);
            return sim_err(e, 400, "DelegationSetNotAvailable",
                           "The delegation set has reached its limit of hosted zones.");
        }
    }

    char zid[32], full[48];
    r53_new_id(r->sim, 'Z', 20, zid);
    snprintf(full, sizeof full, "/hostedzone/%s", zid);
    cJSON *z = cJSON_CreateObject();
    cJSON_AddStringToObject(z, "Id", full);
    cJSON_AddStringToObject(z, "Name", name);
    cJSON_AddStringToObject(z, "CallerReference", ref);
    cJSON *zc = cJSON_AddObjectToObject(z, "Config");
    if (jstr(cfg, "Comment")) cJSON_AddStringToObject(zc, "Comment", jstr(cfg, "Comment"));
    cJSON_AddBoolToObject(zc, "PrivateZone", private_zone);
    cJSON *ns = dset ? jdup(cJSON_GetObjectItemCaseSensitive(dset, "NameServers"))
                     : new_name_servers(r->sim, private_zone);
    cJSON_AddItemToObject(z, "_ns", ns);
    if (dsid) cJSON_AddStringToObject(z, "_dset", dsid);
    cJSON *vpcs = cJSON_AddArrayToObject(z, "_vpcs");
    if (vpc) cJSON_AddItemToArray(vpcs, jdup(vpc));
    cJSON_AddNumberToObject(z, "_created", (double)clock_now_ms(r->sim));
    put_zone(r, z);
    cJSON *refdoc = cJSON_CreateObject();
    cJSON_AddStringToObject(refdoc, "ZoneId", zid);
    rs_put(r, "zoneref", ref, refdoc);
    cJSON_Delete(refdoc);
    add_apex_records(r->sim, zid, name, ns);

    cJSON_AddItemToObject(out, "HostedZone", zone_public(r->sim, z));
    r53_change_info(r, NULL, out, "ChangeInfo");
    cJSON_AddItemToObject(out, "DelegationSet", delegation_set_json(z));
    if (vpc) cJSON_AddItemToObject(out, "VPC", jdup(vpc));
    char loc[64];
    snprintf(loc, sizeof loc, "hostedzone/%s", zid);
    r53_location(out, loc);
    cJSON_Delete(z);
    cJSON_Delete(dset);
    return 0;
}

static R53_OP(GetHostedZone) {
    cJSON *z = r53_zone_or_err(r, jstr(in, "Id"), e);
    if (!z) return -1;
    cJSON_AddItemToObject(out, "HostedZone", zone_public(r->sim, z));
    const cJSON *vpcs = cJSON_GetObjectItemCaseSensitive(z, "_vpcs");
    if (jbool(cJSON_GetObjectItemCaseSensitive(z, "Config"), "PrivateZone", 0))
        cJSON_AddItemToObject(out, "VPCs", jdup(vpcs));
    else
        cJSON_AddItemToObject(out, "DelegationSet", delegation_set_json(z));
    cJSON_Delete(z);
    return 0;
}

static R53_OP(GetHostedZoneCount) {
    cJSON_AddNumberToObject(out, "HostedZoneCount", rs_count(r, "zone"));
    return 0;
}

/* Delete every document of `type` whose member `key` equals value. */
static void delete_docs_where(req_t *r, const char *type, const char *key, const char *value,
                              const char *id_key) {
    cJSON *all = rs_list(r, type), *it;
    cJSON_ArrayForEach(it, all) {
        const char *v = jstr(it, key);
        if (v && strcmp(r53_bare_id(v), value) == 0) rs_del(r, type, jstr(it, id_key));
    }
    cJSON_Delete(all);
}

static R53_OP(DeleteHostedZone) {
    const char *zid = r53_bare_id(jstr(in, "Id"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    /* only the apex SOA and NS records may remain */
    cJSON *all = r53_rr_all(r->sim, zid), *it;
    int extra = 0;
    cJSON_ArrayForEach(it, all) {
        const char *t = jstr(it, "Type");
        if (!(strcmp(jstr(it, "Name"), jstr(z, "Name")) == 0 && (!strcmp(t, "SOA") || !strcmp(t, "NS")) &&
              !jstr(it, "SetIdentifier")))
            extra = 1;
    }
    cJSON_Delete(all);
    if (extra) {
        cJSON_Delete(z);
        return sim_err(
            e, 400, "HostedZoneNotEmpty",
            "The specified hosted zone contains non-required resource record sets and so cannot be "
            "deleted.");
    }
    const char *dnssec = jstr(z, "_dnssec");
    if (dnssec && strcmp(dnssec, "SIGNING") == 0) {
        cJSON_Delete(z);
        return sim_err(
            e, 400, "InvalidInput",
            "The hosted zone has DNSSEC signing enabled. Disable DNSSEC signing before deleting it.");
    }
    r53_rr_del_zone(r->sim, zid);
    rs_del(r, "zone", zid);
    char tagid[64];
    snprintf(tagid, sizeof tagid, "hostedzone:%s", zid);
    rs_del(r, "tags", tagid);
    delete_docs_where(r, "qlc", "HostedZoneId", zid, "Id");
    delete_docs_where(r, "ksk", "HostedZoneId", zid, "_key");
    delete_docs_where(r, "vpcauth", "HostedZoneId", zid, "_key");
    r53_change_info(r, NULL, out, "ChangeInfo");
    cJSON_Delete(z);
    return 0;
}

static R53_OP(UpdateHostedZoneComment) {
    cJSON *z = r53_zone_or_err(r, jstr(in, "Id"), e);
    if (!z) return -1;
    cJSON *cfg = cJSON_GetObjectItemCaseSensitive(z, "Config");
    cJSON_DeleteItemFromObjectCaseSensitive(cfg, "Comment");
    /* an omitted Comment removes the existing one */
    if (jstr(in, "Comment")) cJSON_AddStringToObject(cfg, "Comment", jstr(in, "Comment"));
    put_zone(r, z);
    cJSON_AddItemToObject(out, "HostedZone", zone_public(r->sim, z));
    cJSON_Delete(z);
    return 0;
}

static R53_OP(UpdateHostedZoneFeatures) {
    cJSON *z = r53_zone_or_err(r, jstr(in, "HostedZoneId"), e);
    if (!z) return -1;
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(in, "EnableAcceleratedRecovery");
    if (en) {
        cJSON_DeleteItemFromObjectCaseSensitive(z, "Features");
        cJSON *f = cJSON_AddObjectToObject(z, "Features");
        cJSON_AddStringToObject(f, "AcceleratedRecoveryStatus", cJSON_IsTrue(en) ? "ENABLED" : "DISABLED");
        put_zone(r, z);
    }
    cJSON_Delete(z);
    return 0;
}

/* Zones sorted like ListHostedZonesByName: name with labels reversed, then id. */
static int cmp_zone_by_name(const void *a, const void *b) {
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    char kx[R53_NAME_MAX], ky[R53_NAME_MAX];
    r53_sort_key(jstr(x, "Name"), kx, sizeof kx);
    r53_sort_key(jstr(y, "Name"), ky, sizeof ky);
    int c = strcmp(kx, ky);
    return c ? c : strcmp(jstr(x, "Id"), jstr(y, "Id"));
}

static R53_OP(ListHostedZones) {
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *marker = jstr(in, "Marker");
    const char *dsid = jstr(in, "DelegationSetId") ? r53_bare_id(jstr(in, "DelegationSetId")) : NULL;
    const char *ztype = jstr(in, "HostedZoneType");
    if (dsid) {
        cJSON *d = rs_get(r, "dset", dsid);
        if (!d)
            return sim_err(e, 400, "NoSuchDelegationSet", "Delegation set with id %s does not exist.", dsid);
        cJSON_Delete(d);
    }
    cJSON *zones = rs_list(r, "zone"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "HostedZones");
    int started = marker == NULL, n = 0;
    const char *next = NULL;
    cJSON_ArrayForEach(it, zones) {
        const char *zid = r53_bare_id(jstr(it, "Id"));
        if (!started && strcmp(zid, r53_bare_id(marker)) == 0) started = 1;
        if (!started) continue;
        if (dsid && (!jstr(it, "_dset") || strcmp(jstr(it, "_dset"), dsid) != 0)) continue;
        if (ztype && !jbool(cJSON_GetObjectItemCaseSensitive(it, "Config"), "PrivateZone", 0)) continue;
        if (n == max) {
            next = zid;
            break;
        }
        cJSON_AddItemToArray(list, zone_public(r->sim, it));
        n++;
    }
    cJSON_AddStringToObject(out, "Marker", marker ? marker : "");
    cJSON_AddBoolToObject(out, "IsTruncated", next != NULL);
    if (next) cJSON_AddStringToObject(out, "NextMarker", next);
    add_max_items(out, "MaxItems", max);
    cJSON_Delete(zones);
    return 0;
}

static R53_OP(ListHostedZonesByName) {
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *dns = jstr(in, "DNSName"), *hzid = jstr(in, "HostedZoneId");
    char start[R53_NAME_MAX] = "", skey[R53_NAME_MAX] = "";
    if (hzid && !dns)
        return sim_err(e, 400, "InvalidInput", "If you specify HostedZoneId, you must also specify DNSName.");
    if (dns) {
        if (r53_norm_name(dns, start, sizeof start) != 0)
            return sim_err(e, 400, "InvalidDomainName", "%s is not a valid domain name.", dns);
        r53_sort_key(start, skey, sizeof skey);
    }
    cJSON *zones = rs_list(r, "zone");
    int nz = cJSON_GetArraySize(zones);
    cJSON **arr = calloc((size_t)nz + 1, sizeof *arr);
    for (int i = 0; i < nz; i++)
        arr[i] = cJSON_GetArrayItem(zones, i);
    qsort(arr, (size_t)nz, sizeof *arr, cmp_zone_by_name);
    cJSON *list = cJSON_AddArrayToObject(out, "HostedZones");
    int n = 0;
    const cJSON *next = NULL;
    char full[64] = "";
    if (hzid) snprintf(full, sizeof full, "/hostedzone/%s", r53_bare_id(hzid));
    for (int i = 0; i < nz; i++) {
        char k[R53_NAME_MAX];
        r53_sort_key(jstr(arr[i], "Name"), k, sizeof k);
        int c = dns ? strcmp(k, skey) : 1;
        if (c < 0) continue;
        if (c == 0 && hzid && strcmp(jstr(arr[i], "Id"), full) < 0) continue;
        if (n == max) {
            next = arr[i];
            break;
        }
        cJSON_AddItemToArray(list, zone_public(r->sim, arr[i]));
        n++;
    }
    if (dns) cJSON_AddStringToObject(out, "DNSName", start);
    if (hzid) cJSON_AddStringToObject(out, "HostedZoneId", r53_bare_id(hzid));
    cJSON_AddBoolToObject(out, "IsTruncated", next != NULL);
    if (next) {
        cJSON_AddStringToObject(out, "NextDNSName", jstr(next, "Name"));
        cJSON_AddStringToObject(out, "NextHostedZoneId", r53_bare_id(jstr(next, "Id")));
    }
    add_max_items(out, "MaxItems", max);
    free(arr);
    cJSON_Delete(zones);
    return 0;
}

static R53_OP(ListHostedZonesByVPC) {
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *token = jstr(in, "NextToken");
    cJSON *vpc = cJSON_CreateObject();
    cJSON_AddStringToObject(vpc, "VPCId", jstr(in, "VPCId"));
    cJSON_AddStringToObject(vpc, "VPCRegion", jstr(in, "VPCRegion"));
    if (!vpc_id_valid(jstr(in, "VPCId"))) { /* the operation's errors have no InvalidVPCId */
        cJSON_Delete(vpc);
        return sim_err(e, 400, "InvalidInput", "Invalid request: %s is not a valid VPC id",
                       jstr(in, "VPCId"));
    }
    int skip = 0;
    if (token) {
        char *end = NULL;
        long v = strtol(token, &end, 10);
        if (!end || *end || v < 0) {
            cJSON_Delete(vpc);
            return sim_err(e, 400, "InvalidPaginationToken",
                           "The value that you specified for NextToken in a "
                           "List request isn't valid.");
        }
        skip = (int)v;
    }
    cJSON *all = rs_list_all(r->sim, R53_SVC, "zone"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "HostedZoneSummaries");
    int idx = 0, n = 0, more = 0;
    cJSON_ArrayForEach(it, all) {
        const cJSON *z = cJSON_GetObjectItemCaseSensitive(it, "doc");
        if (!zone_has_vpc(z, vpc)) continue;
        if (idx++ < skip) continue;
        if (n == max) {
            more = 1;
            break;
        }
        cJSON *sum = cJSON_CreateObject();
        cJSON_AddStringToObject(sum, "HostedZoneId", r53_bare_id(jstr(z, "Id")));
        cJSON_AddStringToObject(sum, "Name", jstr(z, "Name"));
        cJSON *own = cJSON_AddObjectToObject(sum, "Owner");
        cJSON_AddStringToObject(own, "OwningAccount", jstr(it, "account"));
        cJSON_AddItemToArray(list, sum);
        n++;
    }
    add_max_items(out, "MaxItems", max);
    if (more) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", skip + n);
        cJSON_AddStringToObject(out, "NextToken", buf);
    }
    cJSON_Delete(all);
    cJSON_Delete(vpc);
    return 0;
}

/* The zone for a VPC association call: the caller's own, or another account's that authorized the
 * VPC (CreateVPCAssociationAuthorization). Sets *owner to the owning account. */
static cJSON *zone_for_vpc_call(req_t *r, const char *zid, const cJSON *vpc, char *owner, size_t n,
                                sim_error_t *e) {
    cJSON *z = r53_zone_get(r->sim, r->account, zid);
    if (z) {
        snprintf(owner, n, "%s", r->account);
        return z;
    }
    cJSON *all = rs_list_all(r->sim, R53_SVC, "zone"), *it;
    cJSON_ArrayForEach(it, all) {
        if (strcmp(jstr(it, "id"), zid) == 0) {
            z = jdup(cJSON_GetObjectItemCaseSensitive(it, "doc"));
            snprintf(owner, n, "%s", jstr(it, "account"));
            break;
        }
    }
    cJSON_Delete(all);
    if (!z) {
        sim_err(e, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s", zid);
        return NULL;
    }
    char key[1200];
    snprintf(key, sizeof key, "%s|%s|%s", zid, jstr(vpc, "VPCId"), jstr(vpc, "VPCRegion"));
    cJSON *auth = rs_get_at(r->sim, R53_SVC, owner, R53_SCOPE, "vpcauth", key);
    if (!auth) {
        cJSON_Delete(z);
        sim_err(e, 401, "NotAuthorizedException",
                "The VPC: %s in region: %s is not authorized to be associated with hosted zone: %s",
                jstr(vpc, "VPCId"), jstr(vpc, "VPCRegion"), zid);
        return NULL;
    }
    cJSON_Delete(auth);
    return z;
}

static R53_OP(AssociateVPCWithHostedZone) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    const cJSON *vpc = cJSON_GetObjectItemCaseSensitive(in, "VPC");
    char owner[32];
    if (check_vpc(vpc, e)) return -1;
    cJSON *z = zone_for_vpc_call(r, zid, vpc, owner, sizeof owner, e);
    if (!z) return -1;
    if (!jbool(cJSON_GetObjectItemCaseSensitive(z, "Config"), "PrivateZone", 0)) {
        cJSON_Delete(z);
        return sim_err(e, 400, "PublicZoneVPCAssociation",
                       "You're trying to associate a VPC with a public hosted zone. Amazon Route 53 doesn't "
                       "support associating a VPC with a public hosted zone.");
    }
    char other[64];
    int mine = zone_has_vpc(z, vpc);
    if (mine || vpc_name_conflict(r->sim, jstr(z, "Name"), vpc, zid, other, sizeof other)) {
        cJSON_Delete(z);
        return sim_err(
            e, 400, "ConflictingDomainExists",
            "The VPC %s in %s region has already been associated with the hosted zone %s with the same "
            "domain name.",
            jstr(vpc, "VPCId"), jstr(vpc, "VPCRegion"), mine ? zid : other);
    }
    cJSON *vpcs = cJSON_GetObjectItemCaseSensitive(z, "_vpcs");
    if (cJSON_GetArraySize(vpcs) >= LIMIT_VPCS_BY_ZONE) {
        cJSON_Delete(z);
        return sim_err(e, 400, "LimitsExceeded", "Limits Exceeded: MAX_VPCS_ASSOCIATED_BY_ZONE");
    }
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "VPCId", jstr(vpc, "VPCId"));
    cJSON_AddStringToObject(v, "VPCRegion", jstr(vpc, "VPCRegion"));
    cJSON_AddItemToArray(vpcs, v);
    rs_put_at(r->sim, R53_SVC, owner, R53_SCOPE, "zone", zid, z);
    r53_change_info(r, jstr(in, "Comment"), out, "ChangeInfo");
    cJSON_Delete(z);
    return 0;
}

static R53_OP(DisassociateVPCFromHostedZone) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    const cJSON *vpc = cJSON_GetObjectItemCaseSensitive(in, "VPC");
    if (check_vpc(vpc, e)) return -1;
    char owner[32] = "";
    cJSON *z = r53_zone_get(r->sim, r->account, zid);
    if (z)
        snprintf(owner, sizeof owner, "%s", r->account);
    else {
        /* the VPC owner may disassociate its VPC from another account's zone */
        cJSON *all = rs_list_all(r->sim, R53_SVC, "zone"), *it;
        cJSON_ArrayForEach(it, all) {
            if (strcmp(jstr(it, "id"), zid) == 0) {
                z = jdup(cJSON_GetObjectItemCaseSensitive(it, "doc"));
                snprintf(owner, sizeof owner, "%s", jstr(it, "account"));
            }
        }
        cJSON_Delete(all);
        if (!z) return sim_err(e, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s", zid);
    }
    if (!zone_has_vpc(z, vpc)) {
        cJSON_Delete(z);
        return sim_err(e, 404, "VPCAssociationNotFound",
                       "The specified VPC %s and hosted zone %s are not currently associated.",
                       jstr(vpc, "VPCId"), zid);
    }
    cJSON *vpcs = cJSON_GetObjectItemCaseSensitive(z, "_vpcs");
    if (cJSON_GetArraySize(vpcs) <= 1) {
        cJSON_Delete(z);
        return sim_err(
            e, 400, "LastVPCAssociation",
            "The VPC that you're trying to disassociate from the private hosted zone is the last VPC "
            "that is associated with the hosted zone. Amazon Route 53 doesn't support disassociating "
            "the last VPC from a hosted zone.");
    }
    for (int i = 0; i < cJSON_GetArraySize(vpcs); i++)
        if (vpc_equal(cJSON_GetArrayItem(vpcs, i), vpc)) {
            cJSON_DeleteItemFromArray(vpcs, i);
            break;
        }
    rs_put_at(r->sim, R53_SVC, owner, R53_SCOPE, "zone", zid, z);
    r53_change_info(r, jstr(in, "Comment"), out, "ChangeInfo");
    cJSON_Delete(z);
    return 0;
}

/* The key of the authorization for (zone, VPC); the zone must exist and the VPC be well formed. */
static int vpcauth_key(req_t *r, const char *zid, const cJSON *vpc, char *key, size_t n, sim_error_t *e) {
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    cJSON_Delete(z);
    if (check_vpc(vpc, e)) return -1;
    snprintf(key, n, "%s|%s|%s", zid, jstr(vpc, "VPCId"), jstr(vpc, "VPCRegion"));
    return 0;
}

static R53_OP(CreateVPCAssociationAuthorization) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    const cJSON *vpc = cJSON_GetObjectItemCaseSensitive(in, "VPC");
    char key[1200];
    if (vpcauth_key(r, zid, vpc, key, sizeof key, e)) return -1;
    cJSON *all = rs_list(r, "vpcauth"), *it;
    int n = 0;
    cJSON_ArrayForEach(it, all) if (strcmp(jstr(it, "HostedZoneId"), zid) == 0) n++;
    cJSON_Delete(all);
    cJSON *prev = rs_get(r, "vpcauth", key);
    if (!prev && n >= LIMIT_VPC_AUTHORIZATIONS) {
        return sim_err(e, 400, "TooManyVPCAssociationAuthorizations",
                       "You've created the maximum number of authorizations that can be created for the "
                       "specified hosted zone.");
    }
    cJSON_Delete(prev);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "_key", key);
    cJSON_AddStringToObject(doc, "HostedZoneId", zid);
    cJSON_AddStringToObject(doc, "VPCId", jstr(vpc, "VPCId"));
    cJSON_AddStringToObject(doc, "VPCRegion", jstr(vpc, "VPCRegion"));
    rs_put(r, "vpcauth", key, doc);
    cJSON_Delete(doc);
    cJSON_AddStringToObject(out, "HostedZoneId", zid);
    cJSON *v = cJSON_AddObjectToObject(out, "VPC");
    cJSON_AddStringToObject(v, "VPCId", jstr(vpc, "VPCId"));
    cJSON_AddStringToObject(v, "VPCRegion", jstr(vpc, "VPCRegion"));
    return 0;
}

static R53_OP(DeleteVPCAssociationAuthorization) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    const cJSON *vpc = cJSON_GetObjectItemCaseSensitive(in, "VPC");
    char key[1200];
    if (vpcauth_key(r, zid, vpc, key, sizeof key, e)) return -1;
    cJSON *prev = rs_get(r, "vpcauth", key);
    if (!prev)
        return sim_err(e, 404, "VPCAssociationAuthorizationNotFound",
                       "The VPC %s has not been authorized to be associated with hosted zone %s.",
                       jstr(vpc, "VPCId"), zid);
    cJSON_Delete(prev);
    rs_del(r, "vpcauth", key);
    return 0;
}

static R53_OP(ListVPCAssociationAuthorizations) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    cJSON_Delete(z);
    int max = r53_max_items(in, "MaxResults", 50, 50);
    int skip = jstr(in, "NextToken") ? atoi(jstr(in, "NextToken")) : 0;
    if (jstr(in, "NextToken") && (skip <= 0 || !isdigit((unsigned char)jstr(in, "NextToken")[0])))
        return sim_err(e, 400, "InvalidPaginationToken",
                       "The value that you specified for NextToken in a List request isn't valid.");
    cJSON *all = rs_list(r, "vpcauth"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "VPCs");
    int idx = 0, n = 0, more = 0;
    cJSON_ArrayForEach(it, all) {
        if (strcmp(jstr(it, "HostedZoneId"), zid) != 0) continue;
        if (idx++ < skip) continue;
        if (n == max) {
            more = 1;
            break;
        }
        cJSON *v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "VPCId", jstr(it, "VPCId"));
        cJSON_AddStringToObject(v, "VPCRegion", jstr(it, "VPCRegion"));
        cJSON_AddItemToArray(list, v);
        n++;
    }
    cJSON_AddStringToObject(out, "HostedZoneId", zid);
    if (more) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", skip + n);
        cJSON_AddStringToObject(out, "NextToken", buf);
    }
    cJSON_Delete(all);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* ChangeResourceRecordSets                                                                    */

typedef struct {
    char buf[8192];
    size_t len;
    int count;
} msgs_t;

static void msg_add(msgs_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg_add(msgs_t *m, const char *fmt, ...) {
    if (m->len + 8 >= sizeof m->buf) return;
    if (m->count++) m->len += (size_t)snprintf(m->buf + m->len, sizeof m->buf - m->len, ", ");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(m->buf + m->len, sizeof m->buf - m->len, fmt, ap);
    va_end(ap);
    if (n > 0) m->len += (size_t)n;
    if (m->len >= sizeof m->buf) m->len = sizeof m->buf - 1;
}

static const char *const POLICY_FIELDS[] = {"Weight",           "Region",           "Failover",
                                            "GeoLocation",      "MultiValueAnswer", "GeoProximityLocation",
                                            "CidrRoutingConfig"};
static const char *const POLICY_NAMES[] = {"weighted",   "latency",      "failover", "geolocation",
                                           "multivalue", "geoproximity", "cidr"};

/* Index of the routing policy of a record set, -1 simple, -2 more than one. */
static int rr_policy(const cJSON *rr) {
    int found = -1;
    for (int i = 0; i < 7; i++) {
        if (!cJSON_GetObjectItemCaseSensitive(rr, POLICY_FIELDS[i])) continue;
        if (found >= 0) return -2;
        found = i;
    }
    return found;
}

static void rr_ident(const cJSON *rr, char *buf, size_t n) {
    const char *sid = jstr(rr, "SetIdentifier");
    if (sid)
        snprintf(buf, n, "[name='%s', type='%s', set-identifier='%s']", jstr(rr, "Name"), jstr(rr, "Type"),
                 sid);
    else
        snprintf(buf, n, "[name='%s', type='%s']", jstr(rr, "Name"), jstr(rr, "Type"));
}

static int valid_ipv4(const char *s) {
    int parts = 0;
    const char *p = s;
    while (*p) {
        if (!isdigit((unsigned char)*p)) return 0;
        int v = 0, digits = 0;
        while (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p++ - '0');
            if (++digits > 3) return 0;
        }
        if (v > 255) return 0;
        parts++;
        if (*p == '.') {
            p++;
            if (!*p) return 0;
        } else if (*p)
            return 0;
    }
    return parts == 4;
}

static int valid_ipv6(const char *s) {
    int colons = 0, dbl = 0, group = 0;
    if (!*s) return 0;
    for (const char *p = s; *p; p++) {
        if (*p == ':') {
            colons++;
            if (p[1] == ':') {
                if (dbl++) return 0;
            }
            group = 0;
        } else if (isxdigit((unsigned char)*p)) {
            if (++group > 4) return 0;
        } else if (*p == '.') {
            const char *last = strrchr(s, ':');
            return last && valid_ipv4(last + 1) && colons <= 6;
        } else
            return 0;
    }
    return colons >= 2 && colons <= 7 && (dbl || colons == 7);
}

/* A TXT value is one or more quoted character-strings of at most 255 bytes each. */
static int txt_string_too_long(const char *v) {
    const char *p = v;
    while (*p) {
        while (*p == ' ')
            p++;
        if (*p != '"') return 0;
        int len = 0;
        for (p++; *p && *p != '"'; p++, len++)
            if (*p == '\\' && p[1]) p++;
        if (len > 255) return 1;
        if (*p == '"') p++;
    }
    return 0;
}

/* Per-type RDATA rules (messages are Route 53's "Invalid Resource Record" texts). */
static void check_values(const cJSON *rr, msgs_t *m) {
    const char *type = jstr(rr, "Type");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(rr, "ResourceRecords"), *it;
    if (!vals) return;
    if ((!strcmp(type, "CNAME") || !strcmp(type, "SOA")) && cJSON_GetArraySize(vals) > 1) {
        msg_add(m, "RRSet of type %s with DNS name %s has more than one resource record", type,
                jstr(rr, "Name"));
        return;
    }
    cJSON_ArrayForEach(it, vals) {
        const char *v = jstr(it, "Value");
        if (!v) v = "";
        if (!strcmp(type, "A") && !valid_ipv4(v))
            msg_add(
                m,
                "Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid "
                "IPv4 address) encountered with '%s''",
                v);
        else if (!strcmp(type, "AAAA") && !valid_ipv6(v))
            msg_add(m,
                    "Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address (Value is not a "
                    "valid IPv6 address) encountered with '%s''",
                    v);
        else if ((!strcmp(type, "TXT") || !strcmp(type, "SPF")) && v[0] != '"')
            msg_add(
                m,
                "Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed "
                "in quotation marks) encountered with '%s''",
                v);
        else if ((!strcmp(type, "TXT") || !strcmp(type, "SPF")) && txt_string_too_long(v))
            msg_add(m,
                    "Invalid Resource Record: 'FATAL problem: CharacterStringTooLong (Value is too long) "
                    "encountered with '%s''",
                    v);
        else if (!strcmp(type, "MX")) {
            char pref[16], host[512];
            if (sscanf(v, "%15s %511s", pref, host) != 2 || strspn(pref, "0123456789") != strlen(pref))
                msg_add(
                    m,
                    "Invalid Resource Record: 'FATAL problem: MXRRDATANotTwoFields (MX record doesn't have "
                    "2 fields) encountered with '%s''",
                    v);
        } else if (!strcmp(type, "SRV")) {
            int a, b, c;
            char host[512];
            if (sscanf(v, "%d %d %d %511s", &a, &b, &c, host) != 4)
                msg_add(m,
                        "Invalid Resource Record: 'FATAL problem: SRVRRDATANotFourFields (SRV record doesn't "
                        "have 4 fields) encountered with '%s''",
                        v);
        } else if (!strcmp(type, "CAA")) {
            int flags;
            char tag[64], val[512];
            if (sscanf(v, "%d %63s %511s", &flags, tag, val) != 3)
                msg_add(
                    m,
                    "Invalid Resource Record: 'FATAL problem: CAARRDATANotThreeFields (CAA record doesn't "
                    "have 3 fields) encountered with '%s''",
                    v);
        }
    }
}

/* Normalise a change's record set: names lowercased/escaped with trailing dot, alias ids bare. */
static int normalise_rr(cJSON *rr, char *err, size_t n) {
    char name[R53_NAME_MAX];
    int rc = r53_norm_name(jstr(rr, "Name"), name, sizeof name);
    if (rc != 0) {
        snprintf(err, n, "%s", jstr(rr, "Name") ? jstr(rr, "Name") : "");
        return rc;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(rr, "Name", cJSON_CreateString(name));
    cJSON *alias = cJSON_GetObjectItemCaseSensitive(rr, "AliasTarget");
    if (alias) {
        char target[R53_NAME_MAX];
        rc = r53_norm_name(jstr(alias, "DNSName"), target, sizeof target);
        if (rc != 0) {
            snprintf(err, n, "%s", jstr(alias, "DNSName") ? jstr(alias, "DNSName") : "");
            return rc;
        }
        cJSON_ReplaceItemInObjectCaseSensitive(alias, "DNSName", cJSON_CreateString(target));
        if (jstr(alias, "HostedZoneId"))
            cJSON_ReplaceItemInObjectCaseSensitive(
                alias, "HostedZoneId", cJSON_CreateString(r53_bare_id(jstr(alias, "HostedZoneId"))));
    }
    return 0;
}

/* Same record set for DELETE: every member equal, resource record values compared as a set. */
static int rr_same(const cJSON *a, const cJSON *b) {
    cJSON *x = jdup(a), *y = jdup(b);
    cJSON *vx = cJSON_DetachItemFromObjectCaseSensitive(x, "ResourceRecords");
    cJSON *vy = cJSON_DetachItemFromObjectCaseSensitive(y, "ResourceRecords");
    int same = cJSON_Compare(x, y, 1) && cJSON_GetArraySize(vx) == cJSON_GetArraySize(vy);
    const cJSON *it, *jt;
    if (same) cJSON_ArrayForEach(it, vx) {
            int hit = 0;
            cJSON_ArrayForEach(jt, vy) if (strcmp(jstr(it, "Value") ? jstr(it, "Value") : "",
                                                  jstr(jt, "Value") ? jstr(jt, "Value") : "") == 0) hit = 1;
            if (!hit) same = 0;
        }
    cJSON_Delete(x);
    cJSON_Delete(y);
    cJSON_Delete(vx);
    cJSON_Delete(vy);
    return same;
}

/* Rules between a new record set and those already at its name (CNAME exclusivity, one routing
 * policy per name and type, one PRIMARY and one SECONDARY failover record). */
static void check_coexistence(sim_t *s, const char *zid, const char *zname, const cJSON *rr, msgs_t *m) {
    const char *name = jstr(rr, "Name"), *type = jstr(rr, "Type"), *sid = jstr(rr, "SetIdentifier");
    cJSON *others = r53_rr_named(s, zid, name, NULL), *it;
    int pol = rr_policy(rr);
    cJSON_ArrayForEach(it, others) {
        const char *ot = jstr(it, "Type"), *osid = jstr(it, "SetIdentifier");
        if (!strcmp(ot, type) && !strcmp(osid ? osid : "", sid ? sid : "")) continue; /* itself (UPSERT) */
        if (!strcmp(type, "CNAME") && strcmp(ot, "CNAME") != 0) {
            msg_add(m,
                    "RRSet of type CNAME with DNS name %s is not permitted as it conflicts with other "
                    "records with "
                    "the same DNS name in zone %s",
                    name, zname);
            break;
        }
        if (strcmp(type, "CNAME") != 0 && !strcmp(ot, "CNAME")) {
            msg_add(m,
                    "RRSet of type %s with DNS name %s is not permitted because a conflicting RRSet of type "
                    "CNAME "
                    "with the same DNS name already exists in zone %s",
                    type, name, zname);
            break;
        }
        if (strcmp(ot, type) != 0) continue;
        int opol = rr_policy(it);
        if (pol >= 0 && opol < 0) {
            msg_add(
                m,
                "RRSet with DNS name %s, type %s, SetIdentifier %s cannot be created as a non-%s set exists "
                "with the same name and type.",
                name, type, sid ? sid : "", POLICY_NAMES[pol]);
            break;
        }
        if (pol < 0 && opol >= 0) {
            msg_add(m,
                    "RRSet with DNS name %s, type %s cannot be created as %s sets exist with the same name "
                    "and type.",
                    name, type, POLICY_NAMES[opol]);
            break;
        }
        if (pol >= 0 && opol >= 0 && pol != opol) {
            msg_add(
                m,
                "RRSet with DNS name %s, type %s, SetIdentifier %s cannot be created as a non-%s set exists "
                "with the same name and type.",
                name, type, sid ? sid : "", POLICY_NAMES[pol]);
            break;
        }
        if (pol == 2 && jstr(it, "Failover") && !strcmp(jstr(it, "Failover"), jstr(rr, "Failover"))) {
            msg_add(
                m,
                "RRSet with DNS name %s, type %s, SetIdentifier %s cannot be created because a %s failover "
                "record already exists with the same name and type.",
                name, type, sid ? sid : "", jstr(rr, "Failover"));
            break;
        }
        if (pol == 3) {
            cJSON *g1 = cJSON_GetObjectItemCaseSensitive(rr, "GeoLocation");
            cJSON *g2 = cJSON_GetObjectItemCaseSensitive(it, "GeoLocation");
            if (cJSON_Compare(g1, g2, 1)) {
                msg_add(m,
                        "RRSet with DNS name %s, type %s, SetIdentifier %s cannot be created because another "
                        "RRSet "
                        "with the same name and type has the same geolocation.",
                        name, type, sid ? sid : "");
                break;
            }
        }
    }
    cJSON_Delete(others);
}

static void change_desc(const char *action, const cJSON *rr, char *buf, size_t n) {
    const char *sid = jstr(rr, "SetIdentifier");
    snprintf(buf, n, "[Action=%s, Name=%s, Type=%s, SetIdentifier=%s]", action, jstr(rr, "Name"),
             jstr(rr, "Type"), sid ? sid : "null");
}

/* Structural rules that Route 53 reports as InvalidInput ("Invalid request: ..."). */
static int check_structure(req_t *r, const char *action, const cJSON *rr, sim_error_t *e) {
    char desc[1400];
    change_desc(action, rr, desc, sizeof desc);
    int alias = cJSON_GetObjectItemCaseSensitive(rr, "AliasTarget") != NULL;
    int ttl = cJSON_GetObjectItemCaseSensitive(rr, "TTL") != NULL;
    int recs = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rr, "ResourceRecords")) > 0;
    int tpi = jstr(rr, "TrafficPolicyInstanceId") != NULL;
    int kinds = alias + (ttl && recs) + tpi;
    /* a record set is exactly one of: alias, TTL + values, traffic policy instance */
    if (kinds == 0 || (alias && (ttl || recs)) || (!alias && ttl != recs && !tpi))
        return sim_err(
            e, 400, "InvalidInput",
            "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or "
            "TrafficPolicyInstanceId], but found %s in Change with %s",
            kinds > 1 || (alias && (ttl || recs)) ? "more than one" : "none", desc);
    if (kinds > 1)
        return sim_err(
            e, 400, "InvalidInput",
            "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or "
            "TrafficPolicyInstanceId], but found more than one in Change with %s",
            desc);
    int pol = rr_policy(rr);
    const char *sid = jstr(rr, "SetIdentifier");
    /* SetIdentifier goes with exactly one routing policy */
    if (pol == -2 || (sid && pol == -1))
        return sim_err(
            e, 400, "InvalidInput",
            "Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, "
            "MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found %s in Change with %s",
            pol == -2 ? "more than one" : "none", desc);
    if (pol >= 0 && !sid)
        return sim_err(e, 400, "InvalidInput",
                       "Invalid request: Missing field 'SetIdentifier' in Change with %s", desc);
    if (pol == 4 && alias)
        return sim_err(e, 400, "InvalidInput",
                       "Invalid request: Alias records can't have MultiValueAnswer in Change with %s", desc);
    const cJSON *geo = cJSON_GetObjectItemCaseSensitive(rr, "GeoLocation");
    if (geo) {
        const char *cc = jstr(geo, "ContinentCode"), *co = jstr(geo, "CountryCode"),
                   *sc = jstr(geo, "SubdivisionCode");
        if ((cc && co) || (!cc && !co) || (sc && !co) || !r53_geo_valid(cc, co, sc))
            return sim_err(e, 400, "InvalidInput", "Invalid request: Invalid GeoLocation in Change with %s",
                           desc);
    }
    const cJSON *gp = cJSON_GetObjectItemCaseSensitive(rr, "GeoProximityLocation");
    if (gp) {
        int n = (jstr(gp, "AWSRegion") != NULL) + (jstr(gp, "LocalZoneGroup") != NULL) +
                (cJSON_GetObjectItemCaseSensitive(gp, "Coordinates") != NULL);
        if (n != 1)
            return sim_err(
                e, 400, "InvalidInput",
                "Invalid request: Expected exactly one of [AWSRegion, LocalZoneGroup, or Coordinates], "
                "but found %s in Change with %s",
                n ? "more than one" : "none", desc);
    }
    /* references (CIDR collection, health check) must exist when a record set is written; a DELETE
     * may name a health check deleted since (Route 53 allows deleting checks in use) */
    int writing = strcmp(action, "DELETE") != 0;
    const cJSON *cidr = cJSON_GetObjectItemCaseSensitive(rr, "CidrRoutingConfig");
    if (cidr && writing) {
        cJSON *col = r53_cidr_get(r->sim, r->account, jstr(cidr, "CollectionId"));
        if (!col)
            return sim_err(e, 400, "InvalidInput",
                           "Invalid request: CIDR collection %s does not exist in Change with %s",
                           jstr(cidr, "CollectionId"), desc);
        const char *loc = jstr(cidr, "LocationName");
        int ok = loc && !strcmp(loc, "*");
        cJSON *locs = cJSON_GetObjectItemCaseSensitive(col, "Locations");
        if (!ok && cJSON_GetObjectItemCaseSensitive(locs, loc)) ok = 1;
        cJSON_Delete(col);
        if (!ok)
            return sim_err(e, 400, "InvalidInput",
                           "Invalid request: CIDR location %s does not exist in Change with %s",
                           loc ? loc : "", desc);
    }
    const char *hc = jstr(rr, "HealthCheckId");
    if (hc && writing) {
        cJSON *doc = rs_get(r, "hc", hc);
        if (!doc)
            return sim_err(e, 404, "NoSuchHealthCheck", "A health check with id %s does not exist.", hc);
        cJSON_Delete(doc);
    }
    return 0;
}

/* Alias targets inside Route 53 (a zone of this account) must exist with the same type. */
static void check_alias_target(sim_t *s, const char *account, const char *zid, const cJSON *rr, msgs_t *m) {
    const cJSON *alias = cJSON_GetObjectItemCaseSensitive(rr, "AliasTarget");
    const char *tz = r53_bare_id(jstr(alias, "HostedZoneId"));
    cJSON *zone = r53_zone_get(s, account, tz);
    if (!zone) return; /* an AWS resource (ELB, CloudFront, S3, ...) */
    const char *target = jstr(alias, "DNSName");
    if (!r53_in_zone(target, jstr(zone, "Name"))) {
        msg_add(m,
                "Tried to create an alias that targets %s, type %s in zone %s, but the alias target name "
                "does not lie "
                "within the target zone",
                target, jstr(rr, "Type"), tz);
    } else {
        cJSON *t = r53_rr_named(s, tz, target, jstr(rr, "Type"));
        if (cJSON_GetArraySize(t) == 0)
            msg_add(
                m,
                "Tried to create an alias that targets %s, type %s in zone %s, but that target was not found",
                target, jstr(rr, "Type"), tz);
        else if (!strcmp(tz, zid) && !strcmp(target, jstr(rr, "Name")))
            msg_add(m,
                    "Tried to create an alias that targets %s, type %s in zone %s, but the alias target is "
                    "itself",
                    target, jstr(rr, "Type"), tz);
        cJSON_Delete(t);
    }
    cJSON_Delete(zone);
}

static R53_OP(ChangeResourceRecordSets) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    const char *zname = jstr(z, "Name");
    const cJSON *batch = cJSON_GetObjectItemCaseSensitive(in, "ChangeBatch");
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(batch, "Changes");
    int n = cJSON_GetArraySize(changes);
    cJSON *norm = cJSON_CreateArray();
    msgs_t m = {.len = 0, .count = 0};
    int rc = 0;

    /* the model has already required 1+ changes, each with an Action of the enum and a
     * ResourceRecordSet with Name and Type */
    /* pass 1: structure (InvalidInput stops at the first) and normalised copies */
    for (int i = 0; i < n; i++) {
        const cJSON *ch = cJSON_GetArrayItem(changes, i);
        const char *action = jstr(ch, "Action");
        cJSON *rr = jdup(cJSON_GetObjectItemCaseSensitive(ch, "ResourceRecordSet"));
        char bad[R53_NAME_MAX];
        /* structure first: AWS echoes the name as sent in "Change with [...]" */
        if (check_structure(r, action, rr, e)) {
            cJSON_Delete(rr);
            rc = -1;
            goto done;
        }
        int nrc = normalise_rr(rr, bad, sizeof bad);
        if (nrc != 0) {
            /* Route 53's DNS name checks, reported like its RDATA checks */
            static const char *const why[] = {"DomainLabelEmpty (Domain label is empty)",
                                              "DomainLabelTooLong (Domain label is too long)",
                                              "DomainNameTooLong (Domain name is too long)"};
            cJSON_Delete(rr);
            rc = sim_err(e, 400, "InvalidChangeBatch",
                         "[Invalid Resource Record: 'FATAL problem: %s encountered with '%s'']",
                         why[-nrc - 1], bad);
            goto done;
        }
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "Action", action);
        cJSON_AddItemToObject(c, "ResourceRecordSet", rr);
        cJSON_AddItemToArray(norm, c);
    }
    /* a request carries at most 1,000 resource records (UPSERT values count twice) */
    int nvalues = 0;
    for (int i = 0; i < n; i++) {
        const cJSON *c = cJSON_GetArrayItem(norm, i);
        int k = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(c, "ResourceRecordSet"), "ResourceRecords"));
        nvalues += strcmp(jstr(c, "Action"), "UPSERT") == 0 ? 2 * k : k;
    }
    if (nvalues > 1000) {
        rc = sim_err(e, 400, "InvalidChangeBatch", "Number of records limit of 1000 exceeded.");
        goto done;
    }
    /* pass 2: one change per record set, except DELETE followed by CREATE (a replacement) */
    /* (walks the list: cJSON_GetArrayItem is linear, which made a 1,000-change batch cubic) */
    for (const cJSON *ci = norm->child; ci; ci = ci->next) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(ci, "ResourceRecordSet");
        for (const cJSON *cj = ci->next; cj; cj = cj->next) {
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(cj, "ResourceRecordSet");
            const char *sa = jstr(a, "SetIdentifier"), *sb = jstr(b, "SetIdentifier");
            if (strcmp(jstr(a, "Name"), jstr(b, "Name")) || strcmp(jstr(a, "Type"), jstr(b, "Type")) ||
                strcmp(sa ? sa : "", sb ? sb : ""))
                continue;
            const char *ai = jstr(ci, "Action"), *aj = jstr(cj, "Action");
            if (!(strcmp(ai, "DELETE") == 0 && strcmp(aj, "CREATE") == 0)) {
                msg_add(&m,
                        "The request contains an invalid set of changes for a resource record set '%s %s'",
                        jstr(a, "Type"), jstr(a, "Name"));
                break;
            }
        }
    }
    if (m.count) goto fail;
    /* pass 3: apply in order against the zone's current record sets */
    for (int i = 0; i < n; i++) {
        const cJSON *c = cJSON_GetArrayItem(norm, i);
        const char *action = jstr(c, "Action");
        const cJSON *rr = cJSON_GetObjectItemCaseSensitive(c, "ResourceRecordSet");
        const char *name = jstr(rr, "Name"), *type = jstr(rr, "Type"), *sid = jstr(rr, "SetIdentifier");
        char ident[1400];
        rr_ident(rr, ident, sizeof ident);
        if (!r53_in_zone(name, zname)) {
            msg_add(&m, "RRSet with DNS name %s is not permitted in zone %s", name, zname);
            continue;
        }
        int apex = strcmp(name, zname) == 0;
        if (!strcmp(type, "CNAME") && apex && strcmp(action, "DELETE") != 0) {
            msg_add(&m, "RRSet of type CNAME with DNS name %s is not permitted at apex in zone %s", name,
                    zname);
            continue;
        }
        if (!strcmp(type, "SOA") && !apex) {
            msg_add(&m,
                    "RRSet of type SOA with DNS name %s is not permitted because it is not at the apex of "
                    "zone %s",
                    name, zname);
            continue;
        }
        if (strcmp(action, "DELETE") != 0) check_values(rr, &m);
        cJSON *cur = rr_get(r->sim, zid, name, type, sid);
        if (!strcmp(action, "CREATE") && cur) {
            msg_add(&m, "Tried to create resource record set %s but it already exists", ident);
        } else if (!strcmp(action, "DELETE")) {
            if (!cur)
                msg_add(&m, "Tried to delete resource record set %s but it was not found", ident);
            else if (!rr_same(cur, rr))
                msg_add(
                    &m,
                    "Tried to delete resource record set %s but the values provided do not match the current "
                    "values",
                    ident);
            else
                r53_rr_del(r->sim, zid, name, type, sid);
        } else {
            int before = m.count;
            check_coexistence(r->sim, zid, zname, rr, &m);
            if (m.count == before) r53_rr_put(r->sim, zid, rr);
        }
        cJSON_Delete(cur);
    }
    /* pass 4: whole-zone invariants and alias targets against the result */
    if (!m.count) {
        cJSON *soa = r53_rr_named(r->sim, zid, zname, "SOA");
        cJSON *ns = r53_rr_named(r->sim, zid, zname, "NS");
        if (cJSON_GetArraySize(soa) != 1) msg_add(&m, "A HostedZone must contain exactly one SOA record.");
        if (cJSON_GetArraySize(ns) < 1)
            msg_add(&m, "A HostedZone must contain at least one NS record for the zone itself.");
        cJSON_Delete(soa);
        cJSON_Delete(ns);
        for (int i = 0; i < n; i++) {
            const cJSON *c = cJSON_GetArrayItem(norm, i);
            const cJSON *rr = cJSON_GetObjectItemCaseSensitive(c, "ResourceRecordSet");
            if (strcmp(jstr(c, "Action"), "DELETE") != 0 &&
                cJSON_GetObjectItemCaseSensitive(rr, "AliasTarget"))
                check_alias_target(r->sim, r->account, zid, rr, &m);
        }
        if (r53_rr_count(r->sim, zid) > LIMIT_RRSETS_BY_ZONE)
            msg_add(&m, "The number of records exceeds the limit of %d for the hosted zone %s",
                    LIMIT_RRSETS_BY_ZONE, zid);
    }
fail:
    if (m.count) {
        /* Route 53 reports every problem of the batch at once, as a bracketed list */
        rc = sim_err(e, 400, "InvalidChangeBatch", "[%s]", m.buf);
        goto done;
    }
    r53_change_info(r, jstr(batch, "Comment"), out, "ChangeInfo");
done:
    cJSON_Delete(norm);
    cJSON_Delete(z);
    return rc;
}

static R53_OP(ListResourceRecordSets) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    cJSON_Delete(z);
    int max = r53_max_items(in, "MaxItems", 300, 300);
    const char *sname = jstr(in, "StartRecordName"), *stype = jstr(in, "StartRecordType");
    const char *sident = jstr(in, "StartRecordIdentifier");
    char start[R53_NAME_MAX] = "", skey[R53_NAME_MAX] = "";
    if (stype && !sname)
        return sim_err(e, 400, "InvalidInput",
                       "The input is not valid: StartRecordType requires StartRecordName");
    if (sident && !stype)
        return sim_err(e, 400, "InvalidInput",
                       "The input is not valid: StartRecordIdentifier requires StartRecordType");
    if (sname) {
        if (r53_norm_name(sname, start, sizeof start) != 0)
            return sim_err(e, 400, "InvalidInput", "The input is not valid: %s is not a valid DNS name",
                           sname);
        r53_sort_key(start, skey, sizeof skey);
    }
    sqlite3_stmt *st =
        db_prepare(r->sim, "SELECT doc, skey, type, setid FROM r53_rrset WHERE zone=?1 AND "
                           "(skey > ?2 OR (skey = ?2 AND (type > ?3 OR (type = ?3 AND setid >= ?4)))) "
                           "ORDER BY skey, type, setid LIMIT ?5");
    sqlite3_bind_text(st, 1, zid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, skey, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, stype ? stype : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, sident ? sident : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, max + 1);
    cJSON *list = cJSON_AddArrayToObject(out, "ResourceRecordSets");
    int n = 0, truncated = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *d = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
        if (!d) continue;
        if (n == max) {
            truncated = 1;
            cJSON_AddStringToObject(out, "NextRecordName", jstr(d, "Name"));
            cJSON_AddStringToObject(out, "NextRecordType", jstr(d, "Type"));
            if (jstr(d, "SetIdentifier"))
                cJSON_AddStringToObject(out, "NextRecordIdentifier", jstr(d, "SetIdentifier"));
            cJSON_Delete(d);
            break;
        }
        cJSON_AddItemToArray(list, d);
        n++;
    }
    sqlite3_reset(st);
    cJSON_AddBoolToObject(out, "IsTruncated", truncated);
    add_max_items(out, "MaxItems", max);
    return 0;
}

static R53_OP(GetChange) {
    const char *id = r53_bare_id(jstr(in, "Id"));
    cJSON *doc = rs_get(r, "change", id);
    if (!doc) return sim_err(e, 404, "NoSuchChange", "A change with the specified change ID does not exist.");
    cJSON_AddItemToObject(out, "ChangeInfo", change_info_json(r->sim, doc, clock_now_ms(r->sim)));
    cJSON_Delete(doc);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* reusable delegation sets                                                                    */

static cJSON *dset_public(const cJSON *d) {
    cJSON *o = cJSON_CreateObject();
    char buf[64];
    snprintf(buf, sizeof buf, "/delegationset/%s", jstr(d, "_id"));
    cJSON_AddStringToObject(o, "Id", buf);
    cJSON_AddStringToObject(o, "CallerReference", jstr(d, "CallerReference"));
    cJSON_AddItemToObject(o, "NameServers", jdup(cJSON_GetObjectItemCaseSensitive(d, "NameServers")));
    return o;
}

static R53_OP(CreateReusableDelegationSet) {
    const char *ref = jstr(in, "CallerReference");
    cJSON *all = rs_list(r, "dset"), *it;
    int n = cJSON_GetArraySize(all), dup = 0;
    cJSON_ArrayForEach(it, all) if (!strcmp(jstr(it, "CallerReference"), ref)) dup = 1;
    cJSON_Delete(all);
    if (dup)
        return sim_err(
            e, 400, "DelegationSetAlreadyCreated",
            "A delegation set with the same owner and caller reference combination has already been "
            "created.");
    if (n >= LIMIT_DELEGATION_SETS)
        return sim_err(e, 400, "LimitsExceeded", "Limits Exceeded: MAX_REUSABLE_DELEGATION_SETS_BY_OWNER");
    cJSON *ns = NULL;
    const char *hz = jstr(in, "HostedZoneId");
    cJSON *zone = NULL;
    if (hz) {
        zone = r53_zone_get(r->sim, r->account, hz);
        if (!zone) return sim_err(e, 400, "HostedZoneNotFound", "The specified HostedZone can't be found.");
        if (jstr(zone, "_dset")) {
            cJSON_Delete(zone);
            return sim_err(e, 400, "DelegationSetAlreadyReusable",
                           "The specified delegation set has already been marked as reusable.");
        }
        if (jbool(cJSON_GetObjectItemCaseSensitive(zone, "Config"), "PrivateZone", 0)) {
            cJSON_Delete(zone);
            return sim_err(e, 400, "InvalidArgument", "A private hosted zone has no delegation set.");
        }
        ns = jdup(cJSON_GetObjectItemCaseSensitive(zone, "_ns"));
    } else
        ns = new_name_servers(r->sim, 0);
    char id[32];
    r53_new_id(r->sim, 'N', 20, id);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "_id", id);
    cJSON_AddStringToObject(d, "CallerReference", ref);
    cJSON_AddItemToObject(d, "NameServers", ns);
    rs_put(r, "dset", id, d);
    if (zone) {
        cJSON_AddStringToObject(zone, "_dset", id);
        put_zone(r, zone);
        cJSON_Delete(zone);
    }
    cJSON_AddItemToObject(out, "DelegationSet", dset_public(d));
    char loc[64];
    snprintf(loc, sizeof loc, "delegationset/%s", id);
    r53_location(out, loc);
    cJSON_Delete(d);
    return 0;
}

static cJSON *dset_or_err(req_t *r, const char *id, sim_error_t *e) {
    cJSON *d = rs_get(r, "dset", r53_bare_id(id));
    if (!d)
        sim_err(e, 400, "NoSuchDelegationSet", "Delegation set with id %s does not exist.", r53_bare_id(id));
    return d;
}

static R53_OP(GetReusableDelegationSet) {
    cJSON *d = dset_or_err(r, jstr(in, "Id"), e);
    if (!d) return -1;
    cJSON_AddItemToObject(out, "DelegationSet", dset_public(d));
    cJSON_Delete(d);
    return 0;
}

static R53_OP(DeleteReusableDelegationSet) {
    cJSON *d = dset_or_err(r, jstr(in, "Id"), e);
    if (!d) return -1;
    const char *id = jstr(d, "_id");
    if (count_zones_with_dset(r, id) > 0) {
        cJSON_Delete(d);
        return sim_err(
            e, 400, "DelegationSetInUse",
            "The specified delegation contains associated hosted zones which must be deleted before the "
            "reusable delegation set can be deleted.");
    }
    rs_del(r, "dset", id);
    cJSON_Delete(d);
    return 0;
}

static R53_OP(ListReusableDelegationSets) {
    int max = r53_max_items(in, "MaxItems", 100, 100);
    const char *marker = jstr(in, "Marker");
    cJSON *all = rs_list(r, "dset"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "DelegationSets");
    int started = marker == NULL, n = 0;
    const char *next = NULL;
    cJSON_ArrayForEach(it, all) {
        if (!started && !strcmp(jstr(it, "_id"), r53_bare_id(marker))) started = 1;
        if (!started) continue;
        if (n == max) {
            next = jstr(it, "_id");
            break;
        }
        cJSON_AddItemToArray(list, dset_public(it));
        n++;
    }
    cJSON_AddStringToObject(out, "Marker", marker ? marker : "");
    cJSON_AddBoolToObject(out, "IsTruncated", next != NULL);
    if (next) cJSON_AddStringToObject(out, "NextMarker", next);
    add_max_items(out, "MaxItems", max);
    cJSON_Delete(all);
    return 0;
}

static R53_OP(GetReusableDelegationSetLimit) {
    cJSON *d = dset_or_err(r, jstr(in, "DelegationSetId"), e);
    if (!d) return -1;
    cJSON *lim = cJSON_AddObjectToObject(out, "Limit");
    cJSON_AddStringToObject(lim, "Type", jstr(in, "Type"));
    cJSON_AddNumberToObject(lim, "Value", LIMIT_ZONES_BY_DELEGATION_SET);
    cJSON_AddNumberToObject(out, "Count", count_zones_with_dset(r, jstr(d, "_id")));
    cJSON_Delete(d);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* limits                                                                                      */

static R53_OP(GetAccountLimit) {
    const char *t = jstr(in, "Type");
    int value = 0, count = 0;
    if (!strcmp(t, "MAX_HEALTH_CHECKS_BY_OWNER"))
        value = LIMIT_HEALTH_CHECKS, count = rs_count(r, "hc");
    else if (!strcmp(t, "MAX_HOSTED_ZONES_BY_OWNER"))
        value = LIMIT_HOSTED_ZONES, count = rs_count(r, "zone");
    else if (!strcmp(t, "MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER"))
        value = LIMIT_TRAFFIC_POLICY_INSTANCES, count = rs_count(r, "tpi");
    else if (!strcmp(t, "MAX_REUSABLE_DELEGATION_SETS_BY_OWNER"))
        value = LIMIT_DELEGATION_SETS, count = rs_count(r, "dset");
    else /* MAX_TRAFFIC_POLICIES_BY_OWNER, the last of the model's AccountLimitType enum */
        value = LIMIT_TRAFFIC_POLICIES, count = rs_count(r, "tp");
    cJSON *lim = cJSON_AddObjectToObject(out, "Limit");
    cJSON_AddStringToObject(lim, "Type", t);
    cJSON_AddNumberToObject(lim, "Value", value);
    cJSON_AddNumberToObject(out, "Count", count);
    return 0;
}

static R53_OP(GetHostedZoneLimit) {
    cJSON *z = r53_zone_or_err(r, jstr(in, "HostedZoneId"), e);
    if (!z) return -1;
    const char *t = jstr(in, "Type");
    int value, count;
    if (!strcmp(t, "MAX_VPCS_ASSOCIATED_BY_ZONE")) {
        /* the VPC limit only exists for private zones */
        if (!jbool(cJSON_GetObjectItemCaseSensitive(z, "Config"), "PrivateZone", 0)) {
            cJSON_Delete(z);
            return sim_err(e, 400, "HostedZoneNotPrivate",
                           "The specified hosted zone is a public hosted zone.");
        }
        value = LIMIT_VPCS_BY_ZONE;
        count = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(z, "_vpcs"));
    } else {
        value = LIMIT_RRSETS_BY_ZONE;
        count = r53_rr_count(r->sim, r53_bare_id(jstr(z, "Id")));
    }
    cJSON *lim = cJSON_AddObjectToObject(out, "Limit");
    cJSON_AddStringToObject(lim, "Type", t);
    cJSON_AddNumberToObject(lim, "Value", value);
    cJSON_AddNumberToObject(out, "Count", count);
    cJSON_Delete(z);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* tags                                                                                        */

static int tag_target_exists(req_t *r, const char *type, const char *id, sim_error_t *e) {
    cJSON *d = !strcmp(type, "hostedzone") ? r53_zone_get(r->sim, r->account, id) : rs_get(r, "hc", id);
    if (d) {
        cJSON_Delete(d);
        return 0;
    }
    if (!strcmp(type, "hostedzone"))
        return sim_err(e, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s", id);
    return sim_err(e, 404, "NoSuchHealthCheck", "A health check with id %s does not exist.", id);
}

static cJSON *tag_set(req_t *r, const char *type, const char *id) {
    char key[160];
    snprintf(key, sizeof key, "%s:%s", type, id);
    cJSON *doc = rs_get(r, "tags", key);
    cJSON *set = cJSON_CreateObject();
    cJSON_AddStringToObject(set, "ResourceType", type);
    cJSON_AddStringToObject(set, "ResourceId", id);
    cJSON *tags = doc ? cJSON_DetachItemFromObjectCaseSensitive(doc, "Tags") : NULL;
    cJSON_AddItemToObject(set, "Tags", tags ? tags : cJSON_CreateArray());
    cJSON_Delete(doc);
    return set;
}

static R53_OP(ChangeTagsForResource) {
    const char *type = jstr(in, "ResourceType"), *id = r53_bare_id(jstr(in, "ResourceId"));
    if (tag_target_exists(r, type, id, e)) return -1;
    cJSON *set = tag_set(r, type, id);
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(set, "Tags");
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, "RemoveTagKeys")) {
        if (!cJSON_IsString(it)) continue;
        for (int i = cJSON_GetArraySize(tags) - 1; i >= 0; i--)
            if (!strcmp(jstr(cJSON_GetArrayItem(tags, i), "Key"), it->valuestring))
                cJSON_DeleteItemFromArray(tags, i);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, "AddTags")) {
        const char *k = jstr(it, "Key");
        if (!k) {
            cJSON_Delete(set);
            return sim_err(e, 400, "InvalidInput", "Invalid request: Missing field 'Key' in Tag");
        }
        for (int i = cJSON_GetArraySize(tags) - 1; i >= 0; i--)
            if (!strcmp(jstr(cJSON_GetArrayItem(tags, i), "Key"), k)) cJSON_DeleteItemFromArray(tags, i);
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "Key", k);
        cJSON_AddStringToObject(t, "Value", jstr(it, "Value") ? jstr(it, "Value") : "");
        cJSON_AddItemToArray(tags, t);
    }
    /* a resource carries at most 10 tags */
    if (cJSON_GetArraySize(tags) > 10) {
        cJSON_Delete(set);
        return sim_err(e, 400, "InvalidInput",
                       "The number of tags for the resource exceeds the limit of 10.");
    }
    char key[160];
    snprintf(key, sizeof key, "%s:%s", type, id);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddItemToObject(doc, "Tags", jdup(tags));
    rs_put(r, "tags", key, doc);
    cJSON_Delete(doc);
    cJSON_Delete(set);
    return 0;
}

static R53_OP(ListTagsForResource) {
    const char *type = jstr(in, "ResourceType"), *id = r53_bare_id(jstr(in, "ResourceId"));
    if (tag_target_exists(r, type, id, e)) return -1;
    cJSON_AddItemToObject(out, "ResourceTagSet", tag_set(r, type, id));
    return 0;
}

static R53_OP(ListTagsForResources) {
    const char *type = jstr(in, "ResourceType");
    const cJSON *it;
    cJSON *sets = cJSON_CreateArray();
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, "ResourceIds")) {
        const char *id = r53_bare_id(it->valuestring);
        if (tag_target_exists(r, type, id, e)) {
            cJSON_Delete(sets);
            return -1;
        }
        cJSON_AddItemToArray(sets, tag_set(r, type, id));
    }
    cJSON_AddItemToObject(out, "ResourceTagSets", sets);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */

#define OP(n)                                                                                                \
    { #n, op_##n }
static const op_entry_t OPS[] = {
    OP(ActivateKeySigningKey),
    OP(AssociateVPCWithHostedZone),
    OP(ChangeCidrCollection),
    OP(ChangeResourceRecordSets),
    OP(ChangeTagsForResource),
    OP(CreateCidrCollection),
    OP(CreateHealthCheck),
    OP(CreateHostedZone),
    OP(CreateKeySigningKey),
    OP(CreateQueryLoggingConfig),
    OP(CreateReusableDelegationSet),
    OP(CreateTrafficPolicy),
    OP(CreateTrafficPolicyInstance),
    OP(CreateTrafficPolicyVersion),
    OP(CreateVPCAssociationAuthorization),
    OP(DeactivateKeySigningKey),
    OP(DeleteCidrCollection),
    OP(DeleteHealthCheck),
    OP(DeleteHostedZone),
    OP(DeleteKeySigningKey),
    OP(DeleteQueryLoggingConfig),
    OP(DeleteReusableDelegationSet),
    OP(DeleteTrafficPolicy),
    OP(DeleteTrafficPolicyInstance),
    OP(DeleteVPCAssociationAuthorization),
    OP(DisableHostedZoneDNSSEC),
    OP(DisassociateVPCFromHostedZone),
    OP(EnableHostedZoneDNSSEC),
    OP(GetAccountLimit),
    OP(GetChange),
    OP(GetCheckerIpRanges),
    OP(GetDNSSEC),
    OP(GetGeoLocation),
    OP(GetHealthCheck),
    OP(GetHealthCheckCount),
    OP(GetHealthCheckLastFailureReason),
    OP(GetHealthCheckStatus),
    OP(GetHostedZone),
    OP(GetHostedZoneCount),
    OP(GetHostedZoneLimit),
    OP(GetQueryLoggingConfig),
    OP(GetReusableDelegationSet),
    OP(GetReusableDelegationSetLimit),
    OP(GetTrafficPolicy),
    OP(GetTrafficPolicyInstance),
    OP(GetTrafficPolicyInstanceCount),
    OP(ListCidrBlocks),
    OP(ListCidrCollections),
    OP(ListCidrLocations),
    OP(ListGeoLocations),
    OP(ListHealthChecks),
    OP(ListHostedZones),
    OP(ListHostedZonesByName),
    OP(ListHostedZonesByVPC),
    OP(ListQueryLoggingConfigs),
    OP(ListResourceRecordSets),
    OP(ListReusableDelegationSets),
    OP(ListTagsForResource),
    OP(ListTagsForResources),
    OP(ListTrafficPolicies),
    OP(ListTrafficPolicyInstances),
    OP(ListTrafficPolicyInstancesByHostedZone),
    OP(ListTrafficPolicyInstancesByPolicy),
    OP(ListTrafficPolicyVersions),
    OP(ListVPCAssociationAuthorizations),
    OP(TestDNSAnswer),
    OP(UpdateHealthCheck),
    OP(UpdateHostedZoneComment),
    OP(UpdateHostedZoneFeatures),
    OP(UpdateTrafficPolicyComment),
    OP(UpdateTrafficPolicyInstance),
};

const service_def_t SVC_ROUTE53 = {
    .key = "route53",
    .signing_name = "route53",
    .global = 1,
    .ops = OPS,
    .nops = OPS_COUNT(OPS),
    .init_schema = r53_schema,
};
