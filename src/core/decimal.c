/* decimal.c - 28-digit decimal arithmetic (Python's default Decimal context) on base-1e9 integers.
 *
 * Every operation computes the exact result as an integer coefficient and a power of ten, then rounds
 * it once to 28 digits, half to even. The integers are wide enough for any exact intermediate of two
 * operands of up to 108 digits; an addend far below the other's last kept digit is first replaced by a
 * single "sticky" unit that rounds the same way, so that aligning exponents never needs more room. */
#include "decimal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define BASE 1000000000u
#define BN_MAX 40 /* 360 digits */

static const uint32_t pow10_small[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

typedef struct bn {
    uint32_t l[BN_MAX];
    int n;
} bn;

static void bn_trim(bn *a)
{
    while (a->n > 0 && a->l[a->n - 1] == 0) a->n--;
}

/* Returns the number of decimal digits of a (0 for zero). */
static int bn_digits(const bn *a)
{
    if (a->n == 0) return 0;
    uint32_t top = a->l[a->n - 1];
    int d = 0;
    while (d < 9 && top >= pow10_small[d]) d++;
    return (a->n - 1) * 9 + d;
}

/* Returns the decimal digit of a at position pos (0: units). */
static int bn_digit(const bn *a, int pos)
{
    if (pos < 0 || pos / 9 >= a->n) return 0;
    return (int)(a->l[pos / 9] / pow10_small[pos % 9] % 10);
}

/* Returns whether any digit of a below position pos is non-zero. */
static bool bn_any_below(const bn *a, int pos)
{
    if (pos <= 0) return false;
    int limb = pos / 9;
    for (int i = 0; i < limb && i < a->n; i++)
        if (a->l[i]) return true;
    return limb < a->n && a->l[limb] % pow10_small[pos % 9] != 0;
}

static void bn_mul_small(bn *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->l[i] * m + carry;
        a->l[i] = (uint32_t)(t % BASE);
        carry = t / BASE;
    }
    if (carry && a->n < BN_MAX) a->l[a->n++] = (uint32_t)carry;
    bn_trim(a);
}

static void bn_add_small(bn *a, uint32_t v)
{
    uint64_t carry = v;
    for (int i = 0; carry && i < a->n; i++) {
        uint64_t t = a->l[i] + carry;
        a->l[i] = (uint32_t)(t % BASE);
        carry = t / BASE;
    }
    if (carry && a->n < BN_MAX) a->l[a->n++] = (uint32_t)carry;
}

/* Multiplies a by 10^k (k >= 0); the callers keep the result within BN_MAX limbs. */
static void bn_shl10(bn *a, int k)
{
    if (a->n == 0 || k <= 0) return;
    int limbs = k / 9;
    if (limbs) {
        if (a->n + limbs > BN_MAX) limbs = BN_MAX - a->n; /* unreachable by the size argument above */
        memmove(a->l + limbs, a->l, (size_t)a->n * sizeof a->l[0]);
        memset(a->l, 0, (size_t)limbs * sizeof a->l[0]);
        a->n += limbs;
    }
    bn_mul_small(a, pow10_small[k % 9]);
}

/* Divides a by 10^k, discarding the remainder. */
static void bn_shr10(bn *a, int k)
{
    int limbs = k / 9;
    if (limbs >= a->n) {
        a->n = 0;
        return;
    }
    if (limbs) {
        memmove(a->l, a->l + limbs, (size_t)(a->n - limbs) * sizeof a->l[0]);
        a->n -= limbs;
    }
    uint32_t d = pow10_small[k % 9];
    if (d > 1) {
        uint64_t rem = 0;
        for (int i = a->n - 1; i >= 0; i--) {
            uint64_t cur = rem * BASE + a->l[i];
            a->l[i] = (uint32_t)(cur / d);
            rem = cur % d;
        }
    }
    bn_trim(a);
}

static int bn_cmp(const bn *a, const bn *b)
{
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->l[i] != b->l[i]) return a->l[i] < b->l[i] ? -1 : 1;
    return 0;
}

static void bn_add(bn *a, const bn *b)
{
    uint32_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        uint32_t t = (i < a->n ? a->l[i] : 0) + (i < b->n ? b->l[i] : 0) + carry;
        carry = t >= BASE;
        a->l[i] = carry ? t - BASE : t;
    }
    a->n = n;
    if (carry && a->n < BN_MAX) a->l[a->n++] = 1;
}

