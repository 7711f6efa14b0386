/* test_saop.c - the saop protocol model: NegMAS's deterministic traces reproduced, GENIUS semantics, the
 * forecast with and without a deal, and the trait that keeps protocols out of the default plan. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "helpers.h"

static const char *const domains[] = {"car", "coffee", "england_zimbabwe", "flightbooking_a", "laptop", "new_sporthal", "politics"};

/* Maps a NegMAS class name to saop's strategy, or NULL for one saop does not play. */
static const char *strategy_of(const char *cls)
{
    static const char *const map[][2] = {{"BoulwareTBNegotiator", "boulware"},
                                         {"LinearTBNegotiator", "linear"},
                                         {"ConcederTBNegotiator", "conceder"},
                                         {"AspirationNegotiator", "aspiration"}};
    const char *dot = strrchr(cls, '.');
    dot = dot ? dot + 1 : cls;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i][0], dot)) return map[i][1];
    return NULL;
}

/* The first diagnostic's message, or "". */
static const char *first_message(const parley_error *err)
{
    const parley_diag *d = parley_error_count(err) ? parley_error_at(err, 0) : NULL;
    return d && d->message ? d->message : "";
}

static json_t *load_json(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PARLEY_TEST_DATA, rel);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) fail_msg("cannot read %s: %s", path, je.text);
    return j;
}

/* Reads the GENIUS domain NAME with its profiles in the reference's party order. */
static parley_scenario *read_domain(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "genius/expected/%s.json", name);
    json_t *exp = load_json(rel);
    json_t *files = json_object_get(exp, "files"), *profiles = json_object_get(files, "profiles");
    char paths[8][512];
    const char *pp[8];
    size_t n = 0;
    snprintf(paths[n], sizeof paths[n], "%s/genius/%s/%s", PARLEY_TEST_DATA, name,
             json_string_value(json_object_get(files, "domain")));
    pp[n] = paths[n], n++;
    for (size_t i = 0; i < json_array_size(profiles) && n < 8; i++, n++) {
        snprintf(paths[n], sizeof paths[n], "%s/genius/%s/%s", PARLEY_TEST_DATA, name,
                 json_string_value(json_array_get(profiles, i)));
        pp[n] = paths[n];
    }
    json_decref(exp);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_files(pp, n, NULL, 0, &s, err) != PARLEY_OK) fail_msg("cannot read %s: %s", name, first_message(err));
    parley_error_free(err);
    return s;
}

/* Returns whether outcome x (one value per issue) is the reference's outcome (option texts in issue order). */
static bool same_outcome(const parley_scenario *s, const double *x, json_t *ref)
{
    if (json_array_size(ref) != parley_scenario_issue_count(s)) return false;
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        const char *opt = parley_issue_option(s, k, (size_t)x[k]);
        if (!opt || strcmp(opt, json_string_value(json_array_get(ref, k)))) return false;
    }
    return true;
}

static void saop_negmas_reproduces_every_deterministic_negmas_trace(void **state)
{
    (void)state;
    size_t compared = 0;
    for (size_t d = 0; d < sizeof domains / sizeof *domains; d++) {
        char rel[256];
        snprintf(rel, sizeof rel, "negotiation/%s.saop.json", domains[d]);
        json_t *ref = load_json(rel);
        parley_scenario *s = read_domain(domains[d]);
        size_t na = parley_scenario_actor_count(s);
        json_t *runs = json_object_get(ref, "saop_runs");
        for (size_t r = 0; r < json_array_size(runs); r++) {
            json_t *run = json_array_get(runs, r), *agents = json_object_get(run, "agents");
            if (!json_is_true(json_object_get(run, "deterministic_rerun_identical"))) continue;
            char spec[256];
            int len = snprintf(spec, sizeof spec, "saop:negmas,steps=%d,strategies=",
                               (int)json_integer_value(json_object_get(run, "n_steps")));
            bool playable = true;
            for (size_t a = 0; a < json_array_size(agents); a++) {
                const char *st = strategy_of(json_string_value(json_array_get(agents, a)));
                if (!st) playable = false;
                else len += snprintf(spec + len, sizeof spec - (size_t)len, "%s%s", a ? "+" : "", st);
            }
            if (!playable) continue; /* tit-for-tat match-ups */
            const char *tag = json_string_value(json_object_get(run, "tag"));
            parley_result *res = run_spec(s, spec, 1);
            parley_negotiation g;
            assert_true(parley_result_negotiation(res, 0, &g));
            json_t *agreement = json_object_get(run, "agreement");
            if (json_is_null(agreement)) assert_null(g.agreement);
            else if (!g.agreement || !same_outcome(s, g.agreement, agreement))
                fail_msg("%s %s: the agreement differs from NegMAS's", domains[d], tag);
            if (g.steps != (int)json_integer_value(json_object_get(run, "final_step")))
                fail_msg("%s %s: %d steps, NegMAS %d", domains[d], tag, g.steps,
                         (int)json_integer_value(json_object_get(run, "final_step")));
            json_t *au = json_object_get(run, "agreement_utilities");
            for (size_t a = 0; a < na && json_is_array(au); a++)
                assert_true(fabs(g.utilities[a] - json_real_value(json_array_get(au, a))) <= 1e-12);
            /* Every offer, in order: who made it, what it was, and what it is worth to each party. */
            json_t *trace = json_object_get(run, "trace");
            size_t t = 0;
            parley_negotiation_event e;
            for (size_t j = 0; parley_result_negotiation_event(res, 0, j, &e); j++) {
                if (e.action != PARLEY_ACTION_OFFER) continue;
                json_t *entry = json_array_get(trace, t++);
                if (!entry) fail_msg("%s %s: more offers than NegMAS made", domains[d], tag);
                char who[8];
                snprintf(who, sizeof who, "p%zu_", e.actor);
                assert_memory_equal(json_string_value(json_object_get(entry, "negotiator")), who, strlen(who));
                if (!same_outcome(s, e.offer, json_object_get(entry, "offer")))
                    fail_msg("%s %s: offer %zu differs from NegMAS's", domains[d], tag, t);
                json_t *ou = json_object_get(entry, "offer_utilities");
                for (size_t a = 0; a < na; a++) assert_true(fabs(e.utilities[a] - json_real_value(json_array_get(ou, a))) <= 1e-12);
            }
            assert_int_equal(t, json_array_size(trace));
            compared++;
            parley_result_free(res);
        }
        parley_scenario_free(s);
        json_decref(ref);
    }
    assert_int_equal(compared, 19); /* every deterministic run but the 3 with tit-for-tat */
}

