/* test_bounded.c - bounded detail: the default pressure map keeps what was accepted and each pressed
 * actor's strongest other challenge, so JSON grows linearly; --detail full keeps every pair. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "models/model.h"

/* n actors on k issues: positions on 0-100, saliences on 0-1, capabilities over two orders of magnitude,
 * every actor on every issue (as parley-bench generates, without the gaps). */
static parley_scenario *generated(size_t n, size_t k, uint64_t seed)
{
    parley_scenario *s = parley_scenario_new();
    parley_rng rng;
    parley_rng_seed(&rng, seed, 0);
    char id[32];
    for (size_t i = 0; i < k; i++) {
        snprintf(id, sizeof id, "issue%zu", i + 1);
        size_t idx;
        assert_int_equal(parley_scenario_add_issue(s, id, NULL, 0, 100, &idx), PARLEY_OK);
    }
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "actor%zu", a + 1);
        size_t idx;
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, pow(10, 2 * parley_rng_uniform(&rng)), &idx), PARLEY_OK);
        for (size_t i = 0; i < k; i++)
            assert_int_equal(parley_scenario_set_stance(s, idx, i, 100 * parley_rng_uniform(&rng), parley_rng_uniform(&rng), NAN),
                             PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

static parley_result *run_flags(const parley_scenario *s, const char *spec, unsigned flags)
{
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    parley_run_options o = {flags, 0, NULL};
    parley_result *r = NULL;
    assert_int_equal(parley_run_with(s, p, 1, &o, &r, err), PARLEY_OK);
    parley_plan_free(p);
    parley_error_free(err);
    return r;
}

/* The last round recorded on issue before `round` (its positions), or NULL. */
static const double *positions_at(const parley_result *r, size_t run, size_t issue, int round)
{
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t ru, is;
        int rd;
        const double *pos;
        parley_result_round(r, i, &ru, &is, &rd, NULL, NULL, &pos);
        if (ru == run && is == issue && rd == round) return pos;
    }
    return NULL;
}

/* Applies the bounding rule to a full map: per run, round, issue and pressed actor the accepted
 * challenges and the first strongest other one, in the full map's order. Returns how many it keeps in
 * keep[] (flags, one per challenge of full). */
static size_t bound_by_hand(const parley_result *full, bool *keep)
{
    size_t n = parley_result_challenge_count(full), kept = 0;
    for (size_t i = 0; i < n; i++) {
        parley_challenge c;
        parley_result_challenge(full, i, &c);
        keep[i] = c.accepted;
        if (c.accepted) continue;
        const double *before = positions_at(full, c.run, c.issue, c.round - 1);
        double mi = isnan(c.offer) ? NAN : fabs(c.offer - before[c.to]);
        bool best = true;
        for (size_t j = 0; j < n && best; j++) {
            parley_challenge d;
            parley_result_challenge(full, j, &d);
            if (j == i || d.accepted || d.run != c.run || d.round != c.round || d.issue != c.issue || d.to != c.to) continue;
            double mj = isnan(d.offer) ? NAN : fabs(d.offer - before[d.to]);
            if (pm_challenge_stronger(mj, d.region, mi, c.region) || (j < i && !pm_challenge_stronger(mi, c.region, mj, d.region)))
                best = false;
        }
        keep[i] = best;
    }
    for (size_t i = 0; i < n; i++) kept += keep[i];
    return kept;
}

static void same_challenge(const parley_challenge *a, const parley_challenge *b)
{
    assert_int_equal(a->run, b->run);
    assert_int_equal(a->issue, b->issue);
    assert_int_equal(a->round, b->round);
    assert_int_equal(a->from, b->from);
    assert_int_equal(a->to, b->to);
    assert_int_equal(a->region, b->region);
    assert_true(isnan(a->offer) ? isnan(b->offer) : a->offer == b->offer);
    assert_int_equal(a->accepted, b->accepted);
}

static void bounded_map_is_the_full_map_bounded_by_its_rule(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        size_t n, k;
    } cases[] = {
        {"bdm", 30, 2},          {"bdm:scholz2011", 25, 1}, {"bdm,q=0.5,t_rule=median", 20, 1},
        {"bdm,perspective=own,offer=least_move", 20, 1},  {"smp", 15, 2},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        parley_scenario *s = generated(cases[c].n, cases[c].k, 7 + c);
        parley_result *full = run_flags(s, cases[c].spec, PARLEY_RUN_FULL_DETAIL), *bounded = run_flags(s, cases[c].spec, 0);
        size_t nf = parley_result_challenge_count(full);
        bool *keep = calloc(nf ? nf : 1, sizeof *keep);
        size_t kept = bound_by_hand(full, keep);
        assert_true(nf > 0);
        if (parley_result_challenge_count(bounded) != kept)
            fail_msg("%s: %zu kept, %zu expected of %zu", cases[c].spec, parley_result_challenge_count(bounded), kept, nf);
        assert_int_equal(parley_result_challenges_left_out(bounded), nf - kept);
        assert_int_equal(parley_result_challenges_left_out(full), 0);
        for (size_t i = 0, b = 0; i < nf; i++) {
            if (!keep[i]) continue;
            parley_challenge x, y;
            parley_result_challenge(full, i, &x);
            assert_true(parley_result_challenge(bounded, b++, &y));
            same_challenge(&x, &y);
        }
        /* Detail changes what is written, never the model's course. */
        assert_int_equal(parley_result_round_count(full), parley_result_round_count(bounded));
        for (size_t k = 0; k < cases[c].k; k++) assert_true(parley_result_value(full, 0, k) == parley_result_value(bounded, 0, k));
        free(keep);
        parley_result_free(full), parley_result_free(bounded);
        parley_scenario_free(s);
    }
}

