/*
 * route53_health.c — Route 53 health checks, their simulated status and the fault API.
 * Targets are healthy unless a fault (table r53_fault) says otherwise; endpoint checks evaluate
 * every RequestInterval of the clock and flip after FailureThreshold consecutive results (see
 * evaluate()). Evaluation is lazy and deterministic; stored state ("_st", flips in "_hist") only
 * moves forward when faults or the configuration change, so a fault never rewrites history.
 * CALCULATED checks combine children, CLOUDWATCH_METRIC checks follow the alarm state from faults,
 * RECOVERY_CONTROL checks follow faults. Disabled reports healthy; Inverted flips the status.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "services/route53_int.h"

#define LIMIT_HEALTH_CHECKS 200
#define ST_UNHEALTHY 0
#define ST_HEALTHY 1
#define ST_INSUFFICIENT 2
#define NO_TIME INT64_MIN
#define FOREVER INT64_MAX

static const char *const HC_REGIONS[] = {"us-east-1",      "us-west-1",      "us-west-2",      "eu-west-1",
                                         "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"};
/* Route 53 health checker ranges (ip-ranges.json, service ROUTE53_HEALTHCHECKS), two per region
 * in HC_REGIONS order, then the global range. */
static const char *const CHECKER_RANGES[] = {
    "107.23.255.0/26",   "54.243.31.192/26",  "54.183.255.128/26", "54.241.32.64/26",   "54.244.52.192/26",
    "54.245.168.0/26",   "54.228.16.0/26",    "176.34.159.192/26", "54.251.31.128/26",  "54.255.254.192/26",
    "54.252.79.128/26",  "54.252.254.192/26", "54.248.220.0/26",   "54.250.253.192/26", "54.232.40.64/26",
    "177.71.207.128/26", "15.177.0.0/18"};
#define DEFAULT_FAILURE_REASON                                                                               \
    "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being " \
    "blocked by your firewall. See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"               \
    "dns-failover-router-firewall-rules.html"

int r53_schema_health(sim_t *s) {
    /* hc / fqdn / ip: the fault's target, normalised (lowercase, no trailing dot) and indexed */
    return db_exec(s, "CREATE TABLE IF NOT EXISTS r53_fault(id TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
                      "hc TEXT, fqdn TEXT, ip TEXT, doc TEXT NOT NULL);"
                      "CREATE INDEX IF NOT EXISTS r53_fault_hc ON r53_fault(hc);"
                      "CREATE INDEX IF NOT EXISTS r53_fault_fqdn ON r53_fault(fqdn);"
                      "CREATE INDEX IF NOT EXISTS r53_fault_ip ON r53_fault(ip);");
}

/* FQDN / IP as the fault table keys them: lowercase, no trailing dot. */
static void target_key(const char *in, char *out, size_t n) {
    size_t i = 0;
    for (; in && in[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    if (i > 0 && out[i - 1] == '.') i--;
    out[i] = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* faults                                                                                      */

typedef struct {
    int64_t from, until;
    int status;
    unsigned regions; /* bit i = HC_REGIONS[i] checkers see the fault; 0 = every checker */
    int64_t added;    /* when it was added: evaluations at or before that did not see it */
    char reason[512];
} fault_t;

static int region_index(const char *reg);

typedef struct {
    fault_t *v;
    int n;
} faults_t;

static int str_ieq(const char *a, const char *b) {
    return a && b && strcasecmp(a, b) == 0;
}

static int fqdn_eq(const char *a, const char *b) {
    if (!a || !b) return 0;
    size_t la = strlen(a), lb = strlen(b);
    if (la && a[la - 1] == '.') la--;
    if (lb && b[lb - 1] == '.') lb--;
    return la == lb && strncasecmp(a, b, la) == 0;
}

/* Faults that apply to a health check (by id, by its FQDN or by its IP), in the order added. */
static faults_t faults_for(sim_t *s, const char *id, const cJSON *cfg) {
    faults_t f = {NULL, 0};
    char fq[300], ip[64];
    target_key(jstr(cfg, "FullyQualifiedDomainName"), fq, sizeof fq);
    target_key(jstr(cfg, "IPAddress"), ip, sizeof ip);
    sqlite3_stmt *st =
        db_prepare(s, "SELECT doc FROM r53_fault WHERE hc=?1 OR fqdn=?2 OR ip=?3 ORDER BY seq");
    sqlite3_bind_text(st, 1, id ? id : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, fq[0] ? fq : "\x01", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, ip[0] ? ip : "\x01", -1, SQLITE_TRANSIENT);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *d = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
        if (!d) continue;
        int match = (jstr(d, "healthCheckId") && id && strcmp(jstr(d, "healthCheckId"), id) == 0) ||
                    (jstr(d, "fqdn") && fqdn_eq(jstr(d, "fqdn"), jstr(cfg, "FullyQualifiedDomainName"))) ||
                    (jstr(d, "ip") && str_ieq(jstr(d, "ip"), jstr(cfg, "IPAddress")));
        if (match) {
            if (f.n == cap) {
                cap = cap ? cap * 2 : 4;
                f.v = realloc(f.v, (size_t)cap * sizeof *f.v);
            }
            fault_t *x = &f.v[f.n++];
            x->from = (int64_t)jnum(d, "fromMs", -1e18);
            x->until =
                cJSON_GetObjectItemCaseSensitive(d, "untilMs") ? (int64_t)jnum(d, "untilMs", 0) : FOREVER;
            const char *stt = jstr(d, "status");
            x->status = !stt || !strcmp(stt, "unhealthy")   ? ST_UNHEALTHY
                        : !strcmp(stt, "insufficient_data") ? ST_INSUFFICIENT
                                                            : ST_HEALTHY;
            /* checkers report "Failure: ..." (a fault's reason gets the prefix when it lacks it) */
            const char *why = jstr(d, "reason");
            snprintf(x->reason, sizeof x->reason, "%s%s",
                     why && strncmp(why, "Failure", 7) ? "Failure: " : "", why ? why : "");
            x->regions = 0;
            x->added = (int64_t)jnum(d, "addedMs", -1e18);
            const cJSON *rg;
            cJSON_ArrayForEach(rg, cJSON_GetObjectItemCaseSensitive(d, "regions")) {
                int i = cJSON_IsString(rg) ? region_index(rg->valuestring) : -1;
                if (i >= 0) x->regions |= 1u << i;
            }
        }
        cJSON_Delete(d);
    }
    sqlite3_reset(st);
    return f;
}

/* The target's result at time t: the latest-added active fault wins; healthy without one. */
static const fault_t *fault_at(const faults_t *f, int64_t t) {
    for (int i = f->n - 1; i >= 0; i--)
        if (f->v[i].from <= t && t < f->v[i].until) return &f->v[i];
    return NULL;
}

/* The same, as the checkers of one region (index into HC_REGIONS) see it. */
static const fault_t *fault_at_region(const faults_t *f, int64_t t, int region) {
    for (int i = f->n - 1; i >= 0; i--)
        if (f->v[i].from <= t && t < f->v[i].until && (!f->v[i].regions || (f->v[i].regions >> region) & 1))
            return &f->v[i];
    return NULL;
}

/* What one region's checkers saw in the evaluation at t (faults added since do not count). */
static const fault_t *fault_seen_at(const faults_t *f, int64_t t, int region) {
    for (int i = f->n - 1; i >= 0; i--) {
        const fault_t *x = &f->v[i];
        if (x->added < t && x->from <= t && t < x->until && (!x->regions || (x->regions >> region) & 1))
            return x;
    }
    return NULL;
}

/* Checker regions of a check: its Regions, or all eight. Returns how many (indices in out). */
static int check_regions(const cJSON *cfg, int out[8]) {
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cfg, "Regions")) {
        int i = cJSON_IsString(it) ? region_index(it->valuestring) : -1;
        if (i >= 0 && n < 8) out[n++] = i;
    }
    if (n == 0)
        for (n = 0; n < 8; n++)
            out[n] = n;
    return n;
}

