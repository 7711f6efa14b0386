/* text.c - results for a person: per issue the scale, each model's forecast, the actors on a strip. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/utility.h"
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

/* Formats a number on issue k's scale (report_fmt_on); on an option issue, the option's text. */
static void fmt_k(char *buf, size_t size, const parley_scenario *s, size_t k, double v)
{
    const char *opt = parley_issue_option_count(s, k) && v >= 0 && v == floor(v) ? parley_issue_option(s, k, (size_t)v) : NULL;
    if (opt) {
        snprintf(buf, size, "%s", opt);
        /* A file's text, printed where numbers go uncleaned: no control character reaches the terminal. */
        for (char *p = buf; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
        return;
    }
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

/* The option text of value v of option issue k, or "-" when v is none. */
static const char *option_text(const parley_scenario *s, size_t k, double v)
{
    const char *o = v >= 0 && v == floor(v) ? parley_issue_option(s, k, (size_t)v) : NULL;
    return o ? o : "-";
}

/* An option issue has no scale to draw: its options, each model's pick and each actor's evaluations. */
static void option_block(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r, size_t k)
{
    size_t no = parley_issue_option_count(s, k);
    pu_buf_puts(b, "   options:");
    for (size_t j = 0; j < no; j++) pu_buf_printf(b, "%s %s", j ? "," : "", report_clean(cn, parley_issue_option(s, k, j)));
    pu_buf_puts(b, "\n");
    double q = parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE), out = parley_issue_number(s, k, PARLEY_ISSUE_OUTCOME);
    if (!isnan(q)) pu_buf_printf(b, "   reference point (status quo): %s\n", report_clean(cn, option_text(s, k, q)));
    if (!isnan(out)) pu_buf_printf(b, "   known outcome: %s\n", report_clean(cn, option_text(s, k, out)));
    pu_buf_puts(b, "\n");
    for (size_t run = 0; run < parley_result_run_count(r); run++)
        pu_buf_printf(b, "   %-14s %s\n", report_clean(cn, parley_result_run_label(r, run)),
                      report_clean(cn, option_text(s, k, parley_result_value(r, run, k))));
    pu_buf_puts(b, "\n   evaluations (0-1):\n");
    for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
        if (!parley_stance(s, a, k, NULL, NULL, NULL)) continue;
        pu_buf_printf(b, "   %-14s", report_clean(cn, parley_actor_id(s, a)));
        for (size_t j = 0; j < no; j++) {
            char num[40];
            pu_fmt_double(num, sizeof num, parley_evaluation(s, a, k, (double)j, PARLEY_UTILITY_LINEAR));
            pu_buf_printf(b, "%s %s %s", j ? "," : "", report_clean(cn, parley_issue_option(s, k, j)), num);
        }
        pu_buf_puts(b, "\n");
    }
}

