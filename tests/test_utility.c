/* test_utility.c - preferences over whole agreements: GENIUS XML input matched to the reference utilities,
 * option issues, reservation values and strategies in the JSON format, and the models that refuse them. */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

static const char *const domains[] = {"laptop", "england_zimbabwe", "coffee", "flightbooking_a",
                                      "car", "politics", "new_sporthal", "fuzzyagent_real"};
#define N_DOMAINS (sizeof domains / sizeof *domains)

static json_t *load_expected(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/genius/expected/%s.json", PARLEY_TEST_DATA, name);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j) fail_msg("cannot read %s: %s", path, e.text);
    return j;
}

/* Reads the GENIUS negotiation of domain name as the reference lists its files (domain first). */
static parley_scenario *read_genius(const char *name, const json_t *exp)
{
    const json_t *files = json_object_get(exp, "files");
    const json_t *profiles = json_object_get(files, "profiles");
    size_t n = json_array_size(profiles);
    char **paths = calloc(n + 1, sizeof *paths);
    assert_non_null(paths);
    for (size_t i = 0; i <= n; i++) {
        const char *f = json_string_value(i == 0 ? json_object_get(files, "domain") : json_array_get(profiles, i - 1));
        paths[i] = malloc(512);
        snprintf(paths[i], 512, "%s/genius/%s/%s", PARLEY_TEST_DATA, name, f);
    }
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    parley_status st = parley_read_files((const char *const *)paths, n + 1, NULL, 0, &s, err);
    if (st != PARLEY_OK) {
        char buf[512];
        parley_diag_format(parley_error_at(err, 0), buf, sizeof buf);
        fail_msg("%s: %s", name, buf);
    }
    for (size_t i = 0; i <= n; i++) free(paths[i]);
    free(paths);
    parley_error_free(err);
    return s;
}

/* Turns a reference outcome (strings for discrete values, numbers otherwise) into parley's (option indices). */
static void outcome_of(const parley_scenario *s, const json_t *o, double *x)
{
    assert_int_equal(json_array_size(o), parley_scenario_issue_count(s));
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        const json_t *v = json_array_get(o, k);
        if (json_is_string(v)) {
            size_t j;
            assert_true(parley_issue_find_option(s, k, json_string_value(v), &j));
            x[k] = (double)j;
        } else {
            x[k] = json_number_value(v);
        }
    }
}

/* Checks every party's utility of one reference entry {outcome, utilities}; returns 1. */
static size_t check_entry(const parley_scenario *s, const json_t *e, double *x, const char *name)
{
    outcome_of(s, json_object_get(e, "outcome"), x);
    const json_t *u = json_object_get(e, "utilities");
    assert_int_equal(json_array_size(u), parley_scenario_actor_count(s));
    for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
        double want = json_number_value(json_array_get(u, a)), got = parley_utility(s, a, x, PARLEY_UTILITY_LINEAR);
        if (fabs(got - want) > 1e-9) fail_msg("%s: actor %zu: utility %.17g, reference %.17g", name, a, got, want);
    }
    return 1;
}

