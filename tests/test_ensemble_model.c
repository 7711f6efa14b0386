/* test_ensemble_model.c - the ensemble as a model: distributions in the result, components, params=FILE, fit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers.h"
#include "parley/parley.h"

/* One issue on [0, 100]: a (weight 3) at 0, b at 40, c at 100 with salience 0.5; reference optional. */
static parley_scenario *one_issue(double reference)
{
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "x", "test issue", 0, 100, &k), PARLEY_OK);
    if (!isnan(reference)) parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_REFERENCE, reference);
    const struct {
        const char *id;
        double cap, pos, sal;
    } in[] = {{"a", 3, 0, 1}, {"b", 1, 40, 1}, {"c", 1, 100, 0.5}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(parley_scenario_add_actor(s, in[i].id, NULL, in[i].cap, &a), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, k, in[i].pos, in[i].sal, NAN), PARLEY_OK);
    }
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

static parley_scenario *flagship(void) { return read_data("../../examples/jeddah-2025.json"); }

static void the_value_is_the_median_and_the_quantiles_rise(void **state)
{
    (void)state;
    parley_scenario *s = flagship();
    parley_result *r = run_spec(s, "ensemble", 1);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        assert_true(parley_result_has_distribution(r, 0, k));
        double prev = -INFINITY;
        for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++) {
            double q = parley_result_quantile(r, 0, k, parley_quantile_level(i));
            assert_true(q >= prev && q >= 0 && q <= 100);
            /* the generalised inverse: F(q) reaches the level, and nothing below q does */
            assert_true(parley_result_cdf(r, 0, k, q) >= parley_quantile_level(i) - 1e-12);
            assert_true(parley_result_cdf(r, 0, k, q - 1e-6) < parley_quantile_level(i));
            prev = q;
        }
        assert_true(parley_result_value(r, 0, k) == parley_result_quantile(r, 0, k, 0.5));
        double lo, hi;
        parley_result_interval(r, 0, k, 0.8, &lo, &hi);
        assert_true(lo == parley_result_quantile(r, 0, k, 0.1) && hi == parley_result_quantile(r, 0, k, 0.9));
        /* every issue of the flagship has a reference point: p_reference is the atom's mass there */
        double ref = parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE), v, p, at = 0;
        for (size_t i = 0; parley_result_atom(r, 0, k, i, &v, &p); i++)
            if (v == ref) at = p;
        assert_true(at > 0);
        assert_float_equal(parley_result_p_reference(r, 0, k), at, 0);
    }
    assert_string_equal(parley_quantile_key(0), "0.05");
    assert_string_equal(parley_quantile_key(6), "0.95");
    assert_null(parley_quantile_key(7));
    parley_result_free(r);
    parley_scenario_free(s);
}

static void alone_it_runs_its_components_and_in_a_plan_it_reuses_them_with_the_same_answer(void **state)
{
    (void)state;
    parley_scenario *s = flagship();
    parley_result *alone = run_spec(s, "ensemble", 1);
    parley_result *plan = run_spec(s, "median,nash,disagreement=worst,utility=linear,ensemble,compromise", 1);
    assert_int_equal(parley_result_run_count(plan), 4);
    assert_string_equal(parley_result_run_model(plan, 2), "ensemble");
    /* The ensemble runs last but is listed where the plan put it, and its records follow run order. */
    size_t last_run = 0;
    for (size_t i = 0; i < parley_result_forecast_count(plan); i++) {
        size_t run;
        parley_result_forecast(plan, i, &run, NULL, NULL, NULL);
        assert_true(run >= last_run);
        last_run = run;
    }
    assert_int_equal(parley_result_headline(plan), 2);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++)
        for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++) {
            double q = parley_quantile_level(i);
            assert_true(parley_result_quantile(alone, 0, k, q) == parley_result_quantile(plan, 2, k, q));
        }
    parley_result_free(alone), parley_result_free(plan);
    parley_scenario_free(s);
}

