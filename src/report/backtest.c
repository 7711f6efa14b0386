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

/* The kind of a row, as the tables and JSON name it. */
static const char *kind_of(const parley_backtest *b, size_t m)
{
    return parley_backtest_is_refitted(b, m) ? "refitted" : parley_backtest_is_baseline(b, m) ? "baseline" : "model";
}

/* The words for a breakdown attribute. */
static const char *attr_title(const char *attr)
{
    if (!strcmp(attr, "proc")) return "procedure";
    if (!strcmp(attr, "counvte")) return "Council voting rule";
    return attr;
}

/* Whether any row gives distributions (so the interval table has something to say). */
static bool any_intervals(const parley_backtest *b)
{
    for (size_t m = 0; m < parley_backtest_row_count(b); m++)
        if (!isnan(parley_backtest_figure_of(b, m, PARLEY_BACKTEST_COVER80))) return true;
    return false;
}

static void bt_text_breakdown(pu_buf *t, report_cleaner *cn, const parley_backtest *b)
{
    size_t nc = parley_backtest_cell_count(b);
    for (size_t c0 = 0; c0 < nc;) {
        const char *attr, *value;
        parley_backtest_cell(b, c0, &attr, NULL, NULL);
        size_t c1 = c0;
        for (const char *a2; c1 < nc && parley_backtest_cell(b, c1, &a2, NULL, NULL) && !strcmp(a2, attr); c1++) {}
        pu_buf_printf(t, "\nMAE by %s (%s); (n) where a model scored fewer of the cell's issues:\n  %-30s",
                      attr_title(attr), report_clean(cn, attr), "model");
        for (size_t c = c0; c < c1; c++) {
            size_t n;
            char head[64];
            parley_backtest_cell(b, c, NULL, &value, &n);
            snprintf(head, sizeof head, "%s, n=%zu", *value ? report_clean(cn, value) : "(none)", n);
            pu_buf_printf(t, " %16s", head);
        }
        pu_buf_puts(t, "\n");
        for (size_t m = 0; m < parley_backtest_row_count(b); m++) {
            pu_buf_printf(t, "  %-30s", report_clean(cn, parley_backtest_model_label(b, m)));
            for (size_t c = c0; c < c1; c++) {
                size_t n, scored;
                char a[40], cell[64];
                parley_backtest_cell(b, c, NULL, NULL, &n);
                double mae = parley_backtest_cell_mae(b, c, m, &scored);
                fmt_error(a, sizeof a, mae);
                if (!scored) snprintf(cell, sizeof cell, "-");
                else if (scored < n) snprintf(cell, sizeof cell, "%s (%zu)", a, scored);
                else snprintf(cell, sizeof cell, "%s", a);
                pu_buf_printf(t, " %16s", cell);
            }
            pu_buf_puts(t, "\n");
        }
        c0 = c1;
    }
}

static void bt_text_cv(pu_buf *t, report_cleaner *cn, const parley_backtest *b)
{
    if (parley_backtest_cv_mode(b) != PARLEY_BACKTEST_CV_PROPOSALS) return;
    size_t nf = parley_backtest_fold_count(b);
    pu_buf_puts(t, "\nCross-validation (--cv proposals): ");
    if (!nf) {
        pu_buf_puts(t, "no model in the plan is fitted on data, so every row is as without it\n");
        return;
    }
    pu_buf_printf(t, "leave one proposal out, %zu folds.\n"
                     "  Rows marked refitted forecast each proposal's issues with parameters fitted on the other %zu\n"
                     "  proposals' issues (a proposal is never split); the other rows are unaffected. Chosen:\n", nf, nf - 1);
    /* each distinct parameter set once, with the folds that chose it, in order of first choice */
    for (size_t k = 0; k < nf; k++) {
        const char *pk, *pj;
        parley_backtest_fold(b, k, NULL, NULL, &pk);
        size_t seen = 0, times = 0;
        for (size_t j = 0; j < nf; j++) {
            parley_backtest_fold(b, j, NULL, NULL, &pj);
            if (strcmp(pj, pk)) continue;
            if (j < k) seen = 1;
            times++;
        }
        if (!seen) pu_buf_printf(t, "    %-50s in %zu fold%s\n", report_clean(cn, pk), times, times == 1 ? "" : "s");
    }
}

/* --detail full: every scored issue on one line, its outcome and each row's forecast (with the 80%
 * interval where the row has a distribution). */