static void genius_utilities_equal_the_reference_to_1e_9(void **state)
{
    (void)state;
    for (size_t d = 0; d < N_DOMAINS; d++) {
        json_t *exp = load_expected(domains[d]);
        parley_scenario *s = read_genius(domains[d], exp);
        double *x = calloc(parley_scenario_issue_count(s), sizeof *x);
        size_t checked = 0, i;
        json_t *e;
        json_array_foreach(json_object_get(exp, "sample_utilities"), i, e) checked += check_entry(s, e, x, domains[d]);
        json_array_foreach(json_object_get(exp, "pareto_frontier_all"), i, e) checked += check_entry(s, e, x, domains[d]);
        /* The extremes: each party's best and worst utility, at the first outcome reaching it. */
        json_array_foreach(json_object_get(exp, "utility_extremes"), i, e) {
            outcome_of(s, json_object_get(e, "argmax_first"), x);
            assert_true(fabs(parley_utility(s, i, x, PARLEY_UTILITY_LINEAR) - json_number_value(json_object_get(e, "max"))) <= 1e-9);
            outcome_of(s, json_object_get(e, "argmin_first"), x);
            assert_true(fabs(parley_utility(s, i, x, PARLEY_UTILITY_LINEAR) - json_number_value(json_object_get(e, "min"))) <= 1e-9);
            checked += 2;
        }
        assert_true(checked > 10);
        /* The tables of weighted evaluations add up to the same utilities. */
        json_array_foreach(json_object_get(exp, "sample_utilities"), i, e) {
            outcome_of(s, json_object_get(e, "outcome"), x);
            for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
                double u = 0, cell;
                for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
                    parley_weighted_evaluations(s, a, k, &x[k], 1, PARLEY_UTILITY_LINEAR, &cell);
                    u += cell;
                }
                assert_true(fabs(u - json_number_value(json_array_get(json_object_get(e, "utilities"), a))) <= 1e-9);
            }
        }
        /* Reservation values as used (0 when the file has none), weights as written, discount factors. */
        json_array_foreach(json_object_get(exp, "profiles"), i, e) {
            assert_true(fabs(parley_reservation(s, i, PARLEY_UTILITY_LINEAR) -
                             json_number_value(json_object_get(e, "reservation_used"))) <= 1e-15);
            assert_int_equal(parley_reservation_given(s, i), !json_is_null(json_object_get(e, "reservation_in_file")));
            assert_true(fabs(parley_actor_discount(s, i) - json_number_value(json_object_get(e, "discount_factor"))) <= 1e-15);
            double sum = 0;
            for (size_t k = 0; k < parley_scenario_issue_count(s); k++) sum += parley_weight(s, i, k);
            assert_true(fabs(sum - json_number_value(json_object_get(e, "weight_sum"))) <= 1e-12);
        }
        free(x);
        parley_scenario_free(s);
        json_decref(exp);
    }
}

static void genius_issues_keep_their_names_kinds_and_values(void **state)
{
    (void)state;
    for (size_t d = 0; d < N_DOMAINS; d++) {
        json_t *exp = load_expected(domains[d]);
        parley_scenario *s = read_genius(domains[d], exp);
        const json_t *issues = json_object_get(exp, "issues");
        assert_int_equal(parley_scenario_issue_count(s), json_array_size(issues));
        size_t k;
        json_t *is;
        json_array_foreach(issues, k, is) {
            const char *name = json_string_value(json_object_get(is, "name")), *type = json_string_value(json_object_get(is, "type"));
            assert_string_equal(parley_issue_id(s, k), name);
            assert_string_equal(parley_issue_text(s, k, PARLEY_TEXT_NAME), name);
            if (!strcmp(type, "discrete")) {
                assert_int_equal(parley_issue_kind_of(s, k), PARLEY_ISSUE_OPTIONS);
                const json_t *values = json_object_get(is, "values");
                assert_int_equal(parley_issue_option_count(s, k), json_array_size(values));
                for (size_t j = 0; j < json_array_size(values); j++)
                    assert_string_equal(parley_issue_option(s, k, j), json_string_value(json_array_get(values, j)));
            } else {
                assert_int_equal(parley_issue_kind_of(s, k), !strcmp(type, "integer") ? PARLEY_ISSUE_INTEGER : PARLEY_ISSUE_SCALE);
                assert_true(parley_issue_number(s, k, PARLEY_ISSUE_LOW) == json_number_value(json_object_get(is, "lower")));
                assert_true(parley_issue_number(s, k, PARLEY_ISSUE_HIGH) == json_number_value(json_object_get(is, "upper")));
                if (!strcmp(type, "real"))
                    assert_int_equal(parley_issue_grid(s, k), json_integer_value(json_object_get(exp, "real_issue_grid")));
            }
        }
        parley_scenario_free(s);
        json_decref(exp);
    }
}

