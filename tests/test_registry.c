/* test_registry.c - the model registry: its checks (names, option bounds, defaults, presets), the traits
 * every writer reads instead of model names, and the run and label that tell repeated models apart. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "helpers.h"
#include "models/model.h"

/* Returns the first diagnostic of err formatted, in buf. */
static const char *first_diag(const parley_error *err, char *buf, size_t size)
{
    buf[0] = '\0';
    if (parley_error_count(err)) parley_diag_format(parley_error_at(err, 0), buf, size);
    return buf;
}

/* Runs pm_registry_check on one model; returns the status, with the message in buf. */
static parley_status check_one(const parley_model *m, char *buf, size_t size)
{
    const parley_model *table[] = {m};
    parley_error *err = parley_error_new();
    parley_status st = pm_registry_check(table, 1, err);
    first_diag(err, buf, size);
    parley_error_free(err);
    return st;
}

static parley_status never_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out, parley_error *err)
{
    (void)s, (void)o, (void)rng, (void)out, (void)err;
    return PARLEY_OK;
}

static void test_every_registered_model_passes_the_registry_check(void **state)
{
    (void)state;
    size_t n = parley_model_count();
    assert_true(n >= 1);
    const parley_model **table = malloc(n * sizeof *table);
    assert_non_null(table);
    for (size_t i = 0; i < n; i++) table[i] = parley_model_at(i);
    parley_error *err = parley_error_new();
    char msg[512];
    parley_status st = pm_registry_check(table, n, err);
    if (st != PARLEY_OK) fail_msg("%s", first_diag(err, msg, sizeof msg));
    parley_error_free(err);
    free(table);
}

static void test_two_models_of_one_name_are_refused(void **state)
{
    (void)state;
    const parley_model a = {.name = "same", .summary = "a", .run = never_run};
    const parley_model b = {.name = "same", .summary = "b", .run = never_run};
    const parley_model *table[] = {&a, &b};
    parley_error *err = parley_error_new();
    char msg[512];
    assert_int_equal(pm_registry_check(table, 2, err), PARLEY_E_INTERNAL);
    assert_non_null(strstr(first_diag(err, msg, sizeof msg), "model same: the name is taken by entry 0"));
    parley_error_free(err);
}

static void test_a_name_with_a_spec_separator_is_refused(void **state)
{
    (void)state;
    char msg[512];
    const parley_model m = {.name = "bad,name", .summary = "x", .run = never_run};
    assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_E_INTERNAL);
    assert_non_null(strstr(msg, "entry 0: expected a model with a name"));
}

static void test_more_options_than_the_plan_holds_are_refused(void **state)
{
    (void)state;
    enum { N = PM_MAX_OPTIONS + 1 };
    static parley_option_spec opts[N];
    static char names[N][8];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "o%d", i);
        opts[i] = (parley_option_spec){names[i], PARLEY_OPTION_BOOLEAN, "false", NULL, 0, 0, "h"};
    }
    const parley_model m = {.name = "wide", .summary = "x", .options = opts, .n_options = N, .run = never_run};
    char msg[512];
    assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_E_INTERNAL);
    assert_non_null(strstr(msg, "expected at most 32 options, found 33"));
    /* at the bound it passes */
    const parley_model ok = {.name = "wide", .summary = "x", .options = opts, .n_options = PM_MAX_OPTIONS, .run = never_run};
    assert_int_equal(check_one(&ok, msg, sizeof msg), PARLEY_OK);
}

