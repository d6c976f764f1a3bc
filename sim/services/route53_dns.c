/*
 * route53_dns.c — how Route 53 answers a query from a hosted zone: TestDNSAnswer and the
 * /_awssim/route53/resolve resolver (route53_resolve). Lookup: longest matching zone, exact
 * name, CNAME at the name, wildcards (\052.parent), NODATA / NXDOMAIN. Routing follows AWS
 * (see choose()); geolocation and latency answer for a resolver in us-east-1 with no client
 * geography. Records of traffic policy instances answer from their policy document. Random
 * picks use the seeded rng, so answers are reproducible.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "services/route53_int.h"

#define MAX_DEPTH 8
#define MULTIVALUE_MAX 8
#define RESOLVER_REGION DEFAULT_REGION

typedef struct {
    sim_t *s;
    const char *account;
    int64_t now;
    const char *client_ip;
    const cJSON *memo_for; /* candidates whose health is memoised (same clock: same answer) */
    signed char *memo;     /* -1 unknown, 0 unhealthy, 1 healthy */
} dctx_t;

static int rr_healthy(dctx_t *c, const cJSON *rr, int depth);

/* Record sets answering (name, type) in a zone; rcode set to NOERROR or NXDOMAIN. */
static cJSON *lookup(dctx_t *c, const char *zid, const char *zname, const char *name, const char *type,
                     char *rcode, size_t rn) {
    snprintf(rcode, rn, "NOERROR");
    cJSON *cands = r53_rr_named(c->s, zid, name, type);
    if (cJSON_GetArraySize(cands) > 0) return cands;
    cJSON_Delete(cands);
    cands = r53_rr_named(c->s, zid, name, "CNAME");
    if (cJSON_GetArraySize(cands) > 0) return cands;
    cJSON_Delete(cands);
    cJSON *any = r53_rr_named(c->s, zid, name, NULL);
    int exists = cJSON_GetArraySize(any) > 0;
    cJSON_Delete(any);
    if (exists) return cJSON_CreateArray(); /* NODATA */
    /* wildcards: *.parent for each parent down to the zone apex */
    const char *p = name;
    while (strcmp(p, zname) != 0) {
        const char *dot = strchr(p, '.');
        if (!dot || !dot[1]) break;
        p = dot + 1;
        if (!r53_in_zone(p, zname)) break;
        char wild[R53_NAME_MAX];
        snprintf(wild, sizeof wild, "\\052.%s", p);
        cands = r53_rr_named(c->s, zid, wild, type);
        if (cJSON_GetArraySize(cands) == 0) {
            cJSON_Delete(cands);
            cands = r53_rr_named(c->s, zid, wild, "CNAME");
        }
        if (cJSON_GetArraySize(cands) > 0) return cands;
        cJSON_Delete(cands);
        any = r53_rr_named(c->s, zid, wild, NULL);
        exists = cJSON_GetArraySize(any) > 0;
        cJSON_Delete(any);
        if (exists) return cJSON_CreateArray();
    }
    /* an empty non-terminal (a name with records below it) is NODATA, not NXDOMAIN */
    cJSON *all = r53_rr_all(c->s, zid), *it;
    size_t nl = strlen(name);
    int below = 0;
    cJSON_ArrayForEach(it, all) {
        const char *n = jstr(it, "Name");
        size_t l = strlen(n);
        if (l > nl && !strcmp(n + l - nl, name) && n[l - nl - 1] == '.') below = 1;
    }
    cJSON_Delete(all);
    if (!below) snprintf(rcode, rn, "NXDOMAIN");
    return cJSON_CreateArray();
}

static int policy_of(const cJSON *rr) {
    static const char *const f[] = {"Weight",           "Region",           "Failover",
                                    "GeoLocation",      "MultiValueAnswer", "GeoProximityLocation",
                                    "CidrRoutingConfig"};
    for (int i = 0; i < 7; i++)
        if (cJSON_GetObjectItemCaseSensitive(rr, f[i])) return i;
    return -1;
}

static const char *policy_name(int p) {
    static const char *const n[] = {"weighted",   "latency",      "failover", "geolocation",
                                    "multivalue", "geoproximity", "cidr"};
    return p < 0 ? "simple" : n[p];
}

/* Pick uniformly among idx[0..n). */
static int pick_uniform(dctx_t *c, const int *idx, int n) {
    int k = (int)(rng_unit(c->s) * n);
    return idx[k < n ? k : n - 1];
}

