/* views.c - the archive read back: the list of runs, one run whole, and what changed between two. */
#include "archive_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "../core/util.h"
#include "../report/report_internal.h"

static bool format_ok(const char *format, bool svg, parley_error *err)
{
    if (!strcmp(format, "text") || !strcmp(format, "json") || (svg && !strcmp(format, "svg"))) return true;
    PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--format", "expected %s, found \"%s\"", svg ? "text, json or svg" : "text or json",
         format);
    return false;
}

static char *take(pu_buf *b, parley_error *err)
{
    char *t = pu_buf_take(b);
    if (!t) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return t;
}

/* Ends a view that wrote JSON into w (an open array inside an object) or text into b, after a statement
 * that stopped with rc: the finished text of the one asked for, or NULL with err filled when rc is not
 * SQLITE_DONE. Frees the other. */
static char *finish(const parley_archive *a, int rc, bool json, jw *w, pu_buf *b, parley_error *err)
{
    if (rc != SQLITE_DONE) {
        arc_fail(a, rc, "reading the archive", err);
        pu_buf_free(b);
        pu_buf_free(&w->out);
        return NULL;
    }
    if (!json) {
        pu_buf_free(&w->out);
        return take(b, err);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    pu_buf_puts(&w->out, "\n");
    pu_buf_free(b);
    return take(&w->out, err);
}

/* Appends text read from the archive (names come from scenario files) safe for a terminal. */
static void put_clean(pu_buf *b, const char *s)
{
    pu_buf_escaped(b, s);
}

/* Appends s padded to width columns (counted in bytes; ids and dates are ASCII). */
static void put_col(pu_buf *b, const char *s, int width)
{
    pu_buf t = {0};
    pu_buf_escaped(&t, s);
    const char *txt = t.data ? t.data : "";
    pu_buf_printf(b, "%-*s", width, txt);
    pu_buf_free(&t);
}

/* The options column of runs as JSON members of the object open in w. */
static void json_options(jw *w, const char *options)
{
    json_t *o = json_loads(options, 0, NULL);
    const char *k;
    json_t *v;
    jw_key(w, "options");
    jw_obj(w);
    if (json_is_object(o))
        json_object_foreach(o, k, v) jw_kstr(w, k, json_is_string(v) ? json_string_value(v) : "");
    jw_obj_end(w);
    json_decref(o);
}

static void text_options(pu_buf *b, const char *options)
{
    json_t *o = json_loads(options, 0, NULL);
    const char *k;
    json_t *v;
    bool any = false;
    if (json_is_object(o))
        json_object_foreach(o, k, v) {
            pu_buf_puts(b, any ? ", " : "");
            put_clean(b, k);
            pu_buf_puts(b, "=");
            put_clean(b, json_is_string(v) ? json_string_value(v) : "");
            any = true;
        }
    if (!any) pu_buf_puts(b, "(defaults)");
    json_decref(o);
}

#define RUN_COLUMNS "r.id, r.date, r.command, s.name, s.sha256, r.source, r.seed, r.version, r.options, r.input_sha256"

char *parley_archive_list(parley_archive *a, const char *format, parley_error *err)
{
    if (!format_ok(format, false, err)) return NULL;
    sqlite3_stmt *st = arc_prepare(a, "SELECT " RUN_COLUMNS " FROM runs r JOIN scenarios s ON s.id = r.scenario "
                                      "ORDER BY r.id", err);
    if (!st) return NULL;
    bool json = !strcmp(format, "json");
    jw w = {0};
    pu_buf b = {0};
    if (json) {
        jw_obj(&w);
        jw_key(&w, "runs");
        jw_arr(&w);
    } else {
        pu_buf_printf(&b, "%-5s %-20s  %-11s %-6s %-12s  %s\n", "id", "date", "command", "seed", "sha256", "scenario");
    }
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        if (json) {
            jw_obj(&w);
            jw_kint(&w, "id", sqlite3_column_int64(st, 0));
            jw_kstr(&w, "date", arc_text(st, 1));
            jw_kstr(&w, "scenario", arc_text(st, 3));
            jw_kstr(&w, "command", arc_text(st, 2));
            jw_kstr(&w, "sha256", arc_text(st, 4));
            jw_kstr(&w, "source", sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : arc_text(st, 5));
            jw_kuint(&w, "seed", strtoull(arc_text(st, 6), NULL, 10));
            jw_kstr(&w, "version", arc_text(st, 7));
            json_options(&w, arc_text(st, 8));
            jw_obj_end(&w);
        } else {
            char sha[13];
            snprintf(sha, sizeof sha, "%s", arc_text(st, 4));
            pu_buf_printf(&b, "%-5lld %-20s  ", (long long)sqlite3_column_int64(st, 0), arc_text(st, 1));
            put_col(&b, arc_text(st, 2), 11);
            pu_buf_printf(&b, " %-6s %-12s  ", arc_text(st, 6), sha);
            put_clean(&b, arc_text(st, 3));
            pu_buf_puts(&b, "\n");
        }
    }
    sqlite3_finalize(st);
    if (!json && n == 0) pu_buf_puts(&b, "(no runs yet: run a command with --archive FILE.db)\n");
    return finish(a, rc, json, &w, &b, err);
}