static void test_a_default_the_option_does_not_take_is_refused(void **state)
{
    (void)state;
    static const struct {
        parley_option_spec o;
        const char *why;
    } cases[] = {
        {{"tie", PARLEY_OPTION_CHOICE, "middle", "lower|upper", 0, 0, "h"}, "option tie: the default \"middle\""},
        {{"tie", PARLEY_OPTION_CHOICE, "low", "lower|upper", 0, 0, "h"}, "option tie: the default \"low\""},
        {{"rounds", PARLEY_OPTION_INTEGER, "2.5", NULL, 1, 10, "h"}, "option rounds: the default \"2.5\""},
        {{"rounds", PARLEY_OPTION_INTEGER, "11", NULL, 1, 10, "h"}, "option rounds: the default \"11\""},
        {{"q", PARLEY_OPTION_NUMBER, "abc", NULL, 0, 1, "h"}, "option q: the default \"abc\""},
        {{"on", PARLEY_OPTION_BOOLEAN, "maybe", NULL, 0, 0, "h"}, "option on: the default \"maybe\""},
        {{"on", PARLEY_OPTION_BOOLEAN, NULL, NULL, 0, 0, "h"}, "option on: the default \"(none)\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const parley_model m = {.name = "m", .summary = "x", .options = &cases[i].o, .n_options = 1, .run = never_run};
        char msg[512];
        assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_E_INTERNAL);
        if (!strstr(msg, cases[i].why)) fail_msg("case %zu: expected \"%s\" in \"%s\"", i, cases[i].why, msg);
    }
    static const parley_option_spec good[] = {
        {"tie", PARLEY_OPTION_CHOICE, "upper", "lower|upper", 0, 0, "h"},
        {"rounds", PARLEY_OPTION_INTEGER, "10", NULL, 1, 10, "h"},
        {"on", PARLEY_OPTION_BOOLEAN, "yes", NULL, 0, 0, "h"},
    };
    const parley_model m = {.name = "m", .summary = "x", .options = good, .n_options = 3, .run = never_run};
    char msg[512];
    assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_OK);
}

static void test_an_option_declared_twice_is_refused(void **state)
{
    (void)state;
    static const parley_option_spec opts[] = {
        {"q", PARLEY_OPTION_NUMBER, "0", NULL, 0, 1, "h"},
        {"q", PARLEY_OPTION_NUMBER, "1", NULL, 0, 1, "h"},
    };
    const parley_model m = {.name = "m", .summary = "x", .options = opts, .n_options = 2, .run = never_run};
    char msg[512];
    assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_E_INTERNAL);
    assert_non_null(strstr(msg, "option q is declared twice"));
}

static void test_a_preset_that_does_not_apply_is_refused(void **state)
{
    (void)state;
    static const parley_option_spec opts[] = {{"q", PARLEY_OPTION_NUMBER, "0", NULL, 0, 1, "h"}};
    static const struct {
        parley_preset p;
        const char *why;
    } cases[] = {
        {{"p", "r=1", "h"}, "preset p: an option the model does not declare at \"r=1\""},
        {{"p", "q=2", "h"}, "preset p: a value the option does not take at \"q=2\""},
        {{"p", "q=0.5,q", "h"}, "preset p: an item without '=' at \"q\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const parley_model m = {.name = "m", .summary = "x", .options = opts, .n_options = 1, .presets = &cases[i].p,
                                .n_presets = 1, .run = never_run};
        char msg[512];
        assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_E_INTERNAL);
        if (!strstr(msg, cases[i].why)) fail_msg("case %zu: expected \"%s\" in \"%s\"", i, cases[i].why, msg);
    }
    static const parley_preset twice[] = {{"p", "q=1", "h"}, {"p", "q=0", "h"}};
    const parley_model m = {.name = "m", .summary = "x", .options = opts, .n_options = 1, .presets = twice, .n_presets = 2,
                            .run = never_run};
    char msg[512];
    assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_E_INTERNAL);
    assert_non_null(strstr(msg, "preset p is declared twice"));
}

static void test_unknown_traits_are_refused(void **state)
{
    (void)state;
    char msg[512];
    const parley_model m = {.name = "m", .summary = "x", .records = 0x40u, .run = never_run};
    assert_int_equal(check_one(&m, msg, sizeof msg), PARLEY_E_INTERNAL);
    assert_non_null(strstr(msg, "records 0x40"));
    const parley_model g = {.name = "m", .summary = "x", .scope = (parley_scope)7, .run = never_run};
    assert_int_equal(check_one(&g, msg, sizeof msg), PARLEY_E_INTERNAL);
    assert_non_null(strstr(msg, "unknown scope 7"));
}

