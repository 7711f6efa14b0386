/* test_numbers.c - extreme but legal numbers (capabilities of 1e308 and 5e-324, scales of +-1e308 and
 * 1e-300 wide, tiny saliences) in every model and every writer, control characters in names, and models
 * that cannot run on their input. */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "core/util.h"
#include "helpers.h"

/* Every model, with the options that take other paths through the arithmetic. */
static const char *const specs[] = {
    "compromise", "median", "mean", "nash", "nash,utility=linear", "bdm", "bdm:scholz2011",
    "exchange", "exchange,numerics=decimal", "exchange,p=0.5", "smp",
};
enum { N_SPECS = sizeof specs / sizeof *specs, N_ACTORS = 5, N_ISSUES = 2 };

/* Five actors on two issues; capabilities times cap_scale, positions and the scale [lo, hi] times
 * pos_scale (both powers of two, so that the scaled numbers are exact), saliences times sal_scale. */
static parley_scenario *scenario(double cap_scale, double pos_scale, double sal_scale)
{
    static const double cap[N_ACTORS] = {3, 2, 1, 4, 0.5};
    static const double pos[N_ACTORS][N_ISSUES] = {{-1, 0.5}, {1, -1}, {0.25, 0.125}, {0.75, -0.5}, {-0.5, 1}};
    static const double sal[N_ACTORS][N_ISSUES] = {{0.8, 0.3}, {0.6, 0.9}, {0.5, 0.5}, {0.4, 0.6}, {0.2, 0.7}};
    parley_scenario *s = parley_scenario_new();
    size_t k[N_ISSUES];
    assert_int_equal(parley_scenario_add_issue(s, "p", NULL, -pos_scale, pos_scale, &k[0]), PARLEY_OK);
    assert_int_equal(parley_scenario_add_issue(s, "q", NULL, -pos_scale, pos_scale, &k[1]), PARLEY_OK);
    parley_scenario_set_issue_number(s, k[0], PARLEY_ISSUE_REFERENCE, 0.125 * pos_scale);
    parley_scenario_set_issue_number(s, k[1], PARLEY_ISSUE_REFERENCE, -0.25 * pos_scale);
    for (size_t a = 0; a < N_ACTORS; a++) {
        char id[8];
        snprintf(id, sizeof id, "a%zu", a);
        size_t idx;
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, cap[a] * cap_scale, &idx), PARLEY_OK);
        for (size_t i = 0; i < N_ISSUES; i++)
            assert_int_equal(parley_scenario_set_stance(s, idx, k[i], pos[a][i] * pos_scale, sal[a][i] * sal_scale, NAN),
                             PARLEY_OK);
    }
    parley_error *err = parley_error_new();
    assert_int_equal(parley_scenario_finalize(s, err), PARLEY_OK);
    parley_error_free(err);
    return s;
}

/* Fails unless a note says nothing about NaN or infinity. */
static void assert_clean_note(const char *spec, const char *note)
{
    if (note && (strstr(note, "nan") || strstr(note, "inf ") || strstr(note, "zero capability")))
        fail_msg("%s: note \"%s\"", spec, note);
}

/* Runs every model on the ordinary scenario and on the scaled one; each forecast of the scaled one must
 * be the ordinary forecast times pos_scale (to 1e-9 of the scale) and its notes free of NaN. */
