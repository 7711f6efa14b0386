/* svg.c - a small SVG writer with fixed-precision coordinates (deterministic bytes). */
#include "svg.h"

#include <math.h>
#include <stdio.h>

void svg_escape(pu_buf *b, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': pu_buf_puts(b, "&amp;"); break;
        case '<': pu_buf_puts(b, "&lt;"); break;
        case '>': pu_buf_puts(b, "&gt;"); break;
        case '"': pu_buf_puts(b, "&quot;"); break;
        case '\'': pu_buf_puts(b, "&#39;"); break;
        case '\t':
        case '\n': pu_buf_append(b, p, 1); break;
        default:
            /* XML 1.0 forbids the other C0 controls, and a browser shows none of them: a visible escape, as
             * the text writer gives. DEL and the C1 controls (U+0080 to U+009F) likewise. */
            if ((unsigned char)*p < 0x20 || *p == 0x7f) pu_buf_printf(b, "\\x%02x", (unsigned char)*p);
            else if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9f)
                pu_buf_printf(b, "\\u%04x", (unsigned char)*++p);
            else pu_buf_append(b, p, 1);
        }
    }
}

static void tip(svg *s, const char *t)
{
    if (!t) return;
    pu_buf_puts(&s->b, "<title>");
    svg_escape(&s->b, t);
    pu_buf_puts(&s->b, "</title>");
}

void svg_open(svg *s, double w, double h, const char *title)
{
    s->b = (pu_buf){0};
    pu_buf_printf(&s->b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                  "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\">",
                  w, h, w, h);
    tip(s, title);
    pu_buf_printf(&s->b, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", w, h);
}

char *svg_close(svg *s)
{
    pu_buf_puts(&s->b, "</svg>\n");
    return pu_buf_take(&s->b);
}

void svg_rect(svg *s, double x, double y, double w, double h, const char *fill, double opacity, const char *t)
{
    pu_buf_printf(&s->b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"", x, y, w > 0 ? w : 0, h > 0 ? h : 0,
                  fill);
    if (opacity < 1) pu_buf_printf(&s->b, " fill-opacity=\"%.2f\"", opacity);
    if (t) {
        pu_buf_puts(&s->b, ">");
        tip(s, t);
        pu_buf_puts(&s->b, "</rect>\n");
    } else {
        pu_buf_puts(&s->b, "/>\n");
    }
}

void svg_line(svg *s, double x1, double y1, double x2, double y2, const char *stroke, double width)
{
    pu_buf_printf(&s->b, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"%.2f\"/>\n", x1, y1,
                  x2, y2, stroke, width);
}

void svg_circle(svg *s, double cx, double cy, double r, const char *fill, const char *t)
{
    pu_buf_printf(&s->b, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\" fill-opacity=\"0.85\" stroke=\"#333333\" "
                         "stroke-width=\"0.5\">",
                  cx, cy, r, fill);
    tip(s, t);
    pu_buf_puts(&s->b, "</circle>\n");
}

void svg_text(svg *s, double x, double y, const char *anchor, double size, const char *fill, const char *text)
{
    pu_buf_printf(&s->b, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\" font-size=\"%.1f\" fill=\"%s\">", x, y, anchor, size, fill);
    svg_escape(&s->b, text);
    pu_buf_puts(&s->b, "</text>\n");
}

static void points(svg *s, const double *x, const double *y, size_t n)
{
    pu_buf_puts(&s->b, " points=\"");
    for (size_t i = 0; i < n; i++) pu_buf_printf(&s->b, "%s%.2f,%.2f", i ? " " : "", x[i], y[i]);
    pu_buf_puts(&s->b, "\"");
}

void svg_polyline(svg *s, const double *x, const double *y, size_t n, const char *stroke, double width, const char *t)
{
    pu_buf_puts(&s->b, "<polyline fill=\"none\"");
    pu_buf_printf(&s->b, " stroke=\"%s\" stroke-width=\"%.2f\"", stroke, width);
    points(s, x, y, n);
    pu_buf_puts(&s->b, ">");
    tip(s, t);
    pu_buf_puts(&s->b, "</polyline>\n");
}

void svg_polygon(svg *s, const double *x, const double *y, size_t n, const char *fill, const char *t)
{
    pu_buf_printf(&s->b, "<polygon fill=\"%s\"", fill);
    points(s, x, y, n);
    pu_buf_puts(&s->b, ">");
    tip(s, t);
    pu_buf_puts(&s->b, "</polygon>\n");
}

const char *svg_palette(size_t i)
{
    static const char *const p[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
    return p[i % 10];
}

void svg_diverging(double t, char *buf)
{
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    /* blue (49, 104, 180) -> light grey (235, 235, 235) -> red (200, 60, 50) */
    double r, g, b;
    if (t < 0.5) {
        double u = t / 0.5;
        r = 49 + u * (235 - 49), g = 104 + u * (235 - 104), b = 180 + u * (235 - 180);
    } else {
        double u = (t - 0.5) / 0.5;
        r = 235 + u * (200 - 235), g = 235 + u * (60 - 235), b = 235 + u * (50 - 235);
    }
    snprintf(buf, 8, "#%02x%02x%02x", (unsigned)lround(r), (unsigned)lround(g), (unsigned)lround(b));
}
