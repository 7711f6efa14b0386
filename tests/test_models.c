/* test_models.c - the classic models against hand-computed values, SPEC parsing, determinism. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parley/parley.h"

typedef struct actor_in {
    const char *id;
    double capability, position, salience;
} actor_in;

/* Builds a one-issue scenario on [0, 100] with an optional reference point (NaN = none). */
static parley_scenario *one_issue(const actor_in *a, size_t n, double reference)
{
    parley_scenario *s = parley_scenario_new();
    size_t k;
    assert_int_equal(parley_scenario_add_issue(s, "x", "test issue", 0, 100, &k), PARLEY_OK);
    if (!isnan(reference)) parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_REFERENCE, reference);
    for (size_t i = 0; i < n; i++) {
        size_t idx;
        assert_int_equal(parley_scenario_add_actor(s, a[i].id, NULL, a[i].capability, &idx), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, idx, k, a[i].position, a[i].salience, NAN), PARLEY_OK);
    }
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

/* Runs spec on s and returns issue 0's forecast of the first model; *note gets a copy of its note. */
static double forecast(const parley_scenario *s, const char *spec, char **note)
{
    parley_error *err = parley_error_new();
    parley_plan *plan = NULL;
    assert_int_equal(parley_plan_parse(&plan, spec, err), PARLEY_OK);
    parley_result *r = parley_run(s, plan, 1, err);
    assert_non_null(r);
    double v;
    const char *n;
    size_t run, issue;
    assert_true(parley_result_forecast(r, 0, &run, &issue, &v, &n));
    assert_int_equal(run, 0);
    assert_int_equal(issue, 0);
    if (note) *note = n ? strdup(n) : NULL;
    parley_result_free(r);
    parley_plan_free(plan);
    parley_error_free(err);
    return v;
}

static const actor_in three[] = {{"a", 3, 0, 1}, {"b", 1, 40, 1}, {"c", 1, 100, 0.5}};

static void compromise_is_the_weighted_mean(void **state)
{
    (void)state;
    parley_scenario *s = one_issue(three, 3, NAN);
    /* weights 3, 1, 0.5: (0*3 + 40*1 + 100*0.5) / 4.5 = 20 */
    assert_true(fabs(forecast(s, "compromise", NULL) - 20) < 1e-12);
    assert_true(fabs(forecast(s, "mean", NULL) - 140.0 / 3) < 1e-12);
    /* total weight 4.5; a alone holds 3 > 2.25 */
    assert_true(forecast(s, "median", NULL) == 0);
    parley_scenario_free(s);
}

static void median_tie_rule_is_an_option(void **state)
{
    (void)state;
    const actor_in two[] = {{"a", 1, 20, 1}, {"b", 2, 60, 0.5}};
    parley_scenario *s = one_issue(two, 2, NAN);
    assert_true(forecast(s, "median", NULL) == 20);
    assert_true(forecast(s, "median,tie=upper", NULL) == 60);
    assert_true(forecast(s, "median,tie=midpoint", NULL) == 40);
    parley_scenario_free(s);
}

static void zero_weights_fall_back_to_equal_weights_with_a_note(void **state)
{
    (void)state;
    const actor_in z[] = {{"a", 1, 20, 0}, {"b", 0, 60, 1}, {"c", 1, 70, 0}};
    parley_scenario *s = one_issue(z, 3, NAN);
    char *note = NULL;
    assert_true(fabs(forecast(s, "compromise", &note) - 50) < 1e-12);
    assert_non_null(note);
    assert_non_null(strstr(note, "unweighted mean"));
    free(note);
    assert_true(forecast(s, "median", &note) == 60);
    assert_non_null(strstr(note, "unweighted median"));
    free(note);
    parley_scenario_free(s);
}

