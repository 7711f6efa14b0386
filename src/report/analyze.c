/* analyze.c - writes an outcome-space analysis (parley analyze) as text, JSON and an SVG chart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "parley/analyze.h"
#include "report_internal.h"
#include "svg.h"

static const char *const point_title[] = {"Nash point (largest product of gains over reservation)",
                                          "Kalai-Smorodinsky point (largest equal share of each party's possible gain)",
                                          "Egalitarian point (largest smallest gain over reservation)",
                                          "Max-welfare point (largest sum of utilities)"};

/* ---- JSON ---- */

static void json_outcome(jw *w, const parley_scenario *s, const parley_analysis *a, size_t i)
{
    jw_obj(w);
    jw_key(w, "outcome");
    jw_obj(w);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        double v = parley_analysis_value(a, i, k);
        jw_key(w, parley_issue_id(s, k));
        /* option values are always strings, whatever they look like ("2", "10,000") */
        if (parley_issue_kind_of(s, k) == PARLEY_ISSUE_OPTIONS) jw_str(w, parley_issue_option(s, k, (size_t)v));
        else jw_num(w, v);
    }
    jw_obj_end(w);
    jw_key(w, "utilities");
    jw_obj(w);
    for (size_t j = 0; j < parley_analysis_party_count(a); j++)
        jw_knum(w, parley_actor_id(s, parley_analysis_party_actor(a, j)), parley_analysis_utility(a, i, j));
    jw_obj_end(w);
    jw_kbool(w, "rational", parley_analysis_rational(a, i));
    jw_obj_end(w);
}

static char *report_json_analysis(const parley_scenario *s, const parley_analysis *a)
{
    jw w = {0};
    jw_obj(&w);
    report_json_provenance(&w, s, NULL);
    jw_key(&w, "parties");
    jw_arr(&w);
    for (size_t j = 0; j < parley_analysis_party_count(a); j++) {
        jw_obj(&w);
        jw_kstr(&w, "actor", parley_actor_id(s, parley_analysis_party_actor(a, j)));
        jw_knum(&w, "reservation", parley_analysis_reservation(a, j));
        jw_knum(&w, "ideal", parley_analysis_ideal(a, j));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kuint(&w, "outcome_count", parley_analysis_outcome_count(a));
    jw_kuint(&w, "rational_count", parley_analysis_rational_count(a));
    jw_key(&w, "pareto");
    if (parley_analysis_has_frontier(a)) {
        jw_arr(&w);
        for (size_t f = 0; f < parley_analysis_frontier_count(a); f++) json_outcome(&w, s, a, parley_analysis_frontier_at(a, f));
        jw_arr_end(&w);
    } else {
        jw_null(&w); /* not listed (more than 3 parties without --frontier) */
    }
    jw_key(&w, "points");
    jw_obj(&w);
    for (int p = 0; p < PARLEY_POINT_COUNT; p++) {
        jw_key(&w, parley_point_name((parley_point)p));
        jw_arr(&w);
        for (size_t t = 0; t < parley_analysis_point_count(a, (parley_point)p); t++)
            json_outcome(&w, s, a, parley_analysis_point_at(a, (parley_point)p, t));
        jw_arr_end(&w);
    }
    jw_obj_end(&w);
    jw_obj_end(&w);
    pu_buf_puts(&w.out, "\n");
    return pu_buf_take(&w.out);
}

/* ---- text ---- */

static void text_value(pu_buf *b, report_cleaner *cn, const parley_scenario *s, size_t k, double v)
{
    if (parley_issue_kind_of(s, k) == PARLEY_ISSUE_OPTIONS) {
        pu_buf_printf(b, "%s", report_clean(cn, parley_issue_option(s, k, (size_t)v)));
        return;
    }
    char num[32];
    report_fmt(num, sizeof num, v);
    pu_buf_puts(b, num);
}

/* One outcome: each issue's value, then each party's utility, gain over reservation and share of the
 * gain it could have (ideal - reservation). */
static void text_outcome(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_analysis *a, size_t i)
{
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        pu_buf_printf(b, "    %s: ", report_clean(cn, issue_name(s, k)));
        text_value(b, cn, s, k, parley_analysis_value(a, i, k));
        pu_buf_puts(b, "\n");
    }
    for (size_t j = 0; j < parley_analysis_party_count(a); j++) {
        double u = parley_analysis_utility(a, i, j), r = parley_analysis_reservation(a, j), id = parley_analysis_ideal(a, j);
        pu_buf_printf(b, "    %-28s utility %.4f, gain %+.4f over its reservation", report_clean(cn, actor_name(s, parley_analysis_party_actor(a, j))), u, u - r);
        if (id - r > PARLEY_ANALYZE_TOLERANCE) pu_buf_printf(b, " (%.0f%% of the most it can gain)", 100 * (u - r) / (id - r));
        pu_buf_puts(b, "\n");
    }
}

