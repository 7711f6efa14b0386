/* test_scenario.c - the scenario's sparse index (lookups and per-issue, per-actor runs), its clone and the
 * drawn numbers Monte Carlo sets on a private copy. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/scenario_internal.h"
#include "helpers.h"

/* Builds a finalized scenario of na actors and ni issues in which each cell holds a stance with
 * probability density, added in a random order; want[a * ni + k] gets the stance's position, or -1 when
 * the cell has none. */
static parley_scenario *random_scenario(size_t na, size_t ni, double density, uint64_t seed, double *want)
{
    parley_rng g;
    parley_rng_seed(&g, seed, 0);
    parley_scenario *s = parley_scenario_new();
    assert_non_null(s);
    char id[32];
    for (size_t k = 0; k < ni; k++) {
        snprintf(id, sizeof id, "i%zu", k);
        assert_int_equal(parley_scenario_add_issue(s, id, NULL, 0, 1000000, NULL), PARLEY_OK);
    }
    for (size_t a = 0; a < na; a++) {
        snprintf(id, sizeof id, "a%zu", a);
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, 1 + (double)a, NULL), PARLEY_OK);
    }
    /* The cells in a random order (Fisher-Yates), so the index cannot rely on the order of the input. */
    size_t cells = na * ni, *order = malloc(cells * sizeof *order);
    assert_non_null(order);
    for (size_t c = 0; c < cells; c++) order[c] = c, want[c] = -1;
    for (size_t c = cells; c > 1; c--) {
        size_t r = (size_t)parley_rng_below(&g, c), t = order[c - 1];
        order[c - 1] = order[r], order[r] = t;
    }
    for (size_t c = 0; c < cells; c++) {
        if (parley_rng_uniform(&g) >= density) continue;
        size_t a = order[c] / ni, k = order[c] % ni;
        want[order[c]] = (double)c; /* a position unique to the stance */
        assert_int_equal(parley_scenario_set_stance(s, a, k, (double)c, 0.5, NAN), PARLEY_OK);
    }
    free(order);
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

static void the_sparse_index_finds_every_stance_and_no_other(void **state)
{
    (void)state;
    /* Shapes from one lone stance to every cell full, wide and tall, against a brute-force map; one in 4
     * (400 x 50) puts issues on both sides of the density at which an issue gets a direct map. */
    static const struct {
        size_t na, ni;
        double density;
    } shapes[] = {{1, 1, 1.0}, {300, 40, 1.0}, {300, 40, 0.9}, {40, 300, 0.5}, {500, 60, 0.02},
                  {2000, 7, 0.001}, {7, 900, 0.3}, {400, 50, 0.25}, {64, 64, 0.0}};
    for (size_t t = 0; t < sizeof shapes / sizeof *shapes; t++) {
        size_t na = shapes[t].na, ni = shapes[t].ni, total = 0;
        double *want = malloc(na * ni * sizeof *want);
        assert_non_null(want);
        parley_scenario *s = random_scenario(na, ni, shapes[t].density, 1000 + t, want);
        for (size_t a = 0; a < na; a++)
            for (size_t k = 0; k < ni; k++) {
                double pos = -2, sal = -2, cap = -2;
                bool has = parley_stance(s, a, k, &pos, &sal, &cap);
                assert_int_equal(has, want[a * ni + k] >= 0);
                if (!has) continue;
                total++;
                assert_true(pos == want[a * ni + k]);
                assert_true(sal == 0.5 && cap == 1 + (double)a);
            }
        assert_int_equal(parley_scenario_stance_count(s), total);
        /* Each issue's run: its stances and no other, by actor, the count included. */
        size_t seen = 0;
        for (size_t k = 0; k < ni; k++) {
            size_t n = parley_issue_stance_count(s, k), prev = 0, in_map = 0;
            for (size_t a = 0; a < na; a++) in_map += want[a * ni + k] >= 0;
            assert_int_equal(n, in_map);
            for (size_t j = 0; j < n; j++) {
                size_t a = SIZE_MAX;
                double pos = -2;
                assert_true(parley_issue_stance_at(s, k, j, &a, &pos, NULL, NULL));
                assert_true(a < na && pos == want[a * ni + k]);
                if (j) assert_true(a > prev);
                prev = a;
            }
            assert_false(parley_issue_stance_at(s, k, n, NULL, NULL, NULL, NULL));
            seen += n;
        }
        assert_int_equal(seen, total);
        /* Each actor's run, likewise by issue. */
        seen = 0;
        for (size_t a = 0; a < na; a++) {
            size_t n = parley_actor_stance_count(s, a), prev = 0, in_map = 0;
            for (size_t k = 0; k < ni; k++) in_map += want[a * ni + k] >= 0;
            assert_int_equal(n, in_map);
            for (size_t j = 0; j < n; j++) {
                size_t k = SIZE_MAX;
                double pos = -2, cap = -2;
                assert_true(parley_actor_stance_at(s, a, j, &k, &pos, NULL, &cap));
                assert_true(k < ni && pos == want[a * ni + k] && cap == 1 + (double)a);
                if (j) assert_true(k > prev);
                prev = k;
            }
            assert_false(parley_actor_stance_at(s, a, n, NULL, NULL, NULL, NULL));
            seen += n;
        }
        assert_int_equal(seen, total);
        /* Past the ends: nothing, never a read out of bounds. */
        assert_false(parley_stance(s, na, 0, NULL, NULL, NULL));
        assert_false(parley_stance(s, 0, ni, NULL, NULL, NULL));
        assert_int_equal(parley_issue_stance_count(s, ni), 0);
        assert_int_equal(parley_actor_stance_count(s, na), 0);
        assert_false(parley_issue_stance_at(s, ni, 0, NULL, NULL, NULL, NULL));
        parley_scenario_free(s);
        free(want);
    }
}