static void nash_maximises_the_weighted_product_of_gains(void **state)
{
    (void)state;
    const actor_in eq[] = {{"a", 1, 40, 1}, {"b", 1, 60, 1}};
    parley_scenario *s = one_issue(eq, 2, 0);
    /* Hand-computed by bisection on the first-order condition of
     * log(1600 - (y-40)^2) + log(3600 - (y-60)^2) over (0, 80). */
    assert_true(fabs(forecast(s, "nash", NULL) - 46.27718676730986) < 1e-9);
    /* Linear loss: gains y and y on (0, 40], (80 - y) and y on [40, 80): the product peaks at 40. */
    assert_true(fabs(forecast(s, "nash,utility=linear", NULL) - 40) < 1e-9);
    parley_scenario_free(s);
    const actor_in w[] = {{"a", 3, 40, 1}, {"b", 1, 60, 1}};
    s = one_issue(w, 2, 0);
    assert_true(fabs(forecast(s, "nash", NULL) - 42.76889002637549) < 1e-9);
    parley_scenario_free(s);
}

static void nash_without_a_common_gain_keeps_the_status_quo(void **state)
{
    (void)state;
    const actor_in split[] = {{"a", 1, 20, 1}, {"b", 1, 80, 1}};
    parley_scenario *s = one_issue(split, 2, 50);
    char *note = NULL;
    assert_true(forecast(s, "nash", &note) == 50);
    assert_non_null(strstr(note, "status quo stands"));
    free(note);
    /* Measured from each side's worst outcome, both gain everywhere inside: symmetric, so 50 too. */
    assert_true(fabs(forecast(s, "nash,disagreement=worst", NULL) - 50) < 1e-9);
    parley_scenario_free(s);
    /* An actor already at the reference point blocks, unless left out. */
    const actor_in at[] = {{"a", 1, 0, 1}, {"b", 1, 60, 1}};
    s = one_issue(at, 2, 0);
    assert_true(forecast(s, "nash", &note) == 0);
    free(note);
    assert_true(fabs(forecast(s, "nash,at_reference=exclude", NULL) - 60) < 1e-6);
    parley_scenario_free(s);
    s = one_issue(at, 2, NAN);
    assert_true(isnan(forecast(s, "nash", &note)));
    assert_non_null(strstr(note, "no reference point"));
    free(note);
    assert_false(parley_model_suits(parley_model_find("nash"), s));
    parley_scenario_free(s);
}

