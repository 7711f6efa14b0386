/* trend.c - each issue's headline forecast over the runs of one scenario: a table, JSON or an SVG chart. */
#include "archive_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "../core/util.h"
#include "../report/report_internal.h"
#include "../report/svg.h"

typedef struct point {
    int64_t run;
    char date[32];
    size_t issue; /* index in the latest run's scenario */
    char *model;
    double v, lo, hi;
} point;

typedef struct trend {
    int64_t *runs;
    char (*dates)[32];
    size_t n_runs;
    point *pts;
    size_t n, cap;
    parley_scenario *latest; /* issues, labels and scales come from the newest run */
} trend;

static void trend_free(trend *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->pts[i].model);
    free(t->pts);
    free(t->runs);
    free(t->dates);
    parley_scenario_free(t->latest);
}

/* Says which scenario names the archive holds, so a mistyped name gets its fix. */
static parley_status unknown_name(parley_archive *a, const char *name, parley_error *err)
{
    sqlite3_stmt *st = arc_prepare(a, "SELECT DISTINCT s.name FROM scenarios s JOIN runs r ON r.scenario = s.id ORDER BY s.name", err);
    if (!st) return parley_error_status(err);
    pu_buf b = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        pu_buf_puts(&b, b.len ? ", \"" : "\"");
        pu_buf_escaped(&b, arc_text(st, 0));
        pu_buf_puts(&b, "\"");
    }
    sqlite3_finalize(st);
    pu_buf clean = {0};
    pu_buf_escaped(&clean, name);
    parley_status out = PERR(err, PARLEY_E_USAGE, a->path, 0, 0, NULL, "no runs of a scenario named \"%s\"; the archive holds %s%s",
                             clean.data ? clean.data : "", b.len ? "runs of " : "none yet", b.len ? b.data : "");
    pu_buf_free(&b);
    pu_buf_free(&clean);
    return out;
}

static parley_status load(parley_archive *a, const char *name, trend *t, parley_error *err)
{
    sqlite3_stmt *st = arc_prepare(a, "SELECT r.id, r.date FROM runs r JOIN scenarios s ON s.id = r.scenario WHERE s.name = ?1 "
                                      "ORDER BY r.date, r.id", err);
    if (!st) return parley_error_status(err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    size_t cap = 0, dcap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!pu_grow((void **)&t->runs, &cap, t->n_runs + 1, sizeof *t->runs) ||
            !pu_grow((void **)&t->dates, &dcap, t->n_runs + 1, sizeof *t->dates)) {
            sqlite3_finalize(st);
            return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        }
        t->runs[t->n_runs] = sqlite3_column_int64(st, 0);
        snprintf(t->dates[t->n_runs++], 32, "%s", arc_text(st, 1));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return arc_fail(a, rc, "reading the archive", err);
    if (t->n_runs == 0) return unknown_name(a, name, err);
    /* the newest run by id: the scenario as it stands now */
    int64_t newest = t->runs[0];
    for (size_t i = 1; i < t->n_runs; i++)
        if (t->runs[i] > newest) newest = t->runs[i];
    parley_status s = parley_archive_scenario(a, newest, &t->latest, err);
    if (s != PARLEY_OK) return s;
    if (!(st = arc_prepare(a, "SELECT issue, model, value, lo, hi FROM forecasts WHERE run = ?1 AND part = 'base' AND headline = 1 "
                              "ORDER BY pos", err)))
        return parley_error_status(err);
    for (size_t i = 0; i < t->n_runs; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, t->runs[i]);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            size_t k;
            if (!parley_scenario_find_issue(t->latest, arc_text(st, 0), &k)) continue; /* an issue dropped since */
            if (!pu_grow((void **)&t->pts, &t->cap, t->n + 1, sizeof *t->pts)) {
                sqlite3_finalize(st);
                return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
            }
            point *p = &t->pts[t->n++];
            p->run = t->runs[i];
            snprintf(p->date, sizeof p->date, "%s", t->dates[i]);
            p->issue = k;
            p->model = pu_strdup(arc_text(st, 1));
            p->v = arc_real(st, 2), p->lo = arc_real(st, 3), p->hi = arc_real(st, 4);
        }
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(st);
            return arc_fail(a, rc, "reading the archive", err);
        }
    }
    sqlite3_finalize(st);
    return PARLEY_OK;
}

