/* test_montecarlo.c - uncertainty, Monte Carlo, sensitivity and variants. */
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

/* A at 40 with a range, B fixed at 50, equal weights: the compromise is (x_A + 50) / 2. */
static const char two_actors[] =
    "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\"},{\"id\":\"B\"}],\"stances\":["
    "{\"actor\":\"A\",\"issue\":\"p\",\"position\":{\"value\":40,\"range\":[20,60]},\"salience\":0.5},"
    "{\"actor\":\"B\",\"issue\":\"p\",\"position\":50,\"salience\":0.5}]}";

static parley_scenario *from_json(const char *json, parley_error *err)
{
    parley_scenario *s = NULL;
    parley_status st = parley_read_buffer(json, strlen(json), "test.json", NULL, &s, err);
    return st == PARLEY_OK ? s : NULL;
}

static parley_plan *plan_of(const char *spec)
{
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, spec, NULL), PARLEY_OK);
    return p;
}

static parley_mc *run_mc(const parley_scenario *s, const parley_plan *p, size_t draws, uint64_t seed, size_t threads)
{
    parley_mc *mc = parley_mc_new(s, p, draws, seed, NULL);
    assert_non_null(mc);
    parley_mc_options o = {threads, NULL, NULL, NULL};
    assert_int_equal(parley_mc_run(mc, 0, 1, &o, NULL), PARLEY_OK);
    assert_int_equal(parley_mc_completed(mc), draws);
    return mc;
}

static void a_uniform_range_gives_the_expected_mean_and_spread(void **state)
{
    (void)state;
    parley_scenario *s = from_json(two_actors, NULL);
    assert_non_null(s);
    parley_plan *p = plan_of("compromise");
    parley_mc *mc = run_mc(s, p, 4000, 11, 2);
    parley_mc_stats st;
    assert_true(parley_mc_summary(mc, 0, 0, &st));
    /* E = (40 + 50) / 2 = 45; sd = (40 / sqrt(12)) / 2 = 5.77; 4000 draws: standard error 0.09. */
    assert_int_equal(st.n, 4000);
    assert_true(fabs(st.mean - 45) < 0.4);
    assert_true(fabs(st.sd - 40 / sqrt(12) / 2) < 0.3);
    assert_true(st.min >= 35 && st.max <= 55);
    assert_true(fabs(st.q[3] - 45) < 0.6);
    /* P(x >= 45) = P(x_A >= 40) = 1/2 */
    assert_true(fabs(parley_mc_probability(mc, 0, 0, ">=", 45) - 0.5) < 0.03);
    size_t total = 0;
    for (int b = 0; b < 20; b++) total += st.hist[b];
    assert_int_equal(total, 4000);
    parley_mc_free(mc);
    parley_plan_free(p);
    parley_scenario_free(s);
}

static void mc_create_returns_a_status_and_the_object_or_null(void **state)
{
    (void)state;
    parley_scenario *s = read_data("three_actors.csv");
    parley_plan *p = plan_of("compromise");
    parley_error *err = parley_error_new();
    parley_mc *mc = (parley_mc *)&mc; /* must be overwritten either way */
    assert_int_equal(parley_mc_create(s, p, 0, 1, &mc, err), PARLEY_E_USAGE);
    assert_null(mc);
    assert_int_equal(parley_mc_create(s, p, 10, 1, &mc, err), PARLEY_OK);
    assert_non_null(mc);
    assert_int_equal(parley_mc_draws(mc), 10);
    parley_mc_free(mc);
    parley_error_free(err);
    parley_plan_free(p);
    parley_scenario_free(s);
}

static void no_uncertainty_gives_no_spread(void **state)
{
    (void)state;
    parley_scenario *s = read_data("three_actors.csv");
    parley_plan *p = plan_of("compromise,median,bdm");
    parley_mc *mc = run_mc(s, p, 50, 3, 2);
    assert_int_equal(parley_mc_input_count(mc), 0);
    for (size_t run = 0; run < 3; run++) {
        parley_mc_stats st;
        assert_true(parley_mc_summary(mc, run, 0, &st));
        assert_true(st.sd == 0 && st.q[0] == st.q[6]);
        assert_true(st.mean == parley_result_value(parley_mc_base(mc), run, 0));
    }
    parley_mc_free(mc);
    parley_plan_free(p);
    parley_scenario_free(s);
}