/* One evaluation of an endpoint at t: Route 53 considers it healthy when more than 18% of its
 * health checkers report it healthy. *why is a fault behind a failure, if any. */
static int target_at(const cJSON *cfg, const faults_t *f, int64_t t, const fault_t **why) {
    int regs[8], n = check_regions(cfg, regs), ok = 0;
    *why = NULL;
    for (int i = 0; i < n; i++) {
        const fault_t *x = fault_at_region(f, t, regs[i]);
        if (!x || x->status == ST_HEALTHY)
            ok++;
        else if (!*why)
            *why = x;
    }
    return ok * 100 > 18 * n ? ST_HEALTHY : ST_UNHEALTHY;
}

/* Share of a check's checker regions that see its endpoint healthy at t (metric). */
static double percent_healthy(const cJSON *cfg, const faults_t *f, int64_t t) {
    int regs[8], n = check_regions(cfg, regs), ok = 0;
    for (int i = 0; i < n; i++) {
        const fault_t *x = fault_at_region(f, t, regs[i]);
        ok += !x || x->status == ST_HEALTHY;
    }
    return 100.0 * ok / n;
}

static int status_at(const faults_t *f, int64_t t) {
    const fault_t *x = fault_at(f, t);
    return x ? x->status : ST_HEALTHY;
}

/* Earliest fault boundary strictly after t, or FOREVER. */
static int64_t next_boundary(const faults_t *f, int64_t t) {
    int64_t b = FOREVER;
    for (int i = 0; i < f->n; i++) {
        if (f->v[i].from > t && f->v[i].from < b) b = f->v[i].from;
        if (f->v[i].until > t && f->v[i].until < b) b = f->v[i].until;
    }
    return b;
}

/* ------------------------------------------------------------------------------------------ */
/* evaluation                                                                                  */

typedef struct {
    int64_t anchor;    /* time of the last evaluation applied (grid origin) */
    int ok;            /* current (thresholded) target status */
    int streak;        /* consecutive results against `ok` */
    int last_result;   /* result of the latest evaluation */
    int64_t last_eval; /* time of the latest evaluation */
    int64_t last_fail; /* time of the latest failed evaluation, NO_TIME if none */
    char reason[512];  /* text of the latest failure */
} hc_state_t;

static void state_load(const cJSON *hc, hc_state_t *st) {
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(hc, "_st");
    st->anchor = (int64_t)jnum(j, "anchor", 0);
    st->ok = jbool(j, "ok", 1);
    st->streak = jint(j, "streak", 0);
    st->last_result = jbool(j, "lastResult", 1);
    st->last_eval = (int64_t)jnum(j, "lastEval", (double)st->anchor);
    st->last_fail =
        cJSON_GetObjectItemCaseSensitive(j, "lastFail") ? (int64_t)jnum(j, "lastFail", 0) : NO_TIME;
    snprintf(st->reason, sizeof st->reason, "%s", jstr(j, "reason") ? jstr(j, "reason") : "");
}

static void state_store(cJSON *hc, const hc_state_t *st) {
    cJSON_DeleteItemFromObjectCaseSensitive(hc, "_st");
    cJSON *j = cJSON_AddObjectToObject(hc, "_st");
    cJSON_AddNumberToObject(j, "anchor", (double)st->anchor);
    cJSON_AddBoolToObject(j, "ok", st->ok);
    cJSON_AddNumberToObject(j, "streak", st->streak);
    cJSON_AddBoolToObject(j, "lastResult", st->last_result);
    cJSON_AddNumberToObject(j, "lastEval", (double)st->last_eval);
    if (st->last_fail != NO_TIME) cJSON_AddNumberToObject(j, "lastFail", (double)st->last_fail);
    if (st->reason[0]) cJSON_AddStringToObject(j, "reason", st->reason);
}

static int is_endpoint_type(const char *t) {
    return t && (!strcmp(t, "HTTP") || !strcmp(t, "HTTPS") || !strcmp(t, "HTTP_STR_MATCH") ||
                 !strcmp(t, "HTTPS_STR_MATCH") || !strcmp(t, "TCP"));
}

/* Run the evaluations on the grid anchor + k * interval (k >= 1) up to `now`. Between fault
 * boundaries the target's result is constant, so a stretch of n evaluations is applied at once.
 * When hist is an array, each status flip is appended to it as [time_ms, ok]. */
