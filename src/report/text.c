/* text.c - results for a person: per issue the scale, each model's forecast, the actors on a strip. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define STRIP 60 /* columns between the two ends of the scale */

typedef struct placed {
    size_t actor;
    double pos;
    char key;
} placed;

static int by_pos(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    return x->actor < y->actor ? -1 : x->actor > y->actor;
}

/* Formats a number on issue k's scale (report_fmt_on). */
static void fmt_k(char *buf, size_t size, const parley_scenario *s, size_t k, double v)
{
    report_fmt_on(buf, size, v, parley_issue_number(s, k, PARLEY_ISSUE_LOW), parley_issue_number(s, k, PARLEY_ISSUE_HIGH));
}

static int column_of(double v, double lo, double hi)
{
    if (!(hi > lo) || isnan(v)) return STRIP / 2;
    /* Halves, so that a scale from -1e308 to 1e308 does not overflow; exact for every other scale. */
    int c = (int)lround((v / 2 - lo / 2) / (hi / 2 - lo / 2) * (STRIP - 1));
    return c < 0 ? 0 : c > STRIP - 1 ? STRIP - 1 : c;
}

/* Gives each actor a one-character key: the first unused letter of its id, else a digit or symbol. */
static void assign_keys(const parley_scenario *s, char *keys)
{
    size_t n = parley_scenario_actor_count(s);
    bool used[128] = {false};
    static const char spare[] = "0123456789*#@%&+=?!";
    for (size_t a = 0; a < n; a++) {
        const char *id = parley_actor_id(s, a);
        keys[a] = 0;
        for (const char *p = id; *p && !keys[a]; p++) {
            int c = (unsigned char)*p;
            if (c >= 'a' && c <= 'z') c -= 32;
            if (c >= 'A' && c <= 'Z' && !used[c]) keys[a] = (char)c;
        }
        for (const char *p = id; *p && !keys[a]; p++) {
            int c = (unsigned char)*p;
            if (c >= 'a' && c <= 'z' && !used[c]) keys[a] = (char)c;
        }
        for (const char *p = spare; *p && !keys[a]; p++)
            if (!used[(int)*p]) keys[a] = *p;
        if (!keys[a]) keys[a] = '.';
        used[(int)keys[a]] = true;
    }
}

