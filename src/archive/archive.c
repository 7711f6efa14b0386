/* archive.c - the run archive's database: opening, the versioned schema and its migrations, recording. */
#include "archive_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "../core/sha256.h"
#include "../core/util.h"
#include "parley/io.h"
#include "parley/report.h"

/* PRAGMA application_id of a parley archive ("prly"): tells it from any other program's SQLite file. */
#define ARC_APPLICATION_ID 0x70726c79

/* Schema 1: scenarios stored once by the SHA-256 of their canonical JSON; runs; one row per forecast,
 * in the order the run made them (pos). This text is frozen: later versions are migrations below. */
static const char schema_v1[] =
    "CREATE TABLE scenarios (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " json TEXT NOT NULL);"
    "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, date TEXT NOT NULL, command TEXT NOT NULL,"
    " scenario INTEGER NOT NULL REFERENCES scenarios(id), source TEXT, input_sha256 TEXT,"
    " options TEXT NOT NULL, seed TEXT NOT NULL, version TEXT NOT NULL);"
    "CREATE TABLE forecasts (run INTEGER NOT NULL REFERENCES runs(id), pos INTEGER NOT NULL,"
    " part TEXT NOT NULL, model TEXT NOT NULL, issue TEXT NOT NULL, headline INTEGER NOT NULL,"
    " value REAL, lo REAL, hi REAL, PRIMARY KEY (run, pos)) WITHOUT ROWID;";

/* Each migration takes the schema from version i + 1 to i + 2. */
static const char *const migrations[] = {
    /* 1 -> 2: trend looks runs up by scenario name and date */
    "CREATE INDEX scenarios_by_name ON scenarios(name);"
    "CREATE INDEX runs_by_scenario ON runs(scenario, date);",
};

parley_status arc_fail(const parley_archive *a, int rc, const char *doing, parley_error *err)
{
    const char *path = a ? a->path : NULL;
    const char *why = a && a->db ? sqlite3_errmsg(a->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return PERR(err, PARLEY_E_USAGE, path, 0, 0, NULL,
                    "%s: the archive is locked by another process (waited %u ms); try again when it is done", doing,
                    a ? a->busy_ms : 0);
    case SQLITE_NOTADB:
        return PERR(err, PARLEY_E_INVALID, path, 0, 0, NULL, "%s: not a parley archive: the file is not an SQLite database",
                    doing);
    case SQLITE_CORRUPT:
        return PERR(err, PARLEY_E_INVALID, path, 0, 0, NULL, "%s: the archive is damaged (%s)", doing, why);
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
        return PERR(err, PARLEY_E_USAGE, path, 0, 0, NULL, "%s: cannot open or write the archive: %s", doing, why);
    case SQLITE_NOMEM: return PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "%s: out of memory", doing);
    default: return PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "%s: %s", doing, why);
    }
}