static void a_genius_folder_reads_as_its_files_named_in_order(void **state)
{
    (void)state;
    json_t *exp = load_expected("politics");
    parley_scenario *named = read_genius("politics", exp);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/genius/politics", PARLEY_TEST_DATA);
    const char *paths[] = {dir};
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_files(paths, 1, NULL, 0, &s, err), PARLEY_OK);
    assert_int_equal(parley_scenario_actor_count(s), 3);
    assert_string_equal(parley_actor_id(s, 0), "Politics_util1");
    assert_string_equal(parley_actor_id(s, 2), "Politics_util3");
    assert_string_equal(parley_scenario_format(s), "genius");
    char *a = parley_scenario_serialize(s, "json", err), *b = parley_scenario_serialize(named, "json", err);
    assert_non_null(a);
    /* The same negotiation, whether named file by file or as its folder (sources name the paths). */
    assert_int_equal(strlen(a) > 1000, true);
    parley_scenario *ra = NULL, *rb = NULL;
    assert_int_equal(parley_read_buffer(a, strlen(a), "a.json", NULL, &ra, err), PARLEY_OK);
    assert_int_equal(parley_read_buffer(b, strlen(b), "b.json", NULL, &rb, err), PARLEY_OK);
    double x[8];
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(exp, "sample_utilities"), i, e) {
        outcome_of(s, json_object_get(e, "outcome"), x);
        for (size_t act = 0; act < 3; act++) {
            double want = json_number_value(json_array_get(json_object_get(e, "utilities"), act));
            assert_true(fabs(parley_utility(ra, act, x, PARLEY_UTILITY_LINEAR) - want) <= 1e-9);
            assert_true(fabs(parley_utility(rb, act, x, PARLEY_UTILITY_LINEAR) - want) <= 1e-9);
        }
    }
    free(a), free(b);
    parley_scenario_free(ra), parley_scenario_free(rb);
    parley_scenario_free(s), parley_scenario_free(named);
    parley_error_free(err);
    json_decref(exp);
}

static void a_genius_negotiation_round_trips_through_json_to_the_same_bytes_and_utilities(void **state)
{
    (void)state;
    for (size_t d = 0; d < N_DOMAINS; d++) {
        json_t *exp = load_expected(domains[d]);
        parley_scenario *s = read_genius(domains[d], exp);
        parley_error *err = parley_error_new();
        char *j1 = parley_scenario_serialize(s, "json", err);
        parley_scenario *r = NULL;
        assert_int_equal(parley_read_buffer(j1, strlen(j1), "rt.json", NULL, &r, err), PARLEY_OK);
        char *j2 = parley_scenario_serialize(r, "json", err);
        assert_string_equal(j1, j2);
        double *x = calloc(parley_scenario_issue_count(s), sizeof *x);
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(exp, "sample_utilities"), i, e) {
            outcome_of(s, json_object_get(e, "outcome"), x);
            for (size_t a = 0; a < parley_scenario_actor_count(s); a++)
                assert_true(parley_utility(s, a, x, PARLEY_UTILITY_LINEAR) == parley_utility(r, a, x, PARLEY_UTILITY_LINEAR));
        }
        for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
            assert_true(parley_reservation(s, a, PARLEY_UTILITY_LINEAR) == parley_reservation(r, a, PARLEY_UTILITY_LINEAR));
            assert_true(parley_actor_discount(s, a) == parley_actor_discount(r, a));
        }
        free(x), free(j1), free(j2);
        parley_scenario_free(r), parley_scenario_free(s);
        parley_error_free(err);
        json_decref(exp);
    }
}

static const char option_json[] =
    "{\"name\": \"dinner\",\n"
    " \"issues\": [\n"
    "  {\"id\": \"food\", \"label\": \"Food\", \"options\": [\"fish\", \"meat\", \"veg\"], \"reference\": \"meat\"},\n"
    "  {\"id\": \"budget\", \"low\": 0, \"high\": 100, \"reference\": 50, \"type\": \"integer\"},\n"
    "  {\"id\": \"time\", \"low\": 18, \"high\": 22, \"reference\": 20, \"grid\": 9}\n"
    " ],\n"
    " \"actors\": [\n"
    "  {\"id\": \"ann\", \"reservation\": {\"value\": 0.3, \"why\": \"can eat at home\"}, \"strategy\": \"boulware\"},\n"
    "  {\"id\": \"bob\", \"discount\": 0.9, \"weights\": \"as written\"}\n"
    " ],\n"
    " \"stances\": [\n"
    "  {\"actor\": \"ann\", \"issue\": \"food\", \"salience\": 0.6, \"evaluations\": {\"fish\": 1, \"veg\": 0.4}},\n"
    "  {\"actor\": \"ann\", \"issue\": \"budget\", \"position\": 20, \"salience\": 0.2},\n"
    "  {\"actor\": \"ann\", \"issue\": \"time\", \"position\": 19, \"salience\": 0.2},\n"
    "  {\"actor\": \"bob\", \"issue\": \"food\", \"salience\": 0.5, \"evaluations\": {\"meat\": 1, \"fish\": 0.5, \"veg\": 0}},\n"
    "  {\"actor\": \"bob\", \"issue\": \"budget\", \"position\": 80, \"salience\": 0.25,\n"
    "   \"evaluator\": {\"slope\": 0.01, \"offset\": 0.1, \"origin\": 10}}\n"
    " ]}\n";

