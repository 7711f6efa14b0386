/* test_readers.c - every format reader, the reading rules, round trips and bad input. */
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

#define DATA PARLEY_TEST_DATA

/* Reads path (relative to the test data) and returns the status; *out and err as parley_read_file. */
static parley_status read_data(const char *rel, const char *format, const char *scale, parley_scenario **out,
                               parley_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DATA, rel);
    parley_read_options o = {format, scale};
    return parley_read_file(path, &o, out, err);
}

/* Returns true when some diagnostic of the given severity contains every one of the texts. */
static bool has_diag(const parley_error *err, parley_severity sev, int line, const char *a, const char *b)
{
    char buf[1024];
    for (size_t i = 0; i < parley_error_count(err); i++) {
        const parley_diag *d = parley_error_at(err, i);
        if (d->severity != sev || (line && d->line != line)) continue;
        parley_diag_format(d, buf, sizeof buf);
        if (strstr(buf, a) && (!b || strstr(buf, b))) return true;
    }
    return false;
}

static size_t count_stances(const parley_scenario *s)
{
    size_t n = 0;
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++)
        for (size_t a = 0; a < parley_scenario_actor_count(s); a++) n += parley_stance(s, a, k, NULL, NULL, NULL);
    return n;
}

static void every_reference_input_reads(void **state)
{
    (void)state;
    static const struct {
        const char *file, *format;
        size_t actors, issues, stances;
    } cases[] = {
        {"bdm/emission_1994.csv", "bdm", 10, 1, 10},    {"bdm/greece_2015.csv", "bdm", 11, 1, 11},
        {"bdm/iran_election_2013.csv", "bdm", 8, 1, 8}, {"bdm/sultan.csv", "bdm", 17, 1, 17},
        {"bdm/kyoto.csv", "bdm", 13, 1, 13},            {"bdm/ww1.csv", "bdm", 10, 1, 10},
        {"bdm/argentina.csv", "bdm", 17, 1, 17},        {"bdm/china_1989.csv", "bdm", 24, 1, 24},
        {"bdm/coldwar_1948.csv", "bdm", 36, 1, 36},     {"bdm/honduras.csv", "bdm", 5, 1, 5},
        {"bdm/iran_1984.csv", "bdm", 27, 1, 27},        {"bdm/israel_hamas.csv", "bdm", 15, 1, 15},
        {"bdm/ukraine.csv", "bdm", 13, 1, 13},          {"bdm/litigation.csv", "bdm", 46, 1, 46},
        {"bdm/oil_preana.csv", "bdm", 17, 1, 17},
        {"exchange/sample_data.txt", "decide", 10, 6, 60}, {"exchange/copenhagen.csv", "decide", 11, 7, 75},
        {"exchange/cop21.csv", "decide", 15, 13, 181},
        {"ktab/dummyData_3Dim.csv", "ktab", 7, 3, 21},  {"ktab/SOE-Pol-Comp.csv", "ktab", 13, 2, 26},
        {"ktab/SOE-Policy.csv", "ktab", 26, 1, 26},     {"ktab/SOE-Competitive.csv", "ktab", 34, 1, 34},
        {"ktab/dummyData_6Dim.csv", "ktab", 27, 6, 162},
        {"deu3/deu3-dev.tsv", "deu", 30, 241, 4688},    {"deu3/deu3-test.tsv", "deu", 30, 123, 2467},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        parley_error *err = parley_error_new();
        parley_scenario *s = NULL;
        parley_status st = read_data(cases[i].file, NULL, NULL, &s, err);
        if (st != PARLEY_OK) fail_msg("%s: status %d", cases[i].file, st);
        assert_string_equal(parley_scenario_format(s), cases[i].format);
        assert_int_equal(parley_scenario_actor_count(s), cases[i].actors);
        assert_int_equal(parley_scenario_issue_count(s), cases[i].issues);
        assert_int_equal(count_stances(s), cases[i].stances);
        assert_non_null(parley_scenario_sha256(s));
        parley_scenario_free(s);
        parley_error_free(err);
    }
}