static void issue_block(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r, size_t k,
                        const char *keys, placed *pl)
{
    char num[40], num2[40];
    const char *label = parley_issue_text(s, k, PARLEY_TEXT_NAME);
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    pu_buf_printf(b, "\n%zu. %s  [%s]\n", k + 1, report_clean(cn, label ? label : parley_issue_id(s, k)), report_clean(cn, parley_issue_id(s, k)));
    const char *ll = parley_issue_text(s, k, PARLEY_TEXT_LOW_LABEL), *hl = parley_issue_text(s, k, PARLEY_TEXT_HIGH_LABEL);
    fmt_k(num, sizeof num, s, k, lo);
    fmt_k(num2, sizeof num2, s, k, hi);
    if (ll || hl) {
        pu_buf_printf(b, "   %s = %s\n", num, ll ? report_clean(cn, ll) : "(unlabelled)");
        pu_buf_printf(b, "   %s = %s\n", num2, hl ? report_clean(cn, hl) : "(unlabelled)");
    } else {
        pu_buf_printf(b, "   scale %s to %s\n", num, num2);
    }
    double q = parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE), out = parley_issue_number(s, k, PARLEY_ISSUE_OUTCOME);
    if (!isnan(q)) fmt_k(num, sizeof num, s, k, q), pu_buf_printf(b, "   reference point (status quo): %s\n", num);
    if (!isnan(out)) fmt_k(num, sizeof num, s, k, out), pu_buf_printf(b, "   known outcome: %s\n", num);

    size_t runs = parley_result_run_count(r);
    pu_buf_puts(b, "\n");
    double first = NAN;
    size_t first_run = 0;
    for (size_t run = 0; run < runs; run++) {
        double v = parley_result_value(r, run, k);
        const char *note = NULL;
        for (size_t i = 0; i < parley_result_forecast_count(r); i++) {
            size_t fr, fk;
            parley_result_forecast(r, i, &fr, &fk, NULL, &note);
            if (fr == run && fk == k) break;
            note = NULL;
        }
        if (isnan(first) && !isnan(v)) first = v, first_run = run;
        fmt_k(num, sizeof num, s, k, v);
        pu_buf_printf(b, "   %-14s %8s", report_clean(cn, parley_result_run_label(r, run)), num);
        if (note) pu_buf_printf(b, "   (%s)", report_clean(cn, note));
        pu_buf_puts(b, "\n");
    }

    /* The strip: actors' keys stacked above an axis, forecasts marked below it. */
    size_t n = parley_scenario_actor_count(s), m = 0;
    for (size_t a = 0; a < n; a++) {
        double pos;
        if (!parley_stance(s, a, k, &pos, NULL, NULL)) continue;
        pl[m++] = (placed){a, pos, keys[a]};
    }
    if (m == 0) return;
    qsort(pl, m, sizeof *pl, by_pos);
    enum { LEVELS = 4 };
    char rows[LEVELS][STRIP + 1];
    memset(rows, ' ', sizeof rows);
    int depth = 1;
    for (size_t i = 0; i < m; i++) {
        int c = column_of(pl[i].pos, lo, hi);
        int lvl = 0;
        while (lvl < LEVELS && rows[lvl][c] != ' ') lvl++;
        if (lvl == LEVELS) lvl = LEVELS - 1, pl[i].key = '+';
        rows[lvl][c] = pl[i].key;
        if (lvl + 1 > depth) depth = lvl + 1;
    }
    fmt_k(num, sizeof num, s, k, lo);
    fmt_k(num2, sizeof num2, s, k, hi);
    int pad = (int)strlen(num) + 5;
    pu_buf_puts(b, "\n");
    for (int lvl = depth - 1; lvl >= 0; lvl--) {
        int end = STRIP;
        while (end > 0 && rows[lvl][end - 1] == ' ') end--;
        pu_buf_printf(b, "%*s%.*s\n", pad, "", end, rows[lvl]);
    }
    char axis[STRIP + 1];
    memset(axis, '-', STRIP);
    axis[STRIP] = '\0';
    if (!isnan(q)) axis[column_of(q, lo, hi)] = '|';
    pu_buf_printf(b, "   %s |%s| %s\n", num, axis, num2);
    /* One line per model, a caret under its forecast, so no two markers can hide each other. */
    for (size_t run = 0; run < runs; run++) {
        double v = parley_result_value(r, run, k);
        if (isnan(v)) continue;
        fmt_k(num, sizeof num, s, k, v);
        pu_buf_printf(b, "%*s^ %s %s\n", pad + column_of(v, lo, hi), "", report_clean(cn, parley_result_run_label(r, run)), num);
    }
    if (!isnan(q)) pu_buf_printf(b, "%*s(| on the axis: the reference point)\n", pad, "");

    pu_buf_puts(b, "   key:");
    size_t width = 7;
    for (size_t i = 0; i < m; i++) {
        fmt_k(num, sizeof num, s, k, pl[i].pos);
        /* Built whole (never cut, which could split a UTF-8 character), then wrapped. */
        char *item = pu_asprintf(" %c %s %s%s", keys[pl[i].actor], report_clean(cn, actor_name(s, pl[i].actor)), num,
                                 i + 1 < m ? ";" : "");
        if (!item) {
            b->failed = true;
            return;
        }
        if (width + strlen(item) > 100) {
            pu_buf_puts(b, "\n       ");
            width = 7;
        }
        pu_buf_puts(b, item);
        width += strlen(item);
        free(item);
    }
    pu_buf_puts(b, "\n");

    if (!isnan(first)) {
        /* Closest actors to the first model's forecast, nearest first. */
        /* Half distances, which cannot overflow on a scale from -1e308 to 1e308 (and order alike). */
        for (size_t i = 0; i < m; i++) pl[i].pos = fabs(pl[i].pos / 2 - first / 2);
        qsort(pl, m, sizeof *pl, by_pos);
        fmt_k(num, sizeof num, s, k, first);
        pu_buf_printf(b, "   closest to the %s forecast (%s):", report_clean(cn, parley_result_run_label(r, first_run)), num);
        for (size_t i = 0; i < m && i < 3; i++) {
            double pos;
            parley_stance(s, pl[i].actor, k, &pos, NULL, NULL);
            fmt_k(num, sizeof num, s, k, pos);
            double away = 2 * pl[i].pos;
            if (isinf(away)) snprintf(num2, sizeof num2, "more than %.4g", DBL_MAX);
            else fmt_k(num2, sizeof num2, s, k, away);
            pu_buf_printf(b, "%s %s at %s (%s away)", i ? ";" : "", report_clean(cn, actor_name(s, pl[i].actor)), num, num2);
        }
        pu_buf_puts(b, "\n");
    }
}