static const point *find_point(const trend *t, int64_t run, size_t k)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->pts[i].run == run && t->pts[i].issue == k) return &t->pts[i];
    return NULL;
}

/* Days since 1970-01-01 of an ISO date's first ten characters (proleptic Gregorian), plus the time of day
 * as a fraction; 0 for text that is no date. */
static double date_days(const char *d)
{
    int y, m, day, hh = 0, mm = 0, ss = 0;
    if (sscanf(d, "%4d-%2d-%2d", &y, &m, &day) != 3) return 0;
    sscanf(d + 10, "T%2d:%2d:%2d", &hh, &mm, &ss);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400, doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)(era * 146097 + doe - 719468) + (hh * 3600 + mm * 60 + ss) / 86400.0;
}

static char *trend_svg(const trend *t, const char *name)
{
    const parley_scenario *s = t->latest;
    size_t m = parley_scenario_issue_count(s);
    double w = 900, ph = 170, left = 70, right = 50, top = 56;
    svg g;
    char buf[256], tipbuf[256];
    snprintf(buf, sizeof buf, "How the headline forecast of each issue moved over the archived runs of %s", name);
    svg_open(&g, w, top + ph * (double)m + 10, buf);
    snprintf(buf, sizeof buf, "%.120s: the headline forecast per issue, run by run", name);
    svg_text(&g, 12, 22, "start", 14, "#222222", buf);
    /* the legend: what the line and the band are */
    double lx[] = {12, 32}, ly[] = {38, 38};
    svg_polyline(&g, lx, ly, 2, svg_palette(0), 2, NULL);
    svg_text(&g, 38, 42, "start", 10, "#222222", "headline forecast (the ensemble's median when it ran, else the first model's)");
    svg_rect(&g, 440, 33, 20, 10, "#deebf7", 1, NULL);
    svg_text(&g, 466, 42, "start", 10, "#222222", "its 80% interval");
    double d0 = date_days(t->dates[0]), d1 = d0;
    for (size_t i = 1; i < t->n_runs; i++) {
        double d = date_days(t->dates[i]);
        if (d < d0) d0 = d;
        if (d > d1) d1 = d;
    }
    bool by_index = d1 <= d0; /* every run on one date: spread them evenly instead */
    double pw = w - left - right;
    for (size_t k = 0; k < m; k++) {
        double y0 = top + ph * (double)k, plot_top = y0 + 22, plot_h = ph - 60;
        double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        const char *label = parley_issue_text(s, k, PARLEY_TEXT_NAME);
        snprintf(buf, sizeof buf, "%.60s%s%.60s", parley_issue_id(s, k), label ? ": " : "", label ? label : "");
        svg_text(&g, 12, y0 + 14, "start", 12, "#222222", buf);
        svg_line(&g, left, plot_top, left, plot_top + plot_h, "#888888", 1);
        svg_line(&g, left, plot_top + plot_h, left + pw, plot_top + plot_h, "#888888", 1);
        char a[32], b[32];
        report_fmt(a, sizeof a, lo);
        report_fmt(b, sizeof b, hi);
        svg_text(&g, left - 6, plot_top + plot_h + 4, "end", 10, "#444444", a);
        svg_text(&g, left - 6, plot_top + 4, "end", 10, "#444444", b);
        double *xs = malloc((t->n_runs ? t->n_runs : 1) * sizeof *xs), *ys = malloc((t->n_runs ? t->n_runs : 1) * sizeof *ys);
        double *bx = malloc(2 * (t->n_runs ? t->n_runs : 1) * sizeof *bx), *by = malloc(2 * (t->n_runs ? t->n_runs : 1) * sizeof *by);
        const point **pts = malloc((t->n_runs ? t->n_runs : 1) * sizeof *pts);
        size_t np = 0, nb = 0;
        if (!xs || !ys || !bx || !by || !pts) {
            free(xs), free(ys), free(bx), free(by), free(pts);
            pu_buf_free(&g.b);
            return NULL;
        }
        for (size_t i = 0; i < t->n_runs; i++) {
            const point *p = find_point(t, t->runs[i], k);
            if (!p || !isfinite(p->v)) continue;
            double fx = by_index ? (t->n_runs > 1 ? (double)i / (double)(t->n_runs - 1) : 0.5) : (date_days(p->date) - d0) / (d1 - d0);
            double span = hi > lo ? hi - lo : 1;
            xs[np] = left + 10 + fx * (pw - 20);
            ys[np] = plot_top + plot_h * (1 - (p->v - lo) / span);
            pts[np++] = p;
        }
        /* the 80% interval as a band: along the highs, back along the lows */
        for (size_t i = 0; i < np; i++)
            if (isfinite(pts[i]->hi)) bx[nb] = xs[i], by[nb++] = plot_top + plot_h * (1 - (pts[i]->hi - lo) / (hi > lo ? hi - lo : 1));
        size_t nhi = nb;
        for (size_t i = np; i-- > 0;)
            if (isfinite(pts[i]->lo)) bx[nb] = xs[i], by[nb++] = plot_top + plot_h * (1 - (pts[i]->lo - lo) / (hi > lo ? hi - lo : 1));
        if (nhi >= 2 && nb == 2 * nhi) svg_polygon(&g, bx, by, nb, "#deebf7", "80% interval of the headline forecast");
        if (np >= 2) svg_polyline(&g, xs, ys, np, svg_palette(0), 2, NULL);
        for (size_t i = 0; i < np; i++) {
            char v[32];
            report_fmt(v, sizeof v, pts[i]->v);
            snprintf(tipbuf, sizeof tipbuf, "run %lld, %.10s, %.60s: %s", (long long)pts[i]->run, pts[i]->date, pts[i]->model, v);
            svg_circle(&g, xs[i], ys[i], 4, svg_palette(0), tipbuf);
            /* runs on one date share a place: the newest one's number is the one written */
            bool shared = i + 1 < np && fabs(xs[i + 1] - xs[i]) < 1;
            if (np <= 12 && !shared) {
                svg_text(&g, xs[i], ys[i] - 8, "middle", 10, "#222222", v);
                snprintf(buf, sizeof buf, "%.10s", pts[i]->date);
                svg_text(&g, xs[i], plot_top + plot_h + 16, "middle", 10, "#444444", buf);
            }
        }
        if (np > 12) {
            snprintf(buf, sizeof buf, "%.10s", pts[0]->date);
            svg_text(&g, xs[0], plot_top + plot_h + 16, "start", 10, "#444444", buf);
            snprintf(buf, sizeof buf, "%.10s", pts[np - 1]->date);
            svg_text(&g, xs[np - 1], plot_top + plot_h + 16, "end", 10, "#444444", buf);
        }
        if (np == 0) svg_text(&g, left + pw / 2, plot_top + plot_h / 2, "middle", 11, "#666666", "no headline forecast in these runs");
        free(xs), free(ys), free(bx), free(by), free(pts);
    }
    return svg_close(&g);
}