static void bdm_table_takes_observed_scale_and_file_name(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("bdm/emission_1994.csv", NULL, NULL, &s, err), PARLEY_OK);
    assert_string_equal(parley_issue_id(s, 0), "emission_1994");
    assert_true(parley_issue_number(s, 0, PARLEY_ISSUE_LOW) == 4);
    assert_true(parley_issue_number(s, 0, PARLEY_ISSUE_HIGH) == 10);
    assert_true(has_diag(err, PARLEY_SEVERITY_NOTE, 0, "fractions", "none exceeds 1"));
    size_t de;
    assert_true(parley_scenario_find_actor(s, "Germany", &de));
    double pos, sal, cap;
    assert_true(parley_stance(s, de, 0, &pos, &sal, &cap));
    assert_true(pos == 4 && sal == 0.8 && cap == 0.16);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void decide_scale_comes_from_scale_points_or_defaults(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("exchange/sample_data.txt", NULL, NULL, &s, err), PARLEY_OK);
    size_t k;
    assert_true(parley_scenario_find_issue(s, "tol-hoogte", &k));
    assert_true(parley_issue_number(s, k, PARLEY_ISSUE_LOW) == 0.5);
    assert_true(parley_issue_number(s, k, PARLEY_ISSUE_HIGH) == 7);
    parley_scenario_free(s);
    s = NULL;
    assert_int_equal(read_data("exchange/copenhagen.csv", NULL, NULL, &s, err), PARLEY_OK);
    assert_string_equal(parley_scenario_text(s, PARLEY_TEXT_NAME), "copenhagen"); /* no #O row: the file's name */
    assert_true(parley_issue_number(s, 0, PARLEY_ISSUE_HIGH) == 100);
    /* Per-issue power differs from the actor's usual one only where the file says so. */
    size_t usa;
    assert_true(parley_scenario_find_actor(s, "USA", &usa));
    assert_true(parley_actor_capability(s, usa) == 0.26);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void ktab_declares_percent_saliences(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("ktab/dummyData_3Dim.csv", NULL, NULL, &s, err), PARLEY_OK);
    assert_true(has_diag(err, PARLEY_SEVERITY_NOTE, 0, "percentages", "as the format declares"));
    assert_string_equal(parley_issue_id(s, 0), "Pstn1");
    double pos, sal, cap;
    assert_true(parley_stance(s, 0, 0, &pos, &sal, &cap));
    assert_true(pos == 75.79 && fabs(sal - 0.4953) < 1e-12 && cap == 102.543);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void deu_takes_part_only_with_position_and_salience(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("deu3/deu3-dev.tsv", NULL, NULL, &s, err), PARLEY_OK);
    assert_true(parley_scenario_is_batch(s));
    size_t with_out = 0, with_rp = 0;
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        with_out += !isnan(parley_issue_number(s, k, PARLEY_ISSUE_OUTCOME));
        with_rp += !isnan(parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE));
    }
    assert_int_equal(with_out, 237);
    assert_int_equal(with_rp, 176);
    size_t k, com;
    assert_true(parley_scenario_find_issue(s, "d00032i1", &k));
    assert_true(parley_scenario_find_actor(s, "com", &com));
    assert_string_equal(parley_actor_text(s, com, PARLEY_TEXT_NAME), "European Commission");
    double pos, sal;
    assert_true(parley_stance(s, com, k, &pos, &sal, NULL));
    assert_true(pos == 100 && sal == 0.5);
    assert_string_equal(parley_issue_text(s, k, PARLEY_TEXT_DATE), "2000-01-26");
    parley_scenario_free(s);
    parley_error_free(err);
}

static void reader_reports_every_fault_of_the_broken_copenhagen_file(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("exchange/copenhagen_with_errors.csv", NULL, NULL, &s, err), PARLEY_E_INVALID);
    assert_null(s);
    assert_int_equal(parley_error_errors(err), 2);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 86, "position", "found 160"));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 87, "capability", "found -0.247"));
    parley_error_free(err);
}

