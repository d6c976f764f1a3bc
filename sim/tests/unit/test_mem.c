/*
 * test_mem.c — the page cache (core/pcache.c) and the block lists (core/mcache.c) awssim gives SQLite
 * and cJSON: their methods directly, and SQLite databases that exercise them (balances that park a
 * page past 1 GiB, rollbacks, savepoints).
 */
#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>

#include "core/mcache.h"
#include "core/pcache.h"
#include "testutil.h"

/* ---- page cache, through its methods ---- */

static sqlite3_pcache_page *fetch(const sqlite3_pcache_methods2 *m, sqlite3_pcache *c, unsigned key,
                                  int create) {
    return m->xFetch(c, key, create);
}

Test(pcache, in_memory_pages_are_kept_found_by_number_and_dropped_past_a_limit) {
    test_sim_free(test_sim()); /* installs it */
    const sqlite3_pcache_methods2 *m = pcache_methods();
    sqlite3_pcache *c = m->xCreate(4096, 64, 0);
    cr_assert(c);
    for (unsigned k = 1; k <= 1000; k++) {
        sqlite3_pcache_page *p = fetch(m, c, k, 1);
        cr_assert(p && p->pBuf && p->pExtra);
        cr_assert_eq(*(void **)p->pExtra, NULL, "a new page's extra bytes start with a null pointer");
        memset(p->pBuf, (int)(k & 0xff), 4096);
        m->xUnpin(c, p, 0); /* an in-memory database's page stays after it is unpinned */
    }
    cr_assert_eq(m->xPagecount(c), 1000);
    cr_assert_null(fetch(m, c, 1001, 0));
    sqlite3_pcache_page *p7 = fetch(m, c, 7, 0);
    cr_assert(p7);
    cr_assert_eq(((unsigned char *)p7->pBuf)[4095], 7);

    /* balance_nonroot's swap: 7 -> temporary page past 1 GiB -> 900, 900 -> 7 */
    sqlite3_pcache_page *p900 = fetch(m, c, 900, 0);
    m->xRekey(c, p7, 7, 262145);
    cr_assert_eq(fetch(m, c, 262145, 0), p7);
    cr_assert_null(fetch(m, c, 7, 0));
    m->xRekey(c, p900, 900, 7);
    m->xRekey(c, p7, 262145, 900);
    cr_assert_eq(fetch(m, c, 900, 0), p7);
    cr_assert_eq(fetch(m, c, 7, 0), p900);
    cr_assert_null(fetch(m, c, 262145, 0));
    cr_assert_eq(m->xPagecount(c), 1000);

    /* a page left under a far number is dropped by a truncate below it */
    m->xRekey(c, fetch(m, c, 1000, 0), 1000, 262145);
    m->xTruncate(c, 501);
    cr_assert_eq(m->xPagecount(c), 500);
    cr_assert_null(fetch(m, c, 262145, 0));
    cr_assert_null(fetch(m, c, 501, 0));
    cr_assert(fetch(m, c, 500, 0));

    /* rekeying onto a page number that is held drops the page that held it */
    m->xRekey(c, fetch(m, c, 10, 0), 10, 11);
    cr_assert_eq(m->xPagecount(c), 499);
    cr_assert_null(fetch(m, c, 10, 0));

    /* discarding on unpin drops the page */
    m->xUnpin(c, fetch(m, c, 3, 0), 1);
    cr_assert_null(fetch(m, c, 3, 0));
    cr_assert_eq(m->xPagecount(c), 498);

    m->xTruncate(c, 0);
    cr_assert_eq(m->xPagecount(c), 0);
    m->xDestroy(c);
}

Test(pcache, a_dropped_page_block_serves_the_next_new_page) {
    test_sim_free(test_sim());
    const sqlite3_pcache_methods2 *m = pcache_methods();
    sqlite3_pcache *c = m->xCreate(4096, 64, 0);
    sqlite3_pcache_page *p1 = fetch(m, c, 1, 1), *p2 = fetch(m, c, 2, 1);
    memset(p2->pExtra, 0xff, 64);
    m->xUnpin(c, p2, 1);
    sqlite3_pcache_page *p9 = fetch(m, c, 9, 1);
    cr_assert_eq(p9, p2);
    cr_assert_eq(*(void **)p9->pExtra, NULL, "the reused block is marked new again");
    cr_assert_eq(fetch(m, c, 1, 0), p1);
    cr_assert_eq(m->xPagecount(c), 2);
    m->xDestroy(c);
}

Test(pcache, purgeable_caches_are_sqlite_own) {
    test_sim_free(test_sim()); /* installs it over SQLite's own */
    const sqlite3_pcache_methods2 *m = pcache_methods();
    sqlite3_pcache *c = m->xCreate(1024, 64, 1);
    cr_assert(c);
    m->xCachesize(c, 10);
    for (unsigned k = 1; k <= 50; k++) {
        sqlite3_pcache_page *p = fetch(m, c, k, 2);
        if (p) m->xUnpin(c, p, 0);
    }
    cr_assert_leq(m->xPagecount(c), 10, "a purgeable cache keeps to its size (%d pages)", m->xPagecount(c));
    m->xDestroy(c);
}

/* ---- page cache, under SQLite ---- */

static sqlite3 *mem_db(void) {
    test_sim_free(test_sim()); /* the first store open installs the cache and the allocator */
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    return db;
}

