/* test_core.c - the small owned pieces: random generator, SHA-256, numbers, medians, JSON writer. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/jsonw.h"
#include "core/sha256.h"
#include "core/stats.h"
#include "core/util.h"
#include "parley/parley.h"

static void rng_is_deterministic_per_task(void **state)
{
    (void)state;
    parley_rng a, b, c;
    parley_rng_seed(&a, 42, 7);
    parley_rng_seed(&b, 42, 7);
    parley_rng_seed(&c, 42, 8);
    bool differs = false;
    for (int i = 0; i < 100; i++) {
        uint64_t x = parley_rng_next(&a), y = parley_rng_next(&b), z = parley_rng_next(&c);
        assert_int_equal(x, y);
        differs |= x != z;
    }
    assert_true(differs);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = parley_rng_uniform(&a);
        assert_true(u >= 0 && u < 1);
        sum += u;
    }
    assert_true(fabs(sum / 100000 - 0.5) < 0.01);
    for (int i = 0; i < 1000; i++) assert_true(parley_rng_below(&a, 7) < 7);
}

static void sha256_matches_known_vectors(void **state)
{
    (void)state;
    char hex[65];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void numbers_are_parsed_strictly(void **state)
{
    (void)state;
    double v;
    assert_true(pu_parse_double(" 12.5 ", 6, false, &v));
    assert_true(v == 12.5);
    assert_true(pu_parse_double("-1e3", 4, false, &v));
    assert_true(v == -1000);
    assert_true(pu_parse_double("0,5", 3, true, &v));
    assert_true(v == 0.5);
    assert_false(pu_parse_double("0,5", 3, false, &v));
    assert_false(pu_parse_double("nan", 3, false, &v));
    assert_false(pu_parse_double("inf", 3, false, &v));
    assert_false(pu_parse_double("1e999", 5, false, &v));
    assert_false(pu_parse_double("0x10", 4, false, &v));
    assert_false(pu_parse_double("12abc", 5, false, &v));
    assert_false(pu_parse_double("", 0, false, &v));
    assert_false(pu_parse_double("1,000.5", 7, true, &v));
}

static void did_you_mean_finds_close_words(void **state)
{
    (void)state;
    const char *words[] = {"capability", "salience", "position"};
    assert_string_equal(pu_did_you_mean("capabilty", words, 3), "capability");
    assert_string_equal(pu_did_you_mean("Salience", words, 3), "salience");
    assert_null(pu_did_you_mean("weather", words, 3));
}

static void weighted_median_follows_the_tie_rule(void **state)
{
    (void)state;
    st_pair scratch[8];
    double x[] = {10, 20, 30, 40}, w[] = {1, 1, 1, 1};
    /* The weight splits exactly in half between 20 and 30. */
    assert_true(st_wmedian(x, w, 4, ST_TIE_LOWER, scratch) == 20);
    assert_true(st_wmedian(x, w, 4, ST_TIE_UPPER, scratch) == 30);
    assert_true(st_wmedian(x, w, 4, ST_TIE_MIDPOINT, scratch) == 25);
    double w2[] = {1, 1, 3, 1};
    assert_true(st_wmedian(x, w2, 4, ST_TIE_LOWER, scratch) == 30);
    /* Order of input does not matter; zero weights are ignored. */
    double x3[] = {40, 10, 30, 20, 99}, w3[] = {1, 1, 1, 1, 0};
    assert_true(st_wmedian(x3, w3, 5, ST_TIE_LOWER, scratch) == 20);
    assert_true(st_wmedian(x3, w3, 5, ST_TIE_UPPER, scratch) == 30);
    double z[] = {0, 0};
    assert_true(isnan(st_wmedian(x, z, 2, ST_TIE_LOWER, scratch)));
    assert_true(isnan(st_wmean(x, z, 2)));
    assert_true(st_wmean(x, w2, 4) == (10 + 20 + 90 + 40) / 6.0);
}

static void json_writer_round_trips_numbers(void **state)
{
    (void)state;
    jw w = {0};
    jw_obj(&w);
    jw_key(&w, "a");
    jw_num(&w, 0.1);
    jw_key(&w, "b");
    jw_num(&w, NAN);
    jw_key(&w, "c");
    jw_str(&w, "quote \" and\nnewline");
    jw_key(&w, "d");
    jw_arr_inline(&w);
    jw_num(&w, 1);
    jw_num(&w, 2.5);
    jw_arr_end(&w);
    jw_obj_end(&w);
    assert_false(w.out.failed);
    assert_string_equal(w.out.data,
                        "{\n  \"a\": 0.1,\n  \"b\": null,\n  \"c\": \"quote \\\" and\\nnewline\",\n  \"d\": [1, 2.5]\n}\n");
    pu_buf_free(&w.out);
}

static void errors_format_with_position(void **state)
{
    (void)state;
    parley_diag d = {PARLEY_SEVERITY_ERROR, PARLEY_E_INVALID, "f.csv", 3, 7, "salience", "expected x, found y"};
    char buf[128];
    parley_diag_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "f.csv:3:7: error: salience: expected x, found y");
    assert_int_equal(parley_status_exit_code(PARLEY_E_INVALID), 2);
    assert_int_equal(parley_status_exit_code(PARLEY_E_IO), 1);
    assert_int_equal(parley_status_exit_code(PARLEY_OK), 0);
    assert_string_equal(parley_status_message(PARLEY_E_LIMIT), "input exceeds a size limit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_is_deterministic_per_task),
        cmocka_unit_test(sha256_matches_known_vectors),
        cmocka_unit_test(numbers_are_parsed_strictly),
        cmocka_unit_test(did_you_mean_finds_close_words),
        cmocka_unit_test(weighted_median_follows_the_tie_rule),
        cmocka_unit_test(json_writer_round_trips_numbers),
        cmocka_unit_test(errors_format_with_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
