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
    pu_buf_puts(&b, "model,preset,issue,value,note\n");
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
        pu_buf_puts(&b, "\n");
    }
    return pu_buf_take(&b);
}