static void evaluate(const cJSON *cfg, const faults_t *f, hc_state_t *st, int64_t now, cJSON *hist) {
    int64_t iv = (int64_t)jint(cfg, "RequestInterval", 30) * 1000;
    int thr = jint(cfg, "FailureThreshold", 3);
    if (iv <= 0) iv = 30000;
    if (thr < 1) thr = 1;
    if (now < st->anchor + iv) return;
    int64_t k_last = (now - st->anchor) / iv;
    int64_t k = 1;
    while (k <= k_last) {
        int64_t t = st->anchor + k * iv;
        const fault_t *x;
        int h = target_at(cfg, f, t, &x);
        int64_t b = next_boundary(f, t);
        int64_t k_end = k_last;
        if (b != FOREVER) {
            int64_t kb = (b - st->anchor + iv - 1) / iv - 1; /* last k with anchor + k*iv < b */
            if (kb < k_end) k_end = kb;
        }
        if (k_end < k) k_end = k;
        int64_t count = k_end - k + 1;
        /* FailureThreshold consecutive results against the current status flip it */
        if (h == st->ok)
            st->streak = 0;
        else if (st->streak + count >= thr) {
            if (hist) {
                cJSON *flip = cJSON_CreateArray();
                int64_t kf = k + thr - st->streak - 1; /* the evaluation completing the streak */
                if (kf < k) kf = k;                    /* FailureThreshold lowered below the streak */
                cJSON_AddItemToArray(flip, cJSON_CreateNumber((double)(st->anchor + kf * iv)));
                cJSON_AddItemToArray(flip, cJSON_CreateNumber(h));
                cJSON_AddItemToArray(hist, flip);
            }
            st->ok = h;
            st->streak = 0;
        } else
            st->streak += (int)count;
        st->last_result = h;
        st->last_eval = st->anchor + k_end * iv;
        if (h == ST_UNHEALTHY) {
            st->last_fail = st->last_eval;
            snprintf(st->reason, sizeof st->reason, "%s",
                     x && x->reason[0] ? x->reason : DEFAULT_FAILURE_REASON);
        }
        k = k_end + 1;
    }
    st->anchor += k_last * iv;
}

/* CloudWatch alarm state at t; LastKnownStatus looks back before the insufficient-data stretch. */
static int cloudwatch_status(const cJSON *cfg, const faults_t *f, int64_t t) {
    int s = status_at(f, t);
    if (s != ST_INSUFFICIENT) return s;
    const char *mode = jstr(cfg, "InsufficientDataHealthStatus");
    if (mode && !strcmp(mode, "Healthy")) return ST_HEALTHY;
    if (mode && !strcmp(mode, "Unhealthy")) return ST_UNHEALTHY;
    for (int i = 0; i < 32; i++) { /* LastKnownStatus (the default) */
        const fault_t *x = fault_at(f, t);
        if (!x || x->status != ST_INSUFFICIENT) return x ? x->status : ST_HEALTHY;
        if (x->from <= -1000000000000000LL) return ST_HEALTHY;
        t = x->from - 1;
    }
    return ST_HEALTHY;
}

#define HIST_MAX 500

/* Target status of an endpoint check at t: evaluated forward from the stored state, or, before
 * it, looked up in the recorded flips (healthy before the first one). */
static int endpoint_ok_at(const cJSON *hc, const cJSON *cfg, const faults_t *f, int64_t t) {
    hc_state_t st;
    state_load(hc, &st);
    if (t >= st.anchor) {
        evaluate(cfg, f, &st, t, NULL);
        return st.ok;
    }
    int ok = ST_HEALTHY;
    const cJSON *flip;
    cJSON_ArrayForEach(flip, cJSON_GetObjectItemCaseSensitive(hc, "_hist")) {
        if (cJSON_GetArrayItem(flip, 0)->valuedouble > (double)t) break;
        ok = cJSON_GetArrayItem(flip, 1)->valueint;
    }
    return ok;
}

static cJSON *hc_find(sim_t *s, const char *account, const char *id) {
    return rs_get_at(s, R53_SVC, account, R53_SCOPE, "hc", id);
}

static int hc_status_doc(sim_t *s, const char *account, const cJSON *hc, int64_t now, int depth);

static int calculated_status(sim_t *s, const char *account, const cJSON *cfg, int64_t now, int depth,
                             int *healthy_children, int *children) {
    const cJSON *it;
    int n = 0, ok = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cfg, "ChildHealthChecks")) {
        n++;
        cJSON *child = depth < 8 ? hc_find(s, account, it->valuestring) : NULL;
        if (child && hc_status_doc(s, account, child, now, depth + 1) == ST_HEALTHY) ok++;
        cJSON_Delete(child);
    }
    if (healthy_children) *healthy_children = ok;
    if (children) *children = n;
    return ok >= jint(cfg, "HealthThreshold", n) ? ST_HEALTHY : ST_UNHEALTHY;
}

/* Reported status (Disabled -> healthy, then Inverted) of a check document at `now`. */
static int hc_status_doc(sim_t *s, const char *account, const cJSON *hc, int64_t now, int depth) {
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(hc, "HealthCheckConfig");
    const char *type = jstr(cfg, "Type");
    int raw = ST_HEALTHY;
    if (!jbool(cfg, "Disabled", 0)) {
        faults_t f = faults_for(s, jstr(hc, "Id"), cfg);
        if (is_endpoint_type(type)) {
            raw = endpoint_ok_at(hc, cfg, &f, now);
        } else if (type && !strcmp(type, "CALCULATED")) {
            raw = calculated_status(s, account, cfg, now, depth, NULL, NULL);
        } else if (type && !strcmp(type, "CLOUDWATCH_METRIC")) {
            raw = cloudwatch_status(cfg, &f, now);
        } else {
            raw = status_at(&f, now) == ST_UNHEALTHY ? ST_UNHEALTHY : ST_HEALTHY;
        }
        free(f.v);
    }
    if (jbool(cfg, "Inverted", 0)) raw = !raw;
    return raw;
}

int r53_target_healthy(sim_t *s, const char *fqdn, int64_t now) {
    char key[300];
    target_key(fqdn, key, sizeof key);
    if (strncmp(key, "dualstack.", 10) == 0) memmove(key, key + 10, strlen(key + 10) + 1);
    cJSON *cfg = cJSON_CreateObject();
    cJSON_AddStringToObject(cfg, "FullyQualifiedDomainName", key);
    faults_t f = faults_for(s, NULL, cfg);
    int st = status_at(&f, now);
    free(f.v);
    cJSON_Delete(cfg);
    return st != ST_UNHEALTHY;
}

