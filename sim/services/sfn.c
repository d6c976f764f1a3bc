/*
 * sfn.c — AWS Step Functions (JSON 1.0, AWSStepFunctions.*): state machines, versions, aliases,
 * executions, activities and task tokens, map runs, TestState, tags.
 *
 * State machines, versions, aliases and activities are JSON documents (rs_*); state machine, version
 * and alias documents are also kept parsed (doc_peek). Executions live in table sfn_exec: one row
 * with the engine document (threads, sim/asl/engine.c) and the first history chunk, so a timer or a
 * task token resumes them; later history chunks go to sfn_hist. Parsed definitions are cached by
 * revision. Tasks are answered here: Step Functions Local mock config, aws-sdk calls into the other
 * emulated services, nested executions (.sync), activities, and a message log for everything else.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "asl/asl.h"
#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"
#include "core/util.h"
#include "services/service.h"

#define SVC "stepfunctions"
#define MAX_DIAG 64

/* ---------------- small helpers ---------------- */

static double secs(int64_t ms) {
    return (double)ms / 1000.0;
}

static cJSON *O(const cJSON *o, const char *k) {
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void put_str(cJSON *o, const char *k, const char *v) {
    if (v) cJSON_AddStringToObject(o, k, v);
}

static void setk(cJSON *o, const char *k, cJSON *v) {
    if (O(o, k))
        cJSON_ReplaceItemInObjectCaseSensitive(o, k, v);
    else
        cJSON_AddItemToObject(o, k, v);
}

static void uuid(req_t *r, char out[37]) {
    rng_uuid(r->sim, out);
}

/* dst = the strings up to the NULL, concatenated (truncated to n - 1 bytes, as snprintf would);
 * the length they would have. StartExecution builds several ARNs and keys: this is snprintf's
 * result without its format parsing. */
static size_t cat(char *dst, size_t n, ...) {
    va_list ap;
    va_start(ap, n);
    size_t len = 0;
    for (const char *p = va_arg(ap, const char *); p; p = va_arg(ap, const char *)) {
        size_t l = strlen(p);
        if (len < n) memcpy(dst + len, p, len + l < n ? l : n - 1 - len);
        len += l;
    }
    va_end(ap);
    if (n) dst[len < n ? len : n - 1] = 0;
    return len;
}

/* AWS naming rule for state machines, executions, activities, aliases: 1-80 characters, no
 * whitespace, brackets, wildcards, special characters or control characters. */
static int name_valid(const char *n) {
    if (!n || !*n || strlen(n) > 80) return 0;
    for (const unsigned char *p = (const unsigned char *)n; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || isspace(*p)) return 0;
        if (strchr("<>{}[]?*\"#%\\^|~`$&,;:/", *p)) return 0;
    }
    return 1;
}

static int err_invalid_arn(sim_error_t *e, const char *arn) {
    return sim_err(e, 400, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s'", arn);
}

/* arn:aws:states:REGION:ACCOUNT:TYPE:NAME[:QUAL[:...]]; parts filled, returns 0 or -1. */
typedef struct {
    char region[32], account[16], type[32], name[128], qual[160], rest[256];
} sarn_t;

static int arn_parse(const char *arn, sarn_t *a) {
    memset(a, 0, sizeof *a);
    if (!arn || strncmp(arn, "arn:aws:states:", 15)) return -1;
    const char *p = arn + 15;
    char *fields[5] = {a->region, a->account, a->type, a->name, a->qual};
    size_t sizes[5] = {sizeof a->region, sizeof a->account, sizeof a->type, sizeof a->name, sizeof a->qual};
    for (int i = 0; i < 5; i++) {
        const char *c = strchr(p, ':');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l >= sizes[i]) return -1;
        memcpy(fields[i], p, l);
        fields[i][l] = 0;
        if (!c) {
            if (i < 3) return -1;
            return 0;
        }
        p = c + 1;
    }
    snprintf(a->rest, sizeof a->rest, "%s", p);
    return 0;
}

static void sm_arn(req_t *r, const char *name, char *out, size_t n) {
    snprintf(out, n, "arn:aws:states:%s:%s:stateMachine:%s", r->region, r->account, name);
}

/* ---------------- schema and definition cache ---------------- */

/* The integer key ListExecutions finds a state machine's executions by (index sfn_exec_smh): a hash
 * of its ARN, checked against sm_arn by the query. Indexing the ARN itself (~50 bytes, the same
 * long prefix for every row) cost each StartExecution more than the rest of its row's index work. */
static sqlite3_int64 sm_key(const char *sm_arn) {
    uint64_t h = 14695981039346656037ull; /* FNV-1a, 63 bits */
    for (const unsigned char *p = (const unsigned char *)(sm_arn ? sm_arn : ""); *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (sqlite3_int64)(h >> 1);
}

static int has_column(sim_t *s, const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return 0;
    sqlite3_finalize(st);
    return 1;
}

/* State files of earlier versions are brought up to date when opened or restored:
 * - before sfn_exec had its "hist" column (the first history chunk), the history stays in sfn_hist,
 *   where exec_history reads it;
 * - before "sm_h", the column is filled from sm_arn and the index on sm_arn replaced. */
static int sfn_migrate(sim_t *s) {
    int rc = 0;
    if (!has_column(s, "SELECT hist FROM sfn_exec LIMIT 0"))
        rc = db_exec(s, "ALTER TABLE sfn_exec ADD COLUMN hist TEXT");
    if (!rc && !has_column(s, "SELECT sm_h FROM sfn_exec LIMIT 0")) {
        int own = sqlite3_get_autocommit(s->db);
        if (own) db_exec(s, "BEGIN");
        rc = db_exec(s, "ALTER TABLE sfn_exec ADD COLUMN sm_h INTEGER; DROP INDEX IF EXISTS sfn_exec_sm");
        sqlite3_stmt *rd = NULL, *wr = NULL;
        if (!rc &&
            sqlite3_prepare_v2(s->db, "SELECT rowid, sm_arn FROM sfn_exec", -1, &rd, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(s->db, "UPDATE sfn_exec SET sm_h=? WHERE rowid=?", -1, &wr, NULL) ==
                SQLITE_OK) {
            while (sqlite3_step(rd) == SQLITE_ROW) {
                sqlite3_bind_int64(wr, 1, sm_key((const char *)sqlite3_column_text(rd, 1)));
                sqlite3_bind_int64(wr, 2, sqlite3_column_int64(rd, 0));
                if (sqlite3_step(wr) != SQLITE_DONE) rc = -1;
                sqlite3_reset(wr);
            }
        } else
            rc = -1;
        sqlite3_finalize(rd);
        sqlite3_finalize(wr);
        if (own) db_exec(s, rc ? "ROLLBACK" : "COMMIT");
    }
    return rc ? rc : db_exec(s, "CREATE INDEX IF NOT EXISTS sfn_exec_smh ON sfn_exec(sm_h, start_ms)");
}

static int sfn_schema(sim_t *s) {
    /* sfn_exec.hist: the history chunk written with the row (seq 0), further chunks in sfn_hist;
     * sfn_exec.sm_h: sm_key(sm_arn), indexed with start_ms by sfn_migrate */
    int rc = db_exec(
        s, "CREATE TABLE IF NOT EXISTS sfn_exec (arn TEXT PRIMARY KEY, account TEXT, region TEXT, "
           "sm_arn TEXT, name TEXT, status TEXT, start_ms INTEGER, stop_ms INTEGER, meta TEXT, x TEXT, "
           "hist TEXT, sm_h INTEGER);"
           "CREATE TABLE IF NOT EXISTS sfn_hist (arn TEXT, seq INTEGER, events TEXT, PRIMARY KEY(arn, seq));"
           "CREATE TABLE IF NOT EXISTS sfn_rev (rev TEXT PRIMARY KEY, definition TEXT);"
           "CREATE TABLE IF NOT EXISTS sfn_token (token TEXT PRIMARY KEY, exec_arn TEXT, account TEXT, "
           "region TEXT, activity TEXT, input TEXT, state TEXT, seq INTEGER);"
           "CREATE INDEX IF NOT EXISTS sfn_token_act ON sfn_token(activity, state, seq);"
           "CREATE TABLE IF NOT EXISTS sfn_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, time_ms "
           "INTEGER, account TEXT, region TEXT, resource TEXT, parameters TEXT, exec_arn TEXT);");
    return rc ? rc : sfn_migrate(s);
}

typedef struct cache_ent {
    sim_t *sim;
    char *rev;
    char *text;
    asl_def_t *def;
    uint64_t used_in; /* sim->request_seq of the last call that used it */
    struct cache_ent *next;
} cache_ent_t;

#define CACHE_BUCKETS 1024
/* Above this many parsed definitions, entries not used by the current call are dropped: a
 * definition pointer is only held for the duration of one call (API call or timer). */
#define CACHE_MAX 2048
static cache_ent_t *g_cache[CACHE_BUCKETS];
static int g_cache_count;
static pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned hash_str(const char *s) {
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void cache_free_ent(cache_ent_t *c) {
    asl_def_free(c->def);
    free(c->rev);
    free(c->text);
    free(c);
    g_cache_count--;
}

/* Drop entries of sim s (all of them, or those the current call has not used). Lock held. */
static void cache_drop(sim_t *s, int keep_current) {
    for (int i = 0; i < CACHE_BUCKETS; i++) {
        cache_ent_t **pp = &g_cache[i];
        while (*pp) {
            cache_ent_t *c = *pp;
            if (c->sim == s && !(keep_current && c->used_in == s->request_seq)) {
                *pp = c->next;
                cache_free_ent(c);
            } else
                pp = &c->next;
        }
    }
}

static void docs_drop(const sim_t *s);
static void docs_invalidate(const sim_t *s);

static void sfn_reset(sim_t *s) {
    sfn_migrate(s); /* a restored state file may be older */
    docs_invalidate(NULL);
    pthread_mutex_lock(&g_cache_lock);
    cache_drop(s, 0);
    docs_drop(s);
    pthread_mutex_unlock(&g_cache_lock);
}

/* Parsed definition for revision rev (text known or loaded from sfn_rev). */
static const asl_def_t *def_get(sim_t *s, const char *rev, const char *text) {
    unsigned b = hash_str(rev) % CACHE_BUCKETS;
    pthread_mutex_lock(&g_cache_lock);
    for (cache_ent_t *c = g_cache[b]; c; c = c->next)
        if (c->sim == s && !strcmp(c->rev, rev) && (!text || !strcmp(c->text, text))) {
            c->used_in = s->request_seq;
            pthread_mutex_unlock(&g_cache_lock);
            return c->def;
        }
    pthread_mutex_unlock(&g_cache_lock);
    char *loaded = NULL;
    if (!text) {
        sqlite3_stmt *st = db_prepare(s, "SELECT definition FROM sfn_rev WHERE rev=?");
        sqlite3_bind_text(st, 1, rev, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) loaded = strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        if (!loaded) return NULL;
        text = loaded;
    }
    asl_diag_t d[4];
    int nd;
    asl_def_t *def = asl_parse(text, d, 4, &nd);
    if (!def) {
        free(loaded);
        return NULL;
    }
    cache_ent_t *c = calloc(1, sizeof *c);
    c->sim = s;
    c->rev = strdup(rev);
    c->text = loaded ? loaded : strdup(text);
    c->def = def;
    c->used_in = s->request_seq;
    pthread_mutex_lock(&g_cache_lock);
    if (g_cache_count >= CACHE_MAX) cache_drop(s, 1);
    c->next = g_cache[b];
    g_cache[b] = c;
    g_cache_count++;
    pthread_mutex_unlock(&g_cache_lock);
    return def;
}

static void rev_store(sim_t *s, const char *rev, const char *text) {
    sqlite3_stmt *st = db_prepare(s, "INSERT OR IGNORE INTO sfn_rev(rev, definition) VALUES(?,?)");
    sqlite3_bind_text(st, 1, rev, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
}

/* ---------------- state machine, version and alias documents: cache ----------------
 * StartExecution reads its state machine (and version/alias) document on every call; parsing it
 * (definition text included) was the largest cost after the engine. Parsed documents are kept per
 * (sim, account, scope, type, id) and are valid while g_doc_gen has not moved and the store's
 * contents are the same (sim->store_gen: new at open, reset and restore, unique in the process, so a
 * new sim at a freed one's address cannot see its entries). g_doc_gen moves at every write of such a
 * document (doc_put/doc_del, the only writers) and on reset/restore (on_reset). A call that wrote one
 * does not fill the cache afterwards: its transaction may still roll back, and the cache must only
 * hold committed documents. */

#define DOC_BUCKETS 1024
#define DOC_MAX 4096 /* entries at most; documents beyond are read from the store each time */

typedef struct doc_ent {
    sim_t *sim;
    uint64_t store_gen, gen; /* valid while both equal sim->store_gen and g_doc_gen */
    char *key;               /* account \x1f scope \x1f type \x1f id */
    cJSON *doc;
    struct doc_ent *next;
} doc_ent_t;

static doc_ent_t *g_docs[DOC_BUCKETS];
static int g_ndocs;
static uint64_t g_doc_gen = 1;
static const sim_t *g_doc_write_sim; /* the last write: sim and request_seq */
static uint64_t g_doc_write_seq;

static int doc_cached_type(const char *type) {
    return !strcmp(type, "sm") || !strcmp(type, "version") || !strcmp(type, "alias");
}

/* Every cached document may have changed (lock held or not needed: see callers). */
static void docs_invalidate(const sim_t *s) {
    pthread_mutex_lock(&g_cache_lock);
    g_doc_gen++;
    if (s) {
        g_doc_write_sim = s;
        g_doc_write_seq = s->request_seq;
    }
    pthread_mutex_unlock(&g_cache_lock);
}

/* Drop sim s's entries (all of them). Lock held. */
static void docs_drop(const sim_t *s) {
    for (int i = 0; i < DOC_BUCKETS; i++) {
        doc_ent_t **pp = &g_docs[i];
        while (*pp) {
            doc_ent_t *c = *pp;
            if (c->sim == s) {
                *pp = c->next;
                cJSON_Delete(c->doc);
                free(c->key);
                free(c);
                g_ndocs--;
            } else
                pp = &c->next;
        }
    }
}

/* The document, or NULL. Borrowed from the cache (*own NULL: valid until the next Step Functions
 * document write, reset or restore), or not cacheable and owned by the caller (*own: free it). */
static const cJSON *doc_peek(req_t *r, const char *type, const char *id, cJSON **own) {
    *own = NULL;
    if (!id) return NULL;
    char key[1024];
    size_t kn = cat(key, sizeof key, r->account, "\x1f", r->scope, "\x1f", type, "\x1f", id, (char *)NULL);
    if (!doc_cached_type(type) || kn >= sizeof key) return *own = rs_get(r, type, id);
    unsigned b = hash_str(key) % DOC_BUCKETS;
    sim_t *s = r->sim;
    pthread_mutex_lock(&g_cache_lock);
    doc_ent_t *hit = NULL;
    for (doc_ent_t *c = g_docs[b]; c; c = c->next)
        if (c->sim == s && !strcmp(c->key, key)) {
            hit = c;
            break;
        }
    uint64_t gen = g_doc_gen;
    int may_fill = !(g_doc_write_sim == s && g_doc_write_seq == s->request_seq) && (hit || g_ndocs < DOC_MAX);
    if (hit && hit->gen == gen && hit->store_gen == s->store_gen) {
        pthread_mutex_unlock(&g_cache_lock);
        return hit->doc;
    }
    pthread_mutex_unlock(&g_cache_lock);
    cJSON *doc = rs_get(r, type, id);
    if (!doc || !may_fill) return *own = doc;
    pthread_mutex_lock(&g_cache_lock);
    if (!hit) {
        hit = calloc(1, sizeof *hit);
        hit->sim = s;
        hit->key = strdup(key);
        hit->next = g_docs[b];
        g_docs[b] = hit;
        g_ndocs++;
    }
    /* a stale entry's document: no borrower may hold it any more (a write happened since) */
    cJSON_Delete(hit->doc);
    hit->doc = doc;
    hit->gen = gen;
    hit->store_gen = s->store_gen;
    pthread_mutex_unlock(&g_cache_lock);
    return doc;
}

/* rs_get through the cache for state machines, versions and aliases (new document, caller frees). */
static cJSON *doc_get(req_t *r, const char *type, const char *id) {
    cJSON *own;
    const cJSON *d = doc_peek(r, type, id, &own);
    return own ? own : d ? cJSON_Duplicate(d, 1) : NULL;
}

static int doc_put(req_t *r, const char *type, const char *id, const cJSON *doc) {
    if (doc_cached_type(type)) docs_invalidate(r->sim);
    return rs_put(r, type, id, doc);
}

static int doc_del(req_t *r, const char *type, const char *id) {
    if (doc_cached_type(type)) docs_invalidate(r->sim);
    return rs_del(r, type, id);
}

/* ---------------- definition validation ---------------- */

static int check_definition(const char *text, sim_error_t *e) {
    asl_diag_t d[8];
    int nd = 0;
    asl_def_t *def = asl_parse(text, d, 8, &nd);
    if (def) {
        asl_def_free(def);
        return 0;
    }
    char msg[1024];
    asl_diag_message(d, nd, msg, sizeof msg);
    return sim_err(e, 400, "InvalidDefinition", "%s", msg);
}

/* AWS: roleArn must be an IAM role ARN (arn:aws:iam::123456789012:role/NAME). */
static int check_role(const char *role, sim_error_t *e) {
    if (!role) return 0;
    const char *p = role;
    if (strncmp(p, "arn:aws:iam::", 13))
        return sim_err(e, 400, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %s'", role);
    p += 13;
    for (int i = 0; i < 12; i++)
        if (!isdigit((unsigned char)p[i]))
            return sim_err(e, 400, "InvalidArn", "Invalid Arn: 'Invalid account ID: %s'", role);
    if (strncmp(p + 12, ":role/", 6) || !p[18])
        return sim_err(e, 400, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s'",
                       role);
    return 0;
}

/* ---------------- state machines ---------------- */

static cJSON *sm_get(req_t *r, const char *arn) {
    return doc_get(r, "sm", arn);
}

static int sm_missing(sim_error_t *e, const char *arn) {
    return sim_err(e, 400, "StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", arn);
}

static int tags_check(const cJSON *tags, sim_error_t *e) {
    if (cJSON_GetArraySize(tags) > 50)
        return sim_err(e, 400, "TooManyTags", "Too many tags: a resource can have at most 50 tags");
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        if (!jstr(t, "key")) return sim_err(e, 400, "ValidationException", "Tag key must not be null");
    }
    return 0;
}

static void tags_merge(cJSON *doc, const cJSON *tags) {
    cJSON *cur = O(doc, "tags");
    if (!cur) cur = cJSON_AddArrayToObject(doc, "tags");
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        int i = 0, found = 0;
        cJSON *c;
        cJSON_ArrayForEach(c, cur) {
            if (!strcmp(jstr(c, "key"), jstr(t, "key"))) {
                cJSON_ReplaceItemInArray(cur, i, cJSON_Duplicate(t, 1));
                found = 1;
                break;
            }
            i++;
        }
        if (!found) cJSON_AddItemToArray(cur, cJSON_Duplicate(t, 1));
    }
}

static cJSON *default_logging(const cJSON *in) {
    const cJSON *l = O(in, "loggingConfiguration");
    if (l) return cJSON_Duplicate(l, 1);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "level", "OFF");
    cJSON_AddBoolToObject(o, "includeExecutionData", 0);
    return o;
}

static cJSON *default_tracing(const cJSON *in) {
    const cJSON *t = O(in, "tracingConfiguration");
    if (t) return cJSON_Duplicate(t, 1);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "enabled", 0);
    return o;
}

/* Publish a version of sm (doc updated). Returns the version ARN in out. */
static void publish_version(req_t *r, cJSON *sm, const char *description, char *out, size_t n) {
    /* AWS: publishing the same revision again returns the existing version */
    const char *last = jstr(sm, "lastVersionArn");
    if (last) {
        cJSON *v = doc_get(r, "version", last);
        if (v && !strcmp(jstr(v, "revisionId"), jstr(sm, "revisionId"))) {
            snprintf(out, n, "%s", last);
            cJSON_Delete(v);
            return;
        }
        cJSON_Delete(v);
    }
    int num = jint(sm, "versionCounter", 0) + 1;
    setk(sm, "versionCounter", cJSON_CreateNumber(num));
    snprintf(out, n, "%s:%d", jstr(sm, "stateMachineArn"), num);
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "stateMachineVersionArn", out);
    cJSON_AddStringToObject(v, "stateMachineArn", jstr(sm, "stateMachineArn"));
    cJSON_AddStringToObject(v, "name", jstr(sm, "name"));
    cJSON_AddStringToObject(v, "definition", jstr(sm, "definition"));
    cJSON_AddStringToObject(v, "roleArn", jstr(sm, "roleArn"));
    cJSON_AddStringToObject(v, "type", jstr(sm, "type"));
    cJSON_AddStringToObject(v, "revisionId", jstr(sm, "revisionId"));
    cJSON_AddItemToObject(v, "loggingConfiguration", cJSON_Duplicate(O(sm, "loggingConfiguration"), 1));
    cJSON_AddItemToObject(v, "tracingConfiguration", cJSON_Duplicate(O(sm, "tracingConfiguration"), 1));
    cJSON_AddNumberToObject(v, "creationDate", secs(r->now_ms));
    if (description) cJSON_AddStringToObject(v, "description", description);
    doc_put(r, "version", out, v);
    cJSON_Delete(v);
    setk(sm, "lastVersionArn", cJSON_CreateString(out));
}

