/* test_toy.c - a model is one file and one table line: this binary's registry is src/models/registry.c
 * compiled with the toy model's line (tests/CMakeLists.txt), and the toy model (toy_model.c) goes through
 * SPEC parsing, runs, and every writer, which show what its traits say and never need its name. */
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
#include "models/model.h"

/* One issue on [0, 100], actors at 10, 30 and 90: the midrange is 50, the compromise elsewhere. */
static parley_scenario *three_actors(void)
{
    static const double at[] = {10, 30, 90};
    static const char *const ids[] = {"a", "b", "c"};
    parley_scenario *s = parley_scenario_new();
    size_t k;
    assert_int_equal(parley_scenario_add_issue(s, "x", "the issue", 0, 100, &k), PARLEY_OK);
    for (size_t i = 0; i < 3; i++) {
        size_t a;
        assert_int_equal(parley_scenario_add_actor(s, ids[i], NULL, 1, &a), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, k, at[i], 0.5, NAN), PARLEY_OK);
    }
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

static void test_the_extra_line_registers_the_toy_model_after_the_others(void **state)
{
    (void)state;
    size_t n = parley_model_count();
    const parley_model *m = parley_model_find("midrange");
    assert_non_null(m);
    assert_ptr_equal(parley_model_at(n - 1), m);
    assert_int_equal(parley_model_scope(m), PARLEY_SCOPE_ISSUE);
    assert_int_equal(parley_model_records(m), PARLEY_RECORDS_ROUNDS);
    const parley_model **table = malloc(n * sizeof *table);
    assert_non_null(table);
    for (size_t i = 0; i < n; i++) table[i] = parley_model_at(i);
    parley_error *err = parley_error_new();
    assert_int_equal(pm_registry_check(table, n, err), PARLEY_OK);
    parley_error_free(err);
    free(table);
}

static void test_the_toy_model_parses_runs_and_forecasts_the_midrange(void **state)
{
    (void)state;
    parley_scenario *s = three_actors();
    parley_result *r = run_spec(s, "midrange,rounds=4,compromise,midrange:slow", 1);
    assert_int_equal(parley_result_run_count(r), 3);
    assert_string_equal(parley_result_run_label(r, 0), "midrange,rounds=4");
    assert_string_equal(parley_result_run_label(r, 2), "midrange:slow");
    assert_true(parley_result_value(r, 0, 0) == 50);
    assert_true(parley_result_value(r, 2, 0) == 50);
    assert_true(parley_result_value(r, 1, 0) != 50);
    /* rounds 0..4 of run 0 and 0..10 of run 2, the last at the midrange */
    size_t per_run[3] = {0};
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t run, issue;
        int round;
        const double *pos;
        assert_true(parley_result_round(r, i, &run, &issue, &round, NULL, NULL, &pos));
        per_run[run]++;
        if (run == 0 && round == 4)
            for (size_t a = 0; a < 3; a++) assert_true(pos[a] == 50);
    }
    assert_int_equal(per_run[0], 5);
    assert_int_equal(per_run[1], 0);
    assert_int_equal(per_run[2], 11);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void test_the_writers_show_the_toy_model_by_its_traits(void **state)
{
    (void)state;
    parley_scenario *s = three_actors();
    parley_result *r = run_spec(s, "compromise,midrange,rounds=3", 1);
    parley_error *err = parley_error_new();

    char *text = parley_report(s, r, "text", err);
    assert_non_null(text);
    assert_non_null(strstr(text, "midrange,rounds=3"));
    free(text);

    char *json = parley_report(s, r, "json", err);
    assert_non_null(json);
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    assert_non_null(root);
    json_t *rounds = json_object_get(root, "rounds");
    assert_int_equal(json_array_size(rounds), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *e = json_array_get(rounds, i);
        assert_int_equal(json_integer_value(json_object_get(e, "run")), 1);
        assert_string_equal(json_string_value(json_object_get(e, "model")), "midrange");
        assert_string_equal(json_string_value(json_object_get(e, "label")), "midrange,rounds=3");
    }
    json_decref(root);
    free(json);

    /* trajectories: the run picked is the one whose model records rounds, not the first */
    char *svg = parley_chart(s, r, NULL, NULL, NULL, "trajectories", 0, err);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "midrange,rounds=3 on the issue, round by round"));
    free(svg);

    /* the HTML report describes the model from the registry and draws its rounds */
    char *html = parley_html_report(s, r, NULL, NULL, NULL, NULL, NULL, 0, err);
    assert_non_null(html);
    assert_non_null(strstr(html, "<b>midrange</b>: the middle of the participants"));
    assert_non_null(strstr(html, "id=\"rounds\""));
    assert_non_null(strstr(html, "data-chart=\"trajectories\""));
    free(html);
    parley_error_free(err);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void test_hints_name_the_toy_model_among_the_round_based(void **state)
{
    (void)state;
    parley_scenario *s = three_actors();
    parley_result *r = run_spec(s, "compromise", 1);
    parley_error *err = parley_error_new();
    assert_null(parley_chart(s, r, NULL, NULL, NULL, "trajectories", 0, err));
    char msg[512];
    parley_diag_format(parley_error_at(err, 0), msg, sizeof msg);
    assert_non_null(strstr(msg, "choose a round-based model: "));
    assert_non_null(strstr(msg, ", midrange)"));
    parley_error_free(err);
    parley_result_free(r);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_extra_line_registers_the_toy_model_after_the_others),
        cmocka_unit_test(test_the_toy_model_parses_runs_and_forecasts_the_midrange),
        cmocka_unit_test(test_the_writers_show_the_toy_model_by_its_traits),
        cmocka_unit_test(test_hints_name_the_toy_model_among_the_round_based),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