static int pick_weighted(dctx_t *c, const cJSON *cands, const int *idx, int n) {
    double total = 0;
    for (int i = 0; i < n; i++)
        total += jnum(cJSON_GetArrayItem(cands, idx[i]), "Weight", 0);
    if (total <= 0) return pick_uniform(c, idx, n);
    double x = rng_unit(c->s) * total;
    for (int i = 0; i < n - 1; i++) { /* the last one takes the rest (and any rounding) */
        x -= jnum(cJSON_GetArrayItem(cands, idx[i]), "Weight", 0);
        if (x < 0) return idx[i];
    }
    return idx[n - 1];
}

static int ipv4_in_cidr(const char *ip, const char *cidr, int *bits_out) {
    char net[64];
    int bits = 32;
    snprintf(net, sizeof net, "%s", cidr);
    char *slash = strchr(net, '/');
    if (slash) {
        *slash = 0;
        bits = atoi(slash + 1);
    }
    struct in_addr a, b;
    if (inet_pton(AF_INET, ip, &a) != 1 || inet_pton(AF_INET, net, &b) != 1) {
        struct in6_addr a6, b6;
        if (inet_pton(AF_INET6, ip, &a6) != 1 || inet_pton(AF_INET6, net, &b6) != 1) return 0;
        if (!slash) bits = 128;
        for (int i = 0; i < 16 && bits > 0; i++, bits -= 8) {
            unsigned mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a6.s6_addr[i] & mask) != (b6.s6_addr[i] & mask)) return 0;
        }
        *bits_out = slash ? atoi(slash + 1) : 128;
        return 1;
    }
    uint32_t mask = bits <= 0 ? 0 : bits >= 32 ? 0xffffffffu : ~((1u << (32 - bits)) - 1);
    if ((ntohl(a.s_addr) & mask) != (ntohl(b.s_addr) & mask)) return 0;
    *bits_out = bits;
    return 1;
}

/* CIDR location of the client in a collection (longest prefix), or "*". */
static void cidr_location(dctx_t *c, const char *collection, char *out, size_t n) {
    snprintf(out, n, "*");
    if (!c->client_ip) return;
    cJSON *col = r53_cidr_get(c->s, c->account, collection);
    const cJSON *loc, *blk;
    int best = -1;
    cJSON_ArrayForEach(loc, cJSON_GetObjectItemCaseSensitive(col, "Locations")) {
        cJSON_ArrayForEach(blk, loc) {
            int bits = 0;
            if (cJSON_IsString(blk) && ipv4_in_cidr(c->client_ip, blk->valuestring, &bits) && bits > best) {
                best = bits;
                snprintf(out, n, "%s", loc->string);
            }
        }
    }
    cJSON_Delete(col);
}

/* Choose the record sets answering one query. Returns how many indices were written.
 * AWS rules: unhealthy records are skipped, and when all are unhealthy all count as healthy;
 * weighted picks in proportion to Weight, weight-0 records only when no non-zero one is healthy
 * (equal chance when all are 0); failover answers PRIMARY while healthy, else a healthy
 * SECONDARY, else PRIMARY; multivalue returns up to 8 healthy records in random order; latency
 * and geoproximity prefer the resolver's region; geolocation the default (*) location; CIDR the
 * client's location in the collection (longest prefix), else the default (*) location. */