static char *report_text_analysis(const parley_scenario *s, const parley_analysis *a, const char *note)
{
    pu_buf b = {0};
    report_cleaner cn = {0};
    size_t p = parley_analysis_party_count(a), n = parley_analysis_outcome_count(a), nr = parley_analysis_rational_count(a);
    pu_buf_printf(&b, "Outcome space: %s\n\n", report_clean(&cn, report_title(s)));
    pu_buf_printf(&b, "Parties (%zu):\n", p);
    for (size_t j = 0; j < p; j++) {
        size_t act = parley_analysis_party_actor(a, j);
        pu_buf_printf(&b, "  %-30s reservation %.4f%s\n", report_clean(&cn, actor_name(s, act)), parley_analysis_reservation(a, j),
                      parley_reservation_given(s, act) ? "" : " (default)");
    }
    if (note) pu_buf_printf(&b, "  %s\n", note);
    pu_buf_printf(&b, "\nOutcomes: %zu (", n);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++)
        pu_buf_printf(&b, "%s%s: %zu", k ? " x " : "", report_clean(&cn, issue_name(s, k)), parley_analysis_value_count(a, k));
    pu_buf_puts(&b, ")\n");
    double pct = n ? 100.0 * (double)nr / (double)n : 0.0;
    pu_buf_printf(&b, pct > 0 && pct < 1 ? "Zone of agreement: %zu of %zu outcomes (%.2g%%) give every party at least its reservation value.\n"
                                         : "Zone of agreement: %zu of %zu outcomes (%.1f%%) give every party at least its reservation value.\n",
                  nr, n, pct);
    if (parley_analysis_has_frontier(a)) {
        size_t nf = parley_analysis_frontier_count(a), nfr = 0;
        for (size_t f = 0; f < nf; f++) nfr += parley_analysis_rational(a, parley_analysis_frontier_at(a, f));
        pu_buf_printf(&b, "Pareto frontier: %zu outcomes no other outcome improves on for one party without hurting another; %zu of them in the zone.\n",
                      nf, nfr);
    }
    if (nr == 0) {
        pu_buf_puts(&b, "\nNo outcome gives every party its reservation value: no deal is better for someone than any deal.\n");
    } else {
        pu_buf_puts(&b, "Each party's best in the zone:");
        for (size_t j = 0; j < p; j++)
            pu_buf_printf(&b, "%s %s %.4f", j ? "," : "", report_clean(&cn, actor_name(s, parley_analysis_party_actor(a, j))),
                          parley_analysis_ideal(a, j));
        pu_buf_puts(&b, "\n");
        for (int pt = 0; pt < PARLEY_POINT_COUNT; pt++) {
            size_t c = parley_analysis_point_count(a, (parley_point)pt);
            pu_buf_printf(&b, "\n%s: value %.6g, %zu outcome%s\n", point_title[pt], parley_analysis_point_value(a, (parley_point)pt), c,
                          c == 1 ? "" : "s (tied)");
            size_t show = c < 5 ? c : 5;
            for (size_t t = 0; t < show; t++) {
                if (t) pu_buf_puts(&b, "    --\n");
                text_outcome(&b, &cn, s, a, parley_analysis_point_at(a, (parley_point)pt, t));
            }
            if (c > show) pu_buf_printf(&b, "    ... and %zu more tied (see --format json)\n", c - show);
        }
    }
    if (parley_analysis_has_frontier(a)) {
        size_t nf = parley_analysis_frontier_count(a);
        pu_buf_puts(&b, "\nPareto frontier (utilities; * in the zone of agreement):\n ");
        for (size_t j = 0; j < p; j++)
            pu_buf_printf(&b, " %10.10s", report_clean(&cn, parley_actor_id(s, parley_analysis_party_actor(a, j))));
        pu_buf_puts(&b, "    outcome\n");
        for (size_t f = 0; f < nf; f++) {
            size_t i = parley_analysis_frontier_at(a, f);
            pu_buf_puts(&b, parley_analysis_rational(a, i) ? " *" : "  ");
            for (size_t j = 0; j < p; j++) pu_buf_printf(&b, "%s%10.4f", j ? " " : "", parley_analysis_utility(a, i, j));
            pu_buf_puts(&b, "    ");
            for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
                if (k) pu_buf_puts(&b, ", ");
                text_value(&b, &cn, s, k, parley_analysis_value(a, i, k));
            }
            pu_buf_puts(&b, "\n");
        }
    } else {
        pu_buf_puts(&b, "\nThe Pareto frontier is not listed with more than 3 parties (--frontier lists it).\n");
    }
    bool failed = cn.failed;
    report_cleaner_free(&cn);
    if (failed) {
        pu_buf_free(&b);
        return NULL;
    }
    return pu_buf_take(&b);
}

