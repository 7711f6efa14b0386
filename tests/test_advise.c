/* test_advise.c - parley_advise on scenarios whose answer is known: the pivotal actor is the one to persuade,
 * every figure equals a fresh run of the changed scenario, utility and gain, trades with the actor only. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"

/* Three actors of equal weight on a 0-100 scale at 0, b and 100, status quo 0: the median voter is the one
 * at b, so only moving it moves the median. */
static parley_scenario *three(double b)
{
    parley_scenario *s = parley_scenario_new();
    size_t a, m, z, k;
    assert_int_equal(parley_scenario_add_actor(s, "low", "Low party", 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "mid", "Middle party", 1, &m), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "high", "High party", 1, &z), PARLEY_OK);
    assert_int_equal(parley_scenario_add_issue(s, "tax", "Tax rate", 0, 100, &k), PARLEY_OK);
    assert_int_equal(parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_REFERENCE, 0), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, k, 0, 1, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, m, k, b, 1, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, z, k, 100, 1, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

static parley_advice *advise(const parley_scenario *s, const char *spec, const char *actor)
{
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    size_t who;
    assert_true(parley_scenario_find_actor(s, actor, &who));
    if (spec) assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    else p = parley_plan_default(s);
    parley_advice *a = NULL;
    assert_int_equal(parley_advise(s, p, who, 1, NULL, &a, err), PARLEY_OK);
    assert_non_null(a);
    parley_plan_free(p);
    parley_error_free(err);
    return a;
}

static void the_pivotal_actor_is_the_one_to_persuade(void **state)
{
    (void)state;
    parley_scenario *s = three(50);
    parley_advice *a = advise(s, "median", "low");
    assert_false(parley_advice_is_headline(a)); /* the median model gives no distribution: run 0 stands in */
    assert_int_equal(parley_advice_run(a), 0);
    assert_int_equal(parley_advice_issue_count(a), 1);
    parley_advice_issue ai;
    assert_false(parley_advice_issue_at(a, 1, &ai));
    assert_true(parley_advice_issue_at(a, 0, &ai));
    assert_float_equal(ai.forecast, 50, 1e-12);
    assert_float_equal(ai.utility, 0.5, 1e-12);  /* salience 1, half the scale away */
    assert_float_equal(ai.gain, -0.5, 1e-12);    /* the status quo is its own position */
    assert_int_not_equal(ai.best_persuade, SIZE_MAX);
    parley_advice_move m;
    assert_true(parley_advice_move_at(a, ai.best_persuade, &m));
    size_t mid;
    assert_true(parley_scenario_find_actor(s, "mid", &mid));
    assert_int_equal(m.actor, mid);
    assert_int_equal(m.field, PARLEY_FIELD_POSITION);
    assert_float_equal(m.from, 50, 0);
    assert_float_equal(m.to, 40, 1e-12); /* a tenth of the scale toward "low" */
    assert_float_equal(m.forecast, 40, 1e-12);
    assert_float_equal(m.toward, 10, 1e-12);
    /* the far actor's move changes nothing, and none of low's own numbers can move the median */
    size_t high;
    assert_true(parley_scenario_find_actor(s, "high", &high));
    bool saw_high = false;
    for (size_t i = 0; parley_advice_move_at(a, i, &m); i++) {
        if (m.actor == high) saw_high = true, assert_float_equal(m.toward, 0, 1e-12), assert_float_equal(m.to, 90, 1e-12);
        if (m.actor != high && m.actor != mid) assert_float_equal(m.forecast, 50, 1e-12);
    }
    assert_true(saw_high);
    assert_int_equal(ai.best_own, SIZE_MAX);
    assert_int_equal(parley_advice_trade_count(a), 0);
    parley_advice_free(a);
    parley_scenario_free(s);
}

static void a_move_never_passes_the_advised_actors_position(void **state)
{
    (void)state;
    parley_scenario *s = three(4); /* the middle party sits 4 points from "low": it moves only those 4 */
    parley_advice *a = advise(s, "median", "low");
    parley_advice_issue ai;
    parley_advice_move m;
    assert_true(parley_advice_issue_at(a, 0, &ai));
    assert_true(parley_advice_move_at(a, ai.best_persuade, &m));
    assert_float_equal(m.to, 0, 0);
    assert_float_equal(m.forecast, 0, 1e-12);
    assert_float_equal(m.toward, 4, 1e-12);
    parley_advice_free(a);
    parley_scenario_free(s);
}