static void new_revision(req_t *r, cJSON *sm) {
    char rev[37];
    uuid(r, rev);
    setk(sm, "revisionId", cJSON_CreateString(rev));
    rev_store(r->sim, rev, jstr(sm, "definition"));
}

static int op_CreateStateMachine(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *name = jstr(in, "name"), *def = jstr(in, "definition"), *role = jstr(in, "roleArn");
    const char *type = jstr(in, "type") ? jstr(in, "type") : "STANDARD";
    if (!name_valid(name)) return sim_err(e, 400, "InvalidName", "Invalid Name: '%s'", name ? name : "");
    if (check_role(role, e)) return -1;
    if (check_definition(def, e)) return -1;
    if (tags_check(O(in, "tags"), e)) return -1;
    const cJSON *lc = O(in, "loggingConfiguration");
    if (lc && jstr(lc, "level") && strcmp(jstr(lc, "level"), "OFF") && !O(lc, "destinations"))
        return sim_err(e, 400, "InvalidLoggingConfiguration",
                       "Invalid Logging Configuration: Must specify exactly one Log Destination.");
    if (jbool(in, "publish", 0) == 0 && jstr(in, "versionDescription"))
        return sim_err(e, 400, "ValidationException",
                       "Version description can only be set when publish is true");
    char arn[400];
    sm_arn(r, name, arn, sizeof arn);
    cJSON *old = sm_get(r, arn);
    if (old) {
        /* AWS: CreateStateMachine is idempotent for an identical request */
        int same = !strcmp(jstr(old, "definition"), def) && !strcmp(jstr(old, "roleArn"), role) &&
                   !strcmp(jstr(old, "type"), type);
        if (!same) {
            cJSON_Delete(old);
            return sim_err(e, 400, "StateMachineAlreadyExists", "State Machine Already Exists: '%s'", arn);
        }
        cJSON_AddStringToObject(out, "stateMachineArn", arn);
        cJSON_AddNumberToObject(out, "creationDate", jnum(old, "creationDate", 0));
        if (jbool(in, "publish", 0) && jstr(old, "lastVersionArn"))
            cJSON_AddStringToObject(out, "stateMachineVersionArn", jstr(old, "lastVersionArn"));
        cJSON_Delete(old);
        return 0;
    }
    cJSON *sm = cJSON_CreateObject();
    cJSON_AddStringToObject(sm, "stateMachineArn", arn);
    cJSON_AddStringToObject(sm, "name", name);
    cJSON_AddStringToObject(sm, "definition", def);
    cJSON_AddStringToObject(sm, "roleArn", role);
    cJSON_AddStringToObject(sm, "type", type);
    cJSON_AddStringToObject(sm, "status", "ACTIVE");
    cJSON_AddNumberToObject(sm, "creationDate", secs(r->now_ms));
    cJSON_AddItemToObject(sm, "loggingConfiguration", default_logging(in));
    cJSON_AddItemToObject(sm, "tracingConfiguration", default_tracing(in));
    if (O(in, "encryptionConfiguration"))
        cJSON_AddItemToObject(sm, "encryptionConfiguration",
                              cJSON_Duplicate(O(in, "encryptionConfiguration"), 1));
    cJSON_AddItemToObject(sm, "tags",
                          (O(in, "tags") ? cJSON_Duplicate(O(in, "tags"), 1) : cJSON_CreateArray()));
    new_revision(r, sm);
    char ver[450] = "";
    if (jbool(in, "publish", 0)) publish_version(r, sm, jstr(in, "versionDescription"), ver, sizeof ver);
    doc_put(r, "sm", arn, sm);
    cJSON_AddStringToObject(out, "stateMachineArn", arn);
    cJSON_AddNumberToObject(out, "creationDate", secs(r->now_ms));
    if (*ver) cJSON_AddStringToObject(out, "stateMachineVersionArn", ver);
    cJSON_Delete(sm);
    return 0;
}

/* Documents of resolve_sm_peek: borrowed from the cache, or owned (own[] holds what to free). */
typedef struct sm_refs {
    const cJSON *sm, *ver, *alias;
    cJSON *own[3];
} sm_refs_t;

static void sm_refs_free(sm_refs_t *x) {
    for (int i = 0; i < 3; i++)
        cJSON_Delete(x->own[i]);
    memset(x, 0, sizeof *x);
}

/* Resolve a state machine, version or alias ARN to (base sm doc, version doc or NULL, alias doc or
 * NULL), read through the document cache: valid until the next document write (see doc_peek). */
static int resolve_sm_peek(req_t *r, const char *arn, sm_refs_t *x, sim_error_t *e) {
    sarn_t a;
    memset(x, 0, sizeof *x);
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine")) return err_invalid_arn(e, arn);
    char base[400];
    cat(base, sizeof base, "arn:aws:states:", a.region, ":", a.account, ":stateMachine:", a.name,
        (char *)NULL);
    x->sm = doc_peek(r, "sm", base, &x->own[0]);
    if (!x->sm) return sm_missing(e, arn);
    if (!*a.qual) return 0;
    const char *q = a.qual;
    int numeric = 1;
    for (const char *p = q; *p; p++)
        numeric &= isdigit((unsigned char)*p) != 0;
    if (numeric) {
        x->ver = doc_peek(r, "version", arn, &x->own[1]);
        if (!x->ver) {
            sm_refs_free(x);
            return sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", arn);
        }
        return 0;
    }
    x->alias = doc_peek(r, "alias", arn, &x->own[2]);
    if (!x->alias) {
        sm_refs_free(x);
        return sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", arn);
    }
    /* alias routing: pick a version by weight */
    const cJSON *rc = O(x->alias, "routingConfiguration");
    double u = rng_unit(r->sim) * 100.0, acc = 0;
    const char *pick = NULL;
    const cJSON *c;
    cJSON_ArrayForEach(c, rc) {
        acc += jnum(c, "weight", 0);
        if (!pick || u < acc) pick = jstr(c, "stateMachineVersionArn");
        if (u < acc) break;
    }
    x->ver = pick ? doc_peek(r, "version", pick, &x->own[1]) : NULL;
    if (!x->ver) {
        char p[600];
        snprintf(p, sizeof p, "%s", pick ? pick : arn);
        sm_refs_free(x);
        return sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", p);
    }
    return 0;
}

static cJSON *take_or_copy(const cJSON *d, cJSON **own) {
    cJSON *o = *own;
    *own = NULL;
    return o ? o : d ? cJSON_Duplicate(d, 1) : NULL;
}

/* resolve_sm_peek with documents of the caller's own (caller frees). */
static int resolve_sm(req_t *r, const char *arn, cJSON **sm, cJSON **ver, cJSON **alias, sim_error_t *e) {
    sm_refs_t x;
    *sm = *ver = NULL;
    if (alias) *alias = NULL;
    if (resolve_sm_peek(r, arn, &x, e)) return -1;
    *sm = take_or_copy(x.sm, &x.own[0]);
    *ver = take_or_copy(x.ver, &x.own[1]);
    if (alias) *alias = take_or_copy(x.alias, &x.own[2]);
    sm_refs_free(&x);
    return 0;
}

static int op_DescribeStateMachine(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *sm, *ver;
    const char *arn = jstr(in, "stateMachineArn");
    sarn_t a;
    if (!arn_parse(arn, &a) && *a.qual) {
        int numeric = 1;
        for (const char *p = a.qual; *p; p++)
            numeric &= isdigit((unsigned char)*p) != 0;
        if (!numeric) return err_invalid_arn(e, arn);
    }
    if (resolve_sm(r, arn, &sm, &ver, NULL, e)) return -1;
    const cJSON *src = ver ? ver : sm;
    cJSON_AddStringToObject(out, "stateMachineArn",
                            ver ? jstr(ver, "stateMachineVersionArn") : jstr(sm, "stateMachineArn"));
    cJSON_AddStringToObject(out, "name", jstr(sm, "name"));
    cJSON_AddStringToObject(out, "status", "ACTIVE");
    cJSON_AddStringToObject(out, "definition", jstr(src, "definition"));
    cJSON_AddStringToObject(out, "roleArn", jstr(src, "roleArn"));
    cJSON_AddStringToObject(out, "type", jstr(sm, "type"));
    cJSON_AddNumberToObject(out, "creationDate", jnum(src, "creationDate", 0));
    cJSON_AddItemToObject(out, "loggingConfiguration", cJSON_Duplicate(O(src, "loggingConfiguration"), 1));
    cJSON_AddItemToObject(out, "tracingConfiguration", cJSON_Duplicate(O(src, "tracingConfiguration"), 1));
    put_str(out, "revisionId", jstr(src, "revisionId"));
    if (ver) put_str(out, "description", jstr(ver, "description"));
    if (O(sm, "encryptionConfiguration"))
        cJSON_AddItemToObject(out, "encryptionConfiguration",
                              cJSON_Duplicate(O(sm, "encryptionConfiguration"), 1));
    cJSON_Delete(sm);
    cJSON_Delete(ver);
    return 0;
}