int r53_hc_healthy(sim_t *s, const char *account, const char *id, int64_t now) {
    cJSON *hc = hc_find(s, account, id);
    if (!hc) return -1;
    int v = hc_status_doc(s, account, hc, now, 0);
    cJSON_Delete(hc);
    return v;
}

/* Move one check's stored state to `now` (endpoint checks only carry state). */
static void settle(sim_t *s, cJSON *hc, int64_t now) {
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(hc, "HealthCheckConfig");
    if (!is_endpoint_type(jstr(cfg, "Type"))) return;
    faults_t f = faults_for(s, jstr(hc, "Id"), cfg);
    hc_state_t st;
    state_load(hc, &st);
    cJSON *hist = cJSON_GetObjectItemCaseSensitive(hc, "_hist");
    if (!hist) hist = cJSON_AddArrayToObject(hc, "_hist");
    evaluate(cfg, &f, &st, now, hist);
    while (cJSON_GetArraySize(hist) > HIST_MAX)
        cJSON_DeleteItemFromArray(hist, 0);
    state_store(hc, &st);
    free(f.v);
}

void r53_hc_settle_all(sim_t *s, int64_t now) {
    cJSON *all = rs_list_all(s, R53_SVC, "hc"), *it;
    cJSON_ArrayForEach(it, all) {
        cJSON *doc = cJSON_GetObjectItemCaseSensitive(it, "doc");
        settle(s, doc, now);
        rs_put_at(s, R53_SVC, jstr(it, "account"), jstr(it, "scope"), "hc", jstr(it, "id"), doc);
    }
    cJSON_Delete(all);
}

/* ------------------------------------------------------------------------------------------ */
/* fault API                                                                                   */

static int64_t fault_time(const cJSON *v, int64_t dflt, int *bad) {
    if (!v || cJSON_IsNull(v)) return dflt;
    if (cJSON_IsNumber(v))
        return v->valuedouble > 1e12 ? (int64_t)v->valuedouble : (int64_t)(v->valuedouble * 1000);
    if (cJSON_IsString(v)) {
        int64_t t = parse_iso8601(v->valuestring);
        if (t >= 0) return t;
    }
    *bad = 1;
    return dflt;
}

int route53_fault_add(sim_t *s, const cJSON *fault, sim_error_t *e) {
    const char *svc = jstr(fault, "service"), *status = jstr(fault, "status");
    const char *hcid = jstr(fault, "healthCheckId"), *fqdn = jstr(fault, "fqdn"), *ip = jstr(fault, "ip");
    if (svc && strcmp(svc, "route53") != 0)
        return sim_err(e, 400, "InvalidParameter", "service must be route53");
    if (!hcid && !fqdn && !ip)
        return sim_err(e, 400, "InvalidParameter", "a route53 fault needs healthCheckId, fqdn or ip");
    if (status && strcmp(status, "unhealthy") && strcmp(status, "healthy") &&
        strcmp(status, "insufficient_data"))
        return sim_err(e, 400, "InvalidParameter", "status must be unhealthy, healthy or insufficient_data");
    int64_t now = clock_now_ms(s);
    int bad = 0;
    int64_t from = fault_time(cJSON_GetObjectItemCaseSensitive(fault, "from"), now, &bad);
    int64_t until = fault_time(cJSON_GetObjectItemCaseSensitive(fault, "until"), FOREVER, &bad);
    if (bad) return sim_err(e, 400, "InvalidParameter", "from/until must be ISO-8601 or epoch seconds");
    if (until <= from) return sim_err(e, 400, "InvalidParameter", "until must be after from");
    const cJSON *regions = cJSON_GetObjectItemCaseSensitive(fault, "regions"), *rg;
    if (regions && !cJSON_IsArray(regions))
        return sim_err(e, 400, "InvalidParameter", "regions must be a list of health-checker regions");
    cJSON_ArrayForEach(rg, regions) {
        if (!cJSON_IsString(rg) || region_index(rg->valuestring) < 0)
            return sim_err(e, 400, "InvalidParameter",
                           "regions: health checkers run in us-east-1, us-west-1, us-west-2, eu-west-1, "
                           "ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1");
    }
    /* evaluations up to now are history: settle them before the fault set changes */
    r53_hc_settle_all(s, now);
    int64_t seq = meta_next_seq(s, "route53.fault");
    char id[48];
    snprintf(id, sizeof id, "%lld", (long long)seq);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "service", "route53");
    if (hcid) cJSON_AddStringToObject(doc, "healthCheckId", hcid);
    if (fqdn) cJSON_AddStringToObject(doc, "fqdn", fqdn);
    if (ip) cJSON_AddStringToObject(doc, "ip", ip);
    cJSON_AddStringToObject(doc, "status", status ? status : "unhealthy");
    if (jstr(fault, "reason")) cJSON_AddStringToObject(doc, "reason", jstr(fault, "reason"));
    if (cJSON_GetArraySize(regions) > 0) cJSON_AddItemToObject(doc, "regions", jdup(regions));
    char buf[32];
    cJSON_AddNumberToObject(doc, "fromMs", (double)from);
    cJSON_AddNumberToObject(doc, "addedMs", (double)now);
    fmt_iso8601(from, buf);
    cJSON_AddStringToObject(doc, "from", buf);
    if (until != FOREVER) {
        cJSON_AddNumberToObject(doc, "untilMs", (double)until);
        fmt_iso8601(until, buf);
        cJSON_AddStringToObject(doc, "until", buf);
    }
    char *text = cJSON_PrintUnformatted(doc);
    char fq[300], ipk[64];
    target_key(fqdn, fq, sizeof fq);
    target_key(ip, ipk, sizeof ipk);
    sqlite3_stmt *st = db_prepare(s, "INSERT OR REPLACE INTO r53_fault(id, seq, hc, fqdn, ip, doc) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, seq);
    if (hcid)
        sqlite3_bind_text(st, 3, hcid, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 3);
    if (fqdn)
        sqlite3_bind_text(st, 4, fq, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 4);
    if (ip)
        sqlite3_bind_text(st, 5, ipk, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, text, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    free(text);
    cJSON_Delete(doc);
    if (rc) return sim_err(e, 500, "InternalFailure", "could not store the fault");
    return (int)seq;
}

int route53_fault_clear(sim_t *s, const char *id_or_null) {
    r53_hc_settle_all(s, clock_now_ms(s));
    sqlite3_stmt *st = id_or_null ? db_prepare(s, "DELETE FROM r53_fault WHERE id=?1")
                                  : db_prepare(s, "DELETE FROM r53_fault");
    if (id_or_null) sqlite3_bind_text(st, 1, id_or_null, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
    return sqlite3_changes(s->db);
}

cJSON *route53_faults_json(sim_t *s) {
    cJSON *arr = cJSON_CreateArray();
    sqlite3_stmt *st = db_prepare(s, "SELECT doc FROM r53_fault ORDER BY seq");
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *d = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
        if (!d) continue;
        cJSON_DeleteItemFromObjectCaseSensitive(d, "fromMs");
        cJSON_DeleteItemFromObjectCaseSensitive(d, "untilMs");
        cJSON_DeleteItemFromObjectCaseSensitive(d, "addedMs");
        cJSON_AddItemToArray(arr, d);
    }
    sqlite3_reset(st);
    return arr;
}

/* ------------------------------------------------------------------------------------------ */
/* CloudWatch metrics (namespace AWS/Route53, region us-east-1)                                */

#define METRIC_WINDOW_MS (24LL * 3600 * 1000)

static void add_metric(cJSON *arr, const char *name, const char *id, int64_t t, double v, const char *unit) {
    char ts[32];
    fmt_iso8601(t, ts);
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "Namespace", "AWS/Route53");
    cJSON_AddStringToObject(m, "MetricName", name);
    cJSON *dims = cJSON_AddArrayToObject(m, "Dimensions");
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "Name", "HealthCheckId");
    cJSON_AddStringToObject(d, "Value", id);
    cJSON_AddItemToArray(dims, d);
    cJSON_AddStringToObject(m, "Timestamp", ts);
    cJSON_AddNumberToObject(m, "Value", v);
    cJSON_AddStringToObject(m, "Unit", unit);
    cJSON_AddItemToArray(arr, m);
}