static void the_same_bytes_for_any_thread_count(void **state)
{
    (void)state;
    parley_scenario *s = read_data("../../examples/jeddah-2025.json");
    parley_plan *p = plan_of("compromise,median,bdm,rounds=5,exchange,rounds=2");
    char *out[3];
    const char *th[] = {"ceasefire>=60"};
    for (int t = 0; t < 3; t++) {
        parley_mc *mc = run_mc(s, p, 200, t == 2 ? 8 : 7, t == 0 ? 1 : 2);
        out[t] = parley_mc_report(mc, "json", th, 1, NULL);
        assert_non_null(out[t]);
        parley_mc_free(mc);
    }
    assert_string_equal(out[0], out[1]);
    assert_true(strcmp(out[0], out[2]) != 0);
    assert_null(strstr(out[0], "thread"));
    for (int t = 0; t < 3; t++) free(out[t]);
    parley_plan_free(p);
    parley_scenario_free(s);
}

/* Draws from each distribution stay within the bounds and centre where they should. */
static void distributions_are_sampled_faithfully(void **state)
{
    (void)state;
    static const char json[] =
        "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100},{\"id\":\"q\",\"low\":0,\"high\":100}],"
        "\"actors\":[{\"id\":\"A\"},{\"id\":\"B\"}],\"stances\":["
        "{\"actor\":\"A\",\"issue\":\"p\",\"position\":{\"value\":20,\"dist\":\"triangular\",\"low\":10,\"high\":60},\"salience\":1},"
        "{\"actor\":\"B\",\"issue\":\"p\",\"position\":0,\"salience\":0},"
        "{\"actor\":\"A\",\"issue\":\"q\",\"position\":{\"value\":90,\"dist\":\"normal\",\"sd\":20},\"salience\":1},"
        "{\"actor\":\"B\",\"issue\":\"q\",\"position\":0,\"salience\":0}]}";
    parley_scenario *s = from_json(json, NULL);
    assert_non_null(s);
    parley_plan *p = plan_of("compromise");
    parley_mc *mc = run_mc(s, p, 5000, 5, 2);
    parley_mc_stats st;
    /* triangular(10, 20, 60): mean 30 */
    assert_true(parley_mc_summary(mc, 0, 0, &st));
    assert_true(fabs(st.mean - 30) < 0.5 && st.min >= 10 && st.max <= 60);
    /* normal(90, 20) truncated to [0, 100]: never above 100, median below 90 */
    assert_true(parley_mc_summary(mc, 0, 1, &st));
    assert_true(st.max <= 100 && st.min >= 0 && st.q[3] < 90 && st.q[3] > 75);
    parley_mc_free(mc);
    parley_plan_free(p);
    parley_scenario_free(s);
}

static void swings_and_regression_in_closed_form(void **state)
{
    (void)state;
    parley_scenario *s = from_json(two_actors, NULL);
    parley_plan *p = plan_of("compromise");
    parley_mc *mc = run_mc(s, p, 500, 2, 1);
    double lo[1], hi[1];
    assert_int_equal(parley_mc_swings(mc, lo, hi, NULL), PARLEY_OK);
    /* x_A from 20 to 60 moves the compromise from 35 to 55 */
    assert_true(fabs(lo[0] - 35) < 1e-12 && fabs(hi[0] - 55) < 1e-12);
    char *json = parley_sensitivity_report(mc, lo, hi, "json", 10, NULL);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"swing\": 20"));
    assert_non_null(strstr(json, "\"r2\": 1"));
    free(json);
    parley_mc_free(mc);
    parley_plan_free(p);
    parley_scenario_free(s);
}