static void saop_stays_out_of_the_default_plan_but_runs_when_named(void **state)
{
    (void)state;
    parley_scenario *s = read_domain("laptop");
    parley_plan *p = parley_plan_default(s);
    for (size_t i = 0; i < parley_plan_count(p); i++) assert_string_not_equal(parley_model_name(parley_plan_model(p, i)), "saop");
    parley_plan_free(p);
    parley_result *r = run_spec(s, "saop", 1);
    assert_int_equal(parley_result_negotiation_count(r), 1);
    parley_negotiation g;
    assert_true(parley_result_negotiation(r, 0, &g));
    assert_string_equal(g.preset, "genius");
    parley_result_free(r);
    parley_scenario_free(s);
}

static void saop_genius_agrees_on_an_offer_and_its_accept_with_the_forecast_at_the_agreement(void **state)
{
    (void)state;
    parley_scenario *s = read_domain("laptop");
    parley_result *r = run_spec(s, "saop:genius,strategies=conceder", 1);
    parley_negotiation g;
    assert_true(parley_result_negotiation(r, 0, &g));
    assert_non_null(g.agreement);
    /* GENIUS: the agreement is the last offer, followed by n-1 = 1 accept. */
    parley_negotiation_event e;
    assert_true(parley_result_negotiation_event(r, 0, g.n_events - 1, &e));
    assert_int_equal(e.action, PARLEY_ACTION_ACCEPT);
    assert_true(parley_result_negotiation_event(r, 0, g.n_events - 2, &e));
    assert_int_equal(e.action, PARLEY_ACTION_OFFER);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        assert_true(e.offer[k] == g.agreement[k]);
        assert_true(parley_result_value(r, 0, k) == g.agreement[k]);
    }
    /* Both conceders gain over their reservation (0) and the deal is rational for both. */
    for (size_t a = 0; a < 2; a++) assert_true(g.utilities[a] > 0.5);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void saop_without_a_deal_forecasts_the_reference_point_and_says_so(void **state)
{
    (void)state;
    /* Two hard bargainers on opposite ends of one scale issue with a short deadline: no deal. */
    static const char json[] = "{\"name\": \"t\", \"issues\": [{\"id\": \"x\", \"low\": 0, \"high\": 100, \"reference\": 50}],"
                               " \"actors\": [{\"id\": \"a\", \"capability\": 1}, {\"id\": \"b\", \"capability\": 1}],"
                               " \"stances\": [{\"actor\": \"a\", \"issue\": \"x\", \"position\": 0, \"salience\": 1},"
                               " {\"actor\": \"b\", \"issue\": \"x\", \"position\": 100, \"salience\": 1}]}";
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(json, strlen(json), "t.json", NULL, &s, err), PARLEY_OK);
    parley_result *r = run_spec(s, "saop:negmas,steps=3,strategies=boulware", 1);
    parley_negotiation g;
    assert_true(parley_result_negotiation(r, 0, &g));
    assert_null(g.agreement);
    assert_int_equal(g.steps, 3);
    size_t run, issue;
    double v;
    const char *note;
    assert_true(parley_result_forecast(r, 0, &run, &issue, &v, &note));
    assert_true(v == 50);
    assert_non_null(strstr(note, "no agreement"));
    parley_result_free(r);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void saop_rejects_a_strategy_list_of_the_wrong_length(void **state)
{
    (void)state;
    parley_scenario *s = read_domain("politics");
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "saop,strategies=boulware+linear", err), PARLEY_OK);
    assert_null(parley_run(s, p, 1, err));
    assert_non_null(strstr(first_message(err), "2 names for 3 parties"));
    parley_plan_free(p);
    p = NULL;
    assert_int_not_equal(parley_plan_parse(&p, "saop,strategies=boulware+stubborn", err), PARLEY_OK);
    parley_plan_free(p);
    parley_error_free(err);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(saop_negmas_reproduces_every_deterministic_negmas_trace),
        cmocka_unit_test(saop_stays_out_of_the_default_plan_but_runs_when_named),
        cmocka_unit_test(saop_genius_agrees_on_an_offer_and_its_accept_with_the_forecast_at_the_agreement),
        cmocka_unit_test(saop_without_a_deal_forecasts_the_reference_point_and_says_so),
        cmocka_unit_test(saop_rejects_a_strategy_list_of_the_wrong_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
