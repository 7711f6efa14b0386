/* test_exchange.c - the exchange model: the reference's trades, a hand-computed trade, REX. */
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
#include "parley/parley.h"

#define DATA PARLEY_TEST_DATA

static parley_result *run(const parley_scenario *s, const char *spec, uint64_t seed)
{
    return run_spec(s, spec, seed);
}

/* Returns the reference's issue id: "tol-hoogte [0.5 - 7]" -> "tol-hoogte". */
static void strip_range(const char *key, char *out, size_t n)
{
    snprintf(out, n, "%s", key);
    char *b = strstr(out, " [");
    if (b) *b = '\0';
}

static double round_outcome(const parley_scenario *s, const parley_result *r, const char *issue, int round)
{
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        size_t k;
        int rd;
        parley_result_round(r, i, NULL, &k, &rd, NULL, NULL, NULL);
        if (rd == round && !strcmp(parley_issue_id(s, k), issue)) return parley_result_round_outcome(r, i);
    }
    return NAN;
}

/* The deterministic model (spec) against the reference (ties by list order): every round-1 trade, in
 * execution order, and the voting outcomes of the first rounds_matched rounds (see docs/models/exchange.md). */
static void check_reference(const char *input, const char *expected, const char *spec, int rounds_matched)
{
    parley_scenario *s = read_data(input);
    parley_result *r = run(s, spec, 1);
    char path[512], id[256];
    snprintf(path, sizeof path, "%s/%s", DATA, expected);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    json_t *ref = json_array_get(json_object_get(root, "runs"), 0);
    json_t *trades = json_object_get(ref, "round1_exchanges_in_execution_order");
    size_t n1 = 0;
    parley_exchange e;
    for (size_t i = 0; parley_result_exchange(r, i, &e); i++) {
        if (e.round != 1) continue;
        json_t *t = json_array_get(trades, n1++);
        assert_non_null(t);
        assert_string_equal(parley_actor_id(s, e.i), json_string_value(json_object_get(t, "i")));
        assert_string_equal(parley_actor_id(s, e.j), json_string_value(json_object_get(t, "j")));
        strip_range(json_string_value(json_object_get(t, "i_supply")), id, sizeof id);
        assert_string_equal(parley_issue_id(s, e.i_supply), id);
        strip_range(json_string_value(json_object_get(t, "j_supply")), id, sizeof id);
        assert_string_equal(parley_issue_id(s, e.j_supply), id);
        static const char *const fields[] = {"i_x", "i_y", "j_x", "j_y", "gain"};
        double mine[] = {e.i_x, e.i_y, e.j_x, e.j_y, e.gain};
        for (int f = 0; f < 5; f++) {
            double want = json_number_value(json_object_get(t, fields[f]));
            if (fabs(mine[f] - want) > 1e-6) fail_msg("%s trade %zu %s: %.12g, want %.12g", input, n1, fields[f], mine[f], want);
        }
    }
    assert_int_equal(n1, json_array_size(trades));
    json_t *voting = json_object_get(ref, "voting_nbs_per_round");
    for (int round = 1; round <= rounds_matched; round++) {
        const char *key;
        json_t *v;
        json_object_foreach(json_array_get(voting, (size_t)round - 1), key, v) {
            strip_range(key, id, sizeof id);
            double mine = round_outcome(s, r, id, round);
            if (fabs(mine - json_number_value(v)) > 1e-6)
                fail_msg("%s round %d %s: %.12g, want %.12g", input, round, id, mine, json_number_value(v));
        }
    }
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(ref, "initial_nbs"), key, v) {
        strip_range(key, id, sizeof id);
        assert_true(fabs(round_outcome(s, r, id, 0) - json_number_value(v)) < 1e-9);
    }
    json_decref(root);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* In the reference's decimal arithmetic parley makes the same choices to the last trade: all 10 rounds. */
static void reproduces_the_reference_on_the_road_toll_data(void **state)
{
    (void)state;
    check_reference("exchange/sample_data.txt", "exchange/expected/sample_data.deterministic.json", "exchange,numerics=decimal", 10);
}

static void reproduces_the_reference_on_copenhagen(void **state)
{
    (void)state;
    check_reference("exchange/copenhagen.csv", "exchange/expected/copenhagen.deterministic.json", "exchange,numerics=decimal", 10);
}

/* The default (numerics=exact: double with proven bounds, decimal where they leave a choice open) makes the
 * reference's every choice too: all 10 rounds. */
static void exact_mode_reproduces_the_reference_in_every_round(void **state)
{
    (void)state;
    check_reference("exchange/sample_data.txt", "exchange/expected/sample_data.deterministic.json", "exchange,numerics=exact", 10);
    check_reference("exchange/copenhagen.csv", "exchange/expected/copenhagen.deterministic.json", "exchange,numerics=exact", 10);
    check_reference("exchange/copenhagen.csv", "exchange/expected/copenhagen.deterministic.json", "exchange,numerics=exact", 10);
}

