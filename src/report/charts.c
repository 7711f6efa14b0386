/* charts.c - the charts of reports and of `parley plot`, as deterministic SVG: positions (heat map),
 * forecast (the scale with actors and models), trajectories, pressure (the challenge map), exchanges,
 * distribution (Monte Carlo) and tornado (sensitivity). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "parley/montecarlo.h"
#include "report_internal.h"
#include "svg.h"

/* Returns text cut to at most n bytes (on a UTF-8 boundary) with "..." when cut, in buf. */
static const char *clip(const char *text, size_t n, char *buf, size_t size)
{
    size_t len = strlen(text ? text : "");
    if (len <= n || n + 4 > size) return text ? text : "";
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
    snprintf(buf, size, "%.*s...", (int)n, text);
    return buf;
}

/* Formats a number on issue k's scale (report_fmt_on). */
static void fmt_k(char *buf, size_t size, const parley_scenario *s, size_t k, double v)
{
    report_fmt_on(buf, size, v, parley_issue_number(s, k, PARLEY_ISSUE_LOW), parley_issue_number(s, k, PARLEY_ISSUE_HIGH));
}

static double scale_pos(const parley_scenario *s, size_t k, double v)
{
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    /* Halves: a scale from -1e308 to 1e308 does not overflow, and every other scale gives the same bits. */
    return hi > lo ? (v / 2 - lo / 2) / (hi / 2 - lo / 2) : 0.5;
}

/* ---- positions: actors x issues ---- */

static char *chart_positions(const parley_scenario *s)
{
    size_t n = parley_scenario_actor_count(s), m = parley_scenario_issue_count(s);
    double left = 180, top = 56, cw = 96, ch = 24, w = left + cw * (double)m + 20, h = top + ch * (double)n + 50;
    svg g;
    svg_open(&g, w, h, "Positions and saliences of every actor on every issue");
    svg_text(&g, 10, 20, "start", 14, "#222222", "Where each actor stands (colour) and how much it cares (strength of colour)");
    char buf[80], num[40], color[8];
    for (size_t k = 0; k < m; k++)
        svg_text(&g, left + cw * ((double)k + 0.5), top - 8, "middle", 11, "#222222", clip(parley_issue_id(s, k), 14, buf, sizeof buf));
    for (size_t a = 0; a < n; a++) {
        double y = top + ch * (double)a;
        svg_text(&g, left - 8, y + ch * 0.65, "end", 11, "#222222", clip(actor_name(s, a), 26, buf, sizeof buf));
        for (size_t k = 0; k < m; k++) {
            double pos, sal;
            double x = left + cw * (double)k;
            if (!parley_stance(s, a, k, &pos, &sal, NULL)) {
                svg_rect(&g, x + 1, y + 1, cw - 2, ch - 2, "#f4f4f4", 1, NULL);
                continue;
            }
            svg_diverging(scale_pos(s, k, pos), color);
            fmt_k(num, sizeof num, s, k, pos);
            const char *wp = parley_why(s, a, k, PARLEY_FIELD_POSITION), *ws = parley_why(s, a, k, PARLEY_FIELD_SALIENCE);
            char *t = pu_asprintf("%s on %s: position %s%s%s; salience %.2g%s%s", actor_name(s, a), issue_name(s, k), num,
                                  wp ? " - " : "", wp ? wp : "", sal, ws ? " - " : "", ws ? ws : "");
            svg_rect(&g, x + 1, y + 1, cw - 2, ch - 2, color, 0.2 + 0.8 * sal, t);
            free(t);
            svg_text(&g, x + cw / 2, y + ch * 0.68, "middle", 11, "#111111", num);
        }
    }
    double ly = top + ch * (double)n + 24;
    for (int i = 0; i <= 10; i++) {
        svg_diverging(i / 10.0, color);
        svg_rect(&g, left + 14 * i, ly, 14, 12, color, 1, NULL);
    }
    svg_text(&g, left - 8, ly + 10, "end", 10, "#444444", "low end of the scale");
    svg_text(&g, left + 14 * 11 + 8, ly + 10, "start", 10, "#444444", "high end; paler cells: lower salience (hover for reasons)");
    return svg_close(&g);
}