static void bt_text_issues(pu_buf *t, report_cleaner *cn, const parley_backtest *b)
{
    size_t nr = parley_backtest_row_count(b), ni = parley_backtest_issue_count(b);
    pu_buf_puts(t, "\nEvery issue: its outcome, and each model's forecast ([q0.1, q0.9] where it has a distribution):\n");
    for (size_t i = 0; i < ni; i++) {
        const char *id = NULL;
        double f, y;
        parley_backtest_issue(b, i, 0, &id, &f, &y);
        char ys[40];
        report_fmt(ys, sizeof ys, y);
        pu_buf_printf(t, "  %s  outcome %s:", id ? report_clean(cn, id) : "?", ys);
        for (size_t m = 0; m < nr; m++) {
            parley_backtest_issue(b, i, m, NULL, &f, NULL);
            char fs[40] = "-";
            if (!isnan(f)) report_fmt(fs, sizeof fs, f);
            pu_buf_printf(t, "%s %s %s", m ? ";" : "", report_clean(cn, parley_backtest_model_label(b, m)), fs);
            const parley_result *r;
            size_t run, k;
            double lo, hi;
            if (parley_backtest_issue_source(b, i, m, &r, &run, &k) && parley_result_has_distribution(r, run, k)) {
                parley_result_interval(r, run, k, 0.8, &lo, &hi);
                char ls[40], hs[40];
                report_fmt(ls, sizeof ls, lo), report_fmt(hs, sizeof hs, hi);
                pu_buf_printf(t, " [%s, %s]", ls, hs);
            }
        }
        pu_buf_puts(t, "\n");
    }
}

