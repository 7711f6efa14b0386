/* test_predictive.c - the predictive distribution: quantiles, CDF, mass at a point, exact CRPS, intervals. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/predictive.h"
#include "parley/parley.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* The mixture's distribution function written out by hand, independently of predictive.c: atoms at
 * 30 and 70 (0.2 each) and 0.6 of Laplace(50, 10) truncated to [0, 100]. */
static double lam(double v) { return v < 50 ? 0.5 * exp((v - 50) / 10) : 1 - 0.5 * exp(-(v - 50) / 10); }
static double hand_cdf(double v)
{
    if (v < 0) return 0;
    if (v >= 100) return 1;
    double g = (lam(v) - lam(0)) / (lam(100) - lam(0));
    return (v >= 30 ? 0.2 : 0) + (v >= 70 ? 0.2 : 0) + 0.6 * g;
}

static const pd_atom two_atoms[] = {{30, 0.2}, {70, 0.2}};

static pd_dist mixture(void)
{
    pd_dist d;
    assert_int_equal(pd_init(&d, two_atoms, 2, 0.6, 50, 10, 0, 100, NULL), PARLEY_OK);
    return d;
}

static void quantiles_of_a_mixture_are_the_generalised_inverse_at_every_level(void **state)
{
    (void)state;
    pd_dist d = mixture();
    for (int i = 0; i <= 10000; i++) {
        double q = i / 10000.0, v = pd_quantile(&d, q);
        NEAR(pd_cdf(&d, v), hand_cdf(v), 1e-12);
        /* F reaches q at v, and not anywhere before it */
        assert_true(hand_cdf(v) >= q - 1e-12);
        if (v > 0) assert_true(hand_cdf(v - 1e-7) < q + 1e-9);
    }
    /* by hand: F(30-) = 0.6 G(30), F(30) = 0.2 + 0.6 G(30); the median is 50 by symmetry */
    double g30 = (lam(30) - lam(0)) / (lam(100) - lam(0));
    assert_true(pd_quantile(&d, 0.2 + 0.6 * g30) == 30); /* exactly at the atom's cumulative step */
    assert_true(pd_quantile(&d, 0.6 * g30 + 0.1) == 30); /* inside the jump */
    NEAR(pd_quantile(&d, 0.6 * g30), 30, 1e-9);           /* the continuous part's top just below the atom */
    assert_true(pd_quantile(&d, 0.2 + 0.6 * g30 + 1e-6) > 30);
    NEAR(pd_quantile(&d, 0.5), 50, 1e-9);
    assert_true(pd_quantile(&d, 0) == 0);
    assert_true(pd_quantile(&d, 1) == 100);
    assert_true(isnan(pd_quantile(&d, 1.5)) && isnan(pd_quantile(&d, -0.1)) && isnan(pd_quantile(&d, NAN)));
    NEAR(pd_mass_at(&d, 30), 0.2, 0);
    assert_true(pd_mass_at(&d, 50) == 0);
}

static void quantiles_of_pure_atoms_step_at_each_cumulative_mass(void **state)
{
    (void)state;
    /* 0.7 + 0.2 is 0.8999999999999999: the level 0.9 must still land on the second atom */
    pd_atom a[] = {{10, 0.7}, {40, 0.2}, {70, 0.1}};
    pd_dist d;
    assert_int_equal(pd_init(&d, a, 3, 0, NAN, NAN, 0, 100, NULL), PARLEY_OK);
    assert_true(pd_quantile(&d, 0) == 10);
    assert_true(pd_quantile(&d, 0.5) == 10);
    assert_true(pd_quantile(&d, 0.7) == 10);
    assert_true(pd_quantile(&d, 0.7000001) == 40);
    assert_true(pd_quantile(&d, 0.9) == 40);
    assert_true(pd_quantile(&d, 0.9000001) == 70);
    assert_true(pd_quantile(&d, 1) == 70);
    assert_true(pd_cdf(&d, 39.999) == 0.7 && pd_cdf(&d, 40) == 0.7 + 0.2 && pd_cdf(&d, 9) == 0);
    /* two symmetric atoms: the median is the first */
    pd_atom h[] = {{0, 0.5}, {100, 0.5}};
    assert_int_equal(pd_init(&d, h, 2, 0, NAN, NAN, 0, 100, NULL), PARLEY_OK);
    assert_true(pd_quantile(&d, 0.5) == 0);
    double lo, hi;
    pd_central(&d, 0.8, &lo, &hi);
    assert_true(lo == 0 && hi == 100);
    assert_true(pd_covers(&d, 0.8, 0) && pd_covers(&d, 0.8, 100) && pd_covers(&d, 0.8, 50));
    assert_true(pd_width(&d, 0.5) == 100);
}