char *parley_analysis_report(const parley_scenario *s, const parley_analysis *a, const char *format, const char *note,
                             parley_error *err)
{
    char *t = NULL;
    if (!format || !strcmp(format, "text")) t = report_text_analysis(s, a, note);
    else if (!strcmp(format, "json")) t = report_json_analysis(s, a);
    else {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "format", "expected text or json, found \"%s\"", format);
        return NULL;
    }
    if (!t) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory writing the analysis");
    return t;
}

/* ---- SVG ---- */

char *parley_analysis_svg(const parley_scenario *s, const parley_analysis *a, size_t jx, size_t jy, parley_error *err)
{
    size_t p = parley_analysis_party_count(a), n = parley_analysis_outcome_count(a);
    if (jx >= p || jy >= p || jx == jy) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "actors", "the chart needs two different parties of the analysis");
        return NULL;
    }
    if (p > 2 && !parley_analysis_has_frontier(a)) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "frontier", "the chart of %zu parties needs the frontier (--frontier)", p);
        return NULL;
    }
    const double W = 640, H = 530, L = 70, R = 190, T = 50, B = 60, pw = W - L - R, ph = H - T - B;
    const char *xn = actor_name(s, parley_analysis_party_actor(a, jx)), *yn = actor_name(s, parley_analysis_party_actor(a, jy));
    pu_buf title = {0};
    pu_buf_printf(&title, "Outcome space: %s (across) and %s (up)", xn, yn);
    svg g = {0};
    svg_open(&g, W, H, title.data);
    svg_text(&g, W / 2, 22, "middle", 14, "#222", title.data ? title.data : "");
    pu_buf_free(&title);
    /* axes from 0 to the largest utility (at least 1), so that charts of one domain compare */
    double mx = 1, my = 1;
    for (size_t i = 0; i < n; i++) {
        mx = fmax(mx, parley_analysis_utility(a, i, jx));
        my = fmax(my, parley_analysis_utility(a, i, jy));
    }
