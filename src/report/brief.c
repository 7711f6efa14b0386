/* brief.c - the two-page brief (parley brief): the report's glance table and forecast strips, the three
 * inputs that move each headline forecast most, and the variants, laid out for two A4 pages. */
#include "parley/brief.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "parley/montecarlo.h"
#include "report_internal.h"
#include "svg.h"

static const char style[] =
    "body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:1.5em auto;padding:0 1em;"
    "line-height:1.35;font-size:10.5pt}"
    "h1{font-size:1.45em;margin:0 0 .2em}h2{font-size:1.1em;border-bottom:1px solid #ccc;padding-bottom:.15em;margin:1em 0 .4em}"
    "h3{font-size:.95em;margin:.2em 0}table{border-collapse:collapse;margin:.4em 0;font-size:.88em}"
    "th,td{border:1px solid #ddd;padding:.2em .45em;text-align:right}th:first-child,td:first-child{text-align:left}"
    "th{background:#f3f3f3}.note{color:#555;font-size:.85em}.prov{color:#666;font-size:.8em}"
    "td.up{color:#b22}td.down{color:#235fa4}#glance-table td{white-space:nowrap}#glance-table .words{text-align:left;"
    "white-space:normal}#glance-table tbody th{font-weight:normal;background:none}.flag{color:#b22;font-weight:bold}"
    ".issues{display:grid;grid-template-columns:1fr 1fr;gap:.4em 1.2em}.issue{break-inside:avoid}"
    ".chart svg{width:100%;height:auto}.movers{margin:.1em 0 0;padding-left:1.3em;font-size:.82em}"
    "ul.variants{font-size:.88em;margin:.3em 0;padding-left:1.2em}"
    "@page{size:A4;margin:11mm}"
    "@media print{body{margin:0;max-width:none;font-size:9pt}.page{break-after:page}.page:last-child{break-after:auto}"
    "h2{break-after:avoid}}";

static void fmt_k(char *buf, size_t size, const parley_scenario *s, size_t k, double v)
{
    report_fmt_on(buf, size, v, parley_issue_number(s, k, PARLEY_ISSUE_LOW), parley_issue_number(s, k, PARLEY_ISSUE_HIGH));
}

/* Deal or no deal: the hook for the negotiation protocols (an issue's reservation values and a protocol's
 * result: whether a deal beats every party's walk-away). The scenario format and results hold no protocol
 * yet, so it writes nothing and returns false; once they do, it writes its section here, on page 1. */
static bool deal_or_no_deal(pu_buf *b, const parley_scenario *s, const parley_result *r)
{
    (void)b, (void)s, (void)r;
    return false;
}

/* The headline forecast of each issue in the base case and every variant, with its change. */
static void variants(pu_buf *b, const parley_scenario *s, const parley_result *r, const parley_scenario *const *vs,
                     const parley_result *const *vr, size_t nv)
{
    size_t m = parley_scenario_issue_count(s);
    pu_buf_puts(b, "<h2 id=\"variants\">What if?</h2>\n");
    if (!nv) {
        pu_buf_puts(b, "<p class=\"note\">The scenario declares no variants.</p>\n");
        return;
    }
    pu_buf_puts(b, "<p class=\"note\">The headline forecast of each issue in each of the scenario&#39;s variants, with its "
                   "change from the base case.</p>\n<ul class=\"variants\">\n");
    for (size_t v = 0; v < nv; v++) {
        const char *vn = parley_variant_text(s, v, PARLEY_TEXT_NAME);
        pu_buf_printf(b, "<li><b>%c</b> ", (int)('A' + v % 26));
        svg_escape(b, vn ? vn : parley_variant_id(s, v));
        pu_buf_puts(b, "</li>\n");
    }
    pu_buf_puts(b, "</ul>\n<table id=\"variants-table\"><thead><tr><th>issue</th><th>base</th>");
    for (size_t v = 0; v < nv; v++) pu_buf_printf(b, "<th>%c</th>", (int)('A' + v % 26));
    pu_buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t k = 0; k < m; k++) {
        size_t run = report_lead_run(r, k);
        double base = run == SIZE_MAX ? NAN : parley_result_value(r, run, k);
        double klo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), khi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        char num[40], change[40];
        fmt_k(num, sizeof num, s, k, base);
        pu_buf_puts(b, "<tr><td>");
        svg_escape(b, issue_name(s, k));
        pu_buf_printf(b, "</td><td>%s</td>", num);
        for (size_t v = 0; v < nv; v++) {
            size_t vk;
            double x = run != SIZE_MAX && vs[v] && vr[v] && parley_scenario_find_issue(vs[v], parley_issue_id(s, k), &vk)
                           ? parley_result_value(vr[v], run, vk)
                           : NAN;
            fmt_k(num, sizeof num, s, k, x);
            double d = x / 2 - base / 2; /* halves: no overflow */
            if (isnan(d) || (report_scale_ordinary(klo, khi) ? fabs(d) < 0.005 / 2 : d == 0)) pu_buf_printf(b, "<td>%s</td>", num);
            else report_fmt_change(change, sizeof change, base, x, klo, khi),
                 pu_buf_printf(b, "<td class=\"%s\">%s (%s)</td>", d > 0 ? "up" : "down", num, change);
        }
        pu_buf_puts(b, "</tr>\n");
    }
    pu_buf_puts(b, "</tbody></table>\n");
}

