/* test_decimal.c - the 28-digit decimal layer against Python's Decimal (tests/data/decimal/vectors.txt). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/decimal.h"

static pdec num(const char *s)
{
    pdec d;
    if (!pd_parse(s, &d)) fail_msg("cannot parse %s", s);
    return d;
}

static void agrees_with_python_on_thousands_of_operations(void **state)
{
    (void)state;
    FILE *f = fopen(PARLEY_TEST_DATA "/decimal/vectors.txt", "r");
    assert_non_null(f);
    char line[512], op[8], a[160], b[160], want[160];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        assert_int_equal(sscanf(line, "%7s %159s %159s %159s", op, a, b, want), 4);
        pdec x = num(a), y = num(b), r;
        if (!strcmp(op, "add")) r = pd_add(x, y);
        else if (!strcmp(op, "sub")) r = pd_sub(x, y);
        else if (!strcmp(op, "mul")) r = pd_mul(x, y);
        else r = pd_div(x, y);
        char got[160];
        if (pd_cmp(r, num(want)) != 0) fail_msg("%s %s %s: got %s, want %s", op, a, b, pd_format(r, got, sizeof got), want);
        checked++;
    }
    fclose(f);
    assert_true(checked > 5000);
}

static void rounds_half_to_even_at_the_28th_digit(void **state)
{
    (void)state;
    /* 1 + 5e-28 is a tie between 1 and 1.000...01 (28 digits): even wins. */
    assert_int_equal(pd_cmp(pd_add(pd_int(1), num("5e-28")), pd_int(1)), 0);
    assert_int_equal(pd_cmp(pd_add(pd_int(1), num("5.0000000001e-28")), num("1.000000000000000000000000001")), 0);
    assert_int_equal(pd_cmp(pd_add(num("1.000000000000000000000000001"), num("5e-28")), num("1.000000000000000000000000002")), 0);
    /* 1/3 * 3 is not 1 in 28 digits, nor (0.7 / 0.3) * 0.3 exactly 0.7; (1.5 / 1.8) * 0.9 rounds back to 0.75. */
    assert_int_equal(pd_cmp(pd_mul(pd_div(pd_int(1), pd_int(3)), pd_int(3)), num("0.9999999999999999999999999999")), 0);
    assert_int_equal(pd_cmp(pd_mul(pd_div(num("1.5"), num("1.8")), num("0.9")), num("0.75")), 0);
    assert_int_equal(pd_cmp(pd_mul(pd_div(num("0.7"), num("0.3")), num("0.3")), num("0.6999999999999999999999999999")), 0);
    /* A far smaller addend still decides the direction of rounding. */
    assert_int_equal(pd_cmp(pd_sub(pd_int(1), num("1e-300")), num("1")), 0);
    assert_int_equal(pd_cmp(pd_add(num("1.5e-27"), num("1e-300")), num("1.5e-27")), 0);
    assert_int_equal(pd_cmp(pd_add(num("0.5e-27"), pd_int(1)), pd_int(1)), 0);
    assert_int_equal(pd_cmp(pd_add(pd_add(num("0.5e-27"), num("1e-300")), pd_int(1)), pd_int(1)), 0);
}

static void converts_doubles_the_way_a_csv_meant_them(void **state)
{
    (void)state;
    pdec d;
    assert_true(pd_from_double(0.7, &d));
    assert_int_equal(pd_cmp(d, num("0.7")), 0);
    assert_true(pd_from_double(-1e-10, &d));
    assert_int_equal(pd_cmp(d, num("-1e-10")), 0);
    assert_false(pd_from_double(NAN, &d));
    assert_false(pd_from_double(INFINITY, &d));
    assert_true(pd_to_double(num("0.1000000000000000055511151231257827021181583404541015625")) == 0.1);
    assert_true(pd_to_double(pd_div(pd_int(2), pd_int(3))) == 2.0 / 3.0);
    assert_true(pd_to_double(pd_int(0)) == 0);
    assert_int_equal(pd_sign(pd_neg(pd_int(0))), 0);
    assert_false(pd_parse("1.2.3", &d));
    assert_false(pd_parse("", &d));
    assert_false(pd_parse("e5", &d));
    assert_false(pd_parse("1e", &d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agrees_with_python_on_thousands_of_operations),
        cmocka_unit_test(rounds_half_to_even_at_the_28th_digit),
        cmocka_unit_test(converts_doubles_the_way_a_csv_meant_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
