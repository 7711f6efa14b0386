/* test_ensemble.c - the ensemble's distribution against the reference vectors, and its fit on DEU III dev. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "analysis/fit.h"
#include "helpers.h"
#include "parley/parley.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* A JSON number, or NaN for null. */
static double num(const json_t *v) { return json_is_number(v) ? json_number_value(v) : NAN; }

/* One issue of n actors built through the public API, as a reader would. */
static parley_scenario *one_issue(const double *x, const double *sal, const double *cap, size_t n, double low,
                                  double high, double ref)
{
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "i", "issue", low, high, &k), PARLEY_OK);
    if (!isnan(ref)) assert_int_equal(parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_REFERENCE, ref), PARLEY_OK);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "a%zu", i);
        assert_int_equal(parley_scenario_add_actor(s, id, id, cap ? cap[i] : 1.0, &a), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, k, x[i], sal[i], NAN), PARLEY_OK);
    }
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

/* Builds an ens_issue from a one-issue scenario, its components got by running the library's models. */
static void issue_of(const parley_scenario *s, ens_issue *e)
{
    parley_result *r = run_spec(s, "compromise,nash,disagreement=worst,utility=linear", 1);
    size_t n = parley_issue_stance_count(s, 0);
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w), pos, sal, cap;
    for (size_t j = 0; parley_issue_stance_at(s, 0, j, NULL, &pos, &sal, &cap); j++) x[j] = pos, w[j] = cap * sal;
    assert_int_equal(ens_issue_init(e, x, w, n, parley_issue_number(s, 0, PARLEY_ISSUE_LOW),
                                    parley_issue_number(s, 0, PARLEY_ISSUE_HIGH),
                                    parley_issue_number(s, 0, PARLEY_ISSUE_REFERENCE), parley_result_value(r, 0, 0),
                                    parley_result_value(r, 1, 0), NULL),
                     PARLEY_OK);
    free(x), free(w);
    parley_result_free(r);
}

static void every_reference_vector_is_reproduced(void **state)
{
    (void)state;
    json_error_t je;
    json_t *root = json_load_file(PARLEY_TEST_DATA "/ensemble/vectors.json", 0, &je);
    if (!root) fail_msg("vectors.json: %s (line %d)", je.text, je.line);
    json_t *vecs = json_object_get(root, "vectors");
    assert_int_equal(json_array_size(vecs), 21);
    size_t i;
    json_t *v;
    json_array_foreach(vecs, i, v) {
        const char *name = json_string_value(json_object_get(v, "name"));
        json_t *in = json_object_get(v, "input"), *ex = json_object_get(v, "expected");
        json_t *jx = json_object_get(in, "positions"), *js = json_object_get(in, "saliences");
        json_t *jc = json_object_get(in, "capabilities"), *jp = json_object_get(in, "params");
        size_t n = json_array_size(jx);
        double x[32], sal[32], cap[32];
        assert_true(n <= 32);
        for (size_t k = 0; k < n; k++) {
            x[k] = num(json_array_get(jx, k));
            sal[k] = num(json_array_get(js, k));
            cap[k] = jc ? num(json_array_get(jc, k)) : 1.0;
        }
        double low = num(json_object_get(in, "low")), high = num(json_object_get(in, "high"));
        double ref = num(json_object_get(in, "reference"));
        parley_scenario *s = one_issue(x, sal, cap, n, low, high, ref);
        ens_issue e;
        issue_of(s, &e);
        /* the library's compromise and Nash are the reference's */
        NEAR(e.compromise, num(json_object_get(ex, "compromise")), 1e-9);
        double nash = num(json_object_get(ex, "nash_worst_linear"));
        if (isnan(nash)) assert_true(isnan(e.nash));
        else NEAR(e.nash, nash, 1e-9);
        ens_params p = {num(json_object_get(jp, "h")), num(json_object_get(jp, "beta")), num(json_object_get(jp, "tau")),
                        num(json_object_get(jp, "s"))};
        assert_int_equal(ens_params_check(&p, NULL), PARLEY_OK);
        pd_atom atoms[33];
        pd_dist d;
        ens_build(&e, &p, atoms, &d);
        json_t *ja = json_object_get(ex, "atoms");
        if (d.n_atoms != json_array_size(ja)) fail_msg("%s: %zu atoms, expected %zu", name, d.n_atoms, json_array_size(ja));
        for (size_t k = 0; k < d.n_atoms; k++) {
            NEAR(d.atoms[k].value, num(json_object_get(json_array_get(ja, k), "value")), 1e-9);
            NEAR(d.atoms[k].p, num(json_object_get(json_array_get(ja, k), "p")), 1e-9);
        }
        json_t *cont = json_object_get(ex, "continuous");
        NEAR(d.tau, num(json_object_get(cont, "mass")), 1e-9);
        NEAR(d.m, num(json_object_get(cont, "centre")), 1e-9);
        if (d.tau > 0) NEAR(d.b, num(json_object_get(cont, "scale")), 1e-9);
        json_t *jq = json_object_get(ex, "quantiles");
        for (size_t k = 0; k < PD_LEVEL_COUNT; k++) {
            char key[32];
            snprintf(key, sizeof key, "%g", pd_levels[k]);
            double want = num(json_object_get(jq, key));
            assert_false(isnan(want));
            if (fabs(pd_quantile(&d, pd_levels[k]) - want) > 1e-9)
                fail_msg("%s: q%s = %.15g, expected %.15g", name, key, pd_quantile(&d, pd_levels[k]), want);
        }
        NEAR(pd_quantile(&d, 0.5), num(json_object_get(ex, "median")), 1e-9);
        json_t *pr = json_object_get(ex, "p_reference");
        assert_int_equal(pr != NULL, !isnan(ref));
        if (pr) NEAR(pd_mass_at(&d, ref), num(pr), 1e-9);
        const char *key;
        json_t *val;
        json_object_foreach(json_object_get(ex, "crps"), key, val) NEAR(pd_crps(&d, strtod(key, NULL)), num(val), 1e-9);
        json_object_foreach(json_object_get(ex, "cdf"), key, val) NEAR(pd_cdf(&d, strtod(key, NULL)), num(val), 1e-9);
        ens_issue_free(&e);
        parley_scenario_free(s);
    }
    json_decref(root);
}