static void crps_of_a_point_mass_is_the_absolute_error(void **state)
{
    (void)state;
    pd_atom a[] = {{30, 1}};
    pd_dist d;
    assert_int_equal(pd_init(&d, a, 1, 0, NAN, NAN, 0, 100, NULL), PARLEY_OK);
    double ys[] = {0, 12.5, 30, 64.25, 100};
    for (size_t i = 0; i < 5; i++) NEAR(pd_crps(&d, ys[i]), fabs(30 - ys[i]), 1e-12);
    /* one atom: every quantile is the atom, the intervals have no width and cover only a hit */
    for (size_t i = 0; i < PD_LEVEL_COUNT; i++) assert_true(pd_quantile(&d, pd_levels[i]) == 30);
    assert_true(pd_width(&d, 0.8) == 0);
    assert_true(pd_covers(&d, 0.8, 30) && !pd_covers(&d, 0.8, 30.5));
    assert_true(pd_mass_at(&d, 30) == 1);
    /* an outcome off the scale has no score */
    assert_true(isnan(pd_crps(&d, 100.5)) && isnan(pd_crps(&d, -1)) && isnan(pd_crps(&d, NAN)));
}

static void crps_of_a_laplace_matches_its_closed_form(void **state)
{
    (void)state;
    /* Laplace(m, b) untruncated: CRPS = |y - m| + b exp(-|y - m| / b) - 3b/4. On [-1000, 1000] with b = 1 the
     * truncation and the tails outside the scale are below 1e-300. */
    pd_dist d;
    assert_int_equal(pd_init(&d, NULL, 0, 1, 0, 1, -1000, 1000, NULL), PARLEY_OK);
    double ys[] = {0, 0.7, -2.5, 10, -999};
    for (size_t i = 0; i < 5; i++) {
        double t = fabs(ys[i]);
        NEAR(pd_crps(&d, ys[i]), t + exp(-t) - 0.75, 1e-9);
    }
    /* tau = 1: the quantiles are the Laplace's own, m + b ln(2q) below the median */
    NEAR(pd_quantile(&d, 0.5), 0, 1e-12);
    NEAR(pd_quantile(&d, 0.1), log(0.2), 1e-12);
    NEAR(pd_quantile(&d, 0.9), -log(0.2), 1e-12);
    NEAR(pd_width(&d, 0.8), -2 * log(0.2), 1e-12);
}

/* The midpoint rule on n cells of (F - step)^2: an independent check of the closed form. */
static double crps_by_cells(const pd_dist *d, double y, int n)
{
    double w = (d->high - d->low) / n, sum = 0;
    for (int i = 0; i < n; i++) {
        double v = d->low + (i + 0.5) * w, e = pd_cdf(d, v) - (v >= y ? 1.0 : 0.0);
        sum += e * e * w;
    }
    return sum;
}

static void crps_of_a_mixture_agrees_with_numerical_integration(void **state)
{
    (void)state;
    pd_dist d = mixture();
    double ys[] = {0, 30, 42.3, 50, 70, 100};
    /* the cells straddling the two jumps carry an error of at most one cell's width each */
    for (size_t i = 0; i < 6; i++) NEAR(pd_crps(&d, ys[i]), crps_by_cells(&d, ys[i], 400000), 1e-3);
}