static void assert_scaling(double cap_scale, double pos_scale, double sal_scale)
{
    parley_scenario *plain = scenario(1, 1, sal_scale), *big = scenario(cap_scale, pos_scale, sal_scale);
    for (size_t m = 0; m < N_SPECS; m++) {
        parley_result *r0 = run_spec(plain, specs[m], 7), *r1 = run_spec(big, specs[m], 7);
        for (size_t i = 0; i < parley_result_forecast_count(r1); i++) {
            size_t run, issue;
            double v0, v1;
            const char *n0, *n1;
            assert_true(parley_result_forecast(r0, i, &run, &issue, &v0, &n0));
            assert_true(parley_result_forecast(r1, i, &run, &issue, &v1, &n1));
            assert_clean_note(specs[m], n1);
            if (isnan(v0) != isnan(v1) || fabs(v1 / pos_scale - v0) > 1e-9)
                fail_msg("%s, issue %zu: %.17g on the scaled scenario, %.17g x %g expected (note: %s)", specs[m], issue, v1,
                         v0, pos_scale, n1 ? n1 : "none");
            /* A length in a note (REX's standard deviation) is on the input's scale too. */
            const char *d0 = n0 ? strstr(n0, "standard deviation ") : NULL, *d1 = n1 ? strstr(n1, "standard deviation ") : NULL;
            if (d0 && d1) {
                double sd0 = strtod(d0 + 19, NULL), sd1 = strtod(d1 + 19, NULL);
                if (fabs(sd1 / pos_scale - sd0) > 0.01 * fmax(sd0, 1e-300))
                    fail_msg("%s, issue %zu: note \"%s\", standard deviation %g x %g expected", specs[m], issue, n1, sd0, pos_scale);
            }
        }
        /* Every round's positions stay on the scale. */
        for (size_t i = 0; i < parley_result_round_count(r1); i++) {
            size_t run, issue;
            int round;
            double median;
            const double *pos;
            parley_result_round(r1, i, &run, &issue, &round, &median, NULL, &pos);
            for (size_t a = 0; a < N_ACTORS; a++)
                if (!(pos[a] >= -pos_scale && pos[a] <= pos_scale))
                    fail_msg("%s, round %d: actor %zu at %g, off the scale", specs[m], round, a, pos[a]);
        }
        parley_result_free(r0), parley_result_free(r1);
    }
    parley_scenario_free(plain), parley_scenario_free(big);
}

static void capabilities_near_the_largest_double_weigh_as_their_ratios(void **state)
{
    (void)state;
    assert_scaling(ldexp(1, 1020), 1, 1); /* the largest near 1.8e308 */
}

static void denormal_capabilities_weigh_as_their_ratios(void **state)
{
    (void)state;
    assert_scaling(ldexp(1, -1070), 1, 1); /* 5e-324 and its small multiples */
}

static void a_scale_from_minus_to_plus_1e308_gives_the_same_forecasts(void **state)
{
    (void)state;
    assert_scaling(1, ldexp(1, 1023), 1);
}

static void a_scale_1e300_times_narrower_gives_the_same_forecasts(void **state)
{
    (void)state;
    assert_scaling(1, ldexp(1, -996), 1);
}

static void everything_extreme_at_once_gives_the_same_forecasts(void **state)
{
    (void)state;
    assert_scaling(ldexp(1, -1070), ldexp(1, 1023), 1);
}

/* A capability of 1e308 beside ordinary ones: no false "zero capability" note, and a forecast. */
static void a_capability_of_1e308_is_not_read_as_zero(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "p", NULL, 0, 100, &k), PARLEY_OK);
    const double caps[] = {1e308, 1e308, 5e-324, 1};
    const double pos[] = {70, 60, 0, 30};
    for (size_t i = 0; i < 4; i++) {
        char id[8];
        snprintf(id, sizeof id, "a%zu", i);
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, caps[i], &a), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, k, pos[i], 0.5, NAN), PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    parley_result *r = run_spec(s, "compromise", 1);
    double v;
    const char *note;
    assert_true(parley_result_forecast(r, 0, NULL, NULL, &v, &note));
    assert_null(note);
    assert_true(fabs(v - 65) < 1e-12); /* the two giants, equally weighted; the others weigh nothing */
    parley_result_free(r);
    parley_scenario_free(s);
}

