/* advise.c - the writers of one actor's advice (parley_advise): text, JSON and a self-contained HTML page. */
#include "parley/advise.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "report_internal.h"
#include "svg.h"

/* How text from the input enters the output: cleaned for a terminal, or escaped for HTML. The sentences
 * are built once for both. */
typedef struct out {
    pu_buf *b;
    report_cleaner *cn; /* text */
    bool html;
} out;

static void put(out *o, const char *raw)
{
    if (o->html) svg_escape(o->b, raw);
    else pu_buf_puts(o->b, report_clean(o->cn, raw));
}

/* A name's possessive ("China's", "Russian hard-liners'"), as put() writes it. */
static void put_possessive(out *o, const char *name)
{
    pu_buf pos = {0};
    report_possessive(&pos, name);
    if (pos.failed) o->b->failed = true;
    put(o, pos.data ? pos.data : name);
    pu_buf_free(&pos);
}

static double width_of(const parley_scenario *s, size_t k)
{
    return parley_issue_number(s, k, PARLEY_ISSUE_HIGH) - parley_issue_number(s, k, PARLEY_ISSUE_LOW);
}

static void fmt_k(char *buf, size_t size, const parley_scenario *s, size_t k, double v)
{
    report_fmt_on(buf, size, v, parley_issue_number(s, k, PARLEY_ISSUE_LOW), parley_issue_number(s, k, PARLEY_ISSUE_HIGH));
}

/* What a move is worth to the advised actor: its salience times the share of the scale the forecast came
 * its way (the change of its utility). */
static double move_utility(const parley_scenario *s, const parley_advice_issue *ai, const parley_advice_move *m)
{
    double w = width_of(s, ai->issue);
    return w > 0 ? ai->salience * m->toward / w : NAN;
}

/* "; the forecast then moves from 55 to 62.4, 7.4 points its way (utility +0.012)" */
static void effect(out *o, const parley_scenario *s, const parley_advice_issue *ai, const parley_advice_move *m)
{
    char f0[40], f1[40], t[40], u[40];
    fmt_k(f0, sizeof f0, s, ai->issue, ai->forecast), fmt_k(f1, sizeof f1, s, ai->issue, m->forecast);
    fmt_k(t, sizeof t, s, ai->issue, fabs(m->toward));
    snprintf(u, sizeof u, "%.3f", move_utility(s, ai, m));
    pu_buf_printf(o->b, "; the forecast then moves from %s to %s, %s point%s %s (utility %s%s)", f0, f1, t,
                  !strcmp(t, "1") ? "" : "s", m->toward >= 0 ? "its way" : "away from it", m->toward >= 0 ? "+" : "", u);
}

/* The actor's own move in words, as advice: "raise its salience (0.5 to 0.6); the forecast then ..." */
static void own_move(out *o, const parley_scenario *s, const parley_advice_issue *ai, const parley_advice_move *m)
{
    char from[40], to[40];
    if (m->field == PARLEY_FIELD_SALIENCE) {
        snprintf(from, sizeof from, "%.3g", m->from), snprintf(to, sizeof to, "%.3g", m->to);
        pu_buf_printf(o->b, "%s its salience (%s to %s)", m->to > m->from ? "raise" : "lower", from, to);
    } else {
        fmt_k(from, sizeof from, s, ai->issue, m->from), fmt_k(to, sizeof to, s, ai->issue, m->to);
        bool away = fabs(m->to - ai->forecast) > fabs(m->from - ai->forecast);
        pu_buf_printf(o->b, "%s (position %s to %s%s)", away ? "take a harder line" : "move toward the forecast", from, to,
                      away ? ", away from the forecast" : "");
    }
    effect(o, s, ai, m);
}

/* Persuading another actor in words: "China (35 to 45); the forecast then ..." */
static void persuade_move(out *o, const parley_scenario *s, const parley_advice_issue *ai, const parley_advice_move *m)
{
    char from[40], to[40];
    fmt_k(from, sizeof from, s, ai->issue, m->from), fmt_k(to, sizeof to, s, ai->issue, m->to);
    put(o, actor_name(s, m->actor));
    pu_buf_printf(o->b, " (position %s to %s)", from, to);
    effect(o, s, ai, m);
}

