/* test_bdm.c - the expected-utility model: published trajectories, hand-computed formulas, invariants,
 * degenerate inputs, thread-count independence. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/vmath.h"
#include "models/bdm.h"
#include "helpers.h"
#include "parley/parley.h"

#define DATA PARLEY_TEST_DATA

static parley_result *run(const parley_scenario *s, const char *spec)
{
    return run_spec(s, spec, 1);
}

/* run() with the whole pressure map (--detail full). */
static parley_result *run_full(const parley_scenario *s, const char *spec)
{
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, err), PARLEY_OK);
    parley_run_options o = {PARLEY_RUN_FULL_DETAIL, 0, NULL};
    parley_result *r = NULL;
    assert_int_equal(parley_run_with(s, p, 1, &o, &r, err), PARLEY_OK);
    parley_plan_free(p);
    parley_error_free(err);
    return r;
}

/* Reads a CSV of numbers with a header into rows (at most 16 rows of 64 columns); returns the row count. */
static size_t read_table(const char *path, char header[64][64], double rows[16][64], size_t *cols)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    size_t n = 0;
    *cols = 0;
    while (fgets(line, sizeof line, f) && n < 16) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t c = 0;
        for (char *save = NULL, *tok = strtok_r(line, ",", &save); tok && c < 64; tok = strtok_r(NULL, ",", &save), c++) {
            if (*cols == 0 || header[0][0] == '\0') snprintf(header[c], 64, "%s", tok);
            else rows[n][c] = strtod(tok, NULL);
        }
        if (*cols == 0) *cols = c;
        else n++;
    }
    fclose(f);
    return n;
}

static void scholz2011_preset_reproduces_the_published_trajectories(void **state)
{
    (void)state;
    static const char *const sets[] = {"emission_1994", "greece_2015", "iran_election_2013", "sultan", "kyoto", "ww1"};
    for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
        char rel[256], path[512];
        snprintf(rel, sizeof rel, "bdm/%s.csv", sets[k]);
        parley_scenario *s = read_data(rel);
        parley_result *r = run(s, "bdm:scholz2011");
        char rh[64][64] = {{0}}, ph[64][64] = {{0}};
        double rr[16][64], pr[16][64];
        size_t rc, pc;
        snprintf(path, sizeof path, "%s/bdm/scholz2011/%s_rounds.csv", DATA, sets[k]);
        size_t nr = read_table(path, rh, rr, &rc);
        snprintf(path, sizeof path, "%s/bdm/scholz2011/%s_positions.csv", DATA, sets[k]);
        size_t np = read_table(path, ph, pr, &pc);
        assert_int_equal(nr, 11);
        assert_int_equal(np, 11);
        /* The replication is chaotic after round 8 on ww1 (an exact float equality flips). */
        int last = strcmp(sets[k], "ww1") == 0 ? 8 : 10;
        for (size_t i = 0; i < parley_result_round_count(r); i++) {
            int round;
            double median, mean;
            const double *pos;
            parley_result_round(r, i, NULL, NULL, &round, &median, &mean, &pos);
            if (round > last) continue;
            if (fabs(median - rr[round][1]) > 1e-4 || fabs(mean - rr[round][2]) > 1e-4)
                fail_msg("%s round %d: median %.6g (want %.6g), mean %.6g (want %.6g)", sets[k], round, median,
                         rr[round][1], mean, rr[round][2]);
            for (size_t c = 1; c < pc; c++) {
                size_t a;
                assert_true(parley_scenario_find_actor(s, ph[c], &a));
                if (fabs(pos[a] - pr[round][c]) > 1e-4)
                    fail_msg("%s round %d %s: %.6g, want %.6g", sets[k], round, ph[c], pos[a], pr[round][c]);
            }
        }
        parley_result_free(r);
        parley_scenario_free(s);
    }
}

/* A 3-actor case computed by hand (an independent naive implementation of the paper's equations):
 * a at 0 (capability 1, salience 0.8), b at 60 (2, 0.5), c at 100 (1, 1). */
