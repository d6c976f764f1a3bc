/*
 * store.h — SQLite state: open/close, schema, transactions, snapshot/restore, and a generic
 * document store for resources.
 *
 * Services may create their own tables (service_def_t.init_schema) or keep resources as JSON
 * documents with rs_* (table awssim_resources, keyed by service, account, scope, type, id).
 * Invariant: every API call is one transaction; an error rolls the whole call back.
 */
#ifndef AWSSIM_STORE_H
#define AWSSIM_STORE_H

#include "core/sim.h"

#define SCHEMA_VERSION 1

int store_open(sim_t *s, const char *path); /* ":memory:" or a file (WAL) */
#define STORE_NO_IMAGE 1 /* store_open_ex: create a fresh schema by its statements, not from the image */
int store_open_ex(sim_t *s, const char *path, int flags);
/* The schema image format (tools/schemagen.c writes it): a database file with zero runs squeezed. */
int store_encode_image(const unsigned char *db, size_t n, unsigned char **out, size_t *out_len);
void store_close(sim_t *s);
int store_reset(sim_t *s); /* drop every row of every table, keep schema */
int store_snapshot(sim_t *s, const char *path);
int store_restore(sim_t *s, const char *path);

int db_begin(sim_t *s);
int db_commit(sim_t *s);
void db_rollback(sim_t *s);
int db_exec(sim_t *s, const char *sql);              /* one or more statements, no results */
sqlite3_stmt *db_prepare(sim_t *s, const char *sql); /* cached; reset for reuse; do not finalize */

/* Generic documents. The document is stored as JSON text; get/list return new cJSON (caller frees).
 * rs_* use r->service, r->account, r->scope; rs_*_at name another account/scope explicitly
 * (cross-account sharing, Step Functions tasks). */
int rs_put(req_t *r, const char *type, const char *id, const cJSON *doc);
cJSON *rs_get(req_t *r, const char *type, const char *id);
int rs_del(req_t *r, const char *type, const char *id);
cJSON *rs_list(req_t *r, const char *type); /* array in creation order */
int rs_count(req_t *r, const char *type);
int rs_put_at(sim_t *s, const char *service, const char *account, const char *scope, const char *type,
              const char *id, const cJSON *doc);
cJSON *rs_get_at(sim_t *s, const char *service, const char *account, const char *scope, const char *type,
                 const char *id);
int rs_del_at(sim_t *s, const char *service, const char *account, const char *scope, const char *type,
              const char *id);
/* Every document of a type in every account/scope: array of {"account","scope","id","doc"}. */
cJSON *rs_list_all(sim_t *s, const char *service, const char *type);

/* A small key/value table for process meta (clock, seed) and services' counters. */
int meta_set(sim_t *s, const char *key, const char *value);
char *meta_get(sim_t *s, const char *key);        /* malloc'd or NULL */
int64_t meta_next_seq(sim_t *s, const char *key); /* 1, 2, 3, ... persisted */

#endif
