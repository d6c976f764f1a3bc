/*
 * nosqlext.c — keeps SQLite's optional extensions out of the static release binary.
 *
 * Debian's libsqlite3 is built with FTS3, FTS5, R*Tree and the sqlite_stmt virtual table, and
 * sqlite3_open registers all of them on every connection (main.c, sqlite3BuiltinExtensions). awssim
 * uses none of them, yet registering them touched five 64 KiB windows of the binary's text at
 * start — about 300 KiB of idle RSS, and the difference between meeting the 4 MiB idle target and
 * not. The static link wraps the four init functions (Makefile: -Wl,--wrap=...), so those calls land
 * here and register nothing; the extensions' code is then never referenced and --gc-sections drops it.
 * Only the static release link uses this file; builds against libsqlite3.so keep the extensions.
 */
#include <sqlite3.h>

#define NO_EXTENSION(init)                                                                                   \
    int __wrap_##init(sqlite3 *db);                                                                          \
    int __wrap_##init(sqlite3 *db) {                                                                         \
        (void)db;                                                                                            \
        return SQLITE_OK;                                                                                    \
    }

NO_EXTENSION(sqlite3Fts3Init)
NO_EXTENSION(sqlite3Fts5Init)
NO_EXTENSION(sqlite3RtreeInit)
NO_EXTENSION(sqlite3StmtVtabInit)