static void paper_preset_matches_a_hand_computed_round(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    parley_scenario_add_issue(s, "x", NULL, 0, 100, &k);
    static const double X[] = {0, 60, 100}, C[] = {1, 2, 1}, S[] = {0.8, 0.5, 1};
    static const char *const ids[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        parley_scenario_add_actor(s, ids[i], NULL, C[i], &a);
        parley_scenario_set_stance(s, a, k, X[i], S[i], NAN);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    parley_result *r = run_full(s, "bdm:paper,rounds=1,stop=fixed");
    /* Votes: P(a,b) = 0.8*60 / (0.8*60 + 1*60 + 1*60) = 2/7; P(a,c) = 0.4; P(b,c) = 0.643.
     * Threat sums (risk-neutral): a 1.3714, b 0.6286, c -0.1714, so R = 1, 0.0244, -1 and
     * r = (1 - R/3) / (1 + R/3) = 0.5, 0.9756, 2. */
    const double *risk = parley_result_round_risk(r, 1);
    assert_non_null(risk);
    assert_true(fabs(risk[0] - 0.5) < 1e-12);
    assert_true(fabs(risk[1] - 0.97560975609756095) < 1e-12);
    assert_true(fabs(risk[2] - 2) < 1e-12);
    /* Offers: b and c both beat a in conflict (a's EU 0.4007 and 0.4284 against their 0.6307 and 1.5484);
     * c, better able to enforce, wins a over: a moves to 100. c also beats b (0.2309 < 0.2877): b moves to
     * 100. Against a, c is in stalemate (-0.28 and -1.4); against b, c wins its conflict. */
    const double *pos;
    parley_result_round(r, 1, NULL, NULL, NULL, NULL, NULL, &pos);
    assert_true(pos[0] == 100 && pos[1] == 100 && pos[2] == 100);
    static const struct {
        const char *from, *to, *region;
        double offer;
        bool accepted;
    } want[] = {
        {"b", "a", "conflict", 60, false},      {"c", "a", "conflict", 100, true},
        {"a", "b", "conflict", NAN, false},     {"c", "b", "conflict", 100, true},
        {"a", "c", "stalemate", NAN, false},    {"b", "c", "conflict", NAN, false},
    };
    assert_int_equal(parley_result_challenge_count(r), 6);
    for (size_t i = 0; i < 6; i++) {
        parley_challenge c;
        assert_true(parley_result_challenge(r, i, &c));
        assert_string_equal(parley_actor_id(s, c.from), want[i].from);
        assert_string_equal(parley_actor_id(s, c.to), want[i].to);
        assert_string_equal(parley_region_name(c.region), want[i].region);
        assert_true(isnan(want[i].offer) ? isnan(c.offer) : c.offer == want[i].offer);
        assert_int_equal(c.accepted, want[i].accepted);
    }
    assert_int_equal(parley_result_challenges_left_out(r), 0);
    parley_result_free(r);
    /* The default, bounded map keeps what each actor accepted and its strongest other challenger: c
     * accepted nothing, and b's conflict ranks above a's stalemate (neither makes an offer). */
    r = run(s, "bdm:paper,rounds=1,stop=fixed");
    assert_int_equal(parley_result_challenge_count(r), 5);
    assert_int_equal(parley_result_challenges_left_out(r), 1);
    for (size_t i = 0, w = 0; i < 5; i++, w++) {
        parley_challenge c;
        assert_true(parley_result_challenge(r, i, &c));
        if (w == 4) w++; /* "a presses c" is left out */
        assert_string_equal(parley_actor_id(s, c.from), want[w].from);
        assert_string_equal(parley_actor_id(s, c.to), want[w].to);
        assert_int_equal(c.accepted, want[w].accepted);
    }
    parley_result_free(r);
    parley_scenario_free(s);
}

static void probabilities_of_the_sweep_match_a_naive_count(void **state)
{
    (void)state;
    parley_rng rng;
    parley_rng_seed(&rng, 9, 0);
    for (int trial = 0; trial < 50; trial++) {
        size_t m = 2 + parley_rng_below(&rng, 40);
        double x[64], w[64], P[64 * 64];
        for (size_t k = 0; k < m; k++) {
            /* Coarse positions, so that ties and shared positions occur. */
            x[k] = (double)parley_rng_below(&rng, 11) * 10;
            w[k] = parley_rng_uniform(&rng) < 0.1 ? 0 : parley_rng_uniform(&rng);
        }
        assert_true(bdm_probabilities(x, w, m, 0, P));
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < m; j++) {
                if (i == j || x[i] == x[j]) {
                    assert_true(i == j || P[i * m + j] == 0);
                    continue;
                }
                double pos = 0, all = 0;
                for (size_t k = 0; k < m; k++) {
                    double v = w[k] * (fabs(x[k] - x[j]) - fabs(x[k] - x[i]));
                    pos += v > 0 ? v : 0;
                    all += fabs(v);
                }
                double want = all > 0 ? pos / all : 0.5;
                if (fabs(P[i * m + j] - want) > 1e-12) fail_msg("P(%zu,%zu) = %.17g, want %.17g", i, j, P[i * m + j], want);
                /* The paper form's probabilities are complementary. */
                assert_true(P[i * m + j] + P[j * m + i] == 1);
            }
    }
}

