/* backtest.c - backtest reports in text, JSON and CSV, written from the public getters of backtest.h. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "parley/backtest.h"
#include "report_internal.h"

/* One model's summary, as the getters give it. */
typedef struct bt_row {
    const char *label;
    size_t scored;
    double mae, median_ae;
} bt_row;

static bt_row row_of(const parley_backtest *b, size_t m)
{
    bt_row r = {parley_backtest_model_label(b, m), 0, NAN, NAN};
    parley_backtest_summary(b, m, &r.scored, &r.mae, &r.median_ae);
    return r;
}

/* Formats an error for the text table: three decimals, or 4 significant digits from 1e15 on (errors on
 * a scale of +-1e308), or past the largest double what it exceeds. */
static void fmt_error(char *buf, size_t size, double v)
{
    if (isinf(v)) snprintf(buf, size, "> %.4g", DBL_MAX);
    else if (fabs(v) >= 1e15) snprintf(buf, size, "%.4g", v);
    else snprintf(buf, size, "%.3f", v);
}

/* Writes one CSV cell, quoted when it needs to be (as the forecast CSV does). */
static void csv_cell(pu_buf *t, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (!v) return;
    if (!strpbrk(v, ",\"\n\r") && !pu_has_control(v) && !(n && (v[0] == ' ' || v[n - 1] == ' '))) {
        pu_buf_puts(t, v);
        return;
    }
    pu_buf_puts(t, "\"");
    for (const char *p = v; *p; p++) {
        pu_buf_append(t, p, 1);
        if (*p == '"') pu_buf_puts(t, "\"");
    }
    pu_buf_puts(t, "\"");
}

/* Whether an issue's known outcome carries a note (from an outcomes file): its date, reason or source. */
static bool has_note(const parley_scenario *s, size_t k)
{
    return parley_issue_attribute(s, k, "outcome_date") || parley_issue_why(s, k, PARLEY_ISSUE_OUTCOME) ||
           parley_issue_attribute(s, k, "outcome_source");
}

/* Whether any scored issue's outcome carries a note: only then do the reports list the outcomes (a DEU
 * file's hundreds of bare outcomes are already in each model's issues). */
static bool any_note(const parley_scenario *s, const parley_backtest *b)
{
    for (size_t i = 0; i < parley_backtest_issue_count(b); i++) {
        const char *id = NULL;
        size_t k;
        parley_backtest_issue(b, i, 0, &id, NULL, NULL);
        if (id && parley_scenario_find_issue(s, id, &k) && has_note(s, k)) return true;
    }
    return false;
}

/* Appends label and text, wrapped at spaces to lines of about 100 columns, each continuation indented
 * to line up under the text's start (a word longer than a line stays whole). */