static int64_t scalar(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void exec_ok(sqlite3 *db, const char *sql) {
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
}

static const char *integrity(sqlite3 *db) {
    static char out[256];
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
    sqlite3_step(st);
    snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

Test(pcache, an_in_memory_database_stays_whole_through_splits_rollbacks_and_savepoints) {
    sqlite3 *db = mem_db();
    exec_ok(db, "CREATE TABLE t(k TEXT PRIMARY KEY, v BLOB); CREATE INDEX t_v ON t(length(v), k)");
    /* random keys split index pages in the middle: balance_nonroot reorders new pages through the
     * temporary page number past 1 GiB */
    exec_ok(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3000) "
                "INSERT INTO t SELECT hex(randomblob(12)), randomblob(abs(random()) % 3000) FROM n");
    cr_assert_eq(scalar(db, "SELECT count(*) FROM t"), 3000);
    int64_t pages = scalar(db, "PRAGMA page_count");

    exec_ok(db, "BEGIN");
    exec_ok(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2000) "
                "INSERT INTO t SELECT hex(randomblob(12)), randomblob(3000) FROM n");
    exec_ok(db, "DELETE FROM t WHERE rowid % 3 = 0");
    exec_ok(db, "ROLLBACK"); /* the pages past the old end are dropped, the old ones restored */
    cr_assert_eq(scalar(db, "SELECT count(*) FROM t"), 3000);
    cr_assert_eq(scalar(db, "PRAGMA page_count"), pages);
    cr_assert_str_eq(integrity(db), "ok");

    exec_ok(db, "BEGIN; SAVEPOINT a");
    exec_ok(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<500) "
                "INSERT INTO t SELECT 'sp' || i, randomblob(2000) FROM n");
    exec_ok(db, "ROLLBACK TO a; RELEASE a");
    exec_ok(db, "INSERT INTO t VALUES('kept', x'00')");
    exec_ok(db, "COMMIT");
    cr_assert_eq(scalar(db, "SELECT count(*) FROM t"), 3001);
    cr_assert_eq(scalar(db, "SELECT count(*) FROM t WHERE k LIKE 'sp%'"), 0);

    exec_ok(db, "DELETE FROM t WHERE rowid % 2 = 0; VACUUM");
    cr_assert_lt(scalar(db, "PRAGMA page_count"), pages);
    cr_assert_str_eq(integrity(db), "ok");
    sqlite3_close(db);
}

/* ---- block lists ---- */

Test(mcache, a_freed_block_serves_the_next_allocation_of_its_class) {
    size_t sizes[] = {1, 16, 17, 100, 512, 513, 1024, 4000, 4096, 4097, 20000, 65536};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char *p = mc_malloc(sizes[i]);
        cr_assert(p);
        cr_assert_geq(malloc_usable_size(p), sizes[i]);
        memset(p, 0x5a, sizes[i]);
        size_t before = mc_thread_bytes();
        mc_free(p);
        cr_assert_gt(mc_thread_bytes(), before, "size %zu", sizes[i]);
        cr_assert_eq(mc_malloc(sizes[i]), p, "size %zu: the same block again", sizes[i]);
        cr_assert_eq(mc_thread_bytes(), before);
        free(p); /* a block from the lists is a malloc block */
    }
}

Test(mcache, blocks_from_malloc_join_the_lists_and_large_ones_go_back) {
    const char *text = "thirty-one characters by strdup"; /* 32 bytes: a whole class, any malloc */
    char *s = strdup(text);
    size_t before = mc_thread_bytes();
    mc_free(s);
    cr_assert_gt(mc_thread_bytes(), before);
    cr_assert_eq(mc_malloc(strlen(text) + 1), s);
    free(s);

    char *big = mc_malloc(1 << 20); /* past the largest class: straight malloc and free */
    cr_assert(big);
    memset(big, 1, 1 << 20);
    before = mc_thread_bytes();
    mc_free(big);
    cr_assert_eq(mc_thread_bytes(), before);
    mc_free(NULL);
}

Test(mcache, a_thread_keeps_at_most_a_mebibyte) {
    enum { N = 64 };
    void *p[N];
    for (int i = 0; i < N; i++)
        p[i] = mc_malloc(60000);
    for (int i = 0; i < N; i++)
        mc_free(p[i]);
    cr_assert_leq(mc_thread_bytes(), (size_t)1 << 20);
    cr_assert_geq(mc_thread_bytes(), ((size_t)1 << 20) - 61440);
}

static void *thread_frees(void *arg) {
    mc_free(arg); /* a block allocated on another thread */
    return (void *)mc_thread_bytes();
}

Test(mcache, a_block_may_be_freed_on_another_thread) {
    void *p = mc_malloc(300), *r = NULL;
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, thread_frees, p), 0);
    pthread_join(t, &r);
    cr_assert_geq((size_t)r, 300);
}

/* On a new thread, whose lists start empty (closing the sim filled this one's). */
static void *library_frees(void *arg) {
    size_t *grew = arg;
    size_t before = mc_thread_bytes();
    cJSON *j = cJSON_Parse("{\"a\":[1,2,3],\"b\":\"text\"}");
    cJSON_Delete(j);
    grew[0] = mc_thread_bytes() - before;
    before = mc_thread_bytes();
    sqlite3_free(sqlite3_malloc(2000));
    grew[1] = mc_thread_bytes() - before;
    return NULL;
}

Test(mcache, sqlite_and_cjson_allocate_through_it) {
    test_sim_free(test_sim());
    if (!mc_installed()) cr_skip_test("not installed under AddressSanitizer or valgrind");
    size_t grew[2] = {0, 0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, library_frees, grew), 0);
    pthread_join(t, NULL);
    cr_assert_geq(grew[0], 6 * sizeof(cJSON), "cJSON's freed nodes wait on the lists (%zu bytes)", grew[0]);
    cr_assert_geq(grew[1], 2000, "SQLite's freed block waits on the lists (%zu bytes)", grew[1]);
    void *q = sqlite3_malloc(100);
    cr_assert_geq(sqlite3_msize(q), 100);
    sqlite3_free(q);
}