/* iran_1984, bdm:scholz2011 for 10 rounds: the reference replication has Technocrats (TEC) at 63.6828 after
 * round 10 where parley has 50. The deciding comparison is TEC's view of Urban Middle Class (UMC, at 50)
 * pressing it from 6e-9 away: compromise when E_UMC > |E_TEC|. Their saliences sum to exactly 1 (0.6 +
 * 0.4), which cancels the difference to first order in the distance d: what is left, (A + B) + Q (A - B)
 * with A, B the success and failure utilities less the status quo's, is of order d^2 ~ 1e-21, while each
 * expected utility is a sum of terms near 0.58 rounded to 1e-16. So the sign each implementation computes
 * is rounding noise: parley's (+3e-16) agrees with the exact sign, the reference's does not, and it takes
 * the next compromise, LCR's at 63.6828. docs/models/bdm.md, "A tie below rounding". */
static void iran_1984_round_10_is_a_tie_below_rounding(void **state)
{
    (void)state;
    parley_scenario *s = read_data("bdm/iran_1984.csv");
    parley_result *r = run_full(s, "bdm:scholz2011,rounds=10,stop=fixed");
    size_t tec, umc, lcr;
    assert_true(parley_scenario_find_actor(s, "Technocrats_TEC", &tec));
    assert_true(parley_scenario_find_actor(s, "Urban_Middle_Class_UMC", &umc));
    assert_true(parley_scenario_find_actor(s, "Lower_Class_Rural_Peasrants_LCR", &lcr));
    /* Rounds 1-9 as the reference has them (6 significant digits). */
    static const double want[] = {70, 52.2007, 50.0177, 50.0000, 50.0000, 63.7991, 53.2224, 50.1759, 50.0006, 50.0000};
    const double *at[11] = {0}, *risk10 = NULL;
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        int round;
        const double *pos;
        parley_result_round(r, i, NULL, NULL, &round, NULL, NULL, &pos);
        at[round] = pos;
        if (round == 10) risk10 = parley_result_round_risk(r, i);
    }
    for (int t = 0; t <= 9; t++) assert_true(fabs(at[t][tec] - want[t]) < 1e-4);
    double sal_t = NAN, sal_u = NAN;
    assert_true(parley_stance(s, tec, 0, NULL, &sal_t, NULL) && parley_stance(s, umc, 0, NULL, &sal_u, NULL));
    assert_true(sal_t + sal_u == 1);
    /* The second-order remainder, in long double from round 9's positions and TEC's round-10 exponent. */
    long double rho = risk10[tec], d = fabsl((long double)at[9][tec] - at[9][umc]) / 100; /* range: 0-100 */
    long double k = 4 * powl(0.5L, rho), A = -k * expm1l(rho * log1pl(-d)), B = -k * expm1l(rho * log1pl(d));
    assert_true(rho < 1 && d > 1e-11 && d < 1e-10);
    assert_true(A + B > 0 && A + B < 1e-19);  /* e > |a| exactly (Q (A - B) > 0 only adds), by ~1e-21 */
    assert_true(16 * DBL_EPSILON * 0.57 > 1e3 * (double)(A + B)); /* far below one rounding of the terms */
    /* parley takes UMC's compromise; the reference's value is LCR's, which parley offers too. */
    assert_true(fabs(at[10][tec] - 50) < 1e-12);
    parley_challenge c;
    bool seen = false;
    for (size_t i = 0; parley_result_challenge(r, i, &c); i++) {
        if (c.round != 10 || c.to != tec) continue;
        if (c.from == umc) assert_true(c.accepted && c.region == PARLEY_REGION_COMPROMISE);
        if (c.from == lcr) seen = true, assert_true(!c.accepted && fabs(c.offer - 63.6828) < 1e-4);
    }
    assert_true(seen);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void every_data_set_runs_cleanly_under_both_presets(void **state)
{
    (void)state;
    static const char *const sets[] = {"argentina", "china_1989", "coldwar_1948", "emission_1994", "greece_2015",
                                       "honduras", "iran_1984", "iran_election_2013", "israel_hamas", "kyoto",
                                       "litigation", "oil_preana", "sultan", "ukraine", "ww1"};
    static const char *const specs[] = {"bdm:paper", "bdm:scholz2011"};
    for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
        char rel[256];
        snprintf(rel, sizeof rel, "bdm/%s.csv", sets[k]);
        parley_scenario *s = read_data(rel);
        double lo = parley_issue_number(s, 0, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, 0, PARLEY_ISSUE_HIGH);
        for (size_t p = 0; p < 2; p++) {
            parley_result *r = run(s, specs[p]);
            double v;
            const char *note;
            parley_result_forecast(r, 0, NULL, NULL, &v, &note);
            if (!(v >= lo && v <= hi)) fail_msg("%s %s: forecast %g off [%g, %g]", sets[k], specs[p], v, lo, hi);
            assert_non_null(note); /* every run says why it stopped */
            double last_median = NAN;
            for (size_t i = 0; i < parley_result_round_count(r); i++) {
                double median;
                parley_result_round(r, i, NULL, NULL, NULL, &median, NULL, NULL);
                last_median = median;
                const double *risk = parley_result_round_risk(r, i);
                for (size_t a = 0; risk && a < parley_scenario_actor_count(s); a++)
                    if (!(risk[a] >= 0.5 - 1e-12 && risk[a] <= 2 + 1e-12))
                        fail_msg("%s %s: risk exponent %g outside [0.5, 2]", sets[k], specs[p], risk[a]);
            }
            /* The paper preset's forecast is the weighted median (lower tie) after the last round. */
            if (p == 0) assert_true(v == last_median);
            parley_result_free(r);
        }
        parley_scenario_free(s);
    }
}

