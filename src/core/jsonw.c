/* jsonw.c - a small streaming JSON writer. */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
    if (w->has_items[w->depth]) pu_buf_puts(&w->out, inline_now(w) ? ", " : ",");
    w->has_items[w->depth] = true;
    if (inline_now(w)) return;
    pu_buf_puts(&w->out, "\n");
    for (int i = 0; i < w->depth; i++) pu_buf_puts(&w->out, "  ");
}

static void open(jw *w, const char *c, bool compact)
{
    before_value(w);
    pu_buf_puts(&w->out, c);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->out.failed = true;
        return;
    }
    w->depth++;
    if (compact && !w->compact_depth) w->compact_depth = w->depth;
    w->has_items[w->depth] = false;
}

static void close(jw *w, const char *c)
{
    bool had = w->has_items[w->depth];
    bool was_inline = inline_now(w);
    if (w->compact_depth == w->depth) w->compact_depth = 0;
    w->depth--;
    if (had && !was_inline) {
        pu_buf_puts(&w->out, "\n");
        for (int i = 0; i < w->depth; i++) pu_buf_puts(&w->out, "  ");
    }
    pu_buf_puts(&w->out, c);
    if (w->depth == 0) pu_buf_puts(&w->out, "\n");
}

void jw_obj(jw *w) { open(w, "{", false); }
void jw_obj_end(jw *w) { close(w, "}"); }
void jw_arr(jw *w) { open(w, "[", false); }
void jw_arr_inline(jw *w) { open(w, "[", true); }
void jw_arr_end(jw *w) { close(w, "]"); }

static void put_string(pu_buf *b, const char *s)
{
    pu_buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* Copy a run of characters that need no escape in one go. */
        size_t run = 0;
        while (p[run] && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\') run++;
        if (run) {
            pu_buf_append(b, (const char *)p, run);
            p += run - 1;
            continue;
        }
        switch (*p) {
        case '"': pu_buf_puts(b, "\\\""); break;
        case '\\': pu_buf_puts(b, "\\\\"); break;
        case '\n': pu_buf_puts(b, "\\n"); break;
        case '\r': pu_buf_puts(b, "\\r"); break;
        case '\t': pu_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20) pu_buf_printf(b, "\\u%04x", *p);
            else pu_buf_append(b, (const char *)p, 1);
        }
    }
    pu_buf_puts(b, "\"");
}

void jw_key(jw *w, const char *key)
{
    before_value(w);
    put_string(&w->out, key);
    pu_buf_puts(&w->out, ": ");
    w->after_key = true;
}

void jw_str(jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    before_value(w);
    put_string(&w->out, s);
}

void jw_num(jw *w, double v)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    char buf[40];
    pu_fmt_double(buf, sizeof buf, v == 0 ? 0.0 : v); /* no "-0" */
    before_value(w);
    pu_buf_puts(&w->out, buf);
}

void jw_int(jw *w, long long v)
{
    before_value(w);
    pu_buf_printf(&w->out, "%lld", v);
}

void jw_uint(jw *w, unsigned long long v)
{
    before_value(w);
    pu_buf_printf(&w->out, "%llu", v);
}

void jw_bool(jw *w, bool v)
{
    before_value(w);
    pu_buf_puts(&w->out, v ? "true" : "false");
}

void jw_null(jw *w)
{
    before_value(w);
    pu_buf_puts(&w->out, "null");
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