/* ---- forecast: the scale, the actors on it, the models' forecasts ---- */

/* The headline's 80% interval (a band on the axis) and the status quo (a tick across it). */
#define BAND_FILL "#1f77b4"
#define REF_FILL "#b22222"

static double draw_scale(svg *g, const parley_scenario *s, const parley_result *r, size_t k, double y0, double w)
{
    double x0 = 70, x1 = w - 70, y = y0 + 84;
    char buf[120], num[40];
    svg_text(g, 10, y0 + 18, "start", 13, "#222222", clip(issue_name(s, k), 90, buf, sizeof buf));
    /* The headline's 80% interval as a band under the axis, so the line and the status quo stay on top. */
    size_t head = r ? parley_result_headline(r) : SIZE_MAX;
    double blo = NAN, bhi = NAN;
    if (head != SIZE_MAX && parley_result_has_distribution(r, head, k)) parley_result_interval(r, head, k, 0.8, &blo, &bhi);
    if (!isnan(blo) && !isnan(bhi)) {
        double xa = x0 + (x1 - x0) * scale_pos(s, k, blo), xb = x0 + (x1 - x0) * scale_pos(s, k, bhi);
        char a[40], z[40];
        fmt_k(a, sizeof a, s, k, blo), fmt_k(z, sizeof z, s, k, bhi);
        char *t = pu_asprintf("%s: 80%% interval %s to %s", parley_result_run_label(r, head), a, z);
        svg_rect(g, xa, y - 6, xb - xa, 12, BAND_FILL, 0.35, t);
        free(t);
    }
    svg_line(g, x0, y, x1, y, "#555555", 1.5);
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    double ref = parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE);
    if (!isnan(ref)) { /* the status quo: a tick across the axis */
        double xr = x0 + (x1 - x0) * scale_pos(s, k, ref);
        fmt_k(num, sizeof num, s, k, ref);
        char *t = pu_asprintf("status quo (reference point): %s", num);
        svg_rect(g, xr - 1.5, y - 9, 3, 18, REF_FILL, 1, t);
        free(t);
    }
    fmt_k(num, sizeof num, s, k, lo);
    svg_text(g, x0, y + 16, "middle", 10, "#444444", num);
    fmt_k(num, sizeof num, s, k, hi);
    svg_text(g, x1, y + 16, "middle", 10, "#444444", num);
    const char *ll = parley_issue_text(s, k, PARLEY_TEXT_LOW_LABEL), *hl = parley_issue_text(s, k, PARLEY_TEXT_HIGH_LABEL);
    if (ll) svg_text(g, x0, y + 30, "start", 10, "#666666", clip(ll, 60, buf, sizeof buf));
    if (hl) svg_text(g, x1, y + 30, "end", 10, "#666666", clip(hl, 60, buf, sizeof buf));
    /* actors, in rows above the line so that circles do not overlap */
    size_t n = parley_scenario_actor_count(s);
    double wmax = 0;
    for (size_t a = 0; a < n; a++) {
        double sal, cap;
        if (parley_stance(s, a, k, NULL, &sal, &cap)) wmax = fmax(wmax, sal * cap);
    }
    double last[4] = {-1e9, -1e9, -1e9, -1e9};
    for (size_t a = 0; a < n; a++) {
        double pos, sal, cap;
        if (!parley_stance(s, a, k, &pos, &sal, &cap)) continue;
        double x = x0 + (x1 - x0) * scale_pos(s, k, pos), rad = 3 + 7 * (wmax > 0 ? sqrt(sal * cap / wmax) : 0);
        int row = 0;
        while (row < 3 && x - last[row] < 16) row++;
        last[row] = x;
        fmt_k(num, sizeof num, s, k, pos);
        char *t = pu_asprintf("%s: %s (salience %.2g, capability %.3g)", actor_name(s, a), num, sal, cap);
        svg_circle(g, x, y - 12 - 15 * row, rad, svg_palette(a), t);
        free(t);
    }
    /* forecasts below the line: labels in rows, each placed in the first row where it does not overlap */
    size_t runs = r ? parley_result_run_count(r) : 0;
    double row_end[8];
    for (int i = 0; i < 8; i++) row_end[i] = -1e9;
    size_t *order = malloc((runs ? runs : 1) * sizeof *order);
    size_t no = 0;
    for (size_t run = 0; order && run < runs; run++)
        if (!isnan(parley_result_value(r, run, k))) order[no++] = run;
    for (size_t i = 1; i < no; i++) /* by position, then run order: stable insertion sort */
        for (size_t j = i; j > 0 && parley_result_value(r, order[j - 1], k) > parley_result_value(r, order[j], k); j--) {
            size_t t = order[j];
            order[j] = order[j - 1], order[j - 1] = t;
        }
    for (size_t i = 0; i < no; i++) {
        size_t run = order[i];
        double v = parley_result_value(r, run, k);
        double x = x0 + (x1 - x0) * scale_pos(s, k, v);
        char lab[120];
        fmt_k(num, sizeof num, s, k, v);
        snprintf(lab, sizeof lab, "%s %s", clip(parley_result_run_label(r, run), 24, buf, sizeof buf), num);
        double tw = 5.6 * (double)strlen(lab), start = x - tw / 2;
        if (start < 4) start = 4;
        if (start + tw > w - 4) start = w - 4 - tw;
        int row = 0;
        while (row < 7 && start < row_end[row] + 8) row++;
        row_end[row] = start + tw;
        double yy = y + 48 + 12 * row;
        double px[3] = {x, x - 4, x + 4}, py[3] = {y + 3, y + 10, y + 10};
        char *t = pu_asprintf("%s forecasts %s", parley_result_run_label(r, run), num);
        svg_polygon(g, px, py, 3, "#222222", t);
        svg_line(g, x, y + 10, x, yy - 9, "#cccccc", 0.7);
        svg_text(g, start + tw / 2, yy, "middle", 10, "#222222", lab);
        free(t);
    }
    free(order);
    return 84 + 100;
}

