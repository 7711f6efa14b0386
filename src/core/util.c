/* util.c - small shared helpers: checked allocation, string building, an id map, number parsing. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *pu_strndup(const char *s, size_t n)
{
    if (!s) return NULL;
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pu_strdup(const char *s)
{
    return s ? pu_strndup(s, strlen(s)) : NULL;
}

char *pu_vasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return NULL;
    char *p = malloc((size_t)n + 1);
    if (!p) return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *pu_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = pu_vasprintf(fmt, ap);
    va_end(ap);
    return p;
}

bool pu_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t nc = *cap ? *cap : 8;
    while (nc < need) {
        if (nc > SIZE_MAX / 2) return false;
        nc *= 2;
    }
    if (elem && nc > SIZE_MAX / elem) return false;
    void *p = realloc(*buf, nc * elem);
    if (!p) return false;
    *buf = p;
    *cap = nc;
    return true;
}

void pu_buf_append(pu_buf *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (!pu_grow((void **)&b->data, &b->cap, b->len + n + 1, 1)) {
        b->failed = true;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pu_buf_puts(pu_buf *b, const char *s)
{
    pu_buf_append(b, s, strlen(s));
}

void pu_buf_printf(pu_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = pu_vasprintf(fmt, ap);
    va_end(ap);
    if (!p) {
        b->failed = true;
        return;
    }
    pu_buf_puts(b, p);
    free(p);
}

char *pu_buf_take(pu_buf *b)
{
    if (b->failed) {
        pu_buf_free(b);
        return NULL;
    }
    char *text = b->data ? b->data : pu_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return text;
}

void pu_buf_free(pu_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

static uint64_t map_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static bool map_rehash(pu_map *m, size_t ncap)
{
    const char **keys = calloc(ncap, sizeof *keys);
    size_t *vals = calloc(ncap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = map_hash(m->keys[i]) & (ncap - 1);
        while (keys[j]) j = (j + 1) & (ncap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = ncap;
    return true;
}

bool pu_map_put(pu_map *m, const char *key, size_t val)
{
    if ((m->len + 1) * 2 > m->cap && !map_rehash(m, m->cap ? m->cap * 2 : 16)) return false;
    size_t j = map_hash(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            m->vals[j] = val;
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->vals[j] = val;
    m->len++;
    return true;
}

bool pu_map_get(const pu_map *m, const char *key, size_t *val)
{
    if (!m->cap) return false;
    size_t j = map_hash(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            *val = m->vals[j];
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}

void pu_map_free(pu_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return SIZE_MAX;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *pu_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i]) continue;
        size_t d = edit_distance(word, candidates[i]);
        if (d < bestd) {
            bestd = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len < 4 ? 1 : len < 9 ? 2 : 3;
    return bestd <= limit ? best : NULL;
}

bool pu_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i])) return false;
    return true;
}

bool pu_parse_double(const char *s, size_t n, bool decimal_comma, double *out)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n == 0 || n > 64) return false;
    char tmp[65];
    int commas = 0, dots = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',') {
            if (!decimal_comma) return false;
            commas++;
            c = '.';
        } else if (c == '.') {
            dots++;
        } else if (!isdigit((unsigned char)c) && c != '+' && c != '-' && c != 'e' && c != 'E') {
            return false;
        }
        tmp[i] = c;
    }
    if (commas > 1 || (commas && dots)) return false;
    tmp[n] = '\0';
    char *end;
    double v = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(v)) return false;
    *out = v;
    return true;
}

void pu_fmt_double(char *buf, size_t size, double v)
{
    /* Whole numbers print plainly ("100", not "1e+02"), as a person writes them. */
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    /* If some p <= 15 digits read back exactly, %.15g prints those same digits (with trailing zeros
     * dropped): the double lies within half a unit of the 15th digit of that short decimal. A subnormal
     * double carries fewer digits than that (5e-324 has one), so there the search starts at 1. */
    for (int prec = v != 0 && fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

/* The length of the control character at p, 0 when there is none (see pu_has_control). */
static size_t control_at(const unsigned char *p)
{
    if (*p < 0x20 || *p == 0x7f) return 1;
    if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) return 2;
    return 0;
}

bool pu_has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (control_at(p)) return true;
    return false;
}

void pu_buf_escaped(pu_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    while (*p) {
        size_t n = control_at(p);
        if (!n) {
            p++;
            continue;
        }
        pu_buf_append(b, (const char *)run, (size_t)(p - run));
        if (n == 2) pu_buf_printf(b, "\\u%04x", p[1]);
        else if (*p == '\n') pu_buf_puts(b, "\\n");
        else if (*p == '\r') pu_buf_puts(b, "\\r");
        else if (*p == '\t') pu_buf_puts(b, "\\t");
        else pu_buf_printf(b, "\\x%02x", *p);
        p += n;
        run = p;
    }
    pu_buf_append(b, (const char *)run, (size_t)(p - run));
}

int pu_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb || !ca) return ca - cb;
    }
}

char *pu_path_stem(const char *path)
{
    if (strcmp(path, "<stdin>") == 0) return pu_strdup("stdin");
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return pu_strndup(base, n);
}

size_t pu_utf8_invalid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t len;
        uint32_t min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, min = 0x10000, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += len;
    }
    return SIZE_MAX;
}

bool pu_errno_is_callers(int e)
{
    return e == ENOENT || e == ENOTDIR || e == EISDIR || e == EACCES || e == EPERM || e == ENAMETOOLONG ||
           e == ELOOP || e == ENXIO || e == ENODEV;
}
