/*
 * clock.c — virtual/real time, the persisted timer queue, and time formatting.
 *
 * Invariant: time never goes backwards, and a timer fires with the clock set to exactly its due
 * time, in (due_ms, id) order, so a replay fires the same timers in the same order. Each timer
 * runs in its own savepoint: a failing timer is logged and dropped without undoing the others.
 */
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "core/store.h"
#include "services/service.h"

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(sim_t *s) {
    if (s->clock_mode == CLOCK_REAL) {
        int64_t w = wall_ms();
        if (w > s->now_ms) s->now_ms = w;
    }
    return s->now_ms;
}

static void persist_now(sim_t *s) {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)s->now_ms);
    meta_set(s, "clock.now_ms", buf);
}

int64_t timer_schedule(sim_t *s, int64_t due_ms, const char *service, const char *kind, const char *account,
                       const char *region, const char *ref, const char *payload) {
    sqlite3_stmt *st =
        db_prepare(s, "INSERT INTO awssim_timers(due_ms,service,kind,account,region,ref,payload) "
                      "VALUES(?,?,?,?,?,?,?)");
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, due_ms);
    sqlite3_bind_text(st, 2, service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, kind ? kind : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, account ? account : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, region ? region : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, ref ? ref : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, payload ? payload : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db) : -1;
}

int timer_cancel(sim_t *s, const char *service, const char *kind, const char *ref) {
    sqlite3_stmt *st =
        db_prepare(s, "DELETE FROM awssim_timers WHERE service=? AND ref=? AND (?3 IS NULL OR kind=?3)");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, ref ? ref : "", -1, SQLITE_TRANSIENT);
    if (kind)
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_step(st);
    sqlite3_reset(st);
    return sqlite3_changes(s->db);
}

int64_t timer_next_due(sim_t *s) {
    sqlite3_stmt *st = db_prepare(s, "SELECT due_ms FROM awssim_timers ORDER BY due_ms, id LIMIT 1");
    int64_t due = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW) due = sqlite3_column_int64(st, 0);
    if (st) sqlite3_reset(st);
    return due;
}

typedef struct {
    int64_t id, due;
    char service[32], kind[64], account[16], region[32];
    char *ref, *payload;
} timer_row_t;

static int pop_due(sim_t *s, int64_t until, timer_row_t *t) {
    sqlite3_stmt *st =
        db_prepare(s, "SELECT id,due_ms,service,kind,account,region,ref,payload FROM awssim_timers "
                      "WHERE due_ms<=? ORDER BY due_ms, id LIMIT 1");
    if (!st) return 0;
    sqlite3_bind_int64(st, 1, until);
    int found = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = 1;
        t->id = sqlite3_column_int64(st, 0);
        t->due = sqlite3_column_int64(st, 1);
        snprintf(t->service, sizeof t->service, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(t->kind, sizeof t->kind, "%s", (const char *)sqlite3_column_text(st, 3));
        snprintf(t->account, sizeof t->account, "%s", (const char *)sqlite3_column_text(st, 4));
        snprintf(t->region, sizeof t->region, "%s", (const char *)sqlite3_column_text(st, 5));
        t->ref = strdup((const char *)sqlite3_column_text(st, 6));
        t->payload = strdup((const char *)sqlite3_column_text(st, 7));
    }
    sqlite3_reset(st);
    if (found) {
        sqlite3_stmt *del = db_prepare(s, "DELETE FROM awssim_timers WHERE id=?");
        sqlite3_bind_int64(del, 1, t->id);
        sqlite3_step(del);
        sqlite3_reset(del);
    }
    return found;
}

static void fire_one(sim_t *s, timer_row_t *t) {
    const service_def_t *svc = service_by_key(t->service);
    if (!svc || !svc->on_timer) return;
    char rid[37];
    rng_uuid(s, rid);
    char caller[64];
    snprintf(caller, sizeof caller, "arn:aws:iam::%s:root", t->account);
    req_t r = {.sim = s,
               .service = svc->key,
               .operation = t->kind,
               .account = t->account,
               .region = t->region,
               .scope = svc->global ? "global" : t->region,
               .access_key = "",
               .caller_arn = caller,
               .caller_userid = t->account,
               .request_id = rid,
               .now_ms = s->now_ms,
               .internal = 1};
    s->request_seq++; /* each timer is its own unit of work (see sim_t.request_seq) */
    db_exec(s, "SAVEPOINT timer");
    if (svc->on_timer(&r, t->kind, t->ref, t->payload) != 0) {
        db_exec(s, "ROLLBACK TO timer");
        sim_log(s, 1, "timer %s/%s for %s failed", t->service, t->kind, t->ref);
    }
    db_exec(s, "RELEASE timer");
}

/* Fire every timer due at or before `until`, moving the clock to each due time. */
static int fire_until(sim_t *s, int64_t until) {
    int fired = 0;
    timer_row_t t;
    while (pop_due(s, until, &t)) {
        if (t.due > s->now_ms) s->now_ms = t.due;
        fire_one(s, &t);
        free(t.ref);
        free(t.payload);
        fired++;
    }
    return fired;
}

static int run_to(sim_t *s, int64_t target) {
    sim_lock(s);
    int own_tx = sqlite3_get_autocommit(s->db);
    if (own_tx) db_begin(s);
    int64_t before = s->now_ms;
    int fired = fire_until(s, target);
    if (target > s->now_ms) s->now_ms = target;
    persist_now(s);
    if (own_tx) db_commit(s);
    if (fired || (s->clock_mode == CLOCK_VIRTUAL && s->now_ms != before)) sim_changed(s);
    sim_unlock(s);
    return fired;
}