static void a_second_stance_on_a_cell_names_the_first_and_is_left_out_of_the_index(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    assert_int_equal(parley_scenario_add_issue(s, "i", NULL, 0, 100, NULL), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "x", NULL, 1, NULL), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "y", NULL, 1, NULL), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, 1, 0, 10, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, 0, 0, 20, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, 1, 0, 30, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, 1, 0, 40, 0.5, NAN), PARLEY_OK);
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_E_INVALID);
    size_t second = 0;
    for (size_t i = 0; i < parley_error_count(err); i++)
        second += strstr(parley_error_at(err, i)->message, "actor \"y\" has a second stance on issue \"i\"") != NULL;
    assert_int_equal(second, 2);
    /* The index keeps the first of the cell's stances (the order read), once. */
    assert_int_equal(parley_issue_stance_count(s, 0), 2);
    double pos = 0;
    assert_true(parley_stance(s, 1, 0, &pos, NULL, NULL));
    assert_true(pos == 10);
    parley_error_free(err);
    parley_scenario_free(s);
}

/* Returns s serialized as format; fails the test when it cannot be. */
static char *serialized(const parley_scenario *s, const char *format)
{
    parley_error *err = parley_error_new();
    char *text = parley_scenario_serialize(s, format, err);
    assert_non_null(text);
    parley_error_free(err);
    return text;
}

static void a_clone_is_deep_equal_and_outlives_its_original(void **state)
{
    (void)state;
    /* The flagship scenario has reasons, uncertainty, variants (one adding an actor with stances) and
     * shocks; the DEU file has issue attributes and a batch. */
    static const char *const files[] = {"../../examples/jeddah-2025.json", "deu3/deu3-dev.tsv"};
    for (size_t f = 0; f < 2; f++) {
        parley_scenario *s = read_data(files[f]);
        parley_scenario *c = parley_scenario_clone(s);
        assert_non_null(c);
        assert_ptr_not_equal(c, s);
        char *js = serialized(s, "json"), *cs = serialized(s, "csv");
        char *jc = serialized(c, "json"), *cc = serialized(c, "csv");
        assert_string_equal(jc, js);
        assert_string_equal(cc, cs);
        assert_string_equal(parley_scenario_sha256(c), parley_scenario_sha256(s));
        assert_string_equal(parley_scenario_source(c), parley_scenario_source(s));
        assert_string_equal(parley_scenario_format(c), parley_scenario_format(s));
        assert_int_equal(parley_scenario_is_batch(c), parley_scenario_is_batch(s));
        assert_int_equal(parley_variant_count(c), parley_variant_count(s));
        assert_int_equal(parley_shock_count(c), parley_shock_count(s));
        /* Nothing shared: the clone's texts are its own, and it works after the original is freed. */
        assert_ptr_not_equal(parley_actor_id(c, 0), parley_actor_id(s, 0));
        char *first = pu_strdup(parley_actor_id(s, 0));
        size_t stances = parley_scenario_stance_count(s);
        parley_scenario_free(s);
        char *again = serialized(c, "json");
        assert_string_equal(again, js);
        size_t at = SIZE_MAX;
        assert_true(parley_scenario_find_actor(c, first, &at));
        assert_int_equal(at, 0);
        assert_int_equal(parley_scenario_stance_count(c), stances);
        /* A clone of a clone, and a draw set on it, leave the first clone as it was. */
        parley_scenario *d = parley_scenario_clone(c);
        assert_non_null(d);
        double before = d->stances[0].position.v;
        assert_true(sc_set_drawn(d, d->stances[0].actor, 0, PARLEY_FIELD_POSITION, before / 2 + 1));
        assert_true(c->stances[0].position.v == before);
        assert_true(d->stances[0].position.v == before / 2 + 1);
        assert_false(sc_set_drawn(d, 0, d->n_stances, PARLEY_FIELD_POSITION, 1));
        assert_false(sc_set_drawn(d, d->n_actors, SIZE_MAX, PARLEY_FIELD_CAPABILITY, 1));
        parley_scenario_free(d);
        free(first), free(again), free(js), free(cs), free(jc), free(cc);
        parley_scenario_free(c);
    }
    /* Only a finalized scenario is cloned. */
    parley_scenario *n = parley_scenario_new();
    assert_null(parley_scenario_clone(n));
    assert_null(parley_scenario_clone(NULL));
    parley_scenario_free(n);
}

