/*
 * pcache.c — SQLite's page cache for in-memory databases (SQLITE_CONFIG_PCACHE2).
 *
 * An in-memory database's page cache is the database: its pages are never purged. SQLite's own
 * cache (pcache1) keeps them in a hash table and, at the end of every transaction, drops pages past
 * the database's end. When a B-tree balance orders its new pages it parks one under a temporary page
 * number past 1 GiB; after that the next commit's "drop pages past the end" scans the whole hash —
 * every page header of the database, ~3 % of a StartExecution once the store holds 40k executions,
 * and growing with it. Here pages are found by number in an array, so dropping the pages past the
 * end costs what is dropped. Caches SQLite may purge (file-backed databases) stay with pcache1.
 */
#include "core/pcache.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* One page: SQLite's view first; the page image and SQLite's extra bytes follow in the same block. */
typedef struct pg {
    sqlite3_pcache_page page;
    unsigned key;
    struct pg *next; /* far list or free list */
} pg_t;

/* A page lives in by_key[key] unless its number is far past every other page's (balance's temporary
 * page): those few go to the far list, so the array stays as long as the database. */
#define NEAR_SLACK 1024u

typedef struct {
    int purgeable;         /* 1: everything goes to pcache1 (inner) */
    sqlite3_pcache *inner; /* pcache1's cache when purgeable */
    int sz_page, sz_extra;
    pg_t **by_key; /* [cap] */
    unsigned cap;  /* slots in by_key */
    unsigned top;  /* every page in by_key has key < top */
    unsigned n;    /* pages held */
    pg_t *far;     /* pages not in by_key */
    pg_t *free;    /* released page blocks kept for reuse */
    unsigned n_free;
} cache_t;

#define FREE_MAX 64 /* released blocks kept per cache; more go back to malloc */

static sqlite3_pcache_methods2 g_inner; /* pcache1, as SQLite configured it */

static int pc_init(void *arg) {
    return g_inner.xInit(g_inner.pArg);
}

static void pc_shutdown(void *arg) {
    if (g_inner.xShutdown) g_inner.xShutdown(g_inner.pArg);
}

static sqlite3_pcache *pc_create(int sz_page, int sz_extra, int purgeable) {
    cache_t *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->purgeable = purgeable;
    c->sz_page = sz_page;
    c->sz_extra = sz_extra;
    if (purgeable && !(c->inner = g_inner.xCreate(sz_page, sz_extra, purgeable))) {
        free(c);
        return NULL;
    }
    return (sqlite3_pcache *)c;
}

static void pc_cachesize(sqlite3_pcache *p, int n) {
    cache_t *c = (cache_t *)p;
    if (c->purgeable) g_inner.xCachesize(c->inner, n);
}

static int pc_pagecount(sqlite3_pcache *p) {
    cache_t *c = (cache_t *)p;
    return c->purgeable ? g_inner.xPagecount(c->inner) : (int)c->n;
}

static void block_release(cache_t *c, pg_t *g) {
    c->n--;
    if (c->n_free < FREE_MAX) {
        g->next = c->free;
        c->free = g;
        c->n_free++;
    } else
        free(g);
}

/* The slot holding key's page, or NULL. */
static pg_t **slot_of(cache_t *c, unsigned key) {
    if (key < c->cap && c->by_key[key]) return &c->by_key[key];
    for (pg_t **pp = &c->far; *pp; pp = &(*pp)->next)
        if ((*pp)->key == key) return pp;
    return NULL;
}

static int grow(cache_t *c, unsigned key) {
    unsigned cap = c->cap ? c->cap : 64;
    while (cap <= key)
        cap *= 2;
    pg_t **a = realloc(c->by_key, cap * sizeof *a);
    if (!a) return -1;
    memset(a + c->cap, 0, (cap - c->cap) * sizeof *a);
    c->by_key = a;
    c->cap = cap;
    return 0;
}

/* Puts g under key (its slot is free). */
static int place(cache_t *c, pg_t *g, unsigned key) {
    g->key = key;
    if (key >= c->cap && key - c->top > c->top + NEAR_SLACK) {
        g->next = c->far;
        c->far = g;
        return 0;
    }
    if (key >= c->cap && grow(c, key)) return -1;
    c->by_key[key] = g;
    if (key >= c->top) c->top = key + 1;
    return 0;
}

