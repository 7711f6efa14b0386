/* svg.h - a small SVG writer: shapes and text with fixed-precision coordinates, so that the same chart
 * is the same bytes on every machine. Every call appends to s->b; out-of-memory is sticky there. */
#ifndef PARLEY_SVG_H
#define PARLEY_SVG_H

#include <stddef.h>

#include "../core/util.h"

typedef struct svg {
    pu_buf b;
} svg;

/* Opens a w x h drawing; title (may be NULL) is its accessible name. */
void svg_open(svg *s, double w, double h, const char *title);
/* Closes it; returns the text (the caller frees it), or NULL after an out-of-memory. */
char *svg_close(svg *s);

/* tip (may be NULL) becomes a tooltip. */
void svg_rect(svg *s, double x, double y, double w, double h, const char *fill, double opacity, const char *tip);
void svg_line(svg *s, double x1, double y1, double x2, double y2, const char *stroke, double width);
void svg_circle(svg *s, double cx, double cy, double r, const char *fill, const char *tip);
/* anchor: "start", "middle" or "end". */
void svg_text(svg *s, double x, double y, const char *anchor, double size, const char *fill, const char *text);
void svg_polyline(svg *s, const double *x, const double *y, size_t n, const char *stroke, double width, const char *tip);
void svg_polygon(svg *s, const double *x, const double *y, size_t n, const char *fill, const char *tip);

/* Appends text to b with &, <, > and quotes escaped. */
void svg_escape(pu_buf *b, const char *text);
/* Returns colour i of a palette that stays apart for ten colours. */
const char *svg_palette(size_t i);
/* Writes into buf (at least 8 bytes) a colour from blue (t = 0) through grey to red (t = 1). */
void svg_diverging(double t, char *buf);

#endif
