/* test_backtest_scores.c - the citable backtest's figures: CRPS, coverage, baselines, skips, the bootstrap and the CV. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "helpers.h"
#include "parley/parley.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* The bandwidth at which an atom 50 points from the centre on a 0-100 scale weighs half of one at it:
 * exp(-50 / (h 100)) = 1/2. */
#define HALF_AT_50 "0.72134752044448170"

/* Three issues on 0-100, each with actors at 0, 50 and 100 of equal weight, no reference point, and
 * outcomes 50, 100 and 70; a fourth issue with an outcome that no actor takes part in when lonely. */
static parley_scenario *tiny_ref(bool lonely, const double *ref)
{
    parley_scenario *s = parley_scenario_new();
    static const double y[] = {50, 100, 70};
    size_t k[4], a[3];
    for (size_t i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "i%zu", i + 1);
        assert_int_equal(parley_scenario_add_issue(s, id, id, 0, 100, &k[i]), PARLEY_OK);
        assert_int_equal(parley_scenario_set_issue_number(s, k[i], PARLEY_ISSUE_OUTCOME, y[i]), PARLEY_OK);
        if (ref && !isnan(ref[i])) assert_int_equal(parley_scenario_set_issue_number(s, k[i], PARLEY_ISSUE_REFERENCE, ref[i]), PARLEY_OK);
    }
    if (lonely) {
        assert_int_equal(parley_scenario_add_issue(s, "lonely", "lonely", 0, 100, &k[3]), PARLEY_OK);
        assert_int_equal(parley_scenario_set_issue_number(s, k[3], PARLEY_ISSUE_OUTCOME, 10), PARLEY_OK);
    }
    static const char *const ids[] = {"low", "mid", "high"};
    for (size_t j = 0; j < 3; j++) {
        assert_int_equal(parley_scenario_add_actor(s, ids[j], ids[j], 1, &a[j]), PARLEY_OK);
        for (size_t i = 0; i < 3; i++) assert_int_equal(parley_scenario_set_stance(s, a[j], k[i], 50.0 * (double)j, 1, NAN), PARLEY_OK);
    }
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

static parley_scenario *tiny(bool lonely) { return tiny_ref(lonely, NULL); }

/* Runs a backtest of spec on s (equal capabilities, seed 1), failing the test on any error. */
static parley_backtest *run(const parley_scenario *s, const char *spec, const parley_backtest_options *o, uint64_t seed)
{
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    if (spec) assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    else assert_non_null(p = parley_plan_default_backtest(s));
    parley_backtest *b = NULL;
    assert_int_equal(parley_backtest_run_ex(s, p, NULL, seed, o, &b, err), PARLEY_OK);
    parley_plan_free(p);
    parley_error_free(err);
    return b;
}

static double fig(const parley_backtest *b, size_t row, parley_backtest_figure f) { return parley_backtest_figure_of(b, row, f); }