int route53_metrics_json(sim_t *s, const char *account, const char *region, cJSON *out) {
    cJSON *arr = cJSON_IsArray(out) ? out : cJSON_GetObjectItemCaseSensitive(out, "Datapoints");
    if (!arr) arr = cJSON_AddArrayToObject(out, "Datapoints");
    if (region && *region && strcmp(region, "us-east-1") != 0) return 0;
    int64_t now = clock_now_ms(s);
    cJSON *all = rs_list_all(s, R53_SVC, "hc"), *row;
    int n = 0;
    cJSON_ArrayForEach(row, all) {
        if (account && *account && strcmp(account, jstr(row, "account")) != 0) continue;
        const cJSON *hc = cJSON_GetObjectItemCaseSensitive(row, "doc");
        const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(hc, "HealthCheckConfig");
        const char *id = jstr(hc, "Id"), *type = jstr(cfg, "Type");
        faults_t f = faults_for(s, id, cfg);
        int64_t from = (int64_t)jnum(hc, "_created", (double)(now - METRIC_WINDOW_MS));
        if (from < now - METRIC_WINDOW_MS) from = now - METRIC_WINDOW_MS;
        /* one datapoint per minute, on the minute grid of the clock */
        for (int64_t t = now - ((now - from) / 60000) * 60000; t <= now; t += 60000) {
            int ok = hc_status_doc(s, jstr(row, "account"), hc, t, 0);
            add_metric(arr, "HealthCheckStatus", id, t, ok, "None");
            n++;
            if (is_endpoint_type(type)) {
                add_metric(arr, "HealthCheckPercentageHealthy", id, t, percent_healthy(cfg, &f, t),
                           "Percent");
                n++;
            } else if (type && !strcmp(type, "CALCULATED")) {
                int healthy = 0;
                calculated_status(s, jstr(row, "account"), cfg, t, 0, &healthy, NULL);
                add_metric(arr, "ChildHealthCheckHealthyCount", id, t, healthy, "Count");
                n++;
            }
        }
        free(f.v);
    }
    cJSON_Delete(all);
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* operations                                                                                  */

static int is_private_ipv4(const char *ip) {
    unsigned a, b, c, d;
    if (sscanf(ip, "%u.%u.%u.%u", &a, &b, &c, &d) != 4) return 0;
    return a == 10 || a == 127 || a == 0 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
           (a == 169 && b == 254) || a >= 224;
}

/* Defaults Route 53 fills in, and the rules per Type. */
static int normalise_config(req_t *r, cJSON *cfg, const char *self_id, sim_error_t *e) {
    const char *type = jstr(cfg, "Type");
    int https = type && (!strcmp(type, "HTTPS") || !strcmp(type, "HTTPS_STR_MATCH"));
    if (is_endpoint_type(type)) {
        const char *ip = jstr(cfg, "IPAddress"), *fqdn = jstr(cfg, "FullyQualifiedDomainName");
        if (!ip && !fqdn)
            return sim_err(
                e, 400, "InvalidInput",
                "Invalid parameter : Either IPAddress or FullyQualifiedDomainName must be specified");
        if (ip && is_private_ipv4(ip))
            return sim_err(e, 400, "InvalidInput",
                           "Invalid parameter : IP address %s is not a valid public IP address", ip);
        if (!strcmp(type, "TCP") && !cJSON_GetObjectItemCaseSensitive(cfg, "Port"))
            return sim_err(e, 400, "InvalidInput",
                           "Invalid parameter : Port must be specified for a TCP health check");
        if (strstr(type, "STR_MATCH") && !jstr(cfg, "SearchString"))
            return sim_err(e, 400, "InvalidInput",
                           "Invalid parameter : SearchString must be specified for %s health checks", type);
        if (!strstr(type, "STR_MATCH") && jstr(cfg, "SearchString"))
            return sim_err(e, 400, "InvalidInput",
                           "Invalid parameter : SearchString is only allowed for *_STR_MATCH health checks");
        /* only CLOUDWATCH_METRIC checks name an alarm */
        if (cJSON_GetObjectItemCaseSensitive(cfg, "AlarmIdentifier"))
            return sim_err(
                e, 400, "InvalidInput",
                "Invalid parameter : Basic health checks must not have an metric region specified.");
        if (!cJSON_GetObjectItemCaseSensitive(cfg, "Port"))
            cJSON_AddNumberToObject(cfg, "Port", https ? 443 : 80);
        if (!cJSON_GetObjectItemCaseSensitive(cfg, "RequestInterval"))
            cJSON_AddNumberToObject(cfg, "RequestInterval", 30);
        if (!cJSON_GetObjectItemCaseSensitive(cfg, "FailureThreshold"))
            cJSON_AddNumberToObject(cfg, "FailureThreshold", 3);
        if (!cJSON_GetObjectItemCaseSensitive(cfg, "MeasureLatency"))
            cJSON_AddBoolToObject(cfg, "MeasureLatency", 0);
        if (!cJSON_GetObjectItemCaseSensitive(cfg, "EnableSNI"))
            cJSON_AddBoolToObject(cfg, "EnableSNI", https);
        int ri = jint(cfg, "RequestInterval", 30);
        /* RequestInterval is 10 (fast) or 30 (standard) */
        if (ri != 10 && ri != 30)
            return sim_err(e, 400, "InvalidInput",
                           "Invalid parameter : RequestInterval must be either 10 or 30");
    } else if (!strcmp(type, "CALCULATED")) {
        const cJSON *kids = cJSON_GetObjectItemCaseSensitive(cfg, "ChildHealthChecks"), *it;
        cJSON_ArrayForEach(it, kids) {
            if (!cJSON_IsString(it)) continue;
            if (self_id && !strcmp(it->valuestring, self_id))
                return sim_err(e, 400, "InvalidInput",
                               "Invalid parameter : A health check can't be its own child");
            cJSON *child = hc_find(r->sim, r->account, it->valuestring);
            if (!child)
                return sim_err(e, 400, "InvalidInput",
                               "Invalid parameter : Child health check %s does not exist", it->valuestring);
            const char *ct = jstr(cJSON_GetObjectItemCaseSensitive(child, "HealthCheckConfig"), "Type");
            int calc = ct && !strcmp(ct, "CALCULATED");
            cJSON_Delete(child);
            if (calc)
                return sim_err(
                    e, 400, "InvalidInput",
                    "Invalid parameter : A calculated health check can't have calculated children");
        }
        if (!cJSON_GetObjectItemCaseSensitive(cfg, "HealthThreshold"))
            cJSON_AddNumberToObject(cfg, "HealthThreshold", cJSON_GetArraySize(kids));
        if (!kids) cJSON_AddArrayToObject(cfg, "ChildHealthChecks");
    } else if (!strcmp(type, "CLOUDWATCH_METRIC")) {
        if (!cJSON_GetObjectItemCaseSensitive(cfg, "AlarmIdentifier"))
            return sim_err(
                e, 400, "InvalidInput",
                "Invalid parameter : AlarmIdentifier must be specified for CLOUDWATCH_METRIC health checks");
        if (!jstr(cfg, "InsufficientDataHealthStatus"))
            cJSON_AddStringToObject(cfg, "InsufficientDataHealthStatus", "LastKnownStatus");
    } else if (!strcmp(type, "RECOVERY_CONTROL")) {
        if (!jstr(cfg, "RoutingControlArn"))
            return sim_err(
                e, 400, "InvalidInput",
                "Invalid parameter : RoutingControlArn must be specified for RECOVERY_CONTROL health checks");
    }
    if (!cJSON_GetObjectItemCaseSensitive(cfg, "Inverted")) cJSON_AddBoolToObject(cfg, "Inverted", 0);
    if (!cJSON_GetObjectItemCaseSensitive(cfg, "Disabled")) cJSON_AddBoolToObject(cfg, "Disabled", 0);
    return 0;
}

static cJSON *hc_public(const cJSON *hc) {
    cJSON *o = jdup(hc);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "_st");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "_hist");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "_created");
    return o;
}

