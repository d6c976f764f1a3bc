/*
 * store.c — SQLite state for awssim.
 *
 * One connection per sim, used only under the sim lock. ":memory:" by default; a file opens in
 * WAL mode so a killed process loses no acknowledged write. Prepared statements are cached per
 * connection by SQL text (looked up by the text's address first). Schema version is PRAGMA
 * user_version; services add their tables via init_schema.
 */
#include "core/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mcache.h"
#include "core/pcache.h"
#include "core/rng.h"
#include "core/util.h"
#include "services/service.h"

/* ---- statement cache ----
 * One per connection, hung off sim_t (several sims coexist in unit tests), so finding it takes no
 * lock. Most SQL handed to db_prepare is a string literal, so the first look is by the text's
 * address (direct-mapped); the text is still compared, because a caller may build SQL in a buffer
 * that later holds other text. On a miss the text is hashed and looked up, and the address is
 * remembered for next time. */
#define STMT_MAX 512    /* distinct SQL texts per connection */
#define TEXT_SLOTS 1024 /* open addressing by text hash: entry index + 1, 0 = empty */
#define PTR_SLOTS 1024  /* direct-mapped by address */

typedef struct {
    char *sql;
    sqlite3_stmt *st;
} stmt_ent_t;

struct stmt_cache {
    int n;
    stmt_ent_t ent[STMT_MAX];
    unsigned short by_text[TEXT_SLOTS];
    struct {
        const char *sql;
        stmt_ent_t *e;
    } by_ptr[PTR_SLOTS];
};

static void cache_drop(sim_t *s) {
    struct stmt_cache *c = s->stmts;
    if (!c) return;
    for (int i = 0; i < c->n; i++) {
        sqlite3_finalize(c->ent[i].st);
        free(c->ent[i].sql);
    }
    free(c);
    s->stmts = NULL;
}