static void truncation_keeps_all_mass_on_the_scale(void **state)
{
    (void)state;
    /* a Laplace centred on the low end: half its raw mass lies below the scale and is folded back */
    pd_dist d;
    assert_int_equal(pd_init(&d, NULL, 0, 1, 0, 10, 0, 100, NULL), PARLEY_OK);
    assert_true(pd_cdf(&d, 0) == 0 && pd_cdf(&d, -5) == 0 && pd_cdf(&d, 100) == 1 && pd_cdf(&d, 150) == 1);
    double z = 0.5 - 0.5 * exp(-10); /* raw mass on [0, 100] */
    NEAR(pd_cdf(&d, 10), (0.5 - 0.5 * exp(-1)) / z, 1e-12);
    /* the median: 1 - 0.5 e^{-v/10} = 0.5 + 0.5 z */
    NEAR(pd_quantile(&d, 0.5), -10 * log(1 - z), 1e-9);
    NEAR(pd_quantile(&d, 0), 0, 1e-9);
    NEAR(pd_quantile(&d, 1), 100, 1e-9);
    for (int i = 0; i <= 100; i++) {
        double v = pd_quantile(&d, i / 100.0);
        assert_true(v >= 0 && v <= 100);
    }
    NEAR(pd_crps(&d, 37), crps_by_cells(&d, 37, 200000), 1e-6);
    NEAR(pd_crps(&d, 0), crps_by_cells(&d, 0, 200000), 1e-6);
}

static void a_zero_width_scale_holds_only_atoms(void **state)
{
    (void)state;
    pd_atom a[] = {{5, 1}};
    pd_dist d;
    assert_int_equal(pd_init(&d, a, 1, 0, NAN, NAN, 5, 5, NULL), PARLEY_OK);
    assert_true(pd_quantile(&d, 0.05) == 5 && pd_quantile(&d, 0.95) == 5);
    assert_true(pd_crps(&d, 5) == 0);
    assert_true(pd_cdf(&d, 5) == 1 && pd_cdf(&d, 4.9) == 0);
    parley_error *err = parley_error_new();
    assert_int_equal(pd_init(&d, NULL, 0, 1, 5, 1, 5, 5, err), PARLEY_E_INVALID);
    assert_string_equal(parley_error_at(err, 0)->field, "tau");
    parley_error_free(err);
}

static void a_bad_distribution_is_refused_naming_the_field(void **state)
{
    (void)state;
    struct {
        pd_atom a[2];
        size_t n;
        double tau, b;
        const char *field;
    } bad[] = {
        {{{70, 0.2}, {30, 0.2}}, 2, 0.6, 10, "atoms"},  /* not ascending */
        {{{30, 0.2}, {30, 0.2}}, 2, 0.6, 10, "atoms"},  /* not distinct */
        {{{30, 0.3}, {70, 0.2}}, 2, 0.6, 10, "atoms"},  /* mass 1.1 */
        {{{30, -0.2}, {70, 0.6}}, 2, 0.6, 10, "atoms"}, /* a negative mass */
        {{{130, 0.2}, {170, 0.2}}, 2, 0.6, 10, "atoms"}, /* off the scale */
        {{{30, 0.2}, {70, 0.2}}, 2, 1.6, 10, "tau"},
        {{{30, 0.2}, {70, 0.2}}, 2, 0.6, 0, "continuous"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        parley_error *err = parley_error_new();
        pd_dist d;
        assert_int_equal(pd_init(&d, bad[i].a, bad[i].n, bad[i].tau, 50, bad[i].b, 0, 100, err), PARLEY_E_INVALID);
        const parley_diag *g = parley_error_at(err, 0);
        assert_non_null(g);
        assert_string_equal(g->field, bad[i].field);
        assert_non_null(strstr(g->message, "expected"));
        assert_non_null(strstr(g->message, "found"));
        parley_error_free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles_of_a_mixture_are_the_generalised_inverse_at_every_level),
        cmocka_unit_test(quantiles_of_pure_atoms_step_at_each_cumulative_mass),
        cmocka_unit_test(crps_of_a_point_mass_is_the_absolute_error),
        cmocka_unit_test(crps_of_a_laplace_matches_its_closed_form),
        cmocka_unit_test(crps_of_a_mixture_agrees_with_numerical_integration),
        cmocka_unit_test(truncation_keeps_all_mass_on_the_scale),
        cmocka_unit_test(a_zero_width_scale_holds_only_atoms),
        cmocka_unit_test(a_bad_distribution_is_refused_naming_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