/* Runs spec on s (seed 7) and writes every run's forecast of every issue to out. Returns the count. */
static size_t forecasts(const parley_scenario *s, const char *spec, double *out, size_t cap)
{
    parley_result *r = run_spec(s, spec, 7);
    size_t n = 0, ni = parley_scenario_issue_count(s);
    for (size_t run = 0; run < parley_result_run_count(r); run++)
        for (size_t k = 0; k < ni && n < cap; k++) out[n++] = parley_result_value(r, run, k);
    parley_result_free(r);
    return n;
}

static void a_draw_set_on_a_clone_forecasts_the_bits_of_a_json_round_trip(void **state)
{
    (void)state;
    /* What Monte Carlo did before the clone: write the scenario to JSON, read it back, set the draw. */
    parley_scenario *s = read_data("../../examples/jeddah-2025.json");
    char *json = serialized(s, "json");
    const char *spec = "compromise,median,nash,bdm,exchange,smp";
    double a[256], b[256];
    parley_rng g;
    parley_rng_seed(&g, 3, 0);
    for (int trial = 0; trial < 4; trial++) {
        parley_scenario *c = parley_scenario_clone(s), *rt = NULL;
        parley_error *err = parley_error_new();
        assert_int_equal(parley_read_buffer(json, strlen(json), "draw.json", NULL, &rt, err), PARLEY_OK);
        /* Every uncertain number set to a point within its range, as a draw would. */
        for (size_t i = 0; i < s->n_stances; i++) {
            const pstance *st = &s->stances[i];
            const pnum *f[3] = {&st->position, &st->salience, &st->capability};
            for (int k = 0; k < 3; k++) {
                if (f[k]->u.kind == PARLEY_DIST_NONE) continue;
                double v = f[k]->u.low + parley_rng_uniform(&g) * (f[k]->u.high - f[k]->u.low);
                assert_true(sc_set_drawn(c, st->actor, i, (parley_field)k, v));
                pnum *r = k == 0 ? &rt->stances[i].position : k == 1 ? &rt->stances[i].salience : &rt->stances[i].capability;
                r->v = v;
            }
        }
        size_t na = forecasts(c, spec, a, 256), nb = forecasts(rt, spec, b, 256);
        assert_int_equal(na, nb);
        assert_true(na > 0);
        assert_memory_equal(a, b, na * sizeof *a);
        parley_error_free(err);
        parley_scenario_free(c);
        parley_scenario_free(rt);
    }
    free(json);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_sparse_index_finds_every_stance_and_no_other),
        cmocka_unit_test(a_second_stance_on_a_cell_names_the_first_and_is_left_out_of_the_index),
        cmocka_unit_test(a_clone_is_deep_equal_and_outlives_its_original),
        cmocka_unit_test(a_draw_set_on_a_clone_forecasts_the_bits_of_a_json_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