static void degenerate_inputs_give_defined_results(void **state)
{
    (void)state;
    static const char *const cases[] = {
        /* one actor */
        "{\"issues\":[{\"id\":\"x\",\"low\":0,\"high\":10}],\"actors\":[{\"id\":\"a\"}],"
        "\"stances\":[{\"actor\":\"a\",\"issue\":\"x\",\"position\":3,\"salience\":1}]}",
        /* all positions equal */
        "{\"issues\":[{\"id\":\"x\",\"low\":0,\"high\":10}],\"actors\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
        "\"stances\":[{\"actor\":\"a\",\"issue\":\"x\",\"position\":4,\"salience\":1},"
        "{\"actor\":\"b\",\"issue\":\"x\",\"position\":4,\"salience\":0.5}]}",
        /* zero salience everywhere */
        "{\"issues\":[{\"id\":\"x\",\"low\":0,\"high\":10}],\"actors\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}],"
        "\"stances\":[{\"actor\":\"a\",\"issue\":\"x\",\"position\":1,\"salience\":0},"
        "{\"actor\":\"b\",\"issue\":\"x\",\"position\":5,\"salience\":0},{\"actor\":\"c\",\"issue\":\"x\",\"position\":9,\"salience\":0}]}",
        /* zero range: a scale of one point */
        "{\"issues\":[{\"id\":\"x\",\"low\":2,\"high\":2}],\"actors\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
        "\"stances\":[{\"actor\":\"a\",\"issue\":\"x\",\"position\":2,\"salience\":1},"
        "{\"actor\":\"b\",\"issue\":\"x\",\"position\":2,\"salience\":1}]}",
        /* zero capability for all but one, and an actor with no stance */
        "{\"issues\":[{\"id\":\"x\",\"low\":0,\"high\":1}],\"actors\":[{\"id\":\"a\",\"capability\":0},{\"id\":\"b\"},"
        "{\"id\":\"c\",\"capability\":0}],\"stances\":[{\"actor\":\"a\",\"issue\":\"x\",\"position\":0,\"salience\":1},"
        "{\"actor\":\"b\",\"issue\":\"x\",\"position\":1,\"salience\":1}]}",
    };
    static const char *const specs[] = {"bdm:paper", "bdm:scholz2011", "bdm,q=0.5,t_rule=median,perspective=own",
                                        "bdm,probability=net", "bdm,probability=third_party,range=current"};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        parley_error *err = parley_error_new();
        parley_scenario *s = NULL;
        assert_int_equal(parley_read_buffer(cases[c], strlen(cases[c]), "case.json", NULL, &s, err), PARLEY_OK);
        for (size_t p = 0; p < sizeof specs / sizeof *specs; p++) {
            parley_result *r = run(s, specs[p]);
            char *json = parley_report(s, r, "json", err);
            if (strstr(json, "nan") || strstr(json, "inf")) fail_msg("case %zu, %s: %s", c, specs[p], json);
            double v;
            parley_result_forecast(r, 0, NULL, NULL, &v, NULL);
            assert_false(isnan(v));
            free(json);
            parley_result_free(r);
        }
        parley_scenario_free(s);
        parley_error_free(err);
    }
}