/* The figures of one issue: where the actor stands, the forecast and what the forecast is worth to it. */
static void standing(out *o, const parley_scenario *s, const parley_advice_issue *ai)
{
    char p[40], f[40], d[40], r[40], sal[40], u[40], g[40];
    size_t k = ai->issue;
    fmt_k(p, sizeof p, s, k, ai->position), fmt_k(f, sizeof f, s, k, ai->forecast);
    fmt_k(d, sizeof d, s, k, fabs(ai->forecast - ai->position)), fmt_k(r, sizeof r, s, k, ai->reference);
    snprintf(sal, sizeof sal, "%.3g", ai->salience), snprintf(u, sizeof u, "%.3f", ai->utility);
    snprintf(g, sizeof g, "%.3f", fabs(ai->gain));
    if (isnan(ai->forecast)) {
        pu_buf_printf(o->b, "It stands at %s (salience %s); the model gives this issue no forecast, so nothing was tried.", p, sal);
        return;
    }
    /* a number stays on the line of the words that name it (\x01: a space wrap() never breaks at) */
    const char *nb = o->html ? "&nbsp;" : "\x01";
    pu_buf_printf(o->b, "It stands at%s%s (salience %s); the forecast is%s%s, %s%spoint%s from its position", nb, p, sal, nb, f,
                  d, nb, !strcmp(d, "1") ? "" : "s");
    if (!isnan(ai->reference)) pu_buf_printf(o->b, "; the status quo is%s%s", nb, r);
    pu_buf_printf(o->b, ". Its utility at the forecast is %s of at most %s", u, sal);
    if (isnan(ai->gain)) pu_buf_puts(o->b, ".");
    else if (fabs(ai->gain) < 0.0005) pu_buf_puts(o->b, ", the same as at the status quo.");
    else pu_buf_printf(o->b, ": it %s %s against the status quo.", ai->gain > 0 ? "gains" : "loses", g);
}

/* The step words: "a tenth of the scale (10 points)", "0.1 of salience". */
static void step_words(pu_buf *b, const parley_scenario *s, const parley_advice *a, size_t k)
{
    char w[40];
    double st = parley_advice_position_step(a);
    fmt_k(w, sizeof w, s, k, st * width_of(s, k));
    if (fabs(st - 0.1) < 1e-12) pu_buf_printf(b, "a tenth of the scale (%s points)", w);
    else pu_buf_printf(b, "%.3g of the scale (%s points)", st, w);
}

/* Whether the forecast already sits on the actor's position (to the precision shown). */
static bool at_position(const parley_scenario *s, const parley_advice_issue *ai)
{
    char f[40], p[40];
    fmt_k(f, sizeof f, s, ai->issue, ai->forecast), fmt_k(p, sizeof p, s, ai->issue, ai->position);
    return !strcmp(f, p);
}

/* Whether there is nothing to gain on the issue: the forecast sits on the actor's position and no move
 * tried improves it. */
static bool settled(const parley_scenario *s, const parley_advice_issue *ai)
{
    return at_position(s, ai) && ai->best_own == SIZE_MAX && ai->best_persuade == SIZE_MAX;
}

static void own_line(out *o, const parley_scenario *s, const parley_advice *a, const parley_advice_issue *ai)
{
    parley_advice_move m;
    if (settled(s, ai)) {
        pu_buf_puts(o->b, "The forecast is already its own position: no move can bring it closer, only hold it there.");
        return;
    }
    if (ai->best_own != SIZE_MAX && parley_advice_move_at(a, ai->best_own, &m)) {
        pu_buf_puts(o->b, "Its own strongest lever: ");
        own_move(o, s, ai, &m);
        pu_buf_puts(o->b, ".");
    } else {
        pu_buf_puts(o->b, "None of its own numbers brings the forecast its way: its position moved ");
        step_words(o->b, s, a, ai->issue);
        pu_buf_printf(o->b, " either way, or its salience by %.3g, leaves the forecast where it is or moves it away.",
                      parley_advice_salience_step(a));
    }
}