static char *chart_forecast(const parley_scenario *s, const parley_result *r, size_t issue)
{
    size_t m = parley_scenario_issue_count(s), first = issue == SIZE_MAX ? 0 : issue, last = issue == SIZE_MAX ? m : issue + 1;
    size_t n = parley_scenario_actor_count(s), per_row = 4, legend_rows = (n + per_row - 1) / per_row;
    /* The band and the tick get a legend line when some issue shows them. */
    size_t head = r ? parley_result_headline(r) : SIZE_MAX;
    bool band = false, ref = false;
    for (size_t k = first; k < last; k++) {
        band |= head != SIZE_MAX && parley_result_has_distribution(r, head, k);
        ref |= !isnan(parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE));
    }
    double w = 760, h = 184 * (double)(last - first) + 16 * (double)(legend_rows + (band || ref)) + 20;
    svg g;
    char buf[80];
    svg_open(&g, w, h, "Each model's forecast on the issue's scale, with the actors placed on it");
    double y = 0;
    for (size_t k = first; k < last; k++) y += draw_scale(&g, s, r, k, y, w);
    if (band || ref) {
        double lx = 12, ly = y + 10;
        if (band) {
            char lab[120];
            snprintf(lab, sizeof lab, "80%% interval of the %s forecast", clip(parley_result_run_label(r, head), 24, buf, sizeof buf));
            svg_rect(&g, lx, ly - 5, 18, 10, BAND_FILL, 0.35, NULL);
            svg_text(&g, lx + 24, ly + 4, "start", 10, "#222222", lab);
            lx += 260;
        }
        if (ref) {
            svg_rect(&g, lx + 7.5, ly - 8, 3, 16, REF_FILL, 1, NULL);
            svg_text(&g, lx + 16, ly + 4, "start", 10, "#222222", "status quo (reference point)");
        }
        y += 16;
    }
    /* the actors' colours, once, for readers of the printed page (circle size: salience x capability) */
    for (size_t a = 0; a < n; a++) {
        double lx = 12 + 186 * (double)(a % per_row), ly = y + 10 + 16 * (double)(a / per_row);
        svg_circle(&g, lx + 5, ly, 5, svg_palette(a), NULL);
        svg_text(&g, lx + 14, ly + 4, "start", 10, "#222222", clip(actor_name(s, a), 28, buf, sizeof buf));
    }
    return svg_close(&g);
}