static void results_do_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    parley_scenario *s = read_data("deu3/deu3-dev.tsv");
    char *first = NULL;
    static const char *const threads[] = {"1", "7"};
    for (size_t t = 0; t < 2; t++) {
        setenv("PARLEY_THREADS", threads[t], 1);
        /* Short runs keep the full JSON (every round and the whole pressure map) small enough to compare. */
        parley_result *r = run(s, "bdm:paper,rounds=4,bdm:scholz2011,rounds=3");
        char *json = parley_report(s, r, "json", NULL);
        if (!first) first = json;
        else {
            assert_string_equal(first, json);
            free(json);
        }
        parley_result_free(r);
    }
    unsetenv("PARLEY_THREADS");
    free(first);
    parley_scenario_free(s);
}

static void vectorised_exp_and_log_are_accurate(void **state)
{
    (void)state;
    parley_rng rng;
    parley_rng_seed(&rng, 3, 0);
    for (int i = 0; i < 200000; i++) {
        double v = parley_rng_uniform(&rng) + 1e-9, x = -40 * parley_rng_uniform(&rng);
        assert_true(fabs(vm_log(v) - log(v)) <= 1e-15 * fabs(log(v)) + 1e-300);
        assert_true(fabs(vm_exp(x) - exp(x)) <= 1e-15 * exp(x));
    }
    double d[5] = {0, 0.25, 0.5, 1, 0.75}, rj[5] = {1, 0.5, 2, 1.5, 1}, a[5], b[5], c[5], e[5];
    vm_utilities(5, d, 1, rj, a, b, c, e);
    for (int k = 0; k < 5; k++) {
        assert_true(a[k] == 2 - 4 * (0.5 - 0.5 * d[k])); /* exponent 1: exact */
        assert_true(fabs(c[k] - (2 - 4 * pow(0.5 - 0.5 * d[k], rj[k]))) < 1e-14);
        assert_true(fabs(e[k] - (2 - 4 * pow(0.5 + 0.5 * d[k], rj[k]))) < 1e-14);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scholz2011_preset_reproduces_the_published_trajectories),
        cmocka_unit_test(paper_preset_matches_a_hand_computed_round),
        cmocka_unit_test(probabilities_of_the_sweep_match_a_naive_count),
        cmocka_unit_test(every_data_set_runs_cleanly_under_both_presets),
        cmocka_unit_test(iran_1984_round_10_is_a_tie_below_rounding),
        cmocka_unit_test(degenerate_inputs_give_defined_results),
        cmocka_unit_test(results_do_not_depend_on_the_thread_count),
        cmocka_unit_test(vectorised_exp_and_log_are_accurate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