static void json_round_trips_without_loss(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/../../examples/jeddah-2025.json", DATA);
    assert_int_equal(parley_read_file(path, NULL, &s, err), PARLEY_OK);
    char *once = parley_scenario_serialize(s, "json", err);
    assert_non_null(once);
    parley_scenario *again = NULL;
    assert_int_equal(parley_read_buffer(once, strlen(once), path, NULL, &again, err), PARLEY_OK);
    char *twice = parley_scenario_serialize(again, "json", err);
    assert_string_equal(once, twice);
    /* Every number of the flagship carries its reason, and the reasons survive. */
    size_t whys = 0;
    for (const char *p = once; (p = strstr(p, "\"why\"")); p++) whys++;
    assert_true(whys >= 2 * count_stances(s) + parley_scenario_actor_count(s));
    free(once), free(twice);
    parley_scenario_free(again);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void csv_round_trips_values(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL, *t = NULL;
    assert_int_equal(read_data("exchange/copenhagen.csv", NULL, NULL, &s, err), PARLEY_OK);
    char *csv = parley_scenario_serialize(s, "csv", err);
    assert_non_null(csv);
    assert_int_equal(parley_read_buffer(csv, strlen(csv), "copenhagen.csv", NULL, &t, err), PARLEY_OK);
    assert_string_equal(parley_scenario_format(t), "csv");
    assert_int_equal(parley_scenario_actor_count(t), parley_scenario_actor_count(s));
    assert_int_equal(parley_scenario_issue_count(t), parley_scenario_issue_count(s));
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++)
        for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
            double p1, s1, c1, p2, s2, c2;
            bool in1 = parley_stance(s, a, k, &p1, &s1, &c1), in2 = parley_stance(t, a, k, &p2, &s2, &c2);
            assert_int_equal(in1, in2);
            if (in1) assert_true(p1 == p2 && s1 == s2 && c1 == c2);
        }
    free(csv);
    parley_scenario_free(s);
    parley_scenario_free(t);
    parley_error_free(err);
}

static void csv_accepts_bom_tabs_quotes_semicolons_and_decimal_commas(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("bad/bom_tab_ok.csv", NULL, NULL, &s, err), PARLEY_OK);
    size_t ab;
    assert_true(parley_scenario_find_actor(s, "A, B", &ab));
    assert_true(parley_issue_number(s, 0, PARLEY_ISSUE_LOW) == 3);
    parley_scenario_free(s);
    s = NULL;
    assert_int_equal(read_data("bad/decimal_comma_ok.csv", NULL, NULL, &s, err), PARLEY_OK);
    double pos, sal;
    assert_true(parley_stance(s, 0, 0, &pos, &sal, NULL));
    assert_true(pos == 0.5 && sal == 0.4);
    assert_string_equal(parley_actor_id(s, 0), "Saudi; Arabia");
    assert_true(has_diag(err, PARLEY_SEVERITY_NOTE, 0, "percentages", "some exceed 1"));
    parley_scenario_free(s);
    parley_error_free(err);
}

static void unknown_keys_and_ids_get_hints(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("bad/unknown_key.json", NULL, NULL, &s, err), PARLEY_E_SYNTAX);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 4, "unknown key \"capabilty\"", "did you mean \"capability\""));
    parley_error_clear(err);
    assert_int_equal(read_data("bad/unknown_actor.json", NULL, NULL, &s, err), PARLEY_E_INVALID);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 6, "unknown actor \"rusia\"", "did you mean \"russia\""));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 7, "unknown issue \"cease-fire\"", "did you mean \"ceasefire\""));
    assert_null(s);
    parley_error_free(err);
}

static void invalid_values_are_each_reported(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("bad/values.json", NULL, NULL, &s, err), PARLEY_E_INVALID);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 2, "reference", "found 120"));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 3, "capability >= 0", "found -1"));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 3, "duplicate actor id \"b\"", NULL));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 5, "position on the scale [0, 100]", "found 101"));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 6, "salience in [0, 1]", "found -0.2"));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 7, "second stance", NULL));
    parley_error_clear(err);
    assert_int_equal(read_data("bad/overflow.json", NULL, NULL, &s, err), PARLEY_E_SYNTAX);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 3, "invalid JSON", NULL));
    parley_error_clear(err);
    assert_int_equal(read_data("bad/numbers.csv", NULL, NULL, &s, err), PARLEY_E_SYNTAX);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 2, "position: expected a number", "\"nan\""));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 3, "position: expected a number", "\"inf\""));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 4, "salience in [0, 1]", "found 1.5"));
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 5, "salience in [0, 1]", "found -0.05"));
    parley_error_free(err);
}