/* The plan's own parser agrees with the check: every default and every preset of every model parses. */
static void test_every_default_and_preset_parses_as_a_spec(void **state)
{
    (void)state;
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        char spec[512];
        for (size_t j = 0; j < parley_model_option_count(m); j++) {
            const parley_option_spec *o = parley_model_option(m, j);
            snprintf(spec, sizeof spec, "%s,%s=%s", parley_model_name(m), o->name, o->default_value);
            parley_plan *p = NULL;
            parley_error *err = parley_error_new();
            char msg[512];
            if (parley_plan_parse(&p, spec, err) != PARLEY_OK) fail_msg("%s: %s", spec, first_diag(err, msg, sizeof msg));
            /* a default written out is no choice: the label stays the bare name */
            assert_string_equal(parley_plan_label(p, 0), parley_model_name(m));
            parley_plan_free(p);
            parley_error_free(err);
        }
        for (size_t j = 0; j < parley_model_preset_count(m); j++) {
            snprintf(spec, sizeof spec, "%s:%s", parley_model_name(m), parley_model_preset(m, j)->name);
            parley_plan *p = NULL;
            parley_error *err = parley_error_new();
            char msg[512];
            if (parley_plan_parse(&p, spec, err) != PARLEY_OK) fail_msg("%s: %s", spec, first_diag(err, msg, sizeof msg));
            parley_plan_free(p);
            parley_error_free(err);
        }
    }
}

static void test_trait_names_cover_every_bit_and_nothing_else(void **state)
{
    (void)state;
    unsigned seen = 0;
    for (unsigned bit = 1; bit; bit <<= 1) {
        const char *name = parley_record_name(bit);
        if (name) seen |= bit;
        assert_true(!name == !(bit & PARLEY_RECORDS_ALL));
    }
    assert_int_equal(seen, PARLEY_RECORDS_ALL);
    assert_null(parley_record_name(PARLEY_RECORDS_ROUNDS | PARLEY_RECORDS_PRESSURE));
    assert_null(parley_record_name(0));
    assert_string_equal(parley_scope_name(PARLEY_SCOPE_ISSUE), "issue");
    assert_string_equal(parley_scope_name(PARLEY_SCOPE_GROUP), "group");
    assert_null(parley_scope_name((parley_scope)9));
}

/* What a model declares is what its runs record: a model that records nothing records no rounds,
 * challenges or trades, and every round-based model records rounds on a scenario it suits. */
static void test_each_model_records_what_its_traits_say(void **state)
{
    (void)state;
    parley_scenario *s = read_data("../../examples/jeddah-2025.json"); /* every model suits it and records all it can */
    for (size_t i = 0; i < parley_model_count(); i++) {
        const parley_model *m = parley_model_at(i);
        if (!parley_model_suits(m, s)) fail_msg("%s does not suit the flagship", parley_model_name(m));
        parley_result *r = run_spec(s, parley_model_name(m), 1);
        unsigned rec = parley_model_records(m);
        bool rounds = parley_result_round_count(r) > 0, challenges = parley_result_challenge_count(r) > 0,
             trades = parley_result_exchange_count(r) > 0 || parley_result_externality_count(r) > 0;
        if (rounds && !(rec & PARLEY_RECORDS_ROUNDS)) fail_msg("%s records rounds, not in its traits", parley_model_name(m));
        if (challenges && !(rec & PARLEY_RECORDS_PRESSURE)) fail_msg("%s records challenges, not in its traits", parley_model_name(m));
        if (trades && !(rec & PARLEY_RECORDS_TRADES)) fail_msg("%s records trades, not in its traits", parley_model_name(m));
        if ((rec & PARLEY_RECORDS_ROUNDS) && !rounds) fail_msg("%s declares rounds and records none", parley_model_name(m));
        bool voting = false;
        for (size_t k = 0; k < parley_result_round_count(r); k++) voting |= parley_result_round_voting(r, k) != NULL;
        if (voting && !(rec & PARLEY_RECORDS_NEGOTIATIONS)) fail_msg("%s records votes, not in its traits", parley_model_name(m));
        parley_result_free(r);
    }
    parley_scenario_free(s);
}