static void every_move_equals_a_fresh_run_of_the_changed_scenario(void **state)
{
    (void)state;
    parley_scenario *s = read_data("../../examples/jeddah-2025.json");
    parley_advice *a = advise(s, NULL, "ukraine");
    assert_true(parley_advice_is_headline(a));
    size_t run = parley_advice_run(a);
    parley_result *fresh = run_spec(s, "ensemble", 1);
    parley_advice_issue ai;
    for (size_t i = 0; parley_advice_issue_at(a, i, &ai); i++)
        assert_float_equal(ai.forecast, parley_result_value(fresh, 0, ai.issue), 0);
    parley_result_free(fresh);
    /* one move, redone by hand through a variant-free rebuild: the scenario serialised, the number edited */
    parley_advice_move m;
    assert_true(parley_advice_issue_at(a, 0, &ai));
    assert_int_not_equal(ai.best_persuade, SIZE_MAX);
    assert_true(parley_advice_move_at(a, ai.best_persuade, &m));
    parley_scenario *b = parley_scenario_new();
    size_t n = parley_scenario_actor_count(s), ni = parley_scenario_issue_count(s), x;
    for (size_t i = 0; i < n; i++)
        parley_scenario_add_actor(b, parley_actor_id(s, i), NULL, parley_actor_capability(s, i), &x);
    for (size_t k = 0; k < ni; k++) {
        parley_scenario_add_issue(b, parley_issue_id(s, k), NULL, parley_issue_number(s, k, PARLEY_ISSUE_LOW),
                                  parley_issue_number(s, k, PARLEY_ISSUE_HIGH), &x);
        parley_scenario_set_issue_number(b, k, PARLEY_ISSUE_REFERENCE, parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE));
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ni; k++) {
            double p, sal, cap;
            if (!parley_stance(s, i, k, &p, &sal, &cap)) continue;
            if (i == m.actor && k == m.issue) p = m.to;
            parley_scenario_set_stance(b, i, k, p, sal, cap);
        }
    assert_int_equal(parley_scenario_finalize(b, NULL), PARLEY_OK);
    parley_result *moved = run_spec(b, parley_result_run_label(parley_advice_base(a), run), 1);
    assert_float_equal(parley_result_value(moved, 0, m.issue), m.forecast, 1e-9);
    parley_result_free(moved);
    parley_scenario_free(b);
    parley_advice_free(a);
    parley_scenario_free(s);
}

static void trades_are_the_actors_own(void **state)
{
    (void)state;
    parley_scenario *s = read_data("../../examples/jeddah-2025.json");
    size_t us;
    assert_true(parley_scenario_find_actor(s, "us_admin", &us));
    parley_advice *a = advise(s, "ensemble,exchange", "us_admin");
    const parley_result *r = parley_advice_base(a);
    size_t expect = 0;
    parley_exchange e;
    for (size_t i = 0; parley_result_exchange(r, i, &e); i++) expect += e.i == us || e.j == us;
    assert_true(expect > 0);
    assert_int_equal(parley_advice_trade_count(a), expect);
    for (size_t i = 0; parley_advice_trade_at(a, i, &e); i++) assert_true(e.i == us || e.j == us);
    parley_advice_free(a);
    parley_scenario_free(s);
}

static void an_actor_out_of_range_is_a_usage_error(void **state)
{
    (void)state;
    parley_scenario *s = three(50);
    parley_error *err = parley_error_new();
    parley_plan *p = parley_plan_default(s);
    parley_advice *a = (parley_advice *)1;
    assert_int_equal(parley_advise(s, p, 3, 1, NULL, &a, err), PARLEY_E_USAGE);
    assert_null(a);
    assert_int_equal(parley_error_status(err), PARLEY_E_USAGE);
    parley_plan_free(p);
    parley_error_free(err);
    parley_scenario_free(s);
}

/* The text with its wrapping undone: every newline and the indent after it read as one space. */
static void unwrap(char *t)
{
    char *w = t;
    for (char *r = t; *r; r++) {
        if (*r == '\n') {
            while (r[1] == ' ') r++;
            *w++ = ' ';
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static void the_writers_say_what_was_measured(void **state)
{
    (void)state;
    parley_scenario *s = three(50);
    parley_advice *a = advise(s, "median", "low");
    parley_error *err = parley_error_new();
    char *t = parley_advice_report(s, a, "text", err);
    assert_non_null(t);
    unwrap(t);
    assert_non_null(strstr(t, "Whom to persuade: Middle party (position 50 to 40); the forecast then moves from 50 to 40, 10 points its way"));
    assert_non_null(strstr(t, "no model of the plan gives a distribution"));
    free(t);
    t = parley_advice_report(s, a, "json", err);
    assert_non_null(t);
    assert_non_null(strstr(t, "\"best_persuade\": {"));
    assert_non_null(strstr(t, "\"actor\": \"mid\""));
    free(t);
    t = parley_advice_report(s, a, "html", err);
    assert_non_null(t);
    assert_non_null(strstr(t, "<h1 id=\"advise\">What Low party can do</h1>"));
    free(t);
    assert_null(parley_advice_report(s, a, "csv", err));
    assert_int_equal(parley_error_status(err), PARLEY_E_USAGE);
    parley_error_free(err);
    parley_advice_free(a);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_pivotal_actor_is_the_one_to_persuade),
        cmocka_unit_test(a_move_never_passes_the_advised_actors_position),
        cmocka_unit_test(every_move_equals_a_fresh_run_of_the_changed_scenario),
        cmocka_unit_test(trades_are_the_actors_own),
        cmocka_unit_test(an_actor_out_of_range_is_a_usage_error),
        cmocka_unit_test(the_writers_say_what_was_measured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