static cJSON *alarm_config(const cJSON *cfg) {
    const cJSON *alarm = cJSON_GetObjectItemCaseSensitive(cfg, "AlarmIdentifier");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "EvaluationPeriods", 1);
    cJSON_AddNumberToObject(c, "Threshold", 1.0);
    cJSON_AddStringToObject(c, "ComparisonOperator", "GreaterThanOrEqualToThreshold");
    cJSON_AddNumberToObject(c, "Period", 60);
    cJSON_AddStringToObject(c, "MetricName", jstr(alarm, "Name") ? jstr(alarm, "Name") : "Alarm");
    cJSON_AddStringToObject(c, "Namespace", "AWS/Route53");
    cJSON_AddStringToObject(c, "Statistic", "Average");
    return c;
}

R53_OP(CreateHealthCheck) {
    const char *ref = jstr(in, "CallerReference");
    cJSON *cfg = jdup(cJSON_GetObjectItemCaseSensitive(in, "HealthCheckConfig"));
    if (normalise_config(r, cfg, NULL, e)) {
        cJSON_Delete(cfg);
        return -1;
    }
    /* CallerReference: same settings return the existing check; different settings, or a deleted
     * check's reference, are HealthCheckAlreadyExists */
    cJSON *prev = rs_get(r, "hcref", ref);
    if (prev) {
        int same = !jbool(prev, "deleted", 0) &&
                   cJSON_Compare(cJSON_GetObjectItemCaseSensitive(prev, "config"), cfg, 1);
        cJSON *existing = same ? rs_get(r, "hc", jstr(prev, "Id")) : NULL;
        cJSON_Delete(prev);
        cJSON_Delete(cfg);
        if (!existing)
            return sim_err(
                e, 409, "HealthCheckAlreadyExists",
                "A health check with the same CallerReference already exists but with different settings, "
                "or it was deleted.");
        cJSON_AddItemToObject(out, "HealthCheck", hc_public(existing));
        char loc[96];
        snprintf(loc, sizeof loc, "healthcheck/%s", jstr(existing, "Id"));
        r53_location(out, loc);
        cJSON_Delete(existing);
        return 0;
    }
    if (rs_count(r, "hc") >= LIMIT_HEALTH_CHECKS) {
        cJSON_Delete(cfg);
        return sim_err(e, 400, "TooManyHealthChecks",
                       "This operation would exceed the maximum number of health checks for this account.");
    }
    char id[37];
    rng_uuid(r->sim, id);
    cJSON *hc = cJSON_CreateObject();
    cJSON_AddStringToObject(hc, "Id", id);
    cJSON_AddStringToObject(hc, "CallerReference", ref);
    cJSON_AddItemToObject(hc, "HealthCheckConfig", jdup(cfg));
    cJSON_AddNumberToObject(hc, "HealthCheckVersion", 1);
    if (!strcmp(jstr(cfg, "Type"), "CLOUDWATCH_METRIC"))
        cJSON_AddItemToObject(hc, "CloudWatchAlarmConfiguration", alarm_config(cfg));
    hc_state_t st = {
        .anchor = clock_now_ms(r->sim), .ok = 1, .streak = 0, .last_result = 1, .last_fail = NO_TIME};
    st.last_eval = st.anchor;
    st.reason[0] = 0;
    state_store(hc, &st);
    cJSON_AddNumberToObject(hc, "_created", (double)st.anchor);
    rs_put(r, "hc", id, hc);
    cJSON *refdoc = cJSON_CreateObject();
    cJSON_AddStringToObject(refdoc, "Id", id);
    cJSON_AddItemToObject(refdoc, "config", cfg);
    rs_put(r, "hcref", ref, refdoc);
    cJSON_Delete(refdoc);
    cJSON_AddItemToObject(out, "HealthCheck", hc_public(hc));
    char loc[96];
    snprintf(loc, sizeof loc, "healthcheck/%s", id);
    r53_location(out, loc);
    cJSON_Delete(hc);
    return 0;
}