static int op_UpdateStateMachine(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "stateMachineArn");
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine") || *a.qual) return err_invalid_arn(e, arn);
    const char *def = jstr(in, "definition"), *role = jstr(in, "roleArn");
    if (!def && !role && !O(in, "loggingConfiguration") && !O(in, "tracingConfiguration") &&
        !O(in, "encryptionConfiguration"))
        return sim_err(
            e, 400, "MissingRequiredParameter",
            "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or "
            "the TracingConfiguration must be specified");
    if (jstr(in, "versionDescription") && !jbool(in, "publish", 0))
        return sim_err(e, 400, "ValidationException",
                       "Version description can only be set when publish is true");
    if (role && check_role(role, e)) return -1;
    if (def && check_definition(def, e)) return -1;
    cJSON *sm = sm_get(r, arn);
    if (!sm) return sm_missing(e, arn);
    int changed = 0;
    if (def && strcmp(def, jstr(sm, "definition"))) {
        setk(sm, "definition", cJSON_CreateString(def));
        changed = 1;
    }
    if (role && strcmp(role, jstr(sm, "roleArn"))) {
        setk(sm, "roleArn", cJSON_CreateString(role));
        changed = 1;
    }
    if (O(in, "loggingConfiguration")) {
        setk(sm, "loggingConfiguration", default_logging(in));
        changed = 1;
    }
    if (O(in, "tracingConfiguration")) {
        setk(sm, "tracingConfiguration", default_tracing(in));
        changed = 1;
    }
    if (changed) new_revision(r, sm);
    setk(sm, "updateDate", cJSON_CreateNumber(secs(r->now_ms)));
    char ver[450] = "";
    if (jbool(in, "publish", 0)) publish_version(r, sm, jstr(in, "versionDescription"), ver, sizeof ver);
    doc_put(r, "sm", arn, sm);
    cJSON_AddNumberToObject(out, "updateDate", secs(r->now_ms));
    cJSON_AddStringToObject(out, "revisionId", jstr(sm, "revisionId"));
    if (*ver) cJSON_AddStringToObject(out, "stateMachineVersionArn", ver);
    cJSON_Delete(sm);
    return 0;
}

static int op_DeleteStateMachine(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "stateMachineArn");
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine")) return err_invalid_arn(e, arn);
    if (*a.qual) {
        int numeric = 1;
        for (const char *p = a.qual; *p; p++)
            numeric &= isdigit((unsigned char)*p) != 0;
        if (numeric) return doc_del(r, "version", arn), 0;
        return doc_del(r, "alias", arn), 0;
    }
    /* AWS: deleting a missing state machine succeeds; versions and aliases go with it */
    doc_del(r, "sm", arn);
    const char *types[] = {"version", "alias"};
    for (int k = 0; k < 2; k++) {
        cJSON *all = rs_list(r, types[k]);
        const cJSON *v;
        cJSON_ArrayForEach(v, all) {
            const char *id = jstr(v, k ? "stateMachineAliasArn" : "stateMachineVersionArn");
            const char *base = jstr(v, "stateMachineArn");
            if (id && base && !strcmp(base, arn)) doc_del(r, types[k], id);
        }
        cJSON_Delete(all);
    }
    return 0;
}

/* rows (consumed) paged by the request's nextToken/maxResults (default 100) into out[key], with the
 * nextToken of the next page when there is one. */
static void put_page(cJSON *out, const char *key, cJSON *rows, const cJSON *in) {
    char next[32];
    cJSON_AddItemToObject(
        out, key, page_slice(rows, jstr(in, "nextToken"), jint(in, "maxResults", 0), 100, next, sizeof next));
    if (*next) cJSON_AddStringToObject(out, "nextToken", next);
}

static int op_ListStateMachines(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *all = rs_list(r, "sm"), *rows = cJSON_CreateArray();
    const cJSON *sm;
    cJSON_ArrayForEach(sm, all) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stateMachineArn", jstr(sm, "stateMachineArn"));
        cJSON_AddStringToObject(o, "name", jstr(sm, "name"));
        cJSON_AddStringToObject(o, "type", jstr(sm, "type"));
        cJSON_AddNumberToObject(o, "creationDate", jnum(sm, "creationDate", 0));
        cJSON_AddItemToArray(rows, o);
    }
    cJSON_Delete(all);
    put_page(out, "stateMachines", rows, in);
    return 0;
}

/* ---------------- versions and aliases ---------------- */

static int op_PublishStateMachineVersion(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "stateMachineArn");
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine") || *a.qual) return err_invalid_arn(e, arn);
    cJSON *sm = sm_get(r, arn);
    if (!sm) return sm_missing(e, arn);
    const char *rev = jstr(in, "revisionId");
    /* AWS: revisionId must match the current revision */
    if (rev && strcmp(rev, jstr(sm, "revisionId"))) {
        cJSON_Delete(sm);
        return sim_err(
            e, 400, "ConflictException",
            "Failed to publish the State Machine version for revision %s. The current State Machine "
            "revision is %s.",
            rev, "different");
    }
    char ver[450];
    publish_version(r, sm, jstr(in, "description"), ver, sizeof ver);
    doc_put(r, "sm", arn, sm);
    cJSON *v = doc_get(r, "version", ver);
    cJSON_AddNumberToObject(out, "creationDate", jnum(v, "creationDate", secs(r->now_ms)));
    cJSON_AddStringToObject(out, "stateMachineVersionArn", ver);
    cJSON_Delete(v);
    cJSON_Delete(sm);
    return 0;
}

static int op_ListStateMachineVersions(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "stateMachineArn");
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine") || *a.qual) return err_invalid_arn(e, arn);
    cJSON *sm = sm_get(r, arn);
    if (!sm) return sm_missing(e, arn);
    cJSON_Delete(sm);
    cJSON *all = rs_list(r, "version"), *rows = cJSON_CreateArray();
    const cJSON *v;
    /* newest first */
    for (int i = cJSON_GetArraySize(all) - 1; i >= 0; i--) {
        v = cJSON_GetArrayItem(all, i);
        if (strcmp(jstr(v, "stateMachineArn"), arn)) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stateMachineVersionArn", jstr(v, "stateMachineVersionArn"));
        cJSON_AddNumberToObject(o, "creationDate", jnum(v, "creationDate", 0));
        cJSON_AddItemToArray(rows, o);
    }
    cJSON_Delete(all);
    put_page(out, "stateMachineVersions", rows, in);
    return 0;
}

static int alias_refs_version(req_t *r, const char *ver) {
    cJSON *all = rs_list(r, "alias");
    const cJSON *al, *c;
    int found = 0;
    cJSON_ArrayForEach(al, all) {
        cJSON_ArrayForEach(c, O(al, "routingConfiguration")) {
            if (!strcmp(jstr(c, "stateMachineVersionArn"), ver)) found = 1;
        }
    }
    cJSON_Delete(all);
    return found;
}

static int op_DeleteStateMachineVersion(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "stateMachineVersionArn");
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine") || !*a.qual) return err_invalid_arn(e, arn);
    /* AWS: a version referenced by an alias cannot be deleted */
    if (alias_refs_version(r, arn))
        return sim_err(
            e, 400, "ConflictException",
            "Version to be deleted must not be referenced by an alias. Current list of aliases referencing "
            "this version: [...]");
    doc_del(r, "version", arn);
    return 0;
}

static int check_routing(req_t *r, const cJSON *rc, const char *sm_base, sim_error_t *e) {
    int n = cJSON_GetArraySize(rc);
    if (n < 1 || n > 2)
        return sim_err(e, 400, "ValidationException",
                       "Routing configuration must contain one or two versions");
    double sum = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, rc) {
        const char *v = jstr(c, "stateMachineVersionArn");
        sarn_t a;
        if (arn_parse(v, &a) || !*a.qual) return err_invalid_arn(e, v ? v : "");
        char base[400];
        snprintf(base, sizeof base, "arn:aws:states:%s:%s:stateMachine:%s", a.region, a.account, a.name);
        if (sm_base && strcmp(base, sm_base))
            return sim_err(e, 400, "ValidationException",
                           "Routing configuration versions must belong to the same state machine");
        cJSON *vd = doc_get(r, "version", v);
        if (!vd) return sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", v);
        cJSON_Delete(vd);
        sum += jnum(c, "weight", 0);
    }
    if (n == 2 &&
        !strcmp(jstr(rc->child, "stateMachineVersionArn"), jstr(rc->child->next, "stateMachineVersionArn")))
        return sim_err(e, 400, "ValidationException", "Routing configuration must contain distinct versions");
    if (sum != 100)
        return sim_err(e, 400, "ValidationException", "Sum of routing configuration weights must equal 100");
    return 0;
}

static int op_CreateStateMachineAlias(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *name = jstr(in, "name");
    const cJSON *rc = O(in, "routingConfiguration");
    if (!name_valid(name)) return sim_err(e, 400, "InvalidName", "Invalid Name: '%s'", name ? name : "");
    const char *v0 = jstr(rc ? rc->child : NULL, "stateMachineVersionArn");
    sarn_t a;
    if (!v0 || arn_parse(v0, &a)) return err_invalid_arn(e, v0 ? v0 : "");
    char base[400], arn[500];
    snprintf(base, sizeof base, "arn:aws:states:%s:%s:stateMachine:%s", a.region, a.account, a.name);
    if (check_routing(r, rc, base, e)) return -1;
    snprintf(arn, sizeof arn, "%s:%s", base, name);
    cJSON *old = doc_get(r, "alias", arn);
    if (old) {
        int same = cJSON_Compare(O(old, "routingConfiguration"), rc, 1);
        double cd = jnum(old, "creationDate", 0);
        cJSON_Delete(old);
        if (!same)
            return sim_err(
                e, 400, "ConflictException",
                "Failed to create alias because an alias with the same name and a different routing "
                "configuration already exists.");
        cJSON_AddStringToObject(out, "stateMachineAliasArn", arn);
        cJSON_AddNumberToObject(out, "creationDate", cd);
        return 0;
    }
    cJSON *al = cJSON_CreateObject();
    cJSON_AddStringToObject(al, "stateMachineAliasArn", arn);
    cJSON_AddStringToObject(al, "stateMachineArn", base);
    cJSON_AddStringToObject(al, "name", name);
    put_str(al, "description", jstr(in, "description"));
    cJSON_AddItemToObject(al, "routingConfiguration", cJSON_Duplicate(rc, 1));
    cJSON_AddNumberToObject(al, "creationDate", secs(r->now_ms));
    cJSON_AddNumberToObject(al, "updateDate", secs(r->now_ms));
    doc_put(r, "alias", arn, al);
    cJSON_Delete(al);
    cJSON_AddStringToObject(out, "stateMachineAliasArn", arn);
    cJSON_AddNumberToObject(out, "creationDate", secs(r->now_ms));
    return 0;
}

static cJSON *alias_get(req_t *r, const char *arn, sim_error_t *e) {
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine") || !*a.qual) {
        err_invalid_arn(e, arn ? arn : "");
        return NULL;
    }
    cJSON *al = doc_get(r, "alias", arn);
    if (!al) sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", arn);
    return al;
}

static int op_DescribeStateMachineAlias(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *al = alias_get(r, jstr(in, "stateMachineAliasArn"), e);
    if (!al) return -1;
    cJSON_AddStringToObject(out, "stateMachineAliasArn", jstr(al, "stateMachineAliasArn"));
    cJSON_AddStringToObject(out, "name", jstr(al, "name"));
    put_str(out, "description", jstr(al, "description"));
    cJSON_AddItemToObject(out, "routingConfiguration", cJSON_Duplicate(O(al, "routingConfiguration"), 1));
    cJSON_AddNumberToObject(out, "creationDate", jnum(al, "creationDate", 0));
    cJSON_AddNumberToObject(out, "updateDate", jnum(al, "updateDate", 0));
    cJSON_Delete(al);
    return 0;
}

static int op_UpdateStateMachineAlias(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *al = alias_get(r, jstr(in, "stateMachineAliasArn"), e);
    if (!al) return -1;
    const cJSON *rc = O(in, "routingConfiguration");
    if (!rc && !jstr(in, "description")) {
        cJSON_Delete(al);
        return sim_err(e, 400, "ValidationException",
                       "Either the description or the RoutingConfiguration must be specified");
    }
    if (rc) {
        if (check_routing(r, rc, jstr(al, "stateMachineArn"), e)) {
            cJSON_Delete(al);
            return -1;
        }
        setk(al, "routingConfiguration", cJSON_Duplicate(rc, 1));
    }
    if (jstr(in, "description")) setk(al, "description", cJSON_CreateString(jstr(in, "description")));
    setk(al, "updateDate", cJSON_CreateNumber(secs(r->now_ms)));
    doc_put(r, "alias", jstr(al, "stateMachineAliasArn"), al);
    cJSON_Delete(al);
    cJSON_AddNumberToObject(out, "updateDate", secs(r->now_ms));
    return 0;
}

static int op_DeleteStateMachineAlias(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *al = alias_get(r, jstr(in, "stateMachineAliasArn"), e);
    if (!al) return -1;
    doc_del(r, "alias", jstr(al, "stateMachineAliasArn"));
    cJSON_Delete(al);
    return 0;
}

static int op_ListStateMachineAliases(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "stateMachineArn");
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "stateMachine")) return err_invalid_arn(e, arn);
    char base[400];
    snprintf(base, sizeof base, "arn:aws:states:%s:%s:stateMachine:%s", a.region, a.account, a.name);
    cJSON *sm = sm_get(r, base);
    if (!sm) return sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", arn);
    cJSON_Delete(sm);
    cJSON *all = rs_list(r, "alias"), *rows = cJSON_CreateArray();
    const cJSON *al;
    cJSON_ArrayForEach(al, all) {
        if (strcmp(jstr(al, "stateMachineArn"), base)) continue;
        /* a version ARN lists the aliases routing to it */
        if (*a.qual) {
            int refs = 0;
            const cJSON *c;
            cJSON_ArrayForEach(c, O(al, "routingConfiguration")) refs |=
                !strcmp(jstr(c, "stateMachineVersionArn"), arn);
            if (!refs) continue;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stateMachineAliasArn", jstr(al, "stateMachineAliasArn"));
        cJSON_AddNumberToObject(o, "creationDate", jnum(al, "creationDate", 0));
        cJSON_AddItemToArray(rows, o);
    }
    cJSON_Delete(all);
    put_page(out, "stateMachineAliases", rows, in);
    return 0;
}

static int op_ValidateStateMachineDefinition(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    asl_diag_t d[MAX_DIAG];
    int nd = 0;
    asl_def_t *def = asl_parse(jstr(in, "definition"), d, MAX_DIAG, &nd);
    asl_def_free(def);
    int max = jint(in, "maxResults", 100);
    if (max <= 0) max = 100;
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < nd && i < max; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "severity", "ERROR");
        cJSON_AddStringToObject(o, "code", d[i].code);
        cJSON_AddStringToObject(o, "message", d[i].message);
        cJSON_AddStringToObject(o, "location", d[i].location);
        cJSON_AddItemToArray(arr, o);
    }
    cJSON_AddStringToObject(out, "result", nd ? "FAIL" : "OK");
    cJSON_AddItemToObject(out, "diagnostics", arr);
    cJSON_AddBoolToObject(out, "truncated", nd > max);
    return 0;
}

/* ---------------- executions: storage ---------------- */

typedef struct exec {
    char arn[512];
    char account[16], region[32];
    cJSON *meta; /* smArn, name, input, type, revisionId, versionArn, aliasArn, parent{arn,token,mode}, ... */
    cJSON *x;    /* engine document */
    const asl_def_t *def;
    int timers; /* timers scheduled for it during this call */
} exec_t;

static void exec_free(exec_t *ex) {
    cJSON_Delete(ex->meta);
    cJSON_Delete(ex->x);
    ex->meta = ex->x = NULL;
}

static int exec_load(sim_t *s, const char *arn, exec_t *ex) {
    memset(ex, 0, sizeof *ex);
    sqlite3_stmt *st = db_prepare(s, "SELECT account, region, meta, x FROM sfn_exec WHERE arn=?");
    sqlite3_bind_text(st, 1, arn, -1, SQLITE_TRANSIENT);
    int found = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(ex->arn, sizeof ex->arn, "%s", arn);
        snprintf(ex->account, sizeof ex->account, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(ex->region, sizeof ex->region, "%s", (const char *)sqlite3_column_text(st, 1));
        ex->meta = cJSON_Parse((const char *)sqlite3_column_text(st, 2));
        ex->x = cJSON_Parse((const char *)sqlite3_column_text(st, 3));
        found = ex->meta && ex->x;
    }
    sqlite3_reset(st);
    if (!found) {
        exec_free(ex);
        return -1;
    }
    ex->def = def_get(s, jstr(ex->meta, "revisionId"), NULL);
    return 0;
}

