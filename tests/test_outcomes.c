/* test_outcomes.c - known outcomes read from their own CSV, applied to a copy of a scenario and scored. */
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

#define JEDDAH PARLEY_TEST_DATA "/../../examples/jeddah-2025.json"
#define JEDDAH_OUTCOMES PARLEY_TEST_DATA "/../../examples/jeddah-2025-outcomes.csv"
#define HEADER "issue,outcome,date,why,source\n"

static parley_scenario *jeddah(void)
{
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_file(JEDDAH, NULL, &s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

/* Applies text to the flagship; returns the status and leaves the diagnostics in err, the copy in *out. */
static parley_status apply(const parley_scenario *s, const char *text, parley_scenario **out, parley_error *err)
{
    return parley_outcomes_apply_buffer(s, text, strlen(text), "o.csv", out, err);
}

/* Asserts that text fails with exactly one error, at line:column in field, whose message holds want. */
static void fails_at(const char *text, parley_status status, int line, int column, const char *field, const char *want)
{
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_scenario *out = (parley_scenario *)1;
    assert_int_equal(apply(s, text, &out, err), status);
    assert_null(out);
    assert_int_equal(parley_error_errors(err), 1);
    const parley_diag *d = parley_error_at(err, 0);
    assert_int_equal(d->severity, PARLEY_SEVERITY_ERROR);
    assert_string_equal(d->file, "o.csv");
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, column);
    if (field) assert_string_equal(d->field, field);
    else assert_null(d->field);
    if (!strstr(d->message, want)) fail_msg("message \"%s\" lacks \"%s\"", d->message, want);
    assert_int_equal(parley_status_exit_code(status), 2);
    parley_error_free(err);
    parley_scenario_free(s);
}

static void the_flagship_outcomes_file_gives_every_issue_its_outcome_reason_date_and_source(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_scenario *o = NULL;
    assert_int_equal(parley_outcomes_apply(s, JEDDAH_OUTCOMES, &o, err), PARLEY_OK);
    assert_int_equal(parley_error_count(err), 0); /* one row for each of the six issues: not even a note */
    static const struct {
        const char *id;
        double outcome;
        const char *date;
    } want[] = {{"ceasefire", 10, "2025-03-18"}, {"guarantees", 15, "2025-04-30"}, {"minerals", 70, "2025-04-30"},
                {"aid", 80, "2025-03-11"},       {"territory", 35, "2025-04-30"},  {"sanctions", 10, "2025-03-25"}};
    assert_int_equal(parley_scenario_issue_count(o), 6);
    for (size_t i = 0; i < 6; i++) {
        size_t k;
        assert_true(parley_scenario_find_issue(o, want[i].id, &k));
        assert_true(parley_issue_number(o, k, PARLEY_ISSUE_OUTCOME) == want[i].outcome);
        assert_string_equal(parley_issue_attribute(o, k, "outcome_date"), want[i].date);
        assert_non_null(parley_issue_why(o, k, PARLEY_ISSUE_OUTCOME));
        assert_non_null(parley_issue_attribute(o, k, "outcome_source"));
        /* The scenario itself is left as it was: the flagship carries no outcome. */
        assert_true(isnan(parley_issue_number(s, k, PARLEY_ISSUE_OUTCOME)));
        assert_null(parley_issue_attribute(s, k, "outcome_date"));
    }
    size_t k;
    assert_true(parley_scenario_find_issue(o, "aid", &k));
    assert_non_null(strstr(parley_issue_attribute(o, k, "outcome_source"), "joint statement, Jeddah, 11 March 2025"));
    parley_scenario_free(s); /* the copy shares nothing with it */
    /* The copy writes its outcomes back: reason as the outcome's why, date and source as attributes. */
    char *json = parley_scenario_serialize(o, "json", err);
    assert_non_null(json);
    parley_scenario *again = NULL;
    assert_int_equal(parley_read_buffer(json, strlen(json), "again.json", NULL, &again, err), PARLEY_OK);
    assert_true(parley_issue_number(again, k, PARLEY_ISSUE_OUTCOME) == 80);
    assert_string_equal(parley_issue_why(again, k, PARLEY_ISSUE_OUTCOME), parley_issue_why(o, k, PARLEY_ISSUE_OUTCOME));
    assert_string_equal(parley_issue_attribute(again, k, "outcome_date"), "2025-03-11");
    free(json);
    parley_scenario_free(again);
    parley_scenario_free(o);
    parley_error_free(err);
}

static void an_issue_without_a_row_has_no_outcome_and_a_note_says_so(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_scenario *o = NULL;
    assert_int_equal(apply(s, HEADER "aid,80,2025-03-11,,\nsanctions, 10 ,,,\n", &o, err), PARLEY_OK);
    assert_int_equal(parley_error_errors(err), 0);
    assert_int_equal(parley_error_count(err), 4); /* ceasefire, guarantees, minerals, territory */
    const parley_diag *d = parley_error_at(err, 0);
    assert_int_equal(d->severity, PARLEY_SEVERITY_NOTE);
    assert_string_equal(d->message, "\"ceasefire\" has no row, so it has no known outcome and is not scored");
    size_t k;
    assert_true(parley_scenario_find_issue(o, "ceasefire", &k));
    assert_true(isnan(parley_issue_number(o, k, PARLEY_ISSUE_OUTCOME)));
    assert_true(parley_scenario_find_issue(o, "sanctions", &k));
    assert_true(parley_issue_number(o, k, PARLEY_ISSUE_OUTCOME) == 10);
    /* Blank date, reason and source are absent, not empty texts. */
    assert_null(parley_issue_attribute(o, k, "outcome_date"));
    assert_null(parley_issue_why(o, k, PARLEY_ISSUE_OUTCOME));

    /* Applied again, a file replaces the outcomes wholesale: the one it leaves out is set aside, with a warning. */
    parley_error_clear(err);
    parley_scenario *o2 = NULL;
    assert_int_equal(apply(o, HEADER "aid,60,,,\n", &o2, err), PARLEY_OK);
    bool warned = false;
    for (size_t i = 0; i < parley_error_count(err); i++) {
        d = parley_error_at(err, i);
        if (d->severity == PARLEY_SEVERITY_WARNING) {
            assert_string_equal(d->message, "\"sanctions\" has no row, so its outcome in the scenario (10) is set aside and it is not scored");
            warned = true;
        }
    }
    assert_true(warned);
    assert_true(isnan(parley_issue_number(o2, k, PARLEY_ISSUE_OUTCOME)));
    assert_true(parley_scenario_find_issue(o2, "aid", &k));
    assert_true(parley_issue_number(o2, k, PARLEY_ISSUE_OUTCOME) == 60);
    assert_null(parley_issue_attribute(o2, k, "outcome_date")); /* the earlier file's date went with its outcome */
    parley_scenario_free(o2);
    parley_scenario_free(o);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void quotes_semicolons_crlf_and_a_byte_order_mark_read_as_in_every_csv(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_scenario *o = NULL;
    assert_int_equal(apply(s, "\xEF\xBB\xBFIssue;Outcome;Date;Why;Source\r\naid;\"80,5\";2025-03-11;\"a; \"\"b\"\"\";x\r\n", &o, err),
                     PARLEY_OK);
    size_t k;
    assert_true(parley_scenario_find_issue(o, "aid", &k));
    assert_true(parley_issue_number(o, k, PARLEY_ISSUE_OUTCOME) == 80.5);
    assert_string_equal(parley_issue_why(o, k, PARLEY_ISSUE_OUTCOME), "a; \"b\"");
    parley_scenario_free(o);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void each_fault_is_reported_at_its_line_column_and_field(void **state)
{
    (void)state;
    fails_at("", PARLEY_E_SYNTAX, 0, 0, NULL, "found an empty file");
    fails_at(" \n\n", PARLEY_E_SYNTAX, 0, 0, NULL, "found an empty file");
    fails_at(HEADER, PARLEY_E_SYNTAX, 1, 1, NULL, "found none");
    fails_at("issue,outcom,date,why,source\naid,80,,,\n", PARLEY_E_SYNTAX, 1, 7, "header",
             "expected the column \"outcome\" here (the header is issue,outcome,date,why,source), found \"outcom\"");
    fails_at("issue,outcome,date,why\naid,80,,\n", PARLEY_E_SYNTAX, 1, 20, "header", "found 4 columns (no \"source\")");
    fails_at("issue,outcome,date,why,source,note\naid,80,,,,\n", PARLEY_E_SYNTAX, 1, 31, "header",
             "found an extra column \"note\"");
    fails_at(HEADER "ceasfire,10,,,\n", PARLEY_E_INVALID, 2, 1, "issue",
             "unknown issue \"ceasfire\" (did you mean \"ceasefire\"?); expected one of the scenario's 6 issues");
    fails_at(HEADER "aid,80,,,\n  aid,70,,,\n", PARLEY_E_INVALID, 3, 3, "issue",
             "expected one row per issue, found \"aid\" again (first on line 2)");
    fails_at(HEADER ",80,,,\n", PARLEY_E_SYNTAX, 2, 1, "issue", "expected an issue id, found an empty cell");
    fails_at(HEADER "aid,eighty,,,\n", PARLEY_E_SYNTAX, 2, 5, "outcome",
             "expected a number on the scale of issue \"aid\", found \"eighty\"");
    fails_at(HEADER "aid,,,,\n", PARLEY_E_SYNTAX, 2, 5, "outcome", "found an empty cell");
    fails_at(HEADER "aid,100.5,,,\n", PARLEY_E_INVALID, 2, 5, "outcome",
             "expected an outcome on the scale [0, 100] of issue \"aid\", found 100.5");
    fails_at(HEADER "aid,-1,,,\n", PARLEY_E_INVALID, 2, 5, "outcome", "found -1");
    fails_at(HEADER "aid,nan,,,\n", PARLEY_E_SYNTAX, 2, 5, "outcome", "found \"nan\"");
    fails_at(HEADER "aid,80,11 March 2025,,\n", PARLEY_E_INVALID, 2, 8, "date", "as YYYY-MM-DD (or nothing), found \"11 March 2025\"");
    fails_at(HEADER "aid,80,2025-02-29,,\n", PARLEY_E_INVALID, 2, 8, "date", "found \"2025-02-29\"");
    fails_at(HEADER "aid,80\n", PARLEY_E_SYNTAX, 2, 5, "row", "expected 5 cells as in the header (line 1), found 2");
    fails_at(HEADER "aid,80,,,,x\n", PARLEY_E_SYNTAX, 2, 11, "row", "expected 5 cells as in the header (line 1), found 6");
    fails_at(HEADER "aid,80,\"open,,,\n", PARLEY_E_SYNTAX, 2, 8, NULL, "expected a closing \" for the quote opened here");
    fails_at(HEADER "aid,80,,\x01\xff,\n", PARLEY_E_SYNTAX, 2, 10, NULL, "expected UTF-8 text, found the byte 0xff");
}

static void every_fault_of_a_file_is_reported_in_one_go(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_scenario *o = NULL;
    assert_int_equal(apply(s, HEADER "ceasfire,10,,,\naid,x,,,\nminerals,70,,,\nminerals,71,,,\n", &o, err), PARLEY_E_INVALID);
    assert_null(o);
    assert_int_equal(parley_error_errors(err), 3);
    assert_int_equal(parley_error_at(err, 0)->line, 2);
    assert_int_equal(parley_error_at(err, 1)->line, 3);
    assert_int_equal(parley_error_at(err, 2)->line, 5);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void a_missing_file_or_a_folder_is_the_callers_mistake(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_scenario *o = NULL;
    assert_int_equal(parley_outcomes_apply(s, PARLEY_TEST_DATA "/no-such-outcomes.csv", &o, err), PARLEY_E_USAGE);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "cannot open the outcomes file"));
    parley_error_clear(err);
    assert_int_equal(parley_outcomes_apply(s, PARLEY_TEST_DATA, &o, err), PARLEY_E_USAGE);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "found a folder"));
    assert_null(o);
    parley_scenario_free(s);
    parley_error_free(err);
}