static void empty_huge_and_binary_inputs_are_rejected(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("bad/empty.json", NULL, NULL, &s, err), PARLEY_E_SYNTAX);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 0, "empty file", NULL));
    parley_error_clear(err);
    size_t n = PARLEY_MAX_FILE_BYTES + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    assert_int_equal(parley_read_buffer(big, n, "big.json", NULL, &s, err), PARLEY_E_LIMIT);
    free(big);
    parley_error_clear(err);
    const char junk[] = "\x7f" "ELF\x01\x02\x00\x00garbage";
    assert_int_equal(parley_read_buffer(junk, sizeof junk - 1, "junk", NULL, &s, err), PARLEY_E_SYNTAX);
    parley_error_clear(err);
    assert_int_equal(read_data("bad/latin1.csv", NULL, NULL, &s, err), PARLEY_E_SYNTAX);
    assert_true(has_diag(err, PARLEY_SEVERITY_ERROR, 2, "expected UTF-8 text", "0xfc"));
    parley_error_clear(err);
    assert_int_equal(read_data("no/such/file.json", NULL, NULL, &s, err), PARLEY_E_USAGE); /* the caller's error: exit 2 */
    parley_error_clear(err);
    assert_int_equal(read_data("bdm/kyoto.csv", "xml", NULL, &s, err), PARLEY_E_USAGE);
    parley_error_clear(err);
    assert_int_equal(read_data("bdm/kyoto.csv", NULL, "percentage", &s, err), PARLEY_E_USAGE);
    assert_null(s);
    parley_error_free(err);
}

static void salience_scale_can_be_forced(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_data("bdm/kyoto.csv", NULL, "percent", &s, err), PARLEY_OK);
    double sal;
    assert_true(parley_stance(s, 0, 0, NULL, &sal, NULL));
    assert_true(fabs(sal - 0.005) < 1e-15);
    assert_true(has_diag(err, PARLEY_SEVERITY_NOTE, 0, "percentages", "as asked"));
    parley_scenario_free(s);
    parley_error_free(err);
}

static void sniffing_recognises_each_format(void **state)
{
    (void)state;
    assert_string_equal(parley_sniff("  {\"a\":1}", 9), "json");
    const char *csv = "actor,issue,position,salience\n";
    assert_string_equal(parley_sniff(csv, strlen(csv)), "csv");
    const char *bdm = "Actor,Capability,Position,Salience\n";
    assert_string_equal(parley_sniff(bdm, strlen(bdm)), "bdm");
    const char *dec = "#/ comment\n#A\tx\tx\n";
    assert_string_equal(parley_sniff(dec, strlen(dec)), "decide");
    const char *kt = "Name,Desc,3,1\nActor,Description,Power,P,S\n";
    assert_string_equal(parley_sniff(kt, strlen(kt)), "ktab");
    const char *deu = "prnrnmc\tisnrnmc\tpcom\tscom\tout\n";
    assert_string_equal(parley_sniff(deu, strlen(deu)), "deu");
    assert_null(parley_sniff("hello world\n", 12));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_reference_input_reads),
        cmocka_unit_test(bdm_table_takes_observed_scale_and_file_name),
        cmocka_unit_test(decide_scale_comes_from_scale_points_or_defaults),
        cmocka_unit_test(ktab_declares_percent_saliences),
        cmocka_unit_test(deu_takes_part_only_with_position_and_salience),
        cmocka_unit_test(reader_reports_every_fault_of_the_broken_copenhagen_file),
        cmocka_unit_test(json_round_trips_without_loss),
        cmocka_unit_test(csv_round_trips_values),
        cmocka_unit_test(csv_accepts_bom_tabs_quotes_semicolons_and_decimal_commas),
        cmocka_unit_test(unknown_keys_and_ids_get_hints),
        cmocka_unit_test(invalid_values_are_each_reported),
        cmocka_unit_test(empty_huge_and_binary_inputs_are_rejected),
        cmocka_unit_test(salience_scale_can_be_forced),
        cmocka_unit_test(sniffing_recognises_each_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