/* The execution document is saved whole; new history events are stored as one chunk per save
 * (comma-separated JSON objects), so resuming a long execution never rewrites its history: the
 * first chunk in the execution's own row (one insert for an execution that runs to its end in
 * StartExecution), the next ones in table sfn_hist. */
/* 0, or -1 when the row could not be written (an insert whose ARN is taken). */
static int exec_save(sim_t *s, exec_t *ex, int insert) {
    int n, stored;
    char *evtext = asl_history_take(ex->x, &n, &stored);
    char *first = NULL;
    if (evtext && insert && stored == 0) {
        first = evtext;
        evtext = NULL;
    }
    if (evtext) {
        sqlite3_stmt *st = db_prepare(s, "INSERT INTO sfn_hist(arn, seq, events) VALUES(?,?,?)");
        sqlite3_bind_text(st, 1, ex->arn, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, stored);
        sqlite3_bind_text(st, 3, evtext, -1, free);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    char *meta = asl_json_print(ex->meta), *x = asl_json_print(ex->x);
    const char *status = asl_status(ex->x);
    sqlite3_stmt *st;
    if (insert) {
        st = db_prepare(
            s, "INSERT INTO sfn_exec(arn, account, region, sm_arn, name, status, start_ms, stop_ms, meta, "
               "x, hist, sm_h) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
        sqlite3_bind_int64(st, 12, sm_key(jstr(ex->meta, "smArn")));
        sqlite3_bind_text(st, 1, ex->arn, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, ex->account, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, ex->region, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, jstr(ex->meta, "smArn"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, jstr(ex->meta, "name"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, status, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)jnum(ex->x, "start", 0));
        sqlite3_bind_int64(st, 8, (sqlite3_int64)jnum(ex->x, "stop", 0));
        sqlite3_bind_text(st, 9, meta, -1, free); /* SQLite frees them (no copy) */
        sqlite3_bind_text(st, 10, x, -1, free);
        if (first)
            sqlite3_bind_text(st, 11, first, -1, free);
        else
            sqlite3_bind_null(st, 11);
    } else {
        st = db_prepare(s, "UPDATE sfn_exec SET status=?, stop_ms=?, meta=?, x=? WHERE arn=?");
        sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)jnum(ex->x, "stop", 0));
        sqlite3_bind_text(st, 3, meta, -1, free);
        sqlite3_bind_text(st, 4, x, -1, free);
        sqlite3_bind_text(st, 5, ex->arn, -1, SQLITE_TRANSIENT);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The whole stored history of an execution as JSON array text (caller frees), timestamps still as
 * offsets and events possibly compact (asl_history_absolute expands them). */
static char *exec_history_text(sim_t *s, const char *arn) {
    sqlite3_stmt *st =
        db_prepare(s, "SELECT '[' || COALESCE(group_concat(events, ','), '') || ']' FROM (SELECT events "
                      "FROM (SELECT -1 AS seq, hist AS events FROM sfn_exec WHERE arn=?1 AND hist IS NOT "
                      "NULL UNION ALL SELECT seq, events FROM sfn_hist WHERE arn=?1) ORDER BY seq)");
    sqlite3_bind_text(st, 1, arn, -1, SQLITE_TRANSIENT);
    char *text = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) text = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return text ? text : strdup("[]");
}

/* ---------------- task host ---------------- */

typedef struct hctx {
    req_t *r;
    exec_t *ex;
} hctx_t;

static int start_child(req_t *r, const cJSON *params, int sync, cJSON **result, const char *parent_arn,
                       const char *token, asl_err_t *err);

/* Step Functions Local MockConfigFile: the response for this state's n-th invocation, or NULL. */
static cJSON *mock_lookup(req_t *r, exec_t *ex, const char *state) {
    const char *tc = jstr(ex->meta, "testCase");
    if (!tc || !r->sim->sfn_mock_config) return NULL;
    cJSON *cfg = cJSON_Parse(r->sim->sfn_mock_config);
    if (!cfg) return NULL;
    const char *smname = jstr(ex->meta, "smName");
    const char *respname = jstr(O(O(O(O(cfg, "StateMachines"), smname), "TestCases"), tc), state);
    cJSON *res = NULL;
    if (respname) {
        const cJSON *resp = O(O(cfg, "MockedResponses"), respname);
        cJSON *counts = O(ex->x, "mockn");
        if (!counts) counts = cJSON_AddObjectToObject(ex->x, "mockn");
        int n = jint(counts, state, 0);
        setk(counts, state, cJSON_CreateNumber(n + 1));
        const cJSON *c;
        cJSON_ArrayForEach(c, resp) {
            int lo, hi;
            if (sscanf(c->string, "%d-%d", &lo, &hi) == 2) {
            } else if (sscanf(c->string, "%d", &lo) == 1)
                hi = lo;
            else
                continue;
            if (n >= lo && n <= hi) {
                res = cJSON_Duplicate(c, 1);
                break;
            }
        }
        if (!res) {
            res = cJSON_CreateObject();
            cJSON *th = cJSON_AddObjectToObject(res, "Throw");
            cJSON_AddStringToObject(th, "Error", "States.Runtime");
            cJSON_AddStringToObject(th, "Cause", "No mocked response for this invocation of the state");
        }
    }
    cJSON_Delete(cfg);
    return res;
}

static void log_message(req_t *r, exec_t *ex, const char *resource, const cJSON *params) {
    char *p = cJSON_PrintUnformatted(params);
    sqlite3_stmt *st =
        db_prepare(r->sim, "INSERT INTO sfn_messages(time_ms, account, region, resource, parameters, "
                           "exec_arn) VALUES(?,?,?,?,?,?)");
    sqlite3_bind_int64(st, 1, clock_now_ms(r->sim));
    sqlite3_bind_text(st, 2, ex->account, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, ex->region, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, resource, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, p ? p : "{}", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, ex->arn, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
    free(p);
}

int sfn_messages_json(sim_t *s, cJSON *out_array) {
    sqlite3_stmt *st =
        db_prepare(s, "SELECT seq, time_ms, account, region, resource, parameters, exec_arn FROM "
                      "sfn_messages ORDER BY seq");
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        char ts[32];
        fmt_iso8601_ms(sqlite3_column_int64(st, 1), ts);
        cJSON_AddNumberToObject(o, "seq", (double)sqlite3_column_int64(st, 0));
        cJSON_AddStringToObject(o, "time", ts);
        cJSON_AddStringToObject(o, "account", (const char *)sqlite3_column_text(st, 2));
        cJSON_AddStringToObject(o, "region", (const char *)sqlite3_column_text(st, 3));
        cJSON_AddStringToObject(o, "resource", (const char *)sqlite3_column_text(st, 4));
        cJSON *p = cJSON_Parse((const char *)sqlite3_column_text(st, 5));
        cJSON_AddItemToObject(o, "parameters", p ? p : cJSON_CreateObject());
        cJSON_AddStringToObject(o, "executionArn", (const char *)sqlite3_column_text(st, 6));
        cJSON_AddItemToArray(out_array, o);
        n++;
    }
    sqlite3_reset(st);
    return n;
}

/* Result of a logged (not emulated) integration, shaped like AWS's response. */
static cJSON *logged_result(req_t *r, const char *service, const char *action) {
    cJSON *o = cJSON_CreateObject();
    char id[37];
    uuid(r, id);
    if (!strcmp(service, "sns") && !strncmp(action, "publish", 7))
        cJSON_AddStringToObject(o, "MessageId", id);
    else if (!strcmp(service, "sqs") && !strncmp(action, "sendMessage", 11)) {
        char md5[33];
        rng_hex(r->sim, md5, 32);
        cJSON_AddStringToObject(o, "MD5OfMessageBody", md5);
        cJSON_AddStringToObject(o, "MessageId", id);
    } else if (!strcmp(service, "events") && !strncmp(action, "putEvents", 9)) {
        cJSON *en = cJSON_AddArrayToObject(o, "Entries");
        cJSON *e1 = cJSON_CreateObject();
        cJSON_AddStringToObject(e1, "EventId", id);
        cJSON_AddItemToArray(en, e1);
        cJSON_AddNumberToObject(o, "FailedEntryCount", 0);
    }
    return o;
}

/* aws-sdk service name -> (awssim model key, SDK error prefix) */
static int sdk_service(const char *svc, const char **key, const char **prefix) {
    static const char *map[][3] = {{"sts", "sts", "Sts"},
                                   {"iam", "iam", "Iam"},
                                   {"sfn", "stepfunctions", "Sfn"},
                                   {"route53", "route53", "Route53"},
                                   {"databasemigration", "dms", "DatabaseMigration"},
                                   {"ram", "ram", "Ram"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(svc, map[i][0])) {
            *key = map[i][1];
            *prefix = map[i][2];
            return 1;
        }
    return 0;
}

/* aws-sdk integrations take and return PascalCase members (SDK style); the JSON models of
 * stepfunctions and ram spell them camelCase. Recursively re-case object keys. */
static void recase(cJSON *v, int upper) {
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) return;
    for (cJSON *c = v->child; c; c = c->next) {
        if (cJSON_IsObject(v) && c->string && c->string[0])
            c->string[0] =
                (char)(upper ? toupper((unsigned char)c->string[0]) : tolower((unsigned char)c->string[0]));
        recase(c, upper);
    }
}

static void token_register(req_t *r, exec_t *ex, const char *token, const char *activity,
                           const cJSON *input) {
    char *in = input ? cJSON_PrintUnformatted(input) : NULL;
    sqlite3_stmt *st =
        db_prepare(r->sim, "INSERT OR REPLACE INTO sfn_token(token, exec_arn, account, region, activity, "
                           "input, state, seq) VALUES(?,?,?,?,?,?,'waiting',?)");
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, ex->arn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, ex->account, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, ex->region, -1, SQLITE_TRANSIENT);
    if (activity)
        sqlite3_bind_text(st, 5, activity, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 5);
    if (in)
        sqlite3_bind_text(st, 6, in, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, meta_next_seq(r->sim, "sfn_token"));
    sqlite3_step(st);
    sqlite3_reset(st);
    free(in);
}

static int host_task(void *ud, cJSON *x, asl_task_t *t, cJSON **result, asl_err_t *err) {
    hctx_t *h = ud;
    req_t *r = h->r;
    exec_t *ex = h->ex;
    const char *res = t->resource;
    /* TestState "mock": the task's result or error is given by the caller */
    const cJSON *tsm = O(ex->meta, "testStateMock");
    if (tsm) {
        const cJSON *eo = O(tsm, "errorOutput");
        if (eo) {
            asl_fail(err, jstr(eo, "error") ? jstr(eo, "error") : "States.TaskFailed", "%s",
                     jstr(eo, "cause") ? jstr(eo, "cause") : "");
            return ASL_TASK_FAIL;
        }
        cJSON *v = cJSON_Parse(jstr(tsm, "result") ? jstr(tsm, "result") : "{}");
        if (!v) {
            asl_fail(err, "States.Runtime", "The mocked result is not valid JSON");
            return ASL_TASK_FAIL;
        }
        *result = v;
        return ASL_TASK_DONE;
    }
    cJSON *mock = mock_lookup(r, ex, t->state_name);
    if (mock) {
        int rc;
        if (O(mock, "Return")) {
            *result = cJSON_Duplicate(O(mock, "Return"), 1);
            rc = ASL_TASK_DONE;
        } else {
            const cJSON *th = O(mock, "Throw");
            asl_fail(err, jstr(th, "Error") ? jstr(th, "Error") : "States.TaskFailed", "%s",
                     jstr(th, "Cause") ? jstr(th, "Cause") : "");
            rc = ASL_TASK_FAIL;
        }
        cJSON_Delete(mock);
        return rc;
    }
    /* activities: queue the task for GetActivityTask */
    if (strstr(res, ":activity:")) {
        cJSON *act = rs_get_at(r->sim, SVC, ex->account, ex->region, "activity", res);
        if (!act) {
            asl_fail(err, "States.Runtime", "Activity does not exist: '%s'", res);
            return ASL_TASK_FAIL;
        }
        cJSON_Delete(act);
        token_register(r, ex, t->token, res, t->params);
        return ASL_TASK_WAIT;
    }
    if (!strncmp(res, "arn:aws:lambda:", 15) || !strncmp(res, "arn:aws:states:::lambda:invoke", 30)) {
        const char *fn = !strncmp(res, "arn:aws:lambda:", 15) ? res : jstr(t->params, "FunctionName");
        if (strstr(res, ".waitForTaskToken")) {
            token_register(r, ex, t->token, NULL, NULL);
            log_message(r, ex, res, t->params);
            return ASL_TASK_WAIT;
        }
        asl_fail(
            err, "Lambda.ResourceNotFoundException",
            "Function not found: %s (awssim does not run Lambda functions; provide a mocked response for "
            "state '%s' in the Step Functions mock config) (Service: Lambda, Status Code: 404)",
            fn ? fn : "(none)", t->state_name);
        return ASL_TASK_FAIL;
    }
    const char *p = !strncmp(res, "arn:aws:states:::", 17) ? res + 17 : NULL;
    if (!p) {
        asl_fail(err, "States.Runtime", "Unsupported resource: '%s'", res);
        return ASL_TASK_FAIL;
    }
    char svc[64] = "", action[128] = "";
    int is_sdk = !strncmp(p, "aws-sdk:", 8);
    const char *q = is_sdk ? p + 8 : p;
    const char *c = strchr(q, ':');
    snprintf(svc, sizeof svc, "%.*s", c ? (int)(c - q) : (int)strlen(q), q);
    snprintf(action, sizeof action, "%s", c ? c + 1 : "");
    char *dot = strchr(action, '.');
    int wait_token = strstr(res, ".waitForTaskToken") != NULL;
    int sync = strstr(res, ".sync") != NULL;
    int sync2 = strstr(res, ".sync:2") != NULL;
    if (dot) *dot = 0;
    /* Credentials.RoleArn: the task acts in the role's account (cross-account tasks) */
    char acct[16];
    snprintf(acct, sizeof acct, "%s", ex->account);
    const char *cred_role = jstr(t->credentials, "RoleArn");
    if (cred_role && !strncmp(cred_role, "arn:aws:iam::", 13) && strlen(cred_role) > 25 &&
        cred_role[25] == ':')
        snprintf(acct, sizeof acct, "%.12s", cred_role + 13);
    req_t sub = *r;
    sub.account = acct;
    sub.region = ex->region;
    sub.scope = ex->region;
    if (!is_sdk && !strcmp(svc, "states") && !strcmp(action, "startExecution")) {
        if (wait_token) token_register(r, ex, t->token, NULL, NULL);
        sarn_t ta;
        char treg[32];
        if (!arn_parse(jstr(t->params, "StateMachineArn"), &ta) && *ta.region) {
            snprintf(treg, sizeof treg, "%s", ta.region);
            sub.region = sub.scope = treg;
        }
        int rc = start_child(&sub, t->params, sync ? (sync2 ? 2 : 1) : 0, result, ex->arn,
                             sync ? t->token : NULL, err);
        if (rc == ASL_TASK_DONE && wait_token) rc = ASL_TASK_WAIT;
        if (rc == ASL_TASK_WAIT && sync) token_register(r, ex, t->token, NULL, NULL);
        return rc;
    }
    const char *key, *prefix;
    if (is_sdk && sdk_service(svc, &key, &prefix)) {
        char op[128];
        snprintf(op, sizeof op, "%s", action);
        op[0] = (char)toupper((unsigned char)op[0]);
        cJSON *out = NULL;
        sim_error_t se;
        memset(&se, 0, sizeof se);
        int camel = !strcmp(key, "stepfunctions") || !strcmp(key, "ram");
        if (camel) recase(t->params, 0);
        int failed = service_invoke(&sub, key, op, t->params, &out, &se);
        if (!failed && camel) recase(out, 1);
        if (failed) {
            /* AWS: aws-sdk errors are "<Service>.<ExceptionName>" */
            char code[160];
            size_t l = strlen(se.code);
            int keep = (l > 9 && !strcmp(se.code + l - 9, "Exception")) ||
                       (l > 5 && !strcmp(se.code + l - 5, "Fault"));
            snprintf(code, sizeof code, "%s.%s%s", prefix, se.code, keep ? "" : "Exception");
            asl_fail(err, code, "%s (Service: %s, Status Code: %d, Request ID: %s)", se.message, prefix,
                     se.status, r->request_id ? r->request_id : "");
            return ASL_TASK_FAIL;
        }
        if (wait_token) {
            cJSON_Delete(out);
            token_register(r, ex, t->token, NULL, NULL);
            return ASL_TASK_WAIT;
        }
        *result = out ? out : cJSON_CreateObject();
        return ASL_TASK_DONE;
    }
    /* every other integration: recorded in the message log */
    log_message(r, ex, res, t->params);
    if (wait_token) {
        token_register(r, ex, t->token, NULL, NULL);
        return ASL_TASK_WAIT;
    }
    *result = logged_result(r, svc, action);
    return ASL_TASK_DONE;
}

static void host_timer(void *ud, cJSON *x, int64_t due, const char *payload) {
    hctx_t *h = ud;
    h->ex->timers = 1;
    timer_schedule(h->r->sim, due, SVC, "exec", h->ex->account, h->ex->region, h->ex->arn, payload);
}

static void token_state(hctx_t *h, const char *token, const char *state) {
    sqlite3_stmt *st = db_prepare(h->r->sim, "UPDATE sfn_token SET state=? WHERE token=?");
    sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, token, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
}

static void host_token_done(void *ud, cJSON *x, const char *token) {
    token_state(ud, token, "done");
}

static void host_token_timed_out(void *ud, cJSON *x, const char *token) {
    token_state(ud, token, "timedout");
}

static cJSON *counts_obj(int pending, int running, int succeeded, int failed, int total) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "pending", pending);
    cJSON_AddNumberToObject(o, "running", running);
    cJSON_AddNumberToObject(o, "succeeded", succeeded);
    cJSON_AddNumberToObject(o, "failed", failed);
    cJSON_AddNumberToObject(o, "timedOut", 0);
    cJSON_AddNumberToObject(o, "aborted", 0);
    cJSON_AddNumberToObject(o, "total", total);
    cJSON_AddNumberToObject(o, "resultsWritten", 0);
    return o;
}