/* The flagship scored against what happened: every issue scored, each error the distance to the file's
 * outcome, with the scenario's own capabilities (the same forecasts as parley forecast). */
static void the_flagship_backtest_scores_all_six_issues_with_its_own_capabilities(void **state)
{
    (void)state;
    parley_scenario *s = jeddah();
    parley_error *err = parley_error_new();
    parley_scenario *o = NULL;
    assert_int_equal(parley_outcomes_apply(s, JEDDAH_OUTCOMES, &o, err), PARLEY_OK);
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "compromise,median,nash", err), PARLEY_OK);
    parley_result *r = parley_run(s, p, 1, err);
    assert_non_null(r);
    parley_capabilities *own = parley_capabilities_own();
    parley_backtest *b = NULL;
    assert_int_equal(parley_backtest_run(o, p, own, 1, &b, err), PARLEY_OK);
    assert_string_equal(parley_backtest_capabilities(b), "the scenario's own");
    assert_int_equal(parley_backtest_issue_count(b), 6);
    double sum[3] = {0, 0, 0};
    for (size_t i = 0; i < 6; i++)
        for (size_t m = 0; m < 3; m++) {
            const char *id;
            double f, out;
            size_t k;
            parley_backtest_issue(b, i, m, &id, &f, &out);
            assert_true(parley_scenario_find_issue(s, id, &k));
            assert_true(f == parley_result_value(r, m, k)); /* as parley forecast gives it */
            sum[m] += fabs(f - out);
        }
    for (size_t m = 0; m < 3; m++) {
        size_t scored;
        double mae;
        parley_backtest_summary(b, m, &scored, &mae, NULL);
        assert_int_equal(scored, 6);
        assert_true(fabs(mae - sum[m] / 6) < 1e-12);
    }
    /* The median of positions by hand: 55, 20, 60, 60, 30, 50 against 10, 15, 70, 80, 35, 10. */
    double mae;
    parley_backtest_summary(b, 1, NULL, &mae, NULL);
    assert_true(fabs(mae - (45 + 5 + 10 + 20 + 5 + 40) / 6.0) < 1e-12);
    /* nash keeps the status quo: wrong only where something moved (minerals 60, aid 75). */
    parley_backtest_summary(b, 2, NULL, &mae, NULL);
    assert_true(fabs(mae - (10 + 0 + 60 + 75 + 0 + 0) / 6.0) < 1e-12);
    char *text = parley_backtest_report(o, b, "text", err);
    assert_non_null(strstr(text, "capabilities the scenario's own"));
    assert_non_null(strstr(text, "  US military aid and intelligence sharing: 80 (2025-03-11)\n"));
    assert_non_null(strstr(text, "    source: US-Ukraine joint statement, Jeddah, 11 March 2025\n"));
    free(text);
    char *json = parley_backtest_report(o, b, "json", err);
    assert_non_null(strstr(json, "\"outcomes\": ["));
    assert_non_null(strstr(json, "\"date\": \"2025-03-11\""));
    free(json);
    parley_backtest_free(b);

    /* Equal capabilities, asked for, are another forecast: compromise weighs everyone alike. */
    assert_int_equal(parley_backtest_run(o, p, NULL, 1, &b, err), PARLEY_OK);
    assert_string_equal(parley_backtest_capabilities(b), "equal");
    double f;
    parley_backtest_issue(b, 0, 0, NULL, &f, NULL);
    assert_true(f != parley_result_value(r, 0, 0));
    parley_backtest_free(b);
    parley_capabilities_free(own);
    parley_result_free(r);
    parley_plan_free(p);
    parley_scenario_free(o);
    parley_scenario_free(s);
    parley_error_free(err);
}