/* a -= b, for a >= b. */
static void bn_sub(bn *a, const bn *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->l[i] - (i < b->n ? b->l[i] : 0) - borrow;
        borrow = t < 0;
        a->l[i] = (uint32_t)(t < 0 ? t + BASE : t);
    }
    bn_trim(a);
}

static void bn_mul(bn *out, const bn *a, const bn *b)
{
    bn r = {{0}, 0};
    if (a->n && b->n) {
        r.n = a->n + b->n;
        if (r.n > BN_MAX) r.n = BN_MAX; /* unreachable: operands hold at most PD_LIMBS limbs each */
        for (int i = 0; i < a->n; i++) {
            uint64_t carry = 0;
            for (int j = 0; j < b->n && i + j < BN_MAX; j++) {
                uint64_t t = r.l[i + j] + (uint64_t)a->l[i] * b->l[j] + carry;
                r.l[i + j] = (uint32_t)(t % BASE);
                carry = t / BASE;
            }
            for (int k = i + b->n; carry && k < BN_MAX; k++) {
                uint64_t t = r.l[k] + carry;
                r.l[k] = (uint32_t)(t % BASE);
                carry = t / BASE;
            }
        }
        bn_trim(&r);
    }
    *out = r;
}

/* q = a / b (b > 0), digit by digit; returns whether the remainder is non-zero. Divisors of up to 37
 * digits (every rounded value) keep the running remainder in 128 bits. */
static bool bn_div(bn *q, const bn *a, const bn *b)
{
    int nd = bn_digits(a);
    bn r = {{0}, 0};
    *q = (bn){{0}, 0};
    if (bn_digits(b) <= 29) {
        /* A limb at a time: the remainder stays below the divisor (< 10^29), so remainder x 10^9 plus a
         * limb fits in 128 bits. */
        __extension__ typedef unsigned __int128 u128;
        u128 bb = 0, rr = 0;
        for (int i = b->n - 1; i >= 0; i--) bb = bb * BASE + b->l[i];
        q->n = a->n;
        for (int i = a->n - 1; i >= 0; i--) {
            rr = rr * BASE + a->l[i];
            q->l[i] = (uint32_t)(rr / bb);
            rr %= bb;
        }
        bn_trim(q);
        (void)nd;
        return rr != 0;
    }
    if (bn_digits(b) <= 37) {
        __extension__ typedef unsigned __int128 u128;
        u128 bb = 0, rr = 0;
        for (int i = b->n - 1; i >= 0; i--) bb = bb * BASE + b->l[i];
        for (int pos = nd - 1; pos >= 0; pos--) {
            rr = rr * 10 + (u128)bn_digit(a, pos);
            uint32_t d = 0;
            while (rr >= bb) rr -= bb, d++;
            bn_mul_small(q, 10);
            if (q->n == 0 && d) q->n = 1, q->l[0] = 0;
            bn_add_small(q, d);
        }
        return rr != 0;
    }
    for (int pos = nd - 1; pos >= 0; pos--) {
        bn_mul_small(&r, 10);
        if (r.n == 0) r.n = 1, r.l[0] = 0;
        bn_add_small(&r, (uint32_t)bn_digit(a, pos));
        bn_trim(&r);
        uint32_t d = 0;
        while (bn_cmp(&r, b) >= 0) bn_sub(&r, b), d++;
        bn_mul_small(q, 10);
        if (q->n == 0 && d) q->n = 1, q->l[0] = 0;
        bn_add_small(q, d);
    }
    return r.n != 0;
}

static void to_bn(bn *out, const pdec *a)
{
    out->n = a->n;
    memcpy(out->l, a->l, (size_t)a->n * sizeof a->l[0]);
}

/* Rounds c * 10^exp to 28 digits, half to even; sticky: the exact value lies a little above c's
 * magnitude (a non-zero remainder was cut off below c's last digit). */
static pdec finish(bn *c, int exp, bool neg, bool sticky)
{
    pdec r;
    memset(&r, 0, sizeof r);
    bn_trim(c);
    int d = bn_digits(c);
    if (d > PD_PRECISION) {
        int drop = d - PD_PRECISION;
        int first = bn_digit(c, drop - 1);
        bool rest = sticky || bn_any_below(c, drop - 1);
        bn_shr10(c, drop);
        exp += drop;
        if (first > 5 || (first == 5 && (rest || (c->l[0] & 1)))) {
            bn_add_small(c, 1);
            if (bn_digits(c) > PD_PRECISION) bn_shr10(c, 1), exp++; /* 10^28: the digit dropped is 0 */
        }
    }
    if (c->n == 0) return r;
    r.n = c->n;
    memcpy(r.l, c->l, (size_t)c->n * sizeof c->l[0]);
    r.exp = exp;
    r.neg = neg;
    return r;
}