/* One run's row of runs, stepped; NULL with err filled when it does not exist. */
static sqlite3_stmt *run_row(parley_archive *a, int64_t id, parley_error *err)
{
    if (arc_check_run(a, id, err) != PARLEY_OK) return NULL;
    sqlite3_stmt *st = arc_prepare(a, "SELECT " RUN_COLUMNS " FROM runs r JOIN scenarios s ON s.id = r.scenario WHERE r.id = ?1",
                                   err);
    if (!st) return NULL;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        arc_fail(a, rc, "reading the archive", err);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static sqlite3_stmt *forecast_rows(parley_archive *a, int64_t id, parley_error *err)
{
    sqlite3_stmt *st = arc_prepare(a, "SELECT part, model, issue, headline, value, lo, hi FROM forecasts WHERE run = ?1 ORDER BY pos",
                                   err);
    if (st) sqlite3_bind_int64(st, 1, id);
    return st;
}

char *parley_archive_show(parley_archive *a, int64_t id, const char *format, parley_error *err)
{
    if (!format_ok(format, false, err)) return NULL;
    sqlite3_stmt *r = run_row(a, id, err);
    if (!r) return NULL;
    sqlite3_stmt *f = forecast_rows(a, id, err);
    if (!f) {
        sqlite3_finalize(r);
        return NULL;
    }
    bool json = !strcmp(format, "json");
    jw w = {0};
    pu_buf b = {0};
    if (json) {
        jw_obj(&w);
        jw_kint(&w, "id", id);
        jw_kstr(&w, "date", arc_text(r, 1));
        jw_kstr(&w, "scenario", arc_text(r, 3));
        jw_kstr(&w, "command", arc_text(r, 2));
        jw_kstr(&w, "sha256", arc_text(r, 4));
        jw_kstr(&w, "source", sqlite3_column_type(r, 5) == SQLITE_NULL ? NULL : arc_text(r, 5));
        jw_kstr(&w, "input_sha256", sqlite3_column_type(r, 9) == SQLITE_NULL ? NULL : arc_text(r, 9));
        jw_kuint(&w, "seed", strtoull(arc_text(r, 6), NULL, 10));
        jw_kstr(&w, "version", arc_text(r, 7));
        json_options(&w, arc_text(r, 8));
        jw_key(&w, "forecasts");
        jw_arr(&w);
    } else {
        pu_buf_printf(&b, "run %lld: parley %s, %s\nscenario  ", (long long)id, arc_text(r, 2), arc_text(r, 1));
        put_clean(&b, arc_text(r, 3));
        pu_buf_printf(&b, " (sha256 %.12s", arc_text(r, 4));
        if (sqlite3_column_type(r, 5) != SQLITE_NULL) {
            pu_buf_puts(&b, ", read from ");
            put_clean(&b, arc_text(r, 5));
        }
        pu_buf_printf(&b, ")\noptions   ");
        text_options(&b, arc_text(r, 8));
        pu_buf_printf(&b, "; seed %s; parley %s\n", arc_text(r, 6), arc_text(r, 7));
    }
    int rc;
    char last_part[320] = "";
    while ((rc = sqlite3_step(f)) == SQLITE_ROW) {
        double v = arc_real(f, 4), lo = arc_real(f, 5), hi = arc_real(f, 6);
        if (json) {
            jw_obj(&w);
            w.compact_depth = w.depth;
            jw_kstr(&w, "part", arc_text(f, 0));
            jw_kstr(&w, "model", arc_text(f, 1));
            jw_kstr(&w, "issue", arc_text(f, 2));
            jw_kbool(&w, "headline", sqlite3_column_int(f, 3) != 0);
            jw_knum(&w, "value", v);
            jw_knum(&w, "lo", lo);
            jw_knum(&w, "hi", hi);
            jw_obj_end(&w);
            w.compact_depth = 0;
            continue;
        }
        if (strcmp(last_part, arc_text(f, 0))) {
            snprintf(last_part, sizeof last_part, "%s", arc_text(f, 0));
            pu_buf_puts(&b, "\n");
            put_clean(&b, last_part);
            pu_buf_printf(&b, " (* the headline)\n  %-14s %-24s %10s  %s\n", "issue", "model", "forecast", "80% interval");
        }
        char vs[32], los[32], his[32];
        report_fmt(vs, sizeof vs, v);
        report_fmt(los, sizeof los, lo);
        report_fmt(his, sizeof his, hi);
        pu_buf_puts(&b, "  ");
        put_col(&b, arc_text(f, 2), 14);
        pu_buf_puts(&b, " ");
        put_col(&b, arc_text(f, 1), 22);
        pu_buf_printf(&b, "%s %10s", sqlite3_column_int(f, 3) ? " *" : "  ", vs);
        if (isfinite(lo)) pu_buf_printf(&b, "  %s to %s", los, his);
        pu_buf_puts(&b, "\n");
    }
    sqlite3_finalize(r);
    sqlite3_finalize(f);
    return finish(a, rc, json, &w, &b, err);
}

/* ---- diff ---- */

/* One input that differs: what ("option", "actor", "stance"...), its name, and the two values as text
 * (NULL: absent on that side). */
typedef struct change {
    char *what, *name, *from, *to;
} change;

typedef struct changes {
    change *v;
    size_t n, cap;
    bool failed;
} changes;

static void add_change(changes *c, const char *what, const char *name, const char *from, const char *to)
{
    if (from && to && !strcmp(from, to)) return;
    if (!pu_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v)) {
        c->failed = true;
        return;
    }
    change *x = &c->v[c->n++];
    x->what = pu_strdup(what);
    x->name = pu_strdup(name);
    x->from = from ? pu_strdup(from) : NULL;
    x->to = to ? pu_strdup(to) : NULL;
}