static void point_models_have_no_distribution_and_score_their_absolute_error(void **state)
{
    (void)state;
    parley_scenario *s = one_issue(NAN);
    parley_result *r = run_spec(s, "compromise", 1);
    assert_false(parley_result_has_distribution(r, 0, 0));
    assert_true(isnan(parley_result_quantile(r, 0, 0, 0.5)));
    assert_int_equal(parley_result_atom_count(r, 0, 0), 0);
    assert_int_equal(parley_result_headline(r), SIZE_MAX);
    double v = parley_result_value(r, 0, 0);
    assert_float_equal(parley_result_crps(r, 0, 0, 70), fabs(v - 70), 1e-12);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void a_single_issue_without_a_reference_point_gets_a_sensible_distribution(void **state)
{
    (void)state;
    parley_scenario *s = one_issue(NAN);
    parley_result *r = run_spec(s, "ensemble", 1);
    assert_true(parley_result_has_distribution(r, 0, 0));
    assert_true(isnan(parley_result_p_reference(r, 0, 0)));
    /* the three positions are the atoms, and the mass is spread over the whole scale */
    assert_int_equal(parley_result_atom_count(r, 0, 0), 3);
    double lo, hi, v = parley_result_value(r, 0, 0);
    parley_result_interval(r, 0, 0, 0.8, &lo, &hi);
    assert_true(lo < v && v < hi && lo >= 0 && hi <= 100);
    assert_true(v > 0 && v < 100);
    /* CRPS is exact and positive, smaller near the median than far from it */
    assert_true(parley_result_crps(r, 0, 0, v) < parley_result_crps(r, 0, 0, 100));
    parley_result_free(r);
    parley_scenario_free(s);
}

static void a_reference_point_that_no_actor_holds_becomes_an_atom(void **state)
{
    (void)state;
    parley_scenario *s = one_issue(20);
    parley_result *r = run_spec(s, "ensemble", 1);
    assert_int_equal(parley_result_atom_count(r, 0, 0), 4);
    double v;
    assert_true(parley_result_atom(r, 0, 0, 1, &v, NULL));
    assert_float_equal(v, 20, 0);
    assert_true(parley_result_p_reference(r, 0, 0) > 0);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void extreme_scales_get_their_distribution_back_on_their_own_scale(void **state)
{
    (void)state;
    parley_scenario *s = read_data("extreme/wide-scale.json");
    parley_result *r = run_spec(s, "ensemble", 1);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        if (!parley_result_has_distribution(r, 0, k)) continue;
        double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++) {
            double q = parley_result_quantile(r, 0, k, parley_quantile_level(i));
            assert_true(isfinite(q) && q >= lo && q <= hi);
        }
        assert_true(parley_result_cdf(r, 0, k, hi) == 1);
    }
    parley_result_free(r);
    parley_scenario_free(s);
}