/* Distributed Map: a map run resource per run (iterations run inline in the parent execution). */
static char *host_map_run(void *ud, cJSON *x, const char *arn, const char *state_name, const cJSON *state,
                          const char *status, int succeeded, int failed, int total) {
    hctx_t *h = ud;
    req_t *r = h->r;
    exec_t *ex = h->ex;
    int64_t now = clock_now_ms(r->sim);
    if (!arn) {
        char u[37], id[700];
        uuid(r, u);
        const char *label = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(state, "Label"));
        snprintf(id, sizeof id, "arn:aws:states:%s:%s:mapRun:%s/%s:%s", ex->region, ex->account,
                 jstr(ex->meta, "smName"), label ? label : state_name, u);
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "mapRunArn", id);
        cJSON_AddStringToObject(m, "executionArn", ex->arn);
        char smarn[600];
        snprintf(smarn, sizeof smarn, "%s/%s", jstr(ex->meta, "smArn"), label ? label : state_name);
        cJSON_AddStringToObject(m, "stateMachineArn", smarn);
        cJSON_AddStringToObject(m, "status", "RUNNING");
        cJSON_AddNumberToObject(m, "startDate", secs(now));
        const cJSON *mc = cJSON_GetObjectItemCaseSensitive(state, "MaxConcurrency");
        cJSON_AddNumberToObject(m, "maxConcurrency", cJSON_IsNumber(mc) ? mc->valuedouble : 0);
        const cJSON *tp = cJSON_GetObjectItemCaseSensitive(state, "ToleratedFailurePercentage");
        const cJSON *tc = cJSON_GetObjectItemCaseSensitive(state, "ToleratedFailureCount");
        cJSON_AddNumberToObject(m, "toleratedFailurePercentage", cJSON_IsNumber(tp) ? tp->valuedouble : 0);
        cJSON_AddNumberToObject(m, "toleratedFailureCount", cJSON_IsNumber(tc) ? tc->valuedouble : 0);
        cJSON_AddItemToObject(m, "itemCounts", counts_obj(total, 0, 0, 0, total));
        cJSON_AddItemToObject(m, "executionCounts", counts_obj(total, 0, 0, 0, total));
        cJSON_AddNumberToObject(m, "redriveCount", 0);
        rs_put_at(r->sim, SVC, ex->account, ex->region, "maprun", id, m);
        cJSON_Delete(m);
        return strdup(id);
    }
    cJSON *m = rs_get_at(r->sim, SVC, ex->account, ex->region, "maprun", arn);
    if (!m) return NULL;
    setk(m, "status", cJSON_CreateString(status));
    setk(m, "stopDate", cJSON_CreateNumber(secs(now)));
    int pending = total - succeeded - failed;
    setk(m, "itemCounts", counts_obj(0, 0, succeeded, failed, total));
    setk(m, "executionCounts", counts_obj(0, 0, succeeded, failed, total));
    if (pending > 0) {
        /* items not run because the map run failed early count as aborted */
        cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "itemCounts"), "aborted"), pending);
        cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "executionCounts"), "aborted"),
                             pending);
    }
    rs_put_at(r->sim, SVC, ex->account, ex->region, "maprun", arn, m);
    cJSON_Delete(m);
    return NULL;
}

static void host_init(asl_host_t *hs, hctx_t *hc, req_t *r, exec_t *ex) {
    hc->r = r;
    hc->ex = ex;
    memset(hs, 0, sizeof *hs);
    hs->sim = r->sim;
    hs->ud = hc;
    hs->task = host_task;
    hs->timer = host_timer;
    hs->token_done = host_token_done;
    hs->token_timed_out = host_token_timed_out;
    hs->map_run = host_map_run;
    hs->region = ex->region;
}

static void notify_parent(req_t *r, exec_t *ex);

/* Save after the engine ran; when finished, cancel timers and resume a waiting parent. */
/* 0, or -1 when a new execution's ARN is taken (see exec_start_parsed): nothing is saved. */
static int exec_commit(req_t *r, exec_t *ex, int insert) {
    const char *st = asl_status(ex->x);
    int done = strcmp(st, "RUNNING") != 0;
    if (done) {
        /* an execution created and finished in this call has timers only if it scheduled some here */
        if (!insert || ex->timers) timer_cancel(r->sim, SVC, NULL, ex->arn);
        /* a finished execution keeps only what Describe/History need */
        cJSON_DeleteItemFromObjectCaseSensitive(ex->x, "th");
        cJSON_AddArrayToObject(ex->x, "th");
    }
    if (exec_save(r->sim, ex, insert)) return -1;
    if (done && O(ex->meta, "parent")) notify_parent(r, ex);
    return 0;
}

static cJSON *exec_output_obj(exec_t *ex, int sync2) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ExecutionArn", ex->arn);
    char *in = cJSON_PrintUnformatted(O(ex->x, "input"));
    if (sync2)
        cJSON_AddItemToObject(o, "Input", cJSON_Duplicate(O(ex->x, "input"), 1));
    else
        cJSON_AddStringToObject(o, "Input", in);
    free(in);
    cJSON_AddItemToObject(o, "InputDetails", cJSON_Parse("{\"Included\":true}"));
    cJSON_AddStringToObject(o, "Name", jstr(ex->meta, "name"));
    if (O(ex->x, "out")) {
        if (sync2)
            cJSON_AddItemToObject(o, "Output", cJSON_Duplicate(O(ex->x, "out"), 1));
        else {
            char *s = cJSON_PrintUnformatted(O(ex->x, "out"));
            cJSON_AddStringToObject(o, "Output", s);
            free(s);
        }
        cJSON_AddItemToObject(o, "OutputDetails", cJSON_Parse("{\"Included\":true}"));
    }
    cJSON_AddNumberToObject(o, "StartDate", jnum(ex->x, "start", 0) / 1000.0);
    cJSON_AddStringToObject(o, "StateMachineArn", jstr(ex->meta, "smArn"));
    cJSON_AddStringToObject(o, "Status", asl_status(ex->x));
    if (O(ex->x, "stop")) cJSON_AddNumberToObject(o, "StopDate", jnum(ex->x, "stop", 0) / 1000.0);
    return o;
}

static void notify_parent(req_t *r, exec_t *child) {
    const cJSON *p = O(child->meta, "parent");
    exec_t pe;
    if (exec_load(r->sim, jstr(p, "arn"), &pe)) return;
    if (!pe.def) {
        exec_free(&pe);
        return;
    }
    req_t pr = *r; /* the parent runs in its own account and region */
    pr.account = pe.account;
    pr.region = pe.region;
    pr.scope = pe.region;
    r = &pr;
    asl_host_t hs;
    hctx_t hc;
    host_init(&hs, &hc, r, &pe);
    const char *token = jstr(p, "token");
    int sync2 = jint(p, "mode", 1) == 2;
    const char *st = asl_status(child->x);
    if (!strcmp(st, "SUCCEEDED")) {
        cJSON *o = exec_output_obj(child, sync2);
        char *s = cJSON_PrintUnformatted(o);
        asl_on_token(&hs, pe.def, pe.x, token, 1, s, NULL, NULL);
        free(s);
        cJSON_Delete(o);
    } else {
        cJSON *o = exec_output_obj(child, sync2);
        char *s = cJSON_PrintUnformatted(o);
        /* AWS: a failed child fails the .sync task with States.TaskFailed and the child's description */
        asl_on_token(&hs, pe.def, pe.x, token, 0, NULL, "States.TaskFailed", s);
        free(s);
        cJSON_Delete(o);
    }
    exec_commit(r, &pe, 0);
    exec_free(&pe);
}

static cJSON *maprun_get(req_t *r, const char *arn, sim_error_t *e);

/* ---------------- executions: operations ---------------- */

static int json_valid(const char *s) {
    cJSON *v = cJSON_Parse(s);
    int ok = v != NULL;
    cJSON_Delete(v);
    return ok;
}

/* Start an execution; fills *ex (caller frees). sync_mode for StartSyncExecution. */
static int exec_start_parsed(req_t *r, const char *arn_in, const char *name, const char *input, cJSON **inv,
                             const char *trace, int express_sync, exec_t *ex, int *existing, sim_error_t *e);

static int exec_start(req_t *r, const char *arn_in, const char *name, const char *input, const char *trace,
                      int express_sync, exec_t *ex, int *existing, sim_error_t *e) {
    *existing = 0;
    memset(ex, 0, sizeof *ex);
    if (!input) input = "{}";
    cJSON *inv = cJSON_Parse(input); /* parsed once: the context's Input and the execution's */
    if (!inv)
        return sim_err(e, 400, "InvalidExecutionInput", "Invalid State Machine Execution Input: '%s'",
                       "Unexpected input: not valid JSON");
    int rc = exec_start_parsed(r, arn_in, name, input, &inv, trace, express_sync, ex, existing, e);
    cJSON_Delete(inv); /* unless the execution took it */
    return rc;
}

/* exec_start with the input parsed (*inv; set to NULL when the execution document takes it). */
static int exec_start_parsed(req_t *r, const char *arn_in, const char *name, const char *input, cJSON **inv,
                             const char *trace, int express_sync, exec_t *ex, int *existing, sim_error_t *e) {
    char arn[600], testcase[128] = "";
    str_copy(arn, sizeof arn, arn_in);
    char *hash = strchr(arn, '#');
    if (hash) {
        str_copy(testcase, sizeof testcase, hash + 1);
        *hash = 0;
    }
    /* AWS: execution input may not exceed 256 KiB */
    if (strlen(input) > ASL_MAX_PAYLOAD)
        return sim_err(e, 400, "InvalidExecutionInput",
                       "Execution input exceeds the maximum size of 262144 bytes");
    char gen[37];
    int generated = !name;
    if (name) {
        if (!name_valid(name)) return sim_err(e, 400, "InvalidName", "Invalid Name: '%s'", name);
    } else {
        uuid(r, gen);
        name = gen;
    }
    /* the documents are borrowed from the cache: no document write happens before the last use */
    sm_refs_t refs;
    if (resolve_sm_peek(r, arn, &refs, e)) return -1;
    const cJSON *sm = refs.sm, *ver = refs.ver, *alias = refs.alias;
    const char *type = jstr(sm, "type");
    if (express_sync && strcmp(type, "EXPRESS")) {
        sm_refs_free(&refs);
        return sim_err(e, 400, "StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine");
    }
    const char *smname = jstr(sm, "name");
    if (!strcmp(type, "EXPRESS")) {
        char u[37];
        uuid(r, u);
        snprintf(ex->arn, sizeof ex->arn, "arn:aws:states:%s:%s:express:%s:%s:%s", r->region, r->account,
                 smname, name, u);
    } else {
        cat(ex->arn, sizeof ex->arn, "arn:aws:states:", r->region, ":", r->account, ":execution:", smname,
            ":", name, (char *)NULL);
        /* A name the caller gives may be taken; a generated one never was (ids come from the seeded
         * source, which a state file or a restore never replays: core/sim.c, core/store.c), so the
         * lookup is skipped and exec_save's insert is the check. */
        exec_t old;
        if (!generated && !exec_load(r->sim, ex->arn, &old)) {
            /* AWS: StartExecution is idempotent for the same name and input while the execution runs */
            int same = cJSON_Compare(*inv, O(old.x, "input"), 1) && !strcmp(asl_status(old.x), "RUNNING");
            sm_refs_free(&refs);
            if (!same) {
                exec_free(&old);
                return sim_err(e, 400, "ExecutionAlreadyExists", "Execution Already Exists: '%s'", ex->arn);
            }
            *existing = 1;
            *ex = old;
            return 0;
        }
    }
    str_copy(ex->account, sizeof ex->account, r->account);
    str_copy(ex->region, sizeof ex->region, r->region);
    const cJSON *src = ver ? ver : sm;
    const char *rev = jstr(src, "revisionId");
    ex->def = def_get(r->sim, rev, jstr(src, "definition"));
    ex->meta = cJSON_CreateObject();
    cJSON_AddStringToObject(ex->meta, "smArn", jstr(sm, "stateMachineArn"));
    cJSON_AddStringToObject(ex->meta, "smName", smname);
    cJSON_AddStringToObject(ex->meta, "name", name);
    cJSON_AddStringToObject(ex->meta, "type", type);
    cJSON_AddStringToObject(ex->meta, "revisionId", rev);
    cJSON_AddStringToObject(ex->meta, "roleArn", jstr(src, "roleArn"));
    if (ver) cJSON_AddStringToObject(ex->meta, "versionArn", jstr(ver, "stateMachineVersionArn"));
    if (alias) cJSON_AddStringToObject(ex->meta, "aliasArn", jstr(alias, "stateMachineAliasArn"));
    if (*testcase) cJSON_AddStringToObject(ex->meta, "testCase", testcase);
    if (trace) cJSON_AddStringToObject(ex->meta, "traceHeader", trace);
    /* The context object's Execution and StateMachine parts, as the JSON text the execution document
     * stores (a cJSON_Raw item: most executions never read $$, the engine parses it when one does). */
    asl_buf_t cb = {0};
    char ts[32];
    fmt_iso8601_ms(r->now_ms, ts);
#define CTX_LIT(lit) asl_buf_put(&cb, lit, sizeof(lit) - 1)
    CTX_LIT("{\"Execution\":{\"Id\":");
    asl_buf_str(&cb, ex->arn);
    CTX_LIT(",\"Input\":");
    asl_json_put(&cb, *inv);
    CTX_LIT(",\"Name\":");
    asl_buf_str(&cb, name);
    CTX_LIT(",\"RoleArn\":");
    asl_buf_str(&cb, jstr(src, "roleArn"));
    CTX_LIT(",\"StartTime\":");
    asl_buf_str(&cb, ts);
    CTX_LIT(",\"RedriveCount\":0},\"StateMachine\":{\"Id\":");
    asl_buf_str(&cb, ver ? jstr(ver, "stateMachineVersionArn") : jstr(sm, "stateMachineArn"));
    CTX_LIT(",\"Name\":");
    asl_buf_str(&cb, smname);
    CTX_LIT("}}");
#undef CTX_LIT
    cJSON *ctx = cJSON_CreateRaw("");
    free(ctx->valuestring);
    ctx->valuestring = cb.b;
    ex->x = asl_exec_create(ex->def, *inv, ctx, r->now_ms, 0);
    *inv = NULL;
    if (ver) cJSON_AddStringToObject(ex->x, "versionArn", jstr(ver, "stateMachineVersionArn"));
    if (alias) cJSON_AddStringToObject(ex->x, "aliasArn", jstr(alias, "stateMachineAliasArn"));
    sm_refs_free(&refs);
    if (!ex->def) {
        exec_free(ex);
        return sim_err(e, 500, "InternalError", "definition not found");
    }
    asl_host_t hs;
    hctx_t hc;
    host_init(&hs, &hc, r, ex);
    hs.role_arn = jstr(ex->meta, "roleArn"); /* the context is text: ExecutionStarted's roleArn */
    asl_run(&hs, ex->def, ex->x);
    return 0;
}