static void a_cancelled_run_reports_nothing_done(void **state)
{
    (void)state;
    parley_scenario *s = from_json(two_actors, NULL);
    parley_plan *p = plan_of("compromise");
    parley_mc *mc = parley_mc_new(s, p, 1000, 1, NULL);
    volatile int cancel = 1;
    parley_mc_options o = {2, NULL, NULL, &cancel};
    assert_int_equal(parley_mc_run(mc, 0, 1, &o, NULL), PARLEY_OK);
    assert_int_equal(parley_mc_completed(mc), 0);
    char *text = parley_mc_report(mc, "text", NULL, 0, NULL);
    assert_non_null(strstr(text, "interrupted"));
    free(text);
    parley_mc_free(mc);
    parley_plan_free(p);
    parley_scenario_free(s);
}

static void bad_uncertainty_is_a_clear_error(void **state)
{
    (void)state;
    static const struct {
        const char *number, *expect;
    } bad[] = {
        {"{\"value\":40,\"range\":[50,60]}", "expected low <= value <= high"},
        {"{\"value\":40,\"range\":[-10,60]}", "within [0, 100]"},
        {"{\"value\":40,\"dist\":\"normal\"}", "expected a key \"sd\""},
        {"{\"value\":40,\"dist\":\"beta\",\"low\":0,\"high\":50}", "expected \"uniform\", \"triangular\" or \"normal\""},
        {"{\"value\":40,\"range\":[0,50],\"dist\":\"uniform\"}", "not both"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\"}],\"stances\":["
                 "{\"actor\":\"A\",\"issue\":\"p\",\"position\":%s,\"salience\":0.5}]}",
                 bad[i].number);
        parley_error *err = parley_error_new();
        assert_null(from_json(json, err));
        bool found = false;
        for (size_t k = 0; k < parley_error_count(err); k++) found |= strstr(parley_error_at(err, k)->message, bad[i].expect) != NULL;
        if (!found) fail_msg("%s: no \"%s\"", bad[i].number, bad[i].expect);
        parley_error_free(err);
    }
}

static const char with_variants[] =
    "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\",\"capability\":2},{\"id\":\"B\"}],\"stances\":["
    "{\"actor\":\"A\",\"issue\":\"p\",\"position\":{\"value\":40,\"range\":[20,60]},\"salience\":0.5},"
    "{\"actor\":\"B\",\"issue\":\"p\",\"position\":50,\"salience\":0.5}],"
    "\"variants\":[{\"id\":\"v1\",\"name\":\"all changes\",\"changes\":["
    "{\"set\":\"B/p/position\",\"value\":70},{\"shift\":\"A/p/position\",\"by\":10},{\"scale\":\"A/capability\",\"by\":1.5},"
    "{\"add\":{\"id\":\"C\",\"capability\":4},\"stances\":[{\"issue\":\"p\",\"position\":90,\"salience\":1}]},"
    "{\"scale\":\"C/p/salience\",\"by\":0.5}]},"
    "{\"id\":\"v2\",\"changes\":[{\"remove\":\"A\"}]}]}";

static void variant_patches_apply_exactly(void **state)
{
    (void)state;
    parley_error *err = parley_error_new();
    parley_scenario *s = from_json(with_variants, err);
    assert_non_null(s);
    assert_int_equal(parley_variant_count(s), 2);
    assert_string_equal(parley_variant_text(s, 0, PARLEY_TEXT_NAME), "all changes");
    parley_scenario *v = NULL;
    assert_int_equal(parley_scenario_variant(s, 0, &v, err), PARLEY_OK);
    size_t a = 0, b = 0, c = 0;
    assert_true(parley_scenario_find_actor(v, "A", &a));
    assert_true(parley_scenario_find_actor(v, "B", &b));
    assert_true(parley_scenario_find_actor(v, "C", &c));
    double pos, sal, cap;
    assert_true(parley_stance(v, b, 0, &pos, NULL, NULL) && pos == 70);
    assert_true(parley_stance(v, a, 0, &pos, NULL, &cap) && pos == 50 && cap == 3);
    parley_uncertainty u = parley_uncertainty_of(v, a, 0, PARLEY_FIELD_POSITION);
    assert_true(u.kind == PARLEY_DIST_UNIFORM && u.low == 30 && u.high == 70); /* the range moved with the value */
    assert_true(parley_stance(v, c, 0, &pos, &sal, &cap) && pos == 90 && sal == 0.5 && cap == 4);
    assert_int_equal(parley_variant_count(v), 0);
    parley_scenario_free(v);
    assert_int_equal(parley_scenario_variant(s, 1, &v, err), PARLEY_OK);
    assert_int_equal(parley_scenario_actor_count(v), 1);
    assert_false(parley_scenario_find_actor(v, "A", &a));
    parley_scenario_free(v);
    /* the variants survive a round trip through the native format */
    char *json = parley_scenario_serialize(s, "json", err);
    parley_scenario *back = from_json(json, err);
    assert_non_null(back);
    char *again = parley_scenario_serialize(back, "json", err);
    assert_string_equal(json, again);
    free(json), free(again);
    parley_scenario_free(back);
    parley_scenario_free(s);
    parley_error_free(err);
}