static int choose(dctx_t *c, const cJSON *cands, int *out, int depth) {
    int n = cJSON_GetArraySize(cands);
    if (n == 0) return 0;
    int pol = policy_of(cJSON_GetArrayItem(cands, 0));
    if (pol < 0) {
        out[0] = 0;
        return 1;
    }
    int *healthy = calloc((size_t)n, sizeof *healthy), *all = calloc((size_t)n, sizeof *all);
    int nh = 0, got = 0;
    for (int i = 0; i < n; i++) {
        all[i] = i;
        int ok;
        if (c->memo_for == cands && c->memo[i] >= 0)
            ok = c->memo[i];
        else {
            ok = rr_healthy(c, cJSON_GetArrayItem(cands, i), depth);
            if (c->memo_for == cands) c->memo[i] = (signed char)ok;
        }
        if (ok) healthy[nh++] = i;
    }
    /* when every record is unhealthy, Route 53 considers all of them healthy */
    int *pool = nh ? healthy : all, np = nh ? nh : n;
    switch (pol) {
    case 0: { /* weighted: non-zero weights first; zero weights only when no non-zero is healthy */
        int *nz = calloc((size_t)n, sizeof *nz), nnz = 0;
        for (int i = 0; i < np; i++)
            if (jnum(cJSON_GetArrayItem(cands, pool[i]), "Weight", 0) > 0) nz[nnz++] = pool[i];
        /* when the usable records all weigh 0 (healthy ones, or all when none is healthy), unhealthy
         * non-zero ones stay out and the zeros share equally */
        if (nnz)
            out[got++] = pick_weighted(c, cands, nz, nnz);
        else
            out[got++] = pick_uniform(c, pool, np);
        free(nz);
        break;
    }
    case 2: { /* failover */
        int prim = -1, sec = -1, prim_ok = 0, sec_ok = 0;
        for (int i = 0; i < n; i++) {
            const char *f = jstr(cJSON_GetArrayItem(cands, i), "Failover");
            int ok = 0;
            for (int j = 0; j < nh; j++)
                ok |= healthy[j] == i;
            if (f && !strcmp(f, "PRIMARY"))
                prim = i, prim_ok = ok;
            else
                sec = i, sec_ok = ok;
        }
        if (prim >= 0 && prim_ok)
            out[got++] = prim;
        else if (sec >= 0 && sec_ok)
            out[got++] = sec;
        else
            out[got++] = prim >= 0 ? prim : sec;
        break;
    }
    case 4: { /* multivalue: up to 8 healthy records, in random order */
        int *tmp = calloc((size_t)n, sizeof *tmp);
        for (int i = 0; i < np; i++)
            tmp[i] = pool[i];
        for (int i = np - 1; i > 0; i--) {
            int j = (int)(rng_unit(c->s) * (i + 1));
            if (j > i) j = i;
            int t = tmp[i];
            tmp[i] = tmp[j];
            tmp[j] = t;
        }
        for (int i = 0; i < np && got < MULTIVALUE_MAX; i++)
            out[got++] = tmp[i];
        free(tmp);
        break;
    }
    case 1:   /* latency */
    case 5: { /* geoproximity */
        int pick = -1;
        for (int i = 0; i < np && pick < 0; i++) {
            const cJSON *rr = cJSON_GetArrayItem(cands, pool[i]);
            const char *reg =
                pol == 1 ? jstr(rr, "Region")
                         : jstr(cJSON_GetObjectItemCaseSensitive(rr, "GeoProximityLocation"), "AWSRegion");
            if (reg && !strcmp(reg, RESOLVER_REGION)) pick = pool[i];
        }
        out[got++] = pick >= 0 ? pick : pool[0];
        break;
    }
    case 3: { /* geolocation: the default location, since client geography is unknown */
        int pick = -1;
        for (int i = 0; i < np && pick < 0; i++) {
            const cJSON *g =
                cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cands, pool[i]), "GeoLocation");
            if (jstr(g, "CountryCode") && !strcmp(jstr(g, "CountryCode"), "*")) pick = pool[i];
        }
        if (pick >= 0) out[got++] = pick;
        break;
    }
    case 6: { /* CIDR */
        const cJSON *cfg =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cands, 0), "CidrRoutingConfig");
        char loc[64];
        cidr_location(c, jstr(cfg, "CollectionId"), loc, sizeof loc);
        int pick = -1, dflt = -1;
        for (int i = 0; i < np; i++) {
            const char *l = jstr(
                cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cands, pool[i]), "CidrRoutingConfig"),
                "LocationName");
            if (l && !strcmp(l, loc) && pick < 0) pick = pool[i];
            if (l && !strcmp(l, "*") && dflt < 0) dflt = pool[i];
        }
        if (pick < 0) pick = dflt;
        if (pick >= 0) out[got++] = pick;
        break;
    }
    }
    free(healthy);
    free(all);
    return got;
}

static cJSON *zone_of_account(sim_t *s, const char *account, const char *zid) {
    return r53_zone_get(s, account, zid);
}