/* Takes the page out of its slot (it stays allocated). */
static void unplace(cache_t *c, pg_t *g) {
    if (g->key < c->cap && c->by_key[g->key] == g) {
        c->by_key[g->key] = NULL;
        return;
    }
    for (pg_t **pp = &c->far; *pp; pp = &(*pp)->next)
        if (*pp == g) {
            *pp = g->next;
            return;
        }
}

static sqlite3_pcache_page *pc_fetch(sqlite3_pcache *p, unsigned key, int create) {
    cache_t *c = (cache_t *)p;
    if (c->purgeable) return g_inner.xFetch(c->inner, key, create);
    pg_t **slot = slot_of(c, key);
    if (slot) return &(*slot)->page;
    if (!create) return NULL;
    pg_t *g = c->free;
    if (g) {
        c->free = g->next;
        c->n_free--;
    } else if (!(g = malloc(sizeof *g + (size_t)c->sz_page + (size_t)c->sz_extra)))
        return NULL;
    g->page.pBuf = g + 1;
    g->page.pExtra = (char *)(g + 1) + c->sz_page;
    memset(g->page.pExtra, 0, sizeof(void *)); /* SQLite's "not yet initialised" mark, as pcache1 */
    if (place(c, g, key)) {
        free(g);
        return NULL;
    }
    c->n++;
    return &g->page;
}

static void pc_unpin(sqlite3_pcache *p, sqlite3_pcache_page *page, int discard) {
    cache_t *c = (cache_t *)p;
    if (c->purgeable) return g_inner.xUnpin(c->inner, page, discard);
    if (!discard) return; /* an in-memory database keeps every page */
    pg_t *g = (pg_t *)page;
    unplace(c, g);
    block_release(c, g);
}

static void pc_rekey(sqlite3_pcache *p, sqlite3_pcache_page *page, unsigned from, unsigned to) {
    cache_t *c = (cache_t *)p;
    if (c->purgeable) return g_inner.xRekey(c->inner, page, from, to);
    pg_t *g = (pg_t *)page;
    pg_t **slot = slot_of(c, to); /* SQLite has dropped any page under the new number first */
    if (slot) {
        pg_t *old = *slot;
        unplace(c, old);
        block_release(c, old);
    }
    unplace(c, g);
    if (place(c, g, to)) { /* no memory for a larger array: keep the page where it was */
        place(c, g, from);
    }
}

/* Drops every page numbered limit or above. */
static void pc_truncate(sqlite3_pcache *p, unsigned limit) {
    cache_t *c = (cache_t *)p;
    if (c->purgeable) return g_inner.xTruncate(c->inner, limit);
    for (unsigned k = limit; k < c->top; k++)
        if (c->by_key[k]) {
            block_release(c, c->by_key[k]);
            c->by_key[k] = NULL;
        }
    if (limit < c->top) c->top = limit;
    for (pg_t **pp = &c->far; *pp;) {
        pg_t *g = *pp;
        if (g->key >= limit) {
            *pp = g->next;
            block_release(c, g);
        } else
            pp = &g->next;
    }
}

static void pc_destroy(sqlite3_pcache *p) {
    cache_t *c = (cache_t *)p;
    if (c->purgeable)
        g_inner.xDestroy(c->inner);
    else {
        pc_truncate(p, 0);
        while (c->free) {
            pg_t *g = c->free;
            c->free = g->next;
            free(g);
        }
        free(c->by_key);
    }
    free(c);
}

static void pc_shrink(sqlite3_pcache *p) {
    cache_t *c = (cache_t *)p;
    if (c->purgeable) g_inner.xShrink(c->inner);
}

static const sqlite3_pcache_methods2 mine = {
    1,        NULL,     pc_init,  pc_shutdown, pc_create,  pc_cachesize, pc_pagecount,
    pc_fetch, pc_unpin, pc_rekey, pc_truncate, pc_destroy, pc_shrink};

const sqlite3_pcache_methods2 *pcache_methods(void) {
    return &mine;
}

int pcache_install(void) {
    if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &g_inner) != SQLITE_OK || !g_inner.xCreate) return -1;
    return sqlite3_config(SQLITE_CONFIG_PCACHE2, &mine) == SQLITE_OK ? 0 : -1;
}
