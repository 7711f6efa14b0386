/* test_smp.c - the spatial model of politics: KTAB's reference histories, closed forms of its pieces,
 * edge cases and determinism. */
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
#include "models/smp.h"

/* Returns actor's position on issue after turn (NaN when there is no such entry). */
static double position_at(const parley_scenario *s, const parley_result *r, size_t actor, size_t issue, int turn)
{
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        int rd;
        size_t k;
        const double *pos;
        parley_result_round(r, i, NULL, &k, &rd, NULL, NULL, &pos);
        if (rd == turn && k == issue) return pos[actor];
    }
    (void)s;
    return NAN;
}

static int last_turn(const parley_result *r)
{
    int last = -1;
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        int rd;
        parley_result_round(r, i, NULL, NULL, &rd, NULL, NULL, NULL);
        if (rd > last) last = rd;
    }
    return last;
}

/* KTAB's history file: "Actor, Dimension:  v0 v1 ..." lines, then probabilities. Every printed value
 * must equal parley's rounded to 0.1, and the turn counts must agree. */
static void check_history(const char *input, const char *history)
{
    parley_scenario *s = read_data(input);
    parley_result *r = run_spec(s, "smp", 1);
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s", PARLEY_TEST_DATA, history);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int checked = 0, turns = -1;
    while (fgets(line, sizeof line, f)) {
        char *comma = strchr(line, ','), *colon = strchr(line, ':');
        if (!comma || !colon || colon < comma || strstr(line, "prob")) continue;
        *comma = '\0', *colon = '\0';
        const char *actor_id = line, *dim = comma + 1;
        while (*dim == ' ') dim++;
        size_t a = SIZE_MAX, k = SIZE_MAX;
        for (size_t i = 0; i < parley_scenario_actor_count(s); i++)
            if (!strcmp(parley_actor_id(s, i), actor_id)) a = i;
        for (size_t i = 0; i < parley_scenario_issue_count(s); i++)
            if (!strcmp(parley_issue_id(s, i), dim)) k = i;
        if (a == SIZE_MAX || k == SIZE_MAX) fail_msg("%s: unknown actor %s or dimension %s", history, actor_id, dim);
        char *p = colon + 1, *end;
        int t = 0;
        for (double want = strtod(p, &end); end != p; p = end, want = strtod(p, &end), t++) {
            /* as KTAB prints it: "%5.1f" of the 0-100 coordinate */
            double mine = position_at(s, r, a, k, t);
            char printed[32];
            snprintf(printed, sizeof printed, "%5.1f", mine);
            if (!(fabs(strtod(printed, NULL) - want) < 1e-9))
                fail_msg("%s %s %s turn %d: %.4f, KTAB %.1f", history, actor_id, dim, t, mine, want);
            checked++;
        }
        turns = t - 1;
    }
    fclose(f);
    assert_true(checked > 50);
    assert_int_equal(last_turn(r), turns);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void reproduces_ktab_on_dummy_data_3dim(void **state)
{
    (void)state;
    check_history("ktab/dummyData_3Dim.csv", "ktab/expected/dummyData_3Dim.history.txt");
}

static void reproduces_ktab_on_soe_pol_comp(void **state)
{
    (void)state;
    check_history("ktab/SOE-Pol-Comp.csv", "ktab/expected/SOE-Pol-Comp.history.txt");
}

/* KTAB's "History of actors' winning probabilities": "Actor, prob : p0 p1 ..." lines. Every printed
 * value must equal the win probability parley records for that actor and turn (on every issue of the
 * group alike) printed as KTAB prints it, "%.4f". */
static void check_win_history(const char *input, const char *history)
{
    parley_scenario *s = read_data(input);
    parley_result *r = run_spec(s, "smp", 1);
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s", PARLEY_TEST_DATA, history);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        char *comma = strchr(line, ','), *colon = strchr(line, ':');
        if (!comma || !colon || colon < comma || !strstr(comma, "prob")) continue;
        *comma = '\0';
        size_t a = SIZE_MAX;
        for (size_t i = 0; i < parley_scenario_actor_count(s); i++)
            if (!strcmp(parley_actor_id(s, i), line)) a = i;
        if (a == SIZE_MAX) fail_msg("%s: unknown actor %s", history, line);
        char *p = colon + 1, *end;
        int t = 0;
        for (double want = strtod(p, &end); end != p; p = end, want = strtod(p, &end), t++) {
            bool seen = false;
            for (size_t i = 0; i < parley_result_round_count(r); i++) {
                int rd;
                parley_result_round(r, i, NULL, NULL, &rd, NULL, NULL, NULL);
                if (rd != t) continue;
                const double *win = parley_result_round_win(r, i);
                assert_non_null(win);
                char printed[32];
                snprintf(printed, sizeof printed, "%.4f", win[a]);
                if (!(fabs(strtod(printed, NULL) - want) < 1e-9))
                    fail_msg("%s %s turn %d: %.6f, KTAB %.4f", history, line, t, win[a], want);
                seen = true;
            }
            assert_true(seen);
            checked++;
        }
    }
    fclose(f);
    assert_true(checked > 50);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void reproduces_ktab_win_probabilities_on_dummy_data_3dim(void **state)
{
    (void)state;
    check_win_history("ktab/dummyData_3Dim.csv", "ktab/expected/dummyData_3Dim.history.txt");
}

static void reproduces_ktab_win_probabilities_on_soe_pol_comp(void **state)
{
    (void)state;
    check_win_history("ktab/SOE-Pol-Comp.csv", "ktab/expected/SOE-Pol-Comp.history.txt");
}

/* A random scenario of n actors on k issues as parley-bench generates them (positions uniform on 0-100,
 * saliences on 0-1, capabilities log-uniform over two orders of magnitude, each stance present with
 * probability 0.9). twins: every actor has an identical twin (same capability and stances), so that many
 * challenges are worth exactly the same and ties must be broken as the plain scan breaks them. */
static parley_scenario *generated(size_t n, size_t k, uint64_t seed, bool twins)
{
    parley_scenario *s = parley_scenario_new();
    assert_non_null(s);
    parley_rng rng;
    parley_rng_seed(&rng, seed, 0);
    char id[32];
    for (size_t i = 0; i < k; i++) {
        snprintf(id, sizeof id, "issue%zu", i + 1);
        assert_int_equal(parley_scenario_add_issue(s, id, NULL, 0, 100, NULL), PARLEY_OK);
    }
    double pos[8], sal[8], cap = 1;
    bool has[8];
    assert_true(k <= 8);
    for (size_t a = 0; a < n; a++) {
        if (!twins || a % 2 == 0) {
            cap = pow(10, 2 * parley_rng_uniform(&rng));
            for (size_t i = 0; i < k; i++) {
                has[i] = parley_rng_uniform(&rng) < 0.9 || a == 0;
                pos[i] = 100 * parley_rng_uniform(&rng), sal[i] = parley_rng_uniform(&rng);
            }
        }
        snprintf(id, sizeof id, "actor%zu", a + 1);
        size_t idx;
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, cap, &idx), PARLEY_OK);
        for (size_t i = 0; i < k; i++)
            if (has[i]) assert_int_equal(parley_scenario_set_stance(s, idx, i, pos[i], sal[i], NAN), PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

/* The fast algorithms (bounded search for targets, bargain utilities shared across queues, elections
 * summed voter by voter) give the plain algorithms' results byte for byte: every position, risk
 * attitude, win probability, challenge, forecast and note, under every vote rule, victory model,
 * election, third-party commitment, bargain model and transition. */
static void fast_algorithms_equal_the_plain_ones_on_generated_inputs(void **state)
{
    (void)state;
    static const char *const specs[] = {
        "smp",
        "smp,voting=binary",
        "smp,voting=cubic,victory=square",
        "smp,voting=prop_bin,pce=markov_uniform",
        "smp,voting=prop_cubic,pce=markov_incentive",
        "smp,voting=asym_prospect,victory=binary",
        "smp,third_party=full,r_range=min",
        "smp,third_party=none,r_range=max,r_adjust=none",
        "smp,interp=s1p1,bargain=init_rcvr,r_adjust=full",
        "smp,interp=s2pmax,bargain=pw_comp,r_adjust=half",
        "smp,transition=stochastic,victory=octic",
        "smp,victory=quartic,r_adjust=two_thirds",
    };
    static const struct {
        size_t n, k;
        uint64_t seed;
        bool twins;
    } inputs[] = {{40, 3, 11, false}, {33, 2, 12, false}, {21, 5, 13, false}, {36, 3, 14, true}};
    int differ = 0;
    for (size_t in = 0; in < sizeof inputs / sizeof *inputs; in++) {
        parley_scenario *s = generated(inputs[in].n, inputs[in].k, inputs[in].seed, inputs[in].twins);
        for (size_t sp = 0; sp < sizeof specs / sizeof *specs; sp++) {
            char *json[2];
            for (int plain = 0; plain < 2; plain++) {
                smp_reference_algorithms = plain;
                parley_result *r = run_spec(s, specs[sp], 5);
                json[plain] = parley_report(s, r, "json", NULL);
                assert_non_null(json[plain]);
                parley_result_free(r);
            }
            smp_reference_algorithms = false;
            if (strcmp(json[0], json[1]))
                differ++, print_error("%zu actors x %zu issues (seed %llu): %s differs\n", inputs[in].n, inputs[in].k,
                                      (unsigned long long)inputs[in].seed, specs[sp]);
            free(json[0]), free(json[1]);
        }
        parley_scenario_free(s);
    }
    assert_int_equal(differ, 0);
}

/* The final win probability KTAB printed for the most probable position of dummyData_3Dim (0.4009). */
static void names_the_most_probable_final_position(void **state)
{
    (void)state;
    parley_scenario *s = read_data("ktab/dummyData_3Dim.csv");
    parley_result *r = run_spec(s, "smp", 1);
    const char *note = NULL;
    double v = NAN;
    assert_true(parley_result_forecast(r, 0, NULL, NULL, &v, &note));
    assert_non_null(note);
    assert_non_null(strstr(note, "win probability 0.401, held by SActor-05"));
    assert_non_null(strstr(note, "10 turns"));
    assert_true(fabs(v - 79.9) < 0.05);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void the_other_ktab_inputs_run_cleanly(void **state)
{
    (void)state;
    static const char *const inputs[] = {"ktab/SOE-Competitive.csv", "ktab/SOE-Policy.csv", "ktab/dummyData_6Dim.csv"};
    for (size_t f = 0; f < 3; f++) {
        parley_scenario *s = read_data(inputs[f]);
        parley_result *r = run_spec(s, "smp", 1);
        for (size_t k = 0; k < parley_scenario_issue_count(s); k++) {
            double v = parley_result_value(r, 0, k);
            assert_true(v >= 0 && v <= 100);
        }
        assert_true(last_turn(r) >= 2 && last_turn(r) <= 100);
        parley_result_free(r);
        parley_scenario_free(s);
    }
}

/* Two options, two voters: A (weight 3) values option 0 at 1 and option 1 at 0.5; B (weight 1) the
 * reverse. Coalition strengths 1.5 + 1e-8 and 0.5 + 1e-8. */
static void elections_in_closed_form(void **state)
{
    (void)state;
    const double w[2] = {3, 1}, u2[4] = {1, 0.5, 0.5, 1};
    double p[3];
    double c0 = 1.5 + 1e-8, c1 = 0.5 + 1e-8;
    /* conditional, linear: P(0 > 1) = c0 / (c0 + c1); the election's p equals it for two options */
    assert_true(smp_election(0, 0, 0, 2, 2, w, u2, p, 1000));
    assert_true(fabs(p[0] - c0 / (c0 + c1)) < 1e-12 && fabs(p[0] + p[1] - 1) < 1e-12);
    /* square victory: c0^2 / (c0^2 + c1^2) */
    assert_true(smp_election(0, 1, 0, 2, 2, w, u2, p, 1000));
    assert_true(fabs(p[0] - c0 * c0 / (c0 * c0 + c1 * c1)) < 1e-12);
    /* binary victory: a strength ratio of 3 is past the 1.1 threshold, a certain win (up to 1e-6) */
    assert_true(smp_election(0, 4, 0, 2, 2, w, u2, p, 1000));
    assert_true(fabs(p[0] - 1 / (1 + 1e-6)) < 1e-12);
    /* Markov uniform on two options converges to the same as conditional: P(0 > 1) */
    assert_true(smp_election(0, 0, 1, 2, 2, w, u2, p, 1000));
    assert_true(fabs(p[0] - c0 / (c0 + c1)) < 1e-5);
    /* Three options, one voter of weight 1 with utilities 1, 0.5, 0: P(i > j) = (u_i - u_j + 1e-8) /
     * (|u_i - u_j| + 2e-8) for i better; conditional p_i is proportional to the product over j. */
    const double w1[1] = {1}, u3[3] = {1, 0.5, 0};
    assert_true(smp_election(0, 0, 0, 1, 3, w1, u3, p, 1000));
    double P01 = (0.5 + 1e-8) / (0.5 + 2e-8), P02 = (1 + 1e-8) / (1 + 2e-8), P12 = P01;
    double q0 = 0.5 * P01 * P02, q1 = (1 - P01) * 0.5 * P12, q2 = (1 - P02) * (1 - P12) * 0.5;
    assert_true(fabs(p[0] - q0 / (q0 + q1 + q2)) < 1e-12 && fabs(p[1] - q1 / (q0 + q1 + q2)) < 1e-12);
    /* The Markov variants agree that the best option all but wins; they sum to 1. */
    for (int model = 1; model <= 2; model++) {
        assert_true(smp_election(0, 0, model, 1, 3, w1, u3, p, 1000));
        assert_true(p[0] > 0.99 && fabs(p[0] + p[1] + p[2] - 1) < 1e-9);
    }
    /* An iteration cap that cannot be met is reported. */
    assert_false(smp_election(0, 0, 1, 1, 3, w1, u3, p, 1));
}

static void risk_attitudes_in_closed_form(void **state)
{
    (void)state;
    /* mid maps [pmin, pmax] to [-1/2, 1], min to [0, 1], max to [-1, 1] */
    assert_true(fabs(smp_risk(0, 0.1, 0.1, 0.7) + 0.5) < 1e-15 && fabs(smp_risk(0, 0.7, 0.1, 0.7) - 1) < 1e-15);
    assert_true(fabs(smp_risk(0, 0.3, 0.1, 0.7) - 0) < 1e-15);
    assert_true(fabs(smp_risk(1, 0.4, 0.1, 0.7) - 0.5) < 1e-15);
    assert_true(fabs(smp_risk(2, 0.4, 0.1, 0.7) - 0) < 1e-15 && fabs(smp_risk(2, 0.1, 0.1, 0.7) + 1) < 1e-15);
    /* consensus: no division by zero */
    for (int range = 0; range < 3; range++) assert_true(smp_risk(range, 0.25, 0.25, 0.25) == 0);
}

static void bargains_in_closed_form(void **state)
{
    (void)state;
    double bi, bj;
    /* S2P2: weights (s p)^2: initiator 0.5 x 0.8, receiver 0.5 x 0.2 -> 0.16 and 0.01 (plus 1e-6) */
    smp_interpolate(0, 0.2, 0.5, 0.8, 0.5, 0.8, &bi, &bj);
    double wi = 0.25 * 0.64, wj = 0.25 * 0.04;
    assert_true(fabs(bi - round(((wi + 1e-6) * 0.2 + wj * 0.8) / (wi + 1e-6 + wj) * 1e4) / 1e4) < 1e-12);
    assert_true(fabs(bi - 0.2353) < 1e-12 && fabs(bj - 0.2353) < 1e-12);
    /* S1P1: weights 0.4 and 0.1: both propose 0.2 + 0.6 x 0.2 = 0.32 */
    smp_interpolate(1, 0.2, 0.5, 0.8, 0.5, 0.8, &bi, &bj);
    assert_true(fabs(bi - 0.32) < 1e-12 && fabs(bj - 0.32) < 1e-12);
    /* Two indifferent sides: each stays where it is. */
    smp_interpolate(0, 0.2, 0, 0.8, 0, 0.5, &bi, &bj);
    assert_true(fabs(bi - 0.2) < 1e-12 && fabs(bj - 0.8) < 1e-12);
    /* S2PMax: only the weaker side (the receiver, at p = 0.8) moves: d = 0.6 x 0.25 / (0.15 + 1e-6 + 0.4 x 0.25) */
    smp_interpolate(2, 0.2, 0.5, 0.8, 0.5, 0.8, &bi, &bj);
    double dj = 0.6 * 0.25 / (0.6 * 0.25 + 1e-6 + 0.4 * 0.25);
    assert_true(bi == 0.2 && fabs(bj - (0.8 + dj * (0.2 - 0.8))) < 1e-12);
}

/* Everyone at one point: nobody challenges, nothing moves, no division by zero. */
static void a_consensus_stays_put(void **state)
{
    (void)state;
    static const char json[] =
        "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100},{\"id\":\"q\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\"},{\"id\":\"B\"},{\"id\":\"C\"}],\"stances\":["
        "{\"actor\":\"A\",\"issue\":\"p\",\"position\":40,\"salience\":0.5},{\"actor\":\"A\",\"issue\":\"q\",\"position\":60,\"salience\":0.5},"
        "{\"actor\":\"B\",\"issue\":\"p\",\"position\":40,\"salience\":0.3},{\"actor\":\"B\",\"issue\":\"q\",\"position\":60,\"salience\":0.2},"
        "{\"actor\":\"C\",\"issue\":\"p\",\"position\":40,\"salience\":0.9},{\"actor\":\"C\",\"issue\":\"q\",\"position\":60,\"salience\":0.1}]}";
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(json, strlen(json), "consensus.json", NULL, &s, NULL), PARLEY_OK);
    parley_result *r = run_spec(s, "smp", 1);
    assert_true(parley_result_value(r, 0, 0) == 40 && parley_result_value(r, 0, 1) == 60);
    assert_int_equal(parley_result_challenge_count(r), 0);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* An actor without a stance on an issue sits at its weighted mean with salience 0, and is told so. */
static void absent_actors_sit_at_the_mean(void **state)
{
    (void)state;
    static const char json[] =
        "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100},{\"id\":\"q\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\"},{\"id\":\"B\"},{\"id\":\"C\"}],\"stances\":["
        "{\"actor\":\"A\",\"issue\":\"p\",\"position\":0,\"salience\":0.5},{\"actor\":\"A\",\"issue\":\"q\",\"position\":0,\"salience\":0.5},"
        "{\"actor\":\"B\",\"issue\":\"p\",\"position\":100,\"salience\":0.5},{\"actor\":\"B\",\"issue\":\"q\",\"position\":100,\"salience\":0.5},"
        "{\"actor\":\"C\",\"issue\":\"p\",\"position\":80,\"salience\":0.9}]}";
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(json, strlen(json), "absent.json", NULL, &s, NULL), PARLEY_OK);
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "smp", err), PARLEY_OK);
    parley_result *r = parley_run(s, p, 1, err);
    assert_non_null(r);
    assert_true(fabs(position_at(s, r, 2, 1, 0) - 50) < 1e-12);
    bool warned = false;
    for (size_t i = 0; i < parley_error_count(err); i++)
        warned |= strstr(parley_error_at(err, i)->message, "weighted mean with salience 0") != NULL;
    assert_true(warned);
    parley_result_free(r);
    parley_plan_free(p);
    parley_error_free(err);
    parley_scenario_free(s);
}