static unsigned hash_str(const char *s) {
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static unsigned hash_ptr(const char *p) {
    return (unsigned)(((uintptr_t)p * 0x9E3779B97F4A7C15ull) >> 32) % PTR_SLOTS;
}

/* The cached statement for sql, prepared on first use; not reset. */
static sqlite3_stmt *stmt_get(sim_t *s, const char *sql) {
    struct stmt_cache *c = s->stmts;
    if (!c && !(c = s->stmts = calloc(1, sizeof *c))) return NULL;
    unsigned hp = hash_ptr(sql);
    stmt_ent_t *e = c->by_ptr[hp].e;
    if (e && c->by_ptr[hp].sql == sql && strcmp(e->sql, sql) == 0) return e->st;
    unsigned h = hash_str(sql) % TEXT_SLOTS;
    for (unsigned i = 0; i < TEXT_SLOTS; i++, h = (h + 1) % TEXT_SLOTS) {
        if (!c->by_text[h]) break;
        e = &c->ent[c->by_text[h] - 1];
        if (strcmp(e->sql, sql) == 0) {
            c->by_ptr[hp].sql = sql;
            c->by_ptr[hp].e = e;
            return e->st;
        }
    }
    if (c->n >= STMT_MAX) {
        sim_log(s, 0, "statement cache full");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sim_log(s, 0, "prepare failed: %s: %s", sqlite3_errmsg(s->db), sql);
        return NULL;
    }
    e = &c->ent[c->n++];
    e->sql = strdup(sql);
    e->st = st;
    c->by_text[h] = (unsigned short)c->n;
    c->by_ptr[hp].sql = sql;
    c->by_ptr[hp].e = e;
    return st;
}

sqlite3_stmt *db_prepare(sim_t *s, const char *sql) {
    sqlite3_stmt *st = stmt_get(s, sql);
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return st;
}

int db_exec(sim_t *s, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        sim_log(s, 0, "sql error: %s (%s)", err ? err : "?", sql);
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

/* BEGIN/COMMIT/ROLLBACK run once per API call: use cached statements (parsing them each time
 * was ~5 % of a GetCallerIdentity). */
static int db_step_cached(sim_t *s, const char *sql) {
    sqlite3_stmt *st = stmt_get(s, sql); /* no bindings; reset after every step below */
    if (!st) return db_exec(s, sql);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        sim_log(s, 0, "sql error: %s (%s)", sqlite3_errmsg(s->db), sql);
        return -1;
    }
    return 0;
}

int db_begin(sim_t *s) {
    return db_step_cached(s, "BEGIN");
}

int db_commit(sim_t *s) {
    return db_step_cached(s, "COMMIT");
}

void db_rollback(sim_t *s) {
    if (!sqlite3_get_autocommit(s->db)) db_step_cached(s, "ROLLBACK");
}

static const char *CORE_SCHEMA =
    "CREATE TABLE IF NOT EXISTS awssim_meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS awssim_timers(id INTEGER PRIMARY KEY AUTOINCREMENT, due_ms INTEGER NOT NULL,"
    " service TEXT NOT NULL, kind TEXT, account TEXT, region TEXT, ref TEXT, payload TEXT);"
    "CREATE INDEX IF NOT EXISTS awssim_timers_due ON awssim_timers(due_ms, id);"
    "CREATE INDEX IF NOT EXISTS awssim_timers_ref ON awssim_timers(service, ref);"
    "CREATE TABLE IF NOT EXISTS awssim_resources(service TEXT NOT NULL, account TEXT NOT NULL,"
    " scope TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL,"
    " PRIMARY KEY(service, account, scope, type, id));"
    "CREATE INDEX IF NOT EXISTS awssim_resources_seq ON awssim_resources(service, account, scope, type, seq);"
    /* the request log moved to memory (core/reqlog.c); state files from before lose the table */
    "DROP TABLE IF EXISTS awssim_requests;";

/* Runs every CREATE of the core and the services in one transaction: SQLite then parses and
 * commits the schema once, not once per CREATE. */
static int create_schema(sim_t *s) {
    if (db_exec(s, "BEGIN") != 0) return -1;
    int rc = db_exec(s, CORE_SCHEMA);
    int n = 0;
    const service_def_t *const *all = service_all(&n);
    for (int i = 0; rc == 0 && i < n; i++)
        if (all[i]->init_schema) rc = all[i]->init_schema(s);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", SCHEMA_VERSION);
    if (rc == 0) rc = db_exec(s, pragma);
    if (rc != 0) {
        db_exec(s, "ROLLBACK");
        return -1;
    }
    return db_exec(s, "COMMIT");
}

/* ---- schema image ----
 * Creating the ~60 tables was most of awssim's start (~6.5 M instructions: SQLite parses, codes
 * and runs each CREATE, then parses it again). A fresh ":memory:" store instead starts from an
 * image of the database right after create_schema(), made at build time by tools/schemagen.c and
 * linked in as store_schema_image; SQLite then only parses the stored schema once. The image is
 * the database file with its runs of zero bytes squeezed out: "AWSSIMG1", the size (u32 LE), then
 * records of (zero bytes to skip: u32 LE, literal length: u32 LE, literal bytes) up to the end.
 * Weak symbols: schemagen links without an image and so creates the schema by statements. */
extern const unsigned char store_schema_image[] __attribute__((weak));
extern const unsigned store_schema_image_len __attribute__((weak));

static unsigned rd32(const unsigned char *p) {
    return (unsigned)p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16 | (unsigned)p[3] << 24;
}

static unsigned char *image_decode(const unsigned char *img, size_t len, size_t *size) {
    if (len < 12 || memcmp(img, "AWSSIMG1", 8) != 0) return NULL;
    size_t n = rd32(img + 8), at = 0, i = 12;
    unsigned char *db = sqlite3_malloc64(n ? n : 1);
    if (!db) return NULL;
    while (i + 8 <= len) {
        size_t zeros = rd32(img + i), lit = rd32(img + i + 4);
        i += 8;
        if (zeros > n - at || lit > n - at - zeros || lit > len - i) break;
        memset(db + at, 0, zeros);
        memcpy(db + at + zeros, img + i, lit);
        at += zeros + lit, i += lit;
    }
    if (at != n || i != len) {
        sqlite3_free(db);
        return NULL;
    }
    *size = n;
    return db;
}

int store_encode_image(const unsigned char *db, size_t n, unsigned char **out, size_t *out_len) {
    unsigned char *o = malloc(12 + n + 8 * (n / 16 + 2));
    if (!o || n > 0xffffffffu) return free(o), -1;
    size_t len = 12, i = 0;
    memcpy(o, "AWSSIMG1", 8);
    for (int k = 0; k < 4; k++)
        o[8 + k] = (unsigned char)(n >> (8 * k));
    while (i < n) {
        size_t z = i;
        while (z < n && db[z] == 0)
            z++;
        /* a literal ends at the next run of 16 zero bytes (shorter runs cost more than they save) */
        size_t e = z, zr = 0;
        while (e < n && zr < 16) {
            zr = db[e] == 0 ? zr + 1 : 0;
            e++;
        }
        if (zr == 16) e -= 16;
        size_t vals[2] = {z - i, e - z};
        for (int v = 0; v < 2; v++)
            for (int k = 0; k < 4; k++)
                o[len + 4 * v + k] = (unsigned char)(vals[v] >> (8 * k));
        len += 8;
        memcpy(o + len, db + z, e - z);
        len += e - z;
        i = e;
    }
    *out = o;
    *out_len = len;
    return 0;
}

static int backup(sqlite3 *to, sqlite3 *from);

/* Loads the linked image into the fresh in-memory connection; 0 when it is in place. The image is
 * opened as a deserialized database on a scratch connection and copied page by page into the
 * plain ":memory:" one: a deserialized database lives in SQLite's memdb file, whose every commit
 * writes each changed page back into it (and bumps the change counter) — ~4 % of a StartExecution
 * — while a ":memory:" database's page cache is the database and a commit writes nothing. */
static int load_image(sim_t *s) {
    if (!store_schema_image || !&store_schema_image_len) return -1;
    size_t n = 0;
    unsigned char *img = image_decode(store_schema_image, store_schema_image_len, &n);
    if (!img) return sim_log(s, 0, "schema image damaged; creating the schema"), -1;
    sqlite3 *from = NULL;
    if (sqlite3_open_v2(":memory:", &from, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        sqlite3_free(img);
        sqlite3_close(from);
        return -1;
    }
    int rc = sqlite3_deserialize(from, "main", img, (sqlite3_int64)n, (sqlite3_int64)n,
                                 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) == SQLITE_OK
                 ? backup(s->db, from)
                 : -1;
    sqlite3_close(from);
    return rc;
}

/* New contents for s's store: a number no store of this process had before. */
static void store_renew(sim_t *s) {
    static uint64_t last;
    s->store_gen = __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

/* Process-wide SQLite settings, before its first use: no allocation statistics (each malloc took
 * SQLite's global memory mutex to keep them; awssim never reads them), core/mcache.c's block lists
 * as SQLite's and cJSON's allocator, and core/pcache.c's page cache. */
static void sqlite_configure(void) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    mcache_install();
    pcache_install();
}

int store_open_ex(sim_t *s, const char *path, int flags) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_configure);
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    store_renew(s);
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        sim_log(s, 0, "cannot open state %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "?");
        return -1;
    }
    int memory = strcmp(path, ":memory:") == 0;
    if (!memory) db_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
    if (memory && !(flags & STORE_NO_IMAGE) && load_image(s) == 0) return 0;
    int version = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (version > SCHEMA_VERSION) {
        sim_log(s, 0, "state %s has schema version %d, newer than this awssim (%d)", path, version,
                SCHEMA_VERSION);
        return -1;
    }
    return create_schema(s);
}