static parley_scenario *read_text(const char *text, parley_error *err)
{
    parley_scenario *s = NULL;
    parley_read_buffer(text, strlen(text), "t.json", NULL, &s, err);
    return s;
}

static void option_issues_reservations_and_strategies_round_trip_through_json(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = read_text(option_json, err);
    assert_non_null(s);
    size_t food, budget, time;
    assert_true(parley_scenario_find_issue(s, "food", &food));
    assert_true(parley_scenario_find_issue(s, "budget", &budget));
    assert_true(parley_scenario_find_issue(s, "time", &time));
    assert_int_equal(parley_issue_kind_of(s, food), PARLEY_ISSUE_OPTIONS);
    assert_int_equal(parley_issue_kind_of(s, budget), PARLEY_ISSUE_INTEGER);
    assert_int_equal(parley_issue_kind_of(s, time), PARLEY_ISSUE_SCALE);
    assert_int_equal(parley_issue_grid(s, time), 9);
    assert_true(parley_issue_number(s, food, PARLEY_ISSUE_REFERENCE) == 1); /* "meat" */
    assert_true(parley_scenario_has_options(s));
    assert_string_equal(parley_actor_strategy(s, 0), "boulware");
    assert_null(parley_actor_strategy(s, 1));
    assert_string_equal(parley_reservation_why(s, 0), "can eat at home");
    assert_true(parley_actor_discount(s, 0) == 1 && parley_actor_discount(s, 1) == 0.9);
    char *j1 = parley_scenario_serialize(s, "json", err);
    assert_non_null(j1);
    assert_non_null(strstr(j1, "\"reference\": \"meat\""));
    assert_non_null(strstr(j1, "\"evaluations\""));
    parley_scenario *r = read_text(j1, err);
    assert_non_null(r);
    char *j2 = parley_scenario_serialize(r, "json", err);
    assert_string_equal(j1, j2);
    /* A clone writes the same bytes too. */
    parley_scenario *c = parley_scenario_clone(r);
    char *j3 = parley_scenario_serialize(c, "json", err);
    assert_string_equal(j1, j3);
    double x[3] = {2, 30, 21}; /* veg, 30, 21:00 */
    assert_true(fabs(parley_utility(c, 0, x, PARLEY_UTILITY_LINEAR) - parley_utility(s, 0, x, PARLEY_UTILITY_LINEAR)) == 0);
    free(j1), free(j2), free(j3);
    parley_scenario_free(c), parley_scenario_free(r), parley_scenario_free(s);
    parley_error_free(err);
}