static void add_number(changes *c, const char *what, const char *name, double from, double to)
{
    if (from == to || (isnan(from) && isnan(to))) return;
    char a[40], b[40];
    pu_fmt_double(a, sizeof a, from);
    pu_fmt_double(b, sizeof b, to);
    add_change(c, what, name, isnan(from) ? NULL : a, isnan(to) ? NULL : b);
}

static void changes_free(changes *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->v[i].what), free(c->v[i].name), free(c->v[i].from), free(c->v[i].to);
    free(c->v);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Every actor, issue and stance number that differs between scenarios x and y. */
static void diff_scenarios(changes *c, const parley_scenario *x, const parley_scenario *y)
{
    size_t ignored; /* the finders need somewhere to put an index */
    add_change(c, "scenario", "name", or_empty(parley_scenario_text(x, PARLEY_TEXT_NAME)), or_empty(parley_scenario_text(y, PARLEY_TEXT_NAME)));
    add_change(c, "scenario", "date", or_empty(parley_scenario_text(x, PARLEY_TEXT_DATE)), or_empty(parley_scenario_text(y, PARLEY_TEXT_DATE)));
    static const char *const issue_fields[] = {"low", "high", "reference", "outcome"};
    char name[512];
    for (size_t k = 0; k < parley_scenario_issue_count(x); k++) {
        size_t k2;
        const char *id = parley_issue_id(x, k);
        if (!parley_scenario_find_issue(y, id, &k2)) {
            add_change(c, "issue", id, "present", NULL);
            continue;
        }
        for (int f = 0; f < 4; f++) {
            snprintf(name, sizeof name, "%s/%s", id, issue_fields[f]);
            add_number(c, "issue", name, parley_issue_number(x, k, (parley_issue_field)f), parley_issue_number(y, k2, (parley_issue_field)f));
        }
    }
    for (size_t k = 0; k < parley_scenario_issue_count(y); k++)
        if (!parley_scenario_find_issue(x, parley_issue_id(y, k), &ignored)) add_change(c, "issue", parley_issue_id(y, k), NULL, "present");
    for (size_t i = 0; i < parley_scenario_actor_count(x); i++) {
        size_t i2;
        const char *id = parley_actor_id(x, i);
        if (!parley_scenario_find_actor(y, id, &i2)) {
            add_change(c, "actor", id, "present", NULL);
            continue;
        }
        snprintf(name, sizeof name, "%s/capability", id);
        add_number(c, "actor", name, parley_actor_capability(x, i), parley_actor_capability(y, i2));
        for (size_t k = 0; k < parley_scenario_issue_count(x); k++) {
            size_t k2;
            if (!parley_scenario_find_issue(y, parley_issue_id(x, k), &k2)) continue;
            double p1, s1, c1, p2, s2, c2;
            bool in1 = parley_stance(x, i, k, &p1, &s1, &c1), in2 = parley_stance(y, i2, k2, &p2, &s2, &c2);
            snprintf(name, sizeof name, "%s/%s", id, parley_issue_id(x, k));
            if (in1 != in2) {
                add_change(c, "stance", name, in1 ? "present" : NULL, in2 ? "present" : NULL);
                continue;
            }
            if (!in1) continue;
            static const char *const fields[] = {"position", "salience", "capability"};
            double from[] = {p1, s1, c1}, to[] = {p2, s2, c2};
            /* an effective capability that only follows the actor's is said once, on the actor */
            bool own_cap = c1 != parley_actor_capability(x, i) || c2 != parley_actor_capability(y, i2);
            for (int f = 0; f < (own_cap ? 3 : 2); f++) {
                snprintf(name, sizeof name, "%s/%s/%s", id, parley_issue_id(x, k), fields[f]);
                add_number(c, "stance", name, from[f], to[f]);
            }
        }
        for (size_t k = 0; k < parley_scenario_issue_count(y); k++) {
            if (parley_scenario_find_issue(x, parley_issue_id(y, k), &ignored)) continue;
            if (!parley_stance(y, i2, k, NULL, NULL, NULL)) continue;
            snprintf(name, sizeof name, "%s/%s", id, parley_issue_id(y, k));
            add_change(c, "stance", name, NULL, "present");
        }
    }
    for (size_t i = 0; i < parley_scenario_actor_count(y); i++)
        if (!parley_scenario_find_actor(x, parley_actor_id(y, i), &ignored)) add_change(c, "actor", parley_actor_id(y, i), NULL, "present");
    size_t nv1 = parley_variant_count(x), nv2 = parley_variant_count(y);
    for (size_t v = 0; v < nv1; v++) {
        bool found = false;
        for (size_t u = 0; u < nv2 && !found; u++) found = !strcmp(parley_variant_id(x, v), parley_variant_id(y, u));
        if (!found) add_change(c, "variant", parley_variant_id(x, v), "present", NULL);
    }
    for (size_t u = 0; u < nv2; u++) {
        bool found = false;
        for (size_t v = 0; v < nv1 && !found; v++) found = !strcmp(parley_variant_id(x, v), parley_variant_id(y, u));
        if (!found) add_change(c, "variant", parley_variant_id(y, u), NULL, "present");
    }
}

