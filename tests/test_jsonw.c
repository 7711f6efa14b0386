/* test_jsonw.c - the fast JSON writer gives exactly the text of the printf-based formatting it replaced. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <cmocka.h>

#include "core/jsonw.h"
#include "core/util.h"
#include "parley/parley.h"

/* Checks jw_fmt_number(v) against pu_fmt_double(v) (printf and strtod), failing with the value. */
static void same_text(double v)
{
    char fast[40], slow[40];
    size_t n = jw_fmt_number(fast, v);
    pu_fmt_double(slow, sizeof slow, v);
    if (strcmp(fast, slow) || n != strlen(slow)) fail_msg("%.17g (%a): fast \"%s\", printf \"%s\"", v, v, fast, slow);
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

static void numbers_match_printf_on_random_bit_patterns(void **state)
{
    (void)state;
    uint64_t s = 88172645463325252ull;
    for (int i = 0; i < 300000; i++) {
        uint64_t bits = next(&s);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v)) continue;
        same_text(v);
        /* and the same significand in the range where the fast path works */
        same_text(ldexp(frexp(v, &(int){0}), (int)(next(&s) % 110) - 14));
    }
}

static void numbers_match_printf_on_short_decimals_and_model_outputs(void **state)
{
    (void)state;
    uint64_t s = 1234567;
    for (int i = 0; i < 200000; i++) {
        double n = (double)(next(&s) % 100000000000ull), p = pow(10, (double)(next(&s) % 22));
        same_text(n / p);
        same_text(-n / p);
        same_text((double)(next(&s) >> 11) / 9007199254740992.0 * 100); /* a position on a 0-100 scale */
        same_text(1 - (double)(next(&s) >> 11) / 9007199254740992.0 * 2);
    }
    const double fixed[] = {63.6828, 50.0000000000001, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 14.896758534972477, 55,
                            -0.5, 0.0001, 1e14, 1e15, 1e-5, 123456789012345.6, 99999999999999.99};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) same_text(fixed[i]);
}

static void numbers_match_printf_at_the_edges_and_on_ties(void **state)
{
    (void)state;
    /* Around the fast range's ends, powers of ten and of two, each with its neighbours. */
    for (int e = -8; e <= 17; e++) {
        double p = pow(10, e);
        for (double v = p, up = p; v > 0 && fabs(v / p - 1) < 1e-14; v = nextafter(v, 0), up = nextafter(up, INFINITY)) {
            same_text(v), same_text(up), same_text(-v), same_text(-up);
            same_text(v * 9.999999999999999), same_text(up * 5);
        }
    }
    for (int e = -20; e <= 50; e++) {
        double p = ldexp(1, e);
        same_text(p), same_text(nextafter(p, 0)), same_text(nextafter(p, INFINITY)), same_text(p * 3), same_text(p / 3);
    }
    /* Dyadic numbers with 16 to 19 significant digits: printf rounds their exact halves to even. */
    uint64_t s = 99;
    for (int i = 0; i < 100000; i++) {
        int k = 1 + (int)(next(&s) % 12);
        double m = (double)(next(&s) % (1ull << 52));
        same_text(ldexp(m, -k));
        same_text(ldexp(m + 0.5, -k + 1));
    }
    same_text(1234567890123.125), same_text(0.000123456789012345), same_text(DBL_MIN), same_text(5e-324);
    same_text(DBL_MAX), same_text(-DBL_MAX), same_text(0.0), same_text(-0.0), same_text(1e300), same_text(4503599627370495.5);
}