/* One issue, three actors with capabilities 0.5, 0.25 and 0.125 and saliences 1, 2 and 3 times sal. */
static parley_scenario *tiny_saliences(double sal)
{
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "p", NULL, 0, 100, &k), PARLEY_OK);
    parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_REFERENCE, 50);
    const double caps[] = {0.5, 0.25, 0.125}, pos[] = {60, 70, 90};
    for (size_t i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "a%zu", i);
        assert_int_equal(parley_scenario_add_actor(s, id, NULL, caps[i], &a), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, k, pos[i], (double)(i + 1) * sal, NAN), PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

/* Saliences of 5e-324 times capabilities below 1: products below the smallest double, yet the weights
 * keep their ratios (no false "zero capability" note) in the models that weigh by them. */
static void saliences_of_5e_324_keep_their_weight(void **state)
{
    (void)state;
    parley_scenario *plain = tiny_saliences(0.125), *tiny = tiny_saliences(ldexp(1, -1074));
    static const char *const weighted[] = {"compromise", "median", "nash", "nash,utility=linear"};
    for (size_t m = 0; m < sizeof weighted / sizeof *weighted; m++) {
        parley_result *r0 = run_spec(plain, weighted[m], 1), *r1 = run_spec(tiny, weighted[m], 1);
        double v0, v1;
        const char *n0, *n1;
        assert_true(parley_result_forecast(r0, 0, NULL, NULL, &v0, &n0));
        assert_true(parley_result_forecast(r1, 0, NULL, NULL, &v1, &n1));
        if (n1 || v0 != v1) fail_msg("%s: %.17g (note %s), %.17g expected", weighted[m], v1, n1 ? n1 : "none", v0);
        parley_result_free(r0), parley_result_free(r1);
    }
    parley_scenario_free(plain), parley_scenario_free(tiny);
}

/* Returns whether text holds "nan" or "inf" as a word of its own (any case), as printf writes them. */
static bool has_nan_or_inf(const char *text, const char **where)
{
    for (const char *p = text; *p; p++) {
        if (p > text && isalpha((unsigned char)p[-1])) continue;
        if ((!strncasecmp(p, "nan", 3) || !strncasecmp(p, "inf", 3)) && !isalpha((unsigned char)p[3])) {
            *where = p;
            return true;
        }
    }
    return false;
}

/* Returns the longest run of digits in text. */
static size_t longest_digits(const char *text)
{
    size_t best = 0, run = 0;
    for (const char *p = text; *p; p++) {
        run = isdigit((unsigned char)*p) ? run + 1 : 0;
        if (run > best) best = run;
    }
    return best;
}

static void assert_output_clean(const char *what, char *text, parley_error *err)
{
    if (!text) fail_msg("%s: no output (%s)", what, parley_error_count(err) ? parley_error_at(err, 0)->message : "no error");
    const char *at;
    if (has_nan_or_inf(text, &at)) fail_msg("%s holds \"%.20s\"", what, at);
    /* The longest number a writer prints is a 17-digit shortest round trip; 1e308 in full has 309. */
    if (longest_digits(text) > 24) fail_msg("%s prints a number with %zu digits", what, longest_digits(text));
    free(text);
}

/* Every writer on a scenario at the limits: no NaN, no infinity, no number in hundreds of digits. */
static void writers_print_extreme_numbers_without_nan(void **state)
{
    (void)state;
    const double cases[][3] = {{ldexp(1, 1020), 1, 1}, {ldexp(1, -1070), 1, 1}, {1, ldexp(1, 1023), 1},
                               {1, ldexp(1, -996), 1e-300}, {ldexp(1, 1020), ldexp(1, 1023), 1e-300}};
    static const char *const charts[] = {"positions", "forecast", "trajectories", "pressure", "exchanges"};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        parley_scenario *s = scenario(cases[c][0], cases[c][1], cases[c][2]);
        parley_result *r = run_spec(s, "compromise,median,mean,nash,bdm,exchange,smp", 3);
        parley_error *err = parley_error_new();
        assert_output_clean("text", parley_report(s, r, "text", err), err);
        assert_output_clean("json", parley_report(s, r, "json", err), err);
        assert_output_clean("csv", parley_report(s, r, "csv", err), err);
        for (size_t i = 0; i < sizeof charts / sizeof *charts; i++) {
            char *svg = parley_chart(s, r, NULL, NULL, NULL, charts[i], SIZE_MAX, err);
            /* With every salience below 1e-300 no trade clears the exchange model's least move: no chart. */
            if (!svg && !strcmp(charts[i], "exchanges") && cases[c][2] < 1) continue;
            assert_output_clean(charts[i], svg, err);
        }
        assert_output_clean("html", parley_html_report(s, r, NULL, NULL, NULL, NULL, NULL, 0, err), err);
        parley_error_free(err);
        parley_result_free(r);
        parley_scenario_free(s);
    }
}

