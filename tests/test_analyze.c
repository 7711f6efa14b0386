/* test_analyze.c - the outcome space (parley_analyze): the reference analyses of the shared GENIUS domains,
 * the fast frontier against brute force on spaces full of ties, the grid of scale issues and the limits. */
#include <jansson.h>
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

static const char *const domains[] = {"laptop", "england_zimbabwe", "coffee", "flightbooking_a",
                                      "car", "politics", "new_sporthal", "fuzzyagent_real"};

static parley_scenario *read_domain(const char *name, json_t **exp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/genius/expected/%s.json", PARLEY_TEST_DATA, name);
    json_error_t e;
    *exp = json_load_file(path, 0, &e);
    if (!*exp) fail_msg("cannot read %s: %s", path, e.text);
    snprintf(path, sizeof path, "%s/genius/%s", PARLEY_TEST_DATA, name);
    const char *paths[1] = {path};
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_files(paths, 1, NULL, 0, &s, err) != PARLEY_OK) fail_msg("cannot read %s", path);
    parley_error_free(err);
    return s;
}

/* Checks that the outcomes a lists (count, at) are exactly the reference entries ref (by outcome index),
 * with the reference's utilities to 1e-9 and, where given, its rational flag. */
static void expect_set(const char *what, const char *domain, const parley_analysis *a, size_t count,
                       size_t (*at)(const parley_analysis *, size_t), const json_t *ref, size_t extra, parley_point pt)
{
    size_t n = json_array_size(ref), p = parley_analysis_party_count(a);
    if (count != n) fail_msg("%s %s: %zu outcomes, expected %zu", domain, what, count, n);
    for (size_t r = 0; r < n; r++) {
        const json_t *e = json_array_get(ref, r);
        size_t want = (size_t)json_integer_value(json_object_get(e, "outcome_index"));
        bool found = false;
        for (size_t i = 0; i < count && !found; i++) found = (extra ? parley_analysis_point_at(a, pt, i) : at(a, i)) == want;
        if (!found) fail_msg("%s %s: outcome %zu missing", domain, what, want);
        const json_t *u = json_object_get(e, "utilities");
        for (size_t j = 0; j < p; j++)
            if (fabs(parley_analysis_utility(a, want, j) - json_real_value(json_array_get(u, j))) > 1e-9)
                fail_msg("%s %s: outcome %zu party %zu: utility %.17g, expected %.17g", domain, what, want, j,
                         parley_analysis_utility(a, want, j), json_real_value(json_array_get(u, j)));
        const json_t *rat = json_object_get(e, "rational");
        if (rat && json_is_true(rat) != parley_analysis_rational(a, want)) fail_msg("%s %s: rational flag of %zu", domain, what, want);
    }
}

static size_t front_at(const parley_analysis *a, size_t i) { return parley_analysis_frontier_at(a, i); }

static void every_shared_domain_matches_its_reference_analysis(void **state)
{
    (void)state;
    static const char *const keys[] = {"nash", "kalai_smorodinsky", "egalitarian", "max_welfare"};
    for (size_t d = 0; d < sizeof domains / sizeof *domains; d++) {
        json_t *exp;
        parley_scenario *s = read_domain(domains[d], &exp);
        parley_error *err = parley_error_new();
        parley_analysis *a = NULL;
        assert_int_equal(parley_analyze(s, NULL, &a, err), PARLEY_OK);
        assert_int_equal(parley_analysis_outcome_count(a), json_integer_value(json_object_get(exp, "outcome_count")));
        assert_int_equal(parley_analysis_rational_count(a), json_integer_value(json_object_get(exp, "rational_outcome_count")));
        assert_true(parley_analysis_has_frontier(a));
        expect_set("pareto", domains[d], a, parley_analysis_frontier_count(a), front_at, json_object_get(exp, "pareto_frontier_all"), 0, 0);
        for (int p = 0; p < PARLEY_POINT_COUNT; p++) {
            const json_t *pts = json_object_get(json_object_get(exp, keys[p]), "points");
            expect_set(keys[p], domains[d], a, parley_analysis_point_count(a, (parley_point)p), NULL, pts, 1, (parley_point)p);
            assert_string_equal(parley_point_name((parley_point)p), keys[p]);
            /* the optimised value too */
            assert_true(fabs(parley_analysis_point_value(a, (parley_point)p) - json_real_value(json_object_get(json_array_get(pts, 0), "value"))) < 1e-9);
        }
        parley_analysis_free(a);
        parley_error_free(err);
        parley_scenario_free(s);
        json_decref(exp);
    }
}

