/* test_archive.c - the run archive: schema and migrations, storage, safety under concurrency, the views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

/* A fresh folder per test, removed afterwards. */
typedef struct fixture {
    char dir[64], db[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/parley-archive-XXXXXX");
    if (!f || !mkdtemp(f->dir)) return -1;
    snprintf(f->db, sizeof f->db, "%s/runs.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Two actors on one issue; A's position is `pos`, so each value is a revision of the same scenario. */
static parley_scenario *revision(double pos)
{
    char json[512];
    snprintf(json, sizeof json,
             "{\"name\": \"toy talks\", \"issues\": [{\"id\": \"p\", \"low\": 0, \"high\": 100}],"
             " \"actors\": [{\"id\": \"A\"}, {\"id\": \"B\"}],"
             " \"stances\": [{\"actor\": \"A\", \"issue\": \"p\", \"position\": %g, \"salience\": 0.8},"
             " {\"actor\": \"B\", \"issue\": \"p\", \"position\": 80, \"salience\": 0.5}]}",
             pos);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(json, strlen(json), "toy.json", NULL, &s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

static parley_archive *open_ok(const char *path, unsigned flags)
{
    parley_error *err = parley_error_new();
    parley_archive *a = NULL;
    parley_status st = parley_archive_open(path, flags, 0, &a, err);
    if (st != PARLEY_OK) {
        char buf[512];
        parley_diag_format(parley_error_at(err, 0), buf, sizeof buf);
        fail_msg("open %s: %s", path, buf);
    }
    parley_error_free(err);
    return a;
}

/* Records one forecast run of s (models median and mean) dated date; returns its id. */
static int64_t record(parley_archive *a, const parley_scenario *s, const char *date)
{
    parley_result *r = run_spec(s, "median,mean", 1);
    const char *names[] = {"models"}, *values[] = {"median,mean"};
    parley_archive_entry e = {"forecast", s, date, names, values, 1, 1, r, NULL, 0, NULL};
    parley_error *err = parley_error_new();
    int64_t id = 0;
    assert_int_equal(parley_archive_record(a, &e, &id, err), PARLEY_OK);
    parley_error_free(err);
    parley_result_free(r);
    return id;
}

static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static void a_new_archive_has_the_current_schema_in_wal_mode(void **state)
{
    fixture *f = *state;
    parley_archive *a = open_ok(f->db, PARLEY_ARCHIVE_CREATE);
    assert_int_equal(parley_archive_schema(a), PARLEY_ARCHIVE_SCHEMA);
    parley_archive_close(a);
    assert_int_equal(sql_int(f->db, "PRAGMA user_version"), PARLEY_ARCHIVE_SCHEMA);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void a_missing_archive_is_an_error_unless_asked_to_create_it(void **state)
{
    fixture *f = *state;
    parley_error *err = parley_error_new();
    parley_archive *a = NULL;
    assert_int_equal(parley_archive_open(f->db, 0, 0, &a, err), PARLEY_E_USAGE);
    assert_null(a);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "no such archive"));
    assert_int_equal(access(f->db, F_OK), -1); /* and no file was made */
    assert_int_equal(parley_archive_open(f->dir, PARLEY_ARCHIVE_CREATE, 0, &a, err), PARLEY_E_USAGE); /* a folder */
    parley_error_free(err);
}

static void a_scenario_is_stored_once_per_distinct_content(void **state)
{
    fixture *f = *state;
    parley_archive *a = open_ok(f->db, PARLEY_ARCHIVE_CREATE);
    parley_scenario *s1 = revision(20), *s2 = revision(30);
    assert_int_equal(record(a, s1, "2025-01-01T00:00:00Z"), 1);
    assert_int_equal(record(a, s1, "2025-01-02T00:00:00Z"), 2);
    assert_int_equal(record(a, s2, "2025-01-03T00:00:00Z"), 3);
    parley_error *err = parley_error_new();
    assert_int_equal(parley_archive_count(a, err), 3);
    parley_archive_close(a);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM scenarios"), 2);
    /* two models on one issue: two forecast rows per run */
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM forecasts WHERE run = 3"), 2);
    /* the stored scenario reads back to the same canonical JSON */
    a = open_ok(f->db, 0);
    parley_scenario *back = NULL;
    assert_int_equal(parley_archive_scenario(a, 3, &back, err), PARLEY_OK);
    char *j1 = parley_scenario_serialize(s2, "json", err), *j2 = parley_scenario_serialize(back, "json", err);
    assert_string_equal(j1, j2);
    free(j1), free(j2);
    parley_scenario_free(back);
    parley_scenario_free(s1), parley_scenario_free(s2);
    parley_archive_close(a);
    parley_error_free(err);
}

/* Schema 1 exactly as the first parley archive wrote it: the migration must take it to 2 and keep its runs. */
static void a_version_1_archive_is_migrated_to_version_2_keeping_its_runs(void **state)
{
    fixture *f = *state;
    sql_exec(f->db,
             "PRAGMA application_id = 1886547065;"
             "CREATE TABLE scenarios (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL, json TEXT NOT NULL);"
             "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, date TEXT NOT NULL, command TEXT NOT NULL,"
             " scenario INTEGER NOT NULL REFERENCES scenarios(id), source TEXT, input_sha256 TEXT,"
             " options TEXT NOT NULL, seed TEXT NOT NULL, version TEXT NOT NULL);"
             "CREATE TABLE forecasts (run INTEGER NOT NULL REFERENCES runs(id), pos INTEGER NOT NULL,"
             " part TEXT NOT NULL, model TEXT NOT NULL, issue TEXT NOT NULL, headline INTEGER NOT NULL,"
             " value REAL, lo REAL, hi REAL, PRIMARY KEY (run, pos)) WITHOUT ROWID;"
             "INSERT INTO scenarios VALUES (1, 'abc', 'old talks', '{}');"
             "INSERT INTO runs VALUES (1, '2024-05-01T00:00:00Z', 'forecast', 1, NULL, NULL, '{}', '7', '0.0.9');"
             "INSERT INTO forecasts VALUES (1, 0, 'base', 'median', 'p', 1, 42.5, NULL, NULL);"
             "PRAGMA user_version = 1;");
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'runs_by_scenario'"), 0);
    parley_archive *a = open_ok(f->db, 0);
    assert_int_equal(parley_archive_schema(a), 2);
    parley_error *err = parley_error_new();
    char *list = parley_archive_list(a, "json", err);
    assert_non_null(list);
    assert_non_null(strstr(list, "\"scenario\": \"old talks\""));
    assert_non_null(strstr(list, "\"seed\": 7"));
    free(list);
    /* a run recorded after the migration takes the next id */
    parley_scenario *s = revision(10);
    assert_int_equal(record(a, s, NULL), 2);
    parley_scenario_free(s);
    parley_archive_close(a);
    parley_error_free(err);
    assert_int_equal(sql_int(f->db, "PRAGMA user_version"), 2);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'runs_by_scenario'"), 1);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM forecasts WHERE run = 1 AND value = 42.5"), 1);
}

static void expect_refused(const char *path, parley_status want, const char *words)
{
    parley_error *err = parley_error_new();
    parley_archive *a = NULL;
    assert_int_equal(parley_archive_open(path, PARLEY_ARCHIVE_CREATE, 0, &a, err), want);
    assert_null(a);
    const parley_diag *d = parley_error_at(err, 0);
    assert_non_null(d);
    assert_string_equal(d->file, path);
    if (!strstr(d->message, words)) fail_msg("expected \"%s\" in: %s", words, d->message);
    parley_error_free(err);
}

static void a_foreign_or_newer_or_non_sqlite_file_is_refused_and_left_alone(void **state)
{
    fixture *f = *state;
    sql_exec(f->db, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');");
    expect_refused(f->db, PARLEY_E_INVALID, "another program");
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master"), 1); /* nothing added */

    char text[160];
    snprintf(text, sizeof text, "%s/notes.db", f->dir);
    FILE *fp = fopen(text, "w");
    fputs("these are my notes, not a database, and they must stay as they are\n", fp);
    fclose(fp);
    expect_refused(text, PARLEY_E_INVALID, "not an SQLite database");
    fp = fopen(text, "r");
    char line[128];
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_non_null(strstr(line, "must stay as they are"));

    char newer[160];
    snprintf(newer, sizeof newer, "%s/newer.db", f->dir);
    parley_archive *a = open_ok(newer, PARLEY_ARCHIVE_CREATE);
    parley_archive_close(a);
    sql_exec(newer, "PRAGMA user_version = 9;");
    expect_refused(newer, PARLEY_E_INVALID, "newer than this parley reads");
}

static void a_locked_archive_waits_then_fails_recording_nothing(void **state)
{
    fixture *f = *state;
    parley_archive *a = NULL;
    parley_error *err = parley_error_new();
    assert_int_equal(parley_archive_open(f->db, PARLEY_ARCHIVE_CREATE, 100, &a, err), PARLEY_OK);
    sqlite3 *other;
    assert_int_equal(sqlite3_open(f->db, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    parley_scenario *s = revision(40);
    parley_result *r = run_spec(s, "median", 1);
    parley_archive_entry e = {"forecast", s, NULL, NULL, NULL, 0, 1, r, NULL, 0, NULL};
    assert_int_equal(parley_archive_record(a, &e, NULL, err), PARLEY_E_USAGE);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "locked by another process"));
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    parley_error_clear(err);
    assert_int_equal(parley_archive_count(a, err), 0);
    int64_t id = 0;
    assert_int_equal(parley_archive_record(a, &e, &id, err), PARLEY_OK); /* free again: it records */
    assert_int_equal(id, 1);
    parley_result_free(r);
    parley_scenario_free(s);
    parley_archive_close(a);
    parley_error_free(err);
}

/* Two processes, each opening the archive itself (a new file: both may race to create it) and recording 50
 * runs as fast as they can: all 100 must be there, with their forecasts. */
static void two_processes_recording_at_once_lose_nothing(void **state)
{
    fixture *f = *state;
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            parley_error *err = parley_error_new();
            parley_archive *a = NULL;
            int bad = parley_archive_open(f->db, PARLEY_ARCHIVE_CREATE, 30000, &a, err) != PARLEY_OK;
            parley_scenario *s = revision(k ? 25 : 75);
            parley_result *r = run_spec(s, "median,mean", 1);
            for (int i = 0; i < 50 && !bad; i++) {
                parley_archive_entry e = {"forecast", s, NULL, NULL, NULL, 0, (uint64_t)i, r, NULL, 0, NULL};
                bad = parley_archive_record(a, &e, NULL, err) != PARLEY_OK;
            }
            if (bad && parley_error_count(err)) fprintf(stderr, "child %d: %s\n", k, parley_error_at(err, 0)->message);
            parley_archive_close(a);
            _exit(bad);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM runs"), 100);
    assert_int_equal(sql_int(f->db, "SELECT count(DISTINCT id) FROM runs"), 100);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM forecasts"), 200);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM scenarios"), 2);
    assert_int_equal(sql_int(f->db, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), 1);
}

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* A writer killed at any moment (SIGKILL: no handler, no cleanup) leaves an archive that opens, passes the
 * integrity check and holds only whole runs: each with both its forecasts. */
static void a_writer_killed_mid_run_leaves_only_whole_runs(void **state)
{
    fixture *f = *state;
    parley_archive_close(open_ok(f->db, PARLEY_ARCHIVE_CREATE));
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        parley_error *err = parley_error_new();
        parley_archive *a = NULL;
        if (parley_archive_open(f->db, 0, 0, &a, err) != PARLEY_OK) _exit(1);
        parley_scenario *s = revision(50);
        parley_result *r = run_spec(s, "median,mean", 1);
        for (uint64_t i = 0;; i++) {
            parley_archive_entry e = {"forecast", s, NULL, NULL, NULL, 0, i, r, NULL, 0, NULL};
            if (parley_archive_record(a, &e, NULL, err) != PARLEY_OK) _exit(1);
        }
    }
    /* let it record some runs first */
    for (int waited = 0; waited < 200 && sql_int(f->db, "SELECT count(*) FROM runs") < 5; waited++) pause_ms(10);
    pause_ms(3);
    kill(kid, SIGKILL);
    int status;
    assert_int_equal(waitpid(kid, &status, 0), kid);
    assert_true(WIFSIGNALED(status));
    parley_archive *a = open_ok(f->db, 0);
    parley_error *err = parley_error_new();
    int64_t n = parley_archive_count(a, err);
    parley_archive_close(a);
    parley_error_free(err);
    assert_true(n >= 5);
    assert_int_equal(sql_int(f->db, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), 1);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM forecasts"), 2 * n);
    assert_int_equal(sql_int(f->db, "SELECT count(*) FROM runs r WHERE (SELECT count(*) FROM forecasts WHERE run = r.id) != 2"), 0);
}

