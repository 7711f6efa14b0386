/* jsonw.h - a small streaming JSON writer: shortest round-trip numbers, UTF-8 passed through, pretty. */
#ifndef PARLEY_JSONW_H
#define PARLEY_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define JW_MAX_DEPTH 32

typedef struct jw {
    pu_buf out;
    int depth;
    bool has_items[JW_MAX_DEPTH];
    bool after_key;
    int compact_depth; /* containers opened at or below this depth stay on one line; 0 = none */
    /* When set, the text goes to sink(sink_ctx, text, length) in pieces of about JW_SINK_BYTES instead of
     * staying in out (end with jw_flush); a false return fails the writer (out.failed). */
    bool (*sink)(void *ctx, const char *text, size_t n);
    void *sink_ctx;
} jw;

#define JW_SINK_BYTES 65536

/* All calls append to w->out; out-of-memory is sticky in w->out.failed. */
/* Hands what out still holds to the sink (nothing without one). Returns false when the writer failed. */
bool jw_flush(jw *w);
void jw_obj(jw *w);
void jw_obj_end(jw *w);
void jw_arr(jw *w);
/* Like jw_arr, but the array and everything inside it is written on one line. */
void jw_arr_inline(jw *w);
void jw_arr_end(jw *w);
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s); /* NULL writes null */
void jw_num(jw *w, double v);      /* NaN or infinity writes null */
void jw_int(jw *w, long long v);
void jw_uint(jw *w, unsigned long long v); /* seeds: every 64-bit value exactly */
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* A member: the key, then the value. */
void jw_kstr(jw *w, const char *key, const char *s);
void jw_knum(jw *w, const char *key, double v);
void jw_kint(jw *w, const char *key, long long v);
void jw_kuint(jw *w, const char *key, unsigned long long v);
void jw_kbool(jw *w, const char *key, bool v);
/* Writes v into buf (at least 40 bytes) exactly as pu_fmt_double does (whole numbers below 1e15 plainly,
 * else the shortest of %.15g, %.16g and %.17g that reads back to v), without printf for the ordinary
 * range; returns the length. The text jw_num writes (which first turns -0 into 0). */
size_t jw_fmt_number(char *buf, double v);

#endif