static void persuade_line(out *o, const parley_scenario *s, const parley_advice *a, const parley_advice_issue *ai)
{
    parley_advice_move m;
    if (ai->best_persuade != SIZE_MAX && parley_advice_move_at(a, ai->best_persuade, &m)) {
        pu_buf_puts(o->b, "Whom to persuade: ");
        persuade_move(o, s, ai, &m);
        pu_buf_puts(o->b, ".");
    } else {
        pu_buf_puts(o->b, "Whom to persuade: no one; no other actor's position moved ");
        step_words(o->b, s, a, ai->issue);
        pu_buf_puts(o->b, " toward it brings the forecast its way.");
    }
}

/* One trade from the advised actor's side: what it gives, what it gets, from whom. */
static void trade_words(out *o, const parley_scenario *s, const parley_advice *a, const parley_exchange *e)
{
    bool as_i = e->i == parley_advice_actor(a);
    size_t give = as_i ? e->i_supply : e->j_supply, get = as_i ? e->j_supply : e->i_supply, other = as_i ? e->j : e->i;
    double gx = as_i ? e->i_x : e->j_x, gy = as_i ? e->i_y : e->j_y, tx = as_i ? e->j_x : e->i_x, ty = as_i ? e->j_y : e->i_y;
    char a1[40], a2[40], b1[40], b2[40], g[40];
    fmt_k(a1, sizeof a1, s, give, gx), fmt_k(a2, sizeof a2, s, give, gy);
    fmt_k(b1, sizeof b1, s, get, tx), fmt_k(b2, sizeof b2, s, get, ty);
    snprintf(g, sizeof g, "%.3g", e->gain);
    pu_buf_printf(o->b, "round %d: it gives ground on ", e->round);
    put(o, issue_name(s, give));
    pu_buf_printf(o->b, " (its vote %s to %s) for ", a1, a2);
    put_possessive(o, actor_name(s, other));
    pu_buf_puts(o->b, " vote on ");
    put(o, issue_name(s, get));
    pu_buf_printf(o->b, " (%s to %s); each gains %s", b1, b2, g);
}

/* The best moves across issues, by the utility they gain the actor: indices into the moves, at most n. */
static size_t top_moves(const parley_scenario *s, const parley_advice *a, size_t *best, size_t *issue_of, size_t n)
{
    size_t got = 0;
    parley_advice_issue ai;
    parley_advice_move m;
    for (size_t i = 0; parley_advice_issue_at(a, i, &ai); i++) {
        size_t c[2] = {ai.best_own, ai.best_persuade};
        for (int j = 0; j < 2; j++) {
            if (c[j] == SIZE_MAX || !parley_advice_move_at(a, c[j], &m)) continue;
            double u = move_utility(s, &ai, &m);
            size_t at = got < n ? got++ : n;
            if (at == n) {
                parley_advice_move w;
                parley_advice_issue wi;
                parley_advice_move_at(a, best[n - 1], &w), parley_advice_issue_at(a, issue_of[n - 1], &wi);
                if (u <= move_utility(s, &wi, &w)) continue;
                at = n - 1;
            }
            best[at] = c[j], issue_of[at] = i;
            /* keep them sorted, largest first */
            for (size_t x = at; x > 0; x--) {
                parley_advice_move p, q;
                parley_advice_issue pi, qi;
                parley_advice_move_at(a, best[x - 1], &p), parley_advice_issue_at(a, issue_of[x - 1], &pi);
                parley_advice_move_at(a, best[x], &q), parley_advice_issue_at(a, issue_of[x], &qi);
                if (move_utility(s, &qi, &q) <= move_utility(s, &pi, &p)) break;
                size_t t = best[x]; best[x] = best[x - 1], best[x - 1] = t;
                t = issue_of[x]; issue_of[x] = issue_of[x - 1], issue_of[x - 1] = t;
            }
        }
    }
    return got;
}