/* Any healthy answer for an alias target (EvaluateTargetHealth). */
static int target_healthy(dctx_t *c, const cJSON *alias, const char *type, int depth) {
    cJSON *tz = zone_of_account(c->s, c->account, jstr(alias, "HostedZoneId"));
    if (!tz) return r53_target_healthy(c->s, jstr(alias, "DNSName"), c->now); /* an AWS resource */
    char rcode[16];
    cJSON *cands = lookup(c, r53_bare_id(jstr(tz, "Id")), jstr(tz, "Name"), jstr(alias, "DNSName"), type,
                          rcode, sizeof rcode);
    int ok = 0, n = cJSON_GetArraySize(cands);
    for (int i = 0; i < n && !ok; i++)
        ok = rr_healthy(c, cJSON_GetArrayItem(cands, i), depth + 1);
    cJSON_Delete(cands);
    cJSON_Delete(tz);
    return ok;
}

static int rr_healthy(dctx_t *c, const cJSON *rr, int depth) {
    const char *hc = jstr(rr, "HealthCheckId");
    if (hc && r53_hc_healthy(c->s, c->account, hc, c->now) == 0) return 0;
    const cJSON *alias = cJSON_GetObjectItemCaseSensitive(rr, "AliasTarget");
    if (alias && jbool(alias, "EvaluateTargetHealth", 0) && depth < MAX_DEPTH)
        return target_healthy(c, alias, jstr(rr, "Type"), depth);
    return 1;
}

/* A stable documentation-range address for AWS alias targets (ELB, CloudFront, S3, ...). */
static void synth_address(const char *name, const char *type, char *buf, size_t n) {
    uint32_t h = 2166136261u;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    if (!strcmp(type, "AAAA"))
        snprintf(buf, n, "64:ff9b::c612:%x", h & 0xffff);
    else
        snprintf(buf, n, "198.18.%u.%u", (h >> 8) & 0xff, (h & 0xff) | 1);
}

static void values_of(dctx_t *c, const cJSON *rr, cJSON *values, int depth);

static void resolve_alias(dctx_t *c, const cJSON *rr, cJSON *values, int depth) {
    const cJSON *alias = cJSON_GetObjectItemCaseSensitive(rr, "AliasTarget");
    cJSON *tz = zone_of_account(c->s, c->account, jstr(alias, "HostedZoneId"));
    if (!tz) {
        char buf[64];
        synth_address(jstr(alias, "DNSName"), jstr(rr, "Type"), buf, sizeof buf);
        cJSON_AddItemToArray(values, cJSON_CreateString(buf));
        return;
    }
    char rcode[16];
    cJSON *cands = lookup(c, r53_bare_id(jstr(tz, "Id")), jstr(tz, "Name"), jstr(alias, "DNSName"),
                          jstr(rr, "Type"), rcode, sizeof rcode);
    int idx[MULTIVALUE_MAX + 1];
    int n = depth < MAX_DEPTH ? choose(c, cands, idx, depth + 1) : 0;
    for (int i = 0; i < n; i++)
        values_of(c, cJSON_GetArrayItem(cands, idx[i]), values, depth + 1);
    cJSON_Delete(cands);
    cJSON_Delete(tz);
}

/* ---- traffic policy documents (records owned by a traffic policy instance) ---- */

static void tp_eval(dctx_t *c, const cJSON *doc, const char *type, const cJSON *ref, cJSON *values,
                    int depth);

/* An item of a rule is usable when its HealthCheck (if any) is healthy. */
static int tp_item_healthy(dctx_t *c, const cJSON *item) {
    const char *hc = jstr(item, "HealthCheck");
    return !hc || r53_hc_healthy(c->s, c->account, hc, c->now) != 0;
}

static void tp_endpoint(const cJSON *doc, const char *type, const char *id, cJSON *values) {
    const cJSON *ep =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "Endpoints"), id);
    const char *kind = jstr(ep, "Type"), *v = jstr(ep, "Value");
    if (!v) return;
    if (!kind || !strcmp(kind, "value") || strcmp(type, "A") != 0) {
        cJSON_AddItemToArray(values, cJSON_CreateString(v));
    } else { /* an AWS resource behind the endpoint */
        char buf[64];
        synth_address(v, type, buf, sizeof buf);
        cJSON_AddItemToArray(values, cJSON_CreateString(buf));
    }
}

