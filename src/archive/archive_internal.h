/* archive_internal.h - what the archive's files share: the open database and its error mapping. */
#ifndef PARLEY_ARCHIVE_INTERNAL_H
#define PARLEY_ARCHIVE_INTERNAL_H

#include <sqlite3.h>

#include "parley/archive.h"

struct parley_archive {
    sqlite3 *db;
    char *path;
    unsigned busy_ms;
    int schema;
};

/* Adds an error naming the archive's file, what was being done and SQLite's words for rc, and returns the
 * status rc maps to (locked: PARLEY_E_USAGE; not a database or damaged: PARLEY_E_INVALID; else IO). */
parley_status arc_fail(const parley_archive *a, int rc, const char *doing, parley_error *err);

/* Prepares sql; NULL with err filled on failure. */
sqlite3_stmt *arc_prepare(const parley_archive *a, const char *sql, parley_error *err);

/* Returns the column as text, "" for NULL. */
const char *arc_text(sqlite3_stmt *st, int col);
/* Returns the column as a double, NaN for NULL. */
double arc_real(sqlite3_stmt *st, int col);

/* Checks that run id exists: PARLEY_OK, or PARLEY_E_USAGE naming the ids the archive holds. */
parley_status arc_check_run(parley_archive *a, int64_t id, parley_error *err);

#endif