/* "In short": the three moves worth most to the actor. */
static void in_short(out *o, const parley_scenario *s, const parley_advice *a, const char *pre, const char *list,
                     const char *item, const char *item_end, const char *post)
{
    size_t best[3], iss[3];
    size_t n = top_moves(s, a, best, iss, 3);
    if (!n) {
        pu_buf_puts(o->b, pre);
        pu_buf_puts(o->b, "No move tried brings any forecast its way.");
        pu_buf_puts(o->b, o->html ? "</p>" : post);
        return;
    }
    pu_buf_puts(o->b, pre);
    pu_buf_puts(o->b, "In short, the moves worth most to it, by the utility they gain it:");
    pu_buf_puts(o->b, list);
    for (size_t i = 0; i < n; i++) {
        parley_advice_issue ai;
        parley_advice_move m;
        parley_advice_issue_at(a, iss[i], &ai), parley_advice_move_at(a, best[i], &m);
        pu_buf_puts(o->b, item);
        put(o, issue_name(s, ai.issue));
        pu_buf_puts(o->b, ": ");
        if (m.actor == parley_advice_actor(a)) own_move(o, s, &ai, &m);
        else pu_buf_puts(o->b, "persuade "), persuade_move(o, s, &ai, &m);
        pu_buf_puts(o->b, item_end);
    }
    pu_buf_puts(o->b, post);
}

/* The paragraph saying how every figure was made. */
static void method(out *o, const parley_advice *a)
{
    const parley_result *r = parley_advice_base(a);
    size_t run = parley_advice_run(a);
    pu_buf_puts(o->b, "Every figure below was measured by running the models again with one number changed: ");
    if (parley_advice_is_headline(a)) {
        pu_buf_puts(o->b, "the forecast is the headline (");
        put(o, parley_result_run_label(r, run));
        pu_buf_puts(o->b, ": the median of its predictive distribution)");
    } else if (run != SIZE_MAX) {
        pu_buf_puts(o->b, "no model of the plan gives a distribution, so the forecast is the first model's (");
        put(o, parley_result_run_label(r, run));
        pu_buf_puts(o->b, ")");
    } else {
        pu_buf_puts(o->b, "no model of the plan gives any forecast");
    }
    double st = parley_advice_position_step(a);
    if (fabs(st - 0.1) < 1e-12) pu_buf_puts(o->b, ". A position moves a tenth of its scale's width");
    else pu_buf_printf(o->b, ". A position moves %.3g of its scale's width", st);
    pu_buf_printf(o->b, ", a salience by %.3g; another actor is moved that far toward this one's position, never past it. "
                        "Utility is salience x (1 - distance from its position / the scale's width): its salience at its "
                        "own position, 0 at the far end.",
                  parley_advice_salience_step(a));
}

/* Wraps what b holds from `from` on at 100 columns, continuation lines indented by indent spaces (the
 * first line is taken to start at column `indent` too). */
static void wrap(pu_buf *b, size_t from, size_t indent)
{
    if (b->failed || !b->data || b->len <= from) return;
    char *seg = pu_strndup(b->data + from, b->len - from);
    if (!seg) {
        b->failed = true;
        return;
    }
    b->len = from;
    size_t col = indent;
    for (char *w = seg; *w;) {
        size_t n = strcspn(w, " ");
        if (col > indent && col + 1 + n > 100) {
            pu_buf_puts(b, "\n");
            for (size_t i = 0; i < indent; i++) pu_buf_puts(b, " ");
            col = indent;
        } else if (col > indent) {
            pu_buf_puts(b, " ");
            col++;
        }
        for (size_t i = 0; i < n; i++) pu_buf_append(b, w[i] == '\x01' ? " " : w + i, 1);
        col += n;
        w += n;
        while (*w == ' ') w++;
    }
    free(seg);
}