static void crps_and_coverage_of_a_tiny_backtest_are_the_hand_computed_ones(void **state)
{
    (void)state;
    parley_scenario *s = tiny(false);
    /* tau 0: atoms only; centre 50 (compromise and Nash agree by symmetry); atoms 0.25, 0.5, 0.25 at 0, 50,
     * 100. F is 0.25 on [0, 50), 0.75 on [50, 100), 1 at 100: median 50, q0.25 = 0 (reached exactly),
     * q0.75 = 50, q0.1 = 0, q0.9 = 100. */
    parley_backtest *b = run(s, "ensemble,tau=0,beta=0,h=" HALF_AT_50 ",compromise", NULL, 1);
    const parley_result *r;
    size_t run_, k;
    assert_true(parley_backtest_issue_source(b, 0, 0, &r, &run_, &k));
    assert_int_equal(parley_result_atom_count(r, run_, k), 3);
    double v, p;
    assert_true(parley_result_atom(r, run_, k, 1, &v, &p));
    NEAR(v, 50, 1e-12);
    NEAR(p, 0.5, 1e-9);
    /* CRPS by hand: y = 50: 50 x 0.25^2 + 50 x 0.25^2 = 6.25; y = 100: 50 x 0.0625 + 50 x 0.5625 = 31.25;
     * y = 70: 50 x 0.0625 + 20 x 0.5625 + 30 x 0.0625 = 16.25 */
    static const double crps[] = {6.25, 31.25, 16.25};
    static const int in50[] = {1, 0, 0}, in80[] = {1, 1, 1};
    for (size_t i = 0; i < 3; i++) {
        int c50, c80;
        NEAR(parley_backtest_issue_crps(b, i, 0, &c50, &c80), crps[i], 1e-6);
        assert_int_equal(c50, in50[i]); /* [0, 50] holds 50 (an end counts), not 100 or 70 */
        assert_int_equal(c80, in80[i]);
    }
    NEAR(fig(b, 0, PARLEY_BACKTEST_CRPS), (6.25 + 31.25 + 16.25) / 3, 1e-6);
    NEAR(fig(b, 0, PARLEY_BACKTEST_COVER50), 1.0 / 3, 1e-12);
    NEAR(fig(b, 0, PARLEY_BACKTEST_COVER80), 1, 1e-12);
    NEAR(fig(b, 0, PARLEY_BACKTEST_WIDTH50), 50, 1e-9);
    NEAR(fig(b, 0, PARLEY_BACKTEST_WIDTH80), 100, 1e-9);
    /* the median forecasts 50 on each: errors 0, 50 and 20 */
    NEAR(fig(b, 0, PARLEY_BACKTEST_MAE), 70.0 / 3, 1e-9);
    NEAR(fig(b, 0, PARLEY_BACKTEST_MEDIAN_AE), 20, 1e-9);
    NEAR(fig(b, 0, PARLEY_BACKTEST_RMSE), sqrt((2500.0 + 400.0) / 3), 1e-9);
    /* a point forecast scores its absolute error as CRPS, and has no intervals */
    NEAR(fig(b, 1, PARLEY_BACKTEST_CRPS), 70.0 / 3, 1e-9);
    assert_true(isnan(fig(b, 1, PARLEY_BACKTEST_COVER80)) && isnan(fig(b, 1, PARLEY_BACKTEST_WIDTH50)));
    int c50 = 7;
    parley_backtest_issue_crps(b, 0, 1, &c50, NULL);
    assert_int_equal(c50, -1);
    /* the same forecasts as compromise: a difference of 0, and so is every resample's */
    assert_int_equal(parley_backtest_compromise_row(b), 1);
    NEAR(fig(b, 0, PARLEY_BACKTEST_DIFF), 0, 1e-9);
    NEAR(fig(b, 0, PARLEY_BACKTEST_DIFF_LO), 0, 1e-9);
    NEAR(fig(b, 0, PARLEY_BACKTEST_DIFF_HI), 0, 1e-9);
    assert_true(isnan(fig(b, 1, PARLEY_BACKTEST_DIFF)));
    /* not a batch: each issue is a group of its own */
    assert_int_equal(parley_backtest_group_count(b), 3);
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void the_reference_point_and_the_mean_are_scored_as_baselines(void **state)
{
    (void)state;
    static const double ref[] = {0, NAN, 100};
    parley_scenario *s = tiny_ref(false, ref);
    parley_backtest *b = run(s, "compromise,mean", NULL, 1);
    assert_int_equal(parley_backtest_model_count(b), 2);
    assert_int_equal(parley_backtest_row_count(b), 3);
    assert_false(parley_backtest_is_baseline(b, 0));
    assert_true(parley_backtest_is_baseline(b, 1));
    assert_true(parley_backtest_is_baseline(b, 2));
    assert_string_equal(parley_backtest_model_label(b, 1), "mean");
    assert_string_equal(parley_backtest_model_label(b, 2), "reference point");
    /* the reference point forecasts 0 on i1 (outcome 50) and 100 on i3 (outcome 70); i2 has none */
    size_t scored;
    double mae;
    parley_backtest_summary(b, 2, &scored, &mae, NULL);
    assert_int_equal(scored, 2);
    NEAR(mae, (50.0 + 30.0) / 2, 1e-12);
    NEAR(fig(b, 2, PARLEY_BACKTEST_CRPS), 40, 1e-12);
    const char *why = NULL;
    assert_int_equal(parley_backtest_skipped(b, 2, &why), 1);
    assert_string_equal(why, "the issue has no reference point");
    /* paired with compromise (50 everywhere: errors 0 and 20) on the two: (50 - 0 + 30 - 20) / 2 */
    assert_int_equal(parley_backtest_paired(b, 2), 2);
    NEAR(fig(b, 2, PARLEY_BACKTEST_DIFF), 30, 1e-12);
    parley_error *err = parley_error_new();
    char *text = parley_backtest_report(s, b, "text", err);
    assert_non_null(strstr(text, "reference point                baseline"));
    assert_non_null(strstr(text, "mean                           baseline"));
    free(text);
    parley_error_free(err);
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void a_model_that_skips_issues_says_how_many_and_why(void **state)
{
    (void)state;
    parley_scenario *s = tiny(true);
    parley_backtest *b = run(s, "compromise,ensemble", NULL, 1);
    assert_int_equal(parley_backtest_issue_count(b), 4);
    for (size_t m = 0; m < 2; m++) {
        size_t scored;
        const char *why = NULL;
        parley_backtest_summary(b, m, &scored, NULL, NULL);
        assert_int_equal(scored, 3);
        assert_int_equal(parley_backtest_skipped(b, m, &why), 1);
        assert_non_null(why);
        assert_non_null(strstr(why, "no actor"));
    }
    parley_error *err = parley_error_new();
    char *text = parley_backtest_report(s, b, "text", err);
    assert_non_null(strstr(text, "Skipped issues"));
    assert_non_null(strstr(text, "compromise: 1 of 4 (no actor"));
    free(text);
    char *json = parley_backtest_report(s, b, "json", err);
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    assert_non_null(root);
    json_t *sc = json_array_get(json_object_get(root, "scores"), 0);
    assert_int_equal(json_integer_value(json_object_get(sc, "skipped")), 1);
    assert_non_null(strstr(json_string_value(json_object_get(sc, "skipped_why")), "no actor"));
    json_decref(root);
    free(json);
    parley_error_free(err);
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void the_bootstrap_interval_is_the_same_for_a_seed(void **state)
{
    (void)state;
    parley_scenario *s = read_data("deu3/deu3-dev.tsv");
    parley_backtest_options o = {PARLEY_BACKTEST_CV_NONE, 500, NULL};
    parley_backtest *b1 = run(s, "compromise,mean,median", &o, 7), *b2 = run(s, "compromise,mean,median", &o, 7);
    parley_backtest *b3 = run(s, "compromise,mean,median", &o, 8);
    assert_int_equal(parley_backtest_resamples(b1), 500);
    assert_int_equal(parley_backtest_group_count(b1), 92); /* the dev file's proposals */
    bool differs = false;
    for (size_t m = 1; m < 3; m++) {
        double lo = fig(b1, m, PARLEY_BACKTEST_DIFF_LO), hi = fig(b1, m, PARLEY_BACKTEST_DIFF_HI);
        double d = fig(b1, m, PARLEY_BACKTEST_DIFF);
        assert_true(lo < d && d < hi);
        assert_true(lo == fig(b2, m, PARLEY_BACKTEST_DIFF_LO) && hi == fig(b2, m, PARLEY_BACKTEST_DIFF_HI));
        differs |= lo != fig(b3, m, PARLEY_BACKTEST_DIFF_LO) || hi != fig(b3, m, PARLEY_BACKTEST_DIFF_HI);
        assert_true(d == fig(b3, m, PARLEY_BACKTEST_DIFF)); /* the point estimate draws nothing */
    }
    assert_true(differs);
    /* the median voter is worse than compromise on dev, clearly: the interval excludes 0 */
    assert_true(fig(b1, 2, PARLEY_BACKTEST_DIFF_LO) > 0);
    parley_backtest_free(b1), parley_backtest_free(b2), parley_backtest_free(b3);
    parley_scenario_free(s);
}

static void the_cross_validated_ensemble_scores_the_dev_cv_figures(void **state)
{
    (void)state;
    /* as `parley backtest tests/data/deu3/deu3-dev.tsv --cv proposals`: the default plan, equal capabilities */
    parley_scenario *s = read_data("deu3/deu3-dev.tsv");
    parley_backtest_options o = {PARLEY_BACKTEST_CV_PROPOSALS, 0, NULL};
    parley_backtest *b = run(s, NULL, &o, 1);
    assert_string_equal(parley_backtest_model_label(b, 0), "ensemble");
    assert_true(parley_backtest_is_refitted(b, 0));
    size_t scored;
    parley_backtest_summary(b, 0, &scored, NULL, NULL);
    assert_int_equal(scored, 237);
    /* tests/test_ensemble.c and docs/models/ensemble.md */
    NEAR(fig(b, 0, PARLEY_BACKTEST_MAE), 21.321, 1e-3);
    NEAR(fig(b, 0, PARLEY_BACKTEST_CRPS), 15.173, 1e-3);
    NEAR(fig(b, 0, PARLEY_BACKTEST_COVER50), 0.582, 1e-3);
    NEAR(fig(b, 0, PARLEY_BACKTEST_COVER80), 0.848, 1e-3);
    assert_int_equal(parley_backtest_fold_count(b), 92);
    size_t shipped = 0, held = 0, n;
    const char *prop, *params;
    for (size_t k = 0; parley_backtest_fold(b, k, &prop, &n, &params); k++) {
        assert_non_null(prop);
        held += n;
        shipped += !strcmp(params, "ensemble,h=0.3,beta=0.7,tau=0.6,s=0.2");
    }
    assert_int_equal(held, 237);
    assert_int_equal(shipped, 63);
    /* other models are unaffected */
    size_t c = parley_backtest_compromise_row(b);
    assert_false(parley_backtest_is_refitted(b, c));
    NEAR(fig(b, c, PARLEY_BACKTEST_MAE), 22.494, 1e-3);
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void cross_validation_skips_an_issue_no_actor_takes_part_in(void **state)
{
    (void)state;
    parley_scenario *s = tiny(true);
    parley_backtest_options o = {PARLEY_BACKTEST_CV_PROPOSALS, 0, NULL};
    parley_backtest *b = run(s, "ensemble", &o, 1);
    assert_int_equal(parley_backtest_fold_count(b), 3); /* not a batch: each issue with actors is a fold */
    size_t scored;
    const char *why = NULL;
    parley_backtest_summary(b, 0, &scored, NULL, NULL);
    assert_int_equal(scored, 3);
    assert_int_equal(parley_backtest_skipped(b, 0, &why), 1);
    assert_non_null(strstr(why, "no actor"));
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void cross_validation_needs_two_proposals(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "only", "only", 0, 100, &k), PARLEY_OK);
    assert_int_equal(parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_OUTCOME, 40), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "a", "a", 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, k, 30, 1, NAN), PARLEY_OK);
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "ensemble", err), PARLEY_OK);
    parley_backtest_options o = {PARLEY_BACKTEST_CV_PROPOSALS, 0, NULL};
    parley_backtest *b = NULL;
    assert_int_equal(parley_backtest_run_ex(s, p, NULL, 1, &o, &b, err), PARLEY_E_INVALID);
    assert_null(b);
    const parley_diag *d = parley_error_at(err, parley_error_count(err) - 1);
    assert_string_equal(d->field, "--cv");
    assert_non_null(strstr(d->message, "at least two proposals"));
    /* without CV the same backtest runs */
    parley_error_clear(err);
    assert_int_equal(parley_backtest_run_ex(s, p, NULL, 1, NULL, &b, err), PARLEY_OK);
    parley_backtest_free(b);
    parley_plan_free(p);
    parley_error_free(err);
    parley_scenario_free(s);
}

