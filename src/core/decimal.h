/* decimal.h - decimal arithmetic with 28 significant digits, rounding half to even: the semantics of
 * Python's default Decimal context, so that a model can reproduce a reference implementation written
 * with it to the last digit (exact ties included).
 *
 * Values are small structs passed by value; no allocation, no failure. Every operation returns the exact
 * result rounded to 28 significant digits, as Python does. Operands may carry more digits (the exact
 * value of a binary double has up to ~55); they are used exactly. Exponents are not bounded by a context:
 * the models that use this stay within ordinary magnitudes, and the parsers refuse wider inputs. */
#ifndef PARLEY_DECIMAL_H
#define PARLEY_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PD_PRECISION 28
#define PD_LIMBS 12 /* base 1e9: room for 108 digits, enough for the exact value of 1e-10 as a double */

typedef struct pdec {
    uint32_t l[PD_LIMBS]; /* the coefficient, little-endian, base 1e9; n limbs used (0: the value is 0) */
    int n;
    int exp;              /* value = (-1)^neg * coefficient * 10^exp */
    bool neg;
} pdec;

/* Returns the integer v exactly. */
pdec pd_int(long v);
/* Returns the value of a decimal literal ("-12.5e-3") exactly, or false when s is not one or has more
 * than 108 significant digits. */
bool pd_parse(const char *s, pdec *out);
/* Returns the shortest decimal that reads back as d (the way a CSV number like 0.7 was meant), or
 * false when d is not finite. */
bool pd_from_double(double d, pdec *out);
/* Returns the double nearest to a (correctly rounded). */
double pd_to_double(pdec a);
/* Writes a in scientific notation ("-1.25E-2"; "0" for zero) into buf of size n; returns buf. */
char *pd_format(pdec a, char *buf, size_t n);

pdec pd_add(pdec a, pdec b);
pdec pd_sub(pdec a, pdec b);
pdec pd_mul(pdec a, pdec b);
/* Division by zero returns 0 (callers guard against it, as the reference does). */
pdec pd_div(pdec a, pdec b);
pdec pd_neg(pdec a);
pdec pd_abs(pdec a);
/* Returns -1, 0 or 1 as a <, =, > b, comparing exact values. */
int pd_cmp(pdec a, pdec b);
/* Returns -1, 0 or 1 by the sign of a. */
int pd_sign(pdec a);

#endif