/* ---- trajectories of a round-based model ---- */

char *chart_trajectories(const parley_scenario *s, const parley_result *r, size_t k, size_t run, parley_error *err)
{
    int max_round = -1;
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t rr, ri;
        int rd;
        parley_result_round(r, i, &rr, &ri, &rd, NULL, NULL, NULL);
        if (rr == run && ri == k && rd > max_round) max_round = rd;
    }
    if (max_round < 1) {
        pu_buf names = {0};
        report_models_with(&names, PARLEY_RECORDS_ROUNDS, ", ");
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "chart", "trajectories: %s has no rounds on issue \"%s\" (choose a round-based model: %s)",
             parley_result_run_label(r, run), parley_issue_id(s, k), names.data ? names.data : "none is registered");
        free(names.data);
        return NULL;
    }
    size_t n = parley_scenario_actor_count(s), R = (size_t)max_round + 1;
    double *pos = malloc(n * R * sizeof *pos);
    if (!pos) return NULL;
    for (size_t i = 0; i < n * R; i++) pos[i] = NAN;
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t rr, ri;
        int rd;
        const double *p;
        parley_result_round(r, i, &rr, &ri, &rd, NULL, NULL, &p);
        if (rr != run || ri != k || rd < 0) continue;
        for (size_t a = 0; a < n; a++) pos[a * R + (size_t)rd] = p[a];
    }
    double left = 60, top = 40, pw = 560, ph = 300, w = left + pw + 200, h = top + ph + 50;
    svg g;
    char title[300], buf[120], num[40];
    snprintf(title, sizeof title, "%s on %s, round by round", parley_result_run_label(r, run), clip(issue_name(s, k), 80, buf, sizeof buf));
    svg_open(&g, w, h, title);
    svg_text(&g, 10, 20, "start", 13, "#222222", title);
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    for (int t = 0; t <= 4; t++) {
        double yy = top + ph - ph * t / 4.0;
        svg_line(&g, left, yy, left + pw, yy, "#e6e6e6", 1);
        fmt_k(num, sizeof num, s, k, 2 * (lo / 2 + (hi / 2 - lo / 2) * (t / 4.0))); /* halves: no overflow, same bits */
        svg_text(&g, left - 6, yy + 4, "end", 10, "#444444", num);
    }
    for (size_t t = 0; t < R; t++) {
        if (R > 12 && t % ((R + 9) / 10) && t != R - 1) continue;
        snprintf(num, sizeof num, "%zu", t);
        svg_text(&g, left + pw * (double)t / (double)(R - 1), top + ph + 16, "middle", 10, "#444444", num);
    }
    svg_text(&g, left + pw / 2, top + ph + 34, "middle", 11, "#444444", "round");
    double *xs = malloc(R * sizeof *xs), *ys = malloc(R * sizeof *ys);
    size_t shown = 0;
    for (size_t a = 0; a < n && xs && ys; a++) {
        size_t m = 0;
        for (size_t t = 0; t < R; t++) {
            double v = pos[a * R + t];
            if (isnan(v)) continue;
            xs[m] = left + pw * (double)t / (double)(R - 1);
            ys[m] = top + ph - ph * scale_pos(s, k, v);
            m++;
        }
        if (m == 0) continue;
        svg_polyline(&g, xs, ys, m, svg_palette(a), 1.8, actor_name(s, a));
        svg_rect(&g, left + pw + 16, top + 14 * (double)shown, 10, 10, svg_palette(a), 1, NULL);
        svg_text(&g, left + pw + 30, top + 14 * (double)shown + 9, "start", 10, "#222222", clip(actor_name(s, a), 26, buf, sizeof buf));
        shown++;
    }
    free(xs), free(ys), free(pos);
    return svg_close(&g);
}

/* ---- pressure: who presses whom (models that record PARLEY_RECORDS_PRESSURE), round 1 ---- */