/* A DEU file has no capabilities: its own are all 1, and a backtest says "equal", with the same scores. */
static void own_capabilities_of_a_deu_file_are_equal_ones(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_file(PARLEY_TEST_DATA "/deu3/deu3-dev.tsv", NULL, &s, err), PARLEY_OK);
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "compromise", err), PARLEY_OK);
    parley_capabilities *own = parley_capabilities_own();
    parley_backtest *a = NULL, *b = NULL;
    assert_int_equal(parley_backtest_run(s, p, own, 1, &a, err), PARLEY_OK);
    assert_int_equal(parley_backtest_run(s, p, NULL, 1, &b, err), PARLEY_OK);
    assert_string_equal(parley_backtest_capabilities(a), "equal");
    double ma, mb;
    parley_backtest_summary(a, 0, NULL, &ma, NULL);
    parley_backtest_summary(b, 0, NULL, &mb, NULL);
    assert_true(ma == mb);
    /* No outcome carries a note: the reports list none. */
    char *json = parley_backtest_report(s, a, "json", err);
    assert_null(strstr(json, "\"outcomes\""));
    free(json);
    parley_backtest_free(a);
    parley_backtest_free(b);
    parley_capabilities_free(own);
    parley_plan_free(p);
    parley_scenario_free(s);
    parley_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_flagship_outcomes_file_gives_every_issue_its_outcome_reason_date_and_source),
        cmocka_unit_test(an_issue_without_a_row_has_no_outcome_and_a_note_says_so),
        cmocka_unit_test(quotes_semicolons_crlf_and_a_byte_order_mark_read_as_in_every_csv),
        cmocka_unit_test(each_fault_is_reported_at_its_line_column_and_field),
        cmocka_unit_test(every_fault_of_a_file_is_reported_in_one_go),
        cmocka_unit_test(a_missing_file_or_a_folder_is_the_callers_mistake),
        cmocka_unit_test(the_flagship_backtest_scores_all_six_issues_with_its_own_capabilities),
        cmocka_unit_test(own_capabilities_of_a_deu_file_are_equal_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