static cJSON *hc_or_err(req_t *r, const char *id, sim_error_t *e) {
    cJSON *hc = hc_find(r->sim, r->account, id ? id : "");
    if (!hc) sim_err(e, 404, "NoSuchHealthCheck", "A health check with id %s does not exist.", id ? id : "");
    return hc;
}

R53_OP(GetHealthCheck) {
    cJSON *hc = hc_or_err(r, jstr(in, "HealthCheckId"), e);
    if (!hc) return -1;
    cJSON_AddItemToObject(out, "HealthCheck", hc_public(hc));
    cJSON_Delete(hc);
    return 0;
}

R53_OP(UpdateHealthCheck) {
    cJSON *hc = hc_or_err(r, jstr(in, "HealthCheckId"), e);
    if (!hc) return -1;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(in, "HealthCheckVersion");
    int cur = jint(hc, "HealthCheckVersion", 1);
    if (ver && (int)ver->valuedouble != cur) {
        cJSON_Delete(hc);
        return sim_err(
            e, 409, "HealthCheckVersionMismatch",
            "The value of HealthCheckVersion in the request doesn't match the value of HealthCheckVersion "
            "in the health check.");
    }
    /* evaluations so far used the old settings */
    settle(r->sim, hc, clock_now_ms(r->sim));
    cJSON *cfg = jdup(cJSON_GetObjectItemCaseSensitive(hc, "HealthCheckConfig"));
    static const char *const fields[] = {"IPAddress",       "Port",
                                         "ResourcePath",    "FullyQualifiedDomainName",
                                         "SearchString",    "FailureThreshold",
                                         "Inverted",        "Disabled",
                                         "HealthThreshold", "ChildHealthChecks",
                                         "EnableSNI",       "Regions",
                                         "AlarmIdentifier", "InsufficientDataHealthStatus"};
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, "ResetElements")) {
        if (cJSON_IsString(it)) cJSON_DeleteItemFromObjectCaseSensitive(cfg, it->valuestring);
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, fields[i]);
        if (!v) continue;
        cJSON_DeleteItemFromObjectCaseSensitive(cfg, fields[i]);
        cJSON_AddItemToObject(cfg, fields[i], jdup(v));
    }
    if (normalise_config(r, cfg, jstr(hc, "Id"), e)) {
        cJSON_Delete(cfg);
        cJSON_Delete(hc);
        return -1;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(hc, "HealthCheckConfig", cfg);
    cJSON_ReplaceItemInObjectCaseSensitive(hc, "HealthCheckVersion", cJSON_CreateNumber(cur + 1));
    if (!strcmp(jstr(cfg, "Type"), "CLOUDWATCH_METRIC")) {
        cJSON_DeleteItemFromObjectCaseSensitive(hc, "CloudWatchAlarmConfiguration");
        cJSON_AddItemToObject(hc, "CloudWatchAlarmConfiguration", alarm_config(cfg));
    }
    rs_put(r, "hc", jstr(hc, "Id"), hc);
    cJSON_AddItemToObject(out, "HealthCheck", hc_public(hc));
    cJSON_Delete(hc);
    return 0;
}

R53_OP(DeleteHealthCheck) {
    const char *id = jstr(in, "HealthCheckId");
    cJSON *hc = hc_or_err(r, id, e);
    if (!hc) return -1;
    /* a child of a calculated health check is in use */
    cJSON *all = rs_list(r, "hc"), *it, *kid;
    int used = 0;
    cJSON_ArrayForEach(it, all) {
        cJSON_ArrayForEach(
            kid, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "HealthCheckConfig"),
                                                  "ChildHealthChecks")) {
            if (cJSON_IsString(kid) && !strcmp(kid->valuestring, id)) used = 1;
        }
    }
    cJSON_Delete(all);
    if (used) {
        cJSON_Delete(hc);
        return sim_err(e, 400, "HealthCheckInUse",
                       "The health check with id %s is still referenced from parent health check(s).", id);
    }
    cJSON *ref = rs_get(r, "hcref", jstr(hc, "CallerReference"));
    if (ref) {
        cJSON_DeleteItemFromObjectCaseSensitive(ref, "deleted");
        cJSON_AddBoolToObject(ref, "deleted", 1);
        rs_put(r, "hcref", jstr(hc, "CallerReference"), ref);
        cJSON_Delete(ref);
    }
    char tagid[128];
    snprintf(tagid, sizeof tagid, "healthcheck:%s", id);
    rs_del(r, "tags", tagid);
    rs_del(r, "hc", id);
    cJSON_Delete(hc);
    return 0;
}