static void json_scores_carry_quantiles_for_distributions_only(void **state)
{
    (void)state;
    parley_scenario *s = tiny(false);
    parley_backtest *b = run(s, "ensemble,compromise", NULL, 3);
    parley_error *err = parley_error_new();
    char *json = parley_backtest_report(s, b, "json", err);
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "seed")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "bootstrap"), "resamples")), 2000);
    assert_non_null(json_object_get(json_object_get(root, "input"), "sha256"));
    assert_non_null(json_object_get(root, "models")); /* the runs' options */
    json_t *scores = json_object_get(root, "scores");
    assert_int_equal(json_array_size(scores), 3); /* ensemble, compromise, reference point */
    json_t *q = json_object_get(json_array_get(json_object_get(json_array_get(scores, 0), "issues"), 0), "quantiles");
    static const char *const keys[] = {"0.05", "0.1", "0.25", "0.5", "0.75", "0.9", "0.95"};
    assert_int_equal(json_object_size(q), 7);
    for (size_t i = 0; i < 7; i++) assert_true(json_is_number(json_object_get(q, keys[i])));
    json_t *c0 = json_array_get(json_object_get(json_array_get(scores, 1), "issues"), 0);
    assert_null(json_object_get(c0, "quantiles"));
    assert_true(json_is_number(json_object_get(c0, "crps")));
    json_t *ref = json_array_get(scores, 2);
    assert_string_equal(json_string_value(json_object_get(ref, "kind")), "baseline");
    assert_true(json_is_null(json_object_get(ref, "run")));
    json_decref(root);
    free(json);
    char *csv = parley_backtest_report(s, b, "csv", err);
    assert_true(!strncmp(csv, "model,issue,forecast,outcome,error,kind,crps,covered50,covered80,q0.05,q0.1,", 76));
    free(csv);
    parley_error_free(err);
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void repeated_model_warnings_are_said_once(void **state)
{
    (void)state;
    parley_scenario *s = read_data("deu3/deu3-dev.tsv");
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "smp", err), PARLEY_OK);
    parley_backtest *b = NULL;
    assert_int_equal(parley_backtest_run_ex(s, p, NULL, 1, NULL, &b, err), PARLEY_OK);
    /* smp warns on 232 issues one by one (actors without a stance), and notes its salience scaling once
     * per proposal; the backtest says each kind once */
    size_t stance = 0;
    bool counted = false;
    for (size_t i = 0; i < parley_error_count(err); i++) {
        const parley_diag *d = parley_error_at(err, i);
        if (!strstr(d->message, "without a stance")) continue;
        stance++;
        counted |= strstr(d->message, "smp: on 232 issues (") == d->message && strstr(d->message, "1 to 28 actors") != NULL;
    }
    assert_int_equal(stance, 1); /* "1 actor ... sits" and "N actors ... sit" are one kind */
    assert_true(counted);
    assert_true(parley_error_count(err) <= 6);
    parley_backtest_free(b);
    parley_plan_free(p);
    parley_error_free(err);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crps_and_coverage_of_a_tiny_backtest_are_the_hand_computed_ones),
        cmocka_unit_test(the_reference_point_and_the_mean_are_scored_as_baselines),
        cmocka_unit_test(a_model_that_skips_issues_says_how_many_and_why),
        cmocka_unit_test(the_bootstrap_interval_is_the_same_for_a_seed),
        cmocka_unit_test(the_cross_validated_ensemble_scores_the_dev_cv_figures),
        cmocka_unit_test(cross_validation_skips_an_issue_no_actor_takes_part_in),
        cmocka_unit_test(cross_validation_needs_two_proposals),
        cmocka_unit_test(json_scores_carry_quantiles_for_distributions_only),
        cmocka_unit_test(repeated_model_warnings_are_said_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