/* "Russian government's salience" for an input named "actor/issue/field" (or "actor/capability"), with the
 * issue named when it is not k. */
static void input_words(pu_buf *b, const parley_scenario *s, const char *name, size_t k)
{
    const char *slash = strchr(name, '/');
    char id[256];
    snprintf(id, sizeof id, "%.*s", slash ? (int)(slash - name) : (int)strlen(name), name);
    size_t a, ik;
    pu_buf pos = {0};
    report_possessive(&pos, parley_scenario_find_actor(s, id, &a) ? actor_name(s, a) : id);
    svg_escape(b, pos.data ? pos.data : id);
    pu_buf_free(&pos);
    const char *rest = slash ? slash + 1 : "";
    const char *slash2 = strchr(rest, '/');
    if (!slash2) {
        pu_buf_puts(b, " "), svg_escape(b, rest); /* capability */
        return;
    }
    pu_buf_puts(b, " "), svg_escape(b, slash2 + 1);
    snprintf(id, sizeof id, "%.*s", (int)(slash2 - rest), rest);
    if (parley_scenario_find_issue(s, id, &ik) && ik != k) pu_buf_puts(b, " on "), svg_escape(b, issue_name(s, ik));
}

/* The three inputs whose one-at-a-time swing moves run's forecast of issue k most. */
static void movers(pu_buf *b, const parley_scenario *s, const parley_result *r, const struct parley_mc *mc, const double *lo,
                   const double *hi, size_t k)
{
    size_t run = report_lead_run(r, k), nin = mc ? parley_mc_input_count(mc) : 0;
    if (!nin || !lo || !hi || run == SIZE_MAX) {
        pu_buf_puts(b, "<p class=\"note\">No number of the scenario carries a range: nothing to rank.</p>\n");
        return;
    }
    size_t nout = parley_mc_output_count(mc), col = run * parley_scenario_issue_count(s) + k, top[3];
    size_t n = 0;
    for (size_t i = 0; i < nin; i++) {
        double sw = fabs(hi[i * nout + col] - lo[i * nout + col]);
        if (!(sw > 0)) continue;
        size_t at = n < 3 ? n++ : 3;
        while (at > 0 && fabs(hi[top[at - 1] * nout + col] - lo[top[at - 1] * nout + col]) < sw) {
            if (at < 3) top[at] = top[at - 1];
            at--;
        }
        if (at < 3) top[at] = i;
    }
    if (!n) {
        pu_buf_puts(b, "<p class=\"note\">None of the scenario&#39;s ranges moves this forecast.</p>\n");
        return;
    }
    pu_buf_puts(b, "<ol class=\"movers\">\n");
    for (size_t j = 0; j < n; j++) {
        size_t i = top[j];
        double ilo, ihi;
        parley_mc_input_range(mc, i, &ilo, &ihi);
        char a1[40], a2[40], f1[40], f2[40];
        bool on_k = strstr(parley_mc_input_name(mc, i), "/position") != NULL;
        if (on_k) fmt_k(a1, sizeof a1, s, k, ilo), fmt_k(a2, sizeof a2, s, k, ihi);
        else snprintf(a1, sizeof a1, "%.3g", ilo), snprintf(a2, sizeof a2, "%.3g", ihi);
        fmt_k(f1, sizeof f1, s, k, lo[i * nout + col]), fmt_k(f2, sizeof f2, s, k, hi[i * nout + col]);
        pu_buf_puts(b, "<li>");
        input_words(b, s, parley_mc_input_name(mc, i), k);
        pu_buf_printf(b, " from %s to %s: the forecast from %s to %s</li>\n", a1, a2, f1, f2);
    }
    pu_buf_puts(b, "</ol>\n");
}