static void without_a_reference_point_the_atoms_are_the_positions(void **state)
{
    (void)state;
    double x[] = {0, 50, 100}, sal[] = {0.8, 0.5, 0.3};
    parley_scenario *s = one_issue(x, sal, NULL, 3, 0, 100, NAN);
    ens_issue e;
    issue_of(s, &e);
    assert_int_equal(e.ref, SIZE_MAX);
    pd_atom atoms[3];
    pd_dist d;
    ens_build(&e, &ens_fitted, atoms, &d);
    assert_int_equal(d.n_atoms, 3);
    double sum = d.tau;
    for (size_t k = 0; k < 3; k++) assert_true(d.atoms[k].value == x[k]), sum += d.atoms[k].p;
    NEAR(sum, 1, 1e-12);
    /* the centre is the average of compromise (34.375) and Nash (50); the nearer atom weighs more */
    NEAR(d.m, (34.375 + 50) / 2, 1e-9);
    assert_true(d.atoms[1].p > d.atoms[0].p && d.atoms[0].p > d.atoms[2].p);
    ens_issue_free(&e);
    parley_scenario_free(s);
}

static void one_actor_gives_its_position_as_the_median(void **state)
{
    (void)state;
    /* by hand: atom 0.4 at 30, 0.6 of Laplace(30, 20) on [0, 100];
     * F(30) = 0.4 + 0.6 (0.5 - 0.5 e^-1.5) / (1 - 0.5 e^-1.5 - 0.5 e^-3.5) */
    double x[] = {30}, sal[] = {0.6};
    parley_scenario *s = one_issue(x, sal, NULL, 1, 0, 100, NAN);
    ens_issue e;
    issue_of(s, &e);
    pd_atom atoms[1];
    pd_dist d;
    ens_build(&e, &ens_fitted, atoms, &d);
    assert_int_equal(d.n_atoms, 1);
    NEAR(d.atoms[0].p, 0.4, 1e-12);
    double f30 = 0.4 + 0.6 * (0.5 - 0.5 * exp(-1.5)) / (1 - 0.5 * exp(-1.5) - 0.5 * exp(-3.5));
    NEAR(pd_cdf(&d, 30), f30, 1e-12);
    NEAR(f30, 0.666863, 1e-6);
    assert_true(pd_quantile(&d, 0.5) == 30);
    double lo, hi;
    pd_central(&d, 0.8, &lo, &hi);
    assert_true(lo < 30 && hi > 30 && lo >= 0 && hi <= 100);
    ens_issue_free(&e);
    parley_scenario_free(s);
}