static char *chart_pressure(const parley_scenario *s, const parley_result *r, size_t k, size_t run, parley_error *err)
{
    size_t n = parley_scenario_actor_count(s), found = 0;
    parley_challenge c;
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++) found += c.run == run && c.issue == k && c.round == 1;
    if (!found) {
        pu_buf names = {0};
        report_models_with(&names, PARLEY_RECORDS_PRESSURE, " or ");
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "chart", "pressure: %s records no challenges on issue \"%s\" (choose %s)",
             parley_result_run_label(r, run), parley_issue_id(s, k), names.data ? names.data : "a model that records them");
        free(names.data);
        return NULL;
    }
    double left = 180, top = 150, cs = 22, w = fmax(640, left + cs * (double)n + 140), h = top + cs * (double)n + 60;
    static const char *const colors[] = {"#d62728", "#ff7f0e", "#2ca02c", "#bbbbbb", "#1f77b4"};
    static const char *const names[] = {"conflict", "compromise", "capitulation", "stalemate", "upper hand"};
    svg g;
    char title[300], buf[120];
    snprintf(title, sizeof title, "Who presses whom: %s on %s, round 1", parley_result_run_label(r, run), clip(issue_name(s, k), 60, buf, sizeof buf));
    svg_open(&g, w, h, title);
    svg_text(&g, 10, 20, "start", 13, "#222222", title);
    svg_text(&g, 10, 38, "start", 10, "#444444", "rows press columns; colour: how the pressed actor sees the contest (hover for the offer)");
    for (size_t a = 0; a < n; a++) {
        svg_text(&g, left - 6, top + cs * ((double)a + 0.7), "end", 10, "#222222", clip(actor_name(s, a), 26, buf, sizeof buf));
        pu_buf_printf(&g.b, "<text transform=\"translate(%.2f,%.2f) rotate(-50)\" font-size=\"10\" fill=\"#222222\">",
                      left + cs * ((double)a + 0.6), top - 6);
        svg_escape(&g.b, clip(actor_name(s, a), 22, buf, sizeof buf));
        pu_buf_puts(&g.b, "</text>\n");
    }
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) svg_rect(&g, left + cs * (double)b, top + cs * (double)a, cs - 1, cs - 1, "#f6f6f6", 1, NULL);
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
        if (c.run != run || c.issue != k || c.round != 1 || c.from >= n || c.to >= n) continue;
        char num[40];
        fmt_k(num, sizeof num, s, k, c.offer);
        char *t = pu_asprintf("%s presses %s: %s%s%s%s", actor_name(s, c.from), actor_name(s, c.to), parley_region_name(c.region),
                              isnan(c.offer) ? "" : ", offer ", isnan(c.offer) ? "" : num, c.accepted ? " (accepted)" : "");
        svg_rect(&g, left + cs * (double)c.to, top + cs * (double)c.from, cs - 1, cs - 1, colors[c.region % 5], c.accepted ? 1 : 0.45, t);
        free(t);
    }
    double ly = top + cs * (double)n + 20;
    for (int i = 0; i < 5; i++) {
        svg_rect(&g, 10 + 120 * i, ly, 12, 12, colors[i], 1, NULL);
        svg_text(&g, 26 + 120 * i, ly + 10, "start", 10, "#222222", names[i]);
    }
    return svg_close(&g);
}

/* ---- exchanges: round-1 trades ---- */