static void show_and_diff_name_the_run_and_what_moved(void **state)
{
    fixture *f = *state;
    parley_archive *a = open_ok(f->db, PARLEY_ARCHIVE_CREATE);
    parley_scenario *s1 = revision(20), *s2 = revision(60);
    record(a, s1, "2025-01-01T00:00:00Z");
    record(a, s2, "2025-01-08T00:00:00Z");
    parley_error *err = parley_error_new();
    char *show = parley_archive_show(a, 2, "text", err);
    assert_non_null(show);
    assert_non_null(strstr(show, "run 2: parley forecast, 2025-01-08T00:00:00Z"));
    assert_non_null(strstr(show, "models=median,mean"));
    free(show);
    char *diff = parley_archive_diff(a, 1, 2, "text", err);
    assert_non_null(diff);
    assert_non_null(strstr(diff, "stance A/p/position: 20 -> 60"));
    free(diff);
    diff = parley_archive_diff(a, 1, 2, "json", err);
    assert_non_null(diff);
    assert_non_null(strstr(diff, "{\"what\": \"stance\", \"name\": \"A/p/position\", \"from\": \"20\", \"to\": \"60\"}"));
    /* median of 20 and 80 with saliences 0.8, 0.5 is A's 20; then 60: the median moved by +40 */
    assert_non_null(strstr(diff, "\"model\": \"median\", \"issue\": \"p\", \"from\": 20, \"to\": 60, \"change\": 40"));
    free(diff);
    assert_null(parley_archive_show(a, 7, "text", err));
    assert_int_equal(parley_error_status(err), PARLEY_E_USAGE);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "no run 7: the archive holds runs 1 to 2"));
    parley_error_clear(err);
    assert_null(parley_archive_diff(a, 1, 3, "text", err));
    assert_int_equal(parley_error_status(err), PARLEY_E_USAGE);
    parley_scenario_free(s1), parley_scenario_free(s2);
    parley_archive_close(a);
    parley_error_free(err);
}

