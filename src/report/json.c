/* json.c - results as JSON (schema in docs/output-format.md). */
#include <math.h>

#include "report_internal.h"

/* Writes the members that tag every forecast and round: model, preset, issue. */
static void put_tag(jw *w, const parley_scenario *s, const parley_result *r, size_t run, size_t issue)
{
    jw_key(w, "model");
    jw_str(w, parley_result_run_model(r, run));
    jw_key(w, "preset");
    jw_str(w, parley_result_run_preset(r, run));
    jw_key(w, "issue");
    jw_str(w, parley_issue_id(s, issue));
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

char *report_json(const parley_scenario *s, const parley_result *r)
{
    jw w = {0};
    jw_obj(&w);
    report_json_provenance(&w, s, r);
    jw_key(&w, "forecasts");
    jw_arr(&w);
    for (size_t i = 0; i < parley_result_forecast_count(r); i++) {
        size_t run, issue;
        double v;
        const char *note;
        parley_result_forecast(r, i, &run, &issue, &v, &note);
        jw_obj(&w);
        put_tag(&w, s, r, run, issue);
        jw_key(&w, "value");
        jw_num(&w, v);
        if (note) {
            jw_key(&w, "note");
            jw_str(&w, note);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "rounds");
    jw_arr(&w);
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t run, issue;
        int round;
        double median, mean;
        const double *pos;
        parley_result_round(r, i, &run, &issue, &round, &median, &mean, &pos);
        jw_obj(&w);
        put_tag(&w, s, r, run, issue);
        jw_key(&w, "round");
        jw_int(&w, round);
        jw_key(&w, "median");
        jw_num(&w, median);
        jw_key(&w, "mean");
        jw_num(&w, mean);
        put_by_actor(&w, s, "positions", pos);
        const double *risk = parley_result_round_risk(r, i);
        if (risk) put_by_actor(&w, s, "risk", risk);
        const double *voting = parley_result_round_voting(r, i);
        if (voting) put_by_actor(&w, s, "voting", voting);
        double outcome = parley_result_round_outcome(r, i);
        if (!isnan(outcome)) {
            jw_key(&w, "outcome");
            jw_num(&w, outcome);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "challenges");
    jw_arr(&w);
    parley_challenge c;
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
        jw_obj(&w);
        put_tag(&w, s, r, c.run, c.issue);
        jw_key(&w, "round");
        jw_int(&w, c.round);
        jw_key(&w, "from");
        jw_str(&w, parley_actor_id(s, c.from));
        jw_key(&w, "to");
        jw_str(&w, parley_actor_id(s, c.to));
        jw_key(&w, "region");
        jw_str(&w, parley_region_name(c.region));
        jw_key(&w, "offer");
        jw_num(&w, c.offer);
        jw_key(&w, "accepted");
        jw_bool(&w, c.accepted);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "exchanges");
    jw_arr(&w);
    parley_exchange e;
    for (size_t i = 0; parley_result_exchange(r, i, &e); i++) {
        jw_obj(&w);
        jw_key(&w, "model");
        jw_str(&w, parley_result_run_model(r, e.run));
        jw_key(&w, "preset");
        jw_str(&w, parley_result_run_preset(r, e.run));
        jw_key(&w, "round");
        jw_int(&w, e.round);
        jw_key(&w, "index");
        jw_int(&w, e.index);
        jw_key(&w, "i");
        jw_str(&w, parley_actor_id(s, e.i));
        jw_key(&w, "i_supply");
        jw_str(&w, parley_issue_id(s, e.i_supply));
        jw_key(&w, "i_x");
        jw_num(&w, e.i_x);
        jw_key(&w, "i_y");
        jw_num(&w, e.i_y);
        jw_key(&w, "j");
        jw_str(&w, parley_actor_id(s, e.j));
        jw_key(&w, "j_supply");
        jw_str(&w, parley_issue_id(s, e.j_supply));
        jw_key(&w, "j_x");
        jw_num(&w, e.j_x);
        jw_key(&w, "j_y");
        jw_num(&w, e.j_y);
        jw_key(&w, "gain");
        jw_num(&w, e.gain);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "externalities");
    jw_arr(&w);
    parley_externality x;
    for (size_t i = 0; parley_result_externality(r, i, &x); i++) {
        jw_obj(&w);
        jw_key(&w, "model");
        jw_str(&w, parley_result_run_model(r, x.run));
        jw_key(&w, "round");
        jw_int(&w, x.round);
        jw_key(&w, "actor");
        jw_str(&w, parley_actor_id(s, x.actor));
        jw_key(&w, "own");
        jw_num(&w, x.own);
        jw_key(&w, "inner");
        jw_num(&w, x.inner);
        jw_key(&w, "outer");
        jw_num(&w, x.outer);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return pu_buf_take(&w.out);
}