/* Pick among a rule's items (healthy ones; all when none is): weighted, or the first. */
static const cJSON *tp_pick(dctx_t *c, const cJSON *items, int weighted, const char *region_key) {
    int n = cJSON_GetArraySize(items), nh = 0;
    const cJSON *pool[64];
    for (int pass = 0; pass < 2 && nh == 0; pass++)
        for (int i = 0; i < n && nh < 64; i++) {
            const cJSON *it = cJSON_GetArrayItem(items, i);
            if (pass == 1 || tp_item_healthy(c, it)) pool[nh++] = it;
        }
    if (nh == 0) return NULL;
    if (region_key)
        for (int i = 0; i < nh; i++)
            if (jstr(pool[i], region_key) && !strcmp(jstr(pool[i], region_key), RESOLVER_REGION))
                return pool[i];
    if (!weighted) return pool[0];
    double total = 0;
    for (int i = 0; i < nh; i++)
        total += atof(jstr(pool[i], "Weight") ? jstr(pool[i], "Weight") : "0");
    if (total <= 0) return pool[(int)(rng_unit(c->s) * nh) % nh];
    double x = rng_unit(c->s) * total;
    for (int i = 0; i < nh - 1; i++) { /* the last one takes the rest (and any rounding) */
        x -= atof(jstr(pool[i], "Weight") ? jstr(pool[i], "Weight") : "0");
        if (x < 0) return pool[i];
    }
    return pool[nh - 1];
}

/* Evaluate a rule or endpoint reference ({EndpointReference} / {RuleReference}). */
static void tp_eval(dctx_t *c, const cJSON *doc, const char *type, const cJSON *ref, cJSON *values,
                    int depth) {
    if (!ref || depth > MAX_DEPTH) return;
    if (jstr(ref, "EndpointReference")) {
        tp_endpoint(doc, type, jstr(ref, "EndpointReference"), values);
        return;
    }
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "Rules"),
                                                         jstr(ref, "RuleReference"));
    const char *rt = jstr(rule, "RuleType");
    if (!rt) return;
    if (!strcmp(rt, "failover")) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(rule, "Primary");
        const cJSON *sec = cJSON_GetObjectItemCaseSensitive(rule, "Secondary");
        tp_eval(c, doc, type, tp_item_healthy(c, p) || !sec || !tp_item_healthy(c, sec) ? p : sec, values,
                depth + 1);
    } else if (!strcmp(rt, "multivalue")) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(rule, "Items"), *it;
        int got = 0, healthy = 0;
        cJSON_ArrayForEach(it, items) healthy += tp_item_healthy(c, it);
        cJSON_ArrayForEach(it, items) {
            if (got < MULTIVALUE_MAX && (!healthy || tp_item_healthy(c, it))) {
                tp_eval(c, doc, type, it, values, depth + 1);
                got++;
            }
        }
    } else if (!strcmp(rt, "weighted")) {
        tp_eval(c, doc, type, tp_pick(c, cJSON_GetObjectItemCaseSensitive(rule, "Items"), 1, NULL), values,
                depth + 1);
    } else if (!strcmp(rt, "latency")) {
        tp_eval(c, doc, type, tp_pick(c, cJSON_GetObjectItemCaseSensitive(rule, "Regions"), 0, "Region"),
                values, depth + 1);
    } else if (!strcmp(rt, "geo")) { /* client geography is unknown: the default location */
        const cJSON *it, *pick = NULL;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rule, "Locations")) {
            if (!pick && jbool(it, "IsDefault", 0)) pick = it;
        }
        tp_eval(c, doc, type, pick, values, depth + 1);
    } else if (!strcmp(rt, "geoproximity")) {
        tp_eval(c, doc, type,
                tp_pick(c, cJSON_GetObjectItemCaseSensitive(rule, "GeoproximityLocations"), 0, "Region"),
                values, depth + 1);
    }
}

/* Values of a record set created by a traffic policy instance: its policy version's document. */
static void traffic_policy_values(dctx_t *c, const cJSON *rr, cJSON *values) {
    cJSON *inst = rs_get_at(c->s, R53_SVC, c->account, R53_SCOPE, "tpi", jstr(rr, "TrafficPolicyInstanceId"));
    cJSON *tp =
        inst ? rs_get_at(c->s, R53_SVC, c->account, R53_SCOPE, "tp", jstr(inst, "TrafficPolicyId")) : NULL;
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(tp, "Versions")) {
        if (jint(v, "Version", 0) != jint(inst, "TrafficPolicyVersion", -1)) continue;
        cJSON *doc = cJSON_Parse(jstr(v, "Document") ? jstr(v, "Document") : "");
        if (jstr(doc, "StartEndpoint"))
            tp_endpoint(doc, jstr(rr, "Type"), jstr(doc, "StartEndpoint"), values);
        else if (jstr(doc, "StartRule")) {
            cJSON *ref = cJSON_CreateObject();
            cJSON_AddStringToObject(ref, "RuleReference", jstr(doc, "StartRule"));
            tp_eval(c, doc, jstr(rr, "Type"), ref, values, 0);
            cJSON_Delete(ref);
        }
        cJSON_Delete(doc);
    }
    cJSON_Delete(tp);
    cJSON_Delete(inst);
}