sqlite3_stmt *arc_prepare(const parley_archive *a, const char *sql, parley_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        arc_fail(a, rc, "reading the archive", err);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

const char *arc_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

double arc_real(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

/* Runs one statement that returns an integer (a PRAGMA, a count); rc is SQLite's. */
static int query_int(const parley_archive *a, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int exec(const parley_archive *a, const char *sql)
{
    return sqlite3_exec(a->db, sql, NULL, NULL, NULL);
}

/* Brings the schema to PARLEY_ARCHIVE_SCHEMA. The version is read again inside the write transaction, so
 * two processes opening a new file at once cannot both create it. */
static parley_status migrate(parley_archive *a, parley_error *err)
{
    /* An archive already at this schema needs no write lock: readers do not queue behind writers. */
    int64_t current = 0, ours = 0;
    if (query_int(a, "PRAGMA user_version", &current) == SQLITE_OK && query_int(a, "PRAGMA application_id", &ours) == SQLITE_OK &&
        current == PARLEY_ARCHIVE_SCHEMA && ours == ARC_APPLICATION_ID) {
        a->schema = PARLEY_ARCHIVE_SCHEMA;
        return PARLEY_OK;
    }
    int rc = exec(a, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return arc_fail(a, rc, "opening the archive", err);
    int64_t version = 0, app = 0, tables = 0;
    if ((rc = query_int(a, "PRAGMA user_version", &version)) != SQLITE_OK ||
        (rc = query_int(a, "PRAGMA application_id", &app)) != SQLITE_OK ||
        (rc = query_int(a, "SELECT count(*) FROM sqlite_master", &tables)) != SQLITE_OK) {
        exec(a, "ROLLBACK");
        return arc_fail(a, rc, "opening the archive", err);
    }
    parley_status st = PARLEY_OK;
    if (app != ARC_APPLICATION_ID && tables > 0)
        st = PERR(err, PARLEY_E_INVALID, a->path, 0, 0, NULL,
                  "not a parley archive: an SQLite database of another program (%lld tables, application id %lld); "
                  "name a new file for the archive",
                  (long long)tables, (long long)app);
    else if (version > PARLEY_ARCHIVE_SCHEMA)
        st = PERR(err, PARLEY_E_INVALID, a->path, 0, 0, NULL,
                  "the archive has schema version %lld, newer than this parley reads (%d): use a newer parley",
                  (long long)version, PARLEY_ARCHIVE_SCHEMA);
    if (st != PARLEY_OK) {
        exec(a, "ROLLBACK");
        return st;
    }
    if (tables == 0) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", ARC_APPLICATION_ID);
        if ((rc = exec(a, pragma)) != SQLITE_OK || (rc = exec(a, schema_v1)) != SQLITE_OK) goto failed;
        version = 1;
    }
    for (; version < PARLEY_ARCHIVE_SCHEMA; version++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %lld", (long long)version + 1);
        if ((rc = exec(a, migrations[version - 1])) != SQLITE_OK || (rc = exec(a, pragma)) != SQLITE_OK) goto failed;
    }
    if ((rc = exec(a, "COMMIT")) != SQLITE_OK) goto failed;
    a->schema = (int)version;
    return PARLEY_OK;
failed:
    st = arc_fail(a, rc, "setting up the archive's tables", err);
    exec(a, "ROLLBACK");
    return st;
}

/* One try at opening a->path with oflags and bringing it to the current schema; *transient is set when
 * the failure is one another process's set-up can cause (BUSY, LOCKED, an I/O error), worth another try. */
static parley_status open_once(parley_archive *a, int oflags, parley_error *err, bool *transient)
{
    int rc = sqlite3_open_v2(a->path, &a->db, oflags, NULL);
    parley_status st = PARLEY_OK;
#define TRANSIENT(rc) ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED || (rc & 0xff) == SQLITE_IOERR)
    if (rc != SQLITE_OK) {
        *transient = TRANSIENT(rc);
        return arc_fail(a, rc, "opening the archive", err);
    }
    sqlite3_extended_result_codes(a->db, 0);
    sqlite3_busy_timeout(a->db, (int)a->busy_ms);
    /* The first read tells an SQLite file from any other (SQLITE_NOTADB); WAL lets readers and one writer
     * work at once, and a crash mid-write leaves the last committed state. */
    int64_t ignored;
    if ((rc = query_int(a, "SELECT count(*) FROM sqlite_master", &ignored)) != SQLITE_OK) {
        *transient = TRANSIENT(rc);
        return arc_fail(a, rc, "opening the archive", err);
    }
    sqlite3_stmt *jm = NULL;
    rc = sqlite3_prepare_v2(a->db, "PRAGMA journal_mode = WAL", -1, &jm, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(jm);
    sqlite3_finalize(jm);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *transient = TRANSIENT(rc);
        return arc_fail(a, rc, "opening the archive", err);
    }
    if ((rc = exec(a, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")) != SQLITE_OK) {
        *transient = TRANSIENT(rc);
        return arc_fail(a, rc, "opening the archive", err);
    }
    size_t before = parley_error_count(err);
    st = migrate(a, err);
    /* migrate says a lock in its own words; any failure it met before its first diagnostic is transient */
    if (st != PARLEY_OK && parley_error_count(err) > before) {
        const parley_diag *d = parley_error_at(err, before);
        *transient = d && (strstr(d->message, "locked by another process") || d->status == PARLEY_E_IO);
    }
#undef TRANSIENT
    return st;
}

parley_status parley_archive_open(const char *path, unsigned flags, unsigned busy_ms, parley_archive **out, parley_error *err)
{
    *out = NULL;
    if (!path || !*path) return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--archive", "expected the archive's file name");
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode))
            return PERR(err, PARLEY_E_USAGE, path, 0, 0, NULL, "the archive must be a regular file, found %s",
                        S_ISDIR(sb.st_mode) ? "a folder" : "a device, FIFO or socket");
    } else if (errno == ENOENT && !(flags & PARLEY_ARCHIVE_CREATE)) {
        return PERR(err, PARLEY_E_USAGE, path, 0, 0, NULL, "no such archive (a command run with --archive %s creates it)",
                    path);
    }
    parley_archive *a = calloc(1, sizeof *a);
    if (!a || !(a->path = pu_strdup(path))) {
        free(a);
        return PERR(err, PARLEY_E_NOMEM, path, 0, 0, NULL, "out of memory");
    }
    a->busy_ms = busy_ms ? busy_ms : 5000;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | ((flags & PARLEY_ARCHIVE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    /* Two processes creating the same new file race for its first switch to WAL, where SQLite may answer
     * BUSY without waiting, or an I/O error while the other's journal comes and goes: such an open is tried
     * again, whole, until the busy timeout has passed. Only the last try's diagnostics are kept. */
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    parley_status st;
    for (;;) {
        parley_error *attempt = parley_error_new();
        bool transient = false;
        st = open_once(a, oflags, attempt ? attempt : err, &transient);
        clock_gettime(CLOCK_MONOTONIC, &now);
        double waited = (double)(now.tv_sec - t0.tv_sec) * 1e3 + (double)(now.tv_nsec - t0.tv_nsec) * 1e-6;
        if (st == PARLEY_OK || !transient || waited >= a->busy_ms) {
            if (attempt) {
                for (size_t i = 0; i < parley_error_count(attempt); i++) {
                    const parley_diag *d = parley_error_at(attempt, i);
                    perr_add(err, d->severity, d->status, d->file, d->line, d->column, d->field, "%s", d->message);
                }
                parley_error_free(attempt);
            }
            break;
        }
        parley_error_free(attempt);
        sqlite3_close_v2(a->db);
        a->db = NULL;
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    if (st != PARLEY_OK) goto fail;
    *out = a;
    return PARLEY_OK;
fail:
    parley_archive_close(a);
    return st;
}

void parley_archive_close(parley_archive *a)
{
    if (!a) return;
    sqlite3_close_v2(a->db);
    free(a->path);
    free(a);
}

int parley_archive_schema(const parley_archive *a)
{
    return a ? a->schema : 0;
}

int64_t parley_archive_count(parley_archive *a, parley_error *err)
{
    int64_t n = 0;
    int rc = query_int(a, "SELECT count(*) FROM runs", &n);
    if (rc != SQLITE_OK) {
        arc_fail(a, rc, "counting the runs", err);
        return -1;
    }
    return n;
}

parley_status arc_check_run(parley_archive *a, int64_t id, parley_error *err)
{
    sqlite3_stmt *st = arc_prepare(a, "SELECT (SELECT count(*) FROM runs WHERE id = ?1), min(id), max(id) FROM runs", err);
    if (!st) return parley_error_status(err);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    parley_status out = PARLEY_OK;
    if (rc != SQLITE_ROW) out = arc_fail(a, rc, "reading the archive", err);
    else if (sqlite3_column_int64(st, 0) == 0) {
        if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            out = PERR(err, PARLEY_E_USAGE, a->path, 0, 0, NULL, "no run %lld: the archive holds no runs yet", (long long)id);
        else
            out = PERR(err, PARLEY_E_USAGE, a->path, 0, 0, NULL, "no run %lld: the archive holds runs %lld to %lld",
                       (long long)id, (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2));
    }
    sqlite3_finalize(st);
    return out;
}

/* Writes the date a run is recorded under: now, or SOURCE_DATE_EPOCH (reproducible builds' convention)
 * when set, so tests and imports of past revisions can name their own. */
static void now_iso(char buf[32])
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    time_t t = env && *env && strspn(env, "0123456789") == strlen(env) ? (time_t)strtoll(env, NULL, 10) : time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm)) snprintf(buf, 32, "1970-01-01T00:00:00Z");
}

char *parley_archive_name(const parley_scenario *s)
{
    const char *name = parley_scenario_text(s, PARLEY_TEXT_NAME);
    if (name && *name) return pu_strdup(name);
    const char *src = parley_scenario_source(s);
    if (src && strcmp(src, "-")) return pu_path_stem(src);
    return pu_strdup("unnamed scenario");
}

/* Returns the scenarios row of s's canonical JSON, inserting it when new; -1 on failure. */
static int64_t store_scenario(parley_archive *a, const parley_scenario *s, parley_error *err)
{
    char *json = parley_scenario_serialize(s, "json", err);
    char *name = parley_archive_name(s);
    int64_t id = -1;
    if (!json || !name) {
        if (json) PERR(err, PARLEY_E_NOMEM, a->path, 0, 0, NULL, "out of memory");
        goto done;
    }
    char hex[65];
    sha256_hex(json, strlen(json), hex);
    sqlite3_stmt *st = arc_prepare(a, "INSERT INTO scenarios (sha256, name, json) VALUES (?1, ?2, ?3) "
                                      "ON CONFLICT (sha256) DO NOTHING", err);
    if (!st) goto done;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        arc_fail(a, rc, "storing the scenario", err);
        goto done;
    }
    if (!(st = arc_prepare(a, "SELECT id FROM scenarios WHERE sha256 = ?1", err))) goto done;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    else arc_fail(a, rc, "storing the scenario", err);
    sqlite3_finalize(st);
done:
    free(json);
    free(name);
    return id;
}

static void bind_real(sqlite3_stmt *st, int col, double v)
{
    if (isfinite(v)) sqlite3_bind_double(st, col, v);
    else sqlite3_bind_null(st, col);
}

typedef struct writer {
    parley_archive *a;
    sqlite3_stmt *st;
    int64_t run, pos;
} writer;

static int put(writer *w, const char *part, const char *model, const char *issue, int headline, double v, double lo, double hi)
{
    sqlite3_reset(w->st);
    sqlite3_bind_int64(w->st, 1, w->run);
    sqlite3_bind_int64(w->st, 2, w->pos++);
    sqlite3_bind_text(w->st, 3, part, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(w->st, 4, model, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(w->st, 5, issue, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(w->st, 6, headline);
    bind_real(w->st, 7, v);
    bind_real(w->st, 8, lo);
    bind_real(w->st, 9, hi);
    int rc = sqlite3_step(w->st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static size_t headline_of(const parley_result *r)
{
    size_t h = parley_result_headline(r);
    return h == SIZE_MAX ? 0 : h;
}

/* Every forecast of r as rows of part; issues are named from s (a variant keeps the base's issues). */
static int put_result(writer *w, const parley_scenario *s, const char *part, const parley_result *r)
{
    size_t h = headline_of(r), n_issues = parley_scenario_issue_count(s);
    for (size_t i = 0; i < parley_result_forecast_count(r); i++) {
        size_t run, issue;
        double v, lo, hi;
        const char *note;
        if (!parley_result_forecast(r, i, &run, &issue, &v, &note) || issue >= n_issues) continue;
        parley_result_interval(r, run, issue, 0.8, &lo, &hi);
        int rc = put(w, part, parley_result_run_label(r, run), parley_issue_id(s, issue), run == h, v, lo, hi);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

/* The draws' median and 10%-90% range of every output. */
static int put_mc(writer *w, const parley_scenario *s, const parley_mc *mc)
{
    const parley_result *base = parley_mc_base(mc);
    if (!base || parley_mc_completed(mc) == 0 || parley_mc_input_count(mc) == 0) return SQLITE_OK;
    size_t h = headline_of(base), issues = parley_scenario_issue_count(s);
    for (size_t run = 0; run < parley_result_run_count(base); run++)
        for (size_t k = 0; k < issues; k++) {
            parley_mc_stats stats;
            if (!parley_mc_summary(mc, run, k, &stats)) return SQLITE_NOMEM;
            if (stats.n == 0) continue;
            int rc = put(w, "montecarlo", parley_result_run_label(base, run), parley_issue_id(s, k), run == h, stats.q[3],
                         stats.q[1], stats.q[5]);
            if (rc != SQLITE_OK) return rc;
        }
    return SQLITE_OK;
}

static char *options_json(const parley_archive_entry *e)
{
    jw w = {0};
    w.compact_depth = 1;
    jw_obj(&w);
    for (size_t i = 0; i < e->n_options; i++)
        if (e->option_names[i] && e->option_values[i]) jw_kstr(&w, e->option_names[i], e->option_values[i]);
    jw_obj_end(&w);
    return pu_buf_take(&w.out);
}

parley_status parley_archive_record(parley_archive *a, const parley_archive_entry *e, int64_t *id, parley_error *err)
{
    if (id) *id = 0;
    if (!a || !e || !e->command || !e->scenario || (!e->result && !e->mc) || (e->n_variants && !e->variant_results))
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, NULL, "parley_archive_record: a command, a scenario and a result are required");
    const parley_result *base = e->result ? e->result : parley_mc_base(e->mc);
    char date[32], seed[24];
    if (e->date) snprintf(date, sizeof date, "%s", e->date);
    else now_iso(date);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)e->seed);
    char *opts = options_json(e);
    if (!opts) return PERR(err, PARLEY_E_NOMEM, a->path, 0, 0, NULL, "out of memory");
    writer w = {a, NULL, 0, 0};
    parley_status out = PARLEY_OK;
    /* IMMEDIATE: the write lock is taken (or waited for) now, not at the first insert, so a busy archive is
     * met before anything is half done, and the busy timeout applies. */
    int rc = exec(a, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
        free(opts);
        return arc_fail(a, rc, "recording the run", err);
    }
    int64_t scen = store_scenario(a, e->scenario, err);
    if (scen < 0) {
        out = parley_error_status(err) ? parley_error_status(err) : PARLEY_E_IO;
        goto rollback;
    }
    sqlite3_stmt *st = arc_prepare(a, "INSERT INTO runs (date, command, scenario, source, input_sha256, options, seed, version) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err);
    if (!st) {
        out = parley_error_status(err);
        goto rollback;
    }
    sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->command, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, scen);
    sqlite3_bind_text(st, 4, parley_scenario_source(e->scenario), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, parley_scenario_sha256(e->scenario), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, opts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, seed, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, parley_version(), -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) goto failed;
    w.run = sqlite3_last_insert_rowid(a->db);
    if (!(w.st = arc_prepare(a, "INSERT INTO forecasts (run, pos, part, model, issue, headline, value, lo, hi) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err))) {
        out = parley_error_status(err);
        goto rollback;
    }
    if ((rc = put_result(&w, e->scenario, "base", base)) != SQLITE_OK) goto failed;
    for (size_t v = 0; v < e->n_variants; v++) {
        if (!e->variant_results[v]) continue;
        const char *vid = v < parley_variant_count(e->scenario) ? parley_variant_id(e->scenario, v) : NULL;
        char part[300];
        if (vid) snprintf(part, sizeof part, "variant:%s", vid);
        else snprintf(part, sizeof part, "variant:%zu", v + 1);
        if ((rc = put_result(&w, e->scenario, part, e->variant_results[v])) != SQLITE_OK) goto failed;
    }
    if (e->mc && (rc = put_mc(&w, e->scenario, e->mc)) != SQLITE_OK) goto failed;
    sqlite3_finalize(w.st);
    w.st = NULL;
    if ((rc = exec(a, "COMMIT")) != SQLITE_OK) goto failed;
    free(opts);
    if (id) *id = w.run;
    return PARLEY_OK;
failed:
    out = arc_fail(a, rc, "recording the run", err);
rollback:
    sqlite3_finalize(w.st);
    exec(a, "ROLLBACK");
    free(opts);
    return out;
}

parley_status parley_archive_scenario(parley_archive *a, int64_t id, parley_scenario **out, parley_error *err)
{
    *out = NULL;
    parley_status st = arc_check_run(a, id, err);
    if (st != PARLEY_OK) return st;
    sqlite3_stmt *q = arc_prepare(a, "SELECT s.json, s.name FROM runs r JOIN scenarios s ON s.id = r.scenario WHERE r.id = ?1", err);
    if (!q) return parley_error_status(err);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *json = arc_text(q, 0);
        parley_read_options o = {"json", NULL};
        parley_error *inner = parley_error_new();
        st = inner ? parley_read_buffer(json, strlen(json), NULL, &o, out, inner) : PARLEY_E_NOMEM;
        if (st != PARLEY_OK)
            PERR(err, PARLEY_E_INVALID, a->path, 0, 0, NULL, "run %lld: the stored scenario \"%s\" no longer reads: %s",
                 (long long)id, arc_text(q, 1), parley_status_message(st));
        parley_error_free(inner);
        if (st != PARLEY_OK) st = PARLEY_E_INVALID;
    } else {
        st = arc_fail(a, rc, "reading the archive", err);
    }
    sqlite3_finalize(q);
    return st;
}