/* Plain double: the same trades until a tie that only 28-digit rounding decides; the rounds before it. */
static void double_arithmetic_agrees_until_the_first_decimal_tie(void **state)
{
    (void)state;
    check_reference("exchange/sample_data.txt", "exchange/expected/sample_data.deterministic.json", "exchange,numerics=double", 4);
    check_reference("exchange/copenhagen.csv", "exchange/expected/copenhagen.deterministic.json", "exchange,numerics=double", 1);
}

/* Asserts that two runs made the same trades (actors, issues, positions and gains, bit for bit) and the same
 * outcomes in every round. */
static void assert_same_run(const parley_scenario *s, const parley_result *a, const parley_result *b, const char *what)
{
    size_t na = parley_result_exchange_count(a), nb = parley_result_exchange_count(b);
    if (na != nb) fail_msg("%s: %zu trades, decimal %zu", what, na, nb);
    parley_exchange x, y;
    for (size_t i = 0; i < na; i++) {
        assert_true(parley_result_exchange(a, i, &x) && parley_result_exchange(b, i, &y));
        if (x.round != y.round || x.i != y.i || x.j != y.j || x.i_supply != y.i_supply || x.j_supply != y.j_supply ||
            x.i_x != y.i_x || x.i_y != y.i_y || x.j_x != y.j_x || x.j_y != y.j_y || x.gain != y.gain)
            fail_msg("%s: trade %zu (round %d) differs: %s/%s gain %.17g, decimal %s/%s gain %.17g", what, i, x.round,
                     parley_actor_id(s, x.i), parley_actor_id(s, x.j), x.gain, parley_actor_id(s, y.i), parley_actor_id(s, y.j),
                     y.gain);
    }
    assert_int_equal(parley_result_round_count(a), parley_result_round_count(b));
    for (size_t i = 0; i < parley_result_round_count(a); i++)
        if (parley_result_round_outcome(a, i) != parley_result_round_outcome(b, i))
            fail_msg("%s: round entry %zu: %.17g, decimal %.17g", what, i, parley_result_round_outcome(a, i),
                     parley_result_round_outcome(b, i));
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++)
        assert_true(parley_result_value(a, 0, k) == parley_result_value(b, 0, k));
}

static void check_default_equals_decimal(const parley_scenario *s, const char *opts, const char *what)
{
    char spec[2][128];
    snprintf(spec[0], sizeof spec[0], "exchange,numerics=exact%s", opts);
    snprintf(spec[1], sizeof spec[1], "exchange,numerics=decimal%s", opts);
    parley_result *a = run(s, spec[0], 1), *b = run(s, spec[1], 1);
    assert_true(parley_result_exchange_count(b) > 0);
    assert_same_run(s, a, b, what);
    parley_result_free(a), parley_result_free(b);
}

/* Every reference input: the default's trades and outcomes are the decimal mode's, bit for bit. */
static void exact_mode_equals_decimal_on_every_reference_input(void **state)
{
    (void)state;
    static const char *const inputs[] = {"exchange/sample_data.txt", "exchange/copenhagen.csv", "exchange/cop21.csv"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        parley_scenario *s = read_data(inputs[i]);
        check_default_equals_decimal(s, "", inputs[i]);
        parley_scenario_free(s);
    }
}

/* A scenario full of exact ties: positions on a grid of quarters (0 and 100 included), saliences and
 * capabilities from a few values, and every odd actor the mirror image of the even one before it (the
 * opposite position, the same salience and capability), so that many trades have mathematically equal
 * gains, many full moves end on 0 or 100, and many guards land outcomes exactly on positions. */
static parley_scenario *tied_scenario(size_t n, size_t k, uint32_t seed)
{
    parley_scenario *s = parley_scenario_new();
    char id[32];
    for (size_t i = 0; i < k; i++) {
        snprintf(id, sizeof id, "issue%zu", i + 1);
        assert_int_equal(parley_scenario_add_issue(s, id, NULL, 0, 100, NULL), PARLEY_OK);
    }
    static const double grid[] = {0, 25, 50, 75, 100}, sal[] = {0.25, 0.5, 0.75, 1}, cap[] = {1, 2, 4};
    uint32_t x = seed;
    double pos[16], sl[16], cp = 1;
    for (size_t a = 0; a < n; a++) {
        bool mirror = a % 2 == 1;
        if (!mirror) {
            x = x * 1664525u + 1013904223u;
            cp = cap[(x >> 16) % 3];
        }
        snprintf(id, sizeof id, "actor%zu", a + 1);
        size_t idx;
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, cp, &idx), PARLEY_OK);
        for (size_t i = 0; i < k && i < 16; i++) {
            if (!mirror) {
                x = x * 1664525u + 1013904223u;
                pos[i] = grid[(x >> 16) % 5];
                x = x * 1664525u + 1013904223u;
                sl[i] = sal[(x >> 16) % 4];
            }
            assert_int_equal(parley_scenario_set_stance(s, idx, i, mirror ? 100 - pos[i] : pos[i], sl[i], NAN), PARLEY_OK);
        }
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