static char *bt_text(const parley_scenario *s, const parley_backtest *b, parley_detail detail)
{
    pu_buf t = {0};
    report_cleaner cn = {0};
    const char *name = parley_scenario_text(s, PARLEY_TEXT_NAME);
    size_t nr = parley_backtest_row_count(b), ni = parley_backtest_issue_count(b);
    /* a batch's issues group into proposals (DEU); any other scenario's issues are resampled one by one */
    bool batch = parley_scenario_is_batch(s);
    const char *unit = batch ? "proposals" : "issues";
    pu_buf_printf(&t, "Backtest: %s, %zu issues with a known outcome", name ? report_clean(&cn, name) : "scenario", ni);
    if (batch) pu_buf_printf(&t, " in %zu proposal%s", parley_backtest_group_count(b), parley_backtest_group_count(b) == 1 ? "" : "s");
    pu_buf_printf(&t, "; capabilities %s\n\n", report_clean(&cn, parley_backtest_capabilities(b)));
    pu_buf_printf(&t, "  %-30s %-8s %7s %7s %10s %10s %10s %10s\n", "model", "kind", "scored", "skipped", "MAE", "median AE",
                  "RMSE", "CRPS");
    bool skips = false;
    for (size_t m = 0; m < nr; m++) {
        size_t scored = 0;
        parley_backtest_summary(b, m, &scored, NULL, NULL);
        static const parley_backtest_figure figs[] = {PARLEY_BACKTEST_MAE, PARLEY_BACKTEST_MEDIAN_AE, PARLEY_BACKTEST_RMSE,
                                                      PARLEY_BACKTEST_CRPS};
        char v[4][40];
        for (size_t f = 0; f < 4; f++) {
            if (scored) fmt_error(v[f], sizeof v[f], parley_backtest_figure_of(b, m, figs[f]));
            else snprintf(v[f], sizeof v[f], "-");
        }
        size_t skipped = parley_backtest_skipped(b, m, NULL);
        skips |= skipped > 0;
        pu_buf_printf(&t, "  %-30s %-8s %7zu %7zu %10s %10s %10s %10s\n", report_clean(&cn, parley_backtest_model_label(b, m)),
                      kind_of(b, m), scored, skipped, v[0], v[1], v[2], v[3]);
    }
    pu_buf_puts(&t, "\n  errors are absolute differences on each issue's own scale; CRPS scores a point forecast as a\n"
                    "  point mass (its absolute error); baselines: the unweighted mean of positions (mean) and the\n"
                    "  reference point (the status quo) taken as the forecast\n");
    if (detail == PARLEY_DETAIL_SUMMARY) goto finish;
    bt_text_outcomes(&t, &cn, s, b);
    if (skips) {
        pu_buf_puts(&t, "\nSkipped issues (no forecast), and why:\n");
        for (size_t m = 0; m < nr; m++) {
            const char *why = NULL;
            size_t n = parley_backtest_skipped(b, m, &why);
            if (n) pu_buf_printf(&t, "  %s: %zu of %zu (%s)\n", report_clean(&cn, parley_backtest_model_label(b, m)), n, ni,
                                 why ? report_clean(&cn, why) : "no reason given");
        }
    }
    if (any_intervals(b)) {
        pu_buf_puts(&t, "\nCentral intervals of the models with distributions (covered: q0.25 <= outcome <= q0.75 for 50%,\n"
                        "q0.1 <= outcome <= q0.9 for 80%, ends included):\n");
        pu_buf_printf(&t, "  %-30s %7s %10s %10s %10s %10s\n", "model", "issues", "cover 50%", "width 50%", "cover 80%", "width 80%");
        for (size_t m = 0; m < nr; m++) {
            if (isnan(parley_backtest_figure_of(b, m, PARLEY_BACKTEST_COVER80))) continue;
            size_t scored = 0, nd = 0;
            parley_backtest_summary(b, m, &scored, NULL, NULL);
            for (size_t i = 0; i < ni; i++) {
                int c50 = -1;
                parley_backtest_issue_crps(b, i, m, &c50, NULL);
                nd += c50 >= 0;
            }
            char w50[40], w80[40];
            fmt_error(w50, sizeof w50, parley_backtest_figure_of(b, m, PARLEY_BACKTEST_WIDTH50));
            fmt_error(w80, sizeof w80, parley_backtest_figure_of(b, m, PARLEY_BACKTEST_WIDTH80));
            pu_buf_printf(&t, "  %-30s %7zu %10.3f %10s %10.3f %10s\n", report_clean(&cn, parley_backtest_model_label(b, m)), nd,
                          parley_backtest_figure_of(b, m, PARLEY_BACKTEST_COVER50), w50,
                          parley_backtest_figure_of(b, m, PARLEY_BACKTEST_COVER80), w80);
        }
    }
    size_t c = parley_backtest_compromise_row(b);
    if (c != SIZE_MAX && ni) {
        const char *cl = report_clean(&cn, parley_backtest_model_label(b, c));
        pu_buf_printf(&t, "\nDifference in MAE against %s (the row's MAE minus %s's, on the issues both\n"
                          "scored; below 0: closer than %s), with a 95%% bootstrap interval (percentile method;\n"
                          "%u resamples of the %zu %s, drawn with replacement; seed %llu):\n",
                      cl, cl, cl, parley_backtest_resamples(b), parley_backtest_group_count(b), unit,
                      (unsigned long long)parley_result_seed(parley_backtest_result(b)));
        pu_buf_printf(&t, "  %-30s %7s %10s %23s\n", "model", "issues", "difference", "95% interval");
        for (size_t m = 0; m < nr; m++) {
            if (m == c) continue;
            double d = parley_backtest_figure_of(b, m, PARLEY_BACKTEST_DIFF);
            double lo = parley_backtest_figure_of(b, m, PARLEY_BACKTEST_DIFF_LO), hi = parley_backtest_figure_of(b, m, PARLEY_BACKTEST_DIFF_HI);
            char ds[40] = "-", ls[40], hs[40], iv[96] = "-";
            if (!isnan(d)) fmt_error(ds, sizeof ds, d);
            if (!isnan(lo)) {
                fmt_error(ls, sizeof ls, lo), fmt_error(hs, sizeof hs, hi);
                snprintf(iv, sizeof iv, "[%s, %s]", ls, hs);
            }
            pu_buf_printf(&t, "  %-30s %7zu %10s %23s\n", report_clean(&cn, parley_backtest_model_label(b, m)),
                          parley_backtest_paired(b, m), ds, iv);
        }
    }
    bt_text_breakdown(&t, &cn, b);
    bt_text_cv(&t, &cn, b);
    if (detail == PARLEY_DETAIL_FULL) bt_text_issues(&t, &cn, b);
finish:
    if (cn.failed) t.failed = true;
    report_cleaner_free(&cn);
    return pu_buf_take(&t);
}

/* The CSV's quantile columns, as the JSON keys name them. */
static void csv_header(pu_buf *t)
{
    pu_buf_puts(t, "model,issue,forecast,outcome,error,kind,crps,covered50,covered80");
    for (size_t q = 0; q < PARLEY_QUANTILE_COUNT; q++) pu_buf_printf(t, ",q%s", parley_quantile_key(q));
    pu_buf_puts(t, "\n");
}