static void writer_output_is_unchanged(void **state)
{
    (void)state;
    jw w = {0};
    jw_obj(&w);
    jw_kint(&w, "min", INT64_MIN);
    jw_kint(&w, "neg", -42);
    jw_kuint(&w, "max", UINT64_MAX);
    jw_kstr(&w, "ctl", "a\x01\x1f\"\\\t\r\nz");
    jw_key(&w, "nest");
    jw_arr(&w);
    jw_obj(&w);
    jw_kbool(&w, "t", true);
    jw_kbool(&w, "f", false);
    jw_key(&w, "in");
    jw_arr_inline(&w);
    jw_num(&w, -0.0);
    jw_num(&w, 1e-7);
    jw_obj(&w);
    jw_knum(&w, "x", NAN);
    jw_obj_end(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_arr(&w);
    jw_arr_end(&w);
    jw_arr_end(&w);
    jw_kstr(&w, "null", NULL);
    jw_obj_end(&w);
    assert_false(w.out.failed);
    assert_string_equal(w.out.data, "{\n  \"min\": -9223372036854775808,\n  \"neg\": -42,\n  \"max\": 18446744073709551615,\n"
                                    "  \"ctl\": \"a\\u0001\\u001f\\\"\\\\\\t\\r\\nz\",\n  \"nest\": [\n    {\n"
                                    "      \"t\": true,\n      \"f\": false,\n      \"in\": [0, 1e-07, {\"x\": null}]\n    },\n"
                                    "    []\n  ],\n  \"null\": null\n}\n");
    assert_int_equal(w.out.len, strlen(w.out.data));
    pu_buf_free(&w.out);
}

/* Returns the bytes of f from its start (malloc'd, NUL-terminated). */
static char *contents(FILE *f)
{
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    return text;
}

static void streamed_reports_are_the_same_text(void **state)
{
    (void)state;
    parley_scenario *s = NULL;
    parley_error *err = parley_error_new();
    char path[512];
    snprintf(path, sizeof path, "%s/bdm/iran_1984.csv", PARLEY_TEST_DATA);
    assert_int_equal(parley_read_file(path, NULL, &s, err), PARLEY_OK);
    parley_plan *p = NULL;
    assert_int_equal(parley_plan_parse(&p, "bdm,compromise", err), PARLEY_OK);
    parley_run_options o = {PARLEY_RUN_FULL_DETAIL, 0, NULL};
    parley_result *r = NULL;
    assert_int_equal(parley_run_with(s, p, 1, &o, &r, err), PARLEY_OK);
    static const char *const formats[] = {"json", "text", "csv"};
    for (size_t k = 0; k < 3; k++) {
        char *whole = parley_report(s, r, formats[k], err);
        FILE *f = tmpfile();
        assert_non_null(f);
        assert_int_equal(parley_report_write(f, "tmp", s, r, formats[k], NULL, err), PARLEY_OK);
        char *streamed = contents(f);
        if (k == 0) assert_true(strlen(whole) > 4 * JW_SINK_BYTES); /* many pieces */
        assert_string_equal(streamed, whole);
        free(whole), free(streamed);
        fclose(f);
    }
    /* A stream that cannot be written is an I/O error naming it; a bad format a usage error. */
    FILE *f = tmpfile();
    assert_non_null(f);
    int fd = dup(fileno(f));
    FILE *ro = fdopen(fd, "r");
    assert_non_null(ro);
    assert_int_equal(parley_report_write(ro, "the pipe", s, r, "json", NULL, err), PARLEY_E_IO);
    char line[512];
    parley_diag_format(parley_error_at(err, parley_error_count(err) - 1), line, sizeof line);
    assert_non_null(strstr(line, "the pipe"));
    assert_int_equal(parley_report_write(f, "tmp", s, r, "yaml", NULL, err), PARLEY_E_USAGE);
    fclose(ro), fclose(f);
    parley_result_free(r);
    parley_plan_free(p);
    parley_scenario_free(s);
    parley_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_match_printf_on_random_bit_patterns),
        cmocka_unit_test(numbers_match_printf_on_short_decimals_and_model_outputs),
        cmocka_unit_test(numbers_match_printf_at_the_edges_and_on_ties),
        cmocka_unit_test(writer_output_is_unchanged),
        cmocka_unit_test(streamed_reports_are_the_same_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