static char *chart_exchanges(const parley_scenario *s, const parley_result *r, size_t run, parley_error *err)
{
    enum { MAX = 20 };
    parley_exchange e[MAX];
    size_t n = 0;
    double gmax = 0;
    for (size_t i = 0; n < MAX && parley_result_exchange(r, i, &e[n]); i++)
        if (e[n].round == 1 && e[n].run == run) gmax = fmax(gmax, e[n].gain), n++;
    if (!n) {
        pu_buf names = {0};
        size_t count = report_models_with(&names, PARLEY_RECORDS_TRADES, " or ");
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "chart", "exchanges: no trades in round 1 (choose %s%s%s on two or more issues)",
             count == 1 ? "the " : "", names.data ? names.data : "a model that trades", count == 1 ? " model" : "");
        free(names.data);
        return NULL;
    }
    double left = 20, top = 44, rh = 30, w = 900, h = top + rh * (double)n + 20;
    svg g;
    char title[200];
    snprintf(title, sizeof title, "The %s model's trades in round 1, in the order they were made", parley_result_run_model(r, run));
    svg_open(&g, w, h, title);
    svg_text(&g, 10, 20, "start", 13, "#222222", "Trades in round 1, in order (bar: the gain each side makes)");
    for (size_t i = 0; i < n; i++) {
        double y = top + rh * (double)i, bw = gmax > 0 ? 200 * e[i].gain / gmax : 0;
        char ix[40], iy[40], jx[40], jy[40], line[600];
        fmt_k(ix, sizeof ix, s, e[i].i_supply, e[i].i_x), fmt_k(iy, sizeof iy, s, e[i].i_supply, e[i].i_y);
        fmt_k(jx, sizeof jx, s, e[i].j_supply, e[i].j_x), fmt_k(jy, sizeof jy, s, e[i].j_supply, e[i].j_y);
        pu_buf whose = {0}; /* "hard-liners' move", not "hard-liners's" */
        report_possessive(&whose, actor_name(s, e[i].j));
        snprintf(line, sizeof line, "%s %s ground on %s (%s -> %s) for %s move on %s (%s -> %s)", actor_name(s, e[i].i),
                 report_verb(actor_name(s, e[i].i), "gives", "give"), parley_issue_id(s, e[i].i_supply), ix, iy,
                 whose.data && !whose.failed ? whose.data : "?", parley_issue_id(s, e[i].j_supply), jx, jy);
        pu_buf_free(&whose);
        char gain[64];
        snprintf(gain, sizeof gain, "gain %.3g each", e[i].gain);
        svg_rect(&g, left, y, bw, rh - 10, "#2ca02c", 0.8, gain);
        svg_text(&g, left + 210, y + 14, "start", 11, "#222222", line);
    }
    return svg_close(&g);
}

/* ---- Monte Carlo distribution and sensitivity tornado ---- */

static char *chart_distribution(const parley_mc *mc, size_t k)
{
    const parley_scenario *s = parley_mc_scenario(mc);
    const parley_result *base = parley_mc_base(mc);
    size_t runs = parley_result_run_count(base);
    double left = 170, pw = 500, rh = 60, top = 40, w = left + pw + 40, h = top + rh * (double)runs + 40;
    svg g;
    char title[300], buf[120], num[40];
    snprintf(title, sizeof title, "Spread of each forecast on %s (%zu draws)", clip(issue_name(s, k), 60, buf, sizeof buf),
             parley_mc_completed(mc));
    svg_open(&g, w, h, title);
    svg_text(&g, 10, 20, "start", 13, "#222222", title);
    for (size_t run = 0; run < runs; run++) {
        parley_mc_stats st;
        if (!parley_mc_summary(mc, run, k, &st)) break;
        double y = top + rh * (double)run, top_n = 0;
        for (int b = 0; b < 20; b++) top_n = fmax(top_n, (double)st.hist[b]);
        svg_text(&g, left - 8, y + rh * 0.55, "end", 11, "#222222", clip(parley_result_run_label(base, run), 24, buf, sizeof buf));
        svg_line(&g, left, y + rh - 8, left + pw, y + rh - 8, "#999999", 1);
        for (int b = 0; b < 20 && top_n > 0; b++) {
            double bh = (rh - 14) * (double)st.hist[b] / top_n;
            char t[64];
            snprintf(t, sizeof t, "%zu draws", st.hist[b]);
            svg_rect(&g, left + pw * b / 20.0 + 1, y + rh - 8 - bh, pw / 20.0 - 2, bh, svg_palette(run), 0.75, t);
        }
        double bv = parley_result_value(base, run, k);
        if (!isnan(bv)) {
            double x = left + pw * scale_pos(s, k, bv);
            svg_line(&g, x, y + 4, x, y + rh - 8, "#222222", 1.5);
            fmt_k(num, sizeof num, s, k, bv);
            char lab[64];
            snprintf(lab, sizeof lab, "base %s", num);
            svg_text(&g, x + 3, y + 12, "start", 9, "#222222", lab);
        }
    }
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    fmt_k(num, sizeof num, s, k, lo);
    svg_text(&g, left, h - 14, "middle", 10, "#444444", num);
    fmt_k(num, sizeof num, s, k, hi);
    svg_text(&g, left + pw, h - 14, "middle", 10, "#444444", num);
    return svg_close(&g);
}