static void bad_parameters_and_inputs_are_refused_naming_the_field(void **state)
{
    (void)state;
    ens_params bad[] = {{0, 0.7, 0.6, 0.2}, {0.3, -1, 0.6, 0.2}, {0.3, 0.7, 1.2, 0.2}, {0.3, 0.7, 0.6, NAN}};
    const char *field[] = {"h", "beta", "tau", "s"};
    for (size_t i = 0; i < 4; i++) {
        parley_error *err = parley_error_new();
        assert_int_equal(ens_params_check(&bad[i], err), PARLEY_E_INVALID);
        assert_string_equal(parley_error_at(err, 0)->field, field[i]);
        parley_error_free(err);
    }
    double x[] = {10, 120}, w[] = {1, 1};
    ens_issue e;
    parley_error *err = parley_error_new();
    assert_int_equal(ens_issue_init(&e, x, w, 2, 0, 100, NAN, 50, NAN, err), PARLEY_E_INVALID);
    assert_string_equal(parley_error_at(err, 0)->field, "position");
    assert_int_equal(ens_issue_init(&e, x, w, 0, 0, 100, NAN, 50, NAN, err), PARLEY_E_INVALID);
    parley_error_free(err);
}

static void ties_in_the_grid_go_to_the_first_point(void **state)
{
    (void)state;
    /* On scales of zero width every parameter gives the same single atom: every grid point ties. */
    double x[] = {5}, w[] = {1};
    ens_issue is[2];
    assert_int_equal(ens_issue_init(&is[0], x, w, 1, 5, 5, NAN, 5, NAN, NULL), PARLEY_OK);
    assert_int_equal(ens_issue_init(&is[1], x, w, 1, 5, 5, 5, 5, NAN, NULL), PARLEY_OK);
    double y[] = {5, 5};
    size_t idx[] = {0, 1}, grp[] = {0, 1};
    ens_batch b = {.n = 2, .issues = is, .outcome = y, .issue = idx, .group = grp, .n_groups = 2, .max_atoms = 1};
    ens_grid *g;
    assert_int_equal(ens_grid_new(&b, &g, NULL), PARLEY_OK);
    ens_params first = ens_grid_point(0), p = ens_grid_select(g, SIZE_MAX), q = ens_grid_select(g, 1);
    assert_true(p.h == first.h && p.beta == first.beta && p.tau == first.tau && p.s == first.s);
    assert_true(q.h == first.h && q.beta == first.beta && q.tau == first.tau && q.s == first.s);
    assert_true(first.h == 0.1 && first.beta == 0 && first.tau == 0.1 && first.s == 0.03);
    ens_params last = ens_grid_point(ENS_GRID_POINTS - 1);
    assert_true(last.h == 5 && last.beta == 0.7 && last.tau == 0.8 && last.s == 0.3);
    ens_grid_free(g);
    ens_issue_free(&is[0]), ens_issue_free(&is[1]);
}

static void extreme_scales_and_parameters_still_give_a_distribution(void **state)
{
    (void)state;
    /* a scale as wide as doubles go, where width x s overflows; and a Laplace too wide to hold mass */
    double x[] = {-1e308, 0, 1e308}, w[] = {1, 1, 1};
    ens_params huge = {0.3, 0.7, 0.6, 1e300}, tiny = {1e-300, 0.7, 0.6, 0.2};
    struct {
        double low, high;
        const ens_params *p;
    } c[] = {{-1e308, 1e308, &ens_fitted}, {-1e308, 1e308, &huge}, {-1e308, 1e308, &tiny}};
    for (size_t i = 0; i < 3; i++) {
        ens_issue e;
        assert_int_equal(ens_issue_init(&e, x, w, 3, c[i].low, c[i].high, 0, 0, 1e308, NULL), PARLEY_OK);
        assert_true(isfinite(e.m));
        pd_atom atoms[4];
        pd_dist d;
        ens_build(&e, c[i].p, atoms, &d);
        double sum = d.tau;
        for (size_t k = 0; k < d.n_atoms; k++) sum += d.atoms[k].p;
        NEAR(sum, 1, 1e-9);
        for (size_t k = 0; k < PD_LEVEL_COUNT; k++) {
            double q = pd_quantile(&d, pd_levels[k]);
            assert_true(q >= c[i].low && q <= c[i].high);
        }
        ens_issue_free(&e);
    }
}

/* ---- DEU III dev (never the test file) ---- */

static ens_batch *dev_batch(parley_scenario **s)
{
    *s = read_data("deu3/deu3-dev.tsv");
    ens_batch *b = NULL;
    parley_error *err = parley_error_new();
    assert_int_equal(ens_batch_from_scenario(*s, &b, err), PARLEY_OK);
    parley_error_free(err);
    return b;
}

static void dev_components_match_the_reference_figures(void **state)
{
    (void)state;
    parley_scenario *s;
    ens_batch *b = dev_batch(&s);
    assert_int_equal(b->n, 237);
    assert_int_equal(b->without_outcome, 4);
    assert_int_equal(b->n_groups, 92);
    double ec = 0, en = 0;
    for (size_t i = 0; i < b->n; i++) {
        ec += fabs(b->issues[i].compromise - b->outcome[i]);
        en += fabs(b->issues[i].nash - b->outcome[i]);
    }
    NEAR(ec / 237, 22.494, 1e-3); /* docs/models/classic.md and models.py */
    NEAR(en / 237, 21.666, 1e-3);
    ens_batch_free(b);
    parley_scenario_free(s);
}

