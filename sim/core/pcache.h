/*
 * pcache.h — the page cache awssim gives SQLite: in-memory databases' pages by number in an array,
 * everything else in SQLite's own cache. Installed once, before SQLite's first use.
 */
#ifndef AWSSIM_PCACHE_H
#define AWSSIM_PCACHE_H

#include <sqlite3.h>

int pcache_install(void); /* 0, or -1 when SQLite refused it (already initialised) */
const sqlite3_pcache_methods2 *pcache_methods(void); /* what pcache_install gives SQLite */

#endif