/* Returns the positions of run on issue after round, or NULL when the result has no such round. */
static const double *positions_at(const parley_result *r, size_t run, size_t issue, int round, double *median)
{
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t rr, ri;
        int rd;
        const double *pos;
        parley_result_round(r, i, &rr, &ri, &rd, median, NULL, &pos);
        if (rr == run && ri == issue && rd == round) return pos;
    }
    return NULL;
}

/* Tells, in words, who pressed whom in round 1 of each challenge model, and how later rounds went (the
 * runs whose traits record rounds or pressure). */
static void pressure_block(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r, size_t k)
{
    enum { MAX_MOVES = 10, MAX_ROUNDS = 8 };
    const char *label = parley_issue_text(s, k, PARLEY_TEXT_NAME);
    if (!label) label = parley_issue_id(s, k);
    for (size_t run = 0; run < parley_result_run_count(r); run++) {
        if (!(report_run_records(r, run) & (PARLEY_RECORDS_ROUNDS | PARLEY_RECORDS_PRESSURE))) continue; /* by its traits */
        const double *before = positions_at(r, run, k, 0, NULL);
        if (!before) continue;
        size_t shown = 0, more = 0;
        bool any = false;
        parley_challenge c;
        for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
            if (c.run != run || c.issue != k || c.round != 1 || !c.accepted) continue;
            if (!any) pu_buf_printf(b, "\n   Who presses whom (%s, round 1):\n", report_clean(cn, parley_result_run_label(r, run)));
            any = true;
            if (shown == MAX_MOVES) {
                more++;
                continue;
            }
            char from[40], to[40], at[40];
            fmt_k(from, sizeof from, s, k, before[c.to]);
            fmt_k(to, sizeof to, s, k, before[c.from]);
            fmt_k(at, sizeof at, s, k, c.offer);
            const char *who = report_clean(cn, actor_name(s, c.to));
            pu_buf_printf(b, "     %s presses %s to move from %s to %s on %s; ", report_clean(cn, actor_name(s, c.from)), who, from,
                          to, report_clean(cn, label)); /* escaped here: a ring slot lasts a few calls only */
            if (c.region == PARLEY_REGION_COMPROMISE) pu_buf_printf(b, "%s accepts a compromise at %s\n", who, at);
            else if (c.region == PARLEY_REGION_CAPITULATION) pu_buf_printf(b, "%s gives in and moves to %s\n", who, at);
            else pu_buf_printf(b, "%s expects to lose a confrontation and moves to %s\n", who, at);
            shown++;
        }
        if (more) pu_buf_printf(b, "     and %zu more moves\n", more);
        if (!any) {
            bool challenges = false;
            for (size_t i = 0; !challenges && parley_result_challenge(r, i, &c); i++)
                challenges = c.run == run && c.issue == k;
            if (challenges)
                pu_buf_printf(b, "\n   Who presses whom (%s, round 1): no one yields to pressure\n",
                              report_clean(cn, parley_result_run_label(r, run)));
        }
        /* Later rounds: how many moved, and where the median went. */
        for (int round = 2; round < 2 + MAX_ROUNDS; round++) {
            double median;
            const double *prev = positions_at(r, run, k, round - 1, NULL), *now = positions_at(r, run, k, round, &median);
            if (!prev || !now) break;
            size_t moved = 0;
            for (size_t a = 0; a < parley_scenario_actor_count(s); a++) moved += !isnan(now[a]) && now[a] != prev[a];
            char num[40];
            fmt_k(num, sizeof num, s, k, median);
            pu_buf_printf(b, "     round %d: %zu actor%s moved; median %s\n", round, moved, moved == 1 ? "" : "s", num);
        }
    }
}

/* Tells each trading model's round-1 trades in words (the runs whose traits record trades), and who
 * gained or lost from others' trades. */