static void trend_follows_the_headline_over_the_dates_of_three_revisions(void **state)
{
    fixture *f = *state;
    parley_archive *a = open_ok(f->db, PARLEY_ARCHIVE_CREATE);
    double pos[] = {20, 40, 60};
    const char *dates[] = {"2025-01-15T00:00:00Z", "2025-01-01T00:00:00Z", "2025-01-08T00:00:00Z"};
    for (int i = 0; i < 3; i++) {
        parley_scenario *s = revision(pos[i]);
        record(a, s, dates[i]);
        parley_scenario_free(s);
    }
    parley_error *err = parley_error_new();
    char *json = parley_archive_trend(a, "toy talks", "json", err);
    assert_non_null(json);
    /* by date, not by id: run 2 (Jan 1), 3 (Jan 8), 1 (Jan 15); the headline is the first model (median) */
    const char *r2 = strstr(json, "\"id\": 2"), *r3 = strstr(json, "\"id\": 3"), *r1 = strstr(json, "\"id\": 1");
    assert_true(r2 && r3 && r1 && r2 < r3 && r3 < r1);
    assert_non_null(strstr(json, "{\"issue\": \"p\", \"model\": \"median\", \"value\": 40, \"lo\": null, \"hi\": null}"));
    free(json);
    char *svg = parley_archive_trend(a, "toy talks", "svg", err);
    assert_non_null(svg);
    assert_int_equal(strncmp(svg, "<svg", 4), 0);
    assert_non_null(strstr(svg, "<polyline"));
    assert_non_null(strstr(svg, "run 3, 2025-01-08, median: 60"));
    free(svg);
    assert_null(parley_archive_trend(a, "toy", "text", err));
    assert_int_equal(parley_error_status(err), PARLEY_E_USAGE);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "the archive holds runs of \"toy talks\""));
    parley_archive_close(a);
    parley_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_new_archive_has_the_current_schema_in_wal_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(a_missing_archive_is_an_error_unless_asked_to_create_it, setup, teardown),
        cmocka_unit_test_setup_teardown(a_scenario_is_stored_once_per_distinct_content, setup, teardown),
        cmocka_unit_test_setup_teardown(a_version_1_archive_is_migrated_to_version_2_keeping_its_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(a_foreign_or_newer_or_non_sqlite_file_is_refused_and_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(a_locked_archive_waits_then_fails_recording_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(two_processes_recording_at_once_lose_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(a_writer_killed_mid_run_leaves_only_whole_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(show_and_diff_name_the_run_and_what_moved, setup, teardown),
        cmocka_unit_test_setup_teardown(trend_follows_the_headline_over_the_dates_of_three_revisions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