int store_open(sim_t *s, const char *path) {
    return store_open_ex(s, path, 0);
}

void store_close(sim_t *s) {
    if (!s->db) return;
    cache_drop(s);
    sqlite3_close(s->db);
    s->db = NULL;
}

int store_reset(sim_t *s) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    char **names = NULL;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        names = realloc(names, sizeof(char *) * (n + 1));
        names[n++] = strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    s->cred_gen++; /* the credentials table is emptied below (core/auth.c caches lookups) */
    store_renew(s);
    int rc = db_begin(s);
    for (int i = 0; i < n; i++) {
        char sql[256];
        if (strcmp(names[i], "awssim_meta") == 0)
            snprintf(sql, sizeof sql, "DELETE FROM awssim_meta WHERE key NOT LIKE 'clock.%%'");
        else if (strcmp(names[i], "awssim_credentials") == 0) /* keys from --accounts survive a reset */
            snprintf(sql, sizeof sql, "DELETE FROM awssim_credentials WHERE permanent=0");
        else
            snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", names[i]);
        if (db_exec(s, sql) != 0) rc = -1;
        free(names[i]);
    }
    free(names);
    if (rc == 0)
        rc = db_commit(s);
    else
        db_rollback(s);
    return rc;
}

static int backup(sqlite3 *to, sqlite3 *from) {
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) return -1;
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_snapshot(sim_t *s, const char *path) {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)s->now_ms);
    meta_set(s, "clock.now_ms", buf);
    /* the random source's position goes with the state, as the clock does: after a restore the ids
     * continue from where the snapshot's contents left off (a reset, then a restore, drew the same
     * ids again) */
    char pos[65];
    rng_save(s, pos);
    meta_set(s, "rng.state", pos);
    sqlite3 *dst;
    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        sqlite3_close(dst);
        return -1;
    }
    int rc = backup(dst, s->db);
    sqlite3_close(dst);
    return rc;
}

int store_restore(sim_t *s, const char *path) {
    sqlite3 *src;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(src);
        return -1;
    }
    /* Check the file is an awssim state before overwriting ours. */
    sqlite3_stmt *st;
    int ok = sqlite3_prepare_v2(src, "SELECT count(*) FROM awssim_meta", -1, &st, NULL) == SQLITE_OK;
    if (ok) sqlite3_finalize(st);
    s->cred_gen++; /* every table is replaced (core/auth.c caches lookups) */
    store_renew(s);
    int rc = ok ? backup(s->db, src) : -1;
    sqlite3_close(src);
    if (rc == 0) {
        char *saved = meta_get(s, "clock.now_ms");
        if (saved) {
            s->now_ms = strtoll(saved, NULL, 10);
            free(saved);
        }
        char *pos = meta_get(s, "rng.state"); /* snapshots from before it was saved: none */
        if (pos) rng_load(s, pos);
        free(pos);
    }
    return rc;
}

