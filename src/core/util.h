/* util.h - small shared helpers: checked allocation, string building, an id map, number parsing. */
#ifndef PARLEY_UTIL_H
#define PARLEY_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns a malloc'd copy of s (NULL in, NULL out); NULL when out of memory. */
char *pu_strdup(const char *s);
/* Returns a malloc'd copy of the first n bytes of s, NUL-terminated; NULL when out of memory. */
char *pu_strndup(const char *s, size_t n);
/* Returns a malloc'd printf-formatted string; NULL when out of memory. */
char *pu_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *pu_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grows *buf (of *cap elements of size elem) so that it holds at least need elements.
 * Returns false when out of memory or when the size would overflow; *buf is then unchanged. */
bool pu_grow(void **buf, size_t *cap, size_t need, size_t elem);

/* A growable byte string. */
typedef struct pu_buf {
    char *data;
    size_t len, cap;
    bool failed; /* set once an append ran out of memory; later appends are ignored */
} pu_buf;
void pu_buf_append(pu_buf *b, const char *s, size_t n);
void pu_buf_puts(pu_buf *b, const char *s);
void pu_buf_printf(pu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pu_buf_free(pu_buf *b);
/* Returns the text built in b (never NULL on success; "" when empty), or NULL after an out-of-memory,
 * freeing the buffer then. The caller owns the text. */
char *pu_buf_take(pu_buf *b);

/* A string -> index map (open addressing). Keys are borrowed: they must outlive the map. */
typedef struct pu_map {
    const char **keys;
    size_t *vals;
    size_t cap, len;
} pu_map;
/* Returns false when out of memory. Overwrites an existing key's value. */
bool pu_map_put(pu_map *m, const char *key, size_t val);
/* Returns true and sets *val when key is present. */
bool pu_map_get(const pu_map *m, const char *key, size_t *val);
void pu_map_free(pu_map *m);

/* Returns the candidate closest to word by edit distance when it is close enough to be a useful
 * "did you mean" hint, otherwise NULL. */
const char *pu_did_you_mean(const char *word, const char *const *candidates, size_t n);

/* Parses a whole decimal number (surrounding blanks allowed). With decimal_comma, one ',' may stand for
 * the decimal point. Returns false for empty text, trailing junk, hex, NaN or infinity. */
bool pu_parse_double(const char *s, size_t n, bool decimal_comma, double *out);
/* Returns true when s[0..n) holds only blanks. */
bool pu_is_blank(const char *s, size_t n);

/* Formats a double the shortest way that reads back to the same value ("%.17g" at worst). */
void pu_fmt_double(char *buf, size_t size, double v);

/* Returns true when s holds a control character that a terminal would act on: C0 controls (tab and
 * newline included), DEL, or a C1 control written in UTF-8 (U+0080 to U+009F). */
bool pu_has_control(const char *s);

/* True for the errno values of opening a path that say the caller named the wrong thing (a path that does
 * not exist, a folder, a file one may not read or write): bad input or usage, exit 2. Anything else (EIO,
 * EMFILE, ENOMEM...) is the machine failing: PARLEY_E_IO, exit 1. */
bool pu_errno_is_callers(int e);
/* Appends s to b with every such control character written as a visible escape: \n, \r, \t, \xHH for
 * the other C0 controls and DEL, \u0080 to \u009f for C1 ones. Other text, UTF-8 included, is kept. */
void pu_buf_escaped(pu_buf *b, const char *s);

/* Case-insensitive ASCII comparison of NUL-terminated strings. */
int pu_strcasecmp(const char *a, const char *b);

/* Returns the offset of the first byte of s[0..n) that is not well-formed UTF-8, or SIZE_MAX. */
size_t pu_utf8_invalid(const char *s, size_t n);

/* Returns the file name of path without directory and extension, malloc'd; NULL when out of memory. */
char *pu_path_stem(const char *path);

#endif
