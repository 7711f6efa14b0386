/* backtest.c - backtest reports in text, JSON and CSV, written from the public getters of backtest.h. */
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

static char *bt_text(const parley_scenario *s, const parley_backtest *b)
{
    pu_buf t = {0};
    const char *name = parley_scenario_text(s, PARLEY_TEXT_NAME);
    pu_buf_printf(&t, "Backtest: %s, %zu issues with a known outcome; capabilities %s\n\n", name ? name : "scenario",
                  parley_backtest_issue_count(b), parley_backtest_capabilities(b));
    pu_buf_printf(&t, "  %-30s %7s %10s %10s\n", "model", "scored", "MAE", "median AE");
    for (size_t m = 0; m < parley_backtest_model_count(b); m++) {
        bt_row r = row_of(b, m);
        char a[40], c[40];
        snprintf(a, sizeof a, "%.3f", r.mae);
        snprintf(c, sizeof c, "%.3f", r.median_ae);
        pu_buf_printf(&t, "  %-30s %7zu %10s %10s\n", r.label, r.scored, r.scored ? a : "-", r.scored ? c : "-");
    }
    pu_buf_puts(&t, "\n  errors are absolute differences on each issue's own scale\n");
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
            if (!isnan(f)) pu_fmt_double(fs, sizeof fs, f), pu_fmt_double(es, sizeof es, fabs(f - o));
            pu_fmt_double(os, sizeof os, o);
            pu_buf_printf(&t, "%s,%s,%s,%s,%s\n", parley_backtest_model_label(b, m), id, fs, os, es);
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
        jw_kstr(&w, "model", r.label);
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