int meta_set(sim_t *s, const char *key, const char *value) {
    sqlite3_stmt *st = db_prepare(s, "INSERT OR REPLACE INTO awssim_meta(key,value) VALUES(?,?)");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

char *meta_get(sim_t *s, const char *key) {
    sqlite3_stmt *st = db_prepare(s, "SELECT value FROM awssim_meta WHERE key=?");
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return v;
}

int64_t meta_next_seq(sim_t *s, const char *key) {
    char *v = meta_get(s, key);
    int64_t n = v ? strtoll(v, NULL, 10) + 1 : 1;
    free(v);
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)n);
    meta_set(s, key, buf);
    return n;
}

/* ---- generic documents ---- */

int rs_put_at(sim_t *s, const char *service, const char *account, const char *scope, const char *type,
              const char *id, const cJSON *doc) {
    char *text = json_print(doc, NULL);
    if (!text) return -1;
    sqlite3_stmt *st = db_prepare(
        s, "INSERT INTO awssim_resources(service,account,scope,type,id,seq,doc) VALUES(?1,?2,?3,?4,?5,"
           "(SELECT coalesce(max(seq),0)+1 FROM awssim_resources),?6) "
           "ON CONFLICT(service,account,scope,type,id) DO UPDATE SET doc=excluded.doc");
    int rc = -1;
    if (st) {
        sqlite3_bind_text(st, 1, service, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, type, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, text, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
    }
    free(text);
    return rc;
}

cJSON *rs_get_at(sim_t *s, const char *service, const char *account, const char *scope, const char *type,
                 const char *id) {
    sqlite3_stmt *st = db_prepare(
        s, "SELECT doc FROM awssim_resources WHERE service=? AND account=? AND scope=? AND type=? AND id=?");
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, id, -1, SQLITE_TRANSIENT);
    cJSON *doc = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) doc = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return doc;
}

int rs_del_at(sim_t *s, const char *service, const char *account, const char *scope, const char *type,
              const char *id) {
    sqlite3_stmt *st = db_prepare(
        s, "DELETE FROM awssim_resources WHERE service=? AND account=? AND scope=? AND type=? AND id=?");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, id, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
    return sqlite3_changes(s->db);
}

int rs_put(req_t *r, const char *type, const char *id, const cJSON *doc) {
    return rs_put_at(r->sim, r->service, r->account, r->scope, type, id, doc);
}

cJSON *rs_get(req_t *r, const char *type, const char *id) {
    return rs_get_at(r->sim, r->service, r->account, r->scope, type, id);
}

int rs_del(req_t *r, const char *type, const char *id) {
    return rs_del_at(r->sim, r->service, r->account, r->scope, type, id);
}

cJSON *rs_list(req_t *r, const char *type) {
    sqlite3_stmt *st =
        db_prepare(r->sim, "SELECT doc FROM awssim_resources WHERE service=? AND account=? AND "
                           "scope=? AND type=? ORDER BY seq");
    cJSON *arr = cJSON_CreateArray();
    if (!st) return arr;
    sqlite3_bind_text(st, 1, r->service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r->account, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, type, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *doc = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
        if (doc) cJSON_AddItemToArray(arr, doc);
    }
    sqlite3_reset(st);
    return arr;
}

int rs_count(req_t *r, const char *type) {
    sqlite3_stmt *st =
        db_prepare(r->sim, "SELECT count(*) FROM awssim_resources WHERE service=? AND account=? "
                           "AND scope=? AND type=?");
    if (!st) return 0;
    sqlite3_bind_text(st, 1, r->service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r->account, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, type, -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

cJSON *rs_list_all(sim_t *s, const char *service, const char *type) {
    sqlite3_stmt *st = db_prepare(
        s, "SELECT account, scope, id, doc FROM awssim_resources WHERE service=? AND type=? ORDER BY seq");
    cJSON *arr = cJSON_CreateArray();
    if (!st) return arr;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "account", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(row, "scope", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(row, "id", (const char *)sqlite3_column_text(st, 2));
        cJSON *doc = cJSON_Parse((const char *)sqlite3_column_text(st, 3));
        cJSON_AddItemToObject(row, "doc", doc ? doc : cJSON_CreateNull());
        cJSON_AddItemToArray(arr, row);
    }
    sqlite3_reset(st);
    return arr;
}