#define X(u) (L + pw * (u) / mx)
#define Y(u) (T + ph * (1 - (u) / my))
    svg_rect(&g, L, T, pw, ph, "#fafafa", 1, NULL);
    svg_line(&g, L, T + ph, L + pw, T + ph, "#444", 1);
    svg_line(&g, L, T, L, T + ph, "#444", 1);
    for (int t = 0; t <= 4; t++) {
        char lab[16];
        snprintf(lab, sizeof lab, "%.2f", mx * t / 4);
        svg_text(&g, X(mx * t / 4), T + ph + 16, "middle", 10, "#444", lab);
        snprintf(lab, sizeof lab, "%.2f", my * t / 4);
        svg_text(&g, L - 6, Y(my * t / 4) + 3, "end", 10, "#444", lab);
    }
    svg_text(&g, L + pw / 2, H - 18, "middle", 12, "#222", xn);
    svg_text(&g, 16, T - 10, "start", 12, "#222", yn);
    /* the reservation lines bound the zone of agreement */
    double rx = parley_analysis_reservation(a, jx), ry = parley_analysis_reservation(a, jy);
    svg_line(&g, X(rx), T, X(rx), T + ph, "#bbb", 1);
    svg_line(&g, L, Y(ry), L + pw, Y(ry), "#bbb", 1);
    /* every outcome, one dot per 6-pixel cell it falls in (a cell with a rational outcome shows that),
     * so that the chart stays small whatever the number of outcomes */
    enum { CELL = 6 };
    size_t cw = (size_t)(pw / CELL) + 1, ch = (size_t)(ph / CELL) + 1;
    unsigned char *cell = calloc(cw * ch, 1);
    if (cell) {
        for (size_t i = 0; i < n; i++) {
            size_t cx = (size_t)((X(parley_analysis_utility(a, i, jx)) - L) / CELL), cy = (size_t)((Y(parley_analysis_utility(a, i, jy)) - T) / CELL);
            if (cx < cw && cy < ch) cell[cy * cw + cx] |= parley_analysis_rational(a, i) ? 2 : 1;
        }
        for (size_t cy = 0; cy < ch; cy++)
            for (size_t cx = 0; cx < cw; cx++)
                if (cell[cy * cw + cx])
                    svg_circle(&g, L + (double)cx * CELL + CELL / 2.0, T + (double)cy * CELL + CELL / 2.0, 1.5,
                               cell[cy * cw + cx] & 2 ? "#9ab" : "#ccc", NULL);
        free(cell);
    }
    /* the frontier, or with 3+ parties its outcomes seen in this plane */
    size_t nf = parley_analysis_frontier_count(a);
    double *fx = malloc((nf ? nf : 1) * sizeof *fx), *fy = malloc((nf ? nf : 1) * sizeof *fy);
    if (fx && fy) {
        for (size_t f = 0; f < nf; f++) {
            size_t i = parley_analysis_frontier_at(a, f);
            fx[f] = X(parley_analysis_utility(a, i, jx)), fy[f] = Y(parley_analysis_utility(a, i, jy));
        }
        if (p == 2 && nf > 1) svg_polyline(&g, fx, fy, nf, "#246", 1.5, "Pareto frontier");
        for (size_t f = 0; f < nf; f++) svg_circle(&g, fx[f], fy[f], 3, "#246", NULL);
    }
    free(fx), free(fy);
    static const char *const colour[] = {"#d62728", "#ff7f0e", "#2ca02c", "#9467bd"};
    static const char *const label[] = {"Nash", "Kalai-Smorodinsky", "egalitarian", "max welfare"};
    for (int pt = 0; pt < PARLEY_POINT_COUNT; pt++) {
        for (size_t t = 0; t < parley_analysis_point_count(a, (parley_point)pt); t++) {
            size_t i = parley_analysis_point_at(a, (parley_point)pt, t);
            svg_circle(&g, X(parley_analysis_utility(a, i, jx)), Y(parley_analysis_utility(a, i, jy)), 7.0 - pt * 1.2, colour[pt], label[pt]);
        }
        double ly = T + 20 + pt * 20;
        svg_circle(&g, W - R + 20, ly - 4, 5, colour[pt], NULL);
        svg_text(&g, W - R + 32, ly, "start", 11, "#222", label[pt]);
    }
    svg_circle(&g, W - R + 20, T + 96, 3, "#246", NULL);
    svg_text(&g, W - R + 32, T + 100, "start", 11, "#222", "Pareto frontier");
    svg_circle(&g, W - R + 20, T + 116, 2, "#9ab", NULL);
    svg_text(&g, W - R + 32, T + 120, "start", 11, "#222", "in the zone of agreement");
    svg_circle(&g, W - R + 20, T + 136, 2, "#ccc", NULL);
    svg_text(&g, W - R + 32, T + 140, "start", 11, "#222", "below a reservation value");
#undef X
#undef Y
    char *out = svg_close(&g);
    if (!out) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory drawing the chart");
    return out;
}