char *parley_brief_html(const parley_scenario *s, const parley_result *r, const struct parley_mc *mc, const double *lo,
                        const double *hi, const parley_scenario *const *vs, const parley_result *const *vr, size_t nv,
                        parley_error *err)
{
    if (!s || !r) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, NULL, "the brief needs a scenario and its result");
        return NULL;
    }
    pu_buf b = {0};
    size_t m = parley_scenario_issue_count(s);
    const char *date = parley_scenario_text(s, PARLEY_TEXT_DATE);
    pu_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1\"><title>Brief: ");
    svg_escape(&b, report_title(s));
    pu_buf_printf(&b, "</title><style>%s</style></head><body>\n<section class=\"page\" id=\"page-1\">\n<h1>", style);
    svg_escape(&b, report_title(s));
    pu_buf_puts(&b, "</h1>\n<p class=\"prov\">");
    if (date) svg_escape(&b, date), pu_buf_puts(&b, " &middot; ");
    pu_buf_printf(&b, "parley %s &middot; input ", PARLEY_VERSION);
    svg_escape(&b, parley_scenario_source(s) ? parley_scenario_source(s) : "(built in memory)");
    pu_buf_printf(&b, " (sha256 %.12s&hellip;) &middot; seed %llu &middot; %zu actors, %zu issues</p>\n",
                  parley_scenario_sha256(s) ? parley_scenario_sha256(s) : "-", (unsigned long long)parley_result_seed(r),
                  parley_scenario_actor_count(s), m);
    html_glance(&b, s, r);
    variants(&b, s, r, vs, vr, nv);
    if (!deal_or_no_deal(&b, s, r)) pu_buf_puts(&b, "<!-- deal or no deal: the scenario has no negotiation protocol -->\n");
    pu_buf_puts(&b, "</section>\n<section class=\"page\" id=\"page-2\">\n<h2 id=\"issues\">Each issue, and what moves it</h2>\n"
                    "<p class=\"note\">Each issue&#39;s scale with the actors on it and every model&#39;s forecast; below it, "
                    "the three uncertain numbers that move the headline forecast most, each alone across its range, the "
                    "others as written.</p>\n<div class=\"issues\">\n");
    for (size_t k = 0; k < m; k++) {
        pu_buf_puts(&b, "<div class=\"issue\" data-issue=\"");
        svg_escape(&b, parley_issue_id(s, k));
        pu_buf_puts(&b, "\">\n");
        if (!html_chart(&b, s, r, NULL, NULL, NULL, "forecast", k)) {
            pu_buf_puts(&b, "<h3>");
            svg_escape(&b, issue_name(s, k));
            pu_buf_puts(&b, "</h3>\n");
        }
        movers(&b, s, r, mc, lo, hi, k);
        pu_buf_puts(&b, "</div>\n");
    }
    pu_buf_puts(&b, "</div>\n<p class=\"prov\">Made with parley; every number can be reproduced from the input file, its "
                    "SHA-256 and the seed (parley report gives the whole picture).</p>\n</section>\n</body></html>\n");
    char *out = pu_buf_take(&b);
    if (!out) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return out;
}