static void utilities_follow_the_issue_rules(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = read_text(option_json, err);
    assert_non_null(s);
    /* ann: saliences 0.6, 0.2, 0.2 (sum 1); veg 0.4; budget 30 from 20 on 0-100: 1 - 0.1; time 21 from 19 on
     * 18-22: 1 - 0.5 (quadratic: 1 - 0.25). */
    double x[3] = {2, 30, 21};
    assert_true(fabs(parley_utility(s, 0, x, PARLEY_UTILITY_LINEAR) - (0.6 * 0.4 + 0.2 * 0.9 + 0.2 * 0.5)) < 1e-15);
    assert_true(fabs(parley_utility(s, 0, x, PARLEY_UTILITY_QUADRATIC) - (0.6 * 0.4 + 0.2 * 0.99 + 0.2 * 0.75)) < 1e-15);
    assert_true(fabs(parley_weight(s, 0, 0) - 0.6) < 1e-15);
    /* bob: weights as written (0.5, 0.25, none on time); veg 0; budget clamp(0.01 (30 - 10) + 0.1) = 0.3. */
    assert_true(fabs(parley_utility(s, 1, x, PARLEY_UTILITY_LINEAR) - (0.5 * 0 + 0.25 * 0.3)) < 1e-15);
    assert_true(parley_weight(s, 1, 2) == 0 && parley_evaluation(s, 1, 2, 21, PARLEY_UTILITY_LINEAR) == 0);
    assert_true(parley_evaluation(s, 1, 1, 100, PARLEY_UTILITY_LINEAR) == 1); /* clamped */
    assert_true(parley_evaluation(s, 0, 0, 1, PARLEY_UTILITY_LINEAR) == 0); /* meat: not given, 0 */
    assert_true(parley_evaluation(s, 0, 0, 7, PARLEY_UTILITY_LINEAR) == 0); /* no such option */
    /* Reservation: ann's as written; bob's default, his utility of the reference point (meat, 50, 20). */
    assert_true(parley_reservation(s, 0, PARLEY_UTILITY_LINEAR) == 0.3 && parley_reservation_given(s, 0));
    assert_false(parley_reservation_given(s, 1));
    assert_true(fabs(parley_reservation(s, 1, PARLEY_UTILITY_LINEAR) - (0.5 * 1 + 0.25 * 0.5)) < 1e-15);
    parley_scenario_free(s);
    /* Without a reference point on every issue the default is 0. */
    const char *partial = "{\"issues\": [{\"id\": \"a\", \"low\": 0, \"high\": 10, \"reference\": 5}, {\"id\": \"b\", \"low\": 0, \"high\": 10}],"
                          " \"actors\": [{\"id\": \"x\"}], \"stances\": [{\"actor\": \"x\", \"issue\": \"a\", \"position\": 5, \"salience\": 1},"
                          " {\"actor\": \"x\", \"issue\": \"b\", \"position\": 0, \"salience\": 1}]}";
    s = read_text(partial, err);
    assert_non_null(s);
    assert_true(parley_reservation(s, 0, PARLEY_UTILITY_LINEAR) == 0);
    double y[2] = {5, 5};
    assert_true(fabs(parley_utility(s, 0, y, PARLEY_UTILITY_LINEAR) - 0.75) < 1e-15);
    parley_scenario_free(s);
    parley_error_free(err);
}

/* Returns the first error's message of reading text, with its line and column. */
static void first_error(const char *text, const char *name, char *msg, size_t n, int *line, int *column)
{
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_not_equal(parley_read_buffer(text, strlen(text), name, NULL, &s, err), PARLEY_OK);
    assert_null(s);
    const parley_diag *d = NULL;
    for (size_t i = 0; i < parley_error_count(err) && !d; i++)
        if (parley_error_at(err, i)->severity == PARLEY_SEVERITY_ERROR) d = parley_error_at(err, i);
    assert_non_null(d);
    snprintf(msg, n, "%s", d->message);
    *line = d->line, *column = d->column;
    parley_error_free(err);
}