static void spec_parsing_gives_hints(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_plan *plan = NULL;
    assert_int_equal(parley_plan_parse(&plan, "compromise, median,tie=upper ,nash,utility=linear", err), PARLEY_OK);
    assert_int_equal(parley_plan_count(plan), 3);
    assert_string_equal(parley_model_name(parley_plan_model(plan, 1)), "median");
    assert_string_equal(parley_plan_option_text(plan, 1, 0), "upper");
    assert_string_equal(parley_plan_option_text(plan, 2, 0), "linear");
    assert_int_equal(parley_plan_parse(&plan, "mean", err), PARLEY_OK); /* appends, as a repeated --model */
    assert_int_equal(parley_plan_count(plan), 4);
    parley_plan_free(plan);
    static const struct {
        const char *spec, *expect;
    } bad[] = {
        {"medain", "did you mean \"median\""},
        {"median,ties=upper", "did you mean \"tie\""},
        {"tie=upper,median", "before any model"},
        {"median:scholz", "no preset"},
        {"nash,utility=cubic", "expected one of quadratic|linear"},
        {"compromise,,median", "empty item"},
        {"compromise,weight=2", "takes no options"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        plan = NULL;
        parley_error_clear(err);
        assert_int_equal(parley_plan_parse(&plan, bad[i].spec, err), PARLEY_E_USAGE);
        char buf[512];
        parley_diag_format(parley_error_at(err, 0), buf, sizeof buf);
        if (!strstr(buf, bad[i].expect)) fail_msg("%s: got \"%s\"", bad[i].spec, buf);
        parley_plan_free(plan);
    }
    parley_error_free(err);
}

static void default_plan_picks_models_that_suit(void **state)
{
    (void)state;
    parley_scenario *s = one_issue(three, 3, NAN);
    parley_plan *p = parley_plan_default(s);
    assert_int_equal(parley_plan_count(p), 6); /* ensemble, compromise, median, mean, bdm, smp */
    parley_plan_free(p);
    parley_scenario_free(s);
    s = one_issue(three, 3, 10);
    p = parley_plan_default(s);
    assert_int_equal(parley_plan_count(p), 7); /* and nash, which needs the reference point */
    parley_plan_free(p);
    p = parley_plan_default_backtest(s);
    assert_int_equal(parley_plan_count(p), 8); /* and bdm's final mean */
    assert_string_equal(parley_plan_label(p, 0), "ensemble");
    assert_string_equal(parley_plan_label(p, 7), "bdm,forecast=mean");
    assert_string_equal(parley_plan_label(p, 5), "bdm");
    parley_plan_free(p);
    parley_scenario_free(s);
}

static void runs_are_reproducible_and_never_nan(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_file(PARLEY_TEST_DATA "/../../examples/jeddah-2025.json", NULL, &s, err), PARLEY_OK);
    parley_plan *p = parley_plan_default(s);
    parley_result *r1 = parley_run(s, p, 7, err), *r2 = parley_run(s, p, 7, err);
    char *j1 = parley_report(s, r1, "json", err), *j2 = parley_report(s, r2, "json", err);
    assert_string_equal(j1, j2);
    assert_non_null(strstr(j1, "\"sha256\": \""));
    assert_non_null(strstr(j1, "\"seed\": 7"));
    assert_non_null(strstr(j1, "\"schema_version\": 1"));
    assert_null(strstr(j1, "nan"));
    for (size_t i = 0; i < parley_result_forecast_count(r1); i++) {
        double v;
        parley_result_forecast(r1, i, NULL, NULL, &v, NULL);
        assert_false(isnan(v));
        assert_true(v >= 0 && v <= 100);
    }
    char *t = parley_report(s, r1, "text", err);
    assert_non_null(strstr(t, "Security guarantees for Ukraine"));
    assert_non_null(strstr(t, "closest to the ensemble forecast"));
    free(j1), free(j2), free(t);
    parley_result_free(r1), parley_result_free(r2);
    parley_plan_free(p);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void an_issue_nobody_joins_gets_no_forecast(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t a, k1, k2;
    parley_scenario_add_actor(s, "a", NULL, 1, &a);
    parley_scenario_add_issue(s, "joined", NULL, 0, 1, &k1);
    parley_scenario_add_issue(s, "empty", NULL, 0, 1, &k2);
    parley_scenario_set_stance(s, a, k1, 0.5, 1, NAN);
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    assert_int_equal(parley_error_count(err), 1); /* a warning */
    parley_plan *p = NULL;
    parley_plan_parse(&p, "compromise,median,mean", err);
    parley_result *r = parley_run(s, p, 1, err);
    for (size_t m = 0; m < 3; m++) {
        assert_true(parley_result_value(r, m, k1) == 0.5);
        assert_true(isnan(parley_result_value(r, m, k2)));
    }
    parley_result_free(r);
    parley_plan_free(p);
    parley_scenario_free(s);
    parley_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compromise_is_the_weighted_mean),
        cmocka_unit_test(median_tie_rule_is_an_option),
        cmocka_unit_test(zero_weights_fall_back_to_equal_weights_with_a_note),
        cmocka_unit_test(nash_maximises_the_weighted_product_of_gains),
        cmocka_unit_test(nash_without_a_common_gain_keeps_the_status_quo),
        cmocka_unit_test(spec_parsing_gives_hints),
        cmocka_unit_test(default_plan_picks_models_that_suit),
        cmocka_unit_test(runs_are_reproducible_and_never_nan),
        cmocka_unit_test(an_issue_nobody_joins_gets_no_forecast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