static void issue_block(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r, size_t k,
                        const char *keys, placed *pl)
{
    if (parley_issue_option_count(s, k)) {
        const char *olabel = parley_issue_text(s, k, PARLEY_TEXT_NAME);
        pu_buf_printf(b, "\n%zu. %s  [%s]\n", k + 1, report_clean(cn, olabel ? olabel : parley_issue_id(s, k)),
                      report_clean(cn, parley_issue_id(s, k)));
        option_block(b, cn, s, r, k);
        (void)keys, (void)pl;
        return;
    }
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
    size_t first_run = report_lead_run(r, k);
    double first = first_run == SIZE_MAX ? NAN : parley_result_value(r, first_run, k);
    for (size_t run = 0; run < runs; run++) {
        double v = parley_result_value(r, run, k);
        const char *note = NULL;
        for (size_t i = 0; i < parley_result_forecast_count(r); i++) {
            size_t fr, fk;
            parley_result_forecast(r, i, &fr, &fk, NULL, &note);
            if (fr == run && fk == k) break;
            note = NULL;
        }
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
        /* Closest actors to the leading forecast (the headline's, else the first model's), nearest first. */
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

/* Returns the index of run's round record on issue (NULL-free: SIZE_MAX when the result has none) and
 * sets *pos and *median from it. */
static size_t round_at(const parley_result *r, size_t run, size_t issue, int round, const double **pos, double *median)
{
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t rr, ri;
        int rd;
        const double *p;
        double med;
        parley_result_round(r, i, &rr, &ri, &rd, &med, NULL, &p);
        if (rr == run && ri == issue && rd == round) {
            if (pos) *pos = p;
            if (median) *median = med;
            return i;
        }
    }
    return SIZE_MAX;
}

/* Limits of the bounded records at --detail normal; full has none. */
enum { NORMAL_MOVES = 5, NORMAL_ROUNDS = 6, NORMAL_TRADES = 6, MAX_GAINERS = 5 };

static const char *region_words(parley_region g)
{
    return g == PARLEY_REGION_UPPER_HAND ? "upper hand" : parley_region_name(g);
}

/* One accepted round-1 move in words, the verbs agreeing with the actors' names. */
static void move_line(pu_buf *b, report_cleaner *cn, const parley_scenario *s, size_t k, const double *before,
                      const parley_challenge *c)
{
    char from[40], to[40], at[40];
    fmt_k(from, sizeof from, s, k, before[c->to]);
    fmt_k(to, sizeof to, s, k, before[c->from]);
    fmt_k(at, sizeof at, s, k, c->offer);
    const char *pn = actor_name(s, c->from), *tn = actor_name(s, c->to);
    pu_buf_printf(b, "     %s %s ", report_clean(cn, pn), report_verb(pn, "presses", "press"));
    pu_buf_printf(b, "%s to move from %s to %s; ", report_clean(cn, tn), from, to); /* a ring slot lasts a few calls only */
    const char *who = report_clean(cn, tn);
    if (c->region == PARLEY_REGION_COMPROMISE)
        pu_buf_printf(b, "%s %s a compromise at %s\n", who, report_verb(tn, "accepts", "accept"), at);
    else if (c->region == PARLEY_REGION_CAPITULATION)
        pu_buf_printf(b, "%s %s in and %s to %s\n", who, report_verb(tn, "gives", "give"), report_verb(tn, "moves", "move"), at);
    else
        pu_buf_printf(b, "%s %s to lose a confrontation and %s to %s\n", who, report_verb(tn, "expects", "expect"),
                      report_verb(tn, "moves", "move"), at);
}

/* Tells, for each run whose traits record rounds or pressure, who pressed whom in round 1 (challenge
 * models), how each round went under its own heading (the median, or the voting outcome that is the
 * exchange model's forecast), and at full detail the whole pressure map. Normal detail bounds the
 * records and says what it leaves out. */
static void pressure_block(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r, size_t k,
                           parley_detail detail)
{
    bool full = detail == PARLEY_DETAIL_FULL;
    size_t na = parley_scenario_actor_count(s);
    for (size_t run = 0; run < parley_result_run_count(r); run++) {
        if (!(report_run_records(r, run) & (PARLEY_RECORDS_ROUNDS | PARLEY_RECORDS_PRESSURE))) continue; /* by its traits */
        const double *before = NULL;
        if (round_at(r, run, k, 0, &before, NULL) == SIZE_MAX || !before) continue;
        const char *label = parley_result_run_label(r, run);
        size_t shown = 0, accepted = 0, challenges = 0;
        parley_challenge c;
        for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
            if (c.run != run || c.issue != k) continue;
            challenges++;
            if (c.round != 1 || !c.accepted) continue;
            if (!accepted++) pu_buf_printf(b, "\n   Who presses whom (%s, round 1):\n", report_clean(cn, label));
            if (!full && shown == NORMAL_MOVES) continue;
            move_line(b, cn, s, k, before, &c);
            shown++;
        }
        if (accepted > shown)
            pu_buf_printf(b, "     %zu of %zu moves shown; --detail full for all\n", shown, accepted);
        if (challenges && !accepted)
            pu_buf_printf(b, "\n   Who presses whom (%s, round 1): no one yields to pressure\n", report_clean(cn, label));
        /* Round by round: how many moved, and where the median (or the voting outcome) went. */
        int last = 0;
        while (round_at(r, run, k, last + 1, NULL, NULL) != SIZE_MAX) last++;
        if (last) {
            pu_buf_printf(b, "\n   Round by round (%s, %d round%s):\n", report_clean(cn, label), last, last == 1 ? "" : "s");
            int upto = full || last <= NORMAL_ROUNDS ? last : NORMAL_ROUNDS;
            for (int round = 1; round <= upto; round++) {
                const double *prev = NULL, *now = NULL;
                double median = NAN;
                size_t pi = round_at(r, run, k, round - 1, &prev, NULL);
                size_t i = round_at(r, run, k, round, &now, &median);
                /* Where a model records votes (the exchange model), what its trades move are the votes. */
                const double *pv = parley_result_round_voting(r, pi), *nv = parley_result_round_voting(r, i);
                if (pv && nv) prev = pv, now = nv;
                size_t moved = 0;
                for (size_t a = 0; a < na && prev && now; a++) moved += !isnan(now[a]) && now[a] != prev[a];
                double outcome = parley_result_round_outcome(r, i);
                char num[40];
                fmt_k(num, sizeof num, s, k, isnan(outcome) ? median : outcome);
                pu_buf_printf(b, "     round %d: %zu actor%s moved; %s %s\n", round, moved, moved == 1 ? "" : "s",
                              isnan(outcome) ? "median" : "voting outcome", num);
            }
            if (upto < last) pu_buf_printf(b, "     rounds 1-%d of %d shown; --detail full for all\n", upto, last);
        }
        if (!full || !challenges) continue;
        /* The whole pressure map: every challenge of every round. */
        pu_buf_printf(b, "\n   Pressure map (%s): every challenge, round by round (the region from the pressed actor's side)\n",
                      report_clean(cn, label));
        for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
            if (c.run != run || c.issue != k) continue;
            char at[40];
            fmt_k(at, sizeof at, s, k, c.offer);
            const char *pn = actor_name(s, c.from);
            pu_buf_printf(b, "     round %d: %s %s ", c.round, report_clean(cn, pn), report_verb(pn, "presses", "press"));
            pu_buf_printf(b, "%s: %s", report_clean(cn, actor_name(s, c.to)), region_words(c.region));
            if (!isnan(c.offer)) pu_buf_printf(b, ", offer %s", at);
            pu_buf_puts(b, c.accepted ? ", accepted\n" : ", not accepted\n");
        }
    }
}