static void bad_option_stances_are_reported_where_they_are(void **state)
{
    (void)state;
    char msg[512];
    int line, col;
#define HEAD "{\"issues\": [{\"id\": \"f\", \"options\": [\"a\", \"b\"]}, {\"id\": \"s\", \"low\": 0, \"high\": 1}],\n" \
             " \"actors\": [{\"id\": \"x\"%s}],\n \"stances\": [\n%s]}"
    struct { const char *actor, *stance, *want; int line; } cases[] = {
        {"", "{\"actor\": \"x\", \"issue\": \"f\", \"position\": 1, \"salience\": 1}", "not a position", 4},
        {"", "{\"actor\": \"x\", \"issue\": \"f\", \"salience\": 1}", "expected a key \"evaluations\"", 4},
        {"", "{\"actor\": \"x\", \"issue\": \"f\", \"salience\": 1, \"evaluations\": {\"c\": 1}}", "unknown option \"c\"", 4},
        {"", "{\"actor\": \"x\", \"issue\": \"f\", \"salience\": 1, \"evaluations\": {\"a\": 1.5}}", "evaluation in [0, 1]", 4},
        {"", "{\"actor\": \"x\", \"issue\": \"s\", \"position\": 0, \"salience\": 1, \"evaluations\": {\"a\": 1}}", "is a scale", 4},
        {", \"reservation\": 1.5", "{\"actor\": \"x\", \"issue\": \"s\", \"position\": 0, \"salience\": 1}", "reservation", 2},
        {", \"discount\": 0", "{\"actor\": \"x\", \"issue\": \"s\", \"position\": 0, \"salience\": 1}", "discount factor in (0, 1]", 2},
        {", \"weights\": \"raw\"", "{\"actor\": \"x\", \"issue\": \"s\", \"position\": 0, \"salience\": 1}", "as written", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[1024];
        snprintf(text, sizeof text, HEAD, cases[i].actor, cases[i].stance);
        first_error(text, "bad.json", msg, sizeof msg, &line, &col);
        if (!strstr(msg, cases[i].want)) fail_msg("case %zu: \"%s\" lacks \"%s\"", i, msg, cases[i].want);
        assert_int_equal(line, cases[i].line);
        assert_true(col > 0);
    }
    /* A reference that is no option. */
    first_error("{\"issues\": [{\"id\": \"f\", \"options\": [\"a\"], \"reference\": \"z\"}], \"actors\": [{\"id\": \"x\"}], \"stances\": []}",
                "ref.json", msg, sizeof msg, &line, &col);
    assert_non_null(strstr(msg, "expected one of the issue's options, found \"z\""));
}

static parley_status read_genius_texts(const char *domain, const char *profile, parley_error *err, parley_scenario **s)
{
    const char *profiles[] = {profile};
    size_t lens[] = {strlen(profile)};
    const char *names[] = {"dir/p1.xml"};
    return parley_read_genius_buffers(domain, strlen(domain), "dom.xml", profiles, lens, names, 1, 0, s, err);
}

static const char good_domain[] =
    "<utility_space>\n<objective index=\"0\" name=\"root\">\n"
    "<issue index=\"1\" name=\"Colour (hue)\" type=\"discrete\"><item index=\"1\" value=\"red\"/><item index=\"2\" value=\"blue\"/></issue>\n"
    "<issue index=\"2\" name=\"n\" type=\"integer\" lowerbound=\"1\" upperbound=\"4\"/>\n"
    "<issue index=\"3\" name=\"r\" vtype=\"real\"><range lowerbound=\"0\" upperbound=\"2\"/></issue>\n"
    "</objective>\n</utility_space>\n";

static void a_genius_profile_reads_with_genius_semantics(void **state)
{
    (void)state;
    const char *profile =
        "<utility_space><objective index=\"0\" name=\"root\">\n"
        "<issue index=\"1\" name=\"Colour (hue)\" type=\"discrete\"><item value=\"red\" evaluation=\"4\"/><item value=\"blue\" evaluation=\"8\"/></issue>\n"
        "<issue index=\"2\" name=\"n\" type=\"integer\"><evaluator ftype=\"linear\" slope=\"-0.25\" offset=\"1\"/></issue>\n"
        "<issue index=\"3\" name=\"r\" type=\"real\"><evaluator ftype=\"linear\" parameter0=\"0.5\" parameter1=\"0.5\"/></issue>\n"
        "<weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.3\"/><weight index=\"3\" value=\"0.2\"/>\n"
        "</objective><reservation value=\"0.25\"/><discount_factor value=\"0.8\"/></utility_space>\n";
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(read_genius_texts(good_domain, profile, err, &s), PARLEY_OK);
    assert_string_equal(parley_actor_id(s, 0), "p1");
    assert_string_equal(parley_issue_id(s, 0), "Colour (hue)");
    assert_int_equal(parley_issue_grid(s, 2), 31);
    /* red: 4 / 8; n = 3: clamp(-0.25 (3 - 1) + 1) = 0.5; r = 1.5: clamp(0.5 + 0.5 * 1.5) = 1. */
    double x[3] = {0, 3, 1.5};
    assert_true(fabs(parley_utility(s, 0, x, PARLEY_UTILITY_LINEAR) - (0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 1)) < 1e-15);
    assert_true(parley_reservation(s, 0, PARLEY_UTILITY_LINEAR) == 0.25);
    assert_true(parley_actor_discount(s, 0) == 0.8);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void bad_genius_xml_is_reported_with_file_line_and_column(void **state)
{
    (void)state;
    struct { const char *domain, *profile, *file, *want; int line, column; } cases[] = {
        {"<utility_space>\n<objective>\n<issue index=\"1\" name=\"a\" type=\"discrete\">\n</objective>\n", NULL, "dom.xml", "invalid XML: mismatched tag", 4, 3},
        {good_domain, "<utility_space><objective>\n<issue index=\"1\" name=\"Colour (hue)\"><item value=\"red\" evaluation=\"1\"/><item value=\"blue\" evaluation=\"1\"/></issue>\n"
                      "<issue index=\"2\"><evaluator ftype=\"linear\" slope=\"1\" offset=\"0\"/></issue>\n<issue index=\"3\"><evaluator ftype=\"linear\" parameter0=\"0\" parameter1=\"1\"/></issue>\n"
                      "<weight index=\"1\" value=\"0.5\"/>\n<weight index=\"2\" value=\"x\"/></objective></utility_space>", "dir/p1.xml", "expected a number in value", 6, 1},
        {good_domain, "<utility_space><objective>\n<issue index=\"1\"><item value=\"green\" evaluation=\"1\"/></issue>\n<weight index=\"1\" value=\"1\"/></objective></utility_space>", "dir/p1.xml", "expected an <item value=\"red\"", 2, 1},
        {"<utility_space><objective>\n  <issue index=\"1\" name=\"a\" type=\"fuzzy\"/></objective></utility_space>", NULL, "dom.xml", "expected the type discrete, integer or real", 2, 3},
        {good_domain, "<utility_space><objective>\n<issue index=\"9\"/></objective></utility_space>", "dir/p1.xml", "no issue with this index", 2, 1},
        {good_domain, "<utility_space><reservation value=\"2\"/></utility_space>", "dir/p1.xml", "reservation value in [0, 1]", 1, 16},
        {good_domain, "<utility_space>\n<issue index=\"2\"><evaluator ftype=\"triangular\"/></issue><weight index=\"2\" value=\"1\"/></utility_space>", "dir/p1.xml", "expected a linear evaluator", 2, 18},
        {"not xml at all", NULL, "dom.xml", "invalid XML", 1, 1},
    };
    const char *plain = "<utility_space><objective><issue index=\"1\" name=\"a\" type=\"discrete\"><item value=\"x\"/></issue></objective></utility_space>";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        parley_error *err = parley_error_new();
        parley_scenario *s = NULL;
        assert_int_not_equal(read_genius_texts(cases[i].domain, cases[i].profile ? cases[i].profile : plain, err, &s), PARLEY_OK);
        assert_null(s);
        const parley_diag *d = NULL;
        for (size_t k = 0; k < parley_error_count(err) && !d; k++)
            if (strstr(parley_error_at(err, k)->message, cases[i].want)) d = parley_error_at(err, k);
        if (!d) fail_msg("case %zu: no error says \"%s\" (first: %s)", i, cases[i].want, parley_error_at(err, 0)->message);
        assert_string_equal(d->file, cases[i].file);
        if (d->line != cases[i].line || d->column != cases[i].column)
            fail_msg("case %zu: at %d:%d, expected %d:%d (%s)", i, d->line, d->column, cases[i].line, cases[i].column, d->message);
        parley_error_free(err);
    }
}

static void a_lone_xml_file_asks_for_its_profiles(void **state)
{
    (void)state;
    char msg[512];
    int line, col;
    first_error(good_domain, "dom.xml", msg, sizeof msg, &line, &col);
    assert_non_null(strstr(msg, "DOMAIN.xml PROFILE.xml"));
}

static void models_that_need_a_scale_refuse_option_issues_with_the_reason(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = read_text(option_json, err);
    assert_non_null(s);
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        if (!strcmp(parley_model_name(m), "saop") || !strcmp(parley_model_name(m), "zeuthen")) {
            /* The protocols read whole agreements: option issues are theirs to bargain over. */
            assert_null(parley_model_unsuited(m, s));
            continue;
        }
        assert_false(parley_model_suits(m, s));
        const char *why = parley_model_unsuited(m, s);
        assert_non_null(why);
        assert_non_null(strstr(why, "option issues"));
        /* Named, it fails with the reason, naming the model. */
        parley_plan *p = NULL;
        assert_int_equal(parley_plan_parse(&p, parley_model_name(m), err), PARLEY_OK);
        parley_error_clear(err);
        parley_result *r = parley_run(s, p, 1, err);
        assert_null(r);
        assert_non_null(strstr(parley_error_at(err, 0)->message, "does not suit this scenario"));
        assert_non_null(strstr(parley_error_at(err, 0)->message, parley_model_name(m)));
        parley_error_clear(err);
        parley_plan_free(p);
    }
    parley_plan *def = parley_plan_default(s);
    assert_int_equal(parley_plan_count(def), 0);
    parley_plan_free(def);
    parley_scenario_free(s);
    /* A GENIUS negotiation with only a real issue keeps its scale: the models run. */
    json_t *exp = load_expected("fuzzyagent_real");
    s = read_genius("fuzzyagent_real", exp);
    assert_null(parley_model_unsuited(parley_model_find("compromise"), s));
    parley_result *r = run_spec(s, "compromise", 1);
    parley_result_free(r);
    parley_scenario_free(s);
    json_decref(exp);
    parley_error_free(err);
}

