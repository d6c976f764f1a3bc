/*
 * mcache.c — per-thread lists of freed malloc blocks by size class, in front of glibc's malloc, for
 * the two libraries that allocate most: SQLite (SQLITE_CONFIG_MALLOC) and cJSON (cJSON_InitHooks).
 *
 * A StartExecution makes ~37 SQLite allocations of 1–4 KiB (rollback-journal chunks, records) and
 * ~130 small cJSON ones, and frees them all before it answers. That is more than glibc's per-thread
 * cache holds (7 blocks a size), so most calls took malloc's general path (100–200 instructions).
 * Here a freed block waits on its thread's list for the next allocation of its class.
 *
 * Blocks carry no header of their own: every block is a plain malloc block, classed on free by
 * malloc_usable_size. So a block from here may be released with free() and a block from malloc
 * (a strdup put into a cJSON item) with mc_free — the code that frees cJSON's strings need not know
 * which allocator made them. A thread keeps at most LIST_BYTES on its lists (the rest goes back to
 * malloc) and returns them all when it exits. (mimalloc was measured instead: similar speed, but
 * ~450 KiB more resident at idle, past the 4 MiB target.) Not installed under AddressSanitizer or
 * valgrind.
 */
#include "core/mcache.h"

#include <cjson/cJSON.h>
#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>

/* Size classes: 16-byte steps to 512, 64-byte steps to 4 KiB, 1 KiB steps to 64 KiB. */
#define S1 16
#define M1 512
#define S2 64
#define M2 4096
#define S3 1024
#define M3 65536
#define N1 (M1 / S1)
#define N2 (N1 + (M2 - M1) / S2)
#define N_CLASS (N2 + (M3 - M2) / S3)
#define LIST_BYTES (1u << 20)

typedef struct blk {
    struct blk *next;
} blk_t;

static __thread blk_t *t_list[N_CLASS + 1];
static __thread size_t t_bytes;
static __thread int t_registered;
static pthread_key_t g_exit_key;
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;
static int g_installed;

static size_t class_size(unsigned c) {
    if (c <= N1) return (size_t)c * S1;
    if (c <= N2) return M1 + (size_t)(c - N1) * S2;
    return M2 + (size_t)(c - N2) * S3;
}

/* The smallest class holding n bytes; 0 when n is too large for any. */
static unsigned class_up(size_t n) {
    if (n <= M1) return n ? (unsigned)((n + S1 - 1) / S1) : 1;
    if (n <= M2) return N1 + (unsigned)((n - M1 + S2 - 1) / S2);
    if (n <= M3) return N2 + (unsigned)((n - M2 + S3 - 1) / S3);
    return 0;
}

/* The largest class a block of u usable bytes can serve; 0 when none (or too large to keep). */
static unsigned class_down(size_t u) {
    if (u < S1 || u > M3 + S3) return 0;
    if (u <= M1) return (unsigned)(u / S1);
    if (u <= M2) return N1 + (unsigned)((u - M1) / S2);
    unsigned c = N2 + (unsigned)((u - M2) / S3);
    return c > N_CLASS ? N_CLASS : c;
}

static void lists_drain(void *unused) {
    for (unsigned c = 1; c <= N_CLASS; c++)
        while (t_list[c]) {
            blk_t *b = t_list[c];
            t_list[c] = b->next;
            free(b);
        }
    t_bytes = 0;
    t_registered = 0;
}

static void key_create(void) {
    pthread_key_create(&g_exit_key, lists_drain);
}

void *mc_malloc(size_t n) {
    unsigned c = class_up(n);
    if (!c) return malloc(n);
    blk_t *b = t_list[c];
    if (b) {
        t_list[c] = b->next;
        t_bytes -= class_size(c);
        return b;
    }
    return malloc(class_size(c));
}

void mc_free(void *p) {
    if (!p) return;
    unsigned c = class_down(malloc_usable_size(p));
    if (!c || t_bytes + class_size(c) > LIST_BYTES) {
        free(p);
        return;
    }
    if (!t_registered) {
        pthread_once(&g_key_once, key_create);
        t_registered = 1;
        pthread_setspecific(g_exit_key, &t_registered); /* any non-NULL value runs lists_drain at exit */
    }
    blk_t *b = p;
    b->next = t_list[c];
    t_list[c] = b;
    t_bytes += class_size(c);
}

int mc_installed(void) {
    return g_installed;
}

size_t mc_thread_bytes(void) {
    return t_bytes;
}

/* ---- SQLite ---- */

static void *sq_malloc(int n) {
    return n < 0 ? NULL : mc_malloc((size_t)n);
}

static void sq_free(void *p) {
    mc_free(p);
}

static int sq_size(void *p) {
    return p ? (int)malloc_usable_size(p) : 0;
}

static void *sq_realloc(void *p, int n) {
    if (n < 0) return NULL;
    unsigned c = class_up((size_t)n);
    return realloc(p, c ? class_size(c) : (size_t)n);
}

static int sq_roundup(int n) {
    unsigned c = class_up(n > 0 ? (size_t)n : 0);
    return c ? (int)class_size(c) : n;
}

static int sq_init(void *arg) {
    return SQLITE_OK;
}

static void sq_shutdown(void *arg) {}

/* Once, before SQLite's first use (sqlite3_config refuses later) and before threads use cJSON. Not
 * under AddressSanitizer or valgrind: a block waiting on a list is one they could not report a use
 * after free of. */
int mcache_install(void) {
#if defined(__SANITIZE_ADDRESS__)
    return 0;
#endif
    if (RUNNING_ON_VALGRIND) return 0;
    static const sqlite3_mem_methods sq = {sq_malloc,  sq_free, sq_realloc,  sq_size,
                                           sq_roundup, sq_init, sq_shutdown, NULL};
    cJSON_Hooks hooks = {mc_malloc, mc_free};
    cJSON_InitHooks(&hooks);
    g_installed = sqlite3_config(SQLITE_CONFIG_MALLOC, &sq) == SQLITE_OK;
    return g_installed ? 0 : -1;
}
