/* test_report.c - the text writers' words and levels: verb agreement and possessives of actor names, the
 * scale's words, --detail levels, the At a glance table, round records under their own model's heading. */
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
#include "report/report_internal.h"

static void names_of_groups_read_as_plural(void **state)
{
    (void)state;
    static const char *const plural[] = {"Russian hard-liners", "Ukrainian hard-liners", "EU and continental European allies",
                                         "France & Germany", "NGOs", "Democrats", "Republicans", "Islamists", "Allies",
                                         "Israelis", "Houthis", "farmers", "trade unions"};
    for (size_t i = 0; i < sizeof plural / sizeof *plural; i++)
        if (!report_name_plural(plural[i])) fail_msg("\"%s\" should read as plural", plural[i]);
}

static void names_of_one_party_read_as_singular(void **state)
{
    (void)state;
    static const char *const singular[] = {"US Congress", "US administration", "Government of Ukraine", "United States",
                                           "United Nations", "United Kingdom", "Saudi Arabia", "China", "OPEC", "BRICS",
                                           "Willems", "Sanders", "Honduras", "Hamas", "Cyprus", "Netherlands", "Philippines",
                                           "Ministry of Trade and Industry", "Lloyd's", "Paris", "news", "", "s"};
    for (size_t i = 0; i < sizeof singular / sizeof *singular; i++)
        if (report_name_plural(singular[i])) fail_msg("\"%s\" should read as singular", singular[i]);
    assert_false(report_name_plural(NULL));
}

static void verbs_agree_with_the_name(void **state)
{
    (void)state;
    assert_string_equal(report_verb("Russian hard-liners", "presses", "press"), "press");
    assert_string_equal(report_verb("US Congress", "presses", "press"), "presses");
    assert_string_equal(report_verb("EU and continental European allies", "accepts", "accept"), "accept");
    assert_string_equal(report_verb("Government of Ukraine", "expects", "expect"), "expects");
}