/* Writes text to a fresh temporary file and returns its path (static storage). */
static const char *temp_json(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/parley-test-params-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void a_params_file_sets_the_options_and_the_label_names_the_file(void **state)
{
    (void)state;
    const char *path = temp_json("{\"model\": \"ensemble\", \"params\": {\"h\": 0.5, \"beta\": 0, \"tau\": 0.3, \"s\": 0.1}}");
    char spec[128];
    snprintf(spec, sizeof spec, "ensemble,params=%s", path);
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    char want[128];
    snprintf(want, sizeof want, "ensemble,params=%s", path);
    assert_string_equal(parley_plan_label(p, 0), want);
    assert_string_equal(parley_plan_option_text(p, 0, 0), "0.5");
    assert_string_equal(parley_plan_option_text(p, 0, 2), "0.3");
    parley_plan *q = NULL;
    assert_int_equal(parley_plan_parse(&q, "ensemble,h=0.5,beta=0,tau=0.3,s=0.1", err), PARLEY_OK);
    parley_scenario *s = flagship();
    parley_result *a = parley_run(s, p, 1, err), *b = parley_run(s, q, 1, err);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) assert_true(parley_result_value(a, 0, k) == parley_result_value(b, 0, k));
    parley_result_free(a), parley_result_free(b);
    parley_plan_free(p), parley_plan_free(q);
    /* an option both in the SPEC and in the file is a mistake, not an override */
    snprintf(spec, sizeof spec, "ensemble,tau=0.2,params=%s", path);
    p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_E_USAGE);
    parley_plan_free(p);
    /* a caller that takes SPECs from strangers refuses files */
    parley_error_clear(err);
    snprintf(spec, sizeof spec, "ensemble,params=%s", path);
    p = NULL;
    assert_int_equal(parley_plan_parse_with(&p, spec, PARLEY_PLAN_NO_FILES, err), PARLEY_E_USAGE);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "names a file"));
    parley_plan_free(p);
    unlink(path);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void a_bad_params_file_is_refused_naming_the_file_and_the_field(void **state)
{
    (void)state;
    const struct {
        const char *text, *field;
        parley_status st;
    } bad[] = {
        {"{\"params\": {\"h\": 0.5, \"zz\": 1}}", "zz", PARLEY_E_SYNTAX},
        {"{\"params\": {\"tau\": 2}}", "tau", PARLEY_E_INVALID},
        {"{\"params\": {\"h\": [1]}}", "h", PARLEY_E_SYNTAX},
        {"{\"h\": 0.5}", "params", PARLEY_E_SYNTAX},
        {"{\"params\": {\"h\": 0.5,", "params", PARLEY_E_SYNTAX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *path = temp_json(bad[i].text);
        char spec[128];
        snprintf(spec, sizeof spec, "ensemble,params=%s", path);
        parley_error *err = parley_error_new();
        parley_plan *p = NULL;
        assert_int_equal(parley_plan_parse(&p, spec, err), bad[i].st);
        const parley_diag *d = parley_error_at(err, 0);
        assert_string_equal(d->file, path);
        assert_string_equal(d->field, bad[i].field);
        parley_plan_free(p);
        parley_error_free(err);
        unlink(path);
    }
}

static void the_refit_on_dev_gives_the_built_in_parameters_and_the_cross_validated_figures(void **state)
{
    (void)state;
    parley_scenario *s = read_data("deu3/deu3-dev.tsv");
    parley_error *err = parley_error_new();
    parley_fit *f = NULL;
    assert_int_equal(parley_fit_run(s, "ensemble", NULL, 1, NULL, &f, err), PARLEY_OK);
    /* the built-in defaults are the ensemble's option defaults */
    const parley_model *m = parley_model_find("ensemble");
    const char *name;
    double v;
    for (size_t i = 0; parley_fit_param(f, i, &name, &v); i++) {
        const parley_option_spec *o = NULL;
        for (size_t j = 0; j < parley_model_option_count(m); j++)
            if (!strcmp(parley_model_option(m, j)->name, name)) o = parley_model_option(m, j);
        assert_non_null(o);
        assert_true(strtod(o->default_value, NULL) == v);
    }
    parley_fit_figures cv;
    parley_fit_cross_validated(f, &cv);
    assert_int_equal(cv.issues, 237);
    assert_int_equal(cv.folds, 92);
    assert_float_equal(cv.mae, 21.321, 1e-3);
    assert_float_equal(cv.crps, 15.173, 1e-3);
    assert_float_equal(cv.cov50, 0.582, 1e-3);
    assert_float_equal(cv.cov80, 0.848, 1e-3);
    char *json = parley_fit_report(s, f, err);
    assert_non_null(strstr(json, "\"sha256\": \"feb835dd2aa0791434a005907065707177ae28efcfccf0efad1dc5a3f4f7d81d\""));
    assert_non_null(strstr(json, "\"fold_count\": 92"));
    assert_non_null(strstr(json, "\"seed\": 1"));
    free(json);
    parley_fit_free(f);
    /* only the ensemble has parameters to fit */
    assert_int_equal(parley_fit_run(s, "bdm", NULL, 1, NULL, &f, err), PARLEY_E_USAGE);
    assert_null(f);
    parley_error_free(err);
    parley_scenario_free(s);
}

static void a_fit_needs_outcomes(void **state)
{
    (void)state;
    parley_scenario *s = one_issue(10);
    parley_error *err = parley_error_new();
    parley_fit *f = NULL;
    assert_int_equal(parley_fit_run(s, "ensemble", NULL, 1, NULL, &f, err), PARLEY_E_INVALID);
    assert_null(f);
    parley_error_free(err);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_value_is_the_median_and_the_quantiles_rise),
        cmocka_unit_test(alone_it_runs_its_components_and_in_a_plan_it_reuses_them_with_the_same_answer),
        cmocka_unit_test(point_models_have_no_distribution_and_score_their_absolute_error),
        cmocka_unit_test(a_single_issue_without_a_reference_point_gets_a_sensible_distribution),
        cmocka_unit_test(a_reference_point_that_no_actor_holds_becomes_an_atom),
        cmocka_unit_test(extreme_scales_get_their_distribution_back_on_their_own_scale),
        cmocka_unit_test(a_params_file_sets_the_options_and_the_label_names_the_file),
        cmocka_unit_test(a_bad_params_file_is_refused_naming_the_file_and_the_field),
        cmocka_unit_test(the_refit_on_dev_gives_the_built_in_parameters_and_the_cross_validated_figures),
        cmocka_unit_test(a_fit_needs_outcomes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
