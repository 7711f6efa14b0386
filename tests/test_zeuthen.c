/* test_zeuthen.c - the monotonic concession protocol with Zeuthen's rule ends at the Nash bargaining point. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "helpers.h"

/* The first diagnostic's message, or "". */
static const char *first_message(const parley_error *err)
{
    const parley_diag *d = parley_error_count(err) ? parley_error_at(err, 0) : NULL;
    return d && d->message ? d->message : "";
}

static json_t *load_json(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PARLEY_TEST_DATA, rel);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) fail_msg("cannot read %s: %s", path, je.text);
    return j;
}

/* Reads the GENIUS domain NAME with its profiles in the reference's party order. */
static parley_scenario *read_domain(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "genius/expected/%s.json", name);
    json_t *exp = load_json(rel);
    json_t *files = json_object_get(exp, "files"), *profiles = json_object_get(files, "profiles");
    char paths[8][512];
    const char *pp[8];
    size_t n = 0;
    snprintf(paths[n], sizeof paths[n], "%s/genius/%s/%s", PARLEY_TEST_DATA, name,
             json_string_value(json_object_get(files, "domain")));
    pp[n] = paths[n], n++;
    for (size_t i = 0; i < json_array_size(profiles) && n < 8; i++, n++) {
        snprintf(paths[n], sizeof paths[n], "%s/genius/%s/%s", PARLEY_TEST_DATA, name,
                 json_string_value(json_array_get(profiles, i)));
        pp[n] = paths[n];
    }
    json_decref(exp);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_files(pp, n, NULL, 0, &s, err) != PARLEY_OK) fail_msg("cannot read %s: %s", name, first_message(err));
    parley_error_free(err);
    return s;
}

/* Returns whether outcome x is the reference's outcome: option texts, or numbers on a scale. */
static bool same_outcome(const parley_scenario *s, const double *x, json_t *ref)
{
    if (json_array_size(ref) != parley_scenario_issue_count(s)) return false;
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
        json_t *v = json_array_get(ref, k);
        if (json_is_string(v)) {
            const char *opt = parley_issue_option(s, k, (size_t)x[k]);
            if (!opt || strcmp(opt, json_string_value(v))) return false;
        } else if (fabs(json_number_value(v) - x[k]) > 1e-9) {
            return false;
        }
    }
    return true;
}

static void zeuthen_ends_at_the_nash_bargaining_point_on_every_shared_domain(void **state)
{
    (void)state;
    static const char *const domains[] = {"car", "coffee", "england_zimbabwe", "flightbooking_a", "fuzzyagent_real",
                                          "laptop", "new_sporthal", "politics"};
    for (size_t d = 0; d < sizeof domains / sizeof *domains; d++) {
        char rel[256];
        snprintf(rel, sizeof rel, "genius/expected/%s.json", domains[d]);
        json_t *exp = load_json(rel);
        parley_scenario *s = read_domain(domains[d]);
        parley_result *r = run_spec(s, "zeuthen", 1);
        parley_negotiation g;
        assert_true(parley_result_negotiation(r, 0, &g));
        if (!g.agreement) fail_msg("%s: no agreement", domains[d]);
        json_t *points = json_object_get(json_object_get(exp, "nash"), "points");
        bool hit = false;
        for (size_t i = 0; i < json_array_size(points) && !hit; i++)
            hit = same_outcome(s, g.agreement, json_object_get(json_array_get(points, i), "outcome"));
        if (!hit) fail_msg("%s: zeuthen's agreement is not a Nash point of the reference", domains[d]);
        /* Concessions are offers; the agreement's utilities are the Nash point's. */
        json_t *nu = json_object_get(json_array_get(points, 0), "utilities");
        for (size_t a = 0; a < parley_scenario_actor_count(s); a++)
            assert_true(fabs(g.utilities[a] - json_number_value(json_array_get(nu, a))) < 1e-9);
        parley_result_free(r);
        parley_scenario_free(s);
        json_decref(exp);
    }
}

static void zeuthen_stays_out_of_the_default_plan(void **state)
{
    (void)state;
    parley_scenario *s = read_domain("laptop");
    parley_plan *p = parley_plan_default(s);
    for (size_t i = 0; i < parley_plan_count(p); i++)
        assert_string_not_equal(parley_model_name(parley_plan_model(p, i)), "zeuthen");
    parley_plan_free(p);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zeuthen_ends_at_the_nash_bargaining_point_on_every_shared_domain),
        cmocka_unit_test(zeuthen_stays_out_of_the_default_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