static void possessives_of_names_in_s(void **state)
{
    (void)state;
    static const char *const cases[][2] = {{"Russian hard-liners", "Russian hard-liners'"},
                                           {"US Congress", "US Congress's"},
                                           {"China", "China's"},
                                           {"NGOs", "NGOs'"},
                                           {"Honduras", "Honduras's"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pu_buf b = {0};
        report_possessive(&b, cases[i][0]);
        assert_non_null(b.data);
        assert_string_equal(b.data, cases[i][1]);
        pu_buf_free(&b);
    }
}

static void detail_levels_parse_and_a_bad_one_says_what_is_expected(void **state)
{
    (void)state;
    parley_detail d = PARLEY_DETAIL_FULL;
    assert_int_equal(parley_detail_parse("summary", &d, NULL), PARLEY_OK);
    assert_int_equal(d, PARLEY_DETAIL_SUMMARY);
    assert_int_equal(parley_detail_parse("normal", &d, NULL), PARLEY_OK);
    assert_int_equal(d, PARLEY_DETAIL_NORMAL);
    assert_int_equal(parley_detail_parse("full", &d, NULL), PARLEY_OK);
    assert_int_equal(d, PARLEY_DETAIL_FULL);
    assert_string_equal(parley_detail_name(PARLEY_DETAIL_SUMMARY), "summary");
    parley_error *err = parley_error_new();
    assert_int_equal(parley_detail_parse("Full", &d, err), PARLEY_E_USAGE);
    char line[256];
    parley_diag_format(parley_error_at(err, 0), line, sizeof line);
    assert_non_null(strstr(line, "--detail"));
    assert_non_null(strstr(line, "expected summary, normal or full, found \"Full\""));
    parley_error_free(err);
}

/* Three actors on two issues [0, 100], labelled "none" and "all" on the first only; actor c takes no
 * part in the second. */
static parley_scenario *small(void)
{
    parley_scenario *s = parley_scenario_new();
    size_t p, q, a;
    assert_int_equal(parley_scenario_add_issue(s, "p", "First", 0, 100, &p), PARLEY_OK);
    assert_int_equal(parley_scenario_add_issue(s, "q", "Second", 0, 100, &q), PARLEY_OK);
    assert_int_equal(parley_scenario_set_issue_text(s, p, PARLEY_TEXT_LOW_LABEL, "none"), PARLEY_OK);
    assert_int_equal(parley_scenario_set_issue_text(s, p, PARLEY_TEXT_HIGH_LABEL, "all"), PARLEY_OK);
    static const char *const ids[] = {"a", "b", "c", "d"};
    static const char *const names[] = {"Hawks", "Doves", "Middle", "Broker"};
    static const double pos[][2] = {{10, 80}, {90, 20}, {60, NAN}, {40, 50}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(parley_scenario_add_actor(s, ids[i], names[i], 1 + i, &a), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, p, pos[i][0], 0.5, NAN), PARLEY_OK);
        if (!isnan(pos[i][1])) assert_int_equal(parley_scenario_set_stance(s, a, q, pos[i][1], 0.5, NAN), PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

static void the_scale_words_say_which_end_a_value_leans_to(void **state)
{
    (void)state;
    parley_scenario *s = small();
    report_cleaner cn = {0};
    static const struct {
        size_t k;
        double v;
        const char *words;
    } cases[] = {{0, 30, "toward 'none'"},        {0, 0, "at 'none'"},
                 {0, 70, "toward 'all'"},         {0, 100, "at 'all'"},
                 {0, 50, "midway between 'none' and 'all'"},
                 {1, 30, "toward the low end (0)"}, {1, 100, "at the high end (100)"},
                 {0, 45.5, "leans toward 'none'"}, {0, 55.5, "leans toward 'all'"}, {0, 39.9, "toward 'none'"},
                 {1, 50, "midway between 0 and 100"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pu_buf b = {0};
        report_lean(&b, &cn, s, cases[i].k, cases[i].v);
        assert_non_null(b.data);
        assert_string_equal(b.data, cases[i].words);
        pu_buf_free(&b);
    }
    report_cleaner_free(&cn);
    parley_scenario_free(s);
}

static char *text_of(const parley_scenario *s, const parley_result *r, parley_detail d)
{
    parley_report_options o = {d};
    char *t = parley_report_with(s, r, "text", &o, NULL);
    assert_non_null(t);
    return t;
}

static void the_glance_table_leads_with_the_headline_and_its_interval(void **state)
{
    (void)state;
    parley_scenario *s = small();
    parley_result *r = run_spec(s, "ensemble,compromise,median,nash", 1);
    size_t h = parley_result_headline(r);
    assert_int_not_equal(h, SIZE_MAX);
    char *t = text_of(s, r, PARLEY_DETAIL_SUMMARY);
    const char *glance = strstr(t, "At a glance: the ensemble forecast");
    assert_non_null(glance);
    /* The glance table comes before any issue block, and summary has no issue block at all. */
    assert_null(strstr(t, "\n1. First  [p]"));
    double lo, hi;
    parley_result_interval(r, h, 0, 0.8, &lo, &hi);
    char want[128], a[40], b[40];
    report_fmt(a, sizeof a, lo), report_fmt(b, sizeof b, hi);
    snprintf(want, sizeof want, "%s to %s", a, b);
    assert_non_null(strstr(glance, want));
    free(t);
    t = text_of(s, r, PARLEY_DETAIL_NORMAL);
    glance = strstr(t, "At a glance");
    const char *block = strstr(t, "\n1. First  [p]");
    assert_non_null(glance);
    assert_non_null(block);
    assert_true(glance < block);
    free(t);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void without_a_distribution_the_glance_table_says_so(void **state)
{
    (void)state;
    parley_scenario *s = small();
    parley_result *r = run_spec(s, "compromise,median", 1);
    char *t = text_of(s, r, PARLEY_DETAIL_SUMMARY);
    assert_non_null(strstr(t, "no model run here gives a predictive distribution"));
    assert_non_null(strstr(t, "forecast (compromise) with no interval"));
    free(t);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* Every "round N:" line sits under a "Round by round (MODEL" heading of its own run, the exchange model's
 * lines give its voting outcome, and normal detail says where it cuts. */
static void rounds_sit_under_their_own_models_heading(void **state)
{
    (void)state;
    parley_scenario *s = small();
    parley_result *r = run_spec(s, "bdm,rounds=8,stop=fixed,exchange,rounds=8", 1);
    char *t = text_of(s, r, PARLEY_DETAIL_NORMAL);
    const char *heading = NULL;
    for (const char *p = t; (p = strstr(p, "     round ")); p++) {
        const char *h = t, *last = NULL;
        while ((h = strstr(h, "   Round by round (")) && h < p) last = h++;
        if (!last) fail_msg("a round line before any heading: %.40s", p);
        heading = last;
        bool exchange = !strncmp(heading, "   Round by round (exchange", 27);
        const char *eol = strchr(p, '\n');
        const char *vo = strstr(p, "voting outcome");
        if (exchange != (vo && vo < eol)) fail_msg("a round line of the wrong kind: %.*s", (int)(eol - p), p);
    }
    assert_non_null(heading);
    assert_non_null(strstr(t, "rounds 1-6 of 8 shown; --detail full for all"));
    free(t);
    t = text_of(s, r, PARLEY_DETAIL_FULL);
    assert_null(strstr(t, "--detail full for all"));
    assert_non_null(strstr(t, "     round 8: "));
    assert_non_null(strstr(t, "Pressure map (bdm"));
    free(t);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* smp on an issue where an actor has no stance: no challenge names that actor there, and the joint
 * position's note is told once. */
static void smp_presses_no_one_without_a_stance(void **state)
{
    (void)state;
    parley_scenario *s = small();
    parley_result *r = run_spec(s, "smp", 1);
    parley_challenge c;
    size_t on_q = 0;
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
        on_q += c.issue == 1;
        if (c.issue == 1 && (c.from == 2 || c.to == 2)) fail_msg("smp records pressure on q involving c, who has no stance");
    }
    assert_true(on_q > 0); /* the others do press one another there */
    const char *n0 = NULL, *n1 = NULL;
    for (size_t i = 0; i < parley_result_forecast_count(r); i++) {
        size_t run, issue;
        const char *note;
        parley_result_forecast(r, i, &run, &issue, NULL, &note);
        if (issue == 0) n0 = note;
        else n1 = note;
    }
    assert_non_null(n0);
    assert_non_null(n1);
    assert_non_null(strstr(n0, "the most probable of"));
    assert_string_equal(n1, "part of the same joint final position as p");
    parley_result_free(r);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_of_groups_read_as_plural),
        cmocka_unit_test(names_of_one_party_read_as_singular),
        cmocka_unit_test(verbs_agree_with_the_name),
        cmocka_unit_test(possessives_of_names_in_s),
        cmocka_unit_test(detail_levels_parse_and_a_bad_one_says_what_is_expected),
        cmocka_unit_test(the_scale_words_say_which_end_a_value_leans_to),
        cmocka_unit_test(the_glance_table_leads_with_the_headline_and_its_interval),
        cmocka_unit_test(without_a_distribution_the_glance_table_says_so),
        cmocka_unit_test(rounds_sit_under_their_own_models_heading),
        cmocka_unit_test(smp_presses_no_one_without_a_stance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
