/*
 * mcache.h — malloc behind per-thread lists of freed blocks by size class, used by SQLite and cJSON.
 * Its blocks are malloc blocks: free() may release them, and mc_free any malloc block.
 */
#ifndef AWSSIM_MCACHE_H
#define AWSSIM_MCACHE_H

#include <stddef.h>

void *mc_malloc(size_t n);
void mc_free(void *p);
size_t mc_thread_bytes(void); /* bytes waiting on the calling thread's lists */
/* Installs it as SQLite's allocator and cJSON's hooks; once, before SQLite's first use. 0 or -1. */
int mcache_install(void);
int mc_installed(void); /* 1 once mcache_install has installed it (not under ASan or valgrind) */

#endif
