/* csv.c - forecasts as CSV: one row per model and issue. */
#include <math.h>
#include <string.h>

#include "report_internal.h"

/* Writes one cell, quoted when it holds a delimiter, a quote, a line break, any other control character
 * or a blank at either end (which a reader would trim). The text itself is never changed: CSV carries
 * data, so a control character stays as it is, inside quotes. */
static void cell(pu_buf *b, const char *v)
{
    if (!v) return;
    size_t n = strlen(v);
    bool blank_end = n && (v[0] == ' ' || v[n - 1] == ' ');
    if (!strpbrk(v, ",\"\n\r") && !pu_has_control(v) && !blank_end) {
        pu_buf_puts(b, v);
        return;
    }
    pu_buf_puts(b, "\"");
    for (const char *p = v; *p; p++) {
        pu_buf_append(b, p, 1);
        if (*p == '"') pu_buf_puts(b, "\"");
    }
    pu_buf_puts(b, "\"");
}

char *report_csv(const parley_scenario *s, const parley_result *r)
{
    pu_buf b = {0};
    /* The distribution's columns come last, so readers of the first five keep working. */
    pu_buf_puts(&b, "model,preset,issue,value,note");
    for (size_t q = 0; q < PARLEY_QUANTILE_COUNT; q++) pu_buf_printf(&b, ",q%s", parley_quantile_key(q));
    pu_buf_puts(&b, ",p_reference\n");
    for (size_t i = 0; i < parley_result_forecast_count(r); i++) {
        size_t run, issue;
        double v;
        const char *note;
        parley_result_forecast(r, i, &run, &issue, &v, &note);
        char num[40] = "";
        if (!isnan(v)) pu_fmt_double(num, sizeof num, v);
        cell(&b, parley_result_run_model(r, run));
        pu_buf_puts(&b, ",");
        cell(&b, parley_result_run_preset(r, run));
        pu_buf_puts(&b, ",");
        cell(&b, parley_issue_id(s, issue));
        pu_buf_puts(&b, ",");
        pu_buf_puts(&b, num);
        pu_buf_puts(&b, ",");
        cell(&b, note);
        /* Empty cells for a point forecast: it has no distribution. */
        for (size_t q = 0; q <= PARLEY_QUANTILE_COUNT; q++) {
            double x = q < PARLEY_QUANTILE_COUNT ? parley_result_quantile(r, run, issue, parley_quantile_level(q))
                                                 : parley_result_p_reference(r, run, issue);
            num[0] = '\0';
            if (!isnan(x)) pu_fmt_double(num, sizeof num, x);
            pu_buf_printf(&b, ",%s", num);
        }
        pu_buf_puts(&b, "\n");
    }
    return pu_buf_take(&b);
}