static void assert_no_controls(const char *what, const char *text, bool tab_ok);

/* A scenario in JSON on the scale [lo, hi] with capabilities times cap, an uncertain capability and
 * position, a variant, and control characters in its names. */
static parley_scenario *uncertain(double lo, double hi, double cap)
{
    double mid = lo / 2 + hi / 2, half = hi / 2 - lo / 2;
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    assert_non_null(f);
    fputs("{\"name\": \"MC \\u001b[2J\", \"issues\": [", f);
    for (int k = 0; k < 2; k++)
        fprintf(f, "%s{\"id\": \"i%d\", \"label\": \"I\\u001b[31m%d\", \"low\": %.17g, \"high\": %.17g, \"reference\": %.17g}", k ? ", " : "",
                k, k, lo, hi, mid);
    fprintf(f, "], \"actors\": [{\"id\": \"a\", \"name\": \"A\\u0007\\u009b\", \"capability\": {\"value\": %.17g, \"range\": [%.17g, %.17g]}}",
            3 * cap, cap, 4 * cap);
    fprintf(f, ", {\"id\": \"b\", \"capability\": %.17g}, {\"id\": \"c\", \"capability\": %.17g}, {\"id\": \"d\", \"capability\": %.17g}], \"stances\": [",
            2 * cap, cap, 4 * cap);
    static const double pos[4][2] = {{-0.9, 0.5}, {0.9, -1}, {0.2, 0.1}, {0.7, -0.6}}, sal[4][2] = {{0.8, 0.3}, {0.6, 0.9}, {0.5, 0.5}, {0.4, 0.6}};
    for (int a = 0; a < 4; a++)
        for (int k = 0; k < 2; k++) {
            double x = mid + pos[a][k] * half;
            if (a == 1 && k == 0)
                fprintf(f, ", {\"actor\": \"b\", \"issue\": \"i0\", \"position\": {\"value\": %.17g, \"range\": [%.17g, %.17g]}, \"salience\": %g}", x,
                        mid - 0.5 * half, hi, sal[a][k]);
            else
                fprintf(f, "%s{\"actor\": \"%c\", \"issue\": \"i%d\", \"position\": %.17g, \"salience\": %g}", a || k ? ", " : "", 'a' + a, k, x,
                        sal[a][k]);
        }
    fprintf(f, "], \"variants\": [{\"id\": \"v\", \"name\": \"V\\u001b[1m\", \"changes\": [{\"set\": \"a/i0/position\", \"value\": %.17g}]}]}", hi);
    fclose(f);
    parley_error *err = parley_error_new();
    parley_scenario *s = NULL;
    if (parley_read_buffer(json, len, "uncertain.json", NULL, &s, err) != PARLEY_OK)
        fail_msg("%s", parley_error_count(err) ? parley_error_at(err, 0)->message : "?");
    parley_error_free(err);
    free(json);
    return s;
}

/* Checks a text report's numbers (assert_output_clean), then that no control character is left in it. */
static void assert_text_clean(const char *what, char *text, parley_error *err)
{
    char *copy = text ? strdup(text) : NULL;
    assert_output_clean(what, text, err);
    assert_no_controls(what, copy, false);
    free(copy);
}