static void put_wrapped(pu_buf *t, const char *label, const char *text)
{
    size_t indent = strlen(label), col = indent;
    pu_buf_puts(t, label);
    for (const char *p = text; *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        if (col > indent && col + 1 + n > 100) {
            pu_buf_printf(t, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            pu_buf_puts(t, " ");
            col++;
        }
        pu_buf_append(t, p, n);
        col += n;
        p += n;
    }
    pu_buf_puts(t, "\n");
}

/* The text report's list of known outcomes with their notes, each with every model's forecast. */
static void bt_text_outcomes(pu_buf *t, report_cleaner *cn, const parley_scenario *s, const parley_backtest *b)
{
    if (!parley_backtest_model_count(b) || !any_note(s, b)) return;
    pu_buf_puts(t, "\nKnown outcomes, and each model's forecast:\n");
    for (size_t i = 0; i < parley_backtest_issue_count(b); i++) {
        const char *id = NULL;
        double o = NAN;
        size_t k;
        parley_backtest_issue(b, i, 0, &id, NULL, &o);
        if (!parley_scenario_find_issue(s, id, &k)) continue;
        double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        const char *date = parley_issue_attribute(s, k, "outcome_date");
        const char *why = parley_issue_why(s, k, PARLEY_ISSUE_OUTCOME);
        const char *source = parley_issue_attribute(s, k, "outcome_source");
        char num[48];
        report_fmt_on(num, sizeof num, o, lo, hi);
        pu_buf_printf(t, "  %s: %s", report_clean(cn, issue_name(s, k)), num);
        if (date) pu_buf_printf(t, " (%s)", report_clean(cn, date));
        pu_buf_puts(t, "\n");
        /* "; " between models: a label may hold commas of its own ("bdm,forecast=mean"). */
        pu_buf f = {0};
        for (size_t m = 0; m < parley_backtest_model_count(b); m++) {
            double v = NAN;
            parley_backtest_issue(b, i, m, NULL, &v, NULL);
            report_fmt_on(num, sizeof num, v, lo, hi);
            pu_buf_printf(&f, "%s%s %s", m ? "; " : "", report_clean(cn, parley_backtest_model_label(b, m)), num);
        }
        if (f.failed) t->failed = true;
        put_wrapped(t, "    forecasts: ", f.data ? f.data : "");
        pu_buf_free(&f);
        if (why) put_wrapped(t, "    why: ", report_clean(cn, why));
        if (source) put_wrapped(t, "    source: ", report_clean(cn, source));
    }
}

/* The JSON report's "outcomes": each scored issue's outcome with its date, reason and source (null when
 * not given); left out when no outcome carries a note. */
static void bt_json_outcomes(jw *w, const parley_scenario *s, const parley_backtest *b)
{
    if (!any_note(s, b)) return;
    jw_key(w, "outcomes");
    jw_arr(w);
    for (size_t i = 0; i < parley_backtest_issue_count(b); i++) {
        const char *id = NULL;
        double o = NAN;
        size_t k;
        parley_backtest_issue(b, i, 0, &id, NULL, &o);
        if (!parley_scenario_find_issue(s, id, &k)) continue;
        const char *texts[3] = {parley_issue_attribute(s, k, "outcome_date"), parley_issue_why(s, k, PARLEY_ISSUE_OUTCOME),
                                parley_issue_attribute(s, k, "outcome_source")};
        static const char *const keys[3] = {"date", "why", "source"};
        jw_obj(w);
        jw_kstr(w, "issue", id);
        jw_knum(w, "outcome", o);
        for (int j = 0; j < 3; j++) jw_kstr(w, keys[j], texts[j]); /* NULL writes null */
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static char *bt_text(const parley_scenario *s, const parley_backtest *b)
{
    pu_buf t = {0};
    report_cleaner cn = {0};
    const char *name = parley_scenario_text(s, PARLEY_TEXT_NAME);
    pu_buf_printf(&t, "Backtest: %s, %zu issues with a known outcome; capabilities %s\n\n", name ? report_clean(&cn, name) : "scenario",
                  parley_backtest_issue_count(b), report_clean(&cn, parley_backtest_capabilities(b)));
    pu_buf_printf(&t, "  %-30s %7s %10s %10s\n", "model", "scored", "MAE", "median AE");
    for (size_t m = 0; m < parley_backtest_model_count(b); m++) {
        bt_row r = row_of(b, m);
        char a[40], c[40];
        fmt_error(a, sizeof a, r.mae);
        fmt_error(c, sizeof c, r.median_ae);
        pu_buf_printf(&t, "  %-30s %7zu %10s %10s\n", report_clean(&cn, r.label), r.scored, r.scored ? a : "-", r.scored ? c : "-");
    }
    pu_buf_puts(&t, "\n  errors are absolute differences on each issue's own scale\n");
    bt_text_outcomes(&t, &cn, s, b);
    if (cn.failed) t.failed = true;
    report_cleaner_free(&cn);
    return pu_buf_take(&t);
}

static char *bt_csv(const parley_backtest *b)
{
    pu_buf t = {0};
    pu_buf_puts(&t, "model,issue,forecast,outcome,error\n");
    for (size_t m = 0; m < parley_backtest_model_count(b); m++)
        for (size_t i = 0; i < parley_backtest_issue_count(b); i++) {
            const char *id = NULL;
            double f = NAN, o = NAN;
            parley_backtest_issue(b, i, m, &id, &f, &o);
            char fs[40] = "", os[40], es[40] = "";
            /* An error past the largest double (forecast and outcome at the two ends of a scale of
             * +-1e308) has no number: its cell stays empty, like that of a missing forecast. */
            double e = 2 * fabs(f / 2 - o / 2);
            if (!isnan(f)) pu_fmt_double(fs, sizeof fs, f);
            if (!isnan(f) && isfinite(e)) pu_fmt_double(es, sizeof es, e);
            pu_fmt_double(os, sizeof os, o);
            csv_cell(&t, parley_backtest_model_label(b, m));
            pu_buf_puts(&t, ",");
            csv_cell(&t, id);
            pu_buf_printf(&t, ",%s,%s,%s\n", fs, os, es);
        }
    return pu_buf_take(&t);
}

static char *bt_json(const parley_scenario *s, const parley_backtest *b)
{
    jw w = {0};
    jw_obj(&w);
    report_json_provenance(&w, s, parley_backtest_result(b));
    jw_kstr(&w, "capabilities", parley_backtest_capabilities(b));
    jw_kint(&w, "issues_with_outcome", (long long)parley_backtest_issue_count(b));
    jw_key(&w, "scores");
    jw_arr(&w);
    for (size_t m = 0; m < parley_backtest_model_count(b); m++) {
        bt_row r = row_of(b, m);
        jw_obj(&w);
        report_json_run(&w, parley_backtest_result(b), m); /* run, model, label, preset: as every JSON output */
        jw_kint(&w, "scored", (long long)r.scored);
        jw_knum(&w, "mae", r.mae);
        jw_knum(&w, "median_ae", r.median_ae);
        jw_key(&w, "issues");
        jw_arr(&w);
        for (size_t i = 0; i < parley_backtest_issue_count(b); i++) {
            const char *id = NULL;
            double f = NAN, o = NAN;
            parley_backtest_issue(b, i, m, &id, &f, &o);
            jw_obj(&w);
            jw_kstr(&w, "issue", id);
            jw_knum(&w, "forecast", f);
            jw_knum(&w, "outcome", o);
            jw_knum(&w, "error", isnan(f) ? NAN : fabs(f - o));
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    bt_json_outcomes(&w, s, b);
    jw_obj_end(&w);
    return pu_buf_take(&w.out);
}

char *parley_backtest_report(const parley_scenario *s, const parley_backtest *b, const char *format, parley_error *err)
{
    char *text;
    if (!strcmp(format, "text")) text = bt_text(s, b);
    else if (!strcmp(format, "csv")) text = bt_csv(b);
    else if (!strcmp(format, "json")) text = bt_json(s, b);
    else {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--format", "expected text, json or csv, found \"%s\"", format);
        return NULL;
    }
    if (!text) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return text;
}