/* One executed trade in words. */
static void trade_line(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_exchange *e)
{
    char ix[40], iy[40], jx[40], jy[40], g[40];
    fmt_k(ix, sizeof ix, s, e->i_supply, e->i_x), fmt_k(iy, sizeof iy, s, e->i_supply, e->i_y);
    fmt_k(jx, sizeof jx, s, e->j_supply, e->j_x), fmt_k(jy, sizeof jy, s, e->j_supply, e->j_y);
    snprintf(g, sizeof g, "%.3g", e->gain);
    const char *in = actor_name(s, e->i);
    pu_buf_printf(b, "  %s %s ground on ", report_clean(cn, in), report_verb(in, "gives", "give"));
    pu_buf_printf(b, "%s, %s -> %s, and %s movement from ", report_clean(cn, issue_name(s, e->i_supply)), ix, iy,
                  report_verb(in, "wins", "win"));
    pu_buf_printf(b, "%s on ", report_clean(cn, actor_name(s, e->j)));
    pu_buf_printf(b, "%s, %s -> %s; gain %s each\n", report_clean(cn, issue_name(s, e->j_supply)), jx, jy, g);
}

/* Tells each trading model's trades in words (the runs whose traits record trades): round 1's in the
 * order they were made (bounded at normal detail; every round's at full), and who gained or lost from
 * others' trades. */