static void fitted_parameters_score_their_in_sample_figures_on_dev(void **state)
{
    (void)state;
    parley_scenario *s;
    ens_batch *b = dev_batch(&s);
    ens_figures f;
    assert_int_equal(ens_score(b, &ens_fitted, &f, NULL), PARLEY_OK);
    assert_int_equal(f.n, 237);
    NEAR(f.mae, 21.266, 1e-3);
    NEAR(f.crps, 15.139, 1e-3);
    NEAR(f.cov50, 0.578, 1e-3);
    NEAR(f.cov80, 0.844, 1e-3);
    NEAR(f.width50, 30.93, 5e-3);
    NEAR(f.width80, 64.77, 5e-3);
    ens_batch_free(b);
    parley_scenario_free(s);
}

static void the_grid_fit_on_all_of_dev_gives_the_shipped_parameters(void **state)
{
    (void)state;
    parley_scenario *s;
    ens_batch *b = dev_batch(&s);
    ens_params p;
    assert_int_equal(ens_fit(b, &p, NULL), PARLEY_OK);
    assert_true(p.h == ens_fitted.h && p.beta == ens_fitted.beta && p.tau == ens_fitted.tau && p.s == ens_fitted.s);
    ens_batch_free(b);
    parley_scenario_free(s);
}

static void leave_one_proposal_out_refits_score_the_reported_cv_figures(void **state)
{
    (void)state;
    parley_scenario *s;
    ens_batch *b = dev_batch(&s);
    ens_figures f;
    ens_params *fp = malloc(b->n_groups * sizeof *fp);
    assert_int_equal(ens_cross_validate(b, &f, fp, NULL), PARLEY_OK);
    NEAR(f.mae, 21.321, 1e-3);
    NEAR(f.crps, 15.173, 1e-3);
    NEAR(f.cov50, 0.582, 1e-3);
    NEAR(f.cov80, 0.848, 1e-3);
    NEAR(f.width50, 30.88, 5e-3);
    NEAR(f.width80, 64.75, 5e-3);
    /* the folds' choices: the shipped point in 63 folds, beta 0.4 in 25, three others in 4 */
    size_t shipped = 0, beta04 = 0;
    for (size_t k = 0; k < b->n_groups; k++) {
        bool base = fp[k].h == 0.3 && fp[k].tau == 0.6 && fp[k].s == 0.2;
        shipped += base && fp[k].beta == 0.7;
        beta04 += base && fp[k].beta == 0.4;
    }
    assert_int_equal(shipped, 63);
    assert_int_equal(beta04, 25);
    /* and every fold picks what fit.py picked (fitted.json's fold_params, keyed by proposal) */
    json_error_t je;
    json_t *root = json_load_file(PARLEY_TEST_DATA "/ensemble/fitted.json", 0, &je);
    if (!root) fail_msg("fitted.json: %s (line %d)", je.text, je.line);
    json_t *folds = json_object_get(root, "fold_params");
    assert_int_equal(json_object_size(folds), b->n_groups);
    for (size_t i = 0; i < b->n; i++) {
        const char *prnr = parley_issue_attribute(s, b->issue[i], "prnr");
        json_t *want = json_object_get(folds, prnr);
        if (!want) fail_msg("fitted.json has no fold %s", prnr);
        ens_params q = fp[b->group[i]];
        if (q.h != num(json_object_get(want, "h")) || q.beta != num(json_object_get(want, "beta")) ||
            q.tau != num(json_object_get(want, "tau")) || q.s != num(json_object_get(want, "s")))
            fail_msg("fold %s: picked h %g beta %g tau %g s %g", prnr, q.h, q.beta, q.tau, q.s);
    }
    json_decref(root);
    free(fp);
    ens_batch_free(b);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_reference_vector_is_reproduced),
        cmocka_unit_test(without_a_reference_point_the_atoms_are_the_positions),
        cmocka_unit_test(one_actor_gives_its_position_as_the_median),
        cmocka_unit_test(bad_parameters_and_inputs_are_refused_naming_the_field),
        cmocka_unit_test(extreme_scales_and_parameters_still_give_a_distribution),
        cmocka_unit_test(ties_in_the_grid_go_to_the_first_point),
        cmocka_unit_test(dev_components_match_the_reference_figures),
        cmocka_unit_test(fitted_parameters_score_their_in_sample_figures_on_dev),
        cmocka_unit_test(the_grid_fit_on_all_of_dev_gives_the_shipped_parameters),
        cmocka_unit_test(leave_one_proposal_out_refits_score_the_reported_cv_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