static void diff_options(changes *c, const char *x, const char *y)
{
    json_t *ox = json_loads(x, 0, NULL), *oy = json_loads(y, 0, NULL);
    const char *k;
    json_t *v;
    if (json_is_object(ox))
        json_object_foreach(ox, k, v) {
            json_t *w = json_object_get(oy, k);
            add_change(c, "option", k, json_string_value(v), json_string_value(w));
        }
    if (json_is_object(oy))
        json_object_foreach(oy, k, v) if (!json_object_get(ox, k)) add_change(c, "option", k, NULL, json_string_value(v));
    json_decref(ox);
    json_decref(oy);
}

/* A forecast row of either run, matched by part, model and issue. */
typedef struct moved {
    char *part, *model, *issue;
    double from, to;
    bool in_from, in_to;
} moved;

static parley_status collect_forecasts(parley_archive *a, int64_t id, bool is_to, moved **rows, size_t *n, size_t *cap,
                                       parley_error *err)
{
    sqlite3_stmt *f = forecast_rows(a, id, err);
    if (!f) return parley_error_status(err);
    int rc;
    while ((rc = sqlite3_step(f)) == SQLITE_ROW) {
        moved *m = NULL;
        for (size_t i = 0; i < *n && !m; i++)
            if (!strcmp((*rows)[i].part, arc_text(f, 0)) && !strcmp((*rows)[i].model, arc_text(f, 1)) &&
                !strcmp((*rows)[i].issue, arc_text(f, 2)))
                m = &(*rows)[i];
        if (!m) {
            if (!pu_grow((void **)rows, cap, *n + 1, sizeof **rows)) {
                sqlite3_finalize(f);
                return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
            }
            m = &(*rows)[(*n)++];
            *m = (moved){pu_strdup(arc_text(f, 0)), pu_strdup(arc_text(f, 1)), pu_strdup(arc_text(f, 2)), NAN, NAN, false, false};
        }
        if (is_to) m->to = arc_real(f, 4), m->in_to = true;
        else m->from = arc_real(f, 4), m->in_from = true;
    }
    sqlite3_finalize(f);
    return rc == SQLITE_DONE ? PARLEY_OK : arc_fail(a, rc, "reading the archive", err);
}