/* Stochastic transitions draw from generators seeded per actor and turn: the same bytes for any thread
 * count, and another seed gives another run. */
static void stochastic_runs_do_not_depend_on_threads(void **state)
{
    (void)state;
    parley_scenario *s = read_data("ktab/dummyData_6Dim.csv");
    char *json[3];
    for (int t = 0; t < 3; t++) {
        setenv("PARLEY_THREADS", t == 0 ? "1" : "2", 1);
        parley_result *r = run_spec(s, "smp,transition=stochastic", t == 2 ? 9 : 7);
        json[t] = parley_report(s, r, "json", NULL);
        assert_non_null(json[t]);
        parley_result_free(r);
    }
    unsetenv("PARLEY_THREADS");
    assert_string_equal(json[0], json[1]);
    assert_true(strcmp(json[0], json[2]) != 0);
    for (int t = 0; t < 3; t++) free(json[t]);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reproduces_ktab_on_dummy_data_3dim),
        cmocka_unit_test(reproduces_ktab_on_soe_pol_comp),
        cmocka_unit_test(reproduces_ktab_win_probabilities_on_dummy_data_3dim),
        cmocka_unit_test(reproduces_ktab_win_probabilities_on_soe_pol_comp),
        cmocka_unit_test(fast_algorithms_equal_the_plain_ones_on_generated_inputs),
        cmocka_unit_test(names_the_most_probable_final_position),
        cmocka_unit_test(the_other_ktab_inputs_run_cleanly),
        cmocka_unit_test(elections_in_closed_form),
        cmocka_unit_test(risk_attitudes_in_closed_form),
        cmocka_unit_test(bargains_in_closed_form),
        cmocka_unit_test(a_consensus_stays_put),
        cmocka_unit_test(absent_actors_sit_at_the_mean),
        cmocka_unit_test(stochastic_runs_do_not_depend_on_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
