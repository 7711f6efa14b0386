/* jsonw.c - a small streaming JSON writer, fast: appends go straight into the buffer, numbers are
 * formatted with exact integer arithmetic (the same text pu_fmt_double gives, without printf). */
#include "jsonw.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Makes room for n more bytes and the terminating NUL; false (and sticky failure) when out of memory. */
static inline bool room(jw *w, size_t n)
{
    pu_buf *b = &w->out;
    if (b->failed) return false;
    if (b->len + n + 1 <= b->cap) return true;
    if (w->sink && b->len) {
        /* A full buffer goes to the sink and is reused: memory stays at JW_SINK_BYTES. */
        if (!jw_flush(w)) return false;
        if (n + 1 <= b->cap) return true;
    }
    if (!pu_grow((void **)&b->data, &b->cap, w->sink && n < JW_SINK_BYTES ? JW_SINK_BYTES : b->len + n + 1, 1)) {
        b->failed = true;
        return false;
    }
    return true;
}

bool jw_flush(jw *w)
{
    pu_buf *b = &w->out;
    if (b->failed) return false;
    if (!w->sink || !b->len) return true;
    if (!w->sink(w->sink_ctx, b->data, b->len)) {
        b->failed = true;
        return false;
    }
    b->len = 0;
    b->data[0] = '\0';
    return true;
}

static inline void put(jw *w, const char *s, size_t n)
{
    if (!room(w, n)) return;
    memcpy(w->out.data + w->out.len, s, n);
    w->out.len += n;
    w->out.data[w->out.len] = '\0';
}

static inline void put_char(jw *w, char c)
{
    if (!room(w, 1)) return;
    w->out.data[w->out.len++] = c;
    w->out.data[w->out.len] = '\0';
}

/* A line break and the indentation of depth (two spaces a level; depth < JW_MAX_DEPTH). */
static void newline(jw *w, int depth)
{
    static const char spaces[] = "\n                                                                  ";
    _Static_assert(sizeof spaces >= 2 * JW_MAX_DEPTH + 2, "room for the deepest indentation");
    put(w, spaces, 1 + 2 * (size_t)depth);
}

static bool inline_now(const jw *w)
{
    return w->compact_depth && w->depth >= w->compact_depth;
}

static void before_value(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) return;
    bool in = inline_now(w);
    if (w->has_items[w->depth]) in ? put(w, ", ", 2) : put_char(w, ',');
    w->has_items[w->depth] = true;
    if (!in) newline(w, w->depth);
}

static void open(jw *w, char c, bool compact)
{
    before_value(w);
    put_char(w, c);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->out.failed = true;
        return;
    }
    w->depth++;
    if (compact && !w->compact_depth) w->compact_depth = w->depth;
    w->has_items[w->depth] = false;
}

static void close(jw *w, char c)
{
    bool had = w->has_items[w->depth];
    bool was_inline = inline_now(w);
    if (w->compact_depth == w->depth) w->compact_depth = 0;
    w->depth--;
    if (had && !was_inline) newline(w, w->depth);
    put_char(w, c);
    if (w->depth == 0) put_char(w, '\n');
}

void jw_obj(jw *w) { open(w, '{', false); }
void jw_obj_end(jw *w) { close(w, '}'); }
void jw_arr(jw *w) { open(w, '[', false); }
void jw_arr_inline(jw *w) { open(w, '[', true); }
void jw_arr_end(jw *w) { close(w, ']'); }

/* Bytes a JSON string may hold as they are: not a control character, quote or backslash. */
static inline bool plain(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

static void put_string(jw *w, const char *s)
{
    put_char(w, '"');
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        /* Copy a run of characters that need no escape in one go. */
        const unsigned char *run = p;
        while (plain(*p)) p++;
        if (p > run) put(w, (const char *)run, (size_t)(p - run));
        if (!*p) break;
        switch (*p) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        default: {
            static const char hex[] = "0123456789abcdef";
            char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            put(w, u, sizeof u);
        }
        }
        p++;
    }
    put_char(w, '"');
}

void jw_key(jw *w, const char *key)
{
    before_value(w);
    put_string(w, key);
    put(w, ": ", 2);
    w->after_key = true;
}

void jw_str(jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    before_value(w);
    put_string(w, s);
}

