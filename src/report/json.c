/* json.c - results as JSON (schema in docs/output-format.md). */
#include <math.h>

#include "report_internal.h"
#include "parley/utility.h"

/* Writes the members that tag every forecast and round: run, model, label, preset, issue. */
static void put_tag(jw *w, const parley_scenario *s, const parley_result *r, size_t run, size_t issue)
{
    report_json_run(w, r, run);
    jw_kstr(w, "issue", parley_issue_id(s, issue));
}

/* Writes {actor id: value} for the actors whose value is not NaN. */
static void put_by_actor(jw *w, const parley_scenario *s, const char *key, const double *v)
{
    jw_key(w, key);
    jw_obj(w);
    for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
        if (isnan(v[a])) continue;
        jw_key(w, parley_actor_id(s, a));
        jw_num(w, v[a]);
    }
    jw_obj_end(w);
}

/* Writes an outcome as {issue id: value} over the issues it gives (not NaN): an option issue's value as
 * the option's text, any other as a number (parley analyze writes outcomes the same way). */
static void put_outcome(jw *w, const parley_scenario *s, const char *key, const double *x)
{
    jw_key(w, key);
    if (!x) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        if (isnan(x[k])) continue;
        jw_key(w, parley_issue_id(s, k));
        const char *opt = parley_issue_kind_of(s, k) == PARLEY_ISSUE_OPTIONS && x[k] >= 0 ? parley_issue_option(s, k, (size_t)x[k]) : NULL;
        if (opt) jw_str(w, opt);
        else jw_num(w, x[k]);
    }
    jw_obj_end(w);
}

/* Writes the protocols' negotiations (only when some model recorded one, so other outputs keep their
 * shape). */
static void put_negotiations(jw *w, const parley_scenario *s, const parley_result *r)
{
    if (!parley_result_negotiation_count(r)) return;
    jw_key(w, "negotiations");
    jw_arr(w);
    parley_negotiation g;
    for (size_t i = 0; parley_result_negotiation(r, i, &g); i++) {
        jw_obj(w);
        jw_kstr(w, "model", parley_result_run_model(r, g.run));
        jw_kstr(w, "preset", g.preset);
        put_outcome(w, s, "agreement", g.agreement);
        jw_kint(w, "steps", g.steps);
        put_by_actor(w, s, "utilities", g.utilities);
        jw_key(w, "trace");
        jw_arr(w);
        parley_negotiation_event e;
        for (size_t j = 0; parley_result_negotiation_event(r, i, j, &e); j++) {
            jw_obj(w);
            jw_kint(w, "step", e.step);
            jw_kstr(w, "actor", parley_actor_id(s, e.actor));
            jw_kstr(w, "action", parley_action_name(e.action));
            put_outcome(w, s, "offer", e.offer);
            if (e.utilities) put_by_actor(w, s, "utilities", e.utilities);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* Writes the whole result into w. */
static void json_result(jw *w, const parley_scenario *s, const parley_result *r)
{
    jw_obj(w);
    report_json_provenance(w, s, r);
    jw_key(w, "forecasts");
    jw_arr(w);
    for (size_t i = 0; i < parley_result_forecast_count(r); i++) {
        size_t run, issue;
        double v;
        const char *note;
        parley_result_forecast(r, i, &run, &issue, &v, &note);
        jw_obj(w);
        put_tag(w, s, r, run, issue);
        jw_knum(w, "value", v);
        report_json_distribution(w, r, run, issue);
        if (note) {
            jw_kstr(w, "note", note);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "rounds");
    jw_arr(w);
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t run, issue;
        int round;
        double median, mean;
        const double *pos;
        parley_result_round(r, i, &run, &issue, &round, &median, &mean, &pos);
        jw_obj(w);
        put_tag(w, s, r, run, issue);
        jw_kint(w, "round", round);
        jw_knum(w, "median", median);
        jw_knum(w, "mean", mean);
        put_by_actor(w, s, "positions", pos);
        const double *risk = parley_result_round_risk(r, i);
        if (risk) put_by_actor(w, s, "risk", risk);
        const double *voting = parley_result_round_voting(r, i);
        if (voting) put_by_actor(w, s, "voting", voting);
        const double *win = parley_result_round_win(r, i);
        if (win) put_by_actor(w, s, "win_probability", win);
        double outcome = parley_result_round_outcome(r, i);
        if (!isnan(outcome)) {
            jw_knum(w, "outcome", outcome);
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "challenges");
    jw_arr(w);
    parley_challenge c;
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
        jw_obj(w);
        put_tag(w, s, r, c.run, c.issue);
        jw_kint(w, "round", c.round);
        jw_kstr(w, "from", parley_actor_id(s, c.from));
        jw_kstr(w, "to", parley_actor_id(s, c.to));
        jw_kstr(w, "region", parley_region_name(c.region));
        jw_knum(w, "offer", c.offer);
        jw_kbool(w, "accepted", c.accepted);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    /* The bounded pressure map says how much it left out (--detail full lists every challenge). */
    size_t left_out = parley_result_challenges_left_out(r);
    if (left_out) jw_kuint(w, "challenges_left_out", left_out);
    jw_key(w, "exchanges");
    jw_arr(w);
    parley_exchange e;
    for (size_t i = 0; parley_result_exchange(r, i, &e); i++) {
        jw_obj(w);
        report_json_run(w, r, e.run);
        jw_kint(w, "round", e.round);
        jw_kint(w, "index", e.index);
        jw_kstr(w, "i", parley_actor_id(s, e.i));
        jw_kstr(w, "i_supply", parley_issue_id(s, e.i_supply));
        jw_knum(w, "i_x", e.i_x);
        jw_knum(w, "i_y", e.i_y);
        jw_kstr(w, "j", parley_actor_id(s, e.j));
        jw_kstr(w, "j_supply", parley_issue_id(s, e.j_supply));
        jw_knum(w, "j_x", e.j_x);
        jw_knum(w, "j_y", e.j_y);
        jw_knum(w, "gain", e.gain);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "externalities");
    jw_arr(w);
    parley_externality x;
    for (size_t i = 0; parley_result_externality(r, i, &x); i++) {
        jw_obj(w);
        jw_kuint(w, "run", x.run);
        jw_kstr(w, "model", parley_result_run_model(r, x.run));
        jw_kstr(w, "label", parley_result_run_label(r, x.run));
        jw_kint(w, "round", x.round);
        jw_kstr(w, "actor", parley_actor_id(s, x.actor));
        jw_knum(w, "own", x.own);
        jw_knum(w, "inner", x.inner);
        jw_knum(w, "outer", x.outer);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    put_negotiations(w, s, r);
    jw_obj_end(w);
}

char *report_json(const parley_scenario *s, const parley_result *r)
{
    jw w = {0};
    json_result(&w, s, r);
    return pu_buf_take(&w.out);
}

bool report_json_to(const parley_scenario *s, const parley_result *r, bool (*sink)(void *ctx, const char *text, size_t n),
                    void *ctx)
{
    jw w = {0};
    w.sink = sink, w.sink_ctx = ctx;
    json_result(&w, s, r);
    bool ok = jw_flush(&w);
    pu_buf_free(&w.out);
    return ok;
}