static int start_child(req_t *r, const cJSON *params, int sync, cJSON **result, const char *parent_arn,
                       const char *token, asl_err_t *err) {
    const char *arn = jstr(params, "StateMachineArn");
    const cJSON *in = O(params, "Input");
    char *input = NULL;
    if (cJSON_IsString(in))
        input = strdup(in->valuestring);
    else if (in)
        input = cJSON_PrintUnformatted(in);
    sim_error_t se;
    memset(&se, 0, sizeof se);
    exec_t ex;
    int existing;
    int rc = exec_start(r, arn ? arn : "", jstr(params, "Name"), input, NULL, 0, &ex, &existing, &se);
    free(input);
    if (rc) {
        /* AWS: errors of the StartExecution call surface as StepFunctions.<Code>Exception */
        asl_fail(err, "StepFunctions.", "%s", se.message);
        snprintf(err->error, sizeof err->error, "StepFunctions.%sException", se.code);
        return ASL_TASK_FAIL;
    }
    const char *st = asl_status(ex.x);
    int finished = strcmp(st, "RUNNING") != 0;
    if (sync && !finished) {
        cJSON *p = cJSON_AddObjectToObject(ex.meta, "parent");
        cJSON_AddStringToObject(p, "arn", parent_arn);
        cJSON_AddStringToObject(p, "token", token);
        cJSON_AddNumberToObject(p, "mode", sync);
    }
    if (exec_commit(r, &ex, !existing)) {
        asl_fail(err, "StepFunctions.ExecutionAlreadyExistsException", "Execution Already Exists: '%s'",
                 ex.arn);
        exec_free(&ex);
        return ASL_TASK_FAIL;
    }
    if (!sync) {
        *result = cJSON_CreateObject();
        cJSON_AddStringToObject(*result, "ExecutionArn", ex.arn);
        cJSON_AddNumberToObject(*result, "StartDate", jnum(ex.x, "start", 0) / 1000.0);
        exec_free(&ex);
        return ASL_TASK_DONE;
    }
    if (!finished) {
        *result = cJSON_CreateObject();
        cJSON_AddStringToObject(*result, "ExecutionArn", ex.arn);
        cJSON_AddNumberToObject(*result, "StartDate", jnum(ex.x, "start", 0) / 1000.0);
        exec_free(&ex);
        return ASL_TASK_WAIT;
    }
    cJSON *o = exec_output_obj(&ex, sync == 2);
    if (!strcmp(st, "SUCCEEDED")) {
        *result = o;
        exec_free(&ex);
        return ASL_TASK_DONE;
    }
    char *s = cJSON_PrintUnformatted(o);
    asl_fail(err, "States.TaskFailed", "%s", s);
    free(s);
    cJSON_Delete(o);
    exec_free(&ex);
    return ASL_TASK_FAIL;
}

static int op_StartExecution(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    int existing;
    if (exec_start(r, jstr(in, "stateMachineArn"), jstr(in, "name"), jstr(in, "input"),
                   jstr(in, "traceHeader"), 0, &ex, &existing, e))
        return -1;
    if (!existing && exec_commit(r, &ex, 1)) {
        /* a generated name that is taken (the caller named an execution like a future generated
         * one): refused like a name given twice, and the call is rolled back */
        sim_err(e, 400, "ExecutionAlreadyExists", "Execution Already Exists: '%s'", ex.arn);
        exec_free(&ex);
        return -1;
    }
    cJSON_AddStringToObject(out, "executionArn", ex.arn);
    cJSON_AddNumberToObject(out, "startDate", jnum(ex.x, "start", 0) / 1000.0);
    exec_free(&ex);
    return 0;
}

static void describe_common(exec_t *ex, cJSON *out, int with_data) {
    cJSON_AddStringToObject(out, "executionArn", ex->arn);
    cJSON_AddStringToObject(out, "stateMachineArn", jstr(ex->meta, "smArn"));
    cJSON_AddStringToObject(out, "name", jstr(ex->meta, "name"));
    cJSON_AddStringToObject(out, "status", asl_status(ex->x));
    cJSON_AddNumberToObject(out, "startDate", jnum(ex->x, "start", 0) / 1000.0);
    if (O(ex->x, "stop")) cJSON_AddNumberToObject(out, "stopDate", jnum(ex->x, "stop", 0) / 1000.0);
    char *in = cJSON_PrintUnformatted(O(ex->x, "input"));
    cJSON_AddStringToObject(out, "input", in);
    free(in);
    cJSON_AddItemToObject(out, "inputDetails", cJSON_Parse("{\"included\":true}"));
    if (O(ex->x, "out")) {
        char *o = cJSON_PrintUnformatted(O(ex->x, "out"));
        cJSON_AddStringToObject(out, "output", o);
        free(o);
        cJSON_AddItemToObject(out, "outputDetails", cJSON_Parse("{\"included\":true}"));
    }
    put_str(out, "error", jstr(ex->x, "error"));
    put_str(out, "cause", jstr(ex->x, "cause"));
    put_str(out, "traceHeader", jstr(ex->meta, "traceHeader"));
    (void)with_data;
}

static int op_StartSyncExecution(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    int existing;
    if (exec_start(r, jstr(in, "stateMachineArn"), jstr(in, "name"), jstr(in, "input"),
                   jstr(in, "traceHeader"), 1, &ex, &existing, e))
        return -1;
    if (!strcmp(asl_status(ex.x), "RUNNING")) {
        /* awssim runs synchronous Express executions to completion inside the call; one that waits on
         * time or a token cannot complete synchronously */
        asl_host_t hs;
        hctx_t hc;
        host_init(&hs, &hc, r, &ex);
        asl_stop(&hs, ex.def, ex.x, "States.Timeout",
                 "The synchronous Express execution blocked on a Wait, a timer or a task token");
        cJSON_ReplaceItemInObjectCaseSensitive(ex.x, "status", cJSON_CreateString("TIMED_OUT"));
    }
    exec_commit(r, &ex, 1);
    describe_common(&ex, out, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(out, "redriveCount");
    cJSON *b = cJSON_AddObjectToObject(out, "billingDetails");
    cJSON_AddNumberToObject(b, "billedMemoryUsedInMB", 64);
    double dur = jnum(ex.x, "stop", 0) - jnum(ex.x, "start", 0);
    cJSON_AddNumberToObject(b, "billedDurationInMilliseconds", dur < 100 ? 100 : dur);
    exec_free(&ex);
    return 0;
}

static int exec_get(req_t *r, const char *arn, exec_t *ex, sim_error_t *e) {
    sarn_t a;
    if (arn_parse(arn, &a) || (strcmp(a.type, "execution") && strcmp(a.type, "express")))
        return err_invalid_arn(e, arn ? arn : "");
    if (exec_load(r->sim, arn, ex) == 0 && strcmp(ex->account, r->account) == 0) return 0;
    if (ex->x) exec_free(ex); /* another account's execution was loaded: free it (found by ASan) */
    return sim_err(e, 400, "ExecutionDoesNotExist", "Execution Does Not Exist: '%s'", arn);
}

static const char *redrive_status(exec_t *ex, req_t *r, const char **reason) {
    const char *st = asl_status(ex->x);
    *reason = NULL;
    if (!strcmp(jstr(ex->meta, "type"), "EXPRESS")) {
        *reason = "Execution is of Express type";
        return "NOT_REDRIVABLE";
    }
    if (!strcmp(st, "RUNNING")) {
        *reason = "Execution is RUNNING and cannot be redriven";
        return "NOT_REDRIVABLE";
    }
    if (!strcmp(st, "SUCCEEDED")) {
        *reason = "Execution is SUCCEEDED and cannot be redriven";
        return "NOT_REDRIVABLE";
    }
    /* AWS: redrive is possible within 14 days of the stop */
    if (r->now_ms - (int64_t)jnum(ex->x, "stop", 0) > 14LL * 86400 * 1000) {
        *reason = "Execution was stopped more than 14 days ago";
        return "NOT_REDRIVABLE";
    }
    if (!O(ex->x, "redrive")) {
        *reason = "Execution has no failed state to redrive";
        return "NOT_REDRIVABLE";
    }
    return "REDRIVABLE";
}

static int op_DescribeExecution(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    if (exec_get(r, jstr(in, "executionArn"), &ex, e)) return -1;
    describe_common(&ex, out, 1);
    put_str(out, "stateMachineVersionArn", jstr(ex.meta, "versionArn"));
    put_str(out, "stateMachineAliasArn", jstr(ex.meta, "aliasArn"));
    if (strcmp(jstr(ex.meta, "type"), "EXPRESS")) {
        cJSON_AddNumberToObject(out, "redriveCount", jint(ex.x, "redriveCount", 0));
        if (O(ex.x, "redriveDate"))
            cJSON_AddNumberToObject(out, "redriveDate", jnum(ex.x, "redriveDate", 0) / 1000.0);
        const char *reason;
        cJSON_AddStringToObject(out, "redriveStatus", redrive_status(&ex, r, &reason));
        put_str(out, "redriveStatusReason", reason);
    }
    exec_free(&ex);
    return 0;
}

static int op_DescribeStateMachineForExecution(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    if (exec_get(r, jstr(in, "executionArn"), &ex, e)) return -1;
    const char *rev = jstr(ex.meta, "revisionId");
    char *def = NULL;
    sqlite3_stmt *st = db_prepare(r->sim, "SELECT definition FROM sfn_rev WHERE rev=?");
    sqlite3_bind_text(st, 1, rev, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) def = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    cJSON *sm = sm_get(r, jstr(ex.meta, "smArn"));
    cJSON_AddStringToObject(out, "stateMachineArn", jstr(ex.meta, "smArn"));
    cJSON_AddStringToObject(out, "name", jstr(ex.meta, "smName"));
    cJSON_AddStringToObject(out, "definition", def ? def : "");
    cJSON_AddStringToObject(out, "roleArn", jstr(ex.meta, "roleArn"));
    cJSON_AddNumberToObject(out, "updateDate",
                            sm ? jnum(sm, "updateDate", jnum(sm, "creationDate", 0))
                               : jnum(ex.x, "start", 0) / 1000.0);
    cJSON_AddStringToObject(out, "revisionId", rev);
    if (sm) {
        cJSON_AddItemToObject(out, "loggingConfiguration", cJSON_Duplicate(O(sm, "loggingConfiguration"), 1));
        cJSON_AddItemToObject(out, "tracingConfiguration", cJSON_Duplicate(O(sm, "tracingConfiguration"), 1));
    }
    cJSON_Delete(sm);
    free(def);
    exec_free(&ex);
    return 0;
}

static int op_StopExecution(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    if (exec_get(r, jstr(in, "executionArn"), &ex, e)) return -1;
    if (!strcmp(jstr(ex.meta, "type"), "EXPRESS")) {
        exec_free(&ex);
        return sim_err(e, 400, "StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine");
    }
    if (!strcmp(asl_status(ex.x), "RUNNING")) {
        asl_host_t hs;
        hctx_t hc;
        host_init(&hs, &hc, r, &ex);
        asl_stop(&hs, ex.def, ex.x, jstr(in, "error"), jstr(in, "cause"));
        exec_commit(r, &ex, 0);
    }
    cJSON_AddNumberToObject(out, "stopDate", jnum(ex.x, "stop", (double)r->now_ms) / 1000.0);
    exec_free(&ex);
    return 0;
}

static int op_ListExecutions(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "stateMachineArn");
    const char *maprun = jstr(in, "mapRunArn");
    if (arn && maprun)
        return sim_err(e, 400, "ValidationException",
                       "Only one of stateMachineArn or mapRunArn may be specified");
    if (maprun) {
        /* the iterations of a map run execute inline: there are no child executions to list */
        cJSON *m = maprun_get(r, maprun, e);
        if (!m) return -1;
        cJSON_Delete(m);
        cJSON_AddArrayToObject(out, "executions");
        return 0;
    }
    if (!arn) return sim_err(e, 400, "ValidationException", "Must provide a StateMachine ARN or MapRun ARN");
    cJSON *sm, *ver;
    if (resolve_sm(r, arn, &sm, &ver, NULL, e)) return -1;
    if (!strcmp(jstr(sm, "type"), "EXPRESS")) {
        cJSON_Delete(sm);
        cJSON_Delete(ver);
        return sim_err(e, 400, "StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine");
    }
    char base[400];
    snprintf(base, sizeof base, "%s", jstr(sm, "stateMachineArn"));
    cJSON_Delete(sm);
    cJSON_Delete(ver);
    sarn_t a;
    arn_parse(arn, &a);
    const char *sf = jstr(in, "statusFilter"), *rf = jstr(in, "redriveFilter");
    /* Newest first, paged by position rather than by count: the token names the last row handed
     * out, (start_ms, rowid), and the next page starts below it in the (sm_h, start_ms) index, so
     * each page costs its own rows whatever the number of executions. */
    long long after_ms = LLONG_MAX, after_id = LLONG_MAX;
    const char *tok = jstr(in, "nextToken");
    if (tok && *tok) {
        int used = 0;
        if (sscanf(tok, "%lld.%lld%n", &after_ms, &after_id, &used) != 2 || tok[used] || after_ms < 0 ||
            after_id < 0)
            return sim_err(e, 400, "InvalidToken", "Invalid Token: '%s'", tok);
    }
    int max = jint(in, "maxResults", 0);
    if (max <= 0) max = 100;
    sqlite3_stmt *st = db_prepare(r->sim, "SELECT arn, name, status, start_ms, stop_ms, meta, x, rowid "
                                          "FROM sfn_exec WHERE sm_h=? AND sm_arn=? AND "
                                          "(start_ms, rowid) < (?, ?) ORDER BY start_ms DESC, rowid DESC");
    sqlite3_bind_int64(st, 1, sm_key(base));
    sqlite3_bind_text(st, 2, base, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, after_ms);
    sqlite3_bind_int64(st, 4, after_id);
    cJSON *rows = cJSON_AddArrayToObject(out, "executions");
    int n = 0;
    long long last_ms = 0, last_id = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 2);
        if (sf && strcmp(sf, status)) continue;
        cJSON *meta = cJSON_Parse((const char *)sqlite3_column_text(st, 5));
        if (*a.qual) {
            const char *q = strchr(arn + strlen(base), ':') ? arn : NULL;
            const char *va = jstr(meta, "versionArn"), *aa = jstr(meta, "aliasArn");
            if (q && !((va && !strcmp(va, arn)) || (aa && !strcmp(aa, arn)))) {
                cJSON_Delete(meta);
                continue;
            }
        }
        cJSON *x = NULL;
        int redriven = 0;
        if (rf) {
            x = cJSON_Parse((const char *)sqlite3_column_text(st, 6));
            redriven = jint(x, "redriveCount", 0) > 0;
            if ((!strcmp(rf, "REDRIVEN") && !redriven) || (!strcmp(rf, "NOT_REDRIVEN") && redriven)) {
                cJSON_Delete(meta);
                cJSON_Delete(x);
                continue;
            }
        }
        cJSON_Delete(x);
        if (n == max) { /* one more row matches: the page ends with the one before it */
            char next[48];
            snprintf(next, sizeof next, "%lld.%lld", last_ms, last_id);
            cJSON_AddStringToObject(out, "nextToken", next);
            cJSON_Delete(meta);
            break;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "executionArn", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(o, "stateMachineArn", base);
        cJSON_AddStringToObject(o, "name", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(o, "status", status);
        last_ms = sqlite3_column_int64(st, 3);
        last_id = sqlite3_column_int64(st, 7);
        cJSON_AddNumberToObject(o, "startDate", (double)last_ms / 1000.0);
        if (sqlite3_column_int64(st, 4))
            cJSON_AddNumberToObject(o, "stopDate", (double)sqlite3_column_int64(st, 4) / 1000.0);
        put_str(o, "stateMachineVersionArn", jstr(meta, "versionArn"));
        put_str(o, "stateMachineAliasArn", jstr(meta, "aliasArn"));
        cJSON_AddItemToArray(rows, o);
        cJSON_Delete(meta);
        n++;
    }
    sqlite3_reset(st);
    return 0;
}