static void trades_block(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r)
{
    enum { MAX_TRADES = 12, MAX_ACTORS = 5 };
    for (size_t run = 0; run < parley_result_run_count(r); run++) {
        if (!(report_run_records(r, run) & PARLEY_RECORDS_TRADES)) continue;
        parley_exchange e;
        size_t shown = 0, total = 0, rounds = 0;
        for (size_t i = 0; parley_result_exchange(r, i, &e); i++) {
            if (e.run != run) continue;
            total++;
            if (e.round > (int)rounds) rounds = (size_t)e.round;
            if (e.round != 1) continue;
            if (shown == 0)
                pu_buf_printf(b, "\nTrades (%s, round 1, in the order they were made):\n", report_clean(cn, parley_result_run_label(r, run)));
            if (shown++ >= MAX_TRADES) continue;
            char ix[40], iy[40], jx[40], jy[40], g[40];
            fmt_k(ix, sizeof ix, s, e.i_supply, e.i_x), fmt_k(iy, sizeof iy, s, e.i_supply, e.i_y);
            fmt_k(jx, sizeof jx, s, e.j_supply, e.j_x), fmt_k(jy, sizeof jy, s, e.j_supply, e.j_y);
            snprintf(g, sizeof g, "%.3g", e.gain);
            pu_buf_printf(b, "  %s gives ground on %s, %s -> %s, and wins movement from %s on %s, %s -> %s; gain %s each\n",
                          report_clean(cn, actor_name(s, e.i)), report_clean(cn, issue_name(s, e.i_supply)), ix, iy, report_clean(cn, actor_name(s, e.j)),
                          report_clean(cn, issue_name(s, e.j_supply)), jx, jy, g);
        }
        if (shown > MAX_TRADES) pu_buf_printf(b, "  and %zu more trades in round 1\n", shown - MAX_TRADES);
        if (total) pu_buf_printf(b, "  %zu trades over %zu rounds in all\n", total, rounds);
        /* Externalities: what others' trades did to each actor, summed over the rounds. */
        size_t n = parley_scenario_actor_count(s);
        double *ext = calloc(n ? n : 1, sizeof *ext);
        if (!ext) continue;
        parley_externality x;
        bool any = false;
        for (size_t i = 0; parley_result_externality(r, i, &x); i++)
            if (x.run == run) ext[x.actor] += x.inner + x.outer, any = true;
        if (any) {
            pu_buf_puts(b, "  Others' trades, summed over the rounds (utility, salience x outcome shift):\n");
            for (int side = 0; side < 2; side++) {
                pu_buf_puts(b, side == 0 ? "    gain most: " : "    lose most: ");
                bool used[1024] = {false};
                int t = 0;
                for (; t < MAX_ACTORS; t++) {
                    size_t best = SIZE_MAX;
                    for (size_t a = 0; a < n && a < 1024; a++) {
                        if (used[a] || (side == 0 ? ext[a] <= 0 : ext[a] >= 0)) continue;
                        if (best == SIZE_MAX || (side == 0 ? ext[a] > ext[best] : ext[a] < ext[best])) best = a;
                    }
                    if (best == SIZE_MAX) break;
                    used[best] = true;
                    pu_buf_printf(b, "%s%s %+.3g", t ? "; " : "", report_clean(cn, actor_name(s, best)), ext[best]);
                }
                pu_buf_puts(b, t ? "\n" : "nobody\n");
            }
        }
        free(ext);
    }
}

char *report_text(const parley_scenario *s, const parley_result *r)
{
    pu_buf b = {0};
    report_cleaner cn = {0};
    const char *name = report_clean(&cn, parley_scenario_text(s, PARLEY_TEXT_NAME)), *date = report_clean(&cn, parley_scenario_text(s, PARLEY_TEXT_DATE));
    pu_buf_printf(&b, "%s%s%s%s\n", name ? name : "Scenario", date ? " (" : "", date ? date : "", date ? ")" : "");
    size_t na = parley_scenario_actor_count(s), ni = parley_scenario_issue_count(s);
    pu_buf_printf(&b, "%zu actor%s, %zu issue%s; models:", na, na == 1 ? "" : "s", ni, ni == 1 ? "" : "s");
    for (size_t run = 0; run < parley_result_run_count(r); run++)
        pu_buf_printf(&b, "%s %s", run ? "," : "", report_clean(&cn, parley_result_run_label(r, run)));
    const char *sha = parley_scenario_sha256(s);
    pu_buf_printf(&b, "\ninput %s (sha256 %.12s...)\n", parley_scenario_source(s) ? report_clean(&cn, parley_scenario_source(s)) : "-",
                  sha ? sha : "?");
    size_t n = parley_scenario_actor_count(s);
    char *keys = malloc(n ? n : 1);
    placed *pl = malloc((n ? n : 1) * sizeof *pl);
    if (keys && pl) {
        assign_keys(s, keys);
        for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
            issue_block(&b, &cn, s, r, k, keys, pl);
            pressure_block(&b, &cn, s, r, k);
        }
        trades_block(&b, &cn, s, r);
    }
    if (!keys || !pl || cn.failed) b.failed = true;
    free(keys), free(pl);
    report_cleaner_free(&cn);
    return pu_buf_take(&b);
}