/* Generated inputs with many exact ties, at 10, 50 and 100 actors on 5 issues. */
static void exact_mode_equals_decimal_on_inputs_full_of_ties(void **state)
{
    (void)state;
    static const size_t sizes[][2] = {{10, 5}, {50, 5}, {100, 5}};
    for (size_t i = 0; i < 3; i++)
        for (uint32_t seed = 1; seed <= (sizes[i][0] < 100 ? 3u : 1u); seed++) {
            parley_scenario *s = tied_scenario(sizes[i][0], sizes[i][1], seed);
            char what[64];
            snprintf(what, sizeof what, "tied %zu x %zu, seed %u", sizes[i][0], sizes[i][1], (unsigned)seed);
            check_default_equals_decimal(s, sizes[i][0] < 100 ? "" : ",rounds=4", what);
            parley_scenario_free(s);
        }
}

/* A, at 0 on both issues, cares about p (0.8) and little about q (0.2); B, at 100 on both, the opposite.
 * D = 1 on both issues; outcomes 20 on p and 80 on q. A values p more, so A is I: it supplies q and
 * demands p. B moving fully to 0 on p shifts the outcome by 100 x 0.2 = 20; equal gain asks the same
 * shift on q, 20 x (0.8 + 0.2) / (0.2 + 0.8) = 20, which A gives by moving 20 / 0.2 = 100, all the way.
 * Gain = |20 x 0.2 - 20 x 0.8| = 12 each. The votes make the outcomes 0 and 100; the new preferences
 * move 0.1 + 0.4 x (1 - 0.2) = 42% of the way: A to 42 on q, B to 58 on p. */
static void check_trade_by_hand(const char *spec)
{
    parley_scenario *s = read_data("two_traders.json");
    parley_result *r = run(s, spec, 1);
    parley_exchange e;
    assert_true(parley_result_exchange(r, 0, &e));
    assert_int_equal(e.round, 1);
    assert_string_equal(parley_actor_id(s, e.i), "A");
    assert_string_equal(parley_issue_id(s, e.i_supply), "q");
    assert_true(e.i_x == 0 && fabs(e.i_y - 100) < 1e-12);
    assert_string_equal(parley_actor_id(s, e.j), "B");
    assert_true(e.j_x == 100 && fabs(e.j_y - 0) < 1e-12);
    assert_true(fabs(e.gain - 12) < 1e-12);
    assert_true(fabs(round_outcome(s, r, "p", 0) - 20) < 1e-12);
    assert_true(fabs(round_outcome(s, r, "q", 0) - 80) < 1e-12);
    assert_true(fabs(round_outcome(s, r, "p", 1) - 0) < 1e-12);
    assert_true(fabs(round_outcome(s, r, "q", 1) - 100) < 1e-12);
    for (size_t i = 0; i < parley_result_round_count(r); i++) {
        int rd;
        size_t k;
        const double *pos;
        parley_result_round(r, i, NULL, &k, &rd, NULL, NULL, &pos);
        if (rd != 1) continue;
        if (!strcmp(parley_issue_id(s, k), "q")) assert_true(fabs(pos[0] - 42) < 1e-12);
        if (!strcmp(parley_issue_id(s, k), "p")) assert_true(fabs(pos[1] - 58) < 1e-12);
    }
    /* Each gained from its own trade; no one else was there. */
    parley_externality x;
    assert_true(parley_result_externality(r, 0, &x));
    assert_true(x.own > 0 && x.inner == 0 && x.outer == 0);
    parley_result_free(r);
    parley_scenario_free(s);
}

static void a_trade_computed_by_hand(void **state)
{
    (void)state;
    check_trade_by_hand("exchange,rounds=2");
    check_trade_by_hand("exchange,rounds=2,numerics=decimal");
}