static char *bt_csv(const parley_backtest *b)
{
    pu_buf t = {0};
    csv_header(&t);
    for (size_t m = 0; m < parley_backtest_row_count(b); m++)
        for (size_t i = 0; i < parley_backtest_issue_count(b); i++) {
            const char *id = NULL;
            double f = NAN, o = NAN;
            parley_backtest_issue(b, i, m, &id, &f, &o);
            char fs[40] = "", os[40], es[40] = "", cs[40] = "";
            /* An error past the largest double (forecast and outcome at the two ends of a scale of
             * +-1e308) has no number: its cell stays empty, like that of a missing forecast. */
            double e = 2 * fabs(f / 2 - o / 2);
            int c50 = -1, c80 = -1;
            double crps = parley_backtest_issue_crps(b, i, m, &c50, &c80);
            if (!isnan(f)) pu_fmt_double(fs, sizeof fs, f);
            if (!isnan(f) && isfinite(e)) pu_fmt_double(es, sizeof es, e);
            if (isfinite(crps)) pu_fmt_double(cs, sizeof cs, crps);
            pu_fmt_double(os, sizeof os, o);
            csv_cell(&t, parley_backtest_model_label(b, m));
            pu_buf_puts(&t, ",");
            csv_cell(&t, id);
            pu_buf_printf(&t, ",%s,%s,%s,%s,%s,%s,%s", fs, os, es, kind_of(b, m), cs, c50 < 0 ? "" : c50 ? "1" : "0",
                          c80 < 0 ? "" : c80 ? "1" : "0");
            const parley_result *r;
            size_t run, k;
            bool dist = parley_backtest_issue_source(b, i, m, &r, &run, &k) && parley_result_has_distribution(r, run, k);
            for (size_t q = 0; q < PARLEY_QUANTILE_COUNT; q++) {
                char qs[40] = "";
                if (dist) pu_fmt_double(qs, sizeof qs, parley_result_quantile(r, run, k, parley_quantile_level(q)));
                pu_buf_printf(&t, ",%s", qs);
            }
            pu_buf_puts(&t, "\n");
        }
    return pu_buf_take(&t);
}

/* The run members of a row: a plan entry's as every JSON output writes them, nulls for a baseline the
 * backtest adds. */
static void json_row_run(jw *w, const parley_backtest *b, size_t m)
{
    if (m < parley_backtest_model_count(b)) {
        report_json_run(w, parley_backtest_result(b), m); /* run, model, label, preset */
        return;
    }
    jw_key(w, "run");
    jw_null(w);
    jw_key(w, "model");
    jw_null(w);
    jw_kstr(w, "label", parley_backtest_model_label(b, m));
    jw_key(w, "preset");
    jw_null(w);
}