R53_OP(ListHealthChecks) {
    int max = r53_max_items(in, "MaxItems", 100, 1000);
    const char *marker = jstr(in, "Marker");
    cJSON *all = rs_list(r, "hc"), *it;
    cJSON *list = cJSON_AddArrayToObject(out, "HealthChecks");
    int started = marker == NULL, n = 0;
    const char *next = NULL;
    cJSON_ArrayForEach(it, all) {
        if (!started && !strcmp(jstr(it, "Id"), marker)) started = 1;
        if (!started) continue;
        if (n == max) {
            next = jstr(it, "Id");
            break;
        }
        cJSON_AddItemToArray(list, hc_public(it));
        n++;
    }
    cJSON_AddStringToObject(out, "Marker", marker ? marker : "");
    cJSON_AddBoolToObject(out, "IsTruncated", next != NULL);
    if (next) cJSON_AddStringToObject(out, "NextMarker", next);
    char buf[16];
    snprintf(buf, sizeof buf, "%d", max);
    cJSON_AddStringToObject(out, "MaxItems", buf);
    cJSON_Delete(all);
    return 0;
}

R53_OP(GetHealthCheckCount) {
    cJSON_AddNumberToObject(out, "HealthCheckCount", rs_count(r, "hc"));
    return 0;
}

R53_OP(GetCheckerIpRanges) {
    cJSON *list = cJSON_AddArrayToObject(out, "CheckerIpRanges");
    for (size_t i = 0; i < sizeof CHECKER_RANGES / sizeof CHECKER_RANGES[0]; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(CHECKER_RANGES[i]));
    return 0;
}

/* The address a region's checker uses: the first range of the region, host .(10 + i). */
static void checker_ip(int region_idx, int n, char *buf, size_t len) {
    unsigned a, b, c, d, bits;
    sscanf(CHECKER_RANGES[region_idx * 2], "%u.%u.%u.%u/%u", &a, &b, &c, &d, &bits);
    snprintf(buf, len, "%u.%u.%u.%u", a, b, c, d + 10 + (unsigned)n);
}

static int region_index(const char *reg) {
    for (int i = 0; i < 8; i++)
        if (reg && !strcmp(HC_REGIONS[i], reg)) return i;
    return -1;
}

static void add_observation(cJSON *list, const char *region, const char *status, int64_t at) {
    cJSON *o = cJSON_CreateObject();
    if (region) {
        char ip[32];
        checker_ip(region_index(region) < 0 ? 0 : region_index(region), 0, ip, sizeof ip);
        cJSON_AddStringToObject(o, "Region", region);
        cJSON_AddStringToObject(o, "IPAddress", ip);
    }
    cJSON *rep = cJSON_AddObjectToObject(o, "StatusReport");
    cJSON_AddStringToObject(rep, "Status", status);
    cJSON_AddNumberToObject(rep, "CheckedTime", (double)at / 1000.0);
    cJSON_AddItemToArray(list, o);
}

/* One observation per checker region (the configured Regions, or all eight), each with what
 * that region's checkers saw at `at`; failures_only keeps the failing ones. */
static void per_region(cJSON *list, const cJSON *cfg, const faults_t *f, int64_t at, int failures_only) {
    const char *type = jstr(cfg, "Type");
    int regs[8], n = check_regions(cfg, regs);
    for (int i = 0; i < n; i++) {
        const fault_t *x = fault_seen_at(f, at, regs[i]);
        int ok = !x || x->status == ST_HEALTHY;
        if (failures_only && ok) continue;
        const char *text = !ok ? (x->reason[0] ? x->reason : DEFAULT_FAILURE_REASON)
                           : type && !strcmp(type, "TCP") ? "Success: TCP connection established"
                                                          : "Success: HTTP Status Code 200, OK";
        add_observation(list, HC_REGIONS[regs[i]], text, at);
    }
}

R53_OP(GetHealthCheckStatus) {
    cJSON *hc = hc_or_err(r, jstr(in, "HealthCheckId"), e);
    if (!hc) return -1;
    int64_t now = clock_now_ms(r->sim);
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(hc, "HealthCheckConfig");
    const char *type = jstr(cfg, "Type");
    cJSON *list = cJSON_AddArrayToObject(out, "HealthCheckObservations");
    char text[1024];
    if (is_endpoint_type(type)) {
        faults_t f = faults_for(r->sim, jstr(hc, "Id"), cfg);
        hc_state_t st;
        state_load(hc, &st);
        evaluate(cfg, &f, &st, now, NULL);
        if (jbool(cfg, "Disabled", 0)) {
            int regs[8], n = check_regions(cfg, regs);
            for (int i = 0; i < n; i++)
                add_observation(list, HC_REGIONS[regs[i]], "Success: Health checking is disabled",
                                st.last_eval);
        } else
            per_region(list, cfg, &f, st.last_eval, 0);
        free(f.v);
    } else if (!strcmp(type, "CALCULATED")) {
        int ok = 0, n = 0;
        int st = calculated_status(r->sim, r->account, cfg, now, 0, &ok, &n);
        snprintf(text, sizeof text, "%s: %d of %d child health checks are healthy (health threshold %d)",
                 st == ST_HEALTHY ? "Success" : "Failure", ok, n, jint(cfg, "HealthThreshold", n));
        add_observation(list, NULL, text, now);
    } else {
        int st = hc_status_doc(r->sim, r->account, hc, now, 0);
        if (jbool(cfg, "Inverted", 0)) st = !st;
        snprintf(text, sizeof text, "%s",
                 st == ST_HEALTHY ? "Success: The alarm is in the OK state"
                                  : "Failure: The alarm is in the ALARM state");
        if (!strcmp(type, "RECOVERY_CONTROL"))
            snprintf(text, sizeof text, "%s",
                     st == ST_HEALTHY ? "Success: Routing control is On" : "Failure: Routing control is Off");
        add_observation(list, NULL, text, now);
    }
    cJSON_Delete(hc);
    return 0;
}

R53_OP(GetHealthCheckLastFailureReason) {
    cJSON *hc = hc_or_err(r, jstr(in, "HealthCheckId"), e);
    if (!hc) return -1;
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(hc, "HealthCheckConfig");
    cJSON *list = cJSON_AddArrayToObject(out, "HealthCheckObservations");
    if (is_endpoint_type(jstr(cfg, "Type"))) {
        faults_t f = faults_for(r->sim, jstr(hc, "Id"), cfg);
        hc_state_t st;
        state_load(hc, &st);
        evaluate(cfg, &f, &st, clock_now_ms(r->sim), NULL);
        if (st.last_fail != NO_TIME) per_region(list, cfg, &f, st.last_fail, 1);
        free(f.v);
    }
    cJSON_Delete(hc);
    return 0;
}
