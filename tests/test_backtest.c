/* test_backtest.c - scoring against DEU III, with equal and Council-vote capabilities. */
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

static parley_backtest *backtest(const char *spec, const char *caps_file, parley_scenario **sp)
{
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_file(PARLEY_TEST_DATA "/deu3/deu3-dev.tsv", NULL, &s, err), PARLEY_OK);
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    parley_capabilities *caps = NULL;
    if (caps_file) assert_int_equal(parley_capabilities_read(caps_file, &caps, err), PARLEY_OK);
    parley_backtest *b = NULL;
    assert_int_equal(parley_backtest_run(s, p, caps, 1, &b, err), PARLEY_OK);
    parley_capabilities_free(caps);
    parley_plan_free(p);
    if (sp) *sp = s;
    else parley_scenario_free(s);
    parley_error_free(err);
    return b;
}

static void compromise_scores_the_published_figure_on_deu3_dev(void **state)
{
    (void)state;
    parley_backtest *b = backtest("compromise,median,mean,nash", NULL, NULL);
    size_t scored;
    double mae, med;
    parley_backtest_summary(b, 0, &scored, &mae, &med);
    assert_int_equal(scored, 237);
    /* computed independently of parley: 22.494 */
    assert_true(fabs(mae - 22.494) < 1e-3);
    /* nash needs a reference point: fewer issues */
    parley_backtest_summary(b, 3, &scored, &mae, &med);
    assert_int_equal(scored, 173);
    assert_int_equal(parley_backtest_issue_count(b), 237);
    parley_backtest_free(b);
}

static void council_votes_change_the_weights(void **state)
{
    (void)state;
    parley_scenario *s = NULL;
    parley_backtest *b = backtest("compromise", PARLEY_TEST_DATA "/../../examples/capabilities/council-votes-nice.csv", &s);
    size_t scored;
    double mae;
    parley_backtest_summary(b, 0, &scored, &mae, NULL);
    assert_int_equal(scored, 237);
    assert_true(fabs(mae - 22.494) > 1e-3);
    assert_true(mae > 15 && mae < 30);
    parley_error *err = parley_error_new();
    char *json = parley_backtest_report(s, b, "json", err);
    assert_non_null(strstr(json, "\"capabilities\": \"from "));
    assert_non_null(strstr(json, "\"outcome\""));
    free(json);
    parley_error_free(err);
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void backtest_json_names_each_run_by_model_run_and_label(void **state)
{
    (void)state;
    parley_scenario *s = NULL;
    parley_backtest *b = backtest("median,tie=upper,median", NULL, &s);
    parley_error *err = parley_error_new();
    char *json = parley_backtest_report(s, b, "json", err);
    assert_non_null(strstr(json, "\"run\": 0,\n      \"model\": \"median\",\n      \"label\": \"median,tie=upper\""));
    assert_non_null(strstr(json, "\"run\": 1,\n      \"model\": \"median\",\n      \"label\": \"median\""));
    free(json);
    parley_error_free(err);
    parley_backtest_free(b);
    parley_scenario_free(s);
}

static void capability_files_are_checked(void **state)
{
    (void)state;
    const char *path = "test_caps_bad.csv";
    FILE *f = fopen(path, "w");
    fputs("actor,wieght\nde,29\n", f);
    fclose(f);
    parley_error *err = parley_error_new();
    parley_capabilities *c = NULL;
    assert_int_equal(parley_capabilities_read(path, &c, err), PARLEY_E_SYNTAX);
    char buf[512];
    parley_diag_format(parley_error_at(err, 0), buf, sizeof buf);
    assert_non_null(strstr(buf, "did you mean \"weight\""));
    f = fopen(path, "w");
    fputs("actor,weight,from\nde,-1,\nfr,29,2004-13\n", f);
    fclose(f);
    parley_error_clear(err);
    assert_int_equal(parley_capabilities_read(path, &c, err), PARLEY_E_INVALID);
    assert_int_equal(parley_error_errors(err), 2);
    remove(path);
    parley_error_free(err);
}

static void dated_weights_follow_each_issue_date(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_file(PARLEY_TEST_DATA "/dated.json", NULL, &s, err), PARLEY_OK);
    parley_capabilities *caps = NULL;
    assert_int_equal(parley_capabilities_read(PARLEY_TEST_DATA "/dated_caps.csv", &caps, err), PARLEY_OK);
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "compromise", err), PARLEY_OK);
    parley_backtest *b = NULL;
    assert_int_equal(parley_backtest_run(s, p, caps, 1, &b, err), PARLEY_OK);
    const char *id;
    double f, o;
    parley_backtest_issue(b, 0, 0, &id, &f, &o);
    assert_string_equal(id, "early");
    assert_true(fabs(f - 50) < 1e-12); /* a weighs 1 before May 2004: (0 + 100) / 2 */
    parley_backtest_issue(b, 1, 0, &id, &f, &o);
    assert_true(fabs(f - 25) < 1e-12); /* a weighs 3 after: 100 / 4 */
    parley_backtest_issue(b, 2, 0, &id, &f, &o);
    /* Undated: a takes its last listed weight (3); c is not in the file, keeps 1, and is warned about. */
    assert_true(fabs(f - 200.0 / 5) < 1e-12);
    bool warned = false;
    char buf[512];
    for (size_t i = 0; i < parley_error_count(err); i++) {
        parley_diag_format(parley_error_at(err, i), buf, sizeof buf);
        warned |= strstr(buf, "actor \"c\" has no weight") != NULL;
    }
    assert_true(warned);
    parley_backtest_free(b);
    parley_plan_free(p);
    parley_capabilities_free(caps);
    parley_scenario_free(s);
    parley_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compromise_scores_the_published_figure_on_deu3_dev),
        cmocka_unit_test(council_votes_change_the_weights),
        cmocka_unit_test(backtest_json_names_each_run_by_model_run_and_label),
        cmocka_unit_test(capability_files_are_checked),
        cmocka_unit_test(dated_weights_follow_each_issue_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