static void strip_data(cJSON *ev) {
    for (cJSON *d = ev->child; d; d = d->next) {
        if (!cJSON_IsObject(d)) continue;
        const char *keys[] = {"input", "output", "parameters"};
        for (int i = 0; i < 3; i++)
            cJSON_DeleteItemFromObjectCaseSensitive(d, keys[i]);
    }
}

static int op_GetExecutionHistory(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    if (exec_get(r, jstr(in, "executionArn"), &ex, e)) return -1;
    if (!strcmp(jstr(ex.meta, "type"), "EXPRESS")) {
        exec_free(&ex);
        return sim_err(e, 400, "StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine");
    }
    /* Only the page's events are parsed: the stored text is split into events without parsing
     * them, so paging through a 25,000-event history costs each page its own events. */
    char *text = exec_history_text(r->sim, ex.arn);
    size_t *span;
    long total = asl_json_array_spans(text, strlen(text), &span);
    if (total < 0) total = 0; /* unreadable stored history: shown as empty, as before */
    long start = 0;
    const char *tok = jstr(in, "nextToken");
    if (tok && *tok) {
        char *end;
        start = strtol(tok, &end, 10);
        if (*end || start < 0 || start > total) {
            free(span);
            free(text);
            exec_free(&ex);
            return sim_err(e, 400, "InvalidToken", "Invalid Token: '%s'", tok);
        }
    }
    long max = jint(in, "maxResults", 0);
    if (max <= 0) max = 100;
    int reverse = jbool(in, "reverseOrder", 0);
    cJSON *page = cJSON_AddArrayToObject(out, "events");
    for (long k = start; k < total && k < start + max; k++) {
        long i = reverse ? total - 1 - k : k;
        cJSON *ev = cJSON_ParseWithLength(text + span[2 * i], span[2 * i + 1] - span[2 * i]);
        if (ev) cJSON_AddItemToArray(page, ev);
    }
    asl_history_absolute(ex.x, page);
    if (!jbool(in, "includeExecutionData", 1))
        for (cJSON *v = page->child; v; v = v->next)
            strip_data(v);
    if (start + max < total) {
        char next[32];
        snprintf(next, sizeof next, "%ld", start + max);
        cJSON_AddStringToObject(out, "nextToken", next);
    }
    free(span);
    free(text);
    exec_free(&ex);
    return 0;
}

static int op_RedriveExecution(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    if (exec_get(r, jstr(in, "executionArn"), &ex, e)) return -1;
    const char *reason;
    const char *rs = redrive_status(&ex, r, &reason);
    if (strcmp(rs, "REDRIVABLE")) {
        int rc = sim_err(e, 400, "ExecutionNotRedrivable", "Execution is not redrivable: %s", reason);
        exec_free(&ex);
        return rc;
    }
    asl_host_t hs;
    hctx_t hc;
    host_init(&hs, &hc, r, &ex);
    setk(ex.x, "redriveDate", cJSON_CreateNumber((double)r->now_ms));
    cJSON *ctxe = O(O(ex.x, "ctx"), "Execution");
    if (ctxe) setk(ctxe, "RedriveCount", cJSON_CreateNumber(jint(ex.x, "redriveCount", 0) + 1));
    asl_redrive(&hs, ex.def, ex.x);
    exec_commit(r, &ex, 0);
    cJSON_AddNumberToObject(out, "redriveDate", secs(r->now_ms));
    exec_free(&ex);
    return 0;
}

/* ---------------- activities and task tokens ---------------- */

static int op_CreateActivity(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *name = jstr(in, "name");
    if (!name_valid(name)) return sim_err(e, 400, "InvalidName", "Invalid Name: '%s'", name ? name : "");
    if (tags_check(O(in, "tags"), e)) return -1;
    char arn[400];
    snprintf(arn, sizeof arn, "arn:aws:states:%s:%s:activity:%s", r->region, r->account, name);
    cJSON *old = doc_get(r, "activity", arn);
    if (old) {
        /* AWS: CreateActivity is idempotent */
        cJSON_AddStringToObject(out, "activityArn", arn);
        cJSON_AddNumberToObject(out, "creationDate", jnum(old, "creationDate", 0));
        cJSON_Delete(old);
        return 0;
    }
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "activityArn", arn);
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddNumberToObject(a, "creationDate", secs(r->now_ms));
    cJSON_AddItemToObject(a, "tags",
                          (O(in, "tags") ? cJSON_Duplicate(O(in, "tags"), 1) : cJSON_CreateArray()));
    doc_put(r, "activity", arn, a);
    cJSON_Delete(a);
    cJSON_AddStringToObject(out, "activityArn", arn);
    cJSON_AddNumberToObject(out, "creationDate", secs(r->now_ms));
    return 0;
}

static cJSON *activity_get(req_t *r, const char *arn, sim_error_t *e) {
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "activity")) {
        err_invalid_arn(e, arn ? arn : "");
        return NULL;
    }
    cJSON *act = doc_get(r, "activity", arn);
    if (!act) sim_err(e, 400, "ActivityDoesNotExist", "Activity Does Not Exist: '%s'", arn);
    return act;
}

static int op_DescribeActivity(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *a = activity_get(r, jstr(in, "activityArn"), e);
    if (!a) return -1;
    cJSON_AddStringToObject(out, "activityArn", jstr(a, "activityArn"));
    cJSON_AddStringToObject(out, "name", jstr(a, "name"));
    cJSON_AddNumberToObject(out, "creationDate", jnum(a, "creationDate", 0));
    cJSON_Delete(a);
    return 0;
}

static int op_DeleteActivity(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "activityArn");
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "activity")) return err_invalid_arn(e, arn ? arn : "");
    doc_del(r, "activity", arn);
    return 0;
}

static int op_ListActivities(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *all = rs_list(r, "activity"), *rows = cJSON_CreateArray();
    const cJSON *a;
    cJSON_ArrayForEach(a, all) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "activityArn", jstr(a, "activityArn"));
        cJSON_AddStringToObject(o, "name", jstr(a, "name"));
        cJSON_AddNumberToObject(o, "creationDate", jnum(a, "creationDate", 0));
        cJSON_AddItemToArray(rows, o);
    }
    cJSON_Delete(all);
    put_page(out, "activities", rows, in);
    return 0;
}

static int op_GetActivityTask(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *a = activity_get(r, jstr(in, "activityArn"), e);
    if (!a) return -1;
    cJSON_Delete(a);
    sqlite3_stmt *st = db_prepare(r->sim, "SELECT token, exec_arn, input FROM sfn_token WHERE activity=? AND "
                                          "state='waiting' ORDER BY seq LIMIT 1");
    sqlite3_bind_text(st, 1, jstr(in, "activityArn"), -1, SQLITE_TRANSIENT);
    char *token = NULL, *exarn = NULL, *input = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        token = strdup((const char *)sqlite3_column_text(st, 0));
        exarn = strdup((const char *)sqlite3_column_text(st, 1));
        input = strdup(sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "{}");
    }
    sqlite3_reset(st);
    /* No task: AWS holds the call up to 60 s; the HTTP front waits and calls again (http/front.c). */
    if (!token) {
        r->poll_empty = 1;
        return 0;
    }
    st = db_prepare(r->sim, "UPDATE sfn_token SET state='taken' WHERE token=?");
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
    exec_t ex;
    if (!exec_load(r->sim, exarn, &ex)) {
        if (ex.def) {
            asl_host_t hs;
            hctx_t hc;
            host_init(&hs, &hc, r, &ex);
            asl_on_token(&hs, ex.def, ex.x, token, 3, jstr(in, "workerName"), NULL, NULL);
            exec_commit(r, &ex, 0);
        }
        exec_free(&ex);
    }
    cJSON_AddStringToObject(out, "taskToken", token);
    cJSON_AddStringToObject(out, "input", input);
    free(token);
    free(exarn);
    free(input);
    return 0;
}

/* Find the execution a token belongs to. AWS: malformed -> InvalidToken, unknown/finished ->
 * TaskDoesNotExist, timed out -> TaskTimedOut. */
