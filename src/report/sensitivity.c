/* sensitivity.c - which inputs move each forecast: one-at-a-time swings (tornado) and standardised
 * regression coefficients over a Monte Carlo sample (global effects). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "parley/montecarlo.h"
#include "report_internal.h"

/* Standardised regression coefficients of output column col on every input over the completed draws:
 * fills src (p values; 0 for an input that did not vary) and returns R^2 (NaN when the output did not
 * vary or there are too few draws). Solves the normal equations by Cholesky with a tiny ridge. */
static double regress(const parley_mc *mc, size_t col, double *src)
{
    size_t p = parley_mc_input_count(mc), n = parley_mc_completed(mc), m = 0;
    for (size_t j = 0; j < p; j++) src[j] = 0;
    if (p == 0 || n < 3) return NAN;
    double *mx = calloc(p, sizeof *mx), *sx = calloc(p, sizeof *sx), *a = calloc(p * p, sizeof *a), *b = calloc(p, sizeof *b);
    double *xs = calloc(p, sizeof *xs);
    int *ex = calloc(p, sizeof *ex), ey = 0;
    double my = 0, sy = 0, r2 = NAN;
    if (!mx || !sx || !a || !b || !xs || !ex) goto done;
    parley_mc *w = (parley_mc *)mc; /* read-only use of the row accessors */
    /* The coefficients do not change with the unit of any variable: a variable reaching 1e150 (a
     * capability or a forecast near 1e308) is taken in units of a power of two, so that its sums of
     * squares cannot overflow; ordinary ones keep the unit 1 and their bits. */
    double ytop = 0;
    for (size_t d = 0; d < n; d++) {
        double y = parley_mc_outputs_of(w, d)[col];
        if (isnan(y)) continue;
        ytop = fmax(ytop, fabs(y));
        const double *x = parley_mc_inputs_of(w, d);
        for (size_t j = 0; j < p; j++) xs[j] = fmax(xs[j], fabs(x[j]));
    }
    ey = ytop > 1e150 ? ilogb(ytop) : 0;
    for (size_t j = 0; j < p; j++) ex[j] = xs[j] > 1e150 ? ilogb(xs[j]) : 0;
#define Y(d) ldexp(parley_mc_outputs_of(w, d)[col], -ey)
#define X(x, j) ldexp((x)[j], -ex[j])
    for (size_t d = 0; d < n; d++) {
        double y = Y(d);
        if (isnan(y)) continue;
        m++, my += y;
        const double *x = parley_mc_inputs_of(w, d);
        for (size_t j = 0; j < p; j++) mx[j] += X(x, j);
    }
    if (m < 3) goto done;
    my /= (double)m;
    for (size_t j = 0; j < p; j++) mx[j] /= (double)m;
    for (size_t d = 0; d < n; d++) {
        double y = Y(d);
        if (isnan(y)) continue;
        const double *x = parley_mc_inputs_of(w, d);
        sy += (y - my) * (y - my);
        for (size_t j = 0; j < p; j++) sx[j] += (X(x, j) - mx[j]) * (X(x, j) - mx[j]);
    }
    sy = sqrt(sy / (double)(m - 1));
    for (size_t j = 0; j < p; j++) sx[j] = sqrt(sx[j] / (double)(m - 1));
    if (!(sy > 0)) goto done;
    /* Normal equations on standardised variables: a = Z'Z / (m - 1) (correlations), b = Z'y. */
    for (size_t d = 0; d < n; d++) {
        double y = Y(d);
        if (isnan(y)) continue;
        const double *x = parley_mc_inputs_of(w, d);
        double yz = (y - my) / sy;
        for (size_t j = 0; j < p; j++) {
            if (!(sx[j] > 0)) continue;
            double zj = (X(x, j) - mx[j]) / sx[j];
            b[j] += zj * yz;
            for (size_t k = 0; k <= j; k++)
                if (sx[k] > 0) a[j * p + k] += zj * (X(x, k) - mx[k]) / sx[k];
        }
    }
    for (size_t j = 0; j < p; j++) {
        if (!(sx[j] > 0)) a[j * p + j] = 1, b[j] = 0;
        a[j * p + j] += 1e-9 * (double)m;
    }
    /* Cholesky: a = L L' (lower triangle in place), then two triangular solves. */
    for (size_t j = 0; j < p; j++) {
        for (size_t k = 0; k < j; k++) a[j * p + j] -= a[j * p + k] * a[j * p + k];
        if (!(a[j * p + j] > 0)) goto done;
        a[j * p + j] = sqrt(a[j * p + j]);
        for (size_t i = j + 1; i < p; i++) {
            for (size_t k = 0; k < j; k++) a[i * p + j] -= a[i * p + k] * a[j * p + k];
            a[i * p + j] /= a[j * p + j];
        }
    }
    for (size_t j = 0; j < p; j++) {
        for (size_t k = 0; k < j; k++) b[j] -= a[j * p + k] * b[k];
        b[j] /= a[j * p + j];
    }
    for (size_t j = p; j-- > 0;) {
        for (size_t k = j + 1; k < p; k++) b[j] -= a[k * p + j] * b[k];
        b[j] /= a[j * p + j];
    }
    /* R^2 from the fit on the standardised scale. */
    double sse = 0, sst = 0;
    for (size_t d = 0; d < n; d++) {
        double y = Y(d);
        if (isnan(y)) continue;
        const double *x = parley_mc_inputs_of(w, d);
        double yz = (y - my) / sy, fit = 0;
        for (size_t j = 0; j < p; j++)
            if (sx[j] > 0) fit += b[j] * (X(x, j) - mx[j]) / sx[j];
        sse += (yz - fit) * (yz - fit), sst += yz * yz;
    }
    for (size_t j = 0; j < p; j++) src[j] = sx[j] > 0 ? b[j] : 0;
    r2 = sst > 0 ? 1 - sse / sst : NAN;
#undef Y
#undef X
done:
    free(mx), free(sx), free(a), free(b), free(xs), free(ex);
    return r2;
}