int clock_advance(sim_t *s, int64_t ms) {
    if (ms < 0) return -1;
    return run_to(s, clock_now_ms(s) + ms);
}

int clock_set(sim_t *s, int64_t target_ms) {
    if (target_ms < clock_now_ms(s)) return -1;
    return run_to(s, target_ms);
}

int clock_fire_due(sim_t *s) {
    return run_to(s, clock_now_ms(s));
}

static void split_ms(int64_t ms, struct tm *tm, int *frac) {
    time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    *frac = (int)(ms - (int64_t)secs * 1000);
    gmtime_r(&secs, tm);
}

/* ---- formatting without gmtime/printf ----
 * For times in the years 1000..9999 (every field then has its fixed width) the fields are computed
 * directly: the proleptic Gregorian calendar of days since 1970-01-01 (H. Hinnant's
 * civil_from_days), as gmtime does. Other times keep the printf path and its exact text. */
#define YEAR1000_MS (-30610224000000LL) /* 1000-01-01T00:00:00Z */
#define YEAR10000_MS 253402300800000LL  /* 10000-01-01T00:00:00Z */

typedef struct {
    int year, mon, mday, hour, min, sec, msec, wday; /* mon 1..12, wday 0 = Sunday */
} civil_t;

static int civil_from_ms(int64_t ms, civil_t *c) {
    if (ms < YEAR1000_MS || ms >= YEAR10000_MS) return -1;
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    c->msec = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int sod = (int)(secs - days * 86400);
    c->hour = sod / 3600;
    c->min = sod / 60 % 60;
    c->sec = sod % 60;
    c->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    c->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = (int)(yoe + era * 400 + (c->mon <= 2));
    return 0;
}

static char *put2(char *p, int v) {
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* "YYYY-MM-DDTHH:MM:SS" (19 characters, no NUL) */
static char *put_date_time(char *p, const civil_t *c) {
    p = put2(p, c->year / 100);
    p = put2(p, c->year % 100);
    *p++ = '-';
    p = put2(p, c->mon);
    *p++ = '-';
    p = put2(p, c->mday);
    *p++ = 'T';
    p = put2(p, c->hour);
    *p++ = ':';
    p = put2(p, c->min);
    *p++ = ':';
    return put2(p, c->sec);
}

static void put_ms_z(char *p, int msec) {
    *p++ = '.';
    *p++ = (char)('0' + msec / 100);
    p = put2(p, msec % 100);
    memcpy(p, "Z", 2);
}

void fmt_iso8601(int64_t ms, char *buf) {
    civil_t c;
    if (civil_from_ms(ms, &c) == 0) {
        char *p = put_date_time(buf, &c);
        if (c.msec)
            put_ms_z(p, c.msec);
        else
            memcpy(p, "Z", 2);
        return;
    }
    struct tm tm;
    int frac;
    split_ms(ms, &tm, &frac);
    if (frac)
        snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    else
        strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void fmt_iso8601_ms(int64_t ms, char *buf) {
    civil_t c;
    if (civil_from_ms(ms, &c) == 0) {
        put_ms_z(put_date_time(buf, &c), c.msec);
        return;
    }
    struct tm tm;
    int frac;
    split_ms(ms, &tm, &frac);
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

static const char *const DAYS[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const MONS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void fmt_rfc1123(int64_t ms, char *buf) {
    civil_t c;
    if (civil_from_ms(ms, &c) == 0) { /* "Sun, 22 Nov 2026 21:13:26 GMT" */
        char *p = buf;
        memcpy(p, DAYS[c.wday], 3);
        p += 3;
        *p++ = ',';
        *p++ = ' ';
        p = put2(p, c.mday);
        *p++ = ' ';
        memcpy(p, MONS[c.mon - 1], 3);
        p += 3;
        *p++ = ' ';
        p = put2(p, c.year / 100);
        p = put2(p, c.year % 100);
        *p++ = ' ';
        p = put2(p, c.hour);
        *p++ = ':';
        p = put2(p, c.min);
        *p++ = ':';
        p = put2(p, c.sec);
        memcpy(p, " GMT", 5);
        return;
    }
    struct tm tm;
    int frac;
    split_ms(ms, &tm, &frac);
    snprintf(buf, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", DAYS[tm.tm_wday], tm.tm_mday, MONS[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int64_t parse_iso8601(const char *text) {
    if (!text || !*text) return -1;
    const char *p = text;
    int all_digits = 1;
    for (const char *q = p; *q; q++)
        if (!((*q >= '0' && *q <= '9') || *q == '.')) all_digits = 0;
    if (all_digits) return (int64_t)(strtod(p, NULL) * 1000.0 + 0.5);
    int Y, M, D, h = 0, m = 0, sec = 0, n = 0;
    if (sscanf(p, "%4d-%2d-%2d%n", &Y, &M, &D, &n) != 3) return -1;
    p += n;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (sscanf(p, "%2d:%2d:%2d%n", &h, &m, &sec, &n) != 3) return -1;
        p += n;
    }
    int frac_ms = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            if (digits < 3) frac_ms = frac_ms * 10 + (*p - '0');
            digits++;
            p++;
        }
        for (; digits < 3; digits++)
            frac_ms *= 10;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = 0, om = 0, sign = *p == '-' ? -1 : 1;
        p++;
        if (sscanf(p, "%2d:%2d%n", &oh, &om, &n) == 2 || sscanf(p, "%2d%2d%n", &oh, &om, &n) == 2)
            p += n;
        else
            return -1;
        off = sign * (oh * 3600 + om * 60);
    }
    if (*p) return -1;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60) return -1;
    struct tm tm = {
        .tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = sec};
    time_t t = timegm(&tm);
    return ((int64_t)t - off) * 1000 + frac_ms;
}