static int token_exec(req_t *r, const char *token, exec_t *ex, sim_error_t *e) {
    if (!token || strncmp(token, "AQB", 3) || strlen(token) != 123)
        return sim_err(e, 400, "InvalidToken", "Invalid Token: '%s'", "Invalid token");
    sqlite3_stmt *st = db_prepare(r->sim, "SELECT exec_arn, state FROM sfn_token WHERE token=?");
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    char arn[600] = "", state[16] = "";
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(arn, sizeof arn, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    /* AWS: answering a task that timed out is TaskTimedOut */
    if (!strcmp(state, "timedout"))
        return sim_err(e, 400, "TaskTimedOut", "Task Timed Out: '%s'", "Provided task has timed out");
    if (!*arn || !strcmp(state, "done") || exec_load(r->sim, arn, ex))
        return sim_err(e, 400, "TaskDoesNotExist", "Task Does Not Exist: '%s'",
                       "Provided task does not exist anymore");
    /* a token belongs to its execution's account */
    if (!ex->def || strcmp(asl_status(ex->x), "RUNNING") || strcmp(ex->account, r->account)) {
        exec_free(ex);
        return sim_err(e, 400, "TaskDoesNotExist", "Task Does Not Exist: '%s'",
                       "Provided task does not exist anymore");
    }
    return 0;
}

static int token_answer(req_t *r, const cJSON *in, int ok, sim_error_t *e) {
    const char *token = jstr(in, "taskToken");
    if (ok == 1 && !json_valid(jstr(in, "output")))
        return sim_err(e, 400, "InvalidOutput", "Invalid Output: '%s'", "Unexpected output: not valid JSON");
    if (ok == 1 && strlen(jstr(in, "output")) > ASL_MAX_PAYLOAD)
        return sim_err(e, 400, "InvalidOutput",
                       "Invalid Output: output exceeds the maximum size of 262144 bytes");
    exec_t ex;
    if (token_exec(r, token, &ex, e)) return -1;
    asl_host_t hs;
    hctx_t hc;
    host_init(&hs, &hc, r, &ex);
    int rc =
        asl_on_token(&hs, ex.def, ex.x, token, ok, jstr(in, "output"),
                     jstr(in, "error") ? jstr(in, "error") : "", jstr(in, "cause") ? jstr(in, "cause") : "");
    if (rc) {
        exec_free(&ex);
        return sim_err(e, 400, "TaskDoesNotExist", "Task Does Not Exist: '%s'",
                       "Provided task does not exist anymore");
    }
    exec_commit(r, &ex, 0);
    exec_free(&ex);
    return 0;
}

static int op_SendTaskSuccess(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    return token_answer(r, in, 1, e);
}

static int op_SendTaskFailure(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    return token_answer(r, in, 0, e);
}

static int op_SendTaskHeartbeat(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    return token_answer(r, in, 2, e);
}

/* ---------------- map runs ---------------- */

static cJSON *maprun_get(req_t *r, const char *arn, sim_error_t *e) {
    sarn_t a;
    if (arn_parse(arn, &a) || strcmp(a.type, "mapRun")) {
        err_invalid_arn(e, arn ? arn : "");
        return NULL;
    }
    cJSON *m = doc_get(r, "maprun", arn);
    if (!m) sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", arn);
    return m;
}

/* Map runs of Distributed Map states; their iterations run inline in the parent execution. */
static int op_DescribeMapRun(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    cJSON *m = maprun_get(r, jstr(in, "mapRunArn"), e);
    if (!m) return -1;
    const char *keys[] = {"mapRunArn",
                          "executionArn",
                          "status",
                          "startDate",
                          "stopDate",
                          "maxConcurrency",
                          "toleratedFailurePercentage",
                          "toleratedFailureCount",
                          "itemCounts",
                          "executionCounts",
                          "redriveCount",
                          "redriveDate"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (O(m, keys[i])) cJSON_AddItemToObject(out, keys[i], cJSON_Duplicate(O(m, keys[i]), 1));
    cJSON_Delete(m);
    return 0;
}

static int op_UpdateMapRun(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *arn = jstr(in, "mapRunArn");
    if (!O(in, "maxConcurrency") && !O(in, "toleratedFailurePercentage") && !O(in, "toleratedFailureCount"))
        return sim_err(
            e, 400, "ValidationException",
            "At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be "
            "specified");
    cJSON *m = maprun_get(r, arn, e);
    if (!m) return -1;
    const char *keys[] = {"maxConcurrency", "toleratedFailurePercentage", "toleratedFailureCount"};
    for (int i = 0; i < 3; i++)
        if (O(in, keys[i])) setk(m, keys[i], cJSON_Duplicate(O(in, keys[i]), 1));
    doc_put(r, "maprun", arn, m);
    cJSON_Delete(m);
    return 0;
}

static int op_ListMapRuns(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    exec_t ex;
    if (exec_get(r, jstr(in, "executionArn"), &ex, e)) return -1;
    cJSON *all = rs_list(r, "maprun"), *rows = cJSON_CreateArray();
    const cJSON *m;
    cJSON_ArrayForEach(m, all) {
        if (strcmp(jstr(m, "executionArn"), ex.arn)) continue;
        cJSON *o = cJSON_CreateObject();
        const char *keys[] = {"executionArn", "mapRunArn", "stateMachineArn", "startDate", "stopDate"};
        for (int i = 0; i < 5; i++)
            if (O(m, keys[i])) cJSON_AddItemToObject(o, keys[i], cJSON_Duplicate(O(m, keys[i]), 1));
        cJSON_AddItemToArray(rows, o);
    }
    cJSON_Delete(all);
    exec_free(&ex);
    put_page(out, "mapRuns", rows, in);
    return 0;
}

/* ---------------- tags ---------------- */

static int tag_target(req_t *r, const char *arn, const char **type, cJSON **doc, sim_error_t *e) {
    sarn_t a;
    if (arn_parse(arn, &a)) return err_invalid_arn(e, arn ? arn : "");
    if (!strcmp(a.type, "stateMachine") && !*a.qual)
        *type = "sm";
    else if (!strcmp(a.type, "activity"))
        *type = "activity";
    else if (!strcmp(a.type, "stateMachine"))
        *type = "alias";
    else
        return err_invalid_arn(e, arn);
    *doc = doc_get(r, *type, arn);
    if (!*doc) return sim_err(e, 400, "ResourceNotFound", "Resource not found: '%s'", arn);
    return 0;
}

static int op_TagResource(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *type;
    cJSON *doc;
    const char *arn = jstr(in, "resourceArn");
    if (tag_target(r, arn, &type, &doc, e)) return -1;
    tags_merge(doc, O(in, "tags"));
    if (cJSON_GetArraySize(O(doc, "tags")) > 50) {
        cJSON_Delete(doc);
        return sim_err(e, 400, "TooManyTags", "Too many tags: a resource can have at most 50 tags");
    }
    doc_put(r, type, arn, doc);
    cJSON_Delete(doc);
    return 0;
}

static int op_UntagResource(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *type;
    cJSON *doc;
    const char *arn = jstr(in, "resourceArn");
    if (tag_target(r, arn, &type, &doc, e)) return -1;
    cJSON *tags = O(doc, "tags");
    const cJSON *k;
    cJSON_ArrayForEach(k, O(in, "tagKeys")) {
        for (int i = cJSON_GetArraySize(tags) - 1; i >= 0; i--)
            if (!strcmp(jstr(cJSON_GetArrayItem(tags, i), "key"), k->valuestring))
                cJSON_DeleteItemFromArray(tags, i);
    }
    doc_put(r, type, arn, doc);
    cJSON_Delete(doc);
    return 0;
}

static int op_ListTagsForResource(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *type;
    cJSON *doc;
    if (tag_target(r, jstr(in, "resourceArn"), &type, &doc, e)) return -1;
    cJSON_AddItemToObject(out, "tags",
                          (O(doc, "tags") ? cJSON_Duplicate(O(doc, "tags"), 1) : cJSON_CreateArray()));
    cJSON_Delete(doc);
    return 0;
}

/* ---------------- TestState ---------------- */

static void collect_targets(const cJSON *st, cJSON *names) {
    const char *n;
    if ((n = jstr(st, "Next"))) cJSON_AddItemToArray(names, cJSON_CreateString(n));
    if ((n = jstr(st, "Default"))) cJSON_AddItemToArray(names, cJSON_CreateString(n));
    const char *lists[] = {"Choices", "Catch"};
    for (int i = 0; i < 2; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, O(st, lists[i])) {
            if ((n = jstr(c, "Next"))) cJSON_AddItemToArray(names, cJSON_CreateString(n));
        }
    }
}

static void add_text(cJSON *o, const char *k, const cJSON *v) {
    if (!v) return;
    char *t = asl_json_print(v);
    cJSON_AddStringToObject(o, k, t);
    free(t);
}

/* TestState DEBUG/TRACE: the data after each input/output processing step, as AWS reports it. */
static void inspection_data(req_t *r, const cJSON *st, const char *input, const cJSON *ev, cJSON *out) {
    cJSON *id = cJSON_AddObjectToObject(out, "inspectionData");
    cJSON_AddStringToObject(id, "input", input);
    cJSON *in = cJSON_Parse(input), *ctx = cJSON_CreateObject();
    asl_scope_t sc = {.sim = r->sim, .input = in, .ctx = ctx, .vars = NULL};
    asl_err_t err;
    const cJSON *ip = O(st, "InputPath");
    cJSON *eff = !ip                ? cJSON_Duplicate(in, 1)
                 : cJSON_IsNull(ip) ? cJSON_CreateObject()
                                    : asl_resolve(ip->valuestring, &sc, "InputPath", &err);
    add_text(id, "afterInputPath", eff);
    cJSON *params = NULL;
    if (eff && O(st, "Parameters")) {
        sc.input = eff;
        params = asl_template(O(st, "Parameters"), &sc, &err);
        add_text(id, "afterParameters", params);
    }
    /* the task's result comes from the history; a Pass state's from Result/Parameters */
    cJSON *result = NULL;
    const cJSON *v;
    cJSON_ArrayForEach(v, ev) {
        const char *t = jstr(v, "type");
        const cJSON *d = O(v, "taskSucceededEventDetails");
        if (!d) d = O(v, "lambdaFunctionSucceededEventDetails");
        if (!d) d = O(v, "activitySucceededEventDetails");
        if (d && jstr(d, "output")) {
            cJSON_Delete(result);
            result = cJSON_Parse(jstr(d, "output"));
        }
        (void)t;
    }
    const char *type = jstr(st, "Type");
    if (!result && type && !strcmp(type, "Pass"))
        result =
            O(st, "Result") ? cJSON_Duplicate(O(st, "Result"), 1) : cJSON_Duplicate(params ? params : eff, 1);
    if (result) {
        add_text(id, "result", result);
        cJSON *sel = result;
        if (O(st, "ResultSelector")) {
            sc.input = result;
            sel = asl_template(O(st, "ResultSelector"), &sc, &err);
            add_text(id, "afterResultSelector", sel);
        }
        const cJSON *rp = O(st, "ResultPath");
        cJSON *merged = NULL;
        if (!rp)
            merged = cJSON_Duplicate(sel, 1);
        else if (cJSON_IsNull(rp))
            merged = cJSON_Duplicate(in, 1);
        else if (sel) {
            char e2[256];
            merged = cJSON_Duplicate(in, 1);
            if (jp_set(&merged, rp->valuestring, cJSON_Duplicate(sel, 1), e2, sizeof e2)) merged = NULL;
        }
        add_text(id, "afterResultPath", merged);
        cJSON_Delete(merged);
        if (sel != result) cJSON_Delete(sel);
    }
    cJSON_Delete(result);
    cJSON_Delete(params);
    cJSON_Delete(eff);
    cJSON_Delete(in);
    cJSON_Delete(ctx);
}

static int op_TestState(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e) {
    const char *deftext = jstr(in, "definition");
    cJSON *st = cJSON_Parse(deftext);
    if (!st || !cJSON_IsObject(st)) {
        cJSON_Delete(st);
        return sim_err(e, 400, "InvalidDefinition",
                       "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: "
                       "the state definition is not valid JSON'");
    }
    const char *input = jstr(in, "input") ? jstr(in, "input") : "{}";
    if (!json_valid(input)) {
        cJSON_Delete(st);
        return sim_err(e, 400, "InvalidExecutionInput",
                       "Invalid State Machine Execution Input: 'not valid JSON'");
    }
    if (jstr(in, "roleArn") && check_role(jstr(in, "roleArn"), e)) {
        cJSON_Delete(st);
        return -1;
    }
    /* A one-state machine; every transition target becomes a Succeed state that marks nextState. */
    const char *sname = jstr(in, "stateName") ? jstr(in, "stateName") : "TestState";
    cJSON *targets = cJSON_CreateArray();
    collect_targets(st, targets);
    cJSON_DeleteItemFromObjectCaseSensitive(st, "Retry");
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "StartAt", sname);
    cJSON *states = cJSON_AddObjectToObject(m, "States");
    cJSON_AddItemToObject(states, sname, st);
    const cJSON *t;
    cJSON_ArrayForEach(t, targets) {
        if (!O(states, t->valuestring))
            cJSON_AddItemToObject(states, t->valuestring, cJSON_Parse("{\"Type\":\"Succeed\"}"));
    }
    cJSON_Delete(targets);
    char *mtext = cJSON_PrintUnformatted(m);
    asl_diag_t d[8];
    int nd;
    asl_def_t *def = asl_parse(mtext, d, 8, &nd);
    free(mtext);
    if (!def) {
        char msg[1024];
        asl_diag_message(d, nd, msg, sizeof msg);
        cJSON_Delete(m);
        return sim_err(e, 400, "InvalidDefinition", "%s", msg);
    }
    exec_t ex;
    memset(&ex, 0, sizeof ex);
    snprintf(ex.arn, sizeof ex.arn, "arn:aws:states:%s:%s:execution:TestState:%s", r->region, r->account,
             r->request_id ? r->request_id : "test");
    snprintf(ex.account, sizeof ex.account, "%s", r->account);
    snprintf(ex.region, sizeof ex.region, "%s", r->region);
    ex.meta = cJSON_CreateObject();
    if (O(in, "mock")) cJSON_AddItemToObject(ex.meta, "testStateMock", cJSON_Duplicate(O(in, "mock"), 1));
    ex.def = def;
    cJSON *ctx = cJSON_CreateObject();
    cJSON *ce = cJSON_AddObjectToObject(ctx, "Execution");
    cJSON_AddStringToObject(ce, "Id", ex.arn);
    cJSON_AddItemToObject(ce, "Input", cJSON_Parse(input));
    ex.x = asl_exec_new(def, input, ctx, r->now_ms, 0);
    cJSON_Delete(ctx);
    if (jstr(in, "variables")) {
        /* variables visible to the state */
        cJSON *vars = cJSON_Parse(jstr(in, "variables"));
        if (vars) cJSON_AddItemToObject(ex.x, "initVars", vars);
    }
    asl_host_t hs;
    hctx_t hc;
    host_init(&hs, &hc, r, &ex);
    hs.timer = NULL; /* TestState does not wait */
    asl_run(&hs, def, ex.x);
    const char *status = asl_status(ex.x);
    cJSON *ev = asl_history_pending(ex.x);
    asl_history_absolute(ex.x, ev);
    const char *next = NULL;
    const char *output = NULL;
    int caught = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, ev) {
        const cJSON *en = O(v, "stateEnteredEventDetails");
        if (en && strcmp(jstr(en, "name"), sname)) {
            next = jstr(en, "name");
            output = jstr(en, "input");
        }
        const cJSON *ex2 = O(v, "stateExitedEventDetails");
        if (ex2 && !strcmp(jstr(ex2, "name"), sname) && !output) output = jstr(ex2, "output");
        if (!strcmp(jstr(v, "type"), "TaskFailed") || !strcmp(jstr(v, "type"), "LambdaFunctionFailed"))
            caught = 1;
    }
    if (!strcmp(status, "SUCCEEDED")) {
        if (next) {
            cJSON_AddStringToObject(out, "nextState", next);
            cJSON_AddStringToObject(out, "status", caught ? "CAUGHT_ERROR" : "SUCCEEDED");
            if (caught) {
                cJSON *o = cJSON_Parse(output);
                put_str(out, "error", jstr(o, "Error"));
                put_str(out, "cause", jstr(o, "Cause"));
                cJSON_Delete(o);
            }
        } else
            cJSON_AddStringToObject(out, "status", "SUCCEEDED");
        if (output)
            cJSON_AddStringToObject(out, "output", output);
        else {
            char *o = cJSON_PrintUnformatted(O(ex.x, "out"));
            cJSON_AddStringToObject(out, "output", o);
            free(o);
        }
    } else if (!strcmp(status, "RUNNING")) {
        /* Wait, or a task waiting on a token: AWS TestState does not wait; the state passes its input */
        cJSON_AddStringToObject(out, "status", "SUCCEEDED");
        cJSON_AddStringToObject(out, "output", input);
        if (jstr(cJSON_GetObjectItemCaseSensitive(states, sname), "Next"))
            cJSON_AddStringToObject(out, "nextState", jstr(O(states, sname), "Next"));
    } else {
        cJSON_AddStringToObject(out, "status", "FAILED");
        put_str(out, "error", jstr(ex.x, "error"));
        put_str(out, "cause", jstr(ex.x, "cause"));
    }
    const char *level = jstr(in, "inspectionLevel");
    if (level && strcmp(level, "INFO")) inspection_data(r, O(states, sname), input, ev, out);
    cJSON_Delete(ev);
    exec_free(&ex);
    asl_def_free(def);
    cJSON_Delete(m);
    return 0;
}

/* ---------------- timers ---------------- */

static int sfn_on_timer(req_t *r, const char *kind, const char *ref, const char *payload) {
    exec_t ex;
    if (exec_load(r->sim, ref, &ex)) return 0;
    if (ex.def && !strcmp(asl_status(ex.x), "RUNNING")) {
        asl_host_t hs;
        hctx_t hc;
        host_init(&hs, &hc, r, &ex);
        asl_on_timer(&hs, ex.def, ex.x, payload);
        exec_commit(r, &ex, 0);
    }
    exec_free(&ex);
    return 0;
}

static const op_entry_t OPS[] = {
    {"CreateActivity", op_CreateActivity},
    {"CreateStateMachine", op_CreateStateMachine},
    {"CreateStateMachineAlias", op_CreateStateMachineAlias},
    {"DeleteActivity", op_DeleteActivity},
    {"DeleteStateMachine", op_DeleteStateMachine},
    {"DeleteStateMachineAlias", op_DeleteStateMachineAlias},
    {"DeleteStateMachineVersion", op_DeleteStateMachineVersion},
    {"DescribeActivity", op_DescribeActivity},
    {"DescribeExecution", op_DescribeExecution},
    {"DescribeMapRun", op_DescribeMapRun},
    {"DescribeStateMachine", op_DescribeStateMachine},
    {"DescribeStateMachineAlias", op_DescribeStateMachineAlias},
    {"DescribeStateMachineForExecution", op_DescribeStateMachineForExecution},
    {"GetActivityTask", op_GetActivityTask},
    {"GetExecutionHistory", op_GetExecutionHistory},
    {"ListActivities", op_ListActivities},
    {"ListExecutions", op_ListExecutions},
    {"ListMapRuns", op_ListMapRuns},
    {"ListStateMachineAliases", op_ListStateMachineAliases},
    {"ListStateMachineVersions", op_ListStateMachineVersions},
    {"ListStateMachines", op_ListStateMachines},
    {"ListTagsForResource", op_ListTagsForResource},
    {"PublishStateMachineVersion", op_PublishStateMachineVersion},
    {"RedriveExecution", op_RedriveExecution},
    {"SendTaskFailure", op_SendTaskFailure},
    {"SendTaskHeartbeat", op_SendTaskHeartbeat},
    {"SendTaskSuccess", op_SendTaskSuccess},
    {"StartExecution", op_StartExecution},
    {"StartSyncExecution", op_StartSyncExecution},
    {"StopExecution", op_StopExecution},
    {"TagResource", op_TagResource},
    {"TestState", op_TestState},
    {"UntagResource", op_UntagResource},
    {"UpdateMapRun", op_UpdateMapRun},
    {"UpdateStateMachine", op_UpdateStateMachine},
    {"UpdateStateMachineAlias", op_UpdateStateMachineAlias},
    {"ValidateStateMachineDefinition", op_ValidateStateMachineDefinition},
};

const service_def_t SVC_STEPFUNCTIONS = {
    .key = "stepfunctions",
    .signing_name = "states",
    .global = 0,
    .ops = OPS,
    .nops = OPS_COUNT(OPS),
    .init_schema = sfn_schema,
    .on_timer = sfn_on_timer,
    .on_reset = sfn_reset,
};