static void bad_variant_references_are_clear_errors(void **state)
{
    (void)state;
    static const struct {
        const char *change, *expect;
    } bad[] = {
        {"{\"set\":\"Z/p/position\",\"value\":1}", "unknown actor \"Z\""},
        {"{\"set\":\"A/q/position\",\"value\":1}", "unknown issue \"q\""},
        {"{\"set\":\"A/p/height\",\"value\":1}", "expected the field position, salience or capability"},
        {"{\"remove\":\"Y\"}", "unknown actor \"Y\""},
        {"{\"set\":\"A/p/position\"}", "expected a key \"value\""},
        {"{\"shift\":\"A/p/position\",\"value\":3}", "expected a key \"by\""},
        {"{\"add\":{\"id\":\"B\",\"capability\":1}}", "exists already"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char json[700];
        snprintf(json, sizeof json,
                 "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\"},{\"id\":\"B\"}],\"stances\":["
                 "{\"actor\":\"A\",\"issue\":\"p\",\"position\":40,\"salience\":0.5}],"
                 "\"variants\":[{\"id\":\"w\",\"changes\":[%s]}]}",
                 bad[i].change);
        parley_error *err = parley_error_new();
        assert_null(from_json(json, err));
        bool found = false;
        for (size_t k = 0; k < parley_error_count(err); k++) found |= strstr(parley_error_at(err, k)->message, bad[i].expect) != NULL;
        if (!found) fail_msg("%s: no \"%s\" (first: %s)", bad[i].change, bad[i].expect,
                             parley_error_count(err) ? parley_error_at(err, 0)->message : "none");
        parley_error_free(err);
    }
    /* A change that pushes a number off its scale fails when the variant is built, naming the variant. */
    static const char json[] =
        "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\"}],\"stances\":["
        "{\"actor\":\"A\",\"issue\":\"p\",\"position\":40,\"salience\":0.5}],"
        "\"variants\":[{\"id\":\"far\",\"changes\":[{\"shift\":\"A/p/position\",\"by\":80}]}]}";
    parley_error *err = parley_error_new();
    parley_scenario *s = from_json(json, err), *v = NULL;
    assert_non_null(s);
    assert_int_equal(parley_scenario_variant(s, 0, &v, err), PARLEY_E_INVALID);
    char buf[512];
    parley_diag_format(parley_error_at(err, 0), buf, sizeof buf);
    assert_non_null(strstr(buf, "#far"));
    assert_non_null(strstr(buf, "found 120"));
    parley_scenario_free(s);
    parley_error_free(err);
}

/* The tidy CSV's uncertainty columns: a low/high pair alone is uniform; a named distribution takes its
 * parameters; the writer gives them back. */
static void csv_carries_uncertainty(void **state)
{
    (void)state;
    static const char csv[] = "actor,issue,position,salience,low,high,position_low,position_high,salience_dist,salience_low,"
                              "salience_high,salience_sd\n"
                              "A,p,40,0.5,0,100,30,50,normal,0.2,0.9,0.1\n"
                              "B,p,60,0.5,0,100,,,,,,\n";
    parley_scenario *s = NULL;
    assert_int_equal(parley_read_buffer(csv, strlen(csv), "u.csv", NULL, &s, NULL), PARLEY_OK);
    parley_uncertainty u = parley_uncertainty_of(s, 0, 0, PARLEY_FIELD_POSITION);
    assert_true(u.kind == PARLEY_DIST_UNIFORM && u.low == 30 && u.high == 50);
    u = parley_uncertainty_of(s, 0, 0, PARLEY_FIELD_SALIENCE);
    assert_true(u.kind == PARLEY_DIST_NORMAL && u.sd == 0.1 && u.low == 0.2 && u.high == 0.9);
    assert_int_equal(parley_uncertainty_of(s, 1, 0, PARLEY_FIELD_POSITION).kind, PARLEY_DIST_NONE);
    char *out = parley_scenario_serialize(s, "csv", NULL);
    assert_non_null(strstr(out, "uniform,30,50,,normal,0.2,0.9,0.1"));
    free(out);
    parley_scenario_free(s);
}

/* Shocks: at a given round the round-based models move a position; static models ignore them. */
static void shocks_move_round_based_models_only(void **state)
{
    (void)state;
    static const char base[] =
        "{\"issues\":[{\"id\":\"p\",\"low\":0,\"high\":100}],\"actors\":[{\"id\":\"A\"},{\"id\":\"B\"},{\"id\":\"C\"}],"
        "\"stances\":[{\"actor\":\"A\",\"issue\":\"p\",\"position\":10,\"salience\":0.9},"
        "{\"actor\":\"B\",\"issue\":\"p\",\"position\":60,\"salience\":0.6},"
        "{\"actor\":\"C\",\"issue\":\"p\",\"position\":90,\"salience\":0.8}]%s}";
    char json[1024];
    snprintf(json, sizeof json, base, "");
    parley_scenario *plain = from_json(json, NULL);
    snprintf(json, sizeof json, base, ",\"shocks\":[{\"round\":2,\"set\":\"A/p/position\",\"value\":95}]");
    parley_scenario *shocked = from_json(json, NULL);
    assert_non_null(plain);
    assert_non_null(shocked);
    assert_int_equal(parley_shock_count(shocked), 1);
    parley_result *r0 = run_spec(plain, "compromise,bdm,stop=fixed,rounds=4,smp", 1);
    parley_result *r1 = run_spec(shocked, "compromise,bdm,stop=fixed,rounds=4,smp", 1);
    assert_true(parley_result_value(r0, 0, 0) == parley_result_value(r1, 0, 0)); /* compromise: no rounds */
    assert_true(parley_result_value(r0, 2, 0) != parley_result_value(r1, 2, 0)); /* smp settles elsewhere */
    /* bdm: round 1 is the same; round 2 starts from A at 95 */
    const double *b0[3] = {NULL, NULL, NULL}, *b1[3] = {NULL, NULL, NULL};
    for (int which = 0; which < 2; which++) {
        const parley_result *r = which ? r1 : r0;
        for (size_t i = 0; i < parley_result_round_count(r); i++) {
            size_t run;
            int rd;
            const double *pos;
            parley_result_round(r, i, &run, NULL, &rd, NULL, NULL, &pos);
            if (run == 1 && rd <= 2) (which ? b1 : b0)[rd] = pos;
        }
    }
    assert_non_null(b0[2]);
    assert_non_null(b1[2]);
    assert_memory_equal(b0[1], b1[1], 3 * sizeof(double));
    assert_true(memcmp(b0[2], b1[2], 3 * sizeof(double)) != 0);
    parley_result_free(r0), parley_result_free(r1);
    /* the shock survives a round trip */
    char *out = parley_scenario_serialize(shocked, "json", NULL);
    assert_non_null(strstr(out, "\"set\": \"A/p/position\""));
    free(out);
    parley_scenario_free(plain), parley_scenario_free(shocked);
    /* a variant's change with a round becomes a shock of the built scenario, not an edit of the input */
    snprintf(json, sizeof json, base, ",\"variants\":[{\"id\":\"late\",\"changes\":[{\"shift\":\"C/p/position\",\"by\":-50,\"round\":3}]}]");
    parley_scenario *s = from_json(json, NULL), *v = NULL;
    assert_non_null(s);
    assert_int_equal(parley_scenario_variant(s, 0, &v, NULL), PARLEY_OK);
    int round = 0;
    double by = 0, pos = 0;
    const char *op = NULL;
    assert_true(parley_shock(v, 0, NULL, NULL, &round, &by, &op));
    assert_true(round == 3 && by == -50 && !strcmp(op, "shift"));
    assert_true(parley_stance(v, 2, 0, &pos, NULL, NULL) && pos == 90);
    parley_scenario_free(v), parley_scenario_free(s);
    /* a shock moves positions only, and names what exists */
    static const char *const bad[] = {"{\"round\":2,\"set\":\"A/p/salience\",\"value\":0.5}",
                                      "{\"round\":2,\"set\":\"Z/p/position\",\"value\":5}",
                                      "{\"round\":0,\"set\":\"A/p/position\",\"value\":5}",
                                      "{\"round\":2,\"set\":\"A/p/position\",\"value\":500}"};
    for (size_t i = 0; i < 4; i++) {
        char shock[300];
        snprintf(shock, sizeof shock, ",\"shocks\":[%s]", bad[i]);
        snprintf(json, sizeof json, base, shock);
        parley_error *err = parley_error_new();
        parley_scenario *x = from_json(json, err);
        if (x) fail_msg("accepted %s", bad[i]);
        parley_error_free(err);
    }
}

/* Draws written by hand (as another process would hand them back): the quantiles are the generalised
 * inverse, the smallest draw v with P(X <= v) >= q, exactly at the steps (0.1 x 30 draws is the 3rd). */
static void quantiles_are_the_generalised_inverse_of_the_draws(void **state)
{
    (void)state;
    parley_scenario *s = from_json(two_actors, NULL);
    assert_non_null(s);
    parley_plan *p = plan_of("compromise");
    static const size_t sizes[] = {10, 30};
    for (int t = 0; t < 2; t++) {
        size_t n = sizes[t];
        parley_mc *mc = parley_mc_new(s, p, n, 1, NULL);
        assert_non_null(mc);
        for (size_t d = 0; d < n; d++) {
            parley_mc_outputs_of(mc, d)[0] = (double)((d * 7) % n + 1); /* 1..n in a shuffled order */
            parley_mc_mark_done(mc, d);
        }
        assert_int_equal(parley_mc_completed(mc), n);
        parley_mc_stats st;
        assert_true(parley_mc_summary(mc, 0, 0, &st));
        /* rank ceil(q n) of 1..n is the value itself */
        static const double want10[] = {1, 1, 3, 5, 8, 9, 10}, want30[] = {2, 3, 8, 15, 23, 27, 29};
        for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++) assert_true(st.q[i] == (n == 10 ? want10 : want30)[i]);
        char *json = parley_mc_report(mc, "json", NULL, 0, NULL);
        assert_non_null(json);
        assert_non_null(strstr(json, "\"0.05\": "));
        assert_non_null(strstr(json, "\"0.95\": "));
        assert_null(strstr(json, "\"50\": "));
        free(json);
        parley_mc_free(mc);
    }
    parley_plan_free(p);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_uniform_range_gives_the_expected_mean_and_spread),
        cmocka_unit_test(mc_create_returns_a_status_and_the_object_or_null),
        cmocka_unit_test(no_uncertainty_gives_no_spread),
        cmocka_unit_test(quantiles_are_the_generalised_inverse_of_the_draws),
        cmocka_unit_test(the_same_bytes_for_any_thread_count),
        cmocka_unit_test(distributions_are_sampled_faithfully),
        cmocka_unit_test(swings_and_regression_in_closed_form),
        cmocka_unit_test(a_cancelled_run_reports_nothing_done),
        cmocka_unit_test(bad_uncertainty_is_a_clear_error),
        cmocka_unit_test(variant_patches_apply_exactly),
        cmocka_unit_test(bad_variant_references_are_clear_errors),
        cmocka_unit_test(csv_carries_uncertainty),
        cmocka_unit_test(shocks_move_round_based_models_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