/* Writes the decimal digits of v at the end of buf (which has room for 20), returns where they start. */
static char *digits_u64(char *end, uint64_t v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_64[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
                                      100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
                                      1000000000000ull, 10000000000000ull, 100000000000000ull,
                                      1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
                                      1000000000000000000ull, 10000000000000000000ull};

/* 10^t for t in [0, 38]. */
static inline u128 pow10_128(int t)
{
    return t < 20 ? pow10_64[t] : (u128)pow10_64[19] * pow10_64[t - 19];
}

/* The number of decimal digits of v, known to lie in [10^16, 10^35). */
static int digit_count(u128 v)
{
    int n = 17;
    while (n < 35 && v >= pow10_128(n)) n++;
    return n;
}

/* Formats a non-whole v with 1e-4 <= |v| < 1e14 as pu_fmt_double does: the first precision P from 15 to
 * 17 whose %.Pg text reads back to v, in %g's fixed notation with trailing zeros dropped. Exact: with
 * |v| = M 2^-k (M the 53-bit significand), N = M 10^20 fits in 128 bits, so v 10^20 = N / 2^k; P digits
 * are N / (10^t 2^k) rounded half to even (as printf rounds), and the text reads back to v exactly when
 * it lies inside v's rounding interval (half an ulp each side, a quarter below a power of two; on the
 * edge the even significand wins, as strtod rounds). Returns the length written to buf (>= 32 bytes). */
static size_t fmt_fixed(char *buf, double v)
{
    int e2;
    double f = frexp(fabs(v), &e2); /* |v| = f 2^e2, f in [0.5, 1) */
    uint64_t M = (uint64_t)ldexp(f, 53);
    int k = 53 - e2; /* |v| = M 2^-k; 6 <= k <= 66 in this range */
    u128 N = (u128)M * pow10_128(20);
    int X = digit_count(N >> k) - 1 - 20; /* the decimal exponent of |v|: floor(log10 |v|) */
    u128 ulp = pow10_128(20); /* one ulp of v, on the scale of N */
    for (int P = 15; P <= 17; P++) {
        int t = 21 + X - P; /* 0 <= t <= 19 */
        u128 den = pow10_128(t) << k;
        u128 D = N / den, R = N % den;
        if (2 * R > den || (2 * R == den && (D & 1))) D++;
        int Xr = X;
        if (D == pow10_128(P)) D /= 10, Xr++, t++; /* rounding carried into a new digit */
        u128 C = (D * pow10_128(t)) << k;       /* the text's value, on the scale of N */
        bool below = C < N;
        u128 diff = below ? N - C : C - N;
        u128 lim = below && M == (1ull << 52) ? ulp / 2 : ulp; /* twice the half-gap on that side */
        if (P < 17 && !(2 * diff < lim || (2 * diff == lim && !(M & 1)))) continue;
        char dig[24];
        char *d = digits_u64(dig + sizeof dig, (uint64_t)D);
        size_t nd = (size_t)(dig + sizeof dig - d);
        while (nd > 1 && d[nd - 1] == '0') nd--; /* %g drops trailing zeros... */
        char *o = buf;
        if (v < 0) *o++ = '-';
        if (Xr < 0) {
            *o++ = '0', *o++ = '.';
            for (int z = -1; z > Xr; z--) *o++ = '0';
            memcpy(o, d, nd), o += nd;
        } else {
            size_t ip = (size_t)Xr + 1; /* digits before the point */
            if (nd <= ip) {
                /* ...and the point itself when no fraction is left (the zeros dropped were its digits). */
                memcpy(o, d, nd), o += nd;
                for (size_t z = nd; z < ip; z++) *o++ = '0';
            } else {
                memcpy(o, d, ip), o += ip;
                *o++ = '.';
                memcpy(o, d + ip, nd - ip), o += nd - ip;
            }
        }
        *o = '\0';
        return (size_t)(o - buf);
    }
    return 0; /* not reached: 17 digits always read back */
}

size_t jw_fmt_number(char *buf, double v)
{
    double a = fabs(v);
    if (v == floor(v) && a < 1e15) {
        /* Whole numbers print plainly, as "%.0f" does. */
        char dig[24], *d = digits_u64(dig + sizeof dig, (uint64_t)a);
        size_t nd = (size_t)(dig + sizeof dig - d), n = 0;
        if (signbit(v)) buf[n++] = '-';
        memcpy(buf + n, d, nd);
        buf[n + nd] = '\0';
        return n + nd;
    }
    if (a >= 1e-4 && a < 1e14) return fmt_fixed(buf, v);
    pu_fmt_double(buf, 40, v); /* the rare rest: exponents, subnormals, non-finite */
    return strlen(buf);
}

void jw_num(jw *w, double v)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    char buf[40];
    size_t n = jw_fmt_number(buf, v == 0 ? 0.0 : v); /* no "-0" */
    before_value(w);
    put(w, buf, n);
}

void jw_int(jw *w, long long v)
{
    char dig[24], *d = digits_u64(dig + sizeof dig, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v);
    if (v < 0) *--d = '-';
    before_value(w);
    put(w, d, (size_t)(dig + sizeof dig - d));
}

void jw_uint(jw *w, unsigned long long v)
{
    char dig[24], *d = digits_u64(dig + sizeof dig, v);
    before_value(w);
    put(w, d, (size_t)(dig + sizeof dig - d));
}

void jw_bool(jw *w, bool v)
{
    before_value(w);
    v ? put(w, "true", 4) : put(w, "false", 5);
}

void jw_null(jw *w)
{
    before_value(w);
    put(w, "null", 4);
}

void jw_kstr(jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_knum(jw *w, const char *key, double v)
{
    jw_key(w, key);
    jw_num(w, v);
}

void jw_kint(jw *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kuint(jw *w, const char *key, unsigned long long v)
{
    jw_key(w, key);
    jw_uint(w, v);
}

void jw_kbool(jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}