/* Monte Carlo, sensitivity and compare reports, and their charts, at the limits: finite, exact, and
 * with no control character reaching the terminal. */
static void uncertainty_reports_at_the_limits_hold_no_nan(void **state)
{
    (void)state;
    const double cases[][3] = {{-1e308, 1e308, 1}, {0, 100, 4e307}, {0, 1e-300, 1}, {0, 100, 5e-324}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        parley_scenario *s = uncertain(cases[c][0], cases[c][1], cases[c][2]);
        parley_error *err = parley_error_new();
        parley_plan *plan = NULL;
        assert_int_equal(parley_plan_parse(&plan, "compromise,median,mean,nash,bdm,exchange,smp", err), PARLEY_OK);
        parley_mc *mc = parley_mc_new(s, plan, 60, 5, err);
        assert_non_null(mc);
        assert_int_equal(parley_mc_run(mc, 0, 1, NULL, err), PARLEY_OK);
        const char *th[] = {"i0>=0"};
        char *text = parley_mc_report(mc, "text", th, 1, err);
        assert_text_clean("montecarlo", text, err);
        assert_output_clean("montecarlo json", parley_mc_report(mc, "json", NULL, 0, err), err);
        size_t no = parley_mc_output_count(mc) * parley_mc_input_count(mc); /* per input, every output */
        double *lo = malloc(no * sizeof *lo), *hi = malloc(no * sizeof *hi);
        assert_int_equal(parley_mc_swings(mc, lo, hi, err), PARLEY_OK);
        text = parley_sensitivity_report(mc, lo, hi, "text", 5, err);
        assert_text_clean("sensitivity", text, err);
        assert_output_clean("sensitivity json", parley_sensitivity_report(mc, lo, hi, "json", 5, err), err);
        assert_output_clean("distribution", parley_chart(s, NULL, mc, lo, hi, "distribution", SIZE_MAX, err), err);
        assert_output_clean("tornado", parley_chart(s, NULL, mc, lo, hi, "tornado", SIZE_MAX, err), err);
        parley_result *base = parley_run(s, plan, 5, err);
        parley_scenario *v = NULL;
        assert_int_equal(parley_scenario_variant(s, 0, &v, err), PARLEY_OK);
        parley_result *vr = parley_run(v, plan, 5, err);
        assert_non_null(base), assert_non_null(vr);
        const parley_scenario *vs[] = {v};
        const parley_result *vrs[] = {vr};
        text = parley_compare_report(s, base, vs, vrs, 1, "text", err);
        assert_text_clean("compare", text, err);
        assert_output_clean("compare json", parley_compare_report(s, base, vs, vrs, 1, "json", err), err);
        assert_output_clean("html", parley_html_report(s, base, mc, lo, hi, vs, vrs, 1, err), err);
        parley_result_free(base), parley_result_free(vr), parley_scenario_free(v);
        free(lo), free(hi);
        parley_mc_free(mc);
        parley_plan_free(plan);
        parley_error_free(err);
        parley_scenario_free(s);
    }
}

/* Sensitivity JSON lists, for each forecast, the inputs that move it on their own: an input of another
 * issue cannot move a one-issue model's forecast, and listing it would make the output grow with the
 * square of the issues. */