typedef struct bar {
    size_t input;
    double lo, hi;
} bar;

static int by_width(const void *x, const void *y)
{
    const bar *a = x, *b = y;
    double wa = fabs(a->hi / 2 - a->lo / 2), wb = fabs(b->hi / 2 - b->lo / 2); /* halves: no overflow */
    if (wa != wb) return wa < wb ? 1 : -1;
    return (a->input > b->input) - (a->input < b->input);
}

/* Returns how far along a bar of length pw the value v lies between mn and mx: in halves, and dividing
 * before multiplying only where pw x (v - mn) would overflow, so that ordinary values keep their bits. */
static double along(double pw, double v, double mn, double mx)
{
    double num = pw * (v / 2 - mn / 2), den = mx / 2 - mn / 2;
    return isinf(num) ? pw * ((v / 2 - mn / 2) / den) : num / den;
}

static char *chart_tornado(const parley_mc *mc, const double *lo, const double *hi, size_t run, size_t k)
{
    const parley_scenario *s = parley_mc_scenario(mc);
    const parley_result *base = parley_mc_base(mc);
    size_t p = parley_mc_input_count(mc), nout = parley_mc_output_count(mc), col = run * parley_scenario_issue_count(s) + k;
    bar *bars = malloc((p ? p : 1) * sizeof *bars);
    if (!bars) return NULL;
    for (size_t i = 0; i < p; i++) bars[i] = (bar){i, lo[i * nout + col], hi[i * nout + col]};
    qsort(bars, p, sizeof *bars, by_width);
    size_t show = p < 12 ? p : 12;
    double left = 260, pw = 420, top = 50, rh = 22, w = left + pw + 60, h = top + rh * (double)(show ? show : 1) + 40;
    double bv = parley_result_value(base, run, k), mn = bv, mx = bv;
    for (size_t i = 0; i < show; i++) mn = fmin(mn, fmin(bars[i].lo, bars[i].hi)), mx = fmax(mx, fmax(bars[i].lo, bars[i].hi));
    if (!(mx > mn)) { /* no spread: a margin of 1, or of 1e-9 of the value where 1 would vanish (1e307) */
        double d = fmax(1, fabs(mn) * 1e-9);
        mn -= d, mx += d;
    }
    svg g;
    char title[300], buf[120], num[40];
    snprintf(title, sizeof title, "What moves %s on %s: each input across its range", parley_result_run_label(base, run),
             clip(issue_name(s, k), 50, buf, sizeof buf));
    svg_open(&g, w, h, title);
    svg_text(&g, 10, 20, "start", 13, "#222222", title);
    svg_text(&g, 10, 36, "start", 10, "#444444", "blue: the input at its low end; red: at its high end");
    double xb = left + along(pw, bv, mn, mx);
    for (size_t i = 0; i < show; i++) {
        double y = top + rh * (double)i;
        double xl = left + along(pw, bars[i].lo, mn, mx), xh = left + along(pw, bars[i].hi, mn, mx);
        svg_text(&g, left - 8, y + 14, "end", 10, "#222222", clip(parley_mc_input_name(mc, bars[i].input), 40, buf, sizeof buf));
        svg_rect(&g, fmin(xb, xl), y + 3, fabs(xl - xb), rh - 6, "#1f77b4", 0.85, NULL);
        svg_rect(&g, fmin(xb, xh), y + 3, fabs(xh - xb), rh - 6, "#d62728", 0.85, NULL);
    }
    svg_line(&g, xb, top - 4, xb, top + rh * (double)show + 4, "#222222", 1.2);
    fmt_k(num, sizeof num, s, k, bv);
    char lab[64];
    snprintf(lab, sizeof lab, "base %s", num);
    svg_text(&g, xb, top + rh * (double)show + 18, "middle", 10, "#222222", lab);
    if (!show) svg_text(&g, left, top + 14, "start", 11, "#444444", "no number in the scenario carries a range");
    free(bars);
    return svg_close(&g);
}