static void bt_json_header(jw *w, const parley_scenario *s, const parley_backtest *b)
{
    size_t c = parley_backtest_compromise_row(b);
    jw_kint(w, "proposals", (long long)parley_backtest_group_count(b));
    jw_key(w, "bootstrap");
    jw_obj(w);
    jw_kstr(w, "against", c == SIZE_MAX ? NULL : parley_backtest_model_label(b, c));
    jw_kint(w, "resamples", (long long)parley_backtest_resamples(b));
    jw_kuint(w, "seed", parley_result_seed(parley_backtest_result(b)));
    jw_kstr(w, "resampled", parley_scenario_is_batch(s) ? "proposals" : "issues");
    jw_kint(w, "groups", (long long)parley_backtest_group_count(b));
    jw_kstr(w, "interval", "percentile");
    jw_knum(w, "level", 0.95);
    jw_obj_end(w);
    jw_key(w, "cv");
    jw_obj(w);
    bool cv = parley_backtest_cv_mode(b) == PARLEY_BACKTEST_CV_PROPOSALS;
    jw_kstr(w, "method", cv ? "proposals" : "none");
    jw_key(w, "refitted");
    jw_arr(w);
    for (size_t m = 0; m < parley_backtest_row_count(b); m++)
        if (parley_backtest_is_refitted(b, m)) jw_str(w, parley_backtest_model_label(b, m));
    jw_arr_end(w);
    jw_key(w, "folds");
    jw_arr(w);
    const char *prop, *params;
    size_t n;
    for (size_t k = 0; parley_backtest_fold(b, k, &prop, &n, &params); k++) {
        jw_obj(w);
        jw_kstr(w, "proposal", prop);
        jw_kint(w, "issues", (long long)n);
        jw_kstr(w, "params", params);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static void bt_json_row_figures(jw *w, const parley_backtest *b, size_t m)
{
    const char *why = NULL;
    size_t skipped = parley_backtest_skipped(b, m, &why);
    jw_kstr(w, "kind", kind_of(b, m));
    jw_kbool(w, "baseline", parley_backtest_is_baseline(b, m));
    jw_kbool(w, "refitted", parley_backtest_is_refitted(b, m));
    jw_kint(w, "skipped", (long long)skipped);
    jw_kstr(w, "skipped_why", why);
    static const struct {
        const char *key;
        parley_backtest_figure f;
    } figs[] = {{"rmse", PARLEY_BACKTEST_RMSE},         {"crps", PARLEY_BACKTEST_CRPS},
                {"cover50", PARLEY_BACKTEST_COVER50},   {"cover80", PARLEY_BACKTEST_COVER80},
                {"width50", PARLEY_BACKTEST_WIDTH50},   {"width80", PARLEY_BACKTEST_WIDTH80}};
    for (size_t f = 0; f < sizeof figs / sizeof *figs; f++) jw_knum(w, figs[f].key, parley_backtest_figure_of(b, m, figs[f].f));
    jw_key(w, "mae_difference");
    size_t c = parley_backtest_compromise_row(b);
    if (c == SIZE_MAX || c == m) {
        jw_null(w);
    } else {
        jw_obj(w);
        jw_kint(w, "issues", (long long)parley_backtest_paired(b, m));
        jw_knum(w, "difference", parley_backtest_figure_of(b, m, PARLEY_BACKTEST_DIFF));
        jw_knum(w, "lo", parley_backtest_figure_of(b, m, PARLEY_BACKTEST_DIFF_LO));
        jw_knum(w, "hi", parley_backtest_figure_of(b, m, PARLEY_BACKTEST_DIFF_HI));
        jw_obj_end(w);
    }
    jw_key(w, "breakdown");
    jw_arr(w);
    const char *attr, *value;
    size_t n;
    for (size_t k = 0; parley_backtest_cell(b, k, &attr, &value, &n); k++) {
        size_t scored = 0;
        double mae = parley_backtest_cell_mae(b, k, m, &scored);
        jw_obj(w);
        jw_kstr(w, "attribute", attr);
        jw_kstr(w, "value", value);
        jw_kint(w, "issues", (long long)n);
        jw_kint(w, "scored", (long long)scored);
        jw_knum(w, "mae", mae);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static char *bt_json(const parley_scenario *s, const parley_backtest *b)
{
    jw w = {0};
    jw_obj(&w);
    report_json_provenance(&w, s, parley_backtest_result(b));
    jw_kstr(&w, "capabilities", parley_backtest_capabilities(b));
    jw_kint(&w, "issues_with_outcome", (long long)parley_backtest_issue_count(b));
    bt_json_header(&w, s, b);
    jw_key(&w, "scores");
    jw_arr(&w);
    for (size_t m = 0; m < parley_backtest_row_count(b); m++) {
        size_t scored = 0;
        double mae = NAN, med = NAN;
        parley_backtest_summary(b, m, &scored, &mae, &med);
        jw_obj(&w);
        json_row_run(&w, b, m);
        jw_kint(&w, "scored", (long long)scored);
        jw_knum(&w, "mae", mae);
        jw_knum(&w, "median_ae", med);
        bt_json_row_figures(&w, b, m);
        jw_key(&w, "issues");
        jw_arr(&w);
        for (size_t i = 0; i < parley_backtest_issue_count(b); i++) {
            const char *id = NULL;
            double f = NAN, o = NAN;
            int c50 = -1, c80 = -1;
            parley_backtest_issue(b, i, m, &id, &f, &o);
            double crps = parley_backtest_issue_crps(b, i, m, &c50, &c80);
            jw_obj(&w);
            jw_kstr(&w, "issue", id);
            jw_knum(&w, "forecast", f);
            jw_knum(&w, "outcome", o);
            jw_knum(&w, "error", isnan(f) ? NAN : fabs(f - o));
            jw_knum(&w, "crps", crps);
            if (c50 >= 0) jw_kbool(&w, "covered50", c50), jw_kbool(&w, "covered80", c80);
            const parley_result *r;
            size_t run, k;
            if (parley_backtest_issue_source(b, i, m, &r, &run, &k)) report_json_distribution(&w, r, run, k);
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
    return parley_backtest_report_with(s, b, format, NULL, err);
}

char *parley_backtest_report_with(const parley_scenario *s, const parley_backtest *b, const char *format,
                                  const parley_report_options *o, parley_error *err)
{
    char *text;
    if (!strcmp(format, "text")) text = bt_text(s, b, o ? o->detail : PARLEY_DETAIL_NORMAL);
    else if (!strcmp(format, "csv")) text = bt_csv(b);
    else if (!strcmp(format, "json")) text = bt_json(s, b);
    else {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--format", "expected text, json or csv, found \"%s\"", format);
        return NULL;
    }
    if (!text) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return text;
}