static char *advice_text(const parley_scenario *s, const parley_advice *a)
{
    pu_buf b = {0};
    report_cleaner cn = {0};
    out o = {&b, &cn, false};
    size_t me = parley_advice_actor(a);
    put(&o, actor_name(s, me));
    pu_buf_printf(&b, " (%s): what it can do to move the forecast its way\n", report_clean(&cn, parley_actor_id(s, me)));
    put(&o, report_title(s));
    if (parley_scenario_text(s, PARLEY_TEXT_DATE)) pu_buf_printf(&b, " (%s)", report_clean(&cn, parley_scenario_text(s, PARLEY_TEXT_DATE)));
    pu_buf_puts(&b, "\n\n");
    size_t mark = b.len;
    method(&o, a);
    wrap(&b, mark, 0);
    pu_buf_puts(&b, "\n\n");
    size_t best[3], iss[3];
    size_t n = top_moves(s, a, best, iss, 3);
    pu_buf_puts(&b, n ? "In short, the moves worth most to it, by the utility they gain it:\n"
                      : "In short: no move tried brings any forecast its way.\n");
    for (size_t i = 0; i < n; i++) {
        parley_advice_issue ai;
        parley_advice_move m;
        parley_advice_issue_at(a, iss[i], &ai), parley_advice_move_at(a, best[i], &m);
        pu_buf_printf(&b, "  %zu. ", i + 1);
        mark = b.len;
        put(&o, issue_name(s, ai.issue));
        pu_buf_puts(&b, ": ");
        if (m.actor == me) own_move(&o, s, &ai, &m);
        else pu_buf_puts(&b, "persuade "), persuade_move(&o, s, &ai, &m);
        wrap(&b, mark, 5);
        pu_buf_puts(&b, "\n");
    }
    parley_advice_issue ai;
    for (size_t i = 0; parley_advice_issue_at(a, i, &ai); i++) {
        pu_buf_puts(&b, "\n");
        put(&o, issue_name(s, ai.issue));
        pu_buf_printf(&b, " (%s)\n  ", report_clean(&cn, parley_issue_id(s, ai.issue)));
        mark = b.len;
        standing(&o, s, &ai);
        wrap(&b, mark, 2);
        if (!isnan(ai.forecast)) {
            pu_buf_puts(&b, "\n  ");
            mark = b.len;
            own_line(&o, s, a, &ai);
            wrap(&b, mark, 2);
            if (!settled(s, &ai)) {
                pu_buf_puts(&b, "\n  ");
                mark = b.len;
                persuade_line(&o, s, a, &ai);
                wrap(&b, mark, 2);
            }
        }
        pu_buf_puts(&b, "\n");
    }
    size_t nt = parley_advice_trade_count(a);
    parley_exchange e;
    if (nt && parley_advice_trade_at(a, 0, &e)) {
        pu_buf_printf(&b, "\nTrades the exchange model (%s) made with it: %zu in all", report_clean(&cn, parley_result_run_label(parley_advice_base(a), e.run)), nt);
        pu_buf_puts(&b, nt > 10 ? ", the first 10 shown (--format json lists all)\n" : "\n");
        for (size_t i = 0; i < nt && i < 10 && parley_advice_trade_at(a, i, &e); i++) {
            pu_buf_puts(&b, "  ");
            mark = b.len;
            trade_words(&o, s, a, &e);
            wrap(&b, mark, 4);
            pu_buf_puts(&b, "\n");
        }
    } else {
        bool trading = false;
        const parley_result *r = parley_advice_base(a);
        for (size_t run = 0; run < parley_result_run_count(r); run++) trading |= (report_run_records(r, run) & PARLEY_RECORDS_TRADES) != 0;
        pu_buf_puts(&b, trading ? "\nThe exchange model made no trade with it.\n"
                                : "\nNo model of the plan trades across issues (add --model exchange to see its trades).\n");
    }
    bool failed = cn.failed;
    report_cleaner_free(&cn);
    if (failed) pu_buf_free(&b), b.failed = true;
    return pu_buf_take(&b);
}

static void json_move(jw *w, const parley_scenario *s, const parley_advice_issue *ai, const parley_advice_move *m)
{
    jw_obj(w);
    jw_kstr(w, "actor", parley_actor_id(s, m->actor));
    jw_kstr(w, "field", m->field == PARLEY_FIELD_SALIENCE ? "salience" : "position");
    jw_knum(w, "from", m->from);
    jw_knum(w, "to", m->to);
    jw_knum(w, "forecast", m->forecast);
    jw_knum(w, "toward", m->toward);
    jw_knum(w, "utility_gain", move_utility(s, ai, m));
    jw_obj_end(w);
}

