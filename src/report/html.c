/* html.c - the self-contained HTML report: the scenario, every model's forecast, the charts, the
 * uncertainty and the variants, readable on screen and in print, with no network access. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "parley/montecarlo.h"
#include "report_internal.h"
#include "svg.h"

static const char style[] =
    "body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}"
    "h3{font-size:1.05em;margin-bottom:.3em}table{border-collapse:collapse;margin:.6em 0;font-size:.92em}"
    "th,td{border:1px solid #ddd;padding:.25em .55em;text-align:right}th:first-child,td:first-child{text-align:left}"
    "th{background:#f3f3f3}.note{color:#555;font-size:.9em}.chart{margin:.8em 0;overflow-x:auto}"
    "svg{max-width:100%;height:auto}.prov{color:#666;font-size:.85em}ul.trades li{margin:.25em 0}"
    "td.up{color:#b22}td.down{color:#235fa4}#glance-table td{white-space:nowrap}"
    "#glance-table .words{text-align:left;white-space:normal}"
    "#glance-table tbody th{font-weight:normal;background:none}.flag{color:#b22;font-weight:bold;cursor:help}"
    "@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}.chart{page-break-inside:avoid}}";

static void esc(pu_buf *b, const char *t)
{
    svg_escape(b, t);
}

/* Appends a chart, or nothing when it cannot be drawn (its error is dropped: the section says why). */
static bool chart(pu_buf *b, const parley_scenario *s, const parley_result *r, const parley_mc *mc, const double *lo,
                  const double *hi, const char *name, size_t issue)
{
    parley_error *err = parley_error_new();
    char *drawing = parley_chart(s, r, mc, lo, hi, name, issue, err);
    parley_error_free(err);
    if (!drawing) return false;
    pu_buf_printf(b, "<div class=\"chart\" data-chart=\"%s\">", name);
    pu_buf_puts(b, drawing);
    pu_buf_puts(b, "</div>\n");
    free(drawing);
    return true;
}

static bool has_rounds(const parley_result *r, size_t k)
{
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t ri;
        int rd;
        parley_result_round(r, i, NULL, &ri, &rd, NULL, NULL, NULL);
        if (ri == k && rd > 0) return true;
    }
    return false;
}

static bool has_challenges(const parley_result *r, size_t k)
{
    parley_challenge c;
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++)
        if (c.issue == k && c.round == 1) return true;
    return false;
}

/* Formats a number on issue k's scale (report_fmt_on). */
static void fmt_k(char *buf, size_t size, const parley_scenario *s, size_t k, double v)
{
    report_fmt_on(buf, size, v, parley_issue_number(s, k, PARLEY_ISSUE_LOW), parley_issue_number(s, k, PARLEY_ISSUE_HIGH));
}

/* Appends where v lies on issue k's scale in the scale's words (report_lean, the text table's words),
 * escaped for HTML. */
static void lean_words(pu_buf *b, const parley_scenario *s, size_t k, double v)
{
    pu_buf t = {0};
    report_cleaner cn = {0};
    report_lean(&t, &cn, s, k, v);
    if (t.failed || cn.failed) b->failed = true;
    report_cleaner_free(&cn);
    char *words = pu_buf_take(&t);
    esc(b, words);
    free(words);
}

/* The "At a glance" table: per issue the headline forecast, its 80% interval, the range of the other runs'
 * forecasts (flagged where wider than the interval) and the forecast in the scale's words. */