static void full_detail_lists_every_pair(void **state)
{
    (void)state;
    size_t n = 25;
    parley_scenario *s = generated(n, 1, 3);
    parley_result *r = run_flags(s, "bdm,rounds=1,stop=fixed", PARLEY_RUN_FULL_DETAIL);
    /* Every ordered pair of distinct positions, once. */
    assert_int_equal(parley_result_challenge_count(r), n * (n - 1));
    bool *seen = calloc(n * n, sizeof *seen);
    parley_challenge c;
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
        assert_true(c.from != c.to && !seen[c.from * n + c.to]);
        seen[c.from * n + c.to] = true;
    }
    free(seen);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* The most rounds any run recorded, plus one for round 0. */
static size_t rounds_of(const parley_result *r)
{
    int most = 0;
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        int rd;
        parley_result_round(r, i, NULL, NULL, &rd, NULL, NULL, NULL);
        if (rd > most) most = rd;
    }
    return (size_t)most + 1;
}

static void default_json_grows_linearly_in_actors_issues_and_rounds(void **state)
{
    (void)state;
    /* Bytes per actor x issue x round, provenance aside: a round's position and risk, and at most two
     * challenges per pressed actor, each a dozen tagged members. */
    const double c = 800, base = 4096;
    static const struct {
        const char *spec;
        size_t n, k;
    } cases[] = {{"bdm", 10, 1}, {"bdm", 80, 2}, {"bdm", 300, 1}, {"bdm:scholz2011", 120, 1}, {"smp", 40, 2},
                 {"bdm,rounds=100,stop=fixed", 150, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        parley_scenario *s = generated(cases[i].n, cases[i].k, 11 + i);
        parley_result *r = run_flags(s, cases[i].spec, 0);
        char *json = parley_report(s, r, "json", NULL);
        assert_non_null(json);
        double cells = (double)cases[i].n * (double)cases[i].k * (double)rounds_of(r);
        if ((double)strlen(json) > base + c * cells)
            fail_msg("%s on %zu x %zu: %zu bytes, over %.0f", cases[i].spec, cases[i].n, cases[i].k, strlen(json), base + c * cells);
        free(json);
        /* The full map is quadratic: the same bound fails it (so the bound means something). */
        if (cases[i].n >= 80 && cases[i].n <= 150 && strncmp(cases[i].spec, "smp", 3)) {
            parley_result *f = run_flags(s, cases[i].spec, PARLEY_RUN_FULL_DETAIL);
            char *fj = parley_report(s, f, "json", NULL);
            assert_true((double)strlen(fj) > base + c * cells);
            free(fj);
            parley_result_free(f);
        }
        parley_result_free(r);
        parley_scenario_free(s);
    }
}

static void text_report_is_the_same_at_normal_detail(void **state)
{
    (void)state;
    parley_scenario *s = generated(40, 2, 5);
    parley_result *full = run_flags(s, "bdm", PARLEY_RUN_FULL_DETAIL), *bounded = run_flags(s, "bdm", 0);
    parley_report_options normal = {PARLEY_DETAIL_NORMAL}, summary = {PARLEY_DETAIL_SUMMARY};
    char *a = parley_report_with(s, full, "text", &normal, NULL), *b = parley_report_with(s, bounded, "text", &normal, NULL);
    assert_string_equal(a, b);
    free(a), free(b);
    a = parley_report_with(s, full, "text", &summary, NULL), b = parley_report_with(s, bounded, "text", &summary, NULL);
    assert_string_equal(a, b);
    free(a), free(b);
    parley_report_options all = {PARLEY_DETAIL_FULL};
    a = parley_report_with(s, full, "text", &all, NULL);
    assert_non_null(strstr(a, "Pressure map (bdm): every challenge"));
    free(a);
    /* JSON says what the bounded map left out. */
    a = parley_report(s, bounded, "json", NULL);
    assert_non_null(strstr(a, "\"challenges_left_out\": "));
    free(a);
    a = parley_report(s, full, "json", NULL);
    assert_null(strstr(a, "challenges_left_out"));
    free(a);
    parley_result_free(full), parley_result_free(bounded);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bounded_map_is_the_full_map_bounded_by_its_rule),
        cmocka_unit_test(full_detail_lists_every_pair),
        cmocka_unit_test(default_json_grows_linearly_in_actors_issues_and_rounds),
        cmocka_unit_test(text_report_is_the_same_at_normal_detail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