static void sensitivity_json_lists_only_the_inputs_that_move_a_forecast(void **state)
{
    (void)state;
    parley_scenario *s = uncertain(0, 100, 1); /* uncertain: a's capability, b's position on i0 */
    parley_error *err = parley_error_new();
    parley_plan *plan = NULL;
    assert_int_equal(parley_plan_parse(&plan, "compromise", err), PARLEY_OK);
    parley_mc *mc = parley_mc_new(s, plan, 40, 5, err);
    assert_non_null(mc);
    assert_int_equal(parley_mc_run(mc, 0, 1, NULL, err), PARLEY_OK);
    size_t no = parley_mc_output_count(mc) * parley_mc_input_count(mc);
    double *lo = malloc(no * sizeof *lo), *hi = malloc(no * sizeof *hi);
    assert_int_equal(parley_mc_swings(mc, lo, hi, err), PARLEY_OK);
    char *json = parley_sensitivity_report(mc, lo, hi, "json", 5, err);
    assert_non_null(json);
    size_t caps = 0, pos = 0;
    for (const char *p = json; (p = strstr(p, "\"a/capability\"")); p++) caps++;
    for (const char *p = json; (p = strstr(p, "\"b/i0/position\"")); p++) pos++;
    assert_int_equal(caps, 2); /* a capability moves both issues' forecasts */
    assert_int_equal(pos, 1);  /* b's position on i0 only i0's */
    assert_non_null(strstr(json, "\"unmoved_by\": 1"));
    free(json), free(lo), free(hi);
    parley_mc_free(mc);
    parley_plan_free(plan);
    parley_error_free(err);
    parley_scenario_free(s);
}

/* The text writer shows 1e308 as 1e+308 and 7e-301 on a scale 1e-300 wide as 7e-301, not 0. */
static void text_shows_extreme_numbers_as_they_are(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "wide", NULL, -1e308, 1e308, &k), PARLEY_OK);
    assert_int_equal(parley_scenario_add_issue(s, "narrow", NULL, 0, 1e-300, &k), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "a", NULL, 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, 0, 1e308, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, 1, 7e-301, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    parley_result *r = run_spec(s, "mean", 1);
    char *text = parley_report(s, r, "text", NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "scale -1e+308 to 1e+308"));
    assert_non_null(strstr(text, "mean             1e+308"));
    assert_non_null(strstr(text, "scale 0 to 1e-300"));
    assert_non_null(strstr(text, "mean             7e-301"));
    free(text);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* JSON numbers are the shortest text that reads back to the same double, subnormals included. */
static void json_numbers_are_the_shortest_round_trip_at_the_limits(void **state)
{
    (void)state;
    char buf[40];
    pu_fmt_double(buf, sizeof buf, 5e-324);
    assert_string_equal(buf, "5e-324");
    pu_fmt_double(buf, sizeof buf, 1e-320);
    assert_string_equal(buf, "1e-320");
    pu_fmt_double(buf, sizeof buf, 1e308);
    assert_string_equal(buf, "1e+308");
    pu_fmt_double(buf, sizeof buf, -1.7976931348623157e308);
    assert_string_equal(buf, "-1.7976931348623157e+308");
    for (int i = 1; i < 2000; i += 7) { /* every one reads back */
        double v = ldexp((double)i, -1074);
        pu_fmt_double(buf, sizeof buf, v);
        assert_true(strtod(buf, NULL) == v);
    }
}

/* Builds a one-issue scenario whose actor names and the scenario's name hold control characters. */
static parley_scenario *named(const char *name)
{
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "p", name, 0, 100, &k), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "a", name, 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, k, 30, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "b", "Z\xc3\xbcrich", 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, k, 70, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_text(s, PARLEY_TEXT_NAME, name), PARLEY_OK);
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    return s;
}

/* Fails when text holds a byte a terminal (or an XML parser) acts on, bar newline (and tab if allowed). */
static void assert_no_controls(const char *what, const char *text, bool tab_ok)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        bool c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
        if (((*p < 0x20 || *p == 0x7f) && *p != '\n' && !(tab_ok && *p == '\t')) || c1)
            fail_msg("%s: control byte 0x%02x at offset %td", what, *p, (const char *)p - text);
    }
}

