/*
 * test_reqpath.c — the request path's fast pieces: the per-connection statement cache, and the
 * hand-written formatters (numbers, timestamps, JSON text) that must produce exactly the bytes the
 * printf-based code they replace produced.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>

static int step_int(sqlite3_stmt *st) {
    cr_assert_not_null(st);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return v;
}

Test(stmt_cache, keyed_by_text_per_connection_even_when_a_buffer_is_reused) {
    sim_t *a = test_sim(), *b = test_sim();
    static const char *const Q = "SELECT 41+1";
    sqlite3_stmt *sa = db_prepare(a, Q), *sb = db_prepare(b, Q);
    cr_assert_neq(sa, sb, "one cache per connection");
    cr_assert_eq(sqlite3_db_handle(sa), a->db);
    cr_assert_eq(sqlite3_db_handle(sb), b->db);
    cr_assert_eq(step_int(sa), 42);
    char copy[32];
    strcpy(copy, Q);
    cr_assert_eq(db_prepare(a, copy), sa, "same text at another address: same statement");
    /* a buffer that held one SQL text now holds another: its address must not find the first */
    strcpy(copy, "SELECT 7");
    sqlite3_stmt *s7 = db_prepare(a, copy);
    cr_assert_neq(s7, sa);
    cr_assert_eq(step_int(s7), 7);
    strcpy(copy, Q);
    cr_assert_eq(db_prepare(a, copy), sa);
    cr_assert_eq(db_prepare(a, Q), sa);
    /* bindings are cleared between uses */
    sqlite3_stmt *p = db_prepare(a, "SELECT coalesce(?1, -1)");
    sqlite3_bind_int(p, 1, 5);
    cr_assert_eq(step_int(p), 5);
    cr_assert_eq(step_int(db_prepare(a, "SELECT coalesce(?1, -1)")), -1);
    /* closing drops the cache with the connection; a new store prepares afresh */
    store_close(a);
    cr_assert_null(a->stmts);
    cr_assert_eq(store_open(a, ":memory:"), 0);
    cr_assert_eq(step_int(db_prepare(a, Q)), 42);
    cr_assert_eq(db_begin(a), 0);
    cr_assert_eq(meta_set(a, "k", "v"), 0);
    db_rollback(a);
    cr_assert_null(meta_get(a, "k"), "ROLLBACK through the cache undoes the write");
    cr_assert_eq(db_begin(a), 0);
    cr_assert_eq(meta_set(a, "k", "v"), 0);
    cr_assert_eq(db_commit(a), 0);
    char *v = meta_get(a, "k");
    cr_assert_str_eq(v, "v");
    free(v);
    test_sim_free(a);
    test_sim_free(b);
}