static int pd_digits(const pdec *a)
{
    bn t;
    to_bn(&t, a);
    return bn_digits(&t);
}

pdec pd_int(long v)
{
    pdec r;
    memset(&r, 0, sizeof r);
    unsigned long m = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    r.neg = v < 0;
    while (m) r.l[r.n++] = (uint32_t)(m % BASE), m /= BASE;
    return r;
}

bool pd_parse(const char *s, pdec *out)
{
    bn c = {{0}, 0};
    bool neg = false, any = false;
    int exp = 0, sig = 0;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    bool point = false;
    for (; (*s >= '0' && *s <= '9') || (*s == '.' && !point); s++) {
        if (*s == '.') {
            point = true;
            continue;
        }
        any = true;
        if (point) exp--;
        if (sig == 0 && *s == '0') continue;
        if (++sig > PD_LIMBS * 9) return false;
        bn_mul_small(&c, 10);
        if (c.n == 0) c.n = 1, c.l[0] = 0;
        bn_add_small(&c, (uint32_t)(*s - '0'));
    }
    if (!any) return false;
    if (*s == 'e' || *s == 'E') {
        char *end;
        long e = strtol(s + 1, &end, 10);
        if (end == s + 1 || e > 100000 || e < -100000) return false;
        exp += (int)e;
        s = end;
    }
    if (*s) return false;
    bn_trim(&c);
    memset(out, 0, sizeof *out);
    if (c.n == 0) return true;
    out->n = c.n;
    memcpy(out->l, c.l, (size_t)c.n * sizeof c.l[0]);
    out->exp = exp;
    out->neg = neg;
    return true;
}

bool pd_from_double(double d, pdec *out)
{
    char buf[40];
    if (d != d || d - d != 0) return false;
    pu_fmt_double(buf, sizeof buf, d);
    return pd_parse(buf, out);
}

char *pd_format(pdec a, char *buf, size_t n)
{
    if (n == 0) return buf;
    if (a.n == 0) {
        snprintf(buf, n, "0");
        return buf;
    }
    char digits[PD_LIMBS * 9 + 2];
    int len = snprintf(digits, sizeof digits, "%u", a.l[a.n - 1]);
    for (int i = a.n - 2; i >= 0 && len > 0; i--) len += snprintf(digits + len, sizeof digits - (size_t)len, "%09u", a.l[i]);
    snprintf(buf, n, "%s%sE%d", a.neg ? "-" : "", digits, a.exp);
    return buf;
}

double pd_to_double(pdec a)
{
    char buf[PD_LIMBS * 9 + 24];
    return strtod(pd_format(a, buf, sizeof buf), NULL);
}

pdec pd_neg(pdec a)
{
    if (a.n) a.neg = !a.neg;
    return a;
}

pdec pd_abs(pdec a)
{
    a.neg = false;
    return a;
}

int pd_sign(pdec a)
{
    return a.n == 0 ? 0 : a.neg ? -1 : 1;
}

/* Compares magnitudes exactly. */
static int cmp_abs(const pdec *a, const pdec *b)
{
    if (a->n == 0 || b->n == 0) return (a->n != 0) - (b->n != 0);
    int ma = a->exp + pd_digits(a), mb = b->exp + pd_digits(b);
    if (ma != mb) return ma < mb ? -1 : 1;
    int e = a->exp < b->exp ? a->exp : b->exp;
    bn x, y;
    to_bn(&x, a), to_bn(&y, b);
    bn_shl10(&x, a->exp - e), bn_shl10(&y, b->exp - e);
    return bn_cmp(&x, &y);
}

int pd_cmp(pdec a, pdec b)
{
    int sa = pd_sign(a), sb = pd_sign(b);
    if (sa != sb) return sa < sb ? -1 : 1;
    int m = cmp_abs(&a, &b);
    return sa < 0 ? -m : m;
}

__extension__ typedef unsigned __int128 pd_u128;

/* 10^k for k <= 38, in 128 bits. */
static pd_u128 p10(int k)
{
    static pd_u128 t[39];
    static bool ready;
    if (!ready) {
        t[0] = 1;
        for (int i = 1; i < 39; i++) t[i] = t[i - 1] * 10;
        ready = true;
    }
    return t[k];
}