typedef struct ranked {
    size_t input;
    double swing; /* high minus low; infinite when that passes the largest double */
    double half;  /* half of it, which never overflows: the ranking key */
} ranked;

static int by_swing(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    double fa = fabs(a->half), fb = fabs(b->half);
    if (fa != fb) return fa < fb ? 1 : -1;
    return (a->input > b->input) - (a->input < b->input);
}

static void rank(const double *lo, const double *hi, size_t p, size_t nout, size_t col, ranked *r)
{
    for (size_t i = 0; i < p; i++) {
        double h = hi[i * nout + col], l = lo[i * nout + col];
        r[i] = (ranked){i, h - l, h / 2 - l / 2};
    }
    qsort(r, p, sizeof *r, by_swing);
}

char *parley_sensitivity_report(const parley_mc *mc, const double *at_low, const double *at_high, const char *format,
                                size_t top, parley_error *err)
{
    return parley_sensitivity_report_with(mc, at_low, at_high, format, top, NULL, err);
}

char *parley_sensitivity_report_with(const parley_mc *mc, const double *at_low, const double *at_high, const char *format,
                                     size_t top, const parley_report_options *o, parley_error *err)
{
    parley_detail detail = o ? o->detail : PARLEY_DETAIL_NORMAL;
    bool json = !strcmp(format, "json");
    if (!json && strcmp(format, "text")) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "format", "expected text or json, found \"%s\"", format);
        return NULL;
    }
    const parley_scenario *s = parley_mc_scenario(mc);
    const parley_result *base = parley_mc_base(mc);
    size_t p = parley_mc_input_count(mc), nout = parley_mc_output_count(mc), issues = parley_scenario_issue_count(s);
    ranked *r = malloc((p ? p : 1) * sizeof *r);
    double *src = malloc((p ? p : 1) * sizeof *src);
    if (!r || !src) {
        free(r), free(src);
        PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    jw w = {0};
    pu_buf b = {0};
    report_cleaner cn = {0};
    if (json) {
        jw_obj(&w);
        report_json_provenance(&w, s, base);
        jw_key(&w, "sensitivity");
        jw_obj(&w);
        jw_kint(&w, "draws", (long long)parley_mc_completed(mc));
        jw_key(&w, "results");
        jw_arr(&w);
    } else {
        pu_buf_printf(&b, "%s\nSensitivity: %zu uncertain input%s; swings move one input across its range with the others as "
                          "written; SRC is its standardised regression coefficient over %zu Monte Carlo draws (seed %llu)\n",
                      report_clean(&cn, report_title(s)), p, p == 1 ? "" : "s", parley_mc_completed(mc),
                      (unsigned long long)parley_mc_seed(mc));
        if (p == 0) pu_buf_puts(&b, "no number in this scenario carries a range: nothing to vary\n");
    }
    for (size_t k = 0; k < issues && p; k++) {
        if (!json) {
            const char *l = parley_issue_text(s, k, PARLEY_TEXT_NAME);
            pu_buf_printf(&b, "\n%zu. %s  [%s]\n", k + 1, report_clean(&cn, l ? l : parley_issue_id(s, k)),
                          report_clean(&cn, parley_issue_id(s, k)));
        }
        size_t headline = parley_result_headline(base);
        if (headline == SIZE_MAX) headline = 0;
        for (size_t run = 0; run < parley_result_run_count(base); run++) {
            if (!json && detail == PARLEY_DETAIL_SUMMARY && run != headline) continue;
            size_t col = run * issues + k;
            double r2 = regress(mc, col, src);
            rank(at_low, at_high, p, nout, col, r);
            if (json) {
                jw_obj(&w);
                report_json_run(&w, base, run);
                jw_kstr(&w, "issue", parley_issue_id(s, k));
                jw_knum(&w, "base", parley_result_value(base, run, k));
                jw_knum(&w, "r2", r2);
                /* Only the inputs that move this forecast on their own: an input of another issue cannot move
                 * a one-issue model's forecast, and listing every input for every forecast would make the
                 * output grow with the square of the issues. The others are counted. */
                size_t unmoved = 0;
                jw_key(&w, "inputs");
                jw_arr(&w);
                for (size_t i = 0; i < p; i++) {
                    size_t in = r[i].input;
                    if (r[i].half == 0) {
                        unmoved++;
                        continue;
                    }
                    double lo, hi;
                    parley_mc_input_range(mc, in, &lo, &hi);
                    jw_obj(&w);
                    jw_kstr(&w, "name", parley_mc_input_name(mc, in));
                    jw_knum(&w, "low", lo);
                    jw_knum(&w, "high", hi);
                    jw_knum(&w, "at_low", at_low[in * nout + col]);
                    jw_knum(&w, "at_high", at_high[in * nout + col]);
                    jw_knum(&w, "swing", r[i].swing);
                    jw_knum(&w, "src", src[in]);
                    jw_obj_end(&w);
                }
                jw_arr_end(&w);
                jw_kint(&w, "unmoved_by", (long long)unmoved);
                jw_obj_end(&w);
                continue;
            }
            char r2s[32];
            if (isnan(r2)) snprintf(r2s, sizeof r2s, "no spread");
            else snprintf(r2s, sizeof r2s, "R^2 %.2f", r2);
            pu_buf_printf(&b, "   %s (%s):", report_clean(&cn, parley_result_run_label(base, run)), r2s);
            size_t shown = 0, limit = detail == PARLEY_DETAIL_FULL ? p : detail == PARLEY_DETAIL_SUMMARY && top > 3 ? 3 : top;
            double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
            /* A swing too small to matter: below 1e-9, or on a scale narrower than 0.01 or reaching 1e15,
             * below 1e-9 of the scale's (half) width. */
            double least = report_scale_ordinary(lo, hi) ? 1e-9 : 1e-9 * (hi / 2 - lo / 2);
            for (size_t i = 0; i < p && shown < limit; i++) {
                if (isnan(r[i].half) || fabs(r[i].half) < least / 2 || r[i].half == 0) break;
                char sw[48];
                report_fmt_change(sw, sizeof sw, at_low[r[i].input * nout + col], at_high[r[i].input * nout + col], lo, hi);
                pu_buf_printf(&b, "%s %s %s (SRC %+.2f)", shown ? ";" : "", report_clean(&cn, parley_mc_input_name(mc, r[i].input)), sw,
                              src[r[i].input]);
                shown++;
            }
            if (shown) {
                pu_buf_puts(&b, "\n");
                continue;
            }
            if (isnan(r2)) {
                pu_buf_puts(&b, " no input moves it\n");
                continue;
            }
            /* The draws moved it though no input does alone: it moves only when several change together (the
             * Nash solution leaves the status quo only once every participant gains). The regression names
             * the inputs that go with it. */
            pu_buf_puts(&b, " no input moves it alone across its range, but together they do;");
            size_t named = 0;
            for (size_t t = 0; t < 3 && t < p; t++) {
                size_t best = SIZE_MAX;
                for (size_t j = 0; j < p; j++) {
                    bool taken = false;
                    for (size_t u = 0; u < t; u++) taken |= r[u].input == j;
                    if (taken || !(fabs(src[j]) > 0.05)) continue;
                    if (best == SIZE_MAX || fabs(src[j]) > fabs(src[best])) best = j;
                }
                if (best == SIZE_MAX) break;
                r[t].input = best; /* r is re-ranked for the next output */
                pu_buf_printf(&b, "%s %s (SRC %+.2f)", named ? ";" : " most with", report_clean(&cn, parley_mc_input_name(mc, best)), src[best]);
                named++;
            }
            pu_buf_puts(&b, named ? "\n" : " no single input stands out\n");
        }
    }
    free(r), free(src);
    if (json) {
        jw_arr_end(&w);
        jw_obj_end(&w);
        jw_obj_end(&w);
        pu_buf_puts(&w.out, "\n");
        report_cleaner_free(&cn);
        return pu_buf_take(&w.out);
    }
    if (cn.failed) b.failed = true;
    report_cleaner_free(&cn);
    return pu_buf_take(&b);
}
