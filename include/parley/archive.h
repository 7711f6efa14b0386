/* archive.h - the run archive: every run of a scenario kept in one SQLite file, to list, show, diff and
 * chart how the forecast moved as the scenario was revised (docs/archive.md).
 *
 * A parley_archive is an open database. Each recorded run holds the command, the date, the scenario (its
 * canonical JSON, stored once per distinct content: runs of the same content share one row, found by the
 * SHA-256 of that JSON), the options, the seed, parley's version and the forecasts: per part (the base
 * case, each variant, the Monte Carlo draws), model and issue, the value and the 80% interval when there
 * is one. Rounds, challenges and trades are not kept: the scenario, options and seed rerun them exactly.
 *
 * Safety: the file is in WAL mode with a busy timeout; every change is one transaction, so a run is
 * recorded whole or not at all, and any number of processes may record at once without losing one.
 *
 * Ownership: parley_archive_open hands the caller an archive to close with parley_archive_close; the
 * archive borrows nothing. The text writers return malloc'd text the caller frees, or NULL with err
 * filled. Errors use parley_status: PARLEY_E_USAGE for what the caller named wrong (a missing file when
 * not creating, a folder, a file it may not open, a database still locked by another process when the
 * busy timeout ends, a run id that does not exist, an unknown scenario name), PARLEY_E_INVALID for a file
 * that is not a parley archive (not SQLite, another program's database, a newer schema, damaged), and
 * PARLEY_E_IO for a failed read or write (a full disk).
 *
 * Threads: an archive is used by one thread at a time; open one per thread (they may share the file). */
#ifndef PARLEY_ARCHIVE_H
#define PARLEY_ARCHIVE_H

#include "parley/api.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/montecarlo.h"
#include "parley/result.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema this parley writes (PRAGMA user_version); older archives are migrated when opened. */
#define PARLEY_ARCHIVE_SCHEMA 2

typedef struct parley_archive parley_archive;

/* Flags of parley_archive_open. */
#define PARLEY_ARCHIVE_CREATE 1u /* create the file when it does not exist (else a missing file is an error) */

/* Opens the archive at path: checks that it is a parley archive (or an empty file or database it may make
 * one), sets WAL mode and a busy timeout of busy_ms milliseconds (0: 5000), and migrates an older schema
 * to PARLEY_ARCHIVE_SCHEMA in one transaction. Returns PARLEY_OK and sets *out, or a status with err
 * filled (naming path) and *out NULL. */
PARLEY_API parley_status parley_archive_open(const char *path, unsigned flags, unsigned busy_ms, parley_archive **out,
                                             parley_error *err);
/* Closes the archive (NULL is accepted). */
PARLEY_API void parley_archive_close(parley_archive *a);
/* Returns the schema version of the open archive (PARLEY_ARCHIVE_SCHEMA once opened). */
PARLEY_API int parley_archive_schema(const parley_archive *a);

/* One run to record. Everything is borrowed for the call only. */
typedef struct parley_archive_entry {
    const char *command;            /* "forecast", "compare", ...: required */
    const parley_scenario *scenario; /* the scenario as the models saw it: required */
    const char *date;               /* ISO 8601 UTC ("2026-12-02T01:58:00Z"); NULL: now, or SOURCE_DATE_EPOCH when set */
    const char *const *option_names; /* the options that shape the results (models, draws...), as the user gave them */
    const char *const *option_values;
    size_t n_options;
    uint64_t seed;
    const parley_result *result;    /* the base case's result; may be NULL when mc gives it */
    const parley_result *const *variant_results; /* one per variant of scenario, in its order; may be NULL */
    size_t n_variants;
    const parley_mc *mc;            /* Monte Carlo draws: the base result when result is NULL, and each
                                     * output's median and 10%-90% range over the completed draws; may be NULL */
} parley_archive_entry;

/* Records e in one transaction and sets *id (may be NULL) to the new run's id (1, 2, ...). Returns
 * PARLEY_OK, or a status with err filled and nothing recorded. */
PARLEY_API parley_status parley_archive_record(parley_archive *a, const parley_archive_entry *e, int64_t *id,
                                               parley_error *err);

/* Returns the number of runs recorded, or -1 when the database cannot be read (err says why). */
PARLEY_API int64_t parley_archive_count(parley_archive *a, parley_error *err);

/* Rebuilds the scenario run id saw (from its stored JSON) into *out, owned by the caller. */
PARLEY_API parley_status parley_archive_scenario(parley_archive *a, int64_t id, parley_scenario **out, parley_error *err);

/* Returns the name the archive files s under (its PARLEY_TEXT_NAME, else its file's stem, else "unnamed
 * scenario"): what parley_archive_trend takes. Malloc'd, the caller frees it; NULL when out of memory. */
PARLEY_API char *parley_archive_name(const parley_scenario *s);

/* The subcommands' writers; format is "text" or "json" (trend also "svg").
 * list:  every run, oldest first: id, date, command, scenario name, its SHA-256, models, seed
 *        (JSON: {"runs": [{"id", "date", "scenario", "command", "sha256", "source", "seed", "version"}]}).
 * show:  run id whole: its inputs and every forecast.
 * diff:  which inputs changed from run a to run b (options, seed, version, and in the scenario every
 *        actor, issue and stance number added, removed or changed) and how each forecast moved.
 * trend: each issue's headline forecast (parley_result_headline's run, else the first) in the base case
 *        of every run of the scenario named name (its PARLEY_TEXT_NAME, else its file's stem), by date;
 *        "svg" draws one panel per issue with its 80% interval. */
PARLEY_API char *parley_archive_list(parley_archive *a, const char *format, parley_error *err);
PARLEY_API char *parley_archive_show(parley_archive *a, int64_t id, const char *format, parley_error *err);
PARLEY_API char *parley_archive_diff(parley_archive *a, int64_t from, int64_t to, const char *format, parley_error *err);
PARLEY_API char *parley_archive_trend(parley_archive *a, const char *name, const char *format, parley_error *err);

/* Takes an HTML report of s (parley_html_report's; ownership passes to the call) and returns it with a
 * section "How the forecast moved", the trend of s's archived runs as SVG, before its </body>. Returns
 * html itself when the archive holds no run of s; NULL with err filled (html freed) on failure. */
PARLEY_API char *parley_archive_add_trend(parley_archive *a, const parley_scenario *s, char *html, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