static void glance(pu_buf *b, const parley_scenario *s, const parley_result *r)
{
    size_t h = parley_result_headline(r), runs = parley_result_run_count(r), m = parley_scenario_issue_count(s);
    pu_buf_puts(b, "<h2 id=\"glance\">At a glance</h2>\n<p id=\"glance-about\">");
    if (h != SIZE_MAX) {
        pu_buf_puts(b, "The <b>");
        esc(b, parley_result_run_label(r, h));
        pu_buf_puts(b, "</b> forecast of each issue (the median of its predictive distribution), its 80% interval, and the "
                       "range of the other models&#39; forecasts.</p>\n");
    } else {
        pu_buf_puts(b, "No model run here gives a predictive distribution, so each issue shows the first model&#39;s forecast (");
        esc(b, runs ? parley_result_run_label(r, 0) : "none");
        pu_buf_puts(b, ") with no interval, and the range of the other models&#39; forecasts (<code>--model ensemble</code> gives "
                       "one).</p>\n");
    }
    pu_buf_printf(b, "<table id=\"glance-table\" aria-describedby=\"glance-about\" data-headline=\"%s\">\n<thead><tr>"
                     "<th scope=\"col\">issue</th><th scope=\"col\">forecast</th><th scope=\"col\">80%% interval</th>"
                     "<th scope=\"col\">other models</th><th scope=\"col\" class=\"words\">in the scale&#39;s words</th></tr></thead>\n<tbody>\n",
                  h != SIZE_MAX ? "true" : "false");
    bool flagged = false;
    for (size_t k = 0; k < m; k++) {
        size_t lead = report_lead_run(r, k);
        double v = lead == SIZE_MAX ? NAN : parley_result_value(r, lead, k), ilo = NAN, ihi = NAN;
        if (lead != SIZE_MAX && parley_result_has_distribution(r, lead, k)) parley_result_interval(r, lead, k, 0.8, &ilo, &ihi);
        double mn = INFINITY, mx = -INFINITY;
        for (size_t run = 0; run < runs; run++) {
            double x = parley_result_value(r, run, k);
            if (run == lead || isnan(x)) continue;
            mn = fmin(mn, x), mx = fmax(mx, x);
        }
        /* Halves: widths on a scale from -1e308 to 1e308 do not overflow. */
        bool wider = mn <= mx && !isnan(ilo) && !isnan(ihi) && mx / 2 - mn / 2 > ihi / 2 - ilo / 2;
        flagged |= wider;
        char val[40], lo[40], hi[40];
        pu_buf_puts(b, "<tr data-issue=\"");
        esc(b, parley_issue_id(s, k));
        pu_buf_puts(b, "\"><th scope=\"row\">");
        esc(b, issue_name(s, k));
        fmt_k(val, sizeof val, s, k, v);
        if (lead != SIZE_MAX) pu_buf_printf(b, "</th><td data-field=\"forecast\" data-run=\"%zu\">%s</td>", lead, val);
        else pu_buf_printf(b, "</th><td data-field=\"forecast\">%s</td>", val);
        if (!isnan(ilo) && !isnan(ihi)) {
            fmt_k(lo, sizeof lo, s, k, ilo), fmt_k(hi, sizeof hi, s, k, ihi);
            pu_buf_printf(b, "<td data-field=\"interval\">%s to %s</td>", lo, hi);
        } else {
            pu_buf_puts(b, "<td data-field=\"interval\">-</td>");
        }
        if (mn < mx) {
            fmt_k(lo, sizeof lo, s, k, mn), fmt_k(hi, sizeof hi, s, k, mx);
            pu_buf_printf(b, "<td data-field=\"range\"%s>%s to %s%s</td>", wider ? " data-wider=\"true\"" : "", lo, hi,
                          wider ? " <span class=\"flag\" role=\"img\" aria-label=\"wider than the 80% interval\" "
                                  "title=\"wider than the 80% interval\">!</span>"
                                : "");
        } else if (mn == mx) { /* the other models agree: one number */
            fmt_k(lo, sizeof lo, s, k, mn);
            pu_buf_printf(b, "<td data-field=\"range\">%s</td>", lo);
        } else {
            pu_buf_puts(b, "<td data-field=\"range\">-</td>");
        }
        pu_buf_puts(b, "<td class=\"words\" data-field=\"words\">");
        if (isnan(v)) pu_buf_puts(b, "no model gives this issue a forecast");
        else lean_words(b, s, k, v);
        if (lead != SIZE_MAX && lead != h && h != SIZE_MAX) {
            pu_buf_puts(b, " (");
            esc(b, parley_result_run_label(r, lead));
            pu_buf_puts(b, "&#39;s forecast: ");
            esc(b, parley_result_run_label(r, h));
            pu_buf_puts(b, " gives none)");
        }
        pu_buf_puts(b, "</td></tr>\n");
    }
    pu_buf_puts(b, "</tbody></table>\n");
    if (flagged)
        pu_buf_puts(b, "<p class=\"note\"><span class=\"flag\">!</span> the other models&#39; forecasts spread wider than the "
                       "80% interval: they disagree more than the headline&#39;s own uncertainty allows for: weigh them before "
                       "relying on one number.</p>\n");
}