static void the_text_report_shows_an_option_issues_options_and_evaluations(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = read_text(option_json, err);
    assert_non_null(s);
    parley_plan *p = parley_plan_default(s);
    parley_result *r = parley_run(s, p, 1, err);
    assert_non_null(r);
    char *text = parley_report(s, r, "text", err);
    assert_non_null(text);
    assert_non_null(strstr(text, "options: fish, meat, veg"));
    assert_non_null(strstr(text, "reference point (status quo): meat"));
    assert_non_null(strstr(text, "ann            fish 1, meat 0, veg 0.4"));
    assert_null(strstr(text, "scale 0 to 2"));
    free(text);
    parley_result_free(r);
    parley_plan_free(p);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void tidy_csv_keeps_reservations_and_strategies_and_refuses_option_issues(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    const char *csv = "actor,issue,position,salience,reservation,strategy\nx,a,2,1,0.4,boulware\ny,a,8,0.5,,\nx,b,1,1,,\n";
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(csv, strlen(csv), "t.csv", NULL, &s, err), PARLEY_OK);
    assert_true(parley_reservation(s, 0, PARLEY_UTILITY_LINEAR) == 0.4 && parley_reservation_given(s, 0));
    assert_false(parley_reservation_given(s, 1));
    assert_string_equal(parley_actor_strategy(s, 0), "boulware");
    char *out = parley_scenario_serialize(s, "csv", err);
    assert_non_null(strstr(out, ",reservation,strategy\n"));
    assert_non_null(strstr(out, ",0.4,boulware\n"));
    free(out);
    parley_scenario_free(s);
    /* Two rows of one actor that disagree. */
    const char *bad = "actor,issue,position,salience,reservation\nx,a,2,1,0.4\nx,b,1,1,0.5\n";
    char msg[512];
    int line, col;
    first_error(bad, "bad.csv", msg, sizeof msg, &line, &col);
    assert_non_null(strstr(msg, "expected 0.4 as on an earlier row of this actor, found 0.5"));
    assert_int_equal(line, 3);
    assert_int_equal(col, 9);
    parley_error_clear(err);
    s = read_text(option_json, err);
    assert_null(parley_scenario_serialize(s, "csv", err));
    assert_non_null(strstr(parley_error_at(err, parley_error_count(err) - 1)->message, "CSV cannot hold option issues"));
    parley_scenario_free(s);
    parley_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(genius_utilities_equal_the_reference_to_1e_9),
        cmocka_unit_test(genius_issues_keep_their_names_kinds_and_values),
        cmocka_unit_test(a_genius_folder_reads_as_its_files_named_in_order),
        cmocka_unit_test(a_genius_negotiation_round_trips_through_json_to_the_same_bytes_and_utilities),
        cmocka_unit_test(option_issues_reservations_and_strategies_round_trip_through_json),
        cmocka_unit_test(utilities_follow_the_issue_rules),
        cmocka_unit_test(bad_option_stances_are_reported_where_they_are),
        cmocka_unit_test(a_genius_profile_reads_with_genius_semantics),
        cmocka_unit_test(bad_genius_xml_is_reported_with_file_line_and_column),
        cmocka_unit_test(a_lone_xml_file_asks_for_its_profiles),
        cmocka_unit_test(models_that_need_a_scale_refuse_option_issues_with_the_reason),
        cmocka_unit_test(the_text_report_shows_an_option_issues_options_and_evaluations),
        cmocka_unit_test(tidy_csv_keeps_reservations_and_strategies_and_refuses_option_issues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