static void control_characters_in_names_are_escaped_in_text(void **state)
{
    (void)state;
    parley_scenario *s = named("Evil\x1b[2J\r\x07\x7f \xc2\x9b" "31m");
    parley_result *r = run_spec(s, "median,bdm", 1);
    char *text = parley_report(s, r, "text", NULL);
    assert_non_null(text);
    assert_no_controls("text", text, false);
    assert_non_null(strstr(text, "Evil\\x1b[2J\\r\\x07\\x7f \\u009b31m"));
    assert_non_null(strstr(text, "Z\xc3\xbcrich")); /* UTF-8 text is kept */
    free(text);
    /* SVG and HTML are XML or read like it: XML 1.0 forbids these characters outright. */
    char *svg = parley_chart(s, r, NULL, NULL, NULL, "positions", SIZE_MAX, NULL);
    assert_non_null(svg);
    assert_no_controls("svg", svg, true);
    free(svg);
    char *html = parley_html_report(s, r, NULL, NULL, NULL, NULL, NULL, 0, NULL);
    assert_non_null(html);
    assert_no_controls("html", html, true);
    free(html);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* Many lines of pressure with escaped names: each names the escaped actor it tells of (an escape lives
 * only a few calls, and must be made for each line). */
static void every_line_of_pressure_shows_the_escaped_label(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "p", "L\x1b[5m", 0, 100, &k), PARLEY_OK);
    for (int i = 0; i < 8; i++) {
        char id[8], name[16];
        snprintf(id, sizeof id, "a%d", i), snprintf(name, sizeof name, "N%d\x07", i);
        assert_int_equal(parley_scenario_add_actor(s, id, name, 1 + i % 3, &a), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, k, i * 14.0, 0.3 + 0.08 * i, NAN), PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    parley_result *r = run_spec(s, "bdm", 1);
    char *text = parley_report(s, r, "text", NULL);
    assert_non_null(text);
    assert_no_controls("text", text, false);
    size_t lines = 0;
    for (const char *p = text; (p = strstr(p, " to move from ")); p++) {
        const char *eol = strchr(p, '\n'), *on = strstr(p, "; N");
        if (!on || on > eol || !strstr(on, "\\x07 ") || strstr(on, "\\x07 ") > eol)
            fail_msg("a line without the escaped name: %.*s", (int)(eol - p), p);
        lines++;
    }
    assert_true(lines >= 5);
    free(text);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* CSV carries data: a control character or an edge blank in an id stays as it is, and the cell is quoted
 * so that a reader gets it back whole. */
static void csv_quotes_ids_with_control_characters_or_edge_blanks(void **state)
{
    (void)state;
    static const char *const ids[] = {" lead", "tab\there", "esc\x1b[2J", "trail "};
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_actor(s, "a", NULL, 1, &a), PARLEY_OK);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(parley_scenario_add_issue(s, ids[i], NULL, 0, 100, &k), PARLEY_OK);
        assert_int_equal(parley_scenario_set_stance(s, a, k, 40, 0.5, NAN), PARLEY_OK);
    }
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    parley_result *r = run_spec(s, "mean", 1);
    char *csv = parley_report(s, r, "csv", NULL);
    assert_non_null(csv);
    for (size_t i = 0; i < 4; i++) {
        char want[64];
        snprintf(want, sizeof want, ",\"%s\",40,", ids[i]);
        if (!strstr(csv, want)) fail_msg("no cell %s in:\n%s", want, csv);
    }
    free(csv);
    parley_result_free(r);
    parley_scenario_free(s);
}

/* The backtest's reports on a scale of +-1e308 with an issue id and a name holding control characters:
 * errors as numbers (not 309 digits, no inf), the text escaped, the CSV quoted. */