char *parley_html_report(const parley_scenario *s, const parley_result *r, const parley_mc *mc, const double *lo,
                         const double *hi, const parley_scenario *const *vs, const parley_result *const *vr, size_t nv,
                         parley_error *err)
{
    return parley_html_report_with(s, r, mc, lo, hi, vs, vr, nv, NULL, err);
}

char *parley_html_report_with(const parley_scenario *s, const parley_result *r, const parley_mc *mc, const double *lo,
                              const double *hi, const parley_scenario *const *vs, const parley_result *const *vr, size_t nv,
                              const parley_report_options *o, parley_error *err)
{
    bool summary = o && o->detail == PARLEY_DETAIL_SUMMARY;
    pu_buf b = {0};
    char num[40];
    const char *name = parley_scenario_text(s, PARLEY_TEXT_NAME), *desc = parley_scenario_text(s, PARLEY_TEXT_DESCRIPTION);
    const char *date = parley_scenario_text(s, PARLEY_TEXT_DATE);
    size_t m = parley_scenario_issue_count(s), n = parley_scenario_actor_count(s), runs = parley_result_run_count(r);
    pu_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1\"><title>");
    esc(&b, name ? name : "parley report");
    pu_buf_printf(&b, "</title><style>%s</style></head><body>\n<h1>", style);
    esc(&b, report_title(s));
    pu_buf_puts(&b, "</h1>\n");
    if (date || desc) {
        pu_buf_puts(&b, "<p>");
        if (date) esc(&b, date), pu_buf_puts(&b, desc ? ". " : "");
        if (desc) esc(&b, desc);
        pu_buf_puts(&b, "</p>\n");
    }
    pu_buf_printf(&b, "<p class=\"prov\">parley %s &middot; input ", PARLEY_VERSION);
    esc(&b, parley_scenario_source(s) ? parley_scenario_source(s) : "(built in memory)");
    pu_buf_printf(&b, " (sha256 %.12s&hellip;) &middot; seed %llu &middot; %zu actors, %zu issues</p>\n", parley_scenario_sha256(s),
                  (unsigned long long)parley_result_seed(r), n, m);

    /* The answer first, as every output gives it; then every model. */
    glance(&b, s, r);
    /* What each model is comes from the registry (its summary and traits), so a new model describes itself. */
    pu_buf_puts(&b, "<h2 id=\"forecast\">Every model&#39;s forecast</h2>\n<p>Each model's forecast of where each issue lands, "
                    "on the issue's own scale. The models answer different questions:</p>\n<ul class=\"models\">\n");
    for (size_t run = 0; run < runs; run++) {
        const char *mn = parley_result_run_model(r, run);
        bool seen = false;
        for (size_t k = 0; k < run && !seen; k++) seen = !strcmp(parley_result_run_model(r, k), mn);
        const parley_model *pm = seen ? NULL : parley_model_find(mn);
        if (!pm) continue;
        pu_buf_puts(&b, "<li><b>");
        esc(&b, mn);
        pu_buf_puts(&b, "</b>: ");
        esc(&b, parley_model_summary(pm));
        pu_buf_puts(&b, parley_model_scope(pm) == PARLEY_SCOPE_GROUP ? " <i>(all issues at once" : " <i>(each issue alone");
        for (unsigned bit = 1, named = 0; bit & PARLEY_RECORDS_ALL; bit <<= 1)
            if (parley_model_records(pm) & bit) pu_buf_printf(&b, "%s%s", named++ ? ", " : "; records ", parley_record_name(bit));
        pu_buf_puts(&b, ")</i></li>\n");
    }
    pu_buf_puts(&b, "</ul>\n<table id=\"forecast-table\"><tr><th>issue</th>");
    for (size_t run = 0; run < runs; run++) {
        pu_buf_puts(&b, "<th>");
        esc(&b, parley_result_run_label(r, run));
        pu_buf_puts(&b, "</th>");
    }
    pu_buf_puts(&b, "</tr>\n");
    for (size_t k = 0; k < m; k++) {
        pu_buf_puts(&b, "<tr><td>");
        esc(&b, issue_name(s, k));
        pu_buf_puts(&b, "</td>");
        for (size_t run = 0; run < runs; run++) {
            fmt_k(num, sizeof num, s, k, parley_result_value(r, run, k));
            pu_buf_printf(&b, "<td data-model=\"%zu\" data-issue=\"%zu\">%s</td>", run, k, num);
        }
        pu_buf_puts(&b, "</tr>\n");
    }
    pu_buf_puts(&b, "</table>\n<p class=\"note\">Below, each issue's scale with the actors on it (circle size: salience "
                    "&times; capability; hover for names and numbers), the models' forecasts (triangles), the headline's "
                    "80% interval (the band on the axis) and the status quo (the red tick).</p>\n");
    chart(&b, s, r, NULL, NULL, NULL, "forecast", SIZE_MAX);

    /* --detail summary: the answer and every model's forecast, nothing more. */
    if (summary) goto footer;
    /* The scenario */
    pu_buf_puts(&b, "<h2 id=\"scenario\">The scenario</h2>\n");
    chart(&b, s, r, NULL, NULL, NULL, "positions", SIZE_MAX);
    pu_buf_puts(&b, "<h3>The issues</h3>\n<table><tr><th>issue</th><th>low end</th><th>high end</th><th>status quo</th></tr>\n");
    for (size_t k = 0; k < m; k++) {
        const char *ll = parley_issue_text(s, k, PARLEY_TEXT_LOW_LABEL), *hl = parley_issue_text(s, k, PARLEY_TEXT_HIGH_LABEL);
        pu_buf_puts(&b, "<tr><td>");
        esc(&b, issue_name(s, k));
        pu_buf_puts(&b, "</td><td style=\"text-align:left\">");
        fmt_k(num, sizeof num, s, k, parley_issue_number(s, k, PARLEY_ISSUE_LOW));
        pu_buf_printf(&b, "%s", num);
        if (ll) pu_buf_puts(&b, ": "), esc(&b, ll);
        pu_buf_puts(&b, "</td><td style=\"text-align:left\">");
        fmt_k(num, sizeof num, s, k, parley_issue_number(s, k, PARLEY_ISSUE_HIGH));
        pu_buf_printf(&b, "%s", num);
        if (hl) pu_buf_puts(&b, ": "), esc(&b, hl);
        fmt_k(num, sizeof num, s, k, parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE));
        pu_buf_printf(&b, "</td><td>%s</td></tr>\n", num);
    }
    pu_buf_puts(&b, "</table>\n<h3>The actors</h3>\n<table><tr><th>actor</th><th>capability</th><th style=\"text-align:left\">why</th></tr>\n");
    for (size_t a = 0; a < n; a++) {
        pu_buf_puts(&b, "<tr><td>");
        esc(&b, actor_name(s, a));
        double cap = parley_actor_capability(s, a);
        if (cap > 0 && cap < 0.005) report_fmt_on(num, sizeof num, cap, 0, 0); /* 5e-324, not 0 */
        else report_fmt(num, sizeof num, cap);
        pu_buf_printf(&b, "</td><td>%s</td><td style=\"text-align:left\">", num);
        const char *why = parley_why(s, a, SIZE_MAX, PARLEY_FIELD_CAPABILITY);
        esc(&b, why ? why : "");
        pu_buf_puts(&b, "</td></tr>\n");
    }
    pu_buf_puts(&b, "</table>\n");

    /* Round by round */
    bool any_rounds = false;
    for (size_t k = 0; k < m && !any_rounds; k++) any_rounds = has_rounds(r, k);
    if (any_rounds) {
        pu_buf_puts(&b, "<h2 id=\"rounds\">Round by round</h2>\n<p>How the actors' positions move in each round-based "
                        "model, one line per actor (hover a line for its actor).</p>\n");
        for (size_t k = 0; k < m; k++)
            for (size_t run = 0; run < runs; run++) {
                if (!(report_run_records(r, run) & PARLEY_RECORDS_ROUNDS)) continue;
                parley_error *e2 = parley_error_new();
                char *drawing = chart_trajectories(s, r, k, run, e2);
                parley_error_free(e2);
                if (!drawing) continue;
                pu_buf_printf(&b, "<div class=\"chart\" data-chart=\"trajectories\">%s</div>\n", drawing);
                free(drawing);
            }
    }
    bool any_pressure = false;
    for (size_t k = 0; k < m && !any_pressure; k++) any_pressure = has_challenges(r, k);
    if (any_pressure) {
        pu_buf_puts(&b, "<h2 id=\"pressure\">Who presses whom</h2>\n<p>In the first round of the challenge model, each row "
                        "presses each column; the colour says how the pressed actor sees it (hover a cell for the offer).</p>\n");
        for (size_t k = 0; k < m; k++)
            if (has_challenges(r, k)) chart(&b, s, r, NULL, NULL, NULL, "pressure", k);
    }

    /* Trades */
    /* Trades: those of the first run whose model records them and made some in round 1. */
    parley_exchange e;
    size_t trader = SIZE_MAX;
    for (size_t i = 0; trader == SIZE_MAX && parley_result_exchange(r, i, &e); i++)
        if (e.round == 1 && (report_run_records(r, e.run) & PARLEY_RECORDS_TRADES)) trader = e.run;
    if (trader != SIZE_MAX) {
        pu_buf_puts(&b, "<h2 id=\"trades\">Trades across issues</h2>\n<p>");
        esc(&b, parley_result_run_label(r, trader));
        pu_buf_puts(&b, ": the trades in round 1, in the order they were made: a party gives ground on an issue it cares "
                        "less about to win movement on one it cares about more.</p>\n<ul class=\"trades\">\n");
        size_t shown = 0;
        for (size_t i = 0; parley_result_exchange(r, i, &e) && shown < 15; i++) {
            if (e.round != 1 || e.run != trader) continue;
            char ix[40], iy[40], jx[40], jy[40];
            fmt_k(ix, sizeof ix, s, e.i_supply, e.i_x), fmt_k(iy, sizeof iy, s, e.i_supply, e.i_y);
            fmt_k(jx, sizeof jx, s, e.j_supply, e.j_x), fmt_k(jy, sizeof jy, s, e.j_supply, e.j_y);
            pu_buf_puts(&b, "<li><b>");
            esc(&b, actor_name(s, e.i));
            pu_buf_puts(&b, "</b> gives ground on ");
            esc(&b, issue_name(s, e.i_supply));
            pu_buf_printf(&b, ", %s &rarr; %s, and wins movement from <b>", ix, iy);
            esc(&b, actor_name(s, e.j));
            pu_buf_puts(&b, "</b> on ");
            esc(&b, issue_name(s, e.j_supply));
            pu_buf_printf(&b, ", %s &rarr; %s; gain %.3g each.</li>\n", jx, jy, e.gain);
            shown++;
        }
        pu_buf_puts(&b, "</ul>\n");
        chart(&b, s, r, NULL, NULL, NULL, "exchanges", SIZE_MAX);
    }

    /* Uncertainty */
    if (mc && parley_mc_input_count(mc) > 0) {
        pu_buf_printf(&b, "<h2 id=\"uncertainty\">How sure can we be?</h2>\n<p>%zu numbers in the scenario carry a range. "
                          "Over %zu draws of them, each model's forecast spreads as below (bars: how many draws land in each "
                          "twentieth of the scale; the black line is the forecast with the numbers as written).</p>\n",
                      parley_mc_input_count(mc), parley_mc_completed(mc));
        for (size_t k = 0; k < m; k++) chart(&b, s, NULL, mc, NULL, NULL, "distribution", k);
        if (lo && hi) {
            pu_buf_puts(&b, "<h3>What moves the forecast</h3>\n<p>For the first model, each uncertain number moved alone "
                            "across its range, the others as written (the twelve largest effects per issue).</p>\n");
            for (size_t k = 0; k < m; k++) chart(&b, s, NULL, mc, lo, hi, "tornado", k);
        }
    }

    /* Variants */
    if (nv > 0) {
        pu_buf_puts(&b, "<h2 id=\"variants\">What if?</h2>\n<p>The scenario's variants, each against the base case "
                        "(forecast, and change from the base).</p>\n<ul>\n");
        for (size_t v = 0; v < nv; v++) {
            const char *vn = parley_variant_text(s, v, PARLEY_TEXT_NAME), *vd = parley_variant_text(s, v, PARLEY_TEXT_DESCRIPTION);
            pu_buf_printf(&b, "<li><b>%c</b> ", (int)('A' + v % 26));
            esc(&b, vn ? vn : parley_variant_id(s, v));
            if (vd) pu_buf_puts(&b, ": "), esc(&b, vd);
            pu_buf_puts(&b, "</li>\n");
        }
        pu_buf_puts(&b, "</ul>\n");
        for (size_t k = 0; k < m; k++) {
            pu_buf_puts(&b, "<h3>");
            esc(&b, issue_name(s, k));
            pu_buf_puts(&b, "</h3>\n<table><tr><th>model</th><th>base</th>");
            for (size_t v = 0; v < nv; v++) pu_buf_printf(&b, "<th>%c</th>", (int)('A' + v % 26));
            pu_buf_puts(&b, "</tr>\n");
            for (size_t run = 0; run < runs; run++) {
                double base = parley_result_value(r, run, k);
                fmt_k(num, sizeof num, s, k, base);
                pu_buf_puts(&b, "<tr><td>");
                esc(&b, parley_result_run_label(r, run));
                pu_buf_printf(&b, "</td><td>%s</td>", num);
                for (size_t v = 0; v < nv; v++) {
                    size_t vk;
                    double x = vs[v] && vr[v] && parley_scenario_find_issue(vs[v], parley_issue_id(s, k), &vk)
                                   ? parley_result_value(vr[v], run, vk)
                                   : NAN;
                    fmt_k(num, sizeof num, s, k, x);
                    double klo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), khi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
                    double d = x / 2 - base / 2; /* halves: no overflow */
                    char change[40];
                    if (isnan(d) || (report_scale_ordinary(klo, khi) ? fabs(d) < 0.005 / 2 : d == 0)) pu_buf_printf(&b, "<td>%s</td>", num);
                    else report_fmt_change(change, sizeof change, base, x, klo, khi),
                         pu_buf_printf(&b, "<td class=\"%s\">%s (%s)</td>", d > 0 ? "up" : "down", num, change);
                }
                pu_buf_puts(&b, "</tr>\n");
            }
            pu_buf_puts(&b, "</table>\n");
        }
    }
footer:
    pu_buf_puts(&b, "<p class=\"prov\">Made with parley; every number above can be reproduced from the input file, its "
                    "SHA-256 and the seed.</p>\n</body></html>\n");
    char *out = pu_buf_take(&b);
    if (!out) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return out;
}

/* Shared with the brief (brief.c), which shows the same table and charts: the report's own helpers, not copies. */
void html_glance(pu_buf *b, const parley_scenario *s, const parley_result *r)
{
    glance(b, s, r);
}

bool html_chart(pu_buf *b, const parley_scenario *s, const parley_result *r, const parley_mc *mc, const double *lo,
                const double *hi, const char *name, size_t issue)
{
    return chart(b, s, r, mc, lo, hi, name, issue);
}