static void values_of(dctx_t *c, const cJSON *rr, cJSON *values, int depth) {
    if (cJSON_GetObjectItemCaseSensitive(rr, "AliasTarget")) {
        resolve_alias(c, rr, values, depth);
        return;
    }
    if (jstr(rr, "TrafficPolicyInstanceId")) {
        traffic_policy_values(c, rr, values);
        return;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rr, "ResourceRecords")) {
        if (jstr(it, "Value")) cJSON_AddItemToArray(values, cJSON_CreateString(jstr(it, "Value")));
    }
}

R53_OP(TestDNSAnswer) {
    const char *zid = r53_bare_id(jstr(in, "HostedZoneId"));
    cJSON *z = r53_zone_or_err(r, zid, e);
    if (!z) return -1;
    char name[R53_NAME_MAX], rcode[16];
    if (r53_norm_name(jstr(in, "RecordName"), name, sizeof name) != 0) {
        cJSON_Delete(z);
        return sim_err(e, 400, "InvalidInput", "Invalid request: %s is not a valid DNS name",
                       jstr(in, "RecordName"));
    }
    const char *type = jstr(in, "RecordType");
    dctx_t c = {r->sim,
                r->account,
                clock_now_ms(r->sim),
                jstr(in, "EDNS0ClientSubnetIP") ? jstr(in, "EDNS0ClientSubnetIP") : jstr(in, "ResolverIP"),
                NULL,
                NULL};
    cJSON *data = cJSON_CreateArray();
    if (!r53_in_zone(name, jstr(z, "Name"))) {
        snprintf(rcode, sizeof rcode, "REFUSED");
    } else {
        cJSON *cands = lookup(&c, zid, jstr(z, "Name"), name, type, rcode, sizeof rcode);
        int idx[MULTIVALUE_MAX + 1];
        int n = choose(&c, cands, idx, 0);
        for (int i = 0; i < n; i++)
            values_of(&c, cJSON_GetArrayItem(cands, idx[i]), data, 0);
        cJSON_Delete(cands);
    }
    const cJSON *ns = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(z, "_ns"), 0);
    cJSON_AddStringToObject(out, "Nameserver", ns ? ns->valuestring : "ns-0.awsdns-00.com");
    cJSON_AddStringToObject(out, "RecordName", name);
    cJSON_AddStringToObject(out, "RecordType", type);
    cJSON_AddItemToObject(out, "RecordData", data);
    cJSON_AddStringToObject(out, "ResponseCode", rcode);
    cJSON_AddStringToObject(out, "Protocol", "UDP");
    cJSON_Delete(z);
    return 0;
}

/* The account's zone that is authoritative for name: longest match, public before private. */
static cJSON *zone_for_name(sim_t *s, const char *account, const char *name) {
    cJSON *all = rs_list_all(s, R53_SVC, "zone"), *it, *best = NULL;
    size_t best_len = 0;
    int best_private = 1;
    cJSON_ArrayForEach(it, all) {
        if (strcmp(jstr(it, "account"), account) != 0) continue;
        const cJSON *z = cJSON_GetObjectItemCaseSensitive(it, "doc");
        const char *zn = jstr(z, "Name");
        if (!r53_in_zone(name, zn)) continue;
        int priv = jbool(cJSON_GetObjectItemCaseSensitive(z, "Config"), "PrivateZone", 0);
        size_t l = strlen(zn);
        if (!best || l > best_len || (l == best_len && best_private && !priv)) {
            best = (cJSON *)z;
            best_len = l;
            best_private = priv;
        }
    }
    cJSON *ret = jdup(best);
    cJSON_Delete(all);
    return ret;
}

int route53_resolve(sim_t *s, const char *account, const char *name, const char *type, int samples,
                    cJSON *out) {
    return route53_resolve_from(s, account, name, type, samples, NULL, out);
}