static char *advice_json(const parley_scenario *s, const parley_advice *a)
{
    jw w = {0};
    const parley_result *r = parley_advice_base(a);
    size_t me = parley_advice_actor(a), run = parley_advice_run(a);
    jw_obj(&w);
    report_json_provenance(&w, s, r);
    jw_key(&w, "actor");
    jw_obj(&w);
    jw_kstr(&w, "id", parley_actor_id(s, me));
    jw_kstr(&w, "name", parley_actor_text(s, me, PARLEY_TEXT_NAME));
    jw_obj_end(&w);
    jw_key(&w, "forecast_run");
    if (run == SIZE_MAX) jw_null(&w);
    else {
        jw_obj(&w);
        report_json_run(&w, r, run);
        jw_kbool(&w, "headline", parley_advice_is_headline(a));
        jw_obj_end(&w);
    }
    jw_knum(&w, "position_step", parley_advice_position_step(a));
    jw_knum(&w, "salience_step", parley_advice_salience_step(a));
    jw_key(&w, "issues");
    jw_arr(&w);
    parley_advice_issue ai;
    parley_advice_move m;
    for (size_t i = 0; parley_advice_issue_at(a, i, &ai); i++) {
        jw_obj(&w);
        jw_kstr(&w, "issue", parley_issue_id(s, ai.issue));
        jw_knum(&w, "position", ai.position);
        jw_knum(&w, "salience", ai.salience);
        jw_knum(&w, "forecast", ai.forecast);
        jw_knum(&w, "reference", ai.reference);
        jw_knum(&w, "utility", ai.utility);
        jw_knum(&w, "gain", ai.gain);
        size_t best[2] = {ai.best_own, ai.best_persuade};
        const char *keys[2] = {"best_own", "best_persuade"};
        for (int j = 0; j < 2; j++) {
            jw_key(&w, keys[j]);
            if (best[j] != SIZE_MAX && parley_advice_move_at(a, best[j], &m)) json_move(&w, s, &ai, &m);
            else jw_null(&w);
        }
        jw_key(&w, "moves");
        jw_arr(&w);
        for (size_t x = 0; parley_advice_move_at(a, x, &m); x++)
            if (m.issue == ai.issue) json_move(&w, s, &ai, &m);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "trades");
    jw_arr(&w);
    parley_exchange e;
    for (size_t i = 0; parley_advice_trade_at(a, i, &e); i++) {
        bool as_i = e.i == me;
        jw_obj(&w);
        report_json_run(&w, r, e.run);
        jw_kint(&w, "round", e.round);
        jw_kint(&w, "index", e.index);
        jw_kstr(&w, "with", parley_actor_id(s, as_i ? e.j : e.i));
        jw_kstr(&w, "gives", parley_issue_id(s, as_i ? e.i_supply : e.j_supply));
        jw_knum(&w, "gives_from", as_i ? e.i_x : e.j_x);
        jw_knum(&w, "gives_to", as_i ? e.i_y : e.j_y);
        jw_kstr(&w, "gets", parley_issue_id(s, as_i ? e.j_supply : e.i_supply));
        jw_knum(&w, "gets_from", as_i ? e.j_x : e.i_x);
        jw_knum(&w, "gets_to", as_i ? e.j_y : e.i_y);
        jw_knum(&w, "gain", e.gain);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    pu_buf_puts(&w.out, "\n");
    return pu_buf_take(&w.out);
}

static const char html_style[] =
    "body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:900px;margin:2em auto;padding:0 1em;line-height:1.45}"
    "h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}"
    ".note{color:#555;font-size:.92em}li{margin:.3em 0}.prov{color:#666;font-size:.85em}"
    "table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ddd;padding:.2em .5em;text-align:right}"
    "th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}td.up{color:#235fa4}td.down{color:#b22}"
    "@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}";

static char *advice_html(const parley_scenario *s, const parley_advice *a)
{
    pu_buf b = {0};
    out o = {&b, NULL, true};
    size_t me = parley_advice_actor(a);
    pu_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>What ");
    put(&o, actor_name(s, me));
    pu_buf_puts(&b, " can do</title><style>");
    pu_buf_puts(&b, html_style);
    pu_buf_puts(&b, "</style></head><body>\n<h1 id=\"advise\">What ");
    put(&o, actor_name(s, me));
    pu_buf_puts(&b, " can do</h1>\n<p class=\"prov\">");
    put(&o, report_title(s));
    pu_buf_printf(&b, " &middot; parley %s</p>\n<p class=\"note\">", parley_version());
    method(&o, a);
    pu_buf_puts(&b, "</p>\n<section id=\"advise-short\">");
    in_short(&o, s, a, "<p>", "</p>\n<ol>", "<li>", "</li>\n", "</ol>");
    pu_buf_puts(&b, "</section>\n");
    parley_advice_issue ai;
    parley_advice_move m;
    for (size_t i = 0; parley_advice_issue_at(a, i, &ai); i++) {
        pu_buf_puts(&b, "<section class=\"advise-issue\"><h2>");
        put(&o, issue_name(s, ai.issue));
        pu_buf_puts(&b, "</h2>\n<p>");
        standing(&o, s, &ai);
        pu_buf_puts(&b, "</p>\n");
        if (!isnan(ai.forecast)) {
            pu_buf_puts(&b, "<p>");
            own_line(&o, s, a, &ai);
            pu_buf_puts(&b, "</p>\n<p>");
            persuade_line(&o, s, a, &ai);
            pu_buf_puts(&b, "</p>\n<table><thead><tr><th>move tried</th><th>from</th><th>to</th><th>forecast</th>"
                            "<th>its way</th></tr></thead><tbody>\n");
            for (size_t x = 0; parley_advice_move_at(a, x, &m); x++) {
                if (m.issue != ai.issue) continue;
                char f[40], t[40], fc[40], tw[40];
                bool sal = m.field == PARLEY_FIELD_SALIENCE;
                if (sal) snprintf(f, sizeof f, "%.3g", m.from), snprintf(t, sizeof t, "%.3g", m.to);
                else fmt_k(f, sizeof f, s, ai.issue, m.from), fmt_k(t, sizeof t, s, ai.issue, m.to);
                fmt_k(fc, sizeof fc, s, ai.issue, m.forecast);
                report_fmt_change(tw, sizeof tw, 0, m.toward, parley_issue_number(s, ai.issue, PARLEY_ISSUE_LOW),
                                  parley_issue_number(s, ai.issue, PARLEY_ISSUE_HIGH));
                if (!strcmp(tw, "+0.00") || !strcmp(tw, "-0.00")) snprintf(tw, sizeof tw, "none"); /* the forecast did not move */
                pu_buf_puts(&b, "<tr><td>");
                if (m.actor == me) pu_buf_puts(&b, sal ? "its salience" : "its position");
                else put_possessive(&o, actor_name(s, m.actor)), pu_buf_puts(&b, " position");
                pu_buf_printf(&b, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"%s\">%s</td></tr>\n", f, t, fc,
                              m.toward > 0 ? "up" : m.toward < 0 ? "down" : "", tw);
            }
            pu_buf_puts(&b, "</tbody></table>\n");
        }
        pu_buf_puts(&b, "</section>\n");
    }
    pu_buf_puts(&b, "<section id=\"advise-trades\"><h2>Trades</h2>\n");
    parley_exchange e;
    if (parley_advice_trade_at(a, 0, &e)) {
        pu_buf_puts(&b, "<ul>\n");
        for (size_t i = 0; parley_advice_trade_at(a, i, &e); i++) {
            pu_buf_puts(&b, "<li>");
            trade_words(&o, s, a, &e);
            pu_buf_puts(&b, "</li>\n");
        }
        pu_buf_puts(&b, "</ul>\n");
    } else {
        pu_buf_puts(&b, "<p>No trade of the exchange model involves it (or no model of the plan trades).</p>\n");
    }
    pu_buf_puts(&b, "</section>\n</body></html>\n");
    return pu_buf_take(&b);
}

char *parley_advice_report(const parley_scenario *s, const parley_advice *a, const char *format, parley_error *err)
{
    if (!s || !a) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, NULL, "no advice to write");
        return NULL;
    }
    const char *f = format ? format : "text";
    char *t;
    if (!strcmp(f, "text")) t = advice_text(s, a);
    else if (!strcmp(f, "json")) t = advice_json(s, a);
    else if (!strcmp(f, "html")) t = advice_html(s, a);
    else {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--format", "expected text, json or html, found \"%s\"", f);
        return NULL;
    }
    if (!t) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return t;
}