/* Returns the first run of r whose model has the trait `want` (PARLEY_RECORDS_ROUNDS, _PRESSURE or
 * _TRADES) and recorded such data on issue k (trades: on any issue); else the first run with the trait;
 * r's first run else (the chart then says what to choose). */
static size_t pick_run(const parley_result *r, size_t k, unsigned want)
{
    size_t first = SIZE_MAX;
    for (size_t run = 0; run < parley_result_run_count(r); run++) {
        if (!(report_run_records(r, run) & want)) continue;
        if (first == SIZE_MAX) first = run;
        if (want == PARLEY_RECORDS_ROUNDS)
            for (size_t i = 0; i < parley_result_round_count(r); i++) {
                size_t rr, ri;
                parley_result_round(r, i, &rr, &ri, NULL, NULL, NULL, NULL);
                if (rr == run && ri == k) return run;
            }
        parley_challenge c;
        if (want == PARLEY_RECORDS_PRESSURE)
            for (size_t i = 0; parley_result_challenge(r, i, &c); i++)
                if (c.run == run && c.issue == k) return run;
        parley_exchange e;
        if (want == PARLEY_RECORDS_TRADES)
            for (size_t i = 0; parley_result_exchange(r, i, &e); i++)
                if (e.run == run && e.round == 1) return run;
    }
    return first == SIZE_MAX ? 0 : first;
}

static const char *const chart_names[] = {"positions", "forecast", "trajectories", "pressure", "exchanges",
                                           "distribution", "tornado", NULL};

const char *const *parley_chart_names(void)
{
    return chart_names;
}

parley_status parley_chart_check(const char *chart, parley_error *err)
{
    for (size_t i = 0; chart_names[i]; i++)
        if (!strcmp(chart, chart_names[i])) return PARLEY_OK;
    const char *hint = pu_did_you_mean(chart, chart_names, sizeof chart_names / sizeof *chart_names - 1);
    return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--chart",
                "expected positions, forecast, trajectories, pressure, exchanges, distribution or tornado, found \"%s\"%s%s%s",
                chart, hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
}

char *parley_chart(const parley_scenario *s, const parley_result *r, const parley_mc *mc, const double *swing_lo,
                   const double *swing_hi, const char *chart, size_t issue, parley_error *err)
{
    size_t m = parley_scenario_issue_count(s);
    if (issue != SIZE_MAX && issue >= m) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "issue", "no issue %zu", issue);
        return NULL;
    }
    size_t k = issue == SIZE_MAX ? 0 : issue;
    if (m == 0 && strcmp(chart, "positions")) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "chart", "the scenario has no issues");
        return NULL;
    }
    if (!strcmp(chart, "positions")) return chart_positions(s);
    if (!strcmp(chart, "forecast")) return chart_forecast(s, r, issue);
    if (!strcmp(chart, "trajectories") && r) return chart_trajectories(s, r, k, pick_run(r, k, PARLEY_RECORDS_ROUNDS), err);
    if (!strcmp(chart, "pressure") && r) return chart_pressure(s, r, k, pick_run(r, k, PARLEY_RECORDS_PRESSURE), err);
    if (!strcmp(chart, "exchanges") && r) return chart_exchanges(s, r, pick_run(r, k, PARLEY_RECORDS_TRADES), err);
    if (!strcmp(chart, "distribution") && mc) return chart_distribution(mc, k);
    if (!strcmp(chart, "tornado") && mc && swing_lo && swing_hi) return chart_tornado(mc, swing_lo, swing_hi, 0, k);
    if (parley_chart_check(chart, err) == PARLEY_OK)
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "chart", "%s: this chart needs %s", chart,
             !strcmp(chart, "distribution") || !strcmp(chart, "tornado") ? "a completed Monte Carlo run" : "a result");
    return NULL;
}