static void backtest_reports_at_the_limits(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "w,\x1b[2J", NULL, -1e308, 1e308, &k), PARLEY_OK);
    parley_scenario_set_issue_number(s, k, PARLEY_ISSUE_OUTCOME, -1e308);
    assert_int_equal(parley_scenario_add_actor(s, "a", NULL, 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, k, 1e308, 0.625, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "b", NULL, 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, k, -1e308, 0.375, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_set_text(s, PARLEY_TEXT_NAME, "Back\x1b[2Jtest"), PARLEY_OK);
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    parley_error *err = parley_error_new();
    parley_plan *plan = NULL;
    assert_int_equal(parley_plan_parse(&plan, "compromise,median", err), PARLEY_OK);
    parley_backtest *b = NULL;
    assert_int_equal(parley_backtest_run(s, plan, NULL, 1, &b, err), PARLEY_OK);
    char *text = parley_backtest_report(s, b, "text", err);
    assert_non_null(text);
    assert_non_null(strstr(text, "Back\\x1b[2Jtest"));
    assert_non_null(strstr(text, "1.25e+308")); /* the compromise, 2.5e307, misses -1e308 by 1.25e308 */
    assert_non_null(strstr(text, "> 1.798e+308")); /* the median, 1e308, by more than a double holds */
    assert_text_clean("backtest", text, err);
    char *csv = parley_backtest_report(s, b, "csv", err);
    assert_non_null(csv);
    /* then kind and CRPS (a point forecast's is its error; past the largest double its cell is empty too) */
    assert_non_null(strstr(csv, "compromise,\"w,\x1b[2J\",2.5e+307,-1e+308,1.25e+308,model,1.25e+308,"));
    assert_non_null(strstr(csv, "median,\"w,\x1b[2J\",1e+308,-1e+308,,model,,")); /* 2e308: past the largest double */
    free(csv);
    assert_output_clean("backtest json", parley_backtest_report(s, b, "json", err), err);
    parley_backtest_free(b);
    parley_plan_free(plan);
    parley_error_free(err);
    parley_scenario_free(s);
}

/* The spatial model on one actor: bad input (exit 2), with a message that says why. */
static void smp_on_one_actor_is_bad_input(void **state)
{
    (void)state;
    parley_scenario *s = parley_scenario_new();
    size_t k, a;
    assert_int_equal(parley_scenario_add_issue(s, "p", NULL, 0, 100, &k), PARLEY_OK);
    assert_int_equal(parley_scenario_add_actor(s, "a", NULL, 1, &a), PARLEY_OK);
    assert_int_equal(parley_scenario_set_stance(s, a, k, 30, 0.5, NAN), PARLEY_OK);
    assert_int_equal(parley_scenario_finalize(s, NULL), PARLEY_OK);
    parley_error *err = parley_error_new();
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "smp", err), PARLEY_OK);
    assert_null(parley_run(s, p, 1, err));
    assert_int_equal(parley_error_status(err), PARLEY_E_INVALID);
    assert_int_equal(parley_status_exit_code(parley_error_status(err)), 2);
    parley_plan_free(p);
    parley_error_free(err);
    parley_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(capabilities_near_the_largest_double_weigh_as_their_ratios),
        cmocka_unit_test(denormal_capabilities_weigh_as_their_ratios),
        cmocka_unit_test(a_scale_from_minus_to_plus_1e308_gives_the_same_forecasts),
        cmocka_unit_test(a_scale_1e300_times_narrower_gives_the_same_forecasts),
        cmocka_unit_test(everything_extreme_at_once_gives_the_same_forecasts),
        cmocka_unit_test(a_capability_of_1e308_is_not_read_as_zero),
        cmocka_unit_test(saliences_of_5e_324_keep_their_weight),
        cmocka_unit_test(writers_print_extreme_numbers_without_nan),
        cmocka_unit_test(text_shows_extreme_numbers_as_they_are),
        cmocka_unit_test(uncertainty_reports_at_the_limits_hold_no_nan),
        cmocka_unit_test(sensitivity_json_lists_only_the_inputs_that_move_a_forecast),
        cmocka_unit_test(json_numbers_are_the_shortest_round_trip_at_the_limits),
        cmocka_unit_test(control_characters_in_names_are_escaped_in_text),
        cmocka_unit_test(every_line_of_pressure_shows_the_escaped_label),
        cmocka_unit_test(csv_quotes_ids_with_control_characters_or_edge_blanks),
        cmocka_unit_test(backtest_reports_at_the_limits),
        cmocka_unit_test(smp_on_one_actor_is_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