/* A GENIUS negotiation of `issues` discrete issues of `values` values, `parties` profiles whose
 * evaluations come from {0, 1, 2, 3} and weights from {1, 2}: a space full of exact ties. */
static parley_scenario *tied_space(size_t issues, size_t values, size_t parties, uint64_t seed, double reservation)
{
    char dom[8192], prof[8][8192];
    const char *profs[8], *names[8] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    size_t lens[8], len = 0;
    len += (size_t)snprintf(dom + len, sizeof dom - len, "<utility_space><objective index=\"0\" name=\"t\">");
    for (size_t k = 0; k < issues; k++) {
        len += (size_t)snprintf(dom + len, sizeof dom - len, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", k + 1, k);
        for (size_t v = 0; v < values; v++) len += (size_t)snprintf(dom + len, sizeof dom - len, "<item index=\"%zu\" value=\"v%zu\"/>", v + 1, v);
        len += (size_t)snprintf(dom + len, sizeof dom - len, "</issue>");
    }
    len += (size_t)snprintf(dom + len, sizeof dom - len, "</objective></utility_space>");
    uint64_t x = seed * 2654435761u + 1;
    for (size_t p = 0; p < parties; p++) {
        size_t l = 0;
        l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l, "<utility_space><objective index=\"0\" name=\"t\">");
        for (size_t k = 0; k < issues; k++) {
            l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", k + 1, k);
            for (size_t v = 0; v < values; v++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l, "<item index=\"%zu\" value=\"v%zu\" evaluation=\"%d\"/>", v + 1, v,
                                      v == 0 ? 3 : (int)(x % 4));
            }
            l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l, "</issue>");
        }
        for (size_t k = 0; k < issues; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l, "<weight index=\"%zu\" value=\"%s\"/>", k + 1, x % 2 ? "0.25" : "0.125");
        }
        if (reservation > 0) l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l, "<reservation value=\"%g\"/>", reservation);
        l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l, "</objective></utility_space>");
        profs[p] = prof[p], lens[p] = l;
    }
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_genius_buffers(dom, len, "t.xml", profs, lens, names, parties, 0, &s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

static bool dominates(const parley_analysis *a, size_t q, size_t i)
{
    bool ge = true, gt = false;
    for (size_t j = 0; j < parley_analysis_party_count(a); j++) {
        double uq = parley_analysis_utility(a, q, j), ui = parley_analysis_utility(a, i, j);
        ge &= uq >= ui - 1e-12;
        gt |= uq > ui + 1e-12;
    }
    return ge && gt;
}

static void the_fast_frontier_equals_brute_force_on_spaces_full_of_ties(void **state)
{
    (void)state;
    for (size_t parties = 1; parties <= 5; parties++)
        for (uint64_t seed = 1; seed <= 6; seed++) {
            parley_scenario *s = tied_space(4, 4, parties, seed, seed % 2 ? 0.4 : 0);
            parley_error *err = parley_error_new();
            parley_analysis *a = NULL;
            parley_analyze_options o = {0};
            o.frontier = PARLEY_FRONTIER_ALWAYS;
            assert_int_equal(parley_analyze(s, &o, &a, err), PARLEY_OK);
            size_t n = parley_analysis_outcome_count(a), nf = 0;
            assert_int_equal(n, 256);
            char *on = calloc(n, 1);
            for (size_t f = 0; f < parley_analysis_frontier_count(a); f++) on[parley_analysis_frontier_at(a, f)] = 1;
            for (size_t i = 0; i < n; i++) {
                bool dom = false;
                for (size_t q = 0; q < n && !dom; q++) dom = dominates(a, q, i);
                if (dom == (bool)on[i]) fail_msg("%zu parties, seed %llu: outcome %zu %s", parties, (unsigned long long)seed, i,
                                                 dom ? "is dominated but listed" : "is undominated but missing");
                nf += !dom;
            }
            assert_int_equal(nf, parley_analysis_frontier_count(a));
            /* listed in descending order of utilities, party 0 first */
            for (size_t f = 1; f < nf; f++)
                assert_true(parley_analysis_utility(a, parley_analysis_frontier_at(a, f), 0) <=
                            parley_analysis_utility(a, parley_analysis_frontier_at(a, f - 1), 0) + 1e-12);
            /* the points found without the frontier (each tie checked against every outcome) are the same */
            parley_analysis *b = NULL;
            o.frontier = PARLEY_FRONTIER_NEVER;
            assert_int_equal(parley_analyze(s, &o, &b, err), PARLEY_OK);
            assert_false(parley_analysis_has_frontier(b));
            for (int p = 0; p < PARLEY_POINT_COUNT; p++) {
                size_t c = parley_analysis_point_count(a, (parley_point)p);
                assert_int_equal(c, parley_analysis_point_count(b, (parley_point)p));
                for (size_t t = 0; t < c; t++) {
                    size_t i = parley_analysis_point_at(a, (parley_point)p, t);
                    assert_int_equal(i, parley_analysis_point_at(b, (parley_point)p, t));
                    assert_true(on[i] && parley_analysis_rational(a, i));
                }
            }
            free(on);
            parley_analysis_free(a);
            parley_analysis_free(b);
            parley_error_free(err);
            parley_scenario_free(s);
        }
}

static const char scale_json[] =
    "{\"schema_version\": 1, \"issues\": [{\"id\": \"x\", \"low\": 0, \"high\": 100, \"reference\": 50},"
    " {\"id\": \"y\", \"low\": 0, \"high\": 10}],"
    " \"actors\": [{\"id\": \"a\", \"capability\": 1}, {\"id\": \"b\", \"capability\": 1}],"
    " \"stances\": [{\"actor\": \"a\", \"issue\": \"x\", \"position\": 0, \"salience\": 1},"
    " {\"actor\": \"b\", \"issue\": \"x\", \"position\": 80, \"salience\": 0.5},"
    " {\"actor\": \"a\", \"issue\": \"y\", \"position\": 10, \"salience\": 0.5},"
    " {\"actor\": \"b\", \"issue\": \"y\", \"position\": 10, \"salience\": 0.5}]}";

static void scale_issues_are_gridded_at_positions_and_the_reference_or_evenly(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(scale_json, strlen(scale_json), "s.json", NULL, &s, err), PARLEY_OK);
    parley_analysis *a = NULL;
    assert_int_equal(parley_analyze(s, NULL, &a, err), PARLEY_OK);
    /* x: positions 0 and 80 and the reference 50; y: the one shared position */
    assert_int_equal(parley_analysis_value_count(a, 0), 3);
    assert_int_equal(parley_analysis_value_count(a, 1), 1);
    assert_int_equal(parley_analysis_outcome_count(a), 3);
    assert_true(parley_analysis_value(a, 1, 0) == 50);
    /* the reference point is no one's loss: both reservations are its utilities, so it is rational */
    assert_true(parley_analysis_rational(a, 1));
    /* between 0 and 80 the two trade off one for one: every grid point is on the frontier */
    assert_int_equal(parley_analysis_frontier_count(a), 3);
    parley_analysis_free(a);
    parley_analyze_options o = {0};
    o.grid = 11;
    assert_int_equal(parley_analyze(s, &o, &a, err), PARLEY_OK);
    assert_int_equal(parley_analysis_outcome_count(a), 121);
    assert_true(parley_analysis_value(a, 11 * 10, 0) == 100);
    /* past b's position (80) both lose: 90 and 100 are dominated */
    assert_int_equal(parley_analysis_frontier_count(a), 9);
    parley_analysis_free(a);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void bad_options_and_spaces_past_the_limit_are_refused(void **state)
{
    (void)state;
    parley_scenario *s = read_data("../../examples/jeddah-2025.json");
    parley_error *err = parley_error_new();
    parley_analysis *a = NULL;
    parley_analyze_options o = {0};
    o.grid = 100; /* 100^6 outcomes */
    assert_int_equal(parley_analyze(s, &o, &a, err), PARLEY_E_LIMIT);
    assert_null(a);
    assert_non_null(strstr(parley_error_at(err, 0)->message, "limit"));
    parley_error_clear(err);
    o.grid = 1;
    assert_int_equal(parley_analyze(s, &o, &a, err), PARLEY_E_USAGE);
    parley_error_clear(err);
    size_t twice[2] = {1, 1};
    parley_analyze_options r = {twice, 2, 0, PARLEY_UTILITY_LINEAR, PARLEY_FRONTIER_AUTO};
    assert_int_equal(parley_analyze(s, &r, &a, err), PARLEY_E_USAGE);
    size_t none[1] = {99};
    r.actors = none, r.n_actors = 1;
    assert_int_equal(parley_analyze(s, &r, &a, err), PARLEY_E_USAGE);
    assert_null(a);
    parley_error_free(err);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_shared_domain_matches_its_reference_analysis),
        cmocka_unit_test(the_fast_frontier_equals_brute_force_on_spaces_full_of_ties),
        cmocka_unit_test(scale_issues_are_gridded_at_positions_and_the_reference_or_evenly),
        cmocka_unit_test(bad_options_and_spaces_past_the_limit_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
