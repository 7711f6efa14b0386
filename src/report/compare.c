/* compare.c - the base case and every variant side by side: each model's forecast and its change. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "report_internal.h"

/* Returns variant v's forecast for the base's issue k (matched by id; NaN when the variant lacks it). */
static double variant_value(const parley_scenario *base, size_t k, const parley_scenario *vs, const parley_result *vr, size_t run)
{
    size_t vk;
    if (!vs || !vr || !parley_scenario_find_issue(vs, parley_issue_id(base, k), &vk)) return NAN;
    return parley_result_value(vr, run, vk);
}

/* Formats cell: variant value x against base on [lo, hi], with its change ("61.2 (+3.1)", "55 (=)"). */
static void change_cell(char *cell, size_t size, double base, double x, double lo, double hi)
{
    char val[40], change[40];
    report_fmt_on(val, sizeof val, x, lo, hi);
    if (isnan(x) || isnan(base)) snprintf(cell, size, "%s", val);
    else if (report_scale_ordinary(lo, hi) ? fabs(x - base) < 0.005 : x == base) snprintf(cell, size, "%s (=)", val);
    else report_fmt_change(change, sizeof change, base, x, lo, hi), snprintf(cell, size, "%s (%s)", val, change);
}

/* The headline forecast of each issue in the base case and in every variant: the base's leading run
 * (report_lead_run), the same run in each variant. */
static void headline_table(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *rb,
                           const parley_scenario *const *vs, const parley_result *const *vr, size_t n)
{
    size_t h = parley_result_headline(rb);
    pu_buf_printf(b, "\nThe headline forecast (%s) in each variant, with its change from the base case\n\n   %-22s %8s",
                  h != SIZE_MAX ? report_clean(cn, parley_result_run_label(rb, h)) : "no model gives a distribution: the first model's",
                  "issue", "base");
    for (size_t v = 0; v < n; v++) pu_buf_printf(b, "  %16c", (int)('A' + v % 26));
    pu_buf_puts(b, "\n");
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        size_t run = report_lead_run(rb, k);
        double base = run == SIZE_MAX ? NAN : parley_result_value(rb, run, k);
        char num[40];
        report_fmt_on(num, sizeof num, base, lo, hi);
        pu_buf_printf(b, "   %-22s %8s", report_clean(cn, parley_issue_id(s, k)), num);
        for (size_t v = 0; v < n; v++) {
            char cell[96];
            change_cell(cell, sizeof cell, base, run == SIZE_MAX ? NAN : variant_value(s, k, vs[v], vr[v], run), lo, hi);
            pu_buf_printf(b, "  %16s", cell);
        }
        pu_buf_puts(b, "\n");
    }
}

static char *compare_text(const parley_scenario *s, const parley_result *rb, const parley_scenario *const *vs,
                          const parley_result *const *vr, size_t n, parley_detail detail)
{
    pu_buf b = {0};
    report_cleaner cn = {0};
    pu_buf_printf(&b, "%s\n%zu variant%s against the base case\n\n", report_clean(&cn, report_title(s)), n,
                  n == 1 ? "" : "s");
    for (size_t v = 0; v < n; v++) {
        const char *vn = parley_variant_text(s, v, PARLEY_TEXT_NAME), *vd = parley_variant_text(s, v, PARLEY_TEXT_DESCRIPTION);
        pu_buf_printf(&b, "  %c  %s: %s\n", (int)('A' + v % 26), report_clean(&cn, parley_variant_id(s, v)), vn ? report_clean(&cn, vn) : "");
        if (vd) pu_buf_printf(&b, "     %s\n", report_clean(&cn, vd));
    }
    report_glance(&b, &cn, s, rb);
    headline_table(&b, &cn, s, rb, vs, vr, n);
    if (detail == PARLEY_DETAIL_SUMMARY) {
        pu_buf_puts(&b, "\n(--detail normal adds every model's forecast in each variant)\n");
        if (cn.failed) b.failed = true;
        report_cleaner_free(&cn);
        return pu_buf_take(&b);
    }
    pu_buf_puts(&b, "\nEvery model, per issue\n");
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        pu_buf_printf(&b, "\n%zu. %s  [%s]\n   %-22s %8s", k + 1, report_clean(&cn, issue_name(s, k)), report_clean(&cn, parley_issue_id(s, k)),
                      "model", "base");
        for (size_t v = 0; v < n; v++) pu_buf_printf(&b, "  %16c", (int)('A' + v % 26));
        pu_buf_puts(&b, "\n");
        for (size_t run = 0; run < parley_result_run_count(rb); run++) {
            char num[40];
            double base = parley_result_value(rb, run, k);
            report_fmt_on(num, sizeof num, base, lo, hi);
            pu_buf_printf(&b, "   %-22s %8s", report_clean(&cn, parley_result_run_label(rb, run)), num);
            for (size_t v = 0; v < n; v++) {
                char cell[96];
                change_cell(cell, sizeof cell, base, variant_value(s, k, vs[v], vr[v], run), lo, hi);
                pu_buf_printf(&b, "  %16s", cell);
            }
            pu_buf_puts(&b, "\n");
        }
    }
    if (cn.failed) b.failed = true;
    report_cleaner_free(&cn);
    return pu_buf_take(&b);
}

static char *compare_json(const parley_scenario *s, const parley_result *rb, const parley_scenario *const *vs,
                          const parley_result *const *vr, size_t n)
{
    jw w = {0};
    jw_obj(&w);
    report_json_provenance(&w, s, rb);
    jw_key(&w, "variants");
    jw_arr(&w);
    for (size_t v = 0; v < n; v++) {
        jw_obj(&w);
        jw_kstr(&w, "id", parley_variant_id(s, v));
        jw_kstr(&w, "name", parley_variant_text(s, v, PARLEY_TEXT_NAME));
        jw_kstr(&w, "description", parley_variant_text(s, v, PARLEY_TEXT_DESCRIPTION));
        jw_key(&w, "forecasts");
        jw_arr(&w);
        for (size_t run = 0; run < parley_result_run_count(rb); run++)
            for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
                double base = parley_result_value(rb, run, k), x = variant_value(s, k, vs[v], vr[v], run);
                jw_obj(&w);
                report_json_run(&w, rb, run);
                jw_kstr(&w, "issue", parley_issue_id(s, k));
                jw_knum(&w, "base", base);
                jw_knum(&w, "value", x);
                jw_knum(&w, "change", x - base);
                jw_obj_end(&w);
            }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    pu_buf_puts(&w.out, "\n");
    return pu_buf_take(&w.out);
}

char *parley_compare_report(const parley_scenario *s, const parley_result *base, const parley_scenario *const *variants,
                            const parley_result *const *results, size_t n, const char *format, parley_error *err)
{
    return parley_compare_report_with(s, base, variants, results, n, format, NULL, err);
}

char *parley_compare_report_with(const parley_scenario *s, const parley_result *base, const parley_scenario *const *variants,
                                 const parley_result *const *results, size_t n, const char *format, const parley_report_options *o,
                                 parley_error *err)
{
    if (!strcmp(format, "text")) return compare_text(s, base, variants, results, n, o ? o->detail : PARLEY_DETAIL_NORMAL);
    if (!strcmp(format, "json")) return compare_json(s, base, variants, results, n);
    PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "format", "expected text or json, found \"%s\"", format);
    return NULL;
}