static int digits128(pd_u128 v)
{
    int d = 0;
    while (d < 39 && v >= p10(d)) d++;
    return d;
}

/* The sum of two values whose coefficients, aligned, stay below 10^37: exact in 128 bits, then rounded
 * once to 28 digits half to even, as the general path (and Python) would. */
static bool add_fast(const pdec *a, const pdec *b, pdec *out)
{
    if (a->n > 4 || b->n > 4) return false;
    pd_u128 ca = 0, cb = 0;
    for (int i = a->n - 1; i >= 0; i--) ca = ca * BASE + a->l[i];
    for (int i = b->n - 1; i >= 0; i--) cb = cb * BASE + b->l[i];
    int e = a->exp < b->exp ? a->exp : b->exp, da = a->exp - e, db = b->exp - e;
    if (digits128(ca) + da > 37 || digits128(cb) + db > 37) return false;
    ca *= p10(da), cb *= p10(db);
    pd_u128 r;
    bool neg;
    if (a->neg == b->neg) r = ca + cb, neg = a->neg;
    else if (ca >= cb) r = ca - cb, neg = a->neg;
    else r = cb - ca, neg = b->neg;
    if (r == 0) {
        *out = pd_int(0);
        return true;
    }
    int nd = digits128(r);
    if (nd > PD_PRECISION) {
        int drop = nd - PD_PRECISION;
        pd_u128 m = p10(drop), q = r / m, rem = r % m, half = m / 2;
        if (rem > half || (rem == half && (q & 1))) q++;
        if (q == p10(PD_PRECISION)) q /= 10, drop++; /* the digit dropped is 0 */
        r = q, e += drop;
    }
    memset(out, 0, sizeof *out);
    while (r) out->l[out->n++] = (uint32_t)(r % BASE), r /= BASE;
    out->exp = e;
    out->neg = neg;
    return true;
}

pdec pd_add(pdec a, pdec b)
{
    bn x, y;
    pdec fast;
    if (a.n && b.n && add_fast(&a, &b, &fast)) return fast;
    if (b.n == 0 || a.n == 0) {
        pdec *v = a.n ? &a : &b;
        to_bn(&x, v);
        return finish(&x, v->exp, v->neg, false);
    }
    if (cmp_abs(&a, &b) < 0) {
        pdec t = a;
        a = b, b = t;
    }
    /* b is now the smaller in magnitude. When it lies wholly below both a's last digit and a's 30th digit,
     * only its sign can matter to the rounded sum: a single unit just as far down rounds the same way. */
    int msd_a = a.exp + pd_digits(&a) - 1, msd_b = b.exp + pd_digits(&b) - 1;
    int floor_ = (a.exp < msd_a - 30 ? a.exp : msd_a - 30) - 2;
    if (msd_b <= floor_) {
        bool neg = b.neg;
        b = pd_int(1);
        b.exp = floor_, b.neg = neg;
    }
    int e = a.exp < b.exp ? a.exp : b.exp;
    to_bn(&x, &a), to_bn(&y, &b);
    bn_shl10(&x, a.exp - e), bn_shl10(&y, b.exp - e);
    if (a.neg == b.neg) {
        bn_add(&x, &y);
        return finish(&x, e, a.neg, false);
    }
    int c = bn_cmp(&x, &y);
    if (c == 0) return pd_int(0);
    if (c > 0) {
        bn_sub(&x, &y);
        return finish(&x, e, a.neg, false);
    }
    bn_sub(&y, &x);
    return finish(&y, e, b.neg, false);
}

pdec pd_sub(pdec a, pdec b)
{
    return pd_add(a, pd_neg(b));
}

pdec pd_mul(pdec a, pdec b)
{
    bn x, y, z;
    if (a.n == 0 || b.n == 0) return pd_int(0);
    to_bn(&x, &a), to_bn(&y, &b);
    bn_mul(&z, &x, &y);
    return finish(&z, a.exp + b.exp, a.neg != b.neg, false);
}

pdec pd_div(pdec a, pdec b)
{
    bn x, y, q;
    if (a.n == 0 || b.n == 0) return pd_int(0);
    to_bn(&x, &a), to_bn(&y, &b);
    /* Enough quotient digits (at least 30) that the rounding digit and the sticky remainder are exact. */
    int s = PD_PRECISION + 2 + bn_digits(&y) - bn_digits(&x);
    if (s < 0) s = 0;
    bn_shl10(&x, s);
    bool rem = bn_div(&q, &x, &y);
    return finish(&q, a.exp - b.exp - s, a.neg != b.neg, rem);
}