static void equal_priorities_make_no_trade(void **state)
{
    (void)state;
    static const char json[] =
        "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100},{\"id\":\"q\",\"low\":0,\"high\":100}],"
        "\"actors\":[{\"id\":\"A\"},{\"id\":\"B\"}],\"stances\":["
        "{\"actor\":\"A\",\"issue\":\"p\",\"position\":0,\"salience\":0.5},{\"actor\":\"A\",\"issue\":\"q\",\"position\":0,\"salience\":0.5},"
        "{\"actor\":\"B\",\"issue\":\"p\",\"position\":100,\"salience\":0.5},{\"actor\":\"B\",\"issue\":\"q\",\"position\":100,\"salience\":0.5}]}";
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(json, strlen(json), "eq.json", NULL, &s, NULL), PARLEY_OK);
    parley_result *r = run(s, "exchange,compromise", 1);
    assert_int_equal(parley_result_exchange_count(r), 0);
    for (size_t k = 0; k < 2; k++) assert_true(parley_result_value(r, 0, k) == parley_result_value(r, 1, k));
    parley_result_free(r);
    parley_scenario_free(s);
}

static void cop21_runs_cleanly(void **state)
{
    (void)state;
    parley_scenario *s = read_data("exchange/cop21.csv");
    parley_result *r = run(s, "exchange", 1);
    assert_int_equal(parley_result_forecast_count(r), 13);
    for (size_t k = 0; k < 13; k++) {
        double v = parley_result_value(r, 0, k);
        assert_true(v >= 0 && v <= 100);
    }
    assert_true(parley_result_exchange_count(r) > 0);
    parley_result_free(r);
    parley_scenario_free(s);
}

static double spread(const parley_scenario *s, const char *spec, size_t issue, int draws)
{
    double sum = 0, sq = 0;
    for (int d = 0; d < draws; d++) {
        parley_result *r = run(s, spec, (uint64_t)d + 1);
        double v = parley_result_value(r, 0, issue);
        sum += v, sq += v * v;
        parley_result_free(r);
    }
    double mean = sum / draws;
    return sqrt(fmax(0, sq / draws - mean * mean));
}

static void rex_with_p_zero_is_the_equal_gain_model_and_spreads_with_p(void **state)
{
    (void)state;
    parley_scenario *s = read_data("exchange/sample_data.txt");
    parley_result *a = run(s, "exchange", 1), *b = run(s, "exchange,p=0,repetitions=5", 99);
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++)
        assert_true(parley_result_value(a, 0, k) == parley_result_value(b, 0, k));
    parley_result_free(a), parley_result_free(b);
    /* One repetition per seed: the spread of the forecasts over seeds grows with p. */
    double lo = spread(s, "exchange,p=0.05,repetitions=1,rounds=3", 0, 12);
    double hi = spread(s, "exchange,p=0.9,repetitions=1,rounds=3", 0, 12);
    assert_true(hi > lo);
    assert_true(hi > 0);
    parley_scenario_free(s);
}

static void rex_does_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    parley_scenario *s = read_data("exchange/copenhagen.csv");
    char *first = NULL;
    static const char *const threads[] = {"1", "3"};
    for (int t = 0; t < 2; t++) {
        setenv("PARLEY_THREADS", threads[t], 1);
        parley_result *r = run(s, "exchange,p=0.4,repetitions=8,rounds=3", 7);
        char *csv = parley_report(s, r, "csv", NULL);
        if (!first) first = csv;
        else {
            assert_string_equal(first, csv);
            free(csv);
        }
        parley_result_free(r);
    }
    unsetenv("PARLEY_THREADS");
    free(first);
    parley_scenario_free(s);
}

static void deu_trades_only_within_a_proposal(void **state)
{
    (void)state;
    parley_scenario *s = read_data("deu3/deu3-dev.tsv");
    parley_result *r = run(s, "exchange,rounds=2", 1);
    parley_exchange e;
    for (size_t i = 0; parley_result_exchange(r, i, &e); i++)
        assert_string_equal(parley_issue_attribute(s, e.i_supply, "prnrnmc"), parley_issue_attribute(s, e.j_supply, "prnrnmc"));
    assert_true(parley_result_exchange_count(r) > 0);
    parley_result_free(r);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reproduces_the_reference_on_the_road_toll_data),
        cmocka_unit_test(reproduces_the_reference_on_copenhagen),
        cmocka_unit_test(exact_mode_reproduces_the_reference_in_every_round),
        cmocka_unit_test(double_arithmetic_agrees_until_the_first_decimal_tie),
        cmocka_unit_test(exact_mode_equals_decimal_on_every_reference_input),
        cmocka_unit_test(exact_mode_equals_decimal_on_inputs_full_of_ties),
        cmocka_unit_test(a_trade_computed_by_hand),
        cmocka_unit_test(equal_priorities_make_no_trade),
        cmocka_unit_test(cop21_runs_cleanly),
        cmocka_unit_test(rex_with_p_zero_is_the_equal_gain_model_and_spreads_with_p),
        cmocka_unit_test(rex_does_not_depend_on_the_thread_count),
        cmocka_unit_test(deu_trades_only_within_a_proposal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