/* Two runs of one model: each JSON record carries its run index and its label; "model" stays bare. */
static void test_json_records_of_repeated_models_carry_run_and_label(void **state)
{
    (void)state;
    parley_scenario *s = read_data("two_traders.json");
    const char *bdm = NULL;
    for (size_t i = 0; i < parley_model_count() && !bdm; i++)
        if ((parley_model_records(parley_model_at(i)) & PARLEY_RECORDS_ROUNDS) &&
            parley_model_scope(parley_model_at(i)) == PARLEY_SCOPE_ISSUE)
            bdm = parley_model_name(parley_model_at(i));
    assert_non_null(bdm);
    char spec[128];
    snprintf(spec, sizeof spec, "median,tie=upper,median,%s", bdm);
    parley_result *r = run_spec(s, spec, 1);
    parley_error *err = parley_error_new();
    char *text = parley_report(s, r, "json", err);
    assert_non_null(text);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    assert_non_null(root);
    const char *want_label[] = {"median,tie=upper", "median", bdm};
    const char *want_model[] = {"median", "median", bdm};
    json_t *models = json_object_get(root, "models");
    assert_int_equal(json_array_size(models), 3);
    for (size_t i = 0; i < 3; i++) {
        json_t *e = json_array_get(models, i);
        assert_int_equal(json_integer_value(json_object_get(e, "run")), (json_int_t)i);
        assert_string_equal(json_string_value(json_object_get(e, "label")), want_label[i]);
        assert_string_equal(json_string_value(json_object_get(e, "model")), want_model[i]);
    }
    static const char *const lists[] = {"forecasts", "rounds", "challenges"};
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        json_t *a = json_object_get(root, lists[l]);
        size_t n = json_array_size(a), per_run[3] = {0};
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(a, i);
            json_int_t run = json_integer_value(json_object_get(e, "run"));
            assert_true(run >= 0 && run < 3);
            assert_string_equal(json_string_value(json_object_get(e, "label")), want_label[run]);
            assert_string_equal(json_string_value(json_object_get(e, "model")), want_model[run]);
            per_run[run]++;
        }
        if (!strcmp(lists[l], "forecasts"))
            for (size_t k = 0; k < 3; k++) assert_int_equal(per_run[k], parley_scenario_issue_count(s));
        else assert_int_equal(per_run[0] + per_run[1], 0);
    }
    json_decref(root);
    free(text);
    parley_error_free(err);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* The chart hints name the models that have the trait, from the registry: never a list in the writer. */
static void test_chart_hints_list_the_models_that_have_the_trait(void **state)
{
    (void)state;
    parley_scenario *s = read_data("two_traders.json");
    parley_result *r = run_spec(s, "compromise", 1);
    static const struct {
        const char *chart;
        unsigned record;
        const char *sep;
    } cases[] = {{"trajectories", PARLEY_RECORDS_ROUNDS, ", "}, {"pressure", PARLEY_RECORDS_PRESSURE, " or "},
                 {"exchanges", PARLEY_RECORDS_TRADES, " or "}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char names[256] = "";
        size_t named = 0, total = 0;
        for (size_t i = 0; i < parley_model_count(); i++) total += (parley_model_records(parley_model_at(i)) & cases[c].record) != 0;
        for (size_t i = 0; i < parley_model_count(); i++) {
            const parley_model *m = parley_model_at(i);
            if (!(parley_model_records(m) & cases[c].record)) continue;
            if (named) strcat(names, named + 1 == total ? cases[c].sep : ", ");
            strcat(names, parley_model_name(m));
            named++;
        }
        assert_true(named > 0);
        parley_error *err = parley_error_new();
        assert_null(parley_chart(s, r, NULL, NULL, NULL, cases[c].chart, 0, err));
        char msg[512];
        first_diag(err, msg, sizeof msg);
        if (!strstr(msg, names)) fail_msg("%s: expected \"%s\" in \"%s\"", cases[c].chart, names, msg);
        parley_error_free(err);
    }
    parley_result_free(r);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_registered_model_passes_the_registry_check),
        cmocka_unit_test(test_two_models_of_one_name_are_refused),
        cmocka_unit_test(test_a_name_with_a_spec_separator_is_refused),
        cmocka_unit_test(test_more_options_than_the_plan_holds_are_refused),
        cmocka_unit_test(test_a_default_the_option_does_not_take_is_refused),
        cmocka_unit_test(test_an_option_declared_twice_is_refused),
        cmocka_unit_test(test_a_preset_that_does_not_apply_is_refused),
        cmocka_unit_test(test_unknown_traits_are_refused),
        cmocka_unit_test(test_every_default_and_preset_parses_as_a_spec),
        cmocka_unit_test(test_trait_names_cover_every_bit_and_nothing_else),
        cmocka_unit_test(test_each_model_records_what_its_traits_say),
        cmocka_unit_test(test_json_records_of_repeated_models_carry_run_and_label),
        cmocka_unit_test(test_chart_hints_list_the_models_that_have_the_trait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