char *parley_archive_diff(parley_archive *a, int64_t from, int64_t to, const char *format, parley_error *err)
{
    if (!format_ok(format, false, err)) return NULL;
    sqlite3_stmt *x = run_row(a, from, err), *y = x ? run_row(a, to, err) : NULL;
    parley_scenario *sx = NULL, *sy = NULL;
    changes c = {0};
    moved *rows = NULL;
    size_t n = 0, cap = 0;
    char *out = NULL;
    if (!x || !y) goto done;
    add_change(&c, "command", "command", arc_text(x, 2), arc_text(y, 2));
    diff_options(&c, arc_text(x, 8), arc_text(y, 8));
    add_change(&c, "seed", "seed", arc_text(x, 6), arc_text(y, 6));
    add_change(&c, "version", "parley", arc_text(x, 7), arc_text(y, 7));
    bool same_scenario = !strcmp(arc_text(x, 4), arc_text(y, 4));
    if (!same_scenario) {
        if (parley_archive_scenario(a, from, &sx, err) != PARLEY_OK || parley_archive_scenario(a, to, &sy, err) != PARLEY_OK)
            goto done;
        diff_scenarios(&c, sx, sy);
    }
    if (collect_forecasts(a, from, false, &rows, &n, &cap, err) != PARLEY_OK ||
        collect_forecasts(a, to, true, &rows, &n, &cap, err) != PARLEY_OK)
        goto done;
    if (c.failed) {
        PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto done;
    }
    if (!strcmp(format, "json")) {
        jw w = {0};
        jw_obj(&w);
        jw_kint(&w, "from", from);
        jw_kint(&w, "to", to);
        jw_kbool(&w, "same_scenario", same_scenario);
        jw_key(&w, "inputs");
        jw_arr(&w);
        for (size_t i = 0; i < c.n; i++) {
            jw_obj(&w);
            w.compact_depth = w.depth;
            jw_kstr(&w, "what", c.v[i].what);
            jw_kstr(&w, "name", c.v[i].name);
            jw_kstr(&w, "from", c.v[i].from);
            jw_kstr(&w, "to", c.v[i].to);
            jw_obj_end(&w);
            w.compact_depth = 0;
        }
        jw_arr_end(&w);
        jw_key(&w, "forecasts");
        jw_arr(&w);
        for (size_t i = 0; i < n; i++) {
            jw_obj(&w);
            w.compact_depth = w.depth;
            jw_kstr(&w, "part", rows[i].part);
            jw_kstr(&w, "model", rows[i].model);
            jw_kstr(&w, "issue", rows[i].issue);
            jw_key(&w, "from");
            if (rows[i].in_from) jw_num(&w, rows[i].from);
            else jw_null(&w);
            jw_key(&w, "to");
            if (rows[i].in_to) jw_num(&w, rows[i].to);
            else jw_null(&w);
            jw_knum(&w, "change", rows[i].to - rows[i].from);
            jw_obj_end(&w);
            w.compact_depth = 0;
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
        pu_buf_puts(&w.out, "\n");
        out = take(&w.out, err);
        goto done;
    }
    pu_buf b = {0};
    pu_buf_printf(&b, "run %lld (%s) -> run %lld (%s)\n\n", (long long)from, arc_text(x, 1), (long long)to, arc_text(y, 1));
    pu_buf_puts(&b, same_scenario ? "inputs: the same scenario" : "inputs that changed:");
    if (same_scenario && c.n) pu_buf_puts(&b, "; these changed:");
    if (!c.n) pu_buf_puts(&b, same_scenario ? " and the same options: nothing changed\n" : " (none)\n");
    else pu_buf_puts(&b, "\n");
    for (size_t i = 0; i < c.n; i++) {
        pu_buf_puts(&b, "  ");
        put_clean(&b, c.v[i].what);
        pu_buf_puts(&b, " ");
        put_clean(&b, c.v[i].name);
        const char *gone = c.v[i].from, *added = c.v[i].to;
        if (!gone || !added) {
            pu_buf_puts(&b, gone ? ": removed" : ": added");
            const char *val = gone ? gone : added;
            if (strcmp(val, "present")) {
                pu_buf_puts(&b, " (");
                put_clean(&b, val);
                pu_buf_puts(&b, ")");
            }
        }
        else {
            pu_buf_puts(&b, ": ");
            put_clean(&b, c.v[i].from);
            pu_buf_puts(&b, " -> ");
            put_clean(&b, c.v[i].to);
        }
        pu_buf_puts(&b, "\n");
    }
    pu_buf_printf(&b, "\nforecasts (from -> to, change):\n  %-12s %-14s %-24s %10s    %-10s %s\n", "part", "issue", "model", "from", "to",
                  "change");
    size_t moved_n = 0, both = 0, only_from = 0, only_to = 0;
    for (size_t i = 0; i < n; i++) {
        char f[32], t[32], d[64];
        /* a model only one of the runs ran is summed up below, not listed forecast by forecast */
        if (!rows[i].in_from || !rows[i].in_to) {
            only_from += !rows[i].in_to, only_to += !rows[i].in_from;
            continue;
        }
        both++;
        report_fmt(f, sizeof f, rows[i].from);
        report_fmt(t, sizeof t, rows[i].to);
        if (!rows[i].in_from) snprintf(d, sizeof d, "new");
        else if (!rows[i].in_to) snprintf(d, sizeof d, "gone");
        else if (isnan(rows[i].from) || isnan(rows[i].to)) snprintf(d, sizeof d, "-");
        else if (rows[i].from == rows[i].to) snprintf(d, sizeof d, "=");
        else {
            snprintf(d, sizeof d, "%+.2f", rows[i].to - rows[i].from);
            moved_n++;
        }
        pu_buf_puts(&b, "  ");
        put_col(&b, rows[i].part, 12);
        pu_buf_puts(&b, " ");
        put_col(&b, rows[i].issue, 14);
        pu_buf_puts(&b, " ");
        put_col(&b, rows[i].model, 24);
        pu_buf_printf(&b, " %10s -> %-10s %s\n", f, t, d);
    }
    pu_buf_printf(&b, "\n%zu of the %zu forecasts both runs made moved\n", moved_n, both);
    for (int side = 0; side < 2; side++) {
        size_t count = side ? only_to : only_from;
        if (!count) continue;
        pu_buf_printf(&b, "%zu forecasts only run %lld made, by ", count, (long long)(side ? to : from));
        size_t named = 0;
        for (size_t i = 0; i < n; i++) {
            if ((side ? rows[i].in_from : rows[i].in_to) || (side ? !rows[i].in_to : !rows[i].in_from)) continue;
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = (side ? !rows[j].in_from && rows[j].in_to : rows[j].in_from && !rows[j].in_to) && !strcmp(rows[j].model, rows[i].model);
            if (seen) continue;
            pu_buf_puts(&b, named++ ? ", " : "");
            put_clean(&b, rows[i].model);
        }
        pu_buf_puts(&b, "\n");
    }
    out = take(&b, err);
done:
    for (size_t i = 0; i < n; i++) free(rows[i].part), free(rows[i].model), free(rows[i].issue);
    free(rows);
    changes_free(&c);
    parley_scenario_free(sx);
    parley_scenario_free(sy);
    sqlite3_finalize(x);
    sqlite3_finalize(y);
    return out;
}
