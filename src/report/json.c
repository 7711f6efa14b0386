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
    jw_obj_end(&w);
    return pu_buf_take(&w.out);
}