static void trades_block(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r, parley_detail detail)
{
    bool full = detail == PARLEY_DETAIL_FULL;
    for (size_t run = 0; run < parley_result_run_count(r); run++) {
        if (!(report_run_records(r, run) & PARLEY_RECORDS_TRADES)) continue;
        parley_exchange e;
        size_t shown = 0, first = 0, total = 0;
        int rounds = 0, heading = 0;
        for (size_t i = 0; parley_result_exchange(r, i, &e); i++) {
            if (e.run != run) continue;
            total++;
            if (e.round > rounds) rounds = e.round;
            first += e.round == 1;
            if (!full && (e.round != 1 || shown == NORMAL_TRADES)) continue;
            if (e.round != heading) {
                pu_buf_printf(b, "\nTrades (%s, round %d, in the order they were made):\n", report_clean(cn, parley_result_run_label(r, run)),
                              e.round);
                heading = e.round;
            }
            trade_line(b, cn, s, &e);
            shown++;
        }
        if (!full && first > shown) pu_buf_printf(b, "  %zu of round 1's %zu trades shown; --detail full for all\n", shown, first);
        if (total) pu_buf_printf(b, "  %zu trade%s over %d round%s in all\n", total, total == 1 ? "" : "s", rounds, rounds == 1 ? "" : "s");
        /* Externalities: what others' trades did to each actor, summed over the rounds. */
        size_t n = parley_scenario_actor_count(s);
        double *ext = calloc(n ? n : 1, sizeof *ext);
        bool *used = calloc(n ? n : 1, sizeof *used);
        if (!ext || !used) {
            free(ext), free(used);
            b->failed = true;
            continue;
        }
        parley_externality x;
        bool any = false;
        for (size_t i = 0; parley_result_externality(r, i, &x); i++)
            if (x.run == run) ext[x.actor] += x.inner + x.outer, any = true;
        if (any) {
            pu_buf_puts(b, "  Others' trades, summed over the rounds (utility, salience x outcome shift):\n");
            for (int side = 0; side < 2; side++) {
                pu_buf_puts(b, side == 0 ? "    gain most: " : "    lose most: ");
                memset(used, 0, n * sizeof *used);
                int t = 0;
                for (; full || t < MAX_GAINERS; t++) {
                    size_t best = SIZE_MAX;
                    for (size_t a = 0; a < n; a++) {
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
        free(ext), free(used);
    }
}

/* ---- At a glance ---- */

size_t report_lead_run(const parley_result *r, size_t k)
{
    size_t h = parley_result_headline(r);
    if (h != SIZE_MAX && !isnan(parley_result_value(r, h, k))) return h;
    for (size_t run = 0; run < parley_result_run_count(r); run++)
        if (!isnan(parley_result_value(r, run, k))) return run;
    return SIZE_MAX;
}

typedef struct glance_row {
    size_t lead;
    double v;
    bool wider;
    char val[40], interval[96], range[96];
} glance_row;

void report_glance(pu_buf *b, report_cleaner *cn, const parley_scenario *s, const parley_result *r)
{
    size_t h = parley_result_headline(r), runs = parley_result_run_count(r), ni = parley_scenario_issue_count(s);
    glance_row *row = calloc(ni ? ni : 1, sizeof *row);
    if (!row) {
        b->failed = true;
        return;
    }
    /* First the cells, then the columns as wide as their widest cell (ids beyond 24 bytes only shift
     * their own row). */
    int idw = 5, vw = 8, iw = 12, rw = 12;
    bool flagged = false;
    for (size_t k = 0; k < ni; k++) {
        glance_row *g = &row[k];
        g->lead = report_lead_run(r, k);
        g->v = g->lead == SIZE_MAX ? NAN : parley_result_value(r, g->lead, k);
        double ilo = NAN, ihi = NAN, mn = INFINITY, mx = -INFINITY;
        if (g->lead != SIZE_MAX && parley_result_has_distribution(r, g->lead, k)) parley_result_interval(r, g->lead, k, 0.8, &ilo, &ihi);
        for (size_t run = 0; run < runs; run++) {
            double x = parley_result_value(r, run, k);
            if (run == g->lead || isnan(x)) continue;
            mn = fmin(mn, x), mx = fmax(mx, x);
        }
        char lo[40], hi[40];
        fmt_k(g->val, sizeof g->val, s, k, g->v);
        snprintf(g->interval, sizeof g->interval, "-");
        snprintf(g->range, sizeof g->range, "-");
        if (!isnan(ilo) && !isnan(ihi)) {
            fmt_k(lo, sizeof lo, s, k, ilo), fmt_k(hi, sizeof hi, s, k, ihi);
            snprintf(g->interval, sizeof g->interval, "%s to %s", lo, hi);
        }
        /* Halves: widths on a scale from -1e308 to 1e308 do not overflow. */
        g->wider = mn <= mx && !isnan(ilo) && mx / 2 - mn / 2 > ihi / 2 - ilo / 2;
        if (mn < mx) {
            fmt_k(lo, sizeof lo, s, k, mn), fmt_k(hi, sizeof hi, s, k, mx);
            snprintf(g->range, sizeof g->range, "%s to %s%s", lo, hi, g->wider ? " !" : "");
        } else if (mn == mx) {
            fmt_k(g->range, sizeof g->range, s, k, mn);
        }
        flagged |= g->wider;
        int w = (int)strlen(report_clean(cn, parley_issue_id(s, k)));
        if (w > idw) idw = w > 24 ? 24 : w;
        if ((int)strlen(g->val) > vw) vw = (int)strlen(g->val);
        if ((int)strlen(g->interval) > iw) iw = (int)strlen(g->interval);
        if ((int)strlen(g->range) > rw) rw = (int)strlen(g->range);
    }
    if (h != SIZE_MAX)
        pu_buf_printf(b, "\nAt a glance: the %s forecast of each issue (the median of its predictive distribution), its 80%% "
                         "interval,\nand the range of the other models' forecasts\n\n",
                      report_clean(cn, parley_result_run_label(r, h)));
    else
        pu_buf_printf(b, "\nAt a glance: no model run here gives a predictive distribution, so each issue shows the first model's\n"
                         "forecast (%s) with no interval, and the range of the other models' forecasts (--model ensemble gives one)\n\n",
                      runs ? report_clean(cn, parley_result_run_label(r, 0)) : "none");
    pu_buf_printf(b, "   %-*s  %*s  %-*s  %-*s  %s\n", idw, "issue", vw, "forecast", iw, "80% interval", rw, "other models",
                  "in the scale's words");
    for (size_t k = 0; k < ni; k++) {
        glance_row *g = &row[k];
        pu_buf_printf(b, "   %-*s  %*s  %-*s  %-*s  ", idw, report_clean(cn, parley_issue_id(s, k)), vw, g->val, iw, g->interval, rw,
                      g->range);
        if (isnan(g->v)) pu_buf_puts(b, "no model gives this issue a forecast");
        else report_lean(b, cn, s, k, g->v);
        if (g->lead != SIZE_MAX && g->lead != h && h != SIZE_MAX) {
            pu_buf_printf(b, " (%s's forecast: ", report_clean(cn, parley_result_run_label(r, g->lead)));
            pu_buf_printf(b, "%s gives none)", report_clean(cn, parley_result_run_label(r, h)));
        }
        pu_buf_puts(b, "\n");
    }
    free(row);
    if (flagged)
        pu_buf_puts(b, "   ! the other models' forecasts spread wider than the 80% interval: they disagree more than the\n"
                       "     headline's own uncertainty allows for: weigh them before relying on one number\n");
}

char *report_text(const parley_scenario *s, const parley_result *r, parley_detail detail)
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
    report_glance(&b, &cn, s, r);
    if (detail == PARLEY_DETAIL_SUMMARY) {
        pu_buf_puts(&b, "\n(--detail normal adds each issue's scale, every model's forecast and the actors; --detail full, every record)\n");
    } else {
        size_t n = parley_scenario_actor_count(s);
        char *keys = malloc(n ? n : 1);
        placed *pl = malloc((n ? n : 1) * sizeof *pl);
        if (keys && pl) {
            assign_keys(s, keys);
            for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
                issue_block(&b, &cn, s, r, k, keys, pl);
                pressure_block(&b, &cn, s, r, k, detail);
            }
            trades_block(&b, &cn, s, r, detail);
        }
        if (!keys || !pl) b.failed = true;
        free(keys), free(pl);
    }
    if (cn.failed) b.failed = true;
    report_cleaner_free(&cn);
    return pu_buf_take(&b);
}