char *parley_archive_trend(parley_archive *a, const char *name, const char *format, parley_error *err)
{
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "svg")) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--format", "expected text, json or svg, found \"%s\"", format);
        return NULL;
    }
    trend t = {0};
    char *out = NULL;
    if (load(a, name, &t, err) != PARLEY_OK) goto done;
    size_t m = parley_scenario_issue_count(t.latest);
    if (!strcmp(format, "svg")) {
        if (!(out = trend_svg(&t, name))) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto done;
    }
    if (!strcmp(format, "json")) {
        jw w = {0};
        jw_obj(&w);
        jw_kstr(&w, "scenario", name);
        jw_key(&w, "runs");
        jw_arr(&w);
        for (size_t i = 0; i < t.n_runs; i++) {
            jw_obj(&w);
            jw_kint(&w, "id", t.runs[i]);
            jw_kstr(&w, "date", t.dates[i]);
            jw_key(&w, "forecasts");
            jw_arr(&w);
            for (size_t k = 0; k < m; k++) {
                const point *p = find_point(&t, t.runs[i], k);
                if (!p) continue;
                jw_obj(&w);
                w.compact_depth = w.depth;
                jw_kstr(&w, "issue", parley_issue_id(t.latest, k));
                jw_kstr(&w, "model", p->model);
                jw_knum(&w, "value", p->v);
                jw_knum(&w, "lo", p->lo);
                jw_knum(&w, "hi", p->hi);
                jw_obj_end(&w);
                w.compact_depth = 0;
            }
            jw_arr_end(&w);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
        pu_buf_puts(&w.out, "\n");
        if (!(out = pu_buf_take(&w.out))) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto done;
    }
    pu_buf b = {0};
    pu_buf_puts(&b, "the headline forecast of each issue, run by run: ");
    pu_buf_escaped(&b, name);
    pu_buf_printf(&b, "\n\n%-5s %-20s", "run", "date");
    for (size_t k = 0; k < m; k++) {
        pu_buf tmp = {0};
        pu_buf_escaped(&tmp, parley_issue_id(t.latest, k));
        pu_buf_printf(&b, " %12.12s", tmp.data ? tmp.data : "");
        pu_buf_free(&tmp);
    }
    pu_buf_puts(&b, "\n");
    for (size_t i = 0; i < t.n_runs; i++) {
        pu_buf_printf(&b, "%-5lld %-20s", (long long)t.runs[i], t.dates[i]);
        for (size_t k = 0; k < m; k++) {
            const point *p = find_point(&t, t.runs[i], k);
            char v[32];
            report_fmt(v, sizeof v, p ? p->v : NAN);
            pu_buf_printf(&b, " %12s", v);
        }
        pu_buf_puts(&b, "\n");
    }
    const char *model = t.n ? t.pts[t.n - 1].model : NULL;
    if (model) {
        pu_buf_puts(&b, "\nheadline model of the newest run: ");
        pu_buf_escaped(&b, model);
        pu_buf_puts(&b, " (the ensemble's median when it ran; else each run's first model)\n");
    }
    if (!(out = pu_buf_take(&b))) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
done:
    trend_free(&t);
    return out;
}

char *parley_archive_add_trend(parley_archive *a, const parley_scenario *s, char *html, parley_error *err)
{
    char *name = parley_archive_name(s);
    if (!name) {
        free(html);
        PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    trend t = {0};
    parley_error *quiet = parley_error_new(); /* "no runs of this name" is no failure here */
    char *chart = NULL, *out = html;
    if (quiet && load(a, name, &t, quiet) == PARLEY_OK) chart = trend_svg(&t, name);
    char *body = chart ? strstr(html, "</body>") : NULL;
    if (body) {
        pu_buf b = {0};
        pu_buf_append(&b, html, (size_t)(body - html));
        pu_buf_puts(&b, "<h2 id=\"trend\">How the forecast moved</h2>\n<p>Each issue's headline forecast in every archived "
                        "run of this scenario, by date, with its 80% interval (<code>parley archive trend</code>).</p>\n");
        pu_buf_puts(&b, chart);
        pu_buf_puts(&b, body);
        free(html);
        if (!(out = pu_buf_take(&b))) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    free(chart);
    trend_free(&t);
    parley_error_free(quiet);
    free(name);
    return out;
}