int route53_resolve_from(sim_t *s, const char *account, const char *name, const char *type, int samples,
                         const char *client_ip, cJSON *out) {
    char norm[R53_NAME_MAX], rcode[16] = "REFUSED";
    static const char *const types[] = {"SOA", "A",    "TXT", "NS", "CNAME", "MX",    "NAPTR", "PTR",  "SRV",
                                        "SPF", "AAAA", "CAA", "DS", "TLSA",  "SSHFP", "SVCB",  "HTTPS"};
    int type_ok = 0;
    if (!account || !*account) account = DEFAULT_ACCOUNT;
    if (!type || !*type) type = "A";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        type_ok |= !strcmp(types[i], type);
    if (!name || r53_norm_name(name, norm, sizeof norm) != 0 || !type_ok) return -1;
    if (samples < 1) samples = 1;
    if (samples > 100000) samples = 100000;
    dctx_t c = {s, account, clock_now_ms(s), client_ip && *client_ip ? client_ip : NULL, NULL, NULL};
    cJSON_AddStringToObject(out, "name", norm);
    cJSON_AddStringToObject(out, "type", type);
    cJSON *z = zone_for_name(s, account, norm);
    cJSON *answer = cJSON_CreateArray();
    cJSON *counts = cJSON_CreateObject();
    cJSON *records = cJSON_CreateArray();
    const char *policy = "simple";
    if (z) {
        const char *zid = r53_bare_id(jstr(z, "Id"));
        cJSON_AddStringToObject(out, "hostedZoneId", zid);
        cJSON *cands = lookup(&c, zid, jstr(z, "Name"), norm, type, rcode, sizeof rcode);
        if (cJSON_GetArraySize(cands) > 0) policy = policy_name(policy_of(cJSON_GetArrayItem(cands, 0)));
        const cJSON *rr;
        cJSON_ArrayForEach(rr, cands) {
            cJSON *d = cJSON_CreateObject();
            const char *sid = jstr(rr, "SetIdentifier");
            cJSON_AddStringToObject(d, "setIdentifier", sid ? sid : "");
            cJSON_AddStringToObject(d, "type", jstr(rr, "Type"));
            cJSON_AddBoolToObject(d, "healthy", rr_healthy(&c, rr, 0));
            if (jstr(rr, "HealthCheckId"))
                cJSON_AddStringToObject(d, "healthCheckId", jstr(rr, "HealthCheckId"));
            cJSON_AddItemToArray(records, d);
        }
        int ncand = cJSON_GetArraySize(cands);
        c.memo = malloc((size_t)ncand + 1);
        memset(c.memo, -1, (size_t)ncand + 1);
        c.memo_for = cands;
        for (int k = 0; k < samples; k++) {
            int idx[MULTIVALUE_MAX + 1];
            int n = choose(&c, cands, idx, 0);
            for (int i = 0; i < n; i++) {
                const cJSON *pick = cJSON_GetArrayItem(cands, idx[i]);
                const char *sid = jstr(pick, "SetIdentifier");
                if (!sid) sid = "";
                cJSON *cnt = cJSON_GetObjectItemCaseSensitive(counts, sid);
                if (cnt)
                    cJSON_SetNumberValue(cnt, cnt->valuedouble + 1);
                else
                    cJSON_AddNumberToObject(counts, sid, 1);
                if (k == 0) {
                    cJSON *a = cJSON_CreateObject();
                    cJSON_AddStringToObject(a, "setIdentifier", sid);
                    cJSON_AddStringToObject(a, "type", jstr(pick, "Type"));
                    cJSON *vals = cJSON_AddArrayToObject(a, "values");
                    values_of(&c, pick, vals, 0);
                    if (cJSON_GetObjectItemCaseSensitive(pick, "TTL"))
                        cJSON_AddNumberToObject(a, "ttl", jnum(pick, "TTL", 0));
                    cJSON_AddItemToArray(answer, a);
                }
            }
        }
        free(c.memo);
        c.memo = NULL;
        c.memo_for = NULL;
        cJSON_Delete(cands);
        cJSON_Delete(z);
    }
    cJSON_AddStringToObject(out, "rcode", rcode);
    cJSON_AddStringToObject(out, "policy", policy);
    cJSON_AddItemToObject(out, "answer", answer);
    cJSON_AddItemToObject(out, "records", records);
    cJSON_AddNumberToObject(out, "samples", samples);
    if (samples > 1)
        cJSON_AddItemToObject(out, "counts", counts);
    else
        cJSON_Delete(counts);
    return 0;
}
